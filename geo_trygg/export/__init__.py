"""Writers of tables, and the one HTML frame of every page the project writes.

- tables to files that give the same bytes for the same input: :func:`write_excel`,
  :func:`write_csv_folder`, :func:`write_geopackage` and the readable, self-contained report
  :func:`write_html` (see :mod:`geo_trygg.export._tables` for the choices made);
- the one formula-safe rule of every CSV cell (:func:`formula_safe_text`,
  :func:`formula_safe`, :func:`original_text`) and the fixed GeoPackage date;
- the HTML frame shared by the report and a pack's pages (:func:`page_template`,
  :func:`render_page`): templates are compiled only from code, data is only ever a value.

The lägesbild's exporters (``Lagesbild.to_excel`` …), the packs and the point writers of
:mod:`geo_trygg.io.write` use these.
"""

from __future__ import annotations

from geo_trygg.export._frame import page_template, render_page
from geo_trygg.export._safe import (
    DANGEROUS_START,
    FIXED_GPKG_DATE,
    formula_safe,
    formula_safe_text,
    original_text,
)
from geo_trygg.export._tables import (
    FIXED_CREATED,
    write_csv_folder,
    write_excel,
    write_geopackage,
    write_html,
)

__all__ = [
    "DANGEROUS_START",
    "FIXED_CREATED",
    "FIXED_GPKG_DATE",
    "formula_safe",
    "formula_safe_text",
    "original_text",
    "page_template",
    "render_page",
    "write_csv_folder",
    "write_excel",
    "write_geopackage",
    "write_html",
]
