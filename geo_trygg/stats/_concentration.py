"""Concentration of events over places: shares of places and the generalised Gini.

Crime concentrates: in most cities a small share of places holds a large share of the events
("the law of crime concentration", Weisburd 2015). Two measures, both over *all* places (areas
or grid cells), those without events included:

- :func:`concentration`: the smallest share of places that holds at least 25 % (50 %, …) of the
  events;
- :func:`generalized_gini`: the Gini coefficient, generalised by Bernasco & Steenbeek (2017) for
  the common case of fewer events than places, where the ordinary Gini overstates concentration
  because an even spread is impossible.

References
----------
Bernasco, W. & Steenbeek, W. (2017). More places than crimes: implications for evaluating the law
of crime concentration at place. *Journal of Quantitative Criminology* 33(3), 451–467.

Weisburd, D. (2015). The law of crime concentration and the criminology of place. *Criminology*
53(2), 133–157.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.stats._change import _numeric

__all__ = ["concentration", "generalized_gini"]


def _place_counts(counts: Any) -> np.ndarray:
    values = np.atleast_1d(_numeric("counts", counts))
    if values.ndim != 1:
        raise ConfigError(f"counts must be one-dimensional; got shape {values.shape}")
    bad = values[~(np.isfinite(values) & (values >= 0))]
    if bad.size:
        raise ConfigError(
            "counts must hold one number >= 0 per place, zero for places without events "
            f"(no missing values); got {bad[0]!r}"
        )
    return values


def concentration(counts: Any, *, shares: Sequence[float] = (0.25, 0.5)) -> pd.DataFrame:
    """The smallest share of places that holds at least a given share of the events.

    Places are ranked by their count, largest first; for each share ``s`` of events asked,
    ``places`` is the smallest number ``k`` of places whose counts add up to at least ``s`` of
    all events, and ``place_share = k / N`` with ``N`` *all* places, those without events
    included (so pass every area or cell, with its zero). Ties between places do not change
    ``k``. A share met within a relative 1e-12 counts as met (rounding in ``s * total``).

    Parameters
    ----------
    counts : array-like or pandas.Series of float
        Events per place (whole counts, or aoristic weights), ``>= 0``, one per place.
    shares : sequence of float, default (0.25, 0.5)
        Shares of events asked, each in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per share asked (in the order given), columns ``event_share`` (the share asked),
        ``places`` (Int64, ``k``), ``place_share`` (``k / N``), ``n_places`` (``N``) and
        ``n_events`` (the total). With no events (or no places) ``places`` is missing,
        ``place_share`` NaN, and ``attrs["reason"]`` says why.

    Raises
    ------
    ConfigError
        A count is missing, negative or infinite, or a share is not in (0, 1].

    Examples
    --------
    >>> concentration([10, 0, 5, 3, 2, 0, 0, 0, 0, 0])
       event_share  places  place_share  n_places  n_events
    0         0.25       1          0.1        10      20.0
    1         0.50       1          0.1        10      20.0
    >>> concentration([10, 0, 5, 3, 2, 0, 0, 0, 0, 0], shares=[0.75, 1.0])["places"].tolist()
    [2, 4]
    """
    values = _place_counts(counts)
    asked = np.atleast_1d(_numeric("shares", shares))
    if asked.ndim != 1 or asked.size == 0 or not ((asked > 0) & (asked <= 1)).all():
        raise ConfigError(f"shares={shares!r} is not allowed; expected numbers in (0, 1]")
    n_places = values.size
    total = float(values.sum())
    places = pd.array([pd.NA] * asked.size, dtype="Int64")
    reason = None
    if n_places == 0:
        reason = msg("stats_no_places")
    elif total == 0:
        reason = msg("stats_no_events")
    else:
        cumulative = np.cumsum(np.sort(values, kind="stable")[::-1])
        needed = asked * total * (1 - 1e-12)
        places = pd.array(np.searchsorted(cumulative, needed, side="left") + 1, dtype="Int64")
    result = pd.DataFrame(
        {
            "event_share": asked,
            "places": places,
            "place_share": places.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            / max(n_places, 1),
            "n_places": n_places,
            "n_events": total,
        }
    )
    if reason is not None:
        result.attrs["reason"] = reason
    return result


def generalized_gini(counts: Any) -> float:
    """The generalised Gini coefficient of Bernasco & Steenbeek (2017).

    The ordinary Gini coefficient compares the Lorenz curve of the counts with perfect
    equality. When there are fewer events ``n`` than places ``N``, perfect equality is
    impossible: at most ``n`` places can have an event, and the most equal distribution puts
    one event in each of ``n`` places. Bernasco & Steenbeek compare with that line of *maximal
    equality given the data* instead:

    ``G' = 1 - max(1, N / n) * (1 - G)``,

    where ``G = sum_i (2 i - N - 1) x(i) / (N * n)`` is the ordinary (population) Gini of the
    counts sorted ascending, ``x(1) <= … <= x(N)`` (``i`` from 1). Equivalently ``G'`` is the
    area between the Lorenz curve and the line of maximal equality, divided by the area under
    that line. ``G' = 0`` when the events are as spread as possible; ``G' = G`` when ``n >= N``.
    Events all in one place give ``G' = 1 - 1/n`` when ``n < N``. (This is the "biased"
    version of the paper, without the small-sample factor ``n / (n - 1)``; it matches
    ``lorenzgini::gini(x, generalized = TRUE, unbiased = FALSE)`` by the same authors.)

    Parameters
    ----------
    counts : array-like or pandas.Series of float
        Events per place, ``>= 0``, one per place, zero for places without events.

    Returns
    -------
    float
        ``G'`` in [0, 1); NaN when there are no events or no places.

    Raises
    ------
    ConfigError
        A count is missing, negative or infinite.

    Examples
    --------
    Ten places, three events in three different places: as equal as three events can be.

    >>> generalized_gini([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    0.0

    The same three events in one place:

    >>> round(generalized_gini([3, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 4)
    0.6667
    """
    values = _place_counts(counts)
    n_places = values.size
    total = float(values.sum())
    if n_places == 0 or total == 0:
        return float("nan")
    ranks = np.arange(1, n_places + 1, dtype=float)
    gini = float(((2 * ranks - n_places - 1) * np.sort(values)).sum() / (n_places * total))
    result = 1.0 - max(1.0, n_places / total) * (1.0 - gini)
    return 0.0 if abs(result) < 1e-12 else result
