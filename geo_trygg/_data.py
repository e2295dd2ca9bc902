"""The data files shipped inside the package, found through :mod:`importlib.resources` (private).

Every file the code reads at run time is part of the package, so that an installed wheel
works with no repository beside it:

``geo_trygg/data/catalogue.toml``
    the catalogue of official boundary sources (:mod:`geo_trygg.catalogue`);
``geo_trygg/data/crosswalks/*.csv``
    the crosswalk tables (:mod:`geo_trygg.crosswalks`);
``geo_trygg/data/demo/``
    the DEMO data (:mod:`geo_trygg.demo`);
``geo_trygg/data/pack-example.toml``
    the example meeting-pack configuration (``geo-trygg demo``);
``geo_trygg/data/messages/sv.toml``, ``en.toml``
    every sentence a user reads, one file per language (:mod:`geo_trygg._labels`);
``geo_trygg/vocab/*.csv``
    the vocabularies (:mod:`geo_trygg.vocab`).

The repository's top-level ``boundaries/`` keeps only the human-readable documentation of
these files (``boundaries/README.md``).

Examples
--------
>>> data_path("catalogue.toml").name
'catalogue.toml'
>>> data_path("crosswalks").is_dir()
True
"""

from __future__ import annotations

import atexit
import importlib.resources
from contextlib import ExitStack
from pathlib import Path

__all__ = ["data_path"]

# Files of a package imported from a zip archive are extracted to temporary files that live
# until the interpreter exits; for an ordinary (unpacked) install as_file gives the file itself.
_FILES = ExitStack()
atexit.register(_FILES.close)


def data_path(*parts: str) -> Path:
    """A file-system path of ``geo_trygg/data/<parts>`` (the folder itself without parts).

    Parameters
    ----------
    *parts : str
        Path components below ``geo_trygg/data``, e.g. ``"demo", "demo_events.csv"``.

    Returns
    -------
    pathlib.Path
    """
    ref = importlib.resources.files("geo_trygg").joinpath("data")
    for part in parts:
        ref = ref.joinpath(part)
    return _FILES.enter_context(importlib.resources.as_file(ref))
