from odoo import api, fields, models


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
