"""The åtgärdsregister: walks, findings, their history, event batches and the plan, kept over
years in one store.

Two backends behind one API: a GeoPackage file (the embedded default: no server, opens in
QGIS, works offline) and a PostGIS database (several organisations writing into one register).
Open one with :func:`open_register`; import walk protocols, returned status files and event
batches into it (:meth:`Register.import_walk`, :meth:`Register.import_status`,
:meth:`Register.import_events`), each in one transaction; read it back as the readers' frames
(:meth:`Register.findings`, :meth:`Register.events`…); copy it whole between backends
(:meth:`Register.export`, :func:`copy_register`).

The schema is in :mod:`geo_trygg.register._schema`, the merge rule of walks in
:mod:`geo_trygg.register._merge`, the import rules in :mod:`geo_trygg.register._imports`.
"""

from __future__ import annotations

from geo_trygg.register._imports import ImportReport
from geo_trygg.register._register import Register, copy_register, open_register
from geo_trygg.register._schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "ImportReport", "Register", "copy_register", "open_register"]
