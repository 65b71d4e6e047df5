from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestAccessMatrix(SbkMesCommon):
    """Who may do what with the MES bridge, role by role: one table (issue #14)."""

    #: role: (groups, what the role may do). Sales users may change MOs (Odoo's sale_mrp
    #: grants it: they confirm orders that create them);
    #: only the MES reports production and reads jobs; nobody edits the audit trail.
    MATRIX = {
        "salesperson": (
            "sales_team.group_sale_salesman",
            {"read MOs", "write MOs", "read MO costs"},
        ),
        "trade user": (
            "sbk_trade.group_sbk_trade_user",
            {"read MOs", "write MOs", "read MO costs"},
        ),
        "trade manager": (
            "sbk_trade.group_sbk_trade_manager",
            {"read MOs", "write MOs", "read MO costs"},
        ),
        "warehouse user": ("stock.group_stock_user", {"read MOs", "read MO costs"}),
        "manufacturing user": (
            "mrp.group_mrp_user",
            {"read MOs", "write MOs", "read MO costs", "read events", "read outbox"},
        ),
        "MES user": (
            "sbk_mes_bridge.group_sbk_mes_integration",
            {"read MOs", "read jobs", "report progress", "read events", "read outbox"},
        ),
        "accountant": ("account.group_account_invoice", set()),
    }

    def _actions(self, user, production):
        """What each column of the matrix tries, as ``user``."""
        Bridge = self.env["sbk.mes.bridge"].with_user(user)
        return {
            "read MOs": lambda: production.with_user(user).read(["qty_producing", "state"]),
            "write MOs": lambda: production.with_user(user).write({"qty_producing": 1}),
            "read jobs": lambda: Bridge.get_jobs(),
            "report progress": lambda: Bridge.report_progress(self._event(production, "started")),
            "read events": lambda: self.env["sbk.mes.event"].with_user(user).search([]),
            "edit events": lambda: production.sbk_mes_event_ids.with_user(user).write(
                {"qty_done": 99}
            ),
            "read outbox": lambda: self.env["sbk.mes.message"].with_user(user).search([]),
            "edit outbox": lambda: production.sbk_mes_message_ids.with_user(user).write(
                {"state": "sent"}
            ),
            "read MO costs": lambda: production.with_user(user).read(["extra_cost"]),
        }

    @mute_logger(
        "odoo.models", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule"
    )
    def test_access_matrix(self):
        production = self._production(10)
        self._report(production, "progress", qty_done=1)
        for index, (role, (groups, allowed)) in enumerate(self.MATRIX.items()):
            user = new_test_user(self.env, login=f"mes_matrix_{index}", groups=groups)
            for what, action in self._actions(user, production).items():
                with self.subTest(role=role, what=what):
                    if what in allowed:
                        action()
                    else:
                        with self.assertRaises(AccessError):
                            action()
