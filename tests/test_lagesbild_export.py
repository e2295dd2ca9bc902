"""Exports of lägesbild tables: Excel, CSV folder, GeoPackage and HTML (lagesbild/_export.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError
from geo_trygg.export import FIXED_GPKG_DATE
from geo_trygg.export._tables import (
    _file_stems,
    _layer_names,
    _sheet_names,
    write_csv_folder,
    write_excel,
    write_geopackage,
    write_html,
)

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tx", "\r=1"]
SCRIPT = "<script>alert(1)</script>"


def area_table() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "stadsdel": ["ÄLVSJÖ", "SOLBERGA", '=HYPERLINK("http://x")'],
            "n": [12, 0, -3],
            "rate": [1.25, 0.0, 2.0],
            "p_value": [0.04213, 1.0, 0.5],
            "note": [SCRIPT, None, "-5 %"],
            "day": pd.to_datetime(["2024-03-01", None, "2024-03-03"]),
            "seen": pd.to_datetime(["2024-03-01 10:30", "2024-10-27 02:30", None]).tz_localize(
                "Europe/Stockholm", ambiguous=[False, False, False]
            ),
            "flag": [True, False, True],
        },
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10), None],
        crs="EPSG:3006",
    )


def weekly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": ["2024-W10", "2024-W11", "2024-W12"],
            "week_start": pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"]),
            "weight": [2.0, 0.0, 1.0],
        }
    )


def heat() -> pd.DataFrame:
    slots = pd.DataFrame({"weekday": [d for d in range(7) for _ in range(24)]})
    slots["hour"] = list(range(24)) * 7
    slots["weight"] = 0.0
    slots.loc[(slots.weekday == 4) & (slots.hour == 22), "weight"] = 4.0
    slots.loc[(slots.weekday == 0) & (slots.hour == 8), "weight"] = 1.5
    return slots


def tables() -> dict[str, pd.DataFrame]:
    return {"Per stadsdel": area_table(), "Veckor": weekly(), "Veckodag × timme": heat()}


# --- names ------------------------------------------------------------------------------------


def test_excel_sheet_names_are_valid_and_unique():
    names = ["a:b/c", "x" * 40, "x" * 45, "History", "Data", "data", "", "'quoted'", "[*?]"]
    assert _sheet_names(names) == [
        "a_b_c",
        "x" * 31,
        "x" * 29 + "~2",
        "History_",
        "Data",
        "data~2",  # Excel compares sheet names without case
        "7",
        "quoted",
        "____",
    ]


def test_file_and_layer_names_are_safe_and_unique():
    assert _file_stems(["Per stadsdel", "per stadsdel", "CON", "Älvsjö/Fittja", "§"]) == [
        "Per_stadsdel",
        "per_stadsdel_2",
        "CON_",
        "Alvsjo_Fittja",
        "table_5",
    ]
    assert _layer_names(["Per stadsdel", "2024 veckor", "gpkg_contents", "PER STADSDEL"]) == [
        "per_stadsdel",
        "t_2024_veckor",
        "t_gpkg_contents",
        "per_stadsdel_2",
    ]


# --- Excel ------------------------------------------------------------------------------------


def test_excel_headers_formats_frozen_row_and_widths(tmp_path: Path):
    path = tmp_path / "lb.xlsx"
    headers = {"stadsdel": "Stadsdel", "n": {"sv": "Antal", "en": "Count"}}
    write_excel(tables(), path, headers=headers, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Per stadsdel", "Veckor", "Veckodag × timme"]
    ws = wb["Per stadsdel"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header == ["Stadsdel", "Count", "rate", "p_value", "note", "day", "seen", "flag"]
    row = dict(zip(header, ws[2], strict=True))
    assert (row["Count"].value, row["Count"].number_format) == (12, "0")
    assert (row["rate"].value, row["rate"].number_format) == (1.25, "0.0")
    assert (row["p_value"].value, row["p_value"].number_format) == (0.04213, "0.000")
    assert row["day"].value == dt.datetime(2024, 3, 1)
    assert row["day"].number_format == "yyyy-mm-dd"
    assert row["seen"].value == dt.datetime(2024, 3, 1, 10, 30)  # local wall-clock time
    assert row["seen"].number_format == "yyyy-mm-dd hh:mm"
    assert row["flag"].value is True
    assert ws["B3"].value == 0
    assert ws["B4"].value == -3
    assert ws["F3"].value is None  # missing date: empty cell
    # the longest text (the HYPERLINK cell, 22 characters) sets the width of column A
    assert ws.column_dimensions["A"].width == pytest.approx(22 + 2, abs=1)
    assert len(header) == 8  # the geometry column is dropped
    assert wb.properties.created == dt.datetime(2000, 1, 1)


def test_excel_text_that_looks_like_a_formula_is_a_string(tmp_path: Path):
    frame = pd.DataFrame({"text": [*DANGEROUS, "vanlig text"], "n": range(7)})
    path = write_excel({"t": frame}, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(path)["t"]
    cells = [ws.cell(row=i, column=1) for i in range(2, 9)]
    # XlsxWriter stores a carriage return as the OOXML escape _x000D_, which Excel decodes and
    # openpyxl does not
    values = [str(c.value).replace("_x000D_", "\r") for c in cells]
    assert values == [*DANGEROUS, "vanlig text"]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "<f " not in sheet


def test_excel_named_index_becomes_a_column_and_unnamed_index_is_dropped(tmp_path: Path):
    named = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["A", "B"], name="lpo"))
    unnamed = pd.DataFrame({"n": [1, 2]}, index=[7, 9])
    path = write_excel({"a": named, "b": unnamed}, tmp_path / "i.xlsx")
    wb = openpyxl.load_workbook(path)
    values = {name: [[c.value for c in r] for r in wb[name].iter_rows()] for name in "ab"}
    assert values == {"a": [["lpo", "n"], ["A", 1], ["B", 2]], "b": [["n"], [1], [2]]}


# --- CSV --------------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = raw[3:].decode("utf-8")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_folder_swedish_format_and_formula_safety(tmp_path: Path):
    frame = pd.DataFrame({"text": [*DANGEROUS, "a;b"], "x": [1.5, -2.25, 0.1, 3.0, 4.0, 5.0, 6.0]})
    paths = write_csv_folder({"Per stadsdel": area_table(), "Farlig text": frame}, tmp_path)
    assert [p.name for p in paths] == ["Per_stadsdel.csv", "Farlig_text.csv"]
    rows = read_csv_rows(paths[0])
    assert rows[0] == ["stadsdel", "n", "rate", "p_value", "note", "day", "seen", "flag"]
    assert rows[1] == [
        "ÄLVSJÖ", "12", "1,25", "0,04213", SCRIPT, "2024-03-01", "2024-03-01 10:30:00+0100", "ja"
    ]  # fmt: skip
    assert rows[2][1:4] == ["0", "0,0", "1,0"]
    assert rows[2][4:6] == ["", ""]
    assert rows[3][0] == '\'=HYPERLINK("http://x")'
    assert rows[3][1] == "-3"  # a negative number is a number, not text: no apostrophe
    assert rows[3][4] == "'-5 %"
    rows = read_csv_rows(paths[1])
    assert [r[0] for r in rows[1:]] == ["'" + s for s in DANGEROUS] + ["a;b"]
    assert [r[1] for r in rows[1:]] == ["1,5", "-2,25", "0,1", "3,0", "4,0", "5,0", "6,0"]
    back = pd.read_csv(paths[1], sep=";", decimal=",", encoding="utf-8-sig")
    assert back["x"].tolist() == [1.5, -2.25, 0.1, 3.0, 4.0, 5.0, 6.0]


def test_csv_headers_and_english_booleans(tmp_path: Path):
    frame = pd.DataFrame({"flag": [True, False]})
    (path,) = write_csv_folder({"t": frame}, tmp_path, headers={"flag": "=Flagga"}, lang="en")
    assert read_csv_rows(path) == [["'=Flagga"], ["yes"], ["no"]]


# --- GeoPackage -------------------------------------------------------------------------------


def test_geopackage_layers_with_and_without_geometry(tmp_path: Path):
    empty = gpd.GeoDataFrame({"n": pd.Series(dtype="int64")}, geometry=[], crs="EPSG:3006")
    path = write_geopackage({**tables(), "Tom": empty}, tmp_path / "lb.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert layers == {
        "per_stadsdel": "Polygon",
        "veckor": None,
        "veckodag_timme": None,
        "tom": "Unknown",
    }
    back = pyogrio.read_dataframe(path, layer="per_stadsdel")
    assert back.crs.to_epsg() == 3006
    assert back["stadsdel"].tolist() == ["ÄLVSJÖ", "SOLBERGA", '=HYPERLINK("http://x")']
    assert back["n"].tolist() == [12, 0, -3]
    assert back.geometry.iloc[0].equals(shapely.box(0, 0, 10, 10))
    assert back.geometry.iloc[2] is None
    # local times are stored in UTC (10:30 CET = 09:30 UTC; 02:30 CET on 2024-10-27 = 01:30 UTC)
    seen = pd.to_datetime(back["seen"], utc=True)
    assert seen.iloc[0] == pd.Timestamp("2024-03-01 09:30", tz="UTC")
    assert seen.iloc[1] == pd.Timestamp("2024-10-27 01:30", tz="UTC")
    weeks = pyogrio.read_dataframe(path, layer="veckor")
    assert weeks["week"].tolist() == ["2024-W10", "2024-W11", "2024-W12"]
    assert weeks["weight"].tolist() == [2.0, 0.0, 1.0]


def test_geopackage_restores_the_gdal_date_option(tmp_path: Path):
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    write_geopackage({"v": weekly()}, tmp_path / "a.gpkg")
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    contents = pyogrio.read_dataframe(tmp_path / "a.gpkg", sql="SELECT * FROM gpkg_contents")
    assert set(contents["last_change"]) == {pd.Timestamp(FIXED_GPKG_DATE)}


# --- HTML -------------------------------------------------------------------------------------


class Collector(HTMLParser):
    """Start tags (with attributes) and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.by_tag: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.by_tag.setdefault(self.stack[-1], []).append(data)


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_html_escapes_all_user_text(tmp_path: Path):
    title = "Lägesbild Älvsjö & <Fittja>"
    frame = area_table()
    frame.attrs["notes"] = [f"anm: {SCRIPT}"]
    path = write_html(
        {f"Tabell {SCRIPT}": frame},
        tmp_path / "r.html",
        title=title,
        headers={"note": f"<b>{SCRIPT}</b>"},
        charts={f"Vecka {SCRIPT}": weekly()},
    )
    page = parse(path)
    tag_names = [t for t, _ in page.tags]
    assert "script" not in tag_names
    assert "b" not in tag_names
    assert page.by_tag["title"][0] == title  # the page title (SVG bars have titles too)
    assert title in page.by_tag["h1"]
    assert SCRIPT in page.by_tag["td"]  # the cell is shown as text
    assert f"<b>{SCRIPT}</b>" in page.by_tag["th"]
    assert f"anm: {SCRIPT}" in page.by_tag["p"]
    assert f"Tabell {SCRIPT}" in page.by_tag["h2"]
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw.lower()
    # self-contained: no external resources
    assert "<link" not in raw
    assert " src=" not in raw
    assert "@import" not in raw


