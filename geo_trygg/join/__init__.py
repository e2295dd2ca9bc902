"""Area assignment: points to areas, points to named places, and overlays of two layers.

- :func:`assign_areas` — one area per point and layer (stadsdel, stadsdelsområde, LPO,
  kommun, ...), with a deterministic boundary rule, snapping, location-precision rules and
  hierarchies kept consistent through a crosswalk.
- :func:`places_within` — the named places (platssamverkan sites) each point lies in or near.
- :func:`match_indicator_areas`, :func:`indicators_for_areas` — survey areas (named in
  tables) matched to the crosswalks' areas in the survey's division, and to a lägesbild's.
- :func:`overlay_areas` — the pieces of two layers' intersection and their shares.
- :func:`utsatta_timeline`, :func:`utsatta_overlaps`, :func:`utsatta_lpo_check` — the
  police's utsatta områden over editions, and the areas and LPOs they lie in.
"""

from __future__ import annotations

from geo_trygg.join.assign import (
    LEVEL_RANK,
    MATCHED_BY,
    PRECISION_RANK,
    PRECISIONS,
    REASONS,
    assign_areas,
)
from geo_trygg.join.indicators import (
    AREA_MATCH_CODES,
    AREA_RELATIONS,
    indicators_for_areas,
    match_indicator_areas,
)
from geo_trygg.join.overlay import SLIVER_TOLERANCE_M2, overlay_areas
from geo_trygg.join.places import places_within
from geo_trygg.join.utsatta import utsatta_lpo_check, utsatta_overlaps, utsatta_timeline

__all__ = [
    "AREA_MATCH_CODES",
    "AREA_RELATIONS",
    "LEVEL_RANK",
    "MATCHED_BY",
    "PRECISIONS",
    "PRECISION_RANK",
    "REASONS",
    "SLIVER_TOLERANCE_M2",
    "assign_areas",
    "indicators_for_areas",
    "match_indicator_areas",
    "overlay_areas",
    "places_within",
    "utsatta_lpo_check",
    "utsatta_overlaps",
    "utsatta_timeline",
]
