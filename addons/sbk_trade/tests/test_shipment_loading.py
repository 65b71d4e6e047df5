from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .shipment_common import SbkShipmentCommon

FNC1 = "\x1d"


@tagged("post_install", "-at_install")
class TestShipmentLoading(SbkShipmentCommon):
    def _loaded(self, shipment):
        return [line.loaded_qty for line in shipment.packing_line_ids]

    def test_product_carton_and_gs1_scans_count_on_the_right_line(self):
        shipment = self._shipment(self.order_a)
        product_line, box_line = shipment.packing_line_ids
        result = shipment.on_barcode_scanned("6901234599107")
        self.assertEqual((result["line_id"], result["quantity"]), (product_line.id, 1.0))
        self.assertEqual(shipment.state, "loading")
        shipment.on_barcode_scanned("16901234599104")  # a carton of 50
        # GS1-128: (01) GTIN of the piece, (30) count of 120 pieces.
        shipment.on_barcode_scanned("0106901234599107" + "30120")
        # (01) GTIN of the carton without count: one carton.
        shipment.on_barcode_scanned("0116901234599104")
        shipment.on_barcode_scanned("6901234599206")
        self.assertEqual(self._loaded(shipment), [1 + 50 + 120 + 50, 1])
        self.assertEqual(len(shipment.scan_ids), 5)
        self.assertEqual(shipment.loaded_quantity, 222)

    def test_refused_scans_change_nothing(self):
        shipment = self._shipment(self.order_a)
        shipment.on_barcode_scanned("16901234599104")
        cases = [
            ("NO-SUCH-CODE", "Unknown barcode"),
            ("6901234599305", "is not on shipment"),  # the cover, not ordered here
            ("0106901234599107" + "302000", "Too many"),  # 2,000 pieces, 980 remain
            ("0199999999999997", "Unknown GTIN"),
            ("", "Empty scan"),
        ]
        for barcode, message in cases:
            with self.subTest(barcode=barcode), self.assertRaisesRegex(UserError, message):
                shipment.on_barcode_scanned(barcode)
        self.assertEqual(self._loaded(shipment), [50, 0])
        self.assertEqual(len(shipment.scan_ids), 1)

    def test_scanning_more_than_planned_is_refused_at_the_last_piece(self):
        shipment = self._shipment(self.order_b)
        shipment.on_barcode_scanned("0106901234599107" + "30200")
        with self.assertRaisesRegex(UserError, "only 0.0 remain"):
            shipment.on_barcode_scanned("6901234599107")
        self.assertEqual(self._loaded(shipment), [200])

    def test_scanning_a_container_number_switches_the_container_being_loaded(self):
        self.env.ref("sbk_trade.container_type_20gp").capacity_cbm = 1.0
        shipment = self._shipment(self.order_a, containers=("20GP", "40HQ"))
        first, second = shipment.container_ids.sorted("sequence")
        first.container_number = "CSQU3054383"
        second.container_number = "MSKU9070323"
        result = shipment.on_barcode_scanned("MSKU9070323")
        self.assertEqual(result["type"], "container")
        self.assertEqual(shipment.loading_container_id, second)
        shipment.on_barcode_scanned("16901234599104")
        split_first, split_second, _box = shipment.packing_line_ids
        self.assertEqual((split_first.loaded_qty, split_second.loaded_qty), (0, 50))

    def test_finish_loading_validates_what_was_loaded_and_backorders_the_rest(self):
        shipment = self._shipment(self.order_a)
        delivery = shipment.picking_ids
        for _carton in range(20):
            shipment.on_barcode_scanned("16901234599104")
        shipment.action_done_loading()
        self.assertEqual(shipment.state, "loaded")
        self.assertEqual(delivery.state, "done")
        done = {move.product_id: move.quantity for move in delivery.move_ids}
        self.assertEqual(done, {self.product: 1000})
        backorder = self.env["stock.picking"].search([("backorder_id", "=", delivery.id)])
        self.assertEqual(
            {move.product_id: move.product_uom_qty for move in backorder.move_ids},
            {self.product: 30, self.box: 100},
        )
        self.assertEqual(self.order_a.order_line.mapped("qty_delivered"), [1000, 0])
        self.assertEqual(self.order_a.sbk_milestone, "ready")
        with self.assertRaisesRegex(UserError, "nothing more can be loaded"):
            shipment.on_barcode_scanned("6901234599107")

    def test_warehouse_user_without_sales_rights_loads_and_finishes(self):
        warehouse_user = self._create_user("loader", ["stock.group_stock_user"])
        shipment = self._shipment(self.order_b).with_user(warehouse_user)
        shipment.on_barcode_scanned("0106901234599107" + "30200")
        self.assertEqual(shipment.loaded_quantity, 200)
        shipment.action_done_loading()
        self.assertEqual(shipment.state, "loaded")
        self.assertEqual(shipment.sudo().picking_ids.state, "done")
        self.assertEqual(shipment.scan_ids.user_id, warehouse_user)

    def test_finish_loading_needs_something_loaded(self):
        shipment = self._shipment(self.order_b)
        with self.assertRaisesRegex(UserError, "Nothing was loaded"):
            shipment.action_done_loading()
        self.assertEqual(shipment.picking_ids.state, "assigned")

    def test_recount_resets_loaded_quantities(self):
        shipment = self._shipment(self.order_b)
        shipment.on_barcode_scanned("6901234599107")
        with self.assertRaisesRegex(UserError, "Loading of .* has started"):
            shipment.container_ids = [Command.create({"container_type": "20GP"})]
        shipment.action_reset_loading()
        self.assertEqual(self._loaded(shipment), [0])
        self.assertEqual(shipment.state, "draft")
        self.assertFalse(shipment.scan_ids)


