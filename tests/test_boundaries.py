"""Tests of the crosswalks, version selection and derive_lpo (geo_trygg.boundaries).

Facts are hand-checked against the public sources cited in geo_trygg/data/crosswalks/*.csv;
areas of hand-made squares are computed by hand.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo_trygg._errors import ConfigError, GeoTryggWarning, ReadError
from geo_trygg.boundaries import (
    CROSSWALK_COLUMNS,
    crosswalk_conflicts,
    crosswalk_mapping,
    default_date,
    derive_lpo,
    load_crosswalk,
    resolve_crosswalk,
    select_version,
)

STADSDELAR_SHP = "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"


@pytest.fixture(scope="module")
def cw() -> pd.DataFrame:
    return load_crosswalk()


def _map(cw: pd.DataFrame, child: str, parent: str, at: str | None) -> pd.Series:
    return crosswalk_mapping(cw, child_level=child, parent_level=parent, at=at)


# --- the bundled tables ------------------------------------------------------------------------


def test_load_crosswalk_columns_and_types(cw: pd.DataFrame) -> None:
    assert list(cw.columns) == CROSSWALK_COLUMNS
    assert cw["valid_from"].dtype == "datetime64[ns]"
    assert cw["valid_to"].dtype == "datetime64[ns]"
    assert set(cw["status"]) <= {"confirmed", "unconfirmed"}


def test_every_row_cites_a_source(cw: pd.DataFrame) -> None:
    assert (cw["source"].str.strip().str.len() > 10).all()
    assert cw["source"].str.contains("https://|polisen.se").all()


def test_validity_ranges_do_not_overlap(cw: pd.DataFrame) -> None:
    # independent check: per child and parent level, sorted by start, each row ends before the
    # next one starts
    far = pd.Timestamp("2200-01-01")
    early = pd.Timestamp("1900-01-01")
    for _key, grp in cw.groupby(["child_level", "child", "parent_level"]):
        spans = sorted(
            zip(grp["valid_from"].fillna(early), grp["valid_to"].fillna(far), strict=True)
        )
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, _key
    assert crosswalk_conflicts(cw).empty


def test_unconfirmed_rows_are_few_and_named(cw: pd.DataFrame) -> None:
    unconfirmed = cw[cw["status"] == "unconfirmed"]
    assert list(unconfirmed["child"]) == ["STUREBY"]


@pytest.mark.parametrize(
    ("stadsdel", "at", "expected"),
    [
        ("ÄLVSJÖ", "2019-01-01", "Älvsjö"),
        ("ÄLVSJÖ", "2020-06-30", "Älvsjö"),
        ("ÄLVSJÖ", "2020-07-01", "Hägersten-Älvsjö"),
        ("ÄLVSJÖ", "2021-01-01", "Hägersten-Älvsjö"),
        ("HÄGERSTEN", "2019-01-01", "Hägersten-Liljeholmen"),
        ("AKALLA", "2021-01-01", "Rinkeby-Kista"),
        ("AKALLA", "2023-06-30", "Rinkeby-Kista"),
        ("AKALLA", "2023-07-01", "Järva"),
        ("AKALLA", "2024-01-01", "Järva"),
        ("TENSTA", "2022-01-01", "Spånga-Tensta"),
        ("VASASTADEN", "2022-01-01", "Norrmalm"),
        ("DJURGÅRDEN", "2024-01-01", "Norra innerstaden"),
        ("ENSKEDEDALEN", "2024-01-01", "Skarpnäck"),
        ("VÅRBERG", "2019-01-01", "Skärholmen"),
    ],
)
def test_stadsdel_to_stadsdelsomrade(
    cw: pd.DataFrame, stadsdel: str, at: str, expected: str
) -> None:
    assert _map(cw, "stadsdel", "stadsdelsomrade", at)[stadsdel.casefold()] == expected


def test_number_of_stadsdelsomraden_per_division(cw: pd.DataFrame) -> None:
    counts = {
        at: _map(cw, "stadsdel", "stadsdelsomrade", at).nunique()
        for at in ("2019-01-01", "2021-01-01", "2024-01-01")
    }
    assert counts == {"2019-01-01": 14, "2021-01-01": 13, "2024-01-01": 11}


@pytest.mark.parametrize(
    ("stadsdel", "at", "lpo", "path"),
    [
        ("ÄLVSJÖ", "2024-01-01", "Globen", "stadsdel->lpo"),
        ("SOLBERGA", "2024-01-01", "Globen", "stadsdel->lpo"),
        ("HÄGERSTEN", "2024-01-01", "Skärholmen", "stadsdel->lpo"),
        ("LILJEHOLMEN", "2019-01-01", "Skärholmen", "stadsdel->lpo"),
        ("RÅGSVED", "2024-01-01", "Farsta", "stadsdel->lpo"),
        ("ÅRSTA", "2024-01-01", "Globen", "stadsdel->lpo"),
        ("RINKEBY", "2024-01-01", "Järva", "stadsdel->stadsdelsomrade->lpo"),
        ("BROMMA KYRKA", "2024-01-01", "Vällingby", "stadsdel->stadsdelsomrade->lpo"),
        ("NORRMALM", "2024-12-31", "Norrmalm", "stadsdel->stadsdelsomrade->lpo"),
        ("NORRMALM", "2025-01-01", "Norra innerstaden", "stadsdel->stadsdelsomrade->lpo"),
        ("KUNGSHOLMEN", "2025-01-01", "Lidingö-Kungsholmen", "stadsdel->stadsdelsomrade->lpo"),
        ("SÖDERMALM", "2025-01-01", "Södermalm", "stadsdel->stadsdelsomrade->lpo"),
    ],
)
def test_stadsdel_to_lpo(cw: pd.DataFrame, stadsdel: str, at: str, lpo: str, path: str) -> None:
    links = resolve_crosswalk(cw, child_level="stadsdel", parent_level="lpo", at=at)
    row = links.set_index("child").loc[stadsdel.casefold()]
    assert (row["parent"], row["path"]) == (lpo, path)


@pytest.mark.parametrize(
    ("child_level", "child", "at", "lpo"),
    [
        ("kommun", "Botkyrka", "2024-01-01", "Botkyrka"),
        ("kommun", "Salem", "2024-01-01", "Södertälje"),
        ("kommun", "Lidingö", "2024-06-01", "Norrmalm"),
        ("kommun", "Lidingö", "2025-06-01", "Lidingö-Kungsholmen"),
        ("stadsdelsomrade", "Norrmalm", "2024-01-01", "Norrmalm"),
        ("stadsdelsomrade", "Norrmalm", "2025-01-01", "Norra innerstaden"),
        ("stadsdelsomrade", "Östermalm", "2024-12-31", "Norrmalm"),
        ("stadsdelsomrade", "Södermalm", "2025-01-01", "Södermalm"),
        ("stadsdelsomrade", "Spånga-Tensta", "2021-01-01", "Järva"),
    ],
)
def test_coarser_levels_to_lpo(
    cw: pd.DataFrame, child_level: str, child: str, at: str, lpo: str
) -> None:
    assert _map(cw, child_level, "lpo", at)[child.casefold()] == lpo


def test_split_stadsdelsomraden_have_no_single_lpo(cw: pd.DataFrame) -> None:
    m = _map(cw, "stadsdelsomrade", "lpo", "2024-01-01")
    assert "hägersten-älvsjö" not in m.index
    assert "enskede-årsta-vantör" not in m.index


def test_stockholm_kommun_is_not_one_lpo(cw: pd.DataFrame) -> None:
    m = _map(cw, "kommun", "lpo", "2024-01-01")
    assert "stockholm" not in m.index
    assert len(m) == 25  # the other 25 kommuner of Stockholms län


def test_chains_up_to_polisomrade_and_polisregion(cw: pd.DataFrame) -> None:
    po = _map(cw, "stadsdel", "polisomrade", "2024-01-01")
    assert (po["vårberg"], po["husby"], po["gamla stan"], po["älvsjö"]) == (
        "Stockholm syd",
        "Stockholm nord",
        "Stockholm city",
        "Stockholm syd",
    )
    region = _map(cw, "kommun", "polisregion", "2024-01-01")
    assert set(region) == {"Stockholm"}
    assert _map(cw, "stadsdel", "lan", None)["akalla"] == "Stockholms län"


def test_number_of_lpos_in_stockholm_stad(cw: pd.DataFrame) -> None:
    # 2 city LPOs (Norrmalm, Södermalm) + Järva, Vällingby + Skärholmen, Globen, Farsta;
    # from 2025 the city has 3 (Lidingö-Kungsholmen, Norra innerstaden, Södermalm)
    assert _map(cw, "stadsdel", "lpo", "2024-01-01").nunique() == 7
    assert _map(cw, "stadsdel", "lpo", "2025-01-01").nunique() == 8


def test_default_date_is_the_newest_state(cw: pd.DataFrame) -> None:
    assert default_date(cw) == pd.Timestamp("2025-01-01")
    pd.testing.assert_series_equal(
        _map(cw, "stadsdel", "lpo", None), _map(cw, "stadsdel", "lpo", "2025-01-01")
    )
    assert crosswalk_mapping(None, child_level="stadsdel", parent_level="lpo")["norrmalm"] == (
        "Norra innerstaden"
    )


def test_mapping_series_shape(cw: pd.DataFrame) -> None:
    m = _map(cw, "stadsdel", "stadsdelsomrade", "2021-01-01")
    assert m.name == "stadsdelsomrade"
    assert m.index.name == "stadsdel"
    assert list(m.index) == sorted(m.index)
    assert "ulvsunda industriomr" in m.index


def test_at_accepts_dates_timestamps_and_aware_times(cw: pd.DataFrame) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    expected = _map(cw, "stadsdel", "stadsdelsomrade", "2019-01-01")
    for at in (date(2019, 1, 1), pd.Timestamp("2019-01-01 23:59"), datetime(2019, 1, 1, 12)):
        pd.testing.assert_series_equal(_map(cw, "stadsdel", "stadsdelsomrade", at), expected)  # type: ignore[arg-type]
    # 2020-06-30 23:30 UTC is 2020-07-01 01:30 in Stockholm: the new division
    aware = datetime(2020, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert (
        crosswalk_mapping(cw, child_level="stadsdel", parent_level="stadsdelsomrade", at=aware)[
            "älvsjö"
        ]
        == "Hägersten-Älvsjö"
    )


# --- hand-made crosswalks ----------------------------------------------------------------------


def _table(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=CROSSWALK_COLUMNS)
    for col in ("valid_from", "valid_to"):
        df[col] = pd.to_datetime(df[col].replace("", None)).astype("datetime64[ns]")
    return df


def test_direct_rows_win_over_chains() -> None:
    t = _table(
        [
            ("stadsdel", "X", "stadsdelsomrade", "A", "", "", "confirmed", "s"),
            ("stadsdel", "Y", "stadsdelsomrade", "A", "", "", "confirmed", "s"),
            ("stadsdelsomrade", "A", "lpo", "P", "", "", "confirmed", "s"),
            ("stadsdel", "X", "lpo", "Q", "", "", "unconfirmed", "s"),
            ("lpo", "P", "polisomrade", "PO1", "", "", "confirmed", "s"),
            ("lpo", "Q", "polisomrade", "PO2", "", "", "confirmed", "s"),
        ]
    )
    m = crosswalk_mapping(t, child_level="stadsdel", parent_level="lpo")
    assert m.to_dict() == {"x": "Q", "y": "P"}
    # the chain to polisområde goes through X's direct LPO row, not through A
    po = resolve_crosswalk(t, child_level="stadsdel", parent_level="polisomrade").set_index(
        "child"
    )
    assert po.loc["x", "parent"] == "PO2"
    assert po.loc["x", "status"] == "unconfirmed"
    assert po.loc["y", ["parent", "path"]].tolist() == [
        "PO1",
        "stadsdel->stadsdelsomrade->lpo->polisomrade",
    ]


def test_chained_validity_is_the_intersection() -> None:
    t = _table(
        [
            (
                "stadsdel",
                "X",
                "stadsdelsomrade",
                "A",
                "2020-01-01",
                "2024-01-01",
                "confirmed",
                "s",
            ),
            ("stadsdelsomrade", "A", "lpo", "P", "2015-01-01", "2022-01-01", "confirmed", "s"),
            ("stadsdelsomrade", "A", "lpo", "R", "2022-01-01", "", "confirmed", "s"),
        ]
    )
    row = resolve_crosswalk(t, child_level="stadsdel", parent_level="lpo", at="2021-05-01").iloc[0]
    assert (row["parent"], row["valid_from"], row["valid_to"]) == (
        "P",
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2022-01-01"),
    )
    assert (
        crosswalk_mapping(t, child_level="stadsdel", parent_level="lpo", at="2023-01-01")["x"]
        == "R"
    )
    assert crosswalk_mapping(t, child_level="stadsdel", parent_level="lpo", at="2024-01-01").empty
    assert default_date(t) == pd.Timestamp("2024-01-01")


def test_names_match_after_normalisation() -> None:
    t = _table(
        [
            (
                "stadsdel",
                "Älvsjö",
                "stadsdelsomrade",
                "Hägersten – Älvsjö",
                "",
                "",
                "confirmed",
                "s",
            ),
            (
                "stadsdelsomrade",
                "HÄGERSTEN-ÄLVSJÖ",
                "kommun",
                "Stockholm",
                "",
                "",
                "confirmed",
                "s",
            ),
        ]
    )
    assert crosswalk_mapping(t, child_level="stadsdel", parent_level="kommun").to_dict() == {
        "älvsjö": "Stockholm"
    }


def test_conflicting_rows_at_a_date_raise() -> None:
    t = _table(
        [
            ("stadsdel", "X", "lpo", "P", "2020-01-01", "", "confirmed", "s"),
            ("stadsdel", "X", "lpo", "Q", "2021-01-01", "", "confirmed", "s"),
        ]
    )
    assert (
        crosswalk_mapping(t, child_level="stadsdel", parent_level="lpo", at="2020-06-01")["x"]
        == "P"
    )
    with pytest.raises(ConfigError, match="more than one parent"):
        crosswalk_mapping(t, child_level="stadsdel", parent_level="lpo", at="2022-01-01")
    overlaps = crosswalk_conflicts(t)
    assert overlaps[["parent_a", "parent_b"]].values.tolist() == [["P", "Q"]]
    assert overlaps["overlap_from"].iloc[0] == pd.Timestamp("2021-01-01")
    assert pd.isna(overlaps["overlap_to"].iloc[0])


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"child_level": "lpo", "parent_level": "stadsdel"}, "no crosswalk rows link"),
        ({"child_level": "district", "parent_level": "lpo"}, "child_level='district'"),
        ({"child_level": "stadsdel", "parent_level": "stadsdel"}, "both 'stadsdel'"),
        ({"child_level": "stadsdel", "parent_level": "lpo", "at": "31/2/2024"}, "at='31/2/2024'"),
        ({"child_level": "stadsdel", "parent_level": "lpo", "at": 2024}, "is not a date"),
    ],
)
def test_bad_arguments_raise_config_error(cw: pd.DataFrame, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        crosswalk_mapping(cw, **kwargs)
    assert fragment in str(err.value)


def test_crosswalk_must_be_a_frame() -> None:
    with pytest.raises(ConfigError, match="DataFrame"):
        crosswalk_mapping("x.csv", child_level="stadsdel", parent_level="lpo")  # type: ignore[arg-type]


_HEADER = ",".join(CROSSWALK_COLUMNS)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("stadsdel,X,lpo,P,,,maybe,s", "status='maybe'"),
        ("stadsdel,X,lpo,P,2024-13-01,,confirmed,s", "valid_from='2024-13-01'"),
        ("stadsdel,X,lpo,P,2025-01-01,2024-01-01,confirmed,s", "not before valid_to"),
        ("stadsdel,,lpo,P,,,confirmed,s", "'child' is empty"),
        ("lpo,X,lpo,P,,,confirmed,s", "both 'lpo'"),
    ],
)
def test_bad_crosswalk_files_raise_read_error(tmp_path: Path, line: str, fragment: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{_HEADER}\nstadsdel,OK,lpo,P,,,confirmed,s\n{line}\n", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        load_crosswalk(path)
    assert "row 3" in str(err.value)
    assert fragment in str(err.value)


def test_load_crosswalk_from_folder_and_list(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text(f"{_HEADER}\nkommun,K,lan,L,,,confirmed,s\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text(
        f"\ufeff{_HEADER}\nstadsdel,X,kommun,K,2020-01-01,,confirmed,s\n", encoding="utf-8"
    )
    df = load_crosswalk(tmp_path)
    assert df["child"].tolist() == ["X", "K"]  # files sorted by name, BOM removed
    assert df["valid_from"].tolist()[0] == pd.Timestamp("2020-01-01")
    assert load_crosswalk([tmp_path / "b.csv"])["child"].tolist() == ["K"]
    (tmp_path / "c.csv").write_text("child,parent\nX,Y\n", encoding="utf-8")
    with pytest.raises(ReadError, match="lacks the columns"):
        load_crosswalk(tmp_path / "c.csv")
    with pytest.raises(ReadError, match="not found"):
        load_crosswalk(tmp_path / "missing.csv")


# --- select_version ----------------------------------------------------------------------------


def _versions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["v1", "v2", "v3", "always"],
            "valid_from": pd.to_datetime([None, "2020-07-01", "2023-07-01", None]),
            "valid_to": pd.to_datetime(["2020-07-01", "2023-07-01", None, None]),
        },
        geometry=[box(0, 0, 1, 1)] * 4,
        index=[10, 20, 30, 40],
        crs="EPSG:3006",
    )


@pytest.mark.parametrize(
    ("at", "names"),
    [
        ("2010-01-01", ["v1", "always"]),
        ("2020-06-30", ["v1", "always"]),
        ("2020-07-01", ["v2", "always"]),
        ("2023-06-30 23:00", ["v2", "always"]),
        ("2023-07-01", ["v3", "always"]),
        ("2099-01-01", ["v3", "always"]),
    ],
)
def test_select_version(at: str, names: list[str]) -> None:
    assert select_version(_versions(), at)["name"].tolist() == names


def test_select_version_keeps_index_and_treats_missing_columns_as_open() -> None:
    picked = select_version(_versions(), "2021-01-01")
    assert picked.index.tolist() == [20, 40]
    assert isinstance(picked, gpd.GeoDataFrame)
    undated = _versions().drop(columns=["valid_from", "valid_to"])
    assert len(select_version(undated, "2021-01-01")) == 4
    with pytest.raises(ConfigError, match="at=None"):
        select_version(_versions(), None)


# --- derive_lpo --------------------------------------------------------------------------------


def _squares() -> gpd.GeoDataFrame:
    # 100 m squares: ÄLVSJÖ and SOLBERGA (Älvsjö part -> Globen), HÄGERSTEN and LILJEHOLMEN
    # (Hägersten-Liljeholmen part -> Skärholmen), RINKEBY (-> Järva via Rinkeby-Kista), the kommun
    # Botkyrka, an unknown stadsdel and a DeSO (no path to lpo)
    return gpd.GeoDataFrame(
        {
            "name": [
                "ÄLVSJÖ",
                "SOLBERGA",
                "HÄGERSTEN",
                "LILJEHOLMEN",
                "RINKEBY",
                "Botkyrka",
                "ATLANTIS",
                "0180C1600",
            ],
            "level": ["stadsdel"] * 5 + ["kommun", "stadsdel", "deso"],
        },
        geometry=[
            box(0, 0, 100, 100),
            box(100, 0, 200, 100),
            box(0, 100, 200, 200),
            box(200, 100, 300, 200),
            box(1000, 1000, 1100, 1050),
            box(-500, -500, -300, -300),
            box(5000, 5000, 5100, 5100),
            box(6000, 6000, 6100, 6100),
        ],
        crs="EPSG:3006",
    )


def test_derive_lpo_unions_by_crosswalk() -> None:
    with pytest.warns(GeoTryggWarning) as record:
        lpo = derive_lpo(_squares(), at="2024-01-01")
    assert lpo["name"].tolist() == ["Botkyrka", "Globen", "Järva", "Skärholmen"]
    # by hand: Botkyrka 200x200, Globen 2 x 100x100, Järva 100x50, Skärholmen 200x100 + 100x100
    assert lpo.area.round(6).tolist() == [40_000.0, 20_000.0, 5_000.0, 30_000.0]
    assert lpo["n_areas"].tolist() == [1, 2, 1, 2]
    assert lpo["n_unconfirmed"].tolist() == [0, 0, 0, 0]
    assert set(lpo["level"]) == {"lpo"}
    assert (lpo["area_id"] == lpo["name"]).all()
    # the two Globen squares share an edge: one polygon, not two
    assert lpo.geometry.iloc[1].geom_type == "Polygon"
    assert lpo.crs == "EPSG:3006"
    assert lpo.attrs["not_covered"] == ["ATLANTIS (stadsdel)", "0180C1600 (deso)"]
    text = " ".join(str(w.message) for w in record)
    assert "ATLANTIS" in text
    assert "0180C1600" in text


def test_derive_lpo_follows_the_date() -> None:
    areas = gpd.GeoDataFrame(
        {"name": ["NORRMALM", "VASASTADEN", "ÖSTERMALM", "KUNGSHOLMEN"], "level": "stadsdel"},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(20, 0, 30, 10), box(0, 10, 30, 20)],
        crs="EPSG:3006",
    )
    before = derive_lpo(areas, at="2024-12-31")
    assert before[["name", "n_areas"]].values.tolist() == [["Norrmalm", 4]]
    assert before.area.tolist() == [600.0]
    # the window of the memberships used: Norrmalm SDO -> Norra innerstaden from 2023-07-01,
    # LPO Norrmalm until 2025-01-01
    assert before["valid_from"].iloc[0] == pd.Timestamp("2023-07-01")
    assert before["valid_to"].iloc[0] == pd.Timestamp("2025-01-01")
    after = derive_lpo(areas)
    assert after[["name", "n_areas"]].values.tolist() == [
        ["Lidingö-Kungsholmen", 1],
        ["Norra innerstaden", 3],
    ]
    assert after.area.tolist() == [300.0, 300.0]
    assert after["valid_from"].tolist() == [pd.Timestamp("2025-01-01")] * 2
    assert after["valid_to"].isna().all()


def test_derive_lpo_other_levels_and_unconfirmed_warning() -> None:
    areas = gpd.GeoDataFrame(
        {"name": ["STUREBY", "ÅRSTA", "RÅGSVED"], "level": "stadsdel"},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10), box(20, 0, 40, 10)],
        crs="EPSG:3006",
    )
    with pytest.warns(GeoTryggWarning, match="STUREBY"):
        lpo = derive_lpo(areas, at="2024-01-01")
    assert lpo[["name", "n_areas", "n_unconfirmed"]].values.tolist() == [
        ["Farsta", 1, 0],
        ["Globen", 2, 1],
    ]
    with pytest.warns(GeoTryggWarning):
        po = derive_lpo(areas, at="2024-01-01", level="polisomrade")
    assert po[["name", "n_areas"]].values.tolist() == [["Stockholm syd", 3]]
    assert po.area.tolist() == [400.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # STUREBY's stadsdelsområde is confirmed: no warning
        sdo = derive_lpo(areas, level="stadsdelsomrade")
    assert sdo["name"].tolist() == ["Enskede-Årsta-Vantör"]


def test_derive_lpo_keeps_areas_already_at_the_level() -> None:
    areas = gpd.GeoDataFrame(
        {"name": ["Globen", "ÄLVSJÖ"], "level": ["lpo", "stadsdel"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
        crs="EPSG:3006",
    )
    lpo = derive_lpo(areas)
    assert lpo[["name", "n_areas"]].values.tolist() == [["Globen", 2]]
    assert lpo.area.tolist() == [200.0]


def test_derive_lpo_bad_arguments() -> None:
    areas = _squares()
    with pytest.raises(ConfigError, match="level='county'"):
        derive_lpo(areas, level="county")
    with pytest.raises(ConfigError, match="lacks the columns \\['level'\\]"):
        derive_lpo(areas.drop(columns=["level"]))
    with pytest.raises(ConfigError, match="GeoDataFrame"):
        derive_lpo(pd.DataFrame(areas.drop(columns="geometry")))  # type: ignore[arg-type]
    deso_only = areas[areas["level"] == "deso"]
    with pytest.raises(ConfigError, match="no level of areas"):
        derive_lpo(deso_only)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=5),
    st.lists(
        st.sampled_from(["ÄLVSJÖ", "HÄGERSTEN", "RINKEBY", "FARSTA"]), min_size=25, max_size=25
    ),
)
def test_derive_lpo_area_is_the_sum_of_its_cells(nx: int, ny: int, names: list[str]) -> None:
    # a grid partition of 10 m cells; every LPO's area is 100 m² times its number of cells
    cells = [(i, j) for i in range(nx) for j in range(ny)]
    areas = gpd.GeoDataFrame(
        {"name": names[: len(cells)], "level": "stadsdel"},
        geometry=[box(10 * i, 10 * j, 10 * i + 10, 10 * j + 10) for i, j in cells],
        crs="EPSG:3006",
    )
    lpo_of = {
        "ÄLVSJÖ": "Globen",
        "HÄGERSTEN": "Skärholmen",
        "RINKEBY": "Järva",
        "FARSTA": "Farsta",
    }
    expected = pd.Series([lpo_of[n] for n in areas["name"]]).value_counts() * 100.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lpo = derive_lpo(areas, at="2024-01-01")
    got = pd.Series(lpo.area.to_numpy(), index=lpo["name"])
    pd.testing.assert_series_equal(
        got.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
    assert np.isclose(lpo.area.sum(), 100.0 * len(cells))


# --- real data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_stadsdelar(shared_data: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf = gpd.read_file(shared_data / STADSDELAR_SHP).to_crs("EPSG:3006")
    return gdf.assign(level="stadsdel")


@pytest.mark.shared
def test_crosswalk_stadsdelar_are_exactly_the_117(
    cw: pd.DataFrame, real_stadsdelar: gpd.GeoDataFrame
) -> None:
    real = set(real_stadsdelar["name"])
    assert len(real) == 117
    in_cw = set(cw.loc[cw["child_level"] == "stadsdel", "child"])
    assert in_cw <= real  # spelled exactly as in the file
    for at in ("2019-01-01", "2021-01-01", "2024-01-01", "2025-06-01"):
        sdo = _map(cw, "stadsdel", "stadsdelsomrade", at)
        assert set(sdo.index) == {n.casefold() for n in real}, at
        assert len(_map(cw, "stadsdel", "lpo", at)) == 117, at


@pytest.mark.shared
def test_2020_division_names_match_sdn_2020(cw: pd.DataFrame, shared_data: Path) -> None:
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio: measured geometries read as 3D
        sdn = pyogrio.read_dataframe(
            shared_data / "stockholm_stadsdelsomraden_2020/sdn_2020.shp", read_geometry=False
        )
    names_2020 = set(_map(cw, "stadsdel", "stadsdelsomrade", "2021-01-01"))
    assert names_2020 == set(sdn["Sdn_omarde"])
    names_2019 = set(_map(cw, "stadsdel", "stadsdelsomrade", "2019-01-01"))
    assert names_2019 == names_2020 - {"Hägersten-Älvsjö"} | {"Hägersten-Liljeholmen", "Älvsjö"}
    names_2024 = set(_map(cw, "stadsdel", "stadsdelsomrade", "2024-01-01"))
    assert names_2024 == names_2020 - {
        "Rinkeby-Kista",
        "Spånga-Tensta",
        "Norrmalm",
        "Östermalm",
    } | {
        "Järva",
        "Norra innerstaden",
    }
    # every stadsdelsområde of every division lies in Stockholm
    kommun = _map(cw, "stadsdelsomrade", "kommun", None)
    assert {n.casefold() for n in names_2019 | names_2020 | names_2024} <= set(kommun.index)


@pytest.mark.shared
def test_derive_lpo_on_the_real_stadsdelar(real_stadsdelar: gpd.GeoDataFrame) -> None:
    with pytest.warns(GeoTryggWarning, match="STUREBY"):
        lpo = derive_lpo(real_stadsdelar, at="2024-01-01")
    assert lpo["name"].tolist() == [
        "Farsta",
        "Globen",
        "Järva",
        "Norrmalm",
        "Skärholmen",
        "Södermalm",
        "Vällingby",
    ]
    assert lpo["n_areas"].sum() == 117
    total = shapely.union_all(real_stadsdelar.geometry.to_numpy()).area
    assert abs(lpo.area.sum() - total) / total < 1e-6
    assert abs(real_stadsdelar.area.sum() - total) / total < 1e-6
    # Globen holds the Älvsjö part of Hägersten-Älvsjö; Skärholmen its Hägersten-Liljeholmen part
    alvsjo = real_stadsdelar.loc[real_stadsdelar["name"] == "ÄLVSJÖ"].geometry.iloc[0]
    globen = lpo.loc[lpo["name"] == "Globen"].geometry.iloc[0]
    assert globen.buffer(1e-6).contains(alvsjo)


def test_derive_lpo_on_no_areas_gives_an_empty_table() -> None:
    empty = _squares().iloc[:0]
    lpo = derive_lpo(empty)
    assert lpo.empty
    assert list(lpo.columns) == [
        "area_id",
        "name",
        "level",
        "valid_from",
        "valid_to",
        "n_areas",
        "n_unconfirmed",
        "geometry",
    ]
    assert lpo.crs == "EPSG:3006"
