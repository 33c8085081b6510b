"""Every page renders, and each does its job for the person using it (AppTest, in process)."""

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from db import schema
from db.engine import make_engine
from tests.support.hostile import dangerous_tags, markdown_html
from metrics.rollup import cell_text
from views.programme import programme_status
from views.scorecards import locality_context, locality_scorecard

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


def page(name: str, **params) -> AppTest:
    """Open a page of the multipage app as a visitor would: through the entry point."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"pages/{name}")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error,
                                             *at.subheader))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_with_the_notice_and_no_exception(app_env, name):
    at = page(name)
    assert not at.exception, at.exception
    assert any("Illustrative data" in i.value for i in at.info)
    assert any("Contains OS data" in c.value for c in at.caption)


def test_profile_shows_the_scorecard_of_the_locality_in_the_url(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2019-09")
    assert not at.exception
    assert at.selectbox(key="area_select").value == "PN-NWORT"
    scorecard = at.dataframe[0].value
    youth = scorecard[scorecard["Indicator"] == "Youth-related anti-social behaviour"]
    assert youth["RAG"].item() == "✓ Green"
    expected = locality_scorecard(make_engine(app_env), locality_context(make_engine(app_env), "PN-NWORT"),
                                  date(2019, 9, 1))
    assert len(scorecard) == len(expected)
    assert list(scorecard["Value"]) == list(expected["value"])
    assert any("New Wortley is" in m.value and "baseline" in m.value for m in at.markdown)


def test_profile_explains_an_unknown_area_code_and_offers_the_list(app_env):
    at = page("1_Locality_profile.py", area="NOPE")
    assert not at.exception
    assert any("There is no locality with the code 'NOPE'" in e.value for e in at.error)
    assert at.selectbox(key="area_select").value != "NOPE"


def test_profile_choice_is_written_back_to_the_url(app_env):
    at = page("1_Locality_profile.py", area="PN-NWORT")
    at.selectbox(key="area_select").set_value("PN-LGRN").run()
    assert at.query_params["area"] == "PN-LGRN"


def test_ward_filter_round_trips_through_the_url(app_env):
    at = page("2_Ward_explorer.py", ward=["E05011385", "E05011388"])
    assert not at.exception
    assert at.multiselect(key="ward_select").value == ["E05011385", "E05011388"]
    assert not at.tabs and any("vs Leeds" in d.value.columns for d in at.dataframe)
    at.multiselect(key="ward_select").set_value(["E05011404", "E05011400"]).run()
    assert at.query_params["ward"] == ["E05011404", "E05011400"]
    at.multiselect(key="ward_select").set_value([]).run()
    assert "ward" not in at.query_params


def test_ward_explorer_reports_unknown_codes(app_env):
    at = page("2_Ward_explorer.py", ward=["E05011385", "E09999999"])
    assert not at.exception
    assert any("'E09999999'" in w.value for w in at.warning)
    assert at.multiselect(key="ward_select").value == ["E05011385"]


def test_ward_league_table_lists_all_33_wards(app_env):
    at = page("2_Ward_explorer.py")
    league = at.dataframe[-1].value
    assert len(league) == 33
    assert sorted(league["Rank"].tolist())[0] == 1


def test_ward_explorer_lists_the_neighbourhoods_inside_the_ward(app_env):
    at = page("2_Ward_explorer.py", ward="E05011388")
    tables = [d.value for d in at.dataframe]
    inside = next(t for t in tables if "Neighbourhood" in t.columns)
    assert set(inside["Neighbourhood"]) == {"Cliftons and Nowells", "Lincoln Green"}


def test_a_wards_neighbourhoods_are_judged_as_the_whole_programme_judges_them(app_env):
    """The page judges only the ward's own localities: each row's statuses are the overview's for it."""
    at = page("2_Ward_explorer.py", ward="E05011388")
    inside = next(d.value for d in at.dataframe if "Neighbourhood" in d.value.columns)
    whole = programme_status(make_engine(app_env), at.select_slider(key="period_slider").value)
    assert len(inside) == 2
    for row in inside.itertuples():
        theirs = whole.loc[whole["area_name"] == row.Neighbourhood, "rag"]
        assert row.Targets == cell_text(theirs)


