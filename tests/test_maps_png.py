"""map_to_png and find_browser (maps/_png.py): size, pixels, flags, errors, clean-up.

Real screenshots need a browser and the npm assets (skipped without them, except under
GEO_TRYGG_REQUIRE_BROWSER=1); the flag, error and time-out checks use small fake browsers
(shell scripts) and run everywhere with a POSIX shell.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import folium
import pytest
from browser import assets_or_skip, browser_or_skip

from geo_trygg import settings
from geo_trygg._errors import ConfigError, ReadError
from geo_trygg.maps._assets import inline_assets
from geo_trygg.maps._png import BrowserError, find_browser, map_to_png

posix_only = pytest.mark.skipif(os.name != "posix", reason="fake browsers are shell scripts")

RED = (255, 0, 0)
LEAFLET_BACKGROUND = (221, 221, 221)  # .leaflet-container background #ddd in leaflet.css


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8
    assert colour in (2, 6)
    assert interlace == 0
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, up_left = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(b for i, b in enumerate(line) if i % step < 3))
        prev = line
    return width, height, rows


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, int, int]:
    r, g, b = rows[y][3 * x : 3 * x + 3]
    return (r, g, b)


@pytest.fixture(scope="module")
def red_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-contained map, no tiles, with a red square filling the middle of the view."""
    assets_or_skip()
    m = folium.Map(location=[59.3, 18.0], zoom_start=14, tiles=None, zoom_control=False)
    square = [[59.295, 17.99], [59.295, 18.01], [59.305, 18.01], [59.305, 17.99]]
    folium.Polygon(
        square, color="#ff0000", fill=True, fill_color="#ff0000", fill_opacity=1
    ).add_to(m)
    path = tmp_path_factory.mktemp("png") / "red.html"
    path.write_text(inline_assets(m.get_root().render()), encoding="utf-8")
    return path


def test_png_of_requested_size_with_the_red_square(red_map: Path, tmp_path: Path) -> None:
    browser_or_skip()
    out = map_to_png(red_map, tmp_path / "red.png", width=640, height=400)
    assert out == tmp_path / "red.png"
    width, height, rows = read_png(out)
    assert (width, height) == (640, 400)
    assert pixel(rows, 320, 200) == RED  # the square is in the middle
    assert pixel(rows, 5, 5) == LEAFLET_BACKGROUND  # nothing at the corner
    reds = sum(row[i : i + 3] == bytes(RED) for row in rows for i in range(0, len(row), 3))
    assert reds > 0.05 * width * height
    # the same map gives the same picture
    again = map_to_png(red_map, tmp_path / "again.png", width=640, height=400)
    assert read_png(again)[2] == rows


def browser_temp_files() -> set[str]:
    """Entries of the system temp folder that a browser run could leave."""
    names = os.listdir(tempfile.gettempdir())
    return {n for n in names if "chrom" in n.lower() or n.startswith("geo_trygg")}


def test_no_temporary_files_left(red_map: Path, tmp_path: Path, monkeypatch) -> None:
    browser_or_skip()
    before = browser_temp_files()
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where map_to_png makes its folder
    map_to_png(red_map, tmp_path / "x.png", width=300, height=200)
    assert list(temp.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["temp", "x.png"]
    monkeypatch.undo()
    assert browser_temp_files() <= before


# --- finding the browser ---------------------------------------------------------------------


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def no_browser(tmp_path: Path, monkeypatch) -> Path:
    """An environment with no browser anywhere; returns an empty folder that is PATH."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for var in ("GEO_TRYGG_BROWSER", "PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("PROGRAMW6432", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    return empty


def test_no_browser_is_a_clear_error_in_swedish_and_english(no_browser: Path, monkeypatch):
    with pytest.raises(ConfigError) as err:
        find_browser()
    text = str(err.value)
    assert "ingen webbläsare hittades" in text
    assert "GEO_TRYGG_BROWSER" in text
    assert "Microsoft Edge" in text
    assert "chromium" in text
    monkeypatch.setattr(settings, "lang", "en")
    with pytest.raises(ConfigError, match=r"no web browser was found.*GEO_TRYGG_BROWSER"):
        find_browser()
    with pytest.raises(ConfigError, match="no web browser"):
        map_to_png("karta.html", "karta.png")


@posix_only
def test_browser_search_order(no_browser: Path, tmp_path: Path, monkeypatch) -> None:
    edge = executable(tmp_path / "pf86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "pf86"))
    assert find_browser() == edge  # Windows install folder when nothing is on PATH
    executable(no_browser / "google-chrome")
    assert find_browser() == no_browser / "google-chrome"  # PATH before install folders
    executable(no_browser / "chromium")
    assert find_browser() == no_browser / "chromium"  # chromium first on PATH
    mine = executable(tmp_path / "my" / "browser")
    monkeypatch.setenv("GEO_TRYGG_BROWSER", str(mine))
    assert find_browser() == mine  # the environment variable first
    monkeypatch.setenv("GEO_TRYGG_BROWSER", str(tmp_path / "saknas.exe"))
    with pytest.raises(ConfigError, match=r"GEO_TRYGG_BROWSER=.*saknas\.exe"):
        find_browser()


# --- the command line, failures and time-outs (fake browsers) --------------------------------

WRITES_PNG = """#!/bin/sh
printf '%s\\n' "$@" > "{log}"
for a in "$@"; do
  case "$a" in --screenshot=*) printf 'PNGDATA' > "${{a#--screenshot=}}";; esac
