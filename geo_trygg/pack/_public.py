"""The counts a public pack shows, with small counts hidden (``privacy = "public"``).

A public pack shows events and walk findings only as counts on the areas of its page levels:
per area and kind the count in the period and in the comparison period, per category in the
period, and for findings per status in the period. Every one of these counts is a sum of
*atoms*: the points counted by their area at every page level (or outside / too coarse),
kind, time slice, category and status. Counts from 1 to ``k - 1`` are shown as "<k" and more are
hidden as ".." until none of those can be worked back from the others, across all pages, the
index and the maps at once (:mod:`geo_trygg.pack._suppress`). The same table drives every
public output, so a count is shown or hidden the same way everywhere.

Where the areas of one page level make up an area of another (a stadsdelsområde of its
stadsdelar), the coarser area also publishes its *rest*: its points in none of those finer
areas (e.g. placed by the coarser name only), so that the published tables add up exactly
and a reader who takes the coarser count as the sum of the finer ones plus the rest is right
— and the suppression's reader model is that reader's.

The counts of earlier publications of the same data (the ledger,
:mod:`geo_trygg.pack._ledger`) join the model as known: the atoms are cut at every period
boundary of the pack and of the ledger (time slices), the earlier counts are fixed rows, and
no hidden count of any publication may become determined.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.labels import kind_names, level_names, with_words
from geo_trygg.lagesbild import bucket_rows
from geo_trygg.maps import number
from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, suppress
from geo_trygg.periods import Period
from geo_trygg.vocab import events as event_vocab
from geo_trygg.vocab import findings as finding_vocab

__all__ = ["PUBLIC_INDICATORS", "PublicCounts", "page_tables", "public_counts", "public_lagesbild"]

PUBLIC_INDICATORS = ("n", "per_km2", "per_1000")
"""Map indicators a public pack can show: each is hidden with its count."""

_OUTSIDE, _COARSE = "\0outside", "\0too_coarse"
_PUBLIC_COLUMNS = (
    *("kind", "level", "bucket", "area", "category", "land_km2", "population"),
    *("n", "n_compare", "per_km2", "per_1000", "change", "change_code"),
)
"""The columns of the lägesbild's totals a public map may use (each hidden with its count);
the rest (expected counts, rate ratios, p-values) is left out."""
_KEYS = ["kind", "period", "level", "area", "table", "key", "rest"]


@dataclass(frozen=True)
class PublicCounts:
    """Every count a public pack shows, whether it is shown, and its text.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per count: ``kind``, ``period`` ("period" or "compare"), ``start`` and
        ``end`` (its dates ``[start, end)``, ISO), ``level``, ``area``, ``table`` ("total",
        "category", "status"), ``key`` (the category or status code, "" for totals),
        ``rest`` ("" for the area's own count; for a *rest count* the finer level whose
        areas inside this one it leaves out), ``n``, ``state`` (0 shown, 1 "<k", 2 ".."),
        ``text``.
    k : int
    """

    cells: pd.DataFrame
    k: int

    def totals(self, period: str = "period") -> pd.DataFrame:
        """Each area's total of ``period`` as shown, indexed by (kind, level, area): ``shown``
        (the count, NaN when hidden) and ``text``."""
        c = self.cells
        c = c[(c["table"] == "total") & (c["period"] == period) & (c["rest"] == "")]
        shown = c["n"].astype(float).where(c["state"] == PUBLISHED)
        out = pd.DataFrame({"shown": shown.to_numpy(), "text": c["text"].to_numpy()})
        out.index = pd.MultiIndex.from_frame(c[["kind", "level", "area"]])
        return out

    def area_cells(self, level: str, area: str) -> pd.DataFrame:
        """The counts of one area's page (its rest counts too)."""
        c = self.cells
        return c[(c["level"] == level) & (c["area"] == area)]


def _labels(points: pd.DataFrame, level: str, positions: np.ndarray) -> np.ndarray:
    """Each point's area at ``level`` (or the outside / too-coarse marker)."""
    row, names = bucket_rows(points, level, positions)
    return np.array([*names, _OUTSIDE, _COARSE], dtype=object)[row]


NEST_SHARE = 0.95
"""A finer area counts as part of a coarser one when this share of its area lies inside it."""


