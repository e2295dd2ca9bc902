"""``lagesbild_map``: the lägesbild as a layered folium map that planners open without Python.

What is on the map (each piece documented where it is built):

- **Boundary layers**, one per level of the lägesbild's geography (stadsdelar,
  stadsdelsområden, LPOs, utsatta områden …), told apart by line style, not only colour, plus
  named places and any extra layer the caller passes — all in a grouped layer control.
- **A choropleth** of one indicator at one level, classes from mapclassify, a colour-blind-safe
  palette (diverging for change), and a legend that states indicator, unit, period and breaks.
- **Walk findings** as markers coloured and iconed by category and shaped by status (open,
  overdue, done), with popups (id, category, description, responsible actor, status,
  deadline, walk date) from one shared template.
- **Events** as a heat layer (only ``exact``/``address`` precision; above 20,000 events
  aggregated on a metric lattice so the HTML stays small), or hotspot cells (Gi* classes).
- A title box (area, period, sources, extraction date), scale bar, fullscreen, measure tool,
  minimap (with tiles), search by area or place name, print stylesheet, classification banner.
- With ``page=``, a pack page's map: the page's area outlined, its neighbours named, its
  sub-areas coloured with classes over their whole level (:mod:`geo_trygg.maps._context`).
- A sentence in place of a white page when the map's scripts cannot load, a legend that folds
  and never covers the layer control, popups placed beside the controls, and the addresses
  ``#fynd=<id>`` / ``#punkt=<lat>,<lon>`` that open the map zoomed on a finding or a point
  (``runtime.js``).

Every text from the data reaches the page as JSON data shown with ``textContent``, or escaped,
and is never compiled as a template: the map renders inside
:func:`~geo_trygg.maps._safe.raw_elements` (:mod:`geo_trygg.maps._safe`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium import plugins
from jinja2 import Template

from geo_trygg._errors import ConfigError, check_choice
from geo_trygg._labels import msg
from geo_trygg._text import ascii_fold
from geo_trygg._validate import check_lang
from geo_trygg.labels import kind_names, level_names, words
from geo_trygg.maps._classes import NO_VALUE_COLOUR, Classes, classify, number
from geo_trygg.maps._context import finer_level, inside, neighbours
from geo_trygg.maps._events import event_layer, hotspot_layer
from geo_trygg.maps._findings import FINDING_ICONS, findings_layer
from geo_trygg.maps._layers import DataLayer, feature_collection
from geo_trygg.maps._measures import measure_layers
from geo_trygg.maps._runtime import Runtime
from geo_trygg.maps._safe import raw_elements, script_json, text
from geo_trygg.periods import in_period
from geo_trygg.plan import areas_in_force

__all__ = ["INDICATORS", "lagesbild_map", "layer_class", "level_name"]

INDICATORS = ("n", "per_km2", "per_1000", "change", "priority")
LINE_STYLES = {  # level -> (colour, weight, dashArray or None)
    "kommun": ("#000000", 3.5, None),
    "lan": ("#000000", 4.5, None),
    "polisomrade": ("#4d4d4d", 3.0, "12 6"),
    "lpo": ("#1b3a8a", 2.5, "8 5"),
    "stadsdelsomrade": ("#3f3f3f", 2.5, None),
    "stadsdel": ("#666666", 1.0, None),
    "utsatt_omrade": ("#b2182b", 2.0, "2 4"),
    "place": ("#6a3d9a", 2.5, "10 4 2 4"),
}
_DEFAULT_LINE = ("#555555", 1.5, "4 3")
_DASH_NAMES = {
    None: "solid",
    "8 5": "dashed",
    "12 6": "dashed",
    "2 4": "dotted",
    "10 4 2 4": "dashed",
    "4 3": "dashed",
}
_EXTRA_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
_TOOLTIP_EXTRA = ("category", "kategori", "year", "ar", "valid_from")


class LagesbildMap(folium.Map):
    """A folium map that remembers whether :func:`save_map` should inline its assets, and
    whose output is never compiled as a template again, however it is rendered
    (``get_root().render()``, ``save``, a notebook): see
    :func:`~geo_trygg.maps._safe.raw_elements`."""

    geo_trygg_self_contained: bool = False
    geo_trygg_lang: str | None = None
    geo_trygg_title: str | None = None

    def render(self, **kwargs: Any) -> Any:
        """Render the map and everything on it into its figure, data kept as data."""
        with raw_elements():
            return super().render(**kwargs)


class _Call(MacroElement):
    """``geoTrygg.<function>(map, <JSON args>)`` in the map's script."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geoTrygg.{{ this.function }}({{ this.arguments(this._parent.get_name()) }});
        {% endmacro %}
        """
    )

    def __init__(self, function: str, *args: Any, with_map: bool = True) -> None:
        super().__init__()
        self._name = "GeoTryggCall"
        self.function = function
        self.with_map = with_map
        self.args = [script_json(a) for a in args]

    def arguments(self, map_name: str) -> str:
        """The call's arguments: the map's variable (when asked for), then the JSON ones."""
        return ", ".join(([map_name] if self.with_map else []) + self.args)


def level_name(level: str, lang: str) -> str:
    """The name of an area level as a reader says it, e.g. ``"Stadsdel"``; pair levels
    (``stadsdelsomrade_x_lpo``) as both names joined by ``×``; unknown levels as given."""
    if "_x_" in level:
        a, b = level.split("_x_", 1)
        return f"{level_name(a, lang)} × {level_name(b, lang)}"
    return level_names(lang).get(level, level)


def _used_kind(lb: Any, kind: str | None) -> str:
    """The kind the indicator counts: ``kind`` when the lägesbild has it (ConfigError naming
    the allowed kinds when not), else events, counts or findings, the first it has."""
    kinds = list(dict.fromkeys(lb.totals["kind"]))
    if kind is None:
        return next((k for k in ("events", "counts", "findings") if k in kinds), kinds[0])
    if kind not in kinds:
        raise ConfigError(
            f"kind={kind!r} is not in the lägesbild; allowed: {', '.join(map(repr, kinds))}"
        )
    return kind


def _indicator_table(
    lb: Any, level: str, indicator: str, kind: str | None, lang: str
) -> tuple[pd.DataFrame, str]:
    """Per area of ``level``: the indicator's value and the tooltip fields, and which kind."""
    kind = _used_kind(lb, kind)
    rows = _area_rows(lb, level, kind)
    table = pd.DataFrame({"area": rows["area"].to_numpy(), "n": rows["n"].to_numpy(dtype=float)})
    for column in ("per_km2", "per_1000", "change", "n_compare", "n_text"):
        if column in rows.columns:
            table[column] = rows[column].to_numpy()
    if "change_code" in rows.columns:  # the change in words, the tooltip's assessment
        codes = pd.Series(rows["change_code"].to_numpy(), name="change_code")
        table["change_label"] = words(codes, "change", lang=lang).to_numpy()
    if indicator == "priority":
        pri = lb.priorities
        score = pri[pri["level"] == level].set_index("area")["score"] if pri is not None else None
        table["priority"] = table["area"].map(score) if score is not None else np.nan
    if indicator not in table.columns:
        raise ConfigError(msg("map_indicator_missing", lang, indicator=indicator))
    table["value"] = pd.to_numeric(table[indicator], errors="coerce")
    return table, kind


