"""DEMO data for the register: three years of safety walks, status answers and events.

Made up by the project, like :mod:`geo_trygg.demo` (whose places it uses: Älvsjö centrum and
Fittja centrum), for the notebook ``05_atgardsplan.ipynb`` and the register's examples.
:func:`write_register_demo` writes, from a seed, the same bytes every time:

- six walk protocols (``vandring_<centre>_<year>.csv``): one spring walk per centre in 2022,
  2023 and 2024, UTF-8 with ``;`` and decimal commas. A few spots come back every year (a
  dark tunnel in Älvsjö, a broken lamp at Fittja torg…), a few metres from where they were
  seen before, so the register recognises them; others are new each year;
- six status answers (``status_<actor>_<year>.csv``) from the responsible actors, some weeks
  after each walk, naming the findings by the protocols' ids;
- three event batches (``handelser_<year>.csv``, cp1252 like older systems write): violence,
  vandalism, drugs and theft around both centres from 2022 to 2024. Two changes are built in:
  violence in Älvsjö centrum's tunnel falls by about half from May 2023 (new lighting there) and
  vandalism at Fittja torg by about half from September 2023 (guards in the evenings): the
  notebook's measures start on those days, so their follow-up has something to find.

Nothing here is real; do not use it for analysis or decisions.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from geo_trygg.crs import get_transformer
from geo_trygg.demo import ALVSJO_CENTRUM, FITTJA_CENTRUM

__all__ = ["YEARS", "write_register_demo"]

YEARS = (2022, 2023, 2024)
"""The years of the demo."""

_CENTRES = {"alvsjo": ALVSJO_CENTRUM, "fittja": FITTJA_CENTRUM}
_NAMES = {"alvsjo": "Älvsjö centrum", "fittja": "Fittja centrum"}
_WALK_DAYS = {"alvsjo": (4, 5), "fittja": (4, 12)}  # month, day of each spring walk
_ACTORS = {"alvsjo": "Trafikkontoret", "fittja": "Botkyrkabyggen"}

# spots that come back: (centre, code, dx, dy metres from the centre, kategori, text,
# fixed in year: the status answer of that year says done, so the next walk sees it as new)
_SPOTS: list[tuple[str, str, float, float, str, str, int | None]] = [
    ("alvsjo", "T", -60.0, -40.0, "Dålig belysning", "Mörkt i gångtunneln under spåren", 2023),
    ("alvsjo", "P", 150.0, 120.0, "Buskage skymmer sikten", "Buskar vid parkeringen", None),
    ("alvsjo", "B", 40.0, 90.0, "Nedskräpning", "Skräp vid busshållplatsen", 2022),
    ("alvsjo", "G", -180.0, 60.0, "Gömställe", "Skymt hörn bakom centrumhuset", None),
    ("fittja", "L", 20.0, 30.0, "Trasig lampa", "Lampan på Fittja torg är trasig", 2022),
    ("fittja", "K", -80.0, -50.0, "Klotter", "Klotter vid gångbron", None),
    ("fittja", "S", 120.0, -90.0, "Sprutor", "Sprutor i parken bakom centrum", 2023),
    ("fittja", "D", -150.0, 110.0, "Tomma lokaler", "Tomma lokaler mot torget", None),
]
_OTHER = [
    ("Nedskräpning", "Fimpar och skräp"),
    ("Klotter", "Klotter på elskåp"),
    ("Trasig bänk", "Bänken är sönder"),
    ("Dålig belysning", "Mörk gångväg"),
    ("Hög hastighet", "Bilar kör fort"),
]
# events per year and centre, by category (as a police export writes the type)
_RATES = {"Misshandel": 40, "Skadegörelse": 45, "Narkotikabrott": 25, "Stöld": 30}
_HOTSPOT = {  # (centre, type): (dx, dy, share at the spot, change day, factor after it)
    ("alvsjo", "Misshandel"): (-60.0, -40.0, 0.6, date(2023, 5, 1), 0.45),
    ("fittja", "Skadegörelse"): (20.0, 30.0, 0.6, date(2023, 9, 1), 0.5),
}


def _centre_m(centre: str) -> tuple[float, float]:
    lon, lat = _CENTRES[centre]
    x, y = get_transformer("EPSG:4326", "EPSG:3006").transform(lon, lat)
    return float(x), float(y)


def _lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = get_transformer("EPSG:3006", "EPSG:4326").transform(x, y)
    return np.round(np.asarray(lon, dtype=float), 6), np.round(np.asarray(lat, dtype=float), 6)


def _comma(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _walk(rng: np.random.Generator, centre: str, year: int) -> tuple[list[list[str]], list[str]]:
    """One walk's rows and the ids of the spots' rows (for the status answer)."""
    month, day = _WALK_DAYS[centre]
    walk_day = date(year, month, day)
    cx, cy = _centre_m(centre)
    code = f"{'ALV' if centre == 'alvsjo' else 'FIT'}{year % 100}"
    rows, spot_ids = [], []
    xs, ys, info = [], [], []
    for c, spot, dx, dy, cat, text, _fixed in _SPOTS:
        if c != centre:
            continue
        jitter = rng.normal(0.0, 1.5, 2)  # a few metres from last year's point
        xs.append(cx + dx + jitter[0])
        ys.append(cy + dy + jitter[1])
        info.append((f"{code}-{spot}", cat, text))
    for k in range(int(rng.integers(4, 8))):
        cat, text = _OTHER[int(rng.integers(len(_OTHER)))]
        angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(100, 600)
        xs.append(cx + dist * np.cos(angle))
        ys.append(cy + dist * np.sin(angle))
        info.append((f"{code}-{k + 1:02d}", cat, text))
    lon, lat = _lonlat(np.array(xs), np.array(ys))
    for (fid, cat, text), x, y in zip(info, lon, lat, strict=True):
        rows.append(
            [
                fid,
                f"{_NAMES[centre]} {walk_day}",
                str(walk_day),
                cat,
                f"{text}.",
                _ACTORS[centre],
                "Ny",
                str(walk_day + timedelta(days=120)),
                str(walk_day),
                _comma(float(y)),
                _comma(float(x)),
            ]
        )
        if not fid[-1].isdigit():
            spot_ids.append(fid)
    return rows, spot_ids


def _status(centre: str, year: int, spot_ids: list[str]) -> list[list[str]]:
    """The actor's answer some weeks after the walk: fixed spots done, others in progress."""
    month, day = _WALK_DAYS[centre]
    answered = date(year, month, day) + timedelta(days=45)
    rows = []
    for fid in spot_ids:
        spot = fid.rsplit("-", 1)[1]
        fixed = next(s[6] for s in _SPOTS if s[0] == centre and s[1] == spot)
        if fixed == year:
            rows.append([fid, "Åtgärdad", str(answered), "Åtgärdat enligt beställning."])
        else:
            rows.append([fid, "Pågående", str(answered), "Planeras in."])
    return rows


