"""Every sentence a user reads, in Swedish and English: the message catalogue (private).

The sentences live in data files inside the package, one per language:
``geo_trygg/data/messages/sv.toml`` and ``geo_trygg/data/messages/en.toml``. Each holds flat
``key = "text"`` lines (no TOML tables), grouped by comments naming the module that uses
them; both files hold the same keys with the same ``{placeholders}`` (``str.format`` syntax,
a literal brace written ``{{`` or ``}}``). A file is read once, on first use, through
:mod:`importlib.resources`.

Use :func:`msg` with a key; the language comes from ``geo_trygg.settings.lang`` unless given.
The key is always written as a literal in the call, ``msg("io_file_missing", path=p)``; it
is never built from pieces (no f-strings) or kept in a variable. A sentence chosen by a code
(a weekday, a status, a class) comes from an explicit mapping, ``{"open":
msg("map_status_open", lang), …}``; a sentence needed later, from a function that calls
:func:`msg`. So reading the source finds every key the package uses:
``tests/test_labels.py`` checks that each is in both files, and that the files hold no key
the code does not use.

Examples
--------
>>> msg("cli_interrupted", "sv"), msg("cli_interrupted", "en")
('Avbrutet.', 'Interrupted.')
>>> msg("io_file_missing", "en", path="x.csv")
'the file does not exist: x.csv'
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import string
import tomllib
from importlib.resources.abc import Traversable
from typing import Any

from geo_trygg import settings

__all__ = ["LANGUAGES", "identify", "msg", "without_values"]

LANGUAGES = ("sv", "en")
"""The catalogue's languages; the first is the default."""


def _message_file(lang: str) -> Traversable:
    """The catalogue file of ``lang`` (``geo_trygg/data/messages/<lang>.toml``)."""
    return importlib.resources.files("geo_trygg").joinpath("data", "messages", f"{lang}.toml")


@functools.cache
def _texts(lang: str) -> dict[str, str]:
    """The sentences of ``lang``, read once."""
    return tomllib.loads(_message_file(lang).read_text(encoding="utf-8"))


def msg(key: str, lang: str | None = None, **kwargs: Any) -> str:
    """Return the user-facing sentence ``key`` in ``lang`` (default: ``settings.lang``).

    Parameters
    ----------
    key : str
        Message key in the catalogue (``geo_trygg/data/messages/*.toml``).
    lang : {"sv", "en"}, optional
        Language; ``settings.lang`` when omitted. Any other value gives Swedish.
    **kwargs
        Values for the placeholders in the sentence.

    Returns
    -------
    str
        The formatted sentence (the text as written when no values are given).

    Raises
    ------
    KeyError
        ``key`` is not in the catalogue.
    """
    chosen = lang or settings.lang
    text = _texts(chosen if chosen in LANGUAGES else LANGUAGES[0])[key]
    return text.format(**kwargs) if kwargs else text


@functools.cache
def _patterns() -> list[tuple[int, str, str, re.Pattern[str], tuple[str, ...]]]:
    """Every sentence of both languages as a pattern whose groups are its placeholders:
    ``(literal characters, lang, key, pattern, placeholder names)``, most literal first."""
    out = []
    for lang in LANGUAGES:
        for key, text in _texts(lang).items():
            if key in _CELLS:
                continue
            parts: list[str] = []
            names: list[str] = []
            literal = 0
            for before, field, _spec, _conv in string.Formatter().parse(text):
                parts.append(re.escape(before))
                literal += len(before)
                if field is None:
                    continue
                if field in names:  # the same value again
                    parts.append(f"(?P={_group(names.index(field))})")
                else:
                    parts.append(f"(?P<{_group(len(names))}>.*?)")
                    names.append(field)
            pattern = re.compile("".join(parts), re.DOTALL)
            out.append((literal, lang, key, pattern, tuple(names)))
    out.sort(key=lambda item: -item[0])  # stable: the file's order among equals
    return out


_CELLS = frozenset({"pack_rank_of", "pack_rank_of_tied"})
"""Keys of table cells made of placeholders and a word ("2 av 6"): no sentence, so never what
:func:`identify` finds (their pattern would match any text with " av " in it)."""


def _group(i: int) -> str:
    return f"v{i}"


def identify(text: str) -> tuple[str, str, dict[str, str]] | None:
    """The catalogue sentence ``text`` was made from: ``(lang, key, values)``, the values of
    its placeholders as they appear in ``text``; None when no sentence of either language
    gives ``text`` (the sentence with the most words of its own wins).

    Examples
    --------
    >>> identify(msg("coords_swapped", "en", n=3))
    ('en', 'coords_swapped', {'n': '3'})
    >>> identify("not a sentence of the catalogue") is None
    True
    """
    for _literal, lang, key, pattern, names in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            return lang, key, {name: found.group(_group(i)) for i, name in enumerate(names)}
    return None


def without_values(text: str, blank: str = "…") -> str | None:
    """``text`` with the value of every placeholder of its catalogue sentence shown as
    ``blank`` (no name, number or path from the data); None when ``text`` is no sentence of
    the catalogue (see :func:`identify`).

    Examples
    --------
    >>> without_values(msg("crs_inferred", "en", crs="EPSG:4326"))
    'no coordinate system given; inferred … from the value ranges'
    """
    found = identify(text)
    if found is None:
        return None
    lang, key, _values = found
    pieces = string.Formatter().parse(_texts(lang)[key])
    return "".join(before + ("" if field is None else blank) for before, field, _, _ in pieces)


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    return {key: {lang: _texts(lang)[key] for lang in LANGUAGES} for key in _texts("sv")}


def __getattr__(name: str) -> Any:
    """``MESSAGES``: the whole catalogue as ``{key: {"sv": …, "en": …}}`` (read-only use)."""
    if name == "MESSAGES":
        return _messages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
