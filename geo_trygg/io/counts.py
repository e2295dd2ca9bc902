"""Reading aggregated count tables: :func:`read_counts`.

A count table is what a kommun receives already counted (police statistics per LPO and month,
reports per stadsdelsområde and quarter); the canonical count table and the rules are
described in :mod:`geo_trygg.lagesbild._aggregated`, which turns it into the lägesbild's
tables. The cell parsers (levels, period labels) are public here for that module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, ReadError, check_choice
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.io._count_cells import (
    CellProblem,
    CountColumns,
    check_count_columns_arg,
    check_level_arg,
    check_unit,
    level_code,
    parse_count,
    parse_label,
    parse_period_cell,
    resolve_count_columns,
)
from geo_trygg.io._points import EXTRA_PREFIX, as_text, check_path
from geo_trygg.io._tabular import CSV_EXTENSIONS, EXCEL_EXTENSIONS, check_table_args, read_table
from geo_trygg.io.result import IngestSummary, RejectionLog, RowCounts
from geo_trygg.periods import Period
from geo_trygg.vocab.events import (
    check_source,
    map_event_categories,
    normalize_type,
    validate_category_map,
)

__all__ = [
    "CATEGORY_MODES",
    "COUNT_COLUMNS",
    "TOTAL_CATEGORY",
    "CountsResult",
    "check_level_arg",
    "level_code",
    "parse_label",
    "read_counts",
]

COUNT_COLUMNS = (
    "level",
    "area",
    "period",
    "period_start",
    "period_end",
    "category",
    "category_original",
    "n",
    "source_row",
)
"""Canonical columns of a count table, in order (``src_*`` columns follow)."""

CATEGORY_MODES = ("auto", "map", "keep")
"""``categories=`` of :func:`read_counts`: map each text that is a known event type (auto),
every text (map; unknown → ``other``), or none (keep)."""

TOTAL_CATEGORY = "total"
"""The category of every row of a table without a category column."""

_PART_COLUMNS = ("month", "quarter", "week")

_Parsed = tuple[int, str, str, Period, str | None, int]
"""(source row, level, area, period, category as written or None, n)."""


@dataclass
class CountsResult(RowCounts):
    """What :func:`read_counts` returns (the count-table twin of ``IngestResult``).

    Attributes
    ----------
    accepted : pandas.DataFrame
        The canonical count table (see :mod:`geo_trygg.lagesbild._aggregated`).
    rejected : pandas.DataFrame
        ``row``, ``column``, ``value``, ``reason``: one line per problem.
    summary : geo_trygg.io.result.IngestSummary
        ``kind="counts"``; ``n_input == n_accepted + n_rejected``.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    summary: IngestSummary

    @property
    def levels(self) -> tuple[str, ...]:
        """The area levels of the accepted counts, sorted."""
        return tuple(sorted(set(self.accepted["level"])))


# --- reading ------------------------------------------------------------------------------------


def load_rows(
    data: Any, sheet: Any, encoding: str | None, sep: str | None
) -> tuple[pd.DataFrame, np.ndarray, str, list[str], list[tuple[int, str, Any, str]]]:
    """A table file or a DataFrame as (frame of objects, source rows, source name, notes,
    load problems): what the readers of tables per area (counts, indicators) start from."""
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True).astype(object)
        frame = frame.where(frame.notna(), None)
        frame.columns = [str(c) for c in frame.columns]
        return frame, np.arange(1, len(frame) + 1, dtype=np.int64), "DataFrame", [], []
    path = check_path(data, (*CSV_EXTENSIONS, *EXCEL_EXTENSIONS))
    table = read_table(path, sheet=sheet, encoding=encoding, sep=sep)
    problems = table.load_problems()
    return table.frame, table.rows, str(path), list(table.notes), problems


def _require(cols: CountColumns, frame: pd.DataFrame, source: str) -> None:
    needs = (("area", ("area",)), ("n", ("n",)), ("period", ("period", "year", *_PART_COLUMNS)))
    for canonical, options in needs:
        if not any(o in cols.fields for o in options):
            found = ", ".join(map(repr, frame.columns)) or "-"
            what = {
                "area": msg("agg_what_area"),
                "n": msg("agg_what_n"),
                "period": msg("agg_what_period"),
            }[canonical]
            raise ReadError(
                msg(
                    "io_missing_required_column",
                    what=what,
                    path=source,
                    found=found,
                    canonical=canonical,
                )
            )
    header = str(cols.fields["n"])
    if _SHARE_HEADER.search(header.casefold()):
        raise ReadError(msg("agg_err_n_is_share", column=header, path=source))


