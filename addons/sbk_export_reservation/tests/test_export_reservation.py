from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ExportReservationCommon


@tagged("post_install", "-at_install")
class TestExportPriority(ExportReservationCommon):
    def test_domestic_order_gets_only_what_the_export_lock_leaves(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        self.assertEqual(export.sbk_trade_type, "export")
        lock = export.sbk_export_lock_ids
        self.assertRecordValues(
            lock,
            [
                {
                    "product_id": self.product.id,
                    "quantity": 800,
                    "required_qty": 800,
                    "state": "active",
                    "location_id": self.stock.id,
                }
            ],
        )
        self.assertEqual(self._reserved(export), 800)

        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(domestic.sbk_trade_type, "domestic")
        self.assertEqual(self._reserved(domestic), 200)
        # Checking availability again changes nothing.
        domestic.picking_ids.action_assign()
        self.assertEqual(self._reserved(domestic), 200)
        self.assertEqual(self._reserved(export), 800)

    def test_unreserved_lock_is_still_out_of_domestic_reach(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        export.picking_ids.do_unreserve()
        self.assertEqual(self._reserved(export), 0)
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 200)
        self.assertEqual(self.product.sbk_export_locked_qty, 800)
        self.assertEqual(self.product.sbk_domestic_available_qty, 0)
        export.picking_ids.action_assign()
        self.assertEqual(self._reserved(export), 800)

    def test_product_quantities_respect_the_warehouse_context(self):
        self._stock(1000)
        self._order(self.buyer_abroad, 800)
        product = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.sbk_export_locked_qty, 800)
        self.assertEqual(product.sbk_domestic_available_qty, 200)
        other = self.env["stock.warehouse"].create({"name": "Second WH", "code": "WH2"})
        elsewhere = self.product.with_context(warehouse_id=other.id)
        self.assertEqual(elsewhere.sbk_export_locked_qty, 0)
        self.assertEqual(elsewhere.sbk_domestic_available_qty, 0)

    def test_export_lock_waits_for_stock_and_incoming_fills_it_first(self):
        self._stock(300)
        export = self._order(self.buyer_abroad, 800)
        lock = export.sbk_export_lock_ids
        self.assertEqual((lock.quantity, lock.missing_qty), (300, 500))
        domestic = self._order(self.buyer_home, 400)
        self.assertEqual(self._reserved(domestic), 0)

        self._receive(600)
        self.assertEqual(lock.quantity, 800)
        self.assertEqual(self._reserved(export), 800)
        self.assertEqual(self._reserved(domestic), 100)

    def test_earlier_etd_is_served_first(self):
        late = self._order(self.buyer_abroad, 500, sbk_etd="2030-06-30")
        early = self._order(self.buyer_abroad, 500, sbk_etd="2030-03-31")
        self._receive(700)
        self.assertEqual(early.sbk_export_lock_ids.quantity, 500)
        self.assertEqual(late.sbk_export_lock_ids.quantity, 200)

    def test_lot_specific_lock_holds_that_batch(self):
        self.product.tracking = "lot"
        lot_a = self.env["stock.lot"].create({"name": "BATCH-A", "product_id": self.product.id})
        lot_b = self.env["stock.lot"].create({"name": "BATCH-B", "product_id": self.product.id})
        self._stock(600, lot=lot_a)
        self._stock(400, lot=lot_b)
        export = self._order(self.buyer_abroad, 600, confirm=False)
        export.action_confirm()
        export.picking_ids.do_unreserve()
        lock = export.sbk_export_lock_ids
        lock.write({"lot_id": lot_a.id})
        domestic = self._order(self.buyer_home, 1000)
        lines = domestic.picking_ids.move_ids.move_line_ids
        self.assertEqual(sum(lines.mapped("quantity")), 400)
        self.assertEqual(lines.lot_id, lot_b)

    def test_cancelling_the_export_order_releases_its_locks(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        export._action_cancel()
        self.assertEqual(export.sbk_export_lock_ids.state, "released")
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 1000)

    def test_manual_release_needs_a_manager_and_a_reason(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        lock = export.sbk_export_lock_ids
        with self.assertRaisesRegex(UserError, "Only a Trade Manager"):
            lock.with_user(self.trade_user).action_release("no reason needed?")
        with self.assertRaisesRegex(UserError, "reason"):
            lock.with_user(self.manager).action_release("  ")
        wizard = Form(
            self.env["sbk.export.lock.release"]
            .with_user(self.manager)
            .with_context(default_lock_ids=lock.ids)
        )
        wizard.reason = "Buyer moved the shipment to next season"
        wizard.save().action_release()
        self.assertEqual(lock.state, "released")
        self.assertEqual(lock.release_reason, "Buyer moved the shipment to next season")
        self.assertIn("next season", lock.message_ids[0].body)

    def test_partial_export_delivery_consumes_partially(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        lock = export.sbk_export_lock_ids
        self._deliver(export, 300)
        self.assertEqual((lock.consumed_qty, lock.remaining_qty, lock.state), (300, 500, "active"))
        self._deliver(export, 500)
        self.assertEqual((lock.consumed_qty, lock.state), (800, "consumed"))
        self.assertEqual(self.product.sbk_export_locked_qty, 0)

    def test_warehouse_user_without_sales_rights_validates_export_delivery(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        storekeeper = new_test_user(
            self.env,
            "storekeeper",
            groups="base.group_user,stock.group_stock_manager",
            name="Storekeeper",
        )
        picking = export.picking_ids.with_user(storekeeper)
        picking.move_ids.write({"quantity": 800, "picked": True})
        picking.button_validate()
        self.assertEqual(export.picking_ids.state, "done")
        self.assertEqual(export.sbk_export_lock_ids.state, "consumed")

    def test_scrap_below_locked_stock_needs_a_manager(self):
        self._stock(1000)
        self._order(self.buyer_abroad, 800)
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.trade_user)
            .create({"product_id": self.product.id, "scrap_qty": 300, "location_id": self.stock.id})
        )
        with self.assertRaisesRegex(UserError, "Trade Manager"):
            scrap.action_validate()
        scrap_ok = (
            self.env["stock.scrap"]
            .with_user(self.trade_user)
            .create({"product_id": self.product.id, "scrap_qty": 150, "location_id": self.stock.id})
        )
        scrap_ok.action_validate()
        self.assertEqual(scrap_ok.state, "done")

    def test_domestic_orders_unaffected_without_export_orders(self):
        self._stock(1000)
        domestic = self._order(self.buyer_home, 1000)
        self.assertEqual(self._reserved(domestic), 1000)
        self.assertFalse(self.env["sbk.export.lock"].search([("product_id", "=", self.product.id)]))

    def test_sale_line_availability_shows_what_domestic_can_get(self):
        self._stock(1000)
        self._order(self.buyer_abroad, 800)
        domestic = self._order(self.buyer_home, 50, confirm=False)
        line = domestic.order_line
        line._compute_qty_at_date()
        self.assertEqual(line.free_qty_today, 200)

    def test_smart_button_and_planning_see_the_locks(self):
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        self.assertEqual(export.sbk_export_lock_count, 1)
        action = export.action_sbk_view_export_locks()
        self.assertEqual(
            self.env["sbk.export.lock"].search(action["domain"]), export.sbk_export_lock_ids
        )
        free = self.product._sbk_get_free_qty(self.warehouse)
        self.assertEqual(free[self.product], 200)
        own = self.product._sbk_get_free_qty(self.warehouse, exclude_sale_order=export)
        # The order's own locked stock is reserved by its delivery: free for nobody else.
        self.assertEqual(own[self.product], 200)
