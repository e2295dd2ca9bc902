"""The arguments of :func:`build_lagesbild` and :func:`build_lagesbilder`, checked before any
work: inputs, area layers and levels, periods and their comparison periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._validate import Problems
from geo_trygg.boundaries import load_crosswalk
from geo_trygg.followup import parse_day
from geo_trygg.io.unmapped import unmapped_notes, unmapped_values
from geo_trygg.lagesbild._aggregated import check_levels
from geo_trygg.lagesbild._coverage import CoverageRules, check_rules
from geo_trygg.lagesbild._places import pair_level_name
from geo_trygg.lagesbild._priority import STANDARD_INDICATORS
from geo_trygg.lagesbild._survey import (
    SURVEY_PREFIXES,
    SurveyInput,
    check_survey,
    check_survey_weights,
)
from geo_trygg.periods import Period, comparison_period, parse_period

__all__ = ["OPTIONS", "Request", "check_request", "day_counted_on", "period_pair"]


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


@dataclass(frozen=True)
class Request:
    """The arguments of a build, checked, that do not depend on the period."""

    inputs: dict[str, gpd.GeoDataFrame]
    layers: dict[str, gpd.GeoDataFrame]
    levels: tuple[str, ...]
    pairs: list[tuple[str, str]]
    compare: Any
    crosswalk: pd.DataFrame
    places: gpd.GeoDataFrame | None
    radius_m: float | None
    counts: Any
    population: gpd.GeoDataFrame | None
    weights: Mapping[str, float] | None
    water: gpd.GeoDataFrame | None
    as_of: Any
    since: Any
    alpha: float
    min_events: int
    min_coverage: float
    max_precision_shift: float
    coverage: Any
    indicators: Any = None
    goals: Any = None
    rules: CoverageRules = field(default_factory=CoverageRules)
    survey: SurveyInput | None = None
    unmapped: tuple[str, ...] = ()
    """What the vocabularies could not place in the inputs, said in every period's notes."""


def _check_weights(weights: Any) -> None:
    unknown = sorted(
        k for k in set(weights) - set(STANDARD_INDICATORS) if not k.startswith(SURVEY_PREFIXES)
    )
    if unknown:
        raise ConfigError(
            f"weights names {', '.join(map(repr, unknown))}, which is not an indicator; "
            f"allowed: {', '.join(map(repr, STANDARD_INDICATORS))}, or a survey indicator "
            "as 'survey:<indicator>' / 'survey_low:<indicator>' (with indicators=)"
        )


def _check_input(kind: str, frame: Any) -> None:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ConfigError(
            f"{kind} must be a GeoDataFrame (the .accepted of read_{kind}); "
            f"got {type(frame).__name__}"
        )
    if "category" not in frame.columns:
        raise ConfigError(f"{kind} has no 'category' column; read it with read_{kind}")


def _check_alpha(alpha: Any) -> None:
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha!r} must lie between 0 and 1")


def check_request(arguments: Mapping[str, Any]) -> Request:
    """Check every argument that does not depend on the period, before any work.

    ``arguments`` are those of :func:`build_lagesbild` or :func:`build_lagesbilder` by name
    (their ``locals()``): ``findings``, ``events``, ``areas``, ``by``, ``compare`` and every
    name in :data:`OPTIONS`. Every problem found is reported, in one ConfigError
    (:class:`geo_trygg._validate.Problems`); one problem alone raises its own error.
    """
    options = {name: arguments[name] for name in OPTIONS}
    inputs = {
        kind: arguments[kind] for kind in ("events", "findings") if arguments[kind] is not None
    }
    with Problems() as problems:
        if not inputs and options["counts"] is None:
            problems.add(
                "build_lagesbild needs findings=, events=, counts= or several; got none of them"
            )
        if options["weights"] is not None:
            problems.check(_check_weights, options["weights"])
        for kind, frame in inputs.items():
            problems.check(_check_input, kind, frame)
        problems.check(_check_alpha, options["alpha"])
        layers = problems.check(_layers, arguments["areas"])
        by = None if layers is None else problems.check(_check_by, arguments["by"], layers)
        if by is not None and options["counts"] is not None:
            problems.check(check_levels, options["counts"], by[0])
        places = options["places"]
        if places is not None and not isinstance(places, gpd.GeoDataFrame):
            problems.add(f"places must be a GeoDataFrame; got {type(places).__name__}")
        for name in ("as_of", "since"):  # checked now; used as given
            if options[name] is not None:
                problems.check(parse_day, options[name], name)
        rules = problems.check(
            check_rules,
            options["min_coverage"],
            options["max_precision_shift"],
            options["coverage"],
        )
        survey = None
        if options["indicators"] is not None:
            survey = problems.check(
                check_survey, options["indicators"], options["goals"], options["crosswalk"]
            )
        elif options["goals"] is not None:
            problems.add(msg("survey_err_goals_without"))
        unchecked = options["indicators"] is not None and survey is None
        if options["weights"] is not None and not unchecked:
            problems.check(check_survey_weights, options["weights"], survey)
    assert layers is not None  # else Problems raised a ConfigError above
    assert by is not None
    assert rules is not None
    levels, pairs = by
    crosswalk = load_crosswalk() if options["crosswalk"] is None else options["crosswalk"]
    return Request(
        inputs,
        layers,
        levels,
        pairs,
        arguments["compare"],
        **dict(options, crosswalk=crosswalk),
        rules=rules,
        survey=survey,
        unmapped=tuple(
            note
            for kind, frame in inputs.items()
            for note in unmapped_notes(unmapped_values(frame, kind))
        ),
    )


def period_pair(period: Any, compare: Any, name: str = "period") -> tuple[Period, Period | None]:
    """The period and its comparison period; they must not overlap."""
    main = parse_period(period, name=name)
    previous = comparison_period(main, compare)
    if previous is not None and previous.start < main.end and main.start < previous.end:
        raise ConfigError(
            f"compare={compare!r} ({previous.label}) overlaps {name}={period!r} ({main.label})"
        )
    return main, previous


def day_counted_on(main: Period, previous: Period | None) -> dt.date:
    """The day whose boundaries both periods are counted on: the last day of the later one."""
    later_end = max(main.end, previous.end) if previous else main.end
    return later_end - dt.timedelta(days=1)


OPTIONS = (
    "crosswalk",
    "places",
    "radius_m",
    "counts",
    "population",
    "weights",
    "water",
    "as_of",
    "since",
    "alpha",
    "min_events",
    "min_coverage",
    "max_precision_shift",
    "coverage",
    "indicators",
    "goals",
)
