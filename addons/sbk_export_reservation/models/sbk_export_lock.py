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
    "lot_id",
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

    def _get_own_reserved(self, orders=None, products=None):
        """{(order, product): qty} reserved by the locking orders' own deliveries (or those of
        ``orders`` for ``products``)."""
        orders = self.sale_order_id if orders is None else orders
        products = self.product_id if products is None else products
        groups = self.env["stock.move"]._read_group(
            [
                ("sale_line_id.order_id", "in", orders.ids),
                ("product_id", "in", products.ids),
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

    @api.model
    def _get_held_against(self, product, warehouse, exclude_order=None):
        """What a reservation of ``product`` in ``warehouse`` must leave alone:
        ``(qty, lots)``, the quantity active locks of other orders hold and their deliveries
        have not reserved (locks of any batch), and the batches lot locks hold (not gathered at
        all). Two grouped queries, whatever the number of locks."""
        domain = [
            ("state", "=", "active"),
            ("product_id", "=", product.id),
            ("warehouse_id", "=", warehouse.id),
        ]
        if exclude_order:
            domain.append(("sale_order_id", "!=", exclude_order.id))
        groups = self._read_group(domain, ["sale_order_id", "lot_id"], ["remaining_qty:sum"])
        lots = self.env["stock.lot"].union(*(lot for _order, lot, _qty in groups if lot))
        held = defaultdict(float)
        for order, lot, quantity in groups:
            if not lot:
                held[order] += quantity
        if not held:
            return 0.0, lots
        reserved = self.browse()._get_own_reserved(self.env["sale.order"].union(*held), product)
        total = sum(
            max(qty - reserved.get((order, product), 0.0), 0.0) for order, qty in held.items()
        )
        return total, lots

    # -- taking stock ---------------------------------------------------------------------

    @api.model
    def _lock_stocks(self, stocks, shared=()):
        """Serialise the work of transactions on the same stock, without deadlocks.

        ``stocks`` are ``(warehouse, product)`` pairs. Taking, lowest ids first, one
        transaction-level advisory lock per pair means two transactions that touch several
        products in different orders wait for each other instead of deadlocking. The pairs of
        ``shared`` get a shared lock instead: transactions holding one do not wait for each
        other, only for (and before) a transaction holding the pair's exclusive lock. Advisory
        locks are SQL only, hence the SQL.
        """
        shared = {(warehouse.id, product.id) for warehouse, product in shared}
        exclusive = {(warehouse.id, product.id) for warehouse, product in stocks}
        shared -= exclusive
        calls = [
            SQL("pg_advisory_xact_lock_shared(%s, %s)", *key)
            if key in shared
            else SQL("pg_advisory_xact_lock(%s, %s)", *key)
            for key in sorted(exclusive | shared)
        ]
        if calls:
            self.env.cr.execute(SQL("SELECT %s", SQL(", ").join(calls)))

    @api.model
    def _stocks_with_locks(self, stocks):
        """The ``(warehouse id, product id)`` pairs among ``stocks`` that active locks hold."""
        stocks = {(warehouse, product) for warehouse, product in stocks}
        if not stocks:
            return set()
        groups = self._read_group(
            [
                ("state", "=", "active"),
                ("product_id", "in", list({product.id for _wh, product in stocks})),
                ("warehouse_id", "in", list({warehouse.id for warehouse, _p in stocks})),
            ],
            ["warehouse_id", "product_id"],
        )
        wanted = {(warehouse.id, product.id) for warehouse, product in stocks}
        return {(warehouse.id, product.id) for warehouse, product in groups} & wanted

    @api.model
    def _touch_stocks(self, stocks):
        """Make concurrent changes of the free stock of locked products conflict.

        ``stocks`` are ``(warehouse, product)`` pairs; call :meth:`_lock_stocks` first. Every
        transaction that takes free stock of a product export locks hold (reservations,
        lock-taking, losses, forced validations) rewrites the product's row: under REPEATABLE
        READ the later one fails to serialise when the earlier committed after it began, and
        Odoo retries it on fresh data instead of letting it take what the other already took.
        One row per product, lowest ids first, instead of every quant of the product. The ORM
        cannot take row locks, hence the SQL.
        """
        product_ids = sorted({product.id for _warehouse, product in stocks})
        if product_ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE product_product SET write_date = write_date
                     WHERE id IN (SELECT id FROM product_product WHERE id IN %s
                                   ORDER BY id FOR NO KEY UPDATE)
                    """,
                    tuple(product_ids),
                )
            )

    @api.model
    def _lock_stock_rows(self, stocks, write=False):
        """Make concurrent work on the same stock conflict instead of overbooking it.

        ``stocks`` are ``(warehouse, product)`` pairs; call :meth:`_lock_stocks` first. Under
        REPEATABLE READ, locking (or, with ``write``, rewriting) all of the product's quants in
        the warehouse fails to serialise when another transaction changed one of them since this
        one began: Odoo retries it on fresh data instead of reserving or locking what the other
        already took. Lock-taking rewrites the rows so that reservations of any quant conflict
        with it. Rows are locked product by product, lowest ids first. The ORM cannot take row
        locks, hence the SQL.
        """
        if not stocks:
            return
        self.env["stock.quant"].flush_model(["quantity", "reserved_quantity"])
        by_warehouse = defaultdict(set)
        for warehouse, product in stocks:
            by_warehouse[warehouse].add(product.id)
        conditions = SQL(" OR ").join(
            SQL(
                "(quant.product_id IN %s AND location.parent_path LIKE %s)",
                tuple(sorted(product_ids)),
                warehouse.view_location_id.parent_path + "%",
            )
            for warehouse, product_ids in sorted(by_warehouse.items(), key=lambda i: i[0].id)
        )
        select = SQL(
            """
            SELECT quant.id
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE %s
             ORDER BY quant.product_id, quant.id
               FOR NO KEY UPDATE OF quant
            """,
            conditions,
        )
        if write:
            self.env.cr.execute(
                SQL("UPDATE stock_quant SET write_date = write_date WHERE id IN (%s)", select)
            )
        else:
            self.env.cr.execute(select)

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
        stocks = sorted(by_stock, key=lambda stock: (stock[0].id, stock[1].id))
        self._lock_stocks(stocks)
        self._touch_stocks(stocks)
        # Reservations of products without locks yet do not touch the product: they conflict
        # with the quants rewritten here.
        self._lock_stock_rows(stocks, write=True)
        for warehouse, product in stocks:
            locks = by_stock[(warehouse, product)]
            for lock in locks.sorted(
                lambda lk: (lk.etd or fields.Date.to_date("9999-12-31"), lk.date_order, lk.id)
            ):
                wanted = lock.required_qty - lock.consumed_qty
                if float_compare(lock.remaining_qty, wanted, precision_digits=precision) >= 0:
                    continue
                others = self._get_active_locks(product, warehouse, lock.sale_order_id)
                held_by_others = others._get_unreserved_held().get(product, 0.0)
                stock = product.with_context(warehouse_id=warehouse.id)
                own_reserved = lock._get_own_reserved().get((lock.sale_order_id, product), 0.0)
                # What the order's delivery reserved is its own; of the free stock (which still
                # includes what this lock holds unreserved) it may hold what others do not.
                capacity = own_reserved + max(stock.free_qty - held_by_others, 0.0)
                if lock.lot_id:
                    # A batch lock also fits in its batch, beside other locks of that batch.
                    lot = lock.lot_id
                    same_lot = others.filtered(lambda o, lot=lot: o.lot_id == lot)
                    held_in_lot = same_lot._get_unreserved_held().get(product, 0.0)
                    lot_free = stock.with_context(lot_id=lot.id).free_qty
                    capacity = min(capacity, own_reserved + max(lot_free - held_in_lot, 0.0))
                target = min(wanted, capacity)
                take = target - lock.remaining_qty
                if float_compare(take, 0.0, precision_digits=precision) > 0:
                    lock.quantity += take

    def _set_required_qty(self, required):
        """The order line now needs ``required``: hold no more than that (what was delivered
        stays delivered); a lock with nothing left to hold ends."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for lock in self:
            values = {"required_qty": required, "quantity": min(lock.quantity, required)}
            if float_compare(required, lock.consumed_qty, precision_digits=precision) <= 0:
                values["quantity"] = lock.consumed_qty
                if lock.consumed_qty:
                    values["state"] = "consumed"
                else:
                    values.update(
                        state="released",
                        release_reason=self.env._("Quantity lowered on the order"),
                    )
            lock.write(values)

    def _check_lot_held(self):
        """A lot lock is refused when its batch does not hold the line's quantity."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for lock in self.filtered(lambda lk: lk.state == "active" and lk.lot_id):
            if float_compare(lock.quantity, lock.required_qty, precision_digits=precision) < 0:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s can give only %(qty)s %(uom)s of %(product)s to %(order)s, "
                        "which needs %(required)s. Choose another lot or leave it empty.",
                        lot=lock.lot_id.name,
                        qty=lock.quantity,
                        uom=lock.product_uom_id.name,
                        product=lock.product_id.display_name,
                        order=lock.sale_order_id.name,
                        required=lock.required_qty,
                    )
                )

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
