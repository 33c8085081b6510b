"""A valid file adds exactly its rows, a re-import changes nothing, a replaced value stays in the
history, rollback restores exactly, and two imports at once run one after the other.
SQLite always; PostgreSQL with the private cluster."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db import schema
from ingest import importer
from db.engine import make_engine
from db.errors import NotFound
from ingest.history import RollbackRefused, observation_history, rollback_batch
from ingest.importer import commit_import, preview_import, save_action_progress
from ingest.templates import KINDS, TEMPLATE_ROWS, template_bytes
from tests.fixtures.uploads import CORPUS, seed_small_store, store_digest, table_rows

@pytest.fixture(scope="module")
def small_sqlite_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    seed_small_store(f"sqlite:///{folder / 'small.sqlite'}", folder)
    return folder / "small.sqlite"


@pytest.fixture()
def store_url(small_sqlite_file, tmp_path) -> str:
    """A private copy of a store seeded with the small sample (all the geography, few observations)."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(small_sqlite_file, copy)
    return f"sqlite:///{copy}"


DATA_TABLES = ["observations", "targets", "actions", "action_indicators", "events", "indicators"]
HEADER = "indicator_code,area_code,period_start,period_end,value,numerator,denominator,status\n"
TABLE_OF = {"observations": "observations", "targets": "targets", "actions": "actions", "events": "events",
            "indicators": "indicators"}


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def _value(url: str, indicator: str, area: str, start: date):
    engine = make_engine(url)
    obs = schema.observations
    with engine.connect() as connection:
        row = connection.execute(select(obs.c.value, obs.c.batch_id).where(
            obs.c.indicator_code == indicator, obs.c.area_code == area, obs.c.period_start == start)).first()
    engine.dispose()
    return row


