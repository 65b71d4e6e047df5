from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LandedCostCommon

COST_FIELDS = [
    "sbk_cost_procurement",
    "sbk_cost_domestic_freight",
    "sbk_cost_customs_fee",
    "sbk_cost_ocean_freight",
    "sbk_cost_insurance",
    "sbk_cost_commission",
    "sbk_vat_borne",
    "sbk_tax_rebate",
    "sbk_apparent_profit",
    "sbk_real_profit",
    "sbk_real_margin",
    "sbk_profit_fob",
    "sbk_profit_cif",
    "sbk_profit_landed",
    "sbk_cost_ids",
]


@tagged("post_install", "-at_install")
class TestLandedCostAccess(LandedCostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    (0, 0, {"product_id": cls.lamp.id, "product_uom_qty": 10, "price_unit": 8.0})
                ],
            }
        )
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.forwarder.id,
                "invoice_date": "2024-03-01",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.ocean_freight.id,
                            "price_unit": 20.0,
                            "tax_ids": [],
                            "sbk_sale_order_ids": [(6, 0, cls.order.ids)],
                        },
                    )
                ],
            }
        )
        cls.bill.action_post()

    def test_salesperson_sees_the_order_and_revenue_not_the_costs(self):
        order = self.order.with_user(self.salesman)
        self.assertEqual(order.read(["sbk_revenue"])[0]["sbk_revenue"], 80.0)
        for field_name in COST_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                order.read([field_name])
        with self.assertRaises(AccessError):
            order.search_read([("id", "=", order.id)], ["sbk_real_profit"])
        with self.assertRaises(AccessError):
            self.env["sbk.order.cost"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["sbk.profit.report"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            order.action_sbk_export_cost_sheets()
        with self.assertRaises(AccessError):
            order._sbk_cost_sheets_xlsx()

    def test_salesperson_edits_the_order_and_costs_follow(self):
        order = self.order.with_user(self.salesman)
        order.order_line.price_unit = 9.0
        self.assertMoney(self.order.sbk_revenue, 90.0)
        self.assertMoney(self.order.sbk_real_profit, 90.0 - 20.0)

    def test_trade_manager_and_accounting_read_costs(self):
        for user in (self.manager, self.accountant):
            values = self.order.with_user(user).read(COST_FIELDS)[0]
            self.assertEqual(values["sbk_cost_ocean_freight"], 20.0, user.login)
            costs = (
                self.env["sbk.order.cost"]
                .with_user(user)
                .search([("sale_order_id", "=", self.order.id)])
            )
            self.assertEqual(costs.mapped("amount"), [20.0], user.login)
            self.assertTrue(self.order.with_user(user)._sbk_cost_sheets_xlsx())

    def test_accountant_posts_a_bill_for_an_order(self):
        bill = self.bill.copy({"invoice_date": "2024-03-02"})
        bill.with_user(self.accountant).action_post()
        self.assertMoney(self.order.sbk_cost_ocean_freight, 40.0)

    def test_cost_lines_are_read_only(self):
        cost = self.order.sbk_cost_ids.with_user(self.manager)
        with self.assertRaises(AccessError):
            cost.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            cost.unlink()

    def test_cost_lines_of_other_companies_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Export Co"})
        other_order = (
            self.env["sale.order"]
            .with_company(other_company)
            .create({"partner_id": self.buyer.id, "company_id": other_company.id})
        )
        self.env["sbk.order.cost"].create(
            {
                "sale_order_id": other_order.id,
                "company_id": other_company.id,
                "dimension": "customs_fee",
                "amount": 5.0,
            }
        )
        visible = self.env["sbk.order.cost"].with_user(self.manager).search([])
        self.assertNotIn(other_order, visible.sale_order_id)
        self.assertIn(self.order, visible.sale_order_id)

    def test_cost_sheet_report_is_for_cost_readers(self):
        report = self.env.ref("sbk_landed_cost.action_report_sbk_cost_sheet")
        self.assertTrue(report.groups_id & self.manager.groups_id)
        self.assertFalse(report.groups_id & self.salesman.groups_id)
