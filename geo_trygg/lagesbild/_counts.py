"""Counts per area, category and period that reconcile with the input.

Points come from :func:`geo_trygg.assign_areas`: for a level ``L`` they carry ``L`` (the area's
name) and ``L_reason`` (why there is none). Every point of the period falls in exactly one
*bucket* of each level:

- ``area``: assigned to an area of the level;
- ``too_coarse``: its location is known only more coarsely than the level (reasons
  ``too_coarse``, ``ambiguous_name``, ``name_conflict``), e.g. a police event known only to be
  "in Stockholm" has no stadsdel;
- ``outside``: outside every area of the level (reasons ``outside``, ``on_boundary``,
  ``no_geometry``, ``location_unknown``, or no reason column at all).

So at every level: sum over areas + outside + too coarse == number of points in the period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg.lagesbild._periods import Period, in_period

__all__ = ["BUCKETS", "COARSE_REASONS", "count_by_area", "time_column_of"]

BUCKETS = ("area", "outside", "too_coarse")
"""The buckets a point falls in at each level, in table order."""

COARSE_REASONS = frozenset({"too_coarse", "ambiguous_name", "name_conflict"})
"""``<level>_reason`` codes that mean "location too coarse for this level"."""

_TIME_COLUMNS = ("time_from", "walk_date")


def time_column_of(points: pd.DataFrame, time_column: str | None = None) -> str:
    """The column that dates each point: ``time_column``, else ``time_from`` (events) or
    ``walk_date`` (findings).

    Raises
    ------
    ConfigError
        When no such column exists.
    """
    if time_column is not None:
        if time_column not in points.columns:
            raise ConfigError(
                f"time_column={time_column!r} is not a column; columns: "
                + ", ".join(map(str, points.columns))
            )
        return time_column
    for col in _TIME_COLUMNS:
        if col in points.columns:
            return col
    raise ConfigError(
        "the points have no time column: expected one of "
        f"{', '.join(map(repr, _TIME_COLUMNS))} or pass time_column="
    )


def _buckets(points: pd.DataFrame, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Per point: (bucket code, area name or None) at ``level``."""
    names = points[level].astype(object).where(points[level].notna(), None).to_numpy()
    reason_col = f"{level}_reason"
    reasons = (
        points[reason_col].astype(object).to_numpy()
        if reason_col in points.columns
        else np.full(len(points), None, dtype=object)
    )
    assigned = np.array([n is not None for n in names], dtype=bool)
    coarse = np.array([r in COARSE_REASONS for r in reasons], dtype=bool) & ~assigned
    bucket = np.where(assigned, "area", np.where(coarse, "too_coarse", "outside"))
    return bucket, names


def count_by_area(
    points: pd.DataFrame,
    *,
    level: str,
    period: Period | None = None,
    time_column: str | None = None,
    category_column: str = "category",
    areas: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Count points per area and category at one level, with the reconciling buckets.

    Parameters
    ----------
    points : pandas.DataFrame
        Output of :func:`geo_trygg.assign_areas` with a ``level`` column.
    level : str
        The area level, e.g. ``"stadsdel"``.
    period : Period, optional
        Only points whose time falls in the period; all points when omitted.
    time_column : str, optional
        See :func:`time_column_of`.
    category_column : str, default "category"
    areas : sequence of str, optional
        Every area name of the level: areas without points get explicit zero rows.
    categories : sequence of str, optional
        Every category to report (others present in the data are added): zero rows included.

    Returns
    -------
    pandas.DataFrame
        Columns ``bucket`` (see :data:`BUCKETS`), ``area`` (the name; None outside the
        ``area`` bucket), ``category``, ``n`` (int64); one row per bucket/area × category,
        sorted. ``n`` sums to the number of points in the period.

    Raises
    ------
    ConfigError
        When ``level`` or ``category_column`` is not a column of ``points``.
    """
    for name, col in (("level", level), ("category_column", category_column)):
        if col not in points.columns:
            raise ConfigError(
                f"{name}={col!r} is not a column of the points; assign the areas first "
                "(geo_trygg.assign_areas) or choose one of: "
                + ", ".join(map(repr, points.columns))
            )
    if period is not None:
        points = points[in_period(points[time_column_of(points, time_column)], period)]
    bucket, names = _buckets(points, level)
    cats = points[category_column].astype(object).where(points[category_column].notna(), "other")
    frame = pd.DataFrame(
        {"bucket": bucket, "area": names, "category": cats.to_numpy(dtype=object)}
    )
    counted = (
        frame.groupby(["bucket", "area", "category"], dropna=False, sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    all_cats = sorted(set(categories or ()) | set(frame["category"]))
    all_areas = sorted(set(areas or ()) | {a for a in names if a is not None})
    keys = [("area", a) for a in all_areas] + [("outside", None), ("too_coarse", None)]
    grid = pd.DataFrame(
        [(b, a, c) for b, a in keys for c in all_cats], columns=["bucket", "area", "category"]
    )
    counted["area"] = counted["area"].astype(object).where(counted["area"].notna(), None)
    out = grid.merge(counted, on=["bucket", "area", "category"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    order = {b: i for i, b in enumerate(BUCKETS)}
    out = out.assign(_b=out["bucket"].map(order), _a=out["area"].fillna(""))
    out = out.sort_values(["_b", "_a", "category"], kind="stable").drop(columns=["_b", "_a"])
    return out.reset_index(drop=True)
