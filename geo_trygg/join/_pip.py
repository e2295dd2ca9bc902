"""Exact, vectorised point-in-polygon lookup over one layer of areas (private).

Design (chosen by measurement, see ``docs/benchmarks.md``):

1. **Grid routing.** For large inputs a regular grid is laid over the part of the layer's extent
   that holds points. Every cell that no polygon boundary touches (tested with the cell grown by
   a small margin, so that rounding in the cell lookup cannot misplace a point) lies wholly in
   one face of the polygons' arrangement: its answer is the answer for its centre, computed once.
   Points in such cells are looked up in O(1); only points in cells that a boundary crosses (about
   one in ten for Stockholm's 117 stadsdelar) go to step 2.
2. **Exact kernel.** Points sorted by x; for each polygon the points inside its bounding box are
   found with ``searchsorted`` on x and a mask on y, and tested with ``shapely.intersects_xy``
   (``covered_by``) or ``shapely.contains_xy`` (``within``) against the prepared polygon. GEOS
   releases the GIL, so large inputs are split over two threads. Every covering (point, area)
   pair is returned, so shared edges and overlaps are seen, never hidden.
3. **Boundary rule** (:func:`resolve`) for points covered by several areas.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["NUDGE_EAST", "NUDGE_NORTH", "AreaIndex", "Located", "resolve"]

NUDGE_EAST = 1e-3
"""Boundary rule: a point on a shared border is moved this far east (CRS units: 1 mm) ..."""
NUDGE_NORTH = 1e-3 / 1024
"""... and this far north (about 1 µm), and belongs to the area that then contains it."""

_GRID_MIN_POINTS = 20_000
_THREADS_MIN_TESTS = 150_000
_MISSING = -1
_MIXED = -2


def _n_threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Located:
    """Result of :meth:`AreaIndex.locate`.

    Attributes
    ----------
    idx : numpy.ndarray of int64
        Position of the chosen area in the layer, or -1 when no area covers the point.
    on_boundary : numpy.ndarray of bool
        Points with no area whose position lies on an area's boundary (only computed for
        ``predicate="within"``; all False otherwise).
    n_boundary : int
        Points covered by several areas along a shared border, resolved by the boundary rule.
    n_overlap : int
        Points inside two or more areas (the layer is not a partition there).
    """

    idx: np.ndarray
    on_boundary: np.ndarray
    n_boundary: int
    n_overlap: int


@dataclass(frozen=True)
class _Grid:
    x0: float
    y0: float
    w: float
    h: float
    x1: float
    y1: float
    nx: int
    ny: int
    padded: np.ndarray  # (ny + 2) x (nx + 2) cells, flat; a rim of "mixed" cells around

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Area position (>= 0), -1 (no area) or -2 (test exactly) per finite point."""
        i = np.floor((x - self.x0) / self.w)
        j = np.floor((y - self.y0) / self.h)
        np.clip(i, -1, self.nx, out=i)
        np.clip(j, -1, self.ny, out=j)
        j += 1
        j *= self.nx + 2
        j += i
        j += 1
        routed = self.padded[j.astype(np.int64)]
        # The grid spans the areas' bounding box (cut to the points' box): a point strictly
        # outside it is outside every area. Points on its rim go to the exact path.
        away = (x < self.x0) | (y < self.y0) | (x > self.x1) | (y > self.y1)
        routed[away] = _MISSING
        return routed