def layer_class(level: str) -> str:
    """The CSS class of a boundary layer's SVG paths (``gt-layer-<level>``, ASCII only).

    Examples
    --------
    >>> layer_class("stadsdelsomrade_x_lpo"), layer_class("<b>")
    ('gt-layer-stadsdelsomrade_x_lpo', 'gt-layer-b')
    """
    return "gt-layer-" + "".join(
        ch for ch in ascii_fold(level).lower() if ch.isalnum() or ch in "_-"
    )


def _area_rows(lb: Any, level: str, kind: str) -> pd.DataFrame:
    """The lägesbild's per-area totals (all categories) of ``kind`` at ``level``."""
    totals = lb.totals
    return totals[
        (totals["kind"] == kind) & (totals["level"] == level) & (totals["bucket"] == "area")
    ]


def _count_texts(lb: Any, level: str, kind: str, lang: str) -> dict[str, str] | None:
    """Count per area of ``level`` (all categories) for ``kind`` as shown (a public pack's
    hidden counts as "<k" or ".."); None without such rows."""
    rows = _area_rows(lb, level, kind)
    if rows.empty:
        return None
    if "n_text" in rows:
        return dict(zip(rows["area"], rows["n_text"].astype(str), strict=True))
    values = pd.to_numeric(rows["n"], errors="coerce")
    return {a: number(v, lang) for a, v in zip(rows["area"], values, strict=True)}


def _boundary_spec(
    level: str, fields: list[list[str]], *, fill: bool, fill_opacity: float = 0.7
) -> dict[str, Any]:
    colour, weight, dash = LINE_STYLES.get(level, _DEFAULT_LINE)
    style: dict[str, Any] = {
        "color": colour,
        "weight": weight,
        "fill": fill,
        "opacity": 0.9,
        "className": layer_class(level),
    }
    if dash:
        style["dashArray"] = dash
    if fill:
        style["fillOpacity"] = fill_opacity
    return {
        "kind": "area",
        "style": style,
        "tooltip": fields,
        "title_key": "name",
        "search": True,
    }


