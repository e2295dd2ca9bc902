"""The police's utsatta områden on a pack's pages (``inputs.utsatta_omraden``): each page lists
the utsatta områden over its area, the share of each that lies there and its history over the
editions, with the sources and dates; rows the editions reject are in avvisade_rader.csv."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
from pyproj import Transformer
from shapely.geometry import box, mapping

from geo_trygg._errors import ConfigError
from geo_trygg.pack import build_pack, load_config

X0, Y0 = 674_000.0, 6_576_000.0  # SWEREF 99 TM, south of Stockholm
SWEREF = {"type": "name", "properties": {"name": "EPSG:3006"}}


def _sq(x0: float, y0: float, x1: float, y1: float):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def _write(path: Path, features: list[tuple[dict, object]]) -> None:
    data = {
        "type": "FeatureCollection",
        "crs": SWEREF,
        "features": [
            {"type": "Feature", "properties": p, "geometry": mapping(g)} for p, g in features
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _police(name: str, kategori: str, area_id: int, since: str, *, full: bool) -> dict:
    if full:  # the 2025 schema
        return {
            "NAMN": name,
            "KATEGORI": kategori,
            "ORT": "Stockholm",
            "LOKALPOLISOMRADE": "Globen",
            "SPECIALOMRADES_ID": str(area_id),
            "AKTUALITET_START": since,
            "AKTUALITET_SLUT": " ",
        }
    return {  # the 2023 shapefile's ten-character names
        "NAMN": name,
        "KATEGORI": kategori,
        "ORT": "Stockholm",
        "LOKALPOLIS": "Globen",
        "SPECIALOMR": area_id,
        "AKTUALITET": since,
    }


def _inputs(folder: Path, extra: str = "") -> Path:
    # three stadsdelar in a row; Tomby far from every utsatt område
    _write(
        folder / "areas.geojson",
        [
            ({"namn": "Norrby"}, _sq(0, 0, 1000, 1000)),
            ({"namn": "Söderby"}, _sq(1000, 0, 2000, 1000)),
            ({"namn": "Tomby"}, _sq(3000, 0, 4000, 1000)),
        ],
    )
    _write(
        folder / "uso_2023.geojson",
        [
            (
                _police("Alfa", "Utsatt område", 1, "2019-06-01", full=False),
                _sq(700, 0, 1700, 400),
            ),
            (
                _police("Beta / Gamma", "Särskilt utsatt område", 2, "2018-10-01", full=False),
                _sq(1200, 500, 1800, 1000),
            ),
            (_police("Trasig", "Okänd klass", 9, "2018-10-01", full=False), _sq(0, 0, 10, 10)),
        ],
    )
    _write(
        folder / "uso_2025.geojson",
        [
            (
                _police("Alfa", "Särskilt utsatt område", 1, "2025-12-01", full=True),
                _sq(700, 0, 1700, 400),
            ),
            (
                _police("Beta", "Särskilt utsatt område", 2, "2018-10-01", full=True),
                _sq(1200, 500, 1500, 1000),
            ),
            (
                _police("Gamma", "Särskilt utsatt område", 3, "2025-12-01", full=True),
                _sq(1500, 500, 1800, 1000),
            ),
        ],
    )
    to_wgs = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    rows = ["id;tid_fran;typ;kalla;text;lat;lon"]
    for k, x in enumerate((500, 1500, 3500)):
        lon, lat = to_wgs.transform(X0 + x, Y0 + 200)
        rows.append(f"E-{k};2024-11-0{k + 1} 12:00;Skadegörelse;Polisen;Händelse;{lat};{lon}")
    (folder / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = folder / "pack.toml"
    config.write_text(
        f"""period = "2024-Q4"
