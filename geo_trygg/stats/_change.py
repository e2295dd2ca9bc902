"""The change between two periods: the exact test, multiple testing and change codes.

Period comparison
-----------------
A count in the current period is compared with the count in the previous period by the *exact
conditional test* for two Poisson counts (Przyborowski & Wileński 1940; the "exact Poisson
test"). With ``X`` events in the current and ``Y`` in the previous period, exposures ``t1`` and
``t0`` (period lengths, or populations) and ``r = t1 / t0``, the hypothesis of equal rates says
that given ``n = X + Y``, ``X ~ Binomial(n, r / (1 + r))``. The two-sided p-value is the
*minimum-likelihood* one used by :func:`scipy.stats.binomtest` (and R's ``binom.test``): the
sum of the probabilities of every outcome ``k`` no more likely than the one observed,
``P(k) <= P(X) * (1 + 1e-7)`` (the factor absorbs rounding in near-ties). It is computed for all
rows at once (see :func:`change_test`).

Multiple testing
----------------
A lägesbild tests hundreds of counts at once (e.g. 117 stadsdelar × 10 categories): at an
unadjusted 5 % level dozens of "changes" would be noise. :func:`benjamini_hochberg` adjusts the
p-values so that, among the changes called, the expected share of false ones is at most
``alpha`` (false discovery rate; Benjamini & Hochberg 1995). :func:`change_table` runs the
whole chain: test, adjust, code.

Codes
-----
Each change gets a code (``change_code``); its words are not part of the result. The edges
that people read (exports, maps, the pack) turn the code into words with
:mod:`geo_trygg.labels` (kind ``"change"``: ``labels.with_words(table, lang=...)`` adds
``change_label``):

===================  =============================  ======================
code                 sv                             en
===================  =============================  ======================
``increase``         ökning                         increase
``decrease``         minskning                      decrease
``no_clear_change``  ingen säker förändring         no clear change
``too_few``          för få händelser för att säga  too few events to say
``no_data``          uppgift saknas                 no data
``not_tested``       jämförs inte: fynd speglar     not compared: findings
                     var man har vandrat            show where walks took
                                                    place
``not_comparable``   jämförelse inte möjlig         comparison not possible
===================  =============================  ======================

:func:`change_codes` gives the first five; ``not_tested`` is the lägesbild's code for the
rows it never tests (walk findings: how many findings a walk notes says where people walked,
not how much happened); ``not_comparable`` the lägesbild's code where a source does not cover
the periods or changed how precisely it locates events.

The concentration of events over places is in :mod:`geo_trygg.stats._concentration`, the
before/after evaluation of a measure (weighted displacement difference) in
:mod:`geo_trygg.stats._evaluation`.

References
----------
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. *JRSS B* 57(1), 289–300.

Gilbert, P. B. (2005). A modified false discovery rate multiple-comparisons procedure for
discrete data. *JRSS C* 54(1), 143–158.

Przyborowski, J. & Wileński, H. (1940). Homogeneity of results in testing samples from Poisson
series. *Biometrika* 31(3/4), 313–323.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binom

from geo_trygg import labels
from geo_trygg._errors import ConfigError

__all__ = [
    "CHANGE_CODES",
    "MIN_EVENTS",
    "benjamini_hochberg",
    "change_codes",
    "change_labels",
    "change_table",
    "change_test",
]

CHANGE_CODES = (
    "increase",
    "decrease",
    "no_clear_change",
    "too_few",
    "no_data",
    "not_tested",
    "not_comparable",
)
"""Codes a change table can hold: those of :func:`change_codes`; ``not_tested`` for rows the
lägesbild does not test (walk findings); ``not_comparable`` where the lägesbild's data cannot
support a comparison (:mod:`geo_trygg.lagesbild._coverage`); their words:
:func:`geo_trygg.labels.change_names`."""

MIN_EVENTS = 6
"""Default ``min_events``: fewer events in both periods together are labelled ``too_few``.

