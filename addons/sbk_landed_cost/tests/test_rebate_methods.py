from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestRebateMethods(LandedCostCommon):
    """VAT borne and export rebate under both methods (docs/trade-formulas.md, "Export VAT")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 100)

    def test_exempt_refund_caps_the_rebate_at_the_vendor_invoice_rate(self):
        order = self._order([(self.lamp, 1000, 10.0)])
        purchase = self._purchase(order, self.lamp, 600, 6.5, tax=self.purchase_tax_3)
        self._deliver(order)
        # No vendor bill yet: the HS code's 13 % stands for the invoice rate.
        self.assertMoney(order.sbk_vat_borne, 6300 * 0.13)
        self.assertMoney(order.sbk_tax_rebate, 6300 * 0.09)
        purchase.action_create_invoice()
        bill = purchase.invoice_ids
        bill.invoice_date = "2024-03-01"
        bill.action_post()
        # 3,900 invoiced at 3 %: VAT 117, rebate capped at 3 % = 117; the 2,400 from stock at
        # the HS code's 13 % / 9 %: 312 and 216.
        self.assertMoney(order.sbk_vat_borne, 117.0 + 312.0)
        self.assertMoney(order.sbk_tax_rebate, 117.0 + 216.0)
        self.assertMoney(order.sbk_real_profit, 10000 - 6300 - 429 + 333)

    def test_exempt_credit_refund_rests_on_the_fob_value(self):
        self.company.sbk_rebate_method = "exempt_credit_refund"
        self.shade.sbk_rebate_rate = 0.0  # exempt without refund
        order = self._order([(self.lamp, 1000, 10.0), (self.shade, 100, 5.0)])
        self._deliver(order)
        # lamp: FOB 10,000 x 13 % = 1,300 notional VAT, x 9 % = 900 rebate;
        # shade (no rebate): its input VAT is a cost, 100 x 3.00 x 13 % = 39.
        self.assertMoney(order.sbk_vat_borne, 1339.0)
        self.assertMoney(order.sbk_tax_rebate, 900.0)
        lamp_costs = order.sbk_cost_ids.filtered(lambda c: c.product_id == self.lamp)
        self.assertEqual(
            {
                (c.dimension, round(c.amount, 2), c.source_ref)
                for c in lamp_costs
                if c.dimension in ("vat_borne", "tax_rebate")
            },
            {("vat_borne", 1300.0, order), ("tax_rebate", 900.0, order)},
        )
        self.assertMoney(order.sbk_real_profit, 10500 - 6300 - 1339 + 900)
        self.assertMoney(order.sbk_profit_fob, order.sbk_real_profit)

    def test_changing_the_method_needs_a_recompute(self):
        order = self._order([(self.lamp, 100, 10.0)])
        self._deliver(order)
        self.assertMoney(order.sbk_tax_rebate, 600 * 0.09)
        self.company.sbk_rebate_method = "exempt_credit_refund"
        order.action_sbk_recompute_costs()
        self.assertMoney(order.sbk_tax_rebate, 1000 * 0.09)
        self.assertMoney(order.sbk_vat_borne, 1000 * 0.13)

    def test_domestic_order_has_no_vat_cost_nor_rebate(self):
        order = self._order([(self.lamp, 100, 10.0)], partner=self.home_buyer)
        self._deliver(order)
        self.assertEqual(order.sbk_trade_type, "domestic")
        self.assertMoney(order.sbk_cost_procurement, 600.0)
        self.assertMoney(order.sbk_vat_borne, 0.0)
        self.assertMoney(order.sbk_tax_rebate, 0.0)

    def test_product_without_hs_code_is_a_warning_not_a_zero(self):
        loose = self.env["product.product"].create(
            {"name": "Unclassified Item", "is_storable": True, "standard_price": 1.0}
        )
        order = self._order([(loose, 10, 2.0)], confirm=False)
        self.assertIn("Unclassified Item", order.sbk_cost_warning)
        self.assertIn("HS code", order.sbk_cost_warning)
