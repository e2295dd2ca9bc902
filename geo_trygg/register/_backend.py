"""What both register backends share: the interface, and values between frames and rows.

A backend (:class:`Backend`) is one open connection to a register, GeoPackage
(:mod:`~geo_trygg.register._gpkg`) or PostGIS (:mod:`~geo_trygg.register._postgis`). The
register's code writes its SQL once, with ``?`` placeholders and double-quoted names; the
PostGIS backend turns ``?`` into ``%s`` (the statements are constants of this package, never
built from input: every value travels as a parameter).

Values cross in one text form on both backends: a day as ``YYYY-MM-DD``, an instant as
``YYYY-MM-DDTHH:MM:SS.sssZ`` in UTC (the GeoPackage form of DATETIME; PostgreSQL reads it
into ``timestamptz``), booleans as Python bools, missing values as None. Geometries are the
one thing each backend encodes itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.register._schema import GEOMETRY_TYPES, Table

__all__ = [
    "Backend",
    "arrow_values",
    "days_of",
    "db_columns",
    "frame_from_columns",
    "point_xy",
    "rows_from_frame",
    "wkb_values",
]

STOCKHOLM = "Europe/Stockholm"
"""The time zone instants are given back in (the readers' zone)."""


class Backend:
    """One open connection to a register (subclassed per backend).

    Attributes
    ----------
    kind : str
        ``"gpkg"`` or ``"postgis"``.
    label : str
        What the user gave, safe to show (a PostGIS URL without its password).
    srid : int
        The EPSG code of the register's geometries.
    """

    kind = ""
    label = ""
    srid = 3006

    # --- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:  # pragma: no cover - every backend has its own
        """A write transaction: exclusive among writers, all of it or nothing."""
        raise NotImplementedError
        yield

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:  # pragma: no cover - every backend has its own
        """A read transaction: every query in it sees the same committed state."""
        raise NotImplementedError
        yield

    # --- statements -----------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:  # pragma: no cover
        """Run one statement."""
        raise NotImplementedError

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        raise NotImplementedError  # pragma: no cover

    def insert_rows(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:  # pragma: no cover
        """Insert rows (values in the text form above, geometries encoded)."""
        raise NotImplementedError  # pragma: no cover

    def execute_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:  # pragma: no cover
        """Run one statement once per row of parameters."""
        raise NotImplementedError

    def mark_seen(self, seen: list[tuple[str, str]]) -> None:
        """Findings seen again (``(finding_id, day)``, each id once): one more sighting, and
        ``last_seen`` moved to the day when it is later."""
        self.execute_many(
            'UPDATE "findings" SET "n_seen" = "n_seen" + 1, "last_seen" = CASE WHEN '
            '"last_seen" IS NULL OR "last_seen" < ? THEN ? ELSE "last_seen" END '
            'WHERE "finding_id" = ?',
            [(day, day, fid) for fid, day in seen],
        )

    def existing(self, table: Table, column: str, values: Sequence[str]) -> set[str]:
        """Which of ``values`` (text) the table's ``column`` has: asked for by value, 500 at a
        time, never the whole table read."""
        found: set[str] = set()
        unique = sorted(set(values))
        for begin in range(0, len(unique), 500):
            chunk = unique[begin : begin + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.fetch(
                f'SELECT "{column}" FROM "{table.name}" WHERE "{column}" IN ({marks})', chunk
            )
            found.update(str(r[0]) for r in rows)
        return found

    def insert_columns(
        self, table: Table, columns: Sequence[str], values: list[Any]
    ) -> None:  # pragma: no cover
        """Insert rows given as columns (:func:`db_columns`: one sequence of database values
        per name of ``columns``, geometries encoded)."""
        raise NotImplementedError

    def insert_new(
        self, table: Table, columns: Sequence[str], values: list[Any]
    ) -> int:  # pragma: no cover
        """Insert the rows (given as columns, as :meth:`insert_columns`) whose unique key the
        table does not have yet; return how many."""
        raise NotImplementedError

    def insert_one(self, table: Table, columns: Sequence[str], row: tuple[Any, ...]) -> int:
        """Insert one row (no geometry) and return its ``fid``."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) RETURNING "fid"'
        return int(self.fetch(sql, row)[0][0])

    def sync_ids(self, table: Table) -> None:
        """After rows were inserted with their own ``fid``: new rows continue after them."""

    def table_exists(self, name: str) -> bool:  # pragma: no cover
        """Whether the register has table ``name``."""
        raise NotImplementedError

    def create_table(self, table: Table) -> None:  # pragma: no cover
        """Create ``table`` with its constraints and indexes (inside a write transaction)."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Make a new, empty register ready for tables (GeoPackage: its own tables)."""

    def close(self) -> None:  # pragma: no cover
        """Close the connection."""
        raise NotImplementedError

    # --- geometries -----------------------------------------------------------------------

    def encode(self, geoms: np.ndarray) -> list[Any]:  # pragma: no cover
        """Geometries (shapely, None for missing) as the backend stores them."""
        raise NotImplementedError

    def decode(self, values: Sequence[Any]) -> np.ndarray:  # pragma: no cover
        """Stored geometries back as shapely objects."""
        raise NotImplementedError

    def decode_xy(self, values: Sequence[Any]) -> np.ndarray:
        """Stored points as an ``(n, 2)`` array of coordinates (NaN where missing)."""
        geoms = self.decode(values)
        return np.column_stack([shapely.get_x(geoms), shapely.get_y(geoms)]).reshape(-1, 2)

    def read_whole(self, table: Table) -> dict[str, Any] | None:
        """Every row of ``table`` as columns (``fid`` first, in ``fid`` order) by a faster
        route than row by row, or None where the backend has none."""
        return None

    def select(self, table: Table, column: str) -> str:
        """The select expression of ``column`` that gives its value in the text form."""
        return f'"{column}"'


# --- frames <-> rows -----------------------------------------------------------------------------


def _nullable(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` as objects with None where ``missing`` (copied only when something is)."""
    if not missing.any():
        return values.astype(object, copy=False)
    out = values.astype(object)
    out[missing] = None
    return out


def _is_scalar(values: Any) -> bool:
    """A single value for every row (text, number, day, None), not a column."""
    return values is None or isinstance(values, str | bytes) or np.ndim(values) == 0


def _times(values: Any) -> pd.Series | np.ndarray:
    """Days or instants as datetimes, parsed only when they are not datetimes already
    (pandas' parser is slow even on datetimes, for its cache check)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values
    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    return pd.to_datetime(pd.Series(values), errors="coerce")


def _naive(times: pd.Series | np.ndarray, *, utc: bool) -> np.ndarray:
    """Datetimes without a zone: instants with one in UTC (``utc``) or as the wall clock
    (days), naive ones as they are."""
    if isinstance(times, pd.Series) and isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert("UTC") if utc else times
        times = times.dt.tz_localize(None)
    return np.asarray(times)


def days_of(values: Any) -> np.ndarray:
    """Days (datetimes, text, dates) as ``datetime64[D]``, NaT where missing or unreadable; a
    day of an instant with a zone is its day on the wall clock."""
    return _naive(_times(values), utc=False).astype("datetime64[D]")


def _column_values(values: Any, kind: str, backend: Backend, n: int) -> np.ndarray | list[Any]:
    """One column (a Series, an array, a list, or one value for all ``n`` rows) as database
    values (see the module docstring)."""
    if _is_scalar(values):
        if values is None or (kind == "text" and isinstance(values, str)):
            return [values] * n
        one = _column_values(np.array([values], dtype=object), kind, backend, 1)
        return [one[0]] * n
    if kind in GEOMETRY_TYPES:
        geoms = np.asarray(values, dtype=object)
        if kind == "multipolygon":
            polygon = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
            geoms = geoms.copy()
            geoms[polygon] = shapely.multipolygons(geoms[polygon].reshape(-1, 1))
        return backend.encode(geoms)
    if kind in ("date", "datetime"):
        times = _naive(_times(values), utc=kind == "datetime")
        if kind == "date":
            text = np.datetime_as_string(times.astype("datetime64[D]"), unit="D")
        else:
            text = np.char.add(
                np.datetime_as_string(times.astype("datetime64[ms]"), unit="ms"), "Z"
            )
        return _nullable(text, np.isnat(times))
    missing = np.asarray(pd.isna(values), dtype=bool)
    if kind == "int":
        numbers = pd.array(values, dtype="Int64")
        return _nullable(numbers.to_numpy(dtype="int64", na_value=0), missing)
    if kind == "real":
        return _nullable(np.asarray(values, dtype="float64"), missing)
    if kind == "bool":
        truth = np.asarray(values, dtype=object).copy()
        truth[missing] = False
        return _nullable(truth.astype(bool), missing)
    return _nullable(np.asarray(values, dtype=object), missing)


def db_columns(data: Mapping[str, Any], table: Table, backend: Backend) -> list[Any]:
    """Columns of ``table`` as columns of database values.

    Parameters
    ----------
    data : mapping of str to array-like or value
        Per column name of ``table`` (or ``fid``), its values: a Series, an array or a list
        (geometries as shapely objects), or one value for every row. At least one column is
        an array; all arrays have the same length.
    table : Table
        Gives each column's logical type.
    backend : Backend
        Encodes the geometries.

    Returns
    -------
    list
        Per column of ``data``, in its order, a sequence of values in the text form of
        :mod:`geo_trygg.register._backend` (None where missing); all of one length.
    """
    lengths = {len(v) for v in data.values() if not _is_scalar(v)}
    if len(lengths) != 1:
        raise ValueError(f"columns of different lengths, or none: {sorted(lengths)}")
    n = lengths.pop()
    out = []
    for name, values in data.items():
        kind = "int" if name == "fid" else table.kind(name)
        column = _column_values(values, kind, backend, n)
        if kind == "text":
            _refuse_nul(column[:1] if _is_scalar(values) else column, name)
        out.append(column)
    return out


def _refuse_nul(values: Any, name: str) -> None:
    """Refuse a text holding a NUL character (no database text can: PostgreSQL refuses it,
    SQLite's readers cut the text there), naming the column and the row (1 = the first).
    One scan of the column's texts joined (in C), then a search only when one has it."""
    try:
        joined = "\x01".join(values)
    except TypeError:  # missing values (None), or a number given for a text
        joined = "\x01".join(v for v in values if isinstance(v, str))
    if "\x00" not in joined:
        return
    row = next(i for i, v in enumerate(values) if isinstance(v, str) and "\x00" in v)
    raise ConfigError(msg("reg_err_nul", column=name, row=row + 1))


def rows_from_frame(
    frame: pd.DataFrame, table: Table, columns: Sequence[str], backend: Backend
) -> list[tuple[Any, ...]]:
    """The rows of ``frame`` as database values of ``table``'s ``columns``
    (:func:`db_columns` of those columns, as one tuple per row)."""
    if not len(frame):
        return []
    values = db_columns({name: frame[name] for name in columns}, table, backend)
    return list(zip(*values, strict=True))


def frame_from_columns(
    data: dict[str, Sequence[Any]], table: Table, backend: Backend
) -> pd.DataFrame:
    """Columns read from ``table`` (values in the text form, or the backend's own types)
    back as a frame with pandas types.

    Days become ``datetime64[ns]``, instants ``datetime64[ns, Europe/Stockholm]``, integers
    ``Int64``, booleans ``boolean``, geometries shapely objects (the caller makes the
    GeoDataFrame).
    """
    out: dict[str, Any] = {}
    for name, values in data.items():
        kind = "int" if name == "fid" else table.kind(name)
        if kind in GEOMETRY_TYPES:
            out[name] = backend.decode(values)
        elif kind == "date":
            out[name] = pd.to_datetime(
                pd.Series(values, dtype=object).map(_day_text), format="%Y-%m-%d"
            ).astype("datetime64[ns]")
        elif kind == "datetime":
            if isinstance(values, pd.Series) and values.dtype.kind == "M":  # read by GDAL
                times = values if values.dt.tz is not None else values.dt.tz_localize("UTC")
            else:
                times = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=True)
            out[name] = times.dt.tz_convert(STOCKHOLM).astype(f"datetime64[ns, {STOCKHOLM}]")
        elif kind == "int":
            if isinstance(values, np.ndarray) and values.dtype.kind in "iu":  # read whole
                numbers = pd.Series(values)
            else:
                numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
            out[name] = pd.array(numbers, dtype="Int64")
        elif kind == "real":
            out[name] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(
                "float64"
            )
        elif kind == "bool":
            out[name] = pd.array([_truth(v) for v in values], "boolean")
        else:
            out[name] = pd.Series(values, dtype=object)
    frame = pd.DataFrame({k: pd.Series(v).reset_index(drop=True) for k, v in out.items()})
    return frame.reindex(columns=list(data))


def _truth(value: Any) -> bool | None:
    """A stored boolean: SQLite's 0/1, PostgreSQL's bool, or COPY's ``t``/``f``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.lower() in ("t", "true", "1")
    return bool(value)


def _day_text(value: Any) -> Any:
    """A stored day as ``YYYY-MM-DD`` text (PostgreSQL gives dates, GeoPackage text)."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]


# --- columns read whole (Arrow) ------------------------------------------------------------------


def arrow_values(column: Any, kind: str) -> Any:
    """One column of an Arrow table as :func:`~geo_trygg.register._backend.frame_from_columns`
    takes it: instants as a pandas Series in UTC, geometries (WKB) as shapely objects (2D
    points read straight from the WKB bytes), the rest as a NumPy array."""
    import pyarrow as pa

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if kind == "datetime":
        if not pa.types.is_timestamp(column.type):
            column = column.cast(pa.timestamp("ms", tz="UTC"))
        return column.to_pandas()
    if kind in ("point", "multipolygon"):
        return wkb_values(column)
    return column.to_numpy(zero_copy_only=False)


_WKB_POINT = 21
"""Bytes of a little-endian 2D WKB point."""
_WKB_POINT_HEAD = np.array([1, 1, 0, 0, 0], dtype=np.uint8)
"""Its first five bytes: little-endian, type 1 (point)."""


def point_xy(blobs: Sequence[Any], *, prefix: bytes = b"", header: int = 0) -> np.ndarray | None:
    """The ``(n, 2)`` coordinates of blobs that each are ``header`` bytes (starting with
    ``prefix``) and a little-endian 2D WKB point, read as one block (no parsing per point);
    None when any blob is otherwise (missing, another type, another byte order).

    Examples
    --------
    >>> point_xy([shapely.to_wkb(shapely.Point(1.5, 2), byte_order=1)]).tolist()
    [[1.5, 2.0]]
    """
    size = header + _WKB_POINT
    if not len(blobs) or any(b is None or len(b) != size for b in blobs):
        return None
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), size)
    if prefix and raw[:, : len(prefix)].tobytes() != prefix * len(blobs):
        return None
    if not (raw[:, header : header + 5] == _WKB_POINT_HEAD).all():
        return None
    return np.ascontiguousarray(raw[:, header + 5 :]).view("<f8").reshape(len(blobs), 2)


def wkb_values(column: Any) -> np.ndarray:
    """WKB in an Arrow binary array as shapely objects; an array of nothing but little-endian
    2D points is read as one block of coordinates (no parsing per point)."""
    n = len(column)
    if n and column.null_count == 0 and column.type.equals(_binary()):
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[column.offset :]
        lengths = np.diff(offsets[: n + 1])
        if (lengths == _WKB_POINT).all():
            start = int(offsets[0])
            raw = np.frombuffer(column.buffers()[2], dtype=np.uint8)[
                start : start + n * _WKB_POINT
            ].reshape(n, _WKB_POINT)
            if (raw[:, :5] == _WKB_POINT_HEAD).all():
                xy = np.ascontiguousarray(raw[:, 5:21]).view("<f8").reshape(n, 2)
                return np.asarray(shapely.points(xy), dtype=object)
    return np.asarray(shapely.from_wkb(column.to_numpy(zero_copy_only=False)), dtype=object)


def _binary() -> Any:
    import pyarrow as pa

    return pa.binary()
