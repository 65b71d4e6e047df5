from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SbkTradeCommon


@tagged("post_install", "-at_install")
class TestProductMaster(SbkTradeCommon):
    def test_trade_fields_are_shared_by_template_and_variant(self):
        template = self.product.product_tmpl_id
        self.assertEqual(self.product.sbk_hs_code_id, self.hs_lighting)
        self.assertEqual(template.sbk_name_cn, "吸顶灯测试款")
        self.assertAlmostEqual(self.product.sbk_carton_cbm, 0.06944, places=6)

    def test_cbm_follows_carton_dimensions(self):
        self.product.sbk_carton_height_cm = 50
        self.assertAlmostEqual(self.product.sbk_carton_cbm, 0.0992, places=6)

    def test_rebate_rate_defaults_from_hs_code_and_can_be_overridden(self):
        self.assertEqual(self.product.sbk_rebate_rate, 13.0)
        self.product.sbk_rebate_rate = 9.0
        self.assertEqual(self.product.sbk_rebate_rate, 9.0)
        self.product.sbk_hs_code_id = self.hs_plastics
        self.assertEqual(self.product.sbk_rebate_rate, 9.0)
        self.hs_plastics.rebate_rate = 6.0
        self.assertEqual(self.product.sbk_rebate_rate, 6.0)

    def test_name_search_matches_trade_names_and_aliases(self):
        Product = self.env["product.product"]
        for term in ("吸顶灯测试", "Ceiling Light 18W", "flush mount", "TCL18", "TCL18-BARCODE"):
            with self.subTest(term=term):
                found = [pid for pid, _name in Product.name_search(term)]
                self.assertIn(self.product.id, found)
        self.assertIn(self.product, Product.search([("display_name", "ilike", "downlight")]))
        templates = self.env["product.template"].name_search("downlight")
        self.assertIn(self.product.product_tmpl_id.id, [tid for tid, _name in templates])

    def test_packing_with_partial_carton(self):
        packing = self.product.product_tmpl_id._sbk_pack(1030)
        self.assertEqual(packing.cartons, 21)
        self.assertEqual(packing.pcs_last_carton, 30)
        self.assertAlmostEqual(packing.volume, 21 * 0.06944, places=6)
        self.assertAlmostEqual(packing.net_weight, 463.5, places=6)
        self.assertAlmostEqual(packing.gross_weight, 463.5 + 21 * 1.5, places=6)

    def test_one_packing_answer_with_and_without_a_spec(self):
        packed = self.product._sbk_get_packing(1030)
        self.assertEqual((packed.cartons, packed.pcs_last_carton), (21, 30))
        self.assertAlmostEqual(packed.gross_weight, 463.5 + 21 * 1.5, places=6)
        # Pieces per carton without a carton size are no packing spec: the product's own
        # weight and volume answer, as for a product with no spec at all.
        loose = self.env["product.product"].create(
            {"name": "Loose Driver", "sbk_pcs_per_carton": 40, "weight": 0.25, "volume": 0.02}
        )
        self.assertFalse(loose.product_tmpl_id._sbk_has_packing())
        packing = loose._sbk_get_packing(100)
        self.assertEqual((packing.cartons, packing.pcs_last_carton), (0, 0.0))
        self.assertAlmostEqual(packing.net_weight, 25.0)
        self.assertAlmostEqual(packing.gross_weight, 25.0)
        self.assertAlmostEqual(packing.volume, 2.0)
        bare = self.env["product.product"].create({"name": "Bare"})
        self.assertEqual(bare._sbk_get_packing(10).gross_weight, 0.0)

    def test_packing_validation_messages(self):
        cases = [
            ({"sbk_pcs_per_carton": -1}, "pieces per carton must be positive"),
            ({"sbk_carton_length_cm": -3}, "cannot be negative"),
            ({"sbk_carton_gross_weight": 20.0}, "cannot be below its net weight"),
            ({"sbk_rebate_rate": 150.0}, "between 0 and 100"),
            ({"sbk_rebate_rate": 16.0}, "cannot exceed the VAT rate"),
            ({"sbk_moq": -5}, "MOQ cannot be negative"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    self.product.write(vals)
                self.assertIn(message, str(caught.exception))
                # The refused value must not linger for the next case.
                self.env.invalidate_all()

    def test_missing_hs_code_and_packing_filters(self):
        bare = self.env["product.template"].create({"name": "Unprepared", "is_storable": True})
        missing_hs = self.env["product.template"].search([("sbk_hs_code_id", "=", False)])
        self.assertIn(bare, missing_hs)
        self.assertNotIn(self.product.product_tmpl_id, missing_hs)
        self.assertFalse(bare._sbk_has_packing())
        self.assertTrue(self.product.product_tmpl_id._sbk_has_packing())

    def test_user_creates_product_with_trade_attributes(self):
        with Form(self.env["product.template"]) as form:
            form.name = "Desk Lamp"
            form.is_storable = True
            form.sbk_name_cn = "台灯"
            form.sbk_hs_code_id = self.hs_lighting
            form.sbk_pcs_per_carton = 20
            form.sbk_carton_length_cm = 50
            form.sbk_carton_width_cm = 40
            form.sbk_carton_height_cm = 30
            self.assertAlmostEqual(form.sbk_carton_cbm, 0.06, places=6)
            self.assertEqual(form.sbk_rebate_rate, 13.0)
            form.sbk_moq = 100
        template = form.record
        self.assertEqual(template.sbk_moq, 100)
        # The same record production and finance see.
        self.assertEqual(template.product_variant_id.sbk_hs_code_id, self.hs_lighting)
