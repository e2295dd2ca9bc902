"""Empirical Bayes rates (geo_trygg.stats): equal to esda's smoothers, a hand-computed case,
the properties that hold for all inputs, and queen neighbours equal to libpysal's Queen."""

from __future__ import annotations

import warnings
from fractions import Fraction

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo_trygg._errors import ConfigError
from geo_trygg.stats import (
    empirical_bayes_rates,
    queen_neighbours,
    spatial_empirical_bayes_rates,
)

esda_smoothing = pytest.importorskip("esda.smoothing")
libpysal_weights = pytest.importorskip("libpysal.weights")

STADSDELAR = "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"


def _esda_global(e: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(esda_smoothing.Empirical_Bayes(e, b).r).ravel() * 1000


def _esda_spatial(e: np.ndarray, b: np.ndarray, w: object) -> np.ndarray:
    return np.asarray(esda_smoothing.Spatial_Empirical_Bayes(e, b, w).r).ravel() * 1000


def _queen(frame: gpd.GeoDataFrame) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal_weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
    w.id_order = list(range(len(frame)))
    return w


def _grid(rows: int, cols: int) -> gpd.GeoDataFrame:
    cells = [box(c, r, c + 1, r + 1) for r in range(rows) for c in range(cols)]
    names = [f"r{r}c{c}" for r in range(rows) for c in range(cols)]
    return gpd.GeoDataFrame({"name": names}, geometry=cells, crs=3006)


def _esda_variance_positive(e: np.ndarray, b: np.ndarray) -> bool:
    m = e.sum() / b.sum()
    return bool((b * (e / b - m) ** 2).sum() / b.sum() - m / b.mean() > 0)


# --- equal to esda ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_global_equals_esda(seed: int) -> None:
    rng = np.random.default_rng(seed)
    b = rng.integers(150, 40_000, size=60).astype(float)
    e = rng.poisson(b * rng.uniform(0.002, 0.02, size=60)).astype(float)
    assert _esda_variance_positive(e, b)
    ours = empirical_bayes_rates(pd.Series(e), pd.Series(b))
    np.testing.assert_allclose(ours.to_numpy(), _esda_global(e, b), rtol=1e-12)


@pytest.mark.parametrize(("rows", "cols", "seed"), [(1, 2, 0), (3, 3, 1), (4, 5, 2), (6, 2, 3)])
def test_spatial_equals_esda_on_grids(rows: int, cols: int, seed: int) -> None:
    grid = _grid(rows, cols)
    rng = np.random.default_rng(seed)
    b = rng.integers(100, 30_000, size=len(grid)).astype(float)
    e = rng.poisson(b * rng.uniform(0.001, 0.03, size=len(grid))).astype(float)
    w = _queen(grid)
    neighbours = queen_neighbours(grid)
    assert neighbours == {i: sorted(w.neighbors[i]) for i in range(len(grid))}
    ours = spatial_empirical_bayes_rates(e, b, neighbours)
    np.testing.assert_allclose(ours.to_numpy(), _esda_spatial(e, b, w), rtol=1e-12)
    # neighbours as positions give the same
    as_lists = [neighbours[i] for i in range(len(grid))]
    np.testing.assert_allclose(spatial_empirical_bayes_rates(e, b, as_lists), ours, rtol=0)


@pytest.mark.shared
def test_equal_to_esda_and_libpysal_on_stadsdelar(shared_data) -> None:
    areas = gpd.read_file(shared_data / STADSDELAR).to_crs(3006).reset_index(drop=True)
    assert len(areas) == 117
    w = _queen(areas)
    neighbours = queen_neighbours(areas)
    assert neighbours == {i: sorted(w.neighbors[i]) for i in range(len(areas))}
    assert sum(map(len, neighbours.values())) == 590  # 295 shared borders or corners
    rng = np.random.default_rng(16)
    b = rng.integers(200, 50_000, size=len(areas)).astype(float)
    e = rng.poisson(b * rng.gamma(4.0, 0.002, size=len(areas))).astype(float)
    assert _esda_variance_positive(e, b)
    np.testing.assert_allclose(empirical_bayes_rates(e, b), _esda_global(e, b), rtol=1e-12)
    spatial = spatial_empirical_bayes_rates(e, b, neighbours)
    np.testing.assert_allclose(spatial.to_numpy(), _esda_spatial(e, b, w), rtol=1e-12)
    # by name: the same neighbours, labelled by the stadsdelar's names
    names = areas["name"].to_numpy()
    by_name = queen_neighbours(areas, by="name")
    assert by_name == {
        names[i]: sorted(names[j] for j in w.neighbors[i]) for i in range(len(areas))
    }
    labelled = spatial_empirical_bayes_rates(
        pd.Series(e, index=names), pd.Series(b, index=names), by_name
    )
    np.testing.assert_allclose(labelled.to_numpy(), spatial.to_numpy(), rtol=1e-12)


# --- by hand ---------------------------------------------------------------------------------


def test_global_by_hand() -> None:
    # e = 2, 8, 2 events; b = 1000, 1000, 100 inhabitants, computed with exact fractions
    e = [Fraction(2), Fraction(8), Fraction(2)]
    b = [Fraction(1000), Fraction(1000), Fraction(100)]
    m = sum(e) / sum(b)  # 12 / 2100
    r = [x / y for x, y in zip(e, b, strict=True)]
    s2 = sum(y * (x - m) ** 2 for x, y in zip(r, b, strict=True)) / sum(b)
    a = s2 - m / (sum(b) / 3)
    assert a > 0
    expected = [
        float((a / (a + m / y) * x + (1 - a / (a + m / y)) * m) * 1000)
        for x, y in zip(r, b, strict=True)
    ]
    got = empirical_bayes_rates(
        pd.Series([2, 8, 2], index=["A", "B", "C"]),
        pd.Series([1000, 1000, 100], index=["A", "B", "C"]),
    )
    assert got.name == "per_1000_eb"
    assert list(got.index) == ["A", "B", "C"]
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-13)
    np.testing.assert_allclose(got.to_numpy(), [3.3, 7.2, 7.951807228915663], rtol=1e-12)


