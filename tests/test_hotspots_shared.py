"""Hotspot grids on real boundaries (../shared): Stockholm's stadsdelar minus water, and the
police events, which have no point precision and are refused."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geo_trygg as gt
from geo_trygg.hotspots import count_points, gi_star, kde, make_grid

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def land(shared_data: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        stadsdelar = gt.read_areas(
            shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp",
            source="stockholm-stadsdelar",
        ).accepted
    water = gpd.read_file(
        shared_data / "stockholm_stadsdelar/geojson_simplified/vatten.geo.json"
    ).to_crs(stadsdelar.crs)
    return stadsdelar, water


def test_grid_on_stadsdelar_minus_water_is_clipped_to_land(
    land: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    stadsdelar, water = land
    grid = make_grid(stadsdelar, cell_size=250, water=water)
    water_union = shapely.union_all(water.geometry.to_numpy())
    city = shapely.union_all(stadsdelar.geometry.to_numpy())
    x, y = grid["x"].to_numpy(), grid["y"].to_numpy()
    assert not shapely.contains_xy(water_union, x, y).any()
    assert shapely.contains_xy(city, x, y).all()
    # the cells, clipped, cover the land exactly, and no cell reaches into the water
    land_m2 = shapely.difference(city, water_union).area
    assert grid["area_m2"].sum() == pytest.approx(land_m2, rel=1e-6)
    assert shapely.intersection(
        shapely.union_all(grid.geometry.to_numpy()), water_union
    ).area == pytest.approx(0, abs=1.0)
    # without taking water away, cell centres would stand in Riddarfjärden and Saltsjön
    wet = make_grid(stadsdelar, cell_size=250)
    assert shapely.contains_xy(water_union, wet["x"], wet["y"]).sum() > 100

    # synthetic points on land: every one is in a cell or reported outside the grid
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = city.bounds
    px, py = rng.uniform(minx, maxx, 40_000), rng.uniform(miny, maxy, 40_000)
    on_land = shapely.contains_xy(shapely.difference(city, water_union), px, py)
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(px[on_land], py[on_land]), crs=stadsdelar.crs
    )
    counted = count_points(grid, pts)
    c = counted.attrs["counts"]
    assert c["n_in_cells"] == on_land.sum()  # every point on land is in a cell
    assert c["n_outside_grid"] == 0
    assert int(counted["n"].sum()) == c["n_in_cells"]
    hot = gi_star(counted)
    assert len(hot) == len(grid)
    # uniform points: a handful of false alarms at most after BH
    assert (hot["p_adjusted"] <= 0.05).mean() < 0.01


def test_police_events_are_refused_by_the_hotspot_functions(
    shared_data: Path, land: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        events = gt.read_events(
            shared_data / "polisen_events_api/events_stockholms_lan_2023-03_2026-08.json"
        ).accepted
    assert set(events["location_precision"]) <= {"kommun", "lan"}
    grid = make_grid(land[0], cell_size=500)
    for fn in (count_points, kde):
        with pytest.raises(gt.ConfigError, match="polisens händelser"):
            fn(grid, events)  # type: ignore[operator]
