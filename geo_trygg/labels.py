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
    "column_names",
    "emerging_pattern_names",
    "followup_change_names",
    "hotspot_class_names",
    "kind_names",
    "knox_names",
    "level_names",
    "names",
    "reason_names",
    "reason_words",
    "series_class_names",
    "table_names",
    "weekday_names",
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


_BASE_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "level": level_names,
    "kind": kind_names,
    "hotspot_class": hotspot_class_names,
}

_BASE_COLUMNS: dict[str, tuple[str, str]] = {
    "hotspot": ("hotspot_class", "hotspot_label"),
}


# --- lägesbild, follow-up, periods -----------------------------------------------------------


def weekday_names(lang: str | None = None) -> dict[str, str]:
    """The weekdays in words, by ISO weekday number less one (``"0"`` Monday … ``"6"`` Sunday).

    The code column ``weekday`` of :func:`geo_trygg.lagesbild.weekday_hour` holds these numbers
    as integers; :func:`words` and :func:`with_words` read them as their text.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{"0": "måndag", …, "6": "söndag"}``.

    Examples
    --------
    >>> weekday_names("sv")["0"], weekday_names("en")["6"]
    ('måndag', 'Sunday')
    """
    lang = _language(lang)
    return {
        "0": msg("tp_weekday_0", lang),
        "1": msg("tp_weekday_1", lang),
        "2": msg("tp_weekday_2", lang),
        "3": msg("tp_weekday_3", lang),
        "4": msg("tp_weekday_4", lang),
        "5": msg("tp_weekday_5", lang),
        "6": msg("tp_weekday_6", lang),
    }


def followup_change_names(lang: str | None = None) -> dict[str, str]:
    """What changed for a walk finding since the last meeting, in words.

    The codes are those of the ``change`` column of :func:`geo_trygg.followup.changes_since`
    (``geo_trygg.followup.CHANGE_CODES``).

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{change: words}``.

    Examples
    --------
    >>> followup_change_names("sv")["new"]
    'Ny brist'
    """
    lang = _language(lang)
    return {
        "new": msg("fu_change_new", lang),
        "closed": msg("fu_change_closed", lang),
        "newly_overdue": msg("fu_change_newly_overdue", lang),
    }


# the form of a reason code (geo_trygg.lagesbild.REASON_NOTHING, REASON_TOP, REASON_JOIN)
_REASON_NOTHING, _REASON_TOP, _REASON_JOIN = "none", ":top", "+"


def _reason_phrases(lang: str) -> dict[str, str]:
    """The phrase of each standard indicator, plain and with ``":top"``."""
    return {
        "events": msg("prio_why_events", lang),
        "events:top": msg("prio_why_events_top", lang),
        "events_per_1000": msg("prio_why_events_per_1000", lang),
        "events_per_1000:top": msg("prio_why_events_per_1000_top", lang),
        "change": msg("prio_why_change", lang),
        "change:top": msg("prio_why_change_top", lang),
        "increase": msg("prio_why_increase", lang),
        "increase:top": msg("prio_why_increase_top", lang),
        "overdue": msg("prio_why_overdue", lang),
        "overdue:top": msg("prio_why_overdue_top", lang),
        "severity": msg("prio_why_severity", lang),
        "severity:top": msg("prio_why_severity_top", lang),
    }


def _reason_phrase(part: str, lang: str) -> str:
    """One indicator of a ``reason`` code in words (any indicator name, standard or not)."""
    known = _reason_phrases(lang)
    if part in known:
        return known[part]
    top = part.endswith(_REASON_TOP)
    name = part[: -len(_REASON_TOP)] if top else part
    if not name:
        raise ValueError(f"reason code part {part!r} names no indicator")
    return msg("prio_why_other_top" if top else "prio_why_other", lang, name=name)


def reason_words(code: str, lang: str | None = None) -> str:
    """The sentence of one ``reason`` code of :func:`geo_trygg.lagesbild.prioritize`.

    A ``reason`` code names the (at most) two indicators that contribute most to an area's
    score, largest first, joined by ``"+"``; an indicator ends in ``":top"`` when the area has
    the highest value of its level in it; ``"none"`` when nothing stands out. Indicators other
    than the standard six (any numeric column that was weighted) are named by their column.

    Parameters
    ----------
    code : str
        A ``reason`` code, e.g. ``"events:top+overdue"``.
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    str
        The sentence, first letter capitalised.

    Raises
    ------
    ValueError
        ``code`` is empty or has more than two indicators.

    Examples
    --------
    >>> reason_words("events:top+overdue", "sv")
    'Flest händelser och många försenade åtgärder'
    >>> reason_words("larm:top", "en")
    'The highest value of larm'
    """
    lang = _language(lang)
    if code == _REASON_NOTHING:
        text = msg("prio_why_nothing", lang)
    else:
        parts = code.split(_REASON_JOIN)
        if len(parts) > 2:
            raise ValueError(f"reason code {code!r} names more than two indicators")
        phrases = [_reason_phrase(part, lang) for part in parts]
        text = (
            phrases[0]
            if len(phrases) == 1
            else msg("prio_why_and", lang, first=phrases[0], second=phrases[1])
        )
    return text[:1].upper() + text[1:]


