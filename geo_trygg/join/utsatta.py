"""The police's utsatta områden over editions, and the areas they lie in.

- :func:`utsatta_timeline`: the changes between consecutive editions of the list (added,
  removed, renamed, category changed, LPO changed, boundary changed, split, merged), one row
  per area and pair of editions.
- :func:`utsatta_overlaps`: which areas (stadsdelar, stadsdelsområden, LPOs …) each utsatt
  område overlaps, with the share of its area in each, in a metric CRS.
- :func:`utsatta_lpo_check`: the file's own LPO beside the LPO the bundled crosswalks give
  for the stadsdelar it lies in.

The matching rule (``docs/utsatta-omraden.md``), for each pair of consecutive editions:

1. **by id**: an area whose id (``SPECIALOMR`` / ``SPECIALOMRADES_ID``) is in both editions is
   the same area;
2. **by name**: among the areas left, an area whose name (:func:`geo_trygg.io.utsatta.name_key`:
   case, spacing and the spaces around ``/`` do not matter) and ort are the same, once on
   each side, is the same area (the id changed: ``id_changed``; an edition given as a table
   without ids is matched only so);
3. what is left is **added** (only in the later edition) or **removed** (only in the earlier).

Every area of both editions is in exactly one row of the pair. With geometry on both sides:
``boundary_changed`` when the intersection over union of the two polygons is below
``iou_min`` (0.999 by default: the police republishes unchanged areas with identical
polygons, so any redrawing counts); an added area that lies at least ``within`` (half) of its
area inside one earlier area is ``split_from`` that area (whose own row then says ``split``);
a removed area that lies at least ``within`` of its area inside one later area is
``merged_into`` it (whose row says ``merged``). Without geometry on either side the boundary
cannot be compared (``boundary_unknown``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._validate import check_metric, check_same_crs
from geo_trygg.crosswalks import crosswalk_mapping
from geo_trygg.io.utsatta import CATEGORIES, name_key

__all__ = [
    "CHANGE_CODES",
    "DEFAULT_IOU_MIN",
    "DEFAULT_MIN_SHARE",
    "DEFAULT_WITHIN",
    "LPO_CHECK_COLUMNS",
    "OVERLAP_COLUMNS",
    "TIMELINE_COLUMNS",
    "utsatta_lpo_check",
    "utsatta_overlaps",
    "utsatta_timeline",
]

DEFAULT_IOU_MIN = 0.999
"""Below this intersection over union a kept area's boundary has changed."""
DEFAULT_WITHIN = 0.5
"""An added (removed) area with at least this share of its area inside one area of the other
edition was split from (merged into) it."""
DEFAULT_MIN_SHARE = 0.01
"""Overlaps smaller than this share of the utsatt område are not listed: the city and the
police draw shared borders along slightly different lines."""

CHANGE_CODES = (
    "added",
    "removed",
    "id_changed",
    "renamed",
    "category_changed",
    "lpo_changed",
    "boundary_changed",
    "boundary_unknown",
    "split",
    "split_from",
    "merged",
    "merged_into",
    "unchanged",
)
"""The codes of :func:`utsatta_timeline`'s ``changes`` column, in the order they are listed."""

TIMELINE_COLUMNS = [
    "from_edition",
    "to_edition",
    "status",
    "changes",
    "matched_by",
    "area_id_from",
    "area_id_to",
    "name_from",
    "name_to",
    "category_from",
    "category_to",
    "ort",
    "lpo_from",
    "lpo_to",
    "listed_since",
    "area_km2_from",
    "area_km2_to",
    "iou",
    "related_id",
    "related_name",
    "related_share",
]
"""Columns of :func:`utsatta_timeline`. ``status`` is ``kept``, ``added`` or ``removed``;
``changes`` the codes of :data:`CHANGE_CODES` joined by ``;``; ``related_*`` the area of the
other edition an added area was split from or a removed area merged into, and the share of
the row's area inside it."""


