"""Shared fixtures. Real-data tests are marked ``shared`` and use :func:`shared_data`; tests
that need a PostgreSQL/PostGIS server use :func:`postgres_url`."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

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


# --- PostgreSQL/PostGIS server (tools/postgres.sh) ---------------------------------------

# The server's URL, without password (the password comes from PGPASSWORD or ~/.pgpass).
POSTGRES_URL = os.environ.get("GEO_TRYGG_POSTGRES_URL", "").strip()
REQUIRE_POSTGRES = os.environ.get("GEO_TRYGG_REQUIRE_POSTGRES", "") == "1"
HOW_TO_RUN_POSTGRES = (
    "to run them: bash tools/postgres.sh start /tmp/pg 54329 && "
    'eval "$(bash tools/postgres.sh env /tmp/pg 54329)"'
    " (stop it with bash tools/postgres.sh stop /tmp/pg)"
)


def no_postgres(reason: str) -> NoReturn:
    """Skip the test, or fail it when ``GEO_TRYGG_REQUIRE_POSTGRES=1`` (CI)."""
    if REQUIRE_POSTGRES:
        pytest.fail(f"GEO_TRYGG_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(f"PostGIS tests skipped: {reason}; {HOW_TO_RUN_POSTGRES}")


def postgres_database_url(url: str, database: str) -> str:
    """``url`` with its database replaced by ``database`` (user, host, port, options kept)."""
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of ``GEO_TRYGG_POSTGRES_URL``, checked once per session: the server answers and
    has PostGIS. Skips when it is unset or unreachable, fails when
    ``GEO_TRYGG_REQUIRE_POSTGRES=1``; a URL holding a password always fails."""
    if not POSTGRES_URL:
        no_postgres("GEO_TRYGG_POSTGRES_URL is not set")
    parts = urlsplit(POSTGRES_URL)
    if parts.scheme not in ("postgresql", "postgres"):
        pytest.fail("GEO_TRYGG_POSTGRES_URL must be a postgresql:// URL")
    if parts.password is not None:
        pytest.fail(
            "GEO_TRYGG_POSTGRES_URL must not hold a password; give it in PGPASSWORD or ~/.pgpass"
        )
    import psycopg

    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'"
            ).fetchone()
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        no_postgres(f"no PostgreSQL server answers at {POSTGRES_URL} ({first_line})")
    if not row or not row[0]:
        no_postgres(f"the server at {POSTGRES_URL} has no PostGIS (postgresql-postgis)")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """The URL (no password in it) of a new, empty database with the postgis extension, made for
    this test alone on the server of ``GEO_TRYGG_POSTGRES_URL`` and dropped after it."""
    import psycopg
    from psycopg import sql

    name = f"geo_trygg_test_{uuid.uuid4().hex[:8]}"
    database = sql.Identifier(name)
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
    try:
        url = postgres_database_url(postgres_server, name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield url
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


@pytest.fixture(params=["gpkg", "postgis"])
def register_target(request, tmp_path: Path) -> str:
    """Where a new, empty register lives: a GeoPackage path, or a fresh PostGIS database's URL
    (the PostGIS case skips, or fails under GEO_TRYGG_REQUIRE_POSTGRES=1, without a server)."""
    if request.param == "gpkg":
        return str(tmp_path / "register.gpkg")
    return request.getfixturevalue("postgres_url")
