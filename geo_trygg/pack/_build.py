"""Build a meeting pack: every page of a configuration into one folder, atomically.

Read and check the inputs, build the lägesbild (and for a public pack its suppressed counts),
then the pages (:mod:`geo_trygg.pack._pages`), the action lists, the rejected rows, the index,
the changes page and the manifest, into a temporary sibling folder (``.<name>.building``) that
is swapped in at the end (:mod:`geo_trygg.pack._store`). A build that fails or is interrupted
leaves the previous pack as it was and no half-written files in it. Same inputs and
configuration, same bytes in every file (the manifest holds checksums, no timestamps).

Layout::

    OUT/index.html               all pages with key figures, period, sources, rejected rows
    OUT/<level>/<folder>/karta.html   the map, opened on the area
    OUT/<level>/<folder>/lagesbild.html, lagesbild.xlsx
    OUT/atgardslistor/<actor>.xlsx, .html   each responsible actor's open and overdue findings
    OUT/andringar.html           what changed since the previous pack in OUT
    OUT/avvisade_rader.csv       every rejected input row and the reason
    OUT/manifest.json            inputs with SHA-256, configuration, tool version, checksums
                                 (public: inputs by configuration key, no paths, no hashes)

Page folders (:func:`geo_trygg.pack._names.unique_names`) are the area's ASCII slug, unique
within a level: the first name in code point order with a slug gets it, other names with that
slug get ``-`` and 8 hex digits of the SHA-256 of the exact name; never a Windows device name,
never empty, at most 80 characters. Area names of a page level that differ only in spacing or
Unicode form (NFC/NFD) are one area only when every feature with them has the same
``area_id`` (they are then named in NFC with single spaces); otherwise the build stops before
any work with a message naming both names (spaces and marks made visible) and the files. Names
written identically stay one area, as before. The whole run holds a lock on ``OUT`` (see
:mod:`geo_trygg.pack._store`).

Which areas get pages (``pages``, :mod:`geo_trygg.pack._config`): every area of a level, or
the areas it names, matched by :func:`geo_trygg._text.normalize_name` (case, Unicode form,
spacing and dashes do not matter); a name that is no area of its level stops the build before
any work with the closest names of the level. The lägesbild is built over every area of the
input (counts, change tests, the points placed: what the data say does not depend on what is
shown); the **priority ranks** are then computed again among the areas that get pages (those
chosen, and of them those of ``only``), so that a rank reads "2 av 6" on a pack of six pages
of the level, and the index and every page say so in words. A level of ``stadsdelsomrade`` or
``lpo`` that ``pages`` asks for and the area files do not have is **derived** from the
stadsdelar (:func:`geo_trygg.boundaries.derive_lpo`, the bundled crosswalk at the day the
periods are counted on), and the pack says so. Boundaries of a level with no version valid on
that day stop the build before any work with the catalogued source to use instead, or, for
stadsdelsområden and LPOs, how to derive them from the stadsdelar.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import geopandas as gpd
import pandas as pd

from geo_trygg import settings
from geo_trygg._errors import ConfigError
from geo_trygg._labels import identify, msg
from geo_trygg.catalogue import get_source
from geo_trygg.io import read_indicators
from geo_trygg.io.measure_areas import read_measure_areas
from geo_trygg.io.readers import read_areas, read_events, read_findings
from geo_trygg.io.write import formula_safe
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.pack._actions import ActionList, write_action_lists
from geo_trygg.pack._changes import finding_details, pack_state, write_changes
from geo_trygg.pack._config import PackConfig, as_toml, as_toml_list, register_target
from geo_trygg.pack._index import area_police_categories, write_index
from geo_trygg.pack._ledger import read_ledger, write_publication
from geo_trygg.pack._levels import (
    check_boundaries,
    chosen_areas,
    counted_levels,
    counted_on,
    derived_levels,
    rank_of,
    ranked_among,
)
from geo_trygg.pack._mask import mask_frame
from geo_trygg.pack._names import display_name, display_names, slug, unique_names
from geo_trygg.pack._notes import (
    BUILD_SOURCE,
    NOTE,
    Notice,
    capture,
    notices,
    reader_notes,
    shown_notices,
)
from geo_trygg.pack._pages import PageContext, page_nav, run_pages, shared_map_assets
from geo_trygg.pack._plan import (
    REGISTER_SOURCE,
    RegisterInputs,
    plan_pages,
    read_register,
    register_notes,
)
from geo_trygg.pack._public import public_counts, public_lagesbild
from geo_trygg.pack._store import (
    pack_lock,
    previous_manifest,
    recover,
    swap,
    unchanged,
    write_manifest,
    write_state,
)
from geo_trygg.pack._utsatta import add_editions, page_sections
from geo_trygg.periods import in_period

__all__ = ["PackResult", "build_pack", "slug"]


@dataclass
class PackResult:
    """What a build did: pages built and failed, rejected input rows, the pack's folder, and
    the notes and warnings the pack shows (``{"source", "category", "text"[, "rows"]}``, see
    :func:`~geo_trygg.pack._notes.shown_notices`) with the number a public pack left out, and
    the action lists written (:class:`~geo_trygg.pack._actions.ActionList`; none in a public
    pack or a build that changed nothing)."""

    out: Path
    pages: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    rejected: int = 0
    notes: list[dict[str, Any]] = field(default_factory=list)
    notes_left_out: int = 0
    actions: list[ActionList] = field(default_factory=list)


@dataclass(frozen=True)
class PackInputs:
    """The inputs of a build, read and checked once (:func:`_read`).

    Attributes
    ----------
    areas : geopandas.GeoDataFrame
        Every area layer (and the places when they have pages), names settled.
    findings, events, places : geopandas.GeoDataFrame or None
        The accepted rows of each input (free text masked when ``mask_personal``); None when
        the configuration has no such input.
    water : geopandas.GeoDataFrame or None
        Water polygons (``inputs.water``) in the areas' CRS, drawn under the page maps.
    indicators : pandas.DataFrame or None
        The accepted survey results (``inputs.indicators``, :func:`geo_trygg.io.read_indicators`).
    population : geopandas.GeoDataFrame or None
        Areas with their inhabitants (``inputs.population``) in the areas' CRS, column
        ``population`` (NaN where the file's value is no number of at least 0: such rows are
        in ``rejected`` too, and the areas they overlap get no population, never a zero).
    measure_areas : geopandas.GeoDataFrame or None
        The measure areas (``inputs.measure_areas``, :func:`geo_trygg.io.read_measure_areas`)
        in the areas' CRS: drawn on the page maps and listed on the pages.
    rejected : pandas.DataFrame
        Every rejected row with its file (in a public pack the configuration key) and reason.
    notes : tuple of Notice
        The readers' notes (inferred coordinate system, swapped coordinates, columns
        recognised …), by input.
    warnings : tuple of Notice
        The warnings reading emitted (and, after :func:`dataclasses.replace`, those of the
        build), with their category.
    """

    areas: gpd.GeoDataFrame
    findings: gpd.GeoDataFrame | None = None
    events: gpd.GeoDataFrame | None = None
    places: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    indicators: pd.DataFrame | None = None
    population: gpd.GeoDataFrame | None = None
    measure_areas: gpd.GeoDataFrame | None = None
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()
    register: RegisterInputs | None = None

    def notices(self) -> tuple[Notice, ...]:
        """Notes and warnings in one tuple, each once, in a stable order
        (:func:`~geo_trygg.pack._notes.notices`)."""
        return notices(self.notes, self.warnings)


def _read(config: PackConfig, base: Path) -> PackInputs:
    """The inputs read (accepted rows), every rejected row with its file and reason (in a
    public pack the file's configuration key, such as ``inputs.events``, not its path), and
    the readers' notes and warnings.

    Raises ConfigError when two area names of a page level differ only in spacing or Unicode
    form (see :func:`_settle_names`)."""
    public = config.privacy == "public"
    rejected = []
    frames: dict[str, Any] = {}
    notes: list[Notice] = []
    caught: list[Notice] = []
    register = None
    target = register_target(config, base)
    if target is not None and config.register_source is not None:  # findings and events
        register = read_register(target, config.register_source)
        for kind in ("findings", "events"):
            frame = getattr(register, kind)
            if frame is not None:
                frames[kind] = mask_frame(frame) if config.mask_personal else frame
        notes += [
            Notice(REGISTER_SOURCE, text, NOTE) for text in register_notes(register, config.lang)
        ]
        if len(register.rejected):
            table = register.rejected
            if public:  # the register's import files are named by the configuration key
                table = table.assign(file=REGISTER_SOURCE)
            rejected.append(mask_frame(table, ["value"]) if config.mask_personal else table)
    for kind in ("findings", "events"):
        path = getattr(config.inputs, kind)
        if path is None:
            continue
        maps = config.mappings
        with capture(f"inputs.{kind}", caught):
            if kind == "findings":
                result = read_findings(
                    base / path,
                    category_map=maps.category or None,
                    actor_map=maps.actor or None,
                    status_map=maps.status or None,
                )
            else:
                result = read_events(base / path, category_map=maps.event_table())
        notes += reader_notes(f"inputs.{kind}", result.summary.notes)
        frames[kind] = mask_frame(result.accepted) if config.mask_personal else result.accepted
        if len(result.rejected):
            label = f"inputs.{kind}" if public else str(path)
            table = pd.DataFrame(result.rejected).assign(file=label)
            rejected.append(mask_frame(table, ["value"]) if config.mask_personal else table)
    layers, given, files = [], [], []
    for i, item in enumerate(config.inputs.areas):
        with capture(f"inputs.areas[{i}]", caught):
            result = read_areas(
                base / item.path, source=item.source, level=item.level, layer=item.layer
            )
        notes += reader_notes(f"inputs.areas[{i}]", result.summary.notes)
        layers.append(result.accepted)
        given += _given_names(result.accepted)
        files += [str(item.path)] * len(result.accepted)
        if len(result.rejected):
            label = f"inputs.areas[{i}]" if public else str(item.path)
            rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    if config.inputs.places is not None:
        with capture("inputs.places", caught):
            result = read_areas(base / config.inputs.places, level="place")
        notes += reader_notes("inputs.places", result.summary.notes)
        frames["places"] = result.accepted
        if "place" in config.page_levels:  # each named place gets a page, counted in its polygon
            layers.append(result.accepted)
            given += _given_names(result.accepted)
            files += [str(config.inputs.places)] * len(result.accepted)
        if len(result.rejected):
            label = "inputs.places" if public else str(config.inputs.places)
            rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    crs = layers[0].crs
    areas = gpd.GeoDataFrame(
        pd.concat([layer.to_crs(crs) for layer in layers], ignore_index=True), crs=crs
    )
    water = None
    water_file, water_key = _water_file(config, base)
    if water_file is not None:  # drawn under the maps only: never counted in
        with capture(water_key, caught):
            result = read_areas(water_file, to_crs=crs)
        water = gpd.GeoDataFrame(geometry=result.accepted.geometry.to_numpy(), crs=crs)
        if water_key != "inputs.water":  # found beside a catalogued boundary file: say so
            said = msg("pack_water_beside", file=water_file.name, input=water_key)
            notes.append(Notice(water_key, said, NOTE))
        if len(result.rejected):
            label = water_key if public else str(water_file)
            rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    population = _population(config, base, crs, public, notes, caught, rejected)
    indicators = None
    if config.inputs.indicators is not None:
        with capture("inputs.indicators", caught):
            survey = read_indicators(base / config.inputs.indicators)
        notes += reader_notes("inputs.indicators", survey.summary.notes)
        indicators = survey.accepted
        if len(survey.rejected):
            label = "inputs.indicators" if public else str(config.inputs.indicators)
            rejected.append(pd.DataFrame(survey.rejected).assign(file=label))
    measure_areas = None
    if config.inputs.measure_areas is not None:
        key = "inputs.measure_areas"
        with capture(key, caught):
            result = read_measure_areas(base / config.inputs.measure_areas, to_crs=crs)
        notes += reader_notes(key, result.summary.notes)
        measure_areas = result.accepted
        if len(result.rejected):
            label = key if public else str(config.inputs.measure_areas)
            rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    places = frames.get("places")
    return PackInputs(
        # names as people write them (SÖDERMALM → Södermalm), the source's in name_source
        areas=display_names(_settle_names(areas, given, files, config.page_levels)),
        findings=frames.get("findings"),
        events=frames.get("events"),
        places=None if places is None else display_names(places),
        water=water,
        indicators=indicators,
        population=population,
        measure_areas=measure_areas,
        rejected=pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(),
        notes=tuple(notes),
        warnings=tuple(caught),
        register=register,
    )


def _population(
    config: PackConfig,
    base: Path,
    crs: Any,
    public: bool,
    notes: list[Notice],
    caught: list[Notice],
    rejected: list[pd.DataFrame],
) -> gpd.GeoDataFrame | None:
    """``inputs.population`` read into the areas' CRS with a ``population`` column; a value
    that is no number of at least 0 is listed with the rejected rows and kept as NaN."""
    given = config.inputs.population
    if given is None:
        return None
    key = "inputs.population"
    with capture(key, caught):
        result = read_areas(base / given.path, layer=given.layer, to_crs=crs)
    notes += reader_notes(key, result.summary.notes)
    label = key if public else str(given.path)
    if len(result.rejected):
        rejected.append(pd.DataFrame(result.rejected).assign(file=label))
    frame = result.accepted
    column = next((c for c in (given.column, f"src_{given.column}") if c in frame.columns), None)
    if column is None:
        found = ", ".join(c.removeprefix("src_") for c in frame.columns if c.startswith("src_"))
        raise ConfigError(
            msg("pack_population_column", column=given.column, file=given.path, found=found)
        )
    raw = frame[column]
    values = pd.to_numeric(
        raw.astype(str).str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", "."),
        errors="coerce",
    ).where(raw.notna())
    bad = values.isna() | (values < 0)
    if bad.any():
        rows = frame.loc[bad, "source_row"] if "source_row" in frame.columns else frame.index[bad]
        rejected.append(
            pd.DataFrame(
                {
                    "row": list(rows),
                    "column": given.column,
                    "value": [None if pd.isna(v) else str(v) for v in raw[bad]],
                    "reason": [
                        msg("pack_population_bad", value="" if pd.isna(v) else str(v))
                        for v in raw[bad]
                    ],
                }
            ).assign(file=label)
        )
    return frame.assign(population=values.where(~bad))


def _water_file(config: PackConfig, base: Path) -> tuple[Path | None, str]:
    """The water drawn under the maps and its configuration key: ``inputs.water``, else the
    water file a catalogued boundary source publishes beside its boundary file (the
    catalogue's ``water``, e.g. Stockholm's ``vatten.geo.json``) when it is there."""
    if config.inputs.water is not None:
        return base / config.inputs.water, "inputs.water"
    for i, item in enumerate(config.inputs.areas):
        name = get_source(item.source).water if item.source is not None else None
        beside = (base / item.path).parent / name if name else None
        if beside is not None and beside.is_file():
            return beside, f"inputs.areas[{i}]"
    return None, "inputs.water"


def _given_names(layer: pd.DataFrame) -> list[str]:
    """Each area's name as written in its file: the reader strips surrounding spaces and
    keeps the names it stripped in ``attrs["name_given"]`` (row position → text), taken out
    here so that they go no further."""
    names = [str(n) for n in layer["name"]]
    given = layer.attrs.pop("name_given", None)
    if isinstance(given, dict):
        for i, text in given.items():
            if isinstance(i, int) and 0 <= i < len(names) and isinstance(text, str):
                names[i] = text
    return names


def spacing_key(name: str) -> str:
    """A name in NFC with every run of white space (tabs, repeated or surrounding spaces) as
    one space: names with the same key differ only in spacing or Unicode form.

    Examples
    --------
    >>> spacing_key(" Å\tby  torg ") == spacing_key("Å by torg")
    True
    """
    return " ".join(unicodedata.normalize("NFC", name).split())


def visible(name: str) -> str:
    """A name quoted, with every character that could hide a difference escaped: white space
    other than a single space between two other characters (so surrounding and repeated
    spaces show as ``\\x20``), combining marks and invisible characters.

    Examples
    --------
    >>> print(visible(" Globen"), visible("a  b"), visible("a\\tb"), visible("A\\u030a"))
    '\\x20Globen' 'a\\x20\\x20b' 'a\\tb' 'A\\u030a'
    """
    shown = []
    for i, ch in enumerate(name):
        inner = 0 < i < len(name) - 1 and name[i - 1] != " " and name[i + 1] != " "
        hidden = ch.isspace() or unicodedata.combining(ch) or not ch.isprintable()
        if (ch == " " and inner) or not hidden:
            shown.append(ch)
        elif ch == " ":
            shown.append("\\x20")
        else:
            shown.append(ch.encode("unicode_escape").decode("ascii"))
    return "'" + "".join(shown) + "'"


def _settle_names(
    areas: gpd.GeoDataFrame, given: list[str], files: list[str], levels: list[str]
) -> gpd.GeoDataFrame:
    """Area names of the page levels that differ only in spacing or Unicode form
    (:func:`spacing_key`, names as written in the files) are one area only when the input
    says so: every feature with any of those names has the same ``area_id``; they are then
    named by the key. Otherwise ConfigError naming the two names and the files, before any
    work. Names written identically stay one area as before (features of one area)."""
    if len(given) != len(areas):  # cannot happen: one given name per area row
        return areas
    levels_of = areas["level"].astype(str).to_numpy()
    ids = areas["area_id"].astype(str).to_numpy()
    renamed: dict[int, str] = {}
    for level in levels:
        groups: dict[str, list[int]] = {}
        for i in map(int, (levels_of == level).nonzero()[0]):
            groups.setdefault(spacing_key(given[i]), []).append(i)
        for key in sorted(groups):
            rows = groups[key]
            texts = sorted({given[i] for i in rows})
            if len(texts) < 2:
                continue
            if len({ids[i] for i in rows}) == 1:  # one area_id: the input says one area
                renamed.update((i, key) for i in rows)
                continue
            raise ConfigError(
                msg(
                    "pack_names_ambiguous",
                    first=visible(texts[0]),
                    second=visible(texts[1]),
                    level=level,
                    files=", ".join(sorted({files[i] for i in rows})),
                )
            )
    if renamed:
        areas = areas.copy()
        column = areas.columns.get_loc("name")
        for i, name in renamed.items():
            areas.iat[i, column] = name
    return areas


def _check_period(config: PackConfig, inputs: PackInputs) -> None:
    """Refuse a period without a single event or finding, naming the dates the data cover."""
    found, days = 0, []
    for frame, column in ((inputs.events, "time_from"), (inputs.findings, "walk_date")):
        if frame is None or column not in frame.columns or not len(frame):
            continue
        found += int(in_period(frame[column], config.period).sum())
        times = pd.to_datetime(frame[column], errors="coerce").dropna()
        if len(times):
            days += [times.min().date(), times.max().date()]
    if not found:
        cover = f"{min(days).isoformat()} – {max(days).isoformat()}" if days else "–"
        raise ConfigError(msg("pack_period_empty", period=config.period.label, cover=cover))


_DATA_NOTES = (
    "lagesbild_not_comparable_coverage_period",
    "lagesbild_not_comparable_coverage_compare",
    "lagesbild_not_comparable_precision",
    "lagesbild_precision_moved",
    "lagesbild_nothing_to_compare",
)
"""The lägesbild's notes on what its data cannot show, listed with the pack's assumptions."""


def _about_the_data(note: str) -> bool:
    found = identify(note)
    return found is not None and found[1] in _DATA_NOTES


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
        Build only the pages of these areas (names as shown, or as the source spells them:
        ``SÖDERMALM`` for ``Södermalm``).
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
        names the dates the data cover), a page level that the areas do not have (and that
        cannot be derived from stadsdelar), a name of ``pages`` that is no area of its level
        (the message names the closest), an area level whose boundaries have no version valid
        on the day the periods are counted on (the message says what to use instead), an
        ``only`` name that is no area of the pages, a period and comparison that build_lagesbild
        refuses, or two area names of a page level that differ only in spacing or Unicode
        form without one ``area_id``. Also when another build into ``out`` still runs after
        :data:`~geo_trygg.pack._store.LOCK_WAIT` seconds. A failing page does not stop the
        others; it is listed in ``failed``.
    """
    say = progress or (lambda _text: None)
    target = Path(out)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"jobs={jobs!r} must be a whole number >= 1")
    with pack_lock(target):  # one run at a time per pack, of any kind
        recover(target)  # what a killed run left
        return _build_locked(config, base, target, only=only, force=force, jobs=jobs, say=say)


