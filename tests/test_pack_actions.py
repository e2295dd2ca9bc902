"""Action lists per responsible actor (geo_trygg.pack._actions).

The findings are made by hand; the expected rows, their order and the days overdue below are
worked out by hand from the follow-up rules (open = new/in_progress, overdue = deadline
before as_of, days = as_of - deadline).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg.pack._actions import action_lists

AS_OF = "2024-06-30"
PAYLOAD = "<img src=x onerror=alert(1)>"
PNR = "811218-9876"  # valid check digit (see tests/test_pack_mask.py)
MAP = "../stadsdelsomrade/hagersten-alvsjo/karta.html"
# (latitude, longitude) of each finding in WGS 84, put into the frame in SWEREF 99 TM
LATLON = {
    "F1": (59.28311, 18.01002),
    "F2": (59.28456, 18.01234),
    "F11": (59.28000, 18.00500),
    "F3": (59.27777, 18.02222),
    "F6": (59.27000, 18.03000),
    "F4": (59.26123, 18.04567),
    "F5": (59.26000, 18.05000),
    "F7": (59.25000, 18.06000),
    "F8": (59.20001, 17.83002),
    "F9": (59.21000, 17.84000),
    "F10": (59.22000, 17.85000),
}
ROWS = [
    # id, actor, status, deadline, category, description, stadsdel, stadsdelsområde
    ("F1", "trafikkontoret", "new", "2024-06-01", "lighting", f"Anmälare {PNR}, 070-123 45 67",
     "ÄLVSJÖ", "Hägersten-Älvsjö"),
    ("F2", "trafikkontoret", "in_progress", "2024-04-30", "litter", PAYLOAD, "ÄLVSJÖ",
     "Hägersten-Älvsjö"),
    ("F11", "trafikkontoret", "Ny", "2024-06-01", "vegetation", "Buskar skymmer", "SOLBERGA",
     "Hägersten-Älvsjö"),
    ("F3", "trafikkontoret", "new", "2024-06-30", "traffic", "=1+1", None, None),
    ("F6", "trafikkontoret", "in_progress", "2024-09-01", "broken_equipment", None, "ÄLVSJÖ",
     "Hägersten-Älvsjö"),
    ("F4", "trafikkontoret", "new", None, "other", "Okänt", "ÄLVSJÖ", "Hägersten-Älvsjö"),
    ("F5", "trafikkontoret", "done", "2024-05-01", "lighting", "Klar", "ÄLVSJÖ",
     "Hägersten-Älvsjö"),
    ("F7", "sl", "rejected", "2024-05-01", "litter", "Avvisad", "ÄLVSJÖ", "Hägersten-Älvsjö"),
    ("F8", "sl", "new", "2024-06-29", "graffiti_vandalism", "Klotter på perrongen", "FITTJA",
     None),
    ("F9", None, "new", "2024-07-15", "drugs", "Sprutor", None, None),
    ("F10", "fastighetsagare", "Åtgärdad", "2024-05-01", "lighting", "Klar", "ÄLVSJÖ",
     "Hägersten-Älvsjö"),
]  # fmt: skip


def _latlon(fid: str) -> str:
    lat, lon = LATLON[fid]
    return f"{lat:.5f}, {lon:.5f}"


def _findings() -> gpd.GeoDataFrame:
    to_3006 = Transformer.from_crs(4326, 3006, always_xy=True)
    points = [shapely.Point(to_3006.transform(LATLON[r[0]][1], LATLON[r[0]][0])) for r in ROWS]
    return gpd.GeoDataFrame(
        {
            "finding_id": [r[0] for r in ROWS],
            "walk_id": ["V1"] * len(ROWS),
            "walk_date": pd.to_datetime(["2024-03-05"] * len(ROWS)),
            "category": [r[4] for r in ROWS],
            "description": [r[5] for r in ROWS],
            "responsible_actor": [r[1] for r in ROWS],
            "status": [r[2] for r in ROWS],
            "deadline": pd.to_datetime([r[3] for r in ROWS]),
            "status_date": pd.to_datetime(["2024-03-05"] * len(ROWS)),
            "stadsdel": [r[6] for r in ROWS],
            "stadsdelsomrade": [r[7] for r in ROWS],
        },
        geometry=points,
        crs="EPSG:3006",
        index=pd.RangeIndex(100, 100 + len(ROWS)),
    )


LINKS = {"F1": MAP, "F11": MAP, "F8": "../lpo/skarholmen/karta.html"}
D = dt.datetime
HEADER = (
    "Brist-id",
    "Kategori",
    "Beskrivning",
    "Plats",
    "Område",
    "Vandringsdatum",
    "Åtgärdas senast",
    "Status",
    "Försenad",
    "Dagar försenad",
    "Karta",
)
WALK = D(2024, 3, 5)
AREA = "ÄLVSJÖ, Hägersten-Älvsjö"
# fmt: off
EXPECTED = {
    "trafikkontoret": [
        # 2024-04-30 -> 2024-06-30: 1 + 31 (May) + 29 = 61 days
        ("F2", "Nedskräpning", PAYLOAD, AREA, WALK, D(2024, 4, 30), "Pågående", "FÖRSENAD", 61,
         _latlon("F2")),
        # 2024-06-01 -> 2024-06-30: 29 days; F1 before F11 (same days, by id)
        ("F1", "Belysning", "Anmälare [personnummer], [telefonnummer]", AREA, WALK,
         D(2024, 6, 1), "Ny", "FÖRSENAD", 29, MAP),
        ("F11", "Vegetation och siktlinjer", "Buskar skymmer", "SOLBERGA, Hägersten-Älvsjö", WALK,
         D(2024, 6, 1), "Ny", "FÖRSENAD", 29, MAP),
        # deadline on as_of: still in time; then by deadline; no deadline last
        ("F3", "Trafik", "=1+1", None, WALK, D(2024, 6, 30), "Ny", None, None, _latlon("F3")),
        ("F6", "Trasig utrustning", None, AREA, WALK, D(2024, 9, 1), "Pågående", None, None,
         _latlon("F6")),
        ("F4", "Övrigt", "Okänt", AREA, WALK, None, "Ny", None, None, _latlon("F4")),
    ],
    "sl-kollektivtrafik": [
        ("F8", "Klotter och skadegörelse", "Klotter på perrongen", "FITTJA", WALK,
         D(2024, 6, 29), "Ny", "FÖRSENAD", 1, "../lpo/skarholmen/karta.html"),
    ],
    "okand-ansvarig": [
        ("F9", "Narkotika", "Sprutor", None, WALK, D(2024, 7, 15), "Ny", None, None,
         _latlon("F9")),
    ],
}
# fmt: on
# the place: no address and no named places given, so the point as "lat, lon"; then the areas
EXPECTED = {
    slug: [(*row[:3], _latlon(str(row[0])), *row[3:]) for row in rows]
    for slug, rows in EXPECTED.items()
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("pack") / "atgardslistor"
    paths = action_lists(
        _findings(), as_of=AS_OF, folder=folder, map_links=LINKS, classification="Intern"
    )
    return folder, paths


def _rows(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_exactly_the_expected_files(written: tuple[Path, list[Path]]) -> None:
    folder, paths = written
    names = sorted(f"{slug}.{ext}" for slug in EXPECTED for ext in ("html", "xlsx"))
    assert [p.name for p in paths] == names  # sorted, one pair per actor with open findings
    assert sorted(p.name for p in folder.iterdir()) == names  # no fastighetsagare: all done


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_excel_rows_in_the_expected_order(written: tuple[Path, list[Path]], slug: str) -> None:
    folder, _ = written
    rows = _rows(folder / f"{slug}.xlsx")
    assert rows[0] == HEADER
    assert rows[1:] == EXPECTED[slug]


def test_done_and_rejected_findings_are_absent(written: tuple[Path, list[Path]]) -> None:
    folder, _ = written
    ids = {row[0] for path in folder.glob("*.xlsx") for row in _rows(path)[1:]}
    assert ids == {"F1", "F2", "F11", "F3", "F6", "F4", "F8", "F9"}  # not F5, F7, F10


def test_formula_text_stays_text(written: tuple[Path, list[Path]]) -> None:
    folder, _ = written
    sheet = openpyxl.load_workbook(folder / "trafikkontoret.xlsx").active
    assert sheet is not None
    cell = sheet.cell(row=5, column=3)  # F3's description "=1+1"
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert cell.quotePrefix


def _all_text(folder: Path) -> str:
    texts = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_personal_numbers_reach_no_file(written: tuple[Path, list[Path]]) -> None:
    text = _all_text(written[0])
    assert PNR not in text
    assert "070-123 45 67" not in text
    assert "[personnummer]" in text


def test_html_is_escaped_and_accessible(written: tuple[Path, list[Path]]) -> None:
    folder, _ = written
    page = (folder / "trafikkontoret.html").read_text(encoding="utf-8")
    assert PAYLOAD not in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<html lang="sv">' in page
    assert (
        "<caption>Öppna och försenade brister för Trafikkontoret den 2024-06-30</caption>" in page
    )
    assert page.count('<th scope="col">') == len(HEADER)
    assert page.count('<th scope="row">') == len(EXPECTED["trafikkontoret"])
    assert '<div class="banner" role="note">Intern</div>' in page
    # the link list: the Excel file and the map page (once, though two findings link to it)
    assert '<li><a href="trafikkontoret.xlsx">' in page
    assert page.count(f'<li><a href="{MAP}">') == 1
    assert page.count(f'<a href="{MAP}">Karta</a>') == 2  # F1 and F11
    assert f"<td>{_latlon('F2')}</td>" in page
    # rows in the expected order, overdue ones flagged
    ids = [r[0] for r in EXPECTED["trafikkontoret"]]
    positions = [page.index(f'<th scope="row">{i}</th>') for i in ids]
    assert positions == sorted(positions)
    assert page.count('<tr class="overdue">') == 3


def test_same_bytes_when_written_twice(tmp_path: Path, written: tuple[Path, list[Path]]) -> None:
    again = action_lists(
        _findings(),
        as_of=AS_OF,
        folder=tmp_path / "again",
        map_links=LINKS,
        classification="Intern",
    )
    first = {p.name: p.read_bytes() for p in written[1]}
    assert {p.name: p.read_bytes() for p in again} == first


def test_input_order_and_index_do_not_matter(tmp_path: Path) -> None:
    findings = _findings()
    shuffled = findings.iloc[::-1].set_axis(range(len(findings)))
    a = action_lists(findings, as_of=AS_OF, folder=tmp_path / "a", map_links=LINKS)
    b = action_lists(shuffled, as_of=AS_OF, folder=tmp_path / "b", map_links=LINKS)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_input_frame_is_not_changed(tmp_path: Path) -> None:
    findings = _findings()
    before = findings.copy()
    action_lists(findings, as_of=AS_OF, folder=tmp_path, map_links=LINKS)
    pd.testing.assert_frame_equal(findings, before)


def test_without_masking_and_in_english(tmp_path: Path) -> None:
    paths = action_lists(_findings(), as_of=AS_OF, folder=tmp_path, mask=False, lang="en")
    rows = _rows(tmp_path / "trafikkontoret.xlsx")
    assert rows[0] == (
        "Finding id",
        "Category",
        "Description",
        "Location",
        "Area",
        "Walk date",
        "Deadline",
        "Status",
        "Overdue",
        "Days overdue",
        "Map",
    )
    assert rows[2][:3] == ("F1", "Lighting", f"Anmälare {PNR}, 070-123 45 67")
    assert rows[2][7:11] == ("New", "OVERDUE", 29, _latlon("F1"))  # no map_links: coordinates
    assert len(paths) == 6  # file names do not depend on the language
    page = (tmp_path / "okand-ansvarig.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Action list: Unknown responsible actor" in page


def test_unknown_actor_texts_are_masked_and_slugs_unique(tmp_path: Path) -> None:
    findings = _findings().iloc[[0, 1, 2]].copy()
    findings["responsible_actor"] = [
        "Citycon AB 070-123 45 67",
        "citycon-ab [telefonnummer]",
        None,
    ]
    paths = action_lists(findings, as_of=AS_OF, folder=tmp_path)
    # both labels fold to one slug; "Citycon AB [telefonnummer]" sorts first (C < c) and
    # keeps it, the other gets 8 hex digits of the SHA-256 of its label (never of unmasked text)
    digest = hashlib.sha256(b"citycon-ab [telefonnummer]").hexdigest()[:8]
    assert [p.name for p in paths] == [
        f"citycon-ab-telefonnummer-{digest}.html",
        f"citycon-ab-telefonnummer-{digest}.xlsx",
        "citycon-ab-telefonnummer.html",
        "citycon-ab-telefonnummer.xlsx",
        "okand-ansvarig.html",
        "okand-ansvarig.xlsx",
    ]
    assert "070-123" not in _all_text(tmp_path)


def test_nothing_open_writes_nothing(tmp_path: Path) -> None:
    findings = _findings()
    findings["status"] = "done"
    assert action_lists(findings, as_of=AS_OF, folder=tmp_path / "x") == []


def test_findings_without_actor_column_or_geometry(tmp_path: Path) -> None:
    findings = pd.DataFrame(_findings().drop(columns=["responsible_actor", "geometry"]))
    paths = action_lists(findings, as_of=AS_OF, folder=tmp_path)
    assert [p.name for p in paths] == ["okand-ansvarig.html", "okand-ansvarig.xlsx"]
    rows = _rows(tmp_path / "okand-ansvarig.xlsx")
    assert [r[0] for r in rows[1:]] == ["F2", "F1", "F11", "F8", "F3", "F9", "F6", "F4"]
    assert all(r[10] is None for r in rows[1:])  # no links, no coordinates
    assert all(r[3] is None for r in rows[1:])  # no address, no place, no point


def test_points_without_crs_warn(tmp_path: Path) -> None:
    findings = _findings().set_crs(None, allow_override=True)
    with pytest.warns(GeoTryggWarning, match="koordinatsystem"):
        action_lists(findings, as_of=AS_OF, folder=tmp_path, lang="sv")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"as_of": None}, "as_of is required"),
        ({"as_of": "2024-02-30"}, "not a date"),
        ({"lang": "de"}, "lang='de'"),
        ({"mask": "yes"}, "mask='yes'"),
        ({"map_links": {"F1": "javascript:alert(1)"}}, "javascript:alert"),
        ({"map_links": ["F1"]}, "map_links must be a mapping"),
    ],
)
def test_bad_arguments_are_refused_before_writing(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {"as_of": AS_OF, "folder": tmp_path / "out", **kwargs}
    with pytest.raises(ConfigError, match=message):
        action_lists(_findings(), **args)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_missing_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'deadline'"):
        action_lists(_findings().drop(columns=["deadline"]), as_of=AS_OF, folder=tmp_path)
