"""Measure areas (issue 16, point 4): the reader, the hours across midnight and DST, counts
inside and outside in hours and validity, and the WDD on a measure area by hand."""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from geo_trygg import labels
from geo_trygg._errors import ConfigError
from geo_trygg.io import read_measure_areas
from geo_trygg.io.measure_areas import HoursError, HoursWindow, hours_words, parse_hours
from geo_trygg.plan import (
    exposure_hours,
    hours_window_days,
    in_hours,
    measure_area_counts,
    measure_area_evaluation,
)

STHLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@contextmanager
def warnings_ignored(category: type[Warning]) -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category)
        yield


ALL = frozenset(range(7))


def _frame(rows: list[dict], geoms: list, crs: str | None = "EPSG:3006") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=crs)


# --- the reader ------------------------------------------------------------------------------


def test_reader_accepts_and_rejects_every_row_with_its_reason():
    rows = [
        {
            "Typ": "Kamerabevakning",
            "Namn": "Torget",
            "Giltig från": "2024-01-01",
            "Giltig till": None,
            "Tider": "23–07",
            "Diarienummer": "Dnr 2023/12",
        },
        {
            "Typ": "Ordningsvakter (LOV 3 §)",
            "Namn": "Centrum",
            "Giltig från": "2024-06-01",
            "Giltig till": "2025-05-31",
            "Tider": "fre–lör kl. 22.00–05.00",
            "Diarienummer": None,
        },
        {
            "Typ": "Ordningsvakter",
            "Namn": "Parken",
            "Giltig från": "2024-06-01",
            "Giltig till": None,
            "Tider": "dygnet runt",
            "Diarienummer": None,
        },
        {
            "Typ": "Annan åtgärd",
            "Namn": "Gången",
            "Giltig från": "2024-06-01",
            "Giltig till": "2024-05-01",
            "Tider": "22-06",
            "Diarienummer": None,
        },
        {
            "Typ": "Drönare",
            "Namn": "Bron",
            "Giltig från": "2024-06-01",
            "Giltig till": None,
            "Tider": "22-06",
            "Diarienummer": None,
        },
        {
            "Typ": "kamera",
            "Namn": "Stationen",
            "Giltig från": "2024-06-01",
            "Giltig till": None,
            "Tider": "på kvällen",
            "Diarienummer": None,
        },
        {
            "Typ": "kamera",
            "Namn": "Tom",
            "Giltig från": "2024-06-01",
            "Giltig till": None,
            "Tider": "22-06",
            "Diarienummer": None,
        },
        {
            "Typ": "kamera",
            "Namn": "Torget",
            "Giltig från": "2024-01-01",
            "Giltig till": None,
            "Tider": "22-06",
            "Diarienummer": None,
        },
        {
            "Typ": "övrigt",
            "Namn": "Linjen",
            "Giltig från": "1 mars 2025",
            "Giltig till": None,
            "Tider": "",
            "Diarienummer": None,
        },
        {
            "Typ": "kamera",
            "Namn": "Skolan",
            "Giltig från": None,
            "Giltig till": None,
            "Tider": "07-09, 15-18",
            "Diarienummer": None,
        },
    ]
    geoms = [box(0, 0, 100, 100)] * 6 + [Polygon()] + [box(0, 0, 10, 10)]
    geoms += [LineString([(0, 0), (1, 1)]).buffer(5), box(0, 0, 5, 5)]
    result = read_measure_areas(_frame(rows, geoms))
    acc = result.accepted
    assert result.n_input == 10 == result.n_accepted + result.n_rejected
    assert acc["name"].tolist() == ["Torget", "Centrum", "Linjen"]
    assert acc["kind"].tolist() == ["camera", "ordningsvakt", "other"]
    assert acc["hours"].tolist() == ["23:00-07:00", "fre-lör 22:00-05:00", "00:00-24:00"]
    assert acc["valid_from"].tolist() == [
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 1),
        dt.date(2025, 3, 1),
    ]
    assert acc["valid_to"].tolist()[1] == dt.date(2025, 5, 31)
    assert acc["valid_to"].isna().tolist() == [True, False, True]
    assert acc["decision"].tolist()[0] == "Dnr 2023/12"
    assert acc["version_id"].tolist() == [
        "Torget@2024-01-01",
        "Centrum@2024-06-01",
        "Linjen@2025-03-01",
    ]
    assert acc["source_row"].tolist() == [1, 2, 9]
    assert acc.crs.to_epsg() == 3006
    rej = result.rejected.set_index("row")
    assert sorted(set(rej.index)) == [3, 4, 5, 6, 7, 8, 10]
    assert rej.loc[3, "reason"] == (
        "ett område för ordningsvakter (LOV 3 §) beslutas för en begränsad tid: giltig till saknas"
    )
    assert rej.loc[4, "reason"] == "giltig till ligger före giltig från (2024-06-01)"
    assert rej.loc[5, "reason"].startswith("typen 'Drönare' känns inte igen")
    assert rej.loc[6, "reason"].startswith("tiderna 'på kvällen' går inte att läsa")
    assert rej.loc[7, "reason"] == "geometrin saknas eller är tom"
    assert rej.loc[8, "reason"] == (
        "området 'Torget' har redan en version med samma giltig från (rad 1)"
    )
    assert rej.loc[10, "reason"] == "giltig från saknas (beslutets första dag)"


