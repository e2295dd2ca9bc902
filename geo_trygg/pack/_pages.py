"""One page per area: the map, the report and the Excel file, built or reused.

Each page is built from one :class:`PageContext` (the configuration, the lägesbild, the
places, the folders, the previous pack's pages and, for a public pack, its suppressed counts),
frozen, that :func:`geo_trygg.pack._build.build_pack` hands to :func:`run_pages`: it is the
module's current context while the pages are built, in this process or in forked workers,
which inherit it (nothing is pickled). A page whose key (tool version, configuration, area,
tables, points or shown counts) equals the previous pack's is copied from it, byte for byte.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geo_trygg
from geo_trygg import labels
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.maps import ASSETS_FOLDER, keep_browser, lagesbild_map, page_levels, save_map
from geo_trygg.pack._config import PackConfig
from geo_trygg.pack._measures import measure_fingerprint, measure_table, measures_near
from geo_trygg.pack._public import page_tables
from geo_trygg.pack._store import sha256

__all__ = ["PLAN_PAGE", "PageContext", "page_nav", "run_pages", "shared_map_assets"]

PLAN_PAGE = "atgardsplan.html"
"""An area's plan page (packs from the register, :mod:`geo_trygg.pack._plan`)."""


@dataclass(frozen=True)
class PageContext:
    """What every page of a build needs, set once before the pages are built.

    Attributes
    ----------
    config : PackConfig
    lb : Lagesbild
        The lägesbild of every page level, with its assigned points.
    places : geopandas.GeoDataFrame or None
        The named places drawn on every map.
    folder : pathlib.Path
        The folder being built (``.<name>.building``).
    target : pathlib.Path
        The pack's folder, whose previous pages may be copied.
    previous : Mapping
        The previous manifest's pages by path (empty with ``force``).
    public : tuple or None
        For a public pack, its suppressed counts and the public lägesbild.
    folders : Mapping
        Each page level's area names to their folder names.
    parent : int
        The build process's id: workers whose parent has gone stop.
    police : Mapping
        An utsatt område's police category and list year in words, by (level, name): said
        under the title of its page (and on the index).
    water : geopandas.GeoDataFrame or None
        Water polygons (``inputs.water``), drawn under every page map around its area.
    level_notes : Mapping
        Sentences about a page level (derived from the stadsdelar, ranked among the pages),
        said on that level's pages with the lägesbild's notes.
    plans : Mapping
        A pack from the register: each page's plan page (HTML, ``(level, name)`` → text),
        written beside its lägesbild as :data:`PLAN_PAGE`; empty otherwise.
    utsatta : Mapping
        ``(level, name)`` → (heading, lines): the police's utsatta områden over the page's
        area and their history (:func:`geo_trygg.pack._utsatta.page_sections`); empty
        without ``inputs.utsatta_omraden``.
    measure_areas : geopandas.GeoDataFrame or None
        The measure areas (``inputs.measure_areas``): drawn on the page maps, and those
        touching a page's area in force in the period listed on its page
        (:mod:`geo_trygg.pack._measures`).
    coverage : Mapping
        The days each event source covers, for the measure areas' WDD.
    """

    config: PackConfig
    lb: Any
    places: gpd.GeoDataFrame | None
    folder: Path
    target: Path
    previous: Mapping[str, Any]
    public: tuple[Any, Any] | None
    folders: Mapping[str, Mapping[str, str]]
    parent: int
    police: Mapping[tuple[str, str], str] = field(default_factory=dict)
    water: gpd.GeoDataFrame | None = None
    level_notes: Mapping[str, list[str]] = field(default_factory=dict)
    plans: Mapping[tuple[str, str], str] = field(default_factory=dict)
    utsatta: Mapping[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    measure_areas: gpd.GeoDataFrame | None = None
    coverage: Mapping[str, Any] = field(default_factory=dict)


_CURRENT: PageContext | None = None
"""The context of the pages being built (set by :func:`run_pages`, inherited by forked
workers); None between builds."""


@contextmanager
def _current(context: PageContext) -> Iterator[None]:
    global _CURRENT
    _CURRENT = context
    try:
        yield
    finally:
        _CURRENT = None


def _context() -> PageContext:
    if _CURRENT is None:  # pragma: no cover - only run_pages builds pages
        raise RuntimeError("no page context: pages are built through run_pages")
    return _CURRENT


def _parent_gone() -> bool:
    """True in a page worker whose build process has died (:attr:`PageContext.parent`)."""
    parent = None if _CURRENT is None else _CURRENT.parent
    return parent is not None and os.getpid() != parent and os.getppid() != parent


def _worker_start() -> None:
    """In each forked page worker: be killed when the build process dies (Linux
    ``PR_SET_PDEATHSIG``), and stop at once when it already has."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the checks below still stop it
            pass
    if _parent_gone():
        os._exit(1)


_PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process gets when the thread that forked it ends."""


def _one(task: tuple[str, str]) -> tuple[str, str, dict[str, Any]]:
    level, name = task
    if _parent_gone():  # the build was killed: write nothing more
        os._exit(1)
    try:
        return level, name, _page(_context(), level, name)
    except Exception as exc:  # reported per area; the others go on
        return level, name, {"error": f"{type(exc).__name__}: {exc}"}


def run_pages(
    context: PageContext,
    tasks: list[tuple[str, str]],
    jobs: int,
    say: Callable[[str], None],
) -> list[tuple[str, str, dict[str, Any]]]:
    """Every page of ``context``, in task order, in ``jobs`` forked processes (or in this one).

    The forked workers inherit ``context`` (nothing is pickled but the tasks). They die with
    the build process: on Linux the kernel kills them when it dies (``PR_SET_PDEATHSIG``),
    and each checks before every page that it is still there, so a killed build leaves no
    worker writing into its folder. With PNGs on, each process keeps one headless browser
    open for all its pictures (:func:`geo_trygg.maps.keep_browser`), closed when the pages
    are done, on an error or Ctrl-C, and when the process dies."""
    methods = multiprocessing.get_all_start_methods()
    browser = keep_browser() if context.config.png else nullcontext()
    with _current(context), browser:
        if jobs == 1 or len(tasks) < 2 or "fork" not in methods:
            out = []
            for task in tasks:
                say(f"{task[0]}: {task[1]}")
                out.append(_one(task))
            return out
        fork = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=fork, initializer=_worker_start)
        with pool:
            done = []
            for item in pool.map(_one, tasks):
                say(f"{item[0]}: {item[1]}")
                done.append(item)
            return done


