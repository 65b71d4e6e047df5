from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestBasisProfit(LandedCostCommon):
    """The same goods on the FOB, CIF and landed bases (docs/trade-formulas.md, "Order profit")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 100)

    def test_fob_order_uses_the_freight_estimate_on_the_cif_basis(self):
        # 1,000 shades FOB at 5.00, from stock at 3.00; agent 3 % of the invoice value.
        order = self._order(
            [(self.shade, 1000, 5.0)],
            incoterm=self.incoterm_fob,
            sbk_freight_estimate=800.0,
            sbk_commission_rate=3.0,
        )
        self._deliver(order)
        self.assertMoney(order.sbk_cost_procurement, 3000.0)
        self.assertMoney(order.sbk_vat_borne, 390.0)
        self.assertMoney(order.sbk_tax_rebate, 270.0)
        self.assertMoney(order.sbk_fob_revenue, 5000.0)
        # CIF = (5,000 + 800) / (1 - 1.1 x 0.3 %); INS = 19.20 once on the total
        self.assertMoney(order.sbk_cif_ocean_freight, 800.0)
        self.assertMoney(order.sbk_cif_insurance, 19.20)
        self.assertMoney(order.sbk_cif_revenue, 5819.20)
        self.assertMoney(order.sbk_commission_fob, 150.0)
        self.assertMoney(order.sbk_commission_cif, 174.58)
        self.assertMoney(order.sbk_profit_fob, 5000 - 3000 - 150 - 390 + 270)
        self.assertMoney(order.sbk_profit_cif, 5819.20 - 3000 - 800 - 19.20 - 174.58 - 120)
        # Nothing of the ocean leg is posted: landed = real = FOB here.
        self.assertMoney(order.sbk_profit_landed, 1730.0)
        self.assertMoney(order.sbk_real_profit, 1730.0)
        line = order.order_line
        self.assertEqual(line.sbk_price_fob, 5.0)
        self.assertAlmostEqual(line.sbk_price_cif, 5.82, places=2)

    def test_posted_ocean_freight_replaces_the_estimate(self):
        order = self._order(
            [(self.shade, 1000, 5.0)],
            incoterm=self.incoterm_fob,
            sbk_freight_estimate=800.0,
            sbk_commission_rate=3.0,
        )
        self._deliver(order)
        self._bill([(self.ocean_freight, 750.0, order)])
        self.assertMoney(order.sbk_cif_ocean_freight, 750.0)
        self.assertMoney(order.sbk_cif_insurance, 19.04)
        self.assertMoney(order.sbk_cif_revenue, 5769.04)
        self.assertMoney(order.sbk_profit_cif, 5769.04 - 3000 - 750 - 19.04 - 173.07 - 120)
        self.assertMoney(order.sbk_profit_landed, 1730.0 - 750.0)
        self.assertMoney(order.sbk_profit_fob, 1730.0)

    def test_exw_order_adds_domestic_costs_for_fob(self):
        order = self._order([(self.lamp, 100, 9.0)], incoterm=self.incoterm_exw)
        self._deliver(order)
        self._bill([(self.trucking, 40.0, order), (self.customs, 20.0, order)])
        self.assertMoney(order.sbk_revenue, 900.0)
        self.assertMoney(order.sbk_fob_revenue, 960.0)
        self.assertAlmostEqual(order.order_line.sbk_price_fob, 9.6, places=2)
        self.assertEqual(order.order_line.sbk_price_cif > 9.6, True)
        # procurement 600, VAT borne 78, rebate 54
        self.assertMoney(order.sbk_profit_fob, 960 - 600 - 60 - 78 + 54)
        self.assertMoney(order.sbk_profit_landed, 900 - 600 - 60 - 78 + 54)

    def test_commission_on_fob_base_is_the_same_on_every_basis(self):
        order = self._order(
            [(self.shade, 100, 5.0)],
            incoterm=self.incoterm_cif,
            sbk_commission_rate=2.0,
            sbk_commission_base="fob",
        )
        self._bill([(self.ocean_freight, 100.0, order), (self.insurance, 1.65, order)])
        # FOB = 500 - 100 - 1.65 = 398.35; 2 % = 7.97 on every basis
        self.assertMoney(order.sbk_fob_revenue, 398.35)
        self.assertMoney(order.sbk_cost_commission, 7.97)
        self.assertMoney(order.sbk_commission_fob, 7.97)
        self.assertMoney(order.sbk_commission_cif, 7.97)

    def test_declared_fob_price_takes_off_freight_and_insurance(self):
        """sbk_trade's customs value asks this addon for the line's FOB price (a hook)."""
        order = self._order([(self.shade, 100, 5.0)], incoterm=self.incoterm_cif)
        order.order_line.discount = 10.0
        self._bill([(self.ocean_freight, 100.0, order), (self.insurance, 1.65, order)])
        # FOB = 450 - 100 - 1.65 = 348.35, shared by value: 4.50 x 348.35 / 450
        self.assertMoney(order.sbk_fob_revenue, 348.35)
        self.assertAlmostEqual(
            order.order_line._sbk_get_fob_unit_price_per_product_uom(), 3.4835, places=6
        )
        fob_order = self._order([(self.shade, 10, 5.0)], incoterm=self.incoterm_fob)
        self.assertEqual(fob_order.order_line._sbk_get_fob_unit_price_per_product_uom(), 5.0)
