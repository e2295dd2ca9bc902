"""The plan in the register: problems, measures, their links, and the measures' history.

What is stored is what :mod:`geo_trygg.plan` computes on (the tables of ``docs/plan.md``):
problems, measures with Brå's fields (orsak, åtgärd, operativt mål, när, vem, uppföljning)
and their place, and which problems each measure addresses. Rules checked before anything is
written, all problems of one call reported together (:class:`~geo_trygg.ConfigError`):

- ids are non-empty text, unique in the call and new to the register;
- a problem's ``kind`` is one of :data:`geo_trygg.plan.PROBLEM_KINDS`; a ``findings``
  problem names findings the register has;
- a measure's ``status`` is one of :data:`geo_trygg.plan.MEASURE_STATUSES`, its
  ``progress`` 0–100 or empty, its ``start`` not after its ``end``, and it addresses at least
  one problem the register (or the same call) has;
- its place is a polygon, or a point with ``radius_m`` > 0 (stored as the circle, the radius
  kept), in any CRS (converted to the register's).

Measures change over time through :func:`update_measure`, which writes a history row (from
what to what, when, who, comment) like a finding's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._validate import check_date
from geo_trygg.plan import MEASURE_COLUMNS, MEASURE_STATUSES, PROBLEM_COLUMNS, PROBLEM_KINDS
from geo_trygg.register._backend import Backend
from geo_trygg.register._imports import who_is
from geo_trygg.register._schema import TABLES
from geo_trygg.register._store import now_text, write_frame

__all__ = ["add_measures", "add_problems", "update_measure"]

PROBLEM_FIELDS = (*PROBLEM_COLUMNS, "period")
"""The problem columns the register keeps: the plan's, and the lägesbild period named."""
MEASURE_FIELDS = (*(c for c in MEASURE_COLUMNS if c != "geometry"), "area")
"""The measure columns the register keeps besides the place: the plan's, and ``area``."""


def _ids(values: pd.Series, name: str, taken: set[str], problems: list[str]) -> list[str]:
    ids = [str(v).strip() if not pd.isna(v) else "" for v in values]
    for i, value in enumerate(ids):
        if not value:
            problems.append(msg("reg_plan_blank_id", name=name, row=i + 1))
    seen: set[str] = set()
    for value in ids:
        if value and (value in seen or value in taken):
            problems.append(msg("reg_plan_repeated_id", name=name, value=value))
        seen.add(value)
    return ids


def _raise(problems: list[str]) -> None:
    if problems:
        raise ConfigError("; ".join(dict.fromkeys(problems)))


def _existing(backend: Backend, table: str, column: str) -> set[str]:
    return {str(r[0]) for r in backend.fetch(f'SELECT "{column}" FROM "{table}"')}


def add_problems(
    backend: Backend,
    problems: pd.DataFrame,
    findings: Mapping[str, Sequence[str]] | None,
) -> int:
    """Store new problems (and the findings of ``findings`` problems); see the module
    docstring. Returns how many problems were stored."""
    if not isinstance(problems, pd.DataFrame):
        raise ConfigError(msg("reg_plan_frame", name="problems", got=type(problems).__name__))
    missing = [c for c in ("problem_id", "kind") if c not in problems]
    if missing:
        raise ConfigError(msg("reg_plan_columns", name="problems", columns=", ".join(missing)))
    links = {str(k): [str(f) for f in v] for k, v in (findings or {}).items()}
    with backend.writing():
        errors: list[str] = []
        ids = _ids(
            problems["problem_id"],
            "problems.problem_id",
            _existing(backend, "problems", "problem_id"),
            errors,
        )
        for kind in problems["kind"]:
            if kind not in PROBLEM_KINDS:
                errors.append(
                    msg("reg_plan_kind", value=repr(kind)[:40], allowed=", ".join(PROBLEM_KINDS))
                )
        known = _existing(backend, "findings", "finding_id")
        for key, values in links.items():
            if key not in ids:
                errors.append(msg("reg_plan_unknown_problem", value=key))
            unknown = [f for f in values if f not in known]
            if unknown:
                errors.append(
                    msg("reg_plan_unknown_findings", value=key, ids=", ".join(unknown[:5]))
                )
        _raise(errors)
        given = problems.reset_index(drop=True)
        frame = pd.DataFrame({c: given.get(c) for c in PROBLEM_FIELDS})
        frame["problem_id"] = ids
        write_frame(backend, TABLES["problems"], frame)
        pairs = [(k, f) for k, values in links.items() for f in dict.fromkeys(values)]
        if pairs:
            write_frame(
                backend,
                TABLES["problem_findings"],
                pd.DataFrame(pairs, columns=["problem_id", "finding_id"]),
            )
    return len(frame)


