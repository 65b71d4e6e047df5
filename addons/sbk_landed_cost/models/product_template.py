from odoo import fields, models

from .sbk_order_cost import ALLOCATION_BASES, BILL_DIMENSIONS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sbk_cost_dimension = fields.Selection(
        BILL_DIMENSIONS,
        string="Landed Cost Dimension",
        help="Bill lines of this product (e.g. an ocean freight service) are a cost of the "
        "export orders they name, on this dimension.",
    )
    sbk_allocation_basis = fields.Selection(
        ALLOCATION_BASES,
        string="Allocation Basis",
        default="value",
        help="How a bill line of this product for several orders is split among them.",
    )

    def _sbk_get_allocation_basis(self, current=False):
        """The allocation basis a cost of this product (at most one; none for a line without
        product) starts with: the product's own when it carries a cost dimension, else
        ``current`` (what the user chose) or ``value``."""
        if self.sbk_cost_dimension and self.sbk_allocation_basis:
            return self.sbk_allocation_basis
        return current or "value"
