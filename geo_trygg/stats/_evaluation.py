"""Before/after evaluation of a measure at a place: the weighted displacement difference.

A measure at a place (new lighting, a rebuilt parking, a guard) is evaluated by comparing the
events before and after a date in four areas (Wheeler & Ratcliffe 2018):

``target`` (T)
    where the measure was taken;
``buffer`` (D)
    the zone around it, where events could be displaced to (or where the benefit could spread);
``control_target`` (Ct)
    a comparable area without the measure, for the target;
``control_buffer`` (Cd)
    a comparable area for the buffer (usually the zone around the control area).

With ``Δ = after − before`` in each area, the *weighted displacement difference* is

``WDD = ΔT − ΔCt + ΔD − ΔCd``

(a difference in differences for the target, ``local = ΔT − ΔCt``, plus one for the buffer,
``displacement = ΔD − ΔCd``). Negative is a net decrease. Treating the eight counts as
independent Poisson counts, ``Var(WDD)`` is the sum of the eight counts and ``Z = WDD / √Var``
is compared with the standard normal distribution (two-sided). The periods before and after
must be equally long.

:func:`wdd_counts` counts events in the four areas; :func:`weighted_displacement` runs the test
and states the conclusion in plain words, including "too few events to conclude".

References
----------
Wheeler, A. P. & Ratcliffe, J. H. (2018). A simple weighted displacement difference test to
evaluate place based crime interventions. *Crime Science* 7(1), 11.
https://doi.org/10.1186/s40163-018-0085-5
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.stats import norm

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_geoframe, check_lang, check_same_crs
from geo_trygg.periods import TZ, Period, as_date, in_period, parse_period, span_label
from geo_trygg.stats._change import _check_alpha

__all__ = [
    "MIN_TARGET_EVENTS",
    "MIN_WDD_EVENTS",
    "WDD_AREAS",
    "WDDResult",
    "wdd_counts",
    "weighted_displacement",
]

WDD_AREAS = ("target", "buffer", "control_target", "control_buffer")
"""The four areas of the WDD in the order counted: an event counts in the first that covers it."""

MIN_WDD_EVENTS = 20
"""Default ``min_events``: the eight counts must add up to at least this many.

