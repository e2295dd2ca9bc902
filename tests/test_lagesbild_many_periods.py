"""Several periods in one call: build_lagesbilder equals one build_lagesbild per period;
split_period; counting over many periods (PointCounter) against an independent pandas count."""

from __future__ import annotations

import datetime as dt
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo_trygg import ConfigError
from geo_trygg.lagesbild import (
    build_lagesbild,
    build_lagesbilder,
    change_table,
    parse_period,
    split_period,
)
from geo_trygg.lagesbild._counts import PointCounter
from geo_trygg.periods import in_period

TZ = "Europe/Stockholm"
TABLES = (
    "areas",
    "totals",
    "reconciliation",
    "followup",
    "overdue",
    "changes",
    "weekday_hour",
    "weekly",
    "concentration",
    "priorities",
    "places",
    "places_reconciliation",
    "places_followup",
)


def _areas() -> gpd.GeoDataFrame:
    """Stadsdel A (0-1000 x 1000-2000) splits into A1 (west) and A2 (east) on 2024-07-01;
    B, C, D and the two kommuner do not change."""
    split = pd.Timestamp("2024-07-01")
    rows = [
        ("A", "stadsdel", box(0, 1000, 1000, 2000), pd.NaT, split),
        ("A1", "stadsdel", box(0, 1000, 500, 2000), split, pd.NaT),
        ("A2", "stadsdel", box(500, 1000, 1000, 2000), split, pd.NaT),
        ("B", "stadsdel", box(1000, 1000, 2000, 2000), pd.NaT, pd.NaT),
        ("C", "stadsdel", box(0, 0, 1000, 1000), pd.NaT, pd.NaT),
        ("D", "stadsdel", box(1000, 0, 2000, 1000), pd.NaT, pd.NaT),
        ("K1", "kommun", box(0, 1000, 2000, 2000), pd.NaT, pd.NaT),
        ("K2", "kommun", box(0, 0, 2000, 1000), pd.NaT, pd.NaT),
    ]
    return gpd.GeoDataFrame(
        {
            "area_id": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "level": [r[1] for r in rows],
            "valid_from": [r[3] for r in rows],
            "valid_to": [r[4] for r in rows],
        },
        geometry=[r[2] for r in rows],
        crs="EPSG:3006",
    )


KOMMUN_OF = {"A": "K1", "A1": "K1", "A2": "K1", "B": "K1", "C": "K2", "D": "K2"}
CROSSWALK = pd.DataFrame(
    {
        "child_level": "stadsdel",
        "child": list(KOMMUN_OF),
        "parent_level": "kommun",
        "parent": list(KOMMUN_OF.values()),
        "valid_from": pd.NaT,
        "valid_to": pd.NaT,
        "status": "confirmed",
        "source": "hand-made test fixture",
    }
)


def _events(seed: int, n: int = 600) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    minutes = rng.integers(0, 2 * 366 * 24 * 60, n)  # 2023-2024, whole minutes
    local = pd.Timestamp("2023-01-01") + pd.to_timedelta(minutes, unit="min")
    times = pd.DatetimeIndex(local).tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    coarse = rng.random(n) < 0.1
    x = np.where(coarse, 1000.5, rng.uniform(-300, 2300, n))
    y = np.where(coarse, 1500.5, rng.uniform(-300, 2300, n))
    category = rng.choice(["theft", "fire", "violence", None], n, p=[0.5, 0.2, 0.25, 0.05])
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "time_from": times,
            "time_to": times + pd.to_timedelta(rng.integers(0, 600, n), unit="min"),
            "category": category.astype(object),
            "location_precision": np.where(coarse, "kommun", "exact").astype(object),
            "kommun": np.where(coarse, "K1", None).astype(object),
            "text": "",
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:3006",
    )


def _findings(seed: int, n: int = 80) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed + 1)
    walk = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 550, n), unit="D")
    status = rng.choice(["new", "in_progress", "done", "rejected"], n)
    return gpd.GeoDataFrame(
        {
            "finding_id": [f"f{i}" for i in range(n)],
            "walk_id": [f"w{i // 5}" for i in range(n)],
            "walk_date": walk,
            "category": rng.choice(["lighting", "litter", "vegetation"], n).astype(object),
            "severity": pd.array(rng.integers(1, 4, n), dtype="Int64"),
            "responsible_actor": rng.choice(["trafikkontoret", "sl"], n).astype(object),
            "status": status.astype(object),
            "deadline": walk + pd.to_timedelta(rng.integers(10, 120, n), unit="D"),
            "status_date": walk + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        },
        geometry=gpd.points_from_xy(rng.uniform(0, 2000, n), rng.uniform(0, 2000, n)),
        crs="EPSG:3006",
    )