def test_reader_reprojects_a_file_and_refuses_a_missing_crs(tmp_path):
    # a square of about 100 m in WGS 84 near Sergels torg, written as GeoJSON
    lon, lat = 18.0649, 59.3326
    ring = [(lon, lat), (lon + 0.001, lat), (lon + 0.001, lat + 0.001), (lon, lat + 0.001)]
    frame = _frame(
        [{"type": "camera", "name": "Plattan", "valid_from": "2025-01-01", "hours": "23-07"}],
        [Polygon(ring)],
        crs="EPSG:4326",
    )
    path = tmp_path / "kameror.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = read_measure_areas(path)
    assert result.n_accepted == 1
    to_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    x, y = to_3006.transform(lon, lat)
    got = next(iter(result.accepted.geometry.iloc[0].exterior.coords))
    assert got == pytest.approx((x, y), abs=0.01)
    with pytest.raises(ConfigError, match="saknar koordinatsystem"):
        read_measure_areas(frame.set_crs(None, allow_override=True))
    given = read_measure_areas(frame.set_crs(None, allow_override=True), crs="EPSG:4326")
    assert given.accepted.geometry.iloc[0].equals_exact(result.accepted.geometry.iloc[0], 1e-6)


def test_reader_english_headers_a_single_kind_and_english_reasons():
    from geo_trygg import settings as gt_settings

    frame = _frame(
        [
            {
                "Name": "Square",
                "Valid from": "2025-01-01",
                "Valid to": "2025-12-31",
                "Hours": "Fri-Sat 22-5",
            },
            {
                "Name": "Park",
                "Valid from": "2025-01-01",
                "Valid to": "2025-12-31",
                "Hours": "22-22",
            },
        ],
        [box(0, 0, 10, 10)] * 2,
    )
    with pytest.raises(ConfigError, match="kind"):
        read_measure_areas(frame)
    with gt_settings.use_lang("en"):
        result = read_measure_areas(frame, kind="ordningsvakt")
    assert result.accepted["kind"].tolist() == ["ordningsvakt"]
    assert result.accepted["hours"].tolist() == ["fre-lör 22:00-05:00"]
    assert result.rejected["reason"].tolist() == [
        "the hours '22-22' start and end at the same time; write 00–24 or round the clock "
        "for the whole day"
    ]


