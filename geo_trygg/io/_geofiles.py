"""Read GeoJSON, GeoPackage and Shapefile through pyogrio/GDAL (private).

- Layers: a file with one layer is read as is; a file with several layers (GeoPackage) needs
  ``layer=`` (a name, or a 0-based position); otherwise :class:`ConfigError` lists them.
- Encoding: ``encoding=`` wins. Otherwise GDAL reads a Shapefile's ``.cpg`` file. Without one,
  GDAL would follow the code page byte (LDID) of the ``.dbf`` and read the Western-European
  ones (0x03, 0x57 — as in the City of Stockholm's files —, 0x58, 0x59) and a missing one
  (0x00) as Latin-1, which garbles cp1252's extra characters (``–``, ``€``, curly quotes). For
  those, the ``.dbf`` bytes decide instead: valid UTF-8 (with some non-ASCII byte) means
  UTF-8, anything else cp1252 (a note says which). Other LDIDs are left to GDAL.
- CRS: the file's CRS (``.prj``, GeoPackage definition, or a GeoJSON's legacy ``"crs"``
  member, which GDAL honours) is returned as read. GeoJSON without a ``"crs"`` member is
  WGS 84 by the standard (RFC 7946), and GDAL reports it so; :func:`crs_plausible` lets the
  readers notice when such a file actually holds metres and infer the CRS instead.
- Z and M values are dropped (geometries are made 2-D) with a note.
- Row numbers are 1-based feature numbers in file order.
"""

from __future__ import annotations

import codecs
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError, ReadError
from geo_trygg._labels import msg

__all__ = ["GEO_EXTENSIONS", "RawGeo", "crs_label", "crs_plausible", "read_geofile"]

GEO_EXTENSIONS = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".zip")


@dataclass
class RawGeo:
    """A vector file as read.

    Attributes
    ----------
    frame : pandas.DataFrame
        The attribute columns, as pyogrio types them (text, numbers, datetimes).
    geometry : numpy.ndarray of shapely geometries
        2-D geometries; None where a feature has none.
    rows : numpy.ndarray of int64
        1-based feature numbers.
    crs : pyproj.CRS or None
        The CRS the file declares.
    layer : str
        The layer read.
    notes : list of str
    """

    frame: pd.DataFrame
    geometry: np.ndarray
    rows: np.ndarray
    crs: CRS | None
    layer: str
    notes: list[str] = field(default_factory=list)


def crs_label(crs: CRS | None) -> str:
    """``"EPSG:3006"`` when the CRS has an EPSG code, else its name (``"-"`` for None)."""
    if crs is None:
        return "-"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def crs_plausible(crs: CRS | None, bounds: tuple[float, float, float, float]) -> bool:
    """False when a geographic CRS is declared but the values cannot be degrees."""
    if crs is None or not crs.is_geographic:
        return True
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        return True
    return minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


_WESTERN_LDIDS = {0x00, 0x03, 0x57, 0x58, 0x59}


def _dbf_encoding(path: Path) -> str | None:
    """Encoding of a Shapefile's ``.dbf`` without ``.cpg`` (see the module docstring)."""
    if path.suffix.lower() != ".shp" or path.with_suffix(".cpg").exists():
        return None
    dbf = next(
        (p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None
    )
    if dbf is None:
        return None
    data = dbf.read_bytes()
    if len(data) < 32 or data[29] not in _WESTERN_LDIDS:
        return None
    body = data[int.from_bytes(data[8:10], "little") :]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "UTF-8" if any(b >= 0x80 for b in body) else None


def _gdal_encoding(encoding: str) -> str:
    """Python codec name -> the iconv name GDAL understands (``latin-1`` -> ``ISO-8859-1``)."""
    name = codecs.lookup(encoding).name
    if name.startswith("iso8859-"):
        return "ISO-8859-" + name.split("-", 1)[1]
    return name.upper()


_KINDS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".zip": "Shapefile (.zip)",
    ".fgb": "FlatGeobuf",
}


def _not_geodata(path: Path, exc: BaseException) -> ReadError:
    """The ReadError for a file GDAL cannot open or read: what it should have been, in
    Swedish, with GDAL's own words (one short line) as a technical detail."""
    error = " ".join(str(exc).split()) or type(exc).__name__
    error = error if len(error) <= 200 else error[:199] + "…"
    kind = _KINDS.get(path.suffix.lower(), path.suffix or path.name)
    return ReadError(msg("io_not_geofile", path=str(path), kind=kind, error=error))


def _choose_layer(path: Path, layer: str | int | None, hint: str | None = None) -> str:
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Measured \\(M\\) geometry.*")
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise _not_geodata(path, exc) from None
    if not layers:
        raise ReadError(msg("io_empty_file", path=str(path)))
    if layer is None and hint is not None:
        if hint in layers:
            return hint
        if len(layers) == 1:
            return layers[0]
    if layer is None:
        if len(layers) > 1:
            raise ConfigError(
                f"layer=None but {path.name} has {len(layers)} layers; pass layer= with one "
                f"of: {', '.join(map(repr, layers))}"
            )
        return layers[0]
    if isinstance(layer, int) and not isinstance(layer, bool) and 0 <= layer < len(layers):
        return layers[layer]
    if isinstance(layer, str) and layer in layers:
        return layer
    raise ConfigError(
        msg("io_layer_unknown", layer=layer, file=path.name, allowed=", ".join(map(repr, layers)))
    )


def read_geofile(
    path: Path,
    *,
    layer: str | int | None = None,
    encoding: str | None = None,
    layer_hint: str | None = None,
) -> RawGeo:
    """Read one layer of a vector file.

    Parameters
    ----------
    path : pathlib.Path
    layer : str or int, optional
        Required when the file has several layers.
    encoding : str, optional
        Attribute encoding, overriding ``.cpg`` and the ``.dbf`` code page.
    layer_hint : str, optional
        A layer to use when ``layer`` is None (from a catalogue): used when the file has it;
        a file with a single layer is read whatever its layer is called.

    Returns
    -------
    RawGeo

    Raises
    ------
    ReadError
        When GDAL cannot open or read the file.
    ConfigError
        When ``layer`` is missing (several layers) or unknown.
    """
    name = _choose_layer(path, layer, layer_hint)
    kwargs: dict[str, Any] = {"layer": name}
    notes: list[str] = []
    if encoding is None:
        encoding = _dbf_encoding(path)
        if encoding is not None:
            notes.append(msg("io_note_dbf_encoding", enc=encoding))
    if encoding is not None:
        kwargs["encoding"] = _gdal_encoding(encoding)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Measured \\(M\\) geometry.*")
            gdf = pyogrio.read_dataframe(path, **kwargs)
    except Exception as exc:  # DataSourceError, FieldError, UnicodeDecodeError …
        raise _not_geodata(path, exc) from None
    geoms = np.asarray(gdf.geometry.values, dtype=object) if "geometry" in gdf else None
    if geoms is None:
        geoms = object_array(len(gdf))
    present = np.array([g is not None for g in geoms], dtype=bool)
    if present.any() and shapely.has_z(geoms[present]).any():
        geoms[present] = shapely.force_2d(geoms[present])
        notes.append(msg("io_note_z_dropped"))
    frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    frame.index = pd.RangeIndex(len(frame))
    crs = CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawGeo(frame, geoms, rows, crs, name, notes)
