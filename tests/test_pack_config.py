"""Pack configuration (issue 14, point 5): areas chosen per level, ranks among the areas that
get pages, stadsdelsområden and LPOs derived from the stadsdelar through the bundled
crosswalk, and the message when catalogued boundaries end before the period."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from geo_trygg import settings
from geo_trygg._errors import ConfigError
from geo_trygg.pack import build_pack, load_config

NAMES = ["Norrby", "Söderby", "Västerby", "Österby"]
"""Four squares in a row over Älvsjö (utsatta områden of this test), west to east."""
EVENTS_IN = {"Norrby": 5, "Söderby": 3, "Västerby": 1, "Österby": 0}
"""Events written into each square in 2024-Q4 (none before)."""


def _square(i: int) -> list[list[float]]:
    x0, y0 = 18.000 + 0.004 * i, 59.268
    return [[x0, y0], [x0 + 0.004, y0], [x0 + 0.004, y0 + 0.004], [x0, y0 + 0.004], [x0, y0]]


def _inputs(folder: Path, *, day: str = "2024-11-0{d} 12:00", props: str = "plain") -> None:
    """``areas.geojson`` (the four squares) and ``events.csv`` (:data:`EVENTS_IN`)."""
    features = []
    for i, name in enumerate(NAMES):
        if props == "uso2023":  # the fields of the catalogue's polisen-utsatta-omraden-2023
            properties = {"SPECIALOMR": f"U{i}", "NAMN": name}
        else:
            properties = {"id": f"U{i}", "namn": name}
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": [_square(i)]},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "areas.geojson").write_text(json.dumps(collection), encoding="utf-8")
    rows = ["id;tid_fran;typ;kalla;text;lat;lon"]
    for i, name in enumerate(NAMES):
        for k in range(EVENTS_IN[name]):
            when = day.format(d=k + 1)
            lat, lon = 59.270, 18.002 + 0.004 * i  # the square's centre
            rows.append(f"E-{i}-{k};{when};Skadegörelse;Polisen;Händelse;{lat};{lon}")
    (folder / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _config(folder: Path, pages: str, *, areas: str = "", period: str = "2024-Q4") -> Path:
    _inputs(folder)
    areas = areas or '{ path = "areas.geojson", level = "utsatt_omrade" }'
    path = folder / "pack.toml"
    path.write_text(
        f"""period = "{period}"
