"""The åtgärdsplan's computations: pure functions on the register's tables.

A plan is three tables (their shapes are in docs/plan.md): **measures** (åtgärder, with Brå's
fields, a place and dates), **problems** (an event category in an area of a lägesbild level,
a Gi* hotspot cell, or walk findings) and the **links** between them (a measure has one or
more problems). From them, on a day ``as_of``:

- :func:`measure_status`: green / yellow / red from the deadline and the progress
  (``done`` and ``cancelled`` as such), the rule in its docstring;
- :func:`measure_followup`: the measure's indicator (its problems' events) counted at its
  place before and after its start, and whether the change can be judged, with the reason
  when it cannot;
- :func:`measure_evaluation`: the weighted displacement difference of
  :mod:`geo_trygg.stats` with target, displacement buffer and control chosen by a documented
  rule (:func:`wdd_areas`) or given.

Measure areas (camera surveillance, ordningsvakter, other measures, read by
:func:`geo_trygg.io.read_measure_areas`) have hours and a validity: :func:`in_hours` (the
rule, across midnight and DST), :func:`exposure_hours` (real hours in force),
:func:`measure_area_counts` (inside and outside, in hours) and
:func:`measure_area_evaluation` (the WDD in the area's hours); docs/measures.md.

The functions return codes (``rag``, ``reason_code``, the WDD's ``code``); the words are in
:mod:`geo_trygg.labels` (``rag_names``, ``measure_status_names``, ``change_names``); the
``reason`` column is already a sentence in the session's language.
"""

from __future__ import annotations

from geo_trygg.plan._evaluation import (
    CONTROL_WIDTH,
    COUNT_COLUMNS,
    EVALUATION_COLUMNS,
    MIN_BUFFER_M,
    buffer_width,
    measure_evaluation,
    wdd_areas,
)
from geo_trygg.plan._followup import FOLLOWUP_COLUMNS, measure_followup
from geo_trygg.plan._input import (
    COARSE,
    LINK_COLUMNS,
    MEASURE_COLUMNS,
    MEASURE_STATUSES,
    MIN_FOLLOWUP_EVENTS,
    MIN_WINDOW_DAYS,
    PROBLEM_COLUMNS,
    PROBLEM_KINDS,
    REASON_CODES,
)
from geo_trygg.plan._layers import (
    AREA_COUNT_COLUMNS,
    AREA_EVALUATION_COLUMNS,
    areas_in_force,
    exposure_hours,
    hours_window_days,
    in_hours,
    measure_area_counts,
    measure_area_evaluation,
)
from geo_trygg.plan._status import LATE_MARGIN, RAG_CODES, measure_status

__all__ = [
    "AREA_COUNT_COLUMNS",
    "AREA_EVALUATION_COLUMNS",
    "COARSE",
    "CONTROL_WIDTH",
    "COUNT_COLUMNS",
    "EVALUATION_COLUMNS",
    "FOLLOWUP_COLUMNS",
    "LATE_MARGIN",
    "LINK_COLUMNS",
    "MEASURE_COLUMNS",
    "MEASURE_STATUSES",
    "MIN_BUFFER_M",
    "MIN_FOLLOWUP_EVENTS",
    "MIN_WINDOW_DAYS",
    "PROBLEM_COLUMNS",
    "PROBLEM_KINDS",
    "RAG_CODES",
    "REASON_CODES",
    "areas_in_force",
    "buffer_width",
    "exposure_hours",
    "hours_window_days",
    "in_hours",
    "measure_area_counts",
    "measure_area_evaluation",
    "measure_evaluation",
    "measure_followup",
    "measure_status",
    "wdd_areas",
]
