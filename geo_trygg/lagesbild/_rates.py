"""Denominators for rates: land area per area, and population re-aggregated by area weighting.

Population published for one set of areas (e.g. SCB's DeSO) is moved to another (stadsdelar,
LPOs) by **area weighting**: each source area's population is split over the target areas in
proportion to the share of the source area's *area* that lies in each target. This assumes people
are spread evenly within a source area; with small source areas such as DeSO (700–2,700
inhabitants each) the error is small where targets follow the same streets, larger where a
target boundary cuts a DeSO with its housing on one side. A target whose overlapping sources
include one without a population figure gets NaN (never a silent zero) and is listed.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, CRSMismatchError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_metric
from geo_trygg.crs import same_crs
from geo_trygg.join import overlay_areas

__all__ = ["land_area_km2", "population_by_area"]


def _check_metric(gdf: gpd.GeoDataFrame, name: str) -> None:
    check_metric(name, gdf, hint="areas must be in a metric CRS such as EPSG:3006")


def land_area_km2(areas: gpd.GeoDataFrame, *, water: gpd.GeoDataFrame | None = None) -> pd.Series:
    """Land area of each area in km², summed by area name.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Canonical areas (``name``, ``geometry``) in a metric CRS.
    water : geopandas.GeoDataFrame, optional
        Water polygons to subtract (e.g. a lakes and sea layer); without it the polygons' whole
        area counts, water included (the City of Stockholm's stadsdelar include water).

    Returns
    -------
    pandas.Series
        ``land_km2`` by area name, sorted by name.

    Raises
    ------
    ConfigError
        When a layer is not in a metric CRS or lacks ``name``.
    CRSMismatchError
        When ``water`` is in another CRS than ``areas``.
    """
    _check_metric(areas, "areas")
    if "name" not in areas.columns:
        raise ConfigError("areas needs a 'name' column (canonical areas, see read_areas)")
    geoms = areas.geometry.to_numpy()
    if water is not None:
        _check_metric(water, "water")
        if not same_crs(areas.crs, water.crs):
            raise CRSMismatchError(
                f"areas are in {areas.crs.to_string()} but water is in {water.crs.to_string()}; "
                "reproject one of them with to_crs()"
            )
        geoms = shapely.difference(geoms, shapely.union_all(water.geometry.to_numpy()))
    km2 = pd.Series(shapely.area(geoms) / 1e6, index=areas["name"].to_numpy())
    return km2.groupby(level=0, sort=True).sum().rename("land_km2")


def population_by_area(
    population: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, *, column: str = "population"
) -> pd.Series:
    """Re-aggregate a population to other areas by area weighting (see the module docstring).

    Parameters
    ----------
    population : geopandas.GeoDataFrame
        Source areas with ``area_id``, ``name`` and a population ``column``.
    areas : geopandas.GeoDataFrame
        Target areas (``name``), same metric CRS.
    column : str, default "population"

    Returns
    -------
    pandas.Series
        ``population`` by target area name (float; NaN where a contributing source has no
        figure), sorted by name; targets that no source overlaps get 0 with a warning naming
        them (no people were published there).

    Raises
    ------
    ConfigError
        When ``column`` is missing.
    CRSMismatchError
        When the layers' CRSs differ.
    """
    if column not in population.columns:
        raise ConfigError(
            f"column={column!r} is not a column of population; columns: "
            + ", ".join(map(repr, population.columns))
        )
    _check_metric(population, "population")
    _check_metric(areas, "areas")
    values = pd.to_numeric(population[column], errors="coerce")
    source = population.assign(area_id=population["area_id"].astype(str))
    pieces, _ = overlay_areas(source, areas)
    per_id = pd.Series(values.to_numpy(dtype=float), index=source["area_id"].to_numpy())
    per_id = per_id.groupby(level=0).sum(min_count=1)
    weighted = pieces["share_of_a"].to_numpy(dtype=float) * per_id.reindex(
        pieces["a_id"].astype(str)
    ).to_numpy(dtype=float)
    frame = pd.DataFrame({"name": pieces["b_name"].to_numpy(), "pop": weighted})
    out = frame.groupby("name", sort=True)["pop"].sum(min_count=1)
    has_missing = frame.assign(m=np.isnan(weighted)).groupby("name")["m"].any()
    out[has_missing.reindex(out.index, fill_value=False).to_numpy()] = np.nan
    names = sorted(set(areas["name"]))
    uncovered = [n for n in names if n not in out.index]
    if uncovered:
        warnings.warn(
            msg("lagesbild_population_uncovered", names=", ".join(uncovered)),
            GeoTryggWarning,
            stacklevel=2,
        )
    return out.reindex(names, fill_value=0.0).rename("population")
