"""Screenshots and printouts of a demo pack and a real-data pack, kept for people to look at.

Each test builds a pack, opens its pages offline in headless Chromium as a planner would
(1366×768, and the maps also at 1024×640), saves a screenshot of each and prints the index
and the lägesbild pages to A4 PDF. The files are kept in ``GEO_TRYGG_SCREENSHOTS`` (default
``build/screenshots/`` in the repository, which git ignores; CI keeps them in its checkout).
What they must show is checked here too: no console errors and no network requests, maps
with their context drawn (more areas than the page's own), every picture more than a blank
page, and every PDF page A4.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import pytest
from browser import assets_or_skip, count_paths, goto, new_page, screenshot, wait_rendered
from test_maps_png import read_png

from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.pack import build_pack, load_config

REPO = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("GEO_TRYGG_SCREENSHOTS", REPO / "build" / "screenshots"))
A4_POINTS = (595.28, 841.89)  # ISO 216 A4 in PDF points (210 × 297 mm)


def _folder(name: str) -> Path:
    out = SHOTS / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return out


def _colours(path: Path) -> int:
    """The number of distinct colours of a PNG screenshot (a blank page has one or two)."""
    width, _, rows = read_png(path)
    return len({row[i : i + 3] for row in rows for i in range(0, 3 * width, 3)})


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, read from the PDF's MediaBox entries."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def _shoot(browser, pack: Path, out: Path, pages: dict[str, str]) -> dict[str, int]:
    """Screenshot every page of ``pages`` (name → path in the pack); PDFs of the .html
    reports; returns each screenshot's number of colours."""
    colours = {}
    for name, rel in pages.items():
        is_map = rel.endswith("karta.html")
        sizes = [(1366, 768), (1024, 640)] if is_map else [(1366, 768)]
        for width, height in sizes:
            page, log = new_page(browser, width=width, height=height)
            try:
                goto(page, pack / rel)
                if is_map:
                    wait_rendered(page)
                    # the page's outline, its neighbours or sub-areas: more than one area
                    assert count_paths(page, ".leaflet-overlay-pane path") > 1, rel
                else:
                    page.evaluate("async () => { await document.fonts.ready; }")
                shot = screenshot(page, out / f"{name}-{width}x{height}.png")
                colours[shot.stem] = _colours(shot)
                if not is_map and width == 1366:
                    # as Chromium's print dialog: the page's own @page size (the report is
                    # A4 landscape), else A4
                    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
                    (out / f"{name}.pdf").write_bytes(pdf)
                    sizes_pt = _pdf_pages(pdf)
                    assert sizes_pt, rel
                    for w, h in sizes_pt:  # A4 either way round (Chromium rounds to 1/100 in)
                        short, long = sorted((w, h))
                        assert abs(short - A4_POINTS[0]) < 2, (rel, w, h)
                        assert abs(long - A4_POINTS[1]) < 2, (rel, w, h)
                assert log.problems() == [], (rel, log.problems())
            finally:
                page.context.close()
    return colours


def _demo_config(tmp_path: Path) -> Path:
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_pack_screenshots(chromium, tmp_path: Path) -> None:
    assets_or_skip()
    config, base = load_config(_demo_config(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket")
    pack = tmp_path / "paket"
    actions = sorted((pack / "atgardslistor").glob("*.html"))
    pages = {
        "index": "index.html",
        "lagesbild-stadsdelsomrade": "stadsdelsomrade/hagersten-alvsjo/lagesbild.html",
        "karta-stadsdelsomrade": "stadsdelsomrade/hagersten-alvsjo/karta.html",
        "lagesbild-lpo": "lpo/botkyrka/lagesbild.html",
        "karta-lpo": "lpo/botkyrka/karta.html",
        "andringar": "andringar.html",
        "atgardslista": f"atgardslistor/{actions[0].name}",
    }
    colours = _shoot(chromium, pack, _folder("demo"), pages)
    # text pages have anti-aliased text and a red banner, maps areas in several classes:
    # far more than the one or two colours of a blank page
    assert min(colours.values()) > 50, colours
    assert (pack / "stadsdelsomrade/hagersten-alvsjo/karta.png").is_file()


@pytest.mark.shared
def test_real_data_pack_screenshots(chromium, shared_data: Path, tmp_path: Path) -> None:
    assets_or_skip()
    sdl = shared_data / "stockholm_stadsdelar" / "geojson_simplified"
    events = shared_data / "polisen_events_api" / "events_stockholms_lan_2023-03_2026-08.json"
    (tmp_path / "pack.toml").write_text(
        f"""title = "Stockholm – polisens händelser"
period = "2024-Q2"
pages = {{ stadsdelsomrade = ["Järva"], lpo = ["Södermalm"], stadsdel = ["Rinkeby"] }}
sources = ["Polisen (händelser, öppet API)"]
[inputs]
events = "{events.as_posix()}"
water = "{(sdl / "vatten.geo.json").as_posix()}"
areas = [{{ path = "{(sdl / "stadsdelar.geo.json").as_posix()}", \
source = "stockholm-stadsdelar" }}]
""",
        encoding="utf-8",
    )
    config, base = load_config(tmp_path / "pack.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, tmp_path / "paket")
    assert not result.failed
    pack = tmp_path / "paket"
    pages = {
        "index": "index.html",
        "lagesbild-jarva": "stadsdelsomrade/jarva/lagesbild.html",
        "karta-jarva": "stadsdelsomrade/jarva/karta.html",
        "karta-lpo-sodermalm": "lpo/sodermalm/karta.html",
        "lagesbild-rinkeby": "stadsdel/rinkeby/lagesbild.html",
        "karta-rinkeby": "stadsdel/rinkeby/karta.html",
    }
    colours = _shoot(chromium, pack, _folder("stockholm"), pages)
    assert min(colours.values()) > 50, colours
