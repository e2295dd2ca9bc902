"""Map layers from GeoDataFrames: GeoJSON in WGS84, small and safe.

- Coordinates are rounded to 5 decimals (about 1 m).
- Boundaries are simplified with ``shapely.coverage_simplify`` in the metric CRS, which keeps
  shared edges shared (simplifying each polygon on its own leaves slivers between
  neighbours); a layer that is not a valid coverage is simplified polygon by polygon with
  ``preserve_topology``.
- Every layer is one ``L.geoJSON`` with its data as JSON (:func:`~geo_trygg.maps._safe.
  script_json`) and one options object built by the map's runtime (popups and tooltips from a
  shared template, not one folium Popup object per feature).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium import plugins
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo_trygg.crs import validate_working_crs
from geo_trygg.maps._safe import script_json, text

__all__ = ["ClusteredLayer", "DataLayer", "feature_collection", "simplified"]

DECIMALS = 5


def simplified(geoms: Any, tolerance: float) -> np.ndarray:
    """Polygons simplified by ``tolerance`` metres, shared edges kept shared where possible."""
    arr = np.asarray(geoms, dtype=object)
    if tolerance <= 0 or len(arr) == 0:
        return arr
    polygonal = np.isin(shapely.get_type_id(arr), [3, 6])
    if polygonal.all() and bool(shapely.coverage_is_valid(arr)):
        return np.asarray(shapely.coverage_simplify(arr, tolerance), dtype=object)
    return np.asarray(shapely.simplify(arr, tolerance, preserve_topology=True), dtype=object)


def _plain(value: Any) -> Any:
    """A JSON-able value: numbers finite or None, dates as ISO text, the rest as text."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 4)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def feature_collection(
    frame: gpd.GeoDataFrame,
    properties: Sequence[str],
    *,
    tolerance: float = 0.0,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection in WGS84 with the named ``properties`` (coordinates rounded
    to about 1 m; polygons simplified by ``tolerance`` metres first)."""
    geoms = frame.geometry.to_numpy()
    if tolerance > 0:
        validate_working_crs(frame.crs, name="layer CRS")
        geoms = simplified(geoms, tolerance)
    wgs = gpd.GeoSeries(geoms, crs=frame.crs).to_crs("EPSG:4326").to_numpy()
    wgs = shapely.transform(wgs, lambda xy: np.round(xy, DECIMALS))
    features = []
    columns = {p: frame[p].tolist() for p in properties if p in frame.columns}
    for i, geom in enumerate(wgs):
        if geom is None or shapely.is_empty(geom):
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(geom)),
                "properties": {p: _plain(values[i]) for p, values in columns.items()},
            }
        )
    return {"type": "FeatureCollection", "features": features}


class DataLayer(Layer):
    """One ``L.geoJSON`` layer: data and a spec for the runtime's ``geoTrygg.options``.

    Parameters
    ----------
    data : dict
        A GeoJSON FeatureCollection (:func:`feature_collection`).
    spec : dict
        ``kind`` ("area", "finding", "cell", "extra"), ``style``, ``tooltip``/``popup`` field
        lists ``[[key, label], …]``, ``title_key``, ``search``, and for fills ``fill_key``,
        ``fills`` (value → colour) and ``fill_default``; for findings ``icons``, ``colours``,
        ``shapes``.
    name : str
        Shown in the layer control (escaped here: Leaflet writes it as HTML).
    show : bool
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_json }},
            geoTrygg.options({{ this.spec_json }}));
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self, data: dict[str, Any], spec: dict[str, Any], *, name: str, show: bool = True
    ):
        super().__init__(name=text(name), overlay=True, control=True, show=show)
        self._name = "GeoTryggLayer"
        self.data_json = script_json(data)
        self.spec_json = script_json(spec)
        self.n_features = len(data.get("features", []))


class ClusteredLayer(JSCSSMixin, DataLayer):
    """A :class:`DataLayer` of points in a marker cluster group (Leaflet.markercluster), for
    layers with many markers: only the clusters in view become page elements."""

    default_js = plugins.MarkerCluster.default_js
    default_css = plugins.MarkerCluster.default_css

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup(
            {disableClusteringAtZoom: 17, chunkedLoading: true, showCoverageOnHover: false});
        {{ this.get_name() }}.addLayer(L.geoJSON({{ this.data_json }},
            geoTrygg.options({{ this.spec_json }})));
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )
