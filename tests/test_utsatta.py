"""The police's utsatta områden (issue 16, point 4): the reader of an edition, the timeline of
the editions, the overlaps with stadsdelar and the LPO check.

The real 2023 and 2025 files are checked against the comparison table in the 2025 edition's
``SOURCE.md`` (made independently of this code, from the two files), read at test time; the
change types against small hand-made editions whose answers are worked out by hand."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from geo_trygg import labels
from geo_trygg._errors import ConfigError, CRSMismatchError
from geo_trygg.io import read_areas, read_utsatta_omraden
from geo_trygg.io.utsatta import CATEGORIES, category_code
from geo_trygg.join import utsatta_lpo_check, utsatta_overlaps, utsatta_timeline
from geo_trygg.join.utsatta import CHANGE_CODES

U2023 = "polisen_utsatta_omraden_2023/uso_2023.shp"
U2025 = "polisen_utsatta_omraden_2025/uso_2025.geojson"
CODE = {"SUO": "sarskilt_utsatt", "UO": "utsatt", "RO": "riskomrade"}

# --- small hand-made editions ------------------------------------------------------------

X0, Y0 = 674_000.0, 6_580_000.0  # SWEREF 99 TM metres near Stockholm


def _sq(x: float, y: float, w: float, h: float | None = None):
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + (w if h is None else h))


def _edition(rows: list[tuple], crs: str | None = "EPSG:3006") -> gpd.GeoDataFrame:
    """rows: (area_id, name, category, geometry[, lpo])."""
    frame = pd.DataFrame(
        {
            "area_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "ort": ["Stockholm"] * len(rows),
            "lpo": [r[4] if len(r) > 4 else "Järva" for r in rows],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[r[3] for r in rows], crs=crs)


def _row(t: pd.DataFrame, **where) -> pd.Series:
    sel = t
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (where, t)
    return sel.iloc[0]


def test_each_change_type_on_hand_made_editions():
    old = _edition(
        [
            ("1", "Kvar", "utsatt", _sq(0, 0, 100)),
            ("2", "Bytt", "riskomrade", _sq(200, 0, 100)),
            ("3", "Gammalt namn", "utsatt", _sq(400, 0, 100)),
            ("4", "Krympt", "utsatt", _sq(600, 0, 100)),
            ("5", "Delad", "sarskilt_utsatt", _sq(800, 0, 200, 100)),
            ("6", "Borta", "utsatt", _sq(1200, 0, 100)),
            ("7", "Stor", "utsatt", _sq(1400, 0, 100)),
            ("8", "Uppslukad", "utsatt", _sq(1500, 0, 50)),
            ("9", "Nytt id", "utsatt", _sq(1700, 0, 100)),
            ("10", "Flyttad", "utsatt", _sq(1900, 0, 100), "Rinkeby"),
        ]
    )
    new = _edition(
        [
            ("1", "Kvar", "utsatt", _sq(0, 0, 100)),
            ("2", "Bytt", "utsatt", _sq(200, 0, 100)),
            ("3", "Nytt namn", "utsatt", _sq(400, 0, 100)),
            ("4", "Krympt", "utsatt", _sq(600, 0, 100, 80)),  # IoU 8000 / 10000 = 0.8
            ("5", "Delad", "sarskilt_utsatt", _sq(800, 0, 100)),
            ("11", "Utbruten", "utsatt", _sq(900, 0, 100)),  # all inside old 5
            ("7", "Stor", "utsatt", _sq(1400, 0, 150, 100)),  # takes in old 8
            ("12", "Nytt id", "utsatt", _sq(1700, 0, 100)),
            ("10", "Flyttad", "utsatt", _sq(1900, 0, 100), "Järva"),
            ("13", "Helt ny", "utsatt", _sq(3000, 0, 100)),
        ]
    )
    t = utsatta_timeline({2023: old, 2025: new})
    assert set(t["from_edition"]) == {2023}
    assert set(t["to_edition"]) == {2025}
    assert _row(t, area_id_to="1")["changes"] == "unchanged"
    bytt = _row(t, area_id_to="2")
    assert bytt["changes"] == "category_changed"
    assert (bytt["category_from"], bytt["category_to"]) == ("riskomrade", "utsatt")
    assert _row(t, area_id_to="3")["changes"] == "renamed"
    shrunk = _row(t, area_id_to="4")
    assert shrunk["changes"] == "boundary_changed"
    assert shrunk["iou"] == pytest.approx(0.8)
    assert shrunk["area_km2_from"] == pytest.approx(0.01)
    assert shrunk["area_km2_to"] == pytest.approx(0.008)
    # split: the kept area's boundary halves (IoU 0.5) and it was split; the new part was
    # split from it, lying wholly inside it
    assert _row(t, area_id_to="5")["changes"] == "boundary_changed;split"
    part = _row(t, area_id_to="11")
    assert part["changes"] == "added;split_from"
    assert (part["related_id"], part["related_name"]) == ("5", "Delad")
    assert part["related_share"] == pytest.approx(1.0)
    gone = _row(t, area_id_from="6")
    assert (gone["status"], gone["changes"]) == ("removed", "removed")
    # merge: old 8 lies wholly in the bigger new 7 (IoU of 7: 10000 / 15000)
    merged = _row(t, area_id_from="8")
    assert merged["changes"] == "removed;merged_into"
    assert merged["related_name"] == "Stor"
    big = _row(t, area_id_to="7")
    assert big["changes"] == "boundary_changed;merged"
    assert big["iou"] == pytest.approx(10_000 / 15_000)
    again = _row(t, area_id_to="12")
    assert (again["area_id_from"], again["matched_by"]) == ("9", "name")
    assert again["changes"] == "id_changed"
    moved = _row(t, area_id_to="10")
    assert moved["changes"] == "lpo_changed"
    assert (moved["lpo_from"], moved["lpo_to"]) == ("Rinkeby", "Järva")
    fresh = _row(t, area_id_to="13")
    assert (fresh["status"], fresh["changes"]) == ("added", "added")
    # 10 old and 10 new areas: 8 kept, 2 added (11, 13), 2 removed (6, 8)
    assert len(t) == 12
    assert sorted(t["status"].value_counts().items()) == [
        ("added", 2),
        ("kept", 8),
        ("removed", 2),
    ]


def test_three_editions_give_one_block_per_pair_and_words_for_every_code():
    a = _edition([("1", "A", "riskomrade", _sq(0, 0, 100))])
    b = _edition([("1", "A", "utsatt", _sq(0, 0, 100))])
    c = _edition([("1", "A", "sarskilt_utsatt", _sq(0, 0, 100))])
    t = utsatta_timeline({2025: c, 2019: a, 2023: b})
    assert list(zip(t["from_edition"], t["to_edition"], strict=True)) == [
        (2019, 2023),
        (2023, 2025),
    ]
    assert list(t["category_to"]) == ["utsatt", "sarskilt_utsatt"]
    for lang in ("sv", "en"):
        assert set(labels.names("utsatt_change", lang=lang)) == set(CHANGE_CODES)
        assert set(labels.names("utsatt_category", lang=lang)) == set(CATEGORIES)
    assert (
        labels.names("utsatt_category", lang="sv")["sarskilt_utsatt"] == "särskilt utsatt område"
    )


def test_editions_without_geometry_match_by_name_and_cannot_compare_boundaries(tmp_path):
    table = tmp_path / "listor.csv"
    table.write_text(
        "edition;name;category;kommun;source\n"
        "2019;Rinkeby/Tensta;Särskilt utsatt område;Stockholm;rapport 2019\n"
        "2019;Östberga;utsatt område;Stockholm;rapport 2019\n"
        "2021;Rinkeby / Tensta;särskilt utsatt område;Stockholm;rapport 2021\n"
        "2021;Husby;SUO;Stockholm;rapport 2021\n",
        encoding="utf-8",
    )
    res = read_utsatta_omraden(table)
    assert (res.n_input, res.n_accepted, res.n_rejected) == (4, 4, 0)
    acc = res.accepted
    assert list(acc["edition"]) == [2019, 2019, 2021, 2021]
    assert list(acc["category"]) == [
        "sarskilt_utsatt",
        "utsatt",
        "sarskilt_utsatt",
        "sarskilt_utsatt",
    ]
    assert list(acc["source"]) == ["rapport 2019"] * 2 + ["rapport 2021"] * 2
    assert acc.geometry.isna().all()
    t = utsatta_timeline(acc)
    kept = _row(t, status="kept")
    assert (kept["name_from"], kept["name_to"], kept["matched_by"]) == (
        "Rinkeby/Tensta",
        "Rinkeby / Tensta",
        "name",
    )
    assert kept["changes"] == "boundary_unknown"  # the same name: not renamed
    assert np.isnan(kept["iou"])
    assert _row(t, status="removed")["name_from"] == "Östberga"
    assert _row(t, status="added")["name_to"] == "Husby"


def test_table_rows_are_accepted_or_rejected_with_row_and_reason(tmp_path):
    table = tmp_path / "lista.csv"
    table.write_text(
        "år;namn;kategori;ort\n"
        "2017;Fittja;Särskilt utsatt område;Botkyrka\n"  # row 2: fine
        "2017;Alby;trygg;Botkyrka\n"  # row 3: no police category
        "2017;;utsatt område;Botkyrka\n"  # row 4: no name
        "17;Hallunda;utsatt område;Botkyrka\n"  # row 5: not a year
        "2017;Fittja;utsatt område;Botkyrka\n"  # row 6: Fittja again in 2017
        ";Storvreten;riskområde;Botkyrka\n",  # row 7: no year, none given
        encoding="utf-8",
    )
    res = read_utsatta_omraden(table)
    assert res.n_input == res.n_accepted + res.n_rejected == 6
    assert list(res.accepted["name"]) == ["Fittja"]
    rej = res.rejected.groupby("row")["reason"].apply(" | ".join).to_dict()
    assert sorted(rej) == [3, 4, 5, 6, 7]
    assert "trygg" in rej[3]
    assert "särskilt utsatt område, utsatt område, riskområde" in rej[3]
    assert rej[4] == "områdets namn saknas"
    assert "'17'" in rej[5]
    assert "rad 2" in rej[6]
    assert "saknas" in rej[7]
    # the missing year is filled from edition=
    filled = read_utsatta_omraden(table, edition=2017)
    assert "Storvreten" in set(filled.accepted["name"])


def test_a_table_without_an_edition_column_needs_edition(tmp_path):
    table = tmp_path / "lista.csv"
    table.write_text("namn;kategori\nFittja;utsatt område\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="edition"):
        read_utsatta_omraden(table)
    assert list(read_utsatta_omraden(table, edition=2015).accepted["edition"]) == [2015]
    with pytest.raises(ConfigError, match="year"):
        read_utsatta_omraden(table, edition="2015")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Särskilt utsatt område", "sarskilt_utsatt"),
        ("SÄRSKILT UTSATTA OMRÅDEN", "sarskilt_utsatt"),
        ("especially vulnerable area", "sarskilt_utsatt"),
        ("Utsatt område", "utsatt"),
        (" vulnerable  area ", "utsatt"),
        ("Riskområde", "riskomrade"),
        ("risk area", "riskomrade"),
        ("trygg", None),
        (None, None),
    ],
)
def test_category_words(text, code):
    assert category_code(text) == code


def _geojson(path: Path, props: list[dict], geoms: list, *, crs: str | None) -> Path:
    data: dict = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": mapping(g)}
            for p, g in zip(props, geoms, strict=True)
        ],
    }
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_both_police_schemas_and_the_legacy_crs_member(tmp_path):
    g = [_sq(0, 0, 100), _sq(200, 0, 100)]
    short = _geojson(
        tmp_path / "uso_2023.geojson",
        [
            {
                "NAMN": "A",
                "KATEGORI": "Riskområde",
                "ORT": "Solna",
                "LOKALPOLIS": "Solna",
                "OMRADESKOD": 531140,
                "SPECIALOMR": 64,
                "AKTUALITET": "2019-06-01",
            },
            {
                "NAMN": "B",
                "KATEGORI": "Okänd",
                "ORT": "Solna",
                "LOKALPOLIS": "Solna",
                "OMRADESKOD": 531140,
                "SPECIALOMR": 70,
                "AKTUALITET": "2023-12-01",
            },
        ],
        g,
        crs="EPSG:3006",
    )
    res = read_utsatta_omraden(short)
    assert (res.n_accepted, res.n_rejected) == (1, 1)
    assert res.rejected["row"].tolist() == [2]
    row = res.accepted.iloc[0]
    assert (row["area_id"], row["name"], row["category"], row["lpo"], row["lpo_code"]) == (
        "64",
        "A",
        "riskomrade",
        "Solna",
        "531140",
    )
    assert row["listed_since"] == pd.Timestamp("2019-06-01")
    assert row["edition"] == 2023  # the latest AKTUALITET of the file's rows (B's, 2023)
    assert res.accepted.geometry.iloc[0].equals(g[0])
    full = _geojson(
        tmp_path / "uso_2025.geojson",
        [
            {
                "NAMN": "A",
                "KATEGORI": "Utsatt område",
                "ORT": "Solna",
                "LOKALPOLISOMRADE": "Solna",
                "OMRADESKOD": "531140",
                "SPECIALOMRADES_ID": "64",
                "AKTUALITET_START": "2025-12-01",
                "AKTUALITET_SLUT": " ",
                "OBJECTID": 1,
            },
        ],
        g[:1],
        crs="EPSG:3006",
    )
    res = read_utsatta_omraden(full, edition=2025)
    row = res.accepted.iloc[0]
    assert (row["area_id"], row["lpo"], row["category"]) == ("64", "Solna", "utsatt")
    assert pd.isna(row["listed_until"])  # " " means no end date
    assert "src_OBJECTID" in res.accepted.columns
    # without the crs member the file claims WGS 84 (RFC 7946) but holds metres: inferred,
    # with a note, never read as degrees
    bare = _geojson(tmp_path / "bare.geojson", [{"NAMN": "A", "KATEGORI": "UO"}], g[:1], crs=None)
    res = read_utsatta_omraden(bare, edition=2025)
    assert res.n_accepted == 1
    assert res.summary.crs_inferred
    assert res.accepted.geometry.iloc[0].equals_exact(g[0], 1e-6)


def test_timeline_refuses_bad_editions():
    a = _edition([("1", "A", "utsatt", _sq(0, 0, 100))])
    with pytest.raises(ConfigError, match="two editions"):
        utsatta_timeline({2023: a})
    with pytest.raises(ConfigError, match="codes"):
        utsatta_timeline({2023: a, 2025: a.assign(category="Utsatt område")})
    with pytest.raises(CRSMismatchError):
        utsatta_timeline({2023: a, 2025: a.to_crs("EPSG:3011")})
    with pytest.raises(ConfigError):
        utsatta_timeline({2023: a, 2025: a.to_crs("EPSG:4326")})


def test_overlaps_share_of_the_area_in_each_area_and_crs_checked():
    utsatt = _edition([("1", "A", "utsatt", _sq(0, 0, 100))]).assign(edition=2025)
    parts = gpd.GeoDataFrame(
        {"name": ["Väst", "Öst", "Långt bort", "Kant"], "level": ["stadsdel"] * 4},
        geometry=[_sq(-50, -50, 80, 200), _sq(30, -50, 200), _sq(5000, 0, 10), _sq(99.5, 0, 1)],
        crs="EPSG:3006",
    )
    out = utsatta_overlaps(utsatt, parts)
    # by hand: x 0..30 in Väst (30 %), 30..100 in Öst (70 %); Kant 0.5 % (under 1 %)
    assert list(out["area"]) == ["Öst", "Väst"]
    assert out["share"].tolist() == pytest.approx([0.7, 0.3])
    assert out["overlap_km2"].tolist() == pytest.approx([0.007, 0.003])
    assert list(utsatta_overlaps(utsatt, parts, min_share=0)["area"]) == ["Öst", "Väst", "Kant"]
    with pytest.raises(CRSMismatchError):
        utsatta_overlaps(utsatt, parts.to_crs("EPSG:3011"))


# --- property: every area of both editions in exactly one row per pair --------------------


@st.composite
def _editions(draw):
    names = [f"Område {k}" for k in range(8)]
    out = {}
    for year in (2019, 2021, 2023):
        chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=6))
        rows = []
        for name in chosen:
            k = names.index(name)
            has_id = draw(st.booleans())
            area_id = draw(st.sampled_from([str(k), str(k + 100)])) if has_id else None
            w = draw(st.sampled_from([50.0, 100.0, 150.0]))
            dx = draw(st.sampled_from([0.0, 60.0, 200.0]))
            cat = draw(st.sampled_from(CATEGORIES))
            rows.append((area_id, name, cat, _sq(k * 300 + dx, 0, w)))
        ids = [r[0] for r in rows if r[0] is not None]
        if len(ids) != len(set(ids)):  # an id twice in one edition is not a valid edition
            rows = [(None, *r[1:]) for r in rows]
        out[year] = _edition(rows) if rows else _edition([])
    return out


@given(_editions())
@settings(max_examples=60, deadline=None)
def test_every_area_is_in_exactly_one_row_of_each_pair(editions):
    t = utsatta_timeline(editions)
    years = sorted(editions)
    for a, b in itertools.pairwise(years):
        pair = t[(t["from_edition"] == a) & (t["to_edition"] == b)]
        old = pair.loc[pair["status"] != "added", "name_from"].tolist()
        new = pair.loc[pair["status"] != "removed", "name_to"].tolist()
        assert sorted(old) == sorted(editions[a]["name"])
        assert sorted(new) == sorted(editions[b]["name"])
        assert len(pair) == len(editions[a]) + len(editions[b]) - (pair["status"] == "kept").sum()
        assert pair.loc[pair["status"] == "kept", "iou"].between(0, 1).all()
        for changes in pair["changes"]:
            assert set(changes.split(";")) <= set(CHANGE_CODES)
    # deterministic: the same editions give the same table
    pd.testing.assert_frame_equal(t, utsatta_timeline(editions))


# --- the real 2023 and 2025 files against SOURCE.md ----------------------------------------


def _source_table(shared: Path) -> list[dict[str, str]]:
    text = (shared / "polisen_utsatta_omraden_2025/SOURCE.md").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[1].isdigit():
            rows.append(
                dict(zip(("region", "id", "old", "new", "ort", "change"), cells, strict=True))
            )
    return rows


def _name_cat(cell: str) -> tuple[str, str] | None:
    if cell == "—":
        return None
    m = re.fullmatch(r"(.*) \((SUO|UO|RO)\)", cell)
    assert m, cell
    return m.group(1), CODE[m.group(2)]


@pytest.fixture(scope="module")
def real(shared_data):
    a = read_utsatta_omraden(shared_data / U2023)
    b = read_utsatta_omraden(shared_data / U2025)
    return a, b, utsatta_timeline({2023: a.accepted, 2025: b.accepted})


@pytest.mark.shared
def test_the_real_editions_are_read_whole(shared_data, real):
    a, b, _ = real
    text23 = (shared_data / "polisen_utsatta_omraden_2023/SOURCE.md").read_text("utf-8")
    text25 = (shared_data / "polisen_utsatta_omraden_2025/SOURCE.md").read_text("utf-8")
    m = re.search(r"Särskilt utsatt område (\d+), Utsatt område (\d+), Riskområde (\d+)", text23)
    assert (a.n_input, a.n_accepted) == (59, 59)
    assert a.accepted["category"].value_counts().to_dict() == {
        "sarskilt_utsatt": int(m[1]),
        "utsatt": int(m[2]),
        "riskomrade": int(m[3]),
    }
    m = re.search(r"KATEGORI: Utsatt område (\d+), Särskilt utsatt område (\d+)", text25)
    assert (b.n_input, b.n_accepted) == (65, 65)
    assert b.accepted["category"].value_counts().to_dict() == {
        "utsatt": int(m[1]),
        "sarskilt_utsatt": int(m[2]),
    }
    assert (a.accepted["edition"].unique().tolist(), b.accepted["edition"].unique().tolist()) == (
        [2023],
        [2025],
    )
    # the legacy crs member is honoured: SWEREF 99 TM, the bbox SOURCE.md states
    assert b.summary.crs_in == "EPSG:3006"
    assert not b.summary.crs_inferred
    bbox = re.search(r"bbox: ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+)\.", text25)
    assert b.accepted.total_bounds == pytest.approx([float(v) for v in bbox.groups()], abs=0.1)
    starts = re.search(r"AKTUALITET_START: (.*?)\. AKTUALITET_SLUT", text25)[1]
    expected = {d: int(n) for d, n in re.findall(r"(\d{4}-\d\d-\d\d) (\d+)", starts)}
    got = b.accepted["listed_since"].dt.strftime("%Y-%m-%d").value_counts().to_dict()
    assert got == expected
    assert b.accepted["listed_until"].isna().all()  # " " in every feature
    # Stockholm region: 26 (7 SUO, 15 UO, 4 RO) -> 32 (9 SUO, 23 UO), as SOURCE.md says
    sthlm23 = a.accepted[a.accepted["src_REGION"] == "Stockholm"]["category"].value_counts()
    sthlm25 = b.accepted[b.accepted["src_REGION"] == "Stockholm"]["category"].value_counts()
    assert sthlm23.to_dict() == {"utsatt": 15, "sarskilt_utsatt": 7, "riskomrade": 4}
    assert sthlm25.to_dict() == {"utsatt": 23, "sarskilt_utsatt": 9}


@pytest.mark.shared
def test_the_timeline_agrees_with_source_md(shared_data, real):
    _, _, t = real
    table = _source_table(shared_data)
    assert len(table) == 51
    for row in table:
        old, new, change = _name_cat(row["old"]), _name_cat(row["new"]), row["change"]
        if old and new:  # kept under its id
            mine = _row(t, area_id_to=row["id"], area_id_from=row["id"])
            codes = mine["changes"].split(";")
            assert (mine["name_from"], mine["category_from"]) == old
            assert (mine["name_to"], mine["category_to"]) == new
            assert ("renamed" in codes) == ("renamed" in change), row
            assert ("category_changed" in codes) == ("category" in change), row
            assert ("lpo_changed" in codes) == ("LPO" in change), row
            assert ("boundary_changed" in codes) == ("boundary changed" in change), row
            m = re.search(r"\(([\d.]+) -> ([\d.]+) km², IoU ([\d.]+)\)", change)
            if m:
                assert round(mine["area_km2_from"], 2) == float(m[1])
                assert round(mine["area_km2_to"], 2) == float(m[2])
                assert round(mine["iou"], 2) == float(m[3])
        elif new:  # only in 2025 by id
            m = re.search(r"(\d+) % of it lies in 2023 area '(.*)'", change)
            if row["id"] == "78":  # Hisings Backa: re-added under a new id, matched by name
                mine = _row(t, area_id_to="78")
                assert (mine["area_id_from"], mine["matched_by"]) == ("28", "name")
                assert mine["changes"].split(";")[0] == "id_changed"
                continue
            mine = _row(t, area_id_to=row["id"], status="added")
            assert mine["name_to"] == new[0]
            if m and int(m[1]) >= 50:
                assert mine["changes"] == "added;split_from"
                assert mine["related_name"] == m[2]
                assert round(mine["related_share"] * 100) == int(m[1])
            else:  # Granängsringen (no overlap), Lina (35 %)
                assert mine["changes"] == "added"
        else:  # only in 2023
            if row["id"] == "28":
                continue  # matched by name above
            mine = _row(t, area_id_from=row["id"])
            assert (mine["status"], mine["name_from"]) == ("removed", old[0] if old else None)
    # the kept areas SOURCE.md lists as unchanged, and no other
    text = (shared_data / "polisen_utsatta_omraden_2025/SOURCE.md").read_text("utf-8")
    listed = re.search(r"Unchanged \(.*?; (\d+)\): (.*)\.", text)
    ids = sorted(re.findall(r"\((\d+)\)", listed[2]), key=int)
    assert len(ids) == int(listed[1]) == 16
    mine = t.loc[t["changes"] == "unchanged", "area_id_to"].tolist()
    assert sorted(mine, key=int) == ids
    # the splits SOURCE.md describes, and 15 riskområden that all became utsatt område
    tensta = _row(t, area_id_to="9")
    assert "split" in tensta["changes"].split(";")
    parts = t[(t["related_name"] == "Rinkeby / Tensta") & (t["status"] == "added")]
    assert sorted(parts["name_to"]) == ["Hjulsta", "Rinkeby"]
    ro = t[t["category_from"] == "riskomrade"]
    assert len(ro) == 15
    assert set(ro["category_to"]) == {"utsatt"}


@pytest.mark.shared
def test_overlaps_with_stadsdelar_equal_an_overlay_and_lpos_agree(shared_data, real):
    _, b, _ = real
    stadsdelar = read_areas(
        shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp",
        source="stockholm-stadsdelar",
    ).accepted
    järva = b.accepted[b.accepted["lpo"] == "Järva"]
    out = utsatta_overlaps(järva, stadsdelar, min_share=0)
    # a second method: geopandas' overlay of the two layers, areas summed per pair
    pieces = gpd.overlay(
        järva[["name", "geometry"]],
        stadsdelar[["name", "geometry"]].rename(columns={"name": "sd"}),
    )
    pieces["a"] = pieces.area
    expected = pieces.groupby(["name", "sd"])["a"].sum() / järva.set_index("name").area
    expected = expected.dropna()
    got = out.set_index(["name", "area"])["share"]
    assert sorted(got.index) == sorted(expected.index)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9)
    shares = out.groupby("name")["share"].sum()
    assert (shares <= 1 + 1e-9).all()
    # Rinkeby 2025 touches two stadsdelar; Husby lies almost wholly in HUSBY
    assert set(out.loc[out["name"] == "Rinkeby", "area"]) >= {"RINKEBY", "KISTA"}
    assert got[("Husby", "HUSBY")] > 0.95
    check = utsatta_lpo_check(järva, utsatta_overlaps(järva, stadsdelar))
    assert check["agrees"].tolist() == [True] * 4
    assert set(check["lpo_crosswalk"]) == {"Järva"}
