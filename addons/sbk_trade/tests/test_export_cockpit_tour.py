from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import SbkPlanningCommon


@tagged("post_install", "-at_install")
class TestExportCockpitTour(SbkPlanningCommon, HttpCase):
    def test_trade_desk_works_from_the_kanban_and_sees_the_alert(self):
        admin = self.env.ref("base.user_admin")
        late_buyer = self.env["res.partner"].create(
            {"name": "Cockpit Buyer Late", "country_id": self.foreign_country.id}
        )
        calm_buyer = self.env["res.partner"].create(
            {"name": "Cockpit Buyer Calm", "country_id": self.foreign_country.id}
        )
        today = fields.Date.today()
        # Leaves today; its components take two weeks to come: late.
        late = self._export_order(
            [(self.light, 100)], partner_id=late_buyer.id, sbk_etd=today, user_id=admin.id
        )
        calm = self._export_order(
            [(self.light, 10)],
            partner_id=calm_buyer.id,
            sbk_etd=today + timedelta(days=120),
            user_id=admin.id,
        )
        self.assertEqual((late.sbk_lead_time_risk, calm.sbk_lead_time_status), ("late", "on_time"))
        self.start_tour(
            "/odoo/action-sbk_trade.action_sbk_export_order",
            "sbk_trade_export_cockpit_tour",
            login="admin",
        )
