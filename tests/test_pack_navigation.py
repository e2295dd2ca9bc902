"""Issue 14, navigation and names: the index links every page, the action lists, the changes
page and the rejected rows; every other page links back; the changes page and the action
lists say where and what each finding is; area names show as people write them; an utsatt
område shows the police's category and the list's year.

Expected values are written out by hand (names, places, encodings, counts of the demo
files), never taken from the code's output.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.io.readers import read_areas
from geo_trygg.pack import build_pack, load_config
from geo_trygg.pack._actions import NEAR_METRES, write_action_lists
from geo_trygg.pack._build import _uri
from geo_trygg.pack._changes import finding_details, write_changes
from geo_trygg.pack._index import area_police_categories, police_category
from geo_trygg.pack._names import display_name, display_names

# --- names as people write them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("SÖDERMALM", "Södermalm"),
        ("HÄGERSTEN-ÄLVSJÖ", "Hägersten-Älvsjö"),
        ("ENSKEDE-ÅRSTA-VANTÖR", "Enskede-Årsta-Vantör"),
        ("NORRA DJURGÅRDEN", "Norra Djurgården"),
        ("S:T ERIK", "S:t Erik"),
        ("ÄLVSJÖ", "Älvsjö"),
        ("KUNGSHOLMEN OCH STADSHAGEN", "Kungsholmen och Stadshagen"),
        ("BROMMA VID SJÖN", "Bromma vid Sjön"),
        ("HUSBY I NORR", "Husby i Norr"),
        ("I STAN", "I Stan"),  # the first word is always capitalised
        ("KISTA II", "Kista II"),  # a Roman numeral stays
        ("ÖSTERMALM  (DEL)", "Östermalm  (Del)"),  # spaces and brackets as written
        # names in mixed case stay exactly as written
        ("Hägersten-Älvsjö", "Hägersten-Älvsjö"),
        ("van Gogh I NORR", "van Gogh I NORR"),
        ("Rinkeby-Kista", "Rinkeby-Kista"),
        ("123", "123"),
        ("", ""),
    ],
)
def test_display_name_by_hand(source: str, shown: str) -> None:
    assert display_name(source) == shown


@given(st.text(max_size=40))
def test_display_name_is_idempotent(name: str) -> None:
    once = display_name(name)
    assert display_name(once) == once


@given(st.text(max_size=40))
def test_display_name_changes_only_all_caps_names_and_only_case(name: str) -> None:
    shown = display_name(name)
    if any(ch.islower() for ch in name):
        assert shown == name
    assert len(shown) == len(name)
    for before, after in zip(name, shown, strict=True):
        assert after == before or after.lower() == before.lower()  # only the case changes


@given(st.text(alphabet="ABCÅÄÖÉÜ -:", min_size=1, max_size=30))
def test_display_name_of_capitals_is_lower_after_the_first_letter_of_each_word(
    name: str,
) -> None:
    shown = display_name(name)
    words = re.split(r"[ \-]", shown)
    for i, word in enumerate(words):
        letters = [ch for ch in word if ch.isalpha()]
        if not letters:
            continue
        assert letters[0].isupper() or (i > 0 and word in {"å"})  # "å" (river) is a function word
        assert all(ch.islower() for ch in letters[1:])


def test_display_names_keep_the_source_and_never_merge_two_areas() -> None:
    areas = pd.DataFrame(
        {
            "name": ["SÖDERMALM", "ÄLVSJÖ", "Älvsjö", "ÄLVSJÖ", "Bromma"],
            "level": ["stadsdel", "stadsdel", "stadsdel", "lpo", "stadsdel"],
        }
    )
    shown = display_names(areas)
    # ÄLVSJÖ beside Älvsjö in one level keeps its spelling; in another level it is shown
    assert shown["name"].tolist() == ["Södermalm", "ÄLVSJÖ", "Älvsjö", "Älvsjö", "Bromma"]
    assert shown["name_source"].tolist() == ["SÖDERMALM", "ÄLVSJÖ", "Älvsjö", "ÄLVSJÖ", "Bromma"]
    assert areas["name"].tolist()[0] == "SÖDERMALM"  # the input is not changed


# --- the police's category of an utsatt område --------------------------------------------


def test_police_category_in_words() -> None:
    assert police_category("Särskilt utsatt område", 2023, "sv") == (
        "Särskilt utsatt område enligt polisens lista 2023"
    )
    assert police_category("utsatt område", 2025, "en") == (
        "Vulnerable area on the police list of 2025"
    )
    assert police_category("Riskområde", None, "en") == "Risk area"
    assert police_category("Något annat", None, "sv") == "Något annat"
    assert police_category("  ", 2023, "sv") is None


def test_area_police_categories_take_the_list_of_the_period() -> None:
    areas = pd.DataFrame(
        {
            "name": ["Fittja", "Fittja", "Husby", "Bromma"],
            "level": ["utsatt_omrade", "utsatt_omrade", "utsatt_omrade", "stadsdel"],
            "kategori": ["Riskområde", "Utsatt område", "Särskilt utsatt område", None],
            "valid_from": pd.to_datetime(["2023-12-01", "2025-12-01", "2023-12-01", None]),
        }
    )
    in_2024 = area_police_categories(areas, ["utsatt_omrade", "stadsdel"], "sv", "2024-07-01")
    assert in_2024 == {
        ("utsatt_omrade", "Fittja"): "Riskområde enligt polisens lista 2023",
        ("utsatt_omrade", "Husby"): "Särskilt utsatt område enligt polisens lista 2023",
    }
    in_2026 = area_police_categories(areas, ["utsatt_omrade"], "sv", "2026-03-01")
    assert in_2026[("utsatt_omrade", "Fittja")] == "Utsatt område enligt polisens lista 2025"
    assert area_police_categories(areas.drop(columns="kategori"), ["utsatt_omrade"], "sv") == {}


# --- action lists: the place, the map link ------------------------------------------------


def _square(x: float, y: float, side: float = 100.0) -> shapely.Polygon:
    return shapely.box(x, y, x + side, y + side)


def _findings(points: list[tuple[float, float]], **columns: list[object]) -> gpd.GeoDataFrame:
    n = len(points)
    return gpd.GeoDataFrame(
        {
            "finding_id": [f"F{i}" for i in range(1, n + 1)],
            "walk_date": pd.to_datetime(["2024-03-05"] * n),
            "status": ["new"] * n,
            "deadline": pd.to_datetime(["2024-12-01"] * n),
            "status_date": pd.to_datetime(["2024-03-05"] * n),
            "responsible_actor": ["trafikkontoret"] * n,
            "category": ["lighting"] * n,
            **columns,
        },
        geometry=[shapely.Point(x, y) for x, y in points],
        crs="EPSG:3006",
    )


def test_the_place_is_the_address_else_the_named_place_else_the_point(tmp_path: Path) -> None:
    places = gpd.GeoDataFrame(
        {"name": ["Torget", "Parken"]},
        geometry=[_square(674000, 6580000), _square(675000, 6580000)],
        crs="EPSG:3006",
    )
    findings = _findings(
        [
            (674050, 6580050),  # in Torget, but with an address
            (674050, 6580050),  # in Torget
            (674100 + NEAR_METRES - 1, 6580050),  # 249 m east of Torget
            (674100 + NEAR_METRES + 1, 6580050),  # 251 m east of Torget, 649 m west of Parken
            (675050, 6580100),  # on Parken's border: in Parken
        ],
        address=["Storgatan 1", None, " ", None, None],
    )
    lists = write_action_lists(
        findings.to_crs("EPSG:4326"), as_of="2024-06-30", folder=tmp_path, places=places
    )
    sheet = openpyxl.load_workbook(lists[0].xlsx).active
    assert sheet is not None
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["F1"][3] == "Storgatan 1"
    assert rows["F2"][3] == "Torget"
    assert rows["F3"][3] == "nära Torget"
    assert rows["F5"][3] == "Parken"
    # no place within 250 m: the point in WGS 84, as its map column shows it too
    assert rows["F4"][3] == rows["F4"][10]
    assert re.fullmatch(r"59\.\d{5}, 18\.\d{5}", str(rows["F4"][3]))


def test_a_place_column_is_used_before_the_places(tmp_path: Path) -> None:
    findings = _findings([(674050, 6580050)], place=["Älvsjö centrum"])
    places = gpd.GeoDataFrame(
        {"name": ["Torget"]}, geometry=[_square(674000, 6580000)], crs="EPSG:3006"
    )
    lists = write_action_lists(findings, as_of="2024-06-30", folder=tmp_path, places=places)
    sheet = openpyxl.load_workbook(lists[0].xlsx).active
    assert sheet is not None
    assert sheet.cell(row=2, column=4).value == "Älvsjö centrum"


def test_the_summary_and_the_back_link(tmp_path: Path) -> None:
    findings = _findings([(674050, 6580050)] * 3, responsible_actor=["sl", None, "sl"])
    findings.loc[2, "deadline"] = pd.Timestamp("2024-06-01")  # overdue on 2024-06-30
    lists = write_action_lists(
        findings, as_of="2024-06-30", folder=tmp_path, nav=[("Startsida", "../index.html")]
    )
    assert [(a.actor, a.html.name, a.xlsx.name, a.n_open, a.n_overdue) for a in lists] == [
        ("SL (kollektivtrafik)", "sl-kollektivtrafik.html", "sl-kollektivtrafik.xlsx", 2, 1),
        ("Okänd ansvarig", "okand-ansvarig.html", "okand-ansvarig.xlsx", 1, 0),
    ]
    page = lists[0].html.read_text(encoding="utf-8")
    assert '<nav class="gt-links" aria-label="Navigering">' in page
    assert '<li><a href="../index.html">Startsida</a></li>' in page


def test_map_links_are_encoded_as_encodeuricomponent() -> None:
    # written out by hand: Ä = C3 84, ö = C3 B6, space = 20, / = 2F, # = 23, ? = 3F, & = 26
    assert _uri("Älvsjö centrum 2024-03-05-31ba4c25") == (
        "%C3%84lvsj%C3%B6%20centrum%202024-03-05-31ba4c25"
    )
    assert _uri("a/b#c?d&e") == "a%2Fb%23c%3Fd%26e"
    assert _uri("A-Z_a.z!~*'()") == "A-Z_a.z!~*'()"  # what encodeURIComponent leaves


# --- the changes page ---------------------------------------------------------------------


def test_changes_show_what_each_finding_is(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "finding_id": ["V1-1", "V1-2"],
            "category": ["lighting", "graffiti_vandalism"],
            "description": ["Mörkt vid <b>torget</b>", None],
            "responsible_actor": ["trafikkontoret", None],
            "status": ["new", "done"],
            "walk_date": pd.to_datetime(["2024-10-15", "2024-03-05"]),
            "deadline": pd.to_datetime(["2024-11-14", None]),
            "status_date": pd.to_datetime(["2024-10-15", "2024-12-20"]),
            "stadsdelsomrade": ["Hägersten-Älvsjö", None],
            "lpo": ["Globen", "Botkyrka"],
        }
    )
    details = finding_details(frame, ["stadsdelsomrade", "lpo"], "sv")
    previous = {
        "findings": {"V1-2": {"status": "in_progress", "overdue": True}},
        "labels": {},
    }
    current = {
        "findings": {
            "V1-1": {"status": "new", "overdue": False},
            "V1-2": {"status": "done", "overdue": False},
        },
        "labels": {},
    }
    path = write_changes(
        tmp_path / "andringar.html",
        previous=previous,
        current=current,
        lang="sv",
        banner=None,
        details=details,
        nav=[("Startsida", "index.html")],
    )
    page = path.read_text(encoding="utf-8")
    assert '<li><a href="index.html">Startsida</a></li>' in page
    new = page.split("Nya brister (1)")[1].split("</table>")[0]
    assert (
        '<tr><th scope="row">V1-1</th><td>Hägersten-Älvsjö, Globen</td><td>Belysning</td>'
        "<td>Mörkt vid &lt;b&gt;torget&lt;/b&gt;</td><td>Trafikkontoret</td>"
        '<td class="date">2024-10-15</td><td class="date">2024-11-14</td><td>Ny</td>'
        '<td class="date">2024-10-15</td></tr>'
    ) in new
    closed = page.split("Stängda brister (1)")[1].split("</table>")[0]
    assert (
        '<tr><th scope="row">V1-2</th><td>Botkyrka</td><td>Klotter och skadegörelse</td>'
        '<td></td><td></td><td class="date">2024-03-05</td><td class="date"></td>'
        '<td>Åtgärdad</td><td class="date">2024-12-20</td></tr>'
    ) in closed


def test_changes_read_an_old_state_without_details(tmp_path: Path) -> None:
    previous = {"findings": {}, "labels": {}}  # an old manifest's state
    current = {"findings": {"X": {"status": "in_progress", "overdue": False}}, "labels": {}}
    page = write_changes(
        tmp_path / "a.html", previous=previous, current=current, lang="en", banner=None
    ).read_text(encoding="utf-8")
    empty = '<td></td><td></td><td></td><td></td><td class="date"></td><td class="date"></td>'
    assert f'<tr><th scope="row">X</th>{empty}' in page
    assert "<td>In progress</td>" in page


# --- the demo pack ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nav")
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('classification = "DEMO', 'png = false\nclassification = "DEMO')
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    config, base = load_config(folder / "pack.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, folder / "paket")
    return folder / "paket"


def test_index_links_every_file_of_the_pack(demo_pack: Path) -> None:
    index = (demo_pack / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"#]+)"', index))
    files = {
        p.relative_to(demo_pack).as_posix()
        for p in demo_pack.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xlsx", ".csv") and p.name != "index.html"
    }
    assert files <= hrefs  # every page, list, Excel file and the rejected rows
    # the demo has 2 rejected rows (a finding without longitude, a survey figure in words) and 5
    # actors with open findings
    assert '<a href="avvisade_rader.csv">Avvisade indatarader: 2 (se avvisade_rader.csv)</a>' in (
        index
    )
    assert len(list((demo_pack / "atgardslistor").glob("*.html"))) == 5
    assert "<td>SL (kollektivtrafik)</td>" in index
    assert "<td>Trafikkontoret</td>" in index


def test_every_other_page_links_back(demo_pack: Path) -> None:
    changes = (demo_pack / "andringar.html").read_text(encoding="utf-8")
    assert '<li><a href="index.html">Startsida</a></li>' in changes
    for path in (demo_pack / "atgardslistor").glob("*.html"):
        assert '<li><a href="../index.html">Startsida</a></li>' in path.read_text("utf-8")


def test_action_lists_in_the_pack_name_places_and_link_the_finding(demo_pack: Path) -> None:
    sheet = openpyxl.load_workbook(demo_pack / "atgardslistor" / "trafikkontoret.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # the demo's findings are on walks at Älvsjö centrum and Fittja centrum (the places)
    assert {r[3] for r in rows} <= {
        "Älvsjö centrum",
        "nära Älvsjö centrum",
        "Fittja centrum",
        "nära Fittja centrum",
    }
    assert all(r[3] for r in rows)
    # the stadsdel ÄLVSJÖ shown as Älvsjö; every map link opens the finding
    assert any(str(r[4]).startswith("Älvsjö, Hägersten-Älvsjö") for r in rows)
    for row in rows:
        # by hand: Ä = %C3%84, ö = %C3%B6, space = %20
        encoded = str(row[0]).replace(" ", "%20").replace("Ä", "%C3%84").replace("ö", "%C3%B6")
        assert str(row[10]).endswith(f"/karta.html#fynd={encoded}")
        assert str(row[10]).startswith("../")
    page = (demo_pack / "atgardslistor" / "trafikkontoret.html").read_text(encoding="utf-8")
    assert "ÄLVSJÖ" not in page


# --- real data ------------------------------------------------------------------------------


@pytest.mark.shared
def test_real_police_lists_in_words(shared_data: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lists = [
            read_areas(
                shared_data / "polisen_utsatta_omraden_2023/uso_2023.shp",
                source="polisen-utsatta-omraden-2023",
            ).accepted,
            read_areas(
                shared_data / "polisen_utsatta_omraden_2025/uso_2025.geojson",
                source="polisen-utsatta-omraden-2025",
            ).accepted,
        ]
    areas = pd.concat(lists, ignore_index=True)
    in_2024 = area_police_categories(areas, ["utsatt_omrade"], "sv", "2024-07-01")
    # the 2023 list: 59 areas (17 särskilt utsatta, 27 utsatta, 15 riskområden); an area
    # only on the 2025 list says so
    only_2025 = set(lists[1]["name"]) - set(lists[0]["name"])
    assert len(in_2024) == 59 + len(only_2025)
    assert sum(t.endswith("lista 2025") for t in in_2024.values()) == len(only_2025)
    assert in_2024[("utsatt_omrade", "Rosengård")] == (
        "Särskilt utsatt område enligt polisens lista 2023"
    )
    assert in_2024[("utsatt_omrade", "Gottsunda")] == "Riskområde enligt polisens lista 2023"
    texts = [t for t in in_2024.values() if t.endswith("lista 2023")]
    assert sum(t.startswith("Särskilt utsatt område") for t in texts) == 17
    assert sum(t.startswith("Utsatt område") for t in texts) == 27
    assert sum(t.startswith("Riskområde") for t in texts) == 15


@pytest.mark.shared
def test_real_stadsdelar_as_people_write_them(shared_data: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        areas = read_areas(
            shared_data / "stockholm_stadsdelar/geojson_simplified/stadsdelar.geo.json",
            source="stockholm-stadsdelar",
        ).accepted
    shown = display_names(areas)
    pairs = dict(zip(shown["name_source"], shown["name"], strict=True))
    assert pairs["NORRA DJURGÅRDEN"] == "Norra Djurgården"
    assert pairs["ÄLVSJÖ"] == "Älvsjö"
    assert pairs["HÄGERSTEN"] == "Hägersten"
    assert len(set(shown["name"])) == len(set(areas["name"])) == 117
    assert all(any(ch.islower() for ch in name) for name in shown["name"])


@pytest.mark.shared
def test_real_utsatt_omrade_page_on_the_index(shared_data: Path, tmp_path: Path) -> None:
    uso = (shared_data / "polisen_utsatta_omraden_2023/uso_2023.shp").as_posix()
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('classification = "DEMO', 'png = false\nclassification = "DEMO')
    text = text.replace('pages = ["stadsdelsomrade", "lpo"]', 'pages = ["utsatt_omrade"]')
    text = re.sub(
        r"areas = \[.*\]",
        f'areas = [{{ path = "{uso}", source = "polisen-utsatta-omraden-2023" }}]',
        text,
    )
    (tmp_path / "pack.toml").write_text(text, encoding="utf-8")
    config, base = load_config(tmp_path / "pack.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket", only=["Fittja"])
    index = (tmp_path / "paket" / "index.html").read_text(encoding="utf-8")
    # uso_2023.dbf: Fittja (Botkyrka), KATEGORI "Särskilt utsatt område", list of 2023-12-01
    assert (
        '<td>Fittja<br><span class="police">'
        "Särskilt utsatt område enligt polisens lista 2023</span></td>"
    ) in index
    # and under the title of the area's own page (a sentence of its own, read once)
    page = (tmp_path / "paket" / "utsatt_omrade" / "fittja" / "lagesbild.html").read_text(
        encoding="utf-8"
    )
    assert '<p class="lead">Särskilt utsatt område enligt polisens lista 2023</p>' in page
    assert page.count("enligt polisens lista") == 1
