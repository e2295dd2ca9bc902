"""What a lägesbild's HTML page shows a planner: the first screen's short summary (what
changed where, overdue measures by responsible actor), the title naming the area's level, and
the tables cut to the columns a meeting uses (the rest goes to the page's section for
analysts and to the Excel file).

Everything here reads the tables of :meth:`Lagesbild.to_words` (the words of a language beside
the codes) and the codes of the lägesbild's own tables; nothing is counted again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg import labels
from geo_trygg._labels import msg
from geo_trygg.lagesbild._about import level_words
from geo_trygg.lagesbild._survey_words import goal_lines

__all__ = [
    "PLACE_COLUMN",
    "level_one",
    "overdue_by_actor",
    "overview",
    "planner_headers",
    "planner_tables",
    "what_changed",
]

PLACE_COLUMN = "place_text"
"""The column of the planner's finding tables that says where a finding is (its address
when the findings have one, else its coordinates in WGS84 degrees)."""

PLANNER_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "priorities": (
        "level",
        "area",
        "rank_label",
        "events",
        "events_per_1000",
        "events_per_1000_eb",
        "overdue",
        "severity",
        "why",
    ),
    "totals": (
        "kind",
        "level",
        "bucket",
        "area",
        "n",
        "n_compare",
        "change",
        "change_label",
        "per_km2",
        "per_1000",
        "per_1000_eb",
        "latest_walk",
        "n_latest_walk",
    ),
    "areas": (
        "kind",
        "level",
        "bucket",
        "area",
        "category",
        "n",
        "n_compare",
        "change",
        "change_label",
    ),
    "goals": (
        "level",
        "area",
        "goal",
        "survey_area",
        "relation_label",
        "baseline_text",
        "target_text",
        "value_text",
        "interval_text",
        "path_text",
        "progress_text",
        "basis_label",
    ),
    "indicators": (
        "level",
        "area",
        "survey_area",
        "relation_label",
        "indicator_text",
        "year",
        "value_text",
        "interval_text",
        "respondents",
        "source",
    ),
    "followup": (
        "level",
        "group",
        "n_total",
        "n_open",
        "n_in_progress",
        "n_done",
        "n_rejected",
        "n_overdue",
        "share_done",
        "median_days_to_done",
    ),
    "overdue": (
        "finding_id",
        PLACE_COLUMN,
        "category",
        "description",
        "responsible_actor",
        "deadline",
        "days_overdue",
        "status",
    ),
    "changes": (
        "finding_id",
        "change_label",
        PLACE_COLUMN,
        "category",
        "description",
        "responsible_actor",
        "deadline",
        "status",
    ),
}
"""The tables a planner reads, in page order, and their columns in order (those a table has).
Everything else — expected values, ratios, p-values, coverage, comparability, the
reconciliation, how each row was placed — is for analysts."""

_DROP_WHEN_ONE = ("level", "bucket", "area")
"""Columns left out of a planner's table when every row holds the same value (the title
names the area and its level)."""

_ADDRESS_COLUMNS = ("address", "adress", "gatuadress", "plats", "place")
"""Columns of finding rows that name where a finding is, in words, in order of preference."""

_CHANGED = ("increase", "decrease")
"""The change codes that say a count changed (the others: no clear change, too few, not
judged)."""

_MAX_NAMED = 8
"""At most this many areas are named in one sentence of what changed; the rest are counted."""


def level_one(level: str, lang: str) -> str:
    """One area of ``level`` in words ("stadsdelsområde"); a pair of levels (an overlay) as
    both joined by ×; a level of the user's own as given."""
    words = {
        "stadsdel": msg("lb_level_one_stadsdel", lang),
        "stadsdelsomrade": msg("lb_level_one_stadsdelsomrade", lang),
        "lpo": msg("lb_level_one_lpo", lang),
        "polisomrade": msg("lb_level_one_polisomrade", lang),
        "kommun": msg("lb_level_one_kommun", lang),
        "lan": msg("lb_level_one_lan", lang),
        "utsatt_omrade": msg("lb_level_one_utsatt_omrade", lang),
        "place": msg("lb_level_one_place", lang),
    }
    return " × ".join(words.get(part, part) for part in level.split("_x_"))


def _number(value: Any, lang: str) -> str:
    """A count as text: an integer when whole, else one decimal (a decimal comma in Swedish)."""
    x = float(value)
    if math.isfinite(x) and x == round(x):
        return str(round(x))
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _names(areas: Sequence[str], lang: str) -> str:
    shown = ", ".join(areas[:_MAX_NAMED])
    if len(areas) <= _MAX_NAMED:
        return shown
    return msg("lb_overview_more", lang, areas=shown, n=len(areas) - _MAX_NAMED)