done
"""


@posix_only
def test_command_line_flags(tmp_path: Path) -> None:
    log = tmp_path / "args.txt"
    fake = executable(tmp_path / "fake", WRITES_PNG.format(log=log))
    html = tmp_path / "karta.html"
    html.write_text("<p>karta</p>")
    out = map_to_png(html, tmp_path / "karta.png", width=800, height=500, browser=fake)
    assert out.read_bytes() == b"PNGDATA"
    args = log.read_text().splitlines()
    assert args[-1] == html.resolve().as_uri()
    for flag in ("--headless", "--hide-scrollbars", "--window-size=800,500"):
        assert flag in args
    assert any(a.startswith("--virtual-time-budget=") for a in args)
    assert any(a.startswith("--user-data-dir=") for a in args)
    assert ("--no-sandbox" in args) == (sys.platform.startswith("linux") and os.geteuid() == 0)
    first = [a for a in args if not a.startswith(("--user-data-dir=", "--screenshot="))]
    map_to_png(html, tmp_path / "igen.png", width=800, height=500, browser=fake)
    second = list(log.read_text().splitlines())
    assert first == [a for a in second if not a.startswith(("--user-data-dir=", "--screenshot="))]


@posix_only
def test_browser_failure_shows_its_messages(tmp_path: Path) -> None:
    html = tmp_path / "karta.html"
    html.write_text("<p>karta</p>")
    failing = executable(
        tmp_path / "fail", "#!/bin/sh\necho 'first line' >&2\necho 'boom: GPU' >&2\nexit 3\n"
    )
    with pytest.raises(BrowserError, match=r"(?s)slutkod 3.*boom: GPU"):
        map_to_png(html, tmp_path / "x.png", browser=failing)
    silent = executable(tmp_path / "silent", "#!/bin/sh\necho 'did nothing' >&2\n")
    with pytest.raises(BrowserError, match=r"(?s)utan att skriva.*did nothing"):
        map_to_png(html, tmp_path / "x.png", browser=silent)
    assert not (tmp_path / "x.png").exists()


@posix_only
def test_time_out_stops_the_browser_and_its_helpers(tmp_path: Path) -> None:
    html = tmp_path / "karta.html"
    html.write_text("<p>karta</p>")
    pid_file = tmp_path / "helper.pid"
    hanging = executable(
        tmp_path / "hang", f"#!/bin/sh\nsleep 30 &\necho $! > {pid_file}\necho started >&2\nwait\n"
    )
    start = time.monotonic()
    with pytest.raises(BrowserError, match=r"(?s)inom 1 sekunder.*started"):
        map_to_png(html, tmp_path / "x.png", timeout=1, browser=hanging)
    assert time.monotonic() - start < 10
    helper = int(pid_file.read_text())
    time.sleep(0.2)
    assert not running(helper)  # the helper process was stopped too


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent to reap it does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat_file = Path(f"/proc/{pid}/stat")
    if stat_file.exists():
        return stat_file.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"width": 0}, "width"),
        ({"height": 20_000}, "height"),
        ({"width": 12.5}, "width"),
        ({"height": True}, "height"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "60"}, "timeout"),
        ({"browser": "/finns/inte"}, "browser"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict, name: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=rf"{name}="):
        map_to_png(tmp_path / "karta.html", tmp_path / "x.png", **kwargs)


@posix_only
def test_missing_html_or_folder(tmp_path: Path) -> None:
    fake = executable(tmp_path / "fake")
    with pytest.raises(ReadError, match=r"saknas\.html"):
        map_to_png(tmp_path / "saknas.html", tmp_path / "x.png", browser=fake)
    html = tmp_path / "karta.html"
    html.write_text("<p>karta</p>")
    with pytest.raises(ConfigError, match=r"path_png=.*mappen finns inte"):
        map_to_png(html, tmp_path / "ny" / "x.png", browser=fake)
