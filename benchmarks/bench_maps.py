"""Benchmark: map HTML size, build time and time-to-rendered against folium's defaults.

Workload (seeded): Stockholm's 117 stadsdelar (``../shared/data``), a lägesbild of 2024 by
stadsdel, and 1,000 / 10,000 / 100,000 / 1,000,000 events (85 % exact locations on the city, 15
% known only to the kommun) plus 20,000 walk findings with descriptions.

Methods, per size, in the same run:

- **geo_trygg, events only**: ``lagesbild_map(lb, events=…)`` saved with ``save_map`` (at the
  defaults: assets referenced, as folium does) — build seconds and HTML bytes; and the same map
  saved self-contained, opened offline in headless Chromium: seconds to rendered (Leaflet's
  load event plus two animation frames);
- **geo_trygg, events + 20,000 findings**: the same with the findings layer; bytes per finding
  beyond its own text (id and description);
- **baseline: folium CircleMarker per event** and **baseline: folium MarkerCluster** over the
  same events (with the same boundaries as a ``folium.GeoJson``), built, saved and rendered the
  same way — only up to 100,000 events (1,000,000 folium markers take many minutes and about
  0.5 GB of HTML).

It prints the machine, the versions and a Markdown table. Run::

    .venv/bin/python benchmarks/bench_maps.py            # all sizes
    .venv/bin/python benchmarks/bench_maps.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _machine import machine_lines, points_on  # benchmarks/_machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the headless-browser helpers of the test suite
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
STADSDELAR = SHARED / "stockholm_stadsdelar" / "shapefiles_fullsize" / "stadsdelar.shp"
SEED = 20240305
TZ = "Europe/Stockholm"
BASELINE_MAX = 100_000
WORDS = (
    "Trasig belysning vid gångvägen",
    "Buskage skymmer sikten mot busshållplatsen",
    "Klotter på elskåpet",
    "Skräp och glas vid lekplatsen",
    "Mörk passage under bron",
)


def load() -> gpd.GeoDataFrame:
    import geo_trygg as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        return gt.read_areas(STADSDELAR, source="stockholm-stadsdelar").accepted


def make_events(union: Any, n: int, crs: Any) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(SEED)
    xy = points_on(rng, union, n)
    coarse = rng.random(n) < 0.15
    xy[coarse] = [union.centroid.x, union.centroid.y]
    days = rng.integers(0, 366, n)
    times = pd.DatetimeIndex(
        pd.Timestamp("2024-01-01") + pd.to_timedelta(days * 1440 + 720, unit="min")
    ).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "time_from": times,
            "time_to": times,
            "category": "theft",
            "location_precision": np.where(coarse, "kommun", "exact").astype(object),
            "kommun": "Stockholm",
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=crs,
    )


def make_findings(union: Any, n: int, crs: Any) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(SEED + 1)
    xy = points_on(rng, union, n)
    return gpd.GeoDataFrame(
        {
            "finding_id": [f"TV-2024-{i:05d}" for i in range(n)],
            "walk_date": pd.to_datetime("2024-05-02")
            + pd.to_timedelta(rng.integers(0, 120, n), unit="D"),
            "category": rng.choice(["lighting", "vegetation", "litter", "graffiti_vandalism"], n),
            "description": rng.choice(WORDS, n),
            "responsible_actor": rng.choice(["trafikkontoret", "sl", "fastighetsagare"], n),
            "status": rng.choice(["new", "in_progress", "done"], n),
            "deadline": pd.to_datetime("2024-09-01"),
            "status_date": pd.to_datetime("2024-05-02"),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=crs,
    )


def folium_baseline(stadsdelar: gpd.GeoDataFrame, events: gpd.GeoDataFrame, how: str) -> Any:
    """folium's defaults: one CircleMarker per event, or a MarkerCluster of markers."""
    import folium
    from folium import plugins

    wgs = stadsdelar.to_crs("EPSG:4326")
    m = folium.Map(tiles=None, max_zoom=19)
    folium.GeoJson(wgs[["name", "geometry"]], name="stadsdelar").add_to(m)
    pts = events[events["location_precision"] == "exact"].to_crs("EPSG:4326")
    lat, lon = pts.geometry.y.to_numpy(), pts.geometry.x.to_numpy()
    target = plugins.MarkerCluster().add_to(m) if how == "cluster" else m
    for a, b in zip(lat, lon, strict=True):
        if how == "cluster":
            folium.Marker([a, b]).add_to(target)
        else:
            folium.CircleMarker([a, b], radius=3).add_to(target)
    m.fit_bounds([[lat.min(), lon.min()], [lat.max(), lon.max()]])
    return m


