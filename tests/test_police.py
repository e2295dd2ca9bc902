"""Tests for geo_trygg.io.police: the police events API reader and parse_incident_time."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo_trygg import ConfigError, GeoTryggWarning, ReadError, RowError
from geo_trygg import settings as gt_settings
from geo_trygg.io.police import EVENT_COLUMNS, parse_incident_time, read_police_events
from geo_trygg.vocab.events import EVENT_CATEGORIES

TZ = "Europe/Stockholm"
STHLM = ZoneInfo(TZ)
FOLDER = "polisen_events_api"
STOCKHOLM_FILE = "events_stockholms_lan_2023-03_2026-08.json"
LATEST_FILE = "events_latest_raw_2026-08-22.json"
MONTHS = [
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


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert(TZ)


def _rec(**over: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": 1,
        "datetime": "2023-03-20 11:58:36 +01:00",
        "name": "20 mars 10:42, Ofredande/förargelse, Stockholm",
        "summary": "Polis kallas till Vasastaden.",
        "url": "/aktuellt/handelser/2023/mars/20/20-mars-1042-ofredandeforargelse-stockholm/",
        "type": "Ofredande/förargelse",
        "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
    }
    record.update(over)
    return record


def _read(records: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return read_police_events(records, **kwargs)


# ------------------------------------------------------------------ incident times, by hand

# Hand-checked against the title (name) and publication time (datetime) of real records in
# the Stockholm file; the expected offsets follow Swedish summer time (CEST +02:00 from the
# last Sunday of March 02:00 to the last Sunday of October 03:00, CET +01:00 otherwise).
REAL_SAMPLE = [
    # id, expected incident time, what the case shows
    (409554, "2023-03-20 10:42+01:00"),  # "20 mars 10:42": ':' time
    (480687, "2023-12-31 00:07+01:00"),  # "31 december 00.07" published 2024-01-01 0:40: New Year
    (619868, "2025-12-31 23:08+01:00"),  # "31 december 23.08" published 2026-01-01 0:05
    (411287, "2023-03-26 01:14+01:00"),  # DST day, before the spring change (pub "8:35:34")
    (411288, "2023-03-26 03:53+02:00"),  # DST day, after the spring change
    (514301, "2024-03-31 01:56+01:00"),  # "31 mars 01.56": '.' time on a DST day
    (610595, "2025-10-26 04:44+01:00"),  # autumn change day, after 03:00
    (434839, "2023-07-13 14:30+02:00"),  # published three days later (2023-07-16)
    (420768, "2023-04-21 20:31+02:00"),  # title later than publication (0:39): kept as written
    (576845, "2025-03-30 03:00+02:00"),  # "30 mars 03.00" on a DST day: first summer-time hour
]


@pytest.mark.shared
@pytest.mark.parametrize(("event_id", "expected"), REAL_SAMPLE)
def test_incident_times_real_sample(
    shared_data: Path, event_id: int, expected: str, stockholm: Any
) -> None:
    records = {r["id"]: r for r in json.loads((shared_data / FOLDER / STOCKHOLM_FILE).read_text())}
    record = records[event_id]
    assert parse_incident_time(record["name"], record["datetime"]) == _ts(expected)
    row = stockholm.accepted.set_index("event_id").loc[str(event_id)]
    assert row["time_from"] == _ts(expected)
    assert row["time_to"] == row["time_from"]
    published = datetime.strptime(record["datetime"], "%Y-%m-%d %H:%M:%S %z")
    assert row["published"] == pd.Timestamp(published)
    assert str(row["published"].tz) == TZ


@pytest.mark.parametrize(
    ("name", "published", "expected"),
    [
        # one-digit hour (the real file has none in `name`, only in `datetime`)
        ("5 mars 7.05, Stöld, Solna", "2024-03-05 9:15:00 +01:00", "2024-03-05 07:05+01:00"),
        ("05 mars 7:05, Stöld, Solna", "2024-03-05 09:15:00 +01:00", "2024-03-05 07:05+01:00"),
        # New Year: a 31 December event published on 1 January belongs to the year before
        (
            "31 december 23.40, Brand, Stockholm",
            "2024-01-01 00:30:00 +01:00",
            "2023-12-31 23:40+01:00",
        ),
        # the other way round: announced on 31 December for 1 January
        (
            "01 januari 00.10, Information, Stockholm",
            "2023-12-31 18:00:00 +01:00",
            "2024-01-01 00:10+01:00",
        ),
        # 2024-10-27 02:30 happens twice: the later (CET) is taken when not after publication
        (
            "27 oktober 02.30, Bråk, Stockholm",
            "2024-10-27 08:00:00 +01:00",
            "2024-10-27 02:30+01:00",
        ),
        # ... and the earlier (CEST) when publication falls between the two
        (
            "27 oktober 02.30, Bråk, Stockholm",
            "2024-10-27 02:45:00 +02:00",
            "2024-10-27 02:30+02:00",
        ),
        # 2024-03-31 02:30 does not exist: read in the offset before the change (= 03:30 CEST)
        ("31 mars 02.30, Bråk, Stockholm", "2024-03-31 08:00:00 +02:00", "2024-03-31 03:30+02:00"),
        # 29 February exists only in leap years: the nearest leap year is taken
        (
            "29 februari 12.00, Rån, Stockholm",
            "2025-01-05 10:00:00 +01:00",
            "2024-02-29 12:00+01:00",
        ),
        # published given as an ISO string and as a Timestamp
        (
            "20 mars 10:42, Misshandel, Nacka",
            "2023-03-20T11:58:36+01:00",
            "2023-03-20 10:42+01:00",
        ),
    ],
)
def test_incident_times_by_hand(name: str, published: str, expected: str) -> None:
    assert parse_incident_time(name, published) == _ts(expected)


def test_parse_incident_time_timestamp_and_naive_published() -> None:
    pub = pd.Timestamp("2023-03-20 11:58:36", tz=TZ)
    assert parse_incident_time("20 mars 10:42, X, Y", pub) == _ts("2023-03-20 10:42+01:00")
    naive = pd.Timestamp("2023-07-01 11:00")  # read as Swedish local time
    assert parse_incident_time("1 juli 10.00, X, Y", naive) == _ts("2023-07-01 10:00+02:00")
    plain = datetime(2023, 7, 1, 11, 0)
    assert parse_incident_time("1 juli 10.00, X, Y", plain) == _ts("2023-07-01 10:00+02:00")


@pytest.mark.parametrize(
    "name",
    [
        "Sammanfattning natt",
        "",
        "31 februari 10.00, Brand, Solna",
        "20 mars 25.10, X, Y",
        "20 marsipan 10.00, X",
    ],
)
def test_parse_incident_time_unreadable_name(name: str) -> None:
    with pytest.raises(ConfigError, match="name="):
        parse_incident_time(name, "2023-03-20 11:58:36 +01:00")


def test_parse_incident_time_unreadable_published() -> None:
    with pytest.raises(ConfigError, match="published="):
        parse_incident_time("20 mars 10:42, X, Y", "igår")


# ------------------------------------------------------------------ incident times, properties


@st.composite
def _incident_published(draw: st.DrawFn) -> tuple[pd.Timestamp, pd.Timestamp, str, bool]:
    naive = draw(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2035, 12, 31)))
    naive = naive.replace(second=0, microsecond=0)
    first = draw(st.booleans())
    stamp = pd.Timestamp(naive)
    assume(not pd.isna(stamp.tz_localize(TZ, ambiguous=True, nonexistent="NaT")))
    ambiguous = stamp.tz_localize(TZ, ambiguous=True) != stamp.tz_localize(TZ, ambiguous=False)
    incident = stamp.tz_localize(TZ, ambiguous=first)
    lag = pd.Timedelta(seconds=draw(st.integers(0, 180 * 24 * 3600)))
    published = incident + lag
    day = f"{incident.day:02d}" if draw(st.booleans()) else str(incident.day)
    hour = f"{incident.hour:02d}" if draw(st.booleans()) else str(incident.hour)
    sep = draw(st.sampled_from([".", ":"]))
    name = f"{day} {MONTHS[incident.month - 1]} {hour}{sep}{incident.minute:02d}, Brand, Solna"
    return incident, published, name, ambiguous


def _api_datetime(ts: pd.Timestamp) -> str:
    offset = ts.strftime("%z")
    return f"{ts:%Y-%m-%d} {ts.hour}:{ts:%M:%S} {offset[:3]}:{offset[3:]}"


_AMBIGUOUS = pd.Timestamp("2024-10-27 02:30")


@settings(max_examples=300, deadline=None)
@given(_incident_published(), st.booleans())
@example(  # the first (CEST) 02:30 of the autumn change, published after both occurrences
    (
        _AMBIGUOUS.tz_localize(TZ, ambiguous=True),
        pd.Timestamp("2024-10-27 05:00", tz=TZ),
        "27 oktober 02.30, Brand, Solna",
        True,
    ),
    False,
)
@example(  # the second (CET) 02:30
    (
        _AMBIGUOUS.tz_localize(TZ, ambiguous=False),
        pd.Timestamp("2024-10-27 02:40").tz_localize(TZ, ambiguous=False),
        "27 oktober 2:30, Brand, Solna",
        True,
    ),
    True,
)
def test_incident_time_round_trip(
    case: tuple[pd.Timestamp, pd.Timestamp, str, bool], as_text: bool
) -> None:
    """A title written from an incident up to 180 days before publication reads back exactly.

    The invariant: the result is never after publication, and is the incident itself -- except
    for a wall-clock time that occurs twice, where it is one of the two occurrences.
    """
    incident, published, name, ambiguous = case
    result = parse_incident_time(name, _api_datetime(published) if as_text else published)
    assert result <= published
    assert result.tz_localize(None) == incident.tz_localize(None)
    if not ambiguous:
        assert result == incident
    else:
        assert abs(result - incident) in (pd.Timedelta(0), pd.Timedelta(hours=1))


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2035, 12, 31)),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
)
@example(datetime(2024, 3, 31, 8, 0), 3, 31, 2, 30)  # 02:30 skipped by the spring change
@example(datetime(2024, 1, 1, 0, 30), 12, 31, 23, 40)  # New Year
@example(datetime(2023, 12, 31, 23, 0), 1, 1, 0, 10)
def test_incident_time_is_within_half_a_year_of_publication(
    pub_naive: datetime, month: int, day: int, hour: int, minute: int
) -> None:
    published = pd.Timestamp(pub_naive).tz_localize(
        TZ, ambiguous=True, nonexistent="shift_forward"
    )
    name = f"{day} {MONTHS[month - 1]} {hour}.{minute:02d}, Rån, Solna"
    result = parse_incident_time(name, published)
    assert abs(result - published) <= pd.Timedelta(days=183, hours=2)
    assert (result.month, result.day, result.minute) == (month, day, minute)
    assert result.hour in (hour, hour + 1)  # +1 only for a time skipped by the spring change


# ------------------------------------------------------------------ synthetic records


def test_canonical_columns_and_values() -> None:
    result = _read(
        [
            _rec(),
            _rec(
                id="650297",
                datetime="2026-08-22 19:51:41 +02:00",
                name="22 augusti 17.59, Brand, Kävlinge",
                summary="Försök till grov mordbrand, Kävlinge.",
                url="https://polisen.se/aktuellt/handelser/2026/augusti/22/x/",
                type="Brand",
                location={"name": "Skåne län", "gps": "55.990257,13.595769"},
            ),
        ]
    )
    acc = result.accepted
    assert list(acc.columns) == EVENT_COLUMNS
    assert str(acc.crs) == "EPSG:3006"
    assert acc["event_id"].tolist() == ["1", "650297"]
    assert acc["source"].tolist() == ["polis", "polis"]
    assert acc["source_type"].tolist() == ["Ofredande/förargelse", "Brand"]
    assert acc["category"].tolist() == ["disorder", "fire"]
    assert acc["location_precision"].tolist() == ["kommun", "lan"]
    assert acc["location_name"].tolist() == ["Stockholm", "Skåne län"]
    assert acc["kommun"].tolist() == ["Stockholm", None]
    assert acc["text"].tolist() == [
        "20 mars 10:42, Ofredande/förargelse, Stockholm\nPolis kallas till Vasastaden.",
        "22 augusti 17.59, Brand, Kävlinge\nFörsök till grov mordbrand, Kävlinge.",
    ]
    assert acc["url"].tolist() == [
        "https://polisen.se/aktuellt/handelser/2023/mars/20/20-mars-1042-ofredandeforargelse-stockholm/",
        "https://polisen.se/aktuellt/handelser/2026/augusti/22/x/",
    ]
    assert acc["source_row"].tolist() == [1, 2]
    assert acc["duplicate_group"].tolist() == [None, None]
    assert not acc["coords_swapped"].any()
    assert acc["time_from"].tolist() == [
        _ts("2023-03-20 10:42+01:00"),
        _ts("2026-08-22 17:59+02:00"),
    ]
    # the point is the gps centroid, latitude first in the source
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(
        18.068581, 59.329324
    )
    assert acc.geometry.iloc[0].x == pytest.approx(x, abs=0.01)
    assert acc.geometry.iloc[0].y == pytest.approx(y, abs=0.01)
    for col in ("time_from", "time_to", "published"):
        assert str(acc[col].dtype) == "datetime64[ns, Europe/Stockholm]"
    assert result.summary.n_input == 2
    assert result.summary.crs_in == "EPSG:4326"
    assert "1 händelser har kommunnivå och 1 länsnivå" in result.summary.notes[0]


def test_to_crs() -> None:
    result = _read([_rec()], to_crs="EPSG:3011")
    assert result.accepted.crs.to_epsg() == 3011
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3011", always_xy=True).transform(
        18.068581, 59.329324
    )
    assert result.accepted.geometry.iloc[0].x == pytest.approx(x, abs=0.01)
    assert result.accepted.geometry.iloc[0].y == pytest.approx(y, abs=0.01)


def test_garbled_records_are_rejected_with_reasons() -> None:
    records = [
        _rec(id=1),
        "not an event",
        _rec(id=None),
        _rec(id=[3]),
        _rec(id=4, datetime=None),
        _rec(id=5, datetime="i förrgår"),
        _rec(id=6, location=None),
        _rec(id=7, location={"name": "", "gps": "59.33,18.07"}),
        _rec(id=8, location={"name": "Solna", "gps": None}),
        _rec(id=9, location={"name": "Solna", "gps": "59.33"}),
        _rec(id=10, location={"name": "Solna", "gps": "abc,def"}),
        _rec(id=11, location={"name": "Solna", "gps": "48.85,2.35"}),  # Paris
        _rec(id=1, name="21 mars 08:00, Stöld, Stockholm"),  # repeated id
        _rec(id=12, datetime="", location={"name": None, "gps": None}),  # three problems
        _rec(id=13, location={"name": "Solna", "gps": "18.0,59.36"}),  # swapped: fixed
    ]
    result = _read(records)
    rej = result.rejected
    assert result.n_input == len(records)
    assert result.n_accepted + result.n_rejected == result.n_input
    assert result.accepted["event_id"].tolist() == ["1", "13"]
    assert result.accepted["coords_swapped"].tolist() == [False, True]
    assert result.summary.n_swapped == 1
    assert sorted(set(rej["row"])) == list(range(2, 15))
    by_row = {row: set(group["column"]) for row, group in rej.groupby("row")}
    assert by_row[2] == {"record"}
    assert by_row[3] == {"id"}
    assert by_row[4] == {"id"}
    assert by_row[5] == {"datetime"}
    assert by_row[6] == {"datetime"}
    assert by_row[7] == {"location"}
    assert by_row[8] == {"location.name"}
    assert by_row[9] == {"location.gps"}
    assert by_row[10] == {"location.gps"}
    assert by_row[11] == {"location.gps"}
    assert by_row[12] == {"location.gps"}
    assert by_row[13] == {"id"}
    assert by_row[14] == {"datetime", "location.name", "location.gps"}
    reasons = dict(zip(zip(rej["row"], rej["column"], strict=True), rej["reason"], strict=True))
    assert reasons[(13, "id")] == "samma id som rad 1, som behölls"
    assert reasons[(6, "datetime")].startswith("publiceringstiden (datetime) kan inte tolkas")
    assert reasons[(12, "location.gps")].startswith("koordinaterna ligger utanför Sverige")
    assert reasons[(10, "location.gps")].startswith("koordinaten (location.gps) ska vara")
    assert all(isinstance(r, str) and r for r in rej["reason"])


def test_duplicate_id_keeps_first_good_row() -> None:
    records = [
        _rec(id=7, location={"name": "Solna", "gps": None}),  # bad: rejected on its own
        _rec(id=7),
        _rec(id="7"),  # the same id written as text
    ]
    result = _read(records)
    assert result.accepted["source_row"].tolist() == [2]
    assert result.rejected.set_index("row").loc[3, "reason"] == "samma id som rad 2, som behölls"


def test_reasons_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gt_settings, "lang", "en")
    result = _read([_rec(datetime=None)])
    assert result.rejected["reason"].tolist() == ["the publication time (datetime) is missing"]


def test_strict_raises_on_first_problem() -> None:
    with pytest.raises(RowError) as info:
        _read([_rec(id=1), _rec(id=2, location={"name": "Solna", "gps": "1,2"})], strict=True)
    assert info.value.row == 2
    assert info.value.column == "location.gps"


def test_unreadable_title_falls_back_to_published_with_a_note() -> None:
    records = [_rec(id=1, name="Sammanfattning natt, Stockholm"), _rec(id=2, name=None)]
    with pytest.warns(GeoTryggWarning, match="publiceringstiden används"):
        result = read_police_events(records)
    acc = result.accepted
    assert result.n_rejected == 0
    assert (acc["time_from"] == _ts("2023-03-20 11:58:36+01:00")).all()
    assert (acc["time_to"] == acc["time_from"]).all()
    assert acc["text"].tolist() == [
        "Sammanfattning natt, Stockholm\nPolis kallas till Vasastaden.",
        "Polis kallas till Vasastaden.",
    ]
    assert any("rader 1, 2" in note for note in result.summary.notes)


def test_title_after_publication_is_kept_and_noted() -> None:
    record = _rec(
        name="21 april 20:31, Vapenlagen, Stockholm", datetime="2023-04-21 0:39:02 +02:00"
    )
    result = _read([record])
    assert result.accepted["time_from"].iloc[0] == _ts("2023-04-21 20:31+02:00")
    assert any("efter publiceringstiden" in note for note in result.summary.notes)


def test_missing_type_maps_to_other_and_category_map_wins() -> None:
    user = pd.DataFrame({"source": ["polis"], "source_type": ["Bråk"], "category": ["violence"]})
    result = _read([_rec(id=1, type=None), _rec(id=2, type="Bråk")], category_map=user)
    assert result.accepted["category"].tolist() == ["other", "violence"]
    assert result.accepted["source_type"].tolist() == [None, "Bråk"]


def test_bad_arguments_fail_before_reading(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(ConfigError, match="to_crs"):
        read_police_events(missing, to_crs="EPSG:4326")
    bad_map = pd.DataFrame({"source": ["polis"], "source_type": ["Bråk"], "category": ["bråk"]})
    with pytest.raises(ConfigError, match="'bråk'"):
        read_police_events(missing, category_map=bad_map)
    with pytest.raises(ReadError, match="finns inte"):
        read_police_events(missing)


def test_unreadable_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1,', encoding="utf-8")
    with pytest.raises(ReadError, match="JSON"):
        read_police_events(broken)
    single = tmp_path / "single.json"
    single.write_text(json.dumps(_rec()), encoding="utf-8")
    with pytest.raises(ReadError, match="lista"):
        read_police_events(single)


def test_file_and_records_give_the_same_result(tmp_path: Path) -> None:
    records = [_rec(id=i, name=f"{i} mars 10:0{i}, Rån, Solna") for i in range(1, 6)]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8-sig")
    a = _read(records)
    b = _read(str(path))
    pd.testing.assert_frame_equal(a.accepted, b.accepted)
    assert b.summary.source == str(path)


def test_empty_list() -> None:
    result = _read([])
    assert result.n_input == 0
    assert list(result.accepted.columns) == EVENT_COLUMNS


# ------------------------------------------------------------------ the real files

# Types that are genuinely miscellaneous and stay "other" (checked by reading their summaries:
# animals, deaths, found property, missing or wanted persons, the protection, aliens, aviation
# and environment acts, and the catch-all "Övrigt").
MISC_POLICE_TYPES = {
    "Anträffad död",
    "Anträffat gods",
    "Djur",
    "Efterlyst person",
    "Försvunnen person",
    "Luftfartslagen",
    "Miljöbrott",
    "Skyddslagen",
    "Upphittat föremål",
    "Utlänningslagen",
    "Övrigt",
}


@pytest.fixture(scope="module")
def stockholm(shared_data: Path) -> Any:
    return _read(str(shared_data / FOLDER / STOCKHOLM_FILE))


@pytest.mark.shared
@pytest.mark.parametrize("filename", [STOCKHOLM_FILE, LATEST_FILE])
def test_real_file_every_row_accounted_for(shared_data: Path, filename: str) -> None:
    path = shared_data / FOLDER / filename
    records = json.loads(path.read_text(encoding="utf-8"))
    result = _read(str(path))
    assert result.n_input == len(records)
    assert result.n_input == result.n_accepted + result.n_rejected
    assert result.rejected["row"].nunique() == result.n_rejected
    assert result.rejected["reason"].map(lambda r: isinstance(r, str) and len(r) > 0).all()
    acc = result.accepted
    # kommun/län centroids are never exact
    assert set(acc["location_precision"]) <= {"kommun", "lan"}
    assert not (acc["location_precision"] == "exact").any()
    assert acc.geometry.geom_type.eq("Point").all()
    assert acc.geometry.is_valid.all()
    assert acc["duplicate_group"].isna().all()  # coarse rows are never paired
    assert set(acc["category"]) <= set(EVENT_CATEGORIES)
    # independent: the rows the location names a län
    lan = Counter(r["location"]["name"].endswith(" län") for r in records)
    assert (acc["location_precision"] == "lan").sum() == lan[True]


@pytest.mark.shared
def test_real_per_kommun_counts_equal_location_name_tally(
    shared_data: Path, stockholm: Any
) -> None:
    records = json.loads((shared_data / FOLDER / STOCKHOLM_FILE).read_text(encoding="utf-8"))
    tally = Counter(r["location"]["name"] for r in records)
    kommun_tally = {k: v for k, v in tally.items() if not k.endswith(" län")}
    acc = stockholm.accepted
    assert acc["kommun"].value_counts().to_dict() == kommun_tally
    assert acc["location_name"].value_counts().to_dict() == dict(tally)
    assert acc.loc[acc["location_precision"] == "lan", "kommun"].isna().all()
    # a few of the counts in SOURCE.md
    assert kommun_tally["Stockholm"] == 3273
    assert tally["Stockholms län"] == 1462
    assert kommun_tally["Vaxholm"] == 12


@pytest.mark.shared
def test_real_incident_times_match_a_second_method(shared_data: Path, stockholm: Any) -> None:
    """Every row against a plain datetime/zoneinfo computation (year: the publication year, or
    the year before when the title's month is later than the publication month)."""
    records = json.loads((shared_data / FOLDER / STOCKHOLM_FILE).read_text(encoding="utf-8"))
    expected = []
    for r in records:
        pub = datetime.strptime(r["datetime"], "%Y-%m-%d %H:%M:%S %z")
        day, month, clock = r["name"].split(",")[0].split()
        hour, minute = clock.replace(".", ":").split(":")
        m = MONTHS.index(month) + 1
        year = pub.year - 1 if m > pub.month else pub.year
        local = datetime(year, m, int(day), int(hour), int(minute), tzinfo=STHLM)
        expected.append(pd.Timestamp(local).tz_convert(TZ))
    got = stockholm.accepted.set_index("source_row")["time_from"]
    assert got.tolist() == expected
    lag = stockholm.accepted["published"] - stockholm.accepted["time_from"]
    assert lag.min() > -pd.Timedelta(days=1)
    assert lag.max() < pd.Timedelta(days=3)


@pytest.mark.shared
def test_real_types_map_to_categories(shared_data: Path) -> None:
    types: Counter[str] = Counter()
    for filename in (STOCKHOLM_FILE, LATEST_FILE):
        records = json.loads((shared_data / FOLDER / filename).read_text(encoding="utf-8"))
        types.update(r["type"] for r in records)
    assert len(types) >= 86
    result = _read([_rec(id=i, type=t) for i, t in enumerate(sorted(types), start=1)])
    mapped = dict(zip(result.accepted["source_type"], result.accepted["category"], strict=True))
    unexpected_other = sorted(
        t for t, c in mapped.items() if c == "other" and t not in MISC_POLICE_TYPES
    )
    assert unexpected_other == []
    assert {t for t, c in mapped.items() if c == "other"} == MISC_POLICE_TYPES & set(types)
