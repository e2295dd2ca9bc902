#!/usr/bin/env bash
# Set up the environment and run every check: ruff (lint + format), mypy, the test suite,
# the notebooks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/ruff check geo_trygg tests benchmarks
.venv/bin/ruff format --check geo_trygg tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -m "" "$@"  # -m "": every test, the slow ones too
# the analyst notebooks, each run top to bottom in a fresh kernel (nbmake)
.venv/bin/python -m pytest --nbmake notebooks -q
