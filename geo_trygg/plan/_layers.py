"""Measure areas in their hours and validity: the rule, exposure, counts and the WDD.

The areas are those of :func:`geo_trygg.io.measure_areas.read_measure_areas` (``kind``,
``name``, ``valid_from``, ``valid_to``, ``hours``, ``version_id``, a polygon). The rules
(docs/measures.md):

- **hours are wall-clock** (Europe/Stockholm): an event is in a window when its local clock
  time is in ``[from, to)``; a window that crosses midnight (``23–07``) belongs to the day it
  **started**: an event at 02:00 on day D is in the window that opened at 23:00 on D−1;
- the **weekdays** and the **validity** (``valid_from`` … ``valid_to``, both included) apply
  to that start day: an event at 02:00 on the day after ``valid_to`` is still in hours (its
  window opened on the last valid evening); one at 02:00 on ``valid_from`` is not (its window
  opened the day before the decision);
- the **autumn change** (the last Sunday of October, 03:00 → 02:00): both events at 02:30
  have the clock time 02:30 and both are in a ``23–07`` window, which lasts 9 real hours;
- the **spring change** (the last Sunday of March, 02:00 → 03:00): a tz-aware time cannot be
  02:30 that night (the readers move such a wall time forward one hour, to 03:30+02:00, which
  a ``23–07`` window still holds); a naive time is taken as the wall clock as written, so a
  naive 02:30 is in a ``23–07`` window. The window lasts 7 real hours;
- **exposure** is in real hours (the length of time the area was in force, DST included),
  for rates per hour.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg.io.measure_areas import DAY_MINUTES, HoursWindow, parse_hours
from geo_trygg.periods import TZ, parse_period
from geo_trygg.plan._evaluation import EVALUATION_COLUMNS, measure_evaluation
from geo_trygg.plan._input import check_crs

__all__ = [
    "AREA_COUNT_COLUMNS",
    "AREA_EVALUATION_COLUMNS",
    "areas_in_force",
    "exposure_hours",
    "hours_window_days",
    "in_hours",
    "measure_area_counts",
    "measure_area_evaluation",
]

AREA_COUNT_COLUMNS = (
    "area_id",
    "kind",
    "name",
    "valid_from",
    "valid_to",
    "hours",
    "n_inside",
    "n_outside",
    "exposure_hours",
)
"""The columns of :func:`measure_area_counts` (indexed by ``version_id``)."""

AREA_EVALUATION_COLUMNS = ("area_id", "kind", "name", "hours", *EVALUATION_COLUMNS)
"""The columns of :func:`measure_area_evaluation` (indexed by ``version_id``)."""

_COARSE = ("stadsdel", "kommun", "lan")
_NS_PER_MINUTE = 60 * 10**9


def _windows(hours: Any) -> tuple[HoursWindow, ...]:
    return hours if isinstance(hours, tuple) else parse_hours(hours)


def _wall(times: Any) -> np.ndarray:
    """Local wall-clock times (datetime64[ns], NaT kept): aware times converted to
    Europe/Stockholm, naive ones taken as written."""
    series = pd.Series(times)
    if not pd.api.types.is_datetime64_any_dtype(series):
        series = pd.to_datetime(series)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert(TZ).dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[ns]")


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (a date is never missing)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _day_of(value: Any, name: str) -> np.datetime64:
    if _missing(value):
        return np.datetime64("NaT", "D")
    if isinstance(value, dt.datetime | pd.Timestamp):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a date") from None
    return np.datetime64(value, "D")


def hours_window_days(
    times: Any, hours: Any, *, valid_from: Any = None, valid_to: Any = None
) -> np.ndarray:
    """The day the window holding each time **started** on (datetime64[D]), NaT outside.

    Parameters
    ----------
    times : sequence or Series of datetimes
        Aware (converted to Europe/Stockholm) or naive (the wall clock as written).
    hours : str or tuple of HoursWindow
        As :func:`geo_trygg.io.measure_areas.parse_hours` reads them.
    valid_from, valid_to : date, ISO text or None
        Only windows starting on these days (both included; None is open).

    Returns
    -------
    numpy.ndarray of datetime64[D]
        The start day of the first window (in :func:`~geo_trygg.io.measure_areas.
        parse_hours`'s order) that holds the time and started on one of its weekdays within
        the validity; NaT when none does or the time is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2025-03-04 02:00", "2025-03-04 23:30", "2025-03-04 07:00"])
    >>> hours_window_days(t, "23-07").astype(str).tolist()
    ['2025-03-03', '2025-03-04', 'NaT']
    """
    wall = _wall(times)
    out = np.full(len(wall), np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnat(wall)
    day = wall.astype("datetime64[D]")
    minute = (wall - day.astype("datetime64[ns]")).astype("int64") / _NS_PER_MINUTE
    first, last = _day_of(valid_from, "valid_from"), _day_of(valid_to, "valid_to")
    for w in _windows(hours):
        allowed = np.isin(np.arange(7), sorted(w.days))
        candidates: list[tuple[np.ndarray, np.ndarray]] = []
        if w.overnight:
            candidates.append((known & (minute >= w.start), day))
            candidates.append((known & (minute < w.end), day - np.timedelta64(1, "D")))
        else:
            candidates.append((known & (minute >= w.start) & (minute < w.end), day))
        for hit, start_day in candidates:
            start_weekday = (start_day.astype("int64") + 3) % 7  # 1970-01-01: Thursday
            take = hit & np.isnat(out) & allowed[np.where(known, start_weekday, 0)]
            if not np.isnat(first):
                take &= start_day >= first
            if not np.isnat(last):
                take &= start_day <= last
            out[take] = start_day[take]
    return out


def in_hours(
    times: Any, hours: Any, *, valid_from: Any = None, valid_to: Any = None
) -> np.ndarray:
    """Whether each time is within the hours and the validity of a measure area.

    The rule (module docstring): wall-clock hours, a window belongs to the day it started
    on, and the weekdays and the validity (``valid_from`` … ``valid_to``, both included;
    None is open) apply to that start day.

    Parameters
    ----------
    times : sequence or Series of datetimes
        Aware (converted to Europe/Stockholm) or naive (wall clock as written).
    hours : str or tuple of HoursWindow
    valid_from, valid_to : date, ISO text or None

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2025-03-01 02:00", "2025-03-01 23:00", "2025-04-01 02:00",
    ...                     "2025-04-01 23:00"]).tz_localize("Europe/Stockholm")
    >>> in_hours(t, "23-07", valid_from="2025-03-01", valid_to="2025-03-31").tolist()
    [False, True, True, False]
    """
    days = hours_window_days(times, hours, valid_from=valid_from, valid_to=valid_to)
    return ~np.isnat(days)


@cache
def _dst_days(year: int) -> tuple[tuple[dt.date, int], ...]:
    """The days of a year on which Stockholm's clock changes, with the wall-clock hour's
    sign: −1 for the spring change (02:00–03:00 skipped), +1 for the autumn change
    (02:00–03:00 lived twice)."""
    zone = zoneinfo.ZoneInfo(TZ)
    found = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        before = dt.datetime.combine(day, dt.time(0), zone).utcoffset()
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone).utcoffset()
        if before != after and before is not None and after is not None:
            found.append((day, 1 if after < before else -1))
        day += dt.timedelta(days=1)
    return tuple(found)


def exposure_hours(
    hours: Any, start: Any, end: Any, *, valid_from: Any = None, valid_to: Any = None
) -> float:
    """The real hours (DST included) an area is in force within the days ``[start, end)``.

    The instants whose wall clock lies in a window that started on a day of its weekdays
    within the validity, and whose own day lies in ``[start, end)`` (Europe/Stockholm
    calendar days, as the lägesbild's periods). A ``23–07`` window is 8 hours, 7 on the
    night of the spring change and 9 on that of the autumn change (the hour 02–03 then
    passes twice, and its clock times are in the window twice).

    Examples
    --------
    >>> exposure_hours("23-07", "2025-01-01", "2025-01-08")  # 7 nights, cut at both ends
    56.0
    >>> exposure_hours("23-07", "2025-10-26", "2025-10-27"), exposure_hours(
    ...     "23-07", "2025-03-30", "2025-03-31")
    (9.0, 7.0)
    """
    p0, p1 = _day_of(start, "start"), _day_of(end, "end")
    first, last = _day_of(valid_from, "valid_from"), _day_of(valid_to, "valid_to")
    lo = (
        p0 - np.timedelta64(1, "D") if np.isnat(first) else max(first, p0 - np.timedelta64(1, "D"))
    )
    hi = p1 if np.isnat(last) else min(last + np.timedelta64(1, "D"), p1)
    if hi <= lo:
        return 0.0
    days = np.arange(lo, hi, dtype="datetime64[D]")
    weekday = (days.astype("int64") + 3) % 7  # Monday 0; 1970-01-01 was a Thursday
    day_min = days.astype("int64") * DAY_MINUTES
    clip_lo, clip_hi = p0.astype("int64") * DAY_MINUTES, p1.astype("int64") * DAY_MINUTES
    years = range(int(str(days[0])[:4]), int(str(days[-1])[:4]) + 2)
    changes = [(d, sign) for y in years for d, sign in _dst_days(y)]
    starts, ends = [], []
    for w in _windows(hours):
        use = np.isin(weekday, sorted(w.days))
        starts.append(np.maximum(day_min[use] + w.start, clip_lo))
        ends.append(np.minimum(day_min[use] + w.start + w.minutes, clip_hi))
    s_all, e_all = np.concatenate(starts), np.concatenate(ends)
    keep = e_all > s_all
    s_all, e_all = s_all[keep], e_all[keep]
    order = np.argsort(s_all, kind="stable")
    merged: list[list[int]] = []  # overlapping windows are one stretch of time
    for lo_i, hi_i in zip(s_all[order].tolist(), e_all[order].tolist(), strict=True):
        if merged and lo_i <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi_i)
        else:
            merged.append([lo_i, hi_i])
    if not merged:
        return 0.0
    s = np.array([m[0] for m in merged], dtype=np.int64)
    e = np.array([m[1] for m in merged], dtype=np.int64)
    total = float((e - s).sum())
    for day, sign in changes:  # the wall hour 02:00–03:00 of a change day
        h0 = np.datetime64(day, "D").astype("int64") * DAY_MINUTES + 120
        total += sign * float(np.clip(np.minimum(e, h0 + 60) - np.maximum(s, h0), 0, None).sum())
    return total / 60


def areas_in_force(areas: Any, start: Any, end: Any) -> Any:
    """The rows of ``areas`` (versions) in force on some day of ``[start, end)``.

    Examples
    --------
    >>> import pandas as pd
    >>> areas = pd.DataFrame({"valid_from": ["2025-01-01", "2025-03-01"],
    ...                       "valid_to": ["2025-01-31", None]})
    >>> areas_in_force(areas, "2025-02-01", "2025-03-01").index.tolist()
    []
    >>> areas_in_force(areas, "2025-01-31", "2025-03-02").index.tolist()
    [0, 1]
    """
    p0, p1 = _day_of(start, "start"), _day_of(end, "end")
    keep = []
    for vf, vt in zip(areas["valid_from"], areas["valid_to"], strict=True):
        first, last = _day_of(vf, "valid_from"), _day_of(vt, "valid_to")
        keep.append(bool(first < p1) and (bool(np.isnat(last)) or bool(last >= p0)))
    return areas[np.array(keep, dtype=bool)]


def _checked_areas(areas: Any) -> Any:
    import geopandas as gpd

    need = ("version_id", "kind", "name", "valid_from", "valid_to", "hours")
    if not isinstance(areas, gpd.GeoDataFrame):
        raise ConfigError(
            f"areas must be a GeoDataFrame (read_measure_areas); got {type(areas).__name__}"
        )
    missing = [c for c in need if c not in areas.columns]
    if missing:
        raise ConfigError(
            f"areas has no column {', '.join(missing)}; read it with "
            "geo_trygg.io.read_measure_areas"
        )
    check_crs("areas", areas, "", None)
    return areas


def _checked_events(events: Any, areas: Any) -> Any:
    import geopandas as gpd

    if not isinstance(events, gpd.GeoDataFrame) or "time_from" not in events.columns:
        raise ConfigError("events must be a GeoDataFrame with time_from (read_events)")
    check_crs("areas", areas, "events", events)
    return events


def measure_area_counts(areas: Any, events: Any, *, period: Any) -> pd.DataFrame:
    """Events inside and outside each measure area, only in its hours and validity.

    - **inside**: events whose point the area covers (its boundary included: one rule,
      ``covers``), in its hours and validity (:func:`in_hours`), on a day of ``period``;
    - **outside**: the other events of ``events`` in the same hours and validity and period:
      the rest of the comparison area the caller gives. The pack gives the points the
      lägesbild placed in the page's area (``Lagesbild.for_area(...).points("events")``), so
      *outside* is the rest of that area at the same hours — never a second placement of
      points in the lägesbild's areas;
    - events without a time or a point, and those whose ``location_precision`` is
      ``stadsdel``, ``kommun`` or ``lan`` (a centroid, not a place), are in neither;
    - ``exposure_hours``: the real hours the area was in force in the period
      (:func:`exposure_hours`), for rates per hour.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        From :func:`geo_trygg.io.read_measure_areas`.
    events : geopandas.GeoDataFrame
        Points with ``time_from``, in the CRS of ``areas``.
    period : str, tuple or Period
        The days counted (:func:`geo_trygg.periods.parse_period`), by each event's own day.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``version_id``; columns :data:`AREA_COUNT_COLUMNS`.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import Point, box
    >>> areas = gpd.GeoDataFrame({"version_id": ["T@2025-01-01"], "area_id": ["T"],
    ...     "kind": ["camera"], "name": ["Torget"], "valid_from": ["2025-01-01"],
    ...     "valid_to": [None], "hours": ["23-07"]}, geometry=[box(0, 0, 10, 10)],
    ...     crs="EPSG:3006")
    >>> events = gpd.GeoDataFrame({"time_from": pd.to_datetime(
    ...     ["2025-02-01 23:30", "2025-02-01 12:00", "2025-02-02 01:00"]).tz_localize(
    ...     "Europe/Stockholm")}, geometry=[Point(5, 5), Point(5, 5), Point(50, 5)],
    ...     crs="EPSG:3006")
    >>> row = measure_area_counts(areas, events, period="2025-02").iloc[0]
    >>> int(row["n_inside"]), int(row["n_outside"]), float(row["exposure_hours"])
    (1, 1, 224.0)
    """
    frame = _checked_areas(areas)
    table = _checked_events(events, frame)
    chosen = parse_period(period)
    times = table["time_from"]
    wall = _wall(times)
    day = wall.astype("datetime64[D]")
    p0, p1 = np.datetime64(chosen.start, "D"), np.datetime64(chosen.end, "D")
    usable = ~np.isnat(wall) & (day >= p0) & (day < p1)
    geoms = np.asarray(table.geometry.array, dtype=object)
    usable &= np.array([g is not None and not shapely.is_empty(g) for g in geoms], dtype=bool)
    if "location_precision" in table.columns:
        usable &= ~table["location_precision"].isin(_COARSE).to_numpy()
    rows = []
    for area in frame.itertuples(index=False):
        geom = getattr(area, frame.geometry.name)
        valid = usable & in_hours(
            times, area.hours, valid_from=area.valid_from, valid_to=area.valid_to
        )
        idx = np.flatnonzero(valid)
        inside = int(shapely.covers(geom, geoms[idx]).sum()) if len(idx) else 0
        rows.append(
            {
                "version_id": area.version_id,
                "area_id": getattr(area, "area_id", area.version_id),
                "kind": area.kind,
                "name": area.name,
                "valid_from": area.valid_from,
                "valid_to": area.valid_to,
                "hours": area.hours,
                "n_inside": inside,
                "n_outside": len(idx) - inside,
                "exposure_hours": exposure_hours(
                    area.hours,
                    chosen.start,
                    chosen.end,
                    valid_from=area.valid_from,
                    valid_to=area.valid_to,
                ),
            }
        )
    out = pd.DataFrame(rows, columns=["version_id", *AREA_COUNT_COLUMNS]).set_index("version_id")
    out["n_inside"] = out["n_inside"].astype("int64")
    out["n_outside"] = out["n_outside"].astype("int64")
    out["exposure_hours"] = out["exposure_hours"].astype("float64")
    return out


def measure_area_evaluation(
    areas: Any,
    events: Any,
    *,
    as_of: Any,
    buffer_m: Any = None,
    coverage: Any = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each measure area's weighted displacement difference (WDD), in its hours only.

    :func:`geo_trygg.plan.measure_evaluation` with the area as the measure (its
    ``valid_from`` the start) and only the events in the area's hours, each dated by the
    day its hours window started (an event at 02:00 in a ``23–07`` window counts on the day
    before). The same hours apply in all four areas (target, buffer, control and the
    control's zone) and before the start, when the area was not yet in force; the period
    after ends at ``as_of`` or the day after ``valid_to``, whichever is earlier, so it lies
    inside the validity, and the period before is as long. Every event of ``events`` is the
    indicator (select categories before calling).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        From :func:`geo_trygg.io.read_measure_areas`.
    events : geopandas.GeoDataFrame
        Points with ``time_from`` (``source``, ``location_precision`` where known), in the
        CRS of ``areas``.
    as_of : str or date
        The first day not counted.
    buffer_m, coverage, alpha
        As for :func:`geo_trygg.plan.measure_evaluation`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``version_id``; columns :data:`AREA_EVALUATION_COLUMNS`.
    """
    import geopandas as gpd

    frame = _checked_areas(areas)
    table = _checked_events(events, frame)
    as_of_day = _day_of(as_of, "as_of")
    if np.isnat(as_of_day):
        raise ConfigError("as_of must be a date")
    if "category" not in table.columns:
        table = table.assign(category="")
    results = []
    for area in frame.itertuples(index=False):
        start_days = hours_window_days(table["time_from"], area.hours)
        keep = np.flatnonzero(~np.isnat(start_days))
        chosen = table.iloc[keep].copy()
        chosen["time_from"] = pd.DatetimeIndex(start_days[keep].astype("datetime64[ns]"))
        chosen["time_from"] = chosen["time_from"].dt.tz_localize(TZ)
        end = as_of_day
        last = _day_of(area.valid_to, "valid_to")
        if not np.isnat(last):
            end = min(end, last + np.timedelta64(1, "D"))
        measure = gpd.GeoDataFrame(
            {"measure_id": [area.version_id], "start": [area.valid_from]},
            geometry=[getattr(area, frame.geometry.name)],
            crs=frame.crs,
        )
        result = measure_evaluation(
            measure,
            chosen,
            as_of=str(end),
            buffer_m=buffer_m,
            coverage=coverage,
            alpha=alpha,
        )
        result.insert(0, "hours", area.hours)
        result.insert(0, "name", area.name)
        result.insert(0, "kind", area.kind)
        result.insert(0, "area_id", getattr(area, "area_id", area.version_id))
        results.append(result)
    if not results:
        return pd.DataFrame(columns=AREA_EVALUATION_COLUMNS, index=pd.Index([], name="version_id"))
    out = pd.concat(results)
    out.index.name = "version_id"
    return out