def what_changed(lb: Any, words: Mapping[str, pd.DataFrame], lang: str) -> list[str]:
    """Sentences of what changed where: per kind, level and area the count of the period (and
    of the comparison period) and the change as the lägesbild judged it — a change that cannot
    be judged says why, walk findings say they are not compared — and, per area, the
    categories that clearly increased or decreased. With more than three areas at a level,
    the areas are named per judged change instead.

    Parameters
    ----------
    lb : Lagesbild
    words : mapping of str to DataFrame
        :meth:`Lagesbild.to_words` of ``lang`` (``"totals"`` and ``"areas"``).
    lang : {"sv", "en"}

    Returns
    -------
    list of str
    """
    totals = lb.totals
    if totals is None or totals.empty or "totals" not in words or "bucket" not in totals:
        return []
    said = words["totals"]
    in_area = (totals["bucket"] == "area").to_numpy(dtype=bool)
    codes, shown = totals[in_area], said[in_area]
    kinds = labels.kind_names(lang)
    compared = lb.compare is not None
    out: list[str] = []
    for kind in dict.fromkeys(codes["kind"].tolist()):
        for level in dict.fromkeys(codes["level"].tolist()):
            here = ((codes["kind"] == kind) & (codes["level"] == level)).to_numpy(dtype=bool)
            rows, texts = codes[here], shown[here]
            if rows.empty:
                continue
            if len(rows) > 3:  # by change, naming the areas; nothing to say without a comparison
                if compared and "change_code" in rows.columns:
                    out += _by_change(rows, texts, level, lang)
                continue
            for row, text in zip(rows.itertuples(), texts.itertuples(), strict=True):
                out += _area_lines(lb, row, text, kinds.get(kind, kind), compared, lang)
    return out


def _area_lines(
    lb: Any, row: Any, text: Any, kind_word: str, compared: bool, lang: str
) -> list[str]:
    code = getattr(row, "change_code", None)
    change = getattr(text, "change_label", None)
    n = _number(row.n, lang)
    if not compared or _missing(code) or _missing(change):
        return [msg("lb_overview_total_alone", lang, kind=kind_word, area=row.area, n=n)]
    if code == "not_tested":
        return [
            msg(
                "lb_overview_total_judged", lang, kind=kind_word, area=row.area, n=n, change=change
            )
        ]
    out = [
        msg(
            "lb_overview_total",
            lang,
            kind=kind_word,
            area=row.area,
            n=n,
            n_compare=_number(row.n_compare, lang),
            change=change,
        )
    ]
    if code not in (*_CHANGED, "no_clear_change"):
        return out  # not judged (too few, no data, not comparable): nor are the categories
    areas = lb.areas
    if areas is None or areas.empty:
        return out
    mine = (
        (areas["kind"] == row.kind)
        & (areas["level"] == row.level)
        & (areas["bucket"] == "area")
        & (areas["area"] == row.area)
    ).to_numpy(dtype=bool)
    if not mine.any():
        return out
    names = labels.change_names(lang)
    said = lb.to_words(lang, keys=("areas",))["areas"][mine]
    items = [
        msg(
            "lb_overview_category_item",
            lang,
            category=category,
            change=names[c],
            n=_number(a, lang),
            n_compare=_number(b, lang),
        )
        for category, c, a, b in zip(
            said["category"].tolist(),
            areas.loc[mine, "change_code"].tolist(),
            areas.loc[mine, "n"].tolist(),
            areas.loc[mine, "n_compare"].tolist(),
            strict=True,
        )
        if c in _CHANGED
    ]
    if items:
        out.append(msg("lb_overview_categories", lang, area=row.area, items="; ".join(items)))
    else:
        out.append(msg("lb_overview_no_category_change", lang, area=row.area))
    return out


def _by_change(rows: pd.DataFrame, texts: pd.DataFrame, level: str, lang: str) -> list[str]:
    """One sentence per judged change of a level's areas, naming the areas: clear changes
    first."""
    labels_ = texts["change_label"].tolist() if "change_label" in texts else [None] * len(rows)
    groups: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for code, label, area in zip(
        rows["change_code"].tolist(), labels_, rows["area"].tolist(), strict=True
    ):
        if _missing(label):
            continue
        groups.setdefault(str(label), []).append(str(area))
        rank = _CHANGED.index(code) if code in _CHANGED else len(_CHANGED)
        order[str(label)] = min(order.get(str(label), rank), rank)
    return [
        msg(
            "lb_overview_level",
            lang,
            level=level_words(level, lang),
            change=label,
            areas=_names(sorted(groups[label]), lang),
        )
        for label in sorted(groups, key=lambda g: (order[g], g))
    ]


