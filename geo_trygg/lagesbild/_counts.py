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
    names = points[level].to_numpy(dtype=object)
    cats = points[category_column].to_numpy(dtype=object)
    selected = np.arange(len(points))
    if period is not None:
        selected = np.flatnonzero(in_period(points[time_column_of(points, time_column)], period))
        names, cats = names.take(selected), cats.take(selected)
    # each point's row: its area, or "outside", or "too_coarse" (see the module docstring)
    area_codes, area_uniques = pd.factorize(names)
    no_area = area_codes < 0
    coarse = np.zeros(len(names), dtype=bool)
    reason_col = f"{level}_reason"
    if reason_col in points.columns:
        reasons = points[reason_col].to_numpy(dtype=object).take(selected[no_area])
        coarse[no_area] = pd.Series(reasons, dtype=object).isin(COARSE_REASONS)
    cat_codes, cat_uniques = pd.factorize(cats)
    if (cat_codes < 0).any():  # a missing category counts as "other"
        cat_uniques = np.append(np.asarray(cat_uniques, dtype=object), "other")
        cat_codes = np.where(cat_codes < 0, len(cat_uniques) - 1, cat_codes)
    all_cats = sorted(set(categories or ()) | set(cat_uniques))
    all_areas = sorted(set(areas or ()) | set(area_uniques))
    n_areas, n_cats = len(all_areas), len(all_cats)
    area_pos = pd.Index(all_areas, dtype=object).get_indexer(area_uniques)
    row = np.where(coarse, n_areas + 1, n_areas)
    row[~no_area] = area_pos[area_codes[~no_area]]
    cat_pos = pd.Index(all_cats, dtype=object).get_indexer(cat_uniques)[cat_codes]
    n = np.bincount(row * n_cats + cat_pos, minlength=(n_areas + 2) * n_cats)
    row_bucket = np.array(["area"] * n_areas + ["outside", "too_coarse"], dtype=object)
    row_area = np.empty(n_areas + 2, dtype=object)
    row_area[:n_areas] = all_areas
    category = np.empty(n_cats, dtype=object)
    category[:] = all_cats
    return pd.DataFrame(
        {
            "bucket": np.repeat(row_bucket, n_cats),
            "area": np.repeat(row_area, n_cats),
            "category": np.tile(category, n_areas + 2),
            "n": n.astype("int64"),
        }
    )
