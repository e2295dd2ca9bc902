"""Follow-up of safety-walk findings (åtgärdsuppföljning): status counts and overdue lists.

Rules shared by every follow-up function (also :mod:`._status_updates`):

- **Input.** Findings as :func:`geo_trygg.read_findings` returns them, optionally after
  :func:`geo_trygg.assign_areas` (which adds the area columns ``stadsdel``,
  ``stadsdelsomrade``, ``lpo``, …). Needed columns: ``finding_id`` (unique), ``walk_date``,
  ``status``, ``deadline`` and ``status_date``. Status texts that are not codes are mapped with
  the status vocabulary (``"Åtgärdad"`` → ``done``); a missing or unknown status is a
  :class:`~geo_trygg.ConfigError`. Date columns may be ``datetime64`` or text (read with the
  same date rules as the readers); a date with a time of day counts as its calendar day.
- **as_of.** The day the follow-up is judged on. It is required, never read from the clock, so
  the same inputs always give the same tables. It only decides what is *overdue*; the status
  counted is each finding's current status (a warning says so when some walk or status dates lie
  after ``as_of``).
- **Overdue.** A finding is overdue when its status is ``new`` or ``in_progress``, it has a
  deadline, and the deadline is *before* ``as_of``: the deadline day itself still counts as in
  time, so a finding with deadline 2024-06-10 is overdue from 2024-06-11 on. ``days_overdue`` is
  ``as_of - deadline`` in days (1 on the first overdue day). Findings without a deadline are
  never overdue.
- **Days to done.** For ``done`` findings with a ``status_date``: ``status_date - walk_date``
  in days (the status date of a done finding is when it was done). Done findings without a
  status date are left out of the median; so are findings marked done before their walk date
  (a data error, reported in a warning). The table gives how many findings the median is over.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.io._dates import STOCKHOLM, parse_datetime_value, parse_datetimes
from geo_trygg.io._points import as_text
from geo_trygg.vocab.findings import STATUSES, map_statuses

__all__ = [
    "CLOSED_STATUSES",
    "FOLLOWUP_COLUMNS",
    "OPEN_STATUSES",
    "followup_table",
    "overdue_findings",
]

OPEN_STATUSES = ("new", "in_progress")
"""Statuses of findings that still wait for a measure (these can be overdue)."""
CLOSED_STATUSES = ("done", "rejected")
"""Statuses that close a finding."""

FOLLOWUP_COLUMNS = [
    "is_total",
    "n_total",
    "n_open",
    "n_in_progress",
    "n_done",
    "n_rejected",
    "n_overdue",
    "share_done",
    "median_days_to_done",
    "n_done_dated",
]
"""Columns of :func:`followup_table` after the group columns named in ``by``."""

_COUNTED = {"n_open": "new", "n_in_progress": "in_progress", "n_done": "done"}
_EXTRA_GROUPS = ("responsible_actor", "category", "walk_id")
_REQUIRED = ("finding_id", "walk_date", "status", "deadline", "status_date")
_DATES = ("walk_date", "deadline", "status_date")
_LANGS = ("sv", "en")
_SHOW_IDS = 5

DateLike: TypeAlias = str | dt.date | pd.Timestamp | np.datetime64
"""What ``as_of`` and ``since`` accept: date text, dates, datetimes and Timestamps."""


# --- argument checks shared with _status_updates ----------------------------------------------


def check_lang(lang: str | None) -> str:
    """``lang`` or ``settings.lang``; ConfigError for anything but ``"sv"``/``"en"``."""
    if lang is None:
        return settings.lang
    return check_choice("lang", lang, _LANGS)


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
    if not isinstance(value, (str, dt.date, pd.Timestamp, np.datetime64)):
        raise ConfigError(
            f"{name}={value!r} is not a date; allowed: a date text such as '2024-06-30', a "
            "datetime.date, a datetime.datetime or a pandas.Timestamp"
        )
    status, parsed, _ = parse_datetime_value(value)
    if status != "ok" or parsed is None:
        raise ConfigError(
            f"{name}={value!r} is not a date (or not a real calendar day); write e.g. "
            "'2024-06-30', '30/6/2024' or '30 juni 2024'"
        )
    if parsed.tzinfo is not None:
        parsed = pd.Timestamp(parsed).tz_convert(STOCKHOLM).to_pydatetime()
    return pd.Timestamp(parsed.year, parsed.month, parsed.day)


def check_frame(findings: Any, name: str = "findings") -> pd.DataFrame:
    """ConfigError unless ``findings`` is a (Geo)DataFrame."""
    if not isinstance(findings, pd.DataFrame):
        raise ConfigError(
            f"{name} must be a DataFrame or GeoDataFrame of findings (e.g. "
            f"geo_trygg.read_findings(path).accepted); got {type(findings).__name__}"
        )
    return findings


def require_columns(frame: pd.DataFrame, needed: Sequence[str], name: str) -> None:
    """ConfigError naming the columns of ``needed`` that ``frame`` lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"{name} lacks the column(s) {', '.join(map(repr, missing))}; it needs "
            f"{', '.join(map(repr, needed))} (as geo_trygg.read_findings returns them); its "
            f"columns are: {', '.join(map(repr, map(str, frame.columns)))}"
        )


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
    codes = map_statuses(values)
    bad = codes.isna().to_numpy()
    if bad.any():
        shown = sorted({str(v) for v in values[bad].tolist()})[:_SHOW_IDS]
        raise ConfigError(
            f"{name}['status'] has {int(bad.sum())} missing or unknown value(s): "
            f"{', '.join(shown)}; allowed: {', '.join(map(repr, STATUSES))} (or their Swedish "
            "names, e.g. 'Ny', 'Pågående', 'Åtgärdad', 'Avvisad')"
        )
    return codes


