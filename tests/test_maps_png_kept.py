"""keep_browser (maps/_png.py): one headless browser per process for many pictures, the same
pictures as one browser per picture, and no browser or profile left afterwards — at the end
of the block, on an error, in forked workers, after a crash and when the driving process dies.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import folium
import pytest
from browser import assets_or_skip, browser_or_skip
from test_maps_png import LEAFLET_BACKGROUND, RED, pixel, read_png

import geo_trygg.maps._png as png_module
from geo_trygg.maps import keep_browser, map_to_png
from geo_trygg.maps._assets import inline_assets
from geo_trygg.maps._png import BrowserError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the kept browser is POSIX only")


def _map(folder: Path, name: str, colour: str) -> Path:
    """A self-contained map, no tiles, with a square of ``colour`` in the middle of the view."""
    m = folium.Map(location=[59.3, 18.0], zoom_start=14, tiles=None, zoom_control=False)
    square = [[59.295, 17.99], [59.295, 18.01], [59.305, 18.01], [59.305, 17.99]]
    folium.Polygon(square, color=colour, fill=True, fill_color=colour, fill_opacity=1).add_to(m)
    path = folder / f"{name}.html"
    path.write_text(inline_assets(m.get_root().render()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    browser_or_skip()
    assets_or_skip()
    folder = tmp_path_factory.mktemp("kept")
    return _map(folder, "red", "#ff0000"), _map(folder, "blue", "#0000ff")


def _processes_with(text: str) -> list[int]:
    """Ids of the running processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in line and state != "Z":
            found.append(int(entry.name))
    return found


def _gone(text: str, seconds: float = 10) -> bool:
    end = time.monotonic() + seconds
    while _processes_with(text):
        if time.monotonic() > end:
            return False
        time.sleep(0.2)
    return True


linux_only = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder moved into ``tmp_path`` (where the browser's profile goes)."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_same_pictures_as_one_browser_per_picture(maps: tuple[Path, Path], tmp_path: Path) -> None:
    red, blue = maps
    map_to_png(red, tmp_path / "alone.png", width=300, height=200)
    with keep_browser():
        for i in range(3):
            map_to_png(red if i % 2 == 0 else blue, tmp_path / f"{i}.png", width=300, height=200)
        map_to_png(red, tmp_path / "wide.png", width=400, height=150)
    assert png_module._KEPT is None  # closed at the end of the block
    alone = read_png(tmp_path / "alone.png")
    first = read_png(tmp_path / "0.png")
    assert first[:2] == alone[:2] == (300, 200)
    for rows in (first[2], alone[2]):
        assert pixel(rows, 150, 100) == RED
        assert pixel(rows, 5, 5) == LEAFLET_BACKGROUND
    assert (tmp_path / "0.png").read_bytes() == (tmp_path / "2.png").read_bytes()
    w, h, rows = read_png(tmp_path / "1.png")
    assert (w, h) == (300, 200)
    assert pixel(rows, 150, 100) == (0, 0, 255)
    assert pixel(rows, 5, 5) == LEAFLET_BACKGROUND
    w, h, rows = read_png(tmp_path / "wide.png")
    assert (w, h) == (400, 150)
    assert pixel(rows, 200, 75) == RED


@linux_only
def test_nothing_left_after_the_block_or_an_error(maps: tuple[Path, Path], temp: Path) -> None:
    red, _ = maps
    with keep_browser():
        map_to_png(red, temp.parent / "a.png", width=200, height=150)
        kept = png_module._KEPT
        assert kept is not None
        assert _processes_with(str(temp))  # the browser is running, its profile in temp
    assert _gone(str(temp))
    assert list(temp.iterdir()) == []

    def interrupted() -> None:
        with keep_browser():
            map_to_png(red, temp.parent / "b.png", width=200, height=150)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert _gone(str(temp))
    assert list(temp.iterdir()) == []


@linux_only
def test_a_crashed_browser_is_started_again(maps: tuple[Path, Path], temp: Path) -> None:
    red, _ = maps
    with keep_browser():
        map_to_png(red, temp.parent / "a.png", width=200, height=150)
        kept = png_module._KEPT
        assert kept is not None
        os.killpg(kept.proc.pid, signal.SIGKILL)
        kept.proc.wait()
        map_to_png(red, temp.parent / "b.png", width=200, height=150)
        assert png_module._KEPT is not kept
    assert (temp.parent / "a.png").read_bytes() == (temp.parent / "b.png").read_bytes()
    assert _gone(str(temp))
    assert list(temp.iterdir()) == []


def _picture(task: tuple[str, str]) -> int:
    map_to_png(task[0], task[1], width=200, height=150)
    return os.getpid()


@linux_only
def test_forked_workers_keep_and_close_their_own(maps: tuple[Path, Path], temp: Path) -> None:
    red, blue = maps
    tasks = [(str(red if i % 2 else blue), str(temp.parent / f"{i}.png")) for i in range(4)]
    with keep_browser():
        fork = multiprocessing.get_context("fork")
        with fork.Pool(2) as pool:
            pids = pool.map(_picture, tasks, chunksize=1)
            pool.close()
            pool.join()
        assert png_module._KEPT is None  # the parent made no picture: no browser of its own
    assert os.getpid() not in pids
    assert _gone(str(temp))
    assert list(temp.iterdir()) == []
    assert (temp.parent / "1.png").read_bytes() == (temp.parent / "3.png").read_bytes()
    assert read_png(temp.parent / "0.png")[2] == read_png(temp.parent / "2.png")[2]


@linux_only
def test_the_browser_dies_with_the_process_that_drives_it(
    maps: tuple[Path, Path], tmp_path: Path
) -> None:
    red, _ = maps
    temp = tmp_path / "temp"
    temp.mkdir()
    script = textwrap.dedent(
        f"""
        import sys, tempfile, time
        tempfile.tempdir = {str(temp)!r}
        from geo_trygg.maps import keep_browser, map_to_png
        with keep_browser():
            map_to_png({str(red)!r}, {str(tmp_path / "x.png")!r}, width=200, height=150)
            print("ready", flush=True)
            time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env={**os.environ}, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        assert _processes_with(str(temp))
        proc.kill()
        proc.wait()
        assert _gone(str(temp))
    finally:
        proc.kill()
        proc.wait()


def test_a_browser_that_never_answers_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GEO_TRYGG_BROWSER", str(fake))
    html = tmp_path / "x.html"
    html.write_text("<html></html>", encoding="utf-8")
    with keep_browser(), pytest.raises(BrowserError) as caught:
        map_to_png(html, tmp_path / "x.png", width=200, height=150)
    text = str(caught.value)
    assert str(fake) in text
    assert "x.html" in text
    assert "the browser closed its pipe" in text or "Broken pipe" in text
    assert not (tmp_path / "x.png").exists()
    assert png_module._KEPT is None
