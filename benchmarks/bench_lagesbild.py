"""Benchmark: build_lagesbild against a bare pandas groupby pipeline computing the same counts.

Workload (seeded): 1,000,000 events and 20,000 findings over 2023-2024 in Stockholm, over three
area layers valid on 2024-12-31: the 117 stadsdelar (read from ``../shared/data``), the 11
stadsdelsområden and the 7 LPOs of the city (both dissolved from the stadsdelar by the bundled
crosswalk with :func:`geo_trygg.derive_lpo`). The points are assigned to the three layers once,
before any timing (:func:`geo_trygg.assign_areas` with the crosswalk), so the library and the
baseline start from the same assigned frames.

Two workloads:

- ``year``: one call, ``period="2024"``, ``compare="previous_year"`` (2023);
- ``by month``: the twelve months ``"2024-01"`` ... ``"2024-12"``, each with
  ``compare="previous_year"`` (the same month of 2023): a monthly lägesbild through the year.
  The library makes them in one call, ``build_lagesbilder(..., periods=split_period("2024",
  "month"))``; twelve ``build_lagesbild`` calls are timed beside it for comparison.

Each is timed in the same run for the library and for two bare pandas pipelines that compute
only the counts - for events and findings, each period and its comparison period, each level:
the points per (area, category), and the points outside every area and too coarse for the
level:

- *per period*: local times once, then for each period and its comparison period select the
  rows and ``groupby([level, "category"]).size()`` per level (the library's shape of work);
- *one pass*: one ``groupby([month or year, level, "category"]).size()`` per level over every
  period at once (what one would write knowing all periods in advance).

``build_lagesbild`` does everything else too (zero rows for empty area x category cells, exact
tests, Benjamini-Hochberg, labels, rates per km², totals, follow-up of findings, overdue list,
weekday x hour profile with aoristic weighting, weekly series, concentration, priorities). The
script checks that the library's counts equal both baselines', cell by cell.

Run::

    .venv/bin/python benchmarks/bench_lagesbild.py                 # full size, 3 repeats
    .venv/bin/python benchmarks/bench_lagesbild.py --events 200000 --findings 5000 --profile

It prints the machine, the library versions and a Markdown table: per workload and method the
median seconds, the time relative to each baseline of the same workload, and every run. The
methods of a workload run in turn in each round, so a change in the machine's load hits all of
them alike. It exits 1 when the library's counts differ from a baseline's.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _machine import machine_lines, timed  # benchmarks/_machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
STADSDELAR = SHARED / "stockholm_stadsdelar" / "shapefiles_fullsize" / "stadsdelar.shp"
CRS = "EPSG:3006"
TZ = "Europe/Stockholm"
SEED = 20240305
AT = "2024-12-31"
LEVELS = ("stadsdel", "stadsdelsomrade", "lpo")
COARSE = ("too_coarse", "ambiguous_name", "name_conflict")  # as geo_trygg.lagesbild._counts

# event categories (docs/data-model.md) with rough relative frequencies
EVENT_CATEGORIES = {
    "theft": 22,
    "violence": 12,
    "traffic": 10,
    "vandalism": 9,
    "burglary": 8,
    "disorder": 8,
    "drugs": 6,
    "fraud": 5,
    "threats": 5,
    "accident": 4,
    "fire": 3,
    "robbery": 2,
    "information": 2,
    "weapons": 1,
    "sexual_offence": 1,
    "other": 2,
}
FINDING_CATEGORIES = {
    "lighting": 25,
    "vegetation": 15,
    "hiding_places": 8,
    "litter": 12,
    "graffiti_vandalism": 10,
    "broken_equipment": 8,
    "traffic": 8,
    "empty_premises": 4,
    "drugs": 3,
    "other": 7,
}
ACTORS = (
    "stadsdelsforvaltning",
    "trafikkontoret",
    "fastighetsagare",
    "sl",
    "bostadsbolag",
    "polis",
)


# --- data ------------------------------------------------------------------------------------


def load_layers() -> tuple[list[gpd.GeoDataFrame], pd.DataFrame]:
    """The stadsdelar, and the stadsdelsområden and LPOs dissolved from them on ``AT``."""
    import geo_trygg as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        stadsdelar = gt.read_areas(STADSDELAR, source="stockholm-stadsdelar").accepted
        crosswalk = gt.load_crosswalk()
        omraden = gt.derive_lpo(stadsdelar, crosswalk=crosswalk, at=AT, level="stadsdelsomrade")
        lpo = gt.derive_lpo(stadsdelar, crosswalk=crosswalk, at=AT, level="lpo")
    return [stadsdelar, omraden, lpo], crosswalk


def _points(
    rng: np.random.Generator, union: Any, n: int, share_inside: float
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points, ``share_inside`` of them inside ``union``, the rest within 3 km outside."""
    shapely.prepare(union)
    x0, y0, x1, y1 = union.bounds
    n_in = round(share_inside * n)

    def draw(count: int, box: tuple[float, float, float, float], inside: bool) -> np.ndarray:
        got, have = [], 0
        while have < count:
            x = rng.uniform(box[0], box[2], 2 * count)
            y = rng.uniform(box[1], box[3], 2 * count)
            hit = shapely.contains_xy(union, x, y)
            keep = hit if inside else ~shapely.intersects_xy(union, x, y)
            got.append(np.column_stack([x[keep], y[keep]]))
            have += int(keep.sum())
        return np.concatenate(got)[:count] if got else np.empty((0, 2))

    inner = draw(n_in, (x0, y0, x1, y1), True)
    outer = draw(n - n_in, (x0 - 3000, y0 - 3000, x1 + 3000, y1 + 3000), False)
    xy = np.concatenate([inner, outer])[rng.permutation(n)]
    return xy[:, 0], xy[:, 1]


