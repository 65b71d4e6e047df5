"""The XLSX writer of the trade documents (tools/xlsx.py)."""

import io

import openpyxl
import pytest


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("NB/2026:0001", "NB-2026-0001"),
        ("'SH:01/02'", "SH-01-02"),
        ("[a]*?\\b", "-a----b"),
        ("", "Sheet1"),
        ("'", "Sheet1"),
        ("X" * 40, "X" * 31),
        ("SBK/SHIP/00042", "SBK-SHIP-00042"),
    ],
)
def test_sheet_names_excel_accepts(xlsx, title, name):
    assert xlsx.sheet_name(title) == name


def test_text_stays_text_and_numbers_stay_numbers(xlsx):
    content = xlsx.build_workbook(
        "SBK/SHIP/1",
        [("Buyer 买方", '=HYPERLINK("http://evil.example","x")')],
        [("Name", 10, None), ("Link", 10, None), ("Qty", 8, "0.##")],
        [["=1+1", "https://example.com/a", 12.5], ["+cmd|' /C calc'!A0", "mailto:a@b.c", 3]],
        ["TOTAL", "", 15.5],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "SBK-SHIP-1"
    texts = [sheet["B1"], sheet["A4"], sheet["B4"], sheet["A5"], sheet["B5"]]
    assert [cell.data_type for cell in texts] == ["s"] * 5
    assert sheet["A4"].value == "=1+1"
    assert not sheet._hyperlinks
    assert (sheet["C4"].value, sheet["C6"].value) == (12.5, 15.5)
