import json
import socket
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SbkMesCommon, free_port


@tagged("post_install", "-at_install")
class TestOutbox(SbkMesCommon):
    """Delivery to the reference simulator over a real loopback socket."""

    def _mes_down(self):
        # A port nobody listens on: connection refused.
        self.params.set_param("sbk_mes_bridge.url", f"http://127.0.0.1:{free_port()}/RPC2")

    def _make_due(self, messages):
        messages.write({"next_try": fields.Datetime.now() - timedelta(seconds=1)})

    def test_push_is_delivered_and_the_mes_reference_recorded(self):
        with self.mes_server() as mes:
            production = self._production(10, sbk_sale_order_id=self.order.id)
            self.assertEqual(self._deliver(), 1)
            message = production.sbk_mes_message_ids
            self.assertEqual(message.state, "sent")
            self.assertEqual(message.attempts, 1)
            self.assertEqual(production.sbk_mes_state, "sent")
            self.assertTrue(production.sbk_mes_ref.startswith("MES-"))
            self.assertEqual(production.sbk_mes_ref, message.mes_ref)
            job = mes.get_job(production.name)
            self.assertEqual(job["quantity"], 10.0)
            self.assertEqual(job["sale_order"], self.order.name)
            self.assertEqual(job["idempotency_key"], message.idempotency_key)
            self.assertEqual(len(job["operations"]), 2)

    def test_mes_down_backs_off_exponentially_then_dead(self):
        self._mes_down()
        production = self._production(10)
        message = production.sbk_mes_message_ids
        before = fields.Datetime.now()
        self._deliver()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.attempts, 1)
        self.assertTrue(message.last_error)
        # 60 s after the first failure, 120 s after the second.
        self.assertAlmostEqual((message.next_try - before).total_seconds(), 60, delta=5)
        self.assertEqual(self._deliver(), 0, "not due yet: nothing is sent")
        self._make_due(message)
        before = fields.Datetime.now()
        self._deliver()
        self.assertEqual((message.state, message.attempts), ("failed", 2))
        self.assertAlmostEqual((message.next_try - before).total_seconds(), 120, delta=5)
        self._make_due(message)
        self._deliver()
        # max_attempts is 3 in these tests.
        self.assertEqual((message.state, message.attempts), ("dead", 3))
        self.assertEqual(production.sbk_mes_state, "failed")
        self.assertTrue(
            production.activity_ids.filtered(lambda a: "MES" in (a.summary or "")),
            "someone is told the job did not reach the MES",
        )
        # The MO itself was never blocked.
        self.assertEqual(production.state, "confirmed")

    def test_mes_down_then_up_delivers_once_with_the_same_key(self):
        self._mes_down()
        production = self._production(10)
        message = production.sbk_mes_message_ids
        key = message.idempotency_key
        self._deliver()
        self.assertEqual(message.state, "failed")
        with self.mes_server() as mes:
            self._make_due(message)
            self._deliver()
            self.assertEqual(message.state, "sent")
            self.assertEqual(message.idempotency_key, key)
            self.assertEqual(mes.get_job(production.name)["idempotency_key"], key)
            self.assertEqual(len(mes.list_jobs()), 1)

    def test_resending_a_delivered_push_creates_no_second_job(self):
        """The answer was lost (timeout after the MES applied it): the retry is harmless."""
        with self.mes_server() as mes:
            production = self._production(10)
            message = production.sbk_mes_message_ids
            self._deliver()
            ref = message.mes_ref
            message.write({"state": "failed", "next_try": fields.Datetime.now()})
            self._deliver()
            self.assertEqual(message.state, "sent")
            self.assertEqual(message.mes_ref, ref)
            self.assertEqual(len(mes.list_jobs()), 1)
            self.assertEqual(mes.get_job(production.name)["revision"], 1)
            self.assertEqual(mes.stats()["counters"]["push_calls"], 2)

    def test_retry_button_sends_a_dead_message_again(self):
        self._mes_down()
        production = self._production(10)
        message = production.sbk_mes_message_ids
        message.write({"state": "dead", "attempts": 3, "next_try": False})
        with self.mes_server() as mes:
            message.action_retry()
            self.assertEqual((message.state, message.attempts), ("pending", 0))
            self._deliver()
            self.assertEqual(message.state, "sent")
            self.assertEqual(len(mes.list_jobs()), 1)
        with self.assertRaises(UserError):
            message.action_retry()

    def test_a_hanging_mes_times_out(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.addCleanup(listener.close)
        self.params.set_param(
            "sbk_mes_bridge.url", f"http://127.0.0.1:{listener.getsockname()[1]}/RPC2"
        )
        self.params.set_param("sbk_mes_bridge.timeout", "1")
        production = self._production(10)
        self._deliver()
        message = production.sbk_mes_message_ids
        self.assertEqual(message.state, "failed")
        self.assertIn("timed out", message.last_error)

    def test_mes_refusal_is_dead_at_once(self):
        with self.mes_server() as mes:
            production = self._production(10)
            self._deliver()
            mes.cancel_job(production.name, "closed in the MES")
            production.product_qty = 12  # re-plan of a job the MES has cancelled
            replan = production.sbk_mes_message_ids.filtered(lambda m: m.state == "pending")
            self._deliver()
            self.assertEqual(replan.state, "dead")
            self.assertIn("cannot be re-planned", replan.last_error)
            self.assertEqual(replan.attempts, 1)

    def test_cancel_reaches_the_mes_after_the_push(self):
        with self.mes_server() as mes:
            production = self._production(10)
            production.action_cancel()
            # One run delivers the push; the cancellation was waiting behind it.
            self._deliver()
            self._deliver()
            self.assertEqual(
                production.sbk_mes_message_ids.sorted("id").mapped("state"), ["sent", "sent"]
            )
            self.assertEqual(mes.get_job(production.name)["mes_state"], "cancel")

    def test_one_failing_message_does_not_stop_the_others(self):
        with self.mes_server() as mes:
            first = self._production(10)
            second = self._production(5, product=self.simple)
            broken = first.sbk_mes_message_ids
            broken.sudo().payload = json.dumps({"job_id": first.name})  # no key, no quantity
            self._deliver()
            self.assertEqual(broken.state, "dead")
            self.assertEqual(second.sbk_mes_message_ids.state, "sent")
            self.assertEqual([job["job_id"] for job in mes.list_jobs()], [second.name])

    def test_messages_are_committed_one_by_one_in_the_cron(self):
        with self.mes_server():
            self._production(10)
            self._production(5, product=self.simple)
            with patch.object(type(self.env["sbk.mes.message"]), "_commit_progress") as commit:
                self._deliver()
            self.assertEqual(commit.call_count, 2)

    def test_undelivered_message_without_configuration_waits(self):
        production = self._production(10)
        self._deliver()
        message = production.sbk_mes_message_ids
        self.assertEqual(message.state, "failed")
        self.assertIn("not configured", message.last_error)

    def test_credentials_and_site_from_the_settings_are_sent(self):
        with self.mes_server(auth=("odoo", "s3cret"), site="plant-1") as mes:
            self.params.set_param("sbk_mes_bridge.login", "odoo")
            self.params.set_param("sbk_mes_bridge.password", "wrong")
            self.params.set_param("sbk_mes_bridge.database", "plant-1")
            production = self._production(10)
            message = production.sbk_mes_message_ids
            self._deliver()
            self.assertEqual(message.state, "failed")
            self.assertIn("401", message.last_error)
            self.params.set_param("sbk_mes_bridge.password", "s3cret")
            self._make_due(message)
            self._deliver()
            self.assertEqual(message.state, "sent")
            self.assertEqual(len(mes.list_jobs()), 1)


@tagged("post_install", "-at_install")
class TestOutboxWakesTheCron(SbkMesCommon):
    """The outbox does not wait for the cron's poll: a new message wakes it as its transaction
    commits, a failed delivery wakes it at the retry time (#19)."""

    def _triggers(self):
        cron = self.env.ref("sbk_mes_bridge.ir_cron_sbk_mes_deliver")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)], order="call_at")

    def test_a_new_message_wakes_the_cron_at_commit(self):
        self._triggers().unlink()
        before = fields.Datetime.now()
        self._production(10)
        triggers = self._triggers()
        self.assertTrue(triggers)
        self.assertLessEqual(triggers[0].call_at, fields.Datetime.now())
        self.assertGreaterEqual(triggers[0].call_at, before - timedelta(seconds=1))
        # Due now: ir.cron notifies the cron workers after the commit (no poll to wait for).
        self.assertIn(
            type(self.env["ir.cron"])._notifydb.__name__,
            [getattr(f, "__name__", "") for f in self.env.cr.postcommit._funcs],
        )

    def test_a_failed_delivery_wakes_the_cron_at_its_retry_time(self):
        self.params.set_param("sbk_mes_bridge.url", f"http://127.0.0.1:{free_port()}/RPC2")
        production = self._production(10)
        message = production.sbk_mes_message_ids
        self._triggers().unlink()
        message._deliver(message._get_mes_client())
        self.assertEqual(message.state, "failed")
        self.assertIn(message.next_try, self._triggers().mapped("call_at"))
