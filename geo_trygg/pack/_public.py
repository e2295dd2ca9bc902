"""The counts a public pack shows, with small counts hidden (``privacy = "public"``).

A public pack shows events and walk findings only as counts on the areas of its page levels:
per area and kind the count in the period and in the comparison period, per category in the
period, and for findings per status in the period. Every one of these counts is a sum of
*atoms*: the points counted by their area at every page level (or outside / too coarse),
kind, period, category and status. Counts from 1 to ``k - 1`` are shown as "<k" and more are
hidden as ".." until none of those can be worked back from the others, across all pages, the
index and the maps at once (:mod:`geo_trygg.pack._suppress`). The same table drives every
public output, so a count is shown or hidden the same way everywhere.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from geo_trygg._labels import msg
from geo_trygg.lagesbild._counts import _bucket_rows
from geo_trygg.maps._classes import number
from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, suppress
from geo_trygg.vocab import events as event_vocab
from geo_trygg.vocab import findings as finding_vocab

__all__ = ["PUBLIC_INDICATORS", "PublicCounts", "page_tables", "public_counts", "public_lagesbild"]

PUBLIC_INDICATORS = ("n", "per_km2", "per_1000")
"""Map indicators a public pack can show: each is hidden with its count."""

_OUTSIDE, _COARSE = "\0outside", "\0too_coarse"
_PUBLIC_COLUMNS = (
    *("kind", "level", "bucket", "area", "category", "land_km2", "population"),
    *("n", "n_compare", "per_km2", "per_1000", "change", "change_code", "change_label"),
)
"""The columns of the lägesbild's totals a public map may use (each hidden with its count);
the rest (expected counts, rate ratios, p-values) is left out."""
_KEYS = ["kind", "period", "level", "area", "table", "key"]


@dataclass(frozen=True)
class PublicCounts:
    """Every count a public pack shows, whether it is shown, and its text.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per count: ``kind``, ``period`` ("period" or "compare"), ``level``, ``area``,
        ``table`` ("total", "category", "status"), ``key`` (the category or status code, ""
        for totals), ``n``, ``state`` (0 shown, 1 "<k", 2 ".."), ``text``.
    k : int
    """

    cells: pd.DataFrame
    k: int

    def totals(self, period: str = "period") -> pd.DataFrame:
        """Each area's total of ``period`` as shown, indexed by (kind, level, area): ``shown``
        (the count, NaN when hidden) and ``text``."""
        c = self.cells[(self.cells["table"] == "total") & (self.cells["period"] == period)]
        shown = c["n"].astype(float).where(c["state"] == PUBLISHED)
        out = pd.DataFrame({"shown": shown.to_numpy(), "text": c["text"].to_numpy()})
        out.index = pd.MultiIndex.from_frame(c[["kind", "level", "area"]])
        return out

    def area_cells(self, level: str, area: str) -> pd.DataFrame:
        """The counts of one area's page."""
        c = self.cells
        return c[(c["level"] == level) & (c["area"] == area)]


def _labels(points: pd.DataFrame, level: str, positions: np.ndarray) -> np.ndarray:
    """Each point's area at ``level`` (or the outside / too-coarse marker)."""
    row, names = _bucket_rows(points, level, positions)
    return np.array([*names, _OUTSIDE, _COARSE], dtype=object)[row]


