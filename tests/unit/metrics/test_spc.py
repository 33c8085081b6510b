"""XmR charts: limits, each special-cause rule with a near miss, variation and assurance."""

import math

import pytest

from metrics.enums import Polarity, Variation
from metrics.errors import MetricsInputError
from metrics.spc import target_assurance, xmr

OUTSIDE = "Outside limits"
RUN = "Run of 7 on one side of the mean"
TREND = "Trend of 7 rising or falling"
TWO_OF_THREE = "Two of three beyond two thirds of the limits"
STEADY = [10, 12, 11, 10, 12, 11, 10, 12, 11, 10, 12, 11]


def flagged(values, rule, **options):
    chart = xmr(values=values, **options)
    return [index for index, point in enumerate(chart.points) if rule in point.rules]


def test_limits_are_mean_plus_or_minus_2_66_mean_moving_ranges():
    chart = xmr(values=[10, 12, 12, 10])
    assert chart.mean == pytest.approx(11.0)
    assert chart.mean_moving_range == pytest.approx(4 / 3)  # ranges 2, 0, 2
    assert chart.upper_limit == pytest.approx(11.0 + 2.66 * 4 / 3)
    assert chart.lower_limit == pytest.approx(11.0 - 2.66 * 4 / 3)
    assert chart.values == (10.0, 12.0, 12.0, 10.0)


def test_outside_limits_flags_the_spike_only():
    # Mean 12.2, mean moving range 2.57, upper limit 19.04.
    assert flagged(STEADY + [11, 10, 30], OUTSIDE) == [14]


@pytest.mark.parametrize(("last", "outside"), [(15.5, False), (15.8, True)])
def test_outside_limits_near_miss(last, outside):
    # The last point moves the limits too: 15.5 gives an upper limit of 15.67 (inside it),
    # 15.8 gives 15.76 (just outside).
    assert flagged(STEADY + [last], OUTSIDE) == ([12] if outside else [])


def test_run_of_seven_above_the_mean():
    values = [10, 12, 10, 12, 10, 12, 10, 12, 11.5, 12, 11.5, 12, 11.5, 12, 10, 12, 10]
    assert flagged(values, RUN) == list(range(7, 14))


def test_run_of_six_is_a_near_miss():
    values = [10, 12, 10, 12, 10, 12, 10, 12, 11.5, 12, 11.5, 12, 11.5, 10, 12, 10]
    assert flagged(values, RUN) == []


def test_point_on_the_mean_breaks_a_run():
    # Mean exactly 11.0: seven points below it and seven above, each group split by an 11.
    values = [9, 9, 9, 11, 9, 9, 9, 9, 13, 13, 13, 11, 13, 13, 13, 13]
    assert xmr(values=values).mean == 11.0
    assert flagged(values, RUN) == []


def test_trend_of_seven_rising():
    values = [11, 10, 12, 10, 12, 8, 9, 10, 11, 12, 13, 14, 11, 10, 12]
    assert flagged(values, TREND) == list(range(5, 12))


def test_trend_of_seven_falling_is_flagged_low():
    values = [11, 10, 12, 10, 12, 14, 13, 12, 11, 10, 9, 8, 11, 10, 12]
    chart = xmr(values=values, polarity="lower_is_better")
    assert flagged(values, TREND) == list(range(5, 12))
    assert {signal.side.value for signal in chart.points[8].signals} == {"low"}


def test_trend_of_six_is_a_near_miss():
    values = [11, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 11, 10, 12]
    assert flagged(values, TREND) == []


def test_equal_neighbours_break_a_trend():
    values = [11, 10, 12, 10, 12, 8, 9, 10, 10, 11, 12, 13, 11, 10, 12]
    assert flagged(values, TREND) == []


def test_two_of_three_beyond_two_thirds_on_one_side():
    # Upper limit 17.13; two thirds of the way up is 15.26.
    values = STEADY + [15.5, 11, 15.5, 11, 10, 12]
    assert flagged(values, TWO_OF_THREE) == [12, 14]


def test_two_of_three_below():
    values = STEADY + [6.6, 11, 6.6, 11, 10, 12]
    assert flagged(values, TWO_OF_THREE) == [12, 14]


