"""A pack from the register (``register = "…"``): its inputs, its state, and the plan pages.

With ``register`` in the configuration the findings and events come from the åtgärdsregister
(:mod:`geo_trygg.register`, a GeoPackage or a PostGIS database) instead of files, and every
area page gets a plan page beside its lägesbild (``atgardsplan.html``): the problems, the
measures that address them, their status and their effect so far, as of the pack period's
last day (:func:`plan_pages`).

- **Inputs** (:func:`read_register`): every finding with its current status and every event
  the register holds (the lägesbild takes its periods itself), the rows its imports rejected,
  and per event source the days its batches cover — the comparison coverage of the lägesbild
  and of the follow-up where ``comparison.coverage`` does not give that source. Where a
  source's batches leave gaps, the days used are its latest run of days without a gap (a
  comparison reaching into a gap is then refused, never made over missing days).
- **State** (:func:`register_state`): a SHA-256 of what the register holds — the rows per
  table, the imports, the status history and the plan's tables — that stands for the
  register among the inputs of the manifest: the same state gives the same pack, byte for
  byte; a new import, status file or plan change gives a new one.
- **Which measures belong to an area**: decided once per build, like a point: each measure's
  place gives a representative point (:func:`shapely.point_on_surface`, always inside the
  place), assigned to one area per page level by :func:`geo_trygg.assign_areas` with the
  boundary rule of every point of the pack (a point on a shared boundary belongs to one area
  only), so a measure is on exactly one page of a level. A problem of kind ``category_area``
  is also shown on the page of the area it names (level and name; names matched as the
  pack's ``pages`` are).
- **Public packs**: a public plan page shows the measures' status and traffic light, their
  dates and their problems' categories; no free text and no person (title, cause,
  objective, follow-up, responsible, descriptions) unless the measure is marked ``public``;
  the counts (findings done and open per findings problem, the follow-up's events before and
  after) go through the pack's suppression (:func:`geo_trygg.pack._suppress.suppress`):
  "<k" for a count from 1 to k−1, ".." for one hidden so that no small count can be worked
  back from the others on the plan pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo_trygg import labels, settings
from geo_trygg._errors import GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._text import normalize_name
from geo_trygg.export import page_template, render_page
from geo_trygg.followup import OPEN_STATUSES
from geo_trygg.join import assign_areas
from geo_trygg.maps import number
from geo_trygg.pack._mask import mask_frame
from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, suppress
from geo_trygg.vocab import events as event_vocab
from geo_trygg.vocab import findings as finding_vocab

__all__ = [
    "REGISTER_SOURCE",
    "RegisterInputs",
    "measure_areas",
    "plan_pages",
    "read_register",
    "register_notes",
    "register_state",
]

REGISTER_SOURCE = "register"
"""Where the pack's notes on the register come from (the configuration key)."""

_MEASURE_TEXTS = ("title", "cause", "objective", "responsible", "followup")
"""The measures' free text (Brå's columns): masked like every free text of the pack, shown
publicly only for a measure marked ``public``."""


@dataclass(frozen=True)
class RegisterInputs:
    """What a pack reads from the register, read once per build.

    Attributes
    ----------
    label : str
        The register as its configuration names it: the GeoPackage's path or the URL (never
        with a password).
    findings, events : geopandas.GeoDataFrame or None
        The readers' columns (``finding_id`` the register's id); None when it holds none.
    rejected : pandas.DataFrame
        The rows its imports rejected: ``file`` (the import's file name), ``row``,
        ``column``, ``value``, ``reason``.
    coverage : dict
        Per event source ``(first day, last day)`` covered without a gap (the latest such
        run), for the lägesbild and the follow-up.
    spans : list of tuple
        Per source ``(source, first, last, gap days)`` over all its batches, for the pack's
        statement of what the register covers.
    measures, problems, links, problem_findings
        The plan's tables (:meth:`geo_trygg.register.Register.measures` …).
    """

    label: str
    findings: gpd.GeoDataFrame | None
    events: gpd.GeoDataFrame | None
    rejected: pd.DataFrame
    coverage: dict[str, tuple[dt.date, dt.date]]
    spans: list[tuple[str, dt.date, dt.date, int]]
    measures: gpd.GeoDataFrame
    problems: pd.DataFrame
    links: pd.DataFrame
    problem_findings: pd.DataFrame = field(default_factory=pd.DataFrame)


