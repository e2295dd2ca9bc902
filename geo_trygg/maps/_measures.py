"""Measure areas on the map: camera surveillance, ordningsvakter and other measures.

Each kind is a layer of its own in the group "Åtgärdsområden" (kamerabevakning,
ordningsvakter, andra åtgärder), drawn in its colour and line (solid, dashed, dotted, so
the kinds differ without colour too); a popup names the area, its kind, its hours in words
(``kl. 23–07``), its validity and its decision. Only the versions in force on some day of
the map's period are drawn. The texts reach the page as JSON data, written into the popup
by the runtime as text (never as HTML).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.io.measure_areas import MEASURE_AREA_KINDS, hours_words
from geo_trygg.labels import measure_area_kind_names
from geo_trygg.maps._layers import DataLayer, feature_collection

__all__ = ["MEASURE_STYLES", "measure_layers", "validity_text"]

MEASURE_STYLES = {  # kind -> (colour, dashArray or None, the legend's line name)
    "camera": ("#6a3d9a", None, "solid"),
    "ordningsvakt": ("#1f78b4", "8 5", "dashed"),
    "other": ("#b15928", "2 4", "dotted"),
}


def _day_text(value: Any) -> str | None:
    try:
        if value is None or bool(pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value.isoformat())[:10] if hasattr(value, "isoformat") else str(value)


def validity_text(valid_from: Any, valid_to: Any, lang: str) -> str:
    """``"2025-03-01 – 2025-05-31"``, or ``"från 2025-03-01"`` when open."""
    start, end = _day_text(valid_from), _day_text(valid_to)
    if end is None:
        return msg("mlayer_valid_open", lang, start=start)
    return msg("mlayer_valid_span", lang, start=start, end=end)


def measure_layers(
    frame: gpd.GeoDataFrame, lang: str
) -> tuple[list[tuple[str, DataLayer]], dict[str, Any]]:
    """The measure areas' layers (``[(kind, layer)]``, kinds in :data:`MEASURE_AREA_KINDS`
    order, only those present) and their legend section."""
    kinds = measure_area_kind_names(lang)
    fields = [
        ["name", msg("map_field_name", lang)],
        ["kind_text", msg("mlayer_field_kind", lang)],
        ["hours_text", msg("mlayer_field_hours", lang)],
        ["valid_text", msg("mlayer_field_valid", lang)],
        ["decision", msg("mlayer_field_decision", lang)],
    ]
    names = {
        "camera": msg("mlayer_layer_camera", lang),
        "ordningsvakt": msg("mlayer_layer_ordningsvakt", lang),
        "other": msg("mlayer_layer_other", lang),
    }
    layers: list[tuple[str, DataLayer]] = []
    rows = []
    for kind in MEASURE_AREA_KINDS:
        part = frame[frame["kind"] == kind]
        if part.empty:
            continue
        shown = gpd.GeoDataFrame(
            {
                "name": part["name"].astype(str).to_numpy(),
                "kind_text": kinds[kind],
                "hours_text": [hours_words(h, lang) for h in part["hours"]],
                "valid_text": [
                    validity_text(a, b, lang)
                    for a, b in zip(part["valid_from"], part["valid_to"], strict=True)
                ],
                "decision": part["decision"].to_numpy() if "decision" in part.columns else None,
            },
            geometry=part.geometry.to_numpy(),
            crs=part.crs,
        )
        colour, dash, line = MEASURE_STYLES[kind]
        style: dict[str, Any] = {
            "color": colour,
            "weight": 2.5,
            "fillColor": colour,
            "fillOpacity": 0.15,
            "className": f"gt-layer-measure-{kind}",
        }
        if dash:
            style["dashArray"] = dash
        spec = {
            "kind": "extra",
            "style": style,
            "tooltip": fields[:3],
            "popup": fields[1:],
            "title_key": "name",
        }
        data = feature_collection(shown, [f[0] for f in fields])
        layers.append((kind, DataLayer(data, spec, name=names[kind])))
        rows.append({"kind": "line", "colour": colour, "dash": line, "label": names[kind]})
    section = {"title": msg("map_group_measures", lang), "rows": rows}
    return layers, section
