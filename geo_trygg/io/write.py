"""Writers: points with their areas to GeoPackage, GeoJSON or a Swedish-Excel-friendly CSV.

Every CSV file the project writes (``write_points`` to ``.csv``, :func:`write_rejected`, the
lägesbild CSV folders, a pack's ``avvisade_rader.csv``) passes its text cells through
:func:`formula_safe_text`, so that no cell can run as a spreadsheet formula (OWASP "CSV
injection"). The rule, shared with the Excel export:

- a *text* cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  (:data:`DANGEROUS_START`) is written with a leading apostrophe ``'``, which Excel and
  LibreOffice read as "this cell is text" (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``);
- *numbers* are never touched: numeric values (``-1``, ``-2.5``) are written as numbers, and
  so is a text that is a plain decimal number (``-1``, ``+46``, ``-0,5``, ``1e-3``), which a
  spreadsheet reads as that number and never as a formula (``-1+1`` is not a plain number and
  is prefixed);
- a text that already begins with an apostrophe gets one more, so the rule can be undone
  without doubt: **to recover the original text of a cell, remove one leading apostrophe
  when the cell begins with one** (:func:`original_text`).

Lines end with CRLF, so that a cell holding a line break (also a lone CR) is quoted and read
back as one cell (with a bare LF line end, Python's ``csv`` leaves a lone CR unquoted and the
row falls apart when read).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo_trygg._errors import ConfigError
from geo_trygg.crs import get_transformer

__all__ = [
    "DANGEROUS_START",
    "OUTPUT_FORMATS",
    "formula_safe",
    "formula_safe_text",
    "original_text",
    "write_points",
    "write_rejected",
]

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make spreadsheet programs read a text cell as a formula (OWASP)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")

OUTPUT_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV"}
"""Output formats by file extension."""

FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"
"""The ``last_change`` time written into GeoPackages, so output is byte-for-byte repeatable."""


def formula_safe_text(text: str) -> str:
    """A text cell as written to CSV: prefixed with ``'`` when it could run as a formula.

    See the module docstring for the rule; :func:`original_text` undoes it.

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    str
        ``text``, or ``"'" + text`` when it begins with one of :data:`DANGEROUS_START` (and
        is not a plain decimal number) or with an apostrophe.

    Examples
    --------
    >>> formula_safe_text("=HYPERLINK(A1)"), formula_safe_text("-1+1")
    ("'=HYPERLINK(A1)", "'-1+1")
    >>> formula_safe_text("-1"), formula_safe_text("Trasig lampa")
    ('-1', 'Trasig lampa')
    """
    if text.startswith("'"):
        return "'" + text
    if text.startswith(DANGEROUS_START) and _PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def original_text(cell: str) -> str:
    """The text :func:`formula_safe_text` was given: one leading apostrophe removed.

    Parameters
    ----------
    cell : str
        A text cell as read back from a CSV file this project wrote.

    Returns
    -------
    str

    Examples
    --------
    >>> original_text("'=1+1"), original_text("''quoted'"), original_text("-1")
    ('=1+1', "'quoted'", '-1')
    """
    return cell[1:] if cell.startswith("'") else cell


def _safe_value(value: Any) -> Any:
    return formula_safe_text(value) if isinstance(value, str) else value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are formula-safe for CSV.

    Every ``str`` value (in any column, categories of categorical columns included) and every
    ``str`` column name goes through :func:`formula_safe_text`; numbers, dates, booleans and
    missing values are left as they are. Write the result with :meth:`pandas.DataFrame.to_csv`.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> formula_safe(pd.DataFrame({"v": ["@SUM(A1)", "ok"], "n": [-1, 2]}))["v"].tolist()
    ["'@SUM(A1)", 'ok']
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if isinstance(values.dtype, pd.CategoricalDtype):
            safe = [_safe_value(c) for c in values.cat.categories]  # the rule is one-to-one
            out.isetitem(i, values.cat.rename_categories(safe))
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out.isetitem(i, values.map(_safe_value).astype(values.dtype))
    out.columns = pd.Index([_safe_value(c) for c in out.columns])
    return out


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
