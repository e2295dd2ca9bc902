"""Maps of the lägesbild for planners who open HTML without Python.

:func:`lagesbild_map` builds a layered folium map (boundaries, choropleth, findings, events or
hotspot cells, legends, title, banner, search, print layout); :func:`save_map` writes it,
deterministically, and self-contained on request. Every text from the data is shown as text.
See ``docs/maps.md``.
"""

from __future__ import annotations

from geo_trygg.maps._map import INDICATORS, lagesbild_map

__all__ = ["INDICATORS", "lagesbild_map"]
