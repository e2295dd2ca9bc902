"""Aggregated inputs: reading count tables, summing counted periods, refusing mixed levels.

Expected values are worked out by hand in the comments, or computed here by a second method
(plain Python sums, ``count_by_area`` on the points the counts were made from).
"""

from __future__ import annotations

import csv
import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, GeoTryggWarning, ReadError, RowError
from geo_trygg.lagesbild._aggregated import (
    COUNT_COLUMNS,
    CountsResult,
    check_levels,
    counts_to_table,
    read_counts,
)
from geo_trygg.lagesbild._counts import count_by_area
from geo_trygg.periods import parse_period

# A police-style export: a title line, Swedish headers, cp1252, ';'. Rows (header = row 2):
#  3 Farsta 2024/1 Misshandel 12          accepted
#  4 Farsta 2024/2 Misshandel -3          negative count
#  5 Farsta 2024/3 Skadegörelse "1 204"   accepted (thousands separator)
#  6 Älvsjö 2024/13 Misshandel 4          bad period (no month 13)
#  7 Älvsjö 2024/mars Misshandel ..       masked count
#  8 Älvsjö 2024/mars Misshandel 5        accepted
#  9 Älvsjö 2024/mars Misshandel 6        repeat of row 8
# 10 Älvsjö -/mars Misshandel 6           month without a year
# 11 Älvsjö 2024/4 Otrygg kvällstid 2,5   not a whole number
# 12 Älvsjö 2024/4 Otrygg kvällstid 7     accepted, category kept as written
POLICE_CSV = (
    "Anmälda brott per lokalpolisområde\n"
    "Lokalpolisområde;År;Månad;Brottstyp;Antal;Kommentar\n"
    "Farsta;2024;1;Misshandel;12;\n"
    "Farsta;2024;2;Misshandel;-3;rättad senare\n"
    'Farsta;2024;3;Skadegörelse;"1 204";\n'
    "Älvsjö;2024;13;Misshandel;4;\n"
    "Älvsjö;2024;mars;Misshandel;..;\n"
    "Älvsjö;2024;mars;Misshandel;5;\n"
    "Älvsjö;2024;mars;Misshandel;6;dubblett\n"
    "Älvsjö;;mars;Misshandel;6;\n"
    "Älvsjö;2024;4;Otrygg kvällstid;2,5;\n"
    "Älvsjö;2024;4;Otrygg kvällstid;7;\n"
)


@pytest.fixture
def police_csv(tmp_path: Path) -> Path:
    path = tmp_path / "brott_lpo.csv"
    path.write_bytes(POLICE_CSV.encode("cp1252"))
    return path


def monthly(rows: list[tuple[str, str, str, int]], level: str = "lpo") -> pd.DataFrame:
    """A count table from (area, period, category, n) tuples, as read_counts returns it."""
    frame = pd.DataFrame(
        {"area": [r[0] for r in rows], "Period": [r[1] for r in rows],
         "Kategori": [r[2] for r in rows], "Antal": [r[3] for r in rows]}
    )  # fmt: skip
    result = read_counts(frame, level=level, categories="keep")
    assert result.n_rejected == 0, result.rejected
    return result.accepted


# --- read_counts ----------------------------------------------------------------------------


