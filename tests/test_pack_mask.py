"""Masking of personnummer and phone numbers in free text (geo_trygg.pack._mask).

Expected outputs are written by hand; the check digits of the valid personnummer were worked
out with :func:`_check_digit` below, an implementation written for the tests (doubling from
the right, as Skatteverket describes it), not the module's.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg._errors import ConfigError
from geo_trygg.pack._mask import is_personnummer, mask_frame, mask_personal, mask_texts

P = "[personnummer]"
T = "[telefonnummer]"


def _check_digit(nine: str) -> int:
    """Luhn check digit of the nine digits YYMMDDNNN: double every other digit from the right."""
    total = 0
    for i, ch in enumerate(reversed(nine)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10


def test_check_digit_helper_agrees_with_published_examples() -> None:
    # Skatteverket's test number 19121212-1212 and the common example 811218-9876
    assert _check_digit("121212121") == 2
    assert _check_digit("811218987") == 6


# --- hand-written tables --------------------------------------------------------------------

TRUE_POSITIVES = [
    # personnummer and samordningsnummer
    ("811218-9876", P),
    ("19811218-9876", P),
    ("198112189876", P),
    ("8112189876", P),
    ("811218+9876", P),
    ("811218 9876", P),
    ("19811218 - 9876", P),
    ("811218\u20139876", P),  # en dash
    ("811278-9873", P),  # samordningsnummer: day 18 + 60
    ("000229-1235", P),  # 29 February 2000
    ("20000229-1235", P),
    ("19121212-1212", P),
    ("050312-1238", P),  # born 2005: not read as a phone number
    ("460101+1119", P),
    ("Anmälare: 990705-5538.", f"Anmälare: {P}."),
    ("(811218-9876)", f"({P})"),
    ("pnr:8112189876, se ärendet", f"pnr:{P}, se ärendet"),
    # phone numbers
    ("070-123 45 67", T),
    ("0701234567", T),
    ("070 123 45 67", T),
    ("070-1234567", T),
    ("+46 70 123 45 67", T),
    ("+46701234567", T),
    ("0046 70 123 45 67", T),
    ("+46-8-123 456 78", T),
    ("08-123 456 78", T),
    ("08-12 34 56", T),
    ("031-123 45 67", T),
    ("(08) 123 456 78", T),
    ("+46 (0)8-123 456 78", T),
    ("0980-123 45", T),
    ("tel: 08 - 123 45 67", f"tel: {T}"),
    ("Ring 073-987 65 43, tack!", f"Ring {T}, tack!"),
    ("070-123 45 67 12 st", f"{T} 12 st"),
    ("Tel.nr 0046812345678", f"Tel.nr {T}"),
    ("08-12 34 56 78 070 123 45 67", f"{T} {T}"),
    (
        "Kontakt 811218-9876 eller 070-123 45 67 (kväll)",
        f"Kontakt {P} eller {T} (kväll)",
    ),
]

TRUE_NEGATIVES = [
    "2024-03-05",
    "20240305",
    "datum 2024-03-05 08:15",
    "05.03.2024",
    "05-03-2024",
    "5/3 2024",
    "kl. 08.15–09.30",
    "15.30-16.00",
    "123 45 Stockholm",
    "Postnummer 125 44",
    "år 2024 och 2025",
    "1 250 kr",
    "12 500 000 kr",
    "TV-2024-00012",
    "Ärende 2024-0001234",
    "6580123.5",
    "X: 6580123, Y: 153456",
    "59.32930, 18.06861234",
    "kommunkod 0180",
    "kommunerna 0180 0181 0182",
    "ID 0012345678",
    "070-123",
    "+46 70 123",
    "3 st lampor, 2 bänkar",
    # wrong check digit
    "811218-9875",
    "8112189877",
    # right check digit, but no such day
    "811318-9875",  # month 13
    "811232-9878",  # day 32
    "810231-9871",  # 31 February
    "230229-1238",  # 29 February 2023
    "19000229-1235",  # 1900 was no leap year
    "811260-9873",  # samordningsnummer day 0
    "811292-9875",  # samordningsnummer day 32
    "1234567897",  # month 34
    "org.nr 556036-0793",  # organisationsnummer: month 60
    "55811218-9876",  # no century 55
    "8112189876123",  # part of a longer number
    "0.8112189876",
]


@pytest.mark.parametrize(("text", "expected"), TRUE_POSITIVES)
def test_true_positives_are_masked(text: str, expected: str) -> None:
    assert mask_personal(text, lang="sv") == expected


@pytest.mark.parametrize("text", TRUE_NEGATIVES)
def test_true_negatives_are_left_alone(text: str) -> None:
    assert mask_personal(text, lang="sv") == text


def test_tables_are_big_enough() -> None:
    assert len(TRUE_POSITIVES) >= 20
    assert len(TRUE_NEGATIVES) >= 20


def test_english_tokens() -> None:
    text = "811218-9876 / 070-123 45 67"
    assert mask_personal(text, lang="en") == "[personal identity number] / [phone number]"


def test_is_personnummer() -> None:
    assert is_personnummer("811218-9876")
    assert is_personnummer("19811218 9876")
    assert not is_personnummer("811218-9875")
    assert not is_personnummer("pnr 811218-9876")  # only the whole text


def test_none_empty_and_wrong_types() -> None:
    assert mask_personal(None) is None
    assert mask_personal("") == ""
    assert mask_personal("   ") == "   "
    with pytest.raises(ConfigError, match="text must be a str"):
        mask_personal(8112189876)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="lang='de'"):
        mask_personal("x", lang="de")


# --- properties -----------------------------------------------------------------------------

FORMS = ["{yy}{md}{s}", "{yy}{md}-{s}", "{yy}{md}+{s}", "{cc}{yy}{md}-{s}", "{cc}{yy}{md}{s}"]
FORMS += ["{yy}{md} {s}", "{cc}{yy}{md} {s}"]


@st.composite
def personnummer(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    samordning = draw(st.booleans())
    yy, cc = f"{day.year % 100:02d}", f"{day.year // 100:02d}"
    md = f"{day.month:02d}{day.day + (60 if samordning else 0):02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    check = _check_digit(yy + md + serial)
    form = draw(st.sampled_from(FORMS))
    return form.format(yy=yy, cc=cc, md=md, s=f"{serial}{check}")


@settings(max_examples=300, deadline=None)
@given(personnummer(), st.text(max_size=30), st.text(max_size=30))
def test_valid_personnummer_are_always_masked(pnr: str, before: str, after: str) -> None:
    masked = mask_personal(f"{before} {pnr} {after}", lang="sv")
    assert masked is not None
    assert f" {P} " in masked
    assert pnr not in masked


@st.composite
def failing_luhn(draw: st.DrawFn) -> str:
    digits = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    if digits[9] == str(_check_digit(digits[:9])):  # make the check digit wrong
        digits = digits[:9] + str((int(digits[9]) + 1) % 10)
    form = draw(
        st.sampled_from(["{a}{b}", "{a}-{b}", "{a}+{b}", "{a} {b}", "19{a}-{b}", "20{a}{b}"])
    )
    return form.format(a=digits[:6], b=digits[6:])


NO_DIGITS = st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=20)


@settings(max_examples=300, deadline=None)
@given(failing_luhn(), NO_DIGITS, NO_DIGITS)
def test_numbers_failing_luhn_are_never_masked_as_personnummer(
    number: str, before: str, after: str
) -> None:
    masked = mask_personal(f"{before} {number} {after}", lang="sv")
    assert masked is not None
    assert P not in masked.replace(before, "", 1).replace(after, "", 1)
    assert masked.count(P) == (before + after).count(P)


NUMBERISH = st.text(alphabet="0123456789 -+().,:/\u2013\u00a0abcXY", max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(NUMBERISH, st.sampled_from([t for t, _ in TRUE_POSITIVES])), max_size=5))
def test_masking_twice_is_masking_once(parts: list[str]) -> None:
    text = " ".join(parts)
    once = mask_personal(text, lang="sv")
    assert mask_personal(once, lang="sv") == once


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            NUMBERISH,
            st.text(alphabet="0123456789 -\x00\nab", max_size=30),
            st.sampled_from([t for t, _ in TRUE_POSITIVES] + TRUE_NEGATIVES),
        ),
        max_size=8,
    )
)
def test_masking_many_texts_at_once_equals_one_by_one(texts: list[str]) -> None:
    assert mask_texts(texts, lang="sv") == [mask_personal(t, lang="sv") for t in texts]


def test_mask_texts_keeps_empty_texts_and_refuses_non_text() -> None:
    assert mask_texts([]) == []
    assert mask_texts(["", "070-123 45 67", ""], lang="sv") == ["", T, ""]
    with pytest.raises(ConfigError, match="str"):
        mask_texts(["a", None])  # type: ignore[list-item]


# --- mask_frame -----------------------------------------------------------------------------


def _findings() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "finding_id": ["8112189876", "b", "c"],
            "description": ["Anmälare 811218-9876", None, "Lampa trasig"],
            "comment": ["ring 070-123 45 67", "ok", float("nan")],
            "text": pd.array(["+46 8 123 456 78", pd.NA, "inget"], dtype="string"),
            "other": ["070-123 45 67", "x", "y"],
            "n": [1, 2, 3],
        },
        geometry=[shapely.Point(i, i) for i in range(3)],
        crs="EPSG:3006",
        index=pd.Index([10, 5, 7], name="rad"),
    )


def test_mask_frame_masks_the_free_text_columns_only_on_a_copy() -> None:
    frame = _findings()
    before = frame.copy()
    out = mask_frame(frame, lang="sv")
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs == frame.crs
    assert out.index.equals(frame.index)
    assert list(out.columns) == list(frame.columns)
    assert out["description"].tolist() == [f"Anmälare {P}", None, "Lampa trasig"]
    assert out["comment"].tolist()[:2] == [f"ring {T}", "ok"]
    assert pd.isna(out["comment"].iloc[2])
    assert out["text"].dtype == frame["text"].dtype
    assert out["text"].iloc[0] == T
    assert out["text"].iloc[2] == "inget"
    assert pd.isna(out["text"].iloc[1])
    for column in ("finding_id", "other", "n", "geometry"):
        assert out[column].equals(frame[column]), column


def test_mask_frame_named_columns_and_errors() -> None:
    frame = _findings()
    out = mask_frame(frame, ["other"], lang="en")
    assert out["other"].tolist() == ["[phone number]", "x", "y"]
    assert out["description"].equals(frame["description"])
    with pytest.raises(ConfigError, match="'missing'"):
        mask_frame(frame, ["missing"])
    with pytest.raises(ConfigError, match="list of column names"):
        mask_frame(frame, "other")
    with pytest.raises(ConfigError, match="must be a DataFrame"):
        mask_frame(["x"])  # type: ignore[arg-type]


def test_mask_frame_without_text_columns_is_an_equal_copy() -> None:
    frame = pd.DataFrame({"a": ["070-123 45 67"]})
    out = mask_frame(frame)
    pd.testing.assert_frame_equal(out, frame)
    assert out is not frame
