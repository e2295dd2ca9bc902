"""The Knox near-repeat test over a table of space x time bands.

After a burglary, the houses next door run a higher risk for a few days or weeks ("near
repeat"). The Knox test asks whether pairs of events that are close in space are also close in
time more often than chance would give. :func:`knox_test` answers it for a table of distance
bands x time bands at once, with Monte Carlo p-values.

Rules
-----
Events
    Only points with a precise location (``location_precision`` ``exact`` or ``address``, see
    :func:`~geo_trygg.hotspots._points.precise_points`) are used; coarser points are left out
    with a warning, and a frame with no precise point is refused. With ``category=``, only events
    of that canonical category (or categories) are used. Events without a time are left out with
    a warning that counts them. Fewer than two events left raise :class:`ConfigError` (a pair
    needs two events; a report over many areas should catch it per area).
Pairs
    Every unordered pair of events ``i < j`` is considered once.
Distance
    The straight-line distance ``d`` in metres in the frame's metric CRS. A pair falls in space
    band ``k`` when ``edges[k] < d <= edges[k + 1]``, except that the first band also includes
    ``d == edges[0]``: with the default edges ``(0, 100, 200, 400)`` the bands are
    ``[0, 100]``, ``(100, 200]`` and ``(200, 400]``, and two events at the same address
    (``d = 0``) fall in the first band.
Time
    The number of whole calendar days between the local dates (Europe/Stockholm) of the two
    events' times: two events on the same day are 0 days apart, 23:50 and 00:10 the next night
    1 day apart. Times with a time zone are converted to Europe/Stockholm first; times without
    one (e.g. a date column) are taken as local dates. A pair falls in time band ``(a, b)``
    when ``a <= days <= b`` (both ends included, whole days). Pairs in no space band or no
    time band are not counted.
Null hypothesis
    The times are independent of the places. Each permutation shuffles the times among the
    events (places fixed) with a local ``numpy.random.default_rng(seed)`` and counts the same
    table. ``expected`` is the mean of the permuted counts, ``ratio = observed / expected``
    (NaN when ``expected`` is 0) and the one-sided p-value is
    ``(1 + #{permuted >= observed}) / (1 + permutations)`` -- small when more pairs are close
    in space and time than chance would give. A band shows a near-repeat pattern when
    ``p_value <= 0.05`` and ``ratio > 1`` (or ``expected`` is 0 and pairs were observed).
    The p-values are per band and not adjusted for the number of bands.
Codes
    Each band gets a code in ``knox_pattern`` (:data:`KNOX_PATTERNS`): ``near_repeat`` for a
    near-repeat pattern, ``no_pairs`` when no pair can fall in the band (``expected`` and
    ``observed`` both 0: not testable), else ``no_pattern``. The sentences a reader sees come
    from :mod:`geo_trygg.labels` (kind ``"knox"``; ``with_words`` adds them as ``label``).

Compared with :class:`pointpats.spacetime.Knox` (one band pair, ``d <= delta`` and
``|t| <= tau``): the observed count of ``space_bands=(0, delta)``, ``time_bands=((0, tau),)``
equals pointpats' statistic when pointpats is given the same day numbers. pointpats is not
called here: it has no ``seed=`` and uses NumPy's global random state.

Speed
-----
The candidate pairs (at most the largest edge apart) are found once with
:class:`scipy.spatial.cKDTree`, sorted by space band; each permutation then only recomputes
the day differences of those pairs and counts them per band in a few vectorised passes, in
buffers reused across permutations (memory grows with the number of pairs, not with
``permutations``). 10,000 events with 999 permutations took 0.4-0.9 s when they formed
~170,000-260,000 pairs within 400 m and 1.3-2.4 s for ~700,000 pairs (2-core machine); the
time grows with the number of pairs. More than :data:`MAX_PAIRS` candidate pairs are refused
with a message.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg.hotspots._points import check_metric, precise_points
from geo_trygg.vocab.events import EVENT_CATEGORIES

__all__ = ["KNOX_PATTERNS", "MAX_PAIRS", "TIMEZONE", "knox_test"]

TIMEZONE = "Europe/Stockholm"
"""Time zone whose calendar dates define the day difference of a pair."""

MAX_PAIRS = 10_000_000
"""Most candidate pairs (at most the largest distance edge apart) :func:`knox_test` accepts."""

ALPHA = 0.05
"""Level at which a band is said to show a near-repeat pattern."""

KNOX_PATTERNS = ("near_repeat", "no_pattern", "no_pairs")
"""Codes of the ``knox_pattern`` column of :func:`knox_test`; their words:
:func:`geo_trygg.labels.knox_names`."""

_COLUMNS = (
    "space_from_m",
    "space_to_m",
    "time_from_days",
    "time_to_days",
    "observed",
    "expected",
    "ratio",
    "p_value",
    "near_repeat",
    "knox_pattern",
)


# --- argument checks ---------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


def _as_list(value: object) -> list[Any] | None:
    """A sequence or 1-d/2-d array as a list of its items; ``None`` for anything else."""
    if isinstance(value, np.ndarray):
        return list(value) if value.ndim else None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return None
    return list(value)


def _check_space_bands(space_bands: Any) -> np.ndarray:
    """The distance edges as floats; ConfigError unless at least two, >= 0, increasing."""
    allowed = "at least two finite numbers >= 0 in strictly increasing order, e.g. (0, 100, 200)"
    values = _as_list(space_bands)
    if (
        values is None
        or len(values) < 2
        or not all(isinstance(v, Real) and not isinstance(v, (bool, np.bool_)) for v in values)
    ):
        raise ConfigError(f"space_bands={space_bands!r} is not allowed; expected {allowed}")
    edges = np.asarray(values, dtype=float)
    if not np.isfinite(edges).all() or (edges < 0).any() or (np.diff(edges) <= 0).any():
        raise ConfigError(f"space_bands={space_bands!r} is not allowed; expected {allowed}")
    return edges


def _check_time_bands(time_bands: Any) -> list[tuple[int, int]]:
    """The time bands as int pairs; ConfigError unless whole days, ordered, not overlapping."""
    allowed = (
        "a non-empty sequence of (first day, last day) pairs of whole numbers >= 0, each with "
        "first <= last, in increasing order and not overlapping, e.g. ((0, 7), (8, 14))"
    )
    bad = ConfigError(f"time_bands={time_bands!r} is not allowed; expected {allowed}")
    rows = _as_list(time_bands)
    if not rows:
        raise bad
    bands: list[tuple[int, int]] = []
    for row in rows:
        band = _as_list(row)
        if band is None or len(band) != 2:
            raise bad
        first, last = band
        if not (_is_int(first) and _is_int(last)) or not 0 <= first <= last:
            raise bad
        if bands and first <= bands[-1][1]:
            raise bad
        bands.append((int(first), int(last)))
    return bands


def _check_categories(category: Any) -> tuple[str, ...] | None:
    """``None`` or a tuple of canonical event categories (ConfigError for anything else)."""
    if category is None:
        return None
    values = [category] if isinstance(category, str) else _as_list(category)
    if not values:
        raise ConfigError(
            f"category={category!r} is not allowed; expected None, a category or a list of "
            f"categories from: {', '.join(map(repr, EVENT_CATEGORIES))}"
        )
    return tuple(dict.fromkeys(check_choice("category", v, EVENT_CATEGORIES) for v in values))


def _check_int(name: str, value: Any, minimum: int, example: str) -> int:
    if not _is_int(value) or value < minimum:
        raise ConfigError(
            f"{name}={value!r} is not allowed; expected a whole number >= {minimum}, "
            f"e.g. {example}"
        )
    return int(value)


def _check_events(events: Any, time_column: Any, categories: tuple[str, ...] | None) -> None:
    frame = check_metric(events, "events")
    if not isinstance(time_column, str) or time_column not in frame.columns:
        raise ConfigError(
            f"time_column={time_column!r} is not a column of events; its columns are: "
            f"{', '.join(map(repr, map(str, frame.columns)))}"
        )
    if not pd.api.types.is_datetime64_any_dtype(frame[time_column].dtype):
        raise ConfigError(
            f"events[{time_column!r}] must hold dates or times (datetime64, as read by "
            f"read_events); got dtype {frame[time_column].dtype}"
        )
    if categories is not None and "category" not in frame.columns:
        raise ConfigError(
            f"category={categories[0]!r} needs a 'category' column in events; read the events "
            "with read_events"
        )


# --- computation -------------------------------------------------------------------


def local_day_numbers(times: pd.Series) -> np.ndarray:
    """Whole days since 1970-01-01 of each time's local date in Europe/Stockholm.

    Parameters
    ----------
    times : pandas.Series
        ``datetime64`` values with a time zone (converted to Europe/Stockholm) or without one
        (taken as local); no missing values.

    Returns
    -------
    numpy.ndarray
        int64 day numbers; two times on the same local date get the same number.

    Examples
    --------
    >>> t = pd.Series(pd.to_datetime(["2024-03-10T22:59:00Z", "2024-03-10T23:01:00Z"]))
    >>> local_day_numbers(t).tolist()  # 23:59 and 00:01 local time (UTC+1)
    [19792, 19793]
    """
    if getattr(times.dtype, "tz", None) is not None:
        times = times.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    dates = times.dt.normalize().to_numpy().astype("datetime64[D]")
    return dates.astype(np.int64)


def _candidate_pairs(
    xy: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Pairs ``i < j`` in some space band, sorted by band, and the band boundaries.

    Returns ``(i, j, starts, n_within)``: ``i``/``j`` int arrays of the pairs ordered by space
    band, ``starts`` the offsets of each band (length ``n_space + 1``) and ``n_within`` the
    number of pairs at most ``edges[-1]`` apart (also those closer than ``edges[0]``).
    """
    tree = cKDTree(xy)
    # a hair more than the largest edge, so that no pair is lost to rounding in the tree; the
    # bands are decided below on distances computed here
    radius = float(edges[-1]) * (1 + 1e-9) + 1e-9
    n_ordered = int(tree.count_neighbors(tree, radius))
    n_found = (n_ordered - len(xy)) // 2
    if n_found > MAX_PAIRS:
        raise ConfigError(
            f"space_bands reach {edges[-1]:g} m, within which the events form {n_found:,} pairs, "
            f"more than the {MAX_PAIRS:,} this test handles; use a smaller largest distance, "
            "a shorter period or a smaller area"
        )
    pairs = tree.query_pairs(r=radius, output_type="ndarray")
    dist = np.hypot(
        xy[pairs[:, 0], 0] - xy[pairs[:, 1], 0], xy[pairs[:, 0], 1] - xy[pairs[:, 1], 1]
    )
    within = dist <= edges[-1]
    keep = within & (dist >= edges[0])
    pairs, dist = pairs[keep], dist[keep]
    band = np.searchsorted(edges, dist, side="left") - 1
    band[dist == edges[0]] = 0
    order = np.argsort(band, kind="stable")
    index_type = np.int32 if len(xy) < 2**31 else np.int64
    i = pairs[order, 0].astype(index_type)
    j = pairs[order, 1].astype(index_type)
    starts = np.searchsorted(band[order], np.arange(len(edges)), side="left")
    return i, j, starts, int(within.sum())


