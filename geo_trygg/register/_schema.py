"""The register's tables, their columns and the schema versions (one definition, two backends).

Every table has an integer primary key ``fid`` (what GDAL and QGIS use as the feature id) and
columns of a few logical types, which each backend maps to its own column types
(:mod:`geo_trygg.register._gpkg`, :mod:`geo_trygg.register._postgis`):

``text``, ``int``, ``real``, ``bool``, ``date`` (a day), ``datetime`` (an instant, stored in
UTC), ``point`` and ``multipolygon`` (geometries in the register's CRS, EPSG:3006).

Versions: :data:`SCHEMA_VERSION` is the version this code writes. A register records its
version in the ``meta`` table; :data:`MIGRATIONS` holds, per version, the tables (and later
the columns) that version adds, so that an older register is migrated forward on open, one
version at a time, in one transaction. A register with a newer version than this code knows
is refused (:mod:`geo_trygg.register._store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "GEOMETRY_TYPES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLES",
    "Table",
]

GEOMETRY_TYPES = ("point", "multipolygon")
"""The logical types that are geometries."""


@dataclass(frozen=True)
class Table:
    """One table: its name, its columns ``(name, logical type)`` after ``fid``, the columns
    that are unique together (one constraint per tuple), its indexes, what it holds, and
    whether the register updates its rows after they are written (``updated``: a backend may
    leave room for that)."""

    name: str
    columns: tuple[tuple[str, str], ...]
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    description: str = ""
    updated: bool = False

    @property
    def names(self) -> list[str]:
        """The column names after ``fid``, in order."""
        return [name for name, _ in self.columns]

    @property
    def geometry(self) -> str | None:
        """The geometry column's name, or None for a table of attributes."""
        for name, kind in self.columns:
            if kind in GEOMETRY_TYPES:
                return name
        return None

    def kind(self, column: str) -> str:
        """The logical type of ``column``."""
        return dict(self.columns)[column]


def _t(name: str, spec: str, description: str, **kw: Any) -> Table:
    columns = tuple(
        (part.split(":")[0], part.split(":")[1]) for part in spec.split() if part.strip()
    )
    return Table(name, columns, description=description, **kw)


_V1 = (
    _t(
        "meta",
        "key:text value:text",
        "The register's own facts: schema version, CRS, the tool that created it.",
        unique=(("key",),),
    ),
    _t(
        "imports",
        "kind:text file_name:text sha256:text walk:text source:text imported_at:datetime "
        "imported_by:text n_input:int n_accepted:int n_rejected:int n_new:int n_seen_again:int "
        "n_updates:int n_unknown:int n_already:int coverage_from:date coverage_to:date "
        "report:text",
        "One row per import (walk, status file, event batch, backup): its file, counts, "
        "coverage and the reader's report.",
        indexes=(("sha256",),),
    ),
    _t(
        "rejected_rows",
        "import_fid:int row:int column_name:text value:text reason:text",
        "Every input row an import rejected, with its row number in the file and the reason.",
        indexes=(("import_fid",),),
    ),
    _t(
        "walks",
        "walk:text walk_date:date import_fid:int n_rows:int",
        "The safety walks (trygghetsvandringar) imported, one row each.",
        unique=(("walk",),),
    ),
    _t(
        "findings",
        "finding_id:text walk:text source_id:text walk_date:date last_seen:date n_seen:int "
        "category:text category_original:text description:text severity:int "
        "responsible_actor:text responsible_original:text status:text status_date:date "
        "deadline:date geom:point",
        "The findings, one row per place and problem, however many walks saw it; their "
        "current status.",
        unique=(("finding_id",),),
        indexes=(("category", "status"),),
        updated=True,
    ),
    _t(
        "sightings",
        "finding_id:text walk:text walk_date:date import_fid:int source_row:int "
        "source_id:text kind:text distance_m:real description:text severity:int status:text",
        "Each time a walk recorded a finding: new, or seen again (with the distance to it).",
        indexes=(("finding_id",),),
    ),
    _t(
        "status_history",
        "object_kind:text object_id:text changed_on:date status_from:text status_to:text "
        "who:text comment:text source_file:text import_fid:int source_row:int "
        "recorded_at:datetime",
        "Every status change of a finding or measure: when, from what to what, who, comment "
        "and source file.",
        indexes=(("object_kind", "object_id"),),
    ),
    _t(
        "events",
        "event_id:text source:text import_fid:int time_from:datetime time_to:datetime "
        "published:datetime category:text source_type:text location_precision:text "
        "location_name:text kommun:text duplicate_group:text text:text url:text geom:point",
        "Incidents and reports imported in batches (police, housing companies, transit, guards).",
        unique=(("source", "event_id"),),
        indexes=(("import_fid",),),
    ),
    _t(
        "problems",
        "problem_id:text kind:text category:text level:text area:text cell_id:text "
        "period:text description:text",
        "The problems a plan addresses: a category in an area, a hotspot, or walk findings.",
        unique=(("problem_id",),),
    ),
    _t(
        "problem_findings",
        "problem_id:text finding_id:text",
        "The findings that make up a problem of kind findings.",
        unique=(("problem_id", "finding_id"),),
    ),
    _t(
        "measures",
        "measure_id:text title:text cause:text objective:text responsible:text followup:text "
        "start_date:date end_date:date progress:int status:text public:bool radius_m:real "
        "area:text geom:multipolygon",
        "The measures (åtgärder) of the plan with Brå's fields and their place.",
        unique=(("measure_id",),),
        updated=True,
    ),
    _t(
        "measure_problems",
        "measure_id:text problem_id:text",
        "Which problems each measure addresses.",
        unique=(("measure_id", "problem_id"),),
    ),
)

TABLES: dict[str, Table] = {table.name: table for table in _V1}
"""Every table of the current schema, by name."""

SCHEMA_VERSION = 1
"""The schema version this code writes and reads."""

MIGRATIONS: dict[int, tuple[Table, ...]] = {1: _V1}
"""Per schema version, the tables it adds (version 1: every table)."""
