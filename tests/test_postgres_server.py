"""The PostgreSQL/PostGIS server of the tests: the ``postgres_url`` fixture (tests/conftest.py)
and ``tools/postgres.sh``, which starts a throwaway server for CI (.ci/run) and for local runs.

Tests that need a server skip without one (the skip says how to start it), except when
GEO_TRYGG_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import glob
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tools" / "postgres.sh"
REQUIRE_POSTGRES = os.environ.get("GEO_TRYGG_REQUIRE_POSTGRES", "") == "1"

# the databases the two runs of test_each_test_gets_a_fresh_database_of_its_own were given
_GIVEN: dict[str, str] = {}


def _one(url: str, query: str, *params: object) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query, params or None).fetchone()
    assert row is not None
    return row[0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


# --- the fixture and the server ----------------------------------------------------------


def test_the_database_has_postgis(postgres_url: str) -> None:
    version = _one(postgres_url, "SELECT postgis_full_version()")
    assert "POSTGIS=" in str(version)
    # the URL names the database the test was given, and nothing of its own is in it yet:
    # the only table is PostGIS's spatial_ref_sys
    assert _one(postgres_url, "SELECT current_database()") == urlsplit(postgres_url).path[1:]
    tables = _one(
        postgres_url,
        "SELECT array_agg(table_schema || '.' || table_name ORDER BY 1) FROM "
        "information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        " AND table_type = 'BASE TABLE'",
    )
    assert tables == ["public.spatial_ref_sys"]


def test_distance_and_transform_in_sweref99_tm(postgres_url: str) -> None:
    # two points 1200 m east and 500 m north of each other: sqrt(1200² + 500²) = 1300 m
    distance = _one(
        postgres_url,
        "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(674032, 6580511), 3006), "
        "ST_SetSRID(ST_MakePoint(675232, 6581011), 3006))",
    )
    assert distance == 1300.0
    assert "SWEREF99 TM" in str(
        _one(postgres_url, "SELECT srtext FROM spatial_ref_sys WHERE srid = 3006")
    )
    # PostGIS's PROJ agrees with pyproj on the same point in WGS 84
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform("
            "ST_SetSRID(ST_MakePoint(674032, 6580511), 3006), 4326) AS p) AS t"
        ).fetchone()
    assert row is not None
    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(674032, 6580511)
    assert math.isclose(row[0], lon, abs_tol=1e-9)
    assert math.isclose(row[1], lat, abs_tol=1e-9)


def test_the_url_has_no_password(postgres_url: str, postgres_server: str) -> None:
    given, server = urlsplit(postgres_url), urlsplit(postgres_server)
    assert given.password is None
    assert ":" not in given.netloc.rpartition("@")[0]  # user, no user:password
    password = os.environ.get("PGPASSWORD")
    if password:
        assert password not in postgres_url
    assert (given.username, given.hostname, given.port) == (
        server.username,
        server.hostname,
        server.port,
    )
    assert given.path != server.path


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_gets_a_fresh_database_of_its_own(postgres_url: str, run: str) -> None:
    name = str(_one(postgres_url, "SELECT current_database()"))
    assert name.startswith("geo_trygg_test_")
    # what the first run wrote is not in the second run's database
    assert _one(postgres_url, "SELECT to_regclass('public.written_by_a_test')") is None
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE written_by_a_test (run text)")
        conn.execute("INSERT INTO written_by_a_test VALUES (%s)", (run,))
    _GIVEN[run] = name


def test_the_databases_of_earlier_tests_are_dropped(postgres_server: str) -> None:
    if set(_GIVEN) != {"first", "second"}:
        pytest.skip("runs after both test_each_test_gets_a_fresh_database_of_its_own")
    assert _GIVEN["first"] != _GIVEN["second"]
    # a new connection to the server's own database sees neither any more
    left = _one(
        postgres_server,
        "SELECT count(*) FROM pg_database WHERE datname = ANY(%s)",
        list(_GIVEN.values()),
    )
    assert left == 0


def test_without_a_server_the_tests_skip_and_fail_when_required() -> None:
    # a port nobody listens on: the fixture skips with the way to run the tests locally ...
    url = f"postgresql://geo_trygg@127.0.0.1:{_free_port()}/geo_trygg"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEO_TRYGG_", "PG"))}
    env |= {"GEO_TRYGG_POSTGRES_URL": url, "PYTHONPATH": str(REPO)}
    test = "tests/test_postgres_server.py::test_the_database_has_postgis"
    command = [sys.executable, "-m", "pytest", test, "-q", "-rs", "-p", "no:cacheprovider"]
    skipped = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert skipped.returncode == 0, skipped.stdout
    assert "1 skipped" in skipped.stdout
    assert "bash tools/postgres.sh start /tmp/pg 54329" in skipped.stdout
    # ... and fails when CI requires the server
    env["GEO_TRYGG_REQUIRE_POSTGRES"] = "1"
    failed = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1, failed.stdout
    assert "1 error" in failed.stdout
    assert "GEO_TRYGG_REQUIRE_POSTGRES=1 but no PostgreSQL server answers" in failed.stdout
    # a variable that is not set skips the same way
    del env["GEO_TRYGG_REQUIRE_POSTGRES"], env["GEO_TRYGG_POSTGRES_URL"]
    unset = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert "1 skipped" in unset.stdout
    assert "GEO_TRYGG_POSTGRES_URL is not set" in unset.stdout


# --- tools/postgres.sh -------------------------------------------------------------------


def _has_initdb() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


def _files_holding(root: Path, text: bytes, skip: tuple[str, ...] = ()) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for file in files:
            path = Path(folder, file)
            if path.is_file() and not path.is_symlink() and text in path.read_bytes():
                found.append(path)
    return found


def test_postgres_sh_starts_a_server_and_keeps_its_password_in_its_folder() -> None:
    if not _has_initdb():
        if REQUIRE_POSTGRES:
            pytest.fail("GEO_TRYGG_REQUIRE_POSTGRES=1 but no initdb (apt-get install postgresql)")
        pytest.skip("no PostgreSQL server binaries (initdb): apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="geo_trygg_pg_"))  # under /tmp: postgres reaches it
    home = Path(tempfile.mkdtemp(prefix="geo_trygg_home_"))
    port = _free_port()
    # no password or server of the caller's reaches the script; HOME shows what it writes there
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEO_TRYGG_", "PG"))}
    env["HOME"] = str(home)
    try:
        started = _script("start", str(folder), str(port), env=env)
        assert started.returncode == 0, started.stderr
        assert f"on 127.0.0.1:{port}" in started.stdout
        password = (folder / "password").read_text().strip()
        assert len(password) == 32
        assert password.isalnum()
        assert (folder / "password").stat().st_mode & 0o777 == 0o600
        assert password not in started.stdout + started.stderr

        printed = _script("env", str(folder), str(port), env=env)
        assert printed.returncode == 0, printed.stderr
        url = f"postgresql://geo_trygg@127.0.0.1:{port}/geo_trygg"
        assert printed.stdout.splitlines() == [
            f"export GEO_TRYGG_POSTGRES_URL={url}",
            f"export PGPASSWORD='{password}'",
        ]
        # eval'd by bash, the lines give the URL and the password the server wants
        show = 'eval "$1"; echo "$GEO_TRYGG_POSTGRES_URL $PGPASSWORD"'
        shell = subprocess.run(
            ["bash", "-c", show, "_", printed.stdout],
            capture_output=True,
            text=True,
            check=True,
        )
        assert shell.stdout.split() == [url, password]
        assert "POSTGIS=" in str(_one_with(url, password, "SELECT postgis_full_version()"))
        # over TCP the password is required: a wrong one is refused
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            _one_with(url, "wrong", "SELECT 1")
        # the password is in DIR/password and nowhere else: not in the repository, not in the
        # server's data or log, not in HOME (no ~/.pgpass)
        outside = _files_holding(REPO, password.encode(), skip=(".git", "node_modules", ".venv"))
        assert outside == []
        assert _files_holding(folder, password.encode()) == [folder / "password"]
        assert list(home.iterdir()) == []
    finally:
        stopped = _script("stop", str(folder), env=env)
        shutil.rmtree(home, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert not folder.exists()
    assert not _accepts(port)
    # stopping again is quiet
    again = _script("stop", str(folder), env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def _one_with(url: str, password: str, query: str) -> object:
    with psycopg.connect(url, password=password, connect_timeout=10) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def test_postgres_sh_removes_only_its_own_folders(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("not a cluster")
    refused = _script("stop", str(tmp_path))
    assert refused.returncode == 1
    assert "was not made by tools/postgres.sh start" in refused.stderr
    assert (tmp_path / "keep.txt").read_text() == "not a cluster"


def test_postgres_sh_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused = _script("start", str(tmp_path / "pg"), str(port))
        assert refused.returncode == 1
        assert f"port {port} on 127.0.0.1 is in use" in refused.stderr
        assert not (tmp_path / "pg").exists()
        # free-port steps over it
        free = _script("free-port", str(port))
        assert free.returncode == 0
        assert int(free.stdout) > port
