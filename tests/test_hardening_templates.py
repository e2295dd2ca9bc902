"""Issue 11, item 1: data never becomes template source.

Template syntax — ``{{7*7}}``, ``{%print(7*7)%}``, ``{#``, ``{{ här`` and payloads that would
run a shell command through Jinja2's globals (``lipsum``, ``cycler``, ``joiner``) — is put into
every text field that reaches an output: findings (walk, category, description, actor),
events (id, type, source, place, text), places' and areas' names (in files written here), and
the configuration's texts (title, classification, sources, extracted). Internal and public
packs and single maps are built; each must succeed, create no file, and show every text
literally wherever it is shown — never ``49``, never a syntax error.

Every field's value is ``<original> <tag> <payload>``: the tag names the field, so a check
reads "wherever the tag is shown, the payload follows it, as it was".
"""

from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import jinja2
import pandas as pd
import pytest
from branca.element import Element
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo_trygg.demo import DEMO_DIR
from geo_trygg.pack import build_pack, load_config

PWNED = "PWNED"
PAYLOADS = {
    "expression": "{{7*7}}",
    "statement": "{%print(7*7)%}",
    "comment": "Lampa {# trasig",
    "unclosed": "Lampa trasig {{ här",
    "lipsum": "{{ lipsum.__globals__['os'].system('touch TMP/PWNED') }}",
    "cycler": "{{ cycler.__init__.__globals__.os.system('touch TMP/PWNED') }}",
    "joiner": "{{ joiner.__init__.__globals__['os'].popen('touch TMP/PWNED').read() }}",
}
"""Template syntax a user might type, and payloads that would create ``TMP/PWNED``."""

FINDING_FIELDS = {
    "vandring": "fwalk",
    "kategori": "fcat",
    "beskrivning": "fdesc",
    "ansvarig": "fact",
}
EVENT_FIELDS = {"id": "eid", "typ": "etype", "kalla": "esrc", "plats": "eplace", "text": "etext"}


def payload(name: str, tmp: Path) -> str:
    """The payload ``name``, its command aimed at ``tmp``."""
    return PAYLOADS[name].replace("TMP", tmp.as_posix())


def tagged(original: str, tag: str, text: str) -> str:
    """``<original> <tag> <text>``."""
    return f"{original} {tag} {text}".strip()


