"""Area polygons from GeoJSON, GeoPackage or Shapefile (private).

Order of precedence: explicit arguments, then the catalogue entry (``source=``), then what
the file says, then recognition/inference.

- CRS: ``crs=`` wins (a note names the file's CRS when it differs); else the file's CRS
  (``.prj``, GeoPackage, a GeoJSON's legacy ``"crs"`` member); else the catalogue's ``crs``;
  else inferred per feature from the centre of its bounding box with
  :func:`geo_trygg.crs.coords_to_working` (note; a warning for the SWEREF 99 local zones). A
  file that declares degrees but holds metres is inferred too (note). A feature outside Sweden
  is rejected; a feature whose x and y are exchanged is fixed and counted in ``n_swapped``.
- Geometry: only Polygon and MultiPolygon; missing, empty or other geometries reject the row.
  Z/M values are dropped. Invalid polygons (after reprojection) are repaired with
  :func:`shapely.make_valid`, keeping only the polygonal parts, and counted in
  ``summary.n_repaired`` with a note; a polygon with no area left is rejected.
- ``name``: ``name_column``, else the catalogue's ``name_field``, else the first field called
  name/namn/områdesnamn/…; a blank name rejects the row. Without any name field the name is
  the ``area_id`` (note).
- ``area_id``: ``id_column``, else the catalogue's ``id_field``, else the first field called
  area_id/id/kod/code/…; numbers are written without ``.0``. Without an id field, the name
  when every name is unique, else ``"<file name>-<feature number>"`` (note). A repeated
  (area_id, valid_from) rejects every occurrence after the first.
- ``level``: ``level=``, else the catalogue's; one of :data:`geo_trygg.catalogue.AREA_LEVELS`
  (ConfigError otherwise, before reading); empty with a note when neither is given.
- ``valid_from``/``valid_to``: the arguments, else catalogue ``fields`` mapping a source field
  to ``valid_from``/``valid_to`` (parsed per row; a bad date rejects the row), else the
  catalogue's dates, else NaT.
- Other fields: those named in the catalogue's ``fields`` are kept under their canonical
  names, every remaining field as ``src_<field>``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError, GeoTryggWarning, check_choice
from geo_trygg._labels import msg
from geo_trygg._validate import check_date
from geo_trygg.crs import coords_to_working, get_transformer, validate_working_crs
from geo_trygg.io._columns import header_key
from geo_trygg.io._dates import parse_datetime_value, parse_datetimes
from geo_trygg.io._geofiles import GEO_EXTENSIONS, crs_label, crs_plausible, read_geofile
from geo_trygg.io._points import EXTRA_PREFIX, as_text, check_path, check_strict, parse_crs_arg
from geo_trygg.io._tabular import check_table_args
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog

__all__ = ["AREA_COLUMNS", "read_areas_file"]

AREA_COLUMNS = ["area_id", "name", "level", "valid_from", "valid_to", "source_row", "geometry"]
"""Canonical columns of accepted areas (catalogue fields and ``src_*`` extras follow)."""

_NAME_KEYS = [
    "name",
    "namn",
    "omradesnamn",
    "omrade",
    "stadsdel",
    "stadsdelsnamn",
    "sdnomarde",
    "sdnomrade",
    "stadsdelsomrade",
    "kommunnamn",
    "lannamn",
    "desonamn",
    "regsonamn",
    "lpo",
    "lokalpolisomrade",
    "platsnamn",
    "plats",
]
_ID_KEYS = [
    "areaid",
    "id",
    "kod",
    "code",
    "objectid",
    "kommunkod",
    "lanskod",
    "desokod",
    "deso",
    "regsokod",
    "omradeskod",
    "specialomradesid",
]
_POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def _levels() -> tuple[str, ...]:
    from geo_trygg.catalogue import AREA_LEVELS

    return tuple(AREA_LEVELS)


def _date_arg(name: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    return check_date(value, name, text=_reader_day)


def _reader_day(text: str) -> dt.datetime | None:
    """A date text read by the readers' rules (``"1/7/2020"``), or None."""
    status, parsed, _ = parse_datetime_value(text)
    return parsed if status == "ok" else None


