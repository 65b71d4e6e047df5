from odoo import fields
from odoo.tests import tagged

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestMesEvents(SbkMesCommon):
    """Each kind of MES report, applied by the MES's own user."""

    def test_started_puts_the_mo_in_progress_at_the_mes_time(self):
        production = self._production(10)
        result = self._report(production, "started", timestamp="2030-01-07T09:15:00Z")
        self.assertEqual(
            result,
            {
                "status": "applied",
                "job_id": production.name,
                "state": "progress",
                "qty_produced": 0.0,
                "backorder": "",
            },
        )
        self.assertEqual(production.state, "progress")
        self.assertEqual(production.date_start, fields.Datetime.to_datetime("2030-01-07 09:15:00"))
        self.assertEqual(production.sbk_mes_state, "started")
        first_operation = production._sbk_get_operations()[0]
        self.assertEqual(first_operation.state, "progress")
        self.assertEqual(production.qty_producing, 0.0, "starting declares nothing produced")
        event = production.sbk_mes_event_ids
        self.assertEqual(event.event_type, "started")
        self.assertEqual(event.create_uid, self.mes_user)

    def test_progress_adds_each_events_own_quantity(self):
        production = self._production(10)
        self._report(production, "progress", qty_done=3, timestamp="2030-01-07T09:00:00Z")
        result = self._report(production, "progress", qty_done=2, timestamp="2030-01-07T10:00:00Z")
        self.assertEqual(result["qty_produced"], 5.0)
        self.assertEqual(production.qty_producing, 5.0)
        self.assertEqual(production.state, "progress")
        # Components are consumed when the MO is done, for what was made.
        self.assertFalse(any(production.move_raw_ids.mapped("picked")))
        self._report(production, "done", qty_done=0)
        consumed = {m.product_id: m.quantity for m in production.move_raw_ids if m.state == "done"}
        self.assertEqual(consumed, {self.module: 10.0, self.housing: 5.0})

    def test_progress_on_an_earlier_operation_counts_for_its_work_order_only(self):
        production = self._production(10)
        solder, assemble = production._sbk_get_operations()
        self._report(production, "progress", operation="Solder", qty_done=6)
        self.assertEqual(solder.qty_produced, 6.0)
        self.assertEqual(production.qty_producing, 0.0)
        self._report(production, "progress", operation=2, qty_done=4)
        self.assertEqual(assemble.qty_produced, 4.0)
        self.assertEqual(production.qty_producing, 4.0)
        self._report(production, "done", operation="Solder", qty_done=4)
        self.assertEqual(solder.state, "done")
        self.assertEqual(production.state, "progress")

    def test_progress_moves_the_expected_finish_and_the_orders_lead_time_risk(self):
        self.company.sbk_shipping_buffer_days = 7
        self.order.write({"sbk_etd": "2030-01-20"})
        production = self._production(100, sbk_sale_order_id=self.order.id)
        self.assertEqual(self.order.sbk_lead_time_risk, "none")
        self._report(production, "started", timestamp="2030-01-07T08:00:00Z")
        # 10 of 100 in a day: 9 more days, then the 7-day shipping buffer misses the ETD.
        self._report(production, "progress", qty_done=10, timestamp="2030-01-08T08:00:00Z")
        finish = fields.Datetime.to_datetime("2030-01-17 08:00:00")
        self.assertEqual(production.date_finished, finish)
        self.assertEqual(production.sbk_mes_expected_finish, finish)
        self.assertEqual(self.order.sbk_production_finish, finish)
        self.assertEqual(self.order.sbk_lead_time_risk, "at_risk")
        # The pace drops (12 in two days): the end moves past the ETD.
        self._report(production, "progress", qty_done=2, timestamp="2030-01-09T08:00:00Z")
        self.assertEqual(self.order.sbk_lead_time_risk, "late")
        # The expected finish is the MES's, not a re-plan to send back to it.
        self.assertEqual(len(production.sbk_mes_message_ids), 1)

    def test_done_with_the_full_quantity_closes_the_mo(self):
        production = self._production(10)
        self._report(production, "started")
        self._report(production, "progress", qty_done=6)
        result = self._report(production, "done", qty_done=4, timestamp="2030-01-07T16:00:00Z")
        self.assertEqual(result["status"], "applied")
        self.assertEqual(result["state"], "done")
        self.assertEqual(result["qty_produced"], 10.0)
        self.assertEqual(result["backorder"], "")
        self.assertEqual(production.state, "done")
        self.assertEqual(production.sbk_mes_state, "done")
        self.assertEqual(
            production.date_finished, fields.Datetime.to_datetime("2030-01-07 16:00:00")
        )
        self.assertTrue(all(wo.state == "done" for wo in production.workorder_ids))
        consumed = {m.product_id: m.quantity for m in production.move_raw_ids if m.state == "done"}
        self.assertEqual(consumed, {self.module: 20.0, self.housing: 10.0})
        self.assertEqual(self.light.qty_available, 10.0)

    def test_done_with_part_of_the_quantity_leaves_a_backorder_for_the_rest(self):
        production = self._production(10)
        job_id = production.name
        self._report(production, "progress", qty_done=4)
        result = self._report(production, "done", qty_done=3)
        backorder = production.procurement_group_id.mrp_production_ids - production
        self.assertEqual(len(backorder), 1)
        self.assertEqual(result["state"], "done")
        self.assertEqual(result["qty_produced"], 7.0)
        self.assertEqual(result["backorder"], backorder.name)
        self.assertEqual(production.qty_produced, 7.0)
        self.assertEqual(backorder.product_qty, 3.0)
        self.assertEqual(backorder.state, "confirmed")
        # Odoo renames the MO -001; the MES still knows it by its first name.
        self.assertNotEqual(production.name, job_id)
        self.assertEqual(production.sbk_mes_job_id, job_id)
        self.assertEqual(self.light.qty_available, 7.0)
        # The backorder is a new job for the MES.
        self.assertEqual(backorder.sbk_mes_state, "queued")
        self.assertEqual(backorder.sbk_mes_message_ids.method, "push_job")
        # The finished MO is not re-planned in the MES.
        self.assertEqual(len(production.sbk_mes_message_ids), 1)

    def test_scrap_creates_a_scrap_of_units_lost_in_production(self):
        production = self._production(10)
        self._report(production, "progress", qty_done=2)
        result = self._report(production, "scrap", operation="Assemble", qty_scrap=1.5)
        self.assertEqual(result["qty_produced"], 2.0, "scrap is not production")
        scrap = self.env["stock.scrap"].search([("production_id", "=", production.id)])
        self.assertRecordValues(
            scrap,
            [
                {
                    "product_id": self.light.id,
                    "scrap_qty": 1.5,
                    "state": "done",
                    "location_id": production.production_location_id.id,
                    "workorder_id": production._sbk_get_operations()[1].id,
                }
            ],
        )
        self.assertEqual(production.sbk_mes_qty_scrapped, 1.5)
        self.assertEqual(production.sbk_mes_event_ids.filtered("scrap_id").scrap_id, scrap)
        # Finished stock is untouched; what remains to make shrinks.
        self.assertEqual(self.light.qty_available, 0.0)
        self._report(production, "done", qty_done=6.5)
        self.assertEqual(production.qty_produced, 8.5)
        backorder = production.procurement_group_id.mrp_production_ids - production
        self.assertEqual(backorder.product_qty, 1.5)

    def test_repeated_message_id_is_applied_once(self):
        production = self._production(10)
        event = self._event(production, "progress", qty_done=3)
        first = self.bridge.report_progress(event)
        second = self.bridge.report_progress(dict(event))
        self.assertEqual(first["status"], "applied")
        self.assertEqual(second["status"], "duplicate")
        self.assertEqual(second["qty_produced"], 3.0)
        self.assertEqual(production.qty_producing, 3.0)
        self.assertEqual(len(production.sbk_mes_event_ids), 1)

    def test_repeated_done_answers_duplicate_not_an_error(self):
        production = self._production(10)
        event = self._event(production, "done", qty_done=10)
        self.bridge.report_progress(event)
        again = self.bridge.report_progress(event)
        self.assertEqual((again["status"], again["state"]), ("duplicate", "done"))
        self.assertEqual(production.qty_produced, 10.0)

    def test_tolerance_allows_a_little_more_than_planned(self):
        self.params.set_param("sbk_mes_bridge.tolerance", "10")
        production = self._production(10)
        result = self._report(production, "done", qty_done=11)
        self.assertEqual(result["qty_produced"], 11.0)
        self.assertEqual(production.state, "done")
