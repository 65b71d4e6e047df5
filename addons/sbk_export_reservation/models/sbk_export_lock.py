from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

# What a lock holds and for whom: written by the order, its deliveries and the release action
# (as superuser), never by a user's write.
SBK_CODE_FIELDS = (
    "sale_order_id",
    "sale_line_id",
    "product_id",
    "location_id",
    "required_qty",
    "quantity",
    "consumed_qty",
    "state",
    "release_reason",
)


class SbkExportLock(models.Model):
    """Stock held for an export order line, before any domestic reservation.

    ``quantity`` is what the lock holds (taken from free stock when the order was signed, then
    from incoming stock); part of it may already be reserved by the order's own delivery.
    Others can reserve only what no active lock holds.
    """

    _name = "sbk.export.lock"
    _description = "Export Stock Lock"
    _inherit = ["mail.thread"]
    _order = "etd, date_order, id"
    _check_company_auto = True

    sale_order_id = fields.Many2one(
        "sale.order", string="Export Order", required=True, index=True, ondelete="cascade"
    )
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", index="btree_not_null")
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    product_id = fields.Many2one("product.product", required=True, index=True, check_company=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Batch",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Hold this batch only; empty holds any stock of the product.",
    )
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        help="Stock location of the warehouse the order ships from.",
    )
    warehouse_id = fields.Many2one(related="location_id.warehouse_id", store=True)
    required_qty = fields.Float(
        string="To Lock", digits="Product Unit of Measure", help="What the order line needs."
    )
    quantity = fields.Float(string="Locked", digits="Product Unit of Measure", tracking=True)
    consumed_qty = fields.Float(string="Delivered", digits="Product Unit of Measure", tracking=True)
    remaining_qty = fields.Float(
        string="Held",
        digits="Product Unit of Measure",
        compute="_compute_remaining_qty",
        store=True,
        help="Locked and not delivered yet.",
    )
    missing_qty = fields.Float(
        string="Waiting",
        digits="Product Unit of Measure",
        compute="_compute_remaining_qty",
        store=True,
        help="Still to lock when stock arrives.",
    )
    state = fields.Selection(
        [("active", "Active"), ("consumed", "Consumed"), ("released", "Released")],
        default="active",
        required=True,
        index=True,
        tracking=True,
    )
    release_reason = fields.Text(tracking=True)
    etd = fields.Date(related="sale_order_id.sbk_etd", store=True, string="ETD")
    date_order = fields.Datetime(
        related="sale_order_id.date_order", store=True, string="Confirmation Date"
    )

    @api.depends("sale_order_id.name", "product_id.display_name")
    def _compute_display_name(self):
        for lock in self:
            lock.display_name = f"{lock.sale_order_id.name} / {lock.product_id.display_name}"

    @api.depends("quantity", "consumed_qty", "required_qty", "state")
    def _compute_remaining_qty(self):
        for lock in self:
            active = lock.state == "active"
            lock.remaining_qty = max(lock.quantity - lock.consumed_qty, 0.0) if active else 0.0
            missing = lock.required_qty - lock.quantity
            lock.missing_qty = max(missing, 0.0) if active else 0.0

    # -- written by the code alone --------------------------------------------------------

    @api.constrains("state", "release_reason")
    def _check_release_reason(self):
        for lock in self:
            if lock.state == "released" and not (lock.release_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "The export lock %s cannot be released without a reason: give it in "
                        "the Release dialog.",
                        lock.display_name,
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for lock in self.filtered("lot_id"):
            if lock.lot_id.product_id != lock.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is a batch of %(lot_product)s: the export lock on "
                        "%(product)s can only hold a batch of that product.",
                        lot=lock.lot_id.name,
                        lot_product=lock.lot_id.product_id.display_name,
                        product=lock.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Locks are taken by their order (as superuser); a user, a Trade Manager over
        # XML-RPC included, cannot make stock held out of thin air.
        if not self.env.su:
            raise UserError(
                self.env._("Export locks are taken by confirming an export order, not by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            fixed = [
                name
                for name in vals
                if name in SBK_CODE_FIELDS and self._sbk_lock_changes(name, vals[name])
            ]
            if fixed:
                raise UserError(
                    self.env._(
                        "%(fields)s of an export lock cannot be written directly: the order "
                        "and its deliveries keep them, and the Release button (with a reason) "
                        "releases a lock.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env) for name in fixed
                        ),
                    )
                )
        return super().write(vals)

    def _sbk_lock_changes(self, name, value):
        field = self._fields[name]
        return any(
            lock[name] != field.convert_to_record(field.convert_to_cache(value, lock), lock)
            for lock in self
        )

    # -- what locks hold ------------------------------------------------------------------

    @api.model
    def _get_active_locks(self, products, warehouse, exclude_order=None):
        domain = [
            ("state", "=", "active"),
            ("product_id", "in", products.ids),
            ("warehouse_id", "=", warehouse.id),
        ]
        if exclude_order:
            domain.append(("sale_order_id", "!=", exclude_order.id))
        return self.search(domain)

    def _get_own_reserved(self):
        """{(order, product): qty} reserved by the locking orders' own deliveries."""
        groups = self.env["stock.move"]._read_group(
            [
                ("sale_line_id.order_id", "in", self.sale_order_id.ids),
                ("product_id", "in", self.product_id.ids),
                ("state", "in", ("partially_available", "assigned")),
                ("location_id.usage", "=", "internal"),
            ],
            ["sale_line_id", "product_id", "product_uom"],
            ["quantity:sum"],
        )
        reserved = defaultdict(float)
        for line, product, uom, quantity in groups:
            reserved[(line.order_id, product)] += uom._compute_quantity(quantity, product.uom_id)
        return reserved

    def _get_unreserved_held(self):
        """{product: qty} these locks hold that their orders' deliveries have not reserved:
        the stock nobody else may reserve (what is reserved is out of reach anyway)."""
        if not self:
            return {}
        held = self._read_group(
            [("id", "in", self.ids)], ["sale_order_id", "product_id"], ["remaining_qty:sum"]
        )
        reserved = self._get_own_reserved()
        result = defaultdict(float)
        for order, product, quantity in held:
            result[product] += max(quantity - reserved.get((order, product), 0.0), 0.0)
        return result

    # -- taking stock ---------------------------------------------------------------------

    def _lock_stock_rows(self, products, warehouse):
        """Serialise lock-taking with any reservation of the same stock.

        Reservations write the quants they reserve; rewriting all of the product's quants in
        the warehouse here means two concurrent transactions touching the same stock conflict,
        and under REPEATABLE READ the later one fails with a serialisation error (Odoo retries
        it on fresh data) instead of locking or reserving what the other already took. The ORM
        cannot take row locks, hence the SQL.
        """
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_quant SET write_date = write_date
                 WHERE id IN (
                    SELECT quant.id
                      FROM stock_quant quant
                      JOIN stock_location location ON location.id = quant.location_id
                     WHERE quant.product_id IN %s
                       AND location.parent_path LIKE %s
                       FOR NO KEY UPDATE OF quant)
                """,
                tuple(products.ids),
                warehouse.view_location_id.parent_path + "%",
            )
        )

    def _fill(self):
        """Lock free stock for these locks, most urgent first (ETD, then confirmation date).

        Each lock may hold what its own delivery reserved plus the free stock no other order's
        lock holds, up to what its line needs. Locks only grow here.
        """
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        open_locks = self.filtered(lambda lock: lock.state == "active")
        by_stock = defaultdict(lambda: self.browse())
        for lock in open_locks:
            by_stock[(lock.warehouse_id, lock.product_id)] |= lock
        for (warehouse, product), locks in by_stock.items():
            self._lock_stock_rows(product, warehouse)
            for lock in locks.sorted(
                lambda lk: (lk.etd or fields.Date.to_date("9999-12-31"), lk.date_order, lk.id)
            ):
                wanted = lock.required_qty - lock.consumed_qty
                if float_compare(lock.remaining_qty, wanted, precision_digits=precision) >= 0:
                    continue
                others = self._get_active_locks(product, warehouse, lock.sale_order_id)
                if lock.lot_id:
                    lot = lock.lot_id
                    others = others.filtered(lambda o, lot=lot: not o.lot_id or o.lot_id == lot)
                held_by_others = others._get_unreserved_held().get(product, 0.0)
                stock = product.with_context(
                    warehouse_id=warehouse.id, lot_id=lock.lot_id.id or None
                )
                own_reserved = lock._get_own_reserved().get((lock.sale_order_id, product), 0.0)
                # What the order's delivery reserved is its own; of the free stock (which still
                # includes what this lock holds unreserved) it may hold what others do not.
                capacity = own_reserved + max(stock.free_qty - held_by_others, 0.0)
                target = min(wanted, capacity)
                take = target - lock.remaining_qty
                if float_compare(take, 0.0, precision_digits=precision) > 0:
                    lock.quantity += take

    # -- ending locks ---------------------------------------------------------------------

    def _consume(self, quantities):
        """Deliveries done: ``quantities`` is ``{(order, product): qty delivered}``."""
        for lock in self.filtered(lambda lock: lock.state == "active"):
            key = (lock.sale_order_id, lock.product_id)
            delivered = quantities.get(key, 0.0)
            if not delivered:
                continue
            take = min(delivered, lock.remaining_qty) if lock.remaining_qty else 0.0
            quantities[key] = delivered - take
            values = {"consumed_qty": lock.consumed_qty + take}
            if lock.consumed_qty + take >= lock.required_qty - 1e-9:
                values["state"] = "consumed"
            lock.write(values)

    def _release(self, reason):
        self.filtered(lambda lock: lock.state == "active").write(
            {"state": "released", "release_reason": reason}
        )

    def action_release(self, reason=None):
        """Release active locks by hand (Trade Manager only, with a reason)."""
        if not self.env.user.has_group("sbk_trade.group_sbk_trade_manager"):
            raise UserError(self.env._("Only a Trade Manager can release an export lock."))
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason for releasing the export lock."))
        active = self.filtered(lambda lock: lock.state == "active")
        if not active:
            raise UserError(self.env._("Only active export locks can be released."))
        # The checks above are the rule; the lock's status is the code's to write (write()
        # refuses it to users).
        active.sudo()._release(reason.strip())
        for lock in active:
            lock.message_post(
                body=self.env._(
                    "Lock released by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason.strip(),
                )
            )
            # The release is logged on the order too, whoever's order it is: a Trade Manager
            # may release locks of any salesperson's order.
            lock.sale_order_id.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=self.env._(
                    "Export lock on %(product)s released: %(reason)s",
                    product=lock.product_id.display_name,
                    reason=reason.strip(),
                ),
            )
        return True

    def action_open_release_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Export Lock"),
            "res_model": "sbk.export.lock.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lock_ids": self.ids},
        }
