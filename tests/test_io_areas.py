"""read_areas: GeoJSON/GeoPackage/Shapefile polygons, CRS, encodings, repairs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from geo_trygg import ConfigError, GeoTryggWarning, ReadError, RowError
from geo_trygg.io.readers import read_areas

X0, Y0 = 674_000.0, 6_576_000.0  # near Älvsjö, EPSG:3006


def square(x: float, y: float, size: float = 100.0) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def same_shape(got: object, expected: shapely.Geometry, tol: float = 0.01) -> bool:
    """Vertex-by-vertex equality up to ring orientation and start (what file writers change)."""
    return bool(shapely.equals_exact(shapely.normalize(got), shapely.normalize(expected), tol))


def projected(poly: shapely.Polygon, src: str, dst: str = "EPSG:3006") -> shapely.Polygon:
    """``poly`` with each vertex reprojected by pyproj directly (the expected result)."""
    t = Transformer.from_crs(src, dst, always_xy=True)
    return shapely.Polygon([t.transform(x, y) for x, y in poly.exterior.coords])


def write(gdf: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns when writing without a CRS
        pyogrio.write_dataframe(gdf, path, **kwargs)
    return path


def test_polygons_only_invalid_ones_repaired(tmp_path: Path) -> None:
    bowtie = shapely.Polygon(
        [(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100), (X0, Y0)]
    )
    geoms = [
        square(X0, Y0),
        bowtie,
        shapely.Point(X0, Y0),
        shapely.LineString([(X0, Y0), (X0 + 1, Y0)]),
        shapely.Polygon(),
        None,
    ]
    gdf = gpd.GeoDataFrame(
        {"namn": ["A", "B", "C", "D", "E", "F"]}, geometry=geoms, crs="EPSG:3006"
    )
    res = read_areas(write(gdf, tmp_path / "a.geojson"), level="place")
    acc = res.accepted
    assert acc["name"].tolist() == ["A", "B"]
    assert acc["source_row"].tolist() == [1, 2]
    assert acc["level"].tolist() == ["place", "place"]
    assert res.summary.n_repaired == 1
    assert any("make_valid" in n for n in res.summary.notes)
    fixed = acc.geometry.iat[1]
    assert fixed.is_valid
    assert fixed.geom_type == "MultiPolygon"
    # two triangles of 100 m base and 50 m height: 2 * 2500 m²
    assert fixed.area == pytest.approx(5000.0, abs=1e-6)
    assert acc.geometry.iat[0].area == pytest.approx(10_000.0, abs=1e-6)
    rej = res.rejected
    assert rej["row"].tolist() == [3, 4, 5, 6]
    assert set(rej["column"]) == {"geometry"}
    assert "Point" in rej["reason"].iat[0]
    assert "LineString" in rej["reason"].iat[1]
    assert rej["reason"].iat[3] == "geometri saknas (tom)"
    assert res.n_input == res.n_accepted + res.n_rejected == 6


def test_no_crs_is_inferred_and_said(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"namn": ["A"]}, geometry=[square(X0, Y0)], crs=None)
    path = write(gdf, tmp_path / "nocrs.shp")
    assert not path.with_suffix(".prj").exists()
    res = read_areas(path)
    assert res.summary.crs_inferred
    assert res.summary.crs_in == "EPSG:3006"
    assert any("tolkat som EPSG:3006" in n for n in res.summary.notes)
    assert same_shape(res.accepted.geometry.iat[0], square(X0, Y0))


def test_local_zone_without_crs_warns_and_crs_fixes(tmp_path: Path) -> None:
    lon, lat = 11.9733, 57.7089  # Göteborg
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:3007", always_xy=True).transform(lon, lat)
    gdf = gpd.GeoDataFrame({"namn": ["G"]}, geometry=[square(e, n)], crs=None)
    path = write(gdf, tmp_path / "gbg.shp")
    with pytest.warns(GeoTryggWarning, match="EPSG:3011"):
        wrong = read_areas(path)
    assert wrong.summary.crs_in == "EPSG:3011"
    assert not same_shape(wrong.accepted.geometry.iat[0], projected(square(e, n), "EPSG:3007"))
    right = read_areas(path, crs="EPSG:3007")
    assert same_shape(right.accepted.geometry.iat[0], projected(square(e, n), "EPSG:3007"))


def test_geojson_claiming_wgs84_but_holding_metres(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "A"},
                "geometry": shapely.geometry.mapping(square(X0, Y0)),
            }
        ],
    }
    path = tmp_path / "m.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    res = read_areas(path)
    assert res.summary.crs_in == "EPSG:3006"
    assert res.summary.crs_inferred
    assert any("inte grader" in n for n in res.summary.notes)


def test_swapped_polygon_is_fixed(tmp_path: Path) -> None:
    ring = [(59.27, 18.01), (59.27, 18.02), (59.28, 18.02), (59.28, 18.01)]  # lat, lon order
    gdf = gpd.GeoDataFrame({"name": ["S"]}, geometry=[shapely.Polygon(ring)], crs="EPSG:4326")
    res = read_areas(write(gdf, tmp_path / "s.gpkg"))
    assert res.summary.n_swapped == 1
    lonlat = shapely.Polygon([(lon, lat) for lat, lon in ring])
    assert same_shape(res.accepted.geometry.iat[0], projected(lonlat, "EPSG:4326"))


def test_geopackage_layers(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    a = gpd.GeoDataFrame({"namn": ["A"]}, geometry=[square(X0, Y0)], crs="EPSG:3006")
    b = gpd.GeoDataFrame(
        {"namn": ["B1", "B2"]}, geometry=[square(X0, Y0), square(X0 + 200, Y0)], crs="EPSG:3006"
    )
    write(a, path, layer="lager_a")
    write(b, path, layer="lager_b")
    with pytest.raises(ConfigError, match="'lager_a', 'lager_b'"):
        read_areas(path)
    res = read_areas(path, layer="lager_b")
    assert res.accepted["name"].tolist() == ["B1", "B2"]
    assert read_areas(path, layer=0).accepted["name"].tolist() == ["A"]
    with pytest.raises(ConfigError, match="layer='c'"):
        read_areas(path, layer="c")


@pytest.mark.parametrize("ldid", [0x57, 0x00])
def test_cp1252_shapefile_without_cpg(tmp_path: Path, ldid: int) -> None:
    name = "Hägersten–Älvsjö"  # the en dash differs between cp1252 (0x96) and Latin-1
    gdf = gpd.GeoDataFrame(
        {"NAMN": [name, "VÅRBERG"]},
        geometry=[square(X0, Y0), square(X0 + 200, Y0)],
        crs="EPSG:3006",
    )
    path = write(gdf, tmp_path / "sdo.shp", encoding="cp1252")
    path.with_suffix(".cpg").unlink()
    dbf = bytearray(path.with_suffix(".dbf").read_bytes())
    dbf[29] = ldid  # 0x57: the code page byte of Stockholm's files; 0: none at all
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    res = read_areas(path)
    assert res.accepted["name"].tolist() == [name, "VÅRBERG"]
    assert any(".cpg" in n and "cp1252" in n for n in res.summary.notes)
    # an explicit encoding always wins, even a wrong one
    assert read_areas(path, encoding="latin-1").accepted["name"].iat[0] == "Hägersten\x96Älvsjö"


def test_utf8_shapefile_without_cpg(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"NAMN": ["Hägersten–Älvsjö"]}, geometry=[square(X0, Y0)], crs="EPSG:3006"
    )
    path = write(gdf, tmp_path / "u.shp", encoding="UTF-8")
    path.with_suffix(".cpg").unlink()
    assert read_areas(path).accepted["name"].iat[0] == "Hägersten–Älvsjö"


def test_ids_names_and_validity(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "KOD": [1.0, 2.0, 2.0, 3.0],
            "NAMN": ["A", "B", "C", None],
            "ANNAT": ["x", "y", "z", "w"],
        },
        geometry=[square(X0 + 200 * i, Y0) for i in range(4)],
        crs="EPSG:3006",
    )
    path = write(gdf, tmp_path / "omr.gpkg")
    res = read_areas(
        path,
        level="stadsdelsomrade",
        id_column="KOD",
        valid_from="2020-07-01",
        valid_to="2023-07-01",
    )
    acc = res.accepted
    assert acc["area_id"].tolist() == ["1", "2"]  # numbers without ".0"
    assert acc["valid_from"].tolist() == [pd.Timestamp("2020-07-01")] * 2
    assert acc["valid_to"].tolist() == [pd.Timestamp("2023-07-01")] * 2
    assert acc["src_ANNAT"].tolist() == ["x", "y"]
    assert str(acc["valid_from"].dtype) == "datetime64[ns]"
    rej = res.rejected
    assert rej[["row", "column"]].values.tolist() == [[3, "KOD"], [4, "NAMN"]]
    assert rej["reason"].iat[0].startswith("samma id som rad 2")
    assert rej["reason"].iat[1] == "områdets namn saknas"
    with pytest.raises(RowError) as info:
        read_areas(path, strict=True, id_column="KOD")
    assert info.value.row == 3
    named = read_areas(path, id_column="ANNAT", name_column="NAMN")
    assert named.accepted["area_id"].tolist() == ["x", "y", "z"]


def test_bad_arguments(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.gpkg"
    with pytest.raises(ConfigError, match=r"level='district'.*'stadsdel'"):
        read_areas(missing, level="district")
    with pytest.raises(ConfigError, match="source"):
        read_areas(missing, source="no-such-source")
    with pytest.raises(ConfigError, match="valid_to"):
        read_areas(missing, valid_from="2024-01-01", valid_to="2023-01-01")
    with pytest.raises(ConfigError, match="valid_from"):
        read_areas(missing, valid_from="snart")
    with pytest.raises(ReadError, match="finns inte"):
        read_areas(missing)
    csv_file = tmp_path / "areas.csv"
    csv_file.write_text("a;b\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"filtypen '\.csv'"):
        read_areas(csv_file)
    gdf = gpd.GeoDataFrame({"NAMN": ["A"]}, geometry=[square(X0, Y0)], crs="EPSG:3006")
    path = write(gdf, tmp_path / "one.gpkg")
    with pytest.raises(ConfigError, match="'NAMN'"):
        read_areas(path, name_column="Namn")


# --- real data ------------------------------------------------------------------------


def _centroids(gdf: gpd.GeoDataFrame) -> pd.Series:
    return pd.Series(gdf.geometry.centroid.to_numpy(), index=gdf["name"].to_numpy())


@pytest.mark.shared
def test_stadsdelar_shapefile_and_geojson_agree(shared_data: Path) -> None:
    base = shared_data / "stockholm_stadsdelar"
    shp = read_areas(
        base / "shapefiles_fullsize" / "stadsdelar.shp", source="stockholm-stadsdelar"
    )
    gj = read_areas(
        base / "geojson_fullsize" / "stadsdelar.geo.json", source="stockholm-stadsdelar"
    )
    assert (shp.n_input, shp.n_accepted, gj.n_accepted) == (117, 117, 117)
    assert shp.summary.crs_in == "EPSG:3011"
    assert not shp.summary.crs_inferred
    assert gj.summary.crs_in == "EPSG:4326"
    assert shp.accepted.crs.to_epsg() == gj.accepted.crs.to_epsg() == 3006
    names = set(shp.accepted["name"])
    assert {"ÄLVSJÖ", "VÅRBERG", "SKÄRHOLMEN", "RINKEBY"} <= names  # cp1252 .dbf, no .cpg
    assert names == set(gj.accepted["name"])
    assert set(shp.accepted["level"]) == {"stadsdel"}
    a, b = _centroids(shp.accepted), _centroids(gj.accepted)
    dist = np.array([a[n].distance(b[n]) for n in sorted(names)])
    assert dist.max() < 50.0
    # Älvsjö pendeltåg lies in ÄLVSJÖ (../shared/data/README.md)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(
        18.01056, 59.27806
    )
    hit = shp.accepted[shp.accepted.contains(shapely.Point(x, y))]
    assert hit["name"].tolist() == ["ÄLVSJÖ"]


@pytest.mark.shared
@pytest.mark.parametrize(
    ("file", "source"),
    [("sdn_2020.shp", "stockholm-stadsdelsomraden-2020"), ("Adm_area_ny.shp", None)],
)
def test_stadsdelsomraden(shared_data: Path, file: str, source: str | None) -> None:
    res = read_areas(
        shared_data / "stockholm_stadsdelsomraden_2020" / file,
        source=source,
        level=None if source else "stadsdelsomrade",
    )
    assert res.n_accepted == res.n_input == 13
    assert res.summary.crs_in == "EPSG:3011"
    assert {"Hägersten-Älvsjö", "Spånga-Tensta", "Östermalm"} <= set(res.accepted["name"])
    assert set(res.accepted.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not res.accepted.geometry.has_z.any()


@pytest.mark.shared
def test_geojson_with_legacy_crs_member(shared_data: Path) -> None:
    res = read_areas(
        shared_data / "polisen_utsatta_omraden_2025" / "uso_2025.geojson", level="utsatt_omrade"
    )
    assert res.n_accepted == 65
    assert res.summary.crs_in == "EPSG:3006"
    assert not res.summary.crs_inferred
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True).transform(
        17.86083, 59.2475
    )  # Fittja T lies in the utsatt område Fittja (../shared/data/README.md)
    hit = res.accepted[res.accepted.contains(shapely.Point(x, y))]
    assert hit["name"].tolist() == ["Fittja"]


def test_catalogue_source_fills_level_and_crs(tmp_path: Path) -> None:
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:3011", always_xy=True).transform(18.0, 59.28)
    gdf = gpd.GeoDataFrame({"name": ["ÄLVSJÖ"]}, geometry=[square(e, n)], crs=None)
    path = write(gdf, tmp_path / "stadsdelar.shp")  # no .prj: the catalogue's EPSG:3011 applies
    with warnings.catch_warnings():
        warnings.simplefilter("error", GeoTryggWarning)  # no local-zone guess is needed
        res = read_areas(path, source="stockholm-stadsdelar")
    assert res.summary.crs_in == "EPSG:3011"
    assert not res.summary.crs_inferred
    assert res.accepted[["area_id", "name", "level"]].values.tolist() == [
        ["ÄLVSJÖ", "ÄLVSJÖ", "stadsdel"]
    ]
    assert same_shape(res.accepted.geometry.iat[0], projected(square(e, n), "EPSG:3011"))
    # level= wins over the catalogue
    assert read_areas(path, source="stockholm-stadsdelar", level="place").accepted[
        "level"
    ].tolist() == ["place"]
    other = write(gdf.rename(columns={"name": "NAMN"}), tmp_path / "other.shp")
    with pytest.raises(ConfigError, match=r"name_field='name'.*'NAMN'"):
        read_areas(other, source="stockholm-stadsdelar")


def test_level_and_validity_from_the_file(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "area_id": ["s1", "o1", "x1", "s2"],
            "name": ["ÄLVSJÖ", "Hägersten-Älvsjö", "Okänd", "SOLBERGA"],
            "level": ["stadsdel", "stadsdelsomrade", "district", "stadsdel"],
            "valid_from": [None, "2020-07-01", None, "1/7/2020"],
            "valid_to": [None, None, None, "snart"],
        },
        geometry=[square(X0 + 200 * i, Y0) for i in range(4)],
        crs="EPSG:3006",
    )
    path = write(gdf, tmp_path / "mixed.geojson")
    res = read_areas(path)
    acc = res.accepted
    assert acc["area_id"].tolist() == ["s1", "o1"]
    assert acc["level"].tolist() == ["stadsdel", "stadsdelsomrade"]
    assert pd.isna(acc["valid_from"].iat[0])
    assert acc["valid_from"].iat[1] == pd.Timestamp("2020-07-01")
    assert "src_level" not in acc.columns
    rej = res.rejected
    assert rej[["row", "column"]].values.tolist() == [[3, "level"], [4, "valid_to"]]
    assert "'stadsdel'" not in rej["reason"].iat[0]  # a plain list a person reads
    assert "stadsdel, stadsdelsomrade" in rej["reason"].iat[0]
    # an explicit level wins over the file's field (which is then kept as src_level)
    forced = read_areas(path, level="place")
    assert set(forced.accepted["level"]) == {"place"}
    assert forced.accepted["src_level"].tolist()[:3] == ["stadsdel", "stadsdelsomrade", "district"]


def test_guessed_id_that_repeats_is_not_used_but_an_explicit_one_is(tmp_path: Path) -> None:
    # like the police's utsatta områden: OMRADESKOD is the LPO code, shared by several areas
    gdf = gpd.GeoDataFrame(
        {"NAMN": ["Fittja", "Alby", "Husby"], "OMRADESKOD": ["531260", "531260", "531350"]},
        geometry=[square(X0, Y0), square(X0 + 200, Y0), square(X0 + 400, Y0)],
        crs="EPSG:3006",
    )
    path = write(gdf, tmp_path / "uso.gpkg")
    res = read_areas(path, level="utsatt_omrade")
    assert res.n_accepted == 3
    assert res.accepted["area_id"].tolist() == ["Fittja", "Alby", "Husby"]
    assert any("OMRADESKOD" in note for note in res.summary.notes)
    explicit = read_areas(path, level="utsatt_omrade", id_column="OMRADESKOD")
    assert explicit.n_accepted == 2
    assert explicit.rejected["row"].tolist() == [2]
