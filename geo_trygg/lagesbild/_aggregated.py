"""Aggregated inputs: count tables already counted per area × period × category.

Much of what a kommun receives is already counted: police statistics per LPO and month,
reports per stadsdelsområde and quarter. :func:`read_counts` (:mod:`geo_trygg.io.counts`)
reads such a table (CSV or Excel as Swedish offices export them, or a DataFrame) into a
canonical *count table*;
:func:`counts_to_table` turns it into the long shape of
:func:`geo_trygg.lagesbild._counts.count_by_area` for one period, so the same change tests and
rates run on it; :func:`check_levels` refuses to show counts at a level they were not counted
at.

Canonical count table (``CountsResult.accepted``)
-------------------------------------------------
=====================  ========================================================================
``level``              area level (:data:`geo_trygg.catalogue.AREA_LEVELS`), e.g. ``"lpo"``
``area``               the area's name as written
``period``             the period's label, e.g. ``"2024-03"`` (see :mod:`geo_trygg.periods`)
``period_start``       first day (datetime64, naive date)
``period_end``         first day after the period (exclusive)
``category``           event category code when the text is an event type (mapped with
                       :func:`geo_trygg.vocab.events.map_event_categories`), else the text
``category_original``  the category as written (None when the table has no category column)
``n``                  the count, int64 >= 0
``source_row``         row number in the source (CSV/Excel: header = row 1; DataFrame: 1-based
                       position)
``src_<header>``       every other column, kept as read
=====================  ========================================================================

Reading
-------
Rows are rejected with a reason, never read as 0: a blank, masked (``..``, ``x``, ``<5``),
negative or fractional count; a unit column saying the value is not a count (``procent``); a
period that cannot be read; a missing area or category; an unknown level; a repeat of an
earlier row's area, period and category.

Periods (:func:`counts_to_table`)
---------------------------------
A requested period is the sum of the counted periods that lie *inside* it (months inside a
year, weeks inside a month when they fit). A counted period that only partly overlaps it (the
year 2024 asked for a quarter, ISO week 2024-W09 asked for March) is a ConfigError naming
both: spreading a count over time would be a guess. So are a requested period that the counts
do not cover completely (a gap, such as a missing month), and counted periods of the same area
and category that overlap inside it (months and a year total in one table): either would give
a wrong total without saying so.

A *cell* (area × category) is complete for a period when each series of the cell (a category as
written: ``"Misshandel"`` and ``"Misshandel, grov"`` are two series of ``violence``) covers the
whole period. With ``missing="na"`` (default) an incomplete cell is missing (``<NA>``), never
0, and a warning says how many; ``missing="zero"`` is for publishers who leave out rows with
0.

Levels (:func:`check_levels`)
-----------------------------
Counts are shown only at the level they were counted at: counts per LPO say nothing about how
they divide among stadsdelar (nor among the stadsdelsområde × LPO pieces), and adding
stadsdelar up to stadsdelsområden is a job for a crosswalk, not a guess made here.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.io.counts import (
    CATEGORY_MODES,
    COUNT_COLUMNS,
    TOTAL_CATEGORY,
    CountsResult,
    check_level_arg,
    level_code,
    parse_label,
    read_counts,
)
from geo_trygg.periods import Period, comparison_period, parse_period

__all__ = [
    "CATEGORY_MODES",
    "COUNT_COLUMNS",
    "MISSING_MODES",
    "TOTAL_CATEGORY",
    "CountsResult",
    "check_levels",
    "counts_to_table",
    "read_counts",
]

MISSING_MODES = ("na", "zero")
"""``missing=`` of :func:`counts_to_table`: an incomplete cell is ``<NA>`` or 0."""

_NEEDED = ("level", "area", "category", "n")
_EPOCH = np.datetime64("1970-01-01", "D")
_SHOW = 5


def _day(value: Any) -> int:
    """Days since 1970-01-01 of a date."""
    return int(np.datetime64(value, "D").astype(np.int64))


def _count_frame(counts: Any) -> pd.DataFrame:
    """The count table of ``counts`` (a CountsResult or DataFrame); ConfigError otherwise."""
    frame = counts.accepted if isinstance(counts, CountsResult) else counts
    if not isinstance(frame, pd.DataFrame):
        raise ConfigError(
            f"counts must be the result of read_counts or a DataFrame; got {type(counts).__name__}"
        )
    lacking = [c for c in _NEEDED if c not in frame.columns]
    has_dates = "period_start" in frame.columns and "period_end" in frame.columns
    if not has_dates and "period" not in frame.columns:
        lacking.append("period")
    if lacking:
        raise ConfigError(
            f"counts lacks the column(s) {', '.join(map(repr, lacking))}; a count table has "
            f"{', '.join(COUNT_COLUMNS)} (read it with read_counts)"
        )
    return frame


def _spans(part: pd.DataFrame) -> pd.DataFrame:
    """One row per count: akey, area, category, series, label, start, end (day numbers), n."""
    if "period_start" in part.columns and "period_end" in part.columns:
        starts = pd.to_datetime(part["period_start"]).to_numpy("datetime64[D]")
        ends = pd.to_datetime(part["period_end"]).to_numpy("datetime64[D]")
        start = (starts - _EPOCH).astype(np.int64)
        end = (ends - _EPOCH).astype(np.int64)
    else:
        parsed: dict[str, Period] = {}
        for label in sorted(set(map(str, part["period"]))):
            found = parse_label(label)
            if found is None:
                raise ConfigError(f"counts has the period {label!r}, which is not a period")
            parsed[label] = found
        start = np.array([_day(parsed[str(v)].start) for v in part["period"]], dtype=np.int64)
        end = np.array([_day(parsed[str(v)].end) for v in part["period"]], dtype=np.int64)
    labels = (
        part["period"].astype(str).to_numpy(dtype=object)
        if "period" in part.columns
        else np.array([_span_text(a, b) for a, b in zip(start, end, strict=True)], dtype=object)
    )
    n = pd.to_numeric(part["n"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(n).any() or (n < 0).any() or (n != np.round(n)).any():
        raise ConfigError("counts has values of n that are not whole numbers >= 0")
    original = part["category_original"] if "category_original" in part.columns else None
    category = part["category"].astype(object).to_numpy()
    series = (
        np.where(pd.isna(original), category, original.to_numpy(dtype=object))
        if original is not None
        else category
    )
    return pd.DataFrame(
        {
            "akey": [normalize_name(a) for a in part["area"]],
            "area": part["area"].astype(str).to_numpy(),
            "category": [str(c) for c in category],
            "series": [normalize_name(s) for s in series],
            "label": labels,
            "start": start,
            "end": end,
            "n": n.astype(np.int64),
        }
    )


def _span_text(start: int, end: int) -> str:
    first = _EPOCH + np.timedelta64(start, "D")
    last = _EPOCH + np.timedelta64(end - 1, "D")
    return str(first) if start == end - 1 else f"{first}–{last}"


def _inside(spans: pd.DataFrame, period: Period, arg: str, level: str) -> pd.DataFrame:
    """The counts inside ``period``; ConfigError for partial overlaps, gaps and double counts."""
    lo, hi = _day(period.start), _day(period.end)
    s, e = spans["start"].to_numpy(), spans["end"].to_numpy()
    inside = (s >= lo) & (e <= hi)
    partial = (s < hi) & (e > lo) & ~inside
    if partial.any():
        bad = spans[partial].sort_values(["start", "end", "label"], kind="stable").iloc[0]
        raise ConfigError(
            f"{arg}={period.label!r} only partly overlaps the counted period {bad['label']!r} "
            f"({_span_text(bad['start'], bad['end'])}, e.g. {bad['area']!r}); a count cannot be "
            "split over time without guessing. Choose a period made of whole counted periods"
        )
    sub = spans[inside]
    if sub.empty:
        raise ConfigError(
            f"{arg}={period.label!r} ({period.start}–{period.end}, end exclusive): no counts per "
            f"{level!r} fall in it; the counts cover {_span_text(s.min(), e.max())}"
        )
    reach = lo
    for start, end in sorted(set(zip(sub["start"], sub["end"], strict=True))):
        if start > reach:
            break
        reach = max(reach, end)
    if reach < hi:
        nxt = sub["start"].to_numpy()
        gap_end = int(nxt[nxt > reach].min()) if (nxt > reach).any() else hi
        raise ConfigError(
            f"the counts per {level!r} cover only part of {arg}={period.label!r}: nothing is "
            f"counted for {_span_text(reach, gap_end)}; a sum would be too low without saying so"
        )
    ordered = sub.sort_values(["akey", "series", "start", "end"], kind="stable")
    previous_end = ordered.groupby(["akey", "series"], sort=False)["end"].shift()
    clash = ordered["start"].to_numpy() < previous_end.fillna(-np.inf).to_numpy()
    if clash.any():
        position = int(np.flatnonzero(clash)[0])
        row, before = ordered.iloc[position], ordered.iloc[position - 1]
        raise ConfigError(
            f"the counts for {row['area']!r}, category {row['category']!r}, have the periods "
            f"{before['label']!r} and {row['label']!r}, which overlap inside "
            f"{arg}={period.label!r}; summing them would count events twice (remove total rows "
            "or rows of another period length)"
        )
    return sub


def _area_names(areas: Any, level: str) -> list[str] | None:
    if areas is None:
        return None
    if isinstance(areas, pd.DataFrame):
        if "name" not in areas.columns:
            raise ConfigError("areas given as a table needs a 'name' column (see read_areas)")
        if "level" in areas.columns:
            areas = areas[[level_code(v) == level for v in areas["level"]]]
        areas = areas["name"]
    if isinstance(areas, str) or not isinstance(areas, Iterable):
        raise ConfigError(f"areas must be a sequence of area names; got {areas!r}")
    names = [str(a) for a in areas if not pd.isna(a)]
    keys: dict[str, str] = {}
    for name in names:
        key = normalize_name(name)
        if key in keys and keys[key] != name:
            raise ConfigError(
                f"areas names both {keys[key]!r} and {name!r}, which are the same area name"
            )
        keys[key] = name
    return sorted(set(names))


def _spellings(counted: pd.DataFrame, names: list[str] | None, level: str) -> dict[str, str]:
    """Area key -> the name shown: the spelling in ``areas`` (unknown names: ConfigError)."""
    if names is None:
        spelled = counted.groupby("akey", sort=True)["area"].min()
        return {str(k): str(v) for k, v in spelled.items()}
    known = {normalize_name(n): n for n in names}
    unknown = sorted(set(counted.loc[~counted["akey"].isin(known.keys()), "area"]))
    if unknown:
        shown = ", ".join(map(repr, unknown[:_SHOW])) + (" …" if len(unknown) > _SHOW else "")
        allowed = ", ".join(map(repr, names[:10])) + (" …" if len(names) > 10 else "")
        raise ConfigError(
            f"the counts per {level!r} name {len(unknown)} area(s) that are not in areas=: "
            f"{shown}; allowed: {allowed}. Counts for other (e.g. older) areas cannot be moved "
            "onto these without guessing"
        )
    return known


def _cells(
    sub: pd.DataFrame, series: pd.DataFrame, grid: pd.DataFrame, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """(n, complete) per grid row for the counts ``sub`` of one period of ``days`` days."""
    key = ["akey", "category", "series"]
    covered = sub.assign(days=sub["end"] - sub["start"]).groupby(key, sort=False)["days"].sum()
    full = series.set_index(key).index.map(covered.to_dict()).to_numpy(dtype=float) == days
    complete = (
        pd.Series(full, index=series.set_index(key).index)
        .groupby(level=["akey", "category"], sort=False)
        .all()
    )
    totals = sub.groupby(["akey", "category"], sort=False)["n"].sum()
    cell_index = pd.MultiIndex.from_frame(grid[["akey", "category"]])
    n = totals.reindex(cell_index, fill_value=0).to_numpy(dtype=np.int64)
    ok = complete.astype(bool).reindex(cell_index, fill_value=False).to_numpy(dtype=bool)
    return n, ok


def counts_to_table(
    counts: Any,
    *,
    level: str,
    period: Any,
    compare: Any = None,
    areas: Any = None,
    missing: str = "na",
) -> pd.DataFrame:
    """Counts of one level and period in the long shape of ``count_by_area``.

    Parameters
    ----------
    counts : CountsResult or pandas.DataFrame
        A count table (:func:`read_counts`).
    level : str
        The level to show; it must be a level the counts were counted at.
    period : period-like
        As for :func:`geo_trygg.periods.parse_period`; the sum of the counted
        periods inside it (see the module docstring for partial overlaps and gaps).
    compare : {"previous", "previous_year"}, period-like or None
        The comparison period (:func:`~geo_trygg.periods.comparison_period`); its
        counts are the column ``n_compare``, on the same rows.
    areas : sequence of str or DataFrame with ``name`` (and ``level``), optional
        Every area of the level: names are matched after normalisation (case, dashes) and
        shown as spelled here; areas without counts get rows (missing or 0, see
        ``missing``); a counted area not among them is a ConfigError.
    missing : {"na", "zero"}, default "na"
        What an incomplete cell is (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns ``bucket`` (always ``"area"``), ``area``, ``category``, ``n`` (and
        ``n_compare`` with ``compare``): one row per area × category, sorted. ``n`` is
        ``Int64`` with ``missing="na"``, ``int64`` with ``missing="zero"``.

    Raises
    ------
    ConfigError
        Bad arguments; a level the counts do not have; a counted period partly inside a
        period; a period not fully covered; overlapping counts; unknown area names.

    Warns
    -----
    GeoTryggWarning
        When cells are missing (``missing="na"``).

    Examples
    --------
    >>> counts = pd.DataFrame({"level": "lpo", "area": ["Farsta"] * 4,
    ...                        "period": ["2024-01", "2024-02", "2024-03", "2023-Q1"],
    ...                        "category": "violence", "n": [5, 7, 3, 9]})
    >>> counts_to_table(counts, level="lpo", period="2024-Q1", compare="previous_year")
      bucket    area  category   n  n_compare
    0   area  Farsta  violence  15          9
    """
    frame = _count_frame(counts)
    lvl = check_level_arg(level)
    mode = check_choice("missing", missing, MISSING_MODES)
    current = parse_period(period)
    previous = comparison_period(current, compare)
    names = _area_names(areas, lvl)
    present = sorted({level_code(v) or str(v) for v in frame["level"]})
    if lvl not in present:
        raise ConfigError(
            f"level={level!r}: the counts hold no counts per {lvl!r}; their levels: "
            + (", ".join(map(repr, present)) or "none (the table is empty)")
        )
    part = frame[[(level_code(v) or str(v)) == lvl for v in frame["level"]]]
    spans = _spans(part)
    periods = [("n", "period", current)]
    if previous is not None:
        periods.append(("n_compare", "compare", previous))
    inside = [_inside(spans, p, arg, lvl) for _, arg, p in periods]
    counted = pd.concat(inside, ignore_index=True)
    spelled = _spellings(counted, names, lvl)
    keys = sorted(spelled, key=lambda k: (spelled[k], k))
    categories = sorted(set(counted["category"]))
    grid = pd.DataFrame(
        [(k, c) for k in keys for c in categories], columns=["akey", "category"], dtype=object
    )
    series = counted[["akey", "category", "series"]].drop_duplicates()
    out = pd.DataFrame(
        {
            "bucket": "area",
            "area": pd.Series([spelled[k] for k in grid["akey"]], dtype=object),
            "category": grid["category"],
        }
    )
    for (column, _, p), sub in zip(periods, inside, strict=True):
        n, complete = _cells(sub, series, grid, p.days)
        if mode == "zero":
            out[column] = n
            continue
        values = pd.array(n, dtype="Int64")
        values[~complete] = pd.NA
        out[column] = values
        if (~complete).any():
            bad = out.loc[~complete, ["area", "category"]].head(3)
            examples = ", ".join(f"{a}/{c}" for a, c in bad.itertuples(index=False))
            warnings.warn(
                msg(
                    "agg_cells_missing",
                    n=int((~complete).sum()),
                    total=len(out),
                    period=p.label,
                    examples=examples,
                ),
                GeoTryggWarning,
                stacklevel=2,
            )
    return out.sort_values(["area", "category"], kind="stable").reset_index(drop=True)


def check_levels(count_levels: Any, requested_levels: Any) -> tuple[str, ...]:
    """Refuse to show counts at a level they were not counted at.

    Parameters
    ----------
    count_levels : str, sequence of str, CountsResult or DataFrame with ``level``
        The levels the counts were counted at.
    requested_levels : str or sequence of str
        The levels asked for (``by=`` of the lägesbild).

    Returns
    -------
    tuple of str
        The requested levels as canonical codes, in the order given.

    Raises
    ------
    ConfigError
        Naming each requested level the counts do not have, and the levels they do have.

    Examples
    --------
    >>> check_levels(["lpo"], ["Lokalpolisområde"])
    ('lpo',)
    >>> check_levels(["lpo"], ["lpo", "stadsdel"])
    Traceback (most recent call last):
    ...
    geo_trygg._errors.ConfigError: counts per 'lpo' cannot be shown per 'stadsdel': ...
    """
    have = _level_list(count_levels, "count_levels")
    want = _level_list(requested_levels, "requested_levels")
    lacking = [w for w in want if w not in have]
    if lacking:
        counted = ", ".join(map(repr, have)) or "none"
        raise ConfigError(
            f"counts per {counted} cannot be shown per {', '.join(map(repr, lacking))}: a "
            "count for a whole area does not say how it divides among other or smaller areas, "
            f"and splitting it would be a guess. Ask for the counted level(s) ({counted}) or "
            f"supply counts per {', '.join(map(repr, lacking))}"
        )
    return tuple(want)


def _level_list(value: Any, name: str) -> list[str]:
    if isinstance(value, CountsResult):
        value = value.levels
    elif isinstance(value, pd.DataFrame):
        if "level" not in value.columns:
            raise ConfigError(f"{name} given as a table needs a 'level' column")
        value = sorted(set(map(str, value["level"])))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise ConfigError(f"{name}={value!r} must be a level or a sequence of levels")
    out: list[str] = []
    for item in value:
        code = level_code(item) if isinstance(item, str) else None
        text = code or str(item)
        if text not in out:
            out.append(text)
    return out