png = false
{pages}
[inputs]
events = "events.csv"
areas = [{areas}]
""",
        encoding="utf-8",
    )
    return path


def _index_rows(out: Path) -> dict[str, str]:
    """Area → the rank cell ("2 av 6", "2 of 6 (tied)") of its row on the index."""
    text = (out / "index.html").read_text(encoding="utf-8")
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", text, flags=re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        ranks = [c for c in cells if re.fullmatch(r"\d+ (av|of) \d+( \(\w+\))?", c)]
        if cells and ranks:
            rows[cells[0]] = ranks[0]
    return rows


# --- the configuration -------------------------------------------------------------------


def test_pages_as_a_table_of_levels_and_areas(tmp_path: Path) -> None:
    path = _config(tmp_path, 'pages = { utsatt_omrade = ["Söderby", "Västerby"], lpo = "alla" }')
    config, _ = load_config(path)
    assert config.page_levels == ["utsatt_omrade", "lpo"]
    assert config.chosen_areas("utsatt_omrade") == ["Söderby", "Västerby"]
    assert config.chosen_areas("lpo") is None  # every area
    # a [pages] table is the same table
    text = path.read_text(encoding="utf-8").replace(
        'pages = { utsatt_omrade = ["Söderby", "Västerby"], lpo = "alla" }\n', ""
    )
    path.write_text(
        text + '[pages]\nutsatt_omrade = ["Söderby", "Västerby"]\nlpo = "all"\n', "utf-8"
    )
    again, _ = load_config(path)
    assert again.page_levels == ["utsatt_omrade", "lpo"]
    assert again.chosen_areas("utsatt_omrade") == ["Söderby", "Västerby"]
    # the list form is unchanged, also as the manifest writes it
    listed, _ = load_config(_config(tmp_path, 'pages = ["utsatt_omrade"]'))
    assert listed.page_levels == ["utsatt_omrade"]
    assert listed.chosen_areas("utsatt_omrade") is None
    assert listed.model_dump()["pages"] == ["utsatt_omrade"]


@pytest.mark.parametrize(
    ("pages", "sv", "en"),
    [
        (
            'pages = { utsatt_omrade = "Husby" }',
            'pages.utsatt_omrade = "Husby" är inte tillåtet; tillåtet: en lista med nivåer',
            'pages.utsatt_omrade = "Husby" is not allowed; allowed: a list of levels',
        ),
        (
            "pages = { utsatt_omrade = [] }",
            "pages.utsatt_omrade = [] är inte tillåtet",
            "pages.utsatt_omrade = [] is not allowed",
        ),
        ("pages = {}", "pages = {  } är inte tillåtet", "pages = {  } is not allowed"),
        ("pages = []", "pages = [] är inte tillåtet", "pages = [] is not allowed"),
        ('pages = ["lpo", 3]', "pages[1] = 3 är inte tillåtet", "pages[1] = 3 is not allowed"),
        ("", "pages saknas; ange en lista med nivåer", "pages is missing; give a list of levels"),
    ],
)
def test_a_bad_pages_value_is_named_in_swedish_and_english(
    tmp_path: Path, pages: str, sv: str, en: str
) -> None:
    path = _config(tmp_path, pages)
    with pytest.raises(ConfigError) as swedish:
        load_config(path)
    assert sv in str(swedish.value)
    with settings.use_lang("en"), pytest.raises(ConfigError) as english:
        load_config(path)
    assert en in str(english.value)


# --- areas chosen, ranks among them ----------------------------------------------------------


def test_chosen_areas_get_pages_ranked_among_themselves(tmp_path: Path) -> None:
    # names as people type them: case and spaces do not matter, å ä ö do
    path = _config(tmp_path, 'pages = { utsatt_omrade = ["söderby", "  VÄSTERBY ", "Österby"] }')
    config, base = load_config(path)
    out = tmp_path / "paket"
    result = build_pack(config, base, out)
    assert not result.failed
    assert [p["area"] for p in result.pages] == ["Söderby", "Västerby", "Österby"]
    assert sorted(p.name for p in (out / "utsatt_omrade").iterdir()) == [
        "osterby",
        "soderby",
        "vasterby",
    ]
    # events only (no comparison can be made: the data begin in the period), so the order is
    # that of the events written: 3, 1, 0 → ranks 1, 2, 3 of 3 (among all four, 2, 3, 4)
    ranks = {p["area"]: p["rank"] for p in result.pages}
    assert ranks == {"Söderby": 1, "Västerby": 2, "Österby": 3}
    assert _index_rows(out) == {"Söderby": "1 av 3", "Västerby": "2 av 3", "Österby": "3 av 3"}
    said = (
        "Prioriteringens rang räknas bland de 3 utsatta områden som har sidor i paketet "
        "(av 4 i områdesfilerna)."
    )
    assert said in html.unescape((out / "index.html").read_text(encoding="utf-8"))
    page = html.unescape((out / "utsatt_omrade/soderby/lagesbild.html").read_text("utf-8"))
    assert said in page
    # --only narrows the pages, and the ranks with them
    again = build_pack(config, base, tmp_path / "bara", only=["Västerby", "Österby"])
    assert {p["area"]: p["rank_text"] for p in again.pages} == {
        "Västerby": "1 av 2",
        "Österby": "2 av 2",
    }
    # one page: nothing to rank it among, and the page says so in a sentence of its own
    alone = build_pack(config, base, tmp_path / "ensam", only=["Österby"])
    assert [p["rank"] for p in alone.pages] == [None]
    page = html.unescape(
        (tmp_path / "ensam" / "utsatt_omrade/osterby/lagesbild.html").read_text("utf-8")
    )
    assert (
        "Paketet har en sida för bara ett av 4 områden på nivån utsatta områden, så ingen rang "
        "räknas där."
    ) in page
    assert "räknas bland de 1" not in page


def test_every_area_keeps_the_ranks_of_the_whole_level(tmp_path: Path) -> None:
    config, base = load_config(_config(tmp_path, 'pages = { utsatt_omrade = "alla" }'))
    result = build_pack(config, base, tmp_path / "paket")
    assert {p["area"]: p["rank_text"] for p in result.pages} == {
        "Norrby": "1 av 4",
        "Söderby": "2 av 4",
        "Västerby": "3 av 4",
        "Österby": "4 av 4",
    }
    index = (tmp_path / "paket" / "index.html").read_text(encoding="utf-8")
    assert "Prioriteringens rang räknas bland" not in index


def test_english_pack_says_rank_of(tmp_path: Path) -> None:
    path = _config(tmp_path, 'lang = "en"\npages = { utsatt_omrade = ["Norrby", "Österby"] }')
    config, base = load_config(path)
    result = build_pack(config, base, tmp_path / "paket")
    assert [p["rank_text"] for p in result.pages] == ["1 of 2", "2 of 2"]
    index = html.unescape((tmp_path / "paket" / "index.html").read_text(encoding="utf-8"))
    assert (
        "The priority ranks are among the 2 vulnerable areas (utsatta områden) with pages in "
        "the pack (of 4 in the area files)."
    ) in index


def test_an_unknown_area_stops_the_build_naming_the_closest(tmp_path: Path) -> None:
    path = _config(tmp_path, 'pages = { utsatt_omrade = ["Söderbyy", "Norrby", "Xyz"] }')
    config, base = load_config(path)
    out = tmp_path / "paket"
    with pytest.raises(ConfigError) as refused:
        build_pack(config, base, out)
    # the closest first: "söderbyy" differs from "söderby" in one letter, from "österby"
    # and "västerby" in more (difflib's ratios 0.93, 0.67, 0.63; the cut-off is 0.6)
    assert str(refused.value).splitlines() == [
        'pages.utsatt_omrade: "Söderbyy" är inget område på nivån utsatta områden i '
        'områdesfilerna; närmast: "Söderby", "Österby", "Västerby"',
        'pages.utsatt_omrade: "Xyz" är inget område på nivån utsatta områden i '
        'områdesfilerna; där finns t.ex. "Norrby", "Söderby", "Västerby"',
    ]
    assert not out.exists()  # before any work
    with settings.use_lang("en"), pytest.raises(ConfigError) as english:
        build_pack(config, base, out)
    assert str(english.value).splitlines()[0] == (
        'pages.utsatt_omrade: "Söderbyy" is not an area of the level vulnerable areas '
        '(utsatta områden) in the area files; closest: "Söderby", "Österby", "Västerby"'
    )


# --- boundaries that end before the period ------------------------------------------------------


def test_boundaries_ending_before_the_period_name_the_catalogued_source(tmp_path: Path) -> None:
    _inputs(tmp_path, day="2026-01-0{d} 12:00", props="uso2023")
    path = tmp_path / "pack.toml"
    path.write_text(
        """period = "2026-01"