def rendered_seconds(browser: Any, path: Path) -> float:
    from browser import goto, new_page, wait_rendered

    page, log = new_page(browser)
    try:
        start = time.perf_counter()
        goto(page, path)
        wait_rendered(page, timeout_ms=180_000)
        seconds = time.perf_counter() - start
    finally:
        page.context.close()
    if log.problems():
        print(f"  problems in {path.name}: {log.problems()[:3]}", file=sys.stderr)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--findings", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2

    from browser import launch

    from geo_trygg.lagesbild import build_lagesbild
    from geo_trygg.maps import lagesbild_map, map_html
    from geo_trygg.maps._assets import inline_assets
    from geo_trygg.maps._html import stable_ids

    stadsdelar = load()
    union = shapely.union_all(stadsdelar.geometry.to_numpy())
    findings = make_findings(union, args.findings, stadsdelar.crs)
    text_bytes = sum(len(s.encode()) for s in findings["finding_id"]) + sum(
        len(s.encode()) for s in findings["description"]
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp, launch() as browser, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        for n in args.sizes:
            events = make_events(union, n, stadsdelar.crs)
            lb = build_lagesbild(
                events=events, areas=stadsdelar, by="stadsdel", period="2024", compare=None
            )

            def ours(with_findings: bool, events: Any = events, lb: Any = lb) -> Any:
                return lagesbild_map(
                    lb, events=events, findings=findings if with_findings else None
                )

            methods: dict[str, Callable[[], Any]] = {
                "geo_trygg: events only": lambda: ours(False),
                f"geo_trygg: events + {len(findings):,} findings": lambda: ours(True),
            }
            if n <= BASELINE_MAX:
                methods["baseline: folium CircleMarker per event"] = lambda events=events: (
                    folium_baseline(stadsdelar, events, "circle")
                )
                methods["baseline: folium MarkerCluster"] = lambda events=events: folium_baseline(
                    stadsdelar, events, "cluster"
                )
            sizes: dict[str, int] = {}
            for label, build in methods.items():
                start = time.perf_counter()
                m = build()
                html = (
                    map_html(m)
                    if label.startswith("geo_trygg")
                    else stable_ids(m.get_root().render())
                )
                built = time.perf_counter() - start
                sizes[label] = len(html.encode())
                path = folder / f"{n}-{len(sizes)}.html"
                path.write_text(inline_assets(html), encoding="utf-8")
                seconds = rendered_seconds(browser, path)
                rows.append((n, label, built, sizes[label], seconds))
                print(
                    f"  {n:,} {label}: {built:.1f} s, {sizes[label]:,} B, {seconds:.2f} s",
                    file=sys.stderr,
                )
            only, both = (sizes[label] for label in list(methods)[:2])
            per = (both - only - text_bytes) / len(findings)
            rows.append((n, "geo_trygg: bytes per finding beyond its text", None, per, None))

    print("\n".join(machine_lines(["folium", "branca", "shapely", "geopandas", "playwright"])))
    print(f"- Chromium: {os.popen('chromium --version 2>/dev/null').read().strip() or '?'}")
    print()
    print("| events | method | build s | HTML MB | rendered s |")
    print("|---:|---|---:|---:|---:|")
    for n, label, built, size, seconds in rows:
        if built is None:
            print(f"| {n:,} | {label} | | {size:.0f} B | |")
        else:
            print(f"| {n:,} | {label} | {built:.2f} | {size / 1e6:.2f} | {seconds:.2f} |")
    ok = all(
        size < 5e6 and seconds < 3
        for _, label, _, size, seconds in rows
        if label == "geo_trygg: events only"
    )
    budget = all(size <= 300 for _, label, _, size, _ in rows if "bytes per finding" in label)
    print()
    print(
        f"events-only maps under 5 MB and 3 s to rendered at every size: {'yes' if ok else 'NO'}"
    )
    print(f"findings within 300 bytes beyond their text: {'yes' if budget else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
