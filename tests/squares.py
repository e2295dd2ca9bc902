"""Hand-made areas for the lägesbild tests (a helper module, not a test file).

Four 1 km² stadsdelar in EPSG:3006: A B (kommun K1) over C D (kommun K2), and the crosswalk
stadsdel -> kommun that says so.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

SQUARES = {"A": (0, 1000), "B": (1000, 1000), "C": (0, 0), "D": (1000, 0)}
"""Each stadsdel's south-west corner (metres)."""
KOMMUN_OF = {"A": "K1", "B": "K1", "C": "K2", "D": "K2"}


def areas() -> gpd.GeoDataFrame:
    """The four stadsdelar and the two kommuner, one frame (split by ``level``)."""
    rows = [
        {"area_id": n, "name": n, "level": "stadsdel", "geometry": box(x, y, x + 1000, y + 1000)}
        for n, (x, y) in SQUARES.items()
    ]
    rows += [
        {"area_id": "K1", "name": "K1", "level": "kommun", "geometry": box(0, 1000, 2000, 2000)},
        {"area_id": "K2", "name": "K2", "level": "kommun", "geometry": box(0, 0, 2000, 1000)},
    ]
    return gpd.GeoDataFrame(rows, crs="EPSG:3006")


CROSSWALK = pd.DataFrame(
    {
        "child_level": "stadsdel",
        "child": list(KOMMUN_OF),
        "parent_level": "kommun",
        "parent": list(KOMMUN_OF.values()),
        "valid_from": pd.NaT,
        "valid_to": pd.NaT,
        "status": "confirmed",
        "source": "hand-made test fixture",
    }
)
