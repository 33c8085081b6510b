"""The indicator map's ranking title and trend default read as intended."""

import pandas as pd
import pytest

from views.charts import league_title, ranking_figure
from ui.indicator_page import ranking_titles, trend_default, zero_note


@pytest.mark.parametrize(("count", "geography", "unit", "polarity", "titles"), [
    (482, "LSOAs (small areas)", "rate_per_1000", "lower_is_better",
     ["The 20 LSOAs with the lowest rates", "The 20 LSOAs with the highest rates"]),
    (488, "LSOAs (small areas)", "percent", "higher_is_better",
     ["The 20 LSOAs with the highest percentages", "The 20 LSOAs with the lowest percentages"]),
    (41, "LSOAs (small areas)", "count", "no_judgement",
     ["The 20 LSOAs with the highest counts", "The 20 LSOAs with the lowest counts"]),
    (33, "Wards", "rate_per_1000", "lower_is_better", ["All 33 wards, lowest first"]),
    (40, "LSOAs (small areas)", "percent", "higher_is_better", ["All 40 LSOAs, highest first"]),
])
def test_ranking_titles_read_as_english(count, geography, unit, polarity, titles):
    assert ranking_titles(count, geography, unit=unit, polarity=polarity) == titles


@pytest.mark.parametrize(("zeros", "shown", "note"), [
    (29, 20, "29 LSOAs recorded none (0), so they tie; 20 of them are shown, each marked with a dot at 0. "
             "The table below lists them all."),
    (3, 3, "3 LSOAs recorded none (0), so they tie; each is marked with a dot at 0. The table below lists them all."),
    (1, 1, "1 LSOA recorded none (0); it is marked with a dot at 0. The table below lists them all."),
    (5, 0, None),
])
def test_bars_of_zero_are_explained(zeros, shown, note):
    assert zero_note(zeros, shown, "LSOAs") == note


def test_league_title_names_measure_period_areas_and_order():
    assert league_title(name="Recorded crime", unit="rate_per_1000", period="Sep 2026", polarity="lower_is_better",
                        count=33, total=33) == "Recorded crime per 1,000 residents, Sep 2026: all 33 wards, lowest first"
    assert league_title(name="Hate incidents", unit="count", period="Q2 2026/27", polarity="lower_is_better",
                        count=31, total=33) == "Hate incidents, Q2 2026/27: 31 of the 33 wards, lowest first"
    assert league_title(name="MMR vaccination by age 5", unit="percent", period="2025/26",
                        polarity="higher_is_better", areas="the chosen wards") == (
        "MMR vaccination by age 5 (%), 2025/26: the chosen wards, highest first")


def test_trend_opens_on_the_chosen_ward_else_the_city():
    codes = ["E08000035", "E05011385", "E05011388"]
    assert trend_default(codes, city_code="E08000035", chosen="E05011388") == "E05011388"
    assert trend_default(codes, city_code="E08000035", chosen=None) == "E08000035"
    assert trend_default(codes, city_code="E08000035", chosen="E09999999") == "E08000035"


def test_ranking_bars_of_zero_carry_their_value_as_text():
    frame = pd.DataFrame({"code": ["a", "b"], "name": ["A", "B"], "value": [0.0, 12.5]})
    bar = ranking_figure(title="t", x_title="x", frame=frame).data[0]
    assert list(bar.text) == ["12.5", "0.0"]
    assert list(bar.y) == ["B", "A"]  # first row of the frame drawn at the top


def test_bars_of_zero_are_marked_with_a_dot_so_they_can_be_seen():
    frame = pd.DataFrame({"code": ["a", "b", "c"], "name": ["A", "B", "C"], "value": [0.0, 0.0, 12.5]})
    figure = ranking_figure(title="t", x_title="x", frame=frame)
    dots = [trace for trace in figure.data if trace.type == "scatter"]
    assert len(dots) == 1 and list(dots[0].y) == ["B", "A"] and list(dots[0].x) == [0.0, 0.0]
    no_zero = ranking_figure(title="t", x_title="x", frame=frame.assign(value=[1.0, 2.0, 3.0]))
    assert [trace.type for trace in no_zero.data] == ["bar"]
