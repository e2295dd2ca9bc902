"""Measure areas: camera surveillance, ordningsvakt areas (LOV 3 §) and other measures.

A measure area is a polygon with a **kind**, a **name**, the **validity** of its decision
(``valid_from`` … ``valid_to``, both days included) and the **hours** it is in force
(``"23–07"``, ``"fre–lör 22.00–05.00"``, ``"dygnet runt"``). An area decided again (a new
decision, new dates, a new polygon) is a new row: a **version** of the same ``area_id``.
:func:`read_measure_areas` reads such a layer from a GIS file or a GeoDataFrame; every row is
accepted or rejected with its row number and a reason in Swedish (or English).

The hours (:func:`parse_hours`) are wall-clock windows, each on the days it *starts*:

- a window is ``from–to`` in hours (``23``, ``23:00``, ``23.00``); the end is not included
  (an event at 07:00 is outside ``23–07``); ``24`` may end a window (``22–24``);
- ``from`` later than ``to`` crosses midnight: ``23–07`` runs from 23:00 to 07:00 the next
  morning, and belongs to the day it started on;
- ``dygnet runt`` (``hela dygnet``, ``24/7``, ``alltid``) is ``00–24``;
- several windows are separated by ``;``, ``,``, ``och`` or ``samt``;
- days in front of a window limit it to windows *starting* on those days: ``mån``, ``tis``,
  ``ons``, ``tor``, ``fre``, ``lör``, ``sön`` (also written out, plural, or in English),
  ranges (``fre–sön``, ``fre–mån`` wraps over the week), ``vardagar`` (mån–fre) and
  ``helger`` (lör–sön): ``fre–lör 22–05`` is the nights of Friday and Saturday.

The kinds are :data:`MEASURE_AREA_KINDS`: ``camera`` (kamerabevakning), ``ordningsvakt``
(an area under 3 § lagen om ordningsvakter, LOV; such a decision is always for a limited time,
so ``valid_to`` is required) and ``other`` (annan åtgärd). The words are
:func:`geo_trygg.labels.measure_area_kind_names`; the hours in words are
:func:`hours_words`. The computations (in hours and validity, counts, the WDD) are
:mod:`geo_trygg.plan`'s (``measure_area_counts``, ``measure_area_evaluation``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.crs import validate_working_crs
from geo_trygg.io._columns import header_key
from geo_trygg.io._dates import parse_datetime_value
from geo_trygg.io._geofiles import GEO_EXTENSIONS, crs_label, read_geofile
from geo_trygg.io._points import as_text, check_path, parse_crs_arg
from geo_trygg.io.result import IngestResult, IngestSummary, RejectionLog

__all__ = [
    "MEASURE_AREA_COLUMNS",
    "MEASURE_AREA_KINDS",
    "HoursWindow",
    "hours_text",
    "hours_words",
    "parse_hours",
    "read_measure_areas",
]

MEASURE_AREA_KINDS = ("camera", "ordningsvakt", "other")
"""The kinds of measure area: kamerabevakning, ordningsvakter (LOV 3 §), annan åtgärd."""

MEASURE_AREA_COLUMNS = [
    "version_id",
    "area_id",
    "kind",
    "name",
    "valid_from",
    "valid_to",
    "hours",
    "decision",
    "source_row",
]
"""The columns of :func:`read_measure_areas`'s accepted frame (and ``geometry``)."""

DAY_MINUTES = 24 * 60

_KIND_WORDS = {
    "camera": (
        "camera kamera kamerabevakning kameraovervakning kamerabevakat kameraomrade "
        "cctv camerasurveillance video videoovervakning"
    ),
    "ordningsvakt": (
        "ordningsvakt ordningsvakter ordningsvaktsomrade lov lov3 3lov ordningsvakterlov3 "
        "guard guards securityguards"
    ),
    "other": "annan annat annanatgard ovrig ovrigt ovriga atgard other othermeasure",
}
_KINDS_BY_KEY = {word: kind for kind, words in _KIND_WORDS.items() for word in words.split()}

