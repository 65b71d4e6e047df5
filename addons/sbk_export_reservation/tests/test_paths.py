from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ExportReservationCommon


@tagged("post_install", "-at_install")
class TestForcedValidation(ExportReservationCommon):
    """1,000 on hand, 800 locked by an export order: 200 for domestic, however validated."""

    def setUp(self):
        super().setUp()
        self._stock(1000)
        self.export = self._order(self.buyer_abroad, 800)

    def _validate(self, picking, quantity):
        picking.move_ids.write({"quantity": quantity, "picked": True})
        return picking.with_context(cancel_backorder=True, skip_backorder=True).button_validate()

    def test_quantity_typed_above_the_reservation_is_refused_naming_the_holder(self):
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 200)
        with self.assertRaisesRegex(UserError, self.export.name) as caught:
            self._validate(domestic.picking_ids, 300)
        self.assertIn("only 200", str(caught.exception))
        self.assertEqual(domestic.picking_ids.state, "assigned")
        self.assertEqual(self._reserved(self.export), 800)
        self.assertEqual(self.product.qty_available, 1000)

    def test_delivery_with_nothing_reserved_takes_only_free_stock(self):
        self.export.picking_ids.do_unreserve()
        domestic = self._order(self.buyer_home, 300)
        domestic.picking_ids.do_unreserve()
        self.assertEqual(self._reserved(domestic), 0)
        with self.assertRaisesRegex(UserError, self.export.name):
            self._validate(domestic.picking_ids, 300)
        self._validate(domestic.picking_ids, 200)
        self.assertEqual(
            domestic.picking_ids.filtered(lambda p: p.state == "done").move_ids.quantity, 200
        )
        self.assertEqual(self.product.qty_available, 800)
        self.export.picking_ids.action_assign()
        self.assertEqual(self._reserved(self.export), 800)

    def test_export_delivery_may_take_its_own_locked_stock(self):
        self._validate(self.export.picking_ids, 800)
        self.assertEqual(self.export.sbk_export_lock_ids.state, "consumed")
        self.assertEqual(self.product.qty_available, 200)


@tagged("post_install", "-at_install")
class TestOrderChanges(ExportReservationCommon):
    """A confirmed export order changed: its locks follow the lines."""

    def setUp(self):
        super().setUp()
        self._stock(1000)
        self.export = self._order(self.buyer_abroad, 600)
        self.lock = self.export.sbk_export_lock_ids

    def test_raising_the_quantity_locks_the_extra(self):
        self.export.order_line.product_uom_qty = 800
        self.assertRecordValues(self.lock, [{"required_qty": 800, "quantity": 800}])
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 200)

    def test_adding_a_line_locks_it(self):
        other = self.env["product.product"].create({"name": "Tea Set", "is_storable": True})
        self._stock(500, product=other)
        self.export.write(
            {"order_line": [Command.create({"product_id": other.id, "product_uom_qty": 300})]}
        )
        new_lock = self.export.sbk_export_lock_ids - self.lock
        self.assertRecordValues(new_lock, [{"product_id": other.id, "quantity": 300}])
        domestic = self._order(self.buyer_home, 500, product=other)
        self.assertEqual(self._reserved(domestic), 200)

    def test_lowering_the_quantity_releases_the_difference(self):
        self.export.order_line.product_uom_qty = 400
        self.assertRecordValues(
            self.lock, [{"required_qty": 400, "quantity": 400, "state": "active"}]
        )
        self.assertEqual(self.product.sbk_export_locked_qty, 400)
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 600)

    def test_lowering_to_zero_releases_the_lock(self):
        self.export.order_line.product_uom_qty = 0
        self.assertEqual(self.lock.state, "released")
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 1000)

    def test_an_export_order_switched_to_domestic_releases_its_locks(self):
        self.export.picking_ids.do_unreserve()
        self.export.sbk_trade_type = "domestic"
        self.assertEqual(self.lock.state, "released")
        self.assertTrue(self.lock.release_reason)
        self.assertEqual(self.product.sbk_export_locked_qty, 0)
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 1000)

    def test_a_domestic_order_switched_to_export_locks_its_stock(self):
        order = self._order(self.buyer_home, 300)
        order.picking_ids.do_unreserve()
        order.sbk_trade_type = "export"
        self.assertRecordValues(order.sbk_export_lock_ids, [{"state": "active", "quantity": 300}])
        # 1,000 on hand: 600 reserved by the export order, 300 locked by the switched one.
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 100)

    def test_deleting_a_line_releases_its_lock(self):
        # Odoo refuses to delete a confirmed order's line: the lock stays with it.
        with self.assertRaises(UserError):
            self.export.order_line.unlink()
        self.assertEqual(self.lock.state, "active")
        # A line Odoo lets go (a down payment-like line of a draft copy) takes its lock along.
        self.export._action_cancel()
        self.export.action_draft()
        self.export.action_confirm()
        lock = self.export.sbk_export_lock_ids.filtered(lambda lk: lk.state == "active")
        self.assertEqual(lock.quantity, 600)
        self.export._action_cancel()
        self.export.action_draft()
        self.export.order_line.unlink()
        self.assertFalse(self.export.sbk_export_lock_ids.filtered(lambda lk: lk.state == "active"))


