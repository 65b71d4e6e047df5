from odoo import Command

from .common import SbkTradeCommon


class SbkShipmentCommon(SbkTradeCommon):
    """Stocked products and confirmed export orders of one buyer, ready to ship."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        # Valid EAN-13 / GTIN-14 so GS1 labels carrying them pass the check digit.
        cls.product.barcode = "6901234599107"
        cls.carton = cls.env["product.packaging"].create(
            {
                "name": "Carton of 50",
                "product_id": cls.product.id,
                "qty": 50,
                "barcode": "16901234599104",
            }
        )
        cls.box = cls.env["product.product"].create(
            {
                "name": "Test Panel Light",
                "default_code": "TPL24",
                "barcode": "6901234599206",
                "is_storable": True,
                "sbk_name_cn": "面板灯测试款",
                "sbk_hs_code_id": cls.hs_lighting.id,
                "sbk_pcs_per_carton": 24,
                "sbk_carton_length_cm": 50,
                "sbk_carton_width_cm": 40,
                "sbk_carton_height_cm": 30,
                "sbk_carton_net_weight": 12.0,
                "sbk_carton_gross_weight": 13.2,
            }
        )
        cls.cover = cls.env["product.product"].create(
            {
                "name": "Test Plastic Cover",
                "default_code": "TPC01",
                "barcode": "6901234599305",
                "is_storable": True,
                "sbk_hs_code_id": cls.hs_plastics.id,
                "weight": 0.2,
            }
        )
        for product in (cls.product, cls.box, cls.cover):
            cls.env["stock.quant"]._update_available_quantity(product, cls.stock, 5000)
        cls.order_a = cls._confirmed_export_order(
            [(cls.product, 1030, 10.0), (cls.box, 100, 20.0)], client_order_ref="PO-A"
        )
        cls.order_b = cls._confirmed_export_order([(cls.product, 200, 10.0)])

    @classmethod
    def _confirmed_export_order(cls, lines, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.export_customer.id,
                "sbk_port_of_loading": "Ningbo",
                "sbk_port_of_discharge": "Hamburg",
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [Command.clear()],  # an export carries no output VAT
                        }
                    )
                    for product, qty, price in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliveries(cls, *orders):
        return cls.env["stock.picking"].union(
            *(o.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing") for o in orders)
        )

    def _shipment(self, *orders, containers=()):
        return self.env["sbk.shipment"].create(
            {
                "partner_id": self.export_customer.id,
                "picking_ids": [Command.set(self._deliveries(*orders).ids)],
                "container_ids": [
                    Command.create({"container_type": ctype, "sequence": seq})
                    for seq, ctype in enumerate(containers)
                ],
            }
        )

    def _declared(self, quantity, price=10.0):
        """A declaration of a shipment of ``quantity`` lights, all loaded by one GS1 label."""
        order = self._confirmed_export_order([(self.product, quantity, price)])
        shipment = self._shipment(order)
        shipment.on_barcode_scanned("0106901234599107" + f"30{quantity}")
        shipment.action_done_loading()
        action = shipment.action_create_declaration()
        return self.env["sbk.customs.declaration"].browse(action["res_id"])
