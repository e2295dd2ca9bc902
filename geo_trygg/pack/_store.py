"""The pack's folder on disk: checksums, the manifest, and the atomic swap.

The manifest (``manifest.json``) holds the inputs' SHA-256 (a shapefile with its sidecar
files), the configuration, the tool version, every file's checksum, each page's key and files,
and a state without free text for the next build's ``andringar.html``. A build is written into
``.<name>.building`` beside the pack and swapped in at the end (:func:`swap`); what an
interrupted swap leaves is put right by the next run (:func:`recover`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import geo_trygg
from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.pack._config import PackConfig

__all__ = [
    "input_hashes",
    "previous_manifest",
    "recover",
    "sha256",
    "swap",
    "unchanged",
    "write_manifest",
]


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def previous_manifest(target: Path) -> dict[str, Any]:
    """The manifest of the pack in ``target``, when it was built by this version (else {})."""
    manifest = target / "manifest.json"
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    if data.get("version") != geo_trygg.__version__:
        return {}
    return dict(data)


def input_hashes(config: PackConfig, base: Path) -> dict[str, Any]:
    """SHA-256 of every input file (a shapefile with its sidecar files), by configuration key."""
    inputs: dict[str, Any] = {}
    for key, path in (
        ("findings", config.inputs.findings),
        ("events", config.inputs.events),
        ("places", config.inputs.places),
        *((f"areas[{i}]", a.path) for i, a in enumerate(config.inputs.areas)),
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


def unchanged(target: Path, manifest: dict[str, Any], config: PackConfig, base: Path) -> bool:
    """True when the pack in ``target`` was built from these very inputs and configuration
    and its files are all there unchanged: nothing to do."""
    if not manifest or manifest.get("config") != json.loads(config.model_dump_json()):
        return False
    if manifest.get("inputs") != input_hashes(config, base):
        return False
    files = dict(manifest.get("files", {}))
    return bool(files) and all(
        (target / name).is_file() and sha256(target / name) == digest
        for name, digest in files.items()
    )


_INDEXED = ("level", "area", "n", "n_text", "change_label", "change_code", "rank")
"""What the manifest keeps of each page for the index of a re-run with nothing changed."""


def write_manifest(
    folder: Path,
    config: PackConfig,
    base: Path,
    pages: list[dict[str, Any]],
    rejected: int,
    state: dict[str, Any],
) -> None:
    """Write ``manifest.json`` of the pack in ``folder`` (sorted keys, no time stamps)."""
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
        "state": state,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8"
    )


def recover(target: Path) -> None:
    """Finish what an interrupted swap left: a previous pack put aside but no new one in place
    is put back; a previous pack left after a finished swap is removed."""
    old = target.parent / f".{target.name}.previous"
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)


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
