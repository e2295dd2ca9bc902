"""Prioritisation: a ranked table of areas (and places) from transparent, configurable weights.

A meeting should see *why* an area ranks high, so the score is a plain weighted sum whose every
term is shown.

Indicators
----------
The input has one row per area: the key columns of ``by`` (``level``, ``area``) and numeric
indicator columns, higher meaning "needs more attention". The standard ones:

=====================  ======================================================================
``events``             events in the period
``events_per_1000``    events per 1,000 inhabitants, raw (optional)
``events_per_1000_eb`` the same rate smoothed by empirical Bayes (optional; see *Rates*)
``change``             current − expected from the comparison period (``change_table``)
``increase``           the change where it is a *significant increase*, else 0 (derived)
``overdue``            overdue walk findings (``followup_table``'s ``n_overdue``)
``open``               open walk findings: status neither ``done`` nor ``rejected``
                       (``n_total − n_done − n_rejected`` of the follow-up)
``severity``           mean severity (1–3) of the open findings
=====================  ======================================================================

Walk findings are never ``events``: how many findings a walk notes says where and how
carefully people walked, not how much happened, so the lägesbild neither tests them for change
nor counts them as events; what the walks leave to do (``open``, ``overdue``, ``severity``)
is what they add to a priority.

``increase`` is taken from an ``increase`` column when there is one; otherwise it is derived
so that only increases the change test calls count: from ``change_code``
(:func:`~geo_trygg.stats.change_table`) as ``change`` where the code is
``increase``, 0 for ``decrease``, ``no_clear_change`` and ``too_few``
(:data:`TESTED_CHANGE_CODES`), and missing for *every other code* (``no_data``, a comparison
the lägesbild refused such as ``not_comparable``, ``not_tested``, a missing code, or any code
added later); or from a boolean ``change_significant`` as ``change`` where it is true and
``change > 0``, else 0 (missing where it is missing). By the same rule a weighted ``change`` is
missing where a ``change_code`` column holds a code outside :data:`TESTED_CHANGE_CODES`: a
comparison that was not made gives no change points (its contribution is 0 and ``missing``
names it). A decrease never lowers a priority below "no change": the level itself is already
in ``events``. Any other numeric column may be weighted too.

Rates
-----
A raw rate over a small population swings with a few events: 2 events among 200 inhabitants
are 10 per 1,000, more than 150 among 20,000 (7.5), though one event less would make it 5.
``events_per_1000_eb`` is the rate smoothed by empirical Bayes
(:func:`geo_trygg.stats.empirical_bayes_rates`, global within each level; the lägesbild adds it
wherever it is given a population): each raw rate is pulled towards the level's mean rate, the
more the fewer people it rests on. So the rate indicator is the smoothed one wherever the table
has it:

- with ``weights`` omitted and an ``events_per_1000_eb`` column, the defaults are
  :data:`POPULATION_WEIGHTS` (the weight of ``events`` shared with the smoothed rate);
- a weight on ``events_per_1000`` is applied to ``events_per_1000_eb`` when the table has that
  column and the weights do not name it too (its contribution is then
  ``contrib_events_per_1000_eb`` and ``attrs["weights"]`` names it); the raw rate is still
  listed beside the smoothed one. To rank by the raw rate, leave the smoothed column out of
  the table.

Scaling (``scale=``)
--------------------
Counts, rates and severities are on different scales, so each indicator is scaled to [0, 1]
*within its level* (all ``by`` columns but the last) before weighting:

- ``"rank"`` (default): the share of the other areas of the level with a *strictly smaller*
  known value, ``s = #{j: x_j < x_i} / (m − 1)`` with ``m`` areas with a known value (0 when
  ``m <= 1``). The smallest value gets 0, the largest 1, equal values get equal scores, and the
  result depends only on the order of the values: one extreme area (a city centre with ten
  times the events) does not squeeze all others to 0, and the rule does not depend on the row
  order. Ties take the *lowest* rank rather than the average so that areas that have none of
  something (0 overdue findings when most have 0) get no contribution from it.
- ``"minmax"``: ``(x − min) / (max − min)`` (0 when all are equal): keeps the distances between
  values, so one extreme area dominates that indicator.

A missing value (NaN, or ±inf as from a rate over zero population) is never read as a measured
0: its contribution is 0, the column ``missing`` names the indicator, and a warning counts the
areas; ``m`` counts only known values.

Weights
-------
``weights`` maps indicator → weight ``>= 0``; they are divided by their sum, so only their
ratios matter and ``score`` lies in [0, 1]. :data:`DEFAULT_WEIGHTS` is used when omitted;
default indicators the table lacks (e.g. no findings given, so no ``overdue``/``severity``) are
dropped and the rest rescaled, with a warning. ``contrib_<indicator> = weight × scaled`` and
``score`` is their sum.

Ranks
-----
``rank`` 1 is the highest score in the level. Equal scores (compared at 9 decimals, so that
sums of the same parts in another order are equal) share a rank by the "min" method: scores
0.8, 0.5, 0.5, 0.2 rank 1, 2, 2, 4, and ``tied`` is True for the two 2s. Rows of a level are
listed by score, then by name (the last ``by`` column), but the name never decides a rank.
A level with only one area, or where every score is 0, has no ranking: its ``rank`` is missing
(``pd.NA``; the column is a nullable ``Int64``), ``tied`` False, and ``no_rank`` says why
(:data:`NO_RANK_CODES`: ``"one_area"``, ``"all_zero"``; missing where there is a rank);
:func:`geo_trygg.labels.rank_words` puts a rank in words ("2 (delad)", "ingen rangordning
möjlig: …").

``reason`` is a code naming the (at most) two largest contributions, largest first, each
marked as the highest value of its level where it is. An indicator is named only when the
area's value is *strictly above the median* of the known values of its level (and above 0):
an area with 1 event is never said to have "many events" when the level's median is 1 or
more, and a level with one area names nothing. (With ``change`` weighted and every change a
decrease, the smallest decrease ranks highest but is not called a rise.)

The reason code
---------------
``reason`` is ``"none"`` when no contribution stands out (no indicator above the median);
else one or two indicator names joined by ``"+"`` (:data:`REASON_JOIN`), the largest first,
each followed by ``":top"`` (:data:`REASON_TOP`) when the area has the highest value of its
level in it (and the level has more than one known value): ``"events:top+overdue"``. The code
is the same in every language; :func:`geo_trygg.labels.with_words` adds the sentence a meeting
reads as the column ``why`` ("Flest händelser och många försenade åtgärder"),
:func:`geo_trygg.labels.reason_words` gives it for one code. (An indicator column whose name
holds ``"+"`` or ends in ``":top"`` cannot be told apart in a code: name such columns
otherwise.)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg.labels import REASON_JOIN, REASON_NOTHING, REASON_TOP, indicator_words

__all__ = [
    "DEFAULT_WEIGHTS",
    "NO_RANK_CODES",
    "POPULATION_WEIGHTS",
    "RAW_RATE",
    "REASON_JOIN",
    "REASON_NOTHING",
    "REASON_TOP",
    "SCALES",
    "SMOOTHED_RATE",
    "STANDARD_INDICATORS",
    "TESTED_CHANGE_CODES",
    "default_weights",
    "prioritize",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "events": 0.4,
    "increase": 0.2,
    "overdue": 0.2,
    "severity": 0.2,
}
"""Default weights (they sum to 1).

