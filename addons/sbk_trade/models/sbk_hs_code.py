from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..tools.hs_code import is_valid_hs_code, normalize_hs_code, rates_in_force
from .validation import check_rates


class SbkHsCode(models.Model):
    _name = "sbk.hs.code"
    _description = "HS Code (Customs Tariff Line)"
    _inherit = ["mail.thread"]
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(
        required=True,
        index=True,
        tracking=True,
        help="Tariff line of 8 or 10 digits; dots and spaces are accepted on input and removed.",
    )
    name = fields.Char(string="Description", required=True, translate=True, tracking=True)
    vat_rate = fields.Float(
        string="VAT Rate (%)",
        digits=(5, 2),
        default=13.0,
        tracking=True,
        help="The VAT rate in force today; changing it records a change from today in the "
        "rate history.",
    )
    rebate_rate = fields.Float(
        string="Export Rebate Rate (%)",
        digits=(5, 2),
        tracking=True,
        help="The export rebate rate in force today; changing it records a change from today "
        "in the rate history.",
    )
    rate_ids = fields.One2many(
        "sbk.hs.code.rate",
        "hs_code_id",
        string="Rate History",
        help="The rates from each date on: an export takes the rates in force on its export date.",
    )
    declaration_elements = fields.Text(
        help="Declaration elements (申报要素) required by customs for this tariff line, "
        "e.g. 品名|用途|材质|品牌|型号."
    )
    active = fields.Boolean(default=True)
    product_tmpl_ids = fields.One2many("product.template", "sbk_hs_code_id", string="Products")
    product_count = fields.Integer(compute="_compute_product_count")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "An HS code must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for hs_code in self:
            hs_code.display_name = f"{hs_code.code} {hs_code.name or ''}".strip()

    def _compute_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group(
                [("sbk_hs_code_id", "in", self.ids)], ["sbk_hs_code_id"], ["__count"]
            )
        )
        for hs_code in self:
            hs_code.product_count = counts.get(hs_code, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "code" in vals:
                vals["code"] = normalize_hs_code(vals["code"])
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals:
            vals = dict(vals, code=normalize_hs_code(vals["code"]))
        rate_fields = {"vat_rate", "rebate_rate"}.intersection(vals)
        if not rate_fields or self.env.context.get("sbk_rate_sync"):
            return super().write(vals)
        # A rate changed by hand is a change from today: the exports before it keep their rates.
        changed = self.filtered(
            lambda h: any(float_compare(h[f], vals[f], precision_digits=2) for f in rate_fields)
        )
        changed._sbk_keep_base_rates()
        result = super().write(vals)
        today = fields.Date.context_today(self)
        Rate = self.env["sbk.hs.code.rate"].with_context(sbk_rate_sync=True)
        for hs_code in changed:
            rate_vals = {"vat_rate": hs_code.vat_rate, "rebate_rate": hs_code.rebate_rate}
            current = hs_code.rate_ids.filtered(lambda r, d=today: r.date_from == d)
            if current:
                current.write(rate_vals)
            else:
                Rate.create(dict(rate_vals, hs_code_id=hs_code.id, date_from=today))
        return result

    def _sbk_keep_base_rates(self):
        """Before the first dated change of a code's rates, record its current rates as those in
        force before any change."""
        Rate = self.env["sbk.hs.code.rate"].with_context(sbk_rate_sync=True)
        for hs_code in self:
            if not hs_code.rate_ids:
                Rate.create(
                    {
                        "hs_code_id": hs_code.id,
                        "vat_rate": hs_code.vat_rate,
                        "rebate_rate": hs_code.rebate_rate,
                    }
                )

    def _sbk_get_rates(self, on_date):
        """``(vat_rate, rebate_rate)`` of this code in force on ``on_date`` (today's rates
        when it has no history)."""
        self.ensure_one()
        history = [(r.date_from or None, r.vat_rate, r.rebate_rate) for r in self.rate_ids]
        return rates_in_force(history, on_date or None, (self.vat_rate, self.rebate_rate))

    def _sbk_sync_rates_in_force(self):
        """Set ``vat_rate`` / ``rebate_rate`` to the rates of the history in force today."""
        today = fields.Date.context_today(self)
        for hs_code in self.filtered("rate_ids"):
            vat_rate, rebate_rate = hs_code._sbk_get_rates(today)
            if float_compare(hs_code.vat_rate, vat_rate, precision_digits=2) or float_compare(
                hs_code.rebate_rate, rebate_rate, precision_digits=2
            ):
                hs_code.with_context(sbk_rate_sync=True).write(
                    {"vat_rate": vat_rate, "rebate_rate": rebate_rate}
                )

    @api.model
    def _cron_sbk_sync_rates_in_force(self):
        """Daily: a change dated in the future comes into force."""
        self.search([("rate_ids", "!=", False)])._sbk_sync_rates_in_force()

    @api.model
    def _search_display_name(self, operator, value):
        # Let users type the code as printed on documents, "9405.11.90.00".
        if isinstance(value, str) and operator in ("ilike", "=ilike", "like", "=", "=like"):
            normalized = normalize_hs_code(value)
            if normalized and normalized.isdigit():
                value = normalized
        return super()._search_display_name(operator, value)

    @api.constrains("code")
    def _check_code(self):
        for hs_code in self:
            if not is_valid_hs_code(hs_code.code):
                raise ValidationError(
                    self.env._(
                        "HS code %(code)s is invalid: it must have 8 or 10 digits "
                        "(dots and spaces are ignored).",
                        code=hs_code.code,
                    )
                )

    @api.constrains("vat_rate", "rebate_rate")
    def _check_rates(self):
        for hs_code in self:
            check_rates(self.env, hs_code.code, hs_code.vat_rate, hs_code.rebate_rate)

    def action_view_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("product.product_template_action")
        action["domain"] = [("sbk_hs_code_id", "=", self.id)]
        action["context"] = {"default_sbk_hs_code_id": self.id}
        return action
