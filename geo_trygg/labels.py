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
from typing import Protocol

import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import check_choice
from geo_trygg._labels import LANGUAGES, msg

__all__ = [
    "COLUMNS",
    "KINDS",
    "LANGUAGES",
    "REASON_JOIN",
    "REASON_NOTHING",
    "REASON_TOP",
    "actor_group_names",
    "area_match_names",
    "area_relation_names",
    "change_names",
    "column_names",
    "comparison_obstacle_names",
    "coverage_role_names",
    "emerging_pattern_names",
    "followup_change_names",
    "goal_basis_names",
    "goal_progress_names",
    "goal_reason_names",
    "hotspot_class_names",
    "indicator_words",
    "kind_names",
    "knox_names",
    "level_names",
    "measure_area_kind_names",
    "measure_status_names",
    "names",
    "no_rank_names",
    "rag_names",
    "rank_texts",
    "rank_words",
    "reason_names",
    "reason_words",
    "series_class_names",
    "table_names",
    "uncertainty_names",
    "utsatt_category_names",
    "utsatt_change_names",
    "weekday_names",
    "with_words",
    "words",
]


def _language(lang: str | None) -> str:
    """``lang`` checked, or the session's language (``settings.lang``) when omitted."""
    return settings.lang if lang is None else check_choice("lang", lang, LANGUAGES)


class _Names(Protocol):
    """A kind's words: ``{code: words}`` in ``lang`` (``settings.lang`` when omitted)."""

    def __call__(self, lang: str | None = None) -> dict[str, str]: ...


_KIND_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {}
"""Every kind made by :func:`_kind`: the prefix of its catalogue keys and its codes. The key
of a code is the prefix and the code (``stats_change_`` + ``too_few``); ``tests/test_labels.py``
reads this table to know which keys the kinds use."""


def _kind(name: str, kind: str, prefix: str, codes: str, doc: str) -> _Names:
    """The public words function ``name`` of ``kind``: the sentence of each code (``codes``
    separated by spaces), whose catalogue key is ``prefix`` + code."""
    listed = tuple(codes.split())
    _KIND_KEYS[kind] = (prefix, listed)

    def kind_words(lang: str | None = None) -> dict[str, str]:
        language = _language(lang)
        return {code: msg(prefix + code, language) for code in listed}

    kind_words.__name__ = kind_words.__qualname__ = name
    kind_words.__doc__ = doc
    return kind_words


# --- the kinds of code -------------------------------------------------------------------------


level_names = _kind(
    "level_names",
    "level",
    "map_level_",
    "stadsdel stadsdelsomrade lpo polisomrade kommun lan utsatt_omrade place",
    """The area levels in words (plural, capitalised), by level code.

    >>> level_names("sv")["lpo"], level_names("en")["lan"]
    ('Lokalpolisområden', 'Counties')
    """,
)


kind_names = _kind(
    "kind_names",
    "kind",
    "map_kind_",
    "events findings counts indicators",
    """What is counted, in words: ``events``, ``findings``, ``counts`` (count tables),
    ``indicators`` (survey results).

    >>> kind_names("en")["findings"]
    'Findings (safety walk)'
    """,
)


hotspot_class_names = _kind(
    "hotspot_class_names",
    "hotspot_class",
    "hotspot_class_",
    "hot_99 hot_95 hot_90 not_significant cold_90 cold_95 cold_99",
    """The Gi* classes (``geo_trygg.hotspots.HOTSPOT_CLASSES``) in words.

    >>> hotspot_class_names("en")["cold_95"]
    'cold spot (95 %)'
    """,
)


uncertainty_names = _kind(
    "uncertainty_names",
    "uncertainty",
    "ind_uncertainty_",
    "wilson95 unknown not_a_share",
    """How sure a survey result is, in words (the ``uncertainty`` column of
    :func:`geo_trygg.io.read_indicators`).

    >>> uncertainty_names("sv")["unknown"]
    'osäkerhet okänd'
    """,
)


_BASE_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "level": level_names,
    "kind": kind_names,
    "hotspot_class": hotspot_class_names,
    "uncertainty": uncertainty_names,
}

_BASE_COLUMNS: dict[str, tuple[str, str]] = {
    "hotspot": ("hotspot_class", "hotspot_label"),
    "uncertainty": ("uncertainty", "uncertainty_label"),
}


# --- lägesbild, follow-up, periods -----------------------------------------------------------


