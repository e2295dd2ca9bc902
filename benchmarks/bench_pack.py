"""Benchmark: a whole meeting pack for Stockholm's 11 stadsdelsområden and 7 LPOs.

Workload (seeded, written to a temporary folder before any timing): the 117 stadsdelar
(``../shared/data``) and the 11 stadsdelsområden and 7 LPOs of 2024 dissolved from them with
the bundled crosswalk (one GeoPackage, three layers); 1,000,000 events over 2024 (a
GeoPackage; 85 % exact locations, 15 % known only to the kommun) and 20,000 walk findings; a
configuration with pages for every stadsdelsområde and LPO, period 2024-12 against 2024-11.

Timed, one run each, in this order: ``build_pack`` with ``jobs=1`` and PNGs off; ``jobs=2``,
PNGs off; ``jobs=2``, PNGs on (headless Chromium); then a re-run with nothing changed; then
the same pack with ``privacy = "public"`` (counts only, small counts suppressed), against
``jobs=2`` internal. With ``--stadsdelar`` instead: a page for each of the 117 stadsdelar,
``jobs=2``, PNGs off and then on (issue 14: the PNGs within 3× of the pack without).
Run::

    .venv/bin/python benchmarks/bench_pack.py
    .venv/bin/python benchmarks/bench_pack.py --events 200000
    .venv/bin/python benchmarks/bench_pack.py --events 200000 --stadsdelar
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
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
SEED = 20240305
AT = "2024-12-31"

CONFIG = """
title = "Lägesbild Stockholm (benchmark)"
period = "2024-12"
compare = "previous"
pages = ["stadsdelsomrade", "lpo"]
png = {png}

[inputs]
events = "events.gpkg"
findings = "findings.gpkg"
areas = [
  {{ path = "areas.gpkg", layer = "stadsdel" }},
  {{ path = "areas.gpkg", layer = "stadsdelsomrade" }},
  {{ path = "areas.gpkg", layer = "lpo" }},
]
"""


def prepare(folder: Path, n_events: int, n_findings: int) -> None:
    import geo_trygg as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        stadsdelar = gt.read_areas(STADSDELAR, source="stockholm-stadsdelar").accepted
        cw = gt.load_crosswalk()
        layers = {
            "stadsdel": stadsdelar,
            "stadsdelsomrade": gt.derive_lpo(
                stadsdelar, crosswalk=cw, at=AT, level="stadsdelsomrade"
            ),
            "lpo": gt.derive_lpo(stadsdelar, crosswalk=cw, at=AT, level="lpo"),
        }
    for name, layer in layers.items():
        keep = layer[["area_id", "name", "level", "geometry"]]
        keep.to_file(folder / "areas.gpkg", layer=name, driver="GPKG")
    union = shapely.union_all(stadsdelar.geometry.to_numpy())
    rng = np.random.default_rng(SEED)

    xy = points_on(rng, union, n_events)
    coarse = rng.random(n_events) < 0.15
    xy[coarse] = [union.centroid.x, union.centroid.y]
    hours = rng.integers(0, 366 * 24, n_events)
    times = (pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, unit="h")).strftime(
        "%Y-%m-%d %H:%M"
    )
    gpd.GeoDataFrame(
        {
            "id": [f"E{i}" for i in range(n_events)],
            "tid_fran": times,
            "typ": rng.choice(["Stöld", "Misshandel", "Skadegörelse", "Inbrott"], n_events),
            "platsprecision": np.where(coarse, "kommun", "exakt"),
            "kommun": "Stockholm",
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=stadsdelar.crs,
    ).to_file(folder / "events.gpkg", driver="GPKG")
    fxy = points_on(rng, union, n_findings)
    walk = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 280, n_findings), unit="D")
    gpd.GeoDataFrame(
        {
            "vandring": [f"V{i // 20}" for i in range(n_findings)],
            "datum": walk.strftime("%Y-%m-%d"),
            "kategori": rng.choice(
                ["Belysning", "Buskage", "Nedskräpning", "Klotter"], n_findings
            ),
            "beskrivning": rng.choice(["Trasig lampa vid gångvägen", "Skymd sikt"], n_findings),
            "ansvarig": rng.choice(["Trafikkontoret", "SL", "Stadsdelsförvaltningen"], n_findings),
            "status": rng.choice(["Ny", "Pågående", "Åtgärdad"], n_findings),
            "åtgärdsdatum": (walk + pd.Timedelta(days=60)).strftime("%Y-%m-%d"),
        },
        geometry=gpd.points_from_xy(fxy[:, 0], fxy[:, 1]),
        crs=stadsdelar.crs,
    ).to_file(folder / "findings.gpkg", driver="GPKG")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument(
        "--stadsdelar",
        action="store_true",
        help="only a pack of the 117 stadsdelar, jobs=2, PNGs off and on",
    )
    args = parser.parse_args(argv)
    if not STADSDELAR.exists():
        print(f"shared data not found: {STADSDELAR}", file=sys.stderr)
        return 2
    from geo_trygg.pack import build_pack, load_config

    rows = []
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        start = time.perf_counter()
        prepare(folder, args.events, args.findings)
        made = time.perf_counter() - start
        runs = (
            ("jobs=1, PNGs off", "false", 1, "a"),
            ("jobs=2, PNGs off", "false", 2, "b"),
            ("jobs=2, PNGs on", "true", 2, "c"),
            ("re-run of the last, nothing changed", "true", 2, "c"),
            ("public (suppressed counts), jobs=2, PNGs off", "false", 2, "d"),
        )
        if args.stadsdelar:
            runs = (
                ("117 stadsdelar, jobs=2, PNGs off", "false", 2, "e"),
                ("117 stadsdelar, jobs=2, PNGs on", "true", 2, "f"),
            )
        for label, png, jobs, out in runs:
            text = CONFIG.format(png=png)
            if out in "ef":
                text = text.replace('["stadsdelsomrade", "lpo"]', '["stadsdel"]')
            if out == "d":
                text = text.replace("pages =", 'privacy = "public"\npages =')
            (folder / "pack.toml").write_text(text, encoding="utf-8")
            config, base = load_config(folder / "pack.toml")
            start = time.perf_counter()
            result = build_pack(config, base, folder / out, jobs=jobs)
            seconds = time.perf_counter() - start
            rows.append((label, seconds, len(result.pages), len(result.failed)))
            print(f"  {label}: {seconds:.1f} s", file=sys.stderr)
    print("\n".join(machine_lines(["pandas", "geopandas", "shapely", "folium"])))
    print(
        f"- {args.events:,} events and {args.findings:,} findings; "
        f"inputs written in {made:.0f} s (untimed)"
    )
    print()
    print("| run | seconds | pages | failed |")
    print("|---|---:|---:|---:|")
    for label, seconds, pages, failed in rows:
        print(f"| {label} | {seconds:.1f} | {pages} | {failed} |")
    if args.stadsdelar:
        print()
        print(
            f"117 stadsdelar, PNGs on / off (jobs=2): {rows[1][1] / rows[0][1]:.2f}× (goal ≤ 3×)"
        )
        return 0
    whole = rows[1][1]
    again = rows[3][1]
    print()
    print(f"whole pack, jobs=2, PNGs off: {whole:.1f} s (goal < 60 s)")
    print(f"re-run with nothing changed: {again:.2f} s (goal < 3 s)")
    print(f"public pack / internal pack (jobs=2, PNGs off): {rows[4][1] / whole:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
