"""Area name aliases: other names under which texts name an area, as data with a source per row.

The vocabulary is data, kept next to this module:

``area_aliases.csv``
    ``level, area, alias, source, note`` -- one other name (``alias``) of the area called
    ``area`` in layers of ``level``, with the public source that says the alias is part of the
    area (``source``, a URL and what it states) and a ``note``. E.g. the stadsdelsområde
    *Järva* (formed 2023-07-01 from Rinkeby-Kista and Spånga-Tensta) is also named by texts
    saying *Rinkeby*, *Tensta*, *Husby*, *Akalla*, *Kista* or *Hjulsta*.

:func:`geo_trygg.join.assign_areas` uses the bundled table, plus a user's own
(``aliases=``), when it looks for area names in the text of points too coarse for a layer: an
alias works as a part of a compound name (``"Norsborg"`` of ``"Hallunda / Norsborg"``), and is
not used where it would be ambiguous (see :mod:`geo_trygg.join.assign`). Rows naming an area a
layer does not have are ignored, so the table can hold several boundary versions' names.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from io import StringIO
from os import PathLike
from pathlib import Path

import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._text import normalize_name
from geo_trygg.vocab._files import read_small_csv

__all__ = ["ALIAS_COLUMNS", "REQUIRED_ALIAS_COLUMNS", "area_aliases", "validate_area_aliases"]

_VOCAB = resources.files("geo_trygg.vocab")  # the CSVs ship inside the package

ALIAS_COLUMNS = ("level", "area", "alias", "source", "note")
"""Columns of an alias table (``source`` and ``note`` may be left out of a user's table)."""
REQUIRED_ALIAS_COLUMNS = ("level", "area", "alias")
"""Columns every alias table must have."""


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    text = _VOCAB.joinpath("area_aliases.csv").read_text(encoding="utf-8")
    table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    return validate_area_aliases(table, name="area_aliases.csv")


def area_aliases() -> pd.DataFrame:
    """The bundled alias table (a copy), columns :data:`ALIAS_COLUMNS`.

    Examples
    --------
    >>> table = area_aliases()
    >>> sorted(table.loc[table["area"] == "Järva", "alias"].unique())[:3]
    ['Akalla', 'Hjulsta', 'Husby']
    >>> bool((table["source"].str.len() > 0).all())
    True
    """
    return _bundled().copy()


def validate_area_aliases(
    aliases: pd.DataFrame | str | PathLike[str],
    *,
    levels: Sequence[str] | None = None,
    name: str = "aliases",
) -> pd.DataFrame:
    """Read and check an alias table.

    Parameters
    ----------
    aliases : pandas.DataFrame or path to a CSV file
        Columns ``level``, ``area``, ``alias`` and optionally ``source``, ``note`` (a CSV may
        use ``,`` or ``;`` and UTF-8 or cp1252; header case and spaces do not matter).
    levels : sequence of str, optional
        The allowed levels (e.g. :data:`geo_trygg.catalogue.AREA_LEVELS`); any when omitted.
    name : str, default "aliases"
        The argument's name in messages.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ALIAS_COLUMNS` as stripped text (``""`` where a table has no ``source``
        or ``note``), rows in the given order, exact repeats removed.

    Raises
    ------
    ConfigError
        When ``aliases`` is neither a table nor a path, a required column is missing (the
        message names the columns wanted), a level is not allowed, or a ``level``, ``area`` or
        ``alias`` value is empty.
    ReadError
        When the CSV file cannot be read.

    Examples
    --------
    >>> import pandas as pd
    >>> validate_area_aliases(pd.DataFrame({"Level": ["lpo"], "area": ["Järva"],
    ...     "alias": [" Rinkeby "]}))[["level", "alias", "source"]].to_numpy().tolist()
    [['lpo', 'Rinkeby', '']]
    """
    if isinstance(aliases, pd.DataFrame):
        df = aliases.copy()
    elif isinstance(aliases, (str, PathLike)):
        df = read_small_csv(Path(aliases), name)
    else:
        raise ConfigError(
            f"{name}={aliases!r} must be a DataFrame or the path of a CSV file with columns "
            f"{', '.join(REQUIRED_ALIAS_COLUMNS)} (optionally source, note)"
        )
    df.columns = [normalize_name(c) for c in df.columns]
    missing = [c for c in REQUIRED_ALIAS_COLUMNS if c not in df.columns]
    if missing:
        raise ConfigError(
            f"{name} lacks column(s) {', '.join(map(repr, missing))}; an alias table has the "
            f"columns {', '.join(map(repr, REQUIRED_ALIAS_COLUMNS))} and optionally 'source', "
            f"'note'; found {list(map(str, df.columns))}"
        )
    out = pd.DataFrame(index=range(len(df)))
    for col in ALIAS_COLUMNS:
        values = df[col] if col in df.columns else pd.Series("", index=df.index)
        out[col] = [_text(v) for v in values]
    out["level"] = [normalize_name(v) for v in out["level"]]
    for col in REQUIRED_ALIAS_COLUMNS:
        empty = [i for i, v in enumerate(out[col]) if not v]
        if empty:
            raise ConfigError(
                f"{name}: column {col!r} is empty in {len(empty)} row(s), e.g. row {empty[0]} "
                "(counted from 0); every row needs a level, an area and an alias"
            )
    if levels is not None:
        bad = sorted(set(out["level"]) - set(levels))
        if bad:
            raise ConfigError(
                f"{name} has level value(s) {', '.join(map(repr, bad))} that are not allowed; "
                f"expected one of: {', '.join(map(repr, levels))}"
            )
    return out.drop_duplicates(ignore_index=True)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())
