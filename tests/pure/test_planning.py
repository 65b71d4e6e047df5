import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_stock_first_then_incoming_then_shortage(planning):
    result = planning.net_requirement(1000, 300, 200)
    assert (result.from_stock, result.from_incoming, result.shortage) == (300, 200, 500)


def test_over_promised_stock_counts_as_nothing(planning):
    assert planning.net_requirement(100, -40, 0).shortage == 100


def test_order_quantity_respects_moq_and_vendor_minimum(planning):
    assert planning.order_quantity(120, moq=500) == 500
    assert planning.order_quantity(120, moq=100, vendor_minimum=200) == 200
    assert planning.order_quantity(800, moq=500, vendor_minimum=200) == 800
    assert planning.order_quantity(0, moq=500) == 0


def test_low_level_codes_take_the_deepest_occurrence(planning):
    bom = {"A": ["B", "C"], "B": ["C"], "C": []}
    assert planning.low_level_codes(["A"], lambda item: bom[item]) == {"A": 0, "B": 1, "C": 2}


def test_cycle_is_refused(planning):
    bom = {"A": ["B"], "B": ["A"]}
    with pytest.raises(ValueError, match="cycle"):
        planning.low_level_codes(["A"], lambda item: bom[item])


@given(
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
)
def test_netting_covers_exactly_the_requirement(planning, required, available, incoming):
    result = planning.net_requirement(required, available, incoming)
    total = result.from_stock + result.from_incoming + result.shortage
    assert total == pytest.approx(required, abs=1e-6)
    assert min(result.from_stock, result.from_incoming, result.shortage) >= 0


def test_lead_time_risk_levels(lead_time):
    from datetime import date

    etd = date(2026, 3, 31)
    assert lead_time.lead_time_risk(date(2026, 4, 1), etd, 7) == "late"
    assert lead_time.lead_time_risk(date(2026, 3, 31), etd, 7) == "at_risk"
    assert lead_time.lead_time_risk(date(2026, 3, 25), etd, 7) == "at_risk"
    assert lead_time.lead_time_risk(date(2026, 3, 24), etd, 7) == "none"
    assert lead_time.lead_time_risk(None, etd, 7) == "none"
    assert lead_time.lead_time_risk(date(2026, 4, 1), None, 7) == "none"


def test_released_requirement_comes_off_the_shortage_first(planning):
    netting = planning.net_requirement(1000, 300, 200)
    left = planning.release_requirement(netting, 400)
    assert (left.from_stock, left.from_incoming, left.shortage) == (300, 200, 100)
    left = planning.release_requirement(netting, 650)
    assert (left.from_stock, left.from_incoming, left.shortage) == (300, 50, 0)
    left = planning.release_requirement(netting, 1000)
    assert (left.from_stock, left.from_incoming, left.shortage) == (0, 0, 0)


def test_cut_skips_started_documents_and_reports_the_rest(planning):
    cuts, left = planning.allocate_cut(500, [(300, True), (400, False), (150, True)])
    assert (cuts, left) == ([300, 0, 150], 50)
    cuts, left = planning.allocate_cut(100, [(300, True), (400, False)])
    assert (cuts, left) == ([100, 0], 0)
    assert planning.allocate_cut(0, [(300, True)]) == ([0], 0)


@given(
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=2e6),
)
def test_release_never_goes_negative_and_removes_exactly(
    planning, required, stock, incoming, removed
):
    netting = planning.net_requirement(required, stock, incoming)
    left = planning.release_requirement(netting, removed)
    assert min(left.from_stock, left.from_incoming, left.shortage) >= 0
    total_before = netting.from_stock + netting.from_incoming + netting.shortage
    total_after = left.from_stock + left.from_incoming + left.shortage
    assert total_after == pytest.approx(max(total_before - removed, 0.0), abs=1e-6)
