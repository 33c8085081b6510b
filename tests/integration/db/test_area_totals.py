"""Area totals kept in the store: summed when data come in (seed, import, rollback, custom locality),
equal to the sums made live from the LSOAs, and never served once the data have moved on without them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import delete, event, select

from db import queries, schema, totals
from db.engine import make_engine, migrate
from db.localities import create_locality
from db.seed import seed
from ingest.history import rollback_batch
from ingest.importer import commit_import

ARMLEY = "E05011385"
LATEST = date(2026, 7, 1)  # the latest quarter of hate incidents


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, sqlite_url):
    if request.param == "sqlite":
        engine = make_engine(sqlite_url)
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        migrate(engine)
        seed(engine)
    yield engine
    engine.dispose()


def _kept(engine) -> pd.DataFrame:
    """Every row of ``area_totals``, in its key's order."""
    table = schema.area_totals
    with engine.connect() as connection:
        return queries._read(connection, select(table).order_by(*table.primary_key.columns))


def _summed_live(engine) -> pd.DataFrame:
    """What ``area_totals`` should hold: the sums made now from the LSOAs, for every area with LSOAs."""
    table = schema.area_totals
    with engine.connect() as connection:
        indicators = totals.summable_indicators(connection)
        statement = queries.summed_totals_select(indicators, totals._areas_with_lsoas(), None, None, stored=True)
        inner = statement.subquery()
        return queries._read(connection, select(inner).order_by(*(inner.c[c.name] for c in table.primary_key)))


def _assert_kept_totals_are_the_live_sums(engine) -> None:
    kept, live = _kept(engine), _summed_live(engine)
    assert len(kept) > 1000, "the seeded indicators' totals were not kept"
    assert set(kept["area_code"]) >= {ARMLEY, "E08000035"}  # a ward and the city
    pd.testing.assert_frame_equal(kept, live, check_dtype=False)
    with engine.connect() as connection:
        summable = {row["code"] for row in totals.summable_indicators(connection)}
        assert queries._kept_totals(connection, sorted(summable)) == summable


def _hate(engine, area_code: str) -> float:
    """The latest quarter's hate incidents in an area, as the pages read them."""
    indicator = queries.indicator_row(engine, "HATE")
    frame = queries.indicators_totals(engine, [indicator], [area_code], period_starts={"HATE": LATEST})
    return frame["numerator"].item()


def _import_armley(engine) -> int:
    lsoas = queries.lsoas_of(engine, [ARMLEY])["code"].tolist()
    rows = "".join(f"HATE,{code},2026-07-01,{2 if n == 0 else 0}\n" for n, code in enumerate(lsoas))
    return commit_import(engine, ("indicator_code,area_code,period_start,value\n" + rows).encode(), "armley.csv",
                         imported_by="test").batch_id


def test_the_kept_totals_are_the_live_sums_after_seed_import_rollback_and_a_new_locality(engine):
    _assert_kept_totals_are_the_live_sums(engine)
    before = _hate(engine, ARMLEY)
    batch_id = _import_armley(engine)
    _assert_kept_totals_are_the_live_sums(engine)
    assert _hate(engine, ARMLEY) == 2 != before
    rollback_batch(engine, batch_id, rolled_back_by="test")
    _assert_kept_totals_are_the_live_sums(engine)
    assert _hate(engine, ARMLEY) == before
    lsoas = queries.lsoas_of(engine, [ARMLEY])["code"].tolist()[:3]
    made = create_locality(engine, name="Armley Three", ward_code=ARMLEY, lsoa_codes=lsoas, created_by="test")
    _assert_kept_totals_are_the_live_sums(engine)
    assert made.code in set(_kept(engine)["area_code"])


def test_a_page_reads_the_kept_totals_the_same_as_summed_live(engine):
    indicators = [row for row in queries.indicator_catalogue(engine).to_dict("records")
                  if row["collection_geography"] == "lsoa" and row["estimate_type"] == "counted"]
    codes = [ARMLEY, "E08000035", queries.lsoas_of(engine, [ARMLEY])["code"].iloc[0]]  # and an LSOA
    sent: list[str] = []
    listener = lambda _c, _k, statement, *_a: sent.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    kept = queries.indicators_totals(engine, indicators, codes)
    kept_wards = queries.indicators_totals(engine, indicators, None, area_type="ward")
    event.remove(engine, "before_cursor_execute", listener)
    assert not any("FROM area_lsoas" in s and "FROM observations" in s and "area_totals" not in s for s in sent)
    with engine.begin() as connection:
        connection.execute(delete(schema.area_totals_stamps))
    live = queries.indicators_totals(engine, indicators, codes)
    live_wards = queries.indicators_totals(engine, indicators, None, area_type="ward")
    assert len(kept) > 100 and set(kept["area_code"]) == set(codes)
    pd.testing.assert_frame_equal(kept, live)
    pd.testing.assert_frame_equal(kept_wards, live_wards)


def test_totals_kept_before_an_area_lost_an_lsoa_are_not_served(engine):
    before = _hate(engine, ARMLEY)
    lsoa = queries.lsoas_of(engine, [ARMLEY])["code"].iloc[0]
    hate = _kept(engine).query("indicator_code == 'HATE' and area_code == @ARMLEY and period_start == @LATEST")
    with engine.connect() as connection:
        counts = dict(connection.execute(select(schema.observations.c.area_code, schema.observations.c.value).where(
            schema.observations.c.indicator_code == "HATE", schema.observations.c.period_start == LATEST)).all())
    assert counts[lsoa] > 0, "pick an LSOA with incidents, so that losing it changes the total"
    with engine.begin() as connection:  # a change of membership that no refresh follows
        members = schema.area_lsoas
        connection.execute(delete(members).where(members.c.area_code == ARMLEY, members.c.lsoa_code == lsoa))
    assert hate["numerator"].item() == before
    assert _hate(engine, ARMLEY) == before - counts[lsoa]


def test_a_file_of_one_quarter_sums_that_quarter_again_and_leaves_the_others(engine):
    table = schema.area_totals
    earlier = table.c.period_start < LATEST
    mark = (table.c.indicator_code == "HATE") & (table.c.area_code == ARMLEY) & earlier
    with engine.begin() as connection:  # a mark on every earlier quarter's kept total, to see whether it is rewritten
        marked = connection.execute(table.update().where(mark).values(value_sum=-1)).rowcount
    assert marked > 1
    _import_armley(engine)
    with engine.connect() as connection:
        still = connection.execute(select(table.c.value_sum).where(mark)).scalars().all()
    assert still == [-1] * marked
    assert _hate(engine, ARMLEY) == 2
    latest = _kept(engine).query("period_start == @LATEST")
    live = _summed_live(engine).query("period_start == @LATEST")
    assert len(latest) > 10  # every area with LSOAs, that quarter
    pd.testing.assert_frame_equal(latest.reset_index(drop=True), live.reset_index(drop=True), check_dtype=False)
