from collections import defaultdict

from odoo import api, fields, models

from ..models.account_payment import NO_ORDER
from ..tools.allocation import paid_weights


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    sbk_bank_charge_allowed = fields.Boolean(
        string="Bank Charges Applicable", compute="_compute_sbk_bank_charge_allowed"
    )
    sbk_bank_charge = fields.Boolean(
        string="Bank Charges on the Orders",
        compute="_compute_sbk_bank_charge",
        store=True,
        readonly=False,
        help="The difference is the bank charges withheld on the buyer's payment: it becomes "
        "the commission cost of the paid invoices' orders, split by the invoices' paid amounts, "
        "in company currency at the payment's rate. Ticked by itself when the difference goes "
        "to the company's bank charges account (to an expense account when none is set).",
    )

    @api.depends(
        "can_edit_wizard",
        "payment_type",
        "partner_type",
        "payment_difference",
        "payment_difference_handling",
        "early_payment_discount_mode",
        "writeoff_is_exchange_account",
    )
    def _compute_sbk_bank_charge_allowed(self):
        for wizard in self:
            wizard.sbk_bank_charge_allowed = bool(
                wizard.can_edit_wizard
                and wizard.payment_type == "inbound"
                and wizard.partner_type == "customer"
                and wizard.payment_difference_handling == "reconcile"
                and not wizard.early_payment_discount_mode
                and not wizard.writeoff_is_exchange_account
                and wizard.currency_id.compare_amounts(wizard.payment_difference, 0.0) > 0
            )

    @api.depends("writeoff_account_id", "sbk_bank_charge_allowed")
    def _compute_sbk_bank_charge(self):
        for wizard in self:
            wizard.sbk_bank_charge = bool(
                wizard.sbk_bank_charge_allowed
                and wizard.writeoff_account_id
                and wizard._sbk_is_bank_charge_account(wizard.writeoff_account_id)
            )

    def _sbk_is_bank_charge_account(self, account):
        """Whether a customer's payment difference written off to ``account`` is bank charges:
        the company's bank charges account; with none set, any expense account (what a
        shortfall on a customer's transfer written off as a cost most often is)."""
        self.ensure_one()
        configured = self.company_id.sbk_bank_charge_account_id
        if configured:
            return account == configured
        return account.account_type == "expense"

    @api.onchange("payment_difference_handling")
    def _onchange_sbk_bank_charge_account(self):
        # A customer who paid less: the difference is most often the banks' charges.
        account = self.company_id.sbk_bank_charge_account_id
        if self.sbk_bank_charge_allowed and account and not self.writeoff_account_id:
            self.writeoff_account_id = account
            self.writeoff_label = self.env._("Bank Charges")

    def _create_payment_vals_from_wizard(self, batch_result):
        payment_vals = super()._create_payment_vals_from_wizard(batch_result)
        if self.sbk_bank_charge and self.sbk_bank_charge_allowed:
            weights = paid_weights(self._sbk_get_paid_invoice_parts(batch_result["lines"]))
            payments = self.env["account.payment"].with_company(self.company_id)
            payment_vals["write_off_line_vals"] = [
                split
                for vals in payment_vals["write_off_line_vals"]
                for split in payments._sbk_split_bank_charge(vals, weights)
            ]
        return payment_vals

    def _sbk_get_paid_invoice_parts(self, lines):
        """``[(paid amount, {order id: part of the invoice})]`` for the receivable ``lines``
        the payment settles in full (the difference is written off): what each invoice still
        owed, and each order's amount on the invoice (lines of no order under ``NO_ORDER``)."""
        # Superuser: the cashier registering the payment need not read the sale orders.
        invoices = lines.move_id.sudo()
        parts = {}
        for invoice in invoices:
            by_order = defaultdict(float)
            for line in invoice.invoice_line_ids:
                if line.display_type == "product":
                    order = line.sale_line_ids.order_id[:1]
                    by_order[order.id or NO_ORDER] += line.price_total
            positive = {key: part for key, part in by_order.items() if part > 0}
            parts[invoice.id] = positive or {NO_ORDER: 1.0}
        return [
            (line.amount_residual_currency, parts[line.move_id.id])
            for line in lines
            if line.currency_id.compare_amounts(line.amount_residual_currency, 0.0) > 0
        ]
