"""Reading loading scans from Odoo's GS1 decomposition (tools/barcode_scan.py).

The parts below have the shape ``barcode.nomenclature.gs1_decompose_extanded`` returns (the
Odoo tests in sbk_trade run the same labels through the real nomenclature).
"""

import pytest


def part(rule_type, ai, value):
    return {"rule": None, "type": rule_type, "ai": ai, "string_value": str(value), "value": value}


def test_gtin_lot_and_count_are_read(barcode_scan):
    label = barcode_scan.read_gs1(
        [
            part("product", "01", "06901234599404"),
            part("quantity", "30", 25),
            part("lot", "10", "LOT-A"),
        ]
    )
    assert label == barcode_scan.Gs1Label(gtin="06901234599404", lot="LOT-A", count=25.0)


def test_a_label_without_count_or_lot_leaves_them_open(barcode_scan):
    label = barcode_scan.read_gs1([part("product", "01", "16901234599104")])
    assert (label.gtin, label.lot, label.count) == ("16901234599104", None, None)
    assert barcode_scan.label_quantity(label, 50.0) == 50.0


def test_the_count_wins_over_the_unit_quantity(barcode_scan):
    label = barcode_scan.read_gs1(
        [part("product", "01", "16901234599104"), part("quantity", "30", 120)]
    )
    assert barcode_scan.label_quantity(label, 50.0) == 120.0


def test_a_label_without_gtin_is_read_without_one(barcode_scan):
    label = barcode_scan.read_gs1([part("lot", "10", "LOT-A")])
    assert label.gtin is None
    assert label.lot == "LOT-A"


@pytest.mark.parametrize("parts", [None, []])
def test_no_decomposition_is_no_label(barcode_scan, parts):
    assert barcode_scan.read_gs1(parts) is None


def test_of_two_fields_of_one_type_the_last_counts(barcode_scan):
    label = barcode_scan.read_gs1([part("quantity", "37", 10), part("quantity", "30", 12)])
    assert label.count == 12.0


@pytest.mark.parametrize(
    ("gtin", "barcodes"),
    [
        ("06901234599107", ("06901234599107", "6901234599107")),  # EAN-13
        ("00012345678905", ("00012345678905", "0012345678905", "012345678905", "12345678905")),
        ("00000096385074", ("00000096385074", "0000096385074", "000096385074", "96385074")),
        ("16901234599104", ("16901234599104",)),  # a carton's GTIN-14: no padding
    ],
)
def test_gtin_matches_the_barcode_as_read_and_its_shorter_forms(barcode_scan, gtin, barcodes):
    assert barcode_scan.gtin_barcodes(gtin) == barcodes


@pytest.mark.parametrize(
    ("raw", "clean"), [(" 6901234599107\n", "6901234599107"), (None, ""), ("", "")]
)
def test_scans_lose_the_whitespace_a_scanner_adds(barcode_scan, raw, clean):
    assert barcode_scan.clean_scan(raw) == clean
