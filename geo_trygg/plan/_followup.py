"""A measure's indicator before and after its start: the follow-up computed, not typed."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import Problems, check_date
from geo_trygg.plan._input import (
    MIN_FOLLOWUP_EVENTS,
    MIN_WINDOW_DAYS,
    EventTable,
    Window,
    check_crs,
    check_table,
    checked_coverage,
    coverage_reason,
    day_number,
    indicators,
    measure_days,
    measure_ids,
    polygons,
)

__all__ = ["FOLLOWUP_COLUMNS", "measure_followup", "prepare_measures", "warn_coarse"]

FOLLOWUP_COLUMNS = (
    "n_before",
    "n_after",
    "days",
    "change",
    "change_pct",
    "supported",
    "reason_code",
    "reason",
    "before_start",
    "start",
    "as_of",
)
"""The columns of :func:`measure_followup`."""

_NEEDED = ("measure_id", "start", "geometry")


def prepare_measures(
    measures: Any, events: Any
) -> tuple[Any, list[str], list[dt.date], np.ndarray, EventTable]:
    """The measures and events checked: ids, start days, polygons and the events' arrays."""
    frame = check_table(measures, "measures", _NEEDED, geo=True)
    table = EventTable.of(events)
    check_crs("measures", frame, "events", events)
    with Problems() as found:
        ids = measure_ids(frame, found)
        starts = measure_days(frame, "start", ids, found)
    geoms = polygons(frame, ids)
    return frame, ids, [s for s in starts if s is not None], geoms, table


def warn_coarse(table: EventTable) -> None:
    """One warning naming how many events are not counted because their place is coarse."""
    n = int((~table.usable & (table.day != np.iinfo(np.int64).min) & ~np.isnan(table.x)).sum())
    if n:
        warnings.warn(msg("plan_too_coarse", n=n), GeoTryggWarning, stacklevel=3)