- ``events`` 0.4: what happened is the core of a lägesbild and what patrols and measures are
  planned around. Counts, not rates: a rate over a small population swings with a few events,
  and population is not always given; where it is, :data:`POPULATION_WEIGHTS` adds the rate,
  smoothed so that small areas do not top it by chance.
- ``increase`` 0.2: a *significant* increase (after the Benjamini–Hochberg adjustment) is a
  problem growing now; only significant increases count, so noise does not move the ranking.
- ``overdue`` 0.2: overdue measures from the safety walks are the follow-up the meeting itself
  is accountable for.
- ``severity`` 0.2: how serious the open walk findings are.

So what happens (events and their change, 0.6) weighs a little more than the state of the place
and its follow-up (overdue findings and their severity, 0.4), and no single indicator outweighs
the others together.

``open`` (open findings) is not weighted by default: how many findings are open grows with how
often and how thoroughly an area is walked, the same bias that keeps findings counts out of
``events``; the default reads the walks by what the meeting is accountable for (``overdue``)
and how serious the open findings are (``severity``, itself a mean over the open findings).
Weight ``open`` explicitly (``weights={..., "open": 0.1}``) where walks are equally frequent.
"""

POPULATION_WEIGHTS: dict[str, float] = {
    "events": 0.2,
    "events_per_1000_eb": 0.2,
    "increase": 0.2,
    "overdue": 0.2,
    "severity": 0.2,
}
"""Default weights where the table has the smoothed rate ``events_per_1000_eb`` (a population
was given): as :data:`DEFAULT_WEIGHTS`, with the weight of ``events`` shared equally between
the count and the smoothed rate. The count says where most happens (where most patrols and
measures are needed), the rate where the most happens *per inhabitant*; the smoothing keeps a
small area from topping the rate by chance (module docstring, *Rates*)."""

STANDARD_INDICATORS = (
    "events",
    "events_per_1000",
    "events_per_1000_eb",
    "change",
    "increase",
    "overdue",
    "open",
    "severity",
)
"""Indicators with their own wording in the ``reason`` sentences; other numeric columns get a
generic one."""


SCALES = ("rank", "minmax")
"""Scaling rules of :func:`prioritize` (see the module docstring)."""

TESTED_CHANGE_CODES = ("increase", "decrease", "no_clear_change", "too_few")
"""The ``change_code`` values of a comparison that was made: ``increase`` gives change points,
the others 0. Every other code (``no_data``, ``not_tested``, ``not_comparable``, or one added
later) makes ``increase`` and ``change`` missing: no change points."""

_NOT_INCREASE = ("decrease", "no_clear_change", "too_few")

RAW_RATE = "events_per_1000"
"""The raw rate indicator: a weight on it goes to :data:`SMOOTHED_RATE` where there is one."""

SMOOTHED_RATE = "events_per_1000_eb"
"""The rate indicator smoothed by empirical Bayes (module docstring, *Rates*)."""


def _smoothed_rate(weights: dict[str, float], allowed: list[str]) -> dict[str, float]:
    """``weights`` with a weight on the raw rate moved to the smoothed one where the table
    has it and the weights do not name it (module docstring, *Rates*)."""
    if RAW_RATE not in weights or SMOOTHED_RATE not in allowed or SMOOTHED_RATE in weights:
        return weights
    return {(SMOOTHED_RATE if k == RAW_RATE else k): v for k, v in weights.items()}


NO_RANK_CODES = ("one_area", "all_zero")
"""Why a level has no ranking (column ``no_rank``): only one area, or every score 0."""

_SCORE_DECIMALS = 9
"""Scores are compared at this many decimals when ranking (equal sums in another order)."""


def _check_by(frame: pd.DataFrame, by: Any) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by) if isinstance(by, Sequence) else None
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ConfigError(f"by={by!r} must be a column name or a non-empty sequence of them")
    lacking = [k for k in keys if k not in frame.columns]
    if lacking:
        raise ConfigError(
            f"by={by!r}: {', '.join(map(repr, lacking))} is not a column of indicators; "
            f"columns: {', '.join(map(repr, map(str, frame.columns)))}"
        )
    if len(set(keys)) != len(keys):
        raise ConfigError(f"by={by!r} names a column twice")
    blank = frame[keys].isna().any(axis=1)
    if blank.any():
        raise ConfigError(
            f"indicators has {int(blank.sum())} row(s) without a value in {keys}; every row "
            "must name its area"
        )
    repeated = frame.duplicated(subset=keys, keep="first")
    if repeated.any():
        first = tuple(frame.loc[repeated, keys].iloc[0])
        raise ConfigError(
            f"indicators has more than one row for {dict(zip(keys, first, strict=True))}; "
            "give one row per area"
        )
    return keys


def _is_indicator(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column))


def _derived_increase(frame: pd.DataFrame) -> pd.Series | None:
    """The ``increase`` indicator derived from the change columns (module docstring), or None."""
    if "change" not in frame.columns or not _is_indicator(frame["change"]):
        return None
    change = pd.to_numeric(frame["change"], errors="coerce").astype(float)
    if "change_code" in frame.columns:
        code = frame["change_code"].astype(object)
        out = pd.Series(np.nan, index=frame.index, dtype=float)
        out[code.isin(_NOT_INCREASE).to_numpy()] = 0.0
        rising = (code == "increase").to_numpy()
        out[rising] = change[rising]
        return out.rename("increase")
    if "change_significant" in frame.columns:
        significant = frame["change_significant"].astype("boolean")
        out = pd.Series(0.0, index=frame.index, dtype=float)
        called = significant.fillna(False).to_numpy(dtype=bool) & (change > 0).to_numpy()
        out[called] = change[called]
        out[significant.isna().to_numpy()] = np.nan
        return out.rename("increase")
    return None


def _check_weights(weights: Any, allowed: list[str]) -> dict[str, float]:
    """Validated weights (not yet normalised); ConfigError naming the bad key or value."""
    if not isinstance(weights, Mapping):
        raise ConfigError(
            f"weights={weights!r} must be a mapping {{indicator: weight}}, e.g. "
            f"{DEFAULT_WEIGHTS!r}"
        )
    if not weights:
        raise ConfigError("weights={} names no indicator; give at least one positive weight")
    out: dict[str, float] = {}
    for key, value in weights.items():
        if key not in allowed:
            raise ConfigError(
                f"weights names {key!r}, which is not an indicator of the table; allowed (its "
                f"numeric columns): {', '.join(map(repr, allowed)) or 'none'}"
            )
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ConfigError(f"weights[{key!r}]={value!r} is not a number")
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise ConfigError(
                f"weights[{key!r}]={value!r} is not allowed; a weight is a finite number >= 0"
            )
        out[str(key)] = number
    if sum(out.values()) <= 0:
        raise ConfigError(f"weights={dict(weights)!r} are all 0; at least one must be positive")
    return out


def default_weights(columns: Sequence[str]) -> dict[str, float]:
    """The default weights for a table with ``columns``, before dropping the indicators it
    lacks: :data:`POPULATION_WEIGHTS` where it has ``events_per_1000_eb``, else
    :data:`DEFAULT_WEIGHTS`."""
    return dict(POPULATION_WEIGHTS if SMOOTHED_RATE in columns else DEFAULT_WEIGHTS)


def _default_weights(allowed: list[str]) -> dict[str, float]:
    defaults = default_weights(allowed)
    used = {k: v for k, v in defaults.items() if k in allowed}
    if not used:
        raise ConfigError(
            "indicators has none of the default indicators "
            f"({', '.join(map(repr, defaults))}); pass weights= naming its numeric "
            f"columns: {', '.join(map(repr, allowed)) or 'none'}"
        )
    dropped = [k for k in defaults if k not in used]
    if dropped:
        total = sum(used.values())
        shown = ", ".join(f"{k} {v / total:.2f}" for k, v in used.items())
        warnings.warn(
            msg("prio_defaults_dropped", dropped=", ".join(dropped), used=shown),
            GeoTryggWarning,
            stacklevel=3,
        )
    return used


def _scaled(values: pd.Series, groups: list[pd.Series], scale: str) -> tuple[pd.Series, pd.Series]:
    """(scaled value in [0, 1] or NaN, number of known values in the level) per row."""
    grouped = values.groupby(groups, sort=False, dropna=False)
    known = values.notna().groupby(groups, sort=False, dropna=False).transform("sum")
    if scale == "rank":
        smaller = grouped.rank(method="min") - 1.0
        scaled = smaller / (known - 1.0).where(known > 1)
    else:
        low, high = grouped.transform("min"), grouped.transform("max")
        scaled = (values - low) / (high - low).where(high > low)
    scaled = scaled.where(values.isna() | scaled.notna(), 0.0)  # one value, or all equal
    return scaled.astype(float), known.astype(int)


def _tested_change(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``change`` missing where ``change_code`` is not a tested code."""
    if "change_code" not in frame.columns or "change" not in frame.columns:
        return frame
    if not _is_indicator(frame["change"]):
        return frame
    made = frame["change_code"].astype(object).isin(TESTED_CHANGE_CODES).to_numpy()
    change = pd.to_numeric(frame["change"], errors="coerce").astype(float)
    return frame.assign(change=change.where(made))


