import io

from lxml import etree, html

from odoo.tests import tagged

from ..tools.trade_profit import DIMENSIONS
from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestExpectedProfit(LandedCostCommon):
    """Profit before all costs have arrived: what is committed, dimension by dimension.

    1,000 lamps sold FOB at 10.00 (revenue 10,000.00), agent 3 % of the invoice value (300.00).
    600 lamps bought for the order at 6.50 (3,900.00), 400 from stock at the standard 6.00
    (2,400.00). Exempt-refund at 13 % VAT, 9 % rebate: VAT borne 819.00, rebate 567.00.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)

    def _statuses(self, order):
        return {d: order[f"sbk_{d}_status"] for d in DIMENSIONS}

    def _fob_order(self):
        order = self._order(
            [(self.lamp, 1000, 10.0)], sbk_agent_id=self.agent.id, sbk_commission_rate=3.0
        )
        purchase = self._purchase(
            order, self.lamp, 600, 6.5, tax=self.purchase_tax_13, receive=False
        )
        return order, purchase

    def test_nothing_arrived_yet_the_profit_is_what_is_committed(self):
        order, _purchase = self._fob_order()
        self.assertMoney(order.sbk_expected_procurement, 6300.0)
        self.assertMoney(order.sbk_expected_commission, 300.0)
        self.assertMoney(order.sbk_expected_vat_borne, 819.0)
        self.assertMoney(order.sbk_expected_tax_rebate, 567.0)
        self.assertMoney(order.sbk_expected_ocean_freight, 0.0, "FOB: the buyer's freight")
        # 10,000 - 6,300 - 300 - 819 + 567
        self.assertMoney(order.sbk_expected_profit, 3148.0)
        self.assertAlmostEqual(order.sbk_expected_margin, 31.48, places=2)
        # the real profit counts the posted only: the commission
        self.assertMoney(order.sbk_real_profit, 9700.0)
        self.assertFalse(order.sbk_costs_complete)
        # 300 posted of 6,300 + 300 + 819 = 7,419 expected
        self.assertAlmostEqual(order.sbk_cost_completeness, 4.04, places=2)
        self.assertEqual(
            self._statuses(order),
            {
                "procurement": "expected",
                "domestic_freight": "expected",
                "customs_fee": "expected",
                "ocean_freight": "actual",
                "insurance": "actual",
                "commission": "actual",
                "vat_borne": "expected",
                "tax_rebate": "expected",
            },
        )

    def test_costs_arrive_one_by_one_until_the_real_profit_is_final(self):
        order, purchase = self._fob_order()
        self._validate(purchase.picking_ids)
        self.assertMoney(order.sbk_cost_procurement, 3900.0)
        self.assertMoney(order.sbk_expected_procurement, 6300.0)
        self.assertEqual(order.sbk_procurement_status, "partial")
        self.assertMoney(order.sbk_vat_borne, 507.0)
        self.assertEqual(order.sbk_vat_borne_status, "partial")
        self.assertMoney(order.sbk_expected_profit, 3148.0)
        # 3,900 + 300 + 507 = 4,707 posted of 7,419
        self.assertAlmostEqual(order.sbk_cost_completeness, 63.45, places=2)

        self._deliver(order)
        self.assertMoney(order.sbk_cost_procurement, 6300.0)
        self.assertEqual(order.sbk_procurement_status, "actual")
        self.assertEqual(order.sbk_tax_rebate_status, "actual")
        self.assertFalse(order.sbk_costs_complete, "trucking and customs have not billed yet")

        self._bill([(self.trucking, 300.0, order), (self.customs, 150.0, order)])
        self.assertTrue(order.sbk_costs_complete)
        self.assertEqual(set(self._statuses(order).values()), {"actual"})
        self.assertEqual(order.sbk_cost_completeness, 100.0)
        # 10,000 - 6,300 - 300 - 150 - 300 - 819 + 567
        self.assertMoney(order.sbk_real_profit, 2698.0)
        self.assertMoney(order.sbk_expected_profit, 2698.0)
        self.assertEqual(order.sbk_expected_margin, order.sbk_real_margin)

    def test_cif_order_expects_the_freight_estimate_and_the_insurance_formula(self):
        # 1,000 shades CIF at 5.00 from stock at 3.00; freight estimated at 800.
        order = self._order(
            [(self.shade, 1000, 5.0)], incoterm=self.incoterm_cif, sbk_freight_estimate=800.0
        )
        self.assertMoney(order.sbk_expected_procurement, 3000.0)
        self.assertMoney(order.sbk_expected_ocean_freight, 800.0)
        # INS = 5,000 x 1.1 x 0.3 % = 16.50
        self.assertMoney(order.sbk_expected_insurance, 16.50)
        self.assertEqual(order.sbk_ocean_freight_status, "expected")
        self.assertEqual(order.sbk_insurance_status, "expected")
        # 5,000 - 3,000 - 800 - 16.50 - 390 + 270
        self.assertMoney(order.sbk_expected_profit, 1063.50)
        self.assertAlmostEqual(order.sbk_expected_margin, 21.27, places=2)
        self.assertEqual(order.sbk_cost_completeness, 0.0)

        self._bill([(self.ocean_freight, 750.0, order)])
        self.assertEqual(order.sbk_ocean_freight_status, "actual")
        self.assertMoney(order.sbk_expected_ocean_freight, 750.0)
        self.assertMoney(order.sbk_expected_profit, 1113.50)
        # 750 posted of 3,000 + 750 + 16.50 + 390 = 4,156.50
        self.assertAlmostEqual(order.sbk_cost_completeness, 18.04, places=2)

    def test_quotation_expects_its_lines_at_standard_cost(self):
        order = self._order([(self.lamp, 10, 10.0)], confirm=False)
        self.assertMoney(order.sbk_expected_procurement, 60.0)
        self.assertEqual(order.sbk_procurement_status, "expected")
        # 100 - 60 - 7.80 + 5.40
        self.assertMoney(order.sbk_expected_profit, 37.60)

    def test_order_confirmed_without_deliveries_expects_its_lines(self):
        # As an order imported confirmed: no delivery to read what it will take from.
        order = self._order([(self.lamp, 10, 10.0)], confirm=False)
        order.write({"state": "sale"})
        self.assertFalse(order.picking_ids)
        self.assertMoney(order.sbk_expected_procurement, 60.0)
        self.assertFalse(order.sbk_costs_complete)

    def test_domestic_order_expects_no_freight_and_no_rebate(self):
        order = self._order([(self.lamp, 100, 10.0)], partner=self.home_buyer)
        self.assertMoney(order.sbk_expected_procurement, 600.0)
        self.assertMoney(order.sbk_expected_vat_borne, 0.0)
        self.assertEqual(order.sbk_domestic_freight_status, "actual")
        self.assertMoney(order.sbk_expected_profit, 400.0)
        self._deliver(order)
        self.assertTrue(order.sbk_costs_complete)
        self.assertMoney(order.sbk_real_profit, 400.0)

    def test_profit_analysis_shows_expected_and_real_side_by_side(self):
        waiting, _purchase = self._fob_order()
        done = self._order([(self.shade, 100, 5.0)], incoterm=self.incoterm_exw)
        self._deliver(done)
        self.assertTrue(done.sbk_costs_complete, "EXW: the goods are the seller's only cost")
        report = self.env["sbk.profit.report"]
        rows = {
            order: (expected, real, completeness, complete)
            for order, expected, real, completeness, complete in report._read_group(
                [("order_id", "in", (waiting | done).ids)],
                ["order_id"],
                [
                    "expected_profit:sum",
                    "real_profit:sum",
                    "cost_completeness:sum",
                    "costs_complete:bool_and",
                ],
            )
        }
        self.assertMoney(rows[waiting][0], 3148.0)
        self.assertFalse(rows[waiting][1], "no real profit while costs are to come")
        self.assertAlmostEqual(rows[waiting][2], 4.04, places=2)
        self.assertFalse(rows[waiting][3])
        # 500 - 300 - 39 + 27 = 188, posted in full
        self.assertMoney(rows[done][0], 188.0)
        self.assertMoney(rows[done][1], 188.0)
        self.assertAlmostEqual(rows[done][2], 100.0, places=2)
        self.assertTrue(rows[done][3])
        ((margin, completeness),) = report._read_group(
            [("order_id", "in", (waiting | done).ids)],
            [],
            ["expected_margin:sum", "cost_completeness:sum"],
        )
        # (3,148 + 188) / (10,000 + 500); (300 + 339) posted of (7,419 + 339)
        self.assertAlmostEqual(margin, 3336.0 / 10500.0 * 100, places=4)
        self.assertAlmostEqual(completeness, 639.0 / 7758.0 * 100, places=4)

    def test_profit_screens_never_show_a_real_margin_before_the_costs(self):
        """The default measures are the expected ones; the real margin of an order shows only
        once its costs are complete."""
        report = self.env["sbk.profit.report"]
        pivot = etree.fromstring(report.get_views([(False, "pivot")])["views"]["pivot"]["arch"])
        measures = [f.get("name") for f in pivot.iter("field") if f.get("type") == "measure"]
        self.assertIn("expected_margin", measures)
        self.assertNotIn("real_margin", measures)
        order_profit = self.env.ref("sbk_landed_cost.view_sale_order_profit_list")
        for model, view_id, name in (
            (report, False, "real_margin"),
            (self.env["sale.order"], order_profit.id, "sbk_real_margin"),
        ):
            arch = model.get_views([(view_id, "list")])["views"]["list"]["arch"]
            (field,) = etree.fromstring(arch).xpath(f"//field[@name='{name}']")
            self.assertIn("complete", field.get("invisible"), model._name)

    def test_order_form_shows_the_real_margin_once_the_costs_are_complete(self):
        arch = self.env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        form = etree.fromstring(arch)
        (margin,) = form.xpath("//field[@name='sbk_real_margin']")
        self.assertEqual(margin.get("invisible"), "not sbk_costs_complete")
        (hint,) = form.xpath("//div[@name='sbk_real_margin_to_come']")
        self.assertEqual(hint.get("invisible"), "sbk_costs_complete")
        self.assertIn("expected margin", "".join(hint.itertext()))

    def test_cost_sheets_print_costs_to_come_instead_of_a_real_margin(self):
        openpyxl = __import__("openpyxl")
        waiting, _purchase = self._fob_order()
        done = self._order([(self.shade, 100, 5.0)], incoterm=self.incoterm_exw)
        self._deliver(done)
        self.assertTrue(done.sbk_costs_complete)
        for order, complete in ((waiting, False), (done, True)):
            content, _format = self.env["ir.actions.report"]._render_qweb_html(
                "sbk_landed_cost.report_sbk_cost_sheet", order.ids
            )
            page = html.fromstring(content)
            margins = page.xpath("//*[contains(@class, 'o_sbk_real_margin')]")
            texts = [" ".join(m.text_content().split()) for m in margins]
            if complete:
                self.assertEqual(texts, ["37.60"])
            else:
                self.assertEqual(texts, ["Costs to come"])
        workbook = openpyxl.load_workbook(io.BytesIO((waiting | done)._sbk_cost_sheets_xlsx()))
        summary = workbook.worksheets[0]
        header = [cell.value for cell in summary[1]]
        margins = [row[header.index("Real Margin (%)")].value for row in summary.iter_rows(2)]
        self.assertEqual(margins[0], "Costs to come")
        self.assertAlmostEqual(margins[1], 37.6, places=2)
        sheet = workbook.worksheets[1]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertIn(["Real Margin (%)", "Costs to come"], [v[:2] for v in values])

    def test_profit_analysis_counts_the_real_profit_of_complete_orders_only(self):
        waiting, _purchase = self._fob_order()
        done = self._order([(self.shade, 100, 5.0)], incoterm=self.incoterm_exw)
        self._deliver(done)
        report = self.env["sbk.profit.report"]
        domain = [("order_id", "in", (waiting | done).ids)]
        ((revenue, profit, margin, expected_margin),) = report._read_group(
            domain,
            [],
            ["revenue:sum", "real_profit:sum", "real_margin:sum", "expected_margin:sum"],
        )
        self.assertMoney(revenue, 10500.0)
        # 188 of the complete order's 500; the waiting order's 9,700 is no profit yet
        self.assertMoney(profit, 188.0)
        self.assertAlmostEqual(margin, 188.0 / 500.0 * 100, places=4)
        self.assertAlmostEqual(expected_margin, 3336.0 / 10500.0 * 100, places=4)
        (group,) = report.read_group(domain, ["real_profit", "real_margin"], [])
        self.assertMoney(group["real_profit"], 188.0)
        self.assertAlmostEqual(group["real_margin"], 37.6, places=4)
        row = report.search([("order_id", "=", waiting.id)])
        self.assertEqual((row.real_profit, row.real_margin), (0.0, 0.0))

    def test_orders_grouped_count_the_real_profit_of_complete_orders_only(self):
        """#17: the group rows of the order lists and pivot (read_group) add up the real profit
        and margin of the orders whose costs are complete, as the profit analysis does."""
        waiting, _purchase = self._fob_order()
        done = self._order([(self.shade, 100, 5.0)], incoterm=self.incoterm_exw)
        self._deliver(done)
        self.assertMoney(waiting.sbk_real_profit, 9700.0, "its own row shows it as it stands")
        orders = self.env["sale.order"]
        domain = [("id", "in", (waiting | done).ids)]
        ((revenue, profit, margin, expected_margin),) = orders._read_group(
            domain,
            [],
            [
                "sbk_revenue:sum",
                "sbk_real_profit:sum",
                "sbk_real_margin:avg",
                "sbk_expected_margin:avg",
            ],
        )
        self.assertMoney(revenue, 10500.0)
        # 188 of the complete order's 500; the waiting order's 9,700 is no profit yet
        self.assertMoney(profit, 188.0)
        self.assertAlmostEqual(margin, 188.0 / 500.0 * 100, places=4)
        self.assertAlmostEqual(expected_margin, 3336.0 / 10500.0 * 100, places=4)
        # as the list and pivot ask: the fields' own aggregates, grouped
        (group,) = orders.read_group(domain, ["sbk_real_profit", "sbk_real_margin"], [])
        self.assertMoney(group["sbk_real_profit"], 188.0)
        self.assertAlmostEqual(group["sbk_real_margin"], 37.6, places=4)
        by_state = {
            g["sbk_costs_complete"]: g
            for g in orders.read_group(
                domain, ["sbk_real_profit:sum", "sbk_real_margin"], ["sbk_costs_complete"]
            )
        }
        self.assertFalse(by_state[False]["sbk_real_profit"])
        self.assertFalse(by_state[False]["sbk_real_margin"])
        self.assertMoney(by_state[True]["sbk_real_profit"], 188.0)
