from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..tools.allocation import allocate
from ..tools.trade_profit import rebate_exempt_credit_refund

CLAIM_STATES = [
    ("draft", "Draft"),
    ("filed", "Filed"),
    ("approved", "Approved"),
    ("received", "Received"),
    ("rejected", "Rejected"),
]


class SbkRebateClaim(models.Model):
    """An export tax rebate claim (退税申报): the rebate of one or more cleared declarations, as
    filed with the tax office, from its expected amount to the amount approved and received."""

    _name = "sbk.rebate.claim"
    _description = "Export Tax Rebate Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "sbk.action.state.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    declaration_ids = fields.Many2many(
        "sbk.customs.declaration",
        string="Declarations",
        check_company=True,
        domain="[('state', '=', 'cleared')]",
    )
    line_ids = fields.One2many("sbk.rebate.claim.line", "claim_id", string="Lines")
    state = fields.Selection(
        CLAIM_STATES, default="draft", required=True, copy=False, tracking=True, index=True
    )
    filing_reference = fields.Char(tracking=True, help="The batch number of the filing.")
    date_filed = fields.Date(tracking=True, copy=False)
    date_approved = fields.Date(tracking=True, copy=False)
    date_received = fields.Date(tracking=True, copy=False)
    amount_expected = fields.Monetary(
        string="Expected Rebate", compute="_compute_amount_expected", store=True
    )
    amount_approved = fields.Monetary(string="Approved Amount", tracking=True, copy=False)
    amount_received = fields.Monetary(string="Received Amount", tracking=True, copy=False)
    reason = fields.Text(
        help="Why the tax office rejected the claim or approved another amount than expected "
        "(optional: without it, the claim's chatter says what was decided)."
    )
    statement_line_id = fields.Many2one(
        "account.bank.statement.line",
        string="Bank Statement Line",
        copy=False,
        check_company=True,
        help="The bank line the rebate arrived on: set by itself when a bank statement line is "
        "reconciled with the claim's receivable.",
    )
    payment_id = fields.Many2one(
        "account.payment",
        copy=False,
        readonly=True,
        check_company=True,
        help="The payment reconciled with the claim's receivable.",
    )
    amount_outstanding = fields.Monetary(
        string="Outstanding",
        compute="_compute_amount_outstanding",
        store=True,
        help="Still to receive: the approved amount less what was reconciled with its "
        "receivable once approved, else the expected one.",
    )
    approval_move_id = fields.Many2one(
        "account.move", string="Receivable Entry", copy=False, index="btree_not_null"
    )
    receipt_move_id = fields.Many2one("account.move", string="Receipt Entry", copy=False)
    age_days = fields.Integer(
        string="Age (days)", compute="_compute_age_days", help="Days since filing, while open."
    )

    @api.depends("line_ids.amount_expected")
    def _compute_amount_expected(self):
        for claim in self:
            claim.amount_expected = sum(claim.line_ids.mapped("amount_expected"))

    @api.depends("line_ids.amount_outstanding")
    def _compute_amount_outstanding(self):
        for claim in self:
            claim.amount_outstanding = sum(claim.line_ids.mapped("amount_outstanding"))

    @api.depends("state", "date_filed")
    def _compute_age_days(self):
        today = fields.Date.context_today(self)
        for claim in self:
            open_claim = claim.state in ("filed", "approved") and claim.date_filed
            claim.age_days = (today - claim.date_filed).days if open_claim else 0

    def write(self, vals):
        if {"line_ids", "declaration_ids", "company_id"}.intersection(vals):
            for claim in self.filtered(lambda c: c.state != "draft"):
                raise UserError(
                    self.env._(
                        "%s is filed: its declarations and lines can no longer change.",
                        claim.name,
                    )
                )
        if not self.env.su:
            # The state is the actions' (sbk.action.state.mixin); the filing is final once
            # filed, the tax office's answer once its step has passed: approved, its amount;
            # received, what came in. The actions and the bank reconciliation write them as
            # superuser.
            for claim in self:
                locked = []
                if claim.state != "draft":
                    # What was filed with the tax office: the batch it answers.
                    locked += ["filing_reference", "date_filed"]
                if claim.state in ("approved", "received", "rejected"):
                    locked += ["amount_approved", "date_approved"]
                if claim.state in ("received", "rejected"):
                    locked += ["amount_received", "date_received"]
                changed = [
                    name for name in locked if name in vals and claim._sbk_changes(name, vals[name])
                ]
                if changed:
                    raise UserError(
                        self.env._(
                            "%(claim)s is %(state)s: %(fields)s can no longer change.",
                            claim=claim.name,
                            state=claim._sbk_state_label(),
                            fields=", ".join(
                                self._fields[name]._description_string(self.env) for name in changed
                            ),
                        )
                    )
        result = super().write(vals)
        if {"state", "amount_approved", "amount_received"}.intersection(vals):
            self.line_ids.sale_order_id._sbk_update_costs()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        for claim in self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("%s is filed: it cannot be deleted.", claim.name))

    # -- lines ---------------------------------------------------------------------------

    def action_compute_lines(self):
        """(Re)build the expected rebate of each order and HS code of the declarations."""
        for claim in self:
            if claim.state != "draft":
                raise UserError(self.env._("Only a draft claim is recomputed."))
            vals = claim._sbk_prepare_line_vals()
            claim._sbk_write_lines([Command.clear()] + [Command.create(v) for v in vals])
        return True

    def _sbk_write_lines(self, commands):
        """Write the claim's lines for its own code: they refuse callers (see the line)."""
        self.check_access("write")
        # sudo: the lines are built from the claim's declarations, never from caller input;
        # the caller's right to write the claim is checked above.
        return self.sudo().write({"line_ids": commands})

    def _sbk_prepare_line_vals(self):
        """One line per declaration, order and HS code: the declared FOB in company currency at
        the export date's rate and the rate in force on it; the expected rebate by the company's
        method (docs/trade-formulas.md, "Export VAT and the tax rebate"): FOB x r for
        exempt-credit-refund, the order's rebate shared by FOB for exempt-refund. Goods exported
        under the taxed regime (``sbk_taxed_export``) have no rebate: they are not claimed."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        DeclarationLine = self.env["sbk.customs.declaration.line"]
        items = defaultdict(list)  # (declaration, order, hs code) -> [(unit FOB, qty)]
        claimed_fob = defaultdict(float)  # order id -> FOB claimed, in the order's currency
        for declaration in self.declaration_ids:
            if declaration.state != "cleared":
                raise UserError(
                    self.env._(
                        "%s is not cleared: claim the rebate of cleared declarations only.",
                        declaration.display_name,
                    )
                )
            for packing in declaration.shipment_id.packing_line_ids.filtered("loaded_qty"):
                sale_line = packing.move_id.sale_line_id
                if sale_line.sbk_taxed_export:
                    continue
                key = (declaration, sale_line.order_id, packing.product_id.sbk_hs_code_id)
                unit_fob = sale_line._sbk_get_fob_unit_price_per_product_uom()
                items[key].append((unit_fob, packing.loaded_qty))
                claimed_fob[sale_line.order_id.id] += unit_fob * packing.loaded_qty
        vals_list = []
        for (declaration, order, hs_code), fob_items in items.items():
            fob = DeclarationLine._sbk_get_fob_amount(fob_items, declaration.currency_id)
            export_date = declaration.date or fields.Date.context_today(self)
            fob_company = declaration.currency_id._convert(
                fob, currency, company, export_date, round=True
            )
            vat_rate, rebate_rate = hs_code._sbk_get_rates(export_date)
            _vat, expected = rebate_exempt_credit_refund(fob_company, vat_rate, rebate_rate)
            vals_list.append(
                {
                    "declaration_id": declaration.id,
                    "sale_order_id": order.id,
                    "hs_code_id": hs_code.id,
                    "amount_fob": fob_company,
                    "rebate_rate": rebate_rate,
                    "amount_expected": currency.round(expected),
                }
            )
        if company.sbk_rebate_method == "exempt_refund":
            self._sbk_share_order_rebate(vals_list, claimed_fob)
        return vals_list

    def _sbk_share_order_rebate(self, vals_list, claimed_fob):
        """Exempt-refund: the rebate rests on the purchase invoices, not the FOB: each order's
        rebate (its cost sheet's) weighted by this claim's share of the order (``claimed_fob``,
        ``{order id: FOB claimed here, in the order's currency}``, over the FOB of all the
        order's goods with a rebate), then shared among its lines by declared FOB. An order
        shipped under several claims has its rebate expected once over them."""
        by_order = defaultdict(list)
        for vals in vals_list:
            by_order[vals["sale_order_id"]].append(vals)
        currency = self.company_id.currency_id
        orders = self.env["sale.order"].browse(list(by_order)).sudo()
        for order in orders:
            lines = by_order[order.id]
            weights = {index: vals["amount_fob"] for index, vals in enumerate(lines)}
            if not any(weights.values()):
                continue
            order_fob = sum(
                line._sbk_get_fob_unit_price_per_product_uom()
                * line.product_uom._compute_quantity(
                    max(line.product_uom_qty, line.qty_delivered), line.product_id.uom_id
                )
                for line in order.order_line
                if line.product_id.type == "consu"
                and not line.display_type
                and not line.sbk_taxed_export
            )
            claimed = claimed_fob.get(order.id, 0.0)
            ratio = min(claimed / order_fob, 1.0) if order_fob > 0 else 1.0
            rebate = currency.round(order.sbk_expected_tax_rebate * ratio)
            shares = allocate(rebate, weights, currency.decimal_places)
            for index, vals in enumerate(lines):
                vals["amount_expected"] = shares[index]

    # -- the tax office's answers ---------------------------------------------------------

    def _sbk_check_state(self, allowed, action):
        for claim in self:
            if claim.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(claim)s is %(state)s: it cannot be %(action)s.",
                        claim=claim.name,
                        state=dict(CLAIM_STATES)[claim.state],
                        action=action,
                    )
                )

    def action_file(self):
        """Filed with the tax office: needs the filing (batch) reference."""
        self._sbk_check_state(("draft",), self.env._("filed"))
        for claim in self:
            if not claim.filing_reference:
                raise UserError(self.env._("Enter the filing reference before filing the claim."))
            if not claim.line_ids:
                claim.action_compute_lines()
            if claim.name == self.env._("New"):
                claim.name = claim.filing_reference
            claim._sbk_write_by_action(
                {
                    "state": "filed",
                    "date_filed": claim.date_filed or fields.Date.context_today(claim),
                }
            )
        return True

    def action_approve(self, reason=None):
        """Approved by the tax office: needs the approved amount; posts the receivable when the
        company has its accounts. ``reason`` (optional) is written to the claim's ``reason``;
        without one, an amount other than the expected one is explained in the chatter."""
        self._sbk_check_state(("filed",), self.env._("approved"))
        if reason:
            self.write({"reason": reason})
        for claim in self:
            currency = claim.currency_id
            if currency.compare_amounts(claim.amount_approved, 0.0) <= 0:
                raise UserError(self.env._("Enter the approved amount before approving."))
            if all(claim._sbk_rebate_accounts()):
                # The receivable posted on approval: checked again, as the account's
                # reconciliation may have been switched off since it was chosen.
                claim.company_id._sbk_check_rebate_receivable_account()
        for claim in self:
            currency = claim.currency_id
            claim.line_ids._sbk_share("amount_approved", claim.amount_approved)
            claim._sbk_write_by_action(
                {
                    "state": "approved",
                    "date_approved": claim.date_approved or fields.Date.context_today(claim),
                }
            )
            differs = currency.compare_amounts(claim.amount_approved, claim.amount_expected)
            if differs and not claim.reason:
                claim.message_post(
                    body=self.env._(
                        "Approved %(approved)s instead of the %(expected)s expected (no reason "
                        "entered).",
                        approved=format_amount(self.env, claim.amount_approved, currency),
                        expected=format_amount(self.env, claim.amount_expected, currency),
                    )
                )
            claim._sbk_post_approval()
        return True

    def action_receive(self):
        """The rebate arrived: the received amount (or the bank statement line's)."""
        self._sbk_check_state(("approved",), self.env._("received"))
        for claim in self:
            amount = claim.amount_received
            if claim.statement_line_id and not amount:
                amount = claim.statement_line_id.amount
            if claim.currency_id.compare_amounts(amount, 0.0) <= 0:
                raise UserError(
                    self.env._("Enter the received amount or the bank statement line first.")
                )
            claim.line_ids._sbk_share("amount_received", amount)
            claim._sbk_write_by_action(
                {
                    "state": "received",
                    "amount_received": amount,
                    "date_received": claim.date_received
                    or claim.statement_line_id.date
                    or fields.Date.context_today(claim),
                }
            )
            claim._sbk_post_receipt()
        return True

    def action_reject(self, reason=None):
        """Rejected by the tax office. ``reason`` (optional) is written to the claim's
        ``reason``; without one, the chatter records the rejection."""
        self._sbk_check_state(("filed", "approved"), self.env._("rejected"))
        if reason:
            self.write({"reason": reason})
        # Rejected before the receivable is reversed: the reversal reconciles the receivable,
        # which is not a receipt.
        self._sbk_write_by_action({"state": "rejected"})
        for claim in self.filtered(lambda c: not c.reason):
            claim.message_post(body=self.env._("Rejected by the tax office (no reason entered)."))
        for claim in self.filtered("approval_move_id"):
            claim.approval_move_id._reverse_moves(cancel=True)
        return True

    # -- optional accounting ---------------------------------------------------------------

    def _sbk_rebate_accounts(self):
        company = self.company_id
        return (
            company.sbk_rebate_journal_id,
            company.sbk_rebate_receivable_account_id,
            company.sbk_rebate_income_account_id,
        )

    def _sbk_post_approval(self):
        """Rebate receivable against rebate income, at the approved amount."""
        self.ensure_one()
        journal, receivable, income = self._sbk_rebate_accounts()
        if not (journal and receivable and income):
            return
        move = self._sbk_post_entry(
            journal, self.date_approved, receivable, income, self.amount_approved
        )
        self.approval_move_id = move

    def _sbk_post_receipt(self):
        """Cash against the receivable; what was approved and not received goes back out of
        income."""
        self.ensure_one()
        journal, receivable, income = self._sbk_rebate_accounts()
        if not (journal and receivable and income and self.approval_move_id):
            return
        # With a bank statement line, the bank side is the statement's: its suspense account is
        # what the receipt clears. Without one, the company's bank account.
        if self.statement_line_id:
            bank = self.statement_line_id.journal_id.suspense_account_id
        else:
            bank = (
                self.env["account.journal"]
                .search([("type", "=", "bank"), ("company_id", "=", self.company_id.id)], limit=1)
                .default_account_id
            )
        if not bank:
            raise UserError(
                self.env._("Select the bank statement line the rebate arrived on to post it.")
            )
        lines = [
            (bank, self.amount_received),
            (income, self.amount_approved - self.amount_received),
            (receivable, -self.amount_approved),
        ]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": self.date_received,
                "ref": self.name,
                "line_ids": [
                    Command.create(
                        {
                            "name": self.name,
                            "account_id": account.id,
                            "debit": max(amount, 0.0),
                            "credit": max(-amount, 0.0),
                        }
                    )
                    for account, amount in lines
                    if not self.currency_id.is_zero(amount)
                ],
            }
        )
        move.action_post()
        self.receipt_move_id = move
        # The receipt clears the approval's receivable: reconciled, so that it is no open item.
        if receivable.reconcile:
            (self._sbk_get_receivable_line() | move.line_ids).filtered(
                lambda ml: ml.account_id == receivable and not ml.reconciled
            ).reconcile()

    def _sbk_get_receivable_line(self):
        self.ensure_one()
        receivable = self.company_id.sbk_rebate_receivable_account_id
        return self.approval_move_id.line_ids.filtered(
            lambda ml: ml.account_id == receivable and ml.debit
        )[:1]

    def _sbk_sync_receipt(self):
        """Follow the reconciliation of the approval's receivable (a bank statement line or a
        payment reconciled with it the standard way): what it clears is received; fully
        cleared, the claim is received, on the date of the last payment, linked to it; a
        reconciliation undone brings it back to approved. Claims received by hand (with their
        own receipt entry) are left alone."""
        for claim in self:
            if claim.state not in ("approved", "received") or claim.receipt_move_id:
                continue
            line = claim._sbk_get_receivable_line()
            if not line or claim.approval_move_id.reversal_move_ids:
                continue
            currency = claim.currency_id
            received = currency.round(line.balance - line.amount_residual)
            counterparts = (line.matched_credit_ids.credit_move_id).sorted(
                lambda ml: (ml.date, ml.id)
            )
            cleared = line.reconciled or currency.is_zero(line.amount_residual)
            claim.line_ids._sbk_share("amount_received", received)
            vals = {
                "amount_received": received,
                "statement_line_id": counterparts.move_id.statement_line_id[-1:].id,
                "payment_id": counterparts.move_id.origin_payment_id[-1:].id,
            }
            if cleared and claim.state == "approved":
                vals.update(state="received", date_received=counterparts[-1:].date)
            elif not cleared and claim.state == "received":
                vals.update(state="approved", date_received=False)
            claim.write(vals)

    def _sbk_post_entry(self, journal, date, debit_account, credit_account, amount):
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date,
                "ref": self.name,
                "line_ids": [
                    Command.create(
                        {"name": self.name, "account_id": debit_account.id, "debit": amount}
                    ),
                    Command.create(
                        {"name": self.name, "account_id": credit_account.id, "credit": amount}
                    ),
                ],
            }
        )
        move.action_post()
        return move


