"""The package installs like one: every data file read at run time ships inside it.

The catalogue, the crosswalks, the demo data, the example configuration and the message
catalogue (``data/messages/sv.toml``, ``en.toml``) live in ``geo_trygg/data``, the
vocabularies in ``geo_trygg/vocab``; the code finds them through :mod:`importlib.resources`,
and the wheel and the sdist built from the repository hold them.
``tools/check_wheel.sh`` installs the wheel into a fresh environment and runs it.
"""

from __future__ import annotations

import ast
import importlib.resources
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from geo_trygg import _labels, catalogue, crosswalks
from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE, demo_paths
from geo_trygg.pack import load_config

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(str(importlib.resources.files("geo_trygg")))

VOCABULARIES = (
    "actors.csv",
    "area_aliases.csv",
    "event_categories.csv",
    "event_type_map.csv",
    "finding_categories.csv",
    "finding_category_synonyms.csv",
    "finding_keywords.csv",
    "sources.csv",
    "statuses.csv",
)
"""The vocabulary tables geo_trygg.vocab reads."""

RUNTIME = {
    "branca",
    "click",
    "folium",
    "geopandas",
    "h3",
    "jinja2",
    "mapclassify",
    "numpy",
    "openpyxl",
    "pandas",
    "pyarrow",
    "pydantic",
    "pyogrio",
    "psycopg",
    "pyproj",
    "rich",
    "scipy",
    "shapely",
    "xlsxwriter",
}
"""The run-time dependencies: the libraries geo_trygg imports."""

CROSSWALKS = (
    "kommun_lan.csv",
    "kommun_lpo.csv",
    "lpo_polisomrade.csv",
    "stadsdel_lpo.csv",
    "stadsdel_stadsdelsomrade.csv",
    "stadsdelsomrade_kommun.csv",
    "stadsdelsomrade_lpo.csv",
)


def _runtime_files() -> list[Path]:
    """Every data file the code reads at run time, as the code itself locates it."""
    if os.environ.get("GEO_TRYGG_BOUNDARIES"):
        pytest.skip("GEO_TRYGG_BOUNDARIES is set")
    config, base = load_config(PACK_EXAMPLE)
    inputs = config.inputs
    example_inputs = [
        inputs.events,
        inputs.findings,
        inputs.places,
        inputs.measure_areas,
        inputs.areas[0].path,
    ]
    vocab = importlib.resources.files("geo_trygg.vocab")
    return [
        catalogue._catalogue_path(),
        *crosswalks._crosswalk_files(None),
        *demo_paths().values(),
        PACK_EXAMPLE,
        *(base / p for p in example_inputs if p is not None),
        *(Path(str(vocab.joinpath(name))) for name in VOCABULARIES),
        *(Path(str(_labels._message_file(lang))) for lang in _labels.LANGUAGES),
    ]


def _in_package(files: list[Path]) -> set[str]:
    """The files as wheel paths (``geo_trygg/...``)."""
    return {"geo_trygg/" + p.resolve().relative_to(PACKAGE.resolve()).as_posix() for p in files}


def test_every_runtime_data_file_is_a_package_resource() -> None:
    files = _runtime_files()
    # what the code reads is inside the package, not in the repository around it
    names = _in_package(files)
    assert names == {
        "geo_trygg/data/catalogue.toml",
        *(f"geo_trygg/data/crosswalks/{name}" for name in CROSSWALKS),
        "geo_trygg/data/demo/demo_areas.geojson",
        "geo_trygg/data/demo/demo_places.geojson",
        "geo_trygg/data/demo/demo_findings.csv",
        "geo_trygg/data/demo/demo_events.csv",
        "geo_trygg/data/demo/demo_survey.csv",
        "geo_trygg/data/demo/demo_population.geojson",
        "geo_trygg/data/demo/demo_measure_areas.geojson",
        "geo_trygg/data/demo/README.md",
        "geo_trygg/data/pack-example.toml",
        "geo_trygg/data/messages/sv.toml",
        "geo_trygg/data/messages/en.toml",
        *(f"geo_trygg/vocab/{name}" for name in VOCABULARIES),
    }
    # and each resolves through importlib.resources to an existing file
    root = importlib.resources.files("geo_trygg")
    for name in sorted(names):
        ref = root.joinpath(name.removeprefix("geo_trygg/"))
        assert ref.is_file(), name
    assert DEMO_DIR == PACKAGE / "data" / "demo"
    assert catalogue.BOUNDARIES_DIR == PACKAGE / "data"


