"""Flag likely duplicate events across sources (never drop them).

Two events are a *likely duplicate pair* when all of these hold:

- they come from different sources (``source`` column: a housing company's report and the
  guards' report of the same fire); events of one source are that source's own records and are
  never paired with each other;
- they have the same canonical ``category``;
- their ``time_from`` differ by at most ``max_hours``;
- both are placed precisely (``location_precision`` ``"exact"`` or ``"address"``) and their
  points lie at most ``max_distance_m`` apart in the frame's metric CRS.

Coarser rows (``stadsdel``, ``kommun``, ``lan`` -- e.g. every police API event, whose point is a
kommun centroid) are never paired: a centroid says nothing about two events being 200 m apart,
and pairing by kommun name would tie together every two assaults in Stockholm within two hours.

Groups are the connected components of the pair graph, so a chain A~B~C is one group even
when A and C are too far apart to pair directly. A group's id is ``"dup-"`` followed by its
smallest member key ``"<source>:<event_id>"`` (the index label stands in for a missing
``event_id``): the same rows give the same ids whatever their order.

The search, in bounded memory and time:

1. Rows alike in category, point, ``time_from`` and source are one *site* (an export of one
   address with dates only repeats them by the thousand); a row belongs to its site's group.
2. Sites go into a grid of square cells of side ``max_distance_m`` per category: two points at
   most that far apart lie in the same or in adjacent cells, so only those are compared.
3. Within a cell, sites are sorted by time; each site looks up the sites of its own and of the
   four following neighbour cells within ``max_hours`` by binary search, and only those
   candidates are checked for distance and source, block by block.
4. The groups are the connected components of the pairs found.

Work and memory grow with the number of rows and of candidates (neighbours in space *and*
time), never with the square of the number of rows in one time window. When the candidates of
an adversarial input (tens of thousands of distinct points within ``max_distance_m`` at one
time) exceed ``MAX_CANDIDATES``, each site is compared with only the ``k`` sites nearest in time
in each neighbour cell, ``k`` the largest that keeps the total under the limit; rows whose
comparison was cut are counted in ``attrs["duplicate_search_capped"]`` of the returned Series
(0 otherwise). Flags are then a subset of the exact ones; normal inputs never reach the limit.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError
from geo_trygg.crs import validate_working_crs

__all__ = ["MAX_CANDIDATES", "PRECISE", "flag_duplicates"]

PRECISE = ("exact", "address")
"""Location precisions whose points are compared by distance."""

MAX_CANDIDATES = 10_000_000
"""Most candidate pairs checked for distance in one call (see the module docstring)."""

_BLOCK_PAIRS = 2_000_000
# cells counted in an array of one count per cell up to 16 cells a row (+ 2**20), memory
# linear in the rows; beyond, a count per occupied cell (_may_pair)
_COUNT_ARRAY = (16, 1 << 20)
_TZ = "Europe/Stockholm"
_CELL_LIMIT = 2**61
# the neighbour cells searched from each cell: itself (later sites only) and four of its
# eight neighbours; the other four search this cell in turn
_OFFSETS = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def _check_positive(name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number) or number <= 0:
        raise ConfigError(f"{name}={value!r} is not allowed; expected a positive number")
    return number


def _times_ns(values: pd.Series) -> np.ndarray:
    """``time_from`` as int64 UTC nanoseconds; naive times are read as Swedish local time."""
    times = pd.to_datetime(values, errors="coerce")
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_localize(_TZ, ambiguous="NaT", nonexistent="NaT")
    return times.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").astype("int64")


def _float_key(values: np.ndarray) -> np.ndarray:
    """int64 keys in the order of the finite floats ``values``, equal exactly where the
    floats compare equal (``-0.0`` and ``0.0`` alike): integer keys sort faster."""
    bits = (np.asarray(values, dtype=np.float64) + 0.0).view(np.int64)  # + 0.0: -0.0 -> 0.0
    return np.where(bits < 0, bits ^ np.int64(0x7FFFFFFFFFFFFFFF), bits)


def _content_order(
    src: np.ndarray, y: np.ndarray, x: np.ndarray, cat: np.ndarray, times: np.ndarray
) -> np.ndarray:
    """``np.lexsort((src, y, x, cat, times))`` for finite ``x`` and ``y`` (issue 11, speed:
    the float keys replaced by :func:`_float_key`, the same order, ties included)."""
    return np.lexsort((src, _float_key(y), _float_key(x), cat, times))


def _cells(values: np.ndarray, size: float) -> np.ndarray:
    """Grid cell number of each coordinate (int64, clipped far beyond any real extent)."""
    cell = np.floor(values / size)
    return np.clip(cell, -_CELL_LIMIT, _CELL_LIMIT).astype(np.int64)


def _rank_of(sorted_unique: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each value in ``sorted_unique`` and whether it is there."""
    pos = np.searchsorted(sorted_unique, values)
    inside = pos < len(sorted_unique)
    found = inside.copy()
    found[inside] = sorted_unique[pos[inside]] == values[inside]
    return np.minimum(pos, max(len(sorted_unique) - 1, 0)), found


