"""What the vocabularies could not place is said, and users can map it themselves.

Hand-made files with values no vocabulary knows ("Hundrastgård saknas", "Kiosken AB",
"Vilande"): the readers list every distinct value that became ``other`` (or an unknown
status) with its count, counted here by hand; ``category_map=``, ``actor_map=`` and
``status_map=`` (and a pack's ``[mappings]``) place them; a bad mapping is refused naming the
key and the allowed codes.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import geo_trygg as gt
from geo_trygg._errors import ConfigError
from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR, demo_paths
from geo_trygg.io.unmapped import unmapped_values
from geo_trygg.lagesbild import build_lagesbild

HEADER = "vandring;datum;kategori;beskrivning;ansvarig;status;lat;lon\r\n"


def _walk(tmp_path: Path) -> Path:
    rows = [
        ("Hundrastgård saknas", "Kiosken AB", "Ny"),
        ("hundrastgård saknas ", "Trafikkontoret", "Ny"),
        ("Belysning", "Kiosken AB", "Pågående"),
        ("Glasskiosk stängd", "Stadsdelsförvaltningen", "Vilande"),
        ("Belysning", "Okänd förening X", "Ny"),
    ]
    text = HEADER + "".join(
        f"V1;2024-05-0{i + 1};{cat};text {i};{actor};{status};59,2781;18,0106\r\n"
        for i, (cat, actor, status) in enumerate(rows)
    )
    path = tmp_path / "vandring.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def _read(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        return gt.read_findings(path, **kwargs)


def test_the_values_that_became_other_are_listed_with_their_counts(tmp_path: Path) -> None:
    result = _read(_walk(tmp_path))
    # row 5 (Vilande) is rejected: an unknown status; the other four are kept
    assert (result.n_input, result.n_accepted, result.n_rejected) == (5, 4, 1)
    assert result.summary.unmapped == {
        "status": {"Vilande": 1},
        # as written (stripped): the two spellings of one text are two values
        "category": {"Hundrastgård saknas": 1, "hundrastgård saknas": 1},
        "responsible_actor": {"Kiosken AB": 2, "Okänd förening X": 1},
    }
    notes = " ".join(result.summary.notes)
    assert "Kategorier som ingen ordlista känner räknas som Övrigt (antal rader: 2)" in notes
    assert "”Kiosken AB” (2), ”Okänd förening X” (1)" in notes
    assert "actor_map=" in notes
    # every code named in the hint has its words beside it
    assert "brf (Bostadsrättsförening)" in notes
    assert "[mappings.actor]" in notes
    assert "status som ingen ordlista känner avvisades (antal rader: 1): ”Vilande” (1)" in notes


def test_the_users_own_mappings_place_them(tmp_path: Path) -> None:
    result = _read(
        _walk(tmp_path),
        category_map={"Hundrastgård saknas": "litter", "Glasskiosk stängd": "other"},
        actor_map={"kiosken ab": "fastighetsagare", "Okänd förening X": "other"},
        status_map={"VILANDE": "in_progress"},
    )
    assert result.n_accepted == 5
    acc = result.accepted.sort_values("source_row")
    assert acc["category"].tolist() == ["litter", "litter", "lighting", "other", "lighting"]
    assert acc["responsible_actor"].tolist()[:3] == [
        "fastighetsagare",
        "trafikkontoret",
        "fastighetsagare",
    ]
    assert acc["status"].tolist()[3] == "in_progress"
    # what the user mapped to other on purpose is still listed: it is "other" all the same
    assert result.summary.unmapped == {
        "category": {"Glasskiosk stängd": 1},
        "responsible_actor": {"Okänd förening X": 1},
    }


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"actor_map": {"Kiosken AB": "kiosk"}}, "actor_map['Kiosken AB'] = 'kiosk' är inte"),
        ({"category_map": ["belysning"]}, "category_map ska vara en tabell"),
        ({"status_map": {"": "done"}}, "status_map: texten '' är tom"),
        ({"actor_map": {"Kiosk": "sl", "KIOSK": "trafikkontoret"}}, "mappas till två olika"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key_and_codes(
    tmp_path: Path, kwargs: dict, expected: str
) -> None:
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        _read(_walk(tmp_path), **kwargs)


def test_event_types_that_became_other_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "handelser.csv"
    path.write_bytes(
        (
            "id;tid_fran;typ;kalla;lat;lon\r\n"
            "1;2024-05-01 12:00;Misshandel;polis;59,2781;18,0106\r\n"
            "2;2024-05-02 12:00;Konstig händelse;polis;59,2781;18,0106\r\n"
            "3;2024-05-03 12:00;Konstig händelse;polis;59,2781;18,0106\r\n"
        ).encode("cp1252")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        result = gt.read_events(path)
    assert result.summary.unmapped == {"event_category": {"Konstig händelse": 2}}
    assert any(
        "Händelsetyper som ingen ordlista känner räknas som Övrigt (antal händelser: 2)" in n
        for n in result.summary.notes
    )
    mapped = gt.read_events(
        path,
        category_map=pd.DataFrame(
            {"source": ["polis"], "source_type": ["Konstig händelse"], "category": ["other"]}
        ),
    )
    assert mapped.accepted["category"].tolist() == ["violence", "other", "other"]


def test_the_lagesbild_and_validate_say_it_too(tmp_path: Path) -> None:
    path = _walk(tmp_path)
    findings = _read(path).accepted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.GeoTryggWarning)
        lb = build_lagesbild(
            findings,
            areas=gt.read_areas(demo_paths()["areas"]).accepted,
            by="stadsdel",
            period="2024-05",
            compare=None,
        )
    assert any("”Kiosken AB” (2)" in note for note in lb.notes)
    out = CliRunner().invoke(main, ["validate", str(path), "--kind", "findings"])
    flat = " ".join(out.output.split())
    assert "Kiosken AB" in flat
    assert "actor_map=" in flat


WORDS = ["Belysning", "Klotter", "Hundrastgård saknas", "Glasskiosk stängd", "zzz qqq"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_every_row_that_became_other_is_counted_once(words: list[str]) -> None:
    from geo_trygg.vocab.findings import map_finding_categories

    frame = pd.DataFrame({"category_original": words})
    frame["category"] = map_finding_categories(frame["category_original"])
    counts = unmapped_values(frame, "findings").get("category", {})
    assert sum(counts.values()) == int((frame["category"] == "other").sum())
    for value, n in counts.items():
        assert n == words.count(value)


def test_a_pack_takes_mappings_and_refuses_bad_ones(tmp_path: Path) -> None:
    from geo_trygg.pack import build_pack, load_config

    walk = _walk(tmp_path)
    demo = DEMO_DIR.as_posix()
    config = tmp_path / "pack.toml"
    body = f"""period = "2024-05"
compare = "none"
pages = ["stadsdelsomrade"]
png = false
[inputs]
findings = "{walk.as_posix()}"
areas = [{{ path = "{demo}/demo_areas.geojson" }}]
[mappings]
actor = {{ "Kiosken AB" = "fastighetsagare" }}
"""
    config.write_text(body, encoding="utf-8")
    cfg, base = load_config(config)
    build_pack(cfg, base, tmp_path / "paket")
    index = (tmp_path / "paket" / "index.html").read_text(encoding="utf-8")
    # Kiosken AB is mapped; what is left is said on the index
    assert "Kiosken AB" not in index
    assert "”Okänd förening X” (1)" in index
    config.write_text(body.replace('"fastighetsagare"', '"kiosk"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mappings\.actor\['Kiosken AB'\] = 'kiosk'"):
        load_config(config)
