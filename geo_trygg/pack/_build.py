"""Build a meeting pack: every page of a configuration into one folder, atomically.

The pack is written into a temporary sibling folder (``.<name>.building``) and swapped in at
the end: the previous pack is renamed aside, the new one renamed into place, the previous one
removed. A build that fails or is interrupted leaves the previous pack as it was and no
half-written files in it. Same inputs and configuration, same bytes in every file (the
manifest holds checksums, no timestamps).

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
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geo_trygg
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._text import ascii_fold
from geo_trygg.io.readers import read_areas, read_events, read_findings
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.lagesbild._periods import in_period, parse_period
from geo_trygg.maps import lagesbild_map, save_map
from geo_trygg.pack._actions import action_lists
from geo_trygg.pack._changes import pack_state, write_changes
from geo_trygg.pack._config import PackConfig
from geo_trygg.pack._index import write_index
from geo_trygg.pack._mask import mask_frame
from geo_trygg.pack._public import page_tables, public_counts, public_lagesbild

__all__ = ["PackResult", "build_pack", "slug"]


def slug(name: str) -> str:
    """A folder name for an area: ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slug("Hägersten-Älvsjö"), slug("Södermalm / City"), slug("<b>")
    ('hagersten-alvsjo', 'sodermalm-city', 'b')
    """
    folded = ascii_fold(name).lower()
    out = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in folded)
    return "-".join(part for part in out.split("-") if part) or "omrade"


@dataclass
class PackResult:
    """What a build did: pages built and failed, rejected input rows, the pack's folder."""

    out: Path
    pages: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    rejected: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    _recover(target)
    if not force and not only:
        manifest = _previous_manifest(target)
        if _unchanged(target, manifest, config, base):  # nothing changed: nothing to do
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
    old_manifest = _previous_manifest(target)
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
    _SHARED.update(
        config=config,
        lb=lb,
        frames=frames,
        folder=building,
        target=target,
        previous=previous,
        public=public,
    )
    try:
        for level, name, outcome in _run(tasks, jobs, say):
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
        _manifest(building, config, base, result, state)
        _swap(building, target)
    finally:
        _SHARED.clear()
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
        rejected.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8-sig")
        if len(rejected)
        else "\ufeff".encode()
    )


_SHARED: dict[str, Any] = {}
"""What every page needs, set before the pages are built (inherited by forked workers)."""


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
        inside = _inside(findings, area)
        for fid in ids[findings.index.get_indexer(inside.index)] if inside is not None else []:
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


def _one(task: tuple[str, str]) -> tuple[str, str, dict[str, Any]]:
    level, name = task
    try:
        return level, name, _page(level, name)
    except Exception as exc:  # reported per area; the others go on
        return level, name, {"error": f"{type(exc).__name__}: {exc}"}


def _run(
    tasks: list[tuple[str, str]], jobs: int, say: Callable[[str], None]
) -> list[tuple[str, str, dict[str, Any]]]:
    """Every page, in task order, in ``jobs`` forked processes (or in this one)."""
    methods = multiprocessing.get_all_start_methods()
    if jobs == 1 or len(tasks) < 2 or "fork" not in methods:
        out = []
        for task in tasks:
            say(f"{task[0]}: {task[1]}")
            out.append(_one(task))
        return out
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        done = []
        for item in pool.map(_one, tasks):
            say(f"{item[0]}: {item[1]}")
            done.append(item)
        return done


def _previous_manifest(target: Path) -> dict[str, Any]:
    """The manifest of the pack in ``target``, when it was built by this version (else {})."""
    manifest = target / "manifest.json"
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    if data.get("version") != geo_trygg.__version__:
        return {}
    return dict(data)


def _inside(points: gpd.GeoDataFrame | None, area: Any) -> gpd.GeoDataFrame | None:
    """The points inside the area (its own map shows only them)."""
    if points is None:
        return None
    geoms = np.asarray(points.geometry.array, dtype=object)
    known = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    shapely.prepare(area)
    keep = np.zeros(len(points), dtype=bool)
    keep[known] = shapely.contains(area, geoms[known])
    return points[keep]


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


