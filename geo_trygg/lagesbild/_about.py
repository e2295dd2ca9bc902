"""What a lägesbild can and cannot show, in sentences a planner reads first (presentation).

The numbers are :mod:`._coverage`'s and :mod:`._counts`'; this module only puts them in
words. Made from the lägesbild's own tables, so a page, the pack's index and a map say the
same:

- :func:`coverage_sentences`: for each source, the days its data cover and how much of the
  period and of the comparison period that is;
- :func:`placement_sentences`: for each kind and level, how many points of the period were
  placed in an area and how (by coordinates, by a place name in the text, by the place the
  source gives), how many could not be placed at the level and how many lay outside every area;
  with a warning sentence when under half could be placed;
- :func:`coverage_notes`, :func:`why_not_comparable`, :func:`nothing_to_compare`:
  why a comparison is not made, for the notes and the change labels.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo_trygg import labels
from geo_trygg._labels import msg
from geo_trygg.lagesbild._coverage import (
    COMPARED_KINDS,
    NOT_COMPARABLE,
    CoverageRules,
    precision_shift,
)
from geo_trygg.periods import Period
from geo_trygg.vocab.events import SOURCES, source_label

__all__ = [
    "area_placement",
    "coverage_notes",
    "coverage_sentences",
    "level_words",
    "nothing_to_compare",
    "placement_sentences",
    "source_words",
    "why_not_comparable",
]


def source_words(kind: str, source: str, lang: str | None = None) -> str:
    """A source in words: an events source by its name (``"polis"`` -> ``"Polisen"``), any
    other kind by the kind's name; a source of the user's own stays as given."""
    if kind == "events":
        return source_label(source, lang) if source in SOURCES else source
    return labels.kind_names(lang).get(kind, source)


def level_words(level: str, lang: str | None = None) -> str:
    """A level in words (plural, "Stadsdelar"); a pair of levels (an overlay,
    ``stadsdelsomrade_x_lpo``) as both, joined by ×; a level of the user's own as given."""
    names = {**labels.level_names(lang), **labels.column_names(lang)}
    return " × ".join(names.get(part, part) for part in level.split("_x_"))


def _days(row: Any, lang: str) -> str:
    if row.days_covered == row.days:
        return msg("about_days_all", lang, days=int(row.days))
    return msg("about_days_some", lang, covered=int(row.days_covered), days=int(row.days))


def coverage_sentences(
    coverage: pd.DataFrame | None, lang: str, *, counts: bool = True
) -> list[str]:
    """One sentence per source of the coverage table: its dates and the days of each period
    it covers ("Polisen: data från 2023-03-20 till 2026-08-22; perioden 2023-Q2: alla 91
    dagar; jämförelseperioden 2023-Q1: 12 av 90 dagar."); walk findings by the findings and
    days walked in each period, or (without ``counts``) their dates only."""
    if coverage is None or coverage.empty:
        return []
    out = []
    for (kind, source), part in coverage.groupby(["kind", "source"], sort=True):
        rows = {r.role: r for r in part.itertuples()}
        first = next(iter(rows.values()))
        name = source_words(str(kind), str(source), lang)
        if first.first_day is None:
            head = msg("about_source_no_dates", lang, source=name)
        else:
            head = msg(
                "about_source_dates" if not first.declared else "about_source_declared",
                lang,
                source=name,
                first=first.first_day,
                last=first.last_day,
            )
        if kind == "findings" and (not counts or "n" not in part.columns):  # dates only
            out.append(head + ".")
            continue
        if kind == "findings":  # walks are dated by their days, not covered spans
            out.append(_walks(name, rows, lang))
            continue
        parts = [head]
        if "period" in rows:
            r = rows["period"]
            parts.append(msg("about_period", lang, period=r.period, days=_days(r, lang)))
        if "compare" in rows:
            r = rows["compare"]
            parts.append(msg("about_compare", lang, period=r.period, days=_days(r, lang)))
        out.append("; ".join(parts) + ".")
    return out


def _walks(name: str, rows: dict[str, Any], lang: str) -> str:
    """The walk findings' sentence: the days walked in each period."""
    parts = [
        msg(
            "about_walks_in",
            lang,
            period=r.period,
            walks=int(r.days_with_data),
            n=int(r.n),
        )
        for role, r in sorted(rows.items(), key=lambda kv: kv[0] != "period")
    ]
    return msg("about_walks", lang, source=name, parts="; ".join(parts)) + "."


def _what(kind: str, lang: str) -> str:
    return msg("about_what_findings" if kind == "findings" else "about_what_events", lang)


def placement_sentences(
    reconciliation: pd.DataFrame | None, lang: str, *, counts: bool = True
) -> list[str]:
    """For each kind × level of the reconciliation table: the points of the period, those
    placed in an area and how, those too coarse for the level and those outside every area
    (left out when not ``counts``); then, where under half of the points inside the areas'
    reach (placed, or too coarse for the level) were placed, what that means for reading the
    counts."""
    if reconciliation is None or reconciliation.empty:
        return []
    out = []
    for row in reconciliation.itertuples():
        kind, level = str(row.kind), str(row.level)
        if kind == "counts":
            continue  # counted per area by their source: nothing was placed
        level_in_words = level_words(level, lang)
        how = _how(
            {
                "point": int(row.n_by_point),
                "name": int(row.n_by_name),
                "location": int(row.n_by_location),
            },
            lang,
        )
        if counts:
            out.append(
                msg(
                    "about_placement",
                    lang,
                    level=level_in_words,
                    n=int(row.n_input),
                    what=_what(kind, lang),
                    placed=int(row.n_in_areas),
                    how=how,
                    coarse=int(row.n_too_coarse),
                    outside=int(row.n_outside),
                )
            )
        # under half of the points inside the areas' reach (placed or too coarse; those
        # outside every area are no question of precision) could be placed
        reach = int(row.n_in_areas) + int(row.n_too_coarse)
        if reach and 2 * row.n_in_areas < reach:
            out.append(
                msg("about_under_half_level", lang, level=level_in_words, what=_what(kind, lang))
                if not counts
                else msg("about_under_half", lang, what=_what(kind, lang))
            )
    return out


