# The race needs committed transactions on separate connections: committing is the point.
# pylint: disable=invalid-commit
import uuid

from odoo import fields
from odoo.addons.sbk_trade.tests.concurrency import ConnectionsMixin
from odoo.tests import TransactionCase, new_test_user, tagged


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
        user = new_test_user(
            env,
            f"race_mes_{uuid.uuid4().hex[:8]}",
            groups="sbk_mes_bridge.group_sbk_mes_integration",
            name="Race MES",
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

    def _race_reports(self, uid, first, second):
        """``second`` reports while ``first`` holds the MO, on a snapshot taken before
        ``first`` commits."""
        outcome = self._race(
            holder=lambda env: first(env)["status"],
            waiter=lambda env: second(env)["status"],
            uid=uid,
        )
        return {"first": outcome["holder"], "second": outcome["waiter"]}

    def _qty_producing(self, production_id):
        (env,) = self._connections(1)
        return env["mrp.production"].browse(production_id).qty_producing

    def test_two_reports_on_one_mo_never_count_on_stale_quantities(self):
        production_id, job_id, uid = self._setup_committed()
        first_id, second_id = f"race-a-{uuid.uuid4()}", f"race-b-{uuid.uuid4()}"
        outcome = self._race_reports(
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
        outcome = self._race_reports(
            uid,
            lambda env: self._report(env, job_id, message_id, 30),
            lambda env: self._report(env, job_id, message_id, 30),
        )
        self.assertEqual(outcome, {"first": "applied", "second": "serialization failure"})
        (env,) = self._connections(1, uid)
        self.assertEqual(self._report(env, job_id, message_id, 30)["status"], "duplicate")
        env.cr.commit()
        self.assertEqual(self._qty_producing(production_id), 30.0)
