"""Prioritisation of areas: scores, contributions, ranks and the ``reason`` code (its "why"
sentence through geo_trygg.labels).

Expected scores are worked out by hand in the comments (rank scale: the share of the other
areas of the level with a strictly smaller value).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, GeoTryggWarning
from geo_trygg.labels import with_words
from geo_trygg.lagesbild._priority import DEFAULT_WEIGHTS, prioritize


@pytest.fixture
def four() -> pd.DataFrame:
    """Four stadsdelar; C has no severity (no open findings with a severity)."""
    return pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "B", "C", "D"],
            "events": [30, 10, 20, 10],
            "change": [12.0, 5.0, 4.0, -1.0],
            "change_code": ["increase", "no_clear_change", "increase", "too_few"],
            "overdue": [0, 3, 0, 1],
            "severity": [2.5, 1.0, np.nan, 3.0],
        }
    )


def by_area(result: pd.DataFrame) -> pd.DataFrame:
    return result.set_index("area")


def test_default_weights_sum_to_one() -> None:
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


def test_hand_computed_scores_and_contributions(four: pd.DataFrame) -> None:
    # increase (derived from change_code): A 12, B 0, C 4, D 0
    # scaled (m = 4, divide by 3; severity m = 3, divide by 2):
    #   events   A 3/3  B 0    C 2/3  D 0
    #   increase A 3/3  B 0    C 2/3  D 0
    #   overdue  A 0    B 3/3  C 0    D 2/3
    #   severity A 1/2  B 0    C NaN  D 2/2
    # weights 0.4 / 0.2 / 0.2 / 0.2:
    #   A .4 + .2 + 0 + .1 = .7;  B .2;  C .4*2/3 + .2*2/3 = .4;  D .2*2/3 + .2 = 1/3
    with pytest.warns(GeoTryggWarning, match=r"saknar värden för Allvarlighet \(öppna fynd\)"):
        result = prioritize(four)
    t = by_area(result)
    expected_contrib = {
        "A": (0.4, 0.2, 0.0, 0.1),
        "B": (0.0, 0.0, 0.2, 0.0),
        "C": (0.4 * 2 / 3, 0.2 * 2 / 3, 0.0, 0.0),
        "D": (0.0, 0.0, 0.2 * 2 / 3, 0.2),
    }
    for area, parts in expected_contrib.items():
        got = [t.loc[area, f"contrib_{k}"] for k in ("events", "increase", "overdue", "severity")]
        assert got == pytest.approx(parts), area
    assert t["score"].to_dict() == pytest.approx({"A": 0.7, "B": 0.2, "C": 0.4, "D": 1 / 3})
    assert result["area"].tolist() == ["A", "C", "D", "B"]
    assert result["rank"].tolist() == [1, 2, 3, 4]
    assert t["increase"].to_dict() == {"A": 12.0, "B": 0.0, "C": 4.0, "D": 0.0}
    assert t["missing"].to_dict() == {"A": "", "B": "", "C": "severity", "D": ""}
    assert result.attrs["weights"] == pytest.approx(DEFAULT_WEIGHTS)


def test_why_names_the_two_largest_contributions(four: pd.DataFrame) -> None:
    with pytest.warns(GeoTryggWarning):
        ranked = prioritize(four)
    codes = by_area(ranked)["reason"]
    assert codes.to_dict() == {
        "A": "events:top+increase:top",
        "B": "overdue:top",
        "C": "events+increase",
        "D": "severity:top+overdue",
    }
    t = by_area(with_words(ranked, lang="sv"))
    assert t.loc["A", "why"] == (
        "Flest händelser och den största säkra ökningen mot jämförelseperioden"
    )
    assert t.loc["C", "why"] == "Många händelser och en säker ökning mot jämförelseperioden"
    assert t.loc["D", "why"] == (
        "De allvarligaste bristerna som inte är åtgärdade och många försenade åtgärder"
    )
    assert t.loc["B", "why"] == "Flest försenade åtgärder"
    en = by_area(with_words(ranked, lang="en"))
    assert en.loc["B", "why"] == "The most overdue measures"


def test_output_columns(four: pd.DataFrame) -> None:
    result = prioritize(four, weights={"events": 1, "overdue": 1})
    assert list(result.columns) == [
        "level",
        "area",
        "rank",
        "tied",
        "no_rank",
        "score",
        "contrib_events",
        "contrib_overdue",
        "events",
        "overdue",
        "missing",
        "reason",
    ]
    # issue 13: the rank is a nullable Int64 (missing where a level has no ranking)
    assert result["rank"].dtype == "Int64"
    # scores A .5, B .5, C 1/3, D 1/3 (listed by name within a tie): raw values as given
    assert result["events"].tolist() == [30, 10, 20, 10]
    assert result["rank"].tolist() == [1, 1, 3, 3]  # ties share the lowest rank
    assert result["tied"].tolist() == [True] * 4


def test_minmax_scale(four: pd.DataFrame) -> None:
    # events (x - 10) / 20: A 1, B 0, C 0.5, D 0; overdue x / 3: A 0, B 1, C 0, D 1/3
    result = by_area(prioritize(four, weights={"events": 1, "overdue": 1}, scale="minmax"))
    assert result["score"].to_dict() == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.25, "D": 1 / 6})
    # A and B tie at 0.5: listed by name, sharing rank 1 (issue 13: ties are not broken)
    assert result.index.tolist()[:2] == ["A", "B"]
    assert result["rank"].tolist() == [1, 1, 3, 4]


def test_ties_share_the_score_and_the_rank_listed_by_name() -> None:
    table = pd.DataFrame({"level": "lpo", "area": ["Zeta", "Alfa", "Mitt"], "events": [7, 7, 1]})
    result = prioritize(table, weights={"events": 1})
    # 7 and 7: one area strictly below of two others -> 1/2 each; 1 -> 0
    assert result["area"].tolist() == ["Alfa", "Zeta", "Mitt"]
    assert result["score"].tolist() == pytest.approx([0.5, 0.5, 0.0])
    # issue 13: a tie shares its rank (the "min" method), the name only orders the rows
    assert result["rank"].tolist() == [1, 1, 3]
    assert result["tied"].tolist() == [True, True, False]


def test_zero_where_nobody_differs_and_a_measured_zero_adds_nothing() -> None:
    table = pd.DataFrame(
        {"level": "stadsdel", "area": list("PQRS"), "overdue": [0, 0, 0, 5], "events": 4}
    )
    t = by_area(prioritize(table, weights={"overdue": 1, "events": 1}))
    # overdue: three 0s -> 0 (none strictly smaller); 5 -> 3/3. events all equal -> 0
    assert t["contrib_overdue"].to_dict() == {"P": 0.0, "Q": 0.0, "R": 0.0, "S": 0.5}
    assert t["contrib_events"].tolist() == [0.0] * 4
    assert t.loc["P", "reason"] == "none"
    assert by_area(with_words(t.reset_index(), lang="sv")).loc["P", "why"] == (
        "Inget sticker ut jämfört med de andra områdena"
    )


def test_scaled_within_each_level() -> None:
    sdo = pd.DataFrame({"level": "stadsdel", "area": ["A", "B"], "events": [3, 1]})
    lpo = pd.DataFrame({"level": "lpo", "area": ["X", "Y", "Z"], "events": [900, 100, 500]})
    alone = prioritize(sdo, weights={"events": 1})
    both = prioritize(pd.concat([lpo, sdo]), weights={"events": 1})
    # a stadsdel with 3 events is the top of its own level, whatever the LPOs hold
    got = both[both["level"] == "stadsdel"].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, alone, check_like=False)
    lpos = both[both["level"] == "lpo"]
    assert lpos["area"].tolist() == ["X", "Z", "Y"]
    assert lpos["score"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert both["level"].tolist()[:3] == ["lpo", "lpo", "lpo"]  # levels sorted by name


def test_weights_are_normalised(four: pd.DataFrame) -> None:
    with pytest.warns(GeoTryggWarning):
        small = prioritize(four, weights={"events": 0.1, "severity": 0.3})
    with pytest.warns(GeoTryggWarning):
        big = prioritize(four, weights={"events": 10, "severity": 30})
    pd.testing.assert_frame_equal(small, big)
    assert small.attrs["weights"] == pytest.approx({"events": 0.25, "severity": 0.75})


def test_change_significant_gives_increase() -> None:
    table = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "B", "C", "D"],
            "change": [8.0, 3.0, -6.0, 2.0],
            "change_significant": pd.array([True, False, True, None], dtype="boolean"),
        }
    )
    with pytest.warns(GeoTryggWarning, match="saknar värden för Säker ökning"):
        t = by_area(prioritize(table, weights={"increase": 1}))
    # A: significant increase 8; B: not significant -> 0; C: significant decrease -> 0;
    # D: unknown -> missing
    assert [t.loc[a, "increase"] for a in "ABC"] == [8.0, 0.0, 0.0]
    assert np.isnan(t.loc["D", "increase"])
    assert t.loc["D", "missing"] == "increase"
    # known values 8, 0, 0 (m = 3): A 2/2, B and C 0
    assert t["score"].to_dict() == pytest.approx({"A": 1.0, "B": 0.0, "C": 0.0, "D": 0.0})


def test_default_indicators_absent_are_dropped_with_a_warning() -> None:
    table = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "B"],
            "events": [3, 5],
            "change": [1.0, 9.0],
            "change_code": ["no_clear_change", "increase"],
        }
    )
    with pytest.warns(GeoTryggWarning, match="overdue, severity"):
        result = prioritize(table)
    assert result.attrs["weights"] == pytest.approx({"events": 2 / 3, "increase": 1 / 3})
    assert result["area"].tolist() == ["B", "A"]
    assert result["score"].tolist() == pytest.approx([1.0, 0.0])


def test_infinite_rate_is_missing_not_largest() -> None:
    table = pd.DataFrame(
        {"level": "stadsdel", "area": ["A", "B", "C"], "events_per_1000": [2.0, np.inf, 1.0]}
    )
    with pytest.warns(GeoTryggWarning, match="saknar värden för Händelser per 1 000 inv"):
        t = by_area(prioritize(table, weights={"events_per_1000": 1}))
    assert t["score"].to_dict() == pytest.approx({"A": 1.0, "B": 0.0, "C": 0.0})
    assert t.loc["B", "missing"] == "events_per_1000"
    assert t.loc["A", "reason"] == "events_per_1000:top"
    assert by_area(with_words(t.reset_index(), lang="sv")).loc["A", "why"] == (
        "Flest händelser per 1 000 invånare"
    )


def test_why_never_calls_a_decrease_a_rise() -> None:
    table = pd.DataFrame(
        {"level": "stadsdel", "area": ["A", "B", "C"], "change": [-1.0, -9.0, -4.0]}
    )
    t = by_area(prioritize(table, weights={"change": 1}))
    # -1 is the largest of the three (2/2) and ranks first, but it is no rise
    assert t["score"].to_dict() == pytest.approx({"A": 1.0, "B": 0.0, "C": 0.5})
    assert set(t["reason"]) == {"none"}


def test_custom_indicator_gets_generic_wording() -> None:
    table = pd.DataFrame({"level": "place", "area": ["Torget", "Parken"], "larm": [4, 1]})
    ranked = prioritize(table, weights={"larm": 1})
    assert by_area(ranked)["reason"].to_dict() == {"Torget": "larm:top", "Parken": "none"}
    t = by_area(with_words(ranked, lang="en"))
    assert t.loc["Torget", "why"] == "The highest value of larm"


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"evnets": 1}, r"'evnets'.*'events'.*'overdue'"),
        ({"events": -1}, "weights\\['events'\\]=-1"),
        ({"events": 0, "overdue": 0}, "all 0"),
        ({"events": float("nan")}, "finite"),
        ({"events": "much"}, "not a number"),
        ({"events": True}, "not a number"),
        ({}, "no indicator"),
        ([("events", 1)], "mapping"),
        ({"change_code": 1}, "'change_code'"),
        ({"area": 1}, "'area'"),
    ],
)
def test_bad_weights(four: pd.DataFrame, weights: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        prioritize(four, weights=weights)  # type: ignore[arg-type]


def test_bad_arguments(four: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'kommun'"):
        prioritize(four, by=("kommun", "area"))
    with pytest.raises(ConfigError, match="scale='log'"):
        prioritize(four, scale="log")
    with pytest.raises(TypeError, match="lang"):  # codes only: no language
        prioritize(four, lang="en")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="more than one row"):
        prioritize(pd.concat([four, four.iloc[[1]]]))
    with pytest.raises(ConfigError, match="without a value"):
        prioritize(four.assign(area=["A", None, "C", "D"]))
    with pytest.raises(ConfigError, match="DataFrame"):
        prioritize(four.to_dict())  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="none of the default"):
        prioritize(four[["level", "area", "severity"]].rename(columns={"severity": "s"}))


# --- properties ---------------------------------------------------------------------------------

values = st.one_of(st.none(), st.integers(0, 6))


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 9))
    levels = draw(st.lists(st.sampled_from(["stadsdel", "lpo"]), min_size=n, max_size=n))
    rows = {
        "level": levels,
        "area": [f"omr{i}" for i in range(n)],
        "events": draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)),
        "overdue": draw(st.lists(values, min_size=n, max_size=n)),
        "severity": draw(st.lists(values, min_size=n, max_size=n)),
    }
    frame = pd.DataFrame(rows)
    frame["overdue"] = frame["overdue"].astype(float)
    frame["severity"] = frame["severity"].astype(float)
    return frame


@settings(max_examples=60, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_shuffling_rows_never_changes_the_result(table: pd.DataFrame, rnd: object) -> None:
    weights = {"events": 0.5, "overdue": 0.3, "severity": 0.2}
    order = list(range(len(table)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = table.iloc[order]
    shuffled.index = [f"x{i}" for i in range(len(shuffled))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        a = prioritize(table, weights=weights)
        b = prioritize(shuffled, weights=weights)
    pd.testing.assert_frame_equal(a, b)
    contrib = a[[c for c in a.columns if c.startswith("contrib_")]].sum(axis=1)
    assert np.allclose(contrib, a["score"])
    assert ((a["score"] >= 0) & (a["score"] <= 1 + 1e-12)).all()
    for _, part in a.groupby("level"):
        scores = part["score"].round(9).to_numpy()
        assert (np.diff(scores) <= 0).all()
        if len(part) == 1 or (scores == 0).all():  # issue 13: no ranking possible
            assert part["rank"].isna().all()
            continue
        # rank = 1 + the number of areas of the level with a strictly higher score
        expected = [1 + int((scores > s).sum()) for s in scores]
        assert part["rank"].tolist() == expected


@settings(max_examples=40, deadline=None)
@given(tables())
def test_rank_scale_ignores_monotone_transforms(table: pd.DataFrame) -> None:
    weights = {"events": 0.6, "overdue": 0.4}
    stretched = table.assign(events=table["events"] ** 3 + 100, overdue=np.exp(table["overdue"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        a = prioritize(table, weights=weights)
        b = prioritize(stretched, weights=weights)
    cols = ["level", "area", "rank", "score", "contrib_events", "contrib_overdue", "reason"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
