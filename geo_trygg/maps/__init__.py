"""Maps of the lägesbild for planners who open HTML without Python.

:func:`lagesbild_map` builds a layered folium map (boundaries, choropleth, findings, events or
hotspot cells, legends, title, banner, search, print layout); :func:`save_map` writes it,
deterministically, and self-contained on request; :func:`map_to_png` makes a picture of a
saved map with headless Chromium (or Chrome or Edge) for printed meeting packs. Every text from
the data is shown as text. See ``docs/maps.md`` and ``docs/maps-assets.md``.

:func:`number` and :func:`level_name` write numbers and area levels as the map does, for the
packs' pages; :data:`SCHEMES` and :data:`INDICATORS` are what a map can be classified by and
show.
"""

from __future__ import annotations

from geo_trygg.maps._assets import ASSETS_FOLDER, asset_table, inline_assets, write_map_assets
from geo_trygg.maps._classes import SCHEMES, number
from geo_trygg.maps._context import page_levels
from geo_trygg.maps._map import INDICATORS, lagesbild_map, level_name
from geo_trygg.maps._png import find_browser, keep_browser, map_to_png
from geo_trygg.maps._save import map_html, save_map

__all__ = [
    "ASSETS_FOLDER",
    "INDICATORS",
    "SCHEMES",
    "asset_table",
    "find_browser",
    "inline_assets",
    "keep_browser",
    "lagesbild_map",
    "level_name",
    "map_html",
    "map_to_png",
    "number",
    "page_levels",
    "save_map",
    "write_map_assets",
]
