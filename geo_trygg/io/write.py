"""Writers: points with their areas to GeoPackage, GeoJSON or a Swedish-Excel-friendly CSV.

Every CSV file the project writes passes its text cells through :func:`formula_safe_text`,
so that no cell can run as a spreadsheet formula (OWASP "CSV injection"): the one rule, shared
with the Excel export, is described in :mod:`geo_trygg.export._safe` (in short: a text
starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading apostrophe unless it is a
plain number; remove one leading apostrophe to recover the original, :func:`original_text`).

Lines end with CRLF, so that a cell holding a line break (also a lone CR) is quoted and read
back as one cell (with a bare LF line end, Python's ``csv`` leaves a lone CR unquoted and the
row falls apart when read).

The rule lives in :mod:`geo_trygg.export` (every writer of the project uses it); its names are
importable from here too.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo_trygg._errors import ConfigError
from geo_trygg.crs import get_transformer
from geo_trygg.export import (
    DANGEROUS_START,
    FIXED_GPKG_DATE,
    formula_safe,
    formula_safe_text,
    original_text,
)

__all__ = [
    "DANGEROUS_START",
    "FIXED_GPKG_DATE",
    "OUTPUT_FORMATS",
    "formula_safe",
    "formula_safe_text",
    "original_text",
    "write_points",
    "write_rejected",
]

OUTPUT_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV"}
"""Output formats by file extension."""


def _csv_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Attribute table plus x/y (working CRS) and lat/lon (WGS 84) columns."""
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    x = gdf.geometry.x.to_numpy(dtype=float)
    y = gdf.geometry.y.to_numpy(dtype=float)
    df["x"] = np.round(x, 2)
    df["y"] = np.round(y, 2)
    if gdf.crs is not None and len(gdf):
        lon, lat = get_transformer(gdf.crs, "EPSG:4326").transform(x, y)
        df["lat"] = np.round(lat, 6)
        df["lon"] = np.round(lon, 6)
    for col in df.columns:
        if isinstance(df[col].dtype, pd.DatetimeTZDtype):
            df[col] = df[col].dt.strftime("%Y-%m-%d %H:%M:%S%z")
    return df


def write_points(gdf: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write a point GeoDataFrame, the format chosen by the file extension.

    ``.gpkg`` and ``.geojson`` are written with pyogrio (GeoJSON in EPSG:4326, as RFC 7946
    requires; GeoPackages with a fixed ``last_change`` time, so the same input gives the same
    bytes); ``.csv`` is written for Swedish Excel: UTF-8 with BOM, ``;`` separators, decimal
    commas, CRLF line ends, with ``x``/``y`` in the frame's CRS and ``lat``/``lon`` in WGS 84,
    text cells formula-safe (:func:`formula_safe_text`).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Points in a projected CRS.
    path : str or Path
        Output file; its extension picks the format.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ConfigError
        When the extension is not one of ``.gpkg``, ``.geojson``, ``.csv``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ConfigError(
            f"out={str(path)!r} has an unknown extension; allowed: {', '.join(OUTPUT_FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    if suffix == ".csv":
        formula_safe(_csv_frame(gdf)).to_csv(
            path, sep=";", decimal=",", index=False, encoding="utf-8-sig", lineterminator="\r\n"
        )
        return path
    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None else str(v))
    if suffix == ".geojson":
        out = out.to_crs("EPSG:4326")
    # GeoPackages record a "last change" time; fix it so that the same inputs give the same
    # bytes (meeting packs are diffed and archived)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GPKG_DATE})
    try:
        out.to_file(path, driver=OUTPUT_FORMATS[suffix], engine="pyogrio")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path


def write_rejected(rejected: pd.DataFrame, path: str | Path) -> Path:
    """Write the rejected-rows table as a Swedish-Excel-friendly CSV (UTF-8 BOM, ``;``, CRLF).

    Text cells are formula-safe (:func:`formula_safe_text`): a rejected value such as
    ``=HYPERLINK(…)`` is written as ``'=HYPERLINK(…)``.

    Parameters
    ----------
    rejected : pandas.DataFrame
        ``IngestResult.rejected``.
    path : str or Path

    Returns
    -------
    Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formula_safe(rejected).to_csv(
        path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    return path
