"""Action lists (åtgärdslistor): each responsible actor's open and overdue findings.

``OUT/atgardslistor/<actor-slug>.xlsx`` and ``.html`` are the lists the meeting organiser
mails out: one per responsible actor (trafikkontoret, a property owner, SL, the stadsdel…)
that has open findings. The follow-up rules are those of :mod:`geo_trygg.followup`:
open means status ``new`` or ``in_progress``; a finding is overdue when it is open and its
deadline is before ``as_of`` (``days_overdue = as_of - deadline``, 1 on the first day).

Choices made here:

- **Actors** are the values of ``responsible_actor``: codes get their label
  (:func:`geo_trygg.vocab.findings.label`), other texts are shown as given, and findings
  without an actor (or a frame without the column) go to one list ``okand-ansvarig``.
- **File names** are :func:`geo_trygg.pack.slug` of the *Swedish* label, so they do not depend
  on ``lang`` (``trafikkontoret``, ``sl-kollektivtrafik``, ``annan-aktor``), made unique and
  portable by :func:`geo_trygg.pack._names.unique_names`: the first label (in code point
  order) with a slug gets it, other labels with that slug get ``-`` and 8 hex digits of the
  SHA-256 of their (masked) label; never a Windows device name (``con.xlsx``), never over 80
  characters. Actors whose masked labels are equal get ``-2``, ``-3`` … in the order of
  their values.
- **Masking**: with ``mask=True`` (the default) descriptions and actor texts go through
  :func:`~geo_trygg.pack._mask.mask_personal`, so no personnummer or phone number reaches a
  file name, a title or a cell.
- **Place column** ("Plats"): the finding's address (a column ``address`` or
  ``location_name``), else its named place — the ``place`` column of
  :func:`geo_trygg.assign_areas`, else the polygon of ``places`` holding the point, else the
  nearest one within :data:`NEAR_METRES` (250 m) as "nära Älvsjö centrum" — else the point as
  ``"lat, lon"``. The **area column** ("Område") holds the finding's areas.
- **Map column**: the link of ``map_links[finding_id]`` (a relative URL such as
  ``../stadsdelsomrade/hagersten-alvsjo/karta.html#fynd=V1-3``: a pack links the map zoomed
  to the finding), else the point as ``"lat, lon"`` in WGS 84 rounded to 5 decimals (about a
  metre), as text.
- **Order**: overdue findings first, most days overdue first; then the other open ones by
  deadline (those without a deadline last); ties by ``finding_id``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._validate import check_lang
from geo_trygg.crs import get_transformer
from geo_trygg.export import page_template, render_page, write_excel
from geo_trygg.followup import (
    OPEN_STATUSES,
    DateLike,
    as_texts,
    check_frame,
    overdue_mask,
    parse_day,
    prepare_findings,
    warn_after_as_of,
)
from geo_trygg.pack._mask import mask_texts
from geo_trygg.pack._names import unique_names
from geo_trygg.vocab.findings import label

__all__ = ["ACTION_COLUMNS", "ActionList", "action_lists", "write_action_lists"]

ACTION_COLUMNS = (
    "finding_id",
    "category",
    "description",
    "location",
    "area",
    "walk_date",
    "deadline",
    "status",
    "overdue",
    "days_overdue",
    "map",
)
"""Columns of each action list, in order (headers: :func:`_headers`)."""


def _headers(lang: str) -> dict[str, str]:
    """The header of each column of :data:`ACTION_COLUMNS`, in ``lang``."""
    return {
        "finding_id": msg("act_col_finding_id", lang),
        "category": msg("act_col_category", lang),
        "description": msg("act_col_description", lang),
        "location": msg("act_col_location", lang),
        "area": msg("act_col_area", lang),
        "walk_date": msg("act_col_walk_date", lang),
        "deadline": msg("act_col_deadline", lang),
        "status": msg("act_col_status", lang),
        "overdue": msg("act_col_overdue", lang),
        "days_overdue": msg("act_col_days_overdue", lang),
        "map": msg("act_col_map", lang),
    }


LOCATION_LEVELS = ("stadsdel", "stadsdelsomrade", "lpo")
"""Area columns shown in the area column (those present), finest first."""
ADDRESS_COLUMNS = ("address", "location_name")
"""Columns holding a finding's address or place as written (the first present with text)."""
NEAR_METRES = 250.0
"""A finding outside every named place is "near" the nearest one within this distance."""
UNKNOWN_SLUG = "okand-ansvarig"

