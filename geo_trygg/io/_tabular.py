"""Read CSV and Excel files as Swedish offices export them (private).

- Encoding (CSV): an explicit ``encoding=`` wins. Otherwise a UTF-16 byte-order mark means
  UTF-16 (Excel's "Unicode text"; odd-length or otherwise invalid UTF-16 is a ReadError), and
  text without one whose every other byte is zero is UTF-16 too. Else bytes that decode
  strictly as UTF-8 are UTF-8 (a UTF-8 byte-order mark is dropped), whatever characters they
  hold: cp1252 text with Swedish letters practically never forms valid UTF-8 (``ö`` is 0xF6,
  which no UTF-8 character holds, and ``å``/``ä``/``é``/``Å``/``Ä``/``Ö`` would have to be
  followed by one or two bytes of 0x80–0xBF, i.e. by ``€``, curly quotes, dashes and the like).
  The one documented limit: a cp1252 file whose every non-ASCII letter happens to form such a
  pair (e.g. only ``Ä–``) reads as UTF-8 (``Ė``). Bytes that are not valid UTF-8 are read as
  Windows-1252 (cp1252, what Excel on Swedish Windows writes), falling back to Latin-1 for the
  five bytes cp1252 leaves undefined; the note names the first byte that is not UTF-8 and its
  line. UTF-8 cut off inside its last character (a truncated file) is read as UTF-8 without
  those bytes, with a note. Bytes that are not UTF-8 and hold a zero byte are not text: ReadError.
- Separator (CSV): an explicit ``sep=`` wins. Otherwise ``;``, tab and ``,`` are tried on the
  first 50 records; the one that splits the header into at least two columns and gives the
  largest share of records with as many fields as the header wins (ties: more columns, then
  ``;`` before tab before ``,``).
- Rows: every value is kept as read (CSV: text; Excel: the cell's number, text or date).
  Blank cells become None. Records that are entirely blank are skipped and counted. The
  header is the first non-blank record with two or more filled cells among the first eleven
  (title lines with one filled cell above it are skipped, with a note); ``rows`` holds the
  number the user sees: for Excel the sheet's row number, for CSV the line on which the
  record starts (as a text editor counts lines; the same as Excel's row number unless an
  earlier value holds a line break), the header being row 1 in the ordinary case. A quoted
  value with line breaks keeps its record one row, as Excel shows it. Skipped blank records
  are not counted in ``n_input``.
  A record with more fields than the header is kept (its extra fields dropped) and listed in
  ``too_long`` so the reader can reject it with a reason.
- Stray quotes (CSV): a value that starts with ``"`` opens a quoted field, which may hold
  line breaks and runs to the next ``"`` that ends the field. Every physical line is
  accounted for. A quoted field that runs over a line break is taken as a stray quote when
  (a) a line it swallows whole splits, on its own, into at least as many fields as the
  header has (two or more), i.e. looks like a row of its own; or (b) it is ended by a ``"``
  followed by something other than the separator, a line break or a second ``"`` (which no
  CSV writer produces); or (d) both the line where it opens and the line where it ends
  look like rows of their own in that sense; or (c) it never ends. In cases (a), (b) and
  (d) the line where the quote
  opens (with any earlier lines of the same record) is listed in ``broken`` with a reason,
  and reading starts again on the next line, so the lines it would have swallowed are read
  as the rows they are. In case (c), when no swallowed line looks like a row, every line
  from the quote to the end of the file is listed in ``broken`` with its own line number.
  Broken lines are rows of the table (all cells None) that the readers reject with the
  reason, so ``n_input`` counts every non-blank data line. A stray quote above or in the
  header is a ReadError naming its line. Quoted values with line breaks that are properly
  closed, and whose lines hold fewer fields than the header, stay one value of one row.
  Limits, both rare: a meant value over lines whose lines split into as many fields as the
  header (in case a or d; e.g. comma-separated prose) is taken for a stray quote; and two
  stray quotes that pair up into a well-formed value (one opening a value, one ending a
  value on a later line) over lines that do not look like rows are read as one row, under
  the number of its first line.
- Headers: blank headers are named ``kolumn N`` / ``column N`` (N = 1-based position),
  repeated headers get `` (2)``, `` (3)``… appended.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, ReadError
from geo_trygg._labels import msg
from geo_trygg._text import SPACES

__all__ = ["CSV_EXTENSIONS", "EXCEL_EXTENSIONS", "RawTable", "read_table"]

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_SEPARATORS = (";", "\t", ",")
_SEP_NAMES = {";": "';'", "\t": "tab", ",": "','"}
_SNIFF_RECORDS = 50
_HEAD = 1 << 20  # characters read for the first records (issue 11, speed)
_SAMPLE = 10_000  # values of a column looked at for repeats (issue 11, speed)


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
    broken : dict of int to (str, str)
        Line number -> (the line's text, reason), for CSV lines a stray quote made
        unreadable (see the module docstring); their cells are all None.
    text_clean : bool
        Every cell is None or text with no white space at either end and not empty (a CSV
        file): readers may take its text as it is.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    too_long: dict[int, tuple[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    sep: str | None = None
    broken: dict[int, tuple[str, str]] = field(default_factory=dict)
    text_clean: bool = False

    def load_problems(self) -> list[tuple[int, str, Any, str]]:
        """The rows to reject before any value is checked, as (row, column, value, reason).

        Records with more fields than the header and lines broken by a stray quote, by row;
        the column is ``"*"`` (the whole row).

        Returns
        -------
        list of tuple
        """
        out: list[tuple[int, str, Any, str]] = [
            (row, "*", None, msg("io_row_too_many_fields", n=n, m=m))
            for row, (n, m) in self.too_long.items()
        ]
        out.extend((row, "*", text, reason) for row, (text, reason) in self.broken.items())
        return sorted(out, key=lambda p: p[0])


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


def _header_index(non_blank: list[tuple[int, list[Any]]]) -> int:
    """Position of the header among the non-blank records (see the module docstring)."""
    # Title lines above the header ("Trygghetsvandring Älvsjö 2024"), as exports and
    # hand-made sheets often have: the header is the first record with two or more filled
    # cells among the first few; the lines above it are skipped with a note.
    return next(
        (
            i
            for i, (_, vals) in enumerate(non_blank[: _MAX_TITLE_LINES + 1])
            if _n_filled(vals) > 1
        ),
        0,
    )


def _build(
    records: list[tuple[int, list[Any]]],
    path: Path,
    *,
    extend: bool,
    broken: dict[int, tuple[str, str]] | None = None,
) -> RawTable:
    """Records (row number, values) -> RawTable; the header as in the module docstring.

    With ``extend`` (Excel), data beyond the last header cell gets an unnamed column; without
    it (CSV), such records are listed in ``too_long``. ``broken`` lines (CSV, below the
    header) become rows with all cells None, kept in ``RawTable.broken``.
    """
    non_blank = [(r, vals) for r, vals in records if not all(_blank(v) for v in vals)]
    if not non_blank:
        raise ReadError(msg("io_empty_file", path=str(path)))
    start = _header_index(non_blank)
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
    kept = {r: v for r, v in (broken or {}).items() if r > header_row}
    if kept:
        order = sorted(range(len(rows) + len(kept)), key=[*rows, *kept].__getitem__)
        cells.extend([None] * width for _ in kept)
        rows.extend(kept)
        cells = [cells[i] for i in order]
        rows = [rows[i] for i in order]
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    notes = [msg("io_note_blank_rows", n=n_blank)] if n_blank else []
    if start:
        notes.append(msg("io_note_title_lines", n=start, row=header_row))
    return RawTable(frame, np.asarray(rows, dtype=np.int64), too_long, notes, broken=kept)


_MAX_TITLE_LINES = 10


def _n_filled(values: list[Any]) -> int:
    return sum(1 for v in values if not _blank(v))


def _last_filled(values: list[Any]) -> int:
    for i in range(len(values), 0, -1):
        if not _blank(values[i - 1]):
            return i
    return 0


_STRIP = np.frompyfunc(str.strip, 1, 1)


def _grid(fields: list[list[str]]) -> np.ndarray:
    """Records of text -> a 2-D object array, short records padded with ``""``."""
    grid = pd.DataFrame(fields, dtype=object).to_numpy(dtype=object)  # short records: None
    if grid.size and len(set(map(len, fields))) > 1:  # ragged: the padding of short records
        grid[pd.isna(grid)] = ""
    return grid


_AFTER_NUL_SPACE = re.compile(r"\0\s")  # \s: what str.strip() removes


def _stripped(grid: np.ndarray) -> np.ndarray:
    """``grid`` (values of text) with every value stripped of white space at both ends.

    A column is joined with NUL around its values and scanned in C for white space after a
    NUL, forwards and backwards; only a column where a value starts or ends with white space
    (or holds a NUL) is stripped value by value (issue 11, speed).
    """
    out = grid  # copied only when a column needs stripping (the caller only reads it)
    for j in range(grid.shape[1]):
        column = grid[:, j]
        framed = "\0" + "\0".join(column.tolist()) + "\0"
        if (
            framed.count("\0") != len(column) + 1
            or _AFTER_NUL_SPACE.search(framed)
            or _AFTER_NUL_SPACE.search(framed[::-1])
        ):
            if out is grid:
                out = grid.copy()
            out[:, j] = _STRIP(column)
    return out


def _build_text(
    rows: np.ndarray,
    grid: np.ndarray,
    path: Path,
    broken: dict[int, tuple[str, str]] | None = None,
    *,
    filled: np.ndarray | None = None,
) -> RawTable:
    """What ``_build(records, path, extend=False, broken=broken)`` gives for CSV records.

    ``rows`` holds each record's line number, ``grid`` its fields (one record a row, short
    records padded with ``""``; when ``filled`` (which values are not blank) is given, every
    value is already stripped). Built
    column-wise with numpy instead of cell by cell (issue 11, speed;
    ``tests/test_io_events_tabular.py`` checks both give the same table).
    """
    rows = np.asarray(rows, dtype=np.int64)
    if not grid.size:  # no record holds a field
        raise ReadError(msg("io_empty_file", path=str(path)))
    clean = grid if filled is not None else _stripped(grid)
    if filled is None:
        filled = np.asarray(clean != "", dtype=bool).reshape(grid.shape)
    any_filled = np.asarray(filled.any(axis=1), dtype=bool)
    last = np.where(any_filled, grid.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    non_blank = np.flatnonzero(any_filled)
    if not len(non_blank):
        raise ReadError(msg("io_empty_file", path=str(path)))
    titles = np.flatnonzero(filled[non_blank[: _MAX_TITLE_LINES + 1]].sum(axis=1) > 1)
    start = int(titles[0]) if len(titles) else 0
    head = int(non_blank[start])
    header_row = int(rows[head])
    data = non_blank[start + 1 :]
    n_blank = int((~any_filled[head + 1 :]).sum())
    width = int(last[head])
    names = _headers((list(grid[head]) + [None] * width)[:width])
    too_long = {int(rows[r]): (int(last[r]), width) for r in data[last[data] > width]}
    # the data rows as a slice when no blank line lies between them (no copy of the grid
    # for the index), blank cells set to None column by column (issue 11, speed)
    pick: slice | np.ndarray = data
    if len(data) and int(data[-1]) - int(data[0]) == len(data) - 1:
        pick = slice(int(data[0]), int(data[-1]) + 1)
    cells = clean[pick, :width].copy()
    blank = ~filled[pick, :width]
    for j in np.flatnonzero(blank.any(axis=0)):
        cells[blank[:, j], j] = None
    numbers = rows[data]
    kept = {r: v for r, v in (broken or {}).items() if r > header_row}
    if kept:
        numbers = np.concatenate([numbers, np.fromiter(kept, dtype=np.int64, count=len(kept))])
        cells = np.concatenate([cells, np.full((len(kept), width), None, dtype=object)])
        order = np.argsort(numbers, kind="stable")
        numbers, cells = numbers[order], cells[order]
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    if frame.empty:
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    notes = [msg("io_note_blank_rows", n=n_blank)] if n_blank else []
    if start:
        notes.append(msg("io_note_title_lines", n=start, row=header_row))
    return RawTable(frame, numbers.astype(np.int64), too_long, notes, broken=kept)


def _utf16_guess(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for BOM-less UTF-16 (every other byte zero), else None."""
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    odd, even = head[1::2], head[0::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, codec: str, path: Path) -> str:
    if len(data) % 2:
        problem = msg("io_utf16_odd_length", n=len(data))
        raise ReadError(msg("io_utf16_invalid", path=str(path), problem=problem))
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        problem = msg("io_utf16_bad_at", pos=exc.start)
        raise ReadError(msg("io_utf16_invalid", path=str(path), problem=problem)) from None


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str, list[str]]:
    """Bytes -> (text, encoding used, notes); the rules in the module docstring."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding, []
        except (UnicodeDecodeError, LookupError) as exc:
            raise ReadError(
                msg("io_cannot_decode", path=str(path), encoding=encoding, error=str(exc))
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, "utf-16", path), "utf-16", []
    guess = _utf16_guess(data)
    if guess is not None:
        return _decode_utf16(data, guess, path), guess, [msg("io_note_utf16_no_bom", enc=guess)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data:  # neither UTF-8 nor text: cp1252 text holds no zero byte
            raise ReadError(msg("io_binary_file", path=str(path))) from None
        # the utf-8-sig codec counts positions after the byte-order mark it drops
        start = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        if exc.reason == "unexpected end of data":  # UTF-8 cut off inside its last character
            tail = len(data) - start
            text = data[:start].decode("utf-8-sig")
            used = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
            return text, used, [msg("io_note_utf8_truncated", n=tail)]
        head = data[:start]
        line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
        byte = f"{data[start]:02X}"
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            return text, enc, [msg("io_note_not_utf8", enc=enc, byte=byte, line=line)]
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", []


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


def _n_lines(text: str) -> int:
    """Physical lines of ``text`` (``\r``, ``\n`` and ``\r\n`` end a line)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if text.endswith(("\n", "\r")) else 1)


