"""Codes, ranks and the internal records shared by the assignment modules (private)."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from geo_trygg.join._names import NameMatcher
from geo_trygg.join._pip import AreaIndex

__all__ = [
    "LEVEL_RANK",
    "MATCHED_BY",
    "POLYGON_KINDS",
    "PRECISIONS",
    "PRECISION_RANK",
    "REASONS",
    "SOURCE_KINDS",
    "Layer",
    "M",
    "Points",
    "R",
    "Result",
]

PRECISIONS = ("exact", "address", "stadsdel", "kommun", "lan")
"""Allowed ``location_precision`` values, finest to coarsest."""
PRECISION_RANK = {"exact": 0, "address": 0, "stadsdel": 1, "kommun": 4, "lan": 5}
"""Rank of each location precision (0 = a real position)."""
LEVEL_RANK = {
    "stadsdel": 1,
    "deso": 1,
    "regso": 1,
    "place": 1,
    "utsatt_omrade": 1,
    "stadsdelsomrade": 2,
    "lpo": 2,
    "polisomrade": 3,
    "kommun": 4,
    "lan": 5,
    "polisregion": 6,
}
"""Precision rank of each area level: a point is placed by geometry only in coarser levels."""
MATCHED_BY = (None, "point", "snap", "name", "location", "crosswalk")
"""Values of ``<level>_matched_by`` (None: not assigned)."""
REASONS = (
    None,
    "outside",
    "on_boundary",
    "too_coarse",
    "ambiguous_name",
    "location_unknown",
    "no_geometry",
    "name_conflict",
)
"""Values of ``<level>_reason`` (None: assigned)."""

M = {v: i for i, v in enumerate(MATCHED_BY)}
R = {v: i for i, v in enumerate(REASONS)}
SOURCE_KINDS = np.array([M["point"], M["snap"], M["name"], M["location"]], dtype=np.int8)
POLYGON_KINDS = np.array([M["point"], M["snap"]], dtype=np.int8)


@dataclass
class Layer:
    """One validated area layer: arrays by area position, indexes built on first use.

    ``containers`` holds the layer's own ``kommun`` / ``lan`` columns (by area position) when
    it has them; ``aliases`` the ``(area, alias)`` pairs of its level; ``reserved`` the kommun
    and län names that are never used as a part or alias of an area.
    """

    level: str
    label: str
    geoms: np.ndarray
    names: np.ndarray
    ids: np.ndarray
    order_key: np.ndarray
    containers: dict[str, np.ndarray] = field(default_factory=dict)
    aliases: tuple[tuple[str, str], ...] = ()
    reserved: frozenset[str] = frozenset()
    _index: AreaIndex | None = None
    _matcher: NameMatcher | None = None
    _tree: shapely.STRtree | None = None

    @property
    def index(self) -> AreaIndex:
        if self._index is None:
            self._index = AreaIndex(self.geoms, self.order_key)
        return self._index

    @property
    def matcher(self) -> NameMatcher:
        if self._matcher is None:
            self._matcher = NameMatcher(
                list(self.names), level=self.level, aliases=self.aliases, reserved=self.reserved
            )
        return self._matcher

    @property
    def searched(self) -> bool:
        """Whether texts were searched for this layer's names (its matcher was built)."""
        return self._matcher is not None


@dataclass
class Result:
    """One layer's assignment: area position (-1: none), ``MATCHED_BY`` and ``REASONS`` codes."""

    idx: np.ndarray
    mb: np.ndarray
    reason: np.ndarray
    n_boundary: int = 0
    n_overlap: int = 0
    n_disagreements: int = 0
    candidates: dict[int, list[int]] = field(default_factory=dict)
    """Rows whose text names several areas (reason ``ambiguous_name``): those areas."""


@dataclass
class Points:
    """The validated points: coordinates (NaN when missing) and precision ranks."""

    frame: gpd.GeoDataFrame
    geoms: np.ndarray
    x: np.ndarray
    y: np.ndarray
    has_geom: np.ndarray
    rank: np.ndarray
    precision: np.ndarray | None
    text_columns: tuple[str, ...]
