"""Map legend classes never overlap and share one precision."""

import pandas as pd
import pytest

from metrics.formatting import format_value
from views.maps import bin_index, legend_classes, legend_rows, value_bins


def test_each_class_starts_one_step_above_the_previous_end():
    assert legend_classes([0.8, 2.5, 4.1, 9.0], decimals=1) == [(0.8, 2.5), (2.6, 4.1), (4.2, 9.0)]
    assert legend_classes([0, 3, 7], decimals=0) == [(0, 3), (4, 7)]


def test_rate_legend_reads_without_overlap():
    rows = legend_rows([0.8, 2.5, 4.1], unit_text=lambda v: format_value(v, unit="rate_per_1000"), decimals=1)
    assert [text for _, text in rows] == ["0.8 per 1,000 to 2.5 per 1,000", "2.6 per 1,000 to 4.1 per 1,000",
                                          "No value, or hidden (small numbers)"]


def test_count_legend_uses_whole_numbers():
    edges = value_bins(pd.Series([1, 2, 2, 3, 5, 8, 13, 21]), classes=4, decimals=0)
    assert all(float(edge).is_integer() for edge in edges)
    texts = [text for _, text in legend_rows(edges, unit_text=lambda v: format_value(v, unit="count"), decimals=0)]
    assert "." not in "".join(texts[:-1])


def test_a_one_step_class_shows_a_single_value():
    rows = legend_rows([1.0, 1.1, 3.0], unit_text=str, decimals=1)
    assert rows[0][1] == "1.0 to 1.1" and rows[1][1] == "1.2 to 3.0"
    rows = legend_rows([2.0, 3.0, 4.0], unit_text=str, decimals=0)
    assert rows[1][1] == "4.0"


@pytest.mark.parametrize(("value", "expected"), [(0.8, 0), (2.5, 0), (2.54, 0), (2.56, 1), (4.1, 1), (9.9, 1)])
def test_values_fall_in_the_class_their_shown_figure_names(value, expected):
    assert bin_index(value, [0.8, 2.5, 4.1], decimals=1) == expected
