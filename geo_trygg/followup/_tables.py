"""Follow-up of safety-walk findings (åtgärdsuppföljning): status counts and overdue lists.

Rules shared by every follow-up function (also the status round trip, :mod:`._status`):

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

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.followup._input import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    SHOW_IDS,
    DateLike,
    area_columns,
    as_texts,
    check_frame,
    is_area_column,
    overdue_mask,
    parse_day,
    prepare_findings,
    warn_after_as_of,
)
from geo_trygg.vocab.findings import map_actor_groups

__all__ = [
    "CLOSED_STATUSES",
    "FOLLOWUP_COLUMNS",
    "OPEN_STATUSES",
    "FollowupPlan",
    "followup_table",
    "followup_tables",
    "overdue_findings",
]

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
_EXTRA_GROUPS = ("responsible_actor", "actor_group", "category", "walk_id")
_ACTOR_GROUP = "actor_group"
"""The group of the responsible actor (``geo_trygg.vocab.findings.ACTOR_GROUPS``), derived
from ``responsible_actor`` when the findings have no column of that name."""


def _has_group_column(frame: pd.DataFrame, key: str) -> bool:
    if key == _ACTOR_GROUP:
        return key in frame.columns or "responsible_actor" in frame.columns
    return key in frame.columns


def _group_column(frame: pd.DataFrame, key: str) -> pd.Series:
    if key == _ACTOR_GROUP and key not in frame.columns:
        return map_actor_groups(frame["responsible_actor"])
    return frame[key]


# --- followup_table ------------------------------------------------------------------------------


def _check_by(frame: pd.DataFrame, by: Any) -> list[str]:
    keys = [by] if isinstance(by, str) else by
    allowed = [*area_columns(frame), *(c for c in _EXTRA_GROUPS if _has_group_column(frame, c))]
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
    if is_area_column(frame, key):
        return msg("fu_no_area", lang)
    if key in ("responsible_actor", _ACTOR_GROUP):
        return msg("fu_no_actor", lang)
    return msg("fu_no_value", lang)


def _group_keys(frame: pd.DataFrame, keys: list[str], lang: str) -> dict[str, pd.Series]:
    """Group values as text; the missing-group label where the value is missing."""
    out: dict[str, pd.Series] = {}
    for key in keys:
        text = pd.Series(as_texts(_group_column(frame, key)), index=frame.index)
        out[key] = text.astype(object).where(text.notna(), _missing_label(frame, key, lang))
    return out


def _stats(
    group: np.ndarray, n_groups: int, status: np.ndarray, days: np.ndarray
) -> dict[str, np.ndarray]:
    """The counts of each group (``group``: code per finding) as arrays, one value per group,
    all but ``n_overdue`` (the only one that depends on ``as_of``).

    The median of the days to done (NaN: not counted) is the middle value of the sorted days,
    or the mean of the two middle values, as :func:`numpy.median`.
    """
    out: dict[str, np.ndarray] = {"n_total": np.bincount(group, minlength=n_groups)}
    for column, code in (*_COUNTED.items(), ("n_rejected", "rejected")):
        out[column] = np.bincount(group[status == code], minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_done"] = np.where(out["n_total"] > 0, out["n_done"] / out["n_total"], np.nan)
    used = ~np.isnan(days)
    used_group, used_days = group[used], days[used]
    order = np.lexsort((used_days, used_group))
    ranked = used_days[order]
    count = np.bincount(used_group, minlength=n_groups)
    start = np.cumsum(count) - count
    has = count > 0
    low = np.where(has, start + (count - 1) // 2, 0)
    high = np.where(has, start + count // 2, 0)
    middle = (ranked[low] + ranked[high]) / 2 if len(ranked) else np.zeros(n_groups)
    out["median_days_to_done"] = np.where(has, middle, np.nan)
    out["n_done_dated"] = count
    return out


def _groups(
    groups: dict[str, pd.Series], keys: list[str]
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """A code per row for its combination of group values, and the combinations by code
    (``keys`` not empty)."""
    factorized = [pd.factorize(groups[key].to_numpy(dtype=object)) for key in keys]
    combined = np.zeros(len(groups[keys[0]]), dtype=np.int64)
    for codes, values in factorized:
        combined, _ = pd.factorize(combined * len(values) + codes)
    _, first = np.unique(combined, return_index=True)
    return combined, [tuple(values[codes[i]] for codes, values in factorized) for i in first]


def followup_table(
    findings: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("stadsdelsomrade",),
    as_of: DateLike | None = None,
) -> pd.DataFrame:
    """Count findings per group by status, with overdue counts and the median time to done.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        Findings as :func:`geo_trygg.read_findings` returns them (``.accepted``), optionally
        after :func:`geo_trygg.assign_areas`; see the module docstring for the columns needed.
    by : str or sequence of str, default ("stadsdelsomrade",)
        The columns to group by: area levels added by ``assign_areas`` (``"stadsdel"``,
        ``"stadsdelsomrade"``, ``"lpo"``, …) and/or ``"responsible_actor"``,
        ``"actor_group"``, ``"category"``, ``"walk_id"``. ``"actor_group"`` is the group of
        the responsible actor (``kommun``, ``region_stat``, ``privat``, ``civilsamhalle``,
        ``other``: :func:`geo_trygg.vocab.findings.actor_groups`; a value that is no actor
        code counts as ``other``), taken from ``responsible_actor`` when the findings have no
        ``actor_group`` column; ``by=("actor_group", "responsible_actor")`` lists the actors
        within their groups. Several columns give one row per combination that occurs (as in
        :meth:`pandas.DataFrame.groupby`): ``by=("stadsdelsomrade", "responsible_actor")``
        shows each actor's share per area. ``by=()`` gives the total row only.
    as_of : str, datetime.date or pandas.Timestamp
        Required: the day the follow-up is judged on (what is overdue). Never read from the
        clock, so the table is reproducible.

    Returns
    -------
    pandas.DataFrame
        One row per group, then a total row; columns: the ``by`` columns (group values as
        text; findings without a value form the group ``"(inget område)"`` for area columns,
        ``"(ingen ansvarig)"`` for ``responsible_actor`` and ``actor_group``, ``"(saknas)"``
        otherwise, so no finding is dropped; these words, and ``"Totalt"``, are in the
        session language ``geo_trygg.settings.lang``, as notes are: the group columns hold
        the data's own names, not codes), then :data:`FOLLOWUP_COLUMNS`:

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
        not present, or the findings lack a needed column
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
    >>> table = followup_table(findings, by="stadsdel", as_of="2024-06-30")
    >>> table[["stadsdel", "n_total", "n_open", "n_overdue", "median_days_to_done"]]
             stadsdel  n_total  n_open  n_overdue  median_days_to_done
    0        SOLBERGA        1       0          0                 10.0
    1          ÄLVSJÖ        2       1          1                  NaN
    2  (inget område)        1       0          0                 20.0
    3          Totalt        4       1          1                 15.0
    """
    language = settings.lang
    frame = check_frame(findings)
    keys = _check_by(frame, by)
    day = parse_day(as_of, "as_of")
    prepared = prepare_findings(frame)
    if prepared.empty:
        warnings.warn(msg("fu_empty", language), GeoTryggWarning, stacklevel=2)
    warn_after_as_of(prepared, day)
    days = _days_to_done(prepared).to_numpy(dtype=float)
    status = prepared["status"].to_numpy(dtype=object)
    grouping = _Grouping(frame, keys, language, status, days)
    return grouping.table(overdue_mask(prepared, day).to_numpy(dtype=bool), day)


class _Grouping:
    """The groups of one ``by`` (codes per finding, sorted combinations), prepared once."""

    def __init__(
        self,
        frame: pd.DataFrame,
        keys: list[str],
        language: str,
        status: np.ndarray,
        days: np.ndarray,
    ) -> None:
        groups = _group_keys(frame, keys, language)
        missing = {k: _missing_label(frame, k, language) for k in keys}
        # without keys every row is in one group, which has no row of its own (only the total)
        self.codes, combos = (
            _groups(groups, keys) if keys else (np.zeros(len(frame), dtype=np.int64), [])
        )
        self.n_groups = len(combos)
        self.order = sorted(
            range(len(combos)),
            key=lambda i: tuple(
                (v == missing[k], v) for k, v in zip(keys, combos[i], strict=True)
            ),
        )
        self.columns: dict[str, Any] = {
            key: [combos[i][j] for i in self.order] + [msg("fu_total", language)]
            for j, key in enumerate(keys)
        }
        self.keys = keys
        # every count but n_overdue is the same on any day
        rows = np.array(self.order, dtype=np.int64)
        per_group = _stats(self.codes, self.n_groups, status, days)
        total = _stats(np.zeros(len(status), dtype=np.int64), 1, status, days)
        self._fixed = {c: np.concatenate([per_group[c][rows], total[c]]) for c in per_group}

    def table(self, overdue: np.ndarray, day: pd.Timestamp) -> pd.DataFrame:
        """The follow-up table of :func:`followup_table` (``overdue``: mask as of ``day``)."""
        rows = np.array(self.order, dtype=np.int64)
        overdue_counts = np.concatenate(
            [np.bincount(self.codes[overdue], minlength=self.n_groups)[rows], [overdue.sum()]]
        )
        columns = dict(self.columns)
        columns["is_total"] = np.array([False] * len(self.order) + [True])
        for column in FOLLOWUP_COLUMNS[1:]:
            values = overdue_counts if column == "n_overdue" else self._fixed[column]
            dtype = "float64" if column in ("share_done", "median_days_to_done") else "int64"
            columns[column] = values.astype(dtype)
        table = pd.DataFrame(columns, columns=[*self.keys, *FOLLOWUP_COLUMNS])
        table.attrs["as_of"] = day.date().isoformat()
        return table


def _days_to_done(prepared: pd.DataFrame) -> pd.Series:
    """Days from walk to done (see the module docstring), NaN where not counted; same index."""
    done = (prepared["status"] == "done").to_numpy()
    days = (prepared["status_date"] - prepared["walk_date"]).dt.days.to_numpy(dtype="float64")
    negative = done & (days < 0)
    if negative.any():
        ids = sorted(prepared["finding_id"].to_numpy()[negative].tolist())
        shown = ", ".join(ids[:SHOW_IDS]) + (" …" if len(ids) > SHOW_IDS else "")
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
    return _overdue(frame, prepared, day)


def _overdue(frame: pd.DataFrame, prepared: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The overdue list of :func:`overdue_findings` from prepared findings."""
    mask = overdue_mask(prepared, day).to_numpy()
    days = (day - prepared.loc[mask, "deadline"]).dt.days.astype("int64")
    ids = prepared.loc[mask, "finding_id"]
    order = np.lexsort((ids.to_numpy(dtype=str), -days.to_numpy()))
    out = frame[mask].iloc[order].copy()
    out["days_overdue"] = days.to_numpy()[order]
    out.attrs["as_of"] = day.date().isoformat()
    return out


# --- several tables at once ---------------------------------------------------------------------


def followup_tables(
    findings: pd.DataFrame,
    *,
    by_each: Sequence[str | Sequence[str]],
    as_of: DateLike | None = None,
) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """:func:`followup_table` for each grouping in ``by_each``, and :func:`overdue_findings`.

    The same tables as ``[followup_table(findings, by=by, as_of=as_of) for by in by_each]``
    and ``overdue_findings(findings, as_of=as_of)``, with the findings checked and
    prepared once instead of once per table (warnings are given once).

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        As for :func:`followup_table`.
    by_each : sequence of (str or sequence of str)
        One ``by`` per table, e.g. ``("stadsdel", "lpo", "responsible_actor")``.
    as_of : str, datetime.date or pandas.Timestamp
        Required: the day the follow-up is judged on.

    Returns
    -------
    (list of pandas.DataFrame, pandas.DataFrame)
        The follow-up tables in the order of ``by_each``, and the overdue findings.

    Raises
    ------
    ConfigError
        As :func:`followup_table`, for any grouping, before any work.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["a", "b"], "walk_date": pd.to_datetime(["2024-03-05"] * 2),
    ...     "status": ["new", "done"], "deadline": pd.to_datetime(["2024-04-01"] * 2),
    ...     "status_date": pd.to_datetime(["2024-03-05", "2024-03-15"]),
    ...     "stadsdel": ["ÄLVSJÖ", "SOLBERGA"], "responsible_actor": ["polis", "sl"],
    ... })
    >>> tables, overdue = followup_tables(
    ...     findings, by_each=("stadsdel", "responsible_actor"), as_of="2024-06-30"
    ... )
    >>> [t["n_total"].tolist() for t in tables], overdue["finding_id"].tolist()
    ([[1, 1, 2], [1, 1, 2]], ['a'])
    """
    plan = FollowupPlan(findings, by_each=by_each)
    return plan.tables(parse_day(as_of, "as_of"))


class FollowupPlan:
    """Findings checked and grouped once, for follow-up tables on several ``as_of`` days.

    ``FollowupPlan(findings, by_each=...).tables(day)`` equals
    :func:`followup_tables` with ``as_of=day``; only what is overdue depends on the day.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        As for :func:`followup_table`.
    by_each : sequence of (str or sequence of str)
        One ``by`` per table. The words of the missing-value and total groups are in
        ``geo_trygg.settings.lang`` as it is when the plan is made.

    Raises
    ------
    ConfigError
        As :func:`followup_table`, for any grouping.

    Warns
    -----
    GeoTryggWarning
        When there are no findings, or findings are marked done before their walk date.
    """

    def __init__(
        self,
        findings: pd.DataFrame,
        *,
        by_each: Sequence[str | Sequence[str]],
    ) -> None:
        language = settings.lang
        self._frame = check_frame(findings)
        if isinstance(by_each, str):
            raise ConfigError(
                f"by_each={by_each!r} must be a list of groupings, e.g. ({by_each!r},)"
            )
        all_keys = [_check_by(self._frame, by) for by in by_each]
        self._prepared = prepare_findings(self._frame)
        if self._prepared.empty:
            warnings.warn(msg("fu_empty", language), GeoTryggWarning, stacklevel=3)
        days = _days_to_done(self._prepared).to_numpy(dtype=float)
        status = self._prepared["status"].to_numpy(dtype=object)
        self._groupings = [
            _Grouping(self._frame, keys, language, status, days) for keys in all_keys
        ]

    def tables(self, day: pd.Timestamp) -> tuple[list[pd.DataFrame], pd.DataFrame]:
        """The follow-up tables (in the order of ``by_each``) and the overdue findings on
        ``day`` (a day as :func:`parse_day` returns it)."""
        warn_after_as_of(self._prepared, day)
        overdue = _overdue(self._frame, self._prepared, day)
        mask = overdue_mask(self._prepared, day).to_numpy(dtype=bool)
        return [g.table(mask, day) for g in self._groupings], overdue
