"""Lead-time risk of an export order: pure, no Odoo import.

The rules are those of docs/trade-formulas.md, "Lead-time risk".
"""

from dataclasses import dataclass
from datetime import date, timedelta

# Order of the risk levels, for telling a rise from a fall.
RISK_RANK = {"none": 0, "at_risk": 1, "late": 2}

WAITING, STARTED, DONE = "waiting", "started", "done"


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


def lead_time_status(risk, etd):
    """What the order's risk means to a reader: ``no_etd`` when there is no ETD to measure
    against (the risk is then ``none``, which must not read "on time"), ``on_time`` for a
    ``none`` risk against an ETD, else the risk itself."""
    if not etd:
        return "no_etd"
    return "on_time" if risk == "none" else risk


def days_to(etd, today):
    """Whole days from ``today`` to ``etd`` (negative once the ETD has passed)."""
    if not etd:
        return 0
    return (etd - today).days


@dataclass(frozen=True)
class Production:
    """A manufacturing order as the risk sees it: dates are days, ``components`` the products
    it consumes."""

    key: object
    product: object
    start: date
    finish: date
    state: str = WAITING  # WAITING (not started), STARTED or DONE
    components: tuple = ()


@dataclass(frozen=True)
class Supply:
    """Something not yet received that a production waits for: a purchase line's product,
    ``due`` the day it is planned to arrive."""

    key: object
    product: object
    due: date


@dataclass(frozen=True)
class Expected:
    """When a production is now expected to finish, and why it moved.

    ``cause`` is the key of the supply or production it waits for, ``cause_date`` when that
    one is expected; ``overdue`` says that its own planned start (not started) or finish
    (started) has passed.
    """

    finish: date
    cause: object = None
    cause_date: date = None
    overdue: bool = False
    shift_days: int = 0


def expected_finishes(productions, supplies, today):
    """{production key: Expected} for the productions of one order.

    A production that has not started cannot start before today, nor before what it
    consumes is there: the purchases not yet received (no earlier than today once their date
    has passed) and the productions making its components (their own expected finish). It
    then finishes that many days later than planned. A started production finishes when
    planned or, that day passed, no earlier than today; a done one when it did.
    """
    arrivals = {}
    for supply in supplies:
        arrivals.setdefault(supply.product, []).append((supply.key, supply.due))
    makers = {}
    for production in productions:
        makers.setdefault(production.product, []).append(production)
    result = {}
    visiting = set()

    def expected(production):
        if production.key in result:
            return result[production.key]
        if production.key in visiting:  # a cycle: take the plan as it is
            return Expected(production.finish)
        visiting.add(production.key)
        if production.state == DONE:
            outcome = Expected(production.finish)
        elif production.state == STARTED:
            overdue = production.finish < today
            outcome = Expected(max(production.finish, today), overdue=overdue)
        else:
            outcome = _expected_waiting(production, arrivals, makers, expected, today)
        visiting.discard(production.key)
        result[production.key] = outcome
        return outcome

    for production in productions:
        expected(production)
    return result


def _expected_waiting(production, arrivals, makers, expected, today):
    # (date, rank, due, cause): what the start waits for. At the same date a supply or a
    # sub-assembly explains more than the calendar does, and of two supplies due today the
    # one planned latest is the one the MO was planned around.
    best = (production.start, 0, production.start, None)
    for component in production.components:
        candidates = [(key, max(due, today), due) for key, due in arrivals.get(component, ())]
        for maker in makers.get(component, ()):
            if maker.key != production.key:
                finish = expected(maker).finish
                candidates.append((maker.key, finish, finish))
        for key, when, due in candidates:
            if (when, 2, due) > best[:3]:
                best = (when, 2, due, key)
    ready, _rank, _due, cause = best
    if ready <= production.start:
        cause = None  # what it waits for comes in time
    overdue = False
    if today > ready:
        ready, overdue, cause = today, True, None
    shift = (ready - production.start).days if ready > production.start else 0
    return Expected(
        production.finish + timedelta(days=shift),
        cause=cause,
        cause_date=ready if cause is not None else None,
        overdue=overdue,
        shift_days=shift,
    )
