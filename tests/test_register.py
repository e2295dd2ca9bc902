"""The register (issue 15): walks merged over the years, status files into the history, event
batches, the schema's versions and backups between the backends. Every test that touches a
register runs on both backends (``register_target``: a GeoPackage file and a fresh PostGIS
database). The expected values are worked out by hand from the coordinates and dates below."""

from __future__ import annotations

import itertools
import math
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from unittest import mock

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, RegisterError
from geo_trygg.register import SCHEMA_VERSION, copy_register, open_register
from geo_trygg.register._merge import match_findings

X0, Y0 = 674000.0, 6578000.0
HEADER = "id;datum;kategori;beskrivning;status;statusdatum;x;y"
READ = {"crs": "EPSG:3006"}


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _walk1(tmp: Path) -> Path:
    day = "2023-05-10"
    return _csv(
        tmp / "var2023.csv",
        HEADER,
        [
            f"1;{day};Belysning;Mörk gång;Ny;{day};{X0};{Y0}",
            f"2;{day};Nedskräpning;Skräp vid bänk;Ny;{day};{X0 + 100};{Y0}",
            f"3;{day};Klotter;Klotter på vägg;Ny;{day};{X0 + 200};{Y0}",
            f"4;{day};Belysning;Trasig lampa;Ny;{day};{X0 + 300};{Y0}",
        ],
    )


def _walk2(tmp: Path) -> Path:
    day = "2024-05-12"
    return _csv(
        tmp / "var2024.csv",
        HEADER,
        [
            # 5 m from finding 1 (3-4-5): seen again
            f"1;{day};Belysning;Fortfarande mörkt;Ny;{day};{X0 + 3};{Y0 + 4}",
            # 10 m from finding 1, which row 1 took (closer): new
            f"2;{day};Belysning;Mörkt hörn;Ny;{day};{X0 + 6};{Y0 + 8}",
            # exactly 10 m from finding 2, same category: seen again (the limit is included)
            f"3;{day};Nedskräpning;Skräp igen;Ny;{day};{X0 + 100};{Y0 + 10}",
            # 1 m from finding 3, which is done: new
            f"4;{day};Klotter;Nytt klotter;Ny;{day};{X0 + 200};{Y0 + 1}",
            # 2 m from finding 4 but another category: new
            f"5;{day};Vegetation;Buskage;Ny;{day};{X0 + 300};{Y0 + 2}",
            # 10.5 m from finding 4: new
            f"6;{day};Belysning;Ännu en lampa;Ny;{day};{X0 + 300};{Y0 + 10.5}",
        ],
    )


def _status1(tmp: Path) -> Path:
    return _csv(
        tmp / "status_tk.csv", "id;status;statusdatum;kommentar", ["3;Åtgärdad;2023-09-01;Sanerat"]
    )


@pytest.fixture
def two_walks(register_target: str, tmp_path: Path):
    """Walk 2023, status file (finding 3 done), walk 2024."""
    reg = open_register(register_target)
    first = reg.import_walk(_walk1(tmp_path), walk="Vår 2023", by="Anna", **READ)
    status = reg.import_status(_status1(tmp_path), by="Trafikkontoret")
    second = reg.import_walk(_walk2(tmp_path), walk="Vår 2024", by="Anna", **READ)
    yield reg, first, status, second
    reg.close()


# --- the merge rule ------------------------------------------------------------------------------


def test_walks_merge_by_place_category_and_open_status(two_walks) -> None:
    reg, first, status, second = two_walks
    assert (first.n_new, first.n_seen_again) == (4, 0)
    assert (status.n_updates, status.n_rejected) == (1, 0)
    assert (second.n_input, second.n_new, second.n_seen_again) == (6, 4, 2)
    f = reg.findings().set_index("finding_id")
    # rows 2 and 4 of 2024 had ids that 2023 uses: prefixed with the walk; 5 and 6 are free
    assert sorted(f.index) == ["1", "2", "3", "4", "5", "6", "Vår 2024/2", "Vår 2024/4"]
    assert f.loc["1", "n_seen"] == 2
    assert f.loc["2", "n_seen"] == 2
    assert f.loc["1", "last_seen"] == pd.Timestamp("2024-05-12")
    assert f.loc["1", "walk_date"] == pd.Timestamp("2023-05-10")
    assert f.loc["4", "n_seen"] == 1
    assert f.loc["Vår 2024/4", "walk"] == "Vår 2024"
    assert f.loc["3", "status"] == "done"
    assert f.loc["5", "category"] == "vegetation"
    # the finding keeps its first place; the sighting records the distance
    assert f.loc["1"].geometry.equals(shapely.Point(X0, Y0))
    s = reg.sightings()
    again = s.loc[s["kind"] == "seen_again"].set_index("source_row")
    assert again["finding_id"].to_dict() == {2: "1", 4: "2"}
    assert again["distance_m"].tolist() == [5.0, 10.0]
    assert reg.walks()["walk"].tolist() == ["Vår 2023", "Vår 2024"]


