"""Codes inside, words at the edges (issue 12, point 4).

The analysis layers return codes, the same in every language, and take no ``lang``;
:mod:`geo_trygg.labels` turns the codes into words for the edges (exports, maps, pack, CLI).

1. No public function of an analysis module has a ``lang`` parameter (read from the source).
2. Each kind of code has the same codes in Swedish and English, and exactly the codes of the
   package that makes them.
3. ``labels.with_words`` on real analysis results gives the words the results used to carry,
   worked out here from the catalogue files themselves (read with :mod:`tomllib`).
"""

from __future__ import annotations

import ast
import importlib.resources
import itertools
import tomllib
import warnings
from pathlib import Path

import pandas as pd
import pytest

import geo_trygg as gt
from geo_trygg import labels, settings
from geo_trygg.demo import demo_paths
from geo_trygg.followup import CHANGE_CODES, changes_since
from geo_trygg.lagesbild import build_lagesbild, weekday_hour
from geo_trygg.lagesbild._priority import (
    REASON_JOIN,
    REASON_NOTHING,
    REASON_TOP,
    STANDARD_INDICATORS,
    prioritize,
)

PACKAGE = Path(str(importlib.resources.files("geo_trygg")))

ANALYSIS_MODULES: list[str] = ["lagesbild", "followup", "periods.py"]
"""Packages (folders) and modules of the analysis layers whose public functions take no
``lang``; each part of the work adds its own."""

PRESENTATION = {("lagesbild/_model.py", "Lagesbild")}
"""Classes whose ``to_*`` methods are presentation (they write words, so take ``lang``)."""

PRESENTATION_MODULES = {
    "lagesbild/_about.py",
    "lagesbild/_planner.py",
    "lagesbild/_survey_words.py",
}
"""Modules of the analysis packages whose whole job is words: the sentences of the
lägesbild's exports (what the data can show; the report's first screen and its planner's
tables; the survey results' and goals' texts and charts), made from its tables."""

WORD_WRAPPERS = {("periods.py", "weekday_names")}
"""Public functions whose whole job was words, kept as thin wrappers around geo_trygg.labels."""


def _catalogue(lang: str) -> dict[str, str]:
    path = PACKAGE / "data" / "messages" / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


SV, EN = _catalogue("sv"), _catalogue("en")


# --- 1. no lang in the analysis layers ---------------------------------------------------------


def _files() -> list[Path]:
    out: list[Path] = []
    for name in ANALYSIS_MODULES:
        path = PACKAGE / name
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def _public_functions(tree: ast.Module) -> list[tuple[str | None, ast.FunctionDef]]:
    """(class or None, function) for every public function and public method of a public
    class at the top of a module."""
    found: list[tuple[str | None, ast.FunctionDef]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            found.append((None, node))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                public = not item.name.startswith("_") if hasattr(item, "name") else False
                if isinstance(item, ast.FunctionDef) and (public or item.name == "__init__"):
                    found.append((node.name, item))
    return found


def _has_lang(function: ast.FunctionDef) -> bool:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return any(a.arg == "lang" for a in every)


def test_the_scan_sees_the_analysis_functions() -> None:
    names = {
        f.name
        for path in _files()
        for _, f in _public_functions(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert {"build_lagesbild", "prioritize", "weekday_hour", "followup_table"} <= names
    assert {"changes_since", "apply_status_updates", "parse_period"} <= names


def test_no_public_analysis_function_takes_lang() -> None:
    offenders = []
    for path in _files():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in PRESENTATION_MODULES:
            continue
        for owner, function in _public_functions(ast.parse(path.read_text(encoding="utf-8"))):
            if not _has_lang(function):
                continue
            if (rel, owner) in PRESENTATION and function.name.startswith("to_"):
                continue
            if owner is None and (rel, function.name) in WORD_WRAPPERS:
                continue
            offenders.append(f"{rel}: {owner + '.' if owner else ''}{function.name}")
    assert offenders == []


def test_lang_is_now_a_type_error() -> None:
    table = pd.DataFrame({"level": "stadsdel", "area": ["A", "B"], "events": [1, 2]})
    with pytest.raises(TypeError, match="lang"):
        prioritize(table, weights={"events": 1}, lang="en")  # type: ignore[call-arg]


# --- 2. every kind: the same codes in both languages, and the package's own codes -------------


def _reason_codes() -> set[str]:
    """Every reason code of the standard indicators, built from the package's constants."""
    parts = [i + top for i in STANDARD_INDICATORS for top in ("", REASON_TOP)]
    pairs = [
        a + REASON_JOIN + b
        for a, b in itertools.permutations(parts, 2)
        if a.removesuffix(REASON_TOP) != b.removesuffix(REASON_TOP)
    ]
    return {REASON_NOTHING, *parts, *pairs}


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("weekday", {str(d) for d in range(7)}),
        ("followup_change", set(CHANGE_CODES)),
        ("reason", _reason_codes()),
    ],
)
def test_kind_has_the_packages_codes_in_both_languages(kind: str, codes: set[str]) -> None:
    sv, en = labels.names(kind, lang="sv"), labels.names(kind, lang="en")
    assert set(sv) == set(en) == codes
    assert all(isinstance(w, str) and w for w in [*sv.values(), *en.values()])


def test_reason_code_form_is_the_same_in_labels_and_the_lagesbild() -> None:
    # 8 indicators (issue 13 added "open", issue 16 "events_per_1000_eb"), each plain or top:
    # 16 single, 16 * 14 ordered pairs of two different indicators, and "none"
    assert len(_reason_codes()) == 1 + 16 + 224
    assert labels.names("reason", lang="sv")[REASON_NOTHING] == (
        "Inget sticker ut jämfört med de andra områdena"
    )


def test_kinds_and_columns_are_registered() -> None:
    assert {"weekday", "followup_change", "reason"} <= set(labels.KINDS)
    assert labels.COLUMNS["weekday"] == ("weekday", "weekday_name")
    assert labels.COLUMNS["reason"] == ("reason", "why")
    # the follow-up's "change" is not a registered column: stats' change tables have a
    # numeric column of that name
    assert "change" not in labels.COLUMNS


# --- 3. with_words on real results: the words the results used to carry ------------------------


def _expected_reason(code: str, catalogue: dict[str, str]) -> str:
    """The sentence of a reason code, put together from the catalogue's sentences."""
    if code == "none":
        text = catalogue["prio_why_nothing"]
    else:
        phrases = []
        for part in code.split("+"):
            top = part.endswith(":top")
            name = part.removesuffix(":top")
            if name in STANDARD_INDICATORS:
                phrases.append(catalogue[f"prio_why_{name}" + ("_top" if top else "")])
            else:
                key = "prio_why_other_top" if top else "prio_why_other"
                phrases.append(catalogue[key].replace("{name}", name))
        text = (
            phrases[0]
            if len(phrases) == 1
            else catalogue["prio_why_and"]
            .replace("{first}", phrases[0])
            .replace("{second}", phrases[1])
        )
    return text[0].upper() + text[1:]


@pytest.fixture(scope="module")
def demo() -> gt.lagesbild.Lagesbild:
    p = demo_paths()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            gt.read_findings(p["findings"]).accepted,
            gt.read_events(p["events"]).accepted,
            areas=gt.read_areas(p["areas"]).accepted,
            by=("stadsdel", "kommun"),
            period="2024",
            compare="previous",
            since="2024-06-01",
            min_coverage=0,  # the DEMO data begin in 2024: compared anyway, for the words
        )


