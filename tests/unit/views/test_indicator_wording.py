"""The indicator map's ranking title and trend default read as intended."""

import pandas as pd
import pytest

from views.charts import ranking_figure
from ui.indicator_page import ranking_title, trend_default


@pytest.mark.parametrize(("count", "geography", "title"), [
    (482, "LSOAs (small areas)", "The best and worst 20 LSOAs"),
    (33, "Wards", "All 33 wards, ranked"),
    (40, "LSOAs (small areas)", "All 40 LSOAs, ranked"),
])
def test_ranking_title_reads_as_english(count, geography, title):
    assert ranking_title(count, geography) == title


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
