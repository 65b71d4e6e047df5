from odoo.tests import Form, tagged

from .common import SbkPlanningCommon


@tagged("post_install", "-at_install")
class TestOrderFormForEveryRole(SbkPlanningCommon):
    """An export order with a shortage list opens for whoever may read the order; the list
    itself shows to trade, purchase and manufacturing users only."""

    def test_salesperson_and_accountant_open_an_order_with_a_shortage_list(self):
        order = self._export_order([(self.light, 100)])
        self.assertTrue(order.sbk_shortage_line_ids)
        salesperson = self._create_user("form_sales", ["sales_team.group_sale_salesman_all_leads"])
        accountant = self._create_user(
            "form_billing",
            ["account.group_account_invoice", "sales_team.group_sale_salesman_all_leads"],
        )
        for user in salesperson | accountant:
            with self.subTest(user=user.login):
                form = Form(order.with_user(user))
                self.assertEqual(form.name, order.name)
                self.assertNotIn("sbk_shortage_line_ids", form._view["fields"])
                self.assertGreater(order.with_user(user).sbk_shortage_count, 0)

    def test_trade_user_sees_the_shortage_list_on_the_order(self):
        order = self._export_order([(self.light, 100)])
        trade_user = self._create_user(
            "form_trade",
            ["sales_team.group_sale_salesman_all_leads", "sbk_trade.group_sbk_trade_user"],
        )
        form = Form(order.with_user(trade_user))
        self.assertEqual(len(form.sbk_shortage_line_ids), len(order.sbk_shortage_line_ids))
