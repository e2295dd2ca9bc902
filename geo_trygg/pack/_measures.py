"""The measure areas of an area's page: which are shown, and their table in words.

An area's page lists the measure areas (``inputs.measure_areas``, read by
:func:`geo_trygg.io.read_measure_areas`) that touch the area and are in force on some day of
the period: name, kind, hours, validity; the events in the area's hours inside it and in the
rest of the page's area in the period (:func:`geo_trygg.plan.measure_area_counts`, with the
points the lägesbild placed in the page's area); and the events in its hours before and
after its first day, with the WDD's result (:func:`geo_trygg.plan.measure_area_evaluation`,
on every point of the lägesbild: its buffer and control rings reach beyond the page's area).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo_trygg import labels
from geo_trygg._errors import GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg.io.measure_areas import hours_words
from geo_trygg.maps import number
from geo_trygg.plan import areas_in_force, measure_area_counts, measure_area_evaluation

__all__ = ["measure_fingerprint", "measure_table", "measures_near"]


def measures_near(measure_areas: gpd.GeoDataFrame | None, area: Any, period: Any) -> Any:
    """The versions touching ``area`` and in force on some day of ``period`` (None when
    there are none)."""
    if measure_areas is None or not len(measure_areas) or area is None:
        return None
    touching = measure_areas[shapely.intersects(measure_areas.geometry.to_numpy(), area)]
    shown = areas_in_force(touching, period.start, period.end)
    return shown if len(shown) else None


def measure_fingerprint(measure_areas: gpd.GeoDataFrame | None) -> bytes:
    """The measure areas' content as bytes, for a page's key."""
    if measure_areas is None:
        return b""
    values = pd.DataFrame(measure_areas.drop(columns=measure_areas.geometry.name))
    return values.astype(str).to_json(orient="split").encode() + b"".join(
        shapely.to_wkb(measure_areas.geometry.to_numpy())
    )


def _day(value: Any) -> str:
    try:
        if value is None or bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value.isoformat())[:10] if hasattr(value, "isoformat") else str(value)[:10]


def _validity(row: Any, lang: str) -> str:
    if not _day(row.valid_to):
        return msg("mlayer_valid_open", lang, start=_day(row.valid_from))
    return msg("mlayer_valid_span", lang, start=_day(row.valid_from), end=_day(row.valid_to))


def _assessment(row: pd.Series, lang: str) -> str | None:
    """The WDD's result in words (with the WDD), or None when it cannot be judged."""
    if not bool(row["supported"]):
        return None
    words = labels.change_names(lang).get(str(row["code"]), str(row["code"]))
    return msg("pack_measures_wdd", lang, result=words, wdd=number(int(row["wdd"]), lang))


def measure_table(
    shown: gpd.GeoDataFrame,
    lb: Any,
    own: Any,
    name: str,
    lang: str,
    coverage: Mapping[str, Any] | None = None,
) -> dict[str, pd.DataFrame]:
    """The page's measure areas as one table in words (``{table name: frame}``), with a note
    under it on what is counted and what the numbers cannot show."""
    kinds = labels.measure_area_kind_names(lang)
    has_events = "events" in own.point_kinds
    counts = evaluation = None
    if has_events:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GeoTryggWarning)
            counts = measure_area_counts(shown, own.points("events"), period=lb.period)
            evaluation = measure_area_evaluation(
                shown, lb.points("events"), as_of=lb.period.end, coverage=coverage or None
            )
    rows = []
    why: list[str] = []  # why an assessment cannot be made: under the table, not in a cell
    for area in shown.itertuples(index=False):
        row: dict[str, Any] = {
            msg("pack_measures_col_name", lang): area.name,
            msg("mlayer_field_kind", lang): kinds.get(area.kind, area.kind),
            msg("mlayer_field_hours", lang): hours_words(area.hours, lang),
            msg("mlayer_field_valid", lang): _validity(area, lang),
        }
        if counts is not None and evaluation is not None:
            c = counts.loc[area.version_id]
            e = evaluation.loc[area.version_id]
            started = not pd.isna(e["n_target_before"])
            assessed = _assessment(e, lang)
            if assessed is None:
                reason = e["reason"] if isinstance(e["reason"], str) else "–"
                why.append(msg("pack_measures_why", lang, name=area.name, reason=reason))
            row.update(
                {
                    msg("pack_measures_col_inside", lang, period=lb.period.label): int(
                        c["n_inside"]
                    ),
                    msg("pack_measures_col_outside", lang, area=name): int(c["n_outside"]),
                    msg("pack_measures_col_before", lang): int(e["n_target_before"])
                    if started
                    else "–",
                    msg("pack_measures_col_after", lang): int(e["n_target_after"])
                    if started
                    else "–",
                    msg("pack_measures_col_days", lang): int(e["days"]),
                    msg("pack_measures_col_wdd", lang): assessed
                    or msg("pack_measures_not_judged", lang),
                }
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs["notes"] = [
        *why,
        msg("pack_measures_note", lang, area=name)
        if has_events
        else msg("pack_measures_no_events", lang),
    ]
    return {msg("pack_measures_table", lang): table}
