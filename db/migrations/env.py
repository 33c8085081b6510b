"""Alembic environment: runs against the engine handed over by ``db.engine.migrate``.

Run from the command line as ``python -m db init``; ``alembic`` itself also works with
``-x url=...`` for analysts who prefer it.
"""

from alembic import context

from db.engine import make_engine
from db.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        from db.config import database_url

        url = database_url()
    engine = make_engine(url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
