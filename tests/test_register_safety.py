"""Robustness of the register (issue 15, point 5), on both backends (``register_target``).

- Concurrency with real processes: several ``python`` processes, started together behind a
  barrier file, import different walks, the same walk, or event batches into one register;
  nothing is lost, nothing is stored twice, no process fails.
- A process killed (SIGKILL) inside an import's transaction leaves the register exactly as it
  was (GeoPackage: the hot journal is rolled back, the file passes ``integrity_check``), and
  the same import then succeeds completely.
- SQL injection payloads in every text a user controls (walk names, ids, free text, comments,
  ``by=``, file names, event ids and texts, the PostGIS ``schema=``) are stored verbatim and
  run nothing.
- The PostgreSQL password never reaches a file, a table, a label or an error message.
- A register held by another writer longer than ``timeout`` gives a RegisterError naming it,
  and nothing is written.

Every expected value is computed here from the rows the test writes, never from the register's
own output. The child processes run the worktree's code (``PYTHONPATH``) and report as JSON.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from geo_trygg import ConfigError, RegisterError
from geo_trygg.register import open_register

REPO = Path(__file__).resolve().parents[1]

# The register's tables (docs and geo_trygg/register/_schema.py), listed here on purpose.
TABLE_NAMES = (
    "meta",
    "imports",
    "rejected_rows",
    "walks",
    "findings",
    "sightings",
    "status_history",
    "events",
    "problems",
    "problem_findings",
    "measures",
    "measure_problems",
)
# What a register made by one process holds in ``meta``.
META_KEYS = {"schema_version", "crs", "created_at", "created_by"}

PAYLOADS = (
    "x'); DROP TABLE findings; --",
    '" OR 1=1 --',
    'Robert"); DROP TABLE "events";--',
    "%s %(x)s ? $1 {0}",
    "'; SELECT pg_sleep(5); --",
    "Åsa's \"väg\" \\ \\n \\\\' 🚧 ✓ naïve – ½\ttab  två  mellanslag",
)
"""Injection payloads (no NUL, no leading or trailing blank: readers trim cells)."""


# --- files ---------------------------------------------------------------------------------


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """A Swedish ``;``-separated CSV (quoted where a cell needs it)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


WALK_HEADER = ("id", "datum", "kategori", "beskrivning", "status", "x", "y")
EVENT_HEADER = ("id", "datum", "tid", "typ", "text", "x", "y")


def walk_rows(
    ids: Sequence[str], day: str, places: Sequence[tuple[int, int]], category: str = "Belysning"
) -> list[tuple[Any, ...]]:
    """Rows of a walk protocol: open findings (``Ny``) at ``places`` (SWEREF 99 TM metres)."""
    return [
        (fid, day, category, f"beskrivning {fid}", "Ny", x, y)
        for fid, (x, y) in zip(ids, places, strict=True)
    ]


def event_rows(ids: Sequence[str], day: str = "2024-05-14") -> list[tuple[Any, ...]]:
    """Rows of an event batch, one per id, 50 m apart."""
    return [
        (
            eid,
            day,
            f"{10 + i % 12:02d}:{i % 60:02d}",
            "Misshandel",
            f"text {eid}",
            674000,
            6580000 + 50 * i,
        )
        for i, eid in enumerate(ids)
    ]


def line_of(n: int, x0: int, y0: int = 6580000, step: int = 50) -> list[tuple[int, int]]:
    """``n`` places ``step`` metres apart eastwards (farther apart than the merge distance)."""
    return [(x0 + step * i, y0) for i in range(n)]


READ: dict[str, Any] = {"crs": "EPSG:3006"}
"""Reader arguments: the test files give SWEREF 99 TM metres."""


# --- child processes -----------------------------------------------------------------------

