"""The indicator map's trend and ranking say what they show."""

from tests.app.test_pages import page


def test_trend_opens_on_leeds_when_no_ward_is_chosen(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL")
    assert not at.exception
    assert at.selectbox(key="trend_area").value == "E08000035"


def test_trend_opens_on_the_ward_in_the_link(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL", ward="E05011385")
    assert at.selectbox(key="trend_area").value == "E05011385"


def test_lsoa_ranking_is_titled_in_english(app_env):
    import json

    at = page("3_Indicator_map.py", indicator="CRIME_ALL", geo="lsoa")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "The best and worst 20 LSOAs" in titles


def test_map_legend_classes_do_not_overlap(app_env):
    import re

    at = page("3_Indicator_map.py", indicator="CRIME_ALL")
    legend = next(m.value for m in at.markdown if "Legend:" in m.value)
    classes = re.findall(r"([\d,.]+) per 1,000 to ([\d,.]+) per 1,000", legend)
    assert len(classes) >= 3
    bounds = [(float(a.replace(",", "")), float(b.replace(",", ""))) for a, b in classes]
    assert all(later[0] > earlier[1] for earlier, later in zip(bounds, bounds[1:]))
    assert all(re.fullmatch(r"[\d,]+\.\d", figure) for pair in classes for figure in pair)
