"""``places_within``: which named places (platssamverkan sites) each point lies in or near."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._validate import check_geoframe, check_metric, check_same_crs
from geo_trygg.join._common import (
    area_ids_names,
    check_point_geometries,
)
from geo_trygg.join._pip import AreaIndex

__all__ = ["PLACES_COLUMNS", "places_within"]

PLACES_COLUMNS = ["point", "area_id", "name", "distance_m"]
"""Columns of the table :func:`places_within` returns."""

_POINT = 0
_POLYGONAL = (3, 6)


def _radius(value: Any, name: str) -> float:
    try:
        r = float(value)
    except (TypeError, ValueError):
        r = float("nan")
    if isinstance(value, bool) or not np.isfinite(r) or r < 0:
        raise ConfigError(f"{name}={value!r} must be a distance in metres >= 0")
    return r


def _place_radii(places: gpd.GeoDataFrame, is_point: np.ndarray, radius_m: Any) -> np.ndarray:
    default = None if radius_m is None else _radius(radius_m, "radius_m")
    radii = np.full(len(places), np.nan)
    if "radius_m" in places.columns:
        col = pd.to_numeric(places["radius_m"], errors="coerce").to_numpy(dtype=float)
        given = places["radius_m"].notna().to_numpy()
        bad = given & (~np.isfinite(col) | (col < 0))
        if bad.any():
            first = places.index[np.flatnonzero(bad)[0]]
            raise ConfigError(
                f"places['radius_m'] must hold distances in metres >= 0; "
                f"{int(bad.sum())} value(s) are not, e.g. at index {first!r}"
            )
        radii = np.where(given, col, np.nan)
    if default is not None:
        radii = np.where(np.isnan(radii), default, radii)
    lacking = is_point & np.isnan(radii)
    if lacking.any():
        first = places.index[np.flatnonzero(lacking)[0]]
        raise ConfigError(
            f"{int(lacking.sum())} place(s) are points without a radius (e.g. at index "
            f"{first!r}): pass radius_m=<metres> or give places a 'radius_m' column"
        )
    return radii


def places_within(
    points: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    radius_m: float | None = None,
) -> pd.DataFrame:
    """List the named places each point lies in (polygons) or near (points with a radius).

    A point may belong to several places; the table has one row per (point, place).

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points (missing geometries never match) in a metric CRS.
    places : geopandas.GeoDataFrame
        Named places: ``name`` (required), ``area_id`` (the name when absent), geometries that
        are polygons (a point belongs when the polygon covers it, boundary included) or points
        (a point belongs when it is at most the radius away), optionally a ``radius_m`` column.
    radius_m : float, optional
        Radius in metres for point places without a value in a ``radius_m`` column (a value in
        the column wins).

    Returns
    -------
    pandas.DataFrame
        Columns ``point`` (the point's index label), ``area_id``, ``name`` and ``distance_m``
        (from the point to the place geometry: 0 inside a polygon place, the straight-line
        distance to a point place). Sorted by the points' order, then distance, then name and
        ``area_id``; a fresh RangeIndex.

    Raises
    ------
    ConfigError
        Non-point ``points``, places that are neither polygons nor points, invalid polygons,
        point places without a radius, a negative radius, or a CRS that is not metric.
    CRSMismatchError
        When the two CRSs differ (the message names both).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(3, 4), Point(30, 0)], crs="EPSG:3006")
    >>> centre = gpd.GeoDataFrame({"name": ["Torget"]}, geometry=[Point(0, 0)],
    ...                           crs="EPSG:3006")
    >>> places_within(pts, centre, radius_m=10).to_dict("records")
    [{'point': 0, 'area_id': 'Torget', 'name': 'Torget', 'distance_m': 5.0}]
    """
    check_geoframe("points", points)
    check_geoframe("places", places)
    check_same_crs("points", points, "places", places)
    check_metric("points", points)
    _, x, y = check_point_geometries("points", points)
    pgeoms = np.asarray(places.geometry.array, dtype=object)
    ptypes = shapely.get_type_id(pgeoms)
    empty = shapely.is_empty(pgeoms) | (ptypes == -1)
    is_point = (ptypes == _POINT) & ~empty
    is_poly = np.isin(ptypes, _POLYGONAL) & ~empty
    bad = ~(is_point | is_poly | empty)
    if bad.any():
        raise ConfigError(
            f"places must hold Polygon/MultiPolygon or Point geometries; {int(bad.sum())} "
            f"do not, e.g. at index {places.index[np.flatnonzero(bad)[0]]!r}"
        )
    invalid = is_poly & ~shapely.is_valid(pgeoms)
    if invalid.any():
        raise ConfigError(
            f"places has {int(invalid.sum())} invalid polygon(s), e.g. at index "
            f"{places.index[np.flatnonzero(invalid)[0]]!r}; repair them with shapely.make_valid"
        )
    ids, names = area_ids_names("places", places)
    radii = _place_radii(places, is_point, radius_m)

    ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    px, py = x[ok], y[ok]
    pt_parts: list[np.ndarray] = []
    pl_parts: list[np.ndarray] = []
    d_parts: list[np.ndarray] = []

    poly_pos = np.flatnonzero(is_poly)
    if len(poly_pos) and len(ok):
        index = AreaIndex(pgeoms[poly_pos], np.zeros(len(poly_pos), dtype=np.int64))
        pt, area = index.pairs(px, py)
        pt_parts.append(ok[pt])
        pl_parts.append(poly_pos[area])
        d_parts.append(np.zeros(len(pt)))

    point_pos = np.flatnonzero(is_point)
    if len(point_pos) and len(ok):
        order = np.argsort(px, kind="stable")
        xs, ys = px[order], py[order]
        cx = shapely.get_x(pgeoms[point_pos])
        cy = shapely.get_y(pgeoms[point_pos])
        for k, pos in enumerate(point_pos):
            r = radii[pos]
            lo = np.searchsorted(xs, cx[k] - r, side="left")
            hi = np.searchsorted(xs, cx[k] + r, side="right")
            cand = np.arange(lo, hi)
            cand = cand[np.abs(ys[cand] - cy[k]) <= r]
            dist = np.hypot(xs[cand] - cx[k], ys[cand] - cy[k])
            near = dist <= r
            pt_parts.append(ok[order[cand[near]]])
            pl_parts.append(np.full(int(near.sum()), pos, dtype=np.int64))
            d_parts.append(dist[near])

    if pt_parts:
        pt_all = np.concatenate(pt_parts)
        pl_all = np.concatenate(pl_parts)
        d_all = np.concatenate(d_parts)
    else:
        pt_all = pl_all = np.empty(0, dtype=np.int64)
        d_all = np.empty(0)
    name_key = np.array(["" if v is None else str(v) for v in names], dtype=object)
    id_key = np.array(["" if v is None else str(v) for v in ids], dtype=object)
    if len(pt_all):
        srt = np.lexsort((pl_all, id_key[pl_all], name_key[pl_all], d_all, pt_all))
        pt_all, pl_all, d_all = pt_all[srt], pl_all[srt], d_all[srt]
    return pd.DataFrame(
        {
            "point": pd.Series(points.index[pt_all], dtype=points.index.dtype),
            "area_id": pd.Series(ids[pl_all], dtype=object),
            "name": pd.Series(names[pl_all], dtype=object),
            "distance_m": pd.Series(d_all, dtype=float),
        }
    )
