"""Issue 13, points 1–3: coverage is data, a comparison is only as good as its coverage, and
placement is shown, not hidden.

Hand cases build events whose coverage and location precision are known by construction; the
real-data cases tally the raw police JSON in ``../shared`` independently (event dates from the
event's own name, location precision from ``location.name``), never from geo_trygg's output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from squares import CROSSWALK, areas
from test_police import MONTHS

import geo_trygg as gt
from geo_trygg import ConfigError
from geo_trygg.lagesbild import build_lagesbild

TZ = "Europe/Stockholm"


def _events(rows: list[tuple[str, str, str]]) -> gpd.GeoDataFrame:
    """rows: (local day "YYYY-MM-DD", source, precision); every point in stadsdel A (K1);
    kommun-precision rows name K1 as their kommun."""
    times = pd.to_datetime([f"{r[0]} 12:00" for r in rows]).tz_localize(TZ)
    precision = [r[2] for r in rows]
    return gpd.GeoDataFrame(
        {
            "event_id": [str(i) for i in range(len(rows))],
            "time_from": times,
            "time_to": times,
            "category": "theft",
            "source": [r[1] for r in rows],
            "location_precision": precision,
            "kommun": ["K1" if p == "kommun" else None for p in precision],
            "text": "",
        },
        geometry=gpd.points_from_xy([500.0] * len(rows), [1500.0] * len(rows)),
        crs="EPSG:3006",
    )


def _daily(source: str, first: str, last: str, precision: str = "exact") -> list[tuple]:
    days = pd.date_range(first, last, freq="D")
    return [(d.strftime("%Y-%m-%d"), source, precision) for d in days]


def _build(events: gpd.GeoDataFrame, **kwargs: object) -> gt.Lagesbild:
    options: dict[str, object] = {
        "areas": areas(),
        "by": ("stadsdel", "kommun"),
        "period": "2024-Q2",
        "compare": "previous",
        "crosswalk": CROSSWALK,
    }
    options.update(kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(events=events, **options)  # type: ignore[arg-type]


def _area_codes(lb: gt.Lagesbild) -> set[str]:
    rows = lb.totals[lb.totals["bucket"] == "area"]
    return set(rows["change_code"])


# --- 1. coverage is data ---------------------------------------------------------------------


def test_the_coverage_table_counts_days_and_precisions_by_hand() -> None:
    # polis every day of 2024-01-01 … 2024-06-30; bostadsbolag from 2024-03-15, one row a week
    rows = _daily("polis", "2024-01-01", "2024-06-30")
    weekly = pd.date_range("2024-03-15", "2024-06-30", freq="7D")
    rows += [(d.strftime("%Y-%m-%d"), "bostadsbolag", "kommun") for d in weekly]
    lb = _build(_events(rows))
    cov = lb.coverage.set_index(["source", "role"])
    # Q1 2024 has 31 + 29 + 31 = 91 days; bostadsbolag covers 15–31 March: 17 of them
    assert cov.loc[("bostadsbolag", "compare"), "days"] == 91
    assert cov.loc[("bostadsbolag", "compare"), "days_covered"] == 17
    assert cov.loc[("bostadsbolag", "compare"), "first_day"] == "2024-03-15"
    # rows on 15, 22 and 29 March: three days with data, three rows, all kommun precision
    assert cov.loc[("bostadsbolag", "compare"), "days_with_data"] == 3
    assert cov.loc[("bostadsbolag", "compare"), "n_kommun"] == 3
    assert cov.loc[("bostadsbolag", "compare"), "n"] == 3
    # polis: every day of both quarters (Q2: 30 + 31 + 30 = 91 days), all exact
    assert cov.loc[("polis", "period"), "days_covered"] == 91
    assert cov.loc[("polis", "period"), "n_exact"] == 91
    assert cov.loc[("polis", "compare"), "share_covered"] == 1.0


# --- 2. a comparison is only as good as its coverage ----------------------------------------


def test_a_source_starting_inside_the_comparison_period_stops_the_change_test() -> None:
    rows = _daily("polis", "2024-01-01", "2024-06-30")
    rows += [(d, "bostadsbolag", "exact") for d, _, _ in _daily("x", "2024-03-15", "2024-06-30")]
    lb = _build(_events(rows))
    assert _area_codes(lb) == {"not_comparable"}
    comp = lb.comparison.set_index("level")
    assert comp.loc["stadsdel", "obstacle"] == "coverage_compare"
    assert comp.loc["stadsdel", "source"] == "bostadsbolag"
    assert (comp.loc["stadsdel", "days_covered"], comp.loc["stadsdel", "days"]) == (17, 91)
    rows_a = lb.totals[(lb.totals["area"] == "A") & (lb.totals["level"] == "stadsdel")]
    assert rows_a["p_value"].isna().all()
    assert rows_a["change"].isna().all()
    note = next(n for n in lb.notes if "Bostadsbolag" in n)
    for part in ("2024-03-15", "17", "91", "90 %"):
        assert part in note
    # the label says why, in words: 15–31 March is 17 of Q1's 91 days
    words = lb.to_words("sv", keys=("totals",))["totals"]
    a = words[(lb.totals["level"] == "stadsdel") & (lb.totals["area"] == "A")]
    assert a["change_label"].tolist() == [
        "jämförelse inte möjlig: data finns för 17 av 91 dagar i jämförelseperioden"
    ]


def test_declared_coverage_or_a_lower_threshold_allows_the_comparison() -> None:
    rows = _daily("polis", "2024-01-01", "2024-06-30")
    rows += [(d, "bostadsbolag", "exact") for d, _, _ in _daily("x", "2024-03-15", "2024-06-30")]
    declared = _build(_events(rows), coverage={"bostadsbolag": ("2024-01-01", "2024-06-30")})
    assert "not_comparable" not in _area_codes(declared)
    assert declared.comparison["comparable"].all()
    # 17 / 91 = 0.187: a threshold of 0.15 lets it through, 0.2 does not
    assert _build(_events(rows), min_coverage=0.15).comparison["comparable"].all()
    assert not _build(_events(rows), min_coverage=0.2).comparison["comparable"].any()


def test_a_source_outside_both_periods_does_not_stop_the_comparison() -> None:
    # bostadsbolag reported only in 2023: nothing of it in 2024-Q1 or Q2
    rows = _daily("polis", "2024-01-01", "2024-06-30")
    rows += [(d, "bostadsbolag", "exact") for d, _, _ in _daily("x", "2023-05-01", "2023-06-30")]
    lb = _build(_events(rows))
    assert lb.comparison["comparable"].all()
    cov = lb.coverage.set_index(["source", "role"])
    assert cov.loc[("bostadsbolag", "compare"), "days_covered"] == 0
    assert cov.loc[("bostadsbolag", "period"), "last_day"] == "2023-06-30"


def test_a_period_not_yet_over_is_not_compared() -> None:
    # data to 2024-06-10: Q2 has 41 + … no: 1 April … 10 June = 30 + 31 + 10 = 71 of 91 days
    rows = _daily("polis", "2024-01-01", "2024-06-10")
    lb = _build(_events(rows))
    comp = lb.comparison.set_index("level")
    assert comp.loc["kommun", "obstacle"] == "coverage_period"
    assert (comp.loc["kommun", "days_covered"], comp.loc["kommun", "days"]) == (71, 91)


def test_a_change_of_location_regime_stops_the_test_where_it_matters() -> None:
    # Q1: every day exact; Q2: every third day kommun precision (the rest exact)
    q1 = _daily("polis", "2024-01-01", "2024-03-31")
    q2 = [
        (d, s, "kommun" if i % 3 == 0 else "exact")
        for i, (d, s, _) in enumerate(_daily("polis", "2024-04-01", "2024-06-30"))
    ]
    lb = _build(_events(q1 + q2))
    comp = lb.comparison.set_index("level")
    # 91 days in Q2, days 0, 3, …, 90: 31 kommun rows; share 31/91 = 0.3407 against 0
    assert comp.loc["stadsdel", "obstacle"] == "precision_shift"
    assert comp.loc["stadsdel", "shift"] == pytest.approx(31 / 91)
    assert comp.loc["kommun", "obstacle"] == "precision_shift"  # exact vs kommun: it matters
    assert any("procentenheter" in n and "34" in n for n in lb.notes)
    # a threshold above the shift allows it
    assert _build(_events(q1 + q2), max_precision_shift=0.35).comparison["comparable"].all()


def test_a_shift_between_precisions_finer_than_the_level_does_not_matter() -> None:
    q1 = _daily("polis", "2024-01-01", "2024-03-31", "exact")
    q2 = _daily("polis", "2024-04-01", "2024-06-30", "address")
    lb = _build(_events(q1 + q2))
    # exact and address are both placed by their point at stadsdel and kommun level
    assert lb.comparison["comparable"].all()
    assert "not_comparable" not in _area_codes(lb)
    # the mix moved (100 points) at the finest grain: said in one note
    assert any("påverkas inte" in n for n in lb.notes)


def test_no_change_points_where_the_periods_do_not_compare() -> None:
    # a doubling in A from Q1 to Q2 would be a clear increase; the source starts 2024-03-15
    rows = [(d, "polis", "exact") for d, _, _ in _daily("x", "2024-03-15", "2024-06-30")]
    rows += [(d, "polis", "exact") for d, _, _ in _daily("x", "2024-04-01", "2024-06-30")]
    lb = _build(_events(rows))
    pri = lb.priorities
    assert pri is not None
    assert (pri["contrib_increase"] == 0).all()
    assert pri["increase"].isna().all()  # not measured, not a measured 0
    assert set(pri["missing"]) == {"increase"}
    # and the same events with the start declared: the increase is called
    called = _build(_events(rows), coverage={"polis": ("2024-01-01", "2024-06-30")})
    a = called.totals.query("level == 'stadsdel' and area == 'A'")
    assert a["change_code"].iloc[0] == "increase"


def test_comparing_with_a_period_before_all_data_is_refused_naming_the_dates() -> None:
    rows = _daily("polis", "2024-04-01", "2024-06-30")
    with pytest.warns(gt.GeoTryggWarning, match="2024-Q1") as caught:
        lb = build_lagesbild(
            events=_events(rows),
            areas=areas(),
            by=("stadsdel", "kommun"),
            period="2024-Q2",
            crosswalk=CROSSWALK,
        )
    text = " ".join(str(w.message) for w in caught)
    for part in ("2024-Q1", "2024-04-01", "2024-06-30", "Polisen"):
        assert part in text
    assert _area_codes(lb) == {"not_comparable"}
    assert any("2024-04-01" in n for n in lb.notes)
    comp = lb.comparison.set_index("level")
    assert (comp.loc["stadsdel", "days_covered"], comp.loc["stadsdel", "days"]) == (0, 91)


# --- 3. placement is shown -----------------------------------------------------------------


def test_placement_by_method_reconciles_and_is_said_in_words() -> None:
    # 10 exact points in A; 4 kommun-precision rows naming K1 (placed in K1 by location, too
    # coarse for a stadsdel); 3 exact points outside every area
    rows = _daily("polis", "2024-04-01", "2024-04-10") + _daily(
        "polis", "2024-04-11", "2024-04-14", "kommun"
    )
    events = _events(rows)
    outside = _events(_daily("polis", "2024-04-15", "2024-04-17"))
    outside["geometry"] = gpd.points_from_xy([9000.0] * 3, [9000.0] * 3)
    outside["event_id"] = ["o1", "o2", "o3"]
    lb = _build(pd.concat([events, outside], ignore_index=True), compare=None)
    rec = lb.reconciliation.set_index("level")
    assert rec.loc[
        "stadsdel", ["n_input", "n_in_areas", "n_too_coarse", "n_outside"]
    ].tolist() == [
        17,
        10,
        4,
        3,
    ]
    assert rec.loc["stadsdel", ["n_by_point", "n_by_name", "n_by_location"]].tolist() == [10, 0, 0]
    assert rec.loc["kommun", ["n_by_point", "n_by_name", "n_by_location"]].tolist() == [10, 0, 4]
    lines = lb.to_summary("sv")
    assert any(
        line.startswith("Stadsdelar: av 17 händelser i perioden placerades 10 i ett område")
        for line in lines
    )
    assert any("4 efter källans ortsangivelse" in line for line in lines)
    # under half placed: the page says what that means
    few = _build(_events(_daily("polis", "2024-04-01", "2024-04-10", "kommun")), compare=None)
    assert any("Under hälften" in line for line in few.to_summary("sv"))
    assert not any("Under hälften" in line for line in lb.to_summary("sv"))
    # one area: its own points, the same figures as its tables
    own = lb.for_area("stadsdel", "A")
    assert own.placed("events", "stadsdel") == {"point": 10, "name": 0, "location": 0}
    assert own.reconciliation.empty  # the whole level's counts: on the index, not the page
    assert (
        "I området: 10 händelser i perioden (10 efter koordinat, 0 efter ortnamn i texten, "
        "0 efter källans ortsangivelse)." in " ".join(own.to_summary("sv"))
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
            st.sampled_from(["polis", "bostadsbolag", "vaktbolag"]),
            st.sampled_from(["exact", "address", "kommun", "lan"]),
            st.sampled_from([(500.0, 1500.0), (1500.0, 500.0), (9000.0, 9000.0)]),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_coverage_and_placement_reconcile_with_the_input(rows: list[tuple]) -> None:
    events = _events([(d.isoformat(), s, p) for d, s, p, _ in rows])
    events["geometry"] = gpd.points_from_xy([r[3][0] for r in rows], [r[3][1] for r in rows])
    events["kommun"] = ["K1" if r[2] == "kommun" else None for r in rows]
    lb = _build(events, compare=None)
    cov = lb.coverage
    in_q2 = [r for r in rows if r[0] >= dt.date(2024, 4, 1)]
    assert cov["n"].sum() == len(in_q2)
    for name in ("exact", "address", "kommun", "lan"):
        assert cov[f"n_{name}"].sum() == sum(r[2] == name for r in in_q2)
    for source, part in cov.groupby("source"):
        days = {r[0] for r in rows if r[1] == source}
        assert part["first_day"].iloc[0] == min(days).isoformat()
        assert part["days_with_data"].iloc[0] == len({d for d in days if d >= dt.date(2024, 4, 1)})
    rec = lb.reconciliation
    assert (rec["n_input"] == len(in_q2)).all()
    assert (rec["n_in_areas"] + rec["n_outside"] + rec["n_too_coarse"] == rec["n_input"]).all()
    assert (rec["n_by_point"] + rec["n_by_name"] + rec["n_by_location"] == rec["n_in_areas"]).all()


def test_bad_coverage_arguments_are_refused_naming_them() -> None:
    rows = _daily("polis", "2024-01-01", "2024-06-30")
    for kwargs, word in (
        ({"min_coverage": 1.5}, "min_coverage"),
        ({"max_precision_shift": -0.1}, "max_precision_shift"),
        ({"coverage": {"polis": ("2024-06-30", "2024-01-01")}}, "coverage['polis']"),
        ({"coverage": {"polis": "2024"}}, "coverage['polis']"),
    ):
        with pytest.raises(ConfigError, match=re.escape(word)):
            _build(_events(rows), **kwargs)


# --- real police events (../shared) -----------------------------------------------------------

EVENTS = "polisen_events_api/events_stockholms_lan_2023-03_2026-08.json"
_MONTHS = {m: i for i, m in enumerate(MONTHS, start=1)}


def _event_day(record: dict) -> dt.date:
    """The event's own day from its name ("20 mars 10:42, …"), the year from its publication
    (an event in December published in January belongs to the year before)."""
    day, month = record["name"].split(",")[0].split()[:2]
    published = dt.date.fromisoformat(record["datetime"][:10])
    year = published.year - (1 if _MONTHS[month] > published.month else 0)
    return dt.date(year, _MONTHS[month], int(day))


@pytest.fixture(scope="module")
def police(shared_data: Path) -> tuple[list[dict], gpd.GeoDataFrame, list[gpd.GeoDataFrame]]:
    raw = json.loads((shared_data / EVENTS).read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = gt.read_events(shared_data / EVENTS).accepted
        stadsdelar = gt.read_areas(
            shared_data / "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp",
            source="stockholm-stadsdelar",
        ).accepted
        kommuner = gt.read_areas(
            shared_data / "sverige_kommuner_lan_scb/kommuner.geojson", source="scb-kommuner"
        ).accepted
    return raw, events, [stadsdelar, kommuner]


def _in(raw: list[dict], first: dt.date, last: dt.date) -> list[dict]:
    return [r for r in raw if first <= _event_day(r) <= last]


@pytest.mark.shared
def test_police_2023_q2_against_q1_is_not_compared(police: tuple) -> None:
    raw, events, areas = police
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            events=events, areas=areas, by=("stadsdel", "kommun"), period="2023-Q2"
        )
    first = min(_event_day(r) for r in raw)
    assert first == dt.date(2023, 3, 20)
    covered = (dt.date(2023, 3, 31) - first).days + 1  # 12 of Q1's 90 days
    comp = lb.comparison.set_index("level")
    assert comp.loc["stadsdel", "obstacle"] == "coverage_compare"
    assert (comp.loc["stadsdel", "days_covered"], comp.loc["stadsdel", "days"]) == (covered, 90)
    assert _area_codes(lb) == {"not_comparable"}
    assert any("2023-03-20" in n and f"{covered} av" in n for n in lb.notes)
    words = lb.to_dict()
    assert "2023-03-20" in " ".join(words["summary"])


@pytest.mark.shared
def test_police_2026_against_2025_notes_the_location_regime_change(police: tuple) -> None:
    raw, events, areas = police
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            events=events,
            areas=areas,
            by=("stadsdel", "kommun"),
            period="2026-Q2",
            compare="previous_year",
        )
    now = _in(raw, dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    then = _in(raw, dt.date(2025, 4, 1), dt.date(2025, 6, 30))

    def lan_share(rows: list[dict]) -> float:
        return sum(r["location"]["name"].endswith(" län") for r in rows) / len(rows)

    shift = abs(lan_share(now) - lan_share(then))
    assert shift > 0.9  # every 2026 event at län level
    comp = lb.comparison.set_index("level")
    for level in ("stadsdel", "kommun"):
        assert comp.loc[level, "obstacle"] == "precision_shift"
        assert comp.loc[level, "shift"] == pytest.approx(shift)
    assert any("procentenheter" in n for n in lb.notes)


@pytest.mark.shared
def test_police_placement_per_level_equals_a_tally_of_the_raw_file(police: tuple) -> None:
    raw, events, areas = police
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            events=events, areas=areas, by=("stadsdel", "kommun"), period="2024-Q2", compare=None
        )
    rows = _in(raw, dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    rec = lb.reconciliation.set_index("level")
    assert (rec["n_input"] == len(rows)).all()
    # kommun: every event whose location is a kommun is placed by it
    by_kommun = Counter(
        r["location"]["name"] for r in rows if not r["location"]["name"].endswith(" län")
    )
    assert rec.loc["kommun", "n_by_location"] == sum(by_kommun.values())
    assert rec.loc["kommun", "n_by_point"] == 0 == rec.loc["stadsdel", "n_by_point"]
    # stadsdel: only by a name in the text: an event of Stockholm or of the län (a stadsdel
    # named in another kommun's event is not used) whose title or summary names exactly one
    # stadsdel as a whole word (a name inside a longer one that is also named does not count)
    assert rec.loc["stadsdel", "n_by_location"] == 0
    names = sorted(set(areas[0]["name"]))
    patterns = {n: re.compile(r"(?<!\w)" + re.escape(n.casefold()) + r"(?!\w)") for n in names}
    tally: Counter[str] = Counter()
    for r in rows:
        if r["location"]["name"] not in ("Stockholm", "Stockholms län"):
            continue
        text = f"{r['name']} {r['summary']}".casefold().replace("–", "-")
        hit = [n for n, p in patterns.items() if p.search(text)]
        hit = [n for n in hit if not any(n != m and n.casefold() in m.casefold() for m in hit)]
        if len(hit) == 1:
            tally[hit[0]] += 1
    assert rec.loc["stadsdel", "n_by_name"] == sum(tally.values()) > 0
    assert rec.loc["stadsdel", "n_in_areas"] == rec.loc["stadsdel", "n_by_name"]
    per_area = lb.totals.query("level == 'stadsdel' and bucket == 'area' and kind == 'events'")
    assert {a: int(n) for a, n in zip(per_area["area"], per_area["n"], strict=True) if n} == dict(
        tally
    )
    # under half placed at stadsdel level: the summary says what that means
    assert 2 * rec.loc["stadsdel", "n_in_areas"] < len(rows)
    assert any("Under hälften" in line for line in lb.to_summary("sv"))


# --- the pages a planner reads ---------------------------------------------------------------


def _demo_config(tmp_path: Path, extra: str = "") -> Path:
    from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE

    text = PACK_EXAMPLE.read_text(encoding="utf-8").replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('classification = "DEMO', 'png = false\nclassification = "DEMO')
    path = tmp_path / "pack.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gt.Lagesbild]:
    from geo_trygg.pack import build_pack, load_config

    tmp = tmp_path_factory.mktemp("honest")
    config, base = load_config(_demo_config(tmp))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp / "paket")
    # the same lägesbild, built here to read its tables
    from geo_trygg.demo import demo_paths

    paths = demo_paths()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lb = build_lagesbild(
            gt.read_findings(paths["findings"]).accepted,
            gt.read_events(paths["events"]).accepted,
            areas=gt.read_areas(paths["areas"]).accepted,
            by=("stadsdelsomrade", "lpo"),
            period="2024-Q4",
            places=gt.read_areas(paths["places"], level="place").accepted,
        )
    return tmp / "paket", lb


def test_the_index_says_coverage_once_and_each_levels_placement(demo_pack: tuple) -> None:
    out, lb = demo_pack
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('id="underlag"') == 1
    assert "Polisen: data från 2024-01-01 till 2024-12-31" in html
    rec = lb.reconciliation.set_index(["kind", "level"])
    row = rec.loc[("events", "lpo")]
    expected = (
        f"Lokalpolisområden: av {row.n_input} händelser i perioden placerades "
        f"{row.n_in_areas} i ett område ({row.n_by_point} efter koordinat"
    )
    assert expected in html


def test_each_page_starts_with_what_the_data_can_show(demo_pack: tuple, chromium: object) -> None:
    from browser import goto, new_page

    out, lb = demo_pack
    page_file = out / "lpo" / "globen" / "lagesbild.html"
    text = page_file.read_text(encoding="utf-8")
    assert text.index('id="about"') < text.index('<nav class="contents"')  # before the tables
    # the area, its level and the period named
    assert "<h1>Lägesbild Globen (lokalpolisområde), 2024-Q4 jämfört med 2024-Q3</h1>" in text
    own = lb.for_area("lpo", "Globen")
    placed = own.placed("events", "lpo")
    n = int(own.totals.query("kind == 'events'")["n"].iloc[0])
    assert sum(placed.values()) == n
    # the map's title box counts the area's events as its tables do
    karta = (out / "lpo" / "globen" / "karta.html").read_text(encoding="utf-8")
    assert f"{n} händelser i perioden i området: {placed['point']} med exakt plats" in karta
    page, log = new_page(chromium)
    try:
        goto(page, page_file)
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            about = page.locator("#about")
            assert about.is_visible(), media
            box = about.bounding_box()
            assert box is not None
            assert box["y"] < 400, media  # on the first screen
            assert "Polisen: data från 2024-01-01" in about.inner_text()
        assert page.pdf().startswith(b"%PDF")
        assert log.problems() == []
    finally:
        page.context.close()


def test_a_public_pack_says_coverage_but_no_counts_of_placement(tmp_path: Path) -> None:
    from geo_trygg.pack import build_pack, load_config

    path = _demo_config(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('privacy = "internal"', 'privacy = "public"'),
        encoding="utf-8",
    )
    config, base = load_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket")
    html = (tmp_path / "paket" / "index.html").read_text(encoding="utf-8")
    assert "Polisen: data från 2024-01-01 till 2024-12-31" in html
    assert "i perioden placerades" not in html
    assert "fynd från vandringar" not in html  # walks counted: not in a public pack
    assert "Fynd (trygghetsvandring): data från 2024-" in html
    page = (tmp_path / "paket" / "lpo" / "globen" / "lagesbild.html").read_text(encoding="utf-8")
    assert 'id="about"' in page
    assert "i perioden placerades" not in page


def test_the_pack_configuration_takes_the_comparison_rules(tmp_path: Path) -> None:
    from geo_trygg.pack import build_pack, load_config

    # the demo's Bostadsbolag rows end 2024-12-29 (90 of Q4's 92 days: 0.978), Vaktbolag's
    # 2024-12-28 (89 days): under 0.98, the first source in order is the one told
    strict = _demo_config(tmp_path, "\n[comparison]\nmin_coverage = 0.98\n")
    config, base = load_config(strict)
    assert config.comparison.min_coverage == 0.98
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, tmp_path / "paket")
    html = (tmp_path / "paket" / "index.html").read_text(encoding="utf-8")
    assert "jämförelse inte möjlig" in html
    assert any(
        n["text"].startswith("Bostadsbolag:") and "90 av periodens 92 dagar" in n["text"]
        for n in result.notes
    )
    # declared dates make it comparable again
    declared = _demo_config(
        tmp_path,
        '\n[comparison]\nmin_coverage = 0.98\ncoverage = { vaktbolag = ["2024-01-01", '
        '"2024-12-31"], bostadsbolag = ["2024-01-01", "2024-12-31"] }\n',
    )
    config, base = load_config(declared)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, tmp_path / "paket2")
    html = (tmp_path / "paket2" / "index.html").read_text(encoding="utf-8")
    assert "jämförelse inte möjlig" not in html


@pytest.mark.parametrize(
    ("table", "word"),
    [
        ("min_coverage = 2", "comparison.min_coverage"),
        ('coverage = { polis = ["2024-12-31", "2024-01-01"] }', "comparison.coverage"),
        ("unknown = 1", "comparison.unknown"),
    ],
)
def test_a_bad_comparison_table_is_refused_in_swedish_naming_the_key(
    tmp_path: Path, table: str, word: str
) -> None:
    from geo_trygg.pack import load_config

    with pytest.raises(ConfigError) as caught:
        load_config(_demo_config(tmp_path, f"\n[comparison]\n{table}\n"))
    assert word in str(caught.value)


def test_the_pages_excel_starts_with_what_the_data_can_show(demo_pack: tuple) -> None:
    import openpyxl

    out, lb = demo_pack
    book = openpyxl.load_workbook(out / "lpo" / "globen" / "lagesbild.xlsx", read_only=True)
    first = book.worksheets[0]
    assert first.title == "Vad underlaget kan visa"
    cells = [str(c) for row in first.iter_rows(values_only=True) for c in row if c]
    placed = lb.for_area("lpo", "Globen").placed("events", "lpo")
    expected = f"I området: {sum(placed.values())} händelser i perioden ({placed['point']} efter"
    assert any(c.startswith(expected) for c in cells), cells
    assert any(c.startswith("Polisen: data från 2024-01-01 till 2024-12-31") for c in cells)
    book.close()


@pytest.mark.parametrize(
    ("level", "valid_to", "said"),
    [
        # the catalogue's utsatta områden 2023 end 2025-12-01; the 2025 list is valid then
        ("utsatt_omrade", "2025-12-01", "polisen-utsatta-omraden-2025"),
        # the city's stadsdelsområden of 2020 end 2023-07-01; none catalogued after: derive
        ("stadsdelsomrade", "2023-07-01", 'derive_lpo(stadsdelar, level="stadsdelsomrade")'),
    ],
)
def test_boundaries_that_end_before_the_period_say_what_to_use(
    level: str, valid_to: str, said: str
) -> None:
    from geo_trygg.catalogue import get_source

    if level == "utsatt_omrade":  # the fact the test relies on, from the catalogue itself
        assert get_source("polisen-utsatta-omraden-2025").valid_from <= dt.date(2026, 6, 30)
    layer = (
        areas()
        .query("level == 'stadsdel'")
        .assign(
            level=level, valid_from=pd.Timestamp("2020-07-01"), valid_to=pd.Timestamp(valid_to)
        )
    )
    with pytest.raises(ConfigError) as caught:
        build_lagesbild(
            events=_events(_daily("polis", "2026-04-01", "2026-06-30")),
            areas=[layer],
            by=(level,),
            period="2026-Q2",
            compare=None,
            crosswalk=CROSSWALK,
        )
    text = str(caught.value)
    last = (pd.Timestamp(valid_to) - pd.Timedelta(days=1)).date().isoformat()
    assert "gäller 2026-06-30" in text
    assert f"2020-07-01–{last}" in text
    assert said in text
