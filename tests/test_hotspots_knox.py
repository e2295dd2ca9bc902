"""Tests of the Knox near-repeat test (geo_trygg/hotspots/_knox.py).

Expected values come from hand counts in the tests, from a brute-force double loop over all
pairs written here with integer arithmetic and Python dates, from exact enumeration of all
permutations of a small example, and from pointpats' ``Knox`` (one band pair).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import settings as gt_settings
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.hotspots import _knox
from geo_trygg.hotspots._knox import knox_test
from geo_trygg.labels import with_words

TZ = "Europe/Stockholm"
X0, Y0 = 674_000, 6_580_000  # somewhere in Stockholm, EPSG:3006


def make_events(
    xy: Sequence[tuple[float, float]], times: Sequence[object] | pd.Series, **columns: object
) -> gpd.GeoDataFrame:
    """Events at ``(X0 + x, Y0 + y)`` with the given times (``time_from``)."""
    x = [X0 + p[0] for p in xy]
    y = [Y0 + p[1] for p in xy]
    data: dict[str, object] = {"time_from": times}
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(x, y), crs="EPSG:3006")


def local_dates(times: pd.Series) -> list[dt.date]:
    """The Stockholm calendar date of each time, one by one with Python datetimes."""
    out = []
    for t in times:
        stamp = pd.Timestamp(t)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(TZ)
        out.append(stamp.date())
    return out


def brute_table(
    xy: Sequence[tuple[int, int]],
    dates: Sequence[dt.date],
    edges: Sequence[int],
    bands: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Pairs per (space band, time band) by a double loop; integer squared distances."""
    table = np.zeros((len(edges) - 1, len(bands)), dtype=np.int64)
    n = len(xy)
    for i in range(n):
        for j in range(i + 1, n):
            d2 = (xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2
            days = abs((dates[j] - dates[i]).days)
            s = None
            for k in range(len(edges) - 1):
                low_ok = d2 >= edges[k] ** 2 if k == 0 else d2 > edges[k] ** 2
                if low_ok and d2 <= edges[k + 1] ** 2:
                    s = k
                    break
            t = next((m for m, (a, b) in enumerate(bands) if a <= days <= b), None)
            if s is not None and t is not None:
                table[s, t] += 1
    return table


def as_table(result: pd.DataFrame) -> np.ndarray:
    n_time = result["time_from_days"].nunique()
    return result["observed"].to_numpy().reshape(-1, n_time)


# --- a hand-worked example ------------------------------------------------------------------

# A and C share an address; B is 100 m from both (a 60-80-100 triangle); D is 150 m from A and C
# and sqrt(60² + 70²) = 92.2 m from B; E is 400 m from B (240-320-400), 500 m from A and C and
# sqrt(300² + 250²) = 390.5 m from D.
HAND_XY = [(0, 0), (60, 80), (0, 0), (0, 150), (300, 400)]
HAND_TIMES = [
    "2024-05-01T10:00:00+02:00",  # A
    "2024-05-08T09:00:00+02:00",  # B
    "2024-05-08T22:30:00+00:00",  # C: 00:30 on 9 May in Stockholm (8 May in UTC)
    "2024-05-31T12:00:00+02:00",  # D
    "2024-06-01T00:30:00+02:00",  # E
]
# Pairs by hand (local dates; bands [0,100], (100,200], (200,400] x 0-7, 8-14, 15-30 days):
#   A-B 100 m, 7 days  -> (0, 0)      A-C   0 m, 8 days -> (0, 1)  (7 days by UTC dates)
#   A-D 150 m, 30 days -> (1, 2)      A-E 500 m         -> none
#   B-C 100 m, 1 day   -> (0, 0)      B-D 92.2 m, 23 days -> (0, 2)
#   B-E 400 m, 24 days -> (2, 2)      C-D 150 m, 22 days -> (1, 2)
#   C-E 500 m          -> none        D-E 390.5 m, 1 day -> (2, 0)
HAND_TABLE = np.array([[2, 1, 1], [0, 0, 2], [1, 0, 1]])


def hand_events() -> gpd.GeoDataFrame:
    times = pd.to_datetime(pd.Series(HAND_TIMES), utc=True).dt.tz_convert(TZ)
    return make_events(HAND_XY, times, category="burglary", location_precision="address")


def test_hand_worked_example() -> None:
    result = knox_test(hand_events(), permutations=99)
    assert list(result.columns) == [
        "space_from_m",
        "space_to_m",
        "time_from_days",
        "time_to_days",
        "observed",
        "expected",
        "ratio",
        "p_value",
        "near_repeat",
        "knox_pattern",
    ]
    assert result["space_from_m"].tolist() == [0.0] * 3 + [100.0] * 3 + [200.0] * 3
    assert result["space_to_m"].tolist() == [100.0] * 3 + [200.0] * 3 + [400.0] * 3
    assert result["time_from_days"].tolist() == [0, 8, 15] * 3
    assert result["time_to_days"].tolist() == [7, 14, 30] * 3
    assert result["observed"].dtype == np.int64
    np.testing.assert_array_equal(as_table(result), HAND_TABLE)
    params = result.attrs["parameters"]
    assert params["n_events"] == 5
    assert params["n_pairs"] == 10
    assert params["n_pairs_within_max_distance"] == 8
    assert params["n_pairs_in_bands"] == 8


def test_naive_times_are_local_dates() -> None:
    local = pd.to_datetime(pd.Series(HAND_TIMES), utc=True).dt.tz_convert(TZ)
    naive = make_events(HAND_XY, local.dt.tz_localize(None))
    result = knox_test(naive, permutations=9)
    np.testing.assert_array_equal(as_table(result), HAND_TABLE)
    # in UTC, A-C would be 7 days apart: the table would move that pair to (0, 0)
    by_utc = make_events(HAND_XY, local.dt.tz_convert("UTC").dt.tz_localize(None))
    moved = HAND_TABLE.copy()
    moved[0, 1] -= 1
    moved[0, 0] += 1
    np.testing.assert_array_equal(as_table(knox_test(by_utc, permutations=9)), moved)


def test_expected_and_p_value_match_exact_enumeration() -> None:
    """All 5! orderings of the dates give the exact null mean and exact p-value."""
    events = hand_events()
    dates = local_dates(events["time_from"])
    edges, bands = [0, 100, 200, 400], [(0, 7), (8, 14), (15, 30)]
    observed = brute_table(HAND_XY, dates, edges, bands)
    tables = np.array(
        [
            brute_table(HAND_XY, [dates[k] for k in order], edges, bands)
            for order in itertools.permutations(range(5))
        ]
    )
    exact_mean = tables.mean(axis=0).ravel()
    exact_p = (tables >= observed).mean(axis=0).ravel()
    result = knox_test(events, permutations=9999, seed=3)
    # Monte Carlo with 9,999 permutations: standard errors are below 0.01 for the mean (counts
    # of 0-3) and 0.005 for p; the tolerances are about 5 of them.
    np.testing.assert_allclose(result["expected"], exact_mean, atol=0.05)
    np.testing.assert_allclose(result["p_value"], exact_p, atol=0.025)
    ok = exact_mean > 0
    np.testing.assert_allclose(
        result["ratio"][ok], observed.ravel()[ok] / result["expected"][ok], rtol=1e-12
    )
    assert result["ratio"][~ok].isna().all()


def test_identical_dates_expected_equals_observed() -> None:
    # when every event has the same date, shuffling the times changes nothing: every
    # permutation gives the observed table, so expected == observed, ratio 1 and p = 1
    days = pd.Series(pd.to_datetime(["2024-02-01T08:00", "2024-02-01T13:00"] * 3)).dt.tz_localize(
        TZ
    )
    events = make_events([(0, 0), (50, 0), (0, 150), (300, 0), (0, 0), (40, 30)], days)
    result = knox_test(events, permutations=37)
    # pairs 0 days apart: 0-1 50 m, 0-2 150 m, 0-3 300 m, 0-4 0 m, 0-5 50 m, 1-2 158.1 m,
    # 1-3 250 m, 1-4 50 m, 1-5 31.6 m, 2-3 335.4 m, 2-4 150 m, 2-5 126.5 m, 3-4 300 m,
    # 3-5 261.7 m, 4-5 50 m -> [0, 100]: 6, (100, 200]: 4, (200, 400]: 5
    np.testing.assert_array_equal(as_table(result), [[6, 0, 0], [4, 0, 0], [5, 0, 0]])
    np.testing.assert_array_equal(result["expected"], result["observed"].astype(float))
    tested = result["observed"] > 0
    assert (result.loc[tested, "ratio"] == 1.0).all()
    assert (result["p_value"] == 1.0).all()
    assert not result["near_repeat"].any()


def test_day_differences_beyond_16_bits() -> None:
    # 65,539 days (2**16 + 3) apart: a difference kept in 16-bit integers would wrap to 3 days
    start = pd.Timestamp("1900-01-01", tz=TZ)
    times = pd.Series([start, start + pd.Timedelta(days=2**16 + 3), start + pd.Timedelta(days=2)])
    events = make_events([(0, 0), (10, 0), (0, 10)], times)
    result = knox_test(events, space_bands=(0, 100), time_bands=((0, 7),), permutations=9)
    assert result["observed"].tolist() == [1]  # only the first and third events
    # and a band longer than 16-bit integers reach, on a few weeks of data
    wide = knox_test(hand_events(), time_bands=((0, 40_000),), permutations=9)
    assert wide["observed"].tolist() == HAND_TABLE.sum(axis=1).tolist()


def test_no_pairs_band_label_and_nan_ratio() -> None:
    # two events 1 km apart: nothing within 400 m in any ordering
    events = make_events([(0, 0), (1000, 0)], pd.to_datetime(["2024-01-01", "2024-01-02"]))
    result = knox_test(events, permutations=19)
    assert (result["observed"] == 0).all()
    assert (result["expected"] == 0).all()
    assert result["ratio"].isna().all()
    assert (result["p_value"] == 1.0).all()
    assert not result["near_repeat"].any()
    assert set(result["knox_pattern"]) == {"no_pairs"}
    assert set(with_words(result, lang="en")["label"]) == {msg("knox_no_pairs", "en")}


# --- brute force on random data -------------------------------------------------------------

Case = tuple[list[tuple[int, int]], pd.Series, list[int], list[tuple[int, int]]]
GRID = 20  # coordinates on a 20 m grid, so distances hit edges exactly (e.g. 60-80-100)


@st.composite
def random_case(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 25))
    cells = st.tuples(st.integers(0, 30), st.integers(0, 30))
    xy = [(GRID * a, GRID * b) for a, b in draw(st.lists(cells, min_size=n, max_size=n))]
    # minutes around the switch to summer time, so local midnight and DST are exercised; spans
    # of a few weeks to more than a century (day differences beyond 16-bit integers)
    span = 60 * 24 * draw(st.sampled_from([50, 400, 40_000]))
    minutes = draw(st.lists(st.integers(-span, span), min_size=n, max_size=n))
    base = pd.Timestamp("2024-03-10T00:00:00Z")
    times = pd.Series([base + pd.Timedelta(minutes=m) for m in minutes])
    if draw(st.booleans()):
        times = times.dt.tz_convert(TZ)
    edge_cells = draw(st.lists(st.integers(0, 40), min_size=2, max_size=5, unique=True))
    edges = [GRID * c for c in sorted(edge_cells)]
    cuts = sorted(draw(st.lists(st.integers(0, 40), min_size=2, max_size=8, unique=True)))
    bands = [(cuts[k], cuts[k + 1] - draw(st.integers(0, 1))) for k in range(0, len(cuts) - 1, 2)]
    bands = [(a, max(a, b)) for a, b in bands]
    return xy, times, edges, bands


