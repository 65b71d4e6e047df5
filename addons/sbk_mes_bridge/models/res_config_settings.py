from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sbk_mes_url = fields.Char(
        string="MES URL",
        config_parameter="sbk_mes_bridge.url",
        help="The MES's XML-RPC endpoint, e.g. http://mes.local:8070/RPC2",
    )
    sbk_mes_database = fields.Char(string="MES Site", config_parameter="sbk_mes_bridge.database")
    sbk_mes_login = fields.Char(string="MES Login", config_parameter="sbk_mes_bridge.login")
    sbk_mes_password = fields.Char(
        string="MES Password or API Key", config_parameter="sbk_mes_bridge.password"
    )
    sbk_mes_timeout = fields.Integer(
        string="MES Timeout (s)", config_parameter="sbk_mes_bridge.timeout", default=10
    )
    sbk_mes_auto_push = fields.Boolean(
        string="Send MOs to the MES on Confirmation", config_parameter="sbk_mes_bridge.auto_push"
    )
    sbk_mes_max_attempts = fields.Integer(
        string="Delivery Attempts",
        config_parameter="sbk_mes_bridge.max_attempts",
        default=8,
        help="A message still undelivered after this many attempts is dead: it waits for Retry.",
    )
    sbk_mes_retry_delay = fields.Integer(
        string="First Retry After (s)",
        config_parameter="sbk_mes_bridge.retry_delay",
        default=60,
        help="Each further attempt waits twice as long, up to six hours.",
    )
    sbk_mes_tolerance = fields.Float(
        string="Over-Production Tolerance (%)",
        config_parameter="sbk_mes_bridge.tolerance",
        help="How much more than planned the MES may report on a job.",
    )

    @api.constrains(
        "sbk_mes_timeout", "sbk_mes_max_attempts", "sbk_mes_retry_delay", "sbk_mes_tolerance"
    )
    def _check_sbk_mes_settings(self):
        for settings in self:
            if settings.sbk_mes_timeout <= 0 or settings.sbk_mes_retry_delay <= 0:
                raise ValidationError(
                    self.env._("The MES timeout and retry delay must be above zero.")
                )
            if settings.sbk_mes_max_attempts < 1:
                raise ValidationError(self.env._("Allow at least one delivery attempt."))
            if settings.sbk_mes_tolerance < 0:
                raise ValidationError(self.env._("The tolerance cannot be negative."))

    def action_sbk_mes_api_key(self):
        """Open the wizard that gives the MES user an API key."""
        return self.env["sbk.mes.api.key.wizard"].action_open()
