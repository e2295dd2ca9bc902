"""Pictures (PNG) of saved maps for printed meeting packs, made by a headless browser.

:func:`find_browser` looks for Chromium, Google Chrome or Microsoft Edge (planners on Windows
have Edge); :func:`map_to_png` runs it from the command line (``--headless --screenshot``)
on a saved HTML map. Within :func:`keep_browser` (a pack's build) one browser per process
stays open and is driven through the DevTools protocol on a pipe, one page after the other,
instead of a new browser per picture. Nothing is fetched by geo_trygg itself: a
self-contained map with ``tiles=None`` needs no network, a map with tiles loads them if the
machine is online.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo_trygg._errors import ConfigError, GeoTryggError, ReadError
from geo_trygg._labels import msg

__all__ = ["BrowserError", "find_browser", "keep_browser", "map_to_png"]

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
        The browser's program; default :func:`find_browser`. Within :func:`keep_browser`
        (POSIX only) the default browser is kept open between pictures.

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
    if _KEEP and browser is None and os.name == "posix":
        _kept_png(program, html, out, width, height, float(timeout))
        return out
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


# --- one browser kept open per process (keep_browser) -------------------------------------

_KEEP = False
"""True within :func:`keep_browser`: :func:`map_to_png` reuses this process's browser."""
_KEPT: _Session | None = None
"""The open browser of the process that started it (a forked child starts its own)."""


class _SessionError(Exception):
    """The kept browser failed, hung or closed its pipe."""


def _session_flags(program: Path, profile: Path, width: int, height: int) -> list[str]:
    """The kept browser's command line: the same flags as one screenshot, driven by a pipe."""
    command = browser_command(program, "about:blank", profile / "unused.png", width, height)
    flags = [
        c for c in command[1:-1] if not c.startswith(("--screenshot=", "--virtual-time-budget="))
    ]
    return [str(program), f"--user-data-dir={profile}", *flags, "--remote-debugging-pipe"]


