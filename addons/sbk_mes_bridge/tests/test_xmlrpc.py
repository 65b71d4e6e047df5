import uuid
import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestMesXmlRpc(SbkMesCommon, HttpCase):
    """The MES's calls as they arrive: XML-RPC, the MES user authenticated by its API key."""

    def setUp(self):
        super().setUp()
        self.key = (
            self.env["res.users.apikeys"]
            .with_user(self.mes_user)
            .sudo()
            ._generate("rpc", "MES test", False)
        )
        self.mes_uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, self.mes_user.login, self.key, {}
        )

    def _call(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.mes_uid, self.key, model, method, list(args), kwargs
        )

    def test_api_key_authenticates_the_mes_user(self):
        self.assertEqual(self.mes_uid, self.mes_user.id)

    def test_report_and_duplicate_over_xmlrpc(self):
        production = self._production(10)
        event = {
            "message_id": str(uuid.uuid4()),
            "job_id": production.name,
            "event": "progress",
            "qty_done": 4,
            "timestamp": "2030-01-07T10:00:00Z",
        }
        result = self._call("sbk.mes.bridge", "report_progress", event)
        self.assertEqual(
            (result["status"], result["state"], result["qty_produced"]),
            ("applied", "progress", 4.0),
        )
        again = self._call("sbk.mes.bridge", "report_progress", event)
        self.assertEqual(again["status"], "duplicate")
        jobs = self._call("sbk.mes.bridge", "get_jobs", since=False)
        self.assertIn(production.name, [job["job_id"] for job in jobs])

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_model")
    def test_invalid_event_is_a_readable_fault(self):
        production = self._production(10)
        event = {
            "message_id": str(uuid.uuid4()),
            "job_id": production.name,
            "event": "progress",
            "qty_done": -1,
            "timestamp": "2030-01-07T10:00:00Z",
        }
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call("sbk.mes.bridge", "report_progress", event)
        self.assertIn("qty_done must be a number zero or more", caught.exception.faultString)
        self.assertEqual(production.qty_producing, 0.0)

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_model")
    def test_prices_costs_and_partners_are_refused_over_xmlrpc(self):
        line = self.order.order_line
        for model, ids, fields in (
            ("sale.order.line", line.ids, ["price_unit"]),
            ("product.product", self.light.ids, ["standard_price"]),
            ("res.partner", self.buyer.ids, ["name", "email"]),
        ):
            with self.subTest(model=model), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._call(model, "read", ids, fields)
            self.assertEqual(caught.exception.faultCode, 4, "AccessError")

    def test_batch_over_xmlrpc_and_the_single_answer_unchanged(self):
        production = self._production(10)
        first = self._event(production, "progress", qty_done=2)
        single = self._call("sbk.mes.bridge", "report_progress", first)
        self.assertEqual(
            single,
            {
                "status": "applied",
                "job_id": production.name,
                "state": "progress",
                "qty_produced": 2.0,
                "backorder": "",
            },
        )
        bad = self._event(production, "progress", qty_done=-1)
        done = self._event(production, "done", qty_done=8)
        results = self._call("sbk.mes.bridge", "report_progress", [first, bad, done])
        self.assertEqual([r["status"] for r in results], ["duplicate", "refused", "applied"])
        self.assertIn("qty_done must be a number", results[1]["message"])
        self.assertEqual((results[2]["state"], results[2]["qty_produced"]), ("done", 10.0))

    def test_jobs_page_over_xmlrpc(self):
        for _index in range(3):
            self._production(1, product=self.simple)
        everything = self._call("sbk.mes.bridge", "get_jobs", since=False)
        page = self._call("sbk.mes.bridge", "get_jobs", since=False, limit=2, offset=1)
        self.assertEqual(
            [job["job_id"] for job in page], [job["job_id"] for job in everything[1:3]]
        )
