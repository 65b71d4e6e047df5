from odoo import api, fields, models


class SbkShortageLine(models.Model):
    """One product of an export order's multi-level BOM explosion, netted against supply.

    Created and updated by the order's supply planning (``sale.order._sbk_plan_supply``); the
    quantities are what the plan found when it ran, so purchasing sees why each document exists.
    """

    _name = "sbk.shortage.line"
    _description = "Export Order Shortage Line"
    _order = "sale_order_id desc, level, product_id"
    _check_company_auto = True

    sale_order_id = fields.Many2one(
        "sale.order", string="Order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    product_id = fields.Many2one("product.product", required=True, index=True, check_company=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    level = fields.Integer(help="0 for the products sold, 1 for their components, and so on.")
    required_qty = fields.Float(string="Required", digits="Product Unit of Measure")
    available_qty = fields.Float(
        string="From Stock",
        digits="Product Unit of Measure",
        help="Free stock taken when planning: on hand minus reserved minus export-locked.",
    )
    incoming_qty = fields.Float(
        string="From Incoming",
        digits="Product Unit of Measure",
        help="Incoming supply not already promised to other demand.",
    )
    shortage_qty = fields.Float(string="Shortage", digits="Product Unit of Measure")
    ordered_qty = fields.Float(
        string="Planned",
        digits="Product Unit of Measure",
        help="Quantity put on purchase or manufacturing orders: the shortage rounded up to "
        "the MOQ and the vendor's minimum.",
    )
    source = fields.Selection(
        [
            ("stock", "Stock"),
            ("manufacture", "Manufacture"),
            ("purchase", "Purchase"),
            ("no_source", "No Source"),
        ],
        required=True,
        default="stock",
    )
    vendor_id = fields.Many2one("res.partner", index="btree_not_null")
    purchase_line_id = fields.Many2one("purchase.order.line", index="btree_not_null", copy=False)
    purchase_order_id = fields.Many2one(
        related="purchase_line_id.order_id", string="Purchase Order", store=True
    )
    production_ids = fields.One2many(
        "mrp.production", "sbk_shortage_line_id", string="Manufacturing Orders"
    )
    etd = fields.Date(related="sale_order_id.sbk_etd", string="ETD")

    @api.depends("sale_order_id.name", "product_id.display_name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.sale_order_id.name} / {line.product_id.display_name}"

    def _get_active_coverage(self):
        """Quantity still covered by live documents: purchase lines or manufacturing orders."""
        self.ensure_one()
        if self.source == "purchase":
            line = self.purchase_line_id
            if not line or line.state == "cancel":
                return 0.0
            return line.product_uom._compute_quantity(line.product_qty, self.product_id.uom_id)
        if self.source == "manufacture":
            productions = self.production_ids.filtered(lambda p: p.state != "cancel")
            return sum(
                p.product_uom_id._compute_quantity(p.product_qty, self.product_id.uom_id)
                for p in productions
            )
        return self.ordered_qty
