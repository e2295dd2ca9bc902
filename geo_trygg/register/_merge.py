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

Bounds: the candidate pairs are gathered for 1,000 rows at a time, and an import whose rows
have more than :data:`MAX_PAIRS` candidate pairs in all (thousands of rows and open findings of
one category stacked within ``distance`` of each other, as when every point of an export was
set to one address) is refused with a message saying so, before memory runs out; nothing is
written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import RegisterError
from geo_trygg._labels import msg

__all__ = ["MAX_PAIRS", "match_findings"]

MAX_PAIRS = 20_000_000
"""The most candidate pairs (row, open finding) one walk may have (see the module docstring)."""
_CHUNK = 1_000


def match_findings(
    new_categories: np.ndarray,
    new_points: np.ndarray,
    old_ids: np.ndarray,
    old_categories: np.ndarray,
    old_points: np.ndarray,
    *,
    distance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Match the rows of a new walk to open register findings (module docstring).

    Parameters
    ----------
    new_categories, new_points : numpy.ndarray
        The walk's rows: category codes and shapely points (metric CRS).
    old_ids, old_categories, old_points : numpy.ndarray
        The open register findings: ids, categories and points (same CRS).
    distance : float
        The largest distance, in metres, at which two points are the same spot.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Per new row the matched finding id (None when new) and the distance to it (NaN when
        new).

    Examples
    --------
    >>> P = shapely.Point
    >>> ids, dist = match_findings(
    ...     np.array(["lighting", "lighting", "litter"], dtype=object),
    ...     np.array([P(0, 0), P(3, 4), P(100, 0)], dtype=object),
    ...     np.array(["F1", "F2"], dtype=object),
    ...     np.array(["lighting", "litter"], dtype=object),
    ...     np.array([P(0, 8), P(100, 11)], dtype=object),
    ...     distance=10,
    ... )
    >>> ids.tolist(), dist.tolist()  # row 2 is 5 m from F1, row 1 is 8 m: row 2 takes it
    ([None, 'F1', None], [nan, 5.0, nan])
    """
    n_new = len(new_points)
    matched = np.full(n_new, None, dtype=object)
    dist = np.full(n_new, np.nan)
    if n_new == 0 or len(old_points) == 0:
        return matched, dist
    tree = shapely.STRtree(np.asarray(old_points, dtype=object))
    points = np.asarray(new_points, dtype=object)
    new_cat = np.asarray(new_categories, dtype=object)
    old_cat = np.asarray(old_categories, dtype=object)
    lefts, rights, total = [], [], 0
    for begin in range(0, n_new, _CHUNK):
        part_l, part_r = tree.query(
            points[begin : begin + _CHUNK], predicate="dwithin", distance=distance
        )
        same = new_cat[part_l + begin] == old_cat[part_r]
        lefts.append(part_l[same] + begin)
        rights.append(part_r[same])
        total += int(same.sum())
        if total > MAX_PAIRS:
            raise RegisterError(msg("reg_err_pairs", n=MAX_PAIRS, distance=distance))
    left, right = np.concatenate(lefts), np.concatenate(rights)
    if not len(left):
        return matched, dist
    d = shapely.distance(np.asarray(new_points)[left], np.asarray(old_points)[right])
    keep = d <= distance
    left, right, d = left[keep], right[keep], d[keep]
    order = pd.DataFrame(
        {"d": d, "row": left, "id": np.asarray(old_ids, dtype=object)[right].astype(str)}
    ).sort_values(["d", "row", "id"], kind="stable")
    row_taken = np.zeros(n_new, dtype=bool)
    old_taken = np.zeros(len(old_points), dtype=bool)
    for i in order.index.to_numpy():
        r, o = left[i], right[i]
        if row_taken[r] or old_taken[o]:
            continue
        row_taken[r] = old_taken[o] = True
        matched[r] = old_ids[o]
        dist[r] = d[i]
    return matched, dist
