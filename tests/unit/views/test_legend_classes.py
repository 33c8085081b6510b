"""Map legend classes never overlap and share one precision."""

import pandas as pd
import pytest

from views.maps import bin_index, legend_bins, legend_classes, legend_rows, legend_title


def test_each_class_starts_one_step_above_the_previous_end():
    assert legend_classes([0.8, 2.5, 4.1, 9.0], decimals=1) == [(0.8, 2.5), (2.6, 4.1), (4.2, 9.0)]
    assert legend_classes([0, 3, 7], decimals=0) == [(0, 3), (4, 7)]


def test_rate_legend_reads_without_overlap_and_says_the_unit_once():
    rows = legend_rows([0.8, 2.5, 4.1], decimals=1)
    assert [text for _, text in rows] == ["0.8 to 2.5", "2.6 to 4.1", "No value, or hidden (small numbers)"]
    assert legend_title("rate_per_1000") == "Legend (rate per 1,000 residents)"
    assert legend_title("percent") == "Legend (per cent)"


def test_every_figure_in_a_legend_has_the_same_decimals():
    rows = legend_rows([0, 0.8, 2.5, 10], decimals=2)
    assert [text for _, text in rows[:-1]] == ["0.00 to 0.80", "0.81 to 2.50", "2.51 to 10.00"]


def test_count_legend_uses_whole_numbers():
    edges, decimals = legend_bins(pd.Series([1, 2, 2, 3, 5, 8, 13, 21]), unit="count", classes=4)
    assert decimals == 0 and all(float(edge).is_integer() for edge in edges)
    texts = [text for _, text in legend_rows(edges, decimals=decimals)]
    assert "." not in "".join(texts[:-1])


def test_small_rates_get_a_second_decimal_rather_than_merged_classes():
    values = pd.Series([0.11, 0.14, 0.16, 0.2, 0.24, 0.3, 0.33, 0.41])
    edges, decimals = legend_bins(values, unit="rate_per_1000")
    assert decimals == 2 and len(edges) == 6
    edges, decimals = legend_bins(pd.Series([1.2, 2.5, 3.9, 5.1, 7.7, 12.0]), unit="rate_per_1000")
    assert decimals == 1


def test_a_one_step_class_shows_a_single_value():
    rows = legend_rows([1.0, 1.1, 3.0], decimals=1)
    assert rows[0][1] == "1.0 to 1.1" and rows[1][1] == "1.2 to 3.0"
    rows = legend_rows([2.0, 3.0, 4.0], decimals=0)
    assert rows[1][1] == "4"


@pytest.mark.parametrize(("value", "expected"), [(0.8, 0), (2.5, 0), (2.54, 0), (2.56, 1), (4.1, 1), (9.9, 1)])
def test_values_fall_in_the_class_their_shown_figure_names(value, expected):
    assert bin_index(value, [0.8, 2.5, 4.1], decimals=1) == expected