def lagesbild_map(
    lagesbild: Any,
    *,
    level: str | None = None,
    indicator: str = "n",
    kind: str | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    bins: Any = None,
    findings: gpd.GeoDataFrame | None = None,
    events: gpd.GeoDataFrame | None = None,
    hotspots: gpd.GeoDataFrame | None = None,
    places: gpd.GeoDataFrame | None = None,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
    measure_areas: gpd.GeoDataFrame | None = None,
    water: gpd.GeoDataFrame | None = None,
    tiles: str | None = None,
    title: str | None = None,
    area: str | None = None,
    focus: str | None = None,
    page: str | None = None,
    sources: str | list[str] | None = None,
    extracted: Any = None,
    classification: str | None = None,
    paper: str = "A4",
    self_contained: bool = False,
    lang: str | None = None,
    alt: str | None = None,
) -> folium.Map:
    """The lägesbild as a folium map: boundaries, a choropleth, findings, events, legends.

    Parameters
    ----------
    lagesbild : Lagesbild
        From :func:`geo_trygg.lagesbild.build_lagesbild`.
    level : str, optional
        The level whose areas carry the choropleth; the lägesbild's first level by default.
    indicator : {"n", "per_km2", "per_1000", "change", "priority"}, default "n"
        Count, rate per km², per 1,000 inhabitants (needs population), change against the
        comparison period (diverging colours), or the prioritisation score.
    kind : {"events", "findings", "counts"}, optional
        Which inputs the indicator counts; events when the lägesbild has them.
    scheme : {"quantiles", "natural_breaks", "equal_interval", "user"}, default "quantiles"
    k : int, default 5
        Number of classes.
    bins : sequence of float, optional
        Class upper bounds for ``scheme="user"``.
    findings : geopandas.GeoDataFrame, optional
        Walk findings to draw as markers (with the lägesbild's overdue list deciding which
        are overdue), all of them as given: pass ``lagesbild.points("findings")`` (after
        :meth:`~geo_trygg.lagesbild.Lagesbild.for_area`, the area's own) to draw exactly the
        findings the tables count.
    events : geopandas.GeoDataFrame, optional
        Events for the heat layer: those of the lägesbild's period (by ``time_from``) with
        ``exact``/``address`` precision are drawn; ``lagesbild.points("events")`` are the
        events the tables count. The map places no point in an area itself.
    hotspots : geopandas.GeoDataFrame, optional
        Cells from :func:`geo_trygg.hotspots.gi_star`, drawn by class instead of the heat layer.
    places : geopandas.GeoDataFrame, optional
        Named places (polygons) as a layer of their own.
    layers : mapping of str to geopandas.GeoDataFrame, optional
        Further layers (camera surveillance areas, schools, stations …), each its own
        toggleable layer with its own legend entry; a ``name`` column gives tooltips.
    measure_areas : geopandas.GeoDataFrame, optional
        Measure areas from :func:`geo_trygg.io.read_measure_areas`: a layer group of their
        own ("Åtgärdsområden": kamerabevakning, ordningsvakter, andra åtgärder), each kind
        its own layer and legend line, a popup with the name, kind, hours in words
        (``kl. 23–07``), validity and decision; only the versions in force on some day of
        the lägesbild's period are drawn.
    water : geopandas.GeoDataFrame, optional
        Water polygons drawn first, so the map reads without tiles.
    tiles : str, optional
        A folium tile name or URL; None (default) draws on a plain background, so the map
        needs no network (the minimap needs tiles and is left out without them).
    title, area, sources, extracted
        The title box: title (default: the lägesbild's period), the area the map is about, data
        sources, and the date the data was extracted.
    focus : str, optional
        The name of an area at ``level`` the map opens on (else the whole geography).
    page : str, optional
        Draw the map of one area's page: the name of an area at ``level``, with
        ``lagesbild`` the FULL lägesbild (not one cut by ``for_area``) and ``findings`` /
        ``events`` the page's own points (``lagesbild.for_area(level, page).points(...)``).
        The map then shows the area outlined, its neighbours of the same level lighter and
        named, and its sub-areas (the next finer level's areas in it) coloured with classes
        computed over the whole finer level — or, without a finer level, the area and its
        neighbours coloured with classes over the whole level (:mod:`geo_trygg.maps._context`).
        The map opens on the area; ``focus``, when given, must name the same area.
    classification : str, optional
        A banner such as "Intern" or "Sekretess enligt OSL …", on screen and in print.
    paper : {"A4", "A3"}, default "A4"
        Page size of the print stylesheet (landscape).
    self_contained : bool, default False
        :func:`~geo_trygg.maps.save_map` inlines every script, stylesheet, font and image, so
        the saved file works with no network (see ``docs/maps-assets.md``).
    lang : {"sv", "en"}, optional
    alt : str, optional
        The map's text alternative for screen readers (default: a sentence naming the
        indicator, level and period); the page's ``lang`` is set too.

    Returns
    -------
    folium.Map

    Raises
    ------
    ConfigError
        Bad arguments: a level or kind the lägesbild does not have, an unknown indicator or
        scheme (the message lists the allowed values), a layer that is not a GeoDataFrame.

    Examples
    --------
    >>> import warnings
    >>> import geo_trygg as gt
    >>> from geo_trygg.demo import demo_paths
    >>> from geo_trygg.lagesbild import build_lagesbild
    >>> p = demo_paths()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     events = gt.read_events(p["events"]).accepted
    ...     lb = build_lagesbild(events=events, areas=gt.read_areas(p["areas"]).accepted,
    ...                          by=("stadsdel", "lpo"), period="2024", compare="previous")
    >>> m = lagesbild_map(lb, events=events, lang="en")
    >>> import folium
    >>> isinstance(m, folium.Map)
    True
    """
    language = check_lang(lang)
    check_choice("indicator", indicator, INDICATORS)
    check_choice("paper", paper, ("A4", "A3"))
    geography = getattr(lagesbild, "geography", None)
    if not geography:
        raise ConfigError("lagesbild must be a Lagesbild (build_lagesbild) with its geography")
    chosen = level or lagesbild.levels[0]
    if chosen not in geography:
        raise ConfigError(
            f"level={chosen!r} is not a level of the lägesbild; allowed: "
            + ", ".join(map(repr, geography))
        )
    for name, frame in {
        "water": water,
        "findings": findings,
        "events": events,
        "hotspots": hotspots,
        "places": places,
        "measure_areas": measure_areas,
        **dict(layers or {}),
    }.items():
        if frame is not None and not isinstance(frame, gpd.GeoDataFrame):
            raise ConfigError(f"{name} must be a GeoDataFrame; got {type(frame).__name__}")
    if page is not None:
        if not isinstance(page, str) or page not in set(geography[chosen]["name"]):
            raise ConfigError(f"page={page!r} is not an area of level {chosen!r}")
        if focus is not None and focus != page:
            raise ConfigError(f"focus={focus!r} and page={page!r} must name the same area")
        focus = page
    used_kind = _used_kind(lagesbild, kind)
    values, classes = _level_classes(
        lagesbild, chosen, indicator, used_kind, scheme, k, bins, language
    )

    m = LagesbildMap(
        tiles=tiles, control_scale=False, prefer_canvas=False, zoom_control=True, max_zoom=19
    )
    m.options["max_zoom"] = 19  # the map's own limit too (marker clusters need one)
    m.add_child(Runtime(paper=paper, fallback=msg("map_fallback", language), lang=language))
    m.add_child(_Call("scale"))  # a metric scale bar (folium's own also shows feet and miles)
    if water is not None:
        water_spec: dict[str, Any] = {
            "kind": "extra",
            "style": {"color": "#9ecae1", "weight": 0.5, "fillColor": "#c6dbef", "fillOpacity": 1},
        }
        m.add_child(
            DataLayer(
                feature_collection(water, []),
                water_spec,
                name=msg("map_layer_water", language),
            )
        )
    groups: dict[str, list[Any]] = {}
    legend_sections: list[dict[str, Any]] = []

    # boundaries: the choropleth level first (filled), then the others as outlines
    indicator_label = {
        "n": msg("map_indicator_n", language),
        "per_km2": msg("map_indicator_per_km2", language),
        "per_1000": msg("map_indicator_per_1000", language),
        "change": msg(
            "map_indicator_change",
            language,
            compare=lagesbild.compare.label if lagesbild.compare else "–",
        ),
        "priority": msg("map_indicator_priority", language),
    }[indicator]
    extra_names = {  # the columns of _TOOLTIP_EXTRA
        "category": msg("map_field_category", language),
        "kategori": msg("map_field_kategori", language),
        "year": msg("map_field_year", language),
        "ar": msg("map_field_ar", language),
        "valid_from": msg("map_field_valid_from", language),
    }
    boundary_rows = []
    for lvl, frame in geography.items() if page is None else ():
        layer_frame = frame[["name", *[c for c in _TOOLTIP_EXTRA if c in frame.columns]]].copy()
        layer_frame = gpd.GeoDataFrame(
            layer_frame, geometry=frame.geometry.to_numpy(), crs=frame.crs
        )
        fields = [["name", msg("map_field_name", language)]]
        fields += [[c, extra_names[c]] for c in _TOOLTIP_EXTRA if c in frame.columns]
        filled = lvl == chosen
        counted = _count_texts(lagesbild, lvl, used_kind, language)
        if counted is not None:  # the count at every level: coarse events show at theirs
            layer_frame["n_text"] = [counted.get(name, "–") for name in layer_frame["name"]]
            fields.append(["n_text", kind_names(language)[used_kind]])
        if filled:
            colour_of = dict(zip(values["area"], classes.colour_of(), strict=True))
            value_of = dict(zip(values["area"], values["value"], strict=True))
            layer_frame["_c"] = [colour_of.get(n, NO_VALUE_COLOUR) for n in layer_frame["name"]]
            hidden_text: dict[str, str] = {}
            if "n_text" in values.columns:  # a public pack's hidden counts: "<k" or ".."
                hidden_text = {
                    a: (t if indicator == "n" else "..")
                    for a, t, v in zip(
                        values["area"], values["n_text"], values["value"], strict=True
                    )
                    if not np.isfinite(v)
                }
            layer_frame["value_text"] = [
                hidden_text.get(n) or number(value_of.get(n, np.nan), language)
                for n in layer_frame["name"]
            ]
            fields.insert(1, ["value_text", indicator_label])
            if "change_label" in values.columns and indicator != "change":
                label_of = dict(zip(values["area"], values["change_label"], strict=True))
                layer_frame["change_label"] = [label_of.get(n) for n in layer_frame["name"]]
                fields.append(["change_label", msg("map_field_change", language)])
        props = [f[0] for f in fields] + (["_c"] if filled else [])
        data = feature_collection(layer_frame, props, tolerance=5.0)
        # under hotspot cells the choropleth is lighter, so the cells stand out
        opacity = 0.35 if hotspots is not None else 0.7
        spec = _boundary_spec(lvl, fields, fill=filled, fill_opacity=opacity)
        if filled:
            spec.update(
                {
                    "fill_key": "_c",
                    "fills": {c: c for c in classes.colours},
                    "fill_default": NO_VALUE_COLOUR,
                }
            )
        name = level_name(lvl, language)
        layer = DataLayer(
            data,
            spec,
            name=name,
            show=filled or lvl in ("stadsdelsomrade", "lpo", "utsatt_omrade"),
        )
        m.add_child(layer)
        groups.setdefault(msg("map_group_boundaries", language), []).append(layer)
        colour, _, dash = LINE_STYLES.get(lvl, _DEFAULT_LINE)
        boundary_rows.append(
            {
                "kind": "line",
                "colour": colour,
                "dash": _DASH_NAMES.get(dash, "dashed"),
                "label": name,
            }
        )
    if places is not None:
        name = msg("map_level_place", language)
        fields = [["name", msg("map_field_name", language)]]
        layer = DataLayer(
            feature_collection(places, ["name"]),
            _boundary_spec("place", fields, fill=True, fill_opacity=0.08),
            name=name,
        )
        m.add_child(layer)
        groups.setdefault(msg("map_group_boundaries", language), []).append(layer)
        colour, _, dash = LINE_STYLES["place"]
        boundary_rows.append({"kind": "line", "colour": colour, "dash": "dashed", "label": name})

    if page is not None:
        page_layers, page_sections = page_context(
            lagesbild,
            chosen,
            page,
            indicator=indicator,
            kind=used_kind,
            classes_of=lambda lvl: _level_classes(
                lagesbild, lvl, indicator, used_kind, scheme, k, bins, language
            ),
            indicator_label=indicator_label,
            lang=language,
            fill_opacity=0.35 if hotspots is not None else 0.7,
        )
        for layer in page_layers:
            m.add_child(layer)
            groups.setdefault(msg("map_group_boundaries", language), []).append(layer)
        page_sections[-1]["rows"].extend(boundary_rows)  # places beside the page's lines
        boundary_rows = []
        legend_sections.extend(page_sections)
    # the choropleth's legend
    class_rows = [
        {
            "kind": "fill",
            "colour": colour,
            "label": number(hi, language)
            if lo == hi
            else f"{number(lo, language)} – {number(hi, language)}",
        }
        for colour, lo, hi in zip(classes.colours, classes.lower, classes.upper, strict=True)
    ]
    if (classes.index < 0).any():
        suppressed = "n_text" in values.columns and not np.isfinite(values["value"]).all()
        label = msg("map_suppressed" if suppressed else "map_no_value", language)
        class_rows.append({"kind": "fill", "colour": NO_VALUE_COLOUR, "label": label})
    if page is None:
        legend_sections.append(
            {
                "title": f"{indicator_label} ({level_name(chosen, language).lower()}), "
                f"{lagesbild.period.label}",
                "rows": class_rows,
            }
        )
    if boundary_rows:
        legend_sections.append(
            {"title": msg("map_group_boundaries", language), "rows": boundary_rows}
        )

    for i, (name, frame) in enumerate(sorted((layers or {}).items())):
        colour = _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)]
        style = {
            "color": colour,
            "weight": 2,
            "fillColor": colour,
            "fillOpacity": 0.25,
            "radius": 5,
            "className": f"gt-layer-extra-{i}",
        }
        fields = [["name", msg("map_field_name", language)]] if "name" in frame.columns else []
        spec = {
            "kind": "extra",
            "style": style,
            "tooltip": fields or None,
            "title_key": "name" if fields else None,
        }
        layer = DataLayer(feature_collection(frame, ["name"] if fields else []), spec, name=name)
        m.add_child(layer)
        groups.setdefault(msg("map_group_other", language), []).append(layer)
        legend_sections.append(
            {"title": None, "rows": [{"kind": "fill", "colour": colour, "label": name}]}
        )

    if measure_areas is not None:
        period = lagesbild.period
        shown_areas = areas_in_force(measure_areas, period.start, period.end)
        measure_group, section = measure_layers(shown_areas, language)
        for _, layer in measure_group:
            m.add_child(layer)
            groups.setdefault(msg("map_group_measures", language), []).append(layer)
        if section["rows"]:
            legend_sections.append(section)

    notes: list[str] = []
    if hotspots is not None:
        layer, section = hotspot_layer(hotspots, language)
        m.add_child(layer)
        groups.setdefault(msg("map_group_events", language), []).append(layer)
        legend_sections.append(section)
    if events is not None:
        if "time_from" in events.columns:  # the lägesbild's period only, as the title says
            events = events[in_period(events["time_from"], lagesbild.period)]
        heat, note = event_layer(events, language)
        if "events" in getattr(lagesbild, "point_kinds", ()) and chosen in lagesbild.levels:
            # the lägesbild's own count of the areas' events, and how they were placed: the
            # same figures as its tables, whatever the heat map can draw
            own = lagesbild if page is None else lagesbild.for_area(chosen, page)
            placed = own.placed("events", chosen)
            note = msg(
                "map_events_placed",
                language,
                n=sum(placed.values()),
                point=placed["point"],
                name=placed["name"],
                location=placed["location"],
            )
        if heat is not None:
            m.add_child(heat)
            groups.setdefault(msg("map_group_events", language), []).append(heat)
        notes.append(note)
    if findings is not None:
        overdue = set()
        if getattr(lagesbild, "overdue", None) is not None and "finding_id" in lagesbild.overdue:
            overdue = set(map(str, lagesbild.overdue["finding_id"]))
        layer, section = findings_layer(findings, overdue, language)
        m.add_child(layer)
        groups.setdefault(msg("map_group_findings", language), []).append(layer)
        legend_sections.append(section)

    # title box, legend, banner, controls
    lines = [f"{msg('map_area', language)}: {area}"] if area else []
    lines.append(f"{msg('map_period', language)}: {lagesbild.period.label}")
    if lagesbild.compare is not None:
        lines.append(f"{msg('map_compare', language)}: {lagesbild.compare.label}")
    if sources:
        shown = sources if isinstance(sources, str) else ", ".join(map(str, sources))
        lines.append(f"{msg('map_sources', language)}: {shown}")
    if extracted is not None:
        day = extracted.isoformat() if isinstance(extracted, dt.date) else str(extracted)
        lines.append(f"{msg('map_extracted', language)}: {day}")
    lines += notes
    box_title = (
        title if title is not None else msg("map_title", language, period=lagesbild.period.label)
    )
    icons = dict(FINDING_ICONS)
    m.add_child(
        _Call(
            "box", {"position": "topright", "cls": "gt-title", "title": box_title, "lines": lines}
        )
    )
    m.add_child(
        _Call(
            "box",
            {
                "position": "bottomright",  # fitted under the layer control (runtime fit)
                "cls": "gt-legend",
                "toggle": msg("map_legend_toggle", language),
                "shapes": {"open": "open", "overdue": "overdue", "done": "done"},
                "sections": legend_sections,
                "key_kinds": {"fill": "fill", "line": "line", "marker": "marker"},
                "dashes": {"solid": "solid", "dashed": "dashed", "dotted": "dotted"},
                "icons": icons,
            },
        )
    )
    if classification:
        m.add_child(_Call("banner", str(classification), with_map=False))
    description = alt
    if description is None:
        description = msg(
            "map_alt_default",
            language,
            indicator=indicator_label,
            level=level_name(chosen, language).lower(),
            period=lagesbild.period.label,
        )
    m.add_child(_Call("describe", {"label": box_title, "text": str(description)}))
    control = plugins.GroupedLayerControl(
        {text(group): members for group, members in groups.items()},
        exclusive_groups=False,
        collapsed=False,
    )
    # folium keeps the layers hidden at start in a set: put them in the layers' order, so the
    # same map gives the same bytes
    hidden = control.layers_untoggle
    control.layers_untoggle = [  # type: ignore[assignment]
        layer.get_name()
        for members in groups.values()
        for layer in members
        if layer.get_name() in hidden
    ]
    control.add_to(m)
    plugins.Fullscreen(
        title=msg("map_fullscreen", language), title_cancel=msg("map_fullscreen_exit", language)
    ).add_to(m)
    plugins.MeasureControl(
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="sqmeters",
    ).add_to(m)
    if tiles is not None:
        plugins.MiniMap(toggle_display=True).add_to(m)
    m.add_child(_Call("search", msg("map_search", language), msg("map_search_label", language)))
    view = geography
    if focus is not None:
        layer = geography[chosen]
        if focus not in set(layer["name"]):
            raise ConfigError(f"focus={focus!r} is not an area of level {chosen!r}")
        view = {chosen: layer[layer["name"] == focus]}
    m.fit_bounds(_bounds(view))
    m.add_child(_Call("ready"))  # last: the scripts ran (the no-script sentence goes)
    m.add_child(_Call("hash"))  # #fynd=<id> / #punkt=<lat>,<lon> open zoomed there
    m.geo_trygg_self_contained = bool(self_contained)
    m.geo_trygg_lang = language
    m.geo_trygg_title = str(box_title) if area is None else f"{box_title} – {area}"
    return m