``Z`` treats the WDD, a signed sum of eight independent Poisson counts, as normal. Its third
cumulant is a signed sum of the eight means, at most ``Var`` in size, so its skewness is at most
``1 / √Var``: with ``Var >= 20`` at most 0.22, small enough for the two-sided 5 % normal tail to be
close to the exact one; below that the normal p-value can be far off (Wheeler & Ratcliffe: "beware
if using very tiny counts"). And since ``|WDD| <= Var``, ``|Z| <= √Var``: with ``Var < 4`` no
result could reach ``|Z| = 1.96`` at all.
"""

MIN_TARGET_EVENTS = 6
"""Default ``min_target_events``: the target area must have at least this many events before
and after together.

The conclusion is about the target area. With fewer than six events there, even all of them
falling on one side of the date is not a detectable change on its own (exact test, equal
periods: two-sided ``p = 2 · 0.5**n = 0.0625`` for ``n = 5``), the same rule as the
"too few events" label of the period comparison (:data:`~geo_trygg.stats.MIN_EVENTS`).
A zero in a buffer or control count is no reason to refuse: the variance adds the counts up.
"""

_COARSE = ("stadsdel", "kommun", "lan")  # location precisions whose point is not the location
_REL_TOL = 1e-6  # relative area below which an overlap or a remainder counts as none


# --- the test -----------------------------------------------------------------------------------


def _fmt(value: float, digits: int, lang: str) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def _fmt_p(p: float, lang: str) -> str:
    return "p < " + _fmt(0.001, 3, lang) if p < 0.001 else "p = " + _fmt(p, 3, lang)


@dataclass(frozen=True, eq=False)
class WDDResult:
    """The weighted displacement difference test and its conclusion.

    Attributes
    ----------
    counts : pandas.DataFrame
        Index :data:`WDD_AREAS` (named ``"area"``), columns ``before``, ``after``, ``change``
        (``after - before``), int64.
    wdd : int
        ``ΔT − ΔCt + ΔD − ΔCd``; negative is a net decrease.
    local : int
        ``ΔT − ΔCt``: the change at the target beyond that of its control.
    displacement : int
        ``ΔD − ΔCd``: the change in the buffer beyond that of its control; positive suggests
        displacement, negative a diffusion of benefits.
    variance : int
        Sum of the eight counts.
    z : float
        ``wdd / √variance``; NaN when the variance is 0.
    p_value : float
        Two-sided normal p-value of ``z``; NaN when the variance is 0.
    ci_low, ci_high : float
        ``wdd ± z(1 − alpha/2) · √variance``: the ``1 − alpha`` confidence interval.
    alpha : float
        Level at which a change is called.
    code : str
        ``"decrease"`` / ``"increase"`` (``p <= alpha``), ``"no_clear_change"`` or
        ``"too_few"`` (see :func:`weighted_displacement`), as the change codes of the
        lägesbild tables.
    min_events, min_target_events : int
        The rules used for ``"too_few"``.
    """

    counts: pd.DataFrame
    wdd: int
    local: int
    displacement: int
    variance: int
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    code: str
    min_events: int
    min_target_events: int

    def statement(self, lang: str | None = None) -> str:
        """The conclusion in plain words (Swedish by default, ``lang="en"`` for English).

        A presentation method: the result itself holds only numbers and the ``code``; this
        writes them as the message catalogue's sentence, for a page, a report or a notebook.

        Parameters
        ----------
        lang : {"sv", "en"}, optional
            Language; ``geo_trygg.settings.lang`` when omitted.

        Returns
        -------
        str
            The sentence (decimal commas in Swedish).

        Examples
        --------
        >>> before = {"target": 207, "buffer": 178, "control_target": 308, "control_buffer": 150}
        >>> after = {"target": 110, "buffer": 157, "control_target": 318, "control_buffer": 140}
        >>> print(weighted_displacement(before, after).statement("en"))
        A decrease that is unlikely to be chance: the target area and its buffer zone together \
had 118 fewer events than the control areas lead one to expect (WDD = -118, Z = -2.98, \
p = 0.003). Target area against its control: -107; buffer zone against its control: -11 (a \
plus in the buffer suggests events moved there, a minus that the benefit spread there).
        """
        language = check_lang(lang)
        if self.code == "too_few":
            return msg(
                "stats_wdd_too_few",
                language,
                n_total=self.variance,
                min_total=self.min_events,
                n_target=int(self.counts.loc["target", ["before", "after"]].sum()),
                min_target=self.min_target_events,
            )
        numbers = {
            "wdd": f"{self.wdd:d}",
            "z": _fmt(self.z, 2, language),
            "p": _fmt_p(self.p_value, language),
            "n": abs(self.wdd),
        }
        main = {
            "increase": msg("stats_wdd_increase", language, **numbers),
            "decrease": msg("stats_wdd_decrease", language, **numbers),
            "no_clear_change": msg("stats_wdd_no_clear_change", language, **numbers),
        }[self.code]
        parts = msg(
            "stats_wdd_components",
            language,
            local=f"{self.local:+d}" if self.local else "0",
            displacement=f"{self.displacement:+d}" if self.displacement else "0",
        )
        return f"{main} {parts}"

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain data for JSON: the numbers, the counts per area and the statement.

        A presentation method like :meth:`statement`, whose sentence it includes; every
        other value is a number or the ``code``.

        Parameters
        ----------
        lang : {"sv", "en"}, optional
            Language of ``"statement"``; ``geo_trygg.settings.lang`` when omitted.

        Returns
        -------
        dict
            ``counts`` (per area, ``before`` and ``after``), the numbers of the result,
            ``code`` and ``statement``.

        Examples
        --------
        >>> before = {"target": 20, "buffer": 10, "control_target": 20, "control_buffer": 10}
        >>> after = {"target": 10, "buffer": 10, "control_target": 20, "control_buffer": 10}
        >>> d = weighted_displacement(before, after).to_dict()
        >>> d["wdd"], d["variance"], d["code"], d["counts"]["target"]
        (-10, 110, 'no_clear_change', {'before': 20, 'after': 10})
        """

        def number(value: float) -> float | None:
            return None if math.isnan(value) else float(value)

        return {
            "counts": {
                area: {"before": int(row["before"]), "after": int(row["after"])}
                for area, row in self.counts.iterrows()
            },
            "wdd": self.wdd,
            "local": self.local,
            "displacement": self.displacement,
            "variance": self.variance,
            "z": number(self.z),
            "p_value": number(self.p_value),
            "ci_low": number(self.ci_low),
            "ci_high": number(self.ci_high),
            "alpha": self.alpha,
            "code": self.code,
            "statement": self.statement(lang),
        }


def _four_counts(name: str, value: Any) -> dict[str, int]:
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{name} must be a mapping (dict or pandas Series) with the keys "
            f"{', '.join(WDD_AREAS)}; got {type(value).__name__}"
        )
    keys = set(map(str, value))
    if keys != set(WDD_AREAS):
        raise ConfigError(
            f"{name} has the keys {sorted(keys)}; expected exactly: {', '.join(WDD_AREAS)}"
        )
    out: dict[str, int] = {}
    for area in WDD_AREAS:
        count = value[area]
        number = isinstance(count, int | float | np.number) and not isinstance(count, bool)
        if not number or not math.isfinite(count) or count < 0 or count != int(count):
            raise ConfigError(
                f"{name}[{area!r}]={count!r} is not allowed; expected a whole number >= 0"
            )
        out[area] = int(count)
    return out


