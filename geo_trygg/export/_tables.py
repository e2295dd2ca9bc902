"""Exports of a set of tables to Excel, CSV, GeoPackage and a self-contained HTML report.

Every writer takes a mapping ``{table name: DataFrame or GeoDataFrame}`` (written in the
mapping's order) and gives **the same bytes for the same input**: no time stamps, fixed
document dates, stable order. The ``Lagesbild`` exporters, the packs' pages and action lists
call these functions.

Choices made here:

- **Geometry** is written only to GeoPackage. Excel, CSV and HTML drop geometry columns (a
  polygon as text helps nobody in a spreadsheet); the attribute columns are kept.
- **Index**: an index with a name becomes leading columns; an unnamed index is not written.
- **Formula injection** (OWASP "CSV injection"): a text cell that begins with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return could be run as a formula by a spreadsheet program. In
  Excel such cells are written with ``write_string`` (with ``strings_to_formulas`` off) and the
  *quote prefix* cell style, so the cell is text and stays text when edited; in CSV the cell is
  prefixed with an apostrophe ``'``, which Excel and LibreOffice read as "this is text" (the
  one rule of every CSV the project writes: :func:`geo_trygg.export.formula_safe_text`).
  Only text cells are touched: numbers (also negative ones) are written as numbers.
- **Number formats** by column (Excel, CSV keeps full precision, HTML as in Excel): integers
  without decimals; p-values and shares (column names with a word ``p``, ``pvalue``, ``q``,
  ``share``, ``andel``, ``gini``, ``z``) three decimals; other decimals (rates, weights) one
  decimal; dates ``yyyy-mm-dd``; times ``yyyy-mm-dd hh:mm`` in the column's own time zone.
  ``formats=`` overrides the Excel format of any column.
- **GeoPackage**: tables with a geometry become spatial layers; tables without one are written
  as attribute-only tables (QGIS shows and joins them), so the file holds the whole set.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._text import ascii_fold
from geo_trygg._validate import check_lang
from geo_trygg.export._safe import DANGEROUS_START, FIXED_GPKG_DATE, formula_safe_text
from geo_trygg.labels import weekday_names

__all__ = [
    "FIXED_CREATED",
    "write_csv_folder",
    "write_excel",
    "write_geopackage",
    "write_html",
]

FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The creation date written into workbooks, so that the same input gives the same bytes."""

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_COLS = 16_384
_EXCEL_MAX_TEXT = 32_767
_THREE_DECIMALS = {"p", "pvalue", "q", "qvalue", "share", "andel", "gini", "z", "proportion"}
_EXCEL_FORMATS = {
    "int": "0",
    "float": "0.0",
    "float3": "0.000",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}

Tables = Mapping[str, pd.DataFrame]
Headers = Mapping[str, "str | Mapping[str, str]"]


# --- shared helpers ---------------------------------------------------------------------------


def _check_tables(tables: object) -> dict[str, pd.DataFrame]:
    if not isinstance(tables, Mapping) or not tables:
        raise ConfigError(
            f"tables must be a non-empty mapping {{table name: DataFrame}}, not {tables!r:.80}"
        )
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if not isinstance(name, str) or not isinstance(frame, pd.DataFrame):
            raise ConfigError(
                f"tables[{name!r}] must be a DataFrame under a str name, "
                f"not {type(frame).__name__}"
            )
        names = [str(c) for c in frame.columns]
        names += [str(n) for n in frame.index.names if n is not None]  # written as columns
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ConfigError(f"tables[{name!r}] has duplicate column names: {', '.join(dup)}")
        out[name] = frame
    return out


