"""Rebate, VAT borne, commission, insurance and order profit: pure functions.

The formulas are those of docs/trade-formulas.md.
"""

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


# An order's cost dimensions in the order ``real_profit`` takes them; the rebate is a gain.
COST_DIMENSIONS = (
    "procurement",
    "domestic_freight",
    "customs_fee",
    "ocean_freight",
    "insurance",
    "commission",
    "vat_borne",
)
DIMENSIONS = (*COST_DIMENSIONS, "tax_rebate")


def profit_of(revenue, totals):
    """``real_profit`` from ``{dimension: amount}`` (missing dimensions count 0)."""
    return real_profit(revenue, *(totals.get(d, 0.0) for d in DIMENSIONS))


def commission_base(base, basis, revenue, fob, cif):
    """What an agent's rate applies to on ``basis`` (``'landed'``, ``'fob'`` or ``'cif'``).

    ``base`` is the order's commission base: ``'fob'`` puts the rate on the FOB value on every
    basis; ``'invoice'`` on the basis's own value (the revenue on the landed basis).
    """
    if base == "fob" or basis == "fob":
        return fob
    return cif if basis == "cif" else revenue


def order_figures(revenue, totals, bases, commission_rate, base="invoice", decimals=2):
    """An order's profit figures on every basis (docs/trade-formulas.md, "Order profit").

    ``totals``: ``{dimension: amount}`` of the posted costs, each already rounded (the sum of
    rounded lines); ``bases``: the order's ``basis_totals``; ``commission_rate`` in percent and
    ``base`` the order's commission base. The rate applies to each basis's own value; the rest
    of the commission (fixed amounts, commission bills, bank charges) is the same on every
    basis. Amounts are rounded half-up to ``decimals``, the margin to 2 decimals.
    """

    def rounded(amount):
        return round_money(amount, decimals)

    procurement = totals.get("procurement", 0.0)
    local = totals.get("domestic_freight", 0.0) + totals.get("customs_fee", 0.0)
    vat_net = totals.get("vat_borne", 0.0) - totals.get("tax_rebate", 0.0)
    profit = profit_of(revenue, totals)
    # The commission posted on the order rests on its declared (derived) FOB value; each
    # basis's own on the value quoted on that basis.
    rate_part = rounded(
        commission_rate
        / 100.0
        * commission_base(base, "landed", revenue, bases["fob"], bases["cif"])
    )
    fob = bases.get("quoted_fob", bases["fob"])
    cif = bases.get("quoted_cif", bases["cif"])
    insurance = bases.get("quoted_insurance", bases["insurance"])
    other_commission = totals.get("commission", 0.0) - rate_part
    commission_fob = rounded(commission_rate / 100.0 * fob + other_commission)
    commission_cif = rounded(
        commission_rate / 100.0 * commission_base(base, "cif", revenue, fob, cif) + other_commission
    )
    profit_fob = rounded(fob - procurement - local - commission_fob - vat_net)
    profit_cif = rounded(
        cif - procurement - local - bases["ocean_freight"] - insurance - commission_cif - vat_net
    )
    term, advantage = better_term(profit_fob, profit_cif, decimals)
    return {
        "better_term": term,
        "term_advantage": advantage,
        "apparent_profit": rounded(revenue - procurement),
        "real_profit": rounded(profit),
        "real_margin": round(margin(profit, revenue), 2),
        "profit_landed": rounded(profit),
        "fob_revenue": rounded(fob),
        "cif_revenue": rounded(cif),
        "cif_ocean_freight": rounded(bases["ocean_freight"]),
        "cif_insurance": rounded(insurance),
        "fob_declared": rounded(bases["fob"]),
        "cif_derived": rounded(bases["cif"]),
        "commission_fob": commission_fob,
        "commission_cif": commission_cif,
        "profit_fob": profit_fob,
        "profit_cif": profit_cif,
    }


# What the seller pays beyond the goods on each basis (docs/trade-formulas.md, "Incoterms").
SELLER_BEARS = {
    "exw": (),
    "fob": ("domestic_freight", "customs_fee"),
    "cfr": ("domestic_freight", "customs_fee", "ocean_freight"),
    "cif": ("domestic_freight", "customs_fee", "ocean_freight", "insurance"),
}