def _ranks(out: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``out`` (sorted) with ``rank`` (min method, nullable), ``tied`` and ``no_rank``."""
    group_keys = [out[k].astype(str) for k in keys[:-1]] or [pd.Series(0, index=out.index)]
    rounded = out["score"].round(_SCORE_DECIMALS)
    rank = rounded.groupby(group_keys, sort=False).rank(method="min", ascending=False)
    size = rounded.groupby(group_keys, sort=False).transform("size")
    all_zero = (rounded == 0).groupby(group_keys, sort=False).transform("all")
    shared = rank.groupby([*group_keys, rank], sort=False).transform("size") > 1
    no_rank = pd.Series(None, index=out.index, dtype=object)
    no_rank[all_zero.to_numpy(dtype=bool)] = "all_zero"
    no_rank[(size == 1).to_numpy()] = "one_area"
    ranked = no_rank.isna().to_numpy()
    at = len(keys)
    out.insert(at, "rank", pd.array(rank.where(ranked).round(), dtype="Int64"))
    out.insert(at + 1, "tied", (shared & ranked).astype(bool).to_numpy())
    out.insert(at + 2, "no_rank", no_rank.to_numpy())
    return out


def _reasons(contrib: pd.DataFrame, top: pd.DataFrame, positive: pd.DataFrame) -> list[str]:
    """The ``reason`` code per row: the two largest contributions from values above the
    level's median (and above 0)."""
    order = list(contrib.columns)
    out: list[str] = []
    values = contrib.to_numpy(dtype=float)
    tops = top.to_numpy(dtype=bool)
    above = positive.to_numpy(dtype=bool)
    for row, flags, ok in zip(values, tops, above, strict=True):
        eligible = [i for i in range(len(order)) if row[i] > 0 and ok[i]]
        ranked = sorted(eligible, key=lambda i: (-row[i], i))[:2]
        parts = [str(order[i]) + (REASON_TOP if flags[i] else "") for i in ranked]
        out.append(REASON_JOIN.join(parts) if parts else REASON_NOTHING)
    return out


def prioritize(
    indicators: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    by: str | Sequence[str] = ("level", "area"),
    scale: str = "rank",
) -> pd.DataFrame:
    """Rank areas by a weighted sum of scaled indicators, showing each factor's contribution.

    See the module docstring for the indicators, the scaling, the weights and the defaults.

    Parameters
    ----------
    indicators : pandas.DataFrame
        One row per area: the ``by`` columns and numeric indicator columns.
    weights : mapping of str to float, optional
        Indicator → weight ``>= 0`` (normalised to sum 1); :data:`DEFAULT_WEIGHTS` when
        omitted.
    by : str or sequence of str, default ("level", "area")
        Key columns: areas are scaled and ranked within the groups of all but the last one;
        the last one names the area and breaks ties.
    scale : {"rank", "minmax"}, default "rank"
        How an indicator is scaled to [0, 1] within a level.

    Returns
    -------
    pandas.DataFrame
        One row per area, sorted by the group columns then ``rank``: the ``by`` columns,
        ``rank`` (nullable Int64, 1 = highest, equal scores share the lowest rank, missing
        where the level has no ranking), ``tied`` (bool: the rank is shared), ``no_rank``
        (why the level has no ranking, :data:`NO_RANK_CODES`, else missing), ``score``
        (float in [0, 1]), one ``contrib_<indicator>`` per weighted indicator, the
        indicators' raw values,
        ``missing`` (the indicators without a value, comma-separated, "" when none) and
        ``reason`` (a code, see the module docstring; its sentence is the column ``why`` of
        ``geo_trygg.labels.with_words``). ``attrs["weights"]`` holds the normalised weights,
        ``attrs["scale"]`` the scale.

    Raises
    ------
    ConfigError
        Before any work: ``by`` columns missing, blank or repeated keys; weights naming an
        indicator the table does not have (the message lists those it has), negative,
        non-finite or all-zero weights; bad ``scale``.

    Warns
    -----
    GeoTryggWarning
        When indicator values are missing, or default indicators are absent.

    Examples
    --------
    >>> table = pd.DataFrame({"level": "stadsdel",
    ...                       "area": ["Fittja", "Älvsjö", "Alby", "Hjulsta"],
    ...                       "events": [40, 10, 25, 5], "overdue": [3, 6, 0, 1]})
    >>> ranked = prioritize(table, weights={"events": 0.5, "overdue": 0.5})
    >>> ranked[["area", "rank", "tied", "score", "contrib_events", "contrib_overdue"]].round(3)
          area  rank   tied  score  contrib_events  contrib_overdue
    0   Fittja     1  False  0.833           0.500            0.333
    1   Älvsjö     2  False  0.667           0.167            0.500
    2     Alby     3  False  0.333           0.333            0.000
    3  Hjulsta     4  False  0.167           0.000            0.167
    >>> ranked["reason"].tolist()  # only values above the level's median are named
    ['events:top+overdue', 'overdue:top', 'events', 'none']
    >>> from geo_trygg.labels import with_words
    >>> with_words(ranked, lang="sv")["why"].tolist()[:2]
    ['Flest händelser och många försenade åtgärder', 'Flest försenade åtgärder']
    """
    scale = check_choice("scale", scale, SCALES)
    if not isinstance(indicators, pd.DataFrame):
        raise ConfigError(
            "indicators must be a DataFrame with one row per area; got "
            + type(indicators).__name__
        )
    keys = _check_by(indicators, by)
    frame = indicators.reset_index(drop=True)
    if "increase" not in frame.columns:
        derived = _derived_increase(frame)
        if derived is not None:
            frame = frame.assign(increase=derived)
    frame = _tested_change(frame)
    allowed = [str(c) for c in frame.columns if c not in keys and _is_indicator(frame[c])]
    raw = _default_weights(allowed) if weights is None else _check_weights(weights, allowed)
    raw = _smoothed_rate(raw, allowed)
    total = sum(raw.values())
    used = {k: v / total for k, v in raw.items()}

    groups = [frame[k].astype(object) for k in keys[:-1]] or [pd.Series(0, index=frame.index)]
    contrib: dict[str, pd.Series] = {}
    top: dict[str, pd.Series] = {}
    positive: dict[str, pd.Series] = {}
    missing = pd.DataFrame(index=frame.index)
    for name, weight in used.items():
        values = pd.to_numeric(frame[name], errors="coerce").astype(float)
        values = values.where(np.isfinite(values.to_numpy()))
        scaled, known = _scaled(values, groups, scale)
        contrib[name] = (scaled.fillna(0.0) * weight).rename(f"contrib_{name}")
        top[name] = (scaled == 1.0) & (known > 1)
        median = values.groupby(groups, sort=False, dropna=False).transform("median")
        positive[name] = (values > 0) & (values > median)
        missing[name] = values.isna()
    score = pd.Series(0.0, index=frame.index)
    for series in contrib.values():
        score = score + series
    flags = missing.to_numpy(dtype=bool)
    missing_text = [
        ", ".join(n for n, f in zip(missing.columns, row, strict=True) if f) for row in flags
    ]
    n_missing = sum(1 for text in missing_text if text)
    if n_missing:
        lacking = [name for name in used if missing[name].any()]
        warnings.warn(
            msg(
                "prio_missing_values",
                n=n_missing,
                indicators=", ".join(indicator_words(n) for n in lacking),
            ),
            GeoTryggWarning,
            stacklevel=2,
        )
    out = frame[keys].copy()
    out["score"] = score
    for name, series in contrib.items():
        out[f"contrib_{name}"] = series
    for name in used:
        if name == SMOOTHED_RATE and RAW_RATE in allowed and RAW_RATE not in used:
            out[RAW_RATE] = frame[RAW_RATE]  # the raw rate beside the smoothed one
        out[name] = frame[name]
    out["missing"] = pd.Series(missing_text, index=frame.index, dtype=object)
    out["reason"] = pd.Series(
        _reasons(pd.DataFrame(contrib), pd.DataFrame(top), pd.DataFrame(positive)),
        index=frame.index,
        dtype=object,
    )
    sort_keys = {f"_k{i}": frame[k].astype(str) for i, k in enumerate(keys)}
    order = out.assign(**sort_keys, _score=score.round(_SCORE_DECIMALS)).sort_values(
        [*list(sort_keys)[:-1], "_score", list(sort_keys)[-1]],
        ascending=[True] * (len(keys) - 1) + [False, True],
        kind="mergesort",
    )
    out = _ranks(out.loc[order.index].reset_index(drop=True), keys)
    out.attrs = {"weights": dict(used), "scale": scale}
    return out
