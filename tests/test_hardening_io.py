"""Issue 11 (hardening), the readers: every CSV line accounted for, UTF-8 detection, wide
files, and Swedish messages instead of tracebacks.

Expected values come from the files the tests write (line numbers counted while writing,
texts as generated), never from the readers' own output.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo_trygg import GeoTryggWarning, ReadError
from geo_trygg.cli import main
from geo_trygg.demo import DEMO_DIR
from geo_trygg.io import read_areas, read_events, read_findings
from geo_trygg.io.police import read_police_events

HEADER = "id;datum;kategori;beskrivning;lat;lon"


def row(i: int, text: str | None = None) -> str:
    """A good data line of :data:`HEADER` (decimal commas, as Swedish Excel writes)."""
    return f"{i};2024-03-05;Skräp;{text or f'rad {i}'};59,{2781 + i % 100:04d};18,0106"


def write(path: Path, lines: list[str], *, newline: str = "\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


# --------------------------------------------------------------------------- stray quotes


def test_stray_quote_that_never_closes_loses_no_line(tmp_path: Path) -> None:
    # the case: 506 data lines, the description on line 7 opens a quote that never
    # closes; before, the file read as n_input 6 with one row rejected for "koordinat saknas"
    lines = [HEADER] + [row(i) for i in range(1, 507)]
    lines[6] = row(6, '"Trasig lampa')  # line 7 of the file
    res = read_findings(write(tmp_path / "stray.csv", lines))
    assert (res.n_input, res.n_accepted, res.n_rejected) == (506, 505, 1)
    rejected = res.rejected.iloc[0]
    assert (rejected["row"], rejected["column"]) == (7, "*")
    assert rejected["value"] == lines[6]
    assert 'citattecken (") öppnas på rad 7' in rejected["reason"]
    assert "rad 8" in rejected["reason"]
    rows = res.accepted["source_row"].tolist()
    assert rows == [n for n in range(2, 508) if n != 7]
    assert res.accepted["description"].tolist() == [f"rad {n - 1}" for n in rows]


def test_quote_never_closed_over_lines_that_are_not_rows(tmp_path: Path) -> None:
    # the lines after the quote hold no separator: they cannot be rows of their own, so each
    # is rejected under its own line number, naming the span read as one cell
    lines = [HEADER, row(1), row(2), row(3, '"Trasig lampa'), "fortsättning", "", "mer text"]
    res = read_findings(write(tmp_path / "a.csv", lines))
    assert (res.n_input, res.n_accepted, res.n_rejected) == (5, 2, 3)
    assert res.accepted["source_row"].tolist() == [2, 3]
    assert res.rejected["row"].tolist() == [4, 5, 7]  # line 6 is blank: not a data line
    assert res.rejected["value"].tolist() == [lines[3], "fortsättning", "mer text"]
    assert res.rejected["reason"].str.contains("raderna 4–7 lästes därför som en cell").all()


def test_quote_open_on_the_last_line(tmp_path: Path) -> None:
    lines = [HEADER, row(1), row(2, '"Trasig')]
    res = read_findings(write(tmp_path / "a.csv", lines))
    assert res.accepted["source_row"].tolist() == [2]
    assert res.rejected["row"].tolist() == [3]
    assert "rad 3, den sista raden, men stängs aldrig" in res.rejected["reason"].iat[0]


def test_quote_closed_by_a_later_quote_in_the_middle_of_a_value(tmp_path: Path) -> None:
    # the stray quote on line 2 would be "closed" by the opening quote of line 3's quoted
    # value; Python's csv would then read lines 2-3 as one row with line 3's coordinates
    lines = [HEADER, row(1, '"Trasig'), row(2, '"Klotter"'), row(3)]
    res = read_findings(write(tmp_path / "a.csv", lines, newline="\r\n"))
    assert res.accepted["source_row"].tolist() == [3, 4]
    assert res.accepted["description"].tolist() == ["Klotter", "rad 3"]
    assert res.rejected["row"].tolist() == [2]


def test_legitimate_multi_line_values_stay_one_row(tmp_path: Path) -> None:
    # a value with line breaks, properly closed, is one row; a separator inside it is fine
    # while its lines hold fewer fields than the header. Rows are numbered by the line they
    # start on.
    lines = [
        HEADER,
        row(1, '"Trasig lampa\nvid hållplatsen; nära skolan\n\nring ""Anna"""'),
        row(2),
        row(3, '"två\r\nrader"'),
    ]
    res = read_findings(write(tmp_path / "a.csv", lines))
    assert res.n_rejected == 0
    assert res.accepted["source_row"].tolist() == [2, 6, 7]
    assert res.accepted["description"].tolist() == [
        'Trasig lampa\nvid hållplatsen; nära skolan\n\nring "Anna"',
        "rad 2",
        "två\r\nrader",
    ]