def overdue_by_actor(words: Mapping[str, pd.DataFrame], lang: str) -> list[str] | None:
    """The overdue measures counted by responsible actor (most first), after their total;
    None when the lägesbild has no follow-up of findings."""
    overdue = words.get("overdue")
    if overdue is None:
        return None
    if overdue.empty:
        return [msg("lb_overview_overdue_none", lang)]
    unknown = msg("lb_overview_actor_unknown", lang)
    actors = (
        overdue["responsible_actor"].tolist()
        if "responsible_actor" in overdue
        else [None] * len(overdue)
    )
    counts: dict[str, int] = {}
    for actor in actors:
        name = unknown if _missing(actor) or not str(actor).strip() else str(actor)
        counts[name] = counts.get(name, 0) + 1
    lines = [msg("lb_overview_overdue_total", lang, n=len(overdue))]
    for actor, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        lines.append(msg("lb_overview_overdue_line", lang, actor=actor, n=n))
    return lines


def overview(lb: Any, words: Mapping[str, pd.DataFrame], lang: str) -> list[tuple[str, list[str]]]:
    """The first screen's short lists: what changed, the goals, and the overdue measures by
    actor."""
    out = []
    changed = what_changed(lb, words, lang)
    if changed:
        out.append((msg("lb_overview_changes", lang), changed))
    goals = goal_lines(words.get("goals"), lang)
    if goals:
        out.append((msg("lb_overview_goals", lang), goals))
    overdue = overdue_by_actor(words, lang)
    if overdue is not None:
        out.append((msg("lb_overview_overdue", lang), overdue))
    return out


def _place_texts(frame: pd.DataFrame, crs: Any = None) -> list[str]:
    """Where each finding is: its address (or place) when the rows hold one, else its point
    in WGS84 degrees ("59.28301° N, 18.01234° E"; its ``geometry`` column in ``crs`` when the
    column carries none), else empty."""
    n = len(frame)
    texts = [""] * n
    for column in _ADDRESS_COLUMNS:
        if column in frame.columns:
            for i, value in enumerate(frame[column].tolist()):
                if not texts[i] and not _missing(value) and str(value).strip():
                    texts[i] = str(value).strip()
    if "geometry" not in frame.columns or not n:
        return texts
    try:
        shapes = gpd.GeoSeries(frame["geometry"].to_numpy(), index=range(n))
    except TypeError:  # not geometries
        return texts
    if shapes.crs is None:
        if crs is None:
            return texts
        shapes = shapes.set_crs(crs)
    for i, point in enumerate(shapes.to_crs(4326).tolist()):
        if texts[i] or point is None or point.is_empty:
            continue
        centre = point if point.geom_type == "Point" else point.representative_point()
        texts[i] = f"{centre.y:.5f}° N, {centre.x:.5f}° E"
    return texts


def planner_tables(words: Mapping[str, pd.DataFrame], crs: Any = None) -> dict[str, pd.DataFrame]:
    """The tables a planner reads, by table key, in :data:`PLANNER_COLUMNS` order: only their
    columns (those the table has), without columns that hold one value on every row (level,
    part, area: the title names them) or none at all; a count of the comparison period is
    left empty where the rows are not compared (walk findings). ``crs`` is the findings'
    coordinate system, for their place in degrees."""
    out = {}
    for key, wanted in PLANNER_COLUMNS.items():
        frame = words.get(key)
        if frame is None or not len(frame.columns):
            continue
        frame = frame.copy()
        if PLACE_COLUMN in wanted:
            frame[PLACE_COLUMN] = _place_texts(frame, crs)
        if "n_compare" in frame.columns and "change_code" in frame.columns:
            untested = (frame["change_code"] == "not_tested").to_numpy(dtype=bool)
            frame["n_compare"] = frame["n_compare"].astype(float).where(~untested)
        columns = [c for c in wanted if c in frame.columns]
        table = pd.DataFrame(frame[columns]).reset_index(drop=True)
        drop = [
            c
            for c in table.columns
            if (c in _DROP_WHEN_ONE and table[c].nunique(dropna=False) <= 1)
            or (len(table) and table[c].isna().all())
        ]
        out[key] = table.drop(columns=drop)
    return out


def planner_headers(lang: str) -> dict[str, str]:
    """Headers of the planner's own columns (beside the lägesbild's)."""
    return {PLACE_COLUMN: msg("lb_column_place_text", lang)}
