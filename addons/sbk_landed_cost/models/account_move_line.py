from odoo import api, fields, models

from .sbk_order_cost import ALLOCATION_BASES, BILL_DIMENSIONS

COST_FIELDS = ("sbk_cost_dimension", "sbk_sale_order_ids", "sbk_allocation_basis")
# Lines that are not a cost of their own: the payable, taxes (input VAT is recovered or is
# the VAT borne, computed apart), sections and notes, the cost of goods sold (procurement is
# taken from the goods' valuation).
NON_COST_DISPLAY_TYPES = ("payment_term", "tax", "line_section", "line_note", "epd", "cogs")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sbk_cost_dimension = fields.Selection(
        BILL_DIMENSIONS,
        string="Cost Dimension",
        compute="_compute_sbk_cost_dimension",
        store=True,
        readonly=False,
        copy=True,
        index="btree_not_null",
        help="Landed cost dimension of this line for the orders it names; defaults from the "
        "product.",
    )
    sbk_sale_order_ids = fields.Many2many(
        "sale.order",
        "sbk_account_move_line_sale_order_rel",
        "move_line_id",
        "sale_order_id",
        string="Cost for Orders",
        copy=True,
        check_company=True,
        help="The orders this cost is for; a cost for several orders is split by the "
        "allocation basis.",
    )
    sbk_allocation_basis = fields.Selection(
        ALLOCATION_BASES,
        string="Allocation Basis",
        compute="_compute_sbk_allocation_basis",
        store=True,
        readonly=False,
        copy=True,
    )

    @api.depends("product_id", "display_type")
    def _compute_sbk_cost_dimension(self):
        for line in self:
            template = line.product_id.product_tmpl_id
            if line.display_type in NON_COST_DISPLAY_TYPES:
                line.sbk_cost_dimension = False
            elif template.sbk_cost_dimension:
                line.sbk_cost_dimension = template.sbk_cost_dimension
            elif template:
                # Another product: the previous product's default no longer applies.
                line.sbk_cost_dimension = False
            else:
                # No product (a bank charge, a manual entry): what the user tagged stays.
                line.sbk_cost_dimension = line.sbk_cost_dimension or False

    @api.depends("product_id")
    def _compute_sbk_allocation_basis(self):
        for line in self:
            line.sbk_allocation_basis = line.product_id.product_tmpl_id._sbk_get_allocation_basis(
                line.sbk_allocation_basis
            )

    def _sbk_cost_orders(self):
        """The orders named on the posted cost lines among ``self``."""
        lines = self.filtered(
            lambda line: (
                line.sbk_cost_dimension
                and line.parent_state == "posted"
                and line.display_type not in NON_COST_DISPLAY_TYPES
            )
        )
        return lines.sbk_sale_order_ids

    def _sbk_get_cost_sources(self):
        """{line id: reference of the document each cost line comes from}, for the order's cost
        sheet: the payment for the items of a payment's entry (the bank charges withheld on
        it), the journal entry otherwise. Bridges override it for their documents."""
        # Only the column needed: the recompute reads thousands of items at once.
        self.move_id.fetch(["origin_payment_id"])
        return {
            line.id: (
                f"account.payment,{line.move_id.origin_payment_id.id}"
                if line.move_id.origin_payment_id
                else f"account.move,{line.move_id.id}"
            )
            for line in self
        }

    def write(self, vals):
        if not any(name in vals for name in COST_FIELDS):
            return super().write(vals)
        before = self._sbk_cost_orders()
        result = super().write(vals)
        orders = before | self._sbk_cost_orders()
        orders._sbk_update_costs(sharing=orders.browse())
        return result
