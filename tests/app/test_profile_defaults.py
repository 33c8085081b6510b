"""The locality profile opens where attention is needed and describes only what it draws."""

from datetime import date

from db.engine import make_engine
from tests.app.test_pages import page
from views.scorecards import locality_context, locality_scorecard


def test_trends_open_on_the_first_red_indicator(app_env):
    engine = make_engine(app_env)
    scorecard = locality_scorecard(engine, locality_context(engine, "PN-NWORT"), date(2019, 9, 1))
    reds = scorecard[scorecard["rag"] == "red"]
    assert not reds.empty and reds.index[0] != 0  # the first row is not red: the default must look past it
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")
    assert not at.exception
    assert at.selectbox(key="indicator_select").value == reds["indicator_code"].iloc[0]
    assert "indicator" not in at.query_params


def test_an_indicator_in_the_link_wins_over_the_default(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09", indicator="ASB_ALL")
    assert at.selectbox(key="indicator_select").value == "ASB_ALL"


def trend_caption(at) -> str:
    return next(c.value for c in at.caption if "Solid blue line" in c.value)


def test_trend_caption_names_the_ward_and_leeds_lines_only_when_drawn(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09", indicator="ASB_ALL")
    caption = trend_caption(at)
    assert "Dotted grey line: At the Leeds rate." in caption
    assert "Dash-dot line: At the Armley (ward) rate." in caption
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09", indicator="HUB_ENQ")
    caption = trend_caption(at)
    assert "Leeds" not in caption and "Dash-dot" not in caption and "Benchmark lines" not in caption