def _grid_plain_c(text: str, sep: str) -> np.ndarray | None:
    """The grid (see :func:`_grid`) of :func:`_split_plain`'s records, read by pandas' C
    parser (issue 11, speed); None when ``text`` holds a quote or a NUL, starts with a
    byte-order mark (which the C parser drops), may hold a line longer than the csv
    module's field limit, or when the parser's rows are not the physical lines."""
    if '"' in text or "\0" in text or text.startswith("\ufeff"):
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    n_lines = _n_lines(text)
    if len(data) > csv.field_size_limit():  # a line's bytes are at least its characters
        codes = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero((codes == 10) | (codes == 13))
        bounds = np.concatenate([[-1], ends, [len(data)]])
        if int(np.diff(bounds).max()) - 1 > csv.field_size_limit():
            return None
    options: dict[str, Any] = {
        "sep": sep,
        "header": None,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "quoting": csv.QUOTE_NONE,
        "skip_blank_lines": False,
        "index_col": False,
        "engine": "c",
        "encoding": "utf-8",
    }
    try:
        try:
            frame = pd.read_csv(io.BytesIO(data), **options)
        except pd.errors.ParserError:  # a later record longer than the first
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            width = max(line.count(sep) for line in lines) + 1
            frame = pd.read_csv(io.BytesIO(data), names=range(width), **options)
    except (ValueError, pd.errors.EmptyDataError):  # e.g. a separator pandas refuses
        return None
    if len(frame) != n_lines:
        return None
    return frame.to_numpy(dtype=object)


