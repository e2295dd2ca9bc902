"""Meeting packs: one command builds maps and lägesbilder for every area for the next meeting.

:func:`load_config` reads and checks a TOML configuration before any work;
:func:`build_pack` writes the pack atomically (index, a folder per area with the map, the
report and the Excel file, the rejected rows and a manifest with checksums). The command line
is ``geo-trygg build CONFIG.toml --out DIR``. See ``docs/pack.md``.
"""

from __future__ import annotations

from geo_trygg.pack._build import PackResult, build_pack, slug
from geo_trygg.pack._config import PackConfig, load_config

__all__ = ["PackConfig", "PackResult", "build_pack", "load_config", "slug"]
