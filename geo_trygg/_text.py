"""Small text helpers shared by readers and joins (private)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")

SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character ``str.strip()`` removes (``str.isspace()``), for libraries that take the
characters to strip (Apache Arrow's ``utf8_trim``); ``tests/test_io_events_tabular.py`` checks."""
_SPACE = re.compile(r"\s+")


def normalize_name(value: object) -> str:
    """Normalise a place or column name for matching.

    Case-folded, NFC-normalised, dashes unified to ``-``, spaces around dashes removed and
    runs of white space collapsed. Swedish letters (å, ä, ö) are kept: ``"Älvsjö"`` and
    ``"ALVSJO"`` are different names.

    Parameters
    ----------
    value : object
        Any value; ``None`` and NaN give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_name("  Hägersten – Älvsjö ")
    'hägersten-älvsjö'
    """
    if isinstance(value, str):
        return _normalize_name_text(value)
    return _normalize_name_uncached(value)


@lru_cache(maxsize=65_536)
def _normalize_name_text(value: str) -> str:
    return _normalize_name_uncached(value)


def _normalize_name_uncached(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _DASHES.sub("-", text)
    text = _SPACE.sub(" ", text).strip().casefold()
    return re.sub(r"\s*-\s*", "-", text)


def ascii_fold(value: str) -> str:
    """Fold Swedish letters to ASCII (``å``/``ä`` → ``a``, ``ö`` → ``o``) for identifiers.

    Examples
    --------
    >>> ascii_fold("stadsdelsområde")
    'stadsdelsomrade'
    """
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