weekday_names = _kind(
    "weekday_names",
    "weekday",
    "tp_weekday_",
    "0 1 2 3 4 5 6",
    """The weekdays in words, by ISO weekday number less one (``"0"`` Monday … ``"6"`` Sunday).

    The code column ``weekday`` of :func:`geo_trygg.lagesbild.weekday_hour` holds these numbers
    as integers; :func:`words` and :func:`with_words` read them as their text.

    >>> weekday_names("sv")["0"], weekday_names("en")["6"]
    ('måndag', 'Sunday')
    """,
)


followup_change_names = _kind(
    "followup_change_names",
    "followup_change",
    "fu_change_",
    "new closed newly_overdue",
    """What changed for a walk finding since the last meeting, in words.

    The codes are those of the ``change`` column of :func:`geo_trygg.followup.changes_since`
    (``geo_trygg.followup.CHANGE_CODES``).

    >>> followup_change_names("sv")["new"]
    'Ny brist'
    """,
)


actor_group_names = _kind(
    "actor_group_names",
    "actor_group",
    "actor_group_",
    "kommun region_stat privat civilsamhalle other",
    """The groups of responsible actors in words, by group code.

    The codes are ``geo_trygg.vocab.findings.ACTOR_GROUPS``, the group of each actor in
    ``actors.csv`` (:func:`geo_trygg.vocab.findings.actor_groups`); the follow-up tables group
    by them with ``by="actor_group"`` (:func:`geo_trygg.followup_table`).

    >>> actor_group_names("sv")["region_stat"], actor_group_names("en")["civilsamhalle"]
    ('Region och stat', 'Civil society')
    """,
)


REASON_NOTHING = "none"
"""The ``reason`` code of an area where no contribution stands out."""

REASON_TOP = ":top"
"""Suffix of an indicator in a ``reason`` code: the area has the highest value of its level."""

REASON_JOIN = "+"
"""Separator of the two indicators of a ``reason`` code."""


def _reason_phrases(lang: str) -> dict[str, str]:
    """The phrase of each standard indicator, plain and with ``":top"``."""
    return {
        "events": msg("prio_why_events", lang),
        "events:top": msg("prio_why_events_top", lang),
        "events_per_1000": msg("prio_why_events_per_1000", lang),
        "events_per_1000:top": msg("prio_why_events_per_1000_top", lang),
        "events_per_1000_eb": msg("prio_why_events_per_1000_eb", lang),
        "events_per_1000_eb:top": msg("prio_why_events_per_1000_eb_top", lang),
        "change": msg("prio_why_change", lang),
        "change:top": msg("prio_why_change_top", lang),
        "increase": msg("prio_why_increase", lang),
        "increase:top": msg("prio_why_increase_top", lang),
        "overdue": msg("prio_why_overdue", lang),
        "overdue:top": msg("prio_why_overdue_top", lang),
        "open": msg("prio_why_open", lang),
        "open:top": msg("prio_why_open_top", lang),
        "severity": msg("prio_why_severity", lang),
        "severity:top": msg("prio_why_severity_top", lang),
    }


def _reason_phrase(part: str, lang: str) -> str:
    """One indicator of a ``reason`` code in words (any indicator name, standard or not)."""
    known = _reason_phrases(lang)
    if part in known:
        return known[part]
    top = part.endswith(REASON_TOP)
    name = part[: -len(REASON_TOP)] if top else part
    if not name:
        raise ValueError(f"reason code part {part!r} names no indicator")
    if name.startswith(("survey:", "survey_low:")):
        low = name.startswith("survey_low:")
        return msg(
            ("prio_why_survey_low_top" if top else "prio_why_survey_low")
            if low
            else ("prio_why_survey_high_top" if top else "prio_why_survey_high"),
            lang,
            indicator=name.split(":", 1)[1],
        )
    return msg("prio_why_other_top" if top else "prio_why_other", lang, name=name)


def indicator_words(name: str, lang: str | None = None) -> str:
    """A prioritisation indicator's name in words: its column header
    (:func:`column_names`), a survey indicator (``survey:<id>``, ``survey_low:<id>``) as
    "trygghetsmätningen: <id>", any other column as given.

    >>> indicator_words("overdue", "sv"), indicator_words("survey:oro", "sv")
    ('Försenade åtgärder', 'trygghetsmätningen: oro')
    """
    language = _language(lang)
    if name.startswith("survey_low:"):
        return msg("prio_survey_low_name", language, indicator=name.split(":", 1)[1])
    if name.startswith("survey:"):
        return msg("prio_survey_name", language, indicator=name.split(":", 1)[1])
    return column_names(language).get(name, name)


