"""Survey areas matched through the crosswalks, and goals judged with their interval.

Expected values are worked out by hand in the tests: the names of the published compilation
in ../shared, the division each name belongs to (the bundled crosswalks' dates: Rinkeby-Kista
until 2023-07-01, Järva from then, Hägersten-Liljeholmen until 2020-07-01), the path of a
halving goal (a straight line from the baseline to half of it) and the 95 % Wilson interval
written out again from its formula.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import labels
from geo_trygg._errors import ConfigError
from geo_trygg.crosswalks import CROSSWALK_COLUMNS
from geo_trygg.io import read_indicators
from geo_trygg.join import indicators_for_areas, match_indicator_areas
from geo_trygg.lagesbild import Goal, goal_progress, goal_series

SURVEY = "trygghet_survey_indicators_stockholm/trygghet_indicators.csv"


def _wilson(p: float, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


def _rows(*rows: tuple) -> pd.DataFrame:
    cols = ["level", "area", "year", "indicator", "value", "ci_low", "ci_high", "source"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


# --- area matching ------------------------------------------------------------------------------

# the names of the compilation the crosswalks spell otherwise, by hand from the bundled tables
_SPELLED = {
    ("kommun", "Stockholms stad"): ("Stockholm", "variant"),
    ("lpo", "Solna (Solna + Sundbyberg)"): ("Solna", "variant"),
    ("polisregion", "Polisregion Stockholm"): ("Stockholm", "variant"),
    ("stadsdel", "Höglandet"): ("HÖGLANDET", "name"),
    ("stadsdel", "Ålsten"): ("ÅLSTEN", "name"),
}


@pytest.mark.shared
def test_every_published_area_is_matched_by_level_and_name(shared_data: Path) -> None:
    path = shared_data / SURVEY
    accepted = read_indicators(path).accepted
    m = match_indicator_areas(accepted)
    assert m.index.equals(accepted.index)
    with path.open(encoding="utf-8") as fh:
        raw = {i + 2: r for i, r in enumerate(csv.DictReader(fh))}
    for row in m.itertuples():
        src = raw[row.source_row]
        level, name = src["area_level"], src["area_name"]
        if level == "riket":
            expected = (name, "country")
        elif level == "kommundel":
            expected = (None, "no_boundaries")
        else:
            expected = _SPELLED.get((level, name), (name, "name"))
        assert (row.area_key, row.area_match) == expected, (level, name)
    # Rinkeby-Kista is the 2020 division's stadsdelsområde: valid until 2023-07-01
    rk = m[m["area"] == "Rinkeby-Kista"]
    assert len(rk) == 2
    assert (rk["area_valid_to"] == pd.Timestamp("2023-07-01")).all()
    assert rk["area_valid_from"].isna().all()


def test_a_name_of_another_division_is_not_matched() -> None:
    rows = pd.DataFrame(
        {
            "level": ["stadsdelsomrade"] * 5,
            "area": [
                "Järva",
                "Hägersten-Älvsjö",
                "Hägersten-Liljeholmen",
                "Hägersten-Liljeholmen",
                "Hägersten-Liljeholmen",
            ],
            "year": ["2017", "2017", "2020", "2021", "2019-2020"],
            "year_from": [2017, 2017, 2020, 2021, 2019],
            "year_to": [2017, 2017, 2020, 2021, 2020],
        }
    )
    m = match_indicator_areas(rows)
    assert m["area_match"].tolist() == [
        "other_division",  # Järva exists from 2023-07-01
        "other_division",  # Hägersten-Älvsjö from 2020-07-01
        "name",  # Hägersten-Liljeholmen until 2020-07-01: 2020 overlaps
        "other_division",
        "name",
    ]
    assert m["area_key"].isna().tolist() == [True, True, False, True, False]
    assert m.loc[0, "area_valid_from"] == pd.Timestamp("2023-07-01")
    words = labels.words(m["area_match"], "area_match", lang="sv")
    assert words[0] == "namnet finns på nivån, men inte i mätningens år (annan indelning)"


def test_areas_of_a_lagesbild_get_their_own_rows_and_earlier_parts_by_name() -> None:
    rows = pd.DataFrame(
        {
            "level": ["stadsdelsomrade"] * 5 + ["kommun"],
            "area": [
                "Rinkeby-Kista",
                "Spånga-Tensta",
                "Bromma",
                "Älvsjö",
                "Hägersten-Liljeholmen",
                "Stockholms stad",
            ],
            "year": ["2017", "2020", "2020", "2017", "2017", "2017"],
            "value": [21.0, 13.0, 10.0, 9.0, 8.0, 11.0],
        }
    )
    now = indicators_for_areas(
        rows,
        level="stadsdelsomrade",
        areas=["Järva", "Bromma", "Hägersten-Älvsjö"],
        at="2024-06-30",
    )
    got = list(zip(now["area"], now["relation"], now["survey_area"], now["value"], strict=True))
    assert got == [
        ("Järva", "part", "Rinkeby-Kista", 21.0),
        ("Järva", "part", "Spånga-Tensta", 13.0),
        ("Bromma", "same", "Bromma", 10.0),
        ("Hägersten-Älvsjö", "part", "Älvsjö", 9.0),
        ("Hägersten-Älvsjö", "part", "Hägersten-Liljeholmen", 8.0),
    ]
    # in 2022 Rinkeby-Kista is an area of the lägesbild itself; Järva does not exist yet
    then = indicators_for_areas(
        rows, level="stadsdelsomrade", areas=["Rinkeby-Kista", "Järva"], at="2022-01-01"
    )
    assert then[["area", "relation", "survey_area"]].values.tolist() == [
        ["Rinkeby-Kista", "same", "Rinkeby-Kista"]
    ]
    kommun = indicators_for_areas(rows, level="kommun", areas=["Stockholm"], at="2024-01-01")
    assert kommun[["relation", "survey_area", "value"]].values.tolist() == [
        ["same", "Stockholm", 11.0]
    ]


def test_a_name_whose_stadsdelar_changed_is_not_the_same_area() -> None:
    def row(child: str, parent: str, vf: str | None, vt: str | None) -> dict:
        return {
            "child_level": "stadsdel",
            "child": child,
            "parent_level": "stadsdelsomrade",
            "parent": parent,
            "valid_from": pd.Timestamp(vf) if vf else pd.NaT,
            "valid_to": pd.Timestamp(vt) if vt else pd.NaT,
            "status": "confirmed",
            "source": "test",
        }

    cw = pd.DataFrame(
        [
            row("A", "X", None, None),
            row("B", "X", None, "2020-01-01"),
            row("B", "Y", "2020-01-01", None),
        ],
        columns=CROSSWALK_COLUMNS,
    )
    rows = pd.DataFrame(
        {"level": "stadsdelsomrade", "area": ["X", "X"], "year": ["2018", "2021"], "value": [1, 2]}
    )
    out = indicators_for_areas(
        rows, level="stadsdelsomrade", areas=["X", "Y"], at="2022-01-01", crosswalk=cw
    )
    # X of 2018 held A and B; X of 2022 holds A only: not the same area, and not a part of one
    assert out[["area", "relation", "year"]].values.tolist() == [["X", "same", "2021"]]


# --- goals --------------------------------------------------------------------------------------


@pytest.mark.shared
def test_the_rinkeby_kista_goal_from_2017_on_the_published_values(shared_data: Path) -> None:
    m = match_indicator_areas(read_indicators(shared_data / SURVEY).accepted)
    goal = Goal(
        indicator="oro_brott_ofta_12m",
        level="stadsdelsomrade",
        area="Rinkeby-Kista",
        baseline_year=2017,
        target_year=2025,
        target_ratio=0.5,
        name="Oron ska halveras till 2025",
    )
    r = goal_progress(m, goal)
    assert len(r) == 1
    r0 = r.iloc[0]
    # 2017: 21 %; halved: 10.5 % in 2025; on the straight path in 2020: 21 − 10.5 × 3/8
    assert r0["baseline_value"] == 21.0
    assert r0["target_value"] == 10.5
    assert r0["year"] == "2020"
    assert r0["value"] == 11.0
    assert r0["path_value"] == pytest.approx(21 - 10.5 * 3 / 8)
    # no respondents are published for the area: judged on the value alone, and said so
    assert (r0["progress"], r0["basis"], r0["progress_reason"]) == ("on_track", "point", "judged")
    assert np.isnan(r0["ci_low"])
    assert r0["uncertainty"] == "unknown"
    sv = labels.with_words(r, lang="sv").iloc[0]
    assert sv["progress_label"] == "på väg"
    assert sv["basis_label"] == "bedömt på ett enda värde, osäkerheten okänd"


@pytest.mark.shared
def test_goals_with_published_respondents_are_judged_with_the_interval(
    shared_data: Path,
) -> None:
    m = match_indicator_areas(read_indicators(shared_data / SURVEY).accepted)
    city = goal_progress(
        m,
        Goal(
            indicator="oro_brott_ofta_12m",
            level="kommun",
            baseline_year=2017,
            target_year=2025,
            target_ratio=0.5,
        ),
    )
    assert city["area"].tolist() == ["Stockholm"]
    c = city.iloc[0]
    low, high = _wilson(0.09, 17857)  # 2020: 9 % of 17,857 respondents
    assert (c["ci_low"], c["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    path = 11 - 5.5 * 3 / 8  # 8.9375 lies inside 8.59–9.43
    assert low < path < high
    assert (c["progress"], c["basis"], c["progress_reason"]) == (
        "undecided",
        "interval",
        "interval_spans_path",
    )
    every = goal_progress(
        m,
        Goal(
            indicator="oro_brott_ofta_12m",
            level="stadsdelsomrade",
            baseline_year=2017,
            target_year=2025,
            target_ratio=0.5,
        ),
    )
    by_area = every.set_index("area")
    assert sorted(by_area.index) == ["Bromma", "Farsta", "Rinkeby-Kista", "Spånga-Tensta"]
    # Bromma 2020: 10 % of 3,221 → 9.01–11.08; the path 13 − 6.5 × 3/8 = 10.5625 is inside
    _b_low, b_high = _wilson(0.10, 3221)
    assert by_area.loc["Bromma", "ci_high"] == pytest.approx(b_high)
    assert by_area.loc["Bromma", "progress"] == "undecided"
    # Farsta 12 % → 12 %: above the path (12 − 6 × 3/8 = 9.75), no interval
    assert by_area.loc["Farsta", ["progress", "basis"]].tolist() == ["off_track", "point"]
    assert by_area.loc["Spånga-Tensta", "path_value"] == pytest.approx(26 - 13 * 3 / 8)


def test_the_interval_decides_on_both_sides_and_for_goals_that_raise() -> None:
    rows = _rows(
        ("kommun", "A", "2015", "x", 40.0, 38.0, 42.0, "S"),
        ("kommun", "A", "2019", "x", 25.0, 23.0, 27.0, "S"),  # path 30: wholly below
        ("kommun", "B", "2015", "x", 40.0, 38.0, 42.0, "S"),
        ("kommun", "B", "2019", "x", 33.0, 31.0, 35.0, "S"),  # wholly above 30
        ("kommun", "C", "2015", "x", 40.0, np.nan, np.nan, "S"),
        ("kommun", "C", "2019", "x", 30.0, np.nan, np.nan, "S"),  # on the path: on track
    )
    down = goal_progress(
        rows,
        Goal(
            indicator="x", level="kommun", baseline_year=2015, target_year=2023, target_ratio=0.5
        ),
    )
    assert down["path_value"].tolist() == [30.0, 30.0, 30.0]
    assert down["progress"].tolist() == ["on_track", "off_track", "on_track"]
    assert down["basis"].tolist() == ["interval", "interval", "point"]
    up = goal_progress(
        rows,
        Goal(
            indicator="x", level="kommun", baseline_year=2015, target_year=2023, target_value=60.0
        ),
    )
    # path 40 + 20 × 4/8 = 50: every value lies below it
    assert up["path_value"].tolist() == [50.0, 50.0, 50.0]
    assert up["progress"].tolist() == ["off_track", "off_track", "off_track"]


def test_what_cannot_be_judged_says_why() -> None:
    rows = _rows(
        ("lpo", "A", "2017", "x", 20.0, np.nan, np.nan, "S"),  # only the baseline
        ("lpo", "B", "2018", "x", 20.0, np.nan, np.nan, "S"),  # no baseline
        ("lpo", "C", "2017", "x", 20.0, np.nan, np.nan, "S"),
        ("lpo", "C", "2020", "x", 12.0, np.nan, np.nan, "S"),
        ("lpo", "C", "2020", "x", 14.0, np.nan, np.nan, "S"),  # two values for 2020
        ("lpo", "D", "2017", "x", 20.0, np.nan, np.nan, "S"),
        ("lpo", "D", "2020", "x", 5.0, np.nan, np.nan, "Another survey"),  # other source
    )
    r = goal_progress(
        rows,
        Goal(indicator="x", level="lpo", baseline_year=2017, target_year=2025, target_ratio=0.5),
    ).set_index("area")
    assert r["progress"].tolist() == ["undecided"] * 4
    assert r["basis"].tolist() == ["none"] * 4
    assert r["progress_reason"].tolist() == [
        "no_later_value",
        "no_baseline",
        "conflicting_values",
        "no_later_value",
    ]
    series = goal_series(
        rows,
        Goal(indicator="x", level="lpo", baseline_year=2017, target_year=2025, target_ratio=0.5),
    )
    assert series[series["area"] == "D"]["source"].tolist() == ["S"]


def test_a_baseline_of_zero_halved_is_already_the_target() -> None:
    rows = _rows(
        ("kommun", "A", "2017", "x", 0.0, np.nan, np.nan, "S"),
        ("kommun", "A", "2020", "x", 3.0, np.nan, np.nan, "S"),
    )
    r = goal_progress(
        rows,
        Goal(
            indicator="x", level="kommun", baseline_year=2017, target_year=2025, target_ratio=0.5
        ),
    ).iloc[0]
    assert (r["progress"], r["basis"], r["progress_reason"]) == (
        "undecided",
        "none",
        "baseline_is_target",
    )


def test_pooled_years_stand_at_their_middle_and_after_the_target_year_the_target_holds() -> None:
    rows = pd.DataFrame(
        {
            "level": "kommun",
            "area": "A",
            "year": ["2010", "2013-2014", "2030"],
            "year_from": [2010, 2013, 2030],
            "year_to": [2010, 2014, 2030],
            "indicator": "x",
            "value": [20.0, 17.0, 12.0],
        }
    )
    goal = Goal(
        indicator="x", level="kommun", baseline_year=2010, target_year=2020, target_value=10.0
    )
    assert goal_series(rows, goal)["x"].tolist() == [2010.0, 2013.5, 2030.0]
    latest = goal_progress(rows, goal).iloc[0]
    assert (latest["year"], latest["path_value"], latest["progress"]) == (
        "2030",
        10.0,
        "off_track",
    )
    only_pooled = goal_progress(rows.iloc[:2], goal).iloc[0]
    assert only_pooled["path_value"] == pytest.approx(20 - 10 * 3.5 / 10)


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(5, 95),
    ratio=st.floats(0.1, 0.9),
    year=st.integers(2018, 2030),
    value=st.floats(0, 100),
    half=st.floats(0, 10),
)
def test_a_lowering_goal_is_on_track_exactly_when_the_interval_lies_on_or_below_the_path(
    base: float, ratio: float, year: int, value: float, half: float
) -> None:
    low, high = max(0.0, value - half), min(100.0, value + half)
    rows = _rows(
        ("kommun", "A", "2017", "x", base, np.nan, np.nan, "S"),
        ("kommun", "A", str(year), "x", value, low, high, "S"),
    )
    r = goal_progress(
        rows,
        Goal(
            indicator="x", level="kommun", baseline_year=2017, target_year=2025, target_ratio=ratio
        ),
    ).iloc[0]
    target = base * ratio
    path = target if year >= 2025 else base + (target - base) * (year - 2017) / 8
    assert r["path_value"] == pytest.approx(path)
    expected = (
        "on_track"
        if high <= r["path_value"]
        else ("off_track" if low > r["path_value"] else "undecided")
    )
    assert r["progress"] == expected


def test_a_goal_that_is_not_one_is_refused_in_swedish_naming_the_key() -> None:
    ok = {"indicator": "x", "level": "kommun", "baseline_year": 2017, "target_year": 2025}
    with pytest.raises(ConfigError, match=r"target_ratio.*target_value"):
        Goal(**ok)
    with pytest.raises(ConfigError, match=r"level='kommunen' är ingen områdesnivå.*stadsdel"):
        Goal(**{**ok, "level": "kommunen"}, target_ratio=0.5)
    with pytest.raises(ConfigError, match="målåret target_year=2017 måste komma efter"):
        Goal(**{**ok, "target_year": 2017}, target_ratio=0.5)
    with pytest.raises(ConfigError, match="target_ratio=1 ska vara"):
        Goal(**ok, target_ratio=1)
    with pytest.raises(ConfigError, match="baseline_value kan bara anges för ett område"):
        Goal(**ok, target_ratio=0.5, baseline_value=20.0)
    with pytest.raises(ConfigError, match="baseline_year='2017' ska vara ett årtal"):
        Goal(**{**ok, "baseline_year": "2017"}, target_ratio=0.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ett mål ska vara ett Goal"):
        goal_progress(pd.DataFrame(), {"indicator": "x"})  # type: ignore[arg-type]
