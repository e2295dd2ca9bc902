"""The configuration of a meeting pack (``geo-trygg build CONFIG.toml``), checked before work.

A TOML file (see ``geo_trygg/data/pack-example.toml``)::

    title = "Lägesbild Älvsjö"
    lang = "sv"                       # "sv" or "en"
    period = "2024-03"                # any period build_lagesbild takes
    compare = "previous"              # "previous", "previous_year", a period, or "none"
    pages = ["stadsdelsomrade", "lpo"]  # levels whose every area gets a page, or per level
                                      # "alla" or some areas by name:
    # pages = { stadsdelsomrade = "alla", utsatt_omrade = ["Husby", "Rinkeby / Tensta"] }
    classification = "Intern"         # banner on every page and map (optional)
    privacy = "internal"              # "internal", or "public": counts only, small ones hidden
    min_count = 3                     # public: counts 1 … min_count-1 shown as "<3"
    ledger = "publiceringar"          # public: folder of earlier publications (this default)
    sources = ["Polisen", "Trygghetsvandringar"]
    extracted = "2024-04-02"          # when the data was extracted (optional)
    png = true                        # karta.png per area (headless Chromium; skipped if none)
    self_contained = false            # false: the maps share one _karta folder (offline);
                                      # true: each map inlines its assets (~2.4 MB each)
    mask_personal = true              # personnummer and phone numbers in free text masked
    # register = "register.gpkg"      # instead of inputs.findings / inputs.events: findings,
                                      # events and the plan from the åtgärdsregister (a .gpkg,
                                      # or postgresql://user@host/db, the password in
                                      # PGPASSWORD or ~/.pgpass); adds atgardsplan.html pages

    [inputs]
    findings = "trygghetsvandringar.csv"   # optional (not with register)
    events = "handelser.csv"               # optional (at least one of the two, or register)
    places = "platser.geojson"             # optional
    water = "vatten.geojson"               # optional: water polygons drawn under the maps
    indicators = "trygghetsmatning.csv"    # optional: survey results (read_indicators)
    population = { path = "deso.gpkg", column = "befolkning" }  # optional: inhabitants
                                           # per area, moved to the pages' areas by area
                                           # weighting: rates per 1,000, raw and smoothed
    utsatta_omraden = [                    # optional: the police's lists, one per edition
      { edition = 2023, path = "uso_2023.shp" },
      { edition = 2025, path = "uso_2025.geojson" },
    ]
    measure_areas = "atgardsomraden.gpkg"  # optional: camera, ordningsvakt and other measure
                                           # areas with hours and validity (docs/measures.md)
    areas = [
      { path = "omraden.geojson" },
      { path = "stadsdelar.shp", source = "stockholm-stadsdelar" },
    ]

    [weights]                         # optional: the prioritisation's weights (ratios)
    events = 1
    events_per_1000_eb = 1            # the smoothed rate (with inputs.population)
    "survey:otrygg_kvall" = 1         # a survey indicator (with inputs.indicators)

    [mappings]                        # optional: your own words, {text as written: code}
    category = { "Tältläger" = "other" }         # walk findings' categories
    actor = { "Nobina AB" = "sl" }               # responsible actors
    status = { "Vilande" = "in_progress" }       # statuses
    event_category = { "Klotter tåg" = "vandalism" }  # event types (every source)

    [[goals]]                         # optional, with inputs.indicators; one table per goal
    name = "Otryggheten ska halveras till 2025"
    indicator = "otrygg_kvall"        # the indicator's id in the survey file
    level = "stadsdelsomrade"         # every area of the level (or area = "…" for one)
    baseline_year = 2020
    target_year = 2025
    target_ratio = 0.5                # half the baseline (or target_value = 10.0)

    [map]
    indicator = "n"                   # n, per_km2, per_1000, change, priority
    scheme = "quantiles"              # quantiles, natural_breaks, equal_interval
    k = 5

    [comparison]                      # when the two periods can be compared (optional)
    min_coverage = 0.9                # share of each period's days a source must cover
    max_precision_shift = 0.1         # largest change in how precisely places are given
    coverage = { polis = ["2023-03-20", "2026-08-22"] }  # days a source covers (optional)

``pages`` names the levels that get pages: a list (every area of each level), or a table
whose keys are the levels, in the order of the pack, and whose values are ``"alla"`` (or
``"all"``) or a list of area names. Names are matched as the crosswalks match them
(:func:`geo_trygg._text.normalize_name`: case, Unicode form, spacing and dashes do not matter;
å, ä, ö do); a name that is no area of its level stops the build before any work, naming the
closest names (:func:`geo_trygg.pack._build.build_pack`). Ranks are among the areas that get
pages. ``stadsdelsomrade`` and ``lpo`` pages, when the area files do not have those levels,
are derived from the stadsdelar through the bundled crosswalk.

Paths are relative to the configuration file. Unknown keys, missing files and values outside
the allowed ones are refused before any work, in sentences of the message catalogue
(``settings.lang``, Swedish by default) that name the key, the value given and what is
allowed; every problem of the file is listed at once, and nothing else of the file is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from urllib.parse import urlsplit

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    field_validator,
)
from pydantic.fields import FieldInfo

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.io.unmapped import check_value_map
from geo_trygg.lagesbild import (
    DEFAULT_MAX_PRECISION_SHIFT,
    DEFAULT_MIN_COVERAGE,
    STANDARD_INDICATORS,
    Goal,
)
from geo_trygg.maps import INDICATORS, SCHEMES
from geo_trygg.pack._public import PUBLIC_INDICATORS
from geo_trygg.periods import Period, parse_period
from geo_trygg.vocab.events import EVENT_CATEGORIES, SOURCES
from geo_trygg.vocab.findings import ACTORS, FINDING_CATEGORIES, STATUSES

__all__ = [
    "ALL_AREAS",
    "AreaInput",
    "Inputs",
    "MapOptions",
    "PackConfig",
    "UtsattaInput",
    "as_toml",
    "as_toml_list",
    "is_register_url",
    "load_config",
    "register_target",
]

_COMPARE_WORDS = ("previous", "previous_year", "none")
"""The words ``compare`` takes besides a period (build_lagesbild's choices and "none")."""
ALL_AREAS = ("alla", "all")
"""The words of ``pages = { level = "alla" }``: every area of the level gets a page."""
_SHOWN_MAX = 60
"""Characters of a value shown in a message; a longer one is cut (never the whole file)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaInput(_Strict):
    """One area file: ``path``, and optionally its catalogue ``source``, ``level``, ``layer``."""

    path: Path
    source: str | None = None
    level: str | None = None
    layer: str | None = None


class UtsattaInput(_Strict):
    """One edition of the police's list of utsatta områden: its year and file (the police's
    geodata, or a table without geometry, whose ``edition`` column may hold several years;
    :func:`geo_trygg.io.read_utsatta_omraden`)."""

    edition: int = Field(ge=1990, le=2199)
    path: Path


class PopulationInput(_Strict):
    """Areas with their population (e.g. SCB's DeSO): ``path``, the ``column`` holding the
    number of inhabitants (default ``"population"``), optionally the file's ``layer``."""

    path: Path
    column: str = "population"
    layer: str | None = None


class Inputs(_Strict):
    """The input files."""

    areas: list[AreaInput] = Field(min_length=1)
    findings: Path | None = None
    events: Path | None = None
    places: Path | None = None
    water: Path | None = None
    indicators: Path | None = None
    population: PopulationInput | None = None
    utsatta_omraden: list[UtsattaInput] = Field(default_factory=list)
    measure_areas: Path | None = None


class Mappings(_Strict):
    """The user's own words (``{text as written: code}``): categories, responsible actors
    and statuses of walk findings, and event types (for every source), winning over the
    vocabularies (:mod:`geo_trygg.io.unmapped`)."""

    category: dict[str, str] = Field(default_factory=dict)
    actor: dict[str, str] = Field(default_factory=dict)
    status: dict[str, str] = Field(default_factory=dict)
    event_category: dict[str, str] = Field(default_factory=dict)

    def event_table(self) -> pd.DataFrame | None:
        """``event_category`` as :func:`geo_trygg.read_events` takes ``category_map``: each
        type for every source."""
        if not self.event_category:
            return None
        rows = [
            (source, text, code)
            for text, code in self.event_category.items()
            for source in SOURCES
        ]
        return pd.DataFrame(rows, columns=["source", "source_type", "category"])


class GoalOptions(_Strict):
    """A goal for a survey indicator (:class:`geo_trygg.lagesbild.Goal`): ``indicator``,
    ``level``, ``baseline_year``, ``target_year``, and ``target_ratio`` or ``target_value``;
    optionally ``area``, ``baseline_value``, ``source`` and ``name``."""

    indicator: str
    level: str
    baseline_year: int
    target_year: int
    area: str | None = None
    target_ratio: float | None = None
    target_value: float | None = None
    baseline_value: float | None = None
    source: str | None = None
    name: str | None = None

    def goal(self) -> Goal:
        """The goal (ConfigError in Swedish when it is not one)."""
        return Goal(**self.model_dump())


class MapOptions(_Strict):
    """The maps' indicator and classes."""

    indicator: str = "n"
    scheme: str = "quantiles"
    k: int = Field(default=5, ge=1, le=9)

    @field_validator("indicator")
    @classmethod
    def _indicator(cls, value: str) -> str:
        if value not in INDICATORS:
            raise ValueError("map.indicator")  # the message: _allowed
        return value

    @field_validator("scheme")
    @classmethod
    def _scheme(cls, value: str) -> str:
        if value not in _schemes():
            raise ValueError("map.scheme")  # the message: _allowed
        return value


class ComparisonOptions(_Strict):
    """When two periods can be compared (:mod:`geo_trygg.lagesbild._coverage`)."""

    min_coverage: float = Field(default=DEFAULT_MIN_COVERAGE, ge=0, le=1)
    max_precision_shift: float = Field(default=DEFAULT_MAX_PRECISION_SHIFT, ge=0, le=1)
    coverage: dict[str, list[dt.date]] = Field(default_factory=dict)

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, value: dict[str, list[dt.date]]) -> dict[str, list[dt.date]]:
        for span in value.values():
            if len(span) != 2 or span[1] < span[0]:
                raise ValueError("comparison.coverage")  # the message: _allowed
        return value


