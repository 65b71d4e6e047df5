from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class ExportReservationCommon(TransactionCase):
    """A set sold abroad and at home from one warehouse: 1,000 on hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        if not cls.company.country_id:
            cls.company.country_id = cls.env.ref("base.cn")
        foreign = cls.env.ref("base.de")
        if cls.company.country_id == foreign:
            foreign = cls.env.ref("base.fr")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.buyer_abroad = cls.env["res.partner"].create(
            {"name": "Overseas Buyer", "country_id": foreign.id}
        )
        cls.buyer_home = cls.env["res.partner"].create(
            {"name": "Home Buyer", "country_id": cls.company.country_id.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Dinner Set", "is_storable": True, "default_code": "SET01"}
        )
        cls.manager = cls._user("lock_manager", "sbk_trade.group_sbk_trade_manager")
        cls.trade_user = cls._user("lock_user", "sbk_trade.group_sbk_trade_user")

    @classmethod
    def _user(cls, login, group):
        return new_test_user(cls.env, login, groups=f"{group},stock.group_stock_user", name=login)

    def _stock(self, quantity, product=None, lot=None):
        self.env["stock.quant"]._update_available_quantity(
            product or self.product, self.stock, quantity, lot_id=lot
        )

    def _order(self, partner, quantity, product=None, confirm=True, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or self.product).id, "product_uom_qty": quantity}
                    )
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _reserved(self, order):
        moves = order.picking_ids.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        return sum(moves.mapped("quantity"))

    def _receive(self, quantity, product=None):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "receipt",
                            "product_id": (product or self.product).id,
                            "product_uom_qty": quantity,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.quantity = quantity
        receipt.move_ids.picked = True
        receipt._action_done()
        return receipt

    def _deliver(self, order, quantity, backorder=True):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        if backorder:
            picking.with_context(cancel_backorder=False)._action_done()
        else:
            picking._action_done()
        return picking
