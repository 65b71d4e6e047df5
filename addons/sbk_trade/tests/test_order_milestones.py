from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import SbkPlanningCommon


@tagged("post_install", "-at_install")
class TestOrderMilestones(SbkPlanningCommon):
    def test_milestone_follows_the_documents_from_signed_to_paid(self):
        self.light.write({"barcode": "4006381333931", "sbk_hs_code_id": self.hs_lighting.id})
        order = self._export_order(
            [(self.light, 100)], sbk_etd=fields.Date.today() + timedelta(days=60)
        )
        self.assertEqual(order.sbk_milestone, "signed")

        purchases = order.sbk_purchase_order_ids
        purchases.button_confirm()
        self.assertEqual(order.sbk_milestone, "signed", "materials ordered, nothing made yet")
        for receipt in purchases.picking_ids:
            for move in receipt.move_ids:
                move.quantity = move.product_uom_qty
            receipt.button_validate()
        production = order.mrp_production_ids
        production.action_assign()
        with Form(production) as form:
            form.qty_producing = 40
        self.assertEqual(production.state, "progress")
        self.assertEqual(order.sbk_milestone, "production")

        with Form(production) as form:
            form.qty_producing = 100
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(order.sbk_milestone, "ready")

        shipment = self.env["sbk.shipment"].browse(order.action_sbk_create_shipment()["res_id"])
        shipment.on_barcode_scanned("0104006381333931" + "30100")
        shipment.action_done_loading()
        self.assertEqual(order.sbk_milestone, "loaded")

        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        declaration.name = "310120261125000002"
        declaration.action_submit()
        declaration.action_release()
        self.assertEqual(order.sbk_milestone, "loaded")
        declaration.action_clear()
        self.assertEqual(order.sbk_milestone, "cleared")

        invoice = order._create_invoices()
        self.assertEqual(order.sbk_milestone, "cleared", "a draft invoice counts for nothing")
        invoice.action_post()
        self.assertEqual(order.sbk_milestone, "invoiced")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.sbk_milestone, "paid")

        # Stored: searched and grouped like any field.
        SaleOrder = self.env["sale.order"]
        self.assertEqual(SaleOrder.search([("sbk_milestone", "=", "paid")]) & order, order)
        groups = dict(
            SaleOrder._read_group([("id", "=", order.id)], ["sbk_milestone"], ["__count"])
        )
        self.assertEqual(groups, {"paid": 1})

    def test_quotations_and_domestic_orders_have_no_milestone(self):
        quotation = self._export_order([(self.light, 10)], confirm=False)
        self.assertFalse(quotation.sbk_milestone)
        domestic = self.env["sale.order"].create(
            {"partner_id": self.domestic_customer.id, "sbk_etd": fields.Date.today()}
        )
        self.assertFalse(domestic.sbk_milestone)
        self.assertFalse(domestic.sbk_lead_time_status)

    def test_order_served_from_stock_is_ready_once_reserved(self):
        self._stock(self.light, 50)
        order = self._export_order([(self.light, 50)])
        self.assertFalse(order.mrp_production_ids)
        self.assertFalse(order.sbk_purchase_order_ids)
        self.assertEqual(order.sbk_milestone, "ready")


