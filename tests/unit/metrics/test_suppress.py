"""Disclosure control: what is a small number, and its marker (the decision is in test_disclosure)."""

import math

import pandas as pd
import pytest

from metrics.errors import MetricsInputError
from metrics.suppress import SMALL_NUMBER_THRESHOLD, is_small, small_marker


def test_threshold_is_five():
    assert SMALL_NUMBER_THRESHOLD == 5


@pytest.mark.parametrize(
    ("count", "threshold", "small"),
    [(0, 5, False), (1, 5, True), (4, 5, True), (5, 5, False), (4.0, 5, True), (4.5, 5, True),
     (None, 5, False), (math.nan, 5, False), (9, 10, True), (10, 10, False)],
)
def test_is_small(count, threshold, small):
    assert is_small(count, threshold=threshold) is small


def test_is_small_rejects_negative_counts():
    with pytest.raises(MetricsInputError, match=r"count must be a number of 0 or more \(got -2\)"):
        is_small(-2)


def test_the_marker_names_the_threshold():
    assert (small_marker(), small_marker(10)) == ("<5", "<10")


def test_a_bad_threshold_is_rejected():
    with pytest.raises(MetricsInputError, match=r"threshold must be a whole number of 1 or more \(got 0\)"):
        is_small(3, threshold=0)