def nesting(lb: Any) -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """Which areas of one page level lie inside an area of another, as a reader sees them.

    Parameters
    ----------
    lb : Lagesbild

    Returns
    -------
    dict
        ``(finer level, coarser level)`` → coarser area → the finer areas with at least
        :data:`NEST_SHARE` of their area inside it; only coarser areas that these make up
        (together at least :data:`NEST_SHARE` of its area).
    """
    shapes: dict[str, pd.Series] = {}
    for level in lb.levels:
        layer = lb.geography[level]
        geoms = layer.geometry.to_numpy()
        shapes[level] = pd.Series(
            {
                name: shapely.union_all(geoms[(layer["name"] == name).to_numpy()])
                for name in sorted(set(layer["name"]))
            },
            dtype=object,
        )
    out: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
    for fine, coarse in itertools.permutations(lb.levels, 2):
        small, big = shapes[fine], shapes[coarse]
        if not len(small) or not len(big):
            continue
        size = shapely.area(small.to_numpy())
        found: dict[str, set[str]] = {}
        tree = shapely.STRtree(big.to_numpy())
        pairs = tree.query(small.to_numpy(), predicate="intersects")
        shared = shapely.area(
            shapely.intersection(small.to_numpy()[pairs[0]], big.to_numpy()[pairs[1]])
        )
        covered = np.zeros(len(big))
        for i, j, a in zip(pairs[0], pairs[1], shared, strict=True):
            if size[i] > 0 and a >= NEST_SHARE * size[i]:
                found.setdefault(str(big.index[j]), set()).add(str(small.index[i]))
                covered[j] += a
        # only where the finer areas make up the coarser one does a reader take its count
        # as their sum (an LPO inside a larger stadsdelsområde says nothing of the rest)
        whole = covered >= NEST_SHARE * shapely.area(big.to_numpy())
        kept = {c: frozenset(f) for c, f in sorted(found.items()) if whole[big.index.get_loc(c)]}
        if kept:
            out[(fine, coarse)] = kept
    return out


def _edges(lb: Any, earlier: pd.DataFrame | None) -> list[dt.date]:
    """Every period boundary of the pack and of the earlier publications, sorted."""
    days = {lb.period.start, lb.period.end}
    if lb.compare:
        days |= {lb.compare.start, lb.compare.end}
    if earlier is not None and len(earlier):
        days |= {dt.date.fromisoformat(d) for d in set(earlier["start"]) | set(earlier["end"])}
    return sorted(days)


def _atoms(lb: Any, edges: list[dt.date]) -> pd.DataFrame:
    """The atoms: counts per kind × time slice (between two successive ``edges``) × area at
    every level × category × status, over every combination of areas seen in the data and
    every category and status of the kind."""
    levels = list(lb.levels)
    n_slices = len(edges) - 1
    parts = []
    for kind in lb.point_kinds:  # the points as the tables count them
        frame, times = lb.points(kind), lb.point_times(kind)
        keys = np.array([times.bounds(Period(d, d, ""))[0] for d in edges], dtype=np.int64)
        slices = np.searchsorted(keys, times.keys, side="right") - 1
        pos = np.flatnonzero((slices >= 0) & (slices < n_slices))
        data: dict[str, Any] = {lv: _labels(frame, lv, pos) for lv in levels}
        cats = frame["category"].to_numpy(dtype=object)[pos]
        data["category"] = np.where(pd.isna(cats), "other", cats).astype(object)
        status = np.full(len(pos), "", dtype=object)
        if kind == "findings" and "status" in frame.columns:
            raw = frame["status"].to_numpy(dtype=object)[pos]
            status = np.where(pd.isna(raw), "unknown", raw).astype(object)
        data["status"] = status
        data["slice"] = slices[pos].astype(np.int64)
        parts.append(pd.DataFrame(data).assign(kind=kind))
    points = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    keys_all = ["kind", "slice", *levels, "category", "status"]
    if points.empty:
        return pd.DataFrame(columns=[*keys_all, "n"])
    combos = points[levels].drop_duplicates()
    frames = []
    for kind, of_kind in points.groupby("kind", sort=True):
        grid = combos.merge(pd.DataFrame({"category": sorted(set(of_kind["category"]))}), "cross")
        grid = grid.merge(pd.DataFrame({"status": sorted(set(of_kind["status"]))}), "cross")
        grid = grid.merge(pd.DataFrame({"slice": np.arange(n_slices, dtype=np.int64)}), "cross")
        frames.append(grid.assign(kind=kind))
    atoms = pd.concat(frames, ignore_index=True)
    counts = points.groupby(keys_all, sort=False).size().rename("n").reset_index()
    atoms = atoms.merge(counts, on=keys_all, how="left")
    atoms["n"] = atoms["n"].fillna(0).astype(np.int64)
    return atoms.sort_values(keys_all, kind="stable").reset_index(drop=True)


