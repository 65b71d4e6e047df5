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


def test_stow_splits_a_line_at_a_carton_boundary(packing):
    # 1,030 pieces, 50 a carton of 0.1 m³: a 1.45 m³ container takes 14 cartons.
    parts = packing.stow(
        [(1030, 50, 0.1, 24.0), (100, 24, 0.06, 13.2)], [(1.45, 28000), (76.4, 26500)]
    )
    assert [(p.line, p.container, p.cartons, p.quantity) for p in parts] == [
        (0, 0, 14, 700),
        (0, 1, 7, 330),
        (1, 1, 5, 100),
    ]


def test_stow_respects_the_payload_too(packing):
    parts = packing.stow([(100, 10, 0.01, 500.0)], [(33.2, 2000), (33.2, 28200)])
    assert [(p.container, p.cartons) for p in parts] == [(0, 4), (1, 6)]


def test_stow_leaves_the_excess_in_the_last_container(packing):
    parts = packing.stow([(1000, 10, 1.0, 1.0)], [(33.2, 28200)])
    assert [(p.container, p.cartons, p.quantity) for p in parts] == [(0, 100, 1000)]


def test_stow_without_containers_or_packing_spec(packing):
    parts = packing.stow([(30, 0, 0.0, 0.0), (30, 20, 0.1, 1.0)], [])
    assert [(p.container, p.cartons, p.quantity) for p in parts] == [(None, 0, 30), (None, 2, 30)]
    parts = packing.stow([(30, 0, 0.0, 0.0)], [(1.0, 100.0), (1.0, 100.0)])
    assert [(p.container, p.cartons) for p in parts] == [(0, 0)]


def test_container_numbers_are_normalised(packing):
    assert packing.iso6346_normalize(" csqu 305438 3 ") == "CSQU3054383"
    assert packing.iso6346_normalize(None) == ""


lines_strategy = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5000),
        st.integers(min_value=1, max_value=100),
        st.floats(min_value=0.001, max_value=0.5),
        st.floats(min_value=0.1, max_value=40.0),
    ),
    min_size=1,
    max_size=8,
)
capacity_strategy = st.lists(
    st.tuples(
        st.floats(min_value=1.0, max_value=80.0), st.floats(min_value=100.0, max_value=30000.0)
    ),
    min_size=1,
    max_size=4,
)


@given(lines_strategy, capacity_strategy)
def test_stow_keeps_every_piece_and_carton_and_fills_in_order(packing, lines, capacities):
    parts = packing.stow(lines, capacities)
    for index, (quantity, pcs, _cbm, _gw) in enumerate(lines):
        own = [p for p in parts if p.line == index]
        assert sum(p.quantity for p in own) == quantity
        assert sum(p.cartons for p in own) == packing.pack(quantity, pcs).cartons
        # Only a line's last part may hold a partial carton.
        assert all(p.quantity == p.cartons * pcs for p in own[:-1])
    containers = [p.container for p in parts]
    assert containers == sorted(containers)
    last = len(capacities) - 1
    for container, (cap_cbm, cap_kg) in enumerate(capacities[:-1]):
        inside = [p for p in parts if p.container == container]
        assert sum(p.cartons * lines[p.line][2] for p in inside) <= cap_cbm + 1e-6
        assert sum(p.cartons * lines[p.line][3] for p in inside) <= cap_kg + 1e-6
    assert all(c <= last for c in containers)


def test_goods_without_packing_spec_weigh_by_the_piece(packing):
    result = packing.unpacked(100, 0.2, 0.001)
    assert (result.cartons, result.pcs_last_carton) == (0, 0.0)
    assert result.net_weight == pytest.approx(20.0)
    assert result.gross_weight == pytest.approx(20.0)  # no carton, no tare
    assert result.volume == pytest.approx(0.1)
    assert packing.unpacked(5).gross_weight == 0.0
    with pytest.raises(ValueError):
        packing.unpacked(-1, 0.2)
