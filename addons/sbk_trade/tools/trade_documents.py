"""What the export documents state besides the goods: pure functions, no Odoo import.

The commercial invoice, the packing list and the proforma invoice (``report/``) take from here
the Incoterm group (which terms state freight and insurance, docs/trade-formulas.md
"Incoterms"), the amount in Chinese capital numerals and the default shipping marks.
"""

from decimal import ROUND_HALF_UP, Decimal

INCOTERM_GROUPS = {
    "EXW": "E",
    "FCA": "F",
    "FAS": "F",
    "FOB": "F",
    "CFR": "C",
    "CPT": "C",
    "CIF": "C",
    "CIP": "C",
    "DAP": "D",
    "DPU": "D",
    "DDP": "D",
    # Incoterms 2010 and older, still in Odoo's list
    "DAT": "D",
    "DAF": "D",
    "DES": "D",
    "DEQ": "D",
    "DDU": "D",
}


def incoterm_group(code):
    """``"E"``, ``"F"``, ``"C"`` or ``"D"`` for an Incoterm code, None when unknown or empty."""
    return INCOTERM_GROUPS.get((code or "").strip().upper())


def states_freight_and_insurance(code):
    """Whether a document on this term states freight and insurance apart from the goods:
    the seller pays the main carriage on C- and D-terms, so their price includes it."""
    return incoterm_group(code) in ("C", "D")


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _four_digits(number):
    """1 to 9999 in capital numerals, zeros inside read once (1005: 壹仟零伍)."""
    text = ""
    zero = False
    for position in (3, 2, 1, 0):
        digit = number // 10**position % 10
        if not digit:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _UNITS[position]
    return text


def _integer(number):
    if not number:
        return "零"
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("amount too large for capital numerals")
    text = ""
    zero = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if not group:
            zero = bool(text)
            continue
        if text and (zero or group < 1000):
            text += "零"
        text += _four_digits(group) + _GROUP_UNITS[index]
        zero = False
    return text


def amount_in_chinese(amount):
    """An amount in Chinese capital numerals as on a contract or invoice (大写金额), rounded
    half-up to the cent: 3460 -> 叁仟肆佰陆拾元整, 1204.05 -> 壹仟贰佰零肆元零伍分."""
    cents = int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "负" if cents < 0 else ""
    cents = abs(cents)
    units, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _integer(units) + "元" if units or not (jiao or fen) else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif fen and units:
        text += "零"
    text += _DIGITS[fen] + "分" if fen else "整"
    return sign + text


def default_shipping_marks(buyer, order_references, port_of_discharge, cartons):
    """Shipping marks when nobody wrote any: the buyer, the order numbers, the port of
    discharge and the carton numbers ("C/NO. 1-N")."""
    lines = [buyer, " / ".join(order_references), port_of_discharge]
    if cartons:
        lines.append(f"C/NO. 1-{cartons}")
    return "\n".join(line for line in lines if line)
