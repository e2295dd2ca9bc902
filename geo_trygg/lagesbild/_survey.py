"""Survey indicators and goals in the lägesbild: beside the incident counts, per area.

The survey rows are matched to the lägesbild's areas once per period
(:func:`geo_trygg.join.indicators_for_areas`, on the day the period is counted on): an area
gets the rows of the *same* area and, from an earlier division, the rows of its *parts*, each
under its own name and year, never added up. Goals are judged per survey area
(:func:`~geo_trygg.lagesbild._goals.goal_progress`) and listed under the lägesbild area it
belongs to.

A survey indicator can weigh in the prioritisation: ``weights={"survey:<indicator>": w}``
adds the column ``survey:<indicator>``, the latest value of the *same* area (a part of an
earlier division is no value of the whole area), the mean where two sources give one for the
same year. Higher must mean "needs more attention": for a share of people who feel safe,
weight ``survey_low:<indicator>``, whose column holds the value with its sign turned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg._validate import check_frame, require_columns
from geo_trygg.io.indicators import INDICATOR_COLUMNS
from geo_trygg.join import indicators_for_areas, match_indicator_areas
from geo_trygg.lagesbild._goals import Goal, goal_progress, goals_of

__all__ = [
    "SURVEY_PREFIXES",
    "SurveyInput",
    "check_survey",
    "check_survey_weights",
    "survey_priority_columns",
    "survey_tables",
]

SURVEY_PREFIXES = ("survey:", "survey_low:")
"""The prefixes of a survey indicator in ``weights`` (module docstring)."""

_NOT_SHOWN = ("area", "value_as_stated", "response_rate", "note", "source_row")

INDICATOR_TABLE_COLUMNS = [
    "level",
    "area",
    "relation",
    "survey_area",
    *(c for c in INDICATOR_COLUMNS if c not in ("level", *_NOT_SHOWN)),
    "area_match",
]
"""The columns of the lägesbild's ``indicators`` table: the lägesbild's area, the relation
and the survey's own area, then the survey row's columns (:data:`INDICATOR_COLUMNS`) but
the value as written, the response rate, the note and the row number (the survey file's own
table holds them)."""


class SurveyInput:
    """The survey rows matched to the crosswalk once, and the goals, checked before work."""

    def __init__(self, rows: pd.DataFrame, goals: list[Goal]) -> None:
        self.rows = rows
        self.goals = goals


def check_survey(indicators: Any, goals: Any, crosswalk: pd.DataFrame | None) -> SurveyInput:
    """The ``indicators`` (a frame or a result of :func:`geo_trygg.io.read_indicators`) and
    ``goals`` (a :class:`Goal` or a list of them) checked and matched; ConfigError else."""
    frame = getattr(indicators, "accepted", indicators)
    check_frame(frame, "indicators", "of survey rows (geo_trygg.io.read_indicators(...))")
    require_columns(
        frame,
        ["level", "area", "year", "indicator", "value"],
        "indicators",
        hint="as geo_trygg.io.read_indicators returns them",
    )
    return SurveyInput(match_indicator_areas(frame, crosswalk=crosswalk), goals_of(goals))


def check_survey_weights(weights: Mapping[str, float], survey: SurveyInput | None) -> list[str]:
    """The survey indicators ``weights`` names; ConfigError for one without survey rows."""
    named = [k for k in weights if k.startswith(SURVEY_PREFIXES)]
    if named and survey is None:
        raise ConfigError(msg("survey_err_weights_without", names=", ".join(named)))
    if survey is not None:
        known = set(survey.rows["indicator"].astype(str))
        for key in named:
            ident = key.split(":", 1)[1]
            if ident not in known:
                raise ConfigError(
                    msg("survey_err_weights_unknown", name=key, allowed=", ".join(sorted(known)))
                )
    return named


def survey_tables(
    survey: SurveyInput,
    *,
    names: Mapping[str, Sequence[str]],
    at: Any,
    crosswalk: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lägesbild's ``indicators`` and ``goals`` tables for its areas on ``at``.

    Parameters
    ----------
    survey : SurveyInput
    names : mapping of str to sequence of str
        The area names of each (plain) level of the lägesbild.
    at : date-like
        The day the areas are divided on.
    crosswalk : pandas.DataFrame or None

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``indicators``: :data:`INDICATOR_TABLE_COLUMNS`, by level, area and the survey's order;
        ``goals``: one row per goal, lägesbild area and survey area, the columns of
        :func:`goal_progress` with ``area`` the lägesbild's area, ``relation`` and
        ``survey_area``.
    """
    parts = []
    for level, areas in names.items():
        rows = indicators_for_areas(
            survey.rows, level=level, areas=list(areas), at=at, crosswalk=crosswalk
        )
        parts.append(rows.reindex(columns=INDICATOR_TABLE_COLUMNS))
    table = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=INDICATOR_TABLE_COLUMNS)
    )
    goals = []
    for goal in survey.goals:
        own = table[(table["level"] == goal.level) & (table["indicator"] == goal.indicator)]
        for (area, relation, survey_area), rows in own.groupby(
            ["area", "relation", "survey_area"], sort=True
        ):
            if goal.area is not None and normalize_name(goal.area) != normalize_name(survey_area):
                continue  # a goal for one area is judged there only
            # judged on the survey area's own rows, under its own name
            progress = goal_progress(rows.assign(area=survey_area), goal_for(goal, survey_area))
            progress = progress.rename(columns={"area": "survey_area"})
            progress.insert(2, "area", area)
            progress.insert(3, "relation", relation)
            goals.append(progress)
    if not goals:
        return table, pd.DataFrame()
    goal_table = pd.concat(goals, ignore_index=True)
    # per goal and area: the area's own judgement first, then its parts by name
    order = goal_table["relation"].map({"same": 0, "part": 1})
    goal_table = (
        goal_table.assign(_order=order)
        .sort_values(["goal", "level", "area", "_order", "survey_area"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return table, goal_table


def goal_for(goal: Goal, area: str) -> Goal:
    """The goal for one area (a goal for every area of its level, or for this one)."""
    return goal if goal.area is not None else dataclasses.replace(goal, area=area)


def survey_priority_columns(table: pd.DataFrame, named: Sequence[str]) -> pd.DataFrame:
    """One row per (level, area) with a column per survey indicator ``named`` in the weights:
    the latest value of the same area (the mean of the sources' values that year); with the
    ``survey_low:`` prefix, that value with its sign turned."""
    same = table[table["relation"] == "same"]
    out: pd.DataFrame | None = None
    for key in named:
        prefix, ident = key.split(":", 1)
        rows = same[same["indicator"].astype(str) == ident].copy()
        rows["_year"] = pd.to_numeric(rows["year"].astype(str).str[-4:], errors="coerce")
        rows["value"] = pd.to_numeric(rows["value"], errors="coerce")
        latest = rows[rows["_year"] == rows.groupby(["level", "area"])["_year"].transform("max")]
        value = latest.groupby(["level", "area"], sort=True)["value"].mean()
        if prefix == "survey_low":
            value = -value
        column = value.rename(key).reset_index()
        out = column if out is None else out.merge(column, on=["level", "area"], how="outer")
    if out is None:
        return pd.DataFrame(columns=["level", "area"])
    return out.astype(dict.fromkeys(named, np.float64))
