"""Walk findings on the map: one GeoJSON layer of markers with a shared popup template.

A marker's colour and icon say the category (Okabe–Ito colours, which colour-blind readers
tell apart, and a Font Awesome icon), its shape the status: a circle while open or in progress,
a square with a black frame when **overdue** (deadline passed and not done — the lägesbild's
overdue list decides), a small faded circle when done or rejected. The popup shows id,
category, description, responsible actor, status, deadline and walk date, built from the
feature's properties by the map's runtime (text, never HTML). Property keys are short to keep
each finding within 300 bytes beyond its own text.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.maps._layers import DataLayer, feature_collection
from geo_trygg.vocab.findings import FINDING_CATEGORIES, label

__all__ = ["FINDING_COLOURS", "FINDING_ICONS", "findings_layer"]

FINDING_ICONS = {
    "lighting": "lightbulb",
    "vegetation": "tree",
    "hiding_places": "eye-slash",
    "litter": "trash",
    "graffiti_vandalism": "spray-can",
    "broken_equipment": "screwdriver-wrench",
    "traffic": "car",
    "empty_premises": "store-slash",
    "drugs": "syringe",
    "other": "circle-info",
}
"""Font Awesome 6 (solid) icon of each finding category."""
_OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
    "#999933",
    "#882255",
    "#666666",
)
FINDING_COLOURS = dict(zip(FINDING_CATEGORIES, _OKABE_ITO, strict=False))
_CLOSED = ("done", "rejected")


def _day(value: Any) -> Any:
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date().isoformat()


def findings_layer(
    findings: gpd.GeoDataFrame, overdue: set[str], lang: str
) -> tuple[DataLayer, dict[str, Any]]:
    """The findings layer and its legend section."""
    frame = findings[~findings.geometry.isna() & ~findings.geometry.is_empty]

    def column(name: str) -> pd.Series:
        return frame[name] if name in frame.columns else pd.Series(None, index=frame.index)

    ids = column("finding_id").astype(object).where(column("finding_id").notna(), None)
    status = column("status").astype(object)
    status_class = [
        "done" if s in _CLOSED else ("overdue" if str(i) in overdue else "open")
        for s, i in zip(status, ids, strict=True)
    ]
    categories = column("category").astype(object)
    props = gpd.GeoDataFrame(
        {
            "id": ids,
            "cat": categories,
            "cat_l": [label(c, lang) if isinstance(c, str) else None for c in categories],
            "text": column("description"),
            "actor": [
                label(a, lang, kind="actor") if isinstance(a, str) else None
                for a in column("responsible_actor")
            ],
            "st_l": [
                msg("map_overdue", lang)
                if c == "overdue"
                else (label(s, lang, kind="status") if isinstance(s, str) else None)
                for s, c in zip(status, status_class, strict=True)
            ],
            "status_class": status_class,
            "due": [_day(v) for v in column("deadline")],
            "walk": [_day(v) for v in column("walk_date")],
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    fields = [
        ["id", msg("map_field_finding_id", lang)],
        ["cat_l", msg("map_field_category", lang)],
        ["text", msg("map_field_description", lang)],
        ["actor", msg("map_field_actor", lang)],
        ["st_l", msg("map_field_status", lang)],
        ["due", msg("map_field_deadline", lang)],
        ["walk", msg("map_field_walk_date", lang)],
    ]
    spec = {
        "kind": "finding",
        "style": {},
        "popup": fields,
        "tooltip": [["st_l", msg("map_field_status", lang)]],
        "title_key": "cat_l",
        "icons": FINDING_ICONS,
        "icon_default": "circle-question",
        "colours": FINDING_COLOURS,
        "colour_default": "#444444",
        "shapes": {"open": "open", "overdue": "overdue", "done": "done"},
    }
    data = feature_collection(props, [c for c in props.columns if c != "geometry"])
    layer = DataLayer(data, spec, name=msg("map_layer_findings", lang))
    present = [c for c in FINDING_CATEGORIES if c in set(categories.dropna())]
    rows = [
        {"kind": "marker", "colour": FINDING_COLOURS[c], "icon": c, "label": label(c, lang)}
        for c in present
    ]
    rows += [
        {"kind": "marker", "colour": "#777777", "label": msg(f"map_status_{s}", lang)}
        for s in ("open", "overdue", "done")
    ]
    return layer, {"title": msg("map_layer_findings", lang), "rows": rows}
