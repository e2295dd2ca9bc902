"""Points to cells: which cell each point falls in, and counts per cell.

A point belongs to the cell that contains it. On a shared edge of two square cells the point
goes to the cell on its east (or north) side, as ``floor`` puts it; for H3 cells, H3's own
index decides; for any other polygons, the first cell in the grid's order among those that
touch the point. So every point gets exactly one cell, or none when it lies outside the grid
(counted, never dropped silently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, CRSMismatchError
from geo_trygg.crs import get_transformer
from geo_trygg.hotspots._points import check_metric, precise_points
from geo_trygg.periods import TimeKeys

__all__ = [
    "GridPoints",
    "check_same_crs",
    "count_points",
    "grid_points",
    "locate",
    "square_lookup",
]


def check_same_crs(grid: gpd.GeoDataFrame, points: gpd.GeoDataFrame, name: str) -> None:
    if not grid.crs.equals(points.crs):
        raise CRSMismatchError(
            f"{name} is in {points.crs.to_string()} but the grid in {grid.crs.to_string()}; "
            f"bring them to one CRS first ({name}.to_crs(grid.crs))"
        )


def square_lookup(grid: gpd.GeoDataFrame) -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
    """For a square grid from ``make_grid``: a function from (row, col) arrays (whole numbers as
    floats or ints) to grid positions, -1 where there is no cell; None for other grids."""
    info = grid.attrs.get("grid", {})
    if info.get("grid_type") != "square" or not {"row", "col"} <= set(grid.columns):
        return None
    n_rows, n_cols = info["shape"]
    table = np.full(n_rows * n_cols, -1, dtype=np.int64)
    table[grid["row"].to_numpy() * n_cols + grid["col"].to_numpy()] = np.arange(len(grid))

    def positions(row: np.ndarray, col: np.ndarray) -> np.ndarray:
        inside = (col >= 0) & (col < n_cols) & (row >= 0) & (row < n_rows)
        out = np.full(len(row), -1, dtype=np.int64)
        out[inside] = table[(row[inside] * n_cols + col[inside]).astype(np.int64)]
        return out

    return positions


def locate(grid: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The grid position (0 … n-1) of the cell holding each point, -1 outside the grid.

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        From :func:`~geo_trygg.hotspots.make_grid` (or any polygons, slower).
    x, y : numpy.ndarray
        Coordinates in the grid's CRS.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 200, 100)], crs="EPSG:3006"), cell_size=100)
    >>> locate(grid, np.array([50.0, 100.0, 250.0]), np.array([50.0, 50.0, 50.0])).tolist()
    [0, 1, -1]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    info = grid.attrs.get("grid", {})
    lookup = square_lookup(grid)
    if lookup is not None:
        size = float(info["cell_size_m"])
        x0, y0 = info["origin"]
        return lookup(np.floor((y - y0) / size), np.floor((x - x0) / size))
    if info.get("grid_type") == "h3":
        lng, lat = get_transformer(grid.crs, "EPSG:4326").transform(x, y)
        resolution = int(info["h3_resolution"])
        position = {cell: i for i, cell in enumerate(grid["cell_id"])}
        return np.array(
            [
                position.get(h3.latlng_to_cell(b, a, resolution), -1)
                for a, b in zip(lng, lat, strict=True)
            ],
            dtype=np.int64,
        )
    tree = shapely.STRtree(grid.geometry.to_numpy())
    point_idx, cell_idx = tree.query(shapely.points(x, y), predicate="intersects")
    out = np.full(len(x), len(grid), dtype=np.int64)
    np.minimum.at(out, point_idx, cell_idx)
    out[out == len(grid)] = -1
    return out


@dataclass(frozen=True)
class GridPoints:
    """Points checked and placed on a grid once (see :func:`grid_points`).

    Attributes
    ----------
    x, y : numpy.ndarray
        Coordinates of the points kept, in the grid's CRS.
    cell : numpy.ndarray of int64
        Each point's grid position, -1 outside the grid.
    weights : numpy.ndarray
        The ``weight`` column's values, or ones.
    times : TimeKeys or None
        The ``time_column``'s times, when one was asked for.
    counts : dict
        As :func:`~geo_trygg.hotspots._points.precise_points` gives them.
    """

    x: np.ndarray
    y: np.ndarray
    cell: np.ndarray
    weights: np.ndarray
    times: TimeKeys | None
    counts: dict[str, int]


def grid_points(
    grid: gpd.GeoDataFrame,
    points: Any,
    *,
    name: str = "events",
    weight: str | None = None,
    time_column: str | None = None,
) -> GridPoints:
    """The precise points of ``points`` on ``grid``: checks shared by every hotspot function.

    Raises
    ------
    CRSMismatchError
        The points and the grid are in different CRSs.
    ConfigError
        Bad grid or points (see ``precise_points``); a ``weight`` column that is missing or
        has values that are missing or not numbers; a missing ``time_column``.
    """
    check_metric(grid, "grid")
    kept, counts = precise_points(points, name=name)
    check_same_crs(grid, kept, name)
    for arg, column in (("weight", weight), ("time_column", time_column)):
        if column is not None and column not in kept.columns:
            raise ConfigError(
                f"{arg}={column!r} is not a column of {name}; columns: "
                + ", ".join(map(repr, map(str, kept.columns)))
            )
    values = np.ones(len(kept))
    if weight is not None:
        values = pd.to_numeric(kept[weight], errors="coerce").to_numpy(dtype=float)
        if np.isnan(values).any():
            raise ConfigError(
                f"weight={weight!r}: {int(np.isnan(values).sum())} value(s) are missing or not "
                "numbers"
            )
    xy = shapely.get_coordinates(np.asarray(kept.geometry.array, dtype=object))
    x, y = xy[:, 0], xy[:, 1]
    times = TimeKeys.of(kept[time_column]) if time_column is not None else None
    return GridPoints(x, y, locate(grid, x, y), values, times, counts)


def count_points(
    grid: gpd.GeoDataFrame,
    points: Any,
    *,
    weight: str | None = None,
    name: str = "events",
) -> gpd.GeoDataFrame:
    """Count points (optionally weighted) per cell.

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        Cells from :func:`~geo_trygg.hotspots.make_grid`.
    points : geopandas.GeoDataFrame
        Events or findings in the grid's CRS; only those with a precise location are used
        (:func:`~geo_trygg.hotspots._points.precise_points`).
    weight : str, optional
        A numeric column to sum instead of counting (e.g. ``"severity"``); missing weights
        are an error.
    name : str, default "events"
        Argument name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The grid (same index and geometry) with ``n`` (int64, points per cell) and, with
        ``weight``, ``weight`` (float, the sum). ``attrs["counts"]``: ``n_input``, ``n_kept``,
        ``n_coarse``, ``n_no_geometry``, ``n_in_cells`` and ``n_outside_grid``, with
        ``n_input == n_in_cells + n_outside_grid + n_coarse + n_no_geometry``.

    Raises
    ------
    CRSMismatchError
        The points and the grid are in different CRSs.
    ConfigError
        Bad points (see ``precise_points``), or a ``weight`` column that is missing, not
        numeric or has missing values.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 200, 100)], crs="EPSG:3006"), cell_size=100)
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([10, 20, 150, 900], [5, 5, 5, 5]),
    ...                        crs="EPSG:3006")
    >>> counted = count_points(grid, pts)
    >>> counted["n"].tolist(), counted.attrs["counts"]["n_outside_grid"]
    ([2, 1], 1)
    """
    placed = grid_points(grid, points, name=name, weight=weight)
    cell, inside, counts = placed.cell, placed.cell >= 0, placed.counts
    out = grid.copy()
    out["n"] = np.bincount(cell[inside], minlength=len(grid)).astype(np.int64)
    if weight is not None:
        out["weight"] = np.bincount(
            cell[inside], weights=placed.weights[inside], minlength=len(grid)
        )
    out.attrs = {
        **grid.attrs,
        "counts": {
            **counts,
            "n_in_cells": int(inside.sum()),
            "n_outside_grid": int((~inside).sum()),
        },
    }
    return out
