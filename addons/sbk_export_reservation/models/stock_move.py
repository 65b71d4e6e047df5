from collections import defaultdict, namedtuple

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

#: A batch moves take more of than other orders' lot locks leave in it (on hand in the lot,
#: taken from it, held in it after the moves, the export orders holding it).
LotShortage = namedtuple("LotShortage", "warehouse product lot on_hand taken held_after holders")


class StockMove(models.Model):
    _inherit = "stock.move"

    def _sbk_lock_owner(self):
        """The export order whose locked stock this move may take (its own), if any."""
        self.ensure_one()
        # The warehouse reserves for orders its users may not be allowed to read.
        return self.sudo().sale_line_id.order_id

    def _sbk_export_lot(self):
        """The batch the export order line chose, if any (None otherwise)."""
        self.ensure_one()
        line = self.sudo().sale_line_id
        return line.sbk_lot_id if line.sbk_lot_id else None

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        """Reserve around what other orders' export locks hold.

        ``need`` is capped at the stock available in ``location_id`` minus what active locks of
        other orders hold and their deliveries have not reserved; quants of batches held by a
        lot-specific lock are not gathered at all.
        """
        warehouse = location_id.warehouse_id
        # An export line's chosen batch is the only one its delivery takes.
        lot_id = lot_id or self._sbk_export_lot()
        # sbk_skip_export_locks: Odoo's own path, for the benchmarks' baseline.
        if not warehouse or self.env.context.get("sbk_skip_export_locks"):
            return super()._update_reserved_quantity(
                need,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
        if not self._sbk_stock_has_locks(warehouse):
            return super()._update_reserved_quantity(
                need,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
        held, lots = (
            self.env["sbk.export.lock"]
            .sudo()
            ._get_held_against(self.product_id, warehouse, self._sbk_lock_owner())
        )
        if not held and not lots:
            return super()._update_reserved_quantity(
                need,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
        move = self.with_context(sbk_excluded_lot_ids=lots.ids)
        available = self._sbk_available_quantity(
            location_id, lot_id, package_id, owner_id, strict, excluded_lots=lots
        )
        reservable = max(available - held, 0.0)
        precision = self.product_id.uom_id.rounding
        if float_compare(reservable, 0.0, precision_rounding=precision) <= 0:
            return 0
        return super(StockMove, move)._update_reserved_quantity(
            min(need, reservable),
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _sbk_available_quantity(
        self, location, lot_id, package_id, owner_id, strict, excluded_lots
    ):
        """Odoo's available quantity (``stock.quant._get_available_quantity``: per batch, what
        is not reserved, negative batches counted as none) in one grouped query, without
        loading and sorting the quants; batches in ``excluded_lots`` left out."""
        Quant = self.env["stock.quant"].sudo().with_context(sbk_excluded_lot_ids=excluded_lots.ids)
        domain = Quant._get_gather_domain(
            self.product_id,
            location,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        groups = Quant._read_group(domain, ["lot_id"], ["quantity:sum", "reserved_quantity:sum"])
        free = [quantity - reserved for _lot, quantity, reserved in groups]
        if self.product_id.tracking == "none":
            return max(sum(free), 0.0)
        return sum(qty for qty in free if qty > 0)

    def _sbk_reserves_for_export(self):
        """Whether this move reserves for a confirmed export order, which locks the stock
        right after (its reservation takes the stock's exclusive lock at once: see
        ``_action_assign``)."""
        self.ensure_one()
        order = self._sbk_lock_owner()
        return order.state == "sale" and order.sbk_trade_type == "export"

    def _sbk_stock_has_locks(self, warehouse):
        """Whether active export locks hold this move's product in ``warehouse``; the stock is
        advisory-locked for the rest of the transaction as in ``_action_assign``."""
        key = (warehouse.id, self.product_id.id)
        checked = self.env.context.get("sbk_checked_stocks")
        if checked is not None and key in checked:
            return key in self.env.context["sbk_locked_stocks"]
        Lock = self.env["sbk.export.lock"].sudo()
        stock = {(warehouse, self.product_id)}
        if not Lock._stocks_with_locks(stock):
            Lock._lock_stocks(stock if self._sbk_reserves_for_export() else (), shared=stock)
            return False
        Lock._lock_stocks(stock)
        Lock._touch_stocks(stock)
        return True

    def _action_assign(self, force_qty=False):
        """Serialise the reservation with export lock-taking, once for all moves.

        Stocks that export locks hold are advisory-locked and have their product row rewritten
        (see ``sbk.export.lock._touch_stocks``): reservations of locked stock wait for each
        other and conflict. Other stocks are left to Odoo's own reservation (``SKIP LOCKED``)
        and get only a shared advisory lock: their reservations never wait for each other,
        only for a transaction taking export locks on the stock (``_fill``, under the exclusive
        lock), and once it committed, fail to serialise on the quants it rewrote (Odoo retries
        them, and the retry sees the lock). Without that wait Odoo would skip the quants the
        lock-taking still holds and reserve on a new quant, unseen by it. Lock-taking in turn
        waits for open reservations and fails to serialise on the quants they wrote. The
        moves of a confirmed export order take the exclusive lock at once, since their order
        locks the stock next (two such orders upgrading shared locks would deadlock). Locks
        are taken lowest ids first, so that multi-product assignments never deadlock.
        """
        if (
            self.env.context.get("sbk_skip_export_locks")
            or "sbk_checked_stocks" in self.env.context
        ):
            return super()._action_assign(force_qty=force_qty)
        stocks = {
            (move.location_id.warehouse_id, move.product_id)
            for move in self
            if move.location_id.warehouse_id and move.product_id.is_storable
        }
        Lock = self.env["sbk.export.lock"].sudo()
        locked = Lock._stocks_with_locks(stocks)
        with_locks = {stock for stock in stocks if (stock[0].id, stock[1].id) in locked}
        for_export = {
            (move.location_id.warehouse_id, move.product_id)
            for move in self
            if move._sbk_reserves_for_export()
        }
        Lock._lock_stocks(with_locks | (for_export & stocks), shared=stocks)
        Lock._touch_stocks(with_locks)
        moves = self.with_context(
            sbk_checked_stocks=frozenset((wh.id, product.id) for wh, product in stocks),
            sbk_locked_stocks=frozenset(locked),
        )
        return super(StockMove, moves)._action_assign(force_qty=force_qty)

    def _trigger_assign(self):
        # Stock arrived: open export locks take it before Odoo reserves waiting moves.
        arrived = self.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "internal"
        )
        if arrived:
            locks = (
                self.env["sbk.export.lock"]
                .sudo()
                .search(
                    [
                        ("state", "=", "active"),
                        ("missing_qty", ">", 0),
                        ("product_id", "in", arrived.product_id.ids),
                        ("warehouse_id", "in", arrived.location_dest_id.warehouse_id.ids),
                    ]
                )
            )
            locks._fill()
        return super()._trigger_assign()

    def _action_done(self, cancel_backorder=False):
        self._sbk_check_locked_stock_kept()
        self._sbk_check_forced_validation()
        done = super()._action_done(cancel_backorder=cancel_backorder)
        delivered = defaultdict(float)
        # Whoever validates the delivery (a warehouse user who cannot read the sale order)
        # consumes the order's locks: the locks are the order's bookkeeping.
        for move in done.sudo().filtered(
            lambda m: (
                m.state == "done"
                and m.sale_line_id.order_id.sbk_trade_type == "export"
                and m.location_id.usage == "internal"
                and m.location_dest_id.usage != "internal"
            )
        ):
            delivered[(move.sale_line_id.order_id, move.product_id)] += move.product_qty
        if delivered:
            orders = self.env["sale.order"].browse({order.id for order, _p in delivered})
            orders.sudo().sbk_export_lock_ids._consume(delivered)
        return done

    def _sbk_check_forced_validation(self):
        """Stock leaving a warehouse must leave behind what other orders' export locks hold.

        A delivery validated for more than it reserved (quantity typed on the move, or nothing
        reserved at all) makes Odoo take quants reserved for other moves: refuse it when the
        warehouse would keep less than the export locks of other orders hold.
        """
        leaving = self.filtered(
            lambda m: (
                m.product_id.is_storable
                and m.location_id.usage == "internal"
                and m.location_id.warehouse_id
                and m.location_dest_id.warehouse_id != m.location_id.warehouse_id
                and not m.is_inventory
                and not m.location_dest_id.scrap_location
            )
        )
        if not leaving:
            return
        Lock = self.env["sbk.export.lock"].sudo()
        held = defaultdict(float)
        for warehouse, product, order, remaining in Lock._read_group(
            [
                ("state", "=", "active"),
                ("product_id", "in", leaving.product_id.ids),
                ("warehouse_id", "in", leaving.location_id.warehouse_id.ids),
            ],
            ["warehouse_id", "product_id", "sale_order_id"],
            ["remaining_qty:sum"],
        ):
            held[(warehouse, product, order)] += remaining
        if not held:
            return
        leaving_qty = defaultdict(float)
        for move in leaving:
            key = (move.location_id.warehouse_id, move.product_id, move._sbk_lock_owner())
            leaving_qty[key] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        stocks = sorted(
            {(wh, product) for wh, product, _order in held}
            & {(wh, product) for wh, product, _order in leaving_qty},
            key=lambda stock: (stock[0].id, stock[1].id),
        )
        # What is on hand is read once no other transaction can change it unseen.
        Lock._lock_stocks(stocks)
        Lock._touch_stocks(stocks)
        for warehouse, product in stocks:
            orders = {o for wh, p, o in held if (wh, p) == (warehouse, product)}
            out = sum(
                q for (wh, p, _o), q in leaving_qty.items() if (wh, p) == (warehouse, product)
            )
            held_after = sum(
                max(held[(warehouse, product, o)] - leaving_qty.get((warehouse, product, o), 0), 0)
                for o in orders
            )
            on_hand = product.with_context(warehouse_id=warehouse.id).qty_available
            rounding = product.uom_id.rounding
            if float_compare(on_hand - out, held_after, precision_rounding=rounding) >= 0:
                continue
            owners = self.env["sale.order"].union(
                *(o for (wh, p, o) in leaving_qty if (wh, p) == (warehouse, product))
            )
            holders = (
                Lock.search(
                    [
                        ("state", "=", "active"),
                        ("product_id", "=", product.id),
                        ("warehouse_id", "=", warehouse.id),
                        ("remaining_qty", ">", 0),
                    ]
                ).sale_order_id
                - owners
            )
            raise UserError(
                self.env._(
                    "%(product)s: only %(free)s %(uom)s in %(warehouse)s are free of export "
                    "locks, this validation takes %(qty)s. Export orders %(orders)s hold the "
                    "rest. Deliver only what is free, or ask a Trade Manager to release the "
                    "locks.",
                    product=product.display_name,
                    free=max(on_hand - held_after, 0.0),
                    uom=product.uom_id.name,
                    warehouse=warehouse.name,
                    qty=out,
                    orders=", ".join(holders.mapped("name")),
                )
            )
        for shortage in leaving._sbk_locked_lot_shortages(stocks, by_owner=True):
            raise UserError(
                self.env._(
                    "%(product)s: only %(free)s %(uom)s of lot %(lot)s in %(warehouse)s are "
                    "free of export locks, this validation takes %(qty)s of it. Export orders "
                    "%(orders)s hold the rest of the lot. Deliver only what is free, or ask a "
                    "Trade Manager to release the locks.",
                    product=shortage.product.display_name,
                    free=max(shortage.on_hand - shortage.held_after, 0.0),
                    uom=shortage.product.uom_id.name,
                    lot=shortage.lot.name,
                    warehouse=shortage.warehouse.name,
                    qty=shortage.taken,
                    orders=", ".join(shortage.holders.mapped("name")),
                )
            )

    def _sbk_locked_lot_shortages(self, stocks, by_owner):
        """Batches these moves take more of than lot locks of other orders leave in them.

        ``stocks`` are the ``(warehouse, product)`` pairs to check (already advisory-locked).
        What the moves take from a batch is what their move lines take from it; with
        ``by_owner``, what a move takes for its own export order counts against that order's
        locks. Returns ``LotShortage`` tuples.
        """
        stocks = set(stocks)
        if not stocks:
            return []
        Lock = self.env["sbk.export.lock"].sudo()
        held = defaultdict(float)
        holders = defaultdict(lambda: self.env["sale.order"])
        for warehouse, product, lot, order, remaining in Lock._read_group(
            [
                ("state", "=", "active"),
                ("lot_id", "!=", False),
                ("product_id", "in", list({product.id for _wh, product in stocks})),
                ("warehouse_id", "in", list({warehouse.id for warehouse, _p in stocks})),
            ],
            ["warehouse_id", "product_id", "lot_id", "sale_order_id"],
            ["remaining_qty:sum"],
        ):
            if (warehouse, product) in stocks and remaining:
                held[(warehouse, product, lot, order)] += remaining
                holders[(warehouse, product, lot)] |= order
        if not held:
            return []
        taken = defaultdict(float)
        for move in self:
            warehouse = move.location_id.warehouse_id
            owner = move._sbk_lock_owner() if by_owner else self.env["sale.order"]
            for line in move.move_line_ids:
                if (warehouse, move.product_id, line.lot_id) in holders:
                    key = (warehouse, move.product_id, line.lot_id, owner)
                    taken[key] += line.quantity_product_uom
        shortages = []
        for (warehouse, product, lot), orders in holders.items():
            out_by_order = {
                order: qty
                for (wh, p, lt, order), qty in taken.items()
                if (wh, p, lt) == (warehouse, product, lot)
            }
            out = sum(out_by_order.values())
            if not out:
                continue
            held_after = sum(
                max(held[(warehouse, product, lot, order)] - out_by_order.get(order, 0.0), 0.0)
                for order in orders
            )
            on_hand = product.with_context(warehouse_id=warehouse.id, lot_id=lot.id).qty_available
            if (
                float_compare(on_hand - out, held_after, precision_rounding=product.uom_id.rounding)
                < 0
            ):
                owners = self.env["sale.order"].union(*out_by_order)
                shortages.append(
                    LotShortage(warehouse, product, lot, on_hand, out, held_after, orders - owners)
                )
        return shortages

    def _sbk_check_locked_stock_kept(self):
        """Scrap and inventory losses must not eat stock export locks hold, unless a Trade
        Manager decides so."""
        losses = self.filtered(
            lambda m: (
                m.location_id.usage == "internal"
                and m.location_id.warehouse_id
                and (m.is_inventory or m.location_dest_id.scrap_location)
                and m.location_dest_id.usage in ("inventory",)
            )
        )
        if not losses:
            return
        lost = defaultdict(float)
        for move in losses:
            lost[(move.location_id.warehouse_id, move.product_id)] += move.product_qty
        Lock = self.env["sbk.export.lock"].sudo()
        held = {
            (warehouse, product): remaining
            for warehouse, product, remaining in Lock._read_group(
                [
                    ("state", "=", "active"),
                    ("product_id", "in", losses.product_id.ids),
                    ("warehouse_id", "in", losses.location_id.warehouse_id.ids),
                ],
                ["warehouse_id", "product_id"],
                ["remaining_qty:sum"],
            )
            if remaining
        }
        stocks = sorted(set(lost) & set(held), key=lambda stock: (stock[0].id, stock[1].id))
        # Two losses on different quants of the same stock: the later one reads what the
        # earlier one left, or fails to serialise and is retried.
        Lock._lock_stocks(stocks)
        Lock._touch_stocks(stocks)
        for warehouse, product in stocks:
            locks = Lock._get_active_locks(product, warehouse)
            on_hand = product.with_context(warehouse_id=warehouse.id).qty_available
            left = on_hand - lost[(warehouse, product)]
            if (
                float_compare(
                    left, held[(warehouse, product)], precision_rounding=product.uom_id.rounding
                )
                >= 0
            ):
                continue
            if not self.env.user.has_group("sbk_trade.group_sbk_trade_manager"):
                raise UserError(
                    self.env._(
                        "This would leave %(left)s %(uom)s of %(product)s in %(warehouse)s while "
                        "export orders hold %(held)s (%(orders)s). Ask a Trade Manager to "
                        "release the locks or to validate it.",
                        left=left,
                        uom=product.uom_id.name,
                        product=product.display_name,
                        warehouse=warehouse.name,
                        held=held[(warehouse, product)],
                        orders=", ".join(locks.sale_order_id.mapped("name")),
                    )
                )
            for lock in locks:
                lock.message_post(
                    body=self.env._(
                        "%(user)s validated a loss of %(qty)s that leaves less stock than "
                        "export locks hold.",
                        user=self.env.user.name,
                        qty=lost[(warehouse, product)],
                    )
                )
        for shortage in losses._sbk_locked_lot_shortages(stocks, by_owner=False):
            if not self.env.user.has_group("sbk_trade.group_sbk_trade_manager"):
                raise UserError(
                    self.env._(
                        "This would leave %(left)s %(uom)s of lot %(lot)s of %(product)s in "
                        "%(warehouse)s while export orders hold %(held)s of it (%(orders)s). Ask "
                        "a Trade Manager to release the locks or to validate it.",
                        left=shortage.on_hand - shortage.taken,
                        uom=shortage.product.uom_id.name,
                        lot=shortage.lot.name,
                        product=shortage.product.display_name,
                        warehouse=shortage.warehouse.name,
                        held=shortage.held_after,
                        orders=", ".join(shortage.holders.mapped("name")),
                    )
                )
            locks = Lock._get_active_locks(shortage.product, shortage.warehouse)
            for lock in locks.filtered(lambda lk, lot=shortage.lot: lk.lot_id == lot):
                lock.message_post(
                    body=self.env._(
                        "%(user)s validated a loss of %(qty)s of lot %(lot)s that leaves less "
                        "than export locks hold in it.",
                        user=self.env.user.name,
                        qty=shortage.taken,
                        lot=shortage.lot.name,
                    )
                )