def test_read_swedish_csv(police_csv: Path) -> None:
    result = read_counts(police_csv)
    assert isinstance(result, CountsResult)
    acc = result.accepted
    assert list(acc.columns) == [*COUNT_COLUMNS, "src_Kommentar"]
    assert acc["source_row"].tolist() == [3, 5, 8, 12]
    assert acc["level"].tolist() == ["lpo"] * 4
    assert acc["area"].tolist() == ["Farsta", "Farsta", "Älvsjö", "Älvsjö"]
    assert acc["period"].tolist() == ["2024-01", "2024-03", "2024-03", "2024-04"]
    assert acc["period_start"].tolist() == [pd.Timestamp(f"2024-0{m}-01") for m in (1, 3, 3, 4)]
    assert acc["period_end"].tolist() == [pd.Timestamp(f"2024-0{m}-01") for m in (2, 4, 4, 5)]
    assert acc["category"].tolist() == ["violence", "vandalism", "violence", "Otrygg kvällstid"]
    assert acc["category_original"].tolist() == [
        "Misshandel",
        "Skadegörelse",
        "Misshandel",
        "Otrygg kvällstid",
    ]
    assert acc["n"].tolist() == [12, 1204, 5, 7]
    assert acc["n"].dtype == np.int64
    assert (result.n_input, result.n_accepted, result.n_rejected) == (10, 4, 6)
    rej = result.rejected
    assert rej["row"].tolist() == [4, 6, 7, 9, 10, 11]
    assert rej["column"].tolist() == ["Antal", "Månad", "Antal", "Brottstyp", "Månad", "Antal"]
    reasons = dict(zip(rej["row"], rej["reason"], strict=True))
    assert "negativt" in reasons[4]
    assert "'13' kan inte tolkas" in reasons[6]
    assert "'..'" in reasons[7]
    assert "som 0" in reasons[7]
    assert "rad 8" in reasons[9]
    assert "vilket år" in reasons[10]
    assert "heltal" in reasons[11]
    notes = " | ".join(result.summary.notes)
    assert "cp1252" in notes
    assert "';'" in notes
    assert "'Lokalpolisområde' → area" in notes
    assert "'Misshandel' → violence" in notes
    assert "'Otrygg kvällstid'" in notes
    assert result.to_dict()["summary"]["kind"] == "counts"