def reason_names(lang: str | None = None) -> dict[str, str]:
    """Every ``reason`` code made of the standard indicators, in words.

    The standard indicators are those of ``geo_trygg.lagesbild.STANDARD_INDICATORS``; a code
    naming another weighted column is put in words by :func:`reason_words` (and so by
    :func:`words` and :func:`with_words`), but is not listed here.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{reason: sentence}``: ``"none"``, each indicator alone and each ordered pair of two
        different indicators, each with and without ``":top"``.

    Examples
    --------
    >>> reason_names("en")["overdue:top"]
    'The most overdue measures'
    """
    lang = _language(lang)
    parts = list(_reason_phrases(lang))
    codes = [_REASON_NOTHING, *parts]
    codes += [
        f"{a}{_REASON_JOIN}{b}"
        for a in parts
        for b in parts
        if a.removesuffix(_REASON_TOP) != b.removesuffix(_REASON_TOP)
    ]
    return {code: reason_words(code, lang) for code in codes}


def table_names(lang: str | None = None) -> dict[str, str]:
    """The names of the lägesbild's tables (sheets, CSV files, report sections), by table key
    (:meth:`geo_trygg.lagesbild.Lagesbild.tables`).

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{table: name}``.

    Examples
    --------
    >>> table_names("sv")["priorities"], table_names("en")["followup"]
    ('Prioritering', 'Follow-up of measures')
    """
    lang = _language(lang)
    return {
        "priorities": msg("lb_table_priorities", lang),
        "totals": msg("lb_table_totals", lang),
        "areas": msg("lb_table_areas", lang),
        "reconciliation": msg("lb_table_reconciliation", lang),
        "followup": msg("lb_table_followup", lang),
        "overdue": msg("lb_table_overdue", lang),
        "changes": msg("lb_table_changes", lang),
        "weekday_hour": msg("lb_table_weekday_hour", lang),
        "weekly": msg("lb_table_weekly", lang),
        "concentration": msg("lb_table_concentration", lang),
        "places": msg("lb_table_places", lang),
        "places_reconciliation": msg("lb_table_places_reconciliation", lang),
        "places_followup": msg("lb_table_places_followup", lang),
    }


