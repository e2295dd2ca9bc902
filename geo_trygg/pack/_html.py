"""The pages of a pack (index, changes, action lists) share one frame: language, title,
banner, a plain readable style with visible focus; jinja2 with autoescaping, so every text
from the data shows as text."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment

__all__ = ["render_page"]

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
{% block style %}{% endblock %}
</style>
</head>
<body>
{% if banner %}<div class="banner" role="note">{{ banner }}</div>{% endif %}
<main>
{% block main %}{% endblock %}
</main>
</body>
</html>
"""
_ENV = Environment(
    loader=DictLoader({"base.html": _BASE}), autoescape=True, keep_trailing_newline=True
)


def render_page(template: str, *, width: str = "980px", **values: Any) -> str:
    """Render a page template that extends ``base.html`` (blocks ``style`` and ``main``);
    ``lang``, ``title`` and ``banner`` are used by the frame."""
    return _ENV.from_string(template).render(width=width, **values)
