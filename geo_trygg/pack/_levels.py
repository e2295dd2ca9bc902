"""Which levels and areas a pack shows, and how it says so.

- **Derived levels**: stadsdelsområden and LPOs that ``pages`` asks for and the area files do
  not have, dissolved from the stadsdelar through the bundled crosswalk
  (:func:`geo_trygg.boundaries.derive_lpo`) on the day the periods are counted on.
- **Counted levels**: the page levels, and in an internal pack the stadsdelar too, so that a
  page map colours its sub-areas.
- **Boundaries** with no version valid on that day: refused before any work, naming the
  catalogued source to use instead, or how to derive the level.
- **Chosen areas** per level (``pages`` as a table), matched by
  :func:`geo_trygg._text.normalize_name`; an unknown name is refused with the closest ones.
- **Ranks among the pages**: the priorities ranked again among the areas that get pages
  ("2 av 6").
"""

from __future__ import annotations

import datetime as dt
import difflib
import warnings
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_trygg import labels
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.boundaries import derive_lpo, select_version
from geo_trygg.catalogue import get_source, list_sources
from geo_trygg.lagesbild import Lagesbild, comparison_period, prioritize
from geo_trygg.pack._config import PackConfig, as_toml, as_toml_list

__all__ = [
    "DERIVED_LEVELS",
    "check_boundaries",
    "chosen_areas",
    "counted_levels",
    "counted_on",
    "derived_levels",
    "rank_of",
    "ranked_among",
]


def counted_on(config: PackConfig) -> dt.date:
    """The day whose boundaries and crosswalk rows the lägesbild counts both periods on: the
    last day of the later of the period and its comparison period (as build_lagesbild)."""
    main = config.period
    previous = comparison_period(main, config.compare_value())
    end = max(main.end, previous.end) if previous is not None else main.end
    return end - dt.timedelta(days=1)


DERIVED_LEVELS = ("stadsdelsomrade", "lpo")
"""Levels a pack derives from the stadsdelar through the bundled crosswalk when ``pages`` asks
for them and the area files do not have them."""
_FROM = "stadsdel"
_AREA_COLUMNS = ["area_id", "name", "level", "valid_from", "valid_to", "geometry"]


def derived_levels(
    areas: gpd.GeoDataFrame, pages: list[str], at: dt.date, lang: str
) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """``areas`` with the levels of :data:`DERIVED_LEVELS` that ``pages`` asks for and the area
    files do not have, dissolved from the stadsdelar valid on ``at`` by the bundled crosswalk
    valid on ``at`` (:func:`geo_trygg.boundaries.derive_lpo`); and per derived level the level
    and a sentence saying so (in ``lang``). Unchanged without stadsdelar."""
    have = set(areas["level"].astype(str))
    wanted = [level for level in pages if level in DERIVED_LEVELS and level not in have]
    if not wanted or _FROM not in have:
        return areas, []
    finer = areas[(areas["level"] == _FROM).to_numpy()]
    if {"valid_from", "valid_to"} & set(finer.columns):
        finer = select_version(finer, at)
    if finer.empty:  # the lägesbild says that no stadsdel boundary is valid then
        return areas, []
    layers, said = [areas], []
    for level in wanted:
        derived = derive_lpo(finer, level=level, at=at)
        layer = derived[[c for c in _AREA_COLUMNS if c in derived.columns]]
        layers.append(gpd.GeoDataFrame(layer, geometry="geometry", crs=areas.crs))
        said.append(
            (
                level,
                msg(
                    "pack_level_derived",
                    lang,
                    level=labels.level_names(lang).get(level, level),
                    code=level,
                    at=at.isoformat(),
                    areas=len(derived),
                    n_from=int(derived["n_areas"].sum()),
                ),
            )
        )
    joined = pd.concat(layers, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=areas.crs), said


