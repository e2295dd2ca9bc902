"""An area's ``lagesbild.html`` serves a planner first (issue 14, point 2).

The title names the area, its level and the period; the first screen (1366×768) holds a short
summary in words (what changed, overdue measures by actor, what the data can show) and the
map picture; the tables a meeting uses follow, in words, counts as integers, shares in percent,
no negative zero, no "∞"; everything else is in a collapsed section for analysts (not printed)
and in the Excel file, which keeps the codes beside the words. Printed on A4 every table fits
the page and nothing scrolls; the internal pack's pages pass axe-core's WCAG 2.1 AA rules.

Expected values are computed here from the lägesbild's own tables (codes) and the vocabularies,
not read from the page's code.
"""

from __future__ import annotations

import re
import struct
import tomllib
import warnings
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

import geo_trygg as gt
from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE, demo_paths
from geo_trygg.export import write_html
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.vocab.findings import label as finding_label

REPO = Path(__file__).resolve().parents[1]
MESSAGES = REPO / "geo_trygg" / "data" / "messages"
SV = tomllib.loads((MESSAGES / "sv.toml").read_text(encoding="utf-8"))
EN = tomllib.loads((MESSAGES / "en.toml").read_text(encoding="utf-8"))
AREA = "Hägersten-Älvsjö"


@pytest.fixture(scope="module")
def whole():
    p = demo_paths()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            gt.read_findings(p["findings"]).accepted,
            gt.read_events(p["events"]).accepted,
            areas=gt.read_areas(p["areas"]).accepted,
            by=["stadsdelsomrade", "lpo"],
            period="2024-Q4",
            compare="2024-Q3",
        )


@pytest.fixture(scope="module")
def own(whole):
    return whole.for_area("stadsdelsomrade", AREA)


