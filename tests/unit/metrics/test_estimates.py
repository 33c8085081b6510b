"""Published estimates are judged with their published limits, or a survey's Wilson interval on its base."""

import pytest

from metrics.compare import compare_with_benchmark
from metrics.enums import Comparison
from metrics.errors import MetricsInputError
from metrics.estimates import estimate_interval, wilson_percent_interval
from metrics.stats import proportion_ci


def test_wilson_percent_interval_matches_the_counted_wilson_interval_for_whole_respondents():
    assert wilson_percent_interval(percent=81 / 263 * 100, base=263) == pytest.approx(proportion_ci(81, 263))


@pytest.mark.parametrize("percent, base", [(101, 50), (-1, 50), (50, 0), (None, 10)])
def test_wilson_percent_interval_rejects_what_it_cannot_judge(percent, base):
    with pytest.raises(MetricsInputError):
        wilson_percent_interval(percent=percent, base=base)


@pytest.mark.parametrize("estimate_type, value, lower, upper, base, interval", [
    ("age_standardised_rate", 512.3, 470.1, 557.0, None, (470.1, 557.0)),
    ("standardised_ratio", 104.0, 96.5, 112.1, None, (96.5, 112.1)),
    ("weighted_survey_percent", 58.3, 50.0, 66.0, 44, (50.0, 66.0)),  # published limits win over the base
    ("weighted_survey_percent", 58.3, None, None, 44, (43.6, 71.6)),
    ("age_standardised_rate", 512.3, None, None, None, None),
    ("weighted_survey_percent", 58.3, None, None, None, None),
    ("weighted_survey_percent", None, None, None, 44, None),
])
def test_estimate_interval(estimate_type, value, lower, upper, base, interval):
    found = estimate_interval(estimate_type=estimate_type, value=value, lower=lower, upper=upper,
                              unweighted_base=base)
    if interval is None:
        assert found is None
    else:
        assert found == pytest.approx(interval, abs=0.05)


def test_estimate_interval_rejects_limits_the_wrong_way_round_and_unknown_types():
    with pytest.raises(MetricsInputError):
        estimate_interval(estimate_type="age_standardised_rate", value=5, lower=6, upper=4, unweighted_base=None)
    with pytest.raises(MetricsInputError, match="estimate_type must be one of"):
        estimate_interval(estimate_type="guess", value=5, lower=4, upper=6, unweighted_base=None)


def test_a_survey_estimate_is_compared_with_its_wilson_interval():
    lower, upper = estimate_interval(estimate_type="weighted_survey_percent", value=58.3, lower=None, upper=None,
                                     unweighted_base=44)
    assert compare_with_benchmark(value=58.3, lower=lower, upper=upper, benchmark=75.0,
                                  polarity="higher_is_better") is Comparison.WORSE
    assert compare_with_benchmark(value=58.3, lower=lower, upper=upper, benchmark=65.0,
                                  polarity="higher_is_better") is Comparison.SIMILAR