# --- the hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("23–07", [(23 * 60, 7 * 60, ALL)]),
        ("kl. 22:00-06:00", [(22 * 60, 6 * 60, ALL)]),
        ("22.30 - 06.15", [(22 * 60 + 30, 6 * 60 + 15, ALL)]),
        ("dygnet runt", [(0, 1440, ALL)]),
        ("Hela dygnet", [(0, 1440, ALL)]),
        ("00-24", [(0, 1440, ALL)]),
        ("22-00", [(22 * 60, 1440, ALL)]),
        ("07-09; 15-18", [(7 * 60, 9 * 60, ALL), (15 * 60, 18 * 60, ALL)]),
        ("07-09 och 15-18", [(7 * 60, 9 * 60, ALL), (15 * 60, 18 * 60, ALL)]),
        ("fredagar och lördagar kl. 21.00–04.00", [(21 * 60, 4 * 60, frozenset({4, 5}))]),
        ("fre, lör 21-04", [(21 * 60, 4 * 60, frozenset({4, 5}))]),
        ("fre-mån 22-06", [(22 * 60, 6 * 60, frozenset({4, 5, 6, 0}))]),
        ("vardagar 07-09", [(7 * 60, 9 * 60, frozenset(range(5)))]),
        ("helger dygnet runt", [(0, 1440, frozenset({5, 6}))]),
        ("", [(0, 1440, ALL)]),
    ],
)
def test_parse_hours(text, windows):
    assert parse_hours(text) == tuple(HoursWindow(s, e, d) for s, e, d in windows)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("25-07", "klockslaget '25' går inte att läsa"),
        ("22:75-06", "klockslaget '22:75' går inte att läsa"),
        ("22-22", "tiderna '22-22' börjar och slutar samma klockslag"),
        ("fredag", "tiderna 'fredag' anger dagar men inga klockslag"),
        ("natt 22-06", "dagen 'natt' i tiderna 'natt 22-06' känns inte igen"),
        ("kvällstid", "tiderna 'kvällstid' går inte att läsa"),
        ("24-06", "klockslaget '24' går inte att läsa"),
    ],
)
def test_parse_hours_refuses_with_a_reason(text, start):
    with pytest.raises(HoursError) as caught:
        parse_hours(text)
    assert str(caught.value).startswith(start)


def test_hours_in_words():
    assert hours_words("23:00-07:00", "sv") == "kl. 23–07"
    assert hours_words("fre-lör 22:00-05:30", "sv") == "fre–lör kl. 22–05:30"
    assert hours_words("00:00-24:00", "sv") == "dygnet runt"
    assert hours_words("00:00-24:00", "en") == "round the clock"
    assert hours_words("mån 07:00-09:00; ons-fre 07:00-09:00", "en") == "Mon 07–09; Wed–Fri 07–09"
    assert labels.measure_area_kind_names("sv") == {
        "camera": "kamerabevakning",
        "ordningsvakt": "ordningsvakter (LOV 3 §)",
        "other": "annan åtgärd",
    }


# --- in hours: across midnight and DST ---------------------------------------------------------


def _aware(*texts: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(list(texts), utc=True)).tz_convert(STHLM)


def test_camera_hours_across_midnight_belong_to_the_start_day():
    times = _aware(
        "2025-03-01T01:00+01:00",  # window opened 28 Feb, before the decision: out
        "2025-03-01T23:00+01:00",  # opened 1 Mar: in
        "2025-03-31T06:59+02:00",  # opened 30 Mar: in
        "2025-04-01T02:00+02:00",  # opened 31 Mar, the last valid day: in
        "2025-04-01T07:00+02:00",  # the end is not included: out
        "2025-04-01T23:00+02:00",  # opened 1 Apr, after the decision: out
        "2025-03-15T12:00+01:00",  # daytime: out
    )
    got = in_hours(times, "23-07", valid_from="2025-03-01", valid_to="2025-03-31")
    assert got.tolist() == [False, True, True, True, False, False, False]
    days = hours_window_days(times, "23-07")
    assert days.astype(str).tolist() == [
        "2025-02-28",
        "2025-03-01",
        "2025-03-30",
        "2025-03-31",
        "NaT",
        "2025-04-01",
        "NaT",
    ]


