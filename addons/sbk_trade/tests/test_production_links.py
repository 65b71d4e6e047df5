from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import SbkPlanningCommon

LINKS_ERROR = "set by the export order's planning only"


@tagged("post_install", "-at_install")
class TestProductionLinks(SbkPlanningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mrp_users = new_test_user(
            cls.env, "links_mrp_user", groups="mrp.group_mrp_user"
        ) | new_test_user(cls.env, "links_mrp_manager", groups="mrp.group_mrp_manager")

    def test_mrp_users_cannot_move_a_production_to_another_order(self):
        order = self._export_order([(self.light, 10)])
        other = self._export_order([(self.light, 5)])
        production = order.mrp_production_ids
        line = production.sbk_shortage_line_id
        self.assertEqual(line.sale_order_id, order)
        for user in self.mrp_users:
            as_user = production.with_user(user)
            productions = self.env["mrp.production"].with_user(user)
            attempts = {
                "other order": lambda as_user=as_user: as_user.write(
                    {"sbk_sale_order_id": other.id}
                ),
                "no order": lambda as_user=as_user: as_user.write({"sbk_sale_order_id": False}),
                "other shortage line": lambda as_user=as_user: as_user.write(
                    {"sbk_shortage_line_id": other.sbk_shortage_line_ids[0].id}
                ),
                "new MO of the order": lambda productions=productions: productions.create(
                    {
                        "product_id": self.light.id,
                        "product_qty": 3,
                        "bom_id": self.bom.id,
                        "sbk_sale_order_id": order.id,
                    }
                ),
                "new MO of the order by default": lambda productions=productions: (
                    productions.with_context(default_sbk_sale_order_id=order.id).create(
                        {"product_id": self.light.id, "product_qty": 3, "bom_id": self.bom.id}
                    )
                ),
            }
            for what, attempt in attempts.items():
                with (
                    self.subTest(user=user.login, what=what),
                    self.assertRaisesRegex(UserError, LINKS_ERROR),
                    self.env.cr.savepoint(),
                ):
                    attempt()
            self.assertEqual(production.sbk_sale_order_id, order)
            self.assertEqual(production.sbk_shortage_line_id, line)
            self.assertEqual(order.sbk_production_ids, production)
            self.assertEqual(other.sbk_production_ids, other.mrp_production_ids)
            # The MO stays theirs to work on; a client sending the links back unchanged is fine.
            as_user.write({"sbk_sale_order_id": order.id, "priority": "1"})
            self.assertEqual(production.priority, "1")
            own = productions.create(
                {"product_id": self.light.id, "product_qty": 3, "bom_id": self.bom.id}
            )
            self.assertFalse(own.sbk_sale_order_id)

    def test_a_backorder_split_by_an_mrp_user_feeds_the_same_order(self):
        order = self._export_order([(self.light, 10)])
        production = order.mrp_production_ids
        line = production.sbk_shortage_line_id
        user = self.mrp_users[0]
        splits = self.env["mrp.production.split"].with_user(user)
        splits.create({"production_id": production.id, "counter": 2}).action_split()
        backorder = production.procurement_group_id.mrp_production_ids - production
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.product_qty + production.product_qty, 10)
        self.assertEqual(backorder.sbk_sale_order_id, order)
        self.assertEqual(backorder.sbk_shortage_line_id, line)
        self.assertEqual(order.sbk_production_ids, production | backorder)
