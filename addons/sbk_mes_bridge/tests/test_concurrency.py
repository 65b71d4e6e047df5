# The race needs committed transactions on separate connections: committing is the point.
# pylint: disable=invalid-commit
import threading
import uuid

from psycopg2 import errors

from odoo import Command, fields
from odoo.addons.sbk_trade.tests.concurrency import ConnectionsMixin
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestReportConcurrency(ConnectionsMixin, TransactionCase):
    """Two MES clients report on one MO at the same time, on connections of their own.

    The MO lives in committed transactions (the test's own cannot be seen from other
    connections); it is cancelled at the end.
    """

    def _setup_committed(self):
        (env,) = self._connections(1)
        product = env["product.product"].create(
            {"name": f"Race Light {uuid.uuid4().hex[:6]}", "is_storable": True}
        )
        production = env["mrp.production"].create({"product_id": product.id, "product_qty": 100})
        production.action_confirm()
        # Not the outbox's business here: no message for other tests' deliveries to pick up.
        production.sbk_mes_message_ids.sudo().unlink()
        production.sbk_mes_state = "sent"
        group = env.ref("sbk_mes_bridge.group_sbk_mes_integration")
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Race MES",
                    "login": f"race_mes_{uuid.uuid4().hex[:8]}",
                    "groups_id": [Command.set(group.ids)],
                }
            )
        )
        env.cr.commit()
        self.addCleanup(self._cleanup, production.id)
        # Now: these transactions are committed, outside the tests' wide clock window. One
        # moment per test, so that a repeated report is the same content.
        self.timestamp = fields.Datetime.now().isoformat() + "Z"
        return production.id, production.name, user.id

    def _cleanup(self, production_id):
        (env,) = self._connections(1)
        production = env["mrp.production"].browse(production_id)
        production.sbk_mes_state = "none"
        production.action_cancel()
        env.cr.commit()

    def _report(self, env, job_id, message_id, qty):
        return env["sbk.mes.bridge"].report_progress(
            {
                "message_id": message_id,
                "job_id": job_id,
                "event": "progress",
                "qty_done": qty,
                "timestamp": self.timestamp,
            }
        )

    def _race(self, uid, first, second):
        """``second`` starts while ``first`` holds the MO, and waits for it."""
        env_first, env_second = self._connections(2, uid)
        first_applied, second_started = threading.Event(), threading.Event()
        outcome = {}

        def run_first():
            outcome["first"] = first(env_first)["status"]
            first_applied.set()
            second_started.wait(30)
            # Keep the transaction (and the row lock) while the other one reports.
            threading.Event().wait(1.0)
            env_first.cr.commit()

        def run_second():
            first_applied.wait(30)
            env_second.cr.execute("SELECT 1")  # its snapshot starts before the commit
            second_started.set()
            try:
                outcome["second"] = second(env_second)["status"]
                env_second.cr.commit()
            except errors.SerializationFailure:
                env_second.cr.rollback()
                outcome["second"] = "serialization failure"

        threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        return outcome

    def _qty_producing(self, production_id):
        (env,) = self._connections(1)
        return env["mrp.production"].browse(production_id).qty_producing

    def test_two_reports_on_one_mo_never_count_on_stale_quantities(self):
        production_id, job_id, uid = self._setup_committed()
        first_id, second_id = f"race-a-{uuid.uuid4()}", f"race-b-{uuid.uuid4()}"
        outcome = self._race(
            uid,
            lambda env: self._report(env, job_id, first_id, 30),
            lambda env: self._report(env, job_id, second_id, 40),
        )
        self.assertEqual(outcome, {"first": "applied", "second": "serialization failure"})
        # Odoo's RPC layer retries a call that failed to serialise: the retry counts on 30.
        (env,) = self._connections(1, uid)
        self.assertEqual(self._report(env, job_id, second_id, 40)["qty_produced"], 70.0)
        env.cr.commit()
        self.assertEqual(self._qty_producing(production_id), 70.0)

    def test_the_same_message_twice_at_once_is_applied_once(self):
        production_id, job_id, uid = self._setup_committed()
        message_id = f"race-same-{uuid.uuid4()}"
        outcome = self._race(
            uid,
            lambda env: self._report(env, job_id, message_id, 30),
            lambda env: self._report(env, job_id, message_id, 30),
        )
        self.assertEqual(outcome, {"first": "applied", "second": "serialization failure"})
        (env,) = self._connections(1, uid)
        self.assertEqual(self._report(env, job_id, message_id, 30)["status"], "duplicate")
        env.cr.commit()
        self.assertEqual(self._qty_producing(production_id), 30.0)