def test_read_english_reasons(police_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo_trygg.settings.lang", "en")
    reasons = read_counts(police_csv).rejected
    assert "the count is negative; a count cannot be below 0" in reasons["reason"].tolist()


def test_strict_raises_at_first_problem(police_csv: Path) -> None:
    with pytest.raises(RowError) as info:
        read_counts(police_csv, strict=True)
    assert (info.value.row, info.value.column, info.value.value) == (4, "Antal", "-3")


@pytest.mark.parametrize(
    ("value", "n", "reason"),
    [
        (7, 7, None),
        (7.0, 7, None),
        ("1 234", 1234, None),
        ("1\u00a0234", 1234, None),
        ("12,0", 12, None),
        ("0", 0, None),
        ("", None, "tomt värde läses inte som 0"),
        (None, None, "tomt värde läses inte som 0"),
        ("..", None, "dolt"),
        ("<5", None, "dolt"),
        ("x", None, "dolt"),
        ("-2", None, "negativt"),
        (-2, None, "negativt"),
        ("2,5", None, "heltal"),
        ("många", None, "inte ett tal"),
    ],
)
def test_count_cells(value: object, n: int | None, reason: str | None) -> None:
    frame = pd.DataFrame({"LPO": ["Farsta"], "Period": ["2024"], "Antal": [value]})
    result = read_counts(frame)
    if n is None:
        assert result.n_accepted == 0
        assert reason in result.rejected["reason"].iloc[0]
    else:
        assert result.accepted["n"].tolist() == [n]
        assert result.accepted["category"].tolist() == ["total"]  # no category column


@pytest.mark.parametrize(
    ("columns", "values", "label"),
    [
        (("Period",), ("2024M03",), "2024-03"),
        (("Period",), ("2024K2",), "2024-Q2"),
        (("Period",), ("mars 2024",), "2024-03"),
        (("Period",), ("2024-W10",), "2024-W10"),
        (("Period",), ("2024-03-05",), "2024-03-05"),
        (("År", "Kvartal"), (2024, "Q3"), "2024-Q3"),
        (("År", "Kvartal"), (2024, 4), "2024-Q4"),
        (("År", "Vecka"), (2020, 53), "2020-W53"),
        (("År", "Månad"), ("2024", "2024-11"), "2024-11"),
        (("År",), (2023,), "2023"),
        (("Månad",), ("2024-02",), "2024-02"),
        (("Månad",), (dt.datetime(2024, 2, 1),), "2024-02"),
    ],
)
def test_period_forms(columns: tuple[str, ...], values: tuple[object, ...], label: str) -> None:
    frame = pd.DataFrame(
        {"Stadsdel": ["Älvsjö"], **{c: [v] for c, v in zip(columns, values, strict=True)}}
    )
    frame["Antal"] = 3
    result = read_counts(frame)
    assert result.n_rejected == 0, result.rejected
    assert result.accepted["period"].tolist() == [label]
    assert result.accepted["period_start"].iloc[0] == pd.Timestamp(parse_period(label).start)


@pytest.mark.parametrize(
    ("columns", "values", "reason"),
    [
        (("År", "Vecka"), (2021, 53), "kan inte tolkas"),  # 2021 has 52 ISO weeks
        (("År", "Månad"), (2024, "2023-05"), "stämmer inte med året"),
        (("År",), ("2024-03",), "kan inte tolkas"),
        (("Period",), ("förra året",), "kan inte tolkas"),
        (("Period",), (None,), "period saknas"),
    ],
)
def test_bad_periods(columns: tuple[str, ...], values: tuple[object, ...], reason: str) -> None:
    frame = pd.DataFrame(
        {"Stadsdel": ["Älvsjö"], **{c: [v] for c, v in zip(columns, values, strict=True)}}
    )
    frame["Antal"] = 3
    result = read_counts(frame)
    assert result.n_accepted == 0
    assert reason in result.rejected["reason"].iloc[0]


def test_levels_from_argument_column_or_header() -> None:
    base = {"Område": ["Farsta", "Globen"], "År": [2024, 2024], "Antal": [1, 2]}
    with pytest.raises(ConfigError, match="pass level="):
        read_counts(pd.DataFrame(base))
    by_arg = read_counts(pd.DataFrame(base), level="Lokalpolisområde")
    assert by_arg.accepted["level"].tolist() == ["lpo", "lpo"]
    with_col = read_counts(pd.DataFrame({**base, "Nivå": ["LPO", "landsdel"]}))
    assert with_col.accepted["level"].tolist() == ["lpo"]
    assert "landsdel" in with_col.rejected["reason"].iloc[0]
    blank = read_counts(pd.DataFrame({**base, "Nivå": [None, "LPO"]}))
    assert blank.rejected["reason"].tolist() == ["områdesnivå saknas"]
    assert blank.accepted["source_row"].tolist() == [2]
    conflict = read_counts(pd.DataFrame({**base, "Nivå": ["LPO", "stadsdel"]}), level="lpo")
    assert conflict.rejected["row"].tolist() == [2]
    assert "stadsdel" in conflict.rejected["reason"].iloc[0]
    header = pd.DataFrame({"LPO": ["Farsta"], "År": [2024], "Antal": [1]})
    with pytest.raises(ConfigError, match="names the level 'lpo'"):
        read_counts(header, level="stadsdel")
    explicit = read_counts(header, level="stadsdel", columns={"LPO": "area"})
    assert explicit.accepted["level"].tolist() == ["stadsdel"]


def test_unit_column_refuses_shares() -> None:
    frame = pd.DataFrame(
        {"Stadsdelsområde": ["Farsta", "Bromma", "Skarpnäck"], "År": [2020] * 3,
         "Värde": [23, 4, 5],
         "Enhet": ["procent", "antal", None]}
    )  # fmt: skip
    result = read_counts(frame)
    assert result.accepted["n"].tolist() == [4, 5]
    assert "'procent'" in result.rejected["reason"].iloc[0]


_SHARE_HEADERS = ["Värde (%)", "Andel", "Andel (%)", "Procent", "%", "Andel otrygga, procent",
                  "Share (%)", "Percent", "Promille"]  # fmt: skip


@pytest.mark.parametrize("header", _SHARE_HEADERS)
def test_a_count_column_named_as_shares_refuses_the_table(header: str) -> None:
    # recognised ("Värde (%)" is a value column) or mapped by hand: refused before any row is
    # read, so a whole-number share ("21") is never a count
    frame = pd.DataFrame({"Stadsdelsområde": ["Rinkeby-Kista"], "År": [2017], header: [21]})
    with pytest.raises(ReadError, match="innehåller andelar \\(procent\\), inte antal"):
        read_counts(frame, columns={header: "n"})
    if header == "Värde (%)":
        with pytest.raises(ReadError, match="'Värde \\(%\\)'"):
            read_counts(frame)


def test_a_value_written_as_a_share_is_rejected_as_one() -> None:
    frame = pd.DataFrame(
        {"Stadsdelsområde": ["Farsta", "Bromma", "Skarpnäck"], "År": [2020] * 3,
         "Antal": ["21 %", "4", "3‰"]}
    )  # fmt: skip
    result = read_counts(frame)
    assert result.accepted["n"].tolist() == [4]
    assert result.rejected["row"].tolist() == [1, 3]  # a frame: rows counted from 1
    assert result.rejected["reason"].tolist() == [
        "värdet '21 %' är en andel (procent), inte ett antal",
        "värdet '3‰' är en andel (procent), inte ett antal",
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 100), min_size=1, max_size=8),
    st.sampled_from(_SHARE_HEADERS),
    st.sampled_from(["{v}%", "{v} %", "{v},0 %", "{v}\u00a0%"]),
)
def test_whole_number_shares_are_never_read_as_counts(values, header, form) -> None:
    # a share marked by its column's header, or by its own sign: no row becomes a count
    base = {"Stadsdelsområde": ["Farsta"] * len(values), "År": [2020] * len(values)}
    with pytest.raises(ReadError):
        read_counts(pd.DataFrame({**base, header: values}), columns={header: "n"})
    signed = [form.format(v=v) for v in values]
    result = read_counts(pd.DataFrame({**base, "Antal": signed}))
    assert result.n_accepted == 0
    assert result.n_input == result.n_rejected == len(values)
    assert result.rejected["reason"].str.contains("är en andel").all()


