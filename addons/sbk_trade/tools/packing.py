"""Packing arithmetic (docs/trade-formulas.md, "Packing"): pure functions, no Odoo import."""

import math
from dataclasses import dataclass

# Quantities come from float fields: 1000.0000001 pieces are 1000 pieces, not a 21st carton.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Packing:
    """How a quantity packs into cartons of one packing spec."""

    cartons: int
    pcs_last_carton: float
    volume: float
    net_weight: float
    gross_weight: float


def carton_cbm(length_cm, width_cm, height_cm):
    """Volume of one carton in m³ from its outer dimensions in cm, unrounded."""
    return (length_cm or 0.0) * (width_cm or 0.0) * (height_cm or 0.0) / 1_000_000


def pack(quantity, pcs_per_carton, cbm=0.0, carton_net_weight=0.0, carton_gross_weight=0.0):
    """Pack ``quantity`` pieces in cartons of ``pcs_per_carton``.

    ``cartons = ceil(Q / n)``; the last carton holds ``Q - n * (cartons - 1)`` pieces (a full
    carton when ``n`` divides ``Q``). A partial carton takes a whole carton's volume; its net
    weight is pro rata by pieces and its gross weight adds the whole tare. Nothing is rounded.
    """
    if not pcs_per_carton or pcs_per_carton <= 0:
        raise ValueError("pieces per carton must be positive")
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    if quantity <= _EPSILON:
        return Packing(0, 0.0, 0.0, 0.0, 0.0)
    cartons = math.ceil(quantity / pcs_per_carton - _EPSILON)
    pcs_last = quantity - pcs_per_carton * (cartons - 1)
    net_weight = quantity * (carton_net_weight or 0.0) / pcs_per_carton
    tare = (carton_gross_weight or 0.0) - (carton_net_weight or 0.0)
    return Packing(
        cartons=cartons,
        pcs_last_carton=pcs_last,
        volume=cartons * (cbm or 0.0),
        net_weight=net_weight,
        gross_weight=net_weight + cartons * tare,
    )


def unpacked(quantity, unit_weight=0.0, unit_volume=0.0):
    """Goods without a packing spec: no cartons; ``quantity`` x the unit's weight (net and
    gross: no tare is known) and volume. Nothing is rounded."""
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    weight = quantity * (unit_weight or 0.0)
    return Packing(
        cartons=0,
        pcs_last_carton=0.0,
        volume=quantity * (unit_volume or 0.0),
        net_weight=weight,
        gross_weight=weight,
    )


def carton_ranges(carton_counts, start=1):
    """Carton number ranges running on through a shipment: [20, 15] -> [(1, 20), (21, 35)].

    A line without cartons gets ``(0, 0)`` and does not advance the numbering.
    """
    ranges = []
    current = start
    for count in carton_counts:
        if count <= 0:
            ranges.append((0, 0))
            continue
        ranges.append((current, current + count - 1))
        current += count
    return ranges


@dataclass(frozen=True)
class Stowage:
    """Part of a shipment line stowed in one container."""

    line: int
    container: int
    cartons: int
    quantity: float


def stow(lines, capacities):
    """Stow shipment lines in containers, in order, splitting a line at carton boundaries.

    ``lines`` are ``(quantity, pcs_per_carton, carton_cbm, carton_gross_weight)``;
    ``capacities`` are ``(cbm, payload_kg)`` per container, in loading order. Each container is
    filled up to its volume and payload before the next one is opened; what does not fit in the
    last container stays in it (the caller warns about the excess). A line without packing spec
    (``pcs_per_carton`` falsy) goes whole into the current container. A line's partial carton is
    its last one and travels with the line's last part. Without containers every line gets
    container ``None``.
    """
    if not capacities:
        return [
            Stowage(index, None, pack(qty, n).cartons if n else 0, qty)
            for index, (qty, n, _cbm, _gw) in enumerate(lines)
        ]
    result = []
    current = 0
    used_cbm = used_kg = 0.0
    last = len(capacities) - 1
    for index, (quantity, pcs_per_carton, cbm, gross) in enumerate(lines):
        if not pcs_per_carton:
            result.append(Stowage(index, current, 0, quantity))
            continue
        cartons_left = pack(quantity, pcs_per_carton).cartons
        pieces_left = quantity
        while cartons_left:
            if current == last:
                fit = cartons_left
            else:
                cap_cbm, cap_kg = capacities[current]
                fit = cartons_left
                if cbm:
                    fit = min(fit, math.floor((cap_cbm - used_cbm) / cbm + _EPSILON))
                if gross:
                    fit = min(fit, math.floor((cap_kg - used_kg) / gross + _EPSILON))
                fit = max(fit, 0)
                if not fit:
                    current += 1
                    used_cbm = used_kg = 0.0
                    continue
            pieces = pieces_left if fit == cartons_left else fit * pcs_per_carton
            result.append(Stowage(index, current, fit, pieces))
            used_cbm += fit * (cbm or 0.0)
            used_kg += fit * (gross or 0.0)
            cartons_left -= fit
            pieces_left -= pieces
    return result


def iso6346_normalize(number):
    """Container number as printed on the door: upper case, no spaces (``csqu 305438 3``)."""
    return "".join((number or "").split()).upper()