def _batches(url: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = [dict(r) for r in connection.execute(select(schema.import_batches).order_by(schema.import_batches.c.id))
                .mappings()]
    engine.dispose()
    return rows


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_template_adds_exactly_its_two_rows_and_a_second_import_changes_nothing(store_url, kind):
    engine = make_engine(store_url)
    before = table_rows(store_url, DATA_TABLES)
    result = commit_import(engine, template_bytes(kind), f"{kind}.csv", imported_by="officer@leeds.gov.uk")
    assert (result.rows_new, result.rows_changed, result.rows_unchanged) == (2, 0, 0)
    after = table_rows(store_url, DATA_TABLES)
    table = TABLE_OF[kind]
    assert len(after[table]) == len(before[table]) + 2
    assert set(before[table]) < set(after[table])
    for other in set(DATA_TABLES) - {table, "action_indicators"}:
        assert after[other] == before[other]
    batch = _batches(store_url)[-1]
    assert batch["id"] == result.batch_id and batch["kind"] == kind and batch["file_name"] == f"{kind}.csv"
    assert batch["imported_by"] == "officer@leeds.gov.uk" and len(batch["sha256"]) == 64
    assert (batch["rows_total"], batch["rows_new"], batch["outcome"]) == (2, 2, "committed")

    engine.dispose()
    digest = store_digest(store_url)
    again = commit_import(engine, template_bytes(kind, excel=True), f"{kind}.xlsx", imported_by="someone else")
    assert again.batch_id is None and again.rows_unchanged == 2
    assert again.message.startswith(f"Nothing to change: all 2 rows of {kind}.xlsx are already in the database")
    engine.dispose()
    assert store_digest(store_url) == digest


def test_template_rows_are_the_ones_stored(store_url):
    engine = make_engine(store_url)
    commit_import(engine, template_bytes("observations"), "o.csv", imported_by="t")
    example = TEMPLATE_ROWS["observations"][0]
    stored = _value(store_url, example["indicator_code"], example["area_code"], date(2026, 10, 1))
    assert stored.value == pytest.approx(example["value"])


def test_a_changed_value_keeps_the_old_one_and_rollback_restores_exactly(store_url):
    engine = make_engine(store_url)
    before = table_rows(store_url, DATA_TABLES)
    original = _value(store_url, "EMPTY_HOMES", "E01011264", date(2016, 1, 1))
    content = _csv("EMPTY_HOMES,E01011264,2016-01-01,2016-03-31,9,9,1222,final",
                   "EMPTY_HOMES,E01011264,2026-10-01,,3,3,1222,provisional")
    preview = preview_import(engine, content, "revised.csv")
    assert (len(preview.new), len(preview.changed), preview.unchanged) == (1, 1, 0)
    side_by_side = preview.changed.iloc[0]
    assert (side_by_side["value now"], side_by_side["value in file"]) == (original.value, 9)

    result = commit_import(engine, content, "revised.csv", imported_by="analyst")
    assert _value(store_url, "EMPTY_HOMES", "E01011264", date(2016, 1, 1)) == (9, result.batch_id)
    versions = observation_history(engine, "EMPTY_HOMES", "E01011264", date(2016, 1, 1))
    assert list(versions["value"]) == [original.value, 9]
    assert list(versions["written_by_batch"]) == [original.batch_id, result.batch_id]
    assert versions["written_by"].iloc[1] == "analyst" and versions["current"].tolist() == [False, True]

    undone = rollback_batch(engine, result.batch_id, rolled_back_by="analyst")
    assert (undone.restored, undone.removed) == (1, 1)
    assert table_rows(store_url, DATA_TABLES) == before
    log = _batches(store_url)
    assert log[-2]["outcome"] == "rolled_back" and log[-1]["kind"] == "rollback"
    assert list(observation_history(engine, "EMPTY_HOMES", "E01011264", date(2016, 1, 1))["value"]) == [
        original.value, 9, original.value]


def test_rollback_is_refused_while_a_later_batch_holds_the_same_rows(store_url):
    engine = make_engine(store_url)
    before = table_rows(store_url, ["observations"])
    first = commit_import(engine, _csv("FLYTIP,E01011264,2016-01-01,,11,11,1222,final"), "a.csv", imported_by="a")
    second = commit_import(engine, _csv("FLYTIP,E01011264,2016-01-01,,12,12,1222,final"), "b.csv", imported_by="b")
    with pytest.raises(RollbackRefused, match=f"changed by batch {second.batch_id}.*Roll back the later change"):
        rollback_batch(engine, first.batch_id, rolled_back_by="a")
    rollback_batch(engine, second.batch_id, rolled_back_by="b")
    assert _value(store_url, "FLYTIP", "E01011264", date(2016, 1, 1)).value == 11
    rollback_batch(engine, first.batch_id, rolled_back_by="a")
    assert table_rows(store_url, ["observations"]) == before
    with pytest.raises(RollbackRefused, match="already been rolled back"):
        rollback_batch(engine, first.batch_id, rolled_back_by="a")
    with pytest.raises(RollbackRefused, match="is itself a rollback"):
        rollback_batch(engine, _batches(store_url)[-1]["id"], rolled_back_by="a")
    with pytest.raises(RollbackRefused, match="seed data"):
        rollback_batch(engine, 1, rolled_back_by="a")
    with pytest.raises(NotFound, match="no import batch 999"):
        rollback_batch(engine, 999, rolled_back_by="a")


def test_actions_and_targets_roll_back_exactly_and_not_over_a_later_edit(store_url):
    engine = make_engine(store_url)
    before = table_rows(store_url, DATA_TABLES)
    actions = ("area_code,action_ref,title,lead,theme,start_date,due_date,percent_complete,status,linked_indicators\n"
               "PN-NWORT,NW-01,Youth panel (renamed),Youth Service,Safety,2017-04-01,2018-03-31,100,complete,HATE\n"
               "PN-NWORT,NW-40,New action,Youth Service,Safety,2026-04-01,2027-03-31,5,in_progress,ASB_ALL;HATE\n")
    batch = commit_import(engine, actions.encode(), "actions.csv", imported_by="officer")
    assert (batch.rows_new, batch.rows_changed) == (1, 1)
    targets = commit_import(engine, template_bytes("targets"), "targets.csv", imported_by="officer")
    rollback_batch(engine, targets.batch_id, rolled_back_by="officer")
    rollback_batch(engine, batch.batch_id, rolled_back_by="officer")
    assert table_rows(store_url, DATA_TABLES) == before

    again = commit_import(engine, actions.encode(), "actions.csv", imported_by="officer")
    with engine.connect() as connection:
        new_id = connection.execute(select(schema.actions.c.id).where(schema.actions.c.ref == "NW-40")).scalar_one()
    save_action_progress(engine, {new_id: {"percent_complete": 25}}, changed_by="editor")
    with pytest.raises(RollbackRefused, match="action PN-NWORT NW-40 was changed"):
        rollback_batch(engine, again.batch_id, rolled_back_by="officer")


@pytest.mark.parametrize(("name", "table", "expected"), [
    ("good_utf8_bom.csv", "observations", {"indicator_code": "ASB_ALL", "value": 4.0}),
    ("good_cp1252_events.csv", "events", {"title": "Clean-up day – ginnels",
                                          "description": "Skip hire £250 paid by the ward"}),
    ("good_semicolon_uk_dates.csv", "observations", {"indicator_code": "HATE", "status": "provisional",
                                                     "period_end": date(2026, 12, 31)}),
    ("good_utf16_tab.txt", "observations", {"indicator_code": "FLYTIP", "value": 7.0, "numerator": 7.0}),
    ("good_observations.xlsx", "observations", {"indicator_code": "HATE", "value": 2.0}),
])
def test_files_as_excel_and_other_programs_write_them_import_correctly(store_url, name, table, expected):
    engine = make_engine(store_url)
    result = commit_import(engine, (CORPUS / name).read_bytes(), name, imported_by="t")
    assert result.rows_new >= 1
    with engine.connect() as connection:
        stored = [dict(r) for r in connection.execute(select(schema.metadata.tables[table]).where(
            schema.metadata.tables[table].c.batch_id == result.batch_id)).mappings()]
    assert any(all(row[k] == v for k, v in expected.items()) for row in stored), stored


def _import_twice_at_once(url: str, monkeypatch) -> tuple[list, list]:
    """Two threads import different values for the same row; returns (results, write intervals)."""
    intervals: list[tuple[float, float]] = []
    real_write = importer.ObservationDiff.write

    def slow_write(self, connection, batch_id, who):
        started = time.monotonic()
        time.sleep(0.4)  # long enough that an interleaving would be caught
        real_write(self, connection, batch_id, who)
        intervals.append((started, time.monotonic()))

    monkeypatch.setattr(importer.ObservationDiff, "write", slow_write)
    engine = make_engine(url)
    results: list = [None, None]
    barrier = threading.Barrier(2)

    def run(index: int, value: int) -> None:
        barrier.wait()
        results[index] = commit_import(engine, _csv(f"EMPTY_HOMES,E01011264,2026-10-01,,{value},{value},1222,final"),
                                       f"thread{index}.csv", imported_by=f"thread {index}")

    threads = [threading.Thread(target=run, args=(i, 20 + i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    return results, sorted(intervals)


def _check_one_after_the_other(url: str, results: list, intervals: list) -> None:
    assert all(r is not None for r in results)
    assert len(intervals) == 2 and intervals[0][1] <= intervals[1][0], intervals
    first, second = sorted(results, key=lambda r: r.batch_id)
    assert (first.rows_new, second.rows_changed) == (1, 1)
    winner = 20 + results.index(second)
    assert _value(url, "EMPTY_HOMES", "E01011264", date(2026, 10, 1)) == (winner, second.batch_id)
    versions = observation_history(make_engine(url), "EMPTY_HOMES", "E01011264", date(2026, 10, 1))
    assert versions["written_by_batch"].tolist()[-2:] == [first.batch_id, second.batch_id]


def test_two_imports_at_once_run_one_after_the_other_on_sqlite(store_url, monkeypatch):
    results, intervals = _import_twice_at_once(store_url, monkeypatch)
    _check_one_after_the_other(store_url, results, intervals)


@pytest.fixture()
def small_postgres(postgres_url, tmp_path) -> str:
    return seed_small_store(postgres_url, tmp_path)


@pytest.mark.postgres
def test_two_imports_at_once_run_one_after_the_other_on_postgres(small_postgres, monkeypatch):
    results, intervals = _import_twice_at_once(small_postgres, monkeypatch)
    _check_one_after_the_other(small_postgres, results, intervals)


@pytest.mark.postgres
def test_import_reimport_and_rollback_on_postgres(small_postgres):
    engine = make_engine(small_postgres)
    before = table_rows(small_postgres, DATA_TABLES)
    batches = [commit_import(engine, template_bytes(kind), f"{kind}.csv", imported_by="pg") for kind in KINDS]
    assert [b.rows_new for b in batches] == [2] * len(KINDS)
    assert commit_import(engine, template_bytes("actions"), "actions.csv", imported_by="pg").batch_id is None
    changed = commit_import(engine, _csv("EMPTY_HOMES,E01011264,2016-01-01,,9,9,1222,final"), "c.csv",
                            imported_by="pg")
    assert changed.rows_changed == 1
    for batch in reversed([*batches, changed]):
        rollback_batch(engine, batch.batch_id, rolled_back_by="pg")
    engine.dispose()
    assert table_rows(small_postgres, DATA_TABLES) == before
    digest = store_digest(small_postgres)
    with pytest.raises(Exception, match="nothing was imported"):
        commit_import(make_engine(small_postgres), (CORPUS / "many_problems.csv").read_bytes(), "m.csv",
                      imported_by="pg")
    assert store_digest(small_postgres) == digest


def test_a_column_left_out_keeps_what_is_stored(store_url):
    engine = make_engine(store_url)
    obs = schema.observations
    claimant = ("indicator_code,area_code,period_start,value,numerator,denominator\n"
                "CLAIMANT,E01011264,2016-01-01,50,10,20\n").encode()
    commit_import(engine, claimant, "claimant.csv", imported_by="t")  # no status column: status unchanged
    content = b"indicator_code,area_code,period_start,value\nASB_ALL,E01011264,2016-01-01,9\n"
    commit_import(engine, content, "values-only.csv", imported_by="t")
    with engine.connect() as connection:
        rows = {r.indicator_code: r for r in connection.execute(select(obs).where(
            obs.c.area_code == "E01011264", obs.c.period_start == date(2016, 1, 1),
            obs.c.indicator_code.in_(["ASB_ALL", "CLAIMANT"])))}
    assert (rows["ASB_ALL"].value, rows["ASB_ALL"].numerator, rows["ASB_ALL"].denominator) == (9, 9, 1222)
    assert rows["CLAIMANT"].status == "final" and rows["CLAIMANT"].value == 50
    actions = ("area_code,action_ref,title,lead,theme,start_date,due_date,percent_complete,status\n"
               "PN-NWORT,NW-01,Renamed,Youth Service,Safety,2017-04-01,2018-03-31,100,complete\n").encode()
    commit_import(engine, actions, "actions.csv", imported_by="t")
    with engine.connect() as connection:
        links = connection.execute(select(schema.action_indicators.c.indicator_code).join(
            schema.actions, schema.actions.c.id == schema.action_indicators.c.action_id).where(
            schema.actions.c.ref == "NW-01")).scalars().all()
        commentary = connection.execute(select(schema.actions.c.commentary).where(
            schema.actions.c.ref == "NW-01")).scalar_one()
    assert sorted(links) == ["ASB_ALL", "ASB_YOUTH"] and commentary
