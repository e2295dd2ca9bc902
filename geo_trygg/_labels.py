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
import tomllib
from importlib.resources.abc import Traversable
from typing import Any

from geo_trygg import settings

__all__ = ["LANGUAGES", "msg"]

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
def _messages() -> dict[str, dict[str, str]]:
    return {key: {lang: _texts(lang)[key] for lang in LANGUAGES} for key in _texts("sv")}


def __getattr__(name: str) -> Any:
    """``MESSAGES``: the whole catalogue as ``{key: {"sv": …, "en": …}}`` (read-only use)."""
    if name == "MESSAGES":
        return _messages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
