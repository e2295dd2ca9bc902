"""Map details of issue 14 in headless Chromium: the legend never covers the layer control, the
status symbols are drawn as the legend shows them, a map whose scripts cannot load says so,
and ``#fynd=<id>`` / ``#punkt=<lat>,<lon>`` open the map zoomed there."""

from __future__ import annotations

import urllib.parse
import warnings
from pathlib import Path
from typing import Any

import pytest
from browser import assets_or_skip, goto, new_page, screenshot, wait_rendered
from test_maps import PAYLOAD, X0, Y0, full_map, lagesbild
from test_maps_context import lagesbild as grid_lagesbild

from geo_trygg.maps import lagesbild_map, save_map

pytestmark = pytest.mark.usefixtures("chromium")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _maps(tmp_path: Path) -> list[Path]:
    assets_or_skip()
    lb = grid_lagesbild()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page_map = lagesbild_map(lb, level="stadsdelsomrade", page="Mid", self_contained=True)
    return [
        save_map(full_map(self_contained=True), tmp_path / "full.html"),
        save_map(full_map(self_contained=True, lang="sv"), tmp_path / "full_sv.html"),
        save_map(page_map, tmp_path / "page.html"),
    ]


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1366, 768)])
def test_the_legend_never_covers_the_layer_control(
    chromium: Any, tmp_path: Path, width: int, height: int
) -> None:
    for path in _maps(tmp_path):
        page, log = new_page(chromium, width=width, height=height)
        try:
            goto(page, path)
            wait_rendered(page)
            legend = page.locator(".gt-legend").bounding_box()
            assert legend is not None
            others = page.locator(".leaflet-control-layers, .gt-title, .leaflet-control-zoom")
            for i in range(others.count()):
                box = others.nth(i).bounding_box()
                assert box is not None
                assert not _overlap(legend, box), (path.name, width, height, legend, box)
            # the legend stays inside the map
            assert legend["y"] >= 0
            assert legend["y"] + legend["height"] <= height
            assert log.problems() == []
            screenshot(page, tmp_path / f"{path.stem}_{width}x{height}.png")
        finally:
            page.context.close()


