"""Engine creation and migration.

No module-level engine: callers build one with ``make_engine(url)`` and pass it on.
SQLite gets foreign keys and WAL on every connection; PostgreSQL uses psycopg 3.

A SQLite file can be deleted, replaced or made read-only under a running app. The engine
notes the file's identity (device and inode) on every new connection and checks it each time
a connection is taken from the pool: a connection to a replaced file is dropped and a new one
opened to the file now at the path; a deleted file is never served from, and never recreated
empty once the engine has opened it (only a first run creates the file). A file this process
cannot write is opened read-only, so viewers keep working.
"""

from __future__ import annotations

import logging
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError, OperationalError

from db.errors import ConfigurationError, DatabaseReadOnly, DatabaseUnavailable, DiskFull

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A migration file's own lines: revision = '0006' and down_revision = '0005' (or None).
REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*(?:'([^']*)'|"([^"]*)"|None)\s*$""", re.MULTILINE)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and sensible pragmas."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, parsed.database)
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigurationError(f"Cannot use the database URL: {exc}") from None


def _sqlite_engine(url: str, database: str | None) -> Engine:
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API object
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        except Exception:  # noqa: BLE001 - sqlite3 raises OperationalError on a read-only file; reading still works
            log.info("SQLite journal mode left as it is (the file is read-only)")
        cursor.close()

    if not in_memory:
        _watch_file(engine, Path(database).resolve())
    return engine


class SqliteFile:
    """The file behind a SQLite engine: where it is and whether the engine has opened it yet."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = False

    def identity(self) -> tuple[int, int] | None:
        """(st_dev, st_ino) of the file now at the path, or None when there is none."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def writable(self) -> bool:
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)

    def uri(self) -> str:
        # "rw" never creates a file: once opened, a missing file stays missing until it is restored.
        exists = self.identity() is not None
        mode = "rwc" if not (exists or self.opened) else ("rw" if self.writable() else "ro")
        return f"file:{quote(str(self.path))}?mode={mode}"


