"""Quoted FOB / CIF prices and which term pays (docs/trade-formulas.md, "Order profit"; #16)."""

import pytest

# 1,000 shades sold CIF at 5.80, quoted FOB 5.20; ocean freight 700 billed, insurance by the
# formula 5,800 x 1.1 x 0.3 % = 19.14; from stock at 3.00, VAT borne 390, rebate 270.
TOTALS = {"procurement": 3_000.0, "ocean_freight": 700.0, "vat_borne": 390.0, "tax_rebate": 270.0}


def _bases(trade_profit, fob_quotes=(), cif_quotes=()):
    bases = trade_profit.basis_totals("cif", 5_800.0, 0.0, 700.0, None, 0.3)
    return trade_profit.quoted_bases(
        bases, 5_800.0, 5_800.0, list(fob_quotes), list(cif_quotes), None, 0.3
    )


def test_without_quote_the_basis_is_derived(trade_profit):
    bases = _bases(trade_profit)
    assert bases["quoted_fob"] == pytest.approx(5_080.86)
    assert bases["fob"] == pytest.approx(5_080.86)


def test_cif_order_whose_fob_quote_would_have_paid_more(trade_profit):
    bases = _bases(trade_profit, fob_quotes=[(5_800.0, 5_200.0)])
    assert bases["quoted_fob"] == pytest.approx(5_200.0)
    assert bases["fob"] == pytest.approx(5_080.86), "the declared FOB value stays derived"
    figures = trade_profit.order_figures(5_800.0, TOTALS, bases, 0.0)
    assert figures["profit_fob"] == pytest.approx(2_080.0)
    assert figures["profit_cif"] == pytest.approx(1_960.86)
    assert figures["better_term"] == "fob"
    assert figures["term_advantage"] == pytest.approx(119.14)
    assert figures["fob_declared"] == pytest.approx(5_080.86)


def test_a_quote_replaces_only_its_lines_share(trade_profit):
    # Two lines of 2,900 each; one quoted FOB 2,600: the other keeps its derived half.
    value = trade_profit.quoted_basis_value(5_080.86, 5_800.0, 5_800.0, [(2_900.0, 2_600.0)])
    assert value == pytest.approx(2_540.43 + 2_600.0)


def test_quote_in_foreign_currency_converts_as_the_revenue(trade_profit):
    # USD 800 sold = CNY 5,800; FOB quoted USD 720 -> CNY 5,220.
    value = trade_profit.quoted_basis_value(5_080.86, 5_800.0, 800.0, [(800.0, 720.0)])
    assert value == pytest.approx(5_220.0)


def test_better_term(trade_profit):
    assert trade_profit.better_term(100.0, 100.004) == ("equal", 0.0)
    assert trade_profit.better_term(90.0, 100.0) == ("cif", -10.0)


def test_split_freight_insurance_sums_exactly(trade_profit):
    assert trade_profit.split_freight_insurance(719.14, 700.0, 19.14) == (700.0, 19.14)
    freight, insurance = trade_profit.split_freight_insurance(100.0, 2.0, 1.0)
    assert (freight, insurance) == (66.67, 33.33)
    assert trade_profit.split_freight_insurance(50.0, 0.0, 0.0) == (50.0, 0.0)
