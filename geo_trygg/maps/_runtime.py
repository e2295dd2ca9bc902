"""The map's own JavaScript and CSS, added once to the page's head.

The JavaScript (``runtime.js``) builds every popup, tooltip, legend, title box, banner and
search list from JSON data with ``textContent`` and ``value`` — never ``innerHTML`` — so text
from the data shows as text. Icons, colours and CSS classes come from lookup tables that the
map itself writes, never from a data value. The CSS (``runtime.css``) has the marker shapes and
a print stylesheet that lays out map, title and legend on one landscape page (A4 or A3).

With ``fallback``, the page's body starts with a full-page sentence (``#gt-fallback``, in the
map's language) that the map's script removes as its last step (``geoTrygg.ready``): a map
whose scripts cannot load (no network, no assets folder, JavaScript off) says so instead of
showing a white page.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from branca.element import Element, Figure, MacroElement
from jinja2 import Template

__all__ = ["Runtime"]

_HERE = resources.files("geo_trygg.maps")


def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


class Runtime(MacroElement):
    """The JavaScript and CSS above in the page's head (``paper``: "A4" or "A3"), and the
    ``fallback`` sentence (in ``lang``) at the top of its body."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, paper: str = "A4", fallback: str | None = None, lang: str = "sv") -> None:
        super().__init__()
        self._name = "GeoTryggRuntime"
        self.css = _asset("runtime.css").replace("__PAPER__", paper)
        self.js = _asset("runtime.js")
        self.fallback = fallback
        self.lang = lang

    def render(self, **kwargs: object) -> str:
        """Add the runtime to the figure's head, before the map's scripts use it."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "add the runtime to a map"
        header = self._template.module.header(self, kwargs)
        figure.header.add_child(Element(header), name="gt_runtime")
        if self.fallback:  # shown until the map's scripts ran (runtime.js ``ready``)
            div = (
                '<div id="gt-fallback" class="gt-fallback" role="alert" '
                f'lang="{escape(self.lang)}"><p>{escape(self.fallback)}</p></div>'
            )
            figure.html.add_child(Element(div), name="gt_fallback", index=0)
        return ""
