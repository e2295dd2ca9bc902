"""Deterministic HTML: the random element ids of folium and branca made stable.

folium and branca name every element ``<name>_<32 hex digits>`` (e.g. ``map_…``,
``geo_json_…``, ``feature_group_…``, ``color_map_…``), the hex digits drawn from
``os.urandom`` (or ``uuid4`` for copies). :func:`stable_ids` numbers these ids in order of
first appearance, so the same map gives the same bytes.
"""

from __future__ import annotations

import re

__all__ = ["stable_ids"]

_HEX = r"[0-9a-f]{32}"
# An id is one that folium/branca *define*: a JavaScript variable or function, or an HTML
# element id. Only such hex tokens are renumbered, so 32-digit hex text in the data (hashes,
# uuids) that is not an element's id is left as it is.
_DEFINED = re.compile(
    rf"(?:\b(?:var|let|const|function)\s+|\bid\s*=\s*[\"']?)"
    rf"[A-Za-z_$][\w$]*?_(?P<hex>{_HEX})"
)
# Ids always follow an underscore (``name_<id>``) and may be followed by more name
# (``geo_json_<id>searchControl``, ``layer_control_<id>_layers``).
_TOKEN = re.compile(rf"(?<=_)(?P<hex>{_HEX})")


def stable_ids(html: str) -> str:
    """Replace folium's and branca's random element ids by numbers in order of appearance.

    Every id (the 32 hex digits after names such as ``map_``, ``geo_json_``,
    ``feature_group_``, ``color_map_``) becomes ``0000…0001``, ``0000…0002``, … (still 32 hex
    digits), numbered by where it first appears in the page, and is replaced everywhere it
    appears (JavaScript names, element ids, CSS selectors, layer-control labels). Two renders
    of the same map give the same bytes; applying the function twice changes nothing more.

    Parameters
    ----------
    html : str
        A whole page rendered by folium (``m.get_root().render()``).

    Returns
    -------
    str
        The page with stable ids.

    Examples
    --------
    >>> page = '<div id="map_' + 'ab' * 16 + '"></div><script>var map_' + 'ab' * 16 + ';</script>'
    >>> stable_ids(page).count("map_" + "0" * 31 + "1")
    2
    """
    defined = {m.group("hex") for m in _DEFINED.finditer(html)}
    if not defined:
        return html
    numbers: dict[str, str] = {}

    def repl(match: re.Match[str]) -> str:
        token = match.group("hex")
        if token not in defined:
            return token
        if token not in numbers:
            numbers[token] = f"{len(numbers) + 1:032x}"
        return numbers[token]

    return _TOKEN.sub(repl, html)