def _guess_field(fields: list[str], keys: list[str]) -> str | None:
    by_key = {header_key(f): f for f in reversed(fields)}
    for key in keys:
        if key in by_key:
            return by_key[key]
    return None


def _unique_ids(values: pd.Series) -> bool:
    texts = pd.Series([as_text(v) for v in values], dtype=object).dropna()
    return bool(texts.is_unique)


def _check_field(name: str, value: str | None, fields: list[str], path: Path) -> None:
    if value is not None and value not in fields:
        raise ConfigError(
            f"{name}={value!r} is not a field of {path.name}; its fields are: "
            f"{', '.join(map(repr, fields)) or '-'}"
        )


def _polygonal(geom: Any) -> Any:
    """The polygonal part of a geometry (Polygon or MultiPolygon), or None."""
    if geom is None or shapely.is_empty(geom):
        return None
    if shapely.get_type_id(geom) in _POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in _POLYGONAL]
    polys = [q for p in parts for q in shapely.get_parts(p) if not shapely.is_empty(q)]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _finite(geoms: np.ndarray) -> np.ndarray:
    """True per geometry when every coordinate is a finite number (True for None)."""
    present = np.array([g is not None for g in geoms], dtype=bool)
    ok = np.ones(len(geoms), dtype=bool)
    if present.any():
        coords, index = shapely.get_coordinates(geoms[present], return_index=True)
        bad = ~np.isfinite(coords).all(axis=1)
        ok[np.flatnonzero(present)[np.unique(index[bad])]] = False
    return ok


def _reproject(geoms: np.ndarray, src: Any, dst: CRS) -> np.ndarray:
    t = get_transformer(src, dst)

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return np.asarray(shapely.transform(geoms, fn), dtype=object)


