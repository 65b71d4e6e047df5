from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

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

    def test_only_cost_groups_change_a_product_cost(self):
        """The trade groups write products (names, HS codes, packing), not their cost: that
        revalues the stock. Trade managers and accounting may, as Odoo's product managers."""
        cost = self.product.standard_price
        product = self.product.with_user(self.trade_user)
        product.write({"name": "Trade-side name", "standard_price": cost})  # unchanged: fine
        with self.assertRaises(AccessError):
            product.write({"standard_price": cost + 1.0})
        with self.assertRaises(AccessError):
            product.product_tmpl_id.write({"standard_price": cost + 1.0})
        with self.assertRaises(AccessError):
            self.env["product.template"].with_user(self.trade_user).create(
                {"name": "Costed template", "standard_price": 3.0}
            )
        with self.assertRaises(AccessError):
            self.env["product.product"].with_user(self.trade_user).create(
                {"name": "Costed variant", "standard_price": 3.0}
            )
        self.assertEqual(self.product.standard_price, cost)
        self.assertEqual(self.product.name, "Trade-side name")
        accountant = self._create_user(
            "trade_accountant", ["sbk_trade.group_sbk_trade_user", "account.group_account_invoice"]
        )
        stock_manager = self._create_user(
            "trade_stock_manager", ["sbk_trade.group_sbk_trade_user", "stock.group_stock_manager"]
        )
        for index, user in enumerate((self.trade_manager, accountant, stock_manager), start=1):
            self.product.with_user(user).write({"standard_price": cost + index})
            self.assertEqual(self.product.standard_price, cost + index, user.login)
        created = (
            self.env["product.product"]
            .with_user(self.trade_manager)
            .create({"name": "Costed by the manager", "standard_price": 3.0})
        )
        self.assertEqual(created.standard_price, 3.0)

    def test_employee_without_trade_group_cannot_edit_hs_codes(self):
        with self.assertRaises(AccessError):
            self.hs_lighting.with_user(self.employee).write({"name": "Changed"})

    def test_trade_menu_is_for_trade_groups(self):
        root = self.env.ref("sbk_trade.menu_sbk_trade_root")
        self.assertIn(root, self.env["ir.ui.menu"].with_user(self.trade_user).search([]))
        self.assertNotIn(root, self.env["ir.ui.menu"].with_user(self.employee).search([]))


# Who may read (r), write (w), create (c) and delete (u) what, model by model. Packing lines and
# scans are read-only to everyone: the shipment's code writes them.
ACCESS_MATRIX = """
model                         salesperson trade_user trade_manager warehouse mes  accountant
sbk.hs.code                   r---        r---       rwcu          r---      ---- r---
sbk.container.type            r---        r---       rwcu          r---      ---- r---
sbk.shortage.line             ----        r---       rwcu          ----      ---- ----
sbk.shipment                  ----        rwc-       rwcu          rw--      ---- ----
sbk.shipment.container        ----        rwcu       rwcu          rwcu      ---- ----
sbk.packing.line              ----        r---       r---          r---      ---- ----
sbk.shipment.scan             ----        r---       r---          r---      ---- ----
sbk.customs.declaration       ----        rwc-       rwcu          r---      ---- ----
sbk.customs.declaration.line  ----        rwcu       rwcu          r---      ---- ----
"""

ROLE_GROUPS = {
    "salesperson": "sales_team.group_sale_salesman",
    "trade_user": "sbk_trade.group_sbk_trade_user",
    "trade_manager": "sbk_trade.group_sbk_trade_manager",
    "warehouse": "stock.group_stock_user",
    "mes": "sbk_mes_bridge.group_sbk_mes_integration",
    "accountant": "account.group_account_invoice",
}
OPERATIONS = ("read", "write", "create", "unlink")


@tagged("post_install", "-at_install")
class TestTradeAccessMatrix(TransactionCase):
    def test_each_role_has_the_rights_of_the_matrix(self):
        header, *rows = (line.split() for line in ACCESS_MATRIX.strip().splitlines())
        roles = header[1:]
        Access = self.env["ir.model.access"]
        for role in roles:
            group = self.env.ref(ROLE_GROUPS[role], raise_if_not_found=False)
            if not group:
                continue  # the MES group comes with sbk_mes_bridge
            # Only the role's group: the MES user is no internal user.
            user = new_test_user(self.env, f"matrix_{role}", groups=ROLE_GROUPS[role], name=role)
            for model, *rights in rows:
                expected = rights[roles.index(role)]
                actual = "".join(
                    letter if Access.with_user(user).check(model, operation, False) else "-"
                    for letter, operation in zip("rwcu", OPERATIONS, strict=True)
                )
                with self.subTest(role=role, model=model):
                    self.assertEqual(actual, expected)