def _atoms(lb: Any) -> pd.DataFrame:
    """The atoms: counts per kind × period × area at every level × category × status, over
    every combination of areas seen in the data and every category and status of the kind."""
    assigned, counters = lb._points
    periods = [("period", lb.period)] + ([("compare", lb.compare)] if lb.compare else [])
    levels = list(lb.levels)
    parts = []
    for kind in sorted(assigned):
        frame, counter = assigned[kind], counters[kind]
        for tag, period in periods:
            pos = counter.positions(period)
            data: dict[str, Any] = {lv: _labels(frame, lv, pos) for lv in levels}
            cats = frame["category"].to_numpy(dtype=object)[pos]
            data["category"] = np.where(pd.isna(cats), "other", cats).astype(object)
            status = np.full(len(pos), "", dtype=object)
            if kind == "findings" and "status" in frame.columns:
                raw = frame["status"].to_numpy(dtype=object)[pos]
                status = np.where(pd.isna(raw), "unknown", raw).astype(object)
            data["status"] = status
            seen = pd.DataFrame(data)
            parts.append(seen.assign(kind=kind, period=tag))
    points = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if points.empty:
        return pd.DataFrame(columns=[*levels, "kind", "period", "category", "status", "n"])
    combos = points[levels].drop_duplicates()
    frames = []
    for kind, of_kind in points.groupby("kind", sort=True):
        grid = combos.merge(pd.DataFrame({"category": sorted(set(of_kind["category"]))}), "cross")
        grid = grid.merge(pd.DataFrame({"status": sorted(set(of_kind["status"]))}), "cross")
        grid = grid.merge(pd.DataFrame({"period": [t for t, _ in periods]}), "cross")
        frames.append(grid.assign(kind=kind))
    atoms = pd.concat(frames, ignore_index=True)
    keys = ["kind", "period", *levels, "category", "status"]
    counts = points.groupby(keys, sort=False).size().rename("n").reset_index()
    atoms = atoms.merge(counts, on=keys, how="left")
    atoms["n"] = atoms["n"].fillna(0).astype(np.int64)
    return atoms.sort_values(keys, kind="stable").reset_index(drop=True)


def _row(*values: str) -> dict[str, str]:
    return dict(zip(_KEYS, values, strict=True))


def _cells(lb: Any, atoms: pd.DataFrame) -> tuple[pd.DataFrame, sp.csr_matrix]:
    """The published counts and which atoms each adds up."""
    rows: list[dict[str, Any]] = []
    members: list[np.ndarray] = []
    periods = ["period"] + (["compare"] if lb.compare else [])
    for kind in sorted(set(atoms["kind"])):
        of_kind = atoms[atoms["kind"] == kind]
        current = of_kind[of_kind["period"] == "period"]
        tables = [("category", sorted(set(current.loc[current["n"] > 0, "category"])))]
        if kind == "findings":
            tables.append(("status", sorted(set(current.loc[current["n"] > 0, "status"]))))
        for level in lb.levels:
            names = sorted(set(lb.geography[level]["name"]))
            by_area = {a: g.index.to_numpy() for a, g in of_kind.groupby(level, sort=False)}
            for area in names:
                idx = by_area.get(area, np.array([], dtype=np.int64))
                here = atoms.loc[idx]
                for period in periods:
                    hit = idx[(here["period"] == period).to_numpy()]
                    rows.append(_row(kind, period, level, area, "total", ""))
                    members.append(hit)
                in_period = here["period"].to_numpy() == "period"
                for table, keys in tables:
                    column = here[table].to_numpy()
                    for key in keys:
                        rows.append(_row(kind, "period", level, area, table, key))
                        members.append(idx[in_period & (column == key)])
    n_rows = len(rows)
    indptr = np.cumsum([0, *(len(m) for m in members)])
    indices = np.concatenate(members) if members else np.array([], dtype=np.int64)
    matrix = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n_rows, len(atoms)))
    cells = pd.DataFrame(rows, columns=_KEYS)
    cells["n"] = np.asarray(matrix @ atoms["n"].to_numpy(dtype=float)).astype(np.int64)
    return cells, matrix


def public_counts(lb: Any, *, k: int = 3, lang: str = "sv") -> PublicCounts:
    """Every count of a public pack, with small counts and their protectors hidden.

    Parameters
    ----------
    lb : Lagesbild
        Built by :func:`~geo_trygg.lagesbild.build_lagesbild` from points (not cut to an area).
    k : int, default 3
        Counts from 1 to ``k - 1`` are shown as "<k".
    lang : {"sv", "en"}, default "sv"
        How shown numbers are written.

    Returns
    -------
    PublicCounts
    """
    if getattr(lb, "_points", None) is None:
        raise ValueError("the lägesbild has no points (built from counts, or cut to one area)")
    atoms = _atoms(lb)
    cells, matrix = _cells(lb, atoms)
    state = suppress(matrix, cells["n"].to_numpy(), k=k) if len(cells) else np.array([])
    cells["state"] = state.astype(np.int64)
    cells["text"] = [
        number(float(n), lang) if s == PUBLISHED else (f"<{k}" if s == PRIMARY else "..")
        for n, s in zip(cells["n"], cells["state"], strict=True)
    ]
    return PublicCounts(cells=cells, k=k)


