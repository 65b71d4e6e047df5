from odoo.tests import Form, tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestManufacturedOrder(LandedCostCommon):
    """Goods made for the order count through their components, not again at their
    valuation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.module = cls.env["product.product"].create(
            {
                "name": "LED Module",
                "is_storable": True,
                "standard_price": 2.0,
                "categ_id": cls.category.id,
                "sbk_hs_code_id": cls.hs_code.id,
            }
        )
        cls.assembled = cls._product(
            "Assembled Lamp", 9.0, pcs=10, size=(40, 40, 40), net=8.0, gross=9.0
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.assembled.product_tmpl_id.id,
                "product_qty": 1.0,
                "bom_line_ids": [(0, 0, {"product_id": cls.module.id, "product_qty": 2.0})],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.module, cls.stock, 500)

    def test_components_are_the_procurement_of_goods_made_for_the_order(self):
        order = self._order([(self.assembled, 100, 20.0)])
        production = order.sbk_production_ids | order.mrp_production_ids
        self.assertEqual(len(production), 1, "planning made one MO for the shortage")
        if production.state == "draft":
            production.action_confirm()
        form = Form(production)
        form.qty_producing = 100
        production = form.save()
        production.move_raw_ids.picked = True
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        # 200 modules at 2.00 consumed for the order
        self.assertMoney(order.sbk_cost_procurement, 400.0)
        self._deliver(order)
        # the 100 lamps delivered were made for the order: not counted at their valuation
        self.assertMoney(order.sbk_cost_procurement, 400.0)
        self.assertEqual(self._costs(order, "procurement").source_ref, production)
        self.assertMoney(order.sbk_vat_borne, 52.0)
        self.assertMoney(order.sbk_tax_rebate, 36.0)

    def test_components_are_expected_at_standard_cost_before_production(self):
        order = self._order([(self.assembled, 100, 20.0)])
        self.assertTrue(order.sbk_production_ids | order.mrp_production_ids)
        # 200 modules at the standard 2.00 still to consume; the 100 lamps come from the MO
        self.assertMoney(order.sbk_cost_procurement, 0.0)
        self.assertMoney(order.sbk_expected_procurement, 400.0)
        self.assertEqual(order.sbk_procurement_status, "expected")
        self.assertMoney(order.sbk_expected_vat_borne, 52.0)
        self.assertMoney(order.sbk_expected_tax_rebate, 36.0)
        # 2,000 - 400 - 52 + 36
        self.assertMoney(order.sbk_expected_profit, 1584.0)
        self.assertAlmostEqual(order.sbk_expected_margin, 79.2, places=2)
