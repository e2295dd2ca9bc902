"""Packs from the register (issue 15, point 4): ``register = "…"`` instead of the findings and
events files, on a GeoPackage and (``register_target``) a fresh PostGIS database; the plan page
of every area page, internal and public; the register's state as the manifest's input.

The data are small and synthetic: two areas side by side, a walk of four findings, events in
September and November–December 2024, three measures. Every expected value on the plan page is
worked out here by hand from the dates and coordinates below (never read from the code).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo_trygg import ConfigError
from geo_trygg.pack import build_pack, load_config
from geo_trygg.register import open_register

X0, Y0 = 674_000, 6_575_000  # SWEREF 99 TM
AREAS = {  # two areas sharing the edge x = X0 + 1000
    "Väst": ("vast", shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)),
    "Öst": ("ost", shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)),
}
M1_BOX = shapely.box(X0 + 100, Y0 + 100, X0 + 400, Y0 + 400)  # in Väst
# M1 starts 2024-11-01; the pack's period 2024-Q4 ends 2025-01-01 (exclusive): 61 days after
# (Nov 1 – Dec 31) and 61 before (Sep 1 – Oct 31)
BEFORE = [f"2024-09-{d:02d} 12:00" for d in (3, 10, 17, 24)]  # 4 in M1's place before
AFTER = [f"2024-11-{d:02d} 12:00" for d in (4, 8, 12, 16, 20, 24)] + [
    "2024-12-05 12:00",
    "2024-12-19 12:00",
]  # 8 after
OST = [f"2024-10-{d:02d} 21:00" for d in (2, 9, 16, 23, 30)]  # 5 in Öst, in the period
SECRET_TEXTS = {  # free text of the non-public measures and the problems: never public
    "Ny belysning i gången",
    "Mörker under vintern",
    "Halverad skadegörelse",
    "Gatuenheten Väst",
    "Räkna händelser varje kvartal",
    "Skadegörelse vid torget",
    "Skadegörelse i parken",
    "Mörka gångar enligt vandringen",
    "Ny trappa",
    "Trasiga trappsteg",
}


def _inputs(folder: Path) -> dict[str, Path]:
    """Areas (GeoPackage), events (CSV), a walk protocol (CSV) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = list(AREAS)
    gpd.GeoDataFrame(
        {"area_id": [AREAS[n][0] for n in names], "name": names, "level": ["stadsdel"] * 2},
        geometry=[AREAS[n][1] for n in names],
        crs="EPSG:3006",
    ).to_file(folder / "areas.gpkg", driver="GPKG")
    rows = ["id;tid_fran;typ;text;nord;öst"]
    for i, when in enumerate(BEFORE + AFTER):
        rows.append(f"E{i};{when};Skadegörelse;Klotter;{Y0 + 200 + i};{X0 + 200 + i}")
    for i, when in enumerate(OST):
        rows.append(f"O{i};{when};Skadegörelse;Krossad ruta;{Y0 + 500};{X0 + 1500 + i}")
    (folder / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["id;datum;kategori;beskrivning;ansvarig;status;åtgärdsdatum;statusdatum;nord;öst"]
    walk = [  # in Öst: two done, one open and overdue on 2024-12-31, one open not yet due
        ("F1", "Klar", "2024-11-20"),
        ("F2", "Klar", "2024-11-20"),
        ("F3", "Ny", "2024-12-01"),
        ("F4", "Ny", "2025-03-01"),
    ]
    for i, (fid, status, deadline) in enumerate(walk):
        rows.append(
            f"{fid};2024-11-05;Belysning;Trasig lampa;Trafikkontoret;{status};{deadline};"
            f"2024-11-10;{Y0 + 300};{X0 + 1200 + 50 * i}"
        )
    (folder / "walk.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {
        "areas": folder / "areas.gpkg",
        "events": folder / "events.csv",
        "walk": folder / "walk.csv",
    }


def _plan(reg) -> None:
    reg.add_problems(
        pd.DataFrame(
            {
                "problem_id": ["P1", "P2", "P3"],
                "kind": ["category_area", "findings", "category_area"],
                "category": ["vandalism", None, "vandalism"],
                "level": ["stadsdel", None, "stadsdel"],
                "area": ["Öst", None, "Väst"],
                "description": [
                    "Skadegörelse vid torget",
                    "Mörka gångar enligt vandringen",
                    "Skadegörelse i parken",
                ],
            }
        ),
        findings={"P2": ["F1", "F2", "F3", "F4"]},
    )
    reg.add_measures(
        gpd.GeoDataFrame(
            {
                "measure_id": ["M1", "M2", "M3"],
                "title": ["Ny belysning i gången", "Väktare kvällstid", "Ny trappa"],
                "cause": [
                    "Mörker under vintern, ring 070-123 45 67",
                    "Skadegörelse på kvällar",
                    "Trasiga trappsteg",
                ],
                "objective": ["Halverad skadegörelse", "Inga krossade rutor", "Hel trappa"],
                "responsible": ["Gatuenheten Väst", "Bostadsbolaget", "Fastighetskontoret"],
                "followup": ["Räkna händelser varje kvartal", "Händelser före och efter", "–"],
                "start": ["2024-11-01", "2024-06-01", "2025-02-01"],
                "end": ["2025-04-30", "2024-09-30", "2025-06-30"],
                "progress": [5, 100, None],
                "status": ["ongoing", "done", "planned"],
                "public": [False, True, False],
                "radius_m": [np.nan, 50.0, np.nan],
            },
            geometry=[
                M1_BOX,
                shapely.Point(X0 + 1000, Y0 + 500),  # on the shared edge: one page only
                shapely.box(X0 + 1600, Y0 + 600, X0 + 1700, Y0 + 700),
            ],
            crs="EPSG:3006",
        ),
        links={"M1": ["P3"], "M2": ["P1"], "M3": ["P2"]},
        by="Samordnaren",
    )


def _fill(target: str, files: dict[str, Path]) -> None:
    with open_register(target) as reg:
        reg.import_walk(files["walk"], walk="Höst 2024", crs="EPSG:3006")
        reg.import_events(files["events"], crs="EPSG:3006", coverage=("2024-06-01", "2024-12-31"))
        _plan(reg)


def _config(
    folder: Path, register: str | None, *, privacy: str = "internal", lang: str = "sv"
) -> Path:
    source = f'register = "{register}"\n' if register is not None else ""
    inputs = "" if register is not None else 'events = "in/events.csv"\nfindings = "in/walk.csv"\n'
    # from files, the days the register records for the batch are given here ("annan": the
    # source the reader gives events without one)
    coverage = "" if register is not None else 'annan = ["2024-06-01", "2024-12-31"]'
    text = f"""title = "Plan"
period = "2024-Q4"
pages = ["stadsdel"]
privacy = "{privacy}"
lang = "{lang}"
png = false
{source}[inputs]
{inputs}areas = [{{ path = "in/areas.gpkg", level = "stadsdel" }}]
[comparison]
coverage = {{ {coverage} }}
"""
    path = folder / f"pack-{privacy}-{lang}-{'reg' if register else 'files'}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(path: Path, out: Path, **kw):
    config, base = load_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, out, **kw)
    assert not result.failed, result.failed
    return result


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _text(html: str) -> str:
    """The page's text: tags removed, entities of the escaped text kept as written."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def packs(register_target: str, tmp_path: Path) -> dict[str, object]:
    files = _inputs(tmp_path / "in")
    _fill(register_target, files)
    # a GeoPackage register is named relative to the configuration's folder
    register = (
        str(Path(register_target).relative_to(tmp_path))
        if not register_target.startswith("postgresql")
        else register_target
    )
    return {"folder": tmp_path, "files": files, "register": register, "target": register_target}


# --- the configuration ---------------------------------------------------------------------------


def test_register_and_input_files_are_refused_together(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = tmp_path / "p.toml"
    path.write_text(
        'period = "2024-Q4"\npages = ["stadsdel"]\nregister = "r.gpkg"\n'
        '[inputs]\nevents = "e.csv"\nfindings = "f.csv"\nareas = [{ path = "a.gpkg" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "inputs.findings, inputs.events" in str(err.value)
    assert "register" in str(err.value)


def test_a_password_in_the_register_url_is_refused_without_repeating_it(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'period = "2024-Q4"\npages = ["stadsdel"]\n'
        'register = "postgresql://anna:Hemligt123@db.example/trygg"\n'
        '[inputs]\nareas = [{ path = "a.gpkg" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "PGPASSWORD" in str(err.value)
    assert "Hemligt123" not in str(err.value)


# --- the same numbers as from files --------------------------------------------------------------


def test_a_pack_from_the_register_counts_as_one_from_the_files(packs) -> None:
    folder = packs["folder"]
    from_files = _build(_config(folder, None), folder / "filer")
    from_register = _build(_config(folder, packs["register"]), folder / "register")

    def figures(result) -> dict[str, tuple[object, object]]:
        return {p["area"]: (p["n"], p["n_text"]) for p in result.pages}

    assert figures(from_register) == figures(from_files)
    # by hand: Väst holds the 12 events at M1's place, 8 of them in the period; Öst the 5
    # of October (the walk's findings count in a table of their own)
    assert {a: n for a, (n, _) in figures(from_register).items()} == {"Väst": 8.0, "Öst": 5.0}
    for page in ("stadsdel/vast", "stadsdel/ost"):
        a = (folder / "filer" / page / "lagesbild.html").read_text(encoding="utf-8")
        b = (folder / "register" / page / "lagesbild.html").read_text(encoding="utf-8")
        # the same tables (the register knows each finding's walk: its walk_id); the
        # register's page links to its plan page as well
        assert _tables(a) == _tables(b.replace("<td>Höst 2024</td>", "<td></td>"))
        assert 'href="atgardsplan.html"' in b
        assert 'href="atgardsplan.html"' not in a
    index = (folder / "register" / "index.html").read_text(encoding="utf-8")
    assert 'href="stadsdel/vast/atgardsplan.html"' in index
    # the statement: from the register, and the days each source covers there
    text = _text(index)
    assert f"Fynden och händelserna kommer från registret {packs['register']}." in text
    assert "2024-06-01–2024-12-31" in text


def _tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, flags=re.S)


# --- the plan page, by hand ----------------------------------------------------------------------


def test_the_plan_page_shows_problems_measures_status_and_effect(packs) -> None:
    folder = packs["folder"]
    _build(_config(folder, packs["register"]), folder / "paket")
    vast = _text((folder / "paket/stadsdel/vast/atgardsplan.html").read_text(encoding="utf-8"))
    ost = _text((folder / "paket/stadsdel/ost/atgardsplan.html").read_text(encoding="utf-8"))
    assert "Läget den 2024-12-31" in vast
    assert "070-123" not in vast  # personal numbers masked, as in every free text
    # M1 in Väst, with Brå's fields
    for part in (
        "Ny belysning i gången",
        "Orsak Mörker under vintern, ring [telefonnummer]",
        "Operativt mål Halverad skadegörelse",
        "När 2024-11-01 – 2025-04-30",
        "Vem Gatuenheten Väst",
        "Uppföljning (planerad) Räkna händelser varje kvartal",
        "Status pågår",
        "Hur långt den kommit 5 %",
    ):
        assert part in vast, part
    # 60 of 180 days gone on Dec 31: 33 % expected; 5 % lags by more than 25 points: yellow
    assert "Trafikljus gul" in vast
    # 4 events before (Sep 1 – Oct 31), 8 after (Nov 1 – Dec 31), 61 days each; 12 ≥ 10 and
    # the source covers Jun 1 – Dec 31: the change +4 (+100 %) can be judged
    assert (
        "4 händelser före (2024-09-01 – 2024-10-31) och 8 efter "
        "(2024-11-01 – 2024-12-31), 61 dagar vardera. Förändring: +4 (+100 %)."
    ) in vast
    # the WDD needs 6 events in the target before: 4 is too few
    assert "För få händelser i åtgärdens område före starten: 4, minst 6 behövs" in vast
    assert "Skadegörelse i Väst: Skadegörelse i parken" in vast
    # M2's representative point is on the shared edge: east of it is Öst, by the rule
    m2 = open_register(packs["target"], create=False)
    try:
        place = m2.measures().set_index("measure_id").loc["M2"].geometry
    finally:
        m2.close()
    point = shapely.point_on_surface(place)
    expected, other = (ost, vast) if point.x >= X0 + 1000 else (vast, ost)
    assert "Väktare kvällstid" in expected
    assert "Status klar" in expected
    assert "Trafikljus klar" in expected
    assert "Väktare kvällstid (i " in other or "Väktare kvällstid" not in other
    # M3 has not started: no window, the reason said
    assert "Ny trappa" in ost
    assert "Åtgärden har inte startat (2025-02-01)" in ost
    assert "Trafikljus grön" in ost
    # the findings problem: F1, F2 done; F3 open and overdue on Dec 31; F4 open
    assert "klara: 2, öppna: 2, varav försenade: 1" in ost
    assert "Belysning: Mörka gångar enligt vandringen" in ost  # its findings' category
    assert "Skadegörelse i Öst: Skadegörelse vid torget" in ost


def test_an_english_pack_has_an_english_plan_page(packs) -> None:
    folder = packs["folder"]
    _build(_config(folder, packs["register"], lang="en"), folder / "en")
    html = (folder / "en/stadsdel/vast/atgardsplan.html").read_text(encoding="utf-8")
    text = _text(html)
    assert '<html lang="en">' in html
    assert "Action plan – Väst" in text
    assert "Traffic light yellow" in text
    assert "Status ongoing" in text
    assert "Cause Mörker under vintern" in text


# --- public --------------------------------------------------------------------------------------


def test_the_public_plan_page_has_no_free_text_and_no_small_counts(packs) -> None:
    folder = packs["folder"]
    _build(_config(folder, packs["register"], privacy="public"), folder / "publik")
    pages = {
        area: (folder / f"publik/stadsdel/{slug}/atgardsplan.html").read_text(encoding="utf-8")
        for area, (slug, _) in AREAS.items()
    }
    everything = "".join(pages.values())
    for secret in SECRET_TEXTS:
        assert secret not in everything, secret
    assert "Gatuenheten" not in everything
    assert packs["register"] not in everything
    # the public measure's texts are shown; the others by number
    assert "Väktare kvällstid" in everything
    assert "Bostadsbolaget" in everything
    vast, ost = _text(pages["Väst"]), _text(pages["Öst"])
    assert "Åtgärd 1" in vast
    assert "Trafikljus gul" in vast
    assert "Status pågår" in vast
    assert "När 2024-11-01 – 2025-04-30" in vast
    # 2 done and 2 open are below 3: shown as "<3", never as 2
    assert "klara: &lt;3, öppna: &lt;3" in pages["Öst"]
    assert "klara: 2" not in ost
    assert "öppna: 2" not in ost
    # 4 and 8 events pass k = 3
    assert "4 händelser före" in vast
    assert "8 efter" in vast
    # the WDD reason names no count publicly
    assert "minst 6" not in vast
    assert "För få händelser för att bedöma en förändring." in vast
    # the problems by their category words, no descriptions
    assert "Skadegörelse i Väst" in vast
    assert "Belysning fynd från trygghetsvandringar" in ost
    manifest = (folder / "publik/manifest.json").read_text(encoding="utf-8")
    assert packs["register"] not in manifest
    index = (folder / "publik/index.html").read_text(encoding="utf-8")
    assert packs["register"] not in index  # the statement with its values as "…"
    assert "Fynden och händelserna kommer från registret …" in index
    assert 'href="stadsdel/ost/atgardsplan.html"' in index


# --- the register's state in the manifest --------------------------------------------------------


def test_same_state_same_bytes_and_a_new_import_rebuilds(packs) -> None:
    folder = packs["folder"]
    path = _config(folder, packs["register"])
    _build(path, folder / "a")
    _build(path, folder / "b")
    a, b = _files(folder / "a"), _files(folder / "b")
    assert a == b
    assert "stadsdel/vast/atgardsplan.html" in a
    manifest = json.loads(a["manifest.json"])
    assert set(manifest["inputs"]) >= {"register", "areas[0]"}
    assert manifest["inputs"]["register"]["path"] == packs["register"]
    # nothing changed: nothing rebuilt
    again = _build(path, folder / "a")
    assert all(p.get("reused") for p in again.pages)
    assert _files(folder / "a") == a
    # a new status file: the register's state changes, the pack is built again
    status = folder / "status.csv"
    status.write_text(
        "id;status;statusdatum;kommentar\nF3;Klar;2024-12-20;Lagat\n", encoding="utf-8"
    )
    with open_register(packs["target"], create=False) as reg:
        reg.import_status(status, by="Trafikkontoret")
    after = _build(path, folder / "a")
    assert not all(p.get("reused") for p in after.pages)
    ost = _text((folder / "a/stadsdel/ost/atgardsplan.html").read_text(encoding="utf-8"))
    assert "klara: 3, öppna: 1, varav försenade: 0" in ost
    new = json.loads((folder / "a/manifest.json").read_text(encoding="utf-8"))
    assert new["inputs"]["register"]["state"] != manifest["inputs"]["register"]["state"]


# --- in a browser --------------------------------------------------------------------------------


def test_the_plan_page_in_chromium_and_printed(packs, chromium) -> None:
    from browser import axe_violations, new_page

    folder = packs["folder"]
    _build(_config(folder, packs["register"]), folder / "paket")
    path = folder / "paket/stadsdel/vast/atgardsplan.html"
    page, log = new_page(chromium)
    try:
        page.goto(path.as_uri())
        assert page.title() == "Åtgärdsplan – Väst"
        assert page.locator("h1").inner_text() == "Åtgärdsplan – Väst"
        # the traffic light in words, readable beside its colour
        assert page.locator(".rag").first.inner_text() == "gul"
        links = page.locator("nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert links == ["../../index.html", "karta.html", "lagesbild.html", "lagesbild.xlsx"]
        assert axe_violations(page) == []  # WCAG 2.1 A/AA, as the other pack pages
        pdf = folder / "plan.pdf"
        page.emulate_media(media="print")
        assert not page.locator("nav").is_visible()  # the navigation is not printed
        page.pdf(path=str(pdf), format="A4")
        assert pdf.read_bytes()[:5] == b"%PDF-"
        assert pdf.stat().st_size > 1000
        assert log.problems() == []
    finally:
        page.close()


def test_a_register_without_a_plan_still_gets_plan_pages(tmp_path: Path) -> None:
    files = _inputs(tmp_path / "in")
    with open_register(tmp_path / "register.gpkg") as reg:
        reg.import_events(files["events"], crs="EPSG:3006")
    result = _build(_config(tmp_path, "register.gpkg"), tmp_path / "paket")
    assert {p["area"]: p["n"] for p in result.pages} == {"Väst": 8.0, "Öst": 5.0}
    text = _text((tmp_path / "paket/stadsdel/vast/atgardsplan.html").read_text(encoding="utf-8"))
    assert "Registret har inga problem för området." in text
    assert "Registret har inga åtgärder i området." in text
    # without a coverage given, the batch covers its first to its last event's day
    assert "Annan 2024-09-03–2024-12-19" in _text(
        (tmp_path / "paket/index.html").read_text(encoding="utf-8")
    )
