"""The result every reader returns: accepted rows, rejected rows with reasons, a summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg._errors import RowError

__all__ = ["REJECTED_COLUMNS", "IngestResult", "IngestSummary", "RejectionLog", "RowCounts"]

REJECTED_COLUMNS = ["row", "column", "value", "reason"]
"""Columns of :attr:`IngestResult.rejected`: one line per problem found.

``row`` is the row number the user sees in the source: in CSV and Excel files the header is row 1
and the first data row is row 2; in GeoJSON/GeoPackage/Shapefile and JSON inputs it is the
1-based feature (record) number.
"""


@dataclass
class IngestSummary:
    """Counts and notes of one read.

    Attributes
    ----------
    kind : str
        ``"findings"``, ``"events"`` or ``"areas"``.
    source : str
        File path (or a description of the input).
    n_input, n_accepted, n_rejected : int
        Rows read, accepted and rejected; ``n_input == n_accepted + n_rejected`` always.
    n_swapped : int
        Accepted rows whose coordinates were swapped and fixed.
    n_repaired : int
        Accepted geometries that were invalid and repaired with ``make_valid``.
    crs_in : str
        The input CRS (given, read from the file, or inferred), e.g. ``"EPSG:4326"``.
    crs_inferred : bool
        True when ``crs_in`` was inferred from the value ranges.
    crs_out : str
        The working CRS of the accepted GeoDataFrame.
    notes : list of str
        User-facing notes: inferred CRS, assumptions made, columns recognised.
    unmapped : dict
        ``{field: {value as written: count}}``: the values no vocabulary could place (a
        finding's category or actor that became ``other``, an unknown status, an event type
        that became ``other``), the most frequent first (:mod:`geo_trygg.io.unmapped`).
    """

    kind: str
    source: str
    n_input: int
    n_accepted: int
    n_rejected: int
    n_swapped: int = 0
    n_repaired: int = 0
    crs_in: str = ""
    crs_inferred: bool = False
    crs_out: str = ""
    notes: list[str] = field(default_factory=list)
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.n_input != self.n_accepted + self.n_rejected:
            raise AssertionError(
                f"row accounting broken: {self.n_input} in != "
                f"{self.n_accepted} accepted + {self.n_rejected} rejected"
            )


class RowCounts:
    """What every reader result shares: the counts read from ``summary`` and the report of
    the rejected rows (``to_dict``/``to_json``)."""

    rejected: pd.DataFrame
    summary: IngestSummary

    @property
    def n_input(self) -> int:
        """Number of input rows."""
        return self.summary.n_input

    @property
    def n_accepted(self) -> int:
        """Number of accepted rows."""
        return self.summary.n_accepted

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows."""
        return self.summary.n_rejected

    def to_dict(self) -> dict[str, Any]:
        """Return the summary and every rejected line as plain JSON-able data.

        Returns
        -------
        dict
            ``{"summary": {...}, "rejected": [{"row", "column", "value", "reason"}, ...]}``.
        """
        rejected = [
            {
                "row": int(r.row),
                "column": str(r.column),
                "value": _jsonable(r.value),
                "reason": str(r.reason),
            }
            for r in self.rejected.itertuples(index=False)
        ]
        return {"summary": asdict(self.summary), "rejected": rejected}

    def to_json(self) -> str:
        """The :meth:`to_dict` report as deterministic JSON (sorted keys, UTF-8 text)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2)


@dataclass
class IngestResult(RowCounts):
    """What a reader returns.

    Attributes
    ----------
    accepted : geopandas.GeoDataFrame
        Accepted rows in canonical columns (see ``docs/data-model.md``), in the working CRS,
        with a ``source_row`` column giving each row's number in the source.
    rejected : pandas.DataFrame
        Columns ``row``, ``column``, ``value``, ``reason``; one line per problem, so a row with
        two problems appears twice. ``rejected["row"].nunique() == summary.n_rejected``.
    summary : IngestSummary
    """

    accepted: gpd.GeoDataFrame
    rejected: pd.DataFrame
    summary: IngestSummary


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (str, int, float, bool)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


class RejectionLog:
    """Collects problems row by row while a reader works; raises at once in strict mode.

    Parameters
    ----------
    strict : bool
        Raise :class:`~geo_trygg.RowError` on the first problem instead of collecting it.

    Examples
    --------
    >>> log = RejectionLog(strict=False)
    >>> log.add(3, "datum", "31/2/2024", "ogiltigt datum")
    >>> log.rows
    {3}
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._lines: list[tuple[int, str, Any, str]] = []

    def add(self, row: int, column: str, value: Any, reason: str) -> None:
        """Record that source row ``row`` is rejected because of ``column``/``value``."""
        if self.strict:
            raise RowError(int(row), column, value, reason)
        self._lines.append((int(row), column, value, reason))

    def add_many(self, rows: Any, column: str, values: Any, reasons: Any) -> None:
        """Record several problems at once (sequences of equal length)."""
        for row, value, reason in zip(rows, values, reasons, strict=True):
            self.add(row, column, value, reason)

    @property
    def rows(self) -> set[int]:
        """Source row numbers with at least one problem."""
        return {line[0] for line in self._lines}

    def frame(self) -> pd.DataFrame:
        """The problems as a DataFrame sorted by row then column (deterministic)."""
        df = pd.DataFrame(self._lines, columns=REJECTED_COLUMNS)
        df["row"] = df["row"].astype("int64")
        return df.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
