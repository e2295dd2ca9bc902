"""Opening a register: the backend from the target, the schema created or migrated forward.

:func:`open_register` takes a path (a GeoPackage file, created when missing) or a
``postgresql://`` URL. On open the schema version recorded in the ``meta`` table is compared
with :data:`~geo_trygg.register._schema.SCHEMA_VERSION`: an older register is migrated
forward (every step in one write transaction, so a register is never left half migrated), a
newer one is refused with a message saying which versions are involved, and a file that is
not a register (another GeoPackage, any other file) is refused without being changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, RegisterError
from geo_trygg._labels import msg
from geo_trygg.register._backend import Backend, db_columns, frame_from_columns
from geo_trygg.register._schema import GEOMETRY_TYPES, MIGRATIONS, SCHEMA_VERSION, TABLES, Table

__all__ = ["connect", "now_text", "read_columns", "read_table", "write_columns", "write_frame"]

_URL_SCHEMES = ("postgresql://", "postgres://")


def connect(target: str | PathLike[str], *, create: bool, schema: str, timeout: float) -> Backend:
    """The backend of ``target`` with its schema current (see the module docstring).

    Parameters
    ----------
    target : str or path-like
        A GeoPackage path or a ``postgresql://`` URL.
    create : bool
        Create the register when it does not exist (a missing file, an empty schema).
    schema : str
        PostgreSQL schema of the register's tables (PostGIS only).
    timeout : float
        Seconds a write waits for another writer.

    Returns
    -------
    Backend
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(msg("reg_err_timeout", value=repr(timeout)))
    backend: Backend
    if isinstance(target, str) and target.startswith(_URL_SCHEMES):
        from geo_trygg.register._postgis import PostGIS

        backend = PostGIS(target, schema=schema, timeout=float(timeout))
    else:
        from geo_trygg.register._gpkg import GeoPackage

        path = Path(target)
        if path.suffix.lower() != ".gpkg":
            raise ConfigError(msg("reg_err_target", value=str(target)))
        if not path.exists() and not create:
            raise RegisterError(msg("reg_err_missing", register=str(path)))
        if path.exists():
            _check_sqlite(path)
        elif not path.parent.is_dir():
            raise ConfigError(msg("reg_err_folder", folder=str(path.parent)))
        backend = GeoPackage(path, timeout=float(timeout))
    try:
        _ensure_schema(backend, create=create)
    except BaseException:
        backend.close()
        raise
    return backend


def _check_sqlite(path: Path) -> None:
    """Refuse a file that is not an SQLite database (before SQLite would touch it)."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head and head != b"SQLite format 3\x00":
        raise RegisterError(msg("reg_err_not_register", register=str(path)))


def _version(backend: Backend) -> int | None:
    """The recorded schema version; None when the register has no tables yet."""
    if not backend.table_exists("meta"):
        return None
    rows = backend.fetch('SELECT "value" FROM "meta" WHERE "key" = ?', ["schema_version"])
    if not rows:
        raise RegisterError(msg("reg_err_not_register", register=backend.label))
    return int(rows[0][0])


def _ensure_schema(backend: Backend, *, create: bool) -> None:
    with backend.reading():
        found = _version(backend)
        foreign = found is None and _has_other_tables(backend)
    if found == SCHEMA_VERSION:
        return
    if foreign:
        raise RegisterError(msg("reg_err_not_register", register=backend.label))
    if found is not None and found > SCHEMA_VERSION:
        raise RegisterError(
            msg("reg_err_newer", register=backend.label, found=found, known=SCHEMA_VERSION)
        )
    with backend.writing():
        found = _version(backend)  # another process may have done it meanwhile
        if found is None:
            if not create:
                raise RegisterError(msg("reg_err_missing", register=backend.label))
            backend.prepare()
            for version in sorted(MIGRATIONS):
                for table in MIGRATIONS[version]:
                    backend.create_table(table)
            meta = TABLES["meta"]
            rows = [
                ("schema_version", str(SCHEMA_VERSION)),
                ("crs", f"EPSG:{backend.srid}"),
                ("created_at", now_text()),
                ("created_by", _tool()),
            ]
            backend.insert_rows(meta, ["key", "value"], rows)
            return
        if found == SCHEMA_VERSION:  # made (or migrated) by another process meanwhile
            return
        if found > SCHEMA_VERSION:
            raise RegisterError(
                msg("reg_err_newer", register=backend.label, found=found, known=SCHEMA_VERSION)
            )
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for table in MIGRATIONS[version]:
                backend.create_table(table)
        backend.execute(
            'UPDATE "meta" SET "value" = ? WHERE "key" = ?',
            [str(SCHEMA_VERSION), "schema_version"],
        )
        backend.insert_rows(
            TABLES["meta"], ["key", "value"], [(f"migrated_{found}_{SCHEMA_VERSION}", now_text())]
        )


def _has_other_tables(backend: Backend) -> bool:
    """A GeoPackage with tables but no register tables is someone else's file."""
    return backend.kind == "gpkg" and backend.table_exists("gpkg_contents")