def _plain(frame: pd.DataFrame, *, keep_geometry: bool = False) -> pd.DataFrame:
    """Text column names, a named index as leading columns, geometry dropped (or the active
    geometry kept)."""
    named = any(n is not None for n in frame.index.names)
    out = frame.reset_index(drop=not named)
    active = None
    if keep_geometry and isinstance(out, gpd.GeoDataFrame):
        active = out.active_geometry_name
    geo = [c for c in out.columns if isinstance(out[c].dtype, gpd.array.GeometryDtype)]
    out = out.drop(columns=[c for c in geo if c != active])
    if active is None:
        out = pd.DataFrame(out)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" / ".join(str(p) for p in c if str(p)) for c in out.columns]
    else:
        out.columns = [str(c) for c in out.columns]
    return out


def _header(column: str, headers: Headers | None, lang: str) -> str:
    if not headers or column not in headers:
        return column
    label = headers[column]
    if isinstance(label, Mapping):
        return str(label.get(lang) or label.get("sv") or column)
    return str(label)


def _kind(name: str, series: pd.Series) -> str:
    """``int``, ``float``, ``float3``, ``date``, ``datetime``, ``bool`` or ``text``."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        words = set(re.split(r"[\s_\-.]+", ascii_fold(name).casefold()))
        return "float3" if words & _THREE_DECIMALS else "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.dropna()
        if getattr(series.dt, "tz", None) is None and (values == values.dt.normalize()).all():
            return "date"
        return "datetime"
    return "text"


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def _naive_local(values: pd.Series) -> pd.Series:
    """Datetimes as naive wall-clock times in their own time zone."""
    if getattr(values.dt, "tz", None) is not None:
        return values.dt.tz_localize(None)
    return values


def _unique(name: str, seen: set[str], limit: int, sep: str) -> str:
    candidate, n = name[:limit], 1
    while candidate.casefold() in seen:
        n += 1
        suffix = f"{sep}{n}"
        candidate = name[: limit - len(suffix)] + suffix
    seen.add(candidate.casefold())
    return candidate


def _sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names: ≤ 31 characters, none of ``[]:*?/\\``, not empty,
    no leading/trailing apostrophe, not the reserved "History"; duplicates (Excel compares
    without case) get ``~2``, ``~3`` …"""
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names, start=1):
        clean = _SHEET_FORBIDDEN.sub("_", name).strip().strip("'").strip() or str(i)
        if clean.casefold() == "history":
            clean += "_"
        out.append(_unique(clean, seen, 31, "~"))
    return out


def _identifier(name: str, fallback: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_fold(name)).strip("_")
    return text or fallback


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}


def _file_stems(names: list[str]) -> list[str]:
    """Safe, unique file names (ASCII letters, digits, ``_``; not a Windows device name)."""
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names, start=1):
        stem = _identifier(name, f"table_{i}")
        if stem.casefold() in _WINDOWS_RESERVED:
            stem += "_"
        out.append(_unique(stem, seen, 100, "_"))
    return out


def _layer_names(names: list[str]) -> list[str]:
    """GeoPackage table names: lower-case ASCII identifiers starting with a letter, not in the
    reserved ``gpkg_``/``rtree_``/``sqlite_`` name spaces, unique."""
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names, start=1):
        layer = _identifier(name, f"table_{i}").lower()
        if not layer[0].isalpha() or layer.startswith(("gpkg_", "rtree_", "sqlite_")):
            layer = f"t_{layer}"
        out.append(_unique(layer, seen, 63, "_"))
    return out


def _plain_text(value: object, lang: str) -> str | None:
    """A missing value, a yes/no or an integer as text (the same in every export); None
    for the other values."""
    if _is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return msg("export_yes" if value else "export_no", lang)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return None


def _display(value: object, kind: str, lang: str) -> str:
    """A cell as text for reading (HTML): decimal comma in Swedish, fixed decimals."""
    plain = _plain_text(value, lang)
    if plain is not None:
        return plain
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isinf(x):
            return "∞" if x > 0 else "−∞"
        text = f"{x:.3f}" if kind == "float3" else f"{x:.1f}" if kind != "int" else f"{x:.0f}"
        return text.replace(".", ",") if lang == "sv" else text
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M")
    return str(value)


