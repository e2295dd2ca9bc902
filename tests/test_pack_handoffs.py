"""Typed hand-offs in the pack (the parsed period, the inputs read once, the pages' frozen
context) and the readers' notes and warnings that reach the pack: the index's section
"Antaganden och varningar" and ``manifest.json``'s ``notes``."""

from __future__ import annotations

import dataclasses
import json
import warnings
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo_trygg.demo import DEMO_DIR
from geo_trygg.pack import build_pack, load_config
from geo_trygg.periods import Period, parse_period

HOSTILE = "<script>alert(1)<script>{{7*7}}"
"""A file name (no ``/`` in a file name) that a reader's note quotes."""

# Three events in LPO Botkyrka (Fittja centrum) and three in LPO Globen (Älvsjö centrum), in
# 2024-Q4, WGS 84 with no CRS given; two of them with latitude and longitude swapped, one far
# outside every area (Uppsala), and every id missing (ids are made from the file name).
_ROWS = [
    ("2024-10-03 21:10", "Brand i soprum", "59,247883", "17,861568"),
    ("2024-10-09 22:15", "Skadegörelse", "17,861600", "59,247900"),  # swapped
    ("2024-11-12 20:05", "Bråk", "59,247800", "17,861500"),
    ("2024-11-14 19:00", "Stenkastning", "59,276977", "17,995328"),
    ("2024-12-01 18:30", "Skadegörelse", "18,006422", "59,280207"),  # swapped
    ("2024-12-02 17:45", "Bråk", "59,277511", "18,010180"),
    ("2024-12-05 23:00", "Bråk", "59,858600", "17,638900"),  # Uppsala: in no area
]
N_SWAPPED = 2
N_OUTSIDE = 1


def _write_config(folder: Path, events: str, areas: str, *, extra: str = "") -> Path:
    path = folder / "pack.toml"
    path.write_text(
        f"""{extra}
period = "2024-Q4"
pages = ["lpo"]
png = false
[inputs]
events = "{events}"
areas = [{{ path = "{areas}" }}]
""",
        encoding="utf-8",
    )
    return path


def _messy(folder: Path, *, extra: str = "") -> Path:
    """A configuration whose events need an inferred CRS, have swapped coordinates and a
    point in no area, in a file whose name is hostile text."""
    lines = ["id;tid_fran;typ;kalla;text;lat;lon"]
    for time, kind, a, b in _ROWS:
        lines.append(f";{time};{kind};Polisen;{kind}.;{a};{b}")
    name = f"{HOSTILE}.csv"
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    areas = (DEMO_DIR / "demo_areas.geojson").as_posix()
    return _write_config(folder, name, areas, extra=extra)


def _clean(folder: Path) -> Path:
    """Events in a GeoJSON file in EPSG:3006 with their ids, all inside the one area."""
    square = shapely.box(670_000, 6_570_000, 672_000, 6_572_000)
    gpd.GeoDataFrame(
        {"area_id": ["R1"], "name": ["Rutan"], "level": ["lpo"]},
        geometry=[square],
        crs="EPSG:3006",
    ).to_file(folder / "areas.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {
            "event_id": ["E1", "E2", "E3"],
            "time_from": ["2024-10-03T21:10:00", "2024-11-12T20:05:00", "2024-12-02T17:45:00"],
            "source_type": ["Brand", "Bråk", "Bråk"],
            "source": ["polisen", "polisen", "polisen"],
        },
        geometry=shapely.points(
            [(670_500, 6_570_500), (671_000, 6_571_000), (671_500, 6_571_200)]
        ),
        crs="EPSG:3006",
    ).to_file(folder / "events.geojson", driver="GeoJSON")
    # events of 2024-Q4 only: compared with Q3 they would rightly be noted as not comparable
    return _write_config(folder, "events.geojson", "areas.geojson", extra='compare = "none"')


