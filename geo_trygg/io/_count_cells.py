"""Cells of an aggregated count table: columns, area levels, periods and counts (private).

Used by :mod:`geo_trygg.io.counts`. Headers are matched on
:func:`geo_trygg.io._columns.header_key` (case-folded, å/ä/ö folded, letters and digits only),
first matching column from the left wins, an explicit ``columns={source: canonical}`` always
wins. A header that names a kind of area (``LPO``, ``Stadsdelsområde``) is the ``area`` column
and says the level; a neutral one (``Område``, ``Namn``) needs ``level=`` or a level column.

Each cell parser returns a value or raises :class:`CellProblem` with a sentence for the
rejection log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.catalogue import AREA_LEVELS
from geo_trygg.io._columns import find_header, header_key
from geo_trygg.io._points import as_text
from geo_trygg.periods import Period, parse_period

__all__ = [
    "COUNT_TARGETS",
    "MASKED_CELLS",
    "THOUSANDS",
    "CellProblem",
    "CountColumns",
    "level_code",
    "parse_count",
    "parse_period_cell",
    "resolve_count_columns",
]

COUNT_TARGETS = (
    "area",
    "level",
    "period",
    "year",
    "quarter",
    "month",
    "week",
    "category",
    "n",
    "unit",
)
"""Canonical names ``columns=`` may map a count table's columns to."""

_LEVEL_WORDS: dict[str, str] = {
    **{code.replace("_", ""): code for code in AREA_LEVELS},
    **dict.fromkeys(("stadsdelar", "district"), "stadsdel"),
    **dict.fromkeys(
        (
            "stadsdelsomraden",
            "sdo",
            "stadsdelsnamndsomrade",
            "stadsdelsforvaltning",
            "stadsdelsforvaltningsomrade",
        ),
        "stadsdelsomrade",
    ),
    **dict.fromkeys(("lokalpolisomrade", "lokalpolisomraden", "lokalpolis", "lpoomrade"), "lpo"),
    **dict.fromkeys(("polisomraden",), "polisomrade"),
    **dict.fromkeys(("kommuner", "municipality", "kommunnamn"), "kommun"),
    **dict.fromkeys(("county", "lanets", "lannamn"), "lan"),
    **dict.fromkeys(("plats", "platser", "places"), "place"),
    **dict.fromkeys(("utsattaomraden", "utsattomraden"), "utsatt_omrade"),
}

# header key -> (canonical column, implied area level or None)
_AREA_NEUTRAL = ("omrade", "omradesnamn", "area", "areaname", "areas", "namn", "name", "omraden")
_ALIASES: dict[str, tuple[str, str | None]] = {
    **dict.fromkeys(_AREA_NEUTRAL, ("area", None)),
    **{key: ("area", level) for key, level in _LEVEL_WORDS.items()},
    **{f"{key}namn": ("area", level) for key, level in _LEVEL_WORDS.items()},
    **dict.fromkeys(
        ("niva", "level", "omradesniva", "omradestyp", "arealevel", "typavomrade"), ("level", None)
    ),
    **dict.fromkeys(("period", "tidsperiod", "tid", "datum", "date"), ("period", None)),
    **dict.fromkeys(("ar", "year", "artal", "aret"), ("year", None)),
    **dict.fromkeys(("kvartal", "quarter", "kv"), ("quarter", None)),
    **dict.fromkeys(("manad", "month", "man", "manadsnamn"), ("month", None)),
    **dict.fromkeys(("vecka", "week", "v", "veckonr", "veckonummer"), ("week", None)),
    **dict.fromkeys(
        (
            "kategori",
            "category",
            "typ",
            "type",
            "brottstyp",
            "brottskategori",
            "handelsetyp",
            "brott",
            "indikator",
            "indicator",
            "fraga",
        ),
        ("category", None),
    ),
    **dict.fromkeys(
        (
            "antal",
            "n",
            "count",
            "antalhandelser",
            "antalbrott",
            "anmaldabrott",
            "antalanmaldabrott",
            "antalanmalningar",
            "varde",
            "value",
            "frekvens",
            "number",
        ),
        ("n", None),
    ),
    **dict.fromkeys(("enhet", "unit", "matt", "mattenhet"), ("unit", None)),
}

