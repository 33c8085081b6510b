"""The store's write transaction: every write of officers' data holds one write lock.

``BEGIN IMMEDIATE`` on SQLite and a transaction-scoped advisory lock on PostgreSQL, so two writers run
one after the other and each sees what the other committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from db.engine import store_fault, unavailable
from db.errors import StoreError

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
