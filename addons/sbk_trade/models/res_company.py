from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sbk_shipping_buffer_days = fields.Integer(
        string="Shipping Buffer (days)",
        default=7,
        help="Days needed between the end of production and the ETD for inspection, "
        "loading and clearance.",
    )

    @api.constrains("sbk_shipping_buffer_days")
    def _check_sbk_trade_settings(self):
        for company in self:
            if company.sbk_shipping_buffer_days < 0:
                raise ValidationError(self.env._("The shipping buffer cannot be negative."))
