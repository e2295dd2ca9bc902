"""Survey areas matched to the crosswalks' areas: by level and name, in the survey's division.

A survey table names its areas as the survey did ("Stockholms stad", "Solna (Solna +
Sundbyberg)", "Rinkeby-Kista"). :func:`match_indicator_areas` finds each name among the areas
the crosswalks know at that level *in the years the survey covers*: Rinkeby-Kista in 2017 is a
stadsdelsområde of the 2020 division (valid until 2023-07-01) and stays that area; it is never
read as Järva. :func:`indicators_for_areas` then says which survey rows belong to the areas of a
lägesbild, and how: the same area, or a part of it from an earlier division (shown with its own
name, never added up into the larger area).

Names
-----
A name matches when its normalised form (:func:`geo_trygg._text.normalize_name`) equals a
crosswalk name of the same level (``area_match`` ``"name"``), or when it does after taking off
what surveys add to a name (``"variant"``): a note in parentheses, a leading "Polisregion",
"Lokalpolisområde", "LPO" or "Polisområde", a trailing "kommun", "stad", "stadsdelsområde" or
"stadsdelsförvaltning", and then a genitive *s* ("Stockholms stad" → Stockholm, "Vaxholms stad"
→ Vaxholm). The country (level ``riket``) needs no boundary (``"country"``). A level the
crosswalks do not have (``kommundel``) is ``"no_boundaries"``; a name the level has, but not in
the survey's years, is ``"other_division"``; any other name is ``"unknown"``.

Years
-----
A survey year covers the calendar year; a pooled ``2017-2018`` covers both. A name is valid in
the survey when its validity window in the crosswalk overlaps those years: the span of the rows
in which it is the parent at its level, i.e. the rows that say what the area holds (Järva's
stadsdelar from 2023-07-01, Rinkeby-Kista's until then).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._text import normalize_name
from geo_trygg._validate import check_frame, require_columns
from geo_trygg.crosswalks import check_crosswalk_frame, crosswalk_mapping, load_crosswalk, to_date

__all__ = [
    "AREA_MATCH_CODES",
    "AREA_RELATIONS",
    "indicators_for_areas",
    "match_indicator_areas",
]

AREA_MATCH_CODES = ("name", "variant", "country", "no_boundaries", "other_division", "unknown")
"""How a survey row's area was matched (see the module docstring); the first three are matches."""

MATCHED = ("name", "variant", "country")

AREA_RELATIONS = ("same", "part")
"""How a survey area relates to a lägesbild area: the ``same`` area (same name and level, and
the same stadsdelar where the crosswalks say which), or a ``part`` of it (its stadsdelar in the
survey's year all lie in the area now), e.g. Rinkeby-Kista 2017 within Järva."""

_PARENS = re.compile(r"\s*\([^)]*\)")
_LEADING = re.compile(r"^(?:polisregion|lokalpolisområde|lpo|polisområde)\s+")
_TRAILING = re.compile(r"\s+(?:kommun|stad|stadsdelsområde|stadsdelsförvaltning|sdf)$")


def _variants(name: str) -> list[str]:
    """The normalised name, then the name without what surveys add to it (module docstring)."""
    first = normalize_name(name)
    out = [first]
    bare = _PARENS.sub("", first).strip()
    bare = _TRAILING.sub("", _LEADING.sub("", bare)).strip()
    if bare and bare not in out:
        out.append(bare)
    if bare != first and bare.endswith("s") and len(bare) > 2:
        out.append(bare[:-1])
    return out


