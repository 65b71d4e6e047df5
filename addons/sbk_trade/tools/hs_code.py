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
