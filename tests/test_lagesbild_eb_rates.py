"""Smoothed rates in the lägesbild (per_1000_eb beside per_1000) and in the prioritisation:
a 200-inhabitant area with 2 events does not rank first by chance."""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from squares import CROSSWALK, SQUARES
from squares import areas as square_areas

from geo_trygg import labels
from geo_trygg.lagesbild import build_lagesbild, prioritize
from geo_trygg.lagesbild._priority import DEFAULT_WEIGHTS, POPULATION_WEIGHTS
from geo_trygg.lagesbild._tables import with_smoothed_rates

# area: (inhabitants, events); raw rates 10, 7.5, 4 and 2 per 1,000
AREAS = {"A": (200, 2), "B": (20_000, 150), "C": (15_000, 60), "D": (10_000, 20)}


def _eb_by_hand(pairs: list[tuple[int, int]]) -> list[float]:
    """Marshall's global EB per 1,000, in exact fractions: (population, events) per area."""
    b = [Fraction(p) for p, _ in pairs]
    e = [Fraction(n) for _, n in pairs]
    m = sum(e) / sum(b)
    r = [x / y for x, y in zip(e, b, strict=True)]
    a = sum(y * (x - m) ** 2 for x, y in zip(r, b, strict=True)) / sum(b) - m / (sum(b) / len(b))
    a = max(a, Fraction(0))
    out = []
    for x, y in zip(r, b, strict=True):
        w = a / (a + m / y) if m > 0 else Fraction(0)
        out.append(float((w * x + (1 - w) * m) * 1000))
    return out


def test_hand_values_of_the_four_areas() -> None:
    # m = 232 / 45,200; the between-area variance is positive, so each rate keeps a share
    got = _eb_by_hand(list(AREAS.values()))
    m = 232 / 45_200 * 1000
    assert got[0] == pytest.approx(5.889837, abs=1e-6)  # 10 → 5.89: pulled far towards 5.13
    assert got[1] == pytest.approx(7.378102, abs=1e-6)  # 7.5 → 7.38: hardly moves
    assert got[0] < got[1]
    assert all(
        min(raw, m) <= s <= max(raw, m) for raw, s in zip([10, 7.5, 4, 2], got, strict=True)
    )


def _indicators(with_eb: bool) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "level": "stadsdel",
            "area": list(AREAS),
            "events": [float(n) for _, n in AREAS.values()],
            "events_per_1000": [n / p * 1000 for p, n in AREAS.values()],
        }
    )
    if with_eb:
        table["events_per_1000_eb"] = _eb_by_hand(list(AREAS.values()))
    return table


def test_the_rate_indicator_is_the_smoothed_rate() -> None:
    raw = prioritize(_indicators(False), weights={"events_per_1000": 1.0})
    assert raw["area"].iloc[0] == "A"  # 10 per 1,000 by chance
    assert raw["rank"].iloc[0] == 1
    smoothed = prioritize(_indicators(True), weights={"events_per_1000": 1.0})
    assert smoothed.attrs["weights"] == {"events_per_1000_eb": 1.0}
    ranks = dict(zip(smoothed["area"], smoothed["rank"], strict=True))
    assert ranks == {"B": 1, "A": 2, "C": 3, "D": 4}
    assert "contrib_events_per_1000_eb" in smoothed.columns
    # the raw rate is listed beside the smoothed one
    row = smoothed.set_index("area").loc["A"]
    assert row["events_per_1000"] == pytest.approx(10.0)
    assert row["events_per_1000_eb"] == pytest.approx(5.889837, abs=1e-6)
    assert smoothed["reason"].iloc[0] == "events_per_1000_eb:top"
    assert labels.reason_words("events_per_1000_eb:top", lang="sv") == (
        "Flest händelser per 1 000 invånare (utjämnat)"
    )
    # naming both rates weights each as named
    both = prioritize(_indicators(True), weights={"events_per_1000": 1, "events_per_1000_eb": 1})
    assert set(both.attrs["weights"]) == {"events_per_1000", "events_per_1000_eb"}


