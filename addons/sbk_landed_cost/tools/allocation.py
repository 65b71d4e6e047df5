"""Splitting a shared cost across orders (docs/trade-formulas.md, "Allocating a shared cost")."""

from decimal import ROUND_HALF_UP, Decimal


class AllocationError(ValueError):
    """No order has any weight on the basis: the split would be arbitrary."""


def to_units(amount, decimals=2):
    """An amount in the currency's smallest unit (cents), rounded half-up."""
    quantum = Decimal(1).scaleb(-decimals)
    return int((Decimal(str(amount)) / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(amount, weights, decimals=2, basis="value"):
    """Split ``amount`` over ``weights`` (``{key: weight}``) exactly, to the smallest unit.

    Largest-remainder method: each key gets ``floor(A x w / sum(w))`` units; the units left over
    go one each to the largest fractional remainders, ties to the lowest key. The shares sum to
    ``amount`` exactly and do not depend on the order of ``weights``. A negative amount (a
    refund) splits its absolute value and takes the sign back. Keys must be sortable (order ids).
    Raises ``AllocationError`` naming the basis when every weight is zero.
    """
    total_units = to_units(amount, decimals)
    sign = -1 if total_units < 0 else 1
    units = abs(total_units)
    clean = {key: Decimal(str(weight or 0)) for key, weight in weights.items()}
    if any(weight < 0 for weight in clean.values()):
        raise AllocationError(f"negative weight on basis {basis!r}")
    total_weight = sum(clean.values())
    if not total_weight:
        lacking = ", ".join(str(key) for key in sorted(clean))
        raise AllocationError(
            f"cannot split on basis {basis!r}: no weight for any of the orders ({lacking})"
        )
    shares = {}
    remainders = []
    for key in sorted(clean):
        exact = units * clean[key] / total_weight
        floor = int(exact)
        shares[key] = floor
        remainders.append((-(exact - floor), key))
    left = units - sum(shares.values())
    for _remainder, key in sorted(remainders)[:left]:
        shares[key] += 1
    scale = Decimal(1).scaleb(-decimals)
    return {key: float(sign * share * scale) for key, share in shares.items()}


def paid_weights(invoices):
    """Weights for splitting a charge withheld on a payment among the orders it pays.

    ``invoices``: ``[(paid, {key: part})]``, one item per invoice: the amount the payment
    settles on it and each key's (order's) amount on that invoice. Each invoice's paid amount
    is shared among its keys pro rata to their parts (parts that are not positive take none);
    returns ``{key: weight}`` summed over the invoices, for ``allocate``. An invoice without
    any positive part adds nothing: the caller gives such an invoice a key of its own.
    """
    weights = {}
    for paid, parts in invoices:
        positive = {key: Decimal(str(part)) for key, part in parts.items() if part > 0}
        total = sum(positive.values())
        if not total:
            continue
        for key, part in positive.items():
            weights[key] = weights.get(key, Decimal(0)) + Decimal(str(paid)) * part / total
    return {key: float(weight) for key, weight in weights.items()}
