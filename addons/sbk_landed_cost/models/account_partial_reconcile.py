from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._sbk_get_rebate_claims()._sbk_sync_receipt()
        return partials

    def unlink(self):
        claims = self._sbk_get_rebate_claims()
        result = super().unlink()
        claims._sbk_sync_receipt()
        return result

    def _sbk_get_rebate_claims(self):
        """The rebate claims whose receivable entry these reconciliations touch."""
        moves = (self.debit_move_id | self.credit_move_id).move_id
        if not moves:
            return self.env["sbk.rebate.claim"]
        # sudo: the accountant reconciling the bank need not have access to rebate claims; the
        # claims are found from the entries being reconciled, not from caller input.
        return self.env["sbk.rebate.claim"].sudo().search([("approval_move_id", "in", moves.ids)])
