"""Follow-up of safety-walk findings (åtgärdsuppföljning) and the status round trip.

- the findings as the follow-up needs them, checked and normalised once
  (:func:`prepare_findings`, :func:`parse_day`, :func:`overdue_mask`, …);
- the follow-up tables: status counts, median days to done and overdue findings per area or
  responsible actor (:func:`followup_table`, :func:`followup_tables`, :func:`overdue_findings`,
  :class:`FollowupPlan` for many ``as_of`` days);
- the round trip with the responsible actors: their status files read
  (:func:`read_status_updates`, from :mod:`geo_trygg.io`), merged with the history kept
  (:func:`apply_status_updates`), and what changed since the last meeting
  (:func:`changes_since`).

The rules are in the docstring of :mod:`geo_trygg.followup._tables`. The lägesbild builds its
follow-up tables with these functions; the same names are importable from
:mod:`geo_trygg.lagesbild`, as before.
"""

from __future__ import annotations

from geo_trygg.followup._input import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    DateLike,
    as_texts,
    check_frame,
    overdue_mask,
    parse_day,
    prepare_findings,
    warn_after_as_of,
)
from geo_trygg.followup._status import (
    CHANGE_CODES,
    HISTORY_COLUMNS,
    UNKNOWN_COLUMNS,
    StatusMergeResult,
    apply_status_updates,
    changes_since,
)
from geo_trygg.followup._tables import (
    FOLLOWUP_COLUMNS,
    FollowupPlan,
    followup_table,
    followup_tables,
    overdue_findings,
)
from geo_trygg.io.status import UPDATE_COLUMNS, read_status_updates

__all__ = [
    "CHANGE_CODES",
    "CLOSED_STATUSES",
    "FOLLOWUP_COLUMNS",
    "HISTORY_COLUMNS",
    "OPEN_STATUSES",
    "UNKNOWN_COLUMNS",
    "UPDATE_COLUMNS",
    "DateLike",
    "FollowupPlan",
    "StatusMergeResult",
    "apply_status_updates",
    "as_texts",
    "changes_since",
    "check_frame",
    "followup_table",
    "followup_tables",
    "overdue_findings",
    "overdue_mask",
    "parse_day",
    "prepare_findings",
    "read_status_updates",
    "warn_after_as_of",
]
