"""Pack folders (issue 11, items 4, 5 and 7): unique portable page folders, area names that
differ only in spacing or Unicode form refused, a lock on ``--out``, "nothing changed" that
checks every page, workers that die with a killed build, leftovers removed by the next run,
and public manifests without paths or input hashes."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import geo_trygg.pack._store as store_module
from geo_trygg._errors import ConfigError
from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR
from geo_trygg.pack import build_pack, load_config
from geo_trygg.pack._names import slug, unique_names

DEVICES = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
"""Windows device names, written out here (any extension is reserved too)."""
EVENTS = f"{DEMO_DIR.as_posix()}/demo_events.csv"


def _portable(name: str) -> bool:
    """A folder or file stem every common file system takes: a-z, 0-9 and inner hyphens, at
    most 80 characters, not a Windows device name."""
    return (
        re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) is not None
        and len(name) <= 80
        and name not in DEVICES
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _pages(folder: Path) -> dict[str, bytes]:
    return {
        k: v for k, v in _files(folder).items() if k not in ("andringar.html", "manifest.json")
    }


def _areas(folder: Path, features: list[tuple[str, str]], file: str = "areas.geojson") -> Path:
    """A GeoJSON of (id, name) squares of 0.004° in a row over Älvsjö, where the demo
    events are."""
    out = []
    for i, (area_id, name) in enumerate(features):
        x0, y0 = 18.000 + 0.004 * (i % 5), 59.268 + 0.004 * (i // 5)
        ring = [[x0, y0], [x0 + 0.004, y0], [x0 + 0.004, y0 + 0.004], [x0, y0 + 0.004], [x0, y0]]
        out.append(
            {
                "type": "Feature",
                "properties": {"id": area_id, "namn": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path = folder / file
    data = {"type": "FeatureCollection", "features": out}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _config(
    folder: Path, areas: str, *, pages: str = '["lpo"]', extra: str = "", events: str = EVENTS
) -> Path:
    path = folder / "pack.toml"
    path.write_text(
        f"""period = "2024-Q4"
