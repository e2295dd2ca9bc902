"""Reading the status files responsible actors send back (the first step of the round trip).

A responsible actor (trafikkontoret, the housing company, …) gets the list of its findings and
sends back a status file: one row per update with the finding id, the new status, the date and
a comment. :func:`read_status_updates` reads it row by row (accepted or rejected with a reason),
:func:`geo_trygg.followup.apply_status_updates` merges it into the findings and keeps every
earlier state, and :func:`geo_trygg.followup.changes_since` lists what changed since the last
meeting.

Reading a status file (:func:`read_status_updates`):

- The file is read with the readers' CSV/Excel rules (encoding and separator detection, title
  lines, blank rows; see :mod:`geo_trygg.io._tabular`) and their date rules
  (:mod:`geo_trygg.io._dates`); statuses with the status vocabulary (``"klar"`` → ``done``).
- Columns are recognised by their header (case, å/ä/ö, spaces and punctuation ignored, text in
  parentheses ignored when the whole header does not match): the id from ``id``, ``fynd-id``,
  ``finding_id``, ``brist-id``, … (then ``nr``, ``nummer``, ``punkt``); the status from
  ``status``, ``ny status``, ``åtgärdsstatus``; the date from ``statusdatum``, ``ändringsdatum``,
  ``åtgärdad (datum)``, ``klardatum``, … and, only when none of those is present, ``datum`` or
  ``date`` (so a sent-back findings list with both ``Datum`` and ``Statusdatum`` uses the status
  date); the comment from ``kommentar``, ``anteckning``, ``notering``, ``åtgärd``, ``svar``, ….
  An explicit ``columns={header: canonical}`` wins. Without an id, status or date column the
  file cannot be read (:class:`~geo_trygg.ReadError`); the comment is optional.
- Slash dates are read day or month first by the column's other slash dates (``25/3/2025``:
  day first, ``3/25/2025``: month first, neither: day first; see
  :mod:`geo_trygg.io._dates`), said in a note when a date like ``10/4/2025`` was not decided
  by a date only day-first can read.
- A row is rejected when its id is missing, its status is missing or unknown, or its date is
  missing or not a date; a row whose status, date and comment are all blank (an untouched line
  of the list that was sent out) is rejected as "no change". The same id may appear on several
  rows: each row is one update.

Merging and the changes since the last meeting are in :mod:`geo_trygg.followup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, ReadError
from geo_trygg._labels import msg
from geo_trygg.io._columns import header_key
from geo_trygg.io._dates import day_month_note, parse_datetimes
from geo_trygg.io._points import EXTRA_PREFIX, check_path, check_strict, text_column
from geo_trygg.io._tabular import (
    CSV_EXTENSIONS,
    EXCEL_EXTENSIONS,
    RawTable,
    check_table_args,
    read_table,
)
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog
from geo_trygg.vocab.findings import STATUSES, label, map_statuses

__all__ = ["UPDATE_COLUMNS", "read_status_updates"]

UPDATE_COLUMNS = [
    "finding_id",
    "status",
    "status_original",
    "status_date",
    "comment",
    "source_row",
]
"""Columns of the accepted status updates (extra source columns follow as ``src_<header>``)."""

_TARGETS = ("finding_id", "status", "status_date", "comment")
# Header keys (see geo_trygg.io._columns.header_key) per canonical column, in tiers: a column
# matching an earlier tier wins over one matching a later tier.


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "finding_id": (
        _w(
            "id findingid fyndid fyndnr fyndnummer bristid bristnr bristnummer iakttagelseid "
            "idnr idnummer"
        ),
        _w("nr nummer lopnummer lopnr punkt punktnr punktnummer"),
    ),
    "status": (_w("status nystatus atgardsstatus statusatgard aktuellstatus statusnu"),),
    "status_date": (
        _w(
            "statusdate statusdatum datumstatus datumforstatus nystatusdatum andringsdatum "
            "andrad andraddatum uppdaterad uppdateraddatum senastandrad senastuppdaterad "
            "updated lastupdated atgardad atgardaddatum datumatgardad klardatum datumklar "
            "klar datumforatgard"
        ),
        _w("datum date dag"),
    ),
    "comment": (
        _w(
            "comment comments kommentar kommentarer statuskommentar anteckning anteckningar "
            "notering noteringar notes note atgard vidtagenatgard vidtagnaatgarder "
            "atgardsbeskrivning svar aterkoppling"
        ),
    ),
}


# --- reading a status file -------------------------------------------------------------------


def _check_columns(columns: Any) -> Mapping[str, str] | None:
    if columns is None:
        return None
    if not isinstance(columns, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise ConfigError(
            f"columns={columns!r} must be a mapping {{source column: canonical name}}, e.g. "
            "{'Löpnummer': 'finding_id'}"
        )
    for source, target in columns.items():
        if target not in _TARGETS:
            raise ConfigError(
                f"columns={{{source!r}: {target!r}}}: {target!r} is not a status-update column; "
                f"expected one of: {', '.join(map(repr, _TARGETS))}"
            )
    targets = list(columns.values())
    if len(set(targets)) != len(targets):
        raise ConfigError(f"columns={columns!r} maps two columns to the same canonical name")
    return columns


def _resolve(headers: list[str], explicit: Mapping[str, str] | None) -> dict[str, str]:
    """Canonical name -> header (see the module docstring)."""
    fields: dict[str, str] = {}
    for source, target in (explicit or {}).items():
        matches = [h for h in headers if h == source] or [
            h for h in headers if header_key(h) == header_key(source)
        ]
        if len(matches) != 1:
            raise ConfigError(
                f"columns= names the column {source!r}, which the file does not have; its "
                f"columns are: {', '.join(map(repr, headers))}"
            )
        fields[target] = matches[0]
    free = [h for h in headers if h not in fields.values()]
    for target, tiers in _ALIASES.items():
        if target in fields:
            continue
        for tier in tiers:
            hit = next((h for h in free if _key_matches(h, tier)), None)
            if hit is not None:
                fields[target] = hit
                free.remove(hit)
                break
    return fields


def _key_matches(header: str, keys: tuple[str, ...]) -> bool:
    if header_key(header) in keys:
        return True
    bare = header.split("(")[0].split("[")[0]
    return bool(bare.strip()) and header_key(bare) in keys


def read_status_updates(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read a status file sent back by a responsible actor (id, status, date, comment).

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV/text file (``.csv``, ``.txt``, ``.tsv``) or an Excel workbook (``.xlsx``,
        ``.xlsm``).
    columns : mapping of str to str, optional
        ``{header in the file: canonical name}`` with canonical names ``finding_id``,
        ``status``, ``status_date``, ``comment``; wins over header recognition.
    encoding, sep : str, optional
        CSV text encoding and separator; detected when omitted.
    sheet : str or int, optional
        Excel sheet name or 0-based position (the first sheet by default).
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first row that would be rejected.

    Returns
    -------
    IngestResult
        ``accepted`` is a DataFrame (a status file has no geometry) with :data:`UPDATE_COLUMNS`:
        ``finding_id`` (text), ``status`` (code), ``status_original`` (as written),
        ``status_date`` (calendar day), ``comment`` (text or None), ``source_row`` (the row as
        the user sees it, header = 1), then other columns of the file as ``src_<header>``; in
        file order. ``rejected`` has one line per problem (row, column, value, reason) and
        ``summary.kind`` is ``"status_updates"``.

    Raises
    ------
    ReadError
        When the file is missing or unreadable, or has no id, status or date column.
    ConfigError
        When ``columns``, ``encoding``, ``sep`` or ``sheet`` is not allowed.
    RowError
        With ``strict=True``, at the first rejected row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> lines = ["Fynd-id;Status;Datum;Kommentar", "A-1;Klar;2024-05-02;Ny lampa"]
    >>> lines.append("A-2;Pågår;31/2/2024;")
    >>> _ = (folder / "svar.csv").write_text("\\n".join(lines), encoding="cp1252")
    >>> result = read_status_updates(folder / "svar.csv")
    >>> result.accepted[["finding_id", "status", "status_date", "source_row"]]
      finding_id status status_date  source_row
    0        A-1   done  2024-05-02           2
    >>> result.rejected[["row", "column"]].values.tolist()
    [[3, 'Datum']]
    """
    check_table_args(encoding, sep)
    explicit = _check_columns(columns)
    p = check_path(path, (*CSV_EXTENSIONS, *EXCEL_EXTENSIONS))
    table = read_table(p, sheet=sheet, encoding=encoding, sep=sep)
    headers = [str(h) for h in table.frame.columns]
    fields = _resolve(headers, explicit)
    for target, what in (
        ("finding_id", msg("su_what_id")),
        ("status", msg("su_what_status")),
        ("status_date", msg("su_what_date")),
    ):
        if target not in fields:
            raise ReadError(
                msg(
                    "io_missing_required_column",
                    what=what,
                    path=str(p),
                    found=", ".join(map(repr, headers)) or "-",
                    canonical=target,
                )
            )
    log = RejectionLog(strict=False)
    date_notes: list[str] = []
    accepted = _validate(table, fields, log, date_notes)
    check_strict(log, strict)
    keep = ~np.isin(table.rows, np.fromiter(log.rows, dtype=np.int64, count=len(log.rows)))
    out = accepted.loc[keep].reset_index(drop=True)
    extra = [h for h in headers if h not in fields.values()]
    for header in extra:
        out[EXTRA_PREFIX + header] = pd.Series(
            table.frame[header].to_numpy(dtype=object)[keep], dtype=object
        )
    mapping = ", ".join(f"{src!r} → {canon}" for canon, src in fields.items())
    notes = [*table.notes, msg("io_note_columns", mapping=mapping), *date_notes]
    if extra:
        notes.append(msg("io_note_extra_columns", columns=", ".join(map(repr, extra))))
    summary = IngestSummary(
        kind="status_updates",
        source=str(p),
        n_input=len(table.rows),
        n_accepted=int(keep.sum()),
        n_rejected=int((~keep).sum()),
        notes=notes,
    )
    return IngestResult(out, log.frame(), summary)