def test_stray_quote_above_the_header_is_a_read_error(tmp_path: Path) -> None:
    lines = ['"Trygghetsvandring Älvsjö', "x", HEADER, row(1)]
    with pytest.raises(ReadError, match=r"rad 1, före eller i rubrikraden"):
        read_findings(write(tmp_path / "a.csv", lines))


def test_stray_quotes_in_status_updates_and_count_tables_are_rejected_rows(
    tmp_path: Path,
) -> None:
    from geo_trygg.lagesbild import read_status_updates

    lines = ["id;status;statusdatum", '1;"Åtgärdad;2024-05-01', "2;Åtgärdad;2024-05-02"]
    res = read_status_updates(write(tmp_path / "s.csv", lines))
    assert res.rejected["row"].tolist() == [2]
    assert "öppnas på rad 2" in res.rejected["reason"].iat[0]
    assert res.n_input == 2


@dataclass
class _Record:
    start: int  # first physical line (1-based)
    n_lines: int
    stray: bool
    description: str


_plain = st.text(alphabet="abcåäö XYZ0123", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def _csv_files(draw: st.DrawFn) -> tuple[str, str, list[_Record]]:
    sep = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    n = draw(st.integers(1, 14))
    header = sep.join(["id", "datum", "kategori", "beskrivning", "lat", "lon"])
    lines_out = [header]
    records: list[_Record] = []
    line = 2
    for i in range(n):
        kind = draw(st.sampled_from(["plain", "plain", "multi", "stray"]))
        description = f"rad{i} {draw(_plain)}"
        fields = [str(i), "2024-03-05", "Skräp", description, f"59.{2781 + i}", "18.0106"]
        stray = False
        if kind == "multi":
            # a legitimate quoted value over lines: at most two separators per line (fewer
            # fields than the header), blank lines allowed
            parts = draw(
                st.lists(st.sampled_from(["", "x", f"a{sep}b", f"a{sep}b{sep}c"]), max_size=3)
            )
            description = "\n".join([description, *parts])
            fields[3] = '"' + description + '"'
        elif kind == "stray":
            stray = True
            k = draw(st.integers(0, len(fields) - 1))
            fields[k] = '"' + fields[k]
        text = sep.join(fields)
        n_lines = text.count("\n") + 1
        records.append(_Record(line, n_lines, stray, description))
        lines_out.append(text)
        line += n_lines
    return newline.join(lines_out) + newline, sep, records


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_csv_files())
def test_every_physical_line_is_accounted_for(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str, list[_Record]]
) -> None:
    text, sep, records = case
    path = tmp_path_factory.mktemp("q") / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoTryggWarning)
        res = read_findings(path, sep=sep)
    assert res.n_input == res.n_accepted + res.n_rejected
    by_start = {r.start: r for r in records}
    physical = io.StringIO(text, newline="").readlines()
    data_lines = {i for i, t in enumerate(physical, start=1) if i > 1 and t.strip()}
    covered: set[int] = set()
    for start, description in zip(
        res.accepted["source_row"].tolist(), res.accepted["description"].tolist(), strict=True
    ):
        # an accepted row is a generated record without a stray quote, read exactly
        assert start in by_start, f"accepted row {start} starts inside another record"
        record = by_start[start]
        assert not record.stray
        assert description == record.description.strip()  # values are read stripped
        covered.update(range(start, start + record.n_lines))
    for line in res.rejected["row"].unique().tolist():
        record = by_start.get(line)
        covered.update(range(line, line + (record.n_lines if record else 1)))
    assert data_lines <= covered, f"lines lost: {sorted(data_lines - covered)}"
    # rows free of stray quotes that no stray quote can reach are all accepted
    clean_after_clean = [
        r.start
        for k, r in enumerate(records)
        if not r.stray and not any(q.stray for q in records[:k])
    ]
    assert set(clean_after_clean) <= set(res.accepted["source_row"].tolist())


