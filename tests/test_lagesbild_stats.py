"""Statistics of the lägesbild: exact change test, Benjamini–Hochberg, labels, concentration,
generalised Gini, weighted displacement difference.

Expected values are worked out by hand (in comments) or computed here by a second method:
``scipy.stats.binomtest`` for the exact test, a textbook loop for BH, the mean absolute
difference for the Gini, ``scipy.stats.norm`` for the WDD, shapely point-by-point for counts.
"""

from __future__ import annotations

import json
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, norm
from shapely.geometry import Point, box

from geo_trygg import ConfigError, CRSMismatchError, GeoTryggWarning
from geo_trygg.labels import with_words
from geo_trygg.stats import (
    CHANGE_CODES,
    MIN_EVENTS,
    WDD_AREAS,
    benjamini_hochberg,
    change_codes,
    change_labels,
    change_table,
    change_test,
    concentration,
    generalized_gini,
    wdd_counts,
    weighted_displacement,
)

TZ = "Europe/Stockholm"


def scipy_p(current: int, previous: int, ratio: float) -> float:
    """Reference p-value: scipy's binomtest on the conditional binomial; n == 0 gives 1."""
    n = current + previous
    return 1.0 if n == 0 else float(binomtest(current, n, ratio / (1 + ratio)).pvalue)


def textbook_bh(p: list[float]) -> list[float]:
    """Benjamini–Hochberg by the textbook loop, NaN left out of m."""
    known = [(v, i) for i, v in enumerate(p) if not math.isnan(v)]
    m = len(known)
    ranked = sorted(known)
    out = [math.nan] * len(p)
    running = 1.0
    for rank in range(m, 0, -1):
        value, position = ranked[rank - 1]
        running = min(running, value * m / rank)
        out[position] = running
    return out


# --- change_test --------------------------------------------------------------------------------


RATIOS = [0.1, 1 / 3, 0.5, 1.0, 31 / 30, 2.0, 7.5]


def test_change_test_matches_scipy_on_a_grid_with_zeros() -> None:
    counts = np.arange(0, 26)
    cur, prev, ratio = (a.ravel() for a in np.meshgrid(counts, counts, RATIOS, indexing="ij"))
    table = change_test(cur, prev, exposure_ratio=ratio)
    expected = [scipy_p(int(c), int(p), r) for c, p, r in zip(cur, prev, ratio, strict=True)]
    np.testing.assert_allclose(table["p_value"].to_numpy(), expected, rtol=1e-12, atol=0)
    assert table["no_events"].tolist() == list((cur + prev) == 0)


@pytest.mark.parametrize(
    ("current", "previous", "ratio"),
    [(500_000, 499_000, 1.0), (1000, 1100, 1.0), (123_456, 120_000, 1.02), (3, 4000, 0.001)],
)
def test_change_test_matches_scipy_for_large_counts(
    current: int, previous: int, ratio: float
) -> None:
    p = change_test(current, previous, exposure_ratio=ratio)["p_value"].iloc[0]
    assert p == pytest.approx(scipy_p(current, previous, ratio), rel=1e-9, abs=1e-300)


def test_change_test_columns_by_hand() -> None:
    t = change_test([30, 5, 0, 10, 3], [15, 0, 0, 5, 9], exposure_ratio=[1, 1, 1, 2, 0.5])
    # expected = previous * r; change = current - expected; rate ratio = current / expected
    assert t["expected"].tolist() == [15.0, 0.0, 0.0, 10.0, 4.5]
    assert t["change"].tolist() == [15.0, 5.0, 0.0, 0.0, -1.5]
    assert t["rate_ratio"].iloc[0] == 2.0
    assert t["rate_ratio"].iloc[1] == math.inf
    assert math.isnan(t["rate_ratio"].iloc[2])
    assert t["rate_ratio"].iloc[3] == 1.0
    assert t["rate_ratio"].iloc[4] == pytest.approx(3 / 4.5)
    # n == 0: p = 1 and flagged; current equal to its expectation n*r/(1+r) = 15*2/3: p = 1
    assert t["p_value"].iloc[2] == 1.0
    assert t["no_events"].tolist() == [False, False, True, False, False]
    assert t["p_value"].iloc[3] == pytest.approx(1.0)
    # 5 against 0: all five events in the current period, p = 2 * 0.5**5
    assert t["p_value"].iloc[1] == pytest.approx(2 * 0.5**5)
    assert str(t["current"].dtype) == "Int64"


