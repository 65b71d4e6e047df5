from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError


class SbkMesApiKeyWizard(models.TransientModel):
    """Give the MES's technical user an API key, as Odoo's own key wizard does
    (``res.users.apikeys.description``): the key is shown once, in Odoo's "API Key Ready"
    dialog, and is never stored in clear (this wizard is deleted as the key is made); it
    expires.

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
    expiration_date = fields.Date(
        required=True,
        default=lambda self: fields.Date.today() + timedelta(days=365),
        help="The key stops working after this day: make the next one before.",
    )

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

    def _check_mes_user(self, user):
        """A key made here opens the MES's door only: its user must be the MES's technical
        user, not someone who also works in Odoo."""
        if not user.has_group("sbk_mes_bridge.group_sbk_mes_integration") or user._is_internal():
            raise UserError(
                self.env._(
                    "%s is not an MES user: a key made here is for a user of the group "
                    "MES Integration only (not an internal user). Leave the user empty to "
                    "create one.",
                    user.display_name,
                )
            )

    def action_generate(self):
        """Make the key and show it once; return Odoo's "API Key Ready" dialog, whose context
        holds the key (``context["default_key"]``) for a caller over XML-RPC."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators give the MES an API key."))
        if self.expiration_date <= fields.Date.today():
            raise UserError(self.env._("The key's expiry date must be after today."))
        user = self.user_id
        if not user:
            if not self.login:
                raise UserError(self.env._("Choose the MES user or give a login to create it."))
            user = self._create_mes_user(self.login)
        self._check_mes_user(user)
        # Keys are made by their owner (res.users.apikeys uses the current user); sudo lets
        # an administrator choose the expiry, as Odoo's wizard does for administrators.
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", self.key_name, self.expiration_date)
        )
        # As Odoo's make_key: nothing of the request stays behind.
        self.unlink()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("MES API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key, "sbk_mes_user_id": user.id},
        }
