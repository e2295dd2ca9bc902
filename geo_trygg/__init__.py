"""geo_trygg: place-based safety work (trygghetsarbete) in Swedish cities.

Messy real-world inputs in (Swedish CSV/Excel exports, GeoJSON/GeoPackage/Shapefile, the police
events API), clean points with their areas out, and on top of that the lägesbild, hotspots, maps
and meeting packs.

The public surface:

- readers: :func:`read_findings`, :func:`read_events`, :func:`read_areas`, :func:`read_points`
  → :class:`IngestResult`;
- area assignment: :func:`assign_areas`, :func:`places_within`, :func:`overlay_areas`;
- boundaries: :func:`load_crosswalk`, :func:`crosswalk_mapping`, :func:`select_version`,
  :func:`derive_lpo`;
- :func:`flag_duplicates` for events concatenated from several sources.

The larger pieces live in subpackages, each with its own small surface:
:mod:`geo_trygg.lagesbild` (``build_lagesbild``, ``build_lagesbilder``),
:mod:`geo_trygg.hotspots` (grids, KDE, Gi*, classification, near-repeat),
:mod:`geo_trygg.maps` (``lagesbild_map``, ``save_map``, ``map_to_png``) and
:mod:`geo_trygg.pack` (meeting packs, ``geo-trygg build``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo_trygg._errors import (
    ConfigError,
    CRSMismatchError,
    GeoTryggError,
    GeoTryggWarning,
    ReadError,
    RegisterError,
    RowError,
)

if TYPE_CHECKING:
    from geo_trygg.boundaries import (
        crosswalk_mapping,
        derive_lpo,
        load_crosswalk,
        select_version,
    )
    from geo_trygg.io.duplicates import flag_duplicates
    from geo_trygg.io.readers import read_areas, read_events, read_findings, read_points
    from geo_trygg.io.result import IngestResult, IngestSummary
    from geo_trygg.join import assign_areas, overlay_areas, places_within

# The functions are imported on first use (PEP 562), so that ``import geo_trygg`` is quick
# and the command line can turn a Ctrl-C during its start into a message (the heavy
# libraries, geopandas first, load only when a command needs them).
_LAZY = {
    "crosswalk_mapping": "geo_trygg.boundaries",
    "derive_lpo": "geo_trygg.boundaries",
    "load_crosswalk": "geo_trygg.boundaries",
    "select_version": "geo_trygg.boundaries",
    "flag_duplicates": "geo_trygg.io.duplicates",
    "read_areas": "geo_trygg.io.readers",
    "read_events": "geo_trygg.io.readers",
    "read_findings": "geo_trygg.io.readers",
    "read_points": "geo_trygg.io.readers",
    "IngestResult": "geo_trygg.io.result",
    "IngestSummary": "geo_trygg.io.result",
    "assign_areas": "geo_trygg.join",
    "overlay_areas": "geo_trygg.join",
    "places_within": "geo_trygg.join",
}


_SUBMODULES = frozenset(
    {"boundaries", "catalogue", "crosswalks", "crs", "demo", "hotspots", "io", "join"}
    | {"lagesbild", "maps", "pack", "plan", "register", "settings", "vocab"}
)
"""Subpackages and modules reached as attributes (``gt.io.read_points``), imported on use."""


def __getattr__(name: str) -> Any:
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f"geo_trygg.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo_trygg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


__version__ = "0.1.0"

__all__ = [
    "CRSMismatchError",
    "ConfigError",
    "GeoTryggError",
    "GeoTryggWarning",
    "IngestResult",
    "IngestSummary",
    "ReadError",
    "RegisterError",
    "RowError",
    "__version__",
    "assign_areas",
    "crosswalk_mapping",
    "derive_lpo",
    "flag_duplicates",
    "load_crosswalk",
    "overlay_areas",
    "places_within",
    "read_areas",
    "read_events",
    "read_findings",
    "read_points",
    "select_version",
]
