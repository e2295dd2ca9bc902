"""The uncertainty of a survey share: the Wilson score interval.

A survey publishes a share ("11 % of the respondents are often worried about crime") and, at
best, how many answered. The share's sampling uncertainty is then known: :func:`wilson_interval`
gives the 95 % Wilson score interval (Wilson 1927), which, unlike the textbook
``p ± 1.96·√(p(1−p)/n)``, stays inside 0–100 % and keeps its coverage for shares near 0 or
100 % and for small samples (Brown, Cai & DasGupta 2001). Where the number of respondents is not
published the interval is unknown (NaN): nothing is guessed.

The interval describes sampling error only, under simple random sampling. A survey weighted
for non-response has a somewhat wider interval; the published figures rarely say by how much.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158), 209–212.

Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
*Statistical Science* 16(2), 101–133.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg

__all__ = ["wilson_interval"]


def wilson_interval(
    share: Any, n: Any, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of shares given in per cent.

    Parameters
    ----------
    share : float or array-like of float
        The published shares in per cent (0–100). NaN gives NaN.
    n : float or array-like of float
        The numbers of respondents the shares are of (the same shape as ``share``, or one
        number for all). NaN or a missing value (respondents not published) gives NaN: the
        uncertainty is unknown.
    confidence : float, default 0.95
        The confidence level, between 0 and 1.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The lower and upper bounds in per cent, float arrays of the broadcast shape of
        ``share`` and ``n``; NaN where the share or the number of respondents is missing.

    Raises
    ------
    ConfigError
        A share outside 0–100, a number of respondents that is not a positive number, or a
        confidence level outside (0, 1).

    Examples
    --------
    Stockholms stads trygghetsmätning 2017: 11 % of 17,669 respondents.

    >>> low, high = wilson_interval(11.0, 17669)
    >>> round(float(low), 2), round(float(high), 2)
    (10.55, 11.47)
    >>> wilson_interval([0.0, 50.0], [10, float("nan")])[1].round(1).tolist()
    [27.8, nan]
    """
    if not (isinstance(confidence, float | int) and 0 < confidence < 1):
        raise ConfigError(msg("stats_err_confidence", value=repr(confidence)))
    p = np.asarray(share, dtype="float64") / 100.0
    count = np.asarray(n, dtype="float64")
    outside = (p < 0) | (p > 1)
    if outside.any():
        raise ConfigError(msg("stats_err_share", value=_first(share, outside)))
    not_counts = (count <= 0) | np.isinf(count)
    if not_counts.any():
        raise ConfigError(msg("stats_err_respondents", value=_first(n, not_counts)))
    z = float(norm.ppf(0.5 + confidence / 2))
    z2n = z * z / count
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * np.sqrt(p * (1 - p) / count + z2n / (4 * count))
    low = np.clip(centre - half, 0.0, 1.0) * 100
    high = np.clip(centre + half, 0.0, 1.0) * 100
    return np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")


def _first(values: Any, bad: np.ndarray) -> str:
    """The first offending value, as given, for a message."""
    flat = np.broadcast_to(np.asarray(values, dtype="float64"), np.shape(bad)).ravel()
    return repr(float(flat[np.flatnonzero(np.ravel(bad))[0]]))
