"""The :class:`Lagesbild` result: the tables of one lägesbild and their exporters."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_trygg import labels, settings
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.export import (
    write_csv_folder,
    write_excel,
    write_geopackage,
    write_html,
)
from geo_trygg.lagesbild._about import (
    area_placement,
    coverage_sentences,
    level_words,
    placement_sentences,
    source_words,
    why_not_comparable,
)
from geo_trygg.lagesbild._counts import PLACED_BY, placement_methods
from geo_trygg.lagesbild._coverage import NOT_COMPARABLE, SPAN_COLUMNS
from geo_trygg.lagesbild._planner import level_one, overview, planner_headers, planner_tables
from geo_trygg.lagesbild._survey_words import (
    goal_charts,
    survey_headers,
    survey_sentences,
    survey_texts,
)
from geo_trygg.periods import Period, TimeKeys
from geo_trygg.vocab.events import label as event_label
from geo_trygg.vocab.findings import label as finding_label

__all__ = ["Lagesbild", "PlacedPoints"]


SUMMARY_PARTS = ("coverage", "placement", "notes")
"""The parts of :meth:`Lagesbild.to_summary`, in order."""


@dataclass(frozen=True)
class PlacedPoints:
    """The input points of one kind as :func:`geo_trygg.assign_areas` placed them, and their
    times prepared once (``times.keys[i]`` is the time of ``frame.iloc[i]``)."""

    frame: gpd.GeoDataFrame
    times: TimeKeys

    def cut(self, keep: np.ndarray) -> PlacedPoints:
        """The points where ``keep`` (a boolean array over the rows) is True."""
        frame = self.frame[keep]
        return PlacedPoints(frame, TimeKeys(self.times.keys[keep], self.times.aware))


@dataclass
class Lagesbild:
    """One lägesbild: per-area tables, changes, follow-up and time profile for a period.

    Attributes
    ----------
    period, compare : Period, Period or None
        The period reported and the comparison period.
    levels : tuple of str
        The area levels reported.
    at : datetime.date
        The day whose boundary versions and crosswalks both periods were counted on.
    areas : pandas.DataFrame
        Long table, one row per kind (events/findings) × level × bucket × area × category:
        ``n``, ``n_compare``, ``expected``, ``change``, ``rate_ratio``, ``p_value``,
        ``p_adjusted``, ``change_code``, ``land_km2``, ``per_km2`` and, with a
        population, ``population``, ``per_1000`` and ``per_1000_eb`` (the rate smoothed by
        empirical Bayes towards the mean of its kind, level and category: small areas are
        pulled most, ``docs/lagesbild.md``). Buckets ``outside`` and ``too_coarse``
        hold the points outside every area and those located too coarsely for the level.
    totals : pandas.DataFrame
        The same per area with all categories together (``category == "(alla)"``), tested and
        adjusted as a table of its own.
    reconciliation : pandas.DataFrame
        Per kind × level: ``n_input == n_in_areas + n_outside + n_too_coarse``, and how the
        points in areas were placed there: ``n_in_areas == n_by_point + n_by_name +
        n_by_location`` (by their coordinates, by a place name in their text, by the place
        the source gives; :data:`geo_trygg.lagesbild._counts.PLACED_BY`).
    coverage : pandas.DataFrame or None
        Per kind × source × period (``role`` ``"period"``/``"compare"``): the days the source
        covers, the days with data, and its rows by location precision
        (:func:`geo_trygg.lagesbild._coverage.coverage_table`).
    comparison : pandas.DataFrame or None
        Per compared kind × level: whether the two periods can be compared and, if not, the
        obstacle (too few days covered, or a change in how precisely locations are given);
        those rows' ``change_code`` is ``"not_comparable"``.
    indicators, goals : pandas.DataFrame or None
        With survey results (``indicators=``): each area's own results and its parts' from an
        earlier division (``relation``, ``survey_area``; never added up), with their interval;
        with ``goals=``: progress per goal, area and survey area
        (:func:`geo_trygg.lagesbild.goal_progress`).
    followup, overdue : pandas.DataFrame or None
        Follow-up of walk findings per level and per responsible actor; the overdue findings.
    changes : pandas.DataFrame or None
        With ``since=``: new, closed and newly overdue findings since that day (``change``
        a code, :func:`geo_trygg.followup.changes_since`).
    weekday_hour, weekly : pandas.DataFrame or None
        Time profile of the events in the period (aoristic weights), per area of the first
        level in ``by`` (events without an area in a last group); ``weekday`` a code
        (0 = Monday).
    concentration : pandas.DataFrame
        Share of areas holding 25 % / 50 % of events, and the generalised Gini.
    priorities : pandas.DataFrame or None
        Areas ranked by weighted indicators, each factor's contribution and a code saying why
        (``reason``, :func:`geo_trygg.lagesbild._priority.prioritize`); equal scores share a
        rank (``tied``), and a level with one area or all scores 0 has none (``rank`` missing,
        ``no_rank`` says why).
    places, places_reconciliation, places_followup : pandas.DataFrame or None
        Per named place × category (counts, changes); the places' own reconciliation (points,
        not memberships); the follow-up of findings per place.
    notes : list of str
        Sentences for the reader (assumptions, empty inputs), in ``geo_trygg.settings.lang``
        as it was when the lägesbild was built.

    Notes
    -----
    The tables hold codes, the same in every language (:func:`geo_trygg.labels.with_words`
    puts them in words). The exporters :meth:`to_excel`, :meth:`to_csv` and :meth:`to_html`
    are presentation: they write the tables with the words of their ``lang`` beside the codes
    (``change_label``, ``weekday_name``, the follow-up changes' ``change_label``) and the
    sentence ``why`` in place of the code ``reason``; :meth:`to_dict`, :meth:`to_json` and
    :meth:`to_geopackage` keep the codes.


    Every point is placed in an area once, by :func:`geo_trygg.assign_areas` (its boundary
    rule gives a point on a shared border or corner to exactly one area). The tables count
    the points by that placement, and :meth:`points` gives the same points with the same
    area columns, so maps, meeting packs and action lists show exactly the points the tables
    count: nothing downstream places a point again.
    """

    period: Period
    compare: Period | None
    levels: tuple[str, ...]
    at: dt.date
    areas: pd.DataFrame
    totals: pd.DataFrame
    reconciliation: pd.DataFrame
    followup: pd.DataFrame | None = None
    overdue: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    weekday_hour: pd.DataFrame | None = None
    weekly: pd.DataFrame | None = None
    concentration: pd.DataFrame | None = None
    priorities: pd.DataFrame | None = None
    places: pd.DataFrame | None = None
    places_reconciliation: pd.DataFrame | None = None
    places_followup: pd.DataFrame | None = None
    coverage: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    goals: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    geography: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    _points: dict[str, PlacedPoints] = field(default_factory=dict, repr=False, compare=False)
    """The assigned input points behind the counts, by kind (private: read them with
    :meth:`points` and :meth:`point_times`); empty for a lägesbild built from counts only."""

    @property
    def point_kinds(self) -> tuple[str, ...]:
        """The kinds of input points behind the tables (``"events"``, ``"findings"``), sorted;
        empty for a lägesbild built from aggregated counts only."""
        return tuple(sorted(self._points))

    def _placed(self, kind: str) -> PlacedPoints:
        if kind not in self._points:
            allowed = ", ".join(map(repr, self.point_kinds)) or "none (no input points)"
            raise ConfigError(
                f"kind={kind!r} is not a kind of the lägesbild's points; allowed: {allowed}"
            )
        return self._points[kind]

    def points(self, kind: str) -> gpd.GeoDataFrame:
        """The input points of ``kind`` with their areas, exactly as the tables count them.

        Every point of the input (of every period: the tables count those whose time falls in
        the period, see :meth:`point_times`) with the columns :func:`geo_trygg.assign_areas`
        added for each level: ``<level>`` (the area's name, missing when the point is in no
        area), ``<level>_id``, ``<level>_matched_by`` and ``<level>_reason``. A point on a
        shared border or corner carries the one area the boundary rule gave it. After
        :meth:`for_area` only the points assigned to that area are left (cut by the area
        column, not by geometry). Use these points for maps and lists, rather than placing the
        points in the areas again: another rule (e.g. ``shapely.contains``, which leaves out
        the border) would draw a point on a page that does not count it, or on none.

        Parameters
        ----------
        kind : str
            One of :attr:`point_kinds`: ``"events"`` or ``"findings"``.

        Returns
        -------
        geopandas.GeoDataFrame
            The points in input order, with the input's index. A shallow copy: it shares its
            values with the lägesbild, so copy it (``.copy()``) before changing values in place.

        Raises
        ------
        ConfigError
            When ``kind`` is not one of :attr:`point_kinds`.

        Examples
        --------
        >>> import warnings
        >>> import geo_trygg as gt
        >>> from geo_trygg.demo import demo_paths
        >>> from geo_trygg.lagesbild import build_lagesbild
        >>> p = demo_paths()
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     lb = build_lagesbild(
        ...         gt.read_findings(p["findings"]).accepted,
        ...         gt.read_events(p["events"]).accepted,
        ...         areas=gt.read_areas(p["areas"]).accepted,
        ...         by="lpo",
        ...         period="2024-Q4",
        ...     )
        >>> lb.point_kinds
        ('events', 'findings')
        >>> own = lb.for_area("lpo", "Globen")
        >>> events = own.points("events")
        >>> set(events["lpo"])
        {'Globen'}
        >>> counted = int(own.totals.loc[own.totals["kind"] == "events", "n"].iloc[0])
        >>> int(own.point_times("events").mask(own.period).sum()) == counted  # the same points
        True
        """
        return self._placed(kind).frame.copy(deep=False)

    def point_times(self, kind: str) -> TimeKeys:
        """The times of :meth:`points` ``(kind)``, read once, row for row.

        ``keys[i]`` is the time of the ``i``-th point (``time_from`` for events, ``walk_date``
        for findings) as the tables use it; ``mask(period)`` says which points a period
        counts. For counting the points over further periods without reading their dates
        again.

        Parameters
        ----------
        kind : str
            One of :attr:`point_kinds`.

        Returns
        -------
        geo_trygg.periods.TimeKeys

        Raises
        ------
        ConfigError
            When ``kind`` is not one of :attr:`point_kinds`.
        """
        return self._placed(kind).times

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table that exists, in report order, keyed by its English name."""
        order = (
            "priorities",
            "totals",
            "areas",
            "indicators",
            "goals",
            "coverage",
            "comparison",
            "reconciliation",
            "followup",
            "overdue",
            "changes",
            "weekday_hour",
            "weekly",
            "concentration",
        )
        out = {}
        for key in order:
            value = getattr(self, key)
            if value is not None and len(value.columns):
                out[key] = value
        return out

    def for_area(self, level: str, area: str) -> Lagesbild:
        """The lägesbild of one area: every table cut to the rows of ``area`` at ``level``.

        Per-area rows (counts, totals, priorities, follow-up) keep the area's own rows; the
        overdue and changes lists keep the findings assigned to the area; the time profile
        keeps the area's rows when it is grouped by ``level``; the comparison keeps the
        level's rows (whether its periods compare), the coverage the sources' dates and the
        days they cover (not their counts, which are the whole input's); the reconciliation
        and concentration, which count all areas, are left out, so a page changes only when
        what it shows changes (:meth:`to_summary` then says how the area's own points were
        placed). The geography keeps the area
        only, and :meth:`points` the points assigned to it. Everything is cut by the area
        column that :func:`geo_trygg.assign_areas` filled (a point on a border is in the one
        area it was given), never by geometry.

        Raises
        ------
        ConfigError
            When ``level`` is not a level of the lägesbild or ``area`` not one of its areas.
        """
        if level not in self.levels:
            raise ConfigError(
                f"level={level!r} is not a level of the lägesbild; allowed: "
                + ", ".join(map(repr, self.levels))
            )
        names = set(self.geography[level]["name"]) if level in self.geography else set()
        if area not in names:
            shown = ", ".join(map(repr, sorted(names)[:10]))
            raise ConfigError(f"area={area!r} is not a {level}; e.g. {shown}")

        def rows(frame: pd.DataFrame | None, key: str, group: str) -> pd.DataFrame | None:
            if frame is None or key not in frame.columns or group not in frame.columns:
                return None
            return frame[(frame[key] == level) & (frame[group] == area)].reset_index(drop=True)

        def assigned(frame: pd.DataFrame | None) -> pd.DataFrame | None:
            if frame is None or level not in frame.columns:
                return None
            return frame[frame[level] == area].reset_index(drop=True)

        points = {
            kind: placed.cut((placed.frame[level] == area).to_numpy(dtype=bool))
            for kind, placed in self._points.items()
            if level in placed.frame.columns
        }

        return Lagesbild(
            period=self.period,
            compare=self.compare,
            levels=(level,),
            at=self.at,
            areas=self._cut(self.areas, level, area),
            totals=self._cut(self.totals, level, area),
            reconciliation=pd.DataFrame(),  # counts of the whole level: left out
            coverage=None
            if self.coverage is None
            else self.coverage[[c for c in self.coverage.columns if c in SPAN_COLUMNS]],
            comparison=self._level_rows(self.comparison, level),
            followup=rows(self.followup, "level", "group"),
            overdue=assigned(self.overdue),
            changes=assigned(self.changes),
            weekday_hour=assigned(self.weekday_hour),
            weekly=assigned(self.weekly),
            concentration=None,
            priorities=rows(self.priorities, "level", "area"),
            indicators=rows(self.indicators, "level", "area"),
            goals=rows(self.goals, "level", "area"),
            notes=list(self.notes),
            geography={level: self.geography[level][self.geography[level]["name"] == area]},
            _points=points,
        )

    @staticmethod
    def _level_rows(frame: pd.DataFrame | None, level: str) -> pd.DataFrame | None:
        if frame is None or "level" not in frame.columns:
            return frame
        return frame[frame["level"] == level].reset_index(drop=True)

    @staticmethod
    def _cut(frame: pd.DataFrame, level: str, area: str) -> pd.DataFrame:
        return frame[(frame["level"] == level) & (frame["area"] == area)].reset_index(drop=True)

    def placed(self, kind: str, level: str) -> dict[str, int]:
        """The points of ``kind`` in the period that are in an area of ``level``, by how they
        were placed there (``"point"``, ``"name"``, ``"location"``; see
        :data:`geo_trygg.lagesbild._counts.PLACED_BY`). After :meth:`for_area`, the area's
        own points: the same figures its tables count.

        Raises
        ------
        ConfigError
            When ``kind`` is not one of :attr:`point_kinds` or ``level`` not a level.
        """
        placed = self._placed(kind)
        if level not in self.levels:
            raise ConfigError(
                f"level={level!r} is not a level of the lägesbild; allowed: "
                + ", ".join(map(repr, self.levels))
            )
        rows = np.flatnonzero(placed.times.mask(self.period))
        method = placement_methods(placed.frame, level, rows)
        counts = np.bincount(method.astype(np.int64), minlength=len(PLACED_BY) + 1)
        return {name: int(counts[i + 1]) for i, name in enumerate(PLACED_BY)}

    def to_summary(
        self,
        lang: str | None = None,
        *,
        level: str | None = None,
        public: bool = False,
        parts: Sequence[str] = SUMMARY_PARTS,
    ) -> list[str]:
        """What the data can show, in sentences a reader sees first: each source's dates and
        the days of the periods it covers, how many points each level could place and how,
        a warning where under half could be placed, and the notes.

        Parameters
        ----------
        lang : {"sv", "en"}, optional
            ``settings.lang`` when omitted (the notes stay in the language of the build).
        level : str, optional
            Only this level's placement (all levels when omitted).
        public : bool, default False
            For a public page: no counts (a count over a whole level could undo the
            suppression of small counts), so only the sources' dates and days covered and the
            warning where under half could be placed; no notes (a public pack shows them
            without values).
        parts : sequence of str, default ("coverage", "placement", "notes")
            The parts wanted, in this order.

        Returns
        -------
        list of str

        Raises
        ------
        ConfigError
            When ``parts`` names something else.
        """
        lang = lang or settings.lang
        unknown = sorted(set(parts) - set(SUMMARY_PARTS))
        if unknown:
            raise ConfigError(
                f"parts names {', '.join(map(repr, unknown))}; allowed: "
                + ", ".join(map(repr, SUMMARY_PARTS))
            )
        recon = self.reconciliation
        if level is not None and "level" in recon.columns:
            recon = recon[recon["level"] == level]
        out = []
        if "coverage" in parts:
            out += coverage_sentences(self.coverage, lang, counts=not public)
            out += survey_sentences(self.indicators, lang)
        if "placement" in parts and not recon.empty:
            out += placement_sentences(recon, lang, counts=not public)
        elif "placement" in parts and not public and len(self.levels) == 1:
            # one area (for_area): how its own points were placed
            for kind in self.point_kinds:
                out.append(area_placement(kind, self.placed(kind, self.levels[0]), lang))
        if "notes" in parts and not public:
            out += self.notes
        return out

    def to_words(
        self, lang: str | None = None, *, keys: Sequence[str] | None = None
    ) -> dict[str, pd.DataFrame]:
        """Every table as the exports show it, by its English key (:meth:`tables`): the words
        of ``lang`` beside the codes, levels, kinds, categories, statuses and actors in words,
        and a change that cannot be judged with its reason ("jämförelse inte möjlig: data
        finns för 12 av 90 dagar i jämförelseperioden"); rows in the tables' order.

        Parameters
        ----------
        lang : {"sv", "en"}, optional
            ``settings.lang`` when omitted.
        keys : sequence of str, optional
            Only these tables (those that exist); all by default.

        Returns
        -------
        dict of str to pandas.DataFrame
        """
        lang = lang or settings.lang
        why = why_not_comparable(self.comparison, lang)
        return {
            k: _in_words(k, v, lang, why)
            for k, v in self.tables().items()
            if keys is None or k in keys
        }

    def _named(self, lang: str | None) -> dict[str, pd.DataFrame]:
        lang = lang or settings.lang
        names = labels.table_names(lang)
        return {names.get(k, k): v for k, v in self.to_words(lang).items()}

    def _title(self, lang: str | None) -> str:
        """The report's title; an area's own lägesbild (:meth:`for_area`) names the area and
        its level ("Lägesbild Globen (lokalpolisområde), 2024-Q4")."""
        period = self.period.label
        compare = self.compare.label if self.compare is not None else None
        area = self._only_area()
        if area is not None:
            level = level_one(self.levels[0], lang or settings.lang)
            if compare is None:
                return msg("lb_title_area_level", lang, area=area, level=level, period=period)
            return msg(
                "lb_title_area_level_compared",
                lang,
                area=area,
                level=level,
                period=period,
                compare=compare,
            )
        if compare is None:
            return msg("lb_title", lang, period=period)
        return msg("lb_title_compared", lang, period=period, compare=compare)

    def _only_area(self) -> str | None:
        """The name of the lägesbild's one area (:meth:`for_area`), else None."""
        layer = self.geography.get(self.levels[0]) if len(self.levels) == 1 else None
        names = sorted(set(layer["name"])) if layer is not None else []
        return str(names[0]) if len(names) == 1 else None

    def to_excel(
        self, path: str | Path, *, lang: str | None = None, classification: str | None = None
    ) -> Path:
        """Write every table to its own sheet (Swedish headers by default), after a first
        sheet of what the data can show (:meth:`to_summary`); same input, same bytes.
        ``classification`` (e.g. "Intern") is printed in every sheet's header."""
        return write_excel(
            self._with_summary(lang),
            path,
            lang=lang,
            headers={**_code_headers(lang), **self._survey_headers(lang)},
            classification=classification,
        )

    def to_csv(self, folder: str | Path, *, lang: str | None = None) -> list[Path]:
        """Write one CSV per table (UTF-8 with BOM, ``;``, decimal commas) into ``folder``,
        and one of what the data can show (:meth:`to_summary`)."""
        return write_csv_folder(
            self._with_summary(lang),
            folder,
            lang=lang,
            headers={**_code_headers(lang), **self._survey_headers(lang)},
        )

    def _survey_headers(self, lang: str | None) -> dict[str, str]:
        """Headers of the prioritisation's survey columns (``survey:<id>`` and its
        contribution), in words."""
        if self.priorities is None:
            return {}
        return survey_headers(self.priorities.columns, lang or settings.lang)

    def _with_summary(self, lang: str | None) -> dict[str, pd.DataFrame]:
        """The named tables, with the codes beside their words (:func:`_with_codes`), after
        a first one: the sentences of :meth:`to_summary`."""
        lang = lang or settings.lang
        heading = msg("about_heading", lang)
        names = labels.table_names(lang)
        codes = self.tables()
        tables = {
            names.get(k, k): _with_codes(v, codes[k]) for k, v in self.to_words(lang).items()
        }
        return {heading: pd.DataFrame({heading: self.to_summary(lang)}), **tables}

    def to_geopackage(self, path: str | Path) -> Path:
        """Write the tables to a GeoPackage; the area totals of each level with geometry."""
        tables: dict[str, pd.DataFrame] = dict(self.tables())
        for level, layer in self.geography.items():
            if level not in self.levels:
                continue
            rows = self.totals[(self.totals["level"] == level) & (self.totals["bucket"] == "area")]
            shapes = layer.dissolve(by="name", sort=True)[["geometry"]]
            joined = rows.merge(shapes, left_on="area", right_index=True, how="left")
            tables[f"map_{level}"] = gpd.GeoDataFrame(joined, geometry="geometry", crs=layer.crs)
        return write_geopackage(tables, path)

    def to_html(
        self,
        path: str | Path,
        *,
        lang: str | None = None,
        classification: str | None = None,
        picture: str | None = None,
        nav: Sequence[tuple[str, str]] | None = None,
        lead: Sequence[str] = (),
        more: Sequence[tuple[str, Sequence[str]]] = (),
        extra_tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> Path:
        """Write a readable report, planner first.

        The title names the area, its level and the period. The first screen holds a short
        summary in words: what changed where (as the lägesbild judged it; a change that
        cannot be judged says why), the overdue measures by responsible actor, what the data
        can show (:meth:`to_summary`) and the ``picture`` (the map). Then a weekly chart, a
        weekday × hour heat table and the tables a meeting uses, every code in words, counts
        as integers and shares in percent; the overdue list holds id, place, category,
        description, responsible actor, deadline, days overdue and status. Every table with
        every column (expected values, p-values, coverage, how rows were placed) follows in
        a collapsed section for analysts, which is not printed (the Excel file holds them
        too). Printed on A4 landscape, every table fits the page.

        Parameters
        ----------
        path : str or Path
            Output file (UTF-8, overwritten).
        lang : {"sv", "en"}, optional
            ``settings.lang`` when omitted.
        classification : str, optional
            A banner on top (e.g. "Intern").
        picture : str, optional
            The relative address of a picture of the area shown on the first screen (a
            pack passes ``"karta.png"`` when it makes one).
        nav : sequence of (str, str), optional
            Links at the top of the page (text, relative address), hidden in print.
        lead : sequence of str, default ()
            Sentences under the title, e.g. an utsatt område's police category and list year.
        more : sequence of (str, sequence of str), default ()
            Further short lists on the first screen, each a heading and its sentences, after
            the lägesbild's own (e.g. the utsatta områden over the area and their history).
        extra_tables : mapping of str to DataFrame, optional
            Tables in words shown after the planner's tables (a pack's measure areas), each
            under its name, with its ``attrs["notes"]`` under it.

        Returns
        -------
        Path
        """
        lang_ = lang or settings.lang
        names = labels.table_names(lang_)
        words = self.to_words(lang_)
        charts = {}
        if self.weekly is not None and len(self.weekly):
            charts[names["weekly"]] = _in_words("weekly", self.weekly, lang_)
        if self.weekday_hour is not None and len(self.weekday_hour):
            charts[names["weekday_hour"]] = _in_words("weekday_hour", self.weekday_hour, lang_)
        charts.update(goal_charts(self.goals, self.indicators, lang_))
        shown = {k: v for k, v in words.items() if names.get(k, k) not in charts}
        analyst = {names.get(k, k): v.drop(columns=_report_columns(v)) for k, v in shown.items()}
        crs = self._points["findings"].frame.crs if "findings" in self._points else None
        planner = {names.get(k, k): v for k, v in planner_tables(shown, crs).items()}
        area = self._only_area()
        alt = (
            msg("lb_picture_alt_area", lang_, area=area, period=self.period.label)
            if area is not None
            else msg("lb_picture_alt", lang_, period=self.period.label)
        )
        return write_html(
            {**(planner or analyst), **(extra_tables or {})},
            path,
            title=self._title(lang_),
            lang=lang_,
            charts=charts,
            headers={**_headers(lang_), **planner_headers(lang_), **self._survey_headers(lang_)},
            classification=classification,
            summary=(msg("about_heading", lang_), self.to_summary(lang_)),
            overview=[*overview(self, words, lang_), *more],
            picture=picture,
            picture_alt=alt,
            analyst=analyst if planner else None,
            nav=nav,
            lead=lead,
        )

    def to_dict(self) -> dict[str, Any]:
        """Every table as JSON-able records, with the periods and notes."""
        return {
            "period": self.period.label,
            "compare": self.compare.label if self.compare else None,
            "levels": list(self.levels),
            "at": self.at.isoformat(),
            "notes": list(self.notes),
            "summary": self.to_summary(),
            "tables": {k: _records(v) for k, v in self.tables().items()},
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as deterministic JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2)


_CODES_NOT_SHOWN = ("reason", "tied", "no_rank")
"""Code columns the exports leave out: their words (``why``; the rank in words,
``rank_label``) say all they say."""


def _in_words(
    key: str,
    frame: pd.DataFrame,
    lang: str,
    why: Mapping[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """Table ``key`` as the exports show it: the words of ``lang`` beside its codes, and the
    codes of the levels, kinds, parts, categories, statuses and actors in words; a change that
    cannot be judged says why (``why``, by kind and level: :func:`why_not_comparable`)."""
    out = labels.with_words(frame, lang=lang)
    if why and "change_label" in out.columns and "level" in out.columns:
        kinds = out["kind"].tolist() if "kind" in out.columns else ["events"] * len(out)
        codes = out["change_code"].tolist()
        out["change_label"] = [
            why.get((str(k), str(lv)), label) if code == NOT_COMPARABLE else label
            for k, lv, code, label in zip(
                kinds, out["level"].tolist(), codes, out["change_label"].tolist(), strict=True
            )
        ]
    if key == "changes" and "change" in out.columns:  # the follow-up's codes, not the test's
        words = labels.words(out["change"], "followup_change", lang=lang)
        out.insert(list(out.columns).index("change") + 1, "change_label", words.to_numpy())
    if key == "priorities" and "rank" in out.columns:  # "2 (delad)", "ingen rangordning …"
        texts = labels.rank_texts(out, lang=lang)
        out.insert(list(out.columns).index("rank") + 1, "rank_label", texts.to_numpy())
    out = survey_texts(key, out, lang)
    out = out.drop(columns=[c for c in _CODES_NOT_SHOWN if c in out.columns])
    return _values_in_words(out, lang)


def _headers(lang: str | None) -> dict[str, str]:
    """The exported tables' headers: the lägesbild's columns, and the columns that name each
    row's area of a level (the follow-up rows), by the level's words."""
    weeks = {"week": msg("lb_header_week", lang), "week_start": msg("lb_header_week_start", lang)}
    return {**labels.level_names(lang), **labels.column_names(lang), **weeks}


_CODE_COLUMNS = (
    "kind",
    "level",
    "bucket",
    "category",
    "group",
    "status",
    "responsible_actor",
    "source",
    "role",
    "obstacle",
)
"""Columns whose codes the exports put in words (:func:`_values_in_words`); the Excel and
CSV files keep each code beside its words, in ``<column>_code``."""


def _with_codes(words: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """``words`` (a table of :meth:`Lagesbild.to_words`) with, right after each column of
    :data:`_CODE_COLUMNS` whose words differ from its codes, the codes (``<column>_code``;
    ``codes`` is the lägesbild's own table, row for row)."""
    if len(words) != len(codes):  # pragma: no cover - to_words keeps every row
        return words
    out = words.copy()
    for column in _CODE_COLUMNS:
        if column not in out.columns or column not in codes.columns:
            continue
        original = codes[column].reset_index(drop=True)
        shown = out[column].reset_index(drop=True)
        if original.astype(object).equals(shown.astype(object)):
            continue
        out.insert(list(out.columns).index(column) + 1, f"{column}_code", original.to_numpy())
    return out


def _code_headers(lang: str | None) -> dict[str, str]:
    """The Excel and CSV headers: :func:`_headers`, and "Kategori (kod)" for the codes kept
    beside their words (:func:`_with_codes`)."""
    headers = _headers(lang)
    for column in _CODE_COLUMNS:
        headers[f"{column}_code"] = msg("lb_column_code", lang, column=headers.get(column, column))
    return headers


def _word_of(lookup: Any, code: Any) -> Any:
    """``lookup(code)``, or the value itself when it is missing or no code of the lookup."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return code
    try:
        return lookup(code)
    except (KeyError, ValueError):
        return code


def _values_in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The code values a reader meets in the exported tables, in words: the level (or what
    the follow-up groups by), what is counted, the part of a level (in an area, outside every
    area, too coarse), the category (of events or of findings, by the row's kind), the status,
    the responsible actor, the follow-up's groups by actor or category and the indicators an
    area lacks.
    A value that is no known code (a level or category of the user's own) stays as given."""
    if frame.empty:
        return frame
    out = frame.copy()
    kinds = labels.kind_names(lang)
    columns = labels.column_names(lang)
    parts = {"area": columns["area"], "outside": columns["n_outside"]}
    parts["too_coarse"] = columns["n_too_coarse"]

    def by_row(column: str, lookup: Any) -> None:
        if column in out.columns:
            out[column] = [_word_of(lookup, v) for v in out[column].tolist()]

    if "category" in out.columns:  # the row's kind says which vocabulary
        row_kinds = out["kind"].tolist() if "kind" in out.columns else ["findings"] * len(out)
        out["category"] = [
            _word_of(lambda c: event_label(c, lang), v)
            if k == "events"
            else _word_of(lambda c: finding_label(c, lang, kind="category"), v)
            for k, v in zip(row_kinds, out["category"].tolist(), strict=True)
        ]
    if "group" in out.columns and "level" in out.columns:  # the follow-up by actor or category
        vocabulary = {"responsible_actor": "actor", "category": "category", "status": "status"}
        out["group"] = [
            _word_of(lambda c, kind=vocabulary[level]: finding_label(c, lang, kind=kind), v)
            if level in vocabulary
            else v
            for level, v in zip(out["level"].tolist(), out["group"].tolist(), strict=True)
        ]
    if "missing" in out.columns:  # the indicators an area lacks, by their headers
        out["missing"] = [
            ", ".join(labels.indicator_words(n, lang) for n in v.split(", "))
            if isinstance(v, str) and v
            else v
            for v in out["missing"].tolist()
        ]

    if "source" in out.columns and "kind" in out.columns:  # the coverage's sources
        out["source"] = [
            source_words(str(k), str(v), lang) if isinstance(v, str) else v
            for k, v in zip(out["kind"].tolist(), out["source"].tolist(), strict=True)
        ]
    by_row("role", lambda c: labels.coverage_role_names(lang)[c])
    by_row("obstacle", lambda c: labels.comparison_obstacle_names(lang)[c])
    by_row("level", lambda c: level_words(c, lang))
    by_row("kind", lambda c: kinds[c])
    by_row("bucket", lambda c: parts[c])
    by_row("status", lambda c: finding_label(c, lang, kind="status"))
    by_row("responsible_actor", lambda c: finding_label(c, lang, kind="actor"))
    return out


_NOT_IN_THE_REPORT = re.compile(
    r"^(source_row|coords_swapped|status_date|change_code|rank)$"
    r"|_(matched_by|reason)$"
)
"""Columns of the finding rows the HTML report leaves out (the Excel and CSV keep them):
how a row was read and placed, the change code beside its words (the assessment) and the
rank beside its words (``rank_label``: "2 (delad)", "ingen rangordning möjlig"); the
texts as written (``category_original``, ``responsible_original``) stay; also
``<level>_id`` beside a level's name column (see :func:`_report_columns`)."""


def _report_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` the HTML report leaves out (:data:`_NOT_IN_THE_REPORT`, and
    the id of each level whose area names are a column: ``lpo_id`` beside ``lpo``)."""
    names = {str(c) for c in frame.columns}
    return [
        c
        for c in frame.columns
        if _NOT_IN_THE_REPORT.search(str(c))
        or (str(c).endswith("_id") and str(c).removesuffix("_id") in names)
    ]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
    out = []
    for row in frame.to_dict("records"):
        out.append({str(k): _plain(v) for k, v in row.items()})
    return out


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()
    if isinstance(value, (np.bool_,)):
        return bool(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
