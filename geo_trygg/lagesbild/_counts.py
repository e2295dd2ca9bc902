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
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg.join import LEVEL_RANK
from geo_trygg.periods import Period, TimeKeys

__all__ = [
    "BUCKETS",
    "COARSE_REASONS",
    "PLACED_BY",
    "PointCounter",
    "bucket_rows",
    "count_by_area",
    "time_column_of",
]

BUCKETS = ("area", "outside", "too_coarse")
"""The buckets a point falls in at each level, in table order."""

COARSE_REASONS = frozenset({"too_coarse", "ambiguous_name", "name_conflict"})
"""``<level>_reason`` codes that mean "location too coarse for this level"."""

PLACED_BY = ("point", "name", "location")
"""How the points in an area were placed there (:meth:`PointCounter.placed_by`): by their
coordinates (``point``, also a point snapped to the nearest area), by a place name in their
text (``name``) or by the place the source gives, such as the kommun of a police event
(``location``). A point placed through a crosswalk from a finer level (a stadsdelsområde from
its stadsdel) counts as its finest level was placed."""

_METHOD = {"point": 1, "snap": 1, "name": 2, "location": 3}

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


class PointCounter:
    """Points prepared once for counting per level, area and category over several periods.

    The bounds of all periods cut time into elementary intervals; each point is placed in its
    interval once, and each level's grid of interval × bucket/area × category is counted with
    one ``bincount`` over the points. A period is a run of whole intervals, so its counts are
    a sum of grid rows, whatever the number of periods and whether or not they overlap. Only
    the points inside some period are prepared.

    Parameters
    ----------
    points : pandas.DataFrame
        Output of :func:`geo_trygg.assign_areas` with a column for every level in ``levels``.
    levels : sequence of str
        The area levels to count at.
    within : sequence of Period or None
        The periods that will be asked for (only these can be); None for one "period" of all
        points, missing times included.
    time_column : str, optional
        See :func:`time_column_of`.
    category_column : str, default "category"

    Attributes
    ----------
    categories : list of str
        Every category of the points, sorted (``"other"`` where a category is missing).
    times : TimeKeys
        The points' times.
    """

    def __init__(
        self,
        points: pd.DataFrame,
        *,
        levels: Sequence[str],
        within: Sequence[Period] | None,
        time_column: str | None = None,
        category_column: str = "category",
    ) -> None:
        for level in levels:
            _require_column(points, "level", level)
        _require_column(points, "category_column", category_column)
        self.times = TimeKeys.of(points[time_column_of(points, time_column)])
        # the categories of all points, so that every period reports the same ones
        cat_codes, cat_uniques = pd.factorize(points[category_column].to_numpy(dtype=object))
        if (cat_codes < 0).any():  # a missing category counts as "other"
            cat_uniques = np.append(np.asarray(cat_uniques, dtype=object), "other")
            cat_codes = np.where(cat_codes < 0, len(cat_uniques) - 1, cat_codes)
        self.categories = sorted(set(cat_uniques))
        rows, self._bins, self._spans = self._intervals(within)
        n_bins = max((stop for _, stop in self._spans.values()), default=0)
        self._rows = rows  # input positions of the points prepared, ascending (None: all)
        cat_pos = pd.Index(self.categories, dtype=object).get_indexer(cat_uniques)
        cat_pos = cat_pos[cat_codes if rows is None else cat_codes[rows]]
        self._n_bins = np.bincount(self._bins, minlength=n_bins)
        self._areas: dict[str, list[Any]] = {}
        self._grids: dict[str, np.ndarray] = {}
        self._methods: dict[str, np.ndarray] = {}
        read: dict[str, np.ndarray] = {}  # the matched_by columns, each read once
        for level in levels:
            row, known = bucket_rows(points, level, rows)
            size = (len(known) + 2) * len(self.categories)
            cells = self._bins * size + row * len(self.categories) + cat_pos
            self._grids[level] = np.bincount(cells, minlength=n_bins * size).reshape(n_bins, -1)
            self._areas[level] = known
            method = placement_methods(points, level, rows, read)
            method[row >= len(known)] = 0  # outside or too coarse: not placed
            size = len(PLACED_BY) + 1
            self._methods[level] = np.bincount(
                self._bins * size + method, minlength=n_bins * size
            ).reshape(n_bins, size)

    def _intervals(
        self, within: Sequence[Period] | None
    ) -> tuple[np.ndarray | None, np.ndarray, dict[Period | None, tuple[int, int]]]:
        """The positions of the points inside some period (None: all), each one's interval,
        and each period's run of intervals ``[first, stop)``."""
        keys = self.times.keys
        if within is None:
            return None, np.zeros(len(keys), dtype=np.int64), {None: (0, 1)}
        bounds = {period: self.times.bounds(period) for period in within}
        edges = np.array(sorted({edge for pair in bounds.values() for edge in pair}))
        spans: dict[Period | None, tuple[int, int]] = {
            period: (int(np.searchsorted(edges, lo)), int(np.searchsorted(edges, hi)))
            for period, (lo, hi) in bounds.items()
        }
        covered = np.zeros(max(len(edges) - 1, 0), dtype=bool)
        for first, stop in spans.values():
            covered[first:stop] = True
        bins = np.searchsorted(edges, keys, side="right") - 1  # -1: before the first edge
        inside = (bins >= 0) & (bins < len(covered))
        inside[inside] = covered[bins[inside]]
        rows = None if inside.all() else np.flatnonzero(inside)
        return rows, (bins if rows is None else bins[rows]).astype(np.int64), spans

    def _span(self, period: Period | None) -> tuple[int, int]:
        if period not in self._spans:
            raise ValueError(f"{period!r} is not one of the periods prepared (within=)")
        return self._spans[period]

    def n_in(self, period: Period | None) -> int:
        """The number of points in ``period`` (all points when None)."""
        first, stop = self._span(period)
        return int(self._n_bins[first:stop].sum())

    def placed_by(self, level: str, period: Period | None) -> dict[str, int]:
        """The points of ``period`` in an area of ``level`` by how they were placed there
        (:data:`PLACED_BY`); the counts sum to the points in the level's areas."""
        first, stop = self._span(period)
        counts = self._methods[level][first:stop].sum(axis=0)
        return {name: int(counts[i + 1]) for i, name in enumerate(PLACED_BY)}

    def positions(self, period: Period | None) -> np.ndarray:
        """Row positions of the points in ``period``, in input order."""
        first, stop = self._span(period)
        hit = np.flatnonzero((self._bins >= first) & (self._bins < stop))
        return hit if self._rows is None else self._rows[hit]

    def count(
        self,
        level: str,
        period: Period | None = None,
        *,
        areas: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The table of :func:`count_by_area` for ``level`` and ``period``."""
        known = self._areas[level]
        n_cats = len(self.categories)
        first, stop = self._span(period)
        grid = self._grids[level][first:stop].sum(axis=0).reshape(len(known) + 2, n_cats)
        # the areas and categories asked for, and those with points in the period
        seen_areas = [a for a, n in zip(known, grid[: len(known)].sum(axis=1), strict=True) if n]
        seen_cats = [c for c, n in zip(self.categories, grid.sum(axis=0), strict=True) if n]
        all_areas = sorted(set(areas or ()) | set(seen_areas))
        all_cats = sorted(set(categories or ()) | set(seen_cats))
        rows = pd.Index(known, dtype=object).get_indexer(all_areas)
        cols = pd.Index(self.categories, dtype=object).get_indexer(all_cats)
        padded = np.zeros((len(known) + 3, n_cats + 1), dtype=np.int64)  # last row/col: zeros
        padded[: len(known) + 2, :n_cats] = grid
        rows = np.concatenate([rows, [len(known), len(known) + 1]])
        n = padded[rows][:, cols].ravel()
        n_areas, n_all = len(all_areas), len(all_cats)
        row_bucket = np.array(["area"] * n_areas + ["outside", "too_coarse"], dtype=object)
        row_area = np.empty(n_areas + 2, dtype=object)
        row_area[:n_areas] = all_areas
        category = np.empty(n_all, dtype=object)
        category[:] = all_cats
        return pd.DataFrame(
            {
                "bucket": np.repeat(row_bucket, n_all),
                "area": np.repeat(row_area, n_all),
                "category": np.tile(category, n_areas + 2),
                "n": n.astype("int64"),
            }
        )


def _require_column(points: pd.DataFrame, name: str, column: str) -> None:
    if column not in points.columns:
        raise ConfigError(
            f"{name}={column!r} is not a column of the points; assign the areas first "
            "(geo_trygg.assign_areas) or choose one of: " + ", ".join(map(repr, points.columns))
        )


def bucket_rows(
    points: pd.DataFrame, level: str, rows: np.ndarray | None
) -> tuple[np.ndarray, list[Any]]:
    """The row at ``level`` of the points at positions ``rows`` (all when None): the area's
    position in the sorted area names, or ``n_areas`` (outside) or ``n_areas + 1`` (too
    coarse); and the sorted area names.

    The buckets of the lägesbild's counts, for the packs' public counts, which must put each
    point where the lägesbild counted it."""
    names_all = points[level].to_numpy(dtype=object)
    area_codes, area_uniques = pd.factorize(names_all if rows is None else names_all[rows])
    names = sorted(set(area_uniques))
    no_area = area_codes < 0
    coarse = np.zeros(len(area_codes), dtype=bool)
    reason_col = f"{level}_reason"
    if reason_col in points.columns:
        where = np.flatnonzero(no_area) if rows is None else rows[no_area]
        reasons = points[reason_col].to_numpy(dtype=object)[where]
        coarse[no_area] = pd.Series(reasons, dtype=object).isin(COARSE_REASONS).to_numpy()
    area_pos = pd.Index(names, dtype=object).get_indexer(area_uniques)
    row = np.where(coarse, len(names) + 1, len(names))
    row[~no_area] = area_pos[area_codes[~no_area]]
    return row.astype(np.int64), names


_CROSSWALK = 4
"""The code of ``"crosswalk"`` in :func:`_method_codes` (resolved by the finest level)."""


def _method_codes(
    points: pd.DataFrame, column: str, rows: np.ndarray | None, cache: dict[str, np.ndarray]
) -> np.ndarray:
    """The ``<level>_matched_by`` column at the positions ``rows`` (all when None) as codes:
    0 not placed, 1 point or snap, 2 name, 3 location, 4 crosswalk; read once per column
    (``cache``, for the same ``rows``)."""
    if column not in cache:
        values = points[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()
            uniques: Any = values.cat.categories
            codes = codes if rows is None else codes[rows]
        else:
            array = values.to_numpy(dtype=object)
            codes, uniques = pd.factorize(array if rows is None else array[rows])
        lut = np.array(
            [_CROSSWALK if u == "crosswalk" else _METHOD.get(u, 0) for u in uniques] + [0],
            dtype=np.int8,
        )
        cache[column] = lut[codes]  # -1 (missing): the last entry, 0
    return cache[column]


def placement_methods(
    points: pd.DataFrame,
    level: str,
    rows: np.ndarray | None,
    cache: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """How each point (at positions ``rows``, all when None) was placed at ``level``: 0 not
    placed (or no ``<level>_matched_by`` column: 1, by point), else 1 + the position of the
    method in :data:`PLACED_BY`. A point placed through a crosswalk takes the method of its
    finest level placed otherwise, unless its source gives this very level (a police event
    located in a kommun, at kommun level): then by the source's location. ``cache`` keeps
    the columns read, for the next level of the same points and ``rows``."""
    cache = {} if cache is None else cache
    column = f"{level}_matched_by"
    if column not in points.columns:
        placed = points[level].notna().to_numpy().astype(np.int8)
        return placed if rows is None else placed[rows]
    own = _method_codes(points, column, rows, cache)
    derived = own == _CROSSWALK
    if derived.any():
        origin = np.zeros(len(own), dtype=np.int8)
        others = sorted(
            (c.removesuffix("_matched_by") for c in points.columns if c.endswith("_matched_by")),
            key=lambda lv: (LEVEL_RANK.get(lv, 99), lv),
        )
        for other in others:
            found = _method_codes(points, f"{other}_matched_by", rows, cache)
            origin = np.where((origin == 0) & (found != _CROSSWALK), found, origin)
        own = np.where(derived, origin, own)
        if "location_precision" in points.columns:  # the source gives this very level
            given = points["location_precision"].to_numpy(dtype=object)
            given = given if rows is None else given[rows]
            own = np.where(derived & (given == level), _METHOD["location"], own)
    return own.astype(np.int8)


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
        Every category to report (others present in the period are added): zero rows
        included.

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

    Examples
    --------
    >>> import pandas as pd
    >>> points = pd.DataFrame({
    ...     "time_from": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-04-01"]),
    ...     "category": ["theft", "theft", "fire"],
    ...     "stadsdel": ["ÄLVSJÖ", None, "ÄLVSJÖ"],
    ...     "stadsdel_reason": [None, "too_coarse", None],
    ... })
    >>> from geo_trygg.periods import parse_period
    >>> count_by_area(points, level="stadsdel", period=parse_period("2024-03"))
           bucket    area category  n
    0        area  ÄLVSJÖ    theft  1
    1     outside    None    theft  0
    2  too_coarse    None    theft  1
    """
    counter = PointCounter(
        points,
        levels=[level],
        within=None if period is None else [period],
        time_column=time_column,
        category_column=category_column,
    )
    return counter.count(level, period, areas=areas, categories=categories)
