from odoo.tests import HttpCase, tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestMoneyReportsTour(LandedCostCommon, HttpCase):
    """The reports of #16 open in the browser: outstanding rebates, which term pays,
    settlements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)
        cls.buyer.name = "Tour Buyer"

    def test_reports_open_with_their_figures(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        declaration = self._cleared_declaration(order)
        claim = self.env["sbk.rebate.claim"].browse(declaration.action_create_rebate_claim())
        claim.write({"filing_reference": "2024-B99"})
        claim.action_file()
        claim.amount_approved = 270.0
        claim.action_approve()
        claim.amount_received = 270.0
        claim.action_receive()
        self._invoice(order, "2024-11-25")
        order.action_sbk_settle()
        self.assertMoney(order.sbk_settlement_id.real_profit, 1880.0)
        for url, tour in (
            (
                "/odoo/action-sbk_landed_cost.action_sbk_rebate_outstanding",
                "sbk_landed_cost_outstanding_rebates_tour",
            ),
            (
                "/odoo/action-sbk_landed_cost.action_sbk_profit_report",
                "sbk_landed_cost_term_comparison_tour",
            ),
            (
                "/odoo/action-sbk_landed_cost.action_sbk_order_settlement",
                "sbk_landed_cost_settlements_tour",
            ),
        ):
            with self.subTest(tour=tour):
                self.start_tour(url, tour, login="admin")