_PERCENT = {"share", "andel", "proportion"}
"""Words of a column name whose values the HTML report shows as percentages (16 %)."""


def _html_kind(name: str, series: pd.Series) -> str:
    """The kind of a column as the HTML report shows it: :func:`_kind`, with shares as
    ``percent`` and decimal columns that hold only whole numbers (counts) as ``int``."""
    kind = _kind(name, series)
    if kind not in ("float", "float3"):
        return kind
    words = set(re.split(r"[\s_\-.]+", ascii_fold(name).casefold()))
    if words & _PERCENT:
        return "percent"
    values = series.to_numpy(dtype=float, na_value=np.nan)
    finite = values[np.isfinite(values)]
    if len(finite) and np.array_equal(finite, np.round(finite)):
        return "int"
    return kind


def _percent(x: float, lang: str) -> str:
    """A share (0–1) as a percentage: whole percents, one decimal where rounding would show
    a share that is neither 0 nor 1 as 0 % or 100 %."""
    value = x * 100
    text = f"{value:.0f}"
    if (text in ("0", "100", "-0")) and 0 < abs(x) < 1:
        text = f"{value:.1f}"
    text = text.removeprefix("-") if float(text) == 0 else text
    text = text.replace(".", ",") if lang == "sv" else text
    return f"{text} %" if lang == "sv" else f"{text}%"


def _html_cell(value: object, kind: str, lang: str) -> str:
    """A cell as the HTML report shows it: as :func:`_display`, with no negative zero, an
    infinite value as "–" (the table's note says why), shares in percent and whole-number
    decimals as integers (:func:`_html_kind`)."""
    if isinstance(value, (float, np.floating)) and not _is_missing(value):
        x = float(value)
        if math.isinf(x):
            return "–"
        if kind == "percent":
            return _percent(x, lang)
        text = _display(x, kind, lang)
        if text.startswith("-") and float(text.replace(",", ".")) == 0:
            text = text[1:]
        return text
    return _display(value, kind, lang)


# --- Excel ------------------------------------------------------------------------------------


def _cell_width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _write_sheet(
    wb: Any, ws: Any, frame: pd.DataFrame, labels: list[str], styles: dict[str, Any], fmt: dict
) -> None:
    ws.freeze_panes(1, 0)
    for j, (column, label) in enumerate(zip(frame.columns, labels, strict=True)):
        ws.write_string(0, j, label, styles["header"])
        series = frame[column]
        kind = _kind(column, series)
        number_style = wb.add_format({"num_format": fmt.get(column, _EXCEL_FORMATS.get(kind))})
        values = _naive_local(series) if kind in ("date", "datetime") else series
        width = _cell_width(label)
        if kind in ("int", "float", "float3"):  # a column of numbers: no per-cell dispatch
            width = max(width, _write_numbers(ws, j, values, kind, number_style))
        else:
            for i, value in enumerate(values.tolist(), start=1):
                width = max(width, _write_cell(ws, i, j, value, kind, number_style, styles))
        ws.set_column(j, j, min(max(width, 6), 60) + 2)


def _write_numbers(ws: Any, j: int, values: pd.Series, kind: str, style: Any) -> int:
    """Write a numeric column (rows 1…) as :func:`_write_cell` would; return its widest
    display, which a fixed number of decimals puts at the smallest or largest value."""
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(numbers)
    write = ws.write_number
    for i in np.flatnonzero(finite).tolist():
        write(i + 1, j, float(numbers[i]), style)
    width = 0
    for i in np.flatnonzero(np.isinf(numbers)).tolist():
        ws.write_string(i + 1, j, "∞" if numbers[i] > 0 else "−∞")
        width = 2
    if finite.any():
        shown = numbers[finite]
        negative = shown[np.signbit(shown)]  # -0.0 shows its sign; min() may pick 0.0
        ends = (shown.min(), shown.max(), *negative[:1])
        as_int = kind == "int"
        width = max(
            width, *(len(_display(int(v) if as_int else float(v), kind, "en")) for v in ends)
        )
    return width