def read_areas_file(
    path: Any,
    *,
    source: str | None = None,
    level: str | None = None,
    layer: str | int | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    crs: Any = None,
    to_crs: Any = None,
    valid_from: Any = None,
    valid_to: Any = None,
    encoding: str | None = None,
    strict: bool = False,
) -> IngestResult:
    """Implementation of :func:`geo_trygg.io.readers.read_areas`."""
    target = validate_working_crs(to_crs)
    given = parse_crs_arg(crs)
    check_table_args(encoding, None)
    cat = None
    if source is not None:
        from geo_trygg.catalogue import get_source

        cat = get_source(source)
    if level is not None:
        check_choice("level", level, _levels())
    level = level or (cat.level if cat else None)
    vf = _date_arg("valid_from", valid_from)
    vt = _date_arg("valid_to", valid_to)
    if vf is not None and vt is not None and vt <= vf:
        raise ConfigError(f"valid_to={valid_to!r} must be after valid_from={valid_from!r}")
    p = check_path(path, GEO_EXTENSIONS)
    enc = encoding
    if enc is None and cat is not None and cat.encoding and p.suffix.lower() == ".shp":
        enc = None if p.with_suffix(".cpg").exists() else cat.encoding
    raw = read_geofile(
        p, layer=layer, encoding=enc, layer_hint=cat.layer if cat is not None else None
    )
    fields = [str(f) for f in raw.frame.columns]
    frame = raw.frame.astype(object).where(raw.frame.notna(), None)
    frame.columns = fields
    _check_field("id_column", id_column, fields, p)
    _check_field("name_column", name_column, fields, p)
    notes = [msg("io_note_layer", layer=raw.layer), *raw.notes]
    if cat is not None:
        _check_field(f"source={cat.name!r}: name_field", name_column or cat.name_field, fields, p)
        if id_column is None:
            _check_field(f"source={cat.name!r}: id_field", cat.id_field, fields, p)
        id_col = id_column or cat.id_field
        name_col: str | None = name_column or cat.name_field
    else:
        id_col = id_column
        name_col = name_column or _guess_field([f for f in fields if f != id_col], _NAME_KEYS)
        if id_col is None:
            # a guessed id field that repeats values (e.g. the code of a parent area, such as
            # the LPO code in the police's utsatta områden) is not an id: try the next
            # candidate, then the names or generated ids, instead of rejecting rows
            candidates = [f for f in fields if f != name_col]
            while (guess := _guess_field(candidates, _ID_KEYS)) is not None:
                if _unique_ids(frame[guess]):
                    id_col = guess
                    break
                notes.append(msg("io_note_area_id_not_unique", column=guess))
                candidates.remove(guess)
    log = RejectionLog(strict=False)
    rows = raw.rows

    geoms = raw.geometry.copy()
    finite = _finite(geoms)
    for i, g in enumerate(geoms):
        if g is None or shapely.is_empty(g):
            log.add(int(rows[i]), "geometry", None, msg("io_geometry_missing"))
        elif shapely.get_type_id(g) not in _POLYGONAL:
            reason = msg("io_geometry_not_polygon", geom_type=g.geom_type)
            log.add(int(rows[i]), "geometry", g.geom_type, reason)
        elif not finite[i]:
            # GEOS cannot compute with NaN/inf vertices (GEOSException in is_valid and
            # make_valid); dropping them would change the area, so the feature is rejected
            log.add(int(rows[i]), "geometry", g.geom_type, msg("io_geometry_not_finite"))
            geoms[i] = None
    geoms, swapped, repaired, crs_in, inferred = _geometry(
        geoms, rows, raw.crs, given, cat.crs if cat else None, target, log, notes
    )

    names = pd.Series([as_text(v) for v in frame[name_col]], dtype=object) if name_col else None
    ids = pd.Series([as_text(v) for v in frame[id_col]], dtype=object) if id_col else None
    if names is not None:
        notes.append(msg("io_note_area_name_column", column=name_col))
        for blank in np.flatnonzero(names.isna().to_numpy()):
            log.add(int(rows[blank]), str(name_col), None, msg("io_area_name_missing"))
    area_id = _area_ids(ids, names, rows, p, notes, id_col)
    if names is None:
        names = area_id.copy()
        notes.append(msg("io_note_area_name_from_id"))
    taken = {id_col, name_col}
    level_field = _file_field("level", fields, taken) if level is None else None
    levels = object_array(len(rows), level)
    if level_field is not None:
        levels = _levels_from_file(frame, level_field, rows, log)
        notes.append(msg("io_note_file_field", field=level_field, column="level"))
    elif level is None:
        notes.append(msg("io_note_level_missing"))
    valid: dict[str, pd.Series] = {}
    used = {id_col, name_col, level_field}
    for key, const in (("valid_from", vf), ("valid_to", vt)):
        own = _file_field(key, fields, used)
        valid[key], from_field = _validity(key, const, cat, frame, rows, log, own)
        used.add(from_field)
        if from_field is not None and from_field == own:
            notes.append(msg("io_note_file_field", field=own, column=key))
    first: dict[tuple[str, Any], int] = {}
    for pos, pair in enumerate(zip(area_id, valid["valid_from"], strict=True)):
        if pair in first:
            reason = msg("io_duplicate_id", first=first[pair])
            log.add(int(rows[pos]), str(id_col or "area_id"), pair[0], reason)
        else:
            first[pair] = int(rows[pos])

    check_strict(log, strict)
    bad = np.isin(rows, np.fromiter(log.rows, dtype=np.int64, count=len(log.rows)))
    keep = ~bad
    n_repaired = int((repaired & keep).sum())
    if n_repaired:
        notes.append(msg("io_note_repaired", n=n_repaired))
    out = pd.DataFrame(
        {
            "area_id": area_id.to_numpy(dtype=object)[keep],
            "name": names.to_numpy(dtype=object)[keep],
            "level": levels[keep],
            "valid_from": valid["valid_from"].to_numpy()[keep],
            "valid_to": valid["valid_to"].to_numpy()[keep],
            "source_row": rows[keep].astype(np.int64),
        }
    )
    mapped = dict(cat.fields) if cat else {}
    extras: dict[str, np.ndarray] = {}
    for field_name in fields:
        if field_name in used:
            continue
        column = mapped.get(field_name, EXTRA_PREFIX + field_name)
        if column in AREA_COLUMNS:  # a catalogue field overridden by an argument
            column = EXTRA_PREFIX + field_name
        extras[column] = frame[field_name].to_numpy(dtype=object)[keep]
    # all at once: one column at a time costs time in the square of the number of fields
    out = pd.concat([out, pd.DataFrame(extras, index=out.index, dtype=object)], axis=1)
    gdf = gpd.GeoDataFrame(out, geometry=list(geoms[keep]), crs=target)
    written = list(frame[name_col].to_numpy(dtype=object)[keep]) if name_col else []
    spaced = {i: v for i, v in enumerate(written) if isinstance(v, str) and v != v.strip()}
    if spaced:  # names as written, by row (``name`` is stripped): packs refuse near-duplicates
        gdf.attrs["name_given"] = spaced
    summary = IngestSummary(
        kind="areas",
        source=str(p),
        n_input=len(rows),
        n_accepted=int(keep.sum()),
        n_rejected=int(bad.sum()),
        n_swapped=int((swapped & keep).sum()),
        n_repaired=n_repaired,
        crs_in=crs_in,
        crs_inferred=inferred,
        crs_out=crs_label(target),
        notes=notes,
    )
    return IngestResult(gdf, log.frame(), summary)


