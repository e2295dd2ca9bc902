"""sfhotspot's hotspot_classify rule over a series of periods (hotspots/_classify.py).

Series are written as strings, one character per period, oldest first: ``H`` a significant hot
spot (z = 3, p = 0.001), ``C`` a significant cold spot (z = -3, p = 0.001), ``.`` not
significant (z = 0.3, p = 0.6), ``N`` missing (z = NaN, p = 0.001). Expected classes are worked
out by hand from sfhotspot's rule in each test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import settings as gt_settings
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg.hotspots._classify import (
    SERIES_CLASSES,
    classify_hotspot_series,
    recent_period_count,
)
from geo_trygg.labels import with_words

_Z = {"H": 3.0, "C": -3.0, ".": 0.3, "N": np.nan}
_P = {"H": 0.001, "C": 0.001, ".": 0.6, "N": 0.001}


def _zp(*series: str) -> tuple[np.ndarray, np.ndarray]:
    z = np.array([[_Z[c] for c in s] for s in series])
    p = np.array([[_P[c] for c in s] for s in series])
    return z, p


def _classes(*series: str, **kwargs: object) -> list[str]:
    z, p = _zp(*series)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return classify_hotspot_series(z, p, **kwargs)["hotspot_class"].tolist()


# --- every class on hand-built series (10 periods: the last 2 are recent) ----------------------


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        # 8 of 10 hot = 0.8 >= persistent_prop 0.8
        ("HHHHHHHH..", "persistent_hotspot"),
        # none of the 8 older, 1 of the 2 recent: older 0 < 0.1, recent 0.5 >= 0.1
        ("........H.", "emerging_hotspot"),
        # 1 of the 8 older (0.125 >= 0.1), none recent
        ("H.........", "former_hotspot"),
        # older 1/8 and recent 1/2 both >= 0.1: neither emerging nor former; overall 0.2
        ("H.......H.", "intermittent_hotspot"),
        ("CCCCCCCC..", "persistent_coldspot"),
        ("........C.", "emerging_coldspot"),
        ("C.........", "former_coldspot"),
        ("C.......C.", "intermittent_coldspot"),
        # former hot spot and emerging cold spot at once
        ("H.......C.", "mixed_hotspot_coldspot"),
        ("..........", "no_pattern"),
    ],
)
def test_every_class_on_a_hand_built_series(series: str, expected: str) -> None:
    assert _classes(series) == [expected]


def test_every_class_code_is_reached_by_the_cases_above() -> None:
    series = [
        "HHHHHHHH..",
        "........H.",
        "H.........",
        "H.......H.",
        "CCCCCCCC..",
        "........C.",
        "C.........",
        "C.......C.",
        "H.......C.",
        "..........",
    ]
    assert sorted(_classes(*series)) == sorted(SERIES_CLASSES)


def test_rule_order_persistent_before_emerging_and_former() -> None:
    # all 10 hot: persistent (also intermittent); 9 hot with the last not hot: 0.9 >= 0.8 is
    # persistent although the recent share (1/2) and the older share (1) would not be former
    assert _classes("HHHHHHHHHH", "HHHHHHHHH.") == ["persistent_hotspot"] * 2
    # 2 hot in the older periods only and persistent_prop high: former, not intermittent
    assert _classes("HH........") == ["former_hotspot"]


# --- boundaries of the proportions ------------------------------------------------------------


def test_exactly_at_persistent_prop_is_persistent_and_just_below_is_not() -> None:
    # 8/10 = 0.8 (persistent); 7/10 = 0.7: older 7/8 >= 0.1 and recent 0 < 0.1 -> former
    assert _classes("HHHHHHHH..", "HHHHHHH...") == ["persistent_hotspot", "former_hotspot"]
    # persistent_prop = 1 is allowed: all periods. 9 of 10 is then not persistent; older
    # 8/8 and recent 1/2 ("H.") both >= 0.1 -> intermittent
    assert _classes("HHHHHHHHHH", "HHHHHHHHH.", persistent_prop=1) == [
        "persistent_hotspot",
        "intermittent_hotspot",
    ]


def test_exactly_at_hotspot_prop_in_the_older_periods() -> None:
    # 20 periods, 4 recent, 16 older. Two older hot periods: 2/16 = 0.125 exactly
    two = "H" * 2 + "." * 18
    assert _classes(two, hotspot_prop=0.125) == ["former_hotspot"]
    # one older hot period: 1/16 < 0.125, and 1/20 overall < 0.125 -> nothing
    one = "H" + "." * 19
    assert _classes(one, hotspot_prop=0.125) == ["no_pattern"]


def test_exactly_at_hotspot_prop_in_the_recent_periods() -> None:
    # 20 periods, the last 4 recent; one recent hot period: 1/4 = 0.25 exactly
    series = "." * 19 + "H"
    assert _classes(series, hotspot_prop=0.25) == ["emerging_hotspot"]
    assert _classes(series, hotspot_prop=0.26) == ["no_pattern"]


def test_recent_periods_are_rounded_down() -> None:
    # 14 periods: 0.2 * 14 = 2.8 -> 2 recent (rounding to nearest would give 3)
    assert recent_period_count(14, 0.2) == 2
    third_last = "." * 11 + "H" + ".."
    # with 2 recent periods the hot period is older: 1/12 < 0.1, recent 0, overall 1/14 < 0.1
    assert _classes(third_last) == ["no_pattern"]
    # 12 periods: 2.4 -> 2; the second to last is recent
    assert _classes("." * 10 + "H.") == ["emerging_hotspot"]


def test_recent_period_count_follows_floating_point_floor_like_r() -> None:
    # as in R: floor(0.29 * 100) == 28 because 0.29 * 100 is 28.999999999999996
    assert recent_period_count(100, 0.29) == 28
    assert recent_period_count(10, 0.25) == 2
    assert recent_period_count(10, 0.5) == 5


def test_zero_recent_periods_warns_and_uses_the_final_period() -> None:
    # 4 periods: 0.2 * 4 = 0.8 -> 0 -> the final period alone is recent
    z, p = _zp("...H", "..H.")
    with pytest.warns(GeoTryggWarning, match="recent_prop=0.2"):
        out = classify_hotspot_series(z, p)
    # older 0/3, recent 1/1 -> emerging; older 1/3 >= 0.1, recent 0 -> former
    assert out["hotspot_class"].tolist() == ["emerging_hotspot", "former_hotspot"]
    assert out.attrs["parameters"]["recent_periods"] == 1


def test_no_warning_when_there_are_recent_periods() -> None:
    z, p = _zp("....H")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        classify_hotspot_series(z, p)  # 0.2 * 5 = 1


# --- sfhotspot's code versus its documentation ---------------------------------------------------


def test_sfhotspot_code_counts_one_more_recent_period() -> None:
    # hot in the third-to-last of 10 periods. Documented: recent = last 2 (0 hot), older =
    # first 8 (1/8 >= 0.1) -> former. Code: recent = last 3 / 2 = 0.5 and older = first 8 =
    # 0.125 -> neither emerging nor former -> intermittent (1/10 >= 0.1)
    series = ".......H.."
    assert _classes(series) == ["former_hotspot"]
    assert _classes(series, rule="sfhotspot_code") == ["intermittent_hotspot"]
    z, p = _zp(series)
    out = classify_hotspot_series(z, p, rule="sfhotspot_code")
    assert out[["n_hot_recent", "n_hot_older"]].iloc[0].tolist() == [1, 1]


def test_sfhotspot_code_compares_emerging_with_recent_prop() -> None:
    # 50 periods, 10 recent; one hot in the last. Documented: recent 1/10 >= hotspot_prop 0.1
    # -> emerging. Code: window of 11 / 10 = 0.1 < recent_prop 0.2 -> not emerging; overall
    # 1/50 < 0.1 -> no pattern
    series = "." * 49 + "H"
    assert _classes(series) == ["emerging_hotspot"]
    assert _classes(series, rule="sfhotspot_code") == ["no_pattern"]


def test_sfhotspot_code_uses_a_strict_p_threshold() -> None:
    z = np.array([[0.3] * 9 + [2.0]])
    p = np.array([[0.6] * 9 + [0.05]])
    assert classify_hotspot_series(z, p)["hotspot_class"].tolist() == ["emerging_hotspot"]
    out = classify_hotspot_series(z, p, rule="sfhotspot_code")
    assert out["hotspot_class"].tolist() == ["no_pattern"]


# --- missing values, counts, labels, index -----------------------------------------------------


def test_missing_periods_are_not_significant_but_stay_in_the_denominator() -> None:
    # 7 hot, 1 missing, 2 not: 7/10 = 0.7 < 0.75 (7/9 would be 0.78) -> not persistent;
    # older 7/8 >= 0.1, recent 0 -> former
    assert _classes("HHHHHHHN..", persistent_prop=0.75) == ["former_hotspot"]
    # a p-value that is missing counts as not significant too
    z, p = _zp("HHHHHHHH..")
    p[0, 0] = np.nan
    out = classify_hotspot_series(z, p)
    assert out["n_hot"].tolist() == [7]
    assert out["hotspot_class"].tolist() == ["former_hotspot"]


def test_counts_overall_recent_and_older() -> None:
    z, p = _zp("HC.HC...HC", "CCCCCCCCC.")
    out = classify_hotspot_series(z, p)
    assert out["n_hot"].tolist() == [3, 0]
    assert out["n_cold"].tolist() == [3, 9]
    assert out["n_hot_recent"].tolist() == [1, 0]
    assert out["n_cold_recent"].tolist() == [1, 1]
    assert out["n_hot_older"].tolist() == [2, 0]
    assert out["n_cold_older"].tolist() == [2, 8]


def test_codes_in_the_result_words_through_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    z, p = _zp("HHHHHHHH..", "........C.", "..........")
    out = classify_hotspot_series(z, p)
    assert "hotspot_class_label" not in out.columns
    monkeypatch.setattr(gt_settings, "lang", "sv")
    sv = with_words(out)["hotspot_class_label"].tolist()
    assert sv == ["ihållande brännpunkt", "framväxande kall punkt", "inget mönster"]
    en = with_words(out, lang="en")["hotspot_class_label"].tolist()
    assert en == ["persistent hot spot", "emerging cold spot", "no pattern"]
    monkeypatch.setattr(gt_settings, "lang", "en")
    assert with_words(out)["hotspot_class_label"].tolist() == en
    with pytest.raises(TypeError, match="lang"):
        classify_hotspot_series(z, p, lang="en")  # type: ignore[call-arg]


def test_dataframe_index_is_kept_and_parameters_recorded() -> None:
    z, p = _zp("HHHHHHHH..", "..........")
    index = pd.Index(["cell_b", "cell_a"], name="cell")
    zf = pd.DataFrame(z, index=index)
    pf = pd.DataFrame(p, index=index)
    out = classify_hotspot_series(zf, pf)
    assert out.index.equals(index)
    assert out.loc["cell_b", "hotspot_class"] == "persistent_hotspot"
    # a DataFrame z with a plain p (and the reverse) keeps the DataFrame's index
    assert classify_hotspot_series(zf, p).index.equals(index)
    assert classify_hotspot_series(z, pf).index.equals(index)
    params = out.attrs["parameters"]
    assert list(params) == sorted(params)
    assert params["n_periods"] == 10
    assert params["recent_periods"] == 2
    assert params["hotspot_prop"] == 0.1
    assert params["persistent_prop"] == 0.8
    assert params["recent_prop"] == 0.2
    assert params["rule"] == "documented"


def test_no_cells_gives_an_empty_table() -> None:
    out = classify_hotspot_series(np.empty((0, 5)), np.empty((0, 5)))
    assert len(out) == 0
    assert "hotspot_class" in out.columns


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1}, "alpha"),
        ({"alpha": True}, "alpha"),
        ({"alpha": "0.05"}, "alpha"),
        ({"hotspot_prop": 0}, "hotspot_prop"),
        ({"hotspot_prop": 1.5}, "hotspot_prop"),
        ({"persistent_prop": -0.1}, "persistent_prop"),
        ({"persistent_prop": float("nan")}, "persistent_prop"),
        ({"recent_prop": 1}, "recent_prop"),
        ({"recent_prop": 0}, "recent_prop"),
        ({"rule": "code"}, "rule"),
    ],
)
def test_bad_options_name_the_argument(kwargs: dict[str, object], name: str) -> None:
    z, p = _zp("HHHH")
    with pytest.raises(ConfigError, match=name):
        classify_hotspot_series(z, p, **kwargs)


@pytest.mark.parametrize(
    ("z", "p", "name"),
    [
        (np.zeros(5), np.ones(5), "z"),  # one-dimensional
        (np.zeros((2, 5)), np.ones((2, 4)), "p"),  # shapes differ
        (np.zeros((2, 1)), np.ones((2, 1)), "z"),  # one period
        (np.zeros((2, 3)), np.full((2, 3), 1.5), "p"),  # p > 1
        (np.zeros((2, 3)), np.full((2, 3), -0.1), "p"),  # p < 0
        (np.full((2, 3), np.inf), np.ones((2, 3)), "z"),  # infinite z
        ([["a", "b"], ["c", "d"]], np.ones((2, 2)), "z"),  # not numbers
        (np.zeros((2, 3)), [["a"] * 3] * 2, "p"),
    ],
)
def test_bad_inputs_name_the_argument(z: object, p: object, name: str) -> None:
    with pytest.raises(ConfigError, match=rf"\b{name}\b"):
        classify_hotspot_series(z, p)


def test_dataframes_with_different_index_or_columns_are_refused() -> None:
    z = pd.DataFrame(np.zeros((2, 3)), index=["a", "b"])
    with pytest.raises(ConfigError, match="index"):
        classify_hotspot_series(z, pd.DataFrame(np.ones((2, 3)), index=["a", "c"]))
    with pytest.raises(ConfigError, match="columns"):
        classify_hotspot_series(
            z, pd.DataFrame(np.ones((2, 3)), index=["a", "b"], columns=[2, 1, 0])
        )


# --- properties: a second, row-by-row implementation; symmetry; index --------------------------


def _reference(series: str, rule: str = "documented") -> str:
    """sfhotspot's rule for one series, written plainly from its documentation and source."""
    n = len(series)
    k = max(1, math.floor(0.2 * n))
    found = {}
    for sign in "HC":
        flags = [c == sign for c in series]
        if rule == "documented":
            recent = sum(flags[n - k :]) / k
            emerging_at = 0.1
        else:
            recent = sum(flags[n - k - 1 :]) / k
            emerging_at = 0.2
        older = sum(flags[: n - k]) / (n - k)
        overall = sum(flags) / n
        kind = "hotspot" if sign == "H" else "coldspot"
        if overall >= 0.8:
            found[sign] = f"persistent_{kind}"
        elif older < 0.1 and recent >= emerging_at:
            found[sign] = f"emerging_{kind}"
        elif older >= 0.1 and recent < 0.1:
            found[sign] = f"former_{kind}"
        elif overall >= 0.1:
            found[sign] = f"intermittent_{kind}"
    if len(found) == 2:
        return "mixed_hotspot_coldspot"
    return next(iter(found.values()), "no_pattern")


