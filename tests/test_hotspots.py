"""Hotspot grids, counts, KDE, Gi*, change and concentration on hand-made data."""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely
from esda.getisord import G_Local
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from shapely.geometry import box

from geo_trygg import ConfigError, CRSMismatchError, GeoTryggWarning
from geo_trygg.hotspots import (
    auto_cell_size,
    cell_change,
    cell_concentration,
    count_points,
    gi_star,
    kde,
    locate,
    lorenz_curve,
    make_grid,
)
from geo_trygg.labels import with_words

CRS = "EPSG:3006"


def _area(*boxes: tuple[float, float, float, float]) -> gpd.GeoSeries:
    return gpd.GeoSeries([box(*b) for b in boxes], crs=CRS)


def _points(x: list[float], y: list[float], **columns: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=CRS)


# --- grids ----------------------------------------------------------------------------------


def test_square_grid_is_clipped_to_land_with_centres_on_land() -> None:
    # an L-shaped area: 300 x 100 plus 100 x 100 on top of the first cell, and a square
    # 300..350 x 0..50 that adds a quarter cell; water takes away the lower left 40 x 40
    # corner and a 20 x 20 pond over the centre of the third cell
    area = _area((0, 0, 300, 100), (0, 100, 100, 200), (300, 0, 350, 50))
    water = _area((0, 0, 40, 40), (240, 40, 260, 60))
    grid = make_grid(area, cell_size=100, water=water)
    assert grid["cell_id"].tolist() == [
        "100mN0E0",
        "100mN0E100",
        "100mN0E200",
        "100mN0E300",
        "100mN100E0",
    ]
    # land in each cell, by hand
    assert grid["area_m2"].tolist() == [8_400.0, 10_000.0, 9_600.0, 2_500.0, 10_000.0]
    assert grid.geometry.area.tolist() == pytest.approx(grid["area_m2"].tolist())
    # centres: the square's where it is on land; else a point of the clipped cell
    assert grid.loc[[0, 1, 4], ["x", "y"]].values.tolist() == [[50, 50], [150, 50], [50, 150]]
    land = shapely.difference(shapely.union_all(area.to_numpy()), shapely.union_all(water))
    assert shapely.contains_xy(land, grid["x"], grid["y"]).all()
    assert (grid.loc[2, "x"], grid.loc[2, "y"]) != (250, 50)
    assert grid.attrs["grid"]["cell_size_rule"] == "given"
    assert grid.crs.to_epsg() == 3006


def test_grid_is_aligned_to_multiples_of_the_cell_size() -> None:
    grid = make_grid(_area((1_030, 2_070, 1_370, 2_290)), cell_size=100)
    # squares with lower-left corners at whole hundreds: x 1000..1300, y 2000..2200
    assert sorted(set(grid["col"])) == [0, 1, 2, 3]
    assert sorted(set(grid["row"])) == [0, 1, 2]
    assert grid.attrs["grid"]["origin"] == [1000, 2000]
    assert grid["cell_id"].iloc[0] == "100mN2000E1000"
    assert grid["area_m2"].sum() == pytest.approx(340 * 220)


def test_automatic_cell_size_and_guards() -> None:
    assert auto_cell_size(box(0, 0, 25_000, 31_000)) == 500  # 25,000 / 50
    assert auto_cell_size(box(0, 0, 7_000, 9_000)) == 100  # 140 -> nearest of 100, 200
    assert auto_cell_size(box(0, 0, 6_000, 9_000)) == 100  # 120
    assert auto_cell_size(box(0, 0, 11_000, 9_000)) == 200  # 180
    grid = make_grid(_area((0, 0, 5_000, 4_000)))
    assert grid.attrs["grid"]["cell_size_m"] == 100  # 4,000 / 50 = 80 -> 100
    assert grid.attrs["grid"]["cell_size_rule"] == "automatic"
    assert len(grid) == 50 * 40
    assert grid["area_m2"].sum() == pytest.approx(5_000 * 4_000)
    for bad in (0, -5, float("nan"), "100"):
        with pytest.raises(ConfigError, match="cell_size"):
            make_grid(_area((0, 0, 1000, 1000)), cell_size=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="mindre än en cell"):
        make_grid(_area((0, 0, 50, 50)), cell_size=100)
    with pytest.raises(ConfigError, match="cell_size=200"):  # 1e8 m2 / 3000 -> 182.6 -> 200
        make_grid(_area((0, 0, 10_000, 10_000)), cell_size=10, max_cells=3_000)
    with pytest.warns(GeoTryggWarning, match="100 000"):
        make_grid(_area((0, 0, 40_000, 40_000)), cell_size=100)  # 160,000 cells
    with pytest.raises(ConfigError, match="grid_type"):
        make_grid(_area((0, 0, 1000, 1000)), grid_type="hex")
    with pytest.raises(ConfigError, match="projected"):
        make_grid(gpd.GeoSeries([box(18, 59, 18.1, 59.1)], crs="EPSG:4326"), cell_size=100)


