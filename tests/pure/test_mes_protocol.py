from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_retry_delay_doubles_from_the_base_up_to_the_cap(mes_protocol):
    delays = [mes_protocol.retry_delay(n, 60) for n in range(0, 6)]
    assert delays == [0, 60, 120, 240, 480, 960]
    assert mes_protocol.retry_delay(30, 60) == mes_protocol.MAX_RETRY_DELAY
    assert mes_protocol.retry_delay(10**6, 60) == mes_protocol.MAX_RETRY_DELAY


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=3600))
def test_retry_delay_never_shrinks(mes_protocol, attempts, base):
    assert mes_protocol.retry_delay(attempts + 1, base) >= mes_protocol.retry_delay(attempts, base)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2030-01-07T08:30:00Z", datetime(2030, 1, 7, 8, 30)),
        ("2030-01-07T16:30:00+08:00", datetime(2030, 1, 7, 8, 30)),
        ("2030-01-07 08:30:00", datetime(2030, 1, 7, 8, 30)),
        ("2030-01-07T08:30:00.250Z", datetime(2030, 1, 7, 8, 30, 0, 250000)),
    ],
)
def test_timestamps_are_read_as_utc(mes_protocol, text, expected):
    assert mes_protocol.parse_timestamp(text) == expected


@pytest.mark.parametrize("value", ["2030-01-07", "yesterday", "2030-13-01T00:00:00Z", "", 17, None])
def test_malformed_timestamps_are_refused(mes_protocol, value):
    with pytest.raises(ValueError):
        mes_protocol.parse_timestamp(value)


def test_format_timestamp_round_trips(mes_protocol):
    moment = datetime(2030, 1, 7, 8, 30, 15)
    text = mes_protocol.format_timestamp(moment)
    assert text == "2030-01-07T08:30:15Z"
    assert mes_protocol.parse_timestamp(text) == moment
    assert mes_protocol.format_timestamp(False) is False


@pytest.mark.parametrize(
    "value, ok",
    [
        (0, True),
        (2.5, True),
        (-1, False),
        (True, False),
        ("3", False),
        (float("nan"), False),
        (float("inf"), False),
        (None, False),
    ],
)
def test_quantities(mes_protocol, value, ok):
    assert mes_protocol.is_quantity(value) is ok


def test_expected_finish_extrapolates_the_rate(mes_protocol):
    start = datetime(2030, 1, 7, 8, 0)
    now = datetime(2030, 1, 8, 8, 0)
    # 10 of 100 in a day: 9 more days.
    assert mes_protocol.estimate_finish(start, now, 10, 100) == datetime(2030, 1, 17, 8, 0)
    assert mes_protocol.estimate_finish(start, now, 100, 100) == now
    planned = datetime(2030, 1, 9)
    assert mes_protocol.estimate_finish(start, now, 0, 100, planned) == planned
    assert mes_protocol.estimate_finish(now, start, 5, 100, planned) == planned


@given(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=60, max_value=10**7),
)
def test_expected_finish_is_never_before_now(mes_protocol, produced, total, seconds):
    start = datetime(2030, 1, 1)
    now = datetime.fromtimestamp(start.timestamp() + seconds)
    finish = mes_protocol.estimate_finish(start, now, produced, total)
    assert finish >= now.replace(microsecond=0)