def _window_ranks(t: np.ndarray, times: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """For each time, the rank range [lo, hi) of the sorted distinct ``times`` within
    ``window`` of it (computed without int64 overflow)."""
    # differences of int64 values fit uint64 exactly when the first is not below the second
    low, high = times[[0, -1]].astype(np.uint64)
    unsigned = t.astype(np.uint64)
    below = unsigned - low <= np.uint64(window)
    above = high - unsigned <= np.uint64(window)
    lo = np.zeros(len(t), dtype=np.int64)
    hi = np.full(len(t), len(times), dtype=np.int64)
    lo[~below] = np.searchsorted(times, t[~below] - window, side="left")
    hi[~above] = np.searchsorted(times, t[~above] + window, side="right")
    return lo, hi


def _largest_k(counts: np.ndarray, limit: int) -> int:
    """The largest k with sum(min(counts, k)) <= limit (counts sum above the limit)."""
    lo, hi = 0, int(counts.max())
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if int(np.minimum(counts, mid).sum()) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _expand(start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Request r -> the positions start[r] .. start[r] + count[r] - 1, with r repeated."""
    r = np.repeat(np.arange(len(count)), count)
    offsets = np.arange(len(r)) - np.repeat(np.cumsum(count) - count, count)
    return r, start[r] + offsets


def _cell_codes(
    cx: np.ndarray, cy: np.ndarray, cat: np.ndarray
) -> tuple[np.ndarray, Callable[[int, int], tuple[np.ndarray, np.ndarray]]]:
    """One int64 code per (category, cell), and a function giving, for a cell offset, each
    site's neighbour code and whether that neighbour cell can exist at all."""
    n_cat = int(cat.max()) + 1
    x0, y0 = int(cx.min()), int(cy.min())
    width, height = int(cx.max()) - x0 + 3, int(cy.max()) - y0 + 3
    if n_cat * width * height < 2**62:  # cell numbers directly, one cell of margin each side
        px, py = cx - (x0 - 1), cy - (y0 - 1)

        def direct(dx: int, dy: int) -> tuple[np.ndarray, np.ndarray]:
            return (cat * width + px + dx) * height + py + dy, np.ones(len(cx), dtype=bool)

        return direct(0, 0)[0], direct
    # far-flung cells: rank the cell numbers that occur (a neighbour that does not occur
    # holds no site)
    ux, uy = np.unique(cx), np.unique(cy)

    def ranked(dx: int, dy: int) -> tuple[np.ndarray, np.ndarray]:
        tx, okx = _rank_of(ux, cx + dx)
        ty, oky = _rank_of(uy, cy + dy)
        return (cat * len(ux) + tx) * len(uy) + ty, okx & oky

    if n_cat * len(ux) * len(uy) >= 2**62:  # pragma: no cover - needs ~2 million rows
        raise ValueError("too many grid cells")
    return ranked(0, 0)[0], ranked


def _space_cells(
    values: np.ndarray, distance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Cells of ``values`` in two grids of side 4·``distance`` shifted by half a cell, which
    grid holds each value's interval [v − distance, v + distance] within one cell, and
    whether one does; None when the cells would not fit int64 (see :func:`_may_pair`)."""
    spread = float(np.abs(values).max())
    half = distance * (1 + 1e-9) + spread * 1e-15  # never below the distance after rounding
    side = 4 * half
    if not np.isfinite(side) or spread / side > 2**50:
        return None
    cells, fits = [], []
    for shift in (0.0, 2 * half):
        cells.append(np.floor((values - shift) / side).astype(np.int64))
        low = np.floor((values - half - shift) / side)
        fits.append(low == np.floor((values + half - shift) / side))
    return cells[0], cells[1], ~fits[0], fits[0] | fits[1]


def _time_cells(
    t: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """:func:`_space_cells` for int64 times and a window, in exact integer arithmetic."""
    step = max(window, 1)
    limit = 2**63 - 8 * step
    if step > 2**55 or int(t.max()) > limit or int(t.min()) < -limit:
        return None
    side = 4 * step
    cells, fits = [], []
    for shift in (0, 2 * step):
        cells.append((t - shift) // side)
        fits.append((t - step - shift) // side == (t + step - shift) // side)
    return cells[0], cells[1], ~fits[0], fits[0] | fits[1]


def _may_pair(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, cat: np.ndarray, distance: float, window: int
) -> np.ndarray:
    """Rows that another row of their category may pair with: a row is dropped only when no
    other row of its category lies in a cell that holds the whole box of points within
    ``distance`` in x and in y and ``window`` in time around it (exact: a pair's rows lie in
    each other's box). In each dimension one of two grids of side four half-boxes, shifted
    by two, holds the box in one cell; the counts of the eight combinations of grids are
    counted per cell. Sparse inputs (the usual ones) keep a small share of their rows for the
    exact search (issue 11, speed); inputs whose cells do not fit int64 keep every row."""
    n = len(x)
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    found = (_space_cells(x, distance), _space_cells(y, distance), _time_cells(t, window))
    dims = [d for d in found if d is not None]
    if len(dims) < 3:
        return keep
    cells0, cells1, second, fits = (tuple(d[k] for d in dims) for k in range(4))
    lows = [np.minimum(a.min(), b.min()) for a, b in zip(cells0, cells1, strict=True)]
    sizes = [
        int(max(a.max(), b.max()) - low) + 1
        for a, b, low in zip(cells0, cells1, lows, strict=True)
    ]
    total = (int(cat.max()) + 1) * sizes[0] * sizes[1] * sizes[2]
    if total >= 2**62:
        return keep
    chosen = second[0].astype(np.int64) * 4 + second[1] * 2 + second[2]
    by_grid = np.argsort(chosen, kind="stable")  # the rows of each combination: a run
    bounds = np.concatenate([[0], np.cumsum(np.bincount(chosen, minlength=8))])
    count = np.zeros(n, dtype=np.int64)
    cells = [(c0 - low, c1 - low) for c0, c1, low in zip(cells0, cells1, lows, strict=True)]
    key = np.empty(n, dtype=np.int64)  # one buffer for the eight keys
    for combination in range(8):
        grids = ((combination >> 2) & 1, (combination >> 1) & 1, combination & 1)
        np.copyto(key, cat, casting="unsafe")
        for dim, grid in enumerate(grids):
            np.multiply(key, sizes[dim], out=key)
            np.add(key, cells[dim][grid], out=key)
        mine = by_grid[bounds[combination] : bounds[combination + 1]]
        if total <= _COUNT_ARRAY[0] * n + _COUNT_ARRAY[1]:  # a count per cell
            count[mine] = np.bincount(key, minlength=total)[key[mine]]
        else:  # a count per occupied cell (hashed: no sort)
            where = pd.factorize(key)[0]
            count[mine] = np.bincount(where)[where[mine]]
    keep = (count > 1) | ~(fits[0] & fits[1] & fits[2])
    return keep


def _site_pairs(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    cat: np.ndarray,
    src: np.ndarray,
    distance: float,
    window: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Component label of each site (-1: in no pair), and which sites had their search cut.

    The sites must come sorted by time, then content, so that the binary searches below
    look up mostly increasing keys (fast) and ties are broken by content, not row order.
    """
    n = len(x)
    size = distance * (1 + 1e-9)  # never smaller than the distance after rounding
    cx, cy = _cells(x, size), _cells(y, size)
    code, neighbour = _cell_codes(cx, cy, cat)
    # time ranks while the sites are in time order (increasing keys: fast searches)
    distinct = np.r_[True, t[1:] != t[:-1]]
    times = t[distinct]
    trank = np.cumsum(distinct) - 1
    lo_rank, hi_rank = _window_ranks(t, times, window)
    # sites renumbered by cell, then time (stable: content order within one time), so that
    # each cell's sites are one run sorted by time and the searches look up increasing keys
    order = np.argsort(code, kind="stable")
    code, x, y, src = code[order], x[order], y[order], src[order]
    trank, lo_rank, hi_rank = trank[order], lo_rank[order], hi_rank[order]
    new_group = np.r_[True, code[1:] != code[:-1]]
    groups = code[new_group]
    gid = np.cumsum(new_group) - 1
    span = len(times) + 1
    key_sorted = gid * span + trank
    where = np.arange(n)

    starts: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    centres: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for dx, dy in _OFFSETS:
        if dx == 0 and dy == 0:
            lo = where + 1
            hi = np.searchsorted(key_sorted, gid * span + hi_rank, side="left")
            centre = lo
            who = np.arange(n)
        else:
            target, possible = neighbour(dx, dy)
            g, found = _rank_of(groups, target[order])
            possible = possible[order]
            who = np.flatnonzero(possible & found)
            g = g[who]
            lo = np.searchsorted(key_sorted, g * span + lo_rank[who], side="left")
            hi = np.searchsorted(key_sorted, g * span + hi_rank[who], side="left")
            centre = np.searchsorted(key_sorted, g * span + trank[who], side="left")
        keep = hi > lo
        starts.append(lo[keep])
        counts.append((hi - lo)[keep])
        centres.append(centre[keep])
        owners.append(who[keep])
    start = np.concatenate(starts)
    count = np.concatenate(counts)
    centre = np.concatenate(centres)
    owner = np.concatenate(owners)
    cut_sites = np.zeros(n, dtype=bool)
    if len(count) and int(count.sum()) > MAX_CANDIDATES:
        k = _largest_k(count, MAX_CANDIDATES)
        cut = count > k
        cut_sites[owner[cut]] = True
        # the k sites nearest in time: a run of k around where the site's own time falls
        first = np.clip(centre - k // 2, start, start + count - k)
        start = np.where(cut, first, start)
        count = np.minimum(count, k)

    edges = _Edges(n)
    total = np.cumsum(count)
    begin = 0
    while begin < len(count):
        base = int(total[begin - 1]) if begin else 0
        stop = max(int(np.searchsorted(total, base + _BLOCK_PAIRS, side="right")), begin + 1)
        r, b = _expand(start[begin:stop], count[begin:stop])
        a = owner[begin:stop][r]
        close = np.hypot(x[a] - x[b], y[a] - y[b]) <= distance
        close &= src[a] != src[b]
        edges.add(a[close], b[close])
        begin = stop
    label = np.empty(n, dtype=np.int64)
    label[order] = edges.components()
    cut_back = np.empty(n, dtype=bool)
    cut_back[order] = cut_sites
    return label, cut_back


class _Edges:
    """Pairs found so far, folded into a star per component when they grow large (memory
    O(sites + one block))."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.a: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.size = 0

    def add(self, a: np.ndarray, b: np.ndarray) -> None:
        self.a.append(a)
        self.b.append(b)
        self.size += len(a)
        if self.size > _BLOCK_PAIRS + self.n:
            label = self.components()
            member = np.flatnonzero(label >= 0)
            found, first = np.unique(label[member], return_index=True)
            root = member[first][np.searchsorted(found, label[member])]
            star = member != root
            self.a, self.b = [member[star]], [root[star]]
            self.size = int(star.sum())

    def components(self) -> np.ndarray:
        """Component label of each site in a pair, -1 for the others."""
        label = np.full(self.n, -1, dtype=np.int64)
        if not self.size:
            return label
        a, b = np.concatenate(self.a), np.concatenate(self.b)
        graph = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(self.n, self.n)).tocsr()
        _, comp = connected_components(graph, directed=False)
        inside = np.zeros(self.n, dtype=bool)
        inside[a] = inside[b] = True
        label[inside] = comp[inside]
        return label


def flag_duplicates(
    events: gpd.GeoDataFrame,
    *,
    max_distance_m: float = 200.0,
    max_hours: float = 2.0,
) -> pd.Series:
    """Give likely duplicate events across sources a shared group id.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events (``docs/data-model.md``) in a metric CRS. Needs ``category``,
        ``time_from`` and point geometries; ``source``, ``event_id`` and ``location_precision``
        are used when present (without ``source`` every row counts as its own source; without
        ``location_precision`` every row counts as precise).
    max_distance_m : float, default 200.0
        Largest distance between two duplicates, in metres.
    max_hours : float, default 2.0
        Largest difference of ``time_from`` between two duplicates, in hours.

    Returns
    -------
    pandas.Series
        Named ``"duplicate_group"`` on ``events.index``: ``"dup-<source>:<event_id>"`` (the
        group's smallest member) for rows in a group, None for the others. No row is dropped.
        ``attrs["duplicate_search_capped"]`` counts the rows whose search was cut short
        (see the module docstring; 0 for all but adversarial inputs).

    Raises
    ------
    ConfigError
        When a column is missing, the CRS is missing or not metric, or a threshold is not a
        positive number.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import Point
    >>> t = pd.Timestamp("2024-03-05 21:00", tz="Europe/Stockholm")
    >>> ev = gpd.GeoDataFrame(
    ...     {"event_id": ["a1", "v7", "a2"],
    ...      "source": ["bostadsbolag", "vaktbolag", "bostadsbolag"],
    ...      "category": ["fire", "fire", "fire"], "location_precision": ["address"] * 3,
    ...      "time_from": [t, t + pd.Timedelta("30min"), t + pd.Timedelta("5h")]},
    ...     geometry=[Point(0, 0), Point(100, 0), Point(0, 0)], crs="EPSG:3006")
    >>> flag_duplicates(ev).tolist()
    ['dup-bostadsbolag:a1', 'dup-bostadsbolag:a1', None]
    """
    distance = _check_positive("max_distance_m", max_distance_m)
    hours = _check_positive("max_hours", max_hours)
    if not isinstance(events, gpd.GeoDataFrame):
        raise ConfigError(f"events must be a GeoDataFrame; got {type(events).__name__}")
    missing = [c for c in ("category", "time_from") if c not in events.columns]
    if missing:
        raise ConfigError(f"events lacks column(s) {', '.join(map(repr, missing))}")
    if events.crs is None:
        raise ConfigError(
            "events has no CRS; distances need a metric CRS such as 'EPSG:3006' "
            "(use events.set_crs(...) or events.to_crs(...))"
        )
    validate_working_crs(events.crs, name="events.crs")

    n = len(events)
    out = pd.Series(object_array(n), index=events.index, name="duplicate_group", dtype=object)
    out.attrs["duplicate_search_capped"] = 0
    if n < 2:
        return out

    geoms = events.geometry.to_numpy()
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    kinds = np.asarray(shapely.get_type_id(geoms))  # -1 for a missing geometry
    coords, where = shapely.get_coordinates(geoms[kinds == 0], return_index=True)
    if len(where):  # an empty point has no coordinate: one row each for the others
        rows = np.flatnonzero(kinds == 0)[where]
        x[rows], y[rows] = coords[:, 0], coords[:, 1]

    times = _times_ns(events["time_from"].reset_index(drop=True))
    category = events["category"].to_numpy(dtype=object)
    if "source" in events.columns:
        source = events["source"].astype(object).where(events["source"].notna(), "").to_numpy()
    else:
        source = np.array([f"#{i}" for i in range(n)], dtype=object)
    if "location_precision" in events.columns:
        precise = events["location_precision"].isin(PRECISE).to_numpy()
    else:
        precise = np.ones(n, dtype=bool)
    usable = (
        precise
        & np.isfinite(x)
        & np.isfinite(y)
        & (times != np.iinfo(np.int64).min)
        & pd.notna(category)
    )
    if usable.sum() < 2:
        return out

    window = round(min(hours * 3_600_000_000_000, 2.0**63 - 1024))
    pos = np.flatnonzero(usable)
    # rows alike in everything the rule looks at are one site (content order, not row order)
    cat_codes = pd.factorize(category[pos])[0]
    src_codes = pd.factorize(source[pos], sort=True)[0]
    near = _may_pair(x[pos], y[pos], times[pos], cat_codes, distance, window)
    pos, cat_codes, src_codes = pos[near], cat_codes[near], src_codes[near]
    if len(pos) < 2:
        return out
    fields = (src_codes, y[pos], x[pos], cat_codes, times[pos])
    order = _content_order(*fields)
    changed = np.zeros(len(pos), dtype=bool)
    changed[0] = True
    for values in fields:
        ordered = values[order]
        changed[1:] |= ordered[1:] != ordered[:-1]
    site_of = np.empty(len(pos), dtype=np.int64)
    site_of[order] = np.cumsum(changed) - 1
    first = order[changed]
    label, cut = _site_pairs(
        x[pos][first],
        y[pos][first],
        times[pos][first],
        cat_codes[first],
        src_codes[first],
        distance,
        window,
    )
    row_label = label[site_of]
    inside = row_label >= 0
    out.attrs["duplicate_search_capped"] = int(cut[site_of].sum())
    if not inside.any():
        return out
    nodes = pos[inside]
    comp = row_label[inside]
    ids = events["event_id"] if "event_id" in events.columns else pd.Series(index=events.index)
    id_values = ids.to_numpy(dtype=object)
    index_values = events.index.to_numpy()
    node_keys = np.array(
        [
            f"{source[k]}:{e if isinstance(e, str) or pd.notna(e) else str(index_values[k])}"
            for k, e in zip(nodes, id_values[nodes], strict=True)
        ],
        dtype=str,
    )
    keys, key_code = np.unique(node_keys, return_inverse=True)  # sorted: code order = key order
    comps, comp_code = np.unique(comp, return_inverse=True)
    smallest = np.full(len(comps), len(keys), dtype=np.int64)
    np.minimum.at(smallest, comp_code, key_code)
    names = np.array(["dup-" + k for k in keys], dtype=object)
    values = out.to_numpy(dtype=object)
    values[nodes] = names[smallest[comp_code]]
    result = pd.Series(values, index=events.index, name="duplicate_group", dtype=object)
    result.attrs["duplicate_search_capped"] = int(cut[site_of].sum())
    return result