def _build_locked(
    config: PackConfig,
    base: Path,
    target: Path,
    *,
    only: list[str] | None,
    force: bool,
    jobs: int,
    say: Callable[[str], None],
) -> PackResult:
    """:func:`build_pack` with the pack's lock held and leftovers removed."""
    if not force and not only:
        manifest = previous_manifest(target)
        if unchanged(target, manifest, config, base):  # nothing changed: nothing to do
            pages = sorted(
                (dict(v, path=k, reused=True) for k, v in manifest["pages"].items()),
                key=lambda page: (config.page_levels.index(page["level"]), page["area"]),
            )
            return PackResult(
                out=target,
                pages=pages,
                rejected=int(manifest.get("rejected", 0)),
                notes=list(manifest.get("notes", [])),
            )
    say("read")
    with settings.use_lang(config.lang):  # the readers' notes in the pack's language
        inputs = _read(config, base)
        # the police's lists of utsatta områden, by edition (inputs.utsatta_omraden)
        inputs, editions = add_editions(inputs, config, base)
    _check_period(config, inputs)
    levels_shown = config.page_levels
    at = counted_on(config)
    built: list[Notice] = []
    # stadsdelsområden and LPOs from the stadsdelar (the crosswalk's warnings are notes)
    with capture(BUILD_SOURCE, built), settings.use_lang(config.lang):
        areas, derived = derived_levels(inputs.areas, levels_shown, at, config.lang)
    levels = sorted(set(areas["level"]))
    unknown = [p for p in levels_shown if p not in levels]
    if unknown:
        raise ConfigError(
            msg("config_pages_unknown", value=as_toml(unknown), allowed=as_toml_list(levels))
        )
    check_boundaries(areas, config, at)
    available = {lv: sorted(set(areas.loc[areas["level"] == lv, "name"])) for lv in levels_shown}
    names = chosen_areas(config, available)
    known = {n for lv in names.values() for n in lv}
    # names as shown or as the source spells them (SÖDERMALM for Södermalm)
    wanted = {n if n in known else display_name(n) for n in only or []}
    missing = sorted(wanted - known)
    if missing:
        raise ConfigError(
            msg("config_only_unknown", value=as_toml(missing), levels=as_toml(levels_shown))
        )
    tasks = [
        (level, name)
        for level in levels_shown
        for name in names[level]
        if not wanted or name in wanted
    ]
    say("lagesbild")
    counted = counted_levels(levels_shown, levels, public=config.privacy == "public")
    # the days each event source covers: the configuration's, else the register's
    coverage: dict[str, tuple[dt.date, dt.date]] = {
        k: (v[0], v[1]) for k, v in config.comparison.coverage.items()
    }
    if inputs.register is not None:
        coverage = {**inputs.register.coverage, **coverage}
    # points given no area, assumptions of the build; notes and group words in the pack's language
    with capture(BUILD_SOURCE, built), settings.use_lang(config.lang):
        lb = build_lagesbild(
            inputs.findings,
            inputs.events,
            areas=areas,
            by=counted,
            period=config.period,
            compare=config.compare_value(),
            # places with pages of their own are a level; else tables of their own
            places=None if "place" in levels_shown else inputs.places,
            min_coverage=config.comparison.min_coverage,
            max_precision_shift=config.comparison.max_precision_shift,
            coverage=coverage or None,
            indicators=inputs.indicators,
            goals=[g.goal() for g in config.goals] if inputs.indicators is not None else None,
            population=inputs.population,
            weights=dict(config.weights) or None,
        )
    # comparisons the data cannot support (the sources' dates) are said with the rest; the
    # lägesbild's other notes are on its pages
    built += [Notice(BUILD_SOURCE, note, NOTE) for note in lb.notes if _about_the_data(note)]
    among: list[tuple[str, str]] = []
    if config.privacy != "public":  # a public pack shows no ranks (they order hidden counts)
        lb, among = ranked_among(lb, tasks, available, config.lang)
    said = derived + among  # on the index (notes), and on the pages of the level they are about
    built += [Notice(BUILD_SOURCE, note, NOTE) for _, note in said]
    level_notes: dict[str, list[str]] = {}
    for level, note in said:
        level_notes.setdefault(level, []).append(note)

    inputs = replace(inputs, warnings=inputs.warnings + tuple(built))
    public = None
    if config.privacy == "public":  # every count of every public page, suppressed at once
        say("public")
        earlier = read_ledger(config, base)  # what earlier publications showed
        counts = public_counts(lb, k=config.min_count, lang=config.lang, earlier=earlier)
        public = (counts, public_lagesbild(lb, counts))

    plans: dict[tuple[str, str], str] = {}
    if inputs.register is not None:  # the plan page of every area page, computed once
        plans = plan_pages(
            inputs.register,
            config=config,
            geography=lb.geography,
            tasks=tasks,
            at=at,
            coverage=coverage,
            nav=page_nav(config.lang, report=True),
        )
    old_manifest = previous_manifest(target)
    previous = {} if force else dict(old_manifest.get("pages", {}))
    building = target.parent / f".{target.name}.building"  # protected by the lock
    building.mkdir(parents=True)
    if not config.self_contained:  # one shared folder of map assets: maps work offline
        shared_map_assets(building)
    notes, left_out = shown_notices(
        inputs.notices(), public=public is not None, mask=config.mask_personal, lang=config.lang
    )
    result = PackResult(
        out=target, rejected=len(inputs.rejected), notes=notes, notes_left_out=left_out
    )
    # an utsatt område's police category and list year, (level, name) → words: on the index
    police = area_police_categories(areas, config.page_levels, config.lang, config.period.end)
    # the utsatta områden over each page's area and their history over the editions
    utsatta = page_sections(
        editions, lb.geography, tasks, config.lang, public=config.privacy == "public"
    )
    context = PageContext(
        config=config,
        lb=lb,
        places=inputs.places,
        folder=building,
        target=target,
        previous=previous,
        public=public,
        folders={level: unique_names(names[level]) for level in levels_shown},
        parent=os.getpid(),
        police=police,
        water=inputs.water,
        measure_areas=inputs.measure_areas,
        coverage=coverage,
        level_notes=level_notes,
        plans=plans,
        utsatta=utsatta,
    )
    try:
        for level, name, outcome in run_pages(context, tasks, jobs, say):
            if "error" in outcome:  # one area failing does not stop the others
                result.failed.append({"level": level, "area": name, "error": outcome["error"]})
            else:
                result.pages.append(rank_of(outcome, lb, config.lang))
        if "findings" in lb.point_kinds and public is None:  # lists name places
            say("atgardslistor")
            result.actions = _actions(config, lb, result.pages, building, inputs.places)
        _write_rejected(
            building / "avvisade_rader.csv", inputs.rejected, public=public is not None
        )
        say("index")
        write_index(building / "index.html", config, lb, result, police=police, plans=bool(plans))
        overdue = set()
        if lb.overdue is not None and "finding_id" in lb.overdue:
            overdue = set(lb.overdue["finding_id"].astype(str))
        # a public pack keeps no finding ids: its changes are the areas' labels only
        listed = inputs.findings if public is None else None
        state = pack_state(listed, overdue, result.pages)
        write_changes(
            building / "andringar.html",
            previous=old_manifest.get("state"),
            current=state,
            lang=config.lang,
            banner=config.classification,
            labels_only=public is not None,
            # each listed finding's areas, category, description, actor and dates
            details=None
            if public is not None or "findings" not in lb.point_kinds
            else finding_details(lb.points("findings"), config.page_levels, config.lang),
            nav=[(msg("nav_index", config.lang), "index.html")],
        )
        manifest = write_manifest(
            building, config, base, result.pages, result.rejected, state, notes=result.notes
        )
        swap(building, target)
        write_state(target, manifest)
        if public is not None:  # the next public pack of the same data knows this one
            write_publication(config, base, lb, public[0])
    finally:
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
    pages: list[dict[str, Any]],
    folder: Path,
    places: gpd.GeoDataFrame | None = None,
) -> list[ActionList]:
    """``atgardslistor/``: each responsible actor's open and overdue findings, each finding
    linked to the map of the first page (in the order of ``pages``) whose area it is assigned
    to — the page whose tables count it and whose map draws it (``lb.points``, never placed
    again) — opened zoomed on the finding (``karta.html#fynd=<percent-encoded id>``); places
    named by the pack's places; each page links back to the index."""
    findings = lb.points("findings")
    links: dict[str, str] = {}
    ids = findings["finding_id"].astype(str).to_numpy()
    for page in pages:
        held = (findings[page["level"]] == page["area"]).to_numpy(dtype=bool)
        for fid in ids[held]:
            links.setdefault(str(fid), f"../{page['path']}/karta.html#fynd={_uri(str(fid))}")
    return write_action_lists(
        findings,
        as_of=lb.period.end - dt.timedelta(days=1),
        folder=folder / "atgardslistor",
        map_links=links,
        lang=config.lang,
        mask=config.mask_personal,
        classification=config.classification,
        places=places,
        nav=[(msg("nav_index", config.lang), "../index.html")],
    )


def _uri(text: str) -> str:
    """``text`` percent-encoded as JavaScript's ``encodeURIComponent`` does.

    Examples
    --------
    >>> _uri("Älvsjö centrum 2024-03-05-1a/2#3")
    '%C3%84lvsj%C3%B6%20centrum%202024-03-05-1a%2F2%233'
    """
    return quote(text, safe="-_.!~*'()")
