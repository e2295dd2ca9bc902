"""Folder and file names of a pack: portable, unique, stable (the pages' folders and the
action lists' files).

Kept apart from the pages (:mod:`._pages`, which draw the maps) so that the action lists
(:mod:`._actions`) name their files without importing the maps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from geo_trygg._text import ascii_fold

__all__ = ["MAX_NAME", "WINDOWS_DEVICES", "slug", "unique_names"]


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
