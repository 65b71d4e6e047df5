"""The cost sheets of orders as one XLSX workbook (the PDF's sibling for spreadsheets)."""

import io

import xlsxwriter

from odoo import models

from ..models.cost_builder import DIMENSION_FIELDS

# Text from the database is written as text: a customer named "=HYPERLINK(...)" or a
# description holding a URL must not become a formula or a link in the buyer's spreadsheet.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
SUMMARY_FIELDS = (
    "sbk_revenue",
    *(actual for actual, _expected, _status in DIMENSION_FIELDS.values()),
    "sbk_apparent_profit",
    "sbk_real_profit",
    "sbk_real_margin",
    "sbk_fob_revenue",
    "sbk_profit_fob",
    "sbk_cif_revenue",
    "sbk_profit_cif",
    "sbk_profit_landed",
    "sbk_expected_profit",
    "sbk_expected_margin",
    "sbk_cost_completeness",
)
PERCENT_FIELDS = {"sbk_real_margin", "sbk_expected_margin", "sbk_cost_completeness"}


class CostSheetWorkbook:
    """A summary sheet with one row per order, then one sheet per order: its figures, each
    dimension posted and expected with its status, and its cost lines with their sources."""

    def __init__(self, orders):
        self.orders = orders
        self.env = orders.env
        self.output = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.output, WORKBOOK_OPTIONS)
        self.bold = self.workbook.add_format({"bold": True})
        self.money = self.workbook.add_format({"num_format": "#,##0.00"})
        self.bold_money = self.workbook.add_format({"num_format": "#,##0.00", "bold": True})
        self.percent = self.workbook.add_format({"num_format": "0.00"})

    def render(self):
        """The workbook as bytes."""
        self._write_summary()
        used = {self.summary_title.lower()}
        for order in self.orders:
            self._write_order(order, self._sheet_title(order, used))
        self.workbook.close()
        return self.output.getvalue()

    def _label(self, field_name):
        return self.orders._fields[field_name]._description_string(self.env)

    def _text(self, sheet, row, col, value, cell_format=None):
        sheet.write_string(row, col, str(value or ""), cell_format)

    def _write_summary(self):
        columns = [
            (self.env._("Order"), "name"),
            (self.env._("Customer"), "partner_id"),
            (self.env._("Salesperson"), "user_id"),
            (self.env._("Incoterm"), "incoterm"),
            (self.env._("Order Date"), "date_order"),
            *((self._label(name), name) for name in SUMMARY_FIELDS),
        ]
        self.summary_title = self.env._("Summary")[:31]
        summary = self.workbook.add_worksheet(self.summary_title)
        for col, (label, _name) in enumerate(columns):
            self._text(summary, 0, col, label, self.bold)
        for row, order in enumerate(self.orders, start=1):
            for col, (_label, name) in enumerate(columns):
                value = order[name]
                if name == "sbk_real_margin" and not order.sbk_costs_complete:
                    self._text(summary, row, col, self._costs_to_come())
                elif name in PERCENT_FIELDS:
                    summary.write_number(row, col, value, self.percent)
                elif isinstance(value, float):
                    summary.write_number(row, col, value, self.money)
                elif isinstance(value, models.BaseModel):
                    self._text(summary, row, col, value.display_name)
                else:
                    self._text(summary, row, col, value)
        summary.set_column(0, len(columns), 14)

    @staticmethod
    def _sheet_title(order, used):
        # Excel refuses []:*?/\ in a sheet name, more than 31 characters, an apostrophe at
        # either end and two names that differ only in case.
        title = "".join(c for c in order.name or "" if c not in "[]:*?/\\")[:28].strip("'")
        title = base = title.strip() or str(order.id)
        number = 1
        while title.lower() in used:
            number += 1
            title = f"{base[:24]}_{number}"
        used.add(title.lower())
        return title

    def _write_order(self, order, title):
        sheet = self.workbook.add_worksheet(title)
        self._text(sheet, 0, 0, self.env._("Cost Sheet"), self.bold)
        self._text(sheet, 0, 1, order.name, self.bold)
        self._text(sheet, 1, 0, self.env._("Customer"))
        self._text(sheet, 1, 1, order.partner_id.display_name)
        self._text(sheet, 2, 0, self.env._("Incoterm"))
        self._text(sheet, 2, 1, order.incoterm.code)
        rows = [
            (self.env._("Revenue"), order.sbk_revenue),
            (self.env._("Apparent Profit"), order.sbk_apparent_profit),
            (self.env._("Real Profit"), order.sbk_real_profit),
            (self.env._("Profit on FOB"), order.sbk_profit_fob),
            (self.env._("Profit on CIF"), order.sbk_profit_cif),
            (self.env._("Landed Profit"), order.sbk_profit_landed),
            (self.env._("Expected Profit"), order.sbk_expected_profit),
        ]
        row = 4
        for label, value in rows:
            self._text(sheet, row, 0, label)
            sheet.write_number(row, 1, value, self.money)
            row += 1
        for label, value in (
            (
                self.env._("Real Margin (%)"),
                order.sbk_real_margin if order.sbk_costs_complete else None,
            ),
            (self.env._("Expected Margin (%)"), order.sbk_expected_margin),
            (self.env._("Costs Posted (%)"), order.sbk_cost_completeness),
        ):
            self._text(sheet, row, 0, label)
            if value is None:
                self._text(sheet, row, 1, self._costs_to_come())
            else:
                sheet.write_number(row, 1, value, self.percent)
            row += 1
        row += 1
        row = self._write_dimensions(sheet, order, row) + 1
        self._write_cost_lines(sheet, order, row)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 2, 36)
        sheet.set_column(3, 4, 14)

    def _costs_to_come(self):
        """What stands for the real margin of an order still waiting for costs."""
        return self.env._("Costs to come")

    def _write_dimensions(self, sheet, order, row):
        """Each dimension posted and expected, with its status; returns the next free row."""
        for col, label in enumerate(
            (
                self.env._("Dimension"),
                self.env._("Posted"),
                self.env._("Expected"),
                self.env._("Status"),
            )
        ):
            self._text(sheet, row, col, label, self.bold)
        row += 1
        for line in order._sbk_get_cost_breakdown():
            self._text(sheet, row, 0, line["label"])
            sheet.write_number(row, 1, line["posted"], self.money)
            sheet.write_number(row, 2, line["expected"], self.money)
            self._text(sheet, row, 3, line["status_label"])
            row += 1
        return row

    def _write_cost_lines(self, sheet, order, row):
        bases = dict(self._selection("sbk.order.cost", "allocation_basis"))
        for col, label in enumerate(
            (
                self.env._("Dimension"),
                self.env._("Source"),
                self.env._("Description"),
                self.env._("Basis"),
                self.env._("Amount"),
            )
        ):
            self._text(sheet, row, col, label, self.bold)
        row += 1
        for key, label in self._selection("sbk.order.cost", "dimension"):
            lines = order.sbk_cost_ids.filtered(lambda c, k=key: c.dimension == k)
            if not lines:
                continue
            self._text(sheet, row, 0, label, self.bold)
            sheet.write_number(row, 4, sum(lines.mapped("amount")), self.bold_money)
            row += 1
            for line in lines:
                self._text(sheet, row, 1, line.source_name)
                self._text(sheet, row, 2, line.description)
                self._text(sheet, row, 3, bases.get(line.allocation_basis))
                sheet.write_number(row, 4, line.amount, self.money)
                row += 1

    def _selection(self, model, field_name):
        return self.env[model]._fields[field_name]._description_selection(self.env)
