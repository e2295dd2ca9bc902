"""Esri-style emerging hot spot analysis of a series of periods, with the Mann–Kendall test.

Input is a matrix of Getis-Ord Gi* results, one row per cell and one column per period (oldest
first): z-scores ``z`` and the p-values ``p`` that decide significance. A cell-period is a
significant **hot** spot when ``p <= alpha`` and ``z > 0``, a significant **cold** spot when
``p <= alpha`` and ``z < 0``. Each cell's z-score series is also tested for a monotonic trend
with the Mann–Kendall test (Esri applies it to the Gi* z-scores of each location over time).
The pattern names and definitions follow Esri's "How Emerging Hot Spot Analysis works"
(ArcGIS Pro, Space Time Pattern Mining toolbox:
https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm;
read in its current edition at
https://doc.arcgis.com/ja/allsource/latest/analysis/geoprocessing-tools/space-time-pattern-mining/learnmoreemerging.htm
and in the earlier English wording of Pro 2.x). Python has no open implementation of this
classification (esda issue #221); sfdep (R) has one that departs from the page in places
(noted below). Esri's own tool computes Gi* with a space-time neighbourhood; here the caller's
per-period Gi* results are classified as given.

Definitions (Esri), as implemented
----------------------------------
``n`` periods; ``H`` = significant hot periods, ``C`` = significant cold periods; "at least
90 %" means ``10 * H >= 9 * n`` (whole numbers, no rounding), "less than 90 %" its complement;
the final run is the unbroken run of hot periods that ends with the final period. The trend is
*significant* when the Mann–Kendall two-sided p-value is ``<= trend_alpha`` (default
``alpha``); its direction is the sign of ``S``.

When the **final period is hot**:

- at least 90 % hot (Esri: "hot spot for ninety percent of the time-step intervals"):

  - **intensifying hot spot**: significant upward trend ("intensity of clustering … increasing
    overall and that increase is statistically significant");
  - **diminishing hot spot**: significant downward trend;
  - **persistent hot spot**: no significant trend ("no discernible trend");

- less than 90 % hot:

  - **new hot spot**: the final period is the only hot one ("never been a statistically
    significant hot spot before");
  - **consecutive hot spot**: all hot periods form the final run, of at least two periods
    ("a single uninterrupted run of at least two … in the final time-step intervals", "never
    … a hot spot prior to the final hot spot run", "less than ninety percent");
  - **sporadic hot spot**: hot also before the final run, never cold ("on-again and
    off-again", "none of the time-step intervals … cold spots"; the current page also requires
    the final period to be hot);
  - **oscillating hot spot**: hot also before the final run, and cold in some earlier period
    ("a history of also being a statistically significant cold spot during a prior time
    step").

When the **final period is cold**: the same with hot and cold swapped; an *intensifying* cold
spot has a significant *downward* trend of z (clustering of low values getting stronger), a
*diminishing* cold spot a significant upward one.

When the final period is **neither**: **historical hot spot** when at least 90 % of periods are
hot ("the most recent time period is not hot, but at least ninety percent … hot"),
**historical cold spot** likewise, else **no pattern**.

Choices where the page is silent (the definitions overlap; Esri's categories are exclusive):

- Order: the page's table order — new and consecutive before oscillating — so earlier *cold*
  periods do not stop a new or consecutive hot spot (the page excludes cold only for sporadic).
  sfdep instead requires no significant period at all before a new or consecutive run.
- A location hot in at least 90 % of periods whose final period is not hot is *historical*
  whatever its trend; *persistent* needs the final period hot (sfdep checks persistent first).
- A pattern of the final period (e.g. new cold spot) wins over *historical* of the other sign.
  This keeps the rule symmetric: negating every z turns each hot pattern into the matching
  cold pattern.
- Missing values: a cell-period with NaN ``z`` or ``p`` is not significant; the trend test uses
  the cell's periods with a z-score. A trend that cannot be computed (fewer than two z-scores,
  or all equal) is reported as NaN and counts as not significant.

Mann–Kendall test
-----------------
For a series ``x_1 … x_m`` (periods with a z-score, in time order):
``S = Σ_{i<j} sign(x_j − x_i)``;
``Var(S) = [m(m−1)(2m+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18`` over groups of ``t_g`` equal values
(ties: exact equality); ``Z = (S − 1)/√Var`` for ``S > 0``, ``(S + 1)/√Var`` for ``S < 0``,
``0`` for ``S = 0`` (continuity correction); two-sided ``p = 2(1 − Φ(|Z|))``. ``tau`` is
Kendall's tau-b of the series against time, ``S / √(n0 (n0 − n1))`` with ``n0 = m(m−1)/2`` and
``n1 = Σ_g t_g(t_g−1)/2`` (Mann 1945; Kendall 1975; as R's ``Kendall::MannKendall``).

Patterns
--------
=====================  ==========================  ======================
code                   sv                          en
=====================  ==========================  ======================
new_hotspot            ny brännpunkt               new hot spot
consecutive_hotspot    brännpunkt i följd          consecutive hot spot
intensifying_hotspot   tilltagande brännpunkt      intensifying hot spot
persistent_hotspot     ihållande brännpunkt        persistent hot spot
diminishing_hotspot    avtagande brännpunkt        diminishing hot spot
sporadic_hotspot       sporadisk brännpunkt        sporadic hot spot
oscillating_hotspot    växlande brännpunkt         oscillating hot spot
historical_hotspot     historisk brännpunkt        historical hot spot
(… same for coldspot)  (… kall punkt)              (… cold spot)
no_pattern             inget mönster               no pattern detected
=====================  ==========================  ======================

References
----------
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13(3), 245–259.

Kendall, M. G. (1975). *Rank Correlation Methods*, 4th ed. London: Griffin.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.hotspots._classify import _check_fraction, series_inputs, significant

__all__ = ["EMERGING_PATTERNS", "emerging_hotspot_series", "mann_kendall"]

_KINDS = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
EMERGING_PATTERNS = (
    *(f"{kind}_hotspot" for kind in _KINDS),
    *(f"{kind}_coldspot" for kind in _KINDS),
    "no_pattern",
)
"""Codes of :func:`emerging_hotspot_series`; their words:
:func:`geo_trygg.labels.emerging_pattern_names`."""


# --- Mann–Kendall -------------------------------------------------------------------------------


def _mann_kendall(x: np.ndarray) -> dict[str, np.ndarray]:
    """Row-wise Mann–Kendall on a 2-D float array (NaN = missing); see the module docstring."""
    rows, n = x.shape
    s = np.zeros(rows)
    with np.errstate(invalid="ignore"):
        for lag in range(1, n):
            s += np.nansum(np.sign(x[:, lag:] - x[:, :-lag]), axis=1)
    # sizes of groups of equal values per row (NaN sorts last and is in no group)
    ordered = np.sort(x, axis=1)
    valid = ~np.isnan(ordered)
    start = valid.copy()
    start[:, 1:] &= ordered[:, 1:] != ordered[:, :-1]
    group = np.cumsum(start, axis=1) - 1
    flat = (np.arange(rows)[:, None] * n + group)[valid]
    t = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(float)
    m = valid.sum(axis=1).astype(float)
    var = (m * (m - 1) * (2 * m + 5) - (t * (t - 1) * (2 * t + 5)).sum(axis=1)) / 18
    n0 = m * (m - 1) / 2
    n1 = (t * (t - 1) / 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = np.sqrt(n0 * (n0 - n1))
        tau = np.where(denominator > 0, s / denominator, np.nan)
        z = np.where(var > 0, (s - np.sign(s)) / np.sqrt(var), np.nan)
    p = 2 * norm.sf(np.abs(z))
    return {"n": m.astype(np.int64), "s": s, "var_s": var, "tau": tau, "z": z, "p": p}


def mann_kendall(values: Any) -> pd.DataFrame:
    """The Mann–Kendall trend test of each row of ``values`` against time.

    Parameters
    ----------
    values : array-like or pandas.DataFrame
        One series (1-D) or one series per row (2-D), in time order; NaN values are left out.

    Returns
    -------
    pandas.DataFrame
        One row per series (on a DataFrame's index): ``n`` (values used), ``s``, ``var_s``
        (with the tie correction), ``tau`` (Kendall's tau-b against time), ``z`` (with the
        continuity correction) and ``p`` (two-sided). ``tau``, ``z`` and ``p`` are NaN when
        there are fewer than two values or all are equal. Formulas in the module docstring.

    Raises
    ------
    ConfigError
        When ``values`` is not numeric, not 1-D or 2-D, or holds infinities.

    Examples
    --------
    ``1, 3, 2, 4``: of the six pairs five increase and one decreases, so ``S = 4``;
    ``Var(S) = 4·3·13/18``:

    >>> mk = mann_kendall([1.0, 3.0, 2.0, 4.0])
    >>> float(mk["s"].iloc[0]), round(float(mk["var_s"].iloc[0]), 4)
    (4.0, 8.6667)
    >>> round(float(mk["z"].iloc[0]), 4), round(float(mk["tau"].iloc[0]), 4)
    (1.019, 0.6667)
    """
    index = values.index if isinstance(values, pd.DataFrame) else None
    try:
        if isinstance(values, pd.DataFrame):
            array = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError("values must hold numbers (one series per row)") from exc
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise ConfigError(f"values must be 1-D or 2-D; got shape {array.shape}")
    if np.isinf(array).any():
        raise ConfigError("values must be finite (or NaN for missing); got an infinity")
    result = pd.DataFrame(_mann_kendall(array), index=index)
    return result


def _max_trend_p(n: int) -> float:
    """The smallest two-sided Mann–Kendall p-value possible with ``n`` untied values."""
    s = n * (n - 1) / 2
    var = n * (n - 1) * (2 * n + 5) / 18
    return float(2 * norm.sf((s - 1) / np.sqrt(var)))


# --- the classification -------------------------------------------------------------------------


def _final_run(flags: np.ndarray) -> np.ndarray:
    """Length of the unbroken run of True that ends with the final column, per row."""
    return np.cumprod(flags[:, ::-1], axis=1).sum(axis=1)


def _family(
    flags: np.ndarray, other: np.ndarray, n: int, up: np.ndarray, down: np.ndarray
) -> np.ndarray:
    """Pattern kind per row (an index into ``_KINDS``) for rows whose final period is flagged;
    ``up``/``down`` are the significant trends towards stronger/weaker clustering of this
    sign."""
    count = flags.sum(axis=1)
    mostly = 10 * count >= 9 * n
    run = _final_run(flags)
    other_any = other.any(axis=1)
    return np.select(
        [
            mostly & up,
            mostly & down,
            mostly,
            count == 1,
            count == run,
            ~other_any,
        ],
        [2, 4, 3, 0, 1, 5],
        default=6,
    )


def emerging_hotspot_series(
    z: Any,
    p: Any,
    *,
    alpha: float = 0.05,
    trend_alpha: float | None = None,
) -> pd.DataFrame:
    """Classify each cell's series of Gi* results into Esri's emerging hot spot patterns.

    New, consecutive, intensifying, persistent, diminishing, sporadic, oscillating and
    historical hot and cold spots, or no pattern, from the significant hot and cold periods
    and a Mann–Kendall trend test of the cell's z-scores. Every rule, its source and the
    choices where Esri's page is silent are in the module docstring
    (:mod:`geo_trygg.hotspots._emerging`).

    Parameters
    ----------
    z : array-like or pandas.DataFrame, shape (n_cells, n_periods)
        Gi* z-scores, one column per period, oldest first; at least 2 periods. NaN for missing.
        A DataFrame's index is kept on the result.
    p : array-like or pandas.DataFrame, same shape
        The p-values that decide significance (e.g. Benjamini–Hochberg adjusted, two-sided).
        NaN for missing: that cell-period counts as not significant.
    alpha : float, default 0.05
        A cell-period is significant when ``p <= alpha``.
    trend_alpha : float, optional
        The trend is significant when its two-sided p-value is ``<= trend_alpha``; ``alpha``
        by default.

    Returns
    -------
    pandas.DataFrame
        On the index of ``z`` (or ``p``): ``pattern`` (a code of :data:`EMERGING_PATTERNS`),
        (``geo_trygg.labels.with_words`` adds its words, ``pattern_label``), ``n_hot``,
        ``n_cold`` (significant hot and cold periods),
        ``trend_s``, ``trend_tau``, ``trend_z``, ``trend_p`` (Mann–Kendall on the z-scores).
        ``attrs["parameters"]`` holds the parameters and ``n_periods``.

    Raises
    ------
    ConfigError
        For a bad argument (named in the message), before any work.

    Warns
    -----
    GeoTryggWarning
        When there are so few periods that no trend can reach ``trend_alpha`` (e.g. 4 periods
        at 0.05): intensifying and diminishing patterns are then impossible (in the
        session's language, ``geo_trygg.settings.lang``).

    Examples
    --------
    Ten periods; cell 0 is hot only in the last one, cell 1 hot throughout with z rising,
    cell 2 hot in the first nine only:

    >>> import numpy as np
    >>> z = [[0.5] * 9 + [3.0], list(np.linspace(2.5, 7.0, 10)), [3.0] * 9 + [0.4]]
    >>> p = [[0.7] * 9 + [0.01], [0.01] * 10, [0.01] * 9 + [0.7]]
    >>> out = emerging_hotspot_series(z, p)
    >>> out["pattern"].tolist()
    ['new_hotspot', 'intensifying_hotspot', 'historical_hotspot']
    >>> from geo_trygg.labels import with_words
    >>> with_words(out, lang="en")["pattern_label"].iloc[1], float(out["trend_s"].iloc[1])
    ('intensifying hot spot', 45.0)
    """
    alpha = _check_fraction("alpha", alpha, upper_included=False)
    trend_alpha = (
        alpha
        if trend_alpha is None
        else _check_fraction("trend_alpha", trend_alpha, upper_included=False)
    )
    za, pa, index = series_inputs(z, p)
    n = za.shape[1]
    if _max_trend_p(n) > trend_alpha:
        warnings.warn(
            msg("emerging_trend_impossible", n=n, trend_alpha=trend_alpha),
            GeoTryggWarning,
            stacklevel=2,
        )
    hot, cold = significant(za, pa, alpha)
    trend = _mann_kendall(za)
    with np.errstate(invalid="ignore"):
        sig = trend["p"] <= trend_alpha
    rising = sig & (trend["s"] > 0)
    falling = sig & (trend["s"] < 0)
    hot_kind = _family(hot, cold, n, rising, falling)
    cold_kind = _family(cold, hot, n, falling, rising)
    historical = _KINDS.index("historical")
    hot_codes = np.array([f"{k}_hotspot" for k in _KINDS], dtype=object)
    cold_codes = np.array([f"{k}_coldspot" for k in _KINDS], dtype=object)
    codes = np.select(
        [
            hot[:, -1],
            cold[:, -1],
            10 * hot.sum(axis=1) >= 9 * n,
            10 * cold.sum(axis=1) >= 9 * n,
        ],
        [
            hot_codes[hot_kind],
            cold_codes[cold_kind],
            hot_codes[historical],
            cold_codes[historical],
        ],
        default="no_pattern",
    ).astype(object)
    out = pd.DataFrame(
        {
            "pattern": codes,
            "n_hot": hot.sum(axis=1).astype(np.int64),
            "n_cold": cold.sum(axis=1).astype(np.int64),
            "trend_s": trend["s"],
            "trend_tau": trend["tau"],
            "trend_z": trend["z"],
            "trend_p": trend["p"],
        },
        index=index,
    )
    out.attrs["parameters"] = dict(
        sorted(
            {
                "alpha": alpha,
                "method": "Esri emerging hot spot analysis",
                "n_periods": n,
                "share_threshold": 0.9,
                "trend_alpha": trend_alpha,
                "trend_test": "Mann-Kendall on z",
            }.items()
        )
    )
    return out
