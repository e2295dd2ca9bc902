"""What the data can show: each source's coverage, and whether a comparison is valid.

Coverage
--------
A *source* is one kind of input point (``events``, ``findings``) and, for events, one value of
their ``source`` column (``polis``, ``bostadsbolag``, ...). Its *span* is the first and last
local (Europe/Stockholm) day of its rows, over the whole input, unless the user declares it
(``coverage={"polis": ("2023-01-01", "2026-12-31")}``, e.g. from the export's own dates: a
sparse source's first row may come weeks after the day it began to report). For the period
and the comparison period, the coverage table gives each source's

- ``days_covered``: the days of the period inside the span, and ``share_covered`` of the
  period's days (the data *could* hold events on those days);
- ``days_with_data``: the days that do hold at least one row;
- ``n`` and ``n_<precision>``: the rows of the period by location precision (``exact``,
  ``address``, ``stadsdel``, ``kommun``, ``lan``; a row without one is ``exact``, as
  :func:`geo_trygg.assign_areas` reads it), so ``n == sum of n_<precision>``.

Comparison validity
-------------------
A change between two periods says something about the places only when the data of both
periods were collected alike. For every kind that is compared (events; walk findings are
never compared, see :mod:`._tables`) and every level, the change test is *not run* when, for
any source of that kind,

1. **coverage**: the period or the comparison period is covered for less than
   ``min_coverage`` (default 0.9) of its days: the police file that starts on 2023-03-20
   holds 12 of the 90 days of 2023-Q1, so a rise from Q1 to Q2 says nothing; or
2. **location regime**: the share of the source's rows located at each precision that matters
   for the level differs between the periods by more than ``max_precision_shift`` (default
   0.10, i.e. ten percentage points). Precisions finer than the level (an exact point for a
   stadsdel) are one class, since they are all placed by their point; the coarser ones are
   kept apart: a source that moves from kommun to län locations (the police events API in
   February 2026) changes how events are placed at every level from stadsdel to kommun.

A source that covers neither period (its data end before both, or begin after both) counts
the same, nothing, in both, and is left out of these rules.

Such rows get ``change_code`` ``"not_comparable"`` (no p-value, no change, no points in the
prioritisation), the table :func:`comparison_table` says why in numbers, and the lägesbild's
notes name the source, its dates and the threshold. When *no* source of a compared kind has a
single day of data in the comparison period, comparing is refused (ConfigError naming the
dates the inputs cover).

A source whose precision mix moves by more than the threshold between the periods is named in
a note even at levels it does not affect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._validate import check_date
from geo_trygg.join import LEVEL_RANK, PRECISION_RANK, PRECISIONS
from geo_trygg.periods import TZ, Period, TimeKeys

__all__ = [
    "COMPARED_KINDS",
    "DEFAULT_MAX_PRECISION_SHIFT",
    "DEFAULT_MIN_COVERAGE",
    "NOT_COMPARABLE",
    "SPAN_COLUMNS",
    "CoverageRules",
    "SourceSpans",
    "check_rules",
    "comparison_table",
    "coverage_table",
    "mark_not_comparable",
    "precision_shift",
]

DEFAULT_MIN_COVERAGE = 0.9
"""Default share of a period's days a source must cover for a comparison (90 %)."""

DEFAULT_MAX_PRECISION_SHIFT = 0.10
"""Default largest change, between the periods, of the share of a source's rows at a
precision class (ten percentage points). The police events API located 2–3 % of the events
in Stockholms län at län level in every quarter from 2023 to 2025, and 80 % in 2026-Q1:
ordinary variation stays far below the threshold, a change of regime far above it."""

SPAN_COLUMNS = (
    "kind",
    "source",
    "role",
    "period",
    "start",
    "end",
    "days",
    "first_day",
    "last_day",
    "declared",
    "days_covered",
    "share_covered",
)
"""The columns of the coverage table that describe each source's dates and the days of the
periods it covers, not its counts (an area's page keeps these)."""

NOT_COMPARABLE = "not_comparable"
"""The ``change_code`` of rows whose comparison the data cannot support."""

COMPARED_KINDS = ("events",)
"""The kinds of input points whose counts are compared between periods (walk findings are
counted and followed up, never tested for change)."""

_DAY_NS = 86_400 * 10**9
_NO_DAY = -(1 << 40)
"""The day number of a row without a time: before every period's first day."""
_DAYS_APART = 1 << 48
"""A source's code times this plus a day of the period (from 0): one key per (source, day)."""
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class CoverageRules:
    """The thresholds of comparison validity and the spans the user declares.

    Attributes
    ----------
    min_coverage : float
        Share of a period's days (0–1) a source must cover.
    max_precision_shift : float
        Largest change of a precision class's share between the periods (0–1).
    declared : mapping of str to (date, date)
        Source code -> (first day, last day) of the data, replacing the span of its rows.
    """

    min_coverage: float = DEFAULT_MIN_COVERAGE
    max_precision_shift: float = DEFAULT_MAX_PRECISION_SHIFT
    declared: Mapping[str, tuple[dt.date, dt.date]] = field(default_factory=dict)


