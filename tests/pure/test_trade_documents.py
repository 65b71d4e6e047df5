"""What the export documents state besides the goods (tools/trade_documents.py)."""

import pytest


@pytest.mark.parametrize(
    ("code", "group", "states"),
    [
        ("EXW", "E", False),
        ("fob", "F", False),
        ("FCA", "F", False),
        ("CFR", "C", True),
        ("CIF", "C", True),
        ("CIP", "C", True),
        ("DAP", "D", True),
        ("DDP", "D", True),
        ("", None, False),
        (False, None, False),
        ("XYZ", None, False),
    ],
)
def test_c_and_d_terms_state_freight_and_insurance(trade_documents, code, group, states):
    assert trade_documents.incoterm_group(code) == group
    assert trade_documents.states_freight_and_insurance(code) is states


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (0.05, "伍分"),
        (0.5, "伍角整"),
        (1, "壹元整"),
        (10.5, "壹拾元伍角整"),
        (1005, "壹仟零伍元整"),
        (1204.05, "壹仟贰佰零肆元零伍分"),
        (3460, "叁仟肆佰陆拾元整"),
        (11975, "壹万壹仟玖佰柒拾伍元整"),
        (100500, "壹拾万零伍佰元整"),
        (100001000, "壹亿零壹仟元整"),
        (100000001, "壹亿零壹元整"),
        (120000000.99, "壹亿贰仟万元玖角玖分"),
        (0.005, "壹分"),  # half-up to the cent
        (-12.3, "负壹拾贰元叁角整"),
    ],
)
def test_amounts_in_chinese_capital_numerals(trade_documents, amount, words):
    assert trade_documents.amount_in_chinese(amount) == words


def test_amounts_beyond_capital_numerals_are_refused(trade_documents):
    with pytest.raises(ValueError):
        trade_documents.amount_in_chinese(10**17)


def test_default_marks_name_buyer_orders_port_and_cartons(trade_documents):
    marks = trade_documents.default_shipping_marks("ACME GmbH", ["PO-1", "S00042"], "Hamburg", 35)
    assert marks == "ACME GmbH\nPO-1 / S00042\nHamburg\nC/NO. 1-35"
    assert trade_documents.default_shipping_marks("ACME GmbH", [], None, 0) == "ACME GmbH"
