"""geo_trygg: place-based safety work (trygghetsarbete) in Swedish cities.

Messy real-world inputs in (Swedish CSV/Excel exports, GeoJSON/GeoPackage/Shapefile, the police
events API), clean points with their areas out, and on top of that the lägesbild, hotspots, maps
and meeting packs.
"""

from __future__ import annotations

from geo_trygg._errors import (
    ConfigError,
    CRSMismatchError,
    GeoTryggError,
    GeoTryggWarning,
    ReadError,
    RowError,
)

__version__ = "0.1.0"

__all__ = [
    "CRSMismatchError",
    "ConfigError",
    "GeoTryggError",
    "GeoTryggWarning",
    "ReadError",
    "RowError",
    "__version__",
]
