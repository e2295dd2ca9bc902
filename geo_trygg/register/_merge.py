"""Which findings of a new walk are findings the register already has ("seen again").

The rule (:func:`match_findings`): a row of the new walk is the same finding as a register
finding when

- both have the same category,
- the register finding is still open (``new`` or ``in_progress``; the caller passes only
  those), and
- the two points are at most ``distance`` metres apart (points exactly ``distance`` apart
  match).

Each register finding takes at most one row of a walk and each row at most one finding. Where
several pairs compete, the closest pair is decided first; equal distances go to the row that
comes first in the walk, then to the finding with the smallest id (as text). This is the
greedy closest-first assignment: every match is the closest still-free partner at the moment it
is made, so a row never takes a farther finding while a nearer free one of its category is in
reach. Everything else is a new finding.

Distances are Euclidean between the coordinates (:func:`numpy.hypot`), in the register's
metric CRS. A point without coordinates (NaN) matches nothing.

Bounds: the candidate pairs are gathered per category with a k-d tree
(:class:`scipy.spatial.cKDTree`) of that category's open findings, 1,000 rows at a time, and
counted before they are gathered: an import whose rows have more than :data:`MAX_PAIRS`
candidate pairs in all (thousands of rows and open findings of one category stacked within
``distance`` of each other, as when every point of an export was set to one address) is
refused with a message saying so, before memory runs out; nothing is written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo_trygg._errors import RegisterError
from geo_trygg._labels import msg

__all__ = ["MAX_PAIRS", "match_findings"]

MAX_PAIRS = 20_000_000
"""The most candidate pairs (row, open finding) one walk may have (see the module docstring)."""
_CHUNK = 1_000


def match_findings(
    new_categories: np.ndarray,
    new_xy: np.ndarray,
    old_ids: np.ndarray,
    old_categories: np.ndarray,
    old_xy: np.ndarray,
    *,
    distance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Match the rows of a new walk to open register findings (module docstring).

    Parameters
    ----------
    new_categories : numpy.ndarray
        The walk's rows: category codes.
    new_xy : numpy.ndarray
        Their points, shape ``(n, 2)``, in a metric CRS.
    old_ids, old_categories : numpy.ndarray
        The open register findings: ids and categories.
    old_xy : numpy.ndarray
        Their points, shape ``(m, 2)``, in the same CRS.
    distance : float
        The largest distance, in metres, at which two points are the same spot.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Per new row the matched finding id (None when new) and the distance to it (NaN when
        new).

    Examples
    --------
    >>> ids, dist = match_findings(
    ...     np.array(["lighting", "lighting", "litter"], dtype=object),
    ...     np.array([[0.0, 0.0], [3.0, 4.0], [100.0, 0.0]]),
    ...     np.array(["F1", "F2"], dtype=object),
    ...     np.array(["lighting", "litter"], dtype=object),
    ...     np.array([[0.0, 8.0], [100.0, 11.0]]),
    ...     distance=10,
    ... )
    >>> ids.tolist(), dist.tolist()  # row 2 is 5 m from F1, row 1 is 8 m: row 2 takes it
    ([None, 'F1', None], [nan, 5.0, nan])
    """
    new_xy = np.asarray(new_xy, dtype="float64").reshape(-1, 2)
    old_xy = np.asarray(old_xy, dtype="float64").reshape(-1, 2)
    n_new = len(new_xy)
    matched = np.full(n_new, None, dtype=object)
    dist = np.full(n_new, np.nan)
    left, right = _candidates(
        np.asarray(new_categories, dtype=object),
        new_xy,
        np.asarray(old_categories, dtype=object),
        old_xy,
        distance,
    )
    d = np.hypot(new_xy[left, 0] - old_xy[right, 0], new_xy[left, 1] - old_xy[right, 1])
    keep = d <= distance
    left, right, d = left[keep], right[keep], d[keep]
    if not len(left):
        return matched, dist
    # closest first, then by row, then by id as text (lexsort: the last key is the first)
    order = np.lexsort((np.asarray(old_ids, dtype=object)[right].astype(str), left, d))
    row_taken: set[int] = set()
    old_taken: set[int] = set()
    for r, o, i in zip(left[order].tolist(), right[order].tolist(), order.tolist(), strict=True):
        if r in row_taken or o in old_taken:
            continue
        row_taken.add(r)
        old_taken.add(o)
        matched[r] = old_ids[o]
        dist[r] = d[i]
    return matched, dist


def _candidates(
    new_cat: np.ndarray,
    new_xy: np.ndarray,
    old_cat: np.ndarray,
    old_xy: np.ndarray,
    distance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row, finding) of one category whose points may be within ``distance``: k-d
    trees searched with a radius a hair larger (the exact test is the caller's), the pairs
    counted before they are gathered (module docstring). First one search over every
    category (the pairs of other categories dropped after); when that finds more than
    :data:`MAX_PAIRS` pairs, one search per category, which is what the bound counts."""
    radius = distance * (1 + 1e-9) + 1e-9
    new_ok = np.isfinite(new_xy).all(axis=1)
    old_ok = np.isfinite(old_xy).all(axis=1)
    found = _pairs(new_xy, np.flatnonzero(new_ok), old_xy, np.flatnonzero(old_ok), radius)
    if found is not None:
        left, right = found
        same = new_cat[left] == old_cat[right]
        return left[same], right[same]
    lefts: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    rights: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    budget = MAX_PAIRS
    for category in pd.unique(new_cat[new_ok]):
        rows = np.flatnonzero(new_ok & (new_cat == category))
        olds = np.flatnonzero(old_ok & (old_cat == category))
        found = _pairs(new_xy, rows, old_xy, olds, radius, budget=budget)
        if found is None:
            raise RegisterError(msg("reg_err_pairs", n=MAX_PAIRS, distance=distance))
        lefts.append(found[0])
        rights.append(found[1])
        budget -= len(found[0])
    return np.concatenate(lefts), np.concatenate(rights)


def _pairs(
    new_xy: np.ndarray,
    rows: np.ndarray,
    old_xy: np.ndarray,
    olds: np.ndarray,
    radius: float,
    *,
    budget: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pairs (``rows`` × ``olds``) within ``radius``, ``_CHUNK`` rows at a time, each
    chunk counted before it is gathered; None when they are more than ``budget`` (default
    :data:`MAX_PAIRS`)."""
    from scipy.spatial import cKDTree

    budget = MAX_PAIRS if budget is None else budget
    empty = np.zeros(0, dtype=np.intp)
    if not len(rows) or not len(olds):
        return empty, empty
    tree = cKDTree(old_xy[olds])
    lefts, rights, total = [empty], [empty], 0
    for begin in range(0, len(rows), _CHUNK):
        part = rows[begin : begin + _CHUNK]
        chunk = cKDTree(new_xy[part])
        total += int(chunk.count_neighbors(tree, radius))
        if total > budget:
            return None
        pairs = chunk.sparse_distance_matrix(tree, radius, output_type="ndarray")
        lefts.append(part[pairs["i"]])
        rights.append(olds[pairs["j"]])
    return np.concatenate(lefts), np.concatenate(rights)