def _draw_times(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    """``n`` local times in 2023-2024, more in the evening than at night (whole minutes)."""
    days = rng.integers(0, 731, n)  # 2023-01-01 ... 2024-12-31
    hour_weights = np.array(
        [3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 6, 5, 4, 3]
    )
    hours = rng.choice(24, n, p=hour_weights / hour_weights.sum())
    minutes = rng.integers(0, 60, n)
    naive = (
        np.datetime64("2023-01-01")
        + days.astype("timedelta64[D]")
        + hours.astype("timedelta64[h]")
        + minutes.astype("timedelta64[m]")
    )
    return pd.DatetimeIndex(naive.astype("datetime64[ns]")).tz_localize(
        TZ, ambiguous=True, nonexistent="shift_forward"
    )


def make_events(union: Any, n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """Canonical events (docs/data-model.md): 85 % exact points (95 % of them inside the city),
    15 % known only to kommun level (at the city's centroid); 20 % with a time window."""
    rng = np.random.default_rng(seed)
    x, y = _points(rng, union, n, 0.95)
    coarse = rng.random(n) < 0.15
    centre = union.centroid
    x[coarse], y[coarse] = centre.x, centre.y
    time_from = _draw_times(rng, n)
    window = rng.random(n) < 0.2
    minutes = np.where(window, rng.integers(30, 48 * 60, n), 0)
    time_to = time_from + pd.to_timedelta(minutes, unit="min")
    names = np.array(list(EVENT_CATEGORIES), dtype=object)
    p = np.array(list(EVENT_CATEGORIES.values()), dtype=float)
    return gpd.GeoDataFrame(
        {
            "event_id": np.char.add("e", np.arange(n).astype(str)).astype(object),
            "time_from": time_from,
            "time_to": time_to,
            "category": names[rng.choice(len(names), n, p=p / p.sum())],
            "location_precision": np.where(coarse, "kommun", "exact").astype(object),
            "kommun": np.full(n, "Stockholm", dtype=object),
            "text": np.full(n, "", dtype=object),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=CRS,
    )


def make_findings(union: Any, n: int, seed: int = SEED + 1) -> gpd.GeoDataFrame:
    """Canonical findings (docs/data-model.md): walks of 20 findings in 2023-2024, inside the
    city, with statuses, deadlines and status dates."""
    rng = np.random.default_rng(seed)
    x, y = _points(rng, union, n, 1.0)
    walk = np.arange(n) // 20
    walk_day = rng.integers(0, 731, walk.max() + 1)[walk]
    walk_date = np.datetime64("2023-01-01") + walk_day.astype("timedelta64[D]")
    status = rng.choice(["new", "in_progress", "done", "rejected"], n, p=[0.3, 0.2, 0.4, 0.1])
    deadline = walk_date + rng.integers(14, 180, n).astype("timedelta64[D]")
    status_date = walk_date + rng.integers(0, 240, n).astype("timedelta64[D]")
    status_date = np.where(status == "new", walk_date, status_date)
    names = np.array(list(FINDING_CATEGORIES), dtype=object)
    p = np.array(list(FINDING_CATEGORIES.values()), dtype=float)
    return gpd.GeoDataFrame(
        {
            "finding_id": np.char.add("f", np.arange(n).astype(str)).astype(object),
            "walk_id": np.char.add("w", walk.astype(str)).astype(object),
            "walk_date": walk_date.astype("datetime64[ns]"),
            "category": names[rng.choice(len(names), n, p=p / p.sum())],
            "severity": pd.array(rng.integers(1, 4, n), dtype="Int64"),
            "responsible_actor": np.array(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), n)],
            "status": status.astype(object),
            "deadline": deadline.astype("datetime64[ns]"),
            "status_date": status_date.astype("datetime64[ns]"),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=CRS,
    )


# --- methods ---------------------------------------------------------------------------------


def run_library(
    findings: gpd.GeoDataFrame,
    events: gpd.GeoDataFrame,
    layers: list[gpd.GeoDataFrame],
    crosswalk: pd.DataFrame,
    periods: list[str],
) -> list[Any]:
    """One ``build_lagesbild`` call per period."""
    from geo_trygg.lagesbild import build_lagesbild

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for period in periods:
            out.append(
                build_lagesbild(
                    findings,
                    events,
                    areas=layers,
                    by=LEVELS,
                    period=period,
                    compare="previous_year",
                    crosswalk=crosswalk,
                )
            )
    return out


def run_library_many(
    findings: gpd.GeoDataFrame,
    events: gpd.GeoDataFrame,
    layers: list[gpd.GeoDataFrame],
    crosswalk: pd.DataFrame,
    periods: list[str],
) -> list[Any]:
    """All periods in one ``build_lagesbilder`` call."""
    from geo_trygg.lagesbild import build_lagesbilder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        many = build_lagesbilder(
            findings,
            events,
            areas=layers,
            by=LEVELS,
            periods=periods,
            compare="previous_year",
            crosswalk=crosswalk,
        )
    return list(many.values())


COLUMNS = ["category", *LEVELS, *(f"{level}_reason" for level in LEVELS)]


def _local_times(frame: pd.DataFrame, time_col: str) -> np.ndarray:
    """Local (Europe/Stockholm) clock times as naive datetime64[ns]: once per input."""
    times = frame[time_col]
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(TZ).dt.tz_localize(None)
    return times.to_numpy(dtype="datetime64[ns]")


def _span(period: str) -> np.datetime64:
    """A period label as a numpy month ("2024-03") or year ("2024")."""
    return np.datetime64(period, "M" if "-" in period else "Y")


def _buckets(part: pd.DataFrame, level: str) -> tuple[int, int]:
    no_area = part[level].isna()
    coarse = no_area & part[f"{level}_reason"].isin(COARSE)
    return int(coarse.sum()), int((no_area & ~coarse).sum())


def baseline_per_period(frame: pd.DataFrame, time_col: str, periods: list[str]) -> dict[Any, Any]:
    """Per period and its comparison period (a year earlier): select the rows, then per level
    count per (area, category) and the points outside every area / too coarse for the level."""
    local = _local_times(frame, time_col)
    data = pd.DataFrame(frame[COLUMNS])
    out: dict[Any, Any] = {}
    for period in periods:
        span = _span(period)
        for which, key in (("now", span), ("compare", span - (12 if "-" in period else 1))):
            start = key.astype("datetime64[ns]")
            end = (key + 1).astype("datetime64[ns]")
            part = data[(local >= start) & (local < end)]
            for level in LEVELS:
                counts = part.groupby([level, "category"], sort=False).size()
                out[period, which, level] = (counts, *_buckets(part, level))
    return out


def baseline_one_pass(frame: pd.DataFrame, time_col: str, periods: list[str]) -> dict[Any, Any]:
    """All periods at once: one groupby per level over (month or year, area, category), and
    one over (month or year, bucket) for the points without an area."""
    unit = "M" if "-" in periods[0] else "Y"
    keys = np.array([_span(p) for p in periods])
    wanted = np.concatenate([keys, keys - (12 if unit == "M" else 1)])
    span = _local_times(frame, time_col).astype(f"datetime64[{unit}]")
    keep = np.isin(span, wanted)
    data = pd.DataFrame(frame.loc[keep, COLUMNS]).assign(span=span[keep])
    out: dict[Any, Any] = {}
    for level in LEVELS:
        counts = data.groupby(["span", level, "category"], sort=False).size()
        no_area = data[data[level].isna()]
        coarse = no_area[f"{level}_reason"].isin(COARSE).rename("coarse")
        out[level] = (counts, no_area.groupby(["span", coarse], sort=False).size())
    return out


def run_baseline(
    findings: gpd.GeoDataFrame,
    events: gpd.GeoDataFrame,
    periods: list[str],
    how: Callable[[pd.DataFrame, str, list[str]], dict[Any, Any]],
) -> dict[str, dict[Any, Any]]:
    return {
        "events": how(events, "time_from", periods),
        "findings": how(findings, "walk_date", periods),
    }


def per_period_view(
    one_pass: dict[str, dict[Any, Any]], periods: list[str]
) -> dict[str, dict[Any, Any]]:
    """The one-pass result in the per-period layout (for the agreement check; untimed)."""
    out: dict[str, dict[Any, Any]] = {}
    for kind, by_level in one_pass.items():
        out[kind] = {}
        for level, (counts, buckets) in by_level.items():
            for period in periods:
                span = _span(period)
                for which, key in (
                    ("now", span),
                    ("compare", span - (12 if "-" in period else 1)),
                ):
                    cells = counts[counts.index.get_level_values("span") == key].droplevel("span")
                    b = buckets[buckets.index.get_level_values("span") == key].droplevel("span")
                    out[kind][period, which, level] = (
                        cells,
                        int(b.get(True, 0)),
                        int(b.get(False, 0)),
                    )
    return out


def check_agreement(
    lagesbilder: list[Any], baseline: dict[str, dict[Any, Any]], periods: list[str]
) -> bool:
    """The library's counts equal the baseline's, cell by cell (nonzero cells and buckets)."""
    ok = True
    for period, lb in zip(periods, lagesbilder, strict=True):
        table = lb.areas
        for kind, counted in baseline.items():
            for level in LEVELS:
                part = table[(table["kind"] == kind) & (table["level"] == level)]
                for which, column in (("now", "n"), ("compare", "n_compare")):
                    counts, n_coarse, n_outside = counted[period, which, level]
                    cells = part[part["bucket"] == "area"].set_index(["area", "category"])[column]
                    cells = cells[cells > 0]
                    buckets = part.groupby("bucket")[column].sum()
                    if not (
                        cells.to_dict() == counts.to_dict()
                        and int(buckets.get("too_coarse", 0)) == n_coarse
                        and int(buckets.get("outside", 0)) == n_outside
                    ):
                        print(f"MISMATCH: {period} {kind} {level} {which}", file=sys.stderr)
                        ok = False
    return ok


# --- reporting -------------------------------------------------------------------------------


def machine() -> list[str]:
    return machine_lines(["pandas", "numpy", "scipy", "geopandas", "shapely"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="number of events")
    parser.add_argument("--findings", type=int, default=20_000, help="number of findings")
    parser.add_argument("--repeats", type=int, default=3, help="runs per method (>= 3)")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of one library run per workload"
    )
    args = parser.parse_args(argv)
    if args.repeats < 3:
        parser.error("--repeats must be at least 3")
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2

    import geo_trygg as gt

    layers, crosswalk = load_layers()
    union = shapely.union_all(layers[0].geometry.to_numpy())
    start = time.perf_counter()
    events = make_events(union, args.events)
    findings = make_findings(union, args.findings)
    made = time.perf_counter() - start
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        events = gt.assign_areas(events, *layers, crosswalk=crosswalk, at=AT)
        findings = gt.assign_areas(findings, *layers, crosswalk=crosswalk, at=AT)
    assigned = time.perf_counter() - start

    print("\n".join(machine()))
    print(
        f"- {len(events):,} events and {len(findings):,} findings (seed {SEED}, made in "
        f"{made:.1f} s, assigned once in {assigned:.1f} s, untimed); layers: "
        + ", ".join(f"{len(layer)} {layer['level'].iat[0]}" for layer in layers)
        + f"; {args.repeats} repeats, median"
    )
    print()

    workloads = {
        'year: period="2024"': ["2024"],
        "by month: the 12 months of 2024": [f"2024-{m:02d}" for m in range(1, 13)],
    }
    lib, lib_calls, per_period, one_pass = (
        "build_lagesbild (geo_trygg)",
        "12 × build_lagesbild (geo_trygg), one call per month",
        "baseline: per period, pandas groupby",
        "baseline: one pass over all periods, pandas groupby",
    )
    rows = []
    ok = True
    for name, periods in workloads.items():
        monthly = len(periods) > 1
        main_run = run_library_many if monthly else run_library
        label = "build_lagesbilder (geo_trygg), one call" if monthly else lib
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            main_run(findings, events, layers, crosswalk, periods)
            profiler.disable()
            print(f"### cProfile, {name}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        methods = {label: partial(main_run, findings, events, layers, crosswalk, periods)}
        if monthly:
            methods[lib_calls] = partial(run_library, findings, events, layers, crosswalk, periods)
        methods[per_period] = partial(run_baseline, findings, events, periods, baseline_per_period)
        methods[one_pass] = partial(run_baseline, findings, events, periods, baseline_one_pass)
        results = timed(methods, args.repeats)
        for method in (label, lib_calls) if monthly else (label,):
            lbs = results[method][1]
            ok &= check_agreement(lbs, results[per_period][1], periods)
            ok &= check_agreement(lbs, per_period_view(results[one_pass][1], periods), periods)
        medians = {label: statistics.median(times) for label, (times, _) in results.items()}
        for label, (times, _) in results.items():
            t = medians[label]
            rows.append((name, label, t, t / medians[per_period], t / medians[one_pass], times))

    print(
        "| workload | method | median s | × per-period baseline | × one-pass baseline | runs s |"
    )
    print("|---|---|---:|---:|---:|---|")
    for name, method, t, r1, r2, runs in rows:
        shown = ", ".join(f"{r:.2f}" for r in runs)
        print(f"| {name} | {method} | {t:.3f} | {r1:.2f} | {r2:.2f} | {shown} |")
    print()
    print(f"counts agree with both baselines, cell by cell: {'yes' if ok else 'NO'}")
    for name, method, _, r1, r2, _ in rows:
        if "(geo_trygg)" in method:
            print(
                f"{name}: {method} takes {r1:.2f}× the per-period baseline's time and "
                f"{r2:.2f}× the one-pass baseline's (goal <= 2 for the one-call methods)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
