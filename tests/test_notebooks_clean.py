"""The analyst notebooks are committed without outputs, and the ones issue 6 names are there.

Running them top to bottom is a separate test run: ``pytest --nbmake notebooks``
(``tools/test.sh``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = (
    "01_kom_igang.ipynb",
    "02_alvsjo_centrum.ipynb",
    "03_fittja_est.ipynb",
    "04_stockholm_verkliga_granser.ipynb",
    "05_atgardsplan.ipynb",  # issue 15
)


def problems(notebook: dict[str, Any]) -> list[str]:
    """What keeps a notebook from being committed as it is: outputs, execution counts, run
    metadata, or a kernel other than the default ``python3`` that nbmake runs."""
    found = []
    if notebook.get("nbformat") != 4:
        found.append(f"nbformat {notebook.get('nbformat')!r}, expected 4")
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        found.append(f"kernelspec {kernel!r}, expected 'python3'")
    for number, cell in enumerate(notebook.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {number} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {number} has execution_count {cell['execution_count']}")
        if "execution" in cell.get("metadata", {}):
            found.append(f"cell {number} has execution timings in its metadata")
    return found


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _code_cell(**changes: Any) -> dict[str, Any]:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    cell.update(changes, source=["1 + 1"])
    return cell


def _notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_the_notebooks_of_issues_6_and_15_are_there() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_committed_without_outputs(name: str) -> None:
    notebook = _load(NOTEBOOKS / name)
    assert any(c["cell_type"] == "code" for c in notebook["cells"])
    assert problems(notebook) == []


def test_readme_names_every_notebook() -> None:
    readme = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    assert [name for name in EXPECTED if f"`{name}`" not in readme] == []


def test_problems_finds_outputs_counts_and_timings() -> None:
    output = {"output_type": "stream", "name": "stdout", "text": ["2\n"]}
    dirty = _notebook(
        _code_cell(),
        _code_cell(outputs=[output]),
        _code_cell(execution_count=3),
        _code_cell(metadata={"execution": {"iopub.status.busy": "2024-01-01T00:00:00Z"}}),
    )
    assert problems(dirty) == [
        "cell 2 has outputs",
        "cell 3 has execution_count 3",
        "cell 4 has execution timings in its metadata",
    ]
    assert problems(_notebook(_code_cell())) == []
    other_kernel = _notebook(_code_cell())
    other_kernel["metadata"]["kernelspec"]["name"] = "conda-env-x"
    assert problems(other_kernel) == ["kernelspec 'conda-env-x', expected 'python3'"]