_COUNT_UNITS = frozenset(("antal", "st", "stycken", "count", "counts", "number", "n", "antalet"))
MASKED_CELLS = frozenset(("..", "...", "…", ".", "-", "–", "—", "x", "xx", "*", ":"))
"""Cells that mark a figure not published (statistical tables' ``..``, ``x``, ``XX``)."""
THOUSANDS = re.compile(r"[\s\u00a0\u202f\u2009']")
"""Thousands separators in a number written as text (spaces, ``'``)."""


class CellProblem(Exception):
    """A cell cannot be read; ``reason`` is the sentence for the rejection log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- levels -------------------------------------------------------------------------------------


def level_code(value: Any) -> str | None:
    """The canonical area level a text names (``"LPO"`` → ``"lpo"``), or None.

    Examples
    --------
    >>> level_code("Stadsdelsområde"), level_code("Lokalpolisområde"), level_code("riket")
    ('stadsdelsomrade', 'lpo', None)
    """
    text = as_text(value)
    if text is None:
        return None
    return _LEVEL_WORDS.get(header_key(text))


def check_level_arg(level: Any, name: str = "level") -> str:
    """``level=`` as a canonical level; ConfigError naming the allowed levels."""
    code = level_code(level) if isinstance(level, str) else None
    if code is None:
        raise ConfigError(
            f"{name}={level!r} is not an area level; expected one of: "
            + ", ".join(map(repr, AREA_LEVELS))
        )
    return code


# --- columns ------------------------------------------------------------------------------------


@dataclass
class CountColumns:
    """Recognised columns of a count table.

    Attributes
    ----------
    fields : dict of str to str
        Canonical name -> source column.
    implied_level : str or None
        The level the (recognised, not explicitly mapped) area header names.
    extra : list of str
        Source columns not mapped, in table order.
    """

    fields: dict[str, str] = field(default_factory=dict)
    implied_level: str | None = None
    extra: list[str] = field(default_factory=list)


def check_count_columns_arg(columns: Any) -> dict[str, str] | None:
    """Validate ``columns=`` before reading: a mapping of source column to canonical name."""
    if columns is None:
        return None
    if not isinstance(columns, Mapping):
        raise ConfigError(
            f"columns={columns!r} must be a mapping {{source column: canonical name}}, "
            "e.g. {'Lokalpolisområde': 'area'}"
        )
    seen: dict[str, str] = {}
    for source, target in columns.items():
        if target not in COUNT_TARGETS:
            raise ConfigError(
                f"columns={{{source!r}: {target!r}}}: {target!r} is not a column of a count "
                f"table; expected one of: {', '.join(map(repr, COUNT_TARGETS))}"
            )
        if target in seen:
            raise ConfigError(
                f"columns= maps both {seen[target]!r} and {source!r} to {target!r}; "
                "map one column per canonical name"
            )
        seen[target] = str(source)
    return {str(k): str(v) for k, v in columns.items()}


def resolve_count_columns(
    headers: Sequence[str], explicit: Mapping[str, str] | None = None
) -> CountColumns:
    """Map the headers of a count table to canonical names (see the module docstring).

    Examples
    --------
    >>> cols = resolve_count_columns(["LPO", "Månad", "Brottstyp", "Antal", "Kommentar"])
    >>> cols.fields, cols.implied_level, cols.extra
    ({'area': 'LPO', 'month': 'Månad', 'category': 'Brottstyp', 'n': 'Antal'}, 'lpo', \
['Kommentar'])
    """
    headers = [str(h) for h in headers]
    result = CountColumns()
    used: set[str] = set()
    for source, target in (explicit or {}).items():
        column = find_header(source, headers, what="table")
        result.fields[target] = column
        used.add(column)
    for header in headers:
        if header in used:
            continue
        hit = _ALIASES.get(header_key(header))
        if hit is None or hit[0] in result.fields:
            continue
        result.fields[hit[0]] = header
        used.add(header)
        if hit[0] == "area":
            result.implied_level = hit[1]
    result.extra = [h for h in headers if h not in used]
    return result


# --- counts -------------------------------------------------------------------------------------


def parse_count(value: Any) -> int:
    """A count cell as a non-negative whole number; CellProblem with the reason otherwise.

    Thousands separators (spaces, ``'``) are dropped and a decimal comma is read as a point,
    so ``"1 234"`` and ``"12,0"`` are counts. Blanks, masked cells (``..``, ``x``, ``<5``),
    negative and fractional values are rejected: none of them is a count, and none is
    read as 0.

    Examples
    --------
    >>> parse_count("1 234"), parse_count(7.0), parse_count("12,0")
    (1234, 7, 12)
    """
    if isinstance(value, (bool, np.bool_)):
        raise CellProblem(msg("agg_row_n_not_number"))
    text = as_text(value)
    if text is None:
        raise CellProblem(msg("agg_row_n_missing"))
    if isinstance(value, (int, np.integer)):
        number = float(int(value))
    else:
        compact = THOUSANDS.sub("", text)
        if compact.casefold() in MASKED_CELLS or compact.startswith(("<", ">", "≤", "≥")):
            raise CellProblem(msg("agg_row_n_masked", value=text))
        if "%" in compact or "‰" in compact:
            raise CellProblem(msg("agg_row_n_share", value=text))
        try:
            number = float(compact.replace(",", ".").replace("−", "-"))
        except ValueError:
            raise CellProblem(msg("agg_row_n_not_number")) from None
    if not np.isfinite(number):
        raise CellProblem(msg("agg_row_n_not_number"))
    if number < 0:
        raise CellProblem(msg("agg_row_n_negative"))
    if number != round(number):
        raise CellProblem(msg("agg_row_n_not_whole"))
    return int(number)


def check_unit(value: Any) -> None:
    """CellProblem when a unit cell names something other than a count (e.g. ``percent``)."""
    text = as_text(value)
    if text is not None and header_key(text) not in _COUNT_UNITS:
        raise CellProblem(msg("agg_row_unit_not_count", unit=text))


# --- periods ------------------------------------------------------------------------------------

_MONTH_NAMES = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "feb", "february"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("maj", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("augusti", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
_Q = r"(?:q|k|kv|kvartal|quarter)\.?"
_W = r"(?:w|v|vecka|week|v\.)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$"), "years"),
    (re.compile(rf"^(\d{{4}})\s*-?\s*{_Q}\s*([1-4])$"), "quarter"),
    (re.compile(rf"^{_Q}\s*([1-4])\s*[-\s]?\s*(\d{{4}})$"), "quarter_rev"),
    (re.compile(r"^(\d{4})\s*m(\d{1,2})$"), "month"),
    (re.compile(r"^([a-zåäö]+)\.?\s+(\d{4})$"), "monthname_rev"),
    (re.compile(r"^(\d{4})\s+([a-zåäö]+)\.?$"), "monthname"),
    (re.compile(rf"^(\d{{4}})\s*-?\s*{_W}\s*(\d{{1,2}})$"), "week"),
    (re.compile(rf"^{_W}\s*(\d{{1,2}})\s*[-\s]?\s*(\d{{4}})$"), "week_rev"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:[–—]|\s-\s|/)\s*(\d{4}-\d{2}-\d{2})$"), "days"),
]


def _try(label: str) -> Period | None:
    try:
        return parse_period(label)
    except ConfigError:
        return None


def parse_label(text: str) -> Period | None:
    """A period written in one cell: every form :func:`parse_period` reads, plus SCB's
    ``2024M03`` / ``2024K1``, ``2024 Q1``, ``kv1 2024``, ``mars 2024``, ``v10 2024``, a
    range of years ``2017-2018`` and a range of days ``2024-01-01–2024-03-31`` (both ends
    included, as the lägesbild labels spans). None when it is none of these.

    Examples
    --------
    >>> [parse_label(t).label for t in ("2024M03", "kv2 2024", "mars 2024", "v 7 2024")]
    ['2024-03', '2024-Q2', '2024-03', '2024-W07']
    >>> p = parse_label("2017-2018")
    >>> p.start, p.end
    (datetime.date(2017, 1, 1), datetime.date(2019, 1, 1))
    """
    clean = re.sub(r"\s+", " ", text.strip()).casefold()
    direct = _try(clean)
    if direct is not None:
        return direct
    for pattern, kind in _PATTERNS:
        m = pattern.match(clean)
        if m is None:
            continue
        a, b = m.group(1), m.group(2)
        if kind == "years":
            y1, y2 = int(a), int(b)
            if y2 <= y1:
                return None
            return Period(dt.date(y1, 1, 1), dt.date(y2 + 1, 1, 1), f"{y1}–{y2}", "span")
        if kind == "days":
            first, last = _try(a), _try(b)
            if first is None or last is None or last.start < first.start:
                return None
            return parse_period((first.start, last.end))
        if kind in ("monthname", "monthname_rev"):
            name, year = (b, a) if kind == "monthname" else (a, b)
            month = _MONTH_NAMES.get(name)
            return None if month is None else _try(f"{year}-{month:02d}")
        year, part = (b, a) if kind.endswith("_rev") else (a, b)
        stem = kind.removesuffix("_rev")
        form = {"quarter": "{y}-Q{p}", "month": "{y}-{p:02d}", "week": "{y}-W{p:02d}"}[stem]
        return _try(form.format(y=year, p=int(part)))
    return None


_PART_FORMS = {"quarter": "{y}-Q{p}", "month": "{y}-{p:02d}", "week": "{y}-W{p:02d}"}
_PART_RANGE = {"quarter": 4, "month": 12, "week": 53}


def _part_number(text: str, kind: str) -> int | None:
    """A bare quarter / month / week number (``3``, ``Q3``, ``v10``, ``mars``), or None."""
    clean = text.strip().casefold().rstrip(".")
    if kind == "month" and clean in _MONTH_NAMES:
        return _MONTH_NAMES[clean]
    prefix = {"quarter": _Q, "week": _W, "month": r"m"}[kind]
    m = re.match(rf"^(?:{prefix})?\s*(\d{{1,2}})$", clean)
    if m is None:
        return None
    number = int(m.group(1))
    return number if 1 <= number <= _PART_RANGE[kind] else None


def parse_period_cell(value: Any, kind: str, year: Any = None) -> Period:
    """The period of one row.

    Parameters
    ----------
    value : object
        The cell of the ``period``, ``year``, ``quarter``, ``month`` or ``week`` column.
    kind : {"period", "year", "quarter", "month", "week"}
        Which column the cell is from.
    year : object, optional
        The row's ``year`` cell, for a bare quarter, month or week number.

    Raises
    ------
    CellProblem
        When the cell is blank, cannot be read, needs a year that is missing, or names
        another year than the year column.

    Examples
    --------
    >>> parse_period_cell(3, "month", year=2024).label
    '2024-03'
    >>> parse_period_cell("2024-03", "month", year=2024).label
    '2024-03'
    >>> parse_period_cell(dt.datetime(2024, 3, 1), "month").label  # Excel's date for 2024-03
    '2024-03'
    """
    if isinstance(value, (dt.date, np.datetime64)):
        day = as_text(value)
        if day is None:
            raise CellProblem(msg("agg_row_period_missing"))
        period = parse_period(day[:10])
        if kind == "month" and period.start.day == 1:
            period = parse_period(f"{period.start.year}-{period.start.month:02d}")
        return period
    text = as_text(value)
    if text is None:
        raise CellProblem(msg("agg_row_period_missing"))
    year_text = as_text(year)
    if kind in _PART_FORMS:
        number = _part_number(text, kind)
        if number is not None:
            if year_text is None or not re.fullmatch(r"\d{4}", year_text):
                raise CellProblem(msg("agg_row_period_needs_year", value=text))
            combined = _try(_PART_FORMS[kind].format(y=int(year_text), p=number))
            if combined is None:  # e.g. week 53 of a year with 52 ISO weeks
                raise CellProblem(msg("agg_row_period_bad", value=f"{year_text} {text}"))
            return combined
    found = parse_label(text)
    if found is None or (kind == "year" and found.kind not in ("year", "span")):
        raise CellProblem(msg("agg_row_period_bad", value=text))
    by_label = found.kind in ("year", "quarter", "month", "week")
    found_year = found.label[:4] if by_label else str(found.start.year)
    if year_text is not None and kind != "year" and found_year != year_text:
        raise CellProblem(msg("agg_row_period_year_conflict", value=text, year=year_text))
    return found
