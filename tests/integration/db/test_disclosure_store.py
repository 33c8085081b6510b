"""The small-number decision kept in the store: made when data come in, read while it holds for the
data, made again (and the new answer shown) as soon as an import, rollback or custom locality
changes what it was made on."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import event, func, select

from db import disclosure, queries, schema
from db.disclosure import published_figures
from db.engine import make_engine
from db.localities import create_locality, delete_custom_locality
from ingest.history import rollback_batch
from ingest.importer import commit_import
from metrics.disclosure import Release

ARMLEY = "E05011385"
HARWOOD = "E05011396"
OTLEY = "E05011549"
LATEST = date(2026, 7, 1)  # the latest quarter of hate incidents


def _new_process() -> None:
    """Forget what this process remembers, as a freshly started app would."""
    disclosure._decisions.clear()
    disclosure._memberships.clear()
    disclosure._catalogues.clear()
    disclosure._stamps.clear()


class Statements:
    """The SQL an engine sends while the block runs."""

    def __init__(self, engine) -> None:
        self.engine, self.sent = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        self.sent.append(" ".join(statement.split()))

    def reading_counts(self) -> list[str]:
        return [s for s in self.sent if "FROM observations" in s and "numerator" in s]


def _figure(engine, area_code: str, period_start: date = LATEST) -> tuple[Release, float]:
    figures = published_figures(engine, "HATE")
    row = figures[(figures["area_code"] == area_code) & (figures["period_start"] == period_start)]
    return row["release"].item(), row["count"].item()


def _make_armley_small(engine) -> int:
    lsoas = queries.lsoas_of(engine, [ARMLEY])["code"].tolist()
    rows = "".join(f"HATE,{code},2026-07-01,{2 if n == 0 else 0}\n" for n, code in enumerate(lsoas))
    return commit_import(engine, ("indicator_code,area_code,period_start,value\n" + rows).encode(), "armley.csv",
                         imported_by="test").batch_id


@pytest.fixture()
def engine(sqlite_url):
    engine = make_engine(sqlite_url)
    _new_process()
    yield engine
    engine.dispose()
    _new_process()


def test_a_seeded_store_holds_its_decisions_and_a_page_reads_them_without_the_counts(engine):
    with engine.connect() as connection:
        stored = connection.execute(select(schema.disclosure_stamps.c.indicator_code)).scalars().all()
    assert {"HATE", "NEET"} <= set(stored) and "ASB_ALL" not in stored
    with Statements(engine) as statements:
        release, count = _figure(engine, HARWOOD)
    assert (release, count) == (Release.SMALL, 4)
    assert statements.reading_counts() == []
    assert len(statements.sent) <= 4
    from_store = published_figures(engine, "HATE")
    _new_process()
    with engine.begin() as connection:
        disclosure.forget_decisions(connection)
    with Statements(engine) as statements:
        decided = published_figures(engine, "HATE")
    assert len(statements.reading_counts()) == 1  # nothing held: decided from the counts, and stored again
    pd.testing.assert_frame_equal(from_store, decided, check_dtype=False)
    assert from_store["release"].map(type).eq(Release).all()


def _cut(whole: pd.DataFrame, areas: list[str], first: date, last: date) -> pd.DataFrame:
    keep = whole["area_code"].isin(areas) & (whole["period_start"] >= first) & (whole["period_start"] <= last)
    return whole[keep].reset_index(drop=True)


def test_a_page_reads_only_its_rows_in_one_statement_and_they_say_what_the_whole_says(engine):
    whole = published_figures(engine, "HATE")
    assert whole["area_code"].nunique() > 500  # every LSOA, ward, committee area and locality
    _new_process()
    first, last = whole["period_start"].min(), whole["period_start"].max()
    for areas, periods in (([HARWOOD, ARMLEY], (first, last)),  # two areas' series
                           (sorted(whole["area_code"].unique()), (LATEST, LATEST))):  # one period's areas
        with Statements(engine) as statements:
            narrowed = published_figures(engine, "HATE", areas=areas, periods=periods)
        assert len(statements.sent) == 1 and statements.reading_counts() == []
        assert 0 < len(narrowed) < len(whole)
        pd.testing.assert_frame_equal(narrowed, _cut(whole, areas, *periods))
    harwood = published_figures(engine, "HATE", areas=[HARWOOD], periods=(LATEST, LATEST))
    assert harwood[["release", "count"]].values.tolist() == [[Release.SMALL, 4]]


@pytest.mark.parametrize("stored_by_the_import", [True, False])
def test_a_narrowed_read_after_an_import_gives_the_new_answer(engine, monkeypatch, stored_by_the_import):
    if not stored_by_the_import:  # the stamp is then older than the data: decided again on the read
        monkeypatch.setattr("ingest.importer.store_decisions", lambda *args, **kwargs: [])
    assert published_figures(engine, "HATE", areas=[ARMLEY], periods=(LATEST, LATEST))["release"].item() \
        is Release.SHOWN
    _make_armley_small(engine)
    _new_process()
    narrowed = published_figures(engine, "HATE", areas=[ARMLEY], periods=(LATEST, LATEST))
    assert narrowed[["release", "count"]].values.tolist() == [[Release.SMALL, 2]]
    pd.testing.assert_frame_equal(narrowed, _cut(published_figures(engine, "HATE"), [ARMLEY], LATEST, LATEST))


def test_an_import_decides_again_at_once_and_a_new_process_reads_the_new_answer(engine):
    assert _figure(engine, ARMLEY)[0] is Release.SHOWN
    _make_armley_small(engine)
    _new_process()
    with Statements(engine) as statements:
        assert _figure(engine, ARMLEY) == (Release.SMALL, 2)
    assert statements.reading_counts() == []  # the import stored the new decision


def test_a_stale_stored_decision_is_made_again_when_the_import_did_not_store_it(engine, monkeypatch):
    monkeypatch.setattr("ingest.importer.store_decisions", lambda *args, **kwargs: [])
    assert _figure(engine, ARMLEY)[0] is Release.SHOWN
    _make_armley_small(engine)
    _new_process()
    with Statements(engine) as statements:
        assert _figure(engine, ARMLEY) == (Release.SMALL, 2)
    assert len(statements.reading_counts()) == 1


def test_an_import_of_another_indicator_leaves_the_stored_decision_in_use(engine):
    before = published_figures(engine, "HATE")
    lsoa = queries.lsoas_of(engine, [ARMLEY])["code"].iloc[0]
    commit_import(engine, f"indicator_code,area_code,period_start,value\nASB_ALL,{lsoa},2026-07-01,99\n".encode(),
                  "asb.csv", imported_by="test")
    _new_process()
    with Statements(engine) as statements:
        after = published_figures(engine, "HATE")
    assert statements.reading_counts() == []
    pd.testing.assert_frame_equal(before, after)


def test_a_rollback_brings_back_the_decision_before_the_import(engine):
    batch = _make_armley_small(engine)
    assert _figure(engine, ARMLEY)[0] is Release.SMALL
    rollback_batch(engine, batch, rolled_back_by="test")
    _new_process()
    release, count = _figure(engine, ARMLEY)
    assert release is Release.SHOWN and count >= 5


def test_a_custom_locality_made_again_on_other_lsoas_gets_its_own_figures(engine):
    otley = queries.lsoas_of(engine, [OTLEY])["code"].tolist()
    counts = published_figures(engine, "HATE").set_index(["area_code", "period_start"])["count"]

    def made_of(lsoas: list[str]) -> tuple[str, float]:
        code = create_locality(engine, name="Wharfedale", ward_code=OTLEY, lsoa_codes=lsoas, created_by="t").code
        figures = published_figures(engine, "HATE").set_index(["area_code", "period_start"])["count"]
        return code, figures.loc[(code, LATEST)]

    first, second = otley[:3], otley[-3:]
    code, total = made_of(first)
    assert total == sum(counts.loc[(lsoa, LATEST)] for lsoa in first)
    delete_custom_locality(engine, code)
    code_again, total = made_of(second)
    assert code_again == code
    assert total == sum(counts.loc[(lsoa, LATEST)] for lsoa in second)
    _new_process()  # another process, which remembered nothing: the store says the same
    assert _figure(engine, code)[1] == total


def test_a_busy_store_still_answers_and_stores_nothing(engine):
    with engine.begin() as connection:
        disclosure.forget_decisions(connection)
    with engine.connect() as writer:
        writer.exec_driver_sql("BEGIN IMMEDIATE")  # an import holding the write lock
        assert _figure(engine, HARWOOD) == (Release.SMALL, 4)
        writer.rollback()
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.disclosure_stamps)).scalar() == 0



def test_narrowed_reads_of_a_store_that_cannot_keep_the_decision_make_it_once(engine):
    whole = published_figures(engine, "HATE")
    with engine.begin() as connection:
        disclosure.forget_decisions(connection)
    with engine.connect() as writer:
        writer.exec_driver_sql("BEGIN IMMEDIATE")  # an import holding the write lock
        with Statements(engine) as statements:
            reads = {area: published_figures(engine, "HATE", areas=[area], periods=(LATEST, LATEST))
                     for area in (HARWOOD, ARMLEY, OTLEY)}
        writer.rollback()
    assert len(statements.reading_counts()) == 1  # decided from the counts once, not once per read
    for area, narrowed in reads.items():
        pd.testing.assert_frame_equal(narrowed, _cut(whole, [area], LATEST, LATEST), check_dtype=False)
    assert reads[HARWOOD][["release", "count"]].values.tolist() == [[Release.SMALL, 4]]

@pytest.mark.postgres
def test_postgresql_stores_and_reads_the_same_decision(postgres_url, engine):
    from db.engine import migrate
    from db.seed import seed

    pg = make_engine(postgres_url)
    migrate(pg)
    seed(pg)
    _new_process()
    with Statements(pg) as statements:
        on_pg = published_figures(pg, "HATE")
    assert statements.reading_counts() == []
    pd.testing.assert_frame_equal(on_pg, published_figures(engine, "HATE"), check_dtype=False)
    areas, periods = [HARWOOD, ARMLEY], (LATEST, LATEST)
    with Statements(pg) as statements:
        narrowed = published_figures(pg, "HATE", areas=areas, periods=periods)
    assert len(statements.sent) == 1
    pd.testing.assert_frame_equal(narrowed, _cut(on_pg, areas, *periods), check_dtype=False)
    _make_armley_small(pg)
    _new_process()
    assert _figure(pg, ARMLEY) == (Release.SMALL, 2)
    pg.dispose()
