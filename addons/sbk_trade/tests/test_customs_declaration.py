from odoo.exceptions import UserError
from odoo.tests import tagged

from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestCustomsDeclaration(SbkShipmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_c = cls._confirmed_export_order(
            [(cls.product, 300, 10.0), (cls.box, 48, 20.0), (cls.cover, 100, 0.55)]
        )

    def _loaded_shipment(self, scans):
        shipment = self._shipment(self.order_c)
        for barcode in scans:
            shipment.on_barcode_scanned(barcode)
        shipment.action_done_loading()
        return shipment

    def test_declaration_lines_are_aggregated_per_hs_code(self):
        shipment = self._loaded_shipment(
            [
                "0106901234599107" + "30250",  # 250 lights of 300
                "0106901234599206" + "3048",  # 48 panels
                "0106901234599305" + "30100",  # 100 covers
            ]
        )
        action = shipment.action_create_declaration()
        declaration = self.env["sbk.customs.declaration"].browse(action["res_id"])
        self.assertEqual(shipment.declaration_ids, declaration)
        # Lines follow the HS codes' order.
        plastics, lighting = declaration.line_ids
        self.assertEqual(lighting.hs_code_id, self.hs_lighting)
        self.assertEqual(lighting.quantity, 298)
        self.assertEqual(lighting.product_ids, self.product | self.box)
        self.assertEqual(lighting.goods_name, "吸顶灯测试款、面板灯测试款")
        # 250 x 10.00 + 48 x 20.00
        self.assertEqual(lighting.amount_fob, 3460.0)
        # 250 x 22.5 / 50 + 48 x 12 / 24
        self.assertAlmostEqual(lighting.net_weight, 112.5 + 24.0)
        self.assertEqual(plastics.hs_code_id, self.hs_plastics)
        self.assertEqual((plastics.quantity, plastics.amount_fob), (100, 55.0))
        self.assertAlmostEqual(plastics.net_weight, 20.0)  # 100 x 0.2 kg, no packing spec
        # The packing list weighs the covers the same way.
        cover_line = shipment.packing_line_ids.filtered(lambda line: line.product_id == self.cover)
        self.assertAlmostEqual(cover_line.net_weight, plastics.net_weight)
        self.assertEqual(plastics.origin_country_id, self.company.country_id)
        self.assertEqual(declaration.amount_fob, 3515.0)
        self.assertEqual(declaration.currency_id, self.order_c.currency_id)
        self.assertEqual(declaration.customs_port, "Ningbo")
        with self.assertRaisesRegex(UserError, "already has declaration"):
            shipment.action_create_declaration()

    def test_declaration_needs_a_loaded_shipment_and_hs_codes(self):
        shipment = self._shipment(self.order_c)
        with self.assertRaisesRegex(UserError, "Finish loading"):
            shipment.action_create_declaration()
        self.cover.sbk_hs_code_id = False
        shipment.on_barcode_scanned("6901234599305")
        shipment.action_done_loading()
        with self.assertRaisesRegex(UserError, "No HS code on .*Test Plastic Cover"):
            shipment.action_create_declaration()
        self.assertFalse(shipment.declaration_ids)

    def test_states_follow_customs_and_the_order_milestone_follows_them(self):
        order = self._confirmed_export_order([(self.product, 100, 10.0)])
        shipment = self._shipment(order)
        shipment.on_barcode_scanned("0106901234599107" + "30100")
        shipment.action_done_loading()
        order.invalidate_recordset(["sbk_milestone"])
        self.assertEqual(order.sbk_milestone, "loaded")
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        with self.assertRaisesRegex(UserError, "declaration number"):
            declaration.action_submit()
        with self.assertRaisesRegex(UserError, "only a Submitted declaration"):
            declaration.action_release()
        declaration.name = "310120261125000001"
        declaration.action_submit()
        self.assertTrue(declaration.date_submitted)
        with self.assertRaisesRegex(UserError, "only a Released declaration"):
            declaration.action_clear()
        declaration.action_release()
        self.assertEqual(shipment.state, "loaded")
        declaration.action_clear()
        self.assertEqual(declaration.state, "cleared")
        self.assertTrue(declaration.date_cleared)
        self.assertEqual(shipment.state, "cleared")
        order.invalidate_recordset(["sbk_milestone"])
        self.assertEqual(order.sbk_milestone, "cleared")
        self.assertEqual(order.sbk_declaration_count, 1)
        with self.assertRaisesRegex(UserError, "customs must amend"):
            declaration.action_cancel()
