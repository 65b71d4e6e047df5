from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sbk_shipping_buffer_days = fields.Integer(
        related="company_id.sbk_shipping_buffer_days", readonly=False
    )
