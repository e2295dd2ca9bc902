"""The plan's inputs checked once: measures, problems, links, events and coverage.

Shared by the status (:mod:`._status`), the follow-up (:mod:`._followup`) and the WDD
evaluation (:mod:`._evaluation`). Every check raises :class:`~geo_trygg.ConfigError` naming
the argument, what it got and what is allowed, in the session's language (Swedish by
default), and reports all problems of one call at once (:class:`geo_trygg._validate.Problems`);
two layers in different CRSs raise :class:`~geo_trygg.CRSMismatchError`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, CRSMismatchError
from geo_trygg._labels import msg
from geo_trygg._validate import Problems, check_date, crs_label
from geo_trygg.vocab.events import EVENT_CATEGORIES

__all__ = [
    "ALL_EVENTS",
    "COARSE",
    "LINK_COLUMNS",
    "MEASURE_COLUMNS",
    "MEASURE_STATUSES",
    "MIN_FOLLOWUP_EVENTS",
    "MIN_WINDOW_DAYS",
    "PROBLEM_COLUMNS",
    "PROBLEM_KINDS",
    "REASON_CODES",
    "EventTable",
    "Window",
    "check_crs",
    "check_positive",
    "check_table",
    "checked_coverage",
    "coverage_reason",
    "day_number",
    "indicators",
    "measure_days",
    "measure_ids",
    "polygons",
    "shown",
]

MEASURE_STATUSES = ("planned", "ongoing", "done", "cancelled")
"""The ``status`` codes of a measure: planerad, pågår, klar, avbruten."""

PROBLEM_KINDS = ("category_area", "hotspot", "findings")
"""The ``kind`` codes of a problem: an event category in an area of a lägesbild level, a Gi*
hotspot cell, walk findings."""

MEASURE_COLUMNS = (
    "measure_id",
    "title",
    "cause",
    "objective",
    "responsible",
    "followup",
    "start",
    "end",
    "progress",
    "status",
    "public",
    "radius_m",
    "geometry",
)
"""The columns of the measures table (see docs/plan.md)."""

PROBLEM_COLUMNS = ("problem_id", "kind", "category", "level", "area", "cell_id", "description")
"""The columns of the problems table (see docs/plan.md)."""

LINK_COLUMNS = ("measure_id", "problem_id")
"""The columns of the links table: a measure has one or more problems."""

MIN_WINDOW_DAYS = 28
"""The shortest window (days before and after the start) in which a change is judged."""

MIN_FOLLOWUP_EVENTS = 10
"""The fewest events, both windows together, for the follow-up to judge a change."""

REASON_CODES = (
    "no_problem",
    "not_started",
    "window_short",
    "coverage",
    "too_few",
    "too_few_target",
)
"""Why a change cannot be judged (``reason_code``), in the order they are tested."""

COARSE = ("stadsdel", "kommun", "lan")
"""``location_precision`` values whose point is not the place of the event (a centroid):
such events are never counted in a measure's place (as in :func:`geo_trygg.stats.wdd_counts`)."""

ALL_EVENTS = None
"""The indicator of a measure whose problems include walk findings: every event category."""

_SHOW = 5  # ids named in a message


def shown(values: Sequence[Any]) -> str:
    """The first few values for a message, and how many more there are."""
    items = [repr(str(v)) for v in values[:_SHOW]]
    more = len(values) - _SHOW
    return ", ".join(items) + (f" (+{more})" if more > 0 else "")


def check_table(
    value: Any, name: str, needed: Sequence[str], *, geo: bool = False
) -> pd.DataFrame:
    """``value`` when it is a (Geo)DataFrame with the columns ``needed``; ConfigError else."""
    import geopandas as gpd

    kind = gpd.GeoDataFrame if geo else pd.DataFrame
    if not isinstance(value, kind):
        raise ConfigError(
            msg(
                "plan_not_a_table",
                name=name,
                kind="geopandas.GeoDataFrame" if geo else "pandas.DataFrame",
                got=type(value).__name__,
                columns=", ".join(needed),
            )
        )
    missing = [c for c in needed if c not in value.columns]
    if missing:
        raise ConfigError(
            msg(
                "plan_missing_columns",
                name=name,
                missing=", ".join(map(repr, missing)),
                needed=", ".join(map(repr, needed)),
                columns=", ".join(map(repr, map(str, value.columns))),
            )
        )
    return value


def _id_texts(frame: pd.DataFrame, column: str, name: str, problems: Problems) -> list:
    values = frame[column].tolist()
    bad = [v for v in values if not isinstance(v, str) or not v.strip()]
    if bad:
        problems.add(msg("plan_bad_ids", name=name, column=column, values=shown(bad), n=len(bad)))
    return values


