"""The MES protocol: an event's shape, retry schedule, timestamps, quantities, expected finish.

Pure: no Odoo import, so the reference MES (mes_simulator), its tests and the fast tests load
it on their own. Datetimes are naive UTC, as Odoo stores them.
"""

import hashlib
import json
import math
from datetime import datetime, timedelta, timezone

#: Longest wait between two delivery attempts of one outbox message.
MAX_RETRY_DELAY = 6 * 3600

#: Longest ``message_id`` and ``job_id`` an event may carry.
MAX_ID_LENGTH = 128

#: Largest quantity one event may report (far beyond any job; keeps the arithmetic finite).
MAX_QUANTITY = 1e9

#: Most events one ``report_progress`` call may carry.
MAX_BATCH = 500

#: The kinds of event an MES reports.
EVENT_NAMES = ("started", "progress", "done", "scrap")

#: Integers beyond this are not exactly representable as floats.
_EXACT_INT = 2**53


class EventError(ValueError):
    """An event that breaks a rule of the protocol: ``code`` names the rule, ``params`` the
    values the message needs (Odoo words them, translated; see ``sbk.mes.bridge``)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self):
        details = ", ".join(f"{key}={value}" for key, value in self.params.items())
        return f"{self.code} ({details})" if details else self.code


def check_envelope(event):
    """What identifies an event: a struct with a usable ``message_id`` and ``job_id``;
    return both, or raise ``EventError``."""
    if not isinstance(event, dict):
        raise EventError("not_a_struct", value=repr(event)[:200])
    message_id = event.get("message_id")
    if not isinstance(message_id, str) or not message_id.strip():
        raise EventError("no_message_id")
    if len(message_id) > MAX_ID_LENGTH:
        raise EventError("message_id_too_long", length=len(message_id), max=MAX_ID_LENGTH)
    job_id = event.get("job_id")
    if not job_id:
        raise EventError("missing_fields", fields="job_id")
    if not isinstance(job_id, str) or len(job_id) > MAX_ID_LENGTH:
        raise EventError("bad_job_id", value=repr(job_id)[:200])
    return message_id, job_id


def check_timestamp(value, field_name):
    """``parse_timestamp``, raising ``EventError`` (``bad_timestamp``)."""
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise EventError("bad_timestamp", field=field_name, value=repr(value)[:100]) from None


def validate_event(event, now, past_days, future_days):
    """Check an event's fields (its envelope checked already); return them normalised:
    ``message_id``, ``job_id``, ``event``, ``operation`` (``None`` for the job as a whole),
    ``timestamp`` (naive UTC), ``qty_done`` and ``qty_scrap`` (floats). Raise ``EventError``.

    ``now``, ``past_days``, ``future_days``: the window the timestamp must lie in."""
    missing = [key for key in ("job_id", "event", "timestamp") if not event.get(key)]
    if missing:
        raise EventError("missing_fields", fields=", ".join(missing))
    event_type = event["event"]
    if not isinstance(event_type, str) or event_type not in EVENT_NAMES:
        raise EventError(
            "unknown_event", event=repr(event_type)[:100], events=", ".join(EVENT_NAMES)
        )
    quantities = {}
    for key in ("qty_done", "qty_scrap"):
        value = event.get(key)
        if value is None:
            quantities[key] = 0.0
        elif is_quantity(value):
            quantities[key] = float(value)
        else:
            raise EventError(
                "bad_quantity", field=key, max=format(MAX_QUANTITY, "g"), value=repr(value)[:100]
            )
    required = {"progress": "qty_done", "done": "qty_done", "scrap": "qty_scrap"}.get(event_type)
    if required and event.get(required) is None:
        raise EventError("quantity_required", event=event_type, field=required)
    if event_type in ("progress", "scrap") and not quantities[required]:
        raise EventError("quantity_above_zero", event=event_type, field=required)
    operation = event.get("operation")
    if operation is None or operation is False or operation == "":
        operation = None
    elif (
        isinstance(operation, bool)
        or not isinstance(operation, str | int)
        or isinstance(operation, str)
        and len(operation) > MAX_ID_LENGTH
        or isinstance(operation, int)
        and not -(2**31) < operation < 2**31
    ):
        raise EventError("bad_operation", value=repr(operation)[:100])
    timestamp = check_timestamp(event["timestamp"], "timestamp")
    if not in_time_window(timestamp, now, past_days, future_days):
        raise EventError(
            "timestamp_out_of_window",
            value=event["timestamp"],
            past=format(past_days, "g"),
            future=format(future_days, "g"),
        )
    return {
        "message_id": event["message_id"],
        "job_id": event["job_id"],
        "event": event_type,
        "operation": operation,
        "timestamp": timestamp,
        **quantities,
    }


def retry_delay(attempts, base_seconds=60, max_seconds=MAX_RETRY_DELAY):
    """Seconds to wait before the next delivery attempt after ``attempts`` failed ones.

    Exponential: ``base``, ``2 × base``, ``4 × base``... capped at ``max_seconds``.
    """
    if attempts <= 0:
        return 0
    # 2 ** 60 is far beyond any cap: avoid building huge integers for absurd counts.
    exponent = min(attempts - 1, 60)
    return min(base_seconds * (2**exponent), max_seconds)


def parse_timestamp(value):
    """ISO 8601 text -> naive UTC datetime; ``ValueError`` when it is not one.

    Accepts ``2025-03-01T08:30:00Z``, ``2025-03-01T16:30:00+08:00``, ``2025-03-01 08:30:00``
    (no offset: UTC) and fractions of seconds. A bare date is refused: an event happens at a
    moment, not on a day.
    """
    if not isinstance(value, str) or "T" not in value.upper() and " " not in value.strip():
        raise ValueError(f"not an ISO 8601 date and time: {value!r}")
    text = value.strip()
    if len(text) > 64:
        raise ValueError("not an ISO 8601 date and time: too long")
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError as error:  # 9999-12-31T23:59:59-01:00 is past year 9999 in UTC
            raise ValueError(f"date out of range: {value!r}") from error
    return moment


def in_time_window(moment, now, past_days, future_days):
    """Whether ``moment`` lies between ``past_days`` before ``now`` and ``future_days`` after.

    Far timestamps are a wrong clock or a forged event; refusing them also keeps every date
    computed from them (expected finish) inside what datetimes can hold.
    """
    return now - timedelta(days=past_days) <= moment <= now + timedelta(days=future_days)


def format_timestamp(moment):
    """Naive UTC datetime -> ``YYYY-MM-DDTHH:MM:SSZ`` (``False`` stays ``False``)."""
    if not moment:
        return False
    return moment.replace(microsecond=0).isoformat() + "Z"


def is_quantity(value, maximum=MAX_QUANTITY):
    """A finite number from 0 to ``maximum`` (``True`` / ``False`` are not quantities)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return 0 <= value <= maximum
    return math.isfinite(value) and 0 <= value <= maximum


def _canonical(value):
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        # 4 and 4.0 are the same quantity, whichever type the MES's XML-RPC library sends.
        return float(value) if abs(value) <= _EXACT_INT else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return str(value)


def canonical_event(event):
    """The event as canonical JSON text: the same content gives the same text."""
    return json.dumps(_canonical(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_digest(event):
    """SHA-256 (hex) of the event's canonical content: a re-sent event has the same digest,
    another event under a reused ``message_id`` has another one."""
    return hashlib.sha256(canonical_event(event).encode("utf-8")).hexdigest()


def estimate_finish(start, now, produced, total, planned_finish=None):
    """When production will end at the rate observed since ``start``.

    ``produced`` of ``total`` units are made between ``start`` and ``now``. Without a rate to
    extrapolate (nothing made yet, no time elapsed) the planned finish stands. Never earlier
    than ``now`` while units remain; ``now`` once everything is made.
    """
    if total <= 0 or produced <= 0 or not start or not now or now <= start:
        return planned_finish
    remaining = max(total - produced, 0)
    if remaining == 0:
        return now
    seconds_per_unit = (now - start).total_seconds() / produced
    return (now + timedelta(seconds=seconds_per_unit * remaining)).replace(microsecond=0)
