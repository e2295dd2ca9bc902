"""Plain points: an id and coordinates, nothing else required (private).

Rules (``read_points``; ``geo-trygg join --kind points``):

- Required per row: coordinates only, in any form the other point readers accept (``lat``/
  ``lon``, ``x``/``y``, ``N``/``E``, one ``"lat, lon"`` column, or the points of a vector file),
  with the same CRS inference, lat/lon swaps and Swedish x/y convention
  (:func:`geo_trygg.io._points.locate`). A table without coordinate columns cannot be read at
  all (:class:`~geo_trygg.ReadError`).
- ``point_id``: the id column's value as text (headers ``id``, ``nr``, ``nummer``,
  ``punkt``, ``punktid``, ``objektid``…, else the first column whose header's last word is
  ``id`` or ``nr`` such as ``Kamera-ID`` or ``station_nr``, or
  ``columns={'Mitt id': 'point_id'}``). Without an
  id column, or where its cell is blank, the row's number in the file (as in the rejected-rows
  report: the header is row 1) becomes the id, counted in a note. A repeated id rejects every
  occurrence after the first, naming the row of the first.
- Every other column is kept as it is, renamed ``src_<header>`` (no date, category or text is
  looked for).
- Besides the tables and vector files of the other readers, a ``.json`` file holding an array
  of flat records (``[{"id": "Q1", "name": "Fittja", "lat": 59.2475, "lon": 17.86083}, …]``,
  as exported from Wikidata, open-data portals and web APIs) is read as a table, one record a
  row numbered from 1; nested values are kept as JSON text.
- A police events API JSON file is refused with a message naming ``read_events``
  (``--kind events``) instead of GDAL's "not recognized as being in a supported file format";
  so is a JSON array that is not a list of records (a Swedish message, never GDAL's).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ReadError
from geo_trygg._labels import msg
from geo_trygg.io._columns import resolve_columns
from geo_trygg.io._events import is_police_json
from geo_trygg.io._findings import check_reader_args
from geo_trygg.io._points import (
    PointInput,
    RowLog,
    _split_pair,
    finish,
    load_points,
    locate,
    log_problems,
    reject_repeated_ids,
    text_column,
)
from geo_trygg.io.result import IngestResult, RejectionLog

__all__ = ["POINT_COLUMNS", "looks_like_police_json", "read_points_file"]

_DECODER = json.JSONDecoder()

POINT_COLUMNS = ["point_id", "source_row", "coords_swapped", "geometry"]
"""Canonical columns of accepted plain points, in order (``src_*`` columns follow)."""


def read_points_file(
    path: Any,
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
    """Implementation of :func:`geo_trygg.io.readers.read_points`."""
    p, columns, src, target = check_reader_args(
        path, columns=columns, crs=crs, to_crs=to_crs, encoding=encoding, sep=sep
    )
    if looks_like_police_json(p):
        raise ReadError(msg("io_police_json_as_points", path=str(p)))
    if is_police_json(p):  # a JSON array: records, not GeoJSON
        pin = _json_records(p, columns)
    else:
        pin = load_points(
            p, "points", columns=columns, sheet=sheet, layer=layer, encoding=encoding, sep=sep
        )
    _id_by_last_word(pin, columns)
    log = RejectionLog(strict=False)
    log_problems(pin, log)
    loc = locate(pin, src, target, log)
    rl = RowLog(log, pin)
    notes: list[str] = []

    id_col = pin.cols.get("point_id")
    point_id = text_column(pin.frame, id_col)
    blank = point_id.isna().to_numpy()
    if blank.any():
        point_id[blank] = [str(int(r)) for r in pin.rows[blank]]
        notes.append(msg("io_note_point_ids_rows", n=int(blank.sum())))
    reject_repeated_ids(point_id, id_col or "point_id", pin.rows, rl)
    canonical = pd.DataFrame({"point_id": point_id.to_numpy(dtype=object)}, index=pin.frame.index)
    return finish("points", pin, canonical, loc, log, notes, strict=strict)


def _id_by_last_word(pin: PointInput, columns: Mapping[str, str] | None) -> None:
    """Without a recognised id column, the first extra column named ``… id``/``… nr``."""
    if pin.cols.get("point_id") is not None or (columns and "point_id" in columns.values()):
        return
    for header in pin.cols.extra:
        words = re.split(r"[\W_]+", str(header).casefold().strip())
        words = [w for w in words if w]
        if words and words[-1] in ("id", "nr"):
            pin.cols.fields["point_id"] = header
            pin.cols.extra = [h for h in pin.cols.extra if h != header]
            return


def _scalar(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _json_records(path: Path, columns: Mapping[str, str] | None) -> PointInput:
    """A JSON array of flat records as a point table (rows numbered from 1)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReadError(msg("io_points_json_not_records", path=str(path))) from None
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) for r in data):
        raise ReadError(msg("io_points_json_not_records", path=str(path)))
    frame = pd.DataFrame.from_records([{str(k): _scalar(v) for k, v in r.items()} for r in data])
    frame = frame.astype(object).where(frame.notna(), None)
    cols = resolve_columns(list(frame.columns), "points", columns)
    if cols.get("x") and cols.get("y"):
        a_name, b_name = cols.fields["x"], cols.fields["y"]
        a, b = frame[a_name], frame[b_name]
    elif cols.get("coords"):
        a_name = b_name = cols.fields["coords"]
        pairs = [_split_pair(v) for v in frame[a_name].tolist()]
        b = pd.Series([q[0] for q in pairs], index=frame.index, dtype=object)  # "lat, lon"
        a = pd.Series([q[1] for q in pairs], index=frame.index, dtype=object)
    else:
        found = ", ".join(repr(h) for h in frame.columns) or "-"
        raise ReadError(msg("io_no_coordinate_columns", path=str(path), found=found))
    rows = np.arange(1, len(frame) + 1)
    notes = [msg("io_note_json_records", n=len(frame))]
    return PointInput(path, frame, rows, cols, a, b, a_name, b_name, None, False, notes, [])


def looks_like_police_json(path: Any) -> bool:
    """True for a ``.json`` file whose first array element has the police API's keys.

    The police events API answers with a JSON array of objects holding ``datetime``,
    ``name`` and ``location``; other arrays of records (``[{"id": …, "lat": …}]``) are not
    taken for it. Only the first element is decoded (deep nesting counts as "no").
    """
    p = Path(path)
    if not is_police_json(p):
        return False
    with p.open("rb") as fh:
        head = fh.read(1 << 16)
    text = head.decode("utf-8-sig", errors="replace").lstrip()[1:].lstrip()
    try:
        first, _ = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(first, dict) and {"datetime", "name", "location"} <= set(first)
