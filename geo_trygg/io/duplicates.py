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

Candidate pairs are found per category on rows sorted by time (a sliding window of
``max_hours``), processed in blocks, then filtered by distance and source, so the work grows with
the number of events close in time, not with the square of the number of rows.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg.crs import validate_working_crs

__all__ = ["PRECISE", "flag_duplicates"]

PRECISE = ("exact", "address")
"""Location precisions whose points are compared by distance."""

_BLOCK_PAIRS = 2_000_000
_TZ = "Europe/Stockholm"


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


def _window_pairs(t: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j), i < j, with t[j] - t[i] <= window, for sorted ``t`` (block by block)."""
    end = np.searchsorted(t, t + window, side="right")
    counts = end - np.arange(len(t)) - 1
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    start = 0
    cumulative = np.cumsum(counts)
    while start < len(t):
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + _BLOCK_PAIRS, side="right"))
        stop = max(stop, start + 1)
        block = counts[start:stop]
        i = np.repeat(np.arange(start, stop), block)
        offsets = np.arange(len(i)) - np.repeat(np.cumsum(block) - block, block)
        left.append(i)
        right.append(i + 1 + offsets)
        start = stop
    if not left:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label (smallest member position) of each of ``n`` nodes."""
    label = np.arange(n)
    if len(a) == 0:
        return label
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]  # pointer jumping
        if np.array_equal(new, label):
            return label
        label = new


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
    out = pd.Series([None] * n, index=events.index, name="duplicate_group", dtype=object)
    if n < 2:
        return out

    geoms = events.geometry.to_numpy()
    points = np.asarray(shapely.get_type_id(geoms) == 0) & ~np.asarray(shapely.is_empty(geoms))
    points &= ~np.asarray(shapely.is_missing(geoms))
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    x[points] = shapely.get_x(geoms[points])
    y[points] = shapely.get_y(geoms[points])

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

    window = round(hours * 3_600_000_000_000)
    pos = np.flatnonzero(usable)
    # by category, then time: the pairs within the window do not depend on any other order
    cat_codes = pd.factorize(category[pos])[0]
    order = np.lexsort((times[pos], cat_codes))
    pos = pos[order]
    cat_sorted = cat_codes[order]
    bounds = np.flatnonzero(np.r_[True, cat_sorted[1:] != cat_sorted[:-1], True])
    pair_a: list[np.ndarray] = []
    pair_b: list[np.ndarray] = []
    for start, stop in itertools.pairwise(bounds):
        members = pos[start:stop]
        i, j = _window_pairs(times[members], window)
        if len(i) == 0:
            continue
        a, b = members[i], members[j]
        close = np.hypot(x[a] - x[b], y[a] - y[b]) <= distance
        close &= source[a] != source[b]
        pair_a.append(a[close])
        pair_b.append(b[close])
    if not pair_a:
        return out
    a = np.concatenate(pair_a)
    b = np.concatenate(pair_b)
    if len(a) == 0:
        return out

    # Components over the rows that take part in a pair, then the smallest key per component.
    nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    comp = _components(len(nodes), inverse[: len(a)], inverse[len(a) :])
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
    frame = pd.DataFrame({"comp": comp, "key": node_keys})
    smallest = frame.groupby("comp")["key"].transform("min").to_numpy()
    values = out.to_numpy(dtype=object)
    values[nodes] = ["dup-" + k for k in smallest]
    return pd.Series(values, index=events.index, name="duplicate_group", dtype=object)