class _Session:
    """A headless browser driven through the DevTools protocol on fds 3 (in) and 4 (out)."""

    def __init__(self, program: Path) -> None:
        self.program = program
        self.pid = os.getpid()
        self.tmp = tempfile.mkdtemp(prefix="geo_trygg_png_")
        to_browser, self._their_in = os.pipe()[::-1]  # (write end for us, read end for it)
        their_out, self._from_browser = os.pipe()[::-1]
        self._to_browser = to_browser
        keep = (self._their_in, their_out)

        def child() -> None:  # runs in the browser's process between fork and exec
            high = [_fcntl_dup(fd) for fd in keep]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)
            if sys.platform.startswith("linux"):  # die with the process that drives it
                with contextlib.suppress(OSError, AttributeError):
                    import ctypes

                    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)

        self.proc = subprocess.Popen(
            _session_flags(program, Path(self.tmp) / "profile", 1600, 1000),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=False,
            preexec_fn=child,  # only dup2 and prctl: no locks taken
        )
        os.close(self._their_in)
        os.close(their_out)
        self._buffer = b""
        self._next = 0
        self._context, self._session, self._tab_size = "", "", (0, 0)

    def send(
        self, method: str, params: dict[str, Any], session: str | None, timeout: float
    ) -> Any:
        """Send one command and wait for its answer (events on the way are ignored)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise _SessionError(f"{method}: {exc}") from exc
        while True:
            reply = self.read(timeout)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise _SessionError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def wait_event(self, method: str, session: str, timeout: float) -> None:
        while True:
            reply = self.read(timeout)
            if reply.get("method") == method and reply.get("sessionId") == session:
                return

    def read(self, timeout: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], timeout)
            if not ready:
                raise _SessionError(f"no answer in {timeout} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise _SessionError("the browser closed its pipe")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(line))

    def _tab(self, width: int, height: int, timeout: float) -> str:
        """The DevTools session of the tab for pictures of this size, made on first use in
        a browser context of its own (a tab of another size is closed first)."""
        if self._tab_size == (width, height) and self._session:
            return self._session
        if self._context:
            self._session, self._tab_size = "", (0, 0)
            context, self._context = self._context, ""
            self.send("Target.disposeBrowserContext", {"browserContextId": context}, None, timeout)
        self._context = self.send("Target.createBrowserContext", {}, None, timeout)[
            "browserContextId"
        ]
        target = self.send(
            "Target.createTarget",
            {"url": "about:blank", "browserContextId": self._context},
            None,
            timeout,
        )["targetId"]
        session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, None, timeout
        )["sessionId"]
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.send("Emulation.setDeviceMetricsOverride", metrics, session, timeout)
        self._session, self._tab_size = session, (width, height)
        return session

    def shot(self, url: str, width: int, height: int, timeout: float) -> bytes:
        """A PNG of ``url`` at ``width`` × ``height``: loaded with virtual time paused, then
        given :data:`VIRTUAL_TIME_MS` of virtual time (timers and animations run to their
        end), then captured."""
        session = self._tab(width, height, timeout)
        self.send("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session, timeout)
        self.send("Page.navigate", {"url": url}, session, timeout)
        budget = {"policy": "pauseIfNetworkFetchesPending", "budget": VIRTUAL_TIME_MS}
        self.send("Emulation.setVirtualTimePolicy", budget, session, timeout)
        self.wait_event("Emulation.virtualTimeBudgetExpired", session, timeout)
        data = self.send(
            "Page.captureScreenshot",
            {"format": "png", "optimizeForSpeed": True},
            session,
            timeout,
        )
        return base64.b64decode(data["data"])

    def close(self) -> None:
        """Close the browser (politely, then its whole process group) and its profile."""
        if self.pid != os.getpid():  # a forked child's copy: the parent closes its own
            return
        with contextlib.suppress(_SessionError, OSError, ValueError):
            self.send("Browser.close", {}, None, 5)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _fcntl_dup(fd: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


def _close_kept() -> None:
    global _KEPT
    kept, _KEPT = _KEPT, None
    if kept is not None:
        kept.close()


def _kept_png(
    program: Path, html: Path, out: Path, width: int, height: int, timeout: float
) -> None:
    """One picture with this process's kept browser, started on first use; a browser that
    fails or hangs is closed and started once more before giving up."""
    global _KEPT
    url = html.resolve().as_uri()
    problem = ""
    for _ in range(2):
        if _KEPT is not None and (_KEPT.pid != os.getpid() or _KEPT.program != program):
            if _KEPT.pid == os.getpid():
                _KEPT.close()
            _KEPT = None
        if _KEPT is None:
            _KEPT = _Session(program)
            if os.getpid() != _KEPT_OWNER:  # a forked worker: close it when the worker ends
                import multiprocessing.util

                multiprocessing.util.Finalize(None, _close_kept, exitpriority=100)
        try:
            data = _KEPT.shot(url, width, height, timeout)
        except _SessionError as exc:
            problem = str(exc)
            _close_kept()
            continue
        if not data:
            raise BrowserError(msg("maps_browser_no_png", browser=program, path=html, tail="-"))
        out.write_bytes(data)
        return
    raise BrowserError(
        msg("maps_browser_session_failed", browser=program, path=html, problem=_tail(problem))
    )


_KEPT_OWNER = 0
"""The process that entered :func:`keep_browser`."""


@contextlib.contextmanager
def keep_browser() -> Iterator[None]:
    """Within the block, :func:`map_to_png` keeps one headless browser open per process.

    Without it every picture starts a browser of its own (about two seconds). Within it the
    first picture in a process starts the browser and the next ones reuse it, each in a fresh
    browser context with the same flags and the same virtual time, so the pictures stay
    deterministic. Processes forked inside the block (a pack's page workers) start their own
    browser and close it when they end. The browser is closed when the block ends, also on an
    error or Ctrl-C, and dies with the process that drives it (its pipe closes; on Linux the
    kernel also kills it). Only on POSIX systems and only for the default browser
    (``browser=None``); elsewhere :func:`map_to_png` works as without the block.

    Examples
    --------
    >>> with keep_browser():  # doctest: +SKIP
    ...     for name in ("a", "b"):
    ...         map_to_png(f"{name}.html", f"{name}.png")
    """
    global _KEEP, _KEPT_OWNER
    before = (_KEEP, _KEPT_OWNER)
    _KEEP, _KEPT_OWNER = True, os.getpid()
    try:
        yield
    finally:
        if not before[0]:
            _close_kept()
        _KEEP, _KEPT_OWNER = before