@settings(max_examples=60, deadline=None)
@given(case=random_case())
def test_observed_equals_brute_force(case: Case) -> None:
    xy, times, edges, bands = case
    events = make_events(xy, times)
    result = knox_test(events, space_bands=edges, time_bands=bands, permutations=3)
    expected = brute_table(xy, local_dates(times), edges, bands)
    np.testing.assert_array_equal(as_table(result), expected)
    assert ((result["p_value"] > 0) & (result["p_value"] <= 1)).all()
    n_within = sum(
        (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 <= edges[-1] ** 2
        for a, b in itertools.combinations(xy, 2)
    )
    assert result.attrs["parameters"]["n_pairs_within_max_distance"] == n_within


# --- against pointpats ----------------------------------------------------------------------


def pointpats_knox(
    xy: np.ndarray, days: np.ndarray, delta: float, tau: float, permutations: int = 0
) -> Any:
    """pointpats' Knox, with NumPy's global random state saved and restored around it."""
    from pointpats.spacetime import Knox

    state = np.random.get_state()  # noqa: NPY002 (pointpats draws from the global state)
    try:
        np.random.seed(12345)  # noqa: NPY002
        return Knox(xy, days.reshape(-1, 1).astype(float), delta, tau, permutations=permutations)
    finally:
        np.random.set_state(state)  # noqa: NPY002


def random_frame(
    rng: np.random.Generator, n: int, side: float, n_days: int, *, grid: bool = False
) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray]:
    """Events, their local x/y and their day numbers counted with Python dates."""
    if grid:
        xy = rng.integers(0, int(side) // GRID, (n, 2)).astype(float) * GRID
    else:
        xy = rng.uniform(0, side, (n, 2))
    start = pd.Timestamp("2024-01-01", tz=TZ)
    times = pd.Series(start + pd.to_timedelta(rng.uniform(0, n_days, n), unit="D"))
    events = make_events([tuple(p) for p in xy], times)
    days = np.array([d.toordinal() for d in local_dates(times)])
    return events, xy, days


@pytest.mark.parametrize(
    ("delta", "tau", "grid"), [(100, 7, True), (250, 14, False), (60, 0, True)]
)
def test_observed_equals_pointpats_statistic(delta: int, tau: int, grid: bool) -> None:
    events, xy, days = random_frame(np.random.default_rng(delta), 250, 1000, 60, grid=grid)
    result = knox_test(events, space_bands=(0, delta), time_bands=((0, tau),), permutations=999)
    reference = pointpats_knox(xy, days, delta, tau)
    assert result["observed"].iloc[0] == reference.nst
    # pointpats' expected count is the exact null mean NS * NT / pairs; the Monte Carlo mean
    # of 999 permutations has a standard error of about sqrt(E / 999)
    exact = reference.expected[0, 0]
    assert abs(result["expected"].iloc[0] - exact) <= 5 * math.sqrt(exact / 999) + 0.05


def test_p_value_close_to_pointpats_p_sim() -> None:
    rng = np.random.default_rng(7)
    events, xy, days = random_frame(rng, 200, 800, 40)
    result = knox_test(events, space_bands=(0, 120), time_bands=((0, 5),), permutations=999)
    reference = pointpats_knox(xy, days, 120, 5, permutations=999)
    # two independent Monte Carlo estimates of the same p-value, each with a standard error of
    # at most 0.016: 0.1 is more than four standard errors of their difference
    assert abs(result["p_value"].iloc[0] - reference.p_sim) <= 0.1
    assert result["observed"].iloc[0] == reference.nst


# --- determinism, inputs, parameters --------------------------------------------------------


def test_deterministic_with_seed_and_caller_frame_unchanged() -> None:
    events, _, _ = random_frame(np.random.default_rng(11), 300, 1500, 90)
    before = events.copy(deep=True)
    np.random.seed(99)  # noqa: NPY002 (checks that the global state is not used)
    untouched = np.random.random()  # noqa: NPY002
    np.random.seed(99)  # noqa: NPY002
    first = knox_test(events, permutations=199, seed=5)
    assert np.random.random() == untouched  # noqa: NPY002
    second = knox_test(events, permutations=199, seed=5)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs
    assert ((first["p_value"] > 0) & (first["p_value"] <= 1)).all()
    # the p-values are multiples of 1 / (1 + permutations)
    np.testing.assert_allclose(first["p_value"] * 200, np.round(first["p_value"] * 200))
    other = knox_test(events, permutations=199, seed=6)
    np.testing.assert_array_equal(other["observed"], first["observed"])
    assert not np.array_equal(other["expected"], first["expected"])
    pd.testing.assert_frame_equal(events, before)


def test_parameters_are_plain_and_sorted() -> None:
    result = knox_test(hand_events(), category="burglary", permutations=49, seed=2)
    params = result.attrs["parameters"]
    assert list(params) == sorted(params)
    json.dumps(params)
    assert params["space_bands"] == [0.0, 100.0, 200.0, 400.0]
    assert params["time_bands"] == [[0, 7], [8, 14], [15, 30]]
    assert params["category"] == ["burglary"]
    assert params["permutations"] == 49
    assert params["seed"] == 2
    assert params["time_column"] == "time_from"
    assert params["n_left_out"] == 0


def test_numpy_arguments_equal_plain_ones() -> None:
    plain = knox_test(hand_events(), permutations=49, seed=2)
    arrays = knox_test(
        hand_events(),
        space_bands=np.array([0, 100, 200, 400]),  # type: ignore[arg-type]
        time_bands=np.array([[0, 7], [8, 14], [15, 30]]),  # type: ignore[arg-type]
        permutations=np.int64(49),  # type: ignore[arg-type]
        seed=np.int64(2),  # type: ignore[arg-type]
    )
    pd.testing.assert_frame_equal(arrays, plain)
    assert json.dumps(arrays.attrs["parameters"]) == json.dumps(plain.attrs["parameters"])


def test_category_filter_equals_subset() -> None:
    events = hand_events()
    extra = make_events(
        [(10, 0), (0, 10)],
        pd.to_datetime(pd.Series(["2024-05-02", "2024-05-03"])).dt.tz_localize(TZ),
        category="vandalism",
        location_precision="exact",
    )
    mixed = pd.concat([events, extra], ignore_index=True)
    filtered = knox_test(mixed, category="burglary", permutations=99)
    alone = knox_test(events, permutations=99)
    pd.testing.assert_frame_equal(filtered, alone)
    assert filtered.attrs["parameters"]["n_other_category"] == 2
    both = knox_test(mixed, category=["burglary", "vandalism"], permutations=9)
    assert both.attrs["parameters"]["n_events"] == 7


def test_events_without_time_left_out_with_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gt_settings, "lang", "en")  # warnings speak the session's language
    events = hand_events()
    extra = make_events([(5, 5)], pd.Series([pd.NaT]).dt.tz_localize(TZ), category="burglary")
    frame = pd.concat([events, extra], ignore_index=True)
    with pytest.warns(GeoTryggWarning, match="1") as record:
        result = knox_test(frame, permutations=99)
    assert any("without a time" in str(w.message) for w in record)
    pd.testing.assert_frame_equal(result, knox_test(events, permutations=99))
    assert result.attrs["parameters"]["n_left_out_no_time"] == 1
    assert result.attrs["parameters"]["n_left_out"] == 1