def test_h3_grid_cells_cover_the_area_by_their_centres() -> None:
    area = _area((670_000, 6_575_000, 674_000, 6_579_000))  # central Stockholm, 16 km2
    grid = make_grid(area, grid_type="h3", h3_resolution=9)
    assert grid.attrs["grid"]["h3_resolution"] == 9
    # the figure: about 79,000 m2 per resolution-9 cell at Stockholm's latitude
    assert 75_000 < grid.attrs["grid"]["cell_area_m2"] < 84_000
    assert shapely.contains_xy(area.iloc[0], grid["x"], grid["y"]).all()
    # the clipped hexagons cover the area exactly, without overlaps
    assert grid["area_m2"].sum() == pytest.approx(16e6, rel=1e-6)
    assert shapely.union_all(grid.geometry.to_numpy()).area == pytest.approx(16e6, rel=1e-6)
    # 16 km2 / ~0.08 km2 is about 200 cells, and a ring of clipped ones
    assert 190 < len(grid) < 280
    assert grid["cell_id"].is_unique
    # every point in the area's interior is in exactly one cell, found by H3's index
    rng = np.random.default_rng(1)
    x = rng.uniform(671_000, 673_000, 200)
    y = rng.uniform(6_576_000, 6_578_000, 200)
    cell = locate(grid, x, y)
    assert (cell >= 0).all()
    polygons = grid.geometry.to_numpy()
    assert shapely.dwithin(polygons[cell], shapely.points(x, y), 1e-6).all()
    auto = make_grid(area, grid_type="h3")  # 4,000 / 50 = 80 m -> 6,400 m2 -> resolution 10
    assert auto.attrs["grid"]["h3_resolution"] == 10


# --- counts ---------------------------------------------------------------------------------


def test_counts_by_hand_with_edges_and_weights() -> None:
    grid = make_grid(_area((0, 0, 200, 200)), cell_size=100)
    # cell order: (row 0: E0, E100), (row 1: E0, E100)
    pts = _points(
        [10, 100, 199.9, 50, 100, 500, 50],
        [10, 10, 10, 150, 100, 500, 50],
        severity=[1, 2, 3, 4, 5, 6, 7],
        location_precision=["exact", "exact", "address", "exact", "exact", "exact", "kommun"],
    )
    with pytest.warns(GeoTryggWarning, match="1 av 7"):
        counted = count_points(grid, pts, weight="severity")
    # x=100 on the shared edge goes east; (100, 100) is the corner: north-east cell
    assert counted["n"].tolist() == [1, 2, 1, 1]
    assert counted["weight"].tolist() == [1.0, 5.0, 4.0, 5.0]
    c = counted.attrs["counts"]
    assert (c["n_in_cells"], c["n_outside_grid"], c["n_coarse"]) == (5, 1, 1)
    assert (
        c["n_input"] == c["n_in_cells"] + c["n_outside_grid"] + c["n_coarse"] + c["n_no_geometry"]
    )
    other = pts.to_crs("EPSG:3011")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)  # the kommun point, as above
        with pytest.raises(CRSMismatchError):
            count_points(grid, other)


