"""The readers' rules for one cell, for the layers that read values the way the readers do.

The follow-up of findings and the status round trip take dates and texts from frames that did
not come from a reader (a DataFrame built by hand, a list sent back); they parse them with the
same rules, so that ``"30/6/2024"`` or ``"30 juni 2024"`` means the same day everywhere:

- dates: :func:`parse_datetimes` (a column), :func:`parse_datetime_value` (one value), with
  :data:`STOCKHOLM` the time zone of naive values (see ``docs/data-model.md``);
- texts: :func:`as_text` (one cell: None for blanks, ``"12"`` for the number 12.0),
  :func:`text_column` (a column).
"""

from __future__ import annotations

from geo_trygg.io._dates import STOCKHOLM, ParsedTimes, parse_datetime_value, parse_datetimes
from geo_trygg.io._points import as_text, text_column

__all__ = [
    "STOCKHOLM",
    "ParsedTimes",
    "as_text",
    "parse_datetime_value",
    "parse_datetimes",
    "text_column",
]