def _level_classes(
    lb: Any,
    level: str,
    indicator: str,
    kind: str,
    scheme: str,
    k: int,
    bins: Any,
    lang: str,
) -> tuple[pd.DataFrame, Classes]:
    """The indicator of every area of ``level`` and its classes over the whole level."""
    values, _ = _indicator_table(lb, level, indicator, kind, lang)
    classes = classify(
        values["value"].to_numpy(),
        scheme=scheme,
        k=k,
        bins=bins,
        diverging=indicator == "change",
        counts=indicator == "n",
    )
    return values, classes


def _area_frame(
    lb: Any,
    level: str,
    frame: gpd.GeoDataFrame,
    values: pd.DataFrame,
    classes: Classes | None,
    *,
    indicator: str,
    kind: str,
    indicator_label: str,
    lang: str,
) -> tuple[gpd.GeoDataFrame, list[list[str]]]:
    """Areas of ``level`` with their name, indicator and count as shown (and, with
    ``classes``, their class colour ``_c``), and the tooltip fields."""
    out = gpd.GeoDataFrame(
        {"name": frame["name"].to_numpy()}, geometry=frame.geometry.to_numpy(), crs=frame.crs
    )
    fields = [["name", msg("map_field_name", lang)]]
    value_of = dict(zip(values["area"], values["value"], strict=True))
    hidden: dict[str, str] = {}
    if "n_text" in values.columns:  # a public pack's hidden counts: "<k" or ".."
        hidden = {
            a: (t if indicator == "n" else "..")
            for a, t, v in zip(values["area"], values["n_text"], values["value"], strict=True)
            if not np.isfinite(v)
        }
    out["value_text"] = [
        hidden.get(n) or number(value_of.get(n, np.nan), lang) for n in out["name"]
    ]
    fields.append(["value_text", indicator_label])
    counted = _count_texts(lb, level, kind, lang)
    if counted is not None and indicator != "n":
        out["n_text"] = [counted.get(n, "–") for n in out["name"]]
        fields.append(["n_text", kind_names(lang)[kind]])
    if "change_label" in values.columns and indicator != "change":
        label_of = dict(zip(values["area"], values["change_label"], strict=True))
        out["change_label"] = [label_of.get(n) for n in out["name"]]
        fields.append(["change_label", msg("map_field_change", lang)])
    if classes is not None:
        colour_of = dict(zip(values["area"], classes.colour_of(), strict=True))
        out["_c"] = [colour_of.get(n, NO_VALUE_COLOUR) for n in out["name"]]
    return out, fields


