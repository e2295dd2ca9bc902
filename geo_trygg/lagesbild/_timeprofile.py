"""Time profiles: events by weekday × hour and per ISO week, with aoristic weighting.

Many events are known only within a time window: a burglary happened "between Friday 17:00 and
Monday 07:00". Counting such an event at its start time would pile burglaries up on Friday
evenings. *Aoristic* weighting (Ratcliffe 2000) spreads each event over its window instead: the
event has total weight 1, split over the clock hours (or weeks) the window covers in proportion
to the time that falls in each. An event with ``time_to == time_from`` (or no ``time_to``) puts
its whole weight in the hour of ``time_from``.

Clock time and daylight saving time
-----------------------------------
Hours and weekdays are local clock time in ``tz`` (Europe/Stockholm by default). Weights follow
**real elapsed time**, not the clock face:

- on the spring-forward day (e.g. 2024-03-31) the clock jumps from 02:00 to 03:00, so local
  hour 2 does not exist and gets no weight; a window 01:30–03:30 lasts one real hour and puts
  half its weight in hour 1 and half in hour 3;
- on the fall-back day (e.g. 2024-10-27) the clock passes 02:00–03:00 twice, so local hour 2
  gets the minutes of both passes; a window 01:30–03:30 lasts three real hours and puts 1/6 in
  hour 1, 4/6 in hour 2 and 1/6 in hour 3;
- ISO weeks start on Monday 00:00 local time; the week of a change has 167 or 169 real hours,
  and a window is split between weeks by the real time in each.

Windows longer than :data:`LONG_WINDOW_DAYS` days are spread anyway (they still count, so totals
reconcile) but counted in ``attrs["n_long_windows"]`` and a note, since they say little about
when something happened. Events without ``time_from`` and events that end before they start are
left out, counted in ``attrs`` and reported with a :class:`~geo_trygg.GeoTryggWarning`.

The computation is vectorised: each event is expanded to the hourly (or weekly) bins it covers
with ``numpy.repeat`` and the weights are summed with ``numpy.bincount``. Events within one bin
are counted as whole numbers, which is exact in any order; events spread over several bins are
sorted by (area, start, end) first, so the floating-point sums and therefore every output byte
are the same whatever the order of the input rows.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_date

__all__ = ["LONG_WINDOW_DAYS", "TZ", "weekday_hour", "weekly_series"]

TZ = "Europe/Stockholm"
"""The default time zone of time profiles."""

LONG_WINDOW_DAYS = 7
"""Windows longer than this many days are spread anyway but counted as long in ``attrs``."""

_HOUR_NS = 3_600_000_000_000
_DAY_NS = 24 * _HOUR_NS
_CHUNK = 4_000_000  # expanded (event, bin) rows per chunk: bounds the memory used
_DENSE_LOOKUP_MAX = 2_000_000  # hours (≈ 228 years) for which a direct lookup table is built


# --- input preparation ------------------------------------------------------------------------


@dataclass
class _Prepared:
    """Events reduced to what the profiles need, in input order (see :func:`_accumulate`)."""

    t0: np.ndarray  # int64 ns since epoch (UTC)
    t1: np.ndarray  # int64 ns, >= t0
    codes: np.ndarray  # int64 group code per event, 0 … n_groups-1
    groups: list[Any]  # group value per code (None for events without an area)
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def n_groups(self) -> int:
        return len(self.groups)


def _check_tz(tz: object) -> str:
    if not isinstance(tz, str):
        raise ConfigError(f"tz={tz!r} is not a time zone name; write e.g. tz='Europe/Stockholm'")
    try:
        pd.Timestamp("2024-01-01", tz=tz)
    except Exception:
        raise ConfigError(
            f"tz={tz!r} is not a known time zone; write an IANA name such as 'Europe/Stockholm'"
        ) from None
    return tz


def _check_inputs(events: object, by: object) -> pd.DataFrame:
    if not isinstance(events, pd.DataFrame):
        raise ConfigError(
            f"events must be a DataFrame of events (see docs/data-model.md), "
            f"not {type(events).__name__}"
        )
    if "time_from" not in events.columns:
        raise ConfigError(
            "events has no column 'time_from'; columns: " + ", ".join(map(str, events.columns))
        )
    if by is not None and (not isinstance(by, str) or by not in events.columns):
        allowed = [str(c) for c in events.columns if c not in ("time_from", "time_to")]
        raise ConfigError(
            f"by={by!r} is not a column of events; allowed: None or one of "
            + ", ".join(map(repr, allowed))
        )
    if by in ("weekday", "weekday_name", "hour", "weight", "week", "week_start"):
        raise ConfigError(f"by={by!r} clashes with an output column; rename the column first")
    return events


def _times(events: pd.DataFrame, column: str, tz: str) -> np.ndarray:
    """A time column as int64 ns UTC with ``NaT`` as the int64 minimum."""
    values = events[column]
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        if values.isna().all():
            return np.full(len(values), np.iinfo(np.int64).min, dtype=np.int64)
        raise ConfigError(
            f"events[{column!r}] has dtype {values.dtype}, not datetimes; read the events with "
            "geo_trygg.read_events or convert the column with pandas.to_datetime"
        )
    if getattr(values.dt, "tz", None) is None:
        warnings.warn(msg("tp_naive_times", column=column, tz=tz), GeoTryggWarning, 4)
        values = values.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return values.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64).copy()


def _group_codes(events: pd.DataFrame, by: str | None) -> tuple[np.ndarray, list[Any]]:
    if by is None:
        return np.zeros(len(events), dtype=np.int64), [None]
    values = events[by].astype(object).to_numpy()
    try:
        codes, uniques = pd.factorize(values, sort=True)
        groups = list(uniques)
    except TypeError:  # mixed types cannot be ordered: order by their text
        codes, uniques = pd.factorize(values)
        order = sorted(range(len(uniques)), key=lambda i: str(uniques[i]))
        remap = np.empty(len(order), dtype=np.int64)
        remap[order] = np.arange(len(order))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        groups = [uniques[i] for i in order]
    codes = codes.astype(np.int64)
    if (codes < 0).any():  # events without an area: one last group, so totals reconcile
        codes[codes < 0] = len(groups)
        groups.append(None)
    return codes, groups


def _prepare(events: pd.DataFrame, by: str | None, tz: str) -> _Prepared:
    nat = np.iinfo(np.int64).min
    t0 = _times(events, "time_from", tz)
    if "time_to" in events.columns:
        t1 = _times(events, "time_to", tz)
    else:
        t1 = np.full(len(events), nat, dtype=np.int64)
    codes, groups = _group_codes(events, by)

    missing = t0 == nat
    t1 = np.where(t1 == nat, t0, t1)  # no end: a single point in time
    reversed_ = ~missing & (t1 < t0)
    keep = ~missing & ~reversed_
    notes: list[str] = []
    n_missing, n_reversed = int(missing.sum()), int(reversed_.sum())
    if n_missing:
        notes.append(msg("tp_missing_time", n=n_missing, column="time_from"))
    if n_reversed:
        notes.append(msg("tp_reversed_window", n=n_reversed))
    for note in notes:
        warnings.warn(note, GeoTryggWarning, 3)
    t0, t1, codes = t0[keep], t1[keep], codes[keep]

    duration = t1 - t0
    long_ = duration > LONG_WINDOW_DAYS * _DAY_NS
    n_long = int(long_.sum())
    if n_long:
        longest = float(duration.max()) / _DAY_NS
        notes.append(
            msg("tp_long_windows", n=n_long, days=LONG_WINDOW_DAYS, longest=f"{longest:.0f}")
        )
    if not len(t0):
        notes.append(msg("tp_no_events"))

    attrs: dict[str, Any] = {
        "tz": tz,
        "n_events": len(events),
        "n_counted": int(keep.sum()),
        "n_missing_time": n_missing,
        "n_reversed_window": n_reversed,
        "n_long_windows": n_long,
        "long_window_days": LONG_WINDOW_DAYS,
        "notes": notes,
    }
    return _Prepared(t0, t1, codes, groups, attrs)


# --- spreading over bins ----------------------------------------------------------------------


def _chunks(n_bins: np.ndarray) -> Iterator[slice]:
    """Slices of events whose expanded rows number about ``_CHUNK`` each."""
    ends = np.cumsum(n_bins)
    start = 0
    while start < len(n_bins):
        base = ends[start - 1] if start else 0
        stop = int(np.searchsorted(ends, base + _CHUNK, side="right"))
        stop = max(stop, start + 1)
        yield slice(start, stop)
        start = stop


def _expand(first: np.ndarray, n_bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For events with bins ``first … first + n_bins - 1``: (event index, bin) per pair."""
    event = np.repeat(np.arange(len(first)), n_bins)
    starts = np.cumsum(n_bins) - n_bins
    step = np.arange(len(event)) - np.repeat(starts, n_bins)
    return event, first[event] + step


