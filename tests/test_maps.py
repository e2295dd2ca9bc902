"""lagesbild_map in HTML: escaping of every text field, legend breaks, sizes, bad arguments.

The same maps are opened in headless Chromium by tests/test_maps_browser.py.
"""

from __future__ import annotations

import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo_trygg import ConfigError
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.maps import lagesbild_map
from geo_trygg.maps._events import POINT_LIMIT

TZ = "Europe/Stockholm"
X0, Y0 = 670_000, 6_570_000  # Stockholm, EPSG:3006
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
PAYLOAD = IMG + SCRIPT


def payload(tag: str) -> str:
    """A payload that names the field it was put in (so a test can find it on screen)."""
    return f"{tag} {PAYLOAD}"


def areas() -> gpd.GeoDataFrame:
    """Two stadsdelar (one named with a payload) in one kommun; a level with user text."""
    rows = [
        ("A", payload("area-name"), "stadsdel", box(X0, Y0, X0 + 1000, Y0 + 1000)),
        ("B", "Östberga", "stadsdel", box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)),
        ("K", "Stockholm", "kommun", box(X0, Y0, X0 + 2000, Y0 + 1000)),
    ]
    return gpd.GeoDataFrame(
        {
            "area_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs="EPSG:3006",
    )


CROSSWALK = pd.DataFrame(
    {
        "child_level": "stadsdel",
        "child": [payload("area-name"), "Östberga"],
        "parent_level": "kommun",
        "parent": ["Stockholm", "Stockholm"],
        "valid_from": pd.NaT,
        "valid_to": pd.NaT,
        "status": "confirmed",
        "source": "hand-made test fixture",
    }
)


def events(n_a: int = 12, n_b: int = 3, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(X0, X0 + 1000, n_a), rng.uniform(X0 + 1000, X0 + 2000, n_b)])
    y = rng.uniform(Y0, Y0 + 1000, n_a + n_b)
    times = pd.DatetimeIndex(
        pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 30, n_a + n_b), unit="D")
    ).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(n_a + n_b)],
            "time_from": times,
            "time_to": times,
            "category": "theft",
            "location_precision": "exact",
            "text": payload("event-text"),
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:3006",
    )


def findings() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "finding_id": [payload("finding-id"), "F2", "F3"],
            "walk_id": ["W1", "W1", "W1"],
            "walk_date": pd.to_datetime(["2024-03-05"] * 3),
            "category": ["lighting", payload("category"), "litter"],
            "description": [payload("description"), "Trasig lampa", "Skräp"],
            "severity": pd.array([2, 3, 1], dtype="Int64"),
            "responsible_actor": [payload("actor"), "trafikkontoret", "sl"],
            "status": ["new", "in_progress", "done"],
            "deadline": pd.to_datetime(["2024-03-10", "2024-04-30", "2024-03-20"]),
            "status_date": pd.to_datetime(["2024-03-05", "2024-03-06", "2024-03-15"]),
        },
        geometry=gpd.points_from_xy(
            [X0 + 200, X0 + 500, X0 + 1500], [Y0 + 300, Y0 + 600, Y0 + 400]
        ),
        crs="EPSG:3006",
    )


def lagesbild():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            findings(),
            events(),
            areas=areas(),
            by=("stadsdel", "kommun"),
            period="2024-03",
            compare="previous",
            crosswalk=CROSSWALK,
            min_coverage=0,  # the events are all in March: February is compared as empty
        )


