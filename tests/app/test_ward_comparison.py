"""The ward explorer compares like with like: rates for the ward and Leeds, side by side, one table."""

import html
import json
import re

from tests.app.test_pages import page

RATE = re.compile(r"[\d,.]+ per 1,000")


def test_ward_against_leeds_shows_rates_with_intervals_beside_the_verdict(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Armley vs Leeds" in d.value.columns)
    asb = table[table["Indicator"] == "Anti-social behaviour incidents"].iloc[0]
    assert RATE.fullmatch(asb["Armley"]) and RATE.fullmatch(asb["Leeds"])
    assert " to " in asb["Armley 95% interval"]
    assert asb["Armley vs Leeds"] in {"Better", "Similar", "Worse"}
    assert asb["Armley as published"].replace(",", "").isdigit()


def test_several_wards_sit_side_by_side_in_one_table_not_tabs(app_env):
    at = page("2_Ward_explorer.py", ward=["E05011385", "E05011388"])
    assert not at.exception
    assert not at.tabs
    tables = [d.value for d in at.dataframe if "Leeds 95% interval" in d.value.columns]
    assert len(tables) == 1
    assert {"Armley", "Burmantofts & Richmond Hill", "Leeds"} <= set(tables[0].columns)


def test_league_chart_follows_the_table_order_and_draws_leeds(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385")
    league = at.dataframe[-1].value
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    bars = [html.unescape(name) for name in spec["data"][0]["y"]]
    assert list(reversed(bars)) == league.dropna(subset=["Rank"])["Ward"].tolist()
    lines = [s for s in spec["layout"].get("shapes", []) if s.get("type") == "line"]
    assert lines
    assert any(a["text"].startswith("Leeds ") for a in spec["layout"]["annotations"])