_HEADERS = {
    "kind": "kind typ slag atgardstyp omradestyp type",
    "name": "name namn omrade omradesnamn plats",
    "area_id": "areaid id omradesid omradeid",
    "valid_from": (
        "validfrom giltigfran fran franochmed from start startdatum beslutfran "
        "giltigfrom beslutadfran"
    ),
    "valid_to": ("validto giltigtill till tillochmed tom to slut slutdatum gallertill giltigtom"),
    "hours": "hours tider tid klockslag bevakningstid tidpunkter oppettider time times",
    "decision": (
        "decision beslut diarienummer dnr beslutsid beslutsnummer version arende arendenummer"
    ),
}
_FIELD_BY_KEY = {key: field for field, keys in _HEADERS.items() for key in keys.split()}

# --- the hours -------------------------------------------------------------------------------

_DAYS = {
    0: "mån måndag måndagar mandag mandagar mon monday mondays",
    1: "tis tisdag tisdagar tue tues tuesday tuesdays",
    2: "ons onsdag onsdagar wed wednesday wednesdays",
    3: "tor tors torsdag torsdagar thu thur thurs thursday thursdays",
    4: "fre fredag fredagar fri friday fridays",
    5: "lör lördag lördagar lor lordag lordagar sat saturday saturdays",
    6: "sön söndag söndagar son sondag sondagar sun sunday sundays",
}
_DAY_BY_WORD = {word: day for day, words in _DAYS.items() for word in words.split()}
_DAY_GROUPS = {
    "vardagar": frozenset(range(5)),
    "vardag": frozenset(range(5)),
    "weekdays": frozenset(range(5)),
    "helger": frozenset({5, 6}),
    "helg": frozenset({5, 6}),
    "helgdagar": frozenset({5, 6}),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
    "alla": frozenset(range(7)),
    "dagligen": frozenset(range(7)),
    "daily": frozenset(range(7)),
}
_ALL_DAYS = frozenset(range(7))
_ROUND_THE_CLOCK = re.compile(
    r"dygnet\s+runt|hela\s+dygnet|dygnetrunt|24\s*/\s*7|alltid|heldygn|round\s+the\s+clock"
    r"|all\s+day|24\s*h\b|24\s+timmar"
)
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_WINDOW = re.compile(rf"^(?P<days>[^\d]*?)\s*{_TIME}\s*(?:-|till|to)\s*{_TIME}$")
_SPLIT = re.compile(r"\s*(?:;|,|\boch\b|\bsamt\b|\band\b|&)\s*")


@dataclass(frozen=True, order=True)
class HoursWindow:
    """One window of hours: wall-clock minutes ``start`` to ``end`` on the days it starts.

    Attributes
    ----------
    start : int
        Minutes after midnight the window opens, 0–1439.
    end : int
        Minutes after midnight it closes (not included), 1–1440; ``end <= start`` means the
        window closes the next day (``23–07``: start 1380, end 420).
    days : frozenset of int
        The weekdays (Monday 0 … Sunday 6) a window may *start* on.
    """

    start: int
    end: int
    days: frozenset[int] = _ALL_DAYS

    @property
    def overnight(self) -> bool:
        """The window closes on the day after it opens."""
        return self.end <= self.start

    @property
    def minutes(self) -> int:
        """The window's length in wall-clock minutes."""
        return self.end - self.start + (DAY_MINUTES if self.overnight else 0)


class HoursError(ValueError):
    """Hours text that cannot be read; the message is the reason in the session language."""


def _minutes(hour: str, minute: str | None) -> int:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        shown = hour if minute is None else f"{hour}:{minute}"
        raise HoursError(msg("mlayer_hours_bad_time", value=shown))
    return h * 60 + m


def _days(text: str, whole: str) -> frozenset[int]:
    """The weekdays of a days text (``"fre-lör"``, ``"fre lör"``, ``"vardagar"``)."""
    words = [w for w in re.split(r"[\s/+]+", text.replace(".", " ")) if w]
    found: set[int] = set()
    for word in words:
        parts = [p for p in word.split("-") if p]
        if len(parts) == 1 and parts[0] in _DAY_GROUPS:
            found |= _DAY_GROUPS[parts[0]]
            continue
        if not parts or len(parts) > 2 or any(p not in _DAY_BY_WORD for p in parts):
            raise HoursError(msg("mlayer_hours_bad_days", part=word, value=whole))
        first, last = _DAY_BY_WORD[parts[0]], _DAY_BY_WORD[parts[-1]]
        found |= {(first + i) % 7 for i in range((last - first) % 7 + 1)}
    return frozenset(found)


