"""Typed, module-level settings (in the style of ``osmnx.settings``).

Attributes
----------
lang : {"sv", "en"}
    Language of every text a user reads: rejection reasons, warnings, CLI messages,
    map and report labels (the sentences of ``geo_trygg/data/messages/<lang>.toml``).
    Swedish by default; ``geo-trygg --lang`` sets it for a command, its help included.
working_crs : str
    The metric CRS every geometry is returned in unless a function is given ``to_crs=``.
"""

from __future__ import annotations

from typing import Literal

lang: Literal["sv", "en"] = "sv"
working_crs: str = "EPSG:3006"
