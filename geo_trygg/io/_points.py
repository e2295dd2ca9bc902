"""Shared steps of the point readers (findings, events): load, locate, finish (private).

1. :func:`load_points` reads a CSV/Excel table or a vector file of points into a
   :class:`PointInput`: the attribute table, the source row numbers, the recognised columns
   and the two raw coordinate columns (for vector files: the points' x and y).
2. :func:`locate` converts the coordinates to the working CRS with
   :func:`geo_trygg.crs.coords_to_working` and logs a reason for every row it cannot place.
3. The kind-specific module validates the other columns into the same
   :class:`~geo_trygg.io.result.RejectionLog`, then :func:`finish` keeps the rows with no
   problem and builds the :class:`~geo_trygg.io.result.IngestResult`.

Unrecognised source columns are kept in the accepted table, renamed ``src_<header>``, so that
nothing the user wrote is lost and no user column can collide with a canonical one.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pyproj import CRS

from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError, GeoTryggWarning, ReadError, RowError
from geo_trygg._labels import msg
from geo_trygg.crs import coords_to_working, to_float
from geo_trygg.io._columns import ColumnMap, resolve_columns
from geo_trygg.io._geofiles import GEO_EXTENSIONS, crs_label, crs_plausible, read_geofile
from geo_trygg.io._tabular import CSV_EXTENSIONS, EXCEL_EXTENSIONS, read_table
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog

__all__ = [
    "EXTRA_PREFIX",
    "CountedNotes",
    "PointInput",
    "as_text",
    "check_path",
    "finish",
    "load_points",
    "locate",
    "parse_crs_arg",
    "text_column",
]

EXTRA_PREFIX = "src_"
READABLE = (*CSV_EXTENSIONS, *EXCEL_EXTENSIONS, *GEO_EXTENSIONS)

CountedNotes = list[tuple[Callable[[int], str], np.ndarray]]
"""Notes that count rows: (the note of ``n`` rows, row mask), for :func:`finish`."""


def check_path(path: Any, allowed: tuple[str, ...] = READABLE) -> Path:
    """Return ``path`` as a Path; ReadError when it is missing or its type is unknown."""
    p = Path(path)
    if not p.exists():
        raise ReadError(msg("io_file_missing", path=str(p)))
    ext = p.suffix.lower()
    if ext == ".xls":
        raise ReadError(msg("io_xls_not_supported", path=str(p)))
    if ext not in allowed:
        raise ReadError(
            msg("io_unknown_extension", ext=ext or p.name, path=str(p), allowed=", ".join(allowed))
        )
    return p


def parse_crs_arg(crs: Any, name: str = "crs") -> CRS | None:
    """Parse ``crs=``; ConfigError when it is not a CRS."""
    if crs is None:
        return None
    try:
        return CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise ConfigError(msg("crs_not_a_crs", name=name, value=crs, error=exc)) from None


def as_text(value: Any) -> str | None:
    """A cell as text: None for blanks, ``"12"`` for the number 12.0, ISO for dates."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if value != value:
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        if pd.isna(value):
            return None
        return value.isoformat()
    return str(value).strip() or None


def _text_or_missing(value: Any) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, float) and value != value)


_STRIP = np.frompyfunc(str.strip, 1, 1)


