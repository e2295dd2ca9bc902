"""A measure's before/after evaluation with the weighted displacement difference (WDD).

The four areas of the WDD (:mod:`geo_trygg.stats`) are chosen for each measure by a
documented rule, or given (:func:`wdd_areas`); the events are counted and the test run by
:func:`geo_trygg.stats.wdd_counts` and :func:`geo_trygg.stats.weighted_displacement`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._validate import check_date
from geo_trygg.plan._followup import prepare_measures, warn_coarse
from geo_trygg.plan._input import (
    MIN_WINDOW_DAYS,
    EventTable,
    Window,
    check_crs,
    check_positive,
    check_table,
    checked_coverage,
    coverage_reason,
    day_number,
    indicators,
    measure_ids,
    polygons,
    shown,
)
from geo_trygg.stats import (
    MIN_TARGET_EVENTS,
    MIN_WDD_EVENTS,
    WDD_AREAS,
    wdd_counts,
    weighted_displacement,
)

__all__ = [
    "CONTROL_WIDTH",
    "COUNT_COLUMNS",
    "EVALUATION_COLUMNS",
    "MIN_BUFFER_M",
    "buffer_width",
    "measure_evaluation",
    "wdd_areas",
]

MIN_BUFFER_M = 100.0
"""The narrowest default displacement buffer, in metres."""

CONTROL_WIDTH = 2
"""The default control ring is this many buffer widths wide."""

_REL_TOL = 1e-6  # relative area below which an overlap counts as none (as in geo_trygg.stats)

COUNT_COLUMNS = tuple(f"n_{area}_{when}" for area in WDD_AREAS for when in ("before", "after"))
"""The eight counts of :func:`measure_evaluation`, ``n_target_before`` …
``n_control_buffer_after``."""

EVALUATION_COLUMNS = (
    "wdd",
    "local",
    "displacement",
    "variance",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
    "code",
    *COUNT_COLUMNS,
    "buffer_m",
    "days",
    "supported",
    "reason_code",
    "reason",
    "before_start",
    "start",
    "as_of",
)
"""The columns of :func:`measure_evaluation`."""

_INTS = ("wdd", "local", "displacement", "variance")
_FLOATS = ("z", "p_value", "ci_low", "ci_high")


def buffer_width(target: Any) -> float:
    """The default width of the displacement buffer around ``target``, in metres.

    The larger of :data:`MIN_BUFFER_M` (100 m) and the radius of a circle of the target's
    area, ``√(area / π)``, rounded to the nearest 10 m (halves up).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> buffer_width(box(0, 0, 100, 100)), buffer_width(box(0, 0, 400, 400))
    (100.0, 230.0)
    """
    radius = math.sqrt(shapely.area(target) / math.pi)
    return max(MIN_BUFFER_M, math.floor(radius / 10 + 0.5) * 10.0)


def _given_controls(control: Any, frame: Any, ids: list[str]) -> dict[str, Any]:
    """``control`` as ``{measure_id: polygon}``, checked; empty when None."""
    import geopandas as gpd

    if control is None:
        return {}
    if isinstance(control, gpd.GeoDataFrame):
        check_table(control, "control", ("measure_id",), geo=True)
        check_crs("measures", frame, "control", control)
        given = dict(zip(control["measure_id"].astype(str), control.geometry.array, strict=True))
    elif isinstance(control, gpd.GeoSeries):
        check_crs("measures", frame, "control", control)
        given = dict(zip(map(str, control.index), control.array, strict=True))
    elif isinstance(control, Mapping):
        given = {str(k): v for k, v in control.items()}
    else:
        raise ConfigError(msg("plan_control_type", got=type(control).__name__))
    unknown = sorted(set(given) - set(ids))
    if unknown:
        raise ConfigError(
            msg(
                "plan_unknown_ids",
                name="control",
                column="measure_id",
                values=shown(unknown),
                table="measures",
            )
        )
    bad = [
        mid
        for mid, geom in given.items()
        if not isinstance(geom, shapely.Geometry)
        or geom.is_empty
        or geom.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise ConfigError(msg("plan_control_not_polygon", values=shown(sorted(bad))))
    return given


def _areas(mid: str, target: Any, width: float, given: Any) -> dict[str, Any]:
    """The four areas of one measure (see :func:`wdd_areas`)."""
    outer = shapely.buffer(target, width)
    buffer = shapely.difference(outer, target)
    if given is None:
        far = shapely.buffer(target, width * (1 + CONTROL_WIDTH))
        control = shapely.difference(far, outer)
        control_buffer = shapely.difference(
            shapely.buffer(target, width * (2 + CONTROL_WIDTH)), far
        )
    else:
        overlap = shapely.area(shapely.intersection(given, outer))
        if overlap > _REL_TOL * min(shapely.area(given), shapely.area(outer)):
            raise ConfigError(msg("plan_control_overlaps", measure=mid, width=f"{width:g}"))
        control = given
        control_buffer = shapely.difference(
            shapely.difference(shapely.buffer(given, width), given), outer
        )
        if shapely.area(control_buffer) <= _REL_TOL * shapely.area(given):
            raise ConfigError(msg("plan_control_no_zone", measure=mid))
    return {
        "target": target,
        "buffer": buffer,
        "control_target": control,
        "control_buffer": control_buffer,
    }


def _widths(buffer_m: Any, geoms: np.ndarray) -> list[float]:
    if buffer_m is None:
        return [buffer_width(g) for g in geoms]
    width = check_positive(buffer_m, "buffer_m")
    return [width] * len(geoms)


def wdd_areas(measures: Any, *, buffer_m: Any = None, control: Any = None) -> Any:
    """The four areas of each measure's WDD evaluation, by the documented rule or given.

    - **target**: the measure's geometry;
    - **buffer** (where events could be displaced to, or the benefit spread): the ring
      around the target out to ``buffer_m`` metres; by default the larger of 100 m and the
      radius of a circle of the target's area, rounded to 10 m (:func:`buffer_width`);
    - **control_target**: the polygon given in ``control`` for the measure, or by default
      the ring from the buffer's outer edge out to twice the buffer's width further
      (:data:`CONTROL_WIDTH`): nearby, so it shares the place's trends; not touching the
      target, so the measure does not act there directly (the buffer lies in between); and
      larger than the buffer, so its counts are not tiny;
    - **control_buffer**: the zone around the control, drawn as the target's buffer is
      (a ring ``buffer_m`` wide around it, outside the target and its buffer): by default
      the ring beyond the control ring.

    The rings are exact differences of buffers of the target (shapely's default 8 segments
    per quarter circle), so the four areas do not overlap; a point on the line between two
    of them counts in the first, in the order above (the rule of
    :func:`geo_trygg.stats.wdd_counts`).

    Parameters
    ----------
    measures : geopandas.GeoDataFrame
        With ``measure_id`` and polygon ``geometry`` in a metric CRS.
    buffer_m : float, optional
        The buffer's width in metres for every measure; the rule above when omitted.
    control : GeoDataFrame, GeoSeries or mapping, optional
        A control polygon per measure: a GeoDataFrame with ``measure_id``, a GeoSeries
        indexed by ``measure_id`` (both in the CRS of ``measures``) or ``{measure_id:
        polygon}`` (taken to be in it). Measures not in it get the default ring. A given
        control must lie outside the target and its buffer.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per measure and area (:data:`geo_trygg.stats.WDD_AREAS` order): columns
        ``measure_id``, ``area``, ``buffer_m``, ``geometry``, in the CRS of ``measures``.

    Raises
    ------
    ConfigError
        Bad tables, ids, geometries or ``buffer_m``; a CRS that is not metric; a control
        that is no polygon, names an unknown measure or overlaps the target or buffer.
    CRSMismatchError
        ``control`` is in another CRS than ``measures``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> measures = gpd.GeoDataFrame({"measure_id": ["m1"]}, geometry=[box(0, 0, 100, 100)],
    ...                             crs="EPSG:3006")
    >>> areas = wdd_areas(measures)
    >>> areas["area"].tolist(), areas["buffer_m"].tolist()[0]
    (['target', 'buffer', 'control_target', 'control_buffer'], 100.0)
    >>> [round(b) for b in areas.geometry.iloc[2].bounds]  # the control ring: 100–300 m out
    [-300, -300, 400, 400]
    """
    import geopandas as gpd

    frame, ids, geoms, widths, given = _prepare_areas(measures, buffer_m, control)
    rows = []
    for mid, geom, width in zip(ids, geoms, widths, strict=True):
        areas = _areas(mid, geom, width, given.get(mid))
        rows += [(mid, name, width, areas[name]) for name in WDD_AREAS]
    return gpd.GeoDataFrame(
        {
            "measure_id": [r[0] for r in rows],
            "area": [r[1] for r in rows],
            "buffer_m": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=frame.crs,
    )


def _prepare_areas(
    measures: Any, buffer_m: Any, control: Any
) -> tuple[Any, list[str], np.ndarray, list[float], dict[str, Any]]:
    from geo_trygg._validate import Problems

    frame = check_table(measures, "measures", ("measure_id", "geometry"), geo=True)
    check_crs("measures", frame, "", None)
    with Problems() as found:
        ids = measure_ids(frame, found)
    geoms = polygons(frame, ids)
    widths = _widths(buffer_m, geoms)
    given = _given_controls(control, frame, ids)
    return frame, ids, geoms, widths, given


def measure_evaluation(
    measures: Any,
    events: Any,
    *,
    as_of: Any,
    buffer_m: Any = None,
    control: Any = None,
    problems: Any = None,
    links: Any = None,
    coverage: Any = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each measure's weighted displacement difference (WDD) before and after its start.

    The areas are those of :func:`wdd_areas` (target = the measure's geometry, a buffer ring
    around it, a control and the control's zone); the events are the measure's indicator
    (its problems' event categories, every event for walk findings, as in
    :func:`measure_followup`; every event when ``problems`` and ``links`` are omitted),
    counted by :func:`geo_trygg.stats.wdd_counts` (boundary included, each event in the first
    area that covers it; coarse locations left out) in the windows of
    :func:`measure_followup`: after = ``[start, as_of)``, before = ``[start − days, start)``;
    the test is :func:`geo_trygg.stats.weighted_displacement` (``WDD = ΔT − ΔCt + ΔD −
    ΔCd``, ``Var`` the sum of the eight counts, two-sided normal p-value).

    ``supported`` says whether the result may be read; when not, ``reason_code`` and
    ``reason`` say why (the first that applies): ``no_problem``, ``not_started``,
    ``window_short`` (fewer than 28 days), ``coverage`` (as in :func:`measure_followup`),
    ``too_few_target`` (fewer than :data:`geo_trygg.stats.MIN_TARGET_EVENTS`, 6, events in
    the target before the start: even none after would not be a detectable fall) and
    ``too_few`` (the WDD's own ``code`` is ``too_few``: fewer than 20 events in the eight
    counts, or fewer than 6 in the target). Where it is not supported, the numbers are still
    given (missing when there is no window), but its ``code`` must not be read as a result.

    Parameters
    ----------
    measures : geopandas.GeoDataFrame
        With ``measure_id``, ``start`` and polygon ``geometry`` in a metric CRS.
    events : geopandas.GeoDataFrame
        Points with ``time_from`` and ``category`` (``source``, ``location_precision``
        where known), in the CRS of ``measures``.
    as_of : str or date
        The first day not counted.
    buffer_m, control
        The areas, see :func:`wdd_areas`.
    problems, links : pandas.DataFrame, optional
        As for :func:`measure_followup`; give both or neither.
    coverage : mapping, optional
        ``{source: (first day, last day)}`` imported, as for :func:`measure_followup`.
    alpha : float, default 0.05
        Level of the test.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure_id``; columns :data:`EVALUATION_COLUMNS`: the result of
        :class:`geo_trygg.stats.WDDResult` (``wdd``, ``local``, ``displacement``,
        ``variance`` Int64; ``z``, ``p_value``, ``ci_low``, ``ci_high`` Float64; ``code``),
        the eight counts ``n_<area>_before`` / ``n_<area>_after`` (Int64), ``buffer_m``,
        ``days``, ``supported``, ``reason_code``, ``reason`` and the windows
        (``before_start``, ``start``, ``as_of``).

    Raises
    ------
    ConfigError
        As :func:`measure_followup` and :func:`wdd_areas`; ``problems`` without ``links``
        or the reverse.
    CRSMismatchError
        ``events`` or ``control`` in another CRS than ``measures``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import Point, box
    >>> measures = gpd.GeoDataFrame({"measure_id": ["m1"], "start": ["2025-03-01"]},
    ...                             geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> places = [Point(50, 50)] * 12 + [Point(150, 50)] * 6 + [Point(250, 50)] * 8
    >>> days = ["2025-01-15"] * 10 + ["2025-03-15"] * 2 + ["2025-01-15", "2025-03-15"] * 7
    >>> events = gpd.GeoDataFrame(
    ...     {"time_from": pd.to_datetime(days).tz_localize("Europe/Stockholm"),
    ...      "category": "robbery", "source": "polis"}, geometry=places, crs="EPSG:3006")
    >>> table = measure_evaluation(measures, events, as_of="2025-05-01",
    ...                            coverage={"polis": ("2024-01-01", "2025-06-30")})
    >>> row = table.loc["m1"]
    >>> int(row["wdd"]), int(row["variance"]), bool(row["supported"])
    (-8, 26, True)
    """
    day = check_date(as_of, "as_of", lang=None)
    if (problems is None) != (links is None):
        raise ConfigError(msg("plan_problems_and_links"))
    number = isinstance(alpha, float | int) and not isinstance(alpha, bool)
    if not number or not 0 < alpha < 1:
        raise ConfigError(msg("plan_bad_alpha", value=alpha))
    frame, ids, starts, geoms, table = prepare_measures(measures, events)
    _, _, _, widths, given = _prepare_areas(frame, buffer_m, control)
    wanted: dict[str, frozenset[str] | None] = (
        dict.fromkeys(ids) if problems is None else indicators(ids, problems, links)
    )
    covered = checked_coverage(coverage, table)
    warn_coarse(table)
    times = events["time_from"]
    rows = []
    for mid, start, geom, width in zip(ids, starts, geoms, widths, strict=True):
        areas = _areas(mid, geom, width, given.get(mid))
        window = Window.of(start, day)
        row: dict[str, Any] = dict.fromkeys(EVALUATION_COLUMNS, pd.NA)
        row.update(
            buffer_m=width,
            days=window.days,
            supported=False,
            reason_code=None,
            reason=None,
            before_start=window.before_start,
            start=window.start,
            as_of=window.as_of,
            code=None,
        )
        rows.append(row)
        if mid not in wanted:
            row.update(reason_code="no_problem", reason=msg("plan_reason_no_problem"))
            continue
        if window.days == 0:
            row.update(
                reason_code="not_started",
                reason=msg("plan_reason_not_started", start=start.isoformat()),
            )
            continue
        row.update(_counted(table, times, frame.crs, wanted[mid], areas, window, alpha))
        sources = table.sources_of(wanted[mid])
        code, reason = _why_not(window, sources, covered, row)
        row.update(supported=code is None, reason_code=code, reason=reason)
    out = pd.DataFrame(rows, index=pd.Index(ids, name="measure_id"), columns=EVALUATION_COLUMNS)
    for column in (*_INTS, *COUNT_COLUMNS):
        out[column] = out[column].astype("Int64")
    for column in _FLOATS:
        out[column] = out[column].astype("Float64")
    out["buffer_m"] = out["buffer_m"].astype("float64")
    out["days"] = out["days"].astype("int64")
    out["supported"] = out["supported"].astype(bool)
    return out


