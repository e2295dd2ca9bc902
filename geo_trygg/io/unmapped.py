"""What the vocabularies could not place, said: the values that became "other", with counts.

A walk protocol's "tältläger" that no vocabulary knows becomes the category ``other``, and a
responsible actor "Nobina AB" the actor ``other``: the row is kept, but a follow-up by category
or by actor silently collapses into "Övrigt". The readers and the lägesbild therefore list
every distinct value that became ``other`` with its count (:func:`unmapped_values`) and say
how to map it (:func:`unmapped_notes`): ``category_map=`` / ``actor_map=`` / ``status_map=`` of
:func:`geo_trygg.read_findings` and ``category_map=`` of :func:`geo_trygg.read_events`, and the
same under ``[mappings]`` in a pack's configuration.

A user's mapping (:func:`check_value_map`) is a table ``{text as written: code}``; texts are
matched as the vocabularies match them (case, spacing and accents of the form do not matter,
:func:`geo_trygg.vocab.findings.normalize_text`) and win over the built-in vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg.vocab.events import EVENT_CATEGORIES
from geo_trygg.vocab.events import label as event_label
from geo_trygg.vocab.findings import ACTORS, FINDING_CATEGORIES, STATUSES, normalize_text
from geo_trygg.vocab.findings import label as finding_label

__all__ = [
    "MAX_LISTED",
    "UNMAPPED_FIELDS",
    "apply_value_map",
    "check_value_map",
    "say_unmapped",
    "unmapped_notes",
    "unmapped_values",
]

UNMAPPED_FIELDS = ("category", "responsible_actor", "status", "event_category")
"""What :func:`unmapped_values` reports: a finding's category and responsible actor that
became ``other``, a finding's status no vocabulary knows (its row is rejected), an event's
type that became the category ``other``."""

MAX_LISTED = 10
"""Distinct values named in one note; the rest are counted."""


def check_value_map(name: str, mapping: Any, allowed: Sequence[str]) -> dict[str, str]:
    """A user's mapping ``{text: code}`` checked, keyed by the normalised text.

    Parameters
    ----------
    name : str
        The argument or configuration key, for the message (``"actor_map"``).
    mapping : mapping of str to str or None
    allowed : sequence of str
        The codes a text may be mapped to.

    Returns
    -------
    dict of str to str

    Raises
    ------
    ConfigError
        In Swedish (or English), naming the key, the value and the allowed codes.

    Examples
    --------
    >>> check_value_map("actor_map", {"Nobina AB": "sl"}, ["sl", "other"])
    {'nobina ab': 'sl'}
    """
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise ConfigError(msg("io_err_value_map_type", name=name, value=repr(mapping)[:80]))
    out: dict[str, str] = {}
    for text, code in mapping.items():
        key = normalize_text(text) if isinstance(text, str) else ""
        if not key:
            raise ConfigError(msg("io_err_value_map_text", name=name, value=repr(text)[:80]))
        if not isinstance(code, str) or code not in allowed:
            raise ConfigError(
                msg(
                    "io_err_value_map_code",
                    name=f"{name}[{text!r}]",
                    value=repr(code)[:80],
                    allowed=", ".join(allowed),
                )
            )
        if out.get(key, code) != code:
            raise ConfigError(msg("io_err_value_map_twice", name=name, value=repr(text)[:80]))
        out[key] = code
    return out


def apply_value_map(raw: pd.Series, mapped: pd.Series, table: Mapping[str, str]) -> pd.Series:
    """``mapped`` with the user's codes (``table`` from :func:`check_value_map`) where the
    text of ``raw`` (same index) is in the table."""
    if not table:
        return mapped
    user = pd.Series(
        [table.get(normalize_text(v)) if isinstance(v, str) else None for v in raw.tolist()],
        index=raw.index,
        dtype=object,
    )
    return user.where(user.notna(), mapped)


def _counts(values: pd.Series) -> dict[str, int]:
    """Each distinct text (stripped) with its count, the most frequent first, then by text."""
    texts = values.dropna().astype(str).str.strip()
    texts = texts[texts != ""]
    counts = texts.value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    return {str(k): int(v) for k, v in ordered}


def unmapped_values(frame: pd.DataFrame, kind: str) -> dict[str, dict[str, int]]:
    """The values of a reader's accepted rows that became ``other``, with their counts.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``.accepted`` of :func:`geo_trygg.read_findings` (``category``, ``category_original``,
        ``responsible_actor``, ``responsible_original``) or of :func:`geo_trygg.read_events`
        (``category``, ``source_type``).
    kind : {"findings", "events"}

    Returns
    -------
    dict
        ``{field: {value as written: count}}`` for the fields of :data:`UNMAPPED_FIELDS` with
        any such value; the most frequent first. A category taken from the description (no
        category given) is not listed: free text is not a value to map.

    Examples
    --------
    >>> rows = pd.DataFrame({"category": ["other", "other", "lighting"],
    ...                      "category_original": ["Tältläger", "tältläger ", "Belysning"],
    ...                      "responsible_actor": ["other", None, "sl"],
    ...                      "responsible_original": ["Nobina", None, "SL"]})
    >>> unmapped_values(rows, "findings")
    {'category': {'Tältläger': 1, 'tältläger': 1}, 'responsible_actor': {'Nobina': 1}}
    """
    out: dict[str, dict[str, int]] = {}
    if frame.empty:
        return out
    pairs: tuple[tuple[str, str, str], ...]
    if kind == "findings":
        pairs = (
            ("category", "category", "category_original"),
            ("responsible_actor", "responsible_actor", "responsible_original"),
        )
    elif kind == "events":
        pairs = (("event_category", "category", "source_type"),)
    else:
        raise ConfigError(f"kind={kind!r} is not allowed; expected one of: 'findings', 'events'")
    for field, code_col, text_col in pairs:
        if code_col not in frame.columns or text_col not in frame.columns:
            continue
        became = frame[code_col].astype(object).eq("other").fillna(False).to_numpy(dtype=bool)
        counts = _counts(frame.loc[became, text_col])
        if counts:
            out[field] = counts
    return out


def _listing(counts: Mapping[str, int], lang: str | None) -> str:
    shown = list(counts.items())[:MAX_LISTED]
    text = ", ".join(f"”{v}” ({n})" for v, n in shown)
    rest = len(counts) - len(shown)
    return text + (msg("io_unmapped_more", lang, n=rest) if rest > 0 else "")


def _code_words(field: str, code: str, lang: str | None) -> str:
    if field == "event_category":
        return event_label(code, lang)
    kind = {"category": "category", "responsible_actor": "actor"}.get(field, "status")
    return finding_label(code, lang, kind=kind)


def unmapped_notes(
    unmapped: Mapping[str, Mapping[str, int]], lang: str | None = None
) -> list[str]:
    """One sentence per field of ``unmapped`` (:func:`unmapped_values`): how many rows, which
    values with their counts, and how to map them.

    Examples
    --------
    >>> unmapped_notes({"responsible_actor": {"Nobina": 3}}, "sv")[0][:70]
    'Ansvariga som ingen ordlista känner räknas som Annan (antal rader: 3):'
    """
    codes = {
        "category": FINDING_CATEGORIES,
        "responsible_actor": ACTORS,
        "status": STATUSES,
        "event_category": EVENT_CATEGORIES,
    }
    out = []
    for field, counts in unmapped.items():
        if not counts or field not in codes:
            continue
        n, values = sum(counts.values()), _listing(counts, lang)
        # each code with its words: the reader maps to the code and sees what it means
        allowed = ", ".join(f"{code} ({_code_words(field, code, lang)})" for code in codes[field])
        example = next(iter(counts))
        words = {"n": n, "values": values, "example": example, "codes": allowed}
        if field == "category":
            out.append(msg("io_note_unmapped_category", lang, **words))
        elif field == "responsible_actor":
            out.append(msg("io_note_unmapped_actor", lang, **words))
        elif field == "status":
            out.append(msg("io_note_unmapped_status", lang, **words))
        else:
            out.append(msg("io_note_unmapped_event_category", lang, **words))
    return out


def say_unmapped(result: Any, kind: str) -> Any:
    """A reader's result with its unmapped values (:func:`unmapped_values`) in
    ``summary.unmapped`` and said in its notes (the field's earlier entries kept)."""
    found = unmapped_values(result.accepted, kind)
    if found:
        result.summary.unmapped = {**result.summary.unmapped, **found}
        result.summary.notes.extend(unmapped_notes(found))
    return result
