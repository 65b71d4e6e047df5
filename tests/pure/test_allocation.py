from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_largest_remainder_hands_out_the_leftover_cents(allocation):
    # 100.00 over three equal orders: 33.34 to the lowest id, 33.33 to the others.
    assert allocation.allocate(100, {7: 1, 3: 1, 5: 1}) == {3: 33.34, 5: 33.33, 7: 33.33}


def test_shares_follow_the_weights(allocation):
    shares = allocation.allocate(1000, {1: 250.0, 2: 750.0}, basis="gross_weight")
    assert shares == {1: 250.0, 2: 750.0}


def test_refund_splits_its_absolute_value(allocation):
    assert allocation.allocate(-100, {1: 1, 2: 1, 3: 1}) == {1: -33.34, 2: -33.33, 3: -33.33}


def test_all_zero_weights_are_refused_naming_basis_and_orders(allocation):
    with pytest.raises(allocation.AllocationError, match="volume.*11, 12"):
        allocation.allocate(50, {12: 0, 11: 0.0}, basis="volume")


weights = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    min_size=1,
    max_size=12,
).filter(lambda w: sum(w.values()) > 0)
amounts = st.integers(min_value=-10_000_000, max_value=10_000_000).map(lambda c: c / 100)


@given(amounts, weights)
def test_shares_sum_to_the_amount_to_the_cent(allocation, amount, order_weights):
    shares = allocation.allocate(amount, order_weights)
    assert allocation.to_units(sum(shares.values())) == allocation.to_units(amount)
    assert set(shares) == set(order_weights)


@given(amounts, weights, st.randoms())
def test_result_does_not_depend_on_input_order(allocation, amount, order_weights, rnd):
    items = list(order_weights.items())
    rnd.shuffle(items)
    assert allocation.allocate(amount, dict(items)) == allocation.allocate(amount, order_weights)


@given(amounts, weights)
def test_no_share_is_off_by_more_than_a_cent(allocation, amount, order_weights):
    shares = allocation.allocate(amount, order_weights)
    # Exact arithmetic: in floats, a subnormal weight times the amount underflows to zero.
    total = sum(Fraction(weight) for weight in order_weights.values())
    for key, share in shares.items():
        exact = Fraction(str(amount)) * Fraction(order_weights[key]) / total
        assert abs(Fraction(str(share)) - exact) < Fraction(1, 100) + Fraction(1, 10**6)


def test_paid_weights_share_each_invoice_among_its_orders(allocation):
    # One payment settles USD 1,000 (orders 7 and 8 at 600 / 400) and USD 500 (order 9).
    weights = allocation.paid_weights([(1000.0, {7: 600.0, 8: 400.0}), (500.0, {9: 500.0})])
    assert weights == {7: 600.0, 8: 400.0, 9: 500.0}
    assert allocation.allocate(30, weights) == {7: 12.0, 8: 8.0, 9: 10.0}


def test_paid_weights_follow_the_part_paid_not_the_invoice_total(allocation):
    # Half of an invoice of two equal orders was paid before: the rest splits the same way.
    weights = allocation.paid_weights([(500.0, {1: 500.0, 2: 500.0}), (250.0, {3: 900.0})])
    assert weights == {1: 250.0, 2: 250.0, 3: 250.0}


def test_paid_weights_ignore_parts_that_are_not_positive(allocation):
    # A discount line of its own order, an invoice with nothing positive.
    weights = allocation.paid_weights([(100.0, {1: 120.0, 2: -20.0}), (50.0, {3: 0.0})])
    assert weights == {1: 100.0}


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=10**8).map(lambda c: c / 100),
            st.dictionaries(
                st.integers(min_value=1, max_value=50),
                st.integers(min_value=1, max_value=10**8).map(lambda c: c / 100),
                min_size=1,
                max_size=5,
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_paid_weights_sum_to_the_amounts_paid(allocation, invoices):
    weights = allocation.paid_weights(invoices)
    paid = sum(Fraction(str(amount)) for amount, _parts in invoices)
    assert abs(Fraction(sum(weights.values())) - paid) < Fraction(1, 10**6)
