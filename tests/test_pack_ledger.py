"""The publication ledger: public packs of overlapping periods, and the nesting of levels.

Every attack here is the test's own exact integer programme (scipy.optimize.milp over the
counts a reader can conceive: per month, smallest region and category), written from the
published texts alone — independent of geo_trygg.pack._suppress. A hidden count is
"recovered" when its smallest and largest possible values agree.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from squares import CROSSWALK, SQUARES
from squares import areas as _areas

from geo_trygg._errors import ConfigError
from geo_trygg.lagesbild import build_lagesbild
from geo_trygg.pack._ledger import read_ledger, write_publication
from geo_trygg.pack._public import public_counts

TZ = "Europe/Stockholm"
# four 1 km² stadsdelar A B (kommun K1) over C D (kommun K2): test_lagesbild_build's fixture
MONTHS = ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]
CATEGORIES = ["burglary", "theft"]
# what a reader can conceive: each stadsdel, and per kommun the events known only by its name
REGIONS = ["A", "B", "C", "D", "K1*", "K2*"]
KOMMUN_REGIONS = {"K1": ["A", "B", "K1*"], "K2": ["C", "D", "K2*"]}


def _events(seed: int) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Seeded events July–December 2024 in the squares (a few known only as kommun K1 or
    K2), and the truth per month, region and category counted by hand from the draws."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for m, month in enumerate(MONTHS):
        for r, region in enumerate(REGIONS):
            for category in CATEGORIES:
                n = int(rng.choice([0, 0, 1, 1, 2, 3, 5])) if r < 4 else int(rng.random() < 0.3)
                truth.append((month, region, category, n))
                for i in range(n):
                    day = 1 + (7 * i + 3 * r + m) % 28
                    if r < 4:
                        x0, y0 = SQUARES[region]
                        x, y, kommun, precision = x0 + 500, y0 + 500, None, "exact"
                    else:  # a kommun-precision point at the kommun's centre
                        x, y, kommun, precision = (
                            1000,
                            1500 if r == 4 else 500,
                            region[:2],
                            "kommun",
                        )
                    rows.append((x, y, category, f"{month}-{day:02d} 12:00", precision, kommun))
    times = pd.to_datetime([r[3] for r in rows]).tz_localize(TZ)
    events = gpd.GeoDataFrame(
        {
            "event_id": [str(i) for i in range(len(rows))],
            "time_from": times,
            "time_to": times,
            "category": [r[2] for r in rows],
            "location_precision": [r[4] for r in rows],
            "kommun": [r[5] for r in rows],
            "text": [""] * len(rows),
        },
        geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]),
        crs="EPSG:3006",
    )
    return events, pd.DataFrame(truth, columns=["month", "region", "category", "n"])


def _lagesbild(events: gpd.GeoDataFrame, period: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_lagesbild(
            events=events,
            areas=_areas(),
            by=("stadsdel", "kommun"),
            period=period,
            compare="previous",
            crosswalk=CROSSWALK,
        )


def _config(folder: Path, sources: tuple[str, ...] = ("Polisen",)) -> Any:
    """The parts of a PackConfig the ledger reads."""
    inputs = SimpleNamespace(events=Path("handelser.csv"), findings=None)
    return SimpleNamespace(ledger=folder, inputs=inputs, sources=list(sources))


def _publish(
    events: gpd.GeoDataFrame, periods: list[str], folder: Path | None
) -> list[pd.DataFrame]:
    """Public counts of each period in turn; with a ledger folder each build reads the
    earlier publications and writes its own, as build_pack does."""
    out = []
    for period in periods:
        lb = _lagesbild(events, period)
        earlier = None
        if folder is not None:
            earlier = read_ledger(_config(folder), folder)
        counts = public_counts(lb, k=3, earlier=earlier)
        if folder is not None:
            write_publication(_config(folder), folder, lb, counts)
        out.append(counts.cells.assign(pack=period))
    return out


def _region_set(level: str, area: str, rest: str) -> list[str]:
    if level == "stadsdel":
        return [area]
    if rest:  # the kommun's events in none of its stadsdelar
        return [r for r in KOMMUN_REGIONS[area] if r.endswith("*")]
    return KOMMUN_REGIONS[area]


def _attack(published: pd.DataFrame) -> list[tuple[str, ...]]:
    """The hidden counts a reader pins exactly, from the published texts of every pack:
    variables x[month, region, category] >= 0 whole, every shown text an equality, every
    "<3" in 1..2, ".." free. Returns (pack, kind, start, end, level, area, table, key, rest)
    of each pinned hidden count."""
    index = {
        (m, r, c): i
        for i, (m, r, c) in enumerate(
            (m, r, c) for m in MONTHS for r in REGIONS for c in CATEGORIES
        )
    }
    rows, lo, hi = [], [], []
    for cell in published.itertuples(index=False):
        months = [
            m for m in MONTHS if cell.start <= f"{m}-01" < cell.end
        ]  # the months of [start, end)
        assert months, cell
        cats = CATEGORIES if cell.table == "total" else [cell.key]
        v = np.zeros(len(index))
        for m in months:
            for r in _region_set(cell.level, cell.area, cell.rest):
                for c in cats:
                    v[index[(m, r, c)]] = 1
        rows.append(v)
        text = cell.text
        if text == "<3":
            lo.append(1), hi.append(2)
        elif text == "..":
            lo.append(0), hi.append(np.inf)
        else:
            lo.append(int(text.replace("\u00a0", "").replace(" ", "")))
            hi.append(lo[-1])
    a = np.array(rows)
    constraint = LinearConstraint(a, np.array(lo, dtype=float), np.array(hi, dtype=float))
    n = len(index)

    def extreme(v: np.ndarray, sign: float) -> float:
        result = milp(
            sign * v,
            constraints=[constraint],
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.full(n, 1e6)),
        )
        assert result.status == 0, result.message  # the truth is always feasible
        return float(sign * result.fun)

    pinned = []
    for i, cell in enumerate(published.itertuples(index=False)):
        if cell.text not in ("<3", ".."):
            continue
        if extreme(a[i], 1.0) == extreme(a[i], -1.0):
            where = (cell.kind, cell.start, cell.end, cell.level, cell.area)
            pinned.append((cell.pack, *where, cell.table, cell.key, cell.rest))
    return pinned


def test_the_issues_example_by_hand() -> None:
    """LPO Globen, inbrott: Q4 published 6; the months are 0, 1 and 5. Alone the months
    show 0, "<3", 5 (nothing links them); with Q4 known, 6 - 0 - 5 = 1 would give the "<3"
    away, so one more month is hidden — the 5 (a 0 next to it protects nothing)."""
    from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, SECONDARY, suppress

    # atoms: October, November, December; rows: the months, then Q4 (already published)
    cells = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    values = np.array([0, 1, 5, 6])
    alone = suppress(cells[:3], values[:3])
    assert alone.tolist() == [PUBLISHED, PRIMARY, PUBLISHED]
    state = suppress(cells, values, fixed=np.array([-1, -1, -1, PUBLISHED]))
    assert state.tolist() == [PUBLISHED, PRIMARY, SECONDARY, PUBLISHED]
    # by hand: October 0, Q4 6, November in 1..2 → December is 5 or 4: both fit
    # a count hidden before stays hidden even where nothing small needs it
    kept = suppress(cells[:3], np.array([0, 4, 5]), hide=np.array([False, False, True]))
    assert kept.tolist() == [PUBLISHED, PUBLISHED, SECONDARY]


SEED = 11
QUARTER_AND_MONTHS = ["2024-Q4", "2024-10", "2024-11", "2024-12"]


@pytest.fixture(scope="module")
def events() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    return _events(SEED)


def test_the_attacker_reads_the_truth(events: tuple[gpd.GeoDataFrame, pd.DataFrame]) -> None:
    """The published counts agree with the hand-counted truth (so the attack's model is the
    data's), and without a ledger the four packs give hidden counts away."""
    frame, truth = events
    packs = _publish(frame, QUARTER_AND_MONTHS, None)
    published = pd.concat(packs, ignore_index=True)
    for cell in published[published["text"] != ".."].itertuples(index=False):
        months = [m for m in MONTHS if cell.start <= f"{m}-01" < cell.end]
        regions = _region_set(cell.level, cell.area, cell.rest)
        cats = CATEGORIES if cell.table == "total" else [cell.key]
        n = truth[
            truth["month"].isin(months)
            & truth["region"].isin(regions)
            & truth["category"].isin(cats)
        ]["n"].sum()
        assert cell.text == ("<3" if 1 <= n <= 2 else str(n)), cell
    pinned = _attack(published)
    assert len(pinned) >= 1  # so the next tests can fail


@pytest.mark.parametrize("order", [QUARTER_AND_MONTHS, QUARTER_AND_MONTHS[::-1]])
def test_the_ledger_keeps_every_hidden_count_of_four_packs_hidden(
    events: tuple[gpd.GeoDataFrame, pd.DataFrame], order: list[str], tmp_path: Path
) -> None:
    frame, _ = events
    packs = _publish(frame, order, tmp_path)
    published = pd.concat(packs, ignore_index=True)
    assert (published["text"] == "<3").sum() >= 5
    assert _attack(published) == []
    # one file per publication; sorted keys, no value of a hidden count
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 4
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert (
            file.read_text(encoding="utf-8")
            == json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
        )
        assert all(c["value"] is None for c in data["counts"] if c["state"] != "shown")


def test_a_count_hidden_earlier_stays_hidden_in_the_comparison_column(
    events: tuple[gpd.GeoDataFrame, pd.DataFrame], tmp_path: Path
) -> None:
    frame, _ = events
    october, november = _publish(frame, ["2024-10", "2024-11"], tmp_path)
    keys = ["kind", "start", "end", "level", "area", "table", "key", "rest"]
    hidden = october[(october["period"] == "period") & (october["text"].isin(["<3", ".."]))]
    compare = november[november["period"] == "compare"]
    both = hidden.merge(compare, on=keys, suffixes=("_oct", "_nov"))
    assert len(both) >= 3
    # the same count, shown as hidden again (a "<3" stays "<3": its value is 1 or 2)
    assert set(both["text_nov"]) <= {"<3", ".."}
    assert (both["n_oct"] == both["n_nov"]).all()
    # the ledger is what hides them: an October count the November pack alone shows in its
    # comparison column, recorded as hidden in October, is hidden in November too (with
    # the complements chosen to hide as little as possible, the November pack alone may hide
    # October's hidden counts by itself, so one is marked hidden by hand)
    alone = _publish(frame, ["2024-11"], None)[0]
    alone_then = alone[(alone["period"] == "compare") & (alone["text"] != "..")]
    alone_then = alone_then[alone_then["text"] != "<3"]
    earlier = read_ledger(_config(tmp_path), tmp_path)
    first = sorted(set(earlier["publication"]))[0]  # October's (November's comes after)
    earlier = earlier[earlier["publication"] == first].reset_index(drop=True)
    assert set(earlier["start"]) == {"2024-09-01", "2024-10-01"}
    pick = earlier.merge(alone_then[keys], on=keys).iloc[0]
    mark = (earlier[keys] == pick[keys]).all(axis=1).to_numpy()
    assert mark.sum() == 1
    earlier.loc[mark, ["state", "value", "text"]] = [2, np.nan, ".."]
    marked = public_counts(_lagesbild(frame, "2024-11"), k=3, earlier=earlier).cells
    then = marked[(marked["period"] == "compare") & (marked[keys] == pick[keys]).all(axis=1)]
    assert list(then["text"]) == [".."]


def test_other_data_is_not_linked_and_changed_data_is_refused(
    events: tuple[gpd.GeoDataFrame, pd.DataFrame], tmp_path: Path
) -> None:
    frame, _ = events
    _publish(frame, ["2024-11"], tmp_path)
    other = read_ledger(_config(tmp_path, sources=("Trygghetsvandringar",)), tmp_path)
    assert other.empty  # another sources label: another data set
    assert len(read_ledger(_config(tmp_path), tmp_path)) > 0
    # one November event less than published, inside the dates the data cover
    changed = frame.drop(index=frame.index[frame["time_from"].dt.month == 11][0])
    lb = _lagesbild(changed, "2024-12")
    with pytest.raises(ConfigError, match="Publiceringsregistret: 2024-11-01_2024-12-01_"):
        public_counts(lb, earlier=read_ledger(_config(tmp_path), tmp_path))
    # the same data again: no complaint, and the November counts stay as published
    again = public_counts(
        _lagesbild(frame, "2024-12"), earlier=read_ledger(_config(tmp_path), tmp_path)
    )
    assert len(again.cells) > 0


def test_a_broken_publication_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[" * 5000, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"x\.json"):
        read_ledger(_config(tmp_path), tmp_path)
    (tmp_path / "x.json").write_text(
        json.dumps(
            {
                "format": "geo_trygg publication 1",
                "min_count": 3,
                "identity": {},
                "counts": [{"state": "<k", "value": 1}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"x\.json"):
        read_ledger(_config(tmp_path), tmp_path)


# --- the real police events of 2024-11 at three nested levels -----------------------------

POLICE = "polisen_events_api/events_stockholms_lan_2023-03_2026-08.json"
STADSDELAR = "stockholm_stadsdelar/shapefiles_fullsize/stadsdelar.shp"


@pytest.mark.shared
def test_real_police_events_sum_over_nested_areas_and_pin_nothing(shared_data: Path) -> None:
    """A reader who takes a coarser area's count as the sum of its finer areas' counts (plus
    the published rest) and each total as the sum of its categories pins no hidden count.

    The attack's variables are the published counts themselves; its equations come from the
    geometry (a finer area belongs to the coarser area holding its representative point) and
    the tables, not from the suppression's atoms."""
    import geo_trygg as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = gt.read_events(shared_data / POLICE).accepted
        stadsdelar = gt.read_areas(shared_data / STADSDELAR, source="stockholm-stadsdelar")
        sd = stadsdelar.accepted
        crosswalk = gt.load_crosswalk()
        layers = [sd] + [
            gt.derive_lpo(sd, crosswalk=crosswalk, at="2024-11-30", level=level)
            for level in ("stadsdelsomrade", "lpo")
        ]
        keep = ["area_id", "name", "level", "geometry"]
        areas = gpd.GeoDataFrame(pd.concat([x[keep] for x in layers]), crs=sd.crs)
        lb = build_lagesbild(
            events=events,
            areas=areas,
            by=("stadsdel", "stadsdelsomrade", "lpo"),
            period="2024-11",
            compare="previous",
        )
    cells = public_counts(lb).cells.reset_index(drop=True)
    rests = cells[cells["rest"] != ""]
    assert len(rests)
    assert (rests["n"] > 0).any()  # events placed only by a coarser name
    # which finer areas lie in which coarser one: 95 % of their area inside it
    inside: dict[tuple[str, str, str], list[str]] = {}
    for fine, coarse in set(zip(rests["rest"], rests["level"], strict=True)):
        small = areas[areas["level"] == fine].dissolve("name").reset_index()
        big = areas[areas["level"] == coarse].dissolve("name").reset_index()
        small["size"] = small.area
        both = gpd.overlay(
            small[["name", "size", "geometry"]], big[["name", "geometry"]], keep_geom_type=True
        )
        both = both[both.area >= 0.95 * both["size"]]
        for f, c in zip(both["name_1"], both["name_2"], strict=True):
            inside.setdefault((coarse, c, fine), []).append(f)
    where = {
        tuple(r): i
        for i, r in enumerate(
            cells[["period", "level", "area", "table", "key", "rest"]].itertuples(index=False)
        )
    }
    equations = []
    for cell in rests.itertuples(index=False):  # coarse = its finer areas + the rest
        parts = inside.get((cell.level, cell.area, cell.rest), [])
        row = {where[(cell.period, cell.level, cell.area, cell.table, cell.key, "")]: 1.0}
        row[where[(cell.period, cell.level, cell.area, cell.table, cell.key, cell.rest)]] = -1.0
        for f in parts:
            j = where.get((cell.period, cell.rest, f, cell.table, cell.key, ""))
            if j is None:  # a category not counted in that area: its count is 0
                continue
            row[j] = row.get(j, 0.0) - 1.0
        equations.append(row)
    now = cells[(cells["period"] == "period") & (cells["table"] == "total")]
    for cell in now.itertuples(index=False):  # a total is the sum of its categories
        row = {where[("period", cell.level, cell.area, "total", "", cell.rest)]: 1.0}
        for j in cells.index[
            (cells["level"] == cell.level)
            & (cells["area"] == cell.area)
            & (cells["rest"] == cell.rest)
            & (cells["table"] == "category")
        ]:
            row[int(j)] = -1.0
        equations.append(row)
    n = len(cells)
    a = np.zeros((len(equations), n))
    for i, row in enumerate(equations):
        for j, v in row.items():
            a[i, j] = v
    lo = np.where(cells["text"] == "<3", 1.0, 0.0)
    hi = np.where(cells["text"] == "<3", 2.0, np.inf)
    shown = ~cells["text"].isin(["<3", ".."]).to_numpy()
    lo[shown] = hi[shown] = cells["text"][shown].str.replace("\u00a0", "").astype(float)
    wrong = np.flatnonzero(a @ cells["n"].to_numpy(dtype=float) != 0)
    assert not len(wrong), [
        [
            (cells.loc[j, ["level", "area", "table", "key", "rest", "n"]].tolist(), a[i, j])
            for j in np.flatnonzero(a[i])
        ]
        for i in wrong[:3]
    ]  # the truth obeys the reader
    linked = np.flatnonzero((a != 0).any(axis=0) & ~shown)
    assert (cells["text"] == "<3").sum() >= 100
    assert len(linked) >= 100
    constraints = [LinearConstraint(a, 0.0, 0.0)]
    pinned = []
    for i in linked:
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[i] = sign
            result = milp(
                c,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(lo, np.minimum(hi, 1e6)),
            )
            assert result.status == 0, result.message
            ends.append(sign * result.fun)
        if ends[0] == ends[1]:
            pinned.append(cells.loc[i, ["level", "area", "table", "key", "rest", "text"]])
    assert pinned == []


# --- build_pack writes the ledger and reads it ------------------------------------------------


def test_a_public_build_writes_its_publication_and_the_next_honours_it(tmp_path: Path) -> None:
    """The demo data: the pack of week 38, then of week 39 (compared with week 38) from the
    same configuration folder. Each build writes one publication into ``publiceringar``;
    what week 38 hid, week 39's comparison column hides too, page by page."""
    from test_pack_public import _config as demo_config

    from geo_trygg.pack import build_pack, load_config

    path = demo_config(tmp_path, privacy="public", sentinels=False)
    text = path.read_text(encoding="utf-8")
    outs = {}
    for month in ("2024-W38", "2024-W39"):
        path.write_text(text.replace('period = "2024-Q4"', f'period = "{month}"'), "utf-8")
        config, base = load_config(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outs[month] = build_pack(config, base, tmp_path / month)
        assert not outs[month].failed
    files = sorted((tmp_path / "publiceringar").glob("*.json"))
    assert [f.name[:21] for f in files] == ["2024-09-16_2024-09-23", "2024-09-23_2024-09-30"]
    week38, week39 = (json.loads(f.read_text(encoding="utf-8"))["counts"] for f in files)
    keys = ("kind", "start", "end", "level", "area", "table", "key", "rest")
    hidden = {
        tuple(c[k] for k in keys): c["text"]
        for c in week38
        if c["state"] != "shown" and c["start"] == "2024-09-16" and c["table"] == "total"
    }  # (the comparison column holds totals only)
    again = {tuple(c[k] for k in keys): c for c in week39 if c["start"] == "2024-09-16"}
    assert len(hidden) >= 1
    for key, text_before in hidden.items():
        assert again[key]["state"] != "shown", (key, text_before)
        assert again[key]["value"] is None
    # and on the pages: an area's October column shows the hidden text, not a number
    level, area = next((k[3], k[4]) for k in hidden if not k[7])
    page = next(p for p in outs["2024-W39"].pages if p["level"] == level and p["area"] == area)
    html = (tmp_path / "2024-W39" / page["path"] / "lagesbild.html").read_text(encoding="utf-8")
    assert "&lt;3" in html or ".." in html
    # the rest tables name their level in words, not by its code
    pages = [p.read_text("utf-8") for p in (tmp_path / "2024-W39").rglob("lagesbild.html")]
    rests = [h for h in pages if "Ej placerade på nivån" in h]
    assert rests
    for page_html in rests:
        assert "Ej placerade på nivån lokalpolisområden" in page_html or (
            "Ej placerade på nivån stadsdelsområden" in page_html
        )
        assert re.search(r"nivån (lpo|stadsdel|stadsdelsomrade)\b", page_html) is None


def test_a_ledger_that_is_a_file_is_refused_before_work(tmp_path: Path) -> None:
    from test_pack_public import _config as demo_config

    from geo_trygg.pack import load_config

    path = demo_config(tmp_path, privacy="public", sentinels=False, extra='\nledger = "x.txt"')
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="publiceringsregistret måste vara en mapp"):
        load_config(path)


@pytest.mark.parametrize("period", ["2024-Q4", "2024-11"])
def test_a_rebuild_with_its_own_publication_in_the_ledger_is_the_same(
    events: tuple[gpd.GeoDataFrame, pd.DataFrame], period: str, tmp_path: Path
) -> None:
    """Same inputs, same bytes: a pack built again reads its own earlier publication and
    shows and hides exactly the same (and writes no second file)."""
    frame, _ = events
    first = _publish(frame, [period], tmp_path)[0]
    again = _publish(frame, [period], tmp_path)[0]
    pd.testing.assert_frame_equal(first, again)
    assert len(list(tmp_path.glob("*.json"))) == 1