def test_change_test_keeps_the_series_index_and_missing_rows() -> None:
    index = pd.Index(["Älvsjö", "Solberga", "Fittja"], name="stadsdel")
    cur = pd.Series([12, None, 4], index=index, dtype="Float64")
    prev = pd.Series([6, 3, 4], index=index)
    t = change_test(cur, prev)
    assert t.index.equals(index)
    assert t["current"].isna().tolist() == [False, True, False]
    assert math.isnan(t["p_value"].loc["Solberga"])
    assert t["p_value"].loc["Älvsjö"] == pytest.approx(scipy_p(12, 6, 1.0))
    # an unknown exposure ratio (e.g. population missing) gives a missing p-value, not a zero
    t2 = change_test([5, 5], [3, 3], exposure_ratio=[1.0, float("nan")])
    assert math.isnan(t2["p_value"].iloc[1])


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"current": [-1], "previous": [2]}, "current"),
        ({"current": [1.5], "previous": [2]}, "current"),
        ({"current": [1], "previous": [math.inf]}, "previous"),
        ({"current": ["a"], "previous": [2]}, "current"),
        ({"current": [1], "previous": [2], "exposure_ratio": 0}, "exposure_ratio"),
        ({"current": [1], "previous": [2], "exposure_ratio": -2.0}, "exposure_ratio"),
        ({"current": [1], "previous": [2], "exposure_ratio": math.inf}, "exposure_ratio"),
        ({"current": [1, 2], "previous": [2, 3, 4]}, "length"),
    ],
)
def test_change_test_rejects_bad_input(kwargs: dict, word: str) -> None:
    with pytest.raises(ConfigError, match=word):
        change_test(**kwargs)


def test_change_test_rejects_series_on_different_indexes() -> None:
    with pytest.raises(ConfigError, match="index"):
        change_test(pd.Series([1, 2], index=["a", "b"]), pd.Series([1, 2], index=["b", "a"]))


ratios = st.sampled_from([0.25, 0.5, 2 / 3, 1.0, 1.5, 2.0, 4.0, 31 / 30])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), ratios)
def test_change_test_properties(current: int, previous: int, ratio: float) -> None:
    p = change_test(current, previous, exposure_ratio=ratio)["p_value"].iloc[0]
    assert 0.0 <= p <= 1.0
    # swapping the periods and inverting the exposure ratio is the same comparison
    swapped = change_test(previous, current, exposure_ratio=1 / ratio)["p_value"].iloc[0]
    assert swapped == pytest.approx(p, rel=1e-9, abs=1e-12)
    assert p == pytest.approx(scipy_p(current, previous, ratio), rel=1e-9, abs=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=30))
def test_change_test_rows_are_independent_of_each_other(rows: list[tuple[int, int]]) -> None:
    cur, prev = zip(*rows, strict=True)
    together = change_test(list(cur), list(prev))["p_value"].tolist()
    alone = [change_test(c, p)["p_value"].iloc[0] for c, p in rows]
    assert together == alone


# --- Benjamini–Hochberg -------------------------------------------------------------------------


def test_bh_hand_worked_vector() -> None:
    # sorted: 0.005, 0.01, 0.03, 0.04, 0.20; m * p / rank = 0.025, 0.025, 0.05, 0.05, 0.20;
    # running minimum from the top: 0.025, 0.025, 0.05, 0.05, 0.20
    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.005, 0.20])
    np.testing.assert_allclose(adjusted, [0.025, 0.05, 0.05, 0.025, 0.20], rtol=1e-12)


def test_bh_caps_at_one_and_keeps_nan_out_of_m() -> None:
    # m = 2 (NaN not counted): 0.6 * 2 / 1 = 1.2 -> capped; 0.9 * 2 / 2 = 0.9 -> min 0.9
    adjusted = benjamini_hochberg([0.6, math.nan, 0.9])
    assert adjusted[0] == pytest.approx(0.9)
    assert math.isnan(adjusted[1])
    assert adjusted[2] == pytest.approx(0.9)
    assert benjamini_hochberg([0.8, 0.9])[0] == pytest.approx(0.9)
    assert benjamini_hochberg([]).shape == (0,)
    assert np.isnan(benjamini_hochberg([math.nan, math.nan])).all()


