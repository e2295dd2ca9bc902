"""Measure areas on the lägesbild map: their own layer group, popups with the hours in words,
only the versions in force in the period, payloads as text (also in headless Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import box
from test_maps import PAYLOAD, X0, Y0, lagesbild, payload

from geo_trygg.maps import lagesbild_map, save_map


def measure_areas() -> gpd.GeoDataFrame:
    """A camera area and an ordningsvakt area in force in March 2024, and one not yet."""
    return gpd.GeoDataFrame(
        {
            "version_id": ["K@2024-01-01", "O@2024-03-01", "N@2024-05-01"],
            "area_id": ["K", "O", "N"],
            "kind": ["camera", "ordningsvakt", "other"],
            "name": [payload("measure-name"), "Vaktparken", "Senare"],
            "valid_from": [dt.date(2024, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 5, 1)],
            "valid_to": [None, dt.date(2024, 8, 31), None],
            "hours": ["23:00-07:00", "fre-lör 22:00-05:00", "00:00-24:00"],
            "decision": [payload("decision"), "Dnr 2024/7", None],
        },
        geometry=[
            box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300),
            box(X0 + 1200, Y0 + 200, X0 + 1500, Y0 + 500),
            box(X0 + 600, Y0 + 600, X0 + 700, Y0 + 700),
        ],
        crs="EPSG:3006",
    )


def _layers(html: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every L.geoJSON layer's (data, spec) in the page."""
    found = re.findall(r"L\.geoJSON\((\{.*?\}),\s*geoTrygg\.options\((\{.*?\})\)\)", html)
    return [(json.loads(d), json.loads(s)) for d, s in found]


def test_measure_areas_are_a_layer_group_with_popups() -> None:
    html = lagesbild_map(lagesbild(), measure_areas=measure_areas(), lang="sv").get_root().render()
    measures = [
        (data, spec)
        for data, spec in _layers(html)
        if spec["style"].get("className", "").startswith("gt-layer-measure-")
    ]
    # two kinds in force in March 2024; the 'other' area starts in May: not drawn
    assert [spec["style"]["className"] for _, spec in measures] == [
        "gt-layer-measure-camera",
        "gt-layer-measure-ordningsvakt",
    ]
    camera = measures[0][0]["features"][0]["properties"]
    assert camera == {
        "name": payload("measure-name"),
        "kind_text": "kamerabevakning",
        "hours_text": "kl. 23–07",
        "valid_text": "från 2024-01-01",
        "decision": payload("decision"),
    }
    guards = measures[1][0]["features"][0]["properties"]
    assert guards["hours_text"] == "fre–lör kl. 22–05"
    assert guards["valid_text"] == "2024-03-01 – 2024-08-31"
    assert measures[1][1]["style"]["dashArray"] == "8 5"
    assert [f[1] for f in measures[0][1]["popup"]] == ["Typ", "Tider", "Gäller", "Beslut"]
    # the group and the legend
    assert "Åtgärdsområden" in html
    assert "Kamerabevakning" in html
    assert "Ordningsvakter (LOV 3 §)" in html
    assert "Andra åtgärder" not in html
    # no payload as markup anywhere
    assert PAYLOAD not in html


def test_measure_map_in_english_and_a_bad_layer() -> None:
    html = lagesbild_map(lagesbild(), measure_areas=measure_areas(), lang="en").get_root().render()
    assert "Measure areas" in html
    assert "Security guards (LOV 3 §)" in html
    props = [
        f["properties"]
        for data, spec in _layers(html)
        if spec["style"].get("className") == "gt-layer-measure-ordningsvakt"
        for f in data["features"]
    ]
    assert props[0]["hours_text"] == "Fri–Sat 22–05"
    from geo_trygg import ConfigError

    with pytest.raises(ConfigError, match="measure_areas must be a GeoDataFrame"):
        lagesbild_map(lagesbild(), measure_areas="kameror.gpkg")  # type: ignore[arg-type]


@pytest.mark.usefixtures("chromium")
def test_measure_popups_in_the_browser(browser_page: Any, tmp_path: Path) -> None:
    from browser import assets_or_skip, count_paths, screenshot

    assets_or_skip()
    m = lagesbild_map(lagesbild(), measure_areas=measure_areas(), lang="sv", self_contained=True)
    path = save_map(m, tmp_path / "karta.html")
    page, log = browser_page(path)
    assert log.problems() == []  # offline: no request left the page (no CDN)
    assert count_paths(page, "path.gt-layer-measure-camera") == 1
    assert count_paths(page, "path.gt-layer-measure-ordningsvakt") == 1
    page.locator("path.gt-layer-measure-camera").first.dispatch_event("click")
    page.wait_for_selector(".leaflet-popup-content .gt-info")
    popup = page.locator(".leaflet-popup-content").last.inner_text()
    assert "kl. 23–07" in popup
    assert "från 2024-01-01" in popup
    assert PAYLOAD in popup  # shown as text …
    assert page.evaluate("window.__xss") is None  # … never run
    legend = page.locator(".gt-legend").inner_text()
    assert "Åtgärdsområden" in legend
    assert "Kamerabevakning" in legend
    control = page.locator(".leaflet-control-layers").inner_text()
    assert "Ordningsvakter (LOV 3 §)" in control
    screenshot(page, tmp_path / "karta.png")
    assert log.problems() == []
