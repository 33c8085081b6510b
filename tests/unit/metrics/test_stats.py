"""Confidence intervals checked against published reference values and hand derivations."""

import math

import pytest
from scipy import stats as scipy_stats

from metrics.errors import MetricsInputError
from metrics.stats import byar_ci, proportion_ci, rate_ci, se_from_interval, wilson_ci


@pytest.mark.parametrize(
    ("successes", "trials", "lower", "upper"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_worked_examples(successes, trials, lower, upper):
    result = wilson_ci(successes, trials)
    assert result == pytest.approx((lower, upper), abs=5e-5)


def test_wilson_is_symmetric_between_successes_and_failures():
    lower, upper = wilson_ci(15, 148)
    mirror_lower, mirror_upper = wilson_ci(133, 148)
    assert (mirror_lower, mirror_upper) == pytest.approx((1 - upper, 1 - lower))


def test_wilson_all_successes_reaches_one():
    assert wilson_ci(20, 20)[1] == 1.0
    assert wilson_ci(20, 20)[0] == pytest.approx(1 - 0.1611, abs=5e-5)


def test_wilson_wider_at_higher_confidence():
    narrow = wilson_ci(81, 263, confidence=0.95)
    wide = wilson_ci(81, 263, confidence=0.99)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [
        # Exact Poisson 95% limits from standard tables (e.g. Documenta Geigy; Garwood 1936).
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (5, 1.6235, 11.6683),
        (9, 4.1154, 17.0848),
    ],
)
def test_exact_poisson_limits_below_ten(count, lower, upper):
    assert byar_ci(count) == pytest.approx((lower, upper), abs=5e-4)


def test_byar_for_twenty_matches_hand_derivation():
    """Byar for O = 20, z = 1.959964.

    lower = 20 (1 - 1/180 - 1.959964/(3 sqrt 20))^3 = 20 (1 - 0.005556 - 0.146087)^3
          = 20 x 0.848357^3 = 20 x 0.610571 = 12.211
    upper = 21 (1 - 1/189 + 1.959964/(3 sqrt 21))^3 = 21 (1 - 0.005291 + 0.142566)^3
          = 21 x 1.137275^3 = 21 x 1.470947 = 30.890
    """
    assert byar_ci(20) == pytest.approx((12.211, 30.890), abs=1e-3)


def test_byar_used_from_ten_and_exact_below():
    """At 10 Byar gives a lower limit of 4.7874; the exact method would give 4.7954."""
    exact_lower_at_ten = scipy_stats.chi2.ppf(0.025, 20) / 2
    assert byar_ci(10)[0] == pytest.approx(4.7874, abs=1e-4)
    assert exact_lower_at_ten == pytest.approx(4.7954, abs=1e-4)


def test_rate_ci_scales_the_count_interval():
    lower, upper = rate_ci(20, 4000, per=1000)
    assert (lower, upper) == pytest.approx((12.211 / 4, 30.890 / 4), abs=1e-3)


def test_proportion_ci_is_a_percentage_by_default():
    assert proportion_ci(81, 263) == pytest.approx((25.53, 36.62), abs=0.01)
    assert proportion_ci(81, 263, per=1000) == pytest.approx((255.3, 366.2), abs=0.1)


def test_standard_error_from_a_95_percent_interval():
    assert se_from_interval(lower=10.0, upper=13.92) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: wilson_ci(-1, 10), "successes must not be negative (got -1)"),
        (lambda: wilson_ci(11, 10), "successes (11) must not be greater than trials (10)"),
        (lambda: wilson_ci(0, 0), "trials must be greater than 0 (got 0)"),
        (lambda: wilson_ci(1.5, 10), "successes must be a whole number (got 1.5)"),
        (lambda: wilson_ci(math.nan, 10), "successes must be a finite number (got nan)"),
        (lambda: wilson_ci(1, 10, confidence=1.0), "confidence must be between 0 and 1"),
        (lambda: wilson_ci(1, 10, confidence=0), "confidence must be between 0 and 1"),
        (lambda: wilson_ci(1, 10, confidence=math.nan), "confidence must be between 0 and 1"),
        (lambda: wilson_ci("1", 10), "successes must be a number (got '1')"),
        (lambda: byar_ci(-3), "count must not be negative (got -3)"),
        (lambda: byar_ci(2.5), "count must be a whole number (got 2.5)"),
        (lambda: byar_ci(True), "count must be a number (got True)"),
        (lambda: byar_ci(5, confidence=95), "confidence must be between 0 and 1"),
        (lambda: rate_ci(5, 0, per=1000), "denominator must be greater than 0 (got 0)"),
        (lambda: rate_ci(5, 100, per=-1), "per must be greater than 0 (got -1)"),
        (lambda: se_from_interval(lower=5, upper=4), "upper (4) must not be below lower (5)"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(call, message):
    with pytest.raises(MetricsInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
