"""Esri-style emerging hot spot analysis and the Mann–Kendall test (hotspots/_emerging.py).

Series are strings, one character per period, oldest first: ``H`` a significant hot spot
(z = 3, p = 0.001), ``C`` a significant cold spot (z = -3, p = 0.001), ``.`` not significant
(z = 0.3, p = 0.6). Where the trend matters the z-scores are given explicitly. Expected patterns
are worked out by hand from Esri's definitions (module docstring of _emerging.py).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau, norm

from geo_trygg import settings as gt_settings
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg.hotspots._emerging import (
    EMERGING_PATTERNS,
    emerging_hotspot_series,
    mann_kendall,
)
from geo_trygg.labels import with_words

_Z = {"H": 3.0, "C": -3.0, ".": 0.3}
_P = {"H": 0.001, "C": 0.001, ".": 0.6}
RISING = list(np.linspace(2.5, 7.0, 10))  # strictly increasing: S = 45, p < 0.001


def _zp(*series: str) -> tuple[np.ndarray, np.ndarray]:
    z = np.array([[_Z[c] for c in s] for s in series])
    p = np.array([[_P[c] for c in s] for s in series])
    return z, p


def _patterns(z: object, p: object, **kwargs: object) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return emerging_hotspot_series(z, p, **kwargs)["pattern"].tolist()


def _of(*series: str, **kwargs: object) -> list[str]:
    return _patterns(*_zp(*series), **kwargs)


# --- the Mann–Kendall test against independent computations -----------------------------------


def _brute_s(x: list[float]) -> int:
    return sum(int(np.sign(b - a)) for a, b in combinations(x, 2))


def _textbook_var(x: list[float]) -> float:
    n = len(x)
    ties = sum(t * (t - 1) * (2 * t + 5) for t in Counter(x).values())
    return (n * (n - 1) * (2 * n + 5) - ties) / 18


def test_mann_kendall_worked_by_hand() -> None:
    # 1, 3, 2, 4: pairs (1,3) (1,2) (1,4) (3,4) (2,4) rise, (3,2) falls: S = 5 - 1 = 4
    # Var = 4*3*13/18 = 26/3; Z = (4 - 1)/sqrt(26/3) = 1.01905; p = erfc(Z/sqrt 2)
    mk = mann_kendall([1.0, 3.0, 2.0, 4.0]).iloc[0]
    assert mk["s"] == 4
    assert mk["var_s"] == pytest.approx(26 / 3)
    assert mk["z"] == pytest.approx(3 / math.sqrt(26 / 3))
    assert mk["p"] == pytest.approx(math.erfc(3 / math.sqrt(26 / 3) / math.sqrt(2)))
    assert mk["p"] == pytest.approx(0.30818, abs=1e-5)
    assert mk["tau"] == pytest.approx(4 / 6)


def test_mann_kendall_with_ties_worked_by_hand() -> None:
    # 1, 2, 2, 3, 1: rising pairs (1,2)(1,2)(1,3)(2,3)(2,3) = 5; falling (2,1)(2,1)(3,1) = 3;
    # S = 2. Ties: two 1s and two 2s: 2 * (2*1*9) = 36; Var = (5*4*15 - 36)/18 = 264/18.
    # Z = (2 - 1)/sqrt(264/18); tau-b = 2 / sqrt(10 * (10 - 2))
    mk = mann_kendall([1.0, 2.0, 2.0, 3.0, 1.0]).iloc[0]
    assert mk["s"] == 2
    assert mk["var_s"] == pytest.approx(264 / 18)
    assert mk["z"] == pytest.approx(1 / math.sqrt(264 / 18))
    assert mk["tau"] == pytest.approx(2 / math.sqrt(80))
    # falling series: continuity correction towards zero
    mk = mann_kendall([4.0, 3.0, 2.0, 1.0]).iloc[0]
    assert mk["s"] == -6
    assert mk["z"] == pytest.approx(-5 / math.sqrt(26 / 3))


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.integers(min_value=-4, max_value=4), min_size=3, max_size=30),
    scale=st.floats(min_value=0.1, max_value=5),
)
def test_mann_kendall_against_brute_force_and_scipy(values: list[int], scale: float) -> None:
    x = [v * scale for v in values]  # small integers: many ties
    mk = mann_kendall(x).iloc[0]
    s = _brute_s(x)
    var = _textbook_var(x)
    assert mk["s"] == s
    assert mk["var_s"] == pytest.approx(var)
    assert mk["n"] == len(x)
    if len(set(x)) == 1:
        assert np.isnan(mk["z"])
        assert np.isnan(mk["p"])
        assert np.isnan(mk["tau"])
        return
    # tau-b of the series against time (no ties in time) is scipy's kendalltau
    tau = kendalltau(np.arange(len(x)), x).statistic
    assert mk["tau"] == pytest.approx(tau, abs=1e-12)
    # scipy's asymptotic test has no continuity correction: |S| / sqrt(Var) with the same
    # tie-corrected variance
    scipy_p = kendalltau(np.arange(len(x)), x, method="asymptotic").pvalue
    if s != 0:
        assert abs(s) / math.sqrt(var) == pytest.approx(norm.isf(scipy_p / 2), rel=1e-6)
    expected_z = 0.0 if s == 0 else (s - np.sign(s)) / math.sqrt(var)
    assert mk["z"] == pytest.approx(expected_z)
    assert mk["p"] == pytest.approx(2 * norm.sf(abs(expected_z)))


def test_mann_kendall_leaves_out_missing_values() -> None:
    x = np.array([2.0, np.nan, 1.0, 5.0, np.nan, 3.0, 4.0])
    mk = mann_kendall(x).iloc[0]
    kept = [2.0, 1.0, 5.0, 3.0, 4.0]
    assert mk["n"] == 5
    assert mk["s"] == _brute_s(kept)
    assert mk["var_s"] == pytest.approx(_textbook_var(kept))


def test_mann_kendall_rows_and_index() -> None:
    frame = pd.DataFrame([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [1.0, 1.0, 1.0]], index=list("xyz"))
    mk = mann_kendall(frame)
    assert mk.index.tolist() == ["x", "y", "z"]
    assert mk["s"].tolist() == [3, -3, 0]
    assert np.isnan(mk.loc["z", "p"])
    one = mann_kendall([5.0, np.nan])
    assert one["n"].tolist() == [1]
    assert np.isnan(one["z"].iloc[0])


def test_mann_kendall_bad_input() -> None:
    with pytest.raises(ConfigError, match="values"):
        mann_kendall([["a", "b"]])
    with pytest.raises(ConfigError, match="values"):
        mann_kendall(np.zeros((2, 2, 2)))
    with pytest.raises(ConfigError, match="values"):
        mann_kendall([1.0, np.inf])


# --- every pattern on a hand-built series -------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        # hot only in the final period
        (".........H", "new_hotspot"),
        # an unbroken final run of 4 hot periods, never hot before, 40 % < 90 %
        ("......HHHH", "consecutive_hotspot"),
        # hot before the final run, never cold, final hot, 40 % hot
        ("H..H....HH", "sporadic_hotspot"),
        # hot before the final run and cold in an earlier period
        ("H.C.....HH", "oscillating_hotspot"),
        # 9 of 10 hot (at least 90 %), the final period not hot
        ("HHHHHHHHH.", "historical_hotspot"),
        (".........C", "new_coldspot"),
        ("......CCCC", "consecutive_coldspot"),
        ("C..C....CC", "sporadic_coldspot"),
        ("C.H.....CC", "oscillating_coldspot"),
        ("CCCCCCCCC.", "historical_coldspot"),
        # final period not significant and under 90 % hot
        ("H...H.....", "no_pattern"),
        ("..........", "no_pattern"),
    ],
)
def test_patterns_without_a_trend(series: str, expected: str) -> None:
    assert _of(series) == [expected]


def test_intensifying_persistent_and_diminishing() -> None:
    flat = [4.0, 3.0, 5.0, 3.0, 4.0, 5.0, 3.0, 4.0, 5.0, 4.0]  # no trend
    assert kendalltau(np.arange(10), flat).pvalue > 0.3
    z = np.array([RISING, flat, RISING[::-1]])
    p = np.full(z.shape, 0.001)
    assert _patterns(z, p) == ["intensifying_hotspot", "persistent_hotspot", "diminishing_hotspot"]
    # cold: z falling (more negative) is intensifying, z rising diminishing
    cold = -z
    assert _patterns(cold, p) == [
        "intensifying_coldspot",
        "persistent_coldspot",
        "diminishing_coldspot",
    ]


def test_every_pattern_code_is_reached() -> None:
    series = [
        ".........H",
        "......HHHH",
        "H..H....HH",
        "H.C.....HH",
        "HHHHHHHHH.",
        "..........",
    ]
    z, p = _zp(*series)
    flat = [4.0, 3.0, 5.0, 3.0, 4.0, 5.0, 3.0, 4.0, 5.0, 4.0]
    z = np.vstack([z, -z[:5], [RISING, flat, RISING[::-1]], -np.array([RISING, flat])])
    z = np.vstack([z, -np.array([RISING[::-1]])])
    p = np.vstack([p, p[:5], np.full((6, 10), 0.001)])
    assert sorted(_patterns(z, p)) == sorted(EMERGING_PATTERNS)


# --- boundaries and choices --------------------------------------------------------------------


def test_exactly_ninety_percent_is_the_persistent_family() -> None:
    # 9 of 10 hot, final hot, z 0.3 then nine 3s: S = 9, ties t = 9:
    # Var = (10*9*25 - 9*8*23)/18 = 33, Z = 8/sqrt(33) = 1.39 -> p = 0.16: no trend
    assert _of(".HHHHHHHHH") == ["persistent_hotspot"]
    # 8 of 9 (88.9 %) is under 90 %: all hot periods form the final run -> consecutive
    assert _of(".HHHHHHHH") == ["consecutive_hotspot"]
    # 18 of 20 is exactly 90 % (the gap in the middle gives S = 18 - 18 = 0: no trend);
    # 17 of 20 is not: hot before the final run, never cold -> sporadic
    assert _of("H" * 9 + ".." + "H" * 9) == ["persistent_hotspot"]
    assert _of("H" * 8 + "..." + "H" * 9) == ["sporadic_hotspot"]
    # historical at exactly 90 % (18 of 20, final not hot) but not at 85 %
    assert _of("H" * 18 + "..") == ["historical_hotspot"]
    assert _of("H" * 17 + "...") == ["no_pattern"]


def test_consecutive_needs_a_run_of_two_and_new_exactly_one() -> None:
    assert _of("........HH") == ["consecutive_hotspot"]
    assert _of("........H.") == ["no_pattern"]
    # a gap before the final run: hot before the run -> sporadic, not consecutive
    assert _of(".....H.HHH") == ["sporadic_hotspot"]


def test_earlier_cold_periods_do_not_stop_new_or_consecutive() -> None:
    # Esri's table order: new and consecutive are checked before oscillating
    assert _of("C........H", "CC.....HHH") == ["new_hotspot", "consecutive_hotspot"]


def test_historical_ignores_the_trend_and_persistent_needs_the_final_period() -> None:
    # hot in the first 9 periods with z falling, final period not significant: historical
    z = np.array([[*RISING[::-1][:9], 0.3]])
    p = np.array([[0.001] * 9 + [0.6]])
    assert _patterns(z, p) == ["historical_hotspot"]


def test_final_period_pattern_wins_over_historical_of_the_other_sign() -> None:
    # 9 hot then a cold final period: new cold spot, not historical hot spot
    assert _of("HHHHHHHHHC") == ["new_coldspot"]
    # 18 hot then 2 cold: consecutive cold spot
    assert _of("H" * 18 + "CC") == ["consecutive_coldspot"]


def test_trend_alpha_decides_intensifying() -> None:
    z = [3.0, 3.4, 3.2, 3.1, 3.6, 3.5, 3.3, 3.8, 3.7, 3.9]
    s = _brute_s(z)
    trend_p = math.erfc((s - 1) / math.sqrt(10 * 9 * 25 / 18) / math.sqrt(2))
    assert s == 29
    assert 0.01 < trend_p < 0.05
    p = [[0.001] * 10]
    assert _patterns([z], p) == ["intensifying_hotspot"]
    assert _patterns([z], p, trend_alpha=0.01) == ["persistent_hotspot"]
    out = emerging_hotspot_series([z], p)
    assert out["trend_p"].iloc[0] == pytest.approx(trend_p)
    assert out.attrs["parameters"]["trend_alpha"] == 0.05


def test_missing_values_are_not_significant_and_left_out_of_the_trend() -> None:
    z = np.array([[*RISING[:5], np.nan, *RISING[5:9]]])
    p = np.array([[0.001] * 10])
    out = emerging_hotspot_series(z, p)
    # 9 of 10 hot: at least 90 %; final hot; trend on the 9 z-scores: S = 36
    assert out["n_hot"].tolist() == [9]
    assert out["trend_s"].tolist() == [36]
    assert out["pattern"].tolist() == ["intensifying_hotspot"]
    # a missing p-value: not significant
    z2, p2 = _zp("HHHHHHHHHH")
    p2[0, 3] = np.nan
    assert emerging_hotspot_series(z2, p2)["n_hot"].tolist() == [9]


def test_too_few_periods_for_a_trend_warns() -> None:
    # 4 periods: the strongest trend S = 6 has Z = 5/sqrt(26/3) = 1.70, p = 0.089 > 0.05
    z, p = _zp("HHHH")
    with pytest.warns(GeoTryggWarning, match="Mann"):
        out = emerging_hotspot_series(z, p)
    assert out["pattern"].tolist() == ["persistent_hotspot"]
    # 5 periods: S = 10, Z = 9/sqrt(50/3) = 2.20, p = 0.028 <= 0.05: no warning
    z, p = _zp("HHHHH")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        emerging_hotspot_series(z, p)
    # ... but at trend_alpha 0.01 it cannot reach significance
    with pytest.warns(GeoTryggWarning):
        emerging_hotspot_series(z, p, trend_alpha=0.01)


# --- output ---------------------------------------------------------------------------------


def test_columns_labels_and_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    z, p = _zp(".........H", "......CCCC", "..........")
    index = pd.Index([10, 20, 30], name="cell_id")
    monkeypatch.setattr(gt_settings, "lang", "sv")
    out = emerging_hotspot_series(pd.DataFrame(z, index=index), p)
    assert out.index.equals(index)
    assert list(out.columns) == [
        "pattern",
        "n_hot",
        "n_cold",
        "trend_s",
        "trend_tau",
        "trend_z",
        "trend_p",
    ]
    # the words come from geo_trygg.labels, right after the codes
    worded = with_words(out)
    assert list(worded.columns[:2]) == ["pattern", "pattern_label"]
    assert worded["pattern_label"].tolist() == [
        "ny brännpunkt",
        "kall punkt i följd",
        "inget mönster",
    ]
    en = with_words(out, lang="en")["pattern_label"].tolist()
    assert en == ["new hot spot", "consecutive cold spot", "no pattern detected"]
    with pytest.raises(TypeError, match="lang"):
        emerging_hotspot_series(z, p, lang="en")  # type: ignore[call-arg]
    assert out["n_cold"].tolist() == [0, 4, 0]
    params = out.attrs["parameters"]
    assert list(params) == sorted(params)
    assert params["alpha"] == 0.05
    assert params["trend_alpha"] == 0.05
    assert params["n_periods"] == 10


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1.2}, "alpha"),
        ({"alpha": None}, "alpha"),
        ({"trend_alpha": 0}, "trend_alpha"),
        ({"trend_alpha": 1}, "trend_alpha"),
        ({"trend_alpha": "0.05"}, "trend_alpha"),
    ],
)
def test_bad_options_name_the_argument(kwargs: dict[str, object], name: str) -> None:
    z, p = _zp("HHHHH")
    with pytest.raises(ConfigError, match=name):
        emerging_hotspot_series(z, p, **kwargs)


@pytest.mark.parametrize(
    ("z", "p", "name"),
    [
        (np.zeros(5), np.ones(5), "z"),
        (np.zeros((2, 5)), np.ones((3, 5)), "p"),
        (np.zeros((2, 1)), np.ones((2, 1)), "z"),
        (np.zeros((2, 3)), np.full((2, 3), 2.0), "p"),
        (np.full((2, 3), -np.inf), np.ones((2, 3)), "z"),
    ],
)
def test_bad_inputs_name_the_argument(z: object, p: object, name: str) -> None:
    with pytest.raises(ConfigError, match=rf"\b{name}\b"):
        emerging_hotspot_series(z, p)


# --- properties -------------------------------------------------------------------------------


def _reference(z: list[float], p: list[float], alpha: float = 0.05) -> str:
    """Esri's definitions for one series, written plainly, with a brute-force trend."""
    n = len(z)
    hot = [pi <= alpha and zi > 0 for zi, pi in zip(z, p, strict=True)]
    cold = [pi <= alpha and zi < 0 for zi, pi in zip(z, p, strict=True)]
    s = _brute_s(z)
    var = _textbook_var(z)
    trend_p = 1.0 if var == 0 else 2 * norm.sf(abs(s - np.sign(s)) / math.sqrt(var))
    up, down = trend_p <= alpha and s > 0, trend_p <= alpha and s < 0

    def family(flags: list[bool], other: list[bool], stronger: bool, weaker: bool) -> str:
        count = sum(flags)
        run = 0
        for flag in reversed(flags):
            if not flag:
                break
            run += 1
        if count >= 0.9 * n - 1e-9:
            return "intensifying" if stronger else "diminishing" if weaker else "persistent"
        if count == 1:
            return "new"
        if count == run:
            return "consecutive"
        return "oscillating" if any(other) else "sporadic"

    if hot[-1]:
        return family(hot, cold, up, down) + "_hotspot"
    if cold[-1]:
        return family(cold, hot, down, up) + "_coldspot"
    if sum(hot) >= 0.9 * n - 1e-9:
        return "historical_hotspot"
    if sum(cold) >= 0.9 * n - 1e-9:
        return "historical_coldspot"
    return "no_pattern"


