import random
import uuid
import xmlrpc.client

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from .common import SbkMesCommon

#: Each mutation alone makes an event invalid, whatever else the event carries.
MUTATIONS = {
    "message_id": [None, "", "   ", 0, 12.5, True, "M" * 129, ["a"], {"id": "a"}],
    "job_id": [None, "", 42, "WH/MO/NOPE", "J" * 200, ["job"], {"job": 1}, 3.5],
    "event": [None, "", "paused", "DONE", 3, ["done"], {"event": "done"}],
    "qty_done": [-1, -0.001, "5", True, 10**400, 1e300, float("inf"), float("nan"), 2e9, 11],
    "qty_scrap": [-2, "1", False, 10**30, 1e308, float("-inf"), float("nan"), 11, [1]],
    "timestamp": [
        None,
        "",
        "yesterday",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
        "2030-13-01T00:00:00Z",
        "2030-01-07",
        "2100-01-01T00:00:00Z",
        "1900-01-01T00:00:00Z",
        1736236800,
        "9" * 1000,
        ["2030-01-07T10:00:00Z"],
    ],
    "operation": ["Paint", 99, -5, 10**12, True, 3.5, {"op": 1}, ["Solder"], "O" * 500],
}


def sendable(value):
    """XML-RPC carries integers up to 2**31 only: the client library refuses bigger ones."""
    return isinstance(value, bool) or not isinstance(value, int) or abs(value) < 2**31


def malformed_events(rng, job_id, count, sendable_only=False):
    """``count`` events, each a valid report with one to three fields made invalid."""
    fields_ = sorted(MUTATIONS)
    for index in range(count):
        event = {
            "message_id": f"bad-{index}-{uuid.UUID(int=rng.getrandbits(128))}",
            "job_id": job_id,
            "event": rng.choice(["started", "progress", "done", "scrap"]),
            "qty_done": 1,
            "qty_scrap": 1,
            "timestamp": "2030-01-07T10:00:00Z",
        }
        for field in rng.sample(fields_, rng.randint(1, 3)):
            choices = MUTATIONS[field]
            if sendable_only:
                choices = [value for value in choices if sendable(value)]
            value = rng.choice(choices)
            if value is None and rng.random() < 0.5:
                event.pop(field)  # missing rather than null
            else:
                event[field] = value
        yield event


class MalformedMixin:
    def _snapshot(self, production):
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search(
            [("product_id", "in", (self.module | self.housing | self.light).ids)]
        )
        return (
            production.state,
            production.qty_producing,
            production.sbk_mes_qty_scrapped,
            production.date_start,
            production.date_finished,
            tuple(production.workorder_ids.mapped("state")),
            tuple(production.workorder_ids.mapped("qty_produced")),
            tuple(production.move_raw_ids.mapped("quantity")),
            tuple(production.move_raw_ids.mapped("state")),
            len(production.sbk_mes_event_ids),
            self.env["stock.scrap"].search_count([("production_id", "=", production.id)]),
            tuple(sorted((q.product_id.id, q.quantity, q.reserved_quantity) for q in quants)),
        )

    def assertReadable(self, text, event):
        self.assertTrue(text.strip(), event)
        for leak in ("Traceback", 'File "', "psycopg2", "OverflowError", "KeyError"):
            self.assertNotIn(leak, text, event)


@tagged("post_install", "-at_install")
class TestMalformedEvents(MalformedMixin, SbkMesCommon):
    """A thousand generated malformed events, as the MES user through the bridge's public
    method: each refused with a readable message, the MO and its stock unchanged (#14)."""

    def test_a_thousand_malformed_events_are_refused_and_change_nothing(self):
        production = self._production(10)
        self._report(production, "progress", qty_done=1)
        before = self._snapshot(production)
        rng = random.Random(20261201)
        count = 0
        with mute_logger("odoo.sql_db"):
            for event in malformed_events(rng, production.name, 1000):
                with self.assertRaises(UserError, msg=repr(event)[:300]) as caught:
                    self.bridge.report_progress(event)
                self.assertReadable(str(caught.exception.args[0]), event)
                count += 1
        self.assertEqual(count, 1000)
        self.assertEqual(self._snapshot(production), before)

    def test_a_batch_of_malformed_events_is_refused_event_by_event(self):
        production = self._production(10)
        before = self._snapshot(production)
        rng = random.Random(7)
        events = list(malformed_events(rng, production.name, 500))
        with mute_logger("odoo.sql_db"):
            results = self.bridge.report_progress(events)
        self.assertEqual(len(results), 500)
        for event, result in zip(events, results, strict=True):
            self.assertEqual(result["status"], "refused", event)
            self.assertReadable(result["message"], event)
        self.assertEqual(self._snapshot(production), before)


@tagged("post_install", "-at_install")
class TestMalformedEventsOverXmlRpc(MalformedMixin, SbkMesCommon, HttpCase):
    """The same over XML-RPC, as the MES authenticates: a readable Fault, never a traceback."""

    def test_malformed_events_over_xmlrpc_are_readable_faults(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.mes_user)
            .sudo()
            ._generate("rpc", "MES fuzz", False)
        )
        production = self._production(10)
        before = self._snapshot(production)
        rng = random.Random(1201)
        db = self.env.cr.dbname
        # As most MES libraries: nil allowed (a missing value sent as null).
        proxy = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        with mute_logger("odoo.http", "odoo.sql_db"):
            for event in malformed_events(rng, production.name, 1000, sendable_only=True):
                with self.assertRaises(xmlrpc.client.Fault, msg=repr(event)[:300]) as caught:
                    proxy.execute_kw(
                        db, self.mes_user.id, key, "sbk.mes.bridge", "report_progress", [event]
                    )
                self.assertReadable(caught.exception.faultString, event)
        self.assertEqual(self._snapshot(production), before)

    def test_wrong_arguments_over_xmlrpc_are_readable_faults(self):
        """A call without its event, or with arguments the API does not know: a readable
        Fault that names them, never a traceback."""
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.mes_user)
            .sudo()
            ._generate("rpc", "MES arguments", False)
        )
        db = self.env.cr.dbname
        proxy = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        calls = [
            ("report_progress", [], {}, "needs an event"),
            ("report_progress", [None], {}, "needs an event"),
            ("report_progress", [[]], {"dry_run": True}, "dry_run"),
            ("get_jobs", [], {"page": 2}, "page"),
        ]
        with mute_logger("odoo.http", "odoo.sql_db"):
            for method, args, kwargs, text in calls:
                with self.assertRaises(xmlrpc.client.Fault, msg=method) as caught:
                    proxy.execute_kw(
                        db, self.mes_user.id, key, "sbk.mes.bridge", method, args, kwargs
                    )
                self.assertIn(text, caught.exception.faultString)
                self.assertNotIn("Traceback", caught.exception.faultString)
