"""Untrusted text in HTML maps: how it gets there without running.

Every string from the data or the caller (area and place names, descriptions, actors,
categories, layer names, legend labels, titles, the search index) reaches the map in one of two
ways, both safe by construction:

- as **data**: JSON inside a ``<script>`` block, with ``<``, ``>``, ``&`` and the line
  separators written as ``\\u`` escapes (:func:`script_json`), so no value can close the script
  or open a comment; the map's own JavaScript then puts the values into the page with
  ``textContent`` / ``value`` (never ``innerHTML``);
- as **HTML text**, escaped with :func:`html.escape` (:func:`text`), e.g. layer names, which
  Leaflet's layer control writes with ``innerHTML``.
"""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["script_json", "text"]

_SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON text that can stand inside a ``<script>`` element, keys sorted.

    Examples
    --------
    >>> print(script_json({"name": "</script><b>"}))
    {"name": "\\u003c/script\\u003e\\u003cb\\u003e"}
    """
    out = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False, default=str)
    for char, escaped in _SCRIPT_SAFE.items():
        out = out.replace(char, escaped)
    return out


def text(value: Any) -> str:
    """``value`` as HTML text (``<``, ``>``, ``&`` and quotes escaped).

    Examples
    --------
    >>> text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape("" if value is None else str(value), quote=True)
