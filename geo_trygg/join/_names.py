"""Matching area names in free text and in location columns (private).

Both sides are compared after :func:`geo_trygg._text.normalize_name` (case-folded, dashes
unified). In free text an area name matches as a whole word or phrase: the characters around it
are not letters or digits (``"Lägenhetsinbrott i Beckomberga."`` names ``BECKOMBERGA``; the
text ``"Beckombergavägen"`` does not). Where names overlap, the longest one at a position wins
(``"Norra Djurgården"`` is not also read as ``"Djurgården"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from geo_trygg._text import normalize_name

__all__ = ["NameMatcher", "location_key"]

_SUFFIXES = (" kommun", " län")


def location_key(value: object) -> str:
    """Normalised name for matching a location column against area names.

    A trailing ``" kommun"`` or ``" län"`` is ignored, so the police's ``"Stockholms län"``
    matches SCB's län name ``"Stockholms"`` and ``"Botkyrka kommun"`` matches ``"Botkyrka"``.

    Examples
    --------
    >>> location_key("Stockholms  län")
    'stockholms'
    """
    key = normalize_name(value)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    return key


class NameMatcher:
    """Find which areas of a layer a text names.

    Parameters
    ----------
    names : sequence of object
        Area name per area position (None/NaN never match).
    """

    def __init__(self, names: Sequence[object]) -> None:
        self._by_name: dict[str, list[int]] = {}
        self._by_location: dict[str, list[int]] = {}
        for pos, name in enumerate(names):
            key = normalize_name(name)
            if not key:
                continue
            self._by_name.setdefault(key, []).append(pos)
            self._by_location.setdefault(location_key(name), []).append(pos)
        keys = sorted(self._by_name, key=lambda k: (-len(k), k))
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
            if keys
            else None
        )

    def in_text(self, text: str) -> list[int]:
        """Sorted area positions whose name occurs in ``text`` as a whole word/phrase."""
        if self._pattern is None or not text:
            return []
        found: set[int] = set()
        for m in self._pattern.finditer(normalize_name(text)):
            found.update(self._by_name[m.group(0)])
        return sorted(found)

    def by_location(self, value: object) -> list[int]:
        """Sorted area positions whose name equals ``value`` (see :func:`location_key`)."""
        key = location_key(value)
        return sorted(self._by_location.get(key, [])) if key else []


def joined_text(frame: pd.DataFrame, columns: Iterable[str], rows: np.ndarray) -> list[str]:
    """The text columns of ``rows`` (positions) joined with spaces; missing values skipped."""
    cols = [c for c in columns if c in frame.columns]
    out: list[str] = []
    values = [frame[c].to_numpy(dtype=object)[rows] for c in cols]
    for i in range(len(rows)):
        parts = [str(v[i]) for v in values if v[i] is not None and not _isna(v[i])]
        out.append(" ".join(parts))
    return out


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
