"""Build a meeting pack: every page of a configuration into one folder, atomically.

Read and check the inputs, build the lägesbild (and for a public pack its suppressed counts),
then the pages (:mod:`geo_trygg.pack._pages`), the action lists, the rejected rows, the index,
the changes page and the manifest, into a temporary sibling folder (``.<name>.building``) that
is swapped in at the end (:mod:`geo_trygg.pack._store`). A build that fails or is interrupted
leaves the previous pack as it was and no half-written files in it. Same inputs and
configuration, same bytes in every file (the manifest holds checksums, no timestamps).

Layout::

    OUT/index.html               all pages with key figures, period, sources, rejected rows
    OUT/<area-slug>/karta.html   the map, opened on the area
    OUT/<area-slug>/lagesbild.html, lagesbild.xlsx
    OUT/atgardslistor/<actor>.xlsx, .html   each responsible actor's open and overdue findings
    OUT/andringar.html           what changed since the previous pack in OUT
    OUT/avvisade_rader.csv       every rejected input row and the reason
    OUT/manifest.json            inputs with SHA-256, configuration, tool version, checksums
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.io.readers import read_areas, read_events, read_findings
from geo_trygg.io.write import formula_safe
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.lagesbild._periods import in_period, parse_period
from geo_trygg.pack._actions import action_lists
from geo_trygg.pack._changes import pack_state, write_changes
from geo_trygg.pack._config import PackConfig
from geo_trygg.pack._index import write_index
from geo_trygg.pack._mask import mask_frame
from geo_trygg.pack._pages import SHARED, inside, run_pages, slug
from geo_trygg.pack._public import public_counts, public_lagesbild
from geo_trygg.pack._store import (
    previous_manifest,
    recover,
    swap,
    unchanged,
    write_manifest,
)

__all__ = ["PackResult", "build_pack", "slug"]


@dataclass
class PackResult:
    """What a build did: pages built and failed, rejected input rows, the pack's folder."""

    out: Path
    pages: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    rejected: int = 0