def test_camera_hours_on_the_dst_nights():
    # autumn 2025: 26 Oct 03:00 CEST becomes 02:00 CET; 02:30 happens twice, both in 23-07
    autumn = _aware("2025-10-26T02:30+02:00", "2025-10-26T02:30+01:00", "2025-10-26T07:00+01:00")
    assert in_hours(autumn, "23-07", valid_from="2025-10-25", valid_to="2025-10-25").tolist() == [
        True,
        True,
        False,
    ]
    assert hours_window_days(autumn, "23-07").astype(str).tolist()[:2] == ["2025-10-25"] * 2
    # the two 02:30s are an hour apart in real time, the same on the clock
    assert (autumn[1] - autumn[0]) == pd.Timedelta(hours=1)
    # a window 02:00-02:45 holds both; a window 02:45-03:00 neither
    assert in_hours(autumn, "02:00-02:45").tolist() == [True, True, False]
    # spring 2025: 30 Mar 02:00 CET becomes 03:00 CEST; no aware time is 02:30 that night
    # (the readers move a wall time 02:30 to 03:30+02:00); a naive 02:30 is read as written
    spring_aware = _aware("2025-03-30T03:30+02:00", "2025-03-30T01:59+01:00")
    assert in_hours(spring_aware, "23-07", valid_from="2025-03-29").tolist() == [True, True]
    naive = pd.DatetimeIndex([pd.Timestamp("2025-03-30 02:30")])
    assert in_hours(naive, "23-07").tolist() == [True]
    assert in_hours(naive, "02:15-02:45").tolist() == [True]
    # the length of the windows in real hours: 9 in autumn, 7 in spring, 8 otherwise
    assert (
        exposure_hours(
            "23-07", "2025-10-25", "2025-10-27", valid_from="2025-10-25", valid_to="2025-10-25"
        )
        == 9.0
    )
    assert (
        exposure_hours(
            "23-07", "2025-03-29", "2025-04-01", valid_from="2025-03-29", valid_to="2025-03-29"
        )
        == 7.0
    )
    assert (
        exposure_hours(
            "23-07", "2025-03-29", "2025-04-01", valid_from="2025-03-30", valid_to="2025-03-30"
        )
        == 8.0
    )
    # a window inside the repeated hour: 02:00-02:30 passes twice (1 h); none in spring
    assert exposure_hours("02-02:30", "2025-10-26", "2025-10-27") == 1.0
    assert exposure_hours("02-02:30", "2025-03-30", "2025-03-31") == 0.0
    # a whole week of nights around the autumn change: 6 × 8 + 9
    assert (
        exposure_hours(
            "23-07", "2025-10-20", "2025-10-28", valid_from="2025-10-20", valid_to="2025-10-26"
        )
        == 6 * 8 + 9
    )


def _brute_days(wall: dt.datetime, windows, first, last) -> dt.date | None:
    """The second method: each window as an interval of naive datetimes on the day before
    and the day of the time; the first window (in order) whose interval holds it."""
    for w in windows:
        for start_day in (wall.date() - dt.timedelta(days=1), wall.date()):
            opens = dt.datetime.combine(start_day, dt.time()) + dt.timedelta(minutes=w.start)
            closes = opens + dt.timedelta(minutes=w.minutes)
            if not opens <= wall < closes or start_day.weekday() not in w.days:
                continue
            if (first is not None and start_day < first) or (
                last is not None and start_day > last
            ):
                continue
            return start_day
    return None


_window = st.builds(
    lambda s, e, d: (s, e if e != s else (s + 1) % 1441 or 1, frozenset(d)),
    st.integers(0, 1439),
    st.integers(1, 1440),
    st.sets(st.integers(0, 6), min_size=1),
)


def _hours_text(windows) -> str:
    out = []
    for s, e, days in windows:
        s_text = f"{s // 60:02d}:{s % 60:02d}"
        e_text = f"{e // 60:02d}:{e % 60:02d}"
        names = " ".join(
            ["mån", "tis", "ons", "tor", "fre", "lör", "sön"][d] for d in sorted(days)
        )
        out.append(f"{names} {s_text}-{e_text}")
    return "; ".join(out)


_DST_DAYS = [
    dt.datetime(2025, 3, 30, 1),
    dt.datetime(2025, 10, 26, 0),
    dt.datetime(2024, 10, 27, 0),
]


@settings(max_examples=150, deadline=None)
@given(
    windows=st.lists(_window, min_size=1, max_size=3),
    anchor=st.sampled_from([*_DST_DAYS, dt.datetime(2025, 6, 1)]),
    offsets=st.lists(st.integers(-3 * 1440, 3 * 1440), min_size=1, max_size=40),
    first=st.none() | st.integers(-3, 3),
    span=st.none() | st.integers(0, 4),
)
def test_in_hours_equals_brute_force(windows, anchor, offsets, first, span):
    windows = [w for w in windows if w[0] != w[1] % 1440 or (w[1] == 1440 and w[0] != 0)]
    if not windows:
        return
    text = _hours_text(windows)
    parsed = parse_hours(text)
    utc = anchor.replace(tzinfo=dt.UTC)
    instants = [utc + dt.timedelta(minutes=k) for k in offsets]
    walls = [t.astimezone(STHLM).replace(tzinfo=None) for t in instants]
    vf = None if first is None else anchor.date() + dt.timedelta(days=first)
    vt = None if vf is None or span is None else vf + dt.timedelta(days=span)
    times = pd.DatetimeIndex(instants).tz_convert(STHLM)
    got = hours_window_days(times, text, valid_from=vf, valid_to=vt)
    expected = [_brute_days(w, parsed, vf, vt) for w in walls]
    assert [None if np.isnat(d) else d.astype(dt.date) for d in got] == expected
    assert in_hours(times, text, valid_from=vf, valid_to=vt).tolist() == [
        e is not None for e in expected
    ]