def _fingerprint(frame: gpd.GeoDataFrame) -> bytes:
    """The points' content as bytes: a hash of every row's values (column names included) and
    the coordinates to the millimetre, in row order."""
    values = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    try:  # hashed as they are (times as instants): no text made of a million rows
        rows = pd.util.hash_pandas_object(values, index=False).to_numpy()
    except TypeError:  # values pandas cannot hash (lists, dicts): as text
        rows = pd.util.hash_pandas_object(values.astype(str), index=False).to_numpy()
    coords = np.round(shapely.get_coordinates(frame.geometry.to_numpy()), 3)
    return ",".join(map(str, values.columns)).encode() + rows.tobytes() + coords.tobytes()


def _key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _page(ctx: PageContext, level: str, name: str) -> dict[str, Any]:
    """Build (or reuse) the page of one area; returns its index entry with key and files.

    An internal page shows the area's lägesbild, events and findings; a public one only its
    counts as shown (hidden ones as "<k" or "..") and the map of them, no points, no text."""
    config, lb, folder = ctx.config, ctx.lb, ctx.folder
    rel = f"{level}/{ctx.folders[level][name]}"
    page = folder / rel
    page.mkdir(parents=True, exist_ok=True)
    area = shapely.union_all(
        lb.geography[level].loc[lambda g: g["name"] == name].geometry.to_numpy()
    )
    places = ctx.places
    public = ctx.public
    # the pack's shared map assets (written by build_pack), addressed from the page's folder
    assets = f"../../{ASSETS_FOLDER}" if (folder / ASSETS_FOLDER).is_dir() else None
    if public is None:
        own = lb.for_area(level, name)
        # the points the area's tables count, as assign_areas placed them: never placed again
        points = {
            kind: own.points(kind) for kind in ("events", "findings") if kind in own.point_kinds
        }
        content = [_fingerprint(frame) for frame in points.values()]
        extra: dict[str, Any] = dict(points)
    else:
        counts, public_lb = public
        own = public_lb.for_area(level, name)
        shown = counts.area_cells(level, name)[["kind", "period", "table", "key", "text"]]
        content = [shown.to_json(orient="split", index=False)]
        extra = {"alt": msg("public_map_alt", config.lang, area=name, period=lb.period.label)}
    if ctx.level_notes.get(level):  # what the pack says about this page's level
        own = replace(own, notes=[*own.notes, *ctx.level_notes[level]])
    # the map shows the area among its neighbours and sub-areas, coloured by classes over
    # whole levels: the page changes when those levels' counts or boundaries change
    whole = lb if public is None else public[1]
    shown_levels = page_levels(whole, level)
    context = [
        whole.totals[
            whole.totals["level"].isin(shown_levels) & (whole.totals["bucket"] == "area")
        ].to_json(orient="split"),
        *(
            b"".join(shapely.to_wkb(whole.geography[lvl].geometry.to_numpy()))
            for lvl in shown_levels
        ),
    ]
    water = _water_near(ctx.water, area)
    if water is not None:
        context.append(b"".join(shapely.to_wkb(water.geometry.to_numpy())))
    # the measure areas drawn on the map (all of them) and listed on the page (those touching
    # the area in force in the period)
    measures = ctx.measure_areas
    listed = measures_near(measures, area, lb.period)
    context.append(measure_fingerprint(measures))
    context.append(repr(sorted(ctx.coverage.items())) if listed is not None else "")
    key = _key(
        geo_trygg.__version__,
        config.model_dump_json(),
        f"assets={assets}",
        level,
        name,
        shapely.to_wkb(area),
        own.to_json(),
        b""
        if places is None
        else b"".join(shapely.to_wkb(places.geometry.to_numpy()))
        + places["name"].astype(str).str.cat(sep="\n").encode(),
        *content,
        *context,
        ctx.plans.get((level, name), ""),
        repr(ctx.utsatta.get((level, name))),
    )
    entry: dict[str, Any] = {"level": level, "area": name, "path": rel, "key": key}
    entry.update(_figures(own, config.lang))
    if public is not None:
        entry["rank"] = entry["rank_text"] = None  # a rank orders hidden counts too
    old = ctx.previous.get(rel)
    if old and old.get("key") == key and _copy_previous(ctx.target, old, page):
        entry["files"] = dict(old["files"])
        entry["reused"] = True
        return entry
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        # the map of the page in its context: from the whole lägesbild (neighbours, sub-areas,
        # classes over whole levels), the markers the area's own points
        m = lagesbild_map(
            whole,
            level=level,
            page=name,
            indicator=config.map.indicator,
            scheme=config.map.scheme,
            k=config.map.k,
            places=places,
            title=config.title,
            area=name,
            sources=config.sources or None,
            extracted=config.extracted,
            classification=config.classification,
            self_contained=config.self_contained,
            lang=config.lang,
            water=water,
            measure_areas=_measures_near_map(measures, area),
            **extra,
        )
        extra_tables = None
        if listed is not None and public is None:
            extra_tables = measure_table(listed, lb, own, name, config.lang, ctx.coverage)
    save_map(m, page / "karta.html", assets=None if config.self_contained else assets)
    if config.png:
        _png(m, page)
    # the report after the picture: shown on its first screen only when it was made
    picture = "karta.png" if (page / "karta.png").is_file() else None
    lead = [ctx.police[(level, name)]] if (level, name) in ctx.police else []
    more = [ctx.utsatta[(level, name)]] if (level, name) in ctx.utsatta else []
    if public is None:
        own.to_excel(
            page / "lagesbild.xlsx", lang=config.lang, classification=config.classification
        )
        own.to_html(
            page / "lagesbild.html",
            lang=config.lang,
            classification=config.classification,
            picture=picture,
            nav=page_nav(config.lang, plan=bool(ctx.plans)),
            lead=lead,
            more=more,
            extra_tables=extra_tables,
        )
    else:
        _public_tables(ctx, public[0], page, level, name, picture=picture, lead=lead, more=more)
    if (level, name) in ctx.plans:  # problems → measures → status → effect so far
        (page / PLAN_PAGE).write_text(ctx.plans[(level, name)], encoding="utf-8")
    entry["files"] = {f"{rel}/{p.name}": sha256(p) for p in sorted(page.iterdir()) if p.is_file()}
    entry["reused"] = False
    return entry


