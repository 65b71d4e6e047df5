from odoo import Command
from odoo.addons.sbk_landed_cost.tests.common import LandedCostCommon
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

# What each role may do with the landed-cost side of expenses ("yes") or not ("-"): name the
# orders an expense of theirs is for (the sales and accounting groups, who read orders; only
# orders they may read, so a salesperson's own and not a colleague's), and read the costs
# posted expenses give orders (those who read costs).
ACCESS_MATRIX = """
action              salesperson trade_user trade_manager warehouse mes accountant
file_expense        yes         yes        yes           yes       -   yes
read_orders         yes         yes        yes           -         -   yes
name_orders         yes         yes        yes           -         -   yes
name_others_orders  -           -          yes           -         -   yes
read_expense_costs  -           -          yes           -         -   yes
"""

ROLE_GROUPS = {
    "salesperson": "sales_team.group_sale_salesman",
    "trade_user": "sbk_trade.group_sbk_trade_user",
    "trade_manager": "sbk_trade.group_sbk_trade_manager,sales_team.group_sale_salesman_all_leads",
    "warehouse": "stock.group_stock_user",
    "mes": "sbk_mes_bridge.group_sbk_mes_integration",
    "accountant": "account.group_account_invoice",
}


@tagged("post_install", "-at_install")
class TestExpenseAccessMatrix(LandedCostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trucking_expense = cls.env["product.product"].create(
            {
                "name": "Trucking to Port (paid by staff)",
                "type": "service",
                "can_be_expensed": True,
                "standard_price": 0.0,
                "supplier_taxes_id": [Command.clear()],
                "property_account_expense_id": cls.expense_account.id,
                "sbk_cost_dimension": "domestic_freight",
            }
        )

    def _employee(self, user):
        return self.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "work_contact_id": user.partner_id.id,
                "company_id": self.company.id,
            }
        )

    def _posted_expense(self, order):
        """An expense for ``order``, filed, approved and posted (by the administrator)."""
        clerk = self._user("lc_matrix_clerk", ["sbk_trade.group_sbk_trade_user"])
        expense = self.env["hr.expense"].create(
            {
                "name": "Trucking to Shanghai port",
                "product_id": self.trucking_expense.id,
                "total_amount_currency": 120.0,
                "employee_id": self._employee(clerk).id,
                "sbk_sale_order_ids": [Command.set(order.ids)],
            }
        )
        expense.action_submit_expenses()
        sheet = expense.sheet_id
        sheet.action_submit_sheet()
        sheet.action_approve_expense_sheets()
        sheet.action_sheet_move_post()
        return expense

    def test_access_matrix(self):
        """Who files expenses for orders and who sees the costs they give, role by role."""
        header, *rows = (line.split() for line in ACCESS_MATRIX.strip().splitlines())
        roles = header[1:]
        posted_for = self._order([(self.lamp, 10, 8.0)])
        expense = self._posted_expense(posted_for)
        self.assertEqual(posted_for.sbk_cost_domestic_freight, 120.0)
        cost = posted_for.sbk_cost_ids
        colleagues = self._order([(self.lamp, 1, 8.0)], confirm=False, user_id=self.salesman.id)
        for index, role in enumerate(roles):
            groups = [
                self.env.ref(xmlid, raise_if_not_found=False)
                for xmlid in ROLE_GROUPS[role].split(",")
            ]
            if not all(groups):
                continue  # the MES group comes with sbk_mes_bridge
            # Only the role's groups: the MES user is no internal user.
            user = new_test_user(
                self.env, f"lc_expense_matrix_{index}", groups=ROLE_GROUPS[role], name=role
            )
            self._employee(user)
            order = self._order([(self.lamp, 1, 8.0)], confirm=False, user_id=user.id)
            own = self.env["hr.expense"].create(
                {
                    "name": "Taxi",
                    "product_id": self.trucking_expense.id,
                    "total_amount_currency": 10.0,
                    "employee_id": user.employee_id.id,
                }
            )
            attempts = {
                "file_expense": lambda user=user: (
                    self.env["hr.expense"]
                    .with_user(user)
                    .create(
                        {
                            "name": "Trucking",
                            "product_id": self.trucking_expense.id,
                            "total_amount_currency": 40.0,
                        }
                    )
                ),
                "read_orders": lambda user=user, own=own: own.with_user(user).read(
                    ["sbk_sale_order_ids"]
                ),
                "name_orders": lambda user=user, own=own, order=order: own.with_user(user).write(
                    {"sbk_sale_order_ids": [Command.set(order.ids)]}
                ),
                "name_others_orders": lambda user=user, own=own: own.with_user(user).write(
                    {"sbk_sale_order_ids": [Command.link(colleagues.id)]}
                ),
                "read_expense_costs": lambda user=user: self.assertEqual(
                    self.env["sbk.order.cost"]
                    .with_user(user)
                    .search([("sale_order_id", "=", posted_for.id)])
                    .read(["amount", "source_ref"]),
                    [{"id": cost.id, "amount": 120.0, "source_ref": f"hr.expense,{expense.id}"}],
                ),
            }
            for action, *allowed in rows:
                with self.subTest(role=role, action=action):
                    if allowed[roles.index(role)] == "yes":
                        attempts[action]()
                    else:
                        with self.assertRaises(AccessError):
                            attempts[action]()
            may = {action: allowed[roles.index(role)] == "yes" for action, *allowed in rows}
            self.assertEqual(
                own.sbk_sale_order_ids,
                (order if may["name_orders"] else order.browse())
                | (colleagues if may["name_others_orders"] else order.browse()),
            )
        self.assertEqual(posted_for.sbk_cost_domestic_freight, 120.0)
