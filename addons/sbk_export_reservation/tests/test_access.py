from odoo.tests import new_test_user, tagged

from .common import ExportReservationCommon

# Who may do what on the addon's models: r(ead), w(rite), c(reate), u(nlink).
ACCESS_MATRIX = {
    "base.group_user": {"sbk.export.lock": "r", "sbk.export.lock.release": ""},
    "stock.group_stock_user": {"sbk.export.lock": "r", "sbk.export.lock.release": ""},
    "sales_team.group_sale_salesman": {"sbk.export.lock": "r", "sbk.export.lock.release": ""},
    "sbk_trade.group_sbk_trade_user": {"sbk.export.lock": "r", "sbk.export.lock.release": ""},
    "sbk_trade.group_sbk_trade_manager": {
        "sbk.export.lock": "rwc",
        "sbk.export.lock.release": "rwcu",
    },
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestExportReservationAccess(ExportReservationCommon):
    def test_access_matrix(self):
        for group, models in ACCESS_MATRIX.items():
            user = new_test_user(self.env, login=f"matrix_{group}", groups=group)
            for model, allowed in models.items():
                for letter, operation in OPERATIONS.items():
                    with self.subTest(group=group, model=model, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(user).browse().has_access(operation),
                            letter in allowed,
                        )

    def test_locks_of_another_company_are_invisible(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        other = self.env["res.company"].create({"name": "Other Trading Co"})
        outsider = new_test_user(
            self.env,
            login="outsider",
            groups="sbk_trade.group_sbk_trade_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        locks = self.env["sbk.export.lock"].with_user(outsider)
        self.assertFalse(locks.search([("sale_order_id", "=", export.id)]))
        self.assertTrue(
            self.env["sbk.export.lock"]
            .with_user(self.manager)
            .search([("sale_order_id", "=", export.id)])
        )