@pytest.mark.parametrize(("lang", "catalogue"), [("sv", SV), ("en", EN)])
def test_priorities_why_from_the_reason(demo, lang: str, catalogue: dict[str, str]) -> None:
    table = demo.priorities
    assert "why" not in table.columns
    assert "reason" in table.columns
    worded = labels.with_words(table, lang=lang)
    assert list(worded.columns) == [*table.columns, "why"]  # right after the code, last
    assert worded["why"].tolist() == [_expected_reason(c, catalogue) for c in table["reason"]]
    assert len(set(table["reason"])) > 1  # the demo names more than one reason


@pytest.mark.parametrize(("lang", "catalogue"), [("sv", SV), ("en", EN)])
def test_weekday_names_from_the_weekday(demo, lang: str, catalogue: dict[str, str]) -> None:
    table = demo.weekday_hour
    assert "weekday_name" not in table.columns
    worded = labels.with_words(table, lang=lang)
    at = list(worded.columns).index("weekday")
    assert list(worded.columns)[at + 1] == "weekday_name"
    expected = [catalogue[f"tp_weekday_{d}"] for d in table["weekday"]]
    assert worded["weekday_name"].tolist() == expected
    assert worded["weekday_name"].iloc[0] == {"sv": "måndag", "en": "Monday"}[lang]


@pytest.mark.parametrize(("lang", "catalogue"), [("sv", SV), ("en", EN)])
def test_followup_change_words(demo, lang: str, catalogue: dict[str, str]) -> None:
    table = demo.changes
    assert len(table)
    assert "change_label" not in table.columns
    words = labels.words(table["change"], "followup_change", lang=lang)
    assert words.tolist() == [catalogue[f"fu_change_{c}"] for c in table["change"]]
    again = changes_since(demo.points("findings"), since="2024-06-01", as_of="2024-12-31")
    assert again["change"].tolist() == table["change"].tolist()


def test_the_exports_show_the_words_of_their_language(demo, tmp_path: Path) -> None:
    demo.to_csv(tmp_path / "en", lang="en")
    demo.to_csv(tmp_path / "sv", lang="sv")
    en = pd.read_csv(tmp_path / "en" / "Priorities.csv", sep=";", encoding="utf-8-sig")
    sv = pd.read_csv(tmp_path / "sv" / "Prioritering.csv", sep=";", encoding="utf-8-sig")
    assert en.columns[-1] == "Why"
    assert sv.columns[-1] == "Varför"
    assert en["Why"].tolist() == [_expected_reason(c, EN) for c in demo.priorities["reason"]]
    assert sv["Varför"].tolist() == [_expected_reason(c, SV) for c in demo.priorities["reason"]]


