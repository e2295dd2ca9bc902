"""``assign_areas``: one area per point and layer, with the reason when there is none.

Rules
-----
**Predicate.** ``covered_by`` (default): a point on an area's boundary belongs to it.
``within``: only points in an area's interior do; a point on a boundary and in no interior gets
reason ``"on_boundary"`` (as in ``geopandas.sjoin(predicate="within")``).

**Boundary rule.** A point covered by several areas (on a shared edge or vertex, or where areas
overlap) gets exactly one, by a rule that depends only on the geometries, never on the order of
rows or polygons: it belongs to the area that contains the point moved 1 mm east and 1 µm north
— on a north-south border the eastern area, on an east-west border the northern one, at a corner
the north-eastern one. When that leaves no or several areas (the nudged point falls outside, or
areas overlap), the smallest area (m²) wins, then the name, then ``area_id``. The same rule breaks
ties between equally near areas when snapping. Shared-border points and points inside
overlapping areas are counted (``result.attrs["assignment_summary"]``); overlaps also warn.

**Outside and snapping.** Points in no area get a missing value and reason ``"outside"``. With
``max_distance`` (metres) such points within that distance of an area are snapped to the nearest
one (``matched_by="snap"``).

**Location precision.** Points may carry ``location_precision`` (``exact``, ``address``,
``stadsdel``, ``kommun``, ``lan``; missing column or value = ``exact``). Each level has a
precision rank (:data:`LEVEL_RANK`): ``exact``/``address`` 0 < ``stadsdel``, ``deso``,
``regso``, ``place``, ``utsatt_omrade`` 1 < ``stadsdelsomrade``, ``lpo`` 2 < ``polisomrade`` 3
< ``kommun`` 4 < ``lan`` 5 < ``polisregion`` 6. LPOs and polisområden do not nest in kommuner
(Stockholm kommun holds several LPOs, LPO Haninge-Nynäshamn two kommuner), so they count as finer
than a kommun: a kommun-precision point is not placed in an LPO by its point (only through a
crosswalk row kommun -> lpo, see below). For a layer of level L:

- the point is finer than L (rank below L's): placed by its geometry (``"point"``/``"snap"``);
- the point's precision *is* L (e.g. kommun events, kommun layer): placed by its ``kommun``
  column (kommun layers) or ``location_name`` column matched to the area names
  (``"location"``), never by the point; a trailing " kommun" / " län" is ignored
  (``"Stockholms län"`` matches SCB's ``"Stockholms"``);
- otherwise (the point is coarser, or as fine but of another kind): not placed by its geometry
  (``"too_coarse"``) unless a place name in ``text_columns`` matches exactly one area name of the
  layer as a whole word or phrase, case-insensitive (``"name"``); several names give
  ``"ambiguous_name"``. A location that matches nothing also falls back to the text, else
  ``"location_unknown"``.

**Names in the text.** Besides its whole name, an area is found in the text by the parts of a
compound name and by aliases (``docs/data-model.md``, *Area names in texts*):

- a name joining places with ``/`` (``"Hallunda / Norsborg"``, ``"A/B"``) or with one in
  brackets is found by each place; a hyphen joins places only in stadsdelsområden and
  lokalpolisområden (``"Hässelby-Vällingby"``, ``"Haninge-Nynäshamn"``, named after what they
  join), never in other levels, where a hyphen is part of one name (``"Upplands-Bro"``);
- ``aliases``: the bundled alias table (:mod:`geo_trygg.vocab.areas`, a public source per row,
  e.g. Rinkeby, Tensta, Husby, Akalla, Kista and Hjulsta for the stadsdelsområde and the LPO
  Järva) plus the user's rows;
- a part or alias is not used when it is shorter than three characters, a common word
  (``"centrum"``, ``"norra"``, ``"södra"``, ``"gamla"``, …), the name of a kommun or län (the
  police name the kommun in every title, so ``"Sigtuna"`` of ``"Sigtuna / Valsta"`` would take
  all of Sigtuna kommun), or another area's name, part or alias in the same layer. The parts
  dropped are listed in ``result.attrs["dropped_name_parts"]`` and in one warning.

**Name conflicts.** A name found in the text is not used (reason ``"name_conflict"``) when its
area lies outside the kommun or län the row is known to lie in (its area in the kommun or län
layer of the same call, placed by location, point or snap; without a kommun layer, the points'
``kommun`` column): through the crosswalk (a level it links to the kommun or län level), else
by the layer's own ``kommun`` / ``lan`` column, else by geometry for stadsdelar, stadsdelsområden,
DeSO, RegSO, places and utsatta områden: an area lies in every kommun (län) covering at least
10 % of it, else in the nearest within 2 km, else in none (generalised kommun polygons cut
areas near borders). A police event in Solna naming *Järva krog* is not placed in Stockholm's
Järva, nor one in Solna saying *söder om* in Helsingborg's utsatt område *Söder*. (The police
layer's ``ORT`` is a place, not always the kommun: it is not used.)

**Hierarchy.** With ``hierarchy=True`` and a ``crosswalk``, a layer B whose level the crosswalk
links from another layer's level A (e.g. stadsdel -> stadsdelsomrade, stadsdel -> lpo,
stadsdel -> kommun, kommun -> lan) takes each point's area from the point's *finest* own
assignment (by point, snap, name or location) through the crosswalk
(:func:`geo_trygg.boundaries.crosswalk_mapping`, rows valid at ``at``) — ``"crosswalk"`` — so
a point never gets a stadsdel of one district and the stadsdelsområde of another. B's own result
is still computed; every point where it names another area is listed in
``result.attrs["disagreements"]`` (a list of records with keys ``point``, ``level``,
``by_crosswalk``, ``by_polygon``; ``pd.DataFrame(result.attrs["disagreements"])`` makes it a
table) and counted in one warning. Where the crosswalk has no row for the fine area, or
names a parent the layer lacks, B keeps its own result and a warning says so.

Reason codes (``<level>_reason``; human sentences via ``geo_trygg._labels``, keys
``join_reason_<code>``): ``outside``, ``on_boundary``, ``too_coarse``, ``ambiguous_name``,
``location_unknown``, ``no_geometry``, ``name_conflict`` (a name found in the text lies
outside the kommun or län the source states: the name is not used; see *Name conflicts*).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from os import PathLike
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg._validate import check_date, check_geoframe, check_metric, check_same_crs
from geo_trygg.boundaries import select_version
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.join._common import (
    area_ids_names,
    check_point_geometries,
    check_polygon_layer,
    order_keys,
)
from geo_trygg.join._hierarchy import (
    Derivation,
    derive,
    drop_names_outside_containers,
    drop_names_outside_locations,
    plan,
)
from geo_trygg.join._model import (
    LEVEL_RANK,
    MATCHED_BY,
    PRECISION_RANK,
    PRECISIONS,
    REASONS,
    Layer,
    M,
    Points,
    R,
    Result,
)
from geo_trygg.join._names import joined_text
from geo_trygg.join._pip import resolve
from geo_trygg.labels import level_names
from geo_trygg.vocab.areas import area_aliases, validate_area_aliases

__all__ = [
    "LEVEL_RANK",
    "MATCHED_BY",
    "PRECISIONS",
    "PRECISION_RANK",
    "REASONS",
    "assign_areas",
]

# --- validation -------------------------------------------------------------------------------


def _to_date(at: Any) -> pd.Timestamp:
    """``at`` as a midnight Timestamp; the message in the user's language (``--at``)."""
    return pd.Timestamp(check_date(at, "at", lang=None))


