"""Benchmark: the register (geo_trygg.register) on GeoPackage and PostGIS against the plain
writes of the same rows, and a lägesbild from the register against one from the files.

Workloads (seeded numpy, written to a temporary folder, never to the repository; points
uniform in a 22 km x 22 km box of SWEREF 99 TM over Stockholm):

1. **Walks**: ``--walks`` (10) walk protocols of ``--walk-rows`` (2,000) rows each, CSV as an
   office writes them (``demo_findings.csv`` style: id, walk, day, category, description,
   priority, actor, status, deadline, status day, latitude/longitude with decimal comma). From
   the second walk on, a quarter of each walk's rows are findings of earlier walks that are
   still open, seen again within 2 m with the same category, so the merge does real work.
2. **Events**: ``--events`` (1,000,000) events as a GeoDataFrame with the event columns of
   ``docs/data-model.md`` in EPSG:3006 (over 2024; 20 % with a time window).
3. **Lägesbild**: ``--lagesbild-events`` (1,000,000) events over 2023-2024 in a CSV file as
   ``read_events`` reads them, and 36 generated square stadsdelar covering the box.

Timed (median of ``--walk-repeats`` (5) rounds for the walks, ``--repeats`` (3) for the
rest, the methods of a workload in turn in each round, so a change in the machine's load hits
them alike, after one untimed run of every workload at a tiny size; every store starts from
nothing: a new file, a new PostgreSQL schema — making those, and dropping them afterwards, is
not timed):

1. *Reading* the 10 CSV files with ``read_findings`` (the same reader serves both sides, so it
   is timed once, apart). *Store*: the 10 ``Register.import_walk`` calls, with
   ``read_findings`` answered from the readings made before (so the store time is the
   register's own: SHA-256 of the file, the merge with the open findings, findings,
   sightings, history, walks, the import rows, one transaction per walk). The goal's
   comparison: the imports into an existing, empty register (made before, untimed;
   ``open_register`` of it is timed) against the baseline ``GeoDataFrame.to_file`` (GPKG,
   pyogrio) / ``to_postgis`` (SQLAlchemy + GeoAlchemy2 over psycopg 3) of the same rows
   appended walk by walk to an existing, empty layer (made before, untimed): the same rows,
   arriving the same way, one write per walk. Also timed: the register made by
   ``open_register`` within the timed part; ``import_walk`` reading its files (what a user
   waits for); and one write of all 20,000 rows into a new layer (a different job: one
   transaction instead of ten), with every register time also given against it.
2. ``open_register`` + ``Register.add_events`` of the frame against ``to_file`` /
   ``to_postgis`` of the same frame.
3. From the files: ``read_events`` of the CSV + ``build_lagesbild``; from the register:
   ``open_register`` + ``Register.events()`` + the same ``build_lagesbild`` (the register was
   filled before, untimed, by ``Register.import_events`` of the same file), on GeoPackage and
   PostGIS. The script checks that both give the same ``areas`` table.

PostGIS: the URL comes from ``GEO_TRYGG_POSTGRES_URL`` (password from ``PGPASSWORD`` or
``~/.pgpass``); without it the PostGIS half is skipped with a line saying so. A local server:
``bash tools/postgres.sh start /tmp/pg-bench 54351`` and
``eval "$(bash tools/postgres.sh env /tmp/pg-bench 54351)"``.

Run::

    .venv/bin/python benchmarks/bench_register.py            # full size, 3 repeats
    .venv/bin/python benchmarks/bench_register.py --quick    # small sizes, 1 repeat
    .venv/bin/python benchmarks/bench_register.py --only events --profile

It prints the machine, the versions and a Markdown table per workload (median seconds and
the time relative to the baseline), and exits 1 when a check fails (rows lost, a merge that
did not happen, lägesbilder that differ).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from _machine import machine_lines  # benchmarks/_machine.py, beside this script

SEED = 20241207
CRS = "EPSG:3006"
BOX = (663_000.0, 6_569_000.0, 685_000.0, 6_591_000.0)
"""SWEREF 99 TM (E, N) of a 22 km x 22 km box over Stockholm."""
CATEGORIES = [
    "Dålig belysning",
    "Trasig lampa",
    "Gömställe",
    "Övergångsställe saknas",
    "Nedskräpning",
    "Klotter",
    "Klotter vid spärrarna",
    "Buskage skymmer sikten",
    "Trasig bänk",
    "Sprutor",
    "Hög hastighet",
    "Tomma lokaler",
]
ACTORS = ["Trafikkontoret", "Fastighetsägare", "SL", "Stadsdelsförvaltningen", "Bostadsbolaget"]
STATUSES = ["Ny", "Pågående", "Åtgärdad", "Avvisad"]
OPEN = ("Ny", "Pågående")
PRIORITIES = ["Låg", "Medel", "Hög"]
REPEAT_SHARE = 0.25
EVENT_TYPES = ["Skadegörelse", "Klotter", "Brand i soprum", "Bråk", "Inbrott", "Stöld", "Rån"]
EVENT_SOURCES = ["Polisen", "Vaktbolag", "Bostadsbolaget", "SL"]
CANONICAL_SOURCES = ["polis", "vaktbolag", "bostadsbolag", "kollektivtrafik"]
CANONICAL_CATEGORIES = ["vandalism", "graffiti", "fire", "disorder", "burglary", "theft"]
GRID = 6
"""The lägesbild's stadsdelar: GRID x GRID squares over the box."""

