"""Controlled vocabularies as data (CSV files beside this module) with Swedish/English labels.

- :mod:`geo_trygg.vocab.findings`: finding categories, statuses, responsible actors, severity.
- :mod:`geo_trygg.vocab.events`: canonical event categories, source actors, and the mapping
  tables from each source's own event types.

Both modules have a ``label(code, lang=None)``; import them by module to keep them apart.
"""

from __future__ import annotations

from geo_trygg.vocab import events, findings

__all__ = ["events", "findings"]
