"""Synthetic DEMO data around Älvsjö centrum (Stockholm) and Fittja centrum (Botkyrka).

Everything here is made up by the project to make the quick start and the notebooks work with no
other data. **The boundaries are approximate and hand-drawn, the findings and events invented.**
Nothing is derived from official files. The stadsdel names are real (ÄLVSJÖ, SOLBERGA, LÅNGBRO,
HERRÄNGEN, LÅNGSJÖ, VÄSTBERGA) so that the real crosswalks apply to the demo polygons.

:func:`write_demo` writes, from a seed, byte for byte the same files every time:

``demo_areas.geojson``
    Areas in EPSG:4326 (RFC 7946), canonical properties ``area_id``, ``name``, ``level``,
    ``valid_from``, ``valid_to``: six stadsdelar around Älvsjö centrum, the stadsdelsområde
    Hägersten-Älvsjö and the kommun Stockholm (both only the demo part: the union of the six),
    the kommun Botkyrka (demo part around Fittja), the län (union of the two kommuner), the LPOs
    and the polisområde derived with :func:`geo_trygg.boundaries.derive_lpo`, and the utsatt
    område Fittja. Coarser polygons are unions of finer ones, so they nest exactly.
``demo_places.geojson``
    Named places (level ``place``): Älvsjö centrum (across the ÄLVSJÖ/SOLBERGA boundary) and
    Fittja centrum.
``demo_findings.csv``
    Safety-walk findings as a Swedish office exports them: UTF-8 with byte-order mark, ``;``
    separator, decimal commas, CRLF line ends, Swedish headers (vandring, datum, kategori,
    beskrivning, prioritet, ansvarig, status, åtgärdsdatum, statusdatum, lat, lon). Four walks
    (two per centre, March and October 2024). Three rows are wrong on purpose: one with latitude
    and longitude swapped (fixed and reported), one without longitude (rejected with a reason),
    one with a category no vocabulary knows (kept as ``other``).
``demo_events.csv``
    Events from the police, a housing company, a security company and SL, as an older system
    exports them: Windows-1252 (cp1252), ``;`` separator, decimal commas, CRLF line ends;
    headers id, tid_fran, tid_till, typ, kalla, plats, text, lat, lon. Times follow a weekday and
    hour rhythm (evenings and weekend nights); burglaries carry a time window; a few incidents are
    reported by two sources (likely duplicates).
``demo_survey.csv``
    Survey results as a city's office types them up: Windows-1252, ``;``, decimal commas, ``%``
    signs and thousands spaces, Swedish headers. Values chosen by hand, not drawn: the share
    who feel unsafe out alone late in the evening (``otrygg_kvall``) for Hägersten-Älvsjö (2020,
    2023), its earlier parts Älvsjö and Hägersten-Liljeholmen (2017), and the LPOs Botkyrka and
    Skärholmen; the share who feel safe (``trygg_kvall``) for the LPO Globen; one figure given
    only in words (rejected with its reason).
``demo_measure_areas.geojson``
    Measure areas as a kommun's GIS exports them (Swedish headers typ, namn, giltig_fran,
    giltig_till, tider, beslut): camera surveillance at Älvsjö centrum (22–06 every night,
    from 1 September 2024) and ordningsvakter (LOV 3 §) at Fittja centrum (Friday and
    Saturday nights 21–03, 1 June 2024 – 31 May 2025). Invented decisions, hand-drawn squares.
``demo_population.geojson``
    Inhabitants (``befolkning``) of the six demo stadsdelar and the demo part of Botkyrka,
    numbers chosen by hand (not drawn, not SCB's): the pack moves them to its pages' areas and
    shows events per 1,000 inhabitants, raw and smoothed.
``README.md``
    What the files are and are not.

Points are drawn in metres (EPSG:3006) around hot spots near each centre, so most lie within
1.5 km of Älvsjö centrum (lon 18.0106, lat 59.2781) or Fittja centrum (lon 17.8608, lat 59.2475).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Polygon, mapping

from geo_trygg._data import data_path
from geo_trygg._errors import ConfigError
from geo_trygg._text import ascii_fold
from geo_trygg.boundaries import derive_lpo
from geo_trygg.crs import get_transformer

__all__ = [
    "ALVSJO_CENTRUM",
    "DEMO_DIR",
    "DEMO_FILES",
    "FITTJA_CENTRUM",
    "PACK_EXAMPLE",
    "demo_paths",
    "write_demo",
]

DEMO_DIR: Path = data_path("demo")
"""The committed demo files: ``geo_trygg/data/demo``, shipped inside the package."""

PACK_EXAMPLE: Path = data_path("pack-example.toml")
"""The example meeting-pack configuration on the demo files (``geo-trygg demo`` builds it)."""

DEMO_FILES = {
    "areas": "demo_areas.geojson",
    "places": "demo_places.geojson",
    "findings": "demo_findings.csv",
    "events": "demo_events.csv",
    "indicators": "demo_survey.csv",
    "measure_areas": "demo_measure_areas.geojson",
    "population": "demo_population.geojson",
    "readme": "README.md",
}
"""File name of each demo output, by key."""

ALVSJO_CENTRUM = (18.0106, 59.2781)
"""Centre of the Älvsjö demo (lon, lat): Älvsjö station."""
FITTJA_CENTRUM = (17.8608, 59.2475)
"""Centre of the Fittja demo (lon, lat): Fittja centrum."""

NOTE = (
    "DEMO DATA made by the geo_trygg project: approximate, hand-drawn boundaries and invented "
    "records for the quick start and the notebooks. Not official boundaries and not real "
    "incidents: do not use for analysis or decisions."
)

# --- hand-drawn boundaries (lon, lat); neighbours share their vertices exactly -------------------
_N = {
    "a": (17.9860, 59.2640),
    "b": (18.0040, 59.2645),
    "c": (18.0360, 59.2650),
    "d": (17.9870, 59.2760),
    "e": (18.0045, 59.2700),
    "f": (18.0365, 59.2705),
    "g": (18.0040, 59.2762),
    "h": (17.9880, 59.2920),
    "i": (18.0050, 59.2832),
    "j": (18.0160, 59.2826),
    "k": (18.0370, 59.2838),
    "l": (18.0055, 59.2920),
    "m": (18.0375, 59.2925),
    "n": (18.0060, 59.3000),
    "o": (18.0380, 59.3000),
}
_STADSDELAR = {  # counter-clockwise rings of node names
    "LÅNGBRO": "abegd",
    "LÅNGSJÖ": "bcfe",
    "ÄLVSJÖ": "efkjig",
    "SOLBERGA": "ijkml",
    "HERRÄNGEN": "dgilh",
    "VÄSTBERGA": "lmon",
}
_BOTKYRKA = [
    (17.8300, 59.2350),
    (17.8850, 59.2330),
    (17.8920, 59.2450),
    (17.8870, 59.2600),
    (17.8600, 59.2640),
    (17.8320, 59.2560),
]
_FITTJA_USO = [
    (17.8540, 59.2430),
    (17.8690, 59.2425),
    (17.8720, 59.2490),
    (17.8650, 59.2545),
    (17.8550, 59.2530),
    (17.8510, 59.2480),
]
_PLACES = {
    "Älvsjö centrum": [
        (18.0050, 59.2755),
        (18.0170, 59.2752),
        (18.0185, 59.2805),
        (18.0140, 59.2845),
        (18.0060, 59.2840),
    ],
    "Fittja centrum": [
        (17.8570, 59.2455),
        (17.8650, 59.2455),
        (17.8660, 59.2495),
        (17.8575, 59.2500),
    ],
}

# --- vocabulary of the invented records ---------------------------------------------------------
_WALKS = [  # (walk id, date, centre, number of findings)
    ("Älvsjö centrum 2024-03-05", date(2024, 3, 5), "alvsjo", 14),
    ("Fittja centrum 2024-03-12", date(2024, 3, 12), "fittja", 16),
    ("Älvsjö centrum 2024-10-15", date(2024, 10, 15), "alvsjo", 12),
    ("Fittja centrum 2024-10-22", date(2024, 10, 22), "fittja", 13),
]
_SPOTS = {  # hot spots (lon, lat, share) near each centre
    "alvsjo": [(18.0106, 59.2781, 0.45), (18.0135, 59.2800, 0.25), (18.0060, 59.2770, 0.3)],
    "fittja": [(17.8608, 59.2475, 0.5), (17.8630, 59.2490, 0.25), (17.8580, 59.2455, 0.25)],
}
_SITES = {
    "alvsjo": [
        "vid Älvsjö station",
        "i gångtunneln under spåren",
        "vid busshållplatsen",
        "på torget",
        "på parkeringen bakom centrumhuset",
        "längs gångvägen mot Solberga",
        "vid pendeltågsuppgången",
    ],
    "fittja": [
        "vid Fittja tunnelbanestation",
        "på Fittja torg",
        "vid gångbron",
        "i parken bakom centrum",
        "vid busshållplatsen",
        "på gården mellan husen",
        "vid garageinfarten",
    ],
}
_FINDINGS = [  # (kategori as written, description start, actors (Älvsjö, Fittja), weight)
    ("Dålig belysning", "Mörkt", ("Trafikkontoret", "Trafikenheten"), 4),
    ("Trasig lampa", "Lampan är trasig", ("Fastighetsägare", "Botkyrkabyggen"), 2),
    (
        "Buskage skymmer sikten",
        "Höga buskar skymmer sikten",
        ("Stadsdelsförvaltningen", "Botkyrkabyggen"),
        3,
    ),
    ("Gömställe", "Skymt hörn där man inte syns", ("Fastighetsägare", "Botkyrkabyggen"), 2),
    ("Nedskräpning", "Mycket skräp och fimpar", ("Stadsdelsförvaltningen", "Botkyrkabyggen"), 3),
    ("Klotter", "Klotter på väggen", ("Fastighetsägare", "Fastighetsägare"), 2),
    ("Trasig bänk", "Bänken är sönder", ("Stadsdelsförvaltningen", "Botkyrkabyggen"), 2),
    ("Övergångsställe saknas", "Svårt att korsa gatan", ("Trafikkontoret", "Trafikenheten"), 2),
    ("Hög hastighet", "Bilar kör fort", ("Trafikkontoret", "Trafikenheten"), 1),
    (
        "Tomma lokaler",
        "Tomma lokaler ger ett öde intryck",
        ("Fastighetsägare", "Fastighetsägare"),
        2,
    ),
    ("Sprutor", "Sprutor hittade", ("Stadsdelsförvaltningen", "Botkyrkabyggen"), 1),
    ("Klotter vid spärrarna", "Klotter och repor", ("SL", "SL"), 2),
    ("Trasig rulltrappa", "Rulltrappan står still", ("SL", "SL"), 1),
]
_UNKNOWN_CATEGORY = "Hundrastgård saknas"
_STATUS_MIX = {  # status -> share, for walks in spring and in autumn
    3: {"Åtgärdad": 0.45, "Pågående": 0.25, "Ny": 0.15, "Avvisad": 0.15},
    10: {"Åtgärdad": 0.15, "Pågående": 0.35, "Ny": 0.45, "Avvisad": 0.05},
}
_EVENTS = {  # source label -> (id prefix, [(type, weight, has time window)])
    "Polisen": (
        "POL",
        [
            ("Misshandel", 4, False),
            ("Rån", 2, False),
            ("Skadegörelse", 3, False),
            ("Stöld", 3, False),
            ("Narkotikabrott", 3, False),
            ("Ofredande/förargelse", 2, False),
            ("Bråk", 3, False),
            ("Olaga hot", 2, False),
            ("Inbrott", 2, True),
            ("Brand", 1, False),
        ],
    ),
    "Bostadsbolaget": (
        "BB",
        [
            ("Förrådsinbrott", 3, True),
            ("Klotter", 4, False),
            ("Obehöriga i trapphus", 3, False),
            ("Brand i soprum", 1, False),
            ("Skadegörelse", 2, False),
            ("Störning", 2, False),
        ],
    ),
    "Vaktbolag": (
        "VB",
        [
            ("Ordningsstörning", 4, False),
            ("Omhändertagande LOB", 2, False),
            ("Snatteri", 3, False),
            ("Larm inbrott", 2, True),
            ("Hot mot väktare", 1, False),
            ("Avvisning", 2, False),
        ],
    ),
    "SL": (
        "SL",
        [
            ("Ordningsstörning", 3, False),
            ("Klotter", 3, False),
            ("Stenkastning", 1, False),
            ("Hot mot personal", 2, False),
            ("Berusad person", 2, False),
            ("Fickstöld", 2, False),
        ],
    ),
}
_SOURCE_SHARE = {"Polisen": 0.4, "Bostadsbolaget": 0.25, "Vaktbolag": 0.2, "SL": 0.15}
_N_EVENTS = {"alvsjo": 140, "fittja": 210}
_DUPLICATES = [
    ("Bråk", "Ordningsstörning"),
    ("Misshandel", "Larm överfall"),
    ("Stöld", "Snatteri"),
]
_WEEKDAY_WEIGHT = np.array([0.8, 0.8, 0.9, 1.0, 1.4, 1.5, 1.1])
_HOUR_WEIGHT = np.array(  # hours 00-11, then 12-23
    [
        *(1.2, 1.0, 0.8, 0.5, 0.3, 0.3, 0.4, 0.6, 0.7, 0.7, 0.8, 0.9),
        *(1.0, 1.0, 1.1, 1.3, 1.5, 1.7, 1.9, 2.0, 2.0, 2.0, 1.8, 1.5),
    ]
)
_PLACE_NAME = {"alvsjo": "Älvsjö centrum", "fittja": "Fittja centrum"}


# --- helpers ------------------------------------------------------------------------------------


def _ring(coords: list[tuple[float, float]]) -> Polygon:
    return Polygon(coords)


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float | int) and not isinstance(obj[0], bool):
            return [round(float(v), 6) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


def _feature(props: dict[str, Any], geom: Any) -> str:
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    gj = mapping(geom)
    body = {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])}
    return json.dumps(
        {"type": "Feature", "properties": props, "geometry": body},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _collection(name: str, features: list[str]) -> bytes:
    head = json.dumps(
        {"type": "FeatureCollection", "name": name, "_note": NOTE}, ensure_ascii=False
    )[:-1]
    text = head + ',"features":[\n' + ",\n".join(features) + "\n]}\n"
    return text.encode("utf-8")


def _slug(name: str) -> str:
    return "-".join(ascii_fold(name).lower().replace("-", " ").split())


def _props(name: str, level: str, valid_from: Any = None, valid_to: Any = None) -> dict[str, Any]:
    def iso(v: Any) -> str | None:
        return None if v is None or v != v else str(v)[:10]

    return {
        "area_id": f"demo-{level}-{_slug(name)}",
        "name": name,
        "level": level,
        "valid_from": iso(valid_from),
        "valid_to": iso(valid_to),
    }


def _areas() -> bytes:
    stadsdelar = {n: _ring([_N[c] for c in ring]) for n, ring in _STADSDELAR.items()}
    stockholm = shapely.union_all(list(stadsdelar.values()))
    botkyrka = _ring(_BOTKYRKA)
    features = [_feature(_props(n, "stadsdel"), g) for n, g in sorted(stadsdelar.items())]
    features.append(
        _feature(_props("Hägersten-Älvsjö", "stadsdelsomrade", "2020-07-01"), stockholm)
    )
    features.append(_feature(_props("Botkyrka", "kommun"), botkyrka))
    features.append(_feature(_props("Stockholm", "kommun"), stockholm))
    features.append(
        _feature(_props("Stockholms län", "lan"), shapely.union_all([stockholm, botkyrka]))
    )
    finer = gpd.GeoDataFrame(
        {
            "name": [*stadsdelar, "Botkyrka"],
            "level": ["stadsdel"] * len(stadsdelar) + ["kommun"],
        },
        geometry=[*stadsdelar.values(), botkyrka],
        crs="EPSG:4326",
    )
    for level in ("lpo", "polisomrade"):
        derived = derive_lpo(finer, level=level)
        for r in derived.itertuples(index=False):
            features.append(_feature(_props(r.name, level, r.valid_from, r.valid_to), r.geometry))
    features.append(_feature(_props("Fittja", "utsatt_omrade"), _ring(_FITTJA_USO)))
    return _collection("geo_trygg_demo_areas", features)


_MEASURES = (  # kind, name, centre, half side (m), valid from, valid to, hours, decision
    (
        "kamerabevakning",
        "Älvsjö centrum",
        ALVSJO_CENTRUM,
        250,
        "2024-09-01",
        None,
        "22–06",
        "DEMO-beslut 1 (påhittat)",
    ),
    (
        "ordningsvakter (LOV 3 §)",
        "Fittja centrum",
        FITTJA_CENTRUM,
        300,
        "2024-06-01",
        "2025-05-31",
        "fre–lör kl. 21–03",
        "DEMO-beslut 2 (påhittat)",
    ),
)


def _measure_areas() -> bytes:
    """Two invented measure areas: squares around the centres, drawn in metres."""
    to_metres = get_transformer("EPSG:4326", "EPSG:3006")
    to_degrees = get_transformer("EPSG:3006", "EPSG:4326")
    features = []
    for kind, name, (lon, lat), half, first, last, hours, decision in _MEASURES:
        x, y = to_metres.transform(lon, lat)
        corners = [
            (x - half, y - half),
            (x + half, y - half),
            (x + half, y + half),
            (x - half, y + half),
        ]
        ring = [to_degrees.transform(cx, cy) for cx, cy in corners]
        props = {
            "typ": kind,
            "namn": name,
            "giltig_fran": first,
            "giltig_till": last,
            "tider": hours,
            "beslut": decision,
        }
        features.append(_feature(props, _ring(ring)))
    return _collection("geo_trygg_demo_measure_areas", features)


_POPULATION = {  # invented inhabitants, chosen by hand (DEMO; not SCB's figures)
    "HERRÄNGEN": 3900,
    "LÅNGBRO": 3100,
    "LÅNGSJÖ": 2700,
    "SOLBERGA": 9800,
    "VÄSTBERGA": 4300,
    "ÄLVSJÖ": 2400,
    "Botkyrka": 7600,
}


def _population() -> bytes:
    """The demo stadsdelar and the demo part of Botkyrka with invented inhabitants."""
    shapes = {n: _ring([_N[c] for c in ring]) for n, ring in _STADSDELAR.items()}
    shapes["Botkyrka"] = _ring(_BOTKYRKA)
    features = [
        _feature({"omrade": name, "befolkning": _POPULATION[name]}, shapes[name])
        for name in sorted(shapes)
    ]
    return _collection("geo_trygg_demo_population", features)


def _places() -> bytes:
    features = [_feature(_props(n, "place"), _ring(c)) for n, c in sorted(_PLACES.items())]
    return _collection("geo_trygg_demo_places", features)


def _points(rng: np.random.Generator, centre: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points (lon, lat) around the hot spots of ``centre``, drawn in metres (EPSG:3006)."""
    spots = _SPOTS[centre]
    share = np.array([s[2] for s in spots])
    pick = rng.choice(len(spots), size=n, p=share / share.sum())
    to_m = get_transformer("EPSG:4326", "EPSG:3006")
    sx, sy = to_m.transform([s[0] for s in spots], [s[1] for s in spots])
    wide = rng.random(n) < 0.2
    sigma = np.where(wide, 500.0, 130.0)
    x = np.asarray(sx)[pick] + rng.normal(0.0, 1.0, n) * sigma
    y = np.asarray(sy)[pick] + rng.normal(0.0, 1.0, n) * sigma
    lon, lat = get_transformer("EPSG:3006", "EPSG:4326").transform(x, y)
    return np.round(np.asarray(lon), 6), np.round(np.asarray(lat), 6)