def test_category_modes() -> None:
    frame = pd.DataFrame(
        {"LPO": ["Farsta"] * 3, "År": [2024] * 3, "Antal": [1, 2, 3],
         "Kategori": ["Misshandel, grov", "Klotter", "Trygghetsindex"]}
    )  # fmt: skip
    auto = read_counts(frame).accepted["category"].tolist()
    assert auto == ["violence", "vandalism", "Trygghetsindex"]
    assert read_counts(frame, categories="map").accepted["category"].tolist()[2] == "other"
    kept = read_counts(frame, categories="keep").accepted["category"].tolist()
    assert kept == ["Misshandel, grov", "Klotter", "Trygghetsindex"]


def test_bad_arguments_before_reading(tmp_path: Path) -> None:
    frame = pd.DataFrame({"LPO": ["Farsta"], "År": [2024], "Antal": [1]})
    with pytest.raises(ConfigError, match=r"level='landsdel'.*'stadsdel'"):
        read_counts(frame, level="landsdel")
    with pytest.raises(ConfigError, match="categories='guess'"):
        read_counts(frame, categories="guess")
    with pytest.raises(ConfigError, match="'antal_x'"):
        read_counts(frame, columns={"Antal": "antal_x"})
    with pytest.raises(ConfigError, match="'Finns inte'"):
        read_counts(frame, columns={"Finns inte": "n"})
    with pytest.raises(ReadError):
        read_counts(tmp_path / "saknas.csv")
    with pytest.raises(ReadError, match="'LPO', 'År'"):
        read_counts(frame[["LPO", "År"]])


