from odoo import Command
from odoo.tests import Form, tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestQuotedPrices(LandedCostCommon):
    """The trade quotes both terms; the profit on each basis rests on the quotes (#16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)

    def test_cif_order_whose_quoted_fob_would_have_paid_more(self):
        # 1,000 shades sold CIF at 5.80, quoted FOB 5.20; from stock at 3.00; ocean freight
        # 700.00 billed, no insurance bill: INS = 5,800 x 1.1 x 0.3 % = 19.14.
        order = self._order([(self.shade, 1000, 5.80)], incoterm=self.incoterm_cif)
        self._deliver(order)
        self._bill([(self.ocean_freight, 700.0, order)])
        line = order.order_line
        self.assertEqual(line.sbk_price_cif, line.price_unit)
        # No FOB quote yet: derived from the costs, (5,800 - 700 - 19.14) / 1,000, and marked.
        self.assertAlmostEqual(line.sbk_price_fob, 5.08, places=2)
        self.assertTrue(line.sbk_price_derived)
        self.assertMoney(order.sbk_profit_fob, 5080.86 - 3000 - 390 + 270)
        self.assertMoney(order.sbk_profit_cif, 5800 - 3000 - 700 - 19.14 - 390 + 270)

        line.sbk_price_fob = 5.20
        self.assertEqual(line.sbk_quoted_price_fob, 5.20)
        self.assertEqual(line.price_unit, 5.80, "the term sold keeps its price")
        self.assertFalse(line.sbk_price_derived)
        self.assertEqual(line.sbk_price_fob, 5.20)
        self.assertMoney(order.sbk_fob_revenue, 5200.0)
        self.assertMoney(order.sbk_cif_revenue, 5800.0)
        # FOB: 5,200 - 3,000 - VAT borne 390 + rebate 270 = 2,080.00
        self.assertMoney(order.sbk_profit_fob, 2080.0)
        # CIF: 5,800 - 3,000 - 700 - 19.14 - 390 + 270 = 1,960.86
        self.assertMoney(order.sbk_profit_cif, 1960.86)
        self.assertEqual(order.sbk_better_term, "fob")
        self.assertMoney(order.sbk_term_advantage, 119.14)
        # The declared FOB value stays derived from the actual freight and insurance.
        self.assertMoney(order.sbk_fob_declared, 5080.86)
        self.assertMoney(order.sbk_real_profit, 5800 - 3000 - 700 - 390 + 270)
        # A declaration of the whole order states the freight and insurance apart.
        freight, insurance = order._sbk_get_freight_and_insurance(5800.0, 5080.86)
        self.assertMoney(freight, 700.0)
        self.assertMoney(insurance, 19.14)

        report = self.env["sbk.profit.report"].search([("order_id", "=", order.id)])
        self.assertMoney(report.term_advantage, 119.14)
        self.assertEqual(report.better_term, "fob")

    def test_fob_order_with_a_cif_quote_insures_the_quoted_value(self):
        # 1,000 shades sold FOB at 5.00, quoted CIF 5.90; freight estimate 800.
        order = self._order(
            [(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob, sbk_freight_estimate=800.0
        )
        self._deliver(order)
        line = order.order_line
        line.sbk_price_cif = 5.90
        line.sbk_price_fob = 5.00
        self.assertEqual(line.price_unit, 5.0)
        self.assertMoney(order.sbk_cif_revenue, 5900.0)
        # INS = 5,900 x 1.1 x 0.3 % = 19.47; CIF: 5,900 - 3,000 - 800 - 19.47 - 120 = 1,960.53
        self.assertMoney(order.sbk_cif_insurance, 19.47)
        self.assertMoney(order.sbk_profit_cif, 1960.53)
        self.assertMoney(order.sbk_profit_fob, 5000 - 3000 - 120)
        self.assertEqual(order.sbk_better_term, "cif")
        self.assertMoney(order.sbk_term_advantage, -80.53)
        self.assertMoney(order.sbk_fob_declared, 5000.0)

    def test_cif_declaration_states_freight_and_insurance_apart(self):
        # 1,000 shades CIF at 5.80; ocean freight 700.00 billed; INS by formula 19.14.
        order = self._order([(self.shade, 1000, 5.80)], incoterm=self.incoterm_cif)
        self._bill([(self.ocean_freight, 700.0, order)])
        order.order_line.sbk_price_fob = 5.20  # a quote never changes what is declared
        declaration = self._cleared_declaration(order)
        self.assertTrue(declaration.states_freight)
        self.assertMoney(declaration.amount_fob, 5080.86)
        self.assertMoney(declaration.amount_freight, 700.0)
        self.assertMoney(declaration.amount_insurance, 19.14)
        self.assertMoney(declaration.amount_invoice, 5800.0)

    def test_user_quotes_the_other_term_on_the_order_form(self):
        order = self._order([(self.shade, 1000, 5.80)], incoterm=self.incoterm_cif, confirm=False)
        with Form(order.with_user(self.manager)) as form:
            with form.order_line.edit(0) as line:
                line.sbk_price_fob = 5.20
        line = order.order_line
        self.assertEqual(line.sbk_quoted_price_fob, 5.20)
        self.assertEqual(line.price_unit, 5.80)
        self.assertFalse(line.sbk_price_derived)
        self.assertMoney(order.sbk_fob_revenue, 5200.0)

    def test_other_term_quoted_from_its_pricelist(self):
        # FOB Ningbo pricelist: shades 5.20, 5.10 from 500.
        fob_pricelist = self.env["product.pricelist"].create(
            {
                "name": "FOB Ningbo",
                "currency_id": self.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.shade.id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                            "min_quantity": min_quantity,
                        }
                    )
                    for price, min_quantity in ((5.20, 0.0), (5.10, 500.0))
                ],
            }
        )
        order = self._order(
            [(self.shade, 400, 5.80)],
            incoterm=self.incoterm_cif,
            confirm=False,
            currency_id=self.company.currency_id.id,
            sbk_pricelist_fob_id=fob_pricelist.id,
        )
        line = order.order_line
        self.assertEqual(line.sbk_quoted_price_fob, 5.20)
        self.assertEqual(line.sbk_price_fob, 5.20)
        self.assertEqual(line.price_unit, 5.80, "the term sold keeps its price")
        self.assertFalse(line.sbk_price_derived)
        self.assertMoney(order.sbk_fob_revenue, 2080.0)

        line.product_uom_qty = 1000
        self.assertEqual(line.sbk_price_fob, 5.10, "the pricelist's price for the quantity")
        self.assertMoney(order.sbk_fob_revenue, 5100.0)

        # The user may still quote another price; a pricelist for the order's own term is not
        # a quote (the unit price comes from the order's pricelist).
        line.sbk_price_fob = 5.15
        order.sbk_pricelist_cif_id = fob_pricelist
        self.assertEqual(line.sbk_quoted_price_fob, 5.15)
        self.assertEqual(line.sbk_quoted_price_cif, 0.0)
        self.assertEqual(line.sbk_price_cif, line.price_unit)

    def test_other_term_derived_without_pricelist(self):
        order = self._order([(self.shade, 1000, 5.80)], incoterm=self.incoterm_cif, confirm=False)
        line = order.order_line
        self.assertFalse(order.sbk_pricelist_fob_id)
        self.assertEqual(line.sbk_quoted_price_fob, 0.0)
        self.assertTrue(line.sbk_price_derived)