def _all_text_or_missing(values: list[Any] | np.ndarray) -> bool:
    """``all(_text_or_missing(v) for v in values)``, with pandas' type inference in C first."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in ("string", "empty"):
        return False
    arr = values
    if not isinstance(arr, np.ndarray):
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
    missing = arr[pd.isna(arr)]  # None and NaN, but also pd.NA, NaT…: those one by one
    return all(_text_or_missing(v) for v in missing)


def text_column(frame: pd.DataFrame, column: str | None, *, clean: bool = False) -> pd.Series:
    """A source column as text (see :func:`as_text`); all None when ``column`` is None.
    ``clean``: the column is known to hold only None and stripped, non-empty text (a CSV
    file's, :attr:`RawTable.text_clean`), which is its own text."""
    if column is None:
        return pd.Series(object_array(len(frame)), index=frame.index, dtype=object)
    values = frame[column].to_numpy(dtype=object)
    if clean:
        return pd.Series(values, index=frame.index, dtype=object, copy=True)
    if _all_text_or_missing(values):  # each distinct text once
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        # as_text of a text, for all distinct texts at once: stripped, None when blank
        texts = np.empty(len(uniques) + 1, dtype=object)
        texts[:-1] = _STRIP(np.asarray(uniques, dtype=object)) if len(uniques) else []
        texts[texts == ""] = None
        texts[-1] = None
        return pd.Series(texts[codes], index=frame.index, dtype=object)
    return pd.Series([as_text(v) for v in values.tolist()], index=frame.index, dtype=object)


@dataclass
class PointInput:
    """A point table as loaded (see the module docstring)."""

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    cols: ColumnMap
    a: pd.Series
    b: pd.Series
    a_name: str
    b_name: str
    file_crs: CRS | None
    is_geo: bool
    notes: list[str] = field(default_factory=list)
    problems: list[tuple[int, str, Any, str]] = field(default_factory=list)
    text_clean: bool = False

    def text(self, canonical: str) -> pd.Series:
        """The column mapped to ``canonical`` as text (:func:`text_column`); all None when
        the file has none."""
        return text_column(self.frame, self.cols.get(canonical), clean=self.text_clean)


def _split_pair(value: Any) -> tuple[str | None, str | None]:
    """``"59.27, 18.01"``, ``"59,27 18,01"``, ``"59.27;18.01"`` -> ("59.27", "18.01")."""
    text = as_text(value)
    if text is None:
        return None, None
    text = text.strip("()[] ")
    for sep in (";", ", ", "\t", " "):
        parts = [p for p in text.split(sep) if p.strip()]
        if len(parts) == 2:
            return parts[0].strip(), parts[1].strip()
    parts = text.split(",")
    if len(parts) == 2:
        return parts[0].strip(), parts[1].strip()
    return text, None


def _found(headers: list[str]) -> str:
    return ", ".join(repr(h) for h in headers) if headers else "-"


def load_points(
    path: Path,
    kind: str,
    *,
    columns: Mapping[str, str] | None,
    sheet: str | int | None,
    encoding: str | None,
    sep: str | None,
    layer: str | int | None = None,
) -> PointInput:
    """Read a table or vector file of points (step 1 of the module docstring)."""
    ext = path.suffix.lower()
    problems: list[tuple[int, str, Any, str]] = []
    if ext in GEO_EXTENSIONS:
        raw = read_geofile(path, layer=layer, encoding=encoding)
        frame = raw.frame.astype(object).where(raw.frame.notna(), None)
        cols = resolve_columns(list(frame.columns), kind, columns)
        geoms = np.asarray(raw.geometry, dtype=object)
        absent = shapely.is_missing(geoms)
        absent[~absent] = shapely.is_empty(geoms[~absent])
        point = ~absent & (shapely.get_type_id(geoms) == 0)
        xs = np.full(len(frame), np.nan)
        ys = np.full(len(frame), np.nan)
        xs[point] = shapely.get_x(geoms[point])
        ys[point] = shapely.get_y(geoms[point])
        for i in np.flatnonzero(~point):
            row, g = int(raw.rows[i]), geoms[i]
            if absent[i]:
                problems.append((row, "geometry", None, msg("io_geometry_missing")))
            else:
                problems.append((row, "geometry", g.geom_type, _not_point(g)))
        notes = [msg("io_note_layer", layer=raw.layer), *raw.notes]
        return PointInput(
            path,
            frame,
            raw.rows,
            cols,
            pd.Series(xs),
            pd.Series(ys),
            "geometry",
            "geometry",
            raw.crs,
            True,
            notes,
            problems,
        )
    table = read_table(path, sheet=sheet, encoding=encoding, sep=sep)
    frame = table.frame
    problems.extend(table.load_problems())
    cols = resolve_columns(list(frame.columns), kind, columns)
    headers = list(frame.columns)
    if cols.get("x") and cols.get("y"):
        xc, yc = cols.fields["x"], cols.fields["y"]
        a, b = frame[xc], frame[yc]
        a_name, b_name = xc, yc
    elif cols.get("coords"):
        cc = cols.fields["coords"]
        pairs = [_split_pair(v) for v in frame[cc].tolist()]
        # "lat, lon" is how maps and phones write a pair: the first value is the latitude
        b = pd.Series([p[0] for p in pairs], dtype=object)
        a = pd.Series([p[1] for p in pairs], dtype=object)
        a_name = b_name = cc
    else:
        raise ReadError(msg("io_no_coordinate_columns", path=str(path), found=_found(headers)))
    a.index = b.index = frame.index
    return PointInput(
        path,
        frame,
        table.rows,
        cols,
        a,
        b,
        a_name,
        b_name,
        None,
        False,
        table.notes,
        problems,
        text_clean=table.text_clean,
    )


def _not_point(g: Any) -> str:
    return msg("io_geometry_not_point", geom_type=g.geom_type)


def require(pin: PointInput, canonical: tuple[str, ...], what: str) -> None:
    """ReadError when none of ``canonical`` was found among the columns (``what``: the
    column's meaning in words, as the message names it)."""
    if not any(pin.cols.get(c) for c in canonical):
        raise ReadError(
            msg(
                "io_missing_required_column",
                what=what,
                path=str(pin.path),
                found=_found(list(pin.frame.columns)),
                canonical=canonical[0],
            )
        )


@dataclass
class Located:
    """Coordinates of every row in the working CRS (NaN where rejected)."""

    x: np.ndarray
    y: np.ndarray
    swapped: np.ndarray
    crs_out: CRS
    crs_in: str
    crs_inferred: bool
    notes: list[str]


def locate(pin: PointInput, crs: CRS | None, to_crs: Any, log: RejectionLog) -> Located:
    """Convert the coordinates (step 2 of the module docstring), logging problems."""
    notes: list[str] = []
    src = crs
    if crs is not None and pin.file_crs is not None and not crs.equals(pin.file_crs):
        notes.append(
            msg("io_note_crs_given_over_file", given=crs_label(crs), file=crs_label(pin.file_crs))
        )
    if src is None and pin.file_crs is not None:
        av, _, _ = to_float(pin.a)
        bv, _, _ = to_float(pin.b)
        finite = np.isfinite(av) & np.isfinite(bv)
        bounds = (
            (av[finite].min(), bv[finite].min(), av[finite].max(), bv[finite].max())
            if finite.any()
            else (np.nan,) * 4
        )
        if crs_plausible(pin.file_crs, bounds):
            src = pin.file_crs
            notes.append(msg("io_note_crs_file", crs=crs_label(src)))
        else:
            notes.append(msg("io_note_crs_not_degrees", crs=crs_label(pin.file_crs)))
    a, b, a_name, b_name = pin.a, pin.b, pin.a_name, pin.b_name
    res = coords_to_working(a, b, crs=src, to_crs=to_crs, warn=False)
    usable = res.ok
    if pin.cols.ambiguous_xy and usable.any() and res.swapped[usable].all():
        # bare x/y headers with x holding the northing: the Swedish geodetic convention
        a, b, a_name, b_name = b, a, b_name, a_name
        res = coords_to_working(a, b, crs=src, to_crs=to_crs, warn=False)
        notes.append(msg("io_note_xy_convention", x=repr(pin.a_name), y=repr(pin.b_name)))
    _warn_assumptions(res.notes)
    unplaced = np.flatnonzero(~res.ok)
    if len(unplaced):
        _, a_missing, a_bad = to_float(a)
        _, b_missing, b_bad = to_float(b)
    rows = pin.rows
    logged = {p[0] for p in pin.problems if p[1] in ("geometry", "*")}
    for i in unplaced:
        row = int(rows[i])
        if row in logged:
            continue
        if a_missing[i] or a_bad[i]:
            log.add(row, a_name, _raw(a.iloc[i]), res.reason[i] or msg("coord_missing"))
        elif b_missing[i] or b_bad[i]:
            log.add(row, b_name, _raw(b.iloc[i]), res.reason[i] or msg("coord_missing"))
        else:
            value = f"{as_text(a.iloc[i])} / {as_text(b.iloc[i])}"
            log.add(row, "geometry", value, res.reason[i] or msg("coord_outside_sweden"))
    crs_in = res.source_crs_label if src is None else crs_label(src)
    return Located(
        res.x, res.y, res.swapped, res.crs, crs_in, src is None, notes + list(res.notes)
    )


def _warn_assumptions(notes: list[str]) -> None:
    for note in notes:
        if note == msg("crs_local_zone_assumed") or note.startswith(msg("crs_mixed", counts="")):
            warnings.warn(note, GeoTryggWarning, stacklevel=5)


def _raw(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


def log_problems(pin: PointInput, log: RejectionLog) -> None:
    """Add the problems found while loading (too-long records, non-point geometries)."""
    for row, column, value, reason in pin.problems:
        log.add(row, column, value, reason)


class RowLog:
    """Log problems by position ``i``; rows already rejected as malformed are not re-checked."""

    def __init__(self, log: RejectionLog, pin: PointInput) -> None:
        self.log = log
        self.rows = pin.rows
        self.skip = {p[0] for p in pin.problems if p[1] == "*"}

    def add(self, i: int | np.integer[Any], column: str, value: Any, reason: str) -> None:
        """Record a problem of the row at position ``i``."""
        row = int(self.rows[i])
        if row not in self.skip:
            self.log.add(row, column, _raw(value), reason)


def check_strict(log: RejectionLog, strict: bool) -> None:
    """In strict mode, raise RowError for the first problem (lowest row, then column)."""
    if strict and log.rows:
        first = log.frame().iloc[0]
        raise RowError(int(first["row"]), str(first["column"]), first["value"], first["reason"])


def finish(
    kind: str,
    pin: PointInput,
    canonical: pd.DataFrame,
    loc: Located,
    log: RejectionLog,
    notes: list[str],
    *,
    strict: bool,
    counted: CountedNotes | None = None,
) -> IngestResult:
    """Keep the rows without problems and build the result (step 3 of the module docstring).

    ``canonical`` holds the canonical columns (except geometry, source_row, coords_swapped)
    for every input row, on the input's positional index. ``counted`` holds notes as
    (note of ``n``, row mask): the note is added with ``n`` = the accepted rows in the mask.
    """
    check_strict(log, strict)
    bad = np.isin(pin.rows, np.fromiter(log.rows, dtype=np.int64, count=len(log.rows)))
    keep = ~bad
    out = canonical.loc[keep] if bad.any() else canonical.copy(deep=False)  # all kept: no copy
    out = out.reset_index(drop=True)
    out["source_row"] = pin.rows[keep].astype(np.int64)
    out["coords_swapped"] = loc.swapped[keep].astype(bool)
    extra = [c for c in pin.cols.extra if c in pin.frame.columns]
    names = [EXTRA_PREFIX + str(c) for c in extra]
    values = pin.frame[extra].to_numpy(dtype=object)[keep]
    out = pd.concat([out, pd.DataFrame(values, index=out.index, columns=names)], axis=1)
    geometry = shapely.points(loc.x[keep], loc.y[keep])
    gdf = gpd.GeoDataFrame(out, geometry=geometry, crs=loc.crs_out)
    mapping = ", ".join(f"{src!r} → {canon}" for canon, src in pin.cols.fields.items())
    all_notes = [*pin.notes, *loc.notes]
    if mapping:
        all_notes.append(msg("io_note_columns", mapping=mapping))
    if extra:
        all_notes.append(msg("io_note_extra_columns", columns=", ".join(map(repr, extra))))
    all_notes.extend(notes)
    for note, mask in counted or []:
        n = int((np.asarray(mask, dtype=bool) & keep).sum())
        if n:
            all_notes.append(note(n))
    n_input = len(pin.rows)
    summary = IngestSummary(
        kind=kind,
        source=str(pin.path),
        n_input=n_input,
        n_accepted=int(keep.sum()),
        n_rejected=int(bad.sum()),
        n_swapped=int(loc.swapped[keep].sum()),
        crs_in=loc.crs_in,
        crs_inferred=loc.crs_inferred,
        crs_out=crs_label(loc.crs_out),
        notes=all_notes,
    )
    return IngestResult(gdf, log.frame(), summary)


def reject_repeated_ids(ids: pd.Series, column: str, rows: np.ndarray, rl: RowLog) -> None:
    """Reject every occurrence of an id after the first, naming the first one's row."""
    values = ids.to_numpy(dtype=object)
    if pd.Index(values).is_unique:  # the usual file: no id twice (hashed once)
        return
    codes = pd.factorize(values, use_na_sentinel=False)[0]  # codes in order of appearance
    first = np.unique(codes, return_index=True)[1]
    for i in np.flatnonzero(first[codes] != np.arange(len(codes))).tolist():
        first_row = int(rows[first[codes[i]]])
        rl.add(i, column, values[i], msg("io_duplicate_id", first=first_row))
