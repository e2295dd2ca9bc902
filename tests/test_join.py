"""Tests for geo_trygg.join: hand-computed cases for assign_areas, places_within, overlay_areas.

Every expected value below is worked out by hand from the rectangles drawn in the comments.
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, box

from geo_trygg import ConfigError, CRSMismatchError, GeoTryggWarning
from geo_trygg._labels import MESSAGES
from geo_trygg.join import (
    LEVEL_RANK,
    PRECISION_RANK,
    REASONS,
    SLIVER_TOLERANCE_M2,
    assign_areas,
    overlay_areas,
    places_within,
)

CRS = "EPSG:3006"


def layer(level: str, areas: dict[str, Any], **columns: Any) -> gpd.GeoDataFrame:
    """A canonical area layer from {name: geometry}; area_id = 'id-' + name."""
    names = list(areas)
    return gpd.GeoDataFrame(
        {"area_id": [f"id-{n}" for n in names], "name": names, "level": level, **columns},
        geometry=list(areas.values()),
        crs=CRS,
    )


def points(xy: list[tuple[float, float] | None], **columns: Any) -> gpd.GeoDataFrame:
    geoms = [None if p is None else Point(p) for p in xy]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=CRS)


def quiet(*args: Any, **kwargs: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        return assign_areas(*args, **kwargs)


# Two districts side by side, y from 0 to 10:
#   WEST x 0..10 | EAST x 10..20        and a lake-side area NORTH x 0..20, y 10..12
TWO = {"WEST": box(0, 0, 10, 10), "EAST": box(10, 0, 20, 10)}


# --- basics and the boundary rule ------------------------------------------------------------


def test_columns_index_and_order_are_kept() -> None:
    pts = points([(5, 5), (15, 5), (50, 50)], other=[1, 2, 3])
    pts.index = pd.Index(["c", "a", "b"], name="key")
    out = quiet(pts, layer("stadsdel", TWO))
    assert list(out.index) == ["c", "a", "b"]
    assert out.index.name == "key"
    assert out["other"].tolist() == [1, 2, 3]
    assert out["stadsdel"].tolist() == ["WEST", "EAST", None]
    assert out["stadsdel_id"].tolist() == ["id-WEST", "id-EAST", None]
    assert out["stadsdel_matched_by"].tolist() == ["point", "point", None]
    assert out["stadsdel_reason"].tolist() == [None, None, "outside"]
    assert "stadsdel" not in pts.columns  # a copy, the input is untouched
    assert out["stadsdel"].dtype == object


def test_border_points_follow_the_east_then_north_rule() -> None:
    # 2 x 2 grid: SW (0..10, 0..10), SE (10..20, 0..10), NW (0..10, 10..20), NE (10..20, 10..20)
    grid = {
        "SW": box(0, 0, 10, 10),
        "SE": box(10, 0, 20, 10),
        "NW": box(0, 10, 10, 20),
        "NE": box(10, 10, 20, 20),
    }
    pts = points([(10, 5), (5, 10), (10, 10), (15, 10), (10, 15)])
    out = quiet(pts, layer("stadsdel", grid))
    # vertical border x=10 -> the area to the east; horizontal border y=10 -> the area north;
    # the centre vertex -> north-east
    assert out["stadsdel"].tolist() == ["SE", "NW", "NE", "NE", "NE"]
    assert out.attrs["assignment_summary"]["stadsdel"]["n_boundary"] == 5
    assert out.attrs["assignment_summary"]["stadsdel"]["n_overlap"] == 0


def test_outer_corner_falls_back_to_smallest_area_then_name() -> None:
    # (10, 10) is the top corner shared by WEST and EAST; moved north-east it leaves both, so
    # the smaller area wins: EAST is made smaller (x 10..15), so EAST.
    small_east = {"WEST": box(0, 0, 10, 10), "EAST": box(10, 0, 15, 10)}
    out = quiet(points([(10, 10)]), layer("stadsdel", small_east))
    assert out["stadsdel"].tolist() == ["EAST"]
    # equal areas: the name decides ("EAST" < "WEST")
    out = quiet(points([(10, 10)]), layer("stadsdel", TWO))
    assert out["stadsdel"].tolist() == ["EAST"]


def test_overlapping_areas_smallest_wins_counted_and_warned() -> None:
    areas = {"BIG": box(0, 0, 100, 100), "SMALL": box(10, 10, 20, 20)}
    pts = points([(15, 15), (50, 50)])
    with pytest.warns(GeoTryggWarning, match="överlappar|overlap"):
        out = assign_areas(pts, layer("place", areas))
    assert out["place"].tolist() == ["SMALL", "BIG"]
    assert out.attrs["assignment_summary"]["place"]["n_overlap"] == 1


def test_within_excludes_boundary_points() -> None:
    pts = points([(10, 5), (5, 5)])
    out = quiet(pts, layer("stadsdel", TWO), predicate="within")
    assert out["stadsdel"].tolist() == [None, "WEST"]
    assert out["stadsdel_reason"].tolist() == ["on_boundary", None]


def test_missing_and_empty_geometries_get_a_reason() -> None:
    pts = gpd.GeoDataFrame(geometry=[None, Point(), Point(5, 5)], crs=CRS)
    out = quiet(pts, layer("stadsdel", TWO))
    assert out["stadsdel_reason"].tolist() == ["no_geometry", "no_geometry", None]


def test_multipolygon_area_and_hole() -> None:
    ring = box(0, 0, 30, 30).difference(box(10, 10, 20, 20))
    areas = {"RING": ring, "ISLANDS": MultiPolygon([box(12, 12, 14, 14), box(40, 0, 50, 10)])}
    pts = points([(5, 5), (15, 15), (13, 13), (45, 5)])
    out = quiet(pts, layer("stadsdel", areas))
    assert out["stadsdel"].tolist() == ["RING", None, "ISLANDS", "ISLANDS"]


def test_every_area_level_has_a_precision_rank() -> None:
    from geo_trygg.catalogue import AREA_LEVELS

    assert set(AREA_LEVELS) <= set(LEVEL_RANK)
    # the documented order: exact/address < stadsdel < stadsdelsomrade ~ lpo < kommun < lan
    assert PRECISION_RANK["exact"] == PRECISION_RANK["address"] < LEVEL_RANK["stadsdel"]
    assert LEVEL_RANK["stadsdel"] < LEVEL_RANK["stadsdelsomrade"] == LEVEL_RANK["lpo"]
    assert LEVEL_RANK["lpo"] < LEVEL_RANK["kommun"] == PRECISION_RANK["kommun"]
    assert LEVEL_RANK["kommun"] < LEVEL_RANK["lan"] == PRECISION_RANK["lan"]


# --- snapping --------------------------------------------------------------------------------


def test_snap_within_max_distance_inclusive() -> None:
    # WEST/EAST as above; (23, 5) is 3 m east of EAST, (-2, 5) 2 m west of WEST,
    # (25, 5) is 5 m away
    pts = points([(23, 5), (-2, 5), (25, 5)])
    out = quiet(pts, layer("stadsdel", TWO), max_distance=3)
    assert out["stadsdel"].tolist() == ["EAST", "WEST", None]
    assert out["stadsdel_matched_by"].tolist() == ["snap", "snap", None]
    assert out["stadsdel_reason"].tolist() == [None, None, "outside"]
    out = quiet(pts, layer("stadsdel", TWO), max_distance=2.5)
    assert out["stadsdel"].tolist() == [None, "WEST", None]


def test_snap_tie_uses_the_same_rule() -> None:
    # A: x 0..10, B: x 14..20 (smaller); (12, 5) is 2 m from both -> smaller B
    areas = {"A": box(0, 0, 10, 10), "B": box(14, 0, 20, 10)}
    out = quiet(points([(12, 5)]), layer("stadsdel", areas), max_distance=2)
    assert out["stadsdel"].tolist() == ["B"]
    assert out["stadsdel_matched_by"].tolist() == ["snap"]


# --- validation --------------------------------------------------------------------------------


def test_crs_mismatch_names_both() -> None:
    other = layer("stadsdel", TWO).set_crs("EPSG:3011", allow_override=True)
    with pytest.raises(CRSMismatchError, match=r"EPSG:3006.*EPSG:3011"):
        assign_areas(points([(1, 1)]), other)


def test_geographic_crs_is_refused() -> None:
    pts = points([(18.0, 59.3)]).set_crs("EPSG:4326", allow_override=True)
    areas = layer("stadsdel", {"A": box(17, 59, 19, 60)}).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(ConfigError, match="metres"):
        assign_areas(pts, areas)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"predicate": "intersects"}, "predicate='intersects'"),
        ({"max_distance": -1}, "max_distance=-1"),
        ({"max_distance": float("nan")}, "max_distance=nan"),
        ({"text_columns": ("nope",)}, "nope"),
        ({"at": "not a date"}, "at='not a date'"),
        ({"hierarchy": "yes"}, "hierarchy"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        assign_areas(points([(1, 1)]), layer("stadsdel", TWO), **kwargs)


def test_layer_problems_are_config_errors() -> None:
    pts = points([(1, 1)])
    mixed = layer("stadsdel", TWO)
    mixed.loc[1, "level"] = "kommun"
    with pytest.raises(ConfigError, match="exactly one level"):
        assign_areas(pts, mixed)
    with pytest.raises(ConfigError, match="level"):
        assign_areas(pts, layer("stadsdel", TWO).drop(columns="level"))
    with pytest.raises(ConfigError, match="no value in its 'level' column"):
        assign_areas(pts, layer(None, TWO))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="no rows"):
        assign_areas(pts, layer("stadsdel", TWO).iloc[:0])
    with pytest.raises(ConfigError, match="'bydel'"):
        assign_areas(pts, layer("bydel", TWO))
    with pytest.raises(ConfigError, match="one layer only"):
        assign_areas(pts, layer("stadsdel", TWO), layer("stadsdel", TWO))
    with pytest.raises(ConfigError, match="at least one"):
        assign_areas(pts)
    bowtie = gpd.GeoDataFrame(
        {"name": ["X"], "level": "stadsdel"},
        geometry=[gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"])[0]],
        crs=CRS,
    )
    with pytest.raises(ConfigError, match="invalid"):
        assign_areas(pts, bowtie)
    lines = gpd.GeoDataFrame(
        {"name": ["L"], "level": "stadsdel"},
        geometry=gpd.GeoSeries.from_wkt(["LINESTRING (0 0, 1 1)"]),
        crs=CRS,
    )
    with pytest.raises(ConfigError, match="LineString"):
        assign_areas(pts, lines)


def test_non_points_and_unknown_precision_are_refused() -> None:
    polys = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)], crs=CRS)
    with pytest.raises(ConfigError, match="Polygon"):
        assign_areas(polys, layer("stadsdel", TWO))
    with pytest.raises(ConfigError, match="'gata'"):
        assign_areas(points([(1, 1)], location_precision=["gata"]), layer("stadsdel", TWO))


def test_versions_need_at() -> None:
    # the 2020 split (WEST, EAST) and the 2023 merge (BOTH) in one layer
    versions = layer(
        "stadsdelsomrade",
        {"WEST": TWO["WEST"], "EAST": TWO["EAST"], "BOTH": box(0, 0, 20, 10)},
        valid_from=pd.to_datetime(["2020-07-01", "2020-07-01", "2023-07-01"]),
        valid_to=pd.to_datetime(["2023-07-01", "2023-07-01", None]),
    )
    pts = points([(5, 5)])
    with pytest.raises(ConfigError, match="several boundary versions"):
        assign_areas(pts, versions)
    assert quiet(pts, versions, at="2021-01-01")["stadsdelsomrade"].tolist() == ["WEST"]
    assert quiet(pts, versions, at="2023-07-01")["stadsdelsomrade"].tolist() == ["BOTH"]


# --- location precision, names and locations -------------------------------------------------

BROMMA = {
    "BECKOMBERGA": box(0, 0, 10, 10),
    "BROMMA KYRKA": box(10, 0, 20, 10),
    "NORRA ÄNGBY": box(20, 0, 30, 10),
    "ÄNGBY": box(30, 0, 40, 10),
}


def test_kommun_precision_point_not_placed_by_geometry() -> None:
    # the point lies inside BECKOMBERGA, but it is a kommun centroid: no stadsdel by geometry
    pts = points([(5, 5)], location_precision=["kommun"], text=["Stöld, Stockholm."])
    out = quiet(pts, layer("stadsdel", BROMMA))
    assert out["stadsdel"].tolist() == [None]
    assert out["stadsdel_reason"].tolist() == ["too_coarse"]


def test_name_in_text_assigns_when_exactly_one() -> None:
    pts = points(
        [(100, 100)] * 6,
        location_precision=["kommun"] * 6,
        text=[
            "Lägenhetsinbrott i Beckomberga.",
            "Brand på Beckombergavägen.",  # not a whole word
            "Bråk mellan Beckomberga och Bromma kyrka.",  # two areas
            "Rån i Norra Ängby i natt.",  # longest name wins, not also ÄNGBY
            "BROMMA  KYRKA: skadegörelse",  # case and spaces do not matter
            None,
        ],
    )
    out = quiet(pts, layer("stadsdel", BROMMA))
    assert out["stadsdel"].tolist() == [
        "BECKOMBERGA",
        None,
        None,
        "NORRA ÄNGBY",
        "BROMMA KYRKA",
        None,
    ]
    assert out["stadsdel_matched_by"].tolist() == ["name", None, None, "name", "name", None]
    assert out["stadsdel_reason"].tolist() == [
        None,
        "too_coarse",
        "ambiguous_name",
        None,
        None,
        "too_coarse",
    ]


def test_text_columns_are_joined() -> None:
    pts = points(
        [(100, 100)],
        location_precision=["lan"],
        title=["Inbrott"],
        summary=["Inbrott i Ängby."],
    )
    out = quiet(pts, layer("stadsdel", BROMMA), text_columns=("title", "summary"))
    assert out["stadsdel"].tolist() == ["ÄNGBY"]


def test_exact_points_ignore_the_text() -> None:
    pts = points([(35, 5)], location_precision=["exact"], text=["Inbrott i Beckomberga."])
    out = quiet(pts, layer("stadsdel", BROMMA))
    assert out["stadsdel"].tolist() == ["ÄNGBY"]
    assert out["stadsdel_matched_by"].tolist() == ["point"]


KOMMUNER = {"Stockholm": box(0, 0, 100, 100), "Botkyrka": box(0, -100, 100, 0)}


def test_kommun_precision_placed_by_location_never_by_point() -> None:
    # Salem's centroid lies inside Botkyrka in the police data; here the kommun column says
    # Stockholm for a point drawn in Botkyrka: the column wins.
    pts = points(
        [(50, -50), (50, 50), (50, 50), (50, 50)],
        location_precision=["kommun", "kommun", "kommun", "exact"],
        kommun=["Stockholm", None, "Salem", None],
        location_name=[None, "Botkyrka kommun", None, None],
    )
    out = quiet(pts, layer("kommun", KOMMUNER))
    assert out["kommun"].tolist() == ["Stockholm", "Botkyrka", None, "Stockholm"]
    assert out["kommun_matched_by"].tolist() == ["location", "location", None, "point"]
    assert out["kommun_reason"].tolist() == [None, None, "location_unknown", None]


def test_lan_precision_location_with_lan_suffix() -> None:
    lan = layer(
        "lan", {"Stockholms": box(-1000, -1000, 1000, 1000), "Uppsala": box(0, 1000, 10, 1010)}
    )
    pts = points([(5, 1005)], location_precision=["lan"], location_name=["Stockholms län"])
    out = quiet(pts, lan, layer("kommun", KOMMUNER))
    assert out["lan"].tolist() == ["Stockholms"]
    assert out["lan_matched_by"].tolist() == ["location"]
    # a lan-precision event has no kommun (no name in any text column)
    assert out["kommun_reason"].tolist() == ["too_coarse"]


def test_stadsdel_precision_geometry_for_coarser_layers() -> None:
    # a stadsdel-precision point: the stadsdel comes from location_name, the stadsdelsområde
    # (coarser) from the point
    pts = points([(5, 5)], location_precision=["stadsdel"], location_name=["Bromma kyrka"])
    sdo = layer("stadsdelsomrade", {"Bromma": box(0, 0, 40, 10)})
    out = quiet(pts, layer("stadsdel", BROMMA), sdo)
    assert out["stadsdel"].tolist() == ["BROMMA KYRKA"]
    assert out["stadsdel_matched_by"].tolist() == ["location"]
    assert out["stadsdelsomrade"].tolist() == ["Bromma"]
    assert out["stadsdelsomrade_matched_by"].tolist() == ["point"]


def test_unassigned_summary_warning_uses_labels() -> None:
    pts = points([(500, 500)])
    with pytest.warns(GeoTryggWarning) as record:
        assign_areas(pts, layer("stadsdel", TWO))
    text = " ".join(str(w.message) for w in record)
    assert (
        MESSAGES["join_reason_outside"]["sv"] in text
        or MESSAGES["join_reason_outside"]["en"] in text
    )
    for code in REASONS:
        if code:
            assert f"join_reason_{code}" in MESSAGES


# --- hierarchy through a crosswalk -----------------------------------------------------------

# Two stadsdelsområden D1 (x 0..20) and D2 (x 20..40). Stadsdelar A1 (0..10) and A2 (10..25):
# A2 officially belongs to D1 but reaches 5 m into the D2 polygon, like Akalla and Husby
# reaching into the Spånga-Tensta polygon on Järvafältet. B1 (25..40) is in D2.
STADSDELAR = {"A1": box(0, 0, 10, 10), "A2": box(10, 0, 25, 10), "B1": box(25, 0, 40, 10)}
DISTRICTS = {"D1": box(0, 0, 20, 10), "D2": box(20, 0, 40, 10)}


def crosswalk(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "child_level": [r[0] for r in rows],
            "child": [r[1] for r in rows],
            "parent_level": [r[2] for r in rows],
            "parent": [r[3] for r in rows],
            "valid_from": pd.to_datetime([None] * len(rows)),
            "valid_to": pd.to_datetime([None] * len(rows)),
            "status": "confirmed",
            "source": "test",
        }
    )


CW = crosswalk(
    [
        ("stadsdel", "A1", "stadsdelsomrade", "D1"),
        ("stadsdel", "A2", "stadsdelsomrade", "D1"),
        ("stadsdel", "B1", "stadsdelsomrade", "D2"),
        ("stadsdelsomrade", "D1", "kommun", "K"),
        ("stadsdelsomrade", "D2", "kommun", "K"),
    ]
)


def test_hierarchy_takes_coarser_levels_from_the_finest() -> None:
    pts = points([(5, 5), (22, 5), (30, 5), (15, 5)])
    pts.index = pd.Index([10, 20, 30, 40])
    with pytest.warns(GeoTryggWarning, match="1"):
        out = assign_areas(
            pts, layer("stadsdel", STADSDELAR), layer("stadsdelsomrade", DISTRICTS), crosswalk=CW
        )
    assert out["stadsdel"].tolist() == ["A1", "A2", "B1", "A2"]
    assert out["stadsdelsomrade"].tolist() == ["D1", "D1", "D2", "D1"]
    assert out["stadsdelsomrade_matched_by"].tolist() == ["crosswalk"] * 4
    assert out["stadsdel_matched_by"].tolist() == ["point"] * 4
    dis = pd.DataFrame(out.attrs["disagreements"])
    assert list(dis.columns) == ["point", "level", "by_crosswalk", "by_polygon"]
    assert dis.to_dict("records") == [
        {"point": 20, "level": "stadsdelsomrade", "by_crosswalk": "D1", "by_polygon": "D2"}
    ]
    assert out.attrs["assignment_summary"]["stadsdelsomrade"]["n_disagreements"] == 1


def test_hierarchy_off_or_no_crosswalk_uses_polygons() -> None:
    pts = points([(22, 5)])
    layers = (layer("stadsdel", STADSDELAR), layer("stadsdelsomrade", DISTRICTS))
    for kwargs in ({"crosswalk": CW, "hierarchy": False}, {}):
        out = quiet(pts, *layers, **kwargs)
        assert out["stadsdelsomrade"].tolist() == ["D2"]
        assert out["stadsdelsomrade_matched_by"].tolist() == ["point"]
        assert out.attrs["disagreements"] == []


def test_hierarchy_chains_and_fills_gaps() -> None:
    # kommun K from stadsdel through stadsdelsomrade; the kommun polygon misses x > 35
    # (like T-Centralen outside SCB's generalised kommun polygon)
    kommun = layer("kommun", {"K": box(0, 0, 35, 10)})
    pts = points([(38, 5)])
    out = quiet(
        pts,
        layer("stadsdel", STADSDELAR),
        layer("stadsdelsomrade", DISTRICTS),
        kommun,
        crosswalk=CW,
    )
    assert out["kommun"].tolist() == ["K"]
    assert out["kommun_matched_by"].tolist() == ["crosswalk"]
    assert out.attrs["disagreements"] == []


def test_hierarchy_missing_row_falls_back_and_says_so() -> None:
    partial = CW[CW["child"] != "B1"]
    pts = points([(30, 5)])
    with pytest.warns(GeoTryggWarning, match="B1"):
        out = assign_areas(
            pts,
            layer("stadsdel", STADSDELAR),
            layer("stadsdelsomrade", DISTRICTS),
            crosswalk=partial,
        )
    assert out["stadsdelsomrade"].tolist() == ["D2"]
    assert out["stadsdelsomrade_matched_by"].tolist() == ["point"]


def test_hierarchy_unknown_parent_falls_back_and_says_so() -> None:
    renamed = CW.replace({"parent": {"D2": "Järva"}})
    pts = points([(30, 5)])
    with pytest.warns(GeoTryggWarning, match="Järva"):
        out = assign_areas(
            pts,
            layer("stadsdel", STADSDELAR),
            layer("stadsdelsomrade", DISTRICTS),
            crosswalk=renamed,
        )
    assert out["stadsdelsomrade"].tolist() == ["D2"]
    assert out["stadsdelsomrade_matched_by"].tolist() == ["point"]


def test_hierarchy_from_name_match_and_kommun_to_lpo() -> None:
    # a kommun-precision event naming A2 gets D1 through the crosswalk, never D2;
    # LPO from kommun only where the crosswalk has a kommun -> lpo row
    cw = pd.concat(
        [CW, crosswalk([("kommun", "K", "lpo", "L"), ("stadsdelsomrade", "D1", "lpo", "L")])]
    )
    pts = points(
        [(50, 50), (50, 50)],
        location_precision=["kommun", "kommun"],
        kommun=["K", "K"],
        text=["Rån i A2.", "Rån."],
    )
    lpo = layer("lpo", {"L": box(0, 0, 40, 10)})
    out = quiet(
        pts,
        layer("stadsdel", STADSDELAR),
        layer("stadsdelsomrade", DISTRICTS),
        layer("kommun", {"K": box(0, 0, 40, 10)}),
        lpo,
        crosswalk=cw,
    )
    assert out["stadsdel"].tolist() == ["A2", None]
    assert out["stadsdelsomrade"].tolist() == ["D1", None]
    assert out["stadsdelsomrade_matched_by"].tolist() == ["crosswalk", None]
    assert out["kommun"].tolist() == ["K", "K"]
    assert out["kommun_matched_by"].tolist() == ["crosswalk", "location"]
    assert out["lpo"].tolist() == ["L", "L"]
    assert out["lpo_matched_by"].tolist() == ["crosswalk", "crosswalk"]


def test_name_outside_the_stated_kommun_is_not_used() -> None:
    # kommun S (x 40..80) lies next to K; an event stated to be in S whose text names A2 (in K
    # by the crosswalk) gets no stadsdel, and keeps kommun S
    cw = pd.concat([CW, crosswalk([("stadsdelsomrade", "D3", "kommun", "S")])])
    kommuner = layer("kommun", {"K": box(0, 0, 40, 10), "S": box(40, 0, 80, 10)})
    pts = points(
        [(60, 5), (60, 5)],
        location_precision=["kommun", "kommun"],
        kommun=["S", "K"],
        text=["Man från A2 gripen.", "Man från A2 gripen."],
    )
    out = quiet(pts, layer("stadsdel", STADSDELAR), kommuner, crosswalk=cw)
    assert out["stadsdel"].tolist() == [None, "A2"]
    assert out["stadsdel_reason"].tolist() == ["name_conflict", None]
    assert out["kommun"].tolist() == ["S", "K"]
    assert out["kommun_matched_by"].tolist() == ["location", "crosswalk"]


def test_bad_crosswalk_is_config_error() -> None:
    with pytest.raises(ConfigError, match="crosswalk"):
        assign_areas(points([(1, 1)]), layer("stadsdel", TWO), crosswalk="table.csv")


# --- places_within -----------------------------------------------------------------------------


def test_places_within_radius_by_pythagoras() -> None:
    # place P at (0, 0) radius 5; place Q at (10, 0) radius 8 (column); polygon R x 0..4, y 0..4
    places = gpd.GeoDataFrame(
        {"area_id": ["p", "q", "r"], "name": ["P", "Q", "R"], "radius_m": [None, 8.0, None]},
        geometry=[Point(0, 0), Point(10, 0), box(0, 0, 4, 4)],
        crs=CRS,
    )
    pts = points([(3, 4), (6, 0), (20, 0), None, (4, 4)])
    pts.index = pd.Index(["a", "b", "c", "d", "e"])
    table = places_within(pts, places, radius_m=5)
    # a: |(3,4)| = 5 -> P (5.0); |(3,4)-(10,0)| = sqrt(49+16) = 8.062 > 8 -> not Q; in R (0)
    # b: |(6,0)| = 6 > 5 -> not P; |(6,0)-(10,0)| = 4 -> Q; x=6 outside R
    # c: 10 from Q -> no; e: |(4,4)| = 5.657 > 5; |(4,4)-(10,0)| = 7.211 -> Q; R corner -> R
    assert table.to_dict("records") == [
        {"point": "a", "area_id": "r", "name": "R", "distance_m": 0.0},
        {"point": "a", "area_id": "p", "name": "P", "distance_m": 5.0},
        {"point": "b", "area_id": "q", "name": "Q", "distance_m": 4.0},
        {"point": "e", "area_id": "r", "name": "R", "distance_m": 0.0},
        {"point": "e", "area_id": "q", "name": "Q", "distance_m": pytest.approx(np.sqrt(52))},
    ]


def test_places_within_needs_a_radius_for_points() -> None:
    places = gpd.GeoDataFrame({"name": ["P"]}, geometry=[Point(0, 0)], crs=CRS)
    with pytest.raises(ConfigError, match="radius"):
        places_within(points([(1, 1)]), places)
    with pytest.raises(ConfigError, match="radius_m=-1"):
        places_within(points([(1, 1)]), places, radius_m=-1)
    with pytest.raises(CRSMismatchError, match=r"EPSG:3006.*EPSG:3011"):
        places_within(
            points([(1, 1)]), places.set_crs("EPSG:3011", allow_override=True), radius_m=1
        )


def test_places_within_empty_result_has_columns() -> None:
    places = gpd.GeoDataFrame({"name": ["R"]}, geometry=[box(0, 0, 1, 1)], crs=CRS)
    table = places_within(points([(5, 5)]), places)
    assert list(table.columns) == ["point", "area_id", "name", "distance_m"]
    assert table.empty


# --- overlay_areas -----------------------------------------------------------------------------


def test_overlay_shares_by_hand() -> None:
    # a: A x 0..10 (100 m²), C x 10..20 (100 m²); b: B1 x 0..4 (40 m²), B2 x 4..20 (160 m²)
    a = layer("stadsdelsomrade", {"A": box(0, 0, 10, 10), "C": box(10, 0, 20, 10)})
    b = layer("lpo", {"B1": box(0, 0, 4, 10), "B2": box(4, 0, 20, 10)})
    pieces, cw = overlay_areas(a, b)
    got = pieces.drop(columns="geometry").to_dict("records")
    assert got == [
        {"a_id": "id-A", "a_name": "A", "b_id": "id-B1", "b_name": "B1", "area_m2": 40.0,
         "share_of_a": 0.4, "share_of_b": 1.0},
        {"a_id": "id-A", "a_name": "A", "b_id": "id-B2", "b_name": "B2", "area_m2": 60.0,
         "share_of_a": 0.6, "share_of_b": 0.375},
        {"a_id": "id-C", "a_name": "C", "b_id": "id-B2", "b_name": "B2", "area_m2": 100.0,
         "share_of_a": 1.0, "share_of_b": 0.625},
    ]  # fmt: skip
    assert pieces.crs == a.crs
    assert pieces.attrs["n_slivers"] == 0
    assert cw.to_dict("records") == [
        {"a_name": "A", "b_name": "B1", "area_m2": 40.0, "share_of_a": 0.4, "share_of_b": 1.0},
        {"a_name": "A", "b_name": "B2", "area_m2": 60.0, "share_of_a": 0.6, "share_of_b": 0.375},
        {"a_name": "C", "b_name": "B2", "area_m2": 100.0, "share_of_a": 1.0, "share_of_b": 0.625},
    ]


def test_overlay_drops_slivers_and_counts_them() -> None:
    # B3 overlaps A by 0.1 x 5 = 0.5 m² (< 1 m²); B4 only touches A along x = 10
    a = layer("stadsdelsomrade", {"A": box(0, 0, 10, 10)})
    b = layer("lpo", {"B3": box(9.9, 0, 30, 5), "B4": box(10, 5, 30, 10)})
    assert SLIVER_TOLERANCE_M2 == 1.0
    with pytest.warns(GeoTryggWarning, match="1"):
        pieces, cw = overlay_areas(a, b)
    assert pieces.empty
    assert cw.empty
    assert pieces.attrs["n_slivers"] == 1


def test_overlay_crs_mismatch() -> None:
    a = layer("stadsdelsomrade", {"A": box(0, 0, 10, 10)})
    b = a.set_crs("EPSG:3021", allow_override=True)
    with pytest.raises(CRSMismatchError, match=r"EPSG:3006.*EPSG:3021"):
        overlay_areas(a, b)


def test_results_concatenate() -> None:
    # attrs hold only plain data, so two results combine with pd.concat (pandas compares attrs)
    layers = (layer("stadsdel", STADSDELAR), layer("stadsdelsomrade", DISTRICTS))
    first = quiet(points([(22, 5)]), *layers, crosswalk=CW)
    second = quiet(points([(5, 5)]), *layers, crosswalk=CW)
    both = pd.concat([first, second])
    assert both["stadsdel"].tolist() == first["stadsdel"].tolist() + second["stadsdel"].tolist()