def _as_period(value: Any) -> Period:
    """``period`` of the file parsed, once, into a :class:`~geo_trygg.periods.Period`."""
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise ValueError("period")  # the message: _allowed
    try:
        return parse_period(value)
    except ConfigError:
        raise ValueError("period") from None  # the message: _allowed


ParsedPeriod = Annotated[
    Period,
    PlainValidator(_as_period),
    PlainSerializer(lambda period: period.label, return_type=str),
]
"""A period written as in the TOML file, held parsed; written back (manifests, page keys) as
its label (``"2024-Q1"`` for ``"2024Q1"``)."""


class _BadPages(ValueError):
    """``pages`` (or one of its entries, ``key``) is not allowed; ``value`` the part given."""

    def __init__(self, key: str, value: Any) -> None:
        super().__init__(key)
        self.key = key
        self.value = value


def _as_pages(value: Any) -> list[str] | dict[str, list[str] | str]:
    """``pages`` checked: a non-empty list of level names, or a non-empty table of level →
    ``"alla"``/``"all"`` or a non-empty list of area names (texts with a letter or digit)."""

    def text(item: Any) -> bool:
        return isinstance(item, str) and any(ch.isalnum() for ch in item)

    if isinstance(value, list):
        if not value:
            raise _BadPages("pages", value)
        for i, item in enumerate(value):
            if not text(item):
                raise _BadPages(f"pages[{i}]", item)
        return list(value)
    if not isinstance(value, dict) or not value:
        raise _BadPages("pages", value)
    out: dict[str, list[str] | str] = {}
    for level, chosen in value.items():
        key = f"pages.{level}"
        if not text(level):
            raise _BadPages(key, chosen)
        if isinstance(chosen, str) and chosen in ALL_AREAS:
            out[level] = chosen
        elif isinstance(chosen, list) and chosen and all(text(n) for n in chosen):
            out[level] = list(chosen)
        else:
            raise _BadPages(key, chosen)
    return out


