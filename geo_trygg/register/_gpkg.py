"""The embedded register: one GeoPackage file, written with Python's sqlite3.

Version: the file is a GeoPackage 1.2 (``application_id`` ``GPKG``, ``user_version`` 10200),
which GDAL opens without a warning from 2.2 on and QGIS from 3.0 on; GDAL 3.6 (Debian 12)
warns about the 1.4 files newer GDALs write by default ("may only be partially supported").
Every register table is listed in ``gpkg_contents``: ``findings``, ``events`` and
``measures`` as feature tables (points, points, multipolygons in EPSG:3006, registered in
``gpkg_geometry_columns``), the rest as attribute tables, so QGIS shows all of them. The file
has no R-tree spatial index: its triggers call functions (``ST_MinX``…) that only GDAL
provides, so a plain SQLite writer could not insert into an indexed table; QGIS reads the
tables without one.

Geometries are GeoPackage binary: the ``GP`` header (version 0, little-endian, the SRS id,
an XY envelope for polygons, none for points) followed by the geometry's WKB.

Locking: SQLite's own. A write transaction starts with ``BEGIN IMMEDIATE``, which takes the
file's write lock at once, so two importers never both read a state and then write over each
other; the second waits (SQLite's busy timeout, ``timeout`` seconds) and then goes on with
the first one's rows in place. The journal is SQLite's rollback journal, not WAL, so the file
also works on a network drive, and a process killed in the middle of a write leaves the file
as it was before the transaction (the journal is rolled back by the next opener).
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo_trygg._errors import RegisterError
from geo_trygg._labels import msg
from geo_trygg.register._backend import Backend, arrow_values, point_xy
from geo_trygg.register._schema import Table

__all__ = ["GPKG_USER_VERSION", "GeoPackage", "decode_gpkg", "encode_gpkg"]

APPLICATION_ID = 0x47504B47
"""``GPKG`` as the SQLite application id."""
GPKG_USER_VERSION = 10200
"""GeoPackage 1.2 (see the module docstring)."""

_TYPES = {
    "text": "TEXT",
    "int": "INTEGER",
    "real": "REAL",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "DATETIME",
    "point": "POINT",
    "multipolygon": "MULTIPOLYGON",
}
_ENVELOPE_BYTES = (0, 32, 48, 48, 64)
"""Bytes of the envelope by the header's envelope code (none, XY, XYZ, XYM, XYZM)."""


def encode_gpkg(geoms: np.ndarray, srid: int) -> list[Any]:
    """Geometries as GeoPackage binary blobs (None stays None).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries or None
    srid : int
        The SRS id written in every header.

    Returns
    -------
    list
        ``bytes`` per geometry: header (``GP``, version 0, flags, SRS id, an XY envelope for
        everything but points) and little-endian WKB.

    Examples
    --------
    >>> blob = encode_gpkg(np.array([shapely.Point(1, 2)], dtype=object), 3006)[0]
    >>> blob[:2], blob[3], struct.unpack("<i", blob[4:8])[0], len(blob)
    (b'GP', 1, 3006, 29)
    >>> decode_gpkg([blob])[0].wkt
    'POINT (1 2)'
    """
    out: list[Any] = [None] * len(geoms)
    present = np.array([g is not None for g in geoms], dtype=bool)
    if not present.any():
        return out
    shapes = np.asarray(geoms[present], dtype=object)
    wkb = shapely.to_wkb(shapes, byte_order=1)
    empty = shapely.is_empty(shapes)
    points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
    srs = struct.pack("<i", srid)
    point_head = b"GP\x00\x01" + srs
    empty_head = b"GP\x00\x11" + srs
    bounds = shapely.bounds(shapes)
    blobs = []
    for i in range(len(shapes)):
        if empty[i]:
            blobs.append(empty_head + wkb[i])
        elif points[i]:
            blobs.append(point_head + wkb[i])
        else:
            minx, miny, maxx, maxy = bounds[i]
            envelope = struct.pack("<dddd", minx, maxx, miny, maxy)
            blobs.append(b"GP\x00\x03" + srs + envelope + wkb[i])
    for position, blob in zip(np.flatnonzero(present), blobs, strict=True):
        out[position] = blob
    return out


def decode_gpkg(values: Sequence[Any]) -> np.ndarray:
    """GeoPackage binary blobs (any envelope, either byte order) back as shapely objects."""
    fast = _points_as_written(values)
    if fast is not None:
        return fast
    wkb: list[Any] = []
    for blob in values:
        if blob is None:
            wkb.append(None)
            continue
        blob = bytes(blob)
        if blob[:2] != b"GP":
            raise RegisterError(msg("reg_err_bad_geometry"))
        wkb.append(blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 7] :])
    return np.asarray(shapely.from_wkb(np.array(wkb, dtype=object)), dtype=object)


_POINT_HEAD = b"GP\x00\x01"
"""The header of a point as :func:`encode_gpkg` writes it (no envelope), then its SRID."""


def _xy_as_written(values: Sequence[Any]) -> np.ndarray | None:
    """Points as :func:`encode_gpkg` writes them (header ``GP 0 1``, no envelope,
    little-endian 2D WKB point) as ``(n, 2)`` coordinates; None when any blob is otherwise."""
    return point_xy(values, prefix=_POINT_HEAD, header=8)


def _points_as_written(values: Sequence[Any]) -> np.ndarray | None:
    """The same points as shapely objects."""
    xy = _xy_as_written(values)
    return None if xy is None else np.asarray(shapely.points(xy), dtype=object)


