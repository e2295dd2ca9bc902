"""The tables of one lägesbild period from prepared inputs (used by :mod:`._build`).

Counts per kind × level × bucket × area × category with the change test and the
Benjamini–Hochberg adjustment per (kind, level) table, rates, totals, the prioritisation
indicators and the concentration. Everything here is computed per period; what does not
depend on the period (area assignment, sorting by time, land areas, population) is prepared
once by :mod:`._build`.

Walk findings are not incidents: a findings count says where (and how carefully) people
walked, so rows of kind ``"findings"`` are never tested for change (``change_code``
:data:`NOT_TESTED`, the test's columns missing, and they are in no Benjamini–Hochberg family),
are never an ``events`` indicator, and get instead the latest walk of the period
(:func:`with_latest_walk`) and the open and overdue findings (:func:`indicators`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg.lagesbild._aggregated import counts_to_table
from geo_trygg.lagesbild._counts import PointCounter
from geo_trygg.lagesbild._rates import land_area_km2, population_by_area
from geo_trygg.periods import Period
from geo_trygg.stats import (
    change_table,
    concentration,
    empirical_bayes_rates,
    generalized_gini,
)
from geo_trygg.vocab.events import EVENT_CATEGORIES
from geo_trygg.vocab.findings import FINDING_CATEGORIES

__all__ = [
    "NOT_TESTED",
    "UNTESTED_KINDS",
    "add_change_tests",
    "area_measures",
    "concentration_table",
    "count_tables",
    "counted_tables",
    "indicators",
    "latest_walk",
    "open_severity",
    "place_indicators",
    "totals",
    "with_changes",
    "with_latest_walk",
    "with_rates",
    "with_smoothed_rates",
]

_VOCABULARY = {"events": EVENT_CATEGORIES, "findings": FINDING_CATEGORIES}

NOT_TESTED = "not_tested"
"""``change_code`` of the rows never tested for change: walk findings (:data:`UNTESTED_KINDS`).
Its words (``geo_trygg.labels.change_names``) say why: findings show where walks took
place."""

UNTESTED_KINDS = ("findings",)
"""Kinds whose counts are not tested for change (``change_code`` :data:`NOT_TESTED`)."""

_INCIDENT_KINDS = ("events", "counts")
"""Kinds whose counts are incidents: the ``events`` indicator, first found first used."""

_CLOSED = ("done", "rejected")
"""Statuses of findings that are no longer open."""


def count_tables(
    kind: str,
    counter: PointCounter,
    levels: Sequence[str],
    layers: Mapping[str, gpd.GeoDataFrame],
    period: Period,
    previous: Period | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long counts (kind, level, bucket, area, category, n, n_compare) and reconciliation."""
    # every category of the points (points without one count as "other"); with no points at
    # all, the kind's whole vocabulary (explicit zeros)
    cats = counter.categories or sorted(_VOCABULARY[kind])
    n_in = counter.n_in(period)
    rows, recon = [], []
    for level in levels:
        names = sorted(set(layers[level]["name"]))
        now = counter.count(level, period, areas=names, categories=cats)
        table = now.assign(kind=kind, level=level)
        if previous is not None:
            before = counter.count(level, previous, areas=names, categories=cats)
            table["n_compare"] = before["n"].to_numpy()
        rows.append(table)
        sums = now.groupby("bucket")["n"].sum()
        recon.append(
            {
                "kind": kind,
                "level": level,
                "n_input": n_in,
                "n_in_areas": int(sums.get("area", 0)),
                "n_outside": int(sums.get("outside", 0)),
                "n_too_coarse": int(sums.get("too_coarse", 0)),
                **{f"n_by_{k}": v for k, v in counter.placed_by(level, period).items()},
            }
        )
    return pd.concat(rows, ignore_index=True), pd.DataFrame(recon)


_CHANGE_COLUMNS = (
    "expected",
    "change",
    "rate_ratio",
    "p_value",
    "p_adjusted",
    "change_code",
)


