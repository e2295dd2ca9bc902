"""Issue 13, points 5 and 7: walk findings are not incidents, and priorities are honest.

Every expected value is worked out by hand in the comments (rank scale: the share of the other
areas of the level with a strictly smaller value; weights divided by their sum), or computed
independently (scipy's binomial test, the Benjamini–Hochberg steps written out here).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from squares import CROSSWALK, SQUARES, areas

from geo_trygg import GeoTryggWarning, labels
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.lagesbild._priority import prioritize
from geo_trygg.lagesbild._tables import indicators, place_indicators, with_changes
from geo_trygg.pack._pages import _figures

TZ = "Europe/Stockholm"


def by_area(result: pd.DataFrame) -> pd.DataFrame:
    return result.set_index("area")


# --- point 7a: ties share a rank ----------------------------------------------------------------


def test_ties_share_the_min_rank_and_are_flagged() -> None:
    table = pd.DataFrame({"level": "lpo", "area": ["P", "Q", "R", "S"], "events": [9, 5, 5, 1]})
    t = by_area(prioritize(table, weights={"events": 1}))
    # 9 -> 3/3; 5 and 5 -> 1/3 each (one value strictly smaller); 1 -> 0
    assert t["score"].to_dict() == pytest.approx({"P": 1.0, "Q": 1 / 3, "R": 1 / 3, "S": 0.0})
    # min method: 1, 2, 2, 4
    assert t["rank"].to_dict() == {"P": 1, "Q": 2, "R": 2, "S": 4}
    assert t["tied"].to_dict() == {"P": False, "Q": True, "R": True, "S": False}
    assert t["no_rank"].isna().all()
    assert t["rank"].dtype == "Int64"


def test_equal_sums_of_different_parts_are_a_tie() -> None:
    # two areas: A tops a and b, B tops c (m = 2: top 1, other 0); weights 0.1, 0.2, 0.3
    # normalised 1/6, 2/6, 3/6: A = 1/6 + 2/6, B = 3/6 -- equal, though the floating-point
    # sums may differ in their last bit
    table = pd.DataFrame(
        {"level": "lpo", "area": ["A", "B"], "a": [1, 0], "b": [1, 0], "c": [0, 1]}
    )
    t = by_area(prioritize(table, weights={"a": 0.1, "b": 0.2, "c": 0.3}))
    assert t.loc["A", "score"] == pytest.approx(0.5)
    assert t.loc["B", "score"] == pytest.approx(0.5)
    assert t["rank"].to_dict() == {"A": 1, "B": 1}
    assert t["tied"].to_dict() == {"A": True, "B": True}


# --- point 7b: a reason only above the level's median ------------------------------------------


def test_one_event_is_not_many_events_when_the_median_is_as_high() -> None:
    table = pd.DataFrame(
        {"level": "stadsdel", "area": ["Noll", "En", "Ett", "Fyra"], "events": [0, 1, 1, 4]}
    )
    t = by_area(prioritize(table, weights={"events": 1}))
    # scaled: 0 -> 0, 1 -> 1/3 (one smaller), 4 -> 3/3; the median of 0, 1, 1, 4 is 1
    assert t.loc["En", "contrib_events"] == pytest.approx(1 / 3)  # it does add to the score
    assert t["reason"].to_dict() == {
        "Noll": "none",
        "En": "none",  # 1 is not above the median 1: not "Många händelser"
        "Ett": "none",
        "Fyra": "events:top",  # 4 > 1
    }
    worded = by_area(labels.with_words(t.reset_index(), lang="sv"))
    assert worded.loc["En", "why"] == "Inget sticker ut jämfört med de andra områdena"
    assert worded.loc["Fyra", "why"] == "Flest händelser"


def test_a_reason_needs_a_value_strictly_above_the_median() -> None:
    table = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "B", "C", "D", "E"],
            "events": [10, 6, 5, 2, 1],  # median 5
            "overdue": [0, 0, 2, 3, 0],  # median 0
        }
    )
    t = by_area(prioritize(table, weights={"events": 0.5, "overdue": 0.5}, scale="minmax"))
    # minmax events (x - 1) / 9: A 1, B 5/9, C 4/9, D 1/9, E 0; overdue x / 3
    # C: events 4/9 * .5 > 0 but 5 is the median, not above it: only overdue (2 > 0) is named
    assert t.loc["C", "contrib_events"] == pytest.approx(0.5 * 4 / 9)
    assert t["reason"].to_dict() == {
        "A": "events:top",
        "B": "events",
        "C": "overdue",
        "D": "overdue:top",
        "E": "none",
    }


# --- point 7c: no ranking for one area or all-zero scores ---------------------------------------


def test_a_level_with_one_area_has_no_rank() -> None:
    table = pd.DataFrame(
        {"level": ["kommun", "lpo", "lpo"], "area": ["Solna", "X", "Y"], "events": [50, 4, 2]}
    )
    t = by_area(prioritize(table, weights={"events": 1}))
    assert pd.isna(t.loc["Solna", "rank"])
    assert t.loc["Solna", "no_rank"] == "one_area"
    assert not t.loc["Solna", "tied"]
    assert t.loc["Solna", "reason"] == "none"  # 50 is its own median
    assert t.loc["X", "rank"] == 1
    assert t.loc["Y", "rank"] == 2
    texts = labels.rank_texts(t.reset_index(), lang="sv").tolist()
    assert texts == [
        "ingen rangordning möjlig: bara ett område på nivån",
        "1",
        "2",
    ]
    en = labels.rank_texts(t.reset_index(), lang="en").tolist()
    assert en[0] == "no ranking possible: only one area at this level"


def test_a_level_where_every_score_is_zero_has_no_rank() -> None:
    table = pd.DataFrame(
        {
            "level": ["lpo"] * 3 + ["kommun"] * 2,
            "area": ["X", "Y", "Z", "K1", "K2"],
            "events": [3, 3, 3, 0, 7],
        }
    )
    result = prioritize(table, weights={"events": 1})
    t = by_area(result)
    # lpo: all equal -> no value strictly smaller -> every score 0 -> no ranking
    assert t.loc[["X", "Y", "Z"], "score"].tolist() == [0.0, 0.0, 0.0]
    assert t.loc[["X", "Y", "Z"], "rank"].isna().all()
    assert set(t.loc[["X", "Y", "Z"], "no_rank"]) == {"all_zero"}
    assert not t.loc[["X", "Y", "Z"], "tied"].any()
    # kommun: 7 -> 1, 0 -> 0: ranked, 1 and 2
    assert t.loc["K2", "rank"] == 1
    assert t.loc["K1", "rank"] == 2
    assert labels.rank_words(None, no_rank="all_zero", lang="sv") == (
        "ingen rangordning möjlig: alla poäng är 0"
    )
    assert labels.rank_words(2, tied=True, lang="sv") == "2 (delad)"
    assert labels.rank_words(2, tied=True, lang="en") == "2 (tied)"
    with pytest.raises(ValueError, match="no_rank"):
        labels.rank_words(None, no_rank="tom")


# --- the change points: only from a comparison that was made ------------------------------------


def test_codes_outside_the_tested_ones_give_no_change_points() -> None:
    table = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": ["A", "B", "C", "D", "E"],
            "change": [5.0, 9.0, 7.0, -2.0, 4.0],
            "change_code": ["increase", "not_comparable", "brand_new_code", "decrease", None],
        }
    )
    with pytest.warns(GeoTryggWarning, match="3 områden saknar värden"):
        t = by_area(prioritize(table, weights={"increase": 1}))
    # increase: A 5 (a called increase), D 0 (a decrease); B, C, E missing
    assert t.loc["A", "increase"] == 5.0
    assert t.loc["D", "increase"] == 0.0
    assert t.loc[["B", "C", "E"], "increase"].isna().all()
    # known values 5, 0 (m = 2): A 1, D 0; the missing ones contribute 0 and say so
    assert t["score"].to_dict() == pytest.approx({"A": 1, "B": 0, "C": 0, "D": 0, "E": 0})
    assert t["missing"].to_dict() == {
        "A": "",
        "B": "increase",
        "C": "increase",
        "D": "",
        "E": "increase",
    }
    # the same for a weighted "change": 9 for a refused comparison earns nothing
    with pytest.warns(GeoTryggWarning):
        c = by_area(prioritize(table, weights={"change": 1}))
    assert c.loc[["B", "C", "E"], "change"].isna().all()
    assert c["score"].to_dict() == pytest.approx({"A": 1, "B": 0, "C": 0, "D": 0, "E": 0})
    assert c.loc["B", "missing"] == "change"


# --- point 5: findings are not incidents --------------------------------------------------------


def _counts() -> pd.DataFrame:
    rows = [
        ("events", "area", "a1", 12, 3),
        ("events", "area", "a2", 5, 5),
        ("events", "area", "a3", 0, 8),
        ("events", "outside", None, 2, 1),
        ("findings", "area", "a1", 9, 0),
        ("findings", "area", "a2", 0, 4),
        ("findings", "outside", None, 1, 0),
    ]
    frame = pd.DataFrame(rows, columns=["kind", "bucket", "area", "n", "n_compare"])
    return frame.assign(level="lpo", category="(alla)")


def test_findings_rows_get_no_change_test_and_no_family() -> None:
    done = with_changes(_counts(), 1.0, alpha=0.05, min_events=6)
    ev = done[(done["kind"] == "events") & (done["bucket"] == "area")]
    fi = done[(done["kind"] == "findings") & (done["bucket"] == "area")]
    assert fi["change_code"].tolist() == ["not_tested", "not_tested"]
    for column in ("expected", "change", "rate_ratio", "p_value", "p_adjusted"):
        assert fi[column].isna().all(), column
    # the events: exact conditional binomial test, BH over the three event areas only
    p = [binomtest(n, n + m, 0.5).pvalue for n, m in [(12, 3), (5, 5), (0, 8)]]
    assert ev["p_value"].tolist() == pytest.approx(p, rel=1e-9)
    order = np.argsort(p)  # a3 (0.0078), a1 (0.035), a2 (1.0)
    stepped = [p[i] * 3 / (k + 1) for k, i in enumerate(order)]
    adjusted = np.minimum.accumulate(stepped[::-1])[::-1]
    expected = np.empty(3)
    expected[order] = np.minimum(adjusted, 1.0)
    assert ev["p_adjusted"].tolist() == pytest.approx(expected.tolist(), rel=1e-9)
    # a3: 0 vs 8, p_adj 0.0234 -> decrease; a1: 12 vs 3, p_adj 0.0527 -> not called
    assert ev["change_code"].tolist() == ["no_clear_change", "no_clear_change", "decrease"]
    outside = done[done["bucket"] == "outside"]
    assert outside["change_code"].isna().all()
    assert outside["p_value"].isna().all()


def test_a_findings_count_is_never_the_events_indicator() -> None:
    findings_only = pd.DataFrame(
        {
            "kind": "findings",
            "level": "lpo",
            "bucket": "area",
            "area": ["a1", "a2"],
            "n": [9, 0],
            "change": [np.nan, np.nan],
            "change_code": ["not_tested", "not_tested"],
        }
    )
    followup = pd.DataFrame(
        {
            "level": "lpo",
            "group": ["a1"],
            "n_total": [5],
            "n_done": [1],
            "n_rejected": [1],
            "n_overdue": [2],
        }
    )
    out = indicators(findings_only, None, followup, compared=True)
    assert "events" not in out.columns
    assert "change" not in out.columns
    # open: 5 - 1 done - 1 rejected = 3 for a1; a2 has no findings: 0
    assert out.set_index("area")["open"].to_dict() == {"a1": 3.0, "a2": 0.0}
    assert out.set_index("area")["overdue"].to_dict() == {"a1": 2.0, "a2": 0.0}
    both = pd.concat(
        [findings_only, findings_only.assign(kind="events", n=[1, 4], change_code="too_few")]
    )
    out = indicators(both, None, None, compared=True)
    assert out.set_index("area")["events"].to_dict() == {"a1": 1.0, "a2": 4.0}
    places = pd.DataFrame(
        {"kind": "findings", "place": ["Torget", "Parken"], "category": "x", "n": [4, 1]}
    )
    out = place_indicators(places, None, None, 0.05, 6)
    assert "events" not in out.columns
    assert out["area"].tolist() == ["Parken", "Torget"]


# --- point 5 end to end: a lägesbild of walk findings --------------------------------------------

# id, area, walk date, status, deadline, severity
FINDINGS = [
    ("F1", "A", "2024-03-05", "new", "2024-04-30", 3),
    ("F2", "A", "2024-03-05", "in_progress", "2024-03-10", 1),  # overdue on 31 March
    ("F3", "A", "2024-03-20", "done", "2024-04-10", 2),
    ("F4", "A", "2024-02-10", "new", "2024-05-01", 2),  # comparison period
    ("F5", "B", "2024-03-12", "rejected", "2024-04-01", 3),
    ("F6", "B", "2024-03-12", "new", "2024-03-15", 2),  # overdue
    ("F7", "C", "2024-02-01", "new", "2024-02-20", 1),  # comparison period, overdue
]


def _findings() -> gpd.GeoDataFrame:
    centre = {n: (x + 500, y + 500) for n, (x, y) in SQUARES.items()}
    return gpd.GeoDataFrame(
        {
            "finding_id": [f[0] for f in FINDINGS],
            "walk_id": [f"{f[1]} {f[2]}" for f in FINDINGS],
            "walk_date": pd.to_datetime([f[2] for f in FINDINGS]),
            "category": "lighting",
            "severity": pd.array([f[5] for f in FINDINGS], dtype="Int64"),
            "responsible_actor": "trafikkontoret",
            "status": [f[3] for f in FINDINGS],
            "deadline": pd.to_datetime([f[4] for f in FINDINGS]),
            "status_date": pd.to_datetime([f[2] for f in FINDINGS]),
        },
        geometry=gpd.points_from_xy(
            [centre[f[1]][0] + i for i, f in enumerate(FINDINGS)],
            [centre[f[1]][1] for f in FINDINGS],
        ),
        crs="EPSG:3006",
    )


def _build(**kwargs: object) -> object:
    options: dict[str, object] = {
        "areas": areas(),
        "by": ("stadsdel", "kommun"),
        "period": "2024-03",
        "compare": "previous",
        "crosswalk": CROSSWALK,
    }
    options.update(kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return build_lagesbild(_findings(), **options)  # type: ignore[arg-type]


def test_a_findings_lagesbild_counts_but_never_tests() -> None:
    lb = _build()
    t = lb.totals  # type: ignore[attr-defined]
    rows = t[(t["kind"] == "findings") & (t["bucket"] == "area")].set_index(["level", "area"])
    sd = rows.loc["stadsdel"]
    # March: A F1 F2 F3, B F5 F6; February: A F4, C F7
    assert sd["n"].to_dict() == {"A": 3, "B": 2, "C": 0, "D": 0}
    assert sd["n_compare"].to_dict() == {"A": 1, "B": 0, "C": 1, "D": 0}
    assert set(rows["change_code"]) == {"not_tested"}
    assert rows["p_value"].isna().all()
    assert rows["change"].isna().all()
    # the latest walk of the period per area, and the findings it noted
    assert sd["latest_walk"].tolist()[:2] == [
        pd.Timestamp("2024-03-20"),
        pd.Timestamp("2024-03-12"),
    ]
    assert sd["latest_walk"].iloc[2:].isna().all()
    assert sd["n_latest_walk"].tolist() == [1, 2, 0, 0]
    km = rows.loc["kommun"]
    assert km.loc["K1", "latest_walk"] == pd.Timestamp("2024-03-20")
    assert km["n_latest_walk"].to_dict() == {"K1": 1, "K2": 0}
    # no change label says "ökning" or "minskning" for a walk
    worded = labels.with_words(t[t["kind"] == "findings"], lang="sv")
    shown = set(worded["change_label"].dropna())
    assert shown == {"jämförs inte: fynd speglar var man har vandrat"}


def test_a_findings_lagesbild_prioritises_by_open_and_overdue() -> None:
    lb = _build(weights={"open": 1, "overdue": 1})
    pri = lb.priorities  # type: ignore[attr-defined]
    assert not {"events", "change", "increase"} & set(pri.columns)
    sd = by_area(pri[pri["level"] == "stadsdel"])
    # judged on 31 March. open (not done/rejected): A F1 F2 F4 = 3, B F6 = 1, C F7 = 1, D 0
    # overdue: A F2, B F6, C F7 = 1 each, D 0
    assert sd["open"].to_dict() == {"A": 3.0, "B": 1.0, "C": 1.0, "D": 0.0}
    assert sd["overdue"].to_dict() == {"A": 1.0, "B": 1.0, "C": 1.0, "D": 0.0}
    # open scaled: A 3/3, B 1/3, C 1/3, D 0; overdue: A B C 1/3, D 0; weights .5 / .5
    assert sd["score"].to_dict() == pytest.approx(
        {"A": 0.5 + 1 / 6, "B": 1 / 3, "C": 1 / 3, "D": 0.0}
    )
    assert sd["rank"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert sd["tied"].to_dict() == {"A": False, "B": True, "C": True, "D": False}
    # the median of open (3, 1, 1, 0) is 1 and of overdue 1: only A's open is above
    assert sd["reason"].to_dict() == {"A": "open:top", "B": "none", "C": "none", "D": "none"}
    worded = by_area(labels.with_words(sd.reset_index(), lang="sv"))
    assert worded.loc["A", "why"] == "Flest öppna brister"


def test_the_default_weights_of_a_findings_lagesbild() -> None:
    lb = _build()
    pri = lb.priorities  # type: ignore[attr-defined]
    # no events, no change: overdue and severity, 0.2 each of 0.4 -> 0.5 each
    assert pri.attrs["weights"] == pytest.approx({"overdue": 0.5, "severity": 0.5})
    sd = by_area(pri[pri["level"] == "stadsdel"])
    # severity of the open findings: A (3, 1, 2) 2, B 2, C 1, D none (missing)
    # overdue A B C 1/3, D 0; severity (m = 3) A 1/2, B 1/2, C 0 -> A = B = 1/6 + 1/4
    assert sd["score"].to_dict() == pytest.approx({"A": 5 / 12, "B": 5 / 12, "C": 1 / 6, "D": 0})
    assert sd["rank"].to_dict() == {"A": 1, "B": 1, "C": 3, "D": 4}
    assert set(sd["reason"]) == {"none"}  # nothing above the medians (1 and 2)


def test_the_exports_and_the_pack_show_ties_and_no_rank(tmp_path: Path) -> None:
    places = gpd.GeoDataFrame(
        {"area_id": ["P"], "name": ["Torget"], "radius_m": [300.0]},
        geometry=gpd.points_from_xy([500], [1500]),
        crs="EPSG:3006",
    )
    lb = _build(places=places)
    pri = lb.priorities  # type: ignore[attr-defined]
    place = pri[pri["level"] == "place"].iloc[0]
    assert pd.isna(place["rank"])
    assert place["no_rank"] == "one_area"
    # the place's findings are not tested either
    found = lb.places  # type: ignore[attr-defined]
    assert set(found.loc[found["kind"] == "findings", "change_code"]) == {"not_tested"}
    lb.to_csv(tmp_path / "sv", lang="sv")  # type: ignore[attr-defined]
    sheet = pd.read_csv(tmp_path / "sv" / "Prioritering.csv", sep=";", encoding="utf-8-sig")
    assert "Placering" in sheet.columns
    assert "no_rank" not in sheet.columns
    shown = dict(zip(sheet["Område"], sheet["Placering"], strict=True))
    assert shown["A"] == "1 (delad)"
    assert shown["C"] == "3"
    assert shown["Torget"] == "ingen rangordning möjlig: bara ett område på nivån"
    html = lb.to_html(tmp_path / "r.html", lang="en").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert "1 (tied)" in html
    assert "no ranking possible: only one area at this level" in html
    figures = _figures(lb.for_area("stadsdel", "A"), "sv")  # type: ignore[attr-defined]
    assert figures["rank"] == 1
    assert figures["rank_text"] == "1 (delad)"
    alone = _figures(lb.for_area("kommun", "K1"), "sv")  # type: ignore[attr-defined]
    # kommun: overdue K1 2 (F2, F6), K2 1 (F7); open severity K1 2, K2 1: K1 first, alone
    assert alone["rank_text"] == "1"


# --- property: ranks do not depend on the row order; ties share the min rank ---------------------


@st.composite
def _tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 10))
    return pd.DataFrame(
        {
            "level": draw(st.lists(st.sampled_from(["lpo", "kommun"]), min_size=n, max_size=n)),
            "area": [f"omr{i}" for i in range(n)],
            "events": draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)),
            "overdue": draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
        }
    )


@settings(max_examples=80, deadline=None)
@given(_tables(), st.randoms(use_true_random=False))
def test_ranks_are_order_independent_and_ties_share_the_min_rank(
    table: pd.DataFrame, rnd: object
) -> None:
    weights = {"events": 0.6, "overdue": 0.4}
    order = list(range(len(table)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a = by_area(prioritize(table, weights=weights))
    b = by_area(prioritize(table.iloc[order].reset_index(drop=True), weights=weights))
    for column in ("rank", "tied", "no_rank", "reason"):
        assert a[column].to_dict() == b.loc[a.index, column].to_dict(), column
    for _, part in a.groupby("level"):
        scores = part["score"].round(9)
        if len(part) == 1:
            assert set(part["no_rank"]) == {"one_area"}
            continue
        if (scores == 0).all():
            assert set(part["no_rank"]) == {"all_zero"}
            continue
        for area, score in scores.items():
            assert part.loc[area, "rank"] == 1 + int((scores > score).sum())
            assert part.loc[area, "tied"] == bool((scores == score).sum() > 1)