def test_bh_keeps_the_shape_of_a_table() -> None:
    table = np.array([[0.01, 0.04], [0.03, math.nan]])
    adjusted = benjamini_hochberg(table)
    assert adjusted.shape == (2, 2)
    expected = textbook_bh([0.01, 0.04, 0.03, math.nan])
    np.testing.assert_allclose(adjusted.ravel(), expected, rtol=1e-12)


@pytest.mark.parametrize("bad", [[0.5, 1.2], [-0.1], [math.inf], ["x"]])
def test_bh_rejects_values_outside_unit_interval(bad: list) -> None:
    with pytest.raises(ConfigError, match="pvalues"):
        benjamini_hochberg(bad)


p_values = st.lists(
    st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.01, 0.05, 1.0]), st.just(math.nan)),
    min_size=0,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(p_values, st.randoms(use_true_random=False))
def test_bh_properties(p: list[float], rnd) -> None:
    adjusted = benjamini_hochberg(p)
    raw = np.asarray(p, dtype=float)
    known = ~np.isnan(raw)
    assert np.array_equal(np.isnan(adjusted), ~known)
    np.testing.assert_allclose(adjusted, textbook_bh(p), rtol=1e-12)
    a, r = adjusted[known], raw[known]
    assert (a >= r).all()
    assert (a <= 1).all()
    order = np.argsort(r, kind="stable")
    assert (np.diff(a[order]) >= 0).all()
    # permutation-equivariant
    perm = list(range(len(p)))
    rnd.shuffle(perm)
    shuffled = benjamini_hochberg([p[i] for i in perm])
    np.testing.assert_array_equal(shuffled, adjusted[perm])
    # adding missing values changes nothing else
    padded = benjamini_hochberg([*p, math.nan, math.nan])
    np.testing.assert_array_equal(padded[: len(p)], adjusted)


# --- labels -------------------------------------------------------------------------------------


def test_min_events_default_is_the_smallest_total_that_can_reject() -> None:
    # at r = 1 the most extreme split of n events is all in one period: p = 2 * 0.5**n
    for n in range(1, MIN_EVENTS):
        assert min(scipy_p(k, n - k, 1.0) for k in range(n + 1)) > 0.05
    assert scipy_p(MIN_EVENTS, 0, 1.0) < 0.05
    assert MIN_EVENTS == 6


def test_change_codes_and_labels_by_hand() -> None:
    current = [30, 5, 20, 3, 10, 4, 12]
    previous = [10, 15, 18, 0, None, 2, 4]
    p_adj = [0.001, 0.04, 0.8, 0.001, 0.01, 0.5, math.nan]
    codes = change_codes(current, previous, p_adj)
    assert codes.name == "change_code"
    assert codes.tolist() == [
        "increase",  # p <= 0.05, 30 > 10
        "decrease",  # p <= 0.05, 5 < 15
        "no_clear_change",  # p = 0.8
        "too_few",  # 3 + 0 < 6, whatever the p-value
        "no_data",  # previous missing
        "no_clear_change",  # 4 + 2 = 6 events: enough to be tested, p = 0.5
        "no_data",  # no adjusted p-value
    ]
    sv = change_labels(current, previous, p_adj, lang="sv")
    assert sv.name == "change_label"
    assert sv.tolist()[:4] == [
        "ökning",
        "minskning",
        "ingen säker förändring",
        "för få händelser för att säga",
    ]
    en = change_labels(current, previous, p_adj, lang="en")
    assert en.tolist()[:4] == ["increase", "decrease", "no clear change", "too few events to say"]
    assert set(codes) <= set(CHANGE_CODES)


def test_change_codes_rules_at_the_edges() -> None:
    # adjusted p exactly alpha is called (BH rejects p_adj <= alpha)
    assert change_codes([20], [5], [0.05]).iloc[0] == "increase"
    assert change_codes([20], [5], [0.0500001]).iloc[0] == "no_clear_change"
    # the direction follows current - previous * r: 10 events against 10 in a period twice as
    # long as this one (r = 0.5 means 5 expected) is an increase; with r = 2, a decrease
    assert change_codes([10], [10], [0.01], exposure_ratio=0.5).iloc[0] == "increase"
    assert change_codes([10], [10], [0.01], exposure_ratio=2).iloc[0] == "decrease"
    assert change_codes([2], [3], [0.01], min_events=5).iloc[0] == "decrease"
    assert change_codes([2], [3], [0.01], min_events=6).iloc[0] == "too_few"
    s = change_codes(pd.Series([9], index=["x"]), pd.Series([1], index=["x"]), [0.5])
    assert s.index.tolist() == ["x"]


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"min_events": -1}, "min_events"),
        ({"min_events": 2.5}, "min_events"),
        ({"lang": "de"}, "lang"),
    ],
)
def test_change_labels_rejects_bad_options(kwargs: dict, word: str) -> None:
    with pytest.raises(ConfigError, match=word):
        change_labels([1], [2], [0.5], **kwargs)


