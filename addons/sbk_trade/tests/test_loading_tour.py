import io

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged

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
        declaration = self._declared(100)
        shipment = declaration.shipment_id
        self.authenticate("admin", "admin")
        for url in (
            f"/sbk_trade/shipment/{shipment.id}/packing_list.xlsx",
            f"/sbk_trade/declaration/{declaration.id}/lines.xlsx",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("spreadsheetml", response.headers["Content-Type"])
            self.assertEqual(response.content[:2], b"PK")  # a zip: the XLSX container

    def test_loading_screen_shows_the_shipment_to_a_warehouse_user(self):
        new_test_user(
            self.env, "loader_screen", groups="stock.group_stock_user", password="loader-pw"
        )
        order = self._confirmed_export_order([(self.product, 120, 10.0)])
        shipment = self._shipment(order)
        shipment.on_barcode_scanned("0106901234599107" + "3050")
        self.authenticate("loader_screen", "loader-pw")
        data = self.make_jsonrpc_request(f"/sbk_trade/shipment/{shipment.id}/loading")
        self.assertEqual((data["name"], data["partner"]), (shipment.name, "Foreign Buyer"))
        self.assertEqual((data["loaded_quantity"], data["total_quantity"]), (50, 120))
        self.assertEqual(
            [
                (line["carton_range"], line["quantity"], line["loaded_qty"])
                for line in data["lines"]
            ],
            [("1-3", 120, 50)],
        )

    def test_declaration_number_with_slashes_and_colons_downloads(self):
        declaration = self._declared(100)
        self.authenticate("admin", "admin")
        for number, sheet in (("NB/2026:0001", "NB-2026-0001"), ("'SH:01/02'", "SH-01-02")):
            declaration.name = number
            response = self.url_open(f"/sbk_trade/declaration/{declaration.id}/lines.xlsx")
            self.assertEqual(response.status_code, 200, number)
            self.assertIn("spreadsheetml", response.headers["Content-Type"])
            workbook = openpyxl.load_workbook(io.BytesIO(response.content))
            self.assertEqual(workbook.sheetnames, [sheet])
            self.assertEqual(workbook.active["B1"].value, number)
