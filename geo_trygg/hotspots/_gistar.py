"""Getis-Ord Gi* per cell, with two-sided p-values and the Benjamini–Hochberg adjustment.

**The statistic** is the classical Gi* of Getis & Ord (1992) and Ord & Getis (1995), as ArcGIS's
Hot Spot Analysis reports it: binary weights that include the cell itself, and the z-score

``z_i = (Σ_j w_ij x_j − x̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1)))``

with ``W_i = Σ_j w_ij`` (the cell and its neighbours), ``x̄`` the mean and ``S`` the
population standard deviation of all ``n`` cells' values. It equals esda's
``G_Local(y, w, star=True, transform="B").Zs`` (a test checks to 1e-9); esda's default
row-standardised transform gives different z-scores.

**Neighbours**: a distance band between cell centres (default ``1.5 · sqrt(cell area)``: the 8
surrounding squares of a square grid, the 6 surrounding hexagons of an H3 grid), or the ``k``
nearest cells.

**p-values and FDR.** The p-value is two-sided, ``2 · (1 − Φ(|z|))`` (esda's ``p_norm`` is
one-sided). With many cells many would pass 5 % by chance, so the p-values are adjusted with
Benjamini–Hochberg over all cells (``fdr=True``, the default; Caldas de Castro & Singer 2006).
**Classes** come from the sign of ``z`` — never from the raw counts — and the adjusted p-value:
hot or cold at 99 % (p ≤ 0.01), 95 % (p ≤ 0.05) or 90 % (p ≤ 0.10), else not significant.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree
from scipy.stats import norm

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.hotspots._points import check_metric
from geo_trygg.stats import benjamini_hochberg

__all__ = [
    "HOTSPOT_CLASSES",
    "binary_weights",
    "gi_star",
    "gi_star_z",
    "hotspot_classes",
    "lattice_centres",
]

HOTSPOT_CLASSES = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)
"""Class codes, hottest first."""
_LEVELS = ((0.01, "99"), (0.05, "95"), (0.10, "90"))


def binary_weights(
    x: np.ndarray, y: np.ndarray, *, distance: float | None = None, k: int | None = None
) -> sparse.csr_matrix:
    """Binary weights including the cell itself: within ``distance`` metres, or the ``k``
    nearest other cells (and the cell). Exactly one of the two.

    Examples
    --------
    >>> w = binary_weights(np.array([0.0, 100, 200]), np.zeros(3), distance=150)
    >>> w.toarray().astype(int).tolist()
    [[1, 1, 0], [1, 1, 1], [0, 1, 1]]
    """
    xy = np.column_stack([x, y])
    n = len(xy)
    tree = cKDTree(xy)
    if (distance is None) == (k is None):
        raise ConfigError("give exactly one of distance= (metres) and k= (nearest neighbours)")
    if distance is not None:
        pairs = tree.query_pairs(float(distance), output_type="ndarray")
        rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    else:
        assert k is not None
        kk = min(k + 1, n)
        _, idx = tree.query(xy, k=kk)
        idx = np.asarray(idx).reshape(n, kk)
        rows = np.repeat(np.arange(n), kk)
        cols = idx.ravel()
        rows, cols = np.concatenate([rows, np.arange(n)]), np.concatenate([cols, np.arange(n)])
    w = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    w.data[:] = 1.0  # duplicates (the cell itself among its k nearest) count once
    return w


def gi_star_z(values: Any, weights: sparse.spmatrix) -> np.ndarray:
    """Gi* z-scores of ``values`` (one per cell) with binary ``weights`` that include the cell
    itself (see the module docstring). NaN when all values are equal.

    Examples
    --------
    Five cells in a row, each with its neighbours at 100 m. By hand: ``x̄ = 1.4``,
    ``S = sqrt(5.4 − 1.96) = 1.8547``; the middle cell sums 7 over ``W = 3`` cells, so
    ``z = (7 − 4.2) / (1.8547 · sqrt((15 − 9) / 4)) = 1.2326``.

    >>> w = binary_weights(np.arange(5) * 100.0, np.zeros(5), distance=150)
    >>> np.round(gi_star_z([0, 1, 5, 1, 0], w), 4).tolist()
    [-0.7924, 0.7924, 1.2326, 0.7924, -0.7924]
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = x.mean()
    s = math.sqrt(max(float((x * x).mean() - mean * mean), 0.0))
    wi = np.asarray(weights.sum(axis=1)).ravel()
    local = weights @ x
    with np.errstate(divide="ignore", invalid="ignore"):
        den = s * np.sqrt((n * wi - wi * wi) / (n - 1))
        z = (local - mean * wi) / den
    return np.where(den > 0, z, np.nan)


def hotspot_classes(z: np.ndarray, p_adjusted: np.ndarray) -> np.ndarray:
    """Class code per cell from the sign of ``z`` and the adjusted p-value (module
    docstring)."""
    out = np.full(len(z), "not_significant", dtype=object)
    for level, name in reversed(_LEVELS):  # the strictest level last, so it wins
        hit = p_adjusted <= level
        out[hit & (z > 0)] = f"hot_{name}"
        out[hit & (z < 0)] = f"cold_{name}"
    return out


