"""The one validation module (issue 12.5): each check, and every problem of a call in one
message (a call with a single problem raises exactly that problem's error, as before)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo_trygg import ConfigError, CRSMismatchError, settings
from geo_trygg._validate import (
    Problems,
    check_day_order,
    check_frame,
    check_geoframe,
    check_lang,
    check_metric,
    check_same_crs,
    require_columns,
)
from geo_trygg.lagesbild import build_lagesbild


def _points(crs: str | None = "EPSG:3006") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"category": ["theft"]}, geometry=[Point(500, 500)], crs=crs)


def test_language() -> None:
    assert check_lang("en") == "en"
    assert check_lang(None) == settings.lang
    with pytest.raises(ConfigError) as err:
        check_lang("de")
    assert str(err.value) == "lang='de' is not allowed; expected one of: 'sv', 'en'"


def test_frames_and_columns_name_every_missing_column() -> None:
    frame = pd.DataFrame({"a": [1], "c": [2]})
    assert check_frame(frame, "table") is frame
    with pytest.raises(ConfigError, match=r"^events must be a DataFrame or GeoDataFrame; got"):
        check_frame([1], "events")
    with pytest.raises(ConfigError, match=r"^areas must be a geopandas\.GeoDataFrame; got"):
        check_geoframe("areas", frame)
    with pytest.raises(ConfigError) as err:
        require_columns(frame, ["a", "b", "c", "d"], "table", hint="see the docs")
    assert str(err.value) == (
        "table lacks the column(s) 'b', 'd'; it needs 'a', 'b', 'c', 'd' (see the docs); its "
        "columns are: 'a', 'c'"
    )
    require_columns(frame, ["c", "a"], "table")  # nothing missing: no error


def test_coordinate_reference_systems() -> None:
    check_metric("points", _points())
    with pytest.raises(ConfigError, match=r"^points has no CRS; set it first"):
        check_metric("points", _points(None))
    with pytest.raises(ConfigError, match=r"^areas has no CRS; my hint$"):
        check_metric("areas", _points(None), hint="my hint")
    with pytest.raises(ConfigError, match=r"points\.crs"):  # degrees are not metres
        check_metric("points", _points("EPSG:4326"))
    with pytest.raises(CRSMismatchError, match="a is in EPSG:3006 but b is in EPSG:4326"):
        check_same_crs("a", _points(), "b", _points("EPSG:4326"))


def test_day_order() -> None:
    import datetime as dt

    check_day_order(dt.date(2024, 3, 1), dt.date(2024, 3, 2), "period")
    with pytest.raises(ConfigError, match="the end \\(exclusive\\) must come after the start"):
        check_day_order(dt.date(2024, 3, 2), dt.date(2024, 3, 2), "period")


def test_problems_raise_nothing_one_error_as_it_is_or_all_of_them() -> None:
    with Problems() as problems:
        assert problems.check(check_lang, "sv") == "sv"
    assert not problems

    mismatch = CRSMismatchError("not collected: a different kind of error")

    def fails() -> None:
        raise mismatch

    problems = Problems()
    with pytest.raises(CRSMismatchError) as raised:
        problems.check(fails)
    assert raised.value is mismatch  # an error that is not a ConfigError passes at once

    problems = Problems()
    problems.check(check_lang, "de")
    with pytest.raises(ConfigError) as single:
        problems.__exit__(None, None, None)
    assert single.value is problems.errors[0]  # the check's own error, untouched

    problems = Problems()
    problems.check(check_lang, "de")
    problems.add("my own problem")
    problems.check(check_frame, 3, "events")
    with pytest.raises(ConfigError) as several:
        problems.raise_any()
    assert str(several.value) == (
        "3 problems with the arguments: (1) lang='de' is not allowed; expected one of: 'sv', "
        "'en'; (2) my own problem; (3) events must be a DataFrame or GeoDataFrame; got int"
    )


# --- build_lagesbild: every argument problem at once --------------------------------------------


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"area_id": ["A"], "name": ["A"], "level": ["stadsdel"]},
        geometry=[box(0, 0, 1000, 1000)],
        crs="EPSG:3006",
    )


def _events() -> gpd.GeoDataFrame:
    time = pd.Timestamp("2024-03-05 12:00", tz="Europe/Stockholm")
    return gpd.GeoDataFrame(
        {
            "event_id": ["1"],
            "time_from": [time],
            "time_to": [time],
            "category": ["theft"],
            "location_precision": ["exact"],
        },
        geometry=[Point(500, 500)],
        crs="EPSG:3006",
    )


BAD = {"alpha": 1.5, "by": ("lpo",), "as_of": "not a day"}
"""Three independent argument problems of build_lagesbild."""


def _message(**bad: object) -> str:
    options: dict[str, object] = {"areas": _areas(), "by": "stadsdel", "period": "2024-03"}
    options.update(bad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ConfigError) as err:
            build_lagesbild(events=_events(), **options)  # type: ignore[arg-type]
    return str(err.value)


def test_build_lagesbild_reports_every_argument_problem_in_one_message() -> None:
    alone = {name: _message(**{name: value}) for name, value in BAD.items()}
    assert alone["alpha"] == "alpha=1.5 must lie between 0 and 1"  # as before: its own error
    assert alone["by"].startswith("by='lpo' is not a level of the areas given")
    assert alone["as_of"].startswith("as_of='not a day' is not a date")
    together = _message(**BAD)
    # in the order the checks run: alpha, the levels, the days
    expected = "; ".join(
        f"({i}) {alone[name]}" for i, name in enumerate(("alpha", "by", "as_of"), start=1)
    )
    assert together == f"3 problems with the arguments: {expected}"


# --- dates: one rule for every date argument ---------------------------------------------------


def test_check_date_takes_dates_times_and_iso_text() -> None:
    import datetime as dt

    import numpy as np

    from geo_trygg._validate import check_date

    day = dt.date(2024, 3, 5)
    for value in (
        day,
        dt.datetime(2024, 3, 5, 23, 59),
        pd.Timestamp("2024-03-05 08:00"),
        np.datetime64("2024-03-05T12:00"),
        "2024-03-05",
        " 2024-03-05 14:30 ",
        "2024-03-05T22:30:00+00:00",  # 23:30 in Stockholm (CET): still the 5th
    ):
        assert check_date(value, "at") == day, value
    # a time with an offset falls on its Stockholm day: 23:30 UTC on 5 March is 00:30 on the 6th
    assert check_date(pd.Timestamp("2024-03-05 23:30", tz="UTC"), "at") == dt.date(2024, 3, 6)
    assert check_date("2024-W10", "start", weeks=True) == dt.date(2024, 3, 4)  # ISO week 10


@pytest.mark.parametrize(
    "value", [None, 45000, 2024, True, 1.5, "", "not a day", "2024-02-30", "5/3/2024", pd.NaT]
)
def test_check_date_refuses_what_is_no_date_naming_argument_value_and_forms(value: object) -> None:
    from geo_trygg._validate import check_date

    with pytest.raises(ConfigError) as err:
        check_date(value, "as_of")
    assert str(err.value) == (
        f"as_of={value!r} is not a date (or not a real calendar day); allowed: a date text such "
        "as '2024-03-05' (ISO 8601; a time of day is dropped), a datetime.date, "
        "datetime.datetime, pandas.Timestamp or numpy.datetime64"
    )


def test_every_date_argument_has_the_one_rule_and_message() -> None:
    """The same refusal wherever a date argument is taken (before: five texts of their own,
    and ``periods.as_date`` and ``assign_areas(at=)`` took a number as nanoseconds since
    1970)."""
    from geo_trygg.crosswalks import to_date
    from geo_trygg.followup import parse_day
    from geo_trygg.lagesbild import weekly_series
    from geo_trygg.periods import as_date

    times = pd.to_datetime(["2024-03-05 12:00"]).tz_localize("Europe/Stockholm")
    events = pd.DataFrame({"time_from": times})
    calls = {
        "at": lambda v: to_date(v, name="at"),
        "day": lambda v: as_date(v, "day"),
        "as_of": lambda v: parse_day(v, "as_of"),
        "start": lambda v: weekly_series(events, start=v),
    }
    for name, call in calls.items():
        for value in (20240305, "not a day"):
            with pytest.raises(ConfigError) as err:
                call(value)
            assert str(err.value).startswith(
                f"{name}={value!r} is not a date (or not a real calendar day); allowed: "
            ), (name, str(err.value))
    # the readers' date texts where a user writes dates as in the files (follow-up days)
    assert parse_day("30 juni 2024", "as_of") == pd.Timestamp("2024-06-30")
    assert parse_day("30/6/2024", "as_of") == pd.Timestamp("2024-06-30")
    with pytest.raises(ConfigError, match="'5/3/2024' or '5 mars 2024'"):
        parse_day("31/6/2024", "as_of")
    assert str(weekly_series(events, start="2024-W10")["week"].iloc[0]) == "2024-W10"


def test_assign_areas_at_is_refused_in_the_users_language() -> None:
    from geo_trygg.join import assign_areas

    pts = _points()
    areas = gpd.GeoDataFrame(
        {"area_id": ["a"], "name": ["A"], "level": ["stadsdel"]},
        geometry=[box(0, 0, 1000, 1000)],
        crs="EPSG:3006",
    )
    for value in (20240305, "2024-02-30"):
        with pytest.raises(ConfigError) as err:
            assign_areas(pts, areas, at=value)
        assert str(err.value).startswith(
            f"at={value!r} är inget datum (eller ingen riktig kalenderdag); tillåtet: "
        )
