"""Smoke runs of benchmarks/bench_register.py at tiny sizes (it must keep working as the
register changes), and its generated walks checked independently: the rows it plans as
seen again are open findings of earlier walks, within 2 m and of the same category."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pyproj
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TINY = ["--walks", "2", "--walk-rows", "40", "--events", "500", "--lagesbild-events", "500"]
TINY += ["--repeats", "1", "--walk-repeats", "1"]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("bench_register", None)
    return importlib.import_module("bench_register")


def test_runs_without_postgis(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GEO_TRYGG_POSTGRES_URL", raising=False)
    assert bench.main(TINY) == 0
    out = capsys.readouterr().out
    assert "PostGIS: skipped — GEO_TRYGG_POSTGRES_URL is not set" in out
    assert "| GPKG register: 2 × import_walk into an existing register, store | 80 |" in out
    assert "| GPKG register: open_register + add_events | 500 |" in out
    assert "check from GPKG: the areas table equals the file's" in out
    assert "CHECK FAILED" not in out
    assert "PostGIS register" not in out


def test_runs_with_postgis(
    bench: ModuleType,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GEO_TRYGG_POSTGRES_URL", postgres_url)
    assert bench.main([*TINY, "--only", "walks", "--only", "events"]) == 0
    out = capsys.readouterr().out
    assert "| PostGIS register: 2 × import_walk into an existing register, store | 80 |" in out
    assert "| PostGIS baseline: to_postgis | 500 |" in out
    assert "check PostGIS register: open_register + add_events: 500 events stored" in out
    assert "CHECK FAILED" not in out


def test_walks_repeat_open_findings(bench: ModuleType, tmp_path: Path) -> None:
    paths, planned = bench.write_walks(tmp_path, 3, 100, seed=7)
    # 25 rows of each walk after the first repeat an earlier open finding
    assert planned == 50
    to_sweref = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    walks = []
    for path in paths:
        frame = pd.read_csv(path, sep=";", decimal=",", dtype=str)
        x, y = to_sweref.transform(
            frame["lon"].str.replace(",", ".").astype(float).to_numpy(),
            frame["lat"].str.replace(",", ".").astype(float).to_numpy(),
        )
        walks.append(frame.assign(x=x, y=y))
        assert len(frame) == 100
    # every row is either far from every earlier open finding of its category, or within 2 m
    # of one; the close ones are exactly the planned repeats
    close_rows = 0
    for k in range(1, 3):
        earlier = pd.concat(walks[:k])
        earlier = earlier.loc[earlier["status"].isin(["Ny", "Pågående"])]
        for row in walks[k].itertuples():
            mine = earlier.loc[earlier["kategori"] == row.kategori]
            gap = np.hypot(mine["x"] - row.x, mine["y"] - row.y).min() if len(mine) else np.inf
            assert gap <= 2.01 or gap > 10
            close_rows += bool(gap <= 2.01)
    assert close_rows == planned
