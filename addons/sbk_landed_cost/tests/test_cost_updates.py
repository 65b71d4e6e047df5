from odoo import Command
from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestCostUpdates(LandedCostCommon):
    """Figures follow their documents: posting, reset, cancel, reversal, edits; only the
    affected orders are recomputed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)

    def setUp(self):
        super().setUp()
        self.order = self._order([(self.lamp, 100, 10.0)])
        self.other = self._order([(self.lamp, 100, 10.0)])

    def test_bill_reversed_with_the_credit_note_wizard(self):
        bill = self._bill([(self.trucking, 300.0, self.order)])
        self.assertMoney(self.order.sbk_cost_domestic_freight, 300.0)
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": bill.journal_id.id, "date": "2024-03-10"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(credit_note.invoice_line_ids.sbk_sale_order_ids, self.order)
        self.assertMoney(self.order.sbk_cost_domestic_freight, 300.0, "a draft changes nothing")
        credit_note.action_post()
        self.assertMoney(self.order.sbk_cost_domestic_freight, 0.0)
        self.assertEqual(
            sorted(self._costs(self.order, "domestic_freight").mapped("amount")), [-300.0, 300.0]
        )

    def test_bill_cancelled_by_reversal(self):
        bill = self._bill([(self.customs, 150.0, self.order)])
        bill._reverse_moves([{"invoice_date": "2024-03-10", "date": "2024-03-10"}], cancel=True)
        self.assertMoney(self.order.sbk_cost_customs_fee, 0.0)

    def test_bill_reset_to_draft_cancelled_and_posted_again(self):
        bill = self._bill([(self.ocean_freight, 500.0, self.order)])
        # nothing delivered yet: no procurement, VAT nor rebate
        self.assertMoney(self.order.sbk_real_profit, 1000 - 500)
        bill.button_draft()
        self.assertMoney(self.order.sbk_cost_ocean_freight, 0.0)
        self.assertFalse(self._costs(self.order, "ocean_freight"))
        bill.action_post()
        self.assertMoney(self.order.sbk_cost_ocean_freight, 500.0)
        bill.button_cancel()
        self.assertMoney(self.order.sbk_cost_ocean_freight, 0.0)
        self.assertMoney(self.order.sbk_real_profit, 1000)

    def test_retagging_a_posted_line_moves_the_cost(self):
        bill = self._bill([(self.insurance, 12.0, self.order)])
        bill.invoice_line_ids.sbk_sale_order_ids = [Command.set(self.other.ids)]
        self.assertMoney(self.order.sbk_cost_insurance, 0.0)
        self.assertMoney(self.other.sbk_cost_insurance, 12.0)

    def test_only_the_orders_of_a_bill_are_recomputed(self):
        self._bill([(self.trucking, 40.0, self.other)])
        (self.order | self.other).write({"sbk_cost_date": "2000-01-01 00:00:00"})
        self._bill([(self.trucking, 30.0, self.order)])
        self.assertEqual(str(self.other.sbk_cost_date), "2000-01-01 00:00:00")
        self.assertNotEqual(str(self.order.sbk_cost_date), "2000-01-01 00:00:00")
        self.assertMoney(self.order.sbk_cost_domestic_freight, 30.0)

    def test_recompute_keeps_unchanged_lines(self):
        self._bill([(self.trucking, 40.0, self.order), (self.customs, 15.0, self.order)])
        before = self.order.sbk_cost_ids
        self.order.action_sbk_recompute_costs()
        self.assertEqual(self.order.sbk_cost_ids, before)
        self._bill([(self.ocean_freight, 70.0, self.order)])
        self.assertEqual(self.order.sbk_cost_ids - before, self._costs(self.order, "ocean_freight"))
        self.assertLessEqual(before, self.order.sbk_cost_ids)

    def test_order_change_resplits_the_costs_it_shares(self):
        self._bill([(self.trucking, 100.0, self.order | self.other, "quantity")])
        self.assertMoney(self.order.sbk_cost_domestic_freight, 50.0)
        self.other.order_line.product_uom_qty = 300
        self.assertMoney(self.order.sbk_cost_domestic_freight, 25.0)
        self.assertMoney(self.other.sbk_cost_domestic_freight, 75.0)

    def test_delivery_and_purchase_price_update_procurement(self):
        self.assertMoney(self.order.sbk_cost_procurement, 0.0)
        purchase = self._purchase(self.order, self.lamp, 40, 7.0)
        self.assertMoney(self.order.sbk_cost_procurement, 280.0)
        self._deliver(self.order)
        # 40 bought for the order, 60 from stock at 6.00
        self.assertMoney(self.order.sbk_cost_procurement, 280.0 + 360.0)
        purchase.order_line.price_unit = 7.5
        self.assertMoney(self.order.sbk_cost_procurement, 300.0 + 360.0)
        self.assertMoney(self.other.sbk_cost_procurement, 0.0)

    def test_return_reduces_procurement(self):
        delivery = self._deliver(self.order)
        self.assertMoney(self.order.sbk_cost_procurement, 600.0)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 30
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self._validate(returned)
        self.assertMoney(self.order.sbk_cost_procurement, 420.0)

    def test_price_change_resplits_value_shares(self):
        self._bill([(self.insurance, 10.0, self.order | self.other, "value")])
        self.assertMoney(self.order.sbk_cost_insurance, 5.0)
        self.order.order_line.price_unit = 30.0
        self.assertMoney(self.order.sbk_revenue, 3000.0)
        self.assertMoney(self.order.sbk_cost_insurance, 7.5)
        self.assertMoney(self.other.sbk_cost_insurance, 2.5)
