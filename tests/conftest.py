"""Shared fixtures. Real-data tests are marked ``shared`` and use :func:`shared_data`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEO_TRYGG_SHARED", REPO.parent / "shared")) / "data"
REQUIRE_SHARED = os.environ.get("GEO_TRYGG_REQUIRE_SHARED", "") == "1"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data``; skips when absent, fails when CI requires it."""
    if not SHARED.is_dir():
        if REQUIRE_SHARED:
            pytest.fail(f"GEO_TRYGG_REQUIRE_SHARED=1 but {SHARED} does not exist")
        pytest.skip(f"real data not available at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO


# --- headless browser (tests/browser.py) -------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """One headless system Chromium for the whole session (skips when there is none, fails
    when GEO_TRYGG_REQUIRE_BROWSER=1)."""
    from browser import launch

    with launch() as browser:
        yield browser


@pytest.fixture
def browser_page(chromium):
    """Open saved maps offline: ``page, log = browser_page(path)``; closed at teardown.

    Keyword arguments ``width``, ``height`` and ``render`` (wait for Leaflet's load event plus
    two frames; default True) are passed to ``browser.open_map``.
    """
    from contextlib import ExitStack

    from browser import open_map

    with ExitStack() as stack:

        def opener(path, **kwargs):
            return stack.enter_context(open_map(path, chromium, **kwargs))

        yield opener