def reason_words(code: str, lang: str | None = None) -> str:
    """The sentence of one ``reason`` code of :func:`geo_trygg.lagesbild.prioritize`.

    A ``reason`` code names the (at most) two indicators that contribute most to an area's
    score, largest first, joined by ``"+"``; an indicator ends in ``":top"`` when the area has
    the highest value of its level in it; ``"none"`` when nothing stands out. Indicators other
    than the standard eight (any numeric column that was weighted) are named by their column.

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
    if code == REASON_NOTHING:
        text = msg("prio_why_nothing", lang)
    else:
        parts = code.split(REASON_JOIN)
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
    codes = [REASON_NOTHING, *parts]
    codes += [
        f"{a}{REASON_JOIN}{b}"
        for a in parts
        for b in parts
        if a.removesuffix(REASON_TOP) != b.removesuffix(REASON_TOP)
    ]
    return {code: reason_words(code, lang) for code in codes}


no_rank_names = _kind(
    "no_rank_names",
    "no_rank",
    "prio_no_rank_",
    "one_area all_zero",
    """Why a level of the prioritisation has no ranking, by ``no_rank``.

    The codes are ``geo_trygg.lagesbild._priority.NO_RANK_CODES``: the level has only one area, or
    every score in it is 0.

    >>> no_rank_names("en")["all_zero"]
    'no ranking possible: every score is 0'
    """,
)


def rank_words(
    rank: object, *, tied: bool = False, no_rank: str | None = None, lang: str | None = None
) -> str:
    """An area's rank as a page shows it: the number, "(delad)" when shared, or why there is
    none.

    Parameters
    ----------
    rank : int or None
        The ``rank`` of :func:`geo_trygg.lagesbild.prioritize` (missing where the level has
        no ranking).
    tied : bool, default False
        The ``tied`` column: the rank is shared with another area of the level.
    no_rank : str, optional
        The ``no_rank`` column: why the level has no ranking (a code of
        :func:`no_rank_names`).
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        ``no_rank`` is not a code of :func:`no_rank_names`.

    Examples
    --------
    >>> rank_words(2, tied=True, lang="sv"), rank_words(3, lang="en")
    ('2 (delad)', '3')
    >>> rank_words(None, no_rank="one_area", lang="sv")
    'ingen rangordning möjlig: bara ett område på nivån'
    """
    language = _language(lang)
    if isinstance(no_rank, str):
        known = no_rank_names(language)
        if no_rank not in known:
            raise ValueError(f"no_rank={no_rank!r} is not one of {sorted(known)}")
        return known[no_rank]
    if rank is None or pd.isna(rank):
        return msg("prio_no_rank", language)
    number = int(rank)  # type: ignore[call-overload]
    return msg("prio_rank_tied", language, rank=number) if tied else str(number)


def rank_texts(frame: pd.DataFrame, *, lang: str | None = None) -> pd.Series:
    """:func:`rank_words` for every row of a prioritisation table (``rank``, ``tied``,
    ``no_rank``), named ``rank_label``.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"rank": pd.array([1, 1, None], dtype="Int64"),
    ...                       "tied": [True, True, False], "no_rank": [None, None, "all_zero"]})
    >>> rank_texts(table, lang="en").tolist()
    ['1 (tied)', '1 (tied)', 'no ranking possible: every score is 0']
    """
    language = _language(lang)
    ranks = frame["rank"].tolist()
    tied = frame["tied"].tolist() if "tied" in frame.columns else [False] * len(frame)
    why = frame["no_rank"].tolist() if "no_rank" in frame.columns else [None] * len(frame)
    texts = [
        rank_words(r, tied=bool(t), no_rank=w if isinstance(w, str) else None, lang=language)
        for r, t, w in zip(ranks, tied, why, strict=True)
    ]
    return pd.Series(texts, index=frame.index, dtype=object, name="rank_label")


table_names = _kind(
    "table_names",
    "lagesbild_table",
    "lb_table_",
    (
        "priorities totals areas reconciliation followup overdue changes weekday_hour weekly "
        "concentration places places_reconciliation places_followup coverage comparison "
        "indicators goals"
    ),
    """The names of the lägesbild's tables (sheets, CSV files, report sections), by table key
    (:meth:`geo_trygg.lagesbild.Lagesbild.tables`).

    >>> table_names("sv")["priorities"], table_names("en")["followup"]
    ('Prioritering', 'Follow-up of measures')
    """,
)


column_names = _kind(
    "column_names",
    "lagesbild_column",
    "lb_column_",
    (
        "kind level bucket area category n n_compare expected change rate_ratio p_value "
        "p_adjusted change_code change_label land_km2 per_km2 population per_1000 n_input "
        "n_in_areas n_outside n_too_coarse group rank rank_label score why missing events "
        "events_per_1000 increase overdue open severity contrib_events contrib_increase "
        "contrib_overdue contrib_open contrib_severity latest_walk n_latest_walk place "
        "n_in_places n_in_no_place n_memberships "
        "is_total n_total n_open n_in_progress n_done n_rejected n_overdue share_done "
        "median_days_to_done n_done_dated days_overdue finding_id walk_id walk_date "
        "description responsible_actor status deadline weekday weekday_name hour weight "
        "event_share places place_share n_places generalized_gini n_events category_original "
        "responsible_original source role period start end days first_day last_day declared "
        "days_covered share_covered days_with_data n_exact n_address n_stadsdel n_kommun n_lan "
        "comparable obstacle shift min_coverage max_precision_shift n_by_point n_by_name "
        "n_by_location per_1000_eb events_per_1000_eb contrib_events_per_1000_eb "
        "relation relation_label survey_area year year_from year_to indicator "
        "indicator_text value unit ci_low ci_high uncertainty uncertainty_label respondents "
        "source_url area_match area_match_label goal baseline_year baseline_value target_year "
        "target_value path_value progress progress_label basis basis_label progress_reason "
        "progress_reason_label baseline_text target_text path_text progress_text value_text "
        "interval_text"
    ),
    """The headers of the lägesbild's columns in its exports, by column name; a column not
    listed keeps its name.

    >>> column_names("sv")["why"], column_names("en")["n_compare"]
    ('Varför', 'Count, comparison period')
    """,
)


coverage_role_names = _kind(
    "coverage_role_names",
    "coverage_role",
    "lb_role_",
    "period compare",
    """Which period a row of the lägesbild's coverage table describes, by ``role``.

    >>> coverage_role_names("sv")["compare"]
    'jämförelseperioden'
    """,
)


comparison_obstacle_names = _kind(
    "comparison_obstacle_names",
    "comparison_obstacle",
    "lb_obstacle_",
    "coverage_period coverage_compare precision_shift",
    """Why the lägesbild cannot compare two periods at a level, by ``obstacle``.

    >>> comparison_obstacle_names("en")["coverage_compare"]
    "the source covers too few of the comparison period's days"
    """,
)


_LAGESBILD_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "weekday": weekday_names,
    "followup_change": followup_change_names,
    "actor_group": actor_group_names,
    "reason": reason_names,
    "no_rank": no_rank_names,
    "lagesbild_table": table_names,
    "lagesbild_column": column_names,
    "coverage_role": coverage_role_names,
    "comparison_obstacle": comparison_obstacle_names,
}

_LAGESBILD_COLUMNS: dict[str, tuple[str, str]] = {
    "weekday": ("weekday", "weekday_name"),
    "reason": ("reason", "why"),
}
# ``no_rank`` is not here: a rank is read with its tie and its ``no_rank`` together, so the
# edges write ``rank_texts(table)`` ("2 (delad)", "ingen rangordning möjlig: …")
# the ``change`` column of changes_since is not here: the change tables of geo_trygg.stats have
# a numeric column of that name; the edges call words(table["change"], "followup_change")

_COMPOSED: dict[str, Callable[[str, str], str]] = {"reason": reason_words}
"""Kinds whose codes are composed: :func:`words` builds the words of a code that
:func:`names` does not list (a ``reason`` naming a column of the user's)."""


# --- statistics and hotspots -------------------------------------------------------------------


change_names = _kind(
    "change_names",
    "change",
    "stats_change_",
    "increase decrease no_clear_change too_few no_data not_tested not_comparable",
    """The change between two periods in words, by ``change_code``.

    The codes are ``geo_trygg.stats.CHANGE_CODES``, given by
    :func:`geo_trygg.stats.change_table` (and the lägesbild and ``hotspots.cell_change``);
    ``not_tested`` marks the lägesbild's rows of walk findings, which are never tested.

    >>> change_names("sv")["no_clear_change"], change_names("en")["too_few"]
    ('ingen säker förändring', 'too few events to say')
    """,
)


series_class_names = _kind(
    "series_class_names",
    "series_class",
    "series_class_",
    (
        "persistent_hotspot emerging_hotspot former_hotspot intermittent_hotspot "
        "persistent_coldspot emerging_coldspot former_coldspot intermittent_coldspot "
        "mixed_hotspot_coldspot no_pattern"
    ),
    """sfhotspot's classes of a series of periods in words, by ``hotspot_class``.

    The codes are ``geo_trygg.hotspots.SERIES_CLASSES``, given by
    :func:`geo_trygg.hotspots.hotspot_classify` and ``classify_hotspot_series``.

    >>> series_class_names("en")["emerging_hotspot"]
    'emerging hot spot'
    """,
)


emerging_pattern_names = _kind(
    "emerging_pattern_names",
    "emerging_pattern",
    "emerging_",
    (
        "new_hotspot consecutive_hotspot intensifying_hotspot persistent_hotspot "
        "diminishing_hotspot sporadic_hotspot oscillating_hotspot historical_hotspot "
        "new_coldspot consecutive_coldspot intensifying_coldspot persistent_coldspot "
        "diminishing_coldspot sporadic_coldspot oscillating_coldspot historical_coldspot "
        "no_pattern"
    ),
    """The Esri-style emerging hot spot patterns in words, by ``pattern``.

    The codes are ``geo_trygg.hotspots.EMERGING_PATTERNS``, given by
    :func:`geo_trygg.hotspots.emerging_hotspots` and ``emerging_hotspot_series``.

    >>> emerging_pattern_names("en")["intensifying_hotspot"]
    'intensifying hot spot'
    """,
)


knox_names = _kind(
    "knox_names",
    "knox",
    "knox_",
    "near_repeat no_pattern no_pairs",
    """The Knox near-repeat result of a band in a sentence, by ``knox_pattern``.

    The codes are ``geo_trygg.hotspots.KNOX_PATTERNS``, given by
    :func:`geo_trygg.hotspots.knox_test`: ``near_repeat`` (more pairs than chance would give),
    ``no_pattern`` and ``no_pairs`` (no pair can fall in the band: not testable).

    >>> knox_names("en")["no_pairs"]
    'Cannot be tested: no pair of events can fall in this band'
    """,
)


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


# --- the åtgärdsplan ---------------------------------------------------------------------------


rag_names = _kind(
    "rag_names",
    "rag",
    "plan_rag_",
    "green yellow red done cancelled",
    """A measure's status in one colour, by ``rag``.

    The codes are ``geo_trygg.plan.RAG_CODES``, given by
    :func:`geo_trygg.plan.measure_status`: green, yellow, red from the deadline and the
    progress; done and cancelled as such.

    >>> rag_names("sv")["yellow"], rag_names("en")["cancelled"]
    ('gul', 'cancelled')
    """,
)


measure_status_names = _kind(
    "measure_status_names",
    "measure_status",
    "plan_status_",
    "planned ongoing done cancelled",
    """The status of a measure of the åtgärdsplan in words.

    The codes are ``geo_trygg.plan.MEASURE_STATUSES``, the ``status`` column of the measures
    (not that of walk findings, whose codes are other).

    >>> measure_status_names("sv")["ongoing"], measure_status_names("en")["planned"]
    ('pågår', 'planned')
    """,
)


measure_area_kind_names = _kind(
    "measure_area_kind_names",
    "measure_area_kind",
    "measure_area_kind_",
    "camera ordningsvakt other",
    """The kind of a measure area in words, by ``kind`` (``geo_trygg.io.measure_areas.
    MEASURE_AREA_KINDS``, read by :func:`geo_trygg.io.read_measure_areas`).

    >>> measure_area_kind_names("sv")["camera"], measure_area_kind_names("en")["other"]
    ('kamerabevakning', 'other measure')
    """,
)


_PLAN_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "rag": rag_names,
    "measure_status": measure_status_names,
    "measure_area_kind": measure_area_kind_names,
}
_PLAN_COLUMNS: dict[str, tuple[str, str]] = {
    "rag": ("rag", "rag_label"),
}
# the measures' ``status`` column is not here: walk findings have a ``status`` column with
# other codes; the edges call words(measures["status"], "measure_status")


