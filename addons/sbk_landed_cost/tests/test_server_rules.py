"""Bad input an export must survive: order names Excel refuses as sheet names."""

import io

from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestCostSheetNames(LandedCostCommon):
    def test_cost_sheets_of_orders_with_names_excel_refuses(self):
        openpyxl = __import__("openpyxl")
        names = [
            "'Q1'",
            "summary",
            "SO/2026:01",
            "SO2026-01",
            "so2026-01",  # the same sheet name to Excel
            "[*?]",
            "A" * 40,
            "A" * 28 + "_2",
            "A" * 40 + "b",
        ]
        orders = self.env["sale.order"]
        for name in names:
            orders |= self._order([(self.lamp, 1, 8.0)], confirm=False, name=name)
        workbook = openpyxl.load_workbook(io.BytesIO(orders._sbk_cost_sheets_xlsx()))
        titles = workbook.sheetnames
        self.assertEqual(len(titles), len(orders) + 1)
        self.assertEqual(len({title.lower() for title in titles}), len(titles))
        self.assertEqual(titles[:4], ["Summary", "Q1", "summary_2", "SO202601"])
        for title, order in zip(titles[1:], orders, strict=True):
            self.assertEqual(workbook[title]["B1"].value, order.name)