_TEMPLATE = page_template("""{% extends "base.html" %}
{% block style %}
tr.overdue { background: #fdecea; } .flag { color: #8a0000; font-weight: 700; }
td.date { white-space: nowrap; }
{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
<p>{{ intro }}</p>
{% for note in notes %}<p>{{ note }}</p>
{% endfor %}
<nav aria-label="{{ links_label }}">
<h2>{{ links_label }}</h2>
<ul>
{% for link in links %}<li><a href="{{ link.href }}">{{ link.text }}</a></li>
{% endfor %}
</ul>
</nav>
<table>
<caption>{{ caption }}</caption>
<thead><tr>{% for h in headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}
<tr{% if row.overdue %} class="overdue"{% endif %}><th scope="row">{{ row.finding_id }}</th>
<td>{{ row.category }}</td><td>{{ row.description }}</td><td>{{ row.location }}</td>
<td>{{ row.area }}</td>
<td class="date">{{ row.walk_date }}</td><td class="date">{{ row.deadline }}</td>
<td>{{ row.status }}</td>
<td class="flag">{{ row.overdue }}</td><td class="num">{{ row.days_overdue }}</td>
<td>{% if row.href %}<a href="{{ row.href }}">{{ map_label }}</a>
{%- else %}{{ row.map }}{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% endblock %}
""")


def _check_links(map_links: Any) -> dict[str, str]:
    """``map_links`` as a dict; ConfigError for anything but relative or http(s) URLs."""
    if map_links is None:
        return {}
    if not isinstance(map_links, Mapping):
        raise ConfigError(
            f"map_links must be a mapping {{finding_id: relative URL}}, not "
            f"{type(map_links).__name__}"
        )
    out: dict[str, str] = {}
    for key, url in map_links.items():
        scheme = urlsplit(url).scheme.lower() if isinstance(url, str) else None
        if not isinstance(key, str) or scheme not in ("", "http", "https"):
            raise ConfigError(
                f"map_links[{key!r}] = {url!r} is not allowed: keys must be finding ids (text) "
                "and values relative URLs such as '../stadsdelsomrade/hagersten-alvsjo/"
                "karta.html' (or http/https addresses)"
            )
        out[key] = url
    return out


def _coordinates(frame: pd.DataFrame) -> list[str | None]:
    """``"lat, lon"`` (WGS 84, 5 decimals) of each point of a GeoDataFrame, else None."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        return [None] * len(frame)
    geometry = frame.geometry
    if geometry.crs is None:
        warnings.warn(msg("act_no_crs"), GeoTryggWarning, stacklevel=3)
        return [None] * len(frame)
    points = (geometry.geom_type == "Point").to_numpy() & ~geometry.is_empty.to_numpy()
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    x[points] = geometry[points].x.to_numpy()
    y[points] = geometry[points].y.to_numpy()
    lon, lat = get_transformer(geometry.crs, "EPSG:4326").transform(x, y)
    return [
        f"{la:.5f}, {lo:.5f}" if ok and np.isfinite(la) and np.isfinite(lo) else None
        for ok, la, lo in zip(points, np.asarray(lat), np.asarray(lon), strict=True)
    ]


def _areas(frame: pd.DataFrame) -> list[str | None]:
    """The area names of each finding (the :data:`LOCATION_LEVELS` present), joined."""
    columns = [as_texts(frame[c]) for c in LOCATION_LEVELS if c in frame.columns]
    out: list[str | None] = []
    for names in zip(*columns, strict=True) if columns else [()] * len(frame):
        shown = list(dict.fromkeys(n for n in names if n is not None))
        out.append(", ".join(shown) or None)
    return out


def _addresses(frame: pd.DataFrame) -> list[str | None]:
    """Each finding's address as written (:data:`ADDRESS_COLUMNS`, the first with text)."""
    out: list[str | None] = [None] * len(frame)
    for column in ADDRESS_COLUMNS:
        if column in frame.columns:
            for i, text in enumerate(as_texts(frame[column]).tolist()):
                if out[i] is None and text is not None and text.strip():
                    out[i] = text.strip()
    return out