def _counted(
    table: EventTable,
    times: pd.Series,
    crs: Any,
    categories: frozenset[str] | None,
    areas: dict[str, Any],
    window: Window,
    alpha: float,
) -> dict[str, Any]:
    """The eight counts and the WDD of one measure."""
    import geopandas as gpd

    outer = shapely.union(areas["control_buffer"], areas["control_target"])
    picked = table.picked(
        shapely.union(outer, areas["buffer"]),
        categories,
        day_number(window.before_start),
        day_number(window.as_of),
    )
    chosen = gpd.GeoDataFrame(
        {"time_from": times.iloc[picked].reset_index(drop=True)},
        geometry=gpd.GeoSeries(table.geoms[picked], crs=crs),
    )
    counts = wdd_counts(
        chosen,
        **{name: areas[name] for name in WDD_AREAS},
        date=window.start,
        before=window.days,
        after=window.days,
    )
    result = weighted_displacement(counts["before"], counts["after"], alpha=alpha)
    row: dict[str, Any] = {
        column: int(counts.loc[area, when])
        for column, (area, when) in zip(
            COUNT_COLUMNS,
            ((a, w) for a in WDD_AREAS for w in ("before", "after")),
            strict=True,
        )
    }
    row.update(
        wdd=result.wdd,
        local=result.local,
        displacement=result.displacement,
        variance=result.variance,
        z=result.z,
        p_value=result.p_value,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        code=result.code,
    )
    return row


def _why_not(
    window: Window,
    sources: list[str],
    covered: dict[str, Any],
    row: dict[str, Any],
) -> tuple[str | None, str | None]:
    """The first reason the WDD cannot be read (``reason_code``, ``reason``)."""
    if window.days < MIN_WINDOW_DAYS:
        return "window_short", msg(
            "plan_reason_window_short", days=window.days, min_days=MIN_WINDOW_DAYS
        )
    gap = coverage_reason(sources, covered, window)
    if gap is not None:
        return "coverage", gap
    if row["n_target_before"] < MIN_TARGET_EVENTS:
        return "too_few_target", msg(
            "plan_reason_too_few_target",
            n=row["n_target_before"],
            min_events=MIN_TARGET_EVENTS,
        )
    if row["code"] == "too_few":
        return "too_few", msg(
            "plan_reason_wdd_too_few",
            n=row["variance"],
            min_events=MIN_WDD_EVENTS,
            n_target=row["n_target_before"] + row["n_target_after"],
            min_target=MIN_TARGET_EVENTS,
        )
    return None, None