def public_lagesbild(lb: Any, counts: PublicCounts) -> Any:
    """The lägesbild as a public map may show it: per-area totals with every hidden count,
    and every figure derived from one, removed; no lists, profiles or priorities."""
    totals = lb.totals
    keep = totals[(totals["bucket"] == "area") & totals["level"].isin(lb.levels)].copy()
    where = pd.MultiIndex.from_frame(keep[["kind", "level", "area"]])
    now = counts.totals("period").reindex(where)
    shown_now = now["shown"].to_numpy(dtype=float)
    shown_then = (
        counts.totals("compare").reindex(where)["shown"].to_numpy(dtype=float)
        if lb.compare
        else np.full(len(keep), np.nan)
    )
    hidden = np.isnan(shown_now)
    both = ~hidden & ~np.isnan(shown_then)
    keep = keep[[c for c in _PUBLIC_COLUMNS if c in keep.columns]].copy()  # nothing else
    keep["n"] = shown_now
    keep["n_text"] = now["text"].fillna("–").to_numpy()
    for column in ("per_km2", "per_1000"):
        if column in keep:
            keep[column] = keep[column].where(~hidden)
    if "n_compare" in keep:
        keep["n_compare"] = shown_then
    if "change" in keep:
        keep["change"] = keep["change"].where(both)
    for column in ("change_code", "change_label"):
        if column in keep:
            keep[column] = keep[column].where(both, None)
    return dataclasses.replace(
        lb,
        areas=keep.iloc[0:0],
        totals=keep.reset_index(drop=True),
        reconciliation=lb.reconciliation.iloc[0:0],
        followup=None,
        overdue=None,
        changes=None,
        weekday_hour=None,
        weekly=None,
        concentration=None,
        priorities=None,
        places=None,
        places_reconciliation=None,
        places_followup=None,
        notes=[],
        _points=None,
    )


def _kind_label(kind: str, lang: str) -> str:
    return msg(f"map_kind_{kind}", lang)


def _key_label(kind: str, table: str, key: str, lang: str) -> str:
    if table == "status":
        return finding_vocab.label(key, lang, kind="status") if key != "unknown" else "–"
    try:
        if kind == "findings":
            return finding_vocab.label(key, lang, kind="category")
        return event_vocab.label(key, lang)
    except (KeyError, ValueError):
        return key


def page_tables(lb: Any, counts: PublicCounts, level: str, area: str, lang: str) -> dict[str, Any]:
    """The tables of one area's public page (texts, as shown), by table name."""
    cells = counts.area_cells(level, area)
    out: dict[str, pd.DataFrame] = {}
    totals = cells[cells["table"] == "total"]
    change = lb.totals
    rows = []
    for kind in sorted(set(totals["kind"])):
        now = totals[(totals["kind"] == kind) & (totals["period"] == "period")].iloc[0]
        row = {msg("public_kind", lang): _kind_label(kind, lang), lb.period.label: now["text"]}
        if lb.compare:
            then = totals[(totals["kind"] == kind) & (totals["period"] == "compare")].iloc[0]
            row[lb.compare.label] = then["text"]
            label = "–"
            if now["state"] == PUBLISHED and then["state"] == PUBLISHED:
                hit = change[
                    (change["kind"] == kind)
                    & (change["level"] == level)
                    & (change["bucket"] == "area")
                    & (change["area"] == area)
                ]
                if len(hit) and isinstance(hit["change_label"].iloc[0], str):
                    label = hit["change_label"].iloc[0]
            row[msg("map_field_change", lang)] = label
        rows.append(row)
    out[msg("public_table_totals", lang)] = pd.DataFrame(rows)
    for kind in sorted(set(cells["kind"])):
        for table in ("category", "status"):
            part = cells[(cells["kind"] == kind) & (cells["table"] == table)]
            if part.empty:
                continue
            name = msg(f"public_table_{table}", lang, kind=_kind_label(kind, lang))
            labels = [_key_label(kind, table, key, lang) for key in part["key"]]
            frame = pd.DataFrame(
                {msg(f"public_{table}", lang): labels, msg("pack_count", lang): part["text"]}
            )
            out[name] = frame.sort_values(frame.columns[0], kind="stable", ignore_index=True)
    return out