class _Page(HTMLParser):
    """The page's text outside and inside the analysts' section, and its tables (headers and
    rows as a reader sees them), by section id."""

    def __init__(self) -> None:
        super().__init__()
        self.main: list[str] = []
        self.analyst: list[str] = []
        self.tables: dict[str, dict[str, list]] = {}
        self.section: str | None = None
        self.in_details = False
        self.details_open: bool | None = None
        self.cell: list[str] | None = None
        self.style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "style":
            self.style = True
        if tag == "details":
            self.in_details = True
            self.details_open = "open" in a
        if tag == "section" and a.get("id"):
            self.section = a["id"]
        if tag == "table" and self.section:
            self.tables[self.section] = {"headers": [], "rows": []}
        if tag == "tr" and self.section in self.tables:
            self.tables[self.section]["rows"].append([])
        if tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.style = False
        if tag == "details":
            self.in_details = False
        if tag in ("th", "td") and self.cell is not None and self.section in self.tables:
            text = "".join(self.cell).strip()
            table = self.tables[self.section]
            (table["headers"] if tag == "th" else table["rows"][-1]).append(text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.style:
            return
        (self.analyst if self.in_details else self.main).append(data)
        if self.cell is not None:
            self.cell.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _named_tables(path: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Main tables by their heading (``<h2>`` of a ``t<i>`` section)."""
    text = path.read_text(encoding="utf-8")
    page = _parse(path)
    out = {}
    for key, name in re.findall(r'<section id="(t\d+)">\s*<h2>(.*?)</h2>', text):
        table = page.tables.get(key)
        if table is not None:
            out[name] = (table["headers"], [r for r in table["rows"] if r])
    return out


def _png(path: Path, width: int = 160, height: int = 100) -> None:
    """A plain grey PNG (stands in for the pack's karta.png)."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- the title, the first screen's summary -----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", "Lägesbild Hägersten-Älvsjö (stadsdelsområde), 2024-Q4 jämfört med 2024-Q3"),
        (
            "en",
            "Situation picture Hägersten-Älvsjö (district area), 2024-Q4 compared with 2024-Q3",
        ),
    ],
)
def test_the_title_names_area_level_and_period(own, tmp_path: Path, lang, expected) -> None:
    text = own.to_html(tmp_path / "r.html", lang=lang).read_text(encoding="utf-8")
    assert f"<title>{expected}</title>" in text
    assert f"<h1>{expected}</h1>" in text


def test_the_summary_says_what_changed_and_overdue_by_actor(own, tmp_path: Path) -> None:
    path = own.to_html(tmp_path / "r.html", lang="sv")
    text = " ".join(" ".join(_parse(path).main).split())
    totals = own.totals[own.totals["bucket"] == "area"].set_index("kind")
    events = totals.loc["events"]
    change = SV[f"stats_change_{events['change_code']}"]
    assert (
        f"Händelser i {AREA}: {int(events['n'])} i perioden, {int(events['n_compare'])} "
        f"i jämförelseperioden – {change}." in text
    )
    findings = totals.loc["findings"]
    assert (
        f"Fynd (trygghetsvandring) i {AREA}: {int(findings['n'])} i perioden – "
        f"{SV['stats_change_not_tested']}." in text
    )
    # the categories: those that clearly changed, or a sentence that none did
    cats = own.areas[(own.areas["kind"] == "events") & (own.areas["bucket"] == "area")]
    if cats["change_code"].isin(["increase", "decrease"]).any():  # pragma: no cover - demo
        assert f"Per kategori i {AREA}:" in text
    else:
        assert f"Ingen kategori i {AREA} har ökat eller minskat säkert." in text
    # the overdue measures by responsible actor: counted here from the codes
    counts = Counter(own.overdue["responsible_actor"])
    assert sum(counts.values()) == len(own.overdue) > 0
    assert f"Totalt {len(own.overdue)} åtgärder har passerat sitt senaste datum." in text
    for code, n in counts.items():
        assert f"{finding_label(code, 'sv', kind='actor')}: {n}" in text
    # the coverage and placement sentences follow (to_summary)
    for line in own.to_summary("sv"):
        assert " ".join(line.split()) in text


def test_a_comparison_that_cannot_be_judged_says_why(whole, tmp_path: Path) -> None:
    from geo_trygg.lagesbild._planner import what_changed

    totals = whole.totals.copy()
    totals["change_code"] = np.where(
        totals["kind"] == "events", "not_comparable", totals["change_code"]
    )
    whole_copy = type(whole)(**{**whole.__dict__, "totals": totals})
    own = whole_copy.for_area("lpo", "Globen")
    lines = what_changed(own, own.to_words("sv"), "sv")
    first = next(x for x in lines if x.startswith("Händelser i Globen"))
    assert first.endswith(f"– {SV['stats_change_not_comparable']}.")
    assert not any("Per kategori" in x or "Ingen kategori" in x for x in lines)
    # an area with too few events to judge says so, and says nothing of its categories
    few = whole.for_area("lpo", "Skärholmen")
    code = few.totals.set_index("kind").loc["events", "change_code"]
    assert code == "too_few"  # the demo has no events there
    lines = what_changed(few, few.to_words("en"), "en")
    too_few = EN["stats_change_too_few"]
    assert lines[0] == (
        f"Events in Skärholmen: 0 in the period, 0 in the comparison period – {too_few}."
    )
    assert not any("categor" in x for x in lines)


def test_many_areas_are_named_per_change() -> None:
    from types import SimpleNamespace

    from geo_trygg.lagesbild._planner import what_changed

    codes = ["increase", "no_clear_change", "increase", "no_clear_change", "too_few"]
    codes += ["decrease"] + ["no_clear_change"] * 9
    names = [f"Område {i:02d}" for i in range(len(codes))]
    totals = pd.DataFrame(
        {
            "kind": "events",
            "level": "stadsdel",
            "bucket": "area",
            "area": names,
            "n": 5.0,
            "n_compare": 4.0,
            "change_code": codes,
        }
    )
    said = totals.assign(change_label=[SV[f"stats_change_{c}"] for c in codes])
    lb = SimpleNamespace(totals=totals, compare=object(), areas=None)
    lines = what_changed(lb, {"totals": said}, "sv")
    unclear = [n for n, c in zip(names, codes, strict=True) if c == "no_clear_change"]
    assert lines == [
        "Stadsdelar, ökning: Område 00, Område 02.",
        "Stadsdelar, minskning: Område 05.",
        "Stadsdelar, för få händelser för att säga: Område 04.",
        f"Stadsdelar, ingen säker förändring: {', '.join(unclear[:8])} och 3 till.",
    ]


def test_many_areas_without_a_comparison_say_no_change_and_the_page_is_written(
    tmp_path: Path,
) -> None:
    p = demo_paths()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            events=gt.read_events(p["events"]).accepted,
            areas=gt.read_areas(p["areas"]).accepted,
            by="stadsdel",
            period="2024-Q4",
            compare=None,
        )
    assert (lb.totals["bucket"] == "area").sum() > 3  # named per change, were it compared
    # no comparison, so no change to name (this raised KeyError: 'change_code' before)
    assert not [line for line in _what(lb) if "ökning" in line or "minskning" in line]
    page = lb.to_html(tmp_path / "lb.html").read_text(encoding="utf-8")
    assert "<h1>" in page


