"""Pages say what each figure is built from: IMD 2025 beside IMD 2019, a note where a ward's 2011 and
2021 LSOAs differ, and the source of real published indicators instead of the illustrative label."""

import pytest

from db.engine import make_engine
from ingest.real_data import load_real_data
from tests.app.test_pages import PAGES, page, texts


@pytest.fixture()
def with_real_data(app_env):
    engine = make_engine(app_env)
    load_real_data(engine)
    engine.dispose()
    return app_env


def test_ward_header_gives_imd_2025_and_imd_2019_each_on_its_lsoas(app_env):
    at = page("2_Ward_explorer.py", ward="E05011394")  # Gipton & Harehills
    shown = texts(at)
    assert "on IMD 2025 (2021 LSOAs)" in shown and "on IMD 2019 (2011 LSOAs)" in shown
    assert "13 of its" in shown  # 13 of its LSOAs are in the most deprived 10% on IoD2025


def test_a_ward_whose_lsoas_moved_says_so_and_one_whose_did_not_is_quiet(app_env):
    moved = texts(page("2_Ward_explorer.py", ward="E05011384"))  # Ardsley & Robin Hood
    assert "the 2021 LSOAs hold 12.4% fewer people" in moved
    assert "fewer people" not in texts(page("2_Ward_explorer.py", ward="E05011385"))  # Armley


def test_lsoa_map_tooltips_name_the_index(app_env):
    at = page("3_Indicator_map.py", indicator="ASB_ALL", geo="lsoa")
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert "IMD 2025 decile" in deck and "(IMD 2019:" in deck
    assert "488 areas, added up from the 2021 census LSOAs it was published on" in texts(at)


def test_a_month_before_the_change_is_mapped_on_the_2011_lsoas(app_env):
    at = page("3_Indicator_map.py", indicator="ASB_ALL", geo="lsoa", period="2019-06")
    assert "482 areas, added up from the 2011 census LSOAs it was published on" in texts(at)
    assert len(at.dataframe[-1].value) == 482


def test_real_indicator_shows_its_source_not_the_illustrative_label(with_real_data):
    at = page("3_Indicator_map.py", indicator="FUEL_POVERTY", geo="ward", period="2020-12")
    shown = texts(at)
    assert "Department for Energy Security and Net Zero" in shown
    assert "real published data; Open Government Licence v3.0" in shown
    assert "(illustrative values)" not in shown
    assert len(at.dataframe[-1].value) == 33


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_with_the_real_indicators_loaded(with_real_data, name):
    """A ward-level real indicator (the Claimant Count) and a calendar-year one (fuel poverty) sit beside
    the illustrative ones without breaking any page."""
    at = page(name)
    assert not at.exception, [e.value for e in at.exception]


def test_fuel_poverty_trend_and_ward_view_render(with_real_data):
    profile = page("1_Locality_profile.py", area="PN-NWORT", indicator="FUEL_POVERTY")
    assert not profile.exception, [e.value for e in profile.exception]
    assert "Households in fuel poverty (real published figures)" in set(profile.dataframe[0].value["Indicator"])
    ward = page("2_Ward_explorer.py", ward="E05011385", indicator="FUEL_POVERTY", period="2020-12")
    assert not ward.exception, [e.value for e in ward.exception]


def test_ward_explorer_compares_armley_with_the_published_leeds_claimant_count(with_real_data):
    """The Claimant Count is published per ward and for Leeds; the city's row is its own figure (22,795 in
    October 2023), not the sum of the wards, and Armley is compared with it per resident."""
    at = page("2_Ward_explorer.py", ward="E05011385", period="2023-10")
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("Indicator")
    row = table.loc["Claimant Count (real published figures)"]
    assert row["Ward"] == "Armley" and row["Count"] == "1,670" and row["Leeds count"] == "22,795"
    assert row["Unit"] == "per 1,000" and float(row["Figure"]) < 1670 and float(row["Leeds"]) < 22795
    assert row["vs Leeds"] in {"Better", "Similar", "Worse"}
