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

Neither way may make a value **template source**. branca renders every element of a map once
(its class template, with the data as variables) and then wraps the output in a new
``branca.element.Element(output)`` — which compiles its argument as a Jinja2 template, so the
figure would evaluate ``{{ … }}``, ``{% … %}`` or ``{# …`` in any text a layer, popup,
tooltip, layer name, title box or legend holds: ``{{7*7}}`` would show as 49, a payload could run
code, ``Lampa {# trasig`` would stop the build. :func:`raw_elements` closes that path at its one
source, ``Element``'s compile: while a map renders, text handed to ``Element(...)`` is kept as
it is (:class:`RawTemplate`), for folium's own layers and controls as for ours. The maps'
``render`` and :func:`~geo_trygg.maps.map_html` render inside it; class templates (the code)
are compiled as before, and output without template syntax is byte for byte what branca made.
"""

from __future__ import annotations

import contextvars
import html
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import branca
import branca.element

from geo_trygg._errors import GeoTryggError
from geo_trygg._labels import msg

__all__ = ["RawTemplate", "raw_elements", "script_json", "text"]

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


_NEWLINE = re.compile(r"\r\n|\r|\n")
_RAW = contextvars.ContextVar("geo_trygg_raw_elements", default=False)
_INSTALL = threading.Lock()


class RawTemplate:
    """Text that stands where branca would compile a template: rendered as it is.

    ``render`` gives what Jinja2 gives for text without template syntax (line breaks written
    as ``\\n`` and one trailing line break dropped, as ``jinja2.Template`` does by default), so a
    page whose texts hold no ``{{``, ``{%`` or ``{#`` keeps its bytes; any other text is shown,
    never evaluated.

    Parameters
    ----------
    source : str
        Output that an element has already rendered.

    Examples
    --------
    >>> RawTemplate("Lampa {# trasig {{7*7}}\\r\\n").render(this=None)
    'Lampa {# trasig {{7*7}}'
    """

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        text = _NEWLINE.sub("\n", str(source))
        self.source = text[:-1] if text.endswith("\n") else text

    def render(self, *args: Any, **kwargs: Any) -> str:
        """The text (arguments are ignored: nothing in it is a variable)."""
        return self.source


def _install() -> None:
    """Put the switch into branca's compile of ``Element(template)``, once per process.

    Outside :func:`raw_elements` the switch compiles as before (the Jinja2 template class
    branca had), so other folium and branca code is unchanged.
    """
    with _INSTALL:
        current = branca.element.Template
        if getattr(current, "geo_trygg_raw", False):
            return
        compile_template: Callable[..., Any] = current

        def template(source: Any, *args: Any, **kwargs: Any) -> Any:
            if _RAW.get() and isinstance(source, str) and not args and not kwargs:
                return RawTemplate(source)
            return compile_template(source, *args, **kwargs)

        template.geo_trygg_raw = True  # type: ignore[attr-defined]
        branca.element.Template = template  # type: ignore[assignment,misc]


@contextmanager
def raw_elements() -> Iterator[None]:
    """Render inside this and no rendered output is compiled as a template again.

    While the block runs (in this thread or task only: a context variable says so), every
    ``branca.element.Element(text)`` keeps ``text`` as it is (:class:`RawTemplate`). That is
    where branca and folium put each element's rendered output (``MacroElement``,
    ``Popup``, ``Map``, class includes, folium's features) before the figure writes it, so
    data shown by any layer is never evaluated. Blocks may nest.

    Raises
    ------
    GeoTryggError
        branca no longer compiles ``Element`` text where this expects (a branca version this
        was not made for): the map is not rendered rather than rendered unsafely.

    Examples
    --------
    >>> from branca.element import Element
    >>> with raw_elements():
    ...     Element("{{7*7}}").render()
    '{{7*7}}'
    >>> Element("{{7*7}}").render()
    '49'
    """
    _install()
    token = _RAW.set(True)
    try:
        if not isinstance(branca.element.Element("{{ x }}")._template, RawTemplate):
            raise GeoTryggError(msg("map_unsafe_branca", version=branca.__version__))
        yield
    finally:
        _RAW.reset(token)
