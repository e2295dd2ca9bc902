"""What the command line shows is Swedish by default and complete in English.

The expected words are read from the catalogue files themselves (``tomllib``), and some
sentences are written out here: every help page of every command in both languages, click's
own words (``Usage:``, a missing option), the build's summary, and the refusal of a bad pack
configuration, which names the key, the value and what is allowed, exits 2 and writes nothing.
"""

from __future__ import annotations

import gettext
import importlib.resources
import re
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import geo_trygg.pack
from geo_trygg import settings
from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.pack import PackResult

MESSAGES = Path(str(importlib.resources.files("geo_trygg"))) / "data" / "messages"
CATALOGUE = {
    lang: tomllib.loads((MESSAGES / f"{lang}.toml").read_text(encoding="utf-8"))
    for lang in ("sv", "en")
}

FRAME = ["cli_click_usage", "cli_click_options", "cli_usage_options", "cli_help_help"]
HELP = {
    (): [
        "cli_help_main",
        "cli_help_lang",
        "cli_help_version",
        "cli_click_commands",
        "cli_usage_command",
    ],
    ("validate",): [
        "cli_help_validate",
        "cli_metavar_file",
        "cli_help_kind",
        "cli_help_crs",
        "cli_help_source",
        "cli_help_layer",
        "cli_help_json_report",
        "cli_metavar_text",
        "cli_click_required",
    ],
    ("join",): [
        "cli_help_join",
        "cli_metavar_points",
        "cli_help_join_kind",
        "cli_help_areas",
        "cli_help_join_out",
        "cli_help_points_crs",
        "cli_help_at",
        "cli_help_max_distance",
        "cli_help_no_crosswalk",
        "cli_metavar_path",
        "cli_metavar_float",
    ],
    ("build",): [
        "cli_help_build",
        "cli_metavar_config",
        "cli_help_pack_out",
        "cli_help_only",
        "cli_help_force",
        "cli_help_jobs",
        "cli_help_quiet",
        "cli_help_verbose",
        "cli_metavar_integer_range",
    ],
    ("demo",): ["cli_help_demo", "cli_help_pack_out", "cli_help_quiet"],
    ("boundaries",): [
        "cli_help_boundaries",
        "cli_help_json_catalogue",
        "cli_click_commands",
        "cli_usage_command",
    ],
    ("boundaries", "list"): ["cli_help_boundaries_list", "cli_help_json_catalogue"],
    ("boundaries", "show"): [
        "cli_help_boundaries_show",
        "cli_metavar_name",
        "cli_help_json_entry",
    ],
}
"""The catalogue texts each help page shows (besides FRAME)."""

SHOWN_IN_HELP = sorted(
    key
    for key in CATALOGUE["sv"]
    if key.startswith(("cli_help_", "cli_metavar_", "cli_usage_", "cli_click_"))
)
"""Every catalogue text a help page can show."""


def _flat(text: str) -> str:
    """Whitespace as single spaces: click wraps the help to the terminal's width."""
    return " ".join(text.split())


def _shows(output: str, text: str) -> bool:
    """``text`` stands in ``output``: as words of its own (``FIL`` is not in ``FILE``), or,
    for a sentence, whatever the wrapping (click also breaks a line after a hyphen)."""
    if re.search(rf"(?<!\w){re.escape(_flat(text))}(?!\w)", _flat(output)):
        return True
    bare = "".join(text.split())
    return len(bare) > 12 and bare in "".join(output.split())


def _invoke(args: list[str], **kwargs: Any) -> Any:
    return CliRunner().invoke(main, args, **kwargs)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("command", list(HELP), ids=lambda c: " ".join(c) or "geo-trygg")
def test_every_help_page_is_in_the_chosen_language(lang: str, command: tuple[str, ...]) -> None:
    result = _invoke(["--lang", lang, *command, "--help"])
    assert result.exit_code == 0, result.output
    other = "en" if lang == "sv" else "sv"
    for key in FRAME + HELP[command]:
        assert _shows(result.output, CATALOGUE[lang][key]), (key, result.output)
    # no text of the other language: no English sentence on a Swedish page, and back
    for key in SHOWN_IN_HELP:
        if "{" in CATALOGUE[other][key] or CATALOGUE[other][key] == CATALOGUE[lang][key]:
            continue
        assert not _shows(result.output, CATALOGUE[other][key]), (key, result.output)