@pytest.mark.parametrize(("high", "flags"), [(14.8, []), (15.0, [12, 14])])
def test_two_of_three_threshold_is_two_thirds_of_the_way_to_the_limit(high, flags):
    # With 14.8 the two-thirds line is 14.89 (both points just inside); with 15.0 it is 14.99.
    assert flagged(STEADY + [high, 11, high, 11, 10, 12], TWO_OF_THREE) == flags


@pytest.mark.parametrize(
    "tail",
    [
        [15.5, 11, 11, 15.5, 10, 12],  # two beyond, but four apart: never two in three
        [15.5, 11, 6.5, 11, 10, 12],  # two beyond, on opposite sides
    ],
)
def test_two_of_three_near_misses(tail):
    assert flagged(STEADY + tail, TWO_OF_THREE) == []


def test_steady_series_is_common_cause():
    chart = xmr(values=STEADY, polarity="higher_is_better")
    assert chart.variation is Variation.COMMON_CAUSE
    assert not any(point.special_cause for point in chart.points)


@pytest.mark.parametrize(
    ("polarity", "variation"),
    [
        (Polarity.HIGHER_IS_BETTER, Variation.IMPROVING),
        (Polarity.LOWER_IS_BETTER, Variation.CONCERNING),
        (Polarity.NO_JUDGEMENT, Variation.HIGHER),
    ],
)
def test_variation_reads_the_latest_point_by_polarity(polarity, variation):
    assert xmr(values=STEADY + [11, 10, 30], polarity=polarity).variation is variation


def test_low_signal_on_the_latest_point():
    values = STEADY + [11, 10, 0]
    assert xmr(values=values, polarity="higher_is_better").variation is Variation.CONCERNING
    assert xmr(values=values, polarity="lower_is_better").variation is Variation.IMPROVING
    assert xmr(values=values).variation is Variation.LOWER


def test_latest_point_with_signals_on_both_sides_is_mixed():
    # Seven rising points (high signal) that are all below the mean (low run).
    values = [30, 31, 30, 31, 30, 31, 30, 31, 10, 11, 12, 13, 14, 15, 16]
    chart = xmr(values=values, polarity="higher_is_better")
    assert chart.variation is Variation.MIXED
    assert chart.variation.label == "Special cause variation: mixed signals"


def test_old_special_cause_does_not_colour_the_latest_reading():
    values = [10, 14, 10, 14, 40, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14]
    chart = xmr(values=values, polarity="higher_is_better")
    assert chart.points[4].rules == (OUTSIDE,)
    assert chart.variation is Variation.COMMON_CAUSE


def test_lower_limit_floored_at_zero_only_when_asked():
    values = [1, 0, 3, 0, 2, 0, 4, 0, 1]
    assert xmr(values=values).lower_limit == pytest.approx(1.2222 - 2.66 * 2.5, abs=1e-3)
    assert xmr(values=values, floor_at_zero=True).lower_limit == 0.0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([5], r"An XmR chart needs at least 2 values \(got 1\)"),
        ([5, math.nan, 6], "An XmR chart cannot have missing values"),
        ([5, None, 6], "An XmR chart cannot have missing values"),
    ],
)
def test_bad_series_is_rejected(values, message):
    with pytest.raises(MetricsInputError, match=message):
        xmr(values=values)


@pytest.mark.parametrize(
    ("target", "polarity", "assurance"),
    [
        # Limits of [10, 12, 12, 10]: 7.45 to 14.55.
        (6.0, Polarity.HIGHER_IS_BETTER, "Consistently passing"),
        (16.0, Polarity.HIGHER_IS_BETTER, "Consistently failing"),
        (16.0, Polarity.LOWER_IS_BETTER, "Consistently passing"),
        (6.0, Polarity.LOWER_IS_BETTER, "Consistently failing"),
        (11.0, Polarity.HIGHER_IS_BETTER, "Inconsistent (target within process limits)"),
        (11.0 + 2.66 * 4 / 3, Polarity.LOWER_IS_BETTER, "Inconsistent (target within process limits)"),
        (6.0, Polarity.NO_JUDGEMENT, "Not assessed (indicator has no better direction)"),
    ],
)
def test_target_assurance(target, polarity, assurance):
    chart = xmr(values=[10, 12, 12, 10])
    assert target_assurance(spc=chart, target=target, polarity=polarity) == assurance


def test_target_assurance_needs_a_target():
    with pytest.raises(MetricsInputError, match="target must be a number"):
        target_assurance(spc=xmr(values=[1, 2]), target=None, polarity="higher_is_better")
