"""Coordinate reference systems: the working CRS, inference from value ranges, swapped
coordinates and reprojection.

Every geometry inside geo_trygg is in one metric working CRS (EPSG:3006, SWEREF 99 TM, unless
the caller chooses another metric CRS). Conversion happens at the edges, here.

Inference rules (used only when the caller gives no ``crs=`` and the file carries none), applied
per row to the pair ``(a, b)`` = (the column read as longitude/easting, the column read as
latitude/northing):

====================  =====================================  ===================================
CRS                   easting / longitude ``a``              northing / latitude ``b``
====================  =====================================  ===================================
WGS 84 (EPSG:4326)    10.0 – 24.5 (degrees east)             55.0 – 69.5 (degrees north)
SWEREF 99 TM (3006)   255 000 – 930 000 m                    6 050 000 – 7 750 000 m
RT90 2.5 gon V (3021) 1 180 000 – 1 940 000 m                6 050 000 – 7 750 000 m
SWEREF 99 local zone  40 000 – 255 000 m (false easting      6 050 000 – 7 750 000 m
(EPSG:3007–3018)      150 000 in every zone)
====================  =====================================  ===================================

The ranges are disjoint, so a row is classified without ambiguity, and a row that matches with
``a`` and ``b`` exchanged is a *swapped* row: it is fixed and counted. The local zones share
their false easting and northing and cannot be told apart: such rows are assumed to be SWEREF 99
18 00 (EPSG:3011, the City of Stockholm's) and a :class:`~geo_trygg.GeoTryggWarning` names the
assumption and how to override it.

With an explicit ``crs=``, a row is accepted when it lies inside Sweden's bounding box once
reprojected, fixed when it does so only with ``a`` and ``b`` exchanged, and rejected otherwise.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyproj
from pyproj import CRS, Transformer

from geo_trygg import settings
from geo_trygg._arrays import object_array
from geo_trygg._errors import ConfigError, GeoTryggWarning
from geo_trygg._labels import msg
from geo_trygg._text import SPACES

__all__ = [
    "LOCAL_ZONE_ASSUMED",
    "SWEDEN_LONLAT_BOUNDS",
    "WORKING_CRS",
    "CoordinateResult",
    "classify_xy",
    "coords_to_working",
    "get_transformer",
    "same_crs",
    "to_float",
    "validate_working_crs",
]

WORKING_CRS = "EPSG:3006"
"""The default working CRS: SWEREF 99 TM, metres."""

LOCAL_ZONE_ASSUMED = 3011
"""EPSG code assumed for values in the SWEREF 99 local-zone range (SWEREF 99 18 00)."""

SWEDEN_LONLAT_BOUNDS = (10.0, 55.0, 24.5, 69.5)
"""Generous bounding box of Sweden in degrees: (min lon, min lat, max lon, max lat)."""

_LON = (10.0, 24.5)
_LAT = (55.0, 69.5)
_N = (6_050_000.0, 7_750_000.0)
_E_TM = (255_000.0, 930_000.0)
_E_RT90 = (1_180_000.0, 1_940_000.0)
_E_LOCAL = (40_000.0, 255_000.0)

# Code 0 means "no known CRS matches"; LOCAL is a marker resolved to LOCAL_ZONE_ASSUMED.
_UNKNOWN = 0
_LOCAL = -1


def _inside(v: np.ndarray, lo_hi: tuple[float, float]) -> np.ndarray:
    lo, hi = lo_hi
    return (v >= lo) & (v <= hi)


def classify_xy(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classify coordinate pairs by value range, row by row.

    Parameters
    ----------
    a, b : numpy.ndarray of float
        The value read as longitude/easting and the value read as latitude/northing.

    Returns
    -------
    epsg : numpy.ndarray of int
        4326, 3006, 3021, ``-1`` for the SWEREF 99 local-zone range, or 0 when no range fits.
    swapped : numpy.ndarray of bool
        True where the pair matches only with ``a`` and ``b`` exchanged.

    Examples
    --------
    >>> import numpy as np
    >>> epsg, swapped = classify_xy(np.array([18.0, 59.3]), np.array([59.3, 18.0]))
    >>> epsg.tolist(), swapped.tolist()
    ([4326, 4326], [False, True])
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    epsg = np.full(a.shape, _UNKNOWN, dtype=np.int64)
    swapped = np.zeros(a.shape, dtype=bool)
    for first, second, is_swapped in ((a, b, False), (b, a, True)):
        free = epsg == _UNKNOWN
        wgs = free & _inside(first, _LON) & _inside(second, _LAT)
        north = free & _inside(second, _N)
        for code, e_range in ((3006, _E_TM), (3021, _E_RT90), (_LOCAL, _E_LOCAL)):
            hit = north & _inside(first, e_range)
            epsg[hit] = code
            swapped[hit] = is_swapped
        epsg[wgs] = 4326
        swapped[wgs] = is_swapped
    return epsg, swapped


@lru_cache(maxsize=64)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def get_transformer(src: Any, dst: Any) -> Transformer:
    """Return a cached ``always_xy`` :class:`pyproj.Transformer` from ``src`` to ``dst``.

    Parameters
    ----------
    src, dst : anything :meth:`pyproj.CRS.from_user_input` accepts

    Returns
    -------
    pyproj.Transformer
        One instance per pair, reused across calls.
    """
    return _transformer(CRS.from_user_input(src).to_wkt(), CRS.from_user_input(dst).to_wkt())


def validate_working_crs(crs: Any, *, name: str = "to_crs") -> CRS:
    """Check that ``crs`` is a projected CRS in metres and return it.

    Parameters
    ----------
    crs : anything :meth:`pyproj.CRS.from_user_input` accepts, or None for the default
    name : str
        Argument name used in the error message.

    Returns
    -------
    pyproj.CRS

    Raises
    ------
    ConfigError
        When ``crs`` is not understood, or is geographic or not in metres.
    """
    if crs is None:
        crs = settings.working_crs
    try:
        parsed = CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise ConfigError(msg("crs_not_a_crs", name=name, value=crs, error=exc)) from None
    unit = parsed.axis_info[0].unit_name if parsed.axis_info else ""
    if not parsed.is_projected or unit not in ("metre", "meter"):
        shown = crs if isinstance(crs, (str, int)) else parsed.to_string()
        raise ConfigError(
            f"{name}={shown!r} must be a projected CRS in metres (distances and areas are "
            f"computed in it), e.g. 'EPSG:3006' (SWEREF 99 TM) or 'EPSG:3011'; got a "
            f"{'geographic' if parsed.is_geographic else 'non-metric'} CRS"
        )
    return parsed


def same_crs(a: Any, b: Any) -> bool:
    """True when two CRS definitions describe the same system (None equals only None)."""
    if a is None or b is None:
        return a is None and b is None
    return bool(CRS.from_user_input(a).equals(CRS.from_user_input(b), ignore_axis_order=True))


@dataclass
class CoordinateResult:
    """Coordinates converted to the working CRS, with what happened to each row.

    Attributes
    ----------
    x, y : numpy.ndarray of float
        Coordinates in ``crs``; NaN where the row was rejected.
    ok : numpy.ndarray of bool
        Rows with usable coordinates.
    swapped : numpy.ndarray of bool
        Rows whose two values were exchanged and fixed.
    reason : list of (str or None)
        Per row, the user-facing reason for rejection, or None.
    source_epsg : numpy.ndarray of int
        Per row, the EPSG code the input was read in (0 where rejected).
    crs : pyproj.CRS
        The working CRS of ``x`` and ``y``.
    crs_inferred : bool
        True when the input CRS was inferred rather than given.
    notes : list of str
        User-facing notes (inferred CRS, assumptions, swapped count), also issued as warnings
        when they are assumptions.
    """

    x: np.ndarray
    y: np.ndarray
    ok: np.ndarray
    swapped: np.ndarray
    reason: list[str | None]
    source_epsg: np.ndarray
    crs: CRS
    crs_inferred: bool
    notes: list[str] = field(default_factory=list)

    @property
    def source_crs_label(self) -> str:
        """Human-readable list of the input CRSs found, e.g. ``'EPSG:3006'``."""
        codes = [int(c) for c in np.unique(self.source_epsg[self.ok])]
        return ", ".join(f"EPSG:{c}" if c else "(custom CRS)" for c in codes) if codes else "-"


_WHITE = re.compile(r"\s")


def _clean_texts(values: pd.Series) -> np.ndarray | None:
    """What :func:`to_float` does to each text (strip; minus sign, no-break and plain spaces;
    decimal comma), done on all texts joined into one string; None (do it value by value)
    unless every value is text or missing and no text holds other white space or a NUL."""
    present = values.notna().to_numpy()
    chosen = values.to_numpy(dtype=object)[present]
    # the type check on the object array: pandas would copy a list into one first
    if pd.api.types.infer_dtype(chosen, skipna=False) not in ("string", "empty"):
        return None
    texts = chosen.tolist()
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):
        return None
    joined = joined.replace("\u2212", "-").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if _WHITE.search(joined):  # tabs, line breaks…: strip them value by value
        return None
    out = object_array(len(values))
    out[present] = joined.split("\0") if texts else []
    return out


# a number as to_float's cleaning leaves it, without an exponent (pandas reads "0e309" as
# no number), which pandas and Arrow both read
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$"


def _texts_at_once(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`to_float`'s numbers and blanks for a column of texts and None, cleaned and
    read in Apache Arrow (issue 11, speed); None (the other paths decide) unless every
    cleaned text is blank or a plain decimal number (:data:`_PLAIN_NUMBER`). Arrow reads a
    number correctly rounded, as Python's ``float`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        texts = pa.array(values.to_numpy(dtype=object), type=pa.string())
    except (pa.ArrowException, TypeError, ValueError):  # a number, NaN, bytes… among them
        return None
    texts = pc.utf8_trim(texts, characters=SPACES)
    data = texts.buffers()[2]
    held = data.to_pybytes() if data is not None else b""
    for old, new in (("\u2212", "-"), ("\xa0", ""), (" ", ""), (",", ".")):
        if old.encode("utf-8") in held:  # a scan of the bytes, cheaper than a replace
            texts = pc.replace_substring(texts, old, new)
    blank = pc.fill_null(pc.equal(texts, ""), True)
    plain = pc.fill_null(pc.match_substring_regex(texts, _PLAIN_NUMBER), False)
    if not pc.all(pc.or_(blank, plain)).as_py():
        return None
    try:
        numbers = pc.cast(pc.if_else(blank, None, texts), pa.float64())
    except pa.ArrowException:
        return None
    return numbers.to_numpy(zero_copy_only=False), blank.to_numpy(zero_copy_only=False)


def _numbers(cleaned: Any) -> np.ndarray:
    """Cleaned texts (and numbers) as floats, NaN where not a number: which values are
    numbers as :func:`pandas.to_numeric` decides, texts read correctly rounded (as Python's
    ``float`` and :func:`_texts_at_once` read them; pandas' own reading may be one unit in
    the last place off for long mantissas)."""
    values = pd.Series(cleaned, dtype=object)
    num = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    texts = np.flatnonzero(np.isfinite(num) & values.map(type).eq(str).to_numpy())
    for i in texts.tolist():
        with contextlib.suppress(ValueError):  # pandas read it, Python not: pandas' value
            num[i] = float(values.iat[i])
    return num


def to_float(values: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse numbers written with decimal commas or spaces; return (values, missing, bad).

    Shared with the readers (:mod:`geo_trygg.io`), which read coordinate columns this way.
    """
    numeric = pd.Series(values)
    if numeric.dtype == object:
        numeric = numeric.infer_objects()
    if pd.api.types.is_numeric_dtype(numeric.dtype) and not pd.api.types.is_bool_dtype(
        numeric.dtype
    ):  # already numbers (a GeoPackage, Excel): nothing to clean
        num = numeric.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(num)
        return num, missing, ~missing & ~np.isfinite(num)
    s = pd.Series(values, dtype=object)
    at_once = _texts_at_once(s)
    if at_once is not None:
        num, missing = at_once
        return num, missing, ~missing & ~np.isfinite(num)
    fast = _clean_texts(s)
    if fast is not None:
        missing = s.isna().to_numpy() | np.asarray(fast == "", dtype=bool)
        num = _numbers(fast)
        return num, missing, ~missing & ~np.isfinite(num)
    missing = s.isna().to_numpy() | s.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(
        dtype=bool
    )
    cleaned = s.map(
        lambda v: (
            v.strip().replace("\u2212", "-").replace("\xa0", "").replace(" ", "").replace(",", ".")
            if isinstance(v, str)
            else v
        )
    )
    num = _numbers(cleaned)
    bad = ~missing & ~np.isfinite(num)
    return num, missing, bad


