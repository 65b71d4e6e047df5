from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sbk_lot_id = fields.Many2one(
        "stock.lot",
        string="Export Lot",
        copy=False,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Export orders: lock this batch for the line. The order's delivery takes it and "
        "no other order's delivery can.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A line added to a confirmed export order locks its stock too.
        lines.order_id._sbk_sync_export_locks()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {"product_uom_qty", "product_uom", "sbk_lot_id"} & set(vals):
            self.order_id._sbk_sync_export_locks()
        return result

    def unlink(self):
        self.env["sbk.export.lock"].sudo().search(
            [("sale_line_id", "in", self.ids), ("state", "=", "active")]
        )._release(self.env._("Order line deleted"))
        return super().unlink()

    def _compute_qty_at_date(self):
        # The availability popover tells a domestic order what it can really get: stock that
        # export locks hold is not for it.
        result = super()._compute_qty_at_date()
        for line in self.filtered(
            lambda ln: (
                ln.product_id.is_storable
                and ln.order_id.sbk_trade_type != "export"
                and ln.warehouse_id
            )
        ):
            held = (
                self.env["sbk.export.lock"]
                .sudo()
                ._get_active_locks(line.product_id, line.warehouse_id)
                ._get_unreserved_held()
                .get(line.product_id, 0.0)
            )
            if held:
                line.free_qty_today = max(line.free_qty_today - held, 0.0)
                line.virtual_available_at_date = line.virtual_available_at_date - held
        return result
