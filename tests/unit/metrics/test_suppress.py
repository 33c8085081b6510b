"""Disclosure control: primary and secondary suppression, and suppressed rates."""

import math

import pandas as pd
import pytest

from metrics.errors import MetricsInputError
from metrics.suppress import SMALL_NUMBER_THRESHOLD, is_small, suppress_counts, suppress_value


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


def test_primary_suppression_only_touches_one_to_four():
    shown = suppress_counts(counts={"a": 0, "b": 1, "c": 4, "d": 5, "e": 12345})
    assert shown == {"a": "0", "b": "<5", "c": "<5", "d": "5", "e": "12,345"}


def test_one_hidden_part_with_a_shown_total_hides_the_next_smallest():
    # Without the second suppression: 55 - 40 - 12 = 3 gives the hidden part away.
    shown = suppress_counts(counts={"Under 16": 3, "16 to 24": 40, "25 and over": 12}, total=55)
    assert shown == {"Under 16": "<5", "16 to 24": "40", "25 and over": "[c]"}


def test_no_secondary_suppression_without_a_shown_total():
    shown = suppress_counts(counts={"Under 16": 3, "16 to 24": 40, "25 and over": 12})
    assert shown == {"Under 16": "<5", "16 to 24": "40", "25 and over": "12"}


def test_two_primary_suppressions_protect_each_other():
    shown = suppress_counts(counts={"a": 3, "b": 2, "c": 40}, total=45)
    assert shown == {"a": "<5", "b": "<5", "c": "40"}


def test_zero_is_not_used_for_secondary_suppression():
    # Hiding the 0 would not help: its range (0 or 5+) still pins the small part down.
    shown = suppress_counts(counts={"a": 2, "b": 0, "c": 8, "d": 30}, total=40)
    assert shown == {"a": "<5", "b": "0", "c": "[c]", "d": "30"}


def test_ties_go_to_the_part_listed_first():
    shown = suppress_counts(counts={"a": 4, "b": 9, "c": 9}, total=22)
    assert shown == {"a": "<5", "b": "[c]", "c": "9"}


def test_a_missing_part_already_stops_recovery():
    shown = suppress_counts(counts={"a": 4, "b": None, "c": 9}, total=22)
    assert shown == {"a": "<5", "b": "—", "c": "9"}


def test_no_hidden_part_needs_no_secondary_suppression():
    shown = suppress_counts(counts={"a": 6, "b": 9}, total=15)
    assert shown == {"a": "6", "b": "9"}


def test_no_single_hidden_part_is_left_recoverable():
    tables = [{"a": 3, "b": 40, "c": 12}, {"a": 1, "b": 0, "c": 7}, {"a": 2, "b": 5, "c": 5, "d": 6}]
    for counts in tables:
        shown = suppress_counts(counts=counts, total=sum(counts.values()))
        hidden = [key for key, text in shown.items() if text in {"<5", "[c]"}]
        assert len(hidden) != 1, (counts, shown)


def test_series_input_and_custom_threshold():
    counts = pd.Series({"Leeds 1": 7, "Leeds 2": 12, "Leeds 3": 25})
    assert suppress_counts(counts=counts, threshold=10, total=44) == {
        "Leeds 1": "<10", "Leeds 2": "[c]", "Leeds 3": "25"}


def test_input_mapping_is_not_changed():
    counts = {"a": 3, "b": 40}
    suppress_counts(counts=counts, total=43)
    assert counts == {"a": 3, "b": 40}


@pytest.mark.parametrize(
    ("counts", "threshold", "message"),
    [
        ({"a": -1}, 5, r"count for a must be a whole number of 0 or more \(got -1\)"),
        ({"a": 2.5}, 5, r"count for a must be a whole number of 0 or more \(got 2.5\)"),
        ({"a": "3"}, 5, r"count for a must be a number \(got '3'\)"),
        ({"a": 3}, 0, r"threshold must be a whole number of 1 or more \(got 0\)"),
    ],
)
def test_bad_counts_are_rejected(counts, threshold, message):
    with pytest.raises(MetricsInputError, match=message):
        suppress_counts(counts=counts, threshold=threshold)


@pytest.mark.parametrize(
    ("value", "numerator", "unit", "expected"),
    [
        (3, 3, "count", ("<5", True)),
        (3, None, "count", ("<5", True)),
        (0, 0, "count", ("0", False)),
        (5, 5, "count", ("5", False)),
        (1234, 1234, "count", ("1,234", False)),
        (12.5, 4, "percent", ("[c]", True)),
        (41.2, 5, "percent", ("41.2%", False)),
        (0.0, 0, "percent", ("0.0%", False)),
        (1.9, 2, "rate_per_1000", ("[c]", True)),
        (41.2, None, "percent", ("41.2%", False)),
        (None, 3, "count", ("—", False)),
    ],
)
def test_suppress_value(value, numerator, unit, expected):
    assert suppress_value(value=value, numerator=numerator, unit=unit) == expected


def test_suppress_value_with_a_higher_threshold():
    assert suppress_value(value=8, numerator=8, unit="count", threshold=10) == ("<10", True)