def test_help_is_swedish_without_lang() -> None:
    top = _invoke(["--help"])
    assert top.output.startswith("Användning: main [FLAGGOR] KOMMANDO [ARGUMENT]...")
    assert "[förval: sv]" in _flat(top.output)
    build = _invoke(["build", "--help"])
    assert build.output.startswith("Användning: main build [FLAGGOR] KONFIGURATION")
    assert "--out SÖKVÄG Paketets mapp. [krävs]" in _flat(build.output)
    assert "--jobs HELTAL Antal sidor som byggs samtidigt. [x>=1]" in _flat(build.output)
    for english in ("Usage:", "Options", "Show this message", "[default:", "[required]"):
        assert english not in top.output + build.output


def test_english_help_reads_as_before() -> None:
    build = _invoke(["--lang", "en", "build", "--help"])
    assert build.output.startswith("Usage: main build [OPTIONS] CONFIG")
    assert "--out PATH Pack folder. [required]" in _flat(build.output)
    assert "--help Show this message and exit." in _flat(build.output)
    assert "--lang=en" not in build.output
    top = _invoke(["--lang=en", "--help"])
    assert "--lang [sv|en] Language of messages, help texts and reports. [default: sv]" in (
        _flat(top.output)
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["build"], "Fel: Saknar argumentet 'KONFIGURATION'."),
        (["--lang", "en", "build"], "Error: Missing argument 'CONFIG'."),
        (["validate", "x.csv"], "Fel: Saknar flaggan '--kind'. Välj bland:"),
        (
            ["validate", "x.csv", "--kind", "bogus"],
            "Fel: Ogiltigt värde för '--kind': 'bogus' är inte något av 'findings', 'events', "
            "'points', 'areas'.",
        ),
        (
            ["--lang", "en", "validate", "x.csv", "--kind", "bogus"],
            "Error: Invalid value for '--kind': 'bogus' is not one of 'findings', 'events', "
            "'points', 'areas'.",
        ),
        (["build", "c.toml", "--out", "p", "--jobs", "0"], "0 ligger utanför intervallet x>=1."),
        (
            ["build", "c.toml", "--outt", "p"],
            "Fel: Flaggan '--outt' finns inte. (Menade du någon av: '--out', '--quiet'?)",
        ),
        (["build", "c.toml", "--quie"], "Fel: Flaggan '--quie' finns inte. Menade du '--quiet'?"),
        (["bygg"], "Fel: Kommandot 'bygg' finns inte."),
        (["--lang", "de", "build"], "Fel: Ogiltigt värde för '--lang': 'de' är inte något av"),
    ],
)
def test_usage_errors_are_in_the_chosen_language(args: list[str], said: str) -> None:
    previous = settings.lang
    result = _invoke(args)
    assert result.exit_code == 2
    assert said in _flat(result.output), result.output
    english = "--lang" in args and "en" in args
    assert ("Try '" if english else "Skriv '") in result.output
    # click's own gettext is back, and the language as it was
    assert settings.lang == previous
    for module in (click.core, click.exceptions, click.formatting, click.types):
        assert module._ is gettext.gettext  # type: ignore[attr-defined]
    assert click.exceptions.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def _fake_build(
    config: Any, base: Path, out: Path, **kwargs: Any
) -> PackResult:  # the CLI's side of a build: steps, then a result with a failed area
    for step in ("read", "lagesbild", "lpo: Botkyrka", "atgardslistor", "index"):
        kwargs["progress"](step)
    return PackResult(
        out=Path(out),
        pages=[{"level": "lpo", "area": "Botkyrka", "path": "lpo/botkyrka", "reused": False}],
        failed=[{"level": "lpo", "area": "Globen", "error": "ValueError: trasig"}],
        rejected=2,
    )


