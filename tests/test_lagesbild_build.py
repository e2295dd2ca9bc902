"""build_lagesbild end to end on hand-made areas: counts, tests, rates, reconciliation, exports."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from shapely.geometry import box
from squares import CROSSWALK
from squares import areas as square_areas

from geo_trygg import ConfigError, GeoTryggWarning, labels
from geo_trygg.lagesbild import build_lagesbild

TZ = "Europe/Stockholm"


def _events(rows: list[tuple[float, float, str, str, str]]) -> gpd.GeoDataFrame:
    """rows: (x, y, category, local time, precision); kommun-precision rows name K1."""
    times = pd.to_datetime([r[3] for r in rows], format="ISO8601").tz_localize(
        TZ, nonexistent="shift_forward", ambiguous=True
    )
    precision = [r[4] for r in rows]
    return gpd.GeoDataFrame(
        {
            "event_id": [str(i) for i in range(len(rows))],
            "time_from": times,
            "time_to": times,
            "category": [r[2] for r in rows],
            "location_precision": precision,
            "kommun": ["K1" if p == "kommun" else None for p in precision],
            "text": [""] * len(rows),
        },
        geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]),
        crs="EPSG:3006",
    )


def _build(events: gpd.GeoDataFrame, **kwargs: object) -> object:
    options: dict[str, object] = {
        "areas": square_areas(),
        "by": ("stadsdel", "kommun"),
        "period": "2024-03",
        "compare": "previous",
        "crosswalk": CROSSWALK,
    }
    options.update(kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(events=events, **options)  # type: ignore[arg-type]


def _fixture() -> gpd.GeoDataFrame:
    rows = []
    rows += [(500, 1500, "theft", f"2024-03-{d:02d} 12:00", "exact") for d in range(1, 9)]  # A: 8
    rows += [(500, 1500, "theft", f"2024-02-{d:02d} 12:00", "exact") for d in range(1, 3)]  # A: 2
    rows += [(1500, 1500, "fire", "2024-03-10 03:00", "exact")]  # B, March
    rows += [(5000, 5000, "theft", "2024-03-11 10:00", "exact")]  # outside every area
    rows += [(1000, 1500, "theft", "2024-03-12 10:00", "kommun")]  # known only as K1
    rows += [(500, 500, "theft", "2024-04-01 00:30", "exact")]  # C, April: not counted
    return _events(rows)


def test_counts_changes_and_rates_by_hand() -> None:
    lb = _build(_fixture())
    t = lb.areas  # type: ignore[attr-defined]
    a_theft = t[(t.level == "stadsdel") & (t.area == "A") & (t.category == "theft")].iloc[0]
    assert (a_theft["n"], a_theft["n_compare"]) == (8, 2)
    r = 31 / 29  # March has 31 days, February 2024 29
    assert a_theft["expected"] == pytest.approx(2 * r)
    expected_p = binomtest(8, 10, r / (1 + r)).pvalue
    assert a_theft["p_value"] == pytest.approx(expected_p, rel=1e-9)
    # the only stadsdel × category row with at least 6 events is A/theft: BH over one test
    assert a_theft["p_adjusted"] == pytest.approx(expected_p, rel=1e-9)
    assert a_theft["per_km2"] == pytest.approx(8.0)  # 1 km² squares
    assert a_theft["land_km2"] == pytest.approx(1.0)
    b_fire = t[(t.level == "stadsdel") & (t.area == "B") & (t.category == "fire")].iloc[0]
    assert b_fire["change_code"] == "too_few"
    assert "change_label" not in t.columns  # codes inside; the words at the edges:
    assert labels.names("change", lang="sv")[b_fire["change_code"]] == (
        "för få händelser för att säga"
    )
    # the kommun-precision event counts for K1 (by its location), not for any stadsdel
    k1 = lb.totals  # type: ignore[attr-defined]
    k1_row = k1[(k1.level == "kommun") & (k1.area == "K1")].iloc[0]
    assert k1_row["n"] == 8 + 1 + 1
    coarse = t[(t.level == "stadsdel") & (t.bucket == "too_coarse")]["n"].sum()
    assert coarse == 1


def test_reconciliation_by_hand() -> None:
    rec = _build(_fixture()).reconciliation.set_index("level")  # type: ignore[attr-defined]
    # March: 8 (A) + 1 (B) + 1 outside + 1 kommun-only = 11
    assert rec.loc["stadsdel", "n_input"] == 11
    assert rec.loc["stadsdel", "n_in_areas"] == 9
    assert rec.loc["stadsdel", "n_outside"] == 1
    assert rec.loc["stadsdel", "n_too_coarse"] == 1
    assert rec.loc["kommun", "n_in_areas"] == 10
    assert rec.loc["kommun", "n_outside"] == 1


def test_bad_arguments_fail_before_work() -> None:
    ev = _fixture()
    with pytest.raises(ConfigError, match="by='lpo'"):
        _build(ev, by=("lpo",))
    with pytest.raises(ConfigError, match="period='mars'"):
        _build(ev, period="mars")
    with pytest.raises(ConfigError, match="overlaps"):
        _build(ev, compare="2024-03")
    with pytest.raises(ConfigError, match="findings=, events="):
        build_lagesbild(areas=square_areas(), period="2024")
    with pytest.raises(ConfigError, match="alpha"):
        _build(ev, alpha=1.5)


coords = st.tuples(st.floats(-500, 2500), st.floats(-500, 2500))
event_rows = st.lists(
    st.tuples(
        coords,
        st.sampled_from(["theft", "fire", "violence"]),
        st.datetimes(pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-31 23:59")),
        st.sampled_from(["exact", "exact", "kommun"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=event_rows, seed=st.integers(0, 1000))
def test_totals_reconcile_for_any_input(rows: list, seed: int) -> None:
    ev = _events([(x, y, c, t.isoformat(), p) for (x, y), c, t, p in rows])
    lb = _build(ev)
    rec = lb.reconciliation  # type: ignore[attr-defined]
    parts = rec["n_in_areas"] + rec["n_outside"] + rec["n_too_coarse"]
    assert (rec["n_input"] == parts).all()
    n_march = int((ev["time_from"] >= pd.Timestamp("2024-03-01", tz=TZ)).sum())
    assert (rec["n_input"] == n_march).all()
    # changing `by` never changes a level's table
    only = _build(ev, by=("stadsdel",)).areas  # type: ignore[attr-defined]
    both = lb.areas  # type: ignore[attr-defined]
    stadsdel = both[both["level"] == "stadsdel"].reset_index(drop=True)
    pd.testing.assert_frame_equal(only.reset_index(drop=True), stadsdel)
    # shuffling the input rows never changes any table
    shuffled = _build(ev.sample(frac=1.0, random_state=seed))
    for name, table in lb.tables().items():  # type: ignore[attr-defined]
        other = shuffled.tables()[name]  # type: ignore[attr-defined]
        pd.testing.assert_frame_equal(
            table.reset_index(drop=True), other.reset_index(drop=True), obj=name
        )


def test_exports_are_byte_identical_and_formula_safe(tmp_path: Path) -> None:
    areas = square_areas()
    areas.loc[areas["name"] == "A", ["name", "area_id"]] = "=1+1"
    cw = CROSSWALK.replace({"A": "=1+1"})
    paths = []
    for run in range(2):
        lb = _build(_fixture(), areas=areas, crosswalk=cw)
        out = tmp_path / str(run)
        paths.append(
            [
                lb.to_excel(out / "lb.xlsx"),  # type: ignore[attr-defined]
                lb.to_geopackage(out / "lb.gpkg"),  # type: ignore[attr-defined]
                lb.to_html(out / "lb.html"),  # type: ignore[attr-defined]
            ]
        )
        time.sleep(1.1)
    for first, second in zip(*paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    import openpyxl

    book = openpyxl.load_workbook(paths[0][0])
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "=1+1" in values  # kept as text
    assert all(
        getattr(c, "data_type", "") != "f"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
    )
    html = paths[0][2].read_text(encoding="utf-8")
    assert "Lägesbild 2024-03" in html
    gpkg = gpd.read_file(paths[0][1], layer="map_stadsdel")
    assert sorted(gpkg["area"]) == ["=1+1", "B", "C", "D"]
    assert np.isclose(gpkg.geometry.area.sum(), 4e6)


def test_places_are_many_to_many_and_reconcile_on_their_own() -> None:
    places = gpd.GeoDataFrame(
        {"area_id": ["P", "Q"], "name": ["P", "Q"], "radius_m": [600.0, 100.0]},
        geometry=gpd.points_from_xy([1000, 1500], [1500, 1500]),
        crs="EPSG:3006",
    )
    lb = _build(_fixture(), places=places)
    rec = lb.places_reconciliation.iloc[0]  # type: ignore[attr-defined]
    # March: A's 8 events (500 m from P) and B's fire (500 m from P, 0 m from Q) are in places;
    # the kommun-only event lies on P's centre but is too coarse; the outside point is in none
    assert rec["n_input"] == 11
    assert rec["n_in_places"] == 9
    assert rec["n_too_coarse"] == 1
    assert rec["n_in_no_place"] == 1
    assert rec["n_memberships"] == 10
    table = lb.places.set_index(["place", "category"])  # type: ignore[attr-defined]
    assert table.loc[("P", "theft"), "n"] == 8
    assert table.loc[("P", "theft"), "n_compare"] == 2
    assert table.loc[("P", "fire"), "n"] == 1
    assert table.loc[("Q", "fire"), "n"] == 1
    assert table.loc[("Q", "theft"), "n"] == 0


def test_overlay_pieces_of_two_levels() -> None:
    lpo = gpd.GeoDataFrame(
        {"area_id": ["L1", "L2"], "name": ["L1", "L2"], "level": "lpo"},
        geometry=[box(0, 0, 1000, 2000), box(1000, 0, 2000, 2000)],
        crs="EPSG:3006",
    )
    areas = pd.concat([square_areas(), lpo], ignore_index=True)
    lb = _build(_fixture(), areas=areas, by=("stadsdel", ("kommun", "lpo")), crosswalk=None)
    t = lb.totals  # type: ignore[attr-defined]
    pieces = t[(t.level == "kommun_x_lpo") & (t.bucket == "area")].set_index("area")
    assert sorted(pieces.index) == ["K1 / L1", "K1 / L2", "K2 / L1", "K2 / L2"]
    assert pieces.loc["K1 / L1", "n"] == 8  # A
    assert pieces.loc["K1 / L2", "n"] == 1  # B
    assert pieces.loc["K1 / L1", "land_km2"] == pytest.approx(1.0)
    other = t[(t.level == "kommun_x_lpo") & (t.bucket != "area")].set_index("bucket")
    assert other.loc["outside", "n"] == 1
    assert other.loc["too_coarse", "n"] == 1  # known only as K1: no LPO piece


def test_aggregated_counts_beside_points_and_level_checks() -> None:
    counts = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "A", "B", "C", "D", "B", "C", "D"],
            "period": [
                "2024-03",
                "2024-02",
                "2024-03",
                "2024-03",
                "2024-03",
                "2024-02",
                "2024-02",
                "2024-02",
            ],
            "category": "violence",
            "n": [12, 3, 0, 1, 2, 0, 1, 2],
        }
    )
    lb = _build(_fixture(), by=("stadsdel",), counts=counts)
    t = lb.areas  # type: ignore[attr-defined]
    a = t[(t.kind == "counts") & (t.area == "A")].iloc[0]
    assert (a["n"], a["n_compare"]) == (12, 3)
    r = 31 / 29
    assert a["p_value"] == pytest.approx(binomtest(12, 15, r / (1 + r)).pvalue, rel=1e-9)
    rec = lb.reconciliation.set_index("kind")  # type: ignore[attr-defined]
    assert rec.loc["counts", "n_input"] == 15
    # counts per stadsdel cannot be shown per kommun: refused, naming the levels
    with pytest.raises(ConfigError, match="kommun"):
        _build(_fixture(), by=("stadsdel", "kommun"), counts=counts)


def test_priorities_show_why_and_refuse_unknown_weights() -> None:
    lb = _build(_fixture(), by=("stadsdel",))
    pri = lb.priorities.set_index("area")  # type: ignore[attr-defined]
    assert pri.loc["A", "rank"] == 1  # 8 of the 9 March events in areas
    assert pri.loc["A", "events"] == 8
    contributions = [c for c in pri.columns if c.startswith("contrib_")]
    assert np.allclose(pri[contributions].sum(axis=1), pri["score"])
    with pytest.raises(ConfigError, match="'vikt'"):
        _build(_fixture(), weights={"vikt": 1.0})


def _findings() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "finding_id": ["F1", "F2"],
            "walk_id": ["W1", "W0"],
            "walk_date": pd.to_datetime(["2024-03-05", "2024-02-10"]),
            "category": ["lighting", "litter"],
            "severity": pd.array([3, 1], dtype="Int64"),
            "responsible_actor": ["trafikkontoret", "stadsdelsforvaltning"],
            "status": ["new", "done"],
            "deadline": pd.to_datetime(["2024-03-20", "2024-03-30"]),
            "status_date": pd.to_datetime(["2024-03-05", "2024-03-15"]),
        },
        geometry=gpd.points_from_xy([500, 1500], [1500, 1500]),
        crs="EPSG:3006",
    )


def test_findings_follow_up_and_changes_since() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            _findings(),
            _fixture(),
            areas=square_areas(),
            by=("stadsdel",),
            period="2024-03",
            compare=None,
            crosswalk=CROSSWALK,
            since="2024-03-01",
        )
    fu = lb.followup.set_index(["level", "group"])
    assert fu.loc[("stadsdel", "A"), "n_overdue"] == 1  # deadline 20 March, judged 31 March
    assert fu.loc[("stadsdel", "B"), "n_done"] == 1
    assert fu.loc[("stadsdel", "B"), "median_days_to_done"] == 34  # 10 Feb -> 15 Mar
    changes = {(r.change, r.finding_id) for r in lb.changes.itertuples()}
    assert changes == {("new", "F1"), ("closed", "F2"), ("newly_overdue", "F1")}
    assert lb.overdue["finding_id"].tolist() == ["F1"]
    assert lb.priorities.set_index("area").loc["A", "overdue"] == 1


def test_empty_events_give_an_explicit_empty_result() -> None:
    empty = _fixture().iloc[0:0]
    with pytest.warns(GeoTryggWarning, match="inga händelser"):
        lb = build_lagesbild(
            events=empty,
            areas=square_areas(),
            by=("stadsdel",),
            period="2024-03",
            crosswalk=CROSSWALK,
        )
    assert lb.totals.query("bucket == 'area'")["n"].sum() == 0
    assert lb.notes


def test_places_are_ranked_beside_areas_and_zero_land_area_has_no_rate() -> None:
    places = gpd.GeoDataFrame(
        {"area_id": ["P"], "name": ["P"], "radius_m": [600.0]},
        geometry=gpd.points_from_xy([1000], [1500]),
        crs="EPSG:3006",
    )
    areas = square_areas()
    lb = _build(_fixture(), places=places, by=("stadsdel",))
    pri = lb.priorities  # type: ignore[attr-defined]
    assert set(pri["level"]) == {"stadsdel", "place"}
    assert pri[pri["level"] == "place"]["events"].tolist() == [9.0]
    water = gpd.GeoDataFrame(geometry=[box(0, 1000, 1000, 2000)], crs="EPSG:3006")  # all of A
    lb = _build(_fixture(), areas=areas, by=("stadsdel",), water=water)
    t = lb.totals  # type: ignore[attr-defined]
    a = t[(t["level"] == "stadsdel") & (t["area"] == "A")].iloc[0]
    assert a["land_km2"] == 0
    assert np.isnan(a["per_km2"])  # no land: no rate, never a division by zero
    assert a["n"] == 8
