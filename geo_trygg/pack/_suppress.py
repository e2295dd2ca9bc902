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
from scipy.sparse.csgraph import breadth_first_order

__all__ = ["PRIMARY", "PUBLISHED", "SECONDARY", "determined", "suppress"]

PUBLISHED, PRIMARY, SECONDARY = 0, 1, 2
"""A count's state: shown, hidden as "<k", hidden as ".." (to protect another)."""


def _as_matrix(cells: sp.spmatrix | np.ndarray) -> sp.csr_matrix:
    matrix = sp.csr_matrix(cells, dtype=float)
    if matrix.nnz and not np.all(np.isin(matrix.data, (0.0, 1.0))):
        raise ValueError("cells must be a 0/1 matrix (cells × atoms)")
    return matrix


def _problem(
    cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray, target: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, list[int]]:
    """The atoms that matter for ``target`` (its connected part, without atoms that a
    published zero fixes at 0) and the rows over them: (matrix, values, states, row ids)."""
    zero_rows = np.flatnonzero((state == PUBLISHED) & (values == 0))
    fixed = np.asarray(cells[zero_rows].sum(axis=0)).ravel() > 0 if len(zero_rows) else None
    free = np.ones(cells.shape[1], dtype=bool) if fixed is None else ~fixed
    sub = cells[:, free]
    # the rows and atoms connected to the target through shared atoms
    graph = sp.bmat([[None, sub], [sub.T, None]], format="csr")
    reach = breadth_first_order(graph, target, directed=False, return_predecessors=False)
    n_rows = cells.shape[0]
    rows = sorted(int(i) for i in reach if i < n_rows)
    atoms = np.array(sorted(int(i) - n_rows for i in reach if i >= n_rows), dtype=int)
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
    vals = np.asarray(values, dtype=np.int64)
    states = np.asarray(state)
    local, lv, ls, rows = _problem(matrix, vals, states, cell)
    target = rows.index(cell)
    value = float(vals[cell])
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
    pinning = {rows[i] for i in _binding(local, lv, ls, k, rows.index(cell))}
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


def suppress(
    cells: sp.spmatrix | np.ndarray,
    values: np.ndarray,
    *,
    k: int = 3,
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

    Returns
    -------
    numpy.ndarray
        Per count: :data:`PUBLISHED`, :data:`PRIMARY` ("<k") or :data:`SECONDARY` (".."). No
        count from 1 to ``k - 1`` is determined by what is shown (:func:`determined`).

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
    small = (vals >= 1) & (vals <= k - 1)
    state = np.where(small, PRIMARY, PUBLISHED)
    for cell in (int(c) for c in np.flatnonzero(small)):
        while determined(matrix, vals, state, k=k, cell=cell):
            candidates = _candidates(matrix, vals, state, k, cell)
            if not candidates:
                # only "<k" counts are left around it, and their bounds alone give it away
                # (e.g. a total under k split in two): the nearest of them become ".."
                candidates = _small_neighbours(matrix, vals, state, cell)
            if not candidates:  # cannot happen: with every count "..", nothing pins it
                raise RuntimeError(f"no count left to hide for count {cell}")
            for pick in candidates[:_TRIES]:  # the first that alone protects the cell
                before = state[pick]
                state[pick] = SECONDARY
                if not determined(matrix, vals, state, k=k, cell=cell):
                    break
                state[pick] = before
            else:  # none alone: hide the first and look again
                state[candidates[0]] = SECONDARY
    return state
