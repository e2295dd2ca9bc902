"""Self-contained maps (maps/_assets.py) and stable ids (maps/_html.py).

Offline checks in headless Chromium use the session browser of tests/conftest.py; they skip
without a browser or without the npm assets (``npm ci``), except under
GEO_TRYGG_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import branca.colormap as cm
import folium
import folium.plugins as plugins
import pytest
from browser import (
    assets_or_skip,
    count_paths,
    goto,
    loaded_font_families,
    new_page,
    screenshot,
    wait_fonts,
)
from folium.folium import _default_css, _default_js

from geo_trygg._errors import ConfigError
from geo_trygg.maps._assets import (
    ASSETS,
    REPO,
    asset_table,
    find_remote_assets,
    inline_assets,
)
from geo_trygg.maps._html import stable_ids

# A 1x1 grey PNG as a tile URL: a tile layer that needs no network (for the minimap).
GREY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAA"
    "3ADbkS+M5wAAAABJRU5ErkJggg=="
)
# Plugins whose files geo_trygg promises to inline.
PLUGINS = (
    plugins.Fullscreen,
    plugins.MiniMap,
    plugins.MeasureControl,
    plugins.Search,
    plugins.HeatMap,
    plugins.MarkerCluster,
    plugins.FastMarkerCluster,
    plugins.GroupedLayerControl,
)
D3 = "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"  # branca colour scales
SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f"ruta {i}"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [18.0 + i * 0.01, 59.3],
                        [18.008 + i * 0.01, 59.3],
                        [18.008 + i * 0.01, 59.304],
                        [18.0 + i * 0.01, 59.304],
                        [18.0 + i * 0.01, 59.3],
                    ]
                ],
            },
        }
        for i in range(3)
    ],
}


def full_map() -> folium.Map:
    """A map with every element whose files are inlined: GeoJson in feature groups, layer
    controls, branca colour scales, Fullscreen, MiniMap, MeasureControl, Search, HeatMap,
    MarkerCluster, FastMarkerCluster, Font Awesome, glyphicon, rotated and default markers."""
    m = folium.Map(location=[59.302, 18.01], zoom_start=14, tiles=None)
    m.options["maxZoom"] = 19  # no tile layer to take it from; MarkerCluster needs it
    areas = folium.FeatureGroup("Områden").add_to(m)
    points = folium.FeatureGroup("Punkter").add_to(m)
    geo = folium.GeoJson(
        SQUARE,
        name="rutor",
        tooltip=folium.GeoJsonTooltip(["name"]),
        popup=folium.GeoJsonPopup(["name"]),
    ).add_to(areas)
    folium.Marker([59.301, 18.0], icon=folium.Icon(icon="info", prefix="fa")).add_to(points)
    folium.Marker([59.302, 18.0], icon=folium.Icon(icon="home", prefix="glyphicon")).add_to(points)
    folium.Marker([59.303, 18.0], icon=folium.Icon(icon="arrow-up", prefix="fa", angle=45)).add_to(
        points
    )
    folium.Marker([59.302, 18.02]).add_to(points)  # Leaflet's default icon
    cm.LinearColormap(["#ff0000", "#0000ff"], vmin=0, vmax=10, caption="linjär").add_to(m)
    cm.StepColormap(["#ffffff", "#000000"], vmin=0, vmax=10, index=[0, 5, 10]).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap(tile_layer=folium.TileLayer(GREY_PNG, attr="test")).add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.Search(geo, search_label="name").add_to(m)
    plugins.HeatMap([[59.302, 18.01, 1.0], [59.303, 18.012, 0.5]]).add_to(m)
    plugins.MarkerCluster([[59.305, 18.0], [59.3051, 18.0001]]).add_to(m)
    plugins.FastMarkerCluster([[59.299, 18.02], [59.2991, 18.0201]]).add_to(m)
    plugins.GroupedLayerControl({"Lager": [areas, points]}, exclusive_groups=False).add_to(m)
    folium.LayerControl().add_to(m)
    return m


@pytest.fixture(scope="module")
def rendered() -> str:
    return full_map().get_root().render()


@pytest.fixture(scope="module")
def inlined(rendered: str) -> str:
    assets_or_skip()
    return inline_assets(rendered)


def declared_urls() -> set[str]:
    """Every address folium and branca declare for the map and the plugins above."""
    urls = {url for _, url in _default_js + _default_css} | {D3}
    for plugin in PLUGINS:
        urls |= {url for _, url in plugin.default_js + plugin.default_css}
    return urls


# --- the asset table ------------------------------------------------------------------------


def test_every_address_folium_declares_is_known(rendered: str) -> None:
    known = set(asset_table()["url"])
    assert declared_urls() - known == set()  # fails when folium adds or changes an address
    # the rendered page loads exactly these addresses, no others
    assert set(find_remote_assets(rendered)) == declared_urls()


def test_versions_in_addresses_match_the_local_versions() -> None:
    documented = {"https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"}
    for asset in ASSETS:
        if asset.origin != "npm" or asset.url in documented:
            continue
        versions = set(re.findall(r"[@/](\d+\.\d+\.\d+)[/.]", asset.url + "/"))
        versions |= set(re.findall(r"-(\d+\.\d+\.\d+)\.min", asset.url))
        assert versions == {asset.version}, asset.url
        assert asset.note or asset.url.endswith(Path(asset.path).name), asset.url


def test_package_json_and_lock_pin_exactly_the_table_versions() -> None:
    deps = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    wanted = {
        a.package: (f"npm:{a.npm_name}@{a.version}" if a.npm_name else a.version)
        for a in ASSETS
        if a.origin == "npm"
    }
    assert deps == wanted
    for package, spec in wanted.items():
        assert lock[f"node_modules/{package}"]["version"] == spec.rsplit("@", 1)[-1]


def test_table_reports_found_and_missing(tmp_path: Path) -> None:
    table = asset_table(assets_dir=tmp_path)
    assert len(table) == len(ASSETS)
    npm = table["source"].str.startswith("npm:")
    assert not table.loc[npm, "found"].any()  # empty folder: no npm file found
    assert table.loc[~npm, "found"].all()  # folium's heat plugin and the generated css


# --- rewriting the page --------------------------------------------------------------------


def test_unknown_remote_script_or_stylesheet_is_named() -> None:
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
        '<script src="https://evil.example/x.js"></script>'
        '<link rel="stylesheet" href="//other.example/y.css">'
        '<link rel="icon" href="https://icons.example/z.ico">'
    )
    with pytest.raises(ConfigError) as err:
        inline_assets(page)
    text = str(err.value)
    for url in ("https://evil.example/x.js", "//other.example/y.css", "https://icons.example/z"):
        assert url in text
    assert "leaflet@1.9.3" not in text


def test_remote_text_inside_inline_scripts_and_comments_is_not_a_tag() -> None:
    page = (
        "<!-- <script src='https://a.example/x.js'></script> -->"
        '<script>var s = \'<link rel="stylesheet" href="https://b.example/y.css">\';</script>'
        '<script src="local.js"></script>'
    )
    assert find_remote_assets(page) == []
    assert inline_assets(page) == page


def test_missing_assets_say_how_to_get_them(tmp_path: Path, monkeypatch) -> None:
    page = '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
    with pytest.raises(ConfigError, match=r"npm ci") as err:
        inline_assets(page, assets_dir=tmp_path)
    assert "leaflet@1.9.3/dist/leaflet.js" in str(err.value)
    monkeypatch.setenv("GEO_TRYGG_ASSETS", str(tmp_path))
    with pytest.raises(ConfigError, match=r"npm ci"):
        inline_assets(page)
    with pytest.raises(ConfigError, match=r"assets_dir="):
        inline_assets(page, assets_dir=tmp_path / "saknas")


def fake_package(root: Path, name: str, version: str, files: dict[str, str]) -> None:
    folder = root / "node_modules" / name
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"name": name, "version": version}))
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")


def test_another_installed_version_is_refused(tmp_path: Path) -> None:
    fake_package(tmp_path, "d3", "3.5.17", {"d3.min.js": "var d3 = {};"})
    with pytest.raises(ConfigError, match=r"installed: 3\.5\.17"):
        inline_assets(f'<script src="{D3}"></script>', assets_dir=tmp_path)


FULLSCREEN_CSS = "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css"
# JavaScript and CSS that would break out of their elements if inlined as they are.
EVIL_JS = r"""window.__strings = ["</script><script>window.__pwned = 1;</script>", `</SCRIPT >`,
  '<!--<script>'];
