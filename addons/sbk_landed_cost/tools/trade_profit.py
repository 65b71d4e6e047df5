"""Rebate, VAT borne, commission, insurance and order profit (DOMAIN.md): pure functions."""

from decimal import ROUND_HALF_UP, Decimal


def round_money(amount, decimals=2):
    """Half-up to the currency's precision, as accountants round."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(amount)).quantize(quantum, rounding=ROUND_HALF_UP))


def rebate_exempt_refund(lines):
    """Exempt-refund (trading company): ``lines`` of ``(P, v_inv, r)`` in percent.

    VAT borne = sum P x v_inv; rebate = sum P x min(r, v_inv); returns ``(vat_borne, rebate)``.
    """
    vat_borne = sum(p * v / 100.0 for p, v, _r in lines)
    rebate = sum(p * min(r, v) / 100.0 for p, v, r in lines)
    return vat_borne, rebate


def rebate_exempt_credit_refund(fob_cny, vat_rate, rebate_rate):
    """Exempt-credit-refund (manufacturer): rebate = FOB x r, VAT borne = FOB x v (notional)."""
    return fob_cny * vat_rate / 100.0, fob_cny * rebate_rate / 100.0


def commission(rate, base_amount, fixed=0.0, extra=0.0):
    """``rate`` percent of the base, plus fixed amounts, bank charges and commission bills."""
    return rate / 100.0 * base_amount + (fixed or 0.0) + (extra or 0.0)


def cif_unit_price(cfr_unit_price, insurance_rate, markup=10.0):
    """``CIF = CFR / (1 - (1 + m) x i)``, rates in percent."""
    factor = 1.0 - (1.0 + markup / 100.0) * insurance_rate / 100.0
    if factor <= 0:
        raise ValueError("insurance rate and markup leave no CIF price")
    return cfr_unit_price / factor


def insurance_premium(cif_total, insurance_rate, markup=10.0, decimals=2):
    """``INS = CIF x (1 + m) x i``, rounded half-up to the cent once, on the order's total."""
    return round_money(cif_total * (1.0 + markup / 100.0) * insurance_rate / 100.0, decimals)


def real_profit(
    revenue,
    procurement,
    domestic_freight,
    customs_fee,
    ocean_freight,
    insurance,
    commission_amount,
    vat_borne,
    rebate,
):
    """``revenue - P - DF - CF - OF - INS - COM - VAT borne + rebate``."""
    return (
        revenue
        - procurement
        - domestic_freight
        - customs_fee
        - ocean_freight
        - insurance
        - commission_amount
        - vat_borne
        + rebate
    )


def margin(profit, revenue):
    """Profit as a percentage of revenue; 0 without revenue."""
    return profit / revenue * 100.0 if revenue else 0.0
