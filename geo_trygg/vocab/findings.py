"""Controlled vocabularies of walk findings: categories, statuses, actors and severity.

The vocabularies are data, kept next to this module as CSV files:

``finding_categories.csv``
    ``code, label_sv, label_en`` — the finding categories (:data:`FINDING_CATEGORIES`).
``finding_category_synonyms.csv``
    ``synonym, code`` — whole texts that mean a category (exact match after normalisation).
``finding_keywords.csv``
    ``keyword, code, priority, match`` — keyword rules tried when no synonym matches: the
    rule with the lowest ``priority`` (then the first in the file) whose keyword occurs in
    the text wins. ``match`` is ``word_start`` (the keyword must start a word, so ``öde``
    does not match ``flöde``), ``word`` (the keyword must be a whole word or words, so
    ``tunnel`` does not match ``tunnelbanan``) or ``anywhere`` (also inside Swedish compounds,
    so ``lampa`` matches ``gatlampa``).
``statuses.csv``
    ``code, label_sv, label_en, synonyms`` — statuses; synonyms separated by ``|``, exact
    match after normalisation only (``"ej åtgärdad"`` must not match ``"åtgärdad"``).
``actors.csv``
    ``code, label_sv, label_en, group, synonyms, keywords, source`` — responsible actors;
    ``group`` is the actor's group (:data:`ACTOR_GROUPS`: ``kommun``, ``region_stat``,
    ``privat``, ``civilsamhalle``, ``other``), ``source`` a note on where the actor comes
    from. Synonyms match whole texts; keywords match anywhere in the text (``"SDF
    Skärholmen"``), or must start a word when written ``^kw`` and be a whole word when
    written ``^kw$`` (``^brf$`` matches ``"BRF Solbacken"``, ``^sl$`` does not match
    ``"slänten"``). The first actor in the file whose keyword matches wins, so more specific
    actors come first (``brf`` before ``bostadsbolag``, whose keyword ``bostad`` is inside
    ``bostadsrättsförening``).

Normalisation (:func:`normalize_text`): Unicode NFC, case-folded, white space collapsed,
punctuation at both ends removed. Synonyms are also tried with å, ä and ö folded to a and o,
for texts typed without a Swedish keyboard (``"Dalig belysning"``); keywords are not folded
(folding would make ``öde`` match ``kod``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import check_choice
from geo_trygg._text import ascii_fold

__all__ = [
    "ACTORS",
    "ACTOR_GROUPS",
    "FINDING_CATEGORIES",
    "SEVERITY_LABELS",
    "STATUSES",
    "actor_groups",
    "label",
    "map_actor_groups",
    "map_actors",
    "map_finding_categories",
    "map_severity",
    "map_statuses",
    "normalize_text",
]

_PUNCT_ENDS = re.compile(r"^[\W_]+|[\W_]+$")
_SPACE = re.compile(r"\s+")


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("geo_trygg.vocab").joinpath(name).read_text(encoding="utf-8")
    return [
        {k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(text.splitlines())
    ]


def normalize_text(value: object) -> str:
    """Normalise a vocabulary text for matching (see the module docstring).

    Parameters
    ----------
    value : object
        Any value; None and NaN give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_text("  Dålig   Belysning! ")
    'dålig belysning'
    """
    if isinstance(value, str):
        return _normalize_text_text(value)
    return _normalize_text_uncached(value)


@lru_cache(maxsize=65_536)
def _normalize_text_text(value: str) -> str:
    return _normalize_text_uncached(value)


def _normalize_text_uncached(value: object) -> str:
    if _is_missing(value):
        return ""
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = _SPACE.sub(" ", text).strip()
    return _PUNCT_ENDS.sub("", text)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class _Vocab:
    codes: tuple[str, ...]
    labels: dict[str, dict[str, str]]
    exact: dict[str, str]
    folded: dict[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]

    def lookup(self, text: str) -> str | None:
        if not text:
            return None
        hit = self.exact.get(text) or self.folded.get(ascii_fold(text))
        if hit:
            return hit
        for pattern, code in self.rules:
            if pattern.search(text):
                return code
        return None


def _rule(keyword: str, match: str) -> re.Pattern[str]:
    kw = re.escape(normalize_text(keyword))
    if match == "word_start":
        return re.compile(rf"(?<![^\W\d_]){kw}")
    if match == "word":
        return re.compile(rf"(?<![^\W\d_]){kw}(?![^\W\d_])")
    if match != "anywhere":
        raise ValueError(f"vocabulary keyword {keyword!r} has unknown match {match!r}")
    return re.compile(kw)


def _actor_keyword(keyword: str) -> tuple[str, str]:
    """An ``actors.csv`` keyword and its match: ``^kw$`` a whole word, ``^kw`` a word start,
    ``kw`` anywhere."""
    text = keyword.strip()
    if text.startswith("^") and text.endswith("$"):
        return text[1:-1], "word"
    if text.startswith("^"):
        return text[1:], "word_start"
    return text, "anywhere"


def _build(
    table: list[dict[str, str]],
    synonyms: list[tuple[str, str]],
    rules: list[tuple[str, str, float, str]],
) -> _Vocab:
    codes = tuple(row["code"] for row in table)
    labels = {row["code"]: {"sv": row["label_sv"], "en": row["label_en"]} for row in table}
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    pairs = [(code, code) for code in codes]
    pairs += [(row["label_sv"], row["code"]) for row in table]
    pairs += [(row["label_en"], row["code"]) for row in table]
    pairs += synonyms
    for text, code in pairs:
        if code not in labels:
            raise ValueError(f"vocabulary synonym {text!r} points to unknown code {code!r}")
        key = normalize_text(text)
        exact.setdefault(key, code)
        folded.setdefault(ascii_fold(key), code)
    ordered = sorted(enumerate(rules), key=lambda item: (item[1][2], item[0]))
    compiled = tuple((_rule(kw, match), code) for _, (kw, code, _, match) in ordered)
    return _Vocab(codes, labels, exact, folded, compiled)


@lru_cache(maxsize=1)
def _categories() -> _Vocab:
    table = _read_csv("finding_categories.csv")
    synonyms = [(r["synonym"], r["code"]) for r in _read_csv("finding_category_synonyms.csv")]
    rules = [
        (r["keyword"], r["code"], float(r["priority"]), r["match"] or "anywhere")
        for r in _read_csv("finding_keywords.csv")
    ]
    return _build(table, synonyms, rules)


@lru_cache(maxsize=1)
def _statuses() -> _Vocab:
    table = _read_csv("statuses.csv")
    synonyms = [(s, r["code"]) for r in table for s in r["synonyms"].split("|") if s.strip()]
    return _build(table, synonyms, [])


@lru_cache(maxsize=1)
def _actors() -> _Vocab:
    table = _read_csv("actors.csv")
    synonyms = [(s, r["code"]) for r in table for s in r["synonyms"].split("|") if s.strip()]
    rules: list[tuple[str, str, float, str]] = []
    for i, row in enumerate(table):
        for keyword in row["keywords"].split("|"):
            if keyword.strip():
                text, match = _actor_keyword(keyword)
                rules.append((text, row["code"], float(i), match))
    return _build(table, synonyms, rules)


_GROUP_CODES: tuple[str, ...] = ("kommun", "region_stat", "privat", "civilsamhalle", "other")


@lru_cache(maxsize=1)
def _actor_group_table() -> dict[str, str]:
    groups = {row["code"]: row["group"] for row in _read_csv("actors.csv")}
    for code, group in groups.items():
        if group not in _GROUP_CODES:
            raise ValueError(f"actor {code!r} has unknown group {group!r}")
    return groups


FINDING_CATEGORIES: tuple[str, ...] = _categories().codes
"""Finding category codes, in the order of ``finding_categories.csv`` (``other`` last)."""

STATUSES: tuple[str, ...] = _statuses().codes
"""Status codes: ``new``, ``in_progress``, ``done``, ``rejected``."""

ACTORS: tuple[str, ...] = _actors().codes
"""Responsible-actor codes (``other`` last)."""

ACTOR_GROUPS: tuple[str, ...] = _GROUP_CODES
"""Actor group codes: ``kommun`` (the municipality's own administrations and companies),
``region_stat`` (region and state: the transit authority and its operators, the police,
Länsstyrelsen), ``privat`` (private owners, companies, tenant-owner associations, security
companies), ``civilsamhalle`` (associations, faith communities) and ``other``. Their words
are the kind ``actor_group`` of :mod:`geo_trygg.labels`."""

SEVERITY_LABELS: dict[int, dict[str, str]] = {
    1: {"sv": "Låg", "en": "Low"},
    2: {"sv": "Medel", "en": "Medium"},
    3: {"sv": "Hög", "en": "High"},
}
"""Labels of the severity levels 1–3."""

_SEVERITY_WORDS = {
    "låg": 1,
    "lag": 1,
    "liten": 1,
    "lindrig": 1,
    "low": 1,
    "medel": 2,
    "mellan": 2,
    "måttlig": 2,
    "mattlig": 2,
    "medium": 2,
    "hög": 3,
    "hog": 3,
    "stor": 3,
    "allvarlig": 3,
    "akut": 3,
    "high": 3,
}
_SEVERITY_LEAD = re.compile(r"^([1-3])(?:[.,]0+)?(?:\b|$)")


def _map(texts: Any, vocab: _Vocab, missing: str | None, unknown: str | None) -> pd.Series:
    series = texts if isinstance(texts, pd.Series) else pd.Series(texts, dtype=object)
    cache: dict[str, str | None] = {}
    out: list[str | None] = []
    for value in series.tolist():
        if _is_missing(value):
            out.append(missing)
            continue
        key = normalize_text(value)
        if key not in cache:
            hit = vocab.lookup(key)
            cache[key] = hit if hit is not None else unknown
        out.append(cache[key])
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def map_finding_categories(texts: pd.Series) -> pd.Series:
    """Map category texts to finding category codes.

    Parameters
    ----------
    texts : pandas.Series
        Category texts as written in the source.

    Returns
    -------
    pandas.Series
        Codes from :data:`FINDING_CATEGORIES` on the same index; ``"other"`` for unknown and
        missing texts.

    Examples
    --------
    >>> texts = pd.Series(["Dålig belysning", "Trasig lampa", "belysning"])
    >>> map_finding_categories(texts).tolist()
    ['lighting', 'lighting', 'lighting']
    >>> map_finding_categories(pd.Series(["Hundbajs", None])).tolist()
    ['other', 'other']
    """
    return _map(texts, _categories(), "other", "other")


def map_statuses(texts: pd.Series) -> pd.Series:
    """Map status texts to status codes.

    Parameters
    ----------
    texts : pandas.Series
        Status texts as written in the source (``"Pågående"``, ``"klar"``, ``"ej åtgärd"``).

    Returns
    -------
    pandas.Series
        Codes from :data:`STATUSES`, or None for missing and unknown texts (the reader decides
        what a missing status means and rejects unknown ones).

    Examples
    --------
    >>> map_statuses(pd.Series(["Ny", "påbörjad", "Åtgärdad", "ej åtgärd", "kanske"])).tolist()
    ['new', 'in_progress', 'done', 'rejected', None]
    """
    return _map(texts, _statuses(), None, None)


def map_actors(texts: pd.Series) -> pd.Series:
    """Map responsible-actor texts to actor codes.

    Parameters
    ----------
    texts : pandas.Series
        Actor texts as written in the source (``"SDF Skärholmen"``, ``"Trafikkontoret"``).

    Returns
    -------
    pandas.Series
        Codes from :data:`ACTORS`; ``"other"`` for unknown texts, None for missing ones.

    Examples
    --------
    >>> map_actors(pd.Series(["Stadsdelsförvaltningen", "SL", "Okänd AB", None])).tolist()
    ['stadsdelsforvaltning', 'sl', 'other', None]
    """
    return _map(texts, _actors(), None, "other")


def actor_groups() -> dict[str, str]:
    """The group of every actor code, ``{actor: group}`` (groups: :data:`ACTOR_GROUPS`).

    Returns
    -------
    dict
        A new dict, in the order of :data:`ACTORS`.

    Examples
    --------
    >>> groups = actor_groups()
    >>> groups["brf"], groups["trafikoperator"], groups["other"]
    ('privat', 'region_stat', 'other')
    """
    return dict(_actor_group_table())


def map_actor_groups(actors: pd.Series) -> pd.Series:
    """The group of each responsible-actor code (as :func:`map_actors` gives them).

    Parameters
    ----------
    actors : pandas.Series
        Actor codes; a text that is no actor code (an unmapped source text) gives ``"other"``.

    Returns
    -------
    pandas.Series
        Codes from :data:`ACTOR_GROUPS` on the same index, None where the actor is missing.

    Examples
    --------
    >>> map_actor_groups(pd.Series(["skola", "polis", "brf", "Okänd AB", None])).tolist()
    ['kommun', 'region_stat', 'privat', 'other', None]
    """
    series = actors if isinstance(actors, pd.Series) else pd.Series(actors, dtype=object)
    table = _actor_group_table()
    out = [
        None if _is_missing(value) else table.get(str(value), "other") for value in series.tolist()
    ]
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def _severity(value: object) -> int | None:
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        return int(v) if v in (1.0, 2.0, 3.0) else None
    text = normalize_text(value)
    if text in _SEVERITY_WORDS:
        return _SEVERITY_WORDS[text]
    lead = _SEVERITY_LEAD.match(text)
    if lead:
        return int(lead.group(1))
    first = re.split(r"[\s(/-]+", text, maxsplit=1)[0]
    return _SEVERITY_WORDS.get(first)


def map_severity(values: pd.Series) -> pd.Series:
    """Map severity numbers or words to 1 (låg), 2 (medel), 3 (hög).

    Parameters
    ----------
    values : pandas.Series
        Numbers (``1``, ``2.0``, ``"3"``), words (``"låg"``, ``"Medel"``, ``"high"``) or both
        (``"3 - hög"``).

    Returns
    -------
    pandas.Series
        ``Int64`` values 1–3, ``<NA>`` for missing or unrecognised values.

    Examples
    --------
    >>> map_severity(pd.Series([1, "2,0", "Hög", "3 - hög", "5", None])).tolist()
    [1, 2, 3, 3, <NA>, <NA>]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    out = [None if _is_missing(v) else _severity(v) for v in series.tolist()]
    return pd.Series(pd.array(out, dtype="Int64"), index=series.index, name=series.name)


def label(code: str, lang: str | None = None, *, kind: str | None = None) -> str:
    """Return the label of a vocabulary code in Swedish or English.

    Parameters
    ----------
    code : str
        A category, status or actor code (or a severity 1–3).
    lang : {"sv", "en"}, optional
        Defaults to ``geo_trygg.settings.lang``.
    kind : {"category", "status", "actor", "severity"}, optional
        Which vocabulary to look in; by default categories, then statuses, then actors
        (``"other"`` is therefore the category label; pass ``kind="actor"`` for the actor).

    Returns
    -------
    str
        The label, or ``str(code)`` unchanged when the code is unknown.

    Examples
    --------
    >>> label("lighting", "sv"), label("done", "en"), label("other", "sv", kind="actor")
    ('Belysning', 'Done', 'Annan aktör')
    """
    language = lang or settings.lang
    if kind == "severity" or (kind is None and isinstance(code, (int, np.integer))):
        entry = SEVERITY_LABELS.get(int(code)) if str(code).isdigit() else None
        return entry.get(language, entry["sv"]) if entry else str(code)
    tables: dict[str | None, tuple[_Vocab, ...]] = {
        "category": (_categories(),),
        "status": (_statuses(),),
        "actor": (_actors(),),
        None: (_categories(), _statuses(), _actors()),
    }
    if kind not in tables:
        check_choice("kind", kind, ("category", "status", "actor", "severity"))
    order = tables[kind]
    for vocab in order:
        if code in vocab.labels:
            labels = vocab.labels[code]
            return labels.get(language, labels["sv"])
    return str(code)