def _editions(editions: Any) -> dict[int, gpd.GeoDataFrame]:
    if isinstance(editions, pd.DataFrame):
        if "edition" not in editions.columns:
            raise ConfigError("editions: a frame of several editions needs an 'edition' column")
        grouped = {int(k): g for k, g in editions.groupby("edition", sort=True)}
    elif isinstance(editions, Mapping):
        grouped = {}
        for k, v in editions.items():
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
                raise ConfigError(f"editions: the key {k!r} is not a year")
            if not isinstance(v, pd.DataFrame):
                raise ConfigError(f"editions[{k}] must be a DataFrame, not {type(v).__name__}")
            grouped[int(k)] = v
    else:
        raise ConfigError(
            "editions must be a mapping of year to frame or a frame, not "
            f"{type(editions).__name__}"
        )
    out: dict[int, gpd.GeoDataFrame] = {}
    crs_frame: tuple[str, gpd.GeoDataFrame] | None = None
    for year in sorted(grouped):
        frame = grouped[year]
        missing = [c for c in ("name", "category") if c not in frame.columns]
        if missing:
            raise ConfigError(f"editions[{year}] lacks the columns {missing}")
        bad = sorted({str(c) for c in frame["category"].dropna()} - set(CATEGORIES))
        if bad:
            raise ConfigError(
                f"editions[{year}]: categories {bad} are not codes; allowed: {list(CATEGORIES)}"
            )
        gdf = frame if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoDataFrame(frame)
        if _has_geometry(gdf):
            check_metric(f"editions[{year}]", gdf)
            if crs_frame is not None:
                check_same_crs(crs_frame[0], crs_frame[1], f"editions[{year}]", gdf)
            else:
                crs_frame = (f"editions[{year}]", gdf)
        out[year] = gdf.reset_index(drop=True)
    return out


def _has_geometry(frame: pd.DataFrame) -> bool:
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        return False
    geoms = frame.geometry.to_numpy()
    return bool(len(geoms)) and all(g is not None and not shapely.is_empty(g) for g in geoms)


def _text(frame: pd.DataFrame, column: str, i: int) -> str | None:
    if column not in frame.columns:
        return None
    value = frame[column].iloc[i]
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None


def _match(
    old: pd.DataFrame, new: pd.DataFrame
) -> tuple[list[tuple[int, int, str]], set[int], set[int]]:
    """Pairs (old row, new row, "id"/"name") and the rows left on each side."""
    pairs: list[tuple[int, int, str]] = []
    left_old = set(range(len(old)))
    left_new = set(range(len(new)))
    new_ids: dict[str, int] = {}
    for j in range(len(new)):
        key = _text(new, "area_id", j)
        if key is not None:
            new_ids.setdefault(key, j)
    for i in range(len(old)):
        own = _text(old, "area_id", i)
        if own is not None and own in new_ids and new_ids[own] in left_new:
            pairs.append((i, new_ids[own], "id"))
            left_old.discard(i)
            left_new.discard(new_ids[own])

    def keys(frame: pd.DataFrame, rows: set[int]) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        for r in sorted(rows):
            out.setdefault(
                (name_key(frame["name"].iloc[r]), name_key(_text(frame, "ort", r))), []
            ).append(r)
        return out

    old_keys = keys(old, left_old)
    new_keys = keys(new, left_new)
    for (name, ort), rows in old_keys.items():
        other = new_keys.get((name, ort))
        if other is None and ort == "":  # no ort on the old side: the name alone
            found = [v for k, v in new_keys.items() if k[0] == name]
            other = found[0] if len(found) == 1 else None
        elif other is None:
            found = [v for k, v in new_keys.items() if k[0] == name and k[1] == ""]
            other = found[0] if len(found) == 1 else None
        if other is not None and len(rows) == 1 and len(other) == 1 and other[0] in left_new:
            pairs.append((rows[0], other[0], "name"))
            left_old.discard(rows[0])
            left_new.discard(other[0])
    return sorted(pairs), left_old, left_new