def _page(level: str, name: str) -> dict[str, Any]:
    """Build (or reuse) the page of one area; returns its index entry with key and files.

    An internal page shows the area's lägesbild, events and findings; a public one only its
    counts as shown (hidden ones as "<k" or "..") and the map of them, no points, no text."""
    config: PackConfig = _SHARED["config"]
    lb, frames, folder = _SHARED["lb"], _SHARED["frames"], Path(_SHARED["folder"])
    rel = f"{level}/{slug(name)}"
    page = folder / rel
    page.mkdir(parents=True, exist_ok=True)
    area = shapely.union_all(
        lb.geography[level].loc[lambda g: g["name"] == name].geometry.to_numpy()
    )
    places = frames.get("places")
    public = _SHARED["public"]
    if public is None:
        own = lb.for_area(level, name)
        points = {kind: _inside(frames.get(kind), area) for kind in ("events", "findings")}
        content = [_fingerprint(frame) for frame in points.values() if frame is not None]
        extra: dict[str, Any] = dict(points)
    else:
        counts, public_lb = public
        own = public_lb.for_area(level, name)
        shown = counts.area_cells(level, name)[["kind", "period", "table", "key", "text"]]
        content = [shown.to_json(orient="split", index=False)]
        extra = {"alt": msg("public_map_alt", config.lang, area=name, period=lb.period.label)}
    key = _key(
        geo_trygg.__version__,
        config.model_dump_json(),
        level,
        name,
        shapely.to_wkb(area),
        own.to_json(),
        b""
        if places is None
        else b"".join(shapely.to_wkb(places.geometry.to_numpy()))
        + places["name"].astype(str).str.cat(sep="\n").encode(),
        *content,
    )
    entry: dict[str, Any] = {"level": level, "area": name, "path": rel, "key": key}
    entry.update(_figures(own))
    if public is not None:
        entry["rank"] = None  # a rank orders hidden counts too
    old = _SHARED["previous"].get(rel)
    if old and old.get("key") == key and _copy_previous(old, rel, page):
        entry["files"] = dict(old["files"])
        entry["reused"] = True
        return entry
    if public is None:
        own.to_excel(
            page / "lagesbild.xlsx", lang=config.lang, classification=config.classification
        )
        own.to_html(
            page / "lagesbild.html", lang=config.lang, classification=config.classification
        )
    else:
        _public_tables(page, level, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        m = lagesbild_map(
            own,
            level=level,
            indicator=config.map.indicator,
            scheme=config.map.scheme,
            k=config.map.k,
            places=places,
            title=config.title,
            area=name,
            focus=name,
            sources=config.sources or None,
            extracted=config.extracted,
            classification=config.classification,
            self_contained=config.self_contained,
            lang=config.lang,
            **extra,
        )
    save_map(m, page / "karta.html")
    if config.png:
        _png(m, page)
    entry["files"] = {f"{rel}/{p.name}": _sha256(p) for p in sorted(page.iterdir()) if p.is_file()}
    entry["reused"] = False
    return entry


def _figures(own: Any) -> dict[str, Any]:
    """The key figures of an area's page for the index: count (as shown), change label and
    code, and priority rank (None where not shown)."""
    totals = own.totals
    if not len(totals):
        return {"n": None, "n_text": None, "change_label": None, "change_code": None, "rank": None}
    first = totals[totals["kind"] == totals["kind"].iloc[0]]
    label = first["change_label"].iloc[0] if "change_label" in first else None
    code = first["change_code"].iloc[0] if "change_code" in first else None
    n = float(first["n"].sum(min_count=1))
    text = first["n_text"].iloc[0] if "n_text" in first else None
    rank = None
    pri = own.priorities
    if pri is not None and len(pri) and "rank" in pri:
        rank = int(pri["rank"].iloc[0])
    return {
        "n": None if np.isnan(n) else n,
        "n_text": text if isinstance(text, str) else None,
        "change_label": label if isinstance(label, str) else None,
        "change_code": code if isinstance(code, str) else None,
        "rank": rank,
    }


def _public_tables(page: Path, level: str, name: str) -> None:
    """A public page's ``lagesbild.xlsx`` and ``lagesbild.html``: the area's counts as shown,
    with a note on what "<k" and ".." mean."""
    from geo_trygg.lagesbild._export import write_excel, write_html

    config: PackConfig = _SHARED["config"]
    counts, _ = _SHARED["public"]
    tables = page_tables(_SHARED["lb"], counts, level, name, config.lang)
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
    )


