"""The Alembic migration creates the schema the code declares, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect, insert, text
from sqlalchemy.exc import IntegrityError

from db import schema
from db.engine import MIGRATIONS_DIR, alembic_config, make_engine, migrate, newest_revision, schema_is_current

EXPECTED_TABLES = {table.name for table in schema.metadata.sorted_tables}


def _check_migrated(url: str) -> None:
    engine = make_engine(url)
    assert not schema_is_current(engine)
    migrate(engine)
    assert schema_is_current(engine)
    inspector = inspect(engine)
    assert EXPECTED_TABLES <= set(inspector.get_table_names())
    for table in schema.metadata.sorted_tables:
        declared = {c.name for c in table.columns}
        assert {c["name"] for c in inspector.get_columns(table.name)} == declared, table.name
    unique = inspector.get_unique_constraints("observations")
    assert {"indicator_code", "area_code", "period_start", "period_end"} == set(unique[0]["column_names"])
    indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("observations")}
    assert ("area_code", "indicator_code", "period_start") in indexed and ("indicator_code", "period_start") in indexed
    decisions = {tuple(ix["column_names"]) for ix in inspector.get_indexes("disclosure_decisions")}
    assert ("indicator_code", "area_code", "period_start") in decisions
    migrate(engine)  # running again is a no-op
    engine.dispose()


def test_migration_on_sqlite(tmp_path):
    _check_migrated(f"sqlite:///{tmp_path / 'fresh.sqlite'}")


def test_the_newest_revision_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory

    assert newest_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_a_store_one_migration_behind_is_not_current(tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = make_engine(f"sqlite:///{tmp_path / 'behind.sqlite'}")
    previous = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(newest_revision()).down_revision
    command.upgrade(alembic_config(engine), previous)
    assert not schema_is_current(engine)
    migrate(engine)
    assert schema_is_current(engine)
    engine.dispose()


@pytest.mark.postgres
def test_migration_on_postgres(postgres_url):
    _check_migrated(postgres_url)


def test_sqlite_enforces_foreign_keys_and_uses_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.sqlite'}")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        with pytest.raises(IntegrityError):
            connection.execute(insert(schema.area_lsoas).values(area_code="NOPE", lsoa_code="NOPE"))
    engine.dispose()


def test_check_constraints_reject_unknown_area_type(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'ck.sqlite'}")
    migrate(engine)
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(insert(schema.areas).values(code="X1", name="X", type="parish"))
    engine.dispose()