def _check_one_version(label: str, level: str, layer: pd.DataFrame) -> None:
    if "valid_from" not in layer.columns or "valid_to" not in layer.columns or layer.empty:
        return
    vf = pd.to_datetime(layer["valid_from"]).dropna()
    vt = pd.to_datetime(layer["valid_to"]).dropna()
    if len(vf) and len(vt) and vf.max() >= vt.min():
        raise ConfigError(
            f"{label} ({level}) holds several boundary versions (valid_from up to "
            f"{vf.max().date()}, valid_to from {vt.min().date()}): no date is valid for every "
            "row; pass at='YYYY-MM-DD' to choose one"
        )


def _prepare_layer(k: int, layer: Any, points: gpd.GeoDataFrame, at: Any) -> Layer:
    label = f"layers[{k}]"
    check_geoframe(label, layer)
    check_same_crs("points", points, label, layer)
    if "level" not in layer.columns:
        raise ConfigError(
            f"{label} has no 'level' column; set it, e.g. {label}['level'] = 'stadsdel' "
            f"(allowed: {', '.join(AREA_LEVELS)})"
        )
    if layer.empty:
        raise ConfigError(f"{label} has no rows, so its level (and column name) is unknown")
    values = pd.unique(layer["level"].to_numpy(dtype=object))
    if all(pd.isna(v) for v in values):
        raise ConfigError(
            f"{label} has no value in its 'level' column; set it, e.g. "
            f"{label}['level'] = 'stadsdel', or read it with read_areas(..., level=...) "
            f"(allowed: {', '.join(AREA_LEVELS)})"
        )
    if len(values) != 1:
        shown = ", ".join(sorted(repr(v) for v in values))
        raise ConfigError(
            f"{label} must hold exactly one level in its 'level' column; found {shown}. "
            "Pass each level as its own layer."
        )
    level = check_choice(f"{label}['level']", values[0], AREA_LEVELS)
    if at is not None:
        layer = select_version(layer, at)
    else:
        _check_one_version(label, level, layer)
    geoms = check_polygon_layer(label, layer)
    ids, names = area_ids_names(label, layer)
    key = order_keys(shapely.area(geoms), names, ids, geoms)
    containers = {
        col: layer[col].to_numpy(dtype=object)
        for col in ("kommun", "lan")
        if col in layer.columns and col != level
    }
    return Layer(level, label, geoms, names, ids, key, containers)


