import json

from odoo.tests import tagged

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestJobPayload(SbkMesCommon):
    def test_confirming_an_mo_queues_its_job_without_calling_the_mes(self):
        production = self._production(10, sbk_sale_order_id=self.order.id)
        message = production.sbk_mes_message_ids
        self.assertEqual(len(message), 1)
        self.assertRecordValues(
            message,
            [
                {
                    "method": "push_job",
                    "direction": "outgoing",
                    "state": "pending",
                    "attempts": 0,
                    "job_id": production.name,
                }
            ],
        )
        self.assertEqual(production.sbk_mes_state, "queued")
        self.assertEqual(production.sbk_mes_job_id, production.name)
        self.assertEqual(production.state, "confirmed")
        # The delivery cron is woken for right after the commit.
        cron = self.env.ref("sbk_mes_bridge.ir_cron_sbk_mes_deliver")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))

    def test_job_payload_carries_product_dates_order_operations_and_components(self):
        production = self._production(10, sbk_sale_order_id=self.order.id)
        message = production.sbk_mes_message_ids
        job = json.loads(message.payload)
        self.assertEqual(job["job_id"], production.name)
        self.assertEqual(job["idempotency_key"], message.idempotency_key)
        self.assertEqual(job["product"], "MCL18")
        self.assertEqual(job["product_name"], "MES Ceiling Light")
        self.assertEqual(job["quantity"], 10.0)
        self.assertEqual(job["uom"], production.product_uom_id.name)
        self.assertEqual(job["date_planned_start"], "2030-01-07T08:00:00Z")
        self.assertTrue(job["date_planned_finished"].endswith("Z"))
        self.assertEqual(job["sale_order"], self.order.name)
        self.assertEqual(
            [(op["sequence"], op["name"], op["workcenter"]) for op in job["operations"]],
            [(1, "Solder", "SMT Line"), (2, "Assemble", "Assembly Line")],
        )
        # 3 and 6 minutes a unit, 10 units.
        self.assertEqual([op["duration_expected_min"] for op in job["operations"]], [30.0, 60.0])
        self.assertEqual(
            sorted((c["product"], c["quantity"]) for c in job["components"]),
            [("MHS01", 10.0), ("MLM01", 20.0)],
        )

    def test_without_automatic_push_the_mo_is_sent_by_its_button(self):
        self.params.set_param("sbk_mes_bridge.auto_push", "False")
        production = self._production(5, product=self.simple)
        self.assertFalse(production.sbk_mes_message_ids)
        self.assertEqual(production.sbk_mes_state, "none")
        production.action_sbk_mes_push()
        job = json.loads(production.sbk_mes_message_ids.payload)
        self.assertEqual(job["operations"], [])
        self.assertEqual(job["sale_order"], "")
        self.assertEqual(production.sbk_mes_state, "queued")

    def test_a_draft_mo_is_not_sent(self):
        production = self._production(5, confirm=False)
        production.action_sbk_mes_push()
        self.assertFalse(production.sbk_mes_message_ids)

    def test_replan_before_delivery_updates_the_queued_job(self):
        production = self._production(10)
        message = production.sbk_mes_message_ids
        key = message.idempotency_key
        # What a planner does: change the quantity to produce with Odoo's wizard.
        self.env["change.production.qty"].create(
            {"mo_id": production.id, "product_qty": 12}
        ).change_prod_qty()
        self.assertEqual(production.sbk_mes_message_ids, message)
        job = json.loads(message.payload)
        self.assertEqual(job["quantity"], 12.0)
        self.assertEqual(job["idempotency_key"], key)

    def test_replan_after_delivery_queues_a_new_push_with_a_new_key(self):
        production = self._production(10)
        first = production.sbk_mes_message_ids
        first.write({"state": "sent", "attempts": 1})
        production.sbk_mes_state = "sent"
        production.date_start = "2030-01-08 08:00:00"
        second = production.sbk_mes_message_ids - first
        self.assertEqual(len(second), 1)
        self.assertNotEqual(second.idempotency_key, first.idempotency_key)
        self.assertEqual(json.loads(second.payload)["date_planned_start"], "2030-01-08T08:00:00Z")
        self.assertEqual(json.loads(second.payload)["job_id"], production.name)

    def test_cancelling_a_sent_mo_queues_a_cancellation_after_its_push(self):
        production = self._production(10)
        push = production.sbk_mes_message_ids
        production.action_cancel()
        cancel = production.sbk_mes_message_ids - push
        self.assertEqual(cancel.method, "cancel_job")
        self.assertEqual(json.loads(cancel.payload)["job_id"], production.name)
        self.assertEqual(production.sbk_mes_state, "cancel")
        # The cancellation waits for the push it cancels.
        self.assertEqual(
            self.env["sbk.mes.message"]._get_due_messages(None) & cancel, cancel.browse()
        )

    def test_cancelling_an_mo_never_sent_sends_nothing(self):
        self.params.set_param("sbk_mes_bridge.auto_push", "False")
        production = self._production(5)
        production.action_cancel()
        self.assertFalse(production.sbk_mes_message_ids)

    def test_get_jobs_lists_open_jobs_and_changes_since(self):
        production = self._production(10, sbk_sale_order_id=self.order.id)
        other = self._production(3, product=self.simple)
        other.action_cancel()
        jobs = self.bridge.get_jobs()
        names = [job["job_id"] for job in jobs]
        self.assertIn(production.name, names)
        self.assertNotIn(other.name, names)
        job = next(job for job in jobs if job["job_id"] == production.name)
        self.assertEqual(job["idempotency_key"], production.sbk_mes_message_ids.idempotency_key)
        self.assertEqual(job["sale_order"], self.order.name)
        self.assertEqual(job["state"], "confirmed")
        since = production.sbk_mes_job_date.isoformat() + "Z"
        changed = [job["job_id"] for job in self.bridge.get_jobs(since=since)]
        self.assertIn(other.name, changed)
        self.assertEqual(self.bridge.get_jobs(since="2999-01-01T00:00:00Z"), [])

    def test_export_order_confirmation_sends_its_mo_to_the_mes(self):
        order = self.order.copy()
        order.action_confirm()
        production = order.mrp_production_ids
        self.assertEqual(len(production), 1)
        message = production.sbk_mes_message_ids
        self.assertEqual(message.method, "push_job")
        job = json.loads(message.payload)
        self.assertEqual(job["sale_order"], order.name)
        self.assertEqual(job["quantity"], 10.0)