def _check_whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ConfigError(f"{name}={value!r} is not allowed; expected a whole number >= 0")
    return int(value)


def weighted_displacement(
    before: Mapping[str, int] | pd.Series,
    after: Mapping[str, int] | pd.Series,
    *,
    alpha: float = 0.05,
    min_events: int = MIN_WDD_EVENTS,
    min_target_events: int = MIN_TARGET_EVENTS,
) -> WDDResult:
    """The weighted displacement difference test of Wheeler & Ratcliffe (2018).

    ``WDD = ΔT − ΔCt + ΔD − ΔCd``, ``Var = T0 + T1 + D0 + D1 + Ct0 + Ct1 + Cd0 + Cd1``,
    ``Z = WDD / √Var``, two-sided p-value ``2 · (1 − Φ(|Z|))`` (see the module docstring).

    The conclusion (``code``, and :meth:`WDDResult.statement` in words):

    - ``"too_few"`` when the eight counts add up to fewer than ``min_events`` (default 20, see
      :data:`MIN_WDD_EVENTS`: below that the normal approximation behind ``Z`` is unreliable)
      or the target has fewer than ``min_target_events`` events before and after together
      (default 6, see :data:`MIN_TARGET_EVENTS`); ``z`` and ``p_value`` are still reported;
    - ``"decrease"`` / ``"increase"`` when ``p_value <= alpha``, by the sign of the WDD;
    - ``"no_clear_change"`` otherwise.

    Parameters
    ----------
    before, after : mapping or pandas.Series of int
        Counts per area, keys exactly :data:`WDD_AREAS` (``target``, ``buffer``,
        ``control_target``, ``control_buffer``); e.g. the columns of :func:`wdd_counts`.
    alpha : float, default 0.05
        Level of the two-sided test (also sets the ``1 − alpha`` confidence interval).
    min_events : int, default 20
        Smallest sum of the eight counts for a conclusion.
    min_target_events : int, default 6
        Smallest count in the target, before and after together, for a conclusion.

    Returns
    -------
    WDDResult

    Raises
    ------
    ConfigError
        Keys other than the four areas, counts that are not whole numbers ``>= 0``, ``alpha`` not
        in (0, 1), or bad minimums.

    Examples
    --------
    The worked example of Wheeler & Ratcliffe (2018) (the Philadelphia foot patrol experiment):

    >>> before = {"target": 207, "buffer": 178, "control_target": 308, "control_buffer": 150}
    >>> after = {"target": 110, "buffer": 157, "control_target": 318, "control_buffer": 140}
    >>> r = weighted_displacement(before, after)
    >>> r.wdd, r.local, r.displacement, r.variance, round(r.z, 2), r.code
    (-118, -107, -11, 1568, -2.98, 'decrease')
    >>> round(r.ci_low), round(r.ci_high)
    (-196, -40)
    """
    alpha = _check_alpha(alpha)
    min_events = _check_whole("min_events", min_events)
    min_target_events = _check_whole("min_target_events", min_target_events)
    b = _four_counts("before", before)
    a = _four_counts("after", after)
    counts = pd.DataFrame(
        {
            "before": [b[k] for k in WDD_AREAS],
            "after": [a[k] for k in WDD_AREAS],
        },
        index=pd.Index(WDD_AREAS, name="area"),
        dtype="int64",
    )
    counts["change"] = counts["after"] - counts["before"]
    delta = counts["change"]
    local = int(delta["target"] - delta["control_target"])
    displacement = int(delta["buffer"] - delta["control_buffer"])
    wdd = local + displacement
    variance = int(counts[["before", "after"]].to_numpy().sum())
    sd = math.sqrt(variance) if variance else float("nan")
    z = wdd / sd
    p_value = float(2 * norm.sf(abs(z)))
    half = float(norm.isf(alpha / 2)) * sd
    n_target = b["target"] + a["target"]
    if variance < min_events or n_target < min_target_events or variance == 0:
        code = "too_few"
    elif p_value <= alpha:
        code = "decrease" if wdd < 0 else "increase"
    else:
        code = "no_clear_change"
    return WDDResult(
        counts=counts,
        wdd=wdd,
        local=local,
        displacement=displacement,
        variance=variance,
        z=z,
        p_value=p_value,
        ci_low=wdd - half,
        ci_high=wdd + half,
        alpha=alpha,
        code=code,
        min_events=min_events,
        min_target_events=min_target_events,
    )


