"""Survey indicators: published shares per area and year, with their uncertainty.

A trygghetsmätning publishes *shares* ("11 % are often worried about crime") per area and
year, sometimes with the number of respondents and the response rate. :func:`read_indicators`
reads such tables as they are published — Swedish or English headers, a decimal comma or
point, ``%`` signs, ``;`` or ``,``, cp1252 or UTF-8, Excel — into one canonical table
(:data:`INDICATOR_COLUMNS`). A value is a share or a score, never a count: count tables are
:func:`geo_trygg.io.read_counts`'s, which refuses shares.

Each share carries its 95 % interval (:func:`geo_trygg.stats.wilson_interval`) when the
number of respondents is given; otherwise the ``uncertainty`` column says ``unknown``
("osäkerhet okänd") and the interval is empty. A value that is not a share (points of a
scale) has no interval (``not_a_share``).

Every row is accepted or rejected with its row number and a reason: a value given only in
words ("en tredjedel"), a figure not published ("XX", ".."), a share outside 0–100, a year
that is not one (``2017`` and ``2017–2018`` are years), an area or indicator missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError, ReadError, check_choice
from geo_trygg._labels import msg
from geo_trygg.io._columns import header_key
from geo_trygg.io._count_cells import MASKED_CELLS, THOUSANDS, CellProblem, level_code, parse_count
from geo_trygg.io._points import as_text
from geo_trygg.io._tabular import check_table_args
from geo_trygg.io.counts import load_rows
from geo_trygg.io.result import IngestSummary, RejectionLog, RowCounts
from geo_trygg.stats import wilson_interval

__all__ = [
    "INDICATOR_COLUMNS",
    "INDICATOR_LEVELS",
    "UNCERTAINTY_CODES",
    "IndicatorsResult",
    "read_indicators",
]

INDICATOR_COLUMNS = [
    "level",
    "area",
    "year",
    "year_from",
    "year_to",
    "indicator",
    "indicator_text",
    "value",
    "unit",
    "value_as_stated",
    "respondents",
    "response_rate",
    "ci_low",
    "ci_high",
    "uncertainty",
    "source",
    "source_url",
    "note",
    "source_row",
]
"""The columns of :attr:`IndicatorsResult.accepted`: the area's level (a code of
:data:`INDICATOR_LEVELS`) and name as written; the year as written and its first and last year
(``2017-2018``: two pooled surveys); the indicator's id and wording; the value (a share in per
cent when ``unit`` is ``"percent"``, else as the source gives it) and the value as written; the
respondents and the response rate (per cent) where given; the interval bounds (per cent) and
the ``uncertainty`` code (:data:`UNCERTAINTY_CODES`); the survey or source, its address and
notes; the row in the file."""

INDICATOR_LEVELS = (
    "riket",
    "lan",
    "polisregion",
    "polisomrade",
    "lpo",
    "kommun",
    "kommundel",
    "stadsdelsomrade",
    "stadsdel",
)
"""The area levels survey results are published for, the country to the stadsdel."""

UNCERTAINTY_CODES = ("wilson95", "unknown", "not_a_share")
"""``wilson95``: a 95 % Wilson interval from the respondents; ``unknown``: a share whose
respondents are not given, or a value whose unit is not known ("osäkerhet okänd");
``not_a_share``: a score or index, no interval."""

_LEVELS_EXTRA = {
    **dict.fromkeys(("riket", "helariket", "sverige", "nationell", "country"), "riket"),
    **dict.fromkeys(("kommundel", "kommundelar", "kommundelsomrade"), "kommundel"),
    **dict.fromkeys(("region", "polisregionen"), "polisregion"),
    **dict.fromkeys(("lan", "lanet", "county"), "lan"),
}

_FIELDS: dict[str, str] = {
    **dict.fromkeys(
        ("omrade", "area", "areaname", "omradesnamn", "namn", "name", "geografi"), "area"
    ),
    **dict.fromkeys(
        ("niva", "level", "arealevel", "omradesniva", "omradestyp", "typavomrade"), "level"
    ),
    **dict.fromkeys(
        ("ar", "year", "artal", "matar", "undersokningsar", "matningsar", "period"), "year"
    ),
    **dict.fromkeys(
        ("indikator", "indicator", "indicatorid", "indikatorid", "fraga", "question", "matt"),
        "indicator",
    ),
    **dict.fromkeys(
        (
            "indicatorwordingsv",
            "indicatorwording",
            "indikatortext",
            "formulering",
            "fragetext",
            "fragansformulering",
            "wording",
        ),
        "indicator_text",
    ),
    **dict.fromkeys(
        (
            "varde",
            "value",
            "andel",
            "andelen",
            "andelprocent",
            "procent",
            "percent",
            "share",
            "resultat",
        ),
        "value",
    ),
    **dict.fromkeys(("enhet", "unit", "mattenhet"), "unit"),
    **dict.fromkeys(("valueasstated", "somangivet", "ordagrant", "vardesomangivet"), "as_stated"),
    **dict.fromkeys(
        (
            "respondents",
            "antalsvarande",
            "svarande",
            "antalsvar",
            "nsvarande",
            "antalrespondenter",
        ),
        "respondents",
    ),
    **dict.fromkeys(
        ("responseratepct", "responserate", "svarsfrekvens", "svarsandel"), "response_rate"
    ),
    **dict.fromkeys(("survey", "undersokning", "matning", "kalla", "source"), "source"),
    **dict.fromkeys(("sourceurl", "url", "lank", "kallurl"), "source_url"),
    **dict.fromkeys(("note", "anmarkning", "kommentar", "not", "fotnot"), "note"),
}
"""Header keys (:func:`~geo_trygg.io._columns.header_key`) → canonical fields."""

_REQUIRED = ("area", "year", "indicator", "value")
_RECORD_COLUMNS = [c for c in INDICATOR_COLUMNS if c not in ("ci_low", "ci_high", "uncertainty")]
_SHARE_UNITS = frozenset(("percent", "procent", "andel", "andelprocent", "procentandel", "pct"))
_SHARE_MARK = re.compile(r"%|procent|percent|andel|share")
_YEARS = re.compile(r"^(\d{4})(?:\s*[-–/]\s*(\d{4}|\d{2}))?$")


@dataclass
class IndicatorsResult(RowCounts):
    """What :func:`read_indicators` returns.

    Attributes
    ----------
    accepted : pandas.DataFrame
        The indicators, :data:`INDICATOR_COLUMNS`, in the file's order.
    rejected : pandas.DataFrame
        ``row``, ``column``, ``value``, ``reason``: one line per problem.
    summary : geo_trygg.io.result.IngestSummary
        ``kind="indicators"``; ``n_input == n_accepted + n_rejected``.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    summary: IngestSummary


