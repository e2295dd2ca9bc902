"""Benchmark: the hotspot step against esda's Gi* alone, KDE, and the Knox test.

Workload (seeded): Stockholm's 117 stadsdelar (read from ``../shared/data``) minus water (the
same source's merged water polygons), a 100 m grid clipped to that land (about 20,000 cells),
and 1,000,000 events: 70 % spread uniformly over the city's bounding box on land, 30 % around
300 hotspot centres (normal, 150 m standard deviation).

Timed in the same run, in turn in each round:

- **geo_trygg, whole step**: ``make_grid(stadsdelar, cell_size=100, water=water)`` (the grid
  clipped to land), ``count_points`` (the 1,000,000 events to cells), ``gi_star`` (distance-band
  weights, Gi*, two-sided p-values, Benjamini-Hochberg, classes);
- **geo_trygg, Gi* only**: ``gi_star`` on the counted grid (weights, Gi*, FDR, classes);
- **baseline: esda** ``G_Local(y, w, star=True, transform="B", permutations=0)`` on the same
  weights (a ``libpysal`` W built once, untimed), the call alone;
- **geo_trygg, KDE** (quartic, default bandwidth: about 1.4 km here, so the FFT path) on the
  same grid and events;
- **geo_trygg, Knox test**: 10,000 burglaries over one year (uniform on land, a tenth of them
  near repeats within 150 m and 10 days of another), the default bands, 999 permutations.

The script checks that the z-scores equal esda's to 1e-9. It prints the machine, the versions
and a Markdown table with the median seconds and the ratio to the esda call.

Run::

    .venv/bin/python benchmarks/bench_hotspots.py              # full size, 3 repeats
    .venv/bin/python benchmarks/bench_hotspots.py --events 200000 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _machine import machine_lines, points_on, timed  # benchmarks/_machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
STADSDELAR = SHARED / "stockholm_stadsdelar" / "shapefiles_fullsize" / "stadsdelar.shp"
WATER = SHARED / "stockholm_stadsdelar" / "geojson_simplified" / "vatten.geo.json"
SEED = 20240305
TZ = "Europe/Stockholm"


def load() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Any]:
    import geo_trygg as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        stadsdelar = gt.read_areas(STADSDELAR, source="stockholm-stadsdelar").accepted
    water = gpd.read_file(WATER).to_crs(stadsdelar.crs)
    land = shapely.difference(
        shapely.union_all(stadsdelar.geometry.to_numpy()),
        shapely.union_all(water.geometry.to_numpy()),
    )
    return stadsdelar, water, land


def on_land(rng: np.random.Generator, land: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    xy = points_on(rng, land, n)
    return xy[:, 0], xy[:, 1]


def make_events(land: Any, n: int, crs: Any) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(SEED)
    n_uniform = round(0.7 * n)
    ux, uy = on_land(rng, land, n_uniform)
    cx, cy = on_land(rng, land, 300)
    which = rng.integers(0, 300, n - n_uniform)
    hx = cx[which] + rng.normal(0, 150, n - n_uniform)
    hy = cy[which] + rng.normal(0, 150, n - n_uniform)
    x, y = np.concatenate([ux, hx]), np.concatenate([uy, hy])
    return gpd.GeoDataFrame(
        {"location_precision": np.full(n, "exact", dtype=object)},
        geometry=gpd.points_from_xy(x, y),
        crs=crs,
    )


def make_burglaries(land: Any, n: int, crs: Any) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(SEED + 1)
    n_repeat = n // 10
    x, y = on_land(rng, land, n - n_repeat)
    days = rng.integers(0, 365, n - n_repeat)
    source = rng.integers(0, n - n_repeat, n_repeat)
    angle = rng.uniform(0, 2 * np.pi, n_repeat)
    radius = rng.uniform(0, 150, n_repeat)
    x = np.concatenate([x, x[source] + radius * np.cos(angle)])
    y = np.concatenate([y, y[source] + radius * np.sin(angle)])
    days = np.concatenate([days, np.minimum(days[source] + rng.integers(0, 11, n_repeat), 364)])
    times = (pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "time_from": times,
            "category": np.full(n, "burglary", dtype=object),
            "location_precision": np.full(n, "exact", dtype=object),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=crs,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--burglaries", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2

    import libpysal
    from esda.getisord import G_Local

    from geo_trygg.hotspots import count_points, gi_star, kde, knox_test, make_grid
    from geo_trygg.hotspots._gistar import binary_weights

    stadsdelar, water, land = load()
    start = time.perf_counter()
    events = make_events(land, args.events, stadsdelar.crs)
    burglaries = make_burglaries(land, args.burglaries, stadsdelar.crs)
    made = time.perf_counter() - start

    grid = make_grid(stadsdelar, cell_size=100, water=water)
    counted = count_points(grid, events)
    info = grid.attrs["grid"]
    lattice_x = info["origin"][0] + (grid["col"].to_numpy() + 0.5) * 100
    lattice_y = info["origin"][1] + (grid["row"].to_numpy() + 0.5) * 100
    w_self = binary_weights(lattice_x, lattice_y, distance=150)
    w_noself = w_self.tolil()
    w_noself.setdiag(0)  # esda adds the cell itself for star=True
    w_noself = w_noself.tocsr()
    w_noself.eliminate_zeros()
    w = libpysal.weights.WSP(w_noself).to_W(silence_warnings=True)
    y = counted["n"].to_numpy(dtype=float)

    def whole_step() -> gpd.GeoDataFrame:
        g = make_grid(stadsdelar, cell_size=100, water=water)
        return gi_star(count_points(g, events))

    methods: dict[str, Callable[[], Any]] = {
        "geo_trygg: whole step (grid clipped to land, count, weights, Gi*, FDR)": whole_step,
        "geo_trygg: gi_star only (weights, Gi*, FDR, classes)": lambda: gi_star(counted),
        'baseline: esda G_Local(star=True, transform="B", permutations=0), the call alone': (
            lambda: G_Local(y, w, star=True, transform="B", permutations=0)
        ),
        "geo_trygg: kde (quartic, default bandwidth)": lambda: kde(grid, events),
        f"geo_trygg: knox_test ({args.burglaries:,} events, 999 permutations)": lambda: knox_test(
            burglaries, permutations=999, seed=1
        ),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = timed(methods, args.repeats)
    labels = list(methods)
    ours = results[labels[0]][1]
    esda = results[labels[2]][1]
    same = bool(np.allclose(ours["gi_z"].to_numpy(), esda.Zs, rtol=0, atol=1e-9, equal_nan=True))
    medians = {label: statistics.median(times) for label, (times, _) in results.items()}
    base = medians[labels[2]]

    print("\n".join(machine_lines(["numpy", "scipy", "shapely", "geopandas", "esda", "libpysal"])))
    print(
        f"- {len(events):,} events ({counted.attrs['counts']['n_in_cells']:,} in cells), "
        f"{len(grid):,} cells of 100 m clipped to land, {len(burglaries):,} burglaries; made in "
        f"{made:.1f} s (untimed); {args.repeats} repeats, median"
    )
    print()
    print("| method | median s | × esda G_Local | runs s |")
    print("|---|---:|---:|---|")
    for label in labels:
        runs = ", ".join(f"{t:.3f}" for t in results[label][0])
        print(f"| {label} | {medians[label]:.3f} | {medians[label] / base:.2f} | {runs} |")
    print()
    print(f"Gi* z-scores equal esda's to 1e-9: {'yes' if same else 'NO'}")
    print(
        f"whole step: {medians[labels[0]] / base:.2f}× the esda call (goal <= 2.5); Knox: "
        f"{medians[labels[4]]:.2f} s (goal < 10 s)"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