png = false
pages = ["utsatt_omrade"]
[inputs]
events = "events.csv"
areas = [{ path = "areas.geojson", source = "polisen-utsatta-omraden-2023" }]
""",
        encoding="utf-8",
    )
    config, base = load_config(path)
    with pytest.raises(ConfigError) as refused:
        build_pack(config, base, tmp_path / "paket")
    # the 2023 list is valid 2023-12-01 up to 2025-12-01 (catalogue), the 2025 one from then;
    # the period 2026-01 is compared with 2025-12, so both are counted on 2026-01-31
    assert str(refused.value) == (
        "Utsatta områden: inga gränser i areas.geojson gäller 2026-01-31 (sista dagen i den "
        "senare perioden); gränserna där gäller 2023-12-01–2025-11-30. Ange gränser som "
        "gäller då i [inputs] areas, t.ex. katalogens källa polisen-utsatta-omraden-2025: "
        '{ path = "…", source = "polisen-utsatta-omraden-2025" } (se geo-trygg boundaries '
        "list)."
    )
    assert not (tmp_path / "paket").exists()


def test_stadsdelsomraden_ending_before_the_period_say_how_to_derive_them(
    tmp_path: Path,
) -> None:
    _inputs(tmp_path, day="2024-02-0{d} 12:00")
    raw = json.loads((tmp_path / "areas.geojson").read_text(encoding="utf-8"))
    for feature in raw["features"]:  # the fields of stockholm-stadsdelsomraden-2020
        feature["properties"] = {"Sdn_omarde": feature["properties"]["namn"]}
    (tmp_path / "sdn.geojson").write_text(json.dumps(raw), encoding="utf-8")
    path = tmp_path / "pack.toml"
    path.write_text(
        """period = "2024-Q1"
