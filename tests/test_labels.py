"""The message catalogue: one data file per language, complete, and exactly what the code uses.

``geo_trygg/data/messages/sv.toml`` and ``en.toml`` are read here with :mod:`tomllib` itself,
not through the package's loader. The keys the code uses are found by reading its source:
every ``msg(...)`` call names its key as a literal (or a choice between literals), so the
set is complete without running anything.
"""

from __future__ import annotations

import ast
import importlib.resources
import string
import tomllib
from pathlib import Path

import click
import pytest

from geo_trygg import _labels, cli, labels, settings

PACKAGE = Path(str(importlib.resources.files("geo_trygg")))
FILES = {lang: PACKAGE / "data" / "messages" / f"{lang}.toml" for lang in ("sv", "en")}

UNUSED_ALLOWED: set[str] = set()
"""Keys in the files that no code uses, on purpose (none)."""


def _catalogue(lang: str) -> dict[str, str]:
    return tomllib.loads(FILES[lang].read_text(encoding="utf-8"))


def _placeholders(text: str) -> list[tuple[str, str | None, str]]:
    """The ``{name!conversion:spec}`` fields of a sentence, in order."""
    return [
        (name, conversion, spec)
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    ]


def _literal_keys(node: ast.expr) -> list[str] | None:
    """The keys a ``msg`` argument can name: a literal, or a choice between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_keys(node.body), _literal_keys(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _scan(source: str, where: str) -> tuple[dict[str, str], list[str]]:
    """The keys ``source`` passes to ``msg`` (key -> first place), and the calls whose key
    is not written out (an f-string, a variable, a concatenation, ``msg`` passed around)."""
    tree = ast.parse(source)
    used: dict[str, str] = {}
    problems: list[str] = []
    imported = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "geo_trygg._labels":
            for alias in node.names:
                if alias.name == "msg":
                    imported = True
                    if alias.asname not in (None, "msg"):
                        problems.append(f"{where}:{node.lineno}: msg imported as {alias.asname}")
        elif isinstance(node, ast.FunctionDef) and node.name == "msg":
            imported = True  # the loader itself: its own examples use msg
    if not imported:
        return used, problems
    called: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id != "msg":
                continue
            called.add(id(node.func))
            first = node.args[0] if node.args else None
            keys = _literal_keys(first) if first is not None else None
            if keys is None:
                shown = ast.unparse(first) if first is not None else "(no key)"
                problems.append(f"{where}:{node.lineno}: msg({shown}, …)")
                continue
            for key in keys:
                used.setdefault(key, f"{where}:{node.lineno}")
    loose = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "msg" and isinstance(node.ctx, ast.Load)
    ]
    problems += [f"{where}:{n.lineno}: msg used as a value" for n in loose if id(n) not in called]
    return used, problems


COMPOSED_CALL = "msg(prefix + code, …)"
"""The one call whose key is not written out: ``labels._kind`` gives each code of a kind the
key prefix + code, and the kinds' prefixes and codes are written out in ``labels._KIND_KEYS``."""


def _package_keys() -> tuple[dict[str, str], list[str]]:
    used: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        found, wrong = _scan(path.read_text(encoding="utf-8"), where)
        for key, place in found.items():
            used.setdefault(key, place)
        problems += [
            w for w in wrong if not (where == "labels.py" and w.endswith(f": {COMPOSED_CALL}"))
        ]
    for kind, (prefix, codes) in labels._KIND_KEYS.items():
        for code in codes:
            used.setdefault(prefix + code, f"labels.py: kind {kind}")
    return used, problems


def test_the_composed_keys_are_exactly_the_kinds_codes() -> None:
    """Each kind's words function gives its codes' sentences, read from the files directly."""
    sv = _catalogue("sv")
    assert set(labels._KIND_KEYS) >= {"level", "change", "lagesbild_column", "weekday"}
    for kind, (prefix, codes) in labels._KIND_KEYS.items():
        assert labels.names(kind, lang="sv") == {c: sv[prefix + c] for c in codes}, kind
    used, problems = _package_keys()
    assert "stats_change_too_few" in used
    assert not [p for p in problems if p.startswith("labels.py")]