_TO_WGS84 = pyproj.Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


# --- data ------------------------------------------------------------------------------------


def _xy(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(BOX[0], BOX[2], n), rng.uniform(BOX[1], BOX[3], n)


def _comma(values: np.ndarray) -> np.ndarray:
    return np.char.replace(np.round(values, 7).astype(str), ".", ",")


def write_walks(folder: Path, walks: int, rows: int, seed: int = SEED) -> tuple[list[Path], int]:
    """The walk protocols (module docstring) and the number of rows planned as seen again."""
    rng = np.random.default_rng(seed)
    open_pool: list[tuple[float, float, str, str]] = []  # x, y, category, status
    paths, planned = [], 0
    for k in range(walks):
        day = np.datetime64("2024-01-08") + np.timedelta64(30 * k, "D")
        n_again = min(int(rows * REPEAT_SHARE), len(open_pool)) if k else 0
        picks = rng.choice(len(open_pool), n_again, replace=False) if n_again else []
        again = [open_pool[i] for i in picks]
        n_new = rows - n_again
        x, y = _xy(rng, n_new)
        cats = np.array(CATEGORIES, dtype=object)[rng.integers(0, len(CATEGORIES), n_new)]
        status = rng.choice(STATUSES, n_new, p=[0.35, 0.25, 0.3, 0.1]).astype(object)
        if again:
            ax, ay, acat, astatus = (np.array(v) for v in zip(*again, strict=True))
            angle = rng.uniform(0, 2 * np.pi, n_again)
            radius = rng.uniform(0, 2.0, n_again)
            x = np.concatenate([x, ax + radius * np.cos(angle)])
            y = np.concatenate([y, ay + radius * np.sin(angle)])
            cats = np.concatenate([cats, acat.astype(object)])
            status = np.concatenate([status, astatus.astype(object)])
        open_pool += [
            (float(a), float(b), str(c), str(s))
            for a, b, c, s in zip(x[:n_new], y[:n_new], cats[:n_new], status[:n_new], strict=True)
            if s in OPEN
        ]
        planned += n_again
        order = rng.permutation(rows)
        x, y, cats, status = x[order], y[order], cats[order], status[order]
        lon, lat = _TO_WGS84.transform(x, y)
        days_to_status = np.where(np.isin(status, OPEN[:1]), 0, rng.integers(1, 120, rows))
        frame = pd.DataFrame(
            {
                "id": [f"V{k + 1:02d}-{i + 1:04d}" for i in range(rows)],
                "vandring": f"Vandring {k + 1}",
                "datum": str(day),
                "kategori": cats,
                "beskrivning": np.char.add("Iakttagelse nummer ", np.arange(rows).astype(str)),
                "prioritet": np.array(PRIORITIES, dtype=object)[rng.integers(0, 3, rows)],
                "ansvarig": np.array(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), rows)],
                "status": status,
                "åtgärdsdatum": np.datetime_as_string(
                    day + rng.integers(30, 180, rows).astype("timedelta64[D]")
                ),
                "statusdatum": np.datetime_as_string(
                    day + days_to_status.astype("timedelta64[D]")
                ),
                "lat": _comma(np.asarray(lat)),
                "lon": _comma(np.asarray(lon)),
            }
        )
        path = folder / f"vandring_{k + 1:02d}.csv"
        frame.to_csv(path, sep=";", index=False, encoding="utf-8")
        paths.append(path)
    return paths, planned