def column_names(lang: str | None = None) -> dict[str, str]:
    """The headers of the lägesbild's columns in its exports, by column name; a column not
    listed keeps its name.

    Parameters
    ----------
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    dict
        ``{column: header}``.

    Examples
    --------
    >>> column_names("sv")["why"], column_names("en")["n_compare"]
    ('Varför', 'Count, comparison period')
    """
    lang = _language(lang)
    return {
        "kind": msg("lb_column_kind", lang),
        "level": msg("lb_column_level", lang),
        "bucket": msg("lb_column_bucket", lang),
        "area": msg("lb_column_area", lang),
        "category": msg("lb_column_category", lang),
        "n": msg("lb_column_n", lang),
        "n_compare": msg("lb_column_n_compare", lang),
        "expected": msg("lb_column_expected", lang),
        "change": msg("lb_column_change", lang),
        "rate_ratio": msg("lb_column_rate_ratio", lang),
        "p_value": msg("lb_column_p_value", lang),
        "p_adjusted": msg("lb_column_p_adjusted", lang),
        "change_code": msg("lb_column_change_code", lang),
        "change_label": msg("lb_column_change_label", lang),
        "land_km2": msg("lb_column_land_km2", lang),
        "per_km2": msg("lb_column_per_km2", lang),
        "population": msg("lb_column_population", lang),
        "per_1000": msg("lb_column_per_1000", lang),
        "n_input": msg("lb_column_n_input", lang),
        "n_in_areas": msg("lb_column_n_in_areas", lang),
        "n_outside": msg("lb_column_n_outside", lang),
        "n_too_coarse": msg("lb_column_n_too_coarse", lang),
        "group": msg("lb_column_group", lang),
        "rank": msg("lb_column_rank", lang),
        "score": msg("lb_column_score", lang),
        "why": msg("lb_column_why", lang),
        "missing": msg("lb_column_missing", lang),
        "events": msg("lb_column_events", lang),
        "events_per_1000": msg("lb_column_events_per_1000", lang),
        "increase": msg("lb_column_increase", lang),
        "overdue": msg("lb_column_overdue", lang),
        "severity": msg("lb_column_severity", lang),
        "contrib_events": msg("lb_column_contrib_events", lang),
        "contrib_increase": msg("lb_column_contrib_increase", lang),
        "contrib_overdue": msg("lb_column_contrib_overdue", lang),
        "contrib_severity": msg("lb_column_contrib_severity", lang),
        "place": msg("lb_column_place", lang),
        "n_in_places": msg("lb_column_n_in_places", lang),
        "n_in_no_place": msg("lb_column_n_in_no_place", lang),
        "n_memberships": msg("lb_column_n_memberships", lang),
        "is_total": msg("lb_column_is_total", lang),
        "n_total": msg("lb_column_n_total", lang),
        "n_open": msg("lb_column_n_open", lang),
        "n_in_progress": msg("lb_column_n_in_progress", lang),
        "n_done": msg("lb_column_n_done", lang),
        "n_rejected": msg("lb_column_n_rejected", lang),
        "n_overdue": msg("lb_column_n_overdue", lang),
        "share_done": msg("lb_column_share_done", lang),
        "median_days_to_done": msg("lb_column_median_days_to_done", lang),
        "n_done_dated": msg("lb_column_n_done_dated", lang),
        "days_overdue": msg("lb_column_days_overdue", lang),
        "finding_id": msg("lb_column_finding_id", lang),
        "walk_id": msg("lb_column_walk_id", lang),
        "walk_date": msg("lb_column_walk_date", lang),
        "description": msg("lb_column_description", lang),
        "responsible_actor": msg("lb_column_responsible_actor", lang),
        "status": msg("lb_column_status", lang),
        "deadline": msg("lb_column_deadline", lang),
        "weekday": msg("lb_column_weekday", lang),
        "weekday_name": msg("lb_column_weekday_name", lang),
        "hour": msg("lb_column_hour", lang),
        "weight": msg("lb_column_weight", lang),
        "event_share": msg("lb_column_event_share", lang),
        "places": msg("lb_column_places", lang),
        "place_share": msg("lb_column_place_share", lang),
        "n_places": msg("lb_column_n_places", lang),
        "generalized_gini": msg("lb_column_generalized_gini", lang),
        "n_events": msg("lb_column_n_events", lang),
    }


_LAGESBILD_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "weekday": weekday_names,
    "followup_change": followup_change_names,
    "reason": reason_names,
    "lagesbild_table": table_names,
    "lagesbild_column": column_names,
}

_LAGESBILD_COLUMNS: dict[str, tuple[str, str]] = {
    "weekday": ("weekday", "weekday_name"),
    "reason": ("reason", "why"),
}
# the ``change`` column of changes_since is not here: the change tables of geo_trygg.stats have
# a numeric column of that name; the edges call words(table["change"], "followup_change")

_COMPOSED: dict[str, Callable[[str, str], str]] = {"reason": reason_words}
"""Kinds whose codes are composed: :func:`words` builds the words of a code that
:func:`names` does not list (a ``reason`` naming a column of the user's)."""


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


_STATS_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "change": change_names,
    "series_class": series_class_names,
    "emerging_pattern": emerging_pattern_names,
    "knox": knox_names,
}
_STATS_COLUMNS: dict[str, tuple[str, str]] = {
    "change_code": ("change", "change_label"),
    "hotspot_class": ("series_class", "hotspot_class_label"),
    "pattern": ("emerging_pattern", "pattern_label"),
    "knox_pattern": ("knox", "label"),
}


# --- the registries ----------------------------------------------------------------------------

KINDS: Mapping[str, Callable[[str | None], dict[str, str]]] = {
    **_BASE_KINDS,
    **_STATS_KINDS,
    **_LAGESBILD_KINDS,
}
"""Every kind of code this module knows, with the function giving its words."""

COLUMNS: Mapping[str, tuple[str, str]] = {
    **_BASE_COLUMNS,
    **_STATS_COLUMNS,
    **_LAGESBILD_COLUMNS,
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
    language = _language(lang)
    mapping = names(kind, lang=language)
    present = codes.dropna()
    unknown = sorted({str(c) for c in present.unique()} - set(mapping))
    compose = _COMPOSED.get(kind)
    if unknown and compose is not None:
        mapping = {**mapping, **{c: compose(c, language) for c in unknown}}
    elif unknown:
        raise ValueError(f"codes {unknown} are not of kind {kind!r}; allowed: {sorted(mapping)}")
    out = pd.Series(
        [None if pd.isna(c) else mapping[str(c)] for c in codes], index=codes.index, dtype=object
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
