"""Grids of cells over a study area: squares in a metric CRS, or H3 hexagons.

**Which cells.** Every cell that overlaps the study area (the union of the given area
polygons, minus ``water`` when given) with some area, **clipped** to it: a coastal cell is only
its land part, so no cell lies in the sea or outside the kommun, and every event on land is in
a cell. Each cell has a *centre* ``x``, ``y`` on land: the centre of the square (or hexagon)
when that lies in the study area, else a point of the clipped cell (``point_on_surface``), so
no cell centre lies in water. ``area_m2`` is the cell's area in the study area.

**Square cells** are aligned to multiples of the cell size in the CRS (a 100 m grid in
EPSG:3006 has corners at whole hundreds of metres, as SCB's statistical grid squares), so grids
of different areas and runs line up. Cell ids say size and lower-left corner:
``"100mN6580000E674000"``. ``row`` and ``col`` place the square in the lattice (statistics that
need neighbours use the lattice, unchanged by clipping).

**Automatic cell size** (``cell_size=None``): the shorter side of the study area's bounding
box divided by 50 — sfhotspot's starting point — rounded to the nearest "nice" size of 1, 2,
2.5 or 5 × 10^k metres (Stockholm's kommun, about 25 km across its shorter side, gets 500 m).
For H3 the automatic resolution is the one whose hexagons, where the study area lies, are
closest in area to that square.

**Guards.** More than 100,000 cells warns (the maps and statistics get slow); more than
``max_cells`` (default 1,000,000) is refused, and the message names the smallest nice cell size
that fits. A cell size of 0 or below, or a study area smaller than one cell, is an error.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import geopandas as gpd
import h3
import numpy as np
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg.crs import get_transformer
from geo_trygg.hotspots._points import check_metric

__all__ = ["GRID_TYPES", "WARN_CELLS", "auto_cell_size", "make_grid", "study_area"]

GRID_TYPES = ("square", "h3")
WARN_CELLS = 100_000
"""More cells than this give a warning."""
_NICE = (1.0, 2.0, 2.5, 5.0)


def _nice(value: float, *, up: bool = False) -> float:
    """The nice size (1, 2, 2.5, 5 × 10^k) nearest to ``value`` (or the next one up)."""
    exponent = math.floor(math.log10(value))
    options = [m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in _NICE]
    if up:
        return min(o for o in options if o >= value * (1 - 1e-12))
    return min(options, key=lambda o: (abs(math.log(o / value)), o))


def study_area(areas: Any, *, water: Any = None, name: str = "areas") -> Any:
    """The study area as one (multi)polygon in the areas' CRS: their union minus ``water``.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame or geopandas.GeoSeries
        Polygons in a projected CRS in metres (e.g. stadsdelar, or a kommun).
    water : geopandas.GeoDataFrame or geopandas.GeoSeries, optional
        Water polygons to take away, in the same CRS.
    name : str
        Argument name for messages.

    Returns
    -------
    shapely.Geometry

    Raises
    ------
    ConfigError
        Not a GeoDataFrame/GeoSeries in a metric CRS, no polygon area, or CRSs that differ.
    """
    frame = check_metric(_as_frame(areas, name), name)
    union = shapely.union_all(frame.geometry.to_numpy())
    if water is not None:
        water_frame = check_metric(_as_frame(water, "water"), "water")
        if not water_frame.crs.equals(frame.crs):
            raise ConfigError(
                f"water is in {water_frame.crs.to_string()} but {name} in "
                f"{frame.crs.to_string()}; bring both to one CRS (to_crs) first"
            )
        union = shapely.difference(union, shapely.union_all(water_frame.geometry.to_numpy()))
    if union is None or union.is_empty or union.area <= 0:
        raise ConfigError(f"{name} has no polygon area (after taking away water)")
    return union


def _as_frame(value: Any, name: str) -> gpd.GeoDataFrame:
    if isinstance(value, gpd.GeoSeries):
        return gpd.GeoDataFrame(geometry=value)
    if not isinstance(value, gpd.GeoDataFrame):
        raise ConfigError(f"{name} must be a GeoDataFrame or GeoSeries of polygons")
    return value


def auto_cell_size(area: Any) -> float:
    """The automatic cell size in metres for a study area (see the module docstring).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> auto_cell_size(box(0, 0, 25_000, 31_000))
    500.0
    >>> auto_cell_size(box(0, 0, 3_000, 2_000))
    50.0
    """
    minx, miny, maxx, maxy = area.bounds
    return _nice(min(maxx - minx, maxy - miny) / 50)


def make_grid(
    areas: Any,
    *,
    cell_size: float | None = None,
    grid_type: str = "square",
    h3_resolution: int | None = None,
    water: Any = None,
    max_cells: int = 1_000_000,
) -> gpd.GeoDataFrame:
    """Cells covering the study area: squares, or H3 hexagons.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame or geopandas.GeoSeries
        The study area's polygons in a projected CRS in metres; the grid is in that CRS.
    cell_size : float, optional
        Side of the square cells in metres; automatic when omitted (module docstring). Only
        for ``grid_type="square"``.
    grid_type : {"square", "h3"}, default "square"
    h3_resolution : int, optional
        H3 resolution 0–15 for ``grid_type="h3"`` (at Stockholm's latitude resolution 9 is
        about 0.08 km², resolution 10 about 0.011 km²); automatic when omitted.
    water : geopandas.GeoDataFrame or geopandas.GeoSeries, optional
        Water polygons taken away from the study area, so no cell centre lies in water.
    max_cells : int, default 1,000,000
        More cells are refused.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cell, index ``0 … n-1``: ``cell_id`` (str), ``x`` and ``y`` (the centre,
        in the CRS), geometry (the cell's polygon). ``attrs["grid"]`` holds the grid's
        parameters (``grid_type``, ``cell_size_m`` or ``h3_resolution``, ``cell_area_m2``,
        ``origin`` for squares, ``crs``, ``n_cells``, ``rule``).

    Raises
    ------
    ConfigError
        A cell size of 0 or below, a study area smaller than one cell, too many cells (the
        message names a cell size that fits), a bad ``grid_type`` or ``h3_resolution``.

    Warns
    -----
    GeoTryggWarning
        More than 100,000 cells.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> area = gpd.GeoSeries([box(0, 0, 300, 200)], crs="EPSG:3006")
    >>> grid = make_grid(area, cell_size=100)
    >>> len(grid), grid["cell_id"].iloc[0], grid.attrs["grid"]["cell_area_m2"]
    (6, '100mN0E0', 10000.0)
    """
    check_choice("grid_type", grid_type, GRID_TYPES)
    if isinstance(max_cells, bool) or not isinstance(max_cells, int) or max_cells < 1:
        raise ConfigError(f"max_cells={max_cells!r} must be a whole number >= 1")
    frame = check_metric(_as_frame(areas, "areas"), "areas")
    area = study_area(frame, water=water)
    if grid_type == "h3":
        if cell_size is not None:
            raise ConfigError("cell_size= is for square grids; for H3 give h3_resolution=")
        return _h3_grid(area, frame.crs, h3_resolution, max_cells)
    if h3_resolution is not None:
        raise ConfigError("h3_resolution= is for grid_type='h3'")
    size = auto_cell_size(area) if cell_size is None else _check_size(cell_size)
    _check_count(area.area, size * size, "cell_size", f"{size:g} m", max_cells, square=True)
    return _square_grid(area, frame.crs, size, cell_size is None)


def _check_size(cell_size: Any) -> float:
    if isinstance(cell_size, bool) or not isinstance(cell_size, int | float):
        raise ConfigError(f"cell_size={cell_size!r} must be a number of metres, e.g. 100")
    if not math.isfinite(cell_size) or cell_size <= 0:
        raise ConfigError(f"cell_size={cell_size!r} must be a positive number of metres")
    return float(cell_size)


def _check_count(
    land_m2: float, cell_m2: float, arg: str, shown: str, max_cells: int, *, square: bool
) -> None:
    """Refuse a study area smaller than one cell, or more than ``max_cells`` cells."""
    if land_m2 < cell_m2:
        raise ConfigError(
            msg("hotspot_area_smaller_than_cell", arg=arg, size=shown, area=round(land_m2))
        )
    estimate = land_m2 / cell_m2
    if estimate > max_cells:
        fit = _nice(math.sqrt(land_m2 / max_cells), up=True)
        raise ConfigError(
            msg(
                "hotspot_too_many_cells",
                arg=arg,
                size=shown,
                n=round(estimate),
                max_cells=max_cells,
                fit=f"cell_size={fit:g}" if square else "a lower h3_resolution",
            )
        )


def _warn_if_many(n: int) -> None:
    if n > WARN_CELLS:
        warnings.warn(msg("hotspot_many_cells", n=n), GeoTryggWarning, stacklevel=3)


def _square_grid(area: Any, crs: Any, size: float, automatic: bool) -> gpd.GeoDataFrame:
    minx, miny, maxx, maxy = area.bounds
    x0, y0 = math.floor(minx / size) * size, math.floor(miny / size) * size
    n_cols = max(1, math.ceil((maxx - x0) / size))
    n_rows = max(1, math.ceil((maxy - y0) / size))
    shapely.prepare(area)
    step = max(1, 2_000_000 // n_cols)  # rows per chunk: bounded memory
    parts = []
    for start in range(0, n_rows, step):
        cc, rr = np.meshgrid(np.arange(n_cols), np.arange(start, min(n_rows, start + step)))
        col, row = cc.ravel(), rr.ravel()
        left, bottom = x0 + col * size, y0 + row * size
        boxes = shapely.box(left, bottom, left + size, bottom + size)
        hit = shapely.intersects(area, boxes)
        parts.append((col[hit], row[hit], boxes[hit]))
    col = np.concatenate([p[0] for p in parts])
    row = np.concatenate([p[1] for p in parts])
    cells = np.concatenate([p[2] for p in parts])
    cells = _clip(cells, area, col, row, size, x0, y0)
    keep = shapely.area(cells) > 0  # a square that only touches the area has no cell
    col, row, cells = col[keep], row[keep], cells[keep]
    if len(cells) == 0:
        raise ConfigError(
            msg(
                "hotspot_area_smaller_than_cell",
                arg="cell_size",
                size=f"{size:g} m",
                area=round(area.area),
            )
        )
    _warn_if_many(len(cells))
    left, bottom = x0 + col * size, y0 + row * size
    x, y = _centres(cells, area, left + size / 2, bottom + size / 2)
    ids = [f"{size:g}mN{b:.0f}E{lft:.0f}" for lft, b in zip(left, bottom, strict=True)]
    grid = gpd.GeoDataFrame(
        {
            "cell_id": ids,
            "x": x,
            "y": y,
            "area_m2": shapely.area(cells),
            "row": row.astype(np.int64),
            "col": col.astype(np.int64),
        },
        geometry=cells,
        crs=crs,
    )
    grid.attrs["grid"] = {
        "grid_type": "square",
        "cell_size_m": size,
        "cell_size_rule": "automatic" if automatic else "given",
        "cell_area_m2": size * size,
        "origin": [x0, y0],
        "shape": [n_rows, n_cols],
        "crs": grid.crs.to_string(),
        "n_cells": len(grid),
        "rule": "cells overlapping the study area, clipped to it",
    }
    return grid


def _clip(
    cells: np.ndarray,
    area: Any,
    col: np.ndarray,
    row: np.ndarray,
    size: float,
    x0: float,
    y0: float,
    tile: int = 10,
) -> np.ndarray:
    """The squares clipped to ``area``. Squares wholly inside stay as they are; the others are
    cut against the piece of the area in their tile of ``tile`` × ``tile`` squares (cutting a
    small square against a small piece is much faster than against the whole coastline)."""
    edge = np.flatnonzero(~shapely.contains_properly(area, cells))
    if len(edge) == 0:
        return cells
    tc, tr = col[edge] // tile, row[edge] // tile
    key = tr * (int(col.max()) // tile + 1) + tc
    _, which = np.unique(key, return_inverse=True)
    first = np.unique(which, return_index=True)[1]
    span = size * tile
    pieces = shapely.intersection(
        area,
        shapely.box(
            x0 + tc[first] * span,
            y0 + tr[first] * span,
            x0 + (tc[first] + 1) * span,
            y0 + (tr[first] + 1) * span,
        ),
    )
    out = cells.copy()
    out[edge] = _polygonal(shapely.intersection(cells[edge], pieces[which]))
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygon parts of clipping results (a cut can leave lines and points too)."""
    out = geoms.copy()
    mixed = np.flatnonzero(shapely.get_type_id(geoms) == 7)  # GeometryCollection
    for i in mixed:
        polys = [g for g in shapely.get_parts(geoms[i]) if shapely.get_type_id(g) in (3, 6)]
        out[i] = shapely.union_all(polys) if polys else shapely.Polygon()
    return out


def _centres(
    cells: np.ndarray, area: Any, cx: np.ndarray, cy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The cells' own centres where they lie in ``area``, else a point of the clipped cell."""
    x, y = np.asarray(cx, dtype=float).copy(), np.asarray(cy, dtype=float).copy()
    off = np.flatnonzero(~shapely.contains_xy(area, x, y))
    if len(off):
        points = shapely.point_on_surface(cells[off])
        x[off], y[off] = shapely.get_x(points), shapely.get_y(points)
    return x, y


def _h3_grid(area: Any, crs: Any, resolution: int | None, max_cells: int) -> gpd.GeoDataFrame:
    if resolution is None:
        target = auto_cell_size(area) ** 2
        resolution = min(
            range(16), key=lambda r: abs(math.log(h3.average_hexagon_area(r, "m^2") / target))
        )
    elif (
        isinstance(resolution, bool)
        or not isinstance(resolution, int)
        or not 0 <= resolution <= 15
    ):
        raise ConfigError(f"h3_resolution={resolution!r} must be a whole number from 0 to 15")
    cell_m2 = h3.average_hexagon_area(resolution, "m^2")
    _check_count(area.area, cell_m2, "h3_resolution", str(resolution), max_cells, square=False)
    to_wgs = get_transformer(crs, "EPSG:4326")
    from_wgs = get_transformer("EPSG:4326", crs)
    wgs = shapely.transform(area, lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])))
    shape = h3.geo_to_h3shape(wgs.__geo_interface__)
    cells = sorted(h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap"))
    if not cells:
        raise ConfigError(
            msg(
                "hotspot_area_smaller_than_cell",
                arg="h3_resolution",
                size=str(resolution),
                area=round(area.area),
            )
        )
    _warn_if_many(len(cells))
    centres = np.array([h3.cell_to_latlng(c) for c in cells])  # (lat, lng)
    hx, hy = from_wgs.transform(centres[:, 1], centres[:, 0])
    polygons = []
    for c in cells:
        ring = np.array(h3.cell_to_boundary(c))  # (lat, lng) pairs
        px, py = from_wgs.transform(ring[:, 1], ring[:, 0])
        polygons.append(shapely.Polygon(np.column_stack([px, py])))
    hexes = np.array(polygons, dtype=object)
    shapely.prepare(area)
    clipped = hexes.copy()
    edge = np.flatnonzero(~shapely.contains_properly(area, hexes))
    clipped[edge] = _polygonal(shapely.intersection(hexes[edge], area))
    keep = shapely.area(clipped) > 0
    cells = [c for c, k in zip(cells, keep, strict=True) if k]
    clipped, hx, hy = clipped[keep], np.asarray(hx)[keep], np.asarray(hy)[keep]
    x, y = _centres(clipped, area, hx, hy)
    grid = gpd.GeoDataFrame(
        {"cell_id": cells, "x": x, "y": y, "area_m2": shapely.area(clipped)},
        geometry=clipped,
        crs=crs,
    )
    grid.attrs["grid"] = {
        "grid_type": "h3",
        "h3_resolution": int(resolution),
        "cell_area_m2": float(np.mean(shapely.area(hexes))),
        "crs": grid.crs.to_string(),
        "n_cells": len(grid),
        "rule": "cells overlapping the study area, clipped to it",
    }
    return grid
