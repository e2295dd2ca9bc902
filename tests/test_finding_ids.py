"""Findings without an id get ids from their content, not their row (issue 13, point 6).

The expected ids are computed here from the documented rule (docs/data-model.md, *Generated
finding ids*) with hashlib and plain arithmetic, not with the reader's helpers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_trygg import settings as gt_settings
from geo_trygg.followup import changes_since
from geo_trygg.io import read_findings

HEADER = [
    "Vandring",
    "Datum",
    "Kategori",
    "Beskrivning",
    "Status",
    "Åtgärdas senast",
    "Statusdatum",
    "Öst",
    "Nord",
]
# SWEREF 99 TM (the working CRS), so the place on the 5 m grid is computed by hand here
BASE_E, BASE_N = 674032.0, 6580821.0


def _rows() -> list[list[str]]:
    """Findings as a walk's spreadsheet holds them, without an id column. Among them: two
    rows identical in everything (interchangeable), two with the same walk, date, category,
    place and description but another status (a tie the full content breaks), findings
    without a walk id (the walk date leads) and walks in and out of the window below."""
    e, n = BASE_E, BASE_N
    return [
        ["V1", "2024-05-14", "Belysning", "Trasig lampa", "Ny", "2024-06-10", "", f"{e}", f"{n}"],
        [
            "V1",
            "2024-05-14",
            "Klotter",
            "Klotter på muren",
            "Pågående",
            "2024-07-01",
            "",
            f"{e + 40}",
            f"{n}",
        ],
        ["V1", "2024-05-14", "Skräp", "", "Ny", "", "", f"{e}", f"{n + 60}"],
        ["V1", "2024-05-14", "Skräp", "", "Ny", "", "", f"{e}", f"{n + 60}"],
        [
            "V1",
            "2024-05-14",
            "Buskar",
            "Skymmer sikten",
            "Åtgärdad",
            "2024-06-01",
            "2024-06-05",
            f"{e + 100}",
            f"{n}",
        ],
        [
            "V1",
            "2024-05-14",
            "Buskar",
            "Skymmer sikten",
            "Ny",
            "2024-06-01",
            "",
            f"{e + 100}",
            f"{n}",
        ],
        [
            "",
            "2024-03-05",
            "Belysning",
            "Mörk gångtunnel",
            "Ny",
            "2024-04-01",
            "",
            f"{e - 300}",
            f"{n - 20}",
        ],
        [
            "",
            "2024-03-05",
            "Trafik",
            "Farlig korsning",
            "Åtgärdad",
            "2024-05-01",
            "2024-05-20",
            f"{e - 250}",
            f"{n + 10}",
        ],
        [
            "V2",
            "2024-06-20",
            "Gömställen",
            "Nisch vid trappan",
            "Pågående",
            "2024-06-25",
            "",
            f"{e + 500}",
            f"{n + 500}",
        ],
        [
            "V2",
            "2024-06-20",
            "Belysning",
            "  TRASIG   lampa ",
            "Ny",
            "",
            "",
            f"{e + 700}",
            f"{n + 500}",
        ],
    ]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _expected_id(walk: str, day: str, category: str, e: float, n: float, description: str) -> str:
    """The documented rule, computed by hand: 5 m grid, SHA-256, 8 hex characters."""
    x = int(e // 5 * 5 + (5 if e % 5 >= 2.5 else 0))  # nearest multiple of 5, half up
    y = int(n // 5 * 5 + (5 if n % 5 >= 2.5 else 0))
    text = " ".join(description.casefold().split())
    key = "\x1f".join((walk, day, category, str(x), str(y), text))
    return f"{walk or day}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def _ids_by_content(
    path: Path, header: list[str], rows: list[list[str]]
) -> dict[tuple[str, ...], list[str]]:
    """Each distinct finding (its cells under ``header``) -> the sorted ids it got."""
    acc = read_findings(path).accepted
    out: dict[tuple[str, ...], list[str]] = {}
    for row, fid in zip(acc["source_row"], acc["finding_id"], strict=True):
        cells = dict(zip(header, rows[int(row) - 2], strict=True))
        out.setdefault(tuple(cells[h] for h in HEADER), []).append(fid)
    return {k: sorted(v) for k, v in out.items()}


def _changes(path: Path) -> pd.DataFrame:
    acc = read_findings(path).accepted
    table = changes_since(acc, since="2024-05-01", as_of="2024-06-30")
    return pd.DataFrame(table[["change", "date", "finding_id", "status"]]).reset_index(drop=True)


def test_ids_follow_the_documented_rule(tmp_path: Path) -> None:
    path = _write(tmp_path / "vandring.csv", HEADER, _rows())
    res = read_findings(path)
    ids = dict(zip(res.accepted["source_row"], res.accepted["finding_id"], strict=True))
    e, n = BASE_E, BASE_N
    assert ids[2] == _expected_id("V1", "2024-05-14", "lighting", e, n, "Trasig lampa")
    # no walk id: the walk date leads the id
    assert ids[8] == _expected_id("", "2024-03-05", "lighting", e - 300, n - 20, "Mörk gångtunnel")
    assert ids[8].startswith("2024-03-05-")
    # case and white space of the description do not matter
    trasig = _expected_id("V2", "2024-06-20", "lighting", e + 700, n + 500, "trasig lampa")
    assert ids[11] == trasig
    assert len(set(ids.values())) == len(ids) == 10
    assert any("10 fynd saknade id" in note and "5 m" in note for note in res.summary.notes)


def test_identical_rows_get_suffixes_in_any_order(tmp_path: Path) -> None:
    rows = _rows()
    first = read_findings(_write(tmp_path / "a.csv", HEADER, rows)).accepted
    again = read_findings(_write(tmp_path / "b.csv", HEADER, rows[::-1])).accepted
    skrap = _expected_id("V1", "2024-05-14", "litter", BASE_E, BASE_N + 60, "")
    got = sorted(first.loc[first["category"] == "litter", "finding_id"])
    assert got == [skrap, f"{skrap}-2"]
    assert sorted(again.loc[again["category"] == "litter", "finding_id"]) == got
    # same place, category and description, another status: the full content decides, the
    # status text after the deadline: "Ny" sorts before "Åtgärdad" (N < Å)
    buskar = _expected_id("V1", "2024-05-14", "vegetation", BASE_E + 100, BASE_N, "Skymmer sikten")
    for frame in (first, again):
        veg = frame[frame["category"] == "vegetation"].set_index("status")["finding_id"]
        assert veg["new"] == buskar
        assert veg["done"] == f"{buskar}-2"


def test_ties_note_in_both_languages(tmp_path: Path) -> None:
    path = _write(tmp_path / "vandring.csv", HEADER, _rows())
    notes = read_findings(path).summary.notes
    assert any(note.startswith("4 fynd hade samma innehåll") for note in notes)
    gt_settings.lang = "en"
    try:
        notes = read_findings(path).summary.notes
    finally:
        gt_settings.lang = "sv"
    assert any(note.startswith("10 findings had no id") and "5 m" in note for note in notes)
    assert any(note.startswith("4 findings had the same content") for note in notes)


def test_a_moved_point_gets_a_new_id_a_new_status_does_not(tmp_path: Path) -> None:
    rows = _rows()[:1]
    base = read_findings(_write(tmp_path / "a.csv", HEADER, rows)).accepted["finding_id"].iat[0]

    def id_of(row: list[str], name: str) -> str:
        return str(
            read_findings(_write(tmp_path / name, HEADER, [row])).accepted["finding_id"].iat[0]
        )

    moved = [*rows[0][:7], f"{BASE_E + 6}", f"{BASE_N}"]  # 6 m east: more than the grid
    assert id_of(moved, "moved.csv") != base
    assert id_of(moved, "moved.csv") == _expected_id(
        "V1", "2024-05-14", "lighting", BASE_E + 6, BASE_N, "Trasig lampa"
    )
    north = [*rows[0][:7], f"{BASE_E}", f"{BASE_N - 5.5}"]  # 5.5 m south
    assert id_of(north, "south.csv") != base
    # 674032 and 674032.4 both round to 674030, 6580821 and 6580821.3 to 6580820: same id
    jitter = [*rows[0][:7], f"{BASE_E + 0.4}", f"{BASE_N + 0.3}"]
    assert id_of(jitter, "jitter.csv") == base
    followed_up = [*rows[0][:4], "Åtgärdad", "2024-09-01", "2024-08-30", *rows[0][7:]]
    assert id_of(followed_up, "done.csv") == base


def test_reversed_rows_keep_ids_and_changes(tmp_path: Path) -> None:
    """Fails on the old rule (``<walk_id>-<source_row>``): the row decided the id."""
    rows = _rows()
    a = _write(tmp_path / "a.csv", HEADER, rows)
    b = _write(tmp_path / "b.csv", HEADER, rows[::-1])
    assert _ids_by_content(a, HEADER, rows) == _ids_by_content(b, HEADER, rows[::-1])
    pd.testing.assert_frame_equal(_changes(a), _changes(b))
    # what the window holds, counted by hand from _rows(): walks V1 (2024-05-14, 6 findings)
    # and V2 (2024-06-20, 2) are new; the vegetation and traffic findings closed in the window;
    # newly overdue (open, deadline in [2024-05-01, 2024-06-30)): the V1 lamp (06-10), the V1
    # open vegetation finding (06-01) and the V2 hiding place (06-25)
    counts = _changes(a)["change"].value_counts().to_dict()
    assert counts == {"new": 8, "closed": 2, "newly_overdue": 3}


def test_ids_are_the_same_in_another_python_process(tmp_path: Path) -> None:
    path = _write(tmp_path / "vandring.csv", HEADER, _rows())
    here = sorted(read_findings(path).accepted["finding_id"])
    code = (
        "import sys; from geo_trygg.io import read_findings; "
        "print('\\n'.join(sorted(read_findings(sys.argv[1]).accepted['finding_id'])))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert out.stdout.split() == here


_ORDER = st.permutations(list(range(10)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=_ORDER,
    extra=st.one_of(st.none(), st.lists(st.text("abc xyz", max_size=4), min_size=10, max_size=10)),
    sort_by=st.one_of(st.none(), st.sampled_from(HEADER)),
    at=st.integers(0, len(HEADER)),
)
def test_row_order_columns_and_sorting_never_change_ids(
    order: list[int], extra: list[str] | None, sort_by: str | None, at: int
) -> None:
    """Any permutation, an unrelated column added anywhere, a re-sort by another column: the
    same ids for the same findings and the same changes_since."""
    rows = _rows()
    with tempfile.TemporaryDirectory() as tmp:
        base = _write(Path(tmp) / "base.csv", HEADER, rows)
        header = list(HEADER)
        new = [list(rows[i]) for i in order]
        if extra is not None:
            header.insert(at, "Fotograf")
            new = [[*r[:at], extra[k], *r[at:]] for k, r in enumerate(new)]
        if sort_by is not None:
            col = header.index(sort_by)
            new.sort(key=lambda r: r[col])
        other = _write(Path(tmp) / "other.csv", header, new)
        assert _ids_by_content(base, HEADER, rows) == _ids_by_content(other, header, new)
        pd.testing.assert_frame_equal(_changes(base), _changes(other))


def test_given_ids_are_kept_and_repeats_still_rejected(tmp_path: Path) -> None:
    header = ["Id", *HEADER]
    rows = [["7", *r] for r in _rows()[:2]] + [["", *_rows()[2]], ["7", *_rows()[6]]]
    res = read_findings(_write(tmp_path / "ids.csv", header, rows))
    acc = res.accepted
    assert acc["finding_id"].tolist()[:1] == ["7"]
    assert acc["finding_id"].iat[1] == _expected_id(
        "V1", "2024-05-14", "litter", BASE_E, BASE_N + 60, ""
    )
    # the second "7" (row 3) and the last one (row 5) repeat row 2's id: rejected
    assert sorted(res.rejected["row"].tolist()) == [3, 5]