def test_a_larger_distance_merges_more(register_target: str, tmp_path: Path) -> None:
    with open_register(register_target) as reg:
        reg.import_walk(_walk1(tmp_path), walk="Vår 2023", **READ)
        second = reg.import_walk(_walk2(tmp_path), walk="Vår 2024", distance=11, **READ)
    # 11 m: row 6 (10.5 m from finding 4, same category) is seen again too; row 4's finding 3
    # is still open here (no status file), so it is seen again as well
    assert (second.n_new, second.n_seen_again) == (2, 4)


def _reference(new, old, distance):
    """The rule by brute force: every pair, closest first, ties by row then id."""
    pairs = []
    for i, (cat, x, y) in enumerate(new):
        for fid, ocat, ox, oy in old:
            d = math.hypot(x - ox, y - oy)
            if cat == ocat and d <= distance:
                pairs.append((d, i, fid))
    pairs.sort(key=lambda p: (p[0], p[1], str(p[2])))
    out: dict[int, str] = {}
    used = set()
    for _d, i, fid in pairs:
        if i in out or fid in used:
            continue
        out[i] = fid
        used.add(fid)
    return [out.get(i) for i in range(len(new))]


_coord = st.one_of(st.integers(0, 30).map(float), st.floats(0, 30))  # ties and not


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ab"), _coord, _coord), max_size=12),
    st.lists(st.tuples(st.sampled_from("ab"), _coord, _coord), max_size=12),
    st.sampled_from([0.0, 1.0, 5.0, 10.0]),
    st.booleans(),
)
def test_merge_rule_equals_brute_force(new, old, distance, per_category) -> None:
    from geo_trygg.register import _merge

    old_rows = [(f"F{k:02d}", c, x, y) for k, (c, x, y) in enumerate(old)]
    search = _merge._pairs

    def one_search_too_many(*args, **kw):  # the search per category, as for many pairs
        return None if per_category and "budget" not in kw else search(*args, **kw)

    with mock.patch.object(_merge, "_pairs", one_search_too_many):
        ids, dist = match_findings(
            np.array([c for c, _, _ in new], dtype=object),
            np.array([(x, y) for _, x, y in new], dtype=float).reshape(-1, 2),
            np.array([r[0] for r in old_rows], dtype=object),
            np.array([r[1] for r in old_rows], dtype=object),
            np.array([(r[2], r[3]) for r in old_rows], dtype=float).reshape(-1, 2),
            distance=distance,
        )
    assert ids.tolist() == _reference(new, old_rows, distance)
    matched = [i for i in ids if i is not None]
    assert len(matched) == len(set(matched))  # one row per finding
    assert all((d <= distance) for d in dist[~pd.isna(dist)])


def test_points_without_coordinates_match_nothing() -> None:
    nan = np.nan
    ids, dist = match_findings(
        np.array(["a", "a", "a"], dtype=object),
        np.array([[nan, nan], [0.0, 0.0], [nan, 1.0]]),
        np.array(["F1", "F2"], dtype=object),
        np.array(["a", "a"], dtype=object),
        np.array([[nan, nan], [0.0, 3.0]]),
        distance=10,
    )
    assert ids.tolist() == [None, "F2", None]
    assert dist[1] == 3.0
    assert np.isnan(dist[[0, 2]]).all()


# --- status files --------------------------------------------------------------------------------