_series = st.integers(min_value=2, max_value=60).flatmap(
    lambda n: st.lists(st.text(alphabet="HC.N", min_size=n, max_size=n), min_size=1, max_size=12)
)


@settings(max_examples=150, deadline=None)
@given(rows=_series, rule=st.sampled_from(["documented", "sfhotspot_code"]))
def test_matches_a_row_by_row_reference(rows: list[str], rule: str) -> None:
    assert _classes(*rows, rule=rule) == [_reference(r, rule) for r in rows]


_SWAP = {
    "persistent_hotspot": "persistent_coldspot",
    "emerging_hotspot": "emerging_coldspot",
    "former_hotspot": "former_coldspot",
    "intermittent_hotspot": "intermittent_coldspot",
}
_SWAP |= {v: k for k, v in _SWAP.items()}


@settings(max_examples=100, deadline=None)
@given(
    rows=_series,
    rule=st.sampled_from(["documented", "sfhotspot_code"]),
    data=st.data(),
)
def test_flipping_every_z_swaps_hot_and_cold_classes(
    rows: list[str], rule: str, data: st.DataObject
) -> None:
    z, p = _zp(*rows)
    # vary the magnitudes so the property does not hinge on the fixed values
    scale = data.draw(st.floats(min_value=0.1, max_value=10))
    z = z * scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        before = classify_hotspot_series(z, p, rule=rule)
        after = classify_hotspot_series(-z, p, rule=rule)
    expected = [_SWAP.get(c, c) for c in before["hotspot_class"]]
    assert after["hotspot_class"].tolist() == expected
    assert after["n_hot"].tolist() == before["n_cold"].tolist()
    assert after["n_cold_recent"].tolist() == before["n_hot_recent"].tolist()


@settings(max_examples=50, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=8, unique=True),
    n=st.integers(min_value=2, max_value=12),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_output_index_equals_input_index(labels: list[str], n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = pd.Index(labels)
    z = pd.DataFrame(rng.normal(size=(len(labels), n)), index=index)
    p = pd.DataFrame(rng.uniform(size=(len(labels), n)), index=index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        out = classify_hotspot_series(z, p)
    assert out.index.equals(index)
    documented = out["n_hot"] == out["n_hot_recent"] + out["n_hot_older"]
    assert documented.all()
