"""Gi* with FDR over many seeds: complete spatial randomness and a planted hotspot (slow).

These run in CI (``tools/test.sh`` runs every test) but not in a bare ``pytest`` (marked
``slow``). 200 seeds each.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from scipy.stats import kstest
from shapely.geometry import box

from geo_trygg.hotspots import count_points, gi_star, make_grid

pytestmark = pytest.mark.slow

SEEDS = range(200)
SIDE = 20  # 20 x 20 cells of 100 m
GRID = make_grid(gpd.GeoSeries([box(0, 0, 2_000, 2_000)], crs="EPSG:3006"), cell_size=100)


def _uniform(rng: np.random.Generator, n: int, x0: float, y0: float, w: float) -> tuple:
    return rng.uniform(x0, x0 + w, n), rng.uniform(y0, y0 + w, n)


def _gi(x: np.ndarray, y: np.ndarray) -> gpd.GeoDataFrame:
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:3006")
    return gi_star(count_points(GRID, pts))


def test_complete_spatial_randomness_gives_uniform_p_values_and_few_false_alarms() -> None:
    # cells whose neighbourhoods do not overlap (every third row and column, away from the
    # edge): their p-values are close to independent within a run
    far = GRID.index[(GRID["row"] % 3 == 1) & (GRID["col"] % 3 == 1)]
    pooled, any_flagged = [], 0
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        n = rng.poisson(20 * SIDE * SIDE)  # 20 events per cell on average
        out = _gi(*_uniform(rng, n, 0, 0, 2_000))
        pooled.extend(out.loc[far, "p_value"].tolist())
        any_flagged += bool((out["p_adjusted"] <= 0.05).any())
    p = np.array(pooled)
    assert len(p) == 200 * len(far)
    # uncorrected p-values of a null: uniform (counts are discrete, which the KS test at this
    # size does not detect with 20 events per cell)
    assert kstest(p, "uniform").pvalue > 0.01
    assert abs((p <= 0.05).mean() - 0.05) < 0.015
    # after Benjamini-Hochberg: under complete randomness every flag is false, so the false
    # discovery rate is the share of runs with any flag; BH keeps it at alpha = 0.05 for
    # positively dependent tests. Tolerance: three standard deviations of a share estimated
    # from 200 runs, 3 * sqrt(0.05 * 0.95 / 200) = 0.046.
    assert any_flagged / len(SEEDS) <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 200)


def test_a_planted_block_at_three_times_the_background_is_found() -> None:
    block = (GRID["row"].between(8, 10)) & (GRID["col"].between(8, 10))
    ring = (GRID["row"].between(7, 11)) & (GRID["col"].between(7, 11))
    found, flagged, outside = 0, 0, 0
    for seed in SEEDS:
        rng = np.random.default_rng(1_000 + seed)
        n = rng.poisson(2 * SIDE * SIDE)  # 2 events per cell
        x, y = _uniform(rng, n, 0, 0, 2_000)
        extra = rng.poisson(2 * 2 * 9)  # the block's 9 cells get 2 x 2 more: 3 x background
        bx, by = _uniform(rng, extra, 800, 800, 300)
        out = _gi(np.concatenate([x, bx]), np.concatenate([y, by]))
        hot = (out["p_adjusted"] <= 0.05) & (out["gi_z"] > 0)
        found += bool((hot & block).any())
        flagged += int((out["p_adjusted"] <= 0.05).sum())
        outside += int(((out["p_adjusted"] <= 0.05) & ~ring).sum())
    assert found / len(SEEDS) >= 0.95
    assert outside / flagged <= 0.05