def _alias_table(aliases: Any) -> pd.DataFrame:
    """The aliases in use: the bundled table, plus a user's (None: bundled; False: none)."""
    if aliases is False:
        return area_aliases().iloc[0:0]
    if aliases is None:
        return area_aliases()
    if not isinstance(aliases, (pd.DataFrame, str, PathLike)):
        raise ConfigError(
            f"aliases={aliases!r} must be None (the bundled alias table), False (no aliases), "
            "or a table (DataFrame or CSV path) with the columns level, area, alias "
            "(optionally source, note), used with the bundled table"
        )
    own = validate_area_aliases(aliases, levels=AREA_LEVELS, name="aliases")
    return pd.concat([area_aliases(), own], ignore_index=True).drop_duplicates(ignore_index=True)


def _reserved_names(prepared: list[Layer], points: pd.DataFrame, crosswalk: Any) -> frozenset[str]:
    """Names of kommuner and län known to this call (never a part or alias of an area).

    The kommun and län layers' names, the crosswalk's kommun and län names, the points'
    ``kommun`` column and their ``location_name`` where ``location_precision`` is kommun or län.
    """
    found: set[str] = set()
    for layer in prepared:
        if layer.level in ("kommun", "lan"):
            found.update(str(v) for v in layer.names if v is not None)
    if "kommun" in points.columns:
        found.update(str(v) for v in pd.unique(points["kommun"].dropna().to_numpy(dtype=object)))
    if "location_name" in points.columns and "location_precision" in points.columns:
        coarse = points["location_precision"].isin(("kommun", "lan")).to_numpy()
        names = points["location_name"].to_numpy(dtype=object)[coarse]
        found.update(str(v) for v in pd.unique(names[pd.notna(names)]))
    if isinstance(crosswalk, pd.DataFrame) and {
        "child_level",
        "child",
        "parent_level",
        "parent",
    } <= set(crosswalk.columns):
        for level_col, name_col in (("child_level", "child"), ("parent_level", "parent")):
            keep = crosswalk[level_col].isin(("kommun", "lan")).to_numpy()
            found.update(str(v) for v in crosswalk[name_col].to_numpy(dtype=object)[keep])
    return frozenset(found)


