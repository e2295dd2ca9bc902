"""Event vocabulary: canonical event categories, source actors and type-mapping tables.

The vocabulary is data, kept next to this module:

``event_categories.csv``
    ``code, label_sv, label_en, description`` -- the canonical event categories, in order.
``sources.csv``
    ``code, label_sv, label_en, synonyms`` -- the source actors (who reported the event);
    ``synonyms`` is a ``|``-separated list of names users write for the actor.
``event_type_map.csv``
    ``source, source_type, category`` -- each source's own event types (the police API's ~100
    types, and typical wordings of housing companies, transit operators, security companies
    and municipalities) mapped to a canonical category.

A source type is matched after :func:`normalize_type` (case-folded, NFC, dashes unified,
commas and runs of spaces collapsed), so ``"Trafikolycka, personskada"`` and
``"trafikolycka  personskada"`` are the same type. :func:`map_event_categories` looks a type up
in this order, the user's ``category_map`` rows winning at each step:

1. an exact ``(source, source_type)`` row;
2. the type is a category code or label itself (``"vandalism"``, ``"Skadegörelse"``);
3. rows of *any* source with the same type, when they all agree on one category (so a kommun
   report typed ``"Klotter"`` finds the housing companies' ``Klotter`` row);
4. otherwise ``"other"``; the original text stays in the ``source_type`` column.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from io import StringIO
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, check_choice
from geo_trygg._text import normalize_name
from geo_trygg.vocab._files import read_small_csv

__all__ = [
    "EVENT_CATEGORIES",
    "SOURCES",
    "check_source",
    "event_type_map",
    "label",
    "map_event_categories",
    "map_sources",
    "normalize_type",
    "source_label",
    "validate_category_map",
]

_VOCAB = resources.files("geo_trygg.vocab")  # the CSVs ship inside the package
CATEGORY_MAP_COLUMNS = ("source", "source_type", "category")


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(StringIO(_VOCAB.joinpath(name).read_text(encoding="utf-8"))))


_CATEGORY_ROWS = _read_csv("event_categories.csv")
_SOURCE_ROWS = _read_csv("sources.csv")

EVENT_CATEGORIES: tuple[str, ...] = tuple(r["code"] for r in _CATEGORY_ROWS)
"""Canonical event category codes, in the order of ``event_categories.csv``."""

SOURCES: tuple[str, ...] = tuple(r["code"] for r in _SOURCE_ROWS)
"""Source actor codes: ``polis``, ``bostadsbolag``, ``kollektivtrafik``, ``vaktbolag``,
``kommun``, ``annan``."""

_CATEGORY_LABELS = {r["code"]: {"sv": r["label_sv"], "en": r["label_en"]} for r in _CATEGORY_ROWS}
_SOURCE_LABELS = {r["code"]: {"sv": r["label_sv"], "en": r["label_en"]} for r in _SOURCE_ROWS}

_PUNCT = re.compile(r"\s*[,;]\s*|\s+")
_SLASH = re.compile(r"\s*/\s*")


def normalize_type(value: object) -> str:
    """Normalise a source's event type for exact matching.

    :func:`geo_trygg._text.normalize_name` (case-folded, NFC, dashes unified), then commas and
    semicolons become spaces, spaces around ``/`` are removed, runs of spaces collapse and
    trailing full stops go.

    Parameters
    ----------
    value : object
        Any value; ``None``/NaN give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_type("Trafikolycka,  personskada")
    'trafikolycka personskada'
    >>> normalize_type("Fylleri / LOB")
    'fylleri/lob'
    """
    if isinstance(value, str):
        return _normalize_type_text(value)
    return _normalize_type_uncached(value)


@lru_cache(maxsize=65_536)
def _normalize_type_text(value: str) -> str:
    return _normalize_type_uncached(value)


def _normalize_type_uncached(value: object) -> str:
    text = normalize_name(value)
    text = _SLASH.sub("/", text)
    return _PUNCT.sub(" ", text).strip(" .")


def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in _SOURCE_ROWS:
        code = row["code"]
        for word in [code, row["label_sv"], row["label_en"], *row["synonyms"].split("|")]:
            key = normalize_type(word)
            if key:
                table.setdefault(key, code)
    return table


_SOURCE_SYNONYMS = _synonyms()


def label(code: str, lang: str | None = None) -> str:
    """Swedish or English label of an event category code.

    Parameters
    ----------
    code : str
        One of :data:`EVENT_CATEGORIES`.
    lang : {"sv", "en"}, optional
        ``settings.lang`` when omitted.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        When ``code`` or ``lang`` is unknown.

    Examples
    --------
    >>> label("vandalism", "sv")
    'Skadegörelse'
    >>> label("vandalism", "en")
    'Vandalism'
    """
    check_choice("code", code, EVENT_CATEGORIES)
    return _CATEGORY_LABELS[code][check_choice("lang", lang or settings.lang, ("sv", "en"))]


def source_label(code: str, lang: str | None = None) -> str:
    """Swedish or English label of a source actor code (see :data:`SOURCES`).

    Examples
    --------
    >>> source_label("kollektivtrafik", "en")
    'Public transport'
    """
    check_choice("code", code, SOURCES)
    return _SOURCE_LABELS[code][check_choice("lang", lang or settings.lang, ("sv", "en"))]


def _source_code(value: object) -> str | None:
    return _SOURCE_SYNONYMS.get(normalize_type(value))


def check_source(value: object, *, name: str = "source") -> str:
    """Return the source actor code for ``value`` (a code, label or synonym such as ``"SL"``).

    Parameters
    ----------
    value : object
        What the user wrote.
    name : str
        Argument name used in the error message.

    Returns
    -------
    str
        One of :data:`SOURCES`.

    Raises
    ------
    ConfigError
        When ``value`` is not a known actor, naming the allowed codes.

    Examples
    --------
    >>> check_source("Väktare")
    'vaktbolag'
    """
    code = _source_code(value)
    if code is None:
        raise ConfigError(
            f"{name}={value!r} is not a known source actor; expected one of: "
            f"{', '.join(map(repr, SOURCES))} (or a synonym such as 'SL', 'väktare')"
        )
    return code


def map_sources(values: pd.Series) -> pd.Series:
    """Map source actor texts to codes; unknown and missing values become ``"annan"``.

    Parameters
    ----------
    values : pandas.Series
        Actor names as written (codes, labels or synonyms).

    Returns
    -------
    pandas.Series
        Codes from :data:`SOURCES`, named ``"source"``, on the index of ``values``.

    Examples
    --------
    >>> map_sources(pd.Series(["Polisen", "SL", "Fastighetsägare", "Grannen"])).tolist()
    ['polis', 'kollektivtrafik', 'bostadsbolag', 'annan']
    """
    values = pd.Series(values)
    # each distinct text normalised and looked up once; missing values are "annan"
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), sort=False)
    lookup = [_SOURCE_SYNONYMS.get(normalize_type(u), "annan") for u in uniques]
    out = np.array([*lookup, "annan"], dtype=object)[codes]  # code -1: the last
    return pd.Series(out, index=values.index, name="source", dtype=object)


@lru_cache(maxsize=1)
def _builtin_map() -> pd.DataFrame:
    text = _VOCAB.joinpath("event_type_map.csv").read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def event_type_map() -> pd.DataFrame:
    """The built-in mapping table (``event_type_map.csv``) as a DataFrame.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``source_type``, ``category``; a copy the caller may change.
    """
    return _builtin_map().copy()


def validate_category_map(category_map: pd.DataFrame | str | PathLike[str]) -> pd.DataFrame:
    """Read and check a user mapping table before any work is done.

    Parameters
    ----------
    category_map : pandas.DataFrame or path to a CSV file
        Columns ``source``, ``source_type``, ``category`` (a CSV may use ``,`` or ``;`` and
        UTF-8 or cp1252). ``source`` may be a code or a synonym (``"SL"``); ``category`` must be
        one of :data:`EVENT_CATEGORIES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` (codes), ``source_type`` (as written) and ``category``.

    Raises
    ------
    ConfigError
        When a column is missing, a category or source is not allowed (naming the value and the
        allowed codes), a type is empty, or one ``(source, source_type)`` is mapped to two
        different categories.
    ReadError
        When the CSV file cannot be read.
    """
    if isinstance(category_map, pd.DataFrame):
        df = category_map.copy()
    elif isinstance(category_map, (str, PathLike)):
        df = read_small_csv(Path(category_map), "category_map")
    else:
        raise ConfigError(
            f"category_map={category_map!r} must be a DataFrame or the path of a CSV file with "
            f"columns {', '.join(CATEGORY_MAP_COLUMNS)}"
        )
    df.columns = [normalize_name(c) for c in df.columns]
    missing = [c for c in CATEGORY_MAP_COLUMNS if c not in df.columns]
    if missing:
        raise ConfigError(
            f"category_map lacks column(s) {', '.join(map(repr, missing))}; it must have "
            f"columns {', '.join(map(repr, CATEGORY_MAP_COLUMNS))}"
        )
    df = df[list(CATEGORY_MAP_COLUMNS)].reset_index(drop=True)
    categories = df["category"].map(lambda v: normalize_name(v).replace(" ", "_"))
    bad = sorted(
        {
            str(v)
            for v, c in zip(df["category"], categories, strict=True)
            if c not in EVENT_CATEGORIES
        },
        key=str,
    )
    if bad:
        raise ConfigError(
            f"category_map has category value(s) {', '.join(map(repr, bad))} that are not "
            f"allowed; expected one of: {', '.join(map(repr, EVENT_CATEGORIES))}"
        )
    sources = df["source"].map(_source_code)
    bad = sorted({str(v) for v, c in zip(df["source"], sources, strict=True) if c is None})
    if bad:
        raise ConfigError(
            f"category_map has source value(s) {', '.join(map(repr, bad))} that are not "
            f"allowed; expected one of: {', '.join(map(repr, SOURCES))}"
        )
    keys = df["source_type"].map(normalize_type)
    if (keys == "").any():
        row = int((keys == "").to_numpy().argmax())
        raise ConfigError(f"category_map row {row + 1} has an empty source_type")
    out = pd.DataFrame(
        {"source": sources, "source_type": df["source_type"].astype(str), "category": categories}
    )
    check = out.assign(key=keys).drop_duplicates(["source", "key", "category"])
    clash = check[check.duplicated(["source", "key"], keep=False)]
    if len(clash):
        first = clash.iloc[0]
        cats = sorted(clash.loc[clash["key"] == first["key"], "category"])
        raise ConfigError(
            f"category_map maps source={first['source']!r}, "
            f"source_type={first['source_type']!r} to several categories: {cats}"
        )
    return out


def _lookup_tables(
    user: pd.DataFrame | None,
) -> tuple[list[dict[tuple[str, str], str]], list[dict[str, str]], dict[str, str]]:
    """Exact tables (user, built-in), any-source tables (user, built-in), code/label table."""
    exact: list[dict[tuple[str, str], str]] = []
    anysrc: list[dict[str, str]] = []
    tables = [_builtin_map()] if user is None else [user, _builtin_map()]
    for table in tables:
        keys = table["source_type"].map(normalize_type)
        exact.append(
            dict(zip(zip(table["source"], keys, strict=True), table["category"], strict=True))
        )
        agree: dict[str, set[str]] = {}
        for key, cat in zip(keys, table["category"], strict=True):
            agree.setdefault(key, set()).add(cat)
        anysrc.append({k: next(iter(v)) for k, v in agree.items() if len(v) == 1})
    names: dict[str, str] = {}
    for code in EVENT_CATEGORIES:
        for word in (code, code.replace("_", " "), *_CATEGORY_LABELS[code].values()):
            names.setdefault(normalize_type(word), code)
    return exact, anysrc, names


def map_event_categories(
    source_types: pd.Series,
    *,
    source: str | pd.Series = "polis",
    category_map: pd.DataFrame | str | PathLike[str] | None = None,
) -> pd.Series:
    """Map each source's own event types to canonical event categories.

    Parameters
    ----------
    source_types : pandas.Series
        The types as the source writes them (e.g. the police ``type``: ``"Misshandel, grov"``).
    source : str or pandas.Series, default "polis"
        The source actor of every row (a code or synonym, see :data:`SOURCES`), or one per row
        (unknown per-row values count as ``"annan"``).
    category_map : pandas.DataFrame or path to a CSV, optional
        Extra rows with columns ``source``, ``source_type``, ``category``; they win over the
        built-in table. Checked by :func:`validate_category_map` before any mapping.

    Returns
    -------
    pandas.Series
        Category codes from :data:`EVENT_CATEGORIES`, named ``"category"``, on the index of
        ``source_types``. Unmapped and missing types give ``"other"``.

    Raises
    ------
    ConfigError
        When ``source`` is unknown or ``category_map`` is invalid.

    Examples
    --------
    >>> types = pd.Series(["Misshandel, grov", "Trafikolycka personskada", "Okänd typ"])
    >>> map_event_categories(types).tolist()
    ['violence', 'accident', 'other']
    >>> map_event_categories(pd.Series(["Klotter"]), source="kommun").tolist()
    ['vandalism']
    """
    user = validate_category_map(category_map) if category_map is not None else None
    types = pd.Series(source_types)
    if isinstance(source, pd.Series):
        if len(source) != len(types):
            raise ConfigError(
                f"source has {len(source)} values but source_types has {len(types)}; "
                "give one source per row or a single source"
            )
        src = map_sources(pd.Series(source.to_numpy(), index=types.index))
    else:
        src = pd.Series(check_source(source), index=types.index, dtype=object)
    if types.empty:
        return pd.Series([], index=types.index, name="category", dtype=object)
    exact, anysrc, names = _lookup_tables(user)
    # each distinct (source, type) pair resolved once
    type_codes, type_uniques = pd.factorize(types.to_numpy(dtype=object), use_na_sentinel=True)
    keys = [normalize_type(t) for t in type_uniques] + [normalize_type(None)]
    src_codes, src_uniques = pd.factorize(src.to_numpy(dtype=object), use_na_sentinel=True)
    src_list = [*src_uniques, None]
    type_idx = np.where(type_codes < 0, len(keys) - 1, type_codes).astype(np.int64)
    src_idx = np.where(src_codes < 0, len(src_list) - 1, src_codes).astype(np.int64)
    pair = src_idx * len(keys) + type_idx
    found, inverse = np.unique(pair, return_inverse=True)
    resolved = np.array(
        [
            _resolve(src_list[int(p) // len(keys)], keys[int(p) % len(keys)], exact, anysrc, names)
            for p in found
        ],
        dtype=object,
    )
    return pd.Series(resolved[inverse], index=types.index, name="category", dtype=object)


def _resolve(
    src: str,
    key: str,
    exact: list[dict[tuple[str, str], str]],
    anysrc: list[dict[str, str]],
    names: dict[str, str],
) -> str:
    if not key:
        return "other"
    for pair_table in exact:
        if (src, key) in pair_table:
            return pair_table[(src, key)]
    if key in names:
        return names[key]
    for type_table in anysrc:
        if key in type_table:
            return type_table[key]
    return "other"
