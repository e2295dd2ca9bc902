"""Goals for survey indicators: the baseline, the target, the path between, and progress.

The city–police agreement in Stockholm set the goal that *otrygghet* be halved by 2025. A
:class:`Goal` states such a goal: an indicator, an area (or every area of a level), a baseline
year (and value, else the survey's value that year), a target (a share of the baseline, e.g.
``target_ratio=0.5``, or a value) and a target year.

The path
--------
The path runs in a straight line from the baseline (year, value) to the target (year, value)
and stays at the target after the target year. A pooled survey (``2017-2018``) stands at the
middle of its years.

Progress
--------
The latest survey value after the baseline year, from the **same source** as the baseline
(another survey's figure is a different question and is not spliced in), is set against the
path at its year. For a goal to lower the indicator:

- ``on_track`` ("på väg"): the value's whole 95 % interval lies on or below the path;
- ``off_track`` ("inte på väg"): the whole interval lies above the path;
- ``undecided`` ("kan inte avgöras"): the interval holds the path value, or there is nothing
  to judge (no baseline, no later value, two different values for the same year).

For a goal to raise the indicator, above and below change places. A value without an interval
(respondents not published: "osäkerhet okänd") is judged on the value alone, and the
``basis`` column says so (``point``: "bedömt på ett enda värde, osäkerheten okänd"); every
page that shows such a judgement shows that basis beside it. The baseline's own uncertainty is
not used: the goal is stated on the published baseline value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg._validate import check_frame, require_columns
from geo_trygg.io.indicators import INDICATOR_LEVELS

__all__ = [
    "GOAL_BASES",
    "GOAL_PROGRESS_CODES",
    "GOAL_REASONS",
    "Goal",
    "goal_progress",
    "goal_series",
]

GOAL_PROGRESS_CODES = ("on_track", "off_track", "undecided")
"""``on_track`` (på väg), ``off_track`` (inte på väg), ``undecided`` (kan inte avgöras)."""

GOAL_BASES = ("interval", "point", "none")
"""What a judgement rests on: the 95 % interval, the value alone (no interval known), nothing."""

GOAL_REASONS = (
    "judged",
    "interval_spans_path",
    "no_baseline",
    "no_later_value",
    "conflicting_values",
    "baseline_is_target",
)
"""Why a judgement is what it is: ``judged``, or why it cannot be made."""


@dataclass(frozen=True, kw_only=True)
class Goal:
    """A goal for a survey indicator (see the module docstring).

    Parameters
    ----------
    indicator : str
        The indicator id, as in the survey table's ``indicator`` column.
    level : str
        The area level (:data:`geo_trygg.io.INDICATOR_LEVELS`).
    baseline_year, target_year : int
        The baseline year and the year the target is to be reached (after the baseline).
    area : str, optional
        One area; every area of ``level`` with a value when omitted.
    target_ratio : float, optional
        The target as a share of the baseline value (0.5: halve it); or give ``target_value``.
    target_value : float, optional
        The target value itself (e.g. 10 %).
    baseline_value : float, optional
        The baseline value, when not the survey's value in ``baseline_year`` (one area only).
    source : str, optional
        The survey the values must come from; the baseline's own source when omitted (every
        source when ``baseline_value`` is given and the survey has no value that year).
    name : str, optional
        The goal in words, e.g. "Otryggheten ska halveras till 2025".

    Raises
    ------
    ConfigError
        In Swedish, naming the key and what is allowed, when the goal is not one.

    Examples
    --------
    >>> Goal(indicator="oro_brott_ofta_12m", level="stadsdelsomrade", area="Rinkeby-Kista",
    ...      baseline_year=2017, target_year=2025, target_ratio=0.5).target_year
    2025
    """

    indicator: str
    level: str
    baseline_year: int
    target_year: int
    area: str | None = None
    target_ratio: float | None = None
    target_value: float | None = None
    baseline_value: float | None = None
    source: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        _check_goal(self)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def _check_goal(goal: Goal) -> None:
    for key in ("indicator", "level"):
        value = getattr(goal, key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(msg("goal_err_text", name=key, value=repr(value)))
    if goal.level not in INDICATOR_LEVELS:
        raise ConfigError(
            msg("goal_err_level", value=repr(goal.level), allowed=", ".join(INDICATOR_LEVELS))
        )
    for key in ("baseline_year", "target_year"):
        value = getattr(goal, key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            raise ConfigError(msg("goal_err_year", name=key, value=repr(value)))
    if goal.target_year <= goal.baseline_year:
        raise ConfigError(
            msg("goal_err_order", baseline=goal.baseline_year, target=goal.target_year)
        )
    if (goal.target_ratio is None) == (goal.target_value is None):
        raise ConfigError(msg("goal_err_target"))
    if goal.target_ratio is not None and (
        not _is_number(goal.target_ratio) or goal.target_ratio < 0 or goal.target_ratio == 1
    ):
        raise ConfigError(msg("goal_err_ratio", value=repr(goal.target_ratio)))
    for key in ("target_value", "baseline_value"):
        value = getattr(goal, key)
        if value is not None and not _is_number(value):
            raise ConfigError(msg("goal_err_number", name=key, value=repr(value)))
    if goal.baseline_value is not None and goal.area is None:
        raise ConfigError(msg("goal_err_baseline_area"))
    if goal.baseline_value is not None and goal.target_value == goal.baseline_value:
        raise ConfigError(msg("goal_err_same"))
    for key in ("area", "source", "name"):
        value = getattr(goal, key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(msg("goal_err_text", name=key, value=repr(value)))


def _check_goal_arg(goal: Any) -> Goal:
    if not isinstance(goal, Goal):
        raise ConfigError(msg("goal_err_type", value=type(goal).__name__))
    return goal


def _mid_year(frame: pd.DataFrame) -> np.ndarray:
    if {"year_from", "year_to"} <= set(frame.columns):
        first = pd.to_numeric(frame["year_from"], errors="coerce").to_numpy(dtype=float)
        last = pd.to_numeric(frame["year_to"], errors="coerce").to_numpy(dtype=float)
        return (first + last) / 2
    return pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype=float)


def _area_names(frame: pd.DataFrame) -> pd.Series:
    """The area of each row: the crosswalk's spelling where matched, else as written."""
    if "area_key" in frame.columns:
        key = frame["area_key"]
        return key.where(key.notna(), frame["area"]).astype(str)
    return frame["area"].astype(str)


