"""The :class:`Register`: one API over a GeoPackage file or a PostGIS database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, RegisterError
from geo_trygg._files import sha256
from geo_trygg._labels import msg
from geo_trygg.register._backend import Backend, frame_from_columns
from geo_trygg.register._imports import (
    EVENT_COLUMNS,
    ImportReport,
    check_coverage,
    import_status,
    import_walk,
    store_events,
)
from geo_trygg.register._plan import add_measures, add_problems, update_measure
from geo_trygg.register._schema import TABLES
from geo_trygg.register._store import connect, read_table

__all__ = ["Register", "copy_register", "open_register"]

PathType = str | PathLike[str]


class Register:
    """A register of walks, findings, their history, event batches and the plan.

    Open one with :func:`open_register`; use it as a context manager (or call
    :meth:`close`). Every import is one transaction; every read sees one committed state.

    Attributes
    ----------
    label : str
        The GeoPackage path or the PostGIS URL (without a password).
    kind : str
        ``"gpkg"`` or ``"postgis"``.
    crs : str
        The CRS of the register's geometries (``"EPSG:3006"``).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.label = backend.label
        self.kind = backend.kind
        self.crs = f"EPSG:{backend.srid}"

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Register({self.label!r})"

    def close(self) -> None:
        """Close the connection (the register stays as it is)."""
        self._backend.close()

    # --- imports ----------------------------------------------------------------------------

    def import_walk(
        self,
        path: PathType,
        *,
        walk: str,
        distance: float = 10.0,
        by: str | None = None,
        **read: Any,
    ) -> ImportReport:
        """Import a walk protocol and merge its findings with the register's.

        Parameters
        ----------
        path : str or path-like
            The protocol, read by :func:`geo_trygg.read_findings`.
        walk : str
            The walk's name, unique in the register (``"Älvsjö centrum 2024-10"``).
        distance : float, default 10
            Metres within which an open finding of the same category is the same finding
            (:mod:`geo_trygg.register._merge`).
        by : str, optional
            Who imports (kept in the history); the system user name by default.
        **read
            Passed to :func:`geo_trygg.read_findings` (``columns``, ``crs``, ``sheet``…).

        Returns
        -------
        ImportReport

        Raises
        ------
        ConfigError
            A bad ``walk`` or ``distance``, or a reader argument.
        ReadError
            The file cannot be read.
        RegisterError
            Another file was already imported as this walk.
        """
        return import_walk(
            self._backend, Path(path), walk=walk, distance=distance, by=by, read=read
        )

    def import_status(self, path: PathType, *, by: str | None = None, **read: Any) -> ImportReport:
        """Import a status file returned by a responsible actor into the history.

        Parameters
        ----------
        path : str or path-like
            Read by :func:`geo_trygg.io.status.read_status_updates`.
        by : str, optional
            Who imports; the system user name by default.
        **read
            Passed to the reader (``columns``, ``sheet``…).

        Returns
        -------
        ImportReport
            Rows naming no finding are rejected with their row number.
        """
        return import_status(self._backend, Path(path), by=by, read=read)

    def import_events(
        self,
        path: PathType,
        *,
        coverage: tuple[Any, Any] | None = None,
        by: str | None = None,
        **read: Any,
    ) -> ImportReport:
        """Import a batch of events (police, housing companies, transit, guards).

        Parameters
        ----------
        path : str or path-like
            Read by :func:`geo_trygg.read_events` (``source=`` and the other reader
            arguments go in ``**read``).
        coverage : (date, date), optional
            First and last day the batch covers, both included; by default its first and last
            event's days, with a note (a quiet week at the end would then not count as covered).
        by : str, optional
            Who imports.

        Returns
        -------
        ImportReport
            Events the register has already (same source and id) are counted, not stored.
        """
        from geo_trygg.io.readers import read_events

        span = check_coverage(coverage)
        path = Path(path)
        digest = sha256(path) if path.is_file() else None
        result = read_events(path, to_crs=self.crs, **read)
        report = store_events(
            self._backend,
            result.accepted,
            name=path.name,
            digest=digest,
            coverage=span,
            by=by,
            summary=result.to_dict()["summary"],
            rejected=result.rejected,
            n_input=result.summary.n_input,
        )
        report.notes[:0] = result.summary.notes
        return report

    def add_events(
        self,
        events: gpd.GeoDataFrame,
        *,
        name: str,
        coverage: tuple[Any, Any] | None = None,
        by: str | None = None,
    ) -> ImportReport:
        """Store events already read (e.g. ``read_events(...).accepted``) as one batch.

        Parameters
        ----------
        events : geopandas.GeoDataFrame
            Event columns of ``docs/data-model.md`` (``event_id`` and ``source`` at least) and
            points in any CRS (converted to the register's).
        name : str
            What the batch is called in the register's list of imports.
        coverage, by
            As in :meth:`import_events`.

        Returns
        -------
        ImportReport
        """
        if not isinstance(events, gpd.GeoDataFrame):
            raise ConfigError(msg("reg_err_events_frame", got=type(events).__name__))
        missing = [c for c in ("event_id", "time_from", "category") if c not in events]
        if missing:
            raise ConfigError(msg("reg_err_events_columns", columns=", ".join(missing)))
        return store_events(
            self._backend,
            events,
            name=str(name),
            digest=None,
            coverage=check_coverage(coverage),
            by=by,
            summary={"kind": "events", "source": str(name), "n_input": len(events)},
            rejected=pd.DataFrame(columns=["row", "column", "value", "reason"]),
            n_input=len(events),
        )

    # --- reads ------------------------------------------------------------------------------

    def _frame(self, name: str, **kw: Any) -> pd.DataFrame:
        with self._backend.reading():
            return read_table(self._backend, name, **kw)

    def _geo(self, frame: pd.DataFrame) -> gpd.GeoDataFrame:
        geom = frame.pop("geom")
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geom.to_numpy(), crs=self.crs))

    def findings(self) -> gpd.GeoDataFrame:
        """Every finding with its current status, one row each.

        Returns
        -------
        geopandas.GeoDataFrame
            The columns of :func:`geo_trygg.read_findings` (``finding_id`` is the register's
            id) and ``walk`` (the first walk that saw it), ``source_id`` (its id in that
            protocol), ``last_seen``, ``n_seen``; indexed 0…n−1 in the order they were
            recorded.
        """
        frame = self._frame("findings").drop(columns="fid")
        return self._geo(frame)

    def sightings(self) -> pd.DataFrame:
        """Every row of every walk: the finding it became (``kind`` ``new`` or
        ``seen_again``, ``distance_m`` to the finding it was matched with)."""
        return self._frame("sightings").drop(columns="fid")

    def history(self, object_kind: str | None = None) -> pd.DataFrame:
        """The status history (findings and measures), in the order it was recorded.

        Parameters
        ----------
        object_kind : {"finding", "measure"}, optional
            Only the history of findings or of measures.
        """
        if object_kind is None:
            return self._frame("status_history").drop(columns="fid")
        if object_kind not in ("finding", "measure"):
            raise ConfigError(msg("reg_err_object_kind", value=repr(object_kind)))
        return self._frame("status_history", where='"object_kind" = ?', params=[object_kind]).drop(
            columns="fid"
        )

    def walks(self) -> pd.DataFrame:
        """The walks imported: name, date, import and rows."""
        return self._frame("walks").drop(columns="fid")

    def imports(self) -> pd.DataFrame:
        """Every import with its counts and coverage; ``import_id`` is its ``fid``."""
        return self._frame("imports").rename(columns={"fid": "import_id"})

    def rejected(self, import_id: int | None = None) -> pd.DataFrame:
        """The rows imports rejected: ``import_id``, ``row``, ``column``, ``value``,
        ``reason``."""
        if import_id is None:
            frame = self._frame("rejected_rows")
        else:
            frame = self._frame("rejected_rows", where='"import_fid" = ?', params=[int(import_id)])
        frame = frame.drop(columns="fid").rename(
            columns={"import_fid": "import_id", "column_name": "column"}
        )
        return frame

    def events(
        self, *, start: Any = None, end: Any = None, sources: list[str] | None = None
    ) -> gpd.GeoDataFrame:
        """The events, as :func:`geo_trygg.read_events` gives them.

        Parameters
        ----------
        start, end : date or ISO text, optional
            Only events whose ``time_from`` is on or after ``start`` / before ``end``.
        sources : list of str, optional
            Only these sources (``polis``, ``bostadsbolag``…).

        Returns
        -------
        geopandas.GeoDataFrame
            The event columns of ``docs/data-model.md`` and ``import_id``, in import order.
        """
        first = None if start is None else pd.Timestamp(_instant(start, "start"))
        last = None if end is None else pd.Timestamp(_instant(end, "end"))
        if sources is not None and not sources:
            raise ConfigError(msg("reg_err_sources"))
        table = TABLES["events"]
        # one statement (GDAL's read, or one COPY): a consistent state by itself
        whole = self._backend.read_whole(table)
        if whole is None:
            frame = self._frame("events")
        else:
            frame = frame_from_columns(whole, table, self._backend)
        keep = np.ones(len(frame), dtype=bool)
        if first is not None:
            keep &= (frame["time_from"] >= first).to_numpy(dtype=bool, na_value=False)
        if last is not None:
            keep &= (frame["time_from"] < last).to_numpy(dtype=bool, na_value=False)
        if sources is not None:
            keep &= frame["source"].isin([str(s) for s in sources]).to_numpy()
        if not keep.all():
            frame = frame.loc[keep].reset_index(drop=True)
        frame = frame.drop(columns="fid").rename(columns={"import_fid": "import_id"})
        return self._geo(frame[[*EVENT_COLUMNS, "import_id", "geom"]])

    def coverage(self) -> pd.DataFrame:
        """Per event source the days its batches cover.

        Returns
        -------
        pandas.DataFrame
            ``source``, ``first``, ``last`` (the earliest first and the latest last day of its
            batches) and ``gaps`` (days between them that no batch covers), by source.
        """
        imports = self._frame("imports", where='"kind" = ?', params=["events"])
        rows = []
        for source in sorted({s for v in imports["source"].dropna() for s in v.split(",") if s}):
            mine = imports.loc[
                imports["source"].fillna("").str.split(",").map(lambda parts, s=source: s in parts)
            ]
            spans = mine[["coverage_from", "coverage_to"]].dropna()
            if not len(spans):
                continue
            covered = set()
            for first, last in spans.itertuples(index=False):
                covered.update(pd.date_range(first, last, freq="D"))
            first, last = min(covered), max(covered)
            total = len(pd.date_range(first, last, freq="D"))
            rows.append((source, first, last, total - len(covered)))
        return pd.DataFrame(rows, columns=["source", "first", "last", "gaps"])

    def problems(self) -> pd.DataFrame:
        """The plan's problems (the problems table of ``docs/plan.md``, and ``period``)."""
        return self._frame("problems").drop(columns="fid")

    def problem_findings(self) -> pd.DataFrame:
        """Which findings make up each problem of kind ``findings``."""
        return self._frame("problem_findings").drop(columns="fid")

    def measures(self) -> gpd.GeoDataFrame:
        """The plan's measures with their place: the measures table of ``docs/plan.md``
        (``start``, ``end`` as days) and ``area``, in the register's CRS."""
        frame = self._frame("measures").drop(columns="fid")
        return self._geo(frame.rename(columns={"start_date": "start", "end_date": "end"}))

    def links(self) -> pd.DataFrame:
        """Which problems each measure addresses: ``measure_id``, ``problem_id``."""
        return self._frame("measure_problems").drop(columns="fid")

    # --- the plan ---------------------------------------------------------------------------

    def add_problems(
        self,
        problems: pd.DataFrame,
        *,
        findings: Mapping[str, Sequence[str]] | None = None,
    ) -> int:
        """Add problems the plan addresses.

        Parameters
        ----------
        problems : pandas.DataFrame
            ``problem_id``, ``kind`` (``category_area``, ``hotspot``, ``findings``) and
            optionally ``category``, ``level``, ``area``, ``cell_id``, ``period``,
            ``description``.
        findings : mapping of str to list of str, optional
            For problems of kind ``findings``: their finding ids (register ids).

        Returns
        -------
        int
            Problems added.

        Raises
        ------
        ConfigError
            Every problem of the call at once (repeated or blank ids, unknown kinds or
            findings); nothing is written.
        """
        return add_problems(self._backend, problems, findings)

    def add_measures(
        self,
        measures: gpd.GeoDataFrame,
        *,
        links: pd.DataFrame | Mapping[str, Sequence[str]],
        by: str | None = None,
    ) -> int:
        """Add measures (åtgärder) with Brå's fields, their place and their problems.

        Parameters
        ----------
        measures : geopandas.GeoDataFrame
            ``measure_id``, ``title`` (åtgärd), ``status`` (``planned``, ``ongoing``, ``done``,
            ``cancelled``), ``start``, ``end`` and optionally ``cause`` (orsak),
            ``objective`` (operativt mål), ``responsible`` (vem), ``followup``
            (uppföljning), ``progress`` (0–100), ``public`` (its texts may be shown
            publicly), ``radius_m`` (with a point place), ``area``; the place as a polygon,
            or a point with ``radius_m``, in any CRS.
        links : pandas.DataFrame or mapping
            ``measure_id`` → problem ids (a mapping, or a table with ``measure_id``,
            ``problem_id``); every measure needs at least one known problem.
        by : str, optional
            Who adds them (the history's first row per measure).

        Returns
        -------
        int
            Measures added.
        """
        return add_measures(self._backend, measures, links, by)

    def update_measure(
        self,
        measure_id: str,
        *,
        on: Any,
        status: str | None = None,
        progress: float | None = None,
        comment: str | None = None,
        by: str | None = None,
    ) -> None:
        """Record a measure's new status and/or progress on day ``on`` (a history row).

        Parameters
        ----------
        measure_id : str
        on : date or ISO text
            The day the change happened.
        status : str, optional
            ``planned``, ``ongoing``, ``done`` or ``cancelled``.
        progress : float, optional
            Per cent done, 0–100.
        comment : str, optional
        by : str, optional
        """
        update_measure(
            self._backend,
            measure_id,
            on=on,
            status=status,
            progress=progress,
            comment=comment,
            by=by,
        )

    def counts(self) -> dict[str, int]:
        """Rows per table (a quick look, and what a backup must carry over)."""
        with self._backend.reading():
            return {
                name: int(self._backend.fetch(f'SELECT COUNT(*) FROM "{name}"')[0][0])
                for name in TABLES
            }

    # --- backups ----------------------------------------------------------------------------

    def export(self, path: PathType) -> Path:
        """Write the whole register to a new GeoPackage (a backup, or a move to PostGIS).

        Parameters
        ----------
        path : str or path-like
            A ``.gpkg`` file that does not exist yet.

        Returns
        -------
        pathlib.Path
        """
        out = Path(path)
        if out.exists():
            raise RegisterError(msg("reg_err_exists", path=str(out)))
        copy_register(self, out)
        return out


