"""Folder and file names of a pack: portable, unique, stable (the pages' folders and the
action lists' files), and area names as people write them (:func:`display_name`).

Kept apart from the pages (:mod:`._pages`, which draw the maps) so that the action lists
(:mod:`._actions`) name their files without importing the maps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from geo_trygg._text import ascii_fold

__all__ = [
    "FUNCTION_WORDS",
    "MAX_NAME",
    "WINDOWS_DEVICES",
    "display_name",
    "display_names",
    "slug",
    "unique_names",
]


def slug(name: str) -> str:
    """A folder name for an area: ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slug("Hägersten-Älvsjö"), slug("Södermalm / City"), slug("<b>")
    ('hagersten-alvsjo', 'sodermalm-city', 'b')
    """
    folded = ascii_fold(name).lower()
    out = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in folded)
    return "-".join(part for part in out.split("-") if part) or "omrade"


MAX_NAME = 80
"""The longest folder or file stem :func:`unique_names` gives (a slug cut to 60, a hyphen and
up to 19 hex digits)."""
_MAX_BASE = 60
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{i}" for p in ("com", "lpt") for i in range(10)]
)
"""Names Windows reserves for devices, with any extension (compared in lower case)."""


def unique_names(names: Iterable[str], *, taken: Iterable[str] = ()) -> dict[str, str]:
    """A folder (or file stem) for each name: portable, and unique among ``names``.

    Each name gets its :func:`slug`, cut to 60 characters. The first name (in code point
    order of the exact names) with a given slug gets the slug itself; every other name with
    that slug, and a name whose slug is a Windows device name (``con``, ``nul``, ``com1``…)
    or one of ``taken``, gets the slug plus ``-`` and the first 8 hex digits of the SHA-256 of
    its exact text (UTF-8), so adding a name never renames another name's folder unless the
    new name sorts first among names with the same slug. The result depends only on the set
    of names, is never empty, never a device name, at most :data:`MAX_NAME` characters, only
    ``a-z``, ``0-9`` and ``-``, and never ends with a dot or a space.

    Parameters
    ----------
    names : iterable of str
        The names (repeats are one name).
    taken : iterable of str, optional
        Stems no name may get (e.g. a reserved file name).

    Returns
    -------
    dict of str to str
        Name → folder or stem.

    Examples
    --------
    >>> unique_names(["Älvsjö", "Alvsjo", "CON"])
    {'Alvsjo': 'alvsjo', 'CON': 'con-a3dbc4b6', 'Älvsjö': 'alvsjo-91283d2a'}
    """
    used = set(taken)
    ordered = sorted(set(names))
    bases = {name: slug(name)[:_MAX_BASE].rstrip("-") or "omrade" for name in ordered}
    out: dict[str, str] = {}
    for name in ordered:  # plain slugs first: no suffixed name can take one
        base = bases[name]
        if base not in used and base not in WINDOWS_DEVICES:
            out[name] = base
            used.add(base)
    for name in ordered:
        if name in out:
            continue
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
        candidates = [f"{bases[name]}-{digest[:width]}" for width in (8, 12, 19)]
        candidates += [f"{bases[name]}-{digest[:8]}-{n}" for n in range(2, len(used) + 3)]
        chosen = next(c for c in candidates if c not in used)
        out[name] = chosen
        used.add(chosen)
    return {name: out[name] for name in ordered}


FUNCTION_WORDS = frozenset(
    ["i", "å", "och", "på", "vid", "av", "över", "under", "med", "till", "om", "för", "mot", "ur"]
)
"""Short Swedish function words written in lower case inside a name (``Kista i norr``);
the first word of a name is always capitalised."""
_ROMAN = frozenset("IVX")


def _lower(ch: str) -> str:
    """``ch`` in lower case when that is one character (``İ`` stays as it is)."""
    low = ch.lower()
    return low if len(low) == 1 else ch


def _upper(ch: str) -> str:
    up = ch.upper()
    return up if len(up) == 1 else ch


def _word(word: str, first: bool) -> str:
    """One word of an all-capitals name in title case: lower case, the first cased letter
    upper case, except a function word after the first word and a Roman numeral (``II``)."""
    if len(word) > 1 and set(word) <= _ROMAN:
        return word
    low = "".join(_lower(ch) for ch in word)
    if not first and low in FUNCTION_WORDS:
        return low
    for i, ch in enumerate(low):
        if ch.lower() != ch.upper():  # the first letter with a case
            return low[:i] + _upper(ch) + low[i + 1 :]
    return low


def display_name(name: str) -> str:
    """An area's name as people write it: a name in capitals only (as many boundary files
    spell them) in title case with Swedish rules; any other name exactly as written.

    Words are separated by white space and hyphens; in each word the first letter is upper
    case and the others lower case (``S:T ERIK`` → ``S:t Erik``), except short function words
    inside the name (:data:`FUNCTION_WORDS`: ``i``, ``och``, ``på``, ``vid`` …) in lower case
    and Roman numerals of two or more letters (``II``) as written. A name with any lower-case
    letter is already as its source wants it and is returned unchanged. Only the case of
    letters changes (never a letter, a space or a punctuation mark), and
    ``display_name(display_name(x)) == display_name(x)``.

    Parameters
    ----------
    name : str
        The name as the source spells it.

    Returns
    -------
    str
        The name to show.

    Examples
    --------
    >>> display_name("HÄGERSTEN-ÄLVSJÖ"), display_name("NORRA DJURGÅRDEN")
    ('Hägersten-Älvsjö', 'Norra Djurgården')
    >>> display_name("ENSKEDE-ÅRSTA-VANTÖR"), display_name("S:T ERIK")
    ('Enskede-Årsta-Vantör', 'S:t Erik')
    >>> display_name("KUNGSHOLMEN OCH STADSHAGEN"), display_name("Rinkeby-Kista")
    ('Kungsholmen och Stadshagen', 'Rinkeby-Kista')
    >>> display_name("van Gogh i NORR")
    'van Gogh i NORR'
    """
    if any(ch.islower() for ch in name):
        return name
    out: list[str] = []
    word: list[str] = []
    first = True
    for ch in name + " ":
        if ch.isspace() or ch == "-":
            if word:
                out.append(_word("".join(word), first))
                first = False
                word = []
            out.append(ch)
        else:
            word.append(ch)
    return "".join(out)[:-1]


def display_names(areas: pd.DataFrame) -> pd.DataFrame:
    """The areas with their names as people write them (:func:`display_name`) in ``name``
    and the source's spelling in ``name_source`` (a copy; read once where a pack reads its
    boundaries, so every table, page, folder and map uses the same name).

    Within a level, names whose display would equal another source name's display (e.g.
    ``ÄLVSJÖ`` beside ``Älvsjö``) keep their source spelling, so two areas never become one.

    Parameters
    ----------
    areas : pandas.DataFrame
        Areas with ``name`` (and ``level`` when there are several levels).

    Returns
    -------
    pandas.DataFrame
        A copy with ``name`` displayed and ``name_source`` added (kept when present).

    Examples
    --------
    >>> areas = pd.DataFrame({"name": ["SÖDERMALM", "Södermalm", "ÄLVSJÖ"],
    ...                       "level": ["stadsdel", "stadsdelsomrade", "stadsdel"]})
    >>> display_names(areas)[["name", "name_source"]].values.tolist()
    [['Södermalm', 'SÖDERMALM'], ['Södermalm', 'Södermalm'], ['Älvsjö', 'ÄLVSJÖ']]
    """
    out = areas.copy()
    source = out["name"].astype(object)
    levels = out["level"].astype(str) if "level" in out.columns else pd.Series("", out.index)
    shown = []
    for level, name in zip(levels, source, strict=True):
        shown.append((level, name, display_name(name) if isinstance(name, str) else name))
    by_shown: dict[tuple[str, object], set[object]] = {}
    for level, name, new in shown:
        by_shown.setdefault((level, new), set()).add(name)
    out["name"] = [new if len(by_shown[(level, new)]) == 1 else name for level, name, new in shown]
    if "name_source" not in out.columns:
        out["name_source"] = source.to_numpy()
    return out