pages = {pages}
png = false
{extra}
[inputs]
events = "{events}"
areas = [{areas}]
""",
        encoding="utf-8",
    )
    return path


# --- item 4: folder names ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    names=st.sets(st.text(min_size=0, max_size=120), max_size=12),
    extra=st.text(max_size=40),
)
def test_folder_names_are_unique_portable_and_stable(names: set[str], extra: str) -> None:
    folders = unique_names(names)
    assert set(folders) == names
    assert len(set(folders.values())) == len(names)  # unique within the level
    assert all(_portable(f) for f in folders.values())
    assert unique_names(sorted(names, reverse=True)) == folders  # order does not matter
    # adding a name renames no other folder, except a name with the same slug that sorted
    # after it (then the new name takes the plain slug); the new name is a plain slug
    # (never one of the hex-suffixed forms) in this property
    if extra in names or re.search(r"-[0-9a-f]{8}", slug(extra)):
        return
    more = unique_names(names | {extra})
    base = slug(extra)[:60].rstrip("-") or "omrade"
    for name, folder in folders.items():
        same_base = (slug(name)[:60].rstrip("-") or "omrade") == base
        if not (same_base and extra < name):
            assert more[name] == folder, (name, extra)


def test_folder_names_of_the_known_collisions() -> None:
    names = ["Älvsjö", "Alvsjo", "ALVSJÖ", "Globen", "GLOBEN", "!!!", ".", "..", "???"]
    folders = unique_names([*names, "CON", "NUL", "COM1", "lpt9", "x" * 300])

    def h(name: str) -> str:
        return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]

    # the first name in code point order keeps the plain slug, the others get a hash suffix
    assert folders["ALVSJÖ"] == "alvsjo"  # "AL" < "Al" < "Äl"
    assert folders["Alvsjo"] == f"alvsjo-{h('Alvsjo')}"
    assert folders["Älvsjö"] == f"alvsjo-{h('Älvsjö')}"
    assert folders["GLOBEN"] == "globen"
    assert folders["Globen"] == f"globen-{h('Globen')}"
    assert folders["!!!"] == "omrade"  # "!" < "." < "?"
    assert {folders[n] for n in (".", "..", "???")} == {
        f"omrade-{h(n)}" for n in (".", "..", "???")
    }
    for device in ("CON", "NUL", "COM1", "lpt9"):
        assert folders[device] == f"{device.lower()}-{h(device)}"
    assert folders["x" * 300] == "x" * 60


def _index_rows(index: str) -> list[tuple[str, str]]:
    """(area as shown, page folder) of each row of the index."""
    rows = []
    for chunk in index.split("<tr><td>")[1:]:
        row = chunk.split("</tr>")[0]
        area = html.unescape(row.split("</td>")[0])
        link = re.search(r'<a href="([^"]+)/karta\.html">', row)
        assert link, row
        rows.append((area, link.group(1)))
    return rows


def test_names_folding_to_one_folder_get_a_page_each(tmp_path: Path) -> None:
    names = ["Älvsjö", "Alvsjo", "ALVSJÖ", "Globen", "GLOBEN", "!!!", ".", "..", "???"]
    names += ["CON", "NUL", "COM1", "x" * 300]
    _areas(tmp_path, [(f"a{i}", name) for i, name in enumerate(names)])
    config, base = load_config(_config(tmp_path, '{ path = "areas.geojson", level = "lpo" }'))
    out = tmp_path / "paket"
    result = build_pack(config, base, out)
    assert result.failed == []
    # names in capitals only are shown as people write them, except GLOBEN, which would
    # become the other area Globen and keeps its spelling
    shown = ["Älvsjö", "Alvsjo", "Alvsjö", "Globen", "GLOBEN", "!!!", ".", "..", "???"]
    shown += ["Con", "Nul", "Com1", "x" * 300]
    assert sorted(p["area"] for p in result.pages) == sorted(shown)
    folders = sorted(p.name for p in (out / "lpo").iterdir())
    assert len(folders) == len(names)  # 13 names, 13 folders
    assert all(_portable(f) for f in folders)
    # every index row links to the page of its own area (the map's title names it)
    rows = _index_rows((out / "index.html").read_text(encoding="utf-8"))
    assert sorted(area for area, _ in rows) == sorted(shown)
    for area, folder in rows:
        page = (out / folder / "karta.html").read_text(encoding="utf-8")
        assert f"<title>Lägesbild – {html.escape(area)}</title>" in page, (area, folder)
        assert {"karta.html", "lagesbild.html", "lagesbild.xlsx"} <= {
            p.name for p in (out / folder).iterdir()
        }
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["pages"]) == sorted(f"lpo/{f}" for f in folders)


NFC_A = unicodedata.normalize("NFC", "Å")
NFD_A = unicodedata.normalize("NFD", "Å")


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        ("Globen", " Globen", ("'Globen'", "'\\x20Globen'")),
        ("a b", "a\tb", ("'a b'", "'a\\tb'")),
        ("a b", "a  b", ("'a b'", "'a\\x20\\x20b'")),
        (NFC_A, NFD_A, ("'Å'", "'A\\u030a'")),
    ],
)
def test_names_differing_only_in_spacing_or_form_are_refused_before_work(
    tmp_path: Path, first: str, second: str, shown: tuple[str, str]
) -> None:
    _areas(tmp_path, [("g1", first), ("g2", second), ("g3", "Solberga")])
    config = _config(tmp_path, '{ path = "areas.geojson", level = "lpo" }')
    out = tmp_path / "paket"
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "skiljer sig bara i mellanrum eller Unicode-form" in text
    assert shown[0] in text
    assert shown[1] in text
    assert "areas.geojson" in text
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["areas.geojson", "pack.toml"]


def test_names_differing_only_in_form_are_one_area_when_their_id_says_so(tmp_path: Path) -> None:
    _areas(tmp_path, [("x", NFC_A), ("y", "Solberga")], file="one.geojson")
    _areas(tmp_path, [("x", NFD_A + " ")], file="two.geojson")
    areas = '{ path = "one.geojson", level = "lpo" }, { path = "two.geojson", level = "lpo" }'
    config, base = load_config(_config(tmp_path, areas))
    result = build_pack(config, base, tmp_path / "paket")
    assert sorted((p["area"], p["path"]) for p in result.pages) == [
        ("Solberga", "lpo/solberga"),
        (NFC_A, "lpo/a"),
    ]


def test_action_list_file_names_are_portable(tmp_path: Path) -> None:
    import pandas as pd

    from geo_trygg.pack._actions import action_lists

    actors = ["CON", "con", "Nul", "x" * 300, "Okänd ansvarig"]
    findings = pd.DataFrame(
        {
            "finding_id": [f"f{i}" for i in range(len(actors) + 1)],
            "walk_date": pd.to_datetime(["2024-03-05"] * (len(actors) + 1)),
            "status": ["new"] * (len(actors) + 1),
            "deadline": pd.to_datetime(["2024-05-01"] * (len(actors) + 1)),
            "status_date": pd.to_datetime(["2024-03-05"] * (len(actors) + 1)),
            "responsible_actor": [*actors, None],
        }
    )
    paths = action_lists(findings, as_of="2024-06-30", folder=tmp_path, mask=False)
    stems = sorted({p.stem for p in paths})
    assert len(stems) == len(actors) + 1  # one list per actor, none overwritten
    assert all(_portable(s) for s in stems)

    def h(name: str) -> str:
        return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]

    assert stems == sorted(
        [
            f"con-{h('CON')}",
            f"con-{h('con')}",
            f"nul-{h('Nul')}",
            "x" * 60,
            f"okand-ansvarig-{h('Okänd ansvarig')}",
            "okand-ansvarig",
        ]
    )


# --- item 5: builds that cannot collide ----------------------------------------------------


def _small(
    tmp_path: Path, extra: str = "", events: str = EVENTS, pages: str = '["stadsdel", "lpo"]'
) -> Path:
    """Events on the demo's stadsdelar and LPOs: nine pages (three with only LPOs)."""
    areas = f'{{ path = "{DEMO_DIR.as_posix()}/demo_areas.geojson" }}'
    return _config(tmp_path, areas, pages=pages, extra=extra, events=events)


