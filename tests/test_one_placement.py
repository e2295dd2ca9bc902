"""One placement, decided once: findings and events on shared borders and corners land on the
page of the area ``assign_areas`` gives them — drawn on that page's map, counted in its tables
and overdue list, linked from the action lists — and on no other page.

The expected area of every point is worked out here by hand from the documented boundary rule
(``geo_trygg.join.assign``): a point covered by several areas belongs to the one that contains
it moved 1 mm east and 1 µm north; when that leaves none, the smallest area (m²) wins.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo_trygg._errors import ConfigError
from geo_trygg.io.readers import read_areas, read_events, read_findings
from geo_trygg.join import assign_areas
from geo_trygg.labels import column_names, kind_names, table_names
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.pack import build_pack, load_config

X0, Y0 = 674_000, 6_575_000  # SWEREF 99 TM, south of Stockholm
AREAS = {  # name: (folder, polygon); three areas of one level meeting along edges
    "Väst": ("vast", shapely.box(X0, Y0 + 200, X0 + 1000, Y0 + 1000)),  # 0.8 km²
    "Öst": ("ost", shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)),  # 1.0 km²
    "Norr": ("norr", shapely.box(X0, Y0 + 1000, X0 + 2000, Y0 + 1600)),  # 1.2 km²
}
POINTS = {  # id: (dx, dy) from (X0, Y0), the area the documented rule gives it
    "V1": ((500, 600), "Väst"),  # inside
    "O1": ((1500, 500), "Öst"),  # inside
    "N1": ((1000, 1300), "Norr"),  # inside
    # on the Väst | Öst edge (north-south): moved east it is in Öst
    "B1": ((1000, 600), "Öst"),
    # on the Väst / Norr edge (east-west): moved north it is in Norr
    "B2": ((500, 1000), "Norr"),
    # on the Öst / Norr edge: moved north it is in Norr
    "B3": ((1500, 1000), "Norr"),
    # the corner of all three: moved north-east it is in Norr
    "C1": ((1000, 1000), "Norr"),
    # Väst's south-east corner on Öst's west edge: moved east it is in Öst
    "C2": ((1000, 200), "Öst"),
    # Öst's north-east corner on Norr's south-east corner: moved north-east it is in neither,
    # so the smaller of the two wins: Öst (1.0 km² < 1.2 km²)
    "C3": ((2000, 1000), "Öst"),
    "X1": ((3000, 500), None),  # outside every area: on no page
}
ON_BORDER = [k for k in POINTS if k[0] in "BC"]
EVENTS_PER_POINT = 3  # so that a public pack shows every area's count


def _expected(area: str | None) -> list[str]:
    return sorted(k for k, (_, a) in POINTS.items() if a == area)


def _inputs(folder: Path, *, findings: bool = True, privacy: str = "internal") -> Path:
    """Areas (GeoPackage, EPSG:3006), events and findings (CSV, SWEREF 99 TM) and a pack
    configuration in ``folder``; every finding overdue at the end of the period."""
    folder.mkdir(parents=True, exist_ok=True)
    names = list(AREAS)
    gpd.GeoDataFrame(
        {
            "area_id": [AREAS[n][0] for n in names],
            "name": names,
            "level": ["stadsdel"] * len(names),
        },
        geometry=[AREAS[n][1] for n in names],
        crs="EPSG:3006",
    ).to_file(folder / "areas.gpkg", driver="GPKG")
    rows = ["id;tid_fran;typ;text;nord;öst"]
    for key, ((dx, dy), _) in POINTS.items():
        for j in range(EVENTS_PER_POINT):
            rows.append(
                f"E-{key}-{j};2024-11-0{j + 2} 21:10;Brand i soprum;Brand;{Y0 + dy};{X0 + dx}"
            )
    (folder / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["id;datum;kategori;beskrivning;ansvarig;status;åtgärdsdatum;statusdatum;nord;öst"]
    for key, ((dx, dy), _) in POINTS.items():
        rows.append(
            f"{key};2024-11-05;Belysning;Trasig lampa;Trafikkontoret;Ny;2024-11-20;2024-11-05;"
            f"{Y0 + dy};{X0 + dx}"
        )
    (folder / "findings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = f"""title = "Gränser"
