"""The publication ledger: every count each public pack published, for the next public pack.

One public pack alone hides its small counts safely, but two of the same data may not: a
quarter shows 6 and the months 0, "<3" and 5, so the "<3" is 1. Each public build that
succeeds therefore writes one *publication* into the ledger folder (``ledger`` in the
configuration, relative to its file; ``publiceringar`` beside the configuration when the key
is missing), and the next public build of the same data reads them all and treats them as
known to the reader (:func:`geo_trygg.pack._public.public_counts`).

A publication is one JSON file (sorted keys, UTF-8, named ``<start>_<end>_<hash>.json`` by
its period and the SHA-256 of its content, so a rebuild of the same pack writes the same
file once). It holds:

- ``identity``: what makes two packs "the same data": the kinds of input (``events``,
  ``findings``) and the configured ``sources`` labels, sorted. No file paths: the same export
  read from another folder is the same data, and two packs with other sources labels are not
  linked.
- ``min_count``, ``period`` and ``compare`` (ISO dates ``[start, end)``).
- ``counts``: every published count keyed by what it counts — ``kind``, ``start``, ``end``,
  ``level``, ``area``, ``table`` ("total", "category", "status"), ``key`` (category or
  status code, "" for totals), ``rest`` (the finer level of a rest count, else "") — with
  its ``state`` ("shown", "<k", ".."), the shown ``value`` (null when hidden) and ``text``.
  Never a hidden value: the ledger can be read by anyone without giving anything away.

Status counts are a snapshot of the findings' status when a pack was built, not a property
of the findings that stays; a later pack counts other statuses of the same findings. So
status counts of earlier publications are kept in the file but left out of the reader model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.pack._public import LEDGER_KEYS, PublicCounts
from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, SECONDARY

__all__ = ["DEFAULT_FOLDER", "identity", "ledger_folder", "read_ledger", "write_publication"]

DEFAULT_FOLDER = "publiceringar"
"""The ledger folder, relative to the configuration file, when ``ledger`` is not given."""

FORMAT = "geo_trygg publication 1"
_STATES = {"shown": PUBLISHED, "<k": PRIMARY, "..": SECONDARY}
_NAMES = {v: k for k, v in _STATES.items()}
_TABLES = ("total", "category", "status")


def ledger_folder(config: Any, base: Path) -> Path:
    """The ledger folder of a configuration: ``ledger`` (or :data:`DEFAULT_FOLDER`) relative
    to ``base``, the configuration's folder.

    Parameters
    ----------
    config : PackConfig
    base : pathlib.Path

    Returns
    -------
    pathlib.Path
    """
    return base / (config.ledger if config.ledger is not None else DEFAULT_FOLDER)


def identity(config: Any) -> dict[str, list[str]]:
    """What makes two public packs "the same data": input kinds and sources labels.

    Parameters
    ----------
    config : PackConfig

    Returns
    -------
    dict
        ``{"kinds": [...], "sources": [...]}``, both sorted.
    """
    kinds = [k for k in ("events", "findings") if getattr(config.inputs, k) is not None]
    return {"kinds": kinds, "sources": sorted(str(s) for s in config.sources)}


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise ValueError(f"{field} must be a text")
    return value


def _date(value: Any, field: str) -> str:
    return dt.date.fromisoformat(_text(value, field)).isoformat()


def _count(item: Any) -> dict[str, Any]:
    """One count of a publication file, checked (the file is untrusted input)."""
    if not isinstance(item, dict):
        raise ValueError("a count must be an object")
    out: dict[str, Any] = {
        key: _text(item.get(key), key) for key in ("kind", "level", "area", "key", "rest")
    }
    out["start"], out["end"] = _date(item.get("start"), "start"), _date(item.get("end"), "end")
    if out["start"] >= out["end"]:
        raise ValueError(f"start {out['start']} is not before end {out['end']}")
    if item.get("table") not in _TABLES:
        raise ValueError(f"table must be one of {', '.join(_TABLES)}")
    out["table"] = item["table"]
    if item.get("state") not in _STATES:
        raise ValueError(f"state must be one of {', '.join(_STATES)}")
    out["state"] = _STATES[item["state"]]
    value = item.get("value")
    shown = out["state"] == PUBLISHED
    if shown != (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise ValueError("a shown count needs a whole value >= 0, a hidden one none")
    out["value"] = float(value) if shown and isinstance(value, int) else np.nan
    out["text"] = _text(item.get("text", ""), "text")
    return out


def _publication(file: Path) -> dict[str, Any]:
    """A publication file read and checked."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"format is not {FORMAT!r}")
        k = data.get("min_count")
        if isinstance(k, bool) or not isinstance(k, int) or k < 3:
            raise ValueError("min_count must be a whole number >= 3")
        counts = data.get("counts")
        if not isinstance(counts, list) or not isinstance(data.get("identity"), dict):
            raise ValueError("counts and identity are missing")
        return {"identity": data["identity"], "k": k, "counts": [_count(c) for c in counts]}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, TypeError) as exc:
        raise ConfigError(msg("ledger_bad_file", file=file, reason=str(exc)[:200])) from None