def test_a_ward_without_a_priority_neighbourhood_says_so(app_env):
    at = page("2_Ward_explorer.py", ward="E05011404")  # Middleton Park
    assert not at.exception
    assert any("No priority neighbourhood with an action plan lies in this ward." in i.value for i in at.info)
    assert not any("Neighbourhood" in d.value.columns for d in at.dataframe)


def test_indicator_map_by_lsoa_lists_every_lsoa(app_env):
    at = page("3_Indicator_map.py", indicator="CRIME_ALL", geo="lsoa")
    assert not at.exception
    assert at.radio(key="geo_radio").value == "lsoa"
    assert len(at.dataframe[-1].value) == 488  # the latest month is published on the 2021 LSOAs
    assert any("Source:" in m.value for m in at.markdown)


def test_indicator_map_rejects_an_unknown_indicator_kindly(app_env):
    at = page("3_Indicator_map.py", indicator="DROP TABLE", geo="moon")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "'DROP TABLE'" in warnings and "'moon'" in warnings


def test_action_tracker_filters_by_lead_from_the_url(app_env):
    engine = make_engine(app_env)
    with engine.connect() as connection:
        expected = connection.execute(
            select(func.count()).select_from(schema.actions).where(schema.actions.c.lead == "Youth Service")
        ).scalar_one()
    at = page("4_Action_tracker.py", lead="Youth Service")
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "Actions shown") == str(expected)
    table = at.dataframe[0].value
    assert set(table["Lead"]) == {"Youth Service"}


def test_action_tracker_puts_overdue_first(app_env):
    at = page("4_Action_tracker.py")
    overdue = at.dataframe[0].value["Overdue"].tolist()
    assert overdue == sorted(overdue, key=lambda text: text == "")


def test_action_tracker_says_overdue_beside_the_progress_word_and_keeps_the_rest_in_the_column_menu(app_env):
    grid = page("4_Action_tracker.py").dataframe[0]
    table = grid.value
    overdue = table["Overdue"] == "⚠ Overdue"
    assert overdue.any() and (~overdue).any()
    assert table.loc[overdue, "Progress"].str.endswith(" · ⚠ Overdue").all()
    assert not table.loc[~overdue, "Progress"].str.contains("Overdue").any()
    hidden = {name for name, config in json.loads(grid.proto.columns).items() if config.get("hidden")} - {"_index"}
    assert hidden == {"Overdue", "Theme", "Status", "Time elapsed"}


def test_about_page_defines_every_indicator(app_env):
    engine = make_engine(app_env)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(schema.indicators)).scalar_one()
    at = page("8_About_and_methods.py")
    assert len(at.table[0].value) == count
    assert "Wilson score" in texts(at) and "Byar" in texts(at)


def test_about_page_shows_a_stored_definition_as_written_not_as_markdown(app_env):
    written = "[Sign in](http://127.0.0.1/) <b>*now*</b>"
    engine = make_engine(app_env)
    with engine.begin() as connection:
        connection.execute(update(schema.indicators).where(schema.indicators.c.code == "ASB_ALL")
                           .values(definition=written))
    table = page("8_About_and_methods.py").table[0].value
    cell = table.loc[table["Indicator"].str.endswith("(ASB_ALL)"), "Definition"].iloc[0]
    rendered = markdown_html(cell)
    assert not dangerous_tags(rendered) and "<em>" not in rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == written