Pages = Annotated[list[str] | dict[str, list[str] | str], PlainValidator(_as_pages)]
"""``pages`` as the file gives it (a list of levels, or a table of level → areas)."""


def _schemes() -> list[str]:
    """The classification schemes a configuration may name."""
    return [s for s in SCHEMES if s != "user"]


class PackConfig(_Strict):
    """A meeting pack's configuration (see the module docstring).

    ``period`` is held parsed (:class:`~geo_trygg.periods.Period`, parsed once when the file
    is read); the file writes it as text, and :meth:`model_dump` gives its label.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    title: str = "Lägesbild"
    lang: Literal["sv", "en"] = "sv"
    period: ParsedPeriod
    compare: str = "previous"
    pages: Pages
    classification: str | None = None
    privacy: Literal["internal", "public"] = "internal"
    min_count: int = Field(default=3, ge=3)
    ledger: Path | None = None
    sources: list[str] = Field(default_factory=list)
    extracted: str | None = None
    png: bool = True
    self_contained: bool = False
    mask_personal: bool = True
    # the field is named register_source (``register`` is a method of pydantic's models) and
    # read and written as ``register``
    register_source: str | None = Field(
        default=None, alias="register", exclude_if=lambda value: value is None
    )
    inputs: Inputs
    goals: list[GoalOptions] = Field(default_factory=list)
    mappings: Mappings = Mappings()
    weights: dict[str, float] = Field(default_factory=dict)
    map: MapOptions = MapOptions()
    comparison: ComparisonOptions = ComparisonOptions()

    @field_validator("compare")
    @classmethod
    def _compare(cls, value: str) -> str:
        if value.lower() == "none" or value in _COMPARE_WORDS:
            return value
        try:
            parse_period(value, name="compare")
        except ConfigError:
            raise ValueError("compare") from None  # the message: _allowed
        return value

    @property
    def page_levels(self) -> list[str]:
        """The levels that get pages, in the order of ``pages``."""
        return list(self.pages)

    def chosen_areas(self, level: str) -> list[str] | None:
        """The area names ``pages`` gives for ``level`` as written; None for every area."""
        if not isinstance(self.pages, dict):
            return None
        chosen = self.pages.get(level)
        return list(chosen) if isinstance(chosen, list) else None

    def compare_value(self) -> Any:
        """``compare`` as build_lagesbild takes it (``"none"`` → None)."""
        return None if self.compare.lower() == "none" else self.compare


def load_config(path: str | Path) -> tuple[PackConfig, Path]:
    """Read and check a pack configuration; paths made absolute against its folder.

    Returns
    -------
    (PackConfig, pathlib.Path)
        The configuration and the folder its paths are relative to.

    Raises
    ------
    ConfigError
        The file is missing or not TOML; a key is unknown or missing; a value is not allowed
        (the message names the key, the value and what is allowed); an input file is missing;
        ``privacy = "public"`` with a map indicator other than a count or rate.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(msg("config_file_missing", file=file))
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(msg("config_not_utf8", file=file)) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if where is None:  # "(at end of document)"
            raise ConfigError(msg("config_not_toml_end", file=file)) from None
        line, column = where.groups()
        raise ConfigError(msg("config_not_toml", file=file, line=line, column=column)) from None
    try:
        config = PackConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "\n".join(f"  - {_problem(error)}" for error in exc.errors())
        raise ConfigError(msg("config_refused", file=file, problems=problems)) from None
    if config.privacy == "public" and config.map.indicator not in PUBLIC_INDICATORS:
        raise ConfigError(
            msg(
                "config_public_indicator",
                value=as_toml(config.map.indicator),
                allowed=as_toml_list(PUBLIC_INDICATORS),
            )
        )
    _check_compare(config)
    for i, goal in enumerate(config.goals):
        try:
            goal.goal()
        except ConfigError as exc:
            raise ConfigError(msg("config_goal_bad", name=f"goals[{i}]", problem=exc)) from None
    if config.goals and config.inputs.indicators is None:
        raise ConfigError(msg("config_goals_without_indicators"))
    _check_weights(config)
    _check_mappings(config.mappings)
    base = file.resolve().parent
    ledger = base / (config.ledger if config.ledger is not None else "publiceringar")
    if config.privacy == "public" and ledger.exists() and not ledger.is_dir():
        raise ConfigError(msg("ledger_not_folder", folder=ledger))
    inputs = config.inputs
    if config.register_source is not None:
        _check_register(config, base)
    elif inputs.findings is None and inputs.events is None:
        raise ConfigError(msg("config_no_inputs"))
    for key, value in (
        ("inputs.findings", inputs.findings),
        ("inputs.events", inputs.events),
        ("inputs.places", inputs.places),
        ("inputs.water", inputs.water),
        ("inputs.indicators", inputs.indicators),
        ("inputs.population.path", inputs.population.path if inputs.population else None),
        ("inputs.measure_areas", inputs.measure_areas),
        *((f"inputs.areas[{i}].path", a.path) for i, a in enumerate(inputs.areas)),
        *(
            (f"inputs.utsatta_omraden[{i}].path", u.path)
            for i, u in enumerate(inputs.utsatta_omraden)
        ),
    ):
        if value is not None and not (base / value).exists():
            raise ConfigError(
                msg("config_input_missing", name=key, value=as_toml(str(value)), base=base)
            )
    years = [u.edition for u in inputs.utsatta_omraden]
    twice = sorted({y for y in years if years.count(y) > 1})
    if twice:
        raise ConfigError(msg("config_utsatta_edition_twice", year=twice[0]))
    return config, base


