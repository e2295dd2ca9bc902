"""Water under the page maps (``[inputs] water``) and the stadsdelar a page map colours.

Water is read like an area file, drawn under each page map only near the page's area (its
bounds widened by their own size on every side) and never counted. An internal pack counts
the stadsdelar too when its areas have them, so a stadsdelsområde's map colours them.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from shapely.geometry import box, mapping

from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.pack import build_pack, load_config

WATER_COLOUR = "#9ecae1"  # the water layer's outline (maps/_map.py)
NEAR = box(18.000, 59.270, 18.010, 59.275)  # inside Hägersten-Älvsjö (17.986–18.038 E)
FAR = box(20.000, 63.800, 20.010, 63.810)  # Umeå: near no demo area


def _pack(tmp_path: Path, *, water: bool, privacy: str = "internal") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    features = [
        {"type": "Feature", "properties": {"namn": n}, "geometry": mapping(g)}
        for n, g in (("nära", NEAR), ("långt bort", FAR))
    ]
    (tmp_path / "vatten.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('classification = "DEMO', 'png = false\nclassification = "DEMO')
    text = re.sub(r'(?m)^privacy = "internal"', f'privacy = "{privacy}"', text)
    if water:
        text = re.sub(r"(?m)^places = .*$", r'\g<0>\nwater = "vatten.geojson"', text)
    (tmp_path / "pack.toml").write_text(text, encoding="utf-8")
    config, base = load_config(tmp_path / "pack.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket")
    return tmp_path / "paket"


def _water_rings(html: str) -> list[list[list[float]]]:
    """The outer rings of the map's water layer (the feature collection drawn in blue)."""
    for match in re.finditer(r"L\.geoJSON\((\{.*?\}),\s*geoTrygg\.options\((\{.*?\})\)\)", html):
        if WATER_COLOUR in match.group(2):
            data = json.loads(match.group(1))
            rings = []
            for feature in data["features"]:
                geometry = feature["geometry"]
                polygons = (
                    geometry["coordinates"]
                    if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]]
                )
                rings += [polygon[0] for polygon in polygons]
            return rings
    return []


def test_water_is_drawn_near_the_page_and_nowhere_else(tmp_path: Path) -> None:
    pack = _pack(tmp_path, water=True)
    sdo = (pack / "stadsdelsomrade" / "hagersten-alvsjo" / "karta.html").read_text("utf-8")
    rings = _water_rings(sdo)
    # the near square, whole (it lies inside the page's box), back in degrees; not the far one
    assert len(rings) == 1
    xs = sorted({round(x, 6) for x, _ in rings[0]})
    ys = sorted({round(y, 6) for _, y in rings[0]})
    assert xs == [18.0, 18.01]
    assert ys == [59.27, 59.275]
    # Botkyrka (17.83–17.95 E, 59.23–59.27 N, widened by its own size) reaches 18.07 E: the
    # square is near it too; nothing reaches 63.8 N
    for page in pack.glob("*/*/karta.html"):
        for ring in _water_rings(page.read_text("utf-8")):
            assert all(y < 60 for _, y in ring), page
    manifest = json.loads((pack / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"]["water"]["path"] == "vatten.geojson"


def test_without_water_no_water_layer(tmp_path: Path) -> None:
    pack = _pack(tmp_path, water=False)
    for page in pack.glob("*/*/karta.html"):
        assert _water_rings(page.read_text("utf-8")) == []


def test_water_changes_the_pages_map_key(tmp_path: Path) -> None:
    first = _pack(tmp_path / "a", water=False)
    second = _pack(tmp_path / "b", water=True)
    one = json.loads((first / "manifest.json").read_text("utf-8"))["pages"]
    two = json.loads((second / "manifest.json").read_text("utf-8"))["pages"]
    key = "stadsdelsomrade/hagersten-alvsjo"
    assert one[key]["key"] != two[key]["key"]


@pytest.mark.parametrize("privacy", ["internal", "public"])
def test_the_stadsdelar_are_counted_for_the_maps_of_an_internal_pack(
    tmp_path: Path, privacy: str
) -> None:
    pack = _pack(tmp_path, water=False, privacy=privacy)
    sdo = (pack / "stadsdelsomrade" / "hagersten-alvsjo" / "karta.html").read_text("utf-8")
    # the demo's six stadsdelar lie in Hägersten-Älvsjö: an internal map colours them
    # (their layer class), a public one shows only counts that passed its suppression
    names = r'"name": "(Herrängen|Långbro|Långsjö|Solberga|Västberga|Älvsjö)"'
    drawn = len(re.findall(names, sdo))
    if privacy == "internal":
        assert drawn == 6
    else:
        assert drawn == 0


@pytest.mark.shared
def test_the_water_a_catalogued_source_publishes_is_found_beside_it(
    shared_data: Path, tmp_path: Path
) -> None:
    sdl = shared_data / "stockholm_stadsdelar" / "geojson_simplified"
    events = shared_data / "polisen_events_api" / "events_stockholms_lan_2023-03_2026-08.json"
    (tmp_path / "pack.toml").write_text(
        f"""title = "Stockholm"
period = "2024-Q2"
png = false
pages = {{ stadsdel = ["Södermalm"] }}
[inputs]
events = "{events.as_posix()}"
areas = [{{ path = "{(sdl / "stadsdelar.geo.json").as_posix()}", \
source = "stockholm-stadsdelar" }}]
""",
        encoding="utf-8",
    )
    config, base = load_config(tmp_path / "pack.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket")
    page = (tmp_path / "paket" / "stadsdel" / "sodermalm" / "karta.html").read_text("utf-8")
    rings = _water_rings(page)
    # Riddarfjärden and Hammarby sjö border Södermalm (59.31–59.32 N, 18.03–18.11 E)
    assert rings
    assert all(59.2 < y < 59.45 and 17.9 < x < 18.25 for ring in rings for x, y in ring)
    index = (tmp_path / "paket" / "index.html").read_text("utf-8")
    assert "vattnet på kartorna kommer från vatten.geo.json" in index