def add_change_tests(
    frame: pd.DataFrame,
    ratio: float,
    *,
    alpha: float,
    min_events: int,
    family: Any = None,
) -> pd.DataFrame:
    """``frame`` with the change columns (its ``n`` against ``n_compare``): one BH family, or
    one per value of ``family``."""
    done = change_table(
        frame["n"].to_numpy(),
        frame["n_compare"].to_numpy(),
        exposure_ratio=ratio,
        alpha=alpha,
        min_events=min_events,
        family=family,
    )
    return frame.assign(**{c: done[c].to_numpy() for c in _CHANGE_COLUMNS})


def with_changes(
    counts: pd.DataFrame, ratio: float, *, alpha: float, min_events: int
) -> pd.DataFrame:
    """Change test, BH per (kind, level) over the tested rows, codes.

    The tested rows are the area rows (``bucket == "area"``; every row when the table has no
    ``bucket``, as the places' tables) of the kinds not in :data:`UNTESTED_KINDS`; one
    Benjamini–Hochberg family per (kind, level) (per kind without ``level``). The area rows of
    walk findings get ``change_code`` :data:`NOT_TESTED` and no test values (NaN); the other
    rows (outside, too coarse) NaN and no code.
    """
    if counts.empty:  # nothing to test: the columns, empty
        empty = ["expected", "change", "rate_ratio", "p_value", "p_adjusted"]
        return counts.assign(**dict.fromkeys(empty, np.nan), change_code=None)
    areas = (
        (counts["bucket"] == "area").to_numpy()
        if "bucket" in counts.columns
        else np.ones(len(counts), dtype=bool)
    )
    untested = counts["kind"].isin(UNTESTED_KINDS).to_numpy()
    tested = areas & ~untested
    columns: dict[str, np.ndarray] = {}
    for column in _CHANGE_COLUMNS:
        columns[column] = np.full(
            len(counts), np.nan, dtype=object if column == "change_code" else float
        )
    if tested.any():
        part = counts[tested]
        keys = [k for k in ("kind", "level") if k in part.columns]
        family = part.groupby(keys, sort=False).ngroup().to_numpy()
        done = add_change_tests(part, ratio, alpha=alpha, min_events=min_events, family=family)
        for column in _CHANGE_COLUMNS:
            values = done[column].to_numpy()
            columns[column][tested] = values if column == "change_code" else values.astype(float)
    columns["change_code"][areas & untested] = NOT_TESTED
    return counts.assign(**columns)


