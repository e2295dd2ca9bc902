"""Findings vocabulary: categories, statuses, actors, severity (geo_trygg.vocab.findings)."""

from __future__ import annotations

import csv
from importlib import resources

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError
from geo_trygg import settings as gt_settings
from geo_trygg.vocab.findings import (
    ACTORS,
    FINDING_CATEGORIES,
    STATUSES,
    label,
    map_actors,
    map_finding_categories,
    map_severity,
    map_statuses,
    normalize_text,
)


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("geo_trygg.vocab").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_category_codes_are_those_of_the_data_model() -> None:
    assert FINDING_CATEGORIES == (
        "lighting",
        "vegetation",
        "hiding_places",
        "litter",
        "graffiti_vandalism",
        "broken_equipment",
        "traffic",
        "empty_premises",
        "drugs",
        "unsafe_passage",
        "unauthorized_settlement",
        "other",
    )
    assert STATUSES == ("new", "in_progress", "done", "rejected")
    assert set(ACTORS) == {
        "stadsdelsforvaltning",
        "trafikkontoret",
        "fastighetsagare",
        "sl",
        "bostadsbolag",
        "polis",
        "other",
        # issue 17
        "skola",
        "socialtjanst",
        "faltassistenter",
        "raddningstjansten",
        "privat_bostadsbolag",
        "brf",
        "trafikoperator",
        "ordningsvakter",
        "lansstyrelsen",
        "foretagare",
        "civilsamhalle",
    }


def test_tables_point_only_to_known_codes_and_do_not_contradict() -> None:
    codes = set(FINDING_CATEGORIES)
    seen: dict[str, str] = {}
    for row in _rows("finding_category_synonyms.csv"):
        assert row["code"] in codes, row
        key = normalize_text(row["synonym"])
        assert seen.setdefault(key, row["code"]) == row["code"], f"{key!r} maps twice"
    for row in _rows("finding_keywords.csv"):
        assert row["code"] in codes, row
        assert row["match"] in ("word_start", "word", "anywhere"), row
        assert float(row["priority"]) > 0
    status_seen: dict[str, str] = {}
    for row in _rows("statuses.csv"):
        for syn in row["synonyms"].split("|"):
            key = normalize_text(syn)
            assert status_seen.setdefault(key, row["code"]) == row["code"], key


def test_issue_examples_map_to_lighting() -> None:
    texts = pd.Series(["Dålig belysning", "Trasig lampa", "belysning"], index=[7, 8, 9])
    out = map_finding_categories(texts)
    assert out.tolist() == ["lighting"] * 3
    assert out.index.tolist() == [7, 8, 9]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BELYSNING", "lighting"),
        ("Dalig belysning", "lighting"),  # typed without å
        ("Gatlampan är trasig", "lighting"),  # keyword inside a compound, beats 'trasig'
        ("Klotter på trasig bänk", "graffiti_vandalism"),
        ("Buskar skymmer sikten", "vegetation"),
        ("Öde plats vid tunnelbanan", "empty_premises"),
        ("Högt vattenflöde i diket", "other"),  # 'flöde' must not match 'öde'
        ("Fimpar och skräp", "litter"),
        ("Langning vid skolan", "drugs"),
        ("Höga hastigheter på gatan", "traffic"),
        ("Trasigt staket", "broken_equipment"),
        ("Övrigt", "other"),
        ("Hundbajs", "other"),
    ],
)
def test_category_rules(text: str, code: str) -> None:
    assert map_finding_categories(pd.Series([text])).iat[0] == code


def test_missing_category_is_other() -> None:
    out = map_finding_categories(pd.Series([None, float("nan"), "  "]))
    assert out.tolist() == ["other", "other", "other"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=8))
def test_categories_always_a_code(texts: list[str | None]) -> None:
    out = map_finding_categories(pd.Series(texts, dtype=object))
    assert len(out) == len(texts)
    assert set(out) <= set(FINDING_CATEGORIES)


def test_statuses() -> None:
    texts = [
        "Ny",
        "pågående",
        "Påbörjad",
        "Åtgärdad",
        "klar",
        "avvisad",
        "ej åtgärd",
        "Ej åtgärdad",
        "kanske",
        None,
    ]
    assert map_statuses(pd.Series(texts)).tolist() == [
        "new",
        "in_progress",
        "in_progress",
        "done",
        "done",
        "rejected",
        "rejected",
        "new",
        None,
        None,
    ]


def test_actors_keep_unknown_as_other() -> None:
    texts = [
        "SDF Skärholmen",
        "Stadsdelsförvaltningen",
        "Trafikkontoret",
        "SL",
        "Kollektivtrafiken",
        "Fastighetsägaren",
        "Svenska Bostäder",
        "Polisen",
        "Grannföreningen",
        None,
    ]
    assert map_actors(pd.Series(texts)).tolist() == [
        "stadsdelsforvaltning",
        "stadsdelsforvaltning",
        "trafikkontoret",
        "sl",
        "sl",
        "fastighetsagare",
        "bostadsbolag",
        "polis",
        "other",
        None,
    ]


def test_severity() -> None:
    values = [
        1,
        2.0,
        "3",
        "2,0",
        "låg",
        "Medel",
        "HÖG",
        "high",
        "3 - hög",
        "5",
        "x",
        0,
        True,
        None,
    ]
    out = map_severity(pd.Series(values, dtype=object))
    assert str(out.dtype) == "Int64"
    assert out.tolist()[:9] == [1, 2, 3, 2, 1, 2, 3, 3, 3]
    assert out.isna().tolist()[9:] == [True] * 5


def test_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    assert label("lighting", "sv") == "Belysning"
    assert label("lighting", "en") == "Lighting"
    assert label("in_progress", "sv") == "Pågående"
    assert label("other", "sv") == "Övrigt"
    assert label("other", "sv", kind="actor") == "Annan aktör"
    assert label("sl", "en") == "SL (public transport)"
    assert label(3, "sv") == "Hög"
    assert label("no_such_code", "sv") == "no_such_code"
    monkeypatch.setattr(gt_settings, "lang", "en")
    assert label("drugs") == "Drug-related"
    with pytest.raises(ConfigError, match="kind"):
        label("lighting", kind="colour")


def test_sl_is_known_by_its_other_names() -> None:
    names = ["S.L.", "Storstockholms lokaltrafik", "SL AB", "sl"]
    assert map_actors(pd.Series(names)).tolist() == ["sl"] * 4
    # a word that only starts like SL stays unknown
    assert map_actors(pd.Series(["Slottsförvaltningen"])).tolist() == ["other"]