def _places(frame: pd.DataFrame, places: gpd.GeoDataFrame | None, lang: str) -> list[str | None]:
    """Each finding's named place: the ``place`` column where it has one, else the polygon
    of ``places`` holding the point (the first by name when several do), else "nära <name>"
    for the nearest within :data:`NEAR_METRES` (ties by name); None when there is none."""
    out: list[str | None] = (
        as_texts(frame["place"]).tolist() if "place" in frame.columns else [None] * len(frame)
    )
    if (
        places is None
        or not len(places)
        or not isinstance(frame, gpd.GeoDataFrame)
        or frame.active_geometry_name is None
        or frame.crs is None
        or places.crs is None
    ):
        return out
    todo = [i for i, name in enumerate(out) if name is None]
    if not todo:
        return out
    metric = "EPSG:3006" if frame.crs.is_geographic else frame.crs
    points = frame.geometry.iloc[todo].to_crs(metric).to_numpy()
    named = places[places["name"].notna()].sort_values("name", kind="stable")
    shapes = named.geometry.to_crs(metric).to_numpy()
    names = named["name"].astype(str).tolist()
    if not names:
        return out
    distance = shapely.distance(points[:, None], shapes[None, :])
    distance = np.where(np.isnan(distance), np.inf, distance)
    nearest = distance.argmin(axis=1)  # the first (by name) of equal distances
    for i, j, d in zip(todo, nearest, distance[np.arange(len(todo)), nearest], strict=True):
        if d == 0:
            out[i] = names[j]
        elif d <= NEAR_METRES:
            out[i] = msg("act_near_place", lang, place=names[j])
    return out


def _actors(values: list[str | None], mask: bool, lang: str) -> list[tuple[str | None, str, str]]:
    """Per finding: the actor value, its shown label and its Swedish label for the slug."""
    cache: dict[str | None, tuple[str | None, str, str]] = {
        None: (None, msg("act_unknown_actor", lang), UNKNOWN_SLUG)
    }
    for value in dict.fromkeys(values):
        if value is not None:
            shown, swedish = label(value, lang, kind="actor"), label(value, "sv", kind="actor")
            if mask:
                shown, swedish = mask_texts([shown, swedish], lang=lang)
            cache[value] = (value, shown, swedish)
    return [cache[v] for v in values]


def _slugs(actors: list[str | None], swedish: dict[str | None, str]) -> dict[str | None, str]:
    """A unique, portable file name per actor (:func:`geo_trygg.pack._names.unique_names` of
    the Swedish labels as shown, so no unmasked text is hashed); the unknown actor gets
    ``okand-ansvarig``. Actors whose shown labels are the same text (after masking) get
    ``-2``, ``-3`` … in the order of their values."""
    known = sorted(a for a in actors if a is not None)
    stems = unique_names((swedish[a] for a in known), taken=[UNKNOWN_SLUG])
    used = {*stems.values(), UNKNOWN_SLUG}
    out: dict[str | None, str] = {None: UNKNOWN_SLUG} if None in actors else {}
    first: set[str] = set()
    for actor in known:
        stem = stems[swedish[actor]]
        if stem not in first:
            first.add(stem)
            out[actor] = stem
            continue
        n = 2
        while f"{stem[:74]}-{n}" in used:
            n += 1
        out[actor] = f"{stem[:74]}-{n}"
        used.add(out[actor])
    return out