class _Counter:
    """Counts pairs per (space band, time band) for any ordering of the events' day numbers."""

    def __init__(
        self, i: np.ndarray, j: np.ndarray, starts: np.ndarray, bands: list[tuple[int, int]]
    ) -> None:
        self.i, self.j, self.starts = i, j, starts
        self.n_space = len(starts) - 1
        # count(first <= |dt| <= last) = count(|dt| <= last) - count(|dt| <= first - 1)
        limits = sorted({b for _, b in bands} | {a - 1 for a, _ in bands if a > 0})
        self.limits = limits
        self.upper = [limits.index(b) for _, b in bands]
        self.lower = [limits.index(a - 1) if a > 0 else -1 for a, _ in bands]
        self._buffers: dict[np.dtype[Any], tuple[np.ndarray, ...]] = {}

    def _buffer(self, dtype: np.dtype[Any]) -> tuple[np.ndarray, ...]:
        if dtype not in self._buffers:
            m = len(self.i)
            self._buffers[dtype] = (np.empty(m, dtype), np.empty(m, dtype), np.empty(m, bool))
        return self._buffers[dtype]

    def count(self, days: np.ndarray) -> np.ndarray:
        """The table (n_space x n_time, int64) for events with day numbers ``days``."""
        diff, other, below = self._buffer(days.dtype)
        np.take(days, self.i, out=diff)
        np.take(days, self.j, out=other)
        np.subtract(diff, other, out=diff)
        np.abs(diff, out=diff)
        cumulative = np.zeros((self.n_space, len(self.limits) + 1), dtype=np.int64)
        for k in range(self.n_space):
            lo, hi = self.starts[k], self.starts[k + 1]
            if hi == lo:
                continue
            segment, mask = diff[lo:hi], below[lo:hi]
            for col, limit in enumerate(self.limits):
                np.less_equal(segment, limit, out=mask)
                cumulative[k, col] = np.count_nonzero(mask)
        # column -1 (the extra last column) stays 0: count(|dt| <= -1)
        return cumulative[:, self.upper] - cumulative[:, self.lower]