def test_change_table_adjusts_only_the_testable_rows() -> None:
    current = [40, 2, 25, 0, 60, 9]
    previous = [20, 1, 24, 0, 31, 1]
    t = change_table(current, previous)
    raw = [scipy_p(c, p, 1.0) for c, p in zip(current, previous, strict=True)]
    family = [raw[i] if current[i] + previous[i] >= MIN_EVENTS else math.nan for i in range(6)]
    np.testing.assert_allclose(t["p_value"], raw, rtol=1e-12)
    np.testing.assert_allclose(t["p_adjusted"], textbook_bh(family), rtol=1e-12)
    assert math.isnan(t["p_adjusted"].iloc[1])
    assert math.isnan(t["p_adjusted"].iloc[3])
    codes = change_codes(current, previous, t["p_adjusted"])
    assert t["change_code"].tolist() == codes.tolist()
    assert t["change_code"].iloc[1] == "too_few"
    assert t["change_code"].iloc[3] == "too_few"
    assert "change_label" not in t.columns  # codes inside, words at the edges
    assert with_words(t, lang="sv")["change_label"].iloc[3] == "för få händelser för att säga"


def test_change_table_words_follow_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo_trygg import settings

    monkeypatch.setattr(settings, "lang", "en")
    assert with_words(change_table([1], [1]))["change_label"].iloc[0] == "too few events to say"
    with pytest.raises(TypeError, match="lang"):
        change_table([1], [1], lang="en")  # type: ignore[call-arg]


# --- concentration ------------------------------------------------------------------------------


def test_concentration_hand_case() -> None:
    counts = [10, 0, 5, 3, 2, 0, 0, 0, 0, 0]  # 20 events over 10 places
    t = concentration(counts, shares=[0.25, 0.5, 0.6, 0.75, 0.9, 1.0])
    # largest first: 10, 15, 18, 20 cumulative -> 5 and 10 need 1 place, 12 and 15 need 2,
    # 18 needs 3, 20 needs 4
    assert t["places"].tolist() == [1, 1, 2, 2, 3, 4]
    assert t["place_share"].tolist() == [0.1, 0.1, 0.2, 0.2, 0.3, 0.4]
    assert (t["n_places"] == 10).all()
    assert (t["n_events"] == 20).all()


def test_concentration_without_events_says_why() -> None:
    t = concentration([0, 0, 0])
    assert t["places"].isna().all()
    assert t["place_share"].isna().all()
    assert "inga händelser" in t.attrs["reason"]
    assert "reason" in concentration([]).attrs


@pytest.mark.parametrize(
    ("counts", "shares"),
    [([1, -1], (0.5,)), ([1, math.nan], (0.5,)), ([1, 2], (0,)), ([1, 2], (1.5,)), ([1], ())],
)
def test_concentration_rejects_bad_input(counts: list, shares: tuple) -> None:
    with pytest.raises(ConfigError):
        concentration(counts, shares=shares)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=40).filter(lambda c: sum(c) > 0),
    st.lists(st.floats(0.01, 1.0), min_size=1, max_size=6),
)
def test_concentration_properties(counts: list[int], shares: list[float]) -> None:
    shares = sorted(shares)
    t = concentration(counts, shares=shares)
    k = t["places"].to_numpy(dtype=int)
    assert (np.diff(k) >= 0).all()  # monotone in the share asked
    assert ((t["place_share"] > 0) & (t["place_share"] <= 1)).all()
    top = sorted(counts, reverse=True)
    total = sum(counts)
    for need, share in zip(k, shares, strict=True):
        # k places are enough, k - 1 are not (brute force, exact integers)
        assert sum(top[:need]) >= share * total * (1 - 1e-12)
        assert sum(top[: need - 1]) < share * total * (1 - 1e-12)
    shuffled = concentration(list(reversed(counts)), shares=shares)
    pd.testing.assert_frame_equal(shuffled, t)