class _Section(HTMLParser):
    """The heading and the texts of the list items and paragraphs of the index's section
    ``#antaganden``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside the section
        self.heading: list[str] = []
        self.items: list[str] = []
        self.paragraphs: list[str] = []
        self._into: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("id", "antaganden") in attrs:
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        elif self.depth and tag in ("h2", "li", "p"):
            self._into = {"h2": self.heading, "li": self.items, "p": self.paragraphs}[tag]
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "section":
            self.depth -= 1
        elif self._into is not None and tag in ("h2", "li", "p"):
            self._into.append(" ".join("".join(self._text).split()))
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._text.append(data)


def _section(index: Path) -> _Section:
    parser = _Section()
    parser.feed(index.read_text(encoding="utf-8"))
    return parser


def _build(config_path: Path, out: Path) -> None:
    config, base = load_config(config_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing of the data goes to the screen any more
        build_pack(config, base, out)


@pytest.fixture(scope="module")
def messy_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("messy")
    out = folder / "paket"
    _build(_messy(folder), out)
    return out


def test_the_configuration_holds_the_parsed_period(tmp_path: Path) -> None:
    config, _ = load_config(_messy(tmp_path))
    assert isinstance(config.period, Period)
    assert (config.period.start.isoformat(), config.period.end.isoformat()) == (
        "2024-10-01",
        "2025-01-01",
    )
    assert config.period == parse_period("2024-Q4")
    assert json.loads(config.model_dump_json())["period"] == "2024-Q4"  # written as its label


def test_the_page_context_is_frozen(tmp_path: Path) -> None:
    from geo_trygg.pack._pages import PageContext

    config, _ = load_config(_messy(tmp_path))
    context = PageContext(
        config=config,
        lb=None,
        places=None,
        folder=tmp_path,
        target=tmp_path,
        previous={},
        public=None,
        folders={},
        parent=1,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.folder = tmp_path / "other"  # type: ignore[misc]


def test_reading_returns_one_typed_inputs_object(tmp_path: Path) -> None:
    from geo_trygg.pack._build import PackInputs, _read

    config, base = load_config(_messy(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the readers' warnings are captured, not shown
        inputs = _read(config, base)
    assert isinstance(inputs, PackInputs)
    assert inputs.events is not None
    assert len(inputs.events) == len(_ROWS)
    assert inputs.findings is None
    assert inputs.places is None
    assert int(inputs.events["coords_swapped"].sum()) == N_SWAPPED
    assert {n.source for n in inputs.notes} == {"inputs.events", "inputs.areas[0]"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.notes = ()  # type: ignore[misc]


def test_the_index_lists_the_assumptions_and_warnings(messy_pack: Path) -> None:
    section = _section(messy_pack / "index.html")
    assert section.heading == ["Antaganden och varningar"]
    items = section.items
    prefix = "Händelser (inputs.events): "
    events = [t.removeprefix(prefix) for t in items if t.startswith(prefix)]
    assert "koordinatsystemet angavs inte; tolkat som EPSG:4326 utifrån värdenas storlek" in events
    assert (
        f"{N_SWAPPED} rader hade latitud och longitud (eller nord och öst) omkastade och rättades"
        in events
    )
    # every id is missing: the note names how many and the prefix (the file's name) as text
    generated = [t for t in events if t.startswith(f"{len(_ROWS)} rader saknade id")]
    assert len(generated) == 1
    assert HOSTILE in generated[0]
    # the point in Uppsala is in no LPO: a warning of the build
    unassigned = [t for t in items if t.startswith("Lägesbilden")]
    assert any(
        t.endswith(
            f"(varning): Lokalpolisområden: {N_OUTSIDE} av {len(_ROWS)} punkter fick inget område "
            f"(punkten ligger utanför alla områden i lagret: {N_OUTSIDE})"
        )
        for t in unassigned
    ), unassigned
    # how a file was read (encoding, columns) is no assumption: not listed
    assert not any("kolumner tolkade som" in t or "teckenkodning" in t for t in items)


def test_hostile_note_text_is_escaped(messy_pack: Path) -> None:
    html = (messy_pack / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;script&gt;{{7*7}}" in html  # as text, never evaluated
    assert "49" not in "".join(_section(messy_pack / "index.html").items)


SOURCES = {
    "inputs.events": "Händelser (inputs.events)",
    "inputs.findings": "Fynd (trygghetsvandring) (inputs.findings)",
}
"""The index's words for the inputs' configuration keys (the manifest keeps the keys)."""


def test_the_manifest_holds_the_same_list(messy_pack: Path) -> None:
    manifest = json.loads((messy_pack / "manifest.json").read_text(encoding="utf-8"))
    notes = manifest["notes"]
    build = "Lägesbilden (placering i områden, beräkningar)"
    shown = [
        f"{build if n['source'] == 'lagesbild' else SOURCES.get(n['source'], n['source'])}"
        f"{'' if n['category'] == 'note' else ' (varning)'}: {n['text']}"
        for n in notes
    ]
    assert shown == _section(messy_pack / "index.html").items
    swapped = [n for n in notes if "omkastade" in n["text"]]
    assert swapped == [
        {
            "source": "inputs.events",
            "category": "note",
            "text": f"{N_SWAPPED} rader hade latitud och longitud (eller nord och öst) "
            "omkastade och rättades",
            "rows": N_SWAPPED,
        }
    ]
    lpo = [n for n in notes if n["text"].startswith("Lokalpolisområden: ")]
    assert lpo
    assert lpo[0]["category"] == "GeoTryggWarning"
    assert lpo[0]["rows"] == N_OUTSIDE


def test_a_clean_build_says_there_are_none(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    _build(_clean(tmp_path), out)
    section = _section(out / "index.html")
    assert section.items == []
    assert section.paragraphs == [
        "Inga antaganden eller varningar: indata lästes och placerades utan att något behövde "
        "antas."
    ]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["notes"] == []


def test_the_english_section(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    config_path = _clean(tmp_path)
    config_path.write_text('lang = "en"\n' + config_path.read_text(encoding="utf-8"), "utf-8")
    _build(config_path, out)
    section = _section(out / "index.html")
    assert section.heading == ["Assumptions and warnings"]
    assert section.paragraphs[0].startswith("No assumptions or warnings")


def test_a_public_pack_shows_the_sentences_without_the_datas_values(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    _build(_messy(tmp_path, extra='privacy = "public"'), out)
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest_text = (out / "manifest.json").read_text(encoding="utf-8")
    items = _section(out / "index.html").items
    assert (
        "Händelser (inputs.events): koordinatsystemet angavs inte; tolkat som … utifrån "
        "värdenas storlek" in (items)
    )
    assert (
        "Händelser (inputs.events): … rader hade latitud och longitud (eller nord och öst) "
        "omkastade och rättades" in items
    )
    for text in (index, manifest_text):
        for leaked in ("script", "7*7", "EPSG:4326", "Uppsala", f"{len(_ROWS)} av"):
            assert leaked not in text, leaked
    notes = json.loads(manifest_text)["notes"]
    assert notes
    assert all("rows" not in n for n in notes)
    assert len({(n["source"], n["text"]) for n in notes}) == len(notes)  # each once


def test_the_section_is_visible_on_screen_and_in_print(messy_pack: Path, chromium: object) -> None:
    from browser import goto, new_page

    page, log = new_page(chromium)
    try:
        goto(page, messy_pack / "index.html")
        expected = _section(messy_pack / "index.html").items
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            section = page.locator("#antaganden")
            assert section.is_visible(), media
            assert page.locator("#antaganden h2").inner_text() == "Antaganden och varningar"
            items = page.locator("#antaganden li")
            assert items.count() == len(expected), media
            assert all(items.nth(i).is_visible() for i in range(items.count())), media
            box = section.bounding_box()
            assert box is not None, media
            assert min(box["height"], box["width"]) > 0, media
        # the hostile text shows as text: no script ran, nothing evaluated
        assert page.evaluate("document.scripts.length") == 0
        assert HOSTILE in page.locator("#antaganden").inner_text()
        pdf = page.pdf()  # prints (headless Chromium)
        assert pdf.startswith(b"%PDF")
        assert log.problems() == []
    finally:
        page.context.close()
