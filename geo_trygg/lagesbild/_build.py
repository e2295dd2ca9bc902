"""``build_lagesbild``: from findings and events to the tables a stadsdel and its LPO use.

Steps, in order (each documented where it is implemented):

1. **Validate** every argument before any work (periods, levels, layers, inputs).
2. **One geography** for both periods: each area layer is cut to the boundary version valid on
   the last day of the later period (``at``), and crosswalks are read at the same date, so a
   reorganisation never shows up as a change in crime.
3. **Assign** points to the layers with :func:`geo_trygg.assign_areas` (unless they already
   carry the level columns).
4. **Count** per level, area and category for the period and the comparison period
   (:func:`~geo_trygg.lagesbild._counts.count_by_area`); sum over areas + outside + too coarse
   equals the input count at every level (table ``reconciliation``).
5. **Test** every change with the exact conditional binomial test, adjust with
   Benjamini–Hochberg per (kind, level) table, label in plain language
   (:func:`~geo_trygg.lagesbild._stats.change_table`).
6. **Rates** per km² of land and per 1,000 inhabitants (population re-aggregated by area
   weighting, :mod:`~geo_trygg.lagesbild._rates`).
7. **Follow-up** of walk findings, **time profile**, **concentration**.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.boundaries import load_crosswalk, select_version
from geo_trygg.join import assign_areas
from geo_trygg.lagesbild._aggregated import check_levels, counts_to_table
from geo_trygg.lagesbild._concentration import concentration, generalized_gini
from geo_trygg.lagesbild._counts import count_by_area, time_column_of
from geo_trygg.lagesbild._followup import followup_tables
from geo_trygg.lagesbild._model import Lagesbild
from geo_trygg.lagesbild._periods import Period, comparison_period, in_period, parse_period
from geo_trygg.lagesbild._places import (
    add_piece_level,
    pair_level_name,
    piece_layer,
    place_counts,
    place_followup,
)
from geo_trygg.lagesbild._priority import DEFAULT_WEIGHTS, STANDARD_INDICATORS, prioritize
from geo_trygg.lagesbild._rates import land_area_km2, population_by_area
from geo_trygg.lagesbild._stats import MIN_EVENTS, change_table
from geo_trygg.lagesbild._status_merge import changes_since
from geo_trygg.lagesbild._timeprofile import weekday_hour, weekly_series
from geo_trygg.vocab.events import EVENT_CATEGORIES
from geo_trygg.vocab.findings import FINDING_CATEGORIES

__all__ = ["build_lagesbild"]

KINDS = ("events", "findings")
_VOCABULARY = {"events": EVENT_CATEGORIES, "findings": FINDING_CATEGORIES}


def _layers(areas: Any) -> dict[str, gpd.GeoDataFrame]:
    """Area layers by level from one GeoDataFrame (split by ``level``) or a sequence of them."""
    frames = [areas] if isinstance(areas, gpd.GeoDataFrame) else list(areas or [])
    if not frames or not all(isinstance(f, gpd.GeoDataFrame) for f in frames):
        raise ConfigError(
            "areas must be a GeoDataFrame of canonical areas (read_areas) or a list of them; "
            f"got {type(areas).__name__}"
        )
    out: dict[str, gpd.GeoDataFrame] = {}
    for frame in frames:
        if "level" not in frame.columns or frame["level"].isna().any():
            raise ConfigError("every area needs a 'level' (read_areas(..., level=...))")
        for level, layer in frame.groupby("level", sort=True):
            if str(level) in out:
                raise ConfigError(f"areas: level {level!r} is given twice")
            out[str(level)] = layer
    return out


def _check_by(
    by: Any, layers: Mapping[str, gpd.GeoDataFrame]
) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """Level names to report, and the (a, b) pairs whose overlay pieces are levels too."""
    entries = (by,) if isinstance(by, str) else tuple(by)
    if not entries:
        raise ConfigError("by=() is empty; name at least one area level")
    levels, pairs = [], []
    for entry in entries:
        parts = (entry,) if isinstance(entry, str) else tuple(entry)
        if len(parts) not in (1, 2) or not all(isinstance(p, str) for p in parts):
            raise ConfigError(
                f"by={entry!r}: each entry is a level name or a pair of them, e.g. "
                "('stadsdelsomrade', 'lpo') for the overlay pieces"
            )
        for level in parts:
            if level not in layers:
                raise ConfigError(
                    f"by={level!r} is not a level of the areas given; allowed: "
                    + ", ".join(map(repr, sorted(layers)))
                )
        if len(parts) == 2:
            pairs.append((parts[0], parts[1]))
            levels.append(pair_level_name(parts[0], parts[1]))
        else:
            levels.append(parts[0])
    return tuple(levels), pairs


def _geography(layers: Mapping[str, gpd.GeoDataFrame], at: dt.date) -> dict[str, gpd.GeoDataFrame]:
    """Each layer cut to the boundary version valid on ``at``; an empty version is an error."""
    out = {}
    for level, layer in layers.items():
        version = (
            select_version(layer, at) if {"valid_from", "valid_to"} & set(layer.columns) else layer
        )
        if version.empty:
            raise ConfigError(
                f"areas: no {level} boundaries are valid on {at.isoformat()} (the last day of "
                "the later period); pass boundaries valid then"
            )
        out[level] = version
    return out


def _assigned(
    points: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    crosswalk: pd.DataFrame | None,
    at: dt.date,
) -> gpd.GeoDataFrame:
    if all(level in points.columns for level in layers):
        return points
    return assign_areas(points, *layers.values(), crosswalk=crosswalk, at=at)


def _count_tables(
    kind: str,
    points: pd.DataFrame,
    levels: Sequence[str],
    layers: Mapping[str, gpd.GeoDataFrame],
    period: Period,
    previous: Period | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long counts (kind, level, bucket, area, category, n, n_compare) and reconciliation."""
    time_col = time_column_of(points)
    # every category seen (points without one count as "other"); with no points at all, the
    # kind's whole vocabulary (explicit zeros)
    values = points["category"].to_numpy(dtype=object)
    seen = {c for c in pd.unique(values) if not pd.isna(c)}
    if pd.isna(values).any():
        seen.add("other")
    cats = sorted(seen) or sorted(_VOCABULARY[kind])
    n_in = int(in_period(points[time_col], period).sum())
    rows, recon = [], []
    for level in levels:
        names = sorted(set(layers[level]["name"]))
        now = count_by_area(points, level=level, period=period, areas=names, categories=cats)
        table = now.assign(kind=kind, level=level)
        if previous is not None:
            before = count_by_area(
                points, level=level, period=previous, areas=names, categories=cats
            )
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
    "change_label",
)


