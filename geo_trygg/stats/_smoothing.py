"""Rates that small areas do not distort: empirical Bayes smoothing of per-1,000 rates.

A raw rate ``events / population`` of an area with 200 inhabitants jumps from 0 to 5 per 1,000
with one event; ranked beside a district of 20,000 it comes first or last by chance. Empirical
Bayes smoothing moves each raw rate towards a prior rate, the further the fewer people it rests
on, by the method of moments of Marshall (1991), as GeoDa and PySAL's ``esda.smoothing`` do:

- prior rate ``m = Σ e / Σ b`` (all events over all people);
- between-area variance ``a = Σ b_i (r_i − m)² / Σ b − m / b̄`` with ``r_i = e_i / b_i``
  and ``b̄`` the mean population; a negative estimate (the rates vary no more than chance
  alone would make them) is set to 0;
- weight ``w_i = a / (a + m / b_i)`` and smoothed rate ``w_i r_i + (1 − w_i) m``.

So the smoothed rate lies between the raw rate and the prior, a bigger population keeps more
of its own rate, and where all raw rates are equal nothing moves. :func:`empirical_bayes_rates`
uses one prior for all areas (*global*, as ``esda.smoothing.Empirical_Bayes``);
:func:`spatial_empirical_bayes_rates` gives each area the prior of its neighbourhood (*spatial*,
as ``esda.smoothing.Spatial_Empirical_Bayes``): the area **and** its neighbours, so ``m_i``,
``a_i`` and the mean population ``B_i / k_i`` are the sums above over the ``k_i`` members of
that neighbourhood (the area included once, its neighbours with weight 1).

Rules beyond the formulas (the same in both functions):

- **Per 1,000**: the rates are returned per ``per`` inhabitants, 1,000 by default
  (``e / b × 1000``), as the lägesbild's ``per_1000``.
- **Missing or zero population, missing events**: such an area has no rate; it gets NaN
  (never 0) and is left out of every sum, so it moves no other area's prior (nor, in the
  spatial version, its neighbours' neighbourhoods). Negative events or population are refused.
- **Negative variance**: ``a < 0`` is set to 0, so the area gets the prior rate. This is the
  rule of Marshall and of esda's spatial smoother; esda's global ``Empirical_Bayes``
  (version 2.9) does not clip, which can give weights outside 0–1 (a smoothed rate beyond
  the raw one); where its estimate is positive the two agree.
- **No events at all** (a prior of 0): the smoothed rate is 0 (esda divides 0 by 0).

Neighbours for the spatial version are given as plain lists (no spatial-weights library at run
time); :func:`queen_neighbours` derives queen contiguity from polygons.

References
----------
Marshall, R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators.
*Journal of the Royal Statistical Society C (Applied Statistics)* 40(2), 283–294.

Anselin, L., Lozano, N. & Koschinsky, J. (2006). Rate transformations and smoothing. GeoDa
Center, University of Illinois.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError

__all__ = ["empirical_bayes_rates", "queen_neighbours", "spatial_empirical_bayes_rates"]

PER_1000 = 1000.0
"""The default ``per``: rates per 1,000 inhabitants."""

_CHUNK = 2048
"""Polygons queried at a time by :func:`queen_neighbours` (bounds the pairs held at once)."""


def _values(values: Any, name: str) -> tuple[np.ndarray, pd.Index | None]:
    try:
        if isinstance(values, pd.Series):
            numbers = pd.to_numeric(values).to_numpy(dtype=float, na_value=np.nan)
            return numbers, values.index
        numbers = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{name} must be numbers (a Series or an array): {error}") from None
    return numbers, None


def _inputs(events: Any, population: Any, per: Any) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Aligned float arrays and the output index; ConfigError on any bad input."""
    if isinstance(per, bool) or not isinstance(per, int | float) or not 0 < per < np.inf:
        raise ConfigError(f"per={per!r} must be a positive number (1000: rates per 1,000)")
    e, e_index = _values(events, "events")
    b, b_index = _values(population, "population")
    if e_index is not None and b_index is not None and not e_index.equals(b_index):
        if not (e_index.is_unique and b_index.is_unique and set(e_index) == set(b_index)):
            raise ConfigError(
                "events and population must have the same index (one value per area each)"
            )
        b = b[b_index.get_indexer(e_index)]
    if len(e) != len(b):
        raise ConfigError(
            f"events has {len(e)} values but population {len(b)}; give one of each per area"
        )
    if np.any(e < 0) or np.any(b < 0):
        raise ConfigError("events and population must not be negative")
    if np.any(np.isinf(e)) or np.any(np.isinf(b)):
        raise ConfigError("events and population must be finite numbers (or missing)")
    index = e_index if e_index is not None else b_index
    return e, b, index if index is not None else pd.RangeIndex(len(e))


