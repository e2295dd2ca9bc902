"""The police's lists of utsatta områden, one edition at a time (``docs/utsatta-omraden.md``).

:func:`read_utsatta_omraden` reads one edition of Polismyndigheten's "Lägesbild över utsatta
områden" into one schema, whatever the year:

- **Geodata** (GeoJSON, Shapefile, GeoPackage): both schemas the police has published. The
  2023 shapefile's field names are cut to ten characters (``NAMN``, ``KATEGORI``, ``ORT``,
  ``LOKALPOLIS``, ``OMRADESKOD``, ``SPECIALOMR``, ``AKTUALITET``); the 2025 GeoJSON writes them
  in full (``LOKALPOLISOMRADE``, ``SPECIALOMRADES_ID``, ``AKTUALITET_START``,
  ``AKTUALITET_SLUT``, where a single space means "no end date"). The geometry goes through
  :func:`geo_trygg.io.read_areas`: the file's CRS (a ``.prj``, or a GeoJSON's legacy ``crs``
  member, which GDAL honours: the 2025 file's ``EPSG:3006`` is read as SWEREF 99 TM, not as
  WGS 84) unless it is implausible — a file that claims degrees but holds metres is inferred
  from its value ranges with a note, never read as degrees.
- **A small table without geometry** (CSV or Excel): ``edition`` (year), ``name``,
  ``category``, optionally ``ort``/``kommun``, ``lpo``, ``id``, ``source``. This is how the
  older lists (2015, 2017, 2019, 2021), which the police published as PDF reports and not as
  geodata, are given by a user; the project ships no such table.

Categories become codes (:data:`CATEGORIES`: ``sarskilt_utsatt``, ``utsatt``, ``riskomrade``);
the words are :func:`geo_trygg.labels.names` ``("utsatt_category")``. Every row is accepted or
rejected with its row number and a reason (``n_input == n_accepted + n_rejected``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._text import ascii_fold
from geo_trygg.crs import validate_working_crs
from geo_trygg.io._columns import header_key
from geo_trygg.io._dates import parse_datetime_value
from geo_trygg.io._geofiles import GEO_EXTENSIONS, crs_label
from geo_trygg.io._points import EXTRA_PREFIX, as_text, check_path
from geo_trygg.io._tabular import CSV_EXTENSIONS, EXCEL_EXTENSIONS, check_table_args, read_table
from geo_trygg.io.readers import read_areas
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog

__all__ = [
    "CATEGORIES",
    "UTSATTA_COLUMNS",
    "category_code",
    "read_utsatta_omraden",
]

CATEGORIES = ("sarskilt_utsatt", "utsatt", "riskomrade")
"""The police's categories, most serious first: särskilt utsatt område, utsatt område,
riskområde (the last was dropped in the 2025 edition)."""

UTSATTA_COLUMNS = [
    "edition",
    "area_id",
    "name",
    "category",
    "category_given",
    "ort",
    "lpo",
    "lpo_code",
    "listed_since",
    "listed_until",
    "source",
    "source_row",
    "geometry",
]
"""Columns of an accepted edition (the file's other fields follow as ``src_<field>``).

``listed_since``/``listed_until`` are the police's ``AKTUALITET`` (``AKTUALITET_START``) and
``AKTUALITET_SLUT`` dates (NaT when none); ``source`` is the file name, or a table's own
``source`` column; ``geometry`` is None in an edition given as a table."""

_CATEGORY_WORDS = {
    "sarskilt_utsatt": (
        "sarskilt utsatt omrade",
        "sarskilt utsatta omraden",
        "sarskilt utsatt",
        "suo",
        "especially vulnerable area",
        "especially vulnerable",
        "particularly vulnerable area",
        "particularly vulnerable",
        "sarskilt_utsatt",
    ),
    "utsatt": (
        "utsatt omrade",
        "utsatta omraden",
        "utsatt",
        "uo",
        "vulnerable area",
        "vulnerable",
    ),
    "riskomrade": ("riskomrade", "riskomraden", "risk area", "risk", "ro"),
}
_CATEGORY_OF = {word: code for code, words in _CATEGORY_WORDS.items() for word in words}

# the fields of the police's files and of a user's table, by header key (header_key)
_FIELDS: dict[str, tuple[str, ...]] = {
    "area_id": ("specialomradesid", "specialomr", "areaid", "omradesid", "id"),
    "name": ("namn", "name", "omradesnamn", "omrade", "area"),
    "category": ("kategori", "category", "klass", "class"),
    "ort": ("ort", "kommun", "municipality", "city"),
    "lpo": ("lokalpolisomrade", "lokalpolis", "lpo"),
    "lpo_code": ("omradeskod", "lpokod", "lpocode"),
    "listed_since": ("aktualitetstart", "aktualitet", "listedsince", "giltigfran", "validfrom"),
    "listed_until": ("aktualitetslut", "listeduntil", "giltigtill", "validto"),
    "edition": ("edition", "utgava", "lista", "listar", "ar", "year"),
    "source": ("source", "kalla", "kallor"),
}


def category_code(value: Any) -> str | None:
    """The code of a police category as written (Swedish or English, any case), or None.

    Examples
    --------
    >>> category_code("Särskilt utsatt område"), category_code("RISKOMRÅDE")
    ('sarskilt_utsatt', 'riskomrade')
    >>> category_code("vulnerable area"), category_code("trygg") is None
    ('utsatt', True)
    """
    text = as_text(value)
    if text is None:
        return None
    return _CATEGORY_OF.get(" ".join(ascii_fold(text).casefold().replace("-", " ").split()))


def _field(fields: list[str], key: str, taken: set[str]) -> str | None:
    by_key: dict[str, str] = {}
    for f in fields:
        by_key.setdefault(header_key(f), f)
    for alias in _FIELDS[key]:
        found = by_key.get(alias)
        if found is not None and found not in taken:
            return found
    return None


def _fields_of(fields: list[str]) -> dict[str, str | None]:
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for key in _FIELDS:
        out[key] = _field(fields, key, taken)
        if out[key] is not None:
            taken.add(str(out[key]))
    return out


def _edition_arg(edition: Any) -> int | None:
    if edition is None:
        return None
    if isinstance(edition, bool) or not isinstance(edition, (int, np.integer)):
        raise ConfigError(f"edition={edition!r} must be a year, e.g. 2025")
    if not 1990 <= int(edition) <= 2199:
        raise ConfigError(f"edition={edition!r} must be a year between 1990 and 2199")
    return int(edition)


def _day(value: Any) -> tuple[str, dt.date | None]:
    """``("ok", date)``, ``("missing", None)`` (blank, or the police's single space) or
    ``("bad", None)``."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return ("missing", None) if pd.isna(value) else ("ok", value.date())
    if isinstance(value, dt.date):
        return "ok", value
    if as_text(value) is None:
        return "missing", None
    status, parsed, _ = parse_datetime_value(as_text(value))
    if status == "ok" and parsed is not None:
        return "ok", parsed.date()
    return "bad", None


def _year(value: Any) -> int | None:
    text = as_text(value)
    if text is None or not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    return year if 1990 <= year <= 2199 else None


def read_utsatta_omraden(
    path: Any,
    *,
    edition: int | None = None,
    layer: str | int | None = None,
    crs: Any = None,
    to_crs: Any = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> IngestResult:
    """Read one edition of the police's utsatta områden (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The police's geodata (``.geojson``, ``.shp``, ``.gpkg``, …) or a table without
        geometry (``.csv``, ``.xlsx``).
    edition : int, optional
        The year of the list. Geodata: without it, the year of the latest ``AKTUALITET`` date
        (a note says so). A table: fills rows whose ``edition`` cell is blank; a table
        without an ``edition`` column needs it.
    layer : str or int, optional
        Layer of a file with several.
    crs : CRS-like, optional
        Wins over the file's CRS (see :func:`geo_trygg.io.read_areas`).
    to_crs : CRS-like, optional
        Metric CRS of the result (EPSG:3006 by default).
    encoding : str, optional
        Attribute or text encoding.
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    IngestResult
        ``accepted``: :data:`UTSATTA_COLUMNS`, then the file's other fields as
        ``src_<field>``; ``rejected``: row, column, value and reason of every problem.

    Raises
    ------
    ConfigError
        ``edition`` is not a year; the file has no name or category field; a table has no
        ``edition`` column and no ``edition`` is given.
    ReadError
        The file is missing or unreadable.

    Examples
    --------
    >>> res = read_utsatta_omraden("uso_2025.geojson")  # doctest: +SKIP
    >>> res.accepted[["edition", "area_id", "name", "category"]].head(1)  # doctest: +SKIP
       edition area_id                     name category
    0     2025      10  Södra Sofielund / Seved   utsatt
    """
    year = _edition_arg(edition)
    target = validate_working_crs(to_crs)
    p = check_path(path, (*GEO_EXTENSIONS, *CSV_EXTENSIONS, *EXCEL_EXTENSIONS))
    if p.suffix.lower() in GEO_EXTENSIONS:
        return _read_geo(p, year, layer, crs, target, encoding)
    check_table_args(encoding, None)
    return _read_table(p, year, target, encoding, sheet)


def _read_geo(
    p: Path, year: int | None, layer: Any, crs: Any, target: Any, encoding: str | None
) -> IngestResult:
    from geo_trygg.io._geofiles import read_geofile

    fields = [str(c) for c in read_geofile(p, layer=layer, encoding=encoding).frame.columns]
    found = _fields_of(fields)
    if found["name"] is None or found["category"] is None:
        raise ConfigError(msg("uso_field_missing", file=p.name, found=", ".join(fields)))
    areas = read_areas(
        p,
        level="utsatt_omrade",
        layer=layer,
        id_column=found["area_id"],
        name_column=found["name"],
        crs=crs,
        to_crs=target,
        encoding=encoding,
    )
    frame = areas.accepted
    log = RejectionLog(strict=False)
    for r in areas.rejected.itertuples(index=False):
        log.add(int(r.row), str(r.column), r.value, str(r.reason))

    def column(key: str) -> list[Any]:
        name = found[key]
        if name is None:
            return [None] * len(frame)
        if name == found["area_id"]:
            return list(frame["area_id"])
        if name == found["name"]:
            return list(frame["name"])
        return list(frame[EXTRA_PREFIX + name])

    values = {key: column(key) for key in _FIELDS if key not in ("edition", "source")}
    notes = list(areas.summary.notes)
    out = _rows(values, frame["source_row"].to_numpy(), found, log)
    out["source"] = [p.name] * len(out["name"])
    if year is None:
        starts = [d for d in out["listed_since"] if d is not None]
        if not starts:
            raise ConfigError(msg("uso_edition_unknown", file=p.name))
        year = max(starts).year
        notes.append(msg("uso_note_edition", year=year))
    out["edition"] = [year] * len(out["name"])
    used = {found[k] for k in found if found[k] is not None}
    extras = {
        c: frame[c].to_numpy(dtype=object)
        for c in frame.columns
        if c.startswith(EXTRA_PREFIX) and c[len(EXTRA_PREFIX) :] not in used
    }
    return _result(
        out,
        list(frame.geometry.to_numpy()),
        extras,
        log,
        p,
        target,
        areas.summary.n_input,
        notes,
        areas.summary.crs_in,
        areas.summary.crs_inferred,
        n_swapped=areas.summary.n_swapped,
        n_repaired=areas.summary.n_repaired,
    )


def _read_table(
    p: Path, year: int | None, target: Any, encoding: str | None, sheet: Any
) -> IngestResult:
    raw = read_table(p, sheet=sheet, encoding=encoding)
    fields = [str(c) for c in raw.frame.columns]
    found = _fields_of(fields)
    if found["name"] is None or found["category"] is None:
        raise ConfigError(msg("uso_field_missing", file=p.name, found=", ".join(fields)))
    if found["edition"] is None and year is None:
        raise ConfigError(msg("uso_table_edition_missing", file=p.name))
    log = RejectionLog(strict=False)
    for row, col, value, reason in raw.load_problems():
        log.add(row, col, value, reason)
    rows = raw.rows

    def column(key: str) -> list[Any]:
        name = found[key]
        return [None] * len(rows) if name is None else list(raw.frame[name])

    values = {key: column(key) for key in _FIELDS if key not in ("edition", "source")}
    for i, value in enumerate(values["name"]):
        if as_text(value) is None:
            log.add(int(rows[i]), str(found["name"]), None, msg("io_area_name_missing"))
    out = _rows(values, rows, found, log)
    editions: list[int | None] = []
    for i, cell in enumerate(column("edition")):
        if as_text(cell) is None:
            editions.append(year)
            if year is None:
                log.add(int(rows[i]), str(found["edition"]), None, msg("uso_row_edition_missing"))
            continue
        got = _year(cell)
        editions.append(got)
        if got is None:
            log.add(
                int(rows[i]), str(found["edition"]), cell, msg("uso_row_edition_bad", value=cell)
            )
    out["edition"] = editions
    out["source"] = [as_text(v) or p.name for v in column("source")]
    # an area once per edition: by id where given, else by name and ort
    first: dict[tuple[Any, ...], int] = {}
    for i in range(len(rows)):
        if int(rows[i]) in log.rows:
            continue
        once: tuple[Any, ...] = (
            (editions[i], "id", out["area_id"][i])
            if out["area_id"][i] is not None
            else (editions[i], "name", name_key(out["name"][i]), name_key(out["ort"][i]))
        )
        if once in first:
            log.add(
                int(rows[i]),
                str(found["area_id"] or found["name"]),
                out["area_id"][i] or out["name"][i],
                msg("io_duplicate_id", first=first[once]),
            )
        else:
            first[once] = int(rows[i])
    out["source_row"] = list(rows)
    notes = [*raw.notes, msg("uso_note_no_geometry")]
    used = {found[k] for k in found if found[k] is not None}
    extras = {
        EXTRA_PREFIX + c: raw.frame[c].to_numpy(dtype=object) for c in fields if c not in used
    }
    return _result(out, [None] * len(rows), extras, log, p, target, len(rows), notes, "-", False)


def name_key(value: Any) -> str:
    """The key names are matched on across editions: :func:`geo_trygg._text.normalize_name`,
    with spaces around ``/`` dropped (``"Rinkeby/Tensta"`` = ``"Rinkeby / Tensta"``).

    Examples
    --------
    >>> name_key("Hässleholmen/  Hulta") == name_key("hässleholmen / hulta")
    True
    """
    from geo_trygg._text import normalize_name

    return re.sub(r"\s*/\s*", "/", normalize_name(value))


def _rows(
    values: dict[str, list[Any]],
    rows: np.ndarray,
    found: dict[str, str | None],
    log: RejectionLog,
) -> dict[str, list[Any]]:
    """The shared columns of both kinds of input, each row's problems in ``log``."""
    out: dict[str, list[Any]] = {
        "area_id": [as_text(v) for v in values["area_id"]],
        "name": [as_text(v) for v in values["name"]],
        "category": [],
        "category_given": [as_text(v) for v in values["category"]],
        "ort": [as_text(v) for v in values["ort"]],
        "lpo": [as_text(v) for v in values["lpo"]],
        "lpo_code": [as_text(v) for v in values["lpo_code"]],
        "listed_since": [],
        "listed_until": [],
        "source_row": list(rows),
    }
    for i, given in enumerate(out["category_given"]):
        code = category_code(given)
        out["category"].append(code)
        if code is None:
            reason = (
                msg("uso_row_category_missing")
                if given is None
                else msg("uso_row_category_unknown", value=given)
            )
            log.add(int(rows[i]), str(found["category"]), given, reason)
    for key in ("listed_since", "listed_until"):
        for i, value in enumerate(values[key]):
            status, day = _day(value)
            out[key].append(day)
            if status == "bad":
                log.add(int(rows[i]), str(found[key]), value, msg("uso_row_date_bad", value=value))
    return out


def _result(
    out: dict[str, list[Any]],
    geometry: list[Any],
    extras: dict[str, np.ndarray],
    log: RejectionLog,
    p: Path,
    target: Any,
    n_input: int,
    notes: list[str],
    crs_in: str,
    inferred: bool,
    *,
    n_swapped: int = 0,
    n_repaired: int = 0,
) -> IngestResult:
    rows = np.asarray(out["source_row"], dtype=np.int64)
    keep = ~np.isin(rows, np.fromiter(log.rows, dtype=np.int64, count=len(log.rows)))
    frame = pd.DataFrame(
        {
            "edition": pd.array(
                [e for e, k in zip(out["edition"], keep, strict=True) if k], dtype="Int64"
            ),
            **{
                c: object_array(int(keep.sum()), None)
                if not len(out[c])
                else np.asarray(out[c], dtype=object)[keep]
                for c in UTSATTA_COLUMNS
                if c not in ("edition", "geometry", "listed_since", "listed_until")
            },
            "listed_since": pd.to_datetime(
                pd.Series(np.asarray(out["listed_since"], dtype=object)[keep], dtype=object)
            ),
            "listed_until": pd.to_datetime(
                pd.Series(np.asarray(out["listed_until"], dtype=object)[keep], dtype=object)
            ),
        }
    )
    frame["source_row"] = frame["source_row"].astype(np.int64)
    frame = frame[[c for c in UTSATTA_COLUMNS if c != "geometry"]]
    if extras:
        kept = {k: v[keep] for k, v in extras.items()}
        frame = pd.concat([frame, pd.DataFrame(kept, index=frame.index, dtype=object)], axis=1)
    gdf = gpd.GeoDataFrame(
        frame, geometry=list(np.asarray(geometry, dtype=object)[keep]), crs=target
    )
    n_accepted = int(keep.sum())
    summary = IngestSummary(
        kind="utsatta_omraden",
        source=str(p),
        n_input=n_input,
        n_accepted=n_accepted,
        n_rejected=n_input - n_accepted,
        n_swapped=n_swapped,
        n_repaired=n_repaired,
        crs_in=crs_in,
        crs_inferred=inferred,
        crs_out=crs_label(target),
        notes=notes,
    )
    return IngestResult(gdf, log.frame(), summary)
