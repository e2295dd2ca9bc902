"""Survey results and goals in words: the texts of their tables, the goal charts, the first
screen's sentences and the headers of the prioritisation's survey columns.

The analysis (:mod:`geo_trygg.lagesbild._survey`, :mod:`geo_trygg.lagesbild._goals`) returns
codes; this module, like :mod:`._planner` and :mod:`._about`, turns them into the words a
planner reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import labels
from geo_trygg._labels import msg
from geo_trygg.lagesbild._survey import SURVEY_PREFIXES

__all__ = [
    "goal_charts",
    "goal_lines",
    "survey_headers",
    "survey_sentences",
    "survey_texts",
]


def _num(x: float, lang: str) -> str:
    text = f"{x:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", ",") if lang == "sv" else text


def _unit(rows: pd.DataFrame) -> str:
    units = set(rows["unit"].dropna().astype(str)) if "unit" in rows else set()
    return "%" if units == {"percent"} else ""


def goal_charts(
    goals: pd.DataFrame | None, indicators: pd.DataFrame | None, lang: str
) -> dict[str, pd.DataFrame]:
    """One chart per goal, lägesbild area and survey area with a baseline: caption → frame
    for :func:`geo_trygg.export.write_html` (values with their intervals, the path from the
    baseline to the target, and the judgement in words under it). A survey area without a
    baseline gets no chart; the goals table says why."""
    if goals is None or indicators is None or goals.empty:
        return {}
    words = {
        "progress": labels.goal_progress_names(lang),
        "basis": labels.goal_basis_names(lang),
        "reason": labels.goal_reason_names(lang),
    }
    charts: dict[str, pd.DataFrame] = {}
    for g in goals.itertuples(index=False):
        if np.isnan(g.baseline_value):  # nothing to draw a path from: the table says why
            continue
        rows = indicators[
            (indicators["level"] == g.level)
            & (indicators["area"] == g.area)
            & (indicators["survey_area"] == g.survey_area)
            & (indicators["indicator"] == g.indicator)
        ]
        if g.source is not None and "source" in rows:
            rows = rows[rows["source"].astype(str) == str(g.source)]
        first = pd.to_numeric(rows["year_from"], errors="coerce")
        last = pd.to_numeric(rows["year_to"], errors="coerce")
        unit = _unit(rows)
        suffix = f" {unit}" if unit else ""
        frame = pd.DataFrame(
            {
                "role": "value",
                "x": ((first + last) / 2).to_numpy(dtype=float),
                "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float),
                "ci_low": pd.to_numeric(rows["ci_low"], errors="coerce").to_numpy(dtype=float),
                "ci_high": pd.to_numeric(rows["ci_high"], errors="coerce").to_numpy(dtype=float),
                "label": rows["year"].astype(str).to_numpy(),
            }
        )
        if not np.isnan(g.target_value):
            path = pd.DataFrame(
                {
                    "role": "path",
                    "x": [float(g.baseline_year), float(g.target_year)],
                    "value": [float(g.baseline_value), float(g.target_value)],
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "label": "",
                }
            )
            frame = pd.concat([frame, path], ignore_index=True)
        notes = []
        if g.relation == "part":
            notes.append(msg("goal_chart_part", lang, part=g.survey_area, area=g.area))
        if g.progress_reason in ("judged", "interval_spans_path"):
            notes.append(
                msg(
                    "goal_chart_judged",
                    lang,
                    year=g.year,
                    value=_num(g.value, lang) + suffix,
                    path=_num(g.path_value, lang) + suffix,
                    progress=words["progress"][g.progress],
                    basis=words["basis"][g.basis],
                )
            )
        else:
            notes.append(
                msg(
                    "goal_chart_undecided",
                    lang,
                    progress=words["progress"][g.progress],
                    reason=words["reason"][g.progress_reason],
                )
            )
        if g.source is not None:
            notes.append(msg("goal_chart_source", lang, source=g.source))
        frame.attrs["unit"] = unit
        frame.attrs["notes"] = notes
        title = g.goal or str(g.indicator)
        caption = msg("goal_chart_caption", lang, goal=title, area=g.survey_area)
        if caption in charts:  # the same goal and area name at another level: say the level
            level = labels.level_names(lang).get(str(g.level), str(g.level))
            caption = msg(
                "goal_chart_caption_level", lang, goal=title, area=g.survey_area, level=level
            )
        charts[caption] = frame
    return charts


def _with_unit(value: Any, unit: Any, lang: str) -> str | None:
    x = pd.to_numeric(value, errors="coerce")
    if pd.isna(x):
        return None
    return _num(float(x), lang) + (" %" if unit == "percent" else "")


def _interval(low: Any, high: Any, unit: Any, uncertainty: Any, lang: str) -> str | None:
    lo, hi = pd.to_numeric(low, errors="coerce"), pd.to_numeric(high, errors="coerce")
    if pd.isna(lo) or pd.isna(hi):
        if isinstance(uncertainty, str) and uncertainty in UNCERTAINTY_WORDS:
            return labels.uncertainty_names(lang)[uncertainty]
        return None
    return f"{_num(float(lo), lang)}–{_num(float(hi), lang)}" + (" %" if unit == "percent" else "")


UNCERTAINTY_WORDS = ("wilson95", "unknown", "not_a_share")


def survey_texts(key: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``indicators`` and ``goals`` tables with the texts a planner reads: a value with
    its unit ("21 %"), its interval ("10,5–11,5 %", or "osäkerhet okänd"), and for goals the
    baseline, target and latest value each with its year, and the judgement with its reason
    where it could not be made."""
    if key not in ("indicators", "goals") or frame.empty:
        return frame
    out = frame.copy()
    units = out["unit"] if "unit" in out else pd.Series("percent", index=out.index)
    if key == "goals":
        units = pd.Series("percent", index=out.index)  # goals are set on shares
        out["baseline_text"] = [
            None if t is None else f"{t} ({y})"
            for t, y in zip(
                (
                    _with_unit(v, u, lang)
                    for v, u in zip(out["baseline_value"], units, strict=True)
                ),
                out["baseline_year"],
                strict=True,
            )
        ]
        out["target_text"] = [
            None if t is None else f"{t} ({y})"
            for t, y in zip(
                (_with_unit(v, u, lang) for v, u in zip(out["target_value"], units, strict=True)),
                out["target_year"],
                strict=True,
            )
        ]
        out["path_text"] = [
            _with_unit(v, u, lang) for v, u in zip(out["path_value"], units, strict=True)
        ]
        reasons = labels.goal_reason_names(lang)
        progress = labels.goal_progress_names(lang)
        out["progress_text"] = [
            progress[p] if r == "judged" else f"{progress[p]}: {reasons[r]}"
            for p, r in zip(out["progress"], out["progress_reason"], strict=True)
        ]
    out["value_text"] = [
        None if t is None else (f"{t} ({y})" if key == "goals" and y is not None else t)
        for t, y in zip(
            (_with_unit(v, u, lang) for v, u in zip(out["value"], units, strict=True)),
            out["year"],
            strict=True,
        )
    ]
    out["interval_text"] = [
        _interval(lo, hi, u, unc, lang)
        for lo, hi, u, unc in zip(
            out["ci_low"], out["ci_high"], units, out["uncertainty"], strict=True
        )
    ]
    return out


