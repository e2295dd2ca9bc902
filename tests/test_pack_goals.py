"""Survey results and goals in a meeting pack: the DEMO pack's goals judged as worked out by
hand, rejected survey rows listed, and bad goals refused before any work."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR


def _wilson(p: float, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "paket"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def _page(pack: Path, folder: str) -> str:
    return (pack / folder / "lagesbild.html").read_text(encoding="utf-8")


def test_the_demo_goals_are_judged_as_worked_out_by_hand(demo_pack: Path) -> None:
    # Skärholmen (LPO): 30 % in 2021, halved by 2025 → 15 %; the path in 2023: 30 − 15 × 2/4
    low, high = _wilson(0.20, 1150)
    assert high < 22.5  # 20 % of 1,150: the whole interval below the path
    page = _page(demo_pack, "lpo/skarholmen")
    assert (
        "Senaste värde (2023): 20 % mot målkurvans 22,5 %: på väg, bedömt med 95 %-intervallet."
        in page
    )
    # Hägersten-Älvsjö: 24 % in 2020 → 12 % in 2025; the path in 2023: 24 − 12 × 3/5 = 16.8
    low, _ = _wilson(0.195, 1610)
    assert low > 16.8
    page = _page(demo_pack, "stadsdelsomrade/hagersten-alvsjo")
    assert "Senaste värde (2023): 19,5 % mot målkurvans 16,8 %: inte på väg" in page
    # its parts of the earlier division are listed under their own names, with no baseline
    assert "<td>Älvsjö</td>" in page
    assert "<td>Hägersten-Liljeholmen</td>" in page
    assert "kan inte avgöras: inget basvärde för basåret" in page
    # on the first screen the area's own judgement, not its parts' (which have no baseline)
    first = page[page.index('<section class="overview"') : page.index('<nav class="contents"')]
    assert "Otryggheten ska halveras till 2025 – Hägersten-Älvsjö: inte på väg" in first
    assert "– Älvsjö:" not in first
    # Botkyrka: 41 % in 2021 (respondents not published) → 20.5 %; path 2023: 30.75
    low, high = _wilson(0.28, 850)
    assert low < 30.75 < high
    page = _page(demo_pack, "lpo/botkyrka")
    assert "mot målkurvans 30,8 %: kan inte avgöras, bedömt med 95 %-intervallet." in page
    # Globen has survey values but no goal on its indicator: a table, no chart
    page = _page(demo_pack, "lpo/globen")
    assert "<h2>Trygghetsmätningar</h2>" in page
    assert "Otryggheten ska halveras" not in page


def test_the_excel_file_and_the_rejected_rows(demo_pack: Path) -> None:
    sheets = pd.read_excel(demo_pack / "lpo/skarholmen/lagesbild.xlsx", sheet_name=None)
    goals = sheets["Mål"]
    assert goals["Bedömning"].tolist() == ["på väg"]
    assert goals["Målkurvans värde det året"].tolist() == [22.5]
    text = (demo_pack / "avvisade_rader.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    survey = [r for r in rows if r["file"].endswith("demo_survey.csv")]
    assert [(r["row"], r["value"]) for r in survey] == [("12", "Var tredje")]
    assert "bara i ord" in survey[0]["reason"]


def _config(tmp_path: Path, extra: str, indicators: bool = True) -> Path:
    demo = DEMO_DIR.as_posix()
    line = f'indicators = "{demo}/demo_survey.csv"\n' if indicators else ""
    path = tmp_path / "pack.toml"
    path.write_text(
        f"""period = "2024-Q4"
pages = ["lpo"]
[inputs]
events = "{demo}/demo_events.csv"
{line}areas = [{{ path = "{demo}/demo_areas.geojson" }}]
{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("extra", "indicators", "expected"),
    [
        (
            '[[goals]]\nindicator = "x"\nlevel = "lpo"\nbaseline_year = 2021\n'
            "target_year = 2020\ntarget_ratio = 0.5\n",
            True,
            "goals[0]: målet: målåret target_year=2020 måste komma efter basåret "
            "baseline_year=2021",
        ),
        (
            '[[goals]]\nindicator = "x"\nlevel = "lpo"\nbaseline_year = 2021\n'
            "target_year = 2025\n",
            True,
            "goals[0]: målet: ange antingen target_ratio",
        ),
        (
            '[[goals]]\nindicator = "x"\nlevel = "lpo"\nbaseline_year = 2021\n'
            "target_year = 2025\ntarget_ratio = 0.5\n",
            False,
            "goals kräver inputs.indicators",
        ),
        (
            '[[goals]]\nindicator = "x"\nlevel = "lpo"\nbaseline_year = 2021\n'
            'target_year = 2025\ntarget_ratio = 0.5\nmal = "halvera"\n',
            True,
            "goals[0].mal",
        ),
    ],
)
def test_bad_goals_are_refused_before_any_work(
    tmp_path: Path, extra: str, indicators: bool, expected: str
) -> None:
    out = tmp_path / "paket"
    config = _config(tmp_path, extra, indicators)
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(out)])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert not out.exists()


def test_a_missing_survey_file_is_named(tmp_path: Path) -> None:
    config = _config(tmp_path, "")
    config.write_text(config.read_text().replace("demo_survey.csv", "saknas.csv"))
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert "inputs.indicators" in result.output