_SHARE_HEADER = re.compile(r"%|procent|andel|percent|share|proportion|promille|‰")
"""A count column's header that says its values are shares ("Värde (%)", "Andel"): refused,
whatever the values look like, since a whole-number share ("21") reads as a count."""


def _levels(cols: CountColumns, level: str | None, frame: pd.DataFrame) -> list[Any]:
    """Per row: the level code, or a CellProblem to log (checked before the row loop)."""
    col = cols.fields.get("level")
    if level is not None and cols.implied_level not in (None, level):
        raise ConfigError(
            f"level={level!r} but the area column {cols.fields['area']!r} names the level "
            f"{cols.implied_level!r}; pass columns={{{cols.fields['area']!r}: 'area'}} to use "
            "the column with another level"
        )
    default = level or cols.implied_level
    if col is None:
        if default is None:
            raise ConfigError(
                f"the table does not say which kind of area its column "
                f"{cols.fields['area']!r} holds; pass level=, one of: "
                + ", ".join(map(repr, AREA_LEVELS))
            )
        return [default] * len(frame)
    out: list[Any] = []
    for value in frame[col].tolist():
        text = as_text(value)
        code = level_code(text) if text is not None else default
        if text is None and code is None:
            out.append(CellProblem(msg("agg_row_level_missing")))
        elif code is None:
            out.append(CellProblem(msg("agg_row_level_unknown", value=text)))
        elif level is not None and code != level:
            out.append(CellProblem(msg("agg_row_level_conflict", row_level=code, level=level)))
        else:
            out.append(code)
    return out


def _period_source(cols: CountColumns) -> tuple[str, str]:
    """(kind, column) the period of each row is read from."""
    if "period" in cols.fields:
        return "period", cols.fields["period"]
    for part in _PART_COLUMNS:
        if part in cols.fields:
            return part, cols.fields[part]
    return "year", cols.fields["year"]


def _map_categories(
    originals: list[str], mode: str, source: str, category_map: Any
) -> tuple[dict[str, str], list[str]]:
    """(original -> category, notes) for the distinct category texts."""
    uniques = sorted(set(originals))
    if mode == "keep" or not uniques:
        return {u: u for u in uniques}, []
    codes = map_event_categories(pd.Series(uniques), source=source, category_map=category_map)
    own_other = {u for u in uniques if normalize_type(u) in {"other", "övrigt", "ovrigt"}}
    mapping: dict[str, str] = {}
    kept: list[str] = []
    for text, code in zip(uniques, codes.tolist(), strict=True):
        if mode == "map" or code != "other" or text in own_other:
            mapping[text] = code
        else:
            mapping[text] = text
            kept.append(text)
    mapped = [f"{t!r} → {c}" for t, c in mapping.items() if t not in kept]
    notes = [msg("agg_note_categories_mapped", n=len(mapped), mapping=", ".join(mapped))]
    if kept:
        notes.append(
            msg("agg_note_categories_kept", n=len(kept), names=", ".join(map(repr, kept)))
        )
    return mapping, notes if mapped else notes[1:]