def survey_sentences(indicators: pd.DataFrame | None, lang: str) -> list[str]:
    """What the survey results can show, per source: how many values, which years, how many
    without a known uncertainty; and the values that belong to parts of an area from an
    earlier division (not recomputed)."""
    if indicators is None or indicators.empty:
        return []
    out = []
    sources = indicators["source"].fillna(msg("survey_source_unknown", lang)).astype(str)
    for source, rows in indicators.groupby(sources, sort=True):
        first = pd.to_numeric(rows["year_from"], errors="coerce").min()
        last = pd.to_numeric(rows["year_to"], errors="coerce").max()
        years = f"{int(first)}" if first == last else f"{int(first)}–{int(last)}"
        unknown = int((rows["uncertainty"] == "unknown").sum())
        if unknown == 0 and (rows["uncertainty"] == "wilson95").all():
            out.append(msg("survey_coverage_all", lang, source=source, n=len(rows), years=years))
        else:
            out.append(
                msg(
                    "survey_coverage",
                    lang,
                    source=source,
                    n=len(rows),
                    years=years,
                    unknown=unknown,
                )
            )
    parts = indicators[indicators["relation"] == "part"]
    if len(parts):
        names = ", ".join(sorted(set(parts["survey_area"].astype(str))))
        out.append(msg("survey_parts", lang, n=len(parts), names=names))
    return out


def survey_headers(columns: Sequence[Any], lang: str) -> dict[str, str]:
    """Headers in words of the survey columns of a priorities table: ``survey:<id>`` as
    "trygghetsmätningen: <id>", and its ``contrib_`` column as its share of the score."""
    out = {}
    for column in map(str, columns):
        name = column.removeprefix("contrib_")
        if not name.startswith(SURVEY_PREFIXES):
            continue
        words = labels.indicator_words(name, lang)
        out[column] = msg("survey_contrib", lang, name=words) if column != name else words
    return out


_MAX_GOAL_LINES = 8
"""At most this many goals are said on the first screen; the rest are counted (table Mål)."""


def goal_lines(goals: pd.DataFrame | None, lang: str) -> list[str]:
    """The first screen's sentences on goals, from the goals table in words
    (:func:`survey_texts`): the goal, the survey area, the judgement and what it rests on; a
    part of an earlier division without a baseline is left to the table."""
    if goals is None or goals.empty or "progress_text" not in goals.columns:
        return []
    lines = []
    for g in goals.itertuples(index=False):
        title = g.goal or str(g.indicator)
        if g.relation == "part" and g.progress_reason == "no_baseline":
            continue  # a part of an earlier division without a baseline: in the table only
        # judged with the interval, on the value alone (said so), or not at all (why)
        lines.append(
            msg(
                "goal_overview_interval"
                if g.basis == "interval"
                else ("goal_overview_point" if g.basis == "point" else "goal_overview_undecided"),
                lang,
                goal=title,
                area=g.survey_area,
                progress=g.progress_text,
                value=g.value_text,
                interval=g.interval_text,
                path=g.path_text,
            )
        )
    if len(lines) > _MAX_GOAL_LINES:
        rest = len(lines) - _MAX_GOAL_LINES
        lines = [*lines[:_MAX_GOAL_LINES], msg("goal_overview_more", lang, n=rest)]
    return lines