class GeoPackage(Backend):
    """A register in one GeoPackage file.

    Parameters
    ----------
    path : pathlib.Path
        The file (created by :meth:`prepare` when new).
    timeout : float
        Seconds a write waits for another process's write to finish before giving up.
    """

    kind = "gpkg"

    def __init__(self, path: Path, *, timeout: float) -> None:
        self.path = path
        self.label = str(path)
        self.timeout = timeout
        self._con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        self._con.execute("PRAGMA foreign_keys = OFF")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on any error)."""
        try:
            self._con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise RegisterError(
                    msg("reg_err_locked", register=self.label, seconds=self.timeout)
                ) from exc
            raise
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """A deferred transaction: one consistent snapshot for the queries inside."""
        if self._con.in_transaction:  # inside a write: already consistent
            yield
            return
        self._con.execute("BEGIN")
        try:
            yield
        finally:
            self._con.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self._con.execute(sql, tuple(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        return self._con.execute(sql, tuple(params)).fetchall()

    def execute_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """``executemany`` of one statement."""
        self._con.executemany(sql, rows)

    def insert_rows(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """``executemany`` of one parameterised INSERT."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self._con.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)

    def insert_columns(self, table: Table, columns: Sequence[str], values: list[Any]) -> None:
        """``executemany`` over the rows of the columns (no list of rows made)."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self._con.executemany(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', zip(*values, strict=True)
        )

    def insert_new(self, table: Table, columns: Sequence[str], values: list[Any]) -> int:
        """``INSERT … ON CONFLICT DO NOTHING``; the count from SQLite's change counter."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        before = self._con.total_changes
        self._con.executemany(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING',
            zip(*values, strict=True),
        )
        return self._con.total_changes - before

    def table_exists(self, name: str) -> bool:
        """Whether the file has table ``name``."""
        found = self.fetch("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        return bool(found)

    def prepare(self) -> None:
        """The GeoPackage's own tables, its SRS rows and its version marks."""
        from pyproj import CRS

        con = self._con
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
        con.execute(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, "
            "srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, "
            "organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, "
            "description TEXT)"
        )
        rows: list[tuple[str, int, str, int, str, str | None]] = [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
        ]
        for code in sorted({4326, self.srid}):
            crs = CRS.from_epsg(code)
            rows.append((crs.name, code, "EPSG", code, crs.to_wkt("WKT1_GDAL"), None))
        con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.execute(
            "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, "
            "data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', "
            "last_change DATETIME NOT NULL DEFAULT "
            "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, "
            "max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, "
            "CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) "
            "REFERENCES gpkg_spatial_ref_sys(srs_id))"
        )
        con.execute(
            "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, "
            "column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, "
            "srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, "
            "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), "
            "CONSTRAINT uk_gc_table_name UNIQUE (table_name), "
            "CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), "
            "CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))"
        )

    def create_table(self, table: Table) -> None:
        """The table, its unique constraints and indexes, and its ``gpkg_contents`` row."""
        parts = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
        parts += [f'"{name}" {_TYPES[kind]}' for name, kind in table.columns]
        parts += ["UNIQUE (" + ", ".join(f'"{c}"' for c in cols) + ")" for cols in table.unique]
        self._con.execute(f'CREATE TABLE "{table.name}" ({", ".join(parts)})')
        for i, cols in enumerate(table.indexes):
            names = ", ".join(f'"{c}"' for c in cols)
            self._con.execute(f'CREATE INDEX "ix_{table.name}_{i}" ON "{table.name}" ({names})')
        geom = table.geometry
        self._con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                table.name,
                "features" if geom else "attributes",
                table.name,
                table.description,
                self.srid if geom else None,
            ),
        )
        if geom:
            self._con.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)",
                (table.name, geom, _TYPES[table.kind(geom)], self.srid),
            )

    def read_whole(self, table: Table) -> dict[str, Any] | None:
        """Through GDAL (pyogrio, Arrow): the whole table in one columnar read, several times
        faster than SQLite's rows for a large table. Only the table's name reaches GDAL (no
        condition: filters are applied to the frame). Inside a write transaction of this
        connection (whose rows GDAL would not see yet): None."""
        if self._con.in_transaction or table.geometry is None:
            return None
        import pyogrio

        _meta, arrow = pyogrio.read_arrow(self.path, layer=table.name, return_fids=True)
        arrow = arrow.sort_by("fid")
        data: dict[str, Any] = {"fid": arrow.column("fid").to_numpy()}
        for name in table.names:
            data[name] = arrow_values(arrow.column(name), table.kind(name))
        return data

    def decode(self, values: Sequence[Any]) -> np.ndarray:
        """From GeoPackage binary (:func:`decode_gpkg`); shapely objects (a read through
        GDAL) pass as they are."""
        first = next((v for v in values if v is not None), None)
        if first is not None and not isinstance(first, bytes | memoryview):
            return np.asarray(values, dtype=object)
        return decode_gpkg(values)

    def decode_xy(self, values: Sequence[Any]) -> np.ndarray:
        """Points as written by this package read straight from their bytes; others (and
        missing ones) through :meth:`decode`."""
        xy = _xy_as_written(values)
        return super().decode_xy(values) if xy is None else xy

    def encode(self, geoms: np.ndarray) -> list[Any]:
        """GeoPackage binary (:func:`encode_gpkg`)."""
        return encode_gpkg(geoms, self.srid)

    def close(self) -> None:
        """Close the file."""
        self._con.close()
