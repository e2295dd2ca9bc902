"""The pack's ``index.html``: every page with its key figures (count, change arrow and label,
priority rank in words: "2 (delad)" for a shared rank, "ingen rangordning möjlig: …" where the
level cannot be ranked), the period, sources and counts, what the data can show (each source's
dates and the days of the periods it covers; under each level, how many points it could place
and how — in a public pack only the warning where under half could be placed, no counts), and
the section "Antaganden och varningar"
(English "Assumptions and warnings"): every note of the readers and warning of the build
(:mod:`geo_trygg.pack._notes`), or one line saying there are none.

Rendered with jinja2 with autoescaping on, so area names and titles from the data show as
text. ``lang`` is set on the page; the classification banner tops it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo_trygg._labels import msg
from geo_trygg.export import page_template, render_page
from geo_trygg.maps import level_name, number
from geo_trygg.pack._notes import NOTE, source_label

__all__ = ["write_index"]

_TEMPLATE = page_template("""{% extends "base.html" %}
{% block style %}.failed { color: #8a0000; }
.notes .source { font-weight: 600; }{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
<p>{{ period_label }}: {{ period }}
{%- if compare %} · {{ compare_label }}: {{ compare }}{% endif %}</p>
{% if sources %}<p>{{ sources_label }}: {{ sources }}</p>{% endif %}
{% if extracted %}<p>{{ extracted_label }}: {{ extracted }}</p>{% endif %}
{% if public_intro %}<p>{{ public_intro }}</p>{% endif %}
<p>{{ rejected_text }}</p>
<p><a href="andringar.html">{{ changes_label }}</a></p>
{% if coverage %}<section id="underlag" class="about">
<h2>{{ about_title }}</h2>
<ul>{% for line in coverage %}<li>{{ line }}</li>{% endfor %}</ul>
</section>{% endif %}
{% for section in sections %}
<h2>{{ section.title }}</h2>
{% for line in section.about %}<p class="about">{{ line }}</p>{% endfor %}
<table>
<thead><tr><th scope="col">{{ area_label }}</th><th scope="col">{{ count_label }}</th>
<th scope="col">{{ change_label }}</th>
{%- if ranked %}<th scope="col">{{ rank_label }}</th>{% endif %}
<th scope="col">{{ links_label }}</th></tr></thead>
<tbody>
{% for row in section.rows %}
<tr><td>{{ row.area }}</td><td class="num">{{ row.n }}</td>
<td>{% if row.arrow %}<span aria-hidden="true">{{ row.arrow }} </span>{% endif -%}
{{ row.change }}</td>
{% if ranked %}<td{% if row.rank_number %} class="num"{% endif %}>{{ row.rank }}</td>{% endif %}
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
<section id="antaganden" class="notes" aria-labelledby="antaganden-rubrik">
<h2 id="antaganden-rubrik">{{ notes_title }}</h2>
{% if notes %}<p>{{ notes_intro }}</p>
{% if notes_public %}<p>{{ notes_public }}</p>{% endif %}
<ul>
{% for note in notes %}<li><span class="source">{{ note.source }}</span>
{%- if note.warning %} ({{ warning_word }}){% endif %}: {{ note.text }}</li>
{% endfor %}</ul>
{% elif not notes_left_out %}<p>{{ notes_none }}</p>
{% endif %}
{% if notes_left_out %}<p>{{ notes_left_out }}</p>{% endif %}
</section>
{% endblock %}
""")


_ARROWS = {"increase": "↑", "decrease": "↓", "no_clear_change": "→"}
"""Change codes drawn as arrows beside their label (the label is the text alternative)."""


def write_index(path: Path, config: Any, lb: Any, result: Any) -> Path:
    """Write the pack's index page."""
    lang = config.lang
    # what the data can show: the sources' dates once, each level's placement in its section
    coverage = lb.to_summary(lang, parts=("coverage",), public=config.privacy == "public")
    sections = []
    for level in config.pages:
        rows = [
            {
                "area": page["area"],
                "n": page.get("n_text")
                or (number(page["n"], lang) if page.get("n") is not None else "–"),
                "change": page.get("change_label") or "",
                "arrow": _ARROWS.get(page.get("change_code") or ""),
                "rank": page.get("rank_text") or "–",
                "rank_number": page.get("rank") is not None,
                "path": page["path"],
            }
            for page in result.pages
            if page["level"] == level
        ]
        public = config.privacy == "public"
        about = lb.to_summary(lang, level=level, public=public, parts=("placement",))
        if rows:
            sections.append({"title": level_name(level, lang), "rows": rows, "about": about})
    public = config.privacy == "public"
    notes = [
        {
            "source": source_label(note["source"], lang),
            "text": note["text"],
            "warning": note["category"] != NOTE,
        }
        for note in result.notes
    ]
    left_out = result.notes_left_out
    html = render_page(
        _TEMPLATE,
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
        ranked=any(page.get("rank_text") is not None for page in result.pages),
        rank_label=msg("pack_rank", lang),
        public_intro=msg("pack_public_intro", lang, k=config.min_count, below=config.min_count - 1)
        if public
        else None,
        coverage=coverage,
        about_title=msg("about_heading", lang),
        notes=notes,
        notes_title=msg("pack_notes_title", lang),
        notes_intro=msg("pack_notes_intro", lang),
        notes_public=msg("pack_notes_public", lang) if public else None,
        notes_none=msg("pack_notes_none", lang),
        notes_left_out=msg("pack_notes_left_out", lang, n=left_out) if left_out else None,
        warning_word=msg("pack_notes_warning", lang),
    )
    path.write_text(html, encoding="utf-8")
    return path