def is_register_url(text: str) -> bool:
    """``register`` names a PostGIS database (a ``postgresql://`` or ``postgres://`` URL)
    rather than a GeoPackage file."""
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


def register_target(config: PackConfig, base: Path) -> str | None:
    """What :func:`geo_trygg.register.open_register` takes for ``register``: the URL as
    given, or the GeoPackage's path made absolute against the configuration's folder."""
    if config.register_source is None:
        return None
    if is_register_url(config.register_source):
        return config.register_source.strip()
    return str(base / config.register_source)


def _check_register(config: PackConfig, base: Path) -> None:
    """``register`` given: no ``inputs.findings`` / ``inputs.events`` beside it, no password
    in a URL (the message does not repeat it), and a GeoPackage that exists."""
    text = config.register_source or ""
    given = [
        key
        for key, value in (
            ("inputs.findings", config.inputs.findings),
            ("inputs.events", config.inputs.events),
        )
        if value is not None
    ]
    if given:
        raise ConfigError(msg("pack_register_and_inputs", keys=", ".join(given)))
    if not text.strip():
        raise ConfigError(msg("pack_register_empty"))
    if is_register_url(text):
        try:
            password = urlsplit(text.strip()).password
        except ValueError:
            password = None
        if password is not None:
            raise ConfigError(msg("pack_register_password"))
        return
    if not (base / text).is_file():
        raise ConfigError(
            msg("config_input_missing", name="register", value=as_toml(text), base=base)
        )


