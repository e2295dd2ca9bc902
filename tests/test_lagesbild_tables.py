"""Periods, counts per area that reconcile, land area and population by area weighting."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo_trygg import ConfigError, CRSMismatchError, GeoTryggWarning
from geo_trygg.lagesbild._counts import count_by_area
from geo_trygg.lagesbild._rates import land_area_km2, population_by_area
from geo_trygg.periods import comparison_period, in_period, parse_period

TZ = "Europe/Stockholm"


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2025, 1, 1), "year"),
        ("2024-Q4", dt.date(2024, 10, 1), dt.date(2025, 1, 1), "quarter"),
        ("2024q2", dt.date(2024, 4, 1), dt.date(2024, 7, 1), "quarter"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 3, 1), "month"),
        ("2024-12", dt.date(2024, 12, 1), dt.date(2025, 1, 1), "month"),
        ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 4), "week"),
        ("2024-03-05", dt.date(2024, 3, 5), dt.date(2024, 3, 6), "day"),
    ],
)
def test_parse_period(text: str, start: dt.date, end: dt.date, kind: str) -> None:
    p = parse_period(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)


def test_pair_and_bad_periods() -> None:
    p = parse_period(("2024-03-01", "2024-03-15"))
    assert p.days == 14
    for bad in ("2024-13", "2024-W54", "mars", ("2024-03-15", "2024-03-01"), 2024):
        with pytest.raises(ConfigError, match="period"):
            parse_period(bad)


def test_comparison_periods() -> None:
    assert comparison_period(parse_period("2024-01"), "previous").label == "2023-12"
    assert comparison_period(parse_period("2024-Q1"), "previous").label == "2023-Q4"
    assert comparison_period(parse_period("2024"), "previous").label == "2023"
    assert comparison_period(parse_period("2024-03-05"), "previous").label == "2024-03-04"
    span = comparison_period(parse_period(("2024-03-01", "2024-03-15")), "previous")
    assert (span.start, span.end) == (dt.date(2024, 2, 16), dt.date(2024, 3, 1))
    leap = comparison_period(parse_period(("2024-02-29", "2024-03-02")), "previous_year")
    assert (leap.start, leap.end) == (dt.date(2023, 2, 28), dt.date(2023, 3, 2))
    assert comparison_period(parse_period("2024"), None) is None
    assert comparison_period(parse_period("2024"), "2022").label == "2022"
    with pytest.raises(ConfigError, match="compare='förra'"):
        comparison_period(parse_period("2024"), "förra")


def test_in_period_uses_the_stockholm_calendar() -> None:
    march = parse_period("2024-03")
    times = pd.Series(
        pd.to_datetime(
            ["2024-02-29 23:30:00+00:00", "2024-03-31 22:30:00+00:00", "2024-03-31 21:59:00+00:00"]
        )
    )
    # 23:30 UTC on 29 Feb is 00:30 on 1 March in Stockholm; 22:30 UTC on 31 March is 00:30 on
    # 1 April (summer time, UTC+2); 21:59 UTC is 23:59 on 31 March.
    assert in_period(times, march).tolist() == [True, False, True]
    dates = pd.Series(pd.to_datetime(["2024-03-01", "2024-04-01", None]))
    assert in_period(dates, march).tolist() == [True, False, False]


# --- counts --------------------------------------------------------------------------------


def _points(rows: list[tuple[str | None, str | None, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stadsdel": [r[0] for r in rows],
            "stadsdel_reason": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "time_from": pd.to_datetime([r[3] for r in rows], format="ISO8601").tz_localize(
                TZ, nonexistent="shift_forward", ambiguous=True
            ),
        }
    )


def test_counts_by_hand() -> None:
    pts = _points(
        [
            ("A", None, "theft", "2024-03-01 10:00"),
            ("A", None, "theft", "2024-03-02 10:00"),
            ("B", None, "fire", "2024-03-03 10:00"),
            (None, "outside", "theft", "2024-03-04 10:00"),
            (None, "too_coarse", "fire", "2024-03-05 10:00"),
            (None, "ambiguous_name", "fire", "2024-03-06 10:00"),
            ("A", None, "theft", "2024-04-01 00:30"),  # April: not in March
        ]
    )
    got = count_by_area(
        pts, level="stadsdel", period=parse_period("2024-03"), areas=["A", "B", "C"]
    )
    table = {(r.bucket, r.area, r.category): r.n for r in got.itertuples()}
    assert table[("area", "A", "theft")] == 2
    assert table[("area", "A", "fire")] == 0
    assert table[("area", "B", "fire")] == 1
    assert table[("area", "C", "theft")] == 0  # an area with no events is an explicit zero
    assert table[("outside", None, "theft")] == 1
    assert table[("too_coarse", None, "fire")] == 2
    assert got["n"].sum() == 6
    assert len(got) == (3 + 2) * 2  # (3 areas + outside + too coarse) × 2 categories


def test_counts_need_the_level_column() -> None:
    with pytest.raises(ConfigError, match="level='lpo'"):
        count_by_area(_points([("A", None, "theft", "2024-03-01")]), level="lpo")


point_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", None]),
        st.sampled_from([None, "outside", "too_coarse", "name_conflict", "no_geometry"]),
        st.sampled_from(["theft", "fire", "violence"]),
        st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31)).map(str),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=point_rows, seed=st.integers(0, 2**16))
def test_counts_reconcile_and_ignore_row_order(rows: list, seed: int) -> None:
    pts = _points(rows)
    period = parse_period("2024-Q2")
    got = count_by_area(pts, level="stadsdel", period=period)
    assert got["n"].sum() == int(in_period(pts["time_from"], period).sum())
    shuffled = pts.sample(frac=1.0, random_state=seed)
    pd.testing.assert_frame_equal(got, count_by_area(shuffled, level="stadsdel", period=period))


# --- land area and population --------------------------------------------------------------


def _areas(boxes: dict[str, tuple[float, float, float, float]], **cols: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"area_id": list(boxes), "name": list(boxes), **cols},
        geometry=[box(*b) for b in boxes.values()],
        crs="EPSG:3006",
    )


def test_land_area_by_hand() -> None:
    areas = _areas({"A": (0, 0, 1000, 2000), "B": (1000, 0, 2000, 1000)})
    assert land_area_km2(areas).to_dict() == {"A": 2.0, "B": 1.0}
    lake = _areas({"lake": (500, 0, 1500, 500)})  # 0.25 km² from each
    assert land_area_km2(areas, water=lake).to_dict() == {"A": 1.75, "B": 0.75}
    with pytest.raises(CRSMismatchError, match="EPSG:3011"):
        land_area_km2(areas, water=lake.set_crs("EPSG:3011", allow_override=True))
    with pytest.raises(ConfigError, match="EPSG:4326' must be a projected CRS in metres"):
        land_area_km2(areas.to_crs("EPSG:4326"))


def test_population_by_area_weighting_by_hand() -> None:
    deso = _areas({"d1": (0, 0, 100, 100), "d2": (100, 0, 200, 100)}, population=[1000, 200])
    # target T holds the right half of d1 and all of d2; U the left half of d1
    targets = _areas({"T": (50, 0, 200, 100), "U": (0, 0, 50, 100), "V": (500, 500, 600, 600)})
    with pytest.warns(GeoTryggWarning, match="V"):
        pop = population_by_area(deso, targets)
    assert pop["T"] == pytest.approx(0.5 * 1000 + 200)
    assert pop["U"] == pytest.approx(500)
    assert pop["V"] == 0  # nothing published there, said in the warning
    missing = deso.assign(population=[1000, np.nan])
    with pytest.warns(GeoTryggWarning):
        pop = population_by_area(missing, targets)
    assert np.isnan(pop["T"])  # never a silent zero
    assert pop["U"] == pytest.approx(500)
    with pytest.raises(ConfigError, match="folkmangd"):
        population_by_area(deso, targets, column="folkmangd")
