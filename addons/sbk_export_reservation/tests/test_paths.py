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
