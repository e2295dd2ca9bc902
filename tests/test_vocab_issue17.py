"""Issue 17: the actors and problems the seeds and protocols name map as the issue states, and
every synonym of the actor and category vocabularies maps to its one code."""

from __future__ import annotations

import csv
import unicodedata
from importlib import resources

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import labels as words_module
from geo_trygg.vocab.findings import (
    ACTOR_GROUPS,
    ACTORS,
    FINDING_CATEGORIES,
    actor_groups,
    label,
    map_actor_groups,
    map_actors,
    map_finding_categories,
    normalize_text,
)


def ascii_fold(text: str) -> str:
    """The text as typed without Swedish letters (å, ä → a; ö → o; é → e)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("geo_trygg.vocab").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


# --- the issue's table ----------------------------------------------------------------------

# (text as written in a seed or protocol, actor code, actor group)
ISSUE_ACTORS = [
    ("BRF Solbacken", "brf", "privat"),
    ("Bostadsrättsföreningen", "brf", "privat"),
    ("Brf Tallen", "brf", "privat"),
    ("Nobina", "trafikoperator", "region_stat"),
    ("Arriva", "trafikoperator", "region_stat"),
    ("Keolis", "trafikoperator", "region_stat"),
    ("MTR Tunnelbanan", "trafikoperator", "region_stat"),
    ("Trafikförvaltningen", "sl", "region_stat"),
    ("SL", "sl", "region_stat"),
    ("Ordningsvakter", "ordningsvakter", "privat"),
    ("Bevakningsföretaget", "ordningsvakter", "privat"),
    ("Skolan", "skola", "kommun"),
    ("Socialtjänsten", "socialtjanst", "kommun"),
    ("Fältassistenter", "faltassistenter", "kommun"),
    ("Fritidsgården", "faltassistenter", "kommun"),
    ("Företagare", "foretagare", "privat"),
    ("Näringsidkare", "foretagare", "privat"),
    ("Civilsamhället", "civilsamhalle", "civilsamhalle"),
    ("Föreningar", "civilsamhalle", "civilsamhalle"),
    ("Trossamfund", "civilsamhalle", "civilsamhalle"),
    ("Polisen", "polis", "region_stat"),
    ("Räddningstjänsten", "raddningstjansten", "kommun"),
    ("Länsstyrelsen", "lansstyrelsen", "region_stat"),
    ("Allmännyttan", "bostadsbolag", "kommun"),
    ("Privat hyresvärd", "privat_bostadsbolag", "privat"),
    ("Centrumägaren", "fastighetsagare", "privat"),
    ("Gatukontoret", "trafikkontoret", "kommun"),
    ("Stadsdelsförvaltningen", "stadsdelsforvaltning", "kommun"),
]


@pytest.mark.parametrize(("text", "code", "group"), ISSUE_ACTORS)
def test_issue_actors_map_as_stated(text: str, code: str, group: str) -> None:
    actor = map_actors(pd.Series([text])).iloc[0]
    assert actor == code
    assert map_actor_groups(pd.Series([actor])).iloc[0] == group


ISSUE_PROBLEMS = [
    ("otillåten bosättning", "unauthorized_settlement"),
    ("Otillåtna bosättningar", "unauthorized_settlement"),
    ("tältläger", "unauthorized_settlement"),
    ("Tältläger i skogen bakom skolan", "unauthorized_settlement"),
    ("kåkstad", "unauthorized_settlement"),
    ("bosättning i skogsdunge", "unauthorized_settlement"),
    ("Otrygg passage", "unsafe_passage"),
    ("otrygg tunnel", "unsafe_passage"),
    ("Otrygg gångtunnel under vägen", "unsafe_passage"),
    ("skymd sikt", "vegetation"),
    ("Skymd sikt vid korsningen", "vegetation"),
    ("öde plats", "empty_premises"),
    ("trasig utrustning", "broken_equipment"),
    ("klotter/skadegörelse", "graffiti_vandalism"),
    ("nedskräpning", "litter"),
    ("sprutor", "drugs"),
    ("belysning", "lighting"),
    ("vegetation", "vegetation"),
    ("gömställen", "hiding_places"),
    ("trafikfara", "traffic"),
    ("Hundbajs", "other"),
]


@pytest.mark.parametrize(("text", "code"), ISSUE_PROBLEMS)
def test_issue_problems_map_as_stated(text: str, code: str) -> None:
    assert map_finding_categories(pd.Series([text])).iloc[0] == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Slänten vid busshållplatsen", "other"),  # "sl" is a whole word only
        ("Slussen", "other"),
        ("SL-spärren", "sl"),
        ("Rinkebyskolan", "skola"),  # a school's name ends in -skolan
        ("Mobrf", "other"),  # "brf" is a whole word only
        # "förening" alone is a legal form (ekonomisk förening, samfällighetsförening), not
        # a keyword: only the whole texts "förening(ar/en)" and named kinds are civil society
        ("Grannföreningen", "other"),
        ("Okänd förening X", "other"),
        ("Idrottsföreningen", "civilsamhalle"),
        ("Företagarföreningen", "foretagare"),  # the businesses' own association
        ("Hyresgästföreningen", "civilsamhalle"),
        ("Botkyrkabyggen", "bostadsbolag"),
        ("Okänd AB", "other"),
    ],
)
def test_actor_keywords_make_no_wrong_match(text: str, code: str) -> None:
    assert map_actors(pd.Series([text])).iloc[0] == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Otryggt vid tunnelbanan", "other"),  # "tunnel" is a whole word, not tunnelbana
        ("Passagerare känner sig otrygga", "other"),
        ("Mörk gångtunnel", "lighting"),  # lighting still comes first
        ("Tältläger med mycket skräp", "unauthorized_settlement"),
        ("Kontaktade kommunen", "other"),  # "tält"/"kåk" inside no other word
    ],
)
def test_category_keywords_make_no_wrong_match(text: str, code: str) -> None:
    assert map_finding_categories(pd.Series([text])).iloc[0] == code


# --- property: every synonym maps to its one code ------------------------------------------


def _actor_synonyms() -> list[tuple[str, str]]:
    pairs = []
    for row in _rows("actors.csv"):
        pairs += [(row["code"], row["code"]), (row["label_sv"], row["code"])]
        pairs += [(row["label_en"], row["code"])]
        pairs += [(s, row["code"]) for s in row["synonyms"].split("|") if s.strip()]
    return pairs


def _category_synonyms() -> list[tuple[str, str]]:
    pairs = []
    for row in _rows("finding_categories.csv"):
        pairs += [(row["code"], row["code"]), (row["label_sv"], row["code"])]
        pairs += [(row["label_en"], row["code"])]
    pairs += [(r["synonym"], r["code"]) for r in _rows("finding_category_synonyms.csv")]
    return pairs


ACTOR_SYNONYMS = _actor_synonyms()
CATEGORY_SYNONYMS = _category_synonyms()


@pytest.mark.parametrize("pairs", [ACTOR_SYNONYMS, CATEGORY_SYNONYMS], ids=["actor", "category"])
def test_no_synonym_maps_to_two_codes(pairs: list[tuple[str, str]]) -> None:
    exact: dict[str, set[str]] = {}
    folded: dict[str, set[str]] = {}
    for text, code in pairs:
        exact.setdefault(normalize_text(text), set()).add(code)
        folded.setdefault(ascii_fold(normalize_text(text)), set()).add(code)
    assert {k: v for k, v in exact.items() if len(v) > 1} == {}
    assert {k: v for k, v in folded.items() if len(v) > 1} == {}


def test_every_synonym_maps_to_its_code() -> None:
    texts, codes = zip(*ACTOR_SYNONYMS, strict=True)
    assert map_actors(pd.Series(texts)).tolist() == list(codes)
    texts, codes = zip(*CATEGORY_SYNONYMS, strict=True)
    assert map_finding_categories(pd.Series(texts)).tolist() == list(codes)


_DECORATIONS = st.tuples(
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["lower", "upper", "title", "fold"]),
    st.sampled_from(["", ".", "!", " :", " "]),
)


def _decorate(text: str, how: tuple[str, str, str]) -> str:
    lead, case, tail = how
    shown = {
        "lower": text.lower(),
        "upper": text.upper(),
        "title": text.title(),
        "fold": ascii_fold(text.casefold()),  # typed without a Swedish keyboard
    }[case]
    return lead + shown + tail


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ACTOR_SYNONYMS), _DECORATIONS)
def test_written_actor_synonym_maps_to_its_code(pair: tuple[str, str], how: tuple) -> None:
    text, code = pair
    assert map_actors(pd.Series([_decorate(text, how)])).iloc[0] == code


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CATEGORY_SYNONYMS), _DECORATIONS)
def test_written_category_synonym_maps_to_its_code(pair: tuple[str, str], how: tuple) -> None:
    text, code = pair
    assert map_finding_categories(pd.Series([_decorate(text, how)])).iloc[0] == code


# --- groups and words ------------------------------------------------------------------------


def test_every_actor_has_a_group_with_words() -> None:
    groups = actor_groups()
    assert list(groups) == list(ACTORS)
    assert set(groups.values()) == set(ACTOR_GROUPS)
    assert ACTOR_GROUPS == ("kommun", "region_stat", "privat", "civilsamhalle", "other")
    for lang in ("sv", "en"):
        named = words_module.names("actor_group", lang=lang)
        assert set(named) == set(ACTOR_GROUPS)
        assert all(named.values())
    assert words_module.names("actor_group", lang="sv")["kommun"] == "Kommunen"
    assert words_module.names("actor_group", lang="en")["privat"] == "Private actors"


def test_actor_table_has_labels_and_sources() -> None:
    for row in _rows("actors.csv"):
        assert row["label_sv"], row
        assert row["label_en"], row
        assert row["source"], row
    assert label("brf", "sv", kind="actor") == "Bostadsrättsförening"
    assert label("trafikoperator", "en", kind="actor") == "Public transport operator"


def test_new_categories_have_labels() -> None:
    assert FINDING_CATEGORIES[-3:] == ("unsafe_passage", "unauthorized_settlement", "other")
    assert label("unauthorized_settlement", "sv") == "Otillåtna bosättningar och tältläger"
    assert label("unsafe_passage", "en") == "Unsafe passages and tunnels"


def test_actor_groups_of_texts_and_missing() -> None:
    out = map_actor_groups(pd.Series(["brf", "Okänd AB", None, "sl"], index=[3, 4, 5, 6]))
    assert out.tolist() == ["privat", "other", None, "region_stat"]
    assert out.index.tolist() == [3, 4, 5, 6]


def test_every_category_has_a_map_icon_and_colour() -> None:
    from geo_trygg.maps._findings import FINDING_COLOURS, FINDING_ICONS

    assert list(FINDING_COLOURS) == list(FINDING_CATEGORIES)
    assert set(FINDING_ICONS) == set(FINDING_CATEGORIES)
    assert len(set(FINDING_COLOURS.values())) == len(FINDING_CATEGORIES)
    # the earlier categories keep their colours
    assert FINDING_COLOURS["lighting"] == "#E69F00"
    assert FINDING_COLOURS["drugs"] == "#882255"
    assert FINDING_COLOURS["other"] == "#666666"
