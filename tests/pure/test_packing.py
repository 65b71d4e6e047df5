import math

import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_carton_cbm_is_not_rounded(packing):
    assert packing.carton_cbm(62, 32, 35) == pytest.approx(0.06944)
    assert packing.carton_cbm(0, 32, 35) == 0.0


def test_full_cartons_when_pieces_per_carton_divides_quantity(packing):
    result = packing.pack(1000, 50, 0.06944, 22.5, 24.0)
    assert result.cartons == 20
    assert result.pcs_last_carton == 50
    assert result.volume == pytest.approx(1.3888)
    assert result.net_weight == pytest.approx(450.0)
    assert result.gross_weight == pytest.approx(480.0)


def test_partial_last_carton_counts_whole_volume_and_tare(packing):
    # 1,030 pieces at 50 a carton: 20 full cartons and one of 30.
    result = packing.pack(1030, 50, 0.1, 20.0, 21.0)
    assert result.cartons == 21
    assert result.pcs_last_carton == 30
    assert result.volume == pytest.approx(2.1)
    assert result.net_weight == pytest.approx(412.0)  # 20 x 20 kg + 30/50 x 20 kg
    assert result.gross_weight == pytest.approx(433.0)  # + 21 cartons x 1 kg tare


def test_float_noise_does_not_open_a_carton(packing):
    assert packing.pack(1000.0000000001, 50).cartons == 20


def test_zero_quantity_packs_nothing(packing):
    assert packing.pack(0, 50).cartons == 0


@pytest.mark.parametrize("pcs", [0, -5, None])
def test_pieces_per_carton_must_be_positive(packing, pcs):
    with pytest.raises(ValueError):
        packing.pack(10, pcs)


def test_carton_ranges_run_on_through_the_shipment(packing):
    assert packing.carton_ranges([20, 15, 0, 5]) == [(1, 20), (21, 35), (0, 0), (36, 40)]


@given(st.integers(min_value=1, max_value=100_000), st.integers(min_value=1, max_value=500))
def test_cartons_hold_the_quantity_exactly(packing, quantity, pcs):
    result = packing.pack(quantity, pcs)
    assert result.cartons == math.ceil(quantity / pcs)
    assert 0 < result.pcs_last_carton <= pcs
    assert pcs * (result.cartons - 1) + result.pcs_last_carton == quantity
