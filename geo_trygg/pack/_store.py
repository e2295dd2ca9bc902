"""The pack's folder on disk: the lock, checksums, the manifest, and the atomic swap.

The manifest (``manifest.json``) holds the inputs' SHA-256 (a shapefile with its sidecar
files), the configuration, the tool version, every file's checksum, each page's key and files,
and a state without free text for the next build's ``andringar.html``. A build is written into
``.<name>.building`` beside the pack and swapped in at the end (:func:`swap`).

Beside the pack ``OUT`` (in its parent folder) a build keeps:

- ``.OUT.lock``: held (``flock``; ``msvcrt.locking`` on Windows) for the whole run of any
  kind, so two builds into one ``--out`` never write at once (:func:`pack_lock`). A second
  build waits up to :data:`LOCK_WAIT` seconds, then stops with a message. Forked page workers
  inherit the lock, so it is held until the last of them is gone. The file is removed when
  the run ends; one left by a killed run is taken over (a ``flock`` dies with its process).
- ``.OUT.building``: the build being written, only ever touched by the lock's holder; what a
  killed run left is removed by the next run of any kind (:func:`recover`), also one that
  finds nothing changed.
- ``.OUT.state.json`` (public packs only): the full manifest, with the input paths, their
  SHA-256 and the pages' keys. A public pack's own ``manifest.json`` names its inputs by
  their configuration key (``inputs.events``, ``inputs.areas[0]`` with its catalogue
  ``source`` and ``level``) and holds no path, no input hash and no page key — a reader
  cannot confirm a guessed input file. The state file is outside the published folder and
  names the SHA-256 of the published ``manifest.json`` it belongs to; "nothing changed" and
  page reuse read it only when that matches, else the pack is rebuilt.

"Nothing changed" (:func:`unchanged`) needs the same configuration, inputs and tool version,
every file the manifest lists present with its checksum, and every page of the manifest with
its files there, so a pack missing a page folder is always rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geo_trygg
from geo_trygg._errors import ConfigError
from geo_trygg._files import sha256
from geo_trygg._labels import msg
from geo_trygg.pack._config import PackConfig, register_target

__all__ = [
    "LOCK_WAIT",
    "input_hashes",
    "input_labels",
    "pack_lock",
    "previous_manifest",
    "recover",
    "sha256",
    "swap",
    "unchanged",
    "write_manifest",
    "write_state",
]

LOCK_WAIT = 5.0
"""Seconds a build waits for another build into the same ``--out`` before it stops."""
_REQUIRED = ("index.html", "andringar.html", "avvisade_rader.csv")
"""Files every pack has (besides its pages)."""


def _beside(target: Path, suffix: str) -> Path:
    return target.parent / f".{target.name}.{suffix}"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(fd: int, lock: Path) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        with contextlib.suppress(OSError):
            lock.unlink()

    def _same_file(fd: int, lock: Path) -> bool:
        return lock.exists()

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(fd: int, lock: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()  # still held: no other run can have locked this file meanwhile
        os.close(fd)

    def _same_file(fd: int, lock: Path) -> bool:
        """The locked file is still the one at ``lock`` (not removed by its last holder)."""
        try:
            on_disk = os.stat(lock)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


@contextlib.contextmanager
def pack_lock(target: Path, wait: float | None = None) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside the pack ``target`` for the duration of the block.

    Parameters
    ----------
    target : pathlib.Path
        The pack's folder (its parent is created when missing).
    wait : float, optional
        Seconds to wait for another holder; :data:`LOCK_WAIT` by default.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    ConfigError
        Another run still holds the lock after ``wait`` seconds (the message names the pack
        and the lock file).
    """
    seconds = LOCK_WAIT if wait is None else wait
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = _beside(target, "lock")
    deadline = time.monotonic() + seconds
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd) and _same_file(fd, lock):
            break
        os.close(fd)  # busy, or a file its holder removed: try again
        if time.monotonic() >= deadline:
            raise ConfigError(msg("pack_busy", out=target, lock=lock, seconds=f"{seconds:g}"))
        time.sleep(0.1)
    try:
        yield lock
    finally:
        _release(fd, lock)


