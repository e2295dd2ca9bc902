"""The pack's ``index.html``: every page with its key figures, the period, sources and counts.

Rendered with jinja2 with autoescaping on, so area names and titles from the data show as
text. ``lang`` is set on the page; the classification banner tops it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment

from geo_trygg._labels import msg
from geo_trygg.maps._classes import number
from geo_trygg.maps._map import _level_name

__all__ = ["write_index"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px;
  padding: 0 16px 32px; color: #1a1a1a; }
.banner { background: #b00020; color: #fff; font-weight: 700; text-align: center; padding: 4px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ccc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0b4f9c; } a:focus { outline: 3px solid #ffbf47; }
.failed { color: #8a0000; }
</style>
</head>
<body>
{% if banner %}<div class="banner" role="note">{{ banner }}</div>{% endif %}
<main>
<h1>{{ title }}</h1>
<p>{{ period_label }}: {{ period }}
{%- if compare %} · {{ compare_label }}: {{ compare }}{% endif %}</p>
{% if sources %}<p>{{ sources_label }}: {{ sources }}</p>{% endif %}
{% if extracted %}<p>{{ extracted_label }}: {{ extracted }}</p>{% endif %}
<p>{{ rejected_text }}</p>
<p><a href="andringar.html">{{ changes_label }}</a></p>
{% for section in sections %}
<h2>{{ section.title }}</h2>
<table>
<thead><tr><th scope="col">{{ area_label }}</th><th scope="col">{{ count_label }}</th>
<th scope="col">{{ change_label }}</th><th scope="col">{{ links_label }}</th></tr></thead>
<tbody>
{% for row in section.rows %}
<tr><td>{{ row.area }}</td><td class="num">{{ row.n }}</td><td>{{ row.change }}</td>
<td><a href="{{ row.path }}/karta.html">{{ map_label }}</a> ·
<a href="{{ row.path }}/lagesbild.html">{{ report_label }}</a> ·
<a href="{{ row.path }}/lagesbild.xlsx">Excel</a></td></tr>
{% endfor %}
</tbody>
</table>
{% endfor %}
{% if failed %}<h2 class="failed">{{ failed_label }}</h2>
<ul>{% for f in failed %}<li>{{ f.area }} ({{ f.level }}): {{ f.error }}</li>{% endfor %}</ul>
{% endif %}
</main>
</body>
</html>
"""


def write_index(path: Path, config: Any, lb: Any, result: Any) -> Path:
    """Write the pack's index page."""
    lang = config.lang
    sections = []
    for level in config.pages:
        rows = [
            {
                "area": page["area"],
                "n": number(page["n"], lang) if page["n"] is not None else "–",
                "change": page.get("change_label") or "",
                "path": page["path"],
            }
            for page in result.pages
            if page["level"] == level
        ]
        if rows:
            sections.append({"title": _level_name(level, lang), "rows": rows})
    env = Environment(autoescape=True, keep_trailing_newline=True)
    html = env.from_string(_TEMPLATE).render(
        lang=lang,
        title=config.title,
        banner=config.classification,
        period=lb.period.label,
        compare=lb.compare.label if lb.compare else None,
        sources=", ".join(config.sources),
        extracted=config.extracted,
        period_label=msg("map_period", lang),
        compare_label=msg("map_compare", lang),
        sources_label=msg("map_sources", lang),
        extracted_label=msg("map_extracted", lang),
        rejected_text=msg("pack_rejected_rows", lang, n=result.rejected),
        area_label=msg("map_field_name", lang),
        count_label=msg("pack_count", lang),
        change_label=msg("map_field_change", lang),
        links_label=msg("pack_links", lang),
        map_label=msg("pack_map", lang),
        report_label=msg("pack_report", lang),
        failed_label=msg("pack_failed", lang),
        changes_label=msg("changes_title", lang),
        sections=sections,
        failed=result.failed,
    )
    path.write_text(html, encoding="utf-8")
    return path
