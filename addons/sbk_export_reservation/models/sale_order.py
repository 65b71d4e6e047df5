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
        self._sbk_sync_export_locks()
        return result

    def write(self, vals):
        # A confirmed order whose trade type changes (by hand or with its customer) takes or
        # gives back its export locks.
        watched = self.browse()
        if {"sbk_trade_type", "partner_id", "company_id"} & set(vals):
            watched = self.filtered(lambda o: o.state == "sale")
        before = {order.id: order.sbk_trade_type for order in watched}
        result = super().write(vals)
        switched = watched.filtered(lambda o: o.sbk_trade_type != before[o.id])
        if switched:
            switched._sbk_sync_export_locks()
        return result

    def _sbk_lock_stock(self):
        """Create the export locks of the orders' lines and take what free stock allows."""
        self._sbk_sync_export_locks()

    def _sbk_sync_export_locks(self):
        """Make the locks of confirmed export orders follow their lines.

        A line without an active lock gets one; a raised quantity locks the extra, a lowered
        one releases the difference; a changed lot releases the lock and locks the new lot.
        A lot lock that cannot hold the line's quantity is refused. A confirmed order that is
        no longer an export order gives its locks back.
        """
        domestic = self.filtered(lambda o: o.state == "sale" and o.sbk_trade_type != "export")
        domestic.sudo().sbk_export_lock_ids._release(self.env._("No longer an export order"))
        orders = self.filtered(lambda o: o.state == "sale" and o.sbk_trade_type == "export")
        if not orders:
            return
        # Locks are the order's own bookkeeping: a salesperson confirming or changing the
        # contract needs no rights on them.
        Lock = self.env["sbk.export.lock"].sudo()
        to_fill = Lock
        values = []
        relot = self.env["sale.order.line"]
        for order in orders.sudo():
            for line in order.order_line.filtered(lambda ln: ln.product_id.is_storable):
                line_locks = order.sbk_export_lock_ids.filtered(
                    lambda lk, line=line: lk.sale_line_id == line
                )
                locks = line_locks.filtered(lambda lk: lk.state == "active")
                if locks and locks.lot_id != line.sbk_lot_id:
                    locks._release(self.env._("Lot changed on the order line"))
                    locks = Lock
                    relot |= line
                # What ended locks of the line delivered is not to lock again.
                delivered = sum((line_locks - locks).mapped("consumed_qty"))
                required = (
                    line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
                    - delivered
                )
                if locks:
                    locks._set_required_qty(required)
                    to_fill |= locks
                elif required > 0:
                    values.append(
                        dict(order._sbk_prepare_export_lock_vals(line), required_qty=required)
                    )
        new = Lock.create(values)
        if relot:
            # The delivery gives back the batch it reserved and takes the new one.
            moves = relot.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            moves._do_unreserve()
            moves._action_assign()
        (to_fill | new)._fill()
        (to_fill | new).filtered("lot_id")._check_lot_held()

    def _sbk_prepare_export_lock_vals(self, line):
        self.ensure_one()
        return {
            "sale_order_id": self.id,
            "sale_line_id": line.id,
            "product_id": line.product_id.id,
            "lot_id": line.sbk_lot_id.id,
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
