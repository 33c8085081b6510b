"""The store under faults: a SQLite file deleted, replaced, read-only or full under a running engine,
and a PostgreSQL database in read-only mode. Each fault is refused with its own advice, nothing is
written where it would be lost, and the engine recovers by itself when the file is back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from db import schema
from db.engine import (
    DISK_FULL_MESSAGE,
    FILE_MESSAGE,
    READ_ONLY_MESSAGE,
    SERVER_MESSAGE,
    make_engine,
    store_identity,
    store_is_writable,
    unavailable,
)
from db.errors import DatabaseReadOnly, DatabaseUnavailable, DiskFull
from db.transactions import write_transaction


def _count(engine, table) -> int:
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(table)).scalar_one()
    except Exception as exc:  # noqa: BLE001 - turned into the project error the app would show
        raise unavailable(exc) from None


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _add_role(engine, email: str) -> None:
    with write_transaction(engine) as connection:
        connection.execute(insert(schema.user_roles).values(email=email, role="editor", granted_by="test"))


@pytest.fixture()
def store(small_sqlite_file, tmp_path):
    path = tmp_path / "store.sqlite"
    shutil.copyfile(small_sqlite_file, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine, path
    engine.dispose()


def test_a_deleted_file_is_refused_and_never_recreated_empty(store, small_sqlite_file):
    engine, path = store
    areas = _count(engine, schema.areas)
    _remove(path)
    with pytest.raises(DatabaseUnavailable) as refused:
        _count(engine, schema.areas)
    assert str(refused.value) == FILE_MESSAGE and str(path) not in str(refused.value)
    with pytest.raises(DatabaseUnavailable):
        _add_role(engine, "lost@example.test")  # an edit is refused, not written into the deleted file
    assert not path.exists()
    shutil.copyfile(small_sqlite_file, path)  # the administrator restores the file
    assert _count(engine, schema.areas) == areas
    assert _count(engine, schema.user_roles) == 0


def test_a_replaced_file_is_served_at_once_from_every_pooled_connection(store, small_sqlite_file, tmp_path):
    engine, path = store
    held = [engine.connect() for _ in range(3)]  # fill the pool with connections to the old file
    for connection in held:
        connection.execute(text("select 1"))
        connection.close()
    before = store_identity(engine)
    replacement = tmp_path / "restored.sqlite"
    shutil.copyfile(small_sqlite_file, replacement)
    raw = sqlite3.connect(replacement)
    raw.execute("insert into user_roles (email, role, granted_by) values ('restored@example.test', 'admin', 'test')")
    raw.commit()
    raw.close()  # a restore copies a closed file
    replacement.replace(path)
    assert store_identity(engine) != before
    assert [_count(engine, schema.user_roles) for _ in range(5)] == [1] * 5
    _add_role(engine, "after@example.test")
    engine.dispose()
    raw = sqlite3.connect(path)
    assert raw.execute("select count(*) from user_roles").fetchone()[0] == 2
    raw.close()


def test_a_file_that_is_not_a_database_gets_the_file_message(store):
    engine, path = store
    _remove(path)
    path.write_text("not a database")
    with pytest.raises(DatabaseUnavailable) as refused:
        _count(engine, schema.areas)
    assert str(refused.value) == FILE_MESSAGE


def test_a_read_only_url_serves_reads_and_refuses_writes_with_the_read_only_message(store):
    _, path = store
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert _count(engine, schema.areas) > 0
    assert not store_is_writable(engine)
    with pytest.raises(DatabaseReadOnly) as refused:
        _add_role(engine, "ro@example.test")
    assert str(refused.value) == READ_ONLY_MESSAGE
    engine.dispose()


def test_a_file_this_process_cannot_write_is_opened_read_only(store, monkeypatch):
    engine, path = store
    monkeypatch.setattr("db.engine.os.access", lambda _path, _mode: False)  # as a file owned by another user
    engine.dispose()
    assert _count(engine, schema.areas) > 0
    assert not store_is_writable(engine)
    with pytest.raises(DatabaseReadOnly):
        _add_role(engine, "ro@example.test")


def test_a_full_disk_gets_its_own_message_and_writes_nothing(store):
    engine, path = store
    roles = _count(engine, schema.user_roles)
    with pytest.raises(DiskFull) as refused:
        with write_transaction(engine) as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
            connection.exec_driver_sql(f"PRAGMA max_page_count={pages}")  # the disk is full from here
            connection.execute(insert(schema.user_roles), [
                {"email": f"user{i}-{'x' * 200}@example.test", "role": "editor", "granted_by": "test"} for i in range(5000)])
    assert str(refused.value) == DISK_FULL_MESSAGE
    engine.dispose()
    assert _count(engine, schema.user_roles) == roles


def test_an_unreachable_server_gets_the_server_message_without_host_or_password():
    engine = make_engine("postgresql+psycopg://tn:secret@127.0.0.1:1/tn")
    with pytest.raises(DatabaseUnavailable) as refused:
        _count(engine, schema.areas)
    assert str(refused.value) == SERVER_MESSAGE
    assert "secret" not in str(refused.value) and "127.0.0.1" not in str(refused.value)


@pytest.mark.postgres
def test_a_read_only_postgresql_database_refuses_writes_with_the_read_only_message(postgres_url):
    from db.engine import migrate

    engine = make_engine(postgres_url)
    migrate(engine)
    database = engine.url.database
    with engine.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
        connection.commit()
    engine.dispose()
    assert not store_is_writable(engine)
    with pytest.raises(DatabaseReadOnly) as refused:
        _add_role(engine, "ro@example.test")
    assert str(refused.value) == READ_ONLY_MESSAGE
    engine.dispose()
