"""A population and weights in a meeting pack: inhabitants moved to the pages' areas by area
weighting, rates raw and smoothed on the pages, bad rows listed, bad weights refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo_trygg.demo import DEMO_DIR, demo_paths
from geo_trygg.io.readers import read_areas
from geo_trygg.pack import build_pack, load_config


def _population_file(tmp_path: Path) -> tuple[Path, gpd.GeoDataFrame]:
    """Four squares over the demo areas (SWEREF 99 TM) with their inhabitants; the last row's
    figure is not a number."""
    x0, y0, x1, y1 = 661000.0, 6569000.0, 673500.0, 6578000.0
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    frame = gpd.GeoDataFrame(
        {
            "ruta": ["SV", "SO", "NV", "NO"],
            "befolkning": ["12 000", "8000", "20000", "okänd"],
        },
        geometry=[
            box(x0, y0, xm, ym),
            box(xm, y0, x1, ym),
            box(x0, ym, xm, y1),
            box(xm, ym, x1, y1),
        ],
        crs="EPSG:3006",
    )
    path = tmp_path / "befolkning.gpkg"
    frame.to_file(path, layer="rutor", driver="GPKG")
    return path, frame


def _config(tmp_path: Path, extra: str = "", population: str = "") -> Path:
    demo = DEMO_DIR.as_posix()
    path = tmp_path / "pack.toml"
    path.write_text(
        f"""period = "2024-Q4"
pages = ["lpo"]
png = false
{extra}
[inputs]
events = "{demo}/demo_events.csv"
indicators = "{demo}/demo_survey.csv"
{population}
areas = [{{ path = "{demo}/demo_areas.geojson" }}]
""",
        encoding="utf-8",
    )
    return path


def test_population_reaches_the_pages_as_raw_and_smoothed_rates(tmp_path: Path) -> None:
    pop_path, squares = _population_file(tmp_path)
    config_path = _config(
        tmp_path,
        extra='[weights]\nevents = 1\nevents_per_1000_eb = 1\n"survey:otrygg_kvall" = 1\n',
        population=f'population = {{ path = "{pop_path.as_posix()}", column = "befolkning" }}',
    )
    config, base = load_config(config_path)
    out = tmp_path / "paket"
    result = build_pack(config, base, out)
    # the population of each LPO by area weighting, computed here a second way: the share of
    # each square's area inside the LPO times its inhabitants (the NO square has none: NaN)
    areas = read_areas(demo_paths()["areas"]).accepted
    lpo = areas[areas["level"] == "lpo"].set_index("name")
    numbers = {"SV": 12000.0, "SO": 8000.0, "NV": 20000.0}
    expected = {}
    for name, shape in lpo.geometry.items():
        total, unknown = 0.0, False
        for square in squares.itertuples():
            share = square.geometry.intersection(shape).area / square.geometry.area
            if share > 1e-12:
                if square.ruta in numbers:
                    total += share * numbers[square.ruta]
                else:
                    unknown = True
        expected[name] = None if unknown else total
    sheets = {
        name: pd.read_excel(
            out / "lpo" / name.lower().replace("ä", "a") / "lagesbild.xlsx", sheet_name="Områden"
        )
        for name in ("Botkyrka", "Globen", "Skärholmen")
        if (out / "lpo" / name.lower().replace("ä", "a")).exists()
    }
    assert sheets, "no LPO page"
    assert sum(v is not None for v in expected.values()) >= 1, expected  # a number is checked
    for name, sheet in sheets.items():
        events = sheet[sheet["Underlag"] == "Händelser"].iloc[0]
        if expected[name] is None:
            assert pd.isna(events["Befolkning"]), name
            assert pd.isna(events["Per 1 000 invånare"]), name
        else:
            assert events["Befolkning"] == pytest.approx(expected[name], rel=1e-6), name
            assert events["Per 1 000 invånare"] == pytest.approx(
                events["Antal"] / expected[name] * 1000, rel=1e-6
            )
            assert "Per 1 000 invånare, utjämnat" in sheet.columns
    # the row without a number is listed, never read as 0
    text = (out / "avvisade_rader.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    bad = [r for r in rows if r["file"].endswith("befolkning.gpkg")]
    assert [(r["row"], r["value"]) for r in bad] == [("4", "okänd")]  # the 4th feature
    assert "aldrig en nolla" in bad[0]["reason"]
    assert result.rejected == len(rows)
    # the population and survey files are in the manifest, so a changed one rebuilds the pages
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (
        manifest["inputs"]["population"]["sha256"]
        == hashlib.sha256(pop_path.read_bytes()).hexdigest()
    )
    survey = DEMO_DIR / "demo_survey.csv"
    assert (
        manifest["inputs"]["indicators"]["sha256"]
        == hashlib.sha256(survey.read_bytes()).hexdigest()
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[weights]\nmanga = 1\n", "weights.manga är ingen indikator för prioriteringen"),
        ("[weights]\nevents = -1\n", "weights.events = -1.0 är inte tillåtet"),
        ("[weights]\nevents = 0\n", "minst en vikt måste vara större än 0"),
    ],
)
def test_bad_weights_are_refused_before_any_work(
    tmp_path: Path, extra: str, expected: str
) -> None:
    from geo_trygg._errors import ConfigError

    with pytest.raises(ConfigError, match=expected):
        load_config(_config(tmp_path, extra=extra))


def test_a_survey_weight_needs_the_survey(tmp_path: Path) -> None:
    from geo_trygg._errors import ConfigError

    path = _config(tmp_path, extra='[weights]\n"survey:otrygg_kvall" = 1\n')
    path.write_text(
        "\n".join(line for line in path.read_text().splitlines() if "indicators" not in line),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"inputs\.indicators saknas"):
        load_config(path)


def test_a_missing_population_column_is_named(tmp_path: Path) -> None:
    from geo_trygg._errors import ConfigError

    pop_path, _ = _population_file(tmp_path)
    config, base = load_config(
        _config(
            tmp_path,
            population=f'population = {{ path = "{pop_path.as_posix()}", column = "invanare" }}',
        )
    )
    with pytest.raises(ConfigError, match=r"invanare.*ruta, befolkning"):
        build_pack(config, base, tmp_path / "paket")