def _grid_arrow(
    text: str, sep: str, data: bytes | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The grid of :func:`_split_plain`'s records with every value stripped (see
    :func:`_stripped`), read by Apache Arrow's CSV reader on both cores (issue 11, speed);
    None when Arrow cannot read ``text`` as one record a physical line of as many fields as
    its first line (a quote, a NUL, a byte-order mark, a blank first line, a ragged or very
    long line, a separator Arrow refuses), and the other readers take over."""
    if len(sep) != 1 or sep in "\r\n" or text.startswith(("\ufeff", "\r", "\n")):
        return None  # a BOM, a blank first line: the other readers
    if data is None:  # else ``data`` is the file's UTF-8 that ``text`` was decoded from
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
    if b'"' in data or b"\0" in data:  # one byte each in UTF-8: a scan of the bytes
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    first = re.search(r"[\r\n]", text)
    width = (text[: first.start()] if first else text).count(sep) + 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=sep, quote_char=False, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    ends = data.count(b"\n")  # line ends, as _n_lines counts them
    if b"\r" in data:
        ends += data.count(b"\r") - data.count(b"\r\n")
    if table.num_rows != ends + (0 if data.endswith((b"\n", b"\r")) else 1):
        return None
    grid = np.empty((table.num_rows, width), dtype=object)
    filled = np.empty((table.num_rows, width), dtype=bool)
    for j, name in enumerate(names):
        column = pc.utf8_trim(table.column(name), characters=SPACES)
        filled[:, j] = pc.not_equal(column, "").to_numpy(zero_copy_only=False)
        sample = column.slice(0, _SAMPLE)
        if len(pc.unique(sample)) * 4 <= len(sample):  # few distinct texts: each made once
            coded = pc.dictionary_encode(column).combine_chunks()
            texts = coded.dictionary.to_numpy(zero_copy_only=False)
            grid[:, j] = texts.take(coded.indices.to_numpy(zero_copy_only=False))
        else:
            grid[:, j] = column.to_numpy(zero_copy_only=False)
    return grid, filled


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


class _StrayQuote(Exception):
    """Raised from the line feed when the open quote is a stray one (cases a and b)."""


class _NeverClosed(Exception):
    """Raised from the line feed when the file ends inside a quoted field (case c)."""


_BREAK_CHARS = "\r\n"
_MAX_SHOWN = 200


def _closes(line: str, sep: str, pos: int = 0) -> tuple[int, bool]:
    """Where a quoted field that is open at ``pos`` of ``line`` ends.

    Returns (index just after the closing quote, proper), or (-1, True) when the field is
    still open at the end of the line. ``proper`` is False when the closing quote is followed
    by anything but the separator or the end of the line (Python's csv then keeps reading
    the field unquoted; no CSV writer produces it).
    """
    n = len(line)
    while True:
        q = line.find('"', pos)
        if q < 0:
            return -1, True
        nxt = line[q + 1] if q + 1 < n else ""
        if nxt == '"':
            pos = q + 2
            continue
        return q + 1, nxt == "" or nxt == sep or nxt in _BREAK_CHARS


def _opens_at_end(line: str, sep: str, pos: int) -> bool:
    """True when a quoted field opened after ``pos`` (a field start) is open at line end."""
    n = len(line)
    while pos < n:
        if line[pos] == '"':
            end, _ = _closes(line, sep, pos + 1)
            if end < 0:
                return True
            pos = end
            # after a quoted field: skip to the next separator (Python's csv keeps reading)
        nxt = line.find(sep, pos)
        if nxt < 0:
            return False
        pos = nxt + 1
    return False


class _LineFeed:
    """Physical lines for :func:`csv.reader`, watching quoted fields that run over lines."""

    def __init__(self, lines: list[str], start: int, sep: str, width: int) -> None:
        self.lines = lines
        self.next = start  # index of the next line to hand out
        self.record = start  # index of the first line of the record being read
        self.opened = start  # index of the line where the open quote opened
        self.sep = sep
        self.width = width  # fields of the header (0 while it is not known)

    def __iter__(self) -> Iterator[str]:
        lines, sep, n = self.lines, self.sep, len(self.lines)
        while self.next < n:
            i = self.next
            line = lines[i]
            if i > self.record:  # a quoted field is open since an earlier line
                end, proper = _closes(line, sep)
                if not proper:
                    raise _StrayQuote
                if end < 0:
                    if self._row_like(line):
                        raise _StrayQuote
                elif self._row_like(line) and self._row_like(lines[self.opened]):
                    raise _StrayQuote
                elif _opens_at_end(
                    line, sep, end + 1 if line[end : end + 1] == sep else len(line)
                ):
                    self.opened = i
            self.next = i + 1
            yield line
        if self.next > self.record:
            raise _NeverClosed

    def _row_like(self, line: str) -> bool:
        """True when ``line``, its quotes taken as text, has as many fields as the header."""
        return self.width > 1 and line.count(self.sep) + 1 >= self.width


def _shown(line: str) -> str:
    text = line.rstrip(_BREAK_CHARS)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _parse_single_lines(text: str, sep: str) -> list[list[str]] | None:
    """The records when each is one whole line (record N on line N; the common case, at
    csv's C speed), else None.

    Each record takes at least one line, so as many records as lines means one line each;
    the last line is checked for a quote still open at its end.
    """
    try:
        plain = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"'))
    except csv.Error:
        return None
    n_lines = _n_lines(text)
    end = len(text)
    while end and text[end - 1] in _BREAK_CHARS:
        end -= 1
    last = text[max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1 : end]
    if len(plain) != n_lines or _opens_at_end(last, sep, 0):
        return None
    return plain


def _parse(
    text: str, sep: str, path: Path, data: bytes | None = None
) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[str, str]], np.ndarray | None]:
    """Records' line numbers, their fields (see :func:`_grid`), broken lines (see the
    module docstring) and, when the fields are already stripped, which are not blank
    (else None); ``data``: the UTF-8 bytes ``text`` was decoded from, when it was (not
    encoded again)."""
    arrow = _grid_arrow(text, sep, data)  # no quote, one record a line: Arrow, stripped
    if arrow is not None:
        grid, filled = arrow
        return np.arange(1, len(grid) + 1, dtype=np.int64), grid, {}, filled
    in_c = _grid_plain_c(text, sep)  # no quote: one record a line, read in C
    if in_c is not None:
        return np.arange(1, len(in_c) + 1, dtype=np.int64), in_c, {}, None
    plain = _split_plain(text, sep)
    if plain is not None:
        return np.arange(1, len(plain) + 1, dtype=np.int64), _grid(plain), {}, None
    fast = _parse_single_lines(text, sep)
    if fast is not None:
        return np.arange(1, len(fast) + 1, dtype=np.int64), _grid(fast), {}, None
    lines = io.StringIO(text, newline="").readlines()
    n_lines = len(lines)
    records: list[tuple[int, list[str]]] = []
    broken: dict[int, tuple[str, str]] = {}
    append = records.append
    width = 0
    header_known = False
    non_blank: list[tuple[int, list[Any]]] = []
    start = 0
    while start < n_lines:
        feed = _LineFeed(lines, start, sep, width)
        reader = csv.reader(feed, delimiter=sep, quotechar='"')
        try:
            while True:
                feed.record = feed.opened = feed.next
                fields = next(reader, None)
                if fields is None:
                    start = n_lines
                    break
                append((feed.record + 1, fields))
                if not header_known and any(f.strip() for f in fields):
                    non_blank.append((feed.record + 1, list(fields)))
                    if _n_filled(fields) > 1 or len(non_blank) > _MAX_TITLE_LINES:
                        header_known = True
                        header = non_blank[_header_index(non_blank)][1]
                        width = feed.width = _last_filled(header)
        except (_StrayQuote, _NeverClosed, csv.Error) as exc:
            if isinstance(exc, csv.Error) and feed.next - 1 <= feed.record:
                raise  # not a quote over lines (e.g. one value over csv's field size limit)
            opened = feed.opened + 1  # line numbers are 1-based
            if not header_known:
                raise ReadError(msg("io_quote_in_header", path=str(path), line=opened)) from None
            if not isinstance(exc, _NeverClosed):
                reason = msg("io_quote_not_closed_on_line", line=opened, next=opened + 1)
                stop = feed.opened + 1
            else:
                stop = n_lines
                last = max(i + 1 for i in range(feed.record, n_lines) if lines[i].strip())
                if last == opened:
                    reason = msg("io_quote_never_closed_last", line=opened)
                else:
                    reason = msg("io_quote_never_closed", line=opened, last=last)
            for i in range(feed.record, stop):
                if lines[i].strip():
                    broken[i + 1] = (_shown(lines[i]), reason)
            start = stop
    rows = np.fromiter((r for r, _ in records), dtype=np.int64, count=len(records))
    return rows, _grid([f for _, f in records]), broken, None


def _utf8_head(data: bytes, encoding: str | None) -> str | None:
    """The first characters of ``data`` (at least ``_HEAD``) when the rest of the file may
    be read by Arrow without decoding it here first: no encoding given, no byte-order mark
    or UTF-16, valid UTF-8 so far, no quote or NUL, and the separator decided within the
    first ``_HEAD`` characters (more than ``_SNIFF_RECORDS`` line breaks there; see
    :func:`_split`). Else None (issue 11, speed)."""
    if encoding is not None or len(data) <= 4 * _HEAD or data.startswith(codecs.BOM_UTF8):
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_guess(data):
        return None
    if b'"' in data or b"\0" in data:
        return None
    try:  # complete characters only: a character cut at the end waits for its bytes
        head = codecs.getincrementaldecoder("utf-8")().decode(data[: 4 * _HEAD], final=False)
    except UnicodeDecodeError:
        return None
    start = head[:_HEAD]
    if start.count("\n") + start.count("\r") <= _SNIFF_RECORDS + 1 or start.isspace():
        return None
    return head


def _read_utf8_in_arrow(data: bytes, head: str, sep: str | None, path: Path) -> RawTable | None:
    """:func:`read_csv_table` of a file :func:`_utf8_head` admits, read by Arrow, which
    checks that every byte is UTF-8 (the table and notes the decoded text would give);
    None when Arrow does not read it (then the file is decoded and read as usual)."""
    chosen = sep if sep is not None else _sniff(head)
    arrow = _grid_arrow(head, chosen, data)
    if arrow is None:
        return None
    grid, filled = arrow
    table = _build_text(np.arange(1, len(grid) + 1, dtype=np.int64), grid, path, filled=filled)
    table.encoding, table.sep, table.text_clean = "utf-8", chosen, True
    table.notes = [
        msg("io_note_csv", enc="utf-8", sep=_SEP_NAMES.get(chosen, repr(chosen))),
        *table.notes,
    ]
    return table


def read_csv_table(path: Path, *, encoding: str | None = None, sep: str | None = None) -> RawTable:
    """Read a delimited text file (see the module docstring)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    head = _utf8_head(data, encoding)
    if head is not None:
        read = _read_utf8_in_arrow(data, head, sep, path)
        if read is not None:
            return read
    text, used, notes = _decode(data, encoding, path)
    if not text or text.isspace():  # (no stripped copy of the whole text)
        raise ReadError(msg("io_empty_file", path=str(path)))
    chosen = sep if sep is not None else _sniff(text)
    try:
        utf8 = data if used == "utf-8" and not notes else None  # text is data, decoded
        rows, grid, broken, filled = _parse(text, chosen, path, utf8)
    except csv.Error as exc:
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    table = _build_text(rows, grid, path, broken, filled=filled)
    table.encoding, table.sep, table.text_clean = used, chosen, True
    table.notes = [
        msg("io_note_csv", enc=used, sep=_SEP_NAMES.get(chosen, repr(chosen))),
        *notes,
        *table.notes,
    ]
    return table


def _short_error(exc: BaseException, limit: int = 200) -> str:
    """A library's error as one short line (its type when it has no text)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sheet_records(sheet: Any) -> list[tuple[int, list[Any]]]:
    records: list[tuple[int, list[Any]]] = []
    for cells in sheet.iter_rows():
        real = [c for c in cells if getattr(c, "row", None) is not None]
        if real:
            records.append((int(real[0].row), [c.value for c in cells]))
    return records


def read_excel_table(path: Path, *, sheet: str | int | None = None) -> RawTable:
    """Read one sheet of an .xlsx/.xlsm workbook; row numbers are the sheet's row numbers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
        raise ReadError(msg("io_not_xlsx", path=str(path), error=_short_error(exc))) from None
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
        try:
            records = _sheet_records(book[name])
        except Exception as exc:  # a damaged or truncated sheet fails while it is read
            error = _short_error(exc)
            raise ReadError(msg("io_not_xlsx", path=str(path), error=error)) from None
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