def _instant(value: Any, name: str) -> str:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ConfigError(msg("reg_err_day", name=name, value=repr(value)[:60])) from None
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("Europe/Stockholm")
    return stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.000Z")


def open_register(
    target: PathType,
    *,
    create: bool = True,
    schema: str = "geo_trygg",
    timeout: float = 60.0,
) -> Register:
    """Open (or create) a register: a GeoPackage file or a PostGIS database.

    Parameters
    ----------
    target : str or path-like
        A ``.gpkg`` path (the embedded default: one file, no server) or a
        ``postgresql://user@host:port/database`` URL (the password from ``PGPASSWORD`` or
        ``~/.pgpass``, never stored).
    create : bool, default True
        Create the register when it does not exist yet.
    schema : str, default "geo_trygg"
        PostgreSQL schema of the tables (PostGIS only).
    timeout : float, default 60
        Seconds a write waits while another process writes.

    Returns
    -------
    Register

    Raises
    ------
    ConfigError
        A target that is neither a ``.gpkg`` path nor a PostgreSQL URL; a bad option.
    RegisterError
        Not a register, a newer register than this geo_trygg knows, or no server.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp, open_register(
    ...     pathlib.Path(tmp) / "register.gpkg"
    ... ) as reg:
    ...     reg.counts()["findings"], reg.crs
    (0, 'EPSG:3006')
    """
    return Register(connect(target, create=create, schema=schema, timeout=timeout))


