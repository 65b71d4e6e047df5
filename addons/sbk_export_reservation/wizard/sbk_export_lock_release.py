from odoo import fields, models


class SbkExportLockRelease(models.TransientModel):
    _name = "sbk.export.lock.release"
    _description = "Release Export Locks"

    lock_ids = fields.Many2many("sbk.export.lock", string="Locks", required=True)
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        self.lock_ids.action_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
