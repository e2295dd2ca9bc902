"""Events (incidents and reports) from CSV, Excel or point files (private).

Police events API JSON is detected (a ``.json`` file whose content starts with ``[``) and
handed to :func:`geo_trygg.io.police.read_police_events`.

Times (see ``docs/data-model.md``, Events), row by row:

- the start comes from the ``time_from`` column (``från``, ``tid``, ``tidpunkt``…); when that
  is blank or absent, from the ``date`` column (``datum``) plus the ``clock`` column
  (``klockslag``) if any. A start that is a time of day only (``22:15``) takes its date from
  the ``date`` column; without one the row is rejected.
- the end comes from the ``time_to`` column (``till``, ``t.o.m.``…). An end that is a time of
  day only is on the start's date, or the next day when it is earlier than the start (a night
  window such as 22:00–06:00; counted in a note). An end that is a date only means the end of
  that day (the following midnight).
- without an end, a start with a time of day is a single time (``time_to == time_from``); a
  start that is a date only is the window of that whole day, ``[00:00, next 00:00)`` (counted
  in a note).
- an end before the start rejects the row. Times are Europe/Stockholm wall-clock times, daylight
  saving handled as documented in ``_dates`` (ambiguous → summer time, nonexistent → +1 h).
- slash dates (``10/4/2025``) are read day or month first by the file's other slash dates in
  any of its date columns (``_dates``, :func:`~geo_trygg.io._dates.parse_date_columns`), day
  first when none decides; a note says how ambiguous dates were read.

Other columns: ``published`` optional (a value that is not a time rejects the row);
``source`` from ``source=`` (wins), else the source column mapped with
:func:`geo_trygg.vocab.events.map_sources` (unknown texts → ``annan``, counted), else ``annan``;
``category`` from the ``source_type`` column with
:func:`geo_trygg.vocab.events.map_event_categories`; ``location_precision`` from its column
(``exakt``/``adress``/``stadsdel``/``kommun``/``län`` or the codes), ``exact`` when blank,
an unknown value rejects the row; ``event_id`` as text, ``"<file name>-<source_row>"`` when
absent, repeats rejected after the first; ``duplicate_group`` from
:func:`geo_trygg.io.duplicates.flag_duplicates`.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from geo_trygg._arrays import object_array
from geo_trygg._labels import msg
from geo_trygg.crs import validate_working_crs
from geo_trygg.io._dates import (
    STOCKHOLM,
    ParsedTimes,
    day_month_note_of,
    localize_stockholm,
    parse_clock,
    parse_date_columns,
)
from geo_trygg.io._findings import check_reader_args
from geo_trygg.io._points import (
    CountedNotes,
    PointInput,
    RowLog,
    as_text,
    finish,
    load_points,
    locate,
    log_problems,
    reject_repeated_ids,
    require,
)
from geo_trygg.io._schema import EVENT_COLUMNS
from geo_trygg.io.result import IngestResult, RejectionLog
from geo_trygg.io.unmapped import say_unmapped
from geo_trygg.vocab.findings import normalize_text

__all__ = ["EVENT_COLUMNS", "LOCATION_PRECISIONS", "is_police_json", "read_events_file"]


LOCATION_PRECISIONS = ("exact", "address", "stadsdel", "kommun", "lan")
_PRECISION_WORDS = {
    **dict.fromkeys(("exact", "exakt", "punkt", "gps", "koordinat"), "exact"),
    **dict.fromkeys(("address", "adress", "gatuadress", "gata"), "address"),
    **dict.fromkeys(("stadsdel", "district", "område", "omrade"), "stadsdel"),
    **dict.fromkeys(("kommun", "municipality"), "kommun"),
    **dict.fromkeys(("lan", "län", "county", "region"), "lan"),
}
_DAY = dt.timedelta(days=1)


def is_police_json(path: Path) -> bool:
    """True for a ``.json`` file whose first non-blank character is ``[`` (a JSON array)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


_F = TypeVar("_F", bound=Callable[..., Any])


def _gc_paused(func: _F) -> _F:
    """Run ``func`` with Python's cyclic garbage collector paused (issue 11, speed).

    Reading a large file makes millions of lists and strings, none of them in reference
    cycles; every few hundred of them the collector would walk all objects alive, a third of
    the time of reading a million rows. Whatever cycles arise meanwhile are collected after.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper  # type: ignore[return-value]


@_gc_paused
def read_events_file(
    path: Any,
    *,
    columns: Mapping[str, str] | None = None,
    crs: Any = None,
    to_crs: Any = None,
    sheet: str | int | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    source: str | None = None,
    category_map: Any = None,
    strict: bool = False,
) -> IngestResult:
    """Implementation of :func:`geo_trygg.io.readers.read_events`."""
    from geo_trygg.vocab.events import check_source, validate_category_map

    validate_working_crs(to_crs)
    if is_police_json(Path(path)):
        from geo_trygg.io.police import read_police_events

        return read_police_events(
            Path(path), to_crs=to_crs, category_map=category_map, strict=strict
        )
    p, columns, src_crs, target = check_reader_args(
        path, columns=columns, crs=crs, to_crs=to_crs, encoding=encoding, sep=sep
    )
    source_code = check_source(source) if source is not None else None
    if category_map is not None:
        validate_category_map(category_map)
    pin = load_points(
        p, "events", columns=columns, sheet=sheet, layer=layer, encoding=encoding, sep=sep
    )
    require(pin, ("time_from", "date"), msg("io_what_time"))
    log = RejectionLog(strict=False)
    log_problems(pin, log)
    loc = locate(pin, src_crs, target, log)
    rl = RowLog(log, pin)
    f, c = pin.frame, pin.cols
    notes: list[str] = []

    counted: CountedNotes = []
    parsed = _parse_dates(pin, notes)
    time_from, time_to = _times(pin, rl, notes, counted, parsed[:3])
    published = _published(pin, rl, notes, parsed[3])
    sources = _sources(pin, source_code, notes)
    source_type = pin.text("source_type")
    if c.get("source_type") is None:
        notes.append(msg("io_note_no_source_type"))
    category = _categories(source_type, sources, category_map)
    precision = _precision(pin, rl)
    event_id = pin.text("event_id")
    blank = event_id.isna().to_numpy()
    if blank.any():
        event_id[blank] = [f"{p.stem}-{int(r)}" for r in pin.rows[blank]]
        what = msg("io_id_prefix_file", stem=p.stem)
        notes.append(msg("io_note_ids_generated", n=int(blank.sum()), prefix=p.stem, what=what))
    reject_repeated_ids(event_id, c.get("event_id") or "event_id", pin.rows, rl)

    canonical = pd.DataFrame(
        {
            "event_id": event_id.to_numpy(dtype=object),
            "time_from": time_from,
            "time_to": time_to,
            "published": published,
            "category": category.to_numpy(dtype=object),
            "source_type": source_type.to_numpy(dtype=object),
            "source": sources.to_numpy(dtype=object),
            "location_precision": precision.to_numpy(dtype=object),
            "location_name": pin.text("location_name").to_numpy(dtype=object),
            "kommun": pin.text("kommun").to_numpy(dtype=object),
            "duplicate_group": object_array(len(f)),
            "text": pin.text("text").to_numpy(dtype=object),
            "url": pin.text("url").to_numpy(dtype=object),
        },
        index=f.index,
    )
    result = finish("events", pin, canonical, loc, log, notes, strict=strict, counted=counted)
    _flag_duplicates(result)
    return say_unmapped(result, "events")


def _column(frame: pd.DataFrame, col: str | None) -> list[Any]:
    return frame[col].tolist() if col else [None] * len(frame)


def _blank(value: Any) -> bool:
    return as_text(value) is None


def _parse_dates(pin: PointInput, notes: list[str]) -> list[ParsedTimes]:
    """The date columns (time_from, time_to, date, published) parsed with one day/month order
    for the file (:func:`geo_trygg.io._dates.parse_date_columns`), with its note."""
    f, c = pin.frame, pin.cols
    names = ("time_from", "time_to", "date", "published")
    parsed, order = parse_date_columns([_column(f, c.get(name)) for name in names])
    note = day_month_note_of(parsed, order)
    if note:
        notes.append(note)
    return parsed


def _times(
    pin: PointInput,
    rl: RowLog,
    notes: list[str],
    counted: CountedNotes,
    parsed: list[ParsedTimes],
) -> tuple[pd.Series, pd.Series]:
    f, c = pin.frame, pin.cols
    n = len(f)
    tf_col, tt_col, d_col, k_col = (c.get(k) for k in ("time_from", "time_to", "date", "clock"))
    tf_raw, tt_raw, k_raw = _column(f, tf_col), _column(f, tt_col), _column(f, k_col)
    tf, tt, day = parsed
    starts: list[dt.datetime | None] = [None] * n
    ends: list[dt.datetime | None] = [None] * n
    next_day = np.zeros(n, dtype=bool)
    whole_day = np.zeros(n, dtype=bool)
    end_missing = np.asarray(tt.missing, dtype=bool) if tt_col else np.ones(n, dtype=bool)
    # the common rows at once: a full date(-time) from, and no end or a full date(-time) end
    # (what the loop below does for them: no clock alone can start with a 4-digit year).
    # Plain ISO text read at once (tf.fast, tt.fast) is done with arrays, the rest one by one.
    simple = np.zeros(n, dtype=bool)
    end_dated = np.zeros(n, dtype=bool)
    if tf_col and not d_col:
        simple = tf.fast | _dated(tf_raw, tf.ok & ~tf.fast)
    if tt_col:
        end_dated = tt.fast | _dated(tt_raw, tt.ok & ~tt.fast)
    simple &= end_missing | end_dated
    vector = simple & tf.fast & (end_missing | tt.fast)
    day_ns = np.timedelta64(1, "D")
    start64 = np.where(vector, tf.stamps, np.datetime64("NaT"))
    end64 = np.where(
        vector & end_dated,
        np.where(tt.has_time, tt.stamps, tt.stamps + day_ns),
        np.where(tf.has_time, start64, start64 + day_ns),
    )
    end64 = np.where(vector, end64, np.datetime64("NaT")).astype("datetime64[ns]")
    whole_day |= vector & ~end_dated & ~tf.has_time
    for i in np.flatnonzero(simple & ~vector):
        start = tf.value(i)
        assert start is not None
        starts[i] = start
        if end_dated[i]:
            end = tt.value(i)
            assert end is not None
            ends[i] = end if tt.has_time[i] else end + _DAY
        elif tf.has_time[i]:
            ends[i] = start
        else:
            ends[i] = start + _DAY
            whole_day[i] = True
    for i in np.flatnonzero(~simple):
        clock = parse_clock(tf_raw[i]) if tf_col else None
        if d_col and not day.ok[i] and not day.missing[i]:
            rl.add(i, d_col, f[d_col].iat[i], day.reason(i))
            continue
        the_day = day.value(i) if day.ok[i] else None
        if tf_col and not tf.missing[i] and clock is None:
            if not tf.ok[i]:
                rl.add(i, tf_col, tf_raw[i], tf.reason(i, with_time=True))
                continue
            start, has_time = tf.value(i), bool(tf.has_time[i])
        else:
            if clock is None and k_col and not _blank(k_raw[i]):
                clock = parse_clock(k_raw[i]) or parse_clock(f"kl {k_raw[i]}")
                if clock is None:
                    rl.add(i, k_col, k_raw[i], msg("io_time_unparseable"))
                    continue
            if the_day is None:
                if clock is not None:
                    rl.add(
                        i,
                        str(tf_col or k_col),
                        tf_raw[i] if tf_col else k_raw[i],
                        msg("io_clock_without_date"),
                    )
                else:
                    rl.add(i, str(tf_col or d_col), None, msg("io_date_missing"))
                continue
            if clock is None and day.has_time[i]:
                # a date column holding a full date and time (e.g. an Excel datetime cell)
                start, has_time = the_day, True
            else:
                start = dt.datetime.combine(the_day.date(), clock or dt.time(0))
                has_time = clock is not None
        assert start is not None
        end_clock = parse_clock(tt_raw[i]) if tt_col else None
        if end_clock is not None:
            end = dt.datetime.combine(start.date(), end_clock, tzinfo=start.tzinfo)
            if end < start:
                end += _DAY
                next_day[i] = True
        elif tt_col and not tt.missing[i]:
            if not tt.ok[i]:
                rl.add(i, tt_col, tt_raw[i], tt.reason(i, with_time=True))
                continue
            parsed_end = tt.value(i)
            assert parsed_end is not None
            end = parsed_end if tt.has_time[i] else parsed_end + _DAY
        elif has_time:
            end = start
        else:
            end = start + _DAY
            whole_day[i] = True
        starts[i], ends[i] = start, end
    t_from, amb1, non1 = localize_stockholm(starts, start64)
    t_to, amb2, non2 = localize_stockholm(ends, end64)
    before = (t_to < t_from).to_numpy()
    for pos in np.flatnonzero(before):
        rl.add(
            pos,
            str(tt_col or "time_to"),
            tt_raw[pos],
            msg(
                "io_time_to_before_from",
                time_to=_show(t_to.iat[pos]),
                time_from=_show(t_from.iat[pos]),
            ),
        )
    counted += [
        (lambda n: msg("io_note_day_window", n=n), whole_day),
        (lambda n: msg("io_note_next_day", n=n), next_day),
    ]
    if amb1 + amb2:
        notes.append(msg("io_note_dst_ambiguous", n=amb1 + amb2))
    if non1 + non2:
        notes.append(msg("io_note_dst_nonexistent", n=non1 + non2))
    t_from.index = t_to.index = f.index
    return t_from, t_to


_YEAR_FIRST = re.compile(r"\s*\d{4}[-/]")


def _dated(raw: list[Any], ok: Any) -> np.ndarray:
    """Rows parsed as a full date or date-time that cannot be a time of day alone: native
    date-times, or text starting with a 4-digit year and a dash or slash."""
    out = np.asarray(ok, dtype=bool).copy()
    rows = np.flatnonzero(out)
    values = pd.Series([raw[i] for i in rows.tolist()], dtype=object)
    text = values.map(type).eq(str).to_numpy()
    year_first = values[text].str.match(_YEAR_FIRST.pattern).to_numpy(dtype=bool)
    native = np.array([isinstance(v, dt.datetime) for v in values[~text]], dtype=bool)
    keep = np.empty(len(rows), dtype=bool)
    keep[text] = year_first
    keep[~text] = native
    out[rows] = keep
    return out


def _show(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if not pd.isna(value) else "-"


def _published(pin: PointInput, rl: RowLog, notes: list[str], parsed: ParsedTimes) -> pd.Series:
    f, col = pin.frame, pin.cols.get("published")
    if col is None:
        return pd.Series(pd.NaT, index=f.index, dtype=f"datetime64[ns, {STOCKHOLM}]")
    for i in np.flatnonzero(~parsed.ok & ~parsed.missing):
        rl.add(i, str(col), f[str(col)].iat[i], parsed.reason(i, with_time=True))
    values = [v if ok else None for v, ok in zip(parsed.values, parsed.ok, strict=True)]
    times, amb, non = localize_stockholm(values)
    if amb:
        notes.append(msg("io_note_dst_ambiguous", n=amb))
    if non:
        notes.append(msg("io_note_dst_nonexistent", n=non))
    times.index = f.index
    return times


def _sources(pin: PointInput, source_code: str | None, notes: list[str]) -> pd.Series:
    from geo_trygg.vocab.events import map_sources

    f, col = pin.frame, pin.cols.get("source")
    if source_code is not None:
        return pd.Series(source_code, index=f.index, dtype=object)
    if col is None:
        notes.append(msg("io_note_source_default"))
        return pd.Series("annan", index=f.index, dtype=object)
    raw = pin.text("source")
    mapped = map_sources(raw)
    mapped.index = f.index
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object))  # each distinct text once
    other = np.array([_says_other(u) for u in uniques] + [False], dtype=bool)[codes]
    unknown = raw.notna().to_numpy() & (mapped == "annan").to_numpy() & ~other
    if unknown.any():
        notes.append(msg("io_note_source_unknown", n=int(unknown.sum())))
    return mapped.astype(object)


_OTHER_WORDS = ("annan", "annat", "övrig", "övrigt", "other", "okänd", "unknown")


def _says_other(value: object) -> bool:
    return normalize_text(value) in _OTHER_WORDS


def _categories(source_type: pd.Series, sources: pd.Series, category_map: Any) -> pd.Series:
    from geo_trygg.vocab.events import map_event_categories

    out = map_event_categories(source_type, source=sources, category_map=category_map)
    return out.astype(object)


def _precision(pin: PointInput, rl: RowLog) -> pd.Series:
    f, col = pin.frame, pin.cols.get("location_precision")
    raw = pin.text("location_precision")
    allowed = "exact/exakt, address/adress, stadsdel, kommun, lan/län"
    values = raw.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)  # each distinct text looked up once
    found = [_PRECISION_WORDS.get(normalize_text(u)) for u in uniques]
    table = np.array([*found, "exact"], dtype=object)  # the last: no value given
    out = table[np.where(codes < 0, len(found), codes)]
    for i in np.flatnonzero((codes >= 0) & pd.isna(table[codes]).astype(bool)):
        rl.add(int(i), str(col), values[i], msg("io_precision_unknown", allowed=allowed))
        out[i] = "exact"
    return pd.Series(out, index=f.index, dtype=object)


def _flag_duplicates(result: IngestResult) -> None:
    try:
        from geo_trygg.io.duplicates import flag_duplicates
    except ImportError:  # pragma: no cover - the module ships with the package
        result.summary.notes.append(msg("io_note_duplicates_unavailable"))
        return
    if len(result.accepted):
        groups = flag_duplicates(result.accepted)
        result.accepted["duplicate_group"] = groups.astype(object)
        capped = int(groups.attrs.get("duplicate_search_capped", 0))
        if capped:
            result.summary.notes.append(msg("io_note_duplicates_capped", n=capped))
