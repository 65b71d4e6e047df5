from odoo.tests import HttpCase, tagged

from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestLoadingTour(SbkShipmentCommon, HttpCase):
    def test_warehouse_loads_a_shipment_with_a_scanner(self):
        order = self._confirmed_export_order([(self.product, 120, 10.0)])
        shipment = self._shipment(order)
        self.start_tour(
            f"/odoo/action-sbk_trade.action_sbk_shipment/{shipment.id}",
            "sbk_trade_loading_tour",
            login="admin",
        )
        self.assertEqual(shipment.state, "loaded")
        self.assertEqual(shipment.loaded_quantity, 100)
        self.assertEqual(len(shipment.scan_ids), 3)
        delivery = shipment.picking_ids
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_ids.quantity, 100)
