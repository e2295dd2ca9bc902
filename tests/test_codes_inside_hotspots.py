"""Codes inside, words at the edges (issue 12, point 4).

The analysis layers return codes and take no ``lang``; :mod:`geo_trygg.labels` turns the codes
into the words the old outputs held, for the exports, maps, the pack and the command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo_trygg import hotspots, labels, stats
from geo_trygg.hotspots import (
    cell_change,
    classify_hotspot_series,
    emerging_hotspot_series,
    gi_star,
    knox_test,
    make_grid,
)
from geo_trygg.labels import names, with_words
from geo_trygg.stats import change_table

ROOT = Path(__file__).resolve().parents[1] / "geo_trygg"

ANALYSIS_MODULES = ["stats", "hotspots"]
"""Packages (folders of ``geo_trygg``) or modules (``name.py``) whose public functions take no
``lang``."""

PRESENTATION = {
    # a words function kept importable as a thin wrapper around geo_trygg.labels
    "stats/_change.py:change_labels",
    # presentation methods of a result object: the conclusion as a sentence
    "stats/_evaluation.py:WDDResult.statement",
    "stats/_evaluation.py:WDDResult.to_dict",
}
"""``file:function`` allowed a ``lang`` parameter: their whole job is words."""


def _files(name: str) -> list[Path]:
    path = ROOT / name
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _public_functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef]]:
    """Module-level public functions and the public methods of public classes."""
    found: list[tuple[str, ast.FunctionDef]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            found.extend(
                (f"{node.name}.{item.name}", item)
                for item in node.body
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
            )
    return found


def _parameters(function: ast.FunctionDef) -> list[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return [a.arg for a in every]


def test_no_public_analysis_function_takes_lang() -> None:
    offenders, allowed_seen = [], set()
    for name in ANALYSIS_MODULES:
        files = _files(name)
        assert files, name
        for path in files:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for qualname, function in _public_functions(tree):
                if "lang" not in _parameters(function):
                    continue
                key = f"{path.relative_to(ROOT).as_posix()}:{qualname}"
                if key in PRESENTATION:
                    allowed_seen.add(key)
                else:
                    offenders.append(key)
    assert offenders == []
    # the exceptions exist (a stale entry would hide nothing, but says something false)
    assert allowed_seen == PRESENTATION


def test_the_scan_sees_a_lang_parameter() -> None:
    tree = ast.parse("def f(x, *, lang=None):\n    pass\nclass C:\n    def g(self, lang): ...\n")
    found = {q: _parameters(f) for q, f in _public_functions(tree)}
    assert found == {"f": ["x", "lang"], "C.g": ["self", "lang"]}


@pytest.mark.parametrize(
    "function",
    [
        change_table,
        cell_change,
        gi_star,
        classify_hotspot_series,
        emerging_hotspot_series,
        hotspots.hotspot_classify,
        hotspots.emerging_hotspots,
        knox_test,
    ],
)
def test_lang_is_refused_by_analysis_functions(function: object) -> None:
    with pytest.raises(TypeError, match="lang"):
        function(lang="en")  # type: ignore[operator]


# --- the kinds of this part ---------------------------------------------------------------------

KIND_CODES = {
    "change": stats.CHANGE_CODES,
    "series_class": hotspots.SERIES_CLASSES,
    "emerging_pattern": hotspots.EMERGING_PATTERNS,
    "knox": hotspots.KNOX_PATTERNS,
    "hotspot_class": hotspots.HOTSPOT_CLASSES,
}


@pytest.mark.parametrize(("kind", "codes"), KIND_CODES.items())
def test_kind_has_every_code_in_both_languages(kind: str, codes: tuple[str, ...]) -> None:
    sv, en = names(kind, lang="sv"), names(kind, lang="en")
    assert list(sv) == list(en)
    assert set(sv) == set(codes)
    assert len(sv) == len(codes)
    for words in (sv, en):
        assert all(isinstance(w, str) and w.strip() for w in words.values())
        assert len(set(words.values())) == len(words)  # no two codes read alike


def test_columns_registered() -> None:
    assert labels.COLUMNS["change_code"] == ("change", "change_label")
    assert labels.COLUMNS["hotspot_class"] == ("series_class", "hotspot_class_label")
    assert labels.COLUMNS["pattern"] == ("emerging_pattern", "pattern_label")
    assert labels.COLUMNS["knox_pattern"] == ("knox", "label")
    assert labels.COLUMNS["hotspot"] == ("hotspot_class", "hotspot_label")
    for kind, _ in labels.COLUMNS.values():
        assert kind in labels.KINDS


# --- with_words gives the words the old outputs held -------------------------------------------


def test_change_table_words_as_before() -> None:
    table = change_table([40, 2, 25, 5, None], [20, 1, 24, 30, 3])
    assert table["change_code"].tolist() == [
        "increase",  # 40 against 20: p = 0.0135, BH over three rows
        "too_few",  # 3 events
        "no_clear_change",
        "decrease",  # 5 against 30
        "no_data",  # a missing count
    ]
    sv = with_words(table, lang="sv")
    # the old change_table's columns, in their order
    assert list(sv.columns) == [
        "current",
        "previous",
        "exposure_ratio",
        "expected",
        "change",
        "rate_ratio",
        "p_value",
        "no_events",
        "p_adjusted",
        "change_code",
        "change_label",
    ]
    assert sv["change_label"].tolist() == [
        "ökning",
        "för få händelser för att säga",
        "ingen säker förändring",
        "minskning",
        "uppgift saknas",
    ]
    en = with_words(table, lang="en")["change_label"].tolist()
    assert en == ["increase", "too few events to say", "no clear change", "decrease", "no data"]


def test_deprecated_change_labels_wrapper_still_gives_words() -> None:
    out = stats.change_labels([30, 3], [10, 0], [0.001, 0.2], lang="sv")
    assert out.name == "change_label"
    assert out.tolist() == ["ökning", "för få händelser för att säga"]


def _grid() -> gpd.GeoDataFrame:
    return make_grid(gpd.GeoSeries([box(0, 0, 500, 500)], crs="EPSG:3006"), cell_size=100)


def test_gi_star_and_cell_change_words_as_before() -> None:
    grid = _grid()
    grid["n"] = 0
    grid.loc[[6, 7, 8, 11, 12, 13, 16, 17, 18], "n"] = 10  # the middle 3 x 3 block
    hot = gi_star(grid)
    worded = with_words(hot, lang="sv")
    columns = list(worded.columns)
    assert columns[columns.index("hotspot") : columns.index("hotspot") + 3] == [
        "hotspot",
        "hotspot_label",
        "n_neighbours",
    ]
    assert hot.loc[12, "hotspot"] == "hot_99"
    assert worded.loc[12, "hotspot_label"] == "brännpunkt (99 %)"
    assert worded.loc[0, "hotspot_label"] == "ingen säker brännpunkt"
    assert with_words(hot, lang="en").loc[12, "hotspot_label"] == "hot spot (99 %)"

    times = pd.to_datetime(["2024-03-05"] * 12 + ["2024-02-05"] * 2).tz_localize(
        "Europe/Stockholm"
    )
    events = gpd.GeoDataFrame(
        {"time_from": times}, geometry=gpd.points_from_xy([50] * 14, [50] * 14), crs="EPSG:3006"
    )
    change = cell_change(grid, events, period="2024-03")
    assert "change_label" not in change.columns
    words = with_words(change, lang="sv")
    assert list(words.columns[-2:]) == ["change_code", "change_label"]
    # 12 against 2 events (31 / 29 days) in the first cell, nothing elsewhere
    assert words.loc[0, "change_label"] == "ökning"
    assert set(words["change_label"].iloc[1:]) == {"för få händelser för att säga"}


def test_series_classes_and_patterns_words_as_before() -> None:
    # ten periods; cell 0 hot in 9 of them (not the last), cell 1 only in the last two,
    # cell 2 never
    z = [[3.0] * 9 + [0.5], [0.1] * 8 + [2.5, 2.8], [0.2] * 10]
    p = [[0.01] * 9 + [0.6], [0.9] * 8 + [0.02, 0.01], [0.8] * 10]
    classes = classify_hotspot_series(z, p)
    sv = with_words(classes, lang="sv")
    assert list(sv.columns[:3]) == ["hotspot_class", "hotspot_class_label", "n_hot"]
    assert sv["hotspot_class_label"].tolist() == [
        "ihållande brännpunkt",
        "framväxande brännpunkt",
        "inget mönster",
    ]
    en = with_words(classes, lang="en")["hotspot_class_label"].tolist()
    assert en == ["persistent hot spot", "emerging hot spot", "no pattern"]

    # cell 0 hot only in the last period, cell 1 hot throughout with z rising, cell 2 hot in
    # the first nine only
    z = [[0.5] * 9 + [3.0], list(np.linspace(2.5, 7.0, 10)), [3.0] * 9 + [0.4]]
    p = [[0.7] * 9 + [0.01], [0.01] * 10, [0.01] * 9 + [0.7]]
    patterns = emerging_hotspot_series(z, p)
    sv = with_words(patterns, lang="sv")
    assert list(sv.columns[:3]) == ["pattern", "pattern_label", "n_hot"]
    assert sv["pattern_label"].tolist() == [
        "ny brännpunkt",
        "tilltagande brännpunkt",
        "historisk brännpunkt",
    ]
    en = with_words(patterns, lang="en")["pattern_label"].tolist()
    assert en == ["new hot spot", "intensifying hot spot", "historical hot spot"]


def test_knox_words_as_before() -> None:
    # two events 50 m and 2 days apart, a third far away: the first band holds one pair,
    # the others none
    times = pd.to_datetime(["2024-05-01", "2024-05-03", "2024-06-20"]).tz_localize(
        "Europe/Stockholm"
    )
    events = gpd.GeoDataFrame(
        {"time_from": times},
        geometry=gpd.points_from_xy([0, 50, 5000], [0, 0, 0]),
        crs="EPSG:3006",
    )
    table = knox_test(events, space_bands=(0, 100, 200), time_bands=((0, 7),), permutations=19)
    assert "label" not in table.columns
    # permuting three times keeps the one close pair close in time: no pattern; no pair at all
    # can fall in 100-200 m
    assert table["knox_pattern"].tolist() == ["no_pattern", "no_pairs"]
    sv = with_words(table, lang="sv")
    assert list(sv.columns[-3:]) == ["near_repeat", "knox_pattern", "label"]
    assert sv["label"].tolist() == [
        "Inget tydligt mönster: antalet par kan bero på slumpen",
        "Kan inte prövas: inga par av händelser kan hamna i detta band",
    ]
    en = with_words(table, lang="en")["label"].tolist()
    assert en == [
        "No clear pattern: the number of pairs may be chance",
        "Cannot be tested: no pair of events can fall in this band",
    ]
