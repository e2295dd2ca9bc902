"""A page map's context: the page's area among its neighbours, its sub-areas coloured.

A pack page's map (``lagesbild_map(lb, level=..., page=name)``) draws, from the FULL lägesbild:

- the **page's area** outlined thick and on top;
- its **neighbours** of the same level — the areas that touch it (share at least one boundary
  point with it, ``shapely.intersects``; corner neighbours count) — drawn lighter, each with a
  permanent name label;
- its **sub-areas**: the areas of the next finer level of the lägesbild that lie in it (a
  sub-area lies in the page's area when more than half of it does, by area), coloured by the
  indicator with classes computed over the WHOLE finer level, so a colour means the same on
  every page. The next finer level is the level with the fewest areas among those that nest
  in the page's level (:func:`finer_level`). Without a finer level, the page's area and its
  neighbours are coloured, with classes computed over the whole page level.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["NEST_SHARE", "finer_level", "inside", "neighbours", "page_levels"]

NEST_SHARE = 0.8
"""A level nests in another when at least this share of its areas each lie (by area) at least
this share inside one area of the other."""


def _union(frame: gpd.GeoDataFrame, name: str) -> Any:
    return shapely.union_all(frame.loc[frame["name"] == name].geometry.to_numpy())


def neighbours(frame: gpd.GeoDataFrame, name: str) -> list[str]:
    """The names of the areas of ``frame`` that touch the area ``name`` (sorted).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"name": ["a", "b", "c"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)])
    >>> neighbours(g, "a")
    ['b']
    """
    area = _union(frame, name)
    hit = shapely.intersects(frame.geometry.to_numpy(), area)
    names = frame["name"].astype(str).to_numpy()
    return sorted({n for n, h in zip(names, hit, strict=True) if h and n != name})


def _shares(geoms: np.ndarray, area: Any) -> np.ndarray:
    """The share of each of ``geoms``' area that lies in ``area`` (0 for an empty one)."""
    own = shapely.area(geoms)
    common = shapely.area(shapely.intersection(geoms, area))
    return np.divide(common, own, out=np.zeros(len(geoms)), where=own > 0)


def inside(frame: gpd.GeoDataFrame, area: Any) -> np.ndarray:
    """Which rows of ``frame`` lie in ``area``: those with more than half their area in it
    (an area-in-area test by overlap; no point is placed here)."""
    return np.asarray(_shares(frame.geometry.to_numpy(), area) > 0.5, dtype=bool)


_NESTED: dict[tuple[int, int], tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, bool]] = {}
"""The last answers of :func:`_nests`, by the two frames (kept, so their ids stay theirs): a
pack asks it for every page of a level about the same two frames."""


def _nests(fine: gpd.GeoDataFrame, coarse: gpd.GeoDataFrame) -> bool:
    """Whether at least :data:`NEST_SHARE` of the areas of ``fine`` each lie, by area, at
    least :data:`NEST_SHARE` in one area of ``coarse``."""
    known = _NESTED.get((id(fine), id(coarse)))
    if known is not None and known[0] is fine and known[1] is coarse:
        return known[2]
    if len(_NESTED) >= 16:
        _NESTED.clear()
    answer = _share_nested(fine, coarse)
    _NESTED[(id(fine), id(coarse))] = (fine, coarse, answer)
    return answer


def _share_nested(fine: gpd.GeoDataFrame, coarse: gpd.GeoDataFrame) -> bool:
    geoms = fine.geometry.to_numpy()
    coarse_geoms = coarse.geometry.to_numpy()
    fine_idx, coarse_idx = shapely.STRtree(coarse_geoms).query(geoms, predicate="intersects")
    best = np.zeros(len(geoms))
    if len(fine_idx):
        common = shapely.area(shapely.intersection(geoms[fine_idx], coarse_geoms[coarse_idx]))
        own = shapely.area(geoms[fine_idx])
        share = np.divide(common, own, out=np.zeros(len(own)), where=own > 0)
        np.maximum.at(best, fine_idx, share)
    return int((best >= NEST_SHARE).sum()) >= NEST_SHARE * len(geoms)


def finer_level(geography: dict[str, gpd.GeoDataFrame], levels: Any, level: str) -> str | None:
    """The next finer level of ``levels`` under ``level``: among the levels (pair levels
    ``a_x_b`` included) with more areas of smaller mean size that nest in ``level``, the one
    with the fewest areas; None when there is none."""
    coarse = geography[level]
    if not len(coarse):
        return None
    mean = float(shapely.area(coarse.geometry.to_numpy()).mean())
    candidates = []
    for other in levels:
        frame = geography.get(other)
        if other == level or frame is None or len(frame) <= len(coarse):
            continue
        if float(shapely.area(frame.geometry.to_numpy()).mean()) >= mean:
            continue
        if _nests(frame, coarse):
            candidates.append((len(frame), other))
    return min(candidates)[1] if candidates else None


def page_levels(lagesbild: Any, level: str) -> tuple[str, ...]:
    """The levels a page map of ``level`` draws from the whole lägesbild: ``level`` itself
    (the page's area and its neighbours) and its next finer level, when there is one (the
    sub-areas, coloured with classes over that whole level). A page's map changes only when
    these levels' counts or boundaries change.

    Parameters
    ----------
    lagesbild : Lagesbild
    level : str
        A level of ``lagesbild``.

    Returns
    -------
    tuple of str
    """
    geography = lagesbild.geography
    levels = [lvl for lvl in lagesbild.levels if lvl in geography]
    finer = finer_level(geography, levels, level) if level in geography else None
    return (level,) if finer is None else (level, finer)