# --------------------------------------------------------------------------- encodings

_UTF8_TEXT = st.text(
    alphabet=st.characters(categories=("L", "S", "N", "P")), min_size=1, max_size=30
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_UTF8_TEXT, min_size=1, max_size=4))
def test_utf8_without_bom_is_utf8_whatever_letters_and_symbols_it_holds(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER.split(";"))
    for i, text in enumerate(texts):
        writer.writerow([i, "2024-03-05", "Skräp", text, "59,2781", "18,0106"])
    path = tmp_path_factory.mktemp("u") / "u.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    res = read_findings(path, sep=";")
    assert res.n_rejected == 0
    assert res.accepted["description"].tolist() == texts
    assert any("teckenkodning utf-8 " in note for note in res.summary.notes)
    assert not any("inte giltig UTF-8" in note for note in res.summary.notes)


def test_demo_findings_with_symbols_and_greek_read_as_utf8(tmp_path: Path) -> None:
    # the case: 47 of 55 demo rows were rejected for false reasons
    original = DEMO_DIR / "demo_findings.csv"
    text = original.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    marked = [lines[0]] + [
        line.replace(";", ";✓ ✔ ⚠ ■ αβγ Ω ", 3).replace(";✓ ✔ ⚠ ■ αβγ Ω ", ";", 2)
        for line in lines[1:]
    ]
    path = tmp_path / "demo.csv"
    path.write_bytes("\n".join(marked).encode("utf-8"))  # no BOM
    before = read_findings(original)
    res = read_findings(path)
    assert len(lines) - 1 == 55
    # the demo holds one row without a longitude (line 24), rejected in both
    assert before.rejected["row"].tolist() == [24]
    assert res.rejected["row"].tolist() == [24]
    assert res.n_accepted == 54
    assert res.accepted["description"].str.startswith("✓ ✔ ⚠ ■ αβγ Ω ").all()
    assert not any("UTF-8" in note for note in res.summary.notes)


_CP1252_WORDS = st.lists(
    st.sampled_from(
        [
            "Älvsjö",
            "Hägersten–Liljeholmen",
            "Skärholmen",
            "Vårberg",
            "€ 100",
            "“citat”",
            "‘enkel’",
            "café",
            "Åtgärdad",
            "ÖVRIGT",
            "ö",
            "ä",
            "å",
        ]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_CP1252_WORDS, min_size=1, max_size=4))
def test_cp1252_with_swedish_letters_euro_and_quotes_is_cp1252(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    lines = [HEADER] + [row(i, t) for i, t in enumerate(texts)]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    assume(not _valid_utf8(data))  # documented limit, see test_cp1252_limit_is_narrow
    path = tmp_path_factory.mktemp("c") / "c.csv"
    path.write_bytes(data)
    res = read_findings(path)
    assert res.accepted["description"].tolist() == texts
    first_bad = next(
        i for i, line in enumerate(lines, start=1) if not _valid_utf8(line.encode("cp1252"))
    )
    note = next(n for n in res.summary.notes if "inte giltig UTF-8" in n)
    assert f"på rad {first_bad}" in note
    assert "cp1252" in note


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_cp1252_limit_is_narrow() -> None:
    # ö (0xF6) never occurs in UTF-8, and a word with å/ä/é needs two bytes of 0x80-0xBF
    # right after it: no Swedish word of the demo events (cp1252) forms valid UTF-8
    path = DEMO_DIR / "demo_events.csv"
    demo = path.read_bytes()
    words = {w for w in demo.split() if any(b >= 0x80 for b in w)}
    assert words
    assert not any(_valid_utf8(w) for w in words)
    assert not _valid_utf8("ö".encode("cp1252"))
    # and the reader says where the file stops being UTF-8
    first = next(i for i, b in enumerate(demo) if b >= 0x80)
    line = demo[:first].count(b"\n") + 1
    notes = read_events(path).summary.notes
    assert any(f"byten 0x{demo[first]:02X} på rad {line}" in n for n in notes)


def test_note_names_the_first_byte_that_is_not_utf8(tmp_path: Path) -> None:
    lines = [HEADER, row(1), row(2, "Trasig lampa i Älvsjö")]
    path = tmp_path / "c.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    notes = read_findings(path).summary.notes
    # line 2 holds "Skräp": ä is 0xE4, followed by "p", so not UTF-8
    assert any("byten 0xE4 på rad 2" in n and "cp1252" in n for n in notes)


def test_utf8_cut_off_inside_its_last_character_stays_utf8(tmp_path: Path) -> None:
    # a truncated download: "Älvsjö" loses the second byte of its ö (C3 B6)
    data = ("\n".join([HEADER, row(1, "Älvsjö"), row(2, "Älvsjö")])).encode("utf-8")[:-17]
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    res = read_findings(path)
    assert res.accepted["description"].tolist() == ["Älvsjö"]
    assert res.rejected["row"].tolist() == [3]  # the cut line: no coordinates
    assert any("slutar mitt i ett UTF-8-tecken" in n and "1 byten" in n for n in res.summary.notes)


def test_utf16_without_bom_and_broken_utf16(tmp_path: Path) -> None:
    text = "\n".join([HEADER, row(1, "Älvsjö ✓")]) + "\n"
    path = tmp_path / "le.csv"
    path.write_bytes(text.encode("utf-16-le"))
    res = read_findings(path)
    assert res.accepted["description"].tolist() == ["Älvsjö ✓"]
    odd = tmp_path / "odd.csv"
    odd.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"x")
    with pytest.raises(ReadError, match="udda antal byte"):
        read_findings(odd)
    surrogate = tmp_path / "sur.csv"
    surrogate.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")[:40] + b"\x00\xd8a\x00")
    with pytest.raises(ReadError, match="inte giltig UTF-16"):
        read_findings(surrogate)


