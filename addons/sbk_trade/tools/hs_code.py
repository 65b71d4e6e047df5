"""HS code normalisation: pure function, no Odoo import."""

import re

_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_hs_code(code):
    """Return the tariff code as digits only ("9405.11.9000" -> "9405119000").

    Returns the stripped input unchanged when it holds anything but digits and separators, so
    the caller's validation can name what is wrong.
    """
    if not code:
        return code
    return _SEPARATORS.sub("", code)


def is_valid_hs_code(code):
    """A Chinese tariff line has 8 digits (customs tariff) or 10 (with the statistical code)."""
    return bool(code) and code.isdigit() and len(code) in (8, 10)


def rates_in_force(history, on_date, default):
    """The ``(vat_rate, rebate_rate)`` in force on ``on_date``.

    ``history``: ``(date_from, vat_rate, rebate_rate)`` in any order, ``date_from`` ``None`` for
    rates in force since before any known change; ``default``: the rates when no entry is in
    force yet (or ``on_date`` is ``None`` and there is no history). The entry in force is the
    one with the latest start on or before the date; an undated one starts before all others.
    """
    in_force = None
    for date_from, vat_rate, rebate_rate in history:
        if date_from is not None and on_date is not None and date_from > on_date:
            continue
        if on_date is None and date_from is not None:
            continue
        key = (date_from is not None, date_from)
        if in_force is None or key > in_force[0]:
            in_force = (key, (vat_rate, rebate_rate))
    return in_force[1] if in_force else default