# --- survey indicators and goals ---------------------------------------------------------------


goal_progress_names = _kind(
    "goal_progress_names",
    "goal_progress",
    "goal_progress_",
    "on_track off_track undecided",
    """Progress towards a goal in words (``geo_trygg.lagesbild.GOAL_PROGRESS_CODES``).

    >>> goal_progress_names("sv")["undecided"]
    'kan inte avgöras'
    """,
)


goal_basis_names = _kind(
    "goal_basis_names",
    "goal_basis",
    "goal_basis_",
    "interval point none",
    """What a goal's judgement rests on, in words (``geo_trygg.lagesbild.GOAL_BASES``).

    >>> goal_basis_names("sv")["point"]
    'bedömt på ett enda värde, osäkerheten okänd'
    """,
)


goal_reason_names = _kind(
    "goal_reason_names",
    "goal_reason",
    "goal_reason_",
    "judged interval_spans_path no_baseline no_later_value conflicting_values baseline_is_target",
    """Why a goal's judgement is what it is, in words (``geo_trygg.lagesbild.GOAL_REASONS``).

    >>> goal_reason_names("en")["no_later_value"]
    'no value after the baseline year'
    """,
)


area_match_names = _kind(
    "area_match_names",
    "area_match",
    "area_match_",
    "name variant country no_boundaries other_division unknown",
    """How a survey area was matched to the crosswalks' areas, in words
    (``geo_trygg.join.AREA_MATCH_CODES``).

    >>> area_match_names("sv")["name"]
    'samma namn'
    """,
)


