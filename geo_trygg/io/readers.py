"""Readers: walk findings, events, plain points and areas from files into canonical GeoDataFrames.

Every reader returns an :class:`~geo_trygg.io.result.IngestResult`: the accepted rows in the
canonical columns of ``docs/data-model.md`` with their geometry in the working CRS (EPSG:3006
unless ``to_crs=`` names another metric CRS), the rejected rows with a reason each, and a
summary with ``n_input == n_accepted + n_rejected``.

File formats: CSV/text (``.csv``, ``.txt``, ``.tsv``; separator ``;``, ``,`` or tab, encodings
UTF-8, UTF-8 with BOM, UTF-16 or cp1252, all detected), Excel (``.xlsx``, ``.xlsm``),
GeoJSON (``.geojson``, ``.json``), GeoPackage (``.gpkg``), Shapefile (``.shp`` or a ``.zip``)
and FlatGeobuf (``.fgb``); for events also the police events API JSON. The rules for columns,
dates, coordinates and vocabularies are documented in the private modules ``_tabular``,
``_columns``, ``_dates``, ``_points``, ``_findings``, ``_events`` and ``_areas`` of this
package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from os import PathLike
from typing import Any

import pandas as pd

from geo_trygg.io._areas import read_areas_file
from geo_trygg.io._events import read_events_file
from geo_trygg.io._findings import read_findings_file
from geo_trygg.io._plainpoints import looks_like_police_json, read_points_file
from geo_trygg.io.result import IngestResult

__all__ = [
    "looks_like_police_json",
    "read_areas",
    "read_events",
    "read_findings",
    "read_points",
]

PathType = str | PathLike[str]


def read_findings(
    path: PathType,
    *,
    columns: Mapping[str, str] | None = None,
    crs: Any = None,
    to_crs: Any = None,
    sheet: str | int | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    strict: bool = False,
    category_map: Mapping[str, str] | None = None,
    actor_map: Mapping[str, str] | None = None,
    status_map: Mapping[str, str] | None = None,
) -> IngestResult:
    """Read safety-walk findings (trygghetsvandring) from a CSV, Excel or point file.

    Parameters
    ----------
    path : str or path-like
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``, or a point layer (``.geojson``,
        ``.gpkg``, ``.shp``, ``.fgb``).
    columns : mapping of str to str, optional
        ``{source column: canonical name}``; always wins over header recognition. Canonical
        names: ``finding_id``, ``walk_id``, ``walk_date``, ``category``, ``description``,
        ``severity``, ``responsible_actor``, ``status``, ``deadline``, ``status_date``, and for
        coordinates ``x``/``lon``/``easting``, ``y``/``lat``/``northing`` or ``coords`` (one
        column holding ``"lat, lon"``).
    crs : CRS-like, optional
        CRS of the coordinates. Wins over a CRS in the file; when neither is given it is
        inferred from the value ranges (WGS 84, SWEREF 99 TM, RT90; SWEREF 99 local zones are
        assumed to be 18 00, EPSG:3011, with a :class:`~geo_trygg.GeoTryggWarning`).
    to_crs : CRS-like, optional
        Metric CRS of the result; ``geo_trygg.settings.working_crs`` (EPSG:3006) by default.
    sheet : str or int, optional
        Excel sheet name or 0-based position; the first sheet by default.
    layer : str or int, optional
        Layer of a GeoPackage (or other multi-layer file); needed when it has several.
    encoding : str, optional
        Text encoding of a CSV file (detected when omitted) or of a Shapefile's ``.dbf``.
    sep : str, optional
        CSV separator (detected when omitted).
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` for the first problem (lowest row) instead of
        rejecting rows.
    category_map, actor_map, status_map : mapping of str to str, optional
        The user's own words: ``{text as written: code}`` for categories
        (:data:`geo_trygg.vocab.findings.FINDING_CATEGORIES`), responsible actors
        (:data:`~geo_trygg.vocab.findings.ACTORS`) and statuses
        (:data:`~geo_trygg.vocab.findings.STATUSES`), matched as the vocabularies match
        (case and spacing do not matter) and winning over them. Values that still became
        ``other`` (or an unknown status) are listed with their counts in
        ``summary.unmapped`` and a note (:mod:`geo_trygg.io.unmapped`).

    Returns
    -------
    IngestResult
        ``accepted``: ``finding_id, walk_id, walk_date, category, category_original,
        description, severity, responsible_actor, responsible_original, status, deadline,
        status_date, source_row, coords_swapped``, the unrecognised source columns as
        ``src_<header>``, and ``geometry`` (points).

    Raises
    ------
    ConfigError
        For a bad argument (before reading).
    ReadError
        When the file is missing, of an unknown type, empty, or lacks coordinate, date or
        category/description columns.
    RowError
        In strict mode.

    Examples
    --------
    >>> res = read_findings("vandring_alvsjo.csv")  # doctest: +SKIP
    >>> res.summary.n_rejected, res.rejected[["row", "reason"]]  # doctest: +SKIP
    """
    return read_findings_file(
        path,
        columns=columns,
        crs=crs,
        to_crs=to_crs,
        sheet=sheet,
        layer=layer,
        encoding=encoding,
        sep=sep,
        strict=strict,
        category_map=category_map,
        actor_map=actor_map,
        status_map=status_map,
    )


def read_events(
    path: PathType,
    *,
    columns: Mapping[str, str] | None = None,
    crs: Any = None,
    to_crs: Any = None,
    sheet: str | int | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    source: str | None = None,
    category_map: pd.DataFrame | PathType | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read incidents and reports (housing companies, transit, guards, police) from a file.

    A ``.json`` file holding a JSON array of objects with ``datetime``, ``name`` and
    ``location`` keys is the police events API format and is read by
    :func:`geo_trygg.io.police.read_police_events` (``columns``, ``crs``, ``sheet``,
    ``encoding``, ``sep`` and ``source`` do not apply to it).

    Parameters
    ----------
    path : str or path-like
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``, a point layer, or police API JSON.
    columns : mapping of str to str, optional
        ``{source column: canonical name}``; always wins. Canonical names: ``event_id``,
        ``time_from``, ``time_to``, ``date``, ``clock`` (time of day of ``date``),
        ``published``, ``source_type``, ``source``, ``location_precision``, ``location_name``,
        ``kommun``, ``text``, ``url``, and the coordinate names of :func:`read_findings`.
    crs, to_crs, sheet, encoding, sep, strict
        As in :func:`read_findings`.
    source : str, optional
        Source actor of every row (``polis``, ``bostadsbolag``, ``kollektivtrafik``,
        ``vaktbolag``, ``kommun``, ``annan`` or a synonym such as ``"SL"``); wins over a source
        column. Without either, every row gets ``annan``.
    category_map : pandas.DataFrame or path to a CSV, optional
        Extra ``source, source_type, category`` rows for
        :func:`geo_trygg.vocab.events.map_event_categories`; they win over the built-in table.

    Returns
    -------
    IngestResult
        ``accepted``: the event columns of ``docs/data-model.md`` (``event_id, time_from,
        time_to, published, category, source_type, source, location_precision,
        location_name, kommun, duplicate_group, text, url``), ``source_row``,
        ``coords_swapped``, ``src_<header>`` extras, ``geometry``.

    Raises
    ------
    ConfigError, ReadError, RowError
        As in :func:`read_findings`; ConfigError also for an unknown ``source``.

    Examples
    --------
    >>> res = read_events("larm_2024.xlsx", source="bostadsbolag")  # doctest: +SKIP
    """
    return read_events_file(
        path,
        columns=columns,
        crs=crs,
        to_crs=to_crs,
        sheet=sheet,
        layer=layer,
        encoding=encoding,
        sep=sep,
        source=source,
        category_map=category_map,
        strict=strict,
    )


def read_points(
    path: PathType,
    *,
    columns: Mapping[str, str] | None = None,
    crs: Any = None,
    to_crs: Any = None,
    sheet: str | int | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read plain points (an id and coordinates, nothing else required) from a file.

    For any list of places to join to areas: addresses, stations, cameras, schools. Only the
    coordinates are required; they are read, converted and checked exactly as by
    :func:`read_findings` (same column names, CRS inference, swap repair and rejected-row
    reasons). No date, category or text column is looked for.

    Parameters
    ----------
    path : str or path-like
        ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``, or a point layer (``.geojson``,
        ``.gpkg``, ``.shp``, ``.fgb``).
    columns : mapping of str to str, optional
        ``{source column: canonical name}``; always wins over header recognition. Canonical
        names: ``point_id`` and the coordinate names of :func:`read_findings`.
    crs, to_crs, sheet, layer, encoding, sep, strict
        As in :func:`read_findings`.

    Returns
    -------
    IngestResult
        ``accepted``: ``point_id`` (the id column as text; the row number in the file where
        there is no id column or the cell is blank), ``source_row``, ``coords_swapped``, every
        other source column as ``src_<header>``, and ``geometry`` (points). A repeated id
        rejects the later rows.

    Raises
    ------
    ConfigError
        For a bad argument (before reading).
    ReadError
        When the file is missing, of an unknown type, empty, without coordinate columns, or a
        police events API JSON file (read that with :func:`read_events`).
    RowError
        In strict mode.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "stationer.csv"
    ...     _ = path.write_text("namn;lat;lon\\nFittja;59,2475;17,86083\\nX;;\\n", "utf-8")
    ...     res = read_points(path)
    >>> res.accepted[["point_id", "src_namn"]].values.tolist(), res.rejected["row"].tolist()
    ([['2', 'Fittja']], [3])
    """
    return read_points_file(
        path,
        columns=columns,
        crs=crs,
        to_crs=to_crs,
        sheet=sheet,
        layer=layer,
        encoding=encoding,
        sep=sep,
        strict=strict,
    )


def read_areas(
    path: PathType,
    *,
    source: str | None = None,
    level: str | None = None,
    layer: str | int | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    crs: Any = None,
    to_crs: Any = None,
    valid_from: str | dt.date | None = None,
    valid_to: str | dt.date | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read area polygons (stadsdelar, stadsdelsområden, LPO, kommuner, places…).

    Parameters
    ----------
    path : str or path-like
        GeoJSON, GeoPackage, Shapefile (``.shp`` or ``.zip``) or FlatGeobuf.
    source : str, optional
        A catalogue name (:func:`geo_trygg.catalogue.list_sources`, e.g.
        ``"stockholm-stadsdelar"``) that supplies level, layer, id and name fields, CRS,
        encoding, validity and extra fields; explicit arguments win over it.
    level : str, optional
        Area level (``stadsdel``, ``stadsdelsomrade``, ``lpo``, ``kommun``, ``deso``,
        ``place``, ``utsatt_omrade``…); without it (and without ``source``) the ``level``
        column is left empty, with a note.
    layer : str or int, optional
        Layer name or 0-based position; required when the file has several layers.
    id_column, name_column : str, optional
        Source fields for ``area_id`` and ``name``; recognised from common names when omitted.
    crs : CRS-like, optional
        Wins over the file's CRS. A file without a CRS takes the catalogue's, else it is
        inferred from the coordinate ranges (with a note, and a warning for local zones).
    to_crs : CRS-like, optional
        Metric CRS of the result (EPSG:3006 by default).
    valid_from, valid_to : date or ISO string, optional
        Validity of every area (``valid_to`` exclusive); win over the catalogue.
    encoding : str, optional
        Attribute encoding of a Shapefile ``.dbf`` (overrides ``.cpg`` and the code page byte).
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first problem.

    Returns
    -------
    IngestResult
        ``accepted``: ``area_id, name, level, valid_from, valid_to, source_row``, the
        catalogue's extra fields, other source fields as ``src_<field>``, and ``geometry``
        (Polygon/MultiPolygon, repaired with ``make_valid`` where invalid, counted in
        ``summary.n_repaired``).

    Raises
    ------
    ConfigError
        Unknown ``source``/``level``/``layer``, missing ``id_column``/``name_column``, bad
        dates or CRS (before reading the features).
    ReadError
        File missing, of an unknown type, or not readable by GDAL.
    RowError
        In strict mode.

    Examples
    --------
    >>> res = read_areas("stadsdelar.shp", source="stockholm-stadsdelar")  # doctest: +SKIP
    >>> len(res.accepted), res.summary.crs_in  # doctest: +SKIP
    (117, 'EPSG:3011')
    """
    return read_areas_file(
        path,
        source=source,
        level=level,
        layer=layer,
        id_column=id_column,
        name_column=name_column,
        crs=crs,
        to_crs=to_crs,
        valid_from=valid_from,
        valid_to=valid_to,
        encoding=encoding,
        strict=strict,
    )