def test_viewer_sees_small_number_indicators_at_ward_level_only(app_env):
    """LSOAs sit inside many shown totals, so no LSOA value of a small-number indicator reaches a viewer."""
    at = page("2_Ward_explorer.py", ward="E05011385", indicator="HATE", measure="count")
    assert not at.exception
    assert any("wards and larger areas only" in i.value for i in at.info)
    assert not any("LSOA" in d.value.columns for d in at.dataframe)


def test_no_hidden_ward_can_be_recovered_from_the_leeds_total(app_env):
    """Youth ASB by ward: if any ward is hidden, at least two are, and hidden wards have no rank."""
    at = page("2_Ward_explorer.py", indicator="ASB_YOUTH", measure="count")
    league = at.dataframe[-1].value
    hidden = league[league["Value"].isin(["<5", "[c]"])]
    assert len(hidden) != 1
    assert hidden["Rank"].isna().all()
    assert league.loc[~league.index.isin(hidden.index), "Rank"].notna().all()


def test_a_ward_hidden_in_the_league_table_is_hidden_side_by_side_too(app_env):
    """Harewood's 4 hate incidents are hidden, so Wetherby is too, everywhere: the side-by-side table must
    not show the number the league table hides, or Leeds minus the other wards would give Harewood's back."""
    at = page("2_Ward_explorer.py", ward=["E05011396", "E05011414"], indicator="HATE", measure="count")
    assert not at.exception
    league = at.dataframe[-1].value.set_index("Ward")
    assert (league.loc["Harewood", "Value"], league.loc["Wetherby", "Value"]) == ("<5", "[c]")
    side_by_side = next(d.value for d in at.dataframe if "vs Leeds" in d.value.columns)
    hate = side_by_side[side_by_side["Indicator"] == "Hate incidents"].set_index("Ward")
    assert (hate.loc["Harewood", "Figure"], hate.loc["Wetherby", "Figure"]) == ("<5", "[c]")
    assert (hate.loc["Harewood", "Count"], hate.loc["Wetherby", "Count"]) == ("<5", "[c]")
    assert (hate.loc["Harewood", "vs Leeds"], hate.loc["Wetherby", "vs Leeds"]) == ("Not compared", "Not compared")
    assert hate["95% interval"].eq("").all()


def test_editor_sees_lsoa_values_of_small_number_indicators(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    at = page("2_Ward_explorer.py", ward="E05011385", indicator="HATE", measure="count")
    lsoas = next(d.value for d in at.dataframe if "LSOA" in d.value.columns)
    assert len(lsoas) == 14  # Armley's best-fit LSOAs
    assert lsoas["Value"].str.fullmatch(r"\d+").all()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_explains_an_empty_database(tmp_path, monkeypatch, app_env, name):
    monkeypatch.setenv("TN_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setenv("TN_AUTO_SEED", "0")
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    at = page(name)
    assert not at.exception, at.exception
    assert not any("Something went wrong" in e.value for e in at.error)
    if name not in ("6_Data.py", "8_About_and_methods.py"):
        notes = [n.value for n in (*at.warning, *at.info)]
        assert any(text in n for n in notes for text in ("no indicator data", "nothing to", "No action plan")), name


def test_maps_open_on_another_indicator_when_asb_is_not_in_the_catalogue(app_env):
    from sqlalchemy import delete

    engine = make_engine(app_env)
    with engine.begin() as connection:
        connection.execute(delete(schema.observations).where(schema.observations.c.indicator_code == "ASB_ALL"))
        connection.execute(delete(schema.targets).where(schema.targets.c.indicator_code == "ASB_ALL"))
        connection.execute(delete(schema.commentary).where(schema.commentary.c.indicator_code == "ASB_ALL"))
        connection.execute(delete(schema.action_indicators).where(
            schema.action_indicators.c.indicator_code == "ASB_ALL"))
        connection.execute(delete(schema.indicators).where(schema.indicators.c.code == "ASB_ALL"))
    for name in ("2_Ward_explorer.py", "3_Indicator_map.py"):
        at = page(name)
        assert not at.exception and not at.error, name
