"""The police's utsatta områden on the pack's pages (``inputs.utsatta_omraden``).

Each edition of the list is read once (:func:`read_editions`); the timeline of the editions
(:func:`geo_trygg.join.utsatta_timeline`) and the overlaps of each edition's areas with each
page's area (:func:`geo_trygg.join.utsatta_overlaps`) become, per page, a short list under the
heading "Utsatta områden (polisens lista)": each utsatt område that overlaps the page's area,
the share of it that lies there, and its history over the editions, with the source editions
and the police's AKTUALITET dates (:func:`page_sections`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg import labels
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.io import read_utsatta_omraden
from geo_trygg.io.utsatta import name_key
from geo_trygg.join import utsatta_overlaps, utsatta_timeline
from geo_trygg.pack._notes import Notice, capture, reader_notes

__all__ = ["Editions", "add_editions", "page_sections", "read_editions"]


@dataclass(frozen=True)
class Editions:
    """The editions of a build: year → accepted areas, year → file name, the rejected rows
    (with their file), the readers' notes and the warnings reading emitted."""

    frames: Mapping[int, gpd.GeoDataFrame] = field(default_factory=dict)
    files: Mapping[int, str] = field(default_factory=dict)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()


def read_editions(config: Any, base: Path, *, public: bool) -> Editions:
    """Read every ``inputs.utsatta_omraden`` edition (rejected rows with their file, in a
    public pack their configuration key); a table of several editions gives each of its
    years (its ``edition`` column, blank cells the configuration's year).

    Raises ConfigError when one year comes from two inputs."""
    frames: dict[int, gpd.GeoDataFrame] = {}
    files: dict[int, str] = {}
    rejected = []
    notes: list[Notice] = []
    caught: list[Notice] = []
    for i, item in enumerate(config.inputs.utsatta_omraden):
        key = f"inputs.utsatta_omraden[{i}]"
        with capture(key, caught):
            result = read_utsatta_omraden(base / item.path, edition=item.edition)
        # a table may hold several editions (its edition column; the configuration's year
        # fills blank cells): each year is one edition, from one input only
        for year, frame in result.accepted.groupby("edition", sort=True):
            if int(year) in frames:
                raise ConfigError(msg("config_utsatta_edition_twice", year=int(year)))
            frames[int(year)] = frame.reset_index(drop=True)
            files[int(year)] = Path(item.path).name
        notes += reader_notes(key, result.summary.notes)
        if len(result.rejected):
            label = key if public else str(item.path)
            rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    table = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame()
    return Editions(frames, files, table, tuple(notes), tuple(caught))


def add_editions(inputs: Any, config: Any, base: Path) -> tuple[Any, Editions]:
    """The build's inputs (``PackInputs``) with the editions' rejected rows, notes and
    warnings added, and the editions."""
    editions = read_editions(config, base, public=config.privacy == "public")
    if not editions.frames:
        return inputs, editions
    parts = [t for t in (inputs.rejected, editions.rejected) if len(t)]
    rejected = pd.concat(parts, ignore_index=True) if parts else inputs.rejected
    added = replace(
        inputs,
        rejected=rejected,
        notes=inputs.notes + editions.notes,
        warnings=inputs.warnings + editions.warnings,
    )
    return added, editions


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _and(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {msg('uso_and', lang)} " + items[-1]


def _node(edition: Any, area_id: Any, name: Any) -> tuple[int, str]:
    has_id = isinstance(area_id, str) and area_id != ""
    return int(edition), f"id:{area_id}" if has_id else f"name:{name_key(name)}"


def page_sections(
    editions: Editions,
    geography: Mapping[str, gpd.GeoDataFrame],
    tasks: Sequence[tuple[str, str]],
    lang: str,
    *,
    public: bool = False,
) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """Per page ``(level, name)``: the heading and the lines of its utsatta områden.

    Parameters
    ----------
    editions : Editions
        :func:`read_editions`; no editions give no sections.
    geography : mapping of str to GeoDataFrame
        Each page level's areas (``name``, geometry in a metric CRS): the lägesbild's.
    tasks : sequence of (str, str)
        The pages.
    lang : {"sv", "en"}
    public : bool
        A public pack names the editions without their files.

    Returns
    -------
    dict
        ``(level, name)`` → (heading, lines); every page gets a section (a line saying no
        utsatt område overlaps it, when none does).
    """
    if not editions.frames:
        return {}
    years = sorted(editions.frames)
    with_geometry = {
        y: f
        for y, f in editions.frames.items()
        if len(f) and f.geometry.notna().all() and f.crs is not None
    }
    timeline = (
        utsatta_timeline(dict(editions.frames)) if len(editions.frames) > 1 else pd.DataFrame()
    )
    threads = _threads(editions.frames, timeline)
    cats = labels.names("utsatt_category", lang=lang)
    shown = [
        msg("uso_page_edition", lang, year=y, file=editions.files[y]) if not public else str(y)
        for y in years
    ]
    sources = msg("uso_page_sources", lang, editions=_and(shown, lang))
    limits = msg("uso_page_limits", lang, year=years[0])
    heading = msg("uso_page_heading", lang)
    out: dict[tuple[str, str], tuple[str, list[str]]] = {}
    by_level: dict[str, pd.DataFrame] = {}
    for level in sorted({lv for lv, _ in tasks}):
        layer = geography.get(level)
        if layer is None or layer.crs is None or not layer.crs.is_projected or not with_geometry:
            by_level[level] = pd.DataFrame(columns=["edition", "area_id", "name", "area", "share"])
            continue
        frames = [f.to_crs(layer.crs) for f in with_geometry.values()]
        every = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=layer.crs)
        pieces = layer[["name", "geometry"]].assign(level=level)
        by_level[level] = utsatta_overlaps(every, gpd.GeoDataFrame(pieces, crs=layer.crs))
    for level, name in tasks:
        overlaps = by_level[level]
        own = overlaps[overlaps["area"] == name]
        # thread → (latest edition overlapping the page, its name there, its share)
        seen: dict[int, tuple[int, str, float]] = {}
        for r in own.itertuples(index=False):
            thread = threads.get(_node(r.edition, r.area_id, r.name))
            if thread is None:
                continue
            if thread not in seen or int(r.edition) > seen[thread][0]:
                seen[thread] = (int(r.edition), str(r.name), float(r.share))
        lines = []
        for thread, (year, shown_name, share) in sorted(
            seen.items(), key=lambda t: (name_key(t[1][1]), t[0])
        ):
            history = _history(editions.frames, threads, thread, timeline, cats, lang)
            lines.append(
                msg(
                    "uso_page_area",
                    lang,
                    name=shown_name,
                    year=year,
                    share=_percent(share),
                    area=name,
                    history=history,
                )
            )
        if not lines and not with_geometry:  # no boundaries: overlaps cannot be known
            lines.append(
                msg("uso_page_no_geometry", lang, editions=_and([str(y) for y in years], lang))
            )
        elif not lines:
            lines.append(msg("uso_page_none", lang, editions=_and([str(y) for y in years], lang)))
        out[(level, name)] = (heading, [*lines, sources, limits])
    return out


