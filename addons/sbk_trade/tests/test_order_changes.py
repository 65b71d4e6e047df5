from odoo import Command
from odoo.tests import Form, tagged

from .common import SbkPlanningCommon


@tagged("post_install", "-at_install")
class TestLoweredQuantity(SbkPlanningCommon):
    """Lowering a confirmed export order shrinks what its planning generated and has not
    started; what has started is listed for a person to decide."""

    def _review_activity(self, order):
        return order.activity_ids.filtered(lambda a: a.summary and "Lowered quantity" in a.summary)

    def _active_purchase_qty(self, order, product):
        lines = self.env["purchase.order.line"].search(
            [
                ("sbk_sale_order_id", "=", order.id),
                ("product_id", "=", product.id),
                ("state", "!=", "cancel"),
            ]
        )
        return sum(lines.mapped("product_qty"))

    def test_lowering_a_quantity_shrinks_the_mo_and_the_draft_rfqs(self):
        self._stock(self.module, 300)
        order = self._export_order([(self.light, 1000)])
        production = order.mrp_production_ids
        purchases = order.sbk_purchase_order_ids

        with Form(order) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 600

        self.assertEqual(order.mrp_production_ids, production)
        self.assertEqual((production.product_qty, production.state), (600, "confirmed"))
        self.assertEqual(production.move_raw_ids.mapped("product_uom_qty"), [600] * 4)
        self.assertEqual(order.sbk_purchase_order_ids, purchases)
        self.assertEqual(self._active_purchase_qty(order, self.module), 300)
        self.assertEqual(self._active_purchase_qty(order, self.driver), 600)
        self.assertEqual(self._active_purchase_qty(order, self.housing), 600)
        self.assertEqual(self._active_purchase_qty(order, self.diffuser), 600)
        self.assertRecordValues(
            self._shortage(order, self.light) | self._shortage(order, self.module),
            [
                {
                    "required_qty": 600,
                    "available_qty": 0,
                    "shortage_qty": 600,
                    "ordered_qty": 600,
                },
                {
                    "required_qty": 600,
                    "available_qty": 300,
                    "shortage_qty": 300,
                    "ordered_qty": 300,
                },
            ],
        )
        # Odoo's own delivery follows the order; nothing is left to decide.
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 600)
        self.assertFalse(self._review_activity(order))
        note = order.message_ids.filtered(lambda m: "Quantity lowered" in str(m.body))
        self.assertIn(production.name, str(note.body))
        self.assertIn("1,000.00 → 600.00", str(note.body))

    def test_setting_a_line_to_zero_cancels_what_has_not_started(self):
        order = self._export_order([(self.light, 100)])
        production = order.mrp_production_ids
        purchases = order.sbk_purchase_order_ids
        self.assertEqual(len(purchases), 3)

        order.order_line.product_uom_qty = 0

        self.assertEqual(production.state, "cancel")
        self.assertEqual(set(purchases.mapped("state")), {"cancel"})
        self.assertFalse(order.sbk_purchase_order_ids)
        self.assertEqual(set(order.sbk_shortage_line_ids.mapped("ordered_qty")), {0})
        self.assertEqual(set(order.sbk_shortage_line_ids.mapped("required_qty")), {0})
        self.assertFalse(self._review_activity(order))

    def test_confirmed_purchase_is_kept_and_listed_for_a_decision(self):
        order = self._export_order([(self.light, 1000)])
        driver_po = self._shortage(order, self.driver).purchase_order_id
        driver_po.button_confirm()
        self.assertEqual(driver_po.state, "purchase")

        order.order_line.product_uom_qty = 600

        self.assertEqual(order.mrp_production_ids.product_qty, 600)
        self.assertEqual(driver_po.order_line.product_qty, 1000, "a confirmed PO is not cut")
        self.assertEqual(self._active_purchase_qty(order, self.housing), 600)
        self.assertEqual(self._active_purchase_qty(order, self.module), 600)
        activity = self._review_activity(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, order.user_id)
        note = str(activity.note)
        self.assertIn(driver_po.name, note)
        self.assertIn("400.00 Units of Test Driver no longer needed", note)
        self.assertNotIn("Test Housing", note)
        # What the driver line still holds is the confirmed PO's quantity.
        self.assertRecordValues(
            self._shortage(order, self.driver),
            [{"required_qty": 600, "shortage_qty": 600, "ordered_qty": 1000}],
        )

    def test_started_mo_is_kept_and_its_components_too(self):
        self._stock(self.module, 1000)
        self._stock(self.driver, 1000)
        self._stock(self.housing, 1000)
        self._stock(self.diffuser, 1000)
        order = self._export_order([(self.light, 1000)])
        production = order.mrp_production_ids
        self.assertFalse(order.sbk_purchase_order_ids)
        production.action_assign()
        with Form(production) as form:
            form.qty_producing = 100
        self.assertEqual(production.state, "progress")

        order.order_line.product_uom_qty = 600

        self.assertEqual((production.product_qty, production.state), (1000, "progress"))
        self.assertEqual(self._shortage(order, self.module).required_qty, 1000)
        note = str(self._review_activity(order).note)
        self.assertIn(production.name, note)
        self.assertIn("400.00 Units of [TLL18] Test LED Light no longer needed", note)

    def test_sub_assembly_mo_shrinks_with_its_parent(self):
        light, board, chip = self._create_smart_light()
        order = self._export_order([(light, 100)])
        parent = order.mrp_production_ids.filtered(lambda p: p.product_id == light)
        child = order.mrp_production_ids.filtered(lambda p: p.product_id == board)

        order.order_line.product_uom_qty = 40

        self.assertEqual((parent.product_qty, child.product_qty), (40, 40))
        self.assertEqual(self._active_purchase_qty(order, chip), 80)
        self.assertEqual(self._active_purchase_qty(order, self.housing), 40)
        self.assertRecordValues(
            self._shortage(order, chip), [{"required_qty": 80, "ordered_qty": 80}]
        )
        self.assertFalse(child.activity_ids, "no stale 'quantity changed' warning")

    def test_moq_stays_when_lowering(self):
        self.housing.sbk_moq = 500
        order = self._export_order([(self.light, 120)])
        self.assertEqual(self._active_purchase_qty(order, self.housing), 500)
        order.order_line.product_uom_qty = 100
        self.assertEqual(self._active_purchase_qty(order, self.housing), 500)
        self.assertEqual(self._active_purchase_qty(order, self.driver), 100)
        self.assertEqual(self._shortage(order, self.housing).ordered_qty, 500)

    def test_raising_again_after_lowering_plans_the_difference_once(self):
        order = self._export_order([(self.light, 100)])
        order.order_line.product_uom_qty = 40
        order.order_line.product_uom_qty = 100
        productions = order.mrp_production_ids.filtered(lambda p: p.state != "cancel")
        self.assertEqual(sum(productions.mapped("product_qty")), 100)
        self.assertEqual(self._active_purchase_qty(order, self.driver), 100)
        self.assertRecordValues(
            self._shortage(order, self.driver), [{"required_qty": 100, "ordered_qty": 100}]
        )

    def test_salesperson_lowers_a_quantity_without_mrp_or_purchase_rights(self):
        salesperson = self._create_user("export_sales_lower", ["sbk_trade.group_sbk_trade_user"])
        order = self._export_order([(self.light, 50)], user_id=salesperson.id)
        order.with_user(salesperson).write(
            {"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 20})]}
        )
        self.assertEqual(order.mrp_production_ids.product_qty, 20)
        self.assertEqual(self._active_purchase_qty(order, self.driver), 20)
