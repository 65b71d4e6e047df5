from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _sbk_get_cost_sources(self):
        # An expense's journal item: the order's cost sheet names the expense.
        sources = super()._sbk_get_cost_sources()
        self.fetch(["expense_id"])  # only this column, for thousands of items at once
        for line in self.filtered("expense_id"):
            sources[line.id] = f"hr.expense,{line.expense_id.id}"
        return sources