def measure_followup(
    measures: Any,
    problems: Any,
    links: Any,
    events: Any,
    *,
    as_of: Any,
    coverage: Any = None,
) -> pd.DataFrame:
    """Each measure's indicator counted at its place before and after its start.

    The **indicator** of a measure is the events whose ``category`` is one of its problems'
    event categories (``links`` → ``problems``); a problem of kind ``findings`` brings every
    event (its category, if any, is a walk finding's, not an event's). They are counted
    **inside the measure's geometry, the boundary included** (``geometry.covers(point)``,
    the rule of :func:`geo_trygg.stats.wdd_counts` too), in two windows of equal length:
    *after* = ``[start, as_of)`` and *before* = ``[start − days, start)``, ``days = as_of −
    start`` (whole Europe/Stockholm calendar days of ``time_from``). Events without a time or
    a point, and events whose ``location_precision`` is ``stadsdel``, ``kommun`` or ``lan``
    (their point is a centroid, not their place) are not counted; a
    :class:`~geo_trygg.GeoTryggWarning` says how many of the latter there are.

    ``supported`` says whether the change can be judged; when it cannot, ``reason_code``
    and ``reason`` say why (the first that applies):

    - ``no_problem``: the measure has no linked problem, so no indicator (counts missing);
    - ``not_started``: ``as_of <= start``, no window yet;
    - ``window_short``: the windows are shorter than :data:`MIN_WINDOW_DAYS` (28) days;
    - ``coverage``: a source of the indicator's events (every source that has an event of
      its categories) is not covered for every day of both windows, ``before_start`` to
      ``as_of − 1``, by ``coverage``;
    - ``too_few``: fewer than :data:`MIN_FOLLOWUP_EVENTS` (10) events in both windows
      together.

    Parameters
    ----------
    measures : geopandas.GeoDataFrame
        With ``measure_id``, ``start`` and polygon ``geometry`` in a metric CRS (see
        docs/plan.md).
    problems : pandas.DataFrame
        With ``problem_id``, ``kind`` (``category_area``, ``hotspot``, ``findings``) and
        ``category``.
    links : pandas.DataFrame
        ``measure_id``, ``problem_id``.
    events : geopandas.GeoDataFrame
        Points with ``time_from`` and ``category`` (and ``source``, ``location_precision``
        where known), in the CRS of ``measures``.
    as_of : str or date
        The first day not counted: the after window ends the day before.
    coverage : mapping, optional
        ``{source: (first day, last day)}`` of what was imported from each source (both
        days included). When omitted, each source's first and last event day in ``events``
        stands in (it cannot see a gap between them).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure_id``, in the order of ``measures``; columns
        :data:`FOLLOWUP_COLUMNS`: ``n_before``, ``n_after`` (Int64), ``days`` (int), ``change``
        (``n_after − n_before``, Int64), ``change_pct`` (``100 · change / n_before``, Float64,
        missing when ``n_before`` is 0), ``supported`` (bool), ``reason_code`` and
        ``reason`` (missing when supported), ``before_start``, ``start``, ``as_of`` (dates:
        the windows).

    Raises
    ------
    ConfigError
        A table is not one or lacks a column; ids missing, twice or unknown in ``links``; a
        problem kind not allowed, or an event problem without a category; a start that is no
        date; a geometry that is not a polygon; a CRS that is not metric; a bad
        ``coverage``.
    CRSMismatchError
        ``events`` is in another CRS than ``measures``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import Point, box
    >>> measures = gpd.GeoDataFrame(
    ...     {"measure_id": ["m1"], "start": ["2025-03-01"]},
    ...     geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> problems = pd.DataFrame({"problem_id": ["p1"], "kind": ["category_area"],
    ...                          "category": ["robbery"]})
    >>> links = pd.DataFrame({"measure_id": ["m1"], "problem_id": ["p1"]})
    >>> times = pd.to_datetime(["2025-01-15"] * 8 + ["2025-03-15"] * 4)
    >>> events = gpd.GeoDataFrame(
    ...     {"time_from": times.tz_localize("Europe/Stockholm"), "category": "robbery",
    ...      "source": "polis"},
    ...     geometry=[Point(50, 50)] * 12, crs="EPSG:3006")
    >>> table = measure_followup(measures, problems, links, events, as_of="2025-05-01",
    ...                          coverage={"polis": ("2024-01-01", "2025-06-30")})
    >>> table[["n_before", "n_after", "days", "change", "change_pct"]].to_dict("records")
    [{'n_before': 8, 'n_after': 4, 'days': 61, 'change': -4, 'change_pct': -50.0}]
    >>> bool(table.loc["m1", "supported"])
    True
    """
    day = check_date(as_of, "as_of", lang=None)
    _, ids, starts, geoms, table = prepare_measures(measures, events)
    wanted = indicators(ids, problems, links)
    covered = checked_coverage(coverage, table)
    warn_coarse(table)
    rows = []
    for mid, start, geom in zip(ids, starts, geoms, strict=True):
        window = Window.of(start, day)
        row: dict[str, Any] = {
            "n_before": pd.NA,
            "n_after": pd.NA,
            "days": window.days,
            "change": pd.NA,
            "change_pct": pd.NA,
            "supported": False,
            "reason_code": None,
            "reason": None,
            "before_start": window.before_start,
            "start": window.start,
            "as_of": window.as_of,
        }
        rows.append(row)
        if mid not in wanted:
            row["reason_code"] = "no_problem"
            row["reason"] = msg("plan_reason_no_problem")
            continue
        candidates = table.picked(
            geom, wanted[mid], day_number(window.before_start), day_number(window.as_of)
        )
        inside = candidates[shapely.covered_by(table.geoms[candidates], geom)]
        n_before = int((table.day[inside] < day_number(window.start)).sum())
        n_after = len(inside) - n_before
        row.update(
            n_before=n_before,
            n_after=n_after,
            change=n_after - n_before,
            change_pct=100.0 * (n_after - n_before) / n_before if n_before else pd.NA,
        )
        sources = table.sources_of(wanted[mid])
        reason_code, reason = _why_not(window, sources, covered, n_before + n_after)
        row.update(supported=reason_code is None, reason_code=reason_code, reason=reason)
    out = pd.DataFrame(rows, index=pd.Index(ids, name="measure_id"), columns=FOLLOWUP_COLUMNS)
    for column in ("n_before", "n_after", "change"):
        out[column] = out[column].astype("Int64")
    out["change_pct"] = out["change_pct"].astype("Float64")
    out["days"] = out["days"].astype("int64")
    out["supported"] = out["supported"].astype(bool)
    return out


def _why_not(
    window: Window,
    sources: list[str],
    covered: dict[str, tuple[dt.date, dt.date]],
    n_total: int,
) -> tuple[str | None, str | None]:
    """The first reason the change cannot be judged (``reason_code``, ``reason``)."""
    if window.days == 0:
        return "not_started", msg("plan_reason_not_started", start=window.start.isoformat())
    if window.days < MIN_WINDOW_DAYS:
        return "window_short", msg(
            "plan_reason_window_short", days=window.days, min_days=MIN_WINDOW_DAYS
        )
    gap = coverage_reason(sources, covered, window)
    if gap is not None:
        return "coverage", gap
    if n_total < MIN_FOLLOWUP_EVENTS:
        return "too_few", msg("plan_reason_too_few", n=n_total, min_events=MIN_FOLLOWUP_EVENTS)
    return None, None
