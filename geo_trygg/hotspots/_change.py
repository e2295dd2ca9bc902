"""Change per cell between two periods: counts, difference and the exact test with BH.

The test and the codes are those of the lägesbild (:func:`geo_trygg.stats.change_table`):
given ``n = current + previous`` events in a cell, ``current ~ Binomial(n, r / (1 + r))`` under
no change (``r`` the ratio of the periods' lengths), two-sided; Benjamini–Hochberg over the
cells with at least ``min_events`` events; the code ``too_few`` below that. The codes become
words at the edges, through :mod:`geo_trygg.labels` (``with_words`` adds ``change_label``).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np

from geo_trygg._errors import ConfigError
from geo_trygg.hotspots._cells import grid_points
from geo_trygg.periods import comparison_period, parse_period
from geo_trygg.stats import MIN_EVENTS, change_table

__all__ = ["cell_change"]


def cell_change(
    grid: gpd.GeoDataFrame,
    events: Any,
    *,
    period: Any,
    compare: Any = "previous",
    time_column: str = "time_from",
    alpha: float = 0.05,
    min_events: int = MIN_EVENTS,
) -> gpd.GeoDataFrame:
    """Counts per cell in a period and its comparison period, and whether they changed.

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        Cells from :func:`~geo_trygg.hotspots.make_grid`.
    events : geopandas.GeoDataFrame
        Events in the grid's CRS with a time column; only precise locations are used.
    period : period-like
        E.g. ``"2024-03"`` (see :func:`geo_trygg.lagesbild.parse_period`).
    compare : {"previous", "previous_year"} or period-like, default "previous"
    time_column : str, default "time_from"
    alpha : float, default 0.05
        False discovery rate at which a change is called.
    min_events : int, default 6
        Cells with fewer events in both periods together are ``too_few`` ("too few to say").

    Returns
    -------
    geopandas.GeoDataFrame
        The grid with ``n``, ``n_compare``, ``difference`` (``n - n_compare``), ``expected``
        (``n_compare`` scaled to the period's length), ``change`` (``n - expected``),
        ``rate_ratio``, ``p_value``, ``p_adjusted`` and ``change_code`` (a code of
        ``geo_trygg.stats.CHANGE_CODES``; ``geo_trygg.labels.with_words`` adds its words,
        ``change_label``); ``attrs["change"]`` holds the periods and counts.

    Raises
    ------
    ConfigError
        Bad periods (also a comparison period that overlaps the period), a missing time
        column, bad points.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> from geo_trygg.hotspots import make_grid
    >>> grid = make_grid(gpd.GeoSeries([box(0, 0, 200, 100)], crs="EPSG:3006"), cell_size=100)
    >>> times = pd.to_datetime(["2024-03-05"] * 12 + ["2024-02-05"] * 2).tz_localize(
    ...     "Europe/Stockholm")
    >>> ev = gpd.GeoDataFrame({"time_from": times},
    ...     geometry=gpd.points_from_xy([50] * 14, [50] * 14), crs="EPSG:3006")
    >>> out = cell_change(grid, ev, period="2024-03")
    >>> out[["n", "n_compare", "change_code"]].values.tolist()
    [[12, 2, 'increase'], [0, 0, 'too_few']]
    """
    main = parse_period(period)
    previous = comparison_period(main, compare)
    if previous is None:
        raise ConfigError("compare=None: a change needs a comparison period")
    if previous.start < main.end and main.start < previous.end:
        raise ConfigError(f"compare={compare!r} ({previous.label}) overlaps period={period!r}")
    placed = grid_points(grid, events, time_column=time_column)
    keys, cell, counts = placed.times, placed.cell, placed.counts
    assert keys is not None
    tallies = []
    for span in (main, previous):
        hit = keys.mask(span) & (cell >= 0)
        tallies.append(np.bincount(cell[hit], minlength=len(grid)).astype(np.int64))
    ratio = main.days / previous.days
    table = change_table(
        tallies[0], tallies[1], exposure_ratio=ratio, alpha=alpha, min_events=min_events
    )
    out = grid.copy()
    out["n"], out["n_compare"] = tallies
    out["difference"] = tallies[0] - tallies[1]
    for column in ("expected", "change", "rate_ratio", "p_value", "p_adjusted"):
        out[column] = table[column].to_numpy()
    out["change_code"] = table["change_code"].to_numpy()
    out.attrs = {
        **grid.attrs,
        "change": {
            "period": main.label,
            "compare": previous.label,
            "exposure_ratio": ratio,
            "test": "exact conditional binomial, two-sided",
            "adjustment": "Benjamini-Hochberg over cells with at least min_events",
            "alpha": alpha,
            "min_events": min_events,
            **counts,
        },
    }
    return out