def test_status_symbols_are_drawn_as_the_legend_shows_them(
    browser_page: Any, tmp_path: Path
) -> None:
    path = _maps(tmp_path)[0]
    page, log = browser_page(path)
    style = """(el) => { const s = getComputedStyle(el);
        return [s.borderTopLeftRadius, s.borderTopColor, s.opacity]; }"""
    shapes = {}
    for status in ("open", "overdue", "done"):
        key = page.locator(f".gt-legend .gt-status-key.gt-{status}")
        marker = page.locator(f".gt-marker.gt-{status}")
        assert key.count() == 1
        assert marker.count() == 1  # the fixture's findings: one new, one overdue, one done
        radius, colour, opacity = key.evaluate(style)
        m_radius, m_colour, m_opacity = marker.evaluate(style)
        # the same shape and frame as the markers, in the legend
        assert (radius == "50%") == (m_radius == "50%")
        assert colour == m_colour
        assert opacity == m_opacity
        shapes[status] = (radius, colour, float(opacity))
    assert shapes["open"][0] == "50%"  # a circle
    assert shapes["overdue"][0] != "50%"  # a square ...
    assert shapes["overdue"][1] == "rgb(0, 0, 0)"  # ... framed in black
    assert shapes["done"][2] < 1  # pale
    assert shapes["open"][2] == 1
    assert log.problems() == []


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("sv", "Kartan kunde inte visas"),
        ("en", "The map could not be shown"),
    ],
)
def test_a_map_whose_scripts_cannot_load_says_so(
    chromium: Any, tmp_path: Path, lang: str, sentence: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = lagesbild_map(lagesbild(), lang=lang)  # scripts from the CDNs: blocked here
    path = save_map(m, tmp_path / "cdn.html")
    page, log = new_page(chromium)
    try:
        goto(page, path)
        assert log.blocked  # Leaflet & co. were asked for and refused
        fallback = page.locator("#gt-fallback")
        assert fallback.is_visible()
        assert fallback.inner_text().startswith(sentence)
        assert fallback.get_attribute("lang") == lang
        box = fallback.bounding_box()
        assert box is not None
        assert box["width"] >= 1000  # covers the empty map
    finally:
        page.context.close()


def _open(chromium: Any, path: Path, fragment: str) -> Any:
    page, log = new_page(chromium)
    page.goto(path.resolve().as_uri() + fragment, wait_until="load")
    wait_rendered(page)
    page.wait_for_timeout(300)
    return page, log


_VIEW = """() => { const m = Object.values(window).find((v) => v instanceof L.Map);
    const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }"""


def test_the_fynd_address_opens_the_finding_zoomed_with_its_popup(
    chromium: Any, tmp_path: Path
) -> None:
    path = _maps(tmp_path)[0]
    # the finding whose id is a payload: encodeURIComponent of it, as the action lists write it
    finding_id = f"finding-id {PAYLOAD}"
    fragment = "#fynd=" + urllib.parse.quote(finding_id, safe="-_.!~*'()")
    page, log = _open(chromium, path, fragment)
    try:
        assert page.evaluate(_VIEW)[0] == 18
        popup = page.locator(".leaflet-popup-content")
        assert popup.count() == 1
        assert finding_id in popup.inner_text()
        # the finding at X0 + 200, Y0 + 300 (EPSG:3006) in WGS84, computed here
        import pyproj

        want_lon, want_lat = pyproj.Transformer.from_crs(
            "EPSG:3006", "EPSG:4326", always_xy=True
        ).transform(X0 + 200, Y0 + 300)
        marker = page.evaluate(
            """(id) => { const m = geoTrygg.findings[id]; const p = m.getLatLng();
            return [p.lat, p.lng]; }""",
            finding_id,
        )
        assert marker == pytest.approx([round(want_lat, 5), round(want_lon, 5)], abs=1e-5)
        assert page.evaluate("() => window.__xss === undefined")
        assert log.problems() == []
        # another finding by a changed address, without reloading
        page.evaluate("() => { window.location.hash = '#fynd=F2'; }")
        page.wait_for_timeout(300)
        assert "F2" in page.locator(".leaflet-popup-content").inner_text()
    finally:
        page.context.close()


def test_the_punkt_address_opens_the_map_zoomed_on_the_point(
    chromium: Any, tmp_path: Path
) -> None:
    path = _maps(tmp_path)[2]
    page, log = _open(chromium, path, "#punkt=59.24051,18.02512")
    try:
        zoom, lat, lon = page.evaluate(_VIEW)
        assert zoom == 18
        assert (lat, lon) == pytest.approx((59.24051, 18.02512), abs=1e-6)
        assert page.locator("path.gt-point-target").count() == 1
        assert log.problems() == []
    finally:
        page.context.close()
    # an address that is no point leaves the map as it opens
    page, log = _open(chromium, path, "#punkt=north,south")
    try:
        assert page.evaluate(_VIEW)[0] != 18
        assert page.locator("path.gt-point-target").count() == 0
    finally:
        page.context.close()


_BROKEN_WORDS = """(root) => {
  // every word of the popup on one line: a word whose text spans two line boxes was broken
  const broken = [];
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
      // words up to 30 letters must fit (the fixture's payload "words" are longer than a popup)
      if (tops.size > 1 && m[0].length <= 30) { broken.push(m[0]); }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1366, 768)])
def test_popups_are_wide_enough_for_their_words(
    chromium: Any, tmp_path: Path, width: int, height: int
) -> None:
    path = _maps(tmp_path)[1]  # Swedish: "Åtgärdas senast", "Beskrivning", "Ansvarig" …
    page, log = new_page(chromium, width=width, height=height)
    try:
        goto(page, path)
        wait_rendered(page)
        for finding_id in ("F2", "F3"):
            page.evaluate(f"() => geoTrygg.findings['{finding_id}'].openPopup()")
            content = page.locator(".leaflet-popup-content")
            content.wait_for()
            assert "Åtgärdas senast" in content.inner_text()
            assert content.evaluate(_BROKEN_WORDS) == []
            # the popup's close button is not under a control: a real click closes it
            page.locator(".leaflet-popup-close-button").click(timeout=5000)
            page.locator(".leaflet-popup").wait_for(state="detached", timeout=5000)
        assert log.problems() == []
    finally:
        page.context.close()