def parse_hours(text: Any) -> tuple[HoursWindow, ...]:
    """The windows of an hours text, in a stable order.

    Parameters
    ----------
    text : str
        E.g. ``"23–07"``, ``"kl. 22.00–06.00"``, ``"dygnet runt"``, ``"fre–lör 22–05"``,
        ``"07–09; 15–18"`` (the rules are in the module docstring). A blank text is
        ``dygnet runt``.

    Returns
    -------
    tuple of HoursWindow

    Raises
    ------
    HoursError
        (a ``ValueError``) with the reason in the session's language.

    Examples
    --------
    >>> parse_hours("23–07")
    (HoursWindow(start=1380, end=420, days=frozenset({0, 1, 2, 3, 4, 5, 6})),)
    >>> [(w.start, w.end, sorted(w.days)) for w in parse_hours("fre-lör kl 22.00-05.00")]
    [(1320, 300, [4, 5])]
    >>> hours_text(parse_hours("dygnet runt"))
    '00:00-24:00'
    """
    shown = "" if text is None else str(text)
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return (HoursWindow(0, DAY_MINUTES),)
    flat = shown.strip().casefold()
    flat = re.sub(r"[\u2013\u2014\u2212]", "-", flat)
    flat = re.sub(r"\bkl(?:ockan)?\b\.?", " ", flat)
    flat = re.sub(r"\s*-\s*", "-", flat)
    flat = _ROUND_THE_CLOCK.sub(" 00-24", flat).strip()
    if not flat:
        return (HoursWindow(0, DAY_MINUTES),)
    if not re.search(r"\d", flat):  # no clock time at all: days only, or words
        try:
            _days(_SPLIT.sub(" ", flat), shown)
        except HoursError:
            raise HoursError(msg("mlayer_hours_bad", part=shown, value=shown)) from None
        raise HoursError(msg("mlayer_hours_no_time", value=shown))
    windows: list[HoursWindow] = []
    pending: frozenset[int] = frozenset()
    for part in _SPLIT.split(flat):
        if not part:
            continue
        match = _WINDOW.match(part)
        if match is None:
            if re.search(r"\d", part):
                raise HoursError(msg("mlayer_hours_bad", part=part, value=shown))
            pending |= _days(part, shown)  # days only: they belong to the next window
            continue
        start = _minutes(match.group(2), match.group(3))
        end = _minutes(match.group(4), match.group(5))
        if start == DAY_MINUTES:
            raise HoursError(msg("mlayer_hours_bad_time", value=match.group(2)))
        if end == 0:
            end = DAY_MINUTES
        if start == end:
            raise HoursError(msg("mlayer_hours_empty", value=part))
        named = _days(match.group("days").strip(), shown) if match.group("days").strip() else None
        days = (named or frozenset()) | pending
        windows.append(HoursWindow(start, end, days or _ALL_DAYS))
        pending = frozenset()
    if pending:
        raise HoursError(msg("mlayer_hours_no_time", value=shown))
    if not windows:
        raise HoursError(msg("mlayer_hours_bad", part=shown, value=shown))
    return tuple(sorted(set(windows), key=lambda w: (w.start, w.end, sorted(w.days))))