def test_read_excel_with_dates(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Stadsdelsområde", "Månad", "Kategori", "Antal"])
    sheet.append(["Farsta", dt.datetime(2024, 1, 1), "Inbrott", 3])
    sheet.append(["Farsta", dt.datetime(2024, 2, 1), "Inbrott", 4.0])
    path = tmp_path / "sdo.xlsx"
    book.save(path)
    acc = read_counts(path).accepted
    assert acc["period"].tolist() == ["2024-01", "2024-02"]
    assert acc["category"].tolist() == ["burglary", "burglary"]
    assert acc["level"].tolist() == ["stadsdelsomrade"] * 2
    assert acc["n"].tolist() == [3, 4]


# --- counts_to_table ------------------------------------------------------------------------


@pytest.fixture
def farsta() -> pd.DataFrame:
    return monthly(
        [
            ("Farsta", "2024-01", "rån", 2),
            ("Farsta", "2024-02", "rån", 5),
            ("Farsta", "2024-03", "rån", 1),
            ("Globen", "2024-01", "rån", 4),
            ("Globen", "2024-02", "rån", 0),
            ("Globen", "2024-03", "rån", 6),
            ("Farsta", "2023-Q1", "rån", 3),
            ("Globen", "2023-Q1", "rån", 9),
        ]
    )


def test_months_sum_into_a_quarter(farsta: pd.DataFrame) -> None:
    table = counts_to_table(farsta, level="lpo", period="2024-Q1", compare="previous_year")
    # Farsta 2 + 5 + 1 = 8, Globen 4 + 0 + 6 = 10; 2023-Q1 rows as they are
    assert list(table.columns) == ["bucket", "area", "category", "n", "n_compare"]
    assert table["bucket"].tolist() == ["area", "area"]
    assert table["area"].tolist() == ["Farsta", "Globen"]
    assert table["n"].tolist() == [8, 10]
    assert table["n_compare"].tolist() == [3, 9]
    one_month = counts_to_table(farsta, level="lpo", period="2024-02")
    assert one_month["n"].tolist() == [5, 0]  # a counted 0 is a 0
    assert list(one_month.columns) == ["bucket", "area", "category", "n"]


def test_same_shape_as_count_by_area() -> None:
    # 7 points: counted by count_by_area for the quarter, and via monthly counts
    times = ["2024-01-03", "2024-01-20", "2024-02-11", "2024-03-30", "2024-03-31", "2024-02-01",
             "2024-03-15"]  # fmt: skip
    points = pd.DataFrame(
        {
            "lpo": ["Farsta", "Farsta", "Farsta", "Globen", "Globen", "Globen", "Farsta"],
            "lpo_reason": None,
            "category": ["theft", "theft", "violence", "theft", "theft", "violence", "theft"],
            "time_from": pd.to_datetime(times).tz_localize("Europe/Stockholm"),
        }
    )
    q1 = parse_period("2024-Q1")
    direct = count_by_area(points, level="lpo", period=q1)
    direct = direct[direct["bucket"] == "area"].reset_index(drop=True)
    months = points.assign(period=points["time_from"].dt.strftime("%Y-%m"))
    counted = months.groupby(["lpo", "period", "category"]).size().reset_index(name="Antal")
    counts = read_counts(
        counted.rename(columns={"period": "Period", "category": "Kategori"}), categories="map"
    ).accepted
    via = counts_to_table(counts, level="lpo", period="2024-Q1", missing="zero")
    pd.testing.assert_frame_equal(via, direct)


def test_partial_overlap_names_both(farsta: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match=r"period='2024-W05' only partly overlaps .* '2024-01'"):
        counts_to_table(farsta, level="lpo", period="2024-W05")
    with pytest.raises(ConfigError, match=r"compare='2023-01-01–2023-01-31'.*'2023-Q1'"):
        counts_to_table(farsta, level="lpo", period="2024-01", compare="previous_year")


def test_gap_and_no_data(farsta: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="2024-04-01–2024-12-31"):
        counts_to_table(farsta, level="lpo", period="2024")
    with pytest.raises(ConfigError, match=r"period='2022'.*no counts.*2023-01-01–2024-03-31"):
        counts_to_table(farsta, level="lpo", period="2022")


def test_months_and_a_year_total_are_not_summed() -> None:
    months = [("Farsta", f"2024-{m:02d}", "rån", 1) for m in range(1, 13)]
    counts = monthly([*months, ("Farsta", "2024", "rån", 12)])
    with pytest.raises(ConfigError, match="'2024-01' and '2024', which overlap"):
        counts_to_table(counts, level="lpo", period="2024")


def test_missing_cells_are_na_not_zero() -> None:
    counts = monthly(
        [
            ("Farsta", "2024-01", "rån", 2),
            ("Farsta", "2024-02", "rån", 5),
            ("Farsta", "2024-01", "stöld", 7),  # February missing
            ("Globen", "2024-01", "stöld", 1),
            ("Globen", "2024-02", "stöld", 1),
        ]
    )
    span = ("2024-01-01", "2024-03-01")
    with pytest.warns(GeoTryggWarning, match="4 av 6") as record:
        table = counts_to_table(
            counts, level="lpo", period=span, areas=["FARSTA", "Globen", "Älvsjö"]
        )
    assert len(record) == 1
    # areas keep the spelling of areas=; cells: Farsta rån 7; Farsta stöld incomplete;
    # Globen rån (no series) missing; Globen stöld 2; Älvsjö has no counts at all
    assert table["area"].tolist() == ["FARSTA", "FARSTA", "Globen", "Globen", "Älvsjö", "Älvsjö"]
    assert table["n"].tolist() == [7, pd.NA, pd.NA, 2, pd.NA, pd.NA]
    assert str(table["n"].dtype) == "Int64"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zero = counts_to_table(
            counts, level="lpo", period=span, areas=["Farsta", "Globen", "Älvsjö"], missing="zero"
        )
    assert zero["n"].tolist() == [7, 7, 0, 2, 0, 0]
    assert zero["n"].dtype == np.int64


def test_area_names_must_be_known(farsta: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match=r"'Globen'.*allowed: 'Farsta', 'Skarpnäck'"):
        counts_to_table(farsta, level="lpo", period="2024-Q1", areas=["Farsta", "Skarpnäck"])


def test_counts_to_table_arguments(farsta: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="no counts per 'stadsdel'; their levels: 'lpo'"):
        counts_to_table(farsta, level="stadsdel", period="2024-Q1")
    with pytest.raises(ConfigError, match="missing='blank'"):
        counts_to_table(farsta, level="lpo", period="2024-Q1", missing="blank")
    with pytest.raises(ConfigError, match="period="):
        counts_to_table(farsta, level="lpo", period="Q1")
    with pytest.raises(ConfigError, match="'n'"):
        counts_to_table(farsta.drop(columns="n"), level="lpo", period="2024-Q1")


# --- check_levels ---------------------------------------------------------------------------


def test_check_levels() -> None:
    assert check_levels(["lpo", "kommun"], ["Kommun", "LPO"]) == ("kommun", "lpo")
    with pytest.raises(ConfigError) as info:
        check_levels("lpo", ["lpo", "stadsdel"])
    text = str(info.value)
    assert "counts per 'lpo' cannot be shown per 'stadsdel'" in text
    assert "'lpo'" in text
    counts = read_counts(pd.DataFrame({"Stadsdel": ["Älvsjö"], "År": [2024], "Antal": [2]}))
    with pytest.raises(ConfigError, match="per 'stadsdelsomrade'"):
        check_levels(counts, "stadsdelsområde")


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Farsta", "Globen", "Älvsjö"]),
            st.sampled_from(["rån", "stöld"]),
            st.lists(st.integers(0, 500), min_size=12, max_size=12),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.integers(1, 4),
)
def test_months_into_a_quarter_equal_the_quarter_total(
    series: list[tuple[str, str, list[int]]], quarter: int
) -> None:
    rows = [
        (area, f"2024-{m + 1:02d}", cat, n)
        for area, cat, values in series
        for m, n in enumerate(values)
    ]
    totals = [
        (area, f"2024-Q{quarter}", cat, sum(values[3 * (quarter - 1) : 3 * quarter]))
        for area, cat, values in series
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)  # area × category pairs not drawn
        by_month = counts_to_table(monthly(rows), level="lpo", period=f"2024-Q{quarter}")
        by_quarter = counts_to_table(monthly(totals), level="lpo", period=f"2024-Q{quarter}")
    pd.testing.assert_frame_equal(by_month, by_quarter)
    sums = {(a, c): sum(v[3 * (quarter - 1) : 3 * quarter]) for a, c, v in series}
    areas = sorted({a for a, _, _ in series})
    cats = sorted({c for _, c, _ in series})
    expected = [(a, c, sums.get((a, c))) for a in areas for c in cats]
    got = [
        (a, c, None if pd.isna(n) else int(n))
        for a, c, n in by_month[["area", "category", "n"]].itertuples(index=False)
    ]
    assert got == expected


# --- real data ------------------------------------------------------------------------------


@pytest.mark.shared
def test_survey_shares_are_not_counts(shared_data: Path) -> None:
    """The published safety-survey figures are percentages and scores: none is a count."""
    path = shared_data / "trygghet_survey_indicators_stockholm" / "trygghet_indicators.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    result = read_counts(path, columns={"indicator_id": "category"})
    assert result.n_input == len(rows) == 133
    assert result.n_accepted == 0
    reasons = result.rejected
    unit_rows = set(reasons.loc[reasons["column"] == "unit", "row"])
    assert unit_rows == {i + 2 for i, r in enumerate(rows) if r["unit"] != "antal"}
    level_rows = set(reasons.loc[reasons["column"] == "area_level", "row"])
    assert level_rows == {
        i + 2 for i, r in enumerate(rows) if r["area_level"] in ("riket", "kommundel")
    }
    blank = (reasons["column"] == "value") & reasons["reason"].str.contains("tomt värde")
    blank_rows = set(reasons.loc[blank, "row"])
    assert blank_rows == {i + 2 for i, r in enumerate(rows) if not r["value"].strip()}
