"""Gi* over a series of periods and the two classifications, against per-period gi_star; the
FFT path of the KDE against the exact one."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import geo_trygg.hotspots._kde as kde_module
from geo_trygg import ConfigError
from geo_trygg.hotspots import (
    classify_hotspot_series,
    count_points,
    emerging_hotspot_series,
    emerging_hotspots,
    gi_star,
    gi_star_series,
    hotspot_classify,
    kde,
    make_grid,
)
from geo_trygg.lagesbild import split_period

TZ = "Europe/Stockholm"
GRID = make_grid(gpd.GeoSeries([box(0, 0, 1_500, 1_200)], crs="EPSG:3006"), cell_size=100)


def _events(seed: int, n: int = 3_000) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1_500, n)
    y = rng.uniform(0, 1_200, n)
    # a spot that grows through the year
    day = rng.integers(0, 366, n)
    spot = rng.random(n) < day / 366 * 0.3
    x[spot] = rng.normal(700, 60, spot.sum())
    y[spot] = rng.normal(600, 60, spot.sum())
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(day * 24 * 60 + 600, unit="min")
    return gpd.GeoDataFrame(
        {"time_from": pd.DatetimeIndex(times).tz_localize(TZ)},
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:3006",
    )


def test_series_equals_gi_star_period_by_period() -> None:
    events = _events(1)
    months = split_period("2024", "month")
    counts, z, p = gi_star_series(GRID, events, periods=months)
    assert list(z.columns) == [m.label for m in months]
    local_month = events["time_from"].dt.strftime("%Y-%m")
    for month in months:
        subset = events[(local_month == month.label).to_numpy()]
        one = gi_star(count_points(GRID, subset))
        assert counts[month.label].tolist() == one["n"].tolist()
        np.testing.assert_allclose(z[month.label], one["gi_z"], atol=1e-12)
        np.testing.assert_allclose(p[month.label], one["p_adjusted"], atol=1e-12)
    classes = hotspot_classify(GRID, events, periods=months)
    want = classify_hotspot_series(z, p)
    assert classes["hotspot_class"].tolist() == want["hotspot_class"].tolist()
    assert classes["n_total"].tolist() == counts.sum(axis=1).tolist()
    assert classes.attrs["hotspot_classify"]["periods"] == [m.label for m in months]
    patterns = emerging_hotspots(GRID, events, periods=months)
    want_e = emerging_hotspot_series(z, p)
    assert patterns["pattern"].tolist() == want_e["pattern"].tolist()
    # the growing spot: its centre is hot at the end of the year, with an upward trend
    centre = GRID.index[(GRID["row"] == 6) & (GRID["col"] == 7)][0]
    assert patterns.loc[centre, "trend_z"] > 0
    assert patterns.loc[centre, "pattern"].endswith("hotspot")


def test_periods_must_be_in_order() -> None:
    events = _events(2, n=200)
    with pytest.raises(ConfigError, match="time order"):
        gi_star_series(GRID, events, periods=["2024-03", "2024-02"])
    with pytest.raises(ConfigError, match="periods"):
        gi_star_series(GRID, events, periods="2024")
    with pytest.raises(ConfigError, match="time order"):
        hotspot_classify(GRID, events, periods=["2024", "2024-06"])


def test_kde_by_fft_agrees_with_the_exact_sum(monkeypatch: pytest.MonkeyPatch) -> None:
    events = _events(3, n=4_000)
    exact = kde(GRID, events, bandwidth=250)
    monkeypatch.setattr(kde_module, "_EXACT_LIMIT", 0)
    by_fft = kde(GRID, events, bandwidth=250)
    top = exact["density"].max()
    assert np.abs(by_fft["density"] - exact["density"]).max() <= 0.01 * top
    gauss = kde(GRID, events, bandwidth=80, kernel="gaussian")
    monkeypatch.setattr(kde_module, "_EXACT_LIMIT", 10**12)
    gauss_exact = kde(GRID, events, bandwidth=80, kernel="gaussian")
    assert (
        np.abs(gauss["density"] - gauss_exact["density"]).max()
        <= 0.01 * gauss_exact["density"].max()
    )
