from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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
