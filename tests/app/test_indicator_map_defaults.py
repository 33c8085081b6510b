"""The indicator map's trend, ranking and legend say what they show."""

import json
import re

from tests.app.test_pages import page


def titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_trend_opens_on_leeds_when_no_ward_is_chosen(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL")
    assert not at.exception
    assert at.selectbox(key="trend_area").value == "E08000035"


def test_trend_opens_on_the_ward_in_the_link(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL", ward="E05011385")
    assert at.selectbox(key="trend_area").value == "E05011385"


def test_trend_opens_on_the_ward_in_the_link_when_lsoas_are_mapped(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL", geo="lsoa", ward="E05011385")
    assert not at.exception
    assert at.selectbox(key="trend_area").value == "E05011385"
    assert "Recorded crime: Armley" in titles(at)


def test_lsoa_ranking_is_titled_in_english_and_explains_bars_of_zero(app_env):
    at = page("3_Indicator_map.py", indicator="ASB_ALL", geo="lsoa")
    assert not at.exception
    assert {"The 20 LSOAs with the lowest rates", "The 20 LSOAs with the highest rates"} <= set(titles(at))
    assert any(re.fullmatch(r"\d+ LSOAs recorded none \(0\), so they tie; 20 of them are shown, each marked with a "
                            r"dot at 0\. The table below lists them all\.", c.value) for c in at.caption)
    ranking = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                   if json.loads(c.proto.spec)["layout"]["title"]["text"] == "The 20 LSOAs with the lowest rates")
    dots = [trace for trace in ranking["data"] if trace["type"] == "scatter" and trace["mode"] == "markers"]
    assert len(dots) == 1 and len(dots[0]["y"]) == 20  # a dot on each of the 20 bars of 0


def test_map_legend_says_the_unit_once_and_its_classes_do_not_overlap(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL")
    legend = next(m.value for m in at.markdown if "Legend" in m.value)
    assert "Legend (rate per 1,000 residents):" in legend
    assert "per 1,000" not in legend.split("Legend (rate per 1,000 residents):")[1]
    classes = re.findall(r"([\d,.]+) to ([\d,.]+)", legend)
    assert len(classes) >= 3
    bounds = [(float(a.replace(",", "")), float(b.replace(",", ""))) for a, b in classes]
    assert all(later[0] > earlier[1] for earlier, later in zip(bounds, bounds[1:]))
    assert len({len(figure.split(".")[-1]) for pair in classes for figure in pair}) == 1  # one precision