def _weights(
    t0: np.ndarray, t1: np.ndarray, bin_start: np.ndarray, bin_end: np.ndarray
) -> np.ndarray:
    """The share of each event's window in its bin; 1 for an event without a window."""
    overlap = np.minimum(bin_end, t1) - np.maximum(bin_start, t0)
    duration = t1 - t0
    safe = np.where(duration > 0, duration, 1)
    return np.where(duration > 0, overlap / safe, 1.0)


def _equal_bin_weights(
    t0: np.ndarray,
    t1: np.ndarray,
    first: np.ndarray,
    n_bins: np.ndarray,
    width: int,
    edges_of: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> np.ndarray:
    """:func:`_weights` of the expanded (event, bin) rows of events spanning several bins of
    ``width`` ns each, without expanding ``t0``/``t1``: a bin strictly inside a window overlaps
    it by ``width``, so its weight is ``width / duration``; the first and the last bin are
    computed by :func:`_weights` itself. The same numbers as :func:`_weights`, bit for bit.
    """
    w = np.repeat(width / (t1 - t0), n_bins)
    last_row = np.cumsum(n_bins) - 1
    for rows, bins in ((last_row - n_bins + 1, first), (last_row, first + n_bins - 1)):
        start, end = edges_of(bins)
        w[rows] = _weights(t0, t1, start, end)
    return w


def _local_slots(bin_starts_ns: np.ndarray, tz: str) -> np.ndarray:
    """Weekday × 24 + hour of local clock time at each (UTC) bin start."""
    local = pd.DatetimeIndex(pd.to_datetime(bin_starts_ns, utc=True)).tz_convert(tz)
    if (local.minute != 0).any() or (local.second != 0).any():
        raise ConfigError(
            f"tz={tz!r}: its UTC offsets in the data's period differ by parts of an hour, so "
            "clock hours cannot be computed; use a time zone such as 'Europe/Stockholm'"
        )
    return np.asarray(local.dayofweek * 24 + local.hour, dtype=np.int64)


def _hour_origin(t0: np.ndarray, tz: str) -> int:
    """Offset (ns) of local hour boundaries from UTC hour boundaries (0 for whole-hour zones)."""
    first = pd.Timestamp(int(t0.min()), tz="UTC").tz_convert(tz)
    offset = first.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    # local = utc + offset is on a whole hour when utc ≡ -offset (mod 1 h)
    return (-seconds * 1_000_000_000) % _HOUR_NS


def _accumulate(
    prep: _Prepared,
    first: np.ndarray,
    last: np.ndarray,
    n_slots: int,
    slot_of: Callable[[np.ndarray], np.ndarray],
    edges_of: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    keep: np.ndarray | None = None,
    width: int | None = None,
) -> np.ndarray:
    """Weights summed per (group, slot), shape ``(n_groups * n_slots,)``.

    ``first``/``last`` are each event's first and last bin; ``slot_of`` maps bins to output
    slots and ``edges_of`` gives the bins' (start, end) in UTC ns; ``width`` is the bins'
    length in ns when they all have the same length. Events within one bin add 1 there
    without being expanded.
    """
    total = np.zeros(prep.n_groups * n_slots, dtype=np.float64)
    t0, t1, codes = prep.t0, prep.t1, prep.codes
    if keep is not None:
        t0, t1, codes = t0[keep], t1[keep], codes[keep]
    if not len(t0):
        return total
    n_bins = last - first + 1
    single = n_bins == 1
    key = codes[single] * n_slots + slot_of(first[single])
    total += np.bincount(key, minlength=len(total))
    multi = ~single
    t0, t1, codes, first, n_bins = t0[multi], t1[multi], codes[multi], first[multi], n_bins[multi]
    # fractional weights: sum them in (group, start, end) order, so that the floating-point
    # sums do not depend on the order of the input rows
    order = np.lexsort((t1, t0, codes))
    t0, t1, codes, first, n_bins = t0[order], t1[order], codes[order], first[order], n_bins[order]
    for part in _chunks(n_bins):
        event, bins = _expand(first[part], n_bins[part])
        if width is None:
            start, end = edges_of(bins)
            w = _weights(t0[part][event], t1[part][event], start, end)
        else:
            w = _equal_bin_weights(t0[part], t1[part], first[part], n_bins[part], width, edges_of)
        key = codes[part][event] * n_slots + slot_of(bins)
        total += np.bincount(key, weights=w, minlength=len(total))
    return total


def _spread_hours(prep: _Prepared, tz: str) -> np.ndarray:
    """Weights summed per (group, weekday × 24 + hour), shape ``(n_groups * 168,)``."""
    if not len(prep.t0):
        return np.zeros(prep.n_groups * 168, dtype=np.float64)
    origin = _hour_origin(prep.t0, tz)
    first = (prep.t0 - origin) // _HOUR_NS
    last = np.where(prep.t1 > prep.t0, (prep.t1 - origin - 1) // _HOUR_NS, first)
    lo, hi = int(first.min()), int(last.max())
    if hi - lo + 1 <= _DENSE_LOOKUP_MAX:
        dense = _local_slots(np.arange(lo, hi + 1, dtype=np.int64) * _HOUR_NS + origin, tz)

        def slot_of(bins: np.ndarray) -> np.ndarray:
            return dense[bins - lo]

    else:

        def slot_of(bins: np.ndarray) -> np.ndarray:
            uniq, inverse = np.unique(bins, return_inverse=True)
            return _local_slots(uniq * _HOUR_NS + origin, tz)[inverse]

    def edges_of(bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        start = bins * _HOUR_NS + origin
        return start, start + _HOUR_NS

    return _accumulate(prep, first, last, 168, slot_of, edges_of, width=_HOUR_NS)


# --- public functions -------------------------------------------------------------------------


def _group_column(prep: _Prepared, by: str | None, repeat: int) -> dict[str, Any]:
    if by is None:
        return {}
    return {by: pd.Series(np.repeat(np.array(prep.groups, dtype=object), repeat), dtype=object)}


def weekday_hour(
    events: pd.DataFrame,
    *,
    by: str | None = None,
    tz: str = TZ,
) -> pd.DataFrame:
    """Events by weekday × hour of local clock time, windows spread by aoristic weighting.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``time_from`` and optionally ``time_to`` (tz-aware datetimes, as
        :func:`geo_trygg.read_events` returns them; naive times are read as local time in
        ``tz`` with a warning). ``time_to`` missing or equal to ``time_from``: a single time.
    by : str, optional
        An area column (e.g. ``"stadsdel"`` from :func:`geo_trygg.assign_areas`): one profile
        per area. Events without an area form a last group whose area is ``None``, so the
        weights still sum to the number of events.
    tz : str, default "Europe/Stockholm"
        Time zone of the clock hours and weekdays.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per (area,) weekday and hour, zeros included (168 rows per area):
        ``by`` (when given), ``weekday`` (a code: 0 = Monday … 6 = Sunday; its words with
        ``geo_trygg.labels.with_words``, column ``weekday_name``), ``hour`` (0–23), ``weight``
        (events, fractional for windows). Areas are sorted, the group without an area last.
        ``attrs`` holds ``n_events``, ``n_counted``, ``n_missing_time``,
        ``n_reversed_window``, ``n_long_windows``, ``tz`` and ``notes`` (sentences for the
        reader, in ``geo_trygg.settings.lang``). When no event has a usable time the frame is
        empty and ``attrs["notes"]`` says why.

    Raises
    ------
    ConfigError
        When ``events`` lacks ``time_from``, its times are not datetimes, ``by`` is not a
        column or ``tz`` is not a time zone.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({
    ...     "time_from": pd.to_datetime(["2024-01-09 22:30"]).tz_localize("Europe/Stockholm"),
    ...     "time_to": pd.to_datetime(["2024-01-10 00:30"]).tz_localize("Europe/Stockholm"),
    ... })
    >>> prof = weekday_hour(ev)
    >>> prof = prof[prof.weight > 0]
    >>> list(prof[["weekday", "hour", "weight"]].itertuples(index=False, name=None))
    [(1, 22, 0.25), (1, 23, 0.5), (2, 0, 0.25)]

    The weekdays in words, at an edge:

    >>> from geo_trygg.labels import with_words
    >>> with_words(prof, lang="en")["weekday_name"].tolist()
    ['Tuesday', 'Tuesday', 'Wednesday']

    With the demo data, one profile per stadsdel:

    >>> import geo_trygg as gt
    >>> from geo_trygg.demo import demo_paths
    >>> paths = demo_paths()
    >>> events = gt.read_events(paths["events"]).accepted
    >>> stadsdelar = gt.read_areas(paths["areas"]).accepted.query("level == 'stadsdel'")
    >>> import warnings
    >>> with warnings.catch_warnings():  # the demo's events outside its stadsdelar: said
    ...     warnings.simplefilter("ignore", gt.GeoTryggWarning)
    ...     assigned = gt.assign_areas(events, stadsdelar)
    >>> by_area = weekday_hour(assigned, by="stadsdel")
    >>> bool(abs(by_area["weight"].sum() - len(assigned)) < 1e-9)
    True
    """
    tz = _check_tz(tz)
    _check_inputs(events, by)
    prep = _prepare(events, by, tz)
    if not len(prep.t0):
        cols = ([by] if by else []) + ["weekday", "hour", "weight"]
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        out = out.astype({"weekday": "int64", "hour": "int64", "weight": "float64"})
        out.attrs.update(prep.attrs)
        return out
    weights = _spread_hours(prep, tz)
    slot = np.tile(np.arange(168, dtype=np.int64), prep.n_groups)
    out = pd.DataFrame(
        {
            **_group_column(prep, by, 168),
            "weekday": slot // 24,
            "hour": slot % 24,
            "weight": weights,
        }
    )
    out.attrs.update(prep.attrs)
    return out


def _week_start(value: object, name: str, tz: str) -> pd.Timestamp:
    """The Monday (naive local date) of the ISO week holding date ``value`` (a date, or an ISO
    week such as ``"2024-W10"``; the rule of every date argument,
    :func:`geo_trygg._validate.check_date`)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:  # its day in ``tz``
        value = pd.Timestamp(value).tz_convert(tz).tz_localize(None)
    day = check_date(value, name, weeks=True)
    return pd.Timestamp(day - dt.timedelta(days=day.weekday()))


def _week_edges(mondays: pd.DatetimeIndex, tz: str) -> np.ndarray:
    """UTC ns of local Monday 00:00 of each week and of the Monday after the last."""
    edges = mondays.append(pd.DatetimeIndex([mondays[-1] + pd.Timedelta(days=7)]))
    local = edges.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return np.asarray(local.tz_convert("UTC").asi8, dtype=np.int64)


def _local_monday(ns: int, tz: str) -> pd.Timestamp:
    local = pd.Timestamp(ns, tz="UTC").tz_convert(tz).tz_localize(None).normalize()
    return local - pd.Timedelta(days=local.dayofweek)


def weekly_series(
    events: pd.DataFrame,
    *,
    by: str | None = None,
    start: object = None,
    end: object = None,
    tz: str = TZ,
) -> pd.DataFrame:
    """Events per ISO week (Monday–Sunday, local time), windows spread over weeks.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``time_from`` and optionally ``time_to``, as for :func:`weekday_hour`.
    by : str, optional
        An area column: one series per area (events without an area form a last group
        ``None``).
    start, end : date-like or str, optional
        The first and last week to show, given as any date in the week (``"2024-03-05"``) or
        an ISO week (``"2024-W10"``); both inclusive. Default: the first and last week with
        events. Every week in between is listed, with weight 0 when it has no events. Weight
        falling outside these weeks is not counted and is reported in ``attrs``.
    tz : str, default "Europe/Stockholm"
        Time zone of the weeks.

    Returns
    -------
    pandas.DataFrame
        ``by`` (when given), ``week`` (ISO label like ``"2024-W10"``), ``week_start`` (the
        Monday, a naive date), ``weight`` (events, fractional for windows), sorted by area and
        week. ``attrs`` as for :func:`weekday_hour`, plus ``weight_outside`` (the weight left
        out by ``start``/``end``).

    Raises
    ------
    ConfigError
        For the reasons of :func:`weekday_hour`, or when ``start``/``end`` is not a date or
        ``start`` comes after ``end``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2024-03-10 23:00", "2024-03-27 12:00"]).tz_localize(
    ...     "Europe/Stockholm")
    >>> ev = pd.DataFrame({"time_from": t, "time_to": t + pd.Timedelta(hours=2)})
    >>> weekly_series(ev)[["week", "weight"]].to_string(index=False)
    '    week  weight\\n2024-W10     0.5\\n2024-W11     0.5\\n2024-W12     0.0\\n2024-W13     1.0'
    """
    tz = _check_tz(tz)
    _check_inputs(events, by)
    first_week = None if start is None else _week_start(start, "start", tz)
    last_week = None if end is None else _week_start(end, "end", tz)
    if first_week is not None and last_week is not None and first_week > last_week:
        raise ConfigError(f"start={start!r} comes after end={end!r}")
    prep = _prepare(events, by, tz)
    cols = ([by] if by else []) + ["week", "week_start", "weight"]
    if not len(prep.t0) and (first_week is None or last_week is None):
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        out = out.astype({"week_start": "datetime64[ns]", "weight": "float64"})
        out.attrs.update(prep.attrs, weight_outside=0.0)
        return out
    if first_week is None:
        first_week = _local_monday(int(prep.t0.min()), tz)
    if last_week is None:
        # the last instant with weight: a window [t0, t1) ends just before t1
        last_instant = np.where(prep.t1 > prep.t0, prep.t1 - 1, prep.t0)
        last_week = max(first_week, _local_monday(int(last_instant.max()), tz))
    mondays = pd.date_range(first_week, last_week, freq="7D")
    edges = _week_edges(mondays, tz)
    n_weeks = len(mondays)

    window = prep.t1 > prep.t0
    inside = (prep.t0 < edges[-1]) & np.where(window, prep.t1 > edges[0], prep.t0 >= edges[0])
    t0, t1 = prep.t0[inside], prep.t1[inside]
    first = np.clip(np.searchsorted(edges, t0, side="right") - 1, 0, n_weeks - 1)
    last = np.where(t1 > t0, np.searchsorted(edges, t1, side="left") - 1, first)
    last = np.clip(last, first, n_weeks - 1)
    total = _accumulate(
        prep,
        first,
        last,
        n_weeks,
        lambda bins: bins,
        lambda bins: (edges[bins], edges[bins + 1]),
        keep=inside,
    )
    iso = mondays.isocalendar()
    labels = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    out = pd.DataFrame(
        {
            **_group_column(prep, by, n_weeks),
            "week": np.tile(np.array(labels, dtype=object), prep.n_groups),
            "week_start": np.tile(mondays.to_numpy(dtype="datetime64[ns]"), prep.n_groups),
            "weight": total,
        }
    )
    outside = float(prep.attrs["n_counted"] - total.sum())
    outside = 0.0 if abs(outside) < 1e-9 else outside
    attrs = dict(prep.attrs, weight_outside=outside)
    if outside:
        attrs["notes"] = [
            *attrs["notes"],
            msg(
                "tp_outside_weeks",
                weight=f"{outside:.1f}",
                first=labels[0],
                last=labels[-1],
            ),
        ]
    out.attrs.update(attrs)
    return out
