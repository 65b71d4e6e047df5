"""What the server enforces on export locks whatever the client, and who may do what with them,
role by role: each user tries over the ORM (as XML-RPC would) what the forms do not offer."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ExportReservationCommon

# What each role may do with an export lock of an order it can see ("yes") or not ("-").
# Nobody writes a lock's figures or status, creates or deletes one: the order and its
# deliveries keep them; a Trade Manager releases a lock with a reason, through its action.
ACCESS_MATRIX = """
action          salesperson trade_user trade_manager warehouse mes accountant
read            yes         yes        yes           yes       -   yes
release         -           -          yes           -         -   -
write_status    -           -          -             -         -   -
write_quantity  -           -          -             -         -   -
create          -           -          -             -         -   -
delete          -           -          -             -         -   -
"""

ROLE_GROUPS = {
    "salesperson": "sales_team.group_sale_salesman",
    "trade_user": "sbk_trade.group_sbk_trade_user",
    "trade_manager": "sbk_trade.group_sbk_trade_manager",
    "warehouse": "stock.group_stock_user",
    "mes": "sbk_mes_bridge.group_sbk_mes_integration",
    "accountant": "account.group_account_invoice",
}


@tagged("post_install", "-at_install")
class TestExportLockRules(ExportReservationCommon):
    def _lock(self, quantity=100):
        self._stock(quantity)
        return self._order(self.buyer_abroad, quantity).sbk_export_lock_ids

    def test_manager_cannot_release_a_lock_by_writing_its_status(self):
        lock = self._lock().with_user(self.manager)
        attempts = [
            {"state": "released"},
            {"state": "released", "release_reason": "over RPC"},
            {"state": "consumed"},
            {"quantity": 0.0},
            {"quantity": 10_000.0},
            {"consumed_qty": 100.0},
            {"required_qty": 1.0},
            {"release_reason": "edited afterwards"},
        ]
        for vals in attempts:
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be written"):
                lock.write(vals)
        self.assertEqual((lock.state, lock.quantity, lock.remaining_qty), ("active", 100, 100))
        # A form saving the values the lock already has changes nothing and passes.
        lock.write({"state": "active", "quantity": 100.0})
        # The order holds its stock: a domestic order gets none of it.
        domestic = self._order(self.buyer_home, 100)
        self.assertEqual(self._reserved(domestic), 0)

    def test_locks_are_taken_by_orders_not_created_by_hand(self):
        order = self._order(self.buyer_abroad, 10, confirm=False)
        with self.assertRaisesRegex(UserError, "not by hand"):
            self.env["sbk.export.lock"].with_user(self.manager).create(
                {
                    "sale_order_id": order.id,
                    "product_id": self.product.id,
                    "location_id": self.stock.id,
                    "required_qty": 10,
                    "quantity": 10,
                }
            )
        self.assertFalse(order.sbk_export_lock_ids)

    def test_a_released_lock_always_has_its_reason(self):
        lock = self._lock()
        # Even the code (as superuser) cannot release without saying why.
        with self.assertRaises(ValidationError):
            lock.sudo().write({"state": "released"})
        with self.assertRaisesRegex(UserError, "reason"):
            lock.with_user(self.manager).action_release("   ")
        self.assertEqual(lock.state, "active")
        lock.with_user(self.manager).action_release("Buyer postponed")
        self.assertEqual((lock.state, lock.release_reason), ("released", "Buyer postponed"))

    def test_a_lock_holds_only_batches_of_its_product(self):
        # Even the code cannot point a lock at a batch of another product.
        lock = self._lock().sudo()
        other = self.env["product.product"].create({"name": "Tea Set", "tracking": "lot"})
        lot = self.env["stock.lot"].create({"name": "TEA-1", "product_id": other.id})
        with (
            self.assertRaisesRegex(ValidationError, "TEA-1 is a batch of Tea Set"),
            self.env.cr.savepoint(),  # rolled back as the request would be
        ):
            lock.write({"lot_id": lot.id})
        self.assertFalse(lock.lot_id)

    def test_manager_cannot_repoint_a_lock_to_another_lot(self):
        self.product.tracking = "lot"
        lot_a = self.env["stock.lot"].create({"name": "SET-A", "product_id": self.product.id})
        lot_b = self.env["stock.lot"].create({"name": "SET-B", "product_id": self.product.id})
        self._stock(100, lot=lot_a)
        self._stock(100, lot=lot_b)
        order = self._order(self.buyer_abroad, 100, confirm=False)
        order.order_line.sbk_lot_id = lot_a
        order.action_confirm()
        lock = order.sbk_export_lock_ids.with_user(self.manager)
        for vals in ({"lot_id": lot_b.id}, {"lot_id": False}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be written"):
                lock.write(vals)
        self.assertEqual(lock.lot_id, lot_a)
        # Saving the lot the lock already has passes.
        lock.write({"lot_id": lot_a.id})

    def test_access_matrix(self):
        """Who reads, releases, writes, creates and deletes export locks, role by role."""
        header, *rows = (line.split() for line in ACCESS_MATRIX.strip().splitlines())
        roles = header[1:]
        order = self._order(self.buyer_abroad, 10, confirm=False)
        for role in roles:
            group = self.env.ref(ROLE_GROUPS[role], raise_if_not_found=False)
            if not group:
                continue  # the MES group comes with sbk_mes_bridge
            # Only the role's group: the MES user is no internal user.
            user = new_test_user(
                self.env, f"lock_matrix_{role}", groups=ROLE_GROUPS[role], name=role
            )
            for action, *allowed in rows:
                lock = self._lock(10)
                attempt = {
                    "read": lambda lock=lock, user=user: lock.with_user(user).read(["quantity"]),
                    "release": lambda lock=lock, user=user: lock.with_user(user).action_release(
                        "Buyer postponed"
                    ),
                    "write_status": lambda lock=lock, user=user: lock.with_user(user).write(
                        {"state": "released", "release_reason": "Buyer postponed"}
                    ),
                    "write_quantity": lambda lock=lock, user=user: lock.with_user(user).write(
                        {"quantity": 0.0}
                    ),
                    "create": lambda user=user: (
                        self.env["sbk.export.lock"]
                        .with_user(user)
                        .create(
                            {
                                "sale_order_id": order.id,
                                "product_id": self.product.id,
                                "location_id": self.stock.id,
                            }
                        )
                    ),
                    "delete": lambda lock=lock, user=user: lock.with_user(user).unlink(),
                }[action]
                with self.subTest(role=role, action=action):
                    if allowed[roles.index(role)] == "yes":
                        attempt()
                    else:
                        # AccessError is a UserError: refused by the rights or by the rule.
                        with self.assertRaises(UserError):
                            attempt()
                        self.assertEqual(
                            (lock.exists().state, lock.quantity), ("active", 10), "unchanged"
                        )