def _tested(
    frame: pd.DataFrame, ratio: float, *, alpha: float, min_events: int, lang: str | None
) -> pd.DataFrame:
    """``frame`` with the change columns of one BH family (its ``n`` against ``n_compare``)."""
    tested = change_table(
        frame["n"].to_numpy(),
        frame["n_compare"].to_numpy(),
        exposure_ratio=ratio,
        alpha=alpha,
        min_events=min_events,
        lang=lang,
    )
    return frame.assign(**{c: tested[c].to_numpy() for c in _CHANGE_COLUMNS})


def _with_changes(
    counts: pd.DataFrame, ratio: float, *, alpha: float, min_events: int, lang: str | None
) -> pd.DataFrame:
    """Change test, BH per (kind, level) over the area rows, labels."""
    parts = []
    for _, part in counts.groupby(["kind", "level"], sort=False):
        areas = part["bucket"] == "area"
        tested = _tested(part[areas], ratio, alpha=alpha, min_events=min_events, lang=lang)
        parts.append(pd.concat([tested, part[~areas]]))
    if not parts:  # nothing to test: the columns, empty
        empty = ["expected", "change", "rate_ratio", "p_value", "p_adjusted"]
        return counts.assign(**dict.fromkeys(empty, np.nan), change_code=None, change_label=None)
    return pd.concat(parts).sort_index()


