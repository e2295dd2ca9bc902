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
    OUT/avvisade_rader.csv       every rejected input row and the reason
    OUT/manifest.json            inputs with SHA-256, configuration, tool version, checksums
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

import geo_trygg
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._text import ascii_fold
from geo_trygg.io.readers import read_areas, read_events, read_findings
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.maps import lagesbild_map, save_map
from geo_trygg.pack._config import PackConfig
from geo_trygg.pack._index import write_index

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
        frames[kind] = result.accepted
        if len(result.rejected):
            rejected.append(pd.DataFrame(result.rejected).assign(file=str(path)))
    layers = []
    for item in config.inputs.areas:
        result = read_areas(
            base / item.path, source=item.source, level=item.level, layer=item.layer
        )
        layers.append(result.accepted)
        if len(result.rejected):
            rejected.append(pd.DataFrame(result.rejected).assign(file=str(item.path)))
    frames["areas"] = gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs=layers[0].crs)
    if config.inputs.places is not None:
        frames["places"] = read_areas(base / config.inputs.places, level="place").accepted
    table = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame()
    return frames, table


def build_pack(
    config: PackConfig,
    base: Path,
    out: str | Path,
    *,
    only: list[str] | None = None,
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
    progress : callable, optional
        Called with a short text before each step.

    Returns
    -------
    PackResult

    Raises
    ------
    ConfigError
        Before any page is written: a page level that the areas do not have, an ``only``
        name that is no area of a page level, or a period and comparison that build_lagesbild
        refuses. A failing page does not stop the others; it is listed in ``failed``.
    """
    say = progress or (lambda _text: None)
    target = Path(out)
    say("read")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        frames, rejected = _read(config, base)
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
            places=frames.get("places"),
            lang=config.lang,
        )

    building = target.parent / f".{target.name}.building"
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    result = PackResult(out=target, rejected=len(rejected))
    try:
        for level in config.pages:
            for name in names[level]:
                if wanted and name not in wanted:
                    continue
                say(f"{level}: {name}")
                try:
                    page = _page(config, lb, frames, level, name, building)
                    result.pages.append(page)
                except Exception as exc:  # one area failing does not stop the others
                    result.failed.append({"level": level, "area": name, "error": str(exc)})
        (building / "avvisade_rader.csv").write_bytes(
            rejected.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8-sig")
            if len(rejected)
            else "\ufeff".encode()
        )
        say("index")
        write_index(building / "index.html", config, lb, result)
        _manifest(building, config, base)
        _swap(building, target)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return result


def _page(
    config: PackConfig, lb: Any, frames: dict[str, Any], level: str, name: str, folder: Path
) -> dict[str, Any]:
    page = folder / level / slug(name)
    page.mkdir(parents=True, exist_ok=True)
    own = lb.for_area(level, name)
    own.to_excel(page / "lagesbild.xlsx", lang=config.lang)
    own.to_html(page / "lagesbild.html", lang=config.lang)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        m = lagesbild_map(
            lb,
            level=level,
            indicator=config.map.indicator,
            scheme=config.map.scheme,
            k=config.map.k,
            findings=frames.get("findings"),
            events=frames.get("events"),
            places=frames.get("places"),
            title=config.title,
            area=name,
            focus=name,
            sources=config.sources or None,
            extracted=config.extracted,
            classification=config.classification,
            lang=config.lang,
        )
    save_map(m, page / "karta.html")
    totals = own.totals
    events = totals[totals["kind"] == totals["kind"].iloc[0]] if len(totals) else totals
    return {
        "level": level,
        "area": name,
        "path": f"{level}/{slug(name)}",
        "n": float(events["n"].sum()) if len(events) else None,
        "change_label": events["change_label"].iloc[0]
        if len(events) and "change_label" in events
        else None,
    }


def _manifest(folder: Path, config: PackConfig, base: Path) -> None:
    inputs = {}
    for key, path in (
        ("findings", config.inputs.findings),
        ("events", config.inputs.events),
        ("places", config.inputs.places),
        *((f"areas[{i}]", a.path) for i, a in enumerate(config.inputs.areas)),
    ):
        if path is not None and (base / path).is_file():
            inputs[key] = {"path": str(path), "sha256": _sha256(base / path)}
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
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
    )


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: the old pack aside, the new one in, the old removed."""
    old = target.parent / f".{target.name}.previous"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)  # put the previous pack back
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
