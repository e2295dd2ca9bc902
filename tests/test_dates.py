"""Date and time parsing for Swedish exports (geo_trygg.io._dates)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg.io._dates import (
    localize_stockholm,
    parse_clock,
    parse_datetime_value,
    parse_datetimes,
)

D = dt.datetime


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2024-03-05", D(2024, 3, 5), False),
        ("5/3/2024", D(2024, 3, 5), False),
        ("05/03/2024", D(2024, 3, 5), False),
        ("5.3.2024", D(2024, 3, 5), False),
        ("5/3/24", D(2024, 3, 5), False),
        ("2024-03-05 14:30", D(2024, 3, 5, 14, 30), True),
        ("2024-03-05T14:30:15", D(2024, 3, 5, 14, 30, 15), True),
        ("5/3/2024 14.30", D(2024, 3, 5, 14, 30), True),
        ("5 mars 2024", D(2024, 3, 5), False),
        ("5 Mars 2024", D(2024, 3, 5), False),
        ("5 mar 2024", D(2024, 3, 5), False),
        ("5 mar. 2024", D(2024, 3, 5), False),
        ("5:e mars 2024", D(2024, 3, 5), False),
        ("17 okt 2023 kl. 21.05", D(2023, 10, 17, 21, 5), True),
        ("1 januari 2025", D(2025, 1, 1), False),
        ("31 december 2024 23:59", D(2024, 12, 31, 23, 59), True),
        ("March 5, 2024", D(2024, 3, 5), False),
        ("20240305", D(2024, 3, 5), False),
        ("  2024-03-05  ", D(2024, 3, 5), False),
    ],
)
def test_text_forms(text: str, expected: dt.datetime, has_time: bool) -> None:
    status, value, with_time = parse_datetime_value(text)
    assert status == "ok"
    assert value == expected
    assert with_time is has_time


def test_excel_serials_match_the_1900_date_system() -> None:
    # Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included); compute independently
    serial = (dt.date(2024, 3, 5) - dt.date(1899, 12, 30)).days
    assert serial == 45356
    assert parse_datetime_value(serial) == ("ok", D(2024, 3, 5), False)
    assert parse_datetime_value(str(serial)) == ("ok", D(2024, 3, 5), False)
    assert parse_datetime_value(serial + 0.75) == ("ok", D(2024, 3, 5, 18, 0), True)
    # a four-digit number is more likely a year than a 1905 date
    assert parse_datetime_value("2024")[0] == "unparseable"


def test_native_values() -> None:
    assert parse_datetime_value(dt.date(2024, 3, 5)) == ("ok", D(2024, 3, 5), False)
    assert parse_datetime_value(D(2024, 3, 5, 9, 0)) == ("ok", D(2024, 3, 5, 9), True)
    assert parse_datetime_value(pd.Timestamp("2024-03-05")) == ("ok", D(2024, 3, 5), False)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("31/2/2024", "invalid"),
        ("2023-02-29", "invalid"),
        ("2024-13-01", "invalid"),
        ("5/3/1850", "range"),
        ("hej", "unparseable"),
        ("24-03-05", "unparseable"),  # yy-mm-dd or dd-mm-yy: refused, not guessed
        ("5 foo 2024", "unparseable"),
        ("5 mars", "unparseable"),  # no year
        (True, "unparseable"),
        (None, "missing"),
        ("   ", "missing"),
        (float("nan"), "missing"),
    ],
)
def test_bad_values(value: object, status: str) -> None:
    assert parse_datetime_value(value)[0] == status


def test_offsets_are_kept_and_converted() -> None:
    status, value, _ = parse_datetime_value("2023-03-20 11:58:36 +01:00")
    assert status == "ok"
    assert value is not None
    assert value.utcoffset() == dt.timedelta(hours=1)
    times, _, _ = localize_stockholm([value])
    assert str(times[0]) == "2023-03-20 11:58:36+01:00"
    _, utc, _ = parse_datetime_value("2024-06-01T10:00:00Z")
    times, _, _ = localize_stockholm([utc])
    assert str(times[0]) == "2024-06-01 12:00:00+02:00"  # CEST = UTC+2


def test_dst_rules_are_deterministic() -> None:
    spring = D(2024, 3, 31, 2, 30)  # does not exist in Stockholm
    autumn = D(2024, 10, 27, 2, 30)  # occurs twice
    normal = D(2024, 1, 15, 8, 0)
    times, n_amb, n_non = localize_stockholm([spring, autumn, normal, None])
    assert (n_amb, n_non) == (1, 1)
    # spring: moved forward one hour -> 03:30 CEST = 01:30 UTC
    assert times[0].tz_convert("UTC") == pd.Timestamp("2024-03-31 01:30", tz="UTC")
    # autumn: first occurrence (summer time) -> 02:30 CEST = 00:30 UTC
    assert times[1].tz_convert("UTC") == pd.Timestamp("2024-10-27 00:30", tz="UTC")
    assert times[2].tz_convert("UTC") == pd.Timestamp("2024-01-15 07:00", tz="UTC")
    assert pd.isna(times[3])
    assert str(times.dtype) == "datetime64[ns, Europe/Stockholm]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("kl. 9.05", dt.time(9, 5)),
        ("kl 9", dt.time(9)),
        ("23:59:30", dt.time(23, 59, 30)),
        ("25:00", None),
        ("9", None),
        ("2024-03-05", None),
    ],
)
def test_clock(text: str, expected: dt.time | None) -> None:
    assert parse_clock(text) == expected


def test_column_dates_are_naive_midnights() -> None:
    parsed = parse_datetimes(["2024-03-05 14:30", "bad", None])
    dates = parsed.dates()
    assert str(dates.dtype) == "datetime64[ns]"
    assert dates[0] == pd.Timestamp("2024-03-05")
    assert pd.isna(dates[1])
    assert pd.isna(dates[2])
    assert parsed.ok.tolist() == [True, False, False]
    assert parsed.missing.tolist() == [False, False, True]


_SV_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_every_written_form_round_trips(day: dt.date) -> None:
    expected = D(day.year, day.month, day.day)
    forms = [
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day} {_SV_MONTHS[day.month - 1]} {day.year}",
        f"{day.day} {_SV_MONTHS[day.month - 1][:3]} {day.year}",
        (day - dt.date(1899, 12, 30)).days,
    ]
    for form in forms:
        assert parse_datetime_value(form)[:2] == ("ok", expected), form


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.just(""),
            st.datetimes(
                min_value=dt.datetime(1850, 1, 1), max_value=dt.datetime(2250, 12, 31)
            ).map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
            st.datetimes(
                min_value=dt.datetime(1850, 1, 1), max_value=dt.datetime(2250, 12, 31)
            ).map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
            st.dates().map(lambda d: d.strftime("%Y-%m-%d")),
            st.from_regex(r"\A\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?\Z"),  # 2024-02-30, 25:61 …
            st.from_regex(r"\A\d{1,2}/\d{1,2}/\d{4}\Z"),
        ),
        max_size=30,
    )
)
def test_the_vectorised_path_reads_every_value_as_one_by_one(values: list) -> None:
    from geo_trygg.io._dates import _parse, parse_datetimes

    parsed = parse_datetimes(values)
    for i, value in enumerate(values):
        one = _parse(value)
        assert parsed.values[i] == one.value, value
        assert parsed.status[i] == one.status, value
        assert bool(parsed.has_time[i]) == one.has_time, value


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.just(float("nan")),
            st.text(max_size=3),
            st.sampled_from([pd.NA, pd.NaT, 3, dt.date(2024, 3, 5)]),
        ),
        max_size=10,
    )
)
def test_absent_and_text_rows_at_once_equal_value_by_value(values: list[object]) -> None:
    from geo_trygg.io._dates import _absent_and_text

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    absent, text = _absent_and_text(values, arr)
    assert absent.tolist() == [v is None or (isinstance(v, float) and v != v) for v in values]
    assert text.tolist() == [isinstance(v, str) for v in values]


_iso_like = st.one_of(
    st.sampled_from(
        [
            *("2024-03-05", "2024-03-05 14:30", "2024-03-05 14:30:15", "2024-03-05\n"),
            *("٢٠٢٤-03-05", "2024-03-05 14:30\n", "2024-03-05\n\n", "2024-03-05\0", ""),
        ]
    ),
    st.text(alphabet="0123456789-: \n\0", max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_iso_like, min_size=1, max_size=12))
def test_plain_iso_seen_at_once_equals_value_by_value(values: list[str]) -> None:
    # the one-scan check of a whole column gives, value by value, what re.match gives
    import re

    from geo_trygg.io._dates import _PLAIN_ISO, _plain_iso

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    expected = [re.match(_PLAIN_ISO, v) is not None for v in values]
    assert _plain_iso(arr).tolist() == expected


_fields = st.tuples(
    st.one_of(st.integers(1900, 2199), st.sampled_from([0, 1899, 2200, 9999])).map(
        "{:04d}".format
    ),
    st.one_of(st.integers(1, 12), st.sampled_from([0, 13, 99])).map("{:02d}".format),
    st.sampled_from([0, 1, 28, 29, 30, 31, 32, 99]).map("{:02d}".format),
    st.sampled_from([0, 9, 23, 24, 99]).map("{:02d}".format),
    st.sampled_from([0, 59, 60]).map("{:02d}".format),
    st.sampled_from([0, 59, 60]).map("{:02d}".format),
    st.sampled_from([10, 16, 19]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_fields, min_size=1, max_size=20))
def test_plain_iso_fields_read_at_once_as_the_standard_library_reads_them(
    values: list[tuple[str, str, str, str, str, str, int]],
) -> None:
    # plain ISO text with every field at and beyond its limits (year 0000/9999, month 00/13,
    # 31 April, 29 February, 24:00, :60) read at once gives what datetime() accepts in
    # 1900–2199 (the second method), else the value-by-value reading's refusal
    from geo_trygg.io._dates import _parse, parse_datetimes

    texts = [f"{y}-{mo}-{d} {h}:{mi}:{s}"[:width] for y, mo, d, h, mi, s, width in values]
    parsed = parse_datetimes(texts)
    for i, (y, mo, d, h, mi, s, width) in enumerate(values):
        parts = [int(y), int(mo), int(d)] + ([int(h), int(mi)] if width > 10 else [0, 0])
        parts.append(int(s) if width == 19 else 0)
        try:
            expected: dt.datetime | None = dt.datetime(*parts)
        except ValueError:
            expected = None
        if expected is not None and 1900 <= expected.year <= 2199:
            assert parsed.status[i] == "ok", texts[i]
            assert parsed.values[i] == expected
            assert bool(parsed.has_time[i]) == (width > 10)
        else:
            assert parsed.status[i] != "ok", texts[i]
            assert parsed.status[i] == _parse(texts[i]).status