def _day(value: Any) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _write_html(
    path: Path, table: pd.DataFrame, hrefs: list[str | None], columns: _Columns, **page: Any
) -> Path:
    """The HTML page of one action list: the link list (the Excel file, each map page once,
    named after the location of its first finding), notes, and the table."""
    lang = columns.lang
    rows = []
    for record, href in zip(table.to_dict("records"), hrefs, strict=True):
        row = {k: ("" if v is None or v is pd.NA or v is pd.NaT else v) for k, v in record.items()}
        row["walk_date"], row["deadline"] = _day(record["walk_date"]), _day(record["deadline"])
        row["href"] = href
        rows.append(row)
    xlsx = path.with_suffix(".xlsx").name
    links = [{"href": xlsx, "text": msg("act_excel", lang, name=xlsx)}]
    first = {h.split("#", 1)[0]: h for h in reversed(hrefs) if h}  # each map page once
    for target in dict.fromkeys(h.split("#", 1)[0] for h in hrefs if h):
        place = next(r["area"] for r in rows if r["href"] == first[target]) or target
        links.append({"href": target, "text": msg("act_map_for", lang, place=place)})
    notes = [msg("act_masked", lang)] if columns.mask else []
    if any(h is None for h in hrefs):
        notes.append(msg("act_coords", lang))
    html = render_page(
        _TEMPLATE,
        width="1200px",
        rows=rows,
        lang=lang,
        links=links,
        notes=notes,
        links_label=msg("act_links", lang),
        headers=[_headers(lang)[c] for c in ACTION_COLUMNS],
        map_label=msg("act_col_map", lang),
        **page,
    )
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(html)
    return path


class _Columns:
    """The listed values of every finding, computed once for all actors."""

    def __init__(
        self,
        frame: pd.DataFrame,
        prepared: pd.DataFrame,
        day: pd.Timestamp,
        mask: bool,
        lang: str,
        places: gpd.GeoDataFrame | None = None,
    ) -> None:
        def texts(column: str) -> list[str | None]:
            return as_texts(frame[column]).tolist() if column in frame else [None] * len(frame)

        self.lang, self.mask, self.prepared = lang, mask, prepared
        self.ids: list[str] = prepared["finding_id"].tolist()
        self.overdue = overdue_mask(prepared, day).to_numpy(dtype=bool)
        self.days = (day - prepared["deadline"]).dt.days.to_numpy(dtype=float)
        deadline = prepared["deadline"]
        self.deadline_key = np.where(
            deadline.isna().to_numpy(), np.iinfo(np.int64).max, deadline.to_numpy().view("int64")
        )
        self.actors = _actors(texts("responsible_actor"), mask, lang)
        self.descriptions = texts("description")
        if mask:
            present = [i for i, t in enumerate(self.descriptions) if t is not None]
            masked = mask_texts([self.descriptions[i] or "" for i in present], lang=lang)
            for i, t in zip(present, masked, strict=True):
                self.descriptions[i] = t
        self.categories = texts("category")
        self.areas = _areas(frame)
        self.coordinates = _coordinates(frame)
        addresses = _addresses(frame)
        if mask:
            present = [i for i, t in enumerate(addresses) if t is not None]
            for i, t in zip(
                present, mask_texts([addresses[i] or "" for i in present]), strict=True
            ):
                addresses[i] = t
        named = _places(frame, places, lang)
        self.locations = [
            a or p or c for a, p, c in zip(addresses, named, self.coordinates, strict=True)
        ]

    def sort_key(self, i: int) -> tuple[int, float, str]:
        """Overdue first (most days first), then by deadline (none last); ties by id."""
        if self.overdue[i]:
            return (0, -self.days[i], self.ids[i])
        return (1, float(self.deadline_key[i]), self.ids[i])

    def table(self, rows: list[int], hrefs: list[str | None]) -> pd.DataFrame:
        """The action list of the findings ``rows`` (in that order)."""
        lang = self.lang
        flag = msg("act_overdue_flag", lang)
        status = self.prepared["status"].to_numpy(dtype=object)
        return pd.DataFrame(
            {
                "finding_id": [self.ids[i] for i in rows],
                "category": [
                    label(c, lang, kind="category") if c else None
                    for c in (self.categories[i] for i in rows)
                ],
                "description": [self.descriptions[i] for i in rows],
                "location": [self.locations[i] for i in rows],
                "area": [self.areas[i] for i in rows],
                "walk_date": self.prepared["walk_date"].to_numpy()[rows],
                "deadline": self.prepared["deadline"].to_numpy()[rows],
                "status": [label(status[i], lang, kind="status") for i in rows],
                "overdue": [flag if self.overdue[i] else None for i in rows],
                "days_overdue": pd.array(
                    [int(self.days[i]) if self.overdue[i] else None for i in rows], dtype="Int64"
                ),
                "map": [h or self.coordinates[i] for i, h in zip(rows, hrefs, strict=True)],
            },
            columns=list(ACTION_COLUMNS),
        )