area_relation_names = _kind(
    "area_relation_names",
    "area_relation",
    "area_relation_",
    "same part",
    """How a survey area relates to an area of the lägesbild, in words
    (``geo_trygg.join.AREA_RELATIONS``).

    >>> area_relation_names("en")["same"]
    'the same area'
    """,
)


_INDICATOR_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "goal_progress": goal_progress_names,
    "goal_basis": goal_basis_names,
    "goal_reason": goal_reason_names,
    "area_match": area_match_names,
    "area_relation": area_relation_names,
}
_INDICATOR_COLUMNS: dict[str, tuple[str, str]] = {
    "progress": ("goal_progress", "progress_label"),
    "progress_reason": ("goal_reason", "progress_reason_label"),
    "basis": ("goal_basis", "basis_label"),
    "area_match": ("area_match", "area_match_label"),
    "relation": ("area_relation", "relation_label"),
}


# --- the police's utsatta områden --------------------------------------------------------------


utsatt_category_names = _kind(
    "utsatt_category_names",
    "utsatt_category",
    "uso_category_",
    "sarskilt_utsatt utsatt riskomrade",
    """The police's categories of utsatta områden in words, by ``category``.

    The codes are ``geo_trygg.io.utsatta.CATEGORIES``, given by
    :func:`geo_trygg.io.read_utsatta_omraden`.

    >>> utsatt_category_names("sv")["sarskilt_utsatt"], utsatt_category_names("en")["riskomrade"]
    ('särskilt utsatt område', 'risk area')
    """,
)


