from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError


class SbkMesApiKeyWizard(models.TransientModel):
    """Give the MES's technical user an API key (shown once).

    Odoo lets users make keys only for themselves, from their preferences; the MES user is not
    meant to log in to the web client, so an administrator makes its key here.
    """

    _name = "sbk.mes.api.key.wizard"
    _description = "MES API Key"

    user_id = fields.Many2one(
        "res.users",
        string="MES User",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("sbk_mes_bridge.group_sbk_mes_integration").ids)
        ],
        help="Leave empty to create the MES user with the login below.",
    )
    login = fields.Char(default="mes")
    key_name = fields.Char(string="Key Description", required=True, default="MES")
    key = fields.Char(readonly=True)

    @api.model
    def action_open(self):
        mes_group = self.env.ref("sbk_mes_bridge.group_sbk_mes_integration")
        wizard = self.create({"user_id": mes_group.users[:1].id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("MES API Key"),
        }

    @api.model
    def _create_mes_user(self, login, name=None):
        """A user that is neither internal nor portal, in the group "MES Integration" only."""
        group = self.env.ref("sbk_mes_bridge.group_sbk_mes_integration")
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name or self.env._("MES Integration"),
                    "login": login,
                    "groups_id": [Command.set(group.ids)],
                }
            )
        )

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators give the MES an API key."))
        user = self.user_id
        if not user:
            if not self.login:
                raise UserError(self.env._("Choose the MES user or give a login to create it."))
            user = self._create_mes_user(self.login)
        # Keys are made by their owner (res.users.apikeys uses the current user); sudo lets
        # the key never expire, as an integration's key must.
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", self.key_name, False)
        )
        self.write({"user_id": user.id, "key": key})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("MES API Key"),
        }
