"""The benchmark stores are generated deterministically and written in full on both engines."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from db import schema
from db.engine import make_engine
from db.scale import generate_indicator, month_starts, synthetic_indicators, write_scale_store
from tests.fixtures.uploads import seed_small_store

LSOAS = pd.DataFrame({"code": ["E01000001", "E01000002", "E01000003"], "basis": ["2011", "both", "2021"],
                      "population": [1500, 1600, None]})


def _stored(engine) -> tuple[int, float]:
    obs = schema.observations
    with engine.connect() as connection:
        return tuple(connection.execute(select(func.count(), func.sum(obs.c.value))
                                        .where(obs.c.indicator_code.like("SYN_%"))).one())


def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    indicator = synthetic_indicators(1)[0]
    months = month_starts(24)
    first = generate_indicator(indicator=indicator, lsoas=LSOAS, months=months, seed=7, index=1)
    again = generate_indicator(indicator=indicator, lsoas=LSOAS, months=months, seed=7, index=1)
    other = generate_indicator(indicator=indicator, lsoas=LSOAS, months=months, seed=8, index=1)
    pd.testing.assert_frame_equal(first, again)
    assert first["value"].sum() != other["value"].sum()
    assert len(first) == 2 * 24  # each month on the LSOAs of its own basis: two LSOAs either side of 2021


def test_months_before_census_day_are_on_2011_lsoas():
    quarterly = synthetic_indicators(1)[0] | {"frequency": "quarterly"}
    frame = generate_indicator(indicator=quarterly, lsoas=LSOAS, months=month_starts(12, pd.Timestamp("2021-12-01")
                                                                                      .date()), seed=1, index=1)
    before = frame[frame["period_start"] < pd.Timestamp("2021-03-21").date()]
    assert set(before["area_code"]) == {"E01000001", "E01000002"} and set(before["basis"]) == {"2011"}
    assert sorted({p.month for p in frame["period_start"]}) == [1, 4, 7, 10]


def test_a_tiny_national_store_on_sqlite(engine):
    summary = write_scale_store(engine, "national", lsoas=50, months=3)
    assert (summary.rows, summary.lsoas, summary.indicators) == (50 * 3 * 20, 50, 20)
    rows, total = _stored(engine)
    assert rows == 3000 and total == pytest.approx(summary.value_sum)


@pytest.mark.postgres
def test_a_tiny_national_store_on_postgresql_matches_sqlite(engine, postgres_url, tmp_path):
    on_sqlite = write_scale_store(engine, "national", lsoas=50, months=3)
    pg = make_engine(seed_small_store(postgres_url, tmp_path))
    on_postgres = write_scale_store(pg, "national", lsoas=50, months=3)
    stored = _stored(pg)
    pg.dispose()
    assert on_postgres == on_sqlite
    assert stored[0] == 3000 and stored[1] == pytest.approx(on_sqlite.value_sum)