png = false
pages = {{ stadsdel = "alla" }}
{extra}
[inputs]
events = "events.csv"
areas = [{{ path = "areas.geojson", level = "stadsdel" }}]
utsatta_omraden = [
  {{ edition = 2023, path = "uso_2023.geojson" }},
  {{ edition = 2025, path = "uso_2025.geojson" }},
]
""",
        encoding="utf-8",
    )
    return config


def _section(page: Path, heading: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    start = text.index(heading)
    block = text[start : text.index("</section>", start)]
    return [html.unescape(li).strip() for li in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


def test_pages_list_the_utsatta_omraden_and_their_history(tmp_path):
    config, base = load_config(_inputs(tmp_path))
    result = build_pack(config, base, tmp_path / "pack")
    assert not result.failed
    out = tmp_path / "pack"
    sources = (
        "Källa: Polismyndighetens lista över utsatta områden, utgåvorna 2023 (uso_2023.geojson) "
        "och 2025 (uso_2025.geojson)."
    )
    soder = _section(out / "stadsdel/soderby/lagesbild.html", "Utsatta områden (polisens lista)")
    assert soder[:3] == [
        # 70 % of Alfa (x 700..1700) lies in Söderby (x 1000..2000)
        "Alfa (lista 2025: 70 % av det utsatta området ligger i Söderby): 2023: utsatt område "
        "→ 2025: särskilt utsatt område; på listan i denna form sedan 2025-12-01 (AKTUALITET)",
        # Beta kept id 2 with half of the old area: IoU 0.5; Gamma the other half
        "Beta (lista 2025: 100 % av det utsatta området ligger i Söderby): 2023: särskilt "
        "utsatt område → 2025: särskilt utsatt område; 2025: nytt namn Beta, tidigare Beta / "
        "Gamma; 2025: gränsen ändrad (50 % av ytorna gemensam); 2025: delat i Beta och Gamma; "
        "på listan i denna form sedan 2018-10-01 (AKTUALITET)",
        "Gamma (lista 2025: 100 % av det utsatta området ligger i Söderby): 2025: särskilt "
        "utsatt område; 2025: utbrutet ur Beta / Gamma (100 % av ytan låg där); på listan i "
        "denna form sedan 2025-12-01 (AKTUALITET)",
    ]
    assert soder[3] == sources
    assert soder[4].startswith("Listor före 2023 är inte med i underlaget")
    norr = _section(out / "stadsdel/norrby/lagesbild.html", "Utsatta områden (polisens lista)")
    assert norr[0].startswith("Alfa (lista 2025: 30 % av det utsatta området ligger i Norrby)")
    tom = _section(out / "stadsdel/tomby/lagesbild.html", "Utsatta områden (polisens lista)")
    assert tom[0] == (
        "Inget av polisens utsatta områden (utgåvorna 2023 och 2025) överlappar området."
    )
    # the 2023 edition's row with no police category is rejected, with its file and reason
    with (out / "avvisade_rader.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    rejected = [r for r in rows[1:] if "uso_2023.geojson" in ";".join(r)]
    assert len(rejected) == 1
    assert "Okänd klass" in ";".join(rejected[0])
    # an unchanged rebuild reuses every page; the section is part of each page's key
    again = build_pack(config, base, out)
    assert all(p["reused"] for p in again.pages)


def test_the_section_in_english(tmp_path):
    config, base = load_config(_inputs(tmp_path, 'lang = "en"'))
    build_pack(config, base, tmp_path / "pack")
    lines = _section(
        tmp_path / "pack/stadsdel/soderby/lagesbild.html", "Vulnerable areas (police list)"
    )
    assert lines[1] == (
        "Beta (list of 2025: 100 % of the vulnerable area lies in Söderby): 2023: especially "
        "vulnerable area → 2025: especially vulnerable area; 2025: renamed Beta, formerly "
        "Beta / Gamma; 2025: boundary changed (50 % of the areas shared); 2025: split into "
        "Beta and Gamma; on the list in this form since 2018-10-01 (AKTUALITET)"
    )


def test_the_configuration_of_the_editions_is_checked_before_work(tmp_path):
    config = _inputs(tmp_path)
    text = config.read_text("utf-8")
    config.write_text(text.replace("edition = 2025", "edition = 2023"), encoding="utf-8")
    with pytest.raises(ConfigError, match="utgåvan 2023 finns två gånger"):
        load_config(config)
    config.write_text(text.replace("uso_2025.geojson", "saknas.geojson"), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("inputs.utsatta_omraden[1].path")):
        load_config(config)
    config.write_text(text.replace("edition = 2025", 'edition = "tjugo"'), encoding="utf-8")
    refused = 'inputs.utsatta_omraden[1].edition = "tjugo" är inte tillåtet; tillåtet: ett heltal'
    with pytest.raises(ConfigError, match=re.escape(refused)):
        load_config(config)


def test_a_public_pack_names_the_editions_without_their_files(tmp_path):
    config, base = load_config(_inputs(tmp_path, 'privacy = "public"'))
    assert not build_pack(config, base, tmp_path / "pack").failed
    out = tmp_path / "pack"
    lines = _section(out / "stadsdel/soderby/lagesbild.html", "Utsatta områden (polisens lista)")
    assert (
        lines[3] == "Källa: Polismyndighetens lista över utsatta områden, utgåvorna 2023 och 2025."
    )
    assert not any("uso_20" in line for line in lines)
    rejected = (out / "avvisade_rader.csv").read_text("utf-8-sig")
    assert "inputs.utsatta_omraden[0];KATEGORI;1" in rejected
    assert "uso_2023" not in rejected
    inputs = json.loads((out / "manifest.json").read_text("utf-8"))["inputs"]
    assert inputs["utsatta_omraden[1]"] == {"key": "inputs.utsatta_omraden[1]", "edition": "2025"}


def test_editions_without_boundaries_say_what_cannot_be_shown(tmp_path):
    config = _inputs(tmp_path)
    (tmp_path / "listor.csv").write_text(
        "edition;namn;kategori;ort\n2019;Alfa;utsatt område;Stockholm\n"
        "2021;Alfa;särskilt utsatt område;Stockholm\n",
        encoding="utf-8",
    )
    text = re.sub(
        r"utsatta_omraden = \[.*?\n\]",
        'utsatta_omraden = [{ edition = 2021, path = "listor.csv" }]',
        config.read_text("utf-8"),
        flags=re.S,
    )
    config.write_text(text, encoding="utf-8")
    loaded, base = load_config(config)
    assert not build_pack(loaded, base, tmp_path / "pack").failed
    lines = _section(
        tmp_path / "pack/stadsdel/norrby/lagesbild.html", "Utsatta områden (polisens lista)"
    )
    assert lines[0] == (
        "Polisens listor (utgåvorna 2019 och 2021) är givna utan gränser: vilka utsatta "
        "områden som ligger i området kan inte visas."
    )