def _write_cell(ws: Any, i: int, j: int, value: Any, kind: str, number: Any, styles: dict) -> int:
    """Write one cell by its Python type; return its display width."""
    if _is_missing(value):
        return 0
    if isinstance(value, (bool, np.bool_)):
        ws.write_boolean(i, j, bool(value))
        return 5
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if math.isinf(x):
            ws.write_string(i, j, "∞" if x > 0 else "−∞")
            return 2
        ws.write_number(i, j, x, number if kind != "text" else styles["float"])
        return len(_display(value, kind if kind != "text" else "float", "en"))
    if isinstance(value, (dt.datetime, dt.date)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        style = number if kind in ("date", "datetime") else styles["datetime"]
        ws.write_datetime(i, j, value, style)
        return 16 if kind != "date" else 10
    text = str(value)
    if len(text) > _EXCEL_MAX_TEXT:
        text = text[: _EXCEL_MAX_TEXT - 1] + "…"
    ws.write_string(i, j, text, styles["quoted"] if _is_dangerous(text) else styles["text"])
    return _cell_width(text)


def write_excel(
    tables: Tables,
    path: str | Path,
    *,
    lang: str | None = None,
    headers: Headers | None = None,
    formats: Mapping[str, str] | None = None,
    classification: str | None = None,
) -> Path:
    """Write each table to its own sheet of an ``.xlsx`` workbook (XlsxWriter).

    Headers are ``headers[column]`` (a label, or ``{"sv": …, "en": …}``), else the column
    name; the header row is frozen, columns get widths from their contents (6–60 characters)
    and number formats by kind (module docstring). Sheet names are made valid for Excel (≤ 31
    characters, none of ``[]:*?/\\``, unique). Geometry columns are dropped. The workbook's
    creation date is :data:`FIXED_CREATED` and the archive's member dates are fixed, so the
    same input gives the same bytes.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Sheets in order.
    path : str or Path
        Output file (overwritten).
    lang : {"sv", "en"}, optional
        Language of headers given per language; ``settings.lang`` when omitted.
    headers : mapping, optional
        Column name → label or ``{"sv": label, "en": label}``.
    formats : mapping of str to str, optional
        Column name → Excel number format (e.g. ``"0.00"``), overriding the defaults.
    classification : str, optional
        Printed in the header of every sheet (e.g. "Intern").

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        When ``tables`` is not a non-empty mapping of DataFrames, ``lang`` is not allowed or
        a table has more rows or columns than a sheet holds.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> t = pd.DataFrame({"stadsdel": ["ÄLVSJÖ"], "n": [3], "p_value": [0.0421]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_excel({"Per stadsdel": t}, pathlib.Path(tmp) / "lb.xlsx",
    ...                       headers={"n": "Antal"})
    ...     out.name
    'lb.xlsx'
    """
    import xlsxwriter

    checked = _check_tables(tables)
    lang = check_lang(lang)
    frames = [_plain(f) for f in checked.values()]
    for name, frame in zip(checked, frames, strict=True):
        if len(frame) >= _EXCEL_MAX_ROWS or len(frame.columns) > _EXCEL_MAX_COLS:
            raise ConfigError(
                f"tables[{name!r}] has {len(frame)} rows and {len(frame.columns)} columns; an "
                f"Excel sheet holds at most {_EXCEL_MAX_ROWS - 1} rows under the header and "
                f"{_EXCEL_MAX_COLS} columns. Write it with write_csv_folder instead"
            )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {
        "in_memory": True,  # archive members get a fixed date (1980-01-01)
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties({"created": FIXED_CREATED})
    styles = {
        "header": wb.add_format({"bold": True, "bg_color": "#E7E6E6", "bottom": 1}),
        "text": wb.add_format({"num_format": "@"}),
        "quoted": wb.add_format({"num_format": "@", "quote_prefix": True}),
        "float": wb.add_format({"num_format": _EXCEL_FORMATS["float"]}),
        "datetime": wb.add_format({"num_format": _EXCEL_FORMATS["datetime"]}),
    }
    for sheet, frame in zip(_sheet_names(list(checked)), frames, strict=True):
        ws = wb.add_worksheet(sheet)
        if classification:  # "&" starts a header code in Excel: doubled, it is text
            ws.set_header("&C" + str(classification).replace("&", "&&")[:200])
        labels = [_header(c, headers, lang) for c in frame.columns]
        _write_sheet(wb, ws, frame, labels, styles, dict(formats or {}))
    wb.close()
    return path


# --- CSV --------------------------------------------------------------------------------------


def _csv_value(value: Any, lang: str) -> str:
    plain = _plain_text(value, lang)
    if plain is not None:
        return plain
    if isinstance(value, (float, np.floating)):
        return repr(float(value)).replace(".", ",")  # full precision, decimal comma
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            return value.strftime("%Y-%m-%d %H:%M:%S%z")
        fmt = "%Y-%m-%d" if value == value.normalize() else "%Y-%m-%d %H:%M:%S"
        return value.strftime(fmt)
    return formula_safe_text(str(value))


def write_csv_folder(
    tables: Tables,
    folder: str | Path,
    *,
    lang: str | None = None,
    headers: Headers | None = None,
) -> list[Path]:
    """Write each table as ``<folder>/<name>.csv`` for Swedish Excel.

    UTF-8 with byte-order mark, ``;`` separators, decimal commas (numbers in full
    precision), CRLF line ends, dates ``yyyy-mm-dd``, yes/no as ``ja``/``nej`` (``yes``/``no``
    in English). Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading
    apostrophe so spreadsheet programs do not run them (OWASP CSV injection advice; the rule of
    :func:`geo_trygg.export.formula_safe_text`, which also keeps plain numbers such as
    ``-1`` as they are and doubles a leading apostrophe, so the text can be recovered). File
    names are the table names folded to ASCII letters, digits and ``_`` (unique). Geometry
    columns are dropped.

    Parameters
    ----------
    tables : mapping of str to DataFrame
    folder : str or Path
        Created when missing; existing files of the same names are overwritten.
    lang : {"sv", "en"}, optional
    headers : mapping, optional
        As for :func:`write_excel`; without it the column names are the headers.

    Returns
    -------
    list of Path
        The files written, in table order.

    Raises
    ------
    ConfigError
        When ``tables`` is not a non-empty mapping of DataFrames or ``lang`` is not allowed.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> t = pd.DataFrame({"kommentar": ["=1+1"], "andel": [0.25]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (path,) = write_csv_folder({"Per område": t}, tmp)
    ...     path.name, path.read_bytes()
    ('Per_omrade.csv', b"\\xef\\xbb\\xbfkommentar;andel\\r\\n'=1+1;0,25\\r\\n")
    """
    checked = _check_tables(tables)
    lang = check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, frame in zip(_file_stems(list(checked)), checked.values(), strict=True):
        plain = _plain(frame)
        text = pd.DataFrame(
            {
                i: pd.Series([_csv_value(v, lang) for v in plain[c].tolist()], dtype=object)
                for i, c in enumerate(plain.columns)
            }
        )
        text.columns = [_csv_value(_header(c, headers, lang), lang) for c in plain.columns]
        path = folder / f"{stem}.csv"
        text.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
        paths.append(path)
    return paths


# --- GeoPackage -------------------------------------------------------------------------------


def _gpkg_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = _plain(frame, keep_geometry=True)
    geometry = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for col in out.columns:
        if col == geometry:
            continue
        dtype = out[col].dtype
        if isinstance(dtype, pd.DatetimeTZDtype):  # GeoPackage stores times in UTC
            out[col] = out[col].dt.tz_convert("UTC")
        elif isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_timedelta64_dtype(dtype):
            out[col] = out[col].astype(str).where(out[col].notna(), None)
        elif pd.api.types.is_object_dtype(dtype):
            out[col] = out[col].map(lambda v: None if _is_missing(v) else str(v))
    return out


def write_geopackage(tables: Tables, path: str | Path) -> Path:
    """Write each table as a layer of one GeoPackage.

    Tables with an active geometry become spatial layers in their own CRS; tables without
    geometry are written as attribute-only tables (GeoPackage "attributes"), so the file
    holds the whole set and QGIS can join them. Layer names are lower-case ASCII identifiers
    made from the table names (unique, starting with a letter). Other geometry columns than
    the active one are dropped; times with a time zone are stored in UTC, as the GeoPackage
    standard requires. ``OGR_CURRENT_DATE`` is fixed during the write
    (:data:`geo_trygg.export.FIXED_GPKG_DATE`), so the same input gives the same bytes.

    Parameters
    ----------
    tables : mapping of str to DataFrame or GeoDataFrame
    path : str or Path
        Output file, replaced when it exists.

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        When ``tables`` is not a non-empty mapping of DataFrames.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd, pyogrio, shapely, tempfile, pathlib
    >>> areas = gpd.GeoDataFrame({"n": [3]}, geometry=[shapely.box(0, 0, 1, 1)], crs=3006)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_geopackage({"Per område": areas, "Veckor": pd.DataFrame({"n": [1]})},
    ...                             pathlib.Path(tmp) / "lb.gpkg")
    ...     pyogrio.list_layers(path).tolist()
    [['per_omrade', 'Polygon'], ['veckor', None]]
    """
    checked = _check_tables(tables)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GPKG_DATE})
    try:
        for layer, frame in zip(_layer_names(list(checked)), checked.values(), strict=True):
            out = _gpkg_frame(frame)
            kwargs: dict[str, Any] = {"layer": layer, "driver": "GPKG"}
            if isinstance(out, gpd.GeoDataFrame) and out.geometry.isna().all():
                kwargs["geometry_type"] = "Unknown"
            pyogrio.write_dataframe(out, path, **kwargs)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path


