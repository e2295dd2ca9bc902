"""Hotspot analytics: where exactly inside an area, and whether a spot is a lasting hotspot.

Grids of square cells or H3 hexagons clipped to land (:func:`make_grid`), counts and kernel
density per cell (:func:`count_points`, :func:`kde`), Getis-Ord Gi* with Benjamini-Hochberg
adjustment (:func:`gi_star`), change between two periods (:func:`cell_change`),
classification of a series of periods by sfhotspot's rule (:func:`hotspot_classify`) and
Esri-style emerging hot spots (:func:`emerging_hotspots`), the Knox near-repeat test
(:func:`knox_test`) and concentration on cells (:func:`cell_concentration`,
:func:`lorenz_curve`). Only points with a precise location are used: events known only to a
kommun (e.g. the police events) are refused with a message that says why. Every result is a
GeoDataFrame of cells in the working CRS (or a tidy table) with the parameters used in
``attrs``. Classes and patterns are codes (:data:`HOTSPOT_CLASSES`, :data:`SERIES_CLASSES`,
:data:`EMERGING_PATTERNS`, :data:`KNOX_PATTERNS`, the change codes of
``geo_trygg.stats.CHANGE_CODES``): :func:`geo_trygg.labels.with_words` adds their words. See
``docs/hotspots.md``.
"""

from __future__ import annotations

from geo_trygg.hotspots._cells import count_points, locate
from geo_trygg.hotspots._change import cell_change
from geo_trygg.hotspots._classify import (
    SERIES_CLASSES,
    classify_hotspot_series,
    recent_period_count,
)
from geo_trygg.hotspots._concentration import cell_concentration, lorenz_curve
from geo_trygg.hotspots._emerging import (
    EMERGING_PATTERNS,
    emerging_hotspot_series,
    mann_kendall,
)
from geo_trygg.hotspots._gistar import HOTSPOT_CLASSES, gi_star
from geo_trygg.hotspots._grid import auto_cell_size, make_grid
from geo_trygg.hotspots._kde import kde
from geo_trygg.hotspots._knox import KNOX_PATTERNS, knox_test
from geo_trygg.hotspots._series import emerging_hotspots, gi_star_series, hotspot_classify

__all__ = [
    "EMERGING_PATTERNS",
    "HOTSPOT_CLASSES",
    "KNOX_PATTERNS",
    "SERIES_CLASSES",
    "auto_cell_size",
    "cell_change",
    "cell_concentration",
    "classify_hotspot_series",
    "count_points",
    "emerging_hotspot_series",
    "emerging_hotspots",
    "gi_star",
    "gi_star_series",
    "hotspot_classify",
    "kde",
    "knox_test",
    "locate",
    "lorenz_curve",
    "make_grid",
    "mann_kendall",
    "recent_period_count",
]
