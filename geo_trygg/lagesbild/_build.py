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
   (:func:`~geo_trygg.stats.change_table`) — only where the data support it: each source's
   coverage of both periods and its location precision decide (:mod:`._coverage`; else
   ``"not_comparable"``), and walk findings are never tested (``"not_tested"``).
6. **Rates** per km² of land and per 1,000 inhabitants (population re-aggregated by area
   weighting, :mod:`~geo_trygg.lagesbild._rates`), raw and smoothed by empirical Bayes
   (``per_1000_eb``, global within each level: :func:`~geo_trygg.stats.empirical_bayes_rates`),
   the smoothed rate being the prioritisation's rate indicator.
7. **Follow-up** of walk findings, **time profile**, **concentration**.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg import labels
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.boundaries import select_version
from geo_trygg.catalogue import get_source, list_sources
from geo_trygg.followup import FollowupPlan, changes_since, parse_day
from geo_trygg.io.indicators import INDICATOR_LEVELS
from geo_trygg.join import assign_areas, places_within
from geo_trygg.lagesbild._about import coverage_notes, nothing_to_compare
from geo_trygg.lagesbild._counts import PointCounter
from geo_trygg.lagesbild._coverage import (
    DEFAULT_MAX_PRECISION_SHIFT,
    DEFAULT_MIN_COVERAGE,
    SourceSpans,
    comparison_table,
    coverage_table,
    mark_not_comparable,
)
from geo_trygg.lagesbild._model import Lagesbild, PlacedPoints
from geo_trygg.lagesbild._places import (
    PlaceCounter,
    add_piece_level,
    pair_level_name,
    piece_layer,
    place_followup,
)
from geo_trygg.lagesbild._priority import default_weights, prioritize
from geo_trygg.lagesbild._request import (
    Request,
    check_request,
    day_counted_on,
    period_pair,
)
from geo_trygg.lagesbild._survey import SURVEY_PREFIXES, survey_priority_columns, survey_tables
from geo_trygg.lagesbild._tables import (
    area_measures,
    concentration_table,
    count_tables,
    counted_tables,
    indicators,
    open_severity,
    place_indicators,
    totals,
    with_changes,
    with_latest_walk,
    with_rates,
)
from geo_trygg.lagesbild._timeprofile import weekday_hour, weekly_series
from geo_trygg.periods import Period
from geo_trygg.stats import MIN_EVENTS

__all__ = ["build_lagesbild", "build_lagesbilder"]


def _geography(layers: Mapping[str, gpd.GeoDataFrame], at: dt.date) -> dict[str, gpd.GeoDataFrame]:
    """Each layer cut to the boundary version valid on ``at``; an empty version is an error."""
    out = {}
    for level, layer in layers.items():
        version = (
            select_version(layer, at) if {"valid_from", "valid_to"} & set(layer.columns) else layer
        )
        if version.empty:
            raise ConfigError(_no_boundaries(level, layer, at))
        out[level] = version
    return out


def _no_boundaries(level: str, layer: gpd.GeoDataFrame, at: dt.date) -> str:
    """Why no boundary of ``level`` can be used on ``at``, and what to use instead: the
    catalogued sources of the level valid then, or, for stadsdelsområden and LPOs, boundaries
    derived from the stadsdelar through the bundled crosswalk."""
    first = pd.to_datetime(layer["valid_from"], errors="coerce").min()
    last = pd.to_datetime(layer["valid_to"], errors="coerce").max()
    valid = (
        f"{'…' if pd.isna(first) else first.date().isoformat()}–"
        f"{'…' if pd.isna(last) else (last.date() - dt.timedelta(days=1)).isoformat()}"
    )
    sources = []
    for name in list_sources():
        source = get_source(name)
        if source.level == level and (source.valid_from or at) <= at < (
            source.valid_to or at + dt.timedelta(days=1)
        ):
            sources.append(name)
    if sources:
        hint = msg("lagesbild_boundaries_use_source", names=", ".join(sources))
    elif level in ("stadsdelsomrade", "lpo"):
        hint = msg("lagesbild_boundaries_derive", level=level)
    else:
        hint = msg("lagesbild_boundaries_none_catalogued")
    words = labels.level_names().get(level, level)
    return msg("lagesbild_no_boundaries", level=words, at=at.isoformat(), valid=valid, hint=hint)


