"""Rules of shipments and declarations that the server enforces, whatever the client: a user
of the trade or the warehouse tries over the ORM (as XML-RPC would) what the forms do not
offer."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestShipmentRules(SbkShipmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trade_user = new_test_user(
            cls.env, "rules_trade", groups="sbk_trade.group_sbk_trade_user"
        )
        cls.trade_manager = new_test_user(
            cls.env, "rules_manager", groups="sbk_trade.group_sbk_trade_manager"
        )
        cls.stock_user = new_test_user(cls.env, "rules_stock", groups="stock.group_stock_user")
        cls.users = cls.trade_user | cls.trade_manager | cls.stock_user

    def _scanned_shipment(self):
        shipment = self._shipment(self.order_b)
        shipment.on_barcode_scanned("0106901234599107" + "3050")
        return shipment

    def test_packing_lines_are_written_by_the_shipment_alone(self):
        shipment = self._scanned_shipment()
        line = shipment.packing_line_ids
        for user in self.users:
            for vals in ({"loaded_qty": 200}, {"quantity": 10}, {"cartons": 1}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    line.with_user(user).write(vals)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                line.with_user(user).unlink()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["sbk.packing.line"].with_user(user).create(
                    {"shipment_id": shipment.id, "product_id": self.product.id, "quantity": 5}
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                shipment.with_user(user).write(
                    {"packing_line_ids": [Command.update(line.id, {"loaded_qty": 200})]}
                )
        self.assertEqual((line.quantity, line.loaded_qty), (200, 50))
        # The loading code still counts for the same users.
        shipment.with_user(self.stock_user).on_barcode_scanned("16901234599104")
        self.assertEqual(line.loaded_qty, 100)

    def test_scans_are_an_audit_trail_nobody_edits(self):
        shipment = self._scanned_shipment()
        scan = shipment.scan_ids
        for user in self.users:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["sbk.shipment.scan"].with_user(user).create(
                    {
                        "shipment_id": shipment.id,
                        "barcode": "6901234599107",
                        "product_id": self.product.id,
                        "quantity": 150,
                    }
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                scan.with_user(user).write({"quantity": 1})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                scan.with_user(user).unlink()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                shipment.with_user(user).write({"scan_ids": [Command.delete(scan.id)]})
        self.assertEqual(shipment.scan_ids, scan)
        self.assertEqual(scan.quantity, 50)
        # A recount by a trade user clears the trail through the action.
        shipment.with_user(self.trade_user).action_reset_loading()
        self.assertFalse(shipment.scan_ids)

    def test_shipment_status_changes_only_through_its_actions(self):
        shipment = self._scanned_shipment()
        for user in self.users:
            for state in ("loaded", "cleared", "draft"):
                with (
                    self.subTest(user=user.login, state=state),
                    self.assertRaisesRegex(UserError, "cannot be written"),
                ):
                    shipment.with_user(user).write({"state": state})
        with self.assertRaisesRegex(UserError, "cannot be written"):
            self.env["sbk.shipment"].with_user(self.trade_user).create(
                {"partner_id": self.export_customer.id, "state": "cleared"}
            )
        self.assertEqual(shipment.state, "loading")
        shipment.with_user(self.stock_user).action_done_loading()
        self.assertEqual(shipment.state, "loaded")

    def test_declaration_status_changes_only_through_its_actions(self):
        declaration = self._declared(50)
        for user in (self.trade_user, self.trade_manager):
            for vals in ({"state": "cleared"}, {"date_cleared": "2026-01-01 00:00:00"}):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "cannot be written"),
                ):
                    declaration.with_user(user).write(vals)
        self.assertEqual(declaration.state, "draft")
        declaration = declaration.with_user(self.trade_user)
        declaration.name = "310120261125000077"
        declaration.action_submit()
        declaration.action_release()
        declaration.action_clear()
        self.assertEqual(declaration.state, "cleared")

    def test_declaration_lines_are_fixed_once_submitted(self):
        declaration = self._declared(50).with_user(self.trade_user)
        line = declaration.line_ids
        line.goods_name = "吸顶灯"  # a draft is corrected freely
        declaration.write({"name": "310120261125000078", "customs_port": "Ningbo Beilun"})
        declaration.action_submit()
        attempts = [
            lambda: line.write({"amount_fob": 1.0}),
            lambda: line.unlink(),
            lambda: line.create(
                {
                    "declaration_id": declaration.id,
                    "hs_code_id": self.hs_plastics.id,
                    "goods_name": "Extra",
                }
            ),
            lambda: declaration.write({"line_ids": [Command.update(line.id, {"quantity": 1})]}),
            lambda: declaration.write({"customs_port": "Shanghai", "date": "2026-01-01"}),
        ]
        for attempt in attempts:
            with self.subTest(attempt=attempt), self.assertRaisesRegex(UserError, "submitted"):
                attempt()
        self.assertEqual((line.amount_fob, line.quantity, line.goods_name), (500.0, 50, "吸顶灯"))
        self.assertEqual(declaration.customs_port, "Ningbo Beilun")
        # Cancelled and reset to draft, it can be amended again.
        declaration.action_cancel()
        declaration.action_draft()
        line.amount_fob = 480.0
        self.assertEqual(declaration.amount_fob, 480.0)
