import io

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LandedCostCommon

COST_FIELDS = [
    "sbk_cost_procurement",
    "sbk_cost_domestic_freight",
    "sbk_cost_customs_fee",
    "sbk_cost_ocean_freight",
    "sbk_cost_insurance",
    "sbk_cost_commission",
    "sbk_vat_borne",
    "sbk_tax_rebate",
    "sbk_apparent_profit",
    "sbk_real_profit",
    "sbk_real_margin",
    "sbk_profit_fob",
    "sbk_profit_cif",
    "sbk_profit_landed",
    "sbk_cost_ids",
]


@tagged("post_install", "-at_install")
class TestLandedCostAccess(LandedCostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    (0, 0, {"product_id": cls.lamp.id, "product_uom_qty": 10, "price_unit": 8.0})
                ],
            }
        )
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.forwarder.id,
                "invoice_date": "2024-03-01",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.ocean_freight.id,
                            "price_unit": 20.0,
                            "tax_ids": [],
                            "sbk_sale_order_ids": [(6, 0, cls.order.ids)],
                        },
                    )
                ],
            }
        )
        cls.bill.action_post()

    def test_salesperson_sees_the_order_and_revenue_not_the_costs(self):
        order = self.order.with_user(self.salesman)
        self.assertEqual(order.read(["sbk_revenue"])[0]["sbk_revenue"], 80.0)
        for field_name in COST_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                order.read([field_name])
        with self.assertRaises(AccessError):
            order.search_read([("id", "=", order.id)], ["sbk_real_profit"])
        with self.assertRaises(AccessError):
            self.env["sbk.order.cost"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["sbk.profit.report"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            order.action_sbk_export_cost_sheets()
        with self.assertRaises(AccessError):
            order._sbk_cost_sheets_xlsx()

    def test_salesperson_edits_the_order_and_costs_follow(self):
        order = self.order.with_user(self.salesman)
        order.order_line.price_unit = 9.0
        self.assertMoney(self.order.sbk_revenue, 90.0)
        self.assertMoney(self.order.sbk_real_profit, 90.0 - 20.0)

    def test_trade_manager_and_accounting_read_costs(self):
        for user in (self.manager, self.accountant):
            values = self.order.with_user(user).read(COST_FIELDS)[0]
            self.assertEqual(values["sbk_cost_ocean_freight"], 20.0, user.login)
            costs = (
                self.env["sbk.order.cost"]
                .with_user(user)
                .search([("sale_order_id", "=", self.order.id)])
            )
            self.assertEqual(costs.mapped("amount"), [20.0], user.login)
            self.assertTrue(self.order.with_user(user)._sbk_cost_sheets_xlsx())

    def test_accountant_posts_a_bill_for_an_order(self):
        bill = self.bill.copy({"invoice_date": "2024-03-02"})
        bill.with_user(self.accountant).action_post()
        self.assertMoney(self.order.sbk_cost_ocean_freight, 40.0)

    def test_cost_lines_are_read_only(self):
        cost = self.order.sbk_cost_ids.with_user(self.manager)
        with self.assertRaises(AccessError):
            cost.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            cost.unlink()

    def test_cost_lines_of_other_companies_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Export Co"})
        other_order = (
            self.env["sale.order"]
            .with_company(other_company)
            .create({"partner_id": self.buyer.id, "company_id": other_company.id})
        )
        self.env["sbk.order.cost"].create(
            {
                "sale_order_id": other_order.id,
                "company_id": other_company.id,
                "dimension": "customs_fee",
                "amount": 5.0,
            }
        )
        visible = self.env["sbk.order.cost"].with_user(self.manager).search([])
        self.assertNotIn(other_order, visible.sale_order_id)
        self.assertIn(self.order, visible.sale_order_id)

    def test_cost_sheet_report_is_for_cost_readers(self):
        report = self.env.ref("sbk_landed_cost.action_report_sbk_cost_sheet")
        self.assertTrue(report.groups_id & self.manager.groups_id)
        self.assertFalse(report.groups_id & self.salesman.groups_id)

    def test_trade_user_cannot_change_a_product_cost(self):
        lamp = self.lamp.with_user(self.salesman)
        lamp.write({"name": "Ceiling Lamp (trade name)", "standard_price": 6.0})
        with self.assertRaises(AccessError):
            lamp.write({"standard_price": 4.5})
        with self.assertRaises(AccessError):
            lamp.product_tmpl_id.write({"standard_price": 4.5})
        self.assertEqual(self.lamp.standard_price, 6.0)
        self.assertEqual(self.lamp.name, "Ceiling Lamp (trade name)")
        self.lamp.with_user(self.manager).write({"standard_price": 6.5})
        self.assertEqual(self.lamp.standard_price, 6.5)

    def test_profit_analysis_and_cost_sheet_show_the_same_orders(self):
        """One rule for both: a trade manager who reads only their own orders sees only
        their profit, in the analysis as on the cost sheets."""
        own_manager = new_test_user(
            self.env, login="lc_own_manager", groups="sbk_trade.group_sbk_trade_manager"
        )
        mine = self._order([(self.lamp, 5, 8.0)], confirm=False, user_id=own_manager.id)
        others = self.order
        for user, expected in ((own_manager, mine), (self.manager, mine | others)):
            orders = mine | others
            in_analysis = (
                self.env["sbk.profit.report"]
                .with_user(user)
                .search([("order_id", "in", orders.ids)])
                .order_id
            )
            sheets = self.env["sale.order"]
            for order in orders:
                try:
                    order.with_user(user)._sbk_cost_sheets_xlsx()
                except AccessError:
                    continue
                sheets |= order
            self.assertEqual(in_analysis, expected, user.login)
            self.assertEqual(sheets, expected, user.login)
            groups = (
                self.env["sbk.profit.report"]
                .with_user(user)
                ._read_group([("order_id", "in", orders.ids)], ["order_id"], ["revenue:sum"])
            )
            self.assertEqual({order for order, _revenue in groups}, set(expected), user.login)

    def test_profit_analysis_rows_of_other_salespeople_are_not_read_by_id(self):
        """A trade manager who reads only their own orders cannot read another salesperson's
        profit rows by id either: the record rules say so, as for sale.report, not only the
        search (which ``read`` goes through, but the ORM's access checks do not)."""
        own_manager = new_test_user(
            self.env, login="lc_own_reader", groups="sbk_trade.group_sbk_trade_manager"
        )
        mine = self._order([(self.lamp, 5, 8.0)], confirm=False, user_id=own_manager.id)
        report = self.env["sbk.profit.report"]
        own_row = report.search([("order_id", "=", mine.id)])
        other_row = report.search([("order_id", "=", self.order.id)])
        self.assertTrue(own_row and other_row)
        values = own_row.with_user(own_manager).read(["real_profit", "revenue"])
        self.assertEqual(values[0]["revenue"], 40.0)
        with self.assertRaises(AccessError):
            other_row.with_user(own_manager).read(["real_profit"])
        self.assertFalse(other_row.with_user(own_manager).has_access("read"))
        with self.assertRaises(AccessError):
            other_row.with_user(own_manager).check_access("read")
        self.assertTrue(own_row.with_user(own_manager).has_access("read"))
        # who reads all orders reads all rows
        self.assertTrue(other_row.with_user(self.manager).read(["real_profit"]))

    def test_xlsx_writes_text_as_text(self):
        openpyxl = __import__("openpyxl")
        self.buyer.name = '=HYPERLINK("http://evil.example","Click")'
        self.order.order_line.name = "https://evil.example/x"
        content = self.order._sbk_cost_sheets_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
        self.assertFalse([c.coordinate for c in cells if c.data_type == "f"], "no formula")
        self.assertFalse([c.coordinate for c in cells if c.hyperlink], "no link")
        customer = [c for c in cells if c.value == self.buyer.name]
        self.assertTrue(customer)
        self.assertEqual({c.data_type for c in customer}, {"s"})


@tagged("post_install", "-at_install")
class TestLandedCostAccessMatrix(LandedCostCommon):
    # role: (groups, {what: allowed})
    MATRIX = {
        "salesperson": ("sales_team.group_sale_salesman", {}),
        "trade user": ("sbk_trade.group_sbk_trade_user", {}),
        "trade manager": (
            "sbk_trade.group_sbk_trade_manager,sales_team.group_sale_salesman_all_leads",
            {"order costs", "cost lines", "profit analysis", "cost sheet", "product cost"},
        ),
        "warehouse user": ("stock.group_stock_user", {}),
        "MES user": ("sbk_mes_bridge.group_sbk_mes_integration", {}),
        "accountant": (
            "account.group_account_invoice",
            {"order costs", "cost lines", "profit analysis", "cost sheet"},
        ),
    }

    def _actions(self, user, order, new_cost):
        """What each column of the matrix tries, as ``user``."""
        return {
            "order costs": lambda: order.with_user(user).read(
                ["sbk_real_profit", "sbk_expected_profit"]
            ),
            "cost lines": lambda: self.env["sbk.order.cost"].with_user(user).search([]),
            "profit analysis": lambda: self.env["sbk.profit.report"].with_user(user).search([]),
            "cost sheet": lambda: order.with_user(user)._sbk_cost_sheets_xlsx(),
            "product cost": lambda: self.lamp.with_user(user).write({"standard_price": new_cost}),
            "edit cost lines": lambda: order.sbk_cost_ids.with_user(user).write({"amount": 1.0}),
        }

    def test_access_matrix(self):
        """Who sees and changes what of landed cost, role by role; nobody edits cost lines."""
        order = self._order([(self.lamp, 10, 8.0)], confirm=False)
        self._bill([(self.ocean_freight, 20.0, order)])
        for index, (role, (groups, allowed)) in enumerate(self.MATRIX.items()):
            if not all(self.env.ref(g, raise_if_not_found=False) for g in groups.split(",")):
                continue  # the MES bridge is not installed
            user = new_test_user(self.env, login=f"lc_matrix_{index}", groups=groups)
            for what, action in self._actions(user, order, 7.0 + index).items():
                with self.subTest(role=role, what=what):
                    if what in allowed:
                        action()
                    else:
                        with self.assertRaises(AccessError):
                            action()
