"""The store's write transaction: every write of officers' data holds one write lock.

``BEGIN IMMEDIATE`` on SQLite and a transaction-scoped advisory lock on PostgreSQL, so two writers run
one after the other and each sees what the other committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from db import schema
from db.engine import store_fault, unavailable
from db.errors import StoreError

SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index: enough for the planner, milliseconds on millions of rows
WRITE_LOCK_KEY = 73_062_026  # PostgreSQL advisory-lock key shared by every writer of officers' data


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the store's write lock; committed on success, rolled back on any error."""
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            elif connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
            yield connection
            connection.commit()
    except IntegrityError as exc:
        raise StoreError("The data changed while this was being saved (for example an area was removed), so "
                         f"nothing was written. Try again. ({str(exc.orig).splitlines()[0]})") from None
    except OperationalError as exc:
        if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
            raise StoreError("The database is busy with another change; nothing was written. Try again in a "
                             "minute.") from None
        raise unavailable(exc) from None
    except DBAPIError as exc:  # PostgreSQL reports a read-only transaction or a full disk in other classes
        fault = store_fault(exc)
        if fault is None:
            raise
        raise fault from None


def now_utc() -> datetime:
    return datetime.now(UTC)


def refresh_planner_statistics(engine: Engine, tables: Iterable[str]) -> None:
    """Bring the query planner's statistics up to date after a bulk write, so the next page's plans
    fit the new row counts rather than waiting for autovacuum.

    ``tables``: names of ``db.schema`` tables the write touched (others raise ``ValueError``).
    PostgreSQL: ``ANALYZE`` each table (a few hundred ms for millions of rows; it samples).
    SQLite: ``ANALYZE`` each table on a sample of ``SQLITE_ANALYSIS_LIMIT`` rows per index, then
    ``PRAGMA optimize``.
    Runs after the write has committed, in its own short transaction.
    """
    names = sorted(set(tables))
    unknown = [n for n in names if n not in schema.metadata.tables]
    if unknown:
        raise ValueError(f"Not tables of the store: {', '.join(unknown)}")
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            for name in names:
                connection.exec_driver_sql(f'ANALYZE "{name}"')  # a name checked against the schema above
        elif connection.dialect.name == "sqlite":
            # PRAGMA optimize alone (SQLite before 3.46) only analyses tables this connection has
            # queried, so analyse the written ones explicitly, each on a bounded sample.
            connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            for name in names:
                connection.exec_driver_sql(f'ANALYZE "{name}"')
            connection.exec_driver_sql("PRAGMA optimize")
        connection.commit()
