import logging
from collections import Counter

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SbkMesCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestEventRules(SbkMesCommon):
    """What an event may carry: its message_id identifies one content, scrap is bounded,
    timestamps and numbers stay sane (issue #14)."""

    def assertRefused(self, event, message, production):
        production.invalidate_recordset()
        before = (production.state, production.qty_producing, production.sbk_mes_qty_scrapped)
        events = len(production.sbk_mes_event_ids)
        with self.assertRaises(UserError) as caught, mute_logger("odoo.sql_db"):
            self.bridge.report_progress(event)
        self.assertIn(message, str(caught.exception))
        production.invalidate_recordset()
        after = (production.state, production.qty_producing, production.sbk_mes_qty_scrapped)
        self.assertEqual(after, before, "a refused event changes nothing")
        self.assertEqual(len(production.sbk_mes_event_ids), events)

    def test_reused_message_id_with_other_content_is_a_conflict(self):
        production = self._production(10)
        other = self._production(10)
        event = self._event(production, "progress", qty_done=2)
        self.assertEqual(self.bridge.report_progress(event)["status"], "applied")
        # The same content, whatever number type the MES's library sends: a repeat.
        self.assertEqual(
            self.bridge.report_progress({**event, "qty_done": 2.0})["status"], "duplicate"
        )
        self.assertRefused({**event, "qty_done": 3}, "Conflict: message_id", production)
        self.assertRefused(
            {**event, "job_id": other.name}, f"already applied to job {production.name}", other
        )
        self.assertEqual(production.qty_producing, 2.0)

    def test_message_ids_are_unique_per_company(self):
        """Two plants' MES number their messages alike: each plant's count is its own."""
        plant = self.env["res.company"].create({"name": "Second Plant"})
        self.mes_user.write({"company_ids": [(4, plant.id)]})
        part = self.env["product.product"].create({"name": "Plant Part", "is_storable": True})
        theirs = (
            self.env["mrp.production"]
            .with_company(plant)
            .create({"product_id": part.id, "product_qty": 5, "company_id": plant.id})
        )
        theirs.action_confirm()
        ours = self._production(10)
        first = self._event(ours, "progress", qty_done=1, message_id="LINE-0001")
        second = self._event(theirs, "progress", qty_done=2, message_id="LINE-0001")
        self.assertEqual(self.bridge.report_progress(first)["status"], "applied")
        self.assertEqual(self.bridge.report_progress(second)["status"], "applied")
        self.assertEqual((ours.qty_producing, theirs.qty_producing), (1.0, 2.0))
        self.assertEqual(self.bridge.report_progress(second)["status"], "duplicate")

    def test_scrap_on_an_intermediate_operation_is_bounded_by_what_remains(self):
        production = self._production(10)
        self.assertRefused(
            self._event(production, "scrap", operation=1, qty_scrap=11),
            "11.0 reported but only 10.0 remain to make",
            production,
        )
        self._report(production, "progress", operation=1, qty_done=6)
        self._report(production, "scrap", operation=1, qty_scrap=2)
        # 6 made and 2 lost at soldering: 2 remain there.
        self.assertRefused(
            self._event(production, "progress", operation=1, qty_done=3),
            "only 2.0 remain to make",
            production,
        )
        # The job can still be finished: 8 good units at most.
        result = self._report(production, "done", operation="Assemble", qty_done=8)
        self.assertEqual((result["state"], result["qty_produced"]), ("done", 8.0))

    def test_scrap_never_blocks_the_final_report(self):
        production = self._production(10)
        self._report(production, "progress", qty_done=9)
        # Soldering has made nothing through the MES yet, but only 1 unit is left of the job.
        self.assertRefused(
            self._event(production, "scrap", operation=1, qty_scrap=5),
            "only 1.0 remain to make",
            production,
        )
        self.assertEqual(self._report(production, "done", qty_done=1)["state"], "done")

    def test_timestamps_far_from_now_are_refused(self):
        self.params.set_param("sbk_mes_bridge.timestamp_future_days", "1")
        production = self._production(10)
        for value, message in (
            ("9999-12-31T23:59:59-01:00", "must be an ISO 8601 date and time"),
            ("0001-01-01T00:00:00+01:00", "must be an ISO 8601 date and time"),
            ("2099-01-01T00:00:00Z", "too far from now"),
            ("1999-01-01T00:00:00Z", "too far from now"),
            ("2" * 5000, "must be an ISO 8601 date and time"),
        ):
            with self.subTest(value=value[:40]):
                self.assertRefused(
                    self._event(production, "progress", qty_done=1, timestamp=value),
                    message,
                    production,
                )
        now = fields.Datetime.now().replace(microsecond=0).isoformat() + "Z"
        self.assertEqual(
            self._report(production, "progress", qty_done=1, timestamp=now)["status"], "applied"
        )

    def test_huge_numbers_and_long_ids_are_refused(self):
        production = self._production(10)
        for value in (10**400, 1e300, float("inf"), float("nan"), 2e9):
            with self.subTest(value=repr(value)[:20]):
                self.assertRefused(
                    self._event(production, "progress", qty_done=value),
                    "qty_done must be a number zero or more",
                    production,
                )
        self.assertRefused(
            self._event(production, "progress", qty_done=1, message_id="M" * 129),
            "at most 128",
            production,
        )
        self.assertRefused(
            self._event(production, "progress", qty_done=1, operation=10**30),
            "operation must be a name or a sequence number",
            production,
        )
        self.assertRefused(
            {**self._event(production, "progress", qty_done=1), "job_id": "J" * 500},
            "job_id must be the job's name",
            production,
        )


