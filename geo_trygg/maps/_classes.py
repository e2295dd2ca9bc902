"""Classes and colours of a choropleth, and the legend that states them.

Classes come from mapclassify (``quantiles``, ``natural_breaks`` — Fisher–Jenks —,
``equal_interval``, or ``user`` breaks). Colours are ColorBrewer palettes that stay apart for
colour-blind readers (via branca): sequential ``YlOrRd`` for levels, diverging ``RdBu`` for
change (blue a decrease, red an increase, the class holding 0 neutral). Areas without a value
are grey and said so in the legend.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mapclassify
import numpy as np
from branca.utilities import color_brewer

from geo_trygg._errors import ConfigError, check_choice

__all__ = ["NO_VALUE_COLOUR", "SCHEMES", "ZERO_COLOUR", "Classes", "classify", "number"]

SCHEMES = ("quantiles", "natural_breaks", "equal_interval", "user")
NO_VALUE_COLOUR = "#bdbdbd"
ZERO_COLOUR = "#f7f7f7"
"""The class of a count of 0 (``counts=True``): near white, apart from the palette, so an
area with nothing counted never looks like one with a few."""


@dataclass(frozen=True)
class Classes:
    """A classification: each value's class (-1: no value), the classes' bounds and colours.

    Attributes
    ----------
    index : numpy.ndarray of int
    lower, upper : list of float
        Each class holds ``lower < value <= upper`` (the first also its lower bound); for
        counts (``counts=True``) whole numbers ``lower <= value <= upper``.
    colours : list of str
    scheme : str
    """

    index: np.ndarray
    lower: list[float]
    upper: list[float]
    colours: list[str]
    scheme: str

    def colour_of(self) -> list[str]:
        """The colour of every value (grey without a value)."""
        return [self.colours[i] if i >= 0 else NO_VALUE_COLOUR for i in self.index]


def _breaks(values: np.ndarray, scheme: str, k: int, bins: Sequence[float] | None) -> list[float]:
    if scheme == "user":
        if bins is None or len(bins) == 0:
            raise ConfigError("scheme='user' needs bins=, e.g. bins=[10, 50, 100]")
        edges = [float(b) for b in bins]
        if any(b2 <= b1 for b1, b2 in itertools.pairwise(edges)):
            raise ConfigError(f"bins={list(bins)!r} must be strictly increasing")
        top = float(values.max())
        return edges if edges[-1] >= top else [*edges, top]
    distinct = np.unique(values)
    if len(distinct) <= 1 or k <= 1:
        return [float(values.max())]
    if scheme == "natural_breaks":  # Fisher-Jenks needs no more classes than values
        k = min(k, len(distinct))
    with warnings.catch_warnings():
        # mapclassify says when it uses fewer classes (the legend shows the classes made) and
        # when Fisher-Jenks runs without numba (the same breaks, slower)
        warnings.filterwarnings("ignore", message="Not enough unique values")
        warnings.filterwarnings("ignore", message="Numba not installed")
        if scheme == "quantiles":
            result = mapclassify.Quantiles(values, k=k)
        elif scheme == "natural_breaks":
            result = mapclassify.FisherJenks(values, k=k)
        else:
            result = mapclassify.EqualInterval(values, k=k)
    return sorted({float(b) for b in result.bins})


def classify(
    values: Any,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    diverging: bool = False,
    counts: bool = False,
) -> Classes:
    """Classify ``values`` (NaN: no value) and colour the classes.

    Parameters
    ----------
    values : array-like of float
    scheme : {"quantiles", "natural_breaks", "equal_interval", "user"}, default "quantiles"
    k : int, default 5
        Number of classes (fewer when there are fewer distinct values).
    bins : sequence of float, optional
        Upper bounds of the classes for ``scheme="user"``.
    diverging : bool, default False
        A diverging palette around 0 (for change).
    counts : bool, default False
        The values are counts (whole numbers >= 0): 0 has a class of its own
        (:data:`ZERO_COLOUR`), the other classes are made over the values above 0 with whole
        bounds (a break rounded up), each class from the whole number after the one before
        (``1 – 5``, ``6 – 28``). Ignored when a value is not a whole number >= 0.

    Returns
    -------
    Classes

    Examples
    --------
    >>> c = classify([1, 2, 3, 4, 100, float("nan")], scheme="user", bins=[2, 10])
    >>> c.index.tolist(), c.upper
    ([0, 0, 1, 1, 2, -1], [2.0, 10.0, 100.0])
    """
    check_choice("scheme", scheme, SCHEMES)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 9:
        raise ConfigError(f"k={k!r} must be a whole number of classes from 1 to 9")
    x = np.asarray(values, dtype=float)
    known = ~np.isnan(x)
    index = np.full(len(x), -1, dtype=np.int64)
    if not known.any():
        return Classes(index, [], [], [], scheme)
    shown = x[known]
    if counts and not diverging and (shown >= 0).all() and (shown == np.round(shown)).all():
        return _count_classes(x, known, scheme, k, bins)
    upper = _breaks(shown, scheme, k, bins)
    index[known] = np.minimum(np.searchsorted(upper, shown, side="left"), len(upper) - 1)
    lower = [min(float(shown.min()), upper[0]), *upper[:-1]]
    colours = _diverging(lower, upper) if diverging else _sequential(len(upper))
    return Classes(index, lower, upper, colours, scheme)


def _count_classes(
    x: np.ndarray, known: np.ndarray, scheme: str, k: int, bins: Sequence[float] | None
) -> Classes:
    """Counts: 0 a class of its own, whole-numbered classes over the values above 0."""
    index = np.full(len(x), -1, dtype=np.int64)
    shown = x[known]
    positive = shown[shown > 0]
    upper: list[float] = []
    if len(positive):
        edges = _breaks(positive, scheme, k - 1 if (shown == 0).any() and k > 1 else k, bins)
        upper = sorted({float(np.ceil(e)) for e in edges if e >= 1})
        if not upper or upper[-1] < positive.max():
            upper.append(float(positive.max()))
    lower = [float(positive.min()), *(u + 1 for u in upper[:-1])] if upper else []
    colours = _sequential(len(upper)) if upper else []
    if (shown == 0).any():  # a class of its own for nothing counted
        upper, lower, colours = [0.0, *upper], [0.0, *lower], [ZERO_COLOUR, *colours]
    index[known] = np.searchsorted(upper, shown, side="left")
    return Classes(index, lower, upper, colours, scheme)


def _sequential(n: int) -> list[str]:
    """``n`` colours from light to dark (ColorBrewer has 3 to 9; fewer take the darkest)."""
    return list(color_brewer("YlOrRd", n=max(n, 3)))[-n:]


def _diverging(lower: list[float], upper: list[float]) -> list[str]:
    """Blues below 0, reds above, neutral for the class holding 0 (darker further out).

    A class holds ``lower < value <= upper`` (the first one its lower bound too).
    """
    sides = []
    for i, (lo, hi) in enumerate(zip(lower, upper, strict=True)):
        holds_zero = (lo < 0 <= hi) or (i == 0 and lo == 0)
        sides.append(0 if holds_zero else (-1 if hi < 0 else 1))
    n_neg, n_pos = sides.count(-1), sides.count(1)
    palette = list(color_brewer("RdBu", n=max(2 * max(n_neg, n_pos, 1) + 1, 3)))[::-1]
    middle = len(palette) // 2  # blue ... neutral ... red
    out = []
    for i, side in enumerate(sides):
        if side < 0:  # the negative class nearest 0 is the lightest
            out.append(palette[middle - (n_neg - i)])
        elif side > 0:
            out.append(palette[middle + 1 + sum(1 for s in sides[:i] if s > 0)])
        else:
            out.append(palette[middle])
    return out


def number(value: float, lang: str, *, decimals: int | None = None) -> str:
    """A number as the reader writes it: Swedish "1 234,5", English "1,234.5".

    Examples
    --------
    >>> number(1234.5, "sv").replace("\\u00a0", " "), number(1234.5, "en"), number(12, "sv")
    ('1 234,5', '1,234.5', '12')
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text