def counted_tables(
    counts: Any,
    levels: Sequence[str],
    layers: Mapping[str, gpd.GeoDataFrame],
    period: Period,
    previous: Period | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregated counts in the long shape of the point counts, kind ``"counts"``."""
    rows, recon = [], []
    for level in levels:
        names = sorted(set(layers[level]["name"]))
        table = counts_to_table(
            counts, level=level, period=period, compare=previous, areas=names
        ).assign(kind="counts", level=level)
        for bucket in ("outside", "too_coarse"):
            empty = table.drop_duplicates("category").assign(bucket=bucket, area=None, n=0)
            if "n_compare" in empty:
                empty["n_compare"] = 0
            table = pd.concat([table, empty], ignore_index=True)
        rows.append(table)
        total = int(table["n"].fillna(0).sum())
        recon.append(
            {
                "kind": "counts",
                "level": level,
                "n_input": total,
                "n_in_areas": total,
                "n_outside": 0,
                "n_too_coarse": 0,
                "n_by_point": 0,
                "n_by_name": 0,
                "n_by_location": total,  # counted per area by the source
            }
        )
    return pd.concat(rows, ignore_index=True), pd.DataFrame(recon)


def open_severity(findings: pd.DataFrame, levels: Sequence[str]) -> pd.Series | None:
    """Mean severity of the open findings (not done or rejected) per (level, area); None
    without a severity column or area columns."""
    if "severity" not in findings.columns:
        return None
    is_open = ~findings["status"].isin(["done", "rejected"]).to_numpy()
    severity = pd.to_numeric(findings["severity"], errors="coerce")[is_open]
    sev = []
    for level in levels:
        if level in findings.columns:
            mean = severity.groupby(findings[level][is_open]).mean()
            sev.append(pd.concat({level: mean}, names=["level", "area"]))
    return pd.concat(sev) if sev else None


def _open_counts(followup: pd.DataFrame) -> pd.Series:
    """Open findings (status neither done nor rejected) per row of a follow-up table."""
    total = pd.to_numeric(followup["n_total"], errors="coerce").fillna(0)
    closed = sum(
        (pd.to_numeric(followup[f"n_{s}"], errors="coerce").fillna(0) for s in _CLOSED),
        start=pd.Series(0.0, index=followup.index),
    )
    return (total - closed).astype(float)


def indicators(
    totals: pd.DataFrame,
    severity: pd.Series | None,
    followup: pd.DataFrame | None,
    compared: bool,
) -> pd.DataFrame:
    """One row per level × area with the prioritisation indicators.

    ``events`` (and ``events_per_1000`` with its smoothed ``events_per_1000_eb``, and with
    ``compared`` ``change`` and
    ``change_code``) from the first incident kind of ``totals`` (``"events"``, else
    ``"counts"``); with walk findings only, no ``events`` indicator at all: a findings count
    is never read as events. With ``followup`` the ``overdue`` and ``open`` findings (open:
    status neither done nor rejected), 0 for an area without findings; ``severity`` from
    :func:`open_severity`.
    """
    kinds = list(totals["kind"].unique())
    kind = next((k for k in _INCIDENT_KINDS if k in kinds), None)
    area_rows = totals[totals["bucket"] == "area"]
    if kind is not None:
        rows = area_rows[area_rows["kind"] == kind]
    else:  # no incidents: the areas only, from any kind
        rows = area_rows.drop_duplicates(["level", "area"])
    out = pd.DataFrame({"level": rows["level"].to_numpy(), "area": rows["area"].to_numpy()})
    if kind is not None:
        out["events"] = pd.to_numeric(rows["n"], errors="coerce").to_numpy(dtype=float)
        if "per_1000" in rows:
            out["events_per_1000"] = rows["per_1000"].to_numpy(dtype=float)
        if "per_1000_eb" in rows:
            out["events_per_1000_eb"] = rows["per_1000_eb"].to_numpy(dtype=float)
        if compared:
            out["change"] = pd.to_numeric(rows["change"], errors="coerce").to_numpy(dtype=float)
            out["change_code"] = rows["change_code"].to_numpy()
    if followup is not None:
        indexed = followup.set_index(["level", "group"])
        keys = pd.MultiIndex.from_frame(out[["level", "area"]])
        overdue = indexed["n_overdue"]
        out["overdue"] = overdue.reindex(keys).fillna(0).to_numpy(dtype=float)
        opened = pd.Series(_open_counts(followup).to_numpy(), index=indexed.index)
        out["open"] = opened.reindex(keys).fillna(0).to_numpy(dtype=float)
        if severity is not None:
            out["severity"] = severity.reindex(keys).to_numpy(dtype=float)
    return out


def place_indicators(
    table: pd.DataFrame,
    follow: pd.DataFrame | None,
    ratio: float | None,
    alpha: float,
    min_events: int,
) -> pd.DataFrame:
    """Prioritisation indicators of the named places (level ``"place"``): as
    :func:`indicators`, never a findings count as ``events``."""
    kinds = list(table["kind"].unique())
    kind = next((k for k in _INCIDENT_KINDS if k in kinds), None)
    cols = ["n", *(["n_compare"] if "n_compare" in table else [])]
    chosen = table if kind is None else table[table["kind"] == kind]
    per = chosen.groupby("place", sort=True)[cols].sum()
    out = pd.DataFrame({"level": "place", "area": per.index.to_numpy()})
    if kind is None:  # no incidents: the places only
        per = per.iloc[:, :0]
    else:
        out["events"] = per["n"].to_numpy(dtype=float)
    if kind is not None and ratio is not None and "n_compare" in per:
        tested = change_table(
            per["n"].to_numpy(),
            per["n_compare"].to_numpy(),
            exposure_ratio=ratio,
            alpha=alpha,
            min_events=min_events,
        )
        out["change"] = tested["change"].to_numpy(dtype=float)
        out["change_code"] = tested["change_code"].to_numpy()
    if follow is not None and len(follow):
        indexed = follow.set_index("place")
        overdue = indexed["n_overdue"]
        out["overdue"] = overdue.reindex(out["area"]).fillna(0).to_numpy(dtype=float)
        opened = pd.Series(_open_counts(follow).to_numpy(), index=indexed.index)
        out["open"] = opened.reindex(out["area"]).fillna(0).to_numpy(dtype=float)
    return out


def latest_walk(findings: pd.DataFrame, levels: Sequence[str]) -> pd.DataFrame:
    """The latest walk day per (level, area) and the findings noted on it.

    ``findings`` are the walk findings *of the period* with their area columns. For each area
    of each level: ``latest_walk``, the latest ``walk_date`` of its findings, and
    ``n_latest_walk``, how many of its findings were noted on that day (on any walk of that
    day). This is what "new since the last walk" can honestly say with the data: every
    finding row is noted once, on the walk that recorded it (a finding id never comes back on
    a later walk; ids repeated across walks are read as numbered per walk), so whether a
    defect was also there before cannot be told from the rows; the findings of the latest
    walk are those that walk brought to the table.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``area``, ``latest_walk`` (datetime64, day), ``n_latest_walk`` (int64);
        only areas with findings in the period.
    """
    frames = []
    if "walk_date" in findings.columns:
        day = pd.to_datetime(findings["walk_date"], errors="coerce")
        if isinstance(day.dtype, pd.DatetimeTZDtype):
            day = day.dt.tz_localize(None)
        day = day.dt.normalize()
        days = day.to_numpy(dtype="datetime64[ns]").view(np.int64)
        dated = ~np.isnat(day.to_numpy(dtype="datetime64[ns]"))
        for level in levels:
            if level not in findings.columns:
                continue
            codes, names = pd.factorize(findings[level], sort=True)
            keep = (codes >= 0) & dated
            if not keep.any():
                continue
            code, when = codes[keep], days[keep]
            last = np.full(len(names), np.iinfo(np.int64).min, dtype=np.int64)
            np.maximum.at(last, code, when)  # the latest day of each area
            on_last = np.bincount(code[when == last[code]], minlength=len(names))
            seen = np.bincount(code, minlength=len(names)) > 0
            frames.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "area": np.asarray(names, dtype=object)[seen],
                        "latest_walk": last[seen].view("datetime64[ns]"),
                        "n_latest_walk": on_last[seen].astype("int64"),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(
            {
                "level": pd.Series(dtype=object),
                "area": pd.Series(dtype=object),
                "latest_walk": pd.Series(dtype="datetime64[ns]"),
                "n_latest_walk": pd.Series(dtype="int64"),
            }
        )
    return pd.concat(frames, ignore_index=True)


def with_latest_walk(
    totals: pd.DataFrame, findings: pd.DataFrame, levels: Sequence[str]
) -> pd.DataFrame:
    """``totals`` with ``latest_walk`` and ``n_latest_walk`` (:func:`latest_walk`) on the
    area rows of kind ``"findings"``: missing on the other rows; ``n_latest_walk`` 0 (and no
    day) for an area without findings in the period."""
    table = latest_walk(findings, levels).set_index(["level", "area"])
    keys = pd.MultiIndex.from_frame(totals[["level", "area"]])
    rows = ((totals["kind"] == "findings") & (totals["bucket"] == "area")).to_numpy()
    day = pd.Series(table["latest_walk"].reindex(keys).to_numpy(), index=totals.index)
    count = pd.Series(table["n_latest_walk"].reindex(keys).to_numpy(), index=totals.index)
    out = totals.copy()
    out["latest_walk"] = pd.to_datetime(day.where(rows))
    out["n_latest_walk"] = pd.array(count.fillna(0).where(rows), dtype="Int64")
    return out


def with_rates(
    counts: pd.DataFrame, land: pd.Series, population: pd.Series | None
) -> pd.DataFrame:
    """Land area, counts per km² and (with ``population``) per 1,000 inhabitants per row,
    raw (``per_1000``) and smoothed (``per_1000_eb``, :func:`with_smoothed_rates`, one prior per
    kind × level × category).

    ``land`` and ``population`` are indexed by (level, area), as :func:`area_measures` gives
    them.
    """
    keys = pd.MultiIndex.from_frame(counts[["level", "area"]])
    counts = counts.assign(land_km2=land.reindex(keys).to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        per_km2 = counts["n"] / counts["land_km2"]
    counts["per_km2"] = per_km2.where(counts["land_km2"] > 0)
    if population is not None:
        counts["population"] = population.reindex(keys).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            per_1000 = counts["n"] / counts["population"] * 1000
        counts["per_1000"] = per_1000.where(counts["population"] > 0)
        counts = with_smoothed_rates(counts, ["kind", "level", "category"])
    return counts


def with_smoothed_rates(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """``frame`` with ``per_1000_eb``: the empirical Bayes rate per 1,000 inhabitants
    (:func:`geo_trygg.stats.empirical_bayes_rates`, global within each group of ``keys``).

    Only the area rows (``bucket == "area"``) are smoothed, each group of them towards its own
    prior (all its events over all its people): the areas of one level are pulled towards that
    level's mean, never towards another level's or another category's. The other rows
    (outside, too coarse) and areas without a population have NaN.
    """
    out = np.full(len(frame), np.nan)
    rows = (
        (frame["bucket"] == "area").to_numpy()
        if "bucket" in frame.columns
        else np.ones(len(frame), dtype=bool)
    )
    n = pd.to_numeric(frame["n"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    people = pd.to_numeric(frame["population"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    positions = np.flatnonzero(rows)
    if len(positions):
        part = frame.iloc[positions]
        groups = part.groupby(list(keys), sort=False, dropna=False).indices
        for members in groups.values():
            at = positions[np.asarray(members)]
            out[at] = empirical_bayes_rates(n[at], people[at]).to_numpy()
    return frame.assign(per_1000_eb=out)


def area_measures(
    layers: Mapping[str, gpd.GeoDataFrame],
    levels: Sequence[str],
    water: gpd.GeoDataFrame | None,
    population: gpd.GeoDataFrame | None,
) -> tuple[pd.Series, pd.Series | None]:
    """Land area in km² and (with ``population``) inhabitants per (level, area)."""
    land = pd.concat(
        {lv: land_area_km2(layers[lv], water=water) for lv in levels}, names=["level", "area"]
    )
    if population is None:
        return land, None
    pop = pd.concat(
        {lv: population_by_area(population, layers[lv]) for lv in levels},
        names=["level", "area"],
    )
    return land, pop


def totals(counts: pd.DataFrame) -> pd.DataFrame:
    """All categories together per (kind, level, bucket, area)."""
    keys = ["kind", "level", "bucket", "area"]
    value_cols = [c for c in ("n", "n_compare") if c in counts.columns]
    grouped = counts.groupby(keys, dropna=False, sort=False)[value_cols].sum().reset_index()
    extra = [c for c in ("land_km2", "population") if c in counts.columns]
    if extra:
        first = counts.groupby(keys, dropna=False, sort=False)[extra].first().reset_index()
        grouped = grouped.merge(first, on=keys, how="left")
    if "land_km2" in grouped:
        with np.errstate(divide="ignore", invalid="ignore"):
            grouped["per_km2"] = (grouped["n"] / grouped["land_km2"]).where(
                grouped["land_km2"] > 0
            )
    if "population" in grouped:
        with np.errstate(divide="ignore", invalid="ignore"):
            grouped["per_1000"] = (grouped["n"] / grouped["population"] * 1000).where(
                grouped["population"] > 0
            )
        grouped = with_smoothed_rates(grouped, ["kind", "level"])
    return grouped.assign(category="(alla)")


def concentration_table(totals: pd.DataFrame) -> pd.DataFrame:
    """Concentration and generalised Gini per (kind, level) over the areas (from
    :func:`totals`: one row per area)."""
    rows = []
    for (kind, level), part in totals[totals["bucket"] == "area"].groupby(
        ["kind", "level"], sort=False
    ):
        per_area = part["n"].to_numpy(dtype=float)
        table = concentration(per_area)
        table.insert(0, "level", level)
        table.insert(0, "kind", kind)
        table["generalized_gini"] = generalized_gini(per_area)
        rows.append(table)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