def utsatta_timeline(
    editions: Mapping[int, pd.DataFrame] | pd.DataFrame,
    *,
    iou_min: float = DEFAULT_IOU_MIN,
    within: float = DEFAULT_WITHIN,
) -> pd.DataFrame:
    """The changes between consecutive editions of the police's list (module docstring).

    Parameters
    ----------
    editions : mapping of int to DataFrame, or DataFrame
        Edition year → that edition's areas (:func:`geo_trygg.io.read_utsatta_omraden`'s
        ``accepted``: ``name``, ``category`` codes, optionally ``area_id``, ``ort``, ``lpo``,
        ``listed_since`` and a geometry), or one frame with an ``edition`` column. Editions
        with geometry must share one metric CRS.
    iou_min : float, default 0.999
        A kept area whose two polygons' intersection over union is below this has a
        changed boundary.
    within : float, default 0.5
        Share of an added (removed) area's area inside one area of the other edition above
        which it was split from (merged into) that area.

    Returns
    -------
    pandas.DataFrame
        :data:`TIMELINE_COLUMNS`, one row per area of each pair of consecutive editions,
        sorted by the pair, then status (kept, added, removed), then name.

    Raises
    ------
    ConfigError
        Fewer than two editions, a frame without ``name``/``category``, a category that is
        not a code, a CRS that is not metric.
    CRSMismatchError
        Editions in different CRSs.
    """
    if not 0 < iou_min <= 1 or not 0 < within <= 1:
        raise ConfigError(f"iou_min={iou_min!r} and within={within!r} must be in (0, 1]")
    frames = _editions(editions)
    if len(frames) < 2:
        raise ConfigError(f"a timeline needs at least two editions, got {sorted(frames)}")
    years = sorted(frames)
    rows: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(years):
        rows += _pair(a, frames[a], b, frames[b], iou_min, within)
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    order = {"kept": 0, "added": 1, "removed": 2}
    out["_s"] = out["status"].map(order)
    out["_n"] = [
        name_key(t if isinstance(t, str) else f)
        for t, f in zip(out["name_to"], out["name_from"], strict=True)
    ]
    out = out.sort_values(["from_edition", "_s", "_n"], kind="stable").drop(columns=["_s", "_n"])
    for column in ("from_edition", "to_edition"):
        out[column] = out[column].astype(np.int64)
    return out.reset_index(drop=True)


def _areas(frame: gpd.GeoDataFrame) -> np.ndarray | None:
    return frame.geometry.to_numpy() if _has_geometry(frame) else None


def _pair(
    a: int,
    old: gpd.GeoDataFrame,
    b: int,
    new: gpd.GeoDataFrame,
    iou_min: float,
    within: float,
) -> list[dict[str, Any]]:
    pairs, left_old, left_new = _match(old, new)
    g_old, g_new = _areas(old), _areas(new)
    codes: dict[tuple[str, int], list[str]] = {}
    related: dict[tuple[str, int], tuple[str | None, str, float]] = {}
    if g_old is not None and g_new is not None:
        kept_old = {i for i, _, _ in pairs}
        kept_new = {j for _, j, _ in pairs}
        for j in sorted(left_new):  # added: split from an earlier area?
            share, at = _inside(g_new[j], g_old)
            if at is not None and share >= within:
                related[("new", j)] = (_text(old, "area_id", at), str(old["name"].iloc[at]), share)
                codes.setdefault(("new", j), []).append("split_from")
                if at in kept_old:
                    codes.setdefault(("old", at), []).append("split")
        for i in sorted(left_old):  # removed: merged into a later area?
            share, at = _inside(g_old[i], g_new)
            if at is not None and share >= within:
                related[("old", i)] = (_text(new, "area_id", at), str(new["name"].iloc[at]), share)
                codes.setdefault(("old", i), []).append("merged_into")
                if at in kept_new:
                    codes.setdefault(("new", at), []).append("merged")
    rows = []
    for i, j, how in pairs:
        changes = []
        ids = (_text(old, "area_id", i), _text(new, "area_id", j))
        if how == "name" and None not in ids:  # both have ids, and they differ
            changes.append("id_changed")
        if name_key(old["name"].iloc[i]) != name_key(new["name"].iloc[j]):
            changes.append("renamed")
        if old["category"].iloc[i] != new["category"].iloc[j]:
            changes.append("category_changed")
        lpo_a, lpo_b = _text(old, "lpo", i), _text(new, "lpo", j)
        if lpo_a is not None and lpo_b is not None and name_key(lpo_a) != name_key(lpo_b):
            changes.append("lpo_changed")
        iou = area_a = area_b = np.nan
        if g_old is not None and g_new is not None:
            area_a, area_b = float(shapely.area(g_old[i])), float(shapely.area(g_new[j]))
            inter = float(shapely.area(shapely.intersection(g_old[i], g_new[j])))
            union = area_a + area_b - inter
            iou = inter / union if union > 0 else 1.0
            if iou < iou_min:
                changes.append("boundary_changed")
        else:
            changes.append("boundary_unknown")
        extra = codes.get(("old", i), []) + codes.get(("new", j), [])
        changes += extra
        rows.append(_row(a, b, "kept", changes, how, old, i, new, j, area_a, area_b, iou, None))
    for j in sorted(left_new):
        area_b = float(shapely.area(g_new[j])) if g_new is not None else np.nan
        changes = ["added", *codes.get(("new", j), [])]
        rows.append(
            _row(
                a,
                b,
                "added",
                changes,
                None,
                old,
                None,
                new,
                j,
                np.nan,
                area_b,
                np.nan,
                related.get(("new", j)),
            )
        )
    for i in sorted(left_old):
        area_a = float(shapely.area(g_old[i])) if g_old is not None else np.nan
        changes = ["removed", *codes.get(("old", i), [])]
        rows.append(
            _row(
                a,
                b,
                "removed",
                changes,
                None,
                old,
                i,
                new,
                None,
                area_a,
                np.nan,
                np.nan,
                related.get(("old", i)),
            )
        )
    return rows