@tagged("post_install", "-at_install")
class TestBatchReports(SbkMesCommon):
    """report_progress with a list: one result per event, in order, each on its own (#19)."""

    def test_a_batch_answers_each_event_in_order(self):
        production = self._production(10)
        started = self._event(production, "started")
        bad = self._event(production, "progress", qty_done=-1)
        progress = self._event(production, "progress", qty_done=4)
        too_much = self._event(production, "progress", qty_done=50)
        results = self.bridge.report_progress(
            [started, bad, progress, started, too_much, "junk", progress]
        )
        self.assertEqual(
            [result["status"] for result in results],
            ["applied", "refused", "applied", "duplicate", "refused", "refused", "duplicate"],
        )
        self.assertIn("qty_done must be a number", results[1]["message"])
        self.assertIn("only 6.0 remain to make", results[4]["message"])
        self.assertIn("must be a struct", results[5]["message"])
        self.assertEqual(results[2], {**results[2], "job_id": production.name, "qty_produced": 4.0})
        self.assertEqual(production.qty_producing, 4.0)
        self.assertEqual(len(production.sbk_mes_event_ids), 2)

    def test_a_refused_event_in_a_batch_rolls_back_only_itself(self):
        """A done event that fails after it began writing (nothing produced) leaves the MO as
        it was; the next event still applies."""
        production = self._production(10)
        done_empty = self._event(production, "done", qty_done=0)
        scrap = self._event(production, "scrap", qty_scrap=1)
        results = self.bridge.report_progress([done_empty, scrap])
        self.assertEqual([r["status"] for r in results], ["refused", "applied"])
        self.assertIn("nothing was produced", results[0]["message"])
        self.assertEqual(production.state, "progress")
        self.assertEqual(production.sbk_mes_qty_scrapped, 1.0)
        self.assertEqual(
            self.env["stock.scrap"].search_count([("production_id", "=", production.id)]), 1
        )

    def test_a_batch_is_bounded(self):
        production = self._production(10)
        events = [self._event(production, "progress", qty_done=0.01) for _i in range(501)]
        with self.assertRaises(ValidationError) as caught:
            self.bridge.report_progress(events)
        self.assertIn("at most 500 events", str(caught.exception))
        self.assertEqual(production.qty_producing, 0.0)
        self.assertEqual(self.bridge.report_progress([]), [])

    def test_a_batch_closes_several_jobs(self):
        first, second = self._production(3), self._production(2)
        results = self.bridge.report_progress(
            [self._event(first, "done", qty_done=3), self._event(second, "done", qty_done=2)]
        )
        self.assertEqual([(r["status"], r["state"]) for r in results], [("applied", "done")] * 2)


@tagged("post_install", "-at_install")
class TestBatchQueries(SbkMesCommon):
    """A batch shares its reads: its queries grow less than linearly with its events (#19)."""

    def _batch_queries(self, count):
        productions = self._production(1000) | self._production(1000)
        self.bridge.report_progress([self._event(mo, "started") for mo in productions])
        events = [self._event(productions[i % 2], "progress", qty_done=1) for i in range(count)]
        # 5 % sent twice, as an MES does after a lost answer.
        events += events[: max(1, count // 20)]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        results = self.bridge.report_progress(events)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(
            Counter(r["status"] for r in results),
            Counter({"applied": count, "duplicate": max(1, count // 20)}),
        )
        self.assertEqual(sum(productions.mapped("qty_producing")), count)
        return queries

    def test_batch_queries_grow_less_than_linearly(self):
        small = self._batch_queries(20)
        large = self._batch_queries(40)
        _logger.info("MES batch queries: 20 events %s, 40 events %s", small, large)
        # Twice the events, less than twice the queries: the reads are shared per batch, and
        # what one more event costs is its own writes (and what Odoo recomputes for them),
        # about 8 queries; reading each event's job, lock and message id alone cost 22.
        message = f"{small} queries for 20 events, {large} for 40"
        self.assertLess(large, 2 * small - 20, message)
        self.assertLessEqual(large - small, 20 * 10, message)
