# The race needs committed transactions on separate connections: committing is the point.
# pylint: disable=invalid-commit
import threading

from psycopg2 import errors

from odoo import Command
from odoo.addons.sbk_trade.tests.concurrency import ConnectionsMixin
from odoo.tests import TransactionCase, tagged
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

    def _race(self, late, early):
        """``late`` takes its snapshot, ``early`` writes and commits while ``late`` writes."""
        env_late, env_early = self._connections(2)
        late_started, early_written = threading.Event(), threading.Event()
        outcome = {}

        def run_late():
            env_late.cr.execute("SELECT 1")  # the transaction's snapshot starts here
            late_started.set()
            early_written.wait(30)
            try:
                late(env_late)
                env_late.cr.commit()
                outcome["late"] = "committed"
            except errors.SerializationFailure:
                env_late.cr.rollback()
                outcome["late"] = "serialization failure"

        def run_early():
            late_started.wait(30)
            outcome["early"] = early(env_early)
            early_written.set()
            # Keep the transaction open while the other one tries to take the same stock.
            threading.Event().wait(1.5)
            env_early.cr.commit()

        threads = [threading.Thread(target=run_late), threading.Thread(target=run_early)]
        # The failed transaction's query is logged as an error: expected here.
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        return outcome

    def test_export_lock_and_domestic_reservation_never_overbook(self):
        product_id, abroad_id, home_id = self._setup_committed()
        outcome = self._race(
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

    def test_two_export_orders_never_lock_more_than_exists(self):
        product_id, abroad_id, _home_id = self._setup_committed()
        outcome = self._race(
            late=lambda env: self._order(env, abroad_id, product_id, 700),
            early=lambda env: self._order(env, abroad_id, product_id, 700).id,
        )
        self.assertEqual(outcome.get("late"), "serialization failure")
        (env,) = self._connections(1)
        self._order(env, abroad_id, product_id, 700)
        env.cr.commit()
        locks = env["sbk.export.lock"].search([("product_id", "=", product_id)])
        self.assertEqual(sorted(locks.mapped("quantity")), [300, 700])