def cost_status(has_actual, has_pending):
    """How far a dimension's cost is known: ``'actual'`` when nothing is still to come,
    ``'partial'`` when some is posted and some to come, ``'expected'`` when none is posted."""
    if not has_pending:
        return "actual"
    return "partial" if has_actual else "expected"


def stock_to_come(consumed, covered, to_consume, to_cover):
    """Quantity an order will still take from stock.

    ``consumed`` / ``covered``: what it has consumed (delivered, used in its manufacturing
    orders) and what was received or made for it; ``to_consume`` / ``to_cover``: the same
    still open. What it consumes beyond what is bought or made for it comes from stock; what
    it already took from stock is posted, the rest is to come.
    """
    taken = max(consumed - covered, 0.0)
    total = max(consumed + to_consume - covered - to_cover, 0.0)
    return max(total - taken, 0.0)


def expected_figures(revenue, actual, expected, complete, decimals=2):
    """Expected profit and margin of an order, and how much of its expected cost is posted.

    ``actual`` / ``expected``: ``{dimension: amount}``, the posted costs and the costs expected
    from what is committed (``actual`` where nothing more is to come); ``complete``: every
    dimension is actual. ``completeness`` is the percent of the expected cost (the rebate is
    no cost) that is posted: 100 when complete, else at most 100.
    """
    profit = profit_of(revenue, expected)
    posted = sum(actual.get(d, 0.0) for d in COST_DIMENSIONS)
    to_expect = sum(expected.get(d, 0.0) for d in COST_DIMENSIONS)
    if complete:
        completeness = 100.0
    elif to_expect > 0:
        completeness = min(max(posted / to_expect * 100.0, 0.0), 100.0)
    else:
        completeness = 0.0
    return {
        "expected_profit": round_money(profit, decimals),
        "expected_margin": round(margin(profit, revenue), 2),
        "completeness": round(completeness, 2),
    }


# Incoterms: what each term makes the seller pay, and an order's value on the FOB and CIF bases
# The seller's basis for each term: what the price includes.
INCOTERM_BASIS = {
    "EXW": "exw",
    "FCA": "fob",
    "FAS": "fob",
    "FOB": "fob",
    "CFR": "cfr",
    "CPT": "cfr",
    "CIF": "cif",
    "CIP": "cif",
    "DAP": "cif",
    "DPU": "cif",
    "DDP": "cif",
}


def incoterm_basis(code):
    """``'exw'``, ``'fob'``, ``'cfr'`` or ``'cif'`` for an Incoterm code; FOB when none is set
    (the usual export term, and a domestic sale bears no ocean leg)."""
    return INCOTERM_BASIS.get((code or "").strip().upper(), "fob")


def basis_totals(
    basis,
    amount,
    local_costs,
    ocean_freight,
    insurance_posted,
    insurance_rate,
    markup=10.0,
    decimals=2,
):
    """An order's value on the FOB and CIF bases, from its value on its own ``basis``.

    ``amount``: the order's value as sold; ``local_costs``: domestic freight and customs fee
    (DF + CF); ``ocean_freight``: the posted OF, or the estimate where none is posted;
    ``insurance_posted``: the posted insurance, or ``None`` to use the formula
    ``INS = CIF x (1 + m) x i`` (rounded half-up once, on the total).
    Returns ``{"fob", "cif", "ocean_freight", "insurance"}``, the last two being the OF and
    INS the CIF basis carries.
    """
    factor = 1.0 - (1.0 + markup / 100.0) * insurance_rate / 100.0
    if factor <= 0:
        raise ValueError("insurance rate and markup leave no CIF price")

    def insurance_on_cfr(cfr):
        if insurance_posted is not None:
            return insurance_posted
        return insurance_premium(cfr / factor, insurance_rate, markup, decimals)

    if basis == "cif":
        insurance = (
            insurance_posted
            if insurance_posted is not None
            else insurance_premium(amount, insurance_rate, markup, decimals)
        )
        cif = amount
        fob = amount - ocean_freight - insurance
    elif basis == "cfr":
        fob = amount - ocean_freight
        insurance = insurance_on_cfr(amount)
        cif = amount + insurance
    else:
        fob = amount + local_costs if basis == "exw" else amount
        cfr = fob + ocean_freight
        insurance = insurance_on_cfr(cfr)
        cif = cfr + insurance
    return {"fob": fob, "cif": cif, "ocean_freight": ocean_freight, "insurance": insurance}


