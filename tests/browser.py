"""Headless-browser helpers for the map tests (a helper module, not a test file).

Pages open in the system's Chromium (``geo_trygg.maps._png.find_browser``; playwright's own
browser download is never used) with the network cut off: every request that is not a
``file:`` or ``data:`` address is aborted and counted. Console errors and uncaught page errors
are collected.

Use through the fixtures in tests/conftest.py::

    def test_x(browser_page, tmp_path):
        page, log = browser_page(path_to_saved_map)   # opened, rendered, closed at teardown
        assert log.problems() == []
        assert count_paths(page, ".leaflet-overlay-pane path") == 3

or directly (``with launch() as browser: with open_map(path, browser) as (page, log): …``).
Browser tests skip when no browser is found, except when ``GEO_TRYGG_REQUIRE_BROWSER=1``
(CI), where they fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REQUIRE_BROWSER = os.environ.get("GEO_TRYGG_REQUIRE_BROWSER", "") == "1"
REPO = Path(__file__).resolve().parents[1]


def require_or_skip(reason: str) -> None:
    """Skip the test, or fail it when ``GEO_TRYGG_REQUIRE_BROWSER=1``."""
    if REQUIRE_BROWSER:
        pytest.fail(f"GEO_TRYGG_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def browser_or_skip() -> Path:
    """The system browser's program; skips (or fails under CI) when there is none."""
    from geo_trygg._errors import ConfigError
    from geo_trygg.maps._png import find_browser

    try:
        return find_browser()
    except ConfigError as exc:
        require_or_skip(f"no browser for the map tests: {exc}")
        raise  # unreachable: require_or_skip raises


def assets_or_skip() -> None:
    """Skip (or fail under CI) when the npm assets for self-contained maps are missing."""
    from geo_trygg.maps._assets import asset_table

    table = asset_table()
    missing = table.loc[~table["found"], "source"].tolist()
    if missing:
        require_or_skip(
            f"{len(missing)} map asset files not installed (run `npm ci` in {REPO}), "
            f"e.g. {missing[0]}"
        )


@dataclass
class PageLog:
    """What happened while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every console error, page error, blocked and failed request, labelled."""
        return (
            [f"console: {t}" for t in self.console_errors]
            + [f"page error: {t}" for t in self.page_errors]
            + [f"blocked: {u}" for u in self.blocked]
            + [f"failed: {u}" for u in self.failed]
        )


@contextmanager
def launch() -> Iterator[Any]:
    """A headless playwright ``Browser`` running the system's Chromium/Chrome/Edge."""
    program = browser_or_skip()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("playwright is not installed (pip install -e '.[dev]')")
        raise
    args = ["--no-sandbox"] if sys.platform.startswith("linux") and os.geteuid() == 0 else []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(program), headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:", "blob:"))


def new_page(browser: Any, *, width: int = 1200, height: int = 800) -> tuple[Any, PageLog]:
    """A page in a fresh context with the network cut off and a :class:`PageLog` attached."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, service_workers="block"
    )
    log = PageLog()

    def route(r: Any) -> None:
        url = r.request.url
        if _is_local(url):
            r.continue_()
        else:
            log.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: None if r.url in log.blocked else log.failed.append(f"{r.url} {r.failure}"),
    )
    return page, log


_WAIT_RENDERED = """async (timeoutMs) => {
  if (typeof window.L === 'undefined') { return 'Leaflet (window.L) is not defined'; }
  const maps = Object.keys(window)
    .filter((k) => { try { return window[k] instanceof L.Map; } catch (e) { return false; } })
    .map((k) => window[k]);
  if (maps.length === 0) { return 'no Leaflet map on the page'; }
  const loaded = Promise.all(maps.map((m) => new Promise((resolve) => {
    if (m._loaded) { resolve(); } else { m.once('load', () => resolve()); }
  })));
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  if (await Promise.race([loaded, timeout]) === 'timeout') {
    return 'the map load event did not fire within ' + timeoutMs + ' ms';
  }
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return '';
}"""


def wait_rendered(page: Any, *, timeout_ms: int = 10_000) -> None:
    """Wait for Leaflet's map ``load`` event (or the map already loaded) plus two frames.

    Raises AssertionError naming what is missing (Leaflet itself, the map, the event).
    """
    problem = page.evaluate(_WAIT_RENDERED, timeout_ms)
    assert not problem, problem


def wait_fonts(page: Any) -> None:
    """Wait until every font the page has started to load is ready."""
    page.evaluate("async () => { await document.fonts.ready; }")


def loaded_font_families(page: Any) -> list[str]:
    """Families of the page's fonts whose status is ``loaded``, sorted, no repeats."""
    return page.evaluate(
        """() => { const out = new Set();
        document.fonts.forEach((f) => { if (f.status === 'loaded') {
          out.add(f.family.replace(/^["']|["']$/g, '')); } });
        return Array.from(out).sort(); }"""
    )


def count_paths(page: Any, selector: str = ".leaflet-overlay-pane path") -> int:
    """Number of elements matching ``selector`` (default: Leaflet's vector paths)."""
    return int(page.eval_on_selector_all(selector, "els => els.length"))


def screenshot(page: Any, path: str | Path) -> Path:
    """Save a PNG of the visible page at ``path`` and return it."""
    out = Path(path)
    page.screenshot(path=str(out), full_page=False)
    return out


def goto(page: Any, path: str | Path) -> None:
    """Open a local file in ``page`` and wait for its ``load`` event."""
    page.goto(Path(path).resolve().as_uri(), wait_until="load")


@contextmanager
def open_map(
    path: str | Path, browser: Any, *, width: int = 1200, height: int = 800, render: bool = True
) -> Iterator[tuple[Any, PageLog]]:
    """Open a saved map offline; yields ``(page, log)`` and closes the page afterwards.

    With ``render=True`` (default) waits for :func:`wait_rendered`.
    """
    page, log = new_page(browser, width=width, height=height)
    try:
        goto(page, path)
        if render:
            wait_rendered(page)
        yield page, log
    finally:
        page.context.close()


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
_AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  });
  return result.violations.map((v) => v.id + ': ' + v.help + ' — ' +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
}"""


def axe_violations(page: Any) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core finds on the open page (id, help, first nodes);
    skips (or fails under CI) when axe-core is not installed (``npm ci``)."""
    if not AXE.is_file():
        require_or_skip(f"axe-core is not installed (run `npm ci` in {REPO})")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(_AXE_RUN))