# --- generalised Gini ---------------------------------------------------------------------------


def ordinary_gini(counts: list[float]) -> float:
    """Population Gini as the mean absolute difference over twice the mean."""
    x = np.asarray(counts, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_generalized_gini_hand_cases() -> None:
    # 10 places, 3 events in 3 different places: as spread as 3 events can be
    assert generalized_gini([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]) == 0.0
    # all 3 in one place: G = 0.9 (= 1 - 1/N); G' = 1 - (10/3) * (1 - 0.9) = 2/3 (= 1 - 1/n)
    assert generalized_gini([3] + [0] * 9) == pytest.approx(2 / 3)
    # Bernasco & Steenbeek's package example: 5, 2, 1 and seven zeros; n = 8 < N = 10.
    # G = (9*5 + 7*2 + 5*1) / (10 * 8) = 0.8 by hand; G' = 1 - (10/8) * 0.2 = 0.75
    assert ordinary_gini([5, 2, 1] + [0] * 7) == pytest.approx(0.8)
    assert generalized_gini([5, 2, 1] + [0] * 7) == pytest.approx(0.75)
    # 3, 1, 1 and seven zeros: G = (9*3 + 7 + 5) / 50 = 0.78; G' = 1 - 2 * 0.22 = 0.56
    assert generalized_gini([3, 1, 1] + [0] * 7) == pytest.approx(0.56)
    # n >= N: the ordinary Gini. 10, 8, 2 and seven zeros (20 events, 10 places): G = 0.78
    assert generalized_gini([10, 8, 2] + [0] * 7) == pytest.approx(0.78)
    assert generalized_gini([4, 4, 4]) == 0.0
    assert math.isnan(generalized_gini([0, 0]))
    assert math.isnan(generalized_gini([]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=30).filter(lambda c: sum(c) > 0))
def test_generalized_gini_properties(counts: list[int]) -> None:
    g = generalized_gini(counts)
    n, places = sum(counts), len(counts)
    assert -1e-12 <= g < 1
    assert generalized_gini(sorted(counts)) == pytest.approx(g, abs=1e-12)
    if n >= places:
        assert g == pytest.approx(ordinary_gini(counts), abs=1e-12)
    else:
        assert g == pytest.approx(1 - places / n * (1 - ordinary_gini(counts)), abs=1e-12)
    if max(counts) == 1:  # every event in its own place: maximal equality
        assert g == pytest.approx(0.0, abs=1e-12)


# --- weighted displacement difference -----------------------------------------------------------


PAPER_BEFORE = {"target": 207, "buffer": 178, "control_target": 308, "control_buffer": 150}
PAPER_AFTER = {"target": 110, "buffer": 157, "control_target": 318, "control_buffer": 140}


def test_wdd_paper_example() -> None:
    # Wheeler & Ratcliffe (2018): dT = -97, dCt = +10, dD = -21, dCd = -10
    # WDD = -97 - 10 + (-21) - (-10) = -118; Var = 207+110+308+318+178+157+150+140 = 1568
    # published: Z = -2.98, 95 % interval -196 to -40
    r = weighted_displacement(PAPER_BEFORE, PAPER_AFTER)
    assert (r.wdd, r.local, r.displacement, r.variance) == (-118, -107, -11, 1568)
    assert round(r.z, 2) == -2.98
    assert (round(r.ci_low), round(r.ci_high)) == (-196, -40)
    assert r.p_value == pytest.approx(2 * norm.cdf(-118 / math.sqrt(1568)))
    assert r.code == "decrease"
    assert r.counts.loc["buffer", "change"] == -21


def test_wdd_small_worked_example() -> None:
    before = {"target": 30, "buffer": 12, "control_target": 25, "control_buffer": 10}
    after = {"target": 14, "buffer": 15, "control_target": 24, "control_buffer": 9}
    # dT = -16, dCt = -1, dD = +3, dCd = -1: local = -15, displacement = +4, WDD = -11
    # Var = 30 + 14 + 12 + 15 + 25 + 24 + 10 + 9 = 139; Z = -11 / sqrt(139) = -0.933
    r = weighted_displacement(pd.Series(before), pd.Series(after))
    assert (r.wdd, r.local, r.displacement, r.variance) == (-11, -15, 4, 139)
    assert r.z == pytest.approx(-11 / math.sqrt(139))
    assert r.p_value == pytest.approx(2 * norm.sf(11 / math.sqrt(139)))
    assert r.code == "no_clear_change"
    text = r.statement("sv")
    assert text.startswith("Ingen säker förändring")
    assert "-0,93" in text
    assert "+4" in text


def test_wdd_too_few_rules() -> None:
    # eight counts add up to 18 < 20
    small = weighted_displacement(
        {"target": 6, "buffer": 2, "control_target": 3, "control_buffer": 1},
        {"target": 0, "buffer": 2, "control_target": 3, "control_buffer": 1},
    )
    assert small.variance == 18
    assert small.code == "too_few"
    assert not math.isnan(small.z)  # still reported
    text = small.statement("en")
    assert text.startswith("Too few events")
    assert "18" in text
    # plenty of events overall but only 5 in the target
    thin = weighted_displacement(
        {"target": 5, "buffer": 40, "control_target": 40, "control_buffer": 40},
        {"target": 0, "buffer": 40, "control_target": 40, "control_buffer": 40},
    )
    assert thin.code == "too_few"
    assert "varav 5 i målområdet (minst 6 behövs)" in thin.statement("sv")
    # no events at all, even with the minimums switched off
    none = weighted_displacement(
        dict.fromkeys(WDD_AREAS, 0),
        dict.fromkeys(WDD_AREAS, 0),
        min_events=0,
        min_target_events=0,
    )
    assert none.code == "too_few"
    assert math.isnan(none.z)
    assert json.loads(json.dumps(none.to_dict()))["z"] is None


def test_wdd_increase_statement_and_dict() -> None:
    before = dict.fromkeys(WDD_AREAS, 20)
    after = {"target": 45, "buffer": 20, "control_target": 20, "control_buffer": 20}
    # WDD = 25, Var = 20*7 + 45 = 185, Z = 1.838 -> p = 0.066 (no); use alpha = 0.1 -> increase
    r = weighted_displacement(before, after, alpha=0.1)
    assert r.code == "increase"
    assert "25 fler" in r.statement()
    d = json.loads(json.dumps(r.to_dict("en")))
    assert d["wdd"] == 25
    assert d["variance"] == 185
    assert d["counts"]["target"] == {"before": 20, "after": 45}
    assert d["statement"].startswith("An increase")


@pytest.mark.parametrize(
    ("before", "word"),
    [
        ({"target": 1, "buffer": 1, "control_target": 1}, "keys"),
        ({**PAPER_BEFORE, "extra": 1}, "keys"),
        ({**PAPER_BEFORE, "target": -1}, "target"),
        ({**PAPER_BEFORE, "target": 2.5}, "target"),
        ({**PAPER_BEFORE, "target": True}, "target"),
        ([1, 2, 3, 4], "mapping"),
    ],
)
def test_wdd_rejects_bad_counts(before: object, word: str) -> None:
    with pytest.raises(ConfigError, match=word):
        weighted_displacement(before, PAPER_AFTER)  # type: ignore[arg-type]


def test_wdd_rejects_bad_options() -> None:
    with pytest.raises(ConfigError, match="alpha"):
        weighted_displacement(PAPER_BEFORE, PAPER_AFTER, alpha=2)
    with pytest.raises(ConfigError, match="min_events"):
        weighted_displacement(PAPER_BEFORE, PAPER_AFTER, min_events=-3)


# --- wdd_counts ---------------------------------------------------------------------------------

# target: 100 m square at the origin; buffer: the 300 m square around it (target cut out);
# control 5 km east, with its own buffer
TARGET = box(0, 0, 100, 100)
BUFFER = box(-100, -100, 200, 200)
CONTROL = box(5000, 0, 5100, 100)
CONTROL_BUFFER = box(4900, -100, 5200, 200)
AREAS = {
    "target": TARGET,
    "buffer": BUFFER,
    "control_target": CONTROL,
    "control_buffer": CONTROL_BUFFER,
}


def make_events(rows: list[tuple[str, float, float, str]]) -> gpd.GeoDataFrame:
    times = pd.to_datetime([r[0] for r in rows]).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {"time_from": times, "location_precision": [r[3] for r in rows]},
        geometry=[Point(r[1], r[2]) for r in rows],
        crs="EPSG:3006",
    )


