"""Walk findings (trygghetsvandring) from CSV, Excel or point files (private).

Rules (see ``docs/data-model.md``, Findings):

- Required per row: coordinates, the walk date, and a category *or* a description. A file
  without coordinate columns, without a date column, or with neither a category nor a
  description column cannot be read at all (:class:`~geo_trygg.ReadError`).
- ``category``: the category text mapped with
  :func:`geo_trygg.vocab.findings.map_finding_categories`; unknown texts become ``other`` and
  are never rejected; the text as written is kept in ``category_original``. A row with a
  description but no category gets its category from the description by the same rules
  (counted in a note), ``category_original`` staying None.
- ``status``: mapped with the status vocabulary; a missing status means ``new`` (a fresh finding,
  counted in a note); an unknown status rejects the row with the allowed values.
- ``severity``: 1–3 from numbers or words; blank is NA; anything else rejects the row.
- ``responsible_actor``: actor code, ``other`` for unknown texts, None when blank; the text
  as written is kept in ``responsible_original``.
- ``deadline`` and ``status_date``: optional; blank is NaT; a value that is not a date rejects
  the row (never silently dropped). Without a deadline column a note says that overdue
  findings cannot be computed. The three date columns are read with one day/month order for
  slash dates (:func:`geo_trygg.io._dates.parse_date_columns`: ``25/3/2025`` anywhere in them
  means day first, ``3/25/2025`` month first, else day first), said in a note when ambiguous
  dates (``10/4/2025``) were not decided by a date that only day-first can read.
- ``finding_id``: the id column's value as text. Ids numbered per walk (the same id on
  different walks) become ``"<walk_id>-<id>"``. A repeated id rejects every occurrence after
  the first, with the row of the first in the reason.
- Generated ids: when the file has no id column or the cell is blank, the id is made from the
  finding's content, never from its row, so that the same findings in another order (sorted
  by another column, with a column added) get the same ids and ``changes_since`` sees no false
  change: ``"<prefix>-<hash>"``, the prefix being the walk id, else the walk date
  (``2024-05-14``), and the hash the first :data:`ID_HASH_CHARS` (8) hexadecimal characters of
  the SHA-256 of the walk id, the walk date, the category code, the location in the working
  CRS rounded to the nearest multiple of :data:`ID_GRID_METRES` (5 m) in x and y, and the
  description case-folded with its white space collapsed (NFC). A point moved by more than
  5 m east–west or north–south (so by more than 7.1 m in any direction) always gets a new
  id, a smaller move only when it crosses a grid line (2.5 m from a multiple of 5); a new status,
  deadline, severity or actor keeps the id. Rows whose generated ids are equal (the same
  content, or a hash collision) are sorted by their full content — the exact coordinates, the
  texts of the id's fields, severity and actor, then deadline, status and status date, then
  the other columns by header — and the first keeps the id, the next get ``-2``, ``-3`` …;
  rows equal in all of that are interchangeable, so every row order gives the same ids to
  the same contents. A note says how many ids were generated and how (and another how many
  were tied).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.crs import validate_working_crs
from geo_trygg.io._columns import header_key
from geo_trygg.io._dates import day_month_note_of, parse_date_columns
from geo_trygg.io._points import (
    CountedNotes,
    PointInput,
    RowLog,
    check_path,
    finish,
    load_points,
    locate,
    log_problems,
    parse_crs_arg,
    reject_repeated_ids,
    require,
    text_column,
)
from geo_trygg.io._tabular import check_table_args
from geo_trygg.io.result import IngestResult, RejectionLog
from geo_trygg.io.unmapped import (
    apply_value_map,
    check_value_map,
    say_unmapped,
    unmapped_notes,
)
from geo_trygg.vocab.findings import (
    ACTORS,
    FINDING_CATEGORIES,
    STATUSES,
    label,
    map_actors,
    map_finding_categories,
    map_severity,
    map_statuses,
)

__all__ = ["FINDING_COLUMNS", "read_findings_file"]

FINDING_COLUMNS = [
    "finding_id",
    "walk_id",
    "walk_date",
    "category",
    "category_original",
    "description",
    "severity",
    "responsible_actor",
    "responsible_original",
    "status",
    "deadline",
    "status_date",
    "source_row",
    "coords_swapped",
    "geometry",
]
"""Canonical columns of accepted findings, in order (extra ``src_*`` columns follow)."""


def check_columns_arg(columns: Any) -> Mapping[str, str] | None:
    """ConfigError unless ``columns`` is None or a mapping of str to str."""
    if columns is None:
        return None
    if not isinstance(columns, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise ConfigError(
            f"columns={columns!r} must be a mapping {{source column: canonical name}}, "
            "e.g. {'Brist': 'category'}"
        )
    return columns


def check_reader_args(
    path: Any,
    *,
    columns: Any,
    crs: Any,
    to_crs: Any,
    encoding: str | None,
    sep: str | None,
) -> tuple[Path, Mapping[str, str] | None, Any, Any]:
    """The arguments the point readers share, checked before any work.

    Returns
    -------
    (pathlib.Path, mapping or None, source CRS or None, working CRS)
    """
    target = validate_working_crs(to_crs)
    src = parse_crs_arg(crs)
    check_table_args(encoding, sep)
    checked = check_columns_arg(columns)
    return check_path(path), checked, src, target


def read_findings_file(
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
    category_map: Mapping[str, str] | None = None,
    actor_map: Mapping[str, str] | None = None,
    status_map: Mapping[str, str] | None = None,
) -> IngestResult:
    """Implementation of :func:`geo_trygg.io.readers.read_findings`."""
    p, columns, src, target = check_reader_args(
        path, columns=columns, crs=crs, to_crs=to_crs, encoding=encoding, sep=sep
    )
    maps = {
        "category": check_value_map("category_map", category_map, FINDING_CATEGORIES),
        "actor": check_value_map("actor_map", actor_map, ACTORS),
        "status": check_value_map("status_map", status_map, STATUSES),
    }
    pin = load_points(
        p, "findings", columns=columns, sheet=sheet, layer=layer, encoding=encoding, sep=sep
    )
    require(pin, ("walk_date",), msg("io_what_walk_date"))
    require(pin, ("category", "description"), msg("io_what_category"))
    log = RejectionLog(strict=False)
    log_problems(pin, log)
    loc = locate(pin, src, target, log)
    rl = RowLog(log, pin)
    f, c = pin.frame, pin.cols
    notes: list[str] = []

    date_col = c.fields["walk_date"]
    optional_cols = {name: c.get(name) for name in ("deadline", "status_date")}
    given = [name for name, col in optional_cols.items() if col is not None]
    parsed_dates, order = parse_date_columns(
        [f[date_col], *(f[optional_cols[name]] for name in given)]
    )
    walk = parsed_dates[0]
    order_note = day_month_note_of(parsed_dates, order)
    if order_note:
        notes.append(order_note)
    for i in np.flatnonzero(~walk.ok):
        rl.add(i, date_col, f[date_col].iat[i], walk.reason(i))

    cat_original = pin.text("category")
    description = pin.text("description")
    neither = (cat_original.isna() & description.isna()).to_numpy()
    for i in np.flatnonzero(neither):
        rl.add(
            i,
            c.get("category") or c.fields["description"],
            None,
            msg("io_category_and_description_missing"),
        )
    category = apply_value_map(
        cat_original, map_finding_categories(cat_original), maps["category"]
    )
    from_desc = (cat_original.isna() & description.notna()).to_numpy()
    if from_desc.any():
        category[from_desc] = map_finding_categories(description[from_desc]).to_numpy()
    counted: CountedNotes = [(lambda n: msg("io_note_category_from_description", n=n), from_desc)]

    status, unknown_status = _statuses(f, c.get("status"), rl, counted, maps["status"])
    severity = _severity(f, c.get("severity"), rl)
    actor_original = pin.text("responsible_actor")
    actor = apply_value_map(actor_original, map_actors(actor_original), maps["actor"])
    optional = {}
    for name, col in optional_cols.items():
        if col is None:
            optional[name] = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]")
            if name == "deadline":
                notes.append(msg("io_note_no_deadline_column"))
            continue
        parsed = parsed_dates[1 + given.index(name)]
        for i in np.flatnonzero(~parsed.ok & ~parsed.missing):
            rl.add(i, col, f[col].iat[i], parsed.reason(i))
        optional[name] = parsed.dates()

    walk_id = pin.text("walk_id")
    content = _Content(
        walk_id=walk_id,
        walk_date=walk.dates(),
        category=category,
        description=description,
        x=loc.x,
        y=loc.y,
    )
    finding_id = _ids(pin, content, notes)
    finding_id = _per_walk_ids(finding_id, walk_id, notes)
    reject_repeated_ids(finding_id, c.get("finding_id") or "finding_id", pin.rows, rl)

    canonical = pd.DataFrame(
        {
            "finding_id": finding_id.to_numpy(dtype=object),
            "walk_id": walk_id.to_numpy(dtype=object),
            "walk_date": walk.dates().to_numpy(),
            "category": category.to_numpy(dtype=object),
            "category_original": cat_original.to_numpy(dtype=object),
            "description": description.to_numpy(dtype=object),
            "severity": severity.array,
            "responsible_actor": actor.to_numpy(dtype=object),
            "responsible_original": actor_original.to_numpy(dtype=object),
            "status": status.to_numpy(dtype=object),
            "deadline": optional["deadline"].to_numpy(),
            "status_date": optional["status_date"].to_numpy(),
        },
        index=f.index,
    )
    result = finish("findings", pin, canonical, loc, log, notes, strict=strict, counted=counted)
    statuses = unknown_status.dropna().astype(str).str.strip().value_counts()
    if len(statuses):  # rejected rows: listed with their reasons, and here grouped
        ordered = sorted(statuses.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
        result.summary.unmapped = {"status": {str(k): int(v) for k, v in ordered}}
        result.summary.notes.extend(unmapped_notes(result.summary.unmapped))
    return say_unmapped(result, "findings")


def _statuses(
    f: pd.DataFrame,
    col: str | None,
    rl: RowLog,
    counted: CountedNotes,
    table: Mapping[str, str],
) -> tuple[pd.Series, pd.Series]:
    """The status codes, and the texts no vocabulary knows (those rows are rejected)."""
    raw = text_column(f, col)
    status = apply_value_map(raw, map_statuses(raw), table)
    unknown = (raw.notna() & status.isna()).to_numpy()
    if unknown.any():
        lang = settings.lang
        allowed = ", ".join(label(code, lang, kind="status").lower() for code in STATUSES)
        for i in np.flatnonzero(unknown):
            rl.add(i, str(col), raw.iat[i], msg("io_status_unknown", allowed=allowed))
    missing = raw.isna().to_numpy()
    if missing.any():
        status[missing] = "new"
        counted.append((lambda n: msg("io_note_status_default", n=n), missing))
    return status, raw[unknown]


def _severity(f: pd.DataFrame, col: str | None, rl: RowLog) -> pd.Series:
    if col is None:
        return pd.Series(pd.array([pd.NA] * len(f), dtype="Int64"), index=f.index)
    raw = f[col]
    severity = map_severity(raw)
    given = text_column(f, col).notna().to_numpy()
    for i in np.flatnonzero(given & severity.isna().to_numpy()):
        rl.add(i, col, raw.iat[i], msg("io_severity_unknown"))
    return severity


ID_GRID_METRES = 5
"""Grid (metres, working CRS) the location is rounded to in a generated finding id."""
ID_HASH_CHARS = 8
"""Hexadecimal characters of the SHA-256 hash in a generated finding id."""


@dataclass
class _Content:
    """What a generated finding id is made from (every row, on the input's positions)."""

    walk_id: pd.Series
    walk_date: pd.Series
    category: pd.Series
    description: pd.Series
    x: np.ndarray
    y: np.ndarray


def _grid(values: np.ndarray) -> list[str]:
    """Coordinates rounded to :data:`ID_GRID_METRES` (half up), as integer metres; ``""``
    where not finite (a row rejected for its coordinates)."""
    finite = np.isfinite(values)
    cells = np.floor(np.where(finite, values, 0.0) / ID_GRID_METRES + 0.5) * ID_GRID_METRES
    return [
        str(int(c)) if ok else "" for c, ok in zip(cells.tolist(), finite.tolist(), strict=True)
    ]


def _norm_text(value: Any) -> str:
    """Description as compared in an id: NFC, case-folded, white space collapsed."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())


def _content_ids(content: _Content, fallback: str) -> list[str]:
    """Finding ids derived from the content (module docstring), before ties are told apart.

    ``"<prefix>-<hash>"``: the prefix is the walk id, else the walk date (ISO), else
    ``fallback`` (a row without a walk date is rejected anyway); the hash the first
    :data:`ID_HASH_CHARS` hexadecimal characters of the SHA-256 of the walk id, walk date,
    category code, location on the :data:`ID_GRID_METRES` grid and normalised description.
    """
    days = [
        "" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")
        for d in content.walk_date.tolist()
    ]
    xs, ys = _grid(content.x), _grid(content.y)
    ids = []
    for walk, day, cat, desc, x, y in zip(
        content.walk_id.tolist(),
        days,
        content.category.tolist(),
        content.description.tolist(),
        xs,
        ys,
        strict=True,
    ):
        key = "\x1f".join((walk or "", day, cat or "", x, y, _norm_text(desc)))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
        ids.append(f"{walk or day or fallback}-{digest}")
    return ids


def _ids(pin: PointInput, content: _Content, notes: list[str]) -> pd.Series:
    """The id column's ids; generated ones (:func:`_content_ids`) where it is blank or absent,
    ties told apart by :func:`_tie_suffixes`."""
    ids = pin.text("finding_id")
    blank = ids.isna().to_numpy()
    if not blank.any():
        return ids
    generated = _content_ids(content, pin.path.stem)
    made = np.array(generated, dtype=object)[blank]
    made, n_tied = _tie_suffixes(made, lambda: _tie_keys(pin, content, blank))
    out = ids.copy()
    out[blank] = made
    notes.append(msg("io_note_finding_ids_content", n=int(blank.sum()), metres=ID_GRID_METRES))
    if n_tied:
        notes.append(msg("io_note_finding_ids_tied", n=n_tied))
    return out


def _tie_keys(pin: PointInput, content: _Content, rows: np.ndarray) -> list[tuple[str, ...]]:
    """The full content of the ``rows`` (mask) as sortable text, the id's own fields first,
    then the follow-up fields (which change between versions of a file), then the columns the
    reader does not interpret (by header)."""
    f, c = pin.frame, pin.cols
    first = ("description", "category", "walk_id", "walk_date", "severity", "responsible_actor")
    later = ("deadline", "status", "status_date")
    mapped = [c.get(name) for name in (*first, *later)]
    extra = sorted((str(h) for h in c.extra if h in f.columns), key=lambda h: (header_key(h), h))
    columns = [col for col in mapped if col is not None] + extra
    texts = [text_column(f, col).to_numpy(dtype=object)[rows] for col in columns]
    x = [repr(v) for v in content.x[rows].tolist()]
    y = [repr(v) for v in content.y[rows].tolist()]
    cells = [x, y, *([t if t is not None else "" for t in col] for col in texts)]
    return [tuple(row) for row in zip(*cells, strict=True)]


def _tie_suffixes(
    ids: np.ndarray, full_content: Callable[[], list[tuple[str, ...]]]
) -> tuple[np.ndarray, int]:
    """Equal generated ids (identical content, or the rare hash collision) told apart: the
    tied rows sorted by their full content (``full_content()``, made only when some are
    tied), the first keeps the id, the next get
    ``-2``, ``-3`` …; rows with the same full content are interchangeable, so any row order
    gives the same ids for the same rows' contents. Returns the ids and how many rows were
    tied."""
    out = ids.copy()
    tied = pd.Series(ids).duplicated(keep=False).to_numpy()
    if not tied.any():
        return out, 0
    keys = full_content()
    groups: dict[str, list[int]] = {}
    for i in np.flatnonzero(tied).tolist():
        groups.setdefault(str(ids[i]), []).append(i)
    for base, members in groups.items():
        members.sort(key=lambda i: keys[i])
        for k, i in enumerate(members[1:], start=2):
            out[i] = f"{base}-{k}"
    return out, int(tied.sum())


def _per_walk_ids(ids: pd.Series, walk_id: pd.Series, notes: list[str]) -> pd.Series:
    """Ids numbered per walk (1, 2, 3 on every walk) become ``"<walk_id>-<id>"``.

    Only when some id repeats on different walks and every repeated id has a walk id;
    otherwise the ids are left as they are. Repeats within one walk are rejected afterwards.
    """
    repeated = ids.duplicated(keep=False)
    if not repeated.any() or walk_id[repeated].isna().any():
        return ids
    walks_per_id = walk_id[repeated].groupby(ids[repeated]).nunique()
    if not (walks_per_id > 1).any():
        return ids
    combined = walk_id.astype(object) + "-" + ids.astype(object)
    out = ids.where(walk_id.isna(), combined)
    notes.append(msg("io_note_ids_per_walk"))
    return out