# --- HTML -------------------------------------------------------------------------------------


def _section(
    anchor: str,
    name: str,
    frame: pd.DataFrame,
    lang: str,
    headers: Headers | None,
    max_rows: int,
) -> dict[str, Any]:
    plain = _plain(frame)
    kinds = [_html_kind(c, plain[c]) for c in plain.columns]
    head = plain.head(max_rows)
    columns = []
    for c, k in zip(plain.columns, kinds, strict=True):
        values = _naive_local(head[c]) if k in ("date", "datetime") else head[c]
        columns.append([_html_cell(v, k, lang) for v in values.tolist()])
    notes = [str(n) for n in frame.attrs.get("notes", []) if isinstance(n, str)]
    numbers = plain.select_dtypes(include="number")
    if len(numbers.columns) and np.isinf(numbers.to_numpy(dtype=float, na_value=0.0)).any():
        notes.append(msg("export_infinite_note", lang))
    if len(plain) > max_rows:
        notes.append(msg("export_rows_shown", lang, shown=max_rows, n=len(plain)))
    return {
        "anchor": anchor,
        "name": name,
        "columns": [_header(c, headers, lang) for c in plain.columns],
        "numeric": [k in ("int", "float", "float3", "percent") for k in kinds],
        "rows": [list(r) for r in zip(*columns, strict=True)] if columns else [],
        "n_rows": len(plain),
        "notes": notes,
    }


