"""The shared register: PostgreSQL with PostGIS, over psycopg 3.

The connection URL names host, port, user and database (``postgresql://user@host/db``); the
password comes from ``PGPASSWORD`` or ``~/.pgpass`` as libpq reads them. A password written in
the URL works but is never shown or stored: :attr:`PostGIS.label` and every message give the
URL without it, and nothing the tool writes (reports, backups, packs) holds the URL.

The register's tables live in their own PostgreSQL schema (``geo_trygg`` unless ``schema=``
names another), so several registers can share a database; geometries are
``geometry(Point, 3006)`` and ``geometry(MultiPolygon, 3006)`` with GiST indexes.

Transactions: a write runs at READ COMMITTED and first takes a transaction-level advisory
lock keyed on the schema (``pg_advisory_xact_lock``), so writers to one register go one at a
time, exactly as on a GeoPackage, and a reader is never blocked; the lock ends with the
transaction, also when the writing process dies (the server rolls its transaction back). A
read runs at REPEATABLE READ, READ ONLY: every query in it sees the same committed state.
Rows are inserted with COPY (values as parameters of the COPY stream, never SQL text).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import shapely

from geo_trygg._errors import ConfigError, RegisterError
from geo_trygg._labels import msg
from geo_trygg.register._backend import Backend, arrow_values, point_xy
from geo_trygg.register._schema import Table

__all__ = ["PostGIS", "safe_url"]

_FILLFACTOR = 80
"""Per cent of each page a table the register updates fills on insert (PostgreSQL's default
is 100): the room lets an update be a heap-only tuple update."""

_COPY_ROWS = 20_000
"""Rows per block of CSV a COPY sends (bounds the memory of a large import)."""

_TYPES = {
    "text": "text",
    "int": "bigint",
    "real": "double precision",
    "bool": "boolean",
    "date": "date",
    "datetime": "timestamptz",
    "point": "geometry(Point, {srid})",
    "multipolygon": "geometry(MultiPolygon, {srid})",
}
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def safe_url(url: str) -> str:
    """``url`` without a password (``postgresql://user:secret@host/db`` → ``…user@host/db``).

    Examples
    --------
    >>> safe_url("postgresql://anna:hemligt@127.0.0.1:5432/trygg")
    'postgresql://anna@127.0.0.1:5432/trygg'
    >>> safe_url("postgresql://127.0.0.1/trygg?password=x&sslmode=require")
    'postgresql://127.0.0.1/trygg?sslmode=require'
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class PostGIS(Backend):
    """A register in a PostGIS database.

    Parameters
    ----------
    url : str
        ``postgresql://`` connection URL.
    schema : str
        The PostgreSQL schema of the register's tables.
    timeout : float
        Seconds a write waits for another writer's lock before giving up.
    """

    kind = "postgis"

    def __init__(self, url: str, *, schema: str, timeout: float) -> None:
        import psycopg

        if not _SCHEMA.match(schema):
            raise ConfigError(msg("reg_err_schema", value=schema))
        self.label = safe_url(url)
        self.schema = schema
        self.timeout = timeout
        try:
            self._con = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            # libpq's message names host and port, never the password
            raise RegisterError(
                msg("reg_err_connect", register=self.label, reason=str(exc).strip())
            ) from exc
        self._con.execute(f'SET search_path TO "{schema}", public')
        self._con.execute("SET client_encoding TO 'UTF8'")  # what COPY's CSV is written in
        self._con.execute(f"SET lock_timeout = '{int(timeout * 1000)}ms'")
        # the advisory lock's key: the schema's name, hashed to a signed 64-bit number
        digest = hashlib.sha256(f"geo_trygg register {schema}".encode()).digest()
        self._key = int.from_bytes(digest[:8], "big", signed=True)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """READ COMMITTED, writers one at a time by an advisory lock (module docstring)."""
        import psycopg

        con = self._con
        con.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        try:
            try:
                con.execute("SELECT pg_advisory_xact_lock(%s)", (self._key,))
            except psycopg.errors.LockNotAvailable as exc:
                raise RegisterError(
                    msg("reg_err_locked", register=self.label, seconds=self.timeout)
                ) from exc
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """REPEATABLE READ, READ ONLY (inside a write: that write's view)."""
        con = self._con
        if con.info.transaction_status != 0:  # psycopg.pq.TransactionStatus.IDLE
            yield
            return
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            con.execute("COMMIT")

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self._con.execute(self._sql(sql), tuple(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        return self._con.execute(self._sql(sql), tuple(params)).fetchall()

    def execute_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """``executemany`` of one statement (psycopg pipelines it)."""
        if rows:
            with self._con.cursor() as cur:
                cur.executemany(self._sql(sql), rows)

    def mark_seen(self, seen: list[tuple[str, str]]) -> None:
        """One statement: ``UPDATE … FROM`` the pairs, given as one JSON parameter."""
        if seen:
            self.execute(
                'UPDATE "findings" AS f SET "n_seen" = f."n_seen" + 1, "last_seen" = '
                'GREATEST(f."last_seen", s."day") FROM jsonb_to_recordset(?::jsonb) '
                'AS s("finding_id" text, "day" date) WHERE f."finding_id" = s."finding_id"',
                [json.dumps([{"finding_id": fid, "day": day} for fid, day in seen])],
            )

    def existing(self, table: Table, column: str, values: Sequence[str]) -> set[str]:
        """Which of ``values`` the table's ``column`` has: one query, the values as one JSON
        array parameter (three times faster than an array parameter of thousands of
        texts)."""
        if not values:
            return set()
        rows = self.fetch(
            f'SELECT "{column}" FROM "{table.name}" WHERE "{column}" IN '
            "(SELECT jsonb_array_elements_text(?::jsonb))",
            [json.dumps(sorted(set(values)))],
        )
        return {str(r[0]) for r in rows}

    def sync_ids(self, table: Table) -> None:
        """The identity sequence set past the largest ``fid``."""
        self.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{self.schema}\".\"{table.name}\"', 'fid'), "
            f'COALESCE(MAX("fid"), 0) + 1, false) FROM "{table.name}"'
        )

    def insert_rows(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """The rows as columns, by the one COPY path (:meth:`insert_columns`)."""
        if rows:
            self.insert_columns(table, columns, [list(c) for c in zip(*rows, strict=True)])

    def insert_columns(self, table: Table, columns: Sequence[str], values: list[Any]) -> None:
        """COPY of the columns as CSV (:meth:`_copy_in`)."""
        self._copy_in(f'"{table.name}"', table, columns, values)

    def insert_new(self, table: Table, columns: Sequence[str], values: list[Any]) -> int:
        """COPY into a temporary table, then ``INSERT … SELECT … ON CONFLICT DO NOTHING``;
        the temporary table is dropped at once (and with the transaction in any case)."""
        if not len(values) or not len(values[0]):
            return 0
        names = ", ".join(f'"{c}"' for c in columns)
        self.execute(
            f'CREATE TEMP TABLE "incoming" ON COMMIT DROP AS SELECT {names} '
            f'FROM "{table.name}" WITH NO DATA'
        )
        self._copy_in('"incoming"', table, columns, values)
        with self._con.cursor() as cur:
            cur.execute(
                f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "incoming" '
                "ON CONFLICT DO NOTHING"
            )
            count = cur.rowcount
        self.execute('DROP TABLE "incoming"')
        return int(count)

    def _copy_in(
        self, target: str, table: Table, columns: Sequence[str], values: list[Any]
    ) -> None:
        """Columns of database values into ``target`` by ``COPY … FROM STDIN (FORMAT csv)``,
        the CSV written by Arrow's writer (C++; every value quoted, a missing one an unquoted
        empty field, which is NULL), :data:`_COPY_ROWS` rows at a time, in UTF-8 (the
        connection's client encoding, set on connect). Several times faster than a COPY row
        by row from Python."""
        import io

        import pyarrow as pa
        from pyarrow import csv as pacsv

        n = len(values[0]) if len(values) else 0
        if not n:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        arrow_types = {"int": pa.int64(), "real": pa.float64(), "bool": pa.bool_()}
        types = [
            arrow_types.get("int" if c == "fid" else table.kind(c), pa.string()) for c in columns
        ]
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        with (
            self._con.cursor() as cur,
            cur.copy(f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            for begin in range(0, n, _COPY_ROWS):
                part = pa.table(
                    [
                        _arrow_array(column[begin : begin + _COPY_ROWS], kind)
                        for column, kind in zip(values, types, strict=True)
                    ],
                    names=[f"c{i}" for i in range(len(columns))],
                )
                buffer = io.BytesIO()
                pacsv.write_csv(part, buffer, options)
                copy.write(buffer.getbuffer())

    def table_exists(self, name: str) -> bool:
        """Whether the register's schema has table ``name``."""
        found = self.fetch(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [self.schema, name],
        )
        return bool(found)

    def prepare(self) -> None:
        """The register's schema, and PostGIS (created when missing and allowed)."""
        import psycopg

        if not self.fetch("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"):
            try:
                self.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.Error as exc:
                raise RegisterError(msg("reg_err_no_postgis", register=self.label)) from exc
        self.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')

    def create_table(self, table: Table) -> None:
        """The table with its constraints, indexes and a GiST index on its geometry, sent as
        one batch of statements (no parameters: every name is a constant of this package). A
        table whose rows the register updates leaves room on each page
        (:data:`_FILLFACTOR`), so an update that changes no indexed column stays on its page
        and touches no index."""
        parts = ['"fid" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY']
        parts += [
            f'"{name}" ' + _TYPES[kind].format(srid=self.srid) for name, kind in table.columns
        ]
        parts += ["UNIQUE (" + ", ".join(f'"{c}"' for c in cols) + ")" for cols in table.unique]
        storage = f" WITH (fillfactor = {_FILLFACTOR})" if table.updated else ""
        statements = [f'CREATE TABLE "{table.name}" ({", ".join(parts)}){storage}']
        for i, cols in enumerate(table.indexes):
            names = ", ".join(f'"{c}"' for c in cols)
            statements.append(f'CREATE INDEX "ix_{table.name}_{i}" ON "{table.name}" ({names})')
        geom = table.geometry
        if geom:
            statements.append(
                f'CREATE INDEX "gix_{table.name}" ON "{table.name}" USING GIST ("{geom}")'
            )
        statements.append(f'COMMENT ON TABLE "{table.name}" IS ' + _literal(table.description))
        self._con.execute("; ".join(statements).encode())

    def encode(self, geoms: np.ndarray) -> list[Any]:
        """Extended WKB as hex text, with the SRID (what COPY reads into a geometry); 2D
        points written straight from their coordinates (no WKB writer per point)."""
        out: list[Any] = [None] * len(geoms)
        present = np.array([g is not None for g in geoms], dtype=bool)
        if not present.any():
            return out
        shapes = np.asarray(geoms[present], dtype=object)
        plain_points = (shapely.get_type_id(shapes) == shapely.GeometryType.POINT) & ~(
            shapely.has_z(shapes) | shapely.is_empty(shapes)
        )
        if plain_points.all():
            hexes = _point_ewkb_hex(shapely.get_coordinates(shapes), self.srid)
        else:
            shapes = shapely.set_srid(shapes, self.srid)
            hexes = shapely.to_wkb(shapes, hex=True, include_srid=True, flavor="extended")
        for position, value in zip(np.flatnonzero(present), hexes, strict=True):
            out[position] = value
        return out

    def decode(self, values: Sequence[Any]) -> np.ndarray:
        """From WKB (:meth:`select` asks for ``ST_AsBinary``); shapely objects (read by
        :meth:`read_whole`) pass as they are."""
        first = next((v for v in values if v is not None), None)
        if first is not None and not isinstance(first, bytes | memoryview):
            return np.asarray(values, dtype=object)
        wkb = np.array([None if v is None else bytes(v) for v in values], dtype=object)
        return np.asarray(shapely.from_wkb(wkb), dtype=object)

    def decode_xy(self, values: Sequence[Any]) -> np.ndarray:
        """Points (WKB from :meth:`select`) read straight from their bytes when every one is
        a little-endian 2D point; others (and missing ones) through :meth:`decode`."""
        xy = point_xy(values)
        return super().decode_xy(values) if xy is None else xy

    def read_whole(self, table: Table) -> dict[str, Any] | None:
        """``COPY (SELECT …) TO STDOUT`` as CSV with every value quoted, read by Arrow's CSV
        reader: a NULL is an unquoted empty field, an empty text a quoted one; a point as its
        two coordinates, other geometries as hex WKB; instants in the text form, cast by Arrow.
        Several times faster than psycopg's rows for a large table."""
        import io

        import pyarrow as pa
        from pyarrow import csv as pacsv

        columns = ["fid", *table.names]
        exprs: list[str] = []
        types: list[Any] = []
        for column in columns:
            kind = "int" if column == "fid" else table.kind(column)
            if kind == "point":
                exprs += [f'ST_X("{column}")', f'ST_Y("{column}")']
                types += [pa.float64(), pa.float64()]
                continue
            expr = self.select(table, column)
            exprs.append(f"encode({expr}, 'hex')" if kind == "multipolygon" else expr)
            types.append({"int": pa.int64(), "real": pa.float64()}.get(kind, pa.string()))
        sql = (
            f'COPY (SELECT {", ".join(exprs)} FROM "{table.name}" ORDER BY "fid") '
            "TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"
        )
        buffer = io.BytesIO()
        with self._con.cursor() as cur, cur.copy(sql) as copy:
            for block in copy:
                buffer.write(block)
        if not buffer.tell():  # no rows (Arrow refuses an empty CSV)
            return {name: np.array([], dtype=object) for name in columns}
        buffer.seek(0)
        names = [f"c{i}" for i in range(len(exprs))]
        arrow = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(zip(names, types, strict=True)),
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
        data: dict[str, Any] = {}
        position = 0
        for column in columns:
            kind = "int" if column == "fid" else table.kind(column)
            if kind == "point":
                x = arrow.column(position).to_numpy(zero_copy_only=False)
                y = arrow.column(position + 1).to_numpy(zero_copy_only=False)
                points = np.asarray(shapely.points(x, y), dtype=object)
                points[np.isnan(x)] = None
                data[column] = points
                position += 2
                continue
            values = arrow.column(position)
            if kind == "multipolygon":
                data[column] = np.asarray(
                    shapely.from_wkb(values.to_numpy(zero_copy_only=False)), dtype=object
                )
            else:
                data[column] = arrow_values(values, kind)
            position += 1
        return data

    def select(self, table: Table, column: str) -> str:
        """Instants in the text form, geometries as WKB."""
        kind = "int" if column == "fid" else table.kind(column)
        if kind == "datetime":
            return f'to_char("{column}" AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')'
        if kind in ("point", "multipolygon"):
            return f'ST_AsBinary("{column}")'
        return f'"{column}"'

    def close(self) -> None:
        """Close the connection."""
        self._con.close()


_EWKB_POINT = np.dtype(
    [("order", "u1"), ("type", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")]
)
"""A little-endian extended WKB 2D point with its SRID: 25 bytes, no padding."""


def _point_ewkb_hex(xy: np.ndarray, srid: int) -> list[str]:
    """Points (an ``(n, 2)`` array) as the hex text of little-endian extended WKB with the
    SRID, as :func:`shapely.to_wkb` writes it (``flavor="extended"``, ``include_srid``).

    Examples
    --------
    >>> point = shapely.set_srid(shapely.Point(1.5, -2), 3006)
    >>> _point_ewkb_hex(np.array([[1.5, -2.0]]), 3006) == [
    ...     shapely.to_wkb(point, hex=True, include_srid=True, flavor="extended")
    ... ]
    True
    """
    records = np.empty(len(xy), dtype=_EWKB_POINT)
    records["order"], records["type"], records["srid"] = 1, 0x20000001, srid
    records["x"], records["y"] = xy[:, 0], xy[:, 1]
    text = records.tobytes().hex().upper()
    size = 2 * _EWKB_POINT.itemsize
    return [text[i : i + size] for i in range(0, len(text), size)]


def _arrow_array(values: Sequence[Any], kind: Any) -> Any:
    """Database values as an Arrow array of type ``kind``. Values of another Python type are
    written as PostgreSQL reads them in a COPY: in a text column as their text (a number given
    for an id, a day read from another register), in a boolean column as true or false
    (SQLite's 0 and 1)."""
    import pyarrow as pa

    try:
        return pa.array(values, type=kind)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        if kind == pa.string():
            return pa.array([None if v is None else str(v) for v in values], type=kind)
        if kind == pa.bool_():
            return pa.array([None if v is None else bool(v) for v in values], type=kind)
        raise


def _literal(text: str) -> str:
    """A constant of this package as an SQL string literal (COMMENT takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"
