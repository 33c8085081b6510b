"""Indicators published by calendar year or as three pooled years show on the pages without error."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from streamlit.testing.v1 import AppTest

from db import schema
from db.engine import make_engine
from db.geography import CENSUS_DAY_2021
from ingest.importer import commit_import

ROOT = Path(__file__).resolve().parents[2]
YEARS = {"calendar_year": ("2021-01-01", "2022-01-01", "2023-01-01"),
         "pooled_3_years": ("2019-01-01", "2020-01-01", "2021-01-01")}
LABELS = {"calendar_year": "2023", "pooled_3_years": "2021-23"}


def _define(engine, code: str, frequency: str) -> None:
    """A count indicator collected by LSOA, like the catalogue's, with the given frequency."""
    with engine.begin() as connection:
        connection.execute(insert(schema.indicators).values(
            code=code, name=f"Test {frequency.replace('_', ' ')} indicator", theme="Health and wellbeing",
            definition="Hospital admissions in the period, counted where the patient lives.",
            source="Test source", unit="count", polarity="lower_is_better", frequency=frequency,
            aggregation="sum", collection_geography="lsoa", disclosure_control=False, staleness_days=900,
            missing_means_zero=False, estimate_type="counted"))


def _import_values(engine, code: str, frequency: str) -> None:
    """One value per LSOA and period: 10 + the LSOA's position + the year's position. Each period is sent
    on one LSOA basis, the one its start date implies (2011 before Census day 2021, 2021 from it)."""
    areas = schema.areas
    lines = ["indicator_code,area_code,period_start,value,status"]
    with engine.connect() as connection:
        for y, start in enumerate(YEARS[frequency]):
            basis = "2021" if date.fromisoformat(start) >= CENSUS_DAY_2021 else "2011"
            lsoas = connection.execute(select(areas.c.code).where(
                areas.c.type == "lsoa", areas.c.basis.in_([basis, "both"])).order_by(areas.c.code)).scalars().all()
            lines += [f"{code},{lsoa},{start},{10 + i % 7 + y},final" for i, lsoa in enumerate(lsoas)]
    result = commit_import(engine, "\n".join(lines).encode(), f"{frequency}.csv", imported_by="analyst@test")
    assert result.rows_new == len(lines) - 1


def page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"pages/{name}")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(params=["calendar_year", "pooled_3_years"])
def yearly_indicator(request, app_env):
    engine = make_engine(app_env)
    code = f"TEST_{request.param.upper()}"
    _define(engine, code, request.param)
    _import_values(engine, code, request.param)
    engine.dispose()
    return code, request.param


def test_profile_shows_a_yearly_indicator_with_its_period_label(yearly_indicator):
    code, frequency = yearly_indicator
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2024-06", indicator=code)
    assert not at.exception, at.exception
    scorecard = at.dataframe[0].value
    row = scorecard[scorecard["Indicator"] == f"Test {frequency.replace('_', ' ')} indicator"]
    assert len(row) == 1
    assert f"**Latest period:** {LABELS[frequency]}" in "\n".join(m.value for m in at.markdown)  # the details


def test_indicator_map_shows_a_yearly_indicator_by_ward(yearly_indicator):
    code, frequency = yearly_indicator
    at = page("3_Indicator_map.py", indicator=code, geo="ward", period="2024-06")
    assert not at.exception, at.exception
    assert any(LABELS[frequency] in m.value for m in at.markdown)
    assert len(at.dataframe[-1].value) == 33


@pytest.mark.parametrize("name", ["2_Ward_explorer.py", "5_Snapshot.py", "8_About_and_methods.py"])
def test_other_pages_render_with_a_yearly_indicator(yearly_indicator, name):
    code, _ = yearly_indicator
    at = page(name, indicator=code, ward="E05011404", area="PN-NWORT", period="2024-06")
    assert not at.exception, at.exception