class AreaIndex:
    """Point-in-polygon index over one layer.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Polygons/MultiPolygons (None or empty rows never match). Those that may hold points
        are prepared in place on first use.
    order_key : numpy.ndarray of int
        Tie-break rank per area (lower wins) for :func:`resolve`; must be a total order that does
        not depend on the order of the rows.
    """

    def __init__(self, geoms: np.ndarray, order_key: np.ndarray) -> None:
        self.geoms = np.asarray(geoms, dtype=object)
        self.order_key = np.asarray(order_key, dtype=np.int64)
        usable = ~(shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms))
        self.usable = np.flatnonzero(usable)
        self.bounds = shapely.bounds(self.geoms)

    # -- exact kernel -------------------------------------------------------------------------
    def pairs(
        self, x: np.ndarray, y: np.ndarray, *, interior: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every (point position, area position) with the point in the area.

        ``interior=False`` tests *covers* (boundary included), ``True`` tests the interior.
        Pairs are sorted by point, then by area position.
        """
        n = len(x)
        if n == 0 or len(self.usable) == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        order = np.argsort(x)  # any order: pairs are sorted by (point, area) below
        xs = x[order]
        ys = y[order]
        test = shapely.contains_xy if interior else shapely.intersects_xy
        b = self.bounds[self.usable]
        lo = np.searchsorted(xs, b[:, 0], side="left")
        hi = np.searchsorted(xs, b[:, 2], side="right")
        # prepare (in place, once) only the polygons that may hold points, before any thread
        shapely.prepare(self.geoms[self.usable[hi > lo]])

        def one(k: int) -> np.ndarray:
            a, z = lo[k], hi[k]
            if a >= z:
                return np.empty(0, dtype=np.int64)
            yy = ys[a:z]
            cand = np.flatnonzero((yy >= b[k, 1]) & (yy <= b[k, 3]))
            if len(cand) == 0:
                return cand.astype(np.int64)
            cand += a
            hit = test(self.geoms[self.usable[k]], xs[cand], ys[cand])
            return cand[hit]

        ks = range(len(self.usable))
        work = int((hi - lo).sum())
        threads = _n_threads()
        if threads > 1 and work >= _THREADS_MIN_TESTS and len(self.usable) > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                hits = list(pool.map(one, ks))
        else:
            hits = [one(k) for k in ks]
        counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        if counts.sum() == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        pt = order[np.concatenate(hits)]
        area = np.repeat(self.usable, counts)
        srt = np.lexsort((area, pt))
        return pt[srt], area[srt]

    # -- grid -------------------------------------------------------------------------------
    def _grid(self, x: np.ndarray, y: np.ndarray) -> _Grid | None:
        """A routing grid for the (finite) coordinates ``x``, ``y``; None when not worth it."""
        if len(x) == 0 or len(x) < _GRID_MIN_POINTS or len(self.usable) == 0:
            return None
        b = self.bounds[self.usable]
        x0, y0 = max(b[:, 0].min(), x.min()), max(b[:, 1].min(), y.min())
        x1, y1 = min(b[:, 2].max(), x.max()), min(b[:, 3].max(), y.max())
        if not (x1 > x0 and y1 > y0):
            return None
        n = int(((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).sum())
        if n < _GRID_MIN_POINTS:
            return None
        # about four points per cell, at most 2**20 cells, roughly square cells
        n_cells = int(min(max(n / 4, 1024), 2**20))
        aspect = (x1 - x0) / (y1 - y0)
        nx = int(np.clip(round(np.sqrt(n_cells * aspect)), 1, 4096))
        ny = int(np.clip(round(n_cells / nx), 1, 4096))
        w = (x1 - x0) / nx
        h = (y1 - y0) / ny
        margin = max(w, h) * 1e-6 + 1e-9 * max(abs(x0), abs(y0), abs(x1), abs(y1), 1.0)
        # every boundary piece, clipped to the grid and cut into pieces shorter than half a cell
        near = self.usable[
            (b[:, 0] <= x1 + margin)
            & (b[:, 2] >= x0 - margin)
            & (b[:, 1] <= y1 + margin)
            & (b[:, 3] >= y0 - margin)
        ]
        bnd = shapely.clip_by_rect(
            shapely.boundary(self.geoms[near]),
            x0 - 2 * margin,
            y0 - 2 * margin,
            x1 + 2 * margin,
            y1 + 2 * margin,
        )
        bnd = shapely.segmentize(bnd, 0.5 * min(w, h))
        parts = shapely.get_parts(bnd)
        coords, which = shapely.get_coordinates(parts, return_index=True)
        mixed = np.zeros(ny * nx, dtype=bool)
        if len(coords) > 1:
            same = which[1:] == which[:-1]
            pa = coords[:-1][same]
            pb = coords[1:][same]
            i0 = np.floor((np.minimum(pa[:, 0], pb[:, 0]) - margin - x0) / w)
            i1 = np.floor((np.maximum(pa[:, 0], pb[:, 0]) + margin - x0) / w)
            j0 = np.floor((np.minimum(pa[:, 1], pb[:, 1]) - margin - y0) / h)
            j1 = np.floor((np.maximum(pa[:, 1], pb[:, 1]) + margin - y0) / h)
            i0, i1 = (np.clip(v, 0, nx - 1).astype(np.int64) for v in (i0, i1))
            j0, j1 = (np.clip(v, 0, ny - 1).astype(np.int64) for v in (j0, j1))
            span = int(max((i1 - i0).max(), (j1 - j0).max()))
            for di in range(span + 1):
                for dj in range(span + 1):
                    ok = (i0 + di <= i1) & (j0 + dj <= j1)
                    mixed[(j0 + dj)[ok] * nx + (i0 + di)[ok]] = True
        cell = np.full(ny * nx, _MIXED, dtype=np.int64)
        free = np.flatnonzero(~mixed)
        cx = x0 + (free % nx + 0.5) * w
        cy = y0 + (free // nx + 0.5) * h
        pt, area = self.pairs(cx, cy)
        counts = np.bincount(pt, minlength=len(free))
        values = np.full(len(free), _MISSING, dtype=np.int64)
        single = counts[pt] == 1
        values[pt[single]] = area[single]
        values[counts > 1] = _MIXED  # overlapping areas: let the exact path handle them
        cell[free] = values
        padded = np.full((ny + 2, nx + 2), _MIXED, dtype=np.int64)
        padded[1:-1, 1:-1] = cell.reshape(ny, nx)
        return _Grid(
            float(x0), float(y0), float(w), float(h), float(x1), float(y1), nx, ny, padded.ravel()
        )

    # -- public ------------------------------------------------------------------------------
    def locate(self, x: np.ndarray, y: np.ndarray, *, predicate: str = "covered_by") -> Located:
        """Choose at most one area per point (``x``/``y`` finite; NaN rows get -1)."""
        n = len(x)
        finite = np.isfinite(x) & np.isfinite(y)
        if not finite.all():
            idx = np.full(n, _MISSING, dtype=np.int64)
            on_boundary = np.zeros(n, dtype=bool)
            keep = np.flatnonzero(finite)
            sub = self.locate(x[keep], y[keep], predicate=predicate)
            idx[keep] = sub.idx
            on_boundary[keep] = sub.on_boundary
            return Located(idx, on_boundary, sub.n_boundary, sub.n_overlap)
        on_boundary = np.zeros(n, dtype=bool)
        grid = self._grid(x, y)
        if grid is not None:
            idx = grid.lookup(x, y)
            todo = np.flatnonzero(idx == _MIXED)
        else:
            idx = np.full(n, _MISSING, dtype=np.int64)
            todo = np.arange(n)
        if len(todo) == n:
            tx, ty = x, y
        else:
            tx, ty = x[todo], y[todo]
        interior = predicate == "within"
        pt, area = self.pairs(tx, ty, interior=interior)
        chosen, n_boundary, n_overlap = resolve(pt, area, tx, ty, self.geoms, self.order_key)
        idx[todo] = chosen
        if interior:
            none = np.flatnonzero(chosen == _MISSING)
            bpt, _ = self.pairs(tx[none], ty[none], interior=False)
            on_boundary[todo[none[np.unique(bpt)]]] = True
        return Located(idx, on_boundary, n_boundary, n_overlap)


def resolve(
    pt: np.ndarray,
    area: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    geoms: np.ndarray,
    order_key: np.ndarray,
) -> tuple[np.ndarray, int, int]:
    """Pick one area per point from candidate pairs by the boundary rule.

    Rule, for a point with several candidate areas: keep the candidates that contain the point
    moved :data:`NUDGE_EAST` east and :data:`NUDGE_NORTH` north (on a shared border: the area to
    the east; on an east-west border: the area to the north; at a corner: the area to the
    north-east), when at least one does; then the lowest ``order_key``. The result depends only on
    the geometries and the key, never on the order of rows.

    Parameters
    ----------
    pt, area : numpy.ndarray of int
        Candidate pairs (point position, area position), sorted by point.
    x, y : numpy.ndarray of float
        Point coordinates (indexed by ``pt``).
    geoms : numpy.ndarray
        The areas' geometries (indexed by ``area``).
    order_key : numpy.ndarray of int
        Tie-break rank per area.

    Returns
    -------
    chosen : numpy.ndarray of int64
        Area position per point (length ``len(x)``), -1 without candidates.
    n_boundary : int
        Points with several candidates none of whose interiors overlap at the point.
    n_overlap : int
        Points in the interior of two or more candidates.
    """
    n = len(x)
    chosen = np.full(n, _MISSING, dtype=np.int64)
    if len(pt) == 0:
        return chosen, 0, 0
    counts = np.bincount(pt, minlength=n)
    single = counts[pt] == 1
    chosen[pt[single]] = area[single]
    multi = ~single
    if not multi.any():
        return chosen, 0, 0
    mp, ma = pt[multi], area[multi]
    g = geoms[ma]
    survives = shapely.contains_xy(g, x[mp] + NUDGE_EAST, y[mp] + NUDGE_NORTH)
    inside = shapely.contains_xy(g, x[mp], y[mp])
    any_survivor = np.zeros(n, dtype=bool)
    any_survivor[mp[survives]] = True
    # rank: non-survivors lose when the point has a survivor; then the order key
    lose = ~survives & any_survivor[mp]
    srt = np.lexsort((order_key[ma], lose, mp))
    first = np.ones(len(srt), dtype=bool)
    first[1:] = mp[srt][1:] != mp[srt][:-1]
    chosen[mp[srt][first]] = ma[srt][first]
    n_inside = np.bincount(mp[inside], minlength=n)
    overlap = n_inside >= 2
    n_multi = int((counts >= 2).sum())
    n_overlap = int(overlap.sum())
    return chosen, n_multi - n_overlap, n_overlap