def counted_levels(pages: list[str], levels: list[str], *, public: bool) -> tuple[str, ...]:
    """The levels the lägesbild counts: the page levels, and in an internal pack also the
    stadsdelar when the areas have them and no page level is finer, so that a page map
    colours a stadsdelsområde's or an LPO's stadsdelar (:mod:`geo_trygg.maps`). A public pack
    counts only its page levels: every count it draws has passed its suppression."""
    extra = [] if public or _FROM in pages or _FROM not in levels else [_FROM]
    return tuple(pages) + tuple(extra)


def check_boundaries(areas: gpd.GeoDataFrame, config: PackConfig, at: dt.date) -> None:
    """Refuse, before any work, an area level whose boundaries have no version valid on ``at``
    (the day both periods are counted on), saying what to use instead: the catalogued sources
    of the level valid then, or, for stadsdelsområden and LPOs, the stadsdelar the pack derives
    them from; else that the catalogue has none."""
    if not {"valid_from", "valid_to"} & set(areas.columns):
        return
    for level in sorted(set(areas["level"].astype(str))):
        layer = areas[(areas["level"] == level).to_numpy()]
        if not select_version(layer, at).empty:
            continue
        first = pd.to_datetime(layer["valid_from"], errors="coerce").min()
        last = pd.to_datetime(layer["valid_to"], errors="coerce").max()
        valid = (
            f"{'…' if pd.isna(first) else first.date().isoformat()}–"
            f"{'…' if pd.isna(last) else (last.date() - dt.timedelta(days=1)).isoformat()}"
        )
        sources = [name for name in list_sources() if _valid_source(name, level, at)]
        words = labels.level_names().get(level, level)
        if sources:
            hint = msg(
                "pack_boundaries_use_source",
                names=", ".join(sources),
                example=as_toml(sources[-1]),
            )
        elif level in DERIVED_LEVELS:
            hint = msg("pack_boundaries_derive", level=words.lower())
        else:
            hint = msg("lagesbild_boundaries_none_catalogued")
        files = [str(item.path) for item in config.inputs.areas if _of_level(item, level)]
        raise ConfigError(
            msg(
                "pack_no_boundaries",
                level=words,
                files=", ".join(files) or as_toml_list(str(a.path) for a in config.inputs.areas),
                at=at.isoformat(),
                valid=valid,
                hint=hint,
            )
        )


def _of_level(item: Any, level: str) -> bool:
    """Whether the area file ``item`` of the configuration is said to hold ``level``."""
    if item.level is not None:
        return bool(item.level == level)
    return item.source is not None and get_source(item.source).level == level


def _valid_source(name: str, level: str, at: dt.date) -> bool:
    """Whether the catalogued source ``name`` has boundaries of ``level`` valid on ``at``."""
    source = get_source(name)
    start = source.valid_from or at
    end = source.valid_to or at + dt.timedelta(days=1)
    return source.level == level and start <= at < end


_CLOSEST = 3
"""Names of a level offered in place of one that is not there."""


def chosen_areas(config: PackConfig, available: dict[str, list[str]]) -> dict[str, list[str]]:
    """The areas of each page level that get pages: every one, or those ``pages`` names,
    matched by :func:`~geo_trygg._text.normalize_name`. Every name that is no area of its
    level is reported at once (ConfigError), each with the closest names of the level."""
    out: dict[str, list[str]] = {}
    problems: list[str] = []
    for level, names in available.items():
        given = config.chosen_areas(level)
        if given is None:
            out[level] = names
            continue
        words = labels.level_names().get(level, level).lower()
        if not names:
            problems.append(msg("pack_area_level_empty", level=level, level_words=words))
            continue
        keyed: dict[str, list[str]] = {}
        for name in names:
            keyed.setdefault(normalize_name(name), []).append(name)
        picked: set[str] = set()
        for name in given:
            found = keyed.get(normalize_name(name))
            if found:
                picked.update(found)
                continue
            problems.append(_unknown_area(level, words, name, names, keyed))
        out[level] = sorted(picked)
    if problems:
        raise ConfigError("\n".join(problems))
    return out