def test_html_weekly_bar_chart_and_heat_table(tmp_path: Path):
    by_area = pd.concat([heat().assign(stadsdel="A"), heat().assign(stadsdel="B")])
    path = write_html(
        {"Veckor": weekly()},
        tmp_path / "c.html",
        title="t",
        lang="en",
        charts={"Per week": weekly(), "Weekday × hour": by_area},
    )
    page = parse(path)
    rects = [a for t, a in page.tags if t == "rect"]
    # weights 2, 0, 1 on a 180 px high plot: heights 180, 0, 90
    assert [float(a["height"]) for a in rects] == [180.0, 0.0, 90.0]
    assert [float(a["y"]) for a in rects] == [10.0, 190.0, 100.0]
    assert page.by_tag["title"][1:] == ["2024-W10: 2", "2024-W11: 0", "2024-W12: 1"]
    heat_cells = [a for t, a in page.tags if t == "td" and "title" in a]
    assert len(heat_cells) == 7 * 24
    # summed over the two areas: Friday 22 = 8 (the maximum), Monday 08 = 3
    friday_22 = heat_cells[4 * 24 + 22]
    assert friday_22["title"] == "Friday 22: 8"
    assert friday_22["style"] == "background:#a50f15;color:#ffffff"
    monday_08 = heat_cells[8]
    # 3/8 of the way from white (255, 255, 255) to #a50f15 (165, 15, 21):
    # 255 - 0.375 * 90 = 221.25 → dd, 255 - 0.375 * 240 = 165 → a5, 255 - 0.375 * 234 = 167.25 → a7
    assert monday_08["style"] == "background:#dda5a7;color:#222222"
    assert heat_cells[0]["style"] == "background:#ffffff;color:#222222"
    assert "summed over all 2 areas" in page.by_tag["p"]
    assert "highest value: 8" in page.by_tag["p"]