_DAY_CODES = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def _day_runs(days: frozenset[int]) -> list[tuple[int, int]]:
    """The days as runs of consecutive weekdays (Monday first)."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _clock(minutes: int, *, short: bool) -> str:
    h, m = divmod(minutes, 60)
    return f"{h:02d}" if short and m == 0 else f"{h:02d}:{m:02d}"


def hours_text(windows: tuple[HoursWindow, ...]) -> str:
    """The canonical text of ``windows``, which :func:`parse_hours` reads back to the same.

    >>> hours_text(parse_hours("fredag och lördag 22-5; 23.30-24"))
    'fre-lör 22:00-05:00; 23:30-24:00'
    """
    parts = []
    for w in windows:
        clock = f"{_clock(w.start, short=False)}-{_clock(w.end, short=False)}"
        if w.days == _ALL_DAYS:
            parts.append(clock)
            continue
        days = " ".join(
            _DAY_CODES[a] if a == b else f"{_DAY_CODES[a]}-{_DAY_CODES[b]}"
            for a, b in _day_runs(w.days)
        )
        parts.append(f"{days} {clock}")
    return "; ".join(parts)


def hours_words(hours: Any, lang: str | None = None) -> str:
    """The hours in words for a page: ``"kl. 23–07"``, ``"fre–lör kl. 22–05"``, ``"dygnet
    runt"`` (``"23–07"``, ``"Fri–Sat 22–05"``, ``"round the clock"`` in English).

    Parameters
    ----------
    hours : str or tuple of HoursWindow
    lang : {"sv", "en"}, optional

    Examples
    --------
    >>> hours_words("23:00-07:00", "sv"), hours_words("fre-lör 22:00-05:30", "en")
    ('kl. 23–07', 'Fri–Sat 22–05:30')
    """
    windows = parse_hours(hours) if not isinstance(hours, tuple) else hours
    names = msg("mlayer_day_names", lang).split()
    parts = []
    for w in windows:
        if w.start == 0 and w.end == DAY_MINUTES:
            clock = msg("mlayer_round_the_clock", lang)
        else:
            clock = msg(
                "mlayer_hours_clock",
                lang,
                start=_clock(w.start, short=True),
                end=_clock(w.end, short=True),
            )
        if w.days != _ALL_DAYS:
            days = ", ".join(
                names[a] if a == b else f"{names[a]}–{names[b]}" for a, b in _day_runs(w.days)
            )
            clock = f"{days} {clock}"
        parts.append(clock)
    return "; ".join(parts)


# --- the reader ------------------------------------------------------------------------------


def _field_of(columns: list[str]) -> dict[str, str]:
    """``{canonical field: column}`` from the headers (the first column of each field)."""
    found: dict[str, str] = {}
    for column in columns:
        field = _FIELD_BY_KEY.get(header_key(column))
        if field is not None and field not in found:
            found[field] = column
    return found


def _kind(value: Any) -> str | None:
    text = as_text(value)
    return None if text is None else _KINDS_BY_KEY.get(header_key(text.replace("§", "")))


def _day(value: Any) -> tuple[str, dt.date | None]:
    """``("ok", day)``, ``("missing", None)`` or ``("bad", None)``."""
    if isinstance(value, dt.datetime | pd.Timestamp):
        return ("missing", None) if pd.isna(value) else ("ok", value.date())
    if isinstance(value, dt.date):
        return "ok", value
    status, parsed, _ = parse_datetime_value(value)
    if status == "missing":
        return "missing", None
    if status != "ok" or parsed is None:
        return "bad", None
    return "ok", parsed.date()


def _source_crs(frame_crs: Any, given: CRS | None) -> CRS:
    if given is not None:
        return given
    if frame_crs is None:
        raise ConfigError(msg("mlayer_crs_missing"))
    return CRS.from_user_input(frame_crs)


def read_measure_areas(
    source: Any,
    *,
    layer: str | int | None = None,
    crs: Any = None,
    to_crs: Any = None,
    kind: str | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read a layer of measure areas (camera surveillance, ordningsvakter, other measures).

    Columns are found by their headers, Swedish or English (``typ``/``kind``,
    ``namn``/``name``, ``id``, ``giltig_från``/``valid_from``, ``giltig_till``/``valid_to``,
    ``tider``/``hours``, ``beslut``/``diarienummer``/``decision``); the rules of the kinds and
    hours are in the module docstring. A row is **rejected**, with its row number (the
    1-based feature number) and the reason, when its geometry is missing, empty or not a
    polygon; its kind is missing or unknown (and ``kind=`` is not given); ``valid_from`` is
    missing or not a date; ``valid_to`` is not a date or before ``valid_from``; an
    ordningsvakt area has no ``valid_to`` (LOV 3 § decisions are time-limited); its hours
    cannot be read; or an earlier row already has the same area and ``valid_from``. A missing
    name is the ``area_id``; a missing ``area_id`` the name.

    Parameters
    ----------
    source : path or geopandas.GeoDataFrame
        A GeoPackage, GeoJSON or Shapefile, or a GeoDataFrame.
    layer : str or int, optional
        The file's layer (required when it has several).
    crs : optional
        The coordinate system of a source that has none; a source without one and no
        ``crs`` is refused (``ConfigError``): a measure area is never placed by guessing.
    to_crs : optional
        The CRS of the result; the working CRS (EPSG:3006) by default.
    kind : {"camera", "ordningsvakt", "other"}, optional
        The kind of every row without a kind column (a layer of camera areas only).
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first rejected row.

    Returns
    -------
    IngestResult
        ``accepted``: :data:`MEASURE_AREA_COLUMNS` and ``geometry`` in ``to_crs``:
        ``version_id`` (``area_id@valid_from``, unique), ``kind`` (a code), ``valid_from``
        and ``valid_to`` (``datetime.date``; ``valid_to`` None when open), ``hours`` (the
        canonical text of :func:`hours_text`), ``decision`` (text or None), ``source_row``.

    Raises
    ------
    ConfigError
        No CRS, an unknown ``kind``, no kind column and no ``kind``.
    ReadError
        The file cannot be read.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame(
    ...     {"Typ": ["Kamerabevakning", "Ordningsvakter", "Ordningsvakter"],
    ...      "Namn": ["Torget", "Centrum", "Parken"],
    ...      "Giltig från": ["2024-01-01", "2024-06-01", "2024-06-01"],
    ...      "Giltig till": [None, "2025-05-31", None],
    ...      "Tider": ["23-07", "fre-lör 22-05", "dygnet runt"]},
    ...     geometry=[box(0, 0, 100, 100)] * 3, crs="EPSG:3006")
    >>> result = read_measure_areas(frame, to_crs="EPSG:3006")
    >>> result.accepted[["kind", "name", "hours"]].values.tolist()
    [['camera', 'Torget', '23:00-07:00'], ['ordningsvakt', 'Centrum', 'fre-lör 22:00-05:00']]
    >>> result.rejected[["row", "column"]].values.tolist()
    [[3, 'Giltig till']]
    """
    target = validate_working_crs(to_crs)
    given = parse_crs_arg(crs)
    if kind is not None and kind not in MEASURE_AREA_KINDS:
        raise ConfigError(
            msg("mlayer_kind_arg", value=kind, allowed=", ".join(MEASURE_AREA_KINDS))
        )
    notes: list[str] = []
    if isinstance(source, gpd.GeoDataFrame):
        frame = pd.DataFrame(source.drop(columns=source.geometry.name)).reset_index(drop=True)
        geoms = np.asarray(source.geometry.array, dtype=object)
        src = _source_crs(source.crs, given)
        label = "GeoDataFrame"
    else:
        path = check_path(source, GEO_EXTENSIONS)
        raw = read_geofile(path, layer=layer)
        frame, geoms = raw.frame, np.asarray(raw.geometry, dtype=object)
        src = _source_crs(raw.crs, given)
        label = str(path)
        notes += [msg("io_note_layer", layer=raw.layer), *raw.notes]
    fields = _field_of([str(c) for c in frame.columns])
    if "kind" not in fields and kind is None:
        raise ConfigError(
            msg("mlayer_no_kind_column", found=", ".join(map(str, frame.columns)) or "–")
        )
    if "name" not in fields and "area_id" not in fields:
        raise ConfigError(
            msg("mlayer_no_name_column", found=", ".join(map(str, frame.columns)) or "–")
        )
    notes.append(
        msg(
            "mlayer_note_columns",
            columns=", ".join(f"{c} → {f}" for f, c in sorted(fields.items())),
        )
    )

    def cell(field: str, i: int) -> Any:
        column = fields.get(field)
        return None if column is None else frame[column].iloc[i]

    log = RejectionLog(strict=strict)
    rows: list[dict[str, Any]] = []
    kept: list[Any] = []
    seen: dict[tuple[str, dt.date], int] = {}
    if not src.equals(target) and len(geoms):
        present = np.array([g is not None for g in geoms], dtype=bool)
        moved = gpd.GeoSeries(geoms[present], crs=src).to_crs(target)
        geoms = geoms.copy()
        geoms[present] = np.asarray(moved.array, dtype=object)
    for i in range(len(frame)):
        row = i + 1
        problems = log.rows.copy()
        geom = geoms[i]
        if geom is None or shapely.is_empty(geom):
            log.add(row, "geometry", None, msg("mlayer_geometry_empty"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            log.add(row, "geometry", geom.geom_type, msg("mlayer_geometry_not_polygon"))
        elif not geom.is_valid:
            geom = shapely.make_valid(geom)
            if geom.geom_type == "GeometryCollection":
                parts = [p for p in shapely.get_parts(geom) if p.geom_type.endswith("Polygon")]
                geom = shapely.union_all(parts) if parts else None
            if geom is None or shapely.is_empty(geom) or shapely.area(geom) == 0:
                log.add(row, "geometry", None, msg("mlayer_geometry_empty"))
        raw_kind = cell("kind", i)
        code = kind if "kind" not in fields else _kind(raw_kind)
        if code is None and "kind" in fields and as_text(raw_kind) is None and kind is not None:
            code = kind
        if code is None:
            reason = (
                msg("mlayer_kind_missing")
                if as_text(raw_kind) is None
                else msg("mlayer_kind_unknown", value=as_text(raw_kind))
            )
            log.add(row, fields.get("kind", "kind"), raw_kind, reason)
        name = as_text(cell("name", i))
        area_id = as_text(cell("area_id", i)) or name
        name = name or area_id
        if area_id is None:
            log.add(row, fields.get("name", "name"), None, msg("mlayer_name_missing"))
        status, valid_from = _day(cell("valid_from", i))
        if status != "ok":
            log.add(
                row,
                fields.get("valid_from", "valid_from"),
                cell("valid_from", i),
                msg("mlayer_from_missing" if status == "missing" else "mlayer_date_bad"),
            )
        status_to, valid_to = _day(cell("valid_to", i))
        if status_to == "bad":
            log.add(row, fields["valid_to"], cell("valid_to", i), msg("mlayer_date_bad"))
        elif status_to == "missing" and code == "ordningsvakt":
            log.add(
                row, fields.get("valid_to", "valid_to"), None, msg("mlayer_ordningsvakt_no_end")
            )
        if valid_from is not None and valid_to is not None and valid_to < valid_from:
            log.add(
                row,
                fields["valid_to"],
                cell("valid_to", i),
                msg("mlayer_to_before_from", start=valid_from.isoformat()),
            )
        hours_cell = cell("hours", i)
        try:
            windows = parse_hours(hours_cell)
        except HoursError as exc:
            log.add(row, fields["hours"], hours_cell, str(exc))
            windows = ()
        if log.rows != problems:
            continue
        assert area_id is not None
        assert valid_from is not None
        key = (area_id, valid_from)
        if key in seen:
            log.add(
                row,
                fields.get("valid_from", "valid_from"),
                cell("valid_from", i),
                msg("mlayer_version_repeated", row=seen[key], area=area_id),
            )
            continue
        seen[key] = row
        rows.append(
            {
                "version_id": f"{area_id}@{valid_from.isoformat()}",
                "area_id": area_id,
                "kind": code,
                "name": name,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "hours": hours_text(windows),
                "decision": as_text(cell("decision", i)),
                "source_row": row,
            }
        )
        kept.append(geom)
    accepted = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=MEASURE_AREA_COLUMNS),
        geometry=gpd.GeoSeries(kept, crs=target).array if kept else [],
        crs=target,
    )
    accepted["source_row"] = accepted["source_row"].astype("int64")
    rejected = log.frame()
    summary = IngestSummary(
        kind="measure_areas",
        source=label,
        n_input=len(frame),
        n_accepted=len(accepted),
        n_rejected=len(log.rows),
        crs_in=crs_label(src),
        crs_out=crs_label(target),
        notes=notes,
    )
    return IngestResult(accepted=accepted, rejected=rejected, summary=summary)
