"""Page maps with context (issue 14): the page's area, its neighbours, its sub-areas coloured by
classes over the whole finer level — every expected value worked out here from a 3 × 3 grid.

The grid: nine 1 km² stadsdelar ``S<col><row>`` (col, row 0..2), and three stadsdelsområden,
one per column (``West``, ``Mid``, ``East``). Each stadsdel holds a chosen number of events.
"""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from branca.utilities import color_brewer
from shapely.geometry import box

from geo_trygg import ConfigError
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.maps import lagesbild_map, page_levels
from geo_trygg.maps._classes import ZERO_COLOUR
from geo_trygg.maps._layers import DataLayer

TZ = "Europe/Stockholm"
X0, Y0 = 670_000, 6_570_000
COLUMNS = {0: "West", 1: "Mid", 2: "East"}
COUNTS = {  # (col, row) -> events in the stadsdel
    (0, 0): 1, (0, 1): 8, (0, 2): 3,
    (1, 0): 0, (1, 1): 5, (1, 2): 6,
    (2, 0): 2, (2, 1): 7, (2, 2): 4,
}  # fmt: skip


def _name(col: int, row: int) -> str:
    return f"S{col}{row}"


def areas() -> gpd.GeoDataFrame:
    rows = [
        (
            _name(c, r),
            "stadsdel",
            box(X0 + c * 1000, Y0 + r * 1000, X0 + c * 1000 + 1000, Y0 + r * 1000 + 1000),
        )
        for c in range(3)
        for r in range(3)
    ]
    rows += [
        (name, "stadsdelsomrade", box(X0 + c * 1000, Y0, X0 + c * 1000 + 1000, Y0 + 3000))
        for c, name in COLUMNS.items()
    ]
    return gpd.GeoDataFrame(
        {
            "area_id": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "level": [r[1] for r in rows],
        },
        geometry=[r[2] for r in rows],
        crs="EPSG:3006",
    )


CROSSWALK = pd.DataFrame(
    {
        "child_level": "stadsdel",
        "child": [_name(c, r) for c in range(3) for r in range(3)],
        "parent_level": "stadsdelsomrade",
        "parent": [COLUMNS[c] for c in range(3) for r in range(3)],
        "valid_from": pd.NaT,
        "valid_to": pd.NaT,
        "status": "confirmed",
        "source": "hand-made test fixture",
    }
)


def events() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(4)
    xs, ys = [], []
    for (c, r), n in COUNTS.items():  # inside the square, away from its edges
        xs += list(rng.uniform(X0 + c * 1000 + 100, X0 + c * 1000 + 900, n))
        ys += list(rng.uniform(Y0 + r * 1000 + 100, Y0 + r * 1000 + 900, n))
    times = pd.DatetimeIndex([pd.Timestamp("2024-03-10 12:00")] * len(xs)).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(xs))],
            "time_from": times,
            "time_to": times,
            "category": "theft",
            "location_precision": "exact",
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:3006",
    )


def lagesbild(by: tuple[str, ...] = ("stadsdelsomrade", "stadsdel")):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            events=events(),
            areas=areas(),
            by=by,
            period="2024-03",
            compare="previous",
            crosswalk=CROSSWALK,
            min_coverage=0,
        )


def page_map(lb, level: str, page: str, **kwargs):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lagesbild_map(lb, level=level, page=page, lang="sv", **kwargs)


def layers(m) -> dict[str, tuple[dict, dict]]:  # type: ignore[no-untyped-def, type-arg]
    """Each data layer of the map by name: (its GeoJSON, its spec)."""
    out = {}
    for child in m._children.values():
        if isinstance(child, DataLayer):
            data = json.loads(child.data_json.replace("\\u003c", "<").replace("\\u003e", ">"))
            spec = json.loads(child.spec_json.replace("\\u003c", "<").replace("\\u003e", ">"))
            out[child.layer_name] = (data, spec)
    return out


