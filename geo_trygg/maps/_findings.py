"""Walk findings on the map: one GeoJSON layer of markers with a shared popup template.

A marker's colour and icon say the category (Okabe–Ito colours, which colour-blind readers
tell apart, and a Font Awesome icon), its shape the status: a circle while open or in progress,
a square with a black frame when **overdue** (deadline passed and not done — the lägesbild's
overdue list decides), a small faded circle when done or rejected. The popup shows id,
category, description, responsible actor, status, deadline and walk date, built from the
feature's properties by the map's runtime (text, never HTML). Property keys are one letter and
labels come from lookup tables written once, to keep each finding well within 300 bytes beyond
its own text. More than :data:`CLUSTER_ABOVE` findings are clustered.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.maps._layers import ClusteredLayer, DataLayer, feature_collection
from geo_trygg.vocab.findings import FINDING_CATEGORIES, label

__all__ = ["CLUSTER_ABOVE", "FINDING_COLOURS", "FINDING_ICONS", "findings_layer"]

CLUSTER_ABOVE = 1_000
"""More findings than this are drawn in a marker cluster group (only clusters in view become
page elements: 20,000 single markers take half a minute to draw)."""

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
    "unsafe_passage": "archway",
    "unauthorized_settlement": "tent",
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
)
_MORE_COLOURS = {"unsafe_passage": "#44AA99", "unauthorized_settlement": "#332288"}
"""Colours of the categories added by issue 17 (Paul Tol's muted scheme), so that every
earlier category keeps its colour."""
FINDING_COLOURS = {
    **dict(zip(FINDING_CATEGORIES, _OKABE_ITO, strict=False)),
    **_MORE_COLOURS,
    "other": "#666666",
}
"""Colour of each finding category (``other`` grey)."""
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
    codes = ["overdue" if c == "overdue" else s for s, c in zip(status, status_class, strict=True)]
    props = gpd.GeoDataFrame(
        {
            "id": ids,
            "c": categories,
            "t": column("description"),
            "a": column("responsible_actor"),
            "s": codes,
            "d": [_day(v) for v in column("deadline")],
            "w": [_day(v) for v in column("walk_date")],
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    fields = [
        ["id", msg("map_field_finding_id", lang)],
        ["c", msg("map_field_category", lang)],
        ["t", msg("map_field_description", lang)],
        ["a", msg("map_field_actor", lang)],
        ["s", msg("map_field_status", lang)],
        ["d", msg("map_field_deadline", lang)],
        ["w", msg("map_field_walk_date", lang)],
    ]
    seen_actors = sorted({a for a in column("responsible_actor").dropna() if isinstance(a, str)})
    spec = {
        "kind": "finding",
        "style": {},
        "popup": fields,
        "tooltip": [["s", msg("map_field_status", lang)]],
        "title_key": "c",
        "value_labels": {
            "c": {c: label(c, lang) for c in FINDING_CATEGORIES},
            "a": {a: label(a, lang, kind="actor") for a in seen_actors},
            "s": {
                **{s: label(s, lang, kind="status") for s in ("new", "in_progress", *_CLOSED)},
                "overdue": msg("map_overdue", lang),
            },
        },
        "icons": FINDING_ICONS,
        "icon_default": "circle-question",
        "colours": FINDING_COLOURS,
        "colour_default": "#444444",
        "shapes": {
            "new": "open",
            "in_progress": "open",
            "overdue": "overdue",
            "done": "done",
            "rejected": "done",
        },
    }
    data = feature_collection(props, ["id", "c", "t", "a", "s", "d", "w"])
    kind = ClusteredLayer if len(props) > CLUSTER_ABOVE else DataLayer
    layer = kind(data, spec, name=msg("map_layer_findings", lang))
    present = [c for c in FINDING_CATEGORIES if c in set(categories.dropna())]
    rows = [
        {"kind": "marker", "colour": FINDING_COLOURS[c], "icon": c, "label": label(c, lang)}
        for c in present
    ]
    rows += [  # drawn as the markers are: circle, square with a black frame, pale
        {"kind": "marker", "shape": shape, "label": label}
        for shape, label in (
            ("open", msg("map_status_open", lang)),
            ("overdue", msg("map_status_overdue", lang)),
            ("done", msg("map_status_done", lang)),
        )
    ]
    return layer, {"title": msg("map_layer_findings", lang), "rows": rows}
