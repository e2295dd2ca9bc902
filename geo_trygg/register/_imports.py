"""Imports into a register: walk protocols, status files and event batches.

Every import

- reads its file with the readers of :mod:`geo_trygg.io` (so the same rows are accepted and
  rejected, for the same reasons, as everywhere else), outside any transaction;
- then writes everything in one write transaction: its ``imports`` row (file, SHA-256,
  counts, the reader's summary), its accepted rows, and every rejected row with its row
  number and reason (``rejected_rows``). Either all of it is in the register or none of it;
- is recognised when the same file (same SHA-256, same kind) comes again: nothing is
  written, and the report says which earlier import it was.

Walks (:func:`import_walk`): the rows are merged with the open findings by the rule of
:mod:`geo_trygg.register._merge`; a row that matches is a sighting of that finding ("seen
again": ``n_seen`` and ``last_seen`` of the finding change, its status does not), every other
row is a new finding. A new finding keeps its id from the protocol when the register has no
finding with that id; otherwise its id is ``"<walk>/<id>"`` (and ``"<walk>/<id>-2"``… in the
unlikely case that is taken too). Every new finding starts its status history.

Status files (:func:`import_status`): the rows of a returned status file
(:func:`geo_trygg.io.status.read_status_updates`) name findings by their register id, or by
an id a walk protocol gave them (the walk that recorded the finding, or a later walk that saw it
again: an actor answers the protocol it was sent) when exactly one finding has that id; an id
several findings share is rejected with a reason saying so. Each known row becomes a history
row (from the status the finding had at that date to the new one, who, comment, file, row);
the finding's current status follows the rule of
:func:`geo_trygg.followup.apply_status_updates` (the latest update wins; one older than the
current status only enters the history). A row naming no finding is rejected with its row
number.

Event batches (:func:`store_events`): events are keyed by ``(source, event_id)``; a row whose
key the register already has is counted as already there, not stored twice, so overlapping
exports of the police events API can be imported one after another. Each batch records the
days it covers per its sources (given, or else from its first to its last event, with a note).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, RegisterError
from geo_trygg._files import sha256
from geo_trygg._labels import msg
from geo_trygg._validate import check_date
from geo_trygg.followup import OPEN_STATUSES  # a new walk sees again only these
from geo_trygg.io.result import REJECTED_COLUMNS
from geo_trygg.register._backend import Backend, days_of, db_columns, rows_from_frame
from geo_trygg.register._merge import match_findings
from geo_trygg.register._schema import TABLES
from geo_trygg.register._store import (
    now_text,
    read_columns,
    read_table,
    write_columns,
    write_frame,
)

__all__ = ["ImportReport", "import_status", "import_walk", "store_events", "who_is"]


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    kind : str
        ``"walk"``, ``"status"`` or ``"events"``.
    file : str
        The file's name (or the name given to a frame).
    import_id : int or None
        The import's ``fid`` in the register's ``imports`` table; for a file imported before,
        that earlier import's.
    n_input, n_accepted, n_rejected : int
        Rows read, accepted and rejected (``n_input == n_accepted + n_rejected``); a status
        row naming no finding is rejected.
    n_new : int
        Walks: new findings. Events: events stored.
    n_seen_again : int
        Walks: rows that were an open finding seen again.
    n_updates : int
        Status files: rows entered in the history (``n_stale`` of them older than the
        finding's current status, so history only).
    n_stale : int
    n_already : int
        Events already in the register (same source and id), not stored again.
    already_imported : bool
        The same file was imported before; nothing was written.
    notes : list of str
        The reader's notes and the import's own, as sentences.
    rejected : pandas.DataFrame
        ``row``, ``column``, ``value``, ``reason``: every problem of every rejected row.
    """

    kind: str
    file: str
    import_id: int | None
    n_input: int
    n_accepted: int
    n_rejected: int
    n_new: int = 0
    n_seen_again: int = 0
    n_updates: int = 0
    n_stale: int = 0
    n_already: int = 0
    already_imported: bool = False
    notes: list[str] = field(default_factory=list)
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTED_COLUMNS))

    def __post_init__(self) -> None:
        if self.n_input != self.n_accepted + self.n_rejected:
            raise AssertionError(
                f"row accounting broken: {self.n_input} in != "
                f"{self.n_accepted} accepted + {self.n_rejected} rejected"
            )

    def summary(self, lang: str | None = None) -> str:
        """One sentence a user reads: what the import did, in ``lang``."""
        if self.already_imported:
            return msg("reg_report_again", lang, file=self.file, id=self.import_id)
        counts = msg(
            "reg_report_counts",
            lang,
            file=self.file,
            n=self.n_input,
            accepted=self.n_accepted,
            rejected=self.n_rejected,
        )
        if self.kind == "walk":
            what = msg("reg_report_walk", lang, new=self.n_new, again=self.n_seen_again)
        elif self.kind == "status":
            what = msg("reg_report_status", lang, n=self.n_updates, stale=self.n_stale)
        else:
            what = msg("reg_report_events", lang, new=self.n_new, already=self.n_already)
        return f"{counts} {what}"

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-able data (rejected rows as a list of records)."""
        out = {k: v for k, v in self.__dict__.items() if k != "rejected"}
        out["rejected"] = [
            {
                "row": int(r.row),
                "column": str(r.column),
                "value": _plain(r.value),
                "reason": str(r.reason),
            }
            for r in self.rejected.itertuples(index=False)
        ]
        return out


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value if isinstance(value, str | int | float | bool) else str(value)


def who_is(by: str | None) -> str:
    """Who writes: ``by`` as given, else the system user name (empty when there is none)."""
    if by is None:
        try:
            return getpass.getuser()
        except (KeyError, OSError):  # no user name in a container: say so
            return ""
    if not isinstance(by, str):
        raise ConfigError(msg("reg_err_by", value=repr(by)))
    return by


def _earlier(backend: Backend, kind: str, digest: str | None) -> int | None:
    if digest is None:
        return None
    rows = backend.fetch(
        'SELECT MIN("fid") FROM "imports" WHERE "kind" = ? AND "sha256" = ?', [kind, digest]
    )
    return None if rows[0][0] is None else int(rows[0][0])


def _again(kind: str, name: str, earlier: int, result: Any) -> ImportReport:
    n_in, n_rej = result.summary.n_input, result.summary.n_rejected
    return ImportReport(
        kind,
        name,
        earlier,
        n_in,
        n_in - n_rej,
        n_rej,
        already_imported=True,
        notes=[msg("reg_report_again", file=name, id=earlier)],
    )


def _import_row(
    backend: Backend,
    kind: str,
    name: str,
    digest: str | None,
    who: str,
    report: dict[str, Any],
    **extra: Any,
) -> int:
    """The ``imports`` row, inserted first so the other rows can point at it."""
    table = TABLES["imports"]
    values: dict[str, Any] = {
        "kind": kind,
        "file_name": name,
        "sha256": digest,
        "imported_at": now_text(),
        "imported_by": who,
        "report": json.dumps(report, ensure_ascii=False, sort_keys=True, default=str),
        **extra,
    }
    columns = list(values)
    return backend.insert_one(table, columns, tuple(values[c] for c in columns))


def _set_counts(backend: Backend, fid: int, **counts: int) -> None:
    names = list(counts)
    sets = ", ".join(f'"{n}" = ?' for n in names)
    backend.execute(
        f'UPDATE "imports" SET {sets} WHERE "fid" = ?', [*(int(counts[n]) for n in names), fid]
    )


def _store_rejected(backend: Backend, fid: int, rejected: pd.DataFrame) -> None:
    if not len(rejected):
        return
    frame = pd.DataFrame(
        {
            "import_fid": fid,
            "row": rejected["row"].astype("int64").to_numpy(),
            "column_name": rejected["column"].astype(str).to_numpy(),
            "value": [None if _plain(v) is None else str(v) for v in rejected["value"]],
            "reason": rejected["reason"].astype(str).to_numpy(),
        }
    )
    write_frame(backend, TABLES["rejected_rows"], frame)


# --- walks -----------------------------------------------------------------------------------


def _check_walk(walk: Any) -> str:
    if not isinstance(walk, str) or not walk.strip() or len(walk) > 200:
        raise ConfigError(msg("reg_err_walk", value=repr(walk)[:60]))
    return walk.strip()


def _check_distance(distance: Any) -> float:
    ok = isinstance(distance, int | float) and not isinstance(distance, bool)
    if not ok or not np.isfinite(distance) or not 0 <= distance <= 1000:
        raise ConfigError(msg("reg_err_distance", value=repr(distance)))
    return float(distance)


def _taken_ids(backend: Backend, source_ids: list[str], walk: str) -> set[str]:
    """The register ids :func:`_new_ids` may try that are taken: the protocol's ids, and
    ``"<walk>/<id>"`` for those."""
    findings = TABLES["findings"]
    taken = backend.existing(findings, "finding_id", source_ids)
    taken |= backend.existing(
        findings, "finding_id", [f"{walk}/{sid}" for sid in source_ids if sid in taken]
    )
    return taken


def _new_ids(
    source_ids: list[str], walk: str, taken: set[str], is_taken: Callable[[str], bool]
) -> list[str]:
    """Register ids for new findings: the protocol's id when free, else ``walk/id``, else
    ``walk/id-2``… (``taken`` holds the first two kinds; ``is_taken`` asks for the rest)."""
    out = []
    for source in source_ids:
        candidate = source if source not in taken else f"{walk}/{source}"
        k = 2
        while candidate in taken or (k > 2 and is_taken(candidate)):
            candidate = f"{walk}/{source}-{k}"
            k += 1
        taken.add(candidate)
        out.append(candidate)
    return out


_FROM_THE_ROW = [
    name
    for name in TABLES["findings"].names
    if name not in ("finding_id", "walk", "source_id", "walk_date", "last_seen", "n_seen", "geom")
]
"""The columns of a new finding taken as they are from the walk's row (category, text,
severity, actor, status, days): every column of ``findings`` but its ids, days and place."""


def import_walk(
    backend: Backend,
    path: Path,
    *,
    walk: str,
    distance: float,
    by: str | None,
    read: dict[str, Any],
) -> ImportReport:
    """Import one walk protocol (module docstring); arguments as
    :meth:`geo_trygg.register.Register.import_walk`."""
    from geo_trygg.io.readers import read_findings

    walk = _check_walk(walk)
    distance = _check_distance(distance)
    who = who_is(by)
    digest = sha256(path) if path.is_file() else None
    result = read_findings(path, to_crs=f"EPSG:{backend.srid}", **read)
    acc = result.accepted.reset_index(drop=True)
    name = path.name
    with backend.writing():
        earlier = _earlier(backend, "walk", digest)
        if earlier is not None:
            return _again("walk", name, earlier, result)
        if backend.fetch('SELECT 1 FROM "walks" WHERE "walk" = ?', [walk]):
            raise RegisterError(msg("reg_err_walk_exists", walk=walk, file=name))
        # only the open findings the walk's rows could be: of their categories
        category = acc["category"].to_numpy(dtype=object)
        categories = sorted({str(c) for c in category if isinstance(c, str)})
        marks = ", ".join("?" for _ in categories) or "NULL"
        open_ = read_columns(
            backend,
            "findings",
            where=f'"status" IN (?, ?) AND "category" IN ({marks})',
            params=[*OPEN_STATUSES, *categories],
            columns=["finding_id", "category", "geom"],
            xy=True,
        )
        points = acc.geometry.to_numpy()
        matched, dist = match_findings(
            category,
            np.column_stack([shapely.get_x(points), shapely.get_y(points)]).reshape(-1, 2),
            open_["finding_id"],
            open_["category"],
            open_["geom"],
            distance=distance,
        )
        is_new = np.array([m is None for m in matched], dtype=bool)
        again = ~is_new
        source_ids = acc["finding_id"].astype(str).tolist()
        taken = _taken_ids(backend, source_ids, walk)
        ids = np.array(matched, dtype=object)
        ids[is_new] = _new_ids(
            [source_ids[i] for i in np.flatnonzero(is_new)],
            walk,
            taken,
            lambda fid: bool(
                backend.fetch('SELECT 1 FROM "findings" WHERE "finding_id" = ?', [fid])
            ),
        )

        fid = _import_row(
            backend,
            "walk",
            name,
            digest,
            who,
            result.to_dict()["summary"],
            walk=walk,
            n_input=result.summary.n_input,
            n_accepted=result.summary.n_accepted,
            n_rejected=result.summary.n_rejected,
            n_new=int(is_new.sum()),
            n_seen_again=int(again.sum()),
        )
        days = days_of(acc["walk_date"])
        rows = {c: acc[c].to_numpy() for c in acc.columns if c != acc.geometry.name}
        new_days = days[is_new]
        write_columns(
            backend,
            TABLES["findings"],
            {
                "finding_id": ids[is_new],
                "walk": walk,
                "source_id": np.asarray(source_ids, dtype=object)[is_new],
                "walk_date": new_days,
                "last_seen": new_days,
                "n_seen": 1,
                "geom": points[is_new],
                **{
                    column: rows[column][is_new] if column in rows else None
                    for column in _FROM_THE_ROW
                },
            },
        )
        write_columns(
            backend,
            TABLES["sightings"],
            {
                "finding_id": ids,
                "walk": walk,
                "walk_date": days,
                "import_fid": fid,
                "source_row": rows["source_row"],
                "source_id": source_ids,
                "kind": np.where(is_new, "new", "seen_again").astype(object),
                "distance_m": dist,
                "description": rows["description"],
                "severity": rows["severity"],
                "status": rows["status"],
            },
        )
        status_day = days_of(acc["status_date"])
        changed = np.where(np.isnat(status_day), days, status_day)[is_new]
        write_columns(
            backend,
            TABLES["status_history"],
            {
                "object_kind": "finding",
                "object_id": ids[is_new],
                "changed_on": changed,
                "status_from": None,
                "status_to": rows["status"][is_new],
                "who": who,
                "comment": None,
                "source_file": name,
                "import_fid": fid,
                "source_row": rows["source_row"][is_new],
                "recorded_at": now_text(),
            },
        )
        if again.any():
            day_text = np.datetime_as_string(days[again], unit="D")
            backend.mark_seen(list(zip(ids[again].tolist(), day_text.tolist(), strict=True)))
        _store_rejected(backend, fid, result.rejected)
        write_columns(
            backend,
            TABLES["walks"],
            {
                "walk": [walk],
                "walk_date": [days.min() if len(days) else None],
                "import_fid": [fid],
                "n_rows": [result.summary.n_input],
            },
        )
    notes = list(result.summary.notes)
    return ImportReport(
        "walk",
        name,
        fid,
        result.summary.n_input,
        result.summary.n_accepted,
        result.summary.n_rejected,
        n_new=int(is_new.sum()),
        n_seen_again=int(again.sum()),
        notes=notes,
        rejected=result.rejected,
    )


# --- status files ----------------------------------------------------------------------------


def _resolve(ids: pd.Series, known: pd.DataFrame, seen: pd.DataFrame) -> pd.Series:
    """Register ids for the ids a status file gives: the register's own id; else the id a
    walk protocol gave it (when it was recorded, or when a later walk saw it again), if exactly
    one finding has that protocol id. NA where none, ``""`` where several findings do."""
    direct = ids.where(ids.isin(set(known["finding_id"])))
    pairs = pd.concat(
        [
            known[["source_id", "finding_id"]],
            seen[["source_id", "finding_id"]],
        ],
        ignore_index=True,
    ).drop_duplicates()
    per_id = pairs.groupby("source_id")["finding_id"].agg(
        lambda v: v.iloc[0] if len(v) == 1 else ""
    )
    return direct.fillna(ids.map(per_id))


def _status_from(history: pd.DataFrame, updates: pd.DataFrame) -> np.ndarray:
    """Per update, the status its finding had just before it (by date, then entry order)."""
    earlier = pd.DataFrame(
        {
            "id": history["object_id"].to_numpy(dtype=object),
            "day": pd.to_datetime(history["changed_on"]).to_numpy(),
            "status": history["status_to"].to_numpy(dtype=object),
            "seq": np.arange(len(history)),
            "mine": -1,
        }
    )
    mine = pd.DataFrame(
        {
            "id": updates["finding_id"].to_numpy(dtype=object),
            "day": pd.to_datetime(updates["status_date"]).to_numpy(),
            "status": updates["status"].to_numpy(dtype=object),
            "seq": len(history) + np.arange(len(updates)),
            "mine": np.arange(len(updates)),
        }
    )
    both = pd.concat([earlier, mine], ignore_index=True)
    both = both.sort_values(["id", "day", "seq"], kind="stable", na_position="first")
    both["before"] = both.groupby("id", sort=False)["status"].shift(1)
    out = both.loc[both["mine"] >= 0].sort_values("mine")["before"]
    return np.array([None if pd.isna(v) else v for v in out], dtype=object)


def import_status(
    backend: Backend, path: Path, *, by: str | None, read: dict[str, Any]
) -> ImportReport:
    """Import one returned status file (module docstring)."""
    from geo_trygg.followup import apply_status_updates
    from geo_trygg.io.status import read_status_updates

    who = who_is(by)
    digest = sha256(path) if path.is_file() else None
    result = read_status_updates(path, **read)
    upd = result.accepted.reset_index(drop=True)
    name = path.name
    with backend.writing():
        earlier = _earlier(backend, "status", digest)
        if earlier is not None:
            return _again("status", name, earlier, result)
        known = read_table(
            backend, "findings", columns=["finding_id", "source_id", "status", "status_date"]
        )
        seen = read_table(backend, "sightings", columns=["finding_id", "source_id"])
        target = _resolve(upd["finding_id"].astype(str), known, seen)
        unknown = (target.isna() | (target == "")).to_numpy()
        several = (target == "").to_numpy()
        lost = pd.DataFrame(
            {
                "row": upd.loc[unknown, "source_row"].to_numpy(),
                "column": "finding_id",
                "value": upd.loc[unknown, "finding_id"].to_numpy(),
                "reason": np.where(
                    several[unknown],
                    msg("reg_reason_several_findings"),
                    msg("reg_reason_unknown_finding"),
                ),
            }
        )
        rejected = pd.concat([result.rejected, lost], ignore_index=True)
        rejected = rejected.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
        good = upd.loc[~unknown].assign(finding_id=target[~unknown].to_numpy())
        n_rejected = result.summary.n_rejected + int(unknown.sum())
        n_accepted = result.summary.n_input - n_rejected
        fid = _import_row(
            backend,
            "status",
            name,
            digest,
            who,
            result.to_dict()["summary"],
            n_input=result.summary.n_input,
            n_accepted=n_accepted,
            n_rejected=n_rejected,
            n_updates=len(good),
            n_unknown=int(unknown.sum()),
        )
        mine = known.loc[known["finding_id"].isin(set(good["finding_id"]))]
        merged = apply_status_updates(
            mine[["finding_id", "status", "status_date"]].reset_index(drop=True),
            good[["finding_id", "status", "status_date", "comment", "source_row"]],
        )
        hist = read_table(
            backend,
            "status_history",
            where='"object_kind" = ?',
            params=[
                "finding",
            ],
            columns=["object_id", "changed_on", "status_to"],
        )
        hist = hist.loc[hist["object_id"].isin(set(good["finding_id"]))]
        history = pd.DataFrame(
            {
                "object_kind": "finding",
                "object_id": good["finding_id"].to_numpy(dtype=object),
                "changed_on": pd.to_datetime(good["status_date"]).to_numpy(),
                "status_from": _status_from(hist, good),
                "status_to": good["status"].to_numpy(dtype=object),
                "who": who,
                "comment": good["comment"].to_numpy(dtype=object),
                "source_file": name,
                "import_fid": fid,
                "source_row": good["source_row"].to_numpy(),
                "recorded_at": pd.Timestamp(now_text()),
            }
        )
        write_frame(backend, TABLES["status_history"], history)
        after = merged.findings
        before = mine.reset_index(drop=True)
        moved = (after["status"].to_numpy() != before["status"].to_numpy()) | (
            pd.to_datetime(after["status_date"]).to_numpy()
            != pd.to_datetime(before["status_date"]).to_numpy()
        )
        changes = after.loc[moved]
        rows = rows_from_frame(
            changes.rename(columns={})[["status", "status_date", "finding_id"]],
            TABLES["findings"],
            ["status", "status_date", "finding_id"],
            backend,
        )
        backend.execute_many(
            'UPDATE "findings" SET "status" = ?, "status_date" = ? WHERE "finding_id" = ?', rows
        )
        _store_rejected(backend, fid, rejected)
    return ImportReport(
        "status",
        name,
        fid,
        result.summary.n_input,
        n_accepted,
        n_rejected,
        n_updates=len(good),
        n_stale=merged.n_stale,
        notes=[*result.summary.notes, *merged.notes],
        rejected=rejected,
    )


# --- event batches ---------------------------------------------------------------------------

EVENT_COLUMNS = [
    "event_id",
    "source",
    "time_from",
    "time_to",
    "published",
    "category",
    "source_type",
    "location_precision",
    "location_name",
    "kommun",
    "duplicate_group",
    "text",
    "url",
]
"""The event columns a register keeps (those of ``docs/data-model.md``)."""


def check_coverage(coverage: Any) -> tuple[dt.date, dt.date] | None:
    """``coverage`` as two days (first, last, both included), or None; each day read by
    :func:`geo_trygg._validate.check_date` (numbers and impossible days refused)."""
    if coverage is None:
        return None
    if isinstance(coverage, str | bytes) or not hasattr(coverage, "__len__") or len(coverage) != 2:
        raise ConfigError(msg("reg_err_coverage", value=repr(coverage)[:60]))
    first, last = (check_date(v, "coverage", lang=None) for v in coverage)
    if last < first:
        raise ConfigError(msg("reg_err_coverage", value=repr(coverage)[:60]))
    return first, last


def store_events(
    backend: Backend,
    events: Any,
    *,
    name: str,
    digest: str | None,
    coverage: tuple[dt.date, dt.date] | None,
    by: str | None,
    summary: dict[str, Any],
    rejected: pd.DataFrame,
    n_input: int,
) -> ImportReport:
    """Store one batch of accepted events (module docstring)."""
    who = who_is(by)
    events = events.to_crs(f"EPSG:{backend.srid}") if events.crs is not None else events
    frame = pd.DataFrame({c: events.get(c) for c in EVENT_COLUMNS})
    frame["geom"] = events.geometry.to_numpy()
    frame["event_id"] = frame["event_id"].astype(str)
    frame["source"] = frame["source"].fillna("annan").astype(str)
    notes = []
    if coverage is None and len(frame):
        days = pd.to_datetime(frame["time_from"])
        first, last = days.min().date(), days.max().date()
        notes.append(msg("reg_note_coverage_guess", first=first, last=last))
    elif coverage is not None:
        first, last = coverage
    else:
        first = last = None
    sources = ",".join(sorted(set(frame["source"])))
    n_rejected = len(set(rejected["row"])) if len(rejected) else 0
    with backend.writing():
        earlier = _earlier(backend, "events", digest)
        if earlier is not None:
            return ImportReport(
                "events",
                name,
                earlier,
                n_input,
                n_input - n_rejected,
                n_rejected,
                already_imported=True,
                notes=[msg("reg_report_again", file=name, id=earlier)],
            )
        fid = _import_row(
            backend,
            "events",
            name,
            digest,
            who,
            summary,
            source=sources,
            n_input=n_input,
            n_accepted=n_input - n_rejected,
            n_rejected=n_rejected,
            coverage_from=None if first is None else first.isoformat(),
            coverage_to=None if last is None else last.isoformat(),
        )
        frame["import_fid"] = fid
        table = TABLES["events"]
        columns = [*EVENT_COLUMNS, "import_fid", "geom"]
        values = db_columns({c: frame[c] for c in columns}, table, backend)
        stored = backend.insert_new(table, columns, values)
        _set_counts(backend, fid, n_new=stored, n_already=len(frame) - stored)
        _store_rejected(backend, fid, rejected)
    return ImportReport(
        "events",
        name,
        fid,
        n_input,
        n_input - n_rejected,
        n_rejected,
        n_new=stored,
        n_already=len(frame) - stored,
        notes=notes,
        rejected=rejected,
    )
