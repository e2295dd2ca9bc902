"""Tests for geo_trygg.io.duplicates.flag_duplicates."""

from __future__ import annotations

import math
import random
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geo_trygg import ConfigError
from geo_trygg.io.duplicates import flag_duplicates

T0 = pd.Timestamp("2024-03-05 21:00", tz="Europe/Stockholm")
# A point in Älvsjö, SWEREF 99 TM (metres).
X0, Y0 = 671_000.0, 6_571_000.0


def _events(rows: list[dict[str, object]], index: list[object] | None = None) -> gpd.GeoDataFrame:
    """rows: event_id, source, category, dx, dy (metres from X0/Y0), minutes, precision."""
    frame = pd.DataFrame(
        {
            "event_id": [r["event_id"] for r in rows],
            "source": [r.get("source", "bostadsbolag") for r in rows],
            "category": [r.get("category", "fire") for r in rows],
            "location_precision": [r.get("precision", "address") for r in rows],
            "time_from": [T0 + pd.Timedelta(minutes=float(r.get("minutes", 0))) for r in rows],  # type: ignore[arg-type]
        },
        index=index,
    )
    geometry = [Point(X0 + float(r.get("dx", 0)), Y0 + float(r.get("dy", 0))) for r in rows]  # type: ignore[arg-type]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:3006")


def test_two_events_100m_30min_same_category_share_a_group() -> None:
    ev = _events(
        [
            {"event_id": "B-17", "source": "bostadsbolag"},
            {"event_id": "V-3", "source": "vaktbolag", "dx": 60, "dy": 80, "minutes": 30},
        ],
        index=["x", "y"],
    )
    out = flag_duplicates(ev)
    assert out.name == "duplicate_group"
    assert list(out.index) == ["x", "y"]
    # smallest member key "<source>:<event_id>": "bostadsbolag:B-17" < "vaktbolag:V-3"
    assert out.tolist() == ["dup-bostadsbolag:B-17", "dup-bostadsbolag:B-17"]


def test_different_category_is_not_a_duplicate() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag", "category": "fire"},
            {"event_id": "2", "source": "vaktbolag", "category": "vandalism", "dx": 100},
        ]
    )
    assert flag_duplicates(ev).tolist() == [None, None]


def test_300m_apart_is_not_a_duplicate() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag"},
            {"event_id": "2", "source": "vaktbolag", "dx": 300, "minutes": 5},
        ]
    )
    assert flag_duplicates(ev).tolist() == [None, None]
    # ... but it is with a larger threshold
    assert flag_duplicates(ev, max_distance_m=301).notna().all()


def test_time_threshold_is_inclusive() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "kommun"},
            {"event_id": "2", "source": "vaktbolag", "minutes": 120},
            {"event_id": "3", "source": "kollektivtrafik", "minutes": 241},
        ]
    )
    assert flag_duplicates(ev).tolist() == ["dup-kommun:1", "dup-kommun:1", None]
    assert flag_duplicates(ev, max_hours=1.5).tolist() == [None, None, None]


def test_chain_of_three_is_one_group() -> None:
    # A~B (150 m, 60 min) and B~C (150 m, 60 min); A and C are 300 m and 120 min apart.
    ev = _events(
        [
            {"event_id": "c", "source": "kollektivtrafik", "dx": 300, "minutes": 120},
            {"event_id": "a", "source": "bostadsbolag"},
            {"event_id": "b", "source": "vaktbolag", "dx": 150, "minutes": 60},
        ]
    )
    out = flag_duplicates(ev)
    assert out.tolist() == ["dup-bostadsbolag:a"] * 3


def test_two_separate_groups() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag"},
            {"event_id": "2", "source": "vaktbolag", "dx": 10},
            {"event_id": "3", "source": "bostadsbolag", "dx": 5000},
            {"event_id": "4", "source": "kommun", "dx": 5050},
            {"event_id": "5", "source": "kommun", "dx": 20000},
        ]
    )
    assert flag_duplicates(ev).tolist() == [
        "dup-bostadsbolag:1",
        "dup-bostadsbolag:1",
        "dup-bostadsbolag:3",
        "dup-bostadsbolag:3",
        None,
    ]


