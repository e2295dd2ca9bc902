"""Reading a user's small CSV table (a category map, an alias table): UTF-8 or cp1252,
``;`` or ``,`` as the header line shows, every value as text (private to the vocabularies)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd

from geo_trygg._errors import ReadError

__all__ = ["read_small_csv"]


def read_small_csv(path: Path, name: str) -> pd.DataFrame:
    """The table in ``path``; ``name`` (the argument it came from) names it in errors.

    Raises
    ------
    ReadError
        When the file is missing or is no CSV table.
    """
    if not path.is_file():
        raise ReadError(f"{name} file not found: {path}")
    raw = path.read_bytes()
    text = ""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReadError(f"{name} file {path} cannot be read: {exc}") from None