def _check_mappings(mappings: Mappings) -> None:
    """Every ``[mappings]`` table maps texts to codes its vocabulary has."""
    for key, table, codes in (
        ("mappings.category", mappings.category, FINDING_CATEGORIES),
        ("mappings.actor", mappings.actor, ACTORS),
        ("mappings.status", mappings.status, STATUSES),
        ("mappings.event_category", mappings.event_category, EVENT_CATEGORIES),
    ):
        check_value_map(key, table, codes)


def _check_weights(config: PackConfig) -> None:
    """``weights`` names indicators of the prioritisation (a survey indicator only with
    ``inputs.indicators``), each with a weight of at least 0, not all 0."""
    allowed = [*STANDARD_INDICATORS, "survey:<indikator>", "survey_low:<indikator>"]
    for key, value in config.weights.items():
        survey = key.startswith(("survey:", "survey_low:")) and len(key.split(":", 1)[1]) > 0
        if key not in STANDARD_INDICATORS and not survey:
            raise ConfigError(
                msg("config_weights_key", name=f"weights.{key}", allowed=", ".join(allowed))
            )
        if survey and config.inputs.indicators is None:
            raise ConfigError(msg("config_weights_survey", name=f"weights.{key}"))
        if not math.isfinite(value) or value < 0:
            raise ConfigError(msg("config_weights_value", name=f"weights.{key}", value=value))
    if config.weights and not any(v > 0 for v in config.weights.values()):
        raise ConfigError(msg("config_weights_zero"))


def _check_compare(config: PackConfig) -> None:
    """A comparison period given as a period must not overlap the period."""
    if config.compare.lower() == "none" or config.compare in _COMPARE_WORDS:
        return  # the period before, or a year before: never overlapping a period of a label
    main, other = config.period, parse_period(config.compare, name="compare")
    if other.start < main.end and main.start < other.end:
        raise ConfigError(
            msg(
                "config_compare_overlaps",
                compare=as_toml(config.compare),
                compare_label=other.label,
                period=as_toml(main.label),
                period_label=main.label,
            )
        )


# --- pydantic's errors as sentences ---------------------------------------------------------


