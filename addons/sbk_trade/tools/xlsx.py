"""Small xlsxwriter helpers shared by the XLSX exports of the trade documents."""

import io
import re

import xlsxwriter

# Excel refuses these in a sheet name, and a name that starts or ends with an apostrophe.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title):
    """A sheet name Excel accepts for ``title`` (a document number such as ``NB/2026:01``):
    forbidden characters become ``-``, no apostrophe at either end, at most 31 characters."""
    name = _SHEET_NAME_FORBIDDEN.sub("-", title or "")[:31].strip("'").strip()
    return name or "Sheet1"


def build_workbook(title, header_rows, columns, rows, total_row=None, footer_rows=()):
    """An XLSX file (bytes) with a header block, a table, an optional total row and a footer.

    ``header_rows`` and ``footer_rows`` are ``(label, value)`` pairs written above and below
    the table (numbers in the footer as amounts); ``columns`` are
    ``(title, width, number_format or None)``; ``rows`` and ``total_row`` are value lists.
    Text is written as text, always: a buyer named ``=HYPERLINK(...)`` is no formula and a
    URL no link.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name(title))
    bold = workbook.add_format({"bold": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    amount = workbook.add_format({"num_format": "#,##0.00"})
    head = workbook.add_format(
        {"bold": True, "text_wrap": True, "border": 1, "align": "center", "valign": "vcenter"}
    )
    formats = {}

    def cell_format(num_format, is_bold=False):
        key = (num_format, is_bold)
        if key not in formats:
            spec = {"border": 1}
            if num_format:
                spec["num_format"] = num_format
            if is_bold:
                spec["bold"] = True
            formats[key] = workbook.add_format(spec)
        return formats[key]

    def write_pairs(row, pairs):
        for label, value in pairs:
            sheet.write(row, 0, label, bold)
            if isinstance(value, str) and "\n" in value:
                sheet.write(row, 1, value, wrapped)
                sheet.set_row(row, 15 * (value.count("\n") + 1))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write(row, 1, value, amount)
            else:
                sheet.write(row, 1, value if value not in (None, False) else "")
            row += 1
        return row + 1 if pairs else row

    row = write_pairs(0, header_rows)
    for col, (title, width, _fmt) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write(row, col, title, head)
    sheet.set_row(row, 30)
    row += 1
    for values in rows:
        for col, value in enumerate(values):
            sheet.write(
                row, col, "" if value in (None, False) else value, cell_format(columns[col][2])
            )
        row += 1
    if total_row:
        for col, value in enumerate(total_row):
            sheet.write(
                row,
                col,
                "" if value in (None, False) else value,
                cell_format(columns[col][2], True),
            )
        row += 1
    if footer_rows:
        write_pairs(row + 1, footer_rows)
    workbook.close()
    return buffer.getvalue()
