"""What the server enforces on costs whatever the client: the same orders' costs in every view
of them, and bad input an export must survive (order names Excel refuses as sheet names)."""

import io

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestCostSheetNames(LandedCostCommon):
    def test_cost_sheets_of_orders_with_names_excel_refuses(self):
        openpyxl = __import__("openpyxl")
        names = [
            "'Q1'",
            "summary",
            "SO/2026:01",
            "SO2026-01",
            "so2026-01",  # the same sheet name to Excel
            "[*?]",
            "A" * 40,
            "A" * 28 + "_2",
            "A" * 40 + "b",
        ]
        orders = self.env["sale.order"]
        for name in names:
            orders |= self._order([(self.lamp, 1, 8.0)], confirm=False, name=name)
        workbook = openpyxl.load_workbook(io.BytesIO(orders._sbk_cost_sheets_xlsx()))
        titles = workbook.sheetnames
        self.assertEqual(len(titles), len(orders) + 1)
        self.assertEqual(len({title.lower() for title in titles}), len(titles))
        self.assertEqual(titles[:4], ["Summary", "Q1", "summary_2", "SO202601"])
        for title, order in zip(titles[1:], orders, strict=True):
            self.assertEqual(workbook[title]["B1"].value, order.name)


@tagged("post_install", "-at_install")
class TestCostLinesFollowTheOrders(LandedCostCommon):
    def test_cost_lines_show_the_orders_of_the_cost_sheets(self):
        """One rule for the cost lines as for the cost sheet and the profit analysis: a trade
        manager who reads only their own orders sees only their orders' costs."""
        own_manager = new_test_user(
            self.env, login="lc_lines_own_manager", groups="sbk_trade.group_sbk_trade_manager"
        )
        mine = self._order([(self.lamp, 5, 8.0)], confirm=False, user_id=own_manager.id)
        others = self._order([(self.lamp, 10, 8.0)], confirm=False, user_id=self.salesman.id)
        self._bill([(self.ocean_freight, 20.0, mine | others)])
        costs = self.env["sbk.order.cost"].with_user(own_manager)
        self.assertEqual(costs.search([]).sale_order_id, mine)
        self.assertEqual(
            {order for order, _amount in costs._read_group([], ["sale_order_id"], ["amount:sum"])},
            {mine},
        )
        hidden = others.sbk_cost_ids.with_user(own_manager)
        self.assertTrue(hidden)
        with self.assertRaises(AccessError):
            hidden.read(["amount"])
        with self.assertRaises(AccessError):
            others.with_user(own_manager)._sbk_cost_sheets_xlsx()
        self.assertEqual(
            mine.sbk_cost_ids.with_user(own_manager).read(["amount"])[0]["amount"],
            mine.sbk_cost_ocean_freight,
        )
        # A manager who reads every order sees every order's costs.
        seen = self.env["sbk.order.cost"].with_user(self.manager).search([]).sale_order_id
        self.assertEqual(seen & (mine | others), mine | others)
