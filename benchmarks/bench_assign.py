"""Benchmark: assign_areas against geopandas.sjoin and bare shapely on 1,000,000 points.

Points (seeded): 90 % uniformly inside the union of Stockholm's 117 stadsdelar (read from
``../shared/data``, reprojected to EPSG:3006), 10 % outside it within the union's bounding box
grown by 5 km. Every method starts from the same points GeoDataFrame and returns one area
position per point; each is timed as the median of ``--repeats`` runs, on a fresh copy of the
polygons each time (so preparing polygons and building indexes are counted every run).

Run::

    .venv/bin/python benchmarks/bench_assign.py            # 1,000,000 points, 5 repeats
    .venv/bin/python benchmarks/bench_assign.py --n 200000 --repeats 3 --designs

It prints the machine, the library versions and a Markdown table (method, median seconds,
points per second, time relative to geopandas.sjoin and to the fastest bare-shapely method), and
checks that all methods agree on every point strictly inside one stadsdel.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _machine import machine_lines  # benchmarks/_machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
STADSDELAR = SHARED / "stockholm_stadsdelar" / "shapefiles_fullsize" / "stadsdelar.shp"
CRS = "EPSG:3006"
SEED = 20240305


# --- data ------------------------------------------------------------------------------------


def load_stadsdelar() -> gpd.GeoDataFrame:
    frame = gpd.read_file(STADSDELAR).to_crs(CRS)
    frame["area_id"] = frame["name"]
    frame["level"] = "stadsdel"
    return frame[["area_id", "name", "level", "geometry"]]


def make_points(areas: gpd.GeoDataFrame, n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` points: 90 % inside the union of ``areas``, 10 % outside it (within 5 km)."""
    rng = np.random.default_rng(seed)
    union = shapely.union_all(areas.geometry.to_numpy())
    shapely.prepare(union)
    x0, y0, x1, y1 = union.bounds
    n_in = round(0.9 * n)

    def draw(count: int, box: tuple[float, float, float, float], inside: bool) -> np.ndarray:
        got: list[np.ndarray] = []
        have = 0
        while have < count:
            x = rng.uniform(box[0], box[2], count)
            y = rng.uniform(box[1], box[3], count)
            keep = shapely.contains_xy(union, x, y)
            if not inside:
                keep = ~shapely.intersects_xy(union, x, y)
            got.append(np.column_stack([x[keep], y[keep]]))
            have += int(keep.sum())
        return np.concatenate(got)[:count]

    inner = draw(n_in, (x0, y0, x1, y1), True)
    outer = draw(n - n_in, (x0 - 5000, y0 - 5000, x1 + 5000, y1 + 5000), False)
    xy = np.concatenate([inner, outer])[rng.permutation(n)]
    return gpd.GeoDataFrame(
        {"point_id": np.arange(n)}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS
    )


