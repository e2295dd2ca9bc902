"""The configuration of a meeting pack (``geo-trygg build CONFIG.toml``), checked before work.

A TOML file (see ``geo_trygg/data/pack-example.toml``)::

    title = "Lägesbild Älvsjö"
    lang = "sv"                       # "sv" or "en"
    period = "2024-03"                # any period build_lagesbild takes
    compare = "previous"              # "previous", "previous_year", a period, or "none"
    pages = ["stadsdelsomrade", "lpo"]  # levels whose every area gets a page
    classification = "Intern"         # banner on every page and map (optional)
    privacy = "internal"              # "internal", or "public": counts only, small ones hidden
    min_count = 3                     # public: counts 1 … min_count-1 shown as "<3"
    ledger = "publiceringar"          # public: folder of earlier publications (this default)
    sources = ["Polisen", "Trygghetsvandringar"]
    extracted = "2024-04-02"          # when the data was extracted (optional)
    png = true                        # karta.png per area (headless Chromium; skipped if none)
    self_contained = false            # maps work with no network (inlined assets, ~2.4 MB)
    mask_personal = true              # personnummer and phone numbers in free text masked

    [inputs]
    findings = "trygghetsvandringar.csv"   # optional
    events = "handelser.csv"               # optional (at least one of the two)
    places = "platser.geojson"             # optional
    areas = [
      { path = "omraden.geojson" },
      { path = "stadsdelar.shp", source = "stockholm-stadsdelar" },
    ]

    [map]
    indicator = "n"                   # n, per_km2, per_1000, change, priority
    scheme = "quantiles"              # quantiles, natural_breaks, equal_interval
    k = 5

Paths are relative to the configuration file. Unknown keys, missing files and values outside
the allowed ones are refused, naming the key, the value and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.maps import INDICATORS, SCHEMES
from geo_trygg.pack._public import PUBLIC_INDICATORS
from geo_trygg.periods import parse_period

__all__ = ["AreaInput", "Inputs", "MapOptions", "PackConfig", "load_config"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaInput(_Strict):
    """One area file: ``path``, and optionally its catalogue ``source``, ``level``, ``layer``."""

    path: Path
    source: str | None = None
    level: str | None = None
    layer: str | None = None


class Inputs(_Strict):
    """The input files."""

    areas: list[AreaInput] = Field(min_length=1)
    findings: Path | None = None
    events: Path | None = None
    places: Path | None = None


class MapOptions(_Strict):
    """The maps' indicator and classes."""

    indicator: str = "n"
    scheme: str = "quantiles"
    k: int = Field(default=5, ge=1, le=9)

    @field_validator("indicator")
    @classmethod
    def _indicator(cls, value: str) -> str:
        if value not in INDICATORS:
            raise ValueError(f"allowed: {', '.join(INDICATORS)}")
        return value

    @field_validator("scheme")
    @classmethod
    def _scheme(cls, value: str) -> str:
        allowed = [s for s in SCHEMES if s != "user"]
        if value not in allowed:
            raise ValueError(f"allowed: {', '.join(allowed)}")
        return value


class PackConfig(_Strict):
    """A meeting pack's configuration (see the module docstring)."""

    title: str = "Lägesbild"
    lang: Literal["sv", "en"] = "sv"
    period: str
    compare: str = "previous"
    pages: list[str] = Field(min_length=1)
    classification: str | None = None
    privacy: Literal["internal", "public"] = "internal"
    min_count: int = Field(default=3, ge=3)
    ledger: Path | None = None
    sources: list[str] = Field(default_factory=list)
    extracted: str | None = None
    png: bool = True
    self_contained: bool = False
    mask_personal: bool = True
    inputs: Inputs
    map: MapOptions = MapOptions()

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        try:
            parse_period(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value

    def compare_value(self) -> Any:
        """``compare`` as build_lagesbild takes it (``"none"`` → None)."""
        return None if self.compare.lower() == "none" else self.compare


def _where(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(config)"


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
        raise ConfigError(f"the configuration file {file} does not exist")
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} is not a valid TOML file: {exc}") from None
    try:
        config = PackConfig.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = _where(error)
            if error["type"] == "extra_forbidden":
                allowed = ", ".join(_allowed_keys(error["loc"]))
                problems.append(f"unknown key {key!r}; allowed here: {allowed}")
            else:
                value = error.get("input")
                problems.append(f"{key} = {value!r}: {error['msg']}")
        raise ConfigError(f"{file}: " + "; ".join(problems)) from None
    if config.privacy == "public" and config.map.indicator not in PUBLIC_INDICATORS:
        raise ConfigError(
            f"map.indicator = {config.map.indicator!r} is not shown in a public pack (it "
            f"could reveal hidden counts); allowed with privacy = 'public': "
            + ", ".join(PUBLIC_INDICATORS)
        )
    base = file.resolve().parent
    ledger = base / (config.ledger if config.ledger is not None else "publiceringar")
    if config.privacy == "public" and ledger.exists() and not ledger.is_dir():
        raise ConfigError(msg("ledger_not_folder", folder=ledger))
    inputs = config.inputs
    if inputs.findings is None and inputs.events is None:
        raise ConfigError("inputs: give findings = … or events = … (or both)")
    for key, value in (
        ("inputs.findings", inputs.findings),
        ("inputs.events", inputs.events),
        ("inputs.places", inputs.places),
        *((f"inputs.areas[{i}].path", a.path) for i, a in enumerate(inputs.areas)),
    ):
        if value is not None and not (base / value).exists():
            raise ConfigError(f"{key} = {str(value)!r}: no such file (relative to {base})")
    return config, base


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = PackConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        nested = getattr(annotation, "__args__", (annotation,))
        model = next(
            (t for t in nested if isinstance(t, type) and issubclass(t, BaseModel)), model
        )
    return sorted(model.model_fields)
