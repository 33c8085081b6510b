"""Source mappings: which indicator a value in a source file is counted into.

One row of ``source_mappings`` per (source, source value): a police.uk crime type, an OHID
Fingertips Indicator ID, or a Nomis or Stat-Xplore series ("Claimant count"), and the indicator code it goes to (NULL: not counted). Readers in
``ingest.sources`` fall back to their own defaults when a value has no row. Editors change
mappings on the Data page or with ``python -m db mapping``; each change records who and when.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from db import schema
from db.errors import StoreError
from db.transactions import write_transaction

MAPPING_COLUMNS = ["source", "source_value", "indicator_code", "updated_by", "updated_at"]


class MappingRejected(StoreError):
    """A mapping that cannot be saved (empty value, unknown indicator)."""


def source_mappings(engine: Engine, *, source: str | None = None) -> pd.DataFrame:
    """Columns ``MAPPING_COLUMNS``, sorted by source and value; only ``source`` when given."""
    table = schema.source_mappings
    statement = select(*[table.c[name] for name in MAPPING_COLUMNS]).order_by(table.c.source, table.c.source_value)
    if source:
        statement = statement.where(table.c.source == source)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=MAPPING_COLUMNS)


def mapping_lookup(connection: Connection) -> dict[tuple[str, str], str | None]:
    """{(source, source value): indicator code or None} for every stored mapping."""
    table = schema.source_mappings
    rows = connection.execute(select(table.c.source, table.c.source_value, table.c.indicator_code)).all()
    return {(source, value): code for source, value, code in rows}


def set_mapping(engine: Engine, *, source: str, source_value: str, indicator_code: str | None,
                updated_by: str) -> None:
    """Count ``source_value`` of ``source`` into ``indicator_code`` (None: do not count it), replacing any
    earlier mapping. Raises ``MappingRejected`` for an empty value or an indicator the store does not hold."""
    source, value = source.strip(), source_value.strip()
    code = indicator_code.strip().upper() if indicator_code and indicator_code.strip() else None
    if not source or not value:
        raise MappingRejected("Give the source and the value to map, e.g. police_uk_street 'Bicycle theft'.")
    with write_transaction(engine) as connection:
        if code is not None:
            known = connection.execute(select(schema.indicators.c.code).where(schema.indicators.c.code == code))
            if known.first() is None:
                raise MappingRejected(f"There is no indicator {code}. Use a code from the indicator catalogue, "
                                      "or 'none' to leave the value out.")
        table = schema.source_mappings
        connection.execute(delete(table).where(table.c.source == source, table.c.source_value == value))
        connection.execute(insert(table).values(source=source, source_value=value[:200], indicator_code=code,
                                                updated_by=updated_by[:200], updated_at=datetime.now(UTC)))


def remove_mapping(engine: Engine, *, source: str, source_value: str) -> bool:
    """Delete one mapping (the reader's default applies again); False when there was none."""
    table = schema.source_mappings
    with write_transaction(engine) as connection:
        result = connection.execute(delete(table).where(table.c.source == source.strip(),
                                                        table.c.source_value == source_value.strip()))
    return bool(result.rowcount)
