"""Lead-time risk of an export order (DOMAIN.md, "Lead-time risk"): pure, no Odoo import."""

from datetime import timedelta


def lead_time_risk(finish, etd, buffer_days=0):
    """``late`` when production ends after the ETD, ``at_risk`` when the shipping buffer no
    longer fits before it, otherwise ``none`` (also without an ETD or a production date).

    ``finish`` and ``etd`` are dates (compare the day, not the hour).
    """
    if not finish or not etd:
        return "none"
    if finish > etd:
        return "late"
    if finish + timedelta(days=buffer_days or 0) > etd:
        return "at_risk"
    return "none"