def test_same_source_and_coarse_rows_are_not_paired() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag"},
            {"event_id": "2", "source": "bostadsbolag", "dx": 10},  # same source
            {"event_id": "3", "source": "polis", "precision": "kommun"},  # centroid
            {"event_id": "4", "source": "vaktbolag", "precision": "lan", "dx": 5},
        ]
    )
    assert flag_duplicates(ev).tolist() == [None, None, None, None]


def test_rows_without_time_or_point_are_left_alone() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag"},
            {"event_id": "2", "source": "vaktbolag"},
            {"event_id": "3", "source": "kommun"},
        ]
    )
    ev.loc[1, "time_from"] = pd.NaT
    ev.loc[2, "geometry"] = None
    assert flag_duplicates(ev).tolist() == [None, None, None]


def test_never_drops_rows_and_leaves_input_unchanged() -> None:
    ev = _events([{"event_id": str(i), "source": "kommun", "dx": i} for i in range(5)])
    before = ev.copy()
    out = flag_duplicates(ev)
    assert len(out) == len(ev)
    pd.testing.assert_frame_equal(ev, before)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_distance_m": 0}, "max_distance_m"),
        ({"max_distance_m": -5}, "max_distance_m"),
        ({"max_hours": float("nan")}, "max_hours"),
        ({"max_hours": "two"}, "max_hours"),
    ],
)
def test_bad_thresholds(kwargs: dict[str, object], match: str) -> None:
    ev = _events([{"event_id": "1"}])
    with pytest.raises(ConfigError, match=match):
        flag_duplicates(ev, **kwargs)  # type: ignore[arg-type]


def test_geographic_or_missing_crs_is_refused() -> None:
    ev = _events([{"event_id": "1"}, {"event_id": "2", "source": "kommun"}])
    with pytest.raises(ConfigError, match="geographic"):
        flag_duplicates(ev.to_crs("EPSG:4326"))
    with pytest.raises(ConfigError, match="no CRS"):
        flag_duplicates(ev.set_crs(None, allow_override=True))


def test_missing_columns_are_named() -> None:
    ev = _events([{"event_id": "1"}]).drop(columns=["category"])
    with pytest.raises(ConfigError, match="'category'"):
        flag_duplicates(ev)


# ----------------------------------------------------------------- second method and properties


def _brute_force(ev: gpd.GeoDataFrame, max_distance_m: float, max_hours: float) -> list[object]:
    """O(n²) reference: pairs by the documented rule, then union-find, then smallest key."""
    n = len(ev)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    rows = list(ev.itertuples(index=False))
    paired = [False] * n
    for i in range(n):
        for j in range(i + 1, n):
            a, b = rows[i], rows[j]
            if a.source == b.source or a.category != b.category:
                continue
            if a.location_precision not in ("exact", "address"):
                continue
            if b.location_precision not in ("exact", "address"):
                continue
            hours = abs((a.time_from - b.time_from).total_seconds()) / 3600
            dist = math.dist((a.geometry.x, a.geometry.y), (b.geometry.x, b.geometry.y))
            if hours <= max_hours and dist <= max_distance_m:
                paired[i] = paired[j] = True
                parent[find(i)] = find(j)
    keys = [f"{r.source}:{r.event_id}" for r in rows]
    best: dict[int, str] = {}
    for i in range(n):
        if paired[i]:
            root = find(i)
            best[root] = min(best.get(root, keys[i]), keys[i])
    return [("dup-" + best[find(i)]) if paired[i] else None for i in range(n)]


_row = st.fixed_dictionaries(
    {
        "source": st.sampled_from(["bostadsbolag", "vaktbolag", "kommun"]),
        "category": st.sampled_from(["fire", "vandalism"]),
        "precision": st.sampled_from(["exact", "address", "address", "kommun"]),
        "dx": st.integers(0, 800),
        "dy": st.integers(0, 400),
        "minutes": st.integers(0, 480),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, min_size=0, max_size=25), st.randoms(use_true_random=False))
def test_matches_brute_force_and_is_order_independent(
    rows: list[dict[str, object]], rnd: random.Random
) -> None:
    for k, row in enumerate(rows):
        row["event_id"] = f"e{k}"
    ev = _events(rows, index=[f"r{k}" for k in range(len(rows))])
    out = flag_duplicates(ev)
    assert out.tolist() == _brute_force(ev, 200.0, 2.0)
    order = list(range(len(ev)))
    rnd.shuffle(order)
    shuffled = flag_duplicates(ev.iloc[order])
    pd.testing.assert_series_equal(shuffled.loc[out.index], out)