def _load(path: Path) -> dict[str, Any]:
    """A JSON object from ``path`` written by this tool version, else {}."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("version") != geo_trygg.__version__:
        return {}
    return dict(data)


def previous_manifest(target: Path) -> dict[str, Any]:
    """The full manifest of the pack in ``target``, when it was built by this version (else
    {}): its ``manifest.json``, or for a public pack the state file beside it when that
    belongs to the published ``manifest.json`` (same SHA-256)."""
    data = _load(target / "manifest.json")
    if data.get("privacy") != "public":
        return data
    state = _load(_beside(target, "state.json"))
    if not state or state.get("published") != sha256(target / "manifest.json"):
        return {}
    return state


def input_hashes(config: PackConfig, base: Path) -> dict[str, Any]:
    """SHA-256 of every input file (a shapefile with its sidecar files), by configuration key;
    a register (``register``) as one input whose hash is a digest of its state
    (:func:`geo_trygg.pack._plan.register_state`)."""
    from geo_trygg.pack._plan import register_state

    inputs: dict[str, Any] = {}
    target = register_target(config, base)
    if target is not None and config.register_source is not None:
        inputs["register"] = {"path": config.register_source, "state": register_state(target)}
    for key, path in (
        ("findings", config.inputs.findings),
        ("events", config.inputs.events),
        ("places", config.inputs.places),
        ("water", config.inputs.water),
        ("measure_areas", config.inputs.measure_areas),
        ("indicators", config.inputs.indicators),
        ("population", config.inputs.population.path if config.inputs.population else None),
        *((f"areas[{i}]", a.path) for i, a in enumerate(config.inputs.areas)),
        *((f"utsatta_omraden[{i}]", u.path) for i, u in enumerate(config.inputs.utsatta_omraden)),
    ):
        if path is None or not (base / path).is_file():
            continue
        file = base / path
        parts = [file]
        if file.suffix.lower() == ".shp":
            parts = sorted(f for f in file.parent.glob(file.stem + ".*") if f.is_file())
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.name.encode() + b"\0" + bytes.fromhex(sha256(part)))
        inputs[key] = {
            "path": str(path),
            "sha256": digest.hexdigest() if len(parts) > 1 else sha256(file),
        }
    return inputs


def input_labels(config: PackConfig) -> dict[str, dict[str, str]]:
    """The inputs as a public manifest names them: by configuration key, an area file with
    its catalogue ``source`` and ``level`` when given; no path, no hash."""
    labels: dict[str, dict[str, str]] = {}
    if config.register_source is not None:
        labels["register"] = {"key": "register"}
    for key in ("findings", "events", "places", "water", "measure_areas", "indicators"):
        if getattr(config.inputs, key) is not None:
            labels[key] = {"key": f"inputs.{key}"}
    if config.inputs.population is not None:
        labels["population"] = {"key": "inputs.population"}
    for i, item in enumerate(config.inputs.areas):
        label = {"key": f"inputs.areas[{i}]"}
        label.update({k: v for k in ("source", "level") if (v := getattr(item, k)) is not None})
        labels[f"areas[{i}]"] = label
    for i, edition in enumerate(config.inputs.utsatta_omraden):
        labels[f"utsatta_omraden[{i}]"] = {
            "key": f"inputs.utsatta_omraden[{i}]",
            "edition": str(edition.edition),
        }
    return labels


def _intact(target: Path, files: Any) -> bool:
    """Every file of ``files`` (name → SHA-256) is in ``target`` with that checksum."""
    return (
        isinstance(files, dict)
        and bool(files)
        and all(
            isinstance(digest, str)
            and (target / name).is_file()
            and sha256(target / name) == digest
            for name, digest in files.items()
        )
    )


def unchanged(target: Path, manifest: dict[str, Any], config: PackConfig, base: Path) -> bool:
    """True when the pack in ``target`` was built from these very inputs and configuration
    and is whole: every file the manifest lists there with its checksum, the index, changes
    page and rejected rows among them, and every page of the manifest with its files."""
    if not manifest or manifest.get("config") != json.loads(config.model_dump_json()):
        return False
    if manifest.get("inputs") != input_hashes(config, base):
        return False
    files = manifest.get("files")
    pages = manifest.get("pages")
    if not isinstance(files, dict) or not isinstance(pages, dict) or not pages:
        return False
    if any(name not in files for name in _REQUIRED):
        return False
    for page in pages.values():  # a page's files are listed, and they are there
        own = page.get("files") if isinstance(page, dict) else None
        if not isinstance(own, dict) or not own or any(files.get(k) != v for k, v in own.items()):
            return False
    return _intact(target, files)


_INDEXED = ("level", "area", "n", "n_text", "change_label", "change_code", "rank", "rank_text")
"""What the manifest keeps of each page for the index of a re-run with nothing changed."""


def _scrub(value: Any, key: str) -> Any:
    """A configuration value without paths: each path replaced by its configuration key."""
    if isinstance(value, Path):
        return key
    if isinstance(value, dict):
        return {k: _scrub(v, f"{key}.{k}" if key else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, f"{key}[{i}]") for i, v in enumerate(value)]
    return value


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_manifest(
    folder: Path,
    config: PackConfig,
    base: Path,
    pages: list[dict[str, Any]],
    rejected: int,
    state: dict[str, Any],
    *,
    notes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Write ``manifest.json`` of the pack in ``folder`` (sorted keys, no time stamps).

    ``notes`` are the readers' notes and the build's warnings as the pack shows them, in the
    order the index lists them (:func:`geo_trygg.pack._notes.shown_notices`: for a public
    pack already without the data's values); they are the manifest's ``notes``.

    Returns the full manifest: for an internal pack the one written; for a public pack (whose
    ``manifest.json`` names inputs by label, with no paths and no hashes) the one to keep
    beside it with :func:`write_state`, holding the SHA-256 of the published manifest.
    """
    inputs = input_hashes(config, base)
    files = {
        str(p.relative_to(folder)).replace(os.sep, "/"): sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "tool": "geo_trygg",
        "version": geo_trygg.__version__,
        "config": json.loads(config.model_dump_json()),
        "inputs": inputs,
        "files": files,
        "pages": {
            p["path"]: {
                "key": p["key"],
                "files": p["files"],
                **{k: p.get(k) for k in _INDEXED},
            }
            for p in pages
        },
        "rejected": rejected,
        "notes": list(notes or []),
        "state": state,
    }
    path = folder / "manifest.json"
    if config.privacy != "public":
        path.write_text(_dump(manifest), encoding="utf-8")
        return manifest
    shown = {k: v for k, v in config.model_dump().items() if k != "inputs"}
    if shown.get("register") is not None:  # named by its key, as the inputs are
        shown["register"] = "register"
    public = {
        "tool": "geo_trygg",
        "version": geo_trygg.__version__,
        "privacy": "public",
        "config": _scrub(shown, ""),
        "inputs": input_labels(config),
        "files": files,
        "pages": {
            p["path"]: {"level": p["level"], "area": p["area"], "files": sorted(p["files"])}
            for p in pages
        },
        "rejected": rejected,
        "notes": list(notes or []),
        "state": state,
    }
    path.write_text(_dump(public), encoding="utf-8")
    return {**manifest, "published": sha256(path)}