def measure_ids(measures: pd.DataFrame, problems: Problems) -> list[str]:
    """The ``measure_id`` of each measure: texts, none missing, none twice."""
    ids = _id_texts(measures, "measure_id", "measures", problems)
    seen = pd.Series(ids, dtype=object)
    twice = sorted({str(v) for v in seen[seen.duplicated()]})
    if twice:
        problems.add(msg("plan_duplicate_ids", name="measures", values=shown(twice)))
    return [str(v) for v in ids]


def measure_days(
    measures: pd.DataFrame, column: str, ids: Sequence[str], problems: Problems
) -> list[dt.date | None]:
    """The day of each value of a date column; each value that is none is a problem."""
    days: list[dt.date | None] = []
    bad: list[str] = []
    for mid, value in zip(ids, measures[column].tolist(), strict=True):
        try:
            days.append(check_date(value, column, lang=None))
        except ConfigError:
            days.append(None)
            bad.append(f"{mid}: {value!r}")
    if bad:
        problems.add(
            msg("plan_bad_dates", name="measures", column=column, values="; ".join(bad[:5]))
        )
    return days


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: the day keys of :class:`EventTable`."""
    return (day - dt.date(1970, 1, 1)).days


def polygons(measures: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The measures' geometries, each a non-empty Polygon or MultiPolygon; ConfigError else."""
    geoms = np.asarray(measures.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)  # -1 for a missing geometry
    named = [
        f"{mid}: {'—' if types[i] < 0 or shapely.is_empty(geoms[i]) else geoms[i].geom_type}"
        for i, mid in enumerate(ids)
        if types[i] not in (3, 6) or shapely.is_empty(geoms[i])
    ]
    if named:
        raise ConfigError(msg("plan_not_polygons", values="; ".join(named[:_SHOW])))
    return geoms


def check_crs(name_a: str, a: Any, name_b: str, b: Any) -> None:
    """``a`` in a metric CRS (no degrees), and ``b`` (when given) in the same one."""
    from geo_trygg.crs import same_crs

    if a.crs is None:
        raise ConfigError(msg("plan_crs_missing", name=name_a))
    crs = a.crs
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise ConfigError(msg("plan_crs_not_metric", name=name_a, crs=crs_label(crs)))
    if b is not None and not same_crs(a.crs, b.crs):
        raise CRSMismatchError(
            msg(
                "plan_crs_mismatch",
                a=name_a,
                crs_a=crs_label(a.crs),
                b=name_b,
                crs_b=crs_label(b.crs),
            )
        )


def indicators(ids: Sequence[str], problems: Any, links: Any) -> dict[str, frozenset[str] | None]:
    """Each linked measure's event categories; :data:`ALL_EVENTS` (None) when a problem is
    walk findings. A measure without a problem has no key.

    ``problems`` and ``links`` are checked: kinds, categories of event problems, ids that
    exist, links to measures and problems that exist.
    """
    problems_ = check_table(problems, "problems", ("problem_id", "kind", "category"))
    links_ = check_table(links, "links", LINK_COLUMNS)
    with Problems() as found:
        pids = _id_texts(problems_, "problem_id", "problems", found)
        twice = sorted(
            {str(v) for v in pd.Series(pids, dtype=object).loc[lambda s: s.duplicated()]}
        )
        if twice:
            found.add(msg("plan_duplicate_ids", name="problems", values=shown(twice)))
        kinds = problems_["kind"].tolist()
        wrong = sorted({repr(k) for k in kinds if k not in PROBLEM_KINDS})
        if wrong:
            found.add(
                msg(
                    "plan_bad_codes",
                    name="problems",
                    column="kind",
                    values=", ".join(wrong),
                    allowed=", ".join(map(repr, PROBLEM_KINDS)),
                )
            )
        categories = problems_["category"].tolist()
        no_category = [
            str(pid)
            for pid, kind, cat in zip(pids, kinds, categories, strict=True)
            if kind in ("category_area", "hotspot") and (not isinstance(cat, str) or not cat)
        ]
        if no_category:
            found.add(msg("plan_problem_no_category", values=shown(no_category)))
        unknown_category = sorted(
            {
                str(cat)
                for kind, cat in zip(kinds, categories, strict=True)
                if kind in ("category_area", "hotspot")
                and isinstance(cat, str)
                and cat
                and cat not in EVENT_CATEGORIES
            }
        )
        if unknown_category:
            found.add(
                msg(
                    "plan_bad_codes",
                    name="problems",
                    column="category",
                    values=shown(unknown_category),
                    allowed=", ".join(map(repr, EVENT_CATEGORIES)),
                )
            )
        link_m = _id_texts(links_, "measure_id", "links", found)
        link_p = _id_texts(links_, "problem_id", "links", found)
        known_m, known_p = set(ids), {str(p) for p in pids}
        unknown_m = sorted({str(m) for m in link_m} - known_m)
        unknown_p = sorted({str(p) for p in link_p} - known_p)
        if unknown_m:
            found.add(
                msg(
                    "plan_unknown_ids",
                    name="links",
                    column="measure_id",
                    values=shown(unknown_m),
                    table="measures",
                )
            )
        if unknown_p:
            found.add(
                msg(
                    "plan_unknown_ids",
                    name="links",
                    column="problem_id",
                    values=shown(unknown_p),
                    table="problems",
                )
            )
    of_problem: dict[str, frozenset[str] | None] = {
        str(pid): (ALL_EVENTS if kind == "findings" else frozenset({str(cat)}))
        for pid, kind, cat in zip(pids, kinds, categories, strict=True)
    }
    out: dict[str, frozenset[str] | None] = {}
    for mid, pid in zip(map(str, link_m), map(str, link_p), strict=True):
        cats = of_problem[pid]
        if mid in out:
            before = out[mid]
            out[mid] = None if before is None or cats is None else before | cats
        else:
            out[mid] = cats
    return out