def fresh(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with new geometry objects (not prepared, no cached spatial index)."""
    out = areas.drop(columns="geometry").copy()
    geoms = shapely.from_wkb(shapely.to_wkb(areas.geometry.to_numpy()))
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=areas.index), crs=areas.crs)


# --- methods ----------------------------------------------------------------------------------
# Each returns its natural output (timed); positions() turns it into the area position per
# point (-1: none) afterwards, untimed.


def run_assign_areas(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from geo_trygg.join import assign_areas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assign_areas(pts, areas)


def run_sjoin(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gpd.sjoin(pts, areas, how="left", predicate="within")


def positions(raw: object, areas: gpd.GeoDataFrame) -> np.ndarray:
    if isinstance(raw, np.ndarray):
        return raw
    assert isinstance(raw, gpd.GeoDataFrame)
    if "stadsdel_id" in raw.columns:  # assign_areas
        pos = pd.Series(np.arange(len(areas)), index=areas["area_id"].to_numpy())
        return pos.reindex(raw["stadsdel_id"].to_numpy()).fillna(-1).to_numpy(dtype=np.int64)
    first = raw[~raw.index.duplicated(keep="first")]  # sjoin: one row per match
    return first["index_right"].fillna(-1).to_numpy(dtype=np.int64)


def run_strtree(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> np.ndarray:
    tree = shapely.STRtree(areas.geometry.to_numpy())
    p, a = tree.query(pts.geometry.to_numpy(), predicate="within")
    out = np.full(len(pts), -1, dtype=np.int64)
    out[p] = a
    return out


def _bbox_contains(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, threads: int) -> np.ndarray:
    geoms = pts.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    polys = areas.geometry.to_numpy()
    shapely.prepare(polys)
    bounds = shapely.bounds(polys)

    def one(k: int) -> np.ndarray:
        b = bounds[k]
        idx = np.flatnonzero((x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3]))
        return idx[shapely.contains_xy(polys[k], x[idx], y[idx])]

    if threads == 1:
        hits = [one(k) for k in range(len(polys))]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            hits = list(pool.map(one, range(len(polys))))
    out = np.full(len(pts), -1, dtype=np.int64)
    for k, h in enumerate(hits):
        out[h] = k
    return out


def run_bbox_contains_1(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> np.ndarray:
    return _bbox_contains(pts, areas, 1)


def run_bbox_contains_2(pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> np.ndarray:
    return _bbox_contains(pts, areas, 2)


METHODS: list[tuple[str, Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame], object], bool]] = [
    # (label, function, is a bare-shapely method)
    ("assign_areas (geo_trygg)", run_assign_areas, False),
    ('geopandas.sjoin(predicate="within")', run_sjoin, False),
    ('shapely.STRtree.query(predicate="within")', run_strtree, True),
    ("bbox prefilter + contains_xy, 1 thread", run_bbox_contains_1, True),
    ("bbox prefilter + contains_xy, 2 threads", run_bbox_contains_2, True),
]


# --- internal design alternatives (--designs) ------------------------------------------------


def design_alternatives(
    pts: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, repeats: int
) -> list[tuple[str, float]]:
    from geo_trygg.join import _pip

    geoms = pts.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    rows = []
    for label, grid, threads in [
        ("kernel only (sorted x + searchsorted), 1 thread", False, 1),
        ("kernel only (sorted x + searchsorted), 2 threads", False, 2),
        ("grid routing + kernel, 1 thread", True, 1),
        ("grid routing + kernel, 2 threads", True, 2),
    ]:
        old_grid, old_threads = _pip._GRID_MIN_POINTS, _pip._n_threads
        _pip._GRID_MIN_POINTS = 20_000 if grid else 10**12
        _pip._n_threads = lambda t=threads: t  # type: ignore[misc]
        try:
            times = []
            for _ in range(repeats):
                polys = fresh(areas).geometry.to_numpy()
                start = time.perf_counter()
                index = _pip.AreaIndex(polys, np.arange(len(polys)))
                index.locate(x, y)
                times.append(time.perf_counter() - start)
        finally:
            _pip._GRID_MIN_POINTS, _pip._n_threads = old_grid, old_threads
        rows.append((label, statistics.median(times)))
    return rows


# --- reporting -------------------------------------------------------------------------------


def machine() -> list[str]:
    return machine_lines(["shapely", "geopandas", "numpy", "pandas", "pyproj"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of points")
    parser.add_argument("--repeats", type=int, default=5, help="runs per method (>= 3)")
    parser.add_argument("--designs", action="store_true", help="also time design alternatives")
    args = parser.parse_args(argv)
    if args.repeats < 3:
        parser.error("--repeats must be at least 3")
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2

    areas = load_stadsdelar()
    pts = make_points(areas, args.n)
    print("\n".join(machine()))
    print(f"- {len(pts):,} points (seed {SEED}), {len(areas)} stadsdelar, {args.repeats} repeats")
    print()

    results: dict[str, np.ndarray] = {}
    medians: dict[str, float] = {}
    for label, fn, _ in METHODS:
        fn(pts, fresh(areas))  # warm-up (imports, first-call costs)
        times = []
        for _ in range(args.repeats):
            layer = fresh(areas)
            start = time.perf_counter()
            out = fn(pts, layer)
            times.append(time.perf_counter() - start)
        results[label] = positions(out, areas)
        del out
        medians[label] = statistics.median(times)

    sjoin_t = medians['geopandas.sjoin(predicate="within")']
    bare_t = min(medians[label] for label, _, bare in METHODS if bare)
    print("| method | median s | points/s | × sjoin time | × fastest bare time |")
    print("|---|---:|---:|---:|---:|")
    for label, _, _ in METHODS:
        t = medians[label]
        print(
            f"| {label} | {t:.3f} | {len(pts) / t / 1e6:.2f} M | {t / sjoin_t:.2f} | "
            f"{t / bare_t:.2f} |"
        )

    # agreement on points strictly inside one stadsdel (boundary points may legitimately differ)
    geoms = areas.geometry.to_numpy()
    ref = results['shapely.STRtree.query(predicate="within")']
    inside = ref >= 0
    strict = inside.copy()
    strict[inside] = shapely.contains_properly(geoms[ref[inside]], pts.geometry.to_numpy()[inside])
    agree = all((r[strict] == ref[strict]).all() for r in results.values())
    outside_agree = all((r[~inside] == -1).all() for r in results.values())
    print()
    print(
        f"agreement on {int(strict.sum()):,} interior points: {'yes' if agree else 'NO'}; "
        f"on {int((~inside).sum()):,} points outside every stadsdel: "
        f"{'yes' if outside_agree else 'NO'}"
    )
    speedup = sjoin_t / medians["assign_areas (geo_trygg)"]
    ratio = medians["assign_areas (geo_trygg)"] / bare_t
    print(
        f"assign_areas: {speedup:.2f}× faster than geopandas.sjoin (goal >= 2), "
        f"{ratio:.2f}× the fastest bare method's time (goal <= 1.5)"
    )
    if args.designs:
        print()
        print("| design (AreaIndex.locate on x/y arrays) | median s |")
        print("|---|---:|")
        for label, t in design_alternatives(pts, areas, args.repeats):
            print(f"| {label} | {t:.3f} |")
    return 0 if agree and outside_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