def test_coarse_events_refused_or_left_out() -> None:
    events = hand_events()
    coarse = events.assign(location_precision="kommun")
    with pytest.raises(ConfigError, match="location_precision"):
        knox_test(coarse)
    mixed = pd.concat([events, coarse], ignore_index=True)
    with pytest.warns(GeoTryggWarning):
        result = knox_test(mixed, permutations=99)
    assert result.attrs["parameters"]["n_left_out_coarse"] == 5
    np.testing.assert_array_equal(as_table(result), HAND_TABLE)


def test_fewer_than_two_events(monkeypatch: pytest.MonkeyPatch) -> None:
    events = hand_events()
    monkeypatch.setattr(gt_settings, "lang", "sv")  # messages speak the session's language
    with pytest.raises(ConfigError, match="två"):
        knox_test(events.iloc[:1])
    monkeypatch.setattr(gt_settings, "lang", "en")
    with pytest.raises(ConfigError, match="at least two"):
        knox_test(events.iloc[:1])
    with pytest.raises(ConfigError, match="vandalism"):
        knox_test(events, category="vandalism")


def test_codes_in_the_result_words_through_labels() -> None:
    result = knox_test(hand_events(), permutations=19)
    assert set(result["knox_pattern"]) <= {"no_pattern", "no_pairs"}
    sv = with_words(result, lang="sv")
    en = with_words(result, lang="en")
    assert list(sv.columns[-2:]) == ["knox_pattern", "label"]
    want_sv = {"no_pattern": msg("knox_no_pattern", "sv"), "no_pairs": msg("knox_no_pairs", "sv")}
    want_en = {"no_pattern": msg("knox_no_pattern", "en"), "no_pairs": msg("knox_no_pairs", "en")}
    assert sv["label"].tolist() == [want_sv[c] for c in result["knox_pattern"]]
    assert en["label"].tolist() == [want_en[c] for c in result["knox_pattern"]]
    with pytest.raises(TypeError, match="lang"):
        knox_test(hand_events(), permutations=19, lang="en")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"space_bands": (100,)}, "space_bands="),
        ({"space_bands": (0, 100, 100)}, "space_bands="),
        ({"space_bands": (0, 200, 100)}, "space_bands="),
        ({"space_bands": (-10, 100)}, "space_bands="),
        ({"space_bands": (0, float("nan"))}, "space_bands="),
        ({"space_bands": (0, float("inf"))}, "space_bands="),
        ({"space_bands": "0,100"}, "space_bands="),
        ({"space_bands": (0, "100")}, "space_bands="),
        ({"time_bands": ((0, 7), (7, 14))}, "time_bands="),
        ({"time_bands": ((8, 14), (0, 7))}, "time_bands="),
        ({"time_bands": ((7, 0),)}, "time_bands="),
        ({"time_bands": ((-1, 7),)}, "time_bands="),
        ({"time_bands": ((0, 7.5),)}, "time_bands="),
        ({"time_bands": ((0, True),)}, "time_bands="),
        ({"time_bands": ((0, 7, 14),)}, "time_bands="),
        ({"time_bands": ()}, "time_bands="),
        ({"time_bands": (0, 7)}, "time_bands="),
        ({"permutations": 0}, "permutations="),
        ({"permutations": 9.5}, "permutations="),
        ({"seed": -1}, "seed="),
        ({"category": "inbrott"}, "category="),
        ({"category": []}, "category="),
        ({"time_column": "when"}, "time_column="),
        ({"time_column": "category"}, "dtype"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        knox_test(hand_events(), **kwargs)  # type: ignore[arg-type]


def test_bad_events() -> None:
    with pytest.raises(ConfigError, match="GeoDataFrame"):
        knox_test(pd.DataFrame({"time_from": []}))
    with pytest.raises(ConfigError, match="category"):
        knox_test(hand_events().drop(columns="category"), category="burglary")
    degrees = hand_events().to_crs("EPSG:4326")
    with pytest.raises(ConfigError):
        knox_test(degrees)


def test_too_many_pairs_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_knox, "MAX_PAIRS", 5)
    with pytest.raises(ConfigError, match="8 pairs"):
        knox_test(hand_events(), permutations=9)


