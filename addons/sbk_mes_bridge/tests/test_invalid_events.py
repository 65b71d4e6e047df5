from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestInvalidEvents(SbkMesCommon):
    """A refused report says why and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._production_cls(10)

    @classmethod
    def _production_cls(cls, quantity):
        production = cls.env["mrp.production"].create(
            {"product_id": cls.light.id, "product_qty": quantity}
        )
        production.action_confirm()
        return production

    def _snapshot(self):
        production = self.production
        production.invalidate_recordset()
        return (
            production.state,
            production.qty_producing,
            production.date_start,
            production.date_finished,
            production.sbk_mes_qty_scrapped,
            len(production.sbk_mes_event_ids),
            self.env["stock.scrap"].search_count([("production_id", "=", production.id)]),
            tuple(production.workorder_ids.mapped("state")),
        )

    def assertRefused(self, event, message):
        # ValidationError is a UserError: both reach the MES as a readable fault.
        before = self._snapshot()
        with self.assertRaises(UserError) as caught, mute_logger("odoo.sql_db"):
            self.bridge.report_progress(event)
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self._snapshot(), before, "a refused event changes nothing")

    def test_unknown_job(self):
        event = self._event(self.production, "progress", qty_done=1)
        event["job_id"] = "WH/MO/NOPE"
        self.assertRefused(event, "Unknown job WH/MO/NOPE")

    def test_unknown_operation(self):
        self.assertRefused(
            self._event(self.production, "progress", operation="Paint", qty_done=1),
            "Unknown operation 'Paint'",
        )
        self.assertRefused(
            self._event(self.production, "progress", operation=3, qty_done=1),
            "Unknown operation 3",
        )

    def test_negative_quantity(self):
        self.assertRefused(
            self._event(self.production, "progress", qty_done=-2), "qty_done must be a number"
        )

    def test_non_numeric_quantity(self):
        self.assertRefused(
            self._event(self.production, "progress", qty_done="five"), "qty_done must be a number"
        )
        self.assertRefused(
            self._event(self.production, "scrap", qty_scrap=True), "qty_scrap must be a number"
        )

    def test_zero_progress(self):
        self.assertRefused(
            self._event(self.production, "progress", qty_done=0), "needs qty_done above zero"
        )

    def test_quantity_beyond_what_remains(self):
        self._report(self.production, "progress", qty_done=8)
        self.assertRefused(
            self._event(self.production, "progress", qty_done=3), "only 2.0 remain to make"
        )
        self.assertRefused(
            self._event(self.production, "scrap", qty_scrap=2.5), "only 2.0 remain to make"
        )

    def test_quantity_beyond_tolerance(self):
        self.params.set_param("sbk_mes_bridge.tolerance", "10")
        self.assertRefused(self._event(self.production, "done", qty_done=11.5), "tolerance 10.0 %")

    def test_cancelled_job(self):
        self.production.action_cancel()
        self.assertRefused(self._event(self.production, "progress", qty_done=1), "is cancelled")

    def test_done_job(self):
        self._report(self.production, "done", qty_done=10)
        self.assertRefused(self._event(self.production, "progress", qty_done=1), "is done")

    def test_done_with_nothing_produced(self):
        self.assertRefused(self._event(self.production, "done", qty_done=0), "nothing was produced")

    def test_malformed_timestamp(self):
        for value in ("yesterday", "2030-13-01T00:00:00Z", "2030-01-07", 1736236800):
            self.assertRefused(
                self._event(self.production, "progress", qty_done=1, timestamp=value),
                "must be an ISO 8601 date and time",
            )

    def test_missing_fields(self):
        event = self._event(self.production, "progress", qty_done=1)
        del event["timestamp"]
        self.assertRefused(event, "lacks these fields: timestamp")
        event = self._event(self.production, "progress")
        self.assertRefused(event, "A progress event needs qty_done")
        event = self._event(self.production, "progress", qty_done=1)
        del event["message_id"]
        self.assertRefused(event, "has no message_id")
        event = self._event(self.production, "scrap")
        self.assertRefused(event, "A scrap event needs qty_scrap")

    def test_unknown_event_type(self):
        self.assertRefused(self._event(self.production, "paused"), "Unknown MES event 'paused'")

    def test_not_a_struct(self):
        self.assertRefused("progress", "must be a struct")
        self.assertRefused(42, "must be a struct")

    def test_refused_event_can_be_sent_again_once_fixed(self):
        event = self._event(self.production, "progress", qty_done=-1)
        with self.assertRaises(ValidationError):
            self.bridge.report_progress(event)
        event["qty_done"] = 1
        self.assertEqual(self.bridge.report_progress(event)["status"], "applied")