def read_ledger(config: Any, base: Path) -> pd.DataFrame:
    """Every count of the earlier publications of the same data (status counts left out).

    Parameters
    ----------
    config : PackConfig
    base : pathlib.Path
        The configuration's folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``publication`` (the file name), :data:`~geo_trygg.pack._public.LEDGER_KEYS`,
        ``state``, ``value``, ``text``, ``k``; sorted by file name, then as in the file.
        Empty when the folder does not exist or holds no publication of the same data.

    Raises
    ------
    ConfigError
        A file in the folder that is no readable publication (naming it).
    """
    columns = ["publication", *LEDGER_KEYS, "state", "value", "text", "k"]
    folder = ledger_folder(config, base)
    own = identity(config)
    frames = []
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        publication = _publication(file)
        if publication["identity"] != own:
            continue
        rows = [c for c in publication["counts"] if c["table"] != "status"]
        if rows:
            frame = pd.DataFrame(rows).assign(publication=file.name, k=publication["k"])
            frames.append(frame[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def publication(config: Any, lb: Any, counts: PublicCounts) -> tuple[str, bytes]:
    """A public pack's publication: its file name and bytes (see the module docstring).

    Parameters
    ----------
    config : PackConfig
    lb : Lagesbild
        The pack's lägesbild (its period and comparison).
    counts : PublicCounts
        Every count the pack shows.

    Returns
    -------
    (str, bytes)
    """
    cells = counts.cells
    items = []
    for row in cells.itertuples(index=False):
        item: dict[str, Any] = {key: str(getattr(row, key)) for key in LEDGER_KEYS}
        item["state"] = _NAMES[int(row.state)]
        item["value"] = int(row.n) if int(row.state) == PUBLISHED else None
        item["text"] = str(row.text)
        items.append(item)
    items.sort(key=lambda c: tuple(c[k] for k in LEDGER_KEYS))

    def span(period: Any) -> list[str] | None:
        return [period.start.isoformat(), period.end.isoformat()] if period else None

    data = {
        "format": FORMAT,
        "identity": identity(config),
        "min_count": counts.k,
        "period": span(lb.period),
        "compare": span(lb.compare),
        "counts": items,
    }
    body = (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
    digest = hashlib.sha256(body).hexdigest()[:16]
    return f"{lb.period.start.isoformat()}_{lb.period.end.isoformat()}_{digest}.json", body


def write_publication(config: Any, base: Path, lb: Any, counts: PublicCounts) -> Path:
    """Write a public pack's publication into the ledger folder (created when missing).

    Parameters
    ----------
    config : PackConfig
    base : pathlib.Path
        The configuration's folder.
    lb : Lagesbild
    counts : PublicCounts

    Returns
    -------
    pathlib.Path
        The publication's file (the same file for the same publication).
    """
    name, body = publication(config, lb, counts)
    folder = ledger_folder(config, base)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.is_file() and path.read_bytes() == body:
        return path
    temporary = folder / f".{name}.writing"
    temporary.write_bytes(body)
    os.replace(temporary, path)
    return path
