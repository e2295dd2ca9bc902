"""Tests of the synthetic demo data (geo_trygg.demo, geo_trygg/data/demo/)."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, shape

from geo_trygg._errors import ConfigError
from geo_trygg.demo import DEMO_DIR, DEMO_FILES, demo_paths, write_demo

ALVSJO = (18.0106, 59.2781)
FITTJA = (17.8608, 59.2475)
TO_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_demo(tmp_path_factory.mktemp("demo"))


def _geojson(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _areas() -> gpd.GeoDataFrame:
    data = _geojson(demo_paths()["areas"])
    gdf = gpd.GeoDataFrame(
        [f["properties"] for f in data["features"]],
        geometry=[shape(f["geometry"]) for f in data["features"]],
        crs="EPSG:4326",
    )
    return gdf.to_crs("EPSG:3006")


def _geom(areas: gpd.GeoDataFrame, level: str, name: str) -> shapely.Geometry:
    hit = areas[(areas["level"] == level) & (areas["name"] == name)]
    assert len(hit) == 1, (level, name)
    return hit.geometry.iloc[0]


def _findings_frame() -> pd.DataFrame:
    raw = demo_paths()["findings"].read_bytes()
    return pd.read_csv(
        io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"lat": float}
    )


def _events_frame() -> pd.DataFrame:
    raw = demo_paths()["events"].read_bytes()
    return pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="cp1252")


# --- files, determinism, labels ----------------------------------------------------------------


def test_demo_paths_are_the_committed_files() -> None:
    paths = demo_paths()
    assert set(paths) >= {"areas", "places", "findings", "events"}
    for key, path in paths.items():
        assert path.parent == DEMO_DIR
        assert path.is_file(), key
        if key != "readme":
            assert "demo" in path.name


def test_regeneration_is_byte_identical(regenerated: dict[str, Path]) -> None:
    committed = demo_paths()
    assert set(regenerated) == set(DEMO_FILES)
    for key, path in regenerated.items():
        assert path.read_bytes() == committed[key].read_bytes(), key


def test_another_seed_changes_the_records_not_the_boundaries(tmp_path: Path) -> None:
    other = write_demo(tmp_path, seed=7)
    committed = demo_paths()
    for key in ("areas", "places"):
        assert other[key].read_bytes() == committed[key].read_bytes()
    for key in ("findings", "events"):
        assert other[key].read_bytes() != committed[key].read_bytes()
    again = write_demo(tmp_path / "again", seed=7)
    assert again["events"].read_bytes() == other["events"].read_bytes()


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_bad_seed(tmp_path: Path, seed: object) -> None:
    with pytest.raises(ConfigError, match="seed="):
        write_demo(tmp_path, seed=seed)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_files_are_labelled_as_demo_data() -> None:
    paths = demo_paths()
    for key in ("areas", "places"):
        data = _geojson(paths[key])
        assert "DEMO DATA" in data["_note"]
        assert "crs" not in data  # RFC 7946: WGS 84 lon/lat
        for f in data["features"]:
            assert list(f["properties"]) == ["area_id", "name", "level", "valid_from", "valid_to"]
            assert f["properties"]["area_id"].startswith("demo-")
    readme = paths["readme"].read_text(encoding="utf-8")
    assert "DEMO DATA" in readme
    assert "approximate" in readme


def test_csv_formats() -> None:
    findings = demo_paths()["findings"].read_bytes()
    assert findings.startswith(b"\xef\xbb\xbf")
    header = findings[3:].split(b"\r\n")[0].decode("utf-8")
    assert header == (
        "vandring;datum;kategori;beskrivning;prioritet;ansvarig;status;åtgärdsdatum;"
        "statusdatum;lat;lon"
    )
    events = demo_paths()["events"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        events.decode("utf-8")  # Windows-1252 with Swedish letters
    first = events.decode("cp1252").split("\r\n")[0]
    assert first == "id;tid_fran;tid_till;typ;kalla;plats;text;lat;lon"
    assert b"," in events.split(b"\r\n")[1].rsplit(b";", 2)[1]  # decimal comma


# --- boundaries --------------------------------------------------------------------------------


def test_demo_levels_and_names() -> None:
    areas = _areas()
    by_level = areas.groupby("level")["name"].apply(sorted).to_dict()
    assert by_level == {
        "stadsdel": ["HERRÄNGEN", "LÅNGBRO", "LÅNGSJÖ", "SOLBERGA", "VÄSTBERGA", "ÄLVSJÖ"],
        "stadsdelsomrade": ["Hägersten-Älvsjö"],
        "kommun": ["Botkyrka", "Stockholm"],
        "lan": ["Stockholms län"],
        "lpo": ["Botkyrka", "Globen", "Skärholmen"],
        "polisomrade": ["Stockholm syd"],
        "utsatt_omrade": ["Fittja"],
    }
    assert areas["area_id"].is_unique
    assert areas.is_valid.all()


def test_stadsdelar_form_a_partition_and_coarser_levels_nest_exactly() -> None:
    areas = _areas()
    sd = areas[areas["level"] == "stadsdel"]
    geoms = sd.geometry.to_numpy()
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-6
    union = shapely.union_all(geoms)
    for level, name in [("stadsdelsomrade", "Hägersten-Älvsjö"), ("kommun", "Stockholm")]:
        assert _geom(areas, level, name).symmetric_difference(union).area < 1e-3
    kommuner = shapely.union_all(areas[areas["level"] == "kommun"].geometry.to_numpy())
    assert _geom(areas, "lan", "Stockholms län").symmetric_difference(kommuner).area < 1e-3
    # LPOs by the crosswalk facts: the Älvsjö part to Globen, Västberga (Hägersten-Liljeholmen
    # part) to Skärholmen, the kommun Botkyrka to LPO Botkyrka
    names = dict(zip(sd["name"], sd.geometry, strict=True))
    globen = shapely.union_all([g for n, g in names.items() if n != "VÄSTBERGA"])
    assert _geom(areas, "lpo", "Globen").symmetric_difference(globen).area < 1e-3
    assert _geom(areas, "lpo", "Skärholmen").symmetric_difference(names["VÄSTBERGA"]).area < 1e-3
    botkyrka = _geom(areas, "kommun", "Botkyrka")
    assert _geom(areas, "lpo", "Botkyrka").symmetric_difference(botkyrka).area < 1e-3
    syd = shapely.union_all([globen, names["VÄSTBERGA"], botkyrka])
    assert _geom(areas, "polisomrade", "Stockholm syd").symmetric_difference(syd).area < 1e-3
    assert botkyrka.contains(_geom(areas, "utsatt_omrade", "Fittja"))


def test_known_places_land_where_they_should() -> None:
    areas = _areas()
    station = Point(TO_3006.transform(18.01056, 59.27806))  # Älvsjö pendeltåg
    fittja = Point(TO_3006.transform(*FITTJA))
    assert _geom(areas, "stadsdel", "ÄLVSJÖ").contains(station)
    assert _geom(areas, "kommun", "Botkyrka").contains(fittja)
    assert _geom(areas, "utsatt_omrade", "Fittja").contains(fittja)
    data = _geojson(demo_paths()["places"])
    places = {f["properties"]["name"]: shape(f["geometry"]) for f in data["features"]}
    assert set(places) == {"Älvsjö centrum", "Fittja centrum"}
    assert places["Fittja centrum"].contains(Point(FITTJA))
    assert places["Älvsjö centrum"].contains(Point(ALVSJO))
    # Älvsjö centrum spans the ÄLVSJÖ / SOLBERGA boundary, as platssamverkan areas do
    alv = shapely.transform(places["Älvsjö centrum"], TO_3006.transform, interleaved=False)
    assert alv.intersection(_geom(areas, "stadsdel", "ÄLVSJÖ")).area > 0
    assert alv.intersection(_geom(areas, "stadsdel", "SOLBERGA")).area > 0


# --- records -----------------------------------------------------------------------------------


def _distance_to_nearest_centre(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x, y = TO_3006.transform(lon, lat)
    centres = np.array([TO_3006.transform(*ALVSJO), TO_3006.transform(*FITTJA)])
    dx = np.asarray(x)[:, None] - centres[:, 0]
    dy = np.asarray(y)[:, None] - centres[:, 1]
    return np.hypot(dx, dy).min(axis=1)


def test_points_cluster_around_the_two_centres() -> None:
    f = _findings_frame().dropna(subset=["lat", "lon"])
    swapped = f["lat"] < f["lon"]
    assert swapped.sum() == 1  # the deliberate swapped row
    lat = np.where(swapped, f["lon"], f["lat"])
    lon = np.where(swapped, f["lat"], f["lon"])
    e = _events_frame()
    for name, (lo, la) in {"findings": (lon, lat), "events": (e["lon"], e["lat"])}.items():
        d = _distance_to_nearest_centre(np.asarray(lo, float), np.asarray(la, float))
        assert (d < 1500).mean() >= 0.9, name
        assert (d < 500).mean() >= 0.6, name
        assert d.max() < 3000, name


def test_findings_content_is_realistic() -> None:
    f = _findings_frame()
    assert len(f) == 55
    assert set(f["status"]) == {"Ny", "Pågående", "Åtgärdad", "Avvisad"}
    assert {
        "Stadsdelsförvaltningen",
        "Trafikkontoret",
        "Fastighetsägare",
        "SL",
        "Botkyrkabyggen",
    } <= set(f["ansvarig"])
    assert f["vandring"].nunique() == 4
    dates = pd.to_datetime(f["datum"])
    deadlines = pd.to_datetime(f["åtgärdsdatum"])
    assert (deadlines.dropna() > dates[deadlines.notna()]).all()
    assert deadlines[f["status"] == "Avvisad"].isna().all()
    assert f["lon"].isna().sum() == 1  # the deliberate missing coordinate
    assert (f["kategori"] == "Hundrastgård saknas").sum() == 1


def test_events_rhythm_and_windows() -> None:
    e = _events_frame()
    start = pd.to_datetime(e["tid_fran"])
    assert start.dt.year.eq(2024).all()
    assert e["id"].is_unique
    assert set(e["kalla"]) == {"Polisen", "Bostadsbolaget", "Vaktbolag", "SL"}
    evening = start.dt.hour.between(18, 23).mean()
    morning = start.dt.hour.between(3, 8).mean()
    assert evening > 2 * morning
    assert start.dt.dayofweek.isin([4, 5]).mean() > 2 / 7
    windows = e.dropna(subset=["tid_till"])
    assert len(windows) > 10
    assert set(windows["typ"]) <= {"Inbrott", "Förrådsinbrott", "Larm inbrott"}
    assert (pd.to_datetime(windows["tid_till"]) > pd.to_datetime(windows["tid_fran"])).all()


def test_the_readers_accept_the_demo_files() -> None:
    from geo_trygg.io.readers import read_areas, read_events, read_findings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = read_findings(demo_paths()["findings"])
        e = read_events(demo_paths()["events"])
        a = read_areas(demo_paths()["areas"])
        p = read_areas(demo_paths()["places"])
    assert (f.n_input, f.n_accepted, f.n_rejected, f.summary.n_swapped) == (55, 54, 1, 1)
    assert f.rejected["column"].tolist() == ["lon"]
    other = f.accepted[f.accepted["category"] == "other"]
    assert other["category_original"].tolist() == ["Hundrastgård saknas"]
    assert set(f.accepted["status"]) == {"new", "in_progress", "done", "rejected"}
    assert (e.n_input, e.n_rejected) == (362, 0)
    assert "other" not in set(e.accepted["category"])
    assert set(e.accepted["source"]) == {"polis", "bostadsbolag", "vaktbolag", "kollektivtrafik"}
    assert (e.accepted["time_to"] > e.accepted["time_from"]).sum() > 10
    assert (a.n_accepted, a.n_rejected, p.n_accepted) == (15, 0, 2)


def test_planted_duplicates_are_flagged() -> None:
    from geo_trygg.io.duplicates import flag_duplicates
    from geo_trygg.io.readers import read_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = read_events(demo_paths()["events"]).accepted
    groups = events.assign(g=flag_duplicates(events)).dropna(subset=["g"]).groupby("g")["source"]
    mixed = groups.agg(lambda s: {"polis", "vaktbolag"} <= set(s))
    assert mixed.sum() >= 6  # three pairs planted around each centre
