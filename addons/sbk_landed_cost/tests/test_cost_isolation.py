from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.cost_builder import OrderCostBuilder
from .common import LandedCostCommon

LOGGER = "odoo.addons.sbk_landed_cost.models.sale_order"


def broken_build(_builder):
    raise ZeroDivisionError("a bug in the cost code")


@tagged("post_install", "-at_install")
class TestCostIsolation(LandedCostCommon):
    """Cost code never blocks a user's operation: the operation succeeds on its own terms, the
    order shows that its figures are pending or failed, and the cron catches up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)

    def setUp(self):
        super().setUp()
        self.order = self._order([(self.lamp, 100, 10.0)])
        self.cron = self.env.ref("sbk_landed_cost.ir_cron_sbk_recompute_costs")

    def _run_cron(self):
        self.env["sale.order"]._cron_sbk_recompute_costs()

    def test_figures_up_to_date_after_each_change(self):
        self.assertEqual(self.order.sbk_cost_state, "done")
        self.assertTrue(self.order.sbk_cost_date)
        self.assertFalse(self.order.sbk_cost_error)

    def test_bill_posts_when_the_cost_code_fails_and_the_cron_catches_up(self):
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        with patch.object(OrderCostBuilder, "build", broken_build), mute_logger(LOGGER):
            bill = self._bill([(self.ocean_freight, 500.0, self.order)], post=False)
            bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(self.order.sbk_cost_state, "pending")
        self.assertEqual(self.order.sbk_cost_error, "ZeroDivisionError: a bug in the cost code")
        self.assertMoney(self.order.sbk_cost_ocean_freight, 0.0, "the figures of before stay")
        new_triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        self.assertTrue(new_triggers - triggers, "the cron is woken to retry")
        self._run_cron()
        self.assertEqual(self.order.sbk_cost_state, "done")
        self.assertFalse(self.order.sbk_cost_error)
        self.assertMoney(self.order.sbk_cost_ocean_freight, 500.0)

    def test_a_database_error_rolls_back_only_the_recompute(self):
        def build_with_bad_sql(builder):
            builder.env.cr.execute("SELECT 1 / 0")

        with (
            patch.object(OrderCostBuilder, "build", build_with_bad_sql),
            mute_logger(LOGGER, "odoo.sql_db"),
        ):
            bill = self._bill([(self.trucking, 80.0, self.order)])
        self.assertEqual(bill.state, "posted")
        self.assertEqual(self.order.sbk_cost_state, "pending")
        self.assertIn("DivisionByZero", self.order.sbk_cost_error)
        self._run_cron()
        self.assertMoney(self.order.sbk_cost_domestic_freight, 80.0)

    def test_delivery_validates_when_the_cost_code_fails(self):
        with patch.object(OrderCostBuilder, "build", broken_build), mute_logger(LOGGER):
            delivery = self._deliver(self.order)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self.order.order_line.qty_delivered, 100)
        self.assertEqual(self.order.sbk_cost_state, "pending")
        self._run_cron()
        self.assertMoney(self.order.sbk_cost_procurement, 600.0)

    def test_order_confirms_and_cancels_when_the_cost_code_fails(self):
        with patch.object(OrderCostBuilder, "build", broken_build), mute_logger(LOGGER):
            order = self._order([(self.lamp, 10, 10.0)])
            self.assertEqual(order.state, "sale")
            self.assertTrue(order.picking_ids)
            self.assertEqual(order.sbk_cost_state, "pending")
            order._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.sbk_cost_state, "pending")

    def test_a_recompute_that_fails_again_is_marked_failed(self):
        with patch.object(OrderCostBuilder, "build", broken_build), mute_logger(LOGGER):
            self._bill([(self.customs, 40.0, self.order)])
            self._run_cron()
        self.assertEqual(self.order.sbk_cost_state, "failed")
        self.assertIn("a bug in the cost code", self.order.sbk_cost_error)
        self.assertIn(
            self.order, self.env["sale.order"].search([("sbk_cost_state", "=", "failed")])
        )
        # Fixed: the next change (or the Recompute button) brings the figures back.
        self.order.action_sbk_recompute_costs()
        self.assertEqual(self.order.sbk_cost_state, "done")
        self.assertMoney(self.order.sbk_cost_customs_fee, 40.0)

    def test_one_failing_order_does_not_hold_back_the_others(self):
        other = self._order([(self.lamp, 50, 10.0)])
        real_build = OrderCostBuilder.build

        def build_failing_for_order(builder):
            if self.order in builder.orders:
                raise ValueError("bad data on one order")
            return real_build(builder)

        self._bill([(self.trucking, 60.0, self.order | other, "quantity")])
        (self.order | other).with_context(sbk_defer_cost_recompute=True).write(
            {"sbk_freight_estimate": 100.0}
        )
        self.assertEqual((self.order | other).mapped("sbk_cost_state"), ["pending", "pending"])
        with patch.object(OrderCostBuilder, "build", build_failing_for_order), mute_logger(LOGGER):
            self._run_cron()
        self.assertEqual(self.order.sbk_cost_state, "failed")
        self.assertEqual(other.sbk_cost_state, "done")

    def test_deferred_recompute_runs_in_the_cron(self):
        self.order.with_context(sbk_defer_cost_recompute=True).write({"sbk_commission_rate": 5.0})
        self.assertEqual(self.order.sbk_cost_state, "pending")
        self.assertMoney(self.order.sbk_cost_commission, 0.0)
        self._run_cron()
        self.assertEqual(self.order.sbk_cost_state, "done")
        self.assertMoney(self.order.sbk_cost_commission, 50.0)