def write_html(
    tables: Tables,
    path: str | Path,
    *,
    title: str,
    lang: str | None = None,
    charts: Mapping[str, pd.DataFrame] | None = None,
    headers: Headers | None = None,
    max_rows: int = 1000,
    classification: str | None = None,
    summary: tuple[str, Sequence[str]] | None = None,
    overview: Sequence[tuple[str, Sequence[str]]] | None = None,
    picture: str | None = None,
    picture_alt: str | None = None,
    analyst: Mapping[str, pd.DataFrame] | None = None,
    nav: Sequence[tuple[str, str]] | None = None,
    lead: Sequence[str] = (),
) -> Path:
    """Write a readable, self-contained HTML report of the tables and small charts.

    One section per table (Swedish headers via ``headers``, numbers formatted as in Excel with
    a decimal comma in Swedish, the table's ``attrs["notes"]`` shown under it), and before them
    the charts: a weekly series becomes an inline SVG bar chart, a weekday × hour table a heat
    table (an HTML table with background colours). No JavaScript, no external files (but the
    ``picture`` beside the page), no time stamps.

    The first screen holds the ``overview`` (short lists of sentences), the ``summary`` and
    the ``picture``; tables follow. The ``analyst`` tables close the page in a collapsed
    section ("För analytiker"), which is not printed (those wide tables are read on screen
    or in Excel). Cells are shown for reading: shares (a column name with a word ``share``,
    ``andel`` or ``proportion``) in percent ("16 %"), decimal columns holding only whole
    numbers as integers, no negative zero, and an infinite value as "–" with a note under the
    table. Printed (A4 landscape), every table fits the page's width and nothing scrolls.

    All text — the title, table names, headers, cells, notes, the overview, the picture's
    description and the links — is escaped by Jinja2's autoescaping, so data such as
    ``<script>`` is shown, never run. Geometry columns are dropped.

    Parameters
    ----------
    tables : mapping of str to DataFrame
    path : str or Path
        Output file (UTF-8, overwritten).
    title : str
        Page title and heading.
    lang : {"sv", "en"}, optional
        Language of the page's own words; ``settings.lang`` when omitted.
    charts : mapping of str to DataFrame, optional
        Caption → frame. A frame with ``weekday``, ``hour``, ``weight`` (from
        :func:`~geo_trygg.lagesbild.weekday_hour`) is drawn as a heat table, one
        with ``week``, ``weight`` (from ``weekly_series``) as a bar chart, one with ``role``,
        ``x``, ``value``, ``ci_low``, ``ci_high`` as values over years with their intervals
        and a dashed path (a goal's; ``attrs["unit"]``, ``attrs["notes"]``). Frames with an area
        column are summed over the areas (the chart says so); pass one area's rows for its own
        chart.
    headers : mapping, optional
        As for :func:`write_excel`.
    max_rows : int, default 1000
        Rows shown per table; longer tables are cut with a note (Excel and CSV hold them all).
    classification : str, optional
        A banner on top of the page, such as "Intern" or "Sekretess enligt OSL …".
    summary : (str, sequence of str), optional
        A heading and the sentences shown under it right below the title, before anything
        else (what the data can and cannot show).
    overview : sequence of (str, sequence of str), optional
        Short lists shown first, before the ``summary``: each a heading and its sentences
        (what changed, overdue measures by actor).
    picture : str, optional
        The relative address of a picture shown on the first screen (e.g. ``"karta.png"``
        beside the page); ``picture_alt`` describes it (a generic text when omitted).
    picture_alt : str, optional
    analyst : mapping of str to DataFrame, optional
        Tables for analysts (diagnostics, p-values, every column), in a collapsed section
        at the end of the page.
    nav : sequence of (str, str), optional
        Links at the top of the page, each its text and relative address (hidden in print;
        :func:`geo_trygg.export.render_page`).
    lead : sequence of str, default ()
        Sentences under the title (e.g. an utsatt område's police category and list year).

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        When ``tables`` or ``charts`` are not mappings of DataFrames, a chart frame has neither
        shape, ``title`` is not text or ``lang``/``max_rows`` is not allowed.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> t = pd.DataFrame({"stadsdel": ["<b>ÄLVSJÖ</b>"], "n": [3]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_html({"Per stadsdel": t}, pathlib.Path(tmp) / "lb.html",
    ...                       title="Lägesbild & uppföljning")
    ...     page = path.read_text(encoding="utf-8")
    >>> "<td>&lt;b&gt;ÄLVSJÖ&lt;/b&gt;</td>" in page
    True
    >>> "<h1>Lägesbild &amp; uppföljning</h1>" in page
    True
    """
    import geo_trygg
    from geo_trygg.export import _report as html

    checked = _check_tables(tables)
    lang = check_lang(lang)
    if not isinstance(title, str):
        raise ConfigError(f"title={title!r} must be text")
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ConfigError(f"max_rows={max_rows!r} must be a whole number of at least 1")
    chart_items = list((charts or {}).items())
    if charts is not None and not isinstance(charts, Mapping):
        raise ConfigError(f"charts must be a mapping {{caption: DataFrame}}, not {charts!r:.80}")
    rendered = []
    for i, (caption, frame) in enumerate(chart_items, start=1):
        kind = html.chart_kind(frame) if isinstance(frame, pd.DataFrame) else None
        if kind is None:
            raise ConfigError(
                f"charts[{caption!r}] must be a DataFrame with the columns "
                f"{', '.join(html.HEAT_COLUMNS)} (weekday × hour) or "
                f"{', '.join(html.WEEKLY_COLUMNS)} (weekly series) or "
                f"{', '.join(html.SERIES_COLUMNS)} (values over years with a path)"
            )
        if kind == "heat":
            item = html.heat_table(
                frame,
                caption=str(caption),
                anchor=f"c{i}",
                lang=lang,
                weekday_names=list(weekday_names(lang).values()),
            )
        elif kind == "series":
            item = html.series_chart(frame, caption=str(caption), anchor=f"c{i}", lang=lang)
        else:
            item = html.weekly_chart(frame, caption=str(caption), anchor=f"c{i}", lang=lang)
        rendered.append(item)
    sections = [
        _section(f"t{i}", name, frame, lang, headers, max_rows)
        for i, (name, frame) in enumerate(checked.items(), start=1)
    ]
    if analyst is not None and not isinstance(analyst, Mapping):
        raise ConfigError(f"analyst must be a mapping {{name: DataFrame}}, not {analyst!r:.80}")
    extra = _check_tables(analyst) if analyst else {}
    analyst_sections = [
        _section(f"a{i}", name, frame, lang, headers, max_rows)
        for i, (name, frame) in enumerate(extra.items(), start=1)
    ]
    if picture is not None and not isinstance(picture, str):
        raise ConfigError(f"picture={picture!r} must be a relative address (text)")
    page = html.render_report(
        {
            "lang": lang,
            "title": title,
            "banner": classification,
            "contents": msg("export_contents", lang),
            "empty": msg("export_empty_table", lang),
            "charts": rendered,
            "sections": sections,
            "summary": None
            if summary is None
            else {"heading": str(summary[0]), "lines": [str(x) for x in summary[1]]},
            "overview": [
                {"heading": str(heading), "lines": [str(x) for x in lines]}
                for heading, lines in overview or ()
            ],
            "picture": picture,
            "picture_alt": msg("export_picture_alt", lang)
            if picture_alt is None
            else str(picture_alt),
            "analyst": analyst_sections,
            "analyst_heading": msg("export_analyst_heading", lang),
            "analyst_note": msg("export_analyst_note", lang),
            "analyst_print": msg("export_analyst_print", lang),
            "nav": nav,
            "lead": [str(x) for x in lead],
            "footer": [msg("export_generated_by", lang, version=geo_trygg.__version__)],
        }
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(page)
    return path