@settings(max_examples=40, deadline=None)
@given(
    xy=st.lists(
        st.tuples(
            st.floats(-50, 450, allow_subnormal=False), st.floats(-50, 350, allow_subnormal=False)
        ),
        max_size=40,
    ),
    size=st.sampled_from([25, 50, 100]),
)
def test_counts_agree_with_polygon_containment(xy: list, size: int) -> None:
    grid = make_grid(_area((0, 0, 400, 300)), cell_size=size)
    x = np.array([p[0] for p in xy])
    y = np.array([p[1] for p in xy])
    cell = locate(grid, x, y)
    # a second method: the cells whose closed polygon holds the point; on an edge the one to
    # the east/north (largest lower-left corner) of those
    polys = grid.geometry.to_numpy()
    for i in range(len(x)):
        holders = np.flatnonzero(shapely.intersects_xy(polys, x[i], y[i]))
        if len(holders) == 0:
            assert cell[i] == -1
        else:
            corners = grid.iloc[holders][["x", "y"]].to_numpy()
            best = holders[np.lexsort((corners[:, 0], corners[:, 1]))[-1]]
            east_north = (x[i] < 400) and (y[i] < 300)
            assert cell[i] == (best if east_north else cell[i])
            assert cell[i] in holders


# --- KDE --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_kde_integrates_to_the_number_of_events(kernel: str) -> None:
    grid = make_grid(_area((0, 0, 2_000, 2_000)), cell_size=20)
    rng = np.random.default_rng(3)
    pts = _points(list(rng.uniform(600, 1_400, 50)), list(rng.uniform(600, 1_400, 50)))
    dens = kde(grid, pts, bandwidth=150, kernel=kernel)
    cell_km2 = 20 * 20 / 1e6
    assert float((dens["density"] * cell_km2).sum()) == pytest.approx(50, rel=0.01)
    # half of a kernel falls outside the grid for a point on its edge
    edge = kde(grid, _points([1_000], [0.001]), bandwidth=150, kernel=kernel)
    assert float((edge["density"] * cell_km2).sum()) == pytest.approx(0.5, abs=0.02)


def test_kde_value_by_hand_and_weights() -> None:
    grid = make_grid(_area((0, 0, 300, 100)), cell_size=100)
    # one point at the first cell's centre; h = 150: the kernel at d = 0 and d = 100
    pts = _points([50], [50], w=[2.0])
    dens = kde(grid, pts, bandwidth=150, kernel="quartic", weight="w")
    k0 = 3 / (math.pi * 150**2) * 1e6 * 2
    k100 = 3 / (math.pi * 150**2) * (1 - (100 / 150) ** 2) ** 2 * 1e6 * 2
    assert dens["density"].tolist() == pytest.approx([k0, k100, 0.0])
    g = kde(grid, pts, bandwidth=60, kernel="gaussian")
    assert g["density"].iloc[1] == pytest.approx(
        1e6 / (2 * math.pi * 60**2) * math.exp(-(100**2) / (2 * 60**2))
    )
    # a hexagon grid goes the general way (KD-tree) and must give the same kernel values
    hexes = make_grid(_area((0, 0, 3_000, 3_000)), grid_type="h3", h3_resolution=9)
    one = _points([1_500], [1_500])
    dh = kde(hexes, one, bandwidth=400)
    d2 = (hexes["x"] - 1_500) ** 2 + (hexes["y"] - 1_500) ** 2
    want = np.where(d2 < 400**2, 3 / (math.pi * 400**2) * (1 - d2 / 400**2) ** 2 * 1e6, 0)
    assert dh["density"].to_numpy() == pytest.approx(want)
    with pytest.raises(ConfigError, match="kernel"):
        kde(grid, pts, kernel="epanechnikov")
    with pytest.raises(ConfigError, match="bandwidth"):
        kde(grid, pts, bandwidth=0)


# --- Gi* ----------------------------------------------------------------------------------------


