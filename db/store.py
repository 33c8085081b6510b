"""Open the store the way the app and the command line both need it.

``open_store()`` resolves the URL, makes the engine, migrates to the newest schema
and, for an empty database, seeds the sample data and imports the real published files of
``sample_data/real`` (unless ``TN_AUTO_SEED=0``).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from db.config import database_url, setting
from db.engine import make_engine, migrate, schema_is_current, unavailable
from db.errors import StoreError
from db.seed import has_data, seed
from ingest.real_data import load_real_data


def open_store(url: str | None = None, *, auto_seed: bool | None = None) -> Engine:
    """A migrated (and, if empty, seeded) engine for ``url`` or the configured URL."""
    engine = make_engine(url or database_url())
    if auto_seed is None:
        auto_seed = setting("TN_AUTO_SEED") not in {"0", "false", "no"}
    try:
        if not schema_is_current(engine):
            migrate(engine)
        if auto_seed:
            with engine.connect() as connection:
                empty = not has_data(connection)
            if empty:
                seed(engine)
                load_real_data(engine)
    except OperationalError as exc:
        raise unavailable(exc) from None
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(f"The database could not be prepared: {exc.__class__.__name__}: {exc}") from None
    return engine
