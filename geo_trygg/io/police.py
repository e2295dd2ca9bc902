"""Reader for the Swedish Police public events API (``polisen.se/api/events``).

A record looks like::

    {"id": 409554, "datetime": "2023-03-20 11:58:36 +01:00",
     "name": "20 mars 10:42, Ofredande/förargelse, Stockholm",
     "summary": "Polis kallas till Vasastaden ...", "url": "/aktuellt/handelser/2023/mars/20/...",
     "type": "Ofredande/förargelse",
     "location": {"name": "Stockholm", "gps": "59.329324,18.068581"}}

Two traps, both real, and how this reader handles them:

*Times.* ``datetime`` is when the press office **published** the event; it is kept as
``published``. The incident time is the day, month and time at the start of ``name``
(``"20 mars 10:42"``; the time may be written ``10:42`` or ``10.42``, the hour with one or two
digits). The year is not written: it is the year, among the publication year and the years
before and after it, that puts the incident nearest the publication time, so
``"31 december 23.40"`` published ``2024-01-01 00:30 +01:00`` is 2023-12-31. Local times are
made time-zone aware in Europe/Stockholm deterministically:

- a time that does not exist (skipped by the spring change, e.g. 02:30 on the last Sunday of
  March) is read in the offset before the change, i.e. moved one hour forward (03:30 CEST);
- a time that occurs twice (the autumn change, 02:00--02:59 on the last Sunday of October) is
  the later occurrence (CET) when that is not after publication, otherwise the earlier (CEST).

When ``name`` has no readable time (or an impossible date such as 31 februari) the row is
kept, not rejected: its ``time_from``/``time_to`` are the publication time and the summary notes
name those rows. A handful of real events have a title time later than their publication (an
announced exercise, or a wrong day in the title); they are kept as written and counted in the
notes.

*Places.* ``gps`` (``"lat,lon"``, latitude first: this is the API's documented order, not a
swap) is the centre of the kommun or län named in ``location.name`` -- never the place of the
incident. Rows whose ``location.name`` ends in " län" get ``location_precision = "lan"`` and no
``kommun``; the others get ``"kommun"`` and ``kommun = location.name``. No row is ever
``"exact"``. The point is kept as the geometry (it is a centroid, and the precision says so).
Since January 2026 the API names only the län; the kommun then appears only at the end of
``name``, which is part of ``text``, where the area join can match it by name.

Rejected (with a reason per problem; nothing is dropped silently): entries that are not JSON
objects; a missing or non-integer/non-text ``id``; a missing or unreadable ``datetime``; a
missing ``location``, ``location.name`` or ``location.gps``; a ``gps`` that is not two numbers,
or lies outside Sweden (the geometry column must hold valid points); and later rows that repeat
an ``id`` already accepted (the first is kept).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, GeoTryggWarning, ReadError
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.crs import coords_to_working, validate_working_crs
from geo_trygg.io._schema import EVENT_COLUMNS
from geo_trygg.io.duplicates import flag_duplicates
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog
from geo_trygg.io.unmapped import say_unmapped
from geo_trygg.vocab.events import map_event_categories, validate_category_map

__all__ = ["EVENT_COLUMNS", "POLICE_URL", "TZ", "parse_incident_time", "read_police_events"]

TZ = "Europe/Stockholm"
POLICE_URL = "https://polisen.se"

"""Columns of the accepted events, in order (see ``docs/data-model.md``)."""

TEXT_SEPARATOR = "\n"
"""Between ``name`` and ``summary`` in the ``text`` column (one line each)."""

_MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_NAME_TIME = re.compile(
    r"^\s*(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?\s+(?P<hour>\d{1,2})\s*[.:]\s*(?P<minute>\d{2})\b"
)
_PUBLISHED_FORMAT = "%Y-%m-%d %H:%M:%S %z"
_MAX_LISTED_ROWS = 20
_SHIFT = pd.Timedelta(hours=1)  # a local time skipped in spring is read in the winter offset
_FIRST_YEAR, _LAST_YEAR = 1678, 2261  # publication years handled (pandas: 1677-09-21–2262-04-11)
_MAX_DEPTH = 500  # a nesting depth no events file comes near; json stops near 1,000


# --------------------------------------------------------------------------- times


def _to_published(values: pd.Series) -> pd.Series:
    """Parse ``datetime`` strings to Europe/Stockholm; NaT where unreadable.

    The API form ``"2023-03-20 9:15:00 +01:00"`` is parsed in one vectorised pass; anything
    else is tried as an ISO timestamp (a time without an offset is read as Swedish local time).
    """
    text = values.map(lambda v: v.strip() if isinstance(v, str) else None)
    out = pd.to_datetime(text, format=_PUBLISHED_FORMAT, errors="coerce", utc=True)
    for i in np.flatnonzero(out.isna().to_numpy() & text.notna().to_numpy()):
        out.iloc[i] = _parse_one_published(text.iloc[i])
    out = out.dt.tz_convert(TZ)
    # near pandas' limits (1677/2262) the incident-time arithmetic would overflow silently
    years = out.dt.year
    return out.mask((years < _FIRST_YEAR) | (years > _LAST_YEAR))


def _parse_one_published(value: str) -> Any:
    try:
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return pd.NaT
        # pandas reads years 1–9999 in coarser units; the columns hold nanoseconds
        ts = ts.as_unit("ns")
        if ts.tzinfo is None:
            ts = ts.tz_localize(TZ, ambiguous="NaT", nonexistent=pd.Timedelta(hours=1))
        return ts if pd.isna(ts) else ts.tz_convert("UTC")
    except (ValueError, TypeError, OverflowError):  # OutOfBoundsDatetime is a ValueError
        return pd.NaT


def _out_of_range(value: Any) -> bool:
    """True for a time that can be read but lies outside the years 1678–2261."""
    try:
        ts = pd.Timestamp(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, OverflowError):
        return False
    if pd.isna(ts):
        return False
    # a margin of a year: the local time of a value on the edge may lie in the year outside
    return not _FIRST_YEAR < ts.year < _LAST_YEAR


def _incident_times(names: pd.Series, published: pd.Series) -> pd.Series:
    """Vectorised incident times from ``name`` and ``published`` (see the module docstring).

    Parameters
    ----------
    names : pandas.Series of str or None
    published : pandas.Series of datetime64[ns, Europe/Stockholm]
        Same index as ``names``.

    Returns
    -------
    pandas.Series of datetime64[ns, Europe/Stockholm]
        NaT where ``name`` has no readable day, month and time, or the date is impossible.
    """
    index = names.index
    parts = names.map(lambda v: v if isinstance(v, str) else "").str.extract(_NAME_TIME)
    month = parts["month"].str.casefold().map(_MONTHS)
    day = pd.to_numeric(parts["day"], errors="coerce")
    hour = pd.to_numeric(parts["hour"], errors="coerce")
    minute = pd.to_numeric(parts["minute"], errors="coerce")
    pub_local = published.dt.tz_localize(None)  # wall-clock time of publication
    ok = month.notna() & pub_local.notna() & (hour <= 23) & (minute <= 59)
    n = len(names)
    best = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if ok.any():
        year0 = pub_local.dt.year
        candidates = []
        for shift in (-1, 0, 1):
            frame = pd.DataFrame(
                {
                    "year": (year0 + shift).where(ok),
                    "month": month.where(ok),
                    "day": day.where(ok),
                    "hour": hour.where(ok),
                    "minute": minute.where(ok),
                }
            )
            candidates.append(pd.to_datetime(frame, errors="coerce"))
        gaps = np.column_stack(
            [(c - pub_local).abs().to_numpy(dtype="timedelta64[ns]") for c in candidates]
        ).astype("int64")
        nat = np.iinfo(np.int64).min  # NaT as int64
        gaps = np.where(gaps == nat, np.iinfo(np.int64).max, gaps)
        choice = gaps.argmin(axis=1)
        stacked = np.column_stack([c.to_numpy(dtype="datetime64[ns]") for c in candidates])
        best = pd.Series(stacked[np.arange(n), choice], index=index)
    naive = pd.DatetimeIndex(best)
    later = naive.tz_localize(TZ, ambiguous=np.zeros(n, dtype=bool), nonexistent=_SHIFT)
    earlier = naive.tz_localize(TZ, ambiguous=np.ones(n, dtype=bool), nonexistent=_SHIFT)
    pub = pd.DatetimeIndex(published)
    use_later = np.asarray(later <= pub) | np.asarray(pub.isna())
    utc_ns = np.where(use_later, later.asi8, earlier.asi8).astype("datetime64[ns]")
    return pd.Series(pd.DatetimeIndex(utc_ns).tz_localize("UTC").tz_convert(TZ), index=index)


def parse_incident_time(name: str, published: pd.Timestamp | datetime | str) -> pd.Timestamp:
    """The incident time written at the start of a police event's ``name``.

    Parameters
    ----------
    name : str
        The event title, e.g. ``"20 mars 10:42, Ofredande/förargelse, Stockholm"``; the time may
        be written with ``:`` or ``.`` and the hour with one or two digits.
    published : pandas.Timestamp, datetime or str
        The publication time (the API's ``datetime``); gives the year. A time without a time
        zone is read as Europe/Stockholm local time.

    Returns
    -------
    pandas.Timestamp
        Time-zone aware (Europe/Stockholm). The year is the one (publication year, or one year
        before or after) that puts the incident nearest the publication; for local times that do
        not exist or occur twice, see the module docstring.

    Raises
    ------
    ConfigError
        When ``published`` cannot be read, or ``name`` has no readable day, month and time.

    Examples
    --------
    >>> parse_incident_time("20 mars 10:42, Ofredande/förargelse, Stockholm",
    ...                     "2023-03-20 11:58:36 +01:00")
    Timestamp('2023-03-20 10:42:00+0100', tz='Europe/Stockholm')
    >>> parse_incident_time("31 december 23.40, Brand, Stockholm", "2024-01-01 00:30:00 +01:00")
    Timestamp('2023-12-31 23:40:00+0100', tz='Europe/Stockholm')
    """
    if isinstance(published, datetime):  # pandas.Timestamp is a datetime too
        ts = pd.Timestamp(published)
        ts = ts if ts.tzinfo else ts.tz_localize(TZ, ambiguous="NaT", nonexistent=_SHIFT)
        pub = pd.Series([ts]).dt.tz_convert(TZ) if not pd.isna(ts) else pd.Series([pd.NaT])
    else:
        pub = _to_published(pd.Series([published], dtype=object))
    if pub.isna().iloc[0]:
        raise ConfigError(f"published={published!r} is not a readable time")
    result = _incident_times(pd.Series([name], dtype=object), pub).iloc[0]
    if pd.isna(result):
        raise ConfigError(
            f"name={name!r} does not start with a day, a Swedish month and a time, "
            "e.g. '20 mars 10:42, ...'"
        )
    return pd.Timestamp(result)


# --------------------------------------------------------------------------- input


def _load(path_or_records: Any) -> tuple[list[Any], str]:
    if isinstance(path_or_records, (str, PathLike)):
        path = Path(path_or_records)
        if not path.is_file():
            raise ReadError(msg("police_file_missing", path=str(path)))
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except RecursionError:
            raise ReadError(msg("police_json_too_deep", depth=_MAX_DEPTH)) from None
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError; too long numbers
            raise ReadError(msg("police_json_invalid", error=str(exc))) from None
        except OSError as exc:
            raise ReadError(msg("io_cannot_open", path=str(path), error=str(exc))) from None
        source = str(path)
    elif isinstance(path_or_records, Mapping):
        raise ReadError(msg("police_not_a_list"))
    elif isinstance(path_or_records, Iterable):
        data = list(path_or_records)
        source = "<records>"
    else:
        raise ConfigError(
            f"path_or_records={path_or_records!r} must be the path of a JSON file or a list of "
            "event records (dicts)"
        )
    if not isinstance(data, list):
        raise ReadError(msg("police_not_a_list"))
    return data, source


def _get(record: Any, *keys: str) -> Any:
    value = record
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_or_none(value: Any) -> str | None:
    if _blank(value):
        return None
    return str(value).strip()


def _event_id(value: Any) -> str | None:
    """The id as text, or None when it is neither a whole number nor a non-empty text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _split_gps(value: Any) -> tuple[str | None, str | None, bool]:
    """``"lat,lon"`` -> (lat, lon, well_formed)."""
    if _blank(value):
        return None, None, True
    parts = str(value).split(",")
    if len(parts) != 2:
        return None, None, False
    return parts[0].strip(), parts[1].strip(), True


def _rows_text(rows: Iterable[int]) -> str:
    rows = sorted(rows)
    shown = ", ".join(str(r) for r in rows[:_MAX_LISTED_ROWS])
    return shown + (" …" if len(rows) > _MAX_LISTED_ROWS else "")


# --------------------------------------------------------------------------- reader


def read_police_events(
    path_or_records: str | PathLike[str] | Iterable[Mapping[str, Any]],
    *,
    to_crs: Any = None,
    category_map: pd.DataFrame | str | PathLike[str] | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read police events API JSON into canonical events.

    Parameters
    ----------
    path_or_records : str, path or list of dict
        A JSON file holding the API's array of events, or the already-parsed records.
    to_crs : CRS-like, optional
        Metric working CRS of the result; ``settings.working_crs`` (EPSG:3006) by default.
    category_map : pandas.DataFrame or path to a CSV, optional
        Extra ``source, source_type, category`` rows for the police types; they win over the
        built-in table (``geo_trygg/vocab/event_type_map.csv``).
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first row that would be rejected.

    Returns
    -------
    IngestResult
        ``accepted`` has the event columns of ``docs/data-model.md`` (:data:`EVENT_COLUMNS`),
        ``source = "polis"``, ``location_precision`` ``"kommun"`` or ``"lan"`` (never
        ``"exact"``), in input order with a fresh index; ``rejected`` one line per problem.

    Raises
    ------
    ConfigError
        When ``to_crs`` is not a metric CRS or ``category_map`` is invalid (before reading).
    ReadError
        When the file is missing, not JSON, or not a list of events.
    RowError
        In strict mode, at the first rejected row.

    Examples
    --------
    >>> records = [{"id": 1, "datetime": "2023-03-20 11:58:36 +01:00",
    ...             "name": "20 mars 10:42, Misshandel, Stockholm", "summary": "Slagsmål.",
    ...             "url": "/aktuellt/handelser/1/", "type": "Misshandel",
    ...             "location": {"name": "Stockholm", "gps": "59.329324,18.068581"}}]
    >>> result = read_police_events(records)
    >>> row = result.accepted.iloc[0]
    >>> row["category"], row["location_precision"], str(row["time_from"])
    ('violence', 'kommun', '2023-03-20 10:42:00+01:00')
    """
    target = validate_working_crs(to_crs)
    cmap = validate_category_map(category_map) if category_map is not None else None
    data, source_label = _load(path_or_records)
    log = RejectionLog(strict=strict)
    n = len(data)
    rows = np.arange(1, n + 1)

    ids: list[str | None] = [None] * n
    names: list[str | None] = [None] * n
    raw_dt: list[Any] = [None] * n
    loc_names: list[str | None] = [None] * n
    lats: list[str | None] = [None] * n
    lons: list[str | None] = [None] * n
    problem = np.zeros(n, dtype=bool)
    has_location = np.zeros(n, dtype=bool)
    gps_malformed = np.zeros(n, dtype=bool)

    def reject(i: int, column: str, value: Any, reason: str) -> None:
        problem[i] = True
        log.add(int(rows[i]), column, value, reason)

    for i, record in enumerate(data):
        if not isinstance(record, Mapping):
            reject(i, "record", _short(record), msg("police_not_a_record"))
            continue
        raw_id = record.get("id")
        ids[i] = _event_id(raw_id)
        if ids[i] is None:
            reason = msg("police_id_missing" if _blank(raw_id) else "police_id_invalid")
            reject(i, "id", raw_id, reason)
        raw_dt[i] = record.get("datetime")
        if _blank(raw_dt[i]):
            reject(i, "datetime", raw_dt[i], msg("police_datetime_missing"))
        names[i] = _text_or_none(record.get("name"))
        location = record.get("location")
        if not isinstance(location, Mapping):
            reject(i, "location", _short(location), msg("police_location_missing"))
            continue
        has_location[i] = True
        loc_names[i] = _text_or_none(location.get("name"))
        if loc_names[i] is None:
            reject(i, "location.name", location.get("name"), msg("police_location_name_missing"))
        lat, lon, well_formed = _split_gps(location.get("gps"))
        if not well_formed:
            gps_malformed[i] = True
            reject(i, "location.gps", location.get("gps"), msg("police_gps_invalid"))
        lats[i], lons[i] = lat, lon

    # Publication times (vectorised).
    published = _to_published(pd.Series(raw_dt, dtype=object))
    for k in np.flatnonzero(published.isna().to_numpy()):
        if isinstance(data[k], Mapping) and not _blank(raw_dt[k]):
            out_of_range = _out_of_range(raw_dt[k])
            reason = msg(
                "police_datetime_out_of_range" if out_of_range else "police_datetime_invalid"
            )
            reject(int(k), "datetime", raw_dt[k], reason)

    # Coordinates: "lat,lon" in WGS 84 -> working CRS.
    coords = coords_to_working(lons, lats, crs="EPSG:4326", to_crs=target, warn=False)
    for k in np.flatnonzero(~coords.ok & has_location & ~gps_malformed):
        gps = _get(data[k], "location", "gps")
        reject(int(k), "location.gps", gps, coords.reason[k] or msg("coord_outside_sweden"))

    # Repeated ids: the first otherwise good row is kept.
    first_row: dict[str, int] = {}
    for i in range(n):
        if problem[i] or ids[i] is None:
            continue
        key = ids[i]
        assert key is not None
        if key in first_row:
            reject(i, "id", data[i].get("id"), msg("police_duplicate_id", row=first_row[key]))
        else:
            first_row[key] = int(rows[i])

    keep = ~problem
    idx = np.flatnonzero(keep)
    accepted, fallback = _build_frame(
        data, idx, ids, names, loc_names, published, coords, target, cmap
    )
    accepted["source_row"] = rows[idx].astype("int64")
    accepted["duplicate_group"] = flag_duplicates(accepted).to_numpy(dtype=object)
    accepted = accepted[EVENT_COLUMNS]

    notes = _notes(accepted, fallback)
    rejected = log.frame()
    summary = IngestSummary(
        kind="events",
        source=source_label,
        n_input=n,
        n_accepted=len(accepted),
        n_rejected=rejected["row"].nunique(),
        n_swapped=int(accepted["coords_swapped"].sum()),
        crs_in="EPSG:4326",
        crs_inferred=False,
        crs_out=target.to_string(),
        notes=notes,
    )
    return say_unmapped(
        IngestResult(accepted=accepted, rejected=rejected, summary=summary), "events"
    )


def _short(value: Any, limit: int = 80) -> Any:
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    try:
        text = repr(value)
    except RecursionError:  # a value nested deeper than repr goes
        text = f"<{type(value).__name__} …>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build_frame(
    data: list[Any],
    idx: np.ndarray,
    ids: list[str | None],
    names: list[str | None],
    loc_names: list[str | None],
    published: pd.Series,
    coords: Any,
    target: Any,
    cmap: pd.DataFrame | None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    recs = [data[i] for i in idx]
    name_s = pd.Series([names[i] for i in idx], dtype=object)
    summaries = [_text_or_none(r.get("summary")) for r in recs]
    texts = [
        TEXT_SEPARATOR.join(p for p in (nm, sm) if p) or None
        for nm, sm in zip(name_s, summaries, strict=True)
    ]
    urls = [_url(r.get("url")) for r in recs]
    types = pd.Series([_text_or_none(r.get("type")) for r in recs], dtype=object)
    loc = [loc_names[i] for i in idx]
    is_lan = [normalize_name(v).endswith(" län") for v in loc]
    pub = published.iloc[idx].reset_index(drop=True)
    incident = _incident_times(name_s, pub)
    fallback = incident.isna().to_numpy()
    incident = incident.where(~incident.isna(), pub)
    frame = pd.DataFrame(
        {
            "event_id": pd.Series([ids[i] for i in idx], dtype=object),
            "time_from": incident,
            "time_to": incident.copy(),
            "published": pub,
            "category": map_event_categories(types, source="polis", category_map=cmap),
            "source_type": types,
            "source": pd.Series(["polis"] * len(idx), dtype=object),
            "location_precision": pd.Series(
                ["lan" if lan else "kommun" for lan in is_lan], dtype=object
            ),
            "location_name": pd.Series(loc, dtype=object),
            "kommun": pd.Series(
                [None if lan else v for v, lan in zip(loc, is_lan, strict=True)], dtype=object
            ),
            "duplicate_group": pd.Series([None] * len(idx), dtype=object),
            "text": pd.Series(texts, dtype=object),
            "url": pd.Series(urls, dtype=object),
            "coords_swapped": coords.swapped[idx].astype(bool),
        }
    )
    geometry = gpd.points_from_xy(coords.x[idx], coords.y[idx], crs=target)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=target), fallback


def _url(value: Any) -> str | None:
    text = _text_or_none(value)
    if text is None:
        return None
    if text.startswith("/"):
        return POLICE_URL + text
    return text


def _notes(accepted: gpd.GeoDataFrame, fallback: np.ndarray) -> list[str]:
    """Summary notes; the time fallback is an assumption and is also warned."""
    precision = accepted["location_precision"]
    notes = [
        msg(
            "police_centroid_note",
            n_kommun=int((precision == "kommun").sum()),
            n_lan=int((precision == "lan").sum()),
        )
    ]
    if fallback.any():
        rows = accepted["source_row"].to_numpy()[fallback]
        note = msg("police_time_fallback", n=len(rows), rows=_rows_text(rows))
        notes.append(note)
        warnings.warn(note, GeoTryggWarning, stacklevel=3)
    after = (accepted["time_from"] > accepted["published"]).to_numpy()
    if after.any():
        rows = accepted["source_row"].to_numpy()[after]
        notes.append(msg("police_time_after_published", n=len(rows), rows=_rows_text(rows)))
    return notes
