import logging
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SbkMesCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestStagedBatch(SbkMesCommon):
    """In a batch, the plain progress reports of an MO in production are checked one by one
    and written together; the answers and the figures are those of one report per call
    (#19)."""

    def _started(self, quantity=10):
        production = self._production(quantity)
        self.assertEqual(self._report(production, "started")["status"], "applied")
        return production

    def _story(self, production):
        """Reports on both operations and on the job, one too many, a repeat, a scrap."""
        events = [
            self._event(production, "progress", qty_done=3, operation="Solder"),
            self._event(production, "progress", qty_done=2, operation="Assemble"),
            self._event(production, "progress", qty_done=3),
            self._event(production, "progress", qty_done=6, operation="Assemble"),
            self._event(production, "progress", qty_done=1, operation="Assemble"),
        ]
        events.append(dict(events[2]))
        events.append(self._event(production, "progress", qty_done=1, operation="Solder"))
        events.append(self._event(production, "scrap", qty_scrap=1, operation="Assemble"))
        events.append(self._event(production, "progress", qty_done=1))
        return events

    def _one_per_call(self, events):
        results = []
        for event in events:
            try:
                results.append(self.bridge.report_progress(event))
            except UserError as error:
                results.append(self.bridge._refused(event, error))
        return results

    def _figures(self, production):
        production.invalidate_recordset()
        return {
            "state": production.state,
            "qty_producing": production.qty_producing,
            "scrapped": production.sbk_mes_qty_scrapped,
            "operations": production.workorder_ids.sorted("id").mapped("qty_produced"),
            "events": sorted(
                (e.event_type, e.qty_done, e.qty_scrap, e.workorder_id.name or "")
                for e in production.sbk_mes_event_ids
            ),
            "last_event": production.sbk_mes_last_event_date,
            "finish": production.sbk_mes_expected_finish,
        }

    def _without_job(self, results, production):
        """The answers, without what names the job."""
        return [
            {
                key: value.replace(production.name, "JOB") if key == "message" else value
                for key, value in result.items()
                if key != "job_id"
            }
            for result in results
        ]

    def test_a_batch_answers_and_writes_as_one_report_per_call(self):
        batched, single = self._started(), self._started()
        results = self.bridge.report_progress(self._story(batched))
        expected = self._one_per_call(self._story(single))
        self.assertEqual(
            [r["status"] for r in results],
            ["applied"] * 3 + ["refused", "applied", "duplicate"] + ["applied"] * 3,
        )
        self.assertIn("only 5.0 remain to make", results[3]["message"])
        self.assertEqual([r.get("qty_produced") for r in results[:3]], [0.0, 2.0, 5.0])
        self.assertEqual(self._without_job(results, batched), self._without_job(expected, single))
        self.assertEqual(self._figures(batched), self._figures(single))
        self.assertEqual(self._figures(batched)["qty_producing"], 7.0)

    def test_staged_reports_fall_back_to_one_by_one(self):
        """If writing an MO's staged reports together fails, each is applied on its own."""
        batched, single = self._started(), self._started()
        production_class = type(self.env["mrp.production"])
        with patch.object(
            production_class,
            "_sbk_mes_apply_staged",
            side_effect=UserError("write failed"),
            autospec=True,
        ) as write_stage:
            results = self.bridge.report_progress(self._story(batched))
        self.assertTrue(write_stage.called)
        expected = self._one_per_call(self._story(single))
        self.assertEqual(self._without_job(results, batched), self._without_job(expected, single))
        self.assertEqual(self._figures(batched), self._figures(single))

    def test_a_batch_closes_an_mo_after_its_staged_reports(self):
        production = self._started(4)
        events = [self._event(production, "progress", qty_done=1) for _i in range(3)]
        events.append(self._event(production, "done", qty_done=1))
        results = self.bridge.report_progress(events)
        self.assertEqual([r["status"] for r in results], ["applied"] * 4)
        self.assertEqual(results[-1]["state"], "done")
        self.assertEqual(results[-1]["qty_produced"], 4.0)
        self.assertEqual(production.qty_produced, 4.0)
        self.assertEqual(len(production.sbk_mes_event_ids), 5)

    def test_staged_reports_cost_a_few_queries_each(self):
        productions = self._started(1000) | self._started(1000)

        def queries(count):
            events = [self._event(productions[i % 2], "progress", qty_done=1) for i in range(count)]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            results = self.bridge.report_progress(events)
            self.env.flush_all()
            self.assertEqual({r["status"] for r in results}, {"applied"})
            return self.env.cr.sql_log_count - before

        small, large = queries(20), queries(120)
        _logger.info("MES staged batch queries: 20 events %s, 120 events %s", small, large)
        # Each more report costs its savepoint (2 queries) and its share of one insert.
        self.assertLessEqual(large - small, 100 * 3, f"{small} for 20 events, {large} for 120")
        self.assertEqual(sum(productions.mapped("qty_producing")), 140)

    def test_a_refused_report_leaves_nothing_staged(self):
        production = self._started(4)
        before = self._figures(production)
        self.assertTrue(before["last_event"])
        results = self.bridge.report_progress(
            [self._event(production, "progress", qty_done=50, timestamp="2030-01-07T11:00:00Z")]
        )
        self.assertEqual([r["status"] for r in results], ["refused"])
        self.assertEqual(self._figures(production), before)
