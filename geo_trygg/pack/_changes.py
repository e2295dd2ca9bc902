"""``andringar.html``: what changed since the previous pack in the same folder.

The manifest keeps a small state of each pack (no free text): every finding's id, status and
whether it was overdue, and every page's change label. The next build compares its own state
with it and lists new findings, closed findings (done or rejected since), newly overdue
findings, and areas whose change label changed. Without a previous pack the page says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geo_trygg._labels import msg
from geo_trygg.export import page_template, render_page
from geo_trygg.vocab.findings import label

__all__ = ["pack_state", "write_changes"]

_CLOSED = ("done", "rejected")


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


_TEMPLATE = page_template("""{% extends "base.html" %}
{% block main %}
<h1>{{ title }}</h1>
{% if not previous %}<p>{{ no_previous }}</p>{% else %}
{% for section in sections %}
<h2>{{ section.title }} ({{ section.rows|length }})</h2>
{% if section.rows %}<ul>{% for row in section.rows %}<li>{{ row }}</li>{% endfor %}</ul>
{% else %}<p>{{ nothing }}</p>{% endif %}
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
) -> Path:
    """Write ``andringar.html`` comparing ``current`` with the ``previous`` state
    (``labels_only``: only the areas whose change label changed, as a public pack keeps no
    findings)."""
    sections = []
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

        def show(fid: str) -> str:
            return f"{fid} ({label(now[fid]['status'], lang, kind='status')})"

        labels_before = previous.get("labels", {})
        relabelled = []
        for page, item in current["labels"].items():
            was = labels_before.get(page, {}).get("label")
            if page in labels_before and was != item.get("label"):
                relabelled.append(f"{item['area']}: {was or '–'} → {item.get('label') or '–'}")
        sections = [
            {"title": msg("changes_new", lang), "rows": [show(f) for f in new]},
            {"title": msg("changes_closed", lang), "rows": [show(f) for f in closed]},
            {"title": msg("changes_overdue", lang), "rows": [show(f) for f in overdue]},
            {"title": msg("changes_labels", lang), "rows": relabelled},
        ]
        if labels_only:
            sections = sections[-1:]
    html = render_page(
        _TEMPLATE,
        lang=lang,
        title=msg("changes_title", lang),
        banner=banner,
        previous=previous is not None,
        no_previous=msg("changes_no_previous", lang),
        nothing=msg("changes_nothing", lang),
        sections=sections,
    )
    path.write_text(html, encoding="utf-8")
    return path
