"""The åtgärdsplan's computations (issue 15, point 3): status, follow-up, WDD evaluation.

Every expected value is worked out by hand from small synthetic places (squares, points put
on purpose inside, outside and on the boundaries) and written here, not read from the code.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo_trygg import ConfigError, CRSMismatchError, GeoTryggWarning, labels
from geo_trygg import settings as gt_settings
from geo_trygg.plan import (
    MEASURE_STATUSES,
    RAG_CODES,
    buffer_width,
    measure_evaluation,
    measure_followup,
    measure_status,
    wdd_areas,
)

ROOT = Path(__file__).resolve().parents[1] / "geo_trygg"
TZ = "Europe/Stockholm"
CRS = "EPSG:3006"


# --- helpers -------------------------------------------------------------------------------------


def status_table(rows: list[tuple]) -> pd.DataFrame:
    """Measures from (id, start, end, progress, status) rows."""
    return pd.DataFrame(
        {
            "measure_id": [r[0] for r in rows],
            "start": [r[1] for r in rows],
            "end": [r[2] for r in rows],
            "progress": pd.array([r[3] for r in rows], dtype="Int64"),
            "status": [r[4] for r in rows],
        }
    )


def events_at(
    points: list[tuple[float, float]],
    times: list[str],
    category: str | list[str] = "robbery",
    source: str | list[str] = "polis",
    **extra: list,
) -> gpd.GeoDataFrame:
    """Events at the given points and (Stockholm) times."""
    return gpd.GeoDataFrame(
        {
            "time_from": pd.to_datetime(times).tz_localize(TZ),
            "category": category,
            "source": source,
            **extra,
        },
        geometry=[Point(x, y) for x, y in points],
        crs=CRS,
    )


def measures_at(
    ids: list[str], starts: list[str], geoms: list, crs: str = CRS
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"measure_id": ids, "start": starts}, geometry=geoms, crs=crs)


PROBLEMS = pd.DataFrame(
    {
        "problem_id": ["p_rob", "p_ass", "p_walk"],
        "kind": ["category_area", "hotspot", "findings"],
        "category": ["robbery", "violence", None],
        "level": ["stadsdel", None, None],
        "area": ["Älvsjö", None, None],
        "cell_id": [None, "100mN6570000E670000", None],
        "description": ["Rån vid stationen", "Gi*-cell", "Mörk gångtunnel"],
    }
)
WIDE = {"polis": ("2020-01-01", "2030-12-31")}


# --- 1. status -----------------------------------------------------------------------------------


def test_status_by_hand() -> None:
    # 2025-01-01 to 2025-01-31: 30 days. On the 16th, 15 days have passed: expected 50 %.
    rows = [
        ("a", "2025-01-01", "2025-01-31", None, "ongoing"),  # 50 is not more than half: green
        ("b", "2025-01-01", "2025-01-31", 24, "ongoing"),  # 24 < 50 - 25: yellow
        ("c", "2025-01-01", "2025-01-31", 25, "ongoing"),  # 25 is not < 25: green
        ("d", "2025-01-01", "2025-01-31", 0, "planned"),  # 0 < 25: yellow
        ("e", "2025-01-01", "2025-01-10", 100, "ongoing"),  # end 10th < 16th: red
        ("f", "2025-01-01", "2025-01-10", 30, "done"),  # done, whatever the dates
        ("g", "2025-01-01", "2025-01-10", None, "cancelled"),
        ("h", "2025-02-01", "2025-03-01", None, "planned"),  # not started: green
        ("i", "2025-02-01", "2025-03-01", 0, "planned"),  # not started, 0 %: green
    ]
    frame = status_table(rows).set_index(pd.Index(list("ABCDEFGHI"), name="row"))
    rag = measure_status(frame, as_of="2025-01-16")
    assert rag.name == "rag"
    assert rag.index.tolist() == list("ABCDEFGHI")
    assert rag.tolist() == [
        "green",
        "yellow",
        "green",
        "yellow",
        "red",
        "done",
        "cancelled",
        "green",
        "green",
    ]
    # one day later 16/30 = 53.3 % has passed: no progress given is now yellow
    assert measure_status(frame, as_of="2025-01-17").tolist()[0] == "yellow"


def test_status_deadline_day_is_not_late() -> None:
    frame = status_table(
        [
            ("a", "2025-01-01", "2025-01-31", 80, "ongoing"),  # 80 >= 100 - 25
            ("b", "2025-01-01", "2025-01-31", 74, "ongoing"),  # 74 < 75
        ]
    )
    assert measure_status(frame, as_of="2025-01-31").tolist() == ["green", "yellow"]
    assert measure_status(frame, as_of="2025-02-01").tolist() == ["red", "red"]


def test_status_one_day_measure_and_date_types() -> None:
    frame = pd.DataFrame(
        {
            "measure_id": ["a", "b"],
            "start": [dt.date(2025, 1, 10), pd.Timestamp("2025-01-10")],
            "end": [pd.Timestamp("2025-01-10 12:00"), "2025-01-10"],
            "progress": [None, 80.0],
            "status": ["ongoing", "ongoing"],
        }
    )
    assert measure_status(frame, as_of=dt.date(2025, 1, 9)).tolist() == ["green", "green"]
    # on its one day all its time has passed: expected 100 %
    assert measure_status(frame, as_of="2025-01-10").tolist() == ["yellow", "green"]


def test_status_codes_have_words() -> None:
    for lang in ("sv", "en"):
        assert tuple(labels.names("rag", lang=lang)) == RAG_CODES
        assert tuple(labels.names("measure_status", lang=lang)) == MEASURE_STATUSES
    assert labels.rag_names("sv") == {
        "green": "grön",
        "yellow": "gul",
        "red": "röd",
        "done": "klar",
        "cancelled": "avbruten",
    }
    assert labels.rag_names("en")["yellow"] == "yellow"
    assert labels.measure_status_names("sv") == {
        "planned": "planerad",
        "ongoing": "pågår",
        "done": "klar",
        "cancelled": "avbruten",
    }
    frame = status_table([("a", "2025-01-01", "2025-01-31", None, "ongoing")])
    table = measure_status(frame, as_of="2025-03-01").to_frame()
    assert labels.with_words(table, lang="sv")["rag_label"].tolist() == ["röd"]


@pytest.mark.parametrize(
    ("change", "needle_sv", "needle_en"),
    [
        ({"status": ["finished"]}, "'finished'", "'finished'"),
        ({"progress": [120]}, "120", "from 0 to 100"),
        ({"measure_id": ["a", "a"]}, "mer än en gång", "more than once"),
        ({"end": ["2024-12-01"]}, "före startdagen", "comes before the start"),
        ({"start": ["not a day"]}, "inte är datum", "not dates"),
    ],
)
def test_status_refuses_bad_values(change: dict, needle_sv: str, needle_en: str) -> None:
    n = len(next(iter(change.values())))
    base = {
        "measure_id": [f"m{i}" for i in range(n)],
        "start": ["2025-01-01"] * n,
        "end": ["2025-01-31"] * n,
        "progress": [10] * n,
        "status": ["ongoing"] * n,
    }
    frame = pd.DataFrame({**base, **change})
    with pytest.raises(ConfigError, match=needle_sv):
        measure_status(frame, as_of="2025-01-10")
    with gt_settings.use_lang("en"), pytest.raises(ConfigError, match=needle_en):
        measure_status(frame, as_of="2025-01-10")


def test_status_reports_all_problems_and_missing_columns() -> None:
    frame = status_table([("a", "2025-01-01", "2024-01-31", None, "x")])
    with pytest.raises(ConfigError, match=r"2 problem.*'x'.*före startdagen"):
        measure_status(frame, as_of="2025-01-10")
    with pytest.raises(ConfigError, match="saknar kolumnen/kolumnerna 'progress'"):
        measure_status(frame.drop(columns="progress"), as_of="2025-01-10")
    with pytest.raises(ConfigError, match=r"pandas\.DataFrame"):
        measure_status([1, 2], as_of="2025-01-10")
    with pytest.raises(ConfigError, match="as_of"):
        measure_status(frame, as_of="soon")


ORDER = {"green": 0, "yellow": 1, "red": 2}
DAY0 = dt.date(2024, 1, 1)


@settings(max_examples=200, deadline=None)
@given(
    length=st.integers(0, 400),
    first=st.integers(-100, 600),
    later=st.integers(0, 300),
    progress=st.one_of(st.none(), st.integers(0, 100)),
    status=st.sampled_from(["planned", "ongoing"]),
)
def test_status_never_recovers_with_time(
    length: int, first: int, later: int, progress: int | None, status: str
) -> None:
    """For a fixed progress a later as_of never turns a measure greener."""
    frame = status_table([("a", DAY0, DAY0 + dt.timedelta(days=length), progress, status)])
    early = measure_status(frame, as_of=DAY0 + dt.timedelta(days=first)).iloc[0]
    late = measure_status(frame, as_of=DAY0 + dt.timedelta(days=first + later)).iloc[0]
    assert ORDER[late] >= ORDER[early]
    if early == "red":
        assert late == "red"


@settings(max_examples=200, deadline=None)
@given(
    length=st.integers(0, 400),
    day=st.integers(-100, 600),
    less=st.integers(0, 100),
    more=st.integers(0, 100),
)
def test_status_more_progress_never_worse(length: int, day: int, less: int, more: int) -> None:
    less, more = min(less, more), max(less, more)
    end = DAY0 + dt.timedelta(days=length)
    frame = status_table([("a", DAY0, end, less, "ongoing"), ("b", DAY0, end, more, "ongoing")])
    low, high = measure_status(frame, as_of=DAY0 + dt.timedelta(days=day)).tolist()
    assert ORDER[high] <= ORDER[low]
    if high != low:  # progress can only turn yellow into green, never touch red
        assert (low, high) == ("yellow", "green")


# --- 2. follow-up --------------------------------------------------------------------------------

# m1: the square 0–100 m; m2: a 50 m circle around (1000, 1000) (a place given as point + radius);
# m3: the square 0–100 m too, linked to walk findings (every event category).
SQUARE = box(0, 0, 100, 100)
CIRCLE = Point(1000, 1000).buffer(50)


def followup_measures() -> gpd.GeoDataFrame:
    return measures_at(["m1", "m2", "m3"], ["2025-03-01"] * 3, [SQUARE, CIRCLE, SQUARE])


LINKS = pd.DataFrame(
    {"measure_id": ["m1", "m1", "m2", "m3"], "problem_id": ["p_rob", "p_ass", "p_rob", "p_walk"]}
)


def test_followup_counts_by_hand() -> None:
    # start 2025-03-01, as_of 2025-04-01: 31 days; before = 2025-01-29 .. 2025-02-28
    rows = [
        # (x, y, time, category)
        (50, 50, "2025-02-10 12:00", "robbery"),  # inside, before
        (100, 50, "2025-02-11 12:00", "violence"),  # on the edge: inside, before
        (0, 0, "2025-01-29 00:00", "robbery"),  # on the corner, first instant: before
        (50, 50, "2025-01-28 23:59", "robbery"),  # a minute too early: not counted
        (50, 50, "2025-02-28 23:59", "robbery"),  # last minute before the start: before
        (50, 50, "2025-03-01 00:00", "robbery"),  # first instant of the start: after
        (50, 100, "2025-03-31 23:59", "robbery"),  # top edge, last minute: after
        (50, 50, "2025-04-01 00:00", "robbery"),  # as_of itself: not counted
        (100.5, 50, "2025-03-10 12:00", "robbery"),  # just outside
        (50, 50, "2025-03-10 12:00", "theft"),  # inside, not an m1 category (m3's)
        (1050, 1000, "2025-03-10 12:00", "robbery"),  # on m2's circle (a vertex)
        (1000, 1000, "2025-03-11 12:00", "violence"),  # in m2, not its category
    ]
    events = events_at(
        [(r[0], r[1]) for r in rows], [r[2] for r in rows], category=[r[3] for r in rows]
    )
    table = measure_followup(
        followup_measures(), PROBLEMS, LINKS, events, as_of="2025-04-01", coverage=WIDE
    )
    assert table.index.tolist() == ["m1", "m2", "m3"]
    assert table.index.name == "measure_id"
    # m1: before rows 1, 2, 3, 5 = 4; after rows 6, 7 = 2
    # m2: after row 11 only; m3: every category in the square: m1's plus row 10 (after)
    assert table["n_before"].tolist() == [4, 0, 4]
    assert table["n_after"].tolist() == [2, 1, 3]
    assert table["days"].tolist() == [31, 31, 31]
    assert table["change"].tolist() == [-2, 1, -1]
    assert table.loc["m1", "change_pct"] == pytest.approx(-50.0)
    assert table.loc["m3", "change_pct"] == pytest.approx(-25.0)
    assert pd.isna(table.loc["m2", "change_pct"])  # n_before is 0
    assert table.loc["m1", "before_start"] == dt.date(2025, 1, 29)
    assert table.loc["m1", "as_of"] == dt.date(2025, 4, 1)
    # 6, 1 and 7 events: fewer than 10, so no change is called supported
    assert table["supported"].tolist() == [False, False, False]
    assert table["reason_code"].tolist() == ["too_few"] * 3
    assert table.loc["m1", "reason"] == (
        "För få händelser för att säga något: 6 före och efter tillsammans, minst 10 behövs."
    )
    assert str(table["n_before"].dtype) == "Int64"
    assert str(table["change_pct"].dtype) == "Float64"


def test_followup_utc_times_fall_on_the_stockholm_day() -> None:
    events = events_at([(50, 50)], ["2025-03-01 00:00"])
    # 2025-02-28 23:30 UTC is 2025-03-01 00:30 in Stockholm: after the start
    events["time_from"] = pd.to_datetime(["2025-02-28 23:30"]).tz_localize("UTC")
    table = measure_followup(
        followup_measures(), PROBLEMS, LINKS, events, as_of="2025-04-01", coverage=WIDE
    )
    assert (table.loc["m1", "n_before"], table.loc["m1", "n_after"]) == (0, 1)


def supported_case(as_of: str, n_before: int, n_after: int, coverage: object = WIDE):
    events = events_at(
        [(50, 50)] * (n_before + n_after),
        ["2025-02-20"] * n_before + ["2025-03-02"] * n_after,
    )
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])
    links = pd.DataFrame({"measure_id": ["m1"], "problem_id": ["p_rob"]})
    return measure_followup(measures, PROBLEMS, links, events, as_of=as_of, coverage=coverage)


def test_followup_supported_needs_28_days_and_10_events() -> None:
    # 28 days (2025-03-01 .. 2025-03-28, as_of 2025-03-29) and 6 + 4 = 10 events: supported
    ok = supported_case("2025-03-29", 6, 4)
    assert ok["supported"].tolist() == [True]
    assert ok["reason_code"].isna().all()
    assert ok["reason"].isna().all()
    assert ok.loc["m1", "days"] == 28
    short = supported_case("2025-03-28", 6, 4)  # 27 days
    assert short.loc["m1", "reason_code"] == "window_short"
    assert short.loc["m1", "reason"] == (
        "För kort tid sedan starten: 27 dagar före och efter jämförs, minst 28 behövs."
    )
    few = supported_case("2025-03-29", 6, 3)  # 9 events
    assert few.loc["m1", "reason_code"] == "too_few"
    assert not few.loc["m1", "supported"]
    early = supported_case("2025-03-01", 6, 0)  # as_of on the start: no window
    assert early.loc["m1", "reason_code"] == "not_started"
    assert early.loc["m1", "days"] == 0
    assert (early.loc["m1", "n_before"], early.loc["m1", "n_after"]) == (0, 0)


def test_followup_coverage_must_cover_both_windows() -> None:
    # windows 2025-02-01 .. 2025-03-28 (as_of 2025-03-29, 28 days)
    exact = {"polis": ("2025-02-01", "2025-03-28")}
    assert supported_case("2025-03-29", 6, 4, exact)["supported"].tolist() == [True]
    late = {"polis": (dt.date(2025, 2, 2), dt.date(2025, 12, 31))}
    table = supported_case("2025-03-29", 6, 4, late)
    assert table.loc["m1", "reason_code"] == "coverage"
    assert table.loc["m1", "reason"] == (
        "Källan polis täcker 2025-02-02–2025-12-31, men perioderna före och efter starten går "
        "2025-02-01–2025-03-28: jämförelsen skulle visa vad som importerats, inte vad som hänt."
    )
    short = {"polis": ("2020-01-01", "2025-03-27")}
    assert supported_case("2025-03-29", 6, 4, short).loc["m1", "reason_code"] == "coverage"
    other = {"bostadsbolag": ("2020-01-01", "2030-01-01")}
    with gt_settings.use_lang("en"):
        table = supported_case("2025-03-29", 6, 4, other)
    assert table.loc["m1", "reason"] == (
        "The source polis has no coverage given, so whether it covers both periods is unknown."
    )


def test_followup_coverage_of_an_unrelated_source_does_not_matter() -> None:
    # a bostadsbolag source with only thefts (not m1's categories) covers only March
    events = events_at(
        [(50, 50)] * 11,
        ["2025-02-20"] * 6 + ["2025-03-02"] * 4 + ["2025-03-05"],
        category=["robbery"] * 10 + ["theft"],
        source=["polis"] * 10 + ["bostadsbolag"],
    )
    measures = measures_at(["m1", "m3"], ["2025-03-01"] * 2, [SQUARE, SQUARE])
    links = pd.DataFrame({"measure_id": ["m1", "m3"], "problem_id": ["p_rob", "p_walk"]})
    coverage = {**WIDE, "bostadsbolag": ("2025-03-01", "2025-03-31")}
    table = measure_followup(
        measures, PROBLEMS, links, events, as_of="2025-03-29", coverage=coverage
    )
    assert table["supported"].tolist() == [True, False]  # m3 counts every event: theirs too
    assert table.loc["m3", "reason_code"] == "coverage"


def test_followup_without_coverage_uses_each_sources_event_span() -> None:
    events = events_at(
        [(50, 50)] * 12,
        ["2025-01-30"] + ["2025-02-20"] * 5 + ["2025-03-02"] * 5 + ["2025-03-28"],
    )
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])
    links = pd.DataFrame({"measure_id": ["m1"], "problem_id": ["p_rob"]})
    table = measure_followup(measures, PROBLEMS, links, events, as_of="2025-03-29")
    assert table["supported"].tolist() == [True]
    # one day more is beyond the last event: not known to be covered
    table = measure_followup(measures, PROBLEMS, links, events, as_of="2025-03-30")
    assert table.loc["m1", "reason_code"] == "coverage"


def test_followup_leaves_out_coarse_places_and_says_so() -> None:
    events = events_at(
        [(50, 50)] * 3,
        ["2025-02-20", "2025-03-02", "2025-03-03"],
        location_precision=["exact", "kommun", None],
    )
    with pytest.warns(GeoTryggWarning, match="1 händelser räknas inte"):
        table = measure_followup(
            followup_measures(), PROBLEMS, LINKS, events, as_of="2025-04-01", coverage=WIDE
        )
    assert (table.loc["m1", "n_before"], table.loc["m1", "n_after"]) == (1, 1)


def test_followup_measure_without_problem() -> None:
    links = LINKS[LINKS["measure_id"] != "m2"]
    events = events_at([(50, 50)], ["2025-02-20"])
    table = measure_followup(
        followup_measures(), PROBLEMS, links, events, as_of="2025-04-01", coverage=WIDE
    )
    assert table.loc["m2", "reason_code"] == "no_problem"
    assert pd.isna(table.loc["m2", "n_before"])
    assert not table.loc["m2", "supported"]


def test_followup_refuses_bad_inputs() -> None:
    events = events_at([(50, 50)], ["2025-02-20"])
    measures = followup_measures()
    with pytest.raises(CRSMismatchError, match=r"EPSG:3006.*EPSG:3011"):
        measure_followup(
            measures,
            PROBLEMS,
            LINKS,
            events.set_crs(3011, allow_override=True),
            as_of="2025-04-01",
        )
    degrees = measures.set_crs(4326, allow_override=True)
    with pytest.raises(ConfigError, match="inte är ett projicerat koordinatsystem i meter"):
        measure_followup(
            degrees, PROBLEMS, LINKS, events.set_crs(4326, allow_override=True), as_of="2025-04-01"
        )
    links = pd.DataFrame({"measure_id": ["m9"], "problem_id": ["p_zz"]})
    with pytest.raises(ConfigError, match=r"2 problem.*'m9'.*'p_zz'"):
        measure_followup(measures, PROBLEMS, links, events, as_of="2025-04-01")
    problems = PROBLEMS.assign(kind=["category_area", "cell", "findings"])
    with pytest.raises(ConfigError, match=r"'cell'.*'category_area', 'hotspot', 'findings'"):
        measure_followup(measures, problems, LINKS, events, as_of="2025-04-01")
    problems = PROBLEMS.assign(category=["robery", "violence", None])  # a typo: refused
    with pytest.raises(ConfigError, match=r"\['category'\].*'robery'.*'robbery'"):
        measure_followup(measures, problems, LINKS, events, as_of="2025-04-01")
    problems = PROBLEMS.assign(category=["robbery", None, None])
    with pytest.raises(ConfigError, match=r"händelsekategori.*'p_ass'"):
        measure_followup(measures, problems, LINKS, events, as_of="2025-04-01")
    lines = measures.set_geometry(
        gpd.GeoSeries([shapely.LineString([(0, 0), (1, 1)]), CIRCLE, SQUARE], crs=CRS)
    )
    with pytest.raises(ConfigError, match="m1: LineString"):
        measure_followup(lines, PROBLEMS, LINKS, events, as_of="2025-04-01")
    with pytest.raises(ConfigError, match="'source'"):
        measure_followup(
            measures,
            PROBLEMS,
            LINKS,
            events.drop(columns="source"),
            as_of="2025-04-01",
            coverage=WIDE,
        )
    with pytest.raises(ConfigError, match="sista dagen kommer före den första"):
        measure_followup(
            measures,
            PROBLEMS,
            LINKS,
            events,
            as_of="2025-04-01",
            coverage={"polis": ("2025-02-01", "2025-01-01")},
        )
    with gt_settings.use_lang("en"), pytest.raises(ConfigError, match="lacks the column"):
        measure_followup(
            measures.drop(columns="start"), PROBLEMS, LINKS, events, as_of="2025-04-01"
        )


# --- 3. the WDD ----------------------------------------------------------------------------------


def wdd_by_hand(b: dict[str, int], a: dict[str, int]) -> tuple[int, int, float, float]:
    """WDD = ΔT − ΔCt + ΔD − ΔCd, Var = the sum of the eight counts, Z, two-sided p."""
    delta = {k: a[k] - b[k] for k in b}
    wdd = delta["T"] - delta["Ct"] + delta["D"] - delta["Cd"]
    var = sum(b.values()) + sum(a.values())
    z = wdd / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))  # = 2 (1 − Φ(|z|))
    return wdd, var, z, p


def test_default_areas_rule() -> None:
    assert buffer_width(box(0, 0, 100, 100)) == 100.0  # radius 56 m: the 100 m floor
    assert buffer_width(box(0, 0, 400, 400)) == 230.0  # √(160000/π) = 225.7 → 230
    assert buffer_width(Point(0, 0).buffer(300, quad_segs=64)) == 300.0
    assert buffer_width(box(0, 0, 222, 222)) == 130.0  # √(49284/π) = 125.25 → 130 (halves up)
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])
    areas = wdd_areas(measures).set_index("area")
    assert areas.crs == measures.crs
    geoms = areas.geometry
    assert geoms["target"].equals(SQUARE)
    # rings 0–100 m, 100–300 m and 300–400 m out from the square (rounded corners): from
    # its right side x = 100, so x in (100, 200], (200, 400] and (400, 500]
    for name, x_in, x_out in [
        ("buffer", 150, 250),
        ("control_target", 250, 450),
        ("control_buffer", 450, 550),
    ]:
        assert geoms[name].contains(Point(x_in, 50)), name
        assert not geoms[name].intersects(Point(x_out, 50)), name
        assert not geoms[name].intersects(Point(50, 50)), name
    names = list(geoms.index)
    for i, one in enumerate(names):
        for other in names[i + 1 :]:
            assert geoms[one].intersection(geoms[other]).area < 1e-6, (one, other)
    # ring area: (a + 2w)² − a² less the corners' (4 − π) w², a little less for the polygon
    assert geoms["buffer"].area == pytest.approx(300**2 - 100**2 - (4 - math.pi) * 100**2, 0.01)
    assert wdd_areas(measures, buffer_m=50)["buffer_m"].tolist() == [50.0] * 4


def test_evaluation_counts_and_wdd_by_hand() -> None:
    # square target 0–100 m, default width 100 m: buffer out to 100 m, control 100–300 m,
    # control's zone 300–400 m; from the right side x = 100 that is x in (100, 200],
    # (200, 400], (400, 500]; points straight out from the sides (no rounded corners)
    before, after = "2025-02-15", "2025-03-15"
    placed = [
        # target: 6 before, 2 after (two on the edge, one on the corner)
        *[((50, 50), before)] * 4,
        ((100, 50), before),
        ((0, 0), before),
        ((50, 50), after),
        ((0, 50), after),
        # buffer: 3 before, 5 after; (200, 50) is on its outer edge: buffer, not control
        *[((150, 50), before)] * 2,
        ((200, 50), before),
        *[((50, 150), after)] * 5,
        # control: 4 before, 4 after; (400, 50) is on its outer edge: control, not its zone
        *[((250, 50), before)] * 3,
        ((400, 50), before),
        *[((50, -250), after)] * 4,
        # control's zone: 2 before, 3 after
        *[((450, 50), before)] * 2,
        *[((-350, 50), after)] * 3,
        # beyond everything: 400.5 m out, and a theft in the target (not the indicator)
        ((500.5, 50), before),
    ]
    events = events_at([p for p, _ in placed], [t for _, t in placed])
    theft = events_at([(50, 50)], [after], category="theft")
    events = pd.concat([events, theft], ignore_index=True)
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])
    links = pd.DataFrame({"measure_id": ["m1"], "problem_id": ["p_rob"]})
    table = measure_evaluation(
        measures, events, as_of="2025-04-01", problems=PROBLEMS, links=links, coverage=WIDE
    )
    row = table.loc["m1"]
    b = {"T": 6, "D": 3, "Ct": 4, "Cd": 2}
    a = {"T": 2, "D": 5, "Ct": 4, "Cd": 3}
    names = {"T": "target", "D": "buffer", "Ct": "control_target", "Cd": "control_buffer"}
    for short, area in names.items():
        assert row[f"n_{area}_before"] == b[short], area
        assert row[f"n_{area}_after"] == a[short], area
    wdd, var, z, p = wdd_by_hand(b, a)
    assert (wdd, var) == (-3, 29)  # (2 − 6) − 0 + (5 − 3) − (3 − 2)
    assert row["wdd"] == wdd
    assert row["local"] == -4
    assert row["displacement"] == 1
    assert row["variance"] == var
    assert row["z"] == pytest.approx(z)
    assert row["p_value"] == pytest.approx(p)
    half = 1.959963984540054 * math.sqrt(var)
    assert (row["ci_low"], row["ci_high"]) == (
        pytest.approx(wdd - half),
        pytest.approx(wdd + half),
    )
    assert row["code"] == "no_clear_change"
    assert row["buffer_m"] == 100.0
    assert row["days"] == 31
    assert bool(row["supported"])
    assert pd.isna(row["reason"])
    # without problems and links every event counts: the theft is one more in the target after
    every = measure_evaluation(measures, events, as_of="2025-04-01", coverage=WIDE).loc["m1"]
    assert every["n_target_after"] == 3
    assert every["wdd"] == wdd + 1


def test_evaluation_given_control() -> None:
    far = box(2000, 0, 2100, 100)  # a square like the target, 1.9 km away
    placed = [
        *[((50, 50), "2025-02-15")] * 8,
        *[((50, 50), "2025-03-15")] * 2,
        *[((2050, 50), "2025-02-15")] * 5,  # control
        *[((2100, 50), "2025-03-15")] * 5,  # control, on its edge
        *[((2150, 50), "2025-02-15")] * 3,  # the control's zone (100 m around it)
        ((2250, 50), "2025-02-15"),  # beyond it
        *[((250, 50), "2025-02-15")] * 4,  # where the default control would be: not counted
    ]
    events = events_at([p for p, _ in placed], [t for _, t in placed])
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])
    for control in (
        {"m1": far},
        gpd.GeoSeries([far], index=["m1"], crs=CRS),
        gpd.GeoDataFrame({"measure_id": ["m1"]}, geometry=[far], crs=CRS),
    ):
        row = measure_evaluation(
            measures, events, as_of="2025-04-01", control=control, coverage=WIDE
        ).loc["m1"]
        b = {"T": 8, "D": 0, "Ct": 5, "Cd": 3}
        a = {"T": 2, "D": 0, "Ct": 5, "Cd": 0}
        got_b = {
            k: row[f"n_{v}_before"]
            for k, v in {
                "T": "target",
                "D": "buffer",
                "Ct": "control_target",
                "Cd": "control_buffer",
            }.items()
        }
        got_a = {
            k: row[f"n_{v}_after"]
            for k, v in {
                "T": "target",
                "D": "buffer",
                "Ct": "control_target",
                "Cd": "control_buffer",
            }.items()
        }
        assert (got_b, got_a) == (b, a)
        wdd, var, _, _ = wdd_by_hand(b, a)
        assert (row["wdd"], row["variance"]) == (wdd, var) == (-3, 23)
    with pytest.raises(CRSMismatchError):
        measure_evaluation(
            measures,
            events,
            as_of="2025-04-01",
            control=gpd.GeoSeries([far], index=["m1"], crs=3011),
        )
    with pytest.raises(ConfigError, match="överlappar"):
        measure_evaluation(
            measures, events, as_of="2025-04-01", control={"m1": box(150, 0, 400, 100)}
        )
    with pytest.raises(ConfigError, match="'m7'"):
        measure_evaluation(measures, events, as_of="2025-04-01", control={"m7": far})
    with pytest.raises(ConfigError, match="buffer_m=-5"):
        measure_evaluation(measures, events, as_of="2025-04-01", buffer_m=-5)
    with pytest.raises(ConfigError, match=r"alpha=1\.5"):
        measure_evaluation(measures, events, as_of="2025-04-01", alpha=1.5)
    with pytest.raises(ConfigError, match="problems och links"):
        measure_evaluation(measures, events, as_of="2025-04-01", problems=PROBLEMS)


def test_evaluation_supported_rules() -> None:
    measures = measures_at(["m1"], ["2025-03-01"], [SQUARE])

    def run(n_target_before: int, n_control: int, as_of: str = "2025-04-01") -> pd.Series:
        placed = [((50, 50), "2025-02-15")] * n_target_before + [((50, 50), "2025-03-15")] * 2
        placed += [((250, 50), "2025-02-15"), ((250, 50), "2025-03-15")] * n_control
        events = events_at([p for p, _ in placed], [t for _, t in placed])
        return measure_evaluation(measures, events, as_of=as_of, coverage=WIDE).loc["m1"]

    # 5 in the target before: too few there, even with many events around
    assert run(5, 10)["reason_code"] == "too_few_target"
    # 6 before, 2 after in the target, 2 + 2 in the control: 12 < 20 events in all
    row = run(6, 2)
    assert row["reason_code"] == "too_few"
    assert row["code"] == "too_few"
    assert row["reason"] == (
        "För få händelser för utvärderingen (WDD): 12 i de fyra områdena före och efter "
        "tillsammans (minst 20 behövs) och 8 i åtgärdens område (minst 6)."
    )
    assert bool(run(6, 6)["supported"])  # 8 + 12 = 20
    assert run(6, 6, as_of="2025-03-20")["reason_code"] == "window_short"
    early = run(6, 6, as_of="2025-03-01")
    assert early["reason_code"] == "not_started"
    assert pd.isna(early["wdd"])
    assert pd.isna(early["n_target_before"])


# --- contracts -----------------------------------------------------------------------------------


def test_plan_functions_take_no_lang() -> None:
    """Codes inside, words at the edges: the plan's sentences follow settings.lang."""
    for path in sorted((ROOT / "plan").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                args = node.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                assert "lang" not in names, f"{path.name}:{node.name}"


def test_plan_is_reached_from_the_root() -> None:
    import geo_trygg

    assert geo_trygg.plan.measure_status is measure_status
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "plan" in dir(geo_trygg)


def test_the_registers_full_tables_and_a_place_given_as_point_and_radius() -> None:
    """The documented shapes go through all three functions as the register stores them."""
    from geo_trygg.plan import LINK_COLUMNS, MEASURE_COLUMNS, PROBLEM_COLUMNS

    two_squares = shapely.MultiPolygon([box(0, 0, 100, 100), box(1000, 0, 1100, 100)])
    measures = gpd.GeoDataFrame(
        {
            "measure_id": ["m1", "m2"],
            "title": ["Ny belysning", "Väktare kvällstid"],
            "cause": ["Mörkt", "Rån"],
            "objective": ["Färre rån", "Färre rån"],
            "responsible": ["Trafikkontoret", "Fastighetsägaren"],
            "followup": ["Händelser före och efter", "Händelser"],
            "start": [dt.date(2025, 3, 1), dt.date(2025, 3, 1)],
            "end": [dt.date(2025, 12, 31), dt.date(2025, 3, 31)],
            "progress": pd.array([50, None], dtype="Int64"),
            "status": ["ongoing", "planned"],
            "public": [True, False],
            "radius_m": [float("nan"), 75.0],
        },
        geometry=[two_squares, Point(500, 500).buffer(75)],
        crs=CRS,
    )
    assert tuple(measures.columns) == MEASURE_COLUMNS
    assert tuple(PROBLEMS.columns) == PROBLEM_COLUMNS
    links = pd.DataFrame({"measure_id": ["m1", "m2"], "problem_id": ["p_rob", "p_rob"]})
    assert tuple(links.columns) == LINK_COLUMNS
    # m1: in both squares, one of them on the far edge; m2: 75 m from its centre (a vertex)
    places = [(50, 50), (1100, 50), (1050, 50), (575, 500), (500, 500)]
    days = ["2025-02-20", "2025-02-21", "2025-03-05", "2025-03-06", "2025-02-02"]
    events = events_at(places, days)
    rag = measure_status(measures, as_of="2025-04-01")
    # m1: 31 of 305 days passed, expected 10 %, 50 % done: green; m2: past its end: red
    assert rag.tolist() == ["green", "red"]
    follow = measure_followup(measures, PROBLEMS, links, events, as_of="2025-04-01", coverage=WIDE)
    assert follow["n_before"].tolist() == [2, 1]
    assert follow["n_after"].tolist() == [1, 1]
    wdd = measure_evaluation(
        measures, events, as_of="2025-04-01", problems=PROBLEMS, links=links, coverage=WIDE
    )
    assert wdd["n_target_before"].tolist() == [2, 1]
    assert wdd["n_target_after"].tolist() == [1, 1]
    assert wdd["reason_code"].tolist() == ["too_few_target", "too_few_target"]
