"""Write and read many rows inside the import transaction at the speed the database allows.

SQLite: the DBAPI's ``executemany`` with plain tuples, prepared once per statement. PostgreSQL:
``COPY ... FROM STDIN`` (psycopg ``cursor.copy``), and changed rows through a temporary table. Both run on
the connection of the caller's transaction (``db.transactions.write_transaction``), so a failure in any
batch rolls back everything the import wrote.

Values are converted a whole column at a time (dates to ISO text, NaN to NULL, flags to 0/1), because
converting a million rows value by value costs more than writing them. ``frame`` columns are named as
the table's; dates may be ``datetime64`` or ``datetime.date`` objects.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Boolean, Column, Connection, Date, DateTime, Float, Integer, MetaData, Table

BATCH_ROWS = 100_000  # rows per executemany or COPY write: bounds the memory of one batch, paces progress
Progress = Callable[[int], None]  # called with the number of rows written so far


def map_values(column: pd.Series, mapping) -> pd.Series:
    """``column.map(mapping)`` for a long column of few distinct values (indicator or area codes): each
    distinct value is looked up once and the results spread by position, instead of hashing every row's
    text. ``mapping``: a dict or Series; a value it does not hold, or a missing one, maps to missing.

    Example:
        >>> map_values(pd.Series(["a", "b", "a", None]), {"a": 1.0}).tolist()
        [1.0, nan, 1.0, nan]
    """
    codes, uniques = pd.factorize(column)
    looked_up = pd.Series(uniques).map(mapping)
    return pd.Series(looked_up.array.take(codes, allow_fill=True), index=column.index, name=column.name)


def _dates(column: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' text (None where missing) for Timestamps, datetime64 or ``datetime.date`` objects."""
    if not pd.api.types.is_datetime64_any_dtype(column):
        codes, uniques = pd.factorize(column)
        text = np.array([None if pd.isna(u) else u.isoformat()[:10] for u in uniques] + [None], dtype=object)
        return pd.Series(text[codes], index=column.index, dtype=object)
    text = column.dt.strftime("%Y-%m-%d")
    return text.astype(object).where(column.notna(), None)


def _plain_column(column: pd.Series, column_type, dialect: str) -> np.ndarray:
    """One column as an object array of driver-ready values: None for NaN/NaT/NA."""
    if isinstance(column_type, Date):
        return _dates(column).to_numpy(dtype=object)
    if isinstance(column_type, DateTime):  # as SQLAlchemy's SQLite DATETIME stores it; PostgreSQL reads ISO
        codes, uniques = pd.factorize(column)
        shown = [u.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else u.isoformat() for u in uniques]
        return np.array([*shown, None], dtype=object)[codes]
    missing = column.isna().to_numpy()
    if isinstance(column_type, Boolean):
        values = column.fillna(False).astype(bool).to_numpy()
        values = values.astype(int) if dialect == "sqlite" else values
    elif isinstance(column_type, Float):
        values = pd.to_numeric(column, errors="coerce").astype("float64").to_numpy()
    elif isinstance(column_type, Integer):
        values = pd.to_numeric(column, errors="coerce").fillna(0).astype("int64").to_numpy()
    else:
        values = column.to_numpy(dtype=object)
    values = values.astype(object)
    values[missing] = None
    return values


def _tuples(table: Table, frame: pd.DataFrame, dialect: str):
    """The rows of ``frame`` as driver-ready tuples, made as the driver takes them (no list of a million)."""
    arrays = [_plain_column(frame[name], table.c[name].type, dialect).tolist() for name in frame.columns]
    return zip(*arrays, strict=True)


def _batches(frame: pd.DataFrame):
    for start in range(0, len(frame), BATCH_ROWS):
        yield start, frame.iloc[start:start + BATCH_ROWS]


SQLITE_CACHE_KIB = 256 * 1024  # page cache while writing in bulk: a million rows' index pages stay in memory


