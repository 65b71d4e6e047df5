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


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
        "2" * 100,
        "2030-01-07T10:00:00Z" * 5,
    ],
)
def test_out_of_range_timestamps_are_value_errors(mes_protocol, value):
    """Never an OverflowError: the caller turns a ValueError into a readable refusal."""
    with pytest.raises(ValueError):
        mes_protocol.parse_timestamp(value)


def test_time_window_around_now(mes_protocol):
    now = datetime(2026, 12, 1, 12, 0)
    inside = mes_protocol.in_time_window
    assert inside(datetime(2026, 12, 1, 12, 0), now, 366, 1)
    assert inside(datetime(2026, 12, 2, 11, 59), now, 366, 1)
    assert not inside(datetime(2026, 12, 2, 12, 1), now, 366, 1)
    assert inside(datetime(2025, 12, 1, 12, 0), now, 366, 1)
    assert not inside(datetime(2025, 11, 29, 0, 0), now, 366, 1)


@pytest.mark.parametrize(
    "value, ok",
    [(10**400, False), (1e300, False), (2e9, False), (10**9, True), (1e9, True), (5, True)],
)
def test_quantities_are_bounded(mes_protocol, value, ok):
    assert mes_protocol.is_quantity(value) is ok


def test_event_digest_is_the_content(mes_protocol):
    event = {"message_id": "A-1", "job_id": "WH/MO/1", "event": "progress", "qty_done": 4}
    digest = mes_protocol.event_digest
    # Key order and 4 vs 4.0 (whichever the MES's library sends) are the same content.
    assert digest(event) == digest({**event, "qty_done": 4.0})
    assert digest(dict(reversed(list(event.items())))) == digest(event)
    assert digest({**event, "qty_done": 5}) != digest(event)
    assert digest({**event, "job_id": "WH/MO/2"}) != digest(event)
    assert len(digest(event)) == 64
    # Whatever an XML-RPC struct may hold gives a digest, never an error.
    odd = {"a": 10**400, "b": float("nan"), "c": [None, True, {"d": float("inf")}], 1: "x"}
    assert len(digest(odd)) == 64


NOW = datetime(2030, 1, 7, 12, 0)
EVENT = {
    "message_id": "L1-000731",
    "job_id": "WH/MO/00042",
    "event": "progress",
    "operation": "Solder",
    "qty_done": 12,
    "timestamp": "2030-01-07T08:30:00Z",
}


def test_validate_event_normalises_a_good_event(mes_protocol):
    assert mes_protocol.check_envelope(EVENT) == ("L1-000731", "WH/MO/00042")
    assert mes_protocol.validate_event(EVENT, NOW, 366, 1) == {
        "message_id": "L1-000731",
        "job_id": "WH/MO/00042",
        "event": "progress",
        "operation": "Solder",
        "timestamp": datetime(2030, 1, 7, 8, 30),
        "qty_done": 12.0,
        "qty_scrap": 0.0,
    }
    started = {**EVENT, "event": "started", "operation": "", "qty_done": None}
    assert mes_protocol.validate_event(started, NOW, 366, 1)["operation"] is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"event": "paused"}, "unknown_event"),
        ({"event": None}, "missing_fields"),
        ({"qty_done": -1}, "bad_quantity"),
        ({"qty_done": True}, "bad_quantity"),
        ({"qty_done": float("nan")}, "bad_quantity"),
        ({"qty_done": None}, "quantity_required"),
        ({"qty_done": 0}, "quantity_above_zero"),
        ({"operation": 2.5}, "bad_operation"),
        ({"operation": "x" * 129}, "bad_operation"),
        ({"timestamp": "2030-01-07"}, "bad_timestamp"),
        ({"timestamp": "2031-01-07T08:30:00Z"}, "timestamp_out_of_window"),
    ],
)
def test_validate_event_names_the_rule_an_event_breaks(mes_protocol, change, code):
    with pytest.raises(mes_protocol.EventError) as caught:
        mes_protocol.validate_event({**EVENT, **change}, NOW, 366, 1)
    assert caught.value.code == code
    assert code in str(caught.value)


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ("junk", "not_a_struct"),
        ({**EVENT, "message_id": " "}, "no_message_id"),
        ({**EVENT, "message_id": "m" * 129}, "message_id_too_long"),
        ({**EVENT, "job_id": ""}, "missing_fields"),
        ({**EVENT, "job_id": 42}, "bad_job_id"),
    ],
)
def test_check_envelope_names_the_rule_an_event_breaks(mes_protocol, event, code):
    with pytest.raises(mes_protocol.EventError) as caught:
        mes_protocol.check_envelope(event)
    assert caught.value.code == code


def test_the_reference_mes_shares_the_protocol(mes_protocol):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "mes_simulator" / "mes_sim.py"
    spec = importlib.util.spec_from_file_location("mes_sim_protocol_check", path)
    simulator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(simulator)
    assert simulator.protocol.validate_event.__code__.co_filename.endswith(
        "sbk_mes_bridge/tools/mes_protocol.py"
    )
    assert simulator.MAX_QUANTITY == mes_protocol.MAX_QUANTITY
    reporter = simulator.OdooReporter("http://127.0.0.1:9", "db", "mes", key="k", batch_size=10**6)
    assert reporter.batch_size == mes_protocol.MAX_BATCH
    # An event Odoo would refuse for its shape is not sent (nothing listens on port 9).
    answer = reporter.report({**EVENT, "qty_done": -1, "timestamp": simulator.iso(NOW)})
    assert "not sent" in answer["error"] and "bad_quantity" in answer["error"]
