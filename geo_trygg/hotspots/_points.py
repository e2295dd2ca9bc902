"""Points for hotspot analysis: only points with a precise location, in a metric CRS.

A hotspot is a statement about a *spot*. Events known only to a kommun or county (the police
events API places them on the kommun's centre point) would pile up at that point and show a
false hotspot, so every hotspot function takes only points whose ``location_precision`` is
``exact`` or ``address`` (points without the column count as exact), leaves the others out
with a warning that says how many and why, and refuses outright when no precise point is left.
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo_trygg import _validate
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_geoframe

__all__ = ["PRECISE", "check_metric", "precise_points"]

PRECISE = ("exact", "address")
"""``location_precision`` values precise enough for a hotspot."""


def check_metric(frame: Any, name: str) -> gpd.GeoDataFrame:
    """ConfigError unless ``frame`` is a GeoDataFrame in a projected CRS in metres."""
    frame = check_geoframe(name, frame)
    hint = f"set it (e.g. {name}.set_crs('EPSG:3006')) or read it with geo_trygg's readers"
    _validate.check_metric(name, frame, hint=hint)
    return frame


def precise_points(
    points: Any, *, name: str = "events"
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """The points with a precise location and coordinates, and counts of those left out.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Point events or findings in a projected CRS in metres (e.g. the ``.accepted`` of
        :func:`geo_trygg.read_events`).
    name : str, default "events"
        Argument name for messages.

    Returns
    -------
    kept : geopandas.GeoDataFrame
        The rows kept, on the caller's index, in the caller's order.
    counts : dict
        ``n_input``, ``n_kept``, ``n_coarse`` (precision coarser than an address) and
        ``n_no_geometry``; ``n_input == n_kept + n_coarse + n_no_geometry``.

    Raises
    ------
    ConfigError
        When ``points`` is not a GeoDataFrame in a metric CRS, holds geometries that are not
        points, or has no precise point at all (the message says why coarse points cannot make
        hotspots).

    Warns
    -----
    GeoTryggWarning
        When some points are left out.

    Examples
    --------
    >>> import geopandas as gpd
    >>> pts = gpd.GeoDataFrame({"location_precision": ["exact", "kommun", "address"]},
    ...     geometry=gpd.points_from_xy([0, 5, 10], [0, 5, 10]), crs="EPSG:3006")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     kept, counts = precise_points(pts)
    >>> kept.index.tolist(), counts["n_coarse"]
    ([0, 2], 1)
    """
    frame = check_metric(points, name)
    geoms = np.asarray(frame.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)  # -1 for a missing geometry
    present = types >= 0
    present[present] = ~shapely.is_empty(geoms[present])
    if (types[present] != 0).any():
        names = gpd.GeoSeries(geoms[present & (types != 0)]).geom_type.unique()
        raise ConfigError(
            f"{name} must hold point geometries; got {', '.join(sorted(map(str, names)))}"
        )
    if "location_precision" in frame.columns:
        column = frame["location_precision"]
        precise = (column.isin(PRECISE) | column.isna()).to_numpy()
    else:
        precise = np.ones(len(frame), dtype=bool)
    coarse = present & ~precise
    keep = present & precise
    counts = {
        "n_input": len(frame),
        "n_kept": int(keep.sum()),
        "n_coarse": int(coarse.sum()),
        "n_no_geometry": int((~present).sum()),
    }
    shown = ""
    if coarse.any():
        tally = frame.loc[coarse, "location_precision"].astype(str).value_counts().sort_index()
        shown = ", ".join(f"{k}: {v}" for k, v in tally.items())
    if len(frame) and not keep.any():
        raise ConfigError(
            msg("hotspot_no_precise_points", name=name, n=len(frame), shown=shown or "-")
        )
    if counts["n_coarse"]:
        warnings.warn(
            msg(
                "hotspot_coarse_points_left_out",
                name=name,
                n=counts["n_coarse"],
                total=len(frame),
                shown=shown,
            ),
            GeoTryggWarning,
            stacklevel=3,
        )
    if counts["n_no_geometry"]:
        warnings.warn(
            msg("hotspot_points_without_geometry", name=name, n=counts["n_no_geometry"]),
            GeoTryggWarning,
            stacklevel=3,
        )
    return (frame if keep.all() else frame[keep]), counts