def _counted(
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
            }
        )
    return pd.concat(rows, ignore_index=True), pd.DataFrame(recon)


def _indicators(
    totals: pd.DataFrame,
    findings: pd.DataFrame | None,
    followup: pd.DataFrame | None,
    levels: Sequence[str],
    compared: bool,
) -> pd.DataFrame:
    """One row per level × area with the prioritisation indicators."""
    kinds = list(totals["kind"].unique())
    kind = next((k for k in ("events", "counts", "findings") if k in kinds), kinds[0])
    rows = totals[(totals["kind"] == kind) & (totals["bucket"] == "area")]
    out = pd.DataFrame({"level": rows["level"].to_numpy(), "area": rows["area"].to_numpy()})
    out["events"] = pd.to_numeric(rows["n"], errors="coerce").to_numpy(dtype=float)
    if "per_1000" in rows:
        out["events_per_1000"] = rows["per_1000"].to_numpy(dtype=float)
    if compared:
        out["change"] = pd.to_numeric(rows["change"], errors="coerce").to_numpy(dtype=float)
        out["change_code"] = rows["change_code"].to_numpy()
    if findings is not None and followup is not None:
        overdue = followup.set_index(["level", "group"])["n_overdue"]
        keys = pd.MultiIndex.from_frame(out[["level", "area"]])
        out["overdue"] = overdue.reindex(keys).fillna(0).to_numpy(dtype=float)
        open_ = findings[~findings["status"].isin(["done", "rejected"])]
        sev = []
        for level in levels:
            if level in open_.columns and "severity" in open_.columns:
                mean = (
                    pd.to_numeric(open_["severity"], errors="coerce").groupby(open_[level]).mean()
                )
                sev.append(pd.concat({level: mean}, names=["level", "area"]))
        if sev:
            out["severity"] = pd.concat(sev).reindex(keys).to_numpy(dtype=float)
    return out


def _place_indicators(
    table: pd.DataFrame,
    follow: pd.DataFrame | None,
    ratio: float | None,
    alpha: float,
    min_events: int,
) -> pd.DataFrame:
    """Prioritisation indicators of the named places (level ``"place"``)."""
    kinds = list(table["kind"].unique())
    kind = "events" if "events" in kinds else kinds[0]
    cols = ["n", *(["n_compare"] if "n_compare" in table else [])]
    per = table[table["kind"] == kind].groupby("place", sort=True)[cols].sum()
    out = pd.DataFrame({"level": "place", "area": per.index.to_numpy()})
    out["events"] = per["n"].to_numpy(dtype=float)
    if ratio is not None and "n_compare" in per:
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
        overdue = follow.set_index("place")["n_overdue"]
        out["overdue"] = overdue.reindex(out["area"]).fillna(0).to_numpy(dtype=float)
    return out