def _catalogue(cw: pd.DataFrame) -> dict[str, dict[str, tuple[str, Any, Any]]]:
    """Level → normalised name → (name as spelled, valid from, valid to).

    The window is the span of the rows in which the name is the *parent* at its level (the
    rows that say what the area holds: the stadsdelar of a stadsdelsområde), an open end
    winning; a name that is never a parent takes the span of its rows as a child.
    """
    parts = [
        pd.DataFrame(
            {
                "level": cw[f"{side}_level"].astype(str).to_numpy(),
                "name": cw[side].astype(str).to_numpy(),
                "vf": cw["valid_from"].to_numpy(),
                "vt": cw["valid_to"].to_numpy(),
                "parent": side == "parent",
            }
        )
        for side in ("child", "parent")
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows["key"] = [normalize_name(x) for x in rows["name"]]
    out: dict[str, dict[str, tuple[str, Any, Any]]] = {}
    for (level, key), g in rows.groupby(["level", "key"], sort=True):
        if g["parent"].any():
            g = g[g["parent"]]
        vf = pd.NaT if g["vf"].isna().any() else g["vf"].min()
        vt = pd.NaT if g["vt"].isna().any() else g["vt"].max()
        out.setdefault(str(level), {})[str(key)] = (str(sorted(g["name"])[0]), vf, vt)
    return out


def _years(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The first and last survey year of each row (``year_from``/``year_to``, else ``year``)."""
    if {"year_from", "year_to"} <= set(frame.columns):
        first = pd.to_numeric(frame["year_from"], errors="coerce")
        last = pd.to_numeric(frame["year_to"], errors="coerce")
    else:
        first = last = pd.to_numeric(frame["year"], errors="coerce")
    return first.to_numpy(dtype=float), last.to_numpy(dtype=float)


def _overlaps(vf: Any, vt: Any, first: float, last: float) -> bool:
    start = pd.Timestamp(int(first), 1, 1)
    end = pd.Timestamp(int(last) + 1, 1, 1)
    return (pd.isna(vf) or vf < end) and (pd.isna(vt) or vt > start)


def match_indicator_areas(
    indicators: pd.DataFrame, *, crosswalk: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Match each survey row's area to the crosswalks' areas of its level in its years.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Survey rows with ``level``, ``area`` and ``year`` (or ``year_from``/``year_to``), as
        :func:`geo_trygg.io.read_indicators` gives them.
    crosswalk : pandas.DataFrame, optional
        From :func:`geo_trygg.crosswalks.load_crosswalk`; the bundled tables when omitted.

    Returns
    -------
    pandas.DataFrame
        A copy of ``indicators`` on its index, with ``area_key`` (the area as the crosswalk
        spells it; missing when not matched), ``area_match`` (:data:`AREA_MATCH_CODES`) and
        ``area_valid_from`` / ``area_valid_to`` (the window in which that name exists at that
        level; NaT = open).

    Raises
    ------
    ConfigError
        When a column is missing or ``crosswalk`` is not a crosswalk table.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"level": ["kommun", "stadsdelsomrade", "stadsdelsomrade"],
    ...                      "area": ["Stockholms stad", "Rinkeby-Kista", "Järva"],
    ...                      "year": ["2017", "2017", "2017"]})
    >>> m = match_indicator_areas(rows)
    >>> m[["area_key", "area_match"]].values.tolist()
    [['Stockholm', 'variant'], ['Rinkeby-Kista', 'name'], [None, 'other_division']]
    >>> str(m.loc[1, "area_valid_to"].date())
    '2023-07-01'
    """
    check_frame(indicators, "indicators", "of survey rows (geo_trygg.io.read_indicators)")
    require_columns(indicators, ["level", "area"], "indicators")
    if "year" not in indicators.columns and not {"year_from", "year_to"} <= set(
        indicators.columns
    ):
        raise ConfigError(
            "indicators must have the column 'year' (or 'year_from' and 'year_to'); columns: "
            + ", ".join(map(repr, indicators.columns))
        )
    cw = load_crosswalk() if crosswalk is None else check_crosswalk_frame(crosswalk)
    names = _catalogue(cw)
    first, last = _years(indicators)
    n = len(indicators)
    key = np.full(n, None, dtype=object)
    code = np.full(n, "unknown", dtype=object)
    vf = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    vt = vf.copy()
    for i, (level, area) in enumerate(
        zip(indicators["level"].astype(str), indicators["area"], strict=True)
    ):
        if level == "riket":
            key[i], code[i] = str(area), "country"
            continue
        known = names.get(level)
        if known is None:
            code[i] = "no_boundaries"
            continue
        for j, variant in enumerate(_variants(str(area))):
            hit = known.get(variant)
            if hit is None:
                continue
            spelled, f, t = hit
            vf[i] = np.datetime64("NaT") if pd.isna(f) else np.datetime64(f, "ns")
            vt[i] = np.datetime64("NaT") if pd.isna(t) else np.datetime64(t, "ns")
            if np.isnan(first[i]) or _overlaps(f, t, first[i], last[i]):
                key[i], code[i] = spelled, "name" if j == 0 else "variant"
            else:
                code[i] = "other_division"
            break
    out = indicators.copy()
    out["area_key"] = pd.Series(key, index=indicators.index, dtype=object)
    out["area_match"] = code
    out["area_valid_from"] = vf
    out["area_valid_to"] = vt
    return out


class _Members:
    """The stadsdelar of an area at a date, from the crosswalks (cached per level and date)."""

    def __init__(self, cw: pd.DataFrame) -> None:
        self._cw = cw
        self._cache: dict[tuple[str, pd.Timestamp], dict[str, frozenset[str]]] = {}

    def of(self, level: str, name: str, at: pd.Timestamp) -> frozenset[str]:
        if level == "stadsdel":
            return frozenset([normalize_name(name)])
        table = self._cache.get((level, at))
        if table is None:
            try:
                mapping = crosswalk_mapping(
                    self._cw, child_level="stadsdel", parent_level=level, at=at
                )
            except ConfigError:  # the level is not linked to stadsdelar
                mapping = pd.Series(dtype=object)
            grouped: dict[str, set[str]] = {}
            for child, parent in mapping.items():
                grouped.setdefault(normalize_name(parent), set()).add(str(child))
            table = {k: frozenset(v) for k, v in grouped.items()}
            self._cache[(level, at)] = table
        return table.get(normalize_name(name), frozenset())


def _survey_day(row: Any, last: float) -> pd.Timestamp:
    """The last day of the survey's years on which its area's name is valid."""
    day = pd.Timestamp(int(last), 12, 31)
    vt = row.area_valid_to
    if not pd.isna(vt) and vt <= day:
        day = pd.Timestamp(vt) - pd.Timedelta(days=1)
    return day


def indicators_for_areas(
    indicators: pd.DataFrame,
    *,
    level: str,
    areas: Sequence[str],
    at: Any,
    crosswalk: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The survey rows that belong to each area of a level, and how (:data:`AREA_RELATIONS`).

    A row belongs to area *A* (of ``level``, as divided on ``at``) when it was matched at the
    same level (:func:`match_indicator_areas`) and either names *A* and covers the same
    stadsdelar (``same``), or covers stadsdelar that all lie in *A* on ``at`` (``part``: an
    area of an earlier division, shown with its own name). Where the crosswalks know no
    stadsdelar for an area (a kommun outside Stockholm, an LPO of kommuner), the name decides.
    Nothing is re-aggregated: every row keeps its own area, value and year.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Survey rows (:func:`geo_trygg.io.read_indicators`), matched or not.
    level : str
        The level of ``areas``.
    areas : sequence of str
        The area names (e.g. a lägesbild's areas of that level).
    at : date-like
        The date the areas are divided on (e.g. the lägesbild period's last day).
    crosswalk : pandas.DataFrame, optional
        The bundled tables when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per (area, survey row): ``area`` (of ``areas``), ``relation``, ``survey_area``
        (the survey's area as the crosswalk spells it) and the survey row's other columns;
        sorted by area, then the survey's order.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"level": ["stadsdelsomrade"] * 2, "area": ["Rinkeby-Kista",
    ...     "Spånga-Tensta"], "year": ["2017", "2020"], "value": [21.0, 14.0]})
    >>> t = indicators_for_areas(rows, level="stadsdelsomrade", areas=["Järva", "Bromma"],
    ...                          at="2024-06-30")
    >>> t[["area", "relation", "survey_area", "year"]].values.tolist()
    [['Järva', 'part', 'Rinkeby-Kista', '2017'], ['Järva', 'part', 'Spånga-Tensta', '2020']]
    """
    check_frame(indicators, "indicators", "of survey rows (geo_trygg.io.read_indicators)")
    cw = load_crosswalk() if crosswalk is None else check_crosswalk_frame(crosswalk)
    when = to_date(at)
    if isinstance(areas, str) or not isinstance(areas, Sequence):
        raise ConfigError(f"areas must be a list of area names, not {areas!r:.80}")
    matched = (
        indicators
        if "area_match" in indicators.columns
        else match_indicator_areas(indicators, crosswalk=cw)
    )
    rows = matched[(matched["level"].astype(str) == level) & matched["area_match"].isin(MATCHED)]
    members = _Members(cw)
    targets = [(str(a), normalize_name(a), members.of(level, str(a), when)) for a in areas]
    _, last = _years(rows)
    found: list[tuple[int, int, str]] = []
    for pos, (row, end) in enumerate(zip(rows.itertuples(index=False), last, strict=True)):
        key = str(row.area_key)
        survey = (
            members.of(level, key, _survey_day(row, end)) if not np.isnan(end) else frozenset()
        )
        same_name = normalize_name(key)
        for t, (_, norm, now) in enumerate(targets):
            if norm == same_name and (not survey or not now or survey == now):
                found.append((t, pos, "same"))
            elif survey and now and survey <= now:
                found.append((t, pos, "part"))
    found.sort()
    picked = rows.iloc[[p for _, p, _ in found]].reset_index(drop=True)
    picked = picked.drop(columns=["area"]).rename(columns={"area_key": "survey_area"})
    picked.insert(0, "relation", [r for _, _, r in found])
    picked.insert(0, "area", [targets[t][0] for t, _, _ in found])
    return picked