def test_spatial_by_hand() -> None:
    # A – B – C in a row; C's neighbourhood is {B, C}: prior 10/1100, rates 8/1000 and 20/1000
    # variance (1000 (0.008 − m)² + 100 (0.02 − m)²) / 1100 − m / (1100 / 2) < 0 → 0 → prior
    m_c = 10 / 1100
    spread = (1000 * (0.008 - m_c) ** 2 + 100 * (0.02 - m_c) ** 2) / 1100
    assert spread - m_c / 550 < 0
    got = spatial_empirical_bayes_rates([2, 8, 2], [1000, 1000, 100], [[1], [0, 2], [1]])
    assert got.name == "per_1000_spatial_eb"
    assert got[2] == pytest.approx(m_c * 1000, rel=1e-12)
    # A: {A, B}: prior 10/2000, variance 1000 (0.003² + 0.003²) / 2000 − 0.005 / 1000 = 4e-6
    m_a, a_a = 0.005, 1000 * (0.003**2 + 0.003**2) / 2000 - 0.005 / 1000
    w_a = a_a / (a_a + m_a / 1000)
    assert got[0] == pytest.approx((m_a + (0.002 - m_a) * w_a) * 1000, rel=1e-12)
    assert got[0] == pytest.approx(11 / 3, rel=1e-12)


def test_island_keeps_its_raw_rate_and_self_listed_once() -> None:
    got = spatial_empirical_bayes_rates([3, 1, 1], [1000, 500, 500], {0: [0], 1: [2], 2: [1]})
    assert got[0] == pytest.approx(3.0)  # no neighbours: its own prior, variance < 0
    assert got[1] == got[2] == pytest.approx(2.0)  # equal rates: nothing moves


# --- the rules beyond the formulas -----------------------------------------------------------


def test_missing_and_zero_population_give_nan_and_are_left_out() -> None:
    events = pd.Series([2, 8, 2, 5, np.nan], index=list("ABCDE"))
    population = pd.Series([1000, 1000, 100, 0, 300], index=list("ABCDE"))
    got = empirical_bayes_rates(events, population)
    assert got[["D", "E"]].isna().all()
    np.testing.assert_allclose(got[["A", "B", "C"]], [3.3, 7.2, 7.951807228915663], rtol=1e-12)
    spatial = spatial_empirical_bayes_rates(
        events, population, {"A": ["B", "D"], "B": ["A", "C"], "C": ["B", "E"], "D": ["A"]}
    )
    assert spatial[["D", "E"]].isna().all()
    reference = spatial_empirical_bayes_rates([2, 8, 2], [1000, 1000, 100], [[1], [0, 2], [1]])
    np.testing.assert_allclose(spatial[["A", "B", "C"]], reference, rtol=1e-12)