PLACES = gpd.GeoDataFrame(
    {"name": ["Torget", "Stationen"], "level": "place"},
    geometry=[box(300, 1200, 800, 1700), box(900, 900, 1300, 1300)],
    crs="EPSG:3006",
)


@pytest.mark.parametrize(("seed", "compare"), [(1, "previous"), (2, "previous_year")])
def test_many_periods_equal_one_build_per_period(seed: int, compare: str) -> None:
    options = {
        "areas": _areas(),
        "by": ("stadsdel", "kommun", ("stadsdel", "kommun")),
        "compare": compare,
        "crosswalk": CROSSWALK,
        "places": PLACES,
        "since": "2024-01-01",
    }
    events, findings = _events(seed), _findings(seed)
    periods = [*split_period("2024", "month"), "2024-Q3"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        many = build_lagesbilder(findings, events, periods=periods, **options)  # type: ignore[arg-type]
        one = {
            p.label if not isinstance(p, str) else p: build_lagesbild(
                findings,
                events,
                period=p,
                **options,  # type: ignore[arg-type]
            )
            for p in periods
        }
    assert list(many) == [*(f"2024-{m:02d}" for m in range(1, 13)), "2024-Q3"]
    # the split of A on 2024-07-01: months before it are counted on A, after it on A1/A2
    assert "A" in set(many["2024-06"].areas["area"])
    assert "A1" not in set(many["2024-06"].areas["area"])
    assert {"A1", "A2"} <= set(many["2024-07"].areas["area"])
    for label, lb in many.items():
        single = one[label]
        assert (lb.period, lb.compare, lb.at, lb.levels) == (
            single.period,
            single.compare,
            single.at,
            single.levels,
        )
        assert lb.notes == single.notes
        for name in TABLES:
            got, want = getattr(lb, name), getattr(single, name)
            assert (got is None) == (want is None), name
            if got is not None:
                pd.testing.assert_frame_equal(
                    pd.DataFrame(got), pd.DataFrame(want), check_exact=True
                )
                assert got.attrs == want.attrs, name


def test_split_period_by_hand() -> None:
    assert [p.label for p in split_period("2024", "month")] == [
        f"2024-{m:02d}" for m in range(1, 13)
    ]
    assert [p.label for p in split_period("2024", "quarter")] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
    ]
    assert len(split_period("2024", "day")) == 366  # a leap year
    # 2026: Mondays 5 Jan ... 28 Dec are 52, the week of 28 Dec ends in 2027: 51 whole weeks
    weeks = split_period("2026", "week")
    assert len(weeks) == 51
    assert (weeks[0].label, weeks[-1].label) == ("2026-W02", "2026-W52")
    assert weeks[0].start == dt.date(2026, 1, 5)
    spans = split_period(("2024-03-15", "2024-06-10"), "month")
    assert [p.label for p in spans] == ["2024-04", "2024-05"]


def test_bad_periods_fail_before_work() -> None:
    events = _events(3, n=20)
    options = {"areas": _areas(), "by": "stadsdel", "crosswalk": CROSSWALK}
    with pytest.raises(ConfigError, match="periods"):
        build_lagesbilder(events=events, periods="2024", **options)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="periods"):
        build_lagesbilder(events=events, periods=[], **options)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'2024-03' more than once"):
        build_lagesbilder(events=events, periods=["2024-03", "2024-3"], **options)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"periods\[1\]"):
        build_lagesbilder(events=events, periods=["2024-03", "mars"], **options)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="step"):
        split_period("2024", "fortnight")
    with pytest.raises(ConfigError, match="no whole week"):
        split_period("2024-03-05", "week")


def test_change_table_families_equal_separate_tables() -> None:
    current = [40, 25, 3, 18, 30, 9]
    previous = [20, 24, 1, 30, 12, 9]
    family = ["a", "b", "a", "b", "a", "b"]
    together = change_table(current, previous, family=family)
    for name in ("a", "b"):
        rows = [i for i, f in enumerate(family) if f == name]
        alone = change_table([current[i] for i in rows], [previous[i] for i in rows])
        for column in ("p_value", "p_adjusted"):
            np.testing.assert_array_equal(
                together[column].to_numpy()[rows], alone[column].to_numpy()
            )
        assert together["change_code"].iloc[rows].tolist() == alone["change_code"].tolist()
    # and adjusting the six rows as one family gives larger adjusted values somewhere
    assert (change_table(current, previous)["p_adjusted"] > together["p_adjusted"]).any()