def test_gi_star_on_a_hand_computed_3x3_grid() -> None:
    grid = make_grid(_area((0, 0, 300, 300)), cell_size=100)
    # values 1..9 by row from the bottom: row 0 = 1 2 3, row 1 = 4 5 6, row 2 = 7 8 9
    grid["n"] = (grid["row"] * 3 + grid["col"] + 1).astype(float)
    out = gi_star(grid, fdr=False).set_index("cell_id")
    # by hand: n = 9, mean 5, mean of squares 285 / 9, S = sqrt(285/9 - 25) = sqrt(20/3)
    s = math.sqrt(20 / 3)

    def z(total: float, w: int) -> float:
        return (total - 5 * w) / (s * math.sqrt((9 * w - w * w) / 8))

    # corner (value 1): itself, 2, 4, 5 -> sum 12 over W = 4
    assert out.loc["100mN0E0", "gi_z"] == pytest.approx(z(12, 4), abs=1e-12)  # -1.9596
    assert z(12, 4) == pytest.approx(-1.959592, abs=1e-6)
    # edge (value 2): 1 2 3 4 5 6 -> 21 over W = 6
    assert out.loc["100mN0E100", "gi_z"] == pytest.approx(z(21, 6), abs=1e-12)  # -2.3238
    # the opposite corner (9): 5 6 8 9 -> 28 over 4
    assert out.loc["100mN200E200", "gi_z"] == pytest.approx(z(28, 4), abs=1e-12)
    # the centre has every cell as neighbour: no contrast, NaN and not significant
    assert np.isnan(out.loc["100mN100E100", "gi_z"])
    assert out.loc["100mN100E100", "hotspot"] == "not_significant"
    # two-sided p of z = -2.3238 is 0.0201; unadjusted: cold at 95 %
    assert out.loc["100mN0E100", "p_value"] == pytest.approx(0.020137, abs=1e-5)
    assert out.loc["100mN0E100", "hotspot"] == "cold_95"
    assert out.loc["100mN0E0", "hotspot"] == "cold_90"  # p = 0.0500 > 0.05
    assert out["n_neighbours"].tolist() == [4, 6, 4, 6, 9, 6, 4, 6, 4]


def test_gi_star_equals_esda_on_real_sized_weights() -> None:
    grid = make_grid(_area((0, 0, 10_000, 8_000)), cell_size=100)  # 8,000 cells
    rng = np.random.default_rng(11)
    grid["n"] = rng.poisson(3.0, len(grid)) + (rng.random(len(grid)) < 0.02) * 20
    ours = gi_star(grid, distance=150, fdr=False)
    w = libpysal.weights.DistanceBand(
        grid[["x", "y"]].to_numpy(), threshold=150, binary=True, silence_warnings=True
    )
    esda = G_Local(grid["n"].to_numpy(dtype=float), w, star=True, transform="B", permutations=0)
    np.testing.assert_allclose(ours["gi_z"].to_numpy(), esda.Zs, rtol=0, atol=1e-9)
    # esda's p_norm is one-sided: ours is twice it
    np.testing.assert_allclose(ours["p_value"].to_numpy(), 2 * esda.p_norm, rtol=1e-9)
    knn = gi_star(grid, k=8, fdr=False)
    wk = libpysal.weights.KNN(grid[["x", "y"]].to_numpy(), k=8)
    ek = G_Local(grid["n"].to_numpy(dtype=float), wk, star=True, transform="B", permutations=0)
    # ties at equal distances may pick different 8th neighbours: compare where both agree
    same = np.array(
        [
            set(wk.neighbors[i]) | {i} == set(np.flatnonzero(row))
            for i, row in enumerate(_dense_rows(knn, grid))
        ]
    )
    assert same.mean() > 0.5
    np.testing.assert_allclose(knn["gi_z"].to_numpy()[same], ek.Zs[same], atol=1e-9)


def _dense_rows(result: gpd.GeoDataFrame, grid: gpd.GeoDataFrame) -> list[np.ndarray]:
    from geo_trygg.hotspots._gistar import binary_weights

    w = binary_weights(grid["x"].to_numpy(), grid["y"].to_numpy(), k=8).tocsr()
    return [w[i].toarray().ravel() for i in range(w.shape[0])]


