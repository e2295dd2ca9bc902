"""Tests for geo_trygg.io.duplicates.flag_duplicates."""

from __future__ import annotations

import math
import random
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
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
