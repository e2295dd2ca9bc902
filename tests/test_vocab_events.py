"""Tests for geo_trygg.vocab.events: categories, sources, mapping tables and category_map."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from geo_trygg import ConfigError, settings
from geo_trygg.vocab import events as ev
from geo_trygg.vocab.events import (
    EVENT_CATEGORIES,
    SOURCES,
    check_source,
    event_type_map,
    label,
    map_event_categories,
    map_sources,
    normalize_type,
    source_label,
    validate_category_map,
)

VOCAB = Path(ev.__file__).resolve().parent


def _csv(name: str) -> list[dict[str, str]]:
    with open(VOCAB / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_category_table_is_complete_and_documented() -> None:
    rows = _csv("event_categories.csv")
    codes = [r["code"] for r in rows]
    assert tuple(codes) == EVENT_CATEGORIES
    assert len(set(codes)) == len(codes)
    assert codes[-1] == "other"
    for row in rows:
        assert row["code"].isascii()
        assert row["code"] == row["code"].lower()
        assert row["label_sv"].strip()
        assert row["label_en"].strip()
        assert row["description"].strip()
    # the kinds of event safety work needs, by their English codes
    for code in (
        "violence",
        "threats",
        "robbery",
        "burglary",
        "theft",
        "vandalism",
        "fire",
        "drugs",
        "weapons",
        "disorder",
        "sexual_offence",
        "fraud",
        "traffic",
        "accident",
        "information",
    ):
        assert code in EVENT_CATEGORIES


def test_sources_table_matches_data_model() -> None:
    assert SOURCES == ("polis", "bostadsbolag", "kollektivtrafik", "vaktbolag", "kommun", "annan")
    for row in _csv("sources.csv"):
        assert row["label_sv"]
        assert row["label_en"]
        assert row["synonyms"]


def test_type_map_rows_are_valid_and_unambiguous() -> None:
    table = event_type_map()
    assert list(table.columns) == ["source", "source_type", "category"]
    assert set(table["category"]) <= set(EVENT_CATEGORIES)
    assert set(table["source"]) <= set(SOURCES)
    keys = table["source"] + "|" + table["source_type"].map(normalize_type)
    assert not keys.duplicated().any(), keys[keys.duplicated()].tolist()
    # every non-police actor has its own rows
    counts = table["source"].value_counts()
    for source in ("bostadsbolag", "kollektivtrafik", "vaktbolag", "kommun"):
        assert counts[source] >= 10
    assert counts["polis"] >= 90
    # the copy is the caller's: changing it leaves the built-in table alone
    original = table.loc[0, "category"]
    table.loc[0, "category"] = "changed"
    assert event_type_map().loc[0, "category"] == original


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("vandalism", "sv", "Skadegörelse"),
        ("vandalism", "en", "Vandalism"),
        ("burglary", "sv", "Inbrott"),
        ("other", "sv", "Övrigt"),
        ("sexual_offence", "en", "Sexual offence"),
    ],
)
def test_label(code: str, lang: str, expected: str) -> None:
    assert label(code, lang) == expected


def test_label_default_language_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "lang", "en")
    assert label("fire") == "Fire"
    monkeypatch.setattr(settings, "lang", "sv")
    assert label("fire") == "Brand"
    assert source_label("vaktbolag") == "Vaktbolag"


def test_label_unknown_code_names_allowed() -> None:
    with pytest.raises(ConfigError, match=r"'vald'.*'violence'"):
        label("vald")


def test_normalize_type() -> None:
    assert normalize_type("Trafikolycka, personskada") == "trafikolycka personskada"
    assert normalize_type("Trafikolycka personskada") == "trafikolycka personskada"
    assert normalize_type("  RÅN,  försök ") == "rån försök"
    assert normalize_type("Fylleri / LOB") == "fylleri/lob"
    assert normalize_type(None) == ""
    assert normalize_type(float("nan")) == ""


def test_map_police_types_by_hand() -> None:
    types = pd.Series(
        [
            "Misshandel, grov",
            "Trafikolycka personskada",  # as SOURCE.md spells it, without the comma
            "Larm Inbrott",  # the API's capitalisation
            "Stöld/inbrott",
            "Mordbrand",
            "Sammanfattning natt",
            "Skottlossning, misstänkt",
            "Åldringsbrott",
            "Rattfylleri",
            "Våldtäkt, försök",
            None,
            "En helt ny typ",
        ],
        index=list("abcdefghijkl"),
    )
    out = map_event_categories(types)
    assert out.name == "category"
    assert list(out.index) == list("abcdefghijkl")
    assert out.tolist() == [
        "violence",
        "accident",
        "burglary",
        "burglary",
        "fire",
        "information",
        "weapons",
        "fraud",
        "traffic",
        "sexual_offence",
        "other",
        "other",
    ]


def test_map_other_sources() -> None:
    types = pd.Series(["Klotter", "Överfallslarm", "Spårspring", "Brand i soprum", "Langning"])
    sources = pd.Series(["kommun", "Väktare", "SL", "bostadsbolag", "kommun"])
    out = map_event_categories(types, source=sources)
    assert out.tolist() == ["vandalism", "violence", "disorder", "fire", "drugs"]
    # a type known only for another source is found when all sources agree on it
    assert map_event_categories(pd.Series(["Spårspring"]), source="kommun").tolist() == [
        "disorder"
    ]
    # a category code or label is understood as itself
    assert map_event_categories(
        pd.Series(["Skadegörelse", "weapons"]), source="annan"
    ).tolist() == [
        "vandalism",
        "weapons",
    ]


def test_user_category_map_wins() -> None:
    user = pd.DataFrame(
        {
            "source": ["polis", "vaktbolag"],
            "source_type": ["Bråk", "Larm A12"],
            "category": ["violence", "burglary"],
        }
    )
    types = pd.Series(["Bråk", "Misshandel", "Larm A12"])
    out = map_event_categories(
        types, source=pd.Series(["polis", "polis", "vaktbolag"]), category_map=user
    )
    assert out.tolist() == ["violence", "violence", "burglary"]
    # without the user row, Bråk is disorder
    assert map_event_categories(pd.Series(["Bråk"])).tolist() == ["disorder"]


def test_category_map_from_csv_semicolon_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(
        "source;source_type;category\nbostadsbolag;Felanmälan 7;vandalism\n".encode("cp1252")
    )
    out = map_event_categories(
        pd.Series(["Felanmälan 7"]), source="bostadsbolag", category_map=path
    )
    assert out.tolist() == ["vandalism"]
    assert validate_category_map(str(path))["source_type"].tolist() == ["Felanmälan 7"]


def test_category_map_bad_category_names_value_and_allowed() -> None:
    user = pd.DataFrame({"source": ["polis"], "source_type": ["Bråk"], "category": ["slagsmål"]})
    with pytest.raises(ConfigError) as info:
        map_event_categories(pd.Series(["Bråk"]), category_map=user)
    text = str(info.value)
    assert "'slagsmål'" in text
    for code in EVENT_CATEGORIES:
        assert repr(code) in text


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"source": ["polis"], "category": ["fire"]}), "source_type"),
        (
            pd.DataFrame({"source": ["grannen"], "source_type": ["X"], "category": ["fire"]}),
            "'grannen'",
        ),
        (
            pd.DataFrame({"source": ["polis"], "source_type": [" "], "category": ["fire"]}),
            "empty source_type",
        ),
        (
            pd.DataFrame(
                {
                    "source": ["polis", "polis"],
                    "source_type": ["X", "x"],
                    "category": ["fire", "theft"],
                }
            ),
            "several categories",
        ),
    ],
)
def test_category_map_problems(frame: pd.DataFrame, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        validate_category_map(frame)


def test_category_map_wrong_kind() -> None:
    with pytest.raises(ConfigError, match="category_map"):
        validate_category_map(42)


def test_sources() -> None:
    assert check_source("Polisen") == "polis"
    assert check_source("SL") == "kollektivtrafik"
    assert check_source("Fastighetsägare") == "bostadsbolag"
    assert check_source("Stadsdelsförvaltningen") == "kommun"
    with pytest.raises(ConfigError, match=r"'grannen'.*'polis'"):
        check_source("grannen")
    with pytest.raises(ConfigError, match="source="):
        map_event_categories(pd.Series(["Brand"]), source="grannen")
    out = map_sources(pd.Series(["Väktare", None, "okänt bolag"], index=[5, 6, 7]))
    assert out.tolist() == ["vaktbolag", "annan", "annan"]
    assert list(out.index) == [5, 6, 7]


def test_source_series_length_must_match() -> None:
    with pytest.raises(ConfigError, match="one source per row"):
        map_event_categories(pd.Series(["Brand", "Rån"]), source=pd.Series(["polis"]))
