"""The layers of ``docs/architecture.md`` hold: imports go down, never up, never in a circle.

Every module of ``geo_trygg`` is parsed with :mod:`ast` (nothing is imported) and each of its
``import`` statements — at module level, inside functions and under ``TYPE_CHECKING`` alike —
is checked against the table of floors in ``docs/architecture.md``, which is read here, so the
document and the rule cannot drift apart:

- no module imports a package on a higher floor, nor one beside it on its own floor unless
  the table allows that import;
- no module imports a private module (``_x``) or a private name of another package; the
  top-level base modules (``geo_trygg._errors``, ``_labels``, ``_text``, ``_arrays``,
  ``_data``, ``_validate``) are the shared base and may be imported from everywhere;
- there is no import circle between packages, nor between the modules of one package;
- every module belongs to a floor.

"Package" means a subpackage (``geo_trygg.lagesbild``) or a top-level module
(``geo_trygg.crs``). The root ``geo_trygg/__init__.py`` is the facade: it may re-export from
any floor, and any module may import it (for ``__version__``).

Run against another tree (e.g. ``main`` before a change) with
``python tests/test_architecture.py PATH/TO/geo_trygg``.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "geo_trygg"
DOC = REPO / "docs" / "architecture.md"

ROOT = "geo_trygg"
BASE_PRIVATE = frozenset(
    {"_errors", "_labels", "_text", "_arrays", "_data", "_files", "_validate"}
)
"""Top-level private modules that are the shared base: importable from every package."""


@dataclass(frozen=True)
class Import:
    """One imported module (or one name taken from a module) and where."""

    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    name: str | None  # the name taken from ``target`` (None: a module is imported)
    line: int

    def where(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.module}:{self.line} imports {what}"


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` file under ``root`` (the package)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(root: Path) -> list[Import]:
    """Every import of a ``geo_trygg`` module by a ``geo_trygg`` module under ``root``."""
    mods = modules(root)
    found = []
    for module, path in mods.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == ROOT or alias.name.startswith(ROOT + "."):
                        found.append(Import(module, alias.name, None, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = parts[: len(parts) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target != ROOT and not target.startswith(ROOT + "."):
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in mods:  # ``from geo_trygg.lagesbild import _periods``
                        found.append(Import(module, sub, None, node.lineno))
                    else:
                        found.append(Import(module, target, alias.name, node.lineno))
    return found


def package_of(module: str) -> str:
    """``geo_trygg.lagesbild._build`` → ``lagesbild``; ``geo_trygg.crs`` → ``crs``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


@dataclass(frozen=True)
class Floors:
    """The table of floors: each package's floor, and the imports allowed within a floor."""

    floor: dict[str, int]
    sideways: dict[str, set[str]]  # package → packages of its own floor it may import
    free: set[int]  # floors whose packages may import each other (the base)

    def allowed(self, src: str, dst: str) -> bool:
        """Whether a module of package ``src`` may import package ``dst`` (both placed)."""
        a, b = self.floor[src], self.floor[dst]
        return b < a or (b == a and (a in self.free or dst in self.sideways.get(src, ())))


def _name(span: str) -> str:
    return span.removeprefix(ROOT + ".").removesuffix("/").removesuffix(".py")


def floors(doc: Path = DOC) -> Floors:
    """The table of floors in ``docs/architecture.md``.

    Its rows look like ``| 2 | inputs | `crs`, `io/` | `io/` → `crs` | … |``: the floor's
    number, its name, its packages as code spans, then the imports allowed between packages of
    that floor (``a → b, c`` items separated by ``;``; ``any`` when they may import each other
    freely, ``none`` when they import none of each other).
    """
    floor: dict[str, int] = {}
    sideways: dict[str, set[str]] = defaultdict(set)
    free: set[int] = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].isdigit():
            continue
        number = int(cells[0])
        for span in re.findall(r"`([^`]+)`", cells[2]):
            assert _name(span) not in floor, f"{span} is on two floors of {doc}"
            floor[_name(span)] = number
        if cells[3].lower() == "any":
            free.add(number)
            continue
        for item in cells[3].split(";"):
            names = [_name(span) for span in re.findall(r"`([^`]+)`", item)]
            if names:
                sideways[names[0]].update(names[1:])
    for src, dsts in sideways.items():
        for dst in dsts | {src}:
            assert floor.get(dst) == floor.get(src), f"{src} → {dst} is not within one floor"
    return Floors(floor, dict(sideways), free)


def _private(target: str, name: str | None) -> bool:
    """Whether the import reaches a private module or takes a private name."""
    parts = target.split(".")[1:]
    if parts and parts[0] in BASE_PRIVATE:  # the shared base, but not its private names
        return name is not None and name.startswith("_")
    hidden = any(p.startswith("_") for p in parts)
    return hidden or (name is not None and name.startswith("_"))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def violations(root: Path = PACKAGE, doc: Path = DOC) -> dict[str, list[str]]:
    """Every breach of the rules, by rule; empty lists when the layers hold."""
    table = floors(doc)
    found = imports(root)
    unplaced = sorted({package_of(m) for m in modules(root)} - set(table.floor) - {ROOT})
    upward, private = [], []
    packages: dict[str, set[str]] = defaultdict(set)
    within: dict[str, set[str]] = defaultdict(set)
    for imp in found:
        src, dst = package_of(imp.module), package_of(imp.target)
        if src == dst:
            if imp.module != imp.target:
                within[imp.module].add(imp.target)
            continue
        if src == ROOT or dst == ROOT:  # the facade, and ``import geo_trygg`` for __version__
            if dst == ROOT and imp.name not in (None, "__version__"):
                private.append(imp.where() + " (from the facade: import its module instead)")
            continue
        packages[src].add(dst)
        placed = src in table.floor and dst in table.floor
        if placed and not table.allowed(src, dst):
            a, b = table.floor[src], table.floor[dst]
            where = "above" if b > a else "beside"
            upward.append(f"{imp.where()}: {dst} (floor {b}) {where} {src} (floor {a})")
        if _private(imp.target, imp.name):
            private.append(imp.where())
    return {
        "unplaced": unplaced,
        "upward": sorted(set(upward)),
        "private": sorted(set(private)),
        "package_cycles": [" <-> ".join(c) for c in _cycles(packages)],
        "module_cycles": [" <-> ".join(c) for c in _cycles(within)],
    }