Six is the smallest total for which the exact test at equal exposure (``r = 1``) can reject at
the 5 % level at all: the most extreme split, all ``n`` events in one period, has two-sided
p-value ``2 * 0.5**n``, which is 0.0625 for ``n = 5`` and 0.03125 for ``n = 6``. Below six
events no outcome could be called a change, so "too few to say" is the honest label.
"""

_RERR = 1 + 1e-7  # relative tolerance of scipy.stats.binomtest for ties of the pmf


# --- argument checks ----------------------------------------------------------------------------


def _numeric(name: str, values: Any) -> np.ndarray:
    """``values`` as a float array (NaN kept); ConfigError when not numeric."""
    if isinstance(values, pd.Series | pd.Index):
        values = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return values
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must hold numbers; got {values!r}") from exc
    return array


def _counts(name: str, values: Any) -> np.ndarray:
    """1-D float array of non-negative whole numbers (NaN allowed for missing)."""
    array = np.atleast_1d(_numeric(name, values))
    if array.ndim != 1:
        raise ConfigError(f"{name} must be one-dimensional; got shape {array.shape}")
    known = array[~np.isnan(array)]
    bad = known[(known < 0) | ~np.isfinite(known) | (known != np.round(known))]
    if bad.size:
        raise ConfigError(
            f"{name} must hold counts (whole numbers >= 0, or missing); got {bad[0]!r}"
        )
    return array


def _index_of(*values: Any) -> pd.Index | None:
    """The shared index of the Series among ``values``; ConfigError when two differ."""
    index: pd.Index | None = None
    for value in values:
        if isinstance(value, pd.Series):
            if index is None:
                index = value.index
            elif not index.equals(value.index):
                raise ConfigError(
                    "current, previous and the other per-row arguments must share one index "
                    "when given as pandas Series; align them first (e.g. with .reindex)"
                )
    return index


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return [np.array(a, dtype=float) for a in np.broadcast_arrays(*arrays.values())]
    except ValueError as exc:
        sizes = ", ".join(f"{k}: {v.size}" for k, v in arrays.items())
        raise ConfigError(f"the per-row arguments differ in length ({sizes})") from exc


def _exposure(value: Any) -> np.ndarray:
    ratio = np.atleast_1d(_numeric("exposure_ratio", value))
    known = ratio[~np.isnan(ratio)]
    bad = known[(known <= 0) | ~np.isfinite(known)]
    if bad.size:
        raise ConfigError(
            "exposure_ratio must be a positive, finite number (current exposure divided by "
            f"previous exposure, e.g. 1.0 for equally long periods), or missing; got {bad[0]!r}"
        )
    return ratio


def _check_alpha(alpha: Any) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha!r} is not allowed; expected a number between 0 and 1")
    return float(alpha)


def _check_min_events(min_events: Any) -> int:
    if isinstance(min_events, bool) or not isinstance(min_events, int | np.integer):
        raise ConfigError(f"min_events={min_events!r} is not allowed; expected a whole number")
    if min_events < 0:
        raise ConfigError(f"min_events={min_events!r} is not allowed; expected a number >= 0")
    return int(min_events)


# --- the exact test -----------------------------------------------------------------------------


def _first_true(
    predicate: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Per row, the smallest integer ``j`` in ``[lo, hi)`` with ``predicate(j)``, else ``hi``.

    ``predicate`` must be monotone (False … False True … True) on the range of each row. A
    bisection over all rows at once: ``ceil(log2(max(hi - lo) + 1))`` vectorised calls.
    """
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = np.where(active, np.floor((lo + hi) / 2), lo)
        ok = predicate(mid)
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid + 1, lo)


