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
deduce.

The complements are chosen to hide as little as possible (``method="minimal"``, the default):
every count that may change is hidden first — the widest a reader can be left, small counts as
".." — and then each is shown again in turn (a small count as "<k"), the most worth showing
first (``weight``, then the largest), and kept shown when every protected count stays
undetermined. Each protected count keeps a *witness*: whole-number atoms a reader could
believe in that give it another value, found as the fewest atoms changed from the truth,
above all atoms of counts that will be tried soon (an integer programme, first on the atoms
near it, then on its connected part; its linear relaxation is tried first and taken when its
solution is whole, which on these tables it mostly is). A try that every witness fits needs
no solve; a broken witness is replaced by another count's that still fits, else solved
again; when none exists the count stays hidden. Each witness proves its count undetermined,
and at the end all are checked against the final state exactly. What is left is a minimal
set (showing any single hidden count again would give a small count away), not always the
smallest: up to :data:`SMALL_TABLE` counts the greedy choice below is pruned the same way too
and the one hiding fewer kept. Where only "<k" counts surround a small count and their
bounds alone give it away (a total under ``k`` split in two: 1 + 1), one of
them stays "..".

``method="greedy"`` is the earlier choice, kept for comparison: per small count in turn, the
first complement that alone protects it (shown counts that pin its value in the linear
relaxation, then those sharing atoms with it, smallest value at least ``k`` first). It is
safe but hides far more: on the police events of 2023-Q2 over 13 stadsdelsområden and 117
stadsdelar it hid every area with at least 3 events.
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
"""The last state's connected parts (one entry; reused while the shown zeros do not change)."""


def _take(matrix: sp.csr_matrix | sp.csc_matrix, major: np.ndarray) -> np.ndarray:
    """Positions in ``matrix.indices``/``data`` of the rows (CSR) or columns (CSC) ``major``,
    in order: the slices of the matrix's own arrays, without scipy's fancy indexing."""
    starts = matrix.indptr[major]
    lengths = matrix.indptr[major + 1] - starts
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """``matrix[rows]`` (the same entries in the same order), from the CSR arrays."""
    take = _take(matrix, rows)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(matrix.indptr[rows + 1] - matrix.indptr[rows], out=indptr[1:])
    return sp.csr_matrix(
        (matrix.data[take], matrix.indices[take], indptr), shape=(len(rows), matrix.shape[1])
    )


