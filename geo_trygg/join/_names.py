"""Matching area names in free text and in location columns (private).

Both sides are compared after :func:`geo_trygg._text.normalize_name` (case-folded, dashes
unified). In free text an area name matches as a whole word or phrase: the characters around it
are not letters or digits (``"Lägenhetsinbrott i Beckomberga."`` names ``BECKOMBERGA``; the
text ``"Beckombergavägen"`` does not). Where names overlap, the longest one at a position wins
(``"Norra Djurgården"`` is not also read as ``"Djurgården"``).

Besides its whole name an area is found by its *parts* and *aliases* (texts only, never the
location columns):

- **Compound names.** A name of several places joined by ``/`` (``"Hallunda / Norsborg"``,
  ``"A/B"``) or with one in brackets (``"Södra Sofielund (Seved)"``) has each place as a part.
  A hyphen joins the parts of a compound name only in the levels of
  :data:`HYPHEN_COMPOUND_LEVELS` (stadsdelsområden and lokalpolisområden, named after the
  districts or kommuner they join: ``"Hässelby-Vällingby"``, ``"Haninge-Nynäshamn"``); elsewhere
  a hyphen belongs to one name (the kommuner ``"Upplands-Bro"``, ``"Dals-Ed"``).
- **Aliases.** Other names of an area from an alias table (:mod:`geo_trygg.vocab.areas`).

A part or alias is **not used** (and listed, see :attr:`NameMatcher.dropped`) when it is
shorter than three characters (``"too_short"``), a common word of :data:`STOP_WORDS`
(``"stop_word"``), the name of a kommun or län (``"kommun_name"``: police texts name their
kommun in every title, so a part ``"Sigtuna"`` of ``"Sigtuna / Valsta"`` would take every event
of Sigtuna kommun), or another area's name, part or alias in the same layer (``"other_area"``:
it would not tell the two apart). Whole names are always used; two areas of one name make a text
naming it ambiguous, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import pandas as pd

from geo_trygg._text import normalize_name

__all__ = [
    "DROP_REASONS",
    "HYPHEN_COMPOUND_LEVELS",
    "STOP_WORDS",
    "NameMatcher",
    "joined_text",
    "location_key",
]

_SUFFIXES = (" kommun", " län")

HYPHEN_COMPOUND_LEVELS = frozenset({"stadsdelsomrade", "lpo"})
"""Levels whose hyphenated names join several places (each part is then a name of the area)."""

STOP_WORDS = frozenset(
    {
        "backe",
        "berg",
        "by",
        "centralen",
        "centrum",
        "city",
        "gamla",
        "gård",
        "hamn",
        "hamnen",
        "industriområde",
        "lilla",
        "nedre",
        "norr",
        "norra",
        "nya",
        "område",
        "park",
        "parken",
        "stan",
        "staden",
        "station",
        "stora",
        "strand",
        "söder",
        "södra",
        "torg",
        "torget",
        "väster",
        "västra",
        "öster",
        "östra",
        "övre",
    }
)
"""Common words never used alone as a part or alias of an area (compared case-folded)."""

DROP_REASONS = ("too_short", "stop_word", "kommun_name", "other_area")
"""Why a part or alias is not used, in the order the rules are tried."""

_MIN_LENGTH = 3
_SLASH = re.compile(r"\s*/\s*|\s*\(\s*|\s*\)\s*")
_HYPHEN = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")


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


def name_parts(name: object, *, hyphens: bool = False) -> list[str]:
    """The places a compound area name joins, as written (empty for a simple name).

    Examples
    --------
    >>> name_parts("Hallunda / Norsborg"), name_parts("Södra Sofielund (Seved)")
    (['Hallunda', 'Norsborg'], ['Södra Sofielund', 'Seved'])
    >>> name_parts("Hässelby-Vällingby"), name_parts("Hässelby-Vällingby", hyphens=True)
    ([], ['Hässelby', 'Vällingby'])
    """
    if not isinstance(name, str):
        return []
    text = " ".join(unicodedata.normalize("NFC", name).split())
    parts = [p for p in _SLASH.split(text) if p.strip()]
    if hyphens:
        parts = [q for p in parts for q in _HYPHEN.split(p) if q.strip()]
    parts = [p.strip() for p in parts]
    return parts if len(parts) > 1 else []


class NameMatcher:
    """Find which areas of a layer a text names.

    Parameters
    ----------
    names : sequence of object
        Area name per area position (None/NaN never match).
    level : str, optional
        The layer's level: hyphenated names are split in :data:`HYPHEN_COMPOUND_LEVELS`.
    aliases : iterable of (str, str), optional
        ``(area name, alias)`` pairs of this level; pairs naming no area of the layer are
        ignored.
    reserved : collection of str, optional
        Names of kommuner and län (any case, a trailing " kommun"/" län" ignored): never used
        as a part or alias.

    Attributes
    ----------
    dropped : list of dict
        The parts and aliases not used: records ``{"level", "area", "part", "why"}`` (``why``
        one of :data:`DROP_REASONS`), sorted by area and part.
    """

    def __init__(
        self,
        names: Sequence[object],
        *,
        level: str | None = None,
        aliases: Iterable[tuple[str, str]] = (),
        reserved: Collection[str] = (),
    ) -> None:
        self._by_name: dict[str, list[int]] = {}
        self._by_location: dict[str, list[int]] = {}
        shown: dict[str, str] = {}
        for pos, name in enumerate(names):
            key = normalize_name(name)
            if not key:
                continue
            self._by_name.setdefault(key, []).append(pos)
            self._by_location.setdefault(location_key(name), []).append(pos)
            shown.setdefault(key, str(name))
            shown[key] = min(shown[key], str(name))
        # candidate extra names: key -> {owner whole name: the part as written}
        claims: dict[str, dict[str, str]] = {}
        hyphens = level in HYPHEN_COMPOUND_LEVELS
        for owner in self._by_name:
            for part in name_parts(shown[owner], hyphens=hyphens):
                self._claim(claims, normalize_name(part), owner, part)
        for area, alias in aliases:
            owner = normalize_name(area)
            if owner in self._by_name:
                self._claim(claims, normalize_name(alias), owner, str(alias).strip())
        blocked = {location_key(r) for r in reserved} | {normalize_name(r) for r in reserved}
        self._extra: dict[str, list[int]] = {}
        dropped: list[dict[str, object]] = []
        for key, owners in claims.items():
            why = _why_dropped(key, owners, blocked, self._by_name)
            if why is None:
                (owner,) = owners
                self._extra[key] = self._by_name[owner]
                continue
            for owner, part in owners.items():
                dropped.append({"level": level, "area": shown[owner], "part": part, "why": why})
        self.dropped: list[dict[str, object]] = sorted(
            dropped, key=lambda r: (str(r["area"]), str(r["part"]), str(r["why"]))
        )
        keys = sorted({*self._by_name, *self._extra}, key=lambda k: (-len(k), k))
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
            if keys
            else None
        )

    @staticmethod
    def _claim(claims: dict[str, dict[str, str]], key: str, owner: str, part: str) -> None:
        if not key or key == owner:
            return
        seen = claims.setdefault(key, {})
        seen[owner] = min(seen.get(owner, part), part)

    def in_text(self, text: str) -> list[int]:
        """Sorted area positions whose name, part or alias occurs in ``text`` as a whole word."""
        if self._pattern is None or not text:
            return []
        found: set[int] = set()
        for m in self._pattern.finditer(normalize_name(text)):
            key = m.group(0)
            found.update(self._by_name.get(key) or self._extra[key])
        return sorted(found)

    def by_location(self, value: object) -> list[int]:
        """Sorted area positions whose name equals ``value`` (see :func:`location_key`)."""
        key = location_key(value)
        return sorted(self._by_location.get(key, [])) if key else []


def _why_dropped(
    key: str, owners: dict[str, str], reserved: set[str], wholes: dict[str, list[int]]
) -> str | None:
    if len(key) < _MIN_LENGTH:
        return "too_short"
    if key in STOP_WORDS:
        return "stop_word"
    if key in reserved or location_key(key) in reserved:
        return "kommun_name"
    if len(owners) > 1 or key in wholes:
        return "other_area"
    return None


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
