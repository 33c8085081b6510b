"""Display text for values."""

import math

import pandas as pd
import pytest

from metrics.errors import MetricsInputError
from metrics.formatting import format_difference, format_number, format_value, is_missing


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, "count", "1,234"),
        (1234.0, "count", "1,234"),
        (4.15, "count", "4.2"),
        (0, "count", "0"),
        (41.234, "percent", "41.2%"),
        (100, "percent", "100.0%"),
        (12.34, "rate_per_1000", "12.3 per 1,000"),
        (5.0, "rate_per_10000", "5.0 per 10,000"),
        (1234.56, "rate_per_100000", "1,234.6 per 100,000"),
        (0.0042, "rate_per_1000", "0.0042 per 1,000"),
        (None, "percent", "—"),
        (math.nan, "count", "—"),
        (pd.NA, "count", "—"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit=unit) == text


def test_unknown_unit_is_rejected():
    with pytest.raises(MetricsInputError, match=r"unit must be one of count, percent.*\(got 'ratio'\)"):
        format_value(1.0, unit="ratio")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(3.14, "percent", "3.1 points"), (-2.0, "rate_per_1000", "2.0 per 1,000"), (-12, "count", "12")],
)
def test_format_difference(value, unit, text):
    assert format_difference(value, unit=unit) == text


def test_format_number_keeps_small_values_readable():
    assert format_number(0.000123) == "0.000123"
    assert format_number(-1500.25) == "-1,500.2"


@pytest.mark.parametrize(("value", "missing"), [(None, True), (math.nan, True), (pd.NaT, True),
                                                 (0.0, False), (-1, False)])
def test_is_missing(value, missing):
    assert is_missing(value) is missing