def read_indicators(
    path_or_frame: Any,
    *,
    level: str | None = None,
    unit: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    strict: bool = False,
) -> IndicatorsResult:
    """Read a table of survey indicators per area and year (module docstring).

    Parameters
    ----------
    path_or_frame : path-like or pandas.DataFrame
        A CSV (encoding and separator detected) or .xlsx file, or a DataFrame.
    level : str, optional
        The area level of every row (``"stadsdelsomrade"``, ``"Lokalpolisområde"``, ``"riket"``
        …, see :data:`INDICATOR_LEVELS`). Otherwise read from a level column (``Nivå``,
        ``area_level``) or from the area column's header (``Stadsdelsområde``, ``LPO``).
    unit : {"percent", "points"}, optional
        The unit of every value when the table has no unit column: ``"percent"`` (shares in
        per cent, with intervals) or ``"points"`` (a score). Without it and without a unit
        column, a value is a share when its column's header or the value itself says so
        (``Andel (%)``, ``21 %``); otherwise its unit is unknown and it gets no interval.
    columns : mapping of str to str, optional
        ``{source column: canonical}``; canonical one of ``area``, ``level``, ``year``,
        ``indicator``, ``indicator_text``, ``value``, ``unit``, ``as_stated``,
        ``respondents``, ``response_rate``, ``source``, ``source_url``, ``note``. Wins over
        the recognised headers (Swedish and English: område, nivå, år, indikator, fråga,
        värde, andel, enhet, antal svarande, svarsfrekvens, undersökning, källa …).
    sheet : str or int, optional
        Excel sheet (the first by default).
    encoding, sep : str, optional
        CSV encoding and separator; detected when omitted.
    strict : bool, default False
        Raise :class:`~geo_trygg.RowError` at the first problem instead of collecting it.

    Returns
    -------
    IndicatorsResult
        ``accepted`` (:data:`INDICATOR_COLUMNS`), ``rejected`` and ``summary``.

    Raises
    ------
    ConfigError
        A bad argument (named, with the allowed values), or no level can be told.
    ReadError
        The file cannot be read, or it has no column for the area, year, indicator or value.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "Stadsdelsområde": ["Rinkeby-Kista", "Farsta", "Bromma"],
    ...     "År": [2017, 2017, "2017–2018"],
    ...     "Indikator": ["Otrygg ensam sen kväll"] * 3,
    ...     "Andel (%)": ["31,5", "21 %", "en tredjedel"],
    ...     "Antal svarande": ["1 204", None, None],
    ... })
    >>> res = read_indicators(table)
    >>> res.accepted[["area", "value", "unit", "ci_low", "ci_high", "uncertainty"]].round(2)
                area  value     unit  ci_low  ci_high uncertainty
    0  Rinkeby-Kista   31.5  percent   28.94    34.18    wilson95
    1         Farsta   21.0  percent     NaN      NaN     unknown
    >>> res.rejected[["row", "reason"]].values.tolist()
    [[3, 'källan anger värdet bara i ord (en tredjedel); inget tal att läsa']]
    """
    lvl = _level_arg(level) if level is not None else None
    if unit is not None:
        check_choice("unit", unit, ("percent", "points"))
    explicit = _columns_arg(columns)
    check_table_args(encoding, sep)
    frame, rows, name, notes, problems = load_rows(path_or_frame, sheet, encoding, sep)
    fields, implied = _resolve(list(frame.columns), explicit)
    missing = [f for f in _REQUIRED if f not in fields]
    if missing:
        found = ", ".join(map(repr, frame.columns)) or "-"
        raise ReadError(
            msg("ind_err_missing_columns", path=name, missing=", ".join(missing), found=found)
        )
    if lvl is None and "level" not in fields and implied is None:
        raise ConfigError(msg("ind_err_no_level", levels=", ".join(INDICATOR_LEVELS)))
    header_share = bool(_SHARE_MARK.search(str(fields["value"]).casefold()))
    log = RejectionLog(strict=strict)
    for row, column, value, reason in problems:
        log.add(row, column, value, reason)
    skip = {p[0] for p in problems}
    records: list[dict[str, Any]] = []
    for i in range(len(frame)):
        row = int(rows[i])
        if row in skip:
            continue
        record, row_problems = _read_row(frame, i, fields, lvl or implied, unit, header_share)
        for column, value, reason in row_problems:
            log.add(row, column, value, reason)
        if record is not None:
            records.append({**record, "source_row": row})
    accepted = _with_intervals(pd.DataFrame.from_records(records, columns=_RECORD_COLUMNS))
    summary = IngestSummary(
        kind="indicators",
        source=name,
        n_input=len(rows),
        n_accepted=len(accepted),
        n_rejected=len(log.rows),
        notes=notes,
    )
    return IndicatorsResult(accepted, log.frame(), summary)


