from odoo import Command, api, models
from odoo.exceptions import UserError


class SbkCustomsDeclaration(models.Model):
    _inherit = "sbk.customs.declaration"

    @api.model_create_multi
    def create(self, vals_list):
        declarations = super().create(vals_list)
        # The export date is the declaration's: the rebate rates in force on it apply.
        declarations.sale_order_ids._sbk_update_costs()
        return declarations

    def write(self, vals):
        result = super().write(vals)
        if {"date", "state"}.intersection(vals):
            self.sale_order_ids._sbk_update_costs()
        return result

    def action_create_rebate_claim(self):
        """A draft rebate claim of these cleared declarations, with its expected lines; returns
        the claim's id."""
        if not self:
            raise UserError(self.env._("Select the cleared declarations to claim."))
        claimed = self.env["sbk.rebate.claim.line"].search(
            [("declaration_id", "in", self.ids), ("state", "!=", "rejected")], limit=1
        )
        if claimed:
            raise UserError(
                self.env._(
                    "%(declaration)s is already claimed on %(claim)s.",
                    declaration=claimed.declaration_id.display_name,
                    claim=claimed.claim_id.name,
                )
            )
        claim = self.env["sbk.rebate.claim"].create(
            {"company_id": self.company_id[:1].id, "declaration_ids": [Command.set(self.ids)]}
        )
        claim.action_compute_lines()
        return claim.id

    def action_sbk_open_rebate_claim(self):
        """Create the claim of this declaration and open it."""
        claim = self.env["sbk.rebate.claim"].browse(self.action_create_rebate_claim())
        return claim.get_formview_action()