CHILD = r"""
import json, os, sys, time
from pathlib import Path

args = json.loads(sys.argv[1])
from geo_trygg.register import open_register

def wait_for(path, seconds):
    end = time.monotonic() + seconds
    while not Path(path).exists():
        if time.monotonic() > end:
            raise SystemExit("barrier never opened: " + path)
        time.sleep(0.005)

if args.get("ready"):
    Path(args["ready"]).write_text("ready")
    wait_for(args["go"], 60)

def hold(seconds):
    # hold on (with the lock, where it is taken) until every process has begun, and a while
    # longer: the others are then waiting for the lock, or racing if there were none
    for path in args.get("everyone", []):
        wait_for(path, 60)
    time.sleep(seconds)

if args.get("hold_in_prepare"):
    # the process that makes a new register takes a while to do it
    from geo_trygg.register._gpkg import GeoPackage
    from geo_trygg.register._postgis import PostGIS
    for cls in (GeoPackage, PostGIS):
        def slow_prepare(self, _original=cls.prepare):
            hold(args["hold_in_prepare"])
            return _original(self)
        cls.prepare = slow_prepare

t0 = time.time()
if args.get("started"):
    Path(args["started"]).write_text("started")
reg = open_register(args["target"], timeout=args.get("timeout", 60))
backend = reg._backend
if args.get("cache_pages") and reg.kind == "gpkg":
    # a small page cache: a big transaction spills into the file before it commits
    backend._con.execute("PRAGMA cache_size = %d" % args["cache_pages"])
if args.get("hold_before_insert"):
    # hold the lock a while after the import has read the register's state
    original_one = backend.insert_one
    def held(*a, **k):
        hold(args["hold_before_insert"])
        return original_one(*a, **k)
    backend.insert_one = held
if args.get("pause_after"):
    # inside the transaction, after the first insert: tell the parent, then wait to be killed
    original = getattr(backend, args["pause_after"])
    def paused(*a, **k):
        out = original(*a, **k)
        Path(args["marker"]).write_text("inside")
        time.sleep(120)
        return out
    setattr(backend, args["pause_after"], paused)

action = args["action"]
if action == "walk":
    report = reg.import_walk(args["file"], walk=args["walk"], crs="EPSG:3006")
elif action == "events":
    report = reg.import_events(args["file"], source=args["source"], crs="EPSG:3006")
elif action == "hold":
    with backend.writing():
        backend.execute('INSERT INTO "meta" ("key", "value") VALUES (?, ?)', ["holder", "x"])
        Path(args["marker"]).write_text("holding")
        wait_for(args["release"], 60)
        raise SystemExit(0)  # leaves the transaction by ROLLBACK
else:
    raise SystemExit("unknown action " + action)
t1 = time.time()
reg.close()
Path(args["out"]).write_text(json.dumps({"report": report.to_dict(), "t0": t0, "t1": t1}))
"""


