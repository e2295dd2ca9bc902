"""Consistent hierarchies: coarser levels from the finest assigned level via a crosswalk (private).

See :mod:`geo_trygg.join.assign` (section *Hierarchy*) for the rule.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.boundaries import crosswalk_mapping
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.join._model import POLYGON_KINDS, SOURCE_KINDS, Layer, M, R, Result
from geo_trygg.join._names import location_key

__all__ = [
    "NESTED_IN",
    "Derivation",
    "HierarchyOutcome",
    "apply_plan",
    "derive",
    "drop_names_outside_containers",
    "drop_names_outside_locations",
    "plan",
]

_MAX_LISTED = 10

NO_ROW = -1
"""Lookup value: the crosswalk has no row for the child area."""
UNKNOWN_PARENT = -2
"""Lookup value: the crosswalk names a parent the parent layer does not have."""


@dataclass(frozen=True)
class Derivation:
    """How layer ``target`` is derived from layer ``source``.

    ``lut[a]`` is the target area position for source area position ``a``, or :data:`NO_ROW`
    / :data:`UNKNOWN_PARENT`; ``parents[a]`` is the parent name the crosswalk gives (or None).
    """

    source: int
    target: int
    lut: np.ndarray
    parents: tuple[str | None, ...]


@dataclass
class HierarchyOutcome:
    """Per target layer: derived area positions (-1 = not derived) and what went wrong."""

    derived: dict[int, np.ndarray]
    no_row: dict[tuple[int, int], Counter[str]]
    unknown_parent: dict[tuple[int, int], Counter[str]]


def _reachable(pairs: set[tuple[str, str]], child: str, parent: str) -> bool:
    seen, todo = {child}, [child]
    while todo:
        level = todo.pop()
        for a, b in pairs:
            if a == level and b not in seen:
                seen.add(b)
                todo.append(b)
    return parent in seen


def _level_order(level: str, rank: dict[str, int]) -> tuple[int, int]:
    pos = AREA_LEVELS.index(level) if level in AREA_LEVELS else len(AREA_LEVELS)
    return rank.get(level, 99), pos


def plan(
    levels: list[str],
    names: list[np.ndarray],
    crosswalk: Any,
    at: pd.Timestamp | None,
    rank: dict[str, int],
) -> list[Derivation]:
    """Which layers derive from which, with their lookup tables, finest source first.

    Raises
    ------
    ConfigError
        When ``crosswalk`` is not a crosswalk table, or (from ``crosswalk_mapping``) when its
        rows valid at ``at`` give one child two parents.
    """
    if not isinstance(crosswalk, pd.DataFrame) or not {"child_level", "parent_level"} <= set(
        crosswalk.columns
    ):
        raise ConfigError(
            "crosswalk must be a DataFrame from geo_trygg.boundaries.load_crosswalk() (columns "
            f"child_level, child, parent_level, parent, ...); got {type(crosswalk).__name__}"
        )
    pairs = {
        (str(a), str(b))
        for a, b in zip(crosswalk["child_level"], crosswalk["parent_level"], strict=True)
    }
    out: list[Derivation] = []
    for j, parent_level in enumerate(levels):
        parent_pos: dict[str, int] = {}
        for pos, name in enumerate(names[j]):
            parent_pos.setdefault(normalize_name(name), pos)
        sources = []
        for i, child_level in enumerate(levels):
            if i == j or not _reachable(pairs, child_level, parent_level):
                continue
            if _reachable(pairs, parent_level, child_level) and _level_order(
                child_level, rank
            ) > _level_order(parent_level, rank):
                continue  # a cycle in the crosswalk: keep the finer -> coarser direction
            sources.append(i)
        sources.sort(key=lambda i: _level_order(levels[i], rank))
        for i in sources:
            mapping = crosswalk_mapping(
                crosswalk, child_level=levels[i], parent_level=parent_level, at=at
            )
            lookup = mapping.to_dict()
            lut = np.full(len(names[i]), NO_ROW, dtype=np.int64)
            parents: list[str | None] = []
            for a, child in enumerate(names[i]):
                parent = lookup.get(normalize_name(child))
                parents.append(None if parent is None else str(parent))
                if parent is not None:
                    lut[a] = parent_pos.get(normalize_name(parent), UNKNOWN_PARENT)
            out.append(Derivation(i, j, lut, tuple(parents)))
    return out


def apply_plan(
    derivations: list[Derivation],
    own_idx: list[np.ndarray],
    is_source: list[np.ndarray],
    names: list[np.ndarray],
) -> HierarchyOutcome:
    """Derive each target layer from each point's finest source layer.

    ``is_source[i]`` marks the points whose own result in layer ``i`` may serve as a source
    (assigned by point, snap, name or location).
    """
    derived: dict[int, np.ndarray] = {}
    pending: dict[int, np.ndarray] = {}
    no_row: dict[tuple[int, int], Counter[str]] = {}
    unknown: dict[tuple[int, int], Counter[str]] = {}
    for d in derivations:
        n = len(own_idx[d.source])
        if d.target not in derived:
            derived[d.target] = np.full(n, -1, dtype=np.int64)
            pending[d.target] = np.ones(n, dtype=bool)
        rows = np.flatnonzero(pending[d.target] & is_source[d.source])
        if len(rows) == 0:
            continue
        src = own_idx[d.source][rows]
        val = d.lut[src]
        ok = val >= 0
        derived[d.target][rows[ok]] = val[ok]
        pending[d.target][rows] = False
        missing = src[val == NO_ROW]
        if len(missing):
            no_row[(d.source, d.target)] = Counter(
                str(names[d.source][a]) for a in missing.tolist()
            )
        lacking = src[val == UNKNOWN_PARENT]
        if len(lacking):
            unknown[(d.source, d.target)] = Counter(str(d.parents[a]) for a in lacking.tolist())
    return HierarchyOutcome(derived, no_row, unknown)


def drop_names_outside_locations(
    prepared: list[Layer], results: list[Result], derivations: list[Derivation]
) -> None:
    """Reject a name found in the text when the crosswalk puts it outside the stated location.

    E.g. a kommun-precision event in Solna whose text mentions a Stockholm stadsdel: the
    stadsdel is not assigned (reason ``"name_conflict"``), the kommun stays Solna.
    """
    for d in derivations:
        src, dst = results[d.source], results[d.target]
        rows = np.flatnonzero((src.mb == M["name"]) & (dst.mb == M["location"]))
        if len(rows) == 0:
            continue
        parent = d.lut[src.idx[rows]]
        known = parent >= 0
        keys = np.array([normalize_name(v) for v in prepared[d.target].names], dtype=object)
        clash = rows[known][keys[parent[known]] != keys[dst.idx[rows[known]]]]
        src.idx[clash] = -1
        src.mb[clash] = 0
        src.reason[clash] = R["name_conflict"]


_FINE = frozenset({"stadsdel", "stadsdelsomrade", "deso", "regso", "place", "utsatt_omrade"})
NESTED_IN: dict[str, frozenset[str]] = {
    "kommun": frozenset(
        {"stadsdel", "stadsdelsomrade", "deso", "regso", "place", "utsatt_omrade"}
    ),
    "lan": frozenset(
        {"stadsdel", "stadsdelsomrade", "deso", "regso", "place", "utsatt_omrade", "kommun"}
    ),
}
"""The levels whose areas lie inside one kommun / one län (LPOs and polisområden need not:
LPO Haninge-Nynäshamn holds two kommuner)."""

MIN_SHARE = 0.1
"""An area lies (for the name-conflict rule) in every kommun/län covering this share of it."""
NEAREST_M = 2000.0
"""An area overlapping no kommun/län lies in the nearest one within this many metres."""

_KNOWN = np.array([M["location"], M["point"], M["snap"]], dtype=np.int8)


def drop_names_outside_containers(
    prepared: list[Layer],
    results: list[Result],
    derivations: list[Derivation],
    points: pd.DataFrame,
) -> None:
    """Reject a name found in the text when its area lies outside the row's known kommun/län.

    The row's kommun (län) is its area in the kommun (län) layer of the same call when placed
    there by location, point or snap; without a kommun layer, the points' own ``kommun``
    column. The area's kommun (län) is the layer's own ``kommun`` (``lan``) column when it has
    one. Otherwise, for a level the crosswalk does not link to the kommun (län) level (those
    are checked by :func:`drop_names_outside_locations`), it is found by geometry in the
    kommun (län) layer: every kommun covering at least :data:`MIN_SHARE` of the area (so a
    generalised polygon that cuts an area near a border does not reject it), else the nearest
    within :data:`NEAREST_M` metres, else none (the area lies outside every kommun of the
    layer: any known kommun conflicts). Only levels of :data:`NESTED_IN` are checked. Rejected
    rows get reason ``"name_conflict"``. A text naming several areas (``"ambiguous_name"``)
    keeps only those inside the row's kommun (län): one left is the row's area, none a
    conflict.
    """
    levels = [p.level for p in prepared]
    linked = {(d.source, d.target) for d in derivations}
    for container in ("kommun", "lan"):
        c = levels.index(container) if container in levels else None
        for i, layer in enumerate(prepared):
            if i == c or layer.level not in NESTED_IN[container]:
                continue
            if container not in layer.containers and (c is None or (i, c) in linked):
                continue
            res = results[i]
            named = np.flatnonzero(res.mb == M["name"])
            several = np.array(sorted(res.candidates), dtype=np.int64)
            if len(named) == 0 and len(several) == 0:
                continue
            rows = np.concatenate([named, several])
            row_key = _row_container(c, prepared, results, points, container, rows)
            if row_key is None:
                continue
            inside = _area_containers(layer, c, prepared, container)
            for r, key in zip(rows.tolist(), row_key.tolist(), strict=True):
                if not key:
                    continue
                areas = res.candidates.get(r, [int(res.idx[r])])
                keep = [a for a in areas if _may_lie_in(inside[a], key)]
                if keep == areas:
                    continue
                if len(keep) == 1:
                    res.idx[r], res.mb[r], res.reason[r] = keep[0], M["name"], 0
                elif keep:
                    res.candidates[r] = keep
                    continue
                else:
                    res.idx[r], res.mb[r], res.reason[r] = -1, 0, R["name_conflict"]
                res.candidates.pop(r, None)


def _may_lie_in(containers: frozenset[str] | None, key: str) -> bool:
    """Whether an area with these containers (None: unknown) may lie in ``key``."""
    return containers is None or key in containers


def _row_container(
    c: int | None,
    prepared: list[Layer],
    results: list[Result],
    points: pd.DataFrame,
    container: str,
    rows: np.ndarray,
) -> np.ndarray | None:
    """The normalised kommun/län name each of ``rows`` is known to lie in ("" unknown)."""
    if c is not None:
        res = results[c]
        keys = np.array([location_key(v) for v in prepared[c].names] + [""], dtype=object)
        known = np.isin(res.mb[rows], _KNOWN) & (res.idx[rows] >= 0)
        return np.asarray(np.where(known, keys[res.idx[rows]], ""), dtype=object)
    if container == "kommun" and "kommun" in points.columns:
        values = points["kommun"].to_numpy(dtype=object)[rows]
        return np.array([location_key(v) for v in values], dtype=object)
    return None


def _area_containers(
    layer: Layer, c: int | None, prepared: list[Layer], container: str
) -> list[frozenset[str] | None]:
    """The normalised kommun/län names each area of ``layer`` lies in (None: unknown)."""
    if container in layer.containers:
        out: list[frozenset[str] | None] = []
        for v in layer.containers[container]:
            key = location_key(v)
            out.append(frozenset({key}) if key else None)
        return out
    if c is None:
        return [None] * len(layer.geoms)
    outer = prepared[c]
    keys = [location_key(v) for v in outer.names]
    usable = ~(shapely.is_missing(outer.geoms) | shapely.is_empty(outer.geoms))
    tree = shapely.STRtree(
        np.array(
            [g if ok else None for g, ok in zip(outer.geoms, usable, strict=True)], dtype=object
        )
    )
    out = []
    for g in layer.geoms:
        if g is None or shapely.is_empty(g):
            out.append(None)
            continue
        cand = tree.query(g, predicate="intersects")
        share = shapely.area(shapely.intersection(outer.geoms[cand], g)) / max(g.area, 1e-9)
        found = {
            keys[k] for k, sh in zip(cand.tolist(), share.tolist(), strict=True) if sh >= MIN_SHARE
        }
        if not found:
            near = tree.query_nearest(g, max_distance=NEAREST_M, all_matches=True)
            found = {keys[k] for k in near.tolist()}
        out.append(frozenset(found - {""}))
    return out


def derive(
    prepared: list[Layer],
    results: list[Result],
    derivations: list[Derivation],
    index: pd.Index,
) -> pd.DataFrame:
    """Apply the derivations to ``results`` in place; return the disagreements table.

    Warns (GeoTryggWarning) with the number of disagreements and about crosswalk gaps.
    """
    columns = ["point", "level", "by_crosswalk", "by_polygon"]
    if not derivations:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    own_idx = [r.idx for r in results]
    is_source = [np.isin(r.mb, SOURCE_KINDS) & (r.idx >= 0) for r in results]
    outcome = apply_plan(derivations, own_idx, is_source, [p.names for p in prepared])
    frames = []
    for j, derived in sorted(outcome.derived.items()):
        layer, res = prepared[j], results[j]
        ok = derived >= 0
        keys = np.array([normalize_name(v) for v in layer.names], dtype=object)
        polygon = ok & np.isin(res.mb, POLYGON_KINDS) & (res.idx >= 0)
        rows = np.flatnonzero(polygon)
        differ = rows[keys[res.idx[rows]] != keys[derived[rows]]]
        if len(differ):
            frames.append(
                pd.DataFrame(
                    {
                        "pos": differ,
                        "level": layer.level,
                        "by_crosswalk": layer.names[derived[differ]],
                        "by_polygon": layer.names[res.idx[differ]],
                    }
                )
            )
        res.n_disagreements = len(differ)
        res.idx[ok] = derived[ok]
        res.mb[ok] = M["crosswalk"]
        res.reason[ok] = 0
    _warn_crosswalk_gaps(prepared, outcome)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    table = pd.concat(frames, ignore_index=True)
    order = {lv: i for i, lv in enumerate(AREA_LEVELS)}
    table["_lv"] = table["level"].map(order)
    table = table.sort_values(["pos", "_lv"], kind="stable")
    table.insert(0, "point", index[table["pos"].to_numpy()])
    table = table.drop(columns=["pos", "_lv"]).reset_index(drop=True)
    counts = table.groupby("level", sort=False).size()
    details = ", ".join(
        f"{lv} {int(counts[lv])}" for lv in sorted(counts.index, key=order.__getitem__)
    )
    warnings.warn(
        msg("join_disagreements", n=len(table), details=details), GeoTryggWarning, stacklevel=3
    )
    return table


def _listing(counter: Counter[str]) -> str:
    names = sorted(counter)
    shown = ", ".join(names[:_MAX_LISTED])
    return shown if len(names) <= _MAX_LISTED else f"{shown}, … (+{len(names) - _MAX_LISTED})"


def _warn_crosswalk_gaps(prepared: list[Layer], outcome: HierarchyOutcome) -> None:
    for (i, j), counter in sorted(outcome.no_row.items()):
        warnings.warn(
            msg(
                "join_crosswalk_no_row",
                level=prepared[j].level,
                child_level=prepared[i].level,
                names=_listing(counter),
                n=sum(counter.values()),
            ),
            GeoTryggWarning,
            stacklevel=4,
        )
    for (_i, j), counter in sorted(outcome.unknown_parent.items()):
        warnings.warn(
            msg(
                "join_crosswalk_unknown_parent",
                level=prepared[j].level,
                names=_listing(counter),
                n=sum(counter.values()),
            ),
            GeoTryggWarning,
            stacklevel=4,
        )
