"""Hotspots over a series of periods: Gi* per cell per period, then a classification.

:func:`gi_star_series` counts the events of each period per cell and computes Gi* for each
period on the same weights, with two-sided p-values adjusted by Benjamini–Hochberg over the
cells of each period (each period is a map of its own). The two classifications take those
results, kept apart because they answer different questions:

- :func:`hotspot_classify`: sfhotspot's rule (persistent, emerging, former, intermittent hot
  and cold spots) — :func:`~geo_trygg.hotspots._classify.classify_hotspot_series`;
- :func:`emerging_hotspots`: Esri-style emerging hot spot analysis (new, consecutive,
  intensifying, persistent, diminishing, sporadic, oscillating, historical) with a
  Mann–Kendall trend per cell — :func:`~geo_trygg.hotspots._emerging.emerging_hotspot_series`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import norm

from geo_trygg._errors import ConfigError
from geo_trygg.hotspots._cells import grid_points
from geo_trygg.hotspots._classify import classify_hotspot_series
from geo_trygg.hotspots._emerging import emerging_hotspot_series
from geo_trygg.hotspots._gistar import binary_weights, gi_star_z, lattice_centres
from geo_trygg.periods import Period, parse_period
from geo_trygg.stats import benjamini_hochberg

__all__ = ["emerging_hotspots", "gi_star_series", "hotspot_classify"]


def _periods(periods: Any) -> list[Period]:
    if isinstance(periods, (str, Period)) or not isinstance(periods, Sequence) or not periods:
        raise ConfigError(
            f"periods={periods!r} must be a list of periods in time order, e.g. "
            "split_period('2024', 'month')"
        )
    parsed = [parse_period(p, name=f"periods[{i}]") for i, p in enumerate(periods)]
    for i, (a, b) in enumerate(itertools.pairwise(parsed)):
        if b.start < a.end:
            raise ConfigError(
                f"periods[{i + 1}] ({b.label}) does not come after periods[{i}] ({a.label}): "
                "the periods must be in time order and must not overlap"
            )
    return parsed


def gi_star_series(
    grid: gpd.GeoDataFrame,
    events: Any,
    *,
    periods: Sequence[Any],
    time_column: str = "time_from",
    distance: float | None = None,
    k: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Counts, Gi* z-scores and BH-adjusted two-sided p-values per cell and period.

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        Cells from :func:`~geo_trygg.hotspots.make_grid`.
    events : geopandas.GeoDataFrame
        Events in the grid's CRS with a time column; only precise locations are used.
    periods : sequence of period-like
        In time order, not overlapping (e.g. ``split_period("2024", "month")``).
    time_column : str, default "time_from"
    distance, k
        Neighbours, as for :func:`~geo_trygg.hotspots.gi_star`.

    Returns
    -------
    (counts, z, p_adjusted) : three pandas.DataFrame
        One row per cell (the grid's index), one column per period label.

    Raises
    ------
    ConfigError
        Bad periods or neighbours, a missing time column, bad events.
    """
    spans = _periods(periods)
    if len(grid) < 3:
        raise ConfigError(f"Gi* needs at least 3 cells; got {len(grid)}")
    placed = grid_points(grid, events, time_column=time_column)
    keys, cell = placed.times, placed.cell
    assert keys is not None
    if k is None and distance is None:
        nominal = grid.attrs.get("grid", {}).get("cell_area_m2")
        distance = 1.5 * math.sqrt(float(nominal or grid.geometry.area.mean()))
    cx, cy = lattice_centres(grid)
    w = binary_weights(cx, cy, distance=distance, k=k)
    labels = [s.label for s in spans]
    counts = np.zeros((len(grid), len(spans)), dtype=np.int64)
    z = np.full((len(grid), len(spans)), np.nan)
    p = np.full((len(grid), len(spans)), np.nan)
    for j, span in enumerate(spans):
        hit = keys.mask(span) & (cell >= 0)
        counts[:, j] = np.bincount(cell[hit], minlength=len(grid))
        z[:, j] = gi_star_z(counts[:, j], w)
        p[:, j] = benjamini_hochberg(
            np.where(np.isnan(z[:, j]), np.nan, 2 * norm.sf(np.abs(z[:, j])))
        )
    frames = [pd.DataFrame(a, index=grid.index, columns=labels) for a in (counts, z, p)]
    for frame in frames:
        frame.attrs["neighbours"] = (
            f"distance band {distance:g} m" if k is None else f"{k} nearest"
        )
    return frames[0], frames[1], frames[2]


def _attach(
    grid: gpd.GeoDataFrame,
    result: pd.DataFrame,
    counts: pd.DataFrame,
    scheme: str,
    parameters: dict[str, Any],
) -> gpd.GeoDataFrame:
    out = grid.copy()
    out["n_total"] = counts.sum(axis=1).to_numpy()
    for column in result.columns:
        out[column] = result[column].to_numpy()
    out.attrs = {
        **grid.attrs,
        scheme: {
            **dict(sorted(result.attrs.get("parameters", {}).items())),
            **parameters,
            "periods": list(counts.columns),
            "neighbours": counts.attrs.get("neighbours"),
            "gi_star": "per period, two-sided p-values, Benjamini-Hochberg over the cells",
        },
    }
    return out