def _prepare_points(points: gpd.GeoDataFrame, text_columns: Any) -> Points:
    geoms, x, y = check_point_geometries("points", points)
    if isinstance(text_columns, str) or not all(isinstance(c, str) for c in text_columns):
        raise ConfigError(
            f"text_columns={text_columns!r} must be a tuple of column names, e.g. ('text',)"
        )
    text_columns = tuple(text_columns)
    missing = [c for c in text_columns if c not in points.columns]
    if missing and text_columns != ("text",):
        raise ConfigError(
            f"text_columns={text_columns!r}: points has no column(s) {missing}; columns are "
            f"{list(map(str, points.columns))}"
        )
    has_geom = np.isfinite(x) & np.isfinite(y)
    n = len(points)
    rank = np.zeros(n, dtype=np.int64)
    precision = None
    if "location_precision" in points.columns:
        raw = points["location_precision"]
        present = raw.notna().to_numpy()
        precision = raw.to_numpy(dtype=object).copy()
        precision[~present] = "exact"
        bad = sorted({str(v) for v in pd.unique(precision) if v not in PRECISION_RANK})
        if bad:
            raise ConfigError(
                f"points['location_precision'] holds {bad}; allowed values: "
                f"{', '.join(map(repr, PRECISIONS))} (a missing value counts as 'exact')"
            )
        codes, uniques = pd.factorize(precision)
        rank = np.array([PRECISION_RANK[u] for u in uniques], dtype=np.int64)[codes]
    return Points(points, geoms, x, y, has_geom, rank, precision, text_columns)


def _check_args(predicate: Any, max_distance: Any, hierarchy: Any) -> float | None:
    check_choice("predicate", predicate, ("covered_by", "within"))
    if not isinstance(hierarchy, bool):
        raise ConfigError(f"hierarchy={hierarchy!r} must be True or False")
    if max_distance is None:
        return None
    try:
        value = float(max_distance)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(max_distance, bool) or not np.isfinite(value) or value < 0:
        raise ConfigError(
            f"max_distance={max_distance!r} must be a number of metres >= 0 (or None: no snapping)"
        )
    return value


# --- one layer on its own -------------------------------------------------------------------


