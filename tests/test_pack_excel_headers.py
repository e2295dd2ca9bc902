"""Every Excel file of a meeting pack, the action lists included, carries the
configuration's classification in its sheets' header (issue 14, point 7)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.pack import build_pack, load_config

BANNER = "Intern & begränsad – test"
HEADER = "Intern && begränsad – test"  # Excel's header code doubles "&" (a plain ampersand)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    banner = f'png = false\nclassification = "{BANNER}"'
    lines = [banner if line.startswith("classification =") else line for line in text.splitlines()]
    (folder / "pack.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config, base = load_config(folder / "pack.toml")
    assert config.classification == BANNER
    result = build_pack(config, base, folder / "paket")
    assert not result.failed
    return folder / "paket"


def _headers(path: Path) -> list[str | None]:
    book = openpyxl.load_workbook(path)
    return [ws.oddHeader.center.text for ws in book.worksheets]


def test_action_lists_carry_the_classification(pack: Path) -> None:
    actions = [p for p in sorted(pack.rglob("*.xlsx")) if "atgard" in p.as_posix().lower()]
    assert actions, sorted(p.relative_to(pack).as_posix() for p in pack.rglob("*.xlsx"))
    for path in actions:
        assert _headers(path) == [HEADER], path


def test_every_excel_file_carries_the_classification(pack: Path) -> None:
    files = sorted(pack.rglob("*.xlsx"))
    assert len(files) > 3
    for path in files:
        headers = _headers(path)
        assert headers, path
        assert all(h == HEADER for h in headers), (path, headers)
