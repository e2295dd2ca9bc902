"""Fast paths of the read_events speed work (issue 11) against the exact paths they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg.io._dates import localize_stockholm
from geo_trygg.io.duplicates import _content_order, _float_key

# few distinct values, so that ties (and -0.0 beside 0.0) are common
_FLOATS = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 5e-324, -5e-324, 1e300, -1e300, 6_580_000.25, 59.27]
) | st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FLOATS, min_size=1, max_size=40))
def test_float_key_orders_and_ties_like_the_floats(values: list[float]) -> None:
    v = np.array(values, dtype=np.float64)
    key = _float_key(v)
    assert key.dtype == np.int64
    # pairwise: the keys compare as the floats compare (== treats -0.0 and 0.0 alike)
    assert np.array_equal(key[:, None] < key[None, :], v[:, None] < v[None, :])
    assert np.array_equal(key[:, None] == key[None, :], v[:, None] == v[None, :])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            _FLOATS,
            _FLOATS,
            st.integers(0, 2),
            st.integers(-(2**62), 2**62) | st.integers(0, 3),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_content_order_is_lexsort(rows: list[tuple[int, float, float, int, int]]) -> None:
    src, y, x, cat, t = (np.array(c) for c in zip(*rows, strict=True))
    src, cat, t = src.astype(np.int64), cat.astype(np.int64), t.astype(np.int64)
    y, x = y.astype(np.float64), x.astype(np.float64)
    expected = np.lexsort((src, y, x, cat, t))
    assert np.array_equal(_content_order(src, y, x, cat, t), expected)


def test_content_order_by_hand() -> None:
    # time first, then category, x, y, source; full ties keep row order; -0.0 == 0.0
    src = np.array([1, 0, 0, 0, 0])
    y = np.array([2.0, 1.0, 0.0, -0.0, 0.0])
    x = np.array([0.0, 0.0, -1.0, 0.0, 0.0])
    cat = np.array([0, 0, 0, 0, 0])
    t = np.array([5, 5, 5, 5, 1])
    # row 4 (t=1) first; at t=5: x=-1 (row 2), then x=0 by y: rows 3 (y=-0.0) and
    # then 1 (y=1.0), 0 (y=2.0)
    assert _content_order(src, y, x, cat, t).tolist() == [4, 2, 3, 1, 0]


def test_localize_all_none_uses_the_naive_array() -> None:
    # every value None (the common case: times read as arrays): the wall-clock array is
    # localised; 02:30 on 2024-10-27 is in the repeated hour (read as summer time, +02:00),
    # 2024-03-31 02:30 is in the skipped hour (moved forward one hour, 03:30+02:00)
    naive = np.array(
        ["2024-10-27T02:30", "NaT", "2024-03-31T02:30", "2024-06-01T12:00"],
        dtype="datetime64[ns]",
    )
    times, amb, non = localize_stockholm([None] * 4, naive)
    shown = [None if pd.isna(t) else t.isoformat() for t in times]
    assert shown == [
        "2024-10-27T02:30:00+02:00",
        None,
        "2024-03-31T03:30:00+02:00",
        "2024-06-01T12:00:00+02:00",
    ]
    assert (amb, non) == (1, 1)
