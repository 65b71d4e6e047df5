"""Reading a loading scan: pure functions, no Odoo import.

Odoo's ``barcodes_gs1_nomenclature`` splits a GS1-128 label into its application identifiers
(``barcode.nomenclature.gs1_decompose_extanded``: a list of ``{"type", "value", ...}`` in label
order, or ``None`` when the text is no GS1 label). This module reads from that split what
loading needs (the GTIN, the lot and the count) and says which product barcodes a GTIN matches;
``sbk.shipment.scan`` runs the lookups.
"""

from dataclasses import dataclass

# ASCII group separator: what a scanner sends for FNC1 between variable-length fields.
FNC1 = "\x1d"


@dataclass(frozen=True)
class Gs1Label:
    """What a GS1-128 label says about the goods it is stuck on."""

    gtin: str | None
    lot: str | None
    count: float | None


def clean_scan(barcode):
    """The scanned text without the whitespace a keyboard-wedge scanner may add."""
    return (barcode or "").strip()


def read_gs1(parts):
    """The label in Odoo's decomposition of a GS1-128 barcode, or ``None`` when it is none.

    (01) / (02) give the GTIN, (10) the lot, (30) / (37) the count (rule types ``product``,
    ``lot`` and ``quantity`` of Odoo's GS1 nomenclature); of two fields of one type, the last
    one counts.
    """
    if not parts:
        return None
    values = {part["type"]: part["value"] for part in parts}
    count = values.get("quantity")
    return Gs1Label(
        gtin=values.get("product") or None,
        lot=values.get("lot") or None,
        count=float(count) if count is not None else None,
    )


def gtin_barcodes(gtin):
    """Barcodes a product or packaging may carry for ``gtin``: as read, and the GTIN-13
    (EAN-13), GTIN-12 (UPC-A) and GTIN-8 (EAN-8) that a GTIN-14 pads with leading zeros."""
    shorter = [gtin[-length:] for length in (13, 12, 8) if len(gtin) > length]
    forms = [gtin] + [form for form in shorter if not gtin[: -len(form)].strip("0")]
    return tuple(dict.fromkeys([*forms, gtin.lstrip("0")]))


def label_quantity(label, unit_quantity):
    """Pieces a label counts: its (30) count, else the quantity of the item it identifies (one
    piece, or the packaging's content)."""
    return label.count if label.count is not None else unit_quantity