def _copy_previous(old: dict[str, Any], rel: str, page: Path) -> bool:
    """Copy the page's files from the previous pack when they are all there unchanged."""
    target: Path = _SHARED["target"]
    files = old.get("files", {})
    if not files:
        return False
    for name, digest in files.items():
        source = target / name
        if not source.is_file() or _sha256(source) != digest:
            return False
    for name in files:
        shutil.copyfile(target / name, page / Path(name).name)
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


def _input_hashes(config: PackConfig, base: Path) -> dict[str, Any]:
    """SHA-256 of every input file (a shapefile with its sidecar files), by configuration key."""
    inputs: dict[str, Any] = {}
    for key, path in (
        ("findings", config.inputs.findings),
        ("events", config.inputs.events),
        ("places", config.inputs.places),
        *((f"areas[{i}]", a.path) for i, a in enumerate(config.inputs.areas)),
    ):
        if path is None or not (base / path).is_file():
            continue
        file = base / path
        parts = [file]
        if file.suffix.lower() == ".shp":
            parts = sorted(f for f in file.parent.glob(file.stem + ".*") if f.is_file())
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.name.encode() + b"\0" + bytes.fromhex(_sha256(part)))
        inputs[key] = {
            "path": str(path),
            "sha256": digest.hexdigest() if len(parts) > 1 else _sha256(file),
        }
    return inputs


def _unchanged(target: Path, manifest: dict[str, Any], config: PackConfig, base: Path) -> bool:
    """True when the pack in ``target`` was built from these very inputs and configuration
    and its files are all there unchanged: nothing to do."""
    if not manifest or manifest.get("config") != json.loads(config.model_dump_json()):
        return False
    if manifest.get("inputs") != _input_hashes(config, base):
        return False
    files = dict(manifest.get("files", {}))
    return bool(files) and all(
        (target / name).is_file() and _sha256(target / name) == digest
        for name, digest in files.items()
    )


_INDEXED = ("level", "area", "n", "n_text", "change_label", "change_code", "rank")
"""What the manifest keeps of each page for the index of a re-run with nothing changed."""


def _manifest(
    folder: Path,
    config: PackConfig,
    base: Path,
    result: PackResult,
    state: dict[str, Any],
) -> None:
    inputs = _input_hashes(config, base)
    files = {
        str(p.relative_to(folder)).replace(os.sep, "/"): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "tool": "geo_trygg",
        "version": geo_trygg.__version__,
        "config": json.loads(config.model_dump_json()),
        "inputs": inputs,
        "files": files,
        "pages": {
            p["path"]: {
                "key": p["key"],
                "files": p["files"],
                **{k: p.get(k) for k in _INDEXED},
            }
            for p in result.pages
        },
        "rejected": result.rejected,
        "state": state,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
    )


def _recover(target: Path) -> None:
    """Finish what an interrupted swap left: a previous pack put aside but no new one in place
    is put back; a previous pack left after a finished swap is removed."""
    old = target.parent / f".{target.name}.previous"
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: the old pack aside, the new one in, the old removed.

    When the old pack cannot be moved (a file in it is open, e.g. an Excel file on Windows),
    the new pack is kept beside it as ``<name>.ny`` and the error says so.
    """
    old = target.parent / f".{target.name}.previous"
    if target.exists():
        try:
            target.rename(old)
        except OSError as exc:
            beside = target.parent / f"{target.name}.ny"
            if beside.exists():
                shutil.rmtree(beside, ignore_errors=True)
            new.rename(beside)
            raise ConfigError(
                msg("pack_locked", target=target, error=exc, beside=beside)
            ) from None
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)  # put the previous pack back
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