# --- counting over many periods against an independent count -----------------------------------

point_rows = st.lists(
    st.tuples(
        st.integers(0, 800 * 24),  # hours from 2023-06-01 local
        st.sampled_from(["A", "B", None]),
        st.sampled_from(["too_coarse", "outside"]),
        st.sampled_from(["theft", "fire", None]),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=point_rows, month=st.integers(0, 25), missing=st.booleans())
def test_point_counter_equals_a_pandas_count(rows: list, month: int, missing: bool) -> None:
    local = pd.Timestamp("2023-06-01") + pd.to_timedelta([r[0] for r in rows], unit="h")
    times = pd.Series(
        pd.DatetimeIndex(local).tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    )
    if missing and len(rows):
        times.iloc[0] = pd.NaT
    points = pd.DataFrame(
        {
            "time_from": times,
            "category": [r[3] for r in rows],
            "stadsdel": [r[1] for r in rows],
            "stadsdel_reason": [None if r[1] else r[2] for r in rows],
        }
    )
    start = pd.Timestamp("2023-06-01") + pd.DateOffset(months=month)
    period = parse_period(f"{start.year}-{start.month:02d}")
    # prepared with overlapping periods beside it: the year, the quarter, a span across months
    others = [
        parse_period(str(start.year)),
        parse_period(f"{start.year}-Q{(start.month - 1) // 3 + 1}"),
        parse_period((start - pd.Timedelta(days=10), start + pd.Timedelta(days=40))),
    ]
    counter = PointCounter(points, levels=["stadsdel"], within=[*others, period])
    table = counter.count("stadsdel", period, areas=["A", "B", "C"], categories=["fire", "theft"])
    # independently: local calendar month of each time, then a groupby
    local_month = times.dt.tz_convert(TZ).dt.strftime("%Y-%m")
    inside = points[(local_month == period.label).to_numpy()]
    assert in_period(points["time_from"], period).sum() == len(inside)
    assert counter.n_in(period) == len(inside)
    assert (
        counter.positions(period).tolist() == np.flatnonzero(local_month == period.label).tolist()
    )
    for other in others:
        assert counter.n_in(other) == int(in_period(points["time_from"], other).sum())
    bucket = np.where(
        inside["stadsdel"].notna(),
        "area",
        np.where(inside["stadsdel_reason"] == "too_coarse", "too_coarse", "outside"),
    )
    want = (
        inside.assign(bucket=bucket, category=inside["category"].fillna("other"))
        .groupby(["bucket", inside["stadsdel"].fillna("-"), "category"])
        .size()
    )
    got = table[table["n"] > 0]
    got = got.set_index(["bucket", got["area"].fillna("-"), "category"])["n"]
    assert got.sort_index().to_dict() == want.sort_index().to_dict()
    assert int(table["n"].sum()) == len(inside)
    # every area and category asked for has its rows (zeros included), in sorted order
    areas = table.loc[table["bucket"] == "area", "area"].drop_duplicates().tolist()
    assert areas == ["A", "B", "C"]
    assert {"fire", "theft"} <= set(table["category"])


def test_for_area_keeps_one_areas_rows() -> None:
    import shapely

    events, findings = _events(4), _findings(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            findings,
            events,
            areas=_areas(),
            by="stadsdel",
            period="2024-06",
            compare="previous",
            crosswalk=CROSSWALK,
        )
    own = lb.for_area("stadsdel", "B")
    assert set(own.totals["area"]) == {"B"}
    assert set(own.areas["area"]) == {"B"}
    # events of June inside B (1000-2000 x 1000-2000), counted here from the raw points
    local = events["time_from"].dt.tz_convert(TZ)
    june = (local.dt.year == 2024) & (local.dt.month == 6)
    inside = (
        shapely.contains_xy(box(1000, 1000, 2000, 2000), events.geometry.x, events.geometry.y)
        & (events["location_precision"] == "exact").to_numpy()
    )
    events_b = own.totals[own.totals["kind"] == "events"]["n"].sum()
    assert events_b == int((june.to_numpy() & inside).sum())
    assert set(own.followup["group"]) <= {"B", "Totalt"}
    assert (own.overdue["stadsdel"] == "B").all()
    assert list(own.geography) == ["stadsdel"]
    assert own.geography["stadsdel"]["name"].tolist() == ["B"]
    with pytest.raises(ConfigError, match="'Z'"):
        lb.for_area("stadsdel", "Z")
    with pytest.raises(ConfigError, match="kommun"):
        lb.for_area("kommun", "K1")