def basis_unit_prices(basis, price_unit, amount, fob_total, cif_total):
    """A line's unit price on the FOB and CIF bases: the order's adjustments are shared among
    its lines by value, so each price scales by the order's total on that basis; the basis the
    order is sold on keeps ``price_unit`` exactly. Returns ``(fob, cif)``."""
    if not amount:
        return price_unit, price_unit
    fob = price_unit if basis == "fob" else price_unit * fob_total / amount
    cif = price_unit if basis == "cif" else price_unit * cif_total / amount
    return fob, cif


def quoted_basis_value(derived_total, revenue, amount, quotes):
    """An order's value on a basis from the prices quoted to the buyer on that basis.

    ``derived_total``: the order's value on the basis derived from its own costs (company
    currency), shared among its lines by value; ``revenue``: the order's value as sold in company
    currency and ``amount`` in the order's currency; ``quotes``: ``(subtotal as sold, quoted
    value)`` of each line quoted on the basis (order currency). A quoted line counts its
    quote instead of its derived share, converted as the order's revenue is.
    """
    if not amount or not quotes:
        return derived_total
    return (
        derived_total
        + sum(quoted * revenue - subtotal * derived_total for subtotal, quoted in quotes) / amount
    )


def quoted_bases(
    bases,
    revenue,
    amount,
    fob_quotes,
    cif_quotes,
    insurance_posted,
    insurance_rate,
    markup=10.0,
    decimals=2,
):
    """The order's ``bases`` (``basis_totals``) with the FOB and CIF values the buyer was quoted.

    Adds ``quoted_fob`` and ``quoted_cif`` (the values each basis's profit rests on) and
    ``quoted_insurance`` (the insurance the CIF basis carries: posted, else the premium on the
    quoted CIF value). ``fob`` and ``cif`` stay the values derived from the costs: the declared
    FOB value (customs, rebate) is one of them, never a quote.
    """
    result = dict(bases)
    result["quoted_fob"] = quoted_basis_value(bases["fob"], revenue, amount, fob_quotes)
    result["quoted_cif"] = quoted_basis_value(bases["cif"], revenue, amount, cif_quotes)
    insurance = bases["insurance"]
    if cif_quotes and insurance_posted is None:
        insurance = insurance_premium(result["quoted_cif"], insurance_rate, markup, decimals)
    result["quoted_insurance"] = insurance
    return result


def better_term(profit_fob, profit_cif, decimals=2):
    """``('fob' | 'cif' | 'equal', profit_fob - profit_cif)``: which term paid more."""
    difference = round_money(profit_fob - profit_cif, decimals)
    if difference > 0:
        return "fob", difference
    if difference < 0:
        return "cif", difference
    return "equal", 0.0


def split_freight_insurance(difference, freight, insurance, decimals=2):
    """Share ``difference`` (invoice - FOB on a document) between freight and insurance in the
    proportion of the order's ``freight`` and ``insurance``; all of it freight when neither
    is known. The two parts sum to ``difference`` exactly."""
    total = freight + insurance
    part = round_money(difference * insurance / total, decimals) if total else 0.0
    return round_money(difference - part, decimals), part


# The states of a rebate claim whose amount is known: the tax office's answer replaces the
# expected amount.
CLAIM_KNOWN_STATES = ("approved", "received", "rejected")


def rebate_with_claims(computed, claim_lines):
    """An order's rebate once its claims are answered.

    ``computed``: the rebate the order's documents give (the expected one); ``claim_lines``:
    ``(state, expected, approved, received)`` of the order's claim lines. A received line
    counts what was received, an approved one what was approved, a rejected one nothing: each
    in place of its expected amount. The part of the order not yet answered stays expected.
    Returns ``(rebate, status)`` with ``status`` the most advanced answer: ``'received'``,
    ``'approved'``, ``'rejected'``, ``'filed'`` or ``'expected'``.
    """
    rebate = computed
    states = set()
    for state, expected, approved, received in claim_lines:
        states.add(state)
        if state == "received":
            rebate += received - expected
        elif state == "approved":
            rebate += approved - expected
        elif state == "rejected":
            rebate -= expected
    for status in ("received", "approved", "rejected", "filed"):
        if status in states:
            return rebate, status
    return rebate, "expected"
