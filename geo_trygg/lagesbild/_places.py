"""Named places (platssamverkan) and overlay pieces of two levels in the lägesbild.

**Places** (e.g. Älvsjö centrum, Fittja centrum) are many-to-many: a point may lie in several
places, or in none. Only points located at least as precisely as an address count toward a
place (an event known only to be "in Stockholm" is in no place). Places therefore reconcile on
their own: ``n_input == n_in_places + n_in_no_place + n_too_coarse`` counts *points*, and
``n_memberships`` (point–place pairs) may exceed ``n_in_places``.

**Overlay pieces** of two levels (e.g. stadsdelsområde × LPO, which do not nest) are areas of a
level of their own, named ``"<a> / <b>"``, so each LPO sees its share of each district: a point
gets the piece of its two areas; it is too coarse when it is too coarse for either level.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg.followup import followup_table
from geo_trygg.join import overlay_areas, places_within
from geo_trygg.lagesbild._counts import COARSE_REASONS, time_column_of
from geo_trygg.periods import Period, TimeKeys

__all__ = [
    "PIECE_SEPARATOR",
    "PlaceCounter",
    "add_piece_level",
    "pair_level_name",
    "piece_layer",
    "place_counts",
    "place_followup",
]

PIECE_SEPARATOR = " / "
_PRECISE = ("exact", "address")


def pair_level_name(a: str, b: str) -> str:
    """The level name of the overlay pieces of levels ``a`` and ``b``, e.g. ``"sdo_x_lpo"``."""
    return f"{a}_x_{b}"


def add_piece_level(points: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Add the piece column (and its reason) of levels ``a`` × ``b`` to assigned points."""
    for level in (a, b):
        if level not in points.columns:
            raise ConfigError(f"by=({a!r}, {b!r}): the points have no {level!r} column")
    name = pair_level_name(a, b)
    both = points[a].notna() & points[b].notna()
    pieces = points[a].astype(object).str.cat(points[b].astype(object), sep=PIECE_SEPARATOR)
    coarse = np.zeros(len(points), dtype=bool)
    for level in (a, b):
        reason = f"{level}_reason"
        if reason in points.columns:
            coarse |= points[reason].isin(COARSE_REASONS).to_numpy()
    reason_values = pd.Series(np.where(coarse, "too_coarse", "outside"), index=points.index)
    reason_values = reason_values.astype(object).where(~both, None)
    matched = pd.Series("overlay", index=points.index, dtype=object).where(both, None)
    return points.assign(
        **{
            name: pieces.where(both, None),
            f"{name}_matched_by": matched,
            f"{name}_reason": reason_values,
        }
    )


def piece_layer(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, a_level: str, b_level: str) -> Any:
    """The overlay pieces of two layers as an area layer of their own."""
    pieces, _ = overlay_areas(a, b)
    names = pieces["a_name"].astype(str) + PIECE_SEPARATOR + pieces["b_name"].astype(str)
    return gpd.GeoDataFrame(
        {"area_id": names, "name": names, "level": pair_level_name(a_level, b_level)},
        geometry=pieces.geometry.to_numpy(),
        crs=a.crs,
    )


class PlaceCounter:
    """Points joined to the named places once, for counts over many periods.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Events or findings (``category``, a time column, optionally ``location_precision``).
    places : geopandas.GeoDataFrame
        Named places (polygons, or points with a radius).
    kind : str
        ``"events"`` or ``"findings"``, copied to the tables.
    radius_m : float, optional
        Radius of point places without their own ``radius_m``.
    times : TimeKeys, optional
        The points' times already prepared (as :class:`TimeKeys` of their time column).
    """

    def __init__(
        self,
        points: gpd.GeoDataFrame,
        places: gpd.GeoDataFrame,
        *,
        kind: str,
        radius_m: float | None,
        times: TimeKeys | None = None,
    ) -> None:
        precision = (
            points["location_precision"]
            if "location_precision" in points.columns
            else pd.Series("exact", index=points.index)
        )
        self._precise = precision.isin(_PRECISE).to_numpy()
        members = places_within(points[self._precise], places, radius_m=radius_m)
        self._times = times or TimeKeys.of(points[time_column_of(points)])
        positions = pd.Series(np.arange(len(points)), index=points.index)
        self._member_pos = positions.reindex(members["point"]).to_numpy()
        self._member_place = members["name"].to_numpy()
        self._member_cat = points["category"].to_numpy(dtype=object)[self._member_pos]
        cats = sorted(set(points["category"].dropna()))
        names = sorted(set(places["name"]))
        self._grid = pd.MultiIndex.from_product([names, cats], names=["place", "category"])
        self._kind = kind

    def count(
        self, period: Period, previous: Period | None
    ) -> tuple[pd.DataFrame, dict[str, int]]:
        """Counts per place × category for the period (and comparison period), and the
        reconciliation (see :func:`place_counts`)."""
        out = pd.DataFrame(index=self._grid).reset_index().assign(kind=self._kind)
        recon: dict[str, Any] = {}
        for col, span in (("n", period), ("n_compare", previous)):
            if span is None:
                continue
            inside = self._times.mask(span)
            hit = inside[self._member_pos]
            counted = (
                pd.DataFrame({"place": self._member_place[hit], "category": self._member_cat[hit]})
                .groupby(["place", "category"])
                .size()
            )
            out[col] = counted.reindex(self._grid, fill_value=0).to_numpy().astype("int64")
            if col == "n":
                n_in = int(inside.sum())
                in_places = len(np.unique(self._member_pos[hit]))
                too_coarse = int((inside & ~self._precise).sum())
                recon = {
                    "kind": self._kind,
                    "n_input": n_in,
                    "n_in_places": in_places,
                    "n_in_no_place": n_in - in_places - too_coarse,
                    "n_too_coarse": too_coarse,
                    "n_memberships": int(hit.sum()),
                }
        columns = ["kind", "place", "category", *[c for c in ("n", "n_compare") if c in out]]
        return out[columns], recon


def place_counts(
    points: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    kind: str,
    period: Period,
    previous: Period | None,
    radius_m: float | None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Counts per place × category for the period (and comparison period), and reconciliation.

    Returns
    -------
    counts : pandas.DataFrame
        ``kind``, ``place``, ``category``, ``n`` (and ``n_compare``), every place × category.
    reconciliation : dict
        ``n_input``, ``n_in_places``, ``n_in_no_place``, ``n_too_coarse``, ``n_memberships``.
    """
    counter = PlaceCounter(points, places, kind=kind, radius_m=radius_m)
    return counter.count(period, previous)


def place_followup(
    findings: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    as_of: Any,
    radius_m: float | None,
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The follow-up of walk findings per place (a finding may count for several places).

    ``members`` is ``places_within(findings, places, radius_m=radius_m)`` when already made.
    """
    if members is None:
        members = places_within(findings, places, radius_m=radius_m)
    rows = []
    for place in sorted(set(places["name"])):
        labels = members.loc[members["name"] == place, "point"]
        subset = findings.loc[labels.to_numpy()]
        table = followup_table(subset, by=(), as_of=as_of)
        rows.append(table.assign(place=place))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows, ignore_index=True)
    return out[["place", *[c for c in out.columns if c != "place"]]]