def _assigned(
    points: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    crosswalk: pd.DataFrame | None,
    at: dt.date,
) -> gpd.GeoDataFrame:
    if all(level in points.columns for level in layers):
        return points
    return assign_areas(points, *layers.values(), crosswalk=crosswalk, at=at)


# --- validated arguments and prepared inputs ------------------------------------------------


def _signature(
    geography: Mapping[str, gpd.GeoDataFrame], crosswalk: pd.DataFrame, at: dt.date
) -> tuple[Any, ...]:
    """What the assignment of points depends on: the boundary versions and crosswalk rows."""
    rows = (
        select_version(crosswalk, at)
        if {"valid_from", "valid_to"} & set(crosswalk.columns)
        else crosswalk
    )
    return (
        tuple((level, tuple(layer.index)) for level, layer in geography.items()),
        tuple(rows.index),
    )


@dataclass
class _Prepared:
    """Inputs assigned to one geography and prepared for counting over any period."""

    geography: dict[str, gpd.GeoDataFrame]
    assigned: dict[str, gpd.GeoDataFrame]
    counters: dict[str, PointCounter]
    land: pd.Series
    population: pd.Series | None
    followup: FollowupPlan | None
    followup_groups: tuple[str, ...]
    places: dict[str, PlaceCounter]
    place_members: pd.DataFrame | None
    profile_events: pd.DataFrame | None
    severity: pd.Series | None
    spans: list[SourceSpans]


def _prepare(
    req: Request,
    geography: dict[str, gpd.GeoDataFrame],
    at: dt.date,
    within: Sequence[Period],
) -> _Prepared:
    """Assign the points to ``geography`` and prepare what the periods ``within`` need."""
    geography = dict(geography)
    assigned = {k: _assigned(v, geography, req.crosswalk, at) for k, v in req.inputs.items()}
    for a, b in req.pairs:
        geography[pair_level_name(a, b)] = piece_layer(geography[a], geography[b], a, b)
        assigned = {k: add_piece_level(v, a, b) for k, v in assigned.items()}
    counters = {k: PointCounter(v, levels=req.levels, within=within) for k, v in assigned.items()}
    land, population = area_measures(geography, req.levels, req.water, req.population)
    groups = (*req.levels, "responsible_actor")
    plan = members = severity = None
    if "findings" in assigned:
        plan = FollowupPlan(assigned["findings"], by_each=[(g,) for g in groups])
        severity = open_severity(assigned["findings"], req.levels)
    places: dict[str, PlaceCounter] = {}
    if req.places is not None:
        for kind, frame in assigned.items():
            places[kind] = PlaceCounter(
                frame, req.places, kind=kind, radius_m=req.radius_m, times=counters[kind].times
            )
        if "findings" in assigned:
            members = places_within(assigned["findings"], req.places, radius_m=req.radius_m)
    profile = None
    if "events" in assigned:
        ev = assigned["events"]
        needed = [c for c in ("time_from", "time_to", req.levels[0]) if c in ev.columns]
        profile = ev[needed]
    spans = [
        SourceSpans.of(kind, frame, counters[kind].times, req.rules, counters[kind].positions)
        for kind, frame in assigned.items()
    ]
    return _Prepared(
        geography,
        assigned,
        counters,
        land,
        population,
        plan,
        groups,
        places,
        members,
        profile,
        severity,
        spans,
    )


# --- one period -------------------------------------------------------------------------------


