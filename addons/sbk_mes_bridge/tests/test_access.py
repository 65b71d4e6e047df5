from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestMesUserAccess(SbkMesCommon):
    """The MES user reads jobs and reports production; nothing about money or partners."""

    def test_mes_user_is_no_internal_user(self):
        self.assertTrue(self.mes_user.share)
        self.assertFalse(self.mes_user.has_group("base.group_user"))

    @mute_logger(
        "odoo.models", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule"
    )
    def test_mes_user_cannot_read_sale_prices(self):
        line = self.order.order_line
        with self.assertRaises(AccessError):
            self.env["sale.order.line"].with_user(self.mes_user).browse(line.id).read(
                ["price_unit"]
            )
        with self.assertRaises(AccessError):
            self.env["sale.order.line"].with_user(self.mes_user).search_read([], ["price_unit"])
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.mes_user).search_read([], ["amount_total"])

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_mes_user_cannot_read_prices_or_costs(self):
        """Jobs are built for the MES by the bridge: it reads no product, work centre or cost."""
        production = self._production(10)
        for model, record, field in (
            ("product.product", self.light, "standard_price"),
            ("product.product", self.light, "lst_price"),
            ("product.template", self.light.product_tmpl_id, "list_price"),
            ("mrp.workcenter", self.workcenter_smt, "costs_hour"),
            ("mrp.production", production, "extra_cost"),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.env[model].with_user(self.mes_user).browse(record.id).read([field])
        with self.assertRaises(AccessError):
            self.env["product.product"].with_user(self.mes_user).search(
                [("standard_price", ">", 0)]
            )
        # What it may read of its job; the cost is not even among the fields it is shown.
        mo = self.env["mrp.production"].with_user(self.mes_user).browse(production.id)
        self.assertEqual(mo.read(["qty_producing"])[0]["qty_producing"], 0.0)
        self.assertNotIn("extra_cost", mo.fields_get())

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_mes_user_cannot_write_manufacturing_orders(self):
        """All it changes goes through report_progress and its checks (#14)."""
        production = self._production(10)
        mo = self.env["mrp.production"].with_user(self.mes_user).browse(production.id)
        for vals in (
            {"qty_producing": 10},
            {"state": "done"},
            {"product_qty": 1},
            {"sbk_mes_job_id": "WH/MO/OTHER"},
            {"extra_cost": 99.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mo.write(vals)
        self.assertEqual((production.qty_producing, production.state), (0.0, "confirmed"))
        with self.assertRaises(AccessError):
            self.env["sbk.mes.event"].with_user(self.mes_user).create(
                {
                    "message_id": "forged",
                    "job_id": production.name,
                    "production_id": production.id,
                    "event_type": "done",
                    "timestamp": "2030-01-07 10:00:00",
                }
            )

    def test_jobs_never_released_to_the_mes_are_refused(self):
        self.params.set_param("sbk_mes_bridge.auto_push", "False")
        production = self._production(10)
        self.assertEqual(production.sbk_mes_state, "none")
        with self.assertRaises(UserError) as caught:
            self._report(production, "progress", qty_done=1)
        self.assertIn("never released to the MES", str(caught.exception))
        self.assertNotIn(production.name, [job["job_id"] for job in self.bridge.get_jobs()])
        self.assertEqual(production.qty_producing, 0.0)

    def test_get_jobs_pages(self):
        productions = self.env["mrp.production"]
        for _index in range(5):
            productions |= self._production(1, product=self.simple)
        names = [job["job_id"] for job in self.bridge.get_jobs()]
        pages = []
        offset = 0
        while True:
            page = self.bridge.get_jobs(limit=2, offset=offset)
            pages.append(page)
            offset += len(page)
            if len(page) < 2:
                break
        self.assertEqual([job["job_id"] for page in pages for job in page], names)
        self.assertTrue(set(productions.mapped("name")) <= set(names))
        for bad in ({"limit": 0}, {"limit": 5000}, {"limit": "10"}, {"offset": -1}):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                self.bridge.get_jobs(**bad)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_other_users_cannot_read_jobs(self):
        worker = new_test_user(self.env, login="mes_jobs_worker", groups="stock.group_stock_user")
        with self.assertRaises(AccessError):
            self.env["sbk.mes.bridge"].with_user(worker).get_jobs()

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_mes_user_cannot_read_partners(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.mes_user).browse(self.buyer.id).read(["name"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.mes_user).search_read([], ["email"])

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_mes_user_cannot_change_what_is_not_production(self):
        with self.assertRaises(AccessError):
            self.env["mrp.production"].with_user(self.mes_user).create(
                {"product_id": self.light.id, "product_qty": 1}
            )
        with self.assertRaises(AccessError):
            self.light.with_user(self.mes_user).write({"default_code": "HACK"})
        with self.assertRaises(AccessError):
            self.env["stock.quant"].with_user(self.mes_user).search_read([], ["quantity"])
        with self.assertRaises(AccessError):
            self.env["sbk.mes.message"].with_user(self.mes_user).create(
                {"method": "push_job", "job_id": "X", "payload": "{}"}
            )

    def test_mes_user_reads_its_jobs_and_reports(self):
        production = self._production(10, sbk_sale_order_id=self.order.id)
        jobs = self.bridge.get_jobs()
        self.assertIn(production.name, [job["job_id"] for job in jobs])
        self._report(production, "progress", qty_done=2)
        self.assertEqual(production.qty_producing, 2.0)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_other_users_cannot_report_production(self):
        production = self._production(10)
        worker = new_test_user(
            self.env, "mes_worker", groups="mrp.group_mrp_user", name="Shop Floor Worker"
        )
        with self.assertRaises(AccessError):
            self.env["sbk.mes.bridge"].with_user(worker).report_progress(
                self._event(production, "progress", qty_done=1)
            )
        self.assertEqual(production.qty_producing, 0.0)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_mes_user_reports_only_for_its_companies(self):
        other_company = self.env["res.company"].create({"name": "Other Plant"})
        part = self.env["product.product"].create({"name": "Other Plant Part", "is_storable": True})
        production = (
            self.env["mrp.production"]
            .with_company(other_company)
            .create({"product_id": part.id, "product_qty": 5, "company_id": other_company.id})
        )
        production.action_confirm()
        with self.assertRaises(Exception) as caught:
            self._report(production, "progress", qty_done=1)
        self.assertIn("Unknown job", str(caught.exception))
        self.assertEqual(production.qty_producing, 0.0)

    def test_api_key_wizard_gives_the_mes_user_a_key(self):
        wizard = self.env["sbk.mes.api.key.wizard"].create(
            {"user_id": self.mes_user.id, "key_name": "MES line 1"}
        )
        action = wizard.action_generate()
        # As Odoo's own key wizard: the key is shown once, and not kept in a table.
        self.assertEqual(action["res_model"], "res.users.apikeys.show")
        key = action["context"]["default_key"]
        self.assertFalse(wizard.exists())
        uid = self.env["res.users.apikeys"]._check_credentials(scope="rpc", key=key)
        self.assertEqual(uid, self.mes_user.id)
        stored = self.env["res.users.apikeys"].sudo().search([("user_id", "=", self.mes_user.id)])
        self.assertEqual(len(stored), 1)
        self.assertTrue(stored.expiration_date, "the key expires")

    def test_api_key_wizard_creates_the_mes_user(self):
        action = self.env["sbk.mes.api.key.wizard"].create({"login": "mes_new"}).action_generate()
        user = self.env["res.users"].search([("login", "=", "mes_new")])
        self.assertEqual(user.id, action["context"]["sbk_mes_user_id"])
        self.assertTrue(user.has_group("sbk_mes_bridge.group_sbk_mes_integration"))
        self.assertFalse(user.has_group("base.group_user"))

    def test_api_key_wizard_refuses_other_users_and_past_expiry(self):
        for user in (self.env.user, new_test_user(self.env, login="mes_key_clerk")):
            wizard = self.env["sbk.mes.api.key.wizard"].create({"user_id": user.id})
            with self.subTest(user=user.login), self.assertRaises(UserError) as caught:
                wizard.action_generate()
            self.assertIn("is not an MES user", str(caught.exception))
        wizard = self.env["sbk.mes.api.key.wizard"].create(
            {"user_id": self.mes_user.id, "expiration_date": fields.Date.today()}
        )
        with self.assertRaises(UserError):
            wizard.action_generate()
        self.assertFalse(
            self.env["res.users.apikeys"].sudo().search([("user_id", "=", self.mes_user.id)])
        )