def _share(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"{name}={value!r} must be a share between 0 and 1, e.g. 0.9")
    return float(value)


def check_rules(min_coverage: Any, max_precision_shift: Any, coverage: Any) -> CoverageRules:
    """The arguments ``min_coverage``, ``max_precision_shift`` and ``coverage`` checked.

    Raises
    ------
    ConfigError
        Naming the argument, the value and what is allowed.
    """
    declared: dict[str, tuple[dt.date, dt.date]] = {}
    if coverage is not None:
        if not isinstance(coverage, Mapping):
            raise ConfigError(
                f"coverage={coverage!r:.80} must map a source to its first and last day, e.g. "
                "{'polis': ('2023-01-01', '2026-12-31')}"
            )
        for source, span in coverage.items():
            name = f"coverage[{source!r}]"
            if isinstance(span, str) or not isinstance(span, Sequence) or len(span) != 2:
                raise ConfigError(f"{name}={span!r} must be (first day, last day)")
            first = check_date(span[0], f"{name}[0]")
            last = check_date(span[1], f"{name}[1]")
            if last < first:
                raise ConfigError(f"{name}: the last day {last} is before the first {first}")
            declared[str(source)] = (first, last)
    return CoverageRules(
        _share(min_coverage, "min_coverage"),
        _share(max_precision_shift, "max_precision_shift"),
        declared,
    )


# --- the sources and their days ----------------------------------------------------------------


def _local_days(times: TimeKeys) -> np.ndarray:
    """Each row's local day as days since 1970-01-01 (:data:`_NO_DAY` where the time is
    missing: before every period)."""
    keys = times.keys
    known = keys != np.iinfo(np.int64).max
    days = np.full(len(keys), _NO_DAY, dtype=np.int64)
    if not known.any():
        return days
    if times.aware:
        local = (
            pd.DatetimeIndex(keys[known].view("datetime64[ns]"))
            .tz_localize("UTC")
            .tz_convert(TZ)
            .tz_localize(None)
        )
        days[known] = local.to_numpy(dtype="datetime64[ns]").view(np.int64) // _DAY_NS
    else:
        days[known] = keys[known] // _DAY_NS
    return days


def _day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def _day_of(number: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(number))


@dataclass(frozen=True)
class SourceSpans:
    """The rows of one kind of input prepared once for the coverage of any period.

    Attributes
    ----------
    kind : str
    sources : list of str
        The source of each code in ``source_codes`` (events: the ``source`` column; other
        kinds: the kind itself).
    source_codes, days : numpy.ndarray
        Per row: position in ``sources``, local day number (:data:`_NO_DAY`: no time).
    precisions : numpy.ndarray or None
        Per row: the position of its ``location_precision`` in
        :data:`geo_trygg.join.PRECISIONS` (a missing or unknown precision: ``exact``, as
        :func:`geo_trygg.assign_areas` reads it); None without the column (all exact).
    spans : dict of str to (date, date, bool)
        Per source: first day, last day, and whether the user declared them; None for a
        source with no dated row and no declaration.
    positions : callable
        The row positions of a period (``PointCounter.positions``: the rows counted).
    """

    kind: str
    sources: list[str]
    source_codes: np.ndarray
    precisions: np.ndarray | None
    days: np.ndarray
    spans: dict[str, tuple[dt.date, dt.date, bool] | None]
    positions: Callable[[Period], np.ndarray]

    def precision_codes(self, rows: np.ndarray) -> np.ndarray:
        """The position in :data:`geo_trygg.join.PRECISIONS` of the rows ``rows``."""
        if self.precisions is None:
            return np.zeros(len(rows), dtype=np.int64)
        return self.precisions[rows]

    @classmethod
    def of(
        cls,
        kind: str,
        frame: pd.DataFrame,
        times: TimeKeys,
        rules: CoverageRules,
        positions: Callable[[Period], np.ndarray],
    ) -> SourceSpans:
        """Prepare the rows of ``frame`` (times ``times``, row for row; ``positions`` gives
        the rows of a period)."""
        if kind == "events" and "source" in frame.columns:
            codes, uniques = pd.factorize(frame["source"], sort=True)
            names = [str(u) for u in uniques]
            if (codes < 0).any():  # no source given: "annan", as the readers say
                if "annan" not in names:
                    names.append("annan")
                codes = np.where(codes < 0, names.index("annan"), codes)
            # in sorted order, "annan" where it belongs
            order = sorted(range(len(names)), key=lambda i: names[i])
            rank = np.empty(len(names), dtype=np.int64)
            rank[order] = np.arange(len(names))
            codes = rank[codes]
            sources = [names[i] for i in order]
        else:
            codes = np.zeros(len(frame), dtype=np.int64)
            sources = [kind]
        precisions = None
        if "location_precision" in frame.columns:
            found, uniques = pd.factorize(frame["location_precision"])
            lut = pd.Index(PRECISIONS, dtype=object).get_indexer(pd.Index(uniques, dtype=object))
            lut = np.append(np.where(lut < 0, 0, lut), 0)  # unknown or missing (-1): exact
            precisions = lut[found].astype(np.int64)
        days = _local_days(times)
        spans: dict[str, tuple[dt.date, dt.date, bool] | None] = {}
        for pos, source in enumerate(sources):
            if source in rules.declared:
                first, last = rules.declared[source]
                spans[source] = (first, last, True)
                continue
            own = days[(codes == pos) & (days != _NO_DAY)] if len(sources) > 1 else days
            own = own[own != _NO_DAY] if len(sources) == 1 else own
            spans[source] = (_day_of(own.min()), _day_of(own.max()), False) if len(own) else None
        return cls(kind, sources, codes.astype(np.int64), precisions, days, spans, positions)


