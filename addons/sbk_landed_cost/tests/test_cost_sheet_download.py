from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCostSheetDownload(HttpCase):
    """The XLSX export as the browser runs it: server action, then the download route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="lc_http_manager",
            password="lc_http_manager",
            groups="sbk_trade.group_sbk_trade_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="lc_http_salesman",
            password="lc_http_salesman",
            groups="sbk_trade.group_sbk_trade_user",
        )
        partner = cls.env["res.partner"].create({"name": "Download Buyer"})
        product = cls.env["product.product"].create({"name": "Download Lamp"})
        cls.orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": cls.salesman.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 2, "price_unit": p})
                    ],
                }
                for p in (10.0, 20.0)
            ]
        )

    def test_server_action_downloads_the_workbook(self):
        action = self.env.ref("sbk_landed_cost.action_server_sbk_export_cost_sheets")
        result = (
            action.with_user(self.manager)
            .with_context(active_model="sale.order", active_ids=self.orders.ids)
            .run()
        )
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.authenticate("lc_http_manager", "lc_http_manager")
        response = self.url_open(result["url"])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"), "an XLSX (zip) file")
        self.assertIn("spreadsheetml", response.headers["Content-Type"])

    def test_salesperson_cannot_download_costs(self):
        self.authenticate("lc_http_salesman", "lc_http_salesman")
        ids = ",".join(str(i) for i in self.orders.ids)
        response = self.url_open(f"/sbk_landed_cost/cost_sheets?ids={ids}")
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(response.content.startswith(b"PK"))

    def test_ids_that_are_not_order_ids_get_a_clean_answer(self):
        self.authenticate("lc_http_manager", "lc_http_manager")
        for ids, status in (
            ("²", 400),
            ("garbage", 400),
            ("1,,2", 400),
            ("-1", 400),
            ("99999999999999999999", 400),
            ("", 400),
            ("2147483647", 404),
        ):
            with self.subTest(ids=ids):
                response = self.url_open(f"/sbk_landed_cost/cost_sheets?ids={ids}")
                self.assertEqual(response.status_code, status)
                self.assertNotIn(b"Traceback", response.content)