def test_every_key_is_in_both_languages_with_the_same_placeholders() -> None:
    sv, en = _catalogue("sv"), _catalogue("en")
    assert len(sv) > 400
    assert sorted(sv) == sorted(en)
    for key in sv:
        for lang, text in (("sv", sv[key]), ("en", en[key])):
            assert isinstance(text, str), (lang, key)
            assert text.strip(), (lang, key)
        assert _placeholders(sv[key]) == _placeholders(en[key]), key
        if not _placeholders(sv[key]):  # shown as written: no {{ }} escapes to undo
            assert "{{" not in sv[key] + en[key], key
            assert "}}" not in sv[key] + en[key], key


def test_the_loader_gives_the_files_text() -> None:
    sv, en = _catalogue("sv"), _catalogue("en")
    for key in sv:
        if not _placeholders(sv[key]):
            assert _labels.msg(key, "sv") == sv[key]
            assert _labels.msg(key, "en") == en[key]
    assert _labels.msg("io_file_missing", "en", path="a.csv") == "the file does not exist: a.csv"
    assert _labels.msg("io_file_missing", "de", path="a.csv") == "filen finns inte: a.csv"
    previous = settings.lang
    try:
        settings.lang = "en"
        assert _labels.msg("cli_interrupted") == "Interrupted."
    finally:
        settings.lang = previous
    with pytest.raises(KeyError):
        _labels.msg("no_such_key")
    # the whole catalogue, as notebooks knew it
    assert _labels.MESSAGES["cli_interrupted"] == {"sv": "Avbrutet.", "en": "Interrupted."}


def test_every_key_the_code_uses_exists_and_every_key_is_used() -> None:
    used, problems = _package_keys()
    assert problems == []
    catalogue = _catalogue("sv")
    missing = {key: place for key, place in used.items() if key not in catalogue}
    assert missing == {}
    assert sorted(set(catalogue) - set(used)) == sorted(UNUSED_ALLOWED)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('from geo_trygg._labels import msg\nmsg(f"a_{x}")\n', "msg(f'a_{x}', …)"),
        ("from geo_trygg._labels import msg\nk = 'a'\nmsg(k, 'sv')\n", "msg(k, …)"),
        ("from geo_trygg._labels import msg\nmsg('a_' + x)\n", "msg('a_' + x, …)"),
        ("from geo_trygg._labels import msg\nlist(map(msg, keys))\n", "msg used as a value"),
        ("from geo_trygg._labels import msg as m\nm('a')\n", "msg imported as m"),
    ],
)
def test_the_scan_refuses_keys_that_are_not_written_out(source: str, problem: str) -> None:
    _, problems = _scan(source, "x.py")
    assert len(problems) == 1
    assert problems[0].endswith(problem)


def test_the_scan_reads_literals_and_choices() -> None:
    source = (
        "from geo_trygg._labels import msg\n"
        "msg('a', lang)\n"
        "msg('b' if x else 'c', n=1)\n"
        "words = {'x': msg('d')}\n"
        "later = lambda: msg('e')\n"
    )
    used, problems = _scan(source, "x.py")
    assert problems == []
    assert sorted(used) == ["a", "b", "c", "d", "e"]


def _click_messages() -> set[str]:
    """Every text click marks for translation (``_("…")``, ``ngettext("…", "…", n)``)."""
    found = set()
    for name in cli._CLICK_MODULES:
        path = Path(click.__file__).parent / f"{name.split('.')[1]}.py"
        source = path.read_text(encoding="utf-8")
        if 'extra["required"] = "required"' in source:  # shown as _(extra["required"])
            found.add("required")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("_", "ngettext"):
                found.update(
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                )
    return found


def test_clicks_words_are_clicks_own_texts_in_english() -> None:
    english = cli._click_texts("en")
    swedish = cli._click_texts("sv")
    assert english == {text: text for text in english}  # the English is click's, to the letter
    assert set(english) <= _click_messages()  # and click still writes each of them
    for text, words in swedish.items():
        assert _placeholders(words) == _placeholders(text), text
    assert swedish["Usage:"] == "Användning:"
    assert swedish["Missing option"] == "Saknar flaggan"