def _validate(
    table: RawTable, fields: dict[str, str], log: RejectionLog, notes: list[str]
) -> pd.DataFrame:
    """Check every row (rules in the module docstring); the canonical columns of all rows.
    The note on how slash dates were read (if any) is added to ``notes``."""
    f, rows = table.frame, table.rows
    id_col, status_col, date_col = fields["finding_id"], fields["status"], fields["status_date"]
    ids = text_column(f, id_col)
    raw_status = text_column(f, status_col)
    status = map_statuses(raw_status)
    dates = parse_datetimes(f[date_col].tolist())
    note = day_month_note(dates.evidence, int(dates.ambiguous.sum()))
    if note:
        notes.append(note)
    comment = text_column(f, fields.get("comment"))
    allowed = ", ".join(label(code, kind="status").lower() for code in STATUSES)
    unreadable = {p[0]: p for p in table.load_problems()}
    for i, row in enumerate(rows.tolist()):
        if row in unreadable:
            log.add(*unreadable[row])
            continue
        if raw_status.iat[i] is None and dates.missing[i] and comment.iat[i] is None:
            log.add(row, status_col, None, msg("su_nothing_to_update"))
            continue
        if ids.iat[i] is None:
            log.add(row, id_col, None, msg("su_id_missing"))
        if raw_status.iat[i] is None:
            log.add(row, status_col, None, msg("su_status_missing", allowed=allowed))
        elif status.iat[i] is None:
            log.add(row, status_col, raw_status.iat[i], msg("io_status_unknown", allowed=allowed))
        if not dates.ok[i]:
            log.add(row, date_col, f[date_col].iat[i], dates.reason(i))
    return pd.DataFrame(
        {
            "finding_id": ids.to_numpy(dtype=object),
            "status": status.to_numpy(dtype=object),
            "status_original": raw_status.to_numpy(dtype=object),
            "status_date": dates.dates().to_numpy(),
            "comment": comment.to_numpy(dtype=object),
            "source_row": rows.astype(np.int64),
        }
    )
