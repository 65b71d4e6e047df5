"""Supply planning arithmetic for export orders: pure functions, no Odoo import."""

from collections import deque
from dataclasses import dataclass

_EPSILON = 1e-9


@dataclass(frozen=True)
class Netting:
    """How a requirement is covered: from free stock, from unpromised incoming, or not at all."""

    from_stock: float
    from_incoming: float
    shortage: float


def net_requirement(required, available, incoming):
    """Cover ``required`` from ``available`` stock first, then ``incoming`` supply.

    Negative figures (stock promised beyond what exists) count as nothing to take.
    """
    required = max(required, 0.0)
    from_stock = min(required, max(available, 0.0))
    from_incoming = min(required - from_stock, max(incoming, 0.0))
    shortage = required - from_stock - from_incoming
    return Netting(from_stock, from_incoming, shortage if shortage > _EPSILON else 0.0)


def order_quantity(shortage, moq=0.0, vendor_minimum=0.0):
    """Quantity to produce or buy for ``shortage``: at least the MOQ and the vendor's minimum."""
    if shortage <= _EPSILON:
        return 0.0
    return max(shortage, moq or 0.0, vendor_minimum or 0.0)


def low_level_codes(roots, children):
    """Deepest level at which each item occurs under ``roots`` (MRP low-level codes).

    ``children(item)`` returns the items one level below. Planning level by level in this
    order nets each item's whole requirement once, whatever parents it has. Raises
    ``ValueError`` on a cycle (a BOM that contains itself).
    """
    levels = {}
    queue = deque((root, 0, (root,)) for root in roots)
    while queue:
        item, level, path = queue.popleft()
        if levels.get(item, -1) >= level:
            continue
        levels[item] = level
        for child in children(item):
            if child in path:
                raise ValueError(f"cycle in the bill of materials through {child!r}")
            queue.append((child, level + 1, (*path, child)))
    return levels


def release_requirement(netting, removed):
    """What is left of ``netting`` once ``removed`` of its requirement is no longer needed.

    The shortage goes first (it is what documents were ordered for), then what incoming
    supply was counted on, then the stock taken: the stock stays with the order's delivery
    longest.
    """
    removed = max(removed, 0.0)
    from_shortage = min(removed, netting.shortage)
    from_incoming = min(removed - from_shortage, netting.from_incoming)
    from_stock = min(removed - from_shortage - from_incoming, netting.from_stock)
    return Netting(
        netting.from_stock - from_stock,
        netting.from_incoming - from_incoming,
        netting.shortage - from_shortage,
    )


def allocate_cut(excess, documents):
    """Share ``excess`` out among ``documents``, a list of ``(quantity, can_cut)`` in the order
    they should be cut (newest first). Returns the quantity cut from each document and what
    could not be cut (it sits on documents already started).
    """
    cuts = []
    left = max(excess, 0.0)
    for quantity, can_cut in documents:
        cut = min(left, quantity) if can_cut and left > _EPSILON else 0.0
        cuts.append(cut)
        left -= cut
    return cuts, (left if left > _EPSILON else 0.0)