class _Finder:
    """The atoms a count adds up, by kind, dates, level, area, table, key and nesting rest."""

    def __init__(self, lb: Any, atoms: pd.DataFrame, edges: list[dt.date]) -> None:
        self.atoms = atoms
        self.edges = edges
        self.nested = nesting(lb)
        self.slice = atoms["slice"].to_numpy(dtype=np.int64)
        self._by: dict[tuple[str, str], dict[Any, np.ndarray]] = {}
        for kind, of_kind in atoms.groupby("kind", sort=True):
            for level in lb.levels:
                self._by[(str(kind), level)] = {
                    a: g.index.to_numpy() for a, g in of_kind.groupby(level, sort=False)
                }

    def slices(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """The run of slices ``[first, stop)`` of the dates ``[start, end)``."""
        return self.edges.index(start), self.edges.index(end)

    def members(
        self,
        kind: str,
        span: tuple[int, int],
        level: str,
        area: str,
        table: str,
        key: str,
        rest: str,
    ) -> np.ndarray:
        """The atoms of one count; for a rest count (``rest`` the finer level) those of the
        area not in any of its finer areas at ``rest``."""
        idx = self._by.get((kind, level), {}).get(area, np.array([], dtype=np.int64))
        here = self.atoms.loc[idx]
        keep = (self.slice[idx] >= span[0]) & (self.slice[idx] < span[1])
        if table != "total":
            keep &= here[table].to_numpy() == key
        if rest:
            inner = self.nested.get((rest, level), {}).get(area, frozenset())
            keep &= ~here[rest].isin(inner).to_numpy()
        return idx[keep]


def _row(**values: Any) -> dict[str, Any]:
    return values


def _cells(lb: Any, finder: _Finder) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """The published counts and which atoms each adds up: per area of every page level its
    totals, categories and statuses, and per coarser area the rest of each finer level (the
    points of the area in none of its finer areas, e.g. placed only by the coarser name)."""
    atoms = finder.atoms
    rows: list[dict[str, Any]] = []
    members: list[np.ndarray] = []
    periods = [("period", lb.period)] + ([("compare", lb.compare)] if lb.compare else [])
    spans = {tag: finder.slices(p.start, p.end) for tag, p in periods}
    dates = {tag: (p.start.isoformat(), p.end.isoformat()) for tag, p in periods}
    now = spans["period"]
    places: list[tuple[str, str, str]] = []  # (level, area, rest)
    for level in lb.levels:
        places += [(level, a, "") for a in sorted(set(lb.geography[level]["name"]))]
    for (fine, coarse), inside in sorted(finder.nested.items(), key=lambda x: x[0]):
        places += [(coarse, a, fine) for a in inside]
    places.sort(key=lambda p: (lb.levels.index(p[0]), p[2] != "", p[2], p[1]))
    for kind in sorted(set(atoms["kind"])):
        of_kind = atoms[(atoms["kind"] == kind).to_numpy()]
        current = of_kind[(finder.slice[of_kind.index] >= now[0]) & (of_kind["slice"] < now[1])]
        tables = [("category", sorted(set(current.loc[current["n"] > 0, "category"])))]
        if kind == "findings":
            tables.append(("status", sorted(set(current.loc[current["n"] > 0, "status"]))))
        for level, area, rest in places:
            base = {"kind": kind, "level": level, "area": area, "rest": rest}
            for tag, _ in periods:
                rows.append(_row(**base, period=tag, table="total", key=""))
                members.append(finder.members(kind, spans[tag], level, area, "total", "", rest))
            for table, keys in tables:
                for key in keys:
                    rows.append(_row(**base, period="period", table=table, key=key))
                    members.append(finder.members(kind, now, level, area, table, key, rest))
    cells = pd.DataFrame(rows, columns=_KEYS)
    cells.insert(2, "start", [dates[t][0] for t in cells["period"]])
    cells.insert(3, "end", [dates[t][1] for t in cells["period"]])
    return cells, members


def _matrix(members: list[np.ndarray], n_atoms: int) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(m) for m in members)])
    indices = np.concatenate(members) if members else np.array([], dtype=np.int64)
    return sp.csr_matrix(
        (np.ones(len(indices)), indices.astype(np.int64), indptr), shape=(len(members), n_atoms)
    )


