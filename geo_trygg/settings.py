"""Typed, module-level settings (in the style of ``osmnx.settings``).

Attributes
----------
lang : {"sv", "en"}
    Language of every text a user reads: rejection reasons, warnings, CLI messages,
    map and report labels. Swedish by default.
working_crs : str
    The metric CRS every geometry is returned in unless a function is given ``to_crs=``.
"""

from __future__ import annotations

from typing import Literal

lang: Literal["sv", "en"] = "sv"
working_crs: str = "EPSG:3006"
