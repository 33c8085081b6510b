"""The ward explorer compares like with like: rates for the ward and Leeds, side by side, one table."""

import html
import json
import re

import pandas as pd
import pytest

from tests.app.test_pages import page

SIX_WARDS = {"E05011385": "Armley", "E05011388": "Burmantofts & Richmond Hill", "E05011404": "Middleton Park",
             "E05011400": "Killingbeck & Seacroft", "E05011390": "Chapel Allerton", "E05011395": "Guiseley & Rawdon"}


def comparison(at) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if "vs Leeds" in d.value.columns]
    assert len(tables) == 1, "the chosen wards are compared in one table"
    return tables[0]


def test_ward_against_leeds_shows_rates_with_intervals_beside_the_verdict(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385")
    assert not at.exception
    table = comparison(at)
    assert list(table.columns)[-4:] == ["Figure", "95% interval", "Leeds", "vs Leeds"]  # rates beside the verdict
    asb = table.set_index("Indicator").loc["Anti-social behaviour incidents"]
    assert (asb["Ward"], asb["Unit"]) == ("Armley", "per 1,000")
    figure, leeds = float(asb["Figure"]), float(asb["Leeds"])
    low, high = (float(x) for x in asb["95% interval"].split(" to "))
    assert low <= figure <= high
    assert asb["vs Leeds"] == ("Similar" if low <= leeds <= high else "Worse" if figure > leeds else "Better")
    # the count is shown as published, apart from the rates the verdict is made on
    assert asb["Count"].replace(",", "").isdigit() and asb["Leeds count"].replace(",", "").isdigit()
    assert figure < int(asb["Count"].replace(",", "")) and leeds < int(asb["Leeds count"].replace(",", ""))


def test_percentages_are_compared_as_they_are_without_a_count(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385")
    neet = comparison(at).set_index("Indicator").loc["Young people not in education, employment or training"]
    assert neet["Unit"] == "%" and neet["Count"] == "" and re.fullmatch(r"\d+\.\d", neet["Figure"])


def test_small_figures_share_one_precision_with_their_neighbours(app_env):
    at = page("2_Ward_explorer.py", ward=["E05011385", "E05011388"])
    hate = comparison(at)
    hate = hate[hate["Indicator"] == "Hate incidents"]
    figures = [*hate["Figure"], *hate["Leeds"], *" to ".join(hate["95% interval"]).split(" to ")]
    assert len({len(f.split(".")[1]) for f in figures}) == 1, figures


@pytest.mark.parametrize("count", [2, 6])
def test_several_wards_sit_side_by_side_in_one_table_not_tabs(app_env, count):
    wards = list(SIX_WARDS)[:count]
    at = page("2_Ward_explorer.py", ward=wards)
    assert not at.exception
    assert not at.tabs
    table = comparison(at)
    assert list(table["Ward"].unique()) == [SIX_WARDS[code] for code in wards]  # in the order chosen
    assert len(table) == table["Indicator"].nunique() * len(wards)
    assert len([c for c in at.get("plotly_chart") if "chosen wards" in c.proto.spec]) == 1


def test_league_chart_follows_the_table_order_and_draws_leeds(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385")
    league = at.dataframe[-1].value
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    bars = [html.unescape(name) for name in spec["data"][0]["y"]]
    assert list(reversed(bars)) == league.dropna(subset=["Rank"])["Ward"].tolist()
    lines = [s for s in spec["layout"].get("shapes", []) if s.get("type") == "line"]
    assert lines
    assert any(a["text"].startswith("Leeds ") for a in spec["layout"]["annotations"])


def test_league_chart_title_is_a_sentence(app_env):
    at = page("2_Ward_explorer.py", ward="E05011385", indicator="CRIME_ALL")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert re.fullmatch(r"Recorded crime per 1,000 residents, \w{3} \d{4}: all 33 wards, lowest first", titles[-1])
    assert re.fullmatch(r"Recorded crime per 1,000 residents, \w{3} \d{4}: the chosen wards, lowest first", titles[0])