def _places(measures: gpd.GeoDataFrame, srid: int, errors: list[str]) -> np.ndarray:
    """The measures' places as polygons in the register's CRS (points buffered)."""
    if measures.crs is None:
        errors.append(msg("reg_plan_no_crs"))
        return np.array([], dtype=object)
    geoms = measures.to_crs(f"EPSG:{srid}").geometry.to_numpy()
    radius = (
        pd.to_numeric(measures.get("radius_m"), errors="coerce")
        if "radius_m" in measures
        else pd.Series(np.nan, index=measures.index)
    )
    out = np.empty(len(geoms), dtype=object)
    for i, (geom, r) in enumerate(zip(geoms, radius.to_numpy(dtype=float), strict=True)):
        kind = None if geom is None else geom.geom_type
        if kind == "Point" and np.isfinite(r) and r > 0:
            out[i] = shapely.buffer(geom, r, quad_segs=16)
        elif kind in ("Polygon", "MultiPolygon") and not geom.is_empty:
            out[i] = geom if geom.is_valid else shapely.make_valid(geom)
        else:
            errors.append(msg("reg_plan_place", row=i + 1))
    return out


def add_measures(
    backend: Backend,
    measures: gpd.GeoDataFrame,
    links: pd.DataFrame | Mapping[str, Sequence[str]],
    by: str | None,
) -> int:
    """Store new measures with the problems they address; see the module docstring."""
    if not isinstance(measures, gpd.GeoDataFrame):
        raise ConfigError(msg("reg_plan_frame", name="measures", got=type(measures).__name__))
    needed = ("measure_id", "title", "status", "start", "end")
    missing = [c for c in needed if c not in measures]
    if missing:
        raise ConfigError(msg("reg_plan_columns", name="measures", columns=", ".join(missing)))
    if isinstance(links, Mapping):
        pairs = [(str(m), str(p)) for m, ps in links.items() for p in ps]
    else:
        pairs = [
            (str(m), str(p))
            for m, p in links[["measure_id", "problem_id"]].itertuples(index=False)
        ]
    who = who_is(by)
    with backend.writing():
        errors: list[str] = []
        ids = _ids(
            measures["measure_id"],
            "measures.measure_id",
            _existing(backend, "measures", "measure_id"),
            errors,
        )
        for status in measures["status"]:
            if status not in MEASURE_STATUSES:
                errors.append(
                    msg(
                        "reg_plan_status",
                        value=repr(status)[:40],
                        allowed=", ".join(MEASURE_STATUSES),
                    )
                )
        start = pd.to_datetime(measures["start"], errors="coerce")
        end = pd.to_datetime(measures["end"], errors="coerce")
        for i, (a, b) in enumerate(zip(start, end, strict=True)):
            if pd.isna(a) or pd.isna(b) or b < a:
                errors.append(msg("reg_plan_dates", value=ids[i] or str(i + 1)))
        progress = (
            pd.to_numeric(measures.get("progress"), errors="coerce")
            if "progress" in measures
            else pd.Series(np.nan, index=measures.index)
        )
        bad = progress.notna() & ~progress.between(0, 100)
        for i in np.flatnonzero(bad.to_numpy()).tolist():
            errors.append(msg("reg_plan_progress", value=ids[i] or str(i + 1)))
        problems = _existing(backend, "problems", "problem_id")
        for m, p in pairs:
            if m not in ids:
                errors.append(msg("reg_plan_link_measure", value=m))
            if p not in problems:
                errors.append(msg("reg_plan_unknown_problem", value=p))
        linked = {m for m, _ in pairs}
        for m in ids:
            if m and m not in linked:
                errors.append(msg("reg_plan_unlinked", value=m))
        places = _places(measures, backend.srid, errors)
        _raise(errors)
        given = pd.DataFrame(measures).reset_index(drop=True)
        frame = pd.DataFrame({c: given.get(c) for c in MEASURE_FIELDS})
        frame["measure_id"] = ids
        frame["progress"] = progress.round().astype("Int64").to_numpy()
        frame["public"] = frame["public"].fillna(False).astype(bool)
        frame = frame.rename(columns={"start": "start_date", "end": "end_date"})
        frame["geom"] = places
        write_frame(backend, TABLES["measures"], frame)
        write_frame(
            backend,
            TABLES["measure_problems"],
            pd.DataFrame(list(dict.fromkeys(pairs)), columns=["measure_id", "problem_id"]),
        )
        history = pd.DataFrame(
            {
                "object_kind": "measure",
                "object_id": ids,
                "changed_on": start.to_numpy(),
                "status_from": None,
                "status_to": measures["status"].to_numpy(dtype=object),
                "who": who,
                "comment": None,
                "recorded_at": pd.Timestamp(now_text()),
            }
        )
        write_frame(backend, TABLES["status_history"], history)
    return len(frame)


