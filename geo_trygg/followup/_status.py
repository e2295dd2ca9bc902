"""Merging status updates into the findings with their history, and the changes since a date.

Merging (:func:`apply_status_updates`):

- Each finding's new state is its *latest* update: the one with the latest date; between updates
  with the same date the one further down the file wins.
- An update dated *before* the finding's current ``status_date`` does not overwrite it (the
  register already knows something newer); it is kept in the history. An update dated on the
  same day as the current status does overwrite it (the actor's answer is the newer word).
  A finding without a ``status_date`` takes any update.
- Updates naming ids that are not among the findings are never dropped silently: they are
  listed in ``unknown_ids`` with their row numbers and reported in a warning.
- The history keeps every state: one ``"original"`` row per finding (its state before the
  merge) and one ``"update"`` row per update of a known id, so
  ``len(history) + len(unknown_ids) == len(findings) + len(updates)``. Pass ``history=`` (the
  history of an earlier merge) to continue it at the next round trip.

Changes for the next meeting (:func:`changes_since`): the window is ``since`` to ``as_of``, both
days included, except for deadlines (see the function).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.followup._input import (
    CLOSED_STATUSES,
    DateLike,
    area_columns,
    check_frame,
    coerce_days,
    coerce_statuses,
    overdue_mask,
    parse_day,
    prepare_findings,
    require_columns,
)
from geo_trygg.io.cells import text_column
from geo_trygg.io.result import IngestResult

__all__ = [
    "CHANGE_CODES",
    "HISTORY_COLUMNS",
    "UNKNOWN_COLUMNS",
    "StatusMergeResult",
    "apply_status_updates",
    "changes_since",
]

HISTORY_COLUMNS = ["finding_id", "status", "status_date", "comment", "source", "row"]
"""Columns of :attr:`StatusMergeResult.history`."""
UNKNOWN_COLUMNS = ["row", "finding_id", "status", "status_date", "comment", "reason"]
"""Columns of :attr:`StatusMergeResult.unknown_ids`."""
CHANGE_CODES = ("new", "closed", "newly_overdue")
"""The ``change`` codes of :func:`changes_since`, in the order the table lists them."""


# --- merging -----------------------------------------------------------------------------------


@dataclass
class StatusMergeResult:
    """What :func:`apply_status_updates` returns.

    Attributes
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        A copy of the findings (same type, index and row order) with ``status`` (as codes)
        and ``status_date`` set from each finding's latest applicable update, and a column
        ``status_comment`` holding that update's comment (kept as it was where no update
        applied; None when the findings had no such column).
    history : pandas.DataFrame
        Every state, :data:`HISTORY_COLUMNS`: ``finding_id``, ``status``, ``status_date``,
        ``comment``, ``source`` (``"original"``: the state before the merge; ``"update"``: a
        row of the status file) and ``row`` (the update's row in the file, ``<NA>`` for
        originals; an original's comment is the findings' ``status_comment``, if any). In
        date order (undated originals first), then by ``finding_id``, originals before
        updates, updates in file order.
    unknown_ids : pandas.DataFrame
        The updates whose id is not among the findings, :data:`UNKNOWN_COLUMNS` (``row``,
        ``finding_id``, ``status``, ``status_date``, ``comment``, ``reason``), by row.
    n_applied : int
        Findings whose state was set from an update.
    n_stale : int
        Updates dated before their finding's status date, kept in the history only.
    notes : list of str
        The counts above as sentences a user reads.
    """

    findings: pd.DataFrame
    history: pd.DataFrame
    unknown_ids: pd.DataFrame
    n_applied: int = 0
    n_stale: int = 0
    notes: list[str] = field(default_factory=list)


def _prepare_updates(updates: Any) -> pd.DataFrame:
    if isinstance(updates, IngestResult):
        updates = updates.accepted
    frame = check_frame(updates, "updates")
    require_columns(frame, ("finding_id", "status", "status_date"), "updates")
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    ids = text_column(frame, "finding_id")
    if ids.isna().any():
        raise ConfigError(f"updates['finding_id'] has {int(ids.isna().sum())} missing id(s)")
    out["finding_id"] = ids.to_numpy(dtype=object)
    out["status"] = coerce_statuses(frame["status"], "updates").to_numpy(dtype=object)
    dates = coerce_days(frame["status_date"], "status_date", "updates")
    if dates.isna().any():
        raise ConfigError(
            f"updates['status_date'] has {int(dates.isna().sum())} missing date(s); every "
            "update needs the date its status was set"
        )
    out["status_date"] = dates.to_numpy()
    out["comment"] = text_column(frame, "comment" if "comment" in frame.columns else None).array
    if "source_row" in frame.columns:
        out["row"] = pd.array(frame["source_row"].to_numpy(), dtype="Int64")
    else:
        out["row"] = pd.array(np.arange(1, len(frame) + 1), dtype="Int64")
    out["order"] = np.arange(len(frame), dtype=np.int64)
    return out


def _prepare_history(history: Any) -> pd.DataFrame:
    frame = check_frame(history, "history")
    require_columns(frame, ("finding_id", "status", "status_date"), "history")
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    out["finding_id"] = text_column(frame, "finding_id").to_numpy(dtype=object)
    out["status"] = coerce_statuses(frame["status"], "history").to_numpy(dtype=object)
    out["status_date"] = coerce_days(frame["status_date"], "status_date", "history").to_numpy()
    comment = next((c for c in ("comment", "status_comment") if c in frame.columns), None)
    out["comment"] = text_column(frame, comment).array
    source = (
        frame["source"] if "source" in frame.columns else pd.Series("original", index=frame.index)
    )
    out["source"] = source.to_numpy(dtype=object)
    row = frame["row"] if "row" in frame.columns else pd.Series(pd.NA, index=frame.index)
    out["row"] = pd.array(row.to_numpy(), dtype="Int64")
    return out


def _sorted_history(frame: pd.DataFrame) -> pd.DataFrame:
    keyed = frame.assign(
        _undated=frame["status_date"].isna(),
        _rank=(frame["source"] != "original").astype(int),
    )
    keyed = keyed.sort_values(
        ["_undated", "status_date", "finding_id", "_rank", "_seq"],
        ascending=[False, True, True, True, True],
        kind="stable",
    )
    return keyed[HISTORY_COLUMNS].reset_index(drop=True)


def apply_status_updates(
    findings: pd.DataFrame,
    updates: IngestResult | pd.DataFrame,
    *,
    history: pd.DataFrame | None = None,
) -> StatusMergeResult:
    """Merge status updates into the findings, keeping every earlier state in a history.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        Findings as :func:`geo_trygg.read_findings` returns them (unique ``finding_id``,
        ``status``, ``status_date``; see :mod:`geo_trygg.followup._tables`). Not modified.
    updates : IngestResult or pandas.DataFrame
        What :func:`read_status_updates` returns, or a DataFrame with ``finding_id``,
        ``status``, ``status_date`` (every row dated), optional ``comment`` and ``source_row``
        (without it, rows are numbered 1, 2, … in table order). Not modified.
    history : pandas.DataFrame, optional
        The history of an earlier merge, to continue: its rows are kept, and a finding's
        current state is added as an ``"original"`` row only when the history lacks it.

    Returns
    -------
    StatusMergeResult
        The updated findings, the history and the unknown ids (``notes``, the reasons in
        ``unknown_ids`` and the warning in ``geo_trygg.settings.lang``); the merge rules are
        in the module docstring (latest update wins, ties by file order; older than the
        current status date: history only).

    Raises
    ------
    ConfigError
        When a table lacks a needed column, the findings' ids are missing or repeated, or a
        status or date is missing or unknown.

    Warns
    -----
    GeoTryggWarning
        When some updates name ids that are not among the findings.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["A-1", "A-2"],
    ...     "status": ["new", "in_progress"],
    ...     "status_date": pd.to_datetime(["2024-03-05", "2024-05-01"]),
    ... })
    >>> updates = pd.DataFrame({
    ...     "finding_id": ["A-1", "A-2"],
    ...     "status": ["done", "new"],
    ...     "status_date": pd.to_datetime(["2024-05-02", "2024-04-01"]),
    ...     "comment": ["Ny lampa", None],
    ... })
    >>> merged = apply_status_updates(findings, updates)
    >>> merged.findings[["finding_id", "status", "status_date"]]
      finding_id       status status_date
    0        A-1         done  2024-05-02
    1        A-2  in_progress  2024-05-01
    >>> merged.history[["finding_id", "status", "status_date", "source"]]
      finding_id       status status_date    source
    0        A-1          new  2024-03-05  original
    1        A-2          new  2024-04-01    update
    2        A-2  in_progress  2024-05-01  original
    3        A-1         done  2024-05-02    update
    >>> merged.n_applied, merged.n_stale
    (1, 1)
    """
    language = settings.lang
    frame = check_frame(findings)
    fill = _blank_dates(frame)
    current = prepare_findings(frame.assign(**fill) if fill else frame)
    upd = _prepare_updates(updates)
    earlier = _prepare_history(history) if history is not None else None

    position = pd.Series(np.arange(len(current)), index=current["finding_id"].to_numpy())
    known = upd["finding_id"].isin(position.index).to_numpy()
    unknown = upd.loc[~known]
    upd = upd.loc[known]
    cur_date = current["status_date"].to_numpy()[position[upd["finding_id"]].to_numpy()]
    stale = (upd["status_date"].to_numpy() < cur_date) & ~pd.isna(cur_date)
    latest = upd.loc[~stale].sort_values(["finding_id", "status_date", "order"], kind="stable")
    latest = latest.drop_duplicates("finding_id", keep="last")

    out = frame.copy()
    target = position[latest["finding_id"]].to_numpy()
    status = current["status"].to_numpy(dtype=object).copy()
    status[target] = latest["status"].to_numpy(dtype=object)
    out["status"] = status
    dates = current["status_date"].to_numpy().copy()
    dates[target] = latest["status_date"].to_numpy()
    out["status_date"] = dates
    before = text_column(frame, "status_comment" if "status_comment" in frame.columns else None)
    comments = before.to_numpy(dtype=object).copy()
    comments[target] = latest["comment"].to_numpy(dtype=object)
    out["status_comment"] = comments

    originals = pd.DataFrame(
        {
            "finding_id": current["finding_id"].to_numpy(dtype=object),
            "status": current["status"].to_numpy(dtype=object),
            "status_date": current["status_date"].to_numpy(),
            "comment": before.to_numpy(dtype=object),
            "source": "original",
            "row": pd.array([pd.NA] * len(current), dtype="Int64"),
        }
    )
    parts = []
    if earlier is not None:
        seen = pd.MultiIndex.from_frame(earlier[["finding_id", "status", "status_date"]])
        mine = pd.MultiIndex.from_frame(originals[["finding_id", "status", "status_date"]])
        originals = originals.loc[~mine.isin(seen)]
        parts.append(earlier)
    parts += [originals, upd.drop(columns="order").assign(source="update")]
    combined = pd.concat([p[HISTORY_COLUMNS] for p in parts], ignore_index=True)
    combined["_seq"] = np.arange(len(combined))
    hist = _sorted_history(combined)

    reason = msg("su_unknown_id", language)
    unknown_ids = unknown.assign(reason=reason)[UNKNOWN_COLUMNS].sort_values(
        ["row", "finding_id"], kind="stable"
    )
    unknown_ids = unknown_ids.reset_index(drop=True)
    n_applied, n_stale = len(latest), int(stale.sum())
    notes = [msg("su_note_applied", language, n=n_applied)]
    if n_stale:
        notes.append(msg("su_note_stale", language, n=n_stale))
    if len(unknown_ids):
        notes.append(msg("su_note_unknown", language, n=len(unknown_ids)))
        ids = sorted(set(unknown_ids["finding_id"].tolist()))
        shown = ", ".join(map(repr, ids[:5])) + (" …" if len(ids) > 5 else "")
        warnings.warn(
            msg("su_warn_unknown_ids", language, n=len(unknown_ids), ids=shown),
            GeoTryggWarning,
            stacklevel=2,
        )
    return StatusMergeResult(out, hist, unknown_ids, n_applied, n_stale, notes)


def _blank_dates(frame: pd.DataFrame) -> dict[str, Any]:
    """walk_date/deadline are not needed to merge: fill them when absent."""
    return {c: pd.NaT for c in ("walk_date", "deadline") if c not in frame.columns}


# --- what changed since the last meeting -------------------------------------------------------

_CONTEXT = (
    "walk_id",
    "walk_date",
    "category",
    "severity",
    "responsible_actor",
    "status",
    "status_date",
    "deadline",
    "status_comment",
)
_NORMALISED = ("status", "walk_date", "status_date", "deadline")


def _state_before(history: pd.DataFrame, since: pd.Timestamp) -> pd.Series:
    """Each finding's status in effect just before ``since`` (undated states count as earlier)."""
    h = _prepare_history(history)
    h["_seq"] = np.arange(len(h))
    h = h.loc[h["status_date"].isna() | (h["status_date"] < since)]
    ordered = h.assign(_undated=h["status_date"].isna()).sort_values(
        ["_undated", "status_date", "_seq"], ascending=[False, True, True], kind="stable"
    )
    last = ordered.drop_duplicates("finding_id", keep="last")
    return pd.Series(last["status"].to_numpy(dtype=object), index=last["finding_id"].to_numpy())


