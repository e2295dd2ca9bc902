"""read_events on CSV/Excel/GeoJSON (non-police) and the police-JSON hand-off."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo_trygg import ConfigError, GeoTryggWarning, ReadError
from geo_trygg.io.readers import read_events

ALVSJO = (18.01056, 59.27806)
TZ = "Europe/Stockholm"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def write_csv(path: Path, header: list[str], rows: list[list[object]], sep: str = ";") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def sweref(lon: float, lat: float, dx: float = 0.0) -> tuple[str, str]:
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(lon, lat)
    return f"{e + dx:.2f}", f"{n:.2f}"


E, N = sweref(*ALVSJO)


def test_time_windows(tmp_path: Path) -> None:
    header = ["Ärendenr", "Datum", "Från", "Till", "Händelsetyp", "Öst", "Nord"]
    rows = [
        ["A1", "2024-03-05", "22:00", "06:00", "Skadegörelse", E, N],  # night window
        ["A2", "2024-03-06", "", "", "Klotter", E, N],  # date only: the whole day
        ["A3", "", "2024-03-07 10:15", "", "Brand", E, N],  # single time
        ["A4", "", "5/3/2024 08.00", "6/3/2024", "Inbrott", E, N],  # till a date: its end
        ["A5", "", "2024-03-05 10:00", "2024-03-05 09:00", "Brand", E, N],  # end before start
        ["A6", "", "14:00", "", "Brand", E, N],  # a time of day without a date
        ["A7", "", "igår", "", "Brand", E, N],  # not a time
        ["A8", "2024-31-12", "", "", "Brand", E, N],  # not a date
        ["A9", "", "", "", "Brand", E, N],  # no time at all
    ]
    res = read_events(write_csv(tmp_path / "larm.csv", header, rows), source="bostadsbolag")
    acc = res.accepted.set_index("event_id")
    assert acc.index.tolist() == ["A1", "A2", "A3", "A4"]
    assert acc.loc["A1", "time_from"] == ts("2024-03-05 22:00")
    assert acc.loc["A1", "time_to"] == ts("2024-03-06 06:00")
    assert acc.loc["A2", "time_from"] == ts("2024-03-06 00:00")
    assert acc.loc["A2", "time_to"] == ts("2024-03-07 00:00")
    assert acc.loc["A3", "time_from"] == acc.loc["A3", "time_to"] == ts("2024-03-07 10:15")
    assert acc.loc["A4", "time_from"] == ts("2024-03-05 08:00")
    assert acc.loc["A4", "time_to"] == ts("2024-03-07 00:00")
    assert str(res.accepted["time_from"].dtype) == "datetime64[ns, Europe/Stockholm]"
    rej = res.rejected.set_index("row")
    assert rej.loc[6, "column"] == "Till"
    assert rej.loc[6, "reason"] == (
        "sluttiden (2024-03-05 09:00) ligger före starttiden (2024-03-05 10:00)"
    )
    assert rej.loc[7, "reason"].startswith("bara ett klockslag")
    assert rej.loc[8, "column"] == "Från"
    assert rej.loc[8, "value"] == "igår"
    assert rej.loc[9, "column"] == "Datum"
    assert rej.loc[10, "reason"] == "datum saknas"
    notes = " ".join(res.summary.notes)
    assert "1 händelser hade bara datum" in notes
    assert "1 tidsfönster" in notes


def test_date_and_clock_columns_and_dst(tmp_path: Path) -> None:
    header = ["id", "datum", "klockslag", "typ", "x", "y"]
    rows = [
        ["1", "2024-03-31", "02:30", "Brand", E, N],  # does not exist: +1 h
        ["2", "2024-10-27", "02:30", "Brand", E, N],  # twice: summer time
        ["3", "2024-07-01", "kl 9", "Brand", E, N],
        ["4", "2024-07-01", "nio", "Brand", E, N],
    ]
    res = read_events(write_csv(tmp_path / "dst.csv", header, rows), source="vaktbolag")
    t = res.accepted["time_from"]
    assert t.iat[0].tz_convert("UTC") == pd.Timestamp("2024-03-31 01:30", tz="UTC")
    assert t.iat[1].tz_convert("UTC") == pd.Timestamp("2024-10-27 00:30", tz="UTC")
    assert t.iat[2] == ts("2024-07-01 09:00")
    assert res.rejected[["row", "column"]].values.tolist() == [[5, "klockslag"]]
    notes = " ".join(res.summary.notes)
    assert "inträffar två gånger" in notes
    assert "inte finns" in notes


def test_published_source_category_precision(tmp_path: Path) -> None:
    header = [
        "id",
        "tid",
        "publicerad",
        "källa",
        "kategori",
        "precision",
        "plats",
        "kommun",
        "text",
        "länk",
        "lat",
        "lon",
        "fastighet",
    ]
    lat, lon = str(ALVSJO[1]), str(ALVSJO[0])
    rows = [
        [
            "1",
            "2024-03-05 21:00",
            "2024-03-05 22:10 +01:00",
            "Bostadsbolaget",
            "Brand i soprum",
            "adress",
            "Älvsjövägen 1",
            "Stockholm",
            "Rök",
            "http://x",
            lat,
            lon,
            "F1",
        ],
        ["2", "2024-03-05 21:00", "", "Väktare", "Skadegörelse", "", "", "", "", "", lat, lon, ""],
        ["3", "2024-03-05 21:00", "", "SL", "Okänd händelse", "km", "", "", "", "", lat, lon, ""],
        [
            "4",
            "2024-03-05 21:00",
            "i morse",
            "Grannen",
            "Klotter",
            "Län",
            "",
            "",
            "",
            "",
            lat,
            lon,
            "",
        ],
        [
            "5",
            "2024-03-05 21:00",
            "",
            "Grannen",
            "Klotter",
            "kommun",
            "",
            "",
            "",
            "",
            lat,
            lon,
            "",
        ],
    ]
    res = read_events(write_csv(tmp_path / "mix.csv", header, rows))
    acc = res.accepted.set_index("event_id")
    assert acc.index.tolist() == ["1", "2", "5"]
    assert acc.loc["1", "published"] == ts("2024-03-05 22:10")
    assert pd.isna(acc.loc["2", "published"])
    assert acc["source"].tolist() == ["bostadsbolag", "vaktbolag", "annan"]
    assert acc["category"].tolist() == ["fire", "vandalism", "vandalism"]
    assert acc["source_type"].tolist() == ["Brand i soprum", "Skadegörelse", "Klotter"]
    assert acc["location_precision"].tolist() == ["address", "exact", "kommun"]
    assert acc.loc["1", ["location_name", "kommun", "text", "url"]].tolist() == [
        "Älvsjövägen 1",
        "Stockholm",
        "Rök",
        "http://x",
    ]
    assert acc.loc["1", "src_fastighet"] == "F1"
    rej = res.rejected.set_index(["row", "column"])
    assert "okänd lägesprecision" in rej.loc[(4, "precision"), "reason"]
    assert rej.loc[(5, "publicerad"), "value"] == "i morse"
    assert any("okänd källa" in n for n in res.summary.notes)


def test_source_argument_wins_and_is_checked(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        ["tid", "källa", "typ", "x", "y"],
        [["2024-03-05 21:00", "Polisen", "Klotter", E, N]],
    )
    assert read_events(path, source="SL").accepted["source"].tolist() == ["kollektivtrafik"]
    with pytest.raises(ConfigError, match="source='brandkåren'"):
        read_events(path, source="brandkåren")
    plain = write_csv(tmp_path / "p.csv", ["tid", "x", "y"], [["2024-03-05 21:00", E, N]])
    res = read_events(plain)
    assert res.accepted[["source", "category"]].values.tolist() == [["annan", "other"]]
    assert any("'annan'" in n for n in res.summary.notes)
    assert any("'other'" in n for n in res.summary.notes)


def test_user_category_map_wins(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv", ["tid", "typ", "x", "y"], [["2024-03-05 21:00", "Vattenskada", E, N]]
    )
    assert read_events(path, source="bostadsbolag").accepted["category"].iat[0] == "other"
    own = pd.DataFrame(
        {"source": ["bostadsbolag"], "source_type": ["Vattenskada"], "category": ["vandalism"]}
    )
    res = read_events(path, source="bostadsbolag", category_map=own)
    assert res.accepted["category"].iat[0] == "vandalism"
    with pytest.raises(ConfigError):
        read_events(path, category_map=pd.DataFrame({"x": [1]}))


def test_ids_generated_and_repeats_rejected(tmp_path: Path) -> None:
    rows = [
        ["", "2024-03-05 21:00", E, N],
        ["B", "2024-03-05 21:00", E, N],
        ["B", "2024-03-05 22:00", E, N],
    ]
    res = read_events(write_csv(tmp_path / "larm.csv", ["id", "tid", "x", "y"], rows))
    assert res.accepted["event_id"].tolist() == ["larm-2", "B"]
    assert res.rejected[["row", "column"]].values.tolist() == [[4, "id"]]
    assert res.rejected["reason"].iat[0].startswith("samma id som rad 3")


def test_duplicates_across_sources_are_flagged_not_dropped(tmp_path: Path) -> None:
    e2, n2 = sweref(*ALVSJO, dx=100.0)
    e3, n3 = sweref(*ALVSJO, dx=5000.0)
    rows = [
        ["a1", "2024-03-05 21:00", "bostadsbolag", "Brand i soprum", E, N],
        ["v7", "2024-03-05 21:30", "vaktbolag", "Brand", e2, n2],
        ["a2", "2024-03-05 21:10", "bostadsbolag", "Brand", e3, n3],
    ]
    res = read_events(write_csv(tmp_path / "d.csv", ["id", "tid", "källa", "typ", "x", "y"], rows))
    groups = res.accepted["duplicate_group"].tolist()
    assert res.n_accepted == 3
    assert groups[0] is not None
    assert groups[0] == groups[1]
    assert groups[2] is None


def test_excel_events(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Händelse-ID", "Från", "Till", "Typ", "Latitud", "Longitud"])
    sheet.append(
        [
            "H1",
            dt.datetime(2024, 3, 5, 22, 0),
            dt.datetime(2024, 3, 6, 6, 0),
            "Inbrott",
            ALVSJO[1],
            ALVSJO[0],
        ]
    )
    sheet.append(["H2", 45356.75, None, "Inbrott", ALVSJO[1], ALVSJO[0]])
    path = tmp_path / "h.xlsx"
    book.save(path)
    res = read_events(path, source="bostadsbolag")
    assert res.accepted["time_from"].tolist() == [ts("2024-03-05 22:00"), ts("2024-03-05 18:00")]
    assert res.accepted["time_to"].tolist() == [ts("2024-03-06 06:00"), ts("2024-03-05 18:00")]
    assert res.accepted["category"].tolist() == ["burglary", "burglary"]


def test_geojson_events(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "properties": {"id": "g1", "tid": "2024-03-05 21:00", "typ": "Klotter"},
        "geometry": {"type": "Point", "coordinates": list(ALVSJO)},
    }
    path = tmp_path / "ev.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    res = read_events(path, source="kommun")
    assert res.accepted[["event_id", "category", "source_row"]].values.tolist() == [
        ["g1", "vandalism", 1]
    ]
    assert res.summary.crs_in == "EPSG:4326"


def test_police_json_is_handed_over(tmp_path: Path) -> None:
    records = [
        {
            "id": 1,
            "datetime": "2024-03-05 22:10:00 +01:00",
            "name": "5 mars 21:40, Brand, Stockholm",
            "summary": "Brand i soprum.",
            "url": "/x",
            "type": "Brand",
            "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
        }
    ]
    path = tmp_path / "polisen.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    res = read_events(path)
    acc = res.accepted
    assert acc["source"].tolist() == ["polis"]
    assert acc["time_from"].iat[0] == ts("2024-03-05 21:40")
    assert acc["published"].iat[0] == ts("2024-03-05 22:10")
    assert acc["location_precision"].iat[0] == "kommun"


def test_unreadable_events(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "no_time.csv", ["typ", "x", "y"], [["Brand", E, N]])
    with pytest.raises(ReadError, match="tid eller datum"):
        read_events(path)


_cell = st.one_of(
    st.none(),
    st.text(max_size=10),
    st.integers(-(10**7), 10**7).map(str),
    st.sampled_from(
        [
            "2024-03-05 21:00",
            "22:00",
            "06:00",
            "2024-03-06",
            "exakt",
            "xyz",
            E,
            N,
            "Brand",
            "SL",
            "",
            "31/2/2024",
        ]
    ),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cell, max_size=8), min_size=1, max_size=10))
def test_event_junk_rows_are_all_accounted_for(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str | None]]
) -> None:
    header = ["id", "datum", "från", "till", "typ", "precision", "x", "y"]
    cells = [["" if v is None else v for v in r] for r in rows]
    path = write_csv(tmp_path_factory.mktemp("ev") / "junk.csv", header, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        res = read_events(path, source="vaktbolag")
    assert res.n_input == res.n_accepted + res.n_rejected
    assert res.rejected["row"].nunique() == res.n_rejected
    assert (res.accepted["time_to"] >= res.accepted["time_from"]).all()
    assert set(res.accepted["location_precision"]) <= {
        "exact",
        "address",
        "stadsdel",
        "kommun",
        "lan",
    }


@pytest.mark.shared
def test_real_police_file_through_read_events(shared_data: Path) -> None:
    path = shared_data / "polisen_events_api" / "events_latest_raw_2026-08-22.json"
    res = read_events(path)
    assert res.n_input == 500
    assert res.n_input == res.n_accepted + res.n_rejected
    assert not (res.accepted["location_precision"] == "exact").any()


def test_date_column_with_a_time_keeps_it_when_the_clock_is_blank(tmp_path: Path) -> None:
    header = ["id", "datum", "klockslag", "typ", "x", "y"]
    rows = [
        ["1", "2024-03-06 01:05", "", "Bråk", E, N],  # the time sits in the date column
        ["2", "2024-03-06 01:05", "22:15", "Bråk", E, N],  # a clock column wins
        ["3", "2024-03-06", "", "Bråk", E, N],  # a date alone: the whole day
    ]
    res = read_events(write_csv(tmp_path / "d.csv", header, rows), source="vaktbolag")
    acc = res.accepted
    assert acc["time_from"].tolist() == [
        ts("2024-03-06 01:05"),
        ts("2024-03-06 22:15"),
        ts("2024-03-06 00:00"),
    ]
    assert acc["time_to"].iat[0] == ts("2024-03-06 01:05")
    assert acc["time_to"].iat[2] > ts("2024-03-06 23:59")


# ----------------------------------------------------------------- issue 11: speed, same results

_cell = st.one_of(
    st.sampled_from(
        ["", " ", "\t", "\xa0", "a", " b ", "Älvsjö", "59,27", "\u3000x\u3000", "\0 ", "a\0"]
    ),
    st.text(alphabet=" \t\xa0ab,;\u2003", max_size=4),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(1, 3), st.lists(_cell, max_size=6)), max_size=16),
    st.sets(st.integers(0, 60), max_size=5),
)
def test_csv_table_built_column_wise_equals_cell_by_cell(
    gapped: list[tuple[int, list[str]]], broken_at: set[int]
) -> None:
    # the column-wise build of a CSV file's records gives the very table, row numbers,
    # too-long records, broken lines and notes of the cell-by-cell build (ragged, blank,
    # title lines, records over several lines, lines broken by a stray quote in between)
    from geo_trygg.io._tabular import _build, _build_text, _grid

    path = Path("x.csv")
    numbered: list[tuple[int, list[str]]] = []
    line = 0
    for step, fields in gapped:  # a record may take several lines: gaps in the numbers
        line += step
        numbered.append((line, list(fields)))
    taken = {r for r, _ in numbered}
    broken = {r: (f"line {r}", "stray") for r in sorted(broken_at) if r not in taken}
    rows = np.array([r for r, _ in numbered], dtype=np.int64)
    grid = _grid([f for _, f in numbered])
    try:
        expected = _build(numbered, path, extend=False, broken=broken)
    except ReadError as exc:
        with pytest.raises(ReadError, match=re.escape(str(exc))):
            _build_text(rows, grid, path, broken)
        return
    got = _build_text(rows, grid, path, broken)
    pd.testing.assert_frame_equal(got.frame, expected.frame)
    assert got.rows.tolist() == expected.rows.tolist()
    assert got.rows.dtype == expected.rows.dtype
    assert got.too_long == expected.too_long
    assert got.broken == expected.broken
    assert got.notes == expected.notes


_number_text = st.one_of(
    st.text(alphabet="0123456789,.- \xa0\u2212\teE+", max_size=10),
    st.builds(
        lambda v, comma: f"{v:.6f}".replace(".", ",") if comma else repr(v),
        st.floats(-1e7, 1e7, allow_nan=False),
        st.booleans(),
    ),
    st.sampled_from(["", " ", "59,27", " 18 012,5 ", "\u22125,5", "1\x002", "nan", "inf"]),
    st.from_regex(r"\A[-+]?[0-9]{0,400}[,.]?[0-9]{0,400}(e[0-9]{1,3})?\Z"),  # long, huge, tiny
    st.none(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_number_text, max_size=12))
def test_coordinate_texts_cleaned_at_once_equal_value_by_value(
    values: list[str | None],
) -> None:
    # the joined-string cleaning of coordinate texts gives the numbers, blanks and bad
    # values of the value-by-value cleaning (which the fast path hands back to when unsure)
    import geo_trygg.crs as crs

    arrow = crs.to_float(values)
    at_once, joined = crs._texts_at_once, crs._clean_texts
    try:
        crs._texts_at_once = lambda _values: None  # type: ignore[assignment]
        got = crs.to_float(values)
        crs._clean_texts = lambda _values: None  # type: ignore[assignment]
        expected = crs.to_float(values)
    finally:
        crs._texts_at_once, crs._clean_texts = at_once, joined
    for fast in (arrow, got):
        np.testing.assert_array_equal(fast[0], expected[0])
        np.testing.assert_array_equal(fast[1], expected[1])
        np.testing.assert_array_equal(fast[2], expected[2])


@pytest.mark.parametrize("bad", [None, "x"])  # None: all texts read at once; "x": one by one
def test_coordinate_texts_are_read_correctly_rounded(bad: str | None) -> None:
    # long mantissas, where pandas' own reading is off by one unit in the last place for
    # some: every path gives what Python's float gives (the second method)
    import geo_trygg.crs as crs

    texts = [
        "6.72242918781364666095923e-19",
        "7,03980884399632925623716",
        "9.8724430707163294",
        "59,3293235",
        "\u22121,3748944564697344107e-24",
    ]
    num, _, bad_rows = crs.to_float([*texts, bad])
    expected = [float(t.replace(",", ".").replace("\u2212", "-")) for t in texts]
    assert num[:-1].tolist() == expected
    assert bad_rows.tolist() == [False] * len(texts) + [bad is not None]


def _expected_window(start: str, end: str) -> tuple[dt.datetime, dt.datetime]:
    """The documented rule, value by value with the standard library (second method)."""
    from zoneinfo import ZoneInfo

    def read(text: str) -> tuple[dt.datetime, bool]:
        for fmt, has_time in (("%Y-%m-%d %H:%M", True), ("%d/%m/%Y %H.%M", True)):
            try:
                return dt.datetime.strptime(text, fmt), has_time
            except ValueError:
                pass
        return dt.datetime.strptime(text, "%Y-%m-%d"), False

    begin, has_time = read(start)
    if not end:
        finish = begin if has_time else begin + dt.timedelta(days=1)
    elif ":" in end and "-" not in end:  # a time of day: the start's day or the next
        clock = dt.datetime.strptime(end, "%H:%M").time()
        finish = dt.datetime.combine(begin.date(), clock)
        if finish < begin:
            finish += dt.timedelta(days=1)
    else:
        finish, end_time = read(end)
        finish = finish if end_time else finish + dt.timedelta(days=1)
    zone = ZoneInfo(TZ)  # fold 0: the repeated hour as summer time, the gap moved forward
    return begin.replace(tzinfo=zone), finish.replace(tzinfo=zone)


_starts = st.builds(
    lambda day, minute, form: (
        dt.datetime(2024, 1, 1) + dt.timedelta(days=day, minutes=minute)
    ).strftime(form),
    st.integers(0, 365),
    st.sampled_from([0, 150, 151, 179, 600, 1439]),  # 02:30: the DST hours on their days
    st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H.%M"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            _starts, st.sampled_from(["", "", "23:30", "01:00", "2024-12-31 10:00", "2024-12-31"])
        ),
        min_size=1,
        max_size=60,
    )
)
def test_times_read_at_once_follow_the_rule_value_by_value(
    tmp_path: Path, rows: list[tuple[str, str]]
) -> None:
    # plain ISO rows are read with arrays, others value by value; either way the window is
    # the documented one (computed here with datetime.strptime and zoneinfo)
    body = [[f"R{k}", a, b, "Brand", E, N] for k, (a, b) in enumerate(rows)]
    path = write_csv(tmp_path / "t.csv", ["id", "Från", "Till", "typ", "x", "y"], body)
    res = read_events(path, source="vaktbolag")
    acc = res.accepted.set_index("event_id")
    for k, (a, b) in enumerate(rows):
        begin, finish = _expected_window(a, b)
        if finish < begin:
            assert f"R{k}" not in acc.index
            continue
        assert acc.loc[f"R{k}", "time_from"] == pd.Timestamp(begin), (a, b)
        assert acc.loc[f"R{k}", "time_to"] == pd.Timestamp(finish), (a, b)
    day_only = sum(1 for a, b in rows if len(a) == 10 and not b)
    notes = " ".join(res.summary.notes)
    assert (f"{day_only} händelser hade bara datum" in notes) == bool(day_only)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=3),
            st.none(),
            st.just(float("nan")),
            st.sampled_from([pd.NA, pd.NaT, 1.5, 3, dt.date(2024, 3, 5), b"x"]),
        ),
        max_size=8,
    )
)
def test_text_check_at_once_equals_value_by_value(values: list[object]) -> None:
    from geo_trygg.io._points import _all_text_or_missing, _text_or_missing

    assert _all_text_or_missing(values) == all(_text_or_missing(v) for v in values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["A1", "A2", "B", "", "a1"]), st.none()), max_size=12))
def test_repeated_ids_point_at_their_first_row(ids: list[str | None]) -> None:
    from geo_trygg.io._points import reject_repeated_ids

    class Log:
        def __init__(self) -> None:
            self.added: list[tuple[int, str, object, str]] = []

        def add(self, i: int, column: str, value: object, reason: str) -> None:
            self.added.append((int(i), column, value, reason))

    rows = np.arange(len(ids), dtype=np.int64) * 3 + 2
    log = Log()
    reject_repeated_ids(pd.Series(ids, dtype=object), "Id", rows, log)  # type: ignore[arg-type]
    expected = []
    for i, value in enumerate(ids):  # every later occurrence, naming the first one's row
        first = ids.index(value)
        if first < i:
            reason = f"samma id som rad {rows[first]}; varje id får bara finnas en gång i filen"
            expected.append((i, "Id", value, reason))
    assert log.added == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "Ö", " ", ";", ",", "\t", "\r", "\n", "\r\n", "\x0b", "\u2028"])
    ).map("".join),
    st.sampled_from([";", ",", "\t"]),
)
def test_quote_free_text_split_like_the_csv_module(text: str, sep: str) -> None:
    # a text without quotes is split with str methods: the very records csv.reader gives
    from geo_trygg.io._tabular import _split, _split_plain

    expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    assert _split_plain(text, sep) == expected
    assert _split(text, sep) == expected
    assert _split_plain(text + '"', sep) is None


def test_one_date_export_flags_duplicates_and_notes_a_cut_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 600 reports of one date, no time, at points within 20 m, from two sources: every
    # row has a partner of the other source, so all are flagged, as one group
    import geo_trygg.io.duplicates as dup

    rows = [
        [
            f"R{k:03d}",
            "2024-11-15",
            "Klotter",
            ("Polisen", "Vaktbolag")[k % 2],
            *sweref(*ALVSJO, k % 20),
        ]
        for k in range(600)
    ]
    path = write_csv(tmp_path / "d.csv", ["id", "datum", "typ", "kalla", "x", "y"], rows)
    res = read_events(path)
    groups = res.accepted["duplicate_group"]
    assert groups.tolist() == ["dup-polis:R000"] * 600
    assert not any("begränsades" in note for note in res.summary.notes)
    # 40 distinct sites (20 points x 2 sources), 780 candidate pairs: with the limit
    # lowered below that the search is cut, and the note says for how many rows
    monkeypatch.setattr(dup, "MAX_CANDIDATES", 100)
    res = read_events(path)
    capped = [note for note in res.summary.notes if "dubblettsökningen begränsades" in note]
    assert len(capped) == 1
    n = int(capped[0].split("för ")[1].split(" ")[0])
    assert 0 < n <= 600
    assert res.accepted["duplicate_group"].notna().all()  # close and cut: still joined


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a;b", '"x\\ny";z', "", "c", '"q"";"', "\r", ";;", '"open']),
        max_size=40,
    ),
    st.integers(1, 60),
    st.integers(5, 80),
)
def test_first_records_from_the_head_equal_those_of_the_whole_text(
    lines: list[str], limit: int, head: int
) -> None:
    # the separator sniffing reads its first records from the head of a long text: the same
    # records as from the whole text, quoted line breaks and unclosed quotes included
    import geo_trygg.io._tabular as tab

    text = "\n".join(lines)
    expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[:limit]
    original = tab._HEAD
    try:
        tab._HEAD = head
        got = tab._split(text, ";", limit)
    finally:
        tab._HEAD = original
    assert got == expected


_plain_piece = st.sampled_from(
    [
        *("a", "Ö", " ", "\xa0", ";", ",", "\t", "\r", "\n", "\r\n", "\n\n", "x;y;z;w", "\x0b"),
        *("\x0c", "\x1a", "\x1c", "\x85", "\u2028", "#", "'", "\\", "\ufeff", "1,5", "NA", "nan"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_plain_piece, max_size=40).map("".join), st.sampled_from([";", ",", "\t"]))
def test_quote_free_text_read_in_c_gives_the_csv_module_records(text: str, sep: str) -> None:
    # pandas' C parser reads a quote-free text into the very records csv.reader gives
    # (short records padded with ""), one a physical line; else it hands back (None)
    from geo_trygg.io._tabular import _grid_plain_c

    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    got = _grid_plain_c(text, sep)
    if got is None:  # handed back: a BOM, no field at all, or leading blank lines
        assert text.startswith("\ufeff") or not records or not records[0]
        return
    width = max(map(len, records))
    assert got.tolist() == [r + [""] * (width - len(r)) for r in records]
    assert _grid_plain_c(text + '"', sep) is None


def test_the_spaces_arrow_trims_are_the_ones_str_strip_removes() -> None:
    import sys

    from geo_trygg._text import SPACES

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert sorted(SPACES) == [c for c in everything if not c.strip()]


@settings(max_examples=300, deadline=None)
@given(st.lists(_plain_piece, max_size=40).map("".join), st.sampled_from([";", ",", "\t"]))
def test_quote_free_text_read_by_arrow_gives_the_csv_module_records_stripped(
    text: str, sep: str
) -> None:
    # Arrow reads a quote-free text into the records csv.reader gives, every value stripped
    # as str.strip() strips it, one record a physical line; else it hands back (None)
    from geo_trygg.io._tabular import _grid_arrow

    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    read = _grid_arrow(text, sep)
    if read is None:
        return
    got, filled = read
    assert filled.tolist() == (got != "").tolist()
    assert records, "Arrow read rows from a text without records"
    width = max(map(len, records))  # a blank line: a record of blank values
    assert got.tolist() == [[v.strip() for v in r] + [""] * (width - len(r)) for r in records]
    assert _grid_arrow(text + '"', sep) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b\r\n c ;d\xa0\n\u3000e;f", [["a", "b"], ["c", "d"], ["e", "f"]]),
        ("a;b\n\nc;d\n", [["a", "b"], ["", ""], ["c", "d"]]),  # a blank line is a record
        ("a;b\rc;d", [["a", "b"], ["c", "d"]]),  # a lone CR ends a line
        ("a;b\n\x1cc\x1f;\u2028d", [["a", "b"], ["c", "d"]]),
    ],
)
def test_arrow_reads_plain_lines_stripped(text: str, expected: list[list[str]]) -> None:
    from geo_trygg.io._tabular import _grid_arrow

    read = _grid_arrow(text, ";")
    assert read is not None
    assert read[0].tolist() == expected


@pytest.mark.parametrize(
    "text",
    [
        "a;b\nc\n",  # a short line: the other readers pad it
        "a;b\nc;d;e\n",  # a long line
        '"a";b\n',  # a quote
        "\ufeffa;b\n",  # a byte-order mark
        "a;b\x00\n",  # a NUL
    ],
)
def test_arrow_hands_back_what_it_does_not_read_line_for_line(text: str) -> None:
    from geo_trygg.io._tabular import _grid_arrow

    assert _grid_arrow(text, ";") is None
    assert _grid_arrow("a;b", "ab") is None  # a separator of two characters


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.sampled_from(["", " ", "a", " b ", "Älvsjö", "\xa0", "59,2"]), max_size=5),
        min_size=1,
        max_size=20,
    ).map(lambda rows: "\n".join(";".join(r) for r in rows)),
    st.sampled_from(["", "\n", "\r\n"]),
)
def test_quote_free_file_read_in_c_gives_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, end: str
) -> None:
    # the whole table (cells, row numbers, too-long rows, notes) is the same whether the C
    # parser or the csv module reads the file; or both refuse it with the same message
    import geo_trygg.io._tabular as tab

    path = tmp_path / "p.csv"
    path.write_text(body + end, encoding="utf-8")

    def read() -> object:
        try:
            return tab.read_csv_table(path, sep=";")
        except ReadError as exc:
            return str(exc)

    fast = read()  # Arrow, else pandas' C parser
    monkeypatch.setattr(tab, "_grid_arrow", lambda _text, _sep, _data=None: None)
    c_parser = read()
    monkeypatch.setattr(tab, "_grid_plain_c", lambda _text, _sep: None)
    exact = read()
    for got in (fast, c_parser):
        _same_table(got, exact)


def _same_table(fast: object, exact: object) -> None:
    if isinstance(exact, str):
        assert fast == exact
        return
    assert not isinstance(fast, str)
    pd.testing.assert_frame_equal(fast.frame, exact.frame)  # type: ignore[attr-defined]
    for name in ("too_long", "notes", "broken", "encoding", "sep"):
        assert getattr(fast, name) == getattr(exact, name)
    assert fast.rows.tolist() == exact.rows.tolist()  # type: ignore[attr-defined]


_any_piece = st.sampled_from(
    [
        *('"', '""', '";', ';"', " ", "\xa0", "\u3000", "\t", "a", "Ö", ";", "\n", "\r\n", "\r"),
        *("x;y;z", "1,5", "\x1c", "\x85", "\u2028"),
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_any_piece, max_size=40).map("".join))
def test_a_csv_table_holds_only_clean_text(tmp_path: Path, text: str) -> None:
    # RawTable.text_clean: every cell of a CSV file's table is None or stripped, non-empty
    # text, whichever path read it (Arrow, pandas' C parser, the csv module, stray quotes)
    import geo_trygg.io._tabular as tab

    path = tmp_path / "t.csv"
    path.write_text("a;b;c\n" + text, encoding="utf-8")
    try:
        table = tab.read_csv_table(path, sep=";")
    except ReadError:
        return
    assert table.text_clean
    for value in table.frame.to_numpy(dtype=object).ravel().tolist():
        assert value is None or (isinstance(value, str) and value and value == value.strip())


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=12))
def test_arrow_takes_as_utf8_exactly_what_python_decodes(value: bytes) -> None:
    # a large quote-free file is read by Arrow before Python decodes it: Arrow must refuse
    # every byte sequence that is not UTF-8 (surrogates, overlong forms, cut characters…),
    # so that the file is read as cp1252 as before
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    value = value.replace(b"\n", b"").replace(b"\r", b"").replace(b'"', b"").replace(b";", b"")
    try:
        expected = value.decode("utf-8")
    except UnicodeDecodeError:
        expected = None
    data = b"a;b\nx;" + value + b"\n"
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            parse_options=pa_csv.ParseOptions(delimiter=";", quote_char=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={"a": pa.string(), "b": pa.string()}
            ),
        )
    except pa.ArrowInvalid:
        got = None
    else:
        got = table.column("b")[0].as_py() or ""
    assert got == expected


@pytest.mark.parametrize(
    "tail",
    [
        "",  # all UTF-8: read by Arrow without decoding first
        "Ö;x\n",  # not UTF-8 at the end (cp1252): Arrow refuses, read as cp1252
        '"q";x\n',  # a quote at the end: the csv module reads it
        "a;b;c\n",  # a ragged last line
    ],
)
def test_large_files_read_by_arrow_first_give_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    import geo_trygg.io._tabular as tab

    rows = "".join(f"E-{i};Älvsjö {i % 7}\n" for i in range(400_000))  # about 8 MB
    path = tmp_path / "big.csv"
    encoding = "cp1252" if "Ö" in tail else "utf-8"
    path.write_bytes(("id;plats\n" + rows).encode("utf-8") + tail.encode(encoding))
    data = path.read_bytes()
    assert len(data) > 4 * tab._HEAD
    head = tab._utf8_head(data, None)
    by_arrow = None if head is None else tab._read_utf8_in_arrow(data, head, None, path)
    assert (by_arrow is not None) == (tail == "")  # else Arrow or the head check refuses
    fast = tab.read_csv_table(path)
    monkeypatch.setattr(tab, "_utf8_head", lambda _data, _encoding: None)
    exact = tab.read_csv_table(path)
    _same_table(fast, exact)
    assert fast.text_clean
    assert exact.text_clean
