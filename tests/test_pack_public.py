"""Public packs: small counts hidden with secondary suppression, no coordinates of any event or
finding and no free text in any file, counts that agree with an independent count, and pages
that pass WCAG 2.1 AA checks (axe-core) in a real browser with keyboard navigation."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo_trygg._errors import ConfigError
from geo_trygg.demo import DEMO_DIR, PACK_EXAMPLE
from geo_trygg.pack import build_pack, load_config
from geo_trygg.pack._suppress import PRIMARY, PUBLISHED, SECONDARY, determined, suppress

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = PACK_EXAMPLE

# --- the suppression rule, by hand and against brute force --------------------------------


def test_a_lone_small_count_in_a_row_gets_a_partner() -> None:
    # cells: a, b, c, a+b+c; a = 1 is small; with b = 0 and c = 9 shown, a = 10 - 0 - 9
    cells = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    assert suppress(cells, np.array([1, 0, 9, 10])).tolist() == [1, 0, 2, 0]
    # two small counts in the row protect each other: 1 + 2 = 3 could be 2 + 1
    assert suppress(cells, np.array([1, 2, 9, 12])).tolist() == [1, 1, 0, 0]


def test_the_same_count_in_a_neighbouring_table_is_hidden_too() -> None:
    # one area by category at two levels (a stadsdelsområde and the LPO with the same
    # points): hiding the partner 9 in one table only would let the other give it away
    cells = np.array([[1, 0], [0, 1], [1, 1], [1, 0], [0, 1], [1, 1]])
    state = suppress(cells, np.array([1, 9, 10, 1, 9, 10]))
    assert state.tolist() == [PRIMARY, SECONDARY, PUBLISHED, PRIMARY, SECONDARY, PUBLISHED]


def test_a_small_total_split_in_small_counts_is_shown_as_dots() -> None:
    # a, b, a+b with a = b = 1: "<3", "<3", "<3" would say 1 + 1 = 2; so two of the three
    # become "..", and then a could be 1 or 2 for all a reader knows
    cells = np.array([[1, 0], [0, 1], [1, 1]])
    values = np.array([1, 1, 2])
    state = suppress(cells, values)
    assert (state != PUBLISHED).all()
    assert (state == SECONDARY).sum() >= 1
    for i in range(3):
        assert not determined(cells, values, state, k=3, cell=i)


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="k=2"):
        suppress(np.eye(2), np.array([1, 5]), k=2)


def _table_cells(rows: int, cols: int) -> np.ndarray:
    """A rows × cols table with its row totals, column totals and grand total, as 0/1 rows
    over the table's cells (the atoms)."""
    out = []
    for i, j in itertools.product(range(rows), range(cols)):
        v = np.zeros(rows * cols)
        v[i * cols + j] = 1
        out.append(v)
    for i in range(rows):
        v = np.zeros(rows * cols)
        v[i * cols : (i + 1) * cols] = 1
        out.append(v)
    for j in range(cols):
        v = np.zeros(rows * cols)
        v[j::cols] = 1
        out.append(v)
    out.append(np.ones(rows * cols))
    return np.array(out, dtype=int)


def _values_a_reader_could_think(
    cells: np.ndarray, values: np.ndarray, state: np.ndarray, k: int, top: int
) -> np.ndarray:
    """Every whole-number table (cells 0…top) consistent with what is shown: shown counts
    equal, "<k" counts 1…k-1, ".." counts anything. Enumerated, one row per table."""
    n_atoms = cells.shape[1]
    grids = np.meshgrid(*[np.arange(top + 1)] * n_atoms, indexing="ij")
    atoms = np.stack([g.ravel() for g in grids], axis=1)
    sums = atoms @ cells.T
    ok = np.ones(len(atoms), dtype=bool)
    for i, s in enumerate(state):
        col = sums[:, i]
        if s == PUBLISHED:
            ok &= col == values[i]
        elif s == PRIMARY:
            ok &= (col >= 1) & (col <= k - 1)
    return sums[ok]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.lists(st.integers(0, 5), min_size=6, max_size=6),
    k=st.sampled_from([3, 4]),
)
def test_no_hidden_count_can_be_worked_back(table: list[int], k: int) -> None:
    """For every 2 × 3 table with margins, enumerate every table a reader could believe in:
    each small count (1…k-1) must be hidden and take at least two values among them."""
    cells = _table_cells(2, 3)
    values = cells @ np.array(table)
    state = suppress(cells, values, k=k)
    small = (values >= 1) & (values <= k - 1)
    assert (state[small] != PUBLISHED).all()
    assert not (state == PRIMARY)[~small].any()  # "<k" says the truth
    possible = _values_a_reader_could_think(cells, values, state, k, top=12)
    assert len(possible), "the true table must be among them"
    assert (possible == values).all(axis=1).any()
    for i in np.flatnonzero(small):
        assert len(set(possible[:, i])) >= 2, (table, state.tolist(), i)
        assert not determined(cells, values, state, k=k, cell=int(i))


