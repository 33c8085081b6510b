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


def test_ranking_values_sit_past_the_interval_not_on_it():
    from views.charts import ranking_figure

    frame = pd.DataFrame({"code": ["a", "b"], "name": ["A", "B"], "value": [2.0, 5.0],
                          "lower": [1.5, 4.0], "upper": [2.6, None]})
    figure = ranking_figure(title="t", x_title="x", frame=frame)
    bar, labels = figure.data
    assert bar.text is None  # a label at the bar's end would be drawn over the error bar
    assert [text.strip() for text in labels.text] == ["5.0", "2.0"]
    assert list(labels.x) == [5.0, 2.6]  # the upper limit, or the value where there is no interval
    assert labels.textposition == "middle right"


def test_timeline_words_sit_outside_short_bars_and_inside_the_axis():
    from views.charts import timeline_figure

    actions = pd.DataFrame({
        "ref": ["A-1", "A-2"], "area_name": ["Lincoln Green", "Boggart Hill"], "title": ["Hub", "Walk"],
        "lead": ["Housing", "Police"], "rag_key": ["not_started", "on_track"],
        "rag_label": ["– Not started", "✓ On track"], "percent_complete": [0.0, 50.0],
        "start_date": [date(2026, 11, 1), date(2019, 4, 1)], "due_date": [date(2027, 1, 31), date(2026, 12, 31)],
    })
    figure = timeline_figure(title="t", actions=actions, today=date(2026, 12, 1))
    assert [(bar.text[0], bar.textposition) for bar in figure.data] == [
        ("– Not started", "outside"), ("✓ On track", "outside")]
    right = pd.Timestamp(figure.layout.xaxis.range[1])
    assert right - pd.Timestamp(date(2027, 1, 31)) > pd.Timedelta(days=365)  # room for the word after the last bar