def _smoothed(rate: np.ndarray, prior: np.ndarray, variance: np.ndarray, b: np.ndarray) -> Any:
    """``w r + (1 − w) m`` with ``w = a / (a + m / b)``, ``a`` clipped at 0, 0 where m = 0."""
    a = np.maximum(variance, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = a / (a + prior / b)
    weight = np.where(prior > 0, weight, 0.0)
    return prior + (rate - prior) * weight


def empirical_bayes_rates(
    events: Any, population: Any, *, per: float = PER_1000, name: str = "per_1000_eb"
) -> pd.Series:
    """Global empirical Bayes rates per ``per`` inhabitants (see the module docstring).

    The same as ``esda.smoothing.Empirical_Bayes(events, population).r * per`` where the
    variance estimate is positive, with the rules of the module docstring where it is not and
    for missing or zero populations.

    Parameters
    ----------
    events : pandas.Series or array-like of float
        Events per area (counts, >= 0; missing allowed).
    population : pandas.Series or array-like of float
        Inhabitants per area (>= 0; missing or 0 gives NaN). Two Series must hold the same
        labels (population is aligned to the events' order).
    per : float, default 1000
        Rates per this many inhabitants.
    name : str, default "per_1000_eb"
        The name of the returned Series.

    Returns
    -------
    pandas.Series
        The smoothed rate per area, float, with the index of ``events`` (or of
        ``population``, or 0, 1, …), named ``name``; NaN where population is missing or 0 or
        events are missing.

    Raises
    ------
    ConfigError
        Different lengths or labels, negative or infinite values, non-numbers, ``per`` not a
        positive number.

    Examples
    --------
    Two areas of 1,000 and one of 100 inhabitants: the prior is 12 / 2,100, and the small
    area's raw 20 per 1,000 is pulled most of the way down to it (the prior is 5.71).

    >>> rates = empirical_bayes_rates(
    ...     pd.Series([2, 8, 2], index=["A", "B", "C"]), pd.Series([1000, 1000, 100],
    ...     index=["A", "B", "C"]))
    >>> rates.round(2)
    A    3.30
    B    7.20
    C    7.95
    Name: per_1000_eb, dtype: float64
    """
    e, b, index = _inputs(events, population, per)
    known = ~np.isnan(e) & ~np.isnan(b) & (b > 0)
    out = np.full(len(e), np.nan)
    if known.any():
        ek, bk = e[known], b[known]
        prior = ek.sum() / bk.sum()
        rate = ek / bk
        variance = (bk * (rate - prior) ** 2).sum() / bk.sum() - prior / bk.mean()
        out[known] = _smoothed(rate, np.full(len(ek), prior), np.full(len(ek), variance), bk)
    return pd.Series(out * per, index=index, name=name)


def _neighbour_lists(neighbours: Any, index: pd.Index) -> list[list[int]]:
    """Neighbours as positions: a mapping label → labels, or a sequence of position lists."""
    n = len(index)
    if isinstance(neighbours, Mapping):
        if not index.is_unique:
            raise ConfigError("neighbours by label need areas with unique labels")
        unknown = [k for k in neighbours if k not in index]
        if unknown:
            raise ConfigError(f"neighbours names areas that are not in events: {unknown[:5]!r}")
        lists: list[list[int]] = [[] for _ in range(n)]
        for key, labels in neighbours.items():
            members = list(_iterable(labels, key))
            positions = index.get_indexer(members)
            if (positions < 0).any():
                lost = [m for m, p in zip(members, positions, strict=True) if p < 0]
                raise ConfigError(
                    f"neighbours[{key!r}] names areas that are not in events: {lost[:5]!r}"
                )
            lists[index.get_loc(key)] = [int(p) for p in positions]
        return lists
    if isinstance(neighbours, Sequence) and not isinstance(neighbours, str | bytes):
        if len(neighbours) != n:
            raise ConfigError(
                f"neighbours has {len(neighbours)} lists but there are {n} areas; give one "
                "list of neighbour positions per area (or a mapping by label)"
            )
        out = []
        for i, members in enumerate(neighbours):
            positions = [int(p) for p in _iterable(members, i)]
            if any(p < 0 or p >= n for p in positions):
                raise ConfigError(f"neighbours[{i}] holds a position outside 0…{n - 1}")
            out.append(positions)
        return out
    raise ConfigError(
        "neighbours must be a mapping {area: [neighbour areas]} or a list of lists of "
        f"positions; got {type(neighbours).__name__}"
    )


def _iterable(members: Any, key: Any) -> Iterable[Any]:
    if isinstance(members, str | bytes) or not isinstance(members, Iterable):
        raise ConfigError(f"neighbours[{key!r}] must be a list of areas, got {members!r}")
    return members


def spatial_empirical_bayes_rates(
    events: Any,
    population: Any,
    neighbours: Mapping[Any, Iterable[Any]] | Sequence[Iterable[int]],
    *,
    per: float = PER_1000,
    name: str = "per_1000_spatial_eb",
) -> pd.Series:
    """Spatial empirical Bayes rates: each area's prior from its neighbourhood.

    The neighbourhood of an area is the area itself and its neighbours (each once, weight 1;
    an area listed as its own neighbour counts once), as in
    ``esda.smoothing.Spatial_Empirical_Bayes`` with binary contiguity weights: the prior
    ``m_i = Σ e / Σ b``, the variance ``a_i = Σ b_j (r_j − m_i)² / B_i − m_i k_i / B_i`` over
    the ``k_i`` members ``j`` with ``B_i = Σ b_j``, clipped at 0, and the smoothed rate
    ``m_i + (r_i − m_i) a_i / (a_i + m_i / b_i)``. Areas without a rate (module docstring) are
    left out of every neighbourhood. An area without neighbours is its own neighbourhood: its
    variance is negative, so it keeps its raw rate (its prior is its own rate).

    Parameters
    ----------
    events, population : pandas.Series or array-like of float
        As :func:`empirical_bayes_rates`.
    neighbours : mapping or sequence
        Either a mapping from each area's label (the index of ``events``) to the labels of its
        neighbours (areas missing from it have none), e.g. from :func:`queen_neighbours`; or
        one list of neighbour *positions* (0, 1, …) per area, in the order of ``events``.
        Neighbours need not be symmetric: each area's own list is used.
    per : float, default 1000
        Rates per this many inhabitants.
    name : str, default "per_1000_spatial_eb"
        The name of the returned Series.

    Returns
    -------
    pandas.Series
        As :func:`empirical_bayes_rates`.

    Raises
    ------
    ConfigError
        As :func:`empirical_bayes_rates`; neighbours naming unknown areas or positions, or of
        the wrong shape.

    Examples
    --------
    Three areas in a row, A – B – C: B's neighbourhood is all three, A's is A and B, C's is
    B and C, so the small area C is pulled towards 10 / 1,100 (9.09), not the global 5.71.

    >>> rates = spatial_empirical_bayes_rates(
    ...     pd.Series([2, 8, 2], index=["A", "B", "C"]),
    ...     pd.Series([1000, 1000, 100], index=["A", "B", "C"]),
    ...     {"A": ["B"], "B": ["A", "C"], "C": ["B"]})
    >>> rates.round(2)
    A    3.67
    B    7.20
    C    9.09
    Name: per_1000_spatial_eb, dtype: float64
    """
    e, b, index = _inputs(events, population, per)
    lists = _neighbour_lists(neighbours, index)
    known = ~np.isnan(e) & ~np.isnan(b) & (b > 0)
    rows_list, cols_list = [], []
    for i, members in enumerate(lists):
        if not known[i]:
            continue
        group = sorted({i, *members})
        group = [j for j in group if known[j]]
        rows_list.append(np.full(len(group), i, dtype=np.int64))
        cols_list.append(np.asarray(group, dtype=np.int64))
    out = np.full(len(e), np.nan)
    if rows_list:
        rows, cols = np.concatenate(rows_list), np.concatenate(cols_list)
        n = len(e)
        ek = np.where(known, e, 0.0)
        bk = np.where(known, b, 1.0)
        rate = ek / bk
        total_b = np.bincount(rows, weights=b[cols], minlength=n)
        total_e = np.bincount(rows, weights=ek[cols], minlength=n)
        size = np.bincount(rows, minlength=n).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            prior = total_e / total_b
            spread = np.bincount(
                rows, weights=b[cols] * (rate[cols] - prior[rows]) ** 2, minlength=n
            )
            variance = spread / total_b - prior / (total_b / size)
        smoothed = _smoothed(rate[known], prior[known], variance[known], b[known])
        out[known] = smoothed
    return pd.Series(out * per, index=index, name=name)


def queen_neighbours(areas: gpd.GeoDataFrame, *, by: str | None = None) -> dict[Any, list[Any]]:
    """Queen contiguity: the areas whose polygons touch or share a boundary with each area.

    Two areas are neighbours when their geometries share at least one point (a corner is
    enough; overlapping polygons count too), found with a shapely ``STRtree``, a block of
    polygons at a time. On a layer whose neighbouring polygons share their boundary vertices
    this is what ``libpysal.weights.Queen`` gives (libpysal compares vertices, not geometry:
    on a simplified layer, where a shared border's vertices no longer match, libpysal misses
    neighbours this function finds).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons, one area per row (any CRS, the same for all rows).
    by : str, optional
        A column naming the areas: rows with the same value are one area (their neighbours
        united, the area itself left out). Without it each row is an area named by the index.

    Returns
    -------
    dict
        Each area (index label or ``by`` value, sorted) → its neighbours, sorted; an area
        without neighbours maps to ``[]``. Rows with a missing or empty geometry have none.

    Raises
    ------
    ConfigError
        ``by`` not a column, or a missing name in it.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> squares = gpd.GeoDataFrame(
    ...     {"name": ["a", "b", "c", "d"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(1, 1, 2, 2), box(5, 5, 6, 6)])
    >>> queen_neighbours(squares, by="name")
    {'a': ['b', 'c'], 'b': ['a', 'c'], 'c': ['a', 'b'], 'd': []}
    """
    if by is not None:
        if by not in areas.columns:
            raise ConfigError(f"by={by!r} is not a column of areas")
        if areas[by].isna().any():
            raise ConfigError(f"areas has rows without a value in {by!r}")
        labels = areas[by].to_numpy(dtype=object)
    else:
        labels = areas.index.to_numpy(dtype=object)
    geoms = np.asarray(areas.geometry.to_numpy(), dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    found: dict[Any, set[Any]] = {label: set() for label in labels}
    if usable.any():
        kept = np.flatnonzero(usable)
        tree = shapely.STRtree(geoms[kept])
        for start in range(0, len(kept), _CHUNK):
            block = kept[start : start + _CHUNK]
            left, right = tree.query(geoms[block], predicate="intersects")
            for i, j in zip(block[left], kept[right], strict=True):
                a, b = labels[i], labels[j]
                if a != b:
                    found[a].add(b)
    return {label: sorted(found[label]) for label in sorted(found)}