def child_env() -> dict[str, str]:
    """The environment of a child: the worktree's code first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def start_child(args: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        cwd=REPO,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(procs: Sequence[subprocess.Popen[str]]) -> None:
    """Kill the children this test started that still run (by their own handle)."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def run_together(tmp_path: Path, jobs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Start one child per job; release them at once when all are ready; their outputs.

    A child that holds (``hold_before_insert``, ``hold_in_prepare``) first waits until every
    child has begun its work (``t0``), so their work overlaps for sure.

    Each child fails the test when it exits non-zero (its stderr in the message).
    """
    go = tmp_path / "go"
    procs: list[subprocess.Popen[str]] = []
    outs = []
    try:
        everyone = [str(tmp_path / f"started-{i}") for i in range(len(jobs))]
        for i, job in enumerate(jobs):
            ready, out = tmp_path / f"ready-{i}", tmp_path / f"out-{i}.json"
            outs.append(out)
            extra: dict[str, Any] = {"ready": str(ready), "go": str(go), "out": str(out)}
            extra |= {"started": everyone[i], "everyone": everyone}
            procs.append(start_child({**job, **extra}))
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready-{i}").exists() for i in range(len(jobs))):
            for proc in procs:
                if proc.poll() is not None:
                    pytest.fail(f"a child ended before the barrier: {proc.communicate()[1]}")
            assert time.monotonic() < deadline, "children never got ready"
            time.sleep(0.01)
        go.write_text("go")
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{err}"
            assert "Traceback" not in err, err
    finally:
        stop(procs)
    return [json.loads(out.read_text()) for out in outs]


def wait_for_file(path: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the child ended before {path.name}: {proc.communicate()[1]}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


# --- looking at a register ------------------------------------------------------------------


def snapshot(target: str) -> dict[str, Any]:
    """Counts and every frame of the register (what must not change)."""
    with open_register(target, create=False) as reg:
        return {
            "counts": reg.counts(),
            "findings": reg.findings(),
            "sightings": reg.sightings(),
            "history": reg.history(),
            "walks": reg.walks(),
            "imports": reg.imports(),
            "rejected": reg.rejected(),
            "events": reg.events(),
        }


def assert_same(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert after["counts"] == before["counts"]
    for name in ("findings", "events"):
        assert_geodataframe_equal(after[name], before[name])
    for name in ("sightings", "history", "walks", "imports", "rejected"):
        assert_frame_equal(after[name], before[name])


def raw_query(target: str, query: str) -> list[tuple[Any, ...]]:
    """Rows of ``query`` (a constant of this file), asked of the database itself, not through
    the register (PostGIS: the register's tables are in the schema ``geo_trygg``)."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as con:
            con.execute("SET search_path TO geo_trygg")
            return con.execute(query).fetchall()
    with contextlib.closing(sqlite3.connect(target)) as con:
        return con.execute(query).fetchall()


def raw_tables(target: str) -> set[str]:
    """The tables that exist."""
    if target.startswith("postgresql://"):
        query = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'geo_trygg'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {r[0] for r in raw_query(target, query)}


def meta_keys(target: str) -> list[str]:
    """The keys of the register's ``meta`` table."""
    return sorted(r[0] for r in raw_query(target, 'SELECT "key" FROM "meta"'))


# --- 1. concurrency with real processes ------------------------------------------------------


def test_three_processes_import_different_walks_at_once(
    register_target: str, tmp_path: Path
) -> None:
    """Three walks imported at the same moment by three processes into one register: every
    row of every file is there exactly once.

    The walks share K places (same category), so whichever comes first creates those
    findings and the other two see them again; each walk also has M places of its own. If
    two processes read the register's state before either wrote (no lock), the shared
    places would become findings twice or three times.
    """
    k, m = 30, 40
    shared = line_of(k, 674000)
    names = ["Vandring A", "Vandring B", "Vandring C"]
    days = ["2024-05-14", "2024-05-15", "2024-05-16"]
    files, ids_of = [], {}
    for w, (name, day) in enumerate(zip(names, days, strict=True)):
        own = line_of(m, 700000 + 20000 * w)
        ids = [f"{'ABC'[w]}{i}" for i in range(k + m)]
        ids_of[name] = ids
        files.append(
            write_csv(tmp_path / f"walk-{w}.csv", WALK_HEADER, walk_rows(ids, day, shared + own))
        )
    open_register(register_target).close()
    jobs = [
        {
            "action": "walk",
            "target": register_target,
            "file": str(f),
            "walk": name,
            "hold_before_insert": 0.3,
        }
        for f, name in zip(files, names, strict=True)
    ]
    results = run_together(tmp_path, jobs)

    # the processes really overlapped: each started before any other had finished
    assert max(r["t0"] for r in results) < min(r["t1"] for r in results)
    reports = [r["report"] for r in results]
    assert [r["n_input"] for r in reports] == [k + m] * 3
    assert all(r["n_rejected"] == 0 and not r["already_imported"] for r in reports)
    assert sum(r["n_new"] for r in reports) == k + 3 * m
    assert sum(r["n_seen_again"] for r in reports) == 2 * k
    assert len({r["import_id"] for r in reports}) == 3

    with open_register(register_target, create=False) as reg:
        counts = reg.counts()
        findings, sightings = reg.findings(), reg.sightings()
        history, walks, imports = reg.history(), reg.walks(), reg.imports()
    assert counts["findings"] == k + 3 * m
    assert counts["sightings"] == 3 * (k + m)
    assert counts["status_history"] == k + 3 * m
    assert counts["imports"] == 3
    assert counts["walks"] == 3
    assert counts["rejected_rows"] == 0

    assert sorted(walks["walk"]) == names
    assert dict(zip(walks["walk"], walks["n_rows"], strict=True)) == dict.fromkeys(names, k + m)
    assert sorted(imports["file_name"]) == [f.name for f in files]
    for name in names:
        mine = sightings.loc[sightings["walk"] == name]
        # every row of every file exactly once
        assert sorted(mine["source_id"]) == sorted(ids_of[name])
        assert sorted(mine["source_row"].astype(int)) == list(range(2, k + m + 2))
    # each shared place: one finding, seen by all three walks, last on the last day
    at = findings.geometry
    for x, y in shared:
        here = findings.loc[at.distance(shapely.Point(x, y)) < 1]
        assert len(here) == 1
        assert int(here["n_seen"].iloc[0]) == 3
        assert here["last_seen"].iloc[0] == pd.Timestamp(days[-1])
        seen = sightings.loc[sightings["finding_id"] == here["finding_id"].iloc[0]]
        assert sorted(seen["walk"]) == names
        assert sorted(seen["kind"]) == ["new", "seen_again", "seen_again"]
        assert seen.loc[seen["kind"] == "new", "walk"].iloc[0] == here["walk"].iloc[0]
    assert (findings["n_seen"] == 1).sum() == 3 * m
    assert sorted(history["object_id"]) == sorted(findings["finding_id"])


def test_two_processes_import_the_same_file_at_once(register_target: str, tmp_path: Path) -> None:
    """The same protocol imported by two processes at once (under two walk names), into a
    register neither has made yet: one register is made, once (no process "migrates" what
    the other has just made); one import, one walk; the other process is told the file was
    imported already."""
    n = 60
    ids = [f"S{i}" for i in range(n)]
    path = write_csv(
        tmp_path / "samma.csv", WALK_HEADER, walk_rows(ids, "2024-05-14", line_of(n, 674000))
    )
    jobs = [
        {
            "action": "walk",
            "target": register_target,
            "file": str(path),
            "walk": name,
            "hold_in_prepare": 0.2,
            "hold_before_insert": 0.3,
        }
        for name in ("Första", "Andra")
    ]
    results = run_together(tmp_path, jobs)
    assert max(r["t0"] for r in results) < min(r["t1"] for r in results)
    reports = [r["report"] for r in results]

    assert sorted(r["already_imported"] for r in reports) == [False, True]
    done = next(r for r in reports if not r["already_imported"])
    again = next(r for r in reports if r["already_imported"])
    assert done["n_new"] == n
    assert done["n_input"] == n
    assert again["import_id"] == done["import_id"]
    assert again["n_new"] == 0
    assert again["n_input"] == n
    with open_register(register_target, create=False) as reg:
        counts, imports, walks = reg.counts(), reg.imports(), reg.walks()
        sightings = reg.sightings()
    assert set(meta_keys(register_target)) == META_KEYS
    assert raw_tables(register_target) >= set(TABLE_NAMES)
    assert counts["meta"] == len(META_KEYS)
    assert counts["imports"] == 1
    assert counts["walks"] == 1
    assert counts["findings"] == n
    assert counts["sightings"] == n
    assert counts["status_history"] == n
    assert list(imports["import_id"]) == [done["import_id"]]
    assert list(imports["file_name"]) == ["samma.csv"]
    assert len(walks) == 1
    assert walks["walk"].iloc[0] in ("Första", "Andra")
    assert sorted(sightings["source_id"]) == sorted(ids)


def test_two_processes_import_event_batches_at_once(register_target: str, tmp_path: Path) -> None:
    """Two overlapping exports of one source, imported at once by two processes: every
    event once; the overlap is counted as already there by exactly one of them."""
    first = [f"E{i}" for i in range(0, 60)]
    second = [f"E{i}" for i in range(40, 100)]  # E40…E59 in both
    files = [
        write_csv(tmp_path / "export-1.csv", EVENT_HEADER, event_rows(first)),
        write_csv(tmp_path / "export-2.csv", EVENT_HEADER, event_rows(second, "2024-05-15")),
    ]
    open_register(register_target).close()
    jobs = [
        {
            "action": "events",
            "target": register_target,
            "file": str(f),
            "source": "bostadsbolag",
            "hold_before_insert": 0.3,
        }
        for f in files
    ]
    results = run_together(tmp_path, jobs)
    assert max(r["t0"] for r in results) < min(r["t1"] for r in results)
    reports = [r["report"] for r in results]
    overlap = len(set(first) & set(second))
    assert [r["n_input"] for r in reports] == [60, 60]
    assert sum(r["n_new"] for r in reports) == len(set(first) | set(second))
    assert sum(r["n_already"] for r in reports) == overlap
    # one of them came first and stored all of its rows
    assert sorted(r["n_already"] for r in reports) == [0, overlap]

    with open_register(register_target, create=False) as reg:
        events, imports, counts = reg.events(), reg.imports(), reg.counts()
    assert counts["events"] == 100
    assert counts["imports"] == 2
    assert sorted(events["event_id"]) == sorted(set(first) | set(second))
    assert not events.duplicated(["source", "event_id"]).any()
    # each event belongs to an import whose file has it
    file_of = dict(zip(imports["import_id"], imports["file_name"], strict=True))
    ids_in = {"export-1.csv": set(first), "export-2.csv": set(second)}
    for eid, iid in zip(events["event_id"], events["import_id"], strict=True):
        assert eid in ids_in[file_of[int(iid)]]
    stored = events.groupby("import_id").size().to_dict()
    assert {file_of[int(i)]: n for i, n in stored.items()} == {
        f: 60 - r["n_already"]
        for f, r in zip(["export-1.csv", "export-2.csv"], reports, strict=True)
    }


# --- 2. SIGKILL in the middle of an import ---------------------------------------------------


@pytest.mark.parametrize("kind", ["walk", "events"])
def test_sigkill_inside_an_import_leaves_the_register_as_it_was(
    register_target: str, tmp_path: Path, kind: str
) -> None:
    """A process killed inside an import's transaction (after its first rows went in) leaves
    the register exactly as before; the same import then succeeds completely."""
    gpkg = not register_target.startswith("postgresql://")
    n, again = 1500, 100
    base_ids = [f"B{i}" for i in range(again)]
    base_places = line_of(again, 674000)
    with open_register(register_target) as reg:
        reg.import_walk(
            write_csv(
                tmp_path / "bas.csv", WALK_HEADER, walk_rows(base_ids, "2024-04-01", base_places)
            ),
            walk="Bas",
            **READ,
        )
        reg.import_events(
            write_csv(tmp_path / "bas-events.csv", EVENT_HEADER, event_rows(base_ids)),
            source="polis",
            **READ,
        )
    # the big import: its first `again` rows repeat what the register has
    big_ids = [f"N{i}" for i in range(n)]
    if kind == "walk":
        places = base_places + line_of(n - again, 674000, 6590000, 20)
        big = write_csv(
            tmp_path / "stor.csv", WALK_HEADER, walk_rows(big_ids, "2024-05-20", places)
        )
        job = {"action": "walk", "walk": "Stor", "pause_after": "insert_columns"}
    else:
        big = write_csv(
            tmp_path / "stor.csv", EVENT_HEADER, event_rows(base_ids + big_ids[again:])
        )
        job = {"action": "events", "source": "polis", "pause_after": "insert_new"}
    before = snapshot(register_target)
    journal = Path(register_target + "-journal")
    file_before = Path(register_target).read_bytes() if gpkg else b""

    marker = tmp_path / "inside"
    proc = start_child(
        {
            **job,
            "target": register_target,
            "file": str(big),
            "marker": str(marker),
            "cache_pages": 5,
            "out": str(tmp_path / "never.json"),
        }
    )
    try:
        wait_for_file(marker, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        stop([proc])
    assert proc.returncode == -signal.SIGKILL

    if gpkg:
        # killed inside the transaction: the rollback journal is left behind (hot) and the
        # file holds pages of the unfinished transaction
        assert journal.exists()
        assert Path(register_target).read_bytes() != file_before
    after = snapshot(register_target)
    assert_same(before, after)
    if gpkg:
        assert not journal.exists()  # rolled back by the next opener
        assert raw_query(register_target, "PRAGMA integrity_check") == [("ok",)]
        assert raw_query(register_target, "PRAGMA foreign_key_check") == []
        assert Path(register_target).read_bytes() == file_before

    # the same import now succeeds, all of it
    with open_register(register_target, create=False, timeout=30) as reg:
        if kind == "walk":
            report = reg.import_walk(big, walk="Stor", **READ)
        else:
            report = reg.import_events(big, source="polis", **READ)
        counts = reg.counts()
        walks = reg.walks()
    assert not report.already_imported
    assert report.n_input == n
    assert report.n_rejected == 0
    grown = {name: counts[name] - before["counts"][name] for name in counts}
    if kind == "walk":
        assert (report.n_new, report.n_seen_again) == (n - again, again)
        expected = {"imports": 1, "walks": 1, "findings": n - again, "sightings": n}
        expected["status_history"] = n - again
        assert list(walks["walk"]) == ["Bas", "Stor"]
    else:
        assert (report.n_new, report.n_already) == (n - again, again)
        expected = {"imports": 1, "events": n - again}
    assert grown == {name: expected.get(name, 0) for name in counts}


# --- 3. SQL injection ------------------------------------------------------------------------


def test_injection_payloads_are_stored_verbatim_and_run_nothing(
    register_target: str, tmp_path: Path
) -> None:
    """Payloads as walk names, finding ids, categories, descriptions, actors, comments,
    ``by=`` names, file names, event ids, types, texts and places: stored and read back
    identical; every table is still there with the rows expected; no ``pg_sleep`` ran."""
    postgis = register_target.startswith("postgresql://")
    p = list(PAYLOADS)
    slowest = 0.0

    def timed(call: Any, *args: Any, **kw: Any) -> Any:
        nonlocal slowest
        start = time.monotonic()
        out = call(*args, **kw)
        slowest = max(slowest, time.monotonic() - start)
        return out

    header = ("id", "datum", "kategori", "beskrivning", "ansvarig", "status", "x", "y")
    walk_files = []
    for i, name in enumerate(p):
        rows = [
            (pid, "2024-05-14", pid, pid, pid, "Ny", 674000 + 100 * j, 6580000 + 1000 * i)
            for j, pid in enumerate(p)
        ]
        walk_files.append(write_csv(tmp_path / f"{i} {name}.csv", header, rows))
    status_file = write_csv(
        tmp_path / f"status {p[2]}.csv",
        ("id", "status", "datum", "kommentar"),
        [(pid, "Åtgärdad", "2024-06-01", pid) for pid in p],
    )
    event_file = write_csv(
        tmp_path / f"händelser {p[0]}.csv",
        ("id", "datum", "tid", "typ", "text", "plats", "x", "y"),
        [
            (pid, "2024-05-14", "12:00", pid, pid, pid, 674000 + 100 * j, 6590000)
            for j, pid in enumerate(p)
        ],
    )
    frame = gpd.GeoDataFrame(
        {
            "event_id": p,
            "source": "polis",
            "time_from": pd.Timestamp("2024-05-20 22:15", tz="Europe/Stockholm"),
            "category": "violence",
            "text": p,
        },
        geometry=[shapely.Point(675000 + 10 * j, 6590000) for j in range(len(p))],
        crs="EPSG:3006",
    )

    with open_register(register_target) as reg:
        for i, (name, path) in enumerate(zip(p, walk_files, strict=True)):
            report = timed(reg.import_walk, path, walk=name, by=p[i], **READ)
            assert report.n_new == len(p)
            assert report.n_rejected == 0
        status = timed(reg.import_status, status_file, by=p[5])
        assert status.n_updates == len(p)
        assert status.n_rejected == 0
        events = timed(reg.import_events, event_file, source="bostadsbolag", by=p[3], **READ)
        assert events.n_new == len(p)
        added = timed(reg.add_events, frame, name=p[4], by=p[1])
        assert added.n_new == len(p)
        with pytest.raises(ConfigError):
            reg.history(object_kind=p[0])
        for payload in p:
            with pytest.raises(ConfigError):
                reg.events(start=payload)
        assert len(timed(reg.events, sources=[p[1]])) == 0
        assert len(timed(reg.events, sources=["polis", p[4]])) == len(p)
        counts = reg.counts()
        findings, sightings, history = reg.findings(), reg.sightings(), reg.history()
        walks, imports, got_events = reg.walks(), reg.imports(), reg.events()
        backup = timed(reg.export, tmp_path / f"kopia {p[1]}.gpkg")

    # nothing was run: every table is there, with exactly the rows these imports make
    assert raw_tables(register_target) >= set(TABLE_NAMES)
    n = len(p)
    assert counts == {
        "meta": len(META_KEYS),
        "imports": n + 3,
        "rejected_rows": 0,
        "walks": n,
        "findings": n * n,
        "sightings": n * n,
        "status_history": n * n + n,
        "events": 2 * n,
        "problems": 0,
        "problem_findings": 0,
        "measures": 0,
        "measure_problems": 0,
    }
    assert slowest < 5.0  # '; SELECT pg_sleep(5); -- never slept

    # walks, by whom, from which file
    assert list(walks["walk"]) == p
    walk_imports = imports.loc[imports["kind"] == "walk"]
    assert list(walk_imports["walk"]) == p
    assert list(walk_imports["imported_by"]) == p
    assert list(walk_imports["file_name"]) == [f.name for f in walk_files]
    # findings: the first walk keeps the protocol's ids; later walks' rows get "<walk>/<id>"
    expected_ids = list(p) + [f"{walk}/{pid}" for walk in p[1:] for pid in p]
    assert list(findings["finding_id"]) == expected_ids
    assert list(findings["source_id"]) == p * n
    assert list(findings["walk"]) == [w for w in p for _ in p]
    for column in ("description", "category_original", "responsible_original"):
        assert list(findings[column]) == p * n, column
    assert list(sightings["source_id"]) == p * n
    assert list(sightings["description"]) == p * n
    # the status file named the first walk's findings by their ids
    first = findings.set_index("finding_id").loc[p]
    assert list(first["status"]) == ["done"] * n
    from_status = history.loc[history["source_file"] == status_file.name]
    assert list(from_status["object_id"]) == p
    assert list(from_status["comment"]) == p
    assert list(from_status["who"]) == [p[5]] * n
    new_rows = history.loc[history["source_file"] != status_file.name]
    assert list(new_rows["who"]) == [w for w in p for _ in p]
    assert list(new_rows["source_file"]) == [f.name for f in walk_files for _ in p]
    assert list(imports.loc[imports["kind"] == "status", "file_name"]) == [status_file.name]
    # events, read back identical
    mine = got_events.loc[got_events["source"] == "bostadsbolag"]
    for column in ("event_id", "source_type", "text", "location_name"):
        assert list(mine[column]) == p, column
    theirs = got_events.loc[got_events["source"] == "polis"]
    assert list(theirs["event_id"]) == p
    assert list(theirs["text"]) == p
    event_imports = imports.loc[imports["kind"] == "events"]
    assert list(event_imports["file_name"]) == [event_file.name, p[4]]
    assert list(event_imports["imported_by"]) == [p[3], p[1]]

    # the backup (a file whose name holds quotes) has the same text, verbatim
    with open_register(backup, create=False) as copy:
        assert_geodataframe_equal(copy.findings(), findings)
        assert_frame_equal(copy.history(), history)
        assert_geodataframe_equal(copy.events(), got_events)

    if postgis:
        import psycopg

        # a schema name is checked before it could reach any SQL
        for payload in [*p, 'geo_trygg"; DROP SCHEMA geo_trygg CASCADE; --', "Geo_Trygg", ""]:
            start = time.monotonic()
            with pytest.raises(ConfigError) as info:
                open_register(register_target, schema=payload)
            assert time.monotonic() - start < 5.0
            assert "schema=" in str(info.value)
        with psycopg.connect(register_target) as con:
            schemas = {
                r[0]
                for r in con.execute("SELECT nspname FROM pg_namespace").fetchall()
                if not r[0].startswith("pg_")
            }
        assert schemas == {"public", "information_schema", "geo_trygg"}
        assert snapshot(register_target)["counts"] == counts


# --- 4. the password never leaves -------------------------------------------------------------


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def leaks(password: str, folder: Path) -> list[str]:
    """Files under ``folder`` that hold the password (plain, URL-quoted or UTF-16)."""
    needles = {
        password.encode(),
        quote(password, safe="").encode(),
        password.encode("utf-16-le"),
    }
    return [str(p) for p in files_under(folder) if any(n in p.read_bytes() for n in needles)]


def table_text(url: str, schema: str = "geo_trygg") -> str:
    """Every value of every register table as text, asked of the server directly."""
    import psycopg
    from psycopg import sql

    out = []
    with psycopg.connect(url) as con:
        for name in TABLE_NAMES:
            rows = con.execute(
                sql.SQL("SELECT t::text FROM {}.{} AS t").format(
                    sql.Identifier(schema), sql.Identifier(name)
                )
            ).fetchall()
            out += [r[0] for r in rows]
    return "\n".join(out)


def use_register(target: str, tmp_path: Path, tag: str) -> tuple[str, str]:
    """Import a walk, a status file and events, write the reports and an export; returns
    the register's label and its repr."""
    ids = [f"{tag}{i}" for i in range(5)]
    walk = write_csv(
        tmp_path / f"walk-{tag}.csv", WALK_HEADER, walk_rows(ids, "2024-05-14", line_of(5, 674000))
    )
    status = write_csv(
        tmp_path / f"status-{tag}.csv",
        ("id", "status", "datum", "kommentar"),
        [(ids[0], "Åtgärdad", "2024-06-01", "klart")],
    )
    events = write_csv(tmp_path / f"events-{tag}.csv", EVENT_HEADER, event_rows(ids))
    with open_register(target) as reg:
        reports = [
            reg.import_walk(walk, walk=f"Vandring {tag}", **READ),
            reg.import_status(status),
            reg.import_events(events, source="polis", **READ),
            reg.import_walk(walk, walk=f"Igen {tag}", **READ),  # already imported
        ]
        for i, report in enumerate(reports):
            (tmp_path / f"report-{tag}-{i}.json").write_text(
                json.dumps(report.to_dict(), ensure_ascii=False, default=str), encoding="utf-8"
            )
            (tmp_path / f"summary-{tag}-{i}.txt").write_text(report.summary(), encoding="utf-8")
            assert report.n_rejected == 0
        reg.export(tmp_path / f"backup-{tag}.gpkg")
        return reg.label, repr(reg)


def holds(text: str, *secrets: str) -> bool:
    """Whether ``text`` holds one of ``secrets`` (plain or URL-quoted). Tests keep the answer
    in a variable before asserting, so a failure never prints the password."""
    return any(s in text or quote(s, safe="") in text for s in secrets)


def test_the_password_never_leaves(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the password from PGPASSWORD, and with it in the URL (as user:password@ and as
    ?password=): no file written, no table value, no label holds it; a wrong password's
    error names the register without any password."""
    password = os.environ.get("PGPASSWORD", "")
    assert len(password) >= 8, "the test server's password comes from PGPASSWORD"
    assert urlsplit(postgres_url).password is None

    # 1. the password from the environment
    label, shown = use_register(postgres_url, tmp_path, "env")
    leaked = holds(label + shown, password)
    assert not leaked, "Register.label or repr holds the password"
    assert label == postgres_url

    # 2. the password in the URL, none in the environment
    monkeypatch.delenv("PGPASSWORD")
    in_netloc = with_password(postgres_url, password)
    in_query = postgres_url + "?password=" + quote(password, safe="")
    for tag, url in (("netloc", in_netloc), ("query", in_query)):
        label, shown = use_register(url, tmp_path, tag)
        leaked = holds(label + shown, password)
        assert not leaked, f"Register.label or repr holds the password ({tag})"
        assert label == postgres_url

    assert leaks(password, tmp_path) == []
    assert len(list(tmp_path.glob("backup-*.gpkg"))) == 3
    assert len(list(tmp_path.glob("report-*.json"))) == 12
    leaked = holds(table_text(in_netloc), password)
    assert not leaked, "a value in the register holds the password"

    # 3. a wrong password: the error names the register, holds no password
    wrong = "Fel-lösen-8f3kQ2"
    monkeypatch.setenv("PGPASSWORD", wrong)
    urls = [postgres_url, with_password(postgres_url, wrong)]
    urls.append(postgres_url + "?password=" + quote(wrong, safe=""))
    for i, url in enumerate(urls):
        if i == 2:
            monkeypatch.delenv("PGPASSWORD")
        with pytest.raises(RegisterError) as info:
            open_register(url)
        text = "".join(traceback.format_exception(info.value))
        leaked = holds(text, wrong, password)
        assert not leaked, f"the error (or its cause) holds a password (URL {i})"
        assert postgres_url in str(info.value)
    assert leaks(password, tmp_path) == []
    assert leaks(wrong, tmp_path) == []


# --- 5. a register held by another writer ----------------------------------------------------


def test_a_register_held_longer_than_the_timeout_refuses_and_writes_nothing(
    register_target: str, tmp_path: Path
) -> None:
    """Another process holds a write transaction (with a row written, not committed); an
    import with ``timeout=1`` waits about a second, then gets the Swedish RegisterError
    naming the register; nothing is written. Once the other lets go, the import works."""
    path = write_csv(
        tmp_path / "vandring.csv",
        WALK_HEADER,
        walk_rows(["L1", "L2", "L3"], "2024-05-14", line_of(3, 674000)),
    )
    open_register(register_target).close()
    before = snapshot(register_target)
    marker, release = tmp_path / "holding", tmp_path / "release"
    proc = start_child(
        {
            "action": "hold",
            "target": register_target,
            "marker": str(marker),
            "release": str(release),
            "out": str(tmp_path / "never.json"),
        }
    )
    try:
        wait_for_file(marker, proc)
        with open_register(register_target, create=False, timeout=1) as reg:
            start = time.monotonic()
            with pytest.raises(RegisterError) as info:
                reg.import_walk(path, walk="Låst", **READ)
            waited = time.monotonic() - start
            assert 0.8 <= waited < 10
            text = str(info.value)
            assert register_target in text  # the path, or the URL (it has no password)
            assert "upptaget av en annan import" in text
            assert re.search(r"\b1(\.0)? sekunder", text), text
            after = snapshot(register_target)
            release.write_text("go")
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            # the same connection works once the other writer is gone
            report = reg.import_walk(path, walk="Låst", **READ)
            assert report.n_new == 3
    finally:
        stop([proc])
    assert_same(before, after)
    final = snapshot(register_target)["counts"]
    assert final["findings"] == 3
    assert final["imports"] == 1
    assert final["events"] == 0
    assert "holder" not in meta_keys(register_target)
