"""The same questions give the same answers on PostgreSQL as on SQLite."""

from datetime import date

import pandas as pd
import pytest

from db.engine import make_engine, migrate
from db.seed import seed
from views import explore, plans, programme, scorecards

pytestmark = pytest.mark.postgres
AS_OF = date(2026, 9, 1)


@pytest.fixture(scope="module")
def pg_engine(postgres_cluster):
    url = postgres_cluster.create_database()
    engine = make_engine(url)
    migrate(engine)
    seed(engine)
    yield engine
    engine.dispose()
    postgres_cluster.drop_database(url)


def test_programme_status_matches(pg_engine, seeded_engine):
    on_pg = programme.programme_status(pg_engine, AS_OF)
    on_sqlite = programme.programme_status(seeded_engine, AS_OF)
    assert len(on_pg) == 30
    pd.testing.assert_frame_equal(on_pg, on_sqlite)


def test_locality_scorecard_matches(pg_engine, seeded_engine):
    area_pg = scorecards.locality_context(pg_engine, "PN-CLNW")
    area_sqlite = scorecards.locality_context(seeded_engine, "PN-CLNW")
    on_pg = scorecards.locality_scorecard(pg_engine, area_pg, AS_OF).drop(columns=["sparkline"])
    on_sqlite = scorecards.locality_scorecard(seeded_engine, area_sqlite, AS_OF).drop(columns=["sparkline"])
    pd.testing.assert_frame_equal(on_pg, on_sqlite)


def test_ward_league_and_actions_match(pg_engine, seeded_engine):
    crime_pg = scorecards.indicator_lookup(pg_engine)["CRIME_ALL"]
    crime_sqlite = scorecards.indicator_lookup(seeded_engine)["CRIME_ALL"]
    league_pg = explore.area_values(pg_engine, crime_pg, "ward", AS_OF)
    league_sqlite = explore.area_values(seeded_engine, crime_sqlite, "ward", AS_OF)
    assert len(league_pg) == 33
    pd.testing.assert_frame_equal(league_pg.reset_index(drop=True), league_sqlite.reset_index(drop=True),
                                  check_dtype=False)
    actions_pg = plans.actions_with_status(pg_engine, None, AS_OF)
    actions_sqlite = plans.actions_with_status(seeded_engine, None, AS_OF)
    assert list(actions_pg["rag_label"]) == list(actions_sqlite["rag_label"])
    assert set(actions_pg["linked_indicators"].dropna().map(lambda s: frozenset(s.split(",")))) == set(
        actions_sqlite["linked_indicators"].dropna().map(lambda s: frozenset(s.split(","))))