png = false
pages = ["stadsdelsomrade"]
[inputs]
events = "events.csv"
areas = [{ path = "sdn.geojson", source = "stockholm-stadsdelsomraden-2020" }]
""",
        encoding="utf-8",
    )
    config, base = load_config(path)
    with pytest.raises(ConfigError) as refused:
        build_pack(config, base, tmp_path / "paket")
    assert str(refused.value) == (
        "Stadsdelsområden: inga gränser i sdn.geojson gäller 2024-03-31 (sista dagen i den "
        "senare perioden); gränserna där gäller 2020-07-01–2023-06-30. Katalogen har inga "
        "sådana gränser för det datumet: ta bort filen ur [inputs] areas och ange "
        'stadsdelarna (t.ex. katalogens källa "stockholm-stadsdelar"), så härleder paketet '
        "stadsdelsområden från dem genom den medföljande korstabellen."
    )
    with settings.use_lang("en"), pytest.raises(ConfigError) as english:
        build_pack(config, base, tmp_path / "paket")
    assert str(english.value).startswith(
        "District areas (stadsdelsområden): no boundaries in sdn.geojson are valid on "
        "2024-03-31 (the last day of the later period)"
    )


# --- derived from the real stadsdelar ---------------------------------------------------------

LPO_2024 = ["Farsta", "Globen", "Järva", "Norrmalm", "Skärholmen", "Södermalm", "Vällingby"]
"""The city's LPOs before the reform of 2025-01-01 (Norrmalm then also held Kungsholmen and
Norra innerstaden; polisen.se medborgarlöften, see geo_trygg/data/crosswalks)."""


@pytest.mark.shared
def test_real_stadsdelar_give_11_stadsdelsomraden_and_7_lpo(
    shared_data: Path, tmp_path: Path
) -> None:
    sdl = shared_data / "stockholm_stadsdelar"
    events = shared_data / "polisen_events_api" / "events_stockholms_lan_2023-03_2026-08.json"
    path = tmp_path / "pack.toml"
    path.write_text(
        f"""title = "Stockholm"
period = "2024-Q1"
png = false
pages = {{ stadsdelsomrade = "alla", lpo = "alla" }}
[inputs]
events = "{events.as_posix()}"
areas = [{{ path = "{(sdl / "geojson_simplified" / "stadsdelar.geo.json").as_posix()}", \
source = "stockholm-stadsdelar" }}]
""",
        encoding="utf-8",
    )
    config, base = load_config(path)
    out = tmp_path / "paket"
    result = build_pack(config, base, out)
    assert not result.failed
    # the 11 stadsdelsområden of 2023-07-01, as the shared data's own table (made by overlay
    # and published lists, not by this package) assigns the 117 stadsdelar
    with (sdl / "stadsdel_to_stadsdelsomrade.csv").open(encoding="utf-8") as f:
        division = sorted({row["stadsdelsomrade_2023"] for row in csv.DictReader(f)})
    assert len(division) == 11
    shown = {lv: [p["area"] for p in result.pages if p["level"] == lv] for lv in config.pages}
    assert shown == {"stadsdelsomrade": division, "lpo": LPO_2024}
    for page in result.pages:  # ranks among the 11 and among the 7
        n = 11 if page["level"] == "stadsdelsomrade" else 7
        assert re.fullmatch(rf"\d+ av {n}( \(delad\))?", page["rank_text"]), page
    index = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    derived = [("Stadsdelsområden", "stadsdelsomrade", 11), ("Lokalpolisområden", "lpo", 7)]
    for words, code, n in derived:
        said = (
            f"{words} är härledda från stadsdelar genom den medföljande korstabellen "
            f"(stadsdel → {code}, indelningen som gäller 2024-03-31): {n} områden av 117 "
            "stadsdelar i områdesfilerna."
        )
        assert said in index
        page = out / code / "jarva" / "lagesbild.html"
        assert said in html.unescape(page.read_text(encoding="utf-8"))
        # and only on the pages of the level it is about
        other = out / ("lpo" if code == "stadsdelsomrade" else "stadsdelsomrade") / "jarva"
        assert said not in html.unescape((other / "lagesbild.html").read_text(encoding="utf-8"))