def as_toml(value: Any) -> str:
    """``value`` as a configuration file writes it (TOML), cut after a few words.

    Examples
    --------
    >>> as_toml("de"), as_toml(True), as_toml(["lpo", 3]), as_toml({"a": 1})
    ('"de"', 'true', '["lpo", 3]', '{ a = 1 }')
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, Path):
        text = json.dumps(str(value), ensure_ascii=False)
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(as_toml(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {as_toml(v)}" for k, v in value.items()) + " }"
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def as_toml_list(values: Iterable[Any]) -> str:
    """Values as TOML, separated by commas: ``"n", "per_km2"``."""
    return ", ".join(as_toml(v) for v in values)


def _problem(error: Any) -> str:
    """One of pydantic's errors as a sentence: the key, the value given, what is allowed."""
    loc = tuple(error["loc"])
    key = _key(loc)
    if error["type"] == "extra_forbidden":
        _name, annotation, _field = _target(loc[:-1])
        model = _model(annotation)
        allowed = ", ".join(sorted(_keys(model))) if model is not None else ""
        return msg("config_unknown_key", name=key, value=as_toml(error["input"]), allowed=allowed)
    found = error.get("ctx", {}).get("error")
    if isinstance(found, _BadPages):
        return msg(
            "config_bad_value", name=found.key, value=as_toml(found.value), allowed=_allowed(loc)
        )
    if error["type"] == "missing":  # its input is the table around it: not shown
        return msg("config_missing_key", name=key, allowed=_allowed(loc))
    return msg("config_bad_value", name=key, value=as_toml(error["input"]), allowed=_allowed(loc))


def _key(loc: tuple[Any, ...]) -> str:
    """``("inputs", "areas", 0, "path")`` as ``inputs.areas[0].path``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _target(loc: tuple[Any, ...]) -> tuple[str, Any, FieldInfo | None]:
    """The key at ``loc`` without list positions, its type and its field (None for an item
    of a list, whose constraints are the list's)."""
    names: list[str] = []
    annotation: Any = PackConfig
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            annotation, field = get_args(_plain(annotation))[0], None
            continue
        model = _model(annotation)
        if model is None or str(part) not in _keys(model):
            break
        field = _keys(model)[str(part)]
        annotation = field.annotation
        names.append(str(part))
    return ".".join(names), annotation, field


def _keys(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the key a configuration file writes (``register``, not the
    field's name ``register_source``)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _plain(annotation: Any) -> Any:
    """``X | None`` as ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [a for a in get_args(annotation) if a is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    plain = _plain(annotation)
    return plain if isinstance(plain, type) and issubclass(plain, BaseModel) else None


def _allowed(loc: tuple[Any, ...]) -> str:
    """What the key at ``loc`` allows, in words."""
    name, annotation, field = _target(loc)
    if name == "period":
        return msg("config_allowed_period")
    if name == "pages":
        return msg("config_allowed_pages", all=as_toml(ALL_AREAS[0]))
    if name == "compare":
        return msg("config_allowed_compare", choices=as_toml_list(_COMPARE_WORDS))
    if name == "map.indicator":
        return msg("config_allowed_one_of", values=as_toml_list(INDICATORS))
    if name == "map.scheme":
        return msg("config_allowed_one_of", values=as_toml_list(_schemes()))
    if name == "comparison.coverage":
        return msg("config_allowed_source_dates")
    return _described(annotation, field)


def _described(annotation: Any, field: FieldInfo | None) -> str:
    """A type (and the bounds of its field) in words."""
    plain = _plain(annotation)
    bounds: dict[str, Any] = {}
    for item in field.metadata if field is not None else []:
        for bound in ("ge", "le", "min_length"):
            if getattr(item, bound, None) is not None:
                bounds[bound] = getattr(item, bound)
    model = _model(plain)
    if model is not None:
        return msg("config_allowed_table", keys=", ".join(sorted(_keys(model))))
    if get_origin(plain) is Literal:
        return msg("config_allowed_one_of", values=as_toml_list(get_args(plain)))
    if get_origin(plain) is list:
        item = _described(get_args(plain)[0], None)
        if "min_length" in bounds:
            return msg("config_allowed_list_min", item=item, min=bounds["min_length"])
        return msg("config_allowed_list", item=item)
    if plain is bool:
        return msg("config_allowed_bool")
    if plain is int:
        if "ge" in bounds and "le" in bounds:
            return msg("config_allowed_int_range", min=bounds["ge"], max=bounds["le"])
        if "ge" in bounds:
            return msg("config_allowed_int_min", min=bounds["ge"])
        return msg("config_allowed_int")
    if plain is float:
        return msg("config_allowed_share", min=bounds.get("ge", 0), max=bounds.get("le", 1))
    if plain is Path:
        return msg("config_allowed_path")
    return msg("config_allowed_text")
