"""Canonical column lists shared by the readers (see ``docs/data-model.md``)."""

from __future__ import annotations

__all__ = ["EVENT_COLUMNS"]

EVENT_COLUMNS = [
    "event_id",
    "time_from",
    "time_to",
    "published",
    "category",
    "source_type",
    "source",
    "location_precision",
    "location_name",
    "kommun",
    "duplicate_group",
    "text",
    "url",
    "source_row",
    "coords_swapped",
    "geometry",
]
"""Canonical columns of accepted events, in order."""