def action_lists(
    findings: pd.DataFrame,
    *,
    as_of: DateLike | None = None,
    folder: str | Path,
    map_links: Mapping[str, str] | None = None,
    lang: str | None = None,
    mask: bool = True,
    classification: str | None = None,
    places: gpd.GeoDataFrame | None = None,
    nav: Sequence[tuple[str, str]] | None = None,
) -> list[Path]:
    """Write each responsible actor's open and overdue findings as Excel and HTML.

    Parameters
    ----------
    findings : pandas.DataFrame or geopandas.GeoDataFrame
        Findings as :func:`geo_trygg.read_findings` returns them, optionally after
        :func:`geo_trygg.assign_areas` (area columns ``place``, ``stadsdel``,
        ``stadsdelsomrade``, ``lpo`` are shown as the location). Needs ``finding_id``,
        ``walk_date``, ``status``, ``deadline``, ``status_date``; uses ``responsible_actor``,
        ``category``, ``description`` and the point geometry when present.
    as_of : str, datetime.date or pandas.Timestamp
        Required: the day the lists are judged on (what is overdue); never read from the clock.
    folder : str or pathlib.Path
        Where the files go (created when missing), e.g. ``OUT / "atgardslistor"``.
    map_links : mapping of str to str, optional
        ``finding_id`` → URL of the map page showing it, relative to ``folder`` (e.g.
        ``"../stadsdelsomrade/hagersten-alvsjo/karta.html"``). Findings without a link show
        their point as ``"lat, lon"`` text (WGS 84, 5 decimals).
    lang : {"sv", "en"}, optional
        Language of headers, labels and texts; ``geo_trygg.settings.lang`` by default.
    mask : bool, default True
        Mask personnummer and phone numbers in descriptions and actor texts
        (:func:`~geo_trygg.pack._mask.mask_personal`).
    classification : str, optional
        A classification banner (e.g. ``"Intern"``) on top of each HTML page and in the
        header of each Excel sheet.
    places : geopandas.GeoDataFrame, optional
        Named places (polygons with ``name``, e.g. :func:`geo_trygg.read_areas` with
        ``level="place"``): a finding without an address is named by the place holding it,
        else as near the nearest within :data:`NEAR_METRES`.
    nav : sequence of (str, str), optional
        Links at the top of each HTML page (text, relative address), e.g. back to a pack's
        index (``[("Startsida", "../index.html")]``).

    Returns
    -------
    list of pathlib.Path
        The files written, sorted: ``<slug>.xlsx`` and ``<slug>.html`` for each actor with at
        least one open finding (none when no finding is open). Columns
        (:data:`ACTION_COLUMNS`): finding id, category label, description, place (address,
        named place or coordinates), areas, walk date, deadline, status label, overdue flag,
        days overdue (empty when not overdue), map link or coordinates. Done and rejected
        findings are not listed. Same inputs, same bytes.

    Raises
    ------
    ConfigError
        Before anything is written: ``as_of`` missing or not a date, ``lang`` or ``mask`` not
        allowed, ``map_links`` not a mapping of finding ids to relative or http(s) URLs, or
        the findings lacking a needed column or holding missing, repeated or unknown values.

    Warns
    -----
    GeoTryggWarning
        When walk or status dates lie after ``as_of``, or the points have no CRS (then no
        coordinates are shown).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> findings = pd.DataFrame({
    ...     "finding_id": ["a", "b", "c"], "walk_date": pd.to_datetime(["2024-03-05"] * 3),
    ...     "status": ["new", "done", "in_progress"],
    ...     "deadline": pd.to_datetime(["2024-05-01", "2024-05-01", None]),
    ...     "status_date": pd.to_datetime(["2024-03-05"] * 3),
    ...     "responsible_actor": ["trafikkontoret", "sl", None],
    ...     "description": ["Trasig lampa, ring 070-123 45 67", "Klotter", "Buskage"],
    ... })
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = action_lists(findings, as_of="2024-06-30", folder=pathlib.Path(tmp))
    ...     [p.name for p in paths]
    ['okand-ansvarig.html', 'okand-ansvarig.xlsx', 'trafikkontoret.html', 'trafikkontoret.xlsx']
    """
    lists = write_action_lists(
        findings,
        as_of=as_of,
        folder=folder,
        map_links=map_links,
        lang=lang,
        mask=mask,
        classification=classification,
        places=places,
        nav=nav,
    )
    return sorted(path for item in lists for path in (item.html, item.xlsx))


