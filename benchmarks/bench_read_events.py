"""Benchmark: read_events on a 1,000,000-row CSV against a bare pandas/pyproj pipeline.

Workload (seeded, written to a temporary folder, never to the repository):

- ``events.csv``: N events (default 1,000,000) as an office exports them (``demo_events.csv``
  style: UTF-8, ``;``, decimal comma): id, start ``2024-06-02 09:13`` over 2024, an end for
  20 %, one of 7 event types and 4 sources, place and text, latitude/longitude in WGS 84 over
  a 22 km x 22 km box around Stockholm.
- ``one_date.csv``: 50,900 events that all carry one date and no time (a bulk export with
  dates only), spread over the same box; and ``one_spot.csv``: the same rows all at one point
  (the adversarial case of the duplicate search).

Timed (median of ``--repeats`` runs after one warm-up, methods in turn each round):

- ``read_events(events.csv)``: everything the library does (encoding and separator
  detection, every row checked, times with the Swedish rules, coordinates inferred and
  converted, categories, duplicate groups);
- the baseline, ``bare``: ``pd.read_csv(sep=";", decimal=",")``, one ``pd.to_datetime`` of
  the start column with its format, one ``pyproj.Transformer`` (EPSG:4326 -> EPSG:3006) of
  the coordinates;
- ``read_events`` of the two one-date files.

Run::

    .venv/bin/python benchmarks/bench_read_events.py             # 1,000,000 rows, 3 repeats
    .venv/bin/python benchmarks/bench_read_events.py --quick     # 100,000 rows, 1 repeat

It prints the machine, the versions and a Markdown table (median seconds, rows per second,
time relative to the bare pipeline), and checks that read_events accepted every row and put
every point where the bare pipeline does (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
from _machine import machine_lines, timed  # benchmarks/_machine.py, beside this script

SEED = 20241115
TYPES = ["Skadegörelse", "Klotter", "Brand i soprum", "Bråk", "Inbrott", "Narkotikabrott", "Stöld"]
SOURCES = ["Polisen", "Vaktbolag", "Bostadsbolaget", "SL"]
BOX = (17.85, 59.23, 18.25, 59.43)  # lon/lat, about 22 km x 22 km around Stockholm


def _comma(values: np.ndarray) -> np.ndarray:
    return np.char.replace(np.round(values, 6).astype(str), ".", ",")


def _lon_lat(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(BOX[0], BOX[2], n), rng.uniform(BOX[1], BOX[3], n)


def write_events(path: Path, n: int, seed: int = SEED) -> None:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00") + rng.integers(0, 366 * 24 * 60, n).astype(
        "timedelta64[m]"
    )
    end = start + rng.integers(4 * 60, 15 * 60, n).astype("timedelta64[m]")
    has_end = rng.random(n) < 0.2
    lon, lat = _lon_lat(rng, n)
    frame = pd.DataFrame(
        {
            "id": [f"E-{i:07d}" for i in range(n)],
            "tid_fran": pd.Series(start).dt.strftime("%Y-%m-%d %H:%M"),
            "tid_till": pd.Series(end).dt.strftime("%Y-%m-%d %H:%M").where(has_end, ""),
            "typ": np.array(TYPES)[rng.integers(0, len(TYPES), n)],
            "kalla": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
            "plats": "Älvsjö centrum",
            "text": "Händelse vid centrum.",
            "lat": _comma(lat),
            "lon": _comma(lon),
        }
    )
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def write_one_date(path: Path, n: int, *, one_spot: bool, seed: int = SEED + 1) -> None:
    rng = np.random.default_rng(seed)
    lon, lat = _lon_lat(rng, n)
    if one_spot:
        lon, lat = np.full(n, 18.0106), np.full(n, 59.2781)
    frame = pd.DataFrame(
        {
            "id": [f"E-{i:07d}" for i in range(n)],
            "datum": "2024-11-15",
            "typ": np.array(TYPES)[rng.integers(0, 3, n)],
            "kalla": np.array(SOURCES)[rng.integers(0, 2, n)],
            "lat": _comma(lat),
            "lon": _comma(lon),
        }
    )
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def run_read_events(path: Path) -> object:
    from geo_trygg.io.readers import read_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_events(path)


def run_bare(path: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    frame = pd.read_csv(path, sep=";", decimal=",", dtype={"id": str})
    frame["tid_fran"] = pd.to_datetime(frame["tid_fran"], format="%Y-%m-%d %H:%M")
    to_sweref = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    x, y = to_sweref.transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return frame, x, y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows of events.csv")
    parser.add_argument("--repeats", type=int, default=3, help="runs per method")
    parser.add_argument("--quick", action="store_true", help="100,000 rows, 1 repeat")
    args = parser.parse_args(argv)
    n, repeats = (100_000, 1) if args.quick else (args.n, args.repeats)
    one_date_rows = 50_900
    print(
        "\n".join(machine_lines(["geo_trygg", "numpy", "pandas", "pyarrow", "pyproj", "shapely"]))
    )
    with tempfile.TemporaryDirectory() as tmp:
        events, one_date, one_spot = (
            Path(tmp) / "events.csv",
            Path(tmp) / "one_date.csv",
            Path(tmp) / "one_spot.csv",
        )
        write_events(events, n)
        write_one_date(one_date, one_date_rows, one_spot=False)
        write_one_date(one_spot, one_date_rows, one_spot=True)
        methods = {
            "bare: read_csv + to_datetime + Transformer": lambda: run_bare(events),
            f"read_events, {n:,} rows": lambda: run_read_events(events),
            f"read_events, {one_date_rows:,} rows of one date": lambda: run_read_events(one_date),
            f"read_events, {one_date_rows:,} rows of one date at one spot": lambda: (
                run_read_events(one_spot)
            ),
        }
        results = timed(methods, repeats)
        labels = list(methods)
        bare = statistics.median(results[labels[0]][0])
        print()
        print(f"| method | rows | median s | rows/s | × bare ({n:,} rows) |")
        print("|---|---:|---:|---:|---:|")
        for label, (times, _) in results.items():
            rows = one_date_rows if "one date" in label else n
            median = statistics.median(times)
            ratio = f"{median / bare:.2f}" if rows == n else "-"
            print(f"| {label} | {rows:,} | {median:.2f} | {rows / median / 1e6:.2f} M | {ratio} |")
        print(f"\nruns: { {k: [round(t, 2) for t in v[0]] for k, v in results.items()} }")

        # the same rows, the same points
        result = results[labels[1]][1]
        _, x, y = results[labels[0]][1]
        accepted = result.accepted.sort_values("source_row")  # type: ignore[attr-defined]
        ok = len(accepted) == n
        if ok:
            dx = np.abs(accepted.geometry.x.to_numpy() - x).max()
            dy = np.abs(accepted.geometry.y.to_numpy() - y).max()
            ok = bool(dx < 1e-6 and dy < 1e-6)
            print(f"check: {n:,} rows accepted; largest point difference {max(dx, dy):.1e} m")
        groups = results[labels[3]][1].accepted["duplicate_group"]  # type: ignore[attr-defined]
        print(f"one spot: {groups.notna().sum():,} rows in {groups.nunique()} duplicate group(s)")
        if not ok:
            print("check failed: read_events and the bare pipeline disagree", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