_matrix = st.integers(min_value=2, max_value=15).flatmap(
    lambda n: st.lists(
        st.lists(
            st.tuples(
                st.sampled_from([-4.0, -3.0, -2.0, -0.5, 0.5, 2.0, 3.0, 4.0, 5.0]),
                st.sampled_from([0.001, 0.04, 0.5]),
            ),
            min_size=n,
            max_size=n,
        ),
        min_size=1,
        max_size=10,
    )
)


@settings(max_examples=150, deadline=None)
@given(rows=_matrix)
def test_matches_a_row_by_row_reference(rows: list[list[tuple[float, float]]]) -> None:
    z = np.array([[zi for zi, _ in row] for row in rows])
    p = np.array([[pi for _, pi in row] for row in rows])
    expected = [_reference(list(zr), list(pr)) for zr, pr in zip(z, p, strict=True)]
    assert _patterns(z, p) == expected


def _swap(code: str) -> str:
    if code.endswith("_hotspot"):
        return code.replace("_hotspot", "_coldspot")
    return code.replace("_coldspot", "_hotspot")


@settings(max_examples=100, deadline=None)
@given(rows=_matrix)
def test_flipping_every_z_swaps_hot_and_cold_patterns(
    rows: list[list[tuple[float, float]]],
) -> None:
    z = np.array([[zi for zi, _ in row] for row in rows])
    p = np.array([[pi for _, pi in row] for row in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        before = emerging_hotspot_series(z, p)
        after = emerging_hotspot_series(-z, p)
    assert after["pattern"].tolist() == [_swap(c) for c in before["pattern"]]
    assert after["n_hot"].tolist() == before["n_cold"].tolist()
    np.testing.assert_array_equal(after["trend_s"], -before["trend_s"])
    np.testing.assert_allclose(after["trend_p"], before["trend_p"])


@settings(max_examples=50, deadline=None)
@given(
    labels=st.lists(st.integers(), min_size=1, max_size=8, unique=True),
    n=st.integers(min_value=2, max_value=12),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_output_index_equals_input_index(labels: list[int], n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = pd.Index(labels, name="cell")
    z = pd.DataFrame(rng.normal(size=(len(labels), n)), index=index)
    p = pd.DataFrame(rng.uniform(size=(len(labels), n)), index=index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        out = emerging_hotspot_series(z, p)
    assert out.index.equals(index)
    assert set(out["pattern"]) <= set(EMERGING_PATTERNS)