PAGE_OUTLINE = "#000000"
"""The outline of a page's own area."""
NEIGHBOUR_LINE = "#737373"
"""The outline of its neighbours (lighter, thinner)."""


def page_context(
    lb: Any,
    level: str,
    page: str,
    *,
    indicator: str,
    kind: str,
    classes_of: Any,
    indicator_label: str,
    lang: str,
    fill_opacity: float,
) -> tuple[list[DataLayer], list[dict[str, Any]]]:
    """The layers and legend sections of a page map (see :mod:`geo_trygg.maps._context`):
    neighbours, sub-areas (or the level coloured), the page's area on top."""
    geography = lb.geography
    frame = geography[level]
    area = shapely.union_all(frame.loc[frame["name"] == page].geometry.to_numpy())
    levels = [lvl for lvl in lb.levels if lvl in geography]
    finer = finer_level(geography, levels, level)
    coloured = finer or level
    values, classes = classes_of(coloured)
    common = {
        "indicator": indicator,
        "kind": kind,
        "indicator_label": indicator_label,
        "lang": lang,
    }
    fills = {
        "fill_key": "_c",
        "fills": {c: c for c in [*classes.colours, NO_VALUE_COLOUR]},
        "fill_default": NO_VALUE_COLOUR,
    }
    layers: list[DataLayer] = []
    near = frame[frame["name"].isin(neighbours(frame, page))]
    if len(near):
        near_frame, fields = _area_frame(
            lb,
            level,
            near,
            values if finer is None else _indicator_table(lb, level, indicator, kind, lang)[0],
            classes if finer is None else None,
            **common,
        )
        style: dict[str, Any] = {
            "color": NEIGHBOUR_LINE,
            "weight": 1.5,
            "opacity": 0.9,
            "fill": True,
            "fillColor": "#ffffff",
            "fillOpacity": 0.45 if finer is None else 0.55,
            "className": layer_class(level) + " gt-neighbour",
        }
        spec: dict[str, Any] = {
            "kind": "area",
            "style": style,
            "popup": fields,
            "title_key": "name",
            "label_key": "name",
            "search": True,
        }
        if finer is None:
            spec.update(fills)
        props = [f[0] for f in fields] + (["_c"] if finer is None else [])
        layers.append(
            DataLayer(
                feature_collection(near_frame, props, tolerance=5.0),
                spec,
                name=msg("map_layer_neighbours", lang, level=level_name(level, lang).lower()),
            )
        )
    if finer is not None:
        sub_all = geography[finer]
        sub = sub_all[inside(sub_all, area)]
        sub_frame, fields = _area_frame(lb, finer, sub, values, classes, **common)
        spec = _boundary_spec(finer, fields, fill=True, fill_opacity=fill_opacity)
        spec.update(fills)
        layers.append(
            DataLayer(
                feature_collection(sub_frame, [f[0] for f in fields] + ["_c"], tolerance=5.0),
                spec,
                name=level_name(finer, lang),
            )
        )
    own_frame, fields = _area_frame(
        lb,
        level,
        frame[frame["name"] == page],
        values if finer is None else _indicator_table(lb, level, indicator, kind, lang)[0],
        classes if finer is None else None,
        **common,
    )
    style = {
        "color": PAGE_OUTLINE,
        "weight": 4,
        "opacity": 1,
        "fill": finer is None,
        "className": layer_class(level) + " gt-page-area",
    }
    if finer is None:
        style["fillOpacity"] = fill_opacity
    spec = {"kind": "area", "style": style, "tooltip": fields, "title_key": "name", "search": True}
    if finer is None:
        spec.update(fills)
    layers.append(
        DataLayer(
            feature_collection(
                own_frame,
                [f[0] for f in fields] + (["_c"] if finer is None else []),
                tolerance=5.0,
            ),
            spec,
            name=page,
        )
    )
    # the legend: what is counted, per what, for which period, in words; then the lines
    rows = [
        {
            "kind": "fill",
            "colour": colour,
            "label": number(hi, lang) if lo == hi else f"{number(lo, lang)} – {number(hi, lang)}",
        }
        for colour, lo, hi in zip(classes.colours, classes.lower, classes.upper, strict=True)
    ]
    if (classes.index < 0).any():
        suppressed = "n_text" in values.columns and not np.isfinite(values["value"]).all()
        rows.append(
            {
                "kind": "fill",
                "colour": NO_VALUE_COLOUR,
                "label": msg("map_suppressed" if suppressed else "map_no_value", lang),
            }
        )
    title = msg(
        "map_legend_page",
        lang,
        indicator=indicator_label,
        kind=kind_names(lang)[kind].lower(),
        level=level_name(coloured, lang).lower(),
        period=lb.period.label,
    )
    lines = [{"kind": "line", "colour": PAGE_OUTLINE, "dash": "solid", "label": page}]
    if len(near):
        lines.append(
            {
                "kind": "line",
                "colour": NEIGHBOUR_LINE,
                "dash": "solid",
                "label": msg("map_layer_neighbours", lang, level=level_name(level, lang).lower()),
            }
        )
    return layers, [
        {"title": title, "rows": rows},
        {"title": msg("map_group_boundaries", lang), "rows": lines},
    ]


def _bounds(geography: Mapping[str, gpd.GeoDataFrame]) -> list[list[float]]:
    frames = [f.to_crs("EPSG:4326") for f in geography.values() if len(f)]
    minx = min(f.total_bounds[0] for f in frames)
    miny = min(f.total_bounds[1] for f in frames)
    maxx = max(f.total_bounds[2] for f in frames)
    maxy = max(f.total_bounds[3] for f in frames)
    return [[round(miny, 5), round(minx, 5)], [round(maxy, 5), round(maxx, 5)]]