def _snap(
    layer: Layer, pts: Points, rows: np.ndarray, max_distance: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest area within ``max_distance`` for point positions ``rows``: (rows, area)."""
    usable = layer.index.usable
    if len(rows) == 0 or len(usable) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if layer._tree is None:
        layer._tree = shapely.STRtree(layer.geoms[usable])
    q, t = layer._tree.query_nearest(pts.geoms[rows], max_distance=max_distance, all_matches=True)
    if len(q) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    area = usable[t]
    srt = np.lexsort((area, q))
    q, area = q[srt], area[srt]
    # query_nearest's ties are exact float ties; break them by the boundary rule
    chosen, _, _ = resolve(q, area, pts.x[rows], pts.y[rows], layer.geoms, layer.order_key)
    hit = np.flatnonzero(chosen >= 0)
    return rows[hit], chosen[hit]


def _by_location(layer: Layer, pts: Points, rows: np.ndarray) -> dict[int, list[int]]:
    """Area positions matched by the location column(s) for point positions ``rows``."""
    columns = ("kommun", "location_name") if layer.level == "kommun" else ("location_name",)
    found: dict[int, list[int]] = {}
    for col in columns:
        if col not in pts.frame.columns:
            continue
        values = pts.frame[col].to_numpy(dtype=object)
        cache: dict[object, list[int]] = {}
        for r in rows:
            if r in found:
                continue
            v = values[r]
            if v is None or (isinstance(v, float) and v != v):
                continue
            if v not in cache:
                cache[v] = layer.matcher.by_location(v)
            if cache[v]:
                found[int(r)] = cache[v]
    return found


def _by_text(layer: Layer, pts: Points, rows: np.ndarray) -> list[list[int]]:
    texts = joined_text(pts.frame, pts.text_columns, rows)
    return [layer.matcher.in_text(t) for t in texts]


def _own(layer: Layer, pts: Points, predicate: str, max_distance: float | None) -> Result:
    n = len(pts.x)
    idx = np.full(n, -1, dtype=np.int64)
    mb = np.zeros(n, dtype=np.int8)
    reason = np.zeros(n, dtype=np.int8)
    res = Result(idx, mb, reason)
    level_rank = LEVEL_RANK[layer.level]
    geo = pts.rank < level_rank
    loc = (
        np.zeros(n, dtype=bool) if pts.precision is None else (pts.precision == layer.level) & ~geo
    )
    text = ~geo & ~loc
    reason[geo & ~pts.has_geom] = R["no_geometry"]
    g_mask = geo & pts.has_geom
    if g_mask.all():
        g, gx, gy = None, pts.x, pts.y
    else:
        g = np.flatnonzero(g_mask)
        gx, gy = pts.x[g], pts.y[g]
    if len(gx):
        located = layer.index.locate(gx, gy, predicate=predicate)
        found = located.idx >= 0
        sel = slice(None) if g is None else g
        idx[sel] = located.idx
        mb[sel] = np.where(found, M["point"], 0)
        reason[sel] = np.where(
            found, 0, np.where(located.on_boundary, R["on_boundary"], R["outside"])
        )
        res.n_boundary, res.n_overlap = located.n_boundary, located.n_overlap
        if max_distance is not None:
            missing = np.flatnonzero(~found)
            rows = missing if g is None else g[missing]
            snapped, area = _snap(layer, pts, rows, max_distance)
            idx[snapped] = area
            mb[snapped] = M["snap"]
            reason[snapped] = 0
    loc_rows = np.flatnonzero(loc)
    if len(loc_rows):
        found_loc = _by_location(layer, pts, loc_rows)
        for r, areas in found_loc.items():
            if len(areas) == 1:
                idx[r], mb[r] = areas[0], M["location"]
            else:
                reason[r] = R["ambiguous_name"]
        unresolved = np.array([r for r in loc_rows if r not in found_loc], dtype=np.int64)
        text |= np.isin(np.arange(n), unresolved)
    text_rows = np.flatnonzero(text)
    if len(text_rows):
        for row, areas in zip(text_rows, _by_text(layer, pts, text_rows), strict=True):
            if len(areas) == 1:
                idx[row], mb[row], reason[row] = areas[0], M["name"], 0
            elif len(areas) > 1:
                reason[row] = R["ambiguous_name"]
                res.candidates[int(row)] = areas
            else:
                reason[row] = R["location_unknown"] if loc[row] else R["too_coarse"]
    return res


# --- the public function --------------------------------------------------------------------


def assign_areas(
    points: gpd.GeoDataFrame,
    *layers: gpd.GeoDataFrame,
    crosswalk: pd.DataFrame | None = None,
    at: Any = None,
    max_distance: float | None = None,
    hierarchy: bool = True,
    text_columns: Sequence[str] = ("text",),
    predicate: str = "covered_by",
    aliases: pd.DataFrame | str | PathLike[str] | bool | None = None,
) -> gpd.GeoDataFrame:
    """Assign each point to at most one area of each layer.

    See the module docstring (:mod:`geo_trygg.join.assign`) for the boundary rule, the location
    precision rules and the hierarchy.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points (missing or empty geometries allowed) in a metric CRS. Optional columns:
        ``location_precision``, ``kommun``, ``location_name`` and the ``text_columns``.
    *layers : geopandas.GeoDataFrame
        Canonical area layers (``docs/data-model.md``): ``name``, ``level`` (one level per
        layer, each level once), optionally ``area_id`` (the name when absent),
        ``valid_from``/``valid_to``; Polygon/MultiPolygon geometries, valid, in the points' CRS.
    crosswalk : pandas.DataFrame, optional
        A crosswalk from :func:`geo_trygg.boundaries.load_crosswalk`; with ``hierarchy=True``
        coarser levels are derived through it.
    at : date-like, optional
        The date: selects each layer's boundary version
        (:func:`geo_trygg.boundaries.select_version`) and the crosswalk rows. Without it a layer
        holding several versions is an error, and the crosswalk's newest state is used.
    max_distance : float, optional
        Snap points outside every area to the nearest area within this many metres.
    hierarchy : bool, default True
        Derive coarser levels from the finest level through ``crosswalk``.
    text_columns : sequence of str, default ("text",)
        Free-text columns searched for area names (points too coarse for a layer). Listed
        columns must exist, except the default ``"text"``.
    predicate : {"covered_by", "within"}, default "covered_by"
        Whether a point on an area's boundary belongs to it.
    aliases : DataFrame or path, or None or False, optional
        Other names of areas, searched in ``text_columns`` like parts of compound names
        (section *Names in the text*). None (default): the bundled table
        (:func:`geo_trygg.vocab.areas.area_aliases`); a table (a DataFrame or CSV path with
        the columns ``level``, ``area``, ``alias`` and optionally ``source``, ``note``): the
        bundled table plus these rows; False: no aliases.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``points`` (same index, same order) with, for each layer of level ``L``,
        the columns ``L`` (area name), ``L_id`` (``area_id``), ``L_matched_by`` (``"point"``,
        ``"snap"``, ``"name"``, ``"location"``, ``"crosswalk"`` or None) and ``L_reason``
        (None when assigned, else a code of :data:`REASONS`). Existing columns of those names
        are replaced (a ``kommun`` column of events becomes the assigned kommun).
        ``attrs["assignment_summary"]``: per level, counts (plain ints) of points assigned,
        by ``matched_by`` and by reason, shared-border points (``n_boundary``) and points in
        overlapping areas (``n_overlap``). ``attrs["disagreements"]``: list of records with keys
        ``point`` (index label), ``level``, ``by_crosswalk``, ``by_polygon``.
        ``attrs["dropped_name_parts"]``: the parts and aliases not used, for each layer whose
        names were searched in a text: records with keys ``level``, ``area``, ``part``,
        ``why`` (``"too_short"``, ``"stop_word"``, ``"kommun_name"``, ``"other_area"``).
        (Plain lists and dicts, so results can be combined with ``pd.concat``.)

    Raises
    ------
    ConfigError
        Bad arguments; no layer; a layer without ``name``/``level``, with several levels, with
        several boundary versions and no ``at``, with non-polygonal or invalid geometries; two
        layers of one level; non-point geometries in ``points``; unknown
        ``location_precision`` values; a CRS that is not metric; an alias table without the
        columns ``level``, ``area``, ``alias``, with an empty value or an unknown level.
    CRSMismatchError
        When a layer's CRS differs from the points' (the message names both).

    Warns
    -----
    GeoTryggWarning
        Points left without an area (per layer and reason), points in overlapping areas,
        crosswalk disagreements and crosswalk gaps, and the parts and aliases of area names
        not used (one warning).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> areas = gpd.GeoDataFrame({"area_id": ["w", "e"], "name": ["West", "East"],
    ...     "level": "stadsdel"}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
    ...     crs="EPSG:3006")
    >>> pts = gpd.GeoDataFrame(geometry=[Point(5, 5), Point(10, 5)], crs="EPSG:3006")
    >>> assign_areas(pts, areas)["stadsdel"].tolist()  # (10, 5) is on the border: east wins
    ['West', 'East']
    """
    check_geoframe("points", points)
    distance = _check_args(predicate, max_distance, hierarchy)
    if not layers:
        raise ConfigError("assign_areas needs at least one area layer after the points")
    when = None if at is None else _to_date(at)
    alias_table = _alias_table(aliases)
    for k, layer in enumerate(layers):
        check_geoframe(f"layers[{k}]", layer)
        check_same_crs("points", points, f"layers[{k}]", layer)
    check_metric("points", points)
    prepared = [_prepare_layer(k, layer, points, when) for k, layer in enumerate(layers)]
    levels = [p.level for p in prepared]
    twice = sorted({lv for lv in levels if levels.count(lv) > 1})
    if twice:
        raise ConfigError(
            f"each level may appear in one layer only; {', '.join(twice)} appears in several "
            "(each level gives its own columns)"
        )
    pts = _prepare_points(points, text_columns)
    reserved = _reserved_names(prepared, points, crosswalk)
    for layer in prepared:
        rows = alias_table[alias_table["level"] == layer.level]
        layer.aliases = tuple(sorted(zip(rows["area"], rows["alias"], strict=True)))
        layer.reserved = reserved
    derivations: list[Derivation] = []
    if hierarchy and crosswalk is not None:
        derivations = plan(levels, [p.names for p in prepared], crosswalk, when, LEVEL_RANK)

    results = [_own(layer, pts, predicate, distance) for layer in prepared]
    drop_names_outside_locations(prepared, results, derivations)
    drop_names_outside_containers(prepared, results, derivations, points)
    disagreements = derive(prepared, results, derivations, points.index)
    order = {lv: i for i, lv in enumerate(AREA_LEVELS)}
    dropped = sorted(
        (r for layer in prepared if layer.searched for r in layer.matcher.dropped),
        key=lambda r: (order[str(r["level"])], str(r["area"]), str(r["part"])),
    )

    out = points.copy()
    summary: dict[str, dict[str, Any]] = {}
    for layer, res in zip(prepared, results, strict=True):
        _write_columns(out, layer, res)
        summary[layer.level] = _summary(res)
    out.attrs["assignment_summary"] = summary
    out.attrs["disagreements"] = disagreements.to_dict("records")
    out.attrs["dropped_name_parts"] = dropped
    _warn_dropped(dropped)
    _warn_unassigned(prepared, results)
    return out


def _warn_dropped(dropped: list[dict[str, Any]]) -> None:
    """One warning listing the parts and aliases of area names not used, by level and why."""
    if not dropped:
        return
    why = {
        "too_short": msg("join_dropped_too_short"),
        "stop_word": msg("join_dropped_stop_word"),
        "kommun_name": msg("join_dropped_kommun_name"),
        "other_area": msg("join_dropped_other_area"),
    }
    words = level_names()
    lines = [
        f"{words.get(str(r['level']), r['level'])}: {r['part']} ({r['area']}; {why[r['why']]})"
        for r in dropped
    ]
    warnings.warn(
        msg("join_dropped_name_parts", n=len(dropped), details="; ".join(lines)),
        GeoTryggWarning,
        stacklevel=3,
    )


def _write_columns(out: gpd.GeoDataFrame, layer: Layer, res: Result) -> None:
    lv = layer.level
    none = np.array([None], dtype=object)
    names = np.concatenate([layer.names, none])
    ids = np.concatenate([layer.ids, none])
    mb_lut = np.array(MATCHED_BY, dtype=object)
    reason_lut = np.array(REASONS, dtype=object)
    for col, values in (
        (lv, names[res.idx]),
        (f"{lv}_id", ids[res.idx]),
        (f"{lv}_matched_by", mb_lut[res.mb]),
        (f"{lv}_reason", reason_lut[res.reason]),
    ):
        out[col] = pd.Series(values, index=out.index, dtype=object, copy=False)


def _summary(res: Result) -> dict[str, Any]:
    mb = np.bincount(res.mb, minlength=len(MATCHED_BY))
    rs = np.bincount(res.reason, minlength=len(REASONS))
    return {
        "n_points": len(res.idx),
        "n_assigned": int((res.idx >= 0).sum()),
        "matched_by": {str(k): int(mb[i]) for i, k in enumerate(MATCHED_BY) if k and mb[i]},
        "reasons": {str(k): int(rs[i]) for i, k in enumerate(REASONS) if k and rs[i]},
        "n_boundary": int(res.n_boundary),
        "n_overlap": int(res.n_overlap),
        "n_disagreements": int(res.n_disagreements),
    }


def _warn_unassigned(prepared: list[Layer], results: list[Result]) -> None:
    for layer, res in zip(prepared, results, strict=True):
        if res.n_overlap:
            warnings.warn(
                msg("join_overlap", level=layer.level, n=res.n_overlap),
                GeoTryggWarning,
                stacklevel=3,
            )
    lines = []
    reasons = {
        "outside": msg("join_reason_outside"),
        "on_boundary": msg("join_reason_on_boundary"),
        "too_coarse": msg("join_reason_too_coarse"),
        "ambiguous_name": msg("join_reason_ambiguous_name"),
        "location_unknown": msg("join_reason_location_unknown"),
        "no_geometry": msg("join_reason_no_geometry"),
        "name_conflict": msg("join_reason_name_conflict"),
    }
    for layer, res in zip(prepared, results, strict=True):
        counts = np.bincount(res.reason, minlength=len(REASONS))
        n_missing = int((res.idx < 0).sum())
        if not n_missing:
            continue
        details = "; ".join(
            f"{reasons[code]}: {int(counts[i])}"
            for i, code in enumerate(REASONS)
            if code and counts[i]
        )
        lines.append(
            msg(
                "join_unassigned",
                level=level_names().get(layer.level, layer.level),
                n=n_missing,
                total=len(res.idx),
                details=details,
            )
        )
    if lines:
        warnings.warn("\n".join(lines), GeoTryggWarning, stacklevel=3)
