from odoo.tests import Form, tagged

from .common import SbkTradeCommon


@tagged("post_install", "-at_install")
class TestTradeOrder(SbkTradeCommon):
    def test_trade_type_defaults_from_customer_country(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.export_customer
            self.assertEqual(form.sbk_trade_type, "export")
            form.partner_id = self.domestic_customer
            self.assertEqual(form.sbk_trade_type, "domestic")

    def test_trade_type_can_be_overridden(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.domestic_customer
            form.sbk_trade_type = "export"
            form.sbk_port_of_loading = "Ningbo"
            form.sbk_port_of_discharge = "Hamburg"
        self.assertEqual(form.record.sbk_trade_type, "export")
        self.assertEqual(form.record.sbk_port_of_loading, "Ningbo")

    def test_order_without_partner_country_is_domestic(self):
        partner = self.env["res.partner"].create({"name": "No country"})
        order = self.env["sale.order"].create({"partner_id": partner.id})
        self.assertEqual(order.sbk_trade_type, "domestic")
