"""Time profiles: weekday × hour and weekly series, aoristic weighting (lagesbild/_timeprofile).

Expected weights are worked out by hand from the real elapsed minutes in each local clock hour;
the property tests compare with a second, minute-by-minute method using ``zoneinfo``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_trygg import ConfigError, GeoTryggWarning, labels
from geo_trygg import settings as gt_settings
from geo_trygg.lagesbild._timeprofile import weekday_hour, weekly_series
from geo_trygg.periods import weekday_names

TZ = "Europe/Stockholm"


def local(*stamps: str) -> pd.DatetimeIndex:
    """Local wall-clock times (not on a DST change)."""
    return pd.DatetimeIndex(pd.to_datetime(list(stamps))).tz_localize(TZ)


def utc(*stamps: str) -> pd.DatetimeIndex:
    """Instants given in UTC, shown in local time (for the DST days)."""
    return pd.DatetimeIndex(pd.to_datetime(list(stamps))).tz_localize("UTC").tz_convert(TZ)


def events(t0: pd.DatetimeIndex, t1: pd.DatetimeIndex | None = None, **cols: list) -> pd.DataFrame:
    data: dict[str, object] = {"time_from": t0}
    if t1 is not None:
        data["time_to"] = t1
    data.update(cols)
    return pd.DataFrame(data)


def nonzero(profile: pd.DataFrame) -> dict[tuple[int, int], float]:
    hit = profile[profile["weight"] != 0]
    return {
        (int(d), int(h)): float(w)
        for d, h, w in zip(hit["weekday"], hit["hour"], hit["weight"], strict=True)
    }


def assert_weights(got: dict, expected: dict) -> None:
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key


# --- weekday × hour, hand-computed ------------------------------------------------------------


def test_window_2230_to_0130_spreads_over_four_clock_hours():
    # Tue 2024-01-09 22:30 → Wed 01:30: 180 minutes; 30 + 60 + 60 + 30 minutes per hour
    prof = weekday_hour(events(local("2024-01-09 22:30"), local("2024-01-10 01:30")))
    assert_weights(nonzero(prof), {(1, 22): 1 / 6, (1, 23): 2 / 6, (2, 0): 2 / 6, (2, 1): 1 / 6})


def test_window_2230_to_0030_spreads_over_three_clock_hours():
    # 120 minutes: 30 / 60 / 30
    prof = weekday_hour(events(local("2024-01-09 22:30"), local("2024-01-10 00:30")))
    assert_weights(nonzero(prof), {(1, 22): 0.25, (1, 23): 0.5, (2, 0): 0.25})


def test_window_within_one_hour_and_point_events_give_one():
    t0 = local("2024-01-09 10:05", "2024-01-09 10:10", "2024-01-09 11:00")
    t1 = local("2024-01-09 10:55", "2024-01-09 10:10", "2024-01-09 12:00")  # 11:00–12:00: hour 11
    prof = weekday_hour(events(t0, t1))
    assert_weights(nonzero(prof), {(1, 10): 2.0, (1, 11): 1.0})


def test_missing_time_to_or_no_time_to_column_is_a_point_event():
    t0 = local("2024-01-13 03:15", "2024-01-13 03:45")
    t1 = pd.DatetimeIndex([pd.NaT, pd.NaT]).tz_localize(TZ)
    assert_weights(nonzero(weekday_hour(events(t0, t1))), {(5, 3): 2.0})
    assert_weights(nonzero(weekday_hour(events(t0))), {(5, 3): 2.0})


def test_sunday_to_monday_wraps_the_week():
    prof = weekday_hour(events(local("2024-01-14 23:00"), local("2024-01-15 01:00")))
    assert_weights(nonzero(prof), {(6, 23): 0.5, (0, 0): 0.5})


def test_spring_forward_hour_gets_no_weight():
    # 2024-03-31: 01:30 CET (00:30 UTC) → 03:30 CEST (01:30 UTC) is one real hour:
    # 30 min in local hour 1, none in the missing hour 2, 30 min in local hour 3
    prof = weekday_hour(events(utc("2024-03-31 00:30"), utc("2024-03-31 01:30")))
    assert_weights(nonzero(prof), {(6, 1): 0.5, (6, 3): 0.5})
    # 00:00 local (23:00 UTC the day before) → 04:00 local (02:00 UTC): 3 real hours
    prof = weekday_hour(events(utc("2024-03-30 23:00"), utc("2024-03-31 02:00")))
    assert_weights(nonzero(prof), {(6, 0): 1 / 3, (6, 1): 1 / 3, (6, 3): 1 / 3})


def test_fall_back_hour_gets_both_passes():
    # 2024-10-27: 01:30 CEST (23:30 UTC on the 26th) → 03:30 CET (02:30 UTC) is 180 minutes:
    # hour 1: 30 min; hour 2: 60 (CEST) + 60 (CET) = 120 min; hour 3: 30 min
    prof = weekday_hour(events(utc("2024-10-26 23:30"), utc("2024-10-27 02:30")))
    assert_weights(nonzero(prof), {(6, 1): 30 / 180, (6, 2): 120 / 180, (6, 3): 30 / 180})
    # a single time in the second pass of 02:xx (01:30 UTC = 02:30 CET) counts in hour 2
    assert_weights(nonzero(weekday_hour(events(utc("2024-10-27 01:30")))), {(6, 2): 1.0})


def test_long_window_is_spread_and_noted():
    # Mon 2024-01-01 00:00 → Thu 2024-01-11 00:00: 240 real hours (no DST change);
    # Mon–Wed occur twice in the window, Thu–Sun once
    prof = weekday_hour(events(local("2024-01-01 00:00"), local("2024-01-11 00:00")))
    expected = {(d, h): (2 if d <= 2 else 1) / 240 for d in range(7) for h in range(24)}
    assert_weights(nonzero(prof), expected)
    assert prof.attrs["n_long_windows"] == 1
    assert any("10 d" in note for note in prof.attrs["notes"])


def test_output_shape_codes_and_their_words():
    prof = weekday_hour(events(local("2024-01-09 10:00")))
    assert len(prof) == 168
    assert list(prof.columns) == ["weekday", "hour", "weight"]  # codes only
    assert prof["weekday"].tolist() == [d for d in range(7) for _ in range(24)]
    assert prof["hour"].tolist() == list(range(24)) * 7
    sv = labels.with_words(prof, lang="sv")
    assert list(sv.columns) == ["weekday", "weekday_name", "hour", "weight"]
    assert sv.loc[0, "weekday_name"] == "måndag"
    assert sv.loc[167, "weekday_name"] == "söndag"
    en = labels.with_words(prof, lang="en")
    assert en["weekday_name"].unique().tolist() == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    ]  # fmt: skip
    assert weekday_names("en")[0] == "Monday"  # the old list, kept as a thin wrapper


def test_by_area_gives_one_profile_per_area_with_missing_area_last():
    t0 = local("2024-01-09 10:00", "2024-01-09 10:30", "2024-01-10 22:00", "2024-01-11 05:00")
    prof = weekday_hour(events(t0, stadsdel=["ÄLVSJÖ", "SOLBERGA", "ÄLVSJÖ", None]), by="stadsdel")
    assert list(prof.columns) == ["stadsdel", "weekday", "hour", "weight"]
    assert len(prof) == 3 * 168
    assert prof["stadsdel"].iloc[::168].tolist() == ["SOLBERGA", "ÄLVSJÖ", None]
    sums = prof.groupby("stadsdel", dropna=False, sort=False)["weight"].sum()
    assert sums.tolist() == [1.0, 2.0, 1.0]
    alvsjo = prof[prof["stadsdel"] == "ÄLVSJÖ"]
    assert_weights(nonzero(alvsjo), {(1, 10): 1.0, (2, 22): 1.0})


def test_missing_and_reversed_times_are_left_out_with_a_warning():
    t0 = pd.DatetimeIndex([pd.NaT, *local("2024-01-09 10:00", "2024-01-09 12:00")])
    t1 = pd.DatetimeIndex([pd.NaT, *local("2024-01-09 10:00", "2024-01-09 11:00")])
    with pytest.warns(GeoTryggWarning) as record, gt_settings.use_lang("en"):
        prof = weekday_hour(events(t0, t1))
    texts = " ".join(str(r.message) for r in record)
    assert "1 events have no start time" in texts
    assert "1 events end before they start" in texts
    assert prof.attrs["n_events"] == 3
    assert prof.attrs["n_counted"] == 1
    assert (prof.attrs["n_missing_time"], prof.attrs["n_reversed_window"]) == (1, 1)
    assert prof["weight"].sum() == 1.0


def test_naive_times_are_read_as_local_time_with_a_warning():
    naive = pd.DataFrame({"time_from": pd.to_datetime(["2024-01-09 10:15"])})
    with pytest.warns(GeoTryggWarning, match="Europe/Stockholm") as record:
        prof = weekday_hour(naive)
    assert record[0].filename == __file__  # the warning points at the caller
    assert_weights(nonzero(prof), {(1, 10): 1.0})


def test_empty_input_gives_an_empty_table_that_says_why():
    ev = events(local("2024-01-09 10:00")).iloc[:0]
    with gt_settings.use_lang("en"):
        prof = weekday_hour(ev)
    assert prof.empty
    assert list(prof.columns) == ["weekday", "hour", "weight"]
    assert prof.attrs["notes"] == [
        "there are no events with a known time to count; the time profile is empty"
    ]


def test_bad_arguments_raise_config_error_naming_them():
    ev = events(local("2024-01-09 10:00"), stadsdel=["A"])
    with pytest.raises(ConfigError, match=r"by='lpo'.*'stadsdel'"):
        weekday_hour(ev, by="lpo")
    with pytest.raises(TypeError, match="lang"):  # no lang: the table holds codes
        weekday_hour(ev, lang="en")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="tz='Mars/Olympus'"):
        weekday_hour(ev, tz="Mars/Olympus")
    with pytest.raises(ConfigError, match="time_from"):
        weekday_hour(pd.DataFrame({"when": [1]}))
    with pytest.raises(ConfigError, match="dtype"):
        weekday_hour(pd.DataFrame({"time_from": ["2024-01-09 10:00"]}))
    with pytest.raises(ConfigError, match="DataFrame"):
        weekday_hour([1, 2, 3])  # type: ignore[arg-type]


def test_half_hour_time_zone_uses_local_clock_hours():
    # India is UTC+05:30: 10:00–11:00 local is one clock hour
    t0 = pd.DatetimeIndex(pd.to_datetime(["2024-01-09 10:00"])).tz_localize("Asia/Kolkata")
    prof = weekday_hour(events(t0, t0 + pd.Timedelta(hours=1)), tz="Asia/Kolkata")
    assert_weights(nonzero(prof), {(1, 10): 1.0})


# --- weekly series, hand-computed -------------------------------------------------------------


def weeks(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["week"], frame["weight"].astype(float), strict=True))


def test_window_across_a_week_boundary_is_split():
    ws = weekly_series(events(local("2024-03-10 23:00"), local("2024-03-11 01:00")))
    assert weeks(ws) == {"2024-W10": 0.5, "2024-W11": 0.5}
    assert ws["week_start"].tolist() == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-11")]


def test_week_split_follows_real_hours_over_spring_forward():
    # Sat 2024-03-30 00:00 → Tue 2024-04-02 00:00: 24 + 23 + 24 = 71 real hours,
    # 47 in W13 (Sat, Sun) and 24 in W14 (Mon)
    ws = weekly_series(events(local("2024-03-30 00:00"), local("2024-04-02 00:00")))
    got = weeks(ws)
    assert got == {"2024-W13": pytest.approx(47 / 71), "2024-W14": pytest.approx(24 / 71)}


def test_week_split_follows_real_hours_over_fall_back():
    # Sun 2024-10-27 00:00 → Mon 2024-10-28 01:00: 25 real hours on Sunday + 1 on Monday
    ws = weekly_series(events(local("2024-10-27 00:00"), local("2024-10-28 01:00")))
    assert weeks(ws) == {"2024-W43": pytest.approx(25 / 26), "2024-W44": pytest.approx(1 / 26)}


def test_weeks_without_events_are_listed_with_zero():
    ws = weekly_series(events(local("2024-03-05 12:00", "2024-03-28 12:00")))
    assert weeks(ws) == {"2024-W10": 1.0, "2024-W11": 0.0, "2024-W12": 0.0, "2024-W13": 1.0}


def test_start_and_end_extend_and_cut_the_weeks():
    ev = events(local("2024-03-05 12:00", "2024-03-28 12:00"))
    with gt_settings.use_lang("en"):
        ws = weekly_series(ev, start="2024-W09", end="2024-03-14")
    assert weeks(ws) == {"2024-W09": 0.0, "2024-W10": 1.0, "2024-W11": 0.0}
    assert ws.attrs["weight_outside"] == 1.0
    assert any("outside the weeks 2024-W09–2024-W11" in n for n in ws.attrs["notes"])
    # with nothing in range but an explicit range: zeros, and the note says what was left out
    ws = weekly_series(ev, start="2024-01-01", end="2024-01-07")
    assert weeks(ws) == {"2024-W01": 0.0}
    assert ws.attrs["weight_outside"] == 2.0


def test_iso_week_labels_across_new_year():
    ev = events(local("2024-12-31 12:00", "2021-01-01 12:00"))
    ws = weekly_series(ev, start="2024-12-30", end="2024-12-30")
    assert weeks(ws) == {"2025-W01": 1.0}
    ws = weekly_series(ev, start="2021-01-01", end="2021-01-01")
    assert weeks(ws) == {"2020-W53": 1.0}


def test_window_ending_at_monday_midnight_does_not_open_a_new_week():
    ws = weekly_series(events(local("2024-03-10 23:00"), local("2024-03-11 00:00")))
    assert weeks(ws) == {"2024-W10": 1.0}


def test_weekly_by_area_lists_every_week_per_area():
    t0 = local("2024-03-05 12:00", "2024-03-19 12:00")
    ws = weekly_series(events(t0, lpo=["Farsta", "Skärholmen"]), by="lpo")
    assert list(ws.columns) == ["lpo", "week", "week_start", "weight"]
    assert ws["lpo"].tolist() == ["Farsta"] * 3 + ["Skärholmen"] * 3
    assert ws["weight"].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]


def test_weekly_bad_arguments():
    ev = events(local("2024-03-05 12:00"))
    with pytest.raises(ConfigError, match="start='nästa vecka'"):
        weekly_series(ev, start="nästa vecka")
    with pytest.raises(ConfigError, match="comes after"):
        weekly_series(ev, start="2024-03-20", end="2024-03-01")


# --- properties -------------------------------------------------------------------------------

_ORIGIN = dt.datetime(2024, 3, 28, tzinfo=dt.UTC)  # spans both 2024 DST changes within ~7 months


@st.composite
def event_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 25))
    # starts near the DST changes and elsewhere, whole minutes; windows up to 3 days
    start_min = draw(
        st.lists(
            st.one_of(
                st.integers(0, 7 * 24 * 60),  # around 2024-03-31
                st.integers(210 * 24 * 60, 216 * 24 * 60),  # around 2024-10-27
            ),
            min_size=n,
            max_size=n,
        )
    )
    dur_min = draw(
        st.lists(st.one_of(st.just(0), st.integers(1, 3 * 24 * 60)), min_size=n, max_size=n)
    )
    area = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=n, max_size=n))
    t0 = pd.DatetimeIndex([_ORIGIN + dt.timedelta(minutes=m) for m in start_min]).tz_convert(TZ)
    t1 = t0 + pd.to_timedelta(dur_min, unit="min")
    return pd.DataFrame({"time_from": t0, "time_to": t1, "area": area})


def minute_by_minute(frame: pd.DataFrame) -> dict[tuple[int, int], float]:
    """Second method: walk each window minute by minute in zoneinfo local time."""
    zone = ZoneInfo(TZ)
    out: dict[tuple[int, int], float] = {}
    for t0, t1 in zip(frame["time_from"], frame["time_to"], strict=True):
        start = t0.to_pydatetime().astimezone(dt.UTC)
        minutes = int((t1 - t0).total_seconds() // 60)
        if minutes == 0:
            lt = start.astimezone(zone)
            out[(lt.weekday(), lt.hour)] = out.get((lt.weekday(), lt.hour), 0.0) + 1.0
            continue
        for k in range(minutes):
            lt = (start + dt.timedelta(minutes=k)).astimezone(zone)
            out[(lt.weekday(), lt.hour)] = out.get((lt.weekday(), lt.hour), 0.0) + 1 / minutes
    return out


@settings(max_examples=25, deadline=None)
@given(event_frames())
def test_weekday_hour_matches_minute_by_minute_count(frame: pd.DataFrame):
    got = nonzero(weekday_hour(frame))
    expected = minute_by_minute(frame)
    assert set(got) == {k for k, v in expected.items() if v > 1e-12}
    for key, value in expected.items():
        assert got.get(key, 0.0) == pytest.approx(value, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(event_frames(), st.randoms(use_true_random=False))
def test_totals_reconcile_and_row_order_does_not_matter(frame: pd.DataFrame, rnd):
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order]
    for by in (None, "area"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # clean input: no warnings expected
            prof = weekday_hour(frame, by=by)
            series = weekly_series(frame, by=by)
        assert prof["weight"].sum() == pytest.approx(len(frame), abs=1e-9)
        assert series["weight"].sum() == pytest.approx(len(frame), abs=1e-9)
        assert (prof["weight"] >= 0).all()
        pd.testing.assert_frame_equal(weekday_hour(shuffled, by=by), prof, check_exact=True)
        pd.testing.assert_frame_equal(weekly_series(shuffled, by=by), series, check_exact=True)


@settings(max_examples=25, deadline=None)
@given(event_frames())
def test_by_area_profiles_add_up_to_the_overall_profile(frame: pd.DataFrame):
    overall = weekday_hour(frame)["weight"].to_numpy()
    per_area = weekday_hour(frame, by="area")
    summed = per_area.groupby(["weekday", "hour"])["weight"].sum().to_numpy()
    np.testing.assert_allclose(summed, overall, atol=1e-9)
