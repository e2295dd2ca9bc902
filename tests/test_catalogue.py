"""Tests of the boundary catalogue (geo_trygg.catalogue, geo_trygg/data/catalogue.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pyogrio
import pytest
from pyproj import CRS

from geo_trygg import catalogue
from geo_trygg._errors import ConfigError, ReadError
from geo_trygg.catalogue import AREA_LEVELS, CatalogueSource, get_source, list_sources

# catalogue name -> files in ../shared/data it describes, with their feature counts
SHARED_FILES = {
    "stockholm-stadsdelar": [
        ("stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp", 117),
        ("stockholm_stadsdelar/geojson_fullsize/stadsdelar.geo.json", 117),
        ("stockholm_stadsdelar/geojson_simplified/stadsdelar.geo.json", 117),
        ("stockholm_stadsdelar/geojson_simplified/stadsdelar_utan_vatten.geo.json", 117),
    ],
    "stockholm-stadsdelsomraden-2020": [("stockholm_stadsdelsomraden_2020/sdn_2020.shp", 13)],
    "stockholm-adm-area": [("stockholm_stadsdelsomraden_2020/Adm_area_ny.shp", 13)],
    "scb-kommuner": [("sverige_kommuner_lan_scb/kommuner.geojson", 290)],
    "scb-lan": [("sverige_kommuner_lan_scb/lan.geojson", 21)],
    "scb-deso-2018-simplified": [
        ("deso_2018_stockholms_lan/deso_2018_stockholms_lan.geojson", 1287)
    ],
    "polisen-utsatta-omraden-2023": [("polisen_utsatta_omraden_2023/uso_2023.shp", 59)],
    "polisen-utsatta-omraden-2025": [("polisen_utsatta_omraden_2025/uso_2025.geojson", 65)],
}


def test_list_sources_names_the_official_sources() -> None:
    names = list_sources()
    assert names == sorted(names)
    expected = {
        "stockholm-stadsdelar",
        "stockholm-stadsdelsomraden-2020",
        "stockholm-adm-area",
        "scb-kommuner",
        "scb-lan",
        "scb-deso-2018",
        "scb-regso-2018",
        "lantmateriet-kommuner",
        "polisen-utsatta-omraden-2023",
        "polisen-utsatta-omraden-2025",
    }
    assert expected <= set(names)


def test_every_source_is_complete() -> None:
    for name in list_sources():
        src = get_source(name)
        assert isinstance(src, CatalogueSource)
        assert src.name == name
        assert src.level in AREA_LEVELS
        assert src.url.startswith("https://")
        for text in (src.title, src.publisher, src.licence, src.name_field, src.notes):
            assert text.strip()
        if src.crs is not None:
            assert CRS.from_user_input(src.crs).is_projected or src.crs == "EPSG:4326"
        if src.valid_from and src.valid_to:
            assert src.valid_from < src.valid_to
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in src.fields.items())


def test_stadsdelar_entry_matches_the_published_file_facts() -> None:
    src = get_source("stockholm-stadsdelar")
    assert (src.level, src.name_field, src.id_field) == ("stadsdel", "name", None)
    assert (src.crs, src.encoding) == ("EPSG:3011", "cp1252")
    sdn = get_source("stockholm-stadsdelsomraden-2020")
    assert sdn.name_field == "Sdn_omarde"
    assert (sdn.valid_from, sdn.valid_to) == (date(2020, 7, 1), date(2023, 7, 1))
    assert get_source("stockholm-adm-area").name_field == "NAMN"
    uso25 = get_source("polisen-utsatta-omraden-2025")
    assert (uso25.crs, uso25.name_field, uso25.valid_from) == (
        "EPSG:3006",
        "NAMN",
        date(2025, 12, 1),
    )
    assert get_source("polisen-utsatta-omraden-2023").valid_to == uso25.valid_from


def test_source_is_frozen() -> None:
    src = get_source("scb-kommuner")
    with pytest.raises(AttributeError):
        src.level = "lan"  # type: ignore[misc]


def test_unknown_source_lists_the_allowed_names() -> None:
    with pytest.raises(ConfigError) as err:
        get_source("stockholm-stadsdelar-1999")
    text = str(err.value)
    assert "stockholm-stadsdelar-1999" in text
    assert "'scb-kommuner'" in text


def _use_catalogue(monkeypatch: pytest.MonkeyPatch, folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(catalogue, "BOUNDARIES_DIR", folder)


_MINIMAL = """
[sources.x]
title = "t"
publisher = "p"
licence = "CC0"
url = "https://example.org/x.zip"
level = "kommun"
name_field = "NAMN"
valid_from = 2020-01-01
"""


def test_a_user_catalogue_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _use_catalogue(monkeypatch, tmp_path / "ok", _MINIMAL)
    assert list_sources() == ["x"]
    src = get_source("x")
    assert (src.layer, src.id_field, src.crs, src.valid_to) == (None, None, None, None)
    assert src.valid_from == date(2020, 1, 1)
    assert src.fields == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[sources.x\n", "not valid TOML"),
        (_MINIMAL + 'colour = "red"\n', "unknown keys ['colour']"),
        (_MINIMAL.replace('level = "kommun"', 'level = "county"'), "level"),
        (_MINIMAL.replace('title = "t"', ""), "lacks required keys ['title']"),
        (_MINIMAL.replace("2020-01-01", '"2020"'), "must be a TOML date"),
    ],
)
def test_malformed_catalogues_are_rejected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, fragment: str
) -> None:
    _use_catalogue(monkeypatch, tmp_path / "cat", text)
    with pytest.raises((ReadError, ConfigError)) as err:
        list_sources()
    assert fragment in str(err.value)


def test_missing_catalogue_is_a_read_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(catalogue, "BOUNDARIES_DIR", tmp_path / "nowhere")
    with pytest.raises(ReadError, match="not found"):
        get_source("scb-kommuner")


def test_environment_variable_overrides_the_folder(tmp_path: Path) -> None:
    (tmp_path / "catalogue.toml").write_text(_MINIMAL, encoding="utf-8")
    code = "from geo_trygg import catalogue as c; print(c.BOUNDARIES_DIR); print(c.list_sources())"
    env = {**os.environ, "GEO_TRYGG_BOUNDARIES": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [str(tmp_path), "['x']"]


def test_default_folder_is_the_package_data(repo_root: Path) -> None:
    if os.environ.get("GEO_TRYGG_BOUNDARIES"):
        pytest.skip("GEO_TRYGG_BOUNDARIES is set")
    assert repo_root / "geo_trygg" / "data" == catalogue.BOUNDARIES_DIR


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(SHARED_FILES))
def test_catalogue_fields_exist_in_the_published_files(shared_data: Path, name: str) -> None:
    src = get_source(name)
    for rel, count in SHARED_FILES[name]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyogrio: measured geometries read as 3D
            info = pyogrio.read_info(shared_data / rel)
        fields = set(info["fields"])
        assert src.name_field in fields, rel
        if src.id_field is not None:
            assert src.id_field in fields, rel
        assert set(src.fields) <= fields, rel
        assert info["features"] == count
        file_crs = CRS.from_user_input(info["crs"])
        if rel.endswith(".shp") or name == "polisen-utsatta-omraden-2025":
            # shapefiles and the 2025 GeoJSON carry the CRS the catalogue assumes
            assert file_crs.equals(CRS.from_user_input(src.crs)), rel
        else:
            assert file_crs.equals(CRS.from_user_input("EPSG:4326")), rel


@pytest.mark.shared
def test_read_areas_needs_no_further_arguments_on_the_official_files(shared_data: Path) -> None:
    from geo_trygg.io.readers import read_areas

    shp = shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"
    result = read_areas(shp, source="stockholm-stadsdelar")
    areas = result.accepted
    assert result.summary.n_accepted == 117
    assert set(areas["level"]) == {"stadsdel"}
    assert {"ÄLVSJÖ", "VÅRBERG", "ULVSUNDA INDUSTRIOMR"} <= set(areas["name"])
    assert CRS.from_user_input(areas.crs).equals(CRS.from_user_input("EPSG:3006"))
    sdn = read_areas(
        shared_data / "stockholm_stadsdelsomraden_2020/sdn_2020.shp",
        source="stockholm-stadsdelsomraden-2020",
    ).accepted
    assert set(sdn["valid_from"].dt.date) == {date(2020, 7, 1)}
    assert set(sdn["valid_to"].dt.date) == {date(2023, 7, 1)}
    assert "Hägersten-Älvsjö" in set(sdn["name"])
