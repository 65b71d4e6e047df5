from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SbkTradeCommon


@tagged("post_install", "-at_install")
class TestTradeAccess(SbkTradeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trade_user = cls._create_user("trade_user", ["sbk_trade.group_sbk_trade_user"])
        cls.trade_manager = cls._create_user("trade_manager", ["sbk_trade.group_sbk_trade_manager"])
        cls.employee = cls._create_user("plain_employee", ["base.group_user"])

    def test_trade_user_reads_hs_codes_but_cannot_change_them(self):
        hs_code = self.hs_lighting.with_user(self.trade_user)
        self.assertEqual(hs_code.rebate_rate, 13.0)
        with self.assertRaises(AccessError):
            hs_code.write({"rebate_rate": 9.0})
        with self.assertRaises(AccessError):
            self.env["sbk.hs.code"].with_user(self.trade_user).create(
                {"code": "85044099", "name": "Drivers"}
            )

    def test_trade_manager_maintains_hs_codes(self):
        HsCode = self.env["sbk.hs.code"].with_user(self.trade_manager)
        hs_code = HsCode.create({"code": "85044099", "name": "Drivers", "rebate_rate": 13.0})
        hs_code.write({"rebate_rate": 9.0})
        hs_code.unlink()

    def test_trade_user_creates_products_with_trade_attributes(self):
        product = (
            self.env["product.template"]
            .with_user(self.trade_user)
            .create({"name": "Trade-side product", "sbk_hs_code_id": self.hs_lighting.id})
        )
        self.assertEqual(product.sbk_rebate_rate, 13.0)

    def test_employee_without_trade_group_cannot_edit_hs_codes(self):
        with self.assertRaises(AccessError):
            self.hs_lighting.with_user(self.employee).write({"name": "Changed"})

    def test_trade_menu_is_for_trade_groups(self):
        root = self.env.ref("sbk_trade.menu_sbk_trade_root")
        self.assertIn(root, self.env["ir.ui.menu"].with_user(self.trade_user).search([]))
        self.assertNotIn(root, self.env["ir.ui.menu"].with_user(self.employee).search([]))
