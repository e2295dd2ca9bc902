"""The argument checks every layer repeats, in one place (private module of the shared base).

- **language**: :func:`check_lang` (``"sv"``/``"en"``, ``settings.lang`` when omitted);
- **frames and columns**: :func:`check_frame` (a DataFrame), :func:`check_geoframe` (a
  GeoDataFrame), :func:`require_columns` (all missing columns named at once);
- **coordinate reference systems**: :func:`check_metric` (a projected CRS in metres),
  :func:`check_same_crs` (two layers in one CRS), :func:`crs_label` for messages;
- **dates**: :func:`check_date` (a day from a date, a time or a date text; the one rule for
  every date argument: ``at``, ``as_of``, ``since``, ``date``, ``valid_at`` …),
  :func:`check_day_order` (a span whose end comes after its start).

Each check raises :class:`~geo_trygg._errors.ConfigError` (``CRSMismatchError`` for two CRSs)
naming the argument, the value received and what is allowed. :class:`Problems` runs several
checks of one call and reports **all** their problems in one message, so that a caller fixes
the arguments in one go rather than one error at a time; a call with a single problem raises
exactly the error that check raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, CRSMismatchError, check_choice
from geo_trygg._labels import msg

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas and geo_trygg.crs (pyproj) are imported by the checks that need them, so that
# modules checking only languages and columns stay quick to import.

__all__ = [
    "DAY_TZ",
    "LANGS",
    "Problems",
    "check_date",
    "check_day_order",
    "check_frame",
    "check_geoframe",
    "check_lang",
    "check_metric",
    "check_same_crs",
    "crs_label",
    "require_columns",
]

LANGS = ("sv", "en")
"""The languages of everything a user reads."""

T = TypeVar("T")

_ISO_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
DAY_TZ = "Europe/Stockholm"
"""The time zone whose calendar day a time with a UTC offset falls on (:func:`check_date`)."""


def check_lang(lang: str | None) -> str:
    """``lang``, or ``settings.lang`` when None; ConfigError for anything but sv/en.

    Examples
    --------
    >>> check_lang("en")
    'en'
    >>> check_lang("de")
    Traceback (most recent call last):
    ...
    geo_trygg._errors.ConfigError: lang='de' is not allowed; expected one of: 'sv', 'en'
    """
    return settings.lang if lang is None else check_choice("lang", lang, LANGS)


def check_frame(value: Any, name: str, what: str = "") -> pd.DataFrame:
    """ConfigError unless ``value`` is a DataFrame (a GeoDataFrame is one).

    Parameters
    ----------
    value : object
    name : str
        The argument's name, for the message.
    what : str, optional
        What the frame should hold, e.g. ``"of findings (e.g. geo_trygg.read_findings(path)
        .accepted)"``, added to the message.
    """
    if not isinstance(value, pd.DataFrame):
        kind = f"a DataFrame or GeoDataFrame {what}".rstrip()
        raise ConfigError(f"{name} must be {kind}; got {type(value).__name__}")
    return value


def check_geoframe(name: str, value: Any) -> gpd.GeoDataFrame:
    """ConfigError unless ``value`` is a GeoDataFrame."""
    import geopandas as gpd

    if not isinstance(value, gpd.GeoDataFrame):
        raise ConfigError(f"{name} must be a geopandas.GeoDataFrame; got {type(value).__name__}")
    return value


def require_columns(
    frame: pd.DataFrame, needed: Sequence[str], name: str, *, hint: str = ""
) -> None:
    """ConfigError naming every column of ``needed`` that ``frame`` lacks, and its columns.

    Parameters
    ----------
    frame : pandas.DataFrame
    needed : sequence of str
    name : str
        The argument's name, for the message.
    hint : str, optional
        Where such columns come from, e.g. ``"as geo_trygg.read_findings returns them"``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b", "c"], "table")
    Traceback (most recent call last):
    ...
    geo_trygg._errors.ConfigError: table lacks the column(s) 'b', 'c'; it needs 'a', 'b', 'c'; \