def test_no_events_give_zero_not_nan() -> None:
    assert empirical_bayes_rates([0, 0], [100, 200]).tolist() == [0.0, 0.0]
    assert spatial_empirical_bayes_rates([0, 0], [100, 200], [[1], [0]]).tolist() == [0.0, 0.0]


def test_negative_variance_gives_the_prior_where_esda_does_not_clip() -> None:
    e, b = np.array([5.0, 6.0, 5.0]), np.array([1000.0, 1100.0, 900.0])
    assert not _esda_variance_positive(e, b)
    got = empirical_bayes_rates(e, b)
    np.testing.assert_allclose(got, 16 / 3000 * 1000, rtol=1e-12)
    with np.errstate(all="ignore"):
        assert not np.allclose(_esda_global(e, b), got)  # esda 2.9 leaves the weight negative


def test_population_aligned_by_label_and_per() -> None:
    events = pd.Series([2, 8, 2], index=["A", "B", "C"])
    population = pd.Series([100, 1000, 1000], index=["C", "A", "B"])
    got = empirical_bayes_rates(events, population, per=100_000, name="x")
    assert got.name == "x"
    np.testing.assert_allclose(got, [330.0, 720.0, 795.1807228915663], rtol=1e-12)


@pytest.mark.parametrize(
    ("events", "population", "neighbours", "words"),
    [
        ([1, 2], [10], [[1], [0]], "2 values but population 1"),
        ([-1, 2], [10, 10], [[1], [0]], "negative"),
        ([1, np.inf], [10, 10], [[1], [0]], "finite"),
        (["a", 2], [10, 10], [[1], [0]], "numbers"),
        ([1, 2], [10, 10], [[1]], "2 areas"),
        ([1, 2], [10, 10], [[5], [0]], "outside"),
        ([1, 2], [10, 10], {7: [0]}, "not in events"),
        ([1, 2], [10, 10], {0: [9]}, "not in events"),
        ([1, 2], [10, 10], {0: "1"}, "list of areas"),
        ([1, 2], [10, 10], "01", "mapping"),
    ],
)
def test_bad_inputs_refused(events, population, neighbours, words) -> None:
    with pytest.raises(ConfigError, match=words):
        spatial_empirical_bayes_rates(events, population, neighbours)


def test_words_in_a_series_refused_not_read_as_missing() -> None:
    with pytest.raises(ConfigError, match="numbers"):
        empirical_bayes_rates(pd.Series(["2", "tre"]), pd.Series([100, 200]))
    got = empirical_bayes_rates(pd.Series([2, None], dtype="Int64"), pd.Series([100, 200]))
    assert got.iloc[0] == pytest.approx(20.0)  # the only area with a rate: its own prior
    assert np.isnan(got.iloc[1])


def test_bad_labels_and_per_refused() -> None:
    with pytest.raises(ConfigError, match="same index"):
        empirical_bayes_rates(
            pd.Series([1, 2], index=["a", "b"]), pd.Series([5, 5], index=["a", "c"])
        )
    for per in (0, -1, float("inf"), True, "1000"):
        with pytest.raises(ConfigError, match="per="):
            empirical_bayes_rates([1], [10], per=per)


def test_queen_in_blocks_equals_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    grid = _grid(7, 9)
    whole = queen_neighbours(grid)
    monkeypatch.setattr("geo_trygg.stats._smoothing._CHUNK", 4)
    assert queen_neighbours(grid) == whole
    assert whole[0] == [1, 9, 10]  # a corner cell: right, above, diagonal


def test_queen_by_name_unites_rows() -> None:
    layer = gpd.GeoDataFrame(
        {"name": ["a", "a", "b", "c", "d"]},
        geometry=[
            box(0, 0, 1, 1),
            box(5, 0, 6, 1),
            box(6, 1, 7, 2),
            box(1, 1, 2, 2),
            box(9, 9, 10, 10),
        ],
        crs=3006,
    )
    assert queen_neighbours(layer, by="name") == {
        "a": ["b", "c"],  # b touches a's second piece at a corner, c the first one
        "b": ["a"],
        "c": ["a"],
        "d": [],
    }
    with pytest.raises(ConfigError, match="not a column"):
        queen_neighbours(layer, by="namn")


