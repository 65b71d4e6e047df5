from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sbk_export_lock_ids = fields.One2many(
        "sbk.export.lock", "sale_order_id", string="Export Locks", copy=False
    )
    sbk_export_lock_count = fields.Integer(compute="_compute_sbk_export_lock_count")

    @api.depends("sbk_export_lock_ids")
    def _compute_sbk_export_lock_count(self):
        for order in self:
            order.sbk_export_lock_count = len(order.sbk_export_lock_ids)

    def action_confirm(self):
        result = super().action_confirm()
        self.filtered(lambda o: o.sbk_trade_type == "export")._sbk_lock_stock()
        return result

    def _sbk_lock_stock(self):
        """Create the export locks of the orders' lines and take what free stock allows."""
        values = []
        for order in self:
            existing = order.sbk_export_lock_ids.filtered(lambda lk: lk.state == "active")
            for line in order.order_line.filtered(lambda ln: ln.product_id.is_storable):
                if line in existing.sale_line_id:
                    continue
                values.append(order._sbk_prepare_export_lock_vals(line))
        # Locks are the order's own bookkeeping: a salesperson confirming the contract needs
        # no rights on them.
        locks = self.env["sbk.export.lock"].sudo().create(values)
        (locks | self.sbk_export_lock_ids.sudo())._fill()

    def _sbk_prepare_export_lock_vals(self, line):
        self.ensure_one()
        return {
            "sale_order_id": self.id,
            "sale_line_id": line.id,
            "product_id": line.product_id.id,
            "location_id": self.warehouse_id.lot_stock_id.id,
            "required_qty": line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            ),
        }

    def _action_cancel(self):
        result = super()._action_cancel()
        self.sbk_export_lock_ids.sudo()._release(self.env._("Order cancelled"))
        return result

    @api.depends(
        "sbk_export_lock_ids.state",
        "sbk_export_lock_ids.quantity",
        "sbk_export_lock_ids.required_qty",
    )
    def _compute_sbk_milestone(self):
        # The stored milestone follows the locks as well (goods ready when they are full).
        return super()._compute_sbk_milestone()

    def _sbk_get_milestones_reached(self):
        reached = super()._sbk_get_milestones_reached()
        if self.sbk_export_lock_ids:
            locks = self.sbk_export_lock_ids.filtered(lambda lk: lk.state != "released")
            reached["reserved"] = bool(locks) and all(
                lk.quantity >= lk.required_qty - 1e-9 for lk in locks
            )
        return reached

    def action_sbk_view_export_locks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sbk_export_reservation.action_sbk_export_lock"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"search_default_filter_active": 0}
        return action