EVENTS = [
    # before the measure (date 2020-06-01, periods 2020-01-01..2020-05-31 / 2020-06-01..)
    ("2020-01-05 12:00", 50, 50, "exact"),  # target
    ("2020-02-05 12:00", 100, 50, "exact"),  # on the target's edge -> target, not buffer
    ("2020-03-05 12:00", 150, 150, "address"),  # buffer
    ("2020-04-05 12:00", 5050, 50, "exact"),  # control target
    ("2020-05-31 23:30", 4950, 150, "exact"),  # control buffer; 21:30 UTC: still May
    ("2020-05-20 12:00", 50, 50, "kommun"),  # kommun centroid: not counted
    # after
    ("2020-06-01 00:30", 50, 60, "exact"),  # target; 2020-05-31 22:30 UTC but June 1 locally
    ("2020-07-01 12:00", 5050, 60, "exact"),  # control target
    ("2020-08-01 12:00", 5050, 70, "exact"),  # control target
    ("2020-09-01 12:00", 3000, 3000, "exact"),  # in no area
    ("2021-01-01 12:00", 50, 50, "exact"),  # target, outside the periods below
]


def test_wdd_counts_by_hand() -> None:
    events = make_events(EVENTS)
    with pytest.warns(GeoTryggWarning, match="1 händelser"):
        counts = wdd_counts(
            events, **AREAS, date="2020-06-01", before=("2020-01-01", "2020-06-01")
        )
    assert counts.index.tolist() == list(WDD_AREAS)
    assert counts["before"].tolist() == [2, 1, 1, 1]
    assert counts["after"].tolist() == [1, 0, 2, 0]
    assert counts.attrs["n_too_coarse"] == 1
    # the period after has the same length as the one before: 152 days from June 1
    assert counts.attrs["periods"]["after"] == {
        "start": "2020-06-01",
        "end": "2020-10-31",
        "label": "2020-06-01–2020-10-30",
    }


