"""The lägesbild: the geographic situation picture per area and period.

:func:`build_lagesbild` returns a :class:`Lagesbild` with per-area tables (counts, rates, changes
with exact tests adjusted for multiple testing, plain-language labels), the follow-up of walk
findings, the time profile and concentration, and exporters (Excel, CSV, GeoPackage, HTML,
JSON); :func:`build_lagesbilder` returns one per period (e.g. each month of a year) with the
inputs prepared once. The pieces are public too: periods, change tests, follow-up and status
round trips, time profiles, concentration and the weighted displacement difference; those
shared with other layers live in :mod:`geo_trygg.periods`, :mod:`geo_trygg.stats`,
:mod:`geo_trygg.followup` and :mod:`geo_trygg.export` and are re-exported here.
"""

from __future__ import annotations

from geo_trygg.followup import (
    StatusMergeResult,
    apply_status_updates,
    changes_since,
    followup_table,
    overdue_findings,
    read_status_updates,
)
from geo_trygg.lagesbild._build import build_lagesbild, build_lagesbilder
from geo_trygg.lagesbild._counts import bucket_rows
from geo_trygg.lagesbild._coverage import DEFAULT_MAX_PRECISION_SHIFT, DEFAULT_MIN_COVERAGE
from geo_trygg.lagesbild._goals import (
    GOAL_BASES,
    GOAL_PROGRESS_CODES,
    GOAL_REASONS,
    Goal,
    goal_progress,
    goal_series,
)
from geo_trygg.lagesbild._model import Lagesbild
from geo_trygg.lagesbild._priority import STANDARD_INDICATORS, prioritize
from geo_trygg.lagesbild._rates import land_area_km2, population_by_area
from geo_trygg.lagesbild._timeprofile import weekday_hour, weekly_series
from geo_trygg.periods import Period, comparison_period, parse_period, split_period
from geo_trygg.stats import (
    WDDResult,
    benjamini_hochberg,
    change_labels,
    change_table,
    change_test,
    concentration,
    generalized_gini,
    wdd_counts,
    weighted_displacement,
)

__all__ = [
    "DEFAULT_MAX_PRECISION_SHIFT",
    "DEFAULT_MIN_COVERAGE",
    "GOAL_BASES",
    "GOAL_PROGRESS_CODES",
    "GOAL_REASONS",
    "STANDARD_INDICATORS",
    "Goal",
    "Lagesbild",
    "Period",
    "StatusMergeResult",
    "WDDResult",
    "apply_status_updates",
    "benjamini_hochberg",
    "bucket_rows",
    "build_lagesbild",
    "build_lagesbilder",
    "change_labels",
    "change_table",
    "change_test",
    "changes_since",
    "comparison_period",
    "concentration",
    "followup_table",
    "generalized_gini",
    "goal_progress",
    "goal_series",
    "land_area_km2",
    "overdue_findings",
    "parse_period",
    "population_by_area",
    "prioritize",
    "read_status_updates",
    "split_period",
    "wdd_counts",
    "weekday_hour",
    "weekly_series",
    "weighted_displacement",
]