@tagged("post_install", "-at_install")
class TestLotChosenUpFront(ExportReservationCommon):
    def setUp(self):
        super().setUp()
        self.product.tracking = "lot"
        self.lot_a = self.env["stock.lot"].create({"name": "LOT-A", "product_id": self.product.id})
        self.lot_b = self.env["stock.lot"].create({"name": "LOT-B", "product_id": self.product.id})
        self._stock(600, lot=self.lot_a)
        self._stock(400, lot=self.lot_b)

    def _export(self, quantity, lot):
        order = self._order(self.buyer_abroad, quantity, confirm=False)
        order.order_line.sbk_lot_id = lot
        order.action_confirm()
        return order

    def test_the_order_delivery_reserves_its_lot_and_no_other_order_can(self):
        export = self._export(400, self.lot_a)
        lock = export.sbk_export_lock_ids
        self.assertRecordValues(lock, [{"lot_id": self.lot_a.id, "quantity": 400}])
        self.assertEqual(export.picking_ids.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(self._reserved(export), 400)
        domestic = self._order(self.buyer_home, 1000)
        lines = domestic.picking_ids.move_line_ids
        self.assertEqual(lines.lot_id, self.lot_b)
        self.assertEqual(sum(lines.mapped("quantity")), 400)

    def test_a_lot_that_does_not_hold_the_quantity_is_refused(self):
        with self.assertRaisesRegex(UserError, "LOT-B can give only 400"):
            self._export(500, self.lot_b)
        order = self._order(self.buyer_abroad, 500, confirm=False)
        order.order_line.sbk_lot_id = self.lot_b
        with self.assertRaisesRegex(UserError, "LOT-B"):
            order.action_confirm()

    def test_changing_the_lot_of_a_confirmed_line_moves_the_lock(self):
        export = self._export(300, self.lot_b)
        old = export.sbk_export_lock_ids
        export.order_line.sbk_lot_id = self.lot_a
        self.assertEqual(old.state, "released")
        new = export.sbk_export_lock_ids.filtered(lambda lk: lk.state == "active")
        self.assertRecordValues(new, [{"lot_id": self.lot_a.id, "quantity": 300}])
        self.assertEqual(export.picking_ids.move_line_ids.lot_id, self.lot_a)

    def test_forcing_a_domestic_delivery_onto_the_locked_lot_is_refused(self):
        export = self._export(400, self.lot_a)
        domestic = self._order(self.buyer_home, 500)
        picking = domestic.picking_ids
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_b)
        # Lot A keeps 100 for a 400 lock, though the product keeps 500.
        picking.move_line_ids.write({"lot_id": self.lot_a.id, "quantity": 500, "picked": True})
        with self.assertRaisesRegex(UserError, export.name):
            picking.with_context(cancel_backorder=True, skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.product.with_context(lot_id=self.lot_a.id).qty_available, 600)
        # What the lock leaves in the lot may go.
        picking.move_line_ids.quantity = 200
        picking.with_context(cancel_backorder=True, skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        self._deliver(export, 400)
        self.assertEqual(export.sbk_export_lock_ids.state, "consumed")

    def test_scrapping_the_locked_lot_needs_a_manager(self):
        export = self._export(400, self.lot_a)

        def scrap(quantity):
            return (
                self.env["stock.scrap"]
                .with_user(self.trade_user)
                .create(
                    {
                        "product_id": self.product.id,
                        "lot_id": self.lot_a.id,
                        "scrap_qty": quantity,
                        "location_id": self.stock.id,
                    }
                )
            )

        refused = scrap(300)
        with self.assertRaisesRegex(UserError, export.name):
            refused.action_validate()
        self.assertEqual(refused.state, "draft")
        allowed = scrap(200)
        allowed.action_validate()
        self.assertEqual(allowed.state, "done")
        self.assertEqual(self.product.with_context(lot_id=self.lot_a.id).qty_available, 400)

    def test_lowering_a_lot_line_releases_the_difference(self):
        export = self._export(600, self.lot_a)
        export.order_line.product_uom_qty = 200
        lock = export.sbk_export_lock_ids
        self.assertRecordValues(lock, [{"lot_id": self.lot_a.id, "quantity": 200}])


@tagged("post_install", "-at_install")
class TestOrderChangesAfterDelivery(ExportReservationCommon):
    def test_raising_a_delivered_line_locks_only_the_extra(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 300)
        self._deliver(export, 300)
        self.assertEqual(export.sbk_export_lock_ids.state, "consumed")
        export.order_line.product_uom_qty = 500
        lock = export.sbk_export_lock_ids.filtered(lambda lk: lk.state == "active")
        self.assertRecordValues(lock, [{"required_qty": 200, "quantity": 200}])
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 500)