@settings(max_examples=40, deadline=None)
@given(
    windows=st.lists(_window, min_size=1, max_size=2),
    anchor=st.sampled_from([*_DST_DAYS, dt.datetime(2025, 6, 1)]),
    shift=st.integers(-2, 1),
    days=st.integers(1, 3),
    first=st.none() | st.integers(-3, 2),
)
def test_exposure_equals_counting_minutes(windows, anchor, shift, days, first):
    windows = [w for w in windows if w[0] != w[1] % 1440 or (w[1] == 1440 and w[0] != 0)]
    if not windows:
        return
    text = _hours_text(windows)
    parsed = parse_hours(text)
    p0 = anchor.date() + dt.timedelta(days=shift)
    p1 = p0 + dt.timedelta(days=days)
    vf = None if first is None else anchor.date() + dt.timedelta(days=first)
    start = dt.datetime.combine(p0, dt.time(), STHLM).astimezone(dt.UTC)
    end = dt.datetime.combine(p1, dt.time(), STHLM).astimezone(dt.UTC)
    minutes = 0
    t = start
    while t < end:  # every real minute of the period, on the wall clock
        wall = t.astimezone(STHLM).replace(tzinfo=None)
        minutes += _brute_days(wall, parsed, vf, None) is not None
        t += dt.timedelta(minutes=1)
    assert exposure_hours(text, p0, p1, valid_from=vf) == pytest.approx(minutes / 60)


# --- counts inside and outside ------------------------------------------------------------------


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "version_id": ["K@2025-01-01", "O@2025-02-01"],
            "area_id": ["K", "O"],
            "kind": ["camera", "ordningsvakt"],
            "name": ["Kameratorget", "Vaktparken"],
            "valid_from": [dt.date(2025, 1, 1), dt.date(2025, 2, 1)],
            "valid_to": [None, dt.date(2025, 2, 14)],
            "hours": ["23:00-07:00", "fre-lör 22:00-05:00"],
        },
        geometry=[box(0, 0, 100, 100), box(1000, 0, 1100, 100)],
        crs="EPSG:3006",
    )


def test_counts_inside_and_outside_in_hours_and_validity():
    events = gpd.GeoDataFrame(
        {
            "time_from": _aware(
                "2025-02-07T23:30+01:00",  # Fri night: in hours of both
                "2025-02-07T23:30+01:00",
                "2025-02-08T04:00+01:00",  # Sat early = Fri's window: both
                "2025-02-08T12:00+01:00",  # noon: neither
                "2025-02-10T23:30+01:00",  # Mon night: camera only
                "2025-02-14T22:30+01:00",  # Fri 14 Feb, the guards' last day; 22:30: guards
                "2025-02-15T22:30+01:00",  # Sat 15 Feb: after the guards' decision
                "2025-02-03T23:30+01:00",  # Mon, on the camera area's edge (covers: inside)
                "2025-02-03T23:30+01:00",  # coarse location: not counted
            ),
            "location_precision": ["exact"] * 8 + ["stadsdel"],
        },
        geometry=[
            Point(50, 50),
            Point(1050, 50),
            Point(50, 50),
            Point(50, 50),
            Point(500, 500),
            Point(1050, 50),
            Point(1050, 50),
            Point(100, 50),
            Point(50, 50),
        ],
        crs="EPSG:3006",
    )
    got = measure_area_counts(_areas(), events, period="2025-02")
    # camera, 23-07 every night since 1 Jan: in hours are events 0, 1, 2, 4, 7 (not 5, 6:
    # 22:30); inside: 0, 2, 7 (the edge) → 3; outside: 1, 4 → 2
    assert got.loc["K@2025-01-01", ["n_inside", "n_outside"]].tolist() == [3, 2]
    # guards, Fri-Sat 22-05, 1-14 Feb: events 0, 1, 2 (Fri 7 Feb), 5 (Fri 14 Feb); not 6
    # (Sat 15 Feb, after the decision); inside: 1, 5 → 2; outside: 0, 2 → 2
    assert got.loc["O@2025-02-01", ["n_inside", "n_outside"]].tolist() == [2, 2]
    # exposure: camera every night of February: the window of 31 Jan gives 7 h on 1 Feb, 27
    # whole nights, and 1 h of the night of 28 Feb → 7 + 27 × 8 + 1
    assert got.loc["K@2025-01-01", "exposure_hours"] == 7 + 27 * 8 + 1
    # guards: Fridays 7 and 14, Saturday 1 and 8 Feb: 4 windows of 7 h (31 Jan is before)
    assert got.loc["O@2025-02-01", "exposure_hours"] == 4 * 7
    assert got.loc["K@2025-01-01", "kind"] == "camera"