# --- the tests -----------------------------------------------------------------------------


def test_the_table_of_floors_is_read() -> None:
    table = floors()
    f = table.floor
    assert f["_errors"] == f["settings"] == 0
    assert f["periods"] < f["io"] < f["join"] < f["lagesbild"]
    assert f["lagesbild"] == f["hotspots"] == f["followup"]
    assert f["lagesbild"] < f["maps"] < f["pack"] < f["cli"]
    assert table.allowed("lagesbild", "followup")
    assert not table.allowed("followup", "lagesbild")
    assert not table.allowed("hotspots", "lagesbild")
    assert table.allowed("_labels", "settings")


def test_every_module_is_on_a_floor() -> None:
    assert violations()["unplaced"] == []


def test_no_module_imports_a_higher_floor_or_beside_itself() -> None:
    assert violations()["upward"] == []


def test_no_private_module_of_another_package_is_imported() -> None:
    assert violations()["private"] == []


def test_no_import_circles() -> None:
    found = violations()
    assert found["package_cycles"] == []
    assert found["module_cycles"] == []


# names public before the shared layers moved out of the lägesbild: still where they were
LAGESBILD_NAMES = {
    "Lagesbild": "lagesbild",
    "build_lagesbild": "lagesbild",
    "build_lagesbilder": "lagesbild",
    "land_area_km2": "lagesbild",
    "population_by_area": "lagesbild",
    "weekday_hour": "lagesbild",
    "weekly_series": "lagesbild",
    "Period": "periods",
    "comparison_period": "periods",
    "parse_period": "periods",
    "split_period": "periods",
    "WDDResult": "stats",
    "benjamini_hochberg": "stats",
    "change_labels": "stats",
    "change_table": "stats",
    "change_test": "stats",
    "concentration": "stats",
    "generalized_gini": "stats",
    "wdd_counts": "stats",
    "weighted_displacement": "stats",
    "StatusMergeResult": "followup",
    "apply_status_updates": "followup",
    "changes_since": "followup",
    "followup_table": "followup",
    "overdue_findings": "followup",
    "read_status_updates": "io",
}
WRITE_NAMES = ["DANGEROUS_START", "formula_safe", "formula_safe_text", "original_text"]


def test_every_name_stays_importable_where_it_was() -> None:
    import importlib

    lagesbild = importlib.import_module("geo_trygg.lagesbild")
    assert sorted(LAGESBILD_NAMES) == sorted(set(LAGESBILD_NAMES) & set(lagesbild.__all__))
    for name, home in LAGESBILD_NAMES.items():
        new = importlib.import_module(f"{ROOT}.{home}")
        assert getattr(lagesbild, name) is getattr(new, name), name
    write = importlib.import_module("geo_trygg.io.write")
    export = importlib.import_module("geo_trygg.export")
    for name in WRITE_NAMES:
        assert getattr(write, name) is getattr(export, name), name
    assert importlib.import_module("geo_trygg.pack").slug("Älvsjö") == "alvsjo"


def test_the_checker_sees_each_kind_of_breach(tmp_path: Path) -> None:
    """A small tree with one breach of each rule: every one is found, with its line."""
    pkg = tmp_path / ROOT
    for folder in ("", "low", "high"):
        (pkg / folder).mkdir(parents=True, exist_ok=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "_errors.py").write_text("")
    (pkg / "low" / "_a.py").write_text(
        "from geo_trygg._errors import x\nfrom geo_trygg.high import run\n"
    )
    (pkg / "low" / "_b.py").write_text("from geo_trygg.low import _a\n")
    (pkg / "high" / "_c.py").write_text(
        "from geo_trygg.low._a import y\nfrom geo_trygg.low import _hidden\nfrom . import _d\n"
    )
    (pkg / "high" / "_d.py").write_text("def f():\n    from geo_trygg.high import _c\n")
    (pkg / "stray.py").write_text("import geo_trygg\n")
    doc = tmp_path / "architecture.md"
    rows = ["| 0 | base | `_errors` | any |", "| 1 | low | `low/` | none |"]
    doc.write_text("\n".join([*rows, "| 2 | high | `high/` | none |", ""]))
    found = violations(pkg, doc)
    assert found["unplaced"] == ["stray"]
    assert found["upward"] == [
        "geo_trygg.low._a:2 imports geo_trygg.high.run: high (floor 2) above low (floor 1)"
    ]
    assert found["private"] == [
        "geo_trygg.high._c:1 imports geo_trygg.low._a.y",
        "geo_trygg.high._c:2 imports geo_trygg.low._hidden",
    ]
    assert found["package_cycles"] == ["high <-> low"]
    assert found["module_cycles"] == ["geo_trygg.high._c <-> geo_trygg.high._d"]


if __name__ == "__main__":  # python tests/test_architecture.py [PATH/TO/geo_trygg]
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE
    total = 0
    for rule, items in violations(where).items():
        print(f"{rule}: {len(items)}")
        for item in items:
            print(f"  {item}")
        total += len(items)
    sys.exit(1 if total else 0)
