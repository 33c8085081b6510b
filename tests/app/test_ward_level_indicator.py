"""A ward-level indicator defined through the indicators upload appears in the ward explorer and the
indicator map, which say it is not built from LSOAs."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from ingest.importer import commit_import
from ingest.templates import template_bytes

ROOT = Path(__file__).resolve().parents[2]
WARD_FILE = b"""indicator_code,area_code,period_start,value
YOUTH_CLAIMANTS,E05011385,2023-10-01,1610
YOUTH_CLAIMANTS,E05011384,2023-10-01,290
"""


def _load_youth_claimants(url: str) -> None:
    engine = make_engine(url)
    commit_import(engine, template_bytes("indicators"), "indicators.csv", imported_by="analyst@leeds.gov.uk")
    commit_import(engine, WARD_FILE, "claimant-count.csv", imported_by="analyst@leeds.gov.uk")
    engine.dispose()


def test_the_ward_explorer_shows_a_ward_level_indicator_loaded_through_uploads(app_env):
    _load_youth_claimants(app_env)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/2_Ward_explorer.py")
    at.query_params.update({"ward": "E05011385", "indicator": "YOUTH_CLAIMANTS"})
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="ward_indicator").value == "YOUTH_CLAIMANTS"
    assert any("collected for wards only" in i.value for i in at.info)
    league = at.dataframe[-1].value.set_index("Ward")
    assert league.loc["Armley", "Value"] == "1,610"
    assert league.loc["Ardsley & Robin Hood", "Rank"] == 1


def test_the_indicator_map_shows_a_ward_level_indicator_by_ward(app_env):
    _load_youth_claimants(app_env)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/3_Indicator_map.py")
    at.query_params.update({"indicator": "YOUTH_CLAIMANTS", "geo": "lsoa"})
    at.run()
    assert not at.exception, at.exception
    assert any("collected for wards only" in i.value for i in at.info)
    table = at.dataframe[-1].value.set_index("Ward")
    assert table.loc["Armley", "Value"] == "1,610"
