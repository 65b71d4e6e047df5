from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sbk_rebate_method = fields.Selection(
        [
            ("exempt_refund", "Exempt-Refund (trading company)"),
            ("exempt_credit_refund", "Exempt-Credit-Refund (manufacturer)"),
        ],
        string="Export Rebate Method",
        default="exempt_refund",
        required=True,
    )
    sbk_insurance_rate = fields.Float(string="Cargo Insurance Rate (%)", digits=(6, 4), default=0.3)
    sbk_insurance_markup = fields.Float(
        string="Insurance Markup (%)",
        digits=(5, 2),
        default=10.0,
        help="The buyer is insured for the CIF value plus this markup (110 % by custom).",
    )
    sbk_bank_charge_account_id = fields.Many2one(
        "account.account",
        string="Bank Charges Account",
        check_company=True,
        help="Where the banks' charges withheld on customers' payments are booked. A payment "
        "difference written off to this account is the commission cost of the paid invoices' "
        "orders. Set by itself to the chart of accounts' bank fees account; left empty, a "
        "difference written off to any expense account is.",
    )

    sbk_rebate_journal_id = fields.Many2one(
        "account.journal",
        string="Rebate Journal",
        check_company=True,
        help="Journal of the rebate entries: with the two accounts below, an approved claim "
        "posts a receivable and its receipt clears it.",
    )
    sbk_rebate_receivable_account_id = fields.Many2one(
        "account.account",
        string="Rebate Receivable Account",
        check_company=True,
        help="Debited when a claim is approved; the rebate received is reconciled with it, so "
        "it must allow reconciliation.",
    )
    sbk_rebate_income_account_id = fields.Many2one(
        "account.account", string="Rebate Income Account", check_company=True
    )

    # The chart of accounts' bank fees account: Odoo's generic chart ("Bank Fees"), the
    # Chinese one (6603 Financial Expenses), by their template ids.
    _SBK_BANK_FEES_TEMPLATE_IDS = ("expense_finance", "l10n_cn_common_660300")

    def _sbk_get_default_bank_charge_account(self):
        """The account the company's chart books bank fees on: by its template id, else an
        expense account coded 6603 (financial expenses in Chinese charts); may be empty."""
        self.ensure_one()
        chart = self.env["account.chart.template"].with_company(self)
        for xmlid in self._SBK_BANK_FEES_TEMPLATE_IDS:
            account = chart.ref(xmlid, raise_if_not_found=False)
            if account and not account.deprecated:
                return account
        Account = self.env["account.account"].with_company(self)
        return Account.search(
            [
                *Account._check_company_domain(self),
                ("account_type", "=", "expense"),
                ("deprecated", "=", False),
                ("code", "=like", "6603%"),
            ],
            order="code",
            limit=1,
        )

    def _sbk_set_default_bank_charge_account(self):
        """Give the companies without a bank charges account their chart's (at install and when
        a chart of accounts is loaded)."""
        for company in self.filtered(lambda c: not c.sbk_bank_charge_account_id):
            account = company._sbk_get_default_bank_charge_account()
            if account:
                company.sbk_bank_charge_account_id = account

    @api.constrains("sbk_insurance_rate", "sbk_insurance_markup")
    def _check_sbk_insurance(self):
        for company in self:
            if not 0.0 <= company.sbk_insurance_rate < 100.0:
                raise ValidationError(self.env._("The insurance rate must be between 0 and 100 %."))
            if company.sbk_insurance_markup < 0.0:
                raise ValidationError(self.env._("The insurance markup cannot be negative."))

    @api.constrains("sbk_rebate_receivable_account_id")
    def _check_sbk_rebate_receivable_account(self):
        for company in self:
            company._sbk_check_rebate_receivable_account()

    def _sbk_check_rebate_receivable_account(self):
        """The rebate receivable must be reconcilable: a claim is received by reconciling the
        rebate's payment with it (see account_partial_reconcile.py)."""
        self.ensure_one()
        account = self.sbk_rebate_receivable_account_id
        if account and not account.reconcile:
            raise ValidationError(
                self.env._(
                    "The rebate receivable account %s does not allow reconciliation, so the "
                    "rebate received could never clear it: tick Allow Reconciliation on the "
                    "account or choose another one in the settings.",
                    account.display_name,
                )
            )
