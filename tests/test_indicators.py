"""Survey indicators (geo_trygg.io.read_indicators): the published compilation in ../shared
checked row by row against the file read independently (csv module), a Swedish office table,
and the rules: every row accepted or rejected with a reason, shares with their Wilson interval
where the respondents are known, "osäkerhet okänd" where they are not, never a count."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, ReadError
from geo_trygg.io import read_indicators
from geo_trygg.labels import words

Z = 1.959963984540054


def _wilson(share: float, n: int) -> tuple[float, float]:
    """The Wilson interval by its textbook formula, written out again here."""
    p = share / 100
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


@pytest.mark.shared
def test_every_published_figure_is_read_or_rejected_with_its_reason(shared_data: Path) -> None:
    path = shared_data / "trygghet_survey_indicators_stockholm" / "trygghet_indicators.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    result = read_indicators(path)
    assert result.n_input == len(rows) == 133
    assert result.n_input == result.n_accepted + result.n_rejected
    blank = {i + 2 for i, r in enumerate(rows) if not r["value"].strip()}
    assert set(result.rejected["row"]) == blank
    assert len(blank) == 14
    for line in result.rejected.itertuples():
        stated = rows[line.row - 2]["value_as_stated"]
        expected = "inte publicerat" if stated == "XX" else f"bara i ord ({stated})"
        assert expected in line.reason
    accepted = result.accepted.set_index("source_row")
    for i, r in enumerate(rows):
        if i + 2 in blank:
            continue
        got = accepted.loc[i + 2]
        assert got["area"] == r["area_name"]
        assert got["level"] == r["area_level"]
        assert got["indicator"] == r["indicator_id"]
        assert got["value"] == float(r["value"])
        assert got["unit"] == ("percent" if r["unit"] == "percent" else r["unit"])
        first, _, last = r["year"].partition("-")
        assert (got["year_from"], got["year_to"]) == (int(first), int(last or first))
        if r["respondents"]:
            low, high = _wilson(float(r["value"]), int(r["respondents"]))
            assert got["uncertainty"] == "wilson95"
            assert got["ci_low"] == pytest.approx(low, abs=1e-9)
            assert got["ci_high"] == pytest.approx(high, abs=1e-9)
        else:
            assert got["uncertainty"] == ("unknown" if r["unit"] == "percent" else "not_a_share")
            assert math.isnan(got["ci_low"])
    # the hand-checked case of the issue: 11 % of 17,669 respondents
    city = accepted[(accepted["area"] == "Stockholms stad") & (accepted["year"] == "2017")]
    city = city[city["indicator"] == "oro_brott_ofta_12m"].iloc[0]
    assert (round(city["ci_low"], 2), round(city["ci_high"], 2)) == (10.55, 11.47)
    assert city["response_rate"] == 55.0


def test_a_swedish_office_table_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "trygghet.csv"
    path.write_bytes(
        "Stadsdelsområde;År;Fråga;Andel (%);Antal svarande;Svarsfrekvens (%)\r\n"
        "Rinkeby-Kista;2017;Otrygg ensam sen kväll;31,5;1 204;48 %\r\n"
        "Farsta;2017–2018;Otrygg ensam sen kväll;21 %;;\r\n"
        "Bromma;2020;Otrygg ensam sen kväll;..;3 221;\r\n"
        "Skärholmen;2020;Otrygg ensam sen kväll;120;800;\r\n"
        "Älvsjö;tjugo;Otrygg ensam sen kväll;12;800;\r\n"
        "Enskede;2020;Otrygg ensam sen kväll;12;drygt 800;\r\n"
        "Farsta;2020;Otrygg ensam sen kväll;Var tredje;;\r\n"
        "Farsta;2021;Otrygg ensam sen kväll;12 st;;\r\n".encode("cp1252")
    )
    result = read_indicators(path)
    assert (result.n_input, result.n_accepted, result.n_rejected) == (8, 2, 6)
    acc = result.accepted
    assert acc["level"].tolist() == ["stadsdelsomrade"] * 2
    assert acc["area"].tolist() == ["Rinkeby-Kista", "Farsta"]
    assert acc["value"].tolist() == [31.5, 21.0]
    assert acc["unit"].tolist() == ["percent", "percent"]
    assert acc["respondents"].tolist()[0] == 1204
    assert acc["response_rate"].tolist()[0] == 48.0
    assert (acc["year_from"].tolist(), acc["year_to"].tolist()) == ([2017, 2017], [2017, 2018])
    low, high = _wilson(31.5, 1204)
    assert acc["ci_low"].iloc[0] == pytest.approx(low)
    assert acc["ci_high"].iloc[0] == pytest.approx(high)
    assert words(acc["uncertainty"], "uncertainty").tolist() == [
        "95 %-intervall (Wilson)",
        "osäkerhet okänd",
    ]
    assert result.rejected[["row", "reason"]].values.tolist() == [
        [4, "värdet är inte publicerat (..)"],
        [5, "en andel måste vara mellan 0 och 100 procent"],
        [6, "året 'tjugo' går inte att läsa; skriv t.ex. 2017, eller 2017–2018 för två "
            "sammanslagna mätningar"],
        [7, "antalet svarande 'drygt 800' är inget positivt heltal"],
        [8, "källan anger värdet bara i ord (Var tredje); inget tal att läsa"],
        [9, "värdet '12 st' är inget tal"],
    ]  # fmt: skip


def test_a_score_has_no_interval_and_an_unknown_unit_says_so() -> None:
    table = pd.DataFrame(
        {"Kommun": ["Lidingö", "Lidingö"], "År": [2017, 2017],
         "Indikator": ["Kollektiv styrka", "Otrygghet"], "Värde": [33, 12],
         "Enhet": ["poäng", None], "Antal svarande": [900, 900]}
    )  # fmt: skip
    acc = read_indicators(table).accepted
    assert acc["unit"].tolist() == ["points", None]
    assert acc["uncertainty"].tolist() == ["not_a_share", "unknown"]
    assert acc["ci_low"].isna().all()
    shares = read_indicators(table.drop(columns="Enhet"), unit="percent").accepted
    assert shares["uncertainty"].tolist() == ["wilson95", "wilson95"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=10), st.sampled_from(["Andel (%)", "%"]))
def test_whole_number_shares_stay_shares(values: list[int], header: str) -> None:
    # a whole-number share is read as the share it is (per cent, a float), never as a count
    table = pd.DataFrame(
        {"LPO": ["Järva"] * len(values), "År": [2021] * len(values),
         "Indikator": ["Trygg ute sen kväll"] * len(values), header: values}
    )  # fmt: skip
    acc = read_indicators(table).accepted
    assert acc["value"].tolist() == [float(v) for v in values]
    assert str(acc["value"].dtype) == "float64"
    assert set(acc["unit"]) == {"percent"}
    assert set(acc["level"]) == {"lpo"}


def test_bad_arguments_and_tables_are_refused_before_reading(tmp_path: Path) -> None:
    table = pd.DataFrame({"Område": ["Farsta"], "År": [2020], "Indikator": ["x"], "Värde": [3]})
    with pytest.raises(ConfigError, match="ange områdesnivån"):
        read_indicators(table)
    assert read_indicators(table, level="Stadsdelsområde").accepted["level"].tolist() == [
        "stadsdelsomrade"
    ]
    with pytest.raises(ConfigError, match="level='gata' är ingen områdesnivå"):
        read_indicators(table, level="gata")
    with pytest.raises(ConfigError, match="unit"):
        read_indicators(table, level="kommun", unit="antal")
    with pytest.raises(ConfigError, match="kan inte bli 'antal'"):
        read_indicators(table, level="kommun", columns={"Värde": "antal"})
    with pytest.raises(ReadError, match="hittade inga kolumner för indicator"):
        read_indicators(table.drop(columns="Indikator"), level="kommun")