def _comma(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _findings(rng: np.random.Generator) -> bytes:
    header = (
        "vandring datum kategori beskrivning prioritet ansvarig status åtgärdsdatum statusdatum "
        "lat lon"
    )
    rows: list[list[str]] = []
    weights = np.array([f[3] for f in _FINDINGS], dtype=float)
    last = date(2024, 12, 15)
    for walk_id, day, centre, n in _WALKS:
        lon, lat = _points(rng, centre, n)
        mix = _STATUS_MIX[day.month]
        for k in range(n):
            cat, text, actors, _w = _FINDINGS[
                int(rng.choice(len(_FINDINGS), p=weights / weights.sum()))
            ]
            site = _SITES[centre][int(rng.integers(len(_SITES[centre])))]
            status = str(rng.choice(list(mix), p=list(mix.values())))
            deadline = (
                ""
                if status == "Avvisad"
                else str(day + timedelta(days=int(rng.choice([30, 60, 90, 120, 180]))))
            )
            changed = (
                day
                if status == "Ny"
                else min(last, day + timedelta(days=int(rng.integers(7, 120))))
            )
            rows.append(
                [
                    walk_id,
                    str(day),
                    cat,
                    f"{text} {site}.",
                    str(rng.choice(["Låg", "Medel", "Hög"], p=[0.3, 0.45, 0.25])),
                    actors[0] if centre == "alvsjo" else actors[1],
                    status,
                    deadline,
                    str(changed),
                    _comma(float(lat[k])),
                    _comma(float(lon[k])),
                ]
            )
    # deliberately bad rows, so that the quick start shows the reporting
    rows[6][9], rows[6][10] = rows[6][10], rows[6][9]  # latitude and longitude swapped
    rows[22][10] = ""  # longitude missing
    rows[40][2] = _UNKNOWN_CATEGORY  # category no vocabulary knows
    rows[40][3] = "Önskemål om en inhägnad hundrastgård nära centrum."
    return b"\xef\xbb\xbf" + _csv([header.split(), *rows], "utf-8")


def _times(rng: np.random.Generator, n: int) -> list[datetime]:
    days = np.array([date(2024, 1, 1) + timedelta(days=d) for d in range(366)])
    w = _WEEKDAY_WEIGHT[[d.weekday() for d in days]]
    picked = rng.choice(days, size=n, p=w / w.sum())
    hours = rng.choice(24, size=n, p=_HOUR_WEIGHT / _HOUR_WEIGHT.sum())
    minutes = rng.integers(0, 60, size=n)
    return [
        datetime(d.year, d.month, d.day, int(h), int(m))
        for d, h, m in zip(picked, hours, minutes, strict=True)
    ]


def _event_text(typ: str, place: str, site: str) -> str:
    return f"{typ} {site}, {place}."


def _events(rng: np.random.Generator) -> bytes:
    records: list[tuple[datetime, str, str, str, str, str, float, float]] = []

    def add(
        when: datetime, src: str, typ: str, centre: str, site: str, stop: str, xy: Any
    ) -> None:
        records.append((when, src, typ, centre, site, stop, float(xy[0]), float(xy[1])))

    sources = list(_SOURCE_SHARE)
    share = np.array(list(_SOURCE_SHARE.values()))
    for centre, n in _N_EVENTS.items():
        lon, lat = _points(rng, centre, n)
        times = _times(rng, n)
        for k in range(n):
            source = sources[int(rng.choice(len(sources), p=share / share.sum()))]
            types = _EVENTS[source][1]
            tw = np.array([t[1] for t in types], dtype=float)
            typ, _w, window = types[int(rng.choice(len(types), p=tw / tw.sum()))]
            stop = times[k] + timedelta(hours=int(rng.integers(4, 15))) if window else None
            site = _SITES[centre][int(rng.integers(len(_SITES[centre])))]
            until = "" if stop is None else stop.strftime("%Y-%m-%d %H:%M")
            add(times[k], source, typ, centre, site, until, (lon[k], lat[k]))
        # the same incident reported by the police and, a little later, by the security company
        for police_type, guard_type in _DUPLICATES:
            k = int(rng.integers(n))
            site = _SITES[centre][0]
            add(times[k], "Polisen", police_type, centre, site, "", (lon[k], lat[k]))
            later = times[k] + timedelta(minutes=int(rng.integers(10, 40)))
            dx, dy = rng.normal(0.0, 0.0003, 2)
            near = (round(float(lon[k] + dx), 6), round(float(lat[k] + dy / 2), 6))
            add(later, "Vaktbolag", guard_type, centre, site, "", near)
    records.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    counters = dict.fromkeys(_EVENTS, 0)
    rows = [["id", "tid_fran", "tid_till", "typ", "kalla", "plats", "text", "lat", "lon"]]
    for start, source, typ, centre, site, end, lo, la in records:
        place = _PLACE_NAME[centre]
        counters[source] += 1
        rows.append(
            [
                f"{_EVENTS[source][0]}-{counters[source]:04d}",
                start.strftime("%Y-%m-%d %H:%M"),
                end,
                typ,
                source,
                place,
                _event_text(typ, place, site),
                _comma(float(la)),
                _comma(float(lo)),
            ]
        )
    return _csv(rows, "cp1252")


_SURVEY_NAME = "Trygghetsmätning (DEMO, påhittade värden)"
_POLICE_SURVEY = "Polisens trygghetsmätning (DEMO, påhittade värden)"
_UNSAFE = "andel som känner sig otrygga ute ensamma sent en kväll i området (DEMO)"
_SAFE = "andel som känner sig trygga ute sena kvällar (DEMO)"
_SURVEY_ROWS = [
    # level, area, year, indicator, wording, value, respondents, survey, note
    ("Stadsdelsområde", "Älvsjö", "2017", "otrygg_kvall", _UNSAFE, "22,0 %", "640", _SURVEY_NAME),
    (
        "Stadsdelsområde",
        "Hägersten-Liljeholmen",
        "2017",
        "otrygg_kvall",
        _UNSAFE,
        "21,0 %",
        "1 420",
        _SURVEY_NAME,
    ),
    (
        "Stadsdelsområde",
        "Hägersten-Älvsjö",
        "2020",
        "otrygg_kvall",
        _UNSAFE,
        "24,0 %",
        "1 850",
        _SURVEY_NAME,
    ),
    (
        "Stadsdelsområde",
        "Hägersten-Älvsjö",
        "2023",
        "otrygg_kvall",
        _UNSAFE,
        "19,5 %",
        "1 610",
        _SURVEY_NAME,
    ),
    ("LPO", "Botkyrka", "2021", "otrygg_kvall", _UNSAFE, "41 %", "", _POLICE_SURVEY),
    ("LPO", "Botkyrka", "2023", "otrygg_kvall", _UNSAFE, "28 %", "850", _POLICE_SURVEY),
    ("LPO", "Skärholmen", "2021", "otrygg_kvall", _UNSAFE, "30 %", "1 200", _POLICE_SURVEY),
    ("LPO", "Skärholmen", "2023", "otrygg_kvall", _UNSAFE, "20 %", "1 150", _POLICE_SURVEY),
    ("LPO", "Globen", "2021", "trygg_kvall", _SAFE, "58 %", "", _POLICE_SURVEY),
    ("LPO", "Globen", "2023", "trygg_kvall", _SAFE, "61 %", "2 300", _POLICE_SURVEY),
    ("LPO", "Globen", "2022", "trygg_kvall", _SAFE, "Var tredje", "", _POLICE_SURVEY),
]
"""The DEMO survey results: chosen by hand (not drawn), so the goals on them are judged
the same way every time (see docs/indicators.md: one of each judgement)."""


def _survey() -> bytes:
    header = [
        "Nivå",
        "Område",
        "År",
        "Indikator",
        "Formulering",
        "Andel (%)",
        "Antal svarande",
        "Undersökning",
    ]
    return _csv([header, *[list(r) for r in _SURVEY_ROWS]], "cp1252")


_README = """# DEMO data (made up by geo_trygg)

{note}

Written by `geo_trygg.demo.write_demo(directory, seed={seed})`; regenerating gives the same bytes.

- `demo_areas.geojson` (GeoJSON, EPSG:4326 as RFC 7946 requires, UTF-8): approximate, hand-drawn
  areas: six stadsdelar around Älvsjö centrum, Hägersten-Älvsjö (demo part), the kommuner
  Stockholm and Botkyrka (demo parts), Stockholms län, the LPOs and the polisområde derived with
  `derive_lpo`, and the utsatt område Fittja. Coarser areas are unions of finer ones.
- `demo_places.geojson` (GeoJSON, EPSG:4326): the named places Älvsjö centrum and Fittja centrum.
- `demo_findings.csv` (CSV, UTF-8 with BOM, `;`, decimal comma): invented safety-walk findings from
  four walks in 2024. Three rows are wrong on purpose: swapped latitude/longitude, missing
  longitude, unknown category.
- `demo_events.csv` (CSV, Windows-1252, `;`, decimal comma): invented events in 2024 from Polisen,
  Bostadsbolaget, Vaktbolag and SL; burglaries with a time window; a few reported twice.
- `demo_survey.csv` (CSV, Windows-1252, `;`, decimal comma, `%`): invented survey results, chosen
  by hand, for Hägersten-Älvsjö (and its earlier parts Älvsjö and Hägersten-Liljeholmen) and the
  LPOs Botkyrka, Skärholmen and Globen; one figure given only in words, rejected on purpose.
- `demo_measure_areas.geojson` (GeoJSON, EPSG:4326): invented measure areas: camera
  surveillance at Älvsjö centrum (22–06) and ordningsvakter (LOV 3 §) at Fittja centrum (Friday
  and Saturday nights 21–03), with made-up decisions.
- `demo_population.geojson` (GeoJSON, EPSG:4326): invented inhabitants (`befolkning`) of the six
  demo stadsdelar and the demo part of Botkyrka, chosen by hand; not SCB's figures.

The stadsdel names are real so that the real crosswalks (`geo_trygg/data/crosswalks/`) apply; the
polygons are not the real stadsdel boundaries.
"""


def write_demo(directory: str | Path, *, seed: int = 20240305) -> dict[str, Path]:
    """Generate the demo files into ``directory`` (created when missing).

    Parameters
    ----------
    directory : path-like
        Output folder; existing demo files are overwritten.
    seed : int, default 20240305
        Seed of the random generator (``numpy.random.default_rng``); the same seed gives
        byte-identical files.

    Returns
    -------
    dict of str to pathlib.Path
        Keys ``"areas"``, ``"places"``, ``"findings"``, ``"events"``, ``"indicators"``,
        ``"measure_areas"``, ``"population"``, ``"readme"``.

    Raises
    ------
    ConfigError
        When ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_demo(tempfile.mkdtemp())
    >>> " ".join(sorted(paths))
    'areas events findings indicators measure_areas places population readme'
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(f"seed={seed!r} is not allowed; expected a non-negative integer")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(int(seed))
    content = {
        "areas": _areas(),
        "places": _places(),
        "findings": _findings(rng),
        "events": _events(rng),
        "indicators": _survey(),
        "measure_areas": _measure_areas(),
        "population": _population(),
        "readme": _README.format(note=NOTE, seed=int(seed)).encode("utf-8"),
    }
    paths = {}
    for key, data in content.items():
        path = out / DEMO_FILES[key]
        path.write_bytes(data)
        paths[key] = path
    return paths


def demo_paths() -> dict[str, Path]:
    """Paths of the committed demo files in ``geo_trygg/data/demo``.

    Returns
    -------
    dict of str to pathlib.Path
        Keys ``"areas"``, ``"places"``, ``"findings"``, ``"events"``, ``"indicators"``,
        ``"measure_areas"``, ``"population"`` (and ``"readme"``).

    Examples
    --------
    >>> demo_paths()["findings"].name
    'demo_findings.csv'
    """
    return {key: DEMO_DIR / name for key, name in DEMO_FILES.items()}