def hotspot_classify(
    grid: gpd.GeoDataFrame,
    events: Any,
    *,
    periods: Sequence[Any],
    time_column: str = "time_from",
    distance: float | None = None,
    k: int | None = None,
    alpha: float = 0.05,
    hotspot_prop: float = 0.1,
    persistent_prop: float = 0.8,
    recent_prop: float = 0.2,
    rule: str = "documented",
) -> gpd.GeoDataFrame:
    """Classify cells over a series of periods by sfhotspot's ``hotspot_classify`` rule.

    Gi* per period (:func:`gi_star_series`), then
    :func:`~geo_trygg.hotspots._classify.classify_hotspot_series` with ``alpha``,
    ``hotspot_prop``, ``persistent_prop``, ``recent_prop`` and ``rule`` (see there).

    Returns
    -------
    geopandas.GeoDataFrame
        The grid with ``n_total`` (events in all periods) and the classification columns
        (``hotspot_class``, counts of hot and cold periods; ``geo_trygg.labels.with_words``
        adds ``hotspot_class_label``);
        ``attrs["hotspot_classify"]`` holds the parameters and the periods.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 500, 500)], crs="EPSG:3006"), cell_size=100)
    >>> days = pd.date_range("2024-01-01", periods=10, freq="31D", tz="Europe/Stockholm")
    >>> block = [(150 + 100 * c, 150 + 100 * r) for r in range(3) for c in range(3)]
    >>> rows = [(d, x, y) for d in days for x, y in block for _ in range(5)]  # every period
    >>> ev = gpd.GeoDataFrame({"time_from": [r[0] for r in rows]},
    ...     geometry=gpd.points_from_xy([r[1] for r in rows], [r[2] for r in rows]),
    ...     crs="EPSG:3006")
    >>> months = [f"{d.year}-{d.month:02d}" for d in days]
    >>> out = hotspot_classify(grid, ev, periods=months)
    >>> out.loc[12, "hotspot_class"], int(out.loc[12, "n_total"])
    ('persistent_hotspot', 50)
    """
    counts, z, p = gi_star_series(
        grid, events, periods=periods, time_column=time_column, distance=distance, k=k
    )
    result = classify_hotspot_series(
        z,
        p,
        alpha=alpha,
        hotspot_prop=hotspot_prop,
        persistent_prop=persistent_prop,
        recent_prop=recent_prop,
        rule=rule,
    )
    return _attach(grid, result, counts, "hotspot_classify", {"scheme": "sfhotspot"})


def emerging_hotspots(
    grid: gpd.GeoDataFrame,
    events: Any,
    *,
    periods: Sequence[Any],
    time_column: str = "time_from",
    distance: float | None = None,
    k: int | None = None,
    alpha: float = 0.05,
    trend_alpha: float | None = None,
) -> gpd.GeoDataFrame:
    """Esri-style emerging hot spot analysis of cells over a series of periods.

    Gi* per period (:func:`gi_star_series`), then
    :func:`~geo_trygg.hotspots._emerging.emerging_hotspot_series` (patterns and the
    Mann–Kendall trend of each cell's z-scores; see there for every rule).

    Returns
    -------
    geopandas.GeoDataFrame
        The grid with ``n_total`` and the pattern columns (``pattern``, ``trend_s``,
        ``trend_tau``, ``trend_z``, ``trend_p``, counts of hot and cold periods;
        ``geo_trygg.labels.with_words`` adds ``pattern_label``);
        ``attrs["emerging_hotspots"]`` holds the parameters and the periods.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 500, 500)], crs="EPSG:3006"), cell_size=100)
    >>> days = pd.date_range("2024-01-01", periods=10, freq="31D", tz="Europe/Stockholm")
    >>> spread = [(d, 50 + 100 * (i % 5), 50 + 100 * (i // 5)) for d in days for i in range(25)]
    >>> block = [(150 + 100 * c, 150 + 100 * r) for r in range(3) for c in range(3)]
    >>> late = [(days[-1], x, y) for x, y in block for _ in range(5)]  # the last period only
    >>> rows = spread + late
    >>> ev = gpd.GeoDataFrame({"time_from": [r[0] for r in rows]},
    ...     geometry=gpd.points_from_xy([r[1] for r in rows], [r[2] for r in rows]),
    ...     crs="EPSG:3006")
    >>> months = [f"{d.year}-{d.month:02d}" for d in days]
    >>> emerging_hotspots(grid, ev, periods=months).loc[12, "pattern"]
    'new_hotspot'
    """
    counts, z, p = gi_star_series(
        grid, events, periods=periods, time_column=time_column, distance=distance, k=k
    )
    result = emerging_hotspot_series(z, p, alpha=alpha, trend_alpha=trend_alpha)
    return _attach(grid, result, counts, "emerging_hotspots", {"scheme": "Esri emerging"})