def _rates(
    counts: pd.DataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    water: gpd.GeoDataFrame | None,
    population: gpd.GeoDataFrame | None,
) -> pd.DataFrame:
    land = pd.concat(
        {lv: land_area_km2(layers[lv], water=water) for lv in counts["level"].unique()},
        names=["level", "area"],
    )
    keys = pd.MultiIndex.from_frame(counts[["level", "area"]])
    counts = counts.assign(land_km2=land.reindex(keys).to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        per_km2 = counts["n"] / counts["land_km2"]
    counts["per_km2"] = per_km2.where(counts["land_km2"] > 0)
    if population is not None:
        pop = pd.concat(
            {lv: population_by_area(population, layers[lv]) for lv in counts["level"].unique()},
            names=["level", "area"],
        )
        counts["population"] = pop.reindex(keys).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            per_1000 = counts["n"] / counts["population"] * 1000
        counts["per_1000"] = per_1000.where(counts["population"] > 0)
    return counts


def _totals(counts: pd.DataFrame) -> pd.DataFrame:
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
    return grouped.assign(category="(alla)")


def _concentration(counts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (kind, level), part in counts[counts["bucket"] == "area"].groupby(
        ["kind", "level"], sort=False
    ):
        per_area = part.groupby("area")["n"].sum()
        table = concentration(per_area.to_numpy(dtype=float))
        table.insert(0, "level", level)
        table.insert(0, "kind", kind)
        table["generalized_gini"] = generalized_gini(per_area.to_numpy(dtype=float))
        rows.append(table)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def build_lagesbild(
    findings: gpd.GeoDataFrame | None = None,
    events: gpd.GeoDataFrame | None = None,
    *,
    areas: Any,
    by: str | Sequence[str] = ("stadsdel",),
    period: Any,
    compare: Any = "previous",
    crosswalk: pd.DataFrame | None = None,
    places: gpd.GeoDataFrame | None = None,
    radius_m: float | None = None,
    counts: Any = None,
    population: gpd.GeoDataFrame | None = None,
    weights: Mapping[str, float] | None = None,
    water: gpd.GeoDataFrame | None = None,
    as_of: Any = None,
    since: Any = None,
    alpha: float = 0.05,
    min_events: int = MIN_EVENTS,
    lang: str | None = None,
) -> Lagesbild:
    """Build the lägesbild for a period: per-area tables, changes, follow-up, time profile.

    Parameters
    ----------
    findings, events : geopandas.GeoDataFrame, optional
        ``.accepted`` of :func:`geo_trygg.read_findings` / :func:`geo_trygg.read_events`, with or
        without area columns (assigned here when missing). At least one is needed.
    areas : geopandas.GeoDataFrame or sequence of them
        Canonical area layers (:func:`geo_trygg.read_areas`), one level each or several levels
        in one frame (split by ``level``).
    by : str or sequence, default ("stadsdel",)
        The levels to report, each a level of ``areas``, or a pair of levels such as
        ``("stadsdelsomrade", "lpo")`` for the overlay pieces of the two (level
        ``"stadsdelsomrade_x_lpo"``, areas named ``"<a> / <b>"``), so each LPO sees its share.
    period : period-like
        The period reported, e.g. ``"2024-03"`` (see :mod:`geo_trygg.lagesbild._periods`).
    compare : {"previous", "previous_year"}, period-like or None, default "previous"
        The comparison period; None for no comparison.
    crosswalk : pandas.DataFrame, optional
        For consistent hierarchies (:func:`geo_trygg.load_crosswalk`); the bundled tables by
        default.
    places : geopandas.GeoDataFrame, optional
        Named places (platssamverkan) as polygons, or points with a ``radius_m`` column or the
        ``radius_m`` argument: counts, changes and follow-up per place (many-to-many).
    radius_m : float, optional
        Radius of point places without their own ``radius_m``.
    counts : CountsResult or pandas.DataFrame, optional
        Already aggregated counts (area × period × category, :func:`read_counts`), e.g.
        police statistics per LPO: the same rates, change tests and exports as ``kind
        "counts"``. Every level in ``by`` must be a level the counts were counted at.
    population : geopandas.GeoDataFrame, optional
        Areas with a ``population`` column (e.g. DeSO), re-aggregated by area weighting.
    weights : mapping, optional
        Weights of the prioritisation indicators (``events``, ``events_per_1000``, ``change``,
        ``increase``, ``overdue``, ``severity``); see
        :data:`geo_trygg.lagesbild._priority.DEFAULT_WEIGHTS`.
    water : geopandas.GeoDataFrame, optional
        Water polygons subtracted from land area.
    as_of : date-like, optional
        The day the follow-up of findings is judged on; the last day of the period by default.
    since : date-like, optional
        With findings: the table ``changes`` lists what changed since this day (new, closed,
        newly overdue findings) up to ``as_of`` — for the next meeting.
    alpha : float, default 0.05
        False discovery rate for the change labels.
    min_events : int, default 6
        Fewer events in both periods together: "för få händelser för att säga".
    lang : {"sv", "en"}, optional
        Language of labels; ``geo_trygg.settings.lang`` by default.

    Returns
    -------
    Lagesbild

    Raises
    ------
    ConfigError
        For any bad argument, before any work.

    Examples
    --------
    >>> import warnings
    >>> import geo_trygg as gt
    >>> from geo_trygg.demo import demo_paths
    >>> from geo_trygg.lagesbild import build_lagesbild
    >>> p = demo_paths()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     lb = build_lagesbild(
    ...         gt.read_findings(p["findings"]).accepted,
    ...         gt.read_events(p["events"]).accepted,
    ...         areas=gt.read_areas(p["areas"]).accepted,
    ...         by=("stadsdel", "kommun"),
    ...         period="2024",
    ...         compare="previous",
    ...     )
    >>> bool((lb.reconciliation["n_input"] == lb.reconciliation["n_in_areas"]
    ...       + lb.reconciliation["n_outside"] + lb.reconciliation["n_too_coarse"]).all())
    True
    """
    inputs = {k: v for k, v in (("events", events), ("findings", findings)) if v is not None}
    if not inputs and counts is None:
        raise ConfigError(
            "build_lagesbild needs findings=, events=, counts= or several; got none of them"
        )
    if weights is not None:
        unknown = sorted(set(weights) - set(STANDARD_INDICATORS))
        if unknown:
            raise ConfigError(
                f"weights names {', '.join(map(repr, unknown))}, which is not an indicator; "
                f"allowed: {', '.join(map(repr, STANDARD_INDICATORS))}"
            )
    for kind, frame in inputs.items():
        if not isinstance(frame, gpd.GeoDataFrame):
            raise ConfigError(
                f"{kind} must be a GeoDataFrame (the .accepted of read_{kind}); "
                f"got {type(frame).__name__}"
            )
        if "category" not in frame.columns:
            raise ConfigError(f"{kind} has no 'category' column; read it with read_{kind}")
    main = parse_period(period)
    previous = comparison_period(main, compare)
    if previous is not None and previous.start < main.end and main.start < previous.end:
        raise ConfigError(
            f"compare={compare!r} ({previous.label}) overlaps period={period!r} ({main.label})"
        )
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha!r} must lie between 0 and 1")
    layers = _layers(areas)
    levels, pairs = _check_by(by, layers)
    if counts is not None:
        check_levels(counts, levels)
    if places is not None and not isinstance(places, gpd.GeoDataFrame):
        raise ConfigError(f"places must be a GeoDataFrame; got {type(places).__name__}")
    later_end = max(main.end, previous.end) if previous else main.end
    at = later_end - dt.timedelta(days=1)
    geography = _geography(layers, at)
    cw = load_crosswalk() if crosswalk is None else crosswalk
    assigned = {k: _assigned(v, geography, cw, at) for k, v in inputs.items()}
    for a, b in pairs:
        geography[pair_level_name(a, b)] = piece_layer(geography[a], geography[b], a, b)
        assigned = {k: add_piece_level(v, a, b) for k, v in assigned.items()}

    tables, recon = [], []
    for kind, frame in assigned.items():
        table, rec = _count_tables(kind, frame, levels, geography, main, previous)
        tables.append(table)
        recon.append(rec)
    if counts is not None:
        table, rec = _counted(counts, levels, geography, main, previous)
        tables.append(table)
        recon.append(rec)
    long = pd.concat(tables, ignore_index=True)
    notes = []
    if previous is not None:
        ratio = main.days / previous.days
        long = _with_changes(long, ratio, alpha=alpha, min_events=min_events, lang=lang)
        if ratio != 1:
            notes.append(
                msg("lagesbild_exposure_ratio", days=main.days, days_compare=previous.days)
            )
    long = _rates(long, geography, water, population)
    totals = _totals(long)
    if previous is not None:
        totals = _with_changes(
            totals, main.days / previous.days, alpha=alpha, min_events=min_events, lang=lang
        )
    if long[long["bucket"] == "area"]["n"].sum() == 0:
        notes.append(msg("lagesbild_no_events_in_period", period=main.label))
        warnings.warn(notes[-1], GeoTryggWarning, stacklevel=2)

    followup = overdue = changes = None
    if "findings" in assigned:
        judged = as_of if as_of is not None else main.end - dt.timedelta(days=1)
        found = assigned["findings"]
        groups = (*levels, "responsible_actor")
        per_group, overdue_list = followup_tables(
            found, by_each=[(g,) for g in groups], as_of=judged, lang=lang
        )
        followup = pd.concat(
            [
                table.rename(columns={g: "group"}).assign(level=g)
                for g, table in zip(groups, per_group, strict=True)
            ],
            ignore_index=True,
        )
        followup = followup[
            ["level", "group", *[c for c in followup if c not in ("level", "group")]]
        ]
        overdue = pd.DataFrame(overdue_list)
        if since is not None:
            changes = pd.DataFrame(changes_since(found, since=since, as_of=judged, lang=lang))

    place_table = place_recon = place_follow = None
    if places is not None:
        parts, recs = [], []
        for kind, frame in assigned.items():
            table, rec = place_counts(
                frame, places, kind=kind, period=main, previous=previous, radius_m=radius_m
            )
            if previous is not None and len(table):
                table = _tested(
                    table, main.days / previous.days, alpha=alpha, min_events=min_events, lang=lang
                )
            parts.append(table)
            recs.append(rec)
        place_table = pd.concat(parts, ignore_index=True)
        place_recon = pd.DataFrame(recs)
        if "findings" in assigned:
            judged = as_of if as_of is not None else main.end - dt.timedelta(days=1)
            place_follow = place_followup(
                assigned["findings"], places, as_of=judged, radius_m=radius_m, lang=lang
            )

    indicators = _indicators(
        totals, assigned.get("findings"), followup, levels, previous is not None
    )
    if place_table is not None and len(place_table):
        place_ratio = main.days / previous.days if previous is not None else None
        extra = _place_indicators(place_table, place_follow, place_ratio, alpha, min_events)
        indicators = pd.concat([indicators, extra], ignore_index=True)
    used = weights
    if used is None:  # the defaults that the inputs allow; the rest said in a note
        have = set(indicators.columns) | ({"increase"} if "change_code" in indicators else set())
        used = {k: v for k, v in DEFAULT_WEIGHTS.items() if k in have}
        dropped = sorted(set(DEFAULT_WEIGHTS) - set(used))
        if dropped:
            notes.append(msg("lagesbild_weights_dropped", names=", ".join(dropped)))
    priorities = prioritize(indicators, weights=used, lang=lang)

    profile = weekly = None
    if "events" in assigned:
        ev = assigned["events"]
        first = levels[0]
        needed = [c for c in ("time_from", "time_to", first) if c in ev.columns]
        in_main = ev.loc[in_period(ev["time_from"], main), needed]
        profile = weekday_hour(in_main, by=first, lang=lang)
        weekly = weekly_series(
            in_main, by=first, start=main.start, end=main.end - dt.timedelta(days=1), lang=lang
        )

    return Lagesbild(
        period=main,
        compare=previous,
        levels=levels,
        at=at,
        areas=long,
        totals=totals,
        reconciliation=pd.concat(recon, ignore_index=True),
        followup=followup,
        overdue=overdue,
        weekday_hour=profile,
        weekly=weekly,
        concentration=_concentration(long),
        priorities=priorities,
        changes=changes,
        places=place_table,
        places_reconciliation=place_recon,
        places_followup=place_follow,
        notes=notes,
        geography=geography,
    )