def write_state(target: Path, manifest: dict[str, Any]) -> None:
    """Keep a public pack's full manifest beside it (``.<name>.state.json``, written whole
    or not at all); for an internal pack remove a state file an earlier public pack left."""
    state = _beside(target, "state.json")
    if "published" not in manifest:
        state.unlink(missing_ok=True)
        return
    fresh = _beside(target, "state.json.new")
    fresh.write_text(_dump(manifest), encoding="utf-8")
    os.replace(fresh, state)


def recover(target: Path) -> None:
    """Clean up what a killed or interrupted run left (call with the lock held): a previous
    pack put aside but no new one in place is put back; a previous pack left after a finished
    swap, a half-written build and a half-written state file are removed."""
    old = _beside(target, "previous")
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)
    building = _beside(target, "building")
    if building.exists():
        shutil.rmtree(building)
    _beside(target, "state.json.new").unlink(missing_ok=True)


def swap(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: the old pack aside, the new one in, the old removed.

    When the old pack cannot be moved (a file in it is open, e.g. an Excel file on Windows),
    the new pack is kept beside it as ``<name>.ny`` and the error says so.
    """
    old = target.parent / f".{target.name}.previous"
    if target.exists():
        try:
            target.rename(old)
        except OSError as exc:
            beside = target.parent / f"{target.name}.ny"
            if beside.exists():
                shutil.rmtree(beside, ignore_errors=True)
            new.rename(beside)
            raise ConfigError(
                msg("pack_locked", target=target, error=exc, beside=beside)
            ) from None
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)  # put the previous pack back
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