def _day_dtype(days: np.ndarray) -> tuple[np.ndarray, np.dtype[Any]]:
    """Day numbers from 0, in the smallest integer type their differences fit in."""
    shifted = days - days.min()
    dtype = np.dtype(np.int16 if shifted.max() < 2**15 else np.int64)
    return shifted.astype(dtype), dtype


def _patterns(
    observed: np.ndarray, expected: np.ndarray, ratio: np.ndarray, p_value: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The near-repeat flag and the code of :data:`KNOX_PATTERNS` of each band."""
    with np.errstate(invalid="ignore"):
        higher = (ratio > 1) | ((expected == 0) & (observed > 0))
    flag = (p_value <= ALPHA) & higher
    untestable = (expected == 0) & (observed == 0)
    codes = np.select([flag, untestable], ["near_repeat", "no_pairs"], default="no_pattern")
    return flag, codes.astype(object)


# --- public ------------------------------------------------------------------------


def knox_test(
    events: gpd.GeoDataFrame,
    *,
    space_bands: Sequence[float] = (0, 100, 200, 400),
    time_bands: Sequence[tuple[int, int]] = ((0, 7), (8, 14), (15, 30)),
    category: str | Sequence[str] | None = None,
    time_column: str = "time_from",
    permutations: int = 999,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Knox near-repeat test: are events close in space also close in time, per band?

    The rules (bands, day counting, permutations, p-values) are in the module docstring of
    :mod:`geo_trygg.hotspots._knox`.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Point events in a metric CRS (e.g. the ``.accepted`` of :func:`geo_trygg.read_events`)
        with a time column; only points with ``location_precision`` ``exact`` or ``address``
        are used.
    space_bands : sequence of float, default (0, 100, 200, 400)
        Distance edges in metres, at least two, ``>= 0`` and strictly increasing; the bands are
        ``[e0, e1]``, ``(e1, e2]``, ... (the first one includes its lower edge).
    time_bands : sequence of (int, int), default ((0, 7), (8, 14), (15, 30))
        Time bands as inclusive ranges of whole days between the events' local dates, in
        increasing order and not overlapping (gaps are allowed and not counted).
    category : str or sequence of str, optional
        Only events whose ``category`` is this canonical category (or one of these), e.g.
        ``"burglary"``; all events when omitted.
    time_column : str, default "time_from"
        Column with the events' times (``datetime64``, with or without a time zone).
    permutations : int, default 999
        Number of random permutations of the times (at least 1).
    seed : int or None, default 0
        Seed of the local random generator; ``None`` draws a fresh one (results then vary).

    Returns
    -------
    pandas.DataFrame
        One row per (space band, time band), space bands outer, in band order, with columns
        ``space_from_m``, ``space_to_m`` (float), ``time_from_days``, ``time_to_days`` (int),
        ``observed`` (int, pairs in the band), ``expected`` (float, mean over permutations),
        ``ratio`` (observed / expected, NaN when expected is 0), ``p_value`` (one-sided, in
        ``(0, 1]``), ``near_repeat`` (bool, p <= 0.05 and more pairs than expected) and
        ``knox_pattern`` (a code of :data:`KNOX_PATTERNS`; ``geo_trygg.labels.with_words``
        adds the plain sentence saying so, ``label``). ``attrs["parameters"]`` holds the parameters
        and counts (``n_events`` used, ``n_pairs_within_max_distance``, events left out by
        reason, ...) as plain values with sorted keys.

    Raises
    ------
    ConfigError
        For a bad argument (naming it, the value and what is allowed) before any work; when
        ``events`` is not a GeoDataFrame of points in a metric CRS, lacks the time column
        or the ``category`` column, has no precise point, has fewer than two usable events,
        or forms more than :data:`MAX_PAIRS` pairs within the largest distance. Messages
        are in the session's language (``geo_trygg.settings.lang``).

    Warns
    -----
    GeoTryggWarning
        When events are left out (coarse location, no coordinates, no time), in the
        session's language.

    Examples
    --------
    >>> import geopandas as gpd
    >>> ev = gpd.GeoDataFrame(
    ...     {"time_from": pd.to_datetime(["2024-05-01", "2024-05-03", "2024-06-20"])
    ...      .tz_localize("Europe/Stockholm")},
    ...     geometry=gpd.points_from_xy([0, 50, 5000], [0, 0, 0]), crs="EPSG:3006")
    >>> table = knox_test(ev, space_bands=(0, 100), time_bands=((0, 7),), permutations=99)
    >>> table[["space_to_m", "time_to_days", "observed"]].to_dict("records")
    [{'space_to_m': 100.0, 'time_to_days': 7, 'observed': 1}]
    """
    edges = _check_space_bands(space_bands)
    bands = _check_time_bands(time_bands)
    categories = _check_categories(category)
    n_perm = _check_int("permutations", permutations, 1, "999")
    if seed is not None:
        _check_int("seed", seed, 0, "0")
    _check_events(events, time_column, categories)

    frame = events
    if categories is not None:
        frame = events[events["category"].isin(categories).to_numpy()]
    kept, counts = precise_points(frame, name="events")
    has_time = kept[time_column].notna().to_numpy()
    n_no_time = int((~has_time).sum())
    if n_no_time:
        warnings.warn(
            msg("knox_no_time", name="events", n=n_no_time, column=time_column),
            GeoTryggWarning,
            stacklevel=2,
        )
    kept = kept[has_time]
    if len(kept) < 2:
        what = (
            "" if categories is None else msg("knox_of_category", categories=", ".join(categories))
        )
        raise ConfigError(msg("knox_too_few_events", name="events", n=len(kept), what=what))

    xy = np.column_stack([kept.geometry.x.to_numpy(), kept.geometry.y.to_numpy()])
    days, _ = _day_dtype(local_day_numbers(kept[time_column]))
    i, j, starts, n_within = _candidate_pairs(xy, edges)
    counter = _Counter(i, j, starts, bands)
    observed = counter.count(days)

    rng = np.random.default_rng(seed)
    n_exceed = np.zeros_like(observed)
    total = np.zeros_like(observed)
    for _ in range(n_perm):
        table = counter.count(days[rng.permutation(len(days))])
        n_exceed += table >= observed
        total += table

    obs = observed.ravel()
    expected = total.ravel() / n_perm
    ratio = np.full(len(obs), np.nan)
    np.divide(obs, expected, out=ratio, where=expected > 0)
    p_value = (1 + n_exceed.ravel()) / (1 + n_perm)
    flag, codes = _patterns(obs, expected, ratio, p_value)

    n_space, n_time = observed.shape
    result = pd.DataFrame(
        {
            "space_from_m": np.repeat(edges[:-1], n_time),
            "space_to_m": np.repeat(edges[1:], n_time),
            "time_from_days": np.tile([a for a, _ in bands], n_space).astype(np.int64),
            "time_to_days": np.tile([b for _, b in bands], n_space).astype(np.int64),
            "observed": obs.astype(np.int64),
            "expected": expected.astype(float),
            "ratio": ratio.astype(float),
            "p_value": p_value.astype(float),
            "near_repeat": flag.astype(bool),
            "knox_pattern": pd.Series(codes, dtype=object),
        },
        columns=list(_COLUMNS),
    )
    n_other = len(events) - len(frame)
    parameters: dict[str, Any] = {
        "alpha": ALPHA,
        "category": None if categories is None else list(categories),
        "n_events": len(kept),
        "n_input": len(events),
        "n_left_out": counts["n_coarse"] + counts["n_no_geometry"] + n_no_time,
        "n_left_out_coarse": counts["n_coarse"],
        "n_left_out_no_geometry": counts["n_no_geometry"],
        "n_left_out_no_time": n_no_time,
        "n_other_category": n_other,
        "n_pairs": len(kept) * (len(kept) - 1) // 2,
        "n_pairs_in_bands": int(obs.sum()),
        "n_pairs_within_max_distance": n_within,
        "permutations": n_perm,
        "seed": None if seed is None else int(seed),
        "space_bands": [float(e) for e in edges],
        "time_bands": [[a, b] for a, b in bands],
        "time_column": time_column,
        "timezone": TIMEZONE,
    }
    result.attrs["parameters"] = dict(sorted(parameters.items()))
    return result
