"""A column of area values reads to one precision, as its map legend does."""

from __future__ import annotations

import pandas as pd

from views.explore import one_precision


def _frame(values, hidden=None, shown=None):
    hidden = hidden or [False] * len(values)
    return pd.DataFrame({"value": values, "hidden": hidden, "shown": shown or ["?"] * len(values)})


def test_small_rates_share_two_decimals_down_the_column():
    shown = one_precision(_frame([0.0, 0.465, 0.63, 1.5]), unit="rate_per_1000")
    assert shown == ["0.00 per 1,000", "0.47 per 1,000", "0.63 per 1,000", "1.50 per 1,000"]


def test_ordinary_values_keep_one_decimal_and_their_unit():
    assert one_precision(_frame([12.34, 0.0, 1234.0]), unit="percent") == ["12.3%", "0.0%", "1,234.0%"]


def test_hidden_figures_and_counts_keep_their_text():
    frame = _frame([0.2, None], hidden=[False, True], shown=["0.2", "Hidden (small number)"])
    assert one_precision(frame, unit="rate_per_10000") == ["0.20 per 10,000", "Hidden (small number)"]
    assert one_precision(_frame([3.0], shown=["3"]), unit="count") == ["3"]
