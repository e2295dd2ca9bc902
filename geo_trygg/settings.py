"""Typed, module-level settings (in the style of ``osmnx.settings``).

Attributes
----------
lang : {"sv", "en"}
    Language of every text a user reads: rejection reasons, warnings, CLI messages,
    map and report labels (the sentences of ``geo_trygg/data/messages/<lang>.toml``).
    Swedish by default; ``geo-trygg --lang`` sets it for a command, its help included.
working_crs : str
    The metric CRS every geometry is returned in unless a function is given ``to_crs=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, cast

lang: Literal["sv", "en"] = "sv"
working_crs: str = "EPSG:3006"


@contextmanager
def use_lang(language: str | None) -> Iterator[None]:
    """Set :data:`lang` for the duration of a ``with`` block, restoring it afterwards.

    The edges that build in another language than the session's (a meeting pack with
    ``lang = "en"``) wrap the analysis in it, so that the notes and warnings the analysis
    writes in the session language come out in that language.

    Parameters
    ----------
    language : {"sv", "en"} or None
        The language inside the block; None leaves :data:`lang` as it is.

    Raises
    ------
    ValueError
        ``language`` is neither ``"sv"`` nor ``"en"`` (nor None).

    Examples
    --------
    >>> from geo_trygg import settings
    >>> with settings.use_lang("en"):
    ...     settings.lang
    'en'
    >>> settings.lang
    'sv'
    """
    global lang
    before = lang
    if language is not None:
        if language not in ("sv", "en"):
            raise ValueError(f"lang={language!r} is not allowed; expected one of: 'sv', 'en'")
        lang = cast(Literal["sv", "en"], language)
    try:
        yield
    finally:
        lang = before