def test_determined_agrees_with_enumeration_when_nothing_more_is_hidden() -> None:
    # a 1 in a 2 × 2 table with all margins shown is always worked back
    cells = _table_cells(2, 2)
    values = cells @ np.array([1, 4, 6, 5])
    state = np.where((values >= 1) & (values <= 2), PRIMARY, PUBLISHED)
    possible = _values_a_reader_could_think(cells, values, state, 3, top=12)
    assert set(possible[:, 0]) == {1}
    assert determined(cells, values, state, k=3, cell=0)


# --- public packs ---------------------------------------------------------------------------

SENTINEL_LON, SENTINEL_LAT = 17.9957381, 59.2771593  # beside Älvsjö centrum, in the demo area
SENTINEL_TEXT = "SENTINELTEXT-QX7"


def _comma(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def _sentinel_forms() -> set[str]:
    """The sentinel's coordinates as they might be written: WGS84 (EPSG:4326) at 4–7
    decimals, SWEREF 99 TM (3006) and SWEREF 99 18 00 (3011) at 0–2 decimals; rounded and
    cut, with a decimal point or comma."""
    forms: set[str] = set()
    pairs = [((SENTINEL_LON, SENTINEL_LAT), range(4, 8))]
    for epsg in (3006, 3011):
        t = Transformer.from_crs(4326, epsg, always_xy=True)
        pairs.append((t.transform(SENTINEL_LON, SENTINEL_LAT), range(0, 3)))
    for (x, y), decimals in pairs:
        for value in (x, y):
            for d in decimals:
                rounded = f"{value:.{d}f}"
                cut = str(np.trunc(value * 10**d) / 10**d) if d else str(int(value))
                cut = f"{float(cut):.{d}f}"
                for text in (rounded, cut):
                    forms.add(text)
                    forms.add(text.replace(".", ","))
    return forms


def _texts(file: Path) -> list[str]:
    """A file's text as a reader of any tool would see it: xlsx unzipped, gpkg queried
    (every table's values and every geometry's coordinates), others decoded."""
    if file.suffix == ".xlsx":
        with zipfile.ZipFile(file) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    if file.suffix == ".gpkg":
        out = []
        with sqlite3.connect(file) as db:
            out.append("\n".join(db.iterdump()))
        import pyogrio

        for name, _ in pyogrio.list_layers(file):
            frame = gpd.read_file(file, layer=name)
            out.append(frame.drop(columns=frame.geometry.name, errors="ignore").to_csv())
            if frame.crs is not None and len(frame):
                for epsg in (4326, 3006, 3011):
                    out.append(frame.geometry.to_crs(epsg).to_wkt().str.cat(sep="\n"))
        return out
    return [file.read_bytes().decode("utf-8", "replace")]


def _hits(folder: Path, needles: set[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for file in sorted(folder.rglob("*")):
        if not file.is_file() or file.suffix == ".png":
            continue
        for text in _texts(file):
            for needle in needles:
                if needle in text:
                    found.setdefault(str(file.relative_to(folder)), set()).add(needle)
    return found


def _config(tmp_path: Path, *, privacy: str, sentinels: bool, extra: str = "") -> Path:
    """The example configuration on copies of the demo inputs, with (or without) one event and
    one finding at the sentinel point carrying the sentinel text."""
    events = (DEMO_DIR / "demo_events.csv").read_bytes().decode("cp1252")
    findings = (DEMO_DIR / "demo_findings.csv").read_bytes().decode("utf-8-sig")
    if sentinels:
        lat, lon = _comma(SENTINEL_LAT, 7), _comma(SENTINEL_LON, 7)
        events += (
            f"ZZ-0001;2024-11-12 20:15;;Skadegörelse;Bostadsbolaget;{SENTINEL_TEXT};"
            f"{SENTINEL_TEXT} vid porten.;{lat};{lon}\n"
        )
        findings = findings.rstrip("\n") + (
            f"\n{SENTINEL_TEXT} 2024-11-12;2024-11-12;Belysning;{SENTINEL_TEXT} lampa trasig.;"
            f"Hög;Trafikkontoret;Ny;2024-12-20;2024-11-12;{lat};{lon}\n"
        )
    (tmp_path / "events.csv").write_bytes(events.encode("cp1252"))
    (tmp_path / "findings.csv").write_bytes(findings.encode("utf-8-sig"))
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('"demo/demo_events.csv"', '"events.csv"')
    text = text.replace('"demo/demo_findings.csv"', '"findings.csv"')
    text = text.replace('"demo/', f'"{DEMO_DIR.as_posix()}/')
    text = text.replace('privacy = "internal"', f'privacy = "{privacy}"\npng = false{extra}')
    path = tmp_path / f"{privacy}-{int(sentinels)}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(tmp_path: Path, name: str, **kwargs: object) -> Path:
    # each pack its own publication ledger: the packs hold different data under one label
    kwargs["extra"] = f'{kwargs.get("extra", "")}\nledger = "publiceringar-{name}"'
    config, base = load_config(_config(tmp_path, **kwargs))  # type: ignore[arg-type]
    out = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_pack(config, base, out)
    assert not result.failed
    return out


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("public")
    return {
        "public": _build(tmp, "public", privacy="public", sentinels=True),
        "baseline": _build(tmp, "baseline", privacy="public", sentinels=False),
        "internal": _build(tmp, "internal", privacy="internal", sentinels=True),
    }


def test_the_search_finds_a_sentinel_in_a_geopackage(tmp_path: Path) -> None:
    point = gpd.GeoDataFrame(
        {"name": ["x"]}, geometry=gpd.points_from_xy([SENTINEL_LON], [SENTINEL_LAT]), crs=4326
    )
    point.to_crs(3011).to_file(tmp_path / "a.gpkg", layer="p")
    assert _hits(tmp_path, _sentinel_forms())


def test_no_coordinates_of_events_or_findings_in_a_public_pack(packs: dict[str, Path]) -> None:
    forms = _sentinel_forms()
    # forms that the pack holds without the sentinels (boundary vertices) say nothing
    usable = forms - {f for hits in _hits(packs["baseline"], forms).values() for f in hits}
    assert len(usable) >= 40, len(usable)
    # the internal pack shows points: the search can find them there
    assert _hits(packs["internal"], usable)
    assert _hits(packs["public"], usable) == {}


def test_no_free_text_in_a_public_pack(packs: dict[str, Path]) -> None:
    assert _hits(packs["internal"], {SENTINEL_TEXT})
    assert _hits(packs["public"], {SENTINEL_TEXT}) == {}
    # the demo's own descriptions are not there either
    assert _hits(packs["public"], {"garageinfarten", "centrumhuset"}) == {}


def test_a_public_pack_has_no_lists_and_no_finding_ids(packs: dict[str, Path]) -> None:
    public = packs["public"]
    assert not (public / "atgardslistor").exists()
    assert (packs["internal"] / "atgardslistor").is_dir()
    import json

    manifest = json.loads((public / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["state"]["findings"] == {}
    rejected = pd.read_csv(public / "avvisade_rader.csv", sep=";", encoding="utf-8-sig")
    assert list(rejected.columns) == ["file", "column", "rows"]


def test_public_changes_list_only_areas_labels(tmp_path: Path) -> None:
    config, base = load_config(_config(tmp_path, privacy="public", sentinels=True))
    out = tmp_path / "paket"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, out)
        build_pack(config, base, out, force=True)  # now with a previous pack to compare
    changes = (out / "andringar.html").read_text(encoding="utf-8")
    assert "Områden med ändrad bedömning" in changes
    assert "brister" not in changes  # nothing about findings
    assert SENTINEL_TEXT not in changes


def _lagesbild(tmp_path: Path, period: str | None = None) -> tuple[object, dict[str, object]]:
    from geo_trygg.lagesbild import build_lagesbild
    from geo_trygg.pack._build import _read

    config, base = load_config(_config(tmp_path, privacy="public", sentinels=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = _read(config, base)
        lb = build_lagesbild(
            inputs.findings,
            inputs.events,
            areas=inputs.areas,
            by=tuple(config.pages),
            period=period or config.period,
            compare=config.compare_value(),
        )
    return lb, {"findings": inputs.findings, "areas": inputs.areas}


def test_public_counts_agree_with_an_independent_count(tmp_path: Path) -> None:
    from geo_trygg.pack._public import public_counts

    lb, frames = _lagesbild(tmp_path)
    cells = public_counts(lb, k=3).cells  # type: ignore[arg-type]
    totals = lb.totals  # type: ignore[attr-defined]
    areas = lb.areas  # type: ignore[attr-defined]
    # totals and categories against the lägesbild's own tables (another code path)
    # (the rest counts are checked against the areas' sums in test_pack_ledger.py)
    for row in cells[(cells["table"] != "status") & (cells["rest"] == "")].itertuples():
        table = totals if row.table == "total" else areas
        hit = table[
            (table["kind"] == row.kind)
            & (table["level"] == row.level)
            & (table["bucket"] == "area")
            & (table["area"] == row.area)
        ]
        if row.table == "category":
            hit = hit[hit["category"] == row.key]
        column = "n" if row.period == "period" else "n_compare"
        assert int(hit[column].sum()) == row.n, row
    # findings by status against a spatial join of the raw findings (all exact points)
    findings = frames["findings"]
    walked = pd.to_datetime(findings["walk_date"])
    in_q4 = findings[(walked >= "2024-10-01") & (walked < "2025-01-01")]
    layer = frames["areas"][frames["areas"]["level"] == "lpo"]
    joined = gpd.sjoin(in_q4.to_crs(layer.crs), layer[["name", "geometry"]], predicate="within")
    expected = joined.groupby(["name", "status"]).size()
    status = cells[(cells["table"] == "status") & (cells["level"] == "lpo")]
    status = status[status["rest"] == ""]
    assert len(status)
    for row in status.itertuples():
        assert row.n == int(expected.get((row.area, row.key), 0)), row


@pytest.mark.parametrize("period", [None, "2024-W33", "2024-W38"])
def test_every_small_count_is_hidden_and_none_can_be_worked_back(
    tmp_path: Path, period: str | None
) -> None:
    from geo_trygg.pack._public import _atoms, _cells, _edges, _Finder, _matrix, public_counts

    lb, _ = _lagesbild(tmp_path, period)
    counts = public_counts(lb, k=3)  # type: ignore[arg-type]
    cells = counts.cells
    small = (cells["n"] >= 1) & (cells["n"] <= 2)
    assert small.any()
    assert cells.loc[small, "text"].isin(["<3", ".."]).all()
    assert (cells.loc[cells["state"] == PRIMARY, "n"].between(1, 2)).all()
    assert (cells.loc[cells["state"] == SECONDARY, "text"] == "..").all()
    shown = cells["state"] == PUBLISHED
    assert (cells.loc[shown, "text"] == cells.loc[shown, "n"].astype(str)).all()
    edges = _edges(lb, None)
    atoms = _atoms(lb, edges)
    _, members = _cells(lb, _Finder(lb, atoms, edges))
    matrix = _matrix(members, len(atoms))
    state = cells["state"].to_numpy()
    for i in np.flatnonzero(small.to_numpy()):
        assert not determined(matrix, cells["n"].to_numpy(), state, k=3, cell=int(i))


def test_the_public_map_table_hides_every_figure_of_a_hidden_count(tmp_path: Path) -> None:
    from geo_trygg.pack._public import public_counts, public_lagesbild

    lb, _ = _lagesbild(tmp_path, "2024-W38")  # a week with small totals in both periods
    counts = public_counts(lb, k=3)  # type: ignore[arg-type]
    totals = public_lagesbild(lb, counts).totals
    cells = counts.cells[counts.cells["table"] == "total"]
    hidden = cells[cells["state"] != PUBLISHED]
    assert set(hidden["period"]) == {"period", "compare"}
    figures = [c for c in totals.columns if c not in ("land_km2", "population")]
    for row in hidden.itertuples():
        hit = totals[(totals["kind"] == row.kind) & (totals["level"] == row.level)]
        hit = hit[hit["area"] == row.area]
        assert len(hit) == 1
        if row.period == "period":
            assert hit["n_text"].iloc[0] == row.text
        numbers = hit[figures].select_dtypes("number")
        changes = numbers[[c for c in ("change",) if c in numbers]]
        assert changes.isna().all().all()  # a change needs both periods shown
        if row.period == "period":
            assert numbers.isna().all().all(), numbers
        assert hit["change_code"].isna().all()
    assert not {"expected", "rate_ratio", "p_value", "p_adjusted"} & set(totals.columns)


def test_public_pages_show_the_counts_as_hidden(packs: dict[str, Path]) -> None:
    page = (packs["public"] / "lpo" / "botkyrka" / "lagesbild.html").read_text(encoding="utf-8")
    assert "&lt;3" in page
    assert "DEMO – påhittade data" in page  # the classification banner
    assert 'lang="sv"' in page
    index = (packs["public"] / "index.html").read_text(encoding="utf-8")
    assert "Offentlig version" in index


def test_public_configuration_errors_name_the_key(tmp_path: Path) -> None:
    path = _config(tmp_path, privacy="public", sentinels=False)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("min_count = 3", "min_count = 2"), encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"min_count = 2 är inte tillåtet; tillåtet: ett heltal, minst 3"
    ):
        load_config(path)
    path = _config(tmp_path, privacy="public", sentinels=False)
    path.write_text(
        path.read_text(encoding="utf-8").replace('indicator = "n"', 'indicator = "priority"'),
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError,
        match=r'map\.indicator = "priority" visas inte i ett offentligt paket.*: "n", "per_km2", '
        r'"per_1000"$',
    ):
        load_config(path)


# --- WCAG 2.1 AA basics in a real browser -----------------------------------------------------


@pytest.fixture(scope="module")
def contained_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from browser import assets_or_skip

    assets_or_skip()
    tmp = tmp_path_factory.mktemp("public_wcag")
    return _build(tmp, "public", privacy="public", sentinels=True, extra="\nself_contained = true")


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "andringar.html",
        "lpo/botkyrka/lagesbild.html",
        "lpo/botkyrka/karta.html",
    ],
)
def test_public_pages_pass_axe_wcag_21_aa(
    contained_public: Path, chromium: object, name: str
) -> None:
    from browser import axe_violations, new_page

    page, log = new_page(chromium)
    try:
        page.goto((contained_public / name).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == "sv"
        violations = axe_violations(page)
        assert violations == [], violations
        if name.endswith("karta.html"):  # a text alternative describes the map
            described = page.evaluate(
                """() => { const m = document.querySelector('.folium-map');
                const d = document.getElementById(m.getAttribute('aria-describedby'));
                return [m.getAttribute('role'), m.getAttribute('aria-label'),
                        d ? d.textContent : null]; }"""
            )
            assert described[0] == "region"
            assert described[1]
            assert "lagesbild.html" in described[2]
        assert log.problems() == []
    finally:
        page.context.close()


def test_keyboard_reaches_every_link_with_a_visible_focus(
    contained_public: Path, chromium: object
) -> None:
    from browser import new_page

    page, _ = new_page(chromium)
    try:
        page.goto((contained_public / "index.html").as_uri())
        links = page.evaluate("() => Array.from(document.links).map((a) => a.href)")
        assert len(links) >= 1 + 3 * 4  # andringar + map, report and Excel per page
        reached, outlines = [], []
        for _ in range(len(links)):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.href"))
            outlines.append(page.evaluate("getComputedStyle(document.activeElement).outlineWidth"))
        assert reached == links  # every link, in reading order
        assert all(float(w.rstrip("px")) >= 2 for w in outlines), outlines
        # on the map, Tab reaches the map itself (arrow keys pan it) and the layer switches
        page.goto((contained_public / "lpo" / "botkyrka" / "karta.html").as_uri())
        page.wait_for_load_state("load")
        seen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            seen.append(
                page.evaluate(
                    "(() => { const e = document.activeElement; return e.className + '|' +"
                    " (e.type || '') + '|' + e.tagName; })()"
                )
            )
        assert any("folium-map" in s or "leaflet-container" in s for s in seen), seen
        assert any("|checkbox|" in s for s in seen), seen
    finally:
        page.context.close()


def test_a_public_pack_is_incremental_and_the_same_with_two_processes(tmp_path: Path) -> None:
    from test_pack import _pages

    path = _config(tmp_path, privacy="public", sentinels=False)
    config, base = load_config(path)
    out, fresh, parallel = tmp_path / "paket", tmp_path / "fresh", tmp_path / "parallel"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_pack(config, base, out)
        # one more event in Fittja centrum (LPO Botkyrka) in the period
        events = (tmp_path / "events.csv").read_bytes().decode("cp1252")
        events += (
            "BB-9999;2024-11-05 21:10;;Brand i soprum;Bostadsbolaget;Fittja;Ny.;"
            "59,247883;17,861568\n"
        )
        (tmp_path / "events.csv").write_bytes(events.encode("cp1252"))
        # changed data: the first build's publication would be refused (it never went out)
        shutil.rmtree(tmp_path / "publiceringar")
        config, base = load_config(path)
        again = {p["path"]: p["reused"] for p in build_pack(config, base, out).pages}
        build_pack(config, base, fresh, force=True)
        build_pack(config, base, parallel, force=True, jobs=2)
    assert again["lpo/botkyrka"] is False
    # every LPO page's map shows its neighbours' counts and classes over all LPOs (issue 14):
    # they change with Botkyrka's count; the stadsdelsområden's do not
    assert again["lpo/skarholmen"] is False
    assert again["stadsdelsomrade/hagersten-alvsjo"] is True
    assert _pages(out) == _pages(fresh) == _pages(parallel)