@contextmanager
def roomy_cache(connection: Connection):
    """On SQLite, a page cache of ``SQLITE_CACHE_KIB`` for the duration (the default 2 MB makes every
    index of a large table re-read its pages from the file); the connection's own size after."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cursor = connection.connection.dbapi_connection.cursor()
    before = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")
        cursor.close()


def insert_frame(connection: Connection, table: Table, frame: pd.DataFrame, *,
                 progress: Progress | None = None) -> None:
    """Append every row of ``frame`` (columns: some of ``table``'s) to ``table``; ``progress(rows done)``."""
    if frame.empty:
        return
    dialect = connection.dialect.name
    names = list(frame.columns)
    raw = connection.connection.dbapi_connection
    if dialect == "postgresql":
        statement = f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN (FORMAT csv)'
        with raw.cursor() as cursor:
            for start, part in _batches(frame):
                with cursor.copy(statement) as copy:
                    copy.write(_csv(table, part))
                if progress:
                    progress(start + len(part))
        return
    statement = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
    cursor = raw.cursor()
    try:
        for start, part in _batches(frame):
            cursor.executemany(statement, _tuples(table, part, dialect))
            if progress:
                progress(start + len(part))
    finally:
        cursor.close()


def _csv(table: Table, frame: pd.DataFrame) -> bytes:
    """COPY's CSV: NULL as an empty unquoted field, text quoted (so an empty text stays empty text), flags
    as t/f, dates as ISO text. Written by Arrow in C++ from typed columns: pandas' CSV writer cost
    more than the server's COPY of the same rows."""
    out = {}
    for name in frame.columns:
        column, column_type = frame[name], table.c[name].type
        if isinstance(column_type, Boolean):
            flags = column.fillna(False).astype(bool).to_numpy()
            out[name] = pa.array(np.where(flags, "t", "f"), type=pa.string(), mask=column.isna().to_numpy())
        elif isinstance(column_type, Float):
            out[name] = pa.array(pd.to_numeric(column, errors="coerce").astype("float64").to_numpy(),
                                 type=pa.float64(), from_pandas=True)
        elif isinstance(column_type, Integer):
            out[name] = pa.array(pd.array(pd.to_numeric(column, errors="coerce"), dtype="Int64"), type=pa.int64())
        elif isinstance(column_type, Date | DateTime):
            out[name] = pa.array(_plain_column(column, column_type, "postgresql"), type=pa.string())
        else:
            out[name] = pa.array(column.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    buffer = io.BytesIO()
    pa_csv.write_csv(pa.table(out), buffer, pa_csv.WriteOptions(include_header=False))
    return buffer.getvalue()


def update_frame(connection: Connection, table: Table, frame: pd.DataFrame, *, key: str = "id",
                 progress: Progress | None = None) -> None:
    """Set the columns of ``frame`` on the rows of ``table`` whose ``key`` is in the ``key`` column."""
    if frame.empty:
        return
    dialect = connection.dialect.name
    columns = [name for name in frame.columns if name != key]
    raw = connection.connection.dbapi_connection
    if dialect == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute(f'CREATE TEMPORARY TABLE _changed ON COMMIT DROP AS SELECT {key}, {", ".join(columns)} '
                           f'FROM "{table.name}" WITH NO DATA')  # the columns' types, none of their constraints
        insert_frame(connection, _temporary(table), frame[[key, *columns]], progress=progress)
        sets = ", ".join(f"{name} = c.{name}" for name in columns)
        with raw.cursor() as cursor:
            cursor.execute(f'UPDATE "{table.name}" AS t SET {sets} FROM _changed AS c WHERE t.{key} = c.{key}')
            cursor.execute("DROP TABLE _changed")
        return
    statement = f'UPDATE "{table.name}" SET {", ".join(f"{name} = ?" for name in columns)} WHERE {key} = ?'
    cursor = raw.cursor()
    try:
        for start, part in _batches(frame[[*columns, key]]):
            cursor.executemany(statement, _tuples(table, part, dialect))
            if progress:
                progress(start + len(part))
    finally:
        cursor.close()


def _temporary(table: Table) -> Table:
    """A stand-in for the temporary copy of ``table``: the same columns under the name _changed."""
    return Table("_changed", MetaData(), *[Column(c.name, c.type) for c in table.columns])


def select_frame(connection: Connection, table: Table, columns: list[str], where: str,
                 params: list) -> pd.DataFrame:
    """``columns`` of the rows of ``table`` that match ``where`` (SQL written with ``?`` placeholders, changed
    to ``%s`` on PostgreSQL), as a frame with those columns: many times quicker than result rows for a
    million rows. SQLite: the DBAPI's plain tuples. PostgreSQL: ``COPY (SELECT ...) TO STDOUT`` read by
    Arrow, each column typed from ``table``. Either way dates come as ISO text ('YYYY-MM-DD'), flags as
    0/1 or True/False, numbers as numbers, text as text."""
    sql = f'SELECT {", ".join(columns)} FROM "{table.name}" WHERE {where}'
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        with raw.cursor() as cursor, cursor.copy(f"COPY ({sql.replace('?', '%s')}) TO STDOUT (FORMAT csv)",
                                                 params) as copy:
            for block in copy:
                buffer.write(block)
        if not buffer.tell():
            return pd.DataFrame(columns=columns)
        types = {name: _ARROW_TYPES.get(type(table.c[name].type), pa.string()) for name in columns}
        read = pa_csv.read_csv(
            io.BytesIO(buffer.getvalue()), read_options=pa_csv.ReadOptions(column_names=columns),
            convert_options=pa_csv.ConvertOptions(column_types=types, true_values=["t"], false_values=["f"],
                                                  strings_can_be_null=True, quoted_strings_can_be_null=False))
        return read.to_pandas()
    cursor = raw.cursor()
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


# How COPY's CSV is read back: dates stay ISO text, as SQLite gives them.
_ARROW_TYPES = {Integer: pa.int64(), Float: pa.float64(), Boolean: pa.bool_()}
