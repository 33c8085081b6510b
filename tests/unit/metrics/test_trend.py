"""Direction of travel (Fingertips weighted regression, 99.8% chi-squared)."""

import math

import numpy as np
import pytest

from metrics.enums import Polarity, TrendDirection
from metrics.errors import MetricsInputError
from metrics.trend import direction_of_travel, se_from_interval

RISING = [10.0, 11.0, 12.0, 13.0, 14.0]  # slope 1.0; with SE 1.0, X^2 = 10.0 > 9.55
FALLING = list(reversed(RISING))
GENTLE = [10.0, 10.9, 11.8, 12.7, 13.6]  # slope 0.9; X^2 = 8.1 < 9.55
ONES = [1.0] * 5


@pytest.mark.parametrize(
    ("values", "polarity", "direction"),
    [
        (RISING, Polarity.HIGHER_IS_BETTER, TrendDirection.INCREASING_BETTER),
        (RISING, Polarity.LOWER_IS_BETTER, TrendDirection.INCREASING_WORSE),
        (RISING, Polarity.NO_JUDGEMENT, TrendDirection.INCREASING),
        (FALLING, Polarity.HIGHER_IS_BETTER, TrendDirection.DECREASING_WORSE),
        (FALLING, Polarity.LOWER_IS_BETTER, TrendDirection.DECREASING_BETTER),
        (FALLING, Polarity.NO_JUDGEMENT, TrendDirection.DECREASING),
        (GENTLE, Polarity.HIGHER_IS_BETTER, TrendDirection.NO_SIGNIFICANT_CHANGE),
        (list(reversed(GENTLE)), Polarity.LOWER_IS_BETTER, TrendDirection.NO_SIGNIFICANT_CHANGE),
    ],
)
def test_direction_by_polarity_and_significance(values, polarity, direction):
    assert direction_of_travel(values=values, standard_errors=ONES, polarity=polarity).direction is direction


def test_chi_squared_statistic_matches_hand_calculation():
    result = direction_of_travel(values=RISING, standard_errors=ONES, polarity="higher_is_better")
    assert result.slope == pytest.approx(1.0)
    assert result.chi_squared == pytest.approx(10.0)
    # Doubling the standard errors quarters the statistic: 10 / 4 = 2.5, no longer significant.
    wider = direction_of_travel(values=RISING, standard_errors=[2.0] * 5, polarity="higher_is_better")
    assert wider.chi_squared == pytest.approx(2.5)
    assert wider.label == "No significant change"


def test_weighted_slope_agrees_with_numpy_weighted_fit():
    values = [12.0, 15.0, 11.0, 18.0, 21.0]
    errors = [1.0, 3.0, 0.5, 2.0, 1.5]
    expected_slope = np.polyfit(range(5), values, 1, w=[1 / e for e in errors])[0]
    result = direction_of_travel(values=values, standard_errors=errors, polarity="no_judgement")
    assert result.slope == pytest.approx(expected_slope)


def test_only_the_last_five_points_count():
    older = [100.0, -50.0, 70.0]
    result = direction_of_travel(values=older + GENTLE, standard_errors=[1.0] * 3 + ONES,
                                 polarity="higher_is_better")
    assert result.direction is TrendDirection.NO_SIGNIFICANT_CHANGE
    assert result.points_used == 5


@pytest.mark.parametrize(
    ("values", "errors", "reason"),
    [
        (RISING[:4], ONES[:4], "Needs at least 5 points (has 4)"),
        (RISING, [1.0, 1.0, None, 1.0, 1.0], "Needs a value and a standard error above 0"),
        (RISING, [1.0, 1.0, math.nan, 1.0, 1.0], "Needs a value and a standard error above 0"),
        (RISING, [1.0, 0.0, 1.0, 1.0, 1.0], "Needs a value and a standard error above 0"),
        ([10.0, None, 12.0, 13.0, 14.0], ONES, "Needs a value and a standard error above 0"),
    ],
)
def test_cannot_be_calculated(values, errors, reason):
    result = direction_of_travel(values=values, standard_errors=errors, polarity="higher_is_better")
    assert result.direction is TrendDirection.CANNOT_BE_CALCULATED
    assert result.label == "Cannot be calculated"
    assert result.reason.startswith(reason)


def test_mismatched_lengths_are_rejected():
    message = r"values \(5\) and standard_errors \(4\) must be the same length"
    with pytest.raises(MetricsInputError, match=message):
        direction_of_travel(values=RISING, standard_errors=ONES[:4], polarity="higher_is_better")


def test_standard_error_from_interval_uses_the_confidence_level():
    assert se_from_interval(lower=8.04, upper=11.96) == pytest.approx(1.0, abs=1e-3)
    assert se_from_interval(lower=7.424, upper=12.576, confidence=0.99) == pytest.approx(1.0, abs=1e-3)