def test_gi_star_labels_come_from_z_not_counts_and_bh_adjusts() -> None:
    grid = make_grid(_area((0, 0, 1_000, 1_000)), cell_size=100)
    grid["n"] = 5
    block = (grid["row"].between(4, 6)) & (grid["col"].between(4, 6))
    grid.loc[block, "n"] = 15
    out = gi_star(grid)
    assert "hotspot_label" not in out.columns  # codes inside, words at the edges
    assert (out.loc[block & (grid["row"] == 5) & (grid["col"] == 5), "hotspot"] == "hot_99").all()
    assert set(out.loc[out["gi_z"] < 0, "hotspot"]) <= {
        "not_significant",
        "cold_90",
        "cold_95",
        "cold_99",
    }
    assert (
        with_words(out, lang="sv")
        .loc[out["hotspot"].str.startswith("hot"), "hotspot_label"]
        .str.startswith("brännpunkt")
        .all()
    )
    # the BH adjustment by hand on the sorted p-values
    p = out["p_value"].to_numpy()
    order = np.argsort(p)
    m = len(p)
    adjusted = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    want = np.empty(m)
    want[order] = np.minimum(adjusted, 1)
    np.testing.assert_allclose(out["p_adjusted"].to_numpy(), want)
    assert out.attrs["gi_star"]["neighbours"] == "distance band 150 m"
    with pytest.raises(ConfigError, match="value"):
        gi_star(grid, value="antal")
    with pytest.raises(ConfigError, match="exactly one"):
        gi_star(grid, distance=150, k=8)
    flat = grid.assign(n=3)
    with pytest.warns(GeoTryggWarning):
        assert (gi_star(flat)["hotspot"] == "not_significant").all()


# --- change, concentration ----------------------------------------------------------------------


def test_cell_change_uses_the_exact_test() -> None:
    grid = make_grid(_area((0, 0, 200, 100)), cell_size=100)
    times = pd.to_datetime(
        ["2024-03-10"] * 20 + ["2024-02-10"] * 6 + ["2024-03-02"] * 3 + ["2024-02-03"] * 4
    ).tz_localize("Europe/Stockholm")
    ev = _points([50] * 26 + [150] * 7, [50] * 33, time_from=times)
    out = cell_change(grid, ev, period="2024-03", compare="previous")
    assert out["n"].tolist() == [20, 3]
    assert out["n_compare"].tolist() == [6, 4]
    assert out["difference"].tolist() == [14, -1]
    assert out["change"].tolist() == pytest.approx([20 - 6 * 31 / 29, 3 - 4 * 31 / 29])
    r = 31 / 29
    p = binomtest(20, 26, r / (1 + r)).pvalue
    q = binomtest(3, 7, r / (1 + r)).pvalue
    # BH over two cells by hand
    want = sorted([p, q])
    adj_small = min(want[0] * 2, want[1])
    assert out["p_value"].tolist() == pytest.approx([p, q])
    assert out["p_adjusted"].iloc[0] == pytest.approx(adj_small if p < q else want[1])
    assert out["change_code"].iloc[0] == ("increase" if adj_small <= 0.05 else "no_clear_change")
    with pytest.raises(ConfigError, match="overlaps"):
        cell_change(grid, ev, period="2024", compare="2024-03")


def test_concentration_and_lorenz_by_hand() -> None:
    cells = pd.DataFrame({"n": [0] * 97 + [1, 1, 8]})  # 10 events in 100 cells
    table = cell_concentration(cells)
    assert table["places"].tolist() == [1, 1, 1]  # 8 >= 2.5, 8 >= 5, 8 >= 8
    assert table["place_share"].tolist() == [0.01, 0.01, 0.01]
    # generalised Gini (events fewer than cells): G = (98·1 + 99·1 + 100·8 - 101·10) / 1000
    gini = (2 * 98 - 101 + 2 * 99 - 101 + (2 * 100 - 101) * 8) / (100 * 10)
    assert table.attrs["generalized_gini"] == pytest.approx(1 - 10 * (1 - gini))
    curve = lorenz_curve(cells)
    assert curve.iloc[:4].values.tolist() == [[0, 0], [0.01, 0.8], [0.02, 0.9], [0.03, 1.0]]
    assert curve.iloc[-1].tolist() == [1.0, 1.0]


def test_police_style_coarse_events_are_refused() -> None:
    grid = make_grid(_area((0, 0, 200, 200)), cell_size=100)
    pts = _points([100, 100], [100, 100], location_precision=["kommun", "lan"])
    for fn in (count_points, kde):
        with pytest.raises(ConfigError, match="exakt plats"):
            fn(grid, pts)  # type: ignore[operator]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        count_points(grid, _points([10], [10]))  # precise: no warning
