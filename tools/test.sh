#!/usr/bin/env bash
# Set up the environment and run every check: ruff (lint + format), mypy, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/ruff check geo_trygg tests benchmarks
.venv/bin/ruff format --check geo_trygg tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -m "" "$@"  # -m "": every test, the slow ones too