def test_100k_rows_is_fast() -> None:
    rng = np.random.default_rng(20240305)
    n = 100_000
    ev = gpd.GeoDataFrame(
        {
            "event_id": np.arange(n).astype(str),
            "source": rng.choice(["bostadsbolag", "vaktbolag", "kommun", "kollektivtrafik"], n),
            "category": rng.choice(["fire", "vandalism", "theft", "disorder", "drugs"], n),
            "location_precision": "address",
            "time_from": T0 + pd.to_timedelta(rng.integers(0, 365 * 24 * 60, n), unit="min"),
        },
        geometry=gpd.points_from_xy(
            X0 + rng.uniform(0, 15_000, n), Y0 + rng.uniform(0, 15_000, n)
        ),
        crs="EPSG:3006",
    )
    start = time.perf_counter()
    out = flag_duplicates(ev)
    elapsed = time.perf_counter() - start
    assert len(out) == n
    assert elapsed < 10, elapsed
    # Independent check on a sample: a row is flagged exactly when it has a partner by the
    # rule (computed here with plain numpy against all rows), and partners share the group.
    x = ev.geometry.x.to_numpy()
    y = ev.geometry.y.to_numpy()
    t = ev["time_from"].to_numpy(dtype="datetime64[ns]").astype("int64")
    cat = ev["category"].to_numpy()
    src = ev["source"].to_numpy()
    n_flagged = 0
    for i in rng.choice(n, 300, replace=False):
        partner = (
            (cat == cat[i])
            & (src != src[i])
            & (np.abs(t - t[i]) <= 2 * 3_600_000_000_000)
            & (np.hypot(x - x[i], y - y[i]) <= 200.0)
        )
        assert (out.iloc[i] is not None) == bool(partner.any())
        if partner.any():
            n_flagged += 1
            assert set(out.iloc[np.flatnonzero(partner)]) == {out.iloc[i]}
    assert 0 < n_flagged < 300


# ----------------------------------------------------------------- issue 11: bounded search

_tied_row = st.fixed_dictionaries(
    {
        "source": st.sampled_from(["bostadsbolag", "vaktbolag", "kommun"]),
        "category": st.sampled_from(["fire", "vandalism"]),
        "precision": st.sampled_from(["exact", "address", "address", "kommun"]),
        # few distinct spots and times: exact repeats, one date only, points on cell edges
        "dx": st.sampled_from([0, 0, 100, 199.5, 200, 200.5, 400, 600]),
        "dy": st.sampled_from([0, 0, 150, 200, -200]),
        "minutes": st.sampled_from([0, 0, 0, 60, 120, 121, 240, 1440]),
    }
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(_tied_row, min_size=0, max_size=30),
    st.sampled_from([(200.0, 2.0), (150.0, 1.0), (1000.0, 24.0)]),
)
def test_repeats_and_one_date_rows_match_brute_force(
    rows: list[dict[str, object]], thresholds: tuple[float, float]
) -> None:
    # the grid-then-time search and the collapsing of repeated rows give the same groups as
    # pairing every two rows by the rule
    for k, row in enumerate(rows):
        row["event_id"] = f"e{k}"
    ev = _events(rows, index=[f"r{k}" for k in range(len(rows))])
    out = flag_duplicates(ev, max_distance_m=thresholds[0], max_hours=thresholds[1])
    assert out.tolist() == _brute_force(ev, *thresholds)
    assert out.attrs["duplicate_search_capped"] == 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.floats(-1e15, 1e15), st.floats(-1e15, 1e15)),
        min_size=2,
        max_size=12,
    ),
    st.floats(0.5, 1e13),
)
def test_far_flung_points_match_brute_force(
    rows: list[tuple[str, float, float]], metres: float
) -> None:
    # coordinates far beyond any real extent (cells numbered by rank, not directly)
    frame = pd.DataFrame(
        {
            "event_id": [f"e{k}" for k in range(len(rows))],
            "source": [r[0] for r in rows],
            "category": "fire",
            "location_precision": "exact",
            "time_from": T0,
        }
    )
    geometry = [Point(r[1], r[2]) for r in rows]
    ev = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:3006")
    assert flag_duplicates(ev, max_distance_m=metres).tolist() == _brute_force(ev, metres, 2.0)