def _threads(
    frames: Mapping[int, pd.DataFrame], timeline: pd.DataFrame
) -> dict[tuple[int, str], int]:
    """Each area of each edition → its thread: the same area over the editions, followed
    through the timeline's kept rows."""
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def find(x: tuple[int, str]) -> tuple[int, str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for year in sorted(frames):
        for r in frames[year].itertuples(index=False):
            node = _node(year, r.area_id, r.name)
            parent.setdefault(node, node)
    if len(timeline):
        for r in timeline[timeline["status"] == "kept"].itertuples(index=False):
            a = find(_node(r.from_edition, r.area_id_from, r.name_from))
            b = find(_node(r.to_edition, r.area_id_to, r.name_to))
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = sorted({find(n) for n in parent})
    number = {root: k for k, root in enumerate(roots)}
    return {n: number[find(n)] for n in parent}


def _members(
    frames: Mapping[int, pd.DataFrame], threads: Mapping[tuple[int, str], int], thread: int
) -> list[tuple[int, Any]]:
    out = []
    for year in sorted(frames):
        for r in frames[year].itertuples(index=False):
            if threads.get(_node(year, r.area_id, r.name)) == thread:
                out.append((year, r))
    return out


def _history(
    frames: Mapping[int, pd.DataFrame],
    threads: Mapping[tuple[int, str], int],
    thread: int,
    timeline: pd.DataFrame,
    cats: Mapping[str, str],
    lang: str,
) -> str:
    """One utsatt område's line: its editions and categories, then what changed."""
    members = _members(frames, threads, thread)
    steps = [
        msg("uso_page_step", lang, year=y, category=cats[str(r.category)]) for y, r in members
    ]
    events: list[str] = []
    nodes = {_node(y, r.area_id, r.name) for y, r in members}
    for row in timeline.itertuples(index=False) if len(timeline) else ():
        src = (
            _node(row.from_edition, row.area_id_from, row.name_from)
            if row.name_from is not None
            else None
        )
        dst = (
            _node(row.to_edition, row.area_id_to, row.name_to) if row.name_to is not None else None
        )
        if src not in nodes and dst not in nodes:
            continue
        codes = str(row.changes).split(";")
        year = int(row.to_edition)
        if row.status == "kept":
            if "renamed" in codes:
                events.append(
                    msg("uso_page_renamed", lang, year=year, new=row.name_to, old=row.name_from)
                )
            if "lpo_changed" in codes:
                events.append(
                    msg("uso_page_lpo", lang, year=year, old=row.lpo_from, new=row.lpo_to)
                )
            if "boundary_changed" in codes:
                events.append(msg("uso_page_boundary", lang, year=year, share=_percent(row.iou)))
            if "split" in codes:
                parts = [str(row.name_to)] + [
                    str(n)
                    for n in timeline.loc[
                        (timeline["to_edition"] == row.to_edition)
                        & (timeline["status"] == "added")
                        & (timeline["related_name"] == row.name_from)
                        & timeline["changes"].str.contains("split_from"),
                        "name_to",
                    ]
                ]
                events.append(msg("uso_page_split", lang, year=year, parts=_and(parts, lang)))
        elif row.status == "added":
            if "split_from" in codes:
                events.append(
                    msg(
                        "uso_page_split_from",
                        lang,
                        year=year,
                        old=row.related_name,
                        share=_percent(row.related_share),
                    )
                )
            else:
                events.append(msg("uso_page_added", lang, year=year))
        elif row.status == "removed":
            events.append(msg("uso_page_removed", lang, year=year))
            if "merged_into" in codes:
                events.append(msg("uso_page_merged_into", lang, year=year, new=row.related_name))
    last = members[-1][1]
    history = " → ".join(steps)
    if events:
        history += "; " + "; ".join(events)
    since = last.listed_since
    if since is not None and not pd.isna(since):
        history += "; " + msg("uso_page_since", lang, date=pd.Timestamp(since).date().isoformat())
    return history