def test_wdd_counts_agrees_with_a_point_by_point_count() -> None:
    rng = np.random.default_rng(7)
    n = 400
    x = rng.uniform(-200, 5300, n)
    y = rng.uniform(-200, 300, n)
    day = pd.Timestamp("2020-06-01")
    times = (day + pd.to_timedelta(rng.integers(-150, 150, n), unit="D")).tz_localize(TZ)
    events = gpd.GeoDataFrame({"time_from": times}, geometry=gpd.points_from_xy(x, y), crs=3006)
    counts = wdd_counts(events, **AREAS, date="2020-06-01", before=100)
    expected = {area: [0, 0] for area in WDD_AREAS}
    for point, time in zip(events.geometry, times, strict=True):
        local_day = time.tz_localize(None).normalize()
        if day - pd.Timedelta(days=100) <= local_day < day:
            side = 0
        elif day <= local_day < day + pd.Timedelta(days=100):
            side = 1
        else:
            continue
        for area in WDD_AREAS:  # first area that covers the point
            if AREAS[area].covers(point):
                expected[area][side] += 1
                break
    assert counts["before"].tolist() == [expected[a][0] for a in WDD_AREAS]
    assert counts["after"].tolist() == [expected[a][1] for a in WDD_AREAS]
    # shuffling the rows changes nothing
    shuffled = events.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(
        wdd_counts(shuffled, **AREAS, date="2020-06-01", before=100), counts
    )


def test_wdd_counts_default_periods_are_equal_and_announced() -> None:
    events = make_events(EVENTS[:-1])  # first event 2020-01-05, last 2020-09-01
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counts = wdd_counts(events, **AREAS, date="2020-06-01")
    # 148 days from 2020-01-05 to 2020-06-01; 93 days from June 1 to the end of 2020-09-01
    periods = counts.attrs["periods"]
    assert periods["before"]["start"] == "2020-02-29"
    assert periods["after"]["end"] == "2020-09-02"
    assert any("2020-02-29–2020-05-31" in str(w.message) for w in caught)
    assert counts["before"].tolist() == [0, 1, 1, 1]
    assert counts["after"].tolist() == [1, 0, 2, 0]


