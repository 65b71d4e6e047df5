"""An order's figures from its totals, and its expected profit.

As docs/trade-formulas.md, "Order profit", has it.
"""

import pytest

# The CIF order of the Odoo test "TestOrderCostSheet": 1,000 lamps sold CIF at 10.00.
CIF_ORDER = {
    "procurement": 6_300.0,
    "domestic_freight": 300.0,
    "customs_fee": 150.0,
    "ocean_freight": 1_200.0,
    "insurance": 33.0,
    "commission": 375.0,  # 3 % of 10,000 + 50 fixed + 25 bank charges
    "vat_borne": 819.0,
    "tax_rebate": 567.0,
}
CIF_BASES = {"fob": 8_767.0, "cif": 10_000.0, "ocean_freight": 1_200.0, "insurance": 33.0}


def test_every_basis_of_a_cif_order_by_hand(trade_profit):
    figures = trade_profit.order_figures(10_000.0, CIF_ORDER, CIF_BASES, 3.0, "invoice")
    assert figures["apparent_profit"] == 3_700.0
    # 10,000 - 6,300 - 300 - 150 - 1,200 - 33 - 375 - 819 + 567
    assert figures["real_profit"] == 1_390.0
    assert figures["profit_landed"] == 1_390.0
    assert figures["real_margin"] == 13.9
    # the rate on each basis's value, the 50 fixed and 25 bank charges on every basis:
    # 3 % x 8,767 + 75 = 338.01
    assert figures["commission_fob"] == 338.01
    assert figures["commission_cif"] == 375.0
    assert figures["profit_fob"] == 8_767.0 - 6_300 - 450 - 338.01 - 819 + 567
    assert figures["profit_cif"] == 1_390.0
    assert (figures["fob_revenue"], figures["cif_revenue"]) == (8_767.0, 10_000.0)


def test_commission_on_the_fob_base_is_the_same_on_every_basis(trade_profit):
    totals = {"procurement": 300.0, "ocean_freight": 100.0, "insurance": 1.65, "commission": 7.97}
    bases = {"fob": 398.35, "cif": 500.0, "ocean_freight": 100.0, "insurance": 1.65}
    figures = trade_profit.order_figures(500.0, totals, bases, 2.0, "fob")
    assert figures["commission_fob"] == figures["commission_cif"] == 7.97


@pytest.mark.parametrize(
    ("base", "basis", "expected"),
    [
        ("invoice", "landed", 10_000.0),
        ("invoice", "fob", 8_767.0),
        ("invoice", "cif", 10_500.0),
        ("fob", "landed", 8_767.0),
        ("fob", "cif", 8_767.0),
    ],
)
def test_commission_base(trade_profit, base, basis, expected):
    assert trade_profit.commission_base(base, basis, 10_000.0, 8_767.0, 10_500.0) == expected


def test_cost_status(trade_profit):
    assert trade_profit.cost_status(True, False) == "actual"
    assert trade_profit.cost_status(False, False) == "actual"
    assert trade_profit.cost_status(True, True) == "partial"
    assert trade_profit.cost_status(False, True) == "expected"


def test_seller_bears_by_incoterm_group(trade_profit):
    bears = trade_profit.SELLER_BEARS
    assert bears["exw"] == ()
    assert bears["fob"] == ("domestic_freight", "customs_fee")
    assert "ocean_freight" in bears["cfr"] and "insurance" not in bears["cfr"]
    assert set(bears["cif"]) == {"domestic_freight", "customs_fee", "ocean_freight", "insurance"}


@pytest.mark.parametrize(
    ("consumed", "covered", "to_consume", "to_cover", "expected"),
    [
        (0, 0, 1_000, 600, 400),  # 600 on order, 400 to take from stock
        (0, 600, 1_000, 0, 400),  # the 600 received, nothing delivered yet
        (1_000, 600, 0, 0, 0),  # all delivered: the 400 from stock are posted
        (300, 0, 700, 600, 100),  # 300 delivered before the purchase arrived
        (0, 0, 100, 100, 0),  # made or bought for the order in full
        (0, 50, 0, 0, 0),  # nothing left to deliver
    ],
)
def test_stock_still_to_take(trade_profit, consumed, covered, to_consume, to_cover, expected):
    assert trade_profit.stock_to_come(consumed, covered, to_consume, to_cover) == expected


def test_expected_profit_before_any_cost_arrives(trade_profit):
    # 1,000 lamps FOB at 10.00: 600 on a purchase at 6.50, 400 from stock at 6.00; agent 3 %.
    actual = {"commission": 300.0}
    expected = {
        "procurement": 6_300.0,
        "commission": 300.0,
        "vat_borne": 819.0,
        "tax_rebate": 567.0,
    }
    figures = trade_profit.expected_figures(10_000.0, actual, expected, complete=False)
    assert figures["expected_profit"] == 3_148.0
    assert figures["expected_margin"] == 31.48
    # 300 posted of 7,419 expected
    assert figures["completeness"] == 4.04


def test_complete_order_is_a_hundred_percent_posted(trade_profit):
    figures = trade_profit.expected_figures(10_000.0, CIF_ORDER, CIF_ORDER, complete=True)
    assert figures["expected_profit"] == 1_390.0
    assert figures["completeness"] == 100.0


def test_completeness_stays_within_bounds(trade_profit):
    # A refund can leave more posted than expected; nothing expected yet is 0 %.
    over = trade_profit.expected_figures(100.0, {"procurement": 80.0}, {"procurement": 60.0}, False)
    assert over["completeness"] == 100.0
    assert trade_profit.expected_figures(100.0, {}, {}, False)["completeness"] == 0.0
    assert trade_profit.expected_figures(0.0, {}, {}, False)["expected_margin"] == 0.0