# --- counting events in the four areas ----------------------------------------------------------


def _area_geometry(name: str, value: Any, events: gpd.GeoDataFrame) -> Any:
    """One (Multi)Polygon from a shapely geometry, GeoSeries or GeoDataFrame (CRS checked)."""
    if isinstance(value, gpd.GeoDataFrame | gpd.GeoSeries):
        check_same_crs("events", events, name, value)
        series = value.geometry if isinstance(value, gpd.GeoDataFrame) else value
        geom = series.union_all() if len(series) else None
    elif isinstance(value, shapely.Geometry):
        geom = value
    else:
        raise ConfigError(
            f"{name} must be a polygon (shapely), a GeoSeries or a GeoDataFrame; got "
            f"{type(value).__name__}"
        )
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "empty" if geom is None or geom.is_empty else geom.geom_type
        raise ConfigError(f"{name} must be a non-empty polygon area; got {kind}")
    return geom


def _days(name: str, value: Any) -> int | None:
    """A period length in whole days (int or timedelta), else None (a period-like value)."""
    if isinstance(value, bool):
        raise ConfigError(
            f"{name}={value!r} is not allowed; expected a number of days or a period"
        )
    if isinstance(value, int | np.integer):
        days = int(value)
    elif isinstance(value, dt.timedelta | np.timedelta64):
        length = pd.Timedelta(value)
        if length % pd.Timedelta(days=1):
            raise ConfigError(f"{name}={value!r} is not allowed; expected whole days")
        days = length.days
    else:
        return None
    if days <= 0:
        raise ConfigError(f"{name}={value!r} is not allowed; the period must be at least a day")
    return days


def _default_days(times: pd.Series, day: dt.date) -> int:
    """Whole days from ``day`` to the nearer end of the events' calendar-day span."""
    values = times.dropna()
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(TZ).dt.tz_localize(None)
    if values.empty:
        raise ConfigError("events has no time_from values; the periods cannot be chosen")
    first = values.min().date()
    last = values.max().date() + dt.timedelta(days=1)
    days = min((day - first).days, (last - day).days)
    if days < 1:
        raise ConfigError(
            f"date={day.isoformat()!r} is not allowed; it must lie inside the events' time span "
            f"({first.isoformat()} to {last.isoformat()}, the last day excluded)"
        )
    return days


def _windows(times: pd.Series, date: Any, before: Any, after: Any) -> tuple[Period, Period]:
    """The periods before and after (see :func:`wdd_counts`)."""
    days = {"before": _days("before", before), "after": _days("after", after)}
    given = {
        name: parse_period(value, name=name)
        for name, value in (("before", before), ("after", after))
        if value is not None and days[name] is None
    }
    if len(given) == 2:
        return given["before"], given["after"]
    if date is None:
        raise ConfigError(
            "date=None is not allowed unless before= and after= are both periods (e.g. "
            "'2019' or a (start, end) pair); give the date of the measure, e.g. "
            "date='2020-06-01'"
        )
    day = as_date(date, "date")
    lengths = {name: period.days for name, period in given.items()}
    lengths.update({name: n for name, n in days.items() if n is not None})
    if not lengths:
        n = _default_days(times, day)
        lengths = {"before": n, "after": n}
    length_b = lengths.get("before", lengths.get("after", 0))
    length_a = lengths.get("after", lengths.get("before", 0))
    start = day - dt.timedelta(days=length_b)
    end = day + dt.timedelta(days=length_a)
    period_b = given.get("before") or Period(start, day, span_label(start, day))
    period_a = given.get("after") or Period(day, end, span_label(day, end))
    if before is None and after is None:
        warnings.warn(
            msg(
                "stats_wdd_default_windows",
                before=period_b.label,
                after=period_a.label,
                date=day.isoformat(),
            ),
            GeoTryggWarning,
            stacklevel=3,
        )
    return period_b, period_a


