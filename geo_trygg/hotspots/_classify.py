"""Classification of a series of periods by sfhotspot's ``hotspot_classify`` rule.

Input is a matrix of Getis-Ord Gi* results, one row per cell and one column per period (oldest
first): the z-scores ``z`` and the p-values ``p`` that decide significance (the hotspot wrappers
pass Benjamini–Hochberg adjusted two-sided p-values). A cell-period is a **significant hot
spot** when ``p <= alpha`` and ``z > 0`` and a **significant cold spot** when ``p <= alpha``
and ``z < 0`` — never from raw counts. Esri-style emerging hot spot analysis, the second scheme,
is in :mod:`geo_trygg.hotspots._emerging`; the two are kept apart on purpose.

The rule (sfhotspot)
--------------------
The rule is that of ``hotspot_classify()`` in the R package sfhotspot by Matt Ashby, with the
parameters and defaults of ``hotspot_classify_params()``: ``hotspot_prop = 0.1``,
``persistent_prop = 0.8``, ``recent_prop = 0.2``. Sources read: the function's reference page
(https://pkgs.lesscrime.info/sfhotspot/reference/hotspot_classify.html, also in the repository
as ``docs/reference/hotspot_classify.md``), ``R/hotspot_classify_params.R`` and the source
``R/hotspot_classify.R`` (github.com/mpjashby/sfhotspot, commit c36b28a); ``NEWS.md`` of
sfhotspot 1.1.0 (issue #94) says the p-values are no longer adjusted a second time across
periods — here they are used as given.

With ``n`` periods, for hot spots (cold spots the same with cold periods):

1. **Recent periods**: ``k = floor(recent_prop * n)``, computed in floating point as R does
   (``0.2 * 10`` gives 2, ``0.25 * 10`` gives 2, ``0.29 * 100`` gives 28). When ``k < 1`` the
   final period alone is recent (``k = 1``, with a warning, as in sfhotspot). The ``n - k``
   earlier periods are the non-recent ones; ``n >= 2`` so there is at least one of each.
2. Shares of significant hot periods: ``all = hot / n``, ``recent`` over the recent periods,
   ``older`` over the non-recent periods.
3. The first rule that holds, in this order:

   - **persistent**: ``all >= persistent_prop``;
   - **emerging**: ``older < hotspot_prop`` and ``recent >= hotspot_prop``;
   - **former**: ``older >= hotspot_prop`` and ``recent < hotspot_prop``;
   - **intermittent**: ``all >= hotspot_prop``;
   - otherwise no hot pattern.

4. A cell with both a hot and a cold class is ``mixed_hotspot_coldspot`` (sfhotspot's
   "mixed hot/coldspot"); a cell with one of them gets it; a cell with neither
   ``no_pattern``.

Where sfhotspot's code and documentation differ
-----------------------------------------------
``rule="documented"`` (the default) is the rule above, as sfhotspot's reference page states
it. The source (commit c36b28a) differs in two places, and ``rule="sfhotspot_code"``
reproduces it exactly:

- the recent share counts the last ``k + 1`` periods but divides by ``k`` (so it can exceed 1),
  and the period ``n - k`` is counted both as recent and as non-recent;
- *emerging* compares the recent share with ``recent_prop``, not with ``hotspot_prop``.

Significance: with ``rule="documented"`` a period is significant when ``p <= alpha`` (as in
every geo_trygg hotspot function); sfhotspot itself uses ``p < critical_p``, which
``rule="sfhotspot_code"`` follows. The two differ only for a p-value exactly equal to
``alpha``.

Missing values: a cell-period whose ``z`` or ``p`` is NaN counts as not significant (neither hot
nor cold) but stays in the denominators — sfhotspot counts with ``rowSums(na.rm = TRUE)`` and
divides by the number of periods.

Classes
-------
======================  =============================  ==========================
code                    sv                             en
======================  =============================  ==========================
persistent_hotspot      ihållande brännpunkt           persistent hot spot
emerging_hotspot        framväxande brännpunkt         emerging hot spot
former_hotspot          tidigare brännpunkt            former hot spot
intermittent_hotspot    periodvis brännpunkt           intermittent hot spot
persistent_coldspot     ihållande kall punkt           persistent cold spot
emerging_coldspot       framväxande kall punkt         emerging cold spot
former_coldspot         tidigare kall punkt            former cold spot
intermittent_coldspot   periodvis kall punkt           intermittent cold spot
mixed_hotspot_coldspot  både brännpunkt och kall punkt both hot spot and cold spot
no_pattern              inget mönster                  no pattern
======================  =============================  ==========================
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg

__all__ = ["SERIES_CLASSES", "classify_hotspot_series", "recent_period_count"]

SERIES_CLASSES = (
    "persistent_hotspot",
    "emerging_hotspot",
    "former_hotspot",
    "intermittent_hotspot",
    "persistent_coldspot",
    "emerging_coldspot",
    "former_coldspot",
    "intermittent_coldspot",
    "mixed_hotspot_coldspot",
    "no_pattern",
)
"""Codes of :func:`classify_hotspot_series`; their words:
:func:`geo_trygg.labels.series_class_names`."""

RULES = ("documented", "sfhotspot_code")


# --- argument checks shared with _emerging.py ---------------------------------------------------


def _check_fraction(name: str, value: Any, *, upper_included: bool) -> float:
    """``value`` as a float in (0, 1) or (0, 1]; ConfigError naming ``name`` otherwise."""
    allowed = "a number > 0 and <= 1" if upper_included else "a number > 0 and < 1"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ConfigError(f"{name}={value!r} is not allowed; expected {allowed}")
    number = float(value)
    ok = 0 < number <= 1 if upper_included else 0 < number < 1
    if not ok:
        raise ConfigError(f"{name}={value!r} is not allowed; expected {allowed}")
    return number


def _matrix(name: str, values: Any) -> np.ndarray:
    """``values`` as a 2-D float array; ConfigError naming ``name`` otherwise."""
    try:
        if isinstance(values, pd.DataFrame):
            array = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{name} must hold numbers (one row per cell, one column per period)"
        ) from exc
    if array.ndim != 2:
        raise ConfigError(
            f"{name} must be two-dimensional (one row per cell, one column per period); "
            f"got shape {array.shape}"
        )
    return array


def series_inputs(z: Any, p: Any) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Checked ``z`` and ``p`` matrices and the index of the result.

    The index is that of ``z`` when it is a DataFrame, else that of ``p``, else a RangeIndex.
    ConfigError (naming ``z`` or ``p``) for non-numeric or non-2-D input, different shapes,
    fewer than two periods, p-values outside [0, 1], infinite z-scores, or two DataFrames whose
    index or columns differ. NaN is allowed in both.
    """
    if isinstance(z, pd.DataFrame) and isinstance(p, pd.DataFrame):
        if not z.index.equals(p.index):
            raise ConfigError("p must have the same index (cells) as z; align it first")
        if not z.columns.equals(p.columns):
            raise ConfigError("p must have the same columns (periods) as z, in the same order")
    za = _matrix("z", z)
    pa = _matrix("p", p)
    if za.shape != pa.shape:
        raise ConfigError(f"p must have the shape of z {za.shape}; got {pa.shape}")
    if za.shape[1] < 2:
        raise ConfigError(
            f"z must have at least 2 periods (columns) to classify a series; got {za.shape[1]}"
        )
    if np.isinf(za).any():
        raise ConfigError("z must hold finite z-scores (or NaN for missing); got an infinity")
    known = pa[~np.isnan(pa)]
    if ((known < 0) | (known > 1)).any():
        bad = known[(known < 0) | (known > 1)][0]
        raise ConfigError(f"p must hold p-values between 0 and 1 (or NaN); got {bad!r}")
    if isinstance(z, pd.DataFrame):
        index = z.index
    elif isinstance(p, pd.DataFrame):
        index = p.index
    else:
        index = pd.RangeIndex(za.shape[0])
    return za, pa, index


