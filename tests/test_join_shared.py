"""assign_areas on the real, published boundaries in ../shared/data (marked ``shared``).

Station coordinates and the areas they fall in are the point-in-polygon facts listed in
``shared/data/README.md`` (checked there with shapely 2.2 + pyproj 3.7); memberships of stadsdelar
in stadsdelsområden are public facts cited where stated. Files are read with
``geopandas.read_file`` and renamed to the canonical area columns here.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo_trygg import GeoTryggWarning
from geo_trygg.join import assign_areas, overlay_areas

pytestmark = pytest.mark.shared

CRS = "EPSG:3006"

# (lon, lat) from shared/data/README.md, "Point-in-polygon facts checked across the layers"
STATIONS = {
    "Älvsjö pendeltåg": (18.01056, 59.27806),
    "Rinkeby T": (17.92861, 59.38806),
    "Husby T": (17.92866, 59.40818),
    "Tensta T": (17.90194, 59.39389),
    "Skärholmen T": (17.90694, 59.27714),
    "T-Centralen": (18.06083, 59.33167),
    "Fittja T": (17.86083, 59.2475),
}
# station -> (stadsdel, stadsdelsområde 2020, kommun (SCB), utsatt område 2023), same README
EXPECTED = {
    "Älvsjö pendeltåg": ("ÄLVSJÖ", "Hägersten-Älvsjö", "Stockholm", None),
    "Rinkeby T": ("RINKEBY", "Rinkeby-Kista", "Stockholm", "Rinkeby / Tensta"),
    "Husby T": ("HUSBY", "Rinkeby-Kista", "Stockholm", "Husby"),
    "Tensta T": ("TENSTA", "Spånga-Tensta", "Stockholm", "Rinkeby / Tensta"),
    "Skärholmen T": ("SKÄRHOLMEN", "Skärholmen", "Stockholm", None),
    "T-Centralen": ("NORRMALM", "Norrmalm", None, None),  # outside SCB's generalised polygon
    "Fittja T": (None, None, "Botkyrka", "Fittja"),
}


def _read(path: Path, **rename: str) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pyogrio: measured geometries
        frame = gpd.read_file(path)
    return frame.rename(columns=rename).to_crs(CRS)


@pytest.fixture(scope="module")
def layers(shared_data: Path) -> dict[str, gpd.GeoDataFrame]:
    stadsdelar = _read(shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp")
    stadsdelar["area_id"] = stadsdelar["name"]
    stadsdelar["level"] = "stadsdel"
    sdo = _read(shared_data / "stockholm_stadsdelsomraden_2020/sdn_2020.shp", Sdn_omarde="name")
    sdo["area_id"] = sdo["name"]
    sdo["level"] = "stadsdelsomrade"
    kommuner = _read(
        shared_data / "sverige_kommuner_lan_scb/kommuner.geojson", KnKod="area_id", KnNamn="name"
    )
    kommuner["level"] = "kommun"
    uso = _read(
        shared_data / "polisen_utsatta_omraden_2023/uso_2023.shp",
        SPECIALOMR="area_id",
        NAMN="name",
    )
    uso["area_id"] = uso["area_id"].astype(str)
    uso["level"] = "utsatt_omrade"
    keep = ["area_id", "name", "level", "geometry"]
    return {
        "stadsdel": stadsdelar[keep],
        "stadsdelsomrade": sdo[keep],
        "kommun": kommuner[keep],
        "utsatt_omrade": uso[keep],
    }


def _stations() -> gpd.GeoDataFrame:
    t = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    xy = [t.transform(lon, lat) for lon, lat in STATIONS.values()]
    return gpd.GeoDataFrame(
        {"station": list(STATIONS)},
        geometry=[shapely.Point(p) for p in xy],
        crs=CRS,
        index=pd.Index(list(STATIONS), name="station_name"),
    )


def _quiet(*args: Any, **kwargs: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return assign_areas(*args, **kwargs)


def test_layers_have_the_published_counts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    assert len(layers["stadsdel"]) == 117
    assert len(layers["stadsdelsomrade"]) == 13
    assert len(layers["kommun"]) == 290
    assert len(layers["utsatt_omrade"]) == 59


def test_known_stations_land_where_they_should(layers: dict[str, gpd.GeoDataFrame]) -> None:
    out = _quiet(
        _stations(),
        layers["stadsdel"],
        layers["stadsdelsomrade"],
        layers["kommun"],
        layers["utsatt_omrade"],
    )
    for station, (stadsdel, sdo, kommun, uso) in EXPECTED.items():
        row = out.loc[station]
        assert (row["stadsdel"], row["stadsdelsomrade"], row["kommun"], row["utsatt_omrade"]) == (
            stadsdel,
            sdo,
            kommun,
            uso,
        ), station
    assert out.loc["Fittja T", "kommun_id"] == "0127"  # SCB code of Botkyrka
    assert out.loc["T-Centralen", "kommun_reason"] == "outside"
    assert out.loc["Fittja T", "stadsdel_reason"] == "outside"


def test_snapping_puts_t_centralen_in_stockholm(layers: dict[str, gpd.GeoDataFrame]) -> None:
    # SCB's generalised coast misses T-Centralen; it lies well within 2 km of the polygon
    out = _quiet(_stations().loc[["T-Centralen"]], layers["kommun"], max_distance=2000)
    assert out["kommun"].tolist() == ["Stockholm"]
    assert out["kommun_matched_by"].tolist() == ["snap"]


# Membership facts (2020 division, valid 2020-07-01..2023-06-30): AKALLA and HUSBY belong to
# Rinkeby-Kista stadsdelsområde (https://en.wikipedia.org/wiki/Rinkeby-Kista,
# https://www.spangacentrum.se/2024/02/14/jarva-stadsdelsomrade/), TENSTA to Spånga-Tensta
# (https://en.wikipedia.org/wiki/Sp%C3%A5nga-Tensta), NORRMALM to Norrmalm, and all of them to
# Stockholm kommun. The sdn_2020 polygons give part of Akalla and Husby (on Järvafältet) to
# Spånga-Tensta (shared/data/stockholm_stadsdelar/SOURCE.md, "Non-nested geometry").
JARVA_CROSSWALK = pd.DataFrame(
    {
        "child_level": ["stadsdel"] * 4 + ["stadsdelsomrade"] * 3,
        "child": ["AKALLA", "HUSBY", "TENSTA", "NORRMALM", "Rinkeby-Kista", "Spånga-Tensta",
                  "Norrmalm"],
        "parent_level": ["stadsdelsomrade"] * 4 + ["kommun"] * 3,
        "parent": ["Rinkeby-Kista", "Rinkeby-Kista", "Spånga-Tensta", "Norrmalm", "Stockholm",
                   "Stockholm", "Stockholm"],
        "valid_from": pd.to_datetime(["2020-07-01"] * 7),
        "valid_to": pd.to_datetime(["2023-07-01"] * 7),
        "status": "confirmed",
        "source": "see comment above",
    }
)  # fmt: skip


def test_akalla_husby_on_jarvafaltet_follow_the_crosswalk(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    stadsdel = layers["stadsdel"].set_index("name").geometry
    sdo = layers["stadsdelsomrade"].set_index("name").geometry
    # points computed at run time: inside the stadsdel AND inside the Spånga-Tensta polygon
    probes = {
        name: shapely.intersection(stadsdel[name], sdo["Spånga-Tensta"]).representative_point()
        for name in ("AKALLA", "HUSBY")
    }
    for name, p in probes.items():
        assert shapely.contains(stadsdel[name], p)
        assert shapely.contains(sdo["Spånga-Tensta"], p)
    pts = gpd.GeoDataFrame(geometry=list(probes.values()), index=list(probes), crs=CRS)
    pts = pd.concat([pts, _stations().loc[["Tensta T", "T-Centralen"]][["geometry"]]])
    with pytest.warns(GeoTryggWarning, match="2"):
        out = assign_areas(
            pts,
            layers["stadsdel"],
            layers["stadsdelsomrade"],
            layers["kommun"],
            crosswalk=JARVA_CROSSWALK,
            at="2021-01-01",
        )
    assert out["stadsdel"].tolist() == ["AKALLA", "HUSBY", "TENSTA", "NORRMALM"]
    assert out["stadsdelsomrade"].tolist() == [
        "Rinkeby-Kista",
        "Rinkeby-Kista",
        "Spånga-Tensta",
        "Norrmalm",
    ]
    assert set(out["stadsdelsomrade_matched_by"]) == {"crosswalk"}
    # kommun through stadsdel -> stadsdelsomrade -> kommun: T-Centralen too
    assert out["kommun"].tolist() == ["Stockholm"] * 4
    dis = pd.DataFrame(out.attrs["disagreements"])
    assert dis.to_dict("records") == [
        {
            "point": "AKALLA",
            "level": "stadsdelsomrade",
            "by_crosswalk": "Rinkeby-Kista",
            "by_polygon": "Spånga-Tensta",
        },
        {
            "point": "HUSBY",
            "level": "stadsdelsomrade",
            "by_crosswalk": "Rinkeby-Kista",
            "by_polygon": "Spånga-Tensta",
        },
    ]


def test_stadsdelar_form_a_partition_of_their_union(layers: dict[str, gpd.GeoDataFrame]) -> None:
    # overlaying the stadsdelar with themselves gives each one back whole (share 1)
    sd = layers["stadsdel"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        _, cw = overlay_areas(sd, sd)
    same = cw[cw["a_name"] == cw["b_name"]]
    assert len(same) == 117
    assert same["share_of_a"].min() == pytest.approx(1.0)
    # overlaps between different stadsdelar are slivers at most: under 1 % of either
    others = cw.loc[cw["a_name"] != cw["b_name"], "share_of_a"]
    assert others.empty or others.max() < 0.01


def test_bundled_crosswalk_gives_the_2020_districts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    from geo_trygg.boundaries import load_crosswalk

    out = _quiet(
        _stations(),
        layers["stadsdel"],
        layers["stadsdelsomrade"],
        layers["kommun"],
        crosswalk=load_crosswalk(),
        at="2021-01-01",
    )
    for station, (_, sdo, kommun, _) in EXPECTED.items():
        assert out.loc[station, "stadsdelsomrade"] == sdo, station
        # T-Centralen gets Stockholm through NORRMALM -> Norrmalm -> Stockholm
        assert out.loc[station, "kommun"] == (kommun or "Stockholm"), station
    assert out.loc["T-Centralen", "kommun_matched_by"] == "crosswalk"
    assert out.loc["Fittja T", "kommun_matched_by"] == "point"
    assert out.attrs["disagreements"] == []