period = "2024-Q4"
compare = "previous"
pages = ["stadsdel"]
privacy = "{privacy}"
png = false
[inputs]
events = "events.csv"
{'findings = "findings.csv"' if findings else ""}
areas = [{{ path = "areas.gpkg", level = "stadsdel" }}]
"""
    path = folder / "pack.toml"
    path.write_text(config, encoding="utf-8")
    return path


def _build(path: Path, out: Path) -> list[dict[str, object]]:
    config, base = load_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, out)
    assert not result.failed, result.failed
    return result.pages


@pytest.fixture(scope="module")
def internal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one_placement")
    out = folder / "paket"
    pages = _build(_inputs(folder / "in"), out)
    assert sorted(str(p["path"]) for p in pages) == sorted(
        f"stadsdel/{f}" for f, _ in AREAS.values()
    )
    return out


# --- what a page's map draws and what its tables count --------------------------------------


def _json_after(html: str, marker: str) -> list[object]:
    """Every JSON value that follows ``marker`` in the page."""
    decoder = json.JSONDecoder()
    out = []
    for match in re.finditer(re.escape(marker), html):
        start = match.end()
        while html[start].isspace():
            start += 1
        out.append(decoder.raw_decode(html, start)[0])
    return out


def _drawn_findings(html: str) -> list[str]:
    """The ids of the findings on the map (the layer whose spec is of kind "finding")."""
    decoder = json.JSONDecoder()
    ids: list[str] = []
    for match in re.finditer(re.escape("L.geoJSON("), html):
        data, end = decoder.raw_decode(html, match.end())
        spec_at = html.index("geoTrygg.options(", end) + len("geoTrygg.options(")
        spec = decoder.raw_decode(html, spec_at)[0]
        if spec["kind"] == "finding":
            ids += [f["properties"]["id"] for f in data["features"]]
    return sorted(ids)


def _drawn_events(html: str) -> Counter[tuple[float, float]]:
    """The heat layer's points as (lat, lon), each as often as it is drawn (weight)."""
    drawn: Counter[tuple[float, float]] = Counter()
    for data in _json_after(html, "L.heatLayer("):
        assert isinstance(data, list)
        for lat, lon, weight in data:
            drawn[(lat, lon)] += int(weight)
    return drawn


def _where(keys: list[str]) -> Counter[tuple[float, float]]:
    """Each event of the points ``keys`` as the map writes it: WGS 84, 5 decimals, (lat, lon)."""
    xy = [(X0 + POINTS[k][0][0], Y0 + POINTS[k][0][1]) for k in keys]
    wgs = gpd.GeoSeries(shapely.points(xy), crs="EPSG:3006").to_crs("EPSG:4326")
    return Counter({(round(p.y, 5), round(p.x, 5)): EVENTS_PER_POINT for p in wgs} if keys else {})


def _sheet(page: Path, table: str) -> pd.DataFrame:
    return pd.read_excel(page / "lagesbild.xlsx", sheet_name=table_names("sv")[table])


def _counted_findings(page: Path) -> list[str]:
    """The finding ids in the page's overdue list (every finding is overdue)."""
    overdue = _sheet(page, "overdue")
    return sorted(map(str, overdue[column_names("sv")["finding_id"]]))


def _counted(page: Path, kind: str) -> int:
    """The page's count of ``kind`` in the period (table of all categories)."""
    totals = _sheet(page, "totals")
    rows = totals[totals[column_names("sv")["kind"]] == kind_names("sv")[kind]]  # in words
    return int(rows[column_names("sv")["n"]].sum())


@pytest.mark.parametrize("area", list(AREAS), ids=[f for f, _ in AREAS.values()])
def test_each_page_map_draws_exactly_what_its_tables_count(internal: Path, area: str) -> None:
    page = internal / "stadsdel" / AREAS[area][0]
    html = (page / "karta.html").read_text(encoding="utf-8")
    expected = _expected(area)
    # findings: the markers are the findings of the overdue list, which are the area's
    assert _counted_findings(page) == expected
    assert _drawn_findings(html) == expected
    assert _counted(page, "findings") == len(expected)
    # events: the heat layer's points are the events the tables count
    assert _drawn_events(html) == _where(expected)
    assert _counted(page, "events") == EVENTS_PER_POINT * len(expected)
    assert sum(_drawn_events(html).values()) == _counted(page, "events")