def test_vocab_folder_holds_only_the_tables_that_are_read() -> None:
    assert sorted(p.name for p in (PACKAGE / "vocab").glob("*.csv")) == list(VOCABULARIES)
    assert sorted(p.name for p in (PACKAGE / "data" / "crosswalks").iterdir()) == list(CROSSWALKS)


def test_no_module_reads_files_beside_the_package() -> None:
    # Path(__file__).parents[...] reaches the repository around the package, which an installed
    # wheel does not have. The one exception is optional: maps/_assets.py looks for npm's
    # node_modules in a source checkout (GEO_TRYGG_ASSETS or assets_dir elsewhere).
    offenders = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "__file__" in p.read_text(encoding="utf-8")
    )
    assert offenders == ["maps/_assets.py"]
    assert not (REPO / "boundaries" / "catalogue.toml").exists()
    assert sorted(p.name for p in (REPO / "boundaries").iterdir()) == ["README.md"]


def _build(tmp_path: Path) -> tuple[set[str], set[str], set[str]]:
    """Build the sdist and, from it, the wheel of a copy of the package (no network).

    Returns the data files in the source tree, the wheel's file names and the sdist's file
    names (both as ``geo_trygg/...``).
    """
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE, src / "geo_trygg", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    data = {
        "geo_trygg/" + p.relative_to(src / "geo_trygg").as_posix()
        for p in (src / "geo_trygg").rglob("*")
        if p.is_file() and p.suffix != ".py"
    }
    dist = tmp_path / "dist"
    # no isolation: the dev environment has setuptools and build (pyproject.toml, dev extra)
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(src)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("geo_trygg-*.whl")
    (sdist,) = dist.glob("geo_trygg-*.tar.gz")
    with zipfile.ZipFile(wheel) as zf:
        in_wheel = set(zf.namelist())
    with tarfile.open(sdist) as tf:
        in_sdist = {name.split("/", 1)[1] for name in tf.getnames() if "/" in name}
    return data, in_wheel, in_sdist


def test_wheel_and_sdist_hold_every_data_file(tmp_path: Path) -> None:
    runtime = _in_package(_runtime_files())
    data, in_wheel, in_sdist = _build(tmp_path)
    assert runtime <= data
    assert "geo_trygg/py.typed" in data
    assert "geo_trygg/maps/runtime.js" in data
    assert sorted(data - in_wheel) == []
    assert sorted(data - in_sdist) == []
    # the modules too, the command and the run-time requirements (test-only ones are extras)
    assert {"geo_trygg/_data.py", "geo_trygg/cli.py", "geo_trygg/demo.py"} <= in_wheel
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    info = next(n for n in in_wheel if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
    with zipfile.ZipFile(wheel) as zf:
        entry_points = zf.read(f"{info}/entry_points.txt").decode("utf-8")
        metadata = zf.read(f"{info}/METADATA").decode("utf-8")
    assert "geo-trygg = geo_trygg.cli:main" in entry_points
    requires = [
        Requirement(line.split(":", 1)[1])
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    assert {r.name for r in requires if r.marker is None} == RUNTIME
    extras = {r.name for r in requires if r.marker is not None}
    assert {"esda", "libpysal", "pointpats", "pytest", "build"} <= extras


def _imported_distributions() -> set[str]:
    """Top-level modules the package imports that are not in the standard library."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"geo_trygg"}


def test_runtime_dependencies_are_what_the_package_imports() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {Requirement(r).name for r in project["dependencies"]}
    assert declared == RUNTIME
    # every import name here is its distribution's name
    assert _imported_distributions() == RUNTIME
