from datetime import date

import pytest


@pytest.mark.parametrize(
    "raw, normalized",
    [("9405.11.9000", "9405119000"), ("9405 11 90", "94051190"), ("94051190", "94051190")],
)
def test_separators_are_removed(hs_code, raw, normalized):
    assert hs_code.normalize_hs_code(raw) == normalized


@pytest.mark.parametrize("code", ["94051190", "9405119000"])
def test_eight_or_ten_digits_are_valid(hs_code, code):
    assert hs_code.is_valid_hs_code(code)


@pytest.mark.parametrize("code", ["940511", "940511900", "94051190001", "9405AB9000", "", None])
def test_other_codes_are_invalid(hs_code, code):
    assert not hs_code.is_valid_hs_code(code)


def test_rates_in_force_on_a_date(hs_code):
    rates_in_force = hs_code.rates_in_force
    history = [(date(2024, 12, 1), 13.0, 6.0), (None, 13.0, 9.0), (date(2025, 6, 1), 13.0, 0.0)]
    assert rates_in_force(history, date(2024, 11, 30), (1.0, 1.0)) == (13.0, 9.0)
    assert rates_in_force(history, date(2024, 12, 1), (1.0, 1.0)) == (13.0, 6.0)
    assert rates_in_force(history, date(2025, 6, 2), (1.0, 1.0)) == (13.0, 0.0)
    assert rates_in_force([], date(2025, 6, 2), (13.0, 9.0)) == (13.0, 9.0)
    # Only dated history, before its first date: the default (the rates known today).
    assert rates_in_force(history[:1], date(2024, 1, 1), (13.0, 13.0)) == (13.0, 13.0)
