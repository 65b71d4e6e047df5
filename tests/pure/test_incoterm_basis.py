"""The order's value on the FOB and CIF bases from the term it was sold on.

As docs/trade-formulas.md has it.
"""

import pytest


def test_incoterm_groups(trade_profit):
    basis = trade_profit.incoterm_basis
    assert [basis(c) for c in ("EXW", "fca", "FOB", "CFR", "CPT", "CIF", "CIP", "DAP")] == [
        "exw",
        "fob",
        "fob",
        "cfr",
        "cfr",
        "cif",
        "cif",
        "cif",
    ]
    assert basis(False) == "fob"


def test_fob_order_builds_cif_with_the_insurance_formula(trade_profit):
    totals = trade_profit.basis_totals("fob", 10_000.0, 500.0, 1_200.0, None, 0.3, 10.0)
    cif = 11_200.0 / (1 - 1.1 * 0.003)
    insurance = trade_profit.insurance_premium(cif, 0.3, 10.0)
    assert totals["fob"] == 10_000.0
    assert totals["insurance"] == insurance
    assert totals["cif"] == pytest.approx(11_200.0 + insurance)
    assert totals["ocean_freight"] == 1_200.0


def test_exw_order_adds_local_costs_for_fob(trade_profit):
    totals = trade_profit.basis_totals("exw", 10_000.0, 500.0, 0.0, 0.0, 0.3, 10.0)
    assert totals["fob"] == 10_500.0
    assert totals["cif"] == 10_500.0


def test_cif_order_goes_back_to_fob_with_posted_freight_and_insurance(trade_profit):
    totals = trade_profit.basis_totals("cif", 20_000.0, 800.0, 1_500.0, 66.0, 0.3, 10.0)
    assert totals["cif"] == 20_000.0
    assert totals["fob"] == pytest.approx(20_000.0 - 1_500.0 - 66.0)
    # without a posted insurance bill, the premium on the CIF value: 20,000 x 1.1 x 0.3 % = 66
    totals = trade_profit.basis_totals("cif", 20_000.0, 800.0, 1_500.0, None, 0.3, 10.0)
    assert totals["insurance"] == 66.0


def test_cfr_order(trade_profit):
    totals = trade_profit.basis_totals("cfr", 10_000.0, 0.0, 1_000.0, None, 0.3, 10.0)
    assert totals["fob"] == 9_000.0
    assert totals["insurance"] == trade_profit.insurance_premium(10_000.0 / (1 - 0.0033), 0.3)
    assert totals["cif"] == pytest.approx(10_000.0 + totals["insurance"])


def test_unit_prices_keep_the_sold_basis_exact(trade_profit):
    fob, cif = trade_profit.basis_unit_prices("fob", 7.3, 10_000.0, 10_000.0, 11_300.0)
    assert fob == 7.3
    assert cif == pytest.approx(7.3 * 1.13)
    fob, cif = trade_profit.basis_unit_prices("cif", 7.3, 10_000.0, 9_000.0, 10_000.0)
    assert cif == 7.3
    assert fob == pytest.approx(7.3 * 0.9)
    assert trade_profit.basis_unit_prices("cfr", 5.0, 0.0, 0.0, 0.0) == (5.0, 5.0)
