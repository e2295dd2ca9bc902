"""Events on the map: a heat layer of the precisely located ones, or hotspot cells.

Only events with ``location_precision`` ``exact`` or ``address`` are drawn; coarser ones (e.g.
police events known only to a kommun) count in their area's tooltip and are said in the title
box. Up to :data:`POINT_LIMIT` events the heat layer holds each event at about 1 m; above it the
events are summed on a square lattice in the working CRS (10 m, doubled until at most
:data:`POINT_LIMIT` lattice cells hold events) and drawn as weighted points, so the HTML stays
under 5 MB for any number of events.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from folium import plugins

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.labels import hotspot_class_names
from geo_trygg.maps._layers import DECIMALS, DataLayer, feature_collection

__all__ = ["POINT_LIMIT", "event_layer", "hotspot_layer"]

POINT_LIMIT = 20_000
_PRECISE = ("exact", "address")
_HOT = {
    "hot_99": "#b2182b",
    "hot_95": "#ef8a62",
    "hot_90": "#fddbc7",
    "cold_90": "#d1e5f0",
    "cold_95": "#67a9cf",
    "cold_99": "#2166ac",
}


def event_layer(events: gpd.GeoDataFrame, lang: str) -> tuple[Any, str]:
    """The heat layer (None without precise events) and a sentence for the title box."""
    geoms = np.asarray(events.geometry.array, dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if "location_precision" in events.columns:
        column = events["location_precision"]
        precise = (column.isin(_PRECISE) | column.isna()).to_numpy() & present
    else:
        precise = present
    n_coarse = int((present & ~precise).sum())
    note = msg("map_events_note", lang, n=int(precise.sum()), coarse=n_coarse)
    if not precise.any():
        return None, note
    metric = gpd.GeoSeries(geoms[precise], crs=events.crs)
    if not metric.crs.is_projected:
        metric = metric.to_crs("EPSG:3006")
    xy = shapely.get_coordinates(metric.to_numpy())
    weights = np.ones(len(xy))
    if len(xy) > POINT_LIMIT:
        size = 10.0
        while True:
            keys = np.floor(xy / size).astype(np.int64)
            cells, inverse = np.unique(keys, axis=0, return_inverse=True)
            if len(cells) <= POINT_LIMIT:
                break
            size *= 2
        weights = np.bincount(inverse.ravel(), minlength=len(cells)).astype(float)
        xy = (cells + 0.5) * size
    wgs = gpd.GeoSeries(shapely.points(xy), crs=metric.crs).to_crs("EPSG:4326")
    coords = np.round(shapely.get_coordinates(wgs.to_numpy()), DECIMALS)
    order = np.lexsort((coords[:, 0], coords[:, 1]))  # same bytes for the same events
    data = [[float(coords[i, 1]), float(coords[i, 0]), float(weights[i])] for i in order]
    heat = plugins.HeatMap(
        data,
        name=msg("map_layer_heat", lang),
        radius=14,
        blur=18,
        min_opacity=0.3,
    )
    return heat, note


def hotspot_layer(cells: gpd.GeoDataFrame, lang: str) -> tuple[DataLayer, dict[str, Any]]:
    """Gi* cells (hot and cold spots only) and their legend section."""
    if "hotspot" not in cells.columns:
        raise ConfigError(
            "hotspots must be cells from geo_trygg.hotspots.gi_star (a 'hotspot' column)"
        )
    shown = cells[cells["hotspot"].isin(list(_HOT))].copy()
    labels = hotspot_class_names(lang)
    shown["label"] = [labels[c] for c in shown["hotspot"]]
    shown["z"] = [round(float(z), 2) for z in shown.get("gi_z", np.nan)]
    fields = [["label", msg("map_field_hotspot", lang)], ["z", "z"]]
    spec = {
        "kind": "cell",
        "style": {"weight": 0.5, "color": "#555555", "fillOpacity": 0.65},
        "tooltip": fields,
        "fill_key": "hotspot",
        "fills": _HOT,
        "fill_default": "#cccccc",
    }
    data = feature_collection(shown, ["hotspot", "label", "z"])
    layer = DataLayer(data, spec, name=msg("map_layer_hotspots", lang))
    rows = [
        {"kind": "fill", "colour": colour, "label": labels[code]} for code, colour in _HOT.items()
    ]
    return layer, {"title": msg("map_layer_hotspots", lang), "rows": rows}
