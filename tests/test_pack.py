"""Meeting packs: the demo pack, byte-identical rebuilds, the manifest, atomic replacement,
configuration errors before any work, and one failing area not stopping the others."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo_trygg._errors as gt_errors
import geo_trygg.pack._build as build_module
import geo_trygg.pack._pages as pages_module
from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.io.readers import read_findings
from geo_trygg.pack import build_pack, load_config

EXAMPLE = PACK_EXAMPLE


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _pages(folder: Path) -> dict[str, bytes]:
    """The files that do not depend on the previous pack in the folder (andringar.html does,
    and the manifest holds its checksum)."""
    return {
        k: v for k, v in _files(folder).items() if k not in ("andringar.html", "manifest.json")
    }


def _config(tmp_path: Path, text: str) -> Path:
    """A configuration in ``tmp_path`` whose inputs are the demo files."""
    demo = DEMO_DIR.as_posix()
    body = f"""
period = "2024-Q4"
pages = ["lpo"]
[inputs]
events = "{demo}/demo_events.csv"
areas = [{{ path = "{demo}/demo_areas.geojson" }}]
"""
    path = tmp_path / "pack.toml"
    path.write_text(text + body if text else body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "paket"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_demo_pack_has_every_page_and_a_true_manifest(demo_pack: Path) -> None:
    files = _files(demo_pack)
    pages = ["stadsdelsomrade/hagersten-alvsjo", "lpo/botkyrka", "lpo/globen", "lpo/skarholmen"]
    for page in pages:
        for name in ("karta.html", "lagesbild.html", "lagesbild.xlsx"):
            assert f"{page}/{name}" in files
    assert {"index.html", "manifest.json", "avvisade_rader.csv"} <= set(files)
    manifest = json.loads(files["manifest.json"])
    # every file's checksum, computed again here
    listed = manifest["files"]
    assert set(listed) == set(files) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    events = manifest["inputs"]["events"]
    source = (EXAMPLE.parent / events["path"]).resolve()
    assert hashlib.sha256(source.read_bytes()).hexdigest() == events["sha256"]
    assert manifest["config"]["period"] == "2024-Q4"
    index = files["index.html"].decode()
    assert '<html lang="sv">' in index
    for page in pages:
        assert f'href="{page}/karta.html"' in index
    # the rejected demo rows are all in the CSV (header + one row per rejected row): a finding
    # without longitude and a survey figure given only in words
    assert "Avvisade indatarader: 2" in index
    assert len(files["avvisade_rader.csv"].decode("utf-8-sig").strip().splitlines()) == 3


def test_a_rebuild_gives_the_same_bytes(demo_pack: Path, tmp_path: Path) -> None:
    again = tmp_path / "igen"
    result = CliRunner().invoke(main, ["demo", "--out", str(again), "-q"])
    assert result.exit_code == 0, result.output
    assert _files(again) == _files(demo_pack)


def test_a_failed_build_leaves_the_previous_pack_untouched(
    demo_pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "paket"
    shutil.copytree(demo_pack, out)
    before = _files(out)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "write_index", broken)
    config, base = load_config(EXAMPLE)
    with pytest.raises(RuntimeError, match="disk full"):
        build_pack(config, base, out, force=True)
    assert _files(out) == before
    assert not any(p.name.startswith(".paket") for p in tmp_path.iterdir())


def test_one_failing_area_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pages_module.lagesbild_map

    def flaky(lb: object, **kwargs: object) -> object:
        if kwargs.get("area") == "Globen":
            raise ValueError("trasig karta")
        return real(lb, **kwargs)

    monkeypatch.setattr(pages_module, "lagesbild_map", flaky)
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(_config(tmp_path, "")), "--out", str(out)])
    assert result.exit_code == 1
    # the summary: LPO Botkyrka and Skärholmen built, Globen failed (demo: 3 LPOs)
    assert "2 byggda, 0 oförändrade, 1 misslyckade; 0 avvisade indatarader" in " ".join(
        result.output.split()
    )
    assert (out / "lpo" / "botkyrka" / "karta.html").is_file()
    assert not (out / "lpo" / "globen" / "karta.html").exists()
    assert "trasig karta" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'colour = "red"\n',
            'okänd nyckel colour (med värdet "red"); tillåtna nycklar här: classification, '
            "compare",
        ),
        (
            'privacy = "public"\nmin_count = 1\n',
            "min_count = 1 är inte tillåtet; tillåtet: ett heltal, minst 3",
        ),
        ('lang = "de"\n', 'lang = "de" är inte tillåtet; tillåtet: ett av "sv", "en"'),
        (
            'title = "x"\n[map]\nindicator = "rate"\n',
            'map.indicator = "rate" är inte tillåtet; tillåtet: ett av "n", "per_km2", '
            '"per_1000", "change", "priority"',
        ),
    ],
)
def test_bad_configuration_is_refused_before_any_work(
    tmp_path: Path, text: str, expected: str
) -> None:
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(_config(tmp_path, text)), "--out", str(out)])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert not out.exists()


def test_missing_files_and_unknown_levels_are_named(tmp_path: Path) -> None:
    config = _config(tmp_path, "")
    config.write_text(config.read_text().replace("demo_events.csv", "saknas.csv"))
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert "inputs.events" in result.output
    config = _config(tmp_path, "")
    config.write_text(config.read_text().replace('pages = ["lpo"]', 'pages = ["distrikt"]'))
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert "distrikt" in result.output
    assert "lpo" in result.output


def test_area_names_from_the_data_are_text_in_the_index(tmp_path: Path) -> None:
    payload = '<img src=x onerror="alert(1)">'
    data = json.loads((DEMO_DIR / "demo_areas.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"].get("name") == "Globen":
            feature["properties"]["name"] = payload
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps(data), encoding="utf-8")
    config = _config(tmp_path, "")
    config.write_text(
        config.read_text().replace(f"{DEMO_DIR.as_posix()}/demo_areas.geojson", areas.as_posix())
    )
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert payload not in index
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in index
    assert (out / "lpo" / "img-src-x-onerror-alert-1" / "karta.html").is_file()


def _example_copy(tmp_path: Path, extra_event: str | None = None) -> Path:
    """The example configuration beside a copy of the demo events (plus one event)."""
    events = (DEMO_DIR / "demo_events.csv").read_bytes()
    if extra_event:
        events += extra_event.encode("cp1252")
    (tmp_path / "events.csv").write_bytes(events)
    text = EXAMPLE.read_text(encoding="utf-8").replace('"demo/demo_events.csv"', '"events.csv"')
    text = text.replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    path = tmp_path / "pack.toml"
    path.write_text(
        text.replace('classification = "DEMO', 'png = false\nclassification = "DEMO'),
        encoding="utf-8",
    )
    return path


def test_unchanged_pages_are_reused_and_a_changed_area_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    config, base = load_config(_example_copy(tmp_path))
    first = build_pack(config, base, out)
    assert not any(p["reused"] for p in first.pages)
    before = _pages(out)
    again = build_pack(config, base, out)
    assert all(p["reused"] for p in again.pages)
    assert _pages(out) == before
    # one more event in Fittja centrum (LPO Botkyrka) in the period
    row = (
        "BB-9999;2024-11-05 21:10;;Brand i soprum;Bostadsbolaget;Fittja centrum;Ny brand.;"
        "59,247883;17,861568\n"
    )
    config, base = load_config(_example_copy(tmp_path, row))
    changed = {p["path"]: p["reused"] for p in build_pack(config, base, out).pages}
    assert changed["lpo/botkyrka"] is False
    assert changed["stadsdelsomrade/hagersten-alvsjo"] is True
    # the result equals a build from scratch
    fresh = tmp_path / "fresh"
    build_pack(config, base, fresh, force=True)
    assert _pages(out) == _pages(fresh)


def test_parallel_pages_give_the_same_files(tmp_path: Path) -> None:
    config, base = load_config(_example_copy(tmp_path))
    build_pack(config, base, tmp_path / "one", jobs=1)
    build_pack(config, base, tmp_path / "two", jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_a_page_map_opens_offline(tmp_path: Path, browser_page: object) -> None:
    from browser import assets_or_skip, count_paths

    assets_or_skip()
    path = _example_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("png = false", "png = false\nself_contained = true")
    path.write_text(text, encoding="utf-8")
    config, base = load_config(path)
    build_pack(config, base, tmp_path / "paket", only=["Globen"])
    karta = tmp_path / "paket" / "lpo" / "globen" / "karta.html"
    page, log = browser_page(karta)  # type: ignore[operator]
    assert log.problems() == []
    # the page's area outlined once, and its neighbouring LPOs (those touching it, computed
    # here from the demo boundaries) drawn lighter with their names
    assert count_paths(page, "path.gt-page-area") == 1
    near = _touching("lpo", "Globen")
    assert near  # Globen has neighbours in the demo
    assert count_paths(page, "path.gt-neighbour") == len(near)
    labels = page.eval_on_selector_all(".gt-name-label", "els => els.map(e => e.textContent)")
    assert sorted(labels) == near
    assert "Globen" in page.locator(".gt-title").inner_text()


def _touching(level: str, name: str) -> list[str]:
    """The areas of ``level`` in the demo boundaries that share a boundary point with ``name``."""
    import geopandas as gpd

    areas = gpd.read_file(DEMO_DIR / "demo_areas.geojson")
    layer = areas[areas["level"] == level]
    own = layer[layer["name"] == name].geometry.union_all()
    return sorted(
        n
        for n, g in zip(layer["name"], layer.geometry, strict=True)
        if n != name and g.intersects(own)
    )


def test_pack_maps_load_their_scripts_from_one_shared_folder(
    tmp_path: Path, browser_page: object
) -> None:
    """By default a pack's maps load Leaflet & co. from OUT/_karta (relative addresses), listed
    in the manifest with checksums; they open with the network cut off."""
    from browser import assets_or_skip

    assets_or_skip()
    config, base = load_config(_example_copy(tmp_path))
    out = tmp_path / "paket"
    build_pack(config, base, out, only=["Globen"])
    shared = sorted(p.name for p in (out / "_karta").iterdir())
    assert any(n.startswith("leaflet-1.9.3-") and n.endswith(".js") for n in shared)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in shared:
        digest = hashlib.sha256((out / "_karta" / name).read_bytes()).hexdigest()
        assert manifest["files"][f"_karta/{name}"] == digest
    karta = out / "lpo" / "globen" / "karta.html"
    html = karta.read_text(encoding="utf-8")
    assert "https://" not in html.split("<body>")[0]  # no CDN in the head
    assert 'src="../../_karta/leaflet-1.9.3-leaflet.js"' in html
    page, log = browser_page(karta)  # type: ignore[operator]
    assert log.problems() == []
    assert log.blocked == []
    assert page.locator("#gt-fallback").count() == 0  # the scripts ran: no fallback sentence


def test_changes_since_the_previous_pack(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    config, base = load_config(_example_copy(tmp_path))
    build_pack(config, base, out)
    first = (out / "andringar.html").read_text(encoding="utf-8")
    assert "Det finns inget tidigare paket" in first
    # the next meeting: one open finding closed, one new finding (a walk on a new day)
    lines = (DEMO_DIR / "demo_findings.csv").read_bytes().decode("utf-8-sig").splitlines()
    status = lines[0].split(";").index("status")
    first_open = next(
        i for i, line in enumerate(lines[1:], 1) if line.split(";")[status] in ("Ny", "Pågående")
    )
    cells = lines[first_open].split(";")
    cells[status] = "Åtgärdad"
    lines[first_open] = ";".join(cells)
    new = lines[1].split(";")
    new[0], new[1] = "Älvsjö centrum 2024-11-20", "2024-11-20"
    lines.append(";".join(new))
    (tmp_path / "findings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    # their ids as the reader gives them (a second reading, not the pack's)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = read_findings(tmp_path / "findings.csv").accepted
    closed_id = str(read.loc[read["source_row"] == first_open + 1, "finding_id"].iloc[0])
    new_id = str(read.loc[read["source_row"] == len(lines), "finding_id"].iloc[0])
    text = (
        (tmp_path / "pack.toml")
        .read_text(encoding="utf-8")
        .replace(f"{DEMO_DIR.as_posix()}/demo_findings.csv", "findings.csv")
    )
    (tmp_path / "pack.toml").write_text(text, encoding="utf-8")
    config, base = load_config(tmp_path / "pack.toml")
    build_pack(config, base, out)
    page = (out / "andringar.html").read_text(encoding="utf-8")
    new_section = page.split("Nya brister")[1].split("</ul>")[0]
    closed_section = page.split("Stängda brister")[1].split("</ul>")[0]
    assert new_id in new_section
    assert closed_id in closed_section
    assert page.split("Nya brister")[1].startswith(" (1)")
    # what the new finding is, in words (the first demo row, closed above, copied to a walk on
    # 2024-11-20: Sprutor, Stadsdelsförvaltningen, Åtgärdad, åtgärdsdatum 2024-09-01,
    # statusdatum 2024-04-27, at 59.276165 N 18.004904 E in Hägersten-Älvsjö and LPO Globen)
    row = new_section.split(f'<th scope="row">{new_id}</th>')[1].split("</tr>")[0]
    assert row == (
        "<td>Hägersten-Älvsjö, Globen</td><td>Narkotika</td>"
        "<td>Sprutor hittade på parkeringen bakom centrumhuset.</td>"
        '<td>Stadsdelsförvaltning</td><td class="date">2024-11-20</td>'
        '<td class="date">2024-09-01</td><td>Åtgärdad</td><td class="date">2024-04-27</td>'
    )


def test_nothing_changed_means_nothing_is_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "paket"
    config, base = load_config(_example_copy(tmp_path))
    first = build_pack(config, base, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build_pack(config, base, out)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    assert all(p["reused"] for p in again.pages)
    assert [p["path"] for p in again.pages] == [p["path"] for p in first.pages]
    assert again.rejected == first.rejected == 2
    # a changed input (one more byte in the events file) is noticed
    with (tmp_path / "events.csv").open("ab") as handle:
        handle.write(b"\n")
    config, base = load_config(tmp_path / "pack.toml")
    third = build_pack(config, base, out)
    assert (out / "manifest.json").stat().st_mtime_ns != stamps[out / "manifest.json"]
    assert all(p["reused"] for p in third.pages)  # the pages themselves did not change


def test_personal_numbers_never_reach_the_pack_and_actors_get_their_lists(tmp_path: Path) -> None:
    import zipfile

    personnummer, phone = "19811218-9876", "070-123 45 67"  # Luhn: 8112189876 checks out
    lines = (DEMO_DIR / "demo_findings.csv").read_bytes().decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = lines[1].split(";")
    cells[header.index("beskrivning")] = f"Ring Anna {phone}, pnr {personnummer}, om lampan."
    lines[1] = ";".join(cells)
    (tmp_path / "findings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    path = _example_copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        f"{DEMO_DIR.as_posix()}/demo_findings.csv", "findings.csv"
    )
    path.write_text(text, encoding="utf-8")
    config, base = load_config(path)
    out = tmp_path / "paket"
    build_pack(config, base, out)
    lists = sorted(p.name for p in (out / "atgardslistor").iterdir())
    # the demo's actors with open findings: each has an Excel list and an HTML list
    assert lists
    assert {n.rsplit(".", 1)[1] for n in lists} == {"xlsx", "html"}
    assert len([n for n in lists if n.endswith(".html")]) == len(
        [n for n in lists if n.endswith(".xlsx")]
    )
    for file in out.rglob("*"):
        if not file.is_file() or file.suffix == ".png":
            continue
        blobs = [file.read_bytes()]
        if file.suffix == ".xlsx":
            with zipfile.ZipFile(file) as archive:
                blobs = [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            assert b"8112189876" not in blob.replace(b"-", b""), file
            assert b"123 45 67" not in blob, file


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_interrupted_builds_leave_the_previous_pack_whole(
    tmp_path: Path, signal_name: str
) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    config = _example_copy(tmp_path)
    out = tmp_path / "paket"
    assert CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"]).exit_code == 0
    old = _files(out)
    # a new period makes every page change, so a full build runs and is interrupted
    text = config.read_text(encoding="utf-8").replace('period = "2024-Q4"', 'period = "2024-Q3"')
    config.write_text(text, encoding="utf-8")
    rng = random.Random(f"{signal_name}-2024")
    command = [sys.executable, "-m", "geo_trygg", "build", str(config), "--out", str(out), "-q"]
    new: dict[str, bytes] | None = None
    for _ in range(4):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))  # somewhere in reading, pages, index or swap
        process.send_signal(getattr(signal, signal_name))
        process.wait(timeout=60)
        # the next run recovers an interrupted swap; the pack is then the old or the new one
        from geo_trygg.pack._store import recover

        recover(out)
        now = _files(out)
        if now != old:
            if new is None:  # the build had finished: it must be a complete pack
                fresh = tmp_path / f"fresh-{signal_name}"
                CliRunner().invoke(main, ["build", str(config), "--out", str(fresh), "-q"])
                new = _pages(fresh)
            assert _pages(out) == new
            return
        assert now == old  # untouched, byte for byte
        assert not any(p.name.endswith(".previous") for p in tmp_path.iterdir())


def test_a_locked_pack_keeps_the_new_one_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, base = load_config(_example_copy(tmp_path))
    out = tmp_path / "paket"
    build_pack(config, base, out)
    old = _files(out)
    real_rename = Path.rename

    def locked(self: Path, target: object) -> Path:
        if self == out:
            raise PermissionError(13, "the file is open in another program", str(self))
        return real_rename(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "rename", locked)
    with pytest.raises(gt_errors.ConfigError, match=r"paket\.ny"):
        build_pack(config, base, out, force=True)
    monkeypatch.undo()
    assert _files(out) == old
    assert (tmp_path / "paket.ny" / "index.html").is_file()


def test_rejected_place_rows_are_listed_too(tmp_path: Path) -> None:
    places = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Torget"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[17.99, 59.27], [18.0, 59.27], [18.0, 59.28], [17.99, 59.27]]
                    ],
                },
            },
            {"type": "Feature", "properties": {"name": "Utan form"}, "geometry": None},
        ],
    }
    (tmp_path / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    config = _config(tmp_path, "")
    text = config.read_text(encoding="utf-8").replace(
        "[inputs]\n", '[inputs]\nplaces = "places.geojson"\n'
    )
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    listed = (out / "avvisade_rader.csv").read_text(encoding="utf-8-sig")
    assert "places.geojson" in listed
    assert len(listed.strip().splitlines()) == 2  # the header and the place without a shape


def test_a_period_without_data_is_refused_naming_what_the_data_cover(tmp_path: Path) -> None:
    path = _config(tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace("2024-Q4", "2019-05"), "utf-8")
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "period = '2019-05'" in result.output
    assert "2024-01-01 – " in result.output  # the demo events start on 2024-01-01
    assert not out.exists()


def test_named_places_get_pages_counted_inside_their_polygons(tmp_path: Path) -> None:
    import geopandas as gpd
    import pandas as pd

    from geo_trygg.io.readers import read_areas, read_events

    path = _example_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('pages = ["stadsdelsomrade", "lpo"]', 'pages = ["place"]'), "utf-8"
    )
    config, base = load_config(path)
    out = tmp_path / "paket"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, out)
        events = read_events(DEMO_DIR / "demo_events.csv").accepted
        places = read_areas(DEMO_DIR / "demo_places.geojson", level="place").accepted
    assert sorted(p["path"] for p in result.pages) == [
        "place/alvsjo-centrum",
        "place/fittja-centrum",
    ]
    # the count on each page against a spatial join of the raw events in 2024-Q4
    start = pd.Timestamp("2024-10-01", tz="Europe/Stockholm")
    end = pd.Timestamp("2025-01-01", tz="Europe/Stockholm")
    q4 = events[(events["time_from"] >= start) & (events["time_from"] < end)]
    joined = gpd.sjoin(q4.to_crs(places.crs), places[["name", "geometry"]], predicate="within")
    expected = joined.groupby("name").size()
    for page in result.pages:
        assert page["n"] == expected[page["area"]], page
        assert isinstance(page["rank"], int)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Prioritet (rang)" in index


def test_without_the_map_assets_the_maps_use_the_cdns_and_the_build_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel install without node_modules: no _karta folder, the maps keep the CDN
    addresses, and one Swedish warning says why."""
    empty = tmp_path / "node_modules"
    empty.mkdir()
    monkeypatch.setenv("GEO_TRYGG_ASSETS", str(empty))
    config, base = load_config(_example_copy(tmp_path))
    out = tmp_path / "paket"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_pack(config, base, out, only=["Globen", "Skärholmen"])
    assert len(result.pages) == 2
    said = [str(w.message) for w in caught if "hittades inte lokalt" in str(w.message)]
    assert len(said) == 1
    assert not (out / "_karta").exists()
    html = (out / "lpo" / "globen" / "karta.html").read_text(encoding="utf-8")
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in html
    assert "_karta" not in html.split("<body>")[0]
