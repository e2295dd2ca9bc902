"""Small-count suppression with secondary suppression, checked by integer programming.

A public pack shows counts only. Every published count is a sum of *atoms*: the counts of
the finest combinations the data knows (e.g. stadsdelsområde × LPO × category × period).
Counts from 1 to ``k - 1`` are shown as "<k" (*primary* suppression). A reader who knows the
other published counts and how they add up (a row total, the same events counted by LPO and by
stadsdelsområde) could work a hidden count back; so further counts are hidden (*secondary*
suppression, shown as "..") until no primary count is exactly determined.

"Determined" is decided exactly, as a reader would: over all non-negative whole-number atoms
that give every shown count its value and every "<k" count a value in ``1 … k-1`` (".." may be
anything), a hidden count is determined when it can take only one value. Each test is two
integer feasibility problems (can the count be one less / one more than it is?) solved with
HiGHS (:func:`scipy.optimize.milp`). Hiding a further count only widens what a reader can
deduce, so one pass over the small counts suffices. The complement hidden is one of the shown
counts that pin the value (the non-zero dual values of the linear relaxation), else one
sharing atoms with it, else any of its connected part — the first that alone protects it, in
order of smallest value at least ``k``, then smallest. Where only "<k" counts surround it and
their bounds alone give it away (a total under ``k`` split in two: 1 + 1), the nearest of them
are shown as ".." instead.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

__all__ = ["PRIMARY", "PUBLISHED", "SECONDARY", "determined", "suppress"]

PUBLISHED, PRIMARY, SECONDARY = 0, 1, 2
"""A count's state: shown, hidden as "<k", hidden as ".." (to protect another)."""


def _as_matrix(cells: sp.spmatrix | np.ndarray) -> sp.csr_matrix:
    matrix = sp.csr_matrix(cells, dtype=float)
    if matrix.nnz and not np.all(np.isin(matrix.data, (0.0, 1.0))):
        raise ValueError("cells must be a 0/1 matrix (cells × atoms)")
    return matrix


_PARTS: dict[str, object] = {}
"""The last state's connected parts (one entry; reused while the state does not change)."""