def area_placement(kind: str, counts: dict[str, int], lang: str) -> str:
    """One area's points of the period by how they were placed (``counts`` by
    :data:`geo_trygg.lagesbild._counts.PLACED_BY`)."""
    return msg(
        "about_area_placement",
        lang,
        n=sum(counts.values()),
        what=_what(kind, lang),
        how=_how(counts, lang),
    )


def _how(counts: dict[str, int], lang: str) -> str:
    """How points were placed, by :data:`geo_trygg.lagesbild._counts.PLACED_BY`."""
    return ", ".join(
        [
            msg("about_by_point", lang, n=int(counts.get("point", 0))),
            msg("about_by_name", lang, n=int(counts.get("name", 0))),
            msg("about_by_location", lang, n=int(counts.get("location", 0))),
        ]
    )


def nothing_to_compare(coverage: pd.DataFrame, previous: Period | None) -> str | None:
    """The sentence saying the comparison is refused, naming the comparison period and the
    days each source covers, when no source of a compared kind has a day of data in the
    comparison period; else None."""
    if previous is None:
        return None
    part = coverage[coverage["kind"].isin(COMPARED_KINDS) & (coverage["role"] == "compare")]
    if part.empty or (part["days_covered"] > 0).any():
        return None
    spans = "; ".join(
        f"{source_words(str(r.kind), str(r.source))}: {r.first_day}–{r.last_day}"
        if r.first_day is not None
        else f"{source_words(str(r.kind), str(r.source))}: –"
        for r in part.itertuples()
    )
    return msg("lagesbild_nothing_to_compare", compare=previous.label, spans=spans)


def coverage_notes(
    coverage: pd.DataFrame, comparison: pd.DataFrame, rules: CoverageRules
) -> list[str]:
    """The notes a reader needs: every kind × source whose comparison is refused (its dates,
    the days covered and the threshold), and every source whose precision mix moved."""
    notes: list[str] = []
    if comparison.empty:
        return notes
    told: set[tuple[str, str, str]] = set()
    refused = comparison[~comparison["comparable"].astype(bool)]
    for why, part in refused.groupby("obstacle", sort=False):
        for (kind, source), rows in part.groupby(["kind", "source"], sort=True):
            levels = ", ".join(level_words(str(lv)) for lv in rows["level"])
            first = rows.iloc[0]
            span = coverage[(coverage["kind"] == kind) & (coverage["source"] == source)].iloc[0]
            common = {
                "source": source_words(str(kind), str(source)),
                "first": span["first_day"],
                "last": span["last_day"],
                "levels": levels,
            }
            if why == "precision_shift":
                notes.append(
                    msg(
                        "lagesbild_not_comparable_precision",
                        shift=round(100 * float(first["shift"])),
                        threshold=round(100 * rules.max_precision_shift),
                        **common,
                    )
                )
            else:
                notes.append(
                    msg(
                        "lagesbild_not_comparable_coverage_compare"
                        if why == "coverage_compare"
                        else "lagesbild_not_comparable_coverage_period",
                        covered=int(first["days_covered"]),
                        days=int(first["days"]),
                        threshold=round(100 * rules.min_coverage),
                        **common,
                    )
                )
            told.add((str(kind), str(source), str(why)))
    # a precision mix that moved, at levels it does not touch: said once per source
    compared = coverage[coverage["kind"].isin(COMPARED_KINDS)]
    for (kind, source), part in compared.groupby(["kind", "source"], sort=True):
        if (str(kind), str(source), "precision_shift") in told:
            continue
        now = part[part["role"] == "period"]
        then = part[part["role"] == "compare"]
        if now.empty or then.empty:
            continue
        shift = precision_shift(then.iloc[0], now.iloc[0], "")
        if shift > rules.max_precision_shift:
            notes.append(
                msg(
                    "lagesbild_precision_moved",
                    source=source_words(str(kind), str(source)),
                    shift=round(100 * shift),
                    threshold=round(100 * rules.max_precision_shift),
                )
            )
    return notes


def why_not_comparable(comparison: pd.DataFrame | None, lang: str) -> dict[tuple[str, str], str]:
    """The words of :data:`NOT_COMPARABLE` with the reason, by (kind, level): "jämförelse inte
    möjlig: data finns för 12 av 90 dagar i jämförelseperioden"."""
    out: dict[tuple[str, str], str] = {}
    if comparison is None or comparison.empty:
        return out
    word = labels.change_names(lang)[NOT_COMPARABLE]
    for row in comparison[~comparison["comparable"].astype(bool)].itertuples():
        if row.obstacle == "precision_shift":
            detail = msg(
                "lagesbild_why_precision",
                lang,
                source=source_words(str(row.kind), str(row.source), lang),
            )
        else:
            detail = msg(
                "lagesbild_why_coverage_compare"
                if row.obstacle == "coverage_compare"
                else "lagesbild_why_coverage_period",
                lang,
                covered=row.days_covered,
                days=row.days,
            )
        out[(str(row.kind), str(row.level))] = f"{word}: {detail}"
    return out