@pytest.mark.parametrize(
    ("lang", "headers", "steps", "built"),
    [
        (
            "sv",
            ["nivå", "område", "sökväg", "resultat"],
            [
                "läser indata",
                "bygger lägesbilden",
                "Lokalpolisområden: Botkyrka",
                "skriver åtgärdslistorna",
            ],
            "byggd",
        ),
        (
            "en",
            ["level", "area", "path", "result"],
            ["reading the inputs", "building the lägesbild", "Local police areas (LPO): Botkyrka"],
            "built",
        ),
    ],
)
def test_the_build_summary_and_steps_are_in_the_chosen_language(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    lang: str,
    headers: list[str],
    steps: list[str],
    built: str,
) -> None:
    monkeypatch.setattr(geo_trygg.pack, "build_pack", _fake_build)
    result = _invoke(["--lang", lang, "build", str(PACK_EXAMPLE), "--out", str(tmp_path), "-v"])
    assert result.exit_code == 1  # an area failed
    lines = result.output.splitlines()
    header = next(line for line in lines if headers[0] in line)
    assert re.findall(r"\w+", header) == headers
    for step in steps:
        assert step in lines
    assert any("Botkyrka" in line and built in line for line in lines)


def _config(tmp_path: Path, text: str) -> Path:
    """A configuration whose inputs are the demo files, with ``text`` before its tables."""
    demo = DEMO_DIR.as_posix()
    path = tmp_path / "paket.toml"
    path.write_text(
        f'title = "Lägesbild Hemlig Titel"\nperiod = "2024-Q4"\npages = ["lpo"]\n{text}'
        f'[inputs]\nevents = "{demo}/demo_events.csv"\n'
        f'areas = [{{ path = "{demo}/demo_areas.geojson" }}]\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("text", "swedish", "english"),
    [
        (  # wrong type
            "min_count = true\n",
            "min_count = true är inte tillåtet; tillåtet: ett heltal, minst 3",
            "min_count = true is not allowed; allowed: a whole number, at least 3",
        ),
        (  # unknown key
            'farg = "röd"\n',
            'okänd nyckel farg (med värdet "röd"); tillåtna nycklar här: classification, '
            "compare, comparison, extracted, goals, inputs, lang, ledger, map, mappings, "
            "mask_personal, min_count, "
            "pages, "
            "period, png, privacy, register, self_contained, sources, title",
            'unknown key farg (with the value "röd"); allowed here: classification, compare,',
        ),
        (  # a value outside the allowed set
            'privacy = "öppen"\n',
            'privacy = "öppen" är inte tillåtet; tillåtet: ett av "internal", "public"',
            'privacy = "öppen" is not allowed; allowed: one of "internal", "public"',
        ),
        (
            'compare = "förra"\n',
            'compare = "förra" är inte tillåtet; tillåtet: "previous", "previous_year", "none" '
            'eller en period som "2023-03"',
            'compare = "förra" is not allowed; allowed: "previous", "previous_year", "none" or '
            'a period such as "2023-03"',
        ),
        (
            'compare = "2024-11"\n',
            'compare = "2024-11" (2024-11) överlappar period = "2024-Q4" (2024-Q4)',
            'compare = "2024-11" (2024-11) overlaps period = "2024-Q4" (2024-Q4)',
        ),
        (
            "[map]\nk = 10\n",
            "map.k = 10 är inte tillåtet; tillåtet: ett heltal från 1 till 9",
            "map.k = 10 is not allowed; allowed: a whole number from 1 to 9",
        ),
    ],
)
def test_a_bad_configuration_is_refused_in_words_before_any_work(
    tmp_path: Path, text: str, swedish: str, english: str
) -> None:
    if text.startswith("[map]"):  # a table ends the keys of the file: put it last
        config = _config(tmp_path, "")
        config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    else:
        config = _config(tmp_path, text)
    out = tmp_path / "paket"
    for args, said in ((["build"], swedish), (["--lang", "en", "build"], english)):
        result = _invoke([*args, str(config), "--out", str(out)])
        assert result.exit_code == 2
        assert said in _flat(result.output), result.output
        assert "Hemlig Titel" not in result.output  # the file is not shown, only the key
        assert "Traceback" not in result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["paket.toml"]  # nothing written


def test_a_broken_toml_file_is_named_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "paket.toml"
    config.write_text('title = "Lägesbild\nperiod = "2024-Q4"\n', encoding="utf-8")
    result = _invoke(["build", str(config), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert f"{config} är inte en giltig TOML-fil: fel på rad 1, kolumn 19." in _flat(result.output)
    missing = _invoke(["build", str(tmp_path / "saknas.toml"), "--out", str(tmp_path / "p")])
    assert missing.exit_code == 2
    assert f"konfigurationsfilen {tmp_path / 'saknas.toml'} finns inte" in _flat(missing.output)