def test_status_file_enters_history_with_from_and_to(two_walks, tmp_path: Path) -> None:
    reg, *_ = two_walks
    path = _csv(
        tmp_path / "svar_bostadsbolaget.csv",
        "id;status;statusdatum;kommentar",
        [
            "Vår 2024/2;Pågående;2024-06-01;Beställt",  # row 2: the register's id
            "99;Klar;2024-06-01;x",  # row 3: no such finding
            "1;Pågående;2023-01-01;gammalt svar",  # row 4: the protocol's id, older than now
            ";Klar;2024-06-02;utan id",  # row 5: no id at all
        ],
    )
    report = reg.import_status(path, by="Bostadsbolaget")
    assert (report.n_input, report.n_accepted, report.n_rejected) == (4, 2, 2)
    assert (report.n_updates, report.n_stale) == (2, 1)
    assert sorted(report.rejected["row"].unique().tolist()) == [3, 5]
    f = reg.findings().set_index("finding_id")
    assert f.loc["Vår 2024/2", "status"] == "in_progress"
    assert f.loc["Vår 2024/2", "status_date"] == pd.Timestamp("2024-06-01")
    assert f.loc["1", "status"] == "new"  # the older answer does not overwrite
    h = reg.history("finding")
    mine = h.loc[h["object_id"] == "Vår 2024/2"]
    assert mine[["status_from", "status_to", "who"]].values.tolist() == [
        [None, "new", "Anna"],
        ["new", "in_progress", "Bostadsbolaget"],
    ]
    one = h.loc[(h["object_id"] == "1") & (h["source_file"] == path.name)]
    # dated before the finding was recorded: it came from nothing known
    assert one[["status_from", "status_to", "comment"]].values.tolist() == [
        [None, "in_progress", "gammalt svar"]
    ]
    three = h.loc[h["object_id"] == "3"]
    assert three[["status_from", "status_to", "source_file"]].values.tolist() == [
        [None, "new", "var2023.csv"],
        ["new", "done", "status_tk.csv"],
    ]
    rej = reg.rejected(report.import_id)
    assert rej.loc[rej["row"] == 3, "reason"].tolist() == ["inget fynd i registret har detta id"]


def test_reimporting_a_file_changes_nothing(two_walks, tmp_path: Path) -> None:
    reg, *_ = two_walks
    before = reg.counts()
    findings = reg.findings()
    again = reg.import_walk(tmp_path / "var2024.csv", walk="Vår 2024", **READ)
    assert again.already_imported
    assert again.import_id == 3
    status = reg.import_status(tmp_path / "status_tk.csv")
    assert status.already_imported
    assert status.import_id == 2
    assert reg.counts() == before
    pd.testing.assert_frame_equal(reg.findings(), findings)


def test_a_walk_name_is_taken_once(two_walks, tmp_path: Path) -> None:
    reg, *_ = two_walks
    other = _csv(
        tmp_path / "annan.csv", HEADER, [f"1;2024-06-01;Belysning;x;Ny;2024-06-01;{X0};{Y0}"]
    )
    before = reg.counts()
    with pytest.raises(RegisterError, match="Vår 2024"):
        reg.import_walk(other, walk="Vår 2024", **READ)
    assert reg.counts() == before


def test_rejected_rows_are_kept_with_the_import(register_target: str, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "trasig.csv",
        HEADER,
        [
            f"1;2024-05-01;Belysning;ok;Ny;2024-05-01;{X0};{Y0}",
            "2;2024-05-01;Belysning;utan plats;Ny;2024-05-01;;",
            f"3;inte ett datum;Belysning;fel datum;Ny;2024-05-01;{X0};{Y0}",
        ],
    )
    with open_register(register_target) as reg:
        report = reg.import_walk(path, walk="Trasig", **READ)
        assert (report.n_input, report.n_accepted, report.n_rejected) == (3, 1, 2)
        rej = reg.rejected()
        assert sorted(rej["row"].unique().tolist()) == [3, 4]
        assert set(rej["import_id"]) == {report.import_id}
        imp = reg.imports().set_index("import_id").loc[report.import_id]
        assert (imp["n_input"], imp["n_accepted"], imp["n_rejected"]) == (3, 1, 2)


# --- events --------------------------------------------------------------------------------------


def _events(ids: list[str], days: list[str], source: str = "bostadsbolag") -> gpd.GeoDataFrame:
    times = pd.to_datetime(days, format="ISO8601").tz_localize("Europe/Stockholm")
    return gpd.GeoDataFrame(
        {
            "event_id": ids,
            "time_from": times,
            "time_to": times,
            "category": "vandalism",
            "source": source,
            "location_precision": "exact",
            "text": [f"händelse {i}" for i in ids],
        },
        geometry=[shapely.Point(X0 + k, Y0) for k in range(len(ids))],
        crs="EPSG:3006",
    )