def make_events(n: int, seed: int = SEED + 1) -> gpd.GeoDataFrame:
    """Events with the columns of docs/data-model.md in EPSG:3006 over 2024."""
    rng = np.random.default_rng(seed)
    x, y = _xy(rng, n)
    start = pd.Timestamp("2024-01-01", tz="Europe/Stockholm")
    time_from = start + pd.to_timedelta(rng.integers(0, 366 * 24 * 60, n), unit="min")
    window = rng.random(n) < 0.2
    time_to = time_from + pd.to_timedelta(
        np.where(window, rng.integers(30, 48 * 60, n), 0), unit="min"
    )
    published = time_from + pd.to_timedelta(rng.integers(10, 600, n), unit="min")
    source = np.array(CANONICAL_SOURCES, dtype=object)[rng.integers(0, 4, n)]
    return gpd.GeoDataFrame(
        {
            "event_id": np.char.add("E-", np.arange(n).astype(str)).astype(object),
            "source": source,
            "time_from": time_from,
            "time_to": time_to,
            "published": published,
            "category": np.array(CANONICAL_CATEGORIES, dtype=object)[rng.integers(0, 6, n)],
            "source_type": np.array(EVENT_TYPES, dtype=object)[rng.integers(0, 7, n)],
            "location_precision": np.full(n, "exact", dtype=object),
            "location_name": np.full(n, "Stockholm", dtype=object),
            "kommun": np.full(n, "Stockholm", dtype=object),
            "duplicate_group": np.full(n, None, dtype=object),
            "text": np.full(n, "Händelse vid centrum.", dtype=object),
            "url": np.full(n, None, dtype=object),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=CRS,
    )


def write_event_csv(path: Path, n: int, seed: int = SEED + 2) -> None:
    """Events over 2023-2024 as an office exports them (``bench_read_events.py`` style)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01T00:00") + rng.integers(0, 731 * 24 * 60, n).astype(
        "timedelta64[m]"
    )
    end = start + rng.integers(30, 15 * 60, n).astype("timedelta64[m]")
    has_end = rng.random(n) < 0.2
    lon, lat = _TO_WGS84.transform(*_xy(rng, n))
    frame = pd.DataFrame(
        {
            "id": [f"E-{i:07d}" for i in range(n)],
            "tid_fran": pd.Series(start).dt.strftime("%Y-%m-%d %H:%M"),
            "tid_till": pd.Series(end).dt.strftime("%Y-%m-%d %H:%M").where(has_end, ""),
            "typ": np.array(EVENT_TYPES)[rng.integers(0, len(EVENT_TYPES), n)],
            "kalla": np.array(EVENT_SOURCES)[rng.integers(0, len(EVENT_SOURCES), n)],
            "plats": "Centrum",
            "text": "Händelse vid centrum.",
            "lat": _comma(np.asarray(lat)),
            "lon": _comma(np.asarray(lon)),
        }
    )
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def make_areas() -> gpd.GeoDataFrame:
    """GRID x GRID square stadsdelar covering the box."""
    w, h = (BOX[2] - BOX[0]) / GRID, (BOX[3] - BOX[1]) / GRID
    rows = [
        {
            "area_id": f"S{i}{j}",
            "name": f"Stadsdel {i}{j}",
            "level": "stadsdel",
            "geometry": shapely.box(
                BOX[0] + j * w, BOX[1] + i * h, BOX[0] + (j + 1) * w, BOX[1] + (i + 1) * h
            ),
        }
        for i in range(GRID)
        for j in range(GRID)
    ]
    return gpd.GeoDataFrame(rows, crs=CRS)


# --- stores --------------------------------------------------------------------------------


class PostgresTargets:
    """Fresh PostgreSQL schemas for the register and the to_postgis baseline."""

    def __init__(self, url: str) -> None:
        import psycopg
        import sqlalchemy

        self.url = url
        self.con = psycopg.connect(url, autocommit=True)
        self.engine = sqlalchemy.create_engine(
            url.replace("postgresql://", "postgresql+psycopg://", 1).replace(
                "postgres://", "postgresql+psycopg://", 1
            )
        )
        self.made: list[str] = []
        self.counter = 0
        self.prefix = f"bench_{os.getpid()}"
        self.con.execute("CREATE EXTENSION IF NOT EXISTS postgis")

    def new_schema(self, create: bool) -> str:
        self.counter += 1
        name = f"{self.prefix}_{self.counter}"
        if create:
            self.con.execute(f'CREATE SCHEMA "{name}"')
        self.made.append(name)
        return name

    def drop(self, name: str) -> None:
        self.con.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def versions(self) -> str:
        server = self.con.execute("SHOW server_version").fetchone()
        postgis = self.con.execute("SELECT postgis_lib_version()").fetchone()
        return (
            f"PostgreSQL {server[0] if server else '?'}; PostGIS {postgis[0] if postgis else '?'}"
        )

    def close(self) -> None:
        for name in self.made:
            self.drop(name)
        self.engine.dispose()
        self.con.close()


class Method:
    """One timed method: ``prepare()`` (untimed) gives the target, ``run(target)`` is timed,
    ``cleanup(target)`` (untimed) removes it."""

    def __init__(
        self,
        run: Callable[[Any], Any],
        prepare: Callable[[], Any] = lambda: None,
        cleanup: Callable[[Any], None] = lambda target: None,
    ) -> None:
        self.run, self.prepare, self.cleanup = run, prepare, cleanup


def rounds(methods: dict[str, Method], repeats: int) -> dict[str, tuple[list[float], Any]]:
    """``repeats`` rounds, each method once per round in turn; times and the last output."""
    out: dict[str, tuple[list[float], Any]] = {label: ([], None) for label in methods}
    for _ in range(repeats):
        for label, method in methods.items():
            target = method.prepare()
            start = time.perf_counter()
            result = method.run(target)
            out[label][0].append(time.perf_counter() - start)
            method.cleanup(target)
            out[label] = (out[label][0], result)
            del result
    return out


@contextlib.contextmanager
def readings_from(cache: dict[Path, Any]) -> Iterator[None]:
    """``read_findings`` answered from ``cache`` (readings made before, with the same
    arguments the register reads with), so a timed import is the store alone."""
    import geo_trygg.io.readers as readers

    original = readers.read_findings

    def cached(path: Any, **kw: Any) -> Any:
        assert kw == {"to_crs": CRS}, kw
        return cache[Path(path)]

    readers.read_findings = cached  # type: ignore[assignment]
    try:
        yield
    finally:
        readers.read_findings = original


def read_walks(paths: list[Path]) -> dict[Path, Any]:
    from geo_trygg import read_findings

    return {path: read_findings(path, to_crs=CRS) for path in paths}


def import_walks(target: Any, paths: list[Path], schema: str | None = None) -> dict[str, int]:
    """open_register + import_walk of every file; the register's counts and the merges."""
    from geo_trygg.register import open_register

    kw = {"schema": schema} if schema else {}
    with open_register(target, **kw) as reg:
        again = 0
        for k, path in enumerate(paths):
            report = reg.import_walk(path, walk=f"Vandring {k + 1}", by="bench")
            again += report.n_seen_again
        counts = reg.counts()
    counts["seen_again"] = again
    return counts


def add_events(target: Any, events: gpd.GeoDataFrame, schema: str | None = None) -> int:
    from geo_trygg.register import open_register

    kw = {"schema": schema} if schema else {}
    with open_register(target, **kw) as reg:
        report = reg.add_events(events, name="bench", coverage=("2024-01-01", "2024-12-31"))
    return report.n_new


# --- workloads -----------------------------------------------------------------------------


def _table(
    results: dict[str, tuple[list[float], Any]],
    baselines: dict[str, str],
    rows: int,
    second: dict[str, str] | None = None,
) -> list[str]:
    """The Markdown table: median, rows/s, the ratio to the label's baseline (and to a second
    baseline where ``second`` names one)."""
    extra = second is not None
    lines = [
        "| method | rows | median s | rows/s | × baseline |"
        + (" × one write of all rows |" if extra else ""),
        "|---|---:|---:|---:|---:|" + ("---:|" if extra else ""),
    ]

    def ratio(median: float, base: str | None) -> str:
        return f"{median / statistics.median(results[base][0]):.2f}" if base else "-"

    for label, (times, _) in results.items():
        median = statistics.median(times)
        cells = [label, f"{rows:,}", f"{median:.3f}", f"{rows / median:,.0f}"]
        cells.append(ratio(median, baselines.get(label)))
        if second is not None:
            cells.append(ratio(median, second.get(label)))
        lines.append("| " + " | ".join(cells) + " |")
    runs = {k: [round(t, 3) for t in v[0]] for k, v in results.items()}
    lines += ["", f"runs (s): {runs}"]
    return lines


def bench_walks(
    tmp: Path, pg: PostgresTargets | None, walks: int, rows: int, repeats: int
) -> tuple[list[str], bool]:
    paths, planned = write_walks(tmp, walks, rows)
    total = walks * rows
    start = time.perf_counter()
    cache = read_walks(paths)
    first_read = time.perf_counter() - start
    read_times = [first_read]
    for _ in range(repeats - 1):
        start = time.perf_counter()
        read_walks(paths)
        read_times.append(time.perf_counter() - start)
    accepted = pd.concat([r.accepted for r in cache.values()], ignore_index=True)
    frame = gpd.GeoDataFrame(accepted, geometry="geometry", crs=CRS)
    per_walk = [r.accepted for r in cache.values()]
    ok = len(frame) == total
    counter = iter(range(10**9))

    def gpkg_path() -> Path:
        return tmp / f"walks_{next(counter)}.gpkg"

    def unlink(path: Path) -> None:
        path.unlink(missing_ok=True)

    def store(target: Any, schema: str | None = None) -> dict[str, int]:
        with readings_from(cache):
            return import_walks(target, paths, schema)

    def new_register(path: Path) -> Path:
        from geo_trygg.register import open_register

        open_register(path).close()
        return path

    def empty_layer(path: Path) -> Path:
        frame.iloc[:0].to_file(path, layer="findings", driver="GPKG", engine="pyogrio")
        return path

    def appends_file(target: Path) -> None:
        for part in per_walk:
            part.to_file(target, layer="findings", driver="GPKG", engine="pyogrio", mode="a")

    n = walks
    methods: dict[str, Method] = {
        f"GPKG baseline: to_file, {n} appends to an existing layer": Method(
            appends_file, lambda: empty_layer(gpkg_path()), unlink
        ),
        "GPKG baseline: to_file of all rows, new file": Method(
            lambda t: frame.to_file(t, layer="findings", driver="GPKG", engine="pyogrio"),
            gpkg_path,
            unlink,
        ),
        f"GPKG register: {n} × import_walk into an existing register, store": Method(
            store, lambda: new_register(gpkg_path()), unlink
        ),
        f"GPKG register: open_register (new) + {n} × import_walk, store": Method(
            store, gpkg_path, unlink
        ),
        f"GPKG register: open_register (new) + {n} × import_walk, read + store": Method(
            lambda t: import_walks(t, paths), gpkg_path, unlink
        ),
    }
    if pg is not None:
        url = pg.url

        def pg_register() -> str:
            from geo_trygg.register import open_register

            schema = pg.new_schema(False)
            open_register(url, schema=schema).close()
            return schema

        def pg_empty_table() -> str:
            schema = pg.new_schema(True)
            frame.iloc[:0].to_postgis("findings", pg.engine, schema=schema)
            return schema

        def appends_pg(schema: str) -> None:
            for part in per_walk:
                part.to_postgis("findings", pg.engine, schema=schema, if_exists="append")

        methods |= {
            f"PostGIS baseline: to_postgis, {n} appends to an existing table": Method(
                appends_pg, pg_empty_table, pg.drop
            ),
            "PostGIS baseline: to_postgis of all rows, new table": Method(
                lambda s: frame.to_postgis("findings", pg.engine, schema=s),
                lambda: pg.new_schema(True),
                pg.drop,
            ),
            f"PostGIS register: {n} × import_walk into an existing register, store": Method(
                lambda s: store(url, s), pg_register, pg.drop
            ),
            f"PostGIS register: open_register (new) + {n} × import_walk, store": Method(
                lambda s: store(url, s), lambda: pg.new_schema(False), pg.drop
            ),
            f"PostGIS register: open_register (new) + {n} × import_walk, read + store": Method(
                lambda s: import_walks(url, paths, s), lambda: pg.new_schema(False), pg.drop
            ),
        }
    # each register method against the appends (the goal's baseline) and the one write
    baselines, second = {}, {}
    for label in methods:
        if "register" in label:
            backend = label.split(":")[0].split()[0]
            appends = next(k for k in methods if k.startswith(backend) and "appends" in k)
            baselines[label] = appends
            second[label] = next(k for k in methods if k.startswith(backend) and "all rows" in k)
        elif "all rows" in label:
            backend = label.split()[0]
            baselines[label] = next(k for k in methods if k.startswith(backend) and "appends" in k)
    results = rounds(methods, repeats)
    lines = [
        f"Reading the {walks} CSV files (read_findings, {total:,} rows): median "
        f"{statistics.median(read_times):.3f} s (runs {[round(t, 3) for t in read_times]}); "
        f"{len(frame):,} rows accepted; {planned:,} rows planned as seen again.",
        "",
        *_table(results, baselines, total, second),
        "",
    ]
    for label, (_, counts) in results.items():
        if "register" not in label:
            continue
        good = (
            counts["sightings"] == total
            and counts["findings"] + counts["seen_again"] == total
            and counts["seen_again"] >= planned
            and counts["walks"] == walks
            and counts["imports"] == walks
        )
        ok = ok and good
        lines.append(
            f"check {label}: {counts['findings']:,} findings, "
            f"{counts['seen_again']:,} rows seen again (planned {planned:,}), "
            f"{counts['sightings']:,} sightings, {counts['status_history']:,} history rows"
            + ("" if good else " — CHECK FAILED")
        )
    return lines, ok


def bench_events(
    tmp: Path, pg: PostgresTargets | None, n: int, repeats: int
) -> tuple[list[str], bool]:
    events = make_events(n)
    counter = iter(range(10**9))

    def gpkg_path() -> Path:
        return tmp / f"events_{next(counter)}.gpkg"

    def unlink(path: Path) -> None:
        path.unlink(missing_ok=True)

    base_file = "GPKG baseline: to_file (pyogrio)"
    methods: dict[str, Method] = {
        base_file: Method(
            lambda t: events.to_file(t, layer="events", driver="GPKG", engine="pyogrio"),
            gpkg_path,
            unlink,
        ),
        "GPKG register: open_register + add_events": Method(
            lambda t: add_events(t, events), gpkg_path, unlink
        ),
    }
    baselines = {"GPKG register: open_register + add_events": base_file}
    if pg is not None:
        url = pg.url
        base_pg = "PostGIS baseline: to_postgis"
        methods |= {
            base_pg: Method(
                lambda s: events.to_postgis("events", pg.engine, schema=s),
                lambda: pg.new_schema(True),
                pg.drop,
            ),
            "PostGIS register: open_register + add_events": Method(
                lambda s: add_events(url, events, s), lambda: pg.new_schema(False), pg.drop
            ),
        }
        baselines["PostGIS register: open_register + add_events"] = base_pg
    results = rounds(methods, repeats)
    lines = [*_table(results, baselines, n), ""]
    ok = True
    for label, (_, stored) in results.items():
        if "register" in label:
            good = stored == n
            ok = ok and good
            lines.append(
                f"check {label}: {stored:,} events stored" + ("" if good else " — CHECK FAILED")
            )
    return lines, ok


def bench_lagesbild(
    tmp: Path, pg: PostgresTargets | None, n: int, repeats: int
) -> tuple[list[str], bool]:
    from geo_trygg import read_events
    from geo_trygg.lagesbild import build_lagesbild
    from geo_trygg.register import open_register

    path = tmp / "handelser.csv"
    write_event_csv(path, n)
    areas = make_areas()

    def build(events: gpd.GeoDataFrame) -> Any:
        return build_lagesbild(
            None,
            events,
            areas=areas,
            by=("stadsdel",),
            period="2024",
            compare="previous_year",
        )

    def from_file(_: Any) -> Any:
        return build(read_events(path).accepted)

    def from_register(target: Any, schema: str | None = None) -> Any:
        kw = {"schema": schema} if schema else {}
        with open_register(target, **kw) as reg:
            events = reg.events()
        return build(events)

    gpkg = tmp / "lagesbild.gpkg"
    with open_register(gpkg) as reg:
        reg.import_events(path, coverage=("2023-01-01", "2024-12-31"))
    base = "from the file: read_events + build_lagesbild"
    methods = {
        base: Method(from_file),
        "from GPKG: open_register + Register.events() + build_lagesbild": Method(
            lambda _: from_register(gpkg)
        ),
    }
    baselines = {"from GPKG: open_register + Register.events() + build_lagesbild": base}
    if pg is not None:
        schema = pg.new_schema(False)
        with open_register(pg.url, schema=schema) as reg:
            reg.import_events(path, coverage=("2023-01-01", "2024-12-31"))
        label = "from PostGIS: open_register + Register.events() + build_lagesbild"
        methods[label] = Method(lambda _: from_register(pg.url, schema))
        baselines[label] = base
    # the parts, once each, to say where the time goes
    parts = []
    for what, fn in [
        ("read_events", lambda: read_events(path)),
        ("GPKG Register.events()", lambda: open_register(gpkg).events()),
        *(
            [("PostGIS Register.events()", lambda: open_register(pg.url, schema=schema).events())]
            if pg is not None
            else []
        ),
    ]:
        start = time.perf_counter()
        fn()
        parts.append(f"{what} {time.perf_counter() - start:.2f} s")
    results = rounds(methods, repeats)
    lines = [*_table(results, baselines, n), "", "one run of each part: " + "; ".join(parts)]
    reference = results[base][1].areas
    ok = True
    for label, (_, lb) in results.items():
        if label == base:
            continue
        try:
            pd.testing.assert_frame_equal(lb.areas, reference)
            lines.append(f"check {label.split(':')[0]}: the areas table equals the file's")
        except AssertionError as exc:
            ok = False
            lines.append(f"check {label.split(':')[0]}: CHECK FAILED, areas differ: {exc}")
    return lines, ok


def profile(
    tmp: Path, pg: PostgresTargets | None, events_n: int, walks: int, walk_rows: int
) -> None:
    """cProfile of one register store per workload and backend (top 25 by cumulative time)."""
    folder = tmp / "profile"
    folder.mkdir()
    paths, _ = write_walks(folder, walks, walk_rows)
    cache = read_walks(paths)
    events = make_events(events_n)
    jobs: list[tuple[str, Callable[[], Any]]] = [
        (
            "GPKG import_walk store",
            lambda: _with(cache, lambda: import_walks(folder / "p.gpkg", paths)),
        ),
        ("GPKG add_events", lambda: add_events(folder / "e.gpkg", events)),
    ]
    if pg is not None:
        s1, s2 = pg.new_schema(False), pg.new_schema(False)
        jobs += [
            (
                "PostGIS import_walk store",
                lambda: _with(cache, lambda: import_walks(pg.url, paths, s1)),
            ),
            ("PostGIS add_events", lambda: add_events(pg.url, events, s2)),
        ]
    for what, job in jobs:
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(job)
        print(f"\n### profile: {what} ({time.perf_counter() - start:.2f} s under the profiler)")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


def _with(cache: dict[Path, Any], fn: Callable[[], Any]) -> Any:
    with readings_from(cache):
        return fn()


def warm_up(tmp: Path, pg: PostgresTargets | None) -> None:
    """Every workload once at a tiny size, untimed: imports, caches and first-call costs
    (pyogrio, SQLAlchemy, psycopg, the readers, the lägesbild) are paid here."""
    tmp.mkdir()
    bench_walks(tmp, pg, 2, 20, 1)
    bench_events(tmp, pg, 200, 1)
    bench_lagesbild(tmp, pg, 2_000, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--walks", type=int, default=10, help="walk protocols")
    parser.add_argument("--walk-rows", type=int, default=2_000, help="rows per walk")
    parser.add_argument("--events", type=int, default=1_000_000, help="events for add_events")
    parser.add_argument(
        "--lagesbild-events", type=int, default=1_000_000, help="events for the lägesbild"
    )
    parser.add_argument("--repeats", type=int, default=3, help="rounds of events, lägesbild")
    parser.add_argument("--walk-repeats", type=int, default=5, help="rounds of the walks")
    parser.add_argument(
        "--only", choices=["walks", "events", "lagesbild"], action="append", help="workloads"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the register's stores")
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 repeat (smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.walks, args.walk_rows, args.events, args.lagesbild_events = 3, 200, 20_000, 20_000
        args.repeats = args.walk_repeats = 1
    only = set(args.only or ["walks", "events", "lagesbild"])
    warnings.simplefilter("ignore")
    import psycopg
    import pyogrio

    packages = ["geo_trygg", "numpy", "pandas", "geopandas", "shapely", "pyogrio", "pyproj"]
    packages += ["psycopg", "sqlalchemy", "geoalchemy2"]
    print("\n".join(machine_lines(packages)))
    print(
        f"- GDAL {pyogrio.__gdal_version_string__} (via pyogrio); SQLite {sqlite3.sqlite_version}"
    )
    url = os.environ.get("GEO_TRYGG_POSTGRES_URL")
    pg = None
    if url:
        pg = PostgresTargets(url)
        print(f"- {pg.versions()}; libpq {psycopg.pq.version()}")
    else:
        print(
            "- PostGIS: skipped — GEO_TRYGG_POSTGRES_URL is not set (start a server with "
            "tools/postgres.sh and set it to run the PostGIS half)"
        )
    ok = True
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            warm_up(tmp / "warm", pg)
            if "walks" in only:
                print(f"\n## Walks: {args.walks} × {args.walk_rows:,} findings\n")
                lines, good = bench_walks(tmp, pg, args.walks, args.walk_rows, args.walk_repeats)
                print("\n".join(lines))
                ok = ok and good
            if "events" in only:
                print(f"\n## Events: {args.events:,}\n")
                lines, good = bench_events(tmp, pg, args.events, args.repeats)
                print("\n".join(lines))
                ok = ok and good
            if "lagesbild" in only:
                print(f"\n## Lägesbild: {args.lagesbild_events:,} events\n")
                lines, good = bench_lagesbild(tmp, pg, args.lagesbild_events, args.repeats)
                print("\n".join(lines))
                ok = ok and good
            if args.profile:
                profile(tmp, pg, args.events, args.walks, args.walk_rows)
    finally:
        if pg is not None:
            pg.close()
    if not ok:
        print("a check failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