def _binom_two_sided(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Two-sided minimum-likelihood binomial p-values, row by row without a Python loop.

    Same definition as :func:`scipy.stats.binomtest` (``alternative="two-sided"``): with
    ``d = pmf(k)``, sum ``pmf(j)`` over all ``j`` with ``pmf(j) <= d * (1 + 1e-7)``. The pmf is
    unimodal, so that set is the observed tail plus a tail on the other side of the mean whose
    end is found by bisection. ``k == n * p`` gives 1. All arguments are float arrays of one
    shape with ``n >= 1``.
    """
    pval = np.ones(k.shape)
    threshold = binom.pmf(k, n, p) * _RERR
    mean = n * p
    low = k < mean  # the other tail is the upper one: from ceil(mean) up to n
    if low.any():
        kl, nl, pl, tl = k[low], n[low], p[low], threshold[low]
        start = _first_true(lambda j: binom.pmf(j, nl, pl) <= tl, np.ceil(mean[low]), nl + 1)
        pval[low] = binom.cdf(kl, nl, pl) + binom.sf(start - 1, nl, pl)
    high = k > mean  # the other tail is the lower one: from 0 up to floor(mean)
    if high.any():
        kh, nh, ph, th = k[high], n[high], p[high], threshold[high]
        stop = _first_true(
            lambda j: binom.pmf(j, nh, ph) > th, np.zeros(kh.shape), np.floor(mean[high]) + 1
        )
        pval[high] = binom.cdf(stop - 1, nh, ph) + binom.sf(kh - 1, nh, ph)
    return np.minimum(pval, 1.0)


def change_test(current: Any, previous: Any, *, exposure_ratio: Any = 1.0) -> pd.DataFrame:
    """Exact test of the change in a count between two periods, for many rows at once.

    Under the hypothesis that the event rate did not change, and given the ``n = current +
    previous`` events of both periods, ``current ~ Binomial(n, r / (1 + r))`` with ``r =
    exposure_ratio``. The two-sided p-value is the *minimum-likelihood* one of
    :func:`scipy.stats.binomtest`: the probability of every split of the ``n`` events that is no
    more likely than the observed one (ties within a relative 1e-7 included). It is exact: no
    normal approximation, valid for small counts. All rows are computed together (a vectorised
    bisection for the tail on the other side of the mean), without a Python loop per row.

    Parameters
    ----------
    current, previous : array-like or pandas.Series of int
        Counts in the current and the previous period: whole numbers ``>= 0``; missing values
        (NaN/None/NA) are allowed and give a row of missing results. Scalars broadcast.
    exposure_ratio : float or array-like, default 1.0
        ``r``: the current period's exposure divided by the previous one's, e.g. the ratio of
        the period lengths (31/30 for March against April) or of the populations; positive and
        finite, per row or one for all; NaN marks an unknown exposure (missing results).

    Returns
    -------
    pandas.DataFrame
        One row per input row, on the index of ``current`` (or ``previous``) when a Series,
        else a RangeIndex, with columns:

        ``current``, ``previous`` (Int64)
            The counts.
        ``exposure_ratio`` (float)
            ``r``.
        ``expected`` (float)
            ``previous * r``: the count expected in the current period at an unchanged rate.
        ``change`` (float)
            ``current - previous * r``; its sign is the direction of the change.
        ``rate_ratio`` (float)
            ``current / (previous * r)``, the current rate over the previous rate; ``inf``
            when ``previous`` is 0 and ``current`` is not, NaN when both are 0.
        ``p_value`` (float)
            Two-sided exact p-value; 1 when ``n == 0``; NaN when a count or ``r`` is missing.
        ``no_events`` (bool)
            ``n == 0``: no event in either period, nothing to test.

    Raises
    ------
    ConfigError
        A count is negative, not whole or infinite; ``exposure_ratio`` is not positive and
        finite; the inputs differ in length, or are Series on different indexes.

    Examples
    --------
    >>> t = change_test([30, 12, 0], [15, 12, 0])
    >>> t[["current", "previous", "change", "rate_ratio", "no_events"]]
       current  previous  change  rate_ratio  no_events
    0       30        15    15.0         2.0      False
    1       12        12     0.0         1.0      False
    2        0         0     0.0         NaN       True
    >>> t["p_value"].round(4).tolist()
    [0.0357, 1.0, 1.0]

    A 31-day month against a 30-day month:

    >>> float(change_test(31, 30, exposure_ratio=31 / 30)["p_value"].iloc[0])
    1.0
    """
    index = _index_of(current, previous, exposure_ratio)
    cur, prev, ratio = _broadcast(
        current=_counts("current", current),
        previous=_counts("previous", previous),
        exposure_ratio=_exposure(exposure_ratio),
    )
    if index is not None and len(index) != cur.size:
        raise ConfigError(
            f"the per-row arguments have {cur.size} rows but the Series index has {len(index)}"
        )
    n = cur + prev
    p_value = np.full(cur.shape, np.nan)
    known = ~np.isnan(n) & ~np.isnan(ratio)
    p_value[known & (n == 0)] = 1.0
    rows = known & (n > 0)
    if rows.any():
        p_value[rows] = _binom_two_sided(cur[rows], n[rows], ratio[rows] / (1.0 + ratio[rows]))
    expected = prev * ratio
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_ratio = cur / expected
    return pd.DataFrame(
        {
            "current": pd.array(cur, dtype="Float64").astype("Int64"),
            "previous": pd.array(prev, dtype="Float64").astype("Int64"),
            "exposure_ratio": ratio,
            "expected": expected,
            "change": cur - expected,
            "rate_ratio": rate_ratio,
            "p_value": p_value,
            "no_events": n == 0,
        },
        index=index,
    )


# --- multiple testing ---------------------------------------------------------------------------


def benjamini_hochberg(pvalues: Any) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), NaN-aware.

    With the ``m`` known p-values sorted, ``p(1) <= … <= p(m)``, the adjusted value of rank
    ``i`` is ``min(1, min over j >= i of m * p(j) / j)`` (the step-up procedure written as
    adjusted values: a change is called at level ``alpha`` exactly when its adjusted value is
    ``<= alpha``). The result is monotone in the order of the p-values, never below the raw
    value and at most 1; equal p-values get equal adjusted values, so the result does not
    depend on the order of the input. NaN stays NaN and does not count in ``m``.

    Parameters
    ----------
    pvalues : array-like of float
        P-values in [0, 1] or NaN, of any shape: the family is every known value (e.g. a whole
        areas × categories table).

    Returns
    -------
    numpy.ndarray of float
        Adjusted p-values, same shape and order as ``pvalues``.

    Raises
    ------
    ConfigError
        A value is not a number or lies outside [0, 1].

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.005, 0.20]).round(3).tolist()
    [0.025, 0.05, 0.05, 0.025, 0.2]
    >>> benjamini_hochberg([0.02, float("nan"), 0.04]).tolist()
    [0.04, nan, 0.04]
    """
    p = _numeric("pvalues", pvalues)
    flat = p.ravel()
    known = ~np.isnan(flat)
    bad = flat[known & ~((flat >= 0) & (flat <= 1))]
    if bad.size:
        raise ConfigError(f"pvalues must lie between 0 and 1 (or be missing); got {bad[0]!r}")
    out = np.full(flat.shape, np.nan)
    values = flat[known]
    m = values.size
    if m:
        order = np.argsort(values, kind="stable")
        scaled = values[order] * (m / np.arange(1, m + 1))  # factor >= 1: never below p
        adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
        result = np.empty(m)
        result[order] = adjusted
        out[known] = result
    return out.reshape(p.shape)


# --- codes --------------------------------------------------------------------------------------


def _codes(
    cur: np.ndarray,
    prev: np.ndarray,
    ratio: np.ndarray,
    p_adjusted: np.ndarray,
    alpha: float,
    min_events: int,
) -> np.ndarray:
    n = cur + prev
    change = cur - prev * ratio
    called = p_adjusted <= alpha  # False for NaN
    codes = np.select(
        [
            np.isnan(n) | np.isnan(ratio),
            n < min_events,
            np.isnan(p_adjusted),
            called & (change > 0),
            called & (change < 0),
        ],
        ["no_data", "too_few", "no_data", "increase", "decrease"],
        default="no_clear_change",
    )
    return np.asarray(codes, dtype=object)


def change_codes(
    current: Any,
    previous: Any,
    p_adjusted: Any,
    *,
    exposure_ratio: Any = 1.0,
    alpha: float = 0.05,
    min_events: int = MIN_EVENTS,
) -> pd.Series:
    """The code of each change: ``increase``, ``decrease``, ``no_clear_change``, ``too_few``.

    Rules, in this order:

    1. ``no_data`` when a count or the exposure ratio is missing;
    2. ``too_few`` when ``current + previous < min_events`` (whatever the p-value);
    3. ``no_data`` when ``p_adjusted`` is missing;
    4. ``increase`` / ``decrease`` when ``p_adjusted <= alpha``, by the sign of ``current -
       previous * exposure_ratio``;
    5. ``no_clear_change`` otherwise.

    Parameters
    ----------
    current, previous : array-like or pandas.Series of int
        Counts in the current and the previous period (as for :func:`change_test`).
    p_adjusted : array-like of float
        Adjusted p-values (e.g. :func:`benjamini_hochberg` of :func:`change_test`'s
        ``p_value``), one per row.
    exposure_ratio : float or array-like, default 1.0
        Current exposure over previous exposure (as for :func:`change_test`); sets the
        direction of the change.
    alpha : float, default 0.05
        Level of the adjusted p-value at which a change is called (false discovery rate).
    min_events : int, default :data:`MIN_EVENTS` (6)
        Fewer events in both periods together are ``too_few``: with ``n <= 5`` events and equal
        exposure, even all events in one period gives ``p >= 0.0625`` (see :data:`MIN_EVENTS`).

    Returns
    -------
    pandas.Series of str
        Named ``"change_code"``, on the index of the Series inputs (else a RangeIndex).

    Raises
    ------
    ConfigError
        Bad counts or exposure ratio (as for :func:`change_test`), ``alpha`` not in (0, 1),
        ``min_events`` not a whole number >= 0, or inputs of different lengths.

    Examples
    --------
    >>> change_codes([30, 5, 20, 3], [10, 15, 18, 0], [0.001, 0.04, 0.8, 0.2]).tolist()
    ['increase', 'decrease', 'no_clear_change', 'too_few']
    """
    alpha = _check_alpha(alpha)
    min_events = _check_min_events(min_events)
    index = _index_of(current, previous, p_adjusted, exposure_ratio)
    cur, prev, ratio, padj = _broadcast(
        current=_counts("current", current),
        previous=_counts("previous", previous),
        exposure_ratio=_exposure(exposure_ratio),
        p_adjusted=np.atleast_1d(_numeric("p_adjusted", p_adjusted)),
    )
    codes = _codes(cur, prev, ratio, padj, alpha, min_events)
    return pd.Series(codes, index=index, name="change_code", dtype=object)


def change_labels(
    current: Any,
    previous: Any,
    p_adjusted: Any,
    *,
    exposure_ratio: Any = 1.0,
    alpha: float = 0.05,
    min_events: int = MIN_EVENTS,
    lang: str | None = None,
) -> pd.Series:
    """The plain-language label of each change: "ökning", "minskning", … (see
    :func:`change_codes` for the rules and the parameters).

    A thin wrapper kept for existing code: :func:`change_codes` turned into words by
    :func:`geo_trygg.labels.words` (kind ``"change"``). Analysis code keeps the codes; the
    words belong where people read them (exports, maps, pages).

    Parameters
    ----------
    current, previous, p_adjusted, exposure_ratio, alpha, min_events
        As for :func:`change_codes`.
    lang : {"sv", "en"}, optional
        Language; ``geo_trygg.settings.lang`` by default (Swedish).

    Returns
    -------
    pandas.Series of str
        Named ``"change_label"``, on the index of the Series inputs (else a RangeIndex).

    Raises
    ------
    ConfigError
        As for :func:`change_codes`, or ``lang`` not ``"sv"``/``"en"``.

    Examples
    --------
    >>> change_labels([30, 5, 20, 3], [10, 15, 18, 0], [0.001, 0.04, 0.8, 0.2]).tolist()
    ['ökning', 'minskning', 'ingen säker förändring', 'för få händelser för att säga']
    >>> change_labels([30], [10], [0.001], lang="en").tolist()
    ['increase']
    """
    codes = change_codes(
        current,
        previous,
        p_adjusted,
        exposure_ratio=exposure_ratio,
        alpha=alpha,
        min_events=min_events,
    )
    return labels.words(codes, "change", lang=lang).rename("change_label")


def change_table(
    current: Any,
    previous: Any,
    *,
    exposure_ratio: Any = 1.0,
    alpha: float = 0.05,
    min_events: int = MIN_EVENTS,
    family: Any = None,
) -> pd.DataFrame:
    """Test, adjust and code every change of a table in one go.

    :func:`change_test` on every row, :func:`benjamini_hochberg` over the rows that can be
    tested, then :func:`change_codes`. Pass the *whole* table (all
    areas × categories) at once: the adjustment is over all of its rows.

    Rows with fewer than ``min_events`` events (and rows with missing data) are not part of the
    family of tests: their ``p_adjusted`` is NaN and their code says why. This is valid because
    the test conditions on ``n = current + previous``: under the hypothesis of no change the
    p-value of a row is independent of its ``n``, so choosing rows by ``n`` does not bias the
    false discovery rate (the idea of Tarone 1990 for discrete tests, applied to the FDR by
    Gilbert 2005); it only spares the adjustment rows that could never show a change.

    Parameters
    ----------
    current, previous, exposure_ratio
        As for :func:`change_test`.
    alpha, min_events
        As for :func:`change_codes`.
    family : array-like, optional
        One value per row naming the row's family of tests: the adjustment is made within each
        family separately (e.g. several tables tested in one call). One family by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`change_test` and ``p_adjusted`` (float) and ``change_code``
        (str, one of :data:`CHANGE_CODES`), on the same index. The words of the codes are
        not in it: ``geo_trygg.labels.with_words(table, lang=...)`` adds ``change_label``.

    Raises
    ------
    ConfigError
        As for :func:`change_test` and :func:`change_codes`.

    Examples
    --------
    >>> t = change_table([40, 2, 25], [20, 1, 24])
    >>> t["change_code"].tolist()
    ['increase', 'too_few', 'no_clear_change']
    >>> from geo_trygg.labels import with_words
    >>> with_words(t, lang="en")["change_label"].tolist()
    ['increase', 'too few events to say', 'no clear change']
    >>> t["p_adjusted"].round(4).tolist()  # two rows tested: the middle one has too few events
    [0.027, nan, 1.0]

    Two tables tested in one call, each adjusted on its own (here one test each, so nothing to
    adjust):

    >>> change_table([40, 25], [20, 24], family=["a", "b"])["p_adjusted"].round(4).tolist()
    [0.0135, 1.0]
    """
    alpha = _check_alpha(alpha)
    min_events = _check_min_events(min_events)
    table = change_test(current, previous, exposure_ratio=exposure_ratio)
    cur = table["current"].to_numpy(dtype=float, na_value=np.nan)
    prev = table["previous"].to_numpy(dtype=float, na_value=np.nan)
    ratio = table["exposure_ratio"].to_numpy(dtype=float)
    tested = np.where(cur + prev >= min_events, table["p_value"].to_numpy(dtype=float), np.nan)
    if family is None:
        p_adjusted = benjamini_hochberg(tested)
    else:
        codes, _ = pd.factorize(np.asarray(family, dtype=object))
        if codes.shape != tested.shape:
            raise ConfigError(
                f"family has {codes.size} values but the table has {tested.size} rows"
            )
        p_adjusted = np.full(tested.shape, np.nan)
        for code in np.unique(codes):
            rows = codes == code
            p_adjusted[rows] = benjamini_hochberg(tested[rows])
    table["p_adjusted"] = p_adjusted
    codes = pd.Series(
        _codes(cur, prev, ratio, p_adjusted, alpha, min_events),
        index=table.index,
        name="change_code",
        dtype=object,
    )
    table["change_code"] = codes
    return table