def _tool() -> str:
    from geo_trygg import __version__

    return f"geo_trygg {__version__}"


def now_text() -> str:
    """This instant in the register's text form (UTC, milliseconds)."""
    now = dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _fetch_columns(
    backend: Backend,
    name: str,
    where: str,
    params: Sequence[Any],
    columns: Sequence[str] | None,
    *,
    ordered: bool = True,
) -> dict[str, Sequence[Any]]:
    """Columns of table ``name`` as the backend gives them: ``fid`` first and in ``fid``
    order, or (not ``ordered``) only ``columns``, in the order the database finds them."""
    table = TABLES[name]
    chosen = [*(["fid"] if ordered else []), *(columns if columns is not None else table.names)]
    exprs = ", ".join(backend.select(table, c) for c in chosen)
    sql = f'SELECT {exprs} FROM "{name}"' + (f" WHERE {where}" if where else "")
    rows = backend.fetch(sql + (' ORDER BY "fid"' if ordered else ""), params)
    data = list(zip(*rows, strict=True)) if rows else [()] * len(chosen)
    return dict(zip(chosen, data, strict=True))


def read_table(
    backend: Backend,
    name: str,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of table ``name`` (``fid`` first) as a frame with pandas types, in ``fid`` order.

    ``where`` is a constant SQL condition of this package with ``?`` placeholders for
    ``params``; never text from input.
    """
    data = _fetch_columns(backend, name, where, params, columns)
    return frame_from_columns(data, TABLES[name], backend)


def read_columns(
    backend: Backend,
    name: str,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    columns: Sequence[str],
    xy: bool = False,
) -> dict[str, np.ndarray]:
    """Like :func:`read_table`, but only ``columns``, in no particular order (no sort), as
    NumPy object arrays of the values as stored (text, numbers, days as text), geometries as
    shapely objects, or with ``xy`` (a table of points) as an ``(n, 2)`` array of
    coordinates: no frame, for the hot paths that need a few columns only."""
    table = TABLES[name]
    out: dict[str, np.ndarray] = {}
    data = _fetch_columns(backend, name, where, params, columns, ordered=False)
    for column, values in data.items():
        kind = "int" if column == "fid" else table.kind(column)
        if kind in GEOMETRY_TYPES:
            out[column] = backend.decode_xy(values) if xy else backend.decode(values)
        else:
            out[column] = np.asarray(values, dtype=object)
    return out


def write_frame(backend: Backend, table: Table, frame: pd.DataFrame) -> int:
    """Insert the rows of ``frame`` (its columns that ``table`` has); returns how many."""
    columns = [c for c in ["fid", *table.names] if c in frame.columns]
    return write_columns(backend, table, {c: frame[c] for c in columns}) if len(frame) else 0


def write_columns(backend: Backend, table: Table, data: Mapping[str, Any]) -> int:
    """Insert rows given as columns (:func:`~geo_trygg.register._backend.db_columns`:
    arrays, or one value for every row); returns how many."""
    values = db_columns(data, table, backend)
    backend.insert_columns(table, list(data), values)
    return len(values[0]) if values else 0