def test_every_border_point_is_on_exactly_one_page(internal: Path) -> None:
    on_pages: dict[str, list[str]] = {k: [] for k in POINTS}
    for area, (folder, _) in AREAS.items():
        html = (internal / "stadsdel" / folder / "karta.html").read_text(encoding="utf-8")
        for key in _drawn_findings(html):
            on_pages[key].append(area)
    for key in ON_BORDER:
        assert on_pages[key] == [POINTS[key][1]], key
    assert on_pages["X1"] == []


def test_action_lists_link_each_finding_to_the_page_that_counts_it(internal: Path) -> None:
    html = (internal / "atgardslistor" / "trafikkontoret.html").read_text(encoding="utf-8")
    links: dict[str, str | None] = {}
    for row in re.findall(r"<tr[ >].*?</tr>", html, flags=re.S):
        key = re.search(r'<th scope="row">([^<]+)</th>', row)
        if key is not None:
            href = re.search(r'<a href="([^"]+)">', row)
            links[key.group(1)] = href.group(1) if href else None
    assert set(links) == set(POINTS)
    for key, (_, area) in POINTS.items():
        if area is None:
            assert links[key] is None  # no page holds it: its coordinates instead
        else:
            # the map opens zoomed on the finding (its id as encodeURIComponent writes it)
            fid = key.replace(" ", "%20")
            assert links[key] == f"../stadsdel/{AREAS[area][0]}/karta.html#fynd={fid}", key


def test_a_public_pack_counts_each_border_event_once(tmp_path: Path) -> None:
    pages = _build(_inputs(tmp_path / "in", findings=False, privacy="public"), tmp_path / "p")
    shown = {str(p["area"]): p["n"] for p in pages}
    assert shown == {a: EVENTS_PER_POINT * len(_expected(a)) for a in AREAS}


# --- the lägesbild's points -----------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, gpd.GeoDataFrame]:
    folder = tmp_path_factory.mktemp("one_placement_inputs")
    _inputs(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "areas": read_areas(folder / "areas.gpkg", level="stadsdel").accepted,
            "events": read_events(folder / "events.csv").accepted,
            "findings": read_findings(folder / "findings.csv").accepted,
        }


def test_the_lagesbild_points_are_assign_areas_output(
    inputs: dict[str, gpd.GeoDataFrame],
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            inputs["findings"],
            inputs["events"],
            areas=inputs["areas"],
            by="stadsdel",
            period="2024-Q4",
        )
        assigned = assign_areas(inputs["findings"], inputs["areas"])
    assert lb.point_kinds == ("events", "findings")
    findings = lb.points("findings")
    assert isinstance(findings, gpd.GeoDataFrame)
    by_id = dict(zip(findings["finding_id"], findings["stadsdel"], strict=True))
    assert pd.isna(by_id.pop("X1"))
    assert by_id == {k: a for k, (_, a) in POINTS.items() if a is not None}
    pd.testing.assert_series_equal(
        findings["stadsdel"], assigned["stadsdel"], check_names=False, check_index=False
    )
    events = lb.points("events")
    assert len(events) == EVENTS_PER_POINT * len(POINTS)
    for area in AREAS:
        own = lb.for_area("stadsdel", area)
        assert sorted(own.points("findings")["finding_id"]) == _expected(area)
        assert (own.points("events")["stadsdel"] == area).all()
        assert len(own.points("events")) == EVENTS_PER_POINT * len(_expected(area))
    with pytest.raises(ConfigError, match="kind='calls'"):
        lb.points("calls")


def test_nothing_downstream_places_a_point_again() -> None:
    """Maps and packs take the points as the lägesbild placed them: no point-in-polygon test
    of their own (area-in-area tests, such as the public pack's nesting, are not placement)."""
    import geo_trygg

    root = Path(geo_trygg.__file__).parent
    placing = re.compile(
        r"shapely\.(contains|contains_xy|contains_properly|within|covered_by|covers|"
        r"intersects_xy)\b|\.sjoin\(|\bassign_areas\(|\bplaces_within\(|"
        r"predicate=\"(within|contains|covered_by|covers)\""
    )
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for folder in ("pack", "maps")
        for path in sorted((root / folder).glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if placing.search(line)
    ]
    # the one placement besides the lägesbild's: the plan pages place each measure's place
    # (a point inside it) once per build, like a point (docs/pack.md, pack/_plan.py); no
    # event or finding
    measures = [f for f in found if f.startswith("pack/_plan.py:")]
    assert len(measures) == 1, measures
    assert "assign_areas(points, layer, hierarchy=False" in measures[0]
    assert [f for f in found if f not in measures] == []
