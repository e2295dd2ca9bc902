"""Deadline headers as Swedish exports write them; slash dates read day or month first by the
file's other dates (issue 13, point 8). Expected dates are written out by hand."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo_trygg import settings as gt_settings
from geo_trygg.followup import overdue_findings
from geo_trygg.io import read_events, read_findings, read_status_updates
from geo_trygg.io._dates import parse_datetimes

E, N = "674032", "6580821"  # SWEREF 99 TM, central Stockholm


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _findings(path: Path, dates: list[str], deadline: list[str] | None = None) -> Path:
    header = ["Datum", "Kategori", "Öst", "Nord"]
    rows = [[d, "Belysning", E, N] for d in dates]
    if deadline is not None:
        header.append("Åtgärdas senast")
        rows = [[*r, d] for r, d in zip(rows, deadline, strict=True)]
    return _write(path, header, rows)


def _notes(path: Path, lang: str = "sv") -> list[str]:
    gt_settings.lang = lang
    try:
        return read_findings(path).summary.notes
    finally:
        gt_settings.lang = "sv"


HEADERS = [
    "Åtgärdas senast",
    "Åtgärdas senast (datum)",
    "Åtgärdas senast(datum)",
    "Sista datum",
    "Sista datum (datum)",
    "Senast åtgärdad",
    "Senast åtgärdad (datum)",
    "Deadline",
    "Slutdatum",
    "Klart senast",
    "Åtgärdas senast (åååå-mm-dd)",
    "Sista datum [ÅÅÅÅ-MM-DD]",
]


@pytest.mark.parametrize("case", [str, str.upper, str.lower, str.title])
@pytest.mark.parametrize("header", HEADERS)
def test_deadline_headers_give_deadlines(tmp_path: Path, header: str, case: object) -> None:
    written = case(header)  # type: ignore[operator]
    path = _write(
        tmp_path / "f.csv",
        ["Datum", "Kategori", written, "Öst", "Nord"],
        [["2025-03-03", "Belysning", "2025-04-30", E, N], ["2025-03-03", "Klotter", "", E, N]],
    )
    res = read_findings(path)
    acc = res.accepted
    assert f"{written!r} → deadline" in " ".join(res.summary.notes)
    assert acc["deadline"].iat[0] == pd.Timestamp(2025, 4, 30)
    assert pd.isna(acc["deadline"].iat[1])
    assert not any(c.startswith("src_") for c in acc.columns)
    # and overdue follow-up works: open, deadline 30 April, judged on 5 May
    overdue = overdue_findings(acc, as_of="2025-05-05")
    assert len(overdue) == 1


def test_no_deadline_column_says_overdue_cannot_be_computed(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["2025-03-03"])
    sv_notes, en_notes = _notes(path), _notes(path, "en")
    assert any("ingen kolumn med sista datum" in n and "försenade" in n for n in sv_notes)
    assert any("no deadline column" in n and "overdue" in n for n in en_notes)
    with_deadline = _findings(tmp_path / "g.csv", ["2025-03-03"], ["2025-04-01"])
    assert not any("försenade" in n for n in _notes(with_deadline))


def test_ambiguous_date_alone_is_read_day_first_with_a_note(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10/4/2025", "2025-03-03", "11/12/2025", "5/5/2025"])
    res = read_findings(path)
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp(2025, 4, 10),
        pd.Timestamp(2025, 3, 3),
        pd.Timestamp(2025, 12, 11),
        pd.Timestamp(2025, 5, 5),
    ]
    # 10/4 and 11/12 could be either way; 5/5 is the same day both ways; ISO is never ambiguous
    assert any(n.startswith("2 rader har datum där dag och månad") for n in res.summary.notes)
    en = _notes(path, "en")
    assert any(n.startswith("2 rows have dates") and "day first" in n for n in en)


def test_a_day_first_date_decides_without_a_note(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10/4/2025", "25/3/2025"])
    res = read_findings(path)
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp(2025, 4, 10),
        pd.Timestamp(2025, 3, 25),
    ]
    assert not any("dag och månad" in n or "snedstreck" in n for n in res.summary.notes)


def test_a_day_first_date_in_another_date_column_decides(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10/4/2025"], ["25/4/2025"])
    res = read_findings(path)
    assert res.accepted["walk_date"].iat[0] == pd.Timestamp(2025, 4, 10)
    assert res.accepted["deadline"].iat[0] == pd.Timestamp(2025, 4, 25)
    assert not any("dag och månad" in n or "snedstreck" in n for n in res.summary.notes)


def test_a_month_first_date_decides_month_first(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10/4/2025", "3/25/2025", "2025-01-02"], ["", "", ""])
    res = read_findings(path)
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp(2025, 10, 4),
        pd.Timestamp(2025, 3, 25),
        pd.Timestamp(2025, 1, 2),
    ]
    assert any(
        "månaden först" in n and "'3/25/2025'" in n and "1 rader" in n for n in res.summary.notes
    )
    # the deadline column (month first too: the file decides) — here a later deadline
    both = _findings(tmp_path / "g.csv", ["3/25/2025"], ["4/10/2025"])
    assert read_findings(both).accepted["deadline"].iat[0] == pd.Timestamp(2025, 4, 10)
    other = _findings(tmp_path / "h.csv", ["3/25/2025"], ["5/6/2025"])
    assert read_findings(other).accepted["deadline"].iat[0] == pd.Timestamp(2025, 5, 6)


def test_conflicting_dates_keep_day_first_and_say_so(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10/4/2025", "25/3/2025", "3/25/2025"])
    res = read_findings(path)
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp(2025, 4, 10),
        pd.Timestamp(2025, 3, 25),
    ]
    assert res.rejected["row"].tolist() == [4]  # 3/25/2025 read day first: no month 25
    assert any(
        "båda ordningarna" in n and "'25/3/2025'" in n and "'3/25/2025'" in n
        for n in res.summary.notes
    )


def test_dots_and_dashes_are_always_day_first(tmp_path: Path) -> None:
    path = _findings(tmp_path / "f.csv", ["10.4.2025", "3/25/2025", "10-04-2025"])
    res = read_findings(path)
    assert res.accepted["walk_date"].tolist() == [
        pd.Timestamp(2025, 4, 10),
        pd.Timestamp(2025, 3, 25),
        pd.Timestamp(2025, 4, 10),
    ]


def test_events_read_slash_dates_by_the_whole_file(tmp_path: Path) -> None:
    """time_from alone is ambiguous; the end column's 3/25 makes the file month first, so the
    window is 4 to 5 October, not an end before its start."""
    header = ["Id", "Från", "Till", "Händelsetyp", "Öst", "Nord"]
    rows = [
        ["A", "10/4/2025 22:00", "10/5/2025 06:00", "Klotter", E, N],
        ["B", "2025-03-24 10:00", "3/25/2025 09:00", "Brand", E, N],
    ]
    res = read_events(_write(tmp_path / "e.csv", header, rows), source="bostadsbolag")
    acc = res.accepted.set_index("event_id")
    tz = "Europe/Stockholm"
    assert acc.loc["A", "time_from"] == pd.Timestamp("2025-10-04 22:00", tz=tz)
    assert acc.loc["A", "time_to"] == pd.Timestamp("2025-10-05 06:00", tz=tz)
    assert acc.loc["B", "time_to"] == pd.Timestamp("2025-03-25 09:00", tz=tz)
    # one row (A) held dates that could be read either way; B's 3/25 decided
    assert any("månaden först" in n and "1 rader" in n for n in res.summary.notes)

    alone = [["A", "10/4/2025 22:00", "", "Klotter", E, N]]
    res = read_events(_write(tmp_path / "f.csv", header, alone), source="bostadsbolag")
    assert res.accepted["time_from"].iat[0] == pd.Timestamp("2025-04-10 22:00", tz=tz)
    assert any(n.startswith("1 rader har datum där dag och månad") for n in res.summary.notes)


def test_status_files_read_slash_dates_by_their_other_dates(tmp_path: Path) -> None:
    header = ["Id", "Status", "Statusdatum"]
    rows = [["a", "Klar", "10/4/2025"], ["b", "Pågående", "3/25/2025"]]
    res = read_status_updates(_write(tmp_path / "s.csv", header, rows))
    assert res.accepted["status_date"].tolist() == [
        pd.Timestamp(2025, 10, 4),
        pd.Timestamp(2025, 3, 25),
    ]
    assert any("månaden först" in n for n in res.summary.notes)
    alone = read_status_updates(_write(tmp_path / "t.csv", header, rows[:1]))
    assert alone.accepted["status_date"].iat[0] == pd.Timestamp(2025, 4, 10)
    assert any(n.startswith("1 rader har datum") for n in alone.summary.notes)


def test_the_check_counts_every_row_of_a_large_column() -> None:
    """200,000 slash dates: evidence and ambiguous rows from the whole column, in time."""
    days = pd.date_range("2025-01-01", periods=365).strftime("%-d/%-m/%Y").to_numpy()
    many = np.resize(days, 200_000).tolist()
    start = time.perf_counter()
    parsed = parse_datetimes(many)
    took = time.perf_counter() - start
    assert parsed.ok.all()
    assert parsed.evidence.day_first == "13/1/2025"  # the first date only day-first can read
    assert not parsed.month_first

    # both ≤ 12 and different: 12 months x 11 days a year; 200,000 = 547 years + 345 days
    def either_way(text: str) -> bool:
        day, month = (int(p) for p in text.split("/")[:2])
        return day != month and day <= 12 and month <= 12

    assert sum(map(either_way, days)) == 12 * 11
    assert int(parsed.ambiguous.sum()) == 547 * 132 + sum(map(either_way, days[:345]))
    assert took < 10
