"""Scope of one export order's procurement run, for the batch shortcuts of its documents.

An export order's planning hands hundreds of procurements to Odoo at once; Odoo then confirms
each generated MO's moves one by one: the stock rule of every raw move, whether its product is
a kit, whether it has an automatic reorder rule, and its reservation are each a query per move.
Inside a planning batch (and only there: Odoo's own flows stay as they are), ``stock.move`` and
``procurement.group`` answer those questions once per distinct product or route set; the
results are the same as Odoo's, only the queries are fewer.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_BATCH = ContextVar("sbk_planning_batch", default=None)


@contextmanager
def planning_batch(memo=None):
    """Run the block as one planning batch, with a memo of what was found (stock rules, kits);
    ``memo`` seeds it."""
    token = _BATCH.set(memo if memo is not None else {})
    try:
        yield
    finally:
        _BATCH.reset(token)


def batch_memo():
    """The memo of the running planning batch, or None outside one."""
    return _BATCH.get()