def changes_since(
    findings: pd.DataFrame | StatusMergeResult,
    *,
    since: DateLike | None = None,
    as_of: DateLike | None = None,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What changed since a date, for the next meeting: new, closed and newly overdue findings.

    Parameters
    ----------
    findings : pandas.DataFrame, geopandas.GeoDataFrame or StatusMergeResult
        The findings as they are now, e.g. ``apply_status_updates(...).findings``; a
        :class:`StatusMergeResult` gives both the findings and its history.
    since : str, datetime.date or pandas.Timestamp
        Required: the first day of the window (typically the day of the last meeting).
    as_of : str, datetime.date or pandas.Timestamp
        Required: the last day of the window (the day the follow-up is judged on), not before
        ``since``.
    history : pandas.DataFrame, optional
        Earlier states, to tell a finding that was *closed* in the window from one that was
        already closed and only re-confirmed: the history of a merge
        (:attr:`StatusMergeResult.history`, used by default when ``findings`` is one) or the
        findings table as it was at the last meeting (any table with ``finding_id``, ``status``
        and ``status_date``). Without it, a closed finding whose status date lies in the window
        counts as closed in the window.

    Returns
    -------
    pandas.DataFrame
        One row per finding and change, ``change`` being (:data:`CHANGE_CODES`):

        - ``"new"``: the walk date is in ``[since, as_of]``;
        - ``"closed"``: the status is ``done`` or ``rejected``, its status date is in
          ``[since, as_of]``, and (with a history) the status in effect just before ``since``
          was not already ``done``/``rejected``;
        - ``"newly_overdue"``: overdue on ``as_of`` (status ``new`` or ``in_progress``,
          deadline before ``as_of``) but not yet on ``since``: deadline in ``[since, as_of)``.

        A finding can have several rows (new and closed in the same window). Columns:
        ``change`` (the code; its words, e.g. ``"Ny brist"``, with
        ``geo_trygg.labels.words(table["change"], "followup_change")``), ``date`` (the walk
        date, the status date or the deadline), ``finding_id``, then whichever of
        ``walk_id``, ``walk_date``, ``category``, ``severity``, ``responsible_actor``,
        ``status``, ``status_date``, ``deadline``, ``status_comment`` and the area columns the
        findings have. Sorted by change (in the order above), date, ``finding_id``; empty
        (same columns) when nothing changed. ``attrs`` holds ``since`` and ``as_of`` as ISO text.

    Raises
    ------
    ConfigError
        When ``since`` or ``as_of`` is missing or not a date, ``since`` is after ``as_of``, or
        a table lacks a needed column or has missing, repeated or unknown values in it.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["a", "b", "c"],
    ...     "walk_date": pd.to_datetime(["2024-03-05", "2024-05-14", "2024-03-05"]),
    ...     "status": ["done", "new", "in_progress"],
    ...     "deadline": pd.to_datetime(["2024-06-01", "2024-09-01", "2024-05-20"]),
    ...     "status_date": pd.to_datetime(["2024-05-20", "2024-05-14", "2024-04-02"]),
    ... })
    >>> table = changes_since(findings, since="2024-05-01", as_of="2024-05-31")
    >>> table[["change", "date", "finding_id"]]
              change       date finding_id
    0            new 2024-05-14          b
    1         closed 2024-05-20          a
    2  newly_overdue 2024-05-20          c
    """
    if isinstance(findings, StatusMergeResult):
        history = findings.history if history is None else history
        findings = findings.findings
    frame = check_frame(findings)
    start = parse_day(since, "since")
    end = parse_day(as_of, "as_of")
    if start > end:
        raise ConfigError(
            f"since={since!r} is after as_of={as_of!r}; since must be on or before as_of"
        )
    prepared = prepare_findings(frame)
    in_window = {
        column: (prepared[column] >= start) & (prepared[column] <= end)
        for column in ("walk_date", "status_date")
    }
    closed = prepared["status"].isin(CLOSED_STATUSES) & in_window["status_date"]
    if history is not None:
        before = _state_before(history, start)
        was_closed = prepared["finding_id"].map(before).isin(CLOSED_STATUSES)
        closed &= ~was_closed
    newly_overdue = overdue_mask(prepared, end) & (prepared["deadline"] >= start)
    masks = {
        "new": (in_window["walk_date"], "walk_date"),
        "closed": (closed, "status_date"),
        "newly_overdue": (newly_overdue, "deadline"),
    }
    context = [c for c in _CONTEXT if c in frame.columns]
    areas = [c for c in area_columns(frame) if c not in context]
    parts = []
    for rank, (code, (mask, date_column)) in enumerate(masks.items()):
        keep = mask.to_numpy(dtype=bool)
        part = pd.DataFrame(
            {
                "change": code,
                "date": prepared[date_column].to_numpy()[keep],
                "finding_id": prepared["finding_id"].to_numpy(dtype=object)[keep],
            }
        )
        for column in [*context, *areas]:
            source = prepared if column in _NORMALISED else frame
            part[column] = source[column].to_numpy()[keep]
        part["_rank"] = rank
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(["_rank", "date", "finding_id"], kind="stable")
    table = table.drop(columns="_rank").reset_index(drop=True)
    table["date"] = table["date"].astype("datetime64[ns]")
    table.attrs.update(since=start.date().isoformat(), as_of=end.date().isoformat())
    return table