def _followup(
    req: Request, prep: _Prepared, judged: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Follow-up per level and actor, the overdue list, and the changes since ``since``."""
    assert prep.followup is not None
    day = parse_day(judged, "as_of")
    per_group, overdue_list = prep.followup.tables(day)
    followup = pd.concat(
        [
            table.rename(columns={g: "group"}).assign(level=g)
            for g, table in zip(prep.followup_groups, per_group, strict=True)
        ],
        ignore_index=True,
    )
    followup = followup[["level", "group", *[c for c in followup if c not in ("level", "group")]]]
    changes = None
    if req.since is not None:
        found = prep.assigned["findings"]
        changes = pd.DataFrame(changes_since(found, since=req.since, as_of=judged))
    return followup, pd.DataFrame(overdue_list), changes


def _one(
    req: Request, prep: _Prepared, main: Period, previous: Period | None, at: dt.date
) -> Lagesbild:
    """The lägesbild of one period from prepared inputs."""
    geography = prep.geography
    coverage = coverage_table(prep.spans, main, previous)
    comparison = comparison_table(coverage, req.levels, req.rules)
    refused = nothing_to_compare(coverage, previous)
    tables, recon = [], []
    for kind, counter in prep.counters.items():
        table, rec = count_tables(kind, counter, req.levels, geography, main, previous)
        tables.append(table)
        recon.append(rec)
    if req.counts is not None:
        table, rec = counted_tables(req.counts, req.levels, geography, main, previous)
        tables.append(table)
        recon.append(rec)
    long = pd.concat(tables, ignore_index=True)
    notes = list(req.unmapped)  # what the vocabularies could not place (said once per input)
    ratio = main.days / previous.days if previous is not None else None
    options: dict[str, Any] = {"alpha": req.alpha, "min_events": req.min_events}
    if ratio is not None and previous is not None:
        long = mark_not_comparable(with_changes(long, ratio, **options), comparison)
        if ratio != 1:
            notes.append(
                msg("lagesbild_exposure_ratio", days=main.days, days_compare=previous.days)
            )
        if refused is not None:  # no source has a day in the comparison period
            notes.append(refused)
            warnings.warn(refused, GeoTryggWarning, stacklevel=3)
        else:
            notes.extend(coverage_notes(coverage, comparison, req.rules))
    long = with_rates(long, prep.land, prep.population)
    if prep.population is not None:  # per_1000_eb beside per_1000: say what smoothing does
        notes.append(msg("lagesbild_rates_smoothed"))
    total = totals(long)
    if ratio is not None:
        total = mark_not_comparable(with_changes(total, ratio, **options), comparison)
    if "findings" in prep.assigned:  # findings: the latest walk, not a change test
        found = prep.assigned["findings"]
        needed = [c for c in ("walk_date", *req.levels) if c in found.columns]
        walked = pd.DataFrame(found[needed]).iloc[prep.counters["findings"].positions(main)]
        total = with_latest_walk(total, walked, req.levels)
    if long[long["bucket"] == "area"]["n"].sum() == 0:
        notes.append(msg("lagesbild_no_events_in_period", period=main.label))
        warnings.warn(notes[-1], GeoTryggWarning, stacklevel=3)

    judged = req.as_of if req.as_of is not None else main.end - dt.timedelta(days=1)
    followup = overdue = changes = None
    if prep.followup is not None:
        followup, overdue, changes = _followup(req, prep, judged)

    place_table = place_recon = place_follow = None
    if req.places is not None:
        at_places = comparison_table(coverage, ["place"], req.rules)
        parts, recs = [], []
        for place_counter in prep.places.values():
            table, rec = place_counter.count(main, previous)
            if ratio is not None and len(table):
                table = with_changes(table, ratio, **options)  # findings: not tested
                table = mark_not_comparable(table, at_places, level="place")
            parts.append(table)
            recs.append(rec)
        place_table = pd.concat(parts, ignore_index=True)
        place_recon = pd.DataFrame(recs)
        if "findings" in prep.assigned:
            place_follow = place_followup(
                prep.assigned["findings"],
                req.places,
                as_of=judged,
                radius_m=req.radius_m,
                members=prep.place_members,
            )

    table = indicators(total, prep.severity, followup, previous is not None)
    if place_table is not None and len(place_table):
        extra = place_indicators(place_table, place_follow, ratio, req.alpha, req.min_events)
        extra = mark_not_comparable(extra.assign(kind="events"), at_places).drop(columns="kind")
        table = pd.concat([table, extra], ignore_index=True)
    survey = goals = None
    if req.survey is not None:
        plain = {
            level: geography[level]["name"].astype(str).tolist()
            for level in req.levels
            if level in geography and level in INDICATOR_LEVELS
        }
        survey, goals = survey_tables(req.survey, names=plain, at=at, crosswalk=req.crosswalk)
        named = [k for k in req.weights or {} if k.startswith(SURVEY_PREFIXES)]
        if named:
            table = table.merge(
                survey_priority_columns(survey, named), on=["level", "area"], how="left"
            )
    used = req.weights
    if used is None:  # the defaults that the inputs allow; the rest said in a note
        have = set(table.columns) | ({"increase"} if "change_code" in table else set())
        defaults = default_weights(list(table.columns))  # with population: the EB rate
        used = {k: v for k, v in defaults.items() if k in have}
        dropped = sorted(set(defaults) - set(used))
        if dropped:
            words = labels.column_names()
            shown = ", ".join(words.get(name, name).lower() for name in dropped)
            notes.append(msg("lagesbild_weights_dropped", names=shown))
    priorities = prioritize(table, weights=used)

    profile = weekly = None
    if prep.profile_events is not None:
        in_main = prep.profile_events.iloc[prep.counters["events"].positions(main)]
        first = req.levels[0]
        profile = weekday_hour(in_main, by=first)
        weekly = weekly_series(
            in_main, by=first, start=main.start, end=main.end - dt.timedelta(days=1)
        )

    return Lagesbild(
        period=main,
        compare=previous,
        levels=req.levels,
        at=at,
        areas=long,
        totals=total,
        reconciliation=pd.concat(recon, ignore_index=True),
        followup=followup,
        overdue=overdue,
        weekday_hour=profile,
        weekly=weekly,
        concentration=concentration_table(total),
        priorities=priorities,
        changes=changes,
        places=place_table,
        places_reconciliation=place_recon,
        places_followup=place_follow,
        coverage=coverage,
        comparison=comparison,
        indicators=survey,
        goals=goals,
        notes=notes,
        geography=geography,
        _points={k: PlacedPoints(v, prep.counters[k].times) for k, v in prep.assigned.items()},
    )


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
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    max_precision_shift: float = DEFAULT_MAX_PRECISION_SHIFT,
    coverage: Mapping[str, Sequence[Any]] | None = None,
    indicators: Any = None,
    goals: Any = None,
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
        The period reported, e.g. ``"2024-03"`` (see :mod:`geo_trygg.periods`).
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
        Areas with a ``population`` column (e.g. DeSO), re-aggregated by area weighting:
        rates per 1,000 inhabitants, raw (``per_1000``) and smoothed (``per_1000_eb``).
    weights : mapping, optional
        Weights of the prioritisation indicators (``events``, ``events_per_1000``,
        ``events_per_1000_eb``, ``change``, ``increase``, ``overdue``, ``open``,
        ``severity``); see :data:`geo_trygg.lagesbild._priority.DEFAULT_WEIGHTS` (and
        ``POPULATION_WEIGHTS``, the defaults with a population). With a population a weight
        on ``events_per_1000`` goes to the smoothed rate.
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
    min_coverage : float, default 0.9
        A source of events must cover at least this share of the days of the period and of
        the comparison period, else the change is not tested (``change_code``
        ``"not_comparable"``); see :mod:`geo_trygg.lagesbild._coverage`.
    max_precision_shift : float, default 0.10
        The largest change, between the periods, of the share of a source's events at a
        location precision that matters for the level; beyond it the location regime changed
        and the change is not tested at that level.
    coverage : mapping, optional
        The first and last day each source's data cover, by source code, e.g.
        ``{"polis": ("2023-03-20", "2026-08-22")}``; by default the days of its first and
        last row (a sparse source may have begun earlier than its first row: declare it).
    indicators : IndicatorsResult or pandas.DataFrame, optional
        Survey results (:func:`geo_trygg.io.read_indicators`): the table ``indicators`` lists
        each area's own results and those of its parts from an earlier division, each under
        its own name (:func:`geo_trygg.join.indicators_for_areas`); ``weights`` may weigh
        one as ``"survey:<indicator>"`` (``"survey_low:<indicator>"`` where a higher value is
        better), see :mod:`geo_trygg.lagesbild._survey`.
    goals : Goal or sequence of Goal, optional
        Goals judged on ``indicators`` per survey area (:func:`goal_progress`): the table
        ``goals``, and a chart per area on the page.

    Returns
    -------
    Lagesbild
        Its tables hold codes (``change_code``, ``reason``, ``weekday``, ``change`` of the
        follow-up's changes), the same in every language: :mod:`geo_trygg.labels` puts them in
        words, as :meth:`Lagesbild.to_excel`, :meth:`~Lagesbild.to_csv` and
        :meth:`~Lagesbild.to_html` do. Notes and warnings are in ``geo_trygg.settings.lang``
        (``with geo_trygg.settings.use_lang("en"):`` around the call for English ones).

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
    req = check_request(locals())
    main, previous = period_pair(period, compare)
    at = day_counted_on(main, previous)
    within = [main] if previous is None else [main, previous]
    prepared = _prepare(req, _geography(req.layers, at), at, within)
    return _one(req, prepared, main, previous, at)


def build_lagesbilder(
    findings: gpd.GeoDataFrame | None = None,
    events: gpd.GeoDataFrame | None = None,
    *,
    areas: Any,
    periods: Sequence[Any],
    by: str | Sequence[str] = ("stadsdel",),
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
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    max_precision_shift: float = DEFAULT_MAX_PRECISION_SHIFT,
    coverage: Mapping[str, Sequence[Any]] | None = None,
    indicators: Any = None,
    goals: Any = None,
) -> dict[str, Lagesbild]:
    """Build the lägesbild of each of several periods, e.g. every month of a year.

    The same lägesbilder as one :func:`build_lagesbild` call per period, with the inputs
    checked, assigned to the areas, sorted by time and grouped once instead of once per
    period: a year by month costs little more than the year.

    Parameters
    ----------
    periods : sequence of period-like
        The periods, e.g. ``split_period("2024", "month")`` or ``["2024-05", "2024-06"]``;
        each is compared with its own comparison period (``compare``) and counted on the
        boundaries valid on the last day of the later of the two (so the periods of one call
        may be counted on different boundary versions).
    as_of : date-like, optional
        The day the follow-up is judged on for every period; by default the last day of each
        period.
    findings, events, areas, by, compare, crosswalk, places, radius_m, counts, population, \
weights, water, since, alpha, min_events, min_coverage, max_precision_shift, coverage, \
indicators, goals
        As for :func:`build_lagesbild`.

    Returns
    -------
    dict of str to Lagesbild
        By period label (``Period.label``), in the order of ``periods``.

    Raises
    ------
    ConfigError
        For any bad argument (any period among them), or when two periods have the same label,
        before any work.

    Examples
    --------
    >>> import warnings
    >>> import geo_trygg as gt
    >>> from geo_trygg.demo import demo_paths
    >>> from geo_trygg.lagesbild import build_lagesbilder, split_period
    >>> p = demo_paths()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     monthly = build_lagesbilder(
    ...         events=gt.read_events(p["events"]).accepted,
    ...         areas=gt.read_areas(p["areas"]).accepted,
    ...         by="stadsdel",
    ...         periods=split_period("2024-Q1", "month"),
    ...         compare="previous_year",
    ...     )
    >>> list(monthly)
    ['2024-01', '2024-02', '2024-03']
    """
    req = check_request(locals())
    if isinstance(periods, (str, Period)) or not isinstance(periods, Sequence) or not periods:
        raise ConfigError(
            f"periods={periods!r} must be a non-empty list of periods, e.g. "
            "split_period('2024', 'month') or ['2024-05', '2024-06']"
        )
    pairs = [period_pair(p, compare, name=f"periods[{i}]") for i, p in enumerate(periods)]
    labels = [main.label for main, _ in pairs]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ConfigError(f"periods names {', '.join(map(repr, repeated))} more than once")
    # periods whose points are assigned alike (same boundaries and crosswalk rows) share one
    # preparation
    groups: dict[tuple[Any, ...], list[tuple[Period, Period | None, dt.date]]] = {}
    geographies: dict[tuple[Any, ...], tuple[dict[str, gpd.GeoDataFrame], dt.date]] = {}
    for main, previous in pairs:
        at = day_counted_on(main, previous)
        geography = _geography(req.layers, at)
        key = _signature(geography, req.crosswalk, at)
        groups.setdefault(key, []).append((main, previous, at))
        geographies.setdefault(key, (geography, at))
    built = {}
    for key, members in groups.items():
        within = [p for main, previous, _ in members for p in (main, previous) if p is not None]
        geography, at = geographies[key]
        prepared = _prepare(req, geography, at, within)
        for main, previous, at in members:
            built[main.label] = _one(req, prepared, main, previous, at)
    return {label: built[label] for label in labels}
