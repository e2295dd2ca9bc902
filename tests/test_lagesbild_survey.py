"""Survey indicators and goals in the lägesbild: beside the counts, per area, on the page.

Two stadsdelsområden of the 2023 division (Järva and Bromma) as squares; the survey rows are
those of the city's survey for Rinkeby-Kista and Spånga-Tensta (now parts of Järva) and
Bromma. Every expected value is worked out by hand in the test.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo_trygg import labels
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg.lagesbild import Goal, build_lagesbild

CITY = "Stockholms stads trygghetsmätning"
WORDING = "andelen som ofta varit oroliga för att utsättas för brott <script>x</script>"


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "area_id": ["J", "B", "F"],
            "name": ["Järva", "Bromma", "Farsta"],
            "level": "stadsdelsomrade",
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs="EPSG:3006",
    )


def _events() -> gpd.GeoDataFrame:
    # Järva 3, Bromma 1, Farsta 2 events in 2024
    xs = [100, 200, 300, 1500, 2500, 2600]
    when = pd.Timestamp("2024-05-01 12:00", tz="Europe/Stockholm")
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(xs))],
            "category": "theft",
            "time_from": when,
            "time_to": when,
            "location_precision": "exact",
            "text": "",
        },
        geometry=[Point(x, 500) for x in xs],
        crs="EPSG:3006",
    )


def _survey() -> pd.DataFrame:
    def row(area: str, year: str, value: float, n: float | None = None, low=np.nan, high=np.nan):
        return {
            "level": "stadsdelsomrade",
            "area": area,
            "year": year,
            "year_from": int(year),
            "year_to": int(year),
            "indicator": "oro",
            "indicator_text": WORDING,
            "value": value,
            "unit": "percent",
            "respondents": n,
            "ci_low": low,
            "ci_high": high,
            "uncertainty": "unknown" if n is None else "wilson95",
            "source": CITY,
        }

    return pd.DataFrame(
        [
            row("Rinkeby-Kista", "2017", 21.0),
            row("Rinkeby-Kista", "2020", 11.0),
            row("Spånga-Tensta", "2017", 26.0),
            row("Spånga-Tensta", "2020", 13.0),
            row("Bromma", "2017", 13.0),
            row("Bromma", "2020", 10.0, 3221, 9.011, 11.084),
            row("Farsta", "2017", 12.0),
            row("Farsta", "2020", 12.0),
        ]
    )


GOAL = Goal(
    indicator="oro",
    level="stadsdelsomrade",
    baseline_year=2017,
    target_year=2025,
    target_ratio=0.5,
    name="Oron ska halveras till 2025",
)


def _build(**kwargs):
    options = {"indicators": _survey(), "goals": [GOAL], **kwargs}
    return build_lagesbild(
        events=_events(),
        areas=_areas(),
        by="stadsdelsomrade",
        period="2024",
        compare=None,
        **options,
    )


def test_each_area_gets_its_own_results_and_its_earlier_parts_under_their_names() -> None:
    lb = _build()
    t = lb.indicators
    got = sorted(zip(t["area"], t["relation"], t["survey_area"], t["year"], strict=True))
    assert got == [
        ("Bromma", "same", "Bromma", "2017"),
        ("Bromma", "same", "Bromma", "2020"),
        ("Farsta", "same", "Farsta", "2017"),
        ("Farsta", "same", "Farsta", "2020"),
        ("Järva", "part", "Rinkeby-Kista", "2017"),
        ("Järva", "part", "Rinkeby-Kista", "2020"),
        ("Järva", "part", "Spånga-Tensta", "2017"),
        ("Järva", "part", "Spånga-Tensta", "2020"),
    ]
    # nothing added up: Järva has no value of its own
    assert not ((t["area"] == "Järva") & (t["relation"] == "same")).any()
    g = lb.goals.set_index(["area", "survey_area"])
    # Rinkeby-Kista: 21 → path 21 − 10.5 × 3/8 = 17.0625 in 2020; 11 below it, no interval
    rk = g.loc[("Järva", "Rinkeby-Kista")]
    assert (rk["relation"], rk["path_value"], rk["progress"], rk["basis"]) == (
        "part",
        pytest.approx(17.0625),
        "on_track",
        "point",
    )
    # Spånga-Tensta: 26 → 21.125; 13 below
    assert g.loc[("Järva", "Spånga-Tensta"), "path_value"] == pytest.approx(26 - 13 * 3 / 8)
    # Bromma: 13 → 10.5625, inside 9.011–11.084: cannot be judged
    assert g.loc[("Bromma", "Bromma"), "progress"] == "undecided"
    # Farsta: 12 → 9.75, 12 above it
    assert g.loc[("Farsta", "Farsta"), "progress"] == "off_track"
    own = lb.for_area("stadsdelsomrade", "Järva")
    assert sorted(own.goals["survey_area"]) == ["Rinkeby-Kista", "Spånga-Tensta"]
    assert len(own.indicators) == 4


def test_a_goal_for_one_area_is_judged_there_only() -> None:
    one = Goal(
        indicator="oro",
        level="stadsdelsomrade",
        area="Farsta",
        baseline_year=2017,
        target_year=2025,
        target_value=6.0,
    )
    lb = _build(goals=[one])
    assert lb.goals[["area", "survey_area"]].values.tolist() == [["Farsta", "Farsta"]]
    # 12 → 6: the path in 2020 is 12 − 6 × 3/8 = 9.75; 12 lies above it
    assert lb.goals.loc[0, "path_value"] == pytest.approx(9.75)
    assert lb.goals.loc[0, "progress"] == "off_track"


def test_the_page_shows_the_goal_chart_the_judgement_and_what_the_data_can_show(
    tmp_path: Path,
) -> None:
    lb = _build().for_area("stadsdelsomrade", "Järva")
    page = lb.to_html(tmp_path / "j.html").read_text(encoding="utf-8")
    assert "<h2>Oron ska halveras till 2025: Rinkeby-Kista</h2>" in page
    assert (
        "Senaste värde (2020): 11 % mot målkurvans 17,1 %: på väg, bedömt på ett enda värde, "
        "osäkerheten okänd." in page
    )
    assert (
        "Rinkeby-Kista är en del av Järva i en tidigare indelning; värdena gäller "
        "Rinkeby-Kista och är inte omräknade till Järva." in page
    )
    # what the data can show: the survey's values and years, and the parts
    assert (
        f"{CITY}: 4 enkätvärden från 2017–2020; för 4 av dem är antalet svarande inte "
        "publicerat, så osäkerheten är okänd." in page
    )
    assert "4 enkätvärden gäller områden i en tidigare indelning" in page
    # the wording is input text: escaped, never markup
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    # two values per chart, open circles (no interval), and the dashed path to 10,5 % in 2025
    start = page.index("<svg", page.index("<h2>Oron ska halveras till 2025: Rinkeby-Kista</h2>"))
    svg = page[start : page.index("</svg>", start)]
    assert svg.count("<circle") == 2
    assert svg.count('fill="#ffffff"') == 2
    assert "Mål 2025: 10,5 %" in svg
    # the tables a planner reads
    assert "<h2>Mål</h2>" in page
    assert "<h2>Trygghetsmätningar</h2>" in page
    assert "<td>21 % (2017)</td>" in page
    assert "<td>osäkerhet okänd</td>" in page


def test_the_excel_file_holds_the_goals_and_the_survey_values(tmp_path: Path) -> None:
    path = _build().to_excel(tmp_path / "lb.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert {"Mål", "Trygghetsmätningar"} <= set(sheets)
    goals = sheets["Mål"]
    row = goals[goals["Mätningens område"] == "Rinkeby-Kista"].iloc[0]
    assert row["Bedömning"] == "på väg"
    assert row["Basvärde"] == 21
    assert row["Målvärde"] == 10.5
    with pytest.warns(GeoTryggWarning):
        weighted = _build(weights={"events": 1, "survey:oro": 1})
    prio = pd.read_excel(weighted.to_excel(tmp_path / "w.xlsx"), sheet_name="Prioritering")
    assert {"trygghetsmätningen: oro", "Bidrag trygghetsmätningen: oro"} <= set(prio.columns)


def _rank_scores(values: dict[str, float]) -> dict[str, float]:
    """The rank scaling by hand: the share of the other areas with a smaller value."""
    m = len(values)
    return {a: sum(w < v for w in values.values()) / (m - 1) for a, v in values.items()}


def test_a_survey_indicator_weighs_in_the_prioritisation() -> None:
    with pytest.warns(
        GeoTryggWarning, match="1 områden saknar värden för trygghetsmätningen: oro"
    ):
        lb = _build(weights={"events": 1, "survey:oro": 1})
    p = lb.priorities.set_index("area")
    # the latest value of the area's own results; Järva has none of its own (only parts)
    assert p.loc["Bromma", "survey:oro"] == 10.0
    assert p.loc["Farsta", "survey:oro"] == 12.0
    assert math.isnan(p.loc["Järva", "survey:oro"])
    events = _rank_scores({"Järva": 3, "Bromma": 1, "Farsta": 2})
    survey = _rank_scores({"Bromma": 10.0, "Farsta": 12.0})  # Järva's is missing: 0
    for area in ("Bromma", "Farsta"):
        assert p.loc[area, "score"] == pytest.approx(0.5 * events[area] + 0.5 * survey[area])
    assert p.loc["Järva", "score"] == pytest.approx(0.5 * events["Järva"])
    assert "survey:oro" in p.loc["Järva", "missing"]
    # Farsta has the highest survey value of the level: said in words, not as a code
    assert (
        labels.reason_words(p.loc["Farsta", "reason"], "sv")
        == "Högst värde i trygghetsmätningen (oro)"
    )
    with pytest.warns(GeoTryggWarning):
        low = _build(weights={"survey_low:oro": 1}).priorities.set_index("area")
    assert low.loc["Bromma", "survey_low:oro"] == -10.0
    assert low.loc["Bromma", "rank"] == 1  # a lower share ranks higher when lower is worse


def test_bad_survey_arguments_are_refused_before_any_work() -> None:
    with pytest.raises(ConfigError, match=r"goals= kräver enkätresultat \(indicators=\)"):
        _build(indicators=None)
    with pytest.raises(ConfigError, match="survey:nej nämner ingen indikator"):
        _build(weights={"survey:nej": 1})
    with pytest.raises(ConfigError, match="inga enkätresultat är givna"):
        _build(indicators=None, goals=None, weights={"survey:oro": 1})
    with pytest.raises(ConfigError, match="indicators lacks the column"):
        _build(indicators=_survey().drop(columns="value"))
    with pytest.raises(ConfigError, match="ett mål ska vara ett Goal"):
        _build(goals=[{"indicator": "oro"}])


def test_the_goal_chart_renders_in_chromium_and_prints(tmp_path: Path, chromium: object) -> None:
    from browser import goto, new_page

    path = _build().for_area("stadsdelsomrade", "Bromma").to_html(tmp_path / "b.html")
    page, log = new_page(chromium)
    try:
        goto(page, path)
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            chart = page.locator("svg[role=img]").first
            assert chart.is_visible(), media
            box_ = chart.bounding_box()
            assert box_ is not None
            assert box_["width"] > 300, media
            # one filled point with an interval bar (2020, 3,221 respondents), one open
            assert page.locator("svg circle[fill='#2166ac']").count() == 1
            assert page.locator("svg circle[fill='#ffffff']").count() == 1
        assert page.pdf().startswith(b"%PDF")
        assert log.problems() == []
    finally:
        page.context.close()


def test_the_same_goal_and_area_name_at_two_levels_gets_two_charts() -> None:
    from geo_trygg.lagesbild._survey_words import goal_charts

    goals = pd.DataFrame(
        {
            "goal": "G",
            "level": ["kommun", "lpo"],
            "area": "Botkyrka",
            "relation": "same",
            "survey_area": "Botkyrka",
            "indicator": "x",
            "source": None,
            "baseline_year": 2017,
            "baseline_value": 20.0,
            "target_year": 2025,
            "target_value": 10.0,
            "year": "2020",
            "value": [15.0, 18.0],
            "path_value": 16.25,
            "progress": ["on_track", "off_track"],
            "basis": "point",
            "progress_reason": "judged",
        }
    )
    rows = pd.DataFrame(
        {
            "level": ["kommun", "lpo"],
            "area": "Botkyrka",
            "survey_area": "Botkyrka",
            "indicator": "x",
            "year": "2020",
            "year_from": 2020,
            "year_to": 2020,
            "value": [15.0, 18.0],
            "ci_low": np.nan,
            "ci_high": np.nan,
            "unit": "percent",
            "source": None,
        }
    )
    charts = goal_charts(goals, rows, "sv")
    assert list(charts) == ["G: Botkyrka", "G: Botkyrka (Lokalpolisområden)"]
    assert charts["G: Botkyrka (Lokalpolisområden)"].query("role == 'value'")[
        "value"
    ].tolist() == [18.0]