def coords_to_working(
    a: Any,
    b: Any,
    *,
    crs: Any = None,
    to_crs: Any = None,
    warn: bool = True,
) -> CoordinateResult:
    """Convert two coordinate columns to the working CRS, fixing swapped rows.

    Parameters
    ----------
    a, b : array-like
        The values read as longitude/easting and as latitude/northing (numbers or strings
        with decimal commas).
    crs : CRS-like, optional
        The CRS of the input. When omitted it is inferred per row from the value ranges (see
        the module docstring).
    to_crs : CRS-like, optional
        Metric working CRS of the result; ``settings.working_crs`` (EPSG:3006) by default.
    warn : bool, default True
        Issue :class:`GeoTryggWarning` for assumptions (local zone assumed, mixed CRSs).

    Returns
    -------
    CoordinateResult
    """
    target = validate_working_crs(to_crs)
    av, a_missing, a_bad = to_float(a)
    bv, b_missing, b_bad = to_float(b)
    n = len(av)
    reason: list[str | None] = [None] * n
    for i in np.flatnonzero(a_bad | b_bad):
        reason[i] = msg("coord_not_numeric")
    for i in np.flatnonzero(a_missing | b_missing):
        reason[i] = msg("coord_missing")
    usable = ~(a_missing | b_missing | a_bad | b_bad)

    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    swapped = np.zeros(n, dtype=bool)
    source = np.zeros(n, dtype=np.int64)
    notes: list[str] = []

    if crs is None:
        epsg, sw = classify_xy(np.where(usable, av, np.nan), np.where(usable, bv, np.nan))
        if (epsg == _LOCAL).any():
            note = msg("crs_local_zone_assumed")
            notes.append(note)
            if warn:
                warnings.warn(note, GeoTryggWarning, stacklevel=2)
        epsg = np.where(epsg == _LOCAL, LOCAL_ZONE_ASSUMED, epsg)
        first = np.where(sw, bv, av)
        second = np.where(sw, av, bv)
        for code in np.unique(epsg[epsg != _UNKNOWN]):
            rows = epsg == code
            tx, ty = get_transformer(f"EPSG:{code}", target).transform(first[rows], second[rows])
            x[rows], y[rows] = tx, ty
        source = epsg
        matched = epsg != _UNKNOWN
        swapped = sw & matched
        found = {int(c): int((epsg == c).sum()) for c in np.unique(epsg[epsg != _UNKNOWN])}
        if len(found) == 1:
            notes.insert(0, msg("crs_inferred", crs=f"EPSG:{next(iter(found))}"))
        elif len(found) > 1:
            counts = ", ".join(f"EPSG:{c} {k}" for c, k in sorted(found.items()))
            note = msg("crs_mixed", counts=counts)
            notes.insert(0, note)
            if warn:
                warnings.warn(note, GeoTryggWarning, stacklevel=2)
        inferred = True
    else:
        try:
            src = CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as exc:
            raise ConfigError(msg("crs_not_a_crs", name="crs", value=crs, error=exc)) from None
        to_ll = get_transformer(src, "EPSG:4326")
        lo0, la0, lo1, la1 = SWEDEN_LONLAT_BOUNDS
        in_order = np.zeros(n, dtype=bool)
        in_swap = np.zeros(n, dtype=bool)
        for first, second, out in ((av, bv, in_order), (bv, av, in_swap)):
            with np.errstate(invalid="ignore"):
                lon, lat = to_ll.transform(np.where(usable, first, np.nan), second)
            lon = np.asarray(lon, dtype=float)
            lat = np.asarray(lat, dtype=float)
            out[:] = usable & (lon >= lo0) & (lon <= lo1) & (lat >= la0) & (lat <= la1)
        swapped = ~in_order & in_swap
        good = in_order | swapped
        first = np.where(swapped, bv, av)
        second = np.where(swapped, av, bv)
        tx, ty = get_transformer(src, target).transform(first[good], second[good])
        x[good], y[good] = tx, ty
        source = np.where(good, src.to_epsg() or 0, 0)
        matched = good
        inferred = False

    ok = usable & matched & np.isfinite(x) & np.isfinite(y)
    for i in np.flatnonzero(usable & ~ok):
        reason[i] = msg("coord_outside_sweden")
    x[~ok] = np.nan
    y[~ok] = np.nan
    swapped &= ok
    if swapped.any():
        notes.append(msg("coords_swapped", n=int(swapped.sum())))
    return CoordinateResult(
        x=x,
        y=y,
        ok=ok,
        swapped=swapped,
        reason=reason,
        source_epsg=np.where(ok, source, 0),
        crs=target,
        crs_inferred=inferred,
        notes=notes,
    )