def test_event_batches_overlap_without_doubles(register_target: str) -> None:
    with open_register(register_target) as reg:
        a = reg.add_events(
            _events(["e1", "e2", "e3"], ["2024-01-05 10:00", "2024-02-01", "2024-03-30 23:30"]),
            name="jan-mar",
            coverage=("2024-01-01", "2024-03-31"),
        )
        b = reg.add_events(
            _events(["e3", "e4"], ["2024-03-30 23:30", "2024-05-02"]), name="mar-maj"
        )
        c = reg.add_events(_events(["e1"], ["2024-01-05 10:00"], "polis"), name="polis")
        assert (a.n_new, a.n_already) == (3, 0)
        assert (b.n_new, b.n_already) == (1, 1)
        assert (c.n_new, c.n_already) == (1, 0)  # another source: another event
        assert "2024-03-30 till 2024-05-02" in b.notes[0]
        cov = reg.coverage().set_index("source")
        # jan 1 – mar 31 given, mar 30 – may 2 guessed: covered without a gap
        assert cov.loc["bostadsbolag", "first"] == pd.Timestamp("2024-01-01")
        assert cov.loc["bostadsbolag", "last"] == pd.Timestamp("2024-05-02")
        assert cov.loc["bostadsbolag", "gaps"] == 0
        ev = reg.events(sources=["bostadsbolag"])
        assert ev["event_id"].tolist() == ["e1", "e2", "e3", "e4"]
        assert ev["time_from"].iloc[2] == pd.Timestamp("2024-03-30 23:30", tz="Europe/Stockholm")
        assert str(ev["time_from"].dt.tz) == "Europe/Stockholm"
        # 23:30 on March 30 in Stockholm (UTC+1) is still March 30 there: the end bound is
        # exclusive and local
        window = reg.events(start="2024-02-01", end="2024-03-31")
        assert window["event_id"].tolist() == ["e2", "e3"]
        assert ev.crs == "EPSG:3006"
        assert ev.geometry.iloc[3].equals(shapely.Point(X0 + 1, Y0))


def test_event_coverage_gaps_are_counted(register_target: str) -> None:
    with open_register(register_target) as reg:
        reg.add_events(
            _events(["a"], ["2024-01-02"]), name="1", coverage=("2024-01-01", "2024-01-10")
        )
        reg.add_events(
            _events(["b"], ["2024-01-25"]), name="2", coverage=("2024-01-21", "2024-01-31")
        )
        cov = reg.coverage().set_index("source")
        assert cov.loc["bostadsbolag", "gaps"] == 10  # January 11–20


# --- the file itself -----------------------------------------------------------------------------


def test_geopackage_is_version_1_2_and_gdal_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "register.gpkg"
    with open_register(path) as reg:
        reg.import_walk(_walk1(tmp_path), walk="Vår 2023", **READ)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA user_version").fetchone()[0] == 10200
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    import pyogrio

    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers["findings"] == "Point"
    assert layers["measures"] == "MultiPolygon"
    assert layers["status_history"] is None
    frame = pyogrio.read_dataframe(path, layer="findings")
    assert frame.crs.to_epsg() == 3006
    assert sorted((g.x, g.y) for g in frame.geometry) == [
        (X0 + k, Y0) for k in (0.0, 100.0, 200.0, 300.0)
    ]


def test_debian_gdal_opens_the_register_without_warnings(tmp_path: Path) -> None:
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        if os.environ.get("GEO_TRYGG_REQUIRE_POSTGRES") == "1":
            pytest.fail("ogrinfo (Debian's gdal-bin) is missing; .ci/run installs it")
        pytest.skip("ogrinfo not installed (apt-get install gdal-bin)")
    path = tmp_path / "register.gpkg"
    with open_register(path) as reg:
        reg.import_walk(_walk1(tmp_path), walk="Vår 2023", **READ)
    out = subprocess.run(
        [ogrinfo, "-ro", "-so", str(path), "findings"], capture_output=True, text=True
    )
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "Warning" not in text, text
    assert "ERROR" not in text, text
    assert "Feature Count: 4" in text
    listing = subprocess.run([ogrinfo, "-ro", "-q", str(path)], capture_output=True, text=True)
    assert "Warning" not in listing.stderr
    assert "status_history" in listing.stdout


# --- versions ------------------------------------------------------------------------------------


def _set_version(target: str, version: int) -> None:
    if target.endswith(".gpkg"):
        con = sqlite3.connect(target)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        con.commit()
        con.close()
    else:
        import psycopg

        with psycopg.connect(target, autocommit=True) as con:
            con.execute(
                "UPDATE geo_trygg.meta SET value = %s WHERE key = 'schema_version'",
                (str(version),),
            )


def test_a_newer_register_is_refused_unchanged(register_target: str, tmp_path: Path) -> None:
    with open_register(register_target) as reg:
        reg.import_walk(_walk1(tmp_path), walk="Vår 2023", **READ)
    _set_version(register_target, SCHEMA_VERSION + 1)
    before = Path(register_target).read_bytes() if register_target.endswith(".gpkg") else None
    with pytest.raises(RegisterError, match=f"schemaversion {SCHEMA_VERSION + 1}"):
        open_register(register_target)
    if before is not None:
        assert Path(register_target).read_bytes() == before


