"""Boundary versions by date, LPO polygons derived by dissolve, and the crosswalk functions.

The crosswalk functions (:func:`load_crosswalk`, :func:`crosswalk_mapping`, ...) live in
:mod:`geo_trygg.crosswalks` and are re-exported here; see that module for the tables in
``geo_trygg/data/crosswalks/``, the ``at`` date rule (``at=None`` = the newest state the crosswalk
describes, 2025-01-01 for the bundled tables: the state valid today) and chaining through levels.
The catalogue of official boundary files is :mod:`geo_trygg.catalogue`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.crosswalks import (
    CROSSWALK_COLUMNS,
    CROSSWALK_STATUSES,
    check_crosswalk_frame,
    crosswalk_conflicts,
    crosswalk_mapping,
    default_date,
    earlier,
    later,
    load_crosswalk,
    nat_to_none,
    resolve_crosswalk,
    to_date,
    valid_at,
)

__all__ = [
    "CROSSWALK_COLUMNS",
    "CROSSWALK_STATUSES",
    "crosswalk_conflicts",
    "crosswalk_mapping",
    "default_date",
    "derive_lpo",
    "load_crosswalk",
    "resolve_crosswalk",
    "select_version",
]

_MAX_LISTED = 15

# --- versions ---------------------------------------------------------------------------------


def select_version(areas: gpd.GeoDataFrame, at: Any) -> gpd.GeoDataFrame:
    """Keep the areas whose boundaries are valid on ``at``.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas with ``valid_from`` / ``valid_to`` columns (NaT = open). A missing column counts
        as open.
    at : str, datetime.date or pandas.Timestamp
        The date; rows with ``valid_from <= at < valid_to`` are kept.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected rows, on the caller's index, in the caller's order.

    Raises
    ------
    ConfigError
        When ``areas`` is not a (Geo)DataFrame or ``at`` is not a date.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> a = gpd.GeoDataFrame({"name": ["old", "new"],
    ...     "valid_from": pd.to_datetime([None, "2020-07-01"]),
    ...     "valid_to": pd.to_datetime(["2020-07-01", None])},
    ...     geometry=[box(0, 0, 1, 1)] * 2, crs="EPSG:3006")
    >>> select_version(a, "2021-01-01")["name"].tolist()
    ['new']
    """
    if not isinstance(areas, pd.DataFrame):
        raise ConfigError(f"areas must be a GeoDataFrame; got {type(areas).__name__}")
    when = to_date(at)
    nat = pd.Series(pd.NaT, index=areas.index, dtype="datetime64[ns]")
    vf = pd.to_datetime(areas["valid_from"]) if "valid_from" in areas else nat
    vt = pd.to_datetime(areas["valid_to"]) if "valid_to" in areas else nat
    return areas.loc[valid_at(vf, vt, when).to_numpy()]


# --- derive_lpo -------------------------------------------------------------------------------


def _listing(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) <= _MAX_LISTED:
        return ", ".join(names)
    return msg(
        "boundaries_and_more",
        names=", ".join(names[:_MAX_LISTED]),
        n=len(names) - _MAX_LISTED,
    )


def _union(geoms: np.ndarray) -> Any:
    try:
        return shapely.union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapely.make_valid(geoms))


def derive_lpo(
    areas: gpd.GeoDataFrame,
    *,
    crosswalk: pd.DataFrame | None = None,
    at: Any = None,
    level: str = "lpo",
) -> gpd.GeoDataFrame:
    """Dissolve finer area polygons into LPO (or other parent) polygons by the crosswalk.

    For use when no official LPO polygons are at hand: stadsdelar (Stockholm) and kommuner
    (the rest of the län) are mapped to their LPO with :func:`resolve_crosswalk` and the
    geometries of each LPO are unioned.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Canonical areas with ``name``, ``level`` and geometry; several levels may be mixed
        (e.g. the stadsdelar of Stockholm plus the other kommuner of the län). Rows already at
        ``level`` are kept as their own parent. The areas are used as given: when the table
        holds several boundary versions, pick one with :func:`select_version` first.
    crosswalk : pandas.DataFrame, optional
        A table from :func:`load_crosswalk`; default the bundled tables.
    at : date-like, optional
        Date of the memberships (see :func:`crosswalk_mapping`; None = the newest state).
    level : str, default "lpo"
        The parent level to build, e.g. ``"lpo"``, ``"polisomrade"`` or ``"stadsdelsomrade"``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per parent, sorted by name: ``area_id`` (= ``name``), ``name``, ``level``,
        ``valid_from`` / ``valid_to`` (the window in which every membership used holds; the
        areas' own validity is not used), ``n_areas`` (areas dissolved), ``n_unconfirmed``
        (of them, assigned through an ``unconfirmed`` row) and the unioned ``geometry``, in
        the CRS of ``areas``. ``attrs["not_covered"]`` lists the areas the crosswalk does not
        cover, as ``"name (level)"``.

    Warns
    -----
    GeoTryggWarning
        Listing the areas the crosswalk does not cover (left out of every parent), and the
        areas assigned through unconfirmed memberships.

    Raises
    ------
    ConfigError
        When ``areas`` lacks ``name``/``level``, ``level`` is not a level of the crosswalk, or no
        level of ``areas`` is linked to ``level``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> a = gpd.GeoDataFrame({"name": ["ÄLVSJÖ", "SOLBERGA", "HÄGERSTEN"],
    ...     "level": "stadsdel"}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 2, 2)],
    ...     crs="EPSG:3006")
    >>> lpo = derive_lpo(a, at="2024-01-01")
    >>> lpo[["name", "n_areas"]].to_numpy().tolist(), lpo.area.tolist()
    ([['Globen', 2], ['Skärholmen', 1]], [2.0, 2.0])
    """
    if not isinstance(areas, gpd.GeoDataFrame):
        raise ConfigError(f"areas must be a GeoDataFrame; got {type(areas).__name__}")
    missing = [c for c in ("name", "level") if c not in areas.columns]
    if missing:
        raise ConfigError(
            f"areas lacks the columns {missing}; derive_lpo needs canonical areas with 'name' "
            "and 'level' (as read_areas returns them)"
        )
    cw = load_crosswalk() if crosswalk is None else check_crosswalk_frame(crosswalk)
    check_choice("level", level, sorted(set(cw["parent_level"])))
    when = default_date(cw) if at is None else to_date(at)

    n = len(areas)
    columns = ["area_id", "name", "level", "valid_from", "valid_to", "n_areas", "n_unconfirmed"]
    parent = np.full(n, None, dtype=object)
    vf = np.full(n, None, dtype=object)
    vt = np.full(n, None, dtype=object)
    unconfirmed = np.zeros(n, dtype=bool)
    levels = areas["level"].astype(object).to_numpy()
    names = areas["name"].astype(object).to_numpy()
    any_linked = False
    for lv in sorted({str(v) for v in levels if isinstance(v, str)}):
        rows = np.flatnonzero(levels == lv)
        if lv == level:
            parent[rows] = names[rows]
            any_linked = True
            continue
        try:
            links = resolve_crosswalk(cw, child_level=lv, parent_level=level, at=when)
        except ConfigError:
            continue
        any_linked = True
        table = links.set_index("child")
        keys = [normalize_name(v) for v in names[rows]]
        for i, k in zip(rows, keys, strict=True):
            if k in table.index:
                hit = table.loc[k]
                parent[i] = hit["parent"]
                vf[i] = nat_to_none(hit["valid_from"])
                vt[i] = nat_to_none(hit["valid_to"])
                unconfirmed[i] = hit["status"] == "unconfirmed"
    if not any_linked and n:
        raise ConfigError(
            f"no level of areas ({', '.join(sorted({str(v) for v in levels}))}) is linked to "
            f"level={level!r} by the crosswalk"
        )

    uncovered = [f"{names[i]} ({levels[i]})" for i in range(n) if parent[i] is None]
    if uncovered:
        warnings.warn(
            msg(
                "boundaries_not_covered", n=len(uncovered), level=level, names=_listing(uncovered)
            ),
            GeoTryggWarning,
            stacklevel=2,
        )
    doubtful = [str(names[i]) for i in np.flatnonzero(unconfirmed)]
    if doubtful:
        warnings.warn(
            msg("boundaries_unconfirmed", n=len(doubtful), level=level, names=_listing(doubtful)),
            GeoTryggWarning,
            stacklevel=2,
        )

    geoms = areas.geometry.to_numpy()
    keyed = [normalize_name(p) if p is not None else None for p in parent]
    groups: dict[str, list[int]] = {}
    for pos, key in enumerate(keyed):
        if key is not None:
            groups.setdefault(key, []).append(pos)
    records = []
    for key in sorted(groups):
        idx = groups[key]
        start: pd.Timestamp | None = None
        end: pd.Timestamp | None = None
        for pos in idx:
            start, end = later(start, vf[pos]), earlier(end, vt[pos])
        records.append(
            {
                "area_id": parent[idx[0]],
                "name": parent[idx[0]],
                "level": level,
                "valid_from": start,
                "valid_to": end,
                "n_areas": len(idx),
                "n_unconfirmed": int(unconfirmed[idx].sum()),
                "geometry": _union(geoms[idx]),
            }
        )
    frame = pd.DataFrame(records, columns=[*columns, "geometry"])
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["n_areas"] = frame["n_areas"].astype("int64")
    frame["n_unconfirmed"] = frame["n_unconfirmed"].astype("int64")
    out = gpd.GeoDataFrame(frame, geometry="geometry", crs=areas.crs)
    out.attrs["not_covered"] = uncovered
    return out
