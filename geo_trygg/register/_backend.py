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
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg.register._schema import GEOMETRY_TYPES, Table

__all__ = [
    "Backend",
    "arrow_values",
    "frame_from_columns",
    "frame_from_rows",
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

    def insert_new(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> int:  # pragma: no cover
        """Insert the rows whose unique key the table does not have yet; return how many."""
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

    def read_whole(self, table: Table) -> dict[str, Any] | None:
        """Every row of ``table`` as columns (``fid`` first, in ``fid`` order) by a faster
        route than row by row, or None where the backend has none."""
        return None

    def select(self, table: Table, column: str) -> str:
        """The select expression of ``column`` that gives its value in the text form."""
        return f'"{column}"'


# --- frames <-> rows -----------------------------------------------------------------------------


def _nullable(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[missing] = None
    return out


def _is_datetime(series: pd.Series) -> bool:
    """Already datetimes (naive or with a zone): no parsing needed (pandas' parser is slow
    even on datetimes, for its cache check)."""
    return pd.api.types.is_datetime64_any_dtype(series.dtype)


def _column_values(series: pd.Series, kind: str, backend: Backend) -> np.ndarray | list[Any]:
    """One column of a frame as database values (see the module docstring)."""
    if kind in GEOMETRY_TYPES:
        geoms = np.asarray(series, dtype=object)
        if kind == "multipolygon":
            polygon = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
            geoms = geoms.copy()
            geoms[polygon] = shapely.multipolygons(geoms[polygon].reshape(-1, 1))
        return backend.encode(geoms)
    missing = series.isna().to_numpy()
    if kind == "date":
        days = series if _is_datetime(series) else pd.to_datetime(series, errors="coerce")
        if isinstance(days.dtype, pd.DatetimeTZDtype):
            days = days.dt.tz_localize(None)
        text = np.datetime_as_string(days.to_numpy(dtype="datetime64[D]"), unit="D")
        return _nullable(text, missing | days.isna().to_numpy())
    if kind == "datetime":
        times = series if _is_datetime(series) else pd.to_datetime(series, errors="coerce")
        if isinstance(times.dtype, pd.DatetimeTZDtype):
            times = times.dt.tz_convert("UTC").dt.tz_localize(None)
        text = np.char.add(
            np.datetime_as_string(times.to_numpy(dtype="datetime64[ms]"), unit="ms"), "Z"
        )
        return _nullable(text, missing | times.isna().to_numpy())
    if kind == "int":
        numbers = pd.array(series, dtype="Int64")
        return _nullable(numbers.to_numpy(dtype="int64", na_value=0), missing)
    if kind == "real":
        return _nullable(np.asarray(series, dtype="float64"), missing)
    if kind == "bool":
        return _nullable(np.asarray(series.fillna(False), dtype=bool), missing)
    return _nullable(series.astype(object).to_numpy(), missing)


def rows_from_frame(
    frame: pd.DataFrame, table: Table, columns: Sequence[str], backend: Backend
) -> list[tuple[Any, ...]]:
    """The rows of ``frame`` as database values of ``table``'s ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Has every column of ``columns`` (geometries as shapely objects).
    table : Table
        Gives each column's logical type.
    columns : sequence of str
        The columns written, in order.
    backend : Backend
        Encodes the geometries.

    Returns
    -------
    list of tuple
        One tuple per row, values in the text form of :mod:`geo_trygg.register._backend`.
    """
    if not len(frame):
        return []
    parts = [
        _column_values(frame[name], "int" if name == "fid" else table.kind(name), backend)
        for name in columns
    ]
    return list(zip(*parts, strict=True))


def frame_from_rows(
    rows: list[tuple[Any, ...]], table: Table, columns: Sequence[str], backend: Backend
) -> pd.DataFrame:
    """Rows read from ``table`` back as a frame with pandas types (see
    :func:`frame_from_columns`)."""
    data = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return frame_from_columns(dict(zip(columns, data, strict=True)), table, backend)


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
            if isinstance(values, pd.Series) and _is_datetime(values):  # read by GDAL
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
            if (raw[:, :5] == np.array([1, 1, 0, 0, 0], dtype=np.uint8)).all():
                xy = np.ascontiguousarray(raw[:, 5:21]).view("<f8").reshape(n, 2)
                return np.asarray(shapely.points(xy), dtype=object)
    return np.asarray(shapely.from_wkb(column.to_numpy(zero_copy_only=False)), dtype=object)


def _binary() -> Any:
    import pyarrow as pa

    return pa.binary()
