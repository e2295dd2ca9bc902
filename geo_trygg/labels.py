"""Codes in words: the one place where the analysis layers' codes become Swedish or English.

The analysis functions (``geo_trygg.stats``, ``hotspots``, ``lagesbild``, ``followup``) return
*codes* — ``"increase"``, ``"hot_95"``, ``"persistent_hotspot"`` — that stay the same in every
language, so a table can be compared, filtered and archived whatever language a reader uses.
The edges that people read (exports, maps, the meeting pack and the command line) turn the
codes into words here, and only here.

* :func:`names` gives the words of one *kind* of code as a dict, ``{code: words}``.
* :func:`words` turns a Series of codes into a Series of words.
* :func:`with_words` adds a words column beside every code column it knows in a table.

The sentences themselves live in the message catalogue (``geo_trygg/data/messages``), one
file per language.

Examples
--------
>>> names("hotspot_class", lang="en")["cold_95"]
'cold spot (95 %)'
>>> import pandas as pd
>>> words(pd.Series(["lpo", "kommun"], name="level"), "level", lang="sv").tolist()
['Lokalpolisområden', 'Kommuner']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import check_choice
from geo_trygg._labels import LANGUAGES, msg

__all__ = [
    "COLUMNS",
    "KINDS",
    "LANGUAGES",
    "hotspot_class_names",
    "kind_names",
    "level_names",
    "names",
    "with_words",
    "words",
]


def _language(lang: str | None) -> str:
    """``lang`` checked, or the session's language (``settings.lang``) when omitted."""
    return settings.lang if lang is None else check_choice("lang", lang, LANGUAGES)


# --- the kinds of code -------------------------------------------------------------------------


def level_names(lang: str | None = None) -> dict[str, str]:
    """The area levels in words (plural, capitalised), by level code.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{level: words}``; a level named only by the user's areas is not in it.

    Examples
    --------
    >>> level_names("sv")["lpo"], level_names("en")["lan"]
    ('Lokalpolisområden', 'Counties')
    """
    lang = _language(lang)
    return {
        "stadsdel": msg("map_level_stadsdel", lang),
        "stadsdelsomrade": msg("map_level_stadsdelsomrade", lang),
        "lpo": msg("map_level_lpo", lang),
        "polisomrade": msg("map_level_polisomrade", lang),
        "kommun": msg("map_level_kommun", lang),
        "lan": msg("map_level_lan", lang),
        "utsatt_omrade": msg("map_level_utsatt_omrade", lang),
        "place": msg("map_level_place", lang),
    }


def kind_names(lang: str | None = None) -> dict[str, str]:
    """What is counted, in words: ``events``, ``findings``, ``counts`` (count tables).

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{kind: words}``.

    Examples
    --------
    >>> kind_names("en")["findings"]
    'Findings (safety walk)'
    """
    lang = _language(lang)
    return {
        "events": msg("map_kind_events", lang),
        "findings": msg("map_kind_findings", lang),
        "counts": msg("map_kind_counts", lang),
    }


def hotspot_class_names(lang: str | None = None) -> dict[str, str]:
    """The Gi* classes (``geo_trygg.hotspots.HOTSPOT_CLASSES``) in words.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{class: words}``.

    Examples
    --------
    >>> hotspot_class_names("en")["cold_95"]
    'cold spot (95 %)'
    """
    lang = _language(lang)
    return {
        "hot_99": msg("hotspot_class_hot_99", lang),
        "hot_95": msg("hotspot_class_hot_95", lang),
        "hot_90": msg("hotspot_class_hot_90", lang),
        "not_significant": msg("hotspot_class_not_significant", lang),
        "cold_90": msg("hotspot_class_cold_90", lang),
        "cold_95": msg("hotspot_class_cold_95", lang),
        "cold_99": msg("hotspot_class_cold_99", lang),
    }


KINDS: Mapping[str, Callable[[str | None], dict[str, str]]] = {
    "level": level_names,
    "kind": kind_names,
    "hotspot_class": hotspot_class_names,
}
"""Every kind of code this module knows, with the function giving its words."""

COLUMNS: Mapping[str, tuple[str, str]] = {
    "hotspot": ("hotspot_class", "hotspot_label"),
}
"""Code columns :func:`with_words` knows: ``{column: (kind, words column)}``."""


# --- turning codes into words ------------------------------------------------------------------


def names(kind: str, *, lang: str | None = None) -> dict[str, str]:
    """The words of every code of one kind.

    Parameters
    ----------
    kind : str
        A key of :data:`KINDS`, e.g. ``"change"``, ``"hotspot_class"``, ``"level"``.
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{code: words}``.

    Raises
    ------
    ValueError
        ``kind`` or ``lang`` is not one of the allowed values.

    Examples
    --------
    >>> names("kind", lang="sv")["events"]
    'Händelser'
    """
    chosen = check_choice("kind", kind, tuple(KINDS))
    return KINDS[chosen](_language(lang))


def words(codes: pd.Series, kind: str, *, lang: str | None = None) -> pd.Series:
    """Turn a Series of codes into words.

    Parameters
    ----------
    codes : pandas.Series
        Codes of one kind; missing values stay missing.
    kind : str
        A key of :data:`KINDS`.
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    pandas.Series
        The words, object dtype, on the index of ``codes``, named ``<name>_label`` (or
        ``"label"`` when ``codes`` has no name).

    Raises
    ------
    ValueError
        ``kind`` or ``lang`` is not allowed, or a code is not of that kind (the message
        names the codes that are).

    Examples
    --------
    >>> import pandas as pd
    >>> words(pd.Series(["hot_99", None], name="hotspot"), "hotspot_class", lang="en").tolist()
    ['hot spot (99 %)', None]
    """
    mapping = names(kind, lang=lang)
    present = codes.dropna()
    unknown = sorted({str(c) for c in present.unique()} - set(mapping))
    if unknown:
        raise ValueError(f"codes {unknown} are not of kind {kind!r}; allowed: {sorted(mapping)}")
    out = pd.Series(
        [None if pd.isna(c) else mapping[c] for c in codes], index=codes.index, dtype=object
    )
    return out.rename("label" if codes.name is None else f"{codes.name}_label")


def with_words(frame: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Add a words column beside every code column of :data:`COLUMNS` in a table.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from an analysis function (a GeoDataFrame stays one).
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    pandas.DataFrame
        A copy with, right after each known code column, its words column (see
        :data:`COLUMNS`); a words column already there is replaced.

    Examples
    --------
    >>> import pandas as pd
    >>> with_words(pd.DataFrame({"hotspot": ["hot_95"]}), lang="en").columns.tolist()
    ['hotspot', 'hotspot_label']
    """
    language = _language(lang)
    out = frame.copy()
    for column, (kind, label_column) in COLUMNS.items():
        if column not in out.columns:
            continue
        values = words(out[column], kind, lang=language)
        if label_column in out.columns:
            out = out.drop(columns=label_column)
        out.insert(list(out.columns).index(column) + 1, label_column, values.to_numpy())
    return out