def read_counts(
    path_or_frame: Any,
    *,
    level: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    categories: str = "auto",
    source: str = "annan",
    category_map: Any = None,
    strict: bool = False,
) -> CountsResult:
    """Read a table of counts per area × period × category.

    Parameters
    ----------
    path_or_frame : path-like or pandas.DataFrame
        A CSV (encoding and separator detected; cp1252 and ``;`` as Excel writes them) or
        .xlsx file, or a DataFrame.
    level : str, optional
        The area level of every row (``"lpo"``, ``"stadsdelsomrade"``, Swedish names such as
        ``"Lokalpolisområde"`` accepted). Otherwise read from a level column (``Nivå``) or from
        the area column's header (``LPO``, ``Stadsdelsområde``); a neutral header (``Område``)
        without either is a ConfigError.
    columns : mapping of str to str, optional
        ``{source column: canonical}`` with canonical one of ``area``, ``level``, ``period``,
        ``year``, ``quarter``, ``month``, ``week``, ``category``, ``n``, ``unit``; wins over
        recognition. Recognised headers include område/lpo/stadsdelsområde/stadsdel,
        period/år/kvartal/månad/vecka, kategori/brottstyp, antal, enhet.
    sheet : str or int, optional
        Excel sheet (first by default).
    encoding, sep : str, optional
        CSV encoding and separator; detected when omitted.
    categories : {"auto", "map", "keep"}, default "auto"
        ``auto``: a category text that is a known event type (``"Misshandel"``,
        ``"Skadegörelse"``) becomes its event category code, other texts (survey questions,
        own groupings) are kept as written; ``map``: every text is mapped (unknown →
        ``other``); ``keep``: no mapping. The text as written is in ``category_original``.
    source : str, default "annan"
        Source actor for the type mapping (``"polis"``, ``"bostadsbolag"``, …).
    category_map : DataFrame or path, optional
        Extra type-mapping rows, as for :func:`geo_trygg.read_events`.
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first problem instead of collecting it.

    Returns
    -------
    CountsResult
        ``accepted`` (the canonical count table, in source order), ``rejected`` and
        ``summary``.

    Raises
    ------
    ConfigError
        Bad arguments (named, with the allowed values); no level can be told.
    ReadError
        The file cannot be read or lacks an area, count or period column; or its count
        column's header says it holds shares (``%``, ``procent``, ``andel``, ``percent``,
        ``share``, ``promille``), recognised or mapped by ``columns``: a whole-number share
        ("21") would otherwise read as 21 events.

    Notes
    -----
    Shares are never counts: besides the header, a value written with ``%`` or ``‰`` and a
    unit cell naming anything but a count (``procent``, ``poäng``) reject their row with a
    reason saying so; a fractional value (``11,5``) is rejected as not a whole number.

    Examples
    --------
    >>> table = pd.DataFrame({"LPO": ["Farsta", "Farsta", "Globen"],
    ...                       "Månad": ["2024-01", "2024-02", "2024-01"],
    ...                       "Brottstyp": ["Misshandel", "Misshandel", "Okänd grupp"],
    ...                       "Antal": [12, "..", 4]})
    >>> res = read_counts(table)
    >>> res.accepted[["level", "area", "period", "category", "category_original", "n"]]
      level    area   period     category category_original   n
    0   lpo  Farsta  2024-01     violence        Misshandel  12
    1   lpo  Globen  2024-01  Okänd grupp       Okänd grupp   4
    >>> res.rejected[["row", "column"]].values.tolist()
    [[2, 'Antal']]
    """
    lvl = check_level_arg(level) if level is not None else None
    explicit = check_count_columns_arg(columns)
    check_table_args(encoding, sep)
    mode = check_choice("categories", categories, CATEGORY_MODES)
    actor = check_source(source)
    if category_map is not None:
        validate_category_map(category_map)
    frame, rows, name, notes, problems = load_rows(path_or_frame, sheet, encoding, sep)
    cols = resolve_count_columns(list(frame.columns), explicit)
    _require(cols, frame, name)
    levels = _levels(cols, lvl, frame)
    log = RejectionLog(strict=strict)
    for row, column, value, reason in problems:
        log.add(row, column, value, reason)
    skip = {p[0] for p in problems}
    parsed: list[_Parsed] = []
    for i in range(len(frame)):
        row = int(rows[i])
        if row in skip:
            continue
        item, row_problems = _read_row(frame, i, cols, levels[i])
        for column, value, reason in row_problems:
            log.add(row, column, value, reason)
        if item is not None:
            parsed.append((row, *item))
    accepted = _accept(parsed, frame, rows, cols, log, mode, actor, category_map, notes)
    summary = IngestSummary(
        kind="counts",
        source=name,
        n_input=len(rows),
        n_accepted=len(accepted),
        n_rejected=len(log.rows),
        notes=notes,
    )
    return CountsResult(accepted, log.frame(), summary)


