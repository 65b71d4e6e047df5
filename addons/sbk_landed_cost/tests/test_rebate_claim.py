from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestRebateClaim(LandedCostCommon):
    """The rebate as a claim: filed, answered, paid; the order's profit follows the answer
    (#16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)
        cls.receivable = cls.env["account.account"].create(
            {"code": "122199", "name": "Export rebate receivable", "account_type": "asset_current"}
        )
        cls.income = cls.env["account.account"].create(
            {"code": "671199", "name": "Export rebate", "account_type": "income_other"}
        )
        cls.misc_journal = cls.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", cls.company.id)], limit=1
        )

    def test_claim_filed_approved_for_less_and_received(self):
        self.company.write(
            {
                "sbk_rebate_journal_id": self.misc_journal.id,
                "sbk_rebate_receivable_account_id": self.receivable.id,
                "sbk_rebate_income_account_id": self.income.id,
            }
        )
        # 1,000 shades FOB at 5.00 from stock at 3.00: VAT borne 390, rebate 3,000 x 9 % = 270.
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        self.assertEqual(order.sbk_rebate_status, "expected")
        self.assertMoney(order.sbk_tax_rebate, 270.0)

        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        line = claim.line_ids
        self.assertEqual(line.sale_order_id, order)
        self.assertEqual(line.hs_code_id, self.hs_code)
        self.assertMoney(line.amount_fob, 5000.0)
        self.assertEqual(line.rebate_rate, 9.0)
        self.assertMoney(claim.amount_expected, 270.0)
        with self.assertRaisesRegex(UserError, "already claimed"):
            declaration.action_create_rebate_claim()

        with self.assertRaisesRegex(UserError, "filing reference"):
            claim.action_file()
        claim.write({"filing_reference": "2024-B07", "date_filed": "2024-12-10"})
        claim.action_file()
        self.assertEqual(claim.state, "filed")
        self.assertEqual(order.sbk_rebate_status, "filed")
        self.assertMoney(order.sbk_tax_rebate, 270.0, "still the expected rebate")

        claim.amount_approved = 250.0
        with self.assertRaisesRegex(UserError, "reason"):
            claim.action_approve()
        claim.write({"reason": "Supplier invoice 0047 not verified", "date_approved": "2025-01-15"})
        claim.action_approve()
        self.assertEqual(order.sbk_rebate_status, "approved")
        self.assertMoney(order.sbk_tax_rebate, 250.0)
        # 5,000 - 3,000 - 390 + 250
        self.assertMoney(order.sbk_real_profit, 1860.0)
        entry = claim.approval_move_id
        self.assertEqual(entry.state, "posted")
        receivable_line = entry.line_ids.filtered(lambda ml: ml.account_id == self.receivable)
        self.assertMoney(receivable_line.debit, 250.0)

        claim.write({"amount_received": 250.0, "date_received": "2025-02-03"})
        claim.action_receive()
        self.assertEqual(claim.state, "received")
        self.assertEqual(order.sbk_rebate_status, "received")
        self.assertMoney(order.sbk_tax_rebate, 250.0)
        self.assertMoney(order.sbk_real_profit, 1860.0)
        self.assertMoney(line.amount_outstanding, 0.0)
        receipt = claim.receipt_move_id
        cleared = receipt.line_ids.filtered(lambda ml: ml.account_id == self.receivable)
        self.assertMoney(cleared.credit, 250.0)
        # The cost sheet shows the answer as its own line beside the expected rebate.
        rebate_lines = order.sbk_cost_ids.filtered(lambda c: c.dimension == "tax_rebate")
        self.assertMoney(sum(rebate_lines.mapped("amount")), 250.0)
        self.assertIn(-20.0, [round(a, 2) for a in rebate_lines.mapped("amount")])

        outstanding = self.env["sbk.rebate.claim.line"].read_group(
            [("sale_order_id", "=", order.id)], ["amount_received:sum"], ["hs_code_id"]
        )
        self.assertMoney(outstanding[0]["amount_received"], 250.0)

    def test_rejected_claim_removes_the_rebate(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": "2024-B08"})
        claim.action_file()
        with self.assertRaisesRegex(UserError, "reason"):
            claim.action_reject()
        claim.reason = "Goods not eligible"
        claim.action_reject()
        self.assertEqual(order.sbk_rebate_status, "rejected")
        self.assertMoney(order.sbk_tax_rebate, 0.0)
