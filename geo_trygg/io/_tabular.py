"""Read CSV and Excel files as Swedish offices export them (private).

- Encoding (CSV): an explicit ``encoding=`` wins. Otherwise a UTF-16 byte-order mark means
  UTF-16 (Excel's "Unicode text"); else the bytes are decoded strictly as UTF-8 (a UTF-8
  byte-order mark is dropped) and, when that fails, as Windows-1252 (cp1252, what Excel on
  Swedish Windows writes), falling back to Latin-1 for the five bytes cp1252 leaves undefined.
- Separator (CSV): an explicit ``sep=`` wins. Otherwise ``;``, tab and ``,`` are tried on the
  first 50 records; the one that splits the header into at least two columns and gives the
  largest share of records with as many fields as the header wins (ties: more columns, then
  ``;`` before tab before ``,``).
- Rows: every value is kept as read (CSV: text; Excel: the cell's number, text or date).
  Blank cells become None. Records that are entirely blank are skipped and counted. The
  header is the first non-blank record with two or more filled cells among the first eleven
  (title lines with one filled cell above it are skipped, with a note); ``rows`` holds the
  record (Excel: row) number the user sees, the header being row 1 in the ordinary case. A
  quoted value with line breaks keeps its record one row, as Excel shows it. Skipped blank
  records are not counted in ``n_input``.
  A record with more fields than the header is kept (its extra fields dropped) and listed in
  ``too_long`` so the reader can reject it with a reason.
- Headers: blank headers are named ``kolumn N`` / ``column N`` (N = 1-based position),
  repeated headers get `` (2)``, `` (3)``… appended.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, ReadError
from geo_trygg._labels import msg

__all__ = ["CSV_EXTENSIONS", "EXCEL_EXTENSIONS", "RawTable", "read_table"]

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_SEPARATORS = (";", "\t", ",")
_SEP_NAMES = {";": "';'", "\t": "tab", ",": "','"}
_SNIFF_RECORDS = 50
_HEAD = 1 << 20  # characters read for the first records (issue 11, speed)


@dataclass
class RawTable:
    """A table as read, before any interpretation.

    Attributes
    ----------
    frame : pandas.DataFrame
        Object columns named by the (de-duplicated) headers; values as read, None for blanks.
    rows : numpy.ndarray of int64
        Source row number of each line of ``frame``.
    too_long : dict of int to (int, int)
        Row number -> (fields in that record, columns in the header), for records with more
        fields than the header.
    notes : list of str
        User-facing notes (encoding, separator, blank rows skipped).
    encoding, sep : str or None
        What was used to read a CSV file.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    too_long: dict[int, tuple[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    sep: str | None = None


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value
    return False


def _headers(raw: list[Any]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(raw, start=1):
        name = "" if _blank(value) else str(value).strip()
        if not name:
            name = msg("io_unnamed_column", n=i)
        count = seen.get(name, 0) + 1
        seen[name] = count
        names.append(name if count == 1 else f"{name} ({count})")
    return names


def _build(records: list[tuple[int, list[Any]]], path: Path, *, extend: bool) -> RawTable:
    """Records (row number, values) -> RawTable; the header as in the module docstring.

    With ``extend`` (Excel), data beyond the last header cell gets an unnamed column; without
    it (CSV), such records are listed in ``too_long``.
    """
    non_blank = [(r, vals) for r, vals in records if not all(_blank(v) for v in vals)]
    if not non_blank:
        raise ReadError(msg("io_empty_file", path=str(path)))
    # Title lines above the header ("Trygghetsvandring Älvsjö 2024"), as exports and
    # hand-made sheets often have: the header is the first record with two or more filled
    # cells among the first few; the lines above it are skipped with a note.
    start = next(
        (
            i
            for i, (_, vals) in enumerate(non_blank[: _MAX_TITLE_LINES + 1])
            if _n_filled(vals) > 1
        ),
        0,
    )
    header_row, header_vals = non_blank[start]
    data = non_blank[start + 1 :]
    n_blank = sum(1 for r, vals in records if r > header_row and all(_blank(v) for v in vals))
    width = _last_filled(header_vals)
    if extend:
        width = max([width] + [_last_filled(v) for _, v in data])
    names = _headers((list(header_vals) + [None] * width)[:width])
    too_long: dict[int, tuple[int, int]] = {}
    cells: list[list[Any]] = []
    rows: list[int] = []
    for row, vals in data:
        filled = _last_filled(vals)
        if filled > width:
            too_long[row] = (filled, width)
        line = [None if _blank(v) else (v.strip() if isinstance(v, str) else v) for v in vals]
        cells.append((line + [None] * width)[:width])
        rows.append(row)
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    notes = [msg("io_note_blank_rows", n=n_blank)] if n_blank else []
    if start:
        notes.append(msg("io_note_title_lines", n=start, row=header_row))
    return RawTable(frame, np.asarray(rows, dtype=np.int64), too_long, notes)


_MAX_TITLE_LINES = 10


def _n_filled(values: list[Any]) -> int:
    return sum(1 for v in values if not _blank(v))


def _last_filled(values: list[Any]) -> int:
    for i in range(len(values), 0, -1):
        if not _blank(values[i - 1]):
            return i
    return 0


_STRIP = np.frompyfunc(str.strip, 1, 1)


def _build_text(records: list[list[str]], path: Path) -> RawTable:
    """What ``_build(numbered records, path, extend=False)`` gives for records of text (a CSV
    file: record N is row N), column-wise with numpy instead of cell by cell (issue 11,
    speed; ``tests/test_io_events_tabular.py`` checks both give the same table)."""
    grid = pd.DataFrame(records, dtype=object).to_numpy(dtype=object)  # short records: None
    if not grid.size:  # no record holds a field
        raise ReadError(msg("io_empty_file", path=str(path)))
    if len(set(map(len, records))) > 1:  # ragged: the padding of short records
        grid[pd.isna(grid)] = ""
    stripped = _STRIP(grid)
    filled = np.asarray(stripped != "", dtype=bool).reshape(grid.shape)
    any_filled = np.asarray(filled.any(axis=1), dtype=bool)
    last = np.where(any_filled, grid.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    non_blank = np.flatnonzero(any_filled)
    if not len(non_blank):
        raise ReadError(msg("io_empty_file", path=str(path)))
    titles = np.flatnonzero(filled[non_blank[: _MAX_TITLE_LINES + 1]].sum(axis=1) > 1)
    start = int(titles[0]) if len(titles) else 0
    head = int(non_blank[start])
    data = non_blank[start + 1 :]
    n_blank = int((~any_filled[head + 1 :]).sum())
    width = int(last[head])
    names = _headers((list(records[head]) + [None] * width)[:width])
    too_long = {int(r) + 1: (int(last[r]), width) for r in data[last[data] > width]}
    cells = np.where(filled[data, :width], stripped[data, :width], None)
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    notes = [msg("io_note_blank_rows", n=n_blank)] if n_blank else []
    if start:
        notes.append(msg("io_note_title_lines", n=start, row=head + 1))
    return RawTable(frame, (data + 1).astype(np.int64), too_long, notes)


def _implausible(text: str) -> bool:
    """True when ``text`` holds characters beyond Latin, general punctuation and symbols."""
    return _IMPLAUSIBLE.search(text) is not None


_IMPLAUSIBLE = re.compile("[^\x00-\u024f\u2000-\u22ff]")  # one C scan, not one per char


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str, list[str]]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError as exc:
            raise ReadError(
                msg("io_cannot_decode", path=str(path), encoding=encoding, error=str(exc))
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", []
    try:
        text = data.decode("utf-8-sig")
        used = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    else:
        # Bytes can be valid UTF-8 and cp1252 at once ("ä––" in cp1252 reads as "䖖" in
        # UTF-8). Without a BOM, prefer cp1252 when UTF-8 gives letters no Swedish office
        # file holds and cp1252 gives none.
        if used == "utf-8" and _implausible(text):
            try:
                other = data.decode("cp1252")
            except UnicodeDecodeError:
                return text, used, []
            if not _implausible(other):
                return other, "cp1252", [msg("io_note_encoding_fallback", enc="cp1252")]
        return text, used, []
    try:
        return data.decode("cp1252"), "cp1252", [msg("io_note_encoding_fallback", enc="cp1252")]
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", [msg("io_note_encoding_fallback", enc="latin-1")]


def _split_plain(text: str, sep: str) -> list[list[str]] | None:
    """What ``csv.reader`` gives for ``text`` without any quote character or NUL (each line
    split at ``sep``; a blank line is ``[]``), with str methods in C; None when ``text`` has
    a quote, a NUL or a line longer than the csv module's field limit (issue 11, speed)."""
    if '"' in text or "\0" in text:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return [line.split(sep) if line else [] for line in lines]


def _split(text: str, sep: str, limit: int | None = None) -> list[list[str]]:
    if limit is None:
        plain = _split_plain(text, sep)
        if plain is not None:
            return plain
    elif len(text) > _HEAD:  # the first records from the head when a record follows them
        first = _split(text[:_HEAD], sep, limit + 1)
        if len(first) > limit:
            return first[:limit]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
    out: list[list[str]] = []
    try:
        for record in reader:
            out.append(record)
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        if limit is None:
            raise
    return out


def _sniff(text: str) -> str:
    best: tuple[float, int, int] | None = None
    choice = ";"
    for priority, sep in enumerate(_SEPARATORS):
        records = [r for r in _split(text, sep, _SNIFF_RECORDS) if any(c.strip() for c in r)]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        body = records[1:] or records
        share = sum(1 for r in body if len(r) == width) / len(body)
        score = (share, width, -priority)
        if best is None or score > best:
            best, choice = score, sep
    return choice


def read_csv_table(path: Path, *, encoding: str | None = None, sep: str | None = None) -> RawTable:
    """Read a delimited text file (see the module docstring)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    text, used, notes = _decode(data, encoding, path)
    if not text.strip():
        raise ReadError(msg("io_empty_file", path=str(path)))
    chosen = sep if sep is not None else _sniff(text)
    try:
        records = _split(text, chosen)
    except csv.Error as exc:
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    table = _build_text(records, path)
    table.encoding, table.sep = used, chosen
    table.notes = [
        msg("io_note_csv", enc=used, sep=_SEP_NAMES.get(chosen, repr(chosen))),
        *notes,
        *table.notes,
    ]
    return table


def read_excel_table(path: Path, *, sheet: str | int | None = None) -> RawTable:
    """Read one sheet of an .xlsx/.xlsm workbook; row numbers are the sheet's row numbers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            name = names[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
            name = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            name = sheet
        else:
            raise ConfigError(
                f"sheet={sheet!r} is not in {path.name}; expected a sheet name "
                f"({', '.join(map(repr, names))}) or a 0-based position below {len(names)}"
            )
        records: list[tuple[int, list[Any]]] = []
        for cells in book[name].iter_rows():
            real = [c for c in cells if getattr(c, "row", None) is not None]
            if not real:
                continue
            records.append((int(real[0].row), [c.value for c in cells]))
    finally:
        book.close()
    table = _build(records, path, extend=True)
    table.notes.insert(0, msg("io_note_sheet", sheet=name))
    return table


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
) -> RawTable:
    """Read a CSV or Excel file by its extension.

    Parameters
    ----------
    path : pathlib.Path
    sheet : str or int, optional
        Excel sheet name or 0-based position (first sheet by default).
    encoding : str, optional
        CSV text encoding; detected when omitted.
    sep : str, optional
        CSV separator; detected when omitted.

    Returns
    -------
    RawTable

    Raises
    ------
    ReadError
        When the file cannot be read or holds no header.
    ConfigError
        When ``sheet`` names no sheet of the workbook.
    """
    if path.suffix.lower() in EXCEL_EXTENSIONS:
        return read_excel_table(path, sheet=sheet)
    return read_csv_table(path, encoding=encoding, sep=sep)


def check_table_args(encoding: str | None, sep: str | None) -> None:
    """Validate ``encoding=`` and ``sep=`` before reading (ConfigError naming the value)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ConfigError(
                f"encoding={encoding!r} is not a known text encoding; use e.g. 'utf-8', "
                "'utf-8-sig' or 'cp1252'"
            ) from None
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in '"\r\n'):
        raise ConfigError(f"sep={sep!r} must be one character, e.g. ';', ',' or '\\t'")
