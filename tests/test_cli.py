"""The geo-trygg command line: validate (exit codes, JSON), join (outputs, sidecar), demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from geo_trygg.cli import main

# Two findings near Älvsjö station (lat, lon in WGS 84) and one with an impossible coordinate.
GOOD = (
    "id;datum;kategori;beskrivning;status;lat;lon\n"
    "1;2024-03-05;Dålig belysning;Mörk gångväg;ny;59,2781;18,0106\n"
    "2;2024-03-05;Klotter;Klotter på vägg;ny;59,2790;18,0120\n"
)
BAD_ROW = "3;2024-03-05;Klotter;Utanför Sverige;ny;40,0;-3,0\n"


def _write(tmp_path: Path, text: str, name: str = "fynd.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_all_accepted_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["validate", str(_write(tmp_path, GOOD)), "--kind", "findings"])
    assert res.exit_code == 0, res.output
    assert "2 rader lästa, 2 godkända, 0 avvisade" in res.output


def test_validate_rejected_rows_exit_1_and_json(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + BAD_ROW)
    res = runner.invoke(main, ["validate", str(path), "--kind", "findings", "--json"])
    assert res.exit_code == 1, res.output
    report = json.loads(res.output)
    assert report["summary"]["n_input"] == 3
    assert report["summary"]["n_accepted"] == 2
    assert report["summary"]["n_rejected"] == 1
    rows = {r["row"] for r in report["rejected"]}
    assert rows == {4}  # header is row 1, so the third data row is row 4
    assert all(r["reason"] for r in report["rejected"])


def test_validate_english(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + BAD_ROW)
    res = runner.invoke(main, ["--lang", "en", "validate", str(path), "--kind", "findings"])
    assert res.exit_code == 1
    assert "3 rows read, 2 accepted, 1 rejected" in res.output
    assert "outside Sweden" in res.output


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p / "does-not-exist.csv",
        lambda p: _write(p, "", "empty.csv"),
        lambda p: _write(p, "a;b\n1;2\n", "nocoords.csv"),
        lambda p: _write(p, "whatever", "file.unknown"),
    ],
)
def test_validate_unreadable_exit_2(runner: CliRunner, tmp_path: Path, make: object) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    res = runner.invoke(main, ["validate", str(path), "--kind", "findings"])
    assert res.exit_code == 2, res.output


def test_join_writes_output_and_sidecar(runner: CliRunner, tmp_path: Path) -> None:
    points = _write(tmp_path, GOOD + BAD_ROW)
    # Two hand-made areas in EPSG:3006 split at the x of the first point.
    first = gpd.GeoSeries.from_xy([18.0106], [59.2781], crs=4326).to_crs(3006).iloc[0]
    x0, y0 = first.x, first.y
    areas = gpd.GeoDataFrame(
        {
            "area_id": ["west", "east"],
            "name": ["Väst", "Öst"],
            "level": ["stadsdel", "stadsdel"],
        },
        geometry=[
            box(x0 - 1000, y0 - 1000, x0 + 50, y0 + 1000),
            box(x0 + 50, y0 - 1000, x0 + 1000, y0 + 1000),
        ],
        crs=3006,
    )
    areas_path = tmp_path / "areas.gpkg"
    areas.to_file(areas_path)
    for ext in ("gpkg", "geojson", "csv"):
        out = tmp_path / f"out.{ext}"
        res = runner.invoke(
            main,
            ["join", str(points), "--areas", str(areas_path), "--out", str(out), "--no-crosswalk"],
        )
        assert res.exit_code == 0, res.output
        sidecar = tmp_path / "out.rejected.csv"
        assert sidecar.exists()
        rejected = pd.read_csv(sidecar, sep=";", encoding="utf-8-sig")
        assert rejected["row"].tolist() == [4]
        if ext == "csv":
            got = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
        else:
            got = gpd.read_file(out)
        assert len(got) == 2
        # The second point lies ~80 m east of the first, so east of the split line.
        assert got["stadsdel"].tolist() == ["Väst", "Öst"]


def test_join_bad_out_extension(runner: CliRunner, tmp_path: Path) -> None:
    points = _write(tmp_path, GOOD)
    res = runner.invoke(main, ["join", str(points), "--areas", "x.gpkg", "--out", "out.txt"])
    assert res.exit_code == 2
    assert ".gpkg" in res.output


def test_python_dash_m_and_demo_run(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "geo_trygg", "--lang", "en", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "DEMO" in res.stdout
    assert "The pack is ready: 4 pages, 0 failed" in " ".join(res.stdout.split())
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "lpo" / "globen" / "karta.html").is_file()


def test_boundaries_list_and_show(runner: CliRunner) -> None:
    import tomllib

    catalogue = tomllib.loads(
        (Path(__file__).parents[1] / "geo_trygg" / "data" / "catalogue.toml").read_text("utf-8")
    )
    listed = runner.invoke(main, ["boundaries", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    names = [entry["name"] for entry in json.loads(listed.output)]
    assert sorted(names) == sorted(catalogue["sources"])
    # bare "boundaries" lists too
    assert json.loads(runner.invoke(main, ["boundaries", "--json"]).output) == json.loads(
        listed.output
    )
    shown = runner.invoke(main, ["boundaries", "show", "stockholm-stadsdelar", "--json"])
    assert shown.exit_code == 0, shown.output
    entry = json.loads(shown.output)
    assert (entry["level"], entry["crs"], entry["licence"]) == ("stadsdel", "EPSG:3011", "CC0 1.0")
    missing = runner.invoke(main, ["boundaries", "show", "nope"])
    assert missing.exit_code == 2
    assert "'nope'" in missing.output
    assert "stockholm-stadsdelar" in missing.output  # the allowed names