def test_default_weights_with_a_smoothed_rate() -> None:
    assert sum(POPULATION_WEIGHTS.values()) == pytest.approx(1.0)
    assert POPULATION_WEIGHTS["events"] + POPULATION_WEIGHTS["events_per_1000_eb"] == (
        pytest.approx(DEFAULT_WEIGHTS["events"])
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ranked = prioritize(_indicators(True))
        plain = prioritize(_indicators(False))
    assert ranked.attrs["weights"] == {"events": 0.5, "events_per_1000_eb": 0.5}
    assert plain.attrs["weights"] == {"events": 1.0}
    # events ranks B C D A (1, 2/3, 1/3, 0), the smoothed rate B A C D (1, 2/3, 1/3, 0)
    scores = dict(zip(ranked["area"], ranked["score"].round(9), strict=True))
    assert scores == pytest.approx({"B": 1.0, "C": 0.5, "A": 1 / 3, "D": 1 / 6})


# --- the lägesbild ---------------------------------------------------------------------------


def _population() -> gpd.GeoDataFrame:
    layer = square_areas()
    layer = layer[layer["level"] == "stadsdel"].reset_index(drop=True)
    return layer.assign(population=[float(AREAS[n][0]) for n in layer["name"]])


def _events() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    xs, ys = [], []
    for name, (_, n) in AREAS.items():
        x0, y0 = SQUARES[name]
        xs += list(x0 + rng.uniform(100, 900, n))
        ys += list(y0 + rng.uniform(100, 900, n))
    times = pd.Timestamp("2024-03-05 12:00", tz="Europe/Stockholm")
    return gpd.GeoDataFrame(
        {
            "event_id": [str(i) for i in range(len(xs))],
            "time_from": times,
            "time_to": times,
            "category": ["theft"] * len(xs),
            "location_precision": "exact",
            "text": "",
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:3006",
    )


def _build(**options: object) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            events=_events(),
            areas=square_areas(),
            by=("stadsdel", "kommun"),
            period="2024-03",
            crosswalk=CROSSWALK,
            population=_population(),
            **options,  # type: ignore[arg-type]
        )


def test_lagesbild_smooths_within_each_level() -> None:
    lb = _build()
    totals = lb.totals  # type: ignore[attr-defined]
    areas = totals[totals["bucket"] == "area"].set_index(["level", "area"])
    expected = dict(zip(AREAS, _eb_by_hand(list(AREAS.values())), strict=True))
    for name, value in expected.items():
        assert areas.loc[("stadsdel", name), "per_1000_eb"] == pytest.approx(value, rel=1e-12)
        p, n = AREAS[name]
        assert areas.loc[("stadsdel", name), "per_1000"] == pytest.approx(n / p * 1000)
    # the kommuner (A+B, C+D) towards their own level's mean
    k1, k2 = _eb_by_hand([(20_200, 152), (25_000, 80)])
    assert areas.loc[("kommun", "K1"), "per_1000_eb"] == pytest.approx(k1, rel=1e-12)
    assert areas.loc[("kommun", "K2"), "per_1000_eb"] == pytest.approx(k2, rel=1e-12)
    # outside and too coarse rows have no rate
    assert totals.loc[totals["bucket"] != "area", "per_1000_eb"].isna().all()
    # one category: the long table's rates are the totals'
    long = lb.areas  # type: ignore[attr-defined]
    theft = long[(long["bucket"] == "area") & (long["category"] == "theft")]
    theft = theft.set_index(["level", "area"])["per_1000_eb"]
    assert theft.loc[("stadsdel", "A")] == pytest.approx(expected["A"], rel=1e-12)
    # the column stands beside the raw one
    columns = list(totals.columns)
    assert columns.index("per_1000_eb") == columns.index("per_1000") + 1
    # the note says what smoothing does
    assert any("små områden dras mot genomsnittet" in n for n in lb.notes)  # type: ignore[attr-defined]


def test_lagesbild_prioritises_by_the_smoothed_rate() -> None:
    lb = _build(weights={"events_per_1000": 1.0})
    pri = lb.priorities  # type: ignore[attr-defined]
    stadsdel = pri[pri["level"] == "stadsdel"]
    assert stadsdel["area"].iloc[0] == "B"
    assert dict(zip(stadsdel["area"], stadsdel["rank"], strict=True))["A"] == 2
    default = _build().priorities  # type: ignore[attr-defined]
    # compared with the previous period (the default): events, the smoothed rate, increase
    assert default.attrs["weights"] == pytest.approx(
        {"events": 1 / 3, "events_per_1000_eb": 1 / 3, "increase": 1 / 3}
    )


def test_without_population_nothing_changes() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            events=_events(), areas=square_areas(), by=("stadsdel",), period="2024-03"
        )
    assert "per_1000_eb" not in lb.totals.columns
    assert lb.priorities.attrs["weights"] == pytest.approx({"events": 2 / 3, "increase": 1 / 3})
    assert not any("utjämna" in n for n in lb.notes)


def test_exports_name_the_smoothed_rate_in_words(tmp_path: Path) -> None:
    lb = _build()
    path = lb.to_excel(tmp_path / "lb.xlsx", lang="sv")  # type: ignore[attr-defined]
    book = load_workbook(path, read_only=True)
    headers = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=1, values_only=True):
            headers |= {str(v) for v in row if v is not None}
    assert {"Per 1 000 invånare", "Per 1 000 invånare, utjämnat"} <= headers
    page = lb.to_html(tmp_path / "lb.html", lang="sv").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert "Per 1 000 invånare, utjämnat" in page
    assert "små områden dras mot genomsnittet" in page
    english = lb.to_html(tmp_path / "en.html", lang="en").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert "Per 1,000 inhabitants, smoothed" in english


def test_smoothing_groups_never_mix_levels() -> None:
    frame = pd.DataFrame(
        {
            "kind": "events",
            "level": ["x", "x", "y", "y", "x"],
            "bucket": ["area", "area", "area", "area", "outside"],
            "area": ["a", "b", "a", "b", None],
            "n": [2, 150, 2, 150, 9],
            "population": [200, 20_000, 200, 20_000, np.nan],
        }
    )
    got = with_smoothed_rates(frame, ["kind", "level"])["per_1000_eb"].to_numpy()
    pair = _eb_by_hand([(200, 2), (20_000, 150)])  # variance < 0: both get the prior
    np.testing.assert_allclose(got[:4], pair + pair, rtol=1e-12)
    assert np.isnan(got[4])
