from odoo import Command, api, fields, models
from odoo.addons.sbk_landed_cost.models.sbk_order_cost import ALLOCATION_BASES, BILL_DIMENSIONS
from odoo.exceptions import AccessError, UserError, ValidationError

COST_FIELDS = ("sbk_sale_order_ids", "sbk_cost_dimension", "sbk_allocation_basis")
# Naming the orders needs reading them: salespeople and accounting. Other employees file
# their expenses as before and never see these fields.
ORDER_GROUPS = "sales_team.group_sale_salesman,account.group_account_invoice"


def _named_order_ids(value):
    """The ids of the orders a value of ``sbk_sale_order_ids`` (commands, ids or records)
    names; orders it creates are the writer's own."""
    if isinstance(value, models.BaseModel):
        return set(value.ids)
    ids = set()
    for command in value or ():
        if isinstance(command, int):
            ids.add(command)
        elif not isinstance(command, (list, tuple)):
            continue
        elif command[0] == Command.SET:
            ids.update(command[2])
        elif command[0] in (Command.LINK, Command.UPDATE):
            ids.add(command[1])
    return ids


class HrExpense(models.Model):
    _inherit = "hr.expense"

    sbk_sale_order_ids = fields.Many2many(
        "sale.order",
        "sbk_hr_expense_sale_order_rel",
        "expense_id",
        "sale_order_id",
        string="Cost for Orders",
        copy=True,
        check_company=True,
        groups=ORDER_GROUPS,
        help="The orders this expense is a cost of: once the expense report is posted, its "
        "journal item feeds their landed cost like a vendor bill line; an expense for several "
        "orders is split by the allocation basis.",
    )
    sbk_cost_dimension = fields.Selection(
        BILL_DIMENSIONS,
        string="Cost Dimension",
        compute="_compute_sbk_cost_dimension",
        store=True,
        readonly=False,
        copy=True,
        groups=ORDER_GROUPS,
        help="Landed cost dimension of this expense for the orders it names; defaults from the "
        "expense category.",
    )
    sbk_allocation_basis = fields.Selection(
        ALLOCATION_BASES,
        string="Allocation Basis",
        compute="_compute_sbk_allocation_basis",
        store=True,
        readonly=False,
        copy=True,
        groups=ORDER_GROUPS,
        help="How the expense is split among its orders.",
    )

    @api.depends("product_id")
    def _compute_sbk_cost_dimension(self):
        for expense in self:
            expense.sbk_cost_dimension = expense.product_id.product_tmpl_id.sbk_cost_dimension

    @api.depends("product_id")
    def _compute_sbk_allocation_basis(self):
        for expense in self:
            template = expense.product_id.product_tmpl_id
            expense.sbk_allocation_basis = template._sbk_get_allocation_basis(
                expense.sbk_allocation_basis
            )

    @api.constrains("sbk_sale_order_ids", "sbk_cost_dimension")
    def _check_sbk_cost_dimension(self):
        for expense in self.sudo():
            if expense.sbk_sale_order_ids and not expense.sbk_cost_dimension:
                raise ValidationError(
                    self.env._(
                        "Expense %(expense)s names the orders %(orders)s but no cost dimension: "
                        "choose what it is for them (e.g. domestic freight) or remove the orders.",
                        expense=expense.name,
                        orders=", ".join(expense.sbk_sale_order_ids.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        default = self.env.context.get("default_sbk_sale_order_ids")
        self._sbk_check_orders_readable(
            _named_order_ids(
                vals["sbk_sale_order_ids"] if "sbk_sale_order_ids" in vals else default
            )
            for vals in vals_list
        )
        return super().create(vals_list)

    def write(self, vals):
        if not any(name in vals for name in COST_FIELDS):
            return super().write(vals)
        # As Odoo guards the analytic distribution: the orders of an expense whose report is
        # posted are changed on its journal item (or by resetting the report), not here.
        if any(not expense.is_editable for expense in self):
            raise UserError(
                self.env._(
                    "The orders of an approved or posted expense cannot change here: reset the "
                    "expense report to draft, or tag its journal item."
                )
            )
        if "sbk_sale_order_ids" in vals:
            named = _named_order_ids(vals["sbk_sale_order_ids"])
            # Superuser: the orders already named stay named, even those the writer's rules
            # hide (a colleague's); only what this write adds must be readable by the writer.
            self._sbk_check_orders_readable(
                named - set(expense.sbk_sale_order_ids.ids) for expense in self.sudo()
            )
        result = super().write(vals)
        self._sbk_sync_journal_items()
        return result

    def _sbk_check_orders_readable(self, order_ids_per_expense):
        """Refuse to name on an expense orders its writer may not read (another salesperson's,
        another company's): their costs would reach orders the writer cannot open. Checked
        before the write, so that no later message (company check, constraint) names them."""
        if self.env.su:
            return
        order_ids = set().union(*order_ids_per_expense)
        if not order_ids:
            return
        orders = self.env["sale.order"].browse(order_ids)
        hidden = orders - orders._filtered_access("read")
        if hidden:
            raise AccessError(
                self.env._(
                    "You are not allowed to read %s of the orders named on the expense: name "
                    "only orders you can open, or ask their salesperson to add them.",
                    len(hidden),
                )
            )

    def _sbk_prepare_cost_line_vals(self):
        """The landed-cost tags of this expense for its journal item; empty when the expense
        names no order."""
        self.ensure_one()
        # Superuser: the report's approver or accountant creating the entry may not be in the
        # groups that read the tags; they are the expense's own data.
        expense = self.sudo()
        if not expense.sbk_sale_order_ids:
            return {}
        return {
            "sbk_cost_dimension": expense.sbk_cost_dimension,
            "sbk_sale_order_ids": [Command.set(expense.sbk_sale_order_ids.ids)],
            "sbk_allocation_basis": expense.sbk_allocation_basis or "value",
        }

    def _sbk_sync_journal_items(self):
        """Bring the tags of the expenses' draft journal items (an approved report's entry not
        posted yet) to the expenses'."""
        # Superuser: an approver edits the expense; the entry belongs to accounting.
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search([("expense_id", "in", self.ids), ("parent_state", "=", "draft")])
        )
        for expense in self:
            expense_lines = lines.filtered(lambda line, e=expense: line.expense_id == e)
            if expense_lines:
                expense_lines.write(
                    expense._sbk_prepare_cost_line_vals()
                    or {"sbk_sale_order_ids": [Command.clear()]}
                )

    # -- journal entries -------------------------------------------------------------------

    def _prepare_move_lines_vals(self):
        # The journal item of an expense paid by the employee (the report's vendor bill).
        vals = super()._prepare_move_lines_vals()
        vals.update(self._sbk_prepare_cost_line_vals())
        return vals

    def _prepare_payments_vals(self):
        # An expense paid by the company: its entry is the payment's; the expense's own lines
        # (not the taxes, not the outstanding payment) carry the tags.
        move_vals, payment_vals = super()._prepare_payments_vals()
        cost_vals = self._sbk_prepare_cost_line_vals()
        if cost_vals:
            for command in move_vals["line_ids"]:
                line_vals = command[2]
                if line_vals.get("expense_id") == self.id:
                    line_vals.update(cost_vals)
        return move_vals, payment_vals