def _read_row(
    frame: pd.DataFrame, i: int, cols: CountColumns, level: Any
) -> tuple[tuple[str, str, Period, str | None, int] | None, list[tuple[str, Any, str]]]:
    """One row's cells, or None with the problems (column, value, reason) found."""
    f = cols.fields
    problems: list[tuple[str, Any, str]] = []

    def cell(column: str | None) -> Any:
        return frame[column].iat[i] if column is not None else None

    def attempt(column: str | None, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except CellProblem as problem:
            problems.append((str(column), cell(column), problem.reason))
            return None

    kind, period_col = _period_source(cols)
    year_col = f.get("year") if kind in _PART_COLUMNS else None
    lvl = attempt(f.get("level", f["area"]), lambda: _unwrap(level))
    area = attempt(f["area"], lambda: _text(cell(f["area"]), msg("agg_row_area_missing")))
    period = attempt(period_col, lambda: parse_period_cell(cell(period_col), kind, cell(year_col)))
    category = None
    if "category" in f:
        category = attempt(
            f["category"], lambda: _text(cell(f["category"]), msg("agg_row_category_missing"))
        )
    n = attempt(f["n"], lambda: parse_count(cell(f["n"])))
    if "unit" in f:
        attempt(f["unit"], lambda: check_unit(cell(f["unit"])))
    if problems:
        return None, problems
    return (lvl, area, period, category, n), problems


def _unwrap(value: Any) -> str:
    if isinstance(value, CellProblem):
        raise value
    return str(value)


def _text(value: Any, missing: str) -> str:
    text = as_text(value)
    if text is None:
        raise CellProblem(missing)
    return text


def _accept(
    parsed: list[_Parsed],
    frame: pd.DataFrame,
    rows: np.ndarray,
    cols: CountColumns,
    log: RejectionLog,
    mode: str,
    actor: str,
    category_map: Any,
    notes: list[str],
) -> pd.DataFrame:
    """Reject repeats, map categories and build the canonical table (notes appended)."""
    first: dict[tuple[Any, ...], int] = {}
    kept: list[_Parsed] = []
    for item in parsed:
        row, lvl, area, period, cat, _ = item
        key = (lvl, normalize_name(area), period.start, period.end, normalize_type(cat or ""))
        if key in first:
            column = cols.fields.get("category") or cols.fields["area"]
            log.add(row, column, cat or area, msg("agg_row_duplicate", row=first[key]))
        else:
            first[key] = row
            kept.append(item)
    originals = [item[4] for item in kept if item[4] is not None]
    mapping, cat_notes = _map_categories(originals, mode, actor, category_map)
    mapping_note = ", ".join(f"{src!r} → {canon}" for canon, src in cols.fields.items())
    notes.append(msg("io_note_columns", mapping=mapping_note))
    if cols.fields.get("level") is None:
        notes.append(msg("agg_note_level", level=", ".join(sorted({k[1] for k in kept})) or "-"))
    if "category" not in cols.fields:
        notes.append(msg("agg_note_no_category", total=TOTAL_CATEGORY))
    notes.extend(cat_notes)
    out = pd.DataFrame(
        {
            "level": pd.Series([k[1] for k in kept], dtype=object),
            "area": pd.Series([k[2] for k in kept], dtype=object),
            "period": pd.Series([k[3].label for k in kept], dtype=object),
            "period_start": pd.to_datetime(pd.Series([k[3].start for k in kept], dtype=object)),
            "period_end": pd.to_datetime(pd.Series([k[3].end for k in kept], dtype=object)),
            "category": pd.Series(
                [TOTAL_CATEGORY if k[4] is None else mapping[k[4]] for k in kept], dtype=object
            ),
            "category_original": pd.Series([k[4] for k in kept], dtype=object),
            "n": pd.Series([k[5] for k in kept], dtype="int64"),
            "source_row": pd.Series([k[0] for k in kept], dtype="int64"),
        }
    )
    position = {int(r): i for i, r in enumerate(rows)}
    take = [position[k[0]] for k in kept]
    for column in cols.extra:
        values = frame[column].to_numpy(dtype=object)[take] if take else []
        out[EXTRA_PREFIX + column] = pd.Series(values, dtype=object)
    if cols.extra:
        notes.append(msg("io_note_extra_columns", columns=", ".join(map(repr, cols.extra))))
    return out