def full_map(**kwargs: object):  # type: ignore[no-untyped-def]
    extra = gpd.GeoDataFrame(
        {"name": [payload("extra-feature")]},
        geometry=gpd.points_from_xy([X0 + 800], [Y0 + 850]),
        crs="EPSG:3006",
    )
    place = gpd.GeoDataFrame(
        {"name": [payload("place")], "level": "place"},
        geometry=[box(X0 + 100, Y0 + 100, X0 + 600, Y0 + 600)],
        crs="EPSG:3006",
    )
    options: dict[str, object] = {
        "events": events(),
        "findings": findings(),
        "places": place,
        "layers": {payload("layer-name"): extra},
        "title": payload("title"),
        "sources": [payload("source")],
        "extracted": "2024-04-02",
        "classification": payload("banner"),
        "scheme": "user",
        "bins": [5],
        "lang": "en",
    }
    options.update(kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lagesbild_map(lagesbild(), **options)  # type: ignore[arg-type]


def test_no_text_from_the_data_reaches_the_page_unescaped() -> None:
    html = full_map().get_root().render()
    assert "window.__xss" in html  # the payloads are there ...
    for raw in (IMG, SCRIPT, "<img src=x", "<script>window"):
        assert raw not in html  # ... but never as markup
    # every tagged payload appears as data (JSON) or as escaped HTML text
    for tag in (
        "area-name",
        "finding-id",
        "category",
        "description",
        "actor",
        "layer-name",
        "extra-feature",
        "place",
        "title",
        "source",
        "banner",
    ):
        assert tag in html, tag
    escaped_json = json.dumps(IMG)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
    escaped_html = "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
    assert escaped_json in html
    # the layer name, which the layer control writes as HTML: HTML-escaped (inside JSON)
    assert escaped_html in html.replace("\\u0026", "&")


def test_legend_states_indicator_period_and_breaks() -> None:
    html = full_map(scheme="user", bins=[5]).get_root().render()
    # A holds 12 events, B 3: classes [3, 5] and (5, 12] with user bins [5]
    specs = [
        json.loads(s.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
        for s in re.findall(r"geoTrygg\.box\(\w+, (\{.*?\})\);", html)
    ]
    legend = next(s for s in specs if s.get("cls") == "gt-legend")
    first = legend["sections"][0]
    assert first["title"] == "Count (districts (stadsdelar)), 2024-03"
    # counts are whole numbers: the class above 5 begins at 6
    assert [r["label"] for r in first["rows"]] == ["3 – 5", "6 – 12"]
    # two classes: the two darkest of ColorBrewer's 3-class YlOrRd
    assert [r["colour"] for r in first["rows"]] == ["#feb24c", "#f03b20"]
    title = next(s for s in specs if s.get("cls") == "gt-title")
    assert "Period: 2024-03" in title["lines"]
    assert "Compared with: 2024-02" in title["lines"]


def test_bad_arguments_name_the_allowed_values() -> None:
    lb = lagesbild()
    with pytest.raises(ConfigError, match="indicator"):
        lagesbild_map(lb, indicator="rate")
    with pytest.raises(ConfigError, match="'stadsdel'"):
        lagesbild_map(lb, level="lpo")
    with pytest.raises(ConfigError, match="per_1000"):
        lagesbild_map(lb, indicator="per_1000")  # no population given
    with pytest.raises(ConfigError, match="scheme"):
        lagesbild_map(lb, scheme="jenks")
    with pytest.raises(ConfigError, match="kind"):
        lagesbild_map(lb, kind="counts")


def test_events_map_stays_small_at_any_size() -> None:
    lb = lagesbild()
    rng = np.random.default_rng(5)
    n = 200_000
    many = gpd.GeoDataFrame(
        {"location_precision": np.where(rng.random(n) < 0.1, "kommun", "exact")},
        geometry=gpd.points_from_xy(rng.uniform(X0, X0 + 2000, n), rng.uniform(Y0, Y0 + 1000, n)),
        crs="EPSG:3006",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = lagesbild_map(lb, events=many).get_root().render()
    assert len(html.encode()) < 5_000_000
    # the heat layer holds at most POINT_LIMIT weighted points whose weights sum to the
    # precisely located events
    data = json.loads(re.search(r"L\.heatLayer\(\s*(\[\[.*?\]\])", html, re.S).group(1))  # type: ignore[union-attr]
    assert len(data) <= POINT_LIMIT
    assert sum(p[2] for p in data) == (many["location_precision"] == "exact").sum()


def many_findings(n: int, seed: int = 9) -> gpd.GeoDataFrame:
    """``n`` findings spread over the two stadsdelar, with realistic ids and descriptions."""
    rng = np.random.default_rng(seed)
    words = ["Trasig belysning vid busshållplatsen", "Buskage skymmer sikten", "Klotter"]
    return gpd.GeoDataFrame(
        {
            "finding_id": [f"TV-2024-{i:05d}" for i in range(n)],
            "walk_date": pd.to_datetime(["2024-03-05"] * n),
            "category": rng.choice(["lighting", "vegetation", "litter"], n),
            "description": rng.choice(words, n),
            "responsible_actor": rng.choice(["trafikkontoret", "sl"], n),
            "status": rng.choice(["new", "in_progress", "done"], n),
            "deadline": pd.to_datetime(["2024-04-01"] * n),
            "status_date": pd.to_datetime(["2024-03-05"] * n),
        },
        geometry=gpd.points_from_xy(rng.uniform(X0, X0 + 2000, n), rng.uniform(Y0, Y0 + 1000, n)),
        crs="EPSG:3006",
    )


def test_findings_cost_at_most_300_bytes_beyond_their_text() -> None:
    lb = lagesbild()
    n = 2_000
    many = many_findings(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        without = len(lagesbild_map(lb).get_root().render().encode())
        with_findings = len(lagesbild_map(lb, findings=many).get_root().render().encode())
    text = sum(len(s.encode()) for s in many["finding_id"]) + sum(
        len(s.encode()) for s in many["description"]
    )
    assert (with_findings - without - text) / n <= 300


def _legend(html: str) -> dict:  # type: ignore[type-arg]
    specs = [
        json.loads(s.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
        for s in re.findall(r"geoTrygg\.box\(\w+, (\{.*?\})\);", html)
    ]
    return next(s for s in specs if s.get("cls") == "gt-legend")


def test_change_is_diverging_and_priority_and_hotspot_cells_draw() -> None:
    from geo_trygg.hotspots import count_points, gi_star, make_grid

    lb = lagesbild()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = lagesbild_map(lb, indicator="change", scheme="user", bins=[0]).get_root().render()
    rows = _legend(html)["sections"][0]["rows"]
    # changes of A and B against February (12 vs 0: +12; 3 vs 0: +3); user bins [0] give the
    # classes [0, 0] (holds 0: neutral) and (0, 12] (above 0: red)
    from branca.utilities import color_brewer

    rdbu = color_brewer("RdBu", n=3)  # red, neutral, blue
    assert [r["label"] for r in rows] == ["0", "0 – 12"]
    assert [r["colour"] for r in rows] == [rdbu[1], rdbu[0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prio = lagesbild_map(lb, indicator="priority").get_root().render()
        grid = make_grid(areas()[areas()["level"] == "stadsdel"], cell_size=100)
        cells = gi_star(count_points(grid, events(n_a=200, n_b=5)))
        hot = lagesbild_map(lb, hotspots=cells, lang="en").get_root().render()
    assert "Prioritet (poäng 0–1)" in prio  # Swedish by default
    n_flagged = int((cells["hotspot"] != "not_significant").sum())
    data = re.findall(r'"hotspot": "(hot_\d\d|cold_\d\d)"', hot)
    assert len(data) == n_flagged
    assert "Hot spots (Gi*)" in hot
    # the choropleth is lighter under the cells than without them
    assert '"fillOpacity": 0.35' in hot
    assert '"fillOpacity": 0.35' not in prio


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(float("nan"))),
        min_size=1,
        max_size=40,
    ),
    scheme=st.sampled_from(["quantiles", "natural_breaks", "equal_interval"]),
    k=st.integers(1, 9),
    diverging=st.booleans(),
)
def test_every_value_lies_in_its_class(values: list, scheme: str, k: int, diverging: bool) -> None:
    from geo_trygg.maps._classes import NO_VALUE_COLOUR, classify

    c = classify(values, scheme=scheme, k=k, diverging=diverging)
    x = np.asarray(values, dtype=float)
    assert (c.index[np.isnan(x)] == -1).all()
    for v, i in zip(x[~np.isnan(x)], c.index[~np.isnan(x)], strict=True):
        assert 0 <= i < len(c.upper)
        assert v <= c.upper[i] + 1e-9 * max(1.0, abs(v))
        assert v >= c.lower[i] - 1e-9 * max(1.0, abs(v)) if i == 0 else v > c.lower[i] - 1e-9
    assert len(c.colours) == len(c.upper)
    assert NO_VALUE_COLOUR not in c.colours
    assert c.upper == sorted(c.upper)


def test_the_heat_layer_holds_the_periods_events_only() -> None:
    lb = lagesbild()  # period 2024-03
    march = events(n_a=7, n_b=2)
    february = events(n_a=5, n_b=0, seed=3)
    february["time_from"] = february["time_from"] - pd.Timedelta(days=31)
    february["time_to"] = february["time_from"]
    both = pd.concat([march, february], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = lagesbild_map(lb, events=both).get_root().render()
    data = json.loads(re.search(r"L\.heatLayer\(\s*(\[\[.*?\]\])", html, re.S).group(1))  # type: ignore[union-attr]
    in_march = int((both["time_from"].dt.month == 3).sum())
    assert in_march == 9
    assert sum(p[2] for p in data) == in_march


def test_the_findings_popup_names_the_deadline_as_a_deadline() -> None:
    # "Senast åtgärdat" read as the day a finding was fixed; a deadline is "Åtgärdas senast"
    html = full_map(lang="sv").get_root().render()
    specs = [json.loads(s) for s in re.findall(r"geoTrygg\.options\((\{.*?\})\)", html)]
    fields = [name for spec in specs for _, name in spec.get("popup") or []]
    assert "Åtgärdas senast" in fields
    assert "Senast åtgärdat" not in fields


def test_count_classes_are_whole_numbers_and_zero_is_a_class_of_its_own() -> None:
    from geo_trygg.maps._classes import ZERO_COLOUR, classify

    counts = [0, 0, 1, 2, 3, 7, 15, 28, float("nan")]
    # quantiles, k=3: 0 on its own, the values above 0 (1, 2, 3, 7, 15, 28) in two classes at
    # their median 5 (rounded up: 5): 1 – 5 and 6 – 28
    c = classify(counts, scheme="quantiles", k=3, counts=True)
    assert c.upper == [0.0, 5.0, 28.0]
    assert c.lower == [0.0, 1.0, 6.0]
    assert c.index.tolist() == [0, 0, 1, 1, 1, 2, 2, 2, -1]
    assert c.colours[0] == ZERO_COLOUR
    assert ZERO_COLOUR not in c.colours[1:]
    # equal intervals over 1 … 28 (k - 1 = 2 classes: break at 14.5, rounded up to 15)
    e = classify(counts, scheme="equal_interval", k=3, counts=True)
    assert (e.lower, e.upper) == ([0.0, 1.0, 16.0], [0.0, 15.0, 28.0])
    # every value falls in the class whose whole-number bounds hold it
    for value, i in zip(counts, e.index.tolist(), strict=True):
        if i >= 0:
            assert e.lower[i] <= value <= e.upper[i]
    # not counts (a rate): bounds as computed
    r = classify([0.5, 1.71, 2.2], scheme="quantiles", k=2, counts=True)
    assert r.upper[-1] == 2.2
    # all zero: one class
    z = classify([0, 0], counts=True)
    assert (z.lower, z.upper, z.colours) == ([0.0], [0.0], [ZERO_COLOUR])
