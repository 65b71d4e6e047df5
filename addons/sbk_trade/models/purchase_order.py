from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    sbk_sale_order_id = fields.Many2one(
        "sale.order",
        string="Export Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The export order whose shortages this request for quotation covers.",
    )

    def action_sbk_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sbk_sale_order_id.id,
        }