def _what(lb) -> list[str]:
    from geo_trygg.lagesbild._planner import what_changed

    return what_changed(lb, lb.to_words("sv"), "sv")


# --- the tables: words, integers, percent, the overdue list --------------------------------------


def test_the_overdue_table_holds_what_a_meeting_uses(own, tmp_path: Path) -> None:
    path = own.to_html(tmp_path / "r.html", lang="sv")
    tables = _named_tables(path)
    headers, rows = tables["Försenade åtgärder"]
    assert headers == [
        "Fynd-id",
        "Plats",
        "Kategori",
        "Beskrivning",
        "Ansvarig",
        "Åtgärdas senast",
        "Dagar försenad",
        "Status",
    ]
    overdue = own.overdue.reset_index(drop=True)
    assert len(rows) == len(overdue)
    to_wgs = Transformer.from_crs(3006, 4326, always_xy=True)
    for row, finding in zip(rows, overdue.itertuples(), strict=True):
        lon, lat = to_wgs.transform(finding.geometry.x, finding.geometry.y)
        assert row == [
            finding.finding_id,
            f"{lat:.5f}° N, {lon:.5f}° E",
            finding_label(finding.category, "sv", kind="category"),
            finding.description,
            finding_label(finding.responsible_actor, "sv", kind="actor"),
            pd.Timestamp(finding.deadline).strftime("%Y-%m-%d"),
            str(int(finding.days_overdue)),
            finding_label(finding.status, "sv", kind="status"),
        ]


def test_the_planner_tables_show_integers_percent_and_words(own, tmp_path: Path) -> None:
    path = own.to_html(tmp_path / "r.html", lang="sv")
    page = _parse(path)
    main = "".join(page.main)
    tables = _named_tables(path)
    # the follow-up: counts as integers, the share done in percent, no "Totalrad"
    headers, rows = tables["Åtgärdsuppföljning"]
    row = dict(zip(headers, rows[0], strict=True))
    fu = own.followup.iloc[0]
    assert row["Antal fynd"] == str(int(fu["n_total"]))
    assert row["Andel åtgärdade"] == f"{round(100 * fu['n_done'] / fu['n_total'])} %"
    assert row["Mediandagar till åtgärd"] == str(int(fu["median_days_to_done"]))
    assert "Totalrad" not in headers
    # the priority row: the count of events as an integer
    headers, rows = tables["Prioritering"]
    assert dict(zip(headers, rows[0], strict=True))["Händelser"] == str(
        int(own.priorities["events"].iloc[0])
    )
    # nothing a planner need not read in the main part
    for word in ("∞", "p-värde", "Förväntat", "Kvot", "Totalrad", "Jämförbar"):
        assert word not in main, word
    assert not re.search(r"(?<![\w-])-0(,0+)?(?![\d,])", main)
    for _, rows in tables.values():
        cells = {c for r in rows for c in r}
        assert not cells & {"nej", "ja", "False", "True", "events", "findings", "area"}
    # the walk findings are not compared: their comparison count is left empty
    headers, rows = tables["Områden"]
    findings = next(r for r in rows if r[0] == SV["map_kind_findings"])
    assert dict(zip(headers, findings, strict=True))["Antal jämförelseperiod"] == ""


def test_the_analysts_section_is_collapsed_and_complete(own, tmp_path: Path) -> None:
    path = own.to_html(tmp_path / "r.html", lang="sv")
    page = _parse(path)
    assert page.details_open is False  # collapsed
    analyst = "".join(page.analyst)
    assert SV["export_analyst_heading"] in analyst
    for header in ("p-värde", "Förväntat", "Kvot", "Vandring", "Lokalpolisområden"):
        assert header in analyst, header
    text = path.read_text(encoding="utf-8")
    assert text.index('id="about"') < text.index("<details")
    assert text.index('id="t1"') < text.index("<details")  # the planner's tables first


