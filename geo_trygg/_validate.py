"""The argument checks every layer repeats, in one place (private module of the shared base).

- **language**: :func:`check_lang` (``"sv"``/``"en"``, ``settings.lang`` when omitted);
- **frames and columns**: :func:`check_frame` (a DataFrame), :func:`check_geoframe` (a
  GeoDataFrame), :func:`require_columns` (all missing columns named at once);
- **coordinate reference systems**: :func:`check_metric` (a projected CRS in metres),
  :func:`check_same_crs` (two layers in one CRS), :func:`crs_label` for messages;
- **dates**: :func:`check_day_order` (a span whose end comes after its start).

Each check raises :class:`~geo_trygg._errors.ConfigError` (``CRSMismatchError`` for two CRSs)
naming the argument, the value received and what is allowed. :class:`Problems` runs several
checks of one call and reports **all** their problems in one message, so that a caller fixes
the arguments in one go rather than one error at a time; a call with a single problem raises
exactly the error that check raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, CRSMismatchError, check_choice

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas and geo_trygg.crs (pyproj) are imported by the checks that need them, so that
# modules checking only languages and columns stay quick to import.

__all__ = [
    "LANGS",
    "Problems",
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
