"""``andringar.html``: what changed since the previous pack in the same folder.

The manifest keeps a small state of each pack (no free text): every finding's id, status and
whether it was overdue, and every page's change label. The next build compares its own state
with it and lists new findings, closed findings (done or rejected since), newly overdue
findings, and areas whose change label changed. Without a previous pack the page says so.

Each listed finding is shown as a meeting reads it — its areas, category and responsible
actor in words, description, walk date, deadline, status and the day the status was set —
from the current build's findings (:func:`finding_details`; every listed finding is in the
current input, so the manifest's state needs no free text and old manifests stay readable).
A finding without details (none given) shows its id and status only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.export import page_template, render_page
from geo_trygg.followup import as_texts
from geo_trygg.vocab.findings import label

__all__ = ["DETAIL_COLUMNS", "finding_details", "pack_state", "write_changes"]

_CLOSED = ("done", "rejected")

DETAIL_COLUMNS = (
    "area",
    "category",
    "description",
    "actor",
    "walk_date",
    "deadline",
    "status",
    "status_date",
)
"""What :func:`finding_details` gives each finding, in the order of the page's columns."""


def pack_state(
    findings: pd.DataFrame | None, overdue: set[str], pages: list[dict[str, Any]]
) -> dict[str, Any]:
    """The state a later build compares with (sorted, JSON-able, no free text)."""
    state: dict[str, Any] = {"findings": {}, "labels": {}}
    if findings is not None and {"finding_id", "status"} <= set(findings.columns):
        for fid, status in sorted(
            zip(findings["finding_id"].astype(str), findings["status"].astype(str), strict=True)
        ):
            state["findings"][fid] = {"status": status, "overdue": fid in overdue}
    for page in sorted(pages, key=lambda p: p["path"]):
        state["labels"][page["path"]] = {"area": page["area"], "label": page.get("change_label")}
    return state


def _day(value: Any) -> str:
    """A date as ``YYYY-MM-DD``; "" when missing."""
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def finding_details(
    findings: pd.DataFrame, levels: Sequence[str], lang: str
) -> dict[str, dict[str, str]]:
    """Each finding's details as the changes page shows them.

    Parameters
    ----------
    findings : pandas.DataFrame
        Findings with ``finding_id`` (as :meth:`geo_trygg.lagesbild.Lagesbild.points` gives
        them, descriptions already masked where the pack masks), optionally ``category``,
        ``description``, ``responsible_actor``, ``walk_date``, ``deadline``, ``status``,
        ``status_date`` and the area columns ``levels``.
    levels : sequence of str
        The area columns whose names are shown (those present), joined with ", ".
    lang : {"sv", "en"}
        Language of the words.

    Returns
    -------
    dict of str to dict of str to str
        ``finding_id`` → :data:`DETAIL_COLUMNS` → text ("" when unknown).

    Examples
    --------
    >>> frame = pd.DataFrame({"finding_id": ["a"], "category": ["lighting"],
    ...     "responsible_actor": ["trafikkontoret"], "status": ["in_progress"],
    ...     "walk_date": pd.to_datetime(["2024-03-05"]), "stadsdel": ["Älvsjö"]})
    >>> details = finding_details(frame, ["stadsdel", "lpo"], "sv")["a"]
    >>> details["area"], details["category"], details["actor"], details["status"]
    ('Älvsjö', 'Belysning', 'Trafikkontoret', 'Pågående')
    >>> details["walk_date"], details["deadline"]
    ('2024-03-05', '')
    """
    n = len(findings)

    def texts(column: str) -> list[str | None]:
        return as_texts(findings[column]).tolist() if column in findings.columns else [None] * n

    def days(column: str) -> list[str]:
        return [_day(v) for v in findings[column]] if column in findings.columns else [""] * n

    areas = [texts(level) for level in levels if level in findings.columns]
    categories, actors, statuses = texts("category"), texts("responsible_actor"), texts("status")
    descriptions = texts("description")
    walk, deadline, status_date = days("walk_date"), days("deadline"), days("status_date")
    out: dict[str, dict[str, str]] = {}
    for i, fid in enumerate(findings["finding_id"].astype(str)):
        names = dict.fromkeys(str(a[i]) for a in areas if a[i] is not None)
        category, actor, status = categories[i], actors[i], statuses[i]
        out[fid] = {
            "area": ", ".join(names),
            "category": label(category, lang, kind="category") if category else "",
            "description": descriptions[i] or "",
            "actor": label(actor, lang, kind="actor") if actor else "",
            "walk_date": walk[i],
            "deadline": deadline[i],
            "status": label(status, lang, kind="status") if status else "",
            "status_date": status_date[i],
        }
    return out