def test_the_excel_file_keeps_the_codes_beside_the_words(own, tmp_path: Path) -> None:
    path = own.to_excel(tmp_path / "lb.xlsx", lang="sv")
    overdue = pd.read_excel(path, sheet_name="Försenade åtgärder")
    assert overdue["Kategori (kod)"].tolist() == own.overdue["category"].tolist()
    assert overdue["Ansvarig (kod)"].tolist() == own.overdue["responsible_actor"].tolist()
    assert overdue["Status (kod)"].tolist() == own.overdue["status"].tolist()
    assert overdue["Kategori"].tolist() == [
        finding_label(c, "sv", kind="category") for c in own.overdue["category"]
    ]
    columns = list(overdue.columns)
    assert columns.index("Kategori (kod)") == columns.index("Kategori") + 1
    # every column of the table is there (the join columns too)
    assert "Lokalpolisområden" in columns
    totals = pd.read_excel(path, sheet_name="Områden")
    assert totals["Underlag (kod)"].tolist() == own.totals["kind"].tolist()
    assert totals["Nivå (kod)"].tolist() == own.totals["level"].tolist()


# --- write_html: the display rules, the picture, the links ---------------------------------------


def test_write_html_display_rules(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "name": ["<b>A</b>", "B"],
            "n": [41.0, 3.0],
            "share_done": [0.16, 0.999],
            "change": [-0.0, 2.5],
            "rate_ratio": [np.inf, 1.25],
        }
    )
    path = write_html(
        {"T": table},
        tmp_path / "r.html",
        title="T",
        lang="sv",
        overview=[("I korthet", ["<i>x</i> ändrades"])],
        picture="karta.png",
        picture_alt="Karta över <A>",
        analyst={"Allt": table},
        nav=[("Startsida", "../../index.html")],
    )
    text = path.read_text(encoding="utf-8")
    page = _parse(path)
    rows = [r for r in page.tables["t1"]["rows"] if r]
    assert rows[0] == ["<b>A</b>", "41", "16 %", "0,0", "–"]
    assert rows[1] == ["B", "3", "99,9 %", "2,5", "1,2"]
    assert SV["export_infinite_note"] in text
    assert "∞" not in text
    assert '<img src="karta.png" alt="Karta över &lt;A&gt;">' in text
    assert "<li>&lt;i&gt;x&lt;/i&gt; ändrades</li>" in text
    assert '<a href="../../index.html">Startsida</a>' in text
    assert "<td>&lt;b&gt;A&lt;/b&gt;</td>" in text
    assert page.details_open is False
    again = write_html(
        {"T": table},
        tmp_path / "s.html",
        title="T",
        lang="sv",
        overview=[("I korthet", ["<i>x</i> ändrades"])],
        picture="karta.png",
        picture_alt="Karta över <A>",
        analyst={"Allt": table},
        nav=[("Startsida", "../../index.html")],
    )
    assert again.read_bytes() == path.read_bytes()  # deterministic
    en = write_html({"T": table}, tmp_path / "e.html", title="T", lang="en")
    assert "16%" in en.read_text(encoding="utf-8")


# --- in a browser: the first screen, print, WCAG -------------------------------------------------


@pytest.fixture(scope="module")
def page_with_picture(own, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("planner")
    _png(folder / "karta.png", 1600, 1000)
    return own.to_html(
        folder / "lagesbild.html",
        lang="sv",
        classification="Intern",
        picture="karta.png",
        nav=[("Startsida", "../../index.html"), ("Karta", "karta.html")],
    )


def test_the_first_screen_holds_the_summary_and_the_picture(
    page_with_picture: Path, chromium: object
) -> None:
    from browser import goto, new_page

    page, log = new_page(chromium, width=1366, height=768)
    try:
        goto(page, page_with_picture)
        boxes = page.evaluate(
            """() => ['#overview1', '#overview2', '#about', 'figure.picture img'].map((s) => {
              const e = document.querySelector(s); if (!e) return null;
              const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.width]; })"""
        )
        assert None not in boxes, boxes
        for top, bottom, width in boxes:
            assert top >= 0, boxes
            assert bottom <= 768, boxes
            assert width > 0, boxes
        assert page.evaluate("document.querySelector('figure.picture img').naturalWidth") == 1600
        # the planner's tables fit the screen's width: nothing to scroll sideways
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main > section .wrap')]
              .filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.parentNode.id)"""
        )
        assert wide == []
        assert log.problems() == []
    finally:
        page.context.close()


_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('table')]
    .filter((t) => t.getClientRects().length > 0)
    .map((t) => [t.closest('section').id, t.getBoundingClientRect().right]);
  const scrolls = [...document.querySelectorAll('*')].filter((e) => {
    const s = getComputedStyle(e);
    return ['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1
      || ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
  }).map((e) => e.tagName + '.' + e.className);
  const details = [...document.querySelectorAll('details')]
    .map((d) => getComputedStyle(d).display);
  return {width, tables, scrolls, details};
}"""


