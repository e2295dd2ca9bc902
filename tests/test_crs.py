"""Tests for geo_trygg.crs: inference by value ranges, swapped rows, reprojection."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo_trygg import ConfigError, GeoTryggWarning
from geo_trygg.crs import (
    classify_xy,
    coords_to_working,
    get_transformer,
    same_crs,
    validate_working_crs,
)

# Älvsjö pendeltåg and Fittja T (lon, lat), from public station coordinates.
ALVSJO = (18.01056, 59.27806)
FITTJA = (17.86083, 59.2475)


def _expected_3006(lon: float, lat: float) -> tuple[float, float]:
    t = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    return t.transform(lon, lat)


def _project(lon: float, lat: float, epsg: int) -> tuple[float, float]:
    t = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    return t.transform(lon, lat)


@pytest.mark.parametrize("epsg", [4326, 3006, 3011, 3021])
def test_inferred_crs_and_swapped_rows(epsg: int) -> None:
    pts = [ALVSJO, FITTJA]
    xy = [_project(lon, lat, epsg) if epsg != 4326 else (lon, lat) for lon, lat in pts]
    # second row swapped, as happens in hand-made exports
    a = [xy[0][0], xy[1][1]]
    b = [xy[0][1], xy[1][0]]
    with pytest.warns(GeoTryggWarning) if epsg == 3011 else _no_warning():
        res = coords_to_working(a, b)
    assert res.ok.tolist() == [True, True]
    assert res.swapped.tolist() == [False, True]
    assert res.crs_inferred
    assert res.source_epsg.tolist() == [epsg, epsg]
    for i, (lon, lat) in enumerate(pts):
        ex, ey = _expected_3006(lon, lat)
        assert abs(res.x[i] - ex) < 0.01
        assert abs(res.y[i] - ey) < 0.01


class _no_warning:
    def __enter__(self) -> None:
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("error", GeoTryggWarning)

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)


def test_local_zone_in_goteborg_warns_and_explicit_crs_fixes() -> None:
    # Göteborg centralstation in SWEREF 99 12 00 (EPSG:3007)
    lon, lat = 11.9733, 57.7089
    e, n = _project(lon, lat, 3007)
    with pytest.warns(GeoTryggWarning, match="EPSG:3011"):
        wrong = coords_to_working([e], [n])
    assert wrong.source_epsg.tolist() == [3011]
    right = coords_to_working([e], [n], crs="EPSG:3007")
    ex, ey = _expected_3006(lon, lat)
    assert abs(right.x[0] - ex) < 0.01
    assert abs(right.y[0] - ey) < 0.01
    assert not right.crs_inferred


def test_mixed_crs_rows_are_each_converted_and_reported() -> None:
    e6, n6 = _project(*ALVSJO, 3006)
    e21, n21 = _project(*FITTJA, 3021)
    with pytest.warns(GeoTryggWarning, match="blandar|mixes"):
        res = coords_to_working([ALVSJO[0], e21, n6], [ALVSJO[1], n21, e6])
    assert res.source_epsg.tolist() == [4326, 3021, 3006]
    assert res.swapped.tolist() == [False, False, True]
    assert abs(res.x[1] - _expected_3006(*FITTJA)[0]) < 0.01


def test_rejections_have_reasons() -> None:
    res = coords_to_working(["", "abc", "5,0", "18,0106"], ["59.3", "59.3", "10.0", "59,2781"])
    assert res.ok.tolist() == [False, False, False, True]
    assert all(r for r in res.reason[:3])
    assert res.reason[3] is None
    assert len(set(res.reason[:3])) == 3  # missing, not numeric, outside Sweden


def test_explicit_crs_rejects_outside_sweden_and_fixes_swaps() -> None:
    e, n = _project(*ALVSJO, 3006)
    res = coords_to_working([e, n, 100.0], [n, e, 100.0], crs="EPSG:3006")
    assert res.ok.tolist() == [True, True, False]
    assert res.swapped.tolist() == [False, True, False]
    assert res.x[0] == pytest.approx(e)
    assert res.x[1] == pytest.approx(e)


def test_to_crs_must_be_metric() -> None:
    with pytest.raises(ConfigError, match="to_crs"):
        validate_working_crs("EPSG:4326")
    with pytest.raises(ConfigError, match="to_crs"):
        coords_to_working([18.0], [59.3], to_crs="EPSG:4326")
    assert validate_working_crs("EPSG:3011").to_epsg() == 3011


def test_other_working_crs() -> None:
    res = coords_to_working([ALVSJO[0]], [ALVSJO[1]], to_crs="EPSG:3011")
    ex, ey = _project(*ALVSJO, 3011)
    assert abs(res.x[0] - ex) < 0.01
    assert abs(res.y[0] - ey) < 0.01


def test_transformer_is_reused_and_same_crs() -> None:
    assert get_transformer("EPSG:4326", "EPSG:3006") is get_transformer(4326, "epsg:3006")
    assert same_crs("EPSG:3006", 3006)
    assert not same_crs("EPSG:3006", "EPSG:3011")
    assert not same_crs(None, "EPSG:3006")


lons = st.floats(10.0, 24.5, allow_nan=False)
lats = st.floats(55.0, 69.5, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(lon=lons, lat=lats, swap=st.booleans())
def test_wgs84_swaps_always_found(lon: float, lat: float, swap: bool) -> None:
    a, b = (lat, lon) if swap else (lon, lat)
    epsg, swapped = classify_xy(np.array([a]), np.array([b]))
    assert epsg[0] == 4326
    assert bool(swapped[0]) is swap


@settings(max_examples=100, deadline=None)
@given(
    lon=st.floats(11.5, 18.5, allow_nan=False),
    lat=st.floats(55.5, 68.5, allow_nan=False),
    epsg=st.sampled_from([3006, 3021]),
    swap=st.booleans(),
)
def test_projected_swaps_always_found(lon: float, lat: float, epsg: int, swap: bool) -> None:
    e, n = _project(lon, lat, epsg)
    a, b = (n, e) if swap else (e, n)
    codes, swapped = classify_xy(np.array([a]), np.array([b]))
    assert codes[0] == epsg
    assert bool(swapped[0]) is swap
