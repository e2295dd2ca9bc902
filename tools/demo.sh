#!/usr/bin/env bash
# Set up the environment and run the main job on the bundled DEMO data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/geo-trygg demo "$@"