def _inside(geom: Any, others: np.ndarray) -> tuple[float, int | None]:
    """The largest share of ``geom``'s area inside one of ``others``, and which."""
    area = float(shapely.area(geom))
    if area <= 0:
        return 0.0, None
    shares = shapely.area(shapely.intersection(geom, others)) / area
    if not len(shares) or float(np.max(shares)) <= 0:
        return 0.0, None
    best = int(np.argmax(shares))
    return float(shares[best]), best


def _row(
    a: int,
    b: int,
    status: str,
    changes: list[str],
    how: str | None,
    old: pd.DataFrame,
    i: int | None,
    new: pd.DataFrame,
    j: int | None,
    area_a: float,
    area_b: float,
    iou: float,
    related: tuple[str | None, str, float] | None,
) -> dict[str, Any]:
    ordered = [c for c in CHANGE_CODES if c in changes]
    if status == "kept" and not ordered:  # (boundary_unknown alone: nothing is known)
        ordered.append("unchanged")
    since = None
    if j is not None and "listed_since" in new.columns:
        value = new["listed_since"].iloc[j]
        since = None if pd.isna(value) else pd.Timestamp(value)
    return {
        "from_edition": a,
        "to_edition": b,
        "status": status,
        "changes": ";".join(ordered),
        "matched_by": how,
        "area_id_from": None if i is None else _text(old, "area_id", i),
        "area_id_to": None if j is None else _text(new, "area_id", j),
        "name_from": None if i is None else _text(old, "name", i),
        "name_to": None if j is None else _text(new, "name", j),
        "category_from": None if i is None else old["category"].iloc[i],
        "category_to": None if j is None else new["category"].iloc[j],
        "ort": _text(new, "ort", j) if j is not None else _text(old, "ort", i or 0),
        "lpo_from": None if i is None else _text(old, "lpo", i),
        "lpo_to": None if j is None else _text(new, "lpo", j),
        "listed_since": since,
        "area_km2_from": area_a / 1e6,
        "area_km2_to": area_b / 1e6,
        "iou": iou,
        "related_id": None if related is None else related[0],
        "related_name": None if related is None else related[1],
        "related_share": np.nan if related is None else related[2],
    }


OVERLAP_COLUMNS = [
    "edition",
    "area_id",
    "name",
    "category",
    "level",
    "area",
    "overlap_km2",
    "share",
]
"""Columns of :func:`utsatta_overlaps`."""


