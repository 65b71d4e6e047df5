from odoo import Command
from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestMultiCurrency(LandedCostCommon):
    """Revenue at the invoice date (order date until invoiced), each cost at its own date.

    One company unit buys 0.8 units of the foreign currency from January, 0.9 from February.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.foreign = cls.env.ref("base.EUR")
        if cls.foreign == cls.currency:
            cls.foreign = cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create(
            [
                {"name": "2024-01-01", "rate": 0.8, "currency_id": cls.foreign.id},
                {"name": "2024-02-01", "rate": 0.9, "currency_id": cls.foreign.id},
            ]
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign list", "currency_id": cls.foreign.id}
        )

    def _foreign_order(self):
        order = self._order([(self.lamp, 1000, 1.0)], pricelist_id=self.pricelist.id)
        order.date_order = "2024-01-10 10:00:00"  # confirming dates the order today
        return order

    def test_revenue_at_the_order_date_then_at_the_invoice_date(self):
        order = self._foreign_order()
        self.assertEqual(order.currency_id, self.foreign)
        self.assertMoney(order.sbk_revenue, 1250.0)  # 1,000 / 0.8
        self._invoice(order, "2024-02-05", quantities={self.lamp: 400})
        # 400 invoiced at 0.9, 600 still at the order date's 0.8
        self.assertMoney(order.sbk_revenue, 444.44 + 750.0)
        self._invoice(order, "2024-02-20")
        self.assertMoney(order.sbk_revenue, 444.44 + 666.67)

    def test_each_cost_at_its_own_date(self):
        order = self._foreign_order()
        self._bill([(self.ocean_freight, 100.0, order)], date="2024-01-15", currency=self.foreign)
        self._bill([(self.ocean_freight, 90.0, order)], date="2024-02-10", currency=self.foreign)
        self.assertMoney(order.sbk_cost_ocean_freight, 125.0 + 100.0)
        purchase = self._purchase(order, self.lamp, 100, 2.0, currency=self.foreign, receive=False)
        purchase.date_approve = "2024-01-12 08:00:00"
        self._validate(purchase.picking_ids)
        self.assertMoney(order.sbk_cost_procurement, 250.0)  # 200 / 0.8
        dates = {c.dimension: c.date for c in order.sbk_cost_ids}
        self.assertEqual(str(dates["procurement"]), "2024-01-12")

    def test_invoice_line_kept_apart_from_the_order_lines(self):
        # An invoice with a line that is not on the order does not change the order's revenue.
        order = self._foreign_order()
        invoice = order._create_invoices()
        invoice.invoice_date = "2024-02-05"
        invoice.write({"invoice_line_ids": [Command.create({"name": "Extra", "price_unit": 90.0})]})
        invoice.action_post()
        self.assertMoney(order.sbk_revenue, 1000 / 0.9)
