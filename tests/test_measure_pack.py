"""Measure areas in a meeting pack: ``inputs.measure_areas`` read once (rows rejected with
their reason), drawn on the page maps, listed on the area's lägesbild page with the events in
their hours inside and in the rest of the area, counted independently here."""

from __future__ import annotations

import datetime as dt
import html
import re
import warnings
import zoneinfo
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from geo_trygg.demo import DEMO_DIR
from geo_trygg.io import read_events
from geo_trygg.pack import build_pack, load_config

STHLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TO_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


def _square(lon: float, lat: float, half: float):  # type: ignore[no-untyped-def]
    x, y = TO_3006.transform(lon, lat)
    return box(x - half, y - half, x + half, y + half)


def _measure_file(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {
            "Typ": ["Kamerabevakning", "Ordningsvakter (LOV 3 §)", "Ordningsvakter"],
            "Namn": ["Älvsjö centrum <b>kamera</b>", "Fittja centrum", "Utan slut"],
            "Giltig från": ["2024-10-01", "2024-09-01", "2024-09-01"],
            "Giltig till": [None, "2024-12-31", None],
            "Tider": ["22-06", "fre-lör 21-03", "21-03"],
            "Beslut": ["Dnr DEMO-1", "Dnr DEMO-2", None],
        },
        geometry=[
            _square(18.0106, 59.2781, 400),
            _square(17.8608, 59.2475, 400),
            _square(17.8608, 59.2475, 100),
        ],
        crs="EPSG:3006",
    )
    path = tmp_path / "atgardsomraden.geojson"
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    return path


def _in_hours(
    wall: dt.datetime, start: int, end: int, days: set[int], first: dt.date, last: dt.date | None
) -> bool:
    """A second method: the window as an interval of wall-clock datetimes on the day before
    and the day of the time."""
    for day in (wall.date() - dt.timedelta(days=1), wall.date()):
        opens = dt.datetime.combine(day, dt.time(start))
        closes = dt.datetime.combine(
            day + dt.timedelta(days=1 if end <= start else 0), dt.time(end)
        )
        if (
            opens <= wall < closes
            and day.weekday() in days
            and first <= day
            and (last is None or day <= last)
        ):
            return True
    return False


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("measures")
    measures = _measure_file(tmp)
    demo = DEMO_DIR.as_posix()
    config = tmp / "pack.toml"
    config.write_text(
        f"""
period = "2024-Q4"
pages = ["lpo"]
[inputs]
events = "{demo}/demo_events.csv"
areas = [{{ path = "{demo}/demo_areas.geojson" }}]
measure_areas = "{measures.name}"
""",
        encoding="utf-8",
    )
    out = tmp / "paket"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(*load_config(config), out)
    assert not result.failed, result.failed
    return out, measures


def _page_with(out: Path, text: str) -> Path:
    found = [p for p in sorted(out.glob("lpo/*/lagesbild.html")) if text in p.read_text("utf-8")]
    assert len(found) == 1, found
    return found[0]


def test_the_rejected_measure_row_is_listed(pack: tuple[Path, Path]) -> None:
    out, _ = pack
    rejected = (out / "avvisade_rader.csv").read_text(encoding="utf-8-sig")
    assert "atgardsomraden.geojson" in rejected
    assert "beslutas för en begränsad tid: giltig till saknas" in rejected


def test_the_page_lists_its_measure_areas_with_counts_in_hours(pack: tuple[Path, Path]) -> None:
    out, _ = pack
    page = _page_with(out, "Älvsjö centrum &lt;b&gt;kamera&lt;/b&gt;")
    text = page.read_text("utf-8")
    assert "<b>kamera</b>" not in text  # escaped
    assert "Åtgärdsområden" in text
    assert "kl. 22–06" in text
    assert "från 2024-10-01" in text
    assert "kamerabevakning" in text
    # the counts, computed here by another route: the events read again, the camera square
    # tested with covers, the hours as intervals of wall-clock datetimes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = read_events(DEMO_DIR / "demo_events.csv").accepted
    square = _square(18.0106, 59.2781, 400)
    lpo_name = page.parent.name
    areas = gpd.read_file(DEMO_DIR / "demo_areas.geojson").to_crs("EPSG:3006")
    lpo = areas[(areas["level"] == "lpo")]
    lpo = lpo[
        [
            re.sub(r"[^a-z]", "", n.lower().replace("ä", "a").replace("å", "a").replace("ö", "o"))
            == lpo_name.replace("-", "")
            for n in lpo["name"]
        ]
    ]
    assert len(lpo) == 1
    lpo_geom = lpo.geometry.iloc[0]
    inside = outside = 0
    for t, geom, precision in zip(
        events["time_from"], events.geometry, events["location_precision"], strict=True
    ):
        if pd.isna(t) or precision in ("stadsdel", "kommun", "lan"):
            continue
        wall = t.tz_convert(STHLM).tz_localize(None).to_pydatetime()
        if not dt.date(2024, 10, 1) <= wall.date() < dt.date(2025, 1, 1):
            continue
        if not _in_hours(wall, 22, 6, set(range(7)), dt.date(2024, 10, 1), None):
            continue
        if shapely.covers(square, geom):
            inside += 1
        elif shapely.covers(lpo_geom, geom):
            outside += 1
    assert inside > 0
    assert outside > 0
    rows = re.findall(r"<tr>(.*?)</tr>", text, flags=re.S)
    camera = next(r for r in rows if "kamera&lt;/b&gt;" in r)
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", camera, flags=re.S)
    ]
    assert cells[:4] == [
        "Älvsjö centrum <b>kamera</b>",
        "kamerabevakning",
        "kl. 22–06",
        "från 2024-10-01",
    ]
    assert cells[4:6] == [str(inside), str(outside)]


def test_the_page_map_draws_the_measure_areas(pack: tuple[Path, Path]) -> None:
    out, _ = pack
    page = _page_with(out, "Fittja centrum")
    karta = (page.parent / "karta.html").read_text("utf-8")
    assert "gt-layer-measure-ordningsvakt" in karta
    assert "fre–lör kl. 21–03" in karta or "fre\\u2013l\\u00f6r" in karta
    assert "Åtgärdsområden" in karta or "\\u00c5tg\\u00e4rdsomr\\u00e5den" in karta
    # the camera area at Älvsjö is far from this page's area: not drawn, not in its legend
    assert "gt-layer-measure-camera" not in karta
