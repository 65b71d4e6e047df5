from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class SbkTradeCommon(TransactionCase):
    """Records shared by the trade tests: HS codes, a packed product, customers and users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.hs_lighting = cls.env["sbk.hs.code"].create(
            {
                "code": "9405.42.9000",
                "name": "LED ceiling lighting fittings",
                "vat_rate": 13.0,
                "rebate_rate": 13.0,
                "declaration_elements": "品名|用途|材质|功率",
            }
        )
        cls.hs_plastics = cls.env["sbk.hs.code"].create(
            {"code": "39269010", "name": "Other articles of plastics", "rebate_rate": 9.0}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test Ceiling Light",
                "default_code": "TCL18",
                "barcode": "TCL18-BARCODE",
                "is_storable": True,
                "sbk_name_en": "Ceiling Light 18W",
                "sbk_name_cn": "吸顶灯测试款",
                "sbk_aliases": "flush mount, downlight",
                "sbk_hs_code_id": cls.hs_lighting.id,
                "sbk_pcs_per_carton": 50,
                "sbk_carton_length_cm": 62,
                "sbk_carton_width_cm": 32,
                "sbk_carton_height_cm": 35,
                "sbk_carton_net_weight": 22.5,
                "sbk_carton_gross_weight": 24.0,
            }
        )
        cls.foreign_country = cls.env.ref("base.de")
        if cls.company.country_id == cls.foreign_country:
            cls.foreign_country = cls.env.ref("base.fr")
        if not cls.company.country_id:
            cls.company.country_id = cls.env.ref("base.cn")
        cls.export_customer = cls.env["res.partner"].create(
            {"name": "Foreign Buyer", "country_id": cls.foreign_country.id}
        )
        cls.domestic_customer = cls.env["res.partner"].create(
            {"name": "Domestic Buyer", "country_id": cls.company.country_id.id}
        )

    @classmethod
    def _create_user(cls, login, groups):
        return new_test_user(cls.env, login, groups=",".join(groups), name=login)


class SbkPlanningCommon(SbkTradeCommon):
    """The seed's scenario: an LED light made from four bought components, three vendors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_led = cls.env["res.partner"].create({"name": "LED Chips Vendor"})
        cls.vendor_driver = cls.env["res.partner"].create({"name": "Driver Vendor"})
        cls.vendor_metal = cls.env["res.partner"].create({"name": "Metal Works Vendor"})
        cls.module = cls._create_component("Test LED Module", cls.vendor_led, 6.2, delay=10)
        cls.driver = cls._create_component("Test Driver", cls.vendor_driver, 4.5, delay=14)
        cls.housing = cls._create_component("Test Housing", cls.vendor_metal, 3.8, delay=12)
        cls.diffuser = cls._create_component("Test Diffuser", cls.vendor_metal, 1.1, delay=12)
        cls.light = cls.env["product.product"].create(
            {"name": "Test LED Light", "default_code": "TLL18", "is_storable": True}
        )
        cls.bom = cls._create_bom(
            cls.light,
            [(cls.module, 1), (cls.driver, 1), (cls.housing, 1), (cls.diffuser, 1)],
            produce_delay=5,
        )

    @classmethod
    def _create_component(cls, name, vendor, price, delay=7, min_qty=0.0):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "standard_price": price,
                "seller_ids": [
                    Command.create(
                        {
                            "partner_id": vendor.id,
                            "price": price,
                            "delay": delay,
                            "min_qty": min_qty,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _create_bom(cls, product, components, bom_type="normal", produce_delay=0):
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "type": bom_type,
                "produce_delay": produce_delay,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": qty})
                    for component, qty in components
                ],
            }
        )

    def _create_smart_light(self):
        """A light made of a driver board (itself made of two bought chips) and a housing:
        returns (light, board, chip)."""
        board = self.env["product.product"].create({"name": "Driver Board", "is_storable": True})
        chip = self._create_component("Driver Chip", self.vendor_driver, 0.4)
        self._create_bom(board, [(chip, 2)])
        light = self.env["product.product"].create({"name": "Smart Light", "is_storable": True})
        self._create_bom(light, [(board, 1), (self.housing, 1)])
        return light, board, chip

    def _stock(self, product, quantity):
        self.env["stock.quant"]._update_available_quantity(product, self.stock, quantity)

    def _export_order(self, lines, confirm=True, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.export_customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )
        self.assertEqual(order.sbk_trade_type, "export")
        if confirm:
            order.action_confirm()
        return order

    def _shortage(self, order, product):
        return order.sbk_shortage_line_ids.filtered(lambda line: line.product_id == product)

    def _purchase_qty(self, order, product):
        lines = order.sbk_purchase_order_ids.order_line.filtered(
            lambda line: line.product_id == product
        )
        return sum(lines.mapped("product_qty"))