LEDGER_KEYS = ["kind", "start", "end", "level", "area", "table", "key", "rest"]
"""What a published count counts: the columns that name it across publications."""


def _reaches_out(lb: Any, kind: str, start: dt.date, end: dt.date) -> bool:
    """Whether ``[start, end)`` reaches beyond the data of ``kind`` at hand: no point on or
    before its first day, or none on or after its last day."""
    if kind not in lb.point_kinds:
        return True
    times = lb.point_times(kind)
    keys = times.keys[times.keys != np.iinfo(np.int64).max]
    if not len(keys):
        return True
    first_day_end = times.bounds(Period(start + dt.timedelta(days=1), end, ""))[0]
    last_day_start = times.bounds(Period(end - dt.timedelta(days=1), end, ""))[0]
    return not bool(keys.min() < first_day_end and keys.max() >= last_day_start)


def _earlier_rows(
    lb: Any, finder: _Finder, earlier: pd.DataFrame, k: int
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The counts of earlier publications as rows over the atoms: their members, whether each
    reaches outside the data (gets a free remainder atom), and the value the data give."""
    levels = set(lb.levels)
    members, outside, values = [], [], []
    atom_n = finder.atoms["n"].to_numpy(dtype=np.int64)
    kinds = set(finder.atoms["kind"])
    for row in earlier.itertuples(index=False):
        name = _ledger_name(row)
        if row.level not in levels or (row.rest and row.rest not in levels):
            raise ConfigError(msg("ledger_level", publication=row.publication, count=name))
        start, end = dt.date.fromisoformat(row.start), dt.date.fromisoformat(row.end)
        idx = np.array([], dtype=np.int64)
        if row.kind in kinds:
            span = finder.slices(start, end)
            idx = finder.members(row.kind, span, row.level, row.area, row.table, row.key, row.rest)
        inside = int(atom_n[idx].sum())
        shown = row.state == PUBLISHED
        value = int(row.value) if shown else 0
        top = value if shown else (row.k - 1 if row.state == PRIMARY else None)
        # the data at hand fall short of what was published: only right when the count
        # reaches beyond them (then a free remainder atom stands for the rest)
        short = (inside < value) if shown else (row.state == PRIMARY and inside < 1)
        out = short and _reaches_out(lb, row.kind, start, end)
        if (top is not None and inside > top) or (short and not out):
            raise ConfigError(
                msg(
                    "ledger_contradiction",
                    publication=row.publication,
                    count=name,
                    text=row.text,
                    n=inside,
                )
            )
        members.append(idx)
        outside.append(out)
        values.append(value if shown else max(inside, 1 if row.state == PRIMARY else 0))
    return members, np.array(outside, dtype=bool), np.array(values, dtype=np.int64)


def _level_label(level: str, lang: str | None = None) -> str:
    """A page level in words, first letter small ("lokalpolisområden"); the code when the
    level has no word (a level named by the user's areas)."""
    label = level_names(lang).get(level)
    if label is None:
        return level
    return label[:1].lower() + label[1:]


def _ledger_name(row: Any) -> str:
    what = row.table if not row.key else f"{row.table} {row.key}"
    rest = f", {msg('ledger_rest', rest=_level_label(row.rest))}" if row.rest else ""
    return f"{row.kind}, {row.start}–{row.end}, {row.level} {row.area!r}, {what}{rest}"


def _unseen(lb: Any, finder: _Finder, cells: pd.DataFrame) -> list[np.ndarray]:
    """The counts a later publication may show that this one does not: per time slice that
    is not a period of this pack (a month inside a quarter published before), per kind and
    area its total and categories. A reader knows nothing of them, but a small one must not
    become determined by what this pack and the earlier ones show."""
    own = {
        finder.slices(dt.date.fromisoformat(a), dt.date.fromisoformat(b))
        for a, b in set(zip(cells["start"], cells["end"], strict=True))
    }
    spans = [(i, i + 1) for i in range(len(finder.edges) - 1) if (i, i + 1) not in own]
    out: list[np.ndarray] = []
    places = {(r.level, r.area) for r in cells[cells["rest"] == ""].itertuples(index=False)}
    kinds = sorted(set(finder.atoms["kind"]))
    for kind, span, (level, area) in itertools.product(kinds, spans, sorted(places)):
        out.append(finder.members(kind, span, level, area, "total", "", ""))
        here = finder.members(kind, span, level, area, "total", "", "")
        for key in sorted(set(finder.atoms.loc[here, "category"])):
            out.append(finder.members(kind, span, level, area, "category", key, ""))
    return out


def _worth(cells: pd.DataFrame, n_rows: int) -> np.ndarray:
    """How much showing each count is worth, to show again first: an area's total of the
    period (what a page and the map lead with), then of the comparison period, then its
    categories and statuses, then the rest counts; earlier publications' rows last (fixed)."""
    own = np.where(
        cells["table"].to_numpy() == "total",
        np.where(cells["period"].to_numpy() == "period", 3.0, 2.0),
        1.0,
    )
    own = np.where(cells["rest"].to_numpy() != "", 0.0, own)
    return np.concatenate([own, np.zeros(n_rows - len(cells))])


def public_counts(
    lb: Any, *, k: int = 3, lang: str = "sv", earlier: pd.DataFrame | None = None
) -> PublicCounts:
    """Every count of a public pack, with small counts and their protectors hidden.

    Parameters
    ----------
    lb : Lagesbild
        Built by :func:`~geo_trygg.lagesbild.build_lagesbild` from points (not cut to an area).
    k : int, default 3
        Counts from 1 to ``k - 1`` are shown as "<k".
    lang : {"sv", "en"}, default "sv"
        How shown numbers are written.
    earlier : pandas.DataFrame, optional
        The counts of earlier publications of the same data (from
        :func:`geo_trygg.pack._ledger.read_ledger`): the columns of :data:`LEDGER_KEYS` and
        ``publication``, ``state``, ``value`` (the shown count, else NaN), ``text`` and
        ``k``. A reader knows them all: no hidden count of any publication becomes
        determined, and a count hidden in one is hidden here too.

    Returns
    -------
    PublicCounts

    Raises
    ------
    ConfigError
        An earlier count that the data contradict (a shown value the data do not give, or a
        "<k" they exceed), naming the publication and the count; an earlier count at a level
        that is no page level of this pack.
    """
    if not lb.point_kinds:
        raise ValueError("the lägesbild has no points (built from counts only)")
    if earlier is not None and len(earlier) and set(earlier["k"]) != {k}:
        raise ConfigError(msg("ledger_k", k=k, found=sorted(set(earlier["k"]))))
    earlier = earlier.reset_index(drop=True) if earlier is not None else None
    edges = _edges(lb, earlier)
    atoms = _atoms(lb, edges)
    finder = _Finder(lb, atoms, edges)
    cells, members = _cells(lb, finder)
    n_new = len(cells)
    fixed = np.full(n_new, -1, dtype=np.int64)
    hide = np.zeros(n_new, dtype=bool)
    n_atoms = len(atoms)
    atom_n = atoms["n"].to_numpy(dtype=np.int64)
    extra_n: list[int] = []
    if earlier is not None and len(earlier):
        more, outside, values = _earlier_rows(lb, finder, earlier, k)
        for i, idx in enumerate(more):  # a free remainder atom for data not at hand
            if outside[i]:
                more[i] = np.append(idx, n_atoms + len(extra_n))
                extra_n.append(int(values[i] - atom_n[idx].sum()) if values[i] else 0)
        members += more
        own = pd.MultiIndex.from_frame(cells[LEDGER_KEYS].astype(str))
        shown = earlier.loc[earlier["state"] == PUBLISHED]
        before = pd.Series(
            shown["value"].to_numpy(dtype=float),
            index=pd.MultiIndex.from_frame(shown[LEDGER_KEYS].astype(str)),
        )
        before = before[~before.index.duplicated()]
        then = before.reindex(own).to_numpy(dtype=float)
        now_n = np.array([atom_n[m].sum() for m in members[:n_new]], dtype=float)
        # a count shown before with the same value is shown again (hiding protects nothing)
        fixed[then == now_n] = PUBLISHED
        fixed = np.concatenate([fixed, earlier["state"].to_numpy(dtype=np.int64)])
        hidden = earlier.loc[earlier["state"] != PUBLISHED, LEDGER_KEYS]
        hide = own.isin(pd.MultiIndex.from_frame(hidden.astype(str)))
        hide = np.concatenate([hide, np.zeros(len(earlier), dtype=bool)])
    ghosts = _unseen(lb, finder, cells) if earlier is not None and len(earlier) else []
    n_known = len(members)
    members += ghosts
    fixed = np.concatenate([fixed, np.full(len(ghosts), -1, dtype=np.int64)])
    hide = np.concatenate([hide, np.zeros(len(ghosts), dtype=bool)])
    unseen = np.arange(len(members)) >= n_known
    all_n = np.concatenate([atom_n, np.maximum(np.array(extra_n, dtype=np.int64), 0)])
    matrix = _matrix(members, len(all_n))
    values_all = np.asarray(matrix @ all_n.astype(float)).astype(np.int64)
    cells["n"] = values_all[:n_new]
    if len(members):
        state = suppress(
            matrix,
            values_all,
            k=k,
            fixed=fixed,
            hide=hide,
            unseen=unseen,
            every_hidden=True,
            weight=_worth(cells, len(members)),
            atoms=all_n,
        )
        state = state[:n_new]
    else:
        state = np.array([], dtype=np.int64)
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
    if "change_code" in keep:
        keep["change_code"] = keep["change_code"].where(both, None)
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
        _points={},  # a public page draws no points
    )


def _kind_label(kind: str, lang: str) -> str:
    return kind_names(lang)[kind]


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
    """The tables of one area's public page (texts, as shown), by table name: its totals,
    categories and statuses, and for each finer level with areas inside it the rest (the
    events and findings of the area that are in none of them)."""
    every = counts.area_cells(level, area)
    cells = every[every["rest"] == ""]
    out: dict[str, pd.DataFrame] = {}
    totals = cells[cells["table"] == "total"]
    change = with_words(lb.totals, lang=lang)
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
        what = _kind_label(kind, lang)
        for table, name, column in (
            (
                "category",
                msg("public_table_category", lang, kind=what),
                msg("public_category", lang),
            ),
            ("status", msg("public_table_status", lang, kind=what), msg("public_status", lang)),
        ):
            part = cells[(cells["kind"] == kind) & (cells["table"] == table)]
            if part.empty:
                continue
            labels = [_key_label(kind, table, key, lang) for key in part["key"]]
            frame = pd.DataFrame({column: labels, msg("pack_count", lang): part["text"]})
            out[name] = frame.sort_values(frame.columns[0], kind="stable", ignore_index=True)
    for rest in sorted(set(every["rest"]) - {""}):
        out[msg("public_table_rest", lang, level=_level_label(rest, lang))] = _rest_table(
            lb, every[every["rest"] == rest], lang
        )
    return out


def _rest_table(lb: Any, part: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One rest's counts: per kind its total in the period (and the comparison), then per
    category and status in the period."""
    rows = []
    for kind in sorted(set(part["kind"])):
        of_kind = part[part["kind"] == kind]
        for table in ("total", "category", "status"):
            here = of_kind[of_kind["table"] == table]
            for key in dict.fromkeys(here["key"]):
                row = here[here["key"] == key]
                what = (
                    msg("public_rest_total", lang)
                    if table == "total"
                    else _key_label(kind, table, key, lang)
                )
                item = {
                    msg("public_kind", lang): _kind_label(kind, lang),
                    msg("public_rest_what", lang): what,
                    lb.period.label: row.loc[row["period"] == "period", "text"].iloc[0],
                }
                if lb.compare:
                    then = row.loc[row["period"] == "compare", "text"]
                    item[lb.compare.label] = then.iloc[0] if len(then) else "–"
                rows.append(item)
    return pd.DataFrame(rows)
