"""Trend charts mark each event with a dotted line and its number, the title on hover."""

from __future__ import annotations

from datetime import date

import pandas as pd

from views.charts import trend_figure


def test_each_event_gets_a_line_at_its_date_and_a_numbered_label_with_its_title():
    locality = pd.DataFrame({"period_end": [date(2025, 1, 31), date(2025, 12, 31)], "value": [10.0, 8.0]})
    events = pd.DataFrame({"event_date": [date(2025, 3, 1), date(2025, 9, 1)],
                           "title": ["Hub opened", "CCTV installed"]})
    figure = trend_figure(title="Crime", y_title="rate", locality=locality, locality_name="New Wortley",
                          events=events)
    lines = [shape for shape in figure.layout.shapes if shape.line.dash == "dot"]
    assert [pd.Timestamp(line.x0, unit="ms").date() for line in lines] == [date(2025, 3, 1), date(2025, 9, 1)]
    assert [(note.text, note.hovertext) for note in figure.layout.annotations] == [
        ("1", "Hub opened"), ("2", "CCTV installed")]
