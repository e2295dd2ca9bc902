"""``overlay_areas``: the intersection of two area layers, with each piece's shares."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_geoframe, check_metric, check_same_crs
from geo_trygg.join._common import (
    area_ids_names,
    check_polygon_layer,
)

__all__ = ["CROSSWALK_COLUMNS", "PIECE_COLUMNS", "SLIVER_TOLERANCE_M2", "overlay_areas"]

SLIVER_TOLERANCE_M2 = 1.0
"""Pieces smaller than this (m², > 0) are slivers from boundaries digitised slightly apart:
dropped, counted in ``pieces.attrs["n_slivers"]`` and reported in a warning."""

PIECE_COLUMNS = ["a_id", "a_name", "b_id", "b_name", "area_m2", "share_of_a", "share_of_b"]
"""Columns of the pieces table (plus ``geometry``)."""
CROSSWALK_COLUMNS = ["a_name", "b_name", "area_m2", "share_of_a", "share_of_b"]
"""Columns of the crosswalk table."""

_POLYGONAL = (3, 6)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep the polygonal part of each intersection (drop touching lines and points)."""
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    for k in np.flatnonzero(~np.isin(types, _POLYGONAL)):
        parts = shapely.get_parts(geoms[k])
        while True:
            nested = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
            if not nested.any():
                break
            parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
        polys = parts[shapely.get_type_id(parts) == 3]
        out[k] = shapely.multipolygons(polys) if len(polys) else shapely.Polygon()
    return out


def _keys(values: np.ndarray) -> np.ndarray:
    return np.array(["" if v is None else str(v) for v in values], dtype=object)


def overlay_areas(
    a: gpd.GeoDataFrame, b: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Intersect two area layers: the pieces, their areas and shares, and a crosswalk.

    Typical use: stadsdelsområden × LPOs, to see the shared responsibility zones.

    Parameters
    ----------
    a, b : geopandas.GeoDataFrame
        Area layers with ``name`` (required), ``area_id`` (the name when absent), valid
        Polygon/MultiPolygon geometries, in the same metric CRS.

    Returns
    -------
    pieces : geopandas.GeoDataFrame
        One row per overlapping (a row, b row) pair: ``a_id``, ``a_name``, ``b_id``, ``b_name``,
        ``area_m2`` (the piece's area), ``share_of_a`` (piece area / area of the a row),
        ``share_of_b`` and the piece ``geometry``; sorted by ``a_id``, ``a_name``, ``b_id``,
        ``b_name``. Pieces under :data:`SLIVER_TOLERANCE_M2` are dropped and counted in
        ``pieces.attrs["n_slivers"]``; pairs that only touch give no piece.
    crosswalk : pandas.DataFrame
        Many-to-many table by name: ``a_name``, ``b_name``, ``area_m2``, ``share_of_a`` (share
        of all a rows of that name), ``share_of_b``; sorted by ``a_name``, ``b_name``.

    Raises
    ------
    ConfigError
        Missing ``name``, non-polygonal or invalid geometries, or a CRS that is not metric.
    CRSMismatchError
        When the two layers' CRSs differ (the message names both).

    Warns
    -----
    GeoTryggWarning
        When slivers were dropped.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> a = gpd.GeoDataFrame({"name": ["A"]}, geometry=[box(0, 0, 10, 10)], crs="EPSG:3006")
    >>> b = gpd.GeoDataFrame({"name": ["B"]}, geometry=[box(5, 0, 25, 10)], crs="EPSG:3006")
    >>> pieces, cw = overlay_areas(a, b)
    >>> cw.to_dict("records")
    [{'a_name': 'A', 'b_name': 'B', 'area_m2': 50.0, 'share_of_a': 0.5, 'share_of_b': 0.25}]
    """
    check_geoframe("a", a)
    check_geoframe("b", b)
    check_same_crs("a", a, "b", b)
    check_metric("a", a)
    ga = check_polygon_layer("a", a)
    gb = check_polygon_layer("b", b)
    a_ids, a_names = area_ids_names("a", a)
    b_ids, b_names = area_ids_names("b", b)

    usable_b = np.flatnonzero(~(shapely.is_missing(gb) | shapely.is_empty(gb)))
    usable_a = np.flatnonzero(~(shapely.is_missing(ga) | shapely.is_empty(ga)))
    tree = shapely.STRtree(gb[usable_b])
    qa, qb = tree.query(ga[usable_a], predicate="intersects")
    ai, bi = usable_a[qa], usable_b[qb]
    pieces = _polygonal(shapely.intersection(ga[ai], gb[bi]))
    area = shapely.area(pieces)
    sliver = (area > 0) & (area < SLIVER_TOLERANCE_M2)
    keep = area >= SLIVER_TOLERANCE_M2
    n_slivers = int(sliver.sum())
    ai, bi, pieces, area = ai[keep], bi[keep], pieces[keep], area[keep]
    area_a = shapely.area(ga)
    area_b = shapely.area(gb)
    srt = np.lexsort(
        (bi, ai, _keys(b_names[bi]), _keys(b_ids[bi]), _keys(a_names[ai]), _keys(a_ids[ai]))
    )
    ai, bi, pieces, area = ai[srt], bi[srt], pieces[srt], area[srt]
    table = gpd.GeoDataFrame(
        {
            "a_id": pd.Series(a_ids[ai], dtype=object),
            "a_name": pd.Series(a_names[ai], dtype=object),
            "b_id": pd.Series(b_ids[bi], dtype=object),
            "b_name": pd.Series(b_names[bi], dtype=object),
            "area_m2": area,
            "share_of_a": area / area_a[ai],
            "share_of_b": area / area_b[bi],
        },
        geometry=gpd.GeoSeries(pieces, crs=a.crs),
    )
    table.attrs["n_slivers"] = n_slivers
    if n_slivers:
        warnings.warn(
            msg("join_slivers", n=n_slivers, tol=f"{SLIVER_TOLERANCE_M2:g}"),
            GeoTryggWarning,
            stacklevel=2,
        )

    totals_a = pd.Series(area_a).groupby(_keys(a_names)).sum()
    totals_b = pd.Series(area_b).groupby(_keys(b_names)).sum()
    grouped = (
        pd.DataFrame({"a_name": _keys(a_names[ai]), "b_name": _keys(b_names[bi]), "area_m2": area})
        .groupby(["a_name", "b_name"], sort=True)["area_m2"]
        .sum()
        .reset_index()
    )
    grouped["share_of_a"] = grouped["area_m2"] / totals_a.reindex(grouped["a_name"]).to_numpy()
    grouped["share_of_b"] = grouped["area_m2"] / totals_b.reindex(grouped["b_name"]).to_numpy()
    return table, grouped[CROSSWALK_COLUMNS]