def test_a_pack_missing_a_page_folder_is_never_unchanged(tmp_path: Path) -> None:
    config, base = load_config(_small(tmp_path))
    out = tmp_path / "paket"
    build_pack(config, base, out)
    whole = _pages(out)
    # what two builds into one folder left: a page folder gone, and a manifest that lists
    # only the files that were there (all present with their checksums)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in list(manifest["files"]):
        if name.startswith("lpo/globen/"):
            del manifest["files"][name]
            (out / name).unlink()
    (out / "lpo" / "globen").rmdir()
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = build_pack(config, base, out)
    assert {p["path"]: p["reused"] for p in again.pages}["lpo/globen"] is False
    assert _pages(out) == whole


def test_leftovers_of_a_killed_run_go_also_when_nothing_changed(tmp_path: Path) -> None:
    config, base = load_config(_small(tmp_path))
    out = tmp_path / "paket"
    build_pack(config, base, out)
    before = _files(out)
    leftover = tmp_path / ".paket.building" / "lpo" / "globen"
    leftover.mkdir(parents=True)
    (leftover / "karta.html").write_text("half", encoding="utf-8")
    (tmp_path / ".paket.lock").write_text("12345", encoding="utf-8")  # a killed run's lock
    again = build_pack(config, base, out)
    assert all(p["reused"] for p in again.pages)  # nothing changed
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_held_lock_stops_a_second_build_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _small(tmp_path)
    out = tmp_path / "paket"
    monkeypatch.setattr(store_module, "LOCK_WAIT", 0.3)
    with store_module.pack_lock(out):  # another build holds the pack
        result = CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"ett annat bygge skriver redan till {out}" in text
    assert ".paket.lock" in text
    assert not out.exists()
    # once the lock is free the build runs, and leaves no lock file behind
    result = CliRunner().invoke(main, ["build", str(config), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".paket.lock").exists()


def _command(config: Path, out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "geo_trygg", "build", str(config), "--out", str(out), *args]


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_two_builds_at_once_end_with_one_whole_pack(tmp_path: Path) -> None:
    config = _small(tmp_path, pages='["lpo"]')
    out = tmp_path / "paket"
    runs = [
        subprocess.Popen(
            _command(config, out, "-q"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        for _ in range(2)
    ]
    outcomes = [(run.wait(timeout=300), run.communicate()) for run in runs]
    codes = [code for code, _ in outcomes]
    assert 0 in codes, outcomes
    for code, (_, err) in outcomes:  # the other waited and ran, or stopped with the message
        if code != 0:
            assert code == 2
            assert "ett annat bygge skriver redan till" in " ".join(err.decode().split())
    fresh = tmp_path / "fresh"
    cfg, base = load_config(config)
    build_pack(cfg, base, fresh)
    assert _pages(out) == _pages(fresh)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _children(pid: int) -> dict[int, str]:
    """Child processes of ``pid``: process id → state letter, read from /proc."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            out[int(entry.name)] = fields[0]
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_parallel_build_kills_its_workers(tmp_path: Path) -> None:
    config = _small(tmp_path)
    out = tmp_path / "paket"
    cfg, base = load_config(config)
    build_pack(cfg, base, out)
    before = _files(out)
    process = subprocess.Popen(
        _command(config, out, "-q", "--force", "--jobs", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    building = tmp_path / ".paket.building"
    deadline = time.monotonic() + 120
    workers: dict[int, str] = {}
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= 2 and (building / "stadsdel").is_dir():  # pages being written
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it was killed"
    assert len(workers) >= 2
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    gone_by = time.monotonic() + 5
    while time.monotonic() < gone_by and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), workers
    # the next run (nothing changed) removes what the killed one left, keeps the pack
    again = build_pack(cfg, base, out)
    assert all(p["reused"] for p in again.pages)
    assert not building.exists()
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# --- item 7: public manifests --------------------------------------------------------------


def test_a_public_manifest_names_inputs_by_label_only(tmp_path: Path) -> None:
    # the demo events and one event without coordinates (a rejected row)
    events = tmp_path / "handelser_hemliga.csv"
    bad = b"XX-0001;2024-11-05 21:10;;Brand i soprum;Bostadsbolaget;Fittja centrum;Brand.;;\n"
    events.write_bytes((DEMO_DIR / "demo_events.csv").read_bytes() + bad)
    config_path = _small(tmp_path, extra='privacy = "public"', events=events.name)
    config, base = load_config(config_path)
    out = tmp_path / "paket"
    first = build_pack(config, base, out)
    assert not any(p["reused"] for p in first.pages)
    text = (out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    inputs = {"events": events, "areas[0]": DEMO_DIR / "demo_areas.geojson"}
    for path in inputs.values():
        assert path.name not in text
        assert path.stem not in text
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in text
    assert str(DEMO_DIR) not in text
    assert str(tmp_path) not in text
    assert manifest["inputs"] == {
        "events": {"key": "inputs.events"},
        "areas[0]": {"key": "inputs.areas[0]"},
    }
    # the only hashes are the published files' checksums
    assert set(re.findall(r"[0-9a-f]{64}", text)) == set(manifest["files"].values())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    # the rejected rows name the input by its key
    rejected = (out / "avvisade_rader.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rejected) == 2
    assert rejected[1].startswith("inputs.events;")
    # what "nothing changed" needs is kept beside the pack, outside the published folder
    state = json.loads((tmp_path / ".paket.state.json").read_text(encoding="utf-8"))
    assert state["published"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for key, path in inputs.items():
        assert state["inputs"][key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build_pack(config, base, out)
    assert all(p["reused"] for p in again.pages)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    # without its state the pack is built again (never taken as unchanged on trust)
    (tmp_path / ".paket.state.json").unlink()
    third = build_pack(config, base, out)
    assert not any(p["reused"] for p in third.pages)
    assert (tmp_path / ".paket.state.json").is_file()
    # an internal pack into the same folder removes the public pack's state
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace('privacy = "public"', ""),
        encoding="utf-8",
    )
    config, base = load_config(config_path)
    build_pack(config, base, out)
    assert not (tmp_path / ".paket.state.json").exists()
    internal = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (
        internal["inputs"]["events"]["sha256"]
        == hashlib.sha256(inputs["events"].read_bytes()).hexdigest()
    )


def test_a_missing_lock_folder_is_made(tmp_path: Path) -> None:
    out = tmp_path / "new" / "paket"
    with store_module.pack_lock(out) as lock:
        assert lock == tmp_path / "new" / ".paket.lock"
        assert lock.is_file()
    assert not lock.exists()
    # a second holder is refused, also in this process
    with (
        pytest.raises(ConfigError),
        store_module.pack_lock(out),
        store_module.pack_lock(out, wait=0.2),
    ):
        pass
