from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
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
    def test_mes_user_cannot_read_costs(self):
        product = self.light.with_user(self.mes_user)
        self.assertEqual(product.read(["default_code"])[0]["default_code"], "MCL18")
        with self.assertRaises(AccessError):
            product.read(["standard_price"])
        with self.assertRaises(AccessError):
            self.light.product_tmpl_id.with_user(self.mes_user).read(["standard_price"])
        with self.assertRaises(AccessError):
            self.env["product.product"].with_user(self.mes_user).search(
                [("standard_price", ">", 0)]
            )

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
        mo = self.env["mrp.production"].with_user(self.mes_user).browse(production.id)
        self.assertEqual(mo.read(["qty_producing"])[0]["qty_producing"], 0.0)
        self._report(production, "progress", qty_done=2)
        self.assertEqual(production.qty_producing, 2.0)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_other_users_cannot_report_production(self):
        production = self._production(10)
        worker = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Shop Floor Worker",
                    "login": "mes_worker",
                    "groups_id": [Command.set([self.env.ref("mrp.group_mrp_user").id])],
                }
            )
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
        wizard.action_generate()
        self.assertTrue(wizard.key)
        uid = self.env["res.users.apikeys"]._check_credentials(scope="rpc", key=wizard.key)
        self.assertEqual(uid, self.mes_user.id)

    def test_api_key_wizard_creates_the_mes_user(self):
        wizard = self.env["sbk.mes.api.key.wizard"].create({"login": "mes_new"})
        wizard.action_generate()
        self.assertEqual(wizard.user_id.login, "mes_new")
        self.assertTrue(wizard.user_id.has_group("sbk_mes_bridge.group_sbk_mes_integration"))
        self.assertFalse(wizard.user_id.has_group("base.group_user"))