# --- properties ------------------------------------------------------------------------------

_areas = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60_000)), min_size=2, max_size=25)


def _ring(n: int) -> list[list[int]]:
    return [[(i - 1) % n, (i + 1) % n] for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(_areas)
def test_smoothed_between_raw_and_prior(rows) -> None:
    e = np.array([r[0] for r in rows], dtype=float)
    b = np.array([r[1] for r in rows], dtype=float)
    raw = e / b * 1000
    prior = e.sum() / b.sum() * 1000
    got = empirical_bayes_rates(e, b).to_numpy()
    tol = 1e-9 * max(1.0, float(raw.max()))
    assert np.all(got >= np.minimum(raw, prior) - tol)
    assert np.all(got <= np.maximum(raw, prior) + tol)
    ring = _ring(len(rows))
    spatial = spatial_empirical_bayes_rates(e, b, ring).to_numpy()
    for i, members in enumerate(ring):
        group = sorted({i, *members})
        local = e[group].sum() / b[group].sum() * 1000
        assert min(raw[i], local) - tol <= spatial[i] <= max(raw[i], local) + tol


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 30), st.lists(st.integers(1, 500), min_size=2, max_size=20))
def test_equal_raw_rates_do_not_move(per_person: int, sizes) -> None:
    b = np.array(sizes, dtype=float) * 100
    e = b * per_person / 100
    raw = e / b * 1000
    np.testing.assert_allclose(empirical_bayes_rates(e, b), raw, rtol=1e-12, atol=1e-12)
    spatial = spatial_empirical_bayes_rates(e, b, _ring(len(sizes)))
    np.testing.assert_allclose(spatial, raw, rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(_areas, st.integers(1, 40), st.integers(2, 50))
def test_bigger_population_pulls_less(rows, rate_per_1000: int, factor: int) -> None:
    # two extra areas with the same raw rate, one `factor` times bigger: the bigger one keeps
    # at least as much of its raw rate
    e = [float(r[0]) for r in rows]
    b = [float(r[1]) for r in rows]
    small, big = 1000.0, 1000.0 * factor
    e += [rate_per_1000 * small / 1000, rate_per_1000 * big / 1000]
    b += [small, big]
    got = empirical_bayes_rates(e, b).to_numpy()
    raw = rate_per_1000
    assert abs(got[-1] - raw) <= abs(got[-2] - raw) + 1e-9


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[float], list[float], dict[int, list[int]]]:
    n = draw(st.integers(2, 12))
    b = draw(st.lists(st.integers(50, 50_000), min_size=n, max_size=n))
    e = draw(st.lists(st.integers(0, 300), min_size=n, max_size=n))
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    links: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in pairs:
        if i != j:
            links[i].add(j)
            links[j].add(i)
    return [float(x) for x in e], [float(x) for x in b], {i: sorted(v) for i, v in links.items()}


@settings(max_examples=80, deadline=None)
@given(_graphs())
def test_spatial_equals_esda_on_any_graph(graph) -> None:
    e, b, links = graph
    w = libpysal_weights.W(links, silence_warnings=True)
    w.id_order = list(range(len(e)))
    with np.errstate(all="ignore"):
        theirs = _esda_spatial(np.array(e), np.array(b), w)
    ours = spatial_empirical_bayes_rates(e, b, links).to_numpy()
    defined = ~np.isnan(theirs)  # esda divides 0 by 0 where a neighbourhood has no events
    np.testing.assert_allclose(ours[defined], theirs[defined], rtol=1e-10, atol=1e-12)
    assert np.all(ours[~defined] == 0.0)


@settings(max_examples=80, deadline=None)
@given(_areas)
def test_global_equals_esda_wherever_its_variance_is_positive(rows) -> None:
    e = np.array([r[0] for r in rows], dtype=float)
    b = np.array([r[1] for r in rows], dtype=float)
    ours = empirical_bayes_rates(e, b).to_numpy()
    if e.sum() > 0 and _esda_variance_positive(e, b):
        np.testing.assert_allclose(ours, _esda_global(e, b), rtol=1e-10, atol=1e-12)
    else:  # no events, or rates no more varied than chance: every area gets the prior
        np.testing.assert_allclose(ours, e.sum() / b.sum() * 1000, rtol=1e-12, atol=1e-12)
