from odoo import Command
from odoo.tests import tagged

from .common import ExportReservationCommon


@tagged("post_install", "-at_install")
class TestShipmentLoadingConsumesLocks(ExportReservationCommon):
    def test_loading_a_shipment_consumes_the_export_lock_for_what_was_loaded(self):
        self.product.write({"barcode": "6901234599503", "sbk_pcs_per_carton": 100})
        self._stock(1000)
        export = self._order(self.buyer_abroad, 800)
        lock = export.sbk_export_lock_ids
        domestic = self._order(self.buyer_home, 500)
        self.assertEqual(self._reserved(domestic), 200)
        # The warehouse user loads by scanner: 600 of the 800 go into the container.
        shipment = (
            self.env["sbk.shipment"]
            .with_user(self.trade_user)
            .create(
                {
                    "partner_id": self.buyer_abroad.id,
                    "picking_ids": [Command.set(export.picking_ids.ids)],
                }
            )
        )
        shipment.on_barcode_scanned("0106901234599503" + "30600")
        shipment.action_done_loading()
        self.assertEqual(shipment.state, "loaded")
        self.assertEqual((lock.consumed_qty, lock.remaining_qty, lock.state), (600, 200, "active"))
        self.assertEqual(
            self.product.with_context(warehouse_id=self.warehouse.id).sbk_export_locked_qty, 200
        )
        # The 200 left behind stay locked for the export backorder, out of domestic reach.
        domestic.picking_ids.action_assign()
        self.assertEqual(self._reserved(domestic), 200)
