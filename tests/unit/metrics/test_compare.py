"""Benchmark comparison (Fingertips rules) across every polarity."""

import math

import pytest

from metrics.compare import compare_with_benchmark
from metrics.enums import Comparison, Polarity
from metrics.errors import MetricsInputError

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
NONE = Polarity.NO_JUDGEMENT


@pytest.mark.parametrize(
    ("benchmark_value", "polarity", "expected"),
    [
        (9.9, HIGHER, Comparison.BETTER),  # interval (10, 14) wholly above the benchmark
        (9.9, LOWER, Comparison.WORSE),
        (9.9, NONE, Comparison.HIGHER),
        (10.0, HIGHER, Comparison.SIMILAR),  # on the lower bound: inside, inclusive
        (12.0, LOWER, Comparison.SIMILAR),
        (14.0, NONE, Comparison.SIMILAR),  # on the upper bound
        (14.1, HIGHER, Comparison.WORSE),
        (14.1, LOWER, Comparison.BETTER),
        (14.1, NONE, Comparison.LOWER),
    ],
)
def test_benchmark_against_the_interval(benchmark_value, polarity, expected):
    result = compare_with_benchmark(value=12.0, lower=10.0, upper=14.0, benchmark=benchmark_value,
                                    polarity=polarity)
    assert result is expected


@pytest.mark.parametrize(
    "missing",
    [
        {"lower": None}, {"upper": None}, {"benchmark": None}, {"value": None},
        {"lower": math.nan}, {"benchmark": math.nan},
    ],
)
def test_not_compared_without_an_interval_or_benchmark(missing):
    arguments = {"value": 12.0, "lower": 10.0, "upper": 14.0, "benchmark": 5.0,
                 "polarity": HIGHER} | missing
    assert compare_with_benchmark(**arguments) is Comparison.NOT_COMPARED


def test_an_area_is_never_compared_with_itself():
    result = compare_with_benchmark(value=12.0, lower=10.0, upper=14.0, benchmark=5.0,
                                    polarity=HIGHER, same_area=True)
    assert result is Comparison.NOT_COMPARED


def test_reversed_interval_is_rejected():
    with pytest.raises(MetricsInputError, match=r"upper \(10.0\) must not be below lower \(14.0\)"):
        compare_with_benchmark(value=12.0, lower=14.0, upper=10.0, benchmark=5.0, polarity=HIGHER)


def test_polarity_code_is_accepted_and_checked():
    assert compare_with_benchmark(value=12.0, lower=10.0, upper=14.0, benchmark=5.0,
                                  polarity="lower_is_better") is Comparison.WORSE
    with pytest.raises(MetricsInputError, match="polarity must be one of"):
        compare_with_benchmark(value=12.0, lower=10.0, upper=14.0, benchmark=5.0,
                               polarity="better")


@pytest.mark.parametrize(
    ("comparison", "label"),
    [
        (Comparison.BETTER, "Better"), (Comparison.SIMILAR, "Similar"),
        (Comparison.WORSE, "Worse"), (Comparison.HIGHER, "Higher"),
        (Comparison.LOWER, "Lower"), (Comparison.NOT_COMPARED, "Not compared"),
    ],
)
def test_comparison_labels(comparison, label):
    assert comparison.label == label