def _geometry(
    geoms: np.ndarray,
    rows: np.ndarray,
    file_crs: CRS | None,
    given: CRS | None,
    cat_crs: str | None,
    target: CRS,
    log: RejectionLog,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, bool]:
    """Choose the CRS, reproject, fix swapped features and repair invalid polygons.

    Returns the geometries, the swapped and repaired masks, the input CRS label and whether
    it was inferred.
    """
    usable = np.array(
        [
            g is not None and not shapely.is_empty(g) and shapely.get_type_id(g) in _POLYGONAL
            for g in geoms
        ],
        dtype=bool,
    )
    bounds = shapely.bounds(
        np.array([g if u else None for g, u in zip(geoms, usable, strict=True)])
    )
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2
    src: CRS | None = given
    if given is not None and file_crs is not None and not given.equals(file_crs):
        note = msg("io_note_crs_given_over_file", given=crs_label(given), file=crs_label(file_crs))
        notes.append(note)
    if src is None and file_crs is not None:
        total: tuple[float, float, float, float] = (np.nan, np.nan, np.nan, np.nan)
        if usable.any():
            lo = np.nanmin(bounds[:, :2], axis=0)
            hi = np.nanmax(bounds[:, 2:], axis=0)
            total = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        if crs_plausible(file_crs, total):
            src = file_crs
            notes.append(msg("io_note_crs_file", crs=crs_label(src)))
        else:
            notes.append(msg("io_note_crs_not_degrees", crs=crs_label(file_crs)))
    elif src is None and cat_crs:
        src = CRS.from_user_input(cat_crs)
        notes.append(msg("io_note_crs_catalogue", crs=crs_label(src)))
    res = coords_to_working(
        np.where(usable, cx, np.nan),
        np.where(usable, cy, np.nan),
        crs=src,
        to_crs=target,
        warn=False,
    )
    for note in res.notes:
        if note == msg("crs_local_zone_assumed") or note.startswith(msg("crs_mixed", counts="")):
            warnings.warn(note, GeoTryggWarning, stacklevel=4)
    notes.extend(res.notes)
    outside = usable & ~res.ok
    for i in np.flatnonzero(outside):
        value = f"{cx[i]:.6g} / {cy[i]:.6g}"
        log.add(int(rows[i]), "geometry", value, res.reason[i] or msg("coord_outside_sweden"))
    ok = usable & res.ok
    out = object_array(len(geoms))
    swapped = ok & res.swapped
    work = geoms.copy()
    if swapped.any():
        work[swapped] = shapely.transform(work[swapped], lambda xy: xy[:, ::-1])
    if src is not None:
        out[ok] = _reproject(work[ok], src, target)
        crs_in = crs_label(src)
    else:
        for code in np.unique(res.source_epsg[ok]):
            sel = ok & (res.source_epsg == code)
            out[sel] = _reproject(work[sel], f"EPSG:{int(code)}", target)
        crs_in = res.source_crs_label
    repaired = np.zeros(len(geoms), dtype=bool)
    for i in np.flatnonzero(ok):
        if shapely.is_valid(out[i]):
            continue
        fixed = _polygonal(shapely.make_valid(out[i]))
        if fixed is None:
            log.add(int(rows[i]), "geometry", None, msg("io_geometry_unrepairable"))
        else:
            out[i] = fixed
            repaired[i] = True
    return out, swapped, repaired, crs_in, src is None