def test_html_cuts_long_tables_with_a_note_and_shows_empty_tables(tmp_path: Path):
    long = pd.DataFrame({"n": range(30)})
    path = write_html(
        {"Lång": long, "Tom": long.iloc[:0]}, tmp_path / "l.html", title="t", max_rows=10
    )
    page = parse(path)
    assert len([t for t, _ in page.tags if t == "tr"]) == 1 + 10  # header + 10 rows
    assert (
        "Visar de första 10 av 30 raderna; hela tabellen finns i Excel och CSV."
        in (page.by_tag["p"])
    )
    assert "Tabellen är tom." in page.by_tag["p"]


# --- determinism and bad input ----------------------------------------------------------------


def write_all(folder: Path) -> dict[str, bytes]:
    t = tables()
    write_excel(t, folder / "lb.xlsx", headers={"n": "Antal"})
    write_csv_folder(t, folder / "csv")
    write_geopackage(t, folder / "lb.gpkg")
    write_html(t, folder / "lb.html", title="Lägesbild", charts={"Vecka": weekly()})
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_same_input_gives_the_same_bytes(tmp_path: Path):
    first = write_all(tmp_path / "one")
    time.sleep(1.1)  # a time stamp anywhere would now differ
    second = write_all(tmp_path / "two")
    assert sorted(first) == [
        "csv/Per_stadsdel.csv",
        "csv/Veckodag_timme.csv",
        "csv/Veckor.csv",
        "lb.gpkg",
        "lb.html",
        "lb.xlsx",
    ]
    for name, data in first.items():
        assert second[name] == data, name