def gi_star(
    cells: Any,
    *,
    value: str = "n",
    distance: float | None = None,
    k: int | None = None,
    fdr: bool = True,
) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* hot and cold spots of a value per cell.

    Parameters
    ----------
    cells : geopandas.GeoDataFrame
        Cells with a value, e.g. from :func:`~geo_trygg.hotspots.count_points`. Neighbours
        are found between the squares' lattice centres for square grids, else between the
        ``x``/``y`` columns (else the polygons' centroids).
    value : str, default "n"
        The column tested (counts, or a weighted sum).
    distance : float, optional
        Distance band in metres between cell centres; default ``1.5 · sqrt(mean cell area)``.
    k : int, optional
        Use the ``k`` nearest cells instead of a distance band.
    fdr : bool, default True
        Adjust the p-values with Benjamini–Hochberg over all cells; False leaves them as they
        are (``p_adjusted`` equals ``p_value``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``cells`` with ``gi_z``, ``p_value`` (two-sided), ``p_adjusted``, ``hotspot`` (a code
        of :data:`HOTSPOT_CLASSES`; ``geo_trygg.labels.with_words`` adds its words,
        ``hotspot_label``) and ``n_neighbours`` (including the cell). ``attrs["gi_star"]``
        holds the parameters.

    Raises
    ------
    ConfigError
        Bad arguments, fewer than 3 cells, or a value column that is missing, not numeric or
        has missing values.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 500, 500)], crs="EPSG:3006"), cell_size=100)
    >>> grid["n"] = 0
    >>> grid.loc[[6, 7, 8, 11, 12, 13, 16, 17, 18], "n"] = 10  # the middle 3 × 3 block
    >>> hot = gi_star(grid)
    >>> int(hot.loc[12, "n_neighbours"]), round(float(hot.loc[12, "gi_z"]), 3)
    (9, 4.899)
    >>> hot.loc[12, "hotspot"], hot.loc[0, "hotspot"]
    ('hot_99', 'not_significant')
    >>> from geo_trygg.labels import with_words
    >>> with_words(hot, lang="en").loc[12, "hotspot_label"]
    'hot spot (99 %)'
    """
    frame = check_metric(cells, "cells")
    if value not in frame.columns:
        raise ConfigError(
            f"value={value!r} is not a column of cells; count the points first "
            "(count_points) or name a numeric column"
        )
    x = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float)
    if np.isnan(x).any():
        raise ConfigError(f"value={value!r} has {int(np.isnan(x).sum())} missing value(s)")
    if len(frame) < 3:
        raise ConfigError(f"Gi* needs at least 3 cells; got {len(frame)}")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise ConfigError(f"k={k!r} must be a whole number >= 1")
    if distance is not None and (
        isinstance(distance, bool) or not isinstance(distance, int | float) or not distance > 0
    ):
        raise ConfigError(f"distance={distance!r} must be a positive number of metres")
    if k is None and distance is None:
        nominal = frame.attrs.get("grid", {}).get("cell_area_m2")
        distance = 1.5 * math.sqrt(float(nominal or frame.geometry.area.mean()))
    cx, cy = lattice_centres(frame)
    w = binary_weights(cx, cy, distance=distance, k=k)
    z = gi_star_z(x, w)
    if np.isnan(z).all():
        warnings.warn(msg("hotspot_no_variation", value=value), GeoTryggWarning, stacklevel=2)
    p = np.where(np.isnan(z), np.nan, 2 * norm.sf(np.abs(z)))
    p_adj = benjamini_hochberg(p) if fdr else p
    classes = hotspot_classes(np.nan_to_num(z), np.where(np.isnan(p_adj), 1.0, p_adj))
    out = frame.copy()
    out["gi_z"] = z
    out["p_value"] = p
    out["p_adjusted"] = p_adj
    out["hotspot"] = classes
    out["n_neighbours"] = np.asarray(w.sum(axis=1)).ravel().astype(np.int64)
    out.attrs = {
        **frame.attrs,
        "gi_star": {
            "statistic": "Getis-Ord Gi* (binary weights including the cell itself)",
            "value": value,
            "neighbours": f"distance band {distance:g} m" if k is None else f"{k} nearest",
            "p_value": "two-sided, normal approximation",
            "adjustment": "Benjamini-Hochberg over all cells" if fdr else "none",
            "n_cells": len(out),
            "confidence_levels": [0.90, 0.95, 0.99],
        },
    }
    return out


def lattice_centres(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where a cell is for its neighbours: for squares of ``make_grid`` the centre of the
    square in the lattice (clipping at the coast moves no neighbour), else ``x``/``y``, else
    the centroid."""
    info = frame.attrs.get("grid", {})
    if info.get("grid_type") == "square" and {"row", "col"} <= set(frame.columns):
        size = float(info["cell_size_m"])
        x0, y0 = info["origin"]
        return (
            x0 + (frame["col"].to_numpy() + 0.5) * size,
            y0 + (frame["row"].to_numpy() + 0.5) * size,
        )
    if {"x", "y"} <= set(frame.columns):
        return frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    centroids = frame.geometry.centroid
    return centroids.x.to_numpy(), centroids.y.to_numpy()