@tagged("post_install", "-at_install")
class TestShipmentLoadingLots(SbkShipmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Test Lot Lamp",
                "barcode": "6901234599404",
                "is_storable": True,
                "tracking": "lot",
                "sbk_hs_code_id": cls.hs_lighting.id,
                "sbk_pcs_per_carton": 10,
                "sbk_carton_length_cm": 40,
                "sbk_carton_width_cm": 30,
                "sbk_carton_height_cm": 20,
                "sbk_carton_net_weight": 5.0,
                "sbk_carton_gross_weight": 6.0,
            }
        )
        cls.lot_a = cls.env["stock.lot"].create({"name": "LOT-A", "product_id": cls.lamp.id})
        cls.lot_b = cls.env["stock.lot"].create({"name": "LOT-B", "product_id": cls.lamp.id})
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 30, lot_id=cls.lot_a)
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 30, lot_id=cls.lot_b)
        cls.order_lot = cls._confirmed_export_order([(cls.lamp, 40, 5.0)])

    def _label(self, lot, count):
        return "0106901234599404" + "30" + str(count) + FNC1 + "10" + lot

    def test_gs1_label_with_lot_loads_that_lot(self):
        shipment = self._shipment(self.order_lot)
        reserved = shipment.picking_ids.move_line_ids.lot_id
        self.assertEqual(reserved, self.lot_a | self.lot_b)
        with self.assertRaisesRegex(UserError, "tracked by lot"):
            shipment.on_barcode_scanned("6901234599404")
        with self.assertRaisesRegex(UserError, "LOT-X .* is not reserved"):
            shipment.on_barcode_scanned(self._label("LOT-X", 10))
        shipment.on_barcode_scanned(self._label("LOT-A", 25))
        shipment.on_barcode_scanned(self._label("LOT-B", 5))
        self.assertEqual(shipment.scan_ids.lot_id, self.lot_a | self.lot_b)
        shipment.action_done_loading()
        delivery = shipment.picking_ids
        self.assertEqual(delivery.state, "done")
        done = {ml.lot_id.name: ml.quantity for ml in delivery.move_line_ids}
        self.assertEqual(done, {"LOT-A": 25, "LOT-B": 5})
        backorder = self.env["stock.picking"].search([("backorder_id", "=", delivery.id)])
        self.assertEqual(backorder.move_ids.product_uom_qty, 10)

    def test_scanning_more_of_a_lot_than_reserved_is_refused_at_the_scan(self):
        shipment = self._shipment(self.order_lot)
        reserved = {ml.lot_id.name: ml.quantity for ml in shipment.picking_ids.move_line_ids}
        self.assertEqual(reserved, {"LOT-A": 30, "LOT-B": 10})
        shipment.on_barcode_scanned(self._label("LOT-B", 6))
        # 30 of LOT-B are in stock, 30 pieces remain to load, but the delivery holds 10 of it.
        with self.assertRaisesRegex(UserError, "Too many of lot LOT-B .* reserved 10.0 .* 6.0"):
            shipment.on_barcode_scanned(self._label("LOT-B", 5))
        self.assertEqual(shipment.packing_line_ids.loaded_qty, 6)
        self.assertEqual(len(shipment.scan_ids), 1)
        shipment.on_barcode_scanned(self._label("LOT-B", 4))
        shipment.on_barcode_scanned(self._label("LOT-A", 30))
        shipment.action_done_loading()
        done = {ml.lot_id.name: ml.quantity for ml in shipment.picking_ids.move_line_ids}
        self.assertEqual(done, {"LOT-A": 30, "LOT-B": 10})
