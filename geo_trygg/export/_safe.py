"""The one formula-safe rule for every CSV cell the project writes, and fixed file dates.

Every CSV file the project writes (``write_points`` to ``.csv``, ``write_rejected``, the
lägesbild CSV folders, a pack's ``avvisade_rader.csv``) passes its text cells through
:func:`formula_safe_text`, so that no cell can run as a spreadsheet formula (OWASP "CSV
injection"). The rule, shared with the Excel export:

- a *text* cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  (:data:`DANGEROUS_START`) is written with a leading apostrophe ``'``, which Excel and
  LibreOffice read as "this cell is text" (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``);
- *numbers* are never touched: numeric values (``-1``, ``-2.5``) are written as numbers, and
  so is a text that is a plain decimal number (``-1``, ``+46``, ``-0,5``, ``1e-3``), which a
  spreadsheet reads as that number and never as a formula (``-1+1`` is not a plain number and
  is prefixed);
- a text that already begins with an apostrophe gets one more, so the rule can be undone
  without doubt: **to recover the original text of a cell, remove one leading apostrophe
  when the cell begins with one** (:func:`original_text`).

GeoPackages record a "last change" time; :data:`FIXED_GPKG_DATE` is written instead of the
clock's, so that the same input gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "DANGEROUS_START",
    "FIXED_GPKG_DATE",
    "formula_safe",
    "formula_safe_text",
    "original_text",
]

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make spreadsheet programs read a text cell as a formula (OWASP)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")

FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"
"""The ``last_change`` time written into GeoPackages, so output is byte-for-byte repeatable."""


def formula_safe_text(text: str) -> str:
    """A text cell as written to CSV: prefixed with ``'`` when it could run as a formula.

    See the module docstring for the rule; :func:`original_text` undoes it.

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    str
        ``text``, or ``"'" + text`` when it begins with one of :data:`DANGEROUS_START` (and
        is not a plain decimal number) or with an apostrophe.

    Examples
    --------
    >>> formula_safe_text("=HYPERLINK(A1)"), formula_safe_text("-1+1")
    ("'=HYPERLINK(A1)", "'-1+1")
    >>> formula_safe_text("-1"), formula_safe_text("Trasig lampa")
    ('-1', 'Trasig lampa')
    """
    if text.startswith("'"):
        return "'" + text
    if text.startswith(DANGEROUS_START) and _PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def original_text(cell: str) -> str:
    """The text :func:`formula_safe_text` was given: one leading apostrophe removed.

    Parameters
    ----------
    cell : str
        A text cell as read back from a CSV file this project wrote.

    Returns
    -------
    str

    Examples
    --------
    >>> original_text("'=1+1"), original_text("''quoted'"), original_text("-1")
    ('=1+1', "'quoted'", '-1')
    """
    return cell[1:] if cell.startswith("'") else cell


def _safe_value(value: Any) -> Any:
    return formula_safe_text(value) if isinstance(value, str) else value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are formula-safe for CSV.

    Every ``str`` value (in any column, categories of categorical columns included) and every
    ``str`` column name goes through :func:`formula_safe_text`; numbers, dates, booleans and
    missing values are left as they are. Write the result with :meth:`pandas.DataFrame.to_csv`.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> formula_safe(pd.DataFrame({"v": ["@SUM(A1)", "ok"], "n": [-1, 2]}))["v"].tolist()
    ["'@SUM(A1)", 'ok']
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if isinstance(values.dtype, pd.CategoricalDtype):
            safe = [_safe_value(c) for c in values.cat.categories]  # the rule is one-to-one
            out.isetitem(i, values.cat.rename_categories(safe))
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out.isetitem(i, values.map(_safe_value).astype(values.dtype))
    out.columns = pd.Index([_safe_value(c) for c in out.columns])
    return out