# --- planted pattern and complete randomness ------------------------------------------------


def background(rng: np.random.Generator, n: int) -> tuple[list[tuple[float, float]], list[float]]:
    """``n`` events uniform over 3 x 3 km and 365 days (day offsets as floats)."""
    xy = [tuple(p) for p in rng.uniform(0, 3000, (n, 2))]
    return xy, list(rng.uniform(0, 365, n))


def frame_from(xy: list[tuple[float, float]], offsets: list[float]) -> gpd.GeoDataFrame:
    start = pd.Timestamp("2023-01-01", tz=TZ)
    times = pd.Series(start + pd.to_timedelta(np.asarray(offsets), unit="D"))
    return make_events(xy, times, category="burglary", location_precision="address")


def test_planted_near_repeats_are_found() -> None:
    rng = np.random.default_rng(2024)
    xy, offsets = background(rng, 300)
    for _ in range(30):  # 30 first burglaries, each followed by two within 60 m and 1-6 days
        x, y = rng.uniform(0, 3000, 2)
        t = rng.uniform(0, 350)
        xy.append((x, y))
        offsets.append(t)
        for _ in range(2):
            angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(5, 60)
            xy.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
            offsets.append(t + rng.uniform(1, 6))
    result = knox_test(frame_from(xy, offsets), permutations=999)
    first = result.iloc[0]
    assert (first["space_to_m"], first["time_to_days"]) == (100.0, 7)
    assert first["observed"] >= 60  # the 30 x 2 planted first-to-follower pairs alone
    assert first["ratio"] > 1
    assert first["p_value"] <= 0.05
    assert first["near_repeat"]
    assert first["knox_pattern"] == "near_repeat"
    assert with_words(result, lang="en")["label"].iloc[0] == msg("knox_near_repeat", "en")


def test_complete_randomness_rarely_flags() -> None:
    """Five sets of 390 random events: 45 band tests at the 5 % level flag few bands."""
    flagged = 0
    for seed in range(5):
        xy, offsets = background(np.random.default_rng(100 + seed), 390)
        result = knox_test(frame_from(xy, offsets), permutations=199, seed=seed)
        assert ((result["p_value"] > 0) & (result["p_value"] <= 1)).all()
        flagged += int(result["near_repeat"].sum())
    # under the null each band is flagged with probability at most 0.05 (2.25 of 45 expected);
    # 9 or more would be a one-in-thousands event even for correlated bands
    assert flagged <= 8
