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


def test_status_says_no_etd_rather_than_on_time(lead_time):
    from datetime import date

    assert lead_time.lead_time_status("none", None) == "no_etd"
    assert lead_time.lead_time_status("none", date(2026, 3, 31)) == "on_time"
    assert lead_time.lead_time_status("late", date(2026, 3, 31)) == "late"
    assert lead_time.days_to(date(2026, 3, 31), date(2026, 3, 24)) == 7
    assert lead_time.days_to(date(2026, 3, 31), date(2026, 4, 2)) == -2


def test_a_late_purchase_pushes_the_mo_back(lead_time):
    from datetime import date

    lt = lead_time
    today = date(2026, 3, 1)
    mo = lt.Production("MO1", "light", date(2026, 3, 10), date(2026, 3, 15), lt.WAITING, ("drv",))
    on_time = lt.Supply("PO1", "drv", date(2026, 3, 8))
    late = lt.Supply("PO2", "drv", date(2026, 3, 14))
    result = lt.expected_finishes([mo], [on_time], today)
    assert result["MO1"] == lt.Expected(date(2026, 3, 15))
    result = lt.expected_finishes([mo], [on_time, late], today)
    assert result["MO1"] == lt.Expected(date(2026, 3, 19), "PO2", date(2026, 3, 14), False, 4)


def test_passed_dates_count_from_today(lead_time):
    from datetime import date

    lt = lead_time
    today = date(2026, 3, 12)
    mo = lt.Production("MO1", "light", date(2026, 3, 10), date(2026, 3, 15), lt.WAITING, ("drv",))
    # The vendor's date passed without a receipt: the MO waits for it from today on.
    overdue_po = lt.Supply("PO1", "drv", date(2026, 3, 9))
    result = lt.expected_finishes([mo], [overdue_po], today)
    assert result["MO1"] == lt.Expected(date(2026, 3, 17), "PO1", date(2026, 3, 12), False, 2)
    # Nothing to wait for, but the planned start passed: it starts today at the earliest.
    assert lt.expected_finishes([mo], [], today)["MO1"] == lt.Expected(
        date(2026, 3, 17), None, None, True, 2
    )
    started = lt.Production("MO2", "light", date(2026, 3, 1), date(2026, 3, 10), lt.STARTED)
    assert lt.expected_finishes([started], [], today)["MO2"] == lt.Expected(
        date(2026, 3, 12), overdue=True
    )
    done = lt.Production("MO3", "light", date(2026, 3, 1), date(2026, 3, 5), lt.DONE)
    assert lt.expected_finishes([done], [], today)["MO3"] == lt.Expected(date(2026, 3, 5))


def test_a_late_sub_assembly_pushes_its_parent(lead_time):
    from datetime import date

    lt = lead_time
    today = date(2026, 3, 1)
    board = lt.Production(
        "MO-B", "board", date(2026, 3, 5), date(2026, 3, 8), lt.WAITING, ("chip",)
    )
    light = lt.Production(
        "MO-L", "light", date(2026, 3, 8), date(2026, 3, 12), lt.WAITING, ("board",)
    )
    chips = lt.Supply("PO-C", "chip", date(2026, 3, 10))
    result = lt.expected_finishes([light, board], [chips], today)
    assert result["MO-B"].finish == date(2026, 3, 13)
    assert result["MO-L"] == lt.Expected(date(2026, 3, 17), "MO-B", date(2026, 3, 13), False, 5)


def test_of_two_overdue_purchases_the_one_planned_latest_is_the_cause(lead_time):
    from datetime import date

    lt = lead_time
    today = date(2026, 3, 20)
    mo = lt.Production("MO", "light", date(2026, 3, 14), date(2026, 3, 19), lt.WAITING, ("a", "b"))
    supplies = [
        lt.Supply("PO-A", "a", date(2026, 3, 10)),
        lt.Supply("PO-B", "b", date(2026, 3, 14)),
    ]
    result = lt.expected_finishes([mo], supplies, today)["MO"]
    assert (result.cause, result.finish, result.shift_days) == ("PO-B", date(2026, 3, 25), 6)


def test_a_purchase_due_on_the_start_day_delays_nothing(lead_time):
    from datetime import date

    lt = lead_time
    mo = lt.Production("MO", "light", date(2026, 3, 14), date(2026, 3, 19), lt.WAITING, ("a",))
    supply = lt.Supply("PO-A", "a", date(2026, 3, 14))
    result = lt.expected_finishes([mo], [supply], date(2026, 3, 1))["MO"]
    assert result == lt.Expected(date(2026, 3, 19))