def _covered(span: tuple[dt.date, dt.date, bool] | None, period: Period) -> int:
    """Days of ``period`` inside ``span`` (first and last day included)."""
    if span is None:
        return 0
    first, last, _ = span
    start = max(first, period.start)
    stop = min(last + dt.timedelta(days=1), period.end)
    return max((stop - start).days, 0)


def coverage_table(
    spans: Sequence[SourceSpans], main: Period, previous: Period | None
) -> pd.DataFrame:
    """One row per kind × source × period (``role`` ``"period"`` or ``"compare"``).

    Columns: ``kind``, ``source``, ``role``, ``period`` (label), ``start``, ``end`` (first
    and last day), ``days``, ``first_day``, ``last_day`` (the source's span), ``declared``,
    ``days_covered``, ``share_covered``, ``days_with_data``, ``n`` and ``n_<precision>`` for
    each of :data:`geo_trygg.join.PRECISIONS`.
    """
    rows = []
    periods = [("period", main)] + ([("compare", previous)] if previous is not None else [])
    n_precisions = len(PRECISIONS)
    for prepared in spans:
        n_sources = len(prepared.sources)
        for role, period in periods:
            lo = _day_number(period.start)
            inside = prepared.positions(period)  # the rows the tables count
            source = prepared.source_codes[inside]
            grid = np.bincount(
                source * n_precisions + prepared.precision_codes(inside),
                minlength=n_sources * n_precisions,
            ).reshape(n_sources, n_precisions)
            pairs = np.unique(source * _DAYS_APART + (prepared.days[inside] - lo))  # >= 0
            with_data = np.bincount(pairs // _DAYS_APART, minlength=n_sources)
            for pos, name in enumerate(prepared.sources):
                span = prepared.spans[name]
                covered = _covered(span, period)
                by_precision = grid[pos]
                row: dict[str, Any] = {
                    "kind": prepared.kind,
                    "source": name,
                    "role": role,
                    "period": period.label,
                    "start": period.start.isoformat(),
                    "end": (period.end - dt.timedelta(days=1)).isoformat(),
                    "days": period.days,
                    "first_day": None if span is None else span[0].isoformat(),
                    "last_day": None if span is None else span[1].isoformat(),
                    "declared": bool(span is not None and span[2]),
                    "days_covered": covered,
                    "share_covered": covered / period.days,
                    "days_with_data": int(with_data[pos]),
                    "n": int(by_precision.sum()),
                }
                for name, count in zip(PRECISIONS, by_precision, strict=True):
                    row[f"n_{name}"] = int(count)
                rows.append(row)
    columns = [*SPAN_COLUMNS, "days_with_data", "n", *(f"n_{p}" for p in PRECISIONS)]
    return pd.DataFrame(rows, columns=columns)


# --- comparison validity -------------------------------------------------------------------------


def _level_rank(level: str) -> int:
    """The precision rank of a level (a pair of levels: the finer part's); 0 when unknown, so
    that every precision is told apart."""
    parts = level.split("_x_")
    return min(LEVEL_RANK.get(part, 0) for part in parts)


def _class_shares(row: pd.Series, level: str) -> dict[str, float]:
    """The shares of a coverage row's precisions, those finer than ``level`` as one class."""
    rank = _level_rank(level)
    counts: dict[str, int] = {}
    for name in PRECISIONS:
        key = "finer" if PRECISION_RANK[name] < rank else name
        counts[key] = counts.get(key, 0) + int(row[f"n_{name}"])
    total = sum(counts.values())
    return {k: (v / total if total else 0.0) for k, v in counts.items()}


def precision_shift(then: pd.Series, now: pd.Series, level: str) -> float:
    """The largest change of a precision class's share between two coverage rows; 0 when
    either period has no rows (nothing to compare the mix of)."""
    if not then["n"] or not now["n"]:
        return 0.0
    a, b = _class_shares(then, level), _class_shares(now, level)
    return max(abs(a[k] - b[k]) for k in a)


def comparison_table(
    coverage: pd.DataFrame, levels: Sequence[str], rules: CoverageRules
) -> pd.DataFrame:
    """Whether each compared kind × level can be compared, and why not.

    Returns
    -------
    pandas.DataFrame
        One row per kind (of :data:`COMPARED_KINDS` present) × level: ``comparable`` (bool),
        ``obstacle`` (``None``, ``"coverage_period"``, ``"coverage_compare"`` or
        ``"precision_shift"``: the first rule broken, in that order), ``source`` (the source
        that broke it), ``days_covered``, ``days`` (of the period concerned), ``shift`` (the
        largest share change of a precision class), and the thresholds ``min_coverage`` and
        ``max_precision_shift``. Empty without a comparison period.
    """
    columns = [
        "kind",
        "level",
        "comparable",
        "obstacle",
        "source",
        "days_covered",
        "days",
        "shift",
        "min_coverage",
        "max_precision_shift",
    ]
    rows: list[dict[str, Any]] = []
    compared = coverage[coverage["kind"].isin(COMPARED_KINDS)]
    if "compare" not in set(compared["role"]):
        return pd.DataFrame(rows, columns=columns)
    for kind, part in compared.groupby("kind", sort=True):
        now = part[part["role"] == "period"].set_index("source")
        then = part[part["role"] == "compare"].set_index("source")
        for level in levels:
            found: dict[str, Any] = {"obstacle": None, "source": None}
            for source in now.index:  # sources sorted: the first broken rule is the one told
                a, b = now.loc[source], then.loc[source]
                if not a["days_covered"] and not b["days_covered"]:
                    continue  # in neither period (ended or began outside both): no bias
                shift = precision_shift(b, a, level)
                if a["share_covered"] < rules.min_coverage:
                    found = {"obstacle": "coverage_period", "source": source, "row": a}
                elif b["share_covered"] < rules.min_coverage:
                    found = {"obstacle": "coverage_compare", "source": source, "row": b}
                elif shift > rules.max_precision_shift:
                    found = {"obstacle": "precision_shift", "source": source, "row": a}
                if found["obstacle"] is not None:
                    found["shift"] = shift
                    break
            row = found.get("row")
            rows.append(
                {
                    "kind": kind,
                    "level": level,
                    "comparable": found["obstacle"] is None,
                    "obstacle": found["obstacle"],
                    "source": found["source"],
                    "days_covered": None if row is None else int(row["days_covered"]),
                    "days": None if row is None else int(row["days"]),
                    "shift": found.get("shift"),
                    "min_coverage": rules.min_coverage,
                    "max_precision_shift": rules.max_precision_shift,
                }
            )
    return pd.DataFrame(rows, columns=columns)


_CHANGE_VALUES = ("expected", "change", "rate_ratio", "p_value", "p_adjusted")


def mark_not_comparable(
    table: pd.DataFrame, comparison: pd.DataFrame, *, level: str | None = None
) -> pd.DataFrame:
    """``table`` with the change of every row of a kind × level that cannot be compared
    removed: ``change_code`` :data:`NOT_COMPARABLE`, the change values missing.

    Rows are matched on ``kind`` and ``level`` (or on ``kind`` and the given ``level``, for
    tables without a level column, such as the named places'). Rows outside any area (no
    change code) keep theirs."""
    if comparison.empty or "change_code" not in table.columns:
        return table
    refused = comparison[~comparison["comparable"].astype(bool)]
    if refused.empty:
        return table
    keys = set(zip(refused["kind"], refused["level"], strict=True))
    kinds = table["kind"] if "kind" in table.columns else pd.Series("events", index=table.index)
    levels = table["level"] if level is None else pd.Series(level, index=table.index)
    hit = np.array(
        [(k, lv) in keys for k, lv in zip(kinds.tolist(), levels.tolist(), strict=True)],
        dtype=bool,
    )
    hit &= table["change_code"].notna().to_numpy()
    if not hit.any():
        return table
    out = table.copy()
    for column in _CHANGE_VALUES:
        if column in out.columns:
            out[column] = out[column].astype(float)
            out.loc[hit, column] = np.nan
    out["change_code"] = out["change_code"].astype(object)
    out.loc[hit, "change_code"] = NOT_COMPARABLE
    return out