_TEMPLATE = page_template("""{% extends "base.html" %}
{% block style %}td.date { white-space: nowrap; }{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
{% if not previous %}<p>{{ no_previous }}</p>{% else %}
{% for section in sections %}
<h2>{{ section.title }} ({{ section.rows|length }})</h2>
{% if not section.rows %}<p>{{ nothing }}</p>
{% elif section.table %}<table>
<thead><tr><th scope="col">{{ id_header }}</th>
{%- for h in headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in section.rows %}<tr><th scope="row">{{ row.id }}</th>
{%- for value in row.cells %}<td{% if loop.index0 in dates %} class="date"{% endif %}>
{{- value }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% else %}<ul>{% for row in section.rows %}<li>{{ row }}</li>{% endfor %}</ul>
{% endif %}
{% endfor %}{% endif %}
{% endblock %}
""")


def write_changes(
    path: Path,
    *,
    previous: dict[str, Any] | None,
    current: dict[str, Any],
    lang: str,
    banner: str | None,
    labels_only: bool = False,
    details: Mapping[str, Mapping[str, str]] | None = None,
    nav: Sequence[tuple[str, str]] | None = None,
) -> Path:
    """Write ``andringar.html`` comparing ``current`` with the ``previous`` state
    (``labels_only``: only the areas whose change label changed, as a public pack keeps no
    findings; ``details``: :func:`finding_details` of the current findings, shown in a table
    per section; ``nav``: links at the top, e.g. back to the index)."""
    sections: list[dict[str, Any]] = []
    known = details or {}
    if previous is not None:
        before, now = previous.get("findings", {}), current["findings"]
        new = [fid for fid in now if fid not in before]
        closed = [
            fid
            for fid, item in now.items()
            if item["status"] in _CLOSED and fid in before and before[fid]["status"] not in _CLOSED
        ]
        overdue = [
            fid
            for fid, item in now.items()
            if item["overdue"] and not before.get(fid, {}).get("overdue", False)
        ]

        def show(fid: str) -> dict[str, Any]:
            item = dict(known.get(fid, {}))
            if not item.get("status"):
                item["status"] = label(now[fid]["status"], lang, kind="status")
            return {"id": fid, "cells": [item.get(c, "") for c in DETAIL_COLUMNS]}

        labels_before = previous.get("labels", {})
        relabelled = []
        for page, item in current["labels"].items():
            was = labels_before.get(page, {}).get("label")
            if page in labels_before and was != item.get("label"):
                relabelled.append(f"{item['area']}: {was or '–'} → {item.get('label') or '–'}")
        sections = [
            {"title": msg("changes_new", lang), "rows": [show(f) for f in new], "table": True},
            {
                "title": msg("changes_closed", lang),
                "rows": [show(f) for f in closed],
                "table": True,
            },
            {
                "title": msg("changes_overdue", lang),
                "rows": [show(f) for f in overdue],
                "table": True,
            },
            {"title": msg("changes_labels", lang), "rows": relabelled, "table": False},
        ]
        if labels_only:
            sections = sections[-1:]
    html = render_page(
        _TEMPLATE,
        width="1200px",
        nav=nav,
        lang=lang,
        title=msg("changes_title", lang),
        banner=banner,
        previous=previous is not None,
        no_previous=msg("changes_no_previous", lang),
        nothing=msg("changes_nothing", lang),
        sections=sections,
        id_header=msg("act_col_finding_id", lang),
        dates=[i for i, c in enumerate(DETAIL_COLUMNS) if c.endswith("date") or c == "deadline"],
        headers=[
            msg("act_col_area", lang),
            msg("act_col_category", lang),
            msg("act_col_description", lang),
            msg("pack_actions_actor", lang),
            msg("act_col_walk_date", lang),
            msg("act_col_deadline", lang),
            msg("act_col_status", lang),
            msg("changes_col_status_date", lang),
        ],
    )
    path.write_text(html, encoding="utf-8")
    return path
