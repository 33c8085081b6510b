"""Open the store the way the app and the command line both need it.

``open_store()`` resolves the URL, makes the engine, migrates to the newest schema
and, for an empty database, seeds the sample data and imports the real published files of
``sample_data/real`` (unless ``TN_AUTO_SEED=0``). ``python -m db prepare`` runs it before the app
starts, so the first visit does not wait for the seeding; the app still runs it on first use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from db.config import database_url, setting
from db.engine import make_engine, migrate, schema_is_current, unavailable
from db.errors import StoreError
from db.seed import has_data, seed
from db.totals import fill_totals

log = logging.getLogger(__name__)


def open_store(url: str | None = None, *, auto_seed: bool | None = None,
               report: Callable[[str], None] | None = None) -> Engine:
    """A migrated (and, if empty, seeded) engine for ``url`` or the configured URL.

    ``report`` is told each step in a sentence ("Loading the sample data…"), as it starts; without it
    the steps go to the log. Raises ``DatabaseUnavailable`` (or a subclass) when the database cannot be
    reached or written, ``StoreError`` when it cannot be prepared.
    """
    say = report or log.info
    engine = make_engine(url or database_url())
    if auto_seed is None:
        auto_seed = auto_seed_enabled()
    try:
        if not schema_is_current(engine):
            say("Creating or migrating the schema to the newest version…")
            migrate(engine)
            say("Summing the areas' totals kept in the store…")
            fill_totals(engine)
        with engine.connect() as connection:
            empty = not has_data(connection)
        if empty and auto_seed:
            say("The database is empty: loading the Leeds geography and the sample data (first run only)…")
            seed(engine)
            say("Importing the real published indicator files of sample_data/real…")
            # Imported here, not at the top: the importer (and its validation library) take about half a
            # second to import, which every page's first visit would otherwise pay for a seed it never runs.
            from ingest.real_data import load_real_data

            load_real_data(engine)
        elif empty:
            say("The database is empty and TN_AUTO_SEED is off, so it is left empty.")
    except OperationalError as exc:
        raise unavailable(exc) from None
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(f"The database could not be prepared: {exc.__class__.__name__}: {exc}") from None
    return engine


def auto_seed_enabled() -> bool:
    """Whether an empty store is seeded with the sample data (``TN_AUTO_SEED``, on unless 0, false or no)."""
    return setting("TN_AUTO_SEED").lower() not in {"0", "false", "no"}


def is_first_run(url: str) -> bool:
    """True when opening ``url`` will seed a new store, which takes a while: a SQLite file that does not exist
    yet, with ``TN_AUTO_SEED`` on. False for anything else (other stores are checked when opened)."""
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file:")
    return (parsed.get_backend_name() == "sqlite" and not in_memory and not Path(database).exists()
            and auto_seed_enabled())