def significant(
    z: np.ndarray, p: np.ndarray, alpha: float, *, strict: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean matrices (hot, cold): ``p <= alpha`` (``p < alpha`` when ``strict``) and the sign
    of ``z``. NaN in either gives neither."""
    with np.errstate(invalid="ignore"):
        sig = p < alpha if strict else p <= alpha
        return sig & (z > 0), sig & (z < 0)


# --- the rule -----------------------------------------------------------------------------------


def recent_period_count(n_periods: int, recent_prop: float = 0.2) -> int:
    """The number of recent periods in sfhotspot's rule: ``floor(recent_prop * n_periods)``,
    at least 1.

    The product is taken in floating point as sfhotspot (R) does, so ``0.29 * 100`` gives 28.
    No warning here; :func:`classify_hotspot_series` warns when the floor is 0.

    Examples
    --------
    >>> recent_period_count(10), recent_period_count(12), recent_period_count(4)
    (2, 2, 1)
    """
    return max(1, math.floor(recent_prop * n_periods))


def _classes(
    hot: np.ndarray,
    n: int,
    k: int,
    rule: str,
    hotspot_prop: float,
    persistent_prop: float,
    recent_prop: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Class index per row (0 persistent, 1 emerging, 2 former, 3 intermittent, 4 none) for one
    sign, and the counts overall, recent and older as the rule used them."""
    total = hot.sum(axis=1)
    if rule == "documented":
        recent = hot[:, n - k :].sum(axis=1)
        older = hot[:, : n - k].sum(axis=1)
        emerging_threshold = hotspot_prop
    else:  # sfhotspot_code: columns (n - k):n in R, 1-based, i.e. the last k + 1
        recent = hot[:, n - k - 1 :].sum(axis=1)
        older = hot[:, : n - k].sum(axis=1)
        emerging_threshold = recent_prop
    share_all = total / n
    share_recent = recent / k
    share_older = older / (n - k)
    persistent = share_all >= persistent_prop
    emerging = (share_older < hotspot_prop) & (share_recent >= emerging_threshold)
    former = (share_older >= hotspot_prop) & (share_recent < hotspot_prop)
    intermittent = share_all >= hotspot_prop
    klass = np.select([persistent, emerging, former, intermittent], [0, 1, 2, 3], default=4)
    return klass, total, recent, older


def classify_hotspot_series(
    z: Any,
    p: Any,
    *,
    alpha: float = 0.05,
    hotspot_prop: float = 0.1,
    persistent_prop: float = 0.8,
    recent_prop: float = 0.2,
    rule: str = "documented",
) -> pd.DataFrame:
    """Classify each cell's series of Gi* results by sfhotspot's ``hotspot_classify`` rule.

    Persistent, emerging, former and intermittent hot and cold spots, mixed, or no pattern; the
    rule, its sources and where sfhotspot's code differs from its documentation are in the
    module docstring (:mod:`geo_trygg.hotspots._classify`).

    Parameters
    ----------
    z : array-like or pandas.DataFrame, shape (n_cells, n_periods)
        Gi* z-scores, one column per period, oldest first; at least 2 periods. NaN for missing.
        A DataFrame's index is kept on the result.
    p : array-like or pandas.DataFrame, same shape
        The p-values that decide significance (e.g. Benjamini–Hochberg adjusted, two-sided).
        NaN for missing: that cell-period counts as not significant.
    alpha : float, default 0.05
        A cell-period is significant when ``p <= alpha`` (sfhotspot's ``critical_p``).
    hotspot_prop : float, default 0.1
        Minimum share of periods (overall, or of the recent or non-recent ones) that must be
        significant for any class; in (0, 1].
    persistent_prop : float, default 0.8
        Minimum share of all periods for a persistent hot or cold spot; in (0, 1].
    recent_prop : float, default 0.2
        Share of periods treated as recent: the last ``floor(recent_prop * n_periods)``, at
        least one; in (0, 1).
    rule : {"documented", "sfhotspot_code"}, default "documented"
        The rule as sfhotspot documents it, or exactly as its source computes it (see the
        module docstring).

    Returns
    -------
    pandas.DataFrame
        On the index of ``z`` (or ``p``): ``hotspot_class`` (a code of
        :data:`SERIES_CLASSES`; ``geo_trygg.labels.with_words`` adds its words,
        ``hotspot_class_label``), ``n_hot``, ``n_cold`` (significant
        hot and cold periods), ``n_hot_recent``, ``n_cold_recent``, ``n_hot_older``,
        ``n_cold_older`` (in the recent and non-recent periods as the rule counted them).
        ``attrs["parameters"]`` holds the parameters, ``n_periods`` and ``recent_periods``.

    Raises
    ------
    ConfigError
        For a bad argument (named in the message), before any work.

    Warns
    -----
    GeoTryggWarning
        When ``floor(recent_prop * n_periods)`` is 0 and the final period alone is treated
        as recent (in the session's language, ``geo_trygg.settings.lang``).

    Examples
    --------
    Ten periods; cell 0 is hot in 9 of them, cell 1 only in the last two, cell 2 never:

    >>> z = [[3.0] * 9 + [0.5], [0.1] * 8 + [2.5, 2.8], [0.2] * 10]
    >>> p = [[0.01] * 9 + [0.6], [0.9] * 8 + [0.02, 0.01], [0.8] * 10]
    >>> out = classify_hotspot_series(z, p)
    >>> out["hotspot_class"].tolist()
    ['persistent_hotspot', 'emerging_hotspot', 'no_pattern']
    >>> from geo_trygg.labels import with_words
    >>> with_words(out, lang="en")["hotspot_class_label"].tolist()[1]
    'emerging hot spot'
    >>> int(out["n_hot_recent"].iloc[1])
    2
    """
    alpha = _check_fraction("alpha", alpha, upper_included=False)
    hotspot_prop = _check_fraction("hotspot_prop", hotspot_prop, upper_included=True)
    persistent_prop = _check_fraction("persistent_prop", persistent_prop, upper_included=True)
    recent_prop = _check_fraction("recent_prop", recent_prop, upper_included=False)
    rule = check_choice("rule", rule, RULES)
    za, pa, index = series_inputs(z, p)
    n = za.shape[1]
    if math.floor(recent_prop * n) < 1:
        warnings.warn(
            msg("series_recent_one", n=n, recent_prop=recent_prop),
            GeoTryggWarning,
            stacklevel=2,
        )
    k = recent_period_count(n, recent_prop)
    hot, cold = significant(za, pa, alpha, strict=rule == "sfhotspot_code")
    args = (n, k, rule, hotspot_prop, persistent_prop, recent_prop)
    hot_class, n_hot, hot_recent, hot_older = _classes(hot, *args)
    cold_class, n_cold, cold_recent, cold_older = _classes(cold, *args)
    hot_codes = np.array((*SERIES_CLASSES[:4], "no_pattern"), dtype=object)[hot_class]
    cold_codes = np.array((*SERIES_CLASSES[4:8], "no_pattern"), dtype=object)[cold_class]
    codes = np.where(
        (hot_class < 4) & (cold_class < 4),
        "mixed_hotspot_coldspot",
        np.where(hot_class < 4, hot_codes, cold_codes),
    ).astype(object)
    out = pd.DataFrame(
        {
            "hotspot_class": codes,
            "n_hot": n_hot.astype(np.int64),
            "n_cold": n_cold.astype(np.int64),
            "n_hot_recent": hot_recent.astype(np.int64),
            "n_cold_recent": cold_recent.astype(np.int64),
            "n_hot_older": hot_older.astype(np.int64),
            "n_cold_older": cold_older.astype(np.int64),
        },
        index=index,
    )
    out.attrs["parameters"] = dict(
        sorted(
            {
                "alpha": alpha,
                "hotspot_prop": hotspot_prop,
                "method": "sfhotspot hotspot_classify",
                "n_periods": n,
                "persistent_prop": persistent_prop,
                "recent_periods": k,
                "recent_prop": recent_prop,
                "rule": rule,
            }.items()
        )
    )
    return out
