"""pyproject.toml is the single source of dependencies; environment.yml must mirror it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name, where they differ. Every other name is the same on both.
PYPI_TO_CONDA = {"build": "python-build", "h3": "h3-py", "playwright": "playwright-python"}

# a name, its extras (``psycopg[binary]``: conda-forge's package has them built in), a spec
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    match = _REQ.match(requirement)
    assert match, requirement
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs.extend(extra)
    out = {}
    for req in reqs:
        name, spec = _split(req)
        out[PYPI_TO_CONDA.get(name, name)] = spec
    return out


def _environment() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict) or dep.startswith(("python=", "pip")):
            continue
        name, spec = _split(dep)
        out[name] = spec
    return out


def test_environment_lists_the_same_packages_and_versions() -> None:
    assert _environment() == _pyproject()


def test_name_map_is_used() -> None:
    # The map must stay meaningful: each PyPI name in it is a real dependency.
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    names = {_split(r)[0] for r in requirements}
    assert set(PYPI_TO_CONDA) <= names
    assert set(PYPI_TO_CONDA.values()) <= set(_environment())