def _rows(indicators: pd.DataFrame, goal: Goal) -> pd.DataFrame:
    """The goal's indicator rows at its level (and area), with ``_area`` and ``_year``."""
    check_frame(indicators, "indicators", "of survey rows (geo_trygg.io.read_indicators)")
    require_columns(indicators, ["level", "area", "indicator", "value"], "indicators")
    rows = indicators[
        (indicators["level"].astype(str) == goal.level)
        & (indicators["indicator"].astype(str) == goal.indicator)
    ].copy()
    rows["_area"] = _area_names(rows)
    rows["_year"] = _mid_year(rows)
    rows["_value"] = pd.to_numeric(rows["value"], errors="coerce")
    if goal.area is not None:
        wanted = normalize_name(goal.area)
        rows = rows[np.array([normalize_name(a) == wanted for a in rows["_area"]], dtype=bool)]
    if goal.source is not None and "source" in rows.columns:
        rows = rows[rows["source"].astype(str) == goal.source]
    return rows[rows["_value"].notna() & np.isfinite(rows["_year"])]


def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    if name in rows.columns:
        return pd.to_numeric(rows[name], errors="coerce")
    return pd.Series(np.nan, index=rows.index)


def _path(goal: Goal, baseline: float, target: float, year: float) -> float:
    if year >= goal.target_year:
        return target
    share = (year - goal.baseline_year) / (goal.target_year - goal.baseline_year)
    return baseline + (target - baseline) * share


def _judge(
    lower: bool, value: float, low: float, high: float, path: float
) -> tuple[str, str, str]:
    """(progress, basis, reason) of a value (and interval) against the path value."""
    if np.isnan(low) or np.isnan(high):
        good = value <= path if lower else value >= path
        return ("on_track" if good else "off_track"), "point", "judged"
    if (high <= path) if lower else (low >= path):
        return "on_track", "interval", "judged"
    if (low > path) if lower else (high < path):
        return "off_track", "interval", "judged"
    return "undecided", "interval", "interval_spans_path"