class SbkRebateClaimLine(models.Model):
    """The rebate of one order's goods of one HS code on one declaration.

    The claim's own: built by its "Compute Lines" and its answers shared onto them by its
    actions (``_sbk_share``), as the order's rebate rests on them. A caller (a user over the
    ORM or XML-RPC) can read them only: their fields are refused on ``create`` and ``write``
    (``sbk.action.state.mixin``) and they are deleted with their draft claim or by its
    recompute only."""

    _name = "sbk.rebate.claim.line"
    _description = "Export Tax Rebate Claim Line"
    _inherit = ["sbk.action.state.mixin"]
    _order = "claim_id, id"
    _sbk_action_fields = (
        "claim_id",
        "declaration_id",
        "sale_order_id",
        "hs_code_id",
        "amount_fob",
        "rebate_rate",
        "amount_expected",
        "amount_approved",
        "amount_received",
    )

    claim_id = fields.Many2one("sbk.rebate.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    state = fields.Selection(related="claim_id.state", store=True, index=True)
    declaration_id = fields.Many2one("sbk.customs.declaration")
    export_date = fields.Date(related="declaration_id.date", store=True)
    sale_order_id = fields.Many2one("sale.order", string="Order", required=True, index=True)
    partner_id = fields.Many2one(
        related="sale_order_id.partner_id", string="Customer", store=True, index=True
    )
    hs_code_id = fields.Many2one("sbk.hs.code", string="HS Code")
    amount_fob = fields.Monetary(
        string="Declared FOB", help="Declared FOB value at the export date's exchange rate."
    )
    rebate_rate = fields.Float(string="Rebate Rate (%)", digits=(5, 2))
    amount_expected = fields.Monetary(string="Expected Rebate")
    amount_approved = fields.Monetary(string="Approved")
    amount_received = fields.Monetary(string="Received")
    amount_outstanding = fields.Monetary(
        string="Outstanding",
        compute="_compute_amount_outstanding",
        store=True,
        help="Still to receive: the approved amount once approved, else the expected one.",
    )
    age_days = fields.Integer(related="claim_id.age_days")

    @api.depends("state", "amount_expected", "amount_approved", "amount_received")
    def _compute_amount_outstanding(self):
        for line in self:
            if line.state in ("received", "rejected"):
                line.amount_outstanding = 0.0
            elif line.state == "approved":
                # Part may have arrived already (a bank line reconciled with the receivable).
                line.amount_outstanding = line.amount_approved - line.amount_received
            else:
                line.amount_outstanding = line.amount_expected

    def _sbk_share(self, field_name, amount):
        """Share a claim's amount among its lines by expected rebate, exact to the cent."""
        if not self:
            return
        weights = {line.id: line.amount_expected for line in self}
        if not any(weights.values()):
            weights = {line.id: line.amount_fob or 1.0 for line in self}
        shares = allocate(amount, weights, self.currency_id[:1].decimal_places or 2)
        for line in self:
            line._sbk_write_by_action({field_name: shares[line.id]})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_by_claim(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Rebate claim lines are deleted with their draft claim or by its Compute "
                    "Lines only."
                )
            )
