from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.hs_code import is_valid_hs_code, normalize_hs_code
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
    vat_rate = fields.Float(string="VAT Rate (%)", digits=(5, 2), default=13.0, tracking=True)
    rebate_rate = fields.Float(string="Export Rebate Rate (%)", digits=(5, 2), tracking=True)
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
        return super().write(vals)

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