@dataclass(frozen=True)
class Window:
    """The two windows of a measure: before ``[before_start, start)``, after
    ``[start, as_of)``, both ``days`` long (0 when the measure has not started by ``as_of``)."""

    before_start: dt.date
    start: dt.date
    as_of: dt.date

    @classmethod
    def of(cls, start: dt.date, as_of: dt.date) -> Window:
        days = max((as_of - start).days, 0)
        return cls(start - dt.timedelta(days=days), start, start + dt.timedelta(days=days))

    @property
    def days(self) -> int:
        return (self.as_of - self.start).days


@dataclass(frozen=True)
class EventTable:
    """The events as the plan counts them: arrays prepared once for many measures.

    ``day`` holds the Europe/Stockholm calendar day of ``time_from`` as :func:`day_number`
    (the smallest int64 where it is missing); ``usable`` is True where the event has a day,
    a point and a precise location (not :data:`COARSE`); ``code`` is the index of each
    event's category in ``categories``; ``order`` sorts the events by ``x`` (``xs``), so
    that the events near a place are found by two binary searches; ``sources`` names the
    sources that have events of each category, and ``span`` each source's first and last
    event day.
    """

    day: np.ndarray
    code: np.ndarray
    categories: dict[str, int]
    x: np.ndarray
    y: np.ndarray
    order: np.ndarray
    xs: np.ndarray
    geoms: np.ndarray
    usable: np.ndarray
    has_source: bool
    sources: dict[str, frozenset[str]]
    span: dict[str, tuple[dt.date, dt.date]]

    @classmethod
    def of(cls, events: Any) -> EventTable:
        check_table(events, "events", ("time_from", "category"), geo=True)
        times = events["time_from"]
        if not pd.api.types.is_datetime64_any_dtype(times):
            raise ConfigError(msg("plan_events_times", dtype=str(times.dtype)))
        if isinstance(times.dtype, pd.DatetimeTZDtype):
            times = times.dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
        stamps = times.to_numpy(dtype="datetime64[ns]")
        known = ~np.isnat(stamps)
        day = np.full(len(events), np.iinfo(np.int64).min, dtype=np.int64)
        day[known] = stamps[known].astype("datetime64[D]").astype(np.int64)
        geoms = np.asarray(events.geometry.array, dtype=object)
        present = shapely.get_type_id(geoms) == 0  # points only; anything else is not counted
        present[present] = ~shapely.is_empty(geoms[present])
        x = np.full(len(events), np.nan)
        y = np.full(len(events), np.nan)
        x[present] = shapely.get_x(geoms[present])
        y[present] = shapely.get_y(geoms[present])
        precise = np.ones(len(events), dtype=bool)
        if "location_precision" in events.columns:
            precise = ~events["location_precision"].isin(COARSE).to_numpy()
        has_source = "source" in events.columns
        if has_source:
            source = events["source"].astype(object).where(events["source"].notna(), "")
            source_arr = source.astype(str).to_numpy()
        else:
            source_arr = np.full(len(events), "", dtype=object)
        category = events["category"].astype(object).where(events["category"].notna(), "")
        code, names = pd.factorize(category.astype(str).to_numpy(), sort=True)
        pairs = pd.DataFrame({"c": code, "s": source_arr}).drop_duplicates()
        sources = {
            str(names[c]): frozenset(map(str, group["s"]))
            for c, group in pairs.groupby("c", sort=True)
        }
        span: dict[str, tuple[dt.date, dt.date]] = {}
        if known.any():
            frame = pd.DataFrame({"s": source_arr[known], "d": day[known]})
            for name, row in frame.groupby("s", sort=True)["d"].agg(["min", "max"]).iterrows():
                first = dt.date(1970, 1, 1) + dt.timedelta(days=int(row["min"]))
                last = dt.date(1970, 1, 1) + dt.timedelta(days=int(row["max"]))
                span[str(name)] = (first, last)
        order = np.argsort(x, kind="stable")  # NaN (no point) last
        return cls(
            day=day,
            code=code,
            categories={str(n): i for i, n in enumerate(names)},
            x=x,
            y=y,
            order=order,
            xs=x[order],
            geoms=geoms,
            usable=known & present & precise,
            has_source=has_source,
            sources=sources,
            span=span,
        )

    def picked(
        self, geom: Any, categories: frozenset[str] | None, first: int, end: int
    ) -> np.ndarray:
        """The usable events of ``categories`` (every category for None) whose day is in
        ``[first, end)`` (:func:`day_number`) and whose point lies in the bounding box of
        ``geom`` (edges included), as positions in the events, ascending."""
        x0, y0, x1, y1 = shapely.bounds(geom)
        lo = int(np.searchsorted(self.xs, x0, side="left"))
        hi = int(np.searchsorted(self.xs, x1, side="right"))
        idx = np.sort(self.order[lo:hi])
        keep = (
            self.usable[idx]
            & (self.y[idx] >= y0)
            & (self.y[idx] <= y1)
            & (self.day[idx] >= first)
            & (self.day[idx] < end)
        )
        if categories is not None:
            codes = [self.categories[c] for c in sorted(categories) if c in self.categories]
            keep &= np.isin(self.code[idx], codes)
        return idx[keep]

    def sources_of(self, categories: frozenset[str] | None) -> list[str]:
        """The sources that have any event of ``categories`` (every category for None)."""
        wanted = (
            self.sources
            if categories is None
            else {c: self.sources[c] for c in categories if c in self.sources}
        )
        return sorted(set().union(*wanted.values()))


