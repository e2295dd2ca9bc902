"""The Wilson interval of a survey share (geo_trygg.stats.wilson_interval): a hand-checked
published case, scipy's own Wilson interval as a second method, and the rules every interval
keeps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from geo_trygg import ConfigError
from geo_trygg.stats import wilson_interval


def test_the_published_city_survey_case_by_hand() -> None:
    # Stockholms stads trygghetsmätning 2017: 11 % of 17,669 respondents. By hand:
    # z = 1.959964, z²/n = 2.1741e-4, centre = (0.11 + 1.0871e-4) / 1.00021741 = 0.1100848,
    # half = 1.959964 / 1.00021741 × √(0.11 × 0.89 / 17669 + 3.8415 / (4 × 17669²)) = 0.0046137
    low, high = wilson_interval(11.0, 17669)
    assert float(low) == pytest.approx(10.5471, abs=1e-3)
    assert float(high) == pytest.approx(11.4698, abs=1e-3)
    assert (round(float(low), 2), round(float(high), 2)) == (10.55, 11.47)


def test_a_share_of_nothing_and_of_everything() -> None:
    # p = 0: the lower bound is 0 and the upper z²/(n + z²); p = 1 mirrors it
    z2 = 1.959963984540054**2
    low, high = wilson_interval([0.0, 100.0], 10)
    assert low.tolist()[0] == 0.0
    assert high[0] == pytest.approx(100 * z2 / (10 + z2))
    assert high[1] == pytest.approx(100.0, abs=1e-9)
    assert low[1] == pytest.approx(100 - 100 * z2 / (10 + z2))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_equals_scipys_wilson_interval(case: tuple[int, int]) -> None:
    k, n = case
    expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(100 * k / n, n)
    assert float(low) == pytest.approx(100 * expected.low, abs=1e-9)
    assert float(high) == pytest.approx(100 * expected.high, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 100),
    st.integers(1, 10**6),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_every_interval_holds_its_share_within_0_and_100(share, n, confidence) -> None:
    low, high = wilson_interval(share, n, confidence=confidence)
    assert 0.0 <= float(low) <= share + 1e-9
    assert share - 1e-9 <= float(high) <= 100.0
    # more respondents, a narrower interval; a higher confidence, a wider one
    low4, high4 = wilson_interval(share, 4 * n, confidence=confidence)
    assert float(high4 - low4) <= float(high - low) + 1e-12
    wide_low, wide_high = wilson_interval(share, n, confidence=0.999)
    assert float(wide_high - wide_low) >= float(high - low) - 1e-12


def test_unknown_respondents_give_an_unknown_interval() -> None:
    low, high = wilson_interval([12.0, 30.5, float("nan")], [float("nan"), 400, 400])
    assert math.isnan(low[0])
    assert math.isnan(high[0])
    assert not math.isnan(low[1])
    assert math.isnan(low[2])
    assert math.isnan(high[2])


@pytest.mark.parametrize(
    ("share", "n", "confidence", "message"),
    [
        (101.0, 100, 0.95, "en andel måste vara mellan 0 och 100 procent, inte 101.0"),
        (-1.0, 100, 0.95, "inte -1.0"),
        (10.0, 0, 0.95, "antalet svarande måste vara ett positivt tal, inte 0.0"),
        ([10.0, 20.0], [50, -3], 0.95, "inte -3.0"),
        (10.0, np.inf, 0.95, "inte inf"),
        (10.0, 100, 1.5, "konfidensnivån måste vara ett tal mellan 0 och 1, inte 1.5"),
    ],
)
def test_impossible_inputs_are_refused_in_swedish(share, n, confidence, message) -> None:
    with pytest.raises(ConfigError, match=message):
        wilson_interval(share, n, confidence=confidence)
