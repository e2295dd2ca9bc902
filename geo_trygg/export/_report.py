"""The HTML report's template and its inline SVG/HTML charts (used by ``_tables.write_html``).

The report is drawn in the project's one HTML frame (:mod:`._frame`). Everything a user or the
data supplies reaches the page through Jinja2 with autoescaping on; nothing here builds markup
by string concatenation. The page is self-contained: inline CSS, no JavaScript, no external
fonts or scripts, no time stamps.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.export._frame import page_template, render_page

__all__ = [
    "REPORT_WIDTH",
    "chart_kind",
    "heat_table",
    "render_report",
    "series_chart",
    "weekly_chart",
]

WEEKLY_COLUMNS = ("week", "weight")
SERIES_COLUMNS = ("role", "x", "value", "ci_low", "ci_high")
HEAT_COLUMNS = ("weekday", "hour", "weight")
_KNOWN = {"week", "week_start", "weekday", "weekday_name", "hour", "weight"}

_TEMPLATE = """\
{% extends "base.html" %}
{% block style %}
table{margin:.5rem 0 1rem;font-size:.9rem;width:auto}
th,td{border:1px solid #ccc;padding:.2rem .45rem}
th{background:#eee}
td.num{white-space:nowrap}
table.heat td,table.heat th{text-align:center;padding:.15rem .25rem;font-size:.75rem}
.note{color:#555;font-size:.85rem}
.wrap{overflow-x:auto}
.wrap:focus{outline:3px solid #ffbf47}
.first{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-start}
.first-text{flex:1 1 30rem;min-width:0}
.first h2{font-size:1.05em;margin:.7em 0 .2em}
.first ul{margin:.2em 0;padding-left:1.2em}
.first li{margin:1px 0}
#about li{font-size:.85rem;line-height:1.3}
div.first-side{flex:0 1 26rem;min-width:0}
figure.picture{margin:.8rem 0 0}
figure.picture img{display:block;width:100%;height:auto;border:1px solid #ccc}
details.analyst{margin-top:2rem;border-top:2px solid #ccc}
details.analyst summary{font-weight:700;font-size:1.2em;padding:.6rem 0;cursor:pointer}
details.analyst h3{font-size:1.05em}
.print-only{display:none}
@media print{@page{size:A4 landscape;margin:10mm}
body{max-width:none;padding:0}
.wrap{overflow:visible}
table{font-size:7pt;width:100%;table-layout:auto}
th,td{padding:.1rem .2rem;overflow-wrap:anywhere}
td.num{white-space:normal}
section{break-inside:auto}
h2,h3{break-after:avoid}
tr{break-inside:avoid}
.first{flex-wrap:nowrap}
div.first-side{flex:0 0 40%}
figure.picture{break-inside:avoid}
details.analyst,nav.contents{display:none}
table.heat,svg,figure.picture{break-inside:avoid}
.print-only{display:block}}
svg text{font-size:10px;fill:#333}
{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
{% for line in lead %}<p class="lead">{{ line }}</p>
{% endfor %}
{% if overview or picture %}
<div class="first">
<div class="first-text">
{{ overview_list(overview[:1] if picture else overview) }}
{% endif %}
{% if summary %}
<section id="about" class="about">
<h2>{{ summary.heading }}</h2>
<ul>
{% for line in summary.lines %}
<li>{{ line }}</li>
{% endfor %}
</ul>
</section>
{% endif %}
{% if overview or picture %}
</div>
{% if picture %}
<div class="first-side">
<figure class="picture"><img src="{{ picture }}" alt="{{ picture_alt }}"></figure>
{{ overview_list(overview[1:], 1) }}
</div>
{% endif %}
</div>
{% endif %}
<nav class="contents" aria-label="{{ contents }}">
<h2>{{ contents }}</h2>
<ul>
{% for c in charts %}
<li><a href="#{{ c.anchor }}">{{ c.caption }}</a></li>
{% endfor %}
{% for s in sections %}
<li><a href="#{{ s.anchor }}">{{ s.name }}</a></li>
{% endfor %}
{% if analyst %}
<li><a href="#analyst">{{ analyst_heading }}</a></li>
{% endif %}
</ul>
</nav>
{% for c in charts %}
<section id="{{ c.anchor }}">
<h2>{{ c.caption }}</h2>
{% if c.kind == "weekly" %}
<svg xmlns="http://www.w3.org/2000/svg" width="{{ c.width }}" height="{{ c.height }}" \
viewBox="0 0 {{ c.width }} {{ c.height }}" style="max-width:100%;height:auto" \
role="img" aria-label="{{ c.caption }}">
<line x1="{{ c.left }}" y1="{{ c.base }}" x2="{{ c.right }}" y2="{{ c.base }}" stroke="#999"/>
<line x1="{{ c.left }}" y1="{{ c.top }}" x2="{{ c.left }}" y2="{{ c.base }}" stroke="#999"/>
<text x="{{ c.left - 4 }}" y="{{ c.base }}" text-anchor="end">0</text>
<text x="{{ c.left - 4 }}" y="{{ c.top + 8 }}" text-anchor="end">{{ c.ymax }}</text>
{% for b in c.bars %}
<rect x="{{ b.x }}" y="{{ b.y }}" width="{{ b.w }}" height="{{ b.h }}" fill="#2166ac">\
<title>{{ b.title }}</title></rect>
{% endfor %}
{% for t in c.xlabels %}
<text x="{{ t.x }}" y="{{ c.base + 14 }}" text-anchor="middle">{{ t.text }}</text>
{% endfor %}
</svg>
{% elif c.kind == "series" %}
<svg xmlns="http://www.w3.org/2000/svg" width="{{ c.width }}" height="{{ c.height }}" \
viewBox="0 0 {{ c.width }} {{ c.height }}" style="max-width:100%;height:auto" \
role="img" aria-label="{{ c.caption }}">
{% for t in c.yticks %}
<line x1="{{ c.left }}" y1="{{ t.y }}" x2="{{ c.right }}" y2="{{ t.y }}" stroke="#e3e3e3"/>
<text x="{{ c.left - 4 }}" y="{{ t.y }}" dy="3" text-anchor="end">{{ t.text }}</text>
{% endfor %}
<line x1="{{ c.left }}" y1="{{ c.base }}" x2="{{ c.right }}" y2="{{ c.base }}" stroke="#999"/>
<line x1="{{ c.left }}" y1="{{ c.top }}" x2="{{ c.left }}" y2="{{ c.base }}" stroke="#999"/>
{% for t in c.xlabels %}
<text x="{{ t.x }}" y="{{ c.base + 14 }}" text-anchor="middle">{{ t.text }}</text>
{% endfor %}
{% if c.path %}
<polyline points="{{ c.path }}" fill="none" stroke="#b2182b" stroke-width="2" \
stroke-dasharray="6 4"><title>{{ c.path_title }}</title></polyline>
<text x="{{ c.path_label.x }}" y="{{ c.path_label.y }}" text-anchor="end" \
style="fill:#b2182b">{{ c.path_label.text }}</text>
{% endif %}
{% for p in c.points %}
{% if p.bar %}<line x1="{{ p.x }}" y1="{{ p.y1 }}" x2="{{ p.x }}" y2="{{ p.y2 }}" \
stroke="#2166ac" stroke-width="1.5"/>\
<line x1="{{ p.cap1 }}" y1="{{ p.y1 }}" x2="{{ p.cap2 }}" y2="{{ p.y1 }}" stroke="#2166ac"/>\
<line x1="{{ p.cap1 }}" y1="{{ p.y2 }}" x2="{{ p.cap2 }}" y2="{{ p.y2 }}" stroke="#2166ac"/>\
{% endif %}
<circle cx="{{ p.x }}" cy="{{ p.y }}" r="4.5" fill="{{ p.fill }}" stroke="#2166ac" \
stroke-width="2"><title>{{ p.title }}</title></circle>
<text x="{{ p.tx }}" y="{{ p.y }}" dy="-6">{{ p.text }}</text>
{% endfor %}
</svg>
<p class="note">{{ c.legend }}</p>
{% else %}
<div class="wrap" tabindex="0" role="region" aria-label="{{ c.caption }}">\
<table class="heat">
<thead><tr><th></th>{% for h in c.hours %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in c.rows %}
<tr><th scope="row">{{ r.name }}</th>{% for cell in r.cells %}\
<td style="background:{{ cell.bg }};color:{{ cell.fg }}" title="{{ cell.title }}">\
{{ cell.text }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table></div>
{% endif %}
{% for n in c.notes %}
<p class="note">{{ n }}</p>
{% endfor %}
</section>
{% endfor %}
{% for s in sections %}
{{ table(s, "h2") }}
{% endfor %}
{% if analyst %}
<details class="analyst" id="analyst">
<summary>{{ analyst_heading }}</summary>
<p class="note">{{ analyst_note }}</p>
{% for s in analyst %}
{{ table(s, "h3") }}
{% endfor %}
</details>
<p class="note print-only">{{ analyst_print }}</p>
{% endif %}
{% endblock %}
{% block footer %}
<footer class="note">{% for n in footer %}<p>{{ n }}</p>{% endfor %}</footer>
{% endblock %}
{% macro overview_list(groups, start=0) %}
{% for o in groups %}
<section class="overview" id="overview{{ loop.index + start }}">
<h2>{{ o.heading }}</h2>
<ul>
{% for line in o.lines %}
<li>{{ line }}</li>
{% endfor %}
</ul>
</section>
{% endfor %}
{% endmacro %}
{% macro table(s, h) %}
<section id="{{ s.anchor }}">
<{{ h }}>{{ s.name }}</{{ h }}>
{% if s.n_rows == 0 %}
<p class="note">{{ empty }}</p>
{% else %}
<div class="wrap" tabindex="0" role="region" aria-label="{{ s.name }}"><table>
<thead><tr>{% for c in s.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in s.rows %}
<tr>{% for cell in row %}<td{% if s.numeric[loop.index0] %} class="num"{% endif %}>\
{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table></div>
{% endif %}
{% for n in s.notes %}
<p class="note">{{ n }}</p>
{% endfor %}
</section>
{% endmacro %}
"""
REPORT_WIDTH = "72rem"
"""The report's maximum width: wide tables (many categories) fit."""


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return page_template(_TEMPLATE)  # compiled once, on first use


def render_report(context: dict[str, Any]) -> str:
    """Render the report page from plain values (strings, numbers, lists, dicts) in the
    project's one HTML frame (:func:`geo_trygg.export.page_template`)."""
    return render_page(_template(), width=REPORT_WIDTH, **context)


def chart_kind(frame: pd.DataFrame) -> str | None:
    """``"heat"`` for a weekday × hour table, ``"weekly"`` for a weekly series, ``"series"``
    for values over years with intervals and a path (:func:`series_chart`), else None."""
    if all(c in frame.columns for c in HEAT_COLUMNS):
        return "heat"
    if all(c in frame.columns for c in WEEKLY_COLUMNS):
        return "weekly"
    if all(c in frame.columns for c in SERIES_COLUMNS):
        return "series"
    return None


def _fmt(x: float, lang: str, decimals: int = 1) -> str:
    text = f"{x:.{decimals}f}"
    if decimals and text.endswith("0" * decimals):
        text = text[: -(decimals + 1)]
    return text.replace(".", ",") if lang == "sv" else text


def _area_note(frame: pd.DataFrame, lang: str) -> list[str]:
    areas = [c for c in frame.columns if c not in _KNOWN]
    if not areas:
        return []
    n = len(frame[areas].drop_duplicates())
    return [msg("export_chart_all_areas", lang, n=n)] if n > 1 else []


def _frame(
    kind: str, anchor: str, caption: str, box: tuple[float, float, float, float, float, float]
) -> dict[str, Any]:
    """What every SVG chart of the report holds: its kind, anchor, caption and its box
    (width, height, and the plot's left, right, top and bottom)."""
    width, height, left, right, top, base = box
    return {
        "kind": kind,
        "anchor": anchor,
        "caption": caption,
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "base": base,
    }


def weekly_chart(frame: pd.DataFrame, *, caption: str, anchor: str, lang: str) -> dict[str, Any]:
    """A bar chart (SVG geometry) of the weight per week, summed over any area column."""
    series = frame.groupby("week", sort=True)["weight"].sum()
    width, height, left, right, top, bottom = 720, 220, 44, 710, 10, 190
    n = max(len(series), 1)
    step = (right - left) / n
    vmax = float(series.max()) if len(series) and series.max() > 0 else 1.0
    bars, labels = [], []
    every = math.ceil(n / 12)
    for i, (week, value) in enumerate(series.items()):
        h = float(value) / vmax * (bottom - top)
        x = left + i * step
        bars.append(
            {
                "x": f"{x + step * 0.1:.2f}",
                "y": f"{bottom - h:.2f}",
                "w": f"{step * 0.8:.2f}",
                "h": f"{h:.2f}",
                "title": f"{week}: {_fmt(float(value), lang)}",
            }
        )
        if i % every == 0:
            labels.append({"x": f"{x + step / 2:.2f}", "text": str(week)})
    notes = _area_note(frame, lang)
    if len(series) and not np.allclose(series.to_numpy(), np.round(series.to_numpy())):
        notes.append(msg("export_aoristic_note", lang))
    return {
        **_frame("weekly", anchor, caption, (width, height, left, right, top, bottom)),
        "ymax": _fmt(vmax, lang),
        "bars": bars,
        "xlabels": labels,
        "notes": notes,
    }


def _nice_step(top: float) -> float:
    """A step of 1, 2 or 5 × 10^k giving four to eight grid lines up to ``top``."""
    raw = max(top, 1e-9) / 5
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def series_chart(frame: pd.DataFrame, *, caption: str, anchor: str, lang: str) -> dict[str, Any]:
    """Values over years with their intervals, and a path (SVG geometry).

    ``frame`` has :data:`SERIES_COLUMNS`: rows of ``role`` ``"value"`` are measured values
    at year ``x`` (a filled circle with an interval bar where ``ci_low``/``ci_high`` are
    known, an open circle where not); rows of ``role`` ``"path"`` are the path's corners
    (a dashed line), the last one labelled. ``unit`` (optional) is put after the numbers
    (``"%"``); ``frame.attrs["notes"]`` are shown under the chart.
    """
    values = frame[frame["role"] == "value"]
    path = frame[frame["role"] == "path"].sort_values("x", kind="stable")
    unit = str(frame.attrs.get("unit", ""))
    suffix = f" {unit}" if unit else ""
    width, height, left, right, top, base = 720, 240, 56, 690, 14, 210
    xs = pd.to_numeric(frame["x"], errors="coerce").dropna()
    x_lo, x_hi = (float(xs.min()), float(xs.max())) if len(xs) else (0.0, 1.0)
    if x_hi - x_lo < 1:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    pad = (x_hi - x_lo) * 0.06
    x_lo, x_hi = x_lo - pad, x_hi + pad
    numbers = pd.concat(
        [pd.to_numeric(frame[c], errors="coerce") for c in ("value", "ci_high")]
    ).dropna()
    ymax = float(numbers.max()) if len(numbers) else 1.0
    step = _nice_step(ymax * 1.1 if ymax > 0 else 1.0)
    ytop = step * math.ceil(ymax * 1.1 / step) if ymax > 0 else step * 5

    def sx(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * (right - left)

    def sy(y: float) -> float:
        return base - y / ytop * (base - top)

    yticks = [
        {"y": f"{sy(k * step):.2f}", "text": _fmt(k * step, lang) + suffix}
        for k in range(round(ytop / step) + 1)
    ]
    first, last = math.ceil(x_lo), math.floor(x_hi)
    every = max(1, math.ceil((last - first + 1) / 12))
    xlabels = [
        {"x": f"{sx(y):.2f}", "text": str(y)} for y in range(first, last + 1) if y % every == 0
    ]
    points = []
    for r in values.itertuples(index=False):
        x, v = float(r.x), float(r.value)
        low, high = float(r.ci_low), float(r.ci_high)
        bar = not (np.isnan(low) or np.isnan(high))
        title = f"{getattr(r, 'label', '') or _fmt(x, lang)}: {_fmt(v, lang)}{suffix}"
        if bar:
            title += f" ({_fmt(low, lang)}–{_fmt(high, lang)}{suffix})"
        points.append(
            {
                "x": f"{sx(x):.2f}",
                "y": f"{sy(v):.2f}",
                "bar": bar,
                "y1": f"{sy(high):.2f}" if bar else "",
                "y2": f"{sy(low):.2f}" if bar else "",
                "tx": f"{sx(x) + 8:.2f}",
                "cap1": f"{sx(x) - 5:.2f}",
                "cap2": f"{sx(x) + 5:.2f}",
                "fill": "#2166ac" if bar else "#ffffff",
                "title": title,
                "text": f"{_fmt(v, lang)}{suffix}",
            }
        )
    path_points = " ".join(
        f"{sx(float(x)):.2f},{sy(float(y)):.2f}"
        for x, y in zip(path["x"], path["value"], strict=True)
    )
    label = None
    if len(path):
        end = path.iloc[-1]
        word = msg("export_series_target", lang)
        text = f"{word} {int(end['x'])}: {_fmt(float(end['value']), lang)}{suffix}"
        label = {
            "x": f"{sx(float(end['x'])):.2f}",
            "y": f"{sy(float(end['value'])) + 16:.2f}",
            "text": text,
        }
    return {
        **_frame("series", anchor, caption, (width, height, left, right, top, base)),
        "yticks": yticks,
        "xlabels": xlabels,
        "points": points,
        "path": path_points,
        "path_title": msg("export_series_path", lang),
        "path_label": label,
        "legend": msg("export_series_legend", lang),
        "notes": [str(n) for n in frame.attrs.get("notes", ())],
    }


def _colour(t: float) -> tuple[str, str]:
    """Background from white (0) to dark red (1), and a readable text colour."""
    low, high = (255, 255, 255), (165, 15, 21)
    rgb = [round(a + (b - a) * t) for a, b in zip(low, high, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), "#ffffff" if t > 0.55 else "#222222"


def heat_table(
    frame: pd.DataFrame, *, caption: str, anchor: str, lang: str, weekday_names: list[str]
) -> dict[str, Any]:
    """A weekday × hour table with background colours by weight, summed over any area."""
    grid = np.zeros((7, 24), dtype=np.float64)
    day = frame["weekday"].to_numpy(dtype=np.int64)
    hour = frame["hour"].to_numpy(dtype=np.int64)
    ok = (day >= 0) & (day < 7) & (hour >= 0) & (hour < 24)
    np.add.at(grid, (day[ok], hour[ok]), frame["weight"].to_numpy(dtype=np.float64)[ok])
    vmax = grid.max() if grid.max() > 0 else 1.0
    rows = []
    for d in range(7):
        cells = []
        for h in range(24):
            bg, fg = _colour(grid[d, h] / vmax)
            text = _fmt(grid[d, h], lang, 0 if grid[d, h] >= 10 else 1)
            cells.append(
                {
                    "bg": bg,
                    "fg": fg,
                    "text": text,
                    "title": f"{weekday_names[d]} {h:02d}: {_fmt(grid[d, h], lang, 2)}",
                }
            )
        rows.append({"name": weekday_names[d], "cells": cells})
    notes = _area_note(frame, lang)
    notes.append(msg("export_chart_max", lang, value=_fmt(float(grid.max()), lang, 2)))
    if not np.allclose(grid, np.round(grid)):
        notes.append(msg("export_aoristic_note", lang))
    return {
        "kind": "heat",
        "anchor": anchor,
        "caption": caption,
        "hours": list(range(24)),
        "rows": rows,
        "notes": notes,
    }
