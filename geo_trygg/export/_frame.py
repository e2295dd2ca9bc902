"""The one HTML frame of every page the project writes: a pack's index, changes page and
action lists, and the lägesbild report (``lagesbild.html``, :func:`geo_trygg.export.write_html`).

The frame sets the language, title, classification banner and a plain readable style with
visible focus; jinja2 renders with autoescaping, so every text from the data shows as text.

A page's template is source code, never data: each module compiles its template once, from
its own constant, with :func:`page_template`, and :func:`render_page` takes only such a
compiled template — a string (which might hold data) is refused — so data reaches a page only
as the values it renders, escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import DictLoader, Environment, Template

from geo_trygg._labels import msg

__all__ = ["page_template", "render_page"]

_BASE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: {{ width }};
  padding: 0 16px 32px; color: #1a1a1a; }
.banner { background: #b00020; color: #fff; font-weight: 700; text-align: center; padding: 4px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 700; padding: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #ccc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0b4f9c; } a:focus { outline: 3px solid #ffbf47; }
li { margin: 2px 0; }
nav.gt-links { margin: 8px 0 0; font-size: .95em; }
nav.gt-links ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 4px 18px; }
@media print { nav.gt-links { display: none; } }
{% block style %}{% endblock %}
</style>
</head>
<body>
{% if banner %}<div class="banner" role="note">{{ banner }}</div>{% endif %}
{% if nav %}<nav class="gt-links" aria-label="{{ nav_label }}"><ul>
{% for text, href in nav %}<li><a href="{{ href }}">{{ text }}</a></li>
{% endfor %}</ul></nav>{% endif %}
<main>
{% block main %}{% endblock %}
</main>
{% block footer %}{% endblock %}
</body>
</html>
"""
_ENV = Environment(
    loader=DictLoader({"base.html": _BASE}), autoescape=True, keep_trailing_newline=True
)


def page_template(source: str) -> Template:
    """Compile a page's template, once, from the rendering module's own constant.

    Parameters
    ----------
    source : str
        Template source that extends ``base.html`` (blocks ``style``, ``main`` and
        ``footer``): code written in geo_trygg, never text from the data or the configuration.

    Returns
    -------
    jinja2.Template
        For :func:`render_page` (autoescaping on).
    """
    return _ENV.from_string(source)


def render_page(
    template: Template,
    *,
    width: str = "980px",
    nav: Sequence[tuple[str, str]] | None = None,
    **values: Any,
) -> str:
    """Render a page from its compiled template; ``lang``, ``title`` and ``banner`` are used
    by the frame, every value is escaped.

    Parameters
    ----------
    template : jinja2.Template
        From :func:`page_template`.
    width : str, default "980px"
        The page's maximum width (CSS).
    nav : sequence of (str, str), optional
        A navigation bar at the top of the page: each link's text and relative address
        (e.g. ``("Startsida", "../../index.html")``); hidden in print. Its label for screen
        readers is ``nav_label`` in ``values`` (default: "Navigering" in the page's ``lang``).
    **values
        The page's values (data is only ever passed here).

    Returns
    -------
    str
        The page.

    Raises
    ------
    TypeError
        ``template`` is not from :func:`page_template` (e.g. a string).
    """
    if not isinstance(template, Template) or template.environment is not _ENV:
        raise TypeError(
            "render_page takes a template compiled by page_template from a constant, "
            f"not {type(template).__name__}"
        )
    if nav and "nav_label" not in values:
        values["nav_label"] = msg("nav_label", values.get("lang"))
    return template.render(width=width, nav=[tuple(link) for link in nav or ()], **values)