# --- arguments and columns ---------------------------------------------------------------------


def _level_code(value: Any) -> str | None:
    """The level a text names, among :data:`INDICATOR_LEVELS`, or None."""
    text = as_text(value)
    if text is None:
        return None
    extra = _LEVELS_EXTRA.get(header_key(text))
    code = extra if extra is not None else level_code(text)
    return code if code in INDICATOR_LEVELS else None


def _level_arg(level: Any) -> str:
    code = _level_code(level) if isinstance(level, str) else None
    if code is None:
        raise ConfigError(
            msg("ind_err_level_arg", value=repr(level), levels=", ".join(INDICATOR_LEVELS))
        )
    return code


_CANONICAL = (
    "area",
    "level",
    "year",
    "indicator",
    "indicator_text",
    "value",
    "unit",
    "as_stated",
    "respondents",
    "response_rate",
    "source",
    "source_url",
    "note",
)


def _columns_arg(columns: Any) -> dict[str, str]:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise ConfigError(msg("ind_err_columns_arg", value=type(columns).__name__))
    for source, target in columns.items():
        if target not in _CANONICAL:
            raise ConfigError(
                msg(
                    "ind_err_columns_target",
                    column=repr(source),
                    value=repr(target),
                    allowed=", ".join(_CANONICAL),
                )
            )
    return {str(k): str(v) for k, v in columns.items()}


