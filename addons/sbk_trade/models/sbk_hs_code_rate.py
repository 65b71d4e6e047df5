from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .validation import check_rates


class SbkHsCodeRate(models.Model):
    """The VAT and export rebate rates of an HS code from a date: the rates change by decree, and
    an export takes the rates in force on its export date, so a change never rewrites past
    orders."""

    _name = "sbk.hs.code.rate"
    _description = "HS Code Rates from a Date"
    _order = "hs_code_id, date_from desc NULLS LAST, id desc"

    hs_code_id = fields.Many2one(
        "sbk.hs.code", string="HS Code", required=True, ondelete="cascade", index=True
    )
    date_from = fields.Date(
        string="In Force From",
        help="First export date the rates apply to; empty: since before any known change.",
    )
    vat_rate = fields.Float(string="VAT Rate (%)", digits=(5, 2), required=True)
    rebate_rate = fields.Float(string="Export Rebate Rate (%)", digits=(5, 2), required=True)
    note = fields.Char(help="The decree or notice that set the rates.")

    _sql_constraints = [
        (
            "hs_code_date_unique",
            "UNIQUE (hs_code_id, date_from)",
            "An HS code has one set of rates per start date.",
        )
    ]

    @api.constrains("hs_code_id", "date_from")
    def _check_one_undated(self):
        for rate in self.filtered(lambda r: not r.date_from):
            if len(rate.hs_code_id.rate_ids.filtered(lambda r: not r.date_from)) > 1:
                raise ValidationError(
                    self.env._(
                        "%s already has rates in force since before any change: give these a "
                        "start date.",
                        rate.hs_code_id.code,
                    )
                )

    @api.constrains("vat_rate", "rebate_rate")
    def _check_rates(self):
        for rate in self:
            check_rates(self.env, rate.hs_code_id.code, rate.vat_rate, rate.rebate_rate)

    @api.model_create_multi
    def create(self, vals_list):
        # The rates an HS code had before its first dated change stay in force before it.
        hs_ids = {vals.get("hs_code_id") for vals in vals_list if vals.get("date_from")}
        self.env["sbk.hs.code"].browse(hs_ids - {None, False})._sbk_keep_base_rates()
        rates = super().create(vals_list)
        rates.hs_code_id._sbk_sync_rates_in_force()
        return rates

    def write(self, vals):
        hs_codes = self.hs_code_id
        result = super().write(vals)
        (hs_codes | self.hs_code_id)._sbk_sync_rates_in_force()
        return result

    def unlink(self):
        hs_codes = self.hs_code_id
        result = super().unlink()
        hs_codes.exists()._sbk_sync_rates_in_force()
        return result