def checked_coverage(coverage: Any, table: EventTable) -> dict[str, tuple[dt.date, dt.date]]:
    """Each source's first and last day imported: ``coverage`` checked, or (when None) each
    source's first and last event day in ``events``."""
    if coverage is None:
        return dict(table.span)
    if not isinstance(coverage, Mapping):
        raise ConfigError(msg("plan_coverage_type", got=type(coverage).__name__))
    if not table.has_source:
        raise ConfigError(msg("plan_coverage_no_source"))
    out: dict[str, tuple[dt.date, dt.date]] = {}
    with Problems() as found:
        for source, value in coverage.items():
            pair = value if isinstance(value, Sequence) and not isinstance(value, str) else None
            if pair is None or len(pair) != 2:
                found.add(msg("plan_coverage_value", source=str(source), value=value))
                continue
            first = found.check(check_date, pair[0], f"coverage[{source!r}][0]", lang=None)
            last = found.check(check_date, pair[1], f"coverage[{source!r}][1]", lang=None)
            if first is None or last is None:
                continue
            if last < first:
                found.add(msg("plan_coverage_order", source=str(source), value=value))
                continue
            out[str(source)] = (first, last)
    return out


def coverage_reason(
    sources: Sequence[str],
    coverage: Mapping[str, tuple[dt.date, dt.date]],
    window: Window,
) -> str | None:
    """Why ``coverage`` does not cover both windows for each of ``sources`` (None when it
    does): the first source, in sorted order, that lacks a coverage or covers less."""
    need_first = window.before_start
    need_last = window.as_of - dt.timedelta(days=1)
    for source in sorted(sources):
        shown_source = source or "—"
        if source not in coverage:
            return msg("plan_reason_coverage_missing", source=shown_source)
        first, last = coverage[source]
        if first > need_first or last < need_last:
            return msg(
                "plan_reason_coverage",
                source=shown_source,
                first=first.isoformat(),
                last=last.isoformat(),
                start=need_first.isoformat(),
                end=need_last.isoformat(),
            )
    return None


def check_positive(value: Any, name: str) -> float:
    """A finite number > 0 (not a bool); ConfigError else."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value <= 0:
        raise ConfigError(msg("plan_not_positive", name=name, value=value))
    return float(value)