def _read(config: PackConfig, base: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """The inputs read (accepted rows) and every rejected row with its file and reason."""
    rejected = []
    frames: dict[str, Any] = {}
    for kind, reader in (("findings", read_findings), ("events", read_events)):
        path = getattr(config.inputs, kind)
        if path is None:
            continue
        result = reader(base / path)
        frames[kind] = mask_frame(result.accepted) if config.mask_personal else result.accepted
        if len(result.rejected):
            table = pd.DataFrame(result.rejected).assign(file=str(path))
            rejected.append(mask_frame(table, ["value"]) if config.mask_personal else table)
    layers = []
    for item in config.inputs.areas:
        result = read_areas(
            base / item.path, source=item.source, level=item.level, layer=item.layer
        )
        layers.append(result.accepted)
        if len(result.rejected):
            rejected.append(pd.DataFrame(result.rejected).assign(file=str(item.path)))
    if config.inputs.places is not None:
        result = read_areas(base / config.inputs.places, level="place")
        frames["places"] = result.accepted
        if "place" in config.pages:  # each named place gets a page, counted inside its polygon
            layers.append(result.accepted)
        if len(result.rejected):
            rejected.append(pd.DataFrame(result.rejected).assign(file=str(config.inputs.places)))
    crs = layers[0].crs
    frames["areas"] = gpd.GeoDataFrame(
        pd.concat([layer.to_crs(crs) for layer in layers], ignore_index=True), crs=crs
    )
    table = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame()
    return frames, table


def _check_period(config: PackConfig, frames: dict[str, Any]) -> None:
    """Refuse a period without a single event or finding, naming the dates the data cover."""
    period = parse_period(config.period)
    found, days = 0, []
    for kind, column in (("events", "time_from"), ("findings", "walk_date")):
        frame = frames.get(kind)
        if frame is None or column not in frame.columns or not len(frame):
            continue
        found += int(in_period(frame[column], period).sum())
        times = pd.to_datetime(frame[column], errors="coerce").dropna()
        if len(times):
            days += [times.min().date(), times.max().date()]
    if not found:
        cover = f"{min(days).isoformat()} – {max(days).isoformat()}" if days else "–"
        raise ConfigError(msg("pack_period_empty", period=config.period, cover=cover))


def build_pack(
    config: PackConfig,
    base: Path,
    out: str | Path,
    *,
    only: list[str] | None = None,
    force: bool = False,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> PackResult:
    """Build the pack of ``config`` (paths relative to ``base``) into ``out``, atomically.

    Parameters
    ----------
    config : PackConfig
        From :func:`~geo_trygg.pack.load_config`.
    base : pathlib.Path
        The folder the configuration's paths are relative to.
    out : str or pathlib.Path
        The pack's folder; replaced as a whole at the end of a successful build.
    only : list of str, optional
        Build only the pages of these areas (names as in the data).
    force : bool, default False
        Rebuild every page. Otherwise a page whose inputs did not change since the pack in
        ``out`` was built (same tool version, configuration, area, tables and points — the
        page's key in the manifest) is copied from it, byte for byte.
    jobs : int, default 1
        Pages built in parallel processes (POSIX ``fork``; one process elsewhere). Every file is
        the same as with one process.
    progress : callable, optional
        Called with a short text before each step.

    Returns
    -------
    PackResult

    Raises
    ------
    ConfigError
        Before any page is written: a period without any event or finding (the message
        names the dates the data cover), a page level that the areas do not have, an ``only``
        name that is no area of a page level, or a period and comparison that build_lagesbild
        refuses. A failing page does not stop the others; it is listed in ``failed``.
    """
    say = progress or (lambda _text: None)
    target = Path(out)
    recover(target)
    if not force and not only:
        manifest = previous_manifest(target)
        if unchanged(target, manifest, config, base):  # nothing changed: nothing to do
            pages = sorted(
                (dict(v, path=k, reused=True) for k, v in manifest["pages"].items()),
                key=lambda page: (config.pages.index(page["level"]), page["area"]),
            )
            return PackResult(out=target, pages=pages, rejected=int(manifest.get("rejected", 0)))
    say("read")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        frames, rejected = _read(config, base)
    _check_period(config, frames)
    areas = frames["areas"]
    levels = sorted(set(areas["level"]))
    unknown = [p for p in config.pages if p not in levels]
    if unknown:
        raise ConfigError(
            f"pages = {unknown!r}: no such level in the areas; allowed: {', '.join(levels)}"
        )
    names = {lv: sorted(set(areas.loc[areas["level"] == lv, "name"])) for lv in config.pages}
    wanted = set(only or [])
    missing = sorted(wanted - {n for lv in names.values() for n in lv})
    if missing:
        raise ConfigError(f"--only {missing!r}: not an area of the page levels {config.pages!r}")
    say("lagesbild")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        lb = build_lagesbild(
            frames.get("findings"),
            frames.get("events"),
            areas=areas,
            by=tuple(config.pages),
            period=config.period,
            compare=config.compare_value(),
            # places with pages of their own are a level; else tables of their own
            places=None if "place" in config.pages else frames.get("places"),
            lang=config.lang,
        )

    public = None
    if config.privacy == "public":  # every count of every public page, suppressed at once
        say("public")
        counts = public_counts(lb, k=config.min_count, lang=config.lang)
        public = (counts, public_lagesbild(lb, counts))

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"jobs={jobs!r} must be a whole number >= 1")
    old_manifest = previous_manifest(target)
    previous = {} if force else dict(old_manifest.get("pages", {}))
    tasks = [
        (level, name)
        for level in config.pages
        for name in names[level]
        if not wanted or name in wanted
    ]
    building = target.parent / f".{target.name}.building"
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    result = PackResult(out=target, rejected=len(rejected))
    SHARED.update(
        config=config,
        lb=lb,
        frames=frames,
        folder=building,
        target=target,
        previous=previous,
        public=public,
    )
    try:
        for level, name, outcome in run_pages(tasks, jobs, say):
            if "error" in outcome:  # one area failing does not stop the others
                result.failed.append({"level": level, "area": name, "error": outcome["error"]})
            else:
                result.pages.append(outcome)
        if frames.get("findings") is not None and public is None:  # lists name places
            say("atgardslistor")
            _actions(config, lb, frames["findings"], result.pages, building)
        _write_rejected(building / "avvisade_rader.csv", rejected, public=public is not None)
        say("index")
        write_index(building / "index.html", config, lb, result)
        overdue = set()
        if lb.overdue is not None and "finding_id" in lb.overdue:
            overdue = set(lb.overdue["finding_id"].astype(str))
        # a public pack keeps no finding ids: its changes are the areas' labels only
        listed = frames.get("findings") if public is None else None
        state = pack_state(listed, overdue, result.pages)
        write_changes(
            building / "andringar.html",
            previous=old_manifest.get("state"),
            current=state,
            lang=config.lang,
            banner=config.classification,
            labels_only=public is not None,
        )
        write_manifest(building, config, base, result.pages, result.rejected, state)
        swap(building, target)
    finally:
        SHARED.clear()
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return result


def _write_rejected(path: Path, rejected: pd.DataFrame, *, public: bool) -> None:
    """``avvisade_rader.csv``: every rejected row with its reason; in a public pack only the
    number of rejected rows per file and column (a row's values, and reasons that quote
    them, could place an event or carry free text)."""
    if public and len(rejected):
        keys = [c for c in ("file", "column") if c in rejected.columns]
        rejected = rejected.groupby(keys, sort=True).size().rename("rows").reset_index()
    path.write_bytes(
        formula_safe(rejected)
        .to_csv(sep=";", index=False, lineterminator="\n")
        .encode("utf-8-sig")
        if len(rejected)
        else "\ufeff".encode()
    )


def _actions(
    config: PackConfig,
    lb: Any,
    findings: gpd.GeoDataFrame,
    pages: list[dict[str, Any]],
    folder: Path,
) -> None:
    """``atgardslistor/``: each responsible actor's open and overdue findings, each finding
    linked to the map of the first page (in the order of ``pages``) whose area holds it."""
    links: dict[str, str] = {}
    ids = findings["finding_id"].astype(str).to_numpy()
    for page in pages:
        layer = lb.geography[page["level"]]
        area = shapely.union_all(layer[layer["name"] == page["area"]].geometry.to_numpy())
        held = inside(findings, area)
        for fid in ids[findings.index.get_indexer(held.index)] if held is not None else []:
            links.setdefault(str(fid), f"../{page['path']}/karta.html")
    action_lists(
        findings,
        as_of=lb.period.end - dt.timedelta(days=1),
        folder=folder / "atgardslistor",
        map_links=links,
        lang=config.lang,
        mask=config.mask_personal,
        classification=config.classification,
    )
