from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

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
            {
                "code": "122199",
                "name": "Export rebate receivable",
                "account_type": "asset_current",
                "reconcile": True,
            }
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

        claim.write({"amount_approved": 250.0, "date_approved": "2025-01-15"})
        claim.action_approve(reason="Supplier invoice 0047 not verified")
        self.assertEqual(claim.reason, "Supplier invoice 0047 not verified")
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
        self.assertTrue(receivable_line.reconciled, "the receipt clears the receivable")
        self.assertEqual(claim.state, "received", "the manual receipt stays received")
        # The cost sheet shows the answer as its own line beside the expected rebate.
        rebate_lines = order.sbk_cost_ids.filtered(lambda c: c.dimension == "tax_rebate")
        self.assertMoney(sum(rebate_lines.mapped("amount")), 250.0)
        self.assertIn(-20.0, [round(a, 2) for a in rebate_lines.mapped("amount")])

        outstanding = self.env["sbk.rebate.claim.line"].read_group(
            [("sale_order_id", "=", order.id)], ["amount_received:sum"], ["hs_code_id"]
        )
        self.assertMoney(outstanding[0]["amount_received"], 250.0)

    def test_rebate_receivable_account_must_allow_reconciliation(self):
        no_reconciliation = self.env["account.account"].create(
            {
                "code": "122198",
                "name": "Rebate receivable without reconciliation",
                "account_type": "asset_current",
                "reconcile": False,
            }
        )
        with (
            self.assertRaisesRegex(ValidationError, "does not allow reconciliation"),
            self.env.cr.savepoint(),
        ):
            self.company.sbk_rebate_receivable_account_id = no_reconciliation
        self.company.sbk_rebate_receivable_account_id = self.receivable
        self.assertEqual(self.company.sbk_rebate_receivable_account_id, self.receivable)

    def test_claim_is_not_approved_onto_a_receivable_that_cannot_be_reconciled(self):
        self.company.write(
            {
                "sbk_rebate_journal_id": self.misc_journal.id,
                "sbk_rebate_receivable_account_id": self.receivable.id,
                "sbk_rebate_income_account_id": self.income.id,
            }
        )
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": "2024-B09", "amount_approved": 270.0})
        claim.action_file()
        # Switched off on the account after it was chosen for the rebates.
        self.receivable.reconcile = False
        with self.assertRaisesRegex(ValidationError, "Export rebate receivable does not allow"):
            claim.action_approve()
        self.assertEqual(claim.state, "filed")
        self.assertFalse(claim.approval_move_id)
        self.assertEqual(order.sbk_rebate_status, "filed")
        self.receivable.reconcile = True
        claim.action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertEqual(claim.approval_move_id.state, "posted")

    def _approved_claim(self, reference):
        """1,000 shades FOB at 5.00: expected 270.00, approved 250.00 with a receivable."""
        self.company.write(
            {
                "sbk_rebate_journal_id": self.misc_journal.id,
                "sbk_rebate_receivable_account_id": self.receivable.id,
                "sbk_rebate_income_account_id": self.income.id,
            }
        )
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": reference, "date_filed": "2024-12-10"})
        claim.action_file()
        claim.write(
            {"amount_approved": 250.0, "reason": "Partly verified", "date_approved": "2025-01-15"}
        )
        claim.action_approve()
        return order, claim

    def _reconcile_bank_line(self, claim, amount, date):
        """A bank statement line of the amount, its counterpart on the rebate receivable,
        reconciled with the claim's receivable the standard way."""
        bank_journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": bank_journal.id,
                "date": date,
                "amount": amount,
                "payment_ref": "Export rebate " + claim.filing_reference,
                "counterpart_account_id": self.receivable.id,
            }
        )
        counterpart = st_line.move_id.line_ids.filtered(lambda ml: ml.account_id == self.receivable)
        (counterpart | claim._sbk_get_receivable_line()).reconcile()
        return st_line

    def test_bank_line_reconciled_with_receivable_receives_claim(self):
        order, claim = self._approved_claim("2024-B10")
        self.assertMoney(claim.amount_outstanding, 250.0)
        st_line = self._reconcile_bank_line(claim, 250.0, "2025-02-03")
        self.assertEqual(claim.state, "received")
        self.assertMoney(claim.amount_received, 250.0)
        self.assertEqual(str(claim.date_received), "2025-02-03")
        self.assertEqual(claim.statement_line_id, st_line)
        self.assertMoney(claim.amount_outstanding, 0.0)
        self.assertMoney(claim.line_ids.amount_outstanding, 0.0)
        self.assertMoney(claim.line_ids.amount_received, 250.0)
        self.assertFalse(claim.receipt_move_id, "the bank line is the receipt")
        self.assertEqual(order.sbk_rebate_status, "received")
        self.assertMoney(order.sbk_tax_rebate, 250.0)

    def test_payment_reconciled_with_receivable_receives_claim(self):
        _order, claim = self._approved_claim("2024-B12")
        bank_journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "amount": 250.0,
                "date": "2025-02-05",
                "journal_id": bank_journal.id,
                "destination_account_id": self.receivable.id,
            }
        )
        payment.action_post()
        counterpart = payment.move_id.line_ids.filtered(lambda ml: ml.account_id == self.receivable)
        (counterpart | claim._sbk_get_receivable_line()).reconcile()
        self.assertEqual(claim.state, "received")
        self.assertEqual(claim.payment_id, payment)
        self.assertMoney(claim.amount_received, 250.0)
        self.assertEqual(str(claim.date_received), "2025-02-05")
        self.assertMoney(claim.amount_outstanding, 0.0)

    def test_partial_bank_line_leaves_claim_approved(self):
        order, claim = self._approved_claim("2024-B11")
        self._reconcile_bank_line(claim, 200.0, "2025-02-03")
        self.assertEqual(claim.state, "approved")
        self.assertMoney(claim.amount_received, 200.0)
        self.assertMoney(claim.amount_outstanding, 50.0)
        self.assertMoney(claim.line_ids.amount_outstanding, 50.0)
        self.assertFalse(claim.date_received)
        self.assertMoney(order.sbk_tax_rebate, 250.0, "the approved amount, still")
        outstanding = self.env["sbk.rebate.claim.line"].read_group(
            [("claim_id", "=", claim.id)], ["amount_outstanding:sum"], []
        )
        self.assertMoney(outstanding[0]["amount_outstanding"], 50.0)

        last = self._reconcile_bank_line(claim, 50.0, "2025-03-04")
        self.assertEqual(claim.state, "received")
        self.assertMoney(claim.amount_received, 250.0)
        self.assertEqual(str(claim.date_received), "2025-03-04")
        self.assertEqual(claim.statement_line_id, last)
        self.assertMoney(claim.amount_outstanding, 0.0)

        # Undoing the last reconciliation brings the claim back to approved, 50.00 open.
        last.move_id.line_ids.filtered(
            lambda ml: ml.account_id == self.receivable
        ).remove_move_reconcile()
        self.assertEqual(claim.state, "approved")
        self.assertMoney(claim.amount_received, 200.0)
        self.assertMoney(claim.amount_outstanding, 50.0)

    def test_rejected_claim_removes_the_rebate(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": "2024-B08"})
        claim.action_file()
        claim.action_reject(reason="Goods not eligible")
        self.assertEqual(claim.reason, "Goods not eligible")
        self.assertEqual(order.sbk_rebate_status, "rejected")
        self.assertMoney(order.sbk_tax_rebate, 0.0)

    def _filed_claim(self, reference, order=None):
        """A filed claim of 1,000 shades FOB at 5.00 (expected 270.00)."""
        order = order or self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": reference, "date_filed": "2024-12-10"})
        claim.action_file()
        return claim

    def test_approve_and_reject_without_reason_as_the_api_says(self):
        # docs/api.md: action_approve() needs amount_approved, action_reject() nothing more.
        claim = self._filed_claim("2024-B20").with_user(self.accountant)
        claim.amount_approved = 250.0
        claim.action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertFalse(claim.reason)
        bodies = " ".join(claim.message_ids.mapped("body"))
        self.assertRegex(bodies, r"Approved .*250\.00.* instead of the .*270\.00.* expected")
        self.assertMoney(claim.line_ids.sale_order_id.sbk_tax_rebate, 250.0)

        claim.action_reject()
        self.assertEqual(claim.state, "rejected")
        self.assertIn("Rejected by the tax office", " ".join(claim.message_ids.mapped("body")))
        self.assertMoney(claim.line_ids.sale_order_id.sbk_tax_rebate, 0.0)

    def test_approved_as_expected_needs_no_explanation(self):
        claim = self._filed_claim("2024-B21").with_user(self.accountant)
        claim.amount_approved = 270.0
        messages = claim.message_ids
        claim.action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertFalse(
            [body for body in (claim.message_ids - messages).mapped("body") if "instead" in body]
        )

    def test_state_and_answers_change_only_through_the_actions(self):
        Claim = self.env["sbk.rebate.claim"].with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "buttons"):
            Claim.create({"name": "Forged", "state": "received"})
        claim = self._filed_claim("2024-B22").with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "buttons"):
            claim.write({"state": "approved"})
        claim.write({"state": "filed"})  # no change (as a form sends it)
        claim.write({"amount_approved": 250.0, "date_approved": "2025-01-15"})
        claim.action_approve()
        for vals in ({"amount_approved": 270.0}, {"date_approved": "2025-01-20"}):
            with self.assertRaisesRegex(UserError, "can no longer change"):
                claim.write(vals)
        claim.write({"amount_approved": 250.0})  # the same amount: no change
        claim.write({"amount_received": 240.0, "date_received": "2025-02-03"})
        with self.assertRaisesRegex(UserError, "buttons"):
            claim.write({"state": "received"})
        claim.action_receive()
        self.assertEqual(claim.state, "received")
        for vals in ({"amount_received": 250.0}, {"date_received": "2025-02-04"}):
            with self.assertRaisesRegex(UserError, "can no longer change"):
                claim.write(vals)
        with self.assertRaisesRegex(UserError, "buttons"):
            claim.write({"state": "approved"})
        self.assertMoney(claim.amount_approved, 250.0)
        self.assertMoney(claim.amount_received, 240.0)
        self.assertMoney(claim.line_ids.sale_order_id.sbk_tax_rebate, 240.0)

    def test_filing_is_final_once_filed(self):
        draft = self.env["sbk.rebate.claim"].create({"company_id": self.company.id})
        draft.with_user(self.accountant).write(
            {"filing_reference": "2024-B30", "date_filed": "2024-12-09"}
        )
        claim = self._filed_claim("2024-B23").with_user(self.accountant)
        for vals in ({"filing_reference": "2024-B99"}, {"date_filed": "2024-12-11"}):
            with self.assertRaisesRegex(UserError, "can no longer change"):
                claim.write(vals)
        # the same values (as a form sends them): no change
        claim.write({"filing_reference": "2024-B23", "date_filed": "2024-12-10"})
        self.assertEqual(claim.filing_reference, "2024-B23")
        self.assertEqual(str(claim.date_filed), "2024-12-10")

    def test_lines_are_written_by_their_claim_only(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        # The claim's own code builds its lines for a user who may write the claim.
        claim = self.env["sbk.rebate.claim"].browse(
            declaration.with_user(self.manager).action_create_rebate_claim()
        )
        line = claim.line_ids.with_user(self.accountant)
        self.assertMoney(line.amount_expected, 270.0)
        forged = {
            "claim_id": claim.id,
            "sale_order_id": order.id,
            "amount_fob": 50000.0,
            "amount_expected": 2700.0,
        }
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            claim.with_user(self.accountant).write({"line_ids": [Command.create(forged)]})
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            self.env["sbk.rebate.claim.line"].with_user(self.accountant).create(forged)
        for vals in ({"amount_expected": 2700.0}, {"amount_fob": 50000.0}, {"rebate_rate": 13.0}):
            with self.assertRaisesRegex(UserError, "cannot be written directly"):
                line.write(vals)
        with self.assertRaisesRegex(UserError, "deleted with their draft claim"):
            line.unlink()
        line.write({"amount_expected": 270.0})  # the same amount (as a form sends it)

        claim = claim.with_user(self.accountant)
        claim.write({"filing_reference": "2024-B24"})
        claim.action_file()
        for vals in ({"amount_approved": 2700.0}, {"amount_received": 2700.0}):
            with self.assertRaisesRegex(UserError, "cannot be written directly"):
                line.write(vals)
        self.assertMoney(order.sbk_tax_rebate, 270.0)
        claim.amount_approved = 250.0
        claim.action_approve()
        self.assertMoney(line.amount_approved, 250.0, "shared by the claim's action")
        self.assertMoney(order.sbk_tax_rebate, 250.0)
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            line.write({"amount_approved": 2700.0})
        with self.assertRaisesRegex(UserError, "deleted with their draft claim"):
            line.unlink()
        self.assertMoney(order.sbk_tax_rebate, 250.0)

    def _declare(self, pickings, quantity, name):
        """Load ``quantity`` shades of ``pickings`` on a shipment, declare and clear it."""
        self.shade.barcode = "6901234567892"
        shipment = self.env["sbk.shipment"].create(
            {"partner_id": self.buyer.id, "picking_ids": [Command.set(pickings.ids)]}
        )
        shipment.on_barcode_scanned("01" + "06901234567892" + "30" + str(quantity))
        shipment.action_done_loading()
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        declaration.write({"name": name, "date": "2024-11-20"})
        declaration.action_submit()
        declaration.action_release()
        declaration.action_clear()
        return declaration

    def test_order_shipped_under_two_claims_expects_its_rebate_once(self):
        # 1,000 shades FOB at 5.00: 270.00 expected, shipped 600 then 400.
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        self.assertMoney(order.sbk_expected_tax_rebate, 270.0)
        first = self._declare(order.picking_ids, 600, "310120240000012346")
        backorder = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(sum(backorder.move_ids.mapped("product_uom_qty")), 400)
        second = self._declare(backorder, 400, "310120240000012347")
        claims = self.env["sbk.rebate.claim"]
        for declaration in (first, second):
            claims |= claims.browse(declaration.action_create_rebate_claim())
        # 270.00 x 3,000 / 5,000 and x 2,000 / 5,000
        self.assertEqual([round(c.amount_expected, 2) for c in claims], [162.0, 108.0])
        self.assertMoney(sum(claims.mapped("amount_expected")), order.sbk_expected_tax_rebate)
        for reference, claim in zip(("2024-B30", "2024-B31"), claims, strict=True):
            claim.write({"filing_reference": reference})
            claim.action_file()
            claim.amount_approved = claim.amount_expected
            claim.action_approve()
        self.assertEqual(order.sbk_rebate_status, "approved")
        self.assertMoney(order.sbk_tax_rebate, 270.0)
        self.assertMoney(sum(order.sbk_rebate_claim_line_ids.mapped("amount_approved")), 270.0)

    def test_goods_under_the_taxed_regime_are_not_claimed(self):
        self.env["stock.quant"]._update_available_quantity(self.lamp, self.stock, 100)
        self.lamp.barcode = "6901234567885"
        order = self._order([(self.shade, 1000, 5.0), (self.lamp, 100, 10.0)])
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        lamp_line.sbk_taxed_export = True
        # Only the shades bear a rebate: 3,000 x 9 % = 270.00.
        self.assertMoney(order.sbk_expected_tax_rebate, 270.0)
        shipment = self.env["sbk.shipment"].create(
            {"partner_id": self.buyer.id, "picking_ids": [Command.set(order.picking_ids.ids)]}
        )
        self.shade.barcode = "6901234567892"
        shipment.on_barcode_scanned("01" + "06901234567892" + "30" + "1000")
        shipment.on_barcode_scanned("01" + "06901234567885" + "30" + "100")
        shipment.action_done_loading()
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        declaration.write({"name": "310120240000012348", "date": "2024-11-20"})
        declaration.action_submit()
        declaration.action_release()
        declaration.action_clear()
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        self.assertEqual(claim.line_ids.mapped("sale_order_id"), order)
        self.assertMoney(claim.line_ids.amount_fob, 5000.0, "the shades only")
        self.assertMoney(claim.amount_expected, 270.0)

        self.company.sbk_rebate_method = "exempt_credit_refund"
        claim.action_compute_lines()
        self.assertMoney(claim.line_ids.amount_fob, 5000.0)
        self.assertMoney(claim.amount_expected, 450.0, "5,000 x 9 %")

    def test_outstanding_lines_show_their_claim_age(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        self.assertEqual(claim.line_ids.mapped("age_days"), [0])
        claim.write({"filing_reference": "2024-B41", "date_filed": "2024-12-10"})
        claim.action_file()
        age = (fields.Date.context_today(claim) - fields.Date.to_date("2024-12-10")).days
        self.assertGreater(age, 0)
        self.assertEqual(claim.age_days, age)
        self.assertEqual(claim.line_ids.mapped("age_days"), [age])

    def test_rebates_to_claim_lists_declared_orders_until_claimed(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sbk_landed_cost.action_sbk_rebate_to_claim"
        )
        domain = safe_eval(action["domain"])
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        self.assertNotIn(order, self.env["sale.order"].search(domain))
        declaration = self._cleared_declaration(order)
        self.assertMoney(order.sbk_expected_tax_rebate, 270.0)
        self.assertIn(order, self.env["sale.order"].search(domain))
        self.assertEqual(order.sbk_export_date, declaration.date)
        declaration.action_create_rebate_claim()
        self.assertNotIn(order, self.env["sale.order"].search(domain))
