"""Pictures (PNG) of saved maps for printed meeting packs, made by a headless browser.

:func:`find_browser` looks for Chromium, Google Chrome or Microsoft Edge (planners on Windows
have Edge); :func:`map_to_png` runs it from the command line (``--headless --screenshot``)
on a saved HTML map. Nothing is fetched by geo_trygg itself: a self-contained map with
``tiles=None`` needs no network, a map with tiles loads them if the machine is online.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from geo_trygg._errors import ConfigError, GeoTryggError, ReadError
from geo_trygg._labels import msg

__all__ = ["BrowserError", "find_browser", "map_to_png"]

ENV_VAR = "GEO_TRYGG_BROWSER"
PATH_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "chrome",
    "msedge",
)
# Virtual time the page gets before the screenshot: timers and animations (Leaflet's fade and
# zoom) run to completion without waiting for the wall clock.
VIRTUAL_TIME_MS = 5000
_STDERR_TAIL = 2000


class BrowserError(GeoTryggError, RuntimeError):
    """The browser ran but did not produce the picture (its own messages are included)."""


def _install_paths() -> list[Path]:
    """Usual install locations of Chrome, Edge and Chromium on Windows and macOS."""
    out: list[Path] = []
    for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA", "PROGRAMW6432"):
        root = os.environ.get(var)
        if root:
            out += [
                Path(root) / "Microsoft" / "Edge" / "Application" / "msedge.exe",
                Path(root) / "Google" / "Chrome" / "Application" / "chrome.exe",
                Path(root) / "Chromium" / "Application" / "chrome.exe",
            ]
    if sys.platform == "darwin":
        for apps in (Path("/Applications"), Path.home() / "Applications"):
            out += [
                apps / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome",
                apps / "Chromium.app" / "Contents" / "MacOS" / "Chromium",
                apps / "Microsoft Edge.app" / "Contents" / "MacOS" / "Microsoft Edge",
            ]
    return out


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_browser() -> Path:
    """Find a Chromium-based browser to run headless.

    Looks, in this order, at the environment variable ``GEO_TRYGG_BROWSER``; the programs
    chromium, chromium-browser, google-chrome, google-chrome-stable, microsoft-edge (and
    -stable), chrome and msedge on ``PATH``; then the usual install folders of Edge, Chrome and
    Chromium on Windows (Program Files, Program Files (x86), the user's AppData\\Local) and
    macOS (/Applications, ~/Applications).

    Returns
    -------
    Path
        The browser's program.

    Raises
    ------
    ConfigError
        When ``GEO_TRYGG_BROWSER`` does not name a runnable program, or no browser is found
        (the message says what to install and what was looked for; Swedish unless
        ``geo_trygg.settings.lang = "en"``).

    Examples
    --------
    >>> find_browser()  # doctest: +SKIP
    PosixPath('/usr/bin/chromium')
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        resolved = shutil.which(env)
        if resolved is None or not _runnable(Path(resolved)):
            raise ConfigError(msg("maps_browser_env_invalid", value=env))
        return Path(resolved)
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for path in _install_paths():
        if _runnable(path):
            return path
    looked = [f"{ENV_VAR} (not set)", "PATH: " + ", ".join(PATH_NAMES)]
    looked += [str(p) for p in _install_paths()]
    raise ConfigError(msg("maps_browser_missing", looked="; ".join(looked)))


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(msg("maps_png_bad_number", name=name, value=value, low=low, high=high))
    return value


def _tail(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = (text or "").strip()
    return text[-_STDERR_TAIL:] if text else "-"


def _run(command: list[str], timeout: float) -> tuple[int | None, bytes]:
    """Run the browser; (exit code, stderr), exit code None after a timeout.

    The browser starts helper processes; on a timeout the whole process group (POSIX) is
    stopped so none is left running.
    """
    posix = os.name == "posix"
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=posix,
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        _, stderr = proc.communicate()
        return None, stderr
    return proc.returncode, stderr


def browser_command(browser: Path, url: str, png: Path, width: int, height: int) -> list[str]:
    """The browser's command line for one screenshot (fixed flags, fixed order)."""
    command = [
        str(browser),
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--mute-audio",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--force-device-scale-factor=1",
        "--force-color-profile=srgb",
        "--run-all-compositor-stages-before-draw",
        f"--window-size={width},{height}",
        f"--virtual-time-budget={VIRTUAL_TIME_MS}",
        f"--screenshot={png}",
    ]
    if sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return [*command, url]


def map_to_png(
    path_html: str | Path,
    path_png: str | Path,
    width: int = 1600,
    height: int = 1000,
    *,
    timeout: float = 60,
    browser: str | Path | None = None,
) -> Path:
    """Write a PNG picture of a saved HTML map, made by a headless Chromium, Chrome or Edge.

    The browser gets a fresh profile in a temporary folder, removed afterwards, and a fixed
    set of flags, so the same map gives the same picture. Nothing is downloaded: a
    self-contained map with ``tiles=None`` needs no network.

    Parameters
    ----------
    path_html : str or Path
        The saved map.
    path_png : str or Path
        Where to write the picture; its folder must exist. Replaced when present.
    width, height : int
        Size of the picture in pixels (100 to 10,000).
    timeout : float
        Seconds to wait for the browser before stopping it; a browser that hangs is stopped
        and started once more before giving up.
    browser : str or Path, optional
        The browser's program; default :func:`find_browser`.

    Returns
    -------
    Path
        ``path_png``.

    Raises
    ------
    ConfigError
        For a bad width, height, timeout or browser, a ``path_png`` whose folder does not
        exist, or when no browser is found.
    ReadError
        When ``path_html`` does not exist.
    BrowserError
        When the browser fails, times out or writes no picture (with the end of its output).

    Examples
    --------
    >>> map_to_png("karta.html", "karta.png", width=1600, height=1000)  # doctest: +SKIP
    PosixPath('karta.png')
    """
    width = _check_int("width", width, 100, 10_000)
    height = _check_int("height", height, 100, 10_000)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ConfigError(msg("maps_png_bad_timeout", value=timeout))
    if browser is not None:
        resolved = shutil.which(str(browser))
        if resolved is None or not _runnable(Path(resolved)):
            raise ConfigError(msg("maps_browser_arg_invalid", value=str(browser)))
        program = Path(resolved)
    else:
        program = find_browser()
    html = Path(path_html)
    if not html.is_file():
        raise ReadError(msg("io_file_missing", path=str(html)))
    out = Path(path_png)
    if not out.parent.is_dir():
        raise ConfigError(msg("maps_png_folder_missing", value=str(out)))
    with tempfile.TemporaryDirectory(prefix="geo_trygg_png_", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        shot = work / "map.png"
        command = browser_command(program, html.resolve().as_uri(), shot, width, height)
        command.insert(1, f"--user-data-dir={work / 'profile'}")
        code, stderr = _run(command, timeout)
        if code is None:  # headless Chromium now and then hangs at start: one more try
            code, stderr = _run(command, timeout)
        if code is None:
            raise BrowserError(
                msg(
                    "maps_browser_timeout",
                    browser=program,
                    path=html,
                    timeout=timeout,
                    tail=_tail(stderr),
                )
            )
        if code != 0:
            raise BrowserError(
                msg(
                    "maps_browser_failed",
                    browser=program,
                    path=html,
                    code=code,
                    tail=_tail(stderr),
                )
            )
        if not shot.is_file() or shot.stat().st_size == 0:
            raise BrowserError(
                msg("maps_browser_no_png", browser=program, path=html, tail=_tail(stderr))
            )
        shutil.move(str(shot), str(out))
    return out