def update_measure(
    backend: Backend,
    measure_id: str,
    *,
    on: Any,
    status: str | None,
    progress: float | None,
    comment: str | None,
    by: str | None,
) -> None:
    """Set a measure's status and/or progress on day ``on``, with a history row."""
    errors: list[str] = []
    if status is not None and status not in MEASURE_STATUSES:
        errors.append(
            msg("reg_plan_status", value=repr(status)[:40], allowed=", ".join(MEASURE_STATUSES))
        )
    ok = progress is None or (
        isinstance(progress, int | float)
        and not isinstance(progress, bool)
        and 0 <= progress <= 100
    )
    if not ok:
        errors.append(msg("reg_plan_progress", value=str(measure_id)))
    try:
        day = check_date(on, "on", lang=None).isoformat()
    except ConfigError as exc:
        errors.append(str(exc))
    if status is None and progress is None:
        errors.append(msg("reg_plan_nothing"))
    _raise(errors)
    who = who_is(by)
    with backend.writing():
        rows = backend.fetch(
            'SELECT "status", "progress" FROM "measures" WHERE "measure_id" = ?', [measure_id]
        )
        if not rows:
            raise ConfigError(msg("reg_plan_link_measure", value=measure_id))
        before, _ = rows[0]
        new_status = before if status is None else status
        if progress is not None:
            backend.execute(
                'UPDATE "measures" SET "progress" = ? WHERE "measure_id" = ?',
                [round(progress), measure_id],
            )
        backend.execute(
            'UPDATE "measures" SET "status" = ? WHERE "measure_id" = ?', [new_status, measure_id]
        )
        note = (
            comment
            if progress is None
            else (
                msg("reg_plan_progress_note", progress=round(progress))
                + ("" if comment is None else f" {comment}")
            )
        )
        backend.insert_rows(
            TABLES["status_history"],
            [
                "object_kind",
                "object_id",
                "changed_on",
                "status_from",
                "status_to",
                "who",
                "comment",
                "recorded_at",
            ],
            [("measure", measure_id, day, before, new_status, who, note, now_text())],
        )