@dataclass(frozen=True)
class ActionList:
    """One actor's action list as written: the actor's name as shown (in words, masked),
    its files, and how many open and overdue findings it holds."""

    actor: str
    html: Path
    xlsx: Path
    n_open: int
    n_overdue: int


def write_action_lists(
    findings: pd.DataFrame,
    *,
    as_of: DateLike | None = None,
    folder: str | Path,
    map_links: Mapping[str, str] | None = None,
    lang: str | None = None,
    mask: bool = True,
    classification: str | None = None,
    places: gpd.GeoDataFrame | None = None,
    nav: Sequence[tuple[str, str]] | None = None,
) -> list[ActionList]:
    """:func:`action_lists`, returning what each list is (for a pack's index): the lists
    sorted by the actor's name as shown, the unknown actor last.

    Parameters
    ----------
    findings, as_of, folder, map_links, lang, mask, classification, places, nav
        As in :func:`action_lists`.

    Returns
    -------
    list of ActionList
    """
    language = check_lang(lang)
    frame = check_frame(findings)
    day = parse_day(as_of, "as_of")
    if not isinstance(mask, bool):
        raise ConfigError(f"mask={mask!r} is not allowed; expected True or False")
    if classification is not None and not isinstance(classification, str):
        raise ConfigError(f"classification={classification!r} must be text or None")
    links = _check_links(map_links)
    prepared = prepare_findings(frame)
    warn_after_as_of(prepared, day)
    if places is not None and not isinstance(places, gpd.GeoDataFrame):
        raise ConfigError(
            f"places must be a GeoDataFrame of named places or None, not {type(places).__name__}"
        )
    columns = _Columns(frame, prepared, day, mask, language, places)

    groups: dict[str | None, list[int]] = {}
    for i in np.flatnonzero(prepared["status"].isin(OPEN_STATUSES).to_numpy()).tolist():
        groups.setdefault(columns.actors[i][0], []).append(i)
    swedish = {actor: columns.actors[rows[0]][2] for actor, rows in groups.items()}
    slugs = _slugs(list(groups), swedish)
    out_folder = Path(folder)
    out_folder.mkdir(parents=True, exist_ok=True)
    headers = _headers(language)
    as_of_text = day.date().isoformat()
    written: list[ActionList] = []
    for actor, rows in groups.items():
        rows.sort(key=columns.sort_key)
        name, shown = slugs[actor], columns.actors[rows[0]][1]
        hrefs = [links.get(columns.ids[i]) for i in rows]
        table = columns.table(rows, hrefs)
        sheets = {msg("act_sheet", language): table}
        xlsx = write_excel(
            sheets,
            out_folder / f"{name}.xlsx",
            lang=language,
            headers=headers,
            classification=classification,
        )
        n_overdue = int(columns.overdue[rows].sum())
        html = _write_html(
            out_folder / f"{name}.html",
            table,
            hrefs,
            columns,
            title=msg("act_title", language, actor=shown),
            banner=classification,
            intro=msg("act_intro", language, as_of=as_of_text, n=len(rows), n_overdue=n_overdue),
            caption=msg("act_caption", language, actor=shown, as_of=as_of_text),
            nav=nav,
        )
        written.append(ActionList(shown, html, xlsx, len(rows), n_overdue))
    return sorted(
        written, key=lambda item: (item.html.stem == UNKNOWN_SLUG, item.actor, item.html)
    )
