from odoo import fields, models


class SbkOrderCost(models.Model):
    _inherit = "sbk.order.cost"

    source_ref = fields.Reference(selection_add=[("hr.expense", "Expense")])
