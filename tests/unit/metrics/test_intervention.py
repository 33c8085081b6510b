"""Before and after an intervention: real changes found, noise left alone."""

import math
from datetime import date

import numpy as np
import pytest

from metrics.errors import MetricsInputError
from metrics.intervention import before_after

MONTHS = [date(2018, month, 1) for month in range(1, 13)]
EVENT = date(2018, 7, 1)
FALL = [14, 15, 13, 14, 16, 13, 4, 5, 4, 3, 5, 4]  # mean 14.2 -> 4.2, a 71% fall
NOISE = [10, 12, 9, 11, 10, 12, 11, 9, 12, 10, 11, 10]


def test_a_seventy_percent_fall_is_beyond_common_cause():
    result = before_after(values=FALL, dates=MONTHS, event_date=EVENT, polarity="lower_is_better")
    assert result.significant is True
    assert result.improved is True
    assert result.mean_before == pytest.approx(85 / 6)
    assert result.mean_after == pytest.approx(25 / 6)
    assert result.percent_change == pytest.approx(-70.588, abs=1e-3)
    assert result.verdict == (
        "Mean fell 71% from 14.2 to 4.2 a month over the 6 months after 1 Jul 2018; the fall is "
        "beyond common-cause variation (the after mean is below the lower limit of 11.9 set by "
        "the month-to-month variation either side)"
    )


def test_limits_match_hand_calculation():
    """Moving ranges within each side; the 13 -> 4 jump across the event is left out.

    Before 14, 15, 13, 14, 16, 13: ranges 1, 2, 1, 2, 3. After 4, 5, 4, 3, 5, 4: ranges
    1, 1, 1, 2, 1. Mean of the ten ranges 15 / 10 = 1.5; sigma = 1.5 / 1.128 = 1.3298;
    margin = 3 x 1.3298 x sqrt(1/6 + 1/6) = 2.3033; limits = 14.1667 -/+ 2.3033
    = 11.8634 to 16.4699.
    """
    result = before_after(values=FALL, dates=MONTHS, event_date=EVENT, polarity="lower_is_better")
    assert result.limits == pytest.approx((11.8634, 16.4699), abs=1e-4)


def test_pure_noise_is_not_significant():
    result = before_after(values=NOISE, dates=MONTHS, event_date=EVENT, polarity="lower_is_better")
    assert result.significant is False
    assert result.improved is None
    assert "the fall is not distinguishable from common-cause variation" in result.verdict
    assert result.verdict.startswith("Mean fell 2% from 10.7 to 10.5 a month")


def test_false_alarms_are_rare_and_real_falls_are_found():
    rng = np.random.default_rng(20180601)
    noise_alarms = sum(
        before_after(values=list(rng.poisson(12, 12)), dates=MONTHS, event_date=EVENT,
                     polarity="lower_is_better").significant
        for _ in range(300)
    )
    falls_found = sum(
        before_after(values=list(rng.poisson(14, 6)) + list(rng.poisson(4.2, 6)), dates=MONTHS,
                     event_date=EVENT, polarity="lower_is_better").significant
        for _ in range(300)
    )
    # Simulation over many more series: about 2% false alarms and 98% of such falls found.
    assert noise_alarms / 300 < 0.05
    assert falls_found / 300 > 0.9


def test_a_rise_is_worded_as_a_rise_and_judged_by_polarity():
    rise = list(reversed(FALL))
    result = before_after(values=rise, dates=MONTHS, event_date=EVENT, polarity="lower_is_better")
    assert result.significant is True
    assert result.improved is False
    assert result.verdict.startswith("Mean rose 240% from 4.2 to 14.2 a month")
    assert "the after mean is above the upper limit of" in result.verdict


def test_quarterly_wording():
    quarters = [date(2015 + (m // 4), [4, 7, 10, 1][m % 4], 1) for m in range(12)]
    quarters = [d if d.month != 1 else date(d.year + 1, 1, 1) for d in quarters]
    result = before_after(values=FALL, dates=quarters, event_date=quarters[6], polarity="no_judgement",
                          frequency="quarterly")
    assert " a quarter over the 6 quarters after " in result.verdict
    assert result.improved is None


@pytest.mark.parametrize(
    ("values", "event", "verdict"),
    [
        (FALL, date(2018, 9, 1), "Not enough data to judge: 6 months with data before and 4 after "
                                 "1 Sep 2018; needs 6 each side"),
        (FALL, date(2018, 3, 1), "Not enough data to judge: 2 months with data before and 6 after "
                                 "1 Mar 2018; needs 6 each side"),
        (FALL[:8] + [math.nan] + FALL[9:], EVENT, "Not enough data to judge: 6 months with data "
                                                  "before and 5 after 1 Jul 2018; needs 6 each side"),
    ],
)
def test_not_enough_periods_says_so(values, event, verdict):
    result = before_after(values=values, dates=MONTHS, event_date=event, polarity="lower_is_better")
    assert result.significant is False
    assert result.mean_before is None
    assert result.verdict == verdict


def test_fewer_periods_can_be_asked_for():
    result = before_after(values=FALL, dates=MONTHS, event_date=date(2018, 9, 1), periods=4,
                          polarity="lower_is_better")
    assert result.verdict.startswith("Mean fell")
    assert "over the 4 months after 1 Sep 2018" in result.verdict


def test_dates_need_not_be_sorted_and_inputs_are_not_changed():
    values, dates = list(reversed(FALL)), list(reversed(MONTHS))
    result = before_after(values=values, dates=dates, event_date=EVENT, polarity="lower_is_better")
    assert result.mean_after == pytest.approx(25 / 6)
    assert values == list(reversed(FALL)) and dates == list(reversed(MONTHS))


def test_zero_before_mean_has_no_percentage():
    values = [0] * 6 + [3, 2, 4, 3, 2, 3]
    result = before_after(values=values, dates=MONTHS, event_date=EVENT, polarity="lower_is_better")
    assert result.percent_change is None
    assert result.verdict.startswith("Mean rose from 0.0 to 2.8 a month")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"values": FALL[:11]}, r"values \(11\) and dates \(12\) must be the same length"),
        ({"dates": [MONTHS[0]] * 12}, "dates must not repeat"),
        ({"periods": 1}, r"periods must be a whole number of at least 2 \(got 1\)"),
        ({"periods": 2.5}, r"periods must be a whole number of at least 2 \(got 2.5\)"),
        ({"frequency": "weekly"}, "frequency must be one of"),
    ],
)
def test_bad_input_is_rejected(arguments, message):
    base = {"values": FALL, "dates": MONTHS, "event_date": EVENT, "polarity": "lower_is_better"}
    with pytest.raises(MetricsInputError, match=message):
        before_after(**(base | arguments))
