"""Statistics shared by the lägesbild and the hotspots.

- the change between two periods: :func:`change_test` (exact conditional test of two Poisson
  counts), :func:`benjamini_hochberg` (false discovery rate), :func:`change_codes`,
  :func:`change_labels` and :func:`change_table` (the whole chain);
- the concentration of events over places: :func:`concentration`, :func:`generalized_gini`;
- the before/after evaluation of a measure at a place: :func:`weighted_displacement` and
  :func:`wdd_counts` (weighted displacement difference);
- the uncertainty of a survey share: :func:`wilson_interval` (95 % Wilson score interval);
- rates that small areas do not distort: :func:`empirical_bayes_rates` and
  :func:`spatial_empirical_bayes_rates` (empirical Bayes per-1,000 rates, global and with
  neighbours), :func:`queen_neighbours` (queen contiguity of polygons).

The same names are importable from :mod:`geo_trygg.lagesbild`, as before.
"""

from __future__ import annotations

from geo_trygg.stats._change import (
    CHANGE_CODES,
    MIN_EVENTS,
    benjamini_hochberg,
    change_codes,
    change_labels,
    change_table,
    change_test,
)
from geo_trygg.stats._concentration import concentration, generalized_gini
from geo_trygg.stats._evaluation import (
    MIN_TARGET_EVENTS,
    MIN_WDD_EVENTS,
    WDD_AREAS,
    WDDResult,
    wdd_counts,
    weighted_displacement,
)
from geo_trygg.stats._proportion import wilson_interval
from geo_trygg.stats._smoothing import (
    empirical_bayes_rates,
    queen_neighbours,
    spatial_empirical_bayes_rates,
)

__all__ = [
    "CHANGE_CODES",
    "MIN_EVENTS",
    "MIN_TARGET_EVENTS",
    "MIN_WDD_EVENTS",
    "WDD_AREAS",
    "WDDResult",
    "benjamini_hochberg",
    "change_codes",
    "change_labels",
    "change_table",
    "change_test",
    "concentration",
    "empirical_bayes_rates",
    "generalized_gini",
    "queen_neighbours",
    "spatial_empirical_bayes_rates",
    "wdd_counts",
    "weighted_displacement",
    "wilson_interval",
]