def _resolve(headers: list[str], explicit: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """``{canonical: header}`` and the level the area header names (``Stadsdelsområde``)."""
    fields: dict[str, str] = {}
    for source, target in explicit.items():
        if source not in headers:
            raise ConfigError(
                msg("ind_err_no_such_column", column=repr(source), found=", ".join(headers))
            )
        fields[target] = source
    implied = None
    for header in headers:
        if header in fields.values():
            continue
        found: str | None = _FIELDS.get(header_key(header))
        if found is None and "area" not in fields and _level_code(header) is not None:
            found, implied = "area", _level_code(header)
        elif found is None and header.strip() == "%":
            found = "value"
        if found is not None and found not in fields:
            fields[found] = header
    return fields, implied


# --- cells ---------------------------------------------------------------------------------------


def _read_row(
    frame: pd.DataFrame,
    i: int,
    fields: dict[str, str],
    level: str | None,
    unit: str | None,
    header_share: bool,
) -> tuple[dict[str, Any] | None, list[tuple[str, Any, str]]]:
    """One row as a record, or None with its problems (column, value, reason)."""
    problems: list[tuple[str, Any, str]] = []

    def cell(field: str) -> Any:
        column = fields.get(field)
        return frame[column].iat[i] if column is not None else None

    def attempt(field: str, read: Any) -> Any:
        try:
            return read()
        except CellProblem as problem:
            problems.append((fields.get(field, field), cell(field), problem.reason))
            return None

    row_level = attempt("level", lambda: _row_level(cell("level"), level))
    area = attempt("area", lambda: _required_text(cell("area"), msg("ind_row_area_missing")))
    years = attempt("year", lambda: _years(cell("year")))
    indicator = attempt(
        "indicator", lambda: _required_text(cell("indicator"), msg("ind_row_indicator_missing"))
    )
    row_unit = attempt("unit", lambda: _unit(cell("unit"), unit))
    value, shown = None, as_text(cell("value"))
    parsed = attempt("value", lambda: _value(cell("value"), cell("as_stated")))
    if parsed is not None:
        value, signed = parsed
        if row_unit is None and (header_share or signed):
            row_unit = "percent"
        if row_unit == "percent" and not 0 <= value <= 100:
            problems.append((fields["value"], cell("value"), msg("ind_row_share_range")))
    respondents = attempt("respondents", lambda: _whole(cell("respondents")))
    rate = attempt("response_rate", lambda: _rate(cell("response_rate")))
    if problems:
        return None, problems
    assert years is not None
    return {
        "level": row_level,
        "area": area,
        "year": as_text(cell("year")),
        "year_from": years[0],
        "year_to": years[1],
        "indicator": indicator,
        "indicator_text": as_text(cell("indicator_text")),
        "value": value,
        "unit": row_unit,
        "value_as_stated": as_text(cell("as_stated")) or shown,
        "respondents": respondents,
        "response_rate": rate,
        "source": as_text(cell("source")),
        "source_url": as_text(cell("source_url")),
        "note": as_text(cell("note")),
    }, problems


def _row_level(value: Any, default: str | None) -> str:
    text = as_text(value)
    if text is None:
        if default is None:
            raise CellProblem(msg("ind_row_level_missing"))
        return default
    code = _level_code(text)
    if code is None:
        levels = ", ".join(INDICATOR_LEVELS)
        raise CellProblem(msg("ind_row_level_unknown", value=text, levels=levels))
    return code


def _required_text(value: Any, reason: str) -> str:
    text = as_text(value)
    if text is None:
        raise CellProblem(reason)
    return " ".join(text.split())


def _years(value: Any) -> tuple[int, int]:
    """``2017`` → (2017, 2017); ``2017-2018``/``2017–18`` → (2017, 2018)."""
    text = as_text(value)
    if text is None:
        raise CellProblem(msg("ind_row_year_missing"))
    found = _YEARS.match(text)
    if found is None:
        raise CellProblem(msg("ind_row_year_bad", value=text))
    first = int(found.group(1))
    last_text = found.group(2) or found.group(1)
    last = int(last_text) if len(last_text) == 4 else first // 100 * 100 + int(last_text)
    if not (1900 <= first <= last <= 2100):
        raise CellProblem(msg("ind_row_year_bad", value=text))
    return first, last


def _unit(value: Any, default: str | None) -> str | None:
    """``percent`` for a share, the text as written for anything else; None when unknown."""
    text = as_text(value)
    if text is None:
        return default
    if text.strip() == "%" or header_key(text) in _SHARE_UNITS:
        return "percent"
    if header_key(text) in ("points", "poang", "poangskala"):
        return "points"
    return " ".join(text.split())


def _number(text: str) -> tuple[float, bool]:
    """A decimal number written as text (thousands spaces, decimal comma, a trailing ``%``)
    and whether it had the ``%``; ValueError when it is none."""
    compact = THOUSANDS.sub("", text)
    number = float(compact.rstrip("%").replace(",", ".").replace("−", "-"))
    if not np.isfinite(number):
        raise ValueError(text)
    return number, compact.endswith("%")


def _value(value: Any, stated: Any) -> tuple[float, bool]:
    """(number, written with ``%``); a problem for words, unpublished figures and blanks."""
    if isinstance(value, bool | np.bool_):
        raise CellProblem(msg("ind_row_value_not_number", value=str(value)))
    text = as_text(value)
    if text is None:
        words = as_text(stated)
        if words is not None and words.casefold() in MASKED_CELLS:
            raise CellProblem(msg("ind_row_value_masked", value=words))
        if words is not None:
            raise CellProblem(msg("ind_row_value_words", value=words))
        raise CellProblem(msg("ind_row_value_missing"))
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value), False
    if THOUSANDS.sub("", text).casefold() in MASKED_CELLS:
        raise CellProblem(msg("ind_row_value_masked", value=text))
    try:
        return _number(text)
    except ValueError:
        if any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text):
            # "Var tredje", "en tredjedel": a share in words; no number is made up from them
            raise CellProblem(msg("ind_row_value_words", value=text)) from None
        raise CellProblem(msg("ind_row_value_not_number", value=text)) from None