def _one_area(goal: Goal, area: str, rows: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {
        "goal": goal.name or "",
        "level": goal.level,
        "area": area,
        "indicator": goal.indicator,
        "source": goal.source,
        "baseline_year": goal.baseline_year,
        "baseline_value": np.nan,
        "target_year": goal.target_year,
        "target_value": np.nan,
        "year": None,
        "value": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "uncertainty": None,
        "path_value": np.nan,
        "progress": "undecided",
        "basis": "none",
        "progress_reason": "no_baseline",
    }
    single = True
    if {"year_from", "year_to"} <= set(rows.columns):
        single = rows["year_from"].astype(str).eq(rows["year_to"].astype(str)).to_numpy()
    at_base = rows[(rows["_year"] == goal.baseline_year) & single]
    source = goal.source
    if goal.baseline_value is not None:
        baseline = float(goal.baseline_value)
    elif len(at_base) and at_base["_value"].nunique() == 1:
        baseline = float(at_base["_value"].iloc[0])
        if source is None and "source" in at_base.columns:
            source = str(at_base["source"].iloc[0])
    else:
        if len(at_base):
            out["progress_reason"] = "conflicting_values"
        return out
    if source is None and "source" in rows.columns and len(at_base):
        source = str(at_base["source"].iloc[0])
    target = baseline * goal.target_ratio if goal.target_ratio is not None else goal.target_value
    assert target is not None
    out.update(baseline_value=baseline, target_value=float(target), source=source)
    if target == baseline:  # a baseline of 0 halved: nothing to lower
        out["progress_reason"] = "baseline_is_target"
        return out
    later = rows[rows["_year"] > goal.baseline_year]
    if source is not None and "source" in later.columns:
        later = later[later["source"].astype(str) == source]
    if later.empty:
        out["progress_reason"] = "no_later_value"
        return out
    last = later[later["_year"] == later["_year"].max()]
    if last["_value"].nunique() > 1:
        out.update(year=str(last["year"].iloc[0]), progress_reason="conflicting_values")
        return out
    # of equal values, the row with an interval (respondents published) speaks for the year
    lows, highs = _column(last, "ci_low"), _column(last, "ci_high")
    pick = int(np.argmax(lows.notna().to_numpy())) if lows.notna().any() else 0
    value = float(last["_value"].iloc[pick])
    low, high = float(lows.iloc[pick]), float(highs.iloc[pick])
    path = _path(goal, baseline, float(target), float(last["_year"].iloc[pick]))
    progress, basis, reason = _judge(target < baseline, value, low, high, path)
    out.update(
        year=str(last["year"].iloc[pick]),
        value=value,
        ci_low=low,
        ci_high=high,
        uncertainty=str(last["uncertainty"].iloc[pick]) if "uncertainty" in last else None,
        path_value=path,
        progress=progress,
        basis=basis,
        progress_reason=reason,
    )
    return out


def goal_progress(indicators: pd.DataFrame, goal: Goal) -> pd.DataFrame:
    """Progress towards a goal per area: the latest value against the path, with its basis.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Survey rows as :func:`geo_trygg.io.read_indicators` gives them (``level``, ``area``,
        ``year``, ``indicator``, ``value``, and where known ``ci_low``/``ci_high``,
        ``uncertainty``, ``source``); rows matched by
        :func:`geo_trygg.join.match_indicator_areas` use the crosswalk's spelling of the area.
    goal : Goal

    Returns
    -------
    pandas.DataFrame
        One row per area (the goal's area, or each area of the level with a value), sorted by
        area: ``goal``, ``level``, ``area``, ``indicator``, ``source``, ``baseline_year``,
        ``baseline_value``, ``target_year``, ``target_value``, ``year`` / ``value`` /
        ``ci_low`` / ``ci_high`` / ``uncertainty`` (the latest value judged), ``path_value``
        (the path at that year), ``progress`` (:data:`GOAL_PROGRESS_CODES`), ``basis``
        (:data:`GOAL_BASES`) and ``progress_reason`` (:data:`GOAL_REASONS`).

    Raises
    ------
    ConfigError
        When ``goal`` is not a :class:`Goal` or ``indicators`` lacks a column.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"level": "stadsdelsomrade", "area": "Rinkeby-Kista",
    ...     "year": ["2017", "2020"], "indicator": "oro_brott_ofta_12m", "value": [21.0, 11.0]})
    >>> goal = Goal(indicator="oro_brott_ofta_12m", level="stadsdelsomrade",
    ...             area="Rinkeby-Kista", baseline_year=2017, target_year=2025, target_ratio=0.5)
    >>> r = goal_progress(rows, goal).iloc[0]
    >>> float(r["target_value"]), float(r["path_value"]), r["progress"], r["basis"]
    (10.5, 17.0625, 'on_track', 'point')
    """
    goal = _check_goal_arg(goal)
    rows = _rows(indicators, goal)
    areas = [goal.area] if goal.area is not None else sorted(set(rows["_area"]))
    records = []
    for area in areas:
        own = rows[
            np.array(
                [normalize_name(a) == normalize_name(area) for a in rows["_area"]], dtype=bool
            )
        ]
        name = str(own["_area"].iloc[0]) if len(own) else str(area)
        records.append(_one_area(goal, name, own))
    columns = list(_one_area(goal, "", rows.iloc[:0]).keys())
    out = pd.DataFrame.from_records(records, columns=columns)
    return out.sort_values("area", kind="stable").reset_index(drop=True)


def goal_series(indicators: pd.DataFrame, goal: Goal) -> pd.DataFrame:
    """The values a goal's chart shows per area: every year of the goal's indicator and source.

    Parameters
    ----------
    indicators : pandas.DataFrame
        As for :func:`goal_progress`.
    goal : Goal

    Returns
    -------
    pandas.DataFrame
        ``level``, ``area``, ``indicator``, ``year`` (as written), ``year_from``/``year_to``,
        ``value``, ``ci_low``, ``ci_high``, ``source``, ``x`` (the year the value stands at:
        the middle of pooled years), sorted by area and ``x``. Rows of other sources than the
        area's baseline source are left out, as :func:`goal_progress` leaves them out.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"level": "kommun", "area": "Stockholm", "year": ["2017", "2014"],
    ...     "indicator": "x", "value": [11.0, 8.0]})
    >>> goal_series(rows, Goal(indicator="x", level="kommun", baseline_year=2017,
    ...             target_year=2025, target_ratio=0.5))["x"].tolist()
    [2014.0, 2017.0]
    """
    goal = _check_goal_arg(goal)
    rows = _rows(indicators, goal)
    progress = goal_progress(indicators, goal)
    keep = np.ones(len(rows), dtype=bool)
    if "source" in rows.columns and goal.source is None:
        wanted = {
            normalize_name(a): s
            for a, s in zip(progress["area"], progress["source"], strict=True)
            if s is not None
        }
        keep = np.array(
            [
                wanted.get(normalize_name(a)) in (None, str(s))
                for a, s in zip(rows["_area"], rows["source"], strict=True)
            ],
            dtype=bool,
        )
    rows = rows[keep]
    out = pd.DataFrame(
        {
            "level": rows["level"].astype(str),
            "area": rows["_area"],
            "indicator": rows["indicator"].astype(str),
            "year": rows["year"].astype(str) if "year" in rows else rows["_year"].astype(str),
            "year_from": rows.get("year_from", rows["_year"]),
            "year_to": rows.get("year_to", rows["_year"]),
            "value": rows["_value"].astype(float),
            "ci_low": _column(rows, "ci_low"),
            "ci_high": _column(rows, "ci_high"),
            "source": rows.get("source"),
            "x": rows["_year"].astype(float),
        }
    )
    return out.sort_values(["area", "x"], kind="stable").reset_index(drop=True)


def goals_of(value: Sequence[Goal] | Goal | None) -> list[Goal]:
    """A list of goals from one goal, a sequence of them or None (ConfigError otherwise)."""
    if value is None:
        return []
    if isinstance(value, Goal):
        return [value]
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ConfigError(msg("goal_err_type", value=type(value).__name__))
    return [_check_goal_arg(g) for g in value]
