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
    "change_names",
    "emerging_pattern_names",
    "hotspot_class_names",
    "kind_names",
    "knox_names",
    "level_names",
    "names",
    "series_class_names",
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


# --- statistics and hotspots -------------------------------------------------------------------


def change_names(lang: str | None = None) -> dict[str, str]:
    """The change between two periods in words, by ``change_code``.

    The codes are ``geo_trygg.stats.CHANGE_CODES``, given by
    :func:`geo_trygg.stats.change_table` (and the lägesbild and ``hotspots.cell_change``).

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{change_code: words}``.

    Examples
    --------
    >>> change_names("sv")["no_clear_change"], change_names("en")["too_few"]
    ('ingen säker förändring', 'too few events to say')
    """
    lang = _language(lang)
    return {
        "increase": msg("stats_change_increase", lang),
        "decrease": msg("stats_change_decrease", lang),
        "no_clear_change": msg("stats_change_no_clear_change", lang),
        "too_few": msg("stats_change_too_few", lang),
        "no_data": msg("stats_change_no_data", lang),
    }


def series_class_names(lang: str | None = None) -> dict[str, str]:
    """sfhotspot's classes of a series of periods in words, by ``hotspot_class``.

    The codes are ``geo_trygg.hotspots.SERIES_CLASSES``, given by
    :func:`geo_trygg.hotspots.hotspot_classify` and ``classify_hotspot_series``.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{hotspot_class: words}``.

    Examples
    --------
    >>> series_class_names("en")["emerging_hotspot"]
    'emerging hot spot'
    """
    lang = _language(lang)
    return {
        "persistent_hotspot": msg("series_class_persistent_hotspot", lang),
        "emerging_hotspot": msg("series_class_emerging_hotspot", lang),
        "former_hotspot": msg("series_class_former_hotspot", lang),
        "intermittent_hotspot": msg("series_class_intermittent_hotspot", lang),
        "persistent_coldspot": msg("series_class_persistent_coldspot", lang),
        "emerging_coldspot": msg("series_class_emerging_coldspot", lang),
        "former_coldspot": msg("series_class_former_coldspot", lang),
        "intermittent_coldspot": msg("series_class_intermittent_coldspot", lang),
        "mixed_hotspot_coldspot": msg("series_class_mixed_hotspot_coldspot", lang),
        "no_pattern": msg("series_class_no_pattern", lang),
    }


def emerging_pattern_names(lang: str | None = None) -> dict[str, str]:
    """The Esri-style emerging hot spot patterns in words, by ``pattern``.

    The codes are ``geo_trygg.hotspots.EMERGING_PATTERNS``, given by
    :func:`geo_trygg.hotspots.emerging_hotspots` and ``emerging_hotspot_series``.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{pattern: words}``.

    Examples
    --------
    >>> emerging_pattern_names("en")["intensifying_hotspot"]
    'intensifying hot spot'
    """
    lang = _language(lang)
    return {
        "new_hotspot": msg("emerging_new_hotspot", lang),
        "consecutive_hotspot": msg("emerging_consecutive_hotspot", lang),
        "intensifying_hotspot": msg("emerging_intensifying_hotspot", lang),
        "persistent_hotspot": msg("emerging_persistent_hotspot", lang),
        "diminishing_hotspot": msg("emerging_diminishing_hotspot", lang),
        "sporadic_hotspot": msg("emerging_sporadic_hotspot", lang),
        "oscillating_hotspot": msg("emerging_oscillating_hotspot", lang),
        "historical_hotspot": msg("emerging_historical_hotspot", lang),
        "new_coldspot": msg("emerging_new_coldspot", lang),
        "consecutive_coldspot": msg("emerging_consecutive_coldspot", lang),
        "intensifying_coldspot": msg("emerging_intensifying_coldspot", lang),
        "persistent_coldspot": msg("emerging_persistent_coldspot", lang),
        "diminishing_coldspot": msg("emerging_diminishing_coldspot", lang),
        "sporadic_coldspot": msg("emerging_sporadic_coldspot", lang),
        "oscillating_coldspot": msg("emerging_oscillating_coldspot", lang),
        "historical_coldspot": msg("emerging_historical_coldspot", lang),
        "no_pattern": msg("emerging_no_pattern", lang),
    }


def knox_names(lang: str | None = None) -> dict[str, str]:
    """The Knox near-repeat result of a band in a sentence, by ``knox_pattern``.

    The codes are ``geo_trygg.hotspots.KNOX_PATTERNS``, given by
    :func:`geo_trygg.hotspots.knox_test`: ``near_repeat`` (more pairs than chance would give),
    ``no_pattern`` and ``no_pairs`` (no pair can fall in the band: not testable).

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{knox_pattern: sentence}``.

    Examples
    --------
    >>> knox_names("en")["no_pairs"]
    'Cannot be tested: no pair of events can fall in this band'
    """
    lang = _language(lang)
    return {
        "near_repeat": msg("knox_near_repeat", lang),
        "no_pattern": msg("knox_no_pattern", lang),
        "no_pairs": msg("knox_no_pairs", lang),
    }


# the registries, with the kinds and code columns of this section added
KINDS = {
    **KINDS,
    "change": change_names,
    "series_class": series_class_names,
    "emerging_pattern": emerging_pattern_names,
    "knox": knox_names,
}
COLUMNS = {
    **COLUMNS,
    "change_code": ("change", "change_label"),
    "hotspot_class": ("series_class", "hotspot_class_label"),
    "pattern": ("emerging_pattern", "pattern_label"),
    "knox_pattern": ("knox", "label"),
}
