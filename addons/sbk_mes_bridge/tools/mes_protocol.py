"""The MES protocol's arithmetic: retry schedule, timestamps, quantities, expected finish.

Pure: no Odoo import, so the simulator's tests and the fast tests can load it on its own.
Datetimes are naive UTC, as Odoo stores them.
"""

import math
from datetime import datetime, timedelta, timezone

#: Longest wait between two delivery attempts of one outbox message.
MAX_RETRY_DELAY = 6 * 3600


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
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def format_timestamp(moment):
    """Naive UTC datetime -> ``YYYY-MM-DDTHH:MM:SSZ`` (``False`` stays ``False``)."""
    if not moment:
        return False
    return moment.replace(microsecond=0).isoformat() + "Z"


def is_quantity(value):
    """A finite, non-negative number (``True`` / ``False`` are not quantities)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0


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