def test_printed_on_a4_every_table_fits_and_nothing_scrolls(
    page_with_picture: Path, chromium: object, tmp_path: Path
) -> None:
    """A4 landscape with 10 mm margins: 277 mm × 190 mm of content, 1047 × 718 CSS px."""
    from browser import goto, new_page

    page, log = new_page(chromium, width=1047, height=718)
    try:
        goto(page, page_with_picture)
        page.emulate_media(media="print")
        found = page.evaluate(_WIDE)
        assert len(found["tables"]) >= 5
        too_wide = [(s, r) for s, r in found["tables"] if r > found["width"] + 0.5]
        assert too_wide == [], (too_wide, found["width"])
        assert found["scrolls"] == []
        assert found["details"] == ["none"]  # the analysts' tables are not printed
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert pdf.startswith(b"%PDF")
        (tmp_path / "lagesbild.pdf").write_bytes(pdf)
        # the page size the print stylesheet asks for: A4 landscape (842 × 595 pt)
        sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
        assert sizes, "no page size in the PDF"
        for w, h in sizes:
            assert abs(float(w) - 842) < 2, sizes
            assert abs(float(h) - 595) < 2, sizes
        assert log.problems() == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def internal_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geo_trygg.pack import build_pack, load_config

    tmp = tmp_path_factory.mktemp("internal_wcag")
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('privacy = "internal"', 'privacy = "internal"\npng = false')
    path = tmp / "pack.toml"
    path.write_text(text, encoding="utf-8")
    config, base = load_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, tmp / "paket")
    assert not result.failed
    return tmp / "paket"


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "andringar.html",
        "stadsdelsomrade/hagersten-alvsjo/lagesbild.html",
        "lpo/globen/lagesbild.html",
        "atgardslistor/trafikkontoret.html",
        "a page with its picture",
    ],
)
def test_internal_pages_pass_axe_wcag_21_aa(
    internal_pack: Path, page_with_picture: Path, chromium: object, name: str
) -> None:
    from browser import axe_violations, new_page

    path = page_with_picture if name == "a page with its picture" else internal_pack / name
    page, log = new_page(chromium, width=1366, height=768)
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == "sv"
        violations = axe_violations(page)
        assert violations == [], violations
        if path.name == "lagesbild.html":  # open the analysts' section: checked too
            page.evaluate("document.querySelector('details').open = true")
            assert axe_violations(page) == []
        assert log.problems() == []
    finally:
        page.context.close()


def test_the_pack_page_links_back_and_shows_its_picture(internal_pack: Path) -> None:
    text = (internal_pack / "lpo" / "globen" / "lagesbild.html").read_text(encoding="utf-8")
    nav = re.search(
        r'<nav class="gt-links" aria-label="Navigering"><ul>(.*?)</ul></nav>', text, re.S
    )
    assert nav is not None
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1)) == [
        ("../../index.html", "Startsida"),
        ("karta.html", "Karta"),
        ("lagesbild.xlsx", "Excel"),
    ]
    assert "<img " not in text  # png = false: no picture to show


def test_a_pack_with_pictures_shows_karta_png_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``png = true`` the page shows the map picture (the PNG itself made here without a
    browser: the pack's screenshot step is replaced by a plain picture)."""
    from contextlib import nullcontext

    import geo_trygg.pack._pages as pages
    from geo_trygg.pack import build_pack, load_config

    monkeypatch.setattr(pages, "keep_browser", nullcontext)
    monkeypatch.setattr(pages, "_png", lambda m, page: _png(page / "karta.png"))
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('privacy = "internal"', 'privacy = "internal"\npng = true')
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    config, base = load_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, tmp_path / "paket", jobs=1)
    assert not result.failed
    page = tmp_path / "paket" / "lpo" / "globen"
    assert (page / "karta.png").is_file()
    html = (page / "lagesbild.html").read_text(encoding="utf-8")
    alt = SV["lb_picture_alt_area"].format(area="Globen", period="2024-Q4")
    assert f'<img src="karta.png" alt="{alt}">' in html
