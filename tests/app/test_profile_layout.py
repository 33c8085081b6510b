"""The locality profile's scorecard shows the columns that fit a laptop, the rest of a row in its
details, and the action plan with progress, status and commentary in view."""

from datetime import date

from db.engine import make_engine
from tests.app.test_pages import page
from views.scorecards import locality_context, locality_scorecard

SCANNED = ["RAG", "Indicator", "Value", "Expected → target", "vs ward", "vs Leeds", "Direction", "Recent trend"]


def details(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("- **RAG:**"))


def test_scorecard_shows_the_scanned_columns_in_order_with_the_sparkline_data(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == SCANNED
    expected = locality_scorecard(make_engine(app_env), locality_context(make_engine(app_env), "PN-NWORT"),
                                  date(2019, 9, 1))
    assert [list(points) for points in table["Recent trend"]] == list(expected["sparkline"])
    crime = table.set_index("Indicator").loc["Recorded crime"]
    assert (crime["RAG"], crime["Value"], crime["Expected → target"]) == ("✓ Green", "68", "70.9 → 54")
    assert (crime["vs ward"], crime["vs Leeds"], crime["Direction"]) == ("Similar", "Worse", "→ No change")
    assert len(crime["Recent trend"]) == 24
    looked_after = table.set_index("Indicator").loc["Children looked after"]
    assert looked_after["Value"] == "285.4 per 10,000"


def test_the_chosen_indicator_shows_its_full_row_and_opens_on_the_red_one(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")
    shown = details(at)
    assert "**RAG:** ✗ Red: Misses the expected 6.1 by 4.1" in shown
    assert "**Latest period:** Q2 2019/20" in shown
    assert "**95% confidence interval:**" in shown
    assert "**Source:** Programme monitoring returns" in shown
    at.selectbox(key="indicator_select").set_value("SAFE_DARK").run()
    shown = details(at)
    assert "**Compared with Leeds:** Worse (Leeds: 66.6%)" in shown
    assert "**Direction of travel:** Cannot be calculated" in shown


def test_trend_caption_and_alt_text_name_only_the_lines_drawn(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")  # opens on the red EMP_JOBS
    caption = next(c.value for c in at.caption if "Solid blue line" in c.value)
    alt = at.get("plotly_chart")[0].proto.alt
    assert alt.startswith("Line chart of Residents into employment over time for New Wortley.")
    for text in (caption, alt):
        assert "Leeds" not in text and "Dash-dot" not in text and "ward" not in text
        assert "Dashed red line: target trajectory." in text


def test_action_plan_shows_progress_status_and_commentary_of_every_action(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")
    shown = "\n".join(m.value for m in at.markdown)
    assert "**Progress:** ✗ Off track · **Status:** ◑ In progress" in shown
    assert "Walkabouts paused over the summer because officers were redeployed; restart agreed for November." in shown
    assert "in_progress" not in shown
    assert shown.count("**Progress:**") == 8