utsatt_change_names = _kind(
    "utsatt_change_names",
    "utsatt_change",
    "uso_change_",
    "added removed id_changed renamed category_changed lpo_changed boundary_changed "
    "boundary_unknown split split_from merged merged_into unchanged",
    """The changes of an utsatt område between two editions of the police's list, by code.

    The codes are ``geo_trygg.join.utsatta.CHANGE_CODES``, the ``changes`` column of
    :func:`geo_trygg.join.utsatta_timeline` (joined by ``;`` there).

    >>> utsatt_change_names("sv")["split_from"]
    'del av ett tidigare område'
    """,
)


_UTSATTA_KINDS: dict[str, Callable[[str | None], dict[str, str]]] = {
    "utsatt_category": utsatt_category_names,
    "utsatt_change": utsatt_change_names,
}


# --- the registries ----------------------------------------------------------------------------

KINDS: Mapping[str, Callable[[str | None], dict[str, str]]] = {
    **_BASE_KINDS,
    **_STATS_KINDS,
    **_LAGESBILD_KINDS,
    **_PLAN_KINDS,
    **_INDICATOR_KINDS,
    **_UTSATTA_KINDS,
}
"""Every kind of code this module knows, with the function giving its words."""

COLUMNS: Mapping[str, tuple[str, str]] = {
    **_BASE_COLUMNS,
    **_STATS_COLUMNS,
    **_LAGESBILD_COLUMNS,
    **_PLAN_COLUMNS,
    **_INDICATOR_COLUMNS,
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