def test_counts_refuse_other_crs():
    from geo_trygg._errors import CRSMismatchError

    events = gpd.GeoDataFrame(
        {"time_from": _aware("2025-02-07T23:30+01:00")}, geometry=[Point(18, 59)], crs="EPSG:4326"
    )
    with pytest.raises(CRSMismatchError):
        measure_area_counts(_areas(), events, period="2025-02")


# --- WDD on a measure area against a hand-computed case ----------------------------------------


def test_wdd_on_a_measure_area_against_a_hand_computed_case():
    """A camera area 100 × 100 m, hours 22-06, valid 1 March - 30 April 2025; evaluated on
    1 June 2025, so the period after ends on 1 May (the day after valid_to): 61 days, and the
    period before is the 61 days from 30 Dec 2024. The default buffer is 100 m (the radius of
    a circle of 1 ha is 56 m < 100 m), the control ring 100-300 m out, its zone 300-400 m."""
    target, buffer, control, zone = (50, 50), (150, 50), (250, 50), (450, 50)
    events: list[tuple[str, tuple[int, int]]] = []

    def add(n, when, where):
        events.extend([(when, where)] * n)

    # target: before 10 at 23:00 + 1 at 02:00 on 1 Mar (its window opened on 28 Feb) = 11;
    # 3 at noon are out of hours; after 4 at 01:00 + 1 at 03:00 on 1 May (window of 30 Apr)
    # = 5; one at 23:00 on 1 May opens a window after the decision: not counted
    add(10, "2025-01-15T23:00+01:00", target)
    add(1, "2025-03-01T02:00+01:00", target)
    add(3, "2025-01-15T12:00+01:00", target)
    add(4, "2025-03-10T01:00+01:00", target)
    add(1, "2025-05-01T03:00+02:00", target)
    add(1, "2025-05-01T23:00+02:00", target)
    # buffer: before 5, after 7 at 05:59; 2 at 06:00 are out (the end is not included)
    add(5, "2025-02-01T22:30+01:00", buffer)
    add(7, "2025-04-01T05:59+02:00", buffer)
    add(2, "2025-04-01T06:00+02:00", buffer)
    # control: before 8 at midnight (window of the day before), after 9
    add(8, "2025-01-20T00:00+01:00", control)
    add(9, "2025-03-20T23:59+01:00", control)
    # control's zone: before 4, after 3 at 22:00 sharp (the start is included)
    add(4, "2025-02-10T22:00+01:00", zone)
    add(3, "2025-04-10T22:00+02:00", zone)
    frame = gpd.GeoDataFrame(
        {
            "time_from": _aware(*[t for t, _ in events]),
            "category": "robbery",
            "source": "polis",
        },
        geometry=[Point(*p) for _, p in events],
        crs="EPSG:3006",
    )
    areas = gpd.GeoDataFrame(
        {
            "version_id": ["K@2025-03-01"],
            "area_id": ["K"],
            "kind": ["camera"],
            "name": ["Torget"],
            "valid_from": [dt.date(2025, 3, 1)],
            "valid_to": [dt.date(2025, 4, 30)],
            "hours": ["22:00-06:00"],
        },
        geometry=[box(0, 0, 100, 100)],
        crs="EPSG:3006",
    )
    row = measure_area_evaluation(
        areas, frame, as_of="2025-06-01", coverage={"polis": ("2024-01-01", "2025-12-31")}
    ).loc["K@2025-03-01"]
    t0, t1, d0, d1, c0, c1, z0, z1 = 11, 5, 5, 7, 8, 9, 4, 3
    counts = [
        row[f"n_{a}_{w}"]
        for a in ("target", "buffer", "control_target", "control_buffer")
        for w in ("before", "after")
    ]
    assert counts == [t0, t1, d0, d1, c0, c1, z0, z1]
    # WDD = ΔT − ΔCt + ΔD − ΔCd; Var = the sum of the eight counts
    wdd = (t1 - t0) - (c1 - c0) + (d1 - d0) - (z1 - z0)
    var = t0 + t1 + d0 + d1 + c0 + c1 + z0 + z1
    assert (wdd, var) == (-4, 52)
    assert row["wdd"] == wdd
    assert row["variance"] == var
    assert row["local"] == (t1 - t0) - (c1 - c0) == -7
    assert row["displacement"] == (d1 - d0) - (z1 - z0) == 3
    z = wdd / math.sqrt(var)
    assert row["z"] == pytest.approx(z)
    assert row["p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    half = 1.959963984540054 * math.sqrt(var)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((wdd - half, wdd + half))
    assert row["days"] == 61
    assert row["before_start"] == dt.date(2024, 12, 30)
    assert row["as_of"] == dt.date(2025, 5, 1)
    assert bool(row["supported"])
    assert row["code"] == "no_clear_change"
    assert row["hours"] == "22:00-06:00"
    assert row["kind"] == "camera"


# --- real data ----------------------------------------------------------------------------------


@pytest.mark.shared
def test_real_police_event_times_in_hours_and_never_counted_at_a_place(shared_data) -> None:
    """The police's events (Stockholms län, March 2023 – August 2026: three and a half years
    of DST changes) against the second method; their places are kommun centroids, so a
    measure area drawn here (a square at Sergels torg, made in the test) counts none of
    them inside or outside, and says so by its counts, not by a guess."""
    from geo_trygg import GeoTryggWarning, read_events

    with warnings_ignored(GeoTryggWarning):
        events = read_events(
            shared_data / "polisen_events_api" / "events_stockholms_lan_2023-03_2026-08.json"
        ).accepted
    times = events["time_from"]
    assert len(times) > 1000
    walls = [t.tz_convert(STHLM).tz_localize(None).to_pydatetime() for t in times]
    for text, first, last in (
        ("23-07", dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        ("fre-lör 22-05", dt.date(2023, 6, 1), None),
        ("02-03", None, None),
    ):
        windows = parse_hours(text)
        got = hours_window_days(times, text, valid_from=first, valid_to=last)
        expected = [_brute_days(w, windows, first, last) for w in walls]
        assert [None if np.isnat(d) else d.astype(dt.date) for d in got] == expected
        assert any(e is not None for e in expected)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(
        18.0649, 59.3326
    )
    square = gpd.GeoDataFrame(
        {
            "version_id": ["S@2023-01-01"],
            "area_id": ["S"],
            "kind": ["camera"],
            "name": ["Sergels torg (test)"],
            "valid_from": [dt.date(2023, 1, 1)],
            "valid_to": [None],
            "hours": ["00:00-24:00"],
        },
        geometry=[box(x - 300, y - 300, x + 300, y + 300)],
        crs="EPSG:3006",
    )
    assert set(events["location_precision"]) <= {"kommun", "lan"}
    counts = measure_area_counts(square, events.to_crs("EPSG:3006"), period="2024")
    assert counts[["n_inside", "n_outside"]].values.tolist() == [[0, 0]]
    assert counts["exposure_hours"].iloc[0] == 366 * 24  # 2024 is a leap year; DST evens out


def test_dates_as_timestamps_and_nat_mean_the_same(tmp_path) -> None:
    """A layer written to a GeoPackage and read back by geopandas holds Timestamps and NaT
    for the dates: the same counts as with dates and None."""
    areas = _areas()
    events = gpd.GeoDataFrame(
        {"time_from": _aware("2025-02-07T23:30+01:00", "2025-02-15T22:30+01:00")},
        geometry=[Point(1050, 50), Point(50, 50)],
        crs="EPSG:3006",
    )
    stamped = areas.assign(
        valid_from=pd.to_datetime(areas["valid_from"]),
        valid_to=pd.to_datetime(areas["valid_to"]),
    )
    assert stamped["valid_to"].isna().tolist() == [True, False]
    plain = measure_area_counts(areas, events, period="2025-02")
    again = measure_area_counts(stamped, events, period="2025-02")
    assert plain[["n_inside", "n_outside", "exposure_hours"]].equals(
        again[["n_inside", "n_outside", "exposure_hours"]]
    )
    # the camera (23-07) does not hold Saturday 22:30; the guards hold Friday 23:30
    assert plain["n_inside"].tolist() == [0, 1]
