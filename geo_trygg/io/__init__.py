"""Readers: findings, events, plain points and areas from files into canonical GeoDataFrames.

Every reader returns an :class:`~geo_trygg.io.result.IngestResult`; see ``docs/data-model.md``.
Count tables (:func:`read_counts`), survey indicators (:func:`read_indicators`: shares per
area and year, with their uncertainty) and the status files responsible actors send back
(:func:`read_status_updates`) are read by the same rules, and so are the police's lists of
utsatta områden, one edition at a time (:func:`read_utsatta_omraden`).
"""

from __future__ import annotations

from geo_trygg.io.counts import read_counts
from geo_trygg.io.duplicates import flag_duplicates
from geo_trygg.io.indicators import read_indicators
from geo_trygg.io.measure_areas import read_measure_areas
from geo_trygg.io.police import read_police_events
from geo_trygg.io.readers import read_areas, read_events, read_findings, read_points
from geo_trygg.io.result import IngestResult, IngestSummary
from geo_trygg.io.status import read_status_updates
from geo_trygg.io.utsatta import read_utsatta_omraden
from geo_trygg.io.write import write_points, write_rejected

__all__ = [
    "IngestResult",
    "IngestSummary",
    "flag_duplicates",
    "read_areas",
    "read_counts",
    "read_events",
    "read_findings",
    "read_indicators",
    "read_measure_areas",
    "read_points",
    "read_police_events",
    "read_status_updates",
    "read_utsatta_omraden",
    "write_points",
    "write_rejected",
]
