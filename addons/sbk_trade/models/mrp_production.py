from odoo import fields, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    sbk_sale_order_id = fields.Many2one(
        "sale.order",
        string="Export Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The export order whose planning created this manufacturing order.",
    )
    sbk_shortage_line_id = fields.Many2one(
        "sbk.shortage.line", string="Shortage Line", index="btree_not_null", copy=False
    )
    sbk_etd = fields.Date(related="sbk_sale_order_id.sbk_etd", string="ETD")

    def _get_backorder_mo_vals(self):
        vals = super()._get_backorder_mo_vals()
        vals["sbk_sale_order_id"] = self.sbk_sale_order_id.id
        vals["sbk_shortage_line_id"] = self.sbk_shortage_line_id.id
        return vals

    def action_sbk_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sbk_sale_order_id.id,
        }