# --------------------------------------------------------------------------- wide files

_WIDE = 16_384  # column XFD, the last one Excel has


def test_xlsx_with_a_cell_in_column_xfd(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    for i in range(5):
        sheet.append([i, "2024-03-05", "Skräp", f"rad {i}", 59.2781 + i / 1000, 18.0106])
    sheet.cell(row=3, column=_WIDE, value="långt bort")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with warnings.catch_warnings():
        # one column at a time made pandas warn (and took time in the square of the width)
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        res = read_findings(path)
    assert res.n_accepted == 5
    far = f"src_{'kolumn'} {_WIDE}"
    assert far in res.accepted.columns
    assert res.accepted[far].tolist() == [None, "långt bort", None, None, None]
    # the columns between (blank headers, blank cells) are kept too, in order
    assert (
        list(res.accepted.columns).index(far) - list(res.accepted.columns).index("src_kolumn 7")
        == _WIDE - 7
    )


def test_csv_with_16384_columns(tmp_path: Path) -> None:
    header = HEADER.split(";") + [f"extra {k}" for k in range(7, _WIDE + 1)]
    lines = [";".join(header)]
    for i in range(3):
        lines.append(row(i) + ";" * (_WIDE - 7) + f";v{i}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        res = read_findings(write(tmp_path / "wide.csv", lines))
    assert res.n_accepted == 3
    assert res.accepted[f"src_extra {_WIDE}"].tolist() == ["v0", "v1", "v2"]
    assert res.accepted.shape[1] > _WIDE


def test_areas_with_many_fields(tmp_path: Path) -> None:
    props = {f"f{k}": k for k in range(3000)}
    square = [[[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "a", "name": "A", **props},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        res = read_areas(path, level="stadsdel")
    assert res.accepted["src_f2999"].tolist() == [2999]
    assert [c for c in res.accepted.columns if c.startswith("src_f")] == [
        f"src_f{k}" for k in range(3000)
    ]


# --------------------------------------------------------------------------- tracebacks


def _police(dt: object, i: int = 1) -> dict[str, object]:
    return {
        "id": i,
        "datetime": dt,
        "name": "20 mars 10:42, Misshandel, Stockholm",
        "summary": "Slagsmål.",
        "url": "/aktuellt/handelser/1/",
        "type": "Misshandel",
        "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
    }


@pytest.mark.parametrize(
    "published",
    [
        "0001-01-01 10:00:00 +01:00",
        "2262-05-01 10:00:00 +01:00",
        "9999-12-31 23:59:59 +01:00",
        "1677-09-21 00:00:00 +00:00",
        "2262-04-11 23:00:00 +00:00",
    ],
)
def test_police_datetime_out_of_range_is_a_rejected_row(published: str) -> None:
    # years 1678-2261 are handled, up to the edge: the incident time is the year nearest
    # the publication (20 March 2262 is 79 days after it, 20 March 2261 286 days before)
    edge = _police("2261-12-31 23:47:16 +01:00", 3)
    records = [_police("2023-03-20 11:58:36 +01:00", 1), _police(published, 2), edge]
    res = read_police_events(records)
    assert res.accepted["event_id"].tolist() == ["1", "3"]
    assert str(res.accepted["time_from"].iat[1]) == "2262-03-20 10:42:00+01:00"
    assert res.rejected["row"].tolist() == [2]
    assert res.rejected["column"].tolist() == ["datetime"]
    assert "utanför de år som kan hanteras" in res.rejected["reason"].iat[0]


def test_json_nested_5000_deep_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(ReadError, match="nästlad"):
        read_police_events(path)
    with pytest.raises(ReadError, match="nästlad"):
        read_events(path)
    # nested, but less deep than json's limit: the entries are rejected, not a crash
    res = read_police_events(json.loads("[" + "[" * 900 + "]" * 900 + "]"))
    assert res.rejected["row"].tolist() == [1]


def test_polygon_with_a_nan_vertex_is_rejected(tmp_path: Path) -> None:
    good = [[[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]]
    bad = "[[[18.0, 59.3], [18.1, 59.3], [NaN, 59.4], [18.0, 59.3]]]"
    text = (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"id": "a", "name": "A"}, '
        f'"geometry": {{"type": "Polygon", "coordinates": {bad}}}}}, '
        '{"type": "Feature", "properties": {"id": "b", "name": "B"}, '
        f'"geometry": {{"type": "Polygon", "coordinates": {json.dumps(good)}}}}}]}}'
    )
    path = tmp_path / "nan.geojson"
    path.write_text(text, encoding="utf-8")
    res = read_areas(path, level="stadsdel")
    assert res.accepted["area_id"].tolist() == ["b"]
    assert res.rejected["row"].tolist() == [1]
    assert "NaN" in res.rejected["reason"].iat[0]


def _xlsx_bytes(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append([1, "2024-03-05", "Skräp", "x", 59.2781, 18.0106])
    book.save(tmp_path / "ok.xlsx")
    return (tmp_path / "ok.xlsx").read_bytes()


def _broken_files(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(kind, path, expected words) of files that cannot be read at all."""
    data = tmp_path / "ok.geojson"
    data.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', "utf-8")
    out = []
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 8)
    out.append(("findings", "bin.csv", "nollbyte"))
    (tmp_path / "trunc.xlsx").write_bytes(_xlsx_bytes(tmp_path)[:700])
    out.append(("findings", "trunc.xlsx", "Excel-arbetsbok"))
    out.append(("areas", "ok.geojson", "geodata (GeoJSON)"))
    (tmp_path / "bin.gpkg").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 4)
    out.append(("areas", "bin.gpkg", "geodata (GeoPackage)"))
    (tmp_path / "deep.json").write_text("[" * 5000 + "]" * 5000, "utf-8")
    out.append(("events", "deep.json", "nästlad"))
    (tmp_path / "odd.csv").write_bytes(
        codecs.BOM_UTF16_LE + "a;b\n1;2\n".encode("utf-16-le") + b"x"
    )
    out.append(("events", "odd.csv", "UTF-16"))
    return out


def test_broken_files_are_read_errors_in_swedish(tmp_path: Path) -> None:
    readers = {"findings": read_findings, "events": read_events, "areas": read_areas}
    for kind, name, words in _broken_files(tmp_path):
        with pytest.raises(ReadError, match=re.escape(words)):
            readers[kind](tmp_path / name)


def test_validate_exits_2_with_the_message(tmp_path: Path) -> None:
    runner = CliRunner()
    for kind, name, words in _broken_files(tmp_path):
        res = runner.invoke(main, ["validate", str(tmp_path / name), "--kind", kind])
        assert res.exit_code == 2, (name, res.output)
        assert words in res.output
        assert "Traceback" not in res.output
    lines = [HEADER, row(1, '"Trasig'), row(2)]
    res = runner.invoke(
        main, ["validate", str(write(tmp_path / "q.csv", lines)), "--kind", "findings"]
    )
    assert res.exit_code == 1
    assert "2 rader lästa, 1 godkända, 1 avvisade" in res.output
    police = tmp_path / "police.json"
    police.write_text(json.dumps([_police("0001-01-01 10:00:00 +01:00")]), "utf-8")
    res = runner.invoke(main, ["validate", str(police), "--kind", "events"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
