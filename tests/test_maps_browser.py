"""lagesbild_map opened in headless Chromium, offline: it renders with no console errors, layers
toggle, the legend shows the breaks, and payloads in every text field stay text."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from browser import assets_or_skip, count_paths, screenshot
from test_maps import PAYLOAD, full_map, lagesbild

from geo_trygg.maps import lagesbild_map, save_map
from geo_trygg.maps._map import layer_class

pytestmark = pytest.mark.usefixtures("chromium")


def _saved(tmp_path: Path, name: str = "karta.html", **kwargs: Any) -> Path:
    assets_or_skip()
    return save_map(full_map(self_contained=True, **kwargs), tmp_path / name)


def _toggle(page: Any, label: str) -> None:
    """Click the layer control's checkbox whose label is ``label``."""
    page.locator(".leaflet-control-layers label", has_text=label).locator("input").first.click()


def test_map_renders_offline_and_layers_toggle(browser_page: Any, tmp_path: Path) -> None:
    path = _saved(tmp_path)
    page, log = browser_page(path)
    assert log.problems() == []
    # boundary layers: one SVG path per feature; 2 stadsdelar, 1 kommun
    stadsdelar = f"path.{layer_class('stadsdel')}"
    assert count_paths(page, stadsdelar) == 2
    assert count_paths(page, f"path.{layer_class('kommun')}") == 0  # off by default
    _toggle(page, "Municipalities")
    assert count_paths(page, f"path.{layer_class('kommun')}") == 1
    _toggle(page, "Districts (stadsdelar)")
    assert count_paths(page, stadsdelar) == 0
    _toggle(page, "Districts (stadsdelar)")
    assert count_paths(page, stadsdelar) == 2
    # the legend shows the classes of the user bins [5] over the counts 3 and 12, in whole
    # numbers: 3 – 5 and 6 – 12
    legend = page.locator(".gt-legend").inner_text()
    assert "3 – 5" in legend
    assert "6 – 12" in legend
    assert "Count (districts (stadsdelar)), 2024-03" in legend
    # findings: three markers, the overdue one square-framed
    assert page.locator(".gt-marker").count() == 3
    assert page.locator(".gt-marker.gt-overdue").count() == 1
    assert page.locator(".gt-marker.gt-done").count() == 1
    # one scale bar, in metres or kilometres only (no feet or miles: issue 14)
    lines = page.locator(".leaflet-control-scale-line")
    assert lines.count() == 1
    assert re.fullmatch(r"\d+ k?m", lines.first.inner_text().strip())
    screenshot(page, tmp_path / "karta.png")
    assert (tmp_path / "karta.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert log.problems() == []


def test_payloads_show_as_text_everywhere(browser_page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    path = _saved(tmp_path)
    page, log = browser_page(path)
    shown = []
    # every finding's popup
    for i in range(page.locator(".gt-marker").count()):
        # a click event on the marker itself: an open popup pans the map, which may have
        # moved the next marker under a control
        page.locator(".gt-marker").nth(i).dispatch_event("click")
        page.wait_for_selector(".leaflet-popup-content .gt-info")
        shown.append(page.locator(".leaflet-popup-content").last.inner_text())
        page.locator(".leaflet-popup-close-button").last.click()
    # every area's tooltip (hover the paths of the choropleth)
    for i in range(count_paths(page, f"path.{layer_class('stadsdel')}")):
        page.locator(f"path.{layer_class('stadsdel')}").nth(i).hover(force=True)
        page.wait_for_selector(".leaflet-tooltip .gt-info")
        shown.append(page.locator(".leaflet-tooltip").last.inner_text())
    # the place and the extra layer's feature
    for selector, tag in (
        (f"path.{layer_class('place')}", "place"),
        ("path.gt-layer-extra-0", "extra-feature"),
    ):
        tip = page.locator(".leaflet-tooltip", has_text=tag)
        _centre(page, selector)  # out from under the controls (popups no longer pan the map)
        for _attempt in range(10):  # hovered again while the map still settles (slow machines)
            page.mouse.move(1, 1)
            page.locator(selector).first.hover(force=True)
            try:
                tip.first.wait_for(timeout=3000)
                break
            except PlaywrightTimeout:
                continue
        shown.append(tip.first.inner_text())
    shown.append(page.locator("body").inner_text())  # title box, legend, banner, layer control
    text = "\n".join(shown)
    tags = ("finding-id", "category", "description", "actor", "area-name", "place")
    tags += ("extra-feature", "title", "source", "banner", "layer-name")
    for tag in tags:
        assert f"{tag} {PAYLOAD}" in text, tag
    # nothing ran: the sentinels the payloads would set are unset, and no image was injected
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator("img[src='x']").count() == 0
    # the search list offers the names as given (a value, not markup)
    options = page.eval_on_selector_all("#gt-search-list option", "os => os.map(o => o.value)")
    assert f"area-name {PAYLOAD}" in options
    assert log.problems() == []


def _centre(page: Any, selector: str) -> None:
    """Pan the map so the first element matching ``selector`` is left of the middle, where
    no control stands (the layer control and title box are on the right)."""
    page.evaluate(
        """(sel) => {
          const m = Object.values(window).find((v) => v instanceof L.Map);
          const r = document.querySelector(sel).getBoundingClientRect();
          const c = m.getContainer().getBoundingClientRect();
          m.panBy([r.left + r.width / 2 - c.left - 0.3 * c.width,
                   r.top + r.height / 2 - c.top - 0.55 * c.height], {animate: false});
        }""",
        selector,
    )


def test_saved_maps_are_byte_identical(tmp_path: Path) -> None:
    assets_or_skip()
    lb = lagesbild()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = save_map(lagesbild_map(lb, self_contained=True), tmp_path / "a.html").read_bytes()
        second = save_map(lagesbild_map(lb, self_contained=True), tmp_path / "b.html").read_bytes()
    assert first == second


def test_many_findings_are_clustered_and_render_cleanly(browser_page: Any, tmp_path: Path) -> None:
    from test_maps import many_findings

    from geo_trygg.maps._findings import CLUSTER_ABOVE

    assets_or_skip()
    n = CLUSTER_ABOVE + 1
    many = many_findings(n, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = lagesbild_map(lagesbild(), findings=many, self_contained=True)
    page, log = browser_page(save_map(m, tmp_path / "many.html"))
    assert log.problems() == []
    assert page.locator(".marker-cluster").count() > 0
    # the cluster group holds every finding
    held = page.evaluate(
        "() => Object.keys(window).map((k) => window[k])"
        ".filter((v) => v instanceof L.MarkerClusterGroup)"
        ".reduce((s, g) => s + g.getLayers().length, 0)"
    )
    assert held == n


def test_an_open_popup_hides_the_tooltip(browser_page: Any, tmp_path: Path) -> None:
    page, log = browser_page(_saved(tmp_path))
    tooltips = "Array.from(document.querySelectorAll('.leaflet-tooltip'))"
    marker = page.locator(".gt-marker").first
    marker.hover()
    page.wait_for_selector(".leaflet-tooltip")
    marker.click()
    page.wait_for_selector(".leaflet-popup-content .gt-info")
    marker.hover()  # the pointer still on the marker: its tooltip must not cover the popup
    # (Leaflet fades tooltips in and out: wait for the end of the fade, at most 2 s)
    page.wait_for_function(
        f"() => {tooltips}.every(t => Number(getComputedStyle(t).opacity) === 0)", timeout=2000
    )
    page.wait_for_timeout(500)  # and it stays hidden while the popup is open
    hidden = page.evaluate(
        f"() => {tooltips}.every(t => Number(getComputedStyle(t).opacity) === 0)"
    )
    assert hidden
    page.locator(".leaflet-popup-close-button").click()
    page.mouse.move(1, 1)
    marker.hover()
    page.wait_for_function(
        f"() => {tooltips}.some(t => Number(getComputedStyle(t).opacity) > 0.5)", timeout=2000
    )  # back once the popup is closed
    assert log.problems() == []