def test_an_older_register_is_migrated_forward(
    register_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_trygg.register import _schema, _store

    with open_register(register_target) as reg:
        reg.import_walk(_walk1(tmp_path), walk="Vår 2023", **READ)
    extra = _schema.Table("notes", (("text", "text"),), description="a later version's table")
    monkeypatch.setattr(_store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(_store, "MIGRATIONS", {**_schema.MIGRATIONS, SCHEMA_VERSION + 1: (extra,)})
    with open_register(register_target) as reg:
        assert reg._backend.table_exists("notes")
        assert len(reg.findings()) == 4
        meta = dict(reg._backend.fetch('SELECT "key", "value" FROM "meta"'))
    assert meta["schema_version"] == str(SCHEMA_VERSION + 1)
    assert f"migrated_{SCHEMA_VERSION}_{SCHEMA_VERSION + 1}" in meta


def test_other_files_are_refused_unchanged(tmp_path: Path) -> None:
    other = tmp_path / "annan.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=3006).to_file(other)
    before = other.read_bytes()
    with pytest.raises(RegisterError, match="inte ett geo_trygg-register"):
        open_register(other)
    assert other.read_bytes() == before
    text = tmp_path / "anteckningar.gpkg"
    text.write_text("hej", encoding="utf-8")
    with pytest.raises(RegisterError, match="inte ett geo_trygg-register"):
        open_register(text)
    with pytest.raises(ConfigError, match=r"\.gpkg"):
        open_register(tmp_path / "register.sqlite")
    with pytest.raises(RegisterError, match="finns inte"):
        open_register(tmp_path / "saknas.gpkg", create=False)
    with pytest.raises(ConfigError, match="timeout"):
        open_register(tmp_path / "r.gpkg", timeout=0)


# --- backups -------------------------------------------------------------------------------------


def _frames(reg) -> dict[str, pd.DataFrame]:
    return {
        "findings": reg.findings(),
        "sightings": reg.sightings(),
        "history": reg.history(),
        "walks": reg.walks(),
        "imports": reg.imports(),
        "rejected": reg.rejected(),
        "events": reg.events(),
        "problems": reg.problems(),
        "measures": reg.measures(),
    }


def test_backup_round_trip_between_backends(two_walks, postgres_url: str, tmp_path: Path) -> None:
    reg, *_ = two_walks
    reg.add_events(_events(["e1", "e2"], ["2024-01-05", "2024-02-01"]), name="b", coverage=None)
    _plan(reg)  # measures: a boolean, a real, days and polygons cross too
    original = _frames(reg)
    backup = reg.export(tmp_path / "kopia.gpkg")
    # the backup into the other backend (a fresh PostGIS database, or a GeoPackage when the
    # register is on PostGIS), and back out to a second file
    other = postgres_url if reg.kind == "gpkg" else str(tmp_path / "andra.gpkg")
    copied = copy_register(backup, other)
    assert copied["findings"] == 8
    assert copied["status_history"] == 11  # 9 of the findings, one per measure
    assert copied["measures"] == 2
    with open_register(other) as moved:
        for name, frame in _frames(moved).items():
            pd.testing.assert_frame_equal(frame, original[name], obj=name)
        assert moved.counts() == reg.counts()
        # new rows continue after the copied ids
        third = _csv(
            tmp_path / "host.csv",
            HEADER,
            [f"9;2024-10-01;Belysning;x;Ny;2024-10-01;{X0};{Y0 + 500}"],
        )
        report = moved.import_walk(third, walk="Höst 2024", **READ)
        assert report.import_id == int(original["imports"]["import_id"].max()) + 1
        back = tmp_path / "tillbaka.gpkg"
        moved.export(back)
    with open_register(back) as again:
        assert len(again.findings()) == 9
    with pytest.raises(RegisterError, match="innehåller redan data"):
        copy_register(backup, other)
    with pytest.raises(RegisterError, match="finns redan"):
        reg.export(backup)


# --- the plan ------------------------------------------------------------------------------------


def _plan(reg) -> None:
    reg.add_problems(
        pd.DataFrame(
            {
                "problem_id": ["P1", "P2"],
                "kind": ["category_area", "findings"],
                "category": ["vandalism", None],
                "level": ["stadsdel", None],
                "area": ["Älvsjö", None],
                "description": ["Skadegörelse i centrum", "Mörka gångar"],
            }
        ),
        findings={"P2": ["1", "4"]},
    )
    places = gpd.GeoSeries(
        [shapely.box(X0 - 50, Y0 - 50, X0 + 50, Y0 + 50), shapely.Point(X0 + 300, Y0)],
        crs="EPSG:3006",
    )
    reg.add_measures(
        gpd.GeoDataFrame(
            {
                "measure_id": ["M1", "M2"],
                "title": ["Ny belysning", "Väktare kvällstid"],
                "cause": ["Mörker", "Skadegörelse"],
                "objective": ["Färre mörka platser", "Minskad skadegörelse"],
                "responsible": ["Trafikkontoret", "Fastighetsägaren"],
                "followup": ["Trygghetsvandring 2025", "Händelser före och efter"],
                "start": ["2024-06-01", "2024-09-01"],
                "end": ["2024-12-31", "2025-08-31"],
                "progress": [50, None],
                "status": ["ongoing", "planned"],
                "public": [True, False],
                "radius_m": [np.nan, 25.0],
            },
            geometry=places.to_crs(4326),  # given in WGS 84: stored in SWEREF 99 TM
        ),
        links={"M1": ["P2"], "M2": ["P1", "P2"]},
        by="Samordnaren",
    )


def test_plan_is_stored_and_read_as_the_plan_functions_take_it(two_walks) -> None:
    from geo_trygg.plan import measure_status

    reg, *_ = two_walks
    _plan(reg)
    m = reg.measures().set_index("measure_id")
    assert m.loc["M1", "end"] == pd.Timestamp("2024-12-31")
    assert m.loc["M1", "progress"] == 50
    assert pd.isna(m.loc["M2", "progress"])
    assert bool(m.loc["M1", "public"]) is True
    # the box back within a millimetre after WGS 84 and back; the circle of 25 m
    assert m.loc["M1"].geometry.area == pytest.approx(100 * 100, rel=1e-6)
    assert m.loc["M2"].geometry.area == pytest.approx(math.pi * 25**2, rel=2e-3)
    assert m.loc["M2"].geometry.centroid.distance(shapely.Point(X0 + 300, Y0)) < 0.01
    assert m.geometry.geom_type.unique().tolist() == ["MultiPolygon"]
    assert reg.links().values.tolist() == [["M1", "P2"], ["M2", "P1"], ["M2", "P2"]]
    assert reg.problem_findings()["finding_id"].tolist() == ["1", "4"]
    # 2024-11-01: M1 5/7 of its time gone (expected 71 %), 50 % done: within 25 points, green
    rag = measure_status(m.reset_index(), as_of="2024-11-01")
    assert rag.tolist() == ["green", "green"]
    reg.update_measure("M1", on="2024-11-02", progress=20, comment="Leveransen försenad")
    reg.update_measure("M2", on="2024-09-03", status="ongoing", by="Fastighetsägaren")
    m = reg.measures().set_index("measure_id")
    assert m.loc["M1", "progress"] == 20
    assert m.loc["M2", "status"] == "ongoing"
    h = reg.history("measure")
    assert h[["object_id", "status_from", "status_to", "who"]].values.tolist() == [
        ["M1", None, "ongoing", "Samordnaren"],
        ["M2", None, "planned", "Samordnaren"],
        ["M1", "ongoing", "ongoing", h["who"].iloc[2]],
        ["M2", "planned", "ongoing", "Fastighetsägaren"],
    ]
    assert h["comment"].iloc[2] == "20 % klart. Leveransen försenad"
    # 20 % when 71 % of the time is gone: more than 25 points behind, yellow
    assert measure_status(m.reset_index(), as_of="2024-11-02").tolist()[0] == "yellow"


def test_a_bad_plan_is_refused_whole(two_walks) -> None:
    reg, *_ = two_walks
    before = reg.counts()
    with pytest.raises(ConfigError) as err:
        reg.add_problems(
            pd.DataFrame({"problem_id": ["P1", "P1", ""], "kind": ["findings", "x", "hotspot"]}),
            findings={"P1": ["nej"]},
        )
    text = str(err.value)
    assert "id P1 finns redan" in text
    assert "raden 3 saknar id" in text
    assert "problemtypen 'x'" in text
    assert "nämner fynd som inte finns i registret: nej" in text
    with pytest.raises(ConfigError) as err:
        reg.add_measures(
            gpd.GeoDataFrame(
                {
                    "measure_id": ["M1", "M2"],
                    "title": ["a", "b"],
                    "status": ["ongoing", "klar"],
                    "start": ["2024-06-01", "2024-06-01"],
                    "end": ["2024-01-01", "2024-12-01"],
                    "progress": [150, 10],
                },
                geometry=[shapely.Point(X0, Y0), shapely.box(0, 0, 1, 1)],
                crs="EPSG:3006",
            ),
            links={"M2": ["P9"]},
        )
    text = str(err.value)
    for part in (
        "åtgärdsstatusen 'klar'",
        "åtgärden M1 behöver start och end",
        "åtgärden M1: progress",
        "problemet P9 finns inte",
        "åtgärden M1 är inte kopplad",
        "åtgärden på rad 1 har ingen plats",
    ):
        assert part in text
    assert reg.counts() == before


def test_status_rows_may_name_the_protocol_a_finding_was_seen_again_in(
    register_target: str, tmp_path: Path
) -> None:
    def walk(name: str, day: str, rows: list[tuple[str, str, float, float]]) -> Path:
        lines = [f"{i};{day};{cat};x;Ny;{day};{X0 + dx};{Y0 + dy}" for i, cat, dx, dy in rows]
        return _csv(tmp_path / f"{name}.csv", HEADER, lines)

    with open_register(register_target) as reg:
        reg.import_walk(
            walk("a", "2022-05-01", [("A1", "Belysning", 0, 0), ("A2", "Nedskräpning", 500, 0)]),
            walk="A",
            **READ,
        )
        b = reg.import_walk(
            walk("b", "2023-05-01", [("S", "Belysning", 3, 0), ("T", "Nedskräpning", 500, 2)]),
            walk="B",
            **READ,
        )
        c = reg.import_walk(
            walk("c", "2024-05-01", [("S", "Nedskräpning", 501, 0)]), walk="C", **READ
        )
        assert (b.n_seen_again, c.n_seen_again) == (2, 1)
        answer = _csv(
            tmp_path / "svar.csv",
            "id;status;statusdatum;kommentar",
            ["T;Pågående;2024-06-01;", "S;Klar;2024-06-01;"],
        )
        report = reg.import_status(answer)
        assert (report.n_accepted, report.n_rejected) == (1, 1)
        assert report.rejected["reason"].tolist() == [
            "flera fynd i registret har detta protokoll-id; ange registrets id"
        ]
        f = reg.findings().set_index("finding_id")
        assert f["status"].to_dict() == {"A1": "new", "A2": "in_progress"}


def test_stacked_points_are_refused_before_memory_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from geo_trygg.register import _merge

    monkeypatch.setattr(_merge, "MAX_PAIRS", 2_500)
    monkeypatch.setattr(_merge, "_CHUNK", 10)
    same = np.zeros((60, 2))
    cats = np.array(["a"] * 60, dtype=object)
    ids = np.array([f"F{i:02d}" for i in range(60)], dtype=object)
    # 60 × 60 = 3,600 pairs at one spot: refused
    with pytest.raises(RegisterError, match="fler än 2500 par"):
        match_findings(cats, same, ids, cats, same, distance=10)
    # 40 × 60 = 2,400 pairs: row k ↔ F{k} (equal distances: rows in order, ids as text)
    got, dist = match_findings(cats[:40], same[:40], ids, cats, same, distance=10)
    assert got.tolist() == [f"F{i:02d}" for i in range(40)]
    assert dist.tolist() == [0.0] * 40
    # 3,600 pairs at one spot, but of two categories: the bound counts pairs of one category
    # (none here), so nothing is refused and nothing matches
    other = np.array(["b"] * 60, dtype=object)
    got, _ = match_findings(cats, same, ids, other, same, distance=10)
    assert got.tolist() == [None] * 60


def test_the_fast_read_of_events_equals_the_row_by_row_read(register_target: str) -> None:
    # texts a CSV or a columnar read could get wrong: empty versus missing, quotes, commas,
    # semicolons, line breaks, backslashes, non-ASCII, a NUL-free "\N"
    texts = ["", None, 'sa "hej", då', "rad 1\nrad 2\r\nrad 3", "a;b\\c", "\\N", "Åäö ✓", " "]
    # COPY's end-of-data mark, alone and as a line of a longer text; tabs; lone quotes
    texts += ["\\.", "a\n\\.\nb", "\t", '"', '""', "x,\ny"]
    frame = _events([f"e{i}" for i in range(len(texts))], ["2024-03-01 12:00"] * len(texts))
    frame["text"] = texts
    frame["published"] = pd.NaT
    with open_register(register_target) as reg:
        reg.add_events(frame, name="svåra texter")
        fast = reg.events()
        assert reg._backend.read_whole(reg_table("events")) is not None
        from geo_trygg.register._store import read_table

        slow = read_table(reg._backend, "events")
    assert fast["text"].tolist() == texts
    assert fast["time_from"].tolist() == slow["time_from"].tolist()
    assert str(fast["time_from"].dtype) == "datetime64[ns, Europe/Stockholm]"
    assert str(fast["published"].dtype) == "datetime64[ns, Europe/Stockholm]"
    assert fast["published"].isna().all()
    assert fast["import_id"].tolist() == slow["import_fid"].tolist()
    assert [g.wkt for g in fast.geometry] == [g.wkt for g in slow["geom"]]


@settings(
    max_examples=25,
    deadline=None,
    # one register for every example: each example adds its own batch of events
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_text_is_stored_and_read_back_as_it_was(register_target: str, texts) -> None:
    # every text PostgreSQL can hold (no NUL) goes in and comes out unchanged, by the fast
    # write (COPY as CSV, or executemany) and both reads (columnar and row by row)
    from geo_trygg.register._store import read_table

    batch = next(_BATCHES)
    frame = _events(
        [f"b{batch}-{i}" for i in range(len(texts))], ["2024-03-01 12:00"] * len(texts)
    )
    frame["text"] = texts
    with open_register(register_target) as reg:
        reg.add_events(frame, name=f"texter {batch}")
        fast = reg.events()
        slow = read_table(reg._backend, "events")
    mine = fast["event_id"].str.startswith(f"b{batch}-").to_numpy()
    assert fast.loc[mine, "text"].tolist() == texts
    assert slow.loc[slow["event_id"].str.startswith(f"b{batch}-"), "text"].tolist() == texts


_BATCHES = itertools.count()


def test_a_text_with_a_nul_character_is_refused_and_nothing_written(
    register_target: str,
) -> None:
    # PostgreSQL cannot store NUL and SQLite's readers cut a text there: refused, by name
    frame = _events(["n1", "n2", "n3"], ["2024-03-01 12:00"] * 3)
    frame["text"] = ["ren", None, "halv\x00text"]
    with open_register(register_target) as reg:
        before = reg.counts()
        with pytest.raises(
            ConfigError, match="kolumnen text har på rad 3 en text med ett nolltecken"
        ):
            reg.add_events(frame, name="nolltecken")
        assert reg.counts() == before


def reg_table(name: str):
    from geo_trygg.register._schema import TABLES

    return TABLES[name]


def test_an_empty_register_reads_empty_frames(register_target: str) -> None:
    with open_register(register_target) as reg:
        events, findings = reg.events(), reg.findings()
    assert len(events) == 0
    assert len(findings) == 0
    assert str(events["time_from"].dtype) == "datetime64[ns, Europe/Stockholm]"
    assert events.crs == "EPSG:3006"


def test_new_ids_never_take_an_id_the_register_has(register_target: str, tmp_path: Path) -> None:
    # protocol ids that collide with earlier ids, and with the "<walk>/<id>" form itself
    def walk(name: str, rows: list[tuple[str, float]]) -> Path:
        lines = [f"{i};2024-05-01;Belysning;x;Ny;2024-05-01;{X0 + dx};{Y0}" for i, dx in rows]
        return _csv(tmp_path / f"{name}.csv", HEADER, lines)

    with open_register(register_target) as reg:
        reg.import_walk(walk("a", [("1", 0), ("V/1", 100)]), walk="A", **READ)
        reg.import_walk(walk("b", [("V/1-2", 200)]), walk="B", **READ)
        reg.import_walk(walk("c", [("1", 1000)]), walk="V", **READ)
        ids = sorted(reg.findings()["finding_id"])
    # "1" is taken, so is "V/1", and "V/1-2": the next free one is "V/1-3"
    assert ids == ["1", "V/1", "V/1-2", "V/1-3"]


@pytest.mark.parametrize(
    "coverage",
    [
        (45000, 45010),
        ("2024-02-30", "2024-03-01"),
        ("2024-03-01",),
        "2024",
        ("2024-05-01", "2024-04-01"),
    ],
)
def test_a_coverage_that_is_not_two_days_in_order_is_refused(tmp_path: Path, coverage) -> None:
    with open_register(tmp_path / "r.gpkg") as reg:
        with pytest.raises(ConfigError, match="coverage"):
            reg.add_events(_events(["a"], ["2024-03-01"]), name="x", coverage=coverage)
        assert reg.counts()["events"] == 0