def finding_ids(values: pd.Series, name: str) -> pd.Series:
    """Finding ids as text; ConfigError for missing or repeated ids."""
    ids = pd.Series([as_text(v) for v in values.tolist()], index=values.index, dtype=object)
    if ids.isna().any():
        raise ConfigError(f"{name}['finding_id'] has {int(ids.isna().sum())} missing id(s)")
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        shown = ", ".join(map(repr, sorted(set(repeated.tolist()))[:_SHOW_IDS]))
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
    return [str(c) for c in frame.columns if _is_area_column(frame, c)]


def _is_area_column(frame: pd.DataFrame, column: Any) -> bool:
    return isinstance(column, str) and (
        column in AREA_LEVELS or f"{column}_matched_by" in frame.columns
    )


# --- followup_table ------------------------------------------------------------------------------


def _check_by(frame: pd.DataFrame, by: Any) -> list[str]:
    keys = [by] if isinstance(by, str) else by
    allowed = [*area_columns(frame), *(c for c in _EXTRA_GROUPS if c in frame.columns)]
    shown = ", ".join(map(repr, allowed)) or "none (run geo_trygg.assign_areas first)"
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
        raise ConfigError(
            f"by={by!r} must be a column name or a list of column names; allowed: {shown}"
        )
    for key in keys:
        if key not in allowed:
            hint = (
                " (the findings have no such column: run geo_trygg.assign_areas with that "
                "level first)"
                if key in AREA_LEVELS
                else ""
            )
            raise ConfigError(f"by contains {key!r}, which is not allowed{hint}; allowed: {shown}")
    if len(set(keys)) != len(keys):
        raise ConfigError(f"by={by!r} names a column twice")
    return list(keys)


def _missing_label(frame: pd.DataFrame, key: str, lang: str) -> str:
    if _is_area_column(frame, key):
        return msg("fu_no_area", lang)
    if key == "responsible_actor":
        return msg("fu_no_actor", lang)
    return msg("fu_no_value", lang)


def _group_keys(frame: pd.DataFrame, keys: list[str], lang: str) -> dict[str, pd.Series]:
    """Group values as text; the missing-group label where the value is missing."""
    out: dict[str, pd.Series] = {}
    for key in keys:
        text = pd.Series([as_text(v) for v in frame[key].tolist()], index=frame.index)
        out[key] = text.astype(object).where(text.notna(), _missing_label(frame, key, lang))
    return out


def _stats(part: pd.DataFrame, days: pd.Series) -> dict[str, Any]:
    n_total = len(part)
    row: dict[str, Any] = {"n_total": n_total}
    for column, status in _COUNTED.items():
        row[column] = int((part["status"] == status).sum())
    row["n_rejected"] = int((part["status"] == "rejected").sum())
    row["n_overdue"] = int(part["overdue"].sum())
    row["share_done"] = row["n_done"] / n_total if n_total else np.nan
    used = days.dropna()
    row["median_days_to_done"] = float(used.median()) if len(used) else np.nan
    row["n_done_dated"] = len(used)
    return row


