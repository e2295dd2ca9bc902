"""``geo-trygg register``: imports with exit codes, info, backups between backends, the English
option and untrusted text printed as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo_trygg.cli import main
from geo_trygg.register import open_register

X0, Y0 = 674000.0, 6578000.0
HEADER = "id;datum;kategori;beskrivning;status;statusdatum;x;y"


def _walk(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def walk(tmp_path: Path) -> Path:
    day = "2024-05-12"
    return _walk(
        tmp_path / "vandring.csv",
        [
            f"1;{day};Belysning;Mörk gång;Ny;{day};{X0};{Y0}",
            f"2;{day};Nedskräpning;[bold]Skräp[/];Ny;{day};{X0 + 50};{Y0}",
            f"3;{day};Belysning;utan plats;Ny;{day};;",
        ],
    )


def test_import_reports_counts_and_rejected_rows(tmp_path: Path, walk: Path) -> None:
    reg = tmp_path / "register.gpkg"
    args = ["register", "import", str(walk), "--walk", "[red]Vår[/] 2024", "--crs", "EPSG:3006"]
    res = CliRunner().invoke(main, [*args, "--register", str(reg)])
    assert res.exit_code == 1, res.output  # a row was rejected
    assert "3 rader, 2 godtagna, 1 avvisade. 2 nya fynd, 0 sedda igen." in res.output
    assert "koordinat saknas" in res.output
    again = CliRunner().invoke(main, [*args, "--register", str(reg)])
    assert again.exit_code == 0
    assert "redan importerad (import 1); inget ändrades" in again.output
    info = CliRunner().invoke(main, ["register", "info", "--register", str(reg), "--json"])
    data = json.loads(info.output)
    assert data["counts"]["findings"] == 2
    assert data["walks"] == [{"date": "2024-05-12", "rows": 3, "walk": "[red]Vår[/] 2024"}]
    text = CliRunner().invoke(main, ["register", "info", "--register", str(reg)])
    assert "[red]Vår[/] 2024" in text.output  # printed as written, not as markup


def test_the_register_comes_from_the_environment(
    tmp_path: Path, walk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = tmp_path / "miljo.gpkg"
    monkeypatch.setenv("GEO_TRYGG_REGISTER", str(reg))
    res = CliRunner().invoke(
        main,
        ["--lang", "en", "register", "import", str(walk), "--walk", "V", "--crs", "EPSG:3006"],
    )
    assert "3 rows, 2 accepted, 1 rejected. 2 new findings, 0 seen again." in res.output
    with open_register(reg) as r:
        assert len(r.findings()) == 2


def test_bad_options_fail_before_any_work(tmp_path: Path, walk: Path) -> None:
    reg = tmp_path / "register.gpkg"
    res = CliRunner().invoke(
        main,
        [
            "register",
            "import",
            str(walk),
            "--walk",
            "V",
            "--register",
            str(reg),
            "--distance",
            "-1",
        ],
    )
    assert res.exit_code == 2
    assert "--distance" in res.output
    assert "-1.0 ligger utanför intervallet 0<=x<=1000" in res.output
    blank = CliRunner().invoke(
        main, ["register", "import", str(walk), "--walk", " ", "--register", str(reg)]
    )
    assert blank.exit_code == 2
    assert "walk=' ' är inte tillåtet" in blank.output
    wrong = CliRunner().invoke(
        main, ["register", "info", "--register", str(tmp_path / "register.txt")]
    )
    assert wrong.exit_code == 2
    assert "varken en GeoPackage-fil" in wrong.output
    missing = CliRunner().invoke(main, ["register", "info", "--register", str(reg)])
    assert missing.exit_code == 2
    assert "finns inte" in missing.output
    span = CliRunner().invoke(
        main, ["register", "events", str(walk), "--register", str(reg), "--from", "2024-01-01"]
    )
    assert span.exit_code == 2
    assert "--from och --to ges tillsammans" in span.output
    assert not reg.exists()


def test_export_and_import_backup_to_postgis(
    tmp_path: Path, walk: Path, postgres_url: str
) -> None:
    reg = tmp_path / "register.gpkg"
    CliRunner().invoke(
        main,
        [
            "register",
            "import",
            str(walk),
            "--walk",
            "V",
            "--crs",
            "EPSG:3006",
            "--register",
            str(reg),
        ],
    )
    backup = tmp_path / "kopia.gpkg"
    out = CliRunner().invoke(
        main, ["register", "export", "--register", str(reg), "--out", str(backup)]
    )
    assert out.exit_code == 0, out.output
    assert "1 vandringar, 2 fynd, 2 rader historik, 0 händelser" in out.output
    res = CliRunner().invoke(
        main, ["register", "import-backup", str(backup), "--register", postgres_url]
    )
    assert res.exit_code == 0, res.output
    with open_register(postgres_url) as pg, open_register(reg) as gp:
        assert pg.findings().equals(gp.findings())
        assert pg.history().equals(gp.history())
    twice = CliRunner().invoke(
        main, ["register", "import-backup", str(backup), "--register", postgres_url]
    )
    assert twice.exit_code == 2
    assert "innehåller redan data" in twice.output