@tagged("post_install", "-at_install")
class TestLeadTimeAlerts(SbkPlanningCommon):
    """When the risk rises, the salesperson (and the planner of a late MO) is told why;
    when it falls, the alert is closed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sbk_shipping_buffer_days = 7
        cls.salesperson = cls._create_user("risk_sales", ["sbk_trade.group_sbk_trade_user"])
        cls.planner = cls._create_user("risk_planner", ["mrp.group_mrp_user"])
        cls.light.responsible_id = cls.planner

    def _alerts(self, records, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("activity_type_id.name", "=", "Lead-Time Risk"),
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("active", "=", active),
                ]
            )
        )

    def _order(self):
        order = self._export_order(
            [(self.light, 100)],
            sbk_etd=fields.Date.today() + timedelta(days=90),
            user_id=self.salesperson.id,
        )
        production = order.mrp_production_ids
        # The ETD ten days after the planned finish: the 7-day shipping buffer fits.
        order.sbk_etd = production.date_finished.date() + timedelta(days=10)
        self.assertEqual(order.sbk_lead_time_risk, "none")
        self.assertEqual(order.sbk_lead_time_status, "on_time")
        return order, production

    def test_late_purchase_raises_the_risk_and_says_why(self):
        order, production = self._order()
        finish = production.date_finished.date()
        driver_line = self._shortage(order, self.driver).purchase_line_id
        planned = driver_line.date_planned
        self.assertEqual(planned.date(), production.date_start.date())
        self.assertFalse(self._alerts(order))

        # The vendor ships the drivers 5 days later: the MO starts and ends 5 days later,
        # 5 days before the ETD, inside the 7-day buffer.
        driver_line.date_planned = planned + timedelta(days=5)
        self.assertEqual(order.sbk_expected_finish, finish + timedelta(days=5))
        self.assertEqual(order.sbk_production_finish, production.date_finished)
        self.assertEqual(order.sbk_lead_time_risk, "at_risk")
        alert = self._alerts(order)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.salesperson)
        self.assertIn("At Risk", alert.summary)
        note = str(alert.note)
        self.assertIn(production.name, note)
        self.assertIn("5 days before the ETD", note)
        self.assertIn("less than the 7-day shipping buffer", note)
        self.assertIn(driver_line.order_id.name, note)
        self.assertIn("Driver Vendor, Test Driver", note)
        self.assertIn("5 days after the MO's planned start", note)
        self.assertFalse(self._alerts(production), "at risk only: the planner is not alerted")
        self.assertIn(driver_line.order_id.name, str(order.sbk_lead_time_note))

        # 12 days late: the MO ends 2 days after the ETD.
        driver_line.date_planned = planned + timedelta(days=12)
        self.assertEqual(order.sbk_lead_time_risk, "late")
        self.assertEqual(order.sbk_lead_time_status, "late")
        self.assertEqual(alert.active, False, "the at-risk alert is closed")
        late_alert = self._alerts(order)
        self.assertEqual(len(late_alert), 1)
        self.assertIn("Late", late_alert.summary)
        self.assertIn("2 days after the ETD", str(late_alert.note))
        planner_alert = self._alerts(production)
        self.assertEqual(planner_alert.user_id, self.planner)
        self.assertIn("2 days after the ETD", str(planner_alert.note))
        self.assertIn(order.name, planner_alert.summary)

        # The vendor is back on time: the risk falls, every alert is closed and kept.
        driver_line.date_planned = planned
        self.assertEqual(order.sbk_lead_time_risk, "none")
        self.assertFalse(self._alerts(order) | self._alerts(production))
        self.assertEqual(len(self._alerts(order, active=False)), 2)
        self.assertEqual(len(self._alerts(production, active=False)), 1)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "The risk fell to No Risk" in str(m.body))
        )

    def test_moving_the_etd_raises_the_risk(self):
        order, production = self._order()
        order.sbk_etd = production.date_finished.date() - timedelta(days=1)
        self.assertEqual(order.sbk_lead_time_risk, "late")
        self.assertIn("1 days after the ETD", str(self._alerts(order).note))
        self.assertEqual(self._alerts(production).user_id, self.planner)
        # A cancelled order has nothing left to ship: the alerts are closed.
        order._action_cancel()
        self.assertEqual(order.sbk_lead_time_risk, "none")
        self.assertFalse(self._alerts(order) | self._alerts(production))

    def test_daily_cron_catches_a_vendor_date_that_passed(self):
        order, production = self._order()
        finish = production.date_finished.date()
        driver_line = self._shortage(order, self.driver).purchase_line_id
        due = driver_line.date_planned.date()
        # Twenty days later the drivers (due on day 14) have not arrived; no document
        # changed, so nothing was recomputed until the cron runs.
        with freeze_time(fields.Datetime.now() + timedelta(days=20)):
            today = fields.Date.today()
            self.assertEqual(order.sbk_lead_time_risk, "none")
            self.assertGreaterEqual(self.env["sale.order"]._cron_sbk_update_lead_time_risk(), 1)
            self.assertEqual(order.sbk_expected_finish, finish + (today - due))
            self.assertEqual(order.sbk_lead_time_risk, "at_risk")
            note = str(self._alerts(order).note)
            self.assertIn(f"and {(today - due).days} days late", note)
            self.assertIn(driver_line.order_id.name, note)

    def test_order_without_etd_reads_no_etd(self):
        order = self._export_order([(self.light, 100)])
        self.assertEqual(order.sbk_lead_time_risk, "none")
        self.assertEqual(order.sbk_lead_time_status, "no_etd")
        labels = dict(order._fields["sbk_lead_time_status"]._description_selection(self.env))
        self.assertEqual(labels[order.sbk_lead_time_status], "No ETD")
        self.assertNotEqual(
            dict(order._fields["sbk_lead_time_risk"]._description_selection(self.env))["none"],
            "On Time",
        )
        self.assertFalse(self._alerts(order))
        order.sbk_etd = fields.Date.today() + timedelta(days=365)
        self.assertEqual(order.sbk_lead_time_status, "on_time")
        # And in Chinese.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "sbk_trade")])._update_translations(
            ["zh_CN"]
        )
        chinese = dict(
            order.with_context(lang="zh_CN")
            ._fields["sbk_lead_time_status"]
            ._description_selection(order.with_context(lang="zh_CN").env)
        )
        self.assertEqual(chinese["no_etd"], "无预计离港日")
