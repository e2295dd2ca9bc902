"""Follow-up of walk findings: status tables, overdue lists, the status-file round trip, changes.

Every expected number below is worked out by hand from the fixture (see the table in
``findings()``), or computed by a second, brute-force method in the property tests.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, GeoTryggWarning, ReadError, RowError, labels
from geo_trygg import settings as gt_settings
from geo_trygg._labels import msg
from geo_trygg.followup import (
    FOLLOWUP_COLUMNS,
    HISTORY_COLUMNS,
    UPDATE_COLUMNS,
    StatusMergeResult,
    apply_status_updates,
    changes_since,
    followup_table,
    overdue_findings,
    read_status_updates,
)

AS_OF = "2024-06-30"
HA, SK = "Hägersten-Älvsjö", "Skärholmen"
T = pd.Timestamp


def findings(geo: bool = False) -> pd.DataFrame:
    """Ten findings; as_of 2024-06-30 gives the hand-worked outcome in the last columns.

    id   walk   status       deadline  status_d  område  actor      overdue  days to done
    F1   03-05  new          06-29     03-05     HA      trafik     1 day    -
    F2   03-05  new          06-30     03-05     HA      trafik     no (deadline day) -
    F3   03-05  in_progress  04-04     04-20     HA      sdf        87 days  -
    F4   03-05  done         04-04     03-15     HA      trafik     no       10
    F5   03-12  done         -         04-11     SK      bostad     no       30
    F6   03-12  rejected     04-01     05-01     SK      bostad     no       -
    F7   03-12  new          -         -         SK      -          no (no deadline)
    F8   03-12  done         05-01     06-10     -       bostad     no       90
    F9   03-12  in_progress  06-01     05-02     -       -          29 days  -
    F10  03-05  done         06-01     -         HA      sl         no       (no date)
    """
    d = pd.to_datetime
    frame = pd.DataFrame(
        {
            "finding_id": [f"F{i}" for i in range(1, 11)],
            "walk_id": ["A"] * 4 + ["B"] * 5 + ["A"],
            "walk_date": d(["2024-03-05"] * 4 + ["2024-03-12"] * 5 + ["2024-03-05"]),
            "category": ["lighting"] * 10,
            "severity": pd.array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1], dtype="Int64"),
            "responsible_actor": [
                "trafikkontoret",
                "trafikkontoret",
                "stadsdelsforvaltning",
                "trafikkontoret",
                "bostadsbolag",
                "bostadsbolag",
                None,
                "bostadsbolag",
                None,
                "sl",
            ],
            "status": [
                "new",
                "new",
                "in_progress",
                "done",
                "done",
                "rejected",
                "new",
                "done",
                "in_progress",
                "done",
            ],
            "deadline": d(
                [
                    "2024-06-29",
                    "2024-06-30",
                    "2024-04-04",
                    "2024-04-04",
                    None,
                    "2024-04-01",
                    None,
                    "2024-05-01",
                    "2024-06-01",
                    "2024-06-01",
                ]
            ),
            "status_date": d(
                [
                    "2024-03-05",
                    "2024-03-05",
                    "2024-04-20",
                    "2024-03-15",
                    "2024-04-11",
                    "2024-05-01",
                    None,
                    "2024-06-10",
                    "2024-05-02",
                    None,
                ]
            ),
            "stadsdelsomrade": [HA, HA, HA, HA, SK, SK, SK, None, None, HA],
        },
        index=pd.Index(range(100, 110), name="fid"),
    )
    if geo:
        points = shapely.points(np.arange(10.0) * 100 + 674000, np.full(10, 6574000.0))
        return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:3006")
    return frame


def row_of(table: pd.DataFrame, **keys: object) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for key, value in keys.items():
        mask &= (table[key] == value).to_numpy()
    assert mask.sum() == 1, keys
    return table[mask].iloc[0]


# --- followup_table ------------------------------------------------------------------------------


def test_table_by_stadsdelsomrade_hand_worked() -> None:
    table = followup_table(findings(), by="stadsdelsomrade", as_of=AS_OF)
    assert table["stadsdelsomrade"].tolist() == [HA, SK, "(inget område)", "Totalt"]
    assert table["is_total"].tolist() == [False, False, False, True]
    assert list(table.columns) == ["stadsdelsomrade", *FOLLOWUP_COLUMNS]
    expected = {
        # n_total, n_open, n_in_progress, n_done, n_rejected, n_overdue, n_done_dated
        HA: (5, 2, 1, 2, 0, 2, 1),
        SK: (3, 1, 0, 1, 1, 0, 1),
        "(inget område)": (2, 0, 1, 1, 0, 1, 1),
        "Totalt": (10, 3, 2, 4, 1, 3, 3),
    }
    cols = ["n_total", "n_open", "n_in_progress", "n_done", "n_rejected", "n_overdue"]
    for name, counts in expected.items():
        row = row_of(table, stadsdelsomrade=name)
        assert tuple(int(row[c]) for c in cols) == counts[:6]
        assert int(row["n_done_dated"]) == counts[6]
    medians = {HA: 10.0, SK: 30.0, "(inget område)": 90.0, "Totalt": 30.0}
    shares = {HA: 2 / 5, SK: 1 / 3, "(inget område)": 1 / 2, "Totalt": 4 / 10}
    for name in medians:
        row = row_of(table, stadsdelsomrade=name)
        assert row["median_days_to_done"] == medians[name]
        assert row["share_done"] == pytest.approx(shares[name])
    assert table.attrs["as_of"] == "2024-06-30"
    assert table["n_total"].dtype == np.int64
    assert table["share_done"].dtype == np.float64


def test_table_by_actor_and_english_labels() -> None:
    with gt_settings.use_lang("en"):  # the missing-value and total groups' words
        table = followup_table(findings(), by=("responsible_actor",), as_of=AS_OF)
    assert table["responsible_actor"].tolist() == [
        "bostadsbolag",
        "sl",
        "stadsdelsforvaltning",
        "trafikkontoret",
        "(no responsible actor)",
        "Total",
    ]
    bostad = row_of(table, responsible_actor="bostadsbolag")
    assert (bostad["n_total"], bostad["n_done"], bostad["n_rejected"]) == (3, 2, 1)
    assert bostad["median_days_to_done"] == 60.0  # median of 30 and 90
    sl = row_of(table, responsible_actor="sl")
    assert np.isnan(sl["median_days_to_done"])
    assert sl["n_done_dated"] == 0
    assert sl["share_done"] == 1.0
    nobody = row_of(table, responsible_actor="(no responsible actor)")
    assert (nobody["n_total"], nobody["n_overdue"]) == (2, 1)
    assert np.isnan(nobody["median_days_to_done"])


def test_table_by_actor_group_hand_worked() -> None:
    frame = findings()
    # F6 a tenant-owner association, F8 a text that is no actor code, F10 a transit operator
    frame.loc[105, "responsible_actor"] = "brf"
    frame.loc[107, "responsible_actor"] = "Grannföreningen AB"
    frame.loc[109, "responsible_actor"] = "trafikoperator"
    table = followup_table(frame, by="actor_group", as_of=AS_OF)
    assert list(table.columns) == ["actor_group", *FOLLOWUP_COLUMNS]
    assert table["actor_group"].tolist() == [
        "kommun",
        "other",
        "privat",
        "region_stat",
        "(ingen ansvarig)",
        "Totalt",
    ]
    cols = ["n_total", "n_open", "n_in_progress", "n_done", "n_rejected", "n_overdue"]
    expected = {
        "kommun": (5, 2, 1, 2, 0, 2),  # F1-F5: trafikkontoret, sdf, bostadsbolag
        "other": (1, 0, 0, 1, 0, 0),  # F8
        "privat": (1, 0, 0, 0, 1, 0),  # F6
        "region_stat": (1, 0, 0, 1, 0, 0),  # F10
        "(ingen ansvarig)": (2, 1, 1, 0, 0, 1),  # F7, F9
        "Totalt": (10, 3, 2, 4, 1, 3),
    }
    for name, counts in expected.items():
        row = row_of(table, actor_group=name)
        assert tuple(int(row[c]) for c in cols) == counts
    assert row_of(table, actor_group="kommun")["median_days_to_done"] == 20.0  # 10 and 30
    assert row_of(table, actor_group="other")["median_days_to_done"] == 90.0
    crossed = followup_table(frame, by=("actor_group", "responsible_actor"), as_of=AS_OF)
    traffic = row_of(crossed, actor_group="kommun", responsible_actor="trafikkontoret")
    assert (traffic["n_total"], traffic["n_overdue"]) == (3, 1)
    # a column of that name is used as it is
    given = followup_table(frame.assign(actor_group="x"), by="actor_group", as_of=AS_OF)
    assert given["actor_group"].tolist() == ["x", "Totalt"]
    with pytest.raises(ConfigError, match="actor_group"):
        followup_table(frame.drop(columns="responsible_actor"), by="actor_group", as_of=AS_OF)


def test_table_crossed_groups_and_total_only() -> None:
    table = followup_table(findings(), by=["stadsdelsomrade", "responsible_actor"], as_of=AS_OF)
    groups = table.loc[~table["is_total"]]
    assert int(groups["n_total"].sum()) == 10
    ha_traffic = row_of(table, stadsdelsomrade=HA, responsible_actor="trafikkontoret")
    assert (ha_traffic["n_total"], ha_traffic["n_open"], ha_traffic["n_overdue"]) == (3, 2, 1)
    none_none = row_of(
        table, stadsdelsomrade="(inget område)", responsible_actor="(ingen ansvarig)"
    )
    assert (none_none["n_total"], none_none["n_in_progress"]) == (1, 1)
    total = followup_table(findings(), by=(), as_of=AS_OF)
    assert len(total) == 1
    assert bool(total["is_total"].iat[0])
    assert total["n_total"].iat[0] == 10


def test_table_accepts_texts_and_other_date_types() -> None:
    f = findings()
    f["status"] = f["status"].map(
        {"new": "Ny", "in_progress": "Pågående", "done": "Åtgärdad", "rejected": "ej åtgärd"}
    )
    f["walk_date"] = f["walk_date"].dt.strftime("%d/%m/%Y")  # Swedish day-first text
    f["deadline"] = f["deadline"].dt.tz_localize("Europe/Stockholm")
    base = followup_table(findings(), by="stadsdelsomrade", as_of=AS_OF)
    for as_of in ("30/6/2024", dt.date(2024, 6, 30), T("2024-06-30 18:45"), "30 juni 2024"):
        pd.testing.assert_frame_equal(
            followup_table(f, by="stadsdelsomrade", as_of=as_of), base, check_like=False
        )


def test_table_duplicate_index_and_input_not_mutated() -> None:
    f = findings(geo=True)
    f.index = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    before = f.copy()
    table = followup_table(f, by="stadsdelsomrade", as_of=AS_OF)
    assert table["n_total"].tolist() == [5, 3, 2, 10]
    pd.testing.assert_frame_equal(f, before)


def test_table_empty_findings_is_explicit() -> None:
    with pytest.warns(GeoTryggWarning, match="inga fynd"):
        table = followup_table(findings().iloc[:0], by="stadsdelsomrade", as_of=AS_OF)
    assert len(table) == 1
    assert table["n_total"].iat[0] == 0
    assert np.isnan(table["share_done"].iat[0])


def test_table_warns_for_dates_after_as_of_and_done_before_walk() -> None:
    with pytest.warns(GeoTryggWarning, match="efter as_of"):
        followup_table(findings(), by="stadsdelsomrade", as_of="2024-06-01")
    f = findings()
    f.loc[103, "status_date"] = T("2024-03-01")  # F4 done before its walk on 03-05
    with pytest.warns(GeoTryggWarning, match="F4"):
        table = followup_table(f, by="stadsdelsomrade", as_of=AS_OF)
    ha = row_of(table, stadsdelsomrade=HA)
    assert ha["n_done"] == 2
    assert ha["n_done_dated"] == 0
    assert np.isnan(ha["median_days_to_done"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "as_of is required"),
        ({"as_of": None}, "as_of is required"),
        ({"as_of": "not a date"}, "as_of='not a date' is not a date"),
        ({"as_of": "2024-02-30"}, "not a real calendar day"),
        ({"as_of": 45000}, "as_of=45000 is not a date"),
        ({"as_of": AS_OF, "by": "kommun"}, "run geo_trygg.assign_areas"),
        ({"as_of": AS_OF, "by": "description"}, "'description', which is not allowed"),
        ({"as_of": AS_OF, "by": 5}, "by=5 must be a column name"),
        ({"as_of": AS_OF, "by": ["stadsdelsomrade", "stadsdelsomrade"]}, "twice"),
    ],
)
def test_table_config_errors(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        followup_table(findings(), **kwargs)  # type: ignore[arg-type]


def test_bad_findings_tables_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="lacks the column"):
        followup_table(findings().drop(columns="deadline"), by=(), as_of=AS_OF)
    dup = findings()
    dup.loc[101, "finding_id"] = "F1"
    with pytest.raises(ConfigError, match="must be unique; repeated: 'F1'"):
        overdue_findings(dup, as_of=AS_OF)
    odd = findings()
    odd.loc[101, "status"] = "kanske"
    with pytest.raises(ConfigError, match="kanske"):
        followup_table(odd, by=(), as_of=AS_OF)
    text = findings()
    text["deadline"] = text["deadline"].dt.strftime("%Y-%m-%d").fillna("snart")
    with pytest.raises(ConfigError, match="'snart'"):
        followup_table(text, by=(), as_of=AS_OF)
    with pytest.raises(ConfigError, match="must be a DataFrame"):
        followup_table([1, 2], by=(), as_of=AS_OF)  # type: ignore[arg-type]


# --- overdue_findings ---------------------------------------------------------------------------


def test_overdue_list_hand_worked() -> None:
    f = findings(geo=True)
    out = overdue_findings(f, as_of=AS_OF)
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs == f.crs
    assert out["finding_id"].tolist() == ["F3", "F9", "F1"]
    assert out["days_overdue"].tolist() == [87, 29, 1]  # 04-04, 06-01 and 06-29 to 06-30
    assert out.index.tolist() == [102, 108, 100]  # the caller's index labels
    assert list(out.columns) == [*f.columns, "days_overdue"]
    assert "days_overdue" not in f.columns


@pytest.mark.filterwarnings("ignore::geo_trygg.GeoTryggWarning")  # F8's status date is later
def test_overdue_ties_by_id_and_deadline_day_in_time() -> None:
    f = findings()
    f["deadline"] = T("2024-06-01")
    f["status"] = "new"
    out = overdue_findings(f, as_of="2024-06-02")
    assert out["finding_id"].tolist() == sorted(f["finding_id"])  # F1, F10, F2, … (text order)
    assert set(out["days_overdue"]) == {1}
    assert overdue_findings(f, as_of="2024-06-01").empty  # the deadline day itself is in time


# --- reading a status file ----------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "cp1252") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


STATUS_ROWS = [
    ["Fynd-id", "Status", "Datum", "Kommentar"],  # row 1
    ["F1", "Åtgärdad", "2024-07-02", "Lampan bytt"],  # 2: applies
    ["F3", "klar", "5/7/2024", ""],  # 3: applies (latest for F3)
    ["F3", "pågående", "2024-07-01", "Beställt"],  # 4: history only (row 3 is later)
    ["X-99", "Klar", "2024-07-03", "Okänt id"],  # 5: unknown id
    ["F5", "Ny", "31/2/2024", "fel datum"],  # 6: rejected, no such day
    ["F6", "kanske", "2024-07-01", ""],  # 7: rejected, unknown status
    ["F9", "Pågående", "2024-04-01", "gammalt"],  # 8: older than F9's 05-02: history only
    ["F2", "", "", ""],  # 9: rejected, nothing to update
    ["", "Klar", "2024-07-01", ""],  # 10: rejected, no id
    ["F7", "Åtgärdad", "2024-07-03", "Röjt"],  # 11: same day as row 12 …
    ["F7", "Avvisad", "2024-07-03", "Dubblett"],  # 12: … and later in the file: wins
]


@pytest.fixture
def status_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "svar_trafikkontoret.csv", STATUS_ROWS)


def test_read_status_file_rows_accepted_and_rejected(status_file: Path) -> None:
    result = read_status_updates(status_file)
    assert (result.n_input, result.n_accepted, result.n_rejected) == (11, 7, 4)
    acc = result.accepted
    assert list(acc.columns) == UPDATE_COLUMNS
    assert acc["source_row"].tolist() == [2, 3, 4, 5, 8, 11, 12]
    assert acc["finding_id"].tolist() == ["F1", "F3", "F3", "X-99", "F9", "F7", "F7"]
    assert acc["status"].tolist() == [
        "done",
        "done",
        "in_progress",
        "done",
        "in_progress",
        "done",
        "rejected",
    ]
    assert acc["status_date"].tolist() == [
        T(x)
        for x in (
            "2024-07-02",
            "2024-07-05",
            "2024-07-01",
            "2024-07-03",
            "2024-04-01",
            "2024-07-03",
            "2024-07-03",
        )
    ]
    assert acc["comment"].tolist()[-2:] == ["Röjt", "Dubblett"]  # cp1252 decoded
    assert acc["comment"].iat[1] is None
    assert acc["status_original"].iat[0] == "Åtgärdad"
    rej = result.rejected
    assert rej["row"].tolist() == [6, 7, 9, 10]
    assert rej["column"].tolist() == ["Datum", "Status", "Status", "Fynd-id"]
    assert rej["reason"].tolist()[0] == msg("io_date_invalid")
    assert rej["reason"].tolist()[2] == msg("su_nothing_to_update")
    assert rej["reason"].tolist()[3] == msg("su_id_missing")
    assert "okänd status" in rej["reason"].tolist()[1]
    assert result.summary.kind == "status_updates"
    assert any("cp1252" in note for note in result.summary.notes)


def test_read_status_strict_raises_at_first_bad_row(status_file: Path) -> None:
    with pytest.raises(RowError) as info:
        read_status_updates(status_file, strict=True)
    assert info.value.row == 6
    assert info.value.column == "Datum"


def test_read_status_header_tiers_and_explicit_columns(tmp_path: Path) -> None:
    # a sent-back findings list: "Datum" is the walk date, "Statusdatum" the status date
    rows = [
        ["Nr", "Datum", "Beskrivning", "Status", "Statusdatum (åååå-mm-dd)", "Notering"],
        ["7", "2024-03-05", "Trasig lampa", "Klar", "2024-07-01", "bytt"],
    ]
    result = read_status_updates(write_csv(tmp_path / "lista.csv", rows))
    acc = result.accepted
    assert acc["finding_id"].tolist() == ["7"]
    assert acc["status_date"].tolist() == [T("2024-07-01")]
    assert acc["comment"].tolist() == ["bytt"]
    assert acc["src_Datum"].tolist() == ["2024-03-05"]
    rows = [["Löpnr X", "Läge", "När"], ["F1", "klar", "1/7/2024"]]
    path = write_csv(tmp_path / "egen.csv", rows, encoding="utf-8")
    with pytest.raises(ReadError, match="status"):
        read_status_updates(path)
    explicit = {"Löpnr X": "finding_id", "läge": "status", "När": "status_date"}
    acc = read_status_updates(path, columns=explicit).accepted
    assert acc[["finding_id", "status"]].values.tolist() == [["F1", "done"]]
    with pytest.raises(ConfigError, match="'deadline' is not a status-update column"):
        read_status_updates(path, columns={"När": "deadline"})
    with pytest.raises(ConfigError, match="does not have"):
        read_status_updates(path, columns={"Datum": "status_date"})
    with pytest.raises(ConfigError, match="sep="):
        read_status_updates(path, sep=";;")


def test_read_status_excel(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Återrapportering Trafikkontoret"])  # a title line above the header
    sheet.append(["ID", "Status", "Datum", "Kommentar"])
    sheet.append(["F4", "Åtgärdad", dt.datetime(2024, 7, 1), None])
    sheet.append([12, "pågår", "2/7/2024", "beställt"])
    book.save(tmp_path / "svar.xlsx")
    result = read_status_updates(tmp_path / "svar.xlsx")
    acc = result.accepted
    assert acc["finding_id"].tolist() == ["F4", "12"]
    assert acc["source_row"].tolist() == [3, 4]
    assert acc["status_date"].tolist() == [T("2024-07-01"), T("2024-07-02")]


# --- merging ------------------------------------------------------------------------------------


def test_round_trip_merge_hand_worked(status_file: Path) -> None:
    f = findings(geo=True)
    f_before = f.copy()
    updates = read_status_updates(status_file)
    acc_before = updates.accepted.copy()
    with pytest.warns(GeoTryggWarning, match="X-99"):
        merged = apply_status_updates(f, updates)
    assert isinstance(merged, StatusMergeResult)
    pd.testing.assert_frame_equal(f, f_before)  # never mutated
    pd.testing.assert_frame_equal(updates.accepted, acc_before)
    out = merged.findings
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.index.equals(f.index)
    by_id = out.set_index("finding_id")
    assert by_id.loc["F1", ["status", "status_date", "status_comment"]].tolist() == [
        "done",
        T("2024-07-02"),
        "Lampan bytt",
    ]
    assert by_id.loc["F3", ["status", "status_date"]].tolist() == ["done", T("2024-07-05")]
    assert by_id.loc["F3", "status_comment"] is None
    assert by_id.loc["F7", ["status", "status_date", "status_comment"]].tolist() == [
        "rejected",
        T("2024-07-03"),
        "Dubblett",
    ]
    assert by_id.loc["F9", ["status", "status_date"]].tolist() == ["in_progress", T("2024-05-02")]
    unchanged = ["F2", "F4", "F5", "F6", "F8", "F10"]
    pd.testing.assert_frame_equal(
        by_id.loc[unchanged, ["status", "status_date"]],
        f.set_index("finding_id").loc[unchanged, ["status", "status_date"]],
    )
    assert (merged.n_applied, merged.n_stale) == (3, 1)
    # history: 10 originals + the 6 updates of known ids; the unknown one is reported
    hist = merged.history
    assert list(hist.columns) == HISTORY_COLUMNS
    assert len(hist) == 16
    assert (hist["source"] == "update").sum() == 6
    f3 = hist[hist["finding_id"] == "F3"]
    assert f3[["status", "source"]].values.tolist() == [
        ["in_progress", "original"],
        ["in_progress", "update"],
        ["done", "update"],
    ]
    assert f3["row"].tolist()[1:] == [4, 3]
    assert f3["status_date"].is_monotonic_increasing
    f9 = hist[hist["finding_id"] == "F9"]  # the stale update comes first: it is older
    assert f9["source"].tolist() == ["update", "original"]
    assert hist["status_date"].dropna().is_monotonic_increasing
    assert hist["status_date"].isna().to_numpy()[: hist["status_date"].isna().sum()].all()
    unknown = merged.unknown_ids
    assert unknown[["row", "finding_id"]].values.tolist() == [[5, "X-99"]]
    assert unknown["reason"].iat[0] == msg("su_unknown_id", "sv")
    assert merged.notes[0] == msg("su_note_applied", "sv", n=3)


def test_merge_same_day_as_current_overwrites_and_history_continues() -> None:
    f = findings()
    first = pd.DataFrame(
        {"finding_id": ["F9"], "status": ["done"], "status_date": [T("2024-05-02")]}
    )
    merged = apply_status_updates(f, first)
    assert merged.findings.loc[108, "status"] == "done"  # same day as F9's status: overwrites
    assert merged.history["row"].dropna().tolist() == [1]  # numbered 1, 2, … without source_row
    second = pd.DataFrame(
        {
            "finding_id": ["F9", "F1"],
            "status": ["Avvisad", "pågående"],
            "status_date": ["2024-08-01", "2024-08-02"],
            "comment": ["dubblett", None],
        }
    )
    again = apply_status_updates(merged.findings, second, history=merged.history)
    # the earlier history is kept; current states already in it are not repeated
    assert len(again.history) == len(merged.history) + 2
    f9 = again.history[again.history["finding_id"] == "F9"]
    assert f9["status"].tolist() == ["in_progress", "done", "rejected"]
    assert again.findings.loc[108, "status_comment"] == "dubblett"


def test_merge_config_errors() -> None:
    f = findings()
    with pytest.raises(ConfigError, match="updates lacks the column"):
        apply_status_updates(f, pd.DataFrame({"finding_id": ["F1"], "status": ["done"]}))
    undated = pd.DataFrame({"finding_id": ["F1"], "status": ["done"], "status_date": [None]})
    with pytest.raises(ConfigError, match="missing date"):
        apply_status_updates(f, undated)
    odd = pd.DataFrame({"finding_id": ["F1"], "status": ["?"], "status_date": ["2024-07-01"]})
    with pytest.raises(ConfigError, match="unknown value"):
        apply_status_updates(f, odd)


# --- changes since -------------------------------------------------------------------------------


def test_changes_since_hand_worked(status_file: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        merged = apply_status_updates(findings(), read_status_updates(status_file))
    new = pd.DataFrame(
        {
            "finding_id": ["F11"],
            "walk_date": [T("2024-06-15")],
            "status": ["new"],
            "deadline": [T("2024-07-15")],
            "status_date": [T("2024-06-15")],
            "stadsdelsomrade": [SK],
        }
    )
    now = pd.concat([merged.findings, new], ignore_index=True)
    table = changes_since(now, since="2024-06-01", as_of="2024-07-31", history=merged.history)
    assert table[["change", "finding_id"]].values.tolist() == [
        ["new", "F11"],
        ["closed", "F8"],  # done 06-10
        ["closed", "F1"],  # done 07-02
        ["closed", "F7"],  # rejected 07-03
        ["closed", "F3"],  # done 07-05
        ["newly_overdue", "F9"],  # deadline 06-01 = since: in time on since, overdue now
        ["newly_overdue", "F2"],  # deadline 06-30
        ["newly_overdue", "F11"],  # deadline 07-15
    ]
    assert table["date"].tolist() == [
        T(x)
        for x in (
            "2024-06-15",
            "2024-06-10",
            "2024-07-02",
            "2024-07-03",
            "2024-07-05",
            "2024-06-01",
            "2024-06-30",
            "2024-07-15",
        )
    ]
    assert "change_label" not in table.columns  # codes only; words at the edges
    words = labels.words(table["change"], "followup_change", lang="sv")
    assert words.iat[0] == "Ny brist"
    english = {
        "new": "New finding",
        "closed": "Closed (done or rejected)",
        "newly_overdue": "Newly overdue (deadline passed)",
    }
    assert labels.words(table["change"], "followup_change", lang="en").tolist() == [
        english[c] for c in table["change"]
    ]
    assert table["stadsdelsomrade"].iat[0] == SK
    assert table.attrs == {"since": "2024-06-01", "as_of": "2024-07-31"}
    # the merge result carries its own history; same table without the extra finding
    from_result = changes_since(merged, since="2024-06-01", as_of="2024-07-31")
    expected = table[table["finding_id"] != "F11"].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_result, expected, check_dtype=False)


def test_changes_since_reconfirmed_close_needs_history() -> None:
    f = findings()
    update = pd.DataFrame(
        {"finding_id": ["F4"], "status": ["done"], "status_date": ["2024-06-20"]}
    )
    merged = apply_status_updates(f, update)  # F4 was done 03-15 already
    window = {"since": "2024-06-15", "as_of": "2024-06-30"}
    without = changes_since(merged.findings, **window)
    assert "F4" in without.loc[without["change"] == "closed", "finding_id"].tolist()
    with_history = changes_since(merged, **window)
    assert "F4" not in with_history["finding_id"].tolist()
    # a snapshot of the findings at the last meeting works as the history too
    snapshot = changes_since(merged.findings, history=f, **window)
    pd.testing.assert_frame_equal(snapshot, with_history)


def test_changes_since_errors_and_empty() -> None:
    with pytest.raises(ConfigError, match="since is required"):
        changes_since(findings(), as_of=AS_OF)
    with pytest.raises(ConfigError, match="after as_of"):
        changes_since(findings(), since="2024-07-01", as_of=AS_OF)
    empty = changes_since(findings(), since="2025-01-01", as_of="2025-01-31")
    assert empty.empty
    assert list(empty.columns[:3]) == ["change", "date", "finding_id"]


# --- demo data: findings as read and assigned ---------------------------------------------------


def test_demo_findings_after_assign_areas() -> None:
    import geo_trygg as gt
    from geo_trygg.demo import demo_paths

    paths = demo_paths()
    f = gt.read_findings(paths["findings"]).accepted
    areas = gt.read_areas(paths["areas"]).accepted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        assigned = gt.assign_areas(f, areas[areas["level"] == "stadsdelsomrade"])
    table = followup_table(assigned, by="stadsdelsomrade", as_of="2024-12-31")
    counts = assigned["stadsdelsomrade"].fillna("(inget område)").value_counts()
    groups = table[~table["is_total"]].set_index("stadsdelsomrade")["n_total"]
    assert groups.sort_index().to_dict() == counts.sort_index().to_dict()
    assert table["n_total"].iat[-1] == len(f)
    brute = sum(
        1
        for r in f.itertuples()
        if r.status in ("new", "in_progress")
        and pd.notna(r.deadline)
        and r.deadline < T("2024-12-31")
    )
    assert table["n_overdue"].iat[-1] == brute == len(overdue_findings(f, as_of="2024-12-31"))


# --- properties ---------------------------------------------------------------------------------

DAY0 = T("2024-01-01")
AS_OF_P = T("2024-07-01")


@st.composite
def finding_tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 25))
    day = st.integers(0, 240)
    maybe_day = st.one_of(st.none(), day)
    rows = []
    for i in range(n):
        walk = draw(day)
        deadline = draw(maybe_day)
        status_day = draw(maybe_day)
        rows.append(
            {
                "finding_id": f"f{i}",
                "walk_date": DAY0 + pd.Timedelta(days=walk),
                "status": draw(st.sampled_from(["new", "in_progress", "done", "rejected"])),
                "deadline": None if deadline is None else DAY0 + pd.Timedelta(days=deadline),
                "status_date": (
                    None if status_day is None else DAY0 + pd.Timedelta(days=walk + status_day)
                ),
                "stadsdel": draw(st.sampled_from(["A", "B", "Ö", None])),
                "responsible_actor": draw(st.sampled_from(["x", "y", None])),
            }
        )
    columns = ["finding_id", "walk_date", "status", "deadline", "status_date", "stadsdel"]
    frame = pd.DataFrame(rows, columns=[*columns, "responsible_actor"])
    for column in ("walk_date", "deadline", "status_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


BYS = [(), ("stadsdel",), ("responsible_actor",), ("stadsdel", "responsible_actor")]


@pytest.mark.filterwarnings("ignore::geo_trygg.GeoTryggWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=finding_tables())
def test_every_finding_counted_once_per_grouping(frame: pd.DataFrame) -> None:
    n = len(frame)
    brute_overdue = sum(
        1
        for r in frame.itertuples()
        if r.status in ("new", "in_progress") and pd.notna(r.deadline) and r.deadline < AS_OF_P
    )
    for by in BYS:
        table = followup_table(frame, by=by, as_of=AS_OF_P)
        groups = table[~table["is_total"]] if by else table  # by=(): the total row only
        assert int(groups["n_total"].sum()) == n
        assert int(table["n_total"].iat[-1]) == n
        parts = table[["n_open", "n_in_progress", "n_done", "n_rejected"]].sum(axis=1)
        assert (parts == table["n_total"]).all()
        assert int(groups["n_overdue"].sum()) == int(table["n_overdue"].iat[-1]) == brute_overdue
    assert len(overdue_findings(frame, as_of=AS_OF_P)) == brute_overdue


@pytest.mark.filterwarnings("ignore::geo_trygg.GeoTryggWarning")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=finding_tables(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_never_changes_any_table(frame: pd.DataFrame, seed: int) -> None:
    shuffled = frame.sample(frac=1.0, random_state=np.random.default_rng(seed))
    for by in BYS:
        pd.testing.assert_frame_equal(
            followup_table(frame, by=by, as_of=AS_OF_P),
            followup_table(shuffled, by=by, as_of=AS_OF_P),
        )
    pd.testing.assert_frame_equal(
        overdue_findings(frame, as_of=AS_OF_P), overdue_findings(shuffled, as_of=AS_OF_P)
    )
    window = {"since": "2024-04-01", "as_of": AS_OF_P}
    pd.testing.assert_frame_equal(
        changes_since(frame, **window), changes_since(shuffled, **window)
    )


@pytest.mark.filterwarnings("ignore::geo_trygg.GeoTryggWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=finding_tables(), data=st.data())
def test_history_keeps_every_state(frame: pd.DataFrame, data: st.DataObject) -> None:
    ids = [*frame["finding_id"].tolist(), "unknown-1", "unknown-2"]
    k = data.draw(st.integers(0, 15))
    updates = pd.DataFrame(
        {
            "finding_id": [data.draw(st.sampled_from(ids)) for _ in range(k)],
            "status": [data.draw(st.sampled_from(["new", "done", "rejected"])) for _ in range(k)],
            "status_date": [
                DAY0 + pd.Timedelta(days=data.draw(st.integers(0, 300))) for _ in range(k)
            ],
            "source_row": np.arange(2, k + 2),
        }
    )
    before = copy.deepcopy(frame)
    merged = apply_status_updates(frame, updates)
    pd.testing.assert_frame_equal(frame, before)
    known = updates["finding_id"].isin(frame["finding_id"])
    assert len(merged.history) == len(frame) + int(known.sum())
    assert len(merged.history) + len(merged.unknown_ids) == len(frame) + len(updates)
    assert sorted(merged.unknown_ids["row"].tolist()) == updates.loc[~known, "source_row"].tolist()
    # second method: the merged status date is the latest of the original and every update
    for fid, original in zip(frame["finding_id"], frame["status_date"], strict=True):
        dates = updates.loc[updates["finding_id"] == fid, "status_date"].tolist()
        candidates = [d for d in [original, *dates] if pd.notna(d)]
        got = merged.findings.loc[merged.findings["finding_id"] == fid, "status_date"].iat[0]
        if candidates:
            assert got == max(candidates)
        else:
            assert pd.isna(got)
