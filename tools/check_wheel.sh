#!/usr/bin/env bash
# Check that geo_trygg installs like a package: build the sdist and, from it, the wheel; install
# the wheel (not editable) into a fresh virtual environment outside the repository, and there,
# from a folder outside the repository, run `geo-trygg --help` (Swedish and English), `geo-trygg
# demo`, `geo-trygg validate` on a demo file shipped in the package, and a Python session that
# loads the crosswalk and builds a lägesbild.
# Any failure stops the script with a non-zero exit. Called by .ci/run; runs locally too:
#   bash tools/check_wheel.sh                                  # with .venv (tools/setup.sh)
#   PYTHON=/path/to/python3.11 bash tools/check_wheel.sh       # any Python with `build`
# Needs the package index (the build backend and the dependencies are installed from it).
# KEEP=1 keeps the temporary folder (its path is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
# nothing may reach the repository's copy of the package or another data folder
unset PYTHONPATH GEO_TRYGG_BOUNDARIES GEO_TRYGG_ASSETS

TMP="$(mktemp -d "${TMPDIR:-/tmp}/geo_trygg_wheel.XXXXXX")"
case "$TMP" in "$REPO"/*) echo "check_wheel.sh: $TMP is inside the repository" >&2; exit 1 ;; esac
if [ "${KEEP:-}" = 1 ]; then
  echo "check_wheel.sh: keeping $TMP"
else
  trap 'rm -rf "$TMP"' EXIT
fi
step() { echo "check_wheel.sh: [${SECONDS}s] $*"; }

# 1. The files git would commit (tracked and new, not ignored): no stale build output or
#    untracked files of the working tree reach the build.
step "exporting the source tree"
mkdir "$TMP/src"
git ls-files -z --cached --others --exclude-standard \
  | grep -zv '^node_modules' \
  | tar --null --files-from=- --ignore-failed-read -cf - \
  | tar -xf - -C "$TMP/src"

# 2. The sdist, and the wheel built from the sdist (so the sdist is complete too).
step "building the sdist and the wheel"
"$PYTHON" -m build --outdir "$TMP/dist" "$TMP/src" >"$TMP/build.log" 2>&1 \
  || { cat "$TMP/build.log" >&2; exit 1; }
SDIST=$(ls "$TMP"/dist/geo_trygg-*.tar.gz)
WHEEL=$(ls "$TMP"/dist/geo_trygg-*.whl)
echo "  $(basename "$SDIST") $(du -h "$SDIST" | cut -f1), $(basename "$WHEEL") $(du -h "$WHEEL" | cut -f1)"

# 3. A fresh environment outside the repository with the wheel (not editable).
step "installing the wheel into a fresh virtual environment"
"$PYTHON" -m venv "$TMP/venv"
VENV="$TMP/venv/bin"
"$VENV/python" -m pip install --quiet --disable-pip-version-check "$WHEEL"

# 4. Run it from a folder outside the repository.
mkdir "$TMP/work"
cd "$TMP/work"

step "geo-trygg --help, in Swedish and in English (the message catalogue is in the wheel)"
HELP_SV=$("$VENV/geo-trygg" --help)
HELP_EN=$("$VENV/geo-trygg" --lang en build --help)
grep -q "^Användning: geo-trygg \[FLAGGOR\] KOMMANDO" <<<"$HELP_SV"
grep -q "^Usage: geo-trygg build \[OPTIONS\] CONFIG" <<<"$HELP_EN"

step "geo-trygg demo"
"$VENV/geo-trygg" demo --out "$TMP/work/demo_pack" -q
test -f "$TMP/work/demo_pack/index.html"
test -f "$TMP/work/demo_pack/manifest.json"
echo "  $(find "$TMP/work/demo_pack" -type f | wc -l) files in the pack"

step "geo-trygg validate on the shipped demo events"
EVENTS=$("$VENV/python" -c \
  'import importlib.resources as r; print(r.files("geo_trygg") / "data/demo/demo_events.csv")')
case "$EVENTS" in "$TMP/venv/"*) ;; *) echo "demo events not in the venv: $EVENTS" >&2; exit 1 ;; esac
"$VENV/geo-trygg" validate "$EVENTS" --kind events --json >"$TMP/work/validate.json"
"$VENV/python" - "$TMP/work/validate.json" <<'EOF'
import json
import sys

summary = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
assert (summary["n_input"], summary["n_accepted"], summary["n_rejected"]) == (362, 362, 0), summary
print(f"  {summary['n_accepted']} of {summary['n_input']} events accepted")
EOF

step "Python: the crosswalk and a lägesbild on the demo data"
"$VENV/python" - "$TMP" <<'EOF'
import sys
import warnings
from pathlib import Path

import geo_trygg as gt
from geo_trygg.boundaries import crosswalk_mapping, load_crosswalk
from geo_trygg.demo import demo_paths
from geo_trygg.lagesbild import build_lagesbild

tmp = Path(sys.argv[1]).resolve()
package = Path(gt.__file__).resolve().parent
assert package.is_relative_to(tmp / "venv"), f"geo_trygg imported from {package}"

crosswalk = load_crosswalk()
lpo = crosswalk_mapping(crosswalk, child_level="stadsdel", parent_level="lpo", at="2024-06-01")
assert lpo["älvsjö"] == "Globen", lpo["älvsjö"]
print(f"  crosswalk: {len(crosswalk)} rows; ÄLVSJÖ -> LPO {lpo['älvsjö']}")

paths = demo_paths()
assert all(p.resolve().is_relative_to(package / "data" / "demo") for p in paths.values())
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the demo's notes (inferred CRS, rows outside areas ...)
    lb = build_lagesbild(
        gt.read_findings(paths["findings"]).accepted,
        gt.read_events(paths["events"]).accepted,
        areas=gt.read_areas(paths["areas"]).accepted,
        by=("stadsdel", "lpo"),
        period="2024-Q4",
        compare="previous",
    )
rec = lb.reconciliation.set_index(["kind", "level"])
assert rec.loc[("events", "lpo"), "n_in_areas"] == 82, rec
assert rec.loc[("findings", "lpo"), "n_in_areas"] == 25, rec
lb.to_excel(tmp / "work" / "lagesbild.xlsx")
lb.to_html(tmp / "work" / "lagesbild.html")
assert (tmp / "work" / "lagesbild.xlsx").stat().st_size > 0
print(f"  lägesbild 2024-Q4: {len(lb.priorities)} areas ranked, 82 events in the LPOs")
EOF

step "geo-trygg register: a walk into a GeoPackage register, read back"
FINDINGS=$("$VENV/python" -c \
  'import importlib.resources as r; print(r.files("geo_trygg") / "data/demo/demo_findings.csv")')
set +e
"$VENV/geo-trygg" register import "$FINDINGS" --walk "Demo 2024" --register "$TMP/work/r.gpkg"
CODE=$?
set -e
test "$CODE" = 1  # the demo's row without a longitude is rejected on purpose
"$VENV/geo-trygg" register info --register "$TMP/work/r.gpkg" --json >"$TMP/work/register.json"
"$VENV/python" - "$TMP/work/register.json" <<'EOF'
import json
import sys

info = json.load(open(sys.argv[1], encoding="utf-8"))
assert info["counts"]["findings"] == 54, info["counts"]
assert info["walks"][0]["rows"] == 55, info["walks"]
print(f"  register: {info['counts']['findings']} findings from {info['walks'][0]['rows']} rows")
EOF

step "the installed wheel works"