window.__regex = /<!--/u.test("a<!--b") && /<\/script>/.test("</script>");
//# sourceMappingURL=d3.min.js.map
"""
EVIL_CSS = """.probe { width: 17px; }
.probe::after { content: "</style><script>window.__pwned2 = 1;</script>"; }
.probe { height: 23px; background-image: url("img/dot.svg"); }
"""
DOT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@pytest.fixture
def evil_page(tmp_path: Path) -> tuple[Path, str]:
    fake_package(tmp_path, "d3", "3.5.5", {"d3.min.js": EVIL_JS})
    fake_package(
        tmp_path,
        "leaflet.fullscreen",
        "3.0.0",
        {"Control.FullScreen.css": EVIL_CSS, "img/dot.svg": DOT_SVG},
    )
    page = (
        f'<!DOCTYPE html><html><head><script src="{D3}"></script>'
        f'<link rel="stylesheet" href="{FULLSCREEN_CSS}"/></head>'
        '<body><div class="probe"></div></body></html>'
    )
    out = inline_assets(page, assets_dir=tmp_path / "node_modules")
    path = tmp_path / "evil.html"
    path.write_text(out, encoding="utf-8")
    return path, out


def test_inlined_text_cannot_close_its_element(evil_page: tuple[Path, str]) -> None:
    _, out = evil_page
    # one <script> element and one <style> element, each closed once, at its own end
    script, style = out.split("<style", 1)
    assert len(re.findall(r"</script", script, re.I)) == 1
    assert script.rstrip().endswith("</script>")
    assert len(re.findall(r"</style", style, re.I)) == 1
    assert "<!--" not in script
    assert "sourceMappingURL" not in out
    data = base64.b64encode(DOT_SVG.encode()).decode()
    assert f'url("data:image/svg+xml;base64,{data}")' in out


def test_inlined_text_keeps_its_meaning_in_the_browser(evil_page, chromium) -> None:
    path, _ = evil_page
    page, log = new_page(chromium)
    try:
        goto(page, path)
        assert log.problems() == []
        assert page.evaluate("window.__strings") == [
            "</script><script>window.__pwned = 1;</script>",
            "</SCRIPT >",
            "<!--<script>",
        ]
        assert page.evaluate("window.__regex") is True
        assert page.evaluate("[window.__pwned, window.__pwned2]") == [None, None]
        assert page.evaluate("document.scripts.length") == 1
        size = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('.probe'));"
            " return [s.width, s.height]; })()"
        )
        assert size == ["17px", "23px"]
    finally:
        page.context.close()


def test_font_formats_best_one_kept(tmp_path: Path) -> None:
    css = (
        "@font-face{font-family:'X';src:url('f/x.eot');"
        "src:url('f/x.eot?#iefix') format('embedded-opentype'),url('f/x.woff') format('woff'),"
        "url(f/x.ttf) format('truetype'),url('f/x.svg#x') format('svg')}"
        ".icon{background:url(f/i.png)}"
    )
    fake_package(
        tmp_path,
        "leaflet.fullscreen",
        "3.0.0",
        {"Control.FullScreen.css": css}
        | {f"f/x.{ext}": ext for ext in ("eot", "woff", "ttf", "svg")},
    )
    (tmp_path / "node_modules/leaflet.fullscreen/f/i.png").write_bytes(b"\x89PNG")
    out = inline_assets(f'<link rel="stylesheet" href="{FULLSCREEN_CSS}">', assets_dir=tmp_path)
    woff = base64.b64encode(b"woff").decode()
    png = base64.b64encode(b"\x89PNG").decode()
    assert re.findall(r'url\("([^"]*)"\)', out) == [
        f"data:font/woff;base64,{woff}",
        f"data:image/png;base64,{png}",
    ]
    assert out.count("src:") == 1
    assert "format('woff')" in out
    for other in ("embedded-opentype", "truetype", "format('svg')"):
        assert other not in out


def test_css_refers_to_missing_file(tmp_path: Path) -> None:
    fake_package(
        tmp_path, "leaflet.fullscreen", "3.0.0", {"Control.FullScreen.css": ".a{b:url(no.png)}"}
    )
    with pytest.raises(ConfigError, match=r"no\.png"):
        inline_assets(f'<link rel="stylesheet" href="{FULLSCREEN_CSS}">', assets_dir=tmp_path)


# --- the real assets ------------------------------------------------------------------------


def styles(page: str) -> dict[str, str]:
    return dict(re.findall(r'<style data-asset="([^"]*)">(.*?)</style>', page, re.S))


def test_real_assets_inlined_with_data_uris(inlined: str) -> None:
    assert find_remote_assets(inlined) == []
    css = styles(inlined)
    refs = [r for text in css.values() for r in re.findall(r"url\(([^)]{0,60})", text)]
    assert refs, "the stylesheets have url() references"
    assert {r for r in refs if not r.strip("\"'").startswith("data:")} == {"#default#VML"}
    # the woff2 files themselves, byte for byte; no ttf fallbacks
    table = asset_table().set_index("source")
    fa_css = Path(
        table.loc["npm:@fortawesome/fontawesome-free@6.2.0/css/all.min.css", "local_path"]
    )
    solid = (fa_css.parents[1] / "webfonts" / "fa-solid-900.woff2").read_bytes()
    fa = css["npm:@fortawesome/fontawesome-free@6.2.0/css/all.min.css"]
    assert f"data:font/woff2;base64,{base64.b64encode(solid).decode()}" in fa
    assert "font/ttf" not in fa
    # glyphicons: 200 icon rules of bootstrap 3.1.1 and its font, nothing else of Bootstrap 3
    bs3 = Path(
        table.loc["npm:bootstrap@3.1.1/dist/css/bootstrap.css (as bootstrap3)", "local_path"]
    )
    source_rules = re.findall(r"^\.glyphicon-[\w-]+:before \{", bs3.read_text(), re.M)
    glyph = css["npm:bootstrap@3.1.1/dist/css/bootstrap.css (as bootstrap3)"]
    assert len(source_rules) == 200
    assert len(re.findall(r"\.glyphicon-[\w-]+:before \{", glyph)) == 200
    assert "Glyphicons Halflings" in glyph
    assert "data:font/woff;base64," in glyph
    assert not re.search(r"(^|\})\s*(body|html|\.btn|\.carousel)", glyph)
    rotate = css["generated:leaflet.awesome.rotate.min.css"]
    assert len(re.findall(r"\.fa-rotate-\d+\{", rotate)) == 360
    assert ".fa-rotate-45{-ms-transform:rotate(45deg); -webkit-transform:rotate(45deg); " in rotate


def test_a_file_under_two_addresses_is_inlined_once() -> None:
    assets_or_skip()
    page = (
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>'
    )
    out = inline_assets(page)
    assert out.count("<script data-asset=") == 1
    assert "jquery@3.7.1" in out


def test_inlining_is_deterministic_and_idempotent(rendered: str, inlined: str) -> None:
    assert inline_assets(rendered) == inlined
    assert inline_assets(inlined) == inlined


def test_stable_ids_make_two_renders_identical() -> None:
    first, second = (full_map().get_root().render() for _ in range(2))
    assert first != second
    assert stable_ids(first) == stable_ids(second)
    stable = stable_ids(first)
    assert stable_ids(stable) == stable
    assert re.findall(r"_[0-9a-f]{32}", stable)  # the names keep their shape
    random_ids = set(re.findall(r"(?<=_)[0-9a-f]{32}", first))
    assert not random_ids & set(re.findall(r"(?<=_)[0-9a-f]{32}", stable))
    n = len(random_ids)
    assert set(re.findall(r"(?<=_)[0-9a-f]{32}", stable)) == {f"{i:032x}" for i in range(1, n + 1)}
    # the map's element and its CSS and JavaScript name keep matching
    name = re.search(r'<div class="folium-map" id="(map_[0-9a-f]{32})"', stable)
    assert name
    assert f"#{name.group(1)} {{" in stable
    assert f"var {name.group(1)} = L.map(" in stable


def test_stable_ids_leave_other_hex_text_alone() -> None:
    data_hash = "ab" * 16
    page = (
        f'<div id="map_{"cd" * 16}"></div><script>var map_{"cd" * 16} = 1;'
        f'var note = "walk_{data_hash}";</script>'
    )
    out = stable_ids(page)
    assert f"walk_{data_hash}" in out
    assert "cd" * 16 not in out


# --- in the browser, offline -----------------------------------------------------------------


def test_plain_folium_map_fails_offline(rendered: str, chromium, tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text(rendered, encoding="utf-8")
    page, log = new_page(chromium)
    try:
        goto(page, path)
        assert page.evaluate("typeof window.L") == "undefined"
        assert set(log.blocked) == declared_urls()
        assert log.console_errors
        assert any("L is not defined" in e for e in log.page_errors)
    finally:
        page.context.close()


def test_self_contained_map_works_offline(inlined: str, browser_page, tmp_path: Path) -> None:
    path = tmp_path / "inline.html"
    path.write_text(stable_ids(inlined), encoding="utf-8")
    page, log = browser_page(path)
    page.hover(".awesome-marker i.fa-info")
    wait_fonts(page)
    assert log.problems() == []
    assert page.evaluate("typeof window.L.map") == "function"
    families = loaded_font_families(page)
    assert "Font Awesome 6 Free" in families
    assert "Glyphicons Halflings" in families
    fa_family = page.evaluate("getComputedStyle(document.querySelector('i.fa-info')).fontFamily")
    assert "Font Awesome 6 Free" in fa_family
    # rotation from the generated stylesheet: rotate(45deg) as a matrix
    transform = page.evaluate(
        "getComputedStyle(document.querySelector('i.fa-rotate-45')).transform"
    )
    assert transform.startswith("matrix(0.707")
    # images from data: URIs: Leaflet's default marker and the awesome-marker sprite
    assert page.evaluate(
        "[...document.querySelectorAll('img.leaflet-marker-icon')]"
        ".every((i) => i.complete && i.naturalWidth === 25)"
    )
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.awesome-marker')).backgroundImage"
    ).startswith('url("data:image/png;base64,')
    main_map = ".folium-map > .leaflet-pane > .leaflet-overlay-pane path"  # not the minimap
    assert count_paths(page, main_map) == len(SQUARE["features"])
    for selector in (
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-minimap",
        ".leaflet-control-measure",
        ".leaflet-control-search",
        ".leaflet-heatmap-layer",
        ".marker-cluster",
        ".leaflet-control-layers-group",
        ".legend svg",
    ):
        assert page.locator(selector).count() > 0, selector
    shot = screenshot(page, tmp_path / "inline.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
