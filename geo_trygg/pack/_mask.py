"""Mask personnummer and phone numbers in free text before it leaves the tool.

Every output of a pack (Excel, HTML, maps) shows free text (finding descriptions, comments,
event texts) masked by default: a Swedish personal identity number is replaced by the token
``[personnummer]`` and a Swedish phone number by ``[telefonnummer]`` (``[personal identity
number]`` and ``[phone number]`` in English, from :func:`geo_trygg._labels.msg`). The tokens
hold no digits, so masking twice gives the same text as masking once.

**Personnummer and samordningsnummer** are masked when written as ``YYMMDD-NNNN``,
``YYMMDD+NNNN``, ``YYYYMMDD-NNNN``, ``YYYYMMDDNNNN`` or ``YYMMDDNNNN``; the separator may
also be an en dash or minus sign, a space, or a dash with spaces around it. A candidate is
masked only when

- it is not part of a longer number: no digit, and no digit followed by ``.`` or ``,``,
  right before it; no digit, and no ``.``/``,`` followed by a digit, right after it;
- the century (12-digit forms) is 18, 19 or 20;
- ``MMDD`` is a real day: month 01–12, day 01 to the month's last day (29 February only in
  leap years; with two-digit years in years divisible by 4, as the century is unknown), or
  the day plus 60 (61–91) for a samordningsnummer;
- the last digit is the Luhn check digit of the nine digits ``YYMMDDNNN`` before it.

So dates alone (``2024-03-05``, ``20240305``), amounts, order numbers, ids and coordinates
are left alone, except for the one in ten ten-digit numbers that happen to pass the check
and look like a birth date (they cannot be told apart from a personnummer).

**Phone numbers** (Swedish) are masked when written

- nationally with the trunk ``0``: ``070-123 45 67``, ``070 123 45 67``, ``0701234567``,
  ``08-123 456 78``, ``08-12 34 56``, ``031-123 45 67``, ``0980-123 45``, ``(08) 123 456 78``;
- internationally: ``+46 70 123 45 67``, ``+46701234567``, ``0046 8 123 456 78``,
  ``+46 (0)8-123 456 78``.

A number is either an area code block (``0`` and one to three more digits, the first of
them 1–9; after ``+46``/``0046`` the same without the ``0``, optionally after ``(0)``; or
``(0…)`` in brackets) followed by a dash or a space and the subscriber number in groups of
at least two digits separated by single spaces, or one unbroken run of digits. It is masked
only when

- it is not preceded by a letter, digit, ``_`` or ``+`` (nor a digit and ``.``/``,``), nor
  followed by a letter or digit (nor ``.``/``,`` and a digit);
- the subscriber number does not start with ``0`` (no Swedish one does);
- it has 8–10 digits with the trunk ``0`` (7–9 without it after ``+46``), exactly 10 (9) for
  mobile numbers (``07…``), and 9–10 (8–9) when written as one unbroken run;
- when trailing groups make it too long, the longest valid leading part is masked (and the
  search goes on after it).

Long columns are masked in one pass over all their texts (:func:`mask_texts`): about 3–5 s
for a million event texts.

So ISO dates (``2024-03-05``), times, postal codes (``123 45``, never starting with ``0``),
years, amounts, coordinates (``6580123.5``, ``18.0686``), kommun codes (``0180``) and ids
such as ``TV-2024-00012`` are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from geo_trygg._errors import ConfigError
from geo_trygg._labels import msg
from geo_trygg._validate import check_lang

__all__ = ["MASKED_COLUMNS", "is_personnummer", "mask_frame", "mask_personal", "mask_texts"]

MASKED_COLUMNS = ("description", "comment", "text")
"""The free-text columns :func:`mask_frame` masks by default (those present)."""

_SPACE = "[ \u00a0]"
_DASH = "[-\u2010-\u2013\u2212]"
_PNR_SEP = f"(?:{_SPACE}?[-+\u2010-\u2013\u2212]{_SPACE}?|{_SPACE})?"
# Each pattern begins with a character (class), so the regex engine can skip ahead to the
# next digit (or "+", "0", "(") quickly; the "nothing before" checks are look-behinds that
# include that first character.
_PNR = re.compile(
    rf"(?P<date>[0-9](?<![0-9][0-9])(?<![0-9][.,][0-9])[0-9]{{5}}(?:[0-9]{{2}})?)"
    rf"{_PNR_SEP}(?P<serial>[0-9]{{4}})(?![0-9])(?![.,][0-9])"
)
_SEP = rf"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})"
_SUBSCRIBER = rf"[1-9][0-9]+(?:{_SPACE}[0-9]{{2,}})*"  # never starting with 0
_PLUS = r"\+(?<![\w+]\+)(?<![0-9][.,]\+)"  # "+" with nothing wrong right before it
_ZERO = r"0(?<![\w+]0)(?<![0-9][.,]0)"
_PAREN = r"\((?<![\w+]\()(?<![0-9][.,]\()"
_PHONE = re.compile(
    rf"(?:(?:{_PLUS}|{_ZERO}0)46{_SPACE}?{_DASH}?{_SPACE}?(?:\(0\){_SPACE}?)?"
    rf"(?P<intl>[1-9][0-9]{{0,2}}{_SEP}{_SUBSCRIBER}|[1-9][0-9]{{7,8}})"
    rf"|{_PAREN}(?P<paren>0[1-9][0-9]{{0,2}}\){_SPACE}?{_SUBSCRIBER})"
    rf"|(?P<national>{_ZERO}(?:[1-9][0-9]{{0,2}}{_SEP}{_SUBSCRIBER}|[1-9][0-9]{{7,8}}))"
    rf")(?![\w])(?![.,][0-9])"
)
_DIGITS = re.compile("[0-9]+")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _luhn_ok(digits: str) -> bool:
    """True when the last of the ten ``digits`` is the Luhn check digit of the nine before."""
    total = 0
    for i, ch in enumerate(digits[:9]):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(digits[9])


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _date_ok(yymmdd: str, century: str | None) -> bool:
    """A real day (or a samordningsnummer day + 60); see the module docstring."""
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60
    if not 1 <= month <= 12 or day < 1 or day > _DAYS[month - 1]:
        return False
    if month == 2 and day == 29:
        yy = int(yymmdd[:2])
        return _leap(int(century) * 100 + yy) if century else yy % 4 == 0
    return True


def is_personnummer(text: str) -> bool:
    """Whether ``text`` is one valid personnummer or samordningsnummer, and nothing else.

    Parameters
    ----------
    text : str
        E.g. ``"811218-9876"`` or ``"198112189876"``.

    Returns
    -------
    bool
        True when the whole text is one of the forms of the module docstring with a real date
        (or day + 60) and a correct Luhn check digit.

    Examples
    --------
    >>> is_personnummer("811218-9876"), is_personnummer("811218-9875")
    (True, False)
    >>> is_personnummer("19811218 9876"), is_personnummer("2024-03-05")
    (True, False)
    """
    match = _PNR.fullmatch(text)
    return match is not None and _pnr_ok(match)


def _pnr_ok(match: re.Match[str]) -> bool:
    digits = match.group("date")  # YYMMDD or YYYYMMDD
    century = digits[:2] if len(digits) == 8 else None
    if century is not None and century not in ("18", "19", "20"):
        return False
    date = digits[-6:]
    return _date_ok(date, century) and _luhn_ok(date + match.group("serial"))


def _phone_ok(runs: list[str], *, international: bool) -> bool:
    """Whether digit groups (the first the area code block) make a Swedish phone number."""
    total = sum(len(r) for r in runs)
    mobile = runs[0].startswith("7" if international else "07")
    low, high = (7, 9) if international else (8, 10)
    if len(runs) == 1:
        low += 1
    elif len(runs[0]) > (3 if international else 4) or runs[1].startswith("0"):
        return False
    return total == high if mobile else low <= total <= high


def _phone_end(match: re.Match[str]) -> int | None:
    """The end of the longest valid phone number the candidate starts with, or None."""
    kind = next(k for k in ("intl", "paren", "national") if match.group(k) is not None)
    runs = list(_DIGITS.finditer(match.group(0), match.start(kind) - match.start()))
    texts = [r.group(0) for r in runs]
    smallest = 2 if kind == "paren" else 1
    for n in range(len(texts), smallest - 1, -1):
        if _phone_ok(texts[:n], international=kind == "intl"):
            return match.start() + runs[n - 1].end()
    return None


def _mask_phones(text: str, token: str) -> str:
    """Mask every phone number; after a number, and after a candidate that is none, the
    search goes on right behind what was looked at, so one pass masks everything (a second
    pass finds nothing new)."""
    out, pos, start = [], 0, 0
    while (match := _PHONE.search(text, start)) is not None:
        end = _phone_end(match)
        if end is None:
            start = match.start() + 1
            continue
        out.append(text[pos : match.start()])
        out.append(token)
        pos = start = end
    out.append(text[pos:])
    return "".join(out)


def mask_personal(text: str | None, *, lang: str | None = None) -> str | None:
    """Replace personnummer and Swedish phone numbers in ``text`` by tokens.

    The rules (which written forms, which checks, what is left alone) are in the module
    docstring of :mod:`geo_trygg.pack._mask`.

    Parameters
    ----------
    text : str or None
        Free text, e.g. a finding's description.
    lang : {"sv", "en"}, optional
        Language of the tokens: ``[personnummer]`` and ``[telefonnummer]`` in Swedish,
        ``[personal identity number]`` and ``[phone number]`` in English;
        ``geo_trygg.settings.lang`` by default.

    Returns
    -------
    str or None
        The text with every personnummer (and samordningsnummer) and phone number replaced by
        its token, everything else unchanged; None for None. Masking a masked text changes
        nothing.

    Raises
    ------
    ConfigError
        When ``text`` is neither text nor None, or ``lang`` is not ``"sv"``/``"en"``.

    Examples
    --------
    >>> mask_personal("Anmälare 811218-9876, ring 070-123 45 67 efter 17.", lang="sv")
    'Anmälare [personnummer], ring [telefonnummer] efter 17.'
    >>> mask_personal("Ärende TV-2024-00012, 2024-03-05, 123 45 Stockholm, 1 250 kr")
    'Ärende TV-2024-00012, 2024-03-05, 123 45 Stockholm, 1 250 kr'
    >>> mask_personal("+46 8 123 456 78", lang="en")
    '[phone number]'
    """
    language = check_lang(lang)
    if text is None:
        return None
    if not isinstance(text, str):
        raise ConfigError(f"text must be a str or None, not {type(text).__name__}: {text!r:.80}")
    return _mask(text, msg("mask_personnummer", language), msg("mask_phone", language))


def _mask(text: str, pnr_token: str, phone_token: str) -> str:
    if len(text) < 7 or not _DIGITS.search(text):
        return text
    masked = _PNR.sub(lambda m: pnr_token if _pnr_ok(m) else m.group(0), text)
    return _mask_phones(masked, phone_token)


_JOIN = "\x00"


def mask_texts(texts: Sequence[str], *, lang: str | None = None) -> list[str]:
    """:func:`mask_personal` of many texts at once (fast for long columns).

    The texts are joined with NUL characters and masked in one pass: no number can span a
    NUL (it is neither a digit, a letter nor a separator), so the result is the same as
    masking each text on its own. Texts that hold a NUL themselves are masked one by one.

    Parameters
    ----------
    texts : sequence of str
    lang : {"sv", "en"}, optional
        Language of the tokens.

    Returns
    -------
    list of str
        The masked texts, in order.

    Examples
    --------
    >>> mask_texts(["070-123 45 67", "2024-03-05"], lang="sv")
    ['[telefonnummer]', '2024-03-05']
    """
    language = check_lang(lang)
    tokens = msg("mask_personnummer", language), msg("mask_phone", language)
    items = list(texts)
    if not all(isinstance(t, str) for t in items):
        raise ConfigError("texts must all be str")
    joined = _JOIN.join(items)
    if joined.count(_JOIN) != max(len(items) - 1, 0):
        return [_mask(t, *tokens) for t in items]
    out = _mask(joined, *tokens).split(_JOIN) if items else []
    return out


def mask_frame(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, *, lang: str | None = None
) -> pd.DataFrame:
    """A copy of ``frame`` with personnummer and phone numbers masked in its free-text columns.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        Any table, e.g. findings or events.
    columns : sequence of str, optional
        The columns to mask; by default those of :data:`MASKED_COLUMNS` (``description``,
        ``comment``, ``text``) that ``frame`` has.
    lang : {"sv", "en"}, optional
        Language of the tokens (see :func:`mask_personal`).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        A copy of the same type, columns, dtypes and index; in the masked columns every text
        value goes through :func:`mask_personal`, missing values and values that are not text
        (numbers) stay as they are. ``frame`` itself is never changed.

    Raises
    ------
    ConfigError
        When ``frame`` is not a DataFrame, ``columns`` is a single string or names a column
        ``frame`` lacks, or ``lang`` is not allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame(
    ...     {"finding_id": ["0701234567"], "description": ["Ring 0701234567"]}, index=[7]
    ... )
    >>> mask_frame(findings, lang="sv")
       finding_id           description
    7  0701234567  Ring [telefonnummer]
    """
    language = check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ConfigError(f"frame must be a DataFrame, not {type(frame).__name__}")
    if columns is None:
        chosen = [c for c in MASKED_COLUMNS if c in frame.columns]
    elif isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
        raise ConfigError(
            f"columns={columns!r} must be a list of column names, e.g. [{columns!r}]"
        )
    else:
        chosen = list(columns)
        missing = [c for c in chosen if c not in frame.columns]
        if missing:
            raise ConfigError(
                f"columns names {', '.join(map(repr, missing))}, which the frame does not "
                f"have; its columns are: {', '.join(map(repr, map(str, frame.columns)))}"
            )
    out = frame.copy()
    for column in chosen:
        values = out[column]
        before = values.to_numpy(dtype=object)
        is_text = [isinstance(v, str) for v in before]
        distinct = list(dict.fromkeys(v for v, t in zip(before, is_text, strict=True) if t))
        changed = {
            a: b
            for a, b in zip(distinct, mask_texts(distinct, lang=language), strict=True)
            if a != b
        }
        if changed:
            masked = [changed.get(v, v) if t else v for v, t in zip(before, is_text, strict=True)]
            dtype = object if isinstance(values.dtype, pd.CategoricalDtype) else values.dtype
            out[column] = pd.Series(masked, index=values.index, dtype=dtype)
    return out
