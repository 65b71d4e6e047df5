import io

from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestOrderCostSheet(LandedCostCommon):
    """One CIF order with every dimension, numbers a trade manager checks by hand.

    1,000 lamps sold CIF at 10.00: revenue 10,000.00. 600 bought for the order at 6.50
    (3,900.00), 400 taken from stock at 6.00 (2,400.00). Trucking 300, customs 150, ocean
    freight 1,200, insurance 33; agent 3 % of the invoice value + 50 fixed, bank charges 25.
    Exempt-refund at 13 % VAT and 9 % rebate: VAT borne 819.00, rebate 567.00.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)

    def test_every_dimension_with_known_numbers(self):
        order, *_docs = self._full_order()
        self.assertMoney(order.sbk_revenue, 10000.0)
        self.assertMoney(order.sbk_cost_procurement, 6300.0)
        self.assertMoney(order.sbk_cost_domestic_freight, 300.0)
        self.assertMoney(order.sbk_cost_customs_fee, 150.0)
        self.assertMoney(order.sbk_cost_ocean_freight, 1200.0)
        self.assertMoney(order.sbk_cost_insurance, 33.0)
        self.assertMoney(order.sbk_cost_commission, 375.0)
        self.assertMoney(order.sbk_vat_borne, 819.0)
        self.assertMoney(order.sbk_tax_rebate, 567.0)
        self.assertMoney(order.sbk_apparent_profit, 3700.0)
        # 10,000 - 6,300 - 300 - 150 - 1,200 - 33 - 375 - 819 + 567
        self.assertMoney(order.sbk_real_profit, 1390.0)
        self.assertAlmostEqual(order.sbk_real_margin, 13.9, places=2)
        self.assertMoney(order.sbk_profit_landed, 1390.0)
        self.assertFalse(order.sbk_cost_warning)

    def test_cost_lines_link_to_their_sources(self):
        order, purchase, delivery, bills, bank = self._full_order()
        procurement = self._costs(order, "procurement")
        self.assertEqual(
            {(c.source_ref, round(c.amount, 2)) for c in procurement},
            {(purchase, 3900.0), (delivery, 2400.0)},
        )
        for key, dimension in (
            ("trucking", "domestic_freight"),
            ("customs", "customs_fee"),
            ("ocean", "ocean_freight"),
            ("insurance", "insurance"),
        ):
            cost = self._costs(order, dimension)
            self.assertEqual(cost.source_ref, bills[key])
            self.assertEqual(cost.move_line_id, bills[key].invoice_line_ids)
            self.assertFalse(cost.allocation_basis, "a cost for one order is not split")
        commission = self._costs(order, "commission")
        self.assertEqual(
            {(c.source_ref, round(c.amount, 2)) for c in commission}, {(order, 350.0), (bank, 25.0)}
        )
        self.assertEqual(
            {(c.source_ref, round(c.amount, 2)) for c in self._costs(order, "vat_borne")},
            {(purchase, 507.0), (delivery, 312.0)},
        )
        self.assertEqual(
            {(c.source_ref, round(c.amount, 2)) for c in self._costs(order, "tax_rebate")},
            {(purchase, 351.0), (delivery, 216.0)},
        )
        self.assertMoney(sum(order.sbk_cost_ids.mapped("amount")), 6300 + 2058 + 819 + 567)

    def test_fob_cif_and_landed_side_by_side(self):
        order, *_docs = self._full_order()
        # FOB value = CIF 10,000 - ocean freight 1,200 - insurance 33
        self.assertMoney(order.sbk_cif_revenue, 10000.0)
        self.assertMoney(order.sbk_fob_revenue, 8767.0)
        # commission on FOB: 3 % x 8,767 + 50 + bank charges 25
        self.assertMoney(order.sbk_commission_fob, 338.01)
        self.assertMoney(order.sbk_commission_cif, 375.0)
        self.assertMoney(order.sbk_profit_fob, 8767 - 6300 - 450 - 338.01 - 819 + 567)
        self.assertMoney(order.sbk_profit_cif, 1390.0)
        line = order.order_line
        self.assertEqual(line.sbk_price_cif, line.price_unit)
        self.assertAlmostEqual(line.sbk_price_fob, 8.77, places=2)

    def test_printed_cost_sheet(self):
        order, *_docs = self._full_order()
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "sbk_landed_cost.report_sbk_cost_sheet", order.ids
        )
        html = html.decode()
        for text in ("1,390.00", "8,767.00", "13.90", "Ocean Freight", "Bank charges on receipt"):
            self.assertIn(text, html)

    def test_xlsx_cost_sheets_of_selected_orders(self):
        openpyxl = __import__("openpyxl")
        order, *_docs = self._full_order()
        other = self._order([(self.lamp, 10, 12.0)], confirm=False)
        action = (order | other).action_sbk_export_cost_sheets()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"ids={order.id},{other.id}", action["url"])
        content = (order | other)._sbk_cost_sheets_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(workbook.sheetnames), 3)
        summary = workbook.worksheets[0]
        header = [cell.value for cell in summary[1]]
        row = {header[i]: cell.value for i, cell in enumerate(summary[2])}
        self.assertEqual(row["Order"], order.name)
        self.assertAlmostEqual(row["Real Profit"], 1390.0, places=2)
        self.assertAlmostEqual(row["Real Margin (%)"], 13.9, places=2)
        sheet = workbook[order.name.replace("/", "")[:28]]
        values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
        self.assertIn("Ocean Freight", values)
        self.assertIn(1200.0, values)

    def test_profit_analysis_margin_is_a_ratio_of_sums(self):
        order, *_docs = self._full_order()
        cheap = self._order([(self.lamp, 100, 5.0)])
        report = self.env["sbk.profit.report"]
        groups = report._read_group(
            [("order_id", "in", (order | cheap).ids)],
            ["partner_id"],
            ["revenue:sum", "real_profit:sum", "real_margin:sum"],
        )
        ((_partner, revenue, profit, margin),) = groups
        self.assertMoney(revenue, 10500.0)
        # the real profit and margin count the orders whose costs are complete only
        self.assertTrue(order.sbk_costs_complete)
        self.assertFalse(cheap.sbk_costs_complete)
        self.assertMoney(profit, order.sbk_real_profit)
        self.assertAlmostEqual(margin, profit / order.sbk_revenue * 100, places=4)
        ((orders_margin,),) = self.env["sale.order"]._read_group(
            [("id", "in", order.ids)], [], ["sbk_real_margin:avg"]
        )
        self.assertAlmostEqual(orders_margin, margin, places=4)
        by_product = report._read_group(
            [("order_id", "=", order.id)], ["product_id", "incoterm_id"], ["real_profit:sum"]
        )
        self.assertEqual(by_product[0][:2], (self.lamp, self.incoterm_cif))
        self.assertMoney(by_product[0][2], 1390.0)