def _parts(
    cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray]:
    """The matrix without atoms that a published zero fixes at 0, and the connected part of
    every row and atom (rows first) through shared atoms."""
    key = (state.tobytes(), values.tobytes())
    if _PARTS.get("cells") is cells and _PARTS.get("key") == key:
        return _PARTS["sub"], _PARTS["labels"]  # type: ignore[return-value]
    zero_rows = np.flatnonzero((state == PUBLISHED) & (values == 0))
    fixed = np.asarray(cells[zero_rows].sum(axis=0)).ravel() > 0 if len(zero_rows) else None
    free = np.ones(cells.shape[1], dtype=bool) if fixed is None else ~fixed
    sub = sp.csr_matrix(cells[:, free])
    graph = sp.bmat([[None, sub], [sub.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    _PARTS.update(cells=cells, key=key, sub=sub, labels=labels)
    return sub, labels


def _problem(
    cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray, target: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, list[int]]:
    """The atoms that matter for ``target`` (its connected part, without atoms that a
    published zero fixes at 0) and the rows over them: (matrix, values, states, row ids)."""
    sub, labels = _parts(cells, values, state)
    n_rows = cells.shape[0]
    part = labels == labels[target]
    rows = [int(i) for i in np.flatnonzero(part[:n_rows])]
    atoms = np.flatnonzero(part[n_rows:])
    local = sub[rows][:, atoms] if len(atoms) else sp.csr_matrix((len(rows), 0))
    return sp.csr_matrix(local), values[rows], state[rows], rows


def _feasible(
    matrix: sp.csr_matrix,
    values: np.ndarray,
    state: np.ndarray,
    k: int,
    objective_row: int,
    lo: float,
    hi: float,
) -> bool:
    """Is there a whole-number atom vector with every shown row at its value, "<k" rows in
    1…k-1, ".." rows anything, and ``objective_row`` in ``[lo, hi]``?"""
    n_atoms = matrix.shape[1]
    row_lo = np.where(state == PUBLISHED, values, np.where(state == PRIMARY, 1.0, 0.0))
    row_hi = np.where(state == PUBLISHED, values, np.where(state == PRIMARY, k - 1.0, np.inf))
    row_lo = row_lo.astype(float)
    row_hi = row_hi.astype(float)
    row_lo[objective_row] = max(row_lo[objective_row], lo)
    row_hi[objective_row] = min(row_hi[objective_row], hi)
    if row_lo[objective_row] > row_hi[objective_row]:
        return False
    result = milp(
        np.zeros(n_atoms),
        constraints=[LinearConstraint(matrix, row_lo, row_hi)],
        integrality=np.ones(n_atoms),
        bounds=Bounds(np.zeros(n_atoms), np.full(n_atoms, np.inf)),
    )
    return bool(result.status == 0)


def determined(
    cells: sp.spmatrix | np.ndarray,
    values: np.ndarray,
    state: np.ndarray,
    *,
    k: int,
    cell: int,
) -> bool:
    """Whether the hidden count ``cell`` can take only its own value, given what is shown.

    Parameters
    ----------
    cells : scipy.sparse matrix or numpy.ndarray
        0/1, one row per published count, one column per atom.
    values : numpy.ndarray
        The counts' true values (``cells @ atoms``).
    state : numpy.ndarray
        :data:`PUBLISHED`, :data:`PRIMARY` or :data:`SECONDARY` per count.
    k : int
        Counts ``1 … k-1`` are shown as "<k".
    cell : int
        The row to test.

    Returns
    -------
    bool
    """
    matrix = _as_matrix(cells)
    return _determined(matrix, np.asarray(values, dtype=np.int64), np.asarray(state), k, cell)


def _determined(
    matrix: sp.csr_matrix, vals: np.ndarray, states: np.ndarray, k: int, cell: int
) -> bool:
    """:func:`determined` on a checked matrix."""
    local, lv, ls, rows = _problem(matrix, vals, states, cell)
    target = rows.index(cell)
    value = float(vals[cell])
    if local.shape[1] == 0:  # every atom of it fixed at 0 by a shown zero (or none at all)
        return True
    if _feasible(local, lv, ls, k, target, -np.inf, value - 1):
        return False
    return not _feasible(local, lv, ls, k, target, value + 1, np.inf)


def _binding(
    local: sp.csr_matrix, lv: np.ndarray, ls: np.ndarray, k: int, target: int
) -> set[int]:
    """The published rows whose values pin the target in the linear relaxation (non-zero
    dual values of min and max of the target)."""
    eq = np.flatnonzero(ls == PUBLISHED)
    eq = eq[eq != target]
    primary = np.flatnonzero((ls == PRIMARY) & (np.arange(len(ls)) != target))
    found: set[int] = set()
    for sign in (1.0, -1.0):
        c = sign * np.asarray(local[target].todense()).ravel()
        a_ub = b_ub = None
        if len(primary):
            a_ub = sp.vstack([local[primary], -local[primary]], format="csr")
            b_ub = np.concatenate([np.full(len(primary), k - 1.0), np.full(len(primary), -1.0)])
        result = linprog(
            c,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=local[eq] if len(eq) else None,
            b_eq=lv[eq].astype(float) if len(eq) else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 0 and len(eq):
            marg = np.asarray(result.eqlin.marginals)
            found.update(int(eq[i]) for i in np.flatnonzero(np.abs(marg) > 1e-9))
    return found


_TRIES = 12
"""Complements tried one by one before hiding the best and looking again."""


def _sharing(matrix: sp.csr_matrix, cell: int) -> np.ndarray:
    """Which counts share at least one atom with ``cell``."""
    return np.asarray((matrix @ matrix[cell].T).todense()).ravel() > 0


def _order(rows: set[int], values: np.ndarray, k: int) -> list[int]:
    """Rows by preference as a complement: values ≥ k smallest first, then the others."""
    return sorted(rows, key=lambda i: (values[i] < k, int(values[i]), i))


def _candidates(
    matrix: sp.csr_matrix, values: np.ndarray, state: np.ndarray, k: int, cell: int
) -> list[int]:
    """Published counts that could protect ``cell``, best first: those pinning it in the
    linear relaxation, then those sharing atoms with it, then the rest of its part."""
    local, lv, ls, rows = _problem(matrix, values, state, cell)
    pinning = (
        {rows[i] for i in _binding(local, lv, ls, k, rows.index(cell))}
        if local.shape[1]
        else set()
    )
    near = {int(i) for i in np.flatnonzero(_sharing(matrix, cell) & (state == PUBLISHED))}
    rest = {rows[i] for i in np.flatnonzero(ls == PUBLISHED)}
    out: list[int] = []
    for group in (pinning, near - pinning, rest - pinning - near):
        out += _order(group, values, k)
    return out


def _small_neighbours(
    matrix: sp.csr_matrix, values: np.ndarray, state: np.ndarray, cell: int
) -> list[int]:
    """The "<k" counts sharing atoms with ``cell`` (itself last), largest first."""
    near = [
        int(i) for i in np.flatnonzero(_sharing(matrix, cell) & (state == PRIMARY)) if i != cell
    ]
    out = sorted(near, key=lambda i: (-int(values[i]), i))
    return out + ([cell] if state[cell] == PRIMARY else [])


def _protect(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    cell: int,
    free: np.ndarray,
) -> bool:
    """Hide further free counts (in place) until ``cell`` is not determined (True), or until
    only fixed counts are left to hide (False)."""
    while _determined(matrix, vals, state, k, cell):
        candidates = [i for i in _candidates(matrix, vals, state, k, cell) if free[i]]
        if not candidates:
            # only "<k" counts are left around it, and their bounds alone give it away
            # (e.g. a total under k split in two): the nearest of them become ".."
            near = _small_neighbours(matrix, vals, state, cell)
            candidates = [i for i in near if free[i]]
        if not candidates:
            # with every free count hidden the fixed counts alone pin it: an earlier
            # publication gave it away already, and nothing shown now can change that
            return False
        for pick in candidates[:_TRIES]:  # the first that alone protects the cell
            before = state[pick]
            state[pick] = SECONDARY
            if not _determined(matrix, vals, state, k, cell):
                break
            state[pick] = before
        else:  # none alone: hide the first and look again
            state[candidates[0]] = SECONDARY
    return True


def suppress(
    cells: sp.spmatrix | np.ndarray,
    values: np.ndarray,
    *,
    k: int = 3,
    fixed: np.ndarray | None = None,
    hide: np.ndarray | None = None,
    every_hidden: bool = False,
) -> np.ndarray:
    """Primary and secondary suppression of published counts.

    Parameters
    ----------
    cells : scipy.sparse matrix or numpy.ndarray
        0/1, one row per published count, one column per atom: which atoms each count adds.
    values : numpy.ndarray
        The counts' values (each row of ``cells`` times the atoms' counts).
    k : int, default 3
        Counts from 1 to ``k - 1`` are hidden; at least 3 (with ``k = 2`` "<2" would say 1).
    fixed : numpy.ndarray, optional
        Per count, a state already published that cannot change (the counts of earlier
        publications, see :mod:`geo_trygg.pack._ledger`), or -1 for a count to decide. A
        fixed "<k" count is protected like a new one; fixed counts are never picked to hide.
    hide : numpy.ndarray of bool, optional
        Counts to decide that must not be shown (hidden in an earlier publication): "<k"
        when small, else "..".
    every_hidden : bool, default False
        No hidden count at all may be determined: the fixed ".." and those of ``hide`` are
        protected like "<k" counts, and a new ".." that is determined all the same is shown
        (its value is no secret: the reader works it out).

    Returns
    -------
    numpy.ndarray
        Per count: :data:`PUBLISHED`, :data:`PRIMARY` ("<k") or :data:`SECONDARY` (".."). No
        "<k" count, new or fixed, is determined by what is shown (:func:`determined`), unless
        the fixed counts alone determine it (then nothing the new counts do can help).

    Examples
    --------
    A row of two counts and its total: hiding the 1 alone would give it away.

    >>> import numpy as np
    >>> cells = np.array([[1, 0], [0, 1], [1, 1]])
    >>> suppress(cells, np.array([1, 7, 8])).tolist()
    [1, 2, 0]
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 3:
        raise ValueError(f"k={k!r} must be a whole number >= 3 (with k = 2, '<2' would say 1)")
    matrix = _as_matrix(cells)
    vals = np.asarray(values, dtype=np.int64)
    if vals.shape != (matrix.shape[0],) or (vals < 0).any():
        raise ValueError("values must be one non-negative count per row of cells")
    n_rows = matrix.shape[0]
    given = np.full(n_rows, -1) if fixed is None else np.asarray(fixed, dtype=np.int64)
    must_hide = np.zeros(n_rows, dtype=bool) if hide is None else np.asarray(hide, dtype=bool)
    if given.shape != (n_rows,) or must_hide.shape != (n_rows,):
        raise ValueError("fixed and hide must have one value per row of cells")
    free = given < 0
    small = (vals >= 1) & (vals <= k - 1)
    state = np.where(small, PRIMARY, np.where(must_hide, SECONDARY, PUBLISHED))
    state = np.where(free, state, given)
    # the "<k" counts, and with every_hidden the counts hidden in earlier publications
    # (fixed) or to stay hidden (hide): each protected in turn
    keep_hidden = (state == SECONDARY) & (~free | must_hide)
    queue = np.flatnonzero((state == PRIMARY) | (keep_hidden if every_hidden else False))
    for cell in (int(c) for c in queue):
        _protect(matrix, vals, state, k, cell, free)
    if every_hidden:
        # a ".." hidden only to protect others that the reader works out anyway is shown:
        # that tells the reader nothing new (the same atoms fit), and then no hidden count
        # of this pack is determined
        small = (vals >= 1) & (vals <= k - 1)
        for dots in np.flatnonzero((state == SECONDARY) & free & ~must_hide & ~small):
            if _determined(matrix, vals, state, k, int(dots)):
                state[dots] = PUBLISHED
    _PARTS.clear()
    return state