def _watch_file(engine: Engine, file: SqliteFile | Path) -> None:
    file = file if isinstance(file, SqliteFile) else SqliteFile(file)
    engine.sqlite_file = file  # read by sqlite_file(); engines are ours, not shared

    @event.listens_for(engine, "do_connect")
    def _open(_dialect, _record, cargs, cparams) -> None:  # noqa: ANN001 - SQLAlchemy's hook
        cargs[:] = [file.uri()]
        cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _note_identity(_dbapi_connection, record) -> None:  # noqa: ANN001
        file.opened = True
        record.info["identity"] = file.identity()

    @event.listens_for(engine, "checkout")
    def _same_file(_dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        identity = file.identity()
        if identity is None or identity != record.info.get("identity"):
            # Close every pooled connection to the old file first: a connection left open on it
            # would share the -wal and -shm files at the path with connections to the new one.
            engine.dispose()
            # The pool then drops this connection and opens a new one, to the file now at the path
            # (and fails, in words the user can act on, when there is none).
            raise DisconnectionError("the SQLite file was deleted or replaced")


def sqlite_file(engine: Engine) -> SqliteFile | None:
    """The watched file of a SQLite engine; None for PostgreSQL or an in-memory database."""
    return getattr(engine, "sqlite_file", None)


def store_identity(engine: Engine) -> tuple[int, int] | None:
    """(st_dev, st_ino) of a SQLite store's file now, so a cache can tell a replaced file; None otherwise."""
    file = sqlite_file(engine)
    return None if file is None else file.identity()


def store_is_writable(engine: Engine) -> bool:
    """False when the store can only be read: a SQLite file this process cannot write, a URL asking
    ``mode=ro``, or a PostgreSQL server or user in read-only mode. Raises ``DatabaseUnavailable``."""
    file = sqlite_file(engine)
    if file is not None:
        return file.writable()
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                return connection.exec_driver_sql("SHOW transaction_read_only").scalar() != "on"
            if connection.dialect.name == "sqlite":
                query = engine.url.query
                return query.get("mode") != "ro" and query.get("immutable") != "1"
    except DBAPIError as exc:
        raise unavailable(exc) from None
    return True


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise unavailable(exc) from None


def schema_is_current(engine: Engine) -> bool:
    """Whether the store's schema is at the newest migration (``newest_revision``). Raises
    ``DatabaseUnavailable`` when the store cannot be reached."""
    try:
        with engine.connect() as connection:
            current = None
            if connection.dialect.has_table(connection, "alembic_version"):
                current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise unavailable(exc) from None
    return current == newest_revision()


@cache
def newest_revision() -> str:
    """The head of ``db/migrations/versions``: the one revision no other migration revises, read from
    the files' ``revision`` and ``down_revision`` lines. Every page's first visit checks the schema,
    and importing Alembic to do so would cost it about a third of a second; Alembic itself is asked
    only where the files do not give one head (``tests/integration/db/test_schema.py`` checks both agree)."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        lines = {name: quoted or double for name, quoted, double in REVISION_LINE.findall(path.read_text())}
        revisions.add(lines.get("revision"))
        revised.add(lines.get("down_revision") or None)
    heads = revisions - revised - {None}
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def table_names(engine: Engine) -> list[str]:
    try:
        return inspect(engine).get_table_names()
    except OperationalError as exc:
        raise unavailable(exc) from None


# SQLite result codes (sqlite3 errors carry them) and PostgreSQL SQLSTATEs that need their own advice.
SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 13, 14, 26
PG_READ_ONLY, PG_DISK_FULL = {"25006"}, {"53100"}

READ_ONLY_MESSAGE = ("The database is read-only just now, so changes cannot be saved; viewing still works. "
                     "Ask the administrator to make the database writable again (the file's or folder's "
                     "permissions, or the database user's rights), then try again.")
DISK_FULL_MESSAGE = ("The disk that holds the database is full, so changes cannot be saved; nothing was "
                     "written. Ask the administrator to free space on the database server, then try again.")
FILE_MESSAGE = ("The database file is missing, replaced by something that is not a database, or cannot be "
                "opened. Ask the administrator to restore it; the dashboard reconnects by itself once it is "
                "back.")
SERVER_MESSAGE = ("The database could not be reached. Check that the database server is running and that "
                  "TN_DATABASE_URL is right, then reload the page.")


def unavailable(exc: BaseException) -> DatabaseUnavailable:
    """The project error for a driver error, with advice that fits the fault: ``DatabaseReadOnly``,
    ``DiskFull`` or ``DatabaseUnavailable`` (file or server). The driver's own text, which can hold
    paths and host names, goes to the log, not to the user."""
    original = getattr(exc, "orig", None) or exc
    log.info("Database error: %s: %s", type(original).__name__, str(original).strip().splitlines()[:1])
    code = getattr(original, "sqlite_errorcode", None)
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    text = str(original).lower()
    if code == SQLITE_READONLY or state in PG_READ_ONLY or "readonly database" in text or "read-only" in text:
        return DatabaseReadOnly(READ_ONLY_MESSAGE)
    if code == SQLITE_FULL or state in PG_DISK_FULL or "disk is full" in text or "no space left" in text:
        return DiskFull(DISK_FULL_MESSAGE)
    if code in (SQLITE_CANTOPEN, SQLITE_NOTADB) or any(
            words in text for words in ("unable to open database", "not a database", "deleted or replaced",
                                        "disk i/o error")):
        return DatabaseUnavailable(FILE_MESSAGE)
    return DatabaseUnavailable(SERVER_MESSAGE)


def store_fault(exc: BaseException) -> DatabaseUnavailable | None:
    """The project error for a database fault (unreachable, missing file, read-only, disk full), or
    None when ``exc`` is something else (a bug, a constraint), which callers handle as before."""
    if isinstance(exc, (OperationalError, DisconnectionError)):
        return unavailable(exc)
    if isinstance(exc, DBAPIError):
        fault = unavailable(exc)
        return fault if isinstance(fault, (DatabaseReadOnly, DiskFull)) else None
    return None


def describe_connection_error(exc: Exception) -> str:
    """One sentence a user can act on, from a driver error (see ``unavailable``)."""
    return str(unavailable(exc))
