"""Findings as the follow-up needs them: argument checks and normalisation.

Shared by the follow-up tables (:mod:`._tables`), the status round trip (:mod:`._status`), the
lägesbild and the packs' action lists; the rules are documented in :mod:`._tables`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_date
from geo_trygg._validate import check_frame as _check_frame
from geo_trygg._validate import require_columns as _require_columns
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.io.cells import STOCKHOLM, as_text, parse_datetime_value, parse_datetimes
from geo_trygg.vocab.findings import STATUSES, map_statuses

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "SHOW_IDS",
    "DateLike",
    "area_columns",
    "as_texts",
    "check_frame",
    "coerce_days",
    "coerce_statuses",
    "finding_ids",
    "is_area_column",
    "overdue_mask",
    "parse_day",
    "per_distinct",
    "prepare_findings",
    "require_columns",
    "warn_after_as_of",
]

OPEN_STATUSES = ("new", "in_progress")
"""Statuses of findings that still wait for a measure (these can be overdue)."""
CLOSED_STATUSES = ("done", "rejected")
"""Statuses that close a finding."""


_REQUIRED = ("finding_id", "walk_date", "status", "deadline", "status_date")
_DATES = ("walk_date", "deadline", "status_date")
SHOW_IDS = 5

DateLike: TypeAlias = str | dt.date | pd.Timestamp | np.datetime64
"""What ``as_of`` and ``since`` accept: date text, dates, datetimes and Timestamps."""


def per_distinct(
    values: pd.Series,
    fn: Callable[[list[Any]], list[Any]],
    fn_texts: Callable[[list[str]], list[Any]] | None = None,
) -> np.ndarray:
    """``fn(values.tolist())`` for an elementwise ``fn``, computed once per distinct text.

    When every value that is not missing is a ``str`` (the usual case), ``fn`` runs on the
    distinct texts (or ``fn_texts``, a faster equivalent of ``fn`` for ``str`` values) and on
    the missing values only, which gives the same values as running it on every value. Other
    columns (numbers, mixed types) go through ``fn`` value by value. Returns an object array.
    """
    items = values.to_numpy(dtype=object)
    out = np.empty(len(items), dtype=object)
    if len(items) < 64 or pd.api.types.infer_dtype(items, skipna=True) != "string":
        out[:] = fn(items.tolist())
        return out
    codes, uniques = pd.factorize(items)
    table = np.empty(len(uniques) + 1, dtype=object)  # the last entry is never used
    table[:-1] = (fn_texts or fn)(uniques.tolist())
    out[:] = table[codes]
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        out[missing] = fn(items[missing].tolist())
    return out


def as_texts(values: pd.Series) -> np.ndarray:
    """:func:`geo_trygg.io._points.as_text` of every value (a ``str`` is stripped, "" is None)."""
    return per_distinct(
        values,
        lambda items: [as_text(v) for v in items],
        lambda texts: [t.strip() or None for t in texts],
    )


# --- argument checks ----------------------------------------------


def parse_day(value: Any, name: str) -> pd.Timestamp:
    """A required day argument (``as_of``, ``since``) as a midnight Timestamp.

    Accepts ISO or Swedish date text (the readers' date rules), :class:`datetime.date`,
    :class:`datetime.datetime`, :class:`pandas.Timestamp` and :class:`numpy.datetime64`; a time
    of day is dropped (an aware time is first converted to Europe/Stockholm).
    """
    if value is None:
        raise ConfigError(
            f"{name} is required: the day the follow-up is judged on, e.g. {name}='2024-06-30' "
            "(it is never read from the clock, so that results are reproducible)"
        )
    return pd.Timestamp(check_date(value, name, text=reader_day))


def reader_day(text: str) -> dt.datetime | None:
    """A date text read by the readers' rules (``"30/6/2024"``, ``"30 juni 2024"``); None when
    it is none (for :func:`geo_trygg._validate.check_date`)."""
    status, parsed, _ = parse_datetime_value(text)
    return parsed if status == "ok" else None


def check_frame(findings: Any, name: str = "findings") -> pd.DataFrame:
    """ConfigError unless ``findings`` is a (Geo)DataFrame."""
    return _check_frame(
        findings, name, "of findings (e.g. geo_trygg.read_findings(path).accepted)"
    )


def require_columns(frame: pd.DataFrame, needed: Sequence[str], name: str) -> None:
    """ConfigError naming the columns of ``needed`` that ``frame`` lacks."""
    _require_columns(frame, needed, name, hint="as geo_trygg.read_findings returns them")


def coerce_days(values: pd.Series, column: str, name: str) -> pd.Series:
    """A date column as naive ``datetime64[ns]`` calendar days (midnight), NaT for blanks.

    ``datetime64`` columns are used as they are (aware ones converted to Europe/Stockholm);
    other columns are parsed with the readers' date rules, and a value that is not a date is a
    ConfigError naming the column and the value.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(STOCKHOLM).dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.astype("datetime64[ns]").dt.normalize()
    parsed = parse_datetimes(values.tolist())
    bad = np.flatnonzero(~parsed.ok & ~parsed.missing)
    if len(bad):
        examples = ", ".join(repr(values.iat[int(i)]) for i in bad[:3])
        raise ConfigError(
            f"{name}[{column!r}] holds {len(bad)} value(s) that are not dates, e.g. {examples}; "
            "write dates like '2024-06-30'"
        )
    out = parsed.dates()
    out.index = values.index
    return out


def coerce_statuses(values: pd.Series, name: str) -> pd.Series:
    """Status codes for a status column (texts mapped with the vocabulary); ConfigError for
    missing or unknown statuses, naming them and the allowed values."""
    mapped = per_distinct(values, lambda texts: map_statuses(pd.Series(texts)).tolist())
    codes = pd.Series(mapped, index=values.index, dtype=object, name=values.name)
    bad = codes.isna().to_numpy()
    if bad.any():
        shown = sorted({str(v) for v in values[bad].tolist()})[:SHOW_IDS]
        raise ConfigError(
            f"{name}['status'] has {int(bad.sum())} missing or unknown value(s): "
            f"{', '.join(shown)}; allowed: {', '.join(map(repr, STATUSES))} (or their Swedish "
            "names, e.g. 'Ny', 'Pågående', 'Åtgärdad', 'Avvisad')"
        )
    return codes


def finding_ids(values: pd.Series, name: str) -> pd.Series:
    """Finding ids as text; ConfigError for missing or repeated ids."""
    ids = pd.Series(as_texts(values), index=values.index, dtype=object)
    if ids.isna().any():
        raise ConfigError(f"{name}['finding_id'] has {int(ids.isna().sum())} missing id(s)")
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        shown = ", ".join(map(repr, sorted(set(repeated.tolist()))[:SHOW_IDS]))
        raise ConfigError(
            f"{name}['finding_id'] must be unique; repeated: {shown} ({repeated.nunique()} ids)"
        )
    return ids


def prepare_findings(findings: Any, name: str = "findings") -> pd.DataFrame:
    """The columns the follow-up needs, checked and normalised, on the caller's index.

    Returns a new DataFrame with ``finding_id`` (text), ``status`` (codes) and the three date
    columns as calendar days; the caller's frame is not touched.
    """
    frame = check_frame(findings, name)
    require_columns(frame, _REQUIRED, name)
    out = pd.DataFrame(index=frame.index)
    out["finding_id"] = finding_ids(frame["finding_id"], name)
    out["status"] = coerce_statuses(frame["status"], name)
    for column in _DATES:
        out[column] = coerce_days(frame[column], column, name)
    return out


def overdue_mask(prepared: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Overdue findings (see the module docstring): open status and deadline before as_of."""
    is_open = prepared["status"].isin(OPEN_STATUSES)
    return is_open & prepared["deadline"].notna() & (prepared["deadline"] < as_of)


def warn_after_as_of(prepared: pd.DataFrame, as_of: pd.Timestamp) -> None:
    """Warn when walk or status dates lie after ``as_of`` (the current status is used)."""
    after = (prepared["walk_date"] > as_of) | (prepared["status_date"] > as_of)
    n = int(after.sum())
    if n:
        warnings.warn(
            msg("fu_dates_after_as_of", n=n, as_of=as_of.date().isoformat()),
            GeoTryggWarning,
            stacklevel=3,
        )


def area_columns(frame: pd.DataFrame) -> list[str]:
    """Area-name columns present in ``frame`` (assign_areas output), in column order."""
    return [str(c) for c in frame.columns if is_area_column(frame, c)]


def is_area_column(frame: pd.DataFrame, column: Any) -> bool:
    return isinstance(column, str) and (
        column in AREA_LEVELS or f"{column}_matched_by" in frame.columns
    )