def _open(target: str) -> Any:
    from geo_trygg.register import open_register

    return open_register(target, create=False)


def _days(first: Any, last: Any) -> list[dt.date]:
    start, end = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _covered(imports: pd.DataFrame) -> dict[str, set[dt.date]]:
    """Per event source, every day one of its batches covers."""
    days: dict[str, set[dt.date]] = {}
    rows = imports.loc[imports["kind"] == "events"] if "kind" in imports else imports.iloc[:0]
    for sources, first, last in rows[["source", "coverage_from", "coverage_to"]].itertuples(
        index=False
    ):
        if not isinstance(sources, str) or pd.isna(first) or pd.isna(last):
            continue
        for source in (s for s in sources.split(",") if s):
            days.setdefault(source, set()).update(_days(first, last))
    return days


def _latest_run(days: set[dt.date]) -> tuple[dt.date, dt.date]:
    """The latest run of consecutive days in ``days``."""
    last = max(days)
    first = last
    while first - dt.timedelta(days=1) in days:
        first -= dt.timedelta(days=1)
    return first, last


_REGISTER_ONLY = ("source_id", "last_seen", "n_seen", "import_id")
"""Columns of the register's findings beyond the readers' (the pages show the readers')."""


def _as_read(findings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The register's findings with the readers' columns: the first walk that saw a finding
    is its ``walk_id``; the register's own bookkeeping columns are left out."""
    out = findings.drop(columns=[c for c in _REGISTER_ONLY if c in findings.columns])
    if "walk" in out.columns:
        out = out.rename(columns={"walk": "walk_id"})
        if list(out.columns).count("walk_id") > 1:  # pragma: no cover - the register has one
            out = out.loc[:, ~out.columns.duplicated()]
    return out


def read_register(target: str, label: str) -> RegisterInputs:
    """Everything a pack needs from the register at ``target`` (one connection, closed).

    Parameters
    ----------
    target : str
        What :func:`geo_trygg.register.open_register` takes (an existing register).
    label : str
        How the pack names it (path or URL without password).

    Returns
    -------
    RegisterInputs
    """
    with _open(target) as reg:
        findings = reg.findings()
        events = reg.events()
        imports = reg.imports()
        rejected = reg.rejected()
        measures = reg.measures()
        problems = reg.problems()
        links = reg.links()
        problem_findings = reg.problem_findings()
    names = dict(zip(imports["import_id"], imports["file_name"], strict=True))
    rejected = rejected.assign(file=rejected["import_id"].map(names)).drop(columns="import_id")
    rejected = rejected[["file", *(c for c in rejected.columns if c != "file")]]
    days = _covered(imports)
    coverage = {source: _latest_run(d) for source, d in sorted(days.items()) if d}
    spans = []
    for source, d in sorted(days.items()):
        if d:
            first, last = min(d), max(d)
            spans.append((source, first, last, (last - first).days + 1 - len(d)))
    return RegisterInputs(
        label=label,
        findings=_as_read(findings) if len(findings) else None,
        events=events.drop(columns=["import_id"], errors="ignore") if len(events) else None,
        rejected=rejected.reset_index(drop=True),
        coverage=coverage,
        spans=spans,
        measures=measures,
        problems=problems,
        links=links,
        problem_findings=problem_findings,
    )


def _frame_digest(frame: pd.DataFrame) -> bytes:
    """A frame's content as bytes: its columns and every value as text, in row order."""
    text = pd.DataFrame(frame).astype(str)
    if isinstance(frame, gpd.GeoDataFrame):
        text[frame.geometry.name] = [
            "" if g is None else shapely.to_wkb(g, hex=True) for g in frame.geometry.to_numpy()
        ]
    rows = pd.util.hash_pandas_object(text, index=False).to_numpy()
    return ",".join(map(str, text.columns)).encode() + rows.tobytes()


def register_state(target: str) -> str:
    """A SHA-256 of the register's state: the rows of every table, the imports (each with
    its file's SHA-256 and counts), the status history and the plan's tables.

    Every change the register's API makes adds rows (an import, a sighting, a history row)
    or changes the plan, so a new import or status file gives a new state; the same state
    gives the same digest. (Computed from the register's public reads; a state digest kept
    by the register itself would spare reading the history.)
    """
    digest = hashlib.sha256()
    with _open(target) as reg:
        counts = reg.counts()
        parts = [
            repr(sorted(counts.items())).encode(),
            _frame_digest(reg.imports()),
            _frame_digest(reg.history()),
            _frame_digest(reg.problems()),
            _frame_digest(reg.problem_findings()),
            _frame_digest(reg.measures()),
            _frame_digest(reg.links()),
        ]
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


# --- which measures belong to which area -----------------------------------------------------


def measure_areas(
    measures: gpd.GeoDataFrame, geography: Mapping[str, gpd.GeoDataFrame], at: dt.date
) -> pd.DataFrame:
    """Each measure's area at each level of ``geography``: its place's representative point
    (inside the place) assigned like every point of the pack (one area per level; a point on
    a shared boundary belongs to one area; outside every area: none).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure_id``, one column per level (the area's name, or None).
    """
    ids = measures["measure_id"].astype(str).to_numpy()
    out = pd.DataFrame(index=pd.Index(ids, name="measure_id"))
    if not len(measures):
        return out
    for level, layer in geography.items():
        points = gpd.GeoDataFrame(
            {"measure_id": ids},
            geometry=shapely.point_on_surface(measures.geometry.to_numpy()),
            crs=measures.crs,
        ).to_crs(layer.crs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # measures, not events or findings: their place's point, once per build
            placed = assign_areas(points, layer, hierarchy=False, aliases=False, at=at)
        out[level] = [None if pd.isna(v) else str(v) for v in placed[level]]
    return out


# --- the plan's figures ------------------------------------------------------------------------


@dataclass
class _Plan:
    """The plan's figures for every page, computed once per build."""

    measures: pd.DataFrame  # one row per measure, indexed by measure_id, with rag, follow-up
    problems: pd.DataFrame  # indexed by problem_id, with the findings' counts
    links: pd.DataFrame
    areas: pd.DataFrame  # measure_id → area per page level
    last_day: dt.date
    texts: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)  # public


def _findings_counts(
    problems: pd.DataFrame,
    problem_findings: pd.DataFrame,
    findings: gpd.GeoDataFrame | None,
    last_day: dt.date,
) -> pd.DataFrame:
    """Per problem of kind ``findings``: its findings done, open and overdue (open with a
    deadline before ``last_day``), of those walked on or before ``last_day``."""
    out = pd.DataFrame(
        0, index=problems["problem_id"].astype(str), columns=["n_done", "n_open", "n_overdue"]
    )
    if findings is None or not len(problem_findings):
        out["finding_categories"] = [() for _ in out.index]
        return out
    f = pd.DataFrame(findings.drop(columns=findings.geometry.name))
    f = f.assign(finding_id=f["finding_id"].astype(str))
    walked = pd.to_datetime(f["walk_date"], errors="coerce")
    f = f.loc[walked.isna() | (walked <= pd.Timestamp(last_day))]
    pf = problem_findings.assign(
        problem_id=problem_findings["problem_id"].astype(str),
        finding_id=problem_findings["finding_id"].astype(str),
    ).merge(f[["finding_id", "status", "deadline"]], on="finding_id", how="inner")
    deadline = pd.to_datetime(pf["deadline"], errors="coerce")
    is_open = pf["status"].isin(OPEN_STATUSES)
    pf = pf.assign(
        n_done=(pf["status"] == "done").astype(int),
        n_open=is_open.astype(int),
        n_overdue=(is_open & deadline.notna() & (deadline < pd.Timestamp(last_day))).astype(int),
    )
    sums = pf.groupby("problem_id")[["n_done", "n_open", "n_overdue"]].sum()
    out.loc[sums.index.intersection(out.index)] = sums.loc[sums.index.intersection(out.index)]
    # the categories of its findings (vocabulary codes), to name a problem of findings
    cats = f[["finding_id", "category"]].dropna()
    named = problem_findings.astype(str).merge(cats, on="finding_id", how="inner")
    out["finding_categories"] = [
        tuple(sorted(set(named.loc[named["problem_id"] == pid, "category"].astype(str))))
        for pid in out.index
    ]
    return out


def _compute(
    data: RegisterInputs,
    geography: Mapping[str, gpd.GeoDataFrame],
    period_end: dt.date,
    at: dt.date,
    lang: str,
    coverage: Mapping[str, tuple[dt.date, dt.date]],
    mask: bool,
) -> _Plan:
    from geo_trygg.plan import measure_evaluation, measure_followup, measure_status

    last_day = period_end - dt.timedelta(days=1)
    measures = data.measures.reset_index(drop=True)
    problems = data.problems.reset_index(drop=True)
    if mask:  # personnummer and phone numbers in the plan's free text, as everywhere
        texts = [c for c in _MEASURE_TEXTS if c in measures.columns]
        measures = mask_frame(measures, texts, lang=lang)
        if "description" in problems.columns:
            problems = mask_frame(problems, ["description"], lang=lang)
    links = data.links.reset_index(drop=True)
    counts = _findings_counts(problems, data.problem_findings, data.findings, last_day)
    table = pd.DataFrame(problems).assign(problem_id=problems["problem_id"].astype(str))
    table = table.set_index("problem_id").join(counts)
    frame = pd.DataFrame(measures.drop(columns=measures.geometry.name)).assign(
        measure_id=measures["measure_id"].astype(str)
    )
    frame = frame.set_index("measure_id")
    if len(measures):
        events = data.events
        if events is None:  # no events at all: the follow-up counts none
            events = gpd.GeoDataFrame(
                {
                    "event_id": pd.Series(dtype=object),
                    "time_from": pd.Series(dtype="datetime64[ns, Europe/Stockholm]"),
                    "category": pd.Series(dtype=object),
                    "source": pd.Series(dtype=object),
                    "location_precision": pd.Series(dtype=object),
                },
                geometry=gpd.GeoSeries([], crs=measures.crs),
            )
        cover = dict(coverage) or None
        with settings.use_lang(lang), warnings.catch_warnings():
            warnings.simplefilter("ignore", GeoTryggWarning)
            rag = measure_status(measures, as_of=last_day)
            follow = measure_followup(
                measures, problems, links, events, as_of=period_end, coverage=cover
            )
            wdd = measure_evaluation(
                measures,
                events,
                as_of=period_end,
                problems=problems,
                links=links,
                coverage=cover,
            )
        frame["rag"] = rag.to_numpy()
        follow.index = follow.index.astype(str)
        wdd.index = wdd.index.astype(str)
        frame = frame.join(follow.add_prefix("fu_")).join(wdd.add_prefix("wdd_"))
    areas = measure_areas(measures, geography, at)
    return _Plan(measures=frame, problems=table, links=links, areas=areas, last_day=last_day)


# --- public counts -----------------------------------------------------------------------------


def _public_texts(
    plan: _Plan, data: RegisterInputs, k: int, lang: str
) -> dict[tuple[str, str], str]:
    """Every count a public plan page shows, as shown: ``(id, column)`` → text, after the
    pack's suppression. The findings' counts are sums of atoms (the findings with the same
    problems and the same state, done or open), so a finding in two problems ties their
    counts; each follow-up count is its own atom."""
    rows: list[tuple[str, str]] = []
    values: list[int] = []
    members: list[list[int]] = []
    atoms: dict[Any, int] = {}
    findings_problems = plan.problems.index[plan.problems["kind"] == "findings"]
    if len(findings_problems) and data.findings is not None and len(data.problem_findings):
        f = pd.DataFrame(data.findings.drop(columns=data.findings.geometry.name))
        walked = pd.to_datetime(f["walk_date"], errors="coerce")
        f = f.loc[walked.isna() | (walked <= pd.Timestamp(plan.last_day))]
        state = dict(zip(f["finding_id"].astype(str), f["status"], strict=True))
        of: dict[str, set[str]] = {}
        for pid, fid in (
            data.problem_findings[["problem_id", "finding_id"]].astype(str).itertuples(index=False)
        ):
            if fid in state:
                of.setdefault(fid, set()).add(pid)
        atom_count: dict[int, int] = {}
        cells: dict[tuple[str, str], set[int]] = {}
        for fid, pids in sorted(of.items()):
            status = state[fid]
            kind = "n_done" if status == "done" else "n_open" if status in OPEN_STATUSES else None
            if kind is None:
                continue
            key = (tuple(sorted(pids)), kind)
            atom = atoms.setdefault(key, len(atoms))
            atom_count[atom] = atom_count.get(atom, 0) + 1
            for pid in pids:
                cells.setdefault((pid, kind), set()).add(atom)
        for pid in findings_problems:
            for kind in ("n_done", "n_open"):
                own = sorted(cells.get((pid, kind), set()))
                rows.append((pid, kind))
                members.append(own)
                values.append(sum(atom_count[a] for a in own))
    for mid, row in plan.measures.iterrows():
        if _text(row.get("fu_reason_code")) in _NO_WINDOW:  # no counts shown
            continue
        for column in ("fu_n_before", "fu_n_after"):
            value = row.get(column)
            if value is None or pd.isna(value):
                continue
            atom = atoms.setdefault((mid, column), len(atoms))
            rows.append((str(mid), column))
            members.append([atom])
            values.append(int(value))
    if not rows:
        return {}
    matrix = np.zeros((len(rows), max(len(atoms), 1)), dtype=np.int8)
    for i, own in enumerate(members):
        matrix[i, own] = 1
    states = suppress(matrix, np.array(values, dtype=np.int64), k=k)
    texts = {}
    for (owner, column), value, st in zip(rows, values, states, strict=True):
        if st == PUBLISHED:
            texts[(owner, column)] = number(value, lang)
        elif st == PRIMARY:
            texts[(owner, column)] = f"<{k}"
        else:
            texts[(owner, column)] = ".."
    return texts


# --- the pages ---------------------------------------------------------------------------------

_STYLE = """.lead { font-size: 1.05em; } .muted { color: #444; }
section.measure { border-top: 2px solid #bbb; margin-top: 1.4em; break-inside: avoid;
  page-break-inside: avoid; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.fields dt { font-weight: 600; } dl.fields dd { margin: 0; }
.rag { display: inline-block; padding: 0 8px; border: 1px solid #555; border-radius: 10px;
  font-weight: 600; }
.rag-green { background: #d7f0d2; } .rag-yellow { background: #fff1b8; }
.rag-red { background: #f7d0d0; } .rag-done, .rag-cancelled { background: #e6e6e6; }
@media print { body { max-width: none; font-size: 11pt; } a { color: inherit; }
  table, section.measure { break-inside: avoid; } }"""

_TEMPLATE = page_template(
    """{% extends "base.html" %}
{% block style %}"""
    + _STYLE
    + """{% endblock %}
{% block main %}
<h1>{{ title }}</h1>
<p class="lead">{{ as_of }}</p>
{% for line in about %}<p class="muted">{{ line }}</p>{% endfor %}
<h2 id="problem">{{ problems_title }}</h2>
{% if problems %}<table>
<thead><tr>{% for h in problem_headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for p in problems %}<tr><td>{{ p.name }}</td><td>{{ p.kind }}</td>
<td>{% for m in p.measures %}{% if m.href %}<a href="{{ m.href }}">{{ m.text }}</a>
{%- else %}{{ m.text }}{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}
{%- if not p.measures %}–{% endif %}</td>
<td>{{ p.findings }}</td></tr>
{% endfor %}</tbody>
</table>{% else %}<p>{{ no_problems }}</p>{% endif %}
<h2 id="atgarder">{{ measures_title }}</h2>
{% if not measures %}<p>{{ no_measures }}</p>{% endif %}
{% for m in measures %}<section class="measure" id="{{ m.anchor }}"
 aria-labelledby="{{ m.anchor }}-rubrik">
<h3 id="{{ m.anchor }}-rubrik">{{ m.title }}</h3>
<dl class="fields">
{% for label, value in m.fields %}<dt>{{ label }}</dt><dd>{{ value }}</dd>
{% endfor %}<dt>{{ rag_label }}</dt>
<dd><span class="rag rag-{{ m.rag_code }}">{{ m.rag }}</span></dd>
{% for label, value in m.after %}<dt>{{ label }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl>
</section>
{% endfor %}
{% endblock %}
"""
)


def _text(value: Any) -> str:
    """A free-text value as shown (empty for a missing one)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _day(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return pd.Timestamp(value).date().isoformat()


def _category_words(kind: str, category: Any, lang: str) -> str:
    if not isinstance(category, str) or not category:
        return ""
    if kind == "findings":
        return str(finding_vocab.label(category, lang, kind="category"))
    return str(event_vocab.label(category, lang))


def _problem_name(row: pd.Series, lang: str, *, public: bool) -> str:
    """A problem in words: its category (and, for an area problem, the area); internally
    with its description."""
    kind = str(row.get("kind"))
    words = _category_words(kind, row.get("category"), lang)
    if not words and kind == "findings":  # the categories of its findings
        found = row.get("finding_categories")
        words = ", ".join(_category_words(kind, c, lang) for c in (found or ()))
    if kind == "category_area" and _text(row.get("area")):
        words = msg("plan_page_problem_in", lang, category=words, area=_text(row.get("area")))
    elif kind == "hotspot" and not public and _text(row.get("cell_id")):
        words = msg("plan_page_problem_cell", lang, category=words, cell=_text(row.get("cell_id")))
    if not words:
        words = msg("plan_page_kind_findings", lang) if kind == "findings" else kind
    description = _text(row.get("description"))
    if description and not public:
        words = f"{words}: {description}"
    return words


def _kind_words(kind: str, lang: str) -> str:
    if kind == "category_area":
        return msg("plan_page_kind_category_area", lang)
    if kind == "hotspot":
        return msg("plan_page_kind_hotspot", lang)
    if kind == "findings":
        return msg("plan_page_kind_findings", lang)
    return kind


def _followup_words(row: pd.Series, lang: str, texts: Mapping[tuple[str, str], str] | None) -> str:
    """The follow-up in words: n before and after in equal windows, and the change or why it
    cannot be judged."""
    mid = str(row.name)
    public = texts is not None
    if (
        "fu_n_before" not in row
        or pd.isna(row.get("fu_n_before"))
        or _text(row.get("fu_reason_code")) in _NO_WINDOW
    ):
        return _reason(row, "fu_", lang, public)
    days = int(row["fu_days"])
    if texts is None:
        before, after = number(row["fu_n_before"], lang), number(row["fu_n_after"], lang)
    else:
        before, after = texts[(mid, "fu_n_before")], texts[(mid, "fu_n_after")]
    counts = msg(
        "plan_page_followup_counts",
        lang,
        before=before,
        after=after,
        days=number(days, lang),
        start=_day(row.get("fu_before_start")),
        before_end=_day(pd.Timestamp(row["fu_start"]) - pd.Timedelta(days=1)),
        middle=_day(row.get("fu_start")),
        end=_day(pd.Timestamp(row["fu_as_of"]) - pd.Timedelta(days=1)),
    )
    if bool(row.get("fu_supported")):
        shown = texts is None or (
            texts[(mid, "fu_n_before")][0].isdigit() and texts[(mid, "fu_n_after")][0].isdigit()
        )
        if shown:
            change = int(row["fu_change"])
            pct = row.get("fu_change_pct")
            pct_text = (
                "" if pct is None or pd.isna(pct) else f" ({_signed(round(float(pct)), lang)} %)"
            )
            return (
                counts
                + " "
                + msg(
                    "plan_page_followup_change", lang, change=_signed(change, lang), pct=pct_text
                )
            )
        return counts
    return counts + " " + _reason(row, "fu_", lang, public)


_NO_WINDOW = ("no_problem", "not_started")
"""Reasons for which there are no windows to count in: the reason alone is said."""
_COUNTING_REASONS = ("too_few", "too_few_target")
"""Reasons whose sentence names a count: a public page says them without it."""


def _reason(row: pd.Series, prefix: str, lang: str, public: bool) -> str:
    """Why a follow-up or evaluation cannot be judged, in the pack's language; on a public
    page without the counts the sentence would name."""
    if public and _text(row.get(f"{prefix}reason_code")) in _COUNTING_REASONS:
        return msg("plan_page_reason_too_few", lang)
    return _text(row.get(f"{prefix}reason")) or msg("plan_page_no_followup", lang)


def _evaluation_words(row: pd.Series, lang: str, *, public: bool) -> str:
    """The WDD evaluation where supported (its result in words, WDD, z, p; a public page the
    result in words only, since the WDD is a difference of counts); else why not."""
    if "wdd_supported" not in row or row.get("wdd_supported") is None:
        return msg("plan_page_no_followup", lang)
    if pd.isna(row.get("wdd_supported")) or not bool(row.get("wdd_supported")):
        return _reason(row, "wdd_", lang, public)
    code = _text(row.get("wdd_code"))
    words = labels.change_names(lang).get(code, code)
    if public:
        return msg("plan_page_wdd_public", lang, result=words)
    return msg(
        "plan_page_wdd",
        lang,
        result=words,
        wdd=number(round(float(row["wdd_wdd"]), 1), lang),
        z=number(round(float(row["wdd_z"]), 2), lang),
        p=number(round(float(row["wdd_p_value"]), 3), lang),
        buffer=number(round(float(row["wdd_buffer_m"])), lang),
    )


def _signed(value: int, lang: str) -> str:
    """A whole number with its sign (+4, −3, 0), digits as the pack writes them."""
    if value > 0:
        return "+" + number(value, lang)
    if value < 0:
        return "−" + number(-value, lang)
    return number(0, lang)


def _progress(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return msg("plan_page_progress_missing", lang)
    return f"{number(int(value), lang)} %"


def _anchor(position: int) -> str:
    return f"atgard-{position + 1}"


def _page_html(
    plan: _Plan,
    level: str,
    name: str,
    *,
    config: Any,
    label: str,
    spans: Sequence[tuple[str, dt.date, dt.date, int]],
    public: bool,
    nav: list[tuple[str, str]],
) -> str:
    lang = config.lang
    measures = plan.measures
    column = plan.areas[level] if level in plan.areas else pd.Series(dtype=object)
    own_ids = [str(m) for m in measures.index if column.get(str(m)) == name]
    position = {mid: i for i, mid in enumerate(own_ids)}
    links = plan.links.astype(str)
    own_problems = set(links.loc[links["measure_id"].isin(own_ids), "problem_id"])
    key = normalize_name(name)
    for pid, row in plan.problems.iterrows():
        if (
            row.get("kind") == "category_area"
            and row.get("level") == level
            and isinstance(row.get("area"), str)
            and normalize_name(row["area"]) == key
        ):
            own_problems.add(str(pid))
    status_words = labels.measure_status_names(lang)
    rag_words = labels.rag_names(lang)
    texts = plan.texts if public else None

    def title(mid: str) -> str:
        row = measures.loc[mid]
        if not public or bool(row.get("public")):
            return _text(row.get("title")) or mid
        if mid in position:
            return msg("plan_page_measure_n", lang, n=position[mid] + 1)
        return msg("plan_page_measure_other", lang)

    problems = []
    order = {pid: i for i, pid in enumerate(plan.problems.index)}
    for pid in sorted(own_problems, key=lambda p: order.get(p, len(order))):
        row = plan.problems.loc[pid]
        mine: list[dict[str, str | None]] = []
        for mid in links.loc[links["problem_id"] == pid, "measure_id"]:
            if mid not in measures.index:
                continue
            if mid in position:
                mine.append({"text": title(mid), "href": f"#{_anchor(position[mid])}"})
            else:
                where = column.get(mid)
                text = title(mid)
                if isinstance(where, str):
                    text = msg("plan_page_measure_elsewhere", lang, measure=text, area=where)
                mine.append({"text": text, "href": None})
        if row.get("kind") == "findings":
            if public:
                findings = msg(
                    "plan_page_findings_public",
                    lang,
                    done=plan.texts.get((pid, "n_done"), "0"),
                    open=plan.texts.get((pid, "n_open"), "0"),
                )
            else:
                findings = msg(
                    "plan_page_findings",
                    lang,
                    done=number(int(row["n_done"]), lang),
                    open=number(int(row["n_open"]), lang),
                    overdue=number(int(row["n_overdue"]), lang),
                )
        else:
            findings = "–"
        problems.append(
            {
                "name": _problem_name(row, lang, public=public),
                "kind": _kind_words(str(row.get("kind")), lang),
                "measures": mine,
                "findings": findings,
            }
        )
    shown = []
    for mid in own_ids:
        row = measures.loc[mid]
        free = not public or bool(row.get("public"))
        fields: list[tuple[str, str]] = []
        if free:
            fields += [
                (msg("plan_page_cause", lang), _text(row.get("cause")) or "–"),
                (msg("plan_page_objective", lang), _text(row.get("objective")) or "–"),
            ]
        fields.append(
            (
                msg("plan_page_when", lang),
                msg(
                    "plan_page_dates", lang, start=_day(row.get("start")), end=_day(row.get("end"))
                ),
            )
        )
        if free:
            fields += [
                (msg("plan_page_who", lang), _text(row.get("responsible")) or "–"),
                (msg("plan_page_followup_text", lang), _text(row.get("followup")) or "–"),
            ]
        status = _text(row.get("status"))
        fields.append((msg("plan_page_status", lang), status_words.get(status, status)))
        rag = _text(row.get("rag"))
        after = [(msg("plan_page_progress", lang), _progress(row.get("progress"), lang))]
        after.append((msg("plan_page_followup", lang), _followup_words(row, lang, texts)))
        after.append(
            (msg("plan_page_evaluation", lang), _evaluation_words(row, lang, public=public))
        )
        shown.append(
            {
                "anchor": _anchor(position[mid]),
                "title": title(mid),
                "fields": fields,
                "rag": rag_words.get(rag, rag),
                "rag_code": rag if rag in rag_words else "none",
                "after": after,
            }
        )
    about = []
    if not public:
        about.append(msg("plan_page_from_register", lang, register=label))
        if spans:
            about.append(_coverage_sentence(spans, lang))
    else:
        about.append(
            msg("plan_page_public_note", lang, k=config.min_count, below=config.min_count - 1)
        )
    about.append(msg("plan_page_placement", lang))
    return render_page(
        _TEMPLATE,
        nav=nav,
        lang=lang,
        title=msg("plan_page_title", lang, area=name),
        banner=config.classification,
        as_of=msg(
            "plan_page_as_of", lang, day=plan.last_day.isoformat(), period=config.period.label
        ),
        about=about,
        problems_title=msg("plan_page_problems", lang),
        problem_headers=[
            msg("plan_page_col_problem", lang),
            msg("plan_page_col_kind", lang),
            msg("plan_page_col_measures", lang),
            msg("plan_page_col_findings", lang),
        ],
        problems=problems,
        no_problems=msg("plan_page_no_problems", lang),
        measures_title=msg("plan_page_measures", lang),
        measures=shown,
        no_measures=msg("plan_page_no_measures", lang),
        rag_label=msg("plan_page_rag", lang),
    )


def _coverage_sentence(spans: Iterable[tuple[str, dt.date, dt.date, int]], lang: str) -> str:
    from geo_trygg.vocab.events import source_label

    parts = []
    for code, first, last, gaps in spans:
        source = source_label(code, lang)  # a word, not the code: "Polisen"
        if gaps:
            parts.append(
                msg(
                    "pack_register_span_gaps",
                    lang,
                    source=source,
                    first=first.isoformat(),
                    last=last.isoformat(),
                    gaps=gaps,
                )
            )
        else:
            parts.append(
                msg(
                    "pack_register_span",
                    lang,
                    source=source,
                    first=first.isoformat(),
                    last=last.isoformat(),
                )
            )
    return msg("pack_register_coverage", lang, spans="; ".join(parts))


def register_notes(data: RegisterInputs, lang: str) -> list[str]:
    """The pack's statement that its findings and events come from the register, and which
    days each event source covers there (two sentences of the catalogue)."""
    texts = [msg("pack_register_source", lang, register=data.label)]
    if data.spans:
        texts.append(_coverage_sentence(data.spans, lang))
    return texts


def plan_pages(
    data: RegisterInputs,
    *,
    config: Any,
    geography: Mapping[str, gpd.GeoDataFrame],
    tasks: Sequence[tuple[str, str]],
    at: dt.date,
    coverage: Mapping[str, tuple[dt.date, dt.date]],
    nav: list[tuple[str, str]],
) -> dict[tuple[str, str], str]:
    """The plan page (HTML) of every page of ``tasks``, from one computation of the plan.

    Parameters
    ----------
    data : RegisterInputs
    config : PackConfig
    geography : mapping
        The page levels' area layers (the lägesbild's ``geography``).
    tasks : sequence of (level, name)
        The pages of the build.
    at : datetime.date
        The day the areas are valid on (the pack's counting day).
    coverage : mapping
        Per event source the days covered (the configuration's, else the register's).
    nav : list of (str, str)
        The page's navigation links.

    Returns
    -------
    dict
        ``(level, name)`` → the page.
    """
    levels = {level for level, _ in tasks}
    plan = _compute(
        data,
        {lv: layer for lv, layer in geography.items() if lv in levels},
        config.period.end,
        at,
        config.lang,
        coverage,
        config.mask_personal,
    )
    public = config.privacy == "public"
    if public:
        plan.texts = _public_texts(plan, data, config.min_count, config.lang)
    return {
        (level, name): _page_html(
            plan,
            level,
            name,
            config=config,
            label=data.label,
            spans=data.spans,
            public=public,
            nav=nav,
        )
        for level, name in tasks
    }