def _check_layout(areas: dict[str, Any]) -> None:
    """ConfigError when the four areas cannot make a WDD design."""
    treated = shapely.union(areas["target"], areas["buffer"])
    controls = shapely.union(areas["control_target"], areas["control_buffer"])
    overlap = shapely.area(shapely.intersection(treated, controls))
    if overlap > _REL_TOL * min(shapely.area(treated), shapely.area(controls)):
        raise ConfigError(
            "control_target and control_buffer must lie outside target and buffer (they "
            "overlap); choose control areas away from the measure"
        )
    for ring, core in (("buffer", "target"), ("control_buffer", "control_target")):
        left = shapely.area(shapely.difference(areas[ring], areas[core]))
        if left <= _REL_TOL * shapely.area(areas[ring]):
            raise ConfigError(
                f"{ring} lies entirely inside {core}; {ring} must be the zone around {core}, "
                f"e.g. {core}.buffer(200) (the part inside {core} is left out)"
            )


def wdd_counts(
    events: gpd.GeoDataFrame,
    *,
    target: Any,
    buffer: Any,
    control_target: Any,
    control_buffer: Any,
    date: Any = None,
    before: Any = None,
    after: Any = None,
) -> pd.DataFrame:
    """Count events in the four areas of a WDD evaluation, before and after a date.

    Each event counts in at most one area, the first of ``target``, ``buffer``,
    ``control_target``, ``control_buffer`` that covers its point (boundary included), so a
    buffer drawn as a disk around the target (``target.buffer(200)``) counts as the ring around
    it, and likewise a control buffer drawn around its control. Events whose
    ``location_precision`` is ``stadsdel``, ``kommun`` or ``lan`` are not counted (their point
    is a centroid, not the place of the event; a :class:`~geo_trygg.GeoTryggWarning` says how
    many in the periods); events without ``time_from`` are not counted either.

    Periods are whole calendar days in Europe/Stockholm, ``[start, end)``, as in the rest of
    the lägesbild (:mod:`geo_trygg.periods`):

    - ``before`` / ``after`` as periods (``"2019"``, ``"2019-Q3"``, ``"2019-06"``, or a
      ``(start, end)`` pair with the end excluded): those periods, e.g. ``before="2019",
      after="2021"`` to leave out 2020, when the measure was built; ``date`` is then not
      needed;
    - as a number of days (``365``, or a whole-day ``timedelta``): the period of that length
      that ends (``before``) or starts (``after``) on ``date``; one given is used for both;
    - neither given: equally long periods on both sides of ``date``, as many whole days as
      both sides have in the events' time span (from the day of the first event to the day
      of the last, inclusive); a warning states the periods.

    The WDD compares equally long periods: a :class:`~geo_trygg.GeoTryggWarning` says so when
    the two differ by more than a day.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Events with point geometries and ``time_from`` (see docs/data-model.md).
    target, buffer, control_target, control_buffer : shapely Polygon, GeoSeries or GeoDataFrame
        The four areas (a GeoSeries/GeoDataFrame is united into one area and must be in the
        CRS of ``events``; a bare shapely geometry is taken to be in it). The control areas
        must lie outside the target and its buffer.
    date : str or date, optional
        The first day after the measure (the first day of the period after).
    before, after : period, int or timedelta, optional
        The periods, as above.

    Returns
    -------
    pandas.DataFrame
        Index :data:`WDD_AREAS` (named ``"area"``), columns ``before`` and ``after`` (int64);
        ``attrs`` hold ``"periods"`` (``{"before": {"start", "end", "label"}, "after": …}``,
        ISO dates, ``end`` excluded) and the numbers of events left out, ``"n_too_coarse"`` (in
        the periods) and ``"n_no_time"``.

    Raises
    ------
    ConfigError
        ``events`` is not a GeoDataFrame with ``time_from`` and points; an area is empty or
        not a polygon; the areas overlap as described; bad periods or date; the periods
        overlap.
    CRSMismatchError
        An area given as GeoSeries/GeoDataFrame is in another CRS than ``events``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> events = gpd.GeoDataFrame(
    ...     {"time_from": pd.to_datetime(["2020-02-01", "2020-03-01", "2020-07-01",
    ...                                   "2020-08-01"]).tz_localize("Europe/Stockholm")},
    ...     geometry=[Point(0, 0), Point(150, 0), Point(0, 1), Point(1000, 0)],
    ...     crs="EPSG:3006",
    ... )
    >>> target = Point(0, 0).buffer(100)
    >>> counts = wdd_counts(events, target=target, buffer=target.buffer(100),
    ...                     control_target=Point(1000, 0).buffer(100),
    ...                     control_buffer=Point(1000, 0).buffer(200), date="2020-06-01",
    ...                     before=150)
    >>> counts.to_dict()
    {'before': {'target': 1, 'buffer': 1, 'control_target': 0, 'control_buffer': 0}, \
'after': {'target': 1, 'buffer': 0, 'control_target': 1, 'control_buffer': 0}}
    >>> counts.attrs["periods"]["before"]["label"], counts.attrs["periods"]["after"]["label"]
    ('2020-01-03–2020-05-31', '2020-06-01–2020-10-28')
    """
    check_geoframe("events", events)
    if "time_from" not in events.columns:
        raise ConfigError("events has no time_from column; read events with geo_trygg.read_events")
    times = events["time_from"]
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise ConfigError(f"events['time_from'] must hold date-times; got dtype {times.dtype}")
    areas = {
        name: _area_geometry(name, value, events)
        for name, value in zip(
            WDD_AREAS, (target, buffer, control_target, control_buffer), strict=True
        )
    }
    _check_layout(areas)
    shapely.prepare(list(areas.values()))  # faster point tests; does not change the shapes
    period_b, period_a = _windows(times, date, before, after)
    if period_b.start < period_a.end and period_a.start < period_b.end:
        raise ConfigError(
            f"the periods before ({period_b.label}) and after ({period_a.label}) overlap; an "
            "event must belong to one of them"
        )
    if abs(period_b.days - period_a.days) > 1:
        warnings.warn(
            msg("stats_wdd_unequal_windows", before=period_b.days, after=period_a.days),
            GeoTryggWarning,
            stacklevel=2,
        )
    period = np.select([in_period(times, period_b), in_period(times, period_a)], [0, 1], -1)
    no_time = times.isna().to_numpy()
    coarse = np.zeros(len(events), dtype=bool)
    if "location_precision" in events.columns:
        coarse = events["location_precision"].isin(_COARSE).to_numpy()
    usable = (period >= 0) & ~coarse
    geoms = np.asarray(events.geometry.array, dtype=object)
    region = np.full(len(events), -1)
    for code, name in enumerate(WDD_AREAS):
        candidates = np.flatnonzero(usable & (region < 0))
        hit = shapely.covered_by(geoms[candidates], areas[name])
        region[candidates[hit]] = code
    counted = region >= 0
    flat = np.bincount(region[counted] * 2 + period[counted], minlength=8).reshape(4, 2)
    result = pd.DataFrame(
        flat, index=pd.Index(WDD_AREAS, name="area"), columns=["before", "after"]
    ).astype("int64")
    n_too_coarse = int((coarse & (period >= 0)).sum())
    n_no_time = int(no_time.sum())
    if n_too_coarse:
        warnings.warn(msg("stats_wdd_too_coarse", n=n_too_coarse), GeoTryggWarning, stacklevel=2)
    if n_no_time:
        warnings.warn(msg("stats_wdd_no_time", n=n_no_time), GeoTryggWarning, stacklevel=2)
    result.attrs.update(
        {
            "periods": {
                name: {"start": p.start.isoformat(), "end": p.end.isoformat(), "label": p.label}
                for name, p in (("before", period_b), ("after", period_a))
            },
            "n_too_coarse": n_too_coarse,
            "n_no_time": n_no_time,
        }
    )
    return result