def _unknown_area(
    level: str,
    words: str,
    name: str,
    names: list[str],
    keyed: dict[str, list[str]],
) -> str:
    """The sentence for ``name``, which is no area of ``level``: the closest names of the
    level (by :func:`difflib.get_close_matches` on the normalised names), else a few names."""
    close = difflib.get_close_matches(normalize_name(name), list(keyed), n=_CLOSEST, cutoff=0.6)
    if close:
        closest = as_toml_list(n for key in close for n in keyed[key])
        return msg(
            "pack_area_unknown",
            level=level,
            name=as_toml(name),
            level_words=words,
            closest=closest,
        )
    return msg(
        "pack_area_unknown_examples",
        level=level,
        name=as_toml(name),
        level_words=words,
        examples=as_toml_list(names[:_CLOSEST]),
    )


def ranked_among(
    lb: Lagesbild,
    tasks: list[tuple[str, str]],
    available: dict[str, list[str]],
    lang: str,
) -> tuple[Lagesbild, list[tuple[str, str]]]:
    """``lb`` with its priorities ranked again among the areas that get pages (``tasks``),
    level by level, with the same weights (:func:`geo_trygg.lagesbild.prioritize`; the
    indicators' values are those of the whole input), and a sentence per level whose pages
    are fewer than its areas (in ``lang``). Unchanged where every area of a level gets a page.
    """
    pri = lb.priorities
    if pri is None or not len(pri) or "rank" not in pri.columns:
        return lb, []
    chosen: dict[str, set[str]] = {}
    for level, name in tasks:
        chosen.setdefault(level, set()).add(name)
    narrowed = [lv for lv in available if len(chosen.get(lv, ())) < len(available[lv])]
    if not narrowed:
        return lb, []
    weights = dict(pri.attrs.get("weights", {}))
    levels = pri["level"].astype(str).to_numpy()
    areas = pri["area"].astype(str).to_numpy()
    parts, said = [], []
    for level in dict.fromkeys(levels):
        rows = levels == level
        if level not in narrowed:
            parts.append(pri[rows])
            continue
        keep = rows & pd.Series(areas).isin(chosen.get(level, set())).to_numpy()
        if keep.any():
            table = pri.loc[keep, ["level", "area", *weights]].reset_index(drop=True)
            with warnings.catch_warnings():  # the lägesbild warned of missing values already
                warnings.simplefilter("ignore", GeoTryggWarning)
                parts.append(prioritize(table, weights=weights))
        shown = len(chosen.get(level, ()))
        words = labels.level_names(lang).get(level, level).lower()
        total = len(available[level])
        said.append(
            (
                level,
                msg("pack_ranks_among_one", lang, level=words, total=total)
                if shown == 1  # one page: nothing to rank it among
                else msg("pack_ranks_among", lang, shown=shown, level=words, total=total),
            )
        )
    ranked = pd.concat(parts, ignore_index=True) if parts else pri.iloc[:0]
    ranked.attrs = dict(pri.attrs)
    return replace(lb, priorities=ranked), said


def rank_of(page: dict[str, Any], lb: Lagesbild, lang: str) -> dict[str, Any]:
    """A page's index entry with its rank said among how many: "2 av 6", "2 av 6 (delad)"
    (the areas of the level ranked, which are those that get pages)."""
    rank = page.get("rank")
    pri = lb.priorities
    if rank is None or pri is None or not len(pri):
        return page
    level = pri[(pri["level"] == page["level"]).to_numpy()]
    own = level[(level["area"] == page["area"]).to_numpy()]
    tied = bool(own["tied"].iloc[0]) if len(own) and "tied" in own.columns else False
    if tied:
        text = msg("pack_rank_of_tied", lang, rank=rank, n=len(level))
    else:
        text = msg("pack_rank_of", lang, rank=rank, n=len(level))
    return dict(page, rank_text=text)
