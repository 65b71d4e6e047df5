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

    def test_packing_list_and_declaration_download_as_xlsx(self):
        order = self._confirmed_export_order([(self.product, 100, 10.0)])
        shipment = self._shipment(order)
        shipment.on_barcode_scanned("0106901234599107" + "30100")
        shipment.action_done_loading()
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        self.authenticate("admin", "admin")
        for url in (
            f"/sbk_trade/shipment/{shipment.id}/packing_list.xlsx",
            f"/sbk_trade/declaration/{declaration.id}/lines.xlsx",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("spreadsheetml", response.headers["Content-Type"])
            self.assertEqual(response.content[:2], b"PK")  # a zip: the XLSX container