def decoded(page: str) -> str:
    """A page's text with JSON's ``\\uXXXX`` escapes and HTML's entities decoded (escaped
    forms of the payload count as the payload)."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    return html.unescape(text)


def write_inputs(tmp: Path, text: str) -> dict[str, Path]:
    """The demo's findings, events, places and areas with ``<tag> <text>`` in every text field."""
    paths = {}
    findings = pd.read_csv(
        DEMO_DIR / "demo_findings.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    for column, tag in FINDING_FIELDS.items():
        findings[column] = [tagged(v, tag, text) for v in findings[column].fillna("")]
    paths["findings"] = tmp / "fynd.csv"
    findings.to_csv(paths["findings"], sep=";", index=False, encoding="utf-8-sig")
    events = pd.read_csv(DEMO_DIR / "demo_events.csv", sep=";", dtype=str, encoding="cp1252")
    for column, tag in EVENT_FIELDS.items():
        events[column] = [tagged(v, tag, text) for v in events[column].fillna("")]
    paths["events"] = tmp / "handelser.csv"
    events.to_csv(paths["events"], sep=";", index=False, encoding="utf-8-sig")
    for name, tag in (("places", "pname"), ("areas", "aname")):
        data = json.loads((DEMO_DIR / f"demo_{name}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            feature["properties"]["name"] = tagged(feature["properties"]["name"], tag, text)
        paths[name] = tmp / f"{name}.geojson"
        paths[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return paths


def write_config(tmp: Path, text: str, paths: dict[str, Path], privacy: str) -> Path:
    def s(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string

    body = f"""
title = {s(tagged("Lägesbild", "ctitle", text))}
classification = {s(tagged("Intern", "cclass", text))}
sources = [{s(tagged("Polisen", "csrc", text))}, {s(tagged("SL", "csrc2", text))}]
extracted = {s(tagged("2025-01-07", "cextr", text))}
period = "2024-Q4"
compare = "previous"
pages = ["stadsdelsomrade", "lpo"]
privacy = "{privacy}"
png = false
[inputs]
events = {s(paths["events"].as_posix())}
findings = {s(paths["findings"].as_posix())}
places = {s(paths["places"].as_posix())}
areas = [{{ path = {s(paths["areas"].as_posix())} }}]
"""
    path = tmp / f"{privacy}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def outputs(folder: Path) -> dict[str, str]:
    """Every text file of a pack, decoded."""
    return {
        str(p.relative_to(folder)): decoded(p.read_text(encoding="utf-8-sig"))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".json", ".csv")
    }


def _after(page: str, tag: str) -> list[int]:
    """Where the text after each ``<tag> `` on ``page`` starts (the tag a word of its own)."""
    return [m.end() for m in re.finditer(r"(?<![\w-])" + re.escape(tag) + " ", page)]


def shown_literally(page: str, tag: str, text: str) -> bool:
    """Whether ``tag`` is on ``page`` and every time followed by ``text`` as it was."""
    starts = _after(page, tag)
    return bool(starts) and all(page.startswith(text, i) for i in starts)


def never_altered(page: str, tag: str, text: str) -> bool:
    """Wherever ``tag`` is on ``page`` (maybe nowhere), ``text`` follows it as it was."""
    return all(page.startswith(text, i) for i in _after(page, tag))


ALL = " · ".join(PAYLOADS[k] for k in ("lipsum", "expression", "statement", "unclosed", "comment"))
"""The payloads in one text (a runnable one first, the unclosed ones last; ``cycler`` and
``joiner`` alone, as a pack's page folder holds the area's name and the five together
would make a folder name longer than a file system allows — item 4 of the issue)."""


def the_text(name: str, tmp: Path) -> str:
    return (ALL if name == "all" else PAYLOADS[name]).replace("TMP", tmp.as_posix())


SLOW_EACH = [pytest.param(name, marks=pytest.mark.slow) for name in PAYLOADS]


# --- the mechanism --------------------------------------------------------------------------


@hsettings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(st.sampled_from("{}%#-\r\n \t'\"<>&"), st.characters()), max_size=60
    )
)
def test_a_raw_element_gives_what_jinja_gives_for_text_without_template_syntax(
    source: str,
) -> None:
    from geo_trygg.maps._safe import RawTemplate, raw_elements

    with raw_elements():
        raw = Element(source).render()
    assert raw == RawTemplate(source).render()
    if not any(opener in source for opener in ("{{", "{%", "{#")):
        # jinja2's own rendering of the same text: the bytes of a page do not change
        assert raw == jinja2.Template(source).render()
    else:
        # the text itself, line breaks as "\n", one trailing line break dropped
        expected = source.replace("\r\n", "\n").replace("\r", "\n")
        assert raw == (expected[:-1] if expected.endswith("\n") else expected)


def test_branca_is_unchanged_outside_a_map_render() -> None:
    from geo_trygg.maps._safe import raw_elements

    with raw_elements():
        assert Element("{{7*7}}").render() == "{{7*7}}"
    assert Element("{{7*7}}").render() == "49"  # others' folium and branca code as before


def test_a_branca_that_compiles_elsewhere_stops_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """A branca whose ``Element`` compiled its text some other way is refused, not trusted."""
    import branca.element
    import folium

    from geo_trygg import GeoTryggError
    from geo_trygg.maps import map_html

    original = branca.element.Element.__init__

    def compiling(
        self: Element, template: str | None = None, template_name: str | None = None
    ) -> None:
        original(self, template_name=template_name)
        if template is not None:
            self._template = jinja2.Template(template)

    monkeypatch.setattr(branca.element.Element, "__init__", compiling)
    with pytest.raises(GeoTryggError, match="branca"):
        map_html(folium.Map(location=[59.3, 18.0], tiles=None))


def test_folium_layers_rendered_through_map_html_keep_data_as_data(tmp_path: Path) -> None:
    """Popups, tooltips, a GeoJson layer's properties and a layer name of plain folium."""
    import folium

    from geo_trygg.maps import map_html

    text = the_text("all", tmp_path)
    m = folium.Map(location=[59.3, 18.0], tiles=None)
    folium.Marker([59.3, 18.0], popup=f"f-popup {text}", tooltip=f"f-tooltip {text}").add_to(m)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": f"f-geojson {text}"},
                    "geometry": {"type": "Point", "coordinates": [18.0, 59.3]},
                }
            ],
        },
        name=f"f-layer {text}",
        tooltip=folium.GeoJsonTooltip(["name"]),
    ).add_to(m)
    folium.LayerControl().add_to(m)
    page = decoded(map_html(m))
    for tag in ("f-popup", "f-tooltip", "f-geojson", "f-layer"):
        assert shown_literally(page, tag, text), tag
    assert not (tmp_path / PWNED).exists()


