"""read_findings: CSV/Excel as Swedish offices export them, CRS handling, rejections."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo_trygg import ConfigError, GeoTryggWarning, ReadError, RowError
from geo_trygg import settings as gt_settings
from geo_trygg.io.readers import read_findings

# Public station coordinates (lon, lat): Älvsjö pendeltåg, Fittja T, Rinkeby T.
ALVSJO = (18.01056, 59.27806)
FITTJA = (17.86083, 59.2475)
RINKEBY = (17.92861, 59.38806)


def to_3006(lon: float, lat: float) -> tuple[float, float]:
    """Expected coordinates, computed directly with pyproj (not via geo_trygg)."""
    return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(lon, lat)


def project(lon: float, lat: float, epsg: int) -> tuple[float, float]:
    if epsg == 4326:
        return lon, lat
    return Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True).transform(lon, lat)


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    *,
    sep: str = ";",
    encoding: str = "utf-8",
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def sv(x: float) -> str:
    """A number as Swedish Excel writes it: decimal comma."""
    return repr(float(x)).replace(".", ",")


def assert_xy(geom: object, lon: float, lat: float, tol: float = 0.01) -> None:
    ex, ey = to_3006(lon, lat)
    assert abs(geom.x - ex) < tol
    assert abs(geom.y - ey) < tol  # type: ignore[attr-defined]


HEADER = [
    "ID",
    "Datum",
    "Kategori",
    "Beskrivning",
    "Ansvarig",
    "Status",
    "Åtgärdsdatum",
    "Allvarlighetsgrad",
    "Lat",
    "Long",
    "Foto",
]


def _messy_rows() -> list[list[object]]:
    a_lat, a_lon = sv(ALVSJO[1]), sv(ALVSJO[0])
    f_lat, f_lon = sv(FITTJA[1]), sv(FITTJA[0])
    return [
        # row 2: all fine
        [
            "1",
            "5/3/2024",
            "Dålig belysning",
            "Mörkt vid trappan",
            "SDF Hägersten-Älvsjö",
            "Ny",
            "2024-06-01",
            "hög",
            a_lat,
            a_lon,
            "a.jpg",
        ],
        # row 3: swapped lat/lon, Swedish month name, status in progress
        [
            "2",
            "5 mars 2024",
            "Klotter",
            "",
            "Trafikkontoret",
            "pågående",
            "",
            "1",
            f_lon,
            f_lat,
            "",
        ],
        # row 4: no category, description -> category from description; unknown status
        ["3", "2024-03-05", "", "Trasig lampa", "", "kanske", "", "", a_lat, a_lon, ""],
        # row 5: impossible date and missing latitude
        ["4", "31/2/2024", "Skräp", "", "", "", "", "", "", a_lon, ""],
        # row 6: entirely blank (skipped, not counted)
        ["", "", "", "", "", "", "", "", "", "", ""],
        # row 7: unknown category kept as other; bad deadline; bad severity
        ["5", "2024-03-05", "Hundbajs", "", "Okänd AB", "klar", "snart", "7", a_lat, a_lon, ""],
        # row 8: duplicate id of row 7 (whose own row is rejected: still the first)
        ["5", "2024-03-06", "Skräp", "", "", "", "", "", a_lat, a_lon, ""],
        # row 9: outside Sweden (Berlin)
        ["6", "2024-03-06", "Skräp", "", "", "", "", "", "52,52", "13,40", ""],
        # row 10: neither category nor description; coordinate not a number
        ["7", "2024-03-06", "", "", "", "", "", "", "abc", a_lon, ""],
        # row 11: fine, no id -> generated
        ["", "6 mar 2024", "Narkotika", "", "Polisen", "Åtgärdad", "", "", a_lat, a_lon, ""],
    ]


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "vandring.csv", HEADER, _messy_rows(), encoding="cp1252")


def test_messy_cp1252_semicolon_file(messy: Path) -> None:
    res = read_findings(messy)
    acc = res.accepted
    assert res.n_input == 9  # ten records, one entirely blank
    assert acc["source_row"].tolist() == [2, 3, 11]
    assert res.n_accepted == 3
    assert res.n_rejected == 6
    # row 11 has no id: made from its content (walk date, category code, place on the 5 m
    # grid, description), hashed here independently; no walk id, so the walk date leads
    x, y = (round(v / 5) * 5 for v in to_3006(*ALVSJO))
    key = "\x1f".join(("", "2024-03-06", "drugs", str(x), str(y), ""))
    generated = "2024-03-06-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    assert acc["finding_id"].tolist() == ["1", "2", generated]
    assert acc["walk_date"].tolist() == [pd.Timestamp("2024-03-05")] * 2 + [
        pd.Timestamp("2024-03-06")
    ]
    assert acc["category"].tolist() == ["lighting", "graffiti_vandalism", "drugs"]
    assert acc["category_original"].tolist() == ["Dålig belysning", "Klotter", "Narkotika"]
    assert acc["status"].tolist() == ["new", "in_progress", "done"]
    assert acc["responsible_actor"].tolist() == ["stadsdelsforvaltning", "trafikkontoret", "polis"]
    assert acc["responsible_original"].iat[0] == "SDF Hägersten-Älvsjö"
    assert acc["severity"].tolist()[:2] == [3, 1]
    assert pd.isna(acc["severity"].iat[2])
    assert acc["deadline"].iat[0] == pd.Timestamp("2024-06-01")
    assert pd.isna(acc["deadline"].iat[1])
    assert acc["coords_swapped"].tolist() == [False, True, False]
    assert acc["src_Foto"].tolist() == ["a.jpg", None, None]
    assert_xy(acc.geometry.iat[0], *ALVSJO)
    assert_xy(acc.geometry.iat[1], *FITTJA)
    assert acc.crs.to_epsg() == 3006
    s = res.summary
    assert (s.n_swapped, s.crs_in, s.crs_inferred, s.crs_out) == (
        1,
        "EPSG:4326",
        True,
        "EPSG:3006",
    )
    assert any("cp1252" in n for n in s.notes)
    assert any("1 helt tomma rader" in n for n in s.notes)

    rej = res.rejected
    assert rej["row"].nunique() == res.n_rejected
    problems = {(int(r.row), r.column) for r in rej.itertuples()}
    assert problems == {
        (4, "Status"),
        (5, "Datum"),
        (5, "Lat"),
        (7, "Åtgärdsdatum"),
        (7, "Allvarlighetsgrad"),
        (8, "ID"),
        (9, "geometry"),
        (10, "Kategori"),
        (10, "Lat"),
    }
    reason = dict(zip(zip(rej["row"], rej["column"], strict=True), rej["reason"], strict=True))
    assert reason[(4, "Status")].startswith("okänd status; tillåtna värden: ny, pågående")
    assert "finns inte i kalendern" in reason[(5, "Datum")]
    assert reason[(5, "Lat")] == "koordinat saknas"
    assert reason[(8, "ID")].startswith("samma id som rad 7")
    assert "utanför Sverige" in reason[(9, "geometry")]
    assert reason[(10, "Lat")] == "koordinaten är inte ett tal"
    assert rej.loc[rej["column"] == "Datum", "value"].iat[0] == "31/2/2024"


def test_reasons_in_english(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gt_settings, "lang", "en")
    rej = read_findings(messy).rejected
    reasons = rej.set_index(["row", "column"])["reason"]
    assert (
        reasons[(4, "Status")]
        == "unknown status; allowed values: new, in progress, done, rejected"
    )
    assert reasons[(5, "Lat")] == "coordinate is missing"


def test_strict_raises_at_the_first_problem(messy: Path) -> None:
    with pytest.raises(RowError) as info:
        read_findings(messy, strict=True)
    assert (info.value.row, info.value.column, info.value.value) == (4, "Status", "kanske")


def test_result_is_json_reportable(messy: Path) -> None:
    data = json.loads(read_findings(messy).to_json())
    assert data["summary"]["n_input"] == 9
    assert len(data["rejected"]) == 9


@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_independent_of_separator_and_encoding(tmp_path: Path, sep: str, encoding: str) -> None:
    base = read_findings(write_csv(tmp_path / "base.csv", HEADER, _messy_rows()))
    path = write_csv(tmp_path / "base.csv", HEADER, _messy_rows(), sep=sep, encoding=encoding)
    other = read_findings(path)
    pd.testing.assert_frame_equal(other.accepted, base.accepted)
    pd.testing.assert_frame_equal(other.rejected, base.rejected)


_text = st.text(alphabet="abcåäöÅÄÖé ;,\t\"'–-", max_size=15)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
            _text,
            _text,
            st.floats(55.5, 69.0),
            st.floats(11.0, 24.0),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_table_reads_the_same_whatever_separator_and_encoding(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[dt.date, str, str, float, float]],
) -> None:
    header = ["Datum", "Kategori", "Beskrivning", "Latitud", "Longitud"]
    cells = [[d.isoformat(), c, t, sv(lat), sv(lon)] for d, c, t, lat, lon in rows]
    # Documented limit: cp1252 bytes that also form valid UTF-8 with Latin letters (e.g. "Ä–",
    # C4 96, reads as "Ė") cannot be told from UTF-8 without a BOM; such texts are left out.
    text = "".join(c + t for _, c, t, _, _ in rows)
    try:
        ambiguous = text.encode("cp1252").decode("utf-8") != text
    except UnicodeDecodeError:
        ambiguous = False
    assume(not ambiguous)
    folder = tmp_path_factory.mktemp("sep")
    frames = []
    for sep in (";", ",", "\t"):
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            path = write_csv(folder / "t.csv", header, cells, sep=sep, encoding=encoding)
            res = read_findings(path)
            frames.append((res.accepted, res.rejected))
    for accepted, rejected in frames[1:]:
        pd.testing.assert_frame_equal(accepted, frames[0][0])
        pd.testing.assert_frame_equal(rejected, frames[0][1])
    assert len(frames[0][0]) + frames[0][1]["row"].nunique() == len(rows)


_cell = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.integers(-(10**7), 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda v: repr(v).replace(".", ",")),
    st.sampled_from(["59,27806", "18,01056", "2024-03-05", "31/2/2024", "Ny", "klar", "", " "]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cell, min_size=0, max_size=7), min_size=1, max_size=12))
def test_every_row_is_accepted_or_rejected_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str | None]]
) -> None:
    header = ["Datum", "Kategori", "Lat", "Long", "Status", "ID"]
    cells = [["" if v is None else v for v in r] for r in rows]
    path = write_csv(tmp_path_factory.mktemp("junk") / "junk.csv", header, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        res = read_findings(path)
    n_blank = sum(1 for r in cells if not any(str(v).strip() for v in r))
    assert res.n_input == len(cells) - n_blank
    assert res.n_input == res.n_accepted + res.n_rejected
    assert len(res.accepted) == res.n_accepted
    assert res.rejected["row"].nunique() == res.n_rejected
    assert res.rejected["reason"].map(lambda r: isinstance(r, str) and len(r) > 5).all()
    seen = set(res.accepted["source_row"]) | set(res.rejected["row"])
    assert len(seen) == res.n_input
    assert not set(res.accepted["source_row"]) & set(res.rejected["row"])


@pytest.mark.parametrize("epsg", [4326, 3006, 3011, 3021])
def test_crs_fixtures_with_swapped_and_mixed_rows(tmp_path: Path, epsg: int) -> None:
    pts = [ALVSJO, FITTJA, RINKEBY]
    xy = [project(lon, lat, epsg) for lon, lat in pts]
    rows = [
        ["2024-03-05", "Belysning", sv(xy[0][0]), sv(xy[0][1])],
        ["2024-03-05", "Belysning", sv(xy[1][1]), sv(xy[1][0])],  # swapped
        ["2024-03-05", "Belysning", sv(xy[2][0]), sv(xy[2][1])],
    ]
    path = write_csv(tmp_path / f"p{epsg}.csv", ["datum", "kategori", "Öst", "Nord"], rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = read_findings(path)
    assert any(issubclass(w.category, GeoTryggWarning) for w in caught) is (epsg == 3011)
    assert res.n_accepted == 3
    assert res.accepted["coords_swapped"].tolist() == [False, True, False]
    assert res.summary.n_swapped == 1
    assert res.summary.crs_in == f"EPSG:{epsg}"
    assert res.summary.crs_inferred
    for geom, (lon, lat) in zip(res.accepted.geometry, pts, strict=True):
        assert_xy(geom, lon, lat)
    # the same file with the CRS given: same places, not inferred
    given_crs = read_findings(path, crs=f"EPSG:{epsg}")
    assert not given_crs.summary.crs_inferred
    for geom, (lon, lat) in zip(given_crs.accepted.geometry, pts, strict=True):
        assert_xy(geom, lon, lat)


def test_mixed_crs_rows_in_one_file(tmp_path: Path) -> None:
    rows = [
        ["2024-03-05", "Belysning", sv(ALVSJO[0]), sv(ALVSJO[1])],
        ["2024-03-05", "Belysning", *map(sv, project(*FITTJA, 3006))],
        ["2024-03-05", "Belysning", *map(sv, reversed(project(*RINKEBY, 3021)))],
    ]
    path = write_csv(tmp_path / "mixed.csv", ["datum", "kategori", "lon", "lat"], rows)
    with pytest.warns(GeoTryggWarning, match="blandar"):
        res = read_findings(path)
    assert res.accepted["coords_swapped"].tolist() == [False, False, True]
    for geom, (lon, lat) in zip(res.accepted.geometry, [ALVSJO, FITTJA, RINKEBY], strict=True):
        assert_xy(geom, lon, lat)


def test_goteborg_zone_needs_crs(tmp_path: Path) -> None:
    lon, lat = 11.9733, 57.7089  # Göteborg central station
    e, n = project(lon, lat, 3007)
    path = write_csv(
        tmp_path / "gbg.csv",
        ["datum", "kategori", "E", "N"],
        [["2024-03-05", "Belysning", sv(e), sv(n)]],
    )
    with pytest.warns(GeoTryggWarning, match="EPSG:3011"):
        wrong = read_findings(path)
    assert wrong.summary.crs_in == "EPSG:3011"
    ex, _ = to_3006(lon, lat)
    assert abs(wrong.accepted.geometry.iat[0].x - ex) > 1000  # lands in the wrong place
    with warnings.catch_warnings():
        warnings.simplefilter("error", GeoTryggWarning)
        right = read_findings(path, crs="EPSG:3007")
    assert_xy(right.accepted.geometry.iat[0], lon, lat)


def test_swedish_x_is_north_convention(tmp_path: Path) -> None:
    pts = [ALVSJO, FITTJA]
    rows = [["2024-03-05", "Skräp", sv(n), sv(e)] for e, n in (project(*p, 3011) for p in pts)]
    path = write_csv(tmp_path / "xy.csv", ["Datum", "Kategori", "X", "Y"], rows)
    with pytest.warns(GeoTryggWarning):
        res = read_findings(path)
    assert res.accepted["coords_swapped"].tolist() == [False, False]
    assert any("x = norr" in n for n in res.summary.notes)
    for geom, p in zip(res.accepted.geometry, pts, strict=True):
        assert_xy(geom, *p)


def test_direction_in_parentheses_maps_directly(tmp_path: Path) -> None:
    e, n = project(*ALVSJO, 3006)
    path = write_csv(
        tmp_path / "xn.csv",
        ["Datum", "Kategori", "X (nord)", "Y (öst)"],
        [["2024-03-05", "Skräp", sv(n), sv(e)]],
    )
    res = read_findings(path)
    assert res.accepted["coords_swapped"].tolist() == [False]
    assert not any("x = norr" in note for note in res.summary.notes)
    assert_xy(res.accepted.geometry.iat[0], *ALVSJO)


def test_combined_coordinate_column(tmp_path: Path) -> None:
    rows = [
        ["2024-03-05", "Skräp", f"{ALVSJO[1]}, {ALVSJO[0]}"],
        ["2024-03-05", "Skräp", f"{sv(FITTJA[1])} {sv(FITTJA[0])}"],
    ]
    res = read_findings(write_csv(tmp_path / "gps.csv", ["Datum", "Kategori", "GPS"], rows))
    assert res.n_accepted == 2
    assert_xy(res.accepted.geometry.iat[0], *ALVSJO)
    assert_xy(res.accepted.geometry.iat[1], *FITTJA)


def test_explicit_columns_win(tmp_path: Path) -> None:
    header = ["Typ", "Notering", "När", "Nordkoord", "Östkoord", "Vandring"]
    e, n = project(*ALVSJO, 3006)
    rows = [["fritext om lampan", "Vegetation", "2024-03-05", sv(n), sv(e), "V1"]]
    path = write_csv(tmp_path / "own.csv", header, rows)
    res = read_findings(
        path,
        columns={
            "Typ": "description",
            "Notering": "category",
            "När": "walk_date",
            "vandring": "walk_id",
        },
    )
    acc = res.accepted
    assert acc["category"].iat[0] == "vegetation"
    assert acc["description"].iat[0] == "fritext om lampan"
    # generated from the content (hashed here independently): <walk_id>-<hash>
    key = "\x1f".join(
        ("V1", "2024-03-05", "vegetation", str(round(e / 5) * 5), str(round(n / 5) * 5))
    )
    digest = hashlib.sha256((key + "\x1ffritext om lampan").encode()).hexdigest()[:8]
    assert acc["finding_id"].iat[0] == f"V1-{digest}"
    assert_xy(acc.geometry.iat[0], *ALVSJO)
    with pytest.raises(ConfigError, match="Saknas"):
        read_findings(path, columns={"Saknas": "category"})
    with pytest.raises(ConfigError, match="'colour'"):
        read_findings(path, columns={"Typ": "colour"})
    with pytest.raises(ConfigError, match="mapping"):
        read_findings(path, columns=["Typ"])  # type: ignore[arg-type]


def test_too_many_fields_is_rejected_with_a_reason(tmp_path: Path) -> None:
    text = (
        "datum,kategori,lat,lon\n"
        "2024-03-05,Skräp,59.27806,18.01056\n"
        "2024-03-05,Skräp,59,27806,18,01056\n"  # decimal commas, no quotes
    )
    path = tmp_path / "comma.csv"
    path.write_text(text, encoding="utf-8")
    res = read_findings(path)
    assert res.n_accepted == 1
    assert res.n_rejected == 1
    line = res.rejected.iloc[0]
    assert (line["row"], line["column"]) == (3, "*")
    assert "fler värden (6)" in line["reason"]
    assert "(4)" in line["reason"]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("missing.csv", None, "finns inte"),
        ("data.dat", "a;b\n1;2\n", "filtypen '.dat'"),
        ("old.xls", "x", ".xls"),
        ("empty.csv", "\n\n", "tom"),
        (
            "nocoords.csv",
            "Datum;Kategori;Adress\n2024-03-05;Skräp;Storgatan 1\n",
            "inga koordinatkolumner.*'Datum', 'Kategori', 'Adress'",
        ),
        ("nodate.csv", "Kategori;lat;lon\nSkräp;59,3;18,0\n", "vandringens datum"),
        ("nocat.csv", "Datum;lat;lon\n2024-03-05;59,3;18,0\n", "kategori eller beskrivning"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: str | None, match: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError, match=match):
        read_findings(path)


def test_bad_arguments_fail_before_reading(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.csv"
    with pytest.raises(ConfigError, match="to_crs"):
        read_findings(missing, to_crs="EPSG:4326")
    with pytest.raises(ConfigError, match="crs="):
        read_findings(missing, crs="EPSG:999999")
    with pytest.raises(ConfigError, match="encoding"):
        read_findings(missing, encoding="klingon")
    with pytest.raises(ConfigError, match="sep"):
        read_findings(missing, sep=";;")


def test_excel_native_and_serial_dates_and_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sammanställning"
    other = book.create_sheet("Vandring")
    other.append(["Datum", "Kategori", "Latitud", "Longitud", "Status", "Åtgärdsdatum"])
    other.append(
        [dt.datetime(2024, 3, 5), "Belysning", ALVSJO[1], ALVSJO[0], "Ny", dt.date(2024, 6, 1)]
    )
    other.append([45357, "Skräp", FITTJA[1], FITTJA[0], None, "1 juni 2024"])
    other.append([None] * 6)  # blank row 4
    other.append(["5 mars 2024", "Skräp", "59,3", None, "Klar", None])  # row 5: no longitude
    path = tmp_path / "vandring.xlsx"
    book.save(path)
    with pytest.raises(ReadError, match="tom"):
        read_findings(path)  # the first sheet is empty
    res = read_findings(path, sheet="Vandring")
    assert res.n_input == 3
    assert res.accepted["source_row"].tolist() == [2, 3]
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp("2024-03-05"),
        pd.Timestamp("2024-03-06"),
    ]
    assert res.accepted["deadline"].tolist() == [pd.Timestamp("2024-06-01")] * 2
    assert_xy(res.accepted.geometry.iat[1], *FITTJA)
    assert res.rejected[["row", "column"]].values.tolist() == [[5, "Longitud"]]
    assert read_findings(path, sheet=1).accepted["source_row"].tolist() == [2, 3]
    with pytest.raises(ConfigError, match="Vandring"):
        read_findings(path, sheet="Blad9")


def test_point_geojson_input(tmp_path: Path) -> None:
    e, n = project(*ALVSJO, 3006)
    features = [
        {
            "type": "Feature",
            "properties": {"datum": "2024-03-05", "kategori": "Klotter"},
            "geometry": {"type": "Point", "coordinates": [e, n]},
        },
        {
            "type": "Feature",
            "properties": {"datum": "2024-03-05", "kategori": "Klotter"},
            "geometry": {"type": "LineString", "coordinates": [[e, n], [e + 1, n]]},
        },
        {
            "type": "Feature",
            "properties": {"datum": "2024-03-05", "kategori": "Klotter"},
            "geometry": None,
        },
    ]
    doc = {
        "type": "FeatureCollection",
        "features": features,
        "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
    }
    path = tmp_path / "fynd.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    res = read_findings(path)
    assert res.summary.crs_in == "EPSG:3006"
    assert not res.summary.crs_inferred
    assert res.accepted["source_row"].tolist() == [1]
    assert_xy(res.accepted.geometry.iat[0], *ALVSJO)
    rej = res.rejected
    assert rej["row"].tolist() == [2, 3]
    assert "LineString" in rej["reason"].iat[0]
    # the same metres without a "crs" member: GDAL says WGS 84, the values say otherwise
    del doc["crs"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    res = read_findings(path)
    assert res.summary.crs_inferred
    assert res.summary.crs_in == "EPSG:3006"
    assert_xy(res.accepted.geometry.iat[0], *ALVSJO)


def test_other_working_crs(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "w.csv",
        ["datum", "kategori", "lat", "lon"],
        [["2024-03-05", "Skräp", sv(ALVSJO[1]), sv(ALVSJO[0])]],
    )
    res = read_findings(path, to_crs="EPSG:3011")
    ex, ey = project(*ALVSJO, 3011)
    g = res.accepted.geometry.iat[0]
    assert abs(g.x - ex) < 0.01
    assert abs(g.y - ey) < 0.01
    assert res.summary.crs_out == "EPSG:3011"
    assert np.isclose(res.accepted.crs.to_epsg(), 3011)


def test_ids_numbered_per_walk_are_prefixed_with_the_walk(tmp_path: Path) -> None:
    header = ["vandring", "nr", "datum", "kategori", "lat", "lon"]
    rows = [
        ["V1", "1", "2024-03-05", "Klotter", "59,2781", "18,0106"],
        ["V1", "2", "2024-03-05", "Skräp", "59,2782", "18,0107"],
        ["V2", "1", "2024-04-02", "Klotter", "59,2475", "17,8608"],
    ]
    res = read_findings(write_csv(tmp_path / "a.csv", header, rows), columns={"nr": "finding_id"})
    assert res.n_accepted == 3
    assert res.accepted["finding_id"].tolist() == ["V1-1", "V1-2", "V2-1"]
    # a repeat within one walk is still a repeat: rejected, pointing at the first
    rows.append(["V2", "1", "2024-04-02", "Skräp", "59,2476", "17,8609"])
    res = read_findings(write_csv(tmp_path / "b.csv", header, rows), columns={"nr": "finding_id"})
    assert res.n_accepted == 3
    assert res.rejected["row"].tolist() == [5]


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "rubrik.csv"
    path.write_text(
        "Trygghetsvandring Älvsjö 2024\n;;;\ndatum;kategori;lat;long\n"
        "2024-03-05 14:30;Nedskräpning;59,2781;18,0106\n",
        encoding="utf-8",
    )
    res = read_findings(path)
    assert res.n_input == 1
    assert res.n_accepted == 1
    assert res.accepted["source_row"].tolist() == [4]  # the data row as a user counts lines
    assert res.accepted["category"].tolist() == ["litter"]


def test_geopackage_layer_choice(tmp_path: Path) -> None:
    import geopandas as gpd

    path = tmp_path / "vandringar.gpkg"
    for layer, (lon, lat) in {"alvsjo": (18.0106, 59.2781), "fittja": (17.8608, 59.2475)}.items():
        gdf = gpd.GeoDataFrame(
            {"datum": ["2024-03-05"], "kategori": ["Klotter"]},
            geometry=gpd.points_from_xy([lon], [lat]),
            crs="EPSG:4326",
        )
        gdf.to_file(path, layer=layer, engine="pyogrio")
    with pytest.raises(ConfigError, match="alvsjo"):
        read_findings(path)  # two layers and none chosen: the error lists them
    res = read_findings(path, layer="fittja")
    expected = Transformer.from_crs(4326, 3006, always_xy=True).transform(17.8608, 59.2475)
    point = res.accepted.geometry.iat[0]
    assert abs(point.x - expected[0]) < 0.01
    assert abs(point.y - expected[1]) < 0.01


def test_bytes_valid_in_both_encodings_prefer_the_plausible_text(tmp_path: Path) -> None:
    header = ["datum", "kategori", "beskrivning", "lat", "lon"]
    row = ["2024-03-05", "Skräp", "", "59,2781", "18,0106"]
    # "ä––" in cp1252 (E4 96 96) is valid UTF-8 too, for the CJK letter "䖖"; the file is
    # cp1252 because "Skräp" (E4 70) is not UTF-8 (valid UTF-8 is always read as UTF-8)
    path = write_csv(tmp_path / "a.csv", header, [[*row[:2], "ä––", *row[3:]]], encoding="cp1252")
    assert read_findings(path).accepted["description"].tolist() == ["ä––"]
    # a UTF-8 name with Latin letters beyond Swedish stays UTF-8
    path = write_csv(tmp_path / "b.csv", header, [[*row[:2], "Šehić", *row[3:]]])
    assert read_findings(path).accepted["description"].tolist() == ["Šehić"]
