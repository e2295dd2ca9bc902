"""Periods: parsing, comparison periods, splitting and membership tests.

Shared by every layer that works with time (the lägesbild, hotspots, maps, packs, the count
tables): one :class:`Period`, one way to write it, one rule for what falls in it.

A period is half-open, ``[start, end)``, on Europe/Stockholm calendar days. It is written as

- ``"2024"`` (a year), ``"2024-Q1"`` / ``"2024Q1"`` (a quarter), ``"2024-03"`` (a month),
  ``"2024-W10"`` (an ISO week, Monday to Sunday), ``"2024-03-05"`` (a day);
- or a pair ``(start, end)`` of dates, ``end`` exclusive;
- or a :class:`Period`.

The comparison period (``compare=``) is ``"previous"`` (the period of the same kind just
before: the month before a month, the ISO week before a week …; for a (start, end) pair the
same number of days immediately before), ``"previous_year"`` (the same calendar span one year
earlier), a period as above, or None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, check_choice
from geo_trygg._validate import check_date
from geo_trygg.labels import weekday_names as _weekday_words

__all__ = [
    "COMPARE_CHOICES",
    "TZ",
    "Period",
    "TimeKeys",
    "as_date",
    "comparison_period",
    "in_period",
    "parse_period",
    "span_label",
    "split_period",
    "weekday_names",
]

TZ = "Europe/Stockholm"
COMPARE_CHOICES = ("previous", "previous_year")

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """A half-open span of calendar days ``[start, end)`` in Europe/Stockholm.

    Attributes
    ----------
    start, end : datetime.date
        First day, and the first day after the period.
    label : str
        How the period is shown, e.g. ``"2024-03"`` or ``"2024-03-01–2024-03-31"``.
    kind : str
        ``"year"``, ``"quarter"``, ``"month"``, ``"week"``, ``"day"`` or ``"span"``.
    """

    start: dt.date
    end: dt.date
    label: str
    kind: str = "span"

    @property
    def days(self) -> int:
        """Length in calendar days."""
        return (self.end - self.start).days


def as_date(value: Any, name: str) -> dt.date:
    """A date from a date, a datetime or a text such as ``"2024-03-05"``.

    The rule of every date argument (:func:`geo_trygg._validate.check_date`): ISO text, a
    date, a time (a time with a UTC offset on its Europe/Stockholm day).

    Raises
    ------
    ConfigError
        Naming ``name``, the value and what is allowed when ``value`` is not a date.

    Examples
    --------
    >>> as_date("2024-03-05", "day"), as_date(dt.datetime(2024, 3, 5, 12), "day")
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5))
    """
    return check_date(value, name)


def span_label(start: dt.date, end: dt.date) -> str:
    """How a span ``[start, end)`` is shown: its first and its last day.

    Examples
    --------
    >>> span_label(dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    '2024-03-01–2024-03-31'
    """
    return f"{start.isoformat()}–{(end - dt.timedelta(days=1)).isoformat()}"


def parse_period(value: Any, *, name: str = "period") -> Period:
    """Parse a period written as a year, quarter, month, ISO week, day or (start, end) pair.

    Parameters
    ----------
    value : str, tuple or Period
        See the module docstring.
    name : str
        Argument name for error messages.

    Returns
    -------
    Period

    Raises
    ------
    ConfigError
        When the value is not one of the accepted forms, or the span is empty.

    Examples
    --------
    >>> p = parse_period("2024-W10")
    >>> p.start, p.end
    (datetime.date(2024, 3, 4), datetime.date(2024, 3, 11))
    >>> parse_period("2024-Q1").days
    91
    """
    if isinstance(value, Period):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        start, end = as_date(value[0], f"{name}[0]"), as_date(value[1], f"{name}[1]")
        if end <= start:
            raise ConfigError(
                f"{name}={tuple(value)!r}: the end (exclusive) must come after the start"
            )
        return Period(start, end, span_label(start, end))
    if isinstance(value, str):
        text = value.strip()
        if m := _YEAR.match(text):
            y = int(m.group(1))
            return Period(dt.date(y, 1, 1), dt.date(y + 1, 1, 1), text, "year")
        if m := _QUARTER.match(text):
            y, q = int(m.group(1)), int(m.group(2))
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
            return Period(start, end, f"{y}-Q{q}", "quarter")
        if m := _MONTH.match(text):
            y, mo = int(m.group(1)), int(m.group(2))
            if 1 <= mo <= 12:
                end = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
                return Period(dt.date(y, mo, 1), end, f"{y}-{mo:02d}", "month")
        if m := _WEEK.match(text):
            y, w = int(m.group(1)), int(m.group(2))
            try:
                start = dt.date.fromisocalendar(y, w, 1)
            except ValueError:
                pass
            else:
                return Period(start, start + dt.timedelta(days=7), f"{y}-W{w:02d}", "week")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return Period(day, day + dt.timedelta(days=1), day.isoformat(), "day")
    raise ConfigError(
        f"{name}={value!r} is not a period; allowed: a year '2024', a quarter '2024-Q1', a month "
        "'2024-03', an ISO week '2024-W10', a day '2024-03-05', or a (start, end) pair of dates "
        "with the end exclusive"
    )


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _previous(period: Period) -> Period:
    """The period of the same kind just before (a month before a month, …)."""
    if period.kind == "year":
        return parse_period(str(period.start.year - 1))
    if period.kind == "quarter":
        q = (period.start.month - 1) // 3 + 1
        y, q = (period.start.year, q - 1) if q > 1 else (period.start.year - 1, 4)
        return parse_period(f"{y}-Q{q}")
    if period.kind == "month":
        last = period.start - dt.timedelta(days=1)
        return parse_period(f"{last.year}-{last.month:02d}")
    if period.kind in ("week", "day"):
        start = period.start - dt.timedelta(days=period.days)
        return parse_period(start.isoformat() if period.kind == "day" else _week_label(start))
    start = period.start - dt.timedelta(days=period.days)
    return Period(start, period.start, span_label(start, period.start))


def _week_label(monday: dt.date) -> str:
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"


def comparison_period(period: Period, compare: Any) -> Period | None:
    """The period to compare ``period`` with.

    Parameters
    ----------
    period : Period
    compare : {"previous", "previous_year"}, period-like or None

    Returns
    -------
    Period or None

    Examples
    --------
    >>> p = parse_period("2024-03")
    >>> comparison_period(p, "previous").label
    '2024-02'
    >>> comparison_period(parse_period("2024-W01"), "previous").label
    '2023-W52'
    >>> comparison_period(p, "previous_year").label
    '2023-03-01–2023-03-31'
    """
    if compare is None:
        return None
    if isinstance(compare, str) and compare in COMPARE_CHOICES:
        if compare == "previous":
            return _previous(period)
        start, end = _shift_year(period.start, -1), _shift_year(period.end, -1)
        return Period(start, end, span_label(start, end))
    if isinstance(compare, str) and not any(ch.isdigit() for ch in compare):
        raise ConfigError(
            f"compare={compare!r} is not allowed; expected one of: "
            f"{', '.join(map(repr, COMPARE_CHOICES))}, a period such as '2023-03', or None"
        )
    return parse_period(compare, name="compare")


_NAT = np.iinfo(np.int64).min
_NO_TIME = np.iinfo(np.int64).max
_FAST_FROM = pd.Timestamp("1901-01-01", tz="UTC").value


def _bound(day: dt.date, aware: bool) -> int:
    """The key of local midnight starting ``day``: a UTC instant (``aware``) or naive ns.

    Days beyond the nanosecond range clamp to the smallest or largest key, which keeps the
    comparisons right (no time lies beyond them).
    """
    stamp = (
        pd.Timestamp(day.isoformat())
        if dt.date(1678, 1, 1) <= day < dt.date(2262, 4, 11)
        else None
    )
    if stamp is None:
        return -_NO_TIME if day.year < 1678 else _NO_TIME
    if aware:
        stamp = stamp.tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    return int(stamp.as_unit("ns").value)


@dataclass(frozen=True)
class TimeKeys:
    """Times prepared once for many period tests.

    ``keys`` are int64: for tz-aware times after 1900, the UTC instants in ns (compared with
    the instants of local midnight, which Europe/Stockholm never skips or repeats after 1900);
    otherwise the local (Europe/Stockholm) clock times in ns, read with
    :func:`pandas.to_datetime` when the column is not a datetime column. A missing time gets
    the largest key, which no period contains.

    Attributes
    ----------
    keys : numpy.ndarray of int64
    aware : bool
        Whether ``keys`` are instants (bounds are local midnights as instants).
    """

    keys: np.ndarray
    aware: bool

    @classmethod
    def of(cls, times: pd.Series) -> TimeKeys:
        """Keys of a column of times (see the class docstring)."""
        dtype = times.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            ns = times.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64)
            known = ns != _NAT
            if int((ns if known.all() else ns[known]).min(initial=_NO_TIME)) >= _FAST_FROM:
                return cls(np.where(known, ns, _NO_TIME), True)
        if not (isinstance(dtype, np.dtype) and dtype.kind == "M"):
            times = pd.Series(pd.to_datetime(times))
            if isinstance(times.dtype, pd.DatetimeTZDtype):
                times = times.dt.tz_convert(TZ).dt.tz_localize(None)
        ns = times.to_numpy(dtype="datetime64[ns]").view(np.int64)
        return cls(np.where(ns != _NAT, ns, _NO_TIME), False)

    def bounds(self, period: Period) -> tuple[int, int]:
        """The keys of the period's first instant and of the first instant after it."""
        return _bound(period.start, self.aware), _bound(period.end, self.aware)

    def mask(self, period: Period) -> np.ndarray:
        """True where the time falls in ``period``."""
        lo, hi = self.bounds(period)
        return (self.keys >= lo) & (self.keys < hi)


def in_period(times: pd.Series, period: Period) -> np.ndarray:
    """True where a time (tz-aware) or date (naive) falls in ``period``.

    Tz-aware times are compared on the Europe/Stockholm calendar; naive values are taken as
    Stockholm calendar dates/times. Missing values are never in a period. Any column that is
    not a datetime column is converted with :func:`pandas.to_datetime` (see
    :class:`TimeKeys`, which prepares a column once for many periods).

    Parameters
    ----------
    times : pandas.Series
    period : Period

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> times = pd.Series(pd.to_datetime(["2024-02-29 23:30", "2024-03-01 00:10", None]))
    >>> in_period(times.dt.tz_localize(TZ), parse_period("2024-03")).tolist()
    [False, True, False]
    """
    return TimeKeys.of(times).mask(period)


def split_period(period: Any, step: str) -> list[Period]:
    """The consecutive periods of one kind that make up ``period``.

    Parameters
    ----------
    period : period-like
        E.g. ``"2024"``.
    step : {"quarter", "month", "week", "day"}
        The kind of the parts. Weeks are ISO weeks (Monday to Sunday) that start in the period.

    Returns
    -------
    list of Period

    Raises
    ------
    ConfigError
        When ``step`` is not allowed, or the period holds no whole part.

    Examples
    --------
    >>> [p.label for p in split_period("2024-Q2", "month")]
    ['2024-04', '2024-05', '2024-06']
    >>> len(split_period("2024", "week"))
    52
    """
    check_choice("step", step, _STEPS)
    whole = parse_period(period)
    days = pd.date_range(whole.start, whole.end - dt.timedelta(days=1), freq="D")
    if step == "day":
        labels = [d.date().isoformat() for d in days]
    elif step == "week":
        labels = [f"{y}-W{w:02d}" for y, w, wd in (d.isocalendar() for d in days) if wd == 1]
    elif step == "month":
        labels = [f"{d.year}-{d.month:02d}" for d in days if d.day == 1]
    else:
        labels = [
            f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in days if d.day == 1 and d.month % 3 == 1
        ]
    parts = [parse_period(label) for label in labels]
    parts = [p for p in parts if p.end <= whole.end]
    if not parts:
        raise ConfigError(f"period={period!r} holds no whole {step}; choose a smaller step")
    return parts


_STEPS = ("quarter", "month", "week", "day")


def weekday_names(lang: str | None = None) -> list[str]:
    """The weekday names Monday (0) … Sunday (6) in ``lang`` (default ``settings.lang``).

    A thin wrapper kept for earlier callers: the words live in :mod:`geo_trygg.labels`
    (kind ``"weekday"``, :func:`geo_trygg.labels.weekday_names`).

    Examples
    --------
    >>> weekday_names("sv")[:2], weekday_names("en")[6]
    (['måndag', 'tisdag'], 'Sunday')
    """
    return list(_weekday_words(lang).values())
