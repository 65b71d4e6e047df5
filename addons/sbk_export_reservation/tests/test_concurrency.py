# The race needs committed transactions on separate connections: committing is the point.
# pylint: disable=invalid-commit
import threading

from psycopg2 import errors

from odoo import Command
from odoo.addons.sbk_trade.tests.concurrency import ConnectionsMixin
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestLockConcurrency(ConnectionsMixin, TransactionCase):
    """Two real database connections race for the last units.

    The records live in committed transactions of their own (the test's transaction cannot be
    seen from other connections), on a product of their own so other tests are not affected.
    """

    def _setup_committed(self):
        (env,) = self._connections(1)
        company = env.company
        if not company.country_id:
            company.country_id = env.ref("base.cn")
        foreign = env.ref("base.de")
        if company.country_id == foreign:
            foreign = env.ref("base.fr")
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        product = env["product.product"].create({"name": "Race Set", "is_storable": True})
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1000)
        abroad = env["res.partner"].create({"name": "Race Buyer", "country_id": foreign.id})
        home = env["res.partner"].create(
            {"name": "Race Home Buyer", "country_id": company.country_id.id}
        )
        env.cr.commit()
        return product.id, abroad.id, home.id

    def _order(self, env, partner_id, product_id, quantity):
        order = env["sale.order"].create(
            {
                "partner_id": partner_id,
                "order_line": [
                    Command.create({"product_id": product_id, "product_uom_qty": quantity})
                ],
            }
        )
        order.action_confirm()
        return order

    def _picking(self, env, partner_id, products, quantity):
        """A confirmed, unreserved delivery of ``quantity`` of each of ``products``."""
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        customers = env.ref("stock.stock_location_customers")
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": partner_id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                    for product in products
                ],
            }
        )
        picking.action_confirm()
        picking.do_unreserve()
        return picking.id

    def _race_late_early(self, late, early, uid=None):
        """``late`` takes its snapshot first; ``early`` writes and keeps its transaction open
        while ``late`` writes on the older snapshot."""
        kwargs = {"uid": uid} if uid else {}
        outcome = self._race(
            holder=early, waiter=late, waiter_snapshot_first=True, hold=1.5, **kwargs
        )
        return {"early": outcome.get("holder"), "late": outcome.get("waiter")}

    def test_export_lock_and_domestic_reservation_never_overbook(self):
        product_id, abroad_id, home_id = self._setup_committed()
        outcome = self._race_late_early(
            late=lambda env: self._order(env, home_id, product_id, 1000),
            early=lambda env: self._order(env, abroad_id, product_id, 800).id,
        )
        self.assertEqual(outcome.get("late"), "serialization failure")
        # Odoo retries a request that failed to serialise: the retry sees the lock.
        (env,) = self._connections(1)
        domestic = self._order(env, home_id, product_id, 1000)
        env.cr.commit()
        export = env["sale.order"].browse(outcome["early"])
        locks = env["sbk.export.lock"].search([("product_id", "=", product_id)])
        self.assertEqual(sum(locks.mapped("quantity")), 800)
        self.assertEqual(sum(export.picking_ids.move_ids.mapped("quantity")), 800)
        self.assertEqual(sum(domestic.picking_ids.move_ids.mapped("quantity")), 200)

    def test_lock_taken_while_a_reservation_is_open_is_caught(self):
        product_id, abroad_id, home_id = self._setup_committed()
        outcome = self._race_late_early(
            late=lambda env: self._order(env, abroad_id, product_id, 800),
            early=lambda env: self._order(env, home_id, product_id, 300).id,
        )
        self.assertEqual(outcome.get("late"), "serialization failure")
        (env,) = self._connections(1)
        export = self._order(env, abroad_id, product_id, 800)
        env.cr.commit()
        self.assertEqual(export.sbk_export_lock_ids.quantity, 700)
        self.assertEqual(sum(export.picking_ids.move_ids.mapped("quantity")), 700)

    def test_reservations_of_a_product_without_locks_do_not_wait_for_each_other(self):
        product_id, _abroad_id, home_id = self._setup_committed()
        (env,) = self._connections(1)
        product = env["product.product"].browse(product_id)
        picking_ids = [self._picking(env, home_id, product, 100) for _i in range(2)]
        env.cr.commit()
        first, second = self._connections(2)
        first["stock.picking"].browse(picking_ids[0]).action_assign()
        # The first transaction stays open; the second must not wait for it.
        second.cr.execute("SET LOCAL lock_timeout = '300ms'")
        second["stock.picking"].browse(picking_ids[1]).action_assign()
        for env_, picking_id in zip((first, second), picking_ids, strict=True):
            self.assertEqual(env_["stock.picking"].browse(picking_id).move_ids.quantity, 100)
        second.cr.rollback()
        first.cr.rollback()

    def test_two_export_orders_never_lock_more_than_exists(self):
        product_id, abroad_id, _home_id = self._setup_committed()
        outcome = self._race_late_early(
            late=lambda env: self._order(env, abroad_id, product_id, 700),
            early=lambda env: self._order(env, abroad_id, product_id, 700).id,
        )
        self.assertEqual(outcome.get("late"), "serialization failure")
        (env,) = self._connections(1)
        self._order(env, abroad_id, product_id, 700)
        env.cr.commit()
        locks = env["sbk.export.lock"].search([("product_id", "=", product_id)])
        self.assertEqual(sorted(locks.mapped("quantity")), [300, 700])

    def _scrap(self, env, product_id, location_id, quantity):
        scrap = env["stock.scrap"].create(
            {"product_id": product_id, "scrap_qty": quantity, "location_id": location_id}
        )
        scrap.action_validate()
        return scrap.id

    def test_two_losses_on_different_quants_never_eat_locked_stock(self):
        product_id, abroad_id, _home_id = self._setup_committed()
        (env,) = self._connections(1)
        product = env["product.product"].browse(product_id)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        # The 1,000 in two bins: each loss takes from its own quant.
        bins = env["stock.location"].create(
            [
                {"name": f"Race Bin {i} {product_id}", "location_id": warehouse.lot_stock_id.id}
                for i in (1, 2)
            ]
        )
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, -1000)
        for location in bins:
            env["stock.quant"]._update_available_quantity(product, location, 500)
        export = self._order(env, abroad_id, product_id, 800)
        export.picking_ids.do_unreserve()
        user = new_test_user(
            env,
            f"race_storekeeper_{product_id}",
            groups="stock.group_stock_user",
            name="Race Storekeeper",
        )
        env.cr.commit()
        outcome = self._race_late_early(
            late=lambda env: self._scrap(env, product_id, bins[1].id, 150),
            early=lambda env: self._scrap(env, product_id, bins[0].id, 150),
            uid=user.id,
        )
        self.assertEqual(outcome.get("late"), "serialization failure")
        # Odoo retries the request: on fresh data the second loss is refused.
        (retry,) = self._connections(1, uid=user.id)
        with self.assertRaisesRegex(UserError, export.name):
            self._scrap(retry, product_id, bins[1].id, 150)
        retry.cr.rollback()
        self.assertEqual(
            product.with_env(retry).with_context(warehouse_id=warehouse.id).qty_available, 850
        )

    def test_multi_product_assignments_in_opposite_orders_never_deadlock(self):
        product_id, abroad_id, home_id = self._setup_committed()
        (env,) = self._connections(1)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        second = env["product.product"].create({"name": "Race Cup", "is_storable": True})
        env["stock.quant"]._update_available_quantity(second, warehouse.lot_stock_id, 1000)
        products = env["product.product"].browse([product_id, second.id])
        for product in products:
            self._order(env, abroad_id, product.id, 800)
        picking_ids = [
            self._picking(env, home_id, products, 150),
            self._picking(env, home_id, products[::-1], 150),
        ]
        env.cr.commit()
        envs = self._connections(2)
        barrier = threading.Barrier(2)
        outcome = {}

        def assign(env, picking_id):
            barrier.wait(30)
            for _attempt in range(5):
                try:
                    env["stock.picking"].browse(picking_id).action_assign()
                    env.cr.commit()
                    outcome[picking_id] = "committed"
                    return
                except errors.SerializationFailure:
                    # What Odoo does with a request that failed to serialise: retry it.
                    env.cr.rollback()
                    env.invalidate_all()
                except errors.DeadlockDetected:
                    env.cr.rollback()
                    outcome[picking_id] = "deadlock"
                    return

        threads = [
            threading.Thread(target=assign, args=(env_, picking_id))
            for env_, picking_id in zip(envs, picking_ids, strict=True)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual(outcome, dict.fromkeys(picking_ids, "committed"))
        (env,) = self._connections(1)
        moves = env["stock.picking"].browse(picking_ids).move_ids
        for product in products:
            # 1,000 on hand, 800 locked: the two deliveries share 200, never more.
            self.assertEqual(
                sum(
                    moves.filtered(lambda m, p=product: m.product_id.id == p.id).mapped("quantity")
                ),
                200,
            )
