#!/usr/bin/env bash
# Create .venv (Python 3.11) and install geo_trygg with its dev extra; install the map assets
# (the pinned npm packages of package.json, for self-contained maps) with `npm ci` when
# node_modules is missing or older than package-lock.json. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "setup.sh: npm (Node.js) not found, so the map assets were not installed;" \
      "self-contained maps and the browser tests of maps need them." \
      "Install Node.js and run: npm ci (in $(pwd))" >&2
  fi
fi
