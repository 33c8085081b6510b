"""A store may hold LSOAs of other districts (the national store holds England's): the maps show the
district's own LSOAs only."""

from datetime import date

from sqlalchemy import insert

from db import queries, schema
from db.engine import make_engine
from tests.app.test_pages import page

ELSEWHERE = "E01999999"


def add_an_lsoa_of_another_district(url: str, indicator_code: str) -> None:
    """An LSOA outside Leeds, with a value for the indicator's newest period (no boundary, as the
    national store's synthetic LSOAs have none)."""
    engine = make_engine(url)
    start = queries.latest_period_starts(engine, date(2100, 1, 1))[indicator_code]
    end = queries.latest_period_ends(engine).set_index("indicator_code").at[indicator_code, "latest_period_end"]
    with engine.begin() as connection:
        connection.execute(insert(schema.areas).values(code=ELSEWHERE, name="Elsewhere 001A", type="lsoa",
                                                       basis="2021", population=1_500, is_custom=False))
        connection.execute(insert(schema.observations).values(
            indicator_code=indicator_code, area_code=ELSEWHERE, period_start=start, period_end=end, value=7.0,
            numerator=7.0, denominator=1_500.0, status="final", basis="2021", suppressed=False))
    engine.dispose()


def test_the_lsoa_map_lists_only_the_districts_lsoas(app_env):
    add_an_lsoa_of_another_district(app_env, "CRIME_ALL")
    at = page("3_Indicator_map.py", indicator="CRIME_ALL", geo="lsoa")
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = at.dataframe[-1].value
    assert "Elsewhere 001A" not in set(table["LSOA"])
    assert len(table) == 488  # every Leeds LSOA of the 2021 basis, and no other