def test_wdd_counts_explicit_periods_and_warnings() -> None:
    events = make_events(EVENTS)
    with pytest.warns(GeoTryggWarning, match="1 händelser"):
        counts = wdd_counts(events, **AREAS, before="2020", after="2021")
    assert counts["before"].sum() == 8
    assert counts["after"].tolist() == [1, 0, 0, 0]
    with pytest.warns(GeoTryggWarning, match="29 dagar före, 31 dagar efter"):
        wdd_counts(events, **AREAS, before="2020-02", after="2020-03")
    with pytest.raises(ConfigError, match="overlap"):
        wdd_counts(events, **AREAS, before="2020", after="2020-06")
    with pytest.raises(ConfigError, match="date"):
        wdd_counts(events, **AREAS, before=30)
    with pytest.raises(ConfigError, match="date"):
        wdd_counts(events, **AREAS, date="2030-01-01")


def test_wdd_counts_skips_events_without_time() -> None:
    events = make_events(EVENTS[:2])
    events.loc[0, "time_from"] = pd.NaT
    with pytest.warns(GeoTryggWarning, match="saknar tid"):
        counts = wdd_counts(events, **AREAS, before="2020", after="2021")
    assert counts["before"].tolist() == [1, 0, 0, 0]
    assert counts.attrs["n_no_time"] == 1


def test_wdd_counts_checks_crs_and_layout() -> None:
    events = make_events(EVENTS)
    wgs = gpd.GeoSeries([TARGET], crs="EPSG:3006").to_crs(4326)
    with pytest.raises(CRSMismatchError, match="EPSG:4326"):
        wdd_counts(events, **{**AREAS, "target": wgs}, before="2020", after="2021")
    same = gpd.GeoDataFrame(geometry=[TARGET], crs="EPSG:3006")
    with pytest.warns(GeoTryggWarning, match="1 händelser"):
        counts = wdd_counts(events, **{**AREAS, "target": same}, before="2020", after="2021")
    assert counts.loc["target", "before"] == 3  # January, February and 1 June 00:30
    with pytest.raises(ConfigError, match="outside"):
        wdd_counts(
            events,
            **{**AREAS, "control_target": box(50, 0, 150, 100)},
            before="2020",
            after="2021",
        )
    with pytest.raises(ConfigError, match="inside target"):
        wdd_counts(events, **{**AREAS, "buffer": box(10, 10, 90, 90)}, before="2020", after="2021")
    with pytest.raises(ConfigError, match="polygon"):
        wdd_counts(events, **{**AREAS, "target": Point(0, 0)}, before="2020", after="2021")
    with pytest.raises(ConfigError, match="time_from"):
        wdd_counts(events.drop(columns="time_from"), **AREAS, before="2020", after="2021")
    with pytest.raises(ConfigError, match="GeoDataFrame"):
        wdd_counts(pd.DataFrame(events), **AREAS, before="2020", after="2021")


def test_wdd_on_the_demo_data() -> None:
    from geo_trygg import read_areas, read_events
    from geo_trygg.demo import demo_paths

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        events = read_events(demo_paths()["events"]).accepted
        places = read_areas(demo_paths()["places"]).accepted
    fittja = places[places["name"] == "Fittja centrum"]
    alvsjo = places[places["name"] == "Älvsjö centrum"]
    counts = wdd_counts(
        events,
        target=fittja,
        buffer=fittja.buffer(300),
        control_target=alvsjo,
        control_buffer=alvsjo.buffer(300),
        before=("2024-01-01", "2024-07-01"),
        after=("2024-07-01", "2024-12-30"),
    )
    # independent count: geopandas predicates, area by area in priority order
    in_b = (events["time_from"] >= pd.Timestamp("2024-01-01", tz=TZ)) & (
        events["time_from"] < pd.Timestamp("2024-07-01", tz=TZ)
    )
    taken = pd.Series(False, index=events.index)
    for area, geom in [
        ("target", fittja.union_all()),
        ("buffer", fittja.buffer(300).union_all()),
        ("control_target", alvsjo.union_all()),
        ("control_buffer", alvsjo.buffer(300).union_all()),
    ]:
        hit = events.geometry.covered_by(geom) & ~taken
        taken |= hit
        assert counts.loc[area, "before"] == int((hit & in_b).sum())
    assert counts.to_numpy().sum() > 0
    result = weighted_displacement(counts["before"], counts["after"])
    assert result.variance == counts.to_numpy().sum()
