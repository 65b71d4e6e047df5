from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sbk_rebate_method = fields.Selection(related="company_id.sbk_rebate_method", readonly=False)
    sbk_insurance_rate = fields.Float(related="company_id.sbk_insurance_rate", readonly=False)
    sbk_insurance_markup = fields.Float(related="company_id.sbk_insurance_markup", readonly=False)
    sbk_bank_charge_account_id = fields.Many2one(
        related="company_id.sbk_bank_charge_account_id", readonly=False
    )
    sbk_rebate_journal_id = fields.Many2one(
        related="company_id.sbk_rebate_journal_id", readonly=False
    )
    sbk_rebate_receivable_account_id = fields.Many2one(
        related="company_id.sbk_rebate_receivable_account_id", readonly=False
    )
    sbk_rebate_income_account_id = fields.Many2one(
        related="company_id.sbk_rebate_income_account_id", readonly=False
    )
