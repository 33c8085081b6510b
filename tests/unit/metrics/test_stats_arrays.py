"""The array intervals give what the scalar ones give, row by row, on random inputs."""

import math

import numpy as np
import pytest

from metrics.errors import MetricsInputError
from metrics.stats import (
    byar_ci,
    byar_ci_array,
    proportion_ci,
    proportion_ci_array,
    rate_ci,
    rate_ci_array,
    wilson_ci,
    wilson_ci_array,
)

RANDOM = np.random.default_rng(20261201)


def _close(array_bounds, scalar_bounds) -> None:
    for got, want in zip(array_bounds, scalar_bounds, strict=True):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_matches_the_scalar_interval(confidence):
    trials = RANDOM.integers(1, 5_000, size=300)
    successes = (RANDOM.random(300) * (trials + 1)).astype(int).clip(max=trials)
    lower, upper = wilson_ci_array(successes, trials, confidence=confidence)
    for k, n, low, high in zip(successes, trials, lower, upper, strict=True):
        _close((low, high), wilson_ci(int(k), int(n), confidence=confidence))


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_byar_matches_the_scalar_interval_on_both_sides_of_ten(confidence):
    counts = np.concatenate([np.arange(0, 30), RANDOM.integers(0, 100_000, size=200)])
    lower, upper = byar_ci_array(counts, confidence=confidence)
    for count, low, high in zip(counts, lower, upper, strict=True):
        _close((low, high), byar_ci(int(count), confidence=confidence))


def test_rate_and_proportion_match_the_scalar_intervals():
    counts = RANDOM.integers(0, 2_000, size=200)
    populations = RANDOM.random(200) * 50_000 + counts + 1
    lower, upper = rate_ci_array(counts, populations, per=1_000)
    for count, population, low, high in zip(counts, populations, lower, upper, strict=True):
        _close((low, high), rate_ci(int(count), float(population), per=1_000))
    trials = np.round(populations)
    lower, upper = proportion_ci_array(counts, trials)
    for count, n, low, high in zip(counts, trials, lower, upper, strict=True):
        _close((low, high), proportion_ci(int(count), int(n)))


def test_missing_counts_and_empty_denominators_give_no_interval():
    lower, upper = rate_ci_array([math.nan, 12, 12], [100, 0, math.nan], per=1_000)
    assert np.isnan(lower).all() and np.isnan(upper).all()
    lower, _ = wilson_ci_array([3, math.nan], [0, 10])
    assert np.isnan(lower).all()
    assert byar_ci_array([math.nan, 4])[0][1] == pytest.approx(byar_ci(4)[0])


@pytest.mark.parametrize("call, message", [
    (lambda: byar_ci_array([3, -1]), "must not be negative"),
    (lambda: wilson_ci_array([11], [10]), "must not be greater than trials"),
    (lambda: byar_ci_array([2.5]), "whole numbers"),
    (lambda: rate_ci_array([3], [10], per=0), "per must be greater than 0"),
])
def test_bad_input_is_refused_as_by_the_scalar_functions(call, message):
    with pytest.raises(MetricsInputError, match=message):
        call()