def test_page_templates_are_compiled_code_never_text() -> None:
    from geo_trygg.export import page_template, render_page

    template = page_template('{% extends "base.html" %}{% block main %}{{ x }}{% endblock %}')
    page = render_page(template, lang="sv", title="t", banner=None, x="{{7*7}} <b>")
    assert "{{7*7}} &lt;b&gt;" in page
    with pytest.raises(TypeError, match="page_template"):
        render_page("{{7*7}}", lang="sv")  # type: ignore[arg-type]


# --- single maps ----------------------------------------------------------------------------


MAP_TAGS = ("aname", "pname", "fwalk", "fdesc", "lname", "lfeat")
MAP_TAGS += ("mtitle", "marea", "msrc", "mextr", "mclass", "malt")


def single_map(tmp: Path, text: str, **kwargs: object) -> object:
    """The lägesbild map of the demo data with ``text`` in every field the map can show."""
    import geo_trygg as gt
    from geo_trygg.lagesbild import build_lagesbild
    from geo_trygg.maps import lagesbild_map

    paths = write_inputs(tmp, text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        findings = gt.read_findings(paths["findings"]).accepted
        events = gt.read_events(paths["events"]).accepted
        areas = gt.read_areas(paths["areas"]).accepted
        places = gt.read_areas(paths["places"], level="place").accepted
        lb = build_lagesbild(
            findings, events, areas=areas, by=("lpo",), period="2024-Q4", compare="previous"
        )
        extra = gpd.GeoDataFrame(
            {"name": [tagged("Kamera", "lfeat", text)]},
            geometry=[Point(18.0, 59.27)],
            crs="EPSG:4326",
        ).to_crs("EPSG:3006")
        return lagesbild_map(
            lb,
            findings=findings,
            events=events,
            places=places,
            layers={tagged("Kameror", "lname", text): extra},
            water=gpd.GeoDataFrame(
                {"name": [tagged("Sjö", "wname", text)]},
                geometry=[box(674_000, 6_571_000, 674_500, 6_571_500)],
                crs="EPSG:3006",
            ),
            title=tagged("Karta", "mtitle", text),
            area=tagged("Globen", "marea", text),
            sources=[tagged("Polisen", "msrc", text)],
            extracted=tagged("2025-01-07", "mextr", text),
            classification=tagged("Intern", "mclass", text),
            alt=tagged("Karta", "malt", text),
            lang="sv",
            **kwargs,
        )


@pytest.mark.parametrize("name", ["all", *PAYLOADS])
def test_a_single_map_shows_every_text_as_it_was(name: str, tmp_path: Path) -> None:
    from geo_trygg.maps import save_map

    text = the_text(name, tmp_path)
    m = single_map(tmp_path, text)
    path = save_map(m, tmp_path / "karta.html")
    page = decoded(path.read_text(encoding="utf-8"))
    for tag in MAP_TAGS:
        assert shown_literally(page, tag, text), tag
    for tag in (*FINDING_FIELDS.values(), *EVENT_FIELDS.values(), "wname"):
        assert never_altered(page, tag, text), tag
    # rendered again, directly by folium: the same page (ids aside), the same texts
    again = decoded(m.get_root().render())  # type: ignore[attr-defined]
    for tag in MAP_TAGS:
        assert shown_literally(again, tag, text), tag
    assert not (tmp_path / PWNED).exists()


def test_a_single_map_shows_the_texts_in_a_browser(tmp_path: Path, browser_page: object) -> None:
    from browser import assets_or_skip

    from geo_trygg.maps import save_map

    assets_or_skip()
    text = the_text("all", tmp_path)
    path = save_map(single_map(tmp_path, text, self_contained=True), tmp_path / "karta.html")
    page, log = browser_page(path)  # type: ignore[operator]
    title = page.locator(".gt-title").inner_text()
    for tag in ("mtitle", "marea", "msrc", "mextr"):
        assert f"{tag} {text}" in title, tag
    assert f"mclass {text}" in page.locator("body").inner_text()  # the banner
    # the markers overlap at this zoom: the click event goes straight to one
    page.locator(".leaflet-marker-icon.gt-icon").first.dispatch_event("click")
    page.wait_for_selector(".leaflet-popup-content .gt-info")
    popup = page.locator(".leaflet-popup-content").last.inner_text()
    assert f"fdesc {text}" in popup
    assert f"fwalk {text}" in popup  # in the finding's id
    assert not (tmp_path / PWNED).exists()
    assert log.problems() == []


# --- packs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack of the demo data, tagged but without a payload: the previous pack that the
    payload packs replace (so ``andringar.html`` lists their findings as new)."""
    tmp = tmp_path_factory.mktemp("plain")
    paths = write_inputs(tmp, "")
    config, base = load_config(write_config(tmp, "", paths, "internal"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp / "pack")
    return tmp / "pack"


@pytest.fixture(scope="module", params=["all", *SLOW_EACH])
def packs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, plain_pack: Path
) -> tuple[Path, str, dict[str, dict[str, str]]]:
    """An internal and a public pack with the payload in every text field: the folder that
    would receive ``PWNED``, the text, and each pack's text files decoded."""
    import shutil

    tmp = tmp_path_factory.mktemp(request.param)
    text = the_text(request.param, tmp)
    paths = write_inputs(tmp, text)
    shown = {}
    for privacy in ("internal", "public"):
        out = tmp / privacy
        if privacy == "internal":
            shutil.copytree(plain_pack, out)
        config, base = load_config(write_config(tmp, text, paths, privacy))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = build_pack(config, base, out)
        assert result.failed == [], result.failed
        shown[privacy] = outputs(out)
    return tmp, text, shown


CONFIG_TAGS = ("ctitle", "cclass", "csrc", "csrc2", "cextr")


def test_packs_build_and_run_nothing(packs: tuple[Path, str, dict[str, dict[str, str]]]) -> None:
    tmp, _text, shown = packs
    assert not (tmp / PWNED).exists()
    for privacy in ("internal", "public"):
        pages = {Path(name).parent.as_posix() for name in shown[privacy] if "karta" in name}
        # the demo: 1 stadsdelsområde and 3 LPOs, each with its map and report
        assert len(pages) == 4, privacy
        for page in pages:
            assert f"{page}/lagesbild.html" in shown[privacy]


@pytest.mark.parametrize("privacy", ["internal", "public"])
def test_every_text_is_shown_as_it_was(
    packs: tuple[Path, str, dict[str, dict[str, str]]], privacy: str
) -> None:
    _tmp, text, shown = packs
    files = shown[privacy]
    tags = (*FINDING_FIELDS.values(), *EVENT_FIELDS.values(), "pname", "aname", *CONFIG_TAGS)
    for name, page in files.items():
        for tag in tags:
            assert never_altered(page, tag, text), (name, tag)
    # where each text is shown
    index = files["index.html"]
    for tag in ("aname", *CONFIG_TAGS):
        assert shown_literally(index, tag, text), ("index.html", tag)
    maps = {n: p for n, p in files.items() if n.endswith("karta.html")}
    for name, page in maps.items():
        for tag in ("aname", "pname", *CONFIG_TAGS):
            assert shown_literally(page, tag, text), (name, tag)
    reports = {n: p for n, p in files.items() if n.endswith("lagesbild.html")}
    for name, page in reports.items():
        for tag in ("aname", "cclass"):
            assert shown_literally(page, tag, text), (name, tag)
    assert shown_literally(files["andringar.html"], "cclass", text)
    if privacy == "public":
        return
    # internal: the findings on the maps, in the reports and in the action lists
    assert all(shown_literally("\n".join(maps.values()), t, text) for t in ("fwalk", "fdesc"))
    everything = "\n".join(reports.values())
    for tag in FINDING_FIELDS.values():
        assert shown_literally(everything, tag, text), tag
    lists = {n: p for n, p in files.items() if n.startswith("atgardslistor/") and ".htm" in n}
    assert lists
    for name, page in lists.items():
        for tag in ("fwalk", "fdesc", "cclass"):
            assert shown_literally(page, tag, text), (name, tag)
    # the changes since the plain pack: every finding is new, named by its id (walk + row)
    assert shown_literally(files["andringar.html"], "fwalk", text)


def test_a_pack_index_shows_the_texts_in_a_browser(
    packs: tuple[Path, str, dict[str, dict[str, str]]], chromium: object
) -> None:
    from browser import goto, new_page

    tmp, text, _shown = packs
    page, log = new_page(chromium)
    try:
        goto(page, tmp / "internal" / "index.html")
        body = page.locator("body").inner_text()
    finally:
        page.context.close()
    for tag in ("aname", "ctitle", "cclass", "csrc", "cextr"):
        assert f"{tag} {text}" in body, tag
    assert log.problems() == []
