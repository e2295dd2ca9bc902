"""Benchmark: small-count suppression of a public pack at the finest Stockholm level.

Workload (seeded): the 117 stadsdelar (``../shared/data``) and the 11 stadsdelsområden and 7
LPOs dissolved from them with the bundled crosswalk; N events (default 20,000) spread over
the land of 2024 in 10 categories of unequal frequency, exact locations; a lägesbild of
2024-12 against 2024-11 with pages for every stadsdel, stadsdelsområde and LPO (135 areas,
about 1,600 published counts, hundreds of them under 3).

Timed, one run each: ``build_lagesbild`` (the baseline: what every pack does anyway), then
``public_counts`` (atoms, published counts, primary and secondary suppression: everything
hidden, then shown again where no small count is given away, each checked by integer
programmes). Also printed: how many counts are shown, hidden as "<3" and hidden as ".." to
protect them, and the CPU seconds of the suppression (the wall clock depends on the machine's
load). ``--method greedy`` runs the earlier choice of complements for comparison. Run::

    .venv/bin/python benchmarks/bench_public.py
    .venv/bin/python benchmarks/bench_public.py --events 100000
    .venv/bin/python benchmarks/bench_public.py --method greedy
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _machine import machine_lines, points_on  # benchmarks/_machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
STADSDELAR = SHARED / "stockholm_stadsdelar" / "shapefiles_fullsize" / "stadsdelar.shp"
SEED = 20241201
AT = "2024-12-31"
CATEGORIES = {
    "theft": 30,
    "violence": 10,
    "vandalism": 15,
    "burglary": 8,
    "drugs": 5,
    "fire": 3,
    "robbery": 2,
    "threats": 7,
    "disorder": 15,
    "other": 5,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--method", choices=("minimal", "greedy"), default="minimal")
    args = parser.parse_args(argv)
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2
    import geo_trygg as gt
    from geo_trygg.lagesbild import build_lagesbild
    from geo_trygg.pack import _public
    from geo_trygg.pack._public import public_counts
    from geo_trygg.pack._suppress import suppress

    if args.method == "greedy":  # the earlier choice, for comparison

        def greedy(*a: object, **kw: object) -> object:
            return suppress(*a, **{**kw, "method": "greedy"})  # type: ignore[arg-type]

        _public.suppress = greedy  # type: ignore[assignment]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stadsdelar = gt.read_areas(STADSDELAR, source="stockholm-stadsdelar").accepted
        cw = gt.load_crosswalk()
        layers = [
            stadsdelar,
            gt.derive_lpo(stadsdelar, crosswalk=cw, at=AT, level="stadsdelsomrade"),
            gt.derive_lpo(stadsdelar, crosswalk=cw, at=AT, level="lpo"),
        ]
        keep = ["area_id", "name", "level", "geometry"]
        areas = gpd.GeoDataFrame(
            pd.concat([layer[keep] for layer in layers], ignore_index=True), crs=stadsdelar.crs
        )
        rng = np.random.default_rng(SEED)
        n = args.events
        union = shapely.union_all(stadsdelar.geometry.to_numpy())
        xy = points_on(rng, union, n)
        weights = np.array(list(CATEGORIES.values()), dtype=float)
        start = pd.Timestamp("2024-01-01", tz="Europe/Stockholm")
        events = gpd.GeoDataFrame(
            {
                "event_id": [f"E{i}" for i in range(n)],
                "time_from": start + pd.to_timedelta(rng.integers(0, 366 * 24, n), unit="h"),
                "time_to": pd.NaT,
                "category": rng.choice(list(CATEGORIES), n, p=weights / weights.sum()),
                "location_precision": "exact",
            },
            geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
            crs=stadsdelar.crs,
        )
        t0 = time.perf_counter()
        lb = build_lagesbild(
            events=events,
            areas=areas,
            by=("stadsdel", "stadsdelsomrade", "lpo"),
            period="2024-12",
            compare="previous",
        )
        t1 = time.perf_counter()
        c1 = time.process_time()
        counts = public_counts(lb, k=3)
        t2 = time.perf_counter()
        cpu = time.process_time() - c1
    state = counts.cells["state"].value_counts().reindex([0, 1, 2], fill_value=0)
    print("\n".join(machine_lines(["pandas", "geopandas", "shapely", "scipy"])))
    print(f"- {n:,} events over 2024; 2024-12 against 2024-11; 135 areas at three levels")
    print(f"- complements: {args.method}; suppression CPU seconds {cpu:.2f}")
    print()
    print("| step | seconds | × baseline |")
    print("|---|---:|---:|")
    print(f"| build_lagesbild (baseline) | {t1 - t0:.2f} | 1.00 |")
    print(f"| public_counts (suppression) | {t2 - t1:.2f} | {(t2 - t1) / (t1 - t0):.2f} |")
    print()
    print(
        f"published counts {len(counts.cells):,}: shown {state[0]:,}, '<3' {state[1]:,}, "
        f"'..' {state[2]:,} (of them small: "
        f"{int(((counts.cells['state'] == 2) & counts.cells['n'].between(1, 2)).sum()):,})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
