"""After a committed import (and a seed) the planner's statistics describe the new rows: PostgreSQL has
analysed the tables written, SQLite holds fresh ``sqlite_stat1`` rows for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from db.engine import make_engine
from ingest.importer import commit_import
from tests.fixtures.uploads import seed_small_store

ROWS = b"indicator_code,area_code,period_start,value\n" + b"".join(
    f"ASB_ALL,{code},2026-11-01,{n}\n".encode() for n, code in enumerate(["E01011264", "E01011265", "E01011266"]))


def test_sqlite_statistics_cover_the_imported_observations(engine):
    with engine.connect() as connection:
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        connection.commit()
    commit_import(engine, ROWS, "asb.csv", imported_by="officer")
    with engine.connect() as connection:
        analysed = {t for (t,) in connection.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1"))}
    assert {"observations", "observation_revisions", "import_batches"} <= analysed
    assert "targets" not in analysed  # only what the import wrote


@pytest.mark.postgres
def test_postgresql_analyses_the_tables_a_seed_and_an_import_wrote(postgres_url, tmp_path):
    engine = make_engine(seed_small_store(postgres_url, tmp_path))
    with engine.connect() as connection:
        seeded = dict(connection.execute(text("SELECT relname, last_analyze FROM pg_stat_user_tables")).all())
    assert seeded["areas"] is not None and seeded["observations"] is not None  # the seed analysed what it wrote
    started = datetime.now(UTC)
    commit_import(engine, ROWS, "asb.csv", imported_by="officer")
    with engine.connect() as connection:
        stats = {row.relname: row for row in connection.execute(text(
            "SELECT relname, last_analyze, n_mod_since_analyze FROM pg_stat_user_tables"))}
    engine.dispose()
    for table in ("observations", "observation_revisions", "import_batches"):
        assert stats[table].last_analyze is not None and stats[table].last_analyze >= started, table
    assert stats["observations"].n_mod_since_analyze == 0