def utsatta_overlaps(
    utsatta: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    *,
    min_share: float = DEFAULT_MIN_SHARE,
) -> pd.DataFrame:
    """Which areas each utsatt område overlaps, and the share of its area in each.

    Parameters
    ----------
    utsatta : geopandas.GeoDataFrame
        Utsatta områden with geometry (:func:`geo_trygg.io.read_utsatta_omraden`; several
        editions may be concatenated, with their ``edition`` column).
    areas : geopandas.GeoDataFrame
        The areas to join to, with ``name`` and ``level`` (e.g. stadsdelar from
        :func:`geo_trygg.io.read_areas`), in the same metric CRS.
    min_share : float, default 0.01
        Overlaps below this share of the utsatt område are left out (border slivers).

    Returns
    -------
    pandas.DataFrame
        ``edition, area_id, name, category, level, area, overlap_km2, share``: one row per
        utsatt område and area it overlaps; ``share`` of the utsatt område's area in
        ``area`` (an area can touch several; the shares of one level sum to at most 1 when
        that level's areas do not overlap). Sorted by edition, name, level, share (largest
        first), area.

    Raises
    ------
    ConfigError
        A frame without a metric CRS, or without ``name``/``level``.
    CRSMismatchError
        The two frames are in different CRSs.
    """
    check_metric("utsatta", utsatta)
    check_metric("areas", areas)
    check_same_crs("utsatta", utsatta, "areas", areas)
    for column in ("name", "level"):
        if column not in areas.columns:
            raise ConfigError(f"areas lacks the column {column!r}")
    if not 0 <= min_share < 1:
        raise ConfigError(f"min_share={min_share!r} must be in [0, 1)")
    targets = areas.geometry.to_numpy()
    tree = shapely.STRtree(targets)
    rows = []
    geoms = utsatta.geometry.to_numpy()
    for k, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        total = float(shapely.area(geom))
        for t in tree.query(geom, predicate="intersects"):
            piece = float(shapely.area(shapely.intersection(geom, targets[t])))
            share = piece / total if total > 0 else 0.0
            if share <= 0 or share < min_share:
                continue
            rows.append(
                {
                    "edition": utsatta["edition"].iloc[k] if "edition" in utsatta else pd.NA,
                    "area_id": utsatta["area_id"].iloc[k] if "area_id" in utsatta else None,
                    "name": utsatta["name"].iloc[k],
                    "category": utsatta["category"].iloc[k] if "category" in utsatta else None,
                    "level": areas["level"].iloc[t],
                    "area": areas["name"].iloc[t],
                    "overlap_km2": piece / 1e6,
                    "share": share,
                }
            )
    out = pd.DataFrame(rows, columns=OVERLAP_COLUMNS)
    out["_neg"] = -out["share"].astype(float)
    out = out.sort_values(
        ["edition", "name", "level", "_neg", "area"], kind="stable", na_position="last"
    )
    return out.drop(columns="_neg").reset_index(drop=True)


def utsatta_lpo_check(
    utsatta: pd.DataFrame,
    overlaps: pd.DataFrame,
    *,
    crosswalk: pd.DataFrame | None = None,
    at: Any = None,
    level: str = "stadsdel",
) -> pd.DataFrame:
    """The police file's own LPO of each area beside the LPOs of the areas it lies in.

    Parameters
    ----------
    utsatta : pandas.DataFrame
        The areas with ``edition``, ``area_id``, ``name`` and ``lpo`` (the file's field).
    overlaps : pandas.DataFrame
        :func:`utsatta_overlaps` against areas of ``level``.
    crosswalk : pandas.DataFrame, optional
        :func:`geo_trygg.crosswalks.load_crosswalk`; the bundled tables by default.
    at : date, optional
        The crosswalk's date (its newest state by default).
    level : str, default "stadsdel"
        The level of ``overlaps`` mapped to LPOs.

    Returns
    -------
    pandas.DataFrame
        :data:`LPO_CHECK_COLUMNS`: ``lpo_crosswalk`` the LPOs (joined by ", ", sorted) the
        crosswalk gives the overlapped areas; ``share_covered`` the share of the utsatt
        område inside areas the crosswalk knows; ``agrees`` True when the file's LPO is
        among them, False when not, None when less than half of the utsatt område lies in
        areas the crosswalk knows (outside the city, say, or touching it at a border).
    """
    mapping = crosswalk_mapping(crosswalk, child_level=level, parent_level="lpo", at=at)
    from geo_trygg._text import normalize_name

    lpos = {normalize_name(k): str(v) for k, v in mapping.items()}
    rows = []
    own = overlaps[overlaps["level"] == level]
    for r in utsatta.itertuples(index=False):
        edition = getattr(r, "edition", pd.NA)
        sel = own[(own["name"] == r.name) & (own["edition"].astype(str) == str(edition))]
        keys = [normalize_name(a) for a in sel["area"]]
        known = [k in lpos for k in keys]
        covered = float(sel["share"].to_numpy(dtype=float)[known].sum()) if len(sel) else 0.0
        found = sorted({lpos[k] for k in keys if k in lpos})
        lpo = getattr(r, "lpo", None)
        agrees = None
        if found and isinstance(lpo, str) and covered >= 0.5:
            agrees = name_key(lpo) in {name_key(x) for x in found}
        rows.append(
            {
                "edition": edition,
                "area_id": getattr(r, "area_id", None),
                "name": r.name,
                "lpo": lpo,
                "lpo_crosswalk": ", ".join(found) if found else None,
                "share_covered": covered,
                "agrees": agrees,
            }
        )
    return pd.DataFrame(rows, columns=LPO_CHECK_COLUMNS)


LPO_CHECK_COLUMNS = [
    "edition",
    "area_id",
    "name",
    "lpo",
    "lpo_crosswalk",
    "share_covered",
    "agrees",
]
"""Columns of :func:`utsatta_lpo_check`."""
