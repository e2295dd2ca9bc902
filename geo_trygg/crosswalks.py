"""Crosswalks between area levels: loading, date selection and chained mapping.

Re-exported by :mod:`geo_trygg.boundaries`, which also selects boundary versions by date and
derives LPO polygons.

The crosswalk tables in ``geo_trygg/data/crosswalks/*.csv`` state memberships as facts with a
public source per row (``docs/data-model.md``, Crosswalks): stadsdel -> stadsdelsområde in each
division of Stockholm (14 areas until 2020-06-30, 13 from 2020-07-01, 11 from 2023-07-01),
stadsdelsområde -> kommun, kommun -> län, kommun / stadsdelsområde / stadsdel -> lokalpolisområde
(LPO), LPO -> polisområde -> polisregion, each with ``valid_from`` (inclusive) and ``valid_to``
(exclusive).

Date selection
--------------
Every function that takes ``at`` selects the rows with ``valid_from <= at < valid_to`` (an empty
date is open). ``at=None`` means *the newest state the crosswalk describes*: the latest
``valid_from`` or ``valid_to`` date present in the table. For the bundled tables that is
2025-01-01 (the city LPO reform), i.e. the state valid today. The default does not read the clock,
so results do not change from one day to the next.

Chaining
--------
:func:`crosswalk_mapping` uses direct rows first (e.g. the stadsdel -> LPO rows of the two
stadsdelsområden split between LPOs, Hägersten-Älvsjö and Enskede-Årsta-Vantör), then chains
through intermediate levels (stadsdel -> stadsdelsområde -> LPO) for the children without a
direct row, trying the intermediate level nearest the parent first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg import catalogue
from geo_trygg._errors import ConfigError, ReadError, check_choice
from geo_trygg._text import normalize_name
from geo_trygg._validate import check_date

__all__ = [
    "CROSSWALK_COLUMNS",
    "CROSSWALK_STATUSES",
    "check_crosswalk_frame",
    "crosswalk_conflicts",
    "crosswalk_mapping",
    "default_date",
    "earlier",
    "later",
    "load_crosswalk",
    "nat_to_none",
    "resolve_crosswalk",
    "to_date",
    "valid_at",
]

CROSSWALK_COLUMNS = [
    "child_level",
    "child",
    "parent_level",
    "parent",
    "valid_from",
    "valid_to",
    "status",
    "source",
]
"""Columns of a crosswalk table (``docs/data-model.md``, Crosswalks)."""

CROSSWALK_STATUSES = ("confirmed", "unconfirmed")
"""Allowed values of the crosswalk ``status`` column."""

_RANK = {
    "stadsdel": 0,
    "deso": 0,
    "place": 0,
    "utsatt_omrade": 0,
    "regso": 1,
    "stadsdelsomrade": 1,
    "kommun": 2,
    "lpo": 3,
    "polisomrade": 4,
    "lan": 5,
    "polisregion": 6,
}


# --- loading ----------------------------------------------------------------------------------


def _crosswalk_files(path: str | Path | Sequence[str | Path] | None) -> list[Path]:
    if path is None:
        path = catalogue.BOUNDARIES_DIR / "crosswalks"
    if isinstance(path, (str, Path)):
        p = Path(path)
        if p.is_dir():
            files = sorted(p.glob("*.csv"))
            if not files:
                raise ReadError(f"no crosswalk CSV files in {p}")
            return files
        return [p]
    return [Path(p) for p in path]


def _read_one(file: Path) -> pd.DataFrame:
    try:
        df = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReadError(f"crosswalk file not found: {file}") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReadError(f"crosswalk file {file} cannot be read: {exc}") from None
    missing = [c for c in CROSSWALK_COLUMNS if c not in df.columns]
    if missing:
        raise ReadError(
            f"crosswalk file {file} lacks the columns {missing}; expected {CROSSWALK_COLUMNS}"
        )
    df = df[CROSSWALK_COLUMNS].apply(lambda s: s.str.strip())
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for col in ("child_level", "child", "parent_level", "parent"):
            if not getattr(row, col):
                raise ReadError(f"crosswalk file {file}, row {i}: column {col!r} is empty")
        if row.child_level == row.parent_level:
            raise ReadError(
                f"crosswalk file {file}, row {i}: child_level and parent_level are both "
                f"{row.child_level!r}"
            )
        if row.status not in CROSSWALK_STATUSES:
            raise ReadError(
                f"crosswalk file {file}, row {i}: status={row.status!r}; expected one of "
                f"{', '.join(map(repr, CROSSWALK_STATUSES))}"
            )
    for col in ("valid_from", "valid_to"):
        raw = df[col]
        parsed = pd.to_datetime(raw.where(raw != ""), format="%Y-%m-%d", errors="coerce")
        bad = (raw != "") & parsed.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ReadError(
                f"crosswalk file {file}, row {i + 2}: {col}={raw.iloc[i]!r} is not an ISO date "
                "(YYYY-MM-DD)"
            )
        df[col] = parsed.astype("datetime64[ns]")
    inverted = (
        df["valid_from"].notna() & df["valid_to"].notna() & (df["valid_from"] >= df["valid_to"])
    )
    if inverted.any():
        i = int(np.flatnonzero(inverted.to_numpy())[0])
        raise ReadError(f"crosswalk file {file}, row {i + 2}: valid_from is not before valid_to")
    return df


def load_crosswalk(path: str | Path | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """Read crosswalk tables into one DataFrame with canonical columns and parsed dates.

    Parameters
    ----------
    path : path-like, sequence of path-likes, or None
        A CSV file, a folder (all its ``*.csv``, sorted by name) or a list of files. Default: the
        bundled tables in ``geo_trygg/data/crosswalks/``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CROSSWALK_COLUMNS`; ``valid_from`` / ``valid_to`` as ``datetime64[ns]``
        (NaT = open), the other columns as text, rows in file order.

    Raises
    ------
    ReadError
        When a file is missing or unreadable, lacks a column, or has an empty name, an unknown
        status, a date not in ISO form, or ``valid_from`` not before ``valid_to``.

    Examples
    --------
    >>> cw = load_crosswalk()
    >>> sorted(cw["parent_level"].unique())[:3]
    ['kommun', 'lan', 'lpo']
    """
    frames = [_read_one(f) for f in _crosswalk_files(path)]
    return pd.concat(frames, ignore_index=True)


# --- dates ------------------------------------------------------------------------------------


def to_date(value: Any, *, name: str = "at") -> pd.Timestamp:
    """Parse a date argument to a naive midnight Timestamp (ConfigError when impossible: the
    rule of every date argument, :func:`geo_trygg._validate.check_date`)."""
    return pd.Timestamp(check_date(value, name))


def default_date(crosswalk: pd.DataFrame) -> pd.Timestamp | None:
    """The date ``at=None`` stands for: the latest ``valid_from``/``valid_to`` in the table.

    Parameters
    ----------
    crosswalk : pandas.DataFrame
        A table from :func:`load_crosswalk`.

    Returns
    -------
    pandas.Timestamp or None
        None when the table has no dates at all (every row is open).

    Examples
    --------
    >>> str(default_date(load_crosswalk()).date())
    '2025-01-01'
    """
    dates = pd.concat([crosswalk["valid_from"], crosswalk["valid_to"]]).dropna()
    return None if dates.empty else pd.Timestamp(dates.max())


def valid_at(vf: pd.Series, vt: pd.Series, at: pd.Timestamp | None) -> pd.Series:
    """True where ``[valid_from, valid_to)`` holds ``at`` (missing ends are open); all True
    when ``at`` is None."""
    if at is None:
        return pd.Series(True, index=vf.index)
    return (vf.isna() | (vf <= at)) & (vt.isna() | (at < vt))


# --- mapping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    parent: str
    valid_from: pd.Timestamp | None
    valid_to: pd.Timestamp | None
    unconfirmed: bool
    path: str


def check_crosswalk_frame(crosswalk: Any) -> pd.DataFrame:
    """ConfigError unless ``crosswalk`` is a DataFrame with the crosswalk columns."""
    if not isinstance(crosswalk, pd.DataFrame):
        raise ConfigError(
            f"crosswalk must be a DataFrame from load_crosswalk(); got {type(crosswalk).__name__}"
        )
    missing = [c for c in CROSSWALK_COLUMNS if c not in crosswalk.columns]
    if missing:
        raise ConfigError(f"crosswalk lacks the columns {missing}; expected {CROSSWALK_COLUMNS}")
    return crosswalk


def nat_to_none(value: Any) -> pd.Timestamp | None:
    """A Timestamp, or None for a missing value."""
    return None if pd.isna(value) else pd.Timestamp(value)


def _edges(
    crosswalk: pd.DataFrame, at: pd.Timestamp | None
) -> dict[tuple[str, str], dict[str, _Link]]:
    rows = crosswalk[valid_at(crosswalk["valid_from"], crosswalk["valid_to"], at)]
    edges: dict[tuple[str, str], dict[str, _Link]] = {}
    conflicts: list[str] = []
    for r in rows.itertuples(index=False):
        key = (str(r.child_level), str(r.parent_level))
        child = normalize_name(r.child)
        link = _Link(
            parent=str(r.parent),
            valid_from=nat_to_none(r.valid_from),
            valid_to=nat_to_none(r.valid_to),
            unconfirmed=r.status != "confirmed",
            path=f"{r.child_level}->{r.parent_level}",
        )
        known = edges.setdefault(key, {}).get(child)
        if known is not None and normalize_name(known.parent) != normalize_name(link.parent):
            conflicts.append(f"{r.child_level} {r.child!r} -> {known.parent!r} / {r.parent!r}")
        elif known is None:
            edges[key][child] = link
    if conflicts:
        when = "" if at is None else f" on {at.date()}"
        raise ConfigError(
            f"the crosswalk gives more than one parent{when} for: {'; '.join(sorted(conflicts))}"
        )
    return edges


def later(a: pd.Timestamp | None, b: pd.Timestamp | None) -> pd.Timestamp | None:
    """The later of two validity starts; None (open) when both are None."""
    return b if a is None else a if b is None else max(a, b)


def earlier(a: pd.Timestamp | None, b: pd.Timestamp | None) -> pd.Timestamp | None:
    """The earlier of two validity ends; None (open) when both are None."""
    return b if a is None else a if b is None else min(a, b)


def _chain(
    edges: dict[tuple[str, str], dict[str, _Link]],
    child_level: str,
    parent_level: str,
    banned: frozenset[str],
    memo: dict[tuple[str, str, frozenset[str]], dict[str, _Link]],
) -> dict[str, _Link]:
    key = (child_level, parent_level, banned)
    if key in memo:
        return memo[key]
    out = dict(edges.get((child_level, parent_level), {}))
    mids = {
        b
        for (a, b) in edges
        if a == child_level and b not in banned and b not in (child_level, parent_level)
    }
    for mid in sorted(mids, key=lambda lv: (-_RANK.get(lv, 0), lv)):
        first = _chain(edges, child_level, mid, banned | {parent_level}, memo)
        if not first:
            continue
        second = _chain(edges, mid, parent_level, banned | {child_level}, memo)
        for child, a in sorted(first.items()):
            if child in out:
                continue
            b = second.get(normalize_name(a.parent))
            if b is not None:
                out[child] = _Link(
                    parent=b.parent,
                    valid_from=later(a.valid_from, b.valid_from),
                    valid_to=earlier(a.valid_to, b.valid_to),
                    unconfirmed=a.unconfirmed or b.unconfirmed,
                    path=f"{a.path}->{b.path.split('->', 1)[1]}",
                )
    memo[key] = out
    return out


def _linked(levels: set[tuple[str, str]], child_level: str, parent_level: str) -> bool:
    reach, todo = {child_level}, [child_level]
    while todo:
        lv = todo.pop()
        for a, b in levels:
            if a == lv and b not in reach:
                reach.add(b)
                todo.append(b)
    return parent_level in reach


def resolve_crosswalk(
    crosswalk: pd.DataFrame | None,
    *,
    child_level: str,
    parent_level: str,
    at: Any = None,
) -> pd.DataFrame:
    """Resolve every child of ``child_level`` to its ``parent_level`` area, with provenance.

    Parameters
    ----------
    crosswalk : pandas.DataFrame or None
        A table from :func:`load_crosswalk`; None reads the bundled tables.
    child_level, parent_level : str
        Area levels, e.g. ``"stadsdel"`` and ``"lpo"``.
    at : date-like, optional
        The date the memberships must hold on (see the module docstring for ``None``).

    Returns
    -------
    pandas.DataFrame
        One row per child, sorted by ``child``: ``child`` (normalised name), ``parent`` (as
        spelled in the crosswalk), ``valid_from`` / ``valid_to`` (the window in which every row
        used holds), ``status`` (``unconfirmed`` when any row used is) and ``path`` (the levels
        chained, e.g. ``"stadsdel->stadsdelsomrade->lpo"``).

    Raises
    ------
    ConfigError
        When a level is not in the crosswalk, no chain of rows links the two levels, ``at`` is
        not a date, or the rows valid at ``at`` give one child two parents.

    Examples
    --------
    >>> r = resolve_crosswalk(None, child_level="stadsdel", parent_level="lpo", at="2024-01-01")
    >>> r.set_index("child").loc["akalla", ["parent", "path"]].tolist()
    ['Järva', 'stadsdel->stadsdelsomrade->lpo']
    """
    cw = load_crosswalk() if crosswalk is None else check_crosswalk_frame(crosswalk)
    levels = sorted(set(cw["child_level"]) | set(cw["parent_level"]))
    check_choice("child_level", child_level, levels)
    check_choice("parent_level", parent_level, levels)
    if child_level == parent_level:
        raise ConfigError(f"child_level and parent_level are both {child_level!r}")
    pairs = set(zip(cw["child_level"], cw["parent_level"], strict=True))
    if not _linked(pairs, child_level, parent_level):
        raise ConfigError(
            f"no crosswalk rows link child_level={child_level!r} to parent_level="
            f"{parent_level!r}; the crosswalk links: "
            f"{', '.join(f'{a}->{b}' for a, b in sorted(pairs))}"
        )
    when = default_date(cw) if at is None else to_date(at)
    links = _chain(_edges(cw, when), child_level, parent_level, frozenset(), {})
    out = pd.DataFrame(
        [
            (
                c,
                k.parent,
                k.valid_from,
                k.valid_to,
                "unconfirmed" if k.unconfirmed else "confirmed",
                k.path,
            )
            for c, k in sorted(links.items())
        ],
        columns=["child", "parent", "valid_from", "valid_to", "status", "path"],
    )
    for col in ("valid_from", "valid_to"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out


def crosswalk_mapping(
    crosswalk: pd.DataFrame | None,
    *,
    child_level: str,
    parent_level: str,
    at: Any = None,
) -> pd.Series:
    """Map each child area to its parent area at a date, chaining through levels.

    Parameters
    ----------
    crosswalk : pandas.DataFrame or None
        A table from :func:`load_crosswalk`; None reads the bundled tables.
    child_level, parent_level : str
        Area levels, e.g. ``"stadsdel"`` and ``"lpo"``.
    at : str, datetime.date, pandas.Timestamp or None
        Rows with ``valid_from <= at < valid_to`` are used (empty dates are open). None: the
        newest state the crosswalk describes, i.e. the rows valid on the latest ``valid_from`` /
        ``valid_to`` date in the table (2025-01-01 for the bundled tables: the state valid
        today); it does not depend on the clock.

    Returns
    -------
    pandas.Series
        Index: ``normalize_name(child)`` (index name ``child_level``); values: the parent name as
        spelled in the crosswalk (series name ``parent_level``); sorted by index. Direct rows win
        over chains (e.g. ``stadsdel -> lpo`` rows for the split stadsdelsområden); children
        without a direct row are chained through intermediate levels.

    Raises
    ------
    ConfigError
        When a level is not in the crosswalk, no chain of rows links the two levels, ``at`` is
        not a date, or the rows valid at ``at`` give one child two parents.

    Examples
    --------
    >>> m = crosswalk_mapping(None, child_level="stadsdel", parent_level="stadsdelsomrade",
    ...                       at="2019-01-01")
    >>> m["älvsjö"]
    'Älvsjö'
    >>> crosswalk_mapping(None, child_level="stadsdel", parent_level="lpo")["älvsjö"]
    'Globen'
    """
    links = resolve_crosswalk(crosswalk, child_level=child_level, parent_level=parent_level, at=at)
    out = pd.Series(
        links["parent"].to_numpy(dtype=object),
        index=pd.Index(links["child"].to_numpy(dtype=object), name=child_level),
        name=parent_level,
        dtype=object,
    )
    return out


def crosswalk_conflicts(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Pairs of rows whose validity overlaps for the same child and parent level.

    Parameters
    ----------
    crosswalk : pandas.DataFrame
        A table from :func:`load_crosswalk`.

    Returns
    -------
    pandas.DataFrame
        Columns ``child_level``, ``child``, ``parent_level``, ``parent_a``, ``parent_b``,
        ``overlap_from``, ``overlap_to`` (NaT = open); empty when every child has at most one
        parent per level on every date.

    Examples
    --------
    >>> crosswalk_conflicts(load_crosswalk()).empty
    True
    """
    cw = check_crosswalk_frame(crosswalk)
    found = []
    keys = cw.assign(_child=cw["child"].map(normalize_name))
    for (cl, _c, pl), grp in keys.groupby(["child_level", "_child", "parent_level"], sort=True):
        rows = list(grp.itertuples(index=False))
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                lo = later(nat_to_none(a.valid_from), nat_to_none(b.valid_from))
                hi = earlier(nat_to_none(a.valid_to), nat_to_none(b.valid_to))
                if lo is None or hi is None or lo < hi:
                    found.append((cl, a.child, pl, a.parent, b.parent, lo, hi))
    out = pd.DataFrame(
        found,
        columns=[
            "child_level",
            "child",
            "parent_level",
            "parent_a",
            "parent_b",
            "overlap_from",
            "overlap_to",
        ],
    )
    for col in ("overlap_from", "overlap_to"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out
