from odoo.tests import tagged

from .common import READY_JS, DemoScreensCommon, screens_js


@tagged("post_install", "-at_install")
class TestDemoScreens(DemoScreensCommon):
    """Each main screen of the demo opens without a client error for the people who use it,
    in English and in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        modules = cls.env["ir.module.module"].search(
            [
                ("state", "=", "installed"),
                ("name", "in", ["web", "sale", "stock", "account", "mrp", "purchase"]),
            ]
        )
        modules |= cls.env["ir.module.module"].search(
            [("state", "=", "installed"), ("name", "=like", "sbk_%")]
        )
        modules._update_translations(["zh_CN"])

    def _check_screens(self, login, screens):
        user = self.env.ref(f"sbk_demo.user_{login}")
        for lang in ("en_US", "zh_CN"):
            with self.subTest(user=login, lang=lang):
                user.lang = lang
                self.browser_js(
                    "/odoo",
                    screens_js(screens, chinese=lang == "zh_CN"),
                    ready=READY_JS,
                    login=login,
                    timeout=240,
                )

    def test_trade_user_screens(self):
        self._check_screens(
            "trade",
            [
                self._list("export orders", "sbk_trade.action_sbk_export_order"),
                self._form("export order (contract)", "sale.order", self.contract),
                self._form("export order (settled)", "sale.order", self.settled),
                self._list("shortage list", "sbk_trade.action_sbk_shortage_line"),
                self._list("shipments", "sbk_trade.action_sbk_shipment"),
                self._form("shipment", "sbk.shipment", self.shipment_loading),
                self._loading_screen(),
                self._list("declarations", "sbk_trade.action_sbk_customs_declaration"),
                self._form("declaration", "sbk.customs.declaration", self.declaration),
                self._list("export locks", "sbk_export_reservation.action_sbk_export_lock"),
            ],
        )

    def test_warehouse_user_screens(self):
        self._check_screens(
            "warehouse",
            [
                self._list("shipments", "sbk_trade.action_sbk_shipment"),
                self._form("shipment", "sbk.shipment", self.shipment_loading),
                self._loading_screen(),
                self._form("declaration", "sbk.customs.declaration", self.declaration),
                self._list("export locks", "sbk_export_reservation.action_sbk_export_lock"),
            ],
        )

    def test_accountant_screens(self):
        self._check_screens(
            "accountant",
            [
                self._list("export orders", "sbk_trade.action_sbk_export_order"),
                self._form("export order (settled)", "sale.order", self.settled),
                self._list("landed costs", "sbk_landed_cost.action_sbk_order_cost"),
                self._list(
                    "profit analysis",
                    "sbk_landed_cost.action_sbk_profit_report",
                    ".o_view_controller .o_pivot, .o_view_controller .o_data_row",
                ),
                self._list("order profit", "sbk_landed_cost.action_sbk_order_profit"),
            ],
        )

    def test_accountant_opens_the_cost_sheet(self):
        self.authenticate("accountant", "accountant")
        response = self.url_open(
            f"/report/html/sbk_landed_cost.report_sbk_cost_sheet/{self.settled.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.settled.name, response.text)
