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
