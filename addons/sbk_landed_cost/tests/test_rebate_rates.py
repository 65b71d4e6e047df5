from odoo import fields
from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestRebateRates(LandedCostCommon):
    """An export takes the rates in force on its export date; a change of rate never rewrites
    the orders exported before it (#16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 2000)

    def _dated_order(self, date):
        # 1,000 shades FOB at 5.00, from stock at 3.00 (P = 3,000), exempt-refund.
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        order.date_order = f"{date} 10:00:00"  # confirming dates the order today
        self._deliver(order)
        return order

    def test_rate_change_on_a_date(self):
        november = self._dated_order("2024-11-20")
        self.assertMoney(november.sbk_vat_borne, 390.0)
        self.assertMoney(november.sbk_tax_rebate, 270.0)  # 3,000 x 9 %
        # A decree cuts the rebate to 6 % for exports from 1 December 2024.
        self.env["sbk.hs.code.rate"].create(
            {
                "hs_code_id": self.hs_code.id,
                "date_from": "2024-12-01",
                "vat_rate": 13.0,
                "rebate_rate": 6.0,
                "note": "Announcement 2024/15",
            }
        )
        self.assertEqual(self.hs_code.rebate_rate, 6.0, "the rate in force today")
        self.assertEqual(len(self.hs_code.rate_ids), 2, "the former rate is kept, undated")
        self.assertEqual(
            self.hs_code._sbk_get_rates(fields.Date.to_date("2024-11-30")), (13.0, 9.0)
        )
        self.assertEqual(
            self.hs_code._sbk_get_rates(fields.Date.to_date("2024-12-01")), (13.0, 6.0)
        )
        december = self._dated_order("2024-12-05")
        self.assertMoney(december.sbk_tax_rebate, 180.0)  # 3,000 x 6 %
        self.assertMoney(december.sbk_real_profit, 5000 - 3000 - 390 + 180)
        november.action_sbk_recompute_costs()
        self.assertMoney(november.sbk_tax_rebate, 270.0, "a past export keeps its rate")
        self.assertMoney(november.sbk_real_profit, 5000 - 3000 - 390 + 270)

    def test_taxed_export_gets_no_rebate_and_is_flagged(self):
        self.shade.sbk_taxed_export = True
        order = self._dated_order("2024-11-20")
        self.assertTrue(order.order_line.sbk_taxed_export)
        self.assertTrue(order.sbk_taxed_export)
        self.assertMoney(order.sbk_tax_rebate, 0.0)
        self.assertMoney(order.sbk_vat_borne, 0.0)
        self.assertIn("taxed regime", order.sbk_cost_warning)
        # Taken off the line, the rebate is back.
        order.order_line.sbk_taxed_export = False
        self.assertFalse(order.sbk_taxed_export)
        self.assertMoney(order.sbk_tax_rebate, 270.0)

    def test_exempt_credit_refund_takes_fob_at_the_export_date_rate(self):
        # One company unit buys 0.8 EUR from January, 0.9 from February.
        foreign = self.env.ref("base.EUR")
        if foreign == self.currency:
            foreign = self.env.ref("base.USD")
        foreign.active = True
        self.env["res.currency.rate"].create(
            [
                {"name": "2024-01-01", "rate": 0.8, "currency_id": foreign.id},
                {"name": "2024-02-01", "rate": 0.9, "currency_id": foreign.id},
            ]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign list", "currency_id": foreign.id}
        )
        self.company.sbk_rebate_method = "exempt_credit_refund"
        order = self._order(
            [(self.shade, 1000, 1.0)], incoterm=self.incoterm_fob, pricelist_id=pricelist.id
        )
        order.date_order = "2024-01-10 10:00:00"
        self._invoice(order, "2024-02-05")
        # Revenue at the invoice date: 1,000 / 0.9 = 1,111.11; the export (order) date's FOB:
        # 1,000 / 0.8 = 1,250.00, so rebate 1,250 x 9 % = 112.50, VAT 1,250 x 13 % = 162.50.
        self.assertMoney(order.sbk_revenue, 1111.11)
        self.assertMoney(order.sbk_tax_rebate, 112.50)
        self.assertMoney(order.sbk_vat_borne, 162.50)
        order.date_order = "2024-02-10 10:00:00"
        self.assertMoney(order.sbk_tax_rebate, 100.0)  # 1,111.11 x 9 %

    def test_declaration_date_is_the_export_date(self):
        self.env["sbk.hs.code.rate"].create(
            {
                "hs_code_id": self.hs_code.id,
                "date_from": "2024-12-01",
                "vat_rate": 13.0,
                "rebate_rate": 6.0,
            }
        )
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        order.date_order = "2024-12-05 10:00:00"
        self.assertMoney(order.sbk_expected_tax_rebate, 180.0)  # order date: 3,000 x 6 %
        # Declared on 20 November, before the cut: the rate of that date.
        declaration = self._cleared_declaration(order)
        self.assertEqual(str(declaration.date), "2024-11-20")
        self.assertMoney(order.sbk_tax_rebate, 270.0)  # 3,000 x 9 %
