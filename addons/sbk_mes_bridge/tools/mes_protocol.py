"""The MES protocol's arithmetic: retry schedule, timestamps, quantities, expected finish.

Pure: no Odoo import, so the simulator's tests and the fast tests can load it on its own.
Datetimes are naive UTC, as Odoo stores them.
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

#: Integers beyond this are not exactly representable as floats.
_EXACT_INT = 2**53


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