def test_bad_arguments_raise_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="non-empty mapping"):
        write_excel({}, tmp_path / "x.xlsx")
    with pytest.raises(ConfigError, match=r"tables\['a'\] must be a DataFrame"):
        write_csv_folder({"a": [1, 2]}, tmp_path)  # type: ignore[dict-item]
    dup = pd.DataFrame([[1, 2]], columns=["n", "n"])
    with pytest.raises(ConfigError, match="duplicate column names: n"):
        write_geopackage({"a": dup}, tmp_path / "x.gpkg")
    clash = pd.DataFrame({"lpo": [1]}, index=pd.Index(["A"], name="lpo"))
    with pytest.raises(ConfigError, match="duplicate column names: lpo"):
        write_excel({"a": clash}, tmp_path / "x.xlsx")
    with pytest.raises(ConfigError, match="lang='de'"):
        write_html({"a": weekly()}, tmp_path / "x.html", title="t", lang="de")
    with pytest.raises(ConfigError, match=r"charts\['fel'\].*weekday, hour, weight"):
        write_html({"a": weekly()}, tmp_path / "x.html", title="t", charts={"fel": dup})
    with pytest.raises(ConfigError, match="max_rows=0"):
        write_html({"a": weekly()}, tmp_path / "x.html", title="t", max_rows=0)


def test_excel_refuses_a_table_larger_than_a_sheet(tmp_path: Path):
    big = pd.DataFrame({"n": range(1_048_576)})
    with pytest.raises(ConfigError, match="at most 1048575 rows"):
        write_excel({"stor": big}, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


class _Recorder:
    """A stand-in worksheet that records what is written."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def write_number(self, i: int, j: int, x: float, style: object) -> None:
        self.calls.append(("number", i, j, x, style))

    def write_string(self, i: int, j: int, text: str, style: object = None) -> None:
        self.calls.append(("string", i, j, text, style))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True, width=64),
            st.integers(-(10**12), 10**12).map(float),
        ),
        min_size=1,
        max_size=40,
    ),
    st.lists(st.one_of(st.none(), st.integers(-(10**15), 10**15)), min_size=1, max_size=40),
    st.sampled_from(["int", "float", "float3"]),
)
def test_numeric_columns_are_written_as_cell_by_cell(
    floats: list[float], ints: list[int | None], kind: str
) -> None:
    from geo_trygg.export._tables import _write_cell, _write_numbers

    # the kinds as _kind gives them: "int" for integer columns, the others for floats
    series = pd.Series(ints, dtype="Int64") if kind == "int" else pd.Series(floats, dtype=float)
    fast, slow = _Recorder(), _Recorder()
    width = _write_numbers(fast, 0, series, kind, "style")
    widths = [
        _write_cell(slow, i, 0, v, kind, "style", {"float": "other"})
        for i, v in enumerate(series.tolist(), start=1)
    ]
    key = str  # the order of writes does not matter to the workbook
    assert sorted(fast.calls, key=key) == sorted(slow.calls, key=key)
    assert width == max(widths)


def test_the_report_and_the_pack_pages_share_one_html_frame(tmp_path: Path) -> None:
    """One frame (issue 12.1): the report's head is the frame's, and every page template of
    the project is compiled in the frame's one environment."""
    from geo_trygg.export import _frame, _report, page_template, render_page
    from geo_trygg.pack import _actions, _changes, _index

    empty = render_page(page_template('{% extends "base.html" %}'), lang="sv", title="T")
    head = empty.split("</style>")[0]  # everything up to the pages' own style rules
    report = write_html({"t": area_table()}, tmp_path / "r.html", title="T", lang="sv")
    page = report.read_text(encoding="utf-8")
    assert page.startswith(head.replace("max-width: 980px", "max-width: 72rem"))
    assert page.index("</main>") < page.index("<footer") < page.index("</body>")
    templates = [_report._template(), _index._TEMPLATE, _changes._TEMPLATE, _actions._TEMPLATE]
    assert all(t.environment is _frame._ENV for t in templates)
