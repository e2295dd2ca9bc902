"""The catalogue of official boundary sources (``geo_trygg/data/catalogue.toml``).

Each source names a published boundary file (Stockholms stad's stadsdelar and stadsdelsområden,
SCB's kommuner, län, DeSO and RegSO, Lantmäteriet's administrative areas, Polisen's utsatta
områden) with its publisher, licence, download URL, layer and field names, CRS and validity, so
that ``read_areas(path, source="stockholm-stadsdelar")`` needs no further arguments.

The catalogue ships inside the package (``geo_trygg/data``, found through
:mod:`importlib.resources`; ``boundaries/README.md`` documents it); the environment variable
``GEO_TRYGG_BOUNDARIES`` points at another folder with a ``catalogue.toml`` and ``crosswalks/``
(read once, at import).

Examples
--------
>>> src = get_source("stockholm-stadsdelar")
>>> src.level, src.name_field, src.crs
('stadsdel', 'name', 'EPSG:3011')
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo_trygg._data import data_path
from geo_trygg._errors import ConfigError, ReadError, check_choice
from geo_trygg._labels import msg

__all__ = [
    "AREA_LEVELS",
    "BOUNDARIES_DIR",
    "CatalogueSource",
    "get_source",
    "list_sources",
]

BOUNDARIES_DIR: Path = Path(os.environ.get("GEO_TRYGG_BOUNDARIES") or data_path())
"""The folder of ``catalogue.toml`` and ``crosswalks/``: the package's ``geo_trygg/data``
(``GEO_TRYGG_BOUNDARIES`` overrides)."""

AREA_LEVELS: tuple[str, ...] = (
    "stadsdel",
    "stadsdelsomrade",
    "lpo",
    "polisomrade",
    "polisregion",
    "kommun",
    "lan",
    "deso",
    "regso",
    "place",
    "utsatt_omrade",
)
"""Canonical area levels (``docs/data-model.md``, Areas; ``polisregion`` for crosswalks)."""


@dataclass(frozen=True)
class CatalogueSource:
    """One official boundary source.

    Attributes
    ----------
    name : str
        Catalogue key, e.g. ``"stockholm-stadsdelar"``.
    title, publisher, licence : str
        What the source is, who publishes it, and its licence as stated.
    url : str
        Download URL (a file where a stable one exists, else the publisher's download page).
    layer : str or None
        Layer inside a multi-layer file (GeoPackage).
    level : str
        Canonical area level, one of :data:`AREA_LEVELS`.
    id_field : str or None
        Source field that becomes ``area_id`` (None: built from the name).
    name_field : str
        Source field that becomes ``name``.
    crs : str or None
        CRS to assume when the file carries none; a CRS in the file always wins.
    encoding : str or None
        Encoding of a shapefile's ``.dbf`` without ``.cpg`` (e.g. ``"cp1252"``).
    valid_from, valid_to : datetime.date or None
        Validity of the boundaries: ``valid_from`` inclusive, ``valid_to`` exclusive; None = open.
    fields : dict of str to str
        Extra source fields kept, ``{source field: canonical column}``.
    notes : str
        Variants, quirks, and which facts were checked against a published file.
    water : str or None
        The name of a file of the source's water published beside its boundary file (e.g.
        ``"vatten.geo.json"``): a pack draws it under its maps when it is there.
    """

    name: str
    title: str
    publisher: str
    licence: str
    url: str
    layer: str | None
    level: str
    id_field: str | None
    name_field: str
    crs: str | None
    encoding: str | None
    valid_from: date | None
    valid_to: date | None
    fields: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    water: str | None = None


_REQUIRED = ("title", "publisher", "licence", "url", "level", "name_field")
_OPTIONAL_STR = ("layer", "id_field", "crs", "encoding")


def _catalogue_path() -> Path:
    return BOUNDARIES_DIR / "catalogue.toml"


def _parse_source(name: str, entry: dict[str, Any], path: Path) -> CatalogueSource:
    known = {f.name for f in dataclasses.fields(CatalogueSource)} - {"name"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ReadError(
            f"{path}: source {name!r} has unknown keys {unknown}; allowed: {sorted(known)}"
        )
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise ReadError(f"{path}: source {name!r} lacks required keys {missing}")
    check_choice(f"{path}: sources.{name}.level", entry["level"], AREA_LEVELS)
    for key in ("valid_from", "valid_to"):
        value = entry.get(key)
        if value is not None and not isinstance(value, date):
            raise ReadError(f"{path}: source {name!r}: {key} must be a TOML date, got {value!r}")
    extra = entry.get("fields", {})
    if not isinstance(extra, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
    ):
        raise ReadError(f"{path}: source {name!r}: fields must map field names to column names")
    return CatalogueSource(
        name=name,
        title=str(entry["title"]),
        publisher=str(entry["publisher"]),
        licence=str(entry["licence"]),
        url=str(entry["url"]),
        layer=entry.get("layer"),
        level=str(entry["level"]),
        id_field=entry.get("id_field"),
        name_field=str(entry["name_field"]),
        crs=entry.get("crs"),
        encoding=entry.get("encoding"),
        valid_from=entry.get("valid_from"),
        valid_to=entry.get("valid_to"),
        fields=dict(extra),
        notes=str(entry.get("notes", "")).strip(),
        water=entry.get("water"),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> dict[str, CatalogueSource]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ReadError(f"boundary catalogue not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReadError(f"boundary catalogue {path} is not valid TOML: {exc}") from None
    sources = data.get("sources", {})
    return {name: _parse_source(name, entry, path) for name, entry in sorted(sources.items())}


def list_sources() -> list[str]:
    """Names of the catalogued sources, sorted.

    Returns
    -------
    list of str

    Raises
    ------
    ReadError
        When ``catalogue.toml`` is missing or malformed.

    Examples
    --------
    >>> "polisen-utsatta-omraden-2025" in list_sources()
    True
    """
    return list(_load(_catalogue_path()))


def get_source(name: str) -> CatalogueSource:
    """Return the catalogue entry ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`list_sources`, e.g. ``"stockholm-stadsdelar"``.

    Returns
    -------
    CatalogueSource

    Raises
    ------
    ConfigError
        When ``name`` is not catalogued (the message lists the allowed names).
    ReadError
        When ``catalogue.toml`` is missing or malformed.

    Examples
    --------
    >>> get_source("polisen-utsatta-omraden-2025").crs
    'EPSG:3006'
    """
    sources = _load(_catalogue_path())
    if name not in sources:
        raise ConfigError(
            msg("catalogue_unknown_source", name=name, allowed=", ".join(map(repr, sources)))
        )
    return sources[name]
