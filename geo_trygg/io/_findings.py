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
  the row (never silently dropped).
- ``finding_id``: the id column's value as text; when the file has no id column or the cell is
  blank, ``"<walk_id>-<source_row>"``, or ``"<file name without extension>-<source_row>"`` when
  the row has no walk id either. Ids numbered per walk (the same id on different walks) become
  ``"<walk_id>-<id>"``. A repeated id rejects every occurrence after the first, with the row
  of the first in the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.crs import validate_working_crs
from geo_trygg.io._dates import parse_datetimes
from geo_trygg.io._points import (
    CountedNotes,
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
from geo_trygg.vocab.findings import (
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
) -> IngestResult:
    """Implementation of :func:`geo_trygg.io.readers.read_findings`."""
    p, columns, src, target = check_reader_args(
        path, columns=columns, crs=crs, to_crs=to_crs, encoding=encoding, sep=sep
    )
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
    walk = parse_datetimes(f[date_col])
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
    category = map_finding_categories(cat_original)
    from_desc = (cat_original.isna() & description.notna()).to_numpy()
    if from_desc.any():
        category[from_desc] = map_finding_categories(description[from_desc]).to_numpy()
    counted: CountedNotes = [(lambda n: msg("io_note_category_from_description", n=n), from_desc)]

    status = _statuses(f, c.get("status"), rl, counted)
    severity = _severity(f, c.get("severity"), rl)
    actor_original = pin.text("responsible_actor")
    actor = map_actors(actor_original)
    optional = {}
    for name in ("deadline", "status_date"):
        col = c.get(name)
        if col is None:
            optional[name] = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]")
            continue
        parsed = parse_datetimes(f[col])
        for i in np.flatnonzero(~parsed.ok & ~parsed.missing):
            rl.add(i, col, f[col].iat[i], parsed.reason(i))
        optional[name] = parsed.dates()

    walk_id = pin.text("walk_id")
    finding_id = _ids(pin.path, pin.rows, pin.text("finding_id"), walk_id, notes)
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
    return finish("findings", pin, canonical, loc, log, notes, strict=strict, counted=counted)


def _statuses(
    f: pd.DataFrame,
    col: str | None,
    rl: RowLog,
    counted: CountedNotes,
) -> pd.Series:
    raw = text_column(f, col)
    status = map_statuses(raw)
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
    return status


def _severity(f: pd.DataFrame, col: str | None, rl: RowLog) -> pd.Series:
    if col is None:
        return pd.Series(pd.array([pd.NA] * len(f), dtype="Int64"), index=f.index)
    raw = f[col]
    severity = map_severity(raw)
    given = text_column(f, col).notna().to_numpy()
    for i in np.flatnonzero(given & severity.isna().to_numpy()):
        rl.add(i, col, raw.iat[i], msg("io_severity_unknown"))
    return severity


def _ids(
    path: Path, rows: np.ndarray, ids: pd.Series, walk_id: pd.Series, notes: list[str]
) -> pd.Series:
    blank = ids.isna().to_numpy()
    if blank.any():
        out = ids.copy()
        out[blank] = [
            f"{w if w is not None else path.stem}-{int(r)}"
            for w, r in zip(walk_id[blank], rows[blank], strict=True)
        ]
        what = msg("io_id_prefix_walk", stem=path.stem)
        notes.append(
            msg("io_note_ids_generated", n=int(blank.sum()), prefix="<walk_id>", what=what)
        )
        return out
    return ids


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