def _raw_rows(backend: Backend, name: str) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of a table in ``fid`` order, values in the text form, geometries as shapely
    objects, in chunks."""
    table = TABLES[name]
    columns = ["fid", *table.names]
    exprs = ", ".join(backend.select(table, c) for c in columns)
    geom = table.geometry
    position = columns.index(geom) if geom else -1
    kinds = ["int", *(k for _, k in table.columns)]
    last = 0
    while True:
        rows = backend.fetch(
            f'SELECT {exprs} FROM "{name}" WHERE "fid" > ? ORDER BY "fid" LIMIT 50000', [last]
        )
        if not rows:
            return
        last = int(rows[-1][0])
        out = []
        for row in rows:
            values = list(row)
            for i, kind in enumerate(kinds):
                if kind == "date" and values[i] is not None and not isinstance(values[i], str):
                    values[i] = values[i].isoformat()
            out.append(values)
        if position >= 0:
            shapes = backend.decode([r[position] for r in out])
            for r, shape in zip(out, shapes, strict=True):
                r[position] = shape
        yield [tuple(r) for r in out]


def copy_register(source: Register | PathType, target: Register | PathType) -> dict[str, int]:
    """Copy every row of every table from one register to another, empty one.

    The ids (``fid``) are kept, so imports, their rejected rows and the history still point
    at each other; the target's later rows continue after them. Works in any direction:
    GeoPackage → PostGIS, PostGIS → GeoPackage, GeoPackage → GeoPackage.

    Parameters
    ----------
    source, target : Register, or what :func:`open_register` takes
        The target must have no rows (a new file, or an empty schema).

    Returns
    -------
    dict of str to int
        Rows copied per table.

    Raises
    ------
    RegisterError
        The target register already holds rows.
    """
    src = source if isinstance(source, Register) else open_register(source, create=False)
    dst = target if isinstance(target, Register) else open_register(target)
    try:
        counts = dst.counts()
        if any(n for name, n in counts.items() if name != "meta"):
            raise RegisterError(msg("reg_err_not_empty", register=dst.label))
        copied: dict[str, int] = {}
        sb, db = src._backend, dst._backend
        with sb.reading(), db.writing():
            db.execute('DELETE FROM "meta"')
            for name, table in TABLES.items():
                columns = ["fid", *table.names]
                geom = table.geometry
                n = 0
                for chunk in _raw_rows(sb, name):
                    if geom:
                        position = columns.index(geom)
                        encoded = db.encode(np.array([r[position] for r in chunk], dtype=object))
                        chunk = [
                            (*r[:position], e, *r[position + 1 :])
                            for r, e in zip(chunk, encoded, strict=True)
                        ]
                    db.insert_rows(table, columns, chunk)
                    n += len(chunk)
                db.sync_ids(table)
                copied[name] = n
        return copied
    finally:
        if src is not source:
            src.close()
        if dst is not target:
            dst.close()
