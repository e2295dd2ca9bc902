"""Argument checks and small helpers shared by assign, places and overlay (private).

The checks every layer repeats (frames, CRSs) are in :mod:`geo_trygg._validate`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError

__all__ = [
    "area_ids_names",
    "check_point_geometries",
    "check_polygon_layer",
    "order_keys",
    "point_xy",
]

_POLYGONAL = (3, 6)  # shapely type ids: Polygon, MultiPolygon
_POINT = 0


def check_point_geometries(
    name: str, frame: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raise ConfigError when a geometry is not a Point; return (geometries, x, y).

    x and y are NaN for missing or empty points.
    """
    geoms = np.asarray(frame.geometry.array, dtype=object)
    x, y = point_xy(geoms)
    # get_x gives NaN for non-points: only those rows need a type check
    nan = np.flatnonzero(np.isnan(x))
    types = np.full(len(geoms), _POINT, dtype=np.int64)
    types[nan] = shapely.get_type_id(geoms[nan])
    bad = (types != _POINT) & (types != -1)
    if bad.any():
        bad &= ~shapely.is_empty(geoms)
    if bad.any():
        kinds = ", ".join(sorted({_type_name(t) for t in np.unique(types[bad])}))
        raise ConfigError(
            f"{name} must hold Point geometries (or missing ones); found {int(bad.sum())} of "
            f"type {kinds}, e.g. at index {frame.index[np.flatnonzero(bad)[0]]!r}. "
            "Use .representative_point() or .centroid to turn areas into points."
        )
    return geoms, x, y


def _type_name(type_id: int) -> str:
    return {
        0: "Point",
        1: "LineString",
        2: "LinearRing",
        3: "Polygon",
        4: "MultiPoint",
        5: "MultiLineString",
        6: "MultiPolygon",
        7: "GeometryCollection",
    }.get(int(type_id), str(type_id))


def point_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y per point; NaN for missing or empty points."""
    try:
        x = np.asarray(shapely.get_x(geoms), dtype=float)
        y = np.asarray(shapely.get_y(geoms), dtype=float)
    except shapely.errors.GEOSException:  # empty points: GEOS refuses getX on them
        geoms = geoms.copy()
        geoms[shapely.is_empty(geoms)] = None
        x = np.asarray(shapely.get_x(geoms), dtype=float)
        y = np.asarray(shapely.get_y(geoms), dtype=float)
    return x, y


def check_polygon_layer(name: str, frame: gpd.GeoDataFrame) -> np.ndarray:
    """Raise ConfigError for non-polygonal or invalid geometries; return the geometry array."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)
    bad = ~np.isin(types, (*_POLYGONAL, -1)) & ~shapely.is_empty(geoms)
    if bad.any():
        kinds = ", ".join(sorted({_type_name(t) for t in types[bad]}))
        raise ConfigError(
            f"{name} must hold Polygon or MultiPolygon geometries; found {int(bad.sum())} of "
            f"type {kinds}"
        )
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():
        first = frame.index[np.flatnonzero(invalid)[0]]
        raise ConfigError(
            f"{name} has {int(invalid.sum())} invalid polygon(s), e.g. at index {first!r}; "
            "repair them with shapely.make_valid (read_areas does this and reports it)"
        )
    return geoms


def area_ids_names(name: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``area_id`` and ``name`` per row as object arrays (None for missing).

    ``name`` is required; without an ``area_id`` column the name serves as the id.
    """
    if "name" not in frame.columns:
        raise ConfigError(
            f"{name} has no 'name' column; columns are {list(map(str, frame.columns))} "
            "(canonical area columns: area_id, name, level, valid_from, valid_to, geometry)"
        )
    names = _objects(frame["name"])
    ids = _objects(frame["area_id"]) if "area_id" in frame.columns else names.copy()
    return ids, names


def _objects(series: pd.Series) -> np.ndarray:
    values = series.to_numpy(dtype=object).copy()
    values[pd.isna(series).to_numpy()] = None
    return values


def order_keys(areas: np.ndarray, names: np.ndarray, ids: np.ndarray, geoms: np.ndarray) -> Any:
    """Tie-break rank per area: smallest area first, then name, then area_id, then geometry.

    The rank depends only on the areas themselves, never on the order of the rows.
    """
    wkb = shapely.to_wkb(geoms, hex=True)
    keys = [
        (
            float(a) if np.isfinite(a) else np.inf,
            "" if n is None else str(n),
            "" if i is None else str(i),
            "" if w is None else str(w),
        )
        for a, n, i, w in zip(areas, names, ids, wkb, strict=True)
    ]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return rank