def _whole(value: Any) -> int | None:
    """Respondents: a positive whole number (read as a count is), or None when blank."""
    text = as_text(value)
    if text is None:
        return None
    try:
        number = parse_count(value)
    except CellProblem:
        raise CellProblem(msg("ind_row_respondents_bad", value=text)) from None
    if number == 0:
        raise CellProblem(msg("ind_row_respondents_bad", value=text))
    return number


def _rate(value: Any) -> float | None:
    """A response rate in per cent (0–100), or None when blank."""
    text = as_text(value)
    if text is None:
        return None
    try:
        number, _ = _number(text)
    except ValueError:
        raise CellProblem(msg("ind_row_rate_bad", value=text)) from None
    if not 0 < number <= 100:
        raise CellProblem(msg("ind_row_rate_bad", value=text))
    return number


def _with_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical table with each share's interval and the uncertainty code."""
    out = frame.copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    for column in ("year_from", "year_to", "respondents", "source_row"):
        out[column] = pd.array(out[column], dtype="Int64")
    out["response_rate"] = pd.to_numeric(out["response_rate"], errors="coerce").astype("float64")
    share = (out["unit"] == "percent").to_numpy()
    n = out["respondents"].to_numpy(dtype="float64", na_value=np.nan)
    low, high = wilson_interval(
        np.where(share, out["value"].to_numpy(), np.nan), np.where(share, n, np.nan)
    )
    out["ci_low"] = np.atleast_1d(low)
    out["ci_high"] = np.atleast_1d(high)
    scored = out["unit"].notna().to_numpy() & ~share  # points of a scale, an index
    out["uncertainty"] = np.where(
        scored, "not_a_share", np.where(share & ~np.isnan(n), "wilson95", "unknown")
    ).astype(object)
    return out.reindex(columns=INDICATOR_COLUMNS)
