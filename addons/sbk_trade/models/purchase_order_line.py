from odoo import api, fields, models

from .planning_batch import batch_memo


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    sbk_shortage_line_id = fields.Many2one(
        "sbk.shortage.line", string="Shortage Line", index="btree_not_null", copy=False
    )
    sbk_sale_order_id = fields.Many2one(
        related="order_id.sbk_sale_order_id", string="Export Order", store=True
    )

    @api.model
    def _prepare_purchase_order_line_from_procurement(
        self,
        product_id,
        product_qty,
        product_uom,
        location_dest_id,
        name,
        origin,
        company_id,
        values,
        po,
    ):
        vals = super()._prepare_purchase_order_line_from_procurement(
            product_id,
            product_qty,
            product_uom,
            location_dest_id,
            name,
            origin,
            company_id,
            values,
            po,
        )
        if values.get("sbk_shortage_line_id"):
            vals["sbk_shortage_line_id"] = values["sbk_shortage_line_id"]
        return vals

    def _compute_analytic_distribution(self):
        # An export order's planning creates hundreds of RFQ lines at once, and Odoo searches
        # the analytic distribution models line by line. With no model in the database, the
        # search finds nothing for any line: keep each line's distribution, as Odoo would.
        memo = batch_memo()
        if memo is None:
            return super()._compute_analytic_distribution()
        if "analytic_models" not in memo:
            # Whether any model exists at all, whoever runs the planning.
            memo["analytic_models"] = bool(
                self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1)
            )
        if memo["analytic_models"]:
            return super()._compute_analytic_distribution()
        for line in self.filtered(lambda line: not line.display_type):
            line.analytic_distribution = line.analytic_distribution
        return None
