"""What a pack tells its reader about the assumptions made on the way: the readers' notes and
the warnings of reading, joining and building, for the index's "Antaganden och varningar"
section and ``manifest.json``'s ``notes``.

The readers note what they assumed (an inferred coordinate system, swapped coordinates,
columns recognised, generated ids …; :attr:`geo_trygg.io.IngestSummary.notes`), and the
readers, :func:`~geo_trygg.join.assign_areas` and :func:`~geo_trygg.lagesbild.build_lagesbild`
warn (:class:`~geo_trygg._errors.GeoTryggWarning`: points given no area, an assumed local
zone …). :func:`capture` records those warnings while a step runs instead of letting them
go to the screen; :func:`notices` puts notes and warnings in one list, in a stable order
(the order of the configuration's inputs, then the build; in each, notes before warnings,
as they came), each (source, text) once. Notes that only say how a file was read when nothing
had to be assumed (:data:`READ_KEYS`: encoding, sheet or layer, columns recognised, the
coordinate system the file states) are not shown; ``geo-trygg validate FILE`` shows them.

A **public** pack shows each notice as its catalogue sentence with every value from the data
(names, numbers, files, coordinate systems) replaced by "…" (:func:`geo_trygg._labels.
without_values`), each such sentence once, and leaves out notices that are no sentence of the
catalogue (a library's own warning could quote anything); their number is said.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from geo_trygg._labels import identify, msg, without_values
from geo_trygg.labels import kind_names
from geo_trygg.pack._mask import mask_texts

__all__ = [
    "BUILD_SOURCE",
    "NOTE",
    "READ_KEYS",
    "Notice",
    "capture",
    "notices",
    "reader_notes",
    "shown_notices",
    "source_label",
]

NOTE = "note"
"""The category of a reader's note (a warning's category is its class name)."""
BUILD_SOURCE = "lagesbild"
"""The source of the warnings of the build (area assignment, lägesbild, follow-up)."""
READ_KEYS = frozenset(
    {
        "io_note_area_id",
        "io_note_area_name_column",
        "io_note_columns",
        "io_note_crs_file",
        "io_note_csv",
        "io_note_extra_columns",
        "io_note_file_field",
        "io_note_json_records",
        "io_note_layer",
        "io_note_sheet",
    }
)
"""Readers' notes that only say how a file was read when nothing had to be assumed (its
encoding and separator, sheet or layer, the columns recognised, the coordinate system the file
states): not shown in a pack (``geo-trygg validate FILE`` shows them)."""


@dataclass(frozen=True)
class Notice:
    """One note or warning of a build.

    Attributes
    ----------
    source : str
        Where it came from: the configuration key of the input read (``"inputs.events"``,
        ``"inputs.areas[0]"``, ``"inputs.places"``) or :data:`BUILD_SOURCE`.
    text : str
        The sentence, as the reader or the warning wrote it (one line).
    category : str
        :data:`NOTE` for a reader's note, else the warning's class name
        (``"GeoTryggWarning"``, ``"UserWarning"``).
    """

    source: str
    text: str
    category: str = NOTE


def reader_notes(source: str, texts: Iterable[str]) -> list[Notice]:
    """A reader's notes (``result.summary.notes``) as notices of ``source``, one per line."""
    return [Notice(source, line) for text in texts for line in _lines(str(text))]


@contextmanager
def capture(source: str, into: list[Notice]) -> Iterator[None]:
    """Record the warnings the block emits about the data as notices of ``source`` in ``into``
    rather than showing them.

    Kept: :class:`UserWarning` and its subclasses (``GeoTryggWarning``; libraries warn about
    the files they read with ``UserWarning``), every warning each time, a warning of several
    lines as one notice per line. Any other warning (``DeprecationWarning``, ``FutureWarning``,
    ``RuntimeWarning`` …) is emitted again after the block, to the filters as before.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    other = []
    for item in caught:
        if issubclass(item.category, UserWarning):
            name = item.category.__name__
            into.extend(Notice(source, line, name) for line in _lines(str(item.message)))
        else:
            other.append(item)
    for item in other:
        warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def notices(notes: Iterable[Notice], caught: Iterable[Notice]) -> tuple[Notice, ...]:
    """Notes and warnings in one tuple: by source in the order first seen, in each the notes
    before the warnings, each (source, text) once (a warning that repeats a note is dropped).
    """
    order: dict[str, list[Notice]] = {}
    seen: set[tuple[str, str]] = set()
    for item in [*notes, *caught]:
        if (item.source, item.text) in seen:
            continue
        seen.add((item.source, item.text))
        order.setdefault(item.source, []).append(item)
    return tuple(
        item
        for items in order.values()
        for item in sorted(items, key=lambda n: n.category != NOTE)  # stable
    )


def shown_notices(
    items: Iterable[Notice], *, public: bool, mask: bool, lang: str
) -> tuple[list[dict[str, Any]], int]:
    """The notices as the pack shows them (index and manifest) and the number left out.

    Each is ``{"source", "category", "text"}`` and, where a catalogue sentence says how many
    rows it concerns (its ``n``), ``"rows"``. Notes of :data:`READ_KEYS` are not shown.
    Internal packs show every other notice, personal numbers masked when ``mask``; public
    packs the catalogue sentence without the data's values, each once, nothing else (see the
    module docstring).
    """
    shown: list[dict[str, Any]] = []
    left_out = 0
    seen: set[tuple[str, str]] = set()
    items = list(items)
    texts = mask_texts([n.text for n in items], lang=lang) if mask else [n.text for n in items]
    for item, text in zip(items, texts, strict=True):
        found = identify(item.text)
        if found is not None and found[1] in READ_KEYS:
            continue
        entry: dict[str, Any] = {"source": item.source, "category": item.category}
        if public:
            blank = without_values(item.text)
            if blank is None:
                left_out += 1
                continue
            entry["text"] = blank
        else:
            entry["text"] = text
            rows = found[2].get("n") if found is not None else None
            if rows is not None and rows.isdigit():
                entry["rows"] = int(rows)
        if (entry["source"], entry["text"]) in seen:
            continue
        seen.add((entry["source"], entry["text"]))
        shown.append(entry)
    return shown, left_out


def source_label(source: str, lang: str) -> str:
    """Where a notice came from, as the index shows it: the configuration key of the input,
    or the lägesbild."""
    if source == BUILD_SOURCE:
        return msg("pack_notes_from_build", lang)
    kind = source.removeprefix("inputs.")
    words = kind_names(lang).get(kind)  # findings and events in words, the key beside them
    return f"{words} ({source})" if words else source