def by_name(data: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {f["properties"]["name"]: f["properties"] for f in data["features"]}


def by_hand_colour(n: int) -> str:
    """Equal intervals over the WHOLE stadsdel level's counts above 0 (1..8): two classes
    (k=3 with a class of its own for 0), width (8 - 1) / 2 = 3.5, upper bounds 4.5 and 8
    rounded up to whole numbers: 1 – 5 and 6 – 8; two colours, the darkest of YlOrRd's three."""
    palette = list(color_brewer("YlOrRd", n=3))[-2:]
    if n == 0:
        return ZERO_COLOUR
    return palette[0] if n <= 5 else palette[1]


def test_sub_areas_are_coloured_with_classes_over_the_whole_finer_level() -> None:
    lb = lagesbild()
    assert page_levels(lb, "stadsdelsomrade") == ("stadsdelsomrade", "stadsdel")
    m = page_map(lb, "stadsdelsomrade", "Mid", scheme="equal_interval", k=3)
    shown = layers(m)
    sub = by_name(shown["Stadsdelar"][0])
    # the Mid column's three stadsdelar, no other
    assert sorted(sub) == [_name(1, r) for r in range(3)]
    for r in range(3):
        props = sub[_name(1, r)]
        assert props["_c"] == by_hand_colour(COUNTS[(1, r)])
        assert props["value_text"] == str(COUNTS[(1, r)])  # the tables' count
    # 5 and 6 are apart only because the classes span the whole level (over the page's own
    # stadsdelar 5 and 6 would share a class)
    assert sub["S11"]["_c"] != sub["S12"]["_c"]
    # the page's area on top, outlined, not filled (its sub-areas show through)
    own_data, own_spec = shown["Mid"]
    assert list(by_name(own_data)) == ["Mid"]
    assert own_spec["style"]["fill"] is False
    assert "gt-page-area" in own_spec["style"]["className"]
    assert by_name(own_data)["Mid"]["value_text"] == str(sum(COUNTS[(1, r)] for r in range(3)))
    # its neighbours: the columns beside it, named on the map
    near_data, near_spec = shown["Grannområden (stadsdelsområden)"]
    assert sorted(by_name(near_data)) == ["East", "West"]
    assert near_spec["label_key"] == "name"
    west = sum(COUNTS[(0, r)] for r in range(3))
    assert by_name(near_data)["West"]["value_text"] == str(west)


def test_the_legend_says_what_is_counted_per_what_for_which_period() -> None:
    m = page_map(lagesbild(), "stadsdelsomrade", "Mid", scheme="equal_interval", k=3)
    html = m.get_root().render()
    assert "Antal: händelser per område (stadsdelar), 2024-03" in html
    # the classes: 0 on its own, then 1 – 5 and 6 – 8 (whole numbers)
    assert '"label": "0"' in html
    assert '"label": "1 \\u2013 5"' in html or '"label": "1 – 5"' in html
    assert '"label": "6 \\u2013 8"' in html or '"label": "6 – 8"' in html


def test_without_a_finer_level_the_area_and_its_neighbours_are_coloured_level_wide() -> None:
    lb = lagesbild(by=("stadsdelsomrade",))
    assert page_levels(lb, "stadsdelsomrade") == ("stadsdelsomrade",)
    m = page_map(lb, "stadsdelsomrade", "West", scheme="user", bins=[11, 12])
    shown = layers(m)
    totals = {name: sum(COUNTS[(c, r)] for r in range(3)) for c, name in COLUMNS.items()}
    assert totals == {"West": 12, "Mid": 11, "East": 13}
    # user bounds 11, 12 and the top 13: one count per class, colours light to dark
    palette = list(color_brewer("YlOrRd", n=3))
    colour = {"Mid": palette[0], "West": palette[1], "East": palette[2]}
    own = by_name(shown["West"][0])
    assert own["West"]["_c"] == colour["West"]
    near = by_name(shown["Grannområden (stadsdelsområden)"][0])
    assert sorted(near) == ["Mid"]  # East does not touch West
    assert near["Mid"]["_c"] == colour["Mid"]


@pytest.mark.parametrize(("col", "row"), [(0, 0), (1, 1), (2, 1)])
def test_neighbours_are_the_areas_that_touch_corners_included(col: int, row: int) -> None:
    lb = lagesbild()
    m = page_map(lb, "stadsdel", _name(col, row))
    near = by_name(layers(m)["Grannområden (stadsdelar)"][0])
    expected = sorted(
        _name(c, r)
        for c in range(3)
        for r in range(3)
        if (c, r) != (col, row) and abs(c - col) <= 1 and abs(r - row) <= 1
    )
    assert sorted(near) == expected
    # the stadsdel level has no finer level: no sub-area layer
    assert "Stadsdelar" not in layers(m)


def test_page_must_be_an_area_of_the_level_and_agree_with_focus() -> None:
    lb = lagesbild()
    with pytest.raises(ConfigError, match="page="):
        page_map(lb, "stadsdelsomrade", "S11")
    with pytest.raises(ConfigError, match="focus="):
        page_map(lb, "stadsdelsomrade", "Mid", focus="West")


def test_a_public_page_shows_counts_as_published() -> None:
    """A public lägesbild's counts as shown: hidden ones "<3" or "..", grey, said in the
    legend; the others as numbers (the public pack's tables show the same texts)."""
    import dataclasses

    lb = lagesbild()
    totals = lb.totals.copy()
    totals["n_text"] = totals["n"].map(lambda v: str(int(v)))
    hide = {"S11": "<3", "S12": ".."}  # a small count and a complementary one, hidden
    for name, shown in hide.items():
        rows = (totals["level"] == "stadsdel") & (totals["area"] == name)
        totals.loc[rows, "n"] = np.nan
        totals.loc[rows, "n_text"] = shown
    public = dataclasses.replace(lb, totals=totals)
    m = page_map(public, "stadsdelsomrade", "Mid", scheme="equal_interval", k=3)
    sub = by_name(layers(m)["Stadsdelar"][0])
    assert sub["S11"]["value_text"] == "<3"
    assert sub["S12"]["value_text"] == ".."
    assert sub["S10"]["value_text"] == "0"
    assert sub["S11"]["_c"] == sub["S12"]["_c"] == "#bdbdbd"  # grey: no value shown
    html = m.get_root().render()
    assert "dolt (litet antal, eller skyddar ett)" in html