def _area_ids(
    ids: pd.Series | None,
    names: pd.Series | None,
    rows: np.ndarray,
    path: Path,
    notes: list[str],
    id_col: str | None,
) -> pd.Series:
    generated = [f"{path.stem}-{int(r)}" for r in rows]
    if ids is not None:
        out = ids.copy()
        blank = out.isna().to_numpy()
        out[blank] = [g for g, b in zip(generated, blank, strict=True) if b]
        notes.append(msg("io_note_area_id", what=repr(id_col)))
        return out
    if names is not None and names.notna().all() and names.is_unique:
        notes.append(msg("io_note_area_id", what=msg("io_area_id_from_name")))
        return names.copy()
    notes.append(msg("io_note_area_id", what=f"{path.stem}-<nr>"))
    return pd.Series(generated, dtype=object)


_FILE_FIELDS = {
    "level": ("level", "niva", "omradesniva", "areatype"),
    "valid_from": ("validfrom", "giltigfran", "giltigfrom", "fromdatum"),
    "valid_to": ("validto", "giltigtill", "giltigtom", "tilldatum"),
}


def _file_field(key: str, fields: list[str], taken: set[str | None]) -> str | None:
    """The file's own field for canonical ``key`` (``level``, ``valid_from``, ``valid_to``)."""
    return _guess_field([f for f in fields if f not in taken], list(_FILE_FIELDS[key]))


def _validity(
    key: str,
    const: dt.date | None,
    cat: Any,
    frame: pd.DataFrame,
    rows: np.ndarray,
    log: RejectionLog,
    own_field: str | None,
) -> tuple[pd.Series, str | None]:
    """Validity dates: argument, catalogue field, catalogue date, the file's own field, NaT."""
    n = len(frame)
    field_name = next((f for f, c in (cat.fields if cat else {}).items() if c == key), None)
    if field_name not in frame.columns:
        field_name = None
    cat_const = getattr(cat, key, None) if cat is not None else None
    if const is None and field_name is None and cat_const is None:
        field_name = own_field
    if const is None and field_name is not None:
        parsed = parse_datetimes(frame[field_name])
        for i in np.flatnonzero(~parsed.ok & ~parsed.missing):
            log.add(int(rows[i]), field_name, frame[field_name].iat[i], parsed.reason(i))
        return parsed.dates(), field_name
    value = const or cat_const
    stamp = pd.Timestamp(value) if value is not None else pd.NaT
    return pd.Series([stamp] * n, dtype="datetime64[ns]"), None


def _levels_from_file(
    frame: pd.DataFrame, field_name: str, rows: np.ndarray, log: RejectionLog
) -> np.ndarray:
    allowed = _levels()
    out = object_array(len(frame))
    for i, value in enumerate(frame[field_name].tolist()):
        text = as_text(value)
        code = text.casefold() if text else None
        if code in allowed:
            out[i] = code
        else:
            reason = msg("io_level_unknown", allowed=", ".join(allowed))
            log.add(int(rows[i]), field_name, value, reason)
    return out
