"""The pack's ``index.html``: every page with its key figures (count, change arrow and label,
priority rank in words: "2 (delad)" for a shared rank, "ingen rangordning möjlig: …" where the
level cannot be ranked), the period, sources and counts, what the data can show (each source's
dates and the days of the periods it covers; under each level, how many points it could place
and how — in a public pack only the warning where under half could be placed, no counts), and
the links to the action lists (each actor's name in words, its open and overdue findings,
page and Excel), the changes page and the rejected rows (with their number), the police
category and list year of an utsatt område beside its name (:func:`police_category`), and
the section "Antaganden och varningar"
(English "Assumptions and warnings"): every note of the readers and warning of the build
(:mod:`geo_trygg.pack._notes`), or one line saying there are none.

Rendered with jinja2 with autoescaping on, so area names and titles from the data show as
text. ``lang`` is set on the page; the classification banner tops it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geo_trygg._labels import msg
from geo_trygg._text import ascii_fold
from geo_trygg.export import page_template, render_page
from geo_trygg.maps import level_name, number
from geo_trygg.pack._notes import NOTE, source_label

__all__ = ["area_police_categories", "police_category", "write_index"]

_TEMPLATE = page_template("""{% extends "base.html" %}
{% block style %}.failed { color: #8a0000; } .police { font-size: .9em; color: #444; }
.notes .source { font-weight: 600; }{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
<p>{{ period_label }}: {{ period }}
{%- if compare %} · {{ compare_label }}: {{ compare }}{% endif %}</p>
{% if sources %}<p>{{ sources_label }}: {{ sources }}</p>{% endif %}
{% if extracted %}<p>{{ extracted_label }}: {{ extracted }}</p>{% endif %}
{% if public_intro %}<p>{{ public_intro }}</p>{% endif %}
<p><a href="avvisade_rader.csv">{{ rejected_text }}</a></p>
<p><a href="andringar.html">{{ changes_label }}</a></p>
{% if actions %}<section id="atgardslistor" aria-labelledby="atgardslistor-rubrik">
<h2 id="atgardslistor-rubrik">{{ actions_title }}</h2>
<table>
<thead><tr><th scope="col">{{ actions_actor }}</th><th scope="col">{{ actions_open }}</th>
<th scope="col">{{ actions_overdue }}</th><th scope="col">{{ links_label }}</th></tr></thead>
<tbody>
{% for item in actions %}<tr><td>{{ item.actor }}</td><td class="num">{{ item.n_open }}</td>
<td class="num">{{ item.n_overdue }}</td>
<td><a href="atgardslistor/{{ item.html }}">{{ actions_page }}</a> ·
<a href="atgardslistor/{{ item.xlsx }}">Excel</a></td></tr>
{% endfor %}</tbody>
</table>
</section>{% endif %}
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
<tr><td>{{ row.area }}{% if row.police %}<br><span class="police">{{ row.police }}</span>
{%- endif %}</td><td class="num">{{ row.n }}</td>
<td>{% if row.arrow %}<span aria-hidden="true">{{ row.arrow }} </span>{% endif -%}
{{ row.change }}</td>
{% if ranked %}<td{% if row.rank_number %} class="num"{% endif %}>{{ row.rank }}</td>{% endif %}
<td><a href="{{ row.path }}/karta.html">{{ map_label }}</a> ·
<a href="{{ row.path }}/lagesbild.html">{{ report_label }}</a> ·
<a href="{{ row.path }}/lagesbild.xlsx">Excel</a>
{%- if plans %} ·
<a href="{{ row.path }}/atgardsplan.html">{{ plan_label }}</a>{% endif %}</td></tr>
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


_CATEGORIES = {
    "sarskilt utsatt omrade": "especially_vulnerable",
    "sarskilt utsatt": "especially_vulnerable",
    "utsatt omrade": "vulnerable",
    "utsatt": "vulnerable",
    "riskomrade": "risk",
}
"""The police's categories of utsatta områden, as their files write them (folded)."""


def police_category(category: Any, year: Any, lang: str | None = None) -> str | None:
    """An utsatt område's police category in words, with the year of the police's list.

    Parameters
    ----------
    category : str
        The category as the police's file writes it (``KATEGORI``: "Särskilt utsatt område",
        "Utsatt område", "Riskområde"); another text is shown as written.
    year : int, optional
        The year of the list (the 2023 list's areas are valid from 2023-12-01).
    lang : {"sv", "en"}, optional
        Language; ``geo_trygg.settings.lang`` by default.

    Returns
    -------
    str or None
        E.g. "Särskilt utsatt område enligt polisens lista 2023"; None without a category.

    Examples
    --------
    >>> police_category("Riskområde", 2023, "sv")
    'Riskområde enligt polisens lista 2023'
    >>> police_category("SÄRSKILT UTSATT OMRÅDE", 2025, "en")
    'Especially vulnerable area on the police list of 2025'
    >>> police_category(None, 2025, "sv") is None
    True
    """
    if not isinstance(category, str) or not category.strip():
        return None
    code = _CATEGORIES.get(" ".join(ascii_fold(category).lower().split()))
    if code == "especially_vulnerable":
        words = msg("police_especially_vulnerable", lang)
    elif code == "vulnerable":
        words = msg("police_vulnerable", lang)
    elif code == "risk":
        words = msg("police_risk", lang)
    else:
        words = category.strip()
    if isinstance(year, int) and not isinstance(year, bool):
        return msg("police_category_year", lang, category=words, year=year)
    return words


_CATEGORY_COLUMNS = ("kategori", "src_KATEGORI", "src_kategori")
"""Where an area's police category is: the catalogued police sources' ``kategori``, or the
police file's own field read without the catalogue."""


def area_police_categories(
    areas: pd.DataFrame, levels: list[str], lang: str, end: Any = None
) -> dict[tuple[str, str], str]:
    """``(level, name)`` → :func:`police_category` of each area with a ``kategori`` (the
    police's utsatta områden; ``src_KATEGORI`` when read without the catalogue), the year
    being that of its ``valid_from``; where an area is on
    several lists, the latest that starts before ``end`` (else the latest)."""
    column = next((c for c in _CATEGORY_COLUMNS if c in areas.columns), None)
    if column is None or "level" not in areas.columns:
        return {}
    rows = areas.loc[areas["level"].isin(levels) & areas[column].notna()]
    starts = pd.to_datetime(rows.get("valid_from"), errors="coerce") if len(rows) else None
    chosen: dict[tuple[str, str], tuple[tuple[bool, pd.Timestamp], str, Any]] = {}
    for i, (level, name, category) in enumerate(
        zip(rows["level"], rows["name"], rows[column], strict=True)
    ):
        start = starts.iloc[i] if starts is not None else pd.NaT
        before = end is None or pd.isna(start) or start < pd.Timestamp(end)
        key = (before, pd.Timestamp.min if pd.isna(start) else start)
        year = None if pd.isna(start) else int(start.year)
        if (str(level), str(name)) not in chosen or key > chosen[(str(level), str(name))][0]:
            chosen[(str(level), str(name))] = (key, category, year)
    out = {}
    for area, (_key, category, year) in sorted(chosen.items()):
        text = police_category(category, year, lang)
        if text is not None:
            out[area] = text
    return out


def write_index(
    path: Path,
    config: Any,
    lb: Any,
    result: Any,
    *,
    police: dict[tuple[str, str], str] | None = None,
    plans: bool = False,
) -> Path:
    """Write the pack's index page (``police``: :func:`area_police_categories`; ``plans``:
    each page has a plan page, ``atgardsplan.html``, linked beside its lägesbild)."""
    lang = config.lang
    # what the data can show: the sources' dates once, each level's placement in its section
    coverage = lb.to_summary(lang, parts=("coverage",), public=config.privacy == "public")
    sections = []
    for level in config.page_levels:
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
                "police": (police or {}).get((level, page["area"])),
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
        plans=plans,
        plan_label=msg("pack_plan", lang),
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
        actions=[
            {
                "actor": item.actor,
                "html": item.html.name,
                "xlsx": item.xlsx.name,
                "n_open": number(item.n_open, lang),
                "n_overdue": number(item.n_overdue, lang),
            }
            for item in getattr(result, "actions", [])
        ],
        actions_title=msg("pack_actions_title", lang),
        actions_actor=msg("pack_actions_actor", lang),
        actions_open=msg("pack_actions_open", lang),
        actions_overdue=msg("pack_actions_overdue", lang),
        actions_page=msg("pack_actions_page", lang),
    )
    path.write_text(html, encoding="utf-8")
    return path