def _events(rng: np.random.Generator, year: int) -> list[list[str]]:
    rows: list[tuple[str, str, str, str, float, float]] = []
    days = [date(year, 1, 1) + timedelta(days=d) for d in range(366 if year % 4 == 0 else 365)]
    for centre in ("alvsjo", "fittja"):
        cx, cy = _centre_m(centre)
        for typ, rate in _RATES.items():
            spot = _HOTSPOT.get((centre, typ))
            n = int(rng.poisson(rate))
            picked = [days[int(i)] for i in rng.integers(0, len(days), n)]
            keep, xs, ys = [], [], []
            for when in picked:
                at_spot = spot is not None and rng.random() < spot[2]
                if at_spot and spot is not None:
                    if when >= spot[3] and rng.random() > spot[4]:
                        continue  # the change: fewer events at the spot after it
                    x, y = cx + spot[0] + rng.normal(0, 25), cy + spot[1] + rng.normal(0, 25)
                else:
                    angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(0, 900)
                    x, y = cx + dist * np.cos(angle), cy + dist * np.sin(angle)
                keep.append(when)
                xs.append(x)
                ys.append(y)
            if not keep:
                continue
            lon, lat = _lonlat(np.array(xs), np.array(ys))
            hours = rng.choice([14, 17, 19, 21, 22, 23], size=len(keep))
            for when, hour, x, y in zip(keep, hours, lon, lat, strict=True):
                stamp = datetime(when.year, when.month, when.day, int(hour), 15)
                rows.append(
                    (stamp.strftime("%Y-%m-%d %H:%M"), typ, "Polisen", centre, float(x), float(y))
                )
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    out = [["id", "tid_fran", "typ", "kalla", "plats", "lat", "lon"]]
    for k, (text, typ, source, centre, lon_k, lat_k) in enumerate(rows):
        out.append(
            [
                f"POL-{year}-{k + 1:04d}",
                text,
                typ,
                source,
                _NAMES[centre],
                _comma(lat_k),
                _comma(lon_k),
            ]
        )
    return out


def write_register_demo(directory: str | Path, *, seed: int = 20230501) -> dict[str, Any]:
    """Write the register demo's files (module docstring) into ``directory``.

    Parameters
    ----------
    directory : str or path-like
        Created when missing.
    seed : int
        The random generator's seed; the same seed gives the same bytes.

    Returns
    -------
    dict
        ``"walks"``: a list of ``(walk name, path)`` in date order; ``"status"``: a list of
        ``(walk name, path)`` of the answers to each walk; ``"events"``: a list of
        ``(year, path)``; ``"coverage"``: ``{year: (first day, last day)}``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_register_demo(tmp)
    ...     [name for name, _ in files["walks"]][:2]
    ['Älvsjö centrum 2022-04-05', 'Fittja centrum 2022-04-12']
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    header = ["id", "vandring", "datum", "kategori", "beskrivning", "ansvarig", "status"]
    header += ["åtgärdsdatum", "statusdatum", "lat", "lon"]
    walks, answers, events, coverage = [], [], [], {}
    for year in YEARS:
        for centre in ("alvsjo", "fittja"):
            rows, spot_ids = _walk(rng, centre, year)
            name = rows[0][1]
            path = out / f"vandring_{centre}_{year}.csv"
            path.write_bytes(_csv([header, *rows], "utf-8"))
            walks.append((name, path))
            answer = out / f"status_{_ACTORS[centre].lower()}_{centre}_{year}.csv"
            answer.write_bytes(
                _csv(
                    [
                        ["id", "status", "statusdatum", "kommentar"],
                        *_status(centre, year, spot_ids),
                    ],
                    "utf-8",
                )
            )
            answers.append((name, answer))
        path = out / f"handelser_{year}.csv"
        path.write_bytes(_csv(_events(rng, year), "cp1252"))
        events.append((year, path))
        coverage[year] = (date(year, 1, 1), date(year, 12, 31))
    (out / "README.md").write_text(
        "# DEMO data for the register (made up by geo_trygg)\n\n"
        "Invented walks, status answers and events around Älvsjö centrum and Fittja centrum, "
        "2022–2024, written by `geo_trygg.demo_register.write_register_demo`. Not real: do "
        "not use for analysis or decisions.\n",
        encoding="utf-8",
    )
    return {"walks": walks, "status": answers, "events": events, "coverage": coverage}
