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