its columns are: 'a'
    """
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        where = f" ({hint})" if hint else ""
        raise ConfigError(
            f"{name} lacks the column(s) {', '.join(map(repr, missing))}; it needs "
            f"{', '.join(map(repr, needed))}{where}; its "
            f"columns are: {', '.join(map(repr, map(str, frame.columns)))}"
        )


def crs_label(crs: Any) -> str:
    """Short name of a CRS for messages, e.g. ``'EPSG:3006'``; ``'None'`` when unset."""
    if crs is None:
        return "None"
    try:
        auth = crs.to_authority()
    except AttributeError:
        return str(crs)
    return ":".join(auth) if auth else str(crs.name)


def check_same_crs(name_a: str, a: gpd.GeoDataFrame, name_b: str, b: gpd.GeoDataFrame) -> None:
    """Raise CRSMismatchError naming both CRSs when ``a`` and ``b`` differ."""
    from geo_trygg.crs import same_crs

    if not same_crs(a.crs, b.crs):
        raise CRSMismatchError(
            f"CRS mismatch: {name_a} is in {crs_label(a.crs)} but {name_b} is in "
            f"{crs_label(b.crs)}; reproject one of them first, e.g. "
            f"{name_b}.to_crs({name_a}.crs)"
        )


def check_metric(name: str, frame: gpd.GeoDataFrame, *, hint: str = "") -> None:
    """Raise ConfigError unless ``frame`` has a projected CRS in metres.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    frame : geopandas.GeoDataFrame
    hint : str, optional
        What to do when the CRS is missing; by default: set it, e.g. ``set_crs('EPSG:3006')``.
    """
    from geo_trygg.crs import validate_working_crs

    if frame.crs is None:
        raise ConfigError(
            f"{name} has no CRS; "
            + (
                hint
                or f"set it first, e.g. {name}.set_crs('EPSG:3006') (distances and areas need "
                "a metric CRS)"
            )
        )
    validate_working_crs(frame.crs, name=f"{name}.crs")


def check_date(
    value: Any,
    name: str,
    *,
    text: Callable[[str], dt.date | None] | None = None,
    weeks: bool = False,
    lang: str | None = "en",
) -> dt.date:
    """The day of a date argument; ConfigError naming the argument, the value and what is
    allowed when it is none.

    Parameters
    ----------
    value : object
        A :class:`datetime.date`, :class:`datetime.datetime`, :class:`pandas.Timestamp`,
        :class:`numpy.datetime64` or a text in ISO 8601 (``"2024-03-05"``, ``"2024-03-05
        14:30"``, ``"2024-03-05T14:30+01:00"``). A time of day is dropped; a time with a UTC
        offset is first taken to Europe/Stockholm (:data:`DAY_TZ`). Numbers, None, NaT and
        days that are not in the calendar (``"2024-02-30"``) are refused.
    name : str
        The argument's name, for the message.
    text : callable, optional
        Another reading of a text that is no ISO date (the readers' rules: ``"5/3/2024"``,
        ``"5 mars 2024"``), returning its date, time or None; the message then names those
        forms.
    weeks : bool, default False
        Also take an ISO week (``"2024-W10"``) as its Monday.
    lang : {"en", "sv"} or None, default "en"
        The message's language: English for the Python API's arguments, None
        (``settings.lang``) where a user of the command line or of a pack meets it.

    Examples
    --------
    >>> check_date("2024-03-05", "as_of"), check_date(dt.datetime(2024, 3, 5, 23, 30), "day")
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5))
    >>> check_date(pd.Timestamp("2024-03-05 23:30", tz="UTC"), "at")  # 00:30 in Stockholm
    datetime.date(2024, 3, 6)
    >>> check_date(45000, "as_of")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo_trygg._errors.ConfigError: as_of=45000 is not a date (or not a real calendar day); ...
    """
    if weeks and isinstance(value, str) and (week := _ISO_WEEK.match(value.strip())):
        try:
            return dt.date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        except ValueError:
            pass  # no such week: refused below
    day = _day_of(value, text)
    if day is None:
        if weeks:
            allowed = msg("validate_date_allowed_weeks", lang)
        elif text is not None:
            allowed = msg("validate_date_allowed_texts", lang)
        else:
            allowed = msg("validate_date_allowed", lang)
        raise ConfigError(
            msg("validate_not_a_date", lang, name=name, value=value, allowed=allowed)
        )
    return day


def _day_of(value: Any, text: Callable[[str], dt.date | None] | None) -> dt.date | None:
    """The day of ``value`` by the rule of :func:`check_date`; None when it has none."""
    if isinstance(value, str):
        stripped = value.strip()
        try:
            found: dt.date | None = dt.datetime.fromisoformat(stripped)
        except ValueError:
            found = text(stripped) if text is not None and stripped else None
        value = found
    if isinstance(value, dt.datetime | pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return None
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(DAY_TZ)
        return dt.date(stamp.year, stamp.month, stamp.day)
    if isinstance(value, dt.date):
        return value
    return None


def check_day_order(start: dt.date, end: dt.date, name: str) -> None:
    """ConfigError unless the (exclusive) ``end`` comes after ``start``."""
    if end <= start:
        raise ConfigError(
            f"{name}=({start.isoformat()!r}, {end.isoformat()!r}): the end (exclusive) must "
            "come after the start"
        )


class Problems:
    """The problems of one call's arguments, reported together in one message.

    Run each check through :meth:`check` (or record a message with :meth:`add`) and leave the
    ``with`` block (or call :meth:`raise_any`): nothing is raised when every check passed;
    exactly the check's own error when one failed; otherwise one ConfigError listing every
    problem, numbered, in the order found.

    Examples
    --------
    >>> with Problems() as problems:
    ...     lang = problems.check(check_lang, "de")
    ...     frame = problems.check(check_frame, [1, 2], "events")
    Traceback (most recent call last):
    ...
    geo_trygg._errors.ConfigError: 2 problems with the arguments: (1) lang='de' is not \
allowed; expected one of: 'sv', 'en'; (2) events must be a DataFrame or GeoDataFrame; got list
    """

    def __init__(self) -> None:
        self.errors: list[ConfigError] = []

    def check(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
        """``func(*args, **kwargs)``; None (and the problem kept) when it raises ConfigError."""
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            self.errors.append(exc)
            return None

    def add(self, message: str) -> None:
        """Keep a problem found by the caller's own test."""
        self.errors.append(ConfigError(message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        """Raise what was found (see the class docstring); nothing when all passed."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            items = "; ".join(f"({i}) {e}" for i, e in enumerate(self.errors, start=1))
            raise ConfigError(f"{len(self.errors)} problems with the arguments: {items}")

    def __enter__(self) -> Problems:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.raise_any()
