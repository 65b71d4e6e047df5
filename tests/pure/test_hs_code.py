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