def test_notes_follow_the_session_language() -> None:
    ev = pd.DataFrame({"time_from": pd.to_datetime([None]).tz_localize("Europe/Stockholm")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with settings.use_lang("en"):
            en = weekday_hour(ev).attrs["notes"]
        sv = weekday_hour(ev).attrs["notes"]
    assert en[-1] == EN["tp_no_events"]
    assert sv[-1] == SV["tp_no_events"]
    assert settings.lang == "sv"


def test_use_lang_restores_on_error_and_checks() -> None:
    with pytest.raises(RuntimeError), settings.use_lang("en"):
        raise RuntimeError
    assert settings.lang == "sv"
    with pytest.raises(ValueError, match="lang='de'"), settings.use_lang("de"):
        pass
    with settings.use_lang(None):
        assert settings.lang == "sv"


def test_the_exports_table_and_column_names_cover_the_lagesbild(demo) -> None:
    for kind in ("lagesbild_table", "lagesbild_column"):
        assert set(labels.names(kind, lang="sv")) == set(labels.names(kind, lang="en"))
    assert set(demo.tables()) <= set(labels.table_names("sv"))
    assert labels.table_names("sv")["priorities"] == SV["lb_table_priorities"] == "Prioritering"
    assert labels.column_names("en")["why"] == EN["lb_column_why"] == "Why"


def _report_cells(path: Path) -> tuple[list[str], list[list[str]]]:
    """Every header and every row of the report's tables, as a reader sees the text."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.headers: list[str] = []
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None
            self.tag = ""

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "tr":
                self.rows.append([])
            if tag in ("th", "td"):
                self.cell, self.tag = [], tag

        def handle_endtag(self, tag: str) -> None:
            if tag in ("th", "td") and self.cell is not None:
                text = "".join(self.cell).strip()
                (self.headers if tag == "th" else self.rows[-1]).append(text)
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.headers, [r for r in parser.rows if r]


@pytest.mark.parametrize(("lang", "catalogue"), [("sv", SV), ("en", EN)])
def test_the_report_shows_words_not_codes(
    demo, tmp_path: Path, lang: str, catalogue: dict[str, str]
) -> None:
    headers, rows = _report_cells(demo.to_html(tmp_path / "r.html", lang=lang))
    cells = {c for row in rows for c in row}
    # the codes of levels, kinds, parts, changes, categories, statuses and actors: none shown
    codes = {"stadsdel", "kommun", "events", "findings", "area", "outside", "too_coarse"}
    codes |= {"no_clear_change", "too_few", "no_data"}  # English says "increase" as its code
    codes |= {"lighting", "litter", "in_progress", "open", "done", "stadsdelsforvaltning"}
    codes |= {"responsible_actor", "severity", "category"}
    assert not codes & cells, codes & cells
    # ... nor a column name a planner does not read
    assert not [h for h in headers if "_" in h], headers
    # the words, from the catalogue and the vocabularies' CSV files
    assert catalogue["map_level_stadsdel"] in cells
    assert catalogue["map_kind_events"] in cells
    assert catalogue["map_kind_findings"] in cells
    assert {"sv": "Belysning", "en": "Lighting"}[lang] in cells
    assert {"sv": "Stadsdelsförvaltning", "en": "District administration"}[lang] in cells
    assert catalogue["lb_column_severity"] in cells  # an area lacks it: "missing" in words


def test_level_and_kind_codes_in_words_and_the_users_own_as_given() -> None:
    from geo_trygg.lagesbild._model import _values_in_words

    frame = pd.DataFrame(
        {
            "level": ["lpo", "stadsdelsomrade_x_lpo", "bydel", "responsible_actor"],
            "kind": ["events", "findings", "counts", "egen"],
        }
    )
    out = _values_in_words(frame, "sv")
    assert out["level"].tolist() == [
        "Lokalpolisområden",
        "Stadsdelsområden × Lokalpolisområden",
        "bydel",  # a level of the user's own: as given
        "Ansvarig",
    ]
    assert out["kind"].tolist() == [
        SV["map_kind_events"],
        SV["map_kind_findings"],
        SV["map_kind_counts"],
        "egen",
    ]
    assert frame["level"].iloc[0] == "lpo"  # the lägesbild's own table keeps its codes


def test_the_printed_report_cuts_no_table(demo, tmp_path: Path, chromium: object) -> None:
    """Printed on A4 landscape (277 mm of content, 1047 CSS px), every table of the report
    fits the page's width: a planner's printout shows every column."""
    from browser import goto, new_page

    report = demo.to_html(tmp_path / "rapport.html", lang="sv")
    page, log = new_page(chromium, width=1047, height=740)
    try:
        goto(page, report)
        page.emulate_media(media="print")
        width = page.evaluate("document.documentElement.clientWidth")
        rights = page.evaluate(
            "[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)"
        )
        assert len(rights) >= 5
        assert max(rights) <= width + 0.5, (max(rights), width)
        assert page.pdf().startswith(b"%PDF")
        assert log.problems() == []
    finally:
        page.context.close()
