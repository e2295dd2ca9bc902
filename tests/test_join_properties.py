"""Property tests for assign_areas on random grid partitions (hypothesis).

Partitions: a rectilinear grid with random integer break lines; each cell gets a random label and
cells with the same label are merged into one area (so areas are L-shapes, strips or
MultiPolygons). Expected answers are computed from the grid itself (which cell a coordinate
falls in, by ``bisect``), never from the code under test.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo_trygg import CRSMismatchError, GeoTryggWarning
from geo_trygg.join import _pip, assign_areas

X0, Y0 = 600_000, 6_570_000  # somewhere in Stockholm, EPSG:3006


@st.composite
def partitions(draw: Any) -> dict[str, Any]:
    nx = draw(st.integers(1, 5))
    ny = draw(st.integers(1, 5))
    xs = sorted(draw(st.sets(st.integers(0, 60), min_size=nx + 1, max_size=nx + 1)))
    ys = sorted(draw(st.sets(st.integers(0, 60), min_size=ny + 1, max_size=ny + 1)))
    n_labels = draw(st.integers(1, nx * ny))
    labels = [
        [draw(st.integers(0, n_labels - 1)) for _ in range(nx)] for _ in range(ny)
    ]  # labels[j][i] for cell column i, row j
    return {"xs": [X0 + 10 * v for v in xs], "ys": [Y0 + 10 * v for v in ys], "labels": labels}


def as_layer(part: dict[str, Any]) -> gpd.GeoDataFrame:
    xs, ys, labels = part["xs"], part["ys"], part["labels"]
    cells: dict[int, list[Any]] = {}
    for j in range(len(ys) - 1):
        for i in range(len(xs) - 1):
            cells.setdefault(labels[j][i], []).append(box(xs[i], ys[j], xs[i + 1], ys[j + 1]))
    names = sorted(cells)
    return gpd.GeoDataFrame(
        {
            "area_id": [f"a{k}" for k in names],
            "name": [f"AREA {k}" for k in names],
            "level": "stadsdel",
        },
        geometry=[shapely.union_all(cells[k]) for k in names],
        crs="EPSG:3006",
    )


def cell_label(part: dict[str, Any], x: float, y: float) -> str | None:
    """Label of the cell holding (x, y) by the half-open rule [x_i, x_i+1) x [y_j, y_j+1)."""
    xs, ys = part["xs"], part["ys"]
    i = bisect_right(xs, x) - 1
    j = bisect_right(ys, y) - 1
    if 0 <= i < len(xs) - 1 and 0 <= j < len(ys) - 1:
        return f"AREA {part['labels'][j][i]}"
    return None


@contextmanager
def grid_threshold(n: int) -> Iterator[None]:
    old = _pip._GRID_MIN_POINTS
    _pip._GRID_MIN_POINTS = n
    try:
        yield
    finally:
        _pip._GRID_MIN_POINTS = old


def run(pts: gpd.GeoDataFrame, *layers: gpd.GeoDataFrame, **kw: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return assign_areas(pts, *layers, **kw)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    part=partitions(),
    fractions=st.lists(
        st.tuples(st.floats(0.01, 0.99), st.floats(0.01, 0.99), st.integers(0, 99)),
        min_size=1,
        max_size=40,
    ),
    use_grid=st.booleans(),
)
def test_point_strictly_inside_gets_its_area(
    part: dict[str, Any], fractions: list[tuple[float, float, int]], use_grid: bool
) -> None:
    xs, ys = part["xs"], part["ys"]
    xy, expected = [], []
    for fx, fy, k in fractions:
        i = k % (len(xs) - 1)
        j = (k // 7) % (len(ys) - 1)
        x = xs[i] + fx * (xs[i + 1] - xs[i])
        y = ys[j] + fy * (ys[j + 1] - ys[j])
        xy.append(Point(x, y))
        expected.append(f"AREA {part['labels'][j][i]}")
    pts = gpd.GeoDataFrame(geometry=xy, crs="EPSG:3006")
    with grid_threshold(0 if use_grid else 10**9):
        out = run(pts, as_layer(part))
    assert out["stadsdel"].tolist() == expected
    assert set(out["stadsdel_matched_by"]) == {"point"}


@FAST
@given(
    part=partitions(),
    coords=st.lists(st.tuples(st.integers(-5, 65), st.integers(-5, 65)), min_size=1, max_size=60),
    use_grid=st.booleans(),
    predicate=st.sampled_from(["covered_by", "within"]),
)
def test_at_most_one_area_and_only_a_covering_one(
    part: dict[str, Any], coords: list[tuple[int, int]], use_grid: bool, predicate: str
) -> None:
    # points on a 10 m lattice: many lie exactly on break lines, edges and vertices
    pts = gpd.GeoDataFrame(
        geometry=[Point(X0 + 10 * a, Y0 + 10 * b) for a, b in coords], crs="EPSG:3006"
    )
    areas = as_layer(part)
    with grid_threshold(0 if use_grid else 10**9):
        out = run(pts, areas, predicate=predicate)
    by_name = dict(zip(areas["name"], areas.geometry, strict=True))
    for p, got, reason in zip(pts.geometry, out["stadsdel"], out["stadsdel_reason"], strict=True):
        test = shapely.within if predicate == "within" else shapely.covered_by
        covering = {n for n, g in by_name.items() if test(p, g)}
        if covering:
            assert got in covering
            assert reason is None
        else:
            assert got is None
            on_edge = any(shapely.covered_by(p, g) for g in by_name.values())
            assert reason == ("on_boundary" if on_edge else "outside")


@settings(max_examples=25, deadline=None)
@given(part=partitions(), seed=st.integers(0, 2**32 - 1), use_grid=st.booleans())
def test_many_points_agree_with_the_half_open_cell_rule(
    part: dict[str, Any], seed: int, use_grid: bool
) -> None:
    # Inside the grid's extent, the boundary rule (east, then north) is exactly the half-open
    # cell rule [x_i, x_i+1) x [y_j, y_j+1), computed here with searchsorted on the break lines.
    xs, ys = np.array(part["xs"], dtype=float), np.array(part["ys"], dtype=float)
    rng = np.random.default_rng(seed)
    n = 3000
    x = rng.uniform(xs[0] - 50, xs[-1] + 50, n)
    y = rng.uniform(ys[0] - 50, ys[-1] + 50, n)
    # a third of the points on break lines or the 10 m lattice
    x[: n // 3] = np.round(x[: n // 3] / 10) * 10
    y[n // 6 : n // 2] = np.round(y[n // 6 : n // 2] / 10) * 10
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:3006")
    with grid_threshold(0 if use_grid else 10**9):
        got = run(pts, as_layer(part))["stadsdel"].to_numpy(dtype=object)
    i = np.searchsorted(xs, x, side="right") - 1
    j = np.searchsorted(ys, y, side="right") - 1
    inside = (i >= 0) & (i < len(xs) - 1) & (j >= 0) & (j < len(ys) - 1)
    labels = np.array(part["labels"])
    expected = np.array([f"AREA {v}" for v in labels[j[inside], i[inside]]], dtype=object)
    assert (got[inside] == expected).all()
    away = (x < xs[0]) | (x > xs[-1]) | (y < ys[0]) | (y > ys[-1])
    assert all(v is None for v in got[away])
    rim = ~inside & ~away  # on the east or north outer edge: some area, never None
    assert all(v is not None for v in got[rim])


@settings(max_examples=30, deadline=None)
@given(
    part=partitions(),
    coords=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
    use_grid=st.booleans(),
)
def test_boundary_points_same_area_under_any_order(
    part: dict[str, Any], coords: list[tuple[int, int]], seed: int, use_grid: bool
) -> None:
    xs, ys = part["xs"], part["ys"]
    # snap each point onto a break line (x, y, or both: a vertex)
    pts_xy = []
    for k, (a, b) in enumerate(coords):
        x = X0 + 10 * a
        y = Y0 + 10 * b
        if k % 3 != 1:
            x = xs[a % len(xs)]
        if k % 3 != 0:
            y = ys[b % len(ys)]
        pts_xy.append((x, y))
    pts = gpd.GeoDataFrame(geometry=[Point(p) for p in pts_xy], crs="EPSG:3006")
    areas = as_layer(part)
    rng = np.random.default_rng(seed)
    with grid_threshold(0 if use_grid else 10**9):
        base = run(pts, areas)["stadsdel"].tolist()
        row_perm = rng.permutation(len(pts))
        area_perm = rng.permutation(len(areas))
        shuffled = areas.iloc[area_perm].copy()
        # also reverse every polygon's ring order: vertex order must not matter either
        shuffled["geometry"] = shapely.reverse(shuffled.geometry.to_numpy())
        again = run(pts.iloc[row_perm], shuffled)["stadsdel"]
    assert again.loc[pts.index].tolist() == base
    # and the documented rule: inside the grid's extent, the cell north-east of the point
    for (x, y), got in zip(pts_xy, base, strict=True):
        if xs[0] <= x < xs[-1] and ys[0] <= y < ys[-1]:
            assert got == cell_label(part, x, y)
        elif got is not None:
            assert shapely.covered_by(Point(x, y), areas.set_index("name").geometry[got])


@settings(max_examples=20, deadline=None)
@given(
    pair=st.lists(
        st.sampled_from(["EPSG:3006", "EPSG:3011", "EPSG:3021", "EPSG:3007", "EPSG:32633"]),
        min_size=2,
        max_size=2,
        unique=True,
    )
)
def test_crs_mismatch_raises_naming_both(pair: list[str]) -> None:
    pts = gpd.GeoDataFrame(geometry=[Point(1, 1)], crs=pair[0])
    areas = gpd.GeoDataFrame(
        {"name": ["A"], "level": ["stadsdel"]}, geometry=[box(0, 0, 2, 2)], crs=pair[1]
    )
    with pytest.raises(CRSMismatchError) as err:
        assign_areas(pts, areas)
    assert pair[0] in str(err.value)
    assert pair[1] in str(err.value)
