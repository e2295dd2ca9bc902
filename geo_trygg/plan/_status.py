"""A measure's status in one colour (green/yellow/red), from its deadline and progress."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._validate import Problems, check_date
from geo_trygg.plan._input import (
    MEASURE_STATUSES,
    check_table,
    measure_days,
    measure_ids,
    shown,
)

__all__ = ["LATE_MARGIN", "RAG_CODES", "measure_status"]

RAG_CODES = ("green", "yellow", "red", "done", "cancelled")
"""The codes of :func:`measure_status`: grön, gul, röd, klar, avbruten."""

LATE_MARGIN = 25
"""Percentage points a measure's progress may lag the time passed before it turns yellow."""

_NEEDED = ("measure_id", "start", "end", "progress", "status")


def _progress(measures: pd.DataFrame, ids: list[str], found: Problems) -> list[Any]:
    """Each measure's progress as a float, None when missing; values outside 0–100 are
    problems."""
    out: list[Any] = []
    bad: list[str] = []
    for mid, value in zip(ids, measures["progress"].tolist(), strict=True):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append(None)
            continue
        number = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        )
        if not number or not 0 <= value <= 100:
            bad.append(f"{mid}: {value!r}")
            out.append(None)
            continue
        out.append(float(value))
    if bad:
        found.add(msg("plan_bad_progress", values="; ".join(bad[:5])))
    return out


def measure_status(measures: Any, *, as_of: Any) -> pd.Series:
    """Each measure's status as green, yellow or red (or done/cancelled), on ``as_of``.

    The rule, in order:

    1. ``status`` ``done`` → ``"done"``; ``cancelled`` → ``"cancelled"``;
    2. otherwise (``planned``, ``ongoing``) ``"red"`` when the deadline has passed: ``end <
       as_of`` (``end`` is the last day it may be finished on);
    3. otherwise the *expected progress* is the share of the measure's time that has passed,
       ``100 · (as_of − start) / (end − start)`` in days, clipped to 0–100 (when ``start ==
       end``: 0 before that day, 100 from it); ``"yellow"`` when the progress is missing and
       more than half the time has passed (expected > 50), or the progress lags the expected
       by more than :data:`LATE_MARGIN` (25) percentage points (``progress < expected − 25``);
    4. otherwise ``"green"``: so a measure that has not started yet (``as_of <= start``) is
       green.

    For a fixed progress a later ``as_of`` never makes a measure greener (green → yellow →
    red), and more progress never makes it redder.

    Parameters
    ----------
    measures : pandas.DataFrame
        The measures (a GeoDataFrame too) with ``measure_id``, ``start``, ``end`` (dates),
        ``progress`` (0–100 or missing) and ``status`` (:data:`MEASURE_STATUSES`); see
        docs/plan.md.
    as_of : str or date
        The day the status is for.

    Returns
    -------
    pandas.Series
        Named ``"rag"``, on the index of ``measures``, one of :data:`RAG_CODES` each (words
        by :func:`geo_trygg.labels.rag_names`).

    Raises
    ------
    ConfigError
        ``measures`` is no DataFrame or lacks a column; ids missing or twice; a start or end
        that is no date, or an end before its start; a status or progress not allowed;
        ``as_of`` no date.

    Examples
    --------
    >>> import pandas as pd
    >>> measures = pd.DataFrame({
    ...     "measure_id": ["a", "b", "c", "d", "e"],
    ...     "start": ["2025-01-01"] * 5,
    ...     "end": ["2025-12-31", "2025-12-31", "2025-12-31", "2025-03-31", "2025-03-31"],
    ...     "progress": pd.array([50, None, 10, 90, None], dtype="Int64"),
    ...     "status": ["ongoing", "ongoing", "ongoing", "ongoing", "done"],
    ... })
    >>> measure_status(measures, as_of="2025-07-31").tolist()
    ['green', 'yellow', 'yellow', 'red', 'done']
    """
    frame = check_table(measures, "measures", _NEEDED)
    day = check_date(as_of, "as_of", lang=None)
    with Problems() as found:
        ids = measure_ids(frame, found)
        starts = measure_days(frame, "start", ids, found)
        ends = measure_days(frame, "end", ids, found)
        progress = _progress(frame, ids, found)
        statuses = frame["status"].tolist()
        wrong = sorted({repr(s) for s in statuses if s not in MEASURE_STATUSES})
        if wrong:
            found.add(
                msg(
                    "plan_bad_codes",
                    name="measures",
                    column="status",
                    values=", ".join(wrong),
                    allowed=", ".join(map(repr, MEASURE_STATUSES)),
                )
            )
        backwards = [
            mid
            for mid, s, e in zip(ids, starts, ends, strict=True)
            if s is not None and e is not None and e < s
        ]
        if backwards:
            found.add(msg("plan_end_before_start", values=shown(backwards)))
    codes = [
        _rag(status, start, end, share, day)
        for status, start, end, share in zip(statuses, starts, ends, progress, strict=True)
    ]
    return pd.Series(codes, index=frame.index, dtype=object, name="rag")


def _rag(
    status: str, start: dt.date | None, end: dt.date | None, progress: float | None, day: dt.date
) -> str:
    """The rule of :func:`measure_status` for one measure."""
    if status in ("done", "cancelled"):
        return status
    if start is None or end is None:  # pragma: no cover - refused by the checks
        raise ConfigError("start and end are needed")
    if end < day:
        return "red"
    total = (end - start).days
    if total > 0:
        expected = min(max(100.0 * (day - start).days / total, 0.0), 100.0)
    else:
        expected = 100.0 if day >= start else 0.0
    if progress is None:
        return "yellow" if expected > 50 else "green"
    return "yellow" if progress < expected - LATE_MARGIN else "green"