def followup_table(
    findings: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("stadsdelsomrade",),
    as_of: DateLike | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Count findings per group by status, with overdue counts and the median time to done.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        Findings as :func:`geo_trygg.read_findings` returns them (``.accepted``), optionally
        after :func:`geo_trygg.assign_areas`; see the module docstring for the columns needed.
    by : str or sequence of str, default ("stadsdelsomrade",)
        The columns to group by: area levels added by ``assign_areas`` (``"stadsdel"``,
        ``"stadsdelsomrade"``, ``"lpo"``, …) and/or ``"responsible_actor"``, ``"category"``,
        ``"walk_id"``. Several columns give one row per combination that occurs (as in
        :meth:`pandas.DataFrame.groupby`): ``by=("stadsdelsomrade", "responsible_actor")``
        shows each actor's share per area. ``by=()`` gives the total row only.
    as_of : str, datetime.date or pandas.Timestamp
        Required: the day the follow-up is judged on (what is overdue). Never read from the
        clock, so the table is reproducible.
    lang : {"sv", "en"}, optional
        Language of the group labels; ``geo_trygg.settings.lang`` by default.

    Returns
    -------
    pandas.DataFrame
        One row per group, then a total row; columns: the ``by`` columns (group values as
        text; findings without a value form the group ``"(inget område)"`` for area columns,
        ``"(ingen ansvarig)"`` for ``responsible_actor``, ``"(saknas)"`` otherwise, so no
        finding is dropped), then :data:`FOLLOWUP_COLUMNS`:

        - ``is_total``: True on the last row (whose group columns say ``"Totalt"``);
        - ``n_total``, and by status ``n_open`` (``new``), ``n_in_progress``, ``n_done``,
          ``n_rejected`` (they add up to ``n_total``);
        - ``n_overdue``: open or in progress with the deadline before ``as_of``;
        - ``share_done``: ``n_done / n_total`` (rejected findings included in the total);
        - ``median_days_to_done``: median days from the walk to the status date of the done
          findings, NaN when there are none; ``n_done_dated``: how many it is over.

        Groups are sorted by their values (the missing-value group last), so row order never
        depends on the input order. ``attrs["as_of"]`` holds the day as ISO text.

    Raises
    ------
    ConfigError
        When ``as_of`` is missing or not a date, ``by`` names a column that is not allowed or
        not present, ``lang`` is not ``"sv"``/``"en"``, or the findings lack a needed column
        or have missing, repeated or unknown values in it.

    Warns
    -----
    GeoTryggWarning
        When there are no findings, when walk or status dates lie after ``as_of``, or when
        findings are marked done before their walk date.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["a", "b", "c", "d"],
    ...     "walk_date": pd.to_datetime(["2024-03-05"] * 4),
    ...     "status": ["new", "in_progress", "done", "done"],
    ...     "deadline": pd.to_datetime(["2024-04-01", "2024-09-01", "2024-04-01", None]),
    ...     "status_date": pd.to_datetime(
    ...         ["2024-03-05", "2024-04-02", "2024-03-15", "2024-03-25"]
    ...     ),
    ...     "stadsdel": ["ÄLVSJÖ", "ÄLVSJÖ", "SOLBERGA", None],
    ... })
    >>> table = followup_table(findings, by="stadsdel", as_of="2024-06-30", lang="sv")
    >>> table[["stadsdel", "n_total", "n_open", "n_overdue", "median_days_to_done"]]
             stadsdel  n_total  n_open  n_overdue  median_days_to_done
    0        SOLBERGA        1       0          0                 10.0
    1          ÄLVSJÖ        2       1          1                  NaN
    2  (inget område)        1       0          0                 20.0
    3          Totalt        4       1          1                 15.0
    """
    language = check_lang(lang)
    frame = check_frame(findings)
    keys = _check_by(frame, by)
    day = parse_day(as_of, "as_of")
    prepared = prepare_findings(frame)
    if prepared.empty:
        warnings.warn(msg("fu_empty", language), GeoTryggWarning, stacklevel=2)
    warn_after_as_of(prepared, day)
    prepared["overdue"] = overdue_mask(prepared, day)
    days = _days_to_done(prepared)
    groups = _group_keys(frame, keys, language)
    missing = {k: _missing_label(frame, k, language) for k in keys}
    members: dict[tuple[str, ...], list[int]] = {}
    for position, combo in enumerate(zip(*(groups[k].tolist() for k in keys), strict=True)):
        members.setdefault(combo, []).append(position)
    order = sorted(
        members,
        key=lambda t: tuple((v == missing[k], v) for k, v in zip(keys, t, strict=True)),
    )
    rows: list[dict[str, Any]] = []
    for combo in order if keys else []:
        positions = members[combo]
        row: dict[str, Any] = dict(zip(keys, combo, strict=True))
        row["is_total"] = False
        row.update(_stats(prepared.iloc[positions], days.iloc[positions]))
        rows.append(row)
    total: dict[str, Any] = dict.fromkeys(keys, msg("fu_total", language))
    total["is_total"] = True
    total.update(_stats(prepared, days))
    rows.append(total)
    table = pd.DataFrame(rows, columns=[*keys, *FOLLOWUP_COLUMNS])
    for column in FOLLOWUP_COLUMNS[1:]:
        dtype = "float64" if column in ("share_done", "median_days_to_done") else "int64"
        table[column] = table[column].astype(dtype)
    table["is_total"] = table["is_total"].astype(bool)
    table.attrs["as_of"] = day.date().isoformat()
    return table


def _days_to_done(prepared: pd.DataFrame) -> pd.Series:
    """Days from walk to done (see the module docstring), NaN where not counted; same index."""
    done = (prepared["status"] == "done").to_numpy()
    days = (prepared["status_date"] - prepared["walk_date"]).dt.days.to_numpy(dtype="float64")
    negative = done & (days < 0)
    if negative.any():
        ids = sorted(prepared["finding_id"].to_numpy()[negative].tolist())
        shown = ", ".join(ids[:_SHOW_IDS]) + (" …" if len(ids) > _SHOW_IDS else "")
        warnings.warn(
            msg("fu_done_before_walk", n=len(ids), ids=shown), GeoTryggWarning, stacklevel=3
        )
    days[~done | negative] = np.nan
    return pd.Series(days, index=prepared.index, dtype="float64")


# --- overdue_findings ---------------------------------------------------------------------------


def overdue_findings(findings: pd.DataFrame, *, as_of: DateLike | None = None) -> pd.DataFrame:
    """The findings that are overdue on ``as_of``, most overdue first.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        Findings as :func:`geo_trygg.read_findings` returns them, optionally with area columns.
    as_of : str, datetime.date or pandas.Timestamp
        Required: the day the follow-up is judged on. A finding is overdue when its status is
        ``new`` or ``in_progress`` and its deadline is before this day (the deadline day itself
        is still in time).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The overdue rows of ``findings`` (every column, same type, the caller's index labels)
        with a column ``days_overdue`` (int64, ``as_of - deadline`` in days, at least 1),
        sorted by ``days_overdue`` descending, then ``finding_id``. Empty (with the same
        columns) when nothing is overdue.

    Raises
    ------
    ConfigError
        When ``as_of`` is missing or not a date, or the findings lack a needed column or have
        missing, repeated or unknown values in it.

    Warns
    -----
    GeoTryggWarning
        When walk or status dates lie after ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["a", "b", "c", "d"],
    ...     "walk_date": pd.to_datetime(["2024-03-05"] * 4),
    ...     "status": ["new", "in_progress", "done", "new"],
    ...     "deadline": pd.to_datetime(["2024-06-01", "2024-05-01", "2024-04-01", "2024-06-30"]),
    ...     "status_date": pd.to_datetime(["2024-03-05", "2024-04-02", "2024-03-15", None]),
    ... })
    >>> overdue_findings(findings, as_of="2024-06-30")[["finding_id", "days_overdue"]]
      finding_id  days_overdue
    1          b            60
    0          a            29
    """
    frame = check_frame(findings)
    day = parse_day(as_of, "as_of")
    prepared = prepare_findings(frame)
    warn_after_as_of(prepared, day)
    mask = overdue_mask(prepared, day).to_numpy()
    days = (day - prepared.loc[mask, "deadline"]).dt.days.astype("int64")
    ids = prepared.loc[mask, "finding_id"]
    order = np.lexsort((ids.to_numpy(dtype=str), -days.to_numpy()))
    out = frame[mask].iloc[order].copy()
    out["days_overdue"] = days.to_numpy()[order]
    out.attrs["as_of"] = day.date().isoformat()
    return out
