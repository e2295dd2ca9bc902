"""Writers: formats by extension, Swedish-Excel CSV, byte-for-byte repeatable output."""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer

from geo_trygg import ConfigError
from geo_trygg.io.write import write_points

POINTS = gpd.GeoDataFrame(
    {"category": ["lighting", "litter"], "stadsdel": ["ÄLVSJÖ", None]},
    geometry=gpd.points_from_xy([674_000.0, 674_100.5], [6_575_000.0, 6_575_100.25]),
    crs="EPSG:3006",
)


@pytest.mark.parametrize("ext", ["gpkg", "geojson", "csv"])
def test_same_input_same_bytes(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"out.{ext}"
    write_points(POINTS, path)
    first = path.read_bytes()
    time.sleep(1.1)  # a time stamp in the file would change now
    write_points(POINTS, path)
    assert path.read_bytes() == first


def test_csv_is_for_swedish_excel(tmp_path: Path) -> None:
    path = write_points(POINTS, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows å, ä, ö
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "category;stadsdel;x;y;lat;lon"
    assert "674100,5;6575100,25" in text  # decimal commas
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(674_000.0, 6_575_000.0)
    assert back["lat"].iat[0] == pytest.approx(lat, abs=1e-6)
    assert back["lon"].iat[0] == pytest.approx(lon, abs=1e-6)


def test_geojson_is_wgs84(tmp_path: Path) -> None:
    back = gpd.read_file(write_points(POINTS, tmp_path / "out.geojson"))
    assert back.crs.to_epsg() == 4326
    assert back["stadsdel"].tolist() == ["ÄLVSJÖ", None]


def test_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.gpkg"):
        write_points(POINTS, tmp_path / "out.shp")
