"""Concentration of events on cells: the Lorenz curve, shares of cells, the generalised Gini.

The same measures as for areas (:func:`geo_trygg.stats.concentration`) on the cells of a
grid, every cell counted, those without events included. For comparison: a 2021 Malmö
University thesis found 0.4 % / 2.3 % / 10.2 % of 250 m cells in built-up areas holding
25 / 50 / 80 % of crime. Where events are fewer than cells the ordinary Gini overstates
concentration; the generalised Gini of Bernasco & Steenbeek (2017) does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg.stats import concentration, generalized_gini

__all__ = ["cell_concentration", "lorenz_curve"]


def _values(cells: Any, value: str) -> np.ndarray:
    if not isinstance(cells, pd.DataFrame) or value not in cells.columns:
        raise ConfigError(
            f"value={value!r} must be a column of the cells (e.g. from count_points)"
        )
    return pd.to_numeric(cells[value], errors="coerce").to_numpy(dtype=float)


def cell_concentration(
    cells: Any, *, value: str = "n", shares: Sequence[float] = (0.25, 0.5, 0.8)
) -> pd.DataFrame:
    """The smallest share of cells holding 25 / 50 / 80 % of the events.

    Parameters
    ----------
    cells : pandas.DataFrame or geopandas.GeoDataFrame
        Every cell of the grid with its count (:func:`~geo_trygg.hotspots.count_points`).
    value : str, default "n"
    shares : sequence of float, default (0.25, 0.5, 0.8)

    Returns
    -------
    pandas.DataFrame
        As :func:`geo_trygg.lagesbild.concentration` (``event_share``, ``places`` — here cells
        —, ``place_share``, ``n_places``, ``n_events``); ``attrs["generalized_gini"]`` holds the
        generalised Gini.

    Examples
    --------
    Ten events in ten cells: one cell holds 25 % and 50 %, two hold 80 % (6 + 2). The Gini is
    ``(3·1 + 5·1 + 7·2 + 9·6) / (10 · 10) = 0.76`` (not generalised: events are not fewer
    than cells).

    >>> cells = pd.DataFrame({"n": [6, 2, 1, 1, 0, 0, 0, 0, 0, 0]})
    >>> table = cell_concentration(cells)
    >>> table["places"].tolist(), table.attrs["generalized_gini"]
    ([1, 1, 2], 0.76)
    """
    values = _values(cells, value)
    table = concentration(values, shares=shares)
    table.attrs["generalized_gini"] = generalized_gini(values)
    return table


def lorenz_curve(cells: Any, *, value: str = "n") -> pd.DataFrame:
    """The Lorenz curve of events over cells, cells ranked from most events to fewest.

    Returns
    -------
    pandas.DataFrame
        ``share_of_cells`` and ``share_of_events`` (cumulative), from (0, 0) to (1, 1): the
        first ``k`` cells (the ``k`` with most events) hold ``share_of_events`` of all events.

    Examples
    --------
    >>> lorenz_curve(pd.DataFrame({"n": [1, 3, 0, 0]})).values.tolist()
    [[0.0, 0.0], [0.25, 0.75], [0.5, 1.0], [0.75, 1.0], [1.0, 1.0]]
    """
    values = _values(cells, value)
    if np.isnan(values).any() or (values < 0).any():
        raise ConfigError(f"value={value!r} must hold counts >= 0 for every cell")
    ranked = np.sort(values, kind="stable")[::-1]
    total = ranked.sum()
    events = np.concatenate([[0.0], np.cumsum(ranked) / total if total > 0 else ranked * 0])
    cells_share = np.arange(len(ranked) + 1) / max(len(ranked), 1)
    return pd.DataFrame({"share_of_cells": cells_share, "share_of_events": events})