def test_huge_time_window_does_not_overflow() -> None:
    ev = _events(
        [
            {"event_id": "1", "source": "bostadsbolag"},
            {"event_id": "2", "source": "vaktbolag", "minutes": 10_000_000},
        ]
    )
    ev.loc[0, "time_from"] = pd.Timestamp("1800-01-01", tz="Europe/Stockholm")
    ev.loc[1, "time_from"] = pd.Timestamp("2050-01-01", tz="Europe/Stockholm")
    # 250 years apart (7.9e18 ns, near the int64 limit): paired only when the window covers
    # them; a window of 1e300 hours saturates instead of overflowing
    assert flag_duplicates(ev, max_hours=1e300).tolist() == ["dup-bostadsbolag:1"] * 2
    assert flag_duplicates(ev, max_hours=24 * 365.25 * 250).tolist() == ["dup-bostadsbolag:1"] * 2
    assert flag_duplicates(ev, max_hours=24 * 365 * 249).tolist() == [None, None]


def _one_date(n: int, spread_m: float, seed: int) -> gpd.GeoDataFrame:
    """``n`` vandalism reports, all dated 2024-11-15 without a time of day, from two sources,
    within ``spread_m`` metres of one point (0: all at the one point)."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, spread_m, (n, 2)) if spread_m else np.zeros((n, 2))
    return gpd.GeoDataFrame(
        {
            "event_id": [f"{k:05d}" for k in range(n)],
            "source": np.where(np.arange(n) % 2, "vaktbolag", "bostadsbolag"),
            "category": "vandalism",
            "location_precision": "address",
            "time_from": pd.Timestamp("2024-11-15", tz="Europe/Stockholm"),
        },
        geometry=gpd.points_from_xy(X0 + xy[:, 0], Y0 + xy[:, 1]),
        crs="EPSG:3006",
    )


def test_one_date_at_one_spot_is_one_group_in_bounded_memory() -> None:
    # 8,000 rows at one address on one date: every bostadsbolag row pairs with every
    # vaktbolag row (16 million pairs). The flags need none of them listed: peak memory
    # stays far below the ~1 GB that listing the pairs takes.
    import tracemalloc

    ev = _one_date(8_000, 0.0, 1)
    tracemalloc.start()
    try:
        out = flag_duplicates(ev)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, peak
    assert out.tolist() == ["dup-bostadsbolag:00000"] * 8_000
    assert out.attrs["duplicate_search_capped"] == 0


def test_one_date_spread_over_a_city_is_exact_and_small() -> None:
    # 50,900 rows of one date spread over 100 km x 100 km: the grid compares only neighbours.
    # Independent check: with 2 sources at random spots, a row is flagged exactly when a
    # row of the other source lies within 200 m (numpy over all rows, for a sample).
    import tracemalloc

    ev = _one_date(50_900, 100_000.0, 2)
    tracemalloc.start()
    try:
        out = flag_duplicates(ev)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300 * 2**20, peak
    x, y = ev.geometry.x.to_numpy(), ev.geometry.y.to_numpy()
    src = ev["source"].to_numpy()
    rng = np.random.default_rng(3)
    n_flagged = 0
    for i in rng.choice(len(ev), 400, replace=False):
        partner = (src != src[i]) & (np.hypot(x - x[i], y - y[i]) <= 200.0)
        assert (out.iloc[i] is not None) == bool(partner.any())
        if partner.any():
            n_flagged += 1
            assert set(out.iloc[np.flatnonzero(partner)]) == {out.iloc[i]}
    assert 0 < n_flagged < 400


def test_adversarial_blob_is_capped_and_flags_stay_true(monkeypatch: pytest.MonkeyPatch) -> None:
    # Distinct points within 30 m on one date: all pairs of the two sources are duplicates.
    # With the candidate limit lowered, the search is cut, the cut rows are counted, and
    # every flag given is still one the rule gives (here: all rows, one group).
    import geo_trygg.io.duplicates as dup

    ev = _one_date(400, 30.0, 4)
    exact = _brute_force(ev, 200.0, 2.0)
    assert flag_duplicates(ev).tolist() == exact
    monkeypatch.setattr(dup, "MAX_CANDIDATES", 2_000)
    out = dup.flag_duplicates(ev)
    assert out.attrs["duplicate_search_capped"] > 0
    flagged = out.notna().to_numpy()
    assert flagged.any()
    assert all(exact[i] is not None for i in np.flatnonzero(flagged))
    # 400 rows within 30 m and 2 sources: even cut, a few nearest links join them all
    assert out.tolist() == exact


# ------------------------------------------------- issue 11, speed: rows that cannot pair


@pytest.mark.parametrize("count_array", [(16, 1 << 20), (0, 0)])  # (0, 0): hashed counts
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from([0.0, 199.99, 200.0, 200.01, 400.0, 799.99, 800.0, 1e6, -400.0]),
            st.floats(-2_000, 2_000, allow_nan=False),
            st.sampled_from([0, 1, 7_200, 7_201, 14_400, 28_800, -7_200, 86_400]),
        ),
        min_size=2,
        max_size=60,
    ),
    limits=st.sampled_from([(200.0, 7_200), (0.5, 0), (1e-9, 1), (5_000.0, 3_600_000)]),
    origin=st.tuples(st.floats(0, 10_000), st.floats(0, 10_000), st.integers(0, 86_400)),
)
def test_rows_dropped_before_the_search_have_no_neighbour(
    rows: list[tuple[int, float, float, int]],
    limits: tuple[float, int],
    origin: tuple[float, float, int],
    count_array: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every row with another row of its category within the distance in x and in y and
    # within the window in time (checked pair by pair) is kept for the exact search
    import geo_trygg.io.duplicates as dup
    from geo_trygg.io.duplicates import _may_pair

    monkeypatch.setattr(dup, "_COUNT_ARRAY", count_array)
    distance, seconds = limits
    cat = np.array([r[0] for r in rows], dtype=np.int64)
    x = np.array([6_580_000.0 + origin[0] + r[1] for r in rows])  # cell edges anywhere
    y = np.array([150_000.0 + origin[1] + r[2] for r in rows])
    t = np.array([1_700_000_000 + origin[2] + r[3] for r in rows], dtype=np.int64) * 10**9
    window = seconds * 1_000_000_000
    keep = _may_pair(x, y, t, cat, distance, window)
    for i in range(len(rows)):
        near = (
            (cat == cat[i])
            & (np.abs(x - x[i]) <= distance)
            & (np.abs(y - y[i]) <= distance)
            & (np.abs(t - t[i]) <= window)
        )
        near[i] = False
        if near.any():
            assert keep[i], (i, rows[i])


def test_sparse_rows_mostly_skip_the_search() -> None:
    # 20,000 events of 5 categories over a year and 15 km x 15 km: a row's box (400 m x 400 m
    # x 4 h) holds another row of its category for about 1 % of rows, its cell for about 16 %
    from geo_trygg.io.duplicates import _may_pair

    rng = np.random.default_rng(11)
    n = 20_000
    x, y = rng.uniform(0, 15_000, n), rng.uniform(0, 15_000, n)
    t = rng.integers(0, 365 * 24 * 3600, n) * 1_000_000_000
    cat = rng.integers(0, 5, n)
    keep = _may_pair(x, y, t, cat, 200.0, 2 * 3_600_000_000_000)
    assert 0.01 < keep.mean() < 0.3


@settings(max_examples=40, deadline=None)
@given(st.lists(_tied_row, min_size=0, max_size=30), st.integers(0, 2**32 - 1))
def test_groups_with_and_without_the_first_sieve_are_the_same(
    rows: list[dict[str, object]], seed: int
) -> None:
    import geo_trygg.io.duplicates as dup

    rng = np.random.default_rng(seed)
    extra = [  # scattered rows around the tied ones
        {
            "source": str(rng.choice(["bostadsbolag", "vaktbolag"])),
            "category": "fire",
            "precision": "exact",
            "dx": float(rng.uniform(-3_000, 3_000)),
            "dy": float(rng.uniform(-3_000, 3_000)),
            "minutes": int(rng.integers(-2_000, 2_000)),
        }
        for _ in range(100)
    ]
    rows = rows + extra
    for k, row in enumerate(rows):
        row["event_id"] = f"e{k}"
    ev = _events(rows, index=[f"r{k}" for k in range(len(rows))])
    sieved = dup.flag_duplicates(ev)
    original = dup._may_pair
    try:
        dup._may_pair = lambda x, *_args: np.ones(len(x), dtype=bool)  # type: ignore[assignment]
        exact = dup.flag_duplicates(ev)
    finally:
        dup._may_pair = original
    pd.testing.assert_series_equal(sieved, exact)