_WATER_MARGIN = 1.0
"""Water is drawn up to this many times the page area's width and height beyond its bounds:
the map opens on the area, so its first view and picture show all the water there is near
it, and a page does not carry the whole city's water."""


def _water_near(water: gpd.GeoDataFrame | None, area: Any) -> gpd.GeoDataFrame | None:
    """The water polygons within the page area's bounds widened by :data:`_WATER_MARGIN`,
    cut to that box (None without water or when none is near)."""
    if water is None or area is None or shapely.is_empty(area):
        return None
    x0, y0, x1, y1 = shapely.bounds(area)
    dx, dy = (x1 - x0) * _WATER_MARGIN, (y1 - y0) * _WATER_MARGIN
    box = shapely.box(x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    pieces = shapely.intersection(water.geometry.to_numpy(), box)
    keep = ~shapely.is_empty(pieces) & (shapely.area(pieces) > 0)
    if not keep.any():
        return None
    return gpd.GeoDataFrame(geometry=pieces[keep], crs=water.crs)


def _measures_near_map(measures: gpd.GeoDataFrame | None, area: Any) -> gpd.GeoDataFrame | None:
    """The measure areas a page map draws: those within the page area's bounds widened as
    for the water (:data:`_WATER_MARGIN`), so the legend names only kinds near the area."""
    if measures is None or area is None or shapely.is_empty(area):
        return None
    x0, y0, x1, y1 = shapely.bounds(area)
    dx, dy = (x1 - x0) * _WATER_MARGIN, (y1 - y0) * _WATER_MARGIN
    box = shapely.box(x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    near = measures[shapely.intersects(measures.geometry.to_numpy(), box)]
    return near if len(near) else None


def _figures(own: Any, lang: str) -> dict[str, Any]:
    """The key figures of an area's page for the index: count (as shown), change label (in
    ``lang``) and code, and priority rank (None where not shown or where the level has no
    ranking) with its words (``rank_text``: "2 (delad)", "ingen rangordning möjlig: …")."""
    # the words the page shows (a change not judged says why), rows as in own.totals
    if not len(own.totals):
        return dict.fromkeys(
            ("n", "n_text", "change_label", "change_code", "rank", "rank_text"), None
        )
    totals = own.to_words(lang, keys=("totals",))["totals"]
    first = totals[(own.totals["kind"] == own.totals["kind"].iloc[0]).to_numpy()]
    label = first["change_label"].iloc[0] if "change_label" in first else None
    code = first["change_code"].iloc[0] if "change_code" in first else None
    n = float(first["n"].sum(min_count=1))
    text = first["n_text"].iloc[0] if "n_text" in first else None
    rank = rank_text = None
    pri = own.priorities
    if pri is not None and len(pri) and "rank" in pri:
        rank = None if pd.isna(pri["rank"].iloc[0]) else int(pri["rank"].iloc[0])
        rank_text = labels.rank_texts(pri.iloc[:1], lang=lang).iloc[0]
    return {
        "n": None if np.isnan(n) else n,
        "n_text": text if isinstance(text, str) else None,
        "change_label": label if isinstance(label, str) else None,
        "change_code": code if isinstance(code, str) else None,
        "rank": rank,
        "rank_text": rank_text,
    }


def page_nav(lang: str, *, plan: bool = False, report: bool = False) -> list[tuple[str, str]]:
    """The links at the top of an area's page: the pack's start page, the area's map,
    (``report``: its ``lagesbild.html``, for the plan page) its Excel file, and (``plan``: a
    pack from the register) its plan page."""
    links = [
        (msg("lb_nav_home", lang), "../../index.html"),
        (msg("pack_map", lang), "karta.html"),
    ]
    if report:
        links.append((msg("pack_report", lang), "lagesbild.html"))
    links.append((msg("lb_nav_excel", lang), "lagesbild.xlsx"))
    if plan:
        links.append((msg("pack_plan", lang), PLAN_PAGE))
    return links


def _public_tables(
    ctx: PageContext,
    counts: Any,
    page: Path,
    level: str,
    name: str,
    *,
    picture: str | None,
    lead: list[str],
    more: Sequence[tuple[str, list[str]]] = (),
) -> None:
    """A public page's ``lagesbild.xlsx`` and ``lagesbild.html``: the area's counts as shown,
    with a note on what "<k" and ".." mean."""
    from geo_trygg.export import write_excel, write_html

    config = ctx.config
    tables = page_tables(ctx.lb, counts, level, name, config.lang)
    first = next(iter(tables.values()))  # the note once, under the first table
    first.attrs["notes"] = [msg("public_note", config.lang, k=counts.k, below=counts.k - 1)]
    write_excel(
        tables, page / "lagesbild.xlsx", lang=config.lang, classification=config.classification
    )
    write_html(
        tables,
        page / "lagesbild.html",
        title=f"{config.title} – {name}",
        lang=config.lang,
        classification=config.classification,
        summary=(
            msg("about_heading", config.lang),
            ctx.lb.to_summary(
                config.lang, level=level, public=True, parts=("coverage", "placement")
            ),
        ),
        picture=picture,
        picture_alt=msg("public_map_alt", config.lang, area=name, period=ctx.lb.period.label),
        nav=page_nav(config.lang, plan=bool(ctx.plans)),
        lead=lead,
        overview=more,
    )


def _copy_previous(target: Path, old: Mapping[str, Any], page: Path) -> bool:
    """Copy the page's files from the previous pack in ``target`` when they are all there
    unchanged."""
    files = old.get("files", {})
    if not files:
        return False
    for name, digest in files.items():
        source = target / name
        if not source.is_file() or sha256(source) != digest:
            return False
    for name in files:
        shutil.copyfile(target / name, page / Path(name).name)
    return True


def shared_map_assets(folder: Path) -> bool:
    """Write the pack's shared map assets (``folder/_karta``: Leaflet and the other scripts
    and stylesheets every ``karta.html`` loads by a relative address), so the maps work
    offline from a file share; one folder instead of ~2.4 MB inlined in every page.

    When the files are not installed (a wheel install without ``node_modules``), the maps
    keep loading them from the CDNs, and this says so once (a warning); returns whether the
    folder was written."""
    from geo_trygg.maps import write_map_assets

    try:
        write_map_assets(folder / ASSETS_FOLDER)
    except ConfigError as exc:
        shutil.rmtree(folder / ASSETS_FOLDER, ignore_errors=True)
        warnings.warn(msg("maps_assets_cdn", reason=str(exc)), GeoTryggWarning, stacklevel=2)
        return False
    return True


def _png(m: Any, page: Path) -> None:
    """``karta.png`` beside the map, made from a self-contained copy (no network needed);
    skipped with a warning when no browser or no map assets are installed."""
    from geo_trygg.maps import map_html, map_to_png

    try:
        html = map_html(m, self_contained=True)
    except ConfigError as exc:
        warnings.warn(msg("pack_png_skipped", reason=str(exc)), GeoTryggWarning, stacklevel=2)
        return
    with tempfile.TemporaryDirectory(prefix="geo_trygg_png_") as tmp:
        source = Path(tmp) / "karta.html"
        source.write_text(html, encoding="utf-8")
        try:
            map_to_png(source, page / "karta.png")
        except ConfigError as exc:
            warnings.warn(msg("pack_png_skipped", reason=str(exc)), GeoTryggWarning, stacklevel=2)
