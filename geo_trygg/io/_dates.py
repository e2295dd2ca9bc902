"""Date and time parsing for Swedish exports (private).

Accepted forms (case-insensitive, surrounding white space ignored):

- native values: :class:`datetime.datetime`, :class:`datetime.date`, :class:`pandas.Timestamp`,
  :class:`numpy.datetime64` (as openpyxl and pyogrio deliver them);
- Excel serial day numbers (1900 date system), as numbers or digit strings, between 10 000 and
  109 574 (1927-05-18 .. 2199-12-31; smaller numbers are more likely years or codes), with a
  fractional part for the time of day;
- ISO: ``2024-03-05``, ``2024-03-05 14:30``, ``2024-03-05T14:30:15``, with an optional UTC
  offset (``+01:00``, ``+0100``, ``Z``) as in ``2023-03-20 11:58:36 +01:00``;
  ``2024/03/05`` and ``20240305`` too;
- day first, as Swedes write it: ``5/3/2024``, ``5.3.2024``, ``05-03-2024``; two-digit years
  mean 20xx with ``/`` or ``.`` (``5/3/24``) and are refused with ``-`` (``24-03-05`` is
  year-month-day in older Swedish use); slash dates may be read month first, see below;
- month names in Swedish or English, full or abbreviated: ``5 mars 2024``, ``5 mar. 2024``,
  ``5:e mars 2024``, ``March 5, 2024``;
- each optionally followed by a time of day: ``14:30``, ``14.30``, ``kl. 14:30``, ``14:30:15``.

A time of day alone (``14:30``, ``kl 9``) is parsed by :func:`parse_clock`.

Day or month first (slash dates only; ``5.3.2024`` and ``05-03-2024`` are always day first).
A slash date whose two first numbers are both 12 or less and differ (``10/4/2025``) can be
read either way. A column (:func:`parse_datetimes`) or a whole file
(:func:`parse_date_columns`, every date column of one file together) decides by its other
slash dates (:class:`DayMonthOrder`):

- a date only day-first can read (``25/3/2025``) and none only month-first can read: day
  first, as always;
- a date only month-first can read (``3/25/2025``) and none only day-first can read: every
  slash date is read month first (``10/4/2025`` = 4 October 2025);
- both kinds (conflicting evidence): day first, the Swedish convention; the dates only
  month-first can read are then invalid dates (rejected rows);
- neither (only ambiguous dates): day first, the Swedish convention.

The readers say in a note (:func:`day_month_note`) how many rows held an ambiguous date and how
they were read, unless dates only day-first can read decided it (the usual Swedish file).
Evidence is any text starting with a slash date; an ambiguous row is one read successfully.
The check is vectorised (Apache Arrow's regular expressions over the texts that are not plain
ISO dates, no Python loop); a single value (:func:`parse_datetime_value`) is always read day
first.

Times without an offset are wall-clock times in Europe/Stockholm (:func:`localize_stockholm`).
Daylight saving time is handled deterministically:

- a time in the hour that occurs twice when summer time ends (last Sunday of October,
  02:00–02:59) is read as the first occurrence, summer time (CEST, +02:00);
- a time in the hour that does not exist when summer time starts (last Sunday of March,
  02:00–02:59) is moved forward by one hour (02:30 becomes 03:30 CEST) — the same instant
  as reading it in winter time, which is also what Python's ``zoneinfo`` does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._arrays import object_array
from geo_trygg._labels import msg

__all__ = [
    "STOCKHOLM",
    "DayMonthOrder",
    "ParsedTimes",
    "day_month_note",
    "day_month_note_of",
    "localize_stockholm",
    "parse_clock",
    "parse_date_columns",
    "parse_datetime_value",
    "parse_datetimes",
]

STOCKHOLM = "Europe/Stockholm"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SERIAL_MAX = 109_574  # 2199-12-31
_YEAR_MIN, _YEAR_MAX = 1900, 2199

_MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "february": 2,
    "mars": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "augusti": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

_TIME = (
    r"(?:\s*(?:t|,|kl\.?|klockan)?\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})"
    r"(?:[:.](?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?)?"
)
_TZ = r"(?:\s*(?P<tz>z|utc|[+-]\d{2}(?::?\d{2})?))?"
_ISO = re.compile(rf"^(?P<y>\d{{4}})[-/](?P<m>\d{{1,2}})[-/](?P<d>\d{{1,2}}){_TIME}{_TZ}$")
_COMPACT = re.compile(rf"^(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}}){_TIME}$")
_DMY = re.compile(
    rf"^(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
)
_SLASH_START = r"^[\s\pZ]*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?:\d{4}|\d{2})(?:\D|$)"
"""A text starting with a slash date (RE2 syntax, for pyarrow): what decides day or month
first; the rows :func:`_parse` then reads as :data:`_DMY` with ``/``."""
_NAMED = re.compile(
    rf"^(?P<d>\d{{1,2}})(?::?[ea])?\.?\s*(?P<mon>[^\W\d_]+)\.?,?\s+(?P<y>\d{{4}}){_TIME}$"
)
_NAMED_US = re.compile(rf"^(?P<mon>[^\W\d_]+)\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TIME}$")
_CLOCK = re.compile(
    r"^(?:kl\.?|klockan)?\s*(?P<H>\d{1,2})(?:[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$"
)
_SERIAL = re.compile(r"^\d{5,6}(?:[.,]\d+)?$")
_SERIAL_MIN = 10_000  # 1927-05-18; smaller numbers are more likely years or codes

# Outcome codes of one parse.
OK, MISSING, UNPARSEABLE, INVALID, OUT_OF_RANGE = (
    "ok",
    "missing",
    "unparseable",
    "invalid",
    "range",
)


@dataclass(frozen=True)
class _Parsed:
    status: str
    value: dt.datetime | None = None
    has_time: bool = False


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _make(y: int, m: int, d: int, match: re.Match[str] | None = None) -> _Parsed:
    if not _YEAR_MIN <= y <= _YEAR_MAX:
        return _Parsed(OUT_OF_RANGE)
    groups = match.groupdict() if match else {}
    hour = groups.get("H")
    try:
        if hour is None:
            value = dt.datetime(y, m, d)
        else:
            frac = (groups.get("F") or "").ljust(6, "0")[:6]
            value = dt.datetime(
                y, m, d, int(hour), int(groups["M"]), int(groups.get("S") or 0), int(frac or 0)
            )
    except ValueError:
        return _Parsed(INVALID)
    tz = groups.get("tz")
    if tz:
        value = value.replace(tzinfo=_offset(tz))
    return _Parsed(OK, value, hour is not None)


def _offset(tz: str) -> dt.tzinfo:
    if tz in ("z", "utc"):
        return dt.UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


def _from_serial(number: float) -> _Parsed:
    if not _SERIAL_MIN <= number < _SERIAL_MAX + 1:
        return _Parsed(UNPARSEABLE if number < _SERIAL_MIN else OUT_OF_RANGE)
    value = _EXCEL_EPOCH + dt.timedelta(days=float(number))
    value = value.replace(microsecond=0) + dt.timedelta(seconds=round(value.microsecond / 1e6))
    return _Parsed(OK, value, number != int(number))


def parse_datetime_value(value: Any) -> tuple[str, dt.datetime | None, bool]:
    """Parse one date or date-time value.

    Parameters
    ----------
    value : object
        A string, number (Excel serial) or native date/time value.

    Returns
    -------
    status : str
        ``"ok"``, ``"missing"``, ``"unparseable"``, ``"invalid"`` (no such calendar day, e.g.
        31/2) or ``"range"`` (year outside 1900–2199).
    value : datetime.datetime or None
        Naive wall-clock time, or aware when the input carried a UTC offset.
    has_time : bool
        True when the input had a time of day.

    Examples
    --------
    >>> parse_datetime_value("5 mars 2024")
    ('ok', datetime.datetime(2024, 3, 5, 0, 0), False)
    >>> parse_datetime_value("5/3/2024 kl. 14.30")[1]
    datetime.datetime(2024, 3, 5, 14, 30)
    """
    p = _parse(value)
    return p.status, p.value, p.has_time


def _parse(value: Any, month_first: bool = False) -> _Parsed:
    """One value; slash dates (``d/m/y``) read as ``m/d/y`` when ``month_first``."""
    if _missing(value):
        return _Parsed(MISSING)
    if isinstance(value, (bool, np.bool_)):
        return _Parsed(UNPARSEABLE)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
        return _native(ts.to_pydatetime(), True)
    if isinstance(value, dt.datetime):
        return _native(value, True)
    if isinstance(value, dt.date):
        return _native(dt.datetime(value.year, value.month, value.day), False)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _from_serial(float(value))
    text = re.sub(r"\s+", " ", str(value)).strip().casefold()
    if _SERIAL.match(text):
        return _from_serial(float(text.replace(",", ".")))
    for pattern in (_ISO, _COMPACT, _DMY):
        match = pattern.match(text)
        if match:
            y = int(match["y"])
            if len(match["y"]) == 2:
                if match["sep"] == "-":  # 24-03-05 is yy-mm-dd in older Swedish use
                    return _Parsed(UNPARSEABLE)
                y += 2000
            day, month = int(match["d"]), int(match["m"])
            if month_first and pattern is _DMY and match["sep"] == "/":
                day, month = month, day
            return _make(y, month, day, match)
    for pattern in (_NAMED, _NAMED_US):
        match = pattern.match(text)
        if match:
            named = _MONTHS.get(match["mon"])
            if named is None:
                return _Parsed(UNPARSEABLE)
            return _make(int(match["y"]), named, int(match["d"]), match)
    return _Parsed(UNPARSEABLE)


def _native(value: dt.datetime, maybe_time: bool) -> _Parsed:
    if not _YEAR_MIN <= value.year <= _YEAR_MAX:
        return _Parsed(OUT_OF_RANGE)
    has_time = maybe_time and value.time() != dt.time(0)
    return _Parsed(OK, value, has_time)


def parse_clock(value: Any) -> dt.time | None:
    """Parse a time of day alone (``14:30``, ``14.30``, ``kl 9``, ``14:30:15``).

    Parameters
    ----------
    value : object
        A string or a :class:`datetime.time`.

    Returns
    -------
    datetime.time or None
        None when ``value`` is not a time of day on its own.

    Examples
    --------
    >>> parse_clock("kl. 9.05")
    datetime.time(9, 5)
    >>> parse_clock("2024-03-05") is None
    True
    """
    if isinstance(value, dt.time):
        return value
    if _missing(value) or not isinstance(value, str):
        return None
    match = _CLOCK.match(re.sub(r"\s+", " ", value).strip().casefold())
    if not match or (match["M"] is None and not value.strip().casefold().startswith("kl")):
        return None
    try:
        return dt.time(int(match["H"]), int(match["M"] or 0), int(match["S"] or 0))
    except ValueError:
        return None


@dataclass(frozen=True)
class DayMonthOrder:
    """What a column's (or a file's) slash dates say about day or month first.

    Attributes
    ----------
    day_first : str or None
        A value only day-first can read (``"25/3/2025"``), as written; None when there is none.
    month_first : str or None
        A value only month-first can read (``"3/25/2025"``), as written; None when there is
        none.

    Examples
    --------
    >>> DayMonthOrder(month_first="3/25/2025").reads_month_first
    True
    >>> DayMonthOrder("25/3/2025", "3/25/2025").reads_month_first  # conflict: day first
    False
    """

    day_first: str | None = None
    month_first: str | None = None

    @property
    def reads_month_first(self) -> bool:
        """True when slash dates are read month first (only month-first evidence)."""
        return self.month_first is not None and self.day_first is None

    @property
    def conflict(self) -> bool:
        """True when there are dates only day-first and dates only month-first can read."""
        return self.month_first is not None and self.day_first is not None

    @property
    def decided(self) -> bool:
        """True when some date decides the order (either kind of evidence)."""
        return self.month_first is not None or self.day_first is not None

    @staticmethod
    def combined(orders: Any) -> DayMonthOrder:
        """The evidence of several columns together (the first example of each kind)."""
        day = month = None
        for order in orders:
            day = day or order.day_first
            month = month or order.month_first
        return DayMonthOrder(day, month)


def _slash_parts(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and second number of each text that starts with a slash date (``d/m/y`` or
    ``m/d/y``, :data:`_SLASH_START`), 0 for the others: vectorised (Apache Arrow's regular
    expressions over the column, no Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(pa.array(texts, type=pa.string()), _SLASH_START)
    first, second = (
        pc.cast(pc.struct_field(parts, name), pa.int64())
        .fill_null(0)
        .to_numpy(zero_copy_only=False)
        for name in ("d", "m")
    )
    return np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)


def _evidence(texts: np.ndarray, first: np.ndarray, second: np.ndarray) -> DayMonthOrder:
    """The first value (in file order) of each kind of evidence (see DayMonthOrder)."""
    day = np.flatnonzero((first >= 13) & (first <= 31) & (second >= 1) & (second <= 12))
    month = np.flatnonzero((first >= 1) & (first <= 12) & (second >= 13) & (second <= 31))
    return DayMonthOrder(
        str(texts[day[0]]).strip() if len(day) else None,
        str(texts[month[0]]).strip() if len(month) else None,
    )


@dataclass
class ParsedTimes:
    """The outcome of :func:`parse_datetimes` for a column.

    Attributes
    ----------
    values : list of (datetime or None)
        Parsed values (naive wall-clock, or aware when the input had an offset); made on
        first use from ``stamps`` for the rows read at once.
    has_time : numpy.ndarray of bool
        Rows whose input had a time of day.
    status : numpy.ndarray of str (object)
        Per row: ``ok``, ``missing``, ``unparseable``, ``invalid`` or ``range``.
    stamps : numpy.ndarray of datetime64[ns]
        The naive value of each row read at once (plain ISO text), NaT for the others.
    fast : numpy.ndarray of bool
        Rows read at once (their value is in ``stamps``; never with an offset).
    ambiguous : numpy.ndarray of bool
        Rows read successfully from a slash date that could be read day or month first
        (``10/4/2025``; see the module docstring).
    evidence : DayMonthOrder
        What this column's own slash dates say about the order.
    month_first : bool
        True when the slash dates were read month first.
    """

    slow_values: list[dt.datetime | None]
    has_time: np.ndarray
    status: np.ndarray
    stamps: np.ndarray
    fast: np.ndarray
    ambiguous: np.ndarray
    evidence: DayMonthOrder = DayMonthOrder()
    month_first: bool = False

    @cached_property
    def values(self) -> list[dt.datetime | None]:
        """Parsed values, None where not ok (see the class docstring)."""
        out = list(self.slow_values)
        rows = np.flatnonzero(self.fast)
        if len(rows):
            stamps = pd.DatetimeIndex(self.stamps[rows]).to_pydatetime()
            for row, stamp in zip(rows.tolist(), stamps, strict=True):
                out[row] = stamp
        return out

    def value(self, i: int | np.integer[Any]) -> dt.datetime | None:
        """``values[i]`` without making the whole list."""
        if self.fast[i]:
            stamp: dt.datetime = pd.Timestamp(self.stamps[i]).to_pydatetime()
            return stamp
        return self.slow_values[int(i)]

    @cached_property
    def ok(self) -> np.ndarray:
        """Rows parsed successfully."""
        return np.asarray(self.status == OK, dtype=bool)

    @cached_property
    def missing(self) -> np.ndarray:
        """Rows with no value."""
        return np.asarray(self.status == MISSING, dtype=bool)

    def reason(self, i: int | np.integer[Any], *, with_time: bool = False) -> str:
        """The user-facing reason why row ``i`` could not be parsed."""
        status = self.status[int(i)]
        if status == MISSING:
            return msg("io_date_missing")
        if status == INVALID:
            return msg("io_date_invalid")
        if status == OUT_OF_RANGE:
            return msg("io_date_out_of_range")
        return msg("io_time_unparseable" if with_time else "io_date_unparseable")

    def dates(self) -> pd.Series:
        """Calendar dates as naive ``datetime64[ns]`` at midnight (NaT where not ok)."""
        out = [
            pd.Timestamp(v.year, v.month, v.day) if (v is not None and s == OK) else pd.NaT
            for v, s, f in zip(self.slow_values, self.status, self.fast, strict=True)
            if not f
        ]
        dates = self.stamps.astype("datetime64[D]").astype("datetime64[ns]")
        slow = np.flatnonzero(~self.fast)
        if len(slow):
            dates[slow] = pd.to_datetime(pd.Series(out, dtype=object)).to_numpy(
                dtype="datetime64[ns]"
            )
        return pd.Series(dates, dtype="datetime64[ns]")


_PLAIN_BODY = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?"
_PLAIN_ISO = rf"^{_PLAIN_BODY}$"
"""Text the vectorised path of :func:`parse_datetimes` reads (``2024-03-05``, ``… 14:30``,
``… 14:30:15``); :func:`_parse` reads it the same way, value by value."""
_ALL_PLAIN = re.compile(rf"(?:{_PLAIN_BODY}\n?\0)*+{_PLAIN_BODY}\n?")  # "$": before a last \n


def _plain_iso(values: np.ndarray) -> np.ndarray:
    """Which ``values`` (text) match :data:`_PLAIN_ISO`: when all do (the usual column),
    seen in one scan of them joined by NUL; else value by value (issue 11, speed)."""
    joined = "\0".join(values.tolist())
    if joined.count("\0") == len(values) - 1 and _ALL_PLAIN.fullmatch(joined):
        return np.ones(len(values), dtype=bool)
    return pd.Series(values, dtype=object).str.match(_PLAIN_ISO).to_numpy(dtype=bool)


# the plain forms (see _PLAIN_ISO) with ASCII digits, by length: "d" a digit, else the byte
_LAYOUTS = {n: np.frombuffer(b"dddd-dd-dd dd:dd:dd"[:n], dtype=np.uint8) for n in (10, 16, 19)}
_FIELDS = ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2))  # year … second: start, width


def _ascii_plain(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of ``texts`` in a plain form with ASCII digits, their length and their six
    fields (year … second; 0 where absent) as an int64 array of shape (rows, 6): the UTF-8
    bytes of the texts (Apache Arrow's buffer) checked and read column by column in numpy."""
    import pyarrow as pa

    arrow = pa.array(texts, type=pa.string())
    offsets = np.frombuffer(arrow.buffers()[1], dtype=np.int32)[: len(texts) + 1]
    data = np.frombuffer(arrow.buffers()[2] or b"", dtype=np.uint8)
    length = np.diff(offsets)
    found = np.zeros(len(texts), dtype=bool)
    fields = np.zeros((len(texts), 6), dtype=np.int64)
    for n, layout in _LAYOUTS.items():
        rows = np.flatnonzero(length == n)
        starts = offsets[rows]
        ok = np.ones(len(rows), dtype=bool)
        digits = []
        for j in range(n):  # the j-th byte of every text of this length
            byte = data[starts + j]
            if layout[j] == ord("d"):
                ok &= (byte >= ord("0")) & (byte <= ord("9"))
                digits.append(byte)
            else:
                ok &= byte == layout[j]
        found[rows[ok]] = True
        at = 0
        for k, (_, width) in enumerate(_FIELDS[: (n + 1) // 3]):
            value = np.zeros(int(ok.sum()), dtype=np.int64)
            for byte in digits[at : at + width]:
                value = value * 10 + (byte[ok].astype(np.int64) - ord("0"))
            fields[rows[ok], k] = value
            at += width
    return found, length, fields


def _read_plain(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which ``texts`` match :data:`_PLAIN_ISO`, their naive values (datetime64[ns]; NaT
    where not a real date and time, and may be NaT for years outside 1900–2199, which
    :func:`parse_datetimes` refuses anyway) and whether they hold a time of day.

    Texts in the plain form with ASCII digits (the usual column) are read in numpy from
    their bytes (issue 11, speed); the others as before, by :func:`_plain_iso` and pandas.
    Both give the same values (tested against each other and the standard library)."""
    n = len(texts)
    stamps = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    plain, length, fields = _ascii_plain(texts)
    ascii_rows = plain.copy()
    has_time = plain & (length > 10)
    rest = np.flatnonzero(~plain)
    if len(rest):  # other digits, a final line break…: as pandas reads them
        chosen = rest[_plain_iso(texts[rest])]
        parsed = pd.to_datetime(
            pd.Series(texts[chosen], dtype=object), format="ISO8601", errors="coerce"
        )
        plain[chosen] = True
        stamps[chosen] = parsed.to_numpy(dtype="datetime64[ns]")
        has_time[chosen] = np.fromiter(map(len, texts[chosen]), dtype=np.int64) > 10
    rows = np.flatnonzero(ascii_rows)
    if not len(rows):
        return plain, stamps, has_time
    y, mo, d, h, mi, sec = fields[rows].T
    real = (y >= _YEAR_MIN) & (y <= _YEAR_MAX)
    y = np.clip(y, _YEAR_MIN, _YEAR_MAX)  # the others are not real: no overflow
    month = (y - 1970) * 12 + (mo - 1)  # months since 1970-01
    first = month.astype("datetime64[M]").astype("datetime64[D]")
    days = (month + 1).astype("datetime64[M]").astype("datetime64[D]") - first
    real &= (mo >= 1) & (mo <= 12) & (d >= 1)
    real &= (d <= days.astype(np.int64)) & (h <= 23) & (mi <= 59) & (sec <= 59)
    seconds = ((d - 1) * 24 + h) * 3600 + mi * 60 + sec
    values = first.astype("datetime64[ns]") + seconds.astype("timedelta64[s]")
    stamps[rows] = np.where(real, values, np.datetime64("NaT"))
    return plain, stamps, has_time


def _absent_and_text(items: list[Any], arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows holding None or NaN, and rows holding text (pandas' type inference first)."""
    if pd.api.types.infer_dtype(arr, skipna=True) in ("string", "empty"):
        missing = np.asarray(pd.isna(arr), dtype=bool)
        others = arr[missing].tolist()  # None and NaN are absent; pd.NA, NaT… are neither
        if others.count(None) == len(others) or all(
            v is None or (isinstance(v, float) and v != v) for v in others
        ):
            return missing, ~missing
    absent = np.array([v is None or (isinstance(v, float) and v != v) for v in items], bool)
    text = np.array([isinstance(v, str) for v in items], dtype=bool)
    return absent, text


def parse_datetimes(values: Any, *, order: DayMonthOrder | None = None) -> ParsedTimes:
    """Parse a column of dates or date-times.

    Missing values and plain ISO text (``2024-03-05``, ``2024-03-05 14:30[:15]``) are read
    at once with pandas; every other value one by one (with a cache for repeats), so that
    Swedish, day-first, Excel-serial and named-month forms are read as :func:`_parse` reads
    them. Both paths give the same result for the same value.

    Parameters
    ----------
    values : array-like
    order : DayMonthOrder, optional
        The evidence that decides day or month first for slash dates (e.g. of the whole
        file, :func:`parse_date_columns`); by default this column's own (module docstring).

    Returns
    -------
    ParsedTimes

    Examples
    --------
    >>> parse_datetimes(["10/4/2025", "3/25/2025"]).values[0]
    datetime.datetime(2025, 10, 4, 0, 0)
    >>> parsed = parse_datetimes(["10/4/2025", "1/1/2025"])
    >>> parsed.values[0], parsed.ambiguous.tolist()
    (datetime.datetime(2025, 4, 10, 0, 0), [True, False])
    """
    items = list(values)
    n = len(items)
    if items.count(None) == n:  # an absent column: all missing, at once
        return ParsedTimes(
            slow_values=items,
            has_time=np.zeros(n, dtype=bool),
            status=object_array(n, MISSING),
            stamps=np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            fast=np.zeros(n, dtype=bool),
            ambiguous=np.zeros(n, dtype=bool),
        )
    out_values: list[dt.datetime | None] = [None] * n
    has_time = np.zeros(n, dtype=bool)
    status = object_array(n, MISSING)
    stamps = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    arr = np.empty(n, dtype=object)
    arr[:] = items
    absent, text = _absent_and_text(items, arr)
    fast = np.zeros(n, dtype=bool)
    if text.any():
        where = np.flatnonzero(text)
        plain, parsed, timed = _read_plain(arr[where])
        years = parsed.astype("datetime64[Y]").astype(np.int64) + 1970
        good = plain & ~np.isnat(parsed) & (years >= _YEAR_MIN) & (years <= _YEAR_MAX)
        rows = where[good]
        stamps[rows] = parsed[good]
        status[rows] = OK
        has_time[rows] = timed[good]
        fast[rows] = True
    first = np.zeros(n, dtype=np.int64)
    second = np.zeros(n, dtype=np.int64)
    slow_text = np.flatnonzero(text & ~fast)
    if len(slow_text):
        first[slow_text], second[slow_text] = _slash_parts(arr[slow_text])
    evidence = _evidence(arr, first, second)
    month_first = (order or evidence).reads_month_first
    cache: dict[Any, _Parsed] = {}
    for i in np.flatnonzero(~fast & ~absent):
        value = items[i]
        key = value if isinstance(value, str) else None
        result = cache.get(key) if key is not None else None
        if result is None:
            result = _parse(value, month_first)
            if key is not None:
                cache[key] = result
        out_values[i], has_time[i], status[i] = result.value, result.has_time, result.status
    ambiguous = (first >= 1) & (first <= 12) & (second >= 1) & (second <= 12) & (first != second)
    if ambiguous.any():
        ambiguous &= status == OK
    return ParsedTimes(
        slow_values=out_values,
        has_time=has_time,
        status=status,
        stamps=stamps,
        fast=fast,
        ambiguous=ambiguous,
        evidence=evidence,
        month_first=month_first,
    )


def parse_date_columns(columns: list[Any]) -> tuple[list[ParsedTimes], DayMonthOrder]:
    """Parse the date columns of one file with one day/month order for all of them.

    Each column is read with :func:`parse_datetimes`; when the evidence of all columns
    together (:meth:`DayMonthOrder.combined`) reads slash dates otherwise than a column's own
    evidence did, that column is read again with the file's order (rare: only files with
    slash dates whose columns disagree).

    Parameters
    ----------
    columns : list of array-like

    Returns
    -------
    (list of ParsedTimes, DayMonthOrder)
        The columns in the given order and the file's evidence.
    """
    parsed = [parse_datetimes(values) for values in columns]
    order = DayMonthOrder.combined(p.evidence for p in parsed)
    out = [
        p if p.month_first == order.reads_month_first else parse_datetimes(values, order=order)
        for p, values in zip(parsed, columns, strict=True)
    ]
    return out, order


def day_month_note(order: DayMonthOrder, n_ambiguous: int) -> str | None:
    """The readers' note on how slash dates were read (module docstring), None when there is
    nothing to say (dates only day-first can read decided, or no ambiguous and no month-first
    date at all).

    Parameters
    ----------
    order : DayMonthOrder
        The file's evidence.
    n_ambiguous : int
        Rows holding a date that could be read either way.
    """
    if order.conflict:
        return msg(
            "io_note_dates_order_conflict",
            day=order.day_first,
            month=order.month_first,
            n=n_ambiguous,
        )
    if order.reads_month_first:
        return msg("io_note_dates_month_first", example=order.month_first, n=n_ambiguous)
    if not order.decided and n_ambiguous:
        return msg("io_note_dates_ambiguous", n=n_ambiguous)
    return None


def localize_stockholm(
    values: list[dt.datetime | None], naive: np.ndarray | None = None
) -> tuple[pd.Series, int, int]:
    """Turn wall-clock or offset-carrying datetimes into Europe/Stockholm times.

    Parameters
    ----------
    values : list of (datetime or None)
        Naive values are Stockholm wall-clock times; aware ones are converted.
    naive : numpy.ndarray of datetime64[ns], optional
        Wall-clock times given as an array (read at once): used for the rows whose ``values``
        item is None.

    Returns
    -------
    times : pandas.Series
        ``datetime64[ns, Europe/Stockholm]`` (NaT for None), on a RangeIndex.
    n_ambiguous : int
        Naive values in the repeated hour at the end of summer time (read as summer time).
    n_nonexistent : int
        Naive values in the skipped hour at the start of summer time (moved forward 1 h).

    Examples
    --------
    >>> t, amb, non = localize_stockholm([dt.datetime(2024, 10, 27, 2, 30)])
    >>> str(t[0]), amb, non
    ('2024-10-27 02:30:00+02:00', 1, 0)
    """
    n = len(values)
    # all None (every time given as ``naive``): no loop over a million Nones
    given = [] if values.count(None) == n else [i for i, v in enumerate(values) if v is not None]
    aware = [i for i in given if values[i].tzinfo is not None]  # type: ignore[union-attr]
    wall = [i for i in given if values[i].tzinfo is None]  # type: ignore[union-attr]
    base = (
        np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        if naive is None
        else np.array(naive, dtype="datetime64[ns]")
    )
    base[aware] = np.datetime64("NaT")
    if wall:
        base[wall] = pd.Series(pd.to_datetime(pd.Series([values[i] for i in wall]))).to_numpy(
            dtype="datetime64[ns]"
        )
    local = pd.Series(base, dtype="datetime64[ns]")
    known = local.notna().to_numpy()
    # one pass for all; the few times in a repeated or skipped hour (NaT here) again
    shifted = local.dt.tz_localize(STOCKHOLM, ambiguous="NaT", nonexistent="NaT").copy()
    odd = np.flatnonzero(known & shifted.isna().to_numpy())
    n_ambiguous = n_nonexistent = 0
    if len(odd):
        few = local.iloc[odd]
        amb_probe = few.dt.tz_localize(STOCKHOLM, ambiguous="NaT", nonexistent="shift_forward")
        gap_probe = few.dt.tz_localize(STOCKHOLM, ambiguous=True, nonexistent="NaT")
        n_ambiguous = int(amb_probe.isna().sum())
        n_nonexistent = int(gap_probe.isna().sum())
        shifted.iloc[odd] = few.dt.tz_localize(
            STOCKHOLM, ambiguous=np.ones(len(odd), dtype=bool), nonexistent=pd.Timedelta(hours=1)
        )
    if aware:
        utc = pd.to_datetime([values[i] for i in aware], utc=True)
        shifted.iloc[aware] = utc.tz_convert(STOCKHOLM)
    return shifted.reset_index(drop=True), n_ambiguous, n_nonexistent


def day_month_note_of(parsed: Sequence[ParsedTimes], order: DayMonthOrder) -> str | None:
    """:func:`day_month_note` for the date columns of one file read together
    (:func:`parse_date_columns`): a row counts once, however many of its dates were
    ambiguous."""
    ambiguous = np.zeros(len(parsed[0].ambiguous) if parsed else 0, dtype=bool)
    for column in parsed:
        ambiguous |= column.ambiguous
    return day_month_note(order, int(ambiguous.sum()))