def _columns(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """``matrix[:, keep]`` for a boolean mask ``keep`` (columns renumbered in order), from
    the CSR arrays."""
    number = np.cumsum(keep) - 1
    entry = keep[matrix.indices]
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[entry], minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_matrix(
        (matrix.data[entry], number[matrix.indices[entry]], indptr),
        shape=(matrix.shape[0], int(keep.sum())),
    )


def _parts(
    cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray]:
    """The matrix without atoms that a published zero fixes at 0, and the connected part of
    every row and atom (rows first) through shared atoms."""
    # only the shown zeros shape the parts: another count shown or hidden leaves them
    zero_rows = np.flatnonzero((state == PUBLISHED) & (values == 0))
    key = (zero_rows.tobytes(), values.tobytes())
    if _PARTS.get("cells") is cells and _PARTS.get("key") == key:
        return _PARTS["sub"], _PARTS["labels"]  # type: ignore[return-value]
    free = np.ones(cells.shape[1], dtype=bool)
    take = _take(cells, zero_rows)
    free[cells.indices[take[cells.data[take] != 0]]] = False
    sub = _columns(cells, free)
    graph = sp.bmat([[None, sub], [sub.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    _PARTS.update(
        cells=cells, key=key, sub=sub, labels=labels, free_cols=np.flatnonzero(free), problems={}
    )
    return sub, labels


class _Part:
    """One connected part of a state: its rows, its atoms and the matrix over them (CSR, and
    CSC for the atoms' rows), kept while the shown zeros do not change."""

    def __init__(self, sub: sp.csr_matrix, labels: np.ndarray, label: int) -> None:
        n_rows = sub.shape[0]
        part = labels == label
        self.rows = np.flatnonzero(part[:n_rows])
        self.atoms = np.flatnonzero(part[n_rows:])  # columns of ``sub``
        self.local = _columns(_rows(sub, self.rows), part[n_rows:])
        self._csc: sp.csc_matrix | None = None

    @property
    def csc(self) -> sp.csc_matrix:
        """The part's matrix by columns (made once)."""
        if self._csc is None:
            self._csc = sp.csc_matrix(self.local)
        return self._csc

    def index(self, row: int) -> int:
        """The position of ``row`` (a row of the whole matrix) among the part's rows."""
        return int(np.searchsorted(self.rows, row))


def _part(cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray, target: int) -> _Part:
    """The connected part of ``target`` in this state (see :func:`_problem`), made once."""
    sub, labels = _parts(cells, values, state)
    problems: dict[int, _Part] = _PARTS["problems"]  # type: ignore[assignment]
    label = int(labels[target])
    if label not in problems:
        problems[label] = _Part(sub, labels, label)
    return problems[label]


def _problem(
    cells: sp.csr_matrix, values: np.ndarray, state: np.ndarray, target: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """The atoms that matter for ``target`` (its connected part, without atoms that a
    published zero fixes at 0) and the rows over them: (matrix, values, states, row ids)."""
    part = _part(cells, values, state, target)
    return part.local, values[part.rows], state[part.rows], part.rows


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
    target = int(np.searchsorted(rows, cell))
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
        {int(rows[i]) for i in _binding(local, lv, ls, k, int(np.searchsorted(rows, cell)))}
        if local.shape[1]
        else set()
    )
    near = {int(i) for i in np.flatnonzero(_sharing(matrix, cell) & (state == PUBLISHED))}
    rest = {int(rows[i]) for i in np.flatnonzero(ls == PUBLISHED)}
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
    unseen: np.ndarray | None = None,
    every_hidden: bool = False,
    method: str = "minimal",
    weight: np.ndarray | None = None,
    atoms: np.ndarray | None = None,
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
    unseen : numpy.ndarray of bool, optional
        Counts this publication does not show but a later one may (a month inside a quarter
        published before): a reader knows nothing of them, and a small one may not become
        determined all the same.
    every_hidden : bool, default False
        No hidden count at all may be determined: the fixed ".." and those of ``hide`` are
        protected like "<k" counts, and a new ".." that is determined all the same is shown
        (its value is no secret: the reader works it out).
    method : {"minimal", "greedy"}, default "minimal"
        "minimal": hide everything that may change, then show again each count no protected
        count needs (see the module); "greedy": the earlier first-complement choice.
    weight : numpy.ndarray, optional
        With "minimal", how much showing each count is worth: higher is shown again first
        (ties: the larger count first). By default a small count as "<k" comes first.
    atoms : numpy.ndarray, optional
        Whole-number atoms with ``cells @ atoms == values`` (the truth), from which the
        witnesses differ least; solved for when not given.

    Returns
    -------
    numpy.ndarray
        Per count: :data:`PUBLISHED`, :data:`PRIMARY` ("<k") or :data:`SECONDARY` (".."). No
        small count, new or fixed, is determined by what is shown (:func:`determined`), unless
        the fixed counts alone determine it (then nothing the new counts do can help). A small
        count may be shown as ".." where its "<k" would give it or another away.

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
    ghost = np.zeros(n_rows, dtype=bool) if unseen is None else np.asarray(unseen, dtype=bool)
    if ghost.any():  # not published: tells a reader nothing; protected when small
        state[ghost] = SECONDARY
        free = free & ~ghost
        must_hide = must_hide & ~ghost
    # the "<k" counts, and with every_hidden the counts hidden in earlier publications
    # (fixed) or to stay hidden (hide): each protected in turn
    keep_hidden = (state == SECONDARY) & (~free | must_hide) & ~ghost
    queue = np.flatnonzero((state == PRIMARY) | (keep_hidden if every_hidden else False))
    queue = np.union1d(queue, np.flatnonzero(ghost & small))
    if method == "greedy":
        _greedy(matrix, vals, state, k, queue, free, every_hidden, must_hide)
    elif method == "minimal":
        best = state.copy()
        _minimal(matrix, vals, best, k, queue, free, must_hide, weight, atoms, greedy=False)
        if n_rows <= SMALL_TABLE:  # a small table: the greedy choice, pruned, may hide less
            other = state.copy()
            _minimal(matrix, vals, other, k, queue, free, must_hide, weight, atoms, greedy=True)
            if (other != PUBLISHED).sum() < (best != PUBLISHED).sum():
                best = other
        state[:] = best
    else:
        raise ValueError(f"method={method!r} must be 'minimal' or 'greedy'")
    _PARTS.clear()
    return state


def _greedy(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    queue: np.ndarray,
    free: np.ndarray,
    every_hidden: bool,
    must_hide: np.ndarray,
) -> None:
    """The first complement that alone protects each small count in turn (in place)."""
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


# --- pruning: show again every ".." that no protected count needs ---------------------------


def _witness(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    cell: int,
    atoms: np.ndarray,
    avoid: np.ndarray | None = None,
) -> np.ndarray | None:
    """An atom vector a reader could believe in with ``cell`` off its value (the fewest
    atoms changed from the truth ``atoms``, above all atoms in many counts that may be shown
    later: ``avoid``, per atom), or None when ``cell`` is determined."""
    part = _part(matrix, vals, state, cell)
    local, lv, ls = part.local, vals[part.rows], state[part.rows]
    if local.shape[1] == 0:
        return None
    # the part's atoms in the whole matrix
    part_atoms = np.asarray(_PARTS["free_cols"])[part.atoms]
    truth = atoms[part_atoms].astype(float)
    target = part.index(cell)
    n = local.shape[1]
    row_lo = np.where(ls == PUBLISHED, lv, np.where(ls == PRIMARY, 1.0, -np.inf)).astype(float)
    row_hi = np.where(ls == PUBLISHED, lv, np.where(ls == PRIMARY, k - 1.0, np.inf)).astype(float)
    base = np.asarray(local @ truth).ravel()
    cost = np.ones(n) if avoid is None else 1.0 + avoid[part_atoms]
    near = _near(part, target)
    for cols in (near, np.arange(n)) if len(near) < n else (np.arange(n),):
        keep = np.zeros(n, dtype=bool)
        keep[cols] = True
        sub = local if len(cols) == n else _columns(local, keep)
        delta = _move(sub, row_lo, row_hi, base, cost[cols], truth[cols], target, vals[cell])
        if delta is not None:
            out = atoms.astype(float).copy()
            out[part_atoms[cols]] += delta
            return out
    return None


SMALL_TABLE = 60
"""Up to this many counts, the greedy choice is pruned too and kept when it hides fewer (the
pruning of everything hidden ends in a minimal set, not always the smallest)."""

_SOON = 8.0
"""What changing an atom of the count tried next costs a witness (one tried last: 0.5)."""

_NEAR_ROW = 16
"""Counts with at most this many atoms lead to the atoms of a witness's first, small try."""


def _near(part: _Part, target: int) -> np.ndarray:
    """The atoms two steps from the target's through counts of at most :data:`_NEAR_ROW`
    atoms (a cell, its area's other categories, the same category in the areas beside it
    and their categories: where a reader's other table mostly lies), sorted; the rest are
    kept at the truth in the first try."""
    local, cols = part.local, part.csc
    size = np.diff(local.indptr)
    near = np.unique(local.indices[local.indptr[target] : local.indptr[target + 1]])
    for _ in range(2):
        rows = np.unique(cols.indices[_take(cols, near)])
        rows = rows[size[rows] <= _NEAR_ROW]
        near = np.union1d(near, local.indices[_take(local, rows)]) if len(rows) else near
    return near


def _move(
    local: sp.csr_matrix,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    base: np.ndarray,
    cost: np.ndarray,
    truth: np.ndarray,
    target: int,
    value: float,
) -> np.ndarray | None:
    """The cheapest whole change of the atoms (columns of ``local``, now ``truth``) that keeps
    every row within its bounds (now ``base``) and moves row ``target`` off ``value``."""
    used = np.flatnonzero(np.diff(local.indptr))  # rows that these atoms change
    where = int(np.searchsorted(used, target))
    if where == len(used) or used[where] != target:
        return None
    m = sp.csc_matrix(_rows(local, used))
    n = m.shape[1]
    # x = truth + up - down; rows of x in [lo, hi] <=> rows of (up - down) in [lo - base, ...];
    # an atom at 0 cannot go down: only the others have a "down" column
    lower = np.flatnonzero(truth > 0)
    take = _take(m, lower)
    down = np.zeros(len(lower) + 1, dtype=np.int64)
    np.cumsum(m.indptr[lower + 1] - m.indptr[lower], out=down[1:])
    a = sp.csc_matrix(
        (
            np.concatenate([m.data, -m.data[take]]),
            np.concatenate([m.indices, m.indices[take]]),
            np.concatenate([m.indptr, down[1:] + m.nnz]),
        ),
        shape=(m.shape[0], n + len(lower)),
    )  # [m, -m[:, lower]]
    width = n + len(lower)
    lo0, hi0 = row_lo[used] - base[used], row_hi[used] - base[used]
    for lo, hi in ((-np.inf, value - 1), (value + 1, np.inf)):
        r_lo, r_hi = lo0.copy(), hi0.copy()
        r_lo[where] = max(r_lo[where], lo - base[target])
        r_hi[where] = min(r_hi[where], hi - base[target])
        if r_lo[where] > r_hi[where]:
            continue
        problem = {
            "c": np.concatenate([cost, cost[lower]]),
            "constraints": [LinearConstraint(a, r_lo, r_hi)],
            "bounds": Bounds(np.zeros(width), np.concatenate([np.full(n, np.inf), truth[lower]])),
        }
        # the linear relaxation first: these tables' vertices are mostly whole already
        relaxed = milp(integrality=np.zeros(width), **problem)
        if relaxed.status == 2:  # infeasible even so
            continue
        if relaxed.status == 0 and np.all(np.abs(relaxed.x - np.round(relaxed.x)) < 1e-7):
            result = relaxed
        else:
            result = milp(integrality=np.ones(width), **problem)
        if result.status == 0:
            change = np.round(result.x[:n])
            change[lower] -= np.round(result.x[n:])
            return np.asarray(change)
    return None


def _truth(matrix: sp.csr_matrix, vals: np.ndarray) -> np.ndarray:
    """Whole-number atoms that give every count its value (one solve)."""
    n = matrix.shape[1]
    result = milp(
        np.zeros(n),
        constraints=[LinearConstraint(matrix, vals.astype(float), vals.astype(float))],
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
    )
    if result.status != 0:
        raise ValueError("no whole-number atoms give the counts their values")
    return np.round(result.x)


def _fits(row: np.ndarray, state: int, value: int, k: int) -> np.ndarray:
    """Whether each witness's value of one count is allowed by the count's state."""
    if state == PUBLISHED:
        return np.abs(row - value) < 0.5
    if state == PRIMARY:
        return (row > 0.5) & (row < k - 0.5)
    return np.ones(len(row), dtype=bool)


def _prune(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    protect: np.ndarray,
    tries: np.ndarray,
    atoms: np.ndarray,
) -> tuple[list[int], np.ndarray]:
    """Show again (in place) each of ``tries`` in turn (a ".." small count as "<k", any
    other as its value) when every count of ``protect`` stays undetermined. Each protected
    count keeps a *witness*: atoms a reader could believe in that give it another value; a
    try that every witness fits needs no solve, and one witness serves every count it moves
    off its value. Whether a try is kept depends on the state alone (every protected count
    undetermined, each solve exact), not on which witnesses were found. Returns the
    protected counts with a witness and the witnesses (atoms × counts); one that has none
    is determined by the fixed counts alone, whatever is hidden."""
    small = (vals >= 1) & (vals <= k - 1)
    witnesses: dict[int, np.ndarray] = {}
    # per atom, how soon the counts holding it will be tried (a witness that changes a
    # count tried soon breaks soon; one tried last, or kept hidden, costs little)
    soon = np.linspace(_SOON, 0.5, len(tries)) if len(tries) else np.zeros(0)
    avoid = np.asarray(matrix[tries].T @ soon).ravel() if len(tries) else None
    protect = np.asarray(protect, dtype=np.int64)
    done = np.zeros(len(protect), dtype=bool)  # has a witness, or has none at all
    for position, cell in enumerate(int(c) for c in protect):
        if done[position]:
            continue
        found = _witness(matrix, vals, state, k, cell, atoms, avoid)
        done[position] = True
        if found is None:
            continue
        # the state is the same for all: the witness serves every count it moves off its value
        rest = np.flatnonzero(~done)
        moved = np.abs(_rows(matrix, protect[rest]) @ found - vals[protect[rest]]) > 0.5
        for other in (cell, *(int(c) for c in protect[rest[moved]])):
            witnesses[other] = found
        done[rest[moved]] = True
    keys = [int(c) for c in protect if int(c) in witnesses]
    stack = np.ascontiguousarray(
        np.array([witnesses[c] for c in keys]).T if keys else np.zeros((len(atoms), 0))
    )  # atoms × witnesses, rows contiguous (a sparse row times it copies nothing)
    for position, cell in enumerate(int(c) for c in tries):
        own = slice(matrix.indptr[cell], matrix.indptr[cell + 1])  # the count's atoms
        if avoid is not None:
            avoid = avoid.copy()
            avoid[matrix.indices[own]] -= soon[position] * matrix.data[own]
        before = state[cell]
        after = PRIMARY if small[cell] else PUBLISHED
        if before == after:
            continue
        state[cell] = after
        row = matrix.data[own] @ stack[matrix.indices[own]]
        fit = _fits(row, after, int(vals[cell]), k)
        broken = np.flatnonzero(~fit)
        renewed: dict[int, np.ndarray] = {}
        others, moved = np.flatnonzero(fit), np.zeros((len(broken), 0), dtype=bool)
        if len(broken):
            # another count's witness that still fits and moves this one serves it too
            whose = [keys[j] for j in broken]
            moved = (
                np.abs(
                    np.asarray(_rows(matrix, np.array(whose)) @ stack)[:, others]
                    - vals[whose][:, None]
                )
                > 0.5
            )
        fresh: list[np.ndarray] = []  # witnesses found for this try
        for i, j in enumerate(int(b) for b in broken):
            hit = np.flatnonzero(moved[i])
            if len(hit):
                renewed[j] = stack[:, others[hit[0]]].copy()
                continue
            at_j = slice(matrix.indptr[keys[j]], matrix.indptr[keys[j] + 1])
            row_j, data_j = matrix.indices[at_j], matrix.data[at_j]
            again = [w for w in fresh if abs(float(data_j @ w[row_j]) - vals[keys[j]]) > 0.5]
            found = again[0] if again else _witness(matrix, vals, state, k, keys[j], atoms, avoid)
            if found is None:
                break
            if not again:
                fresh.append(found)
            renewed[j] = found
        else:
            for j, found in renewed.items():
                stack[:, j] = found
            continue
        state[cell] = before
        for j, found in renewed.items():  # found under a stricter state: fit the wider too
            stack[:, j] = found
    return keys, stack


def _minimal(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    queue: np.ndarray,
    free: np.ndarray,
    must_hide: np.ndarray,
    weight: np.ndarray | None,
    atoms: np.ndarray | None,
    *,
    greedy: bool,
) -> None:
    """Hide as little as possible (in place): every free count hidden first (the widest a
    reader can be left; or the greedy choice), then each shown again, the most worth showing
    first, when every protected count stays undetermined; last an exact check of every
    protected count."""
    small = (vals >= 1) & (vals <= k - 1)
    if greedy:
        _greedy(matrix, vals, state, k, queue, free, False, must_hide)
    else:
        state[free] = SECONDARY
    truth = _truth(matrix, vals) if atoms is None else np.asarray(atoms, dtype=float)
    # a count that must stay hidden may still be shown as "<k" when small
    tries = np.flatnonzero(free & (~must_hide | small) & (state == SECONDARY))
    # the most worth showing first (by default a small count as "<k"), then the largest
    # (hiding a large count hides more)
    score = small.astype(float) if weight is None else np.asarray(weight, dtype=float)
    order = np.lexsort((tries, -vals[tries], -score[tries]))
    keys, stack = _prune(matrix, vals, state, k, queue, tries[order], truth)
    for cell in _unproved(matrix, vals, state, k, keys, stack):  # none, unless a solve erred
        _protect(matrix, vals, state, k, cell, free)


def _unproved(
    matrix: sp.csr_matrix,
    vals: np.ndarray,
    state: np.ndarray,
    k: int,
    keys: list[int],
    stack: np.ndarray,
) -> list[int]:
    """The protected counts whose witness does not prove them undetermined in ``state``:
    whole non-negative atoms, every shown count at its value, every "<k" count in 1…k-1
    and the count itself off its value."""
    if not keys:
        return []
    rows = np.asarray(matrix @ stack)
    lo = np.where(state == PUBLISHED, vals, np.where(state == PRIMARY, 1, -np.inf))
    hi = np.where(state == PUBLISHED, vals, np.where(state == PRIMARY, k - 1, np.inf))
    ok = ((rows >= lo[:, None] - 1e-6) & (rows <= hi[:, None] + 1e-6)).all(axis=0)
    ok &= ((stack >= 0) & (np.abs(stack - np.round(stack)) < 1e-6)).all(axis=0)
    own = rows[keys, np.arange(len(keys))]
    ok &= np.abs(own - vals[keys]) > 0.5
    return [keys[j] for j in np.flatnonzero(~ok)]
