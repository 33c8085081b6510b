"""The published-figures decision of an indicator under disclosure control, read from the store.

Pages, printed snapshots and exports all read this one decision (``published_figures``), so an
area's figure is either shown everywhere a viewer can look or hidden everywhere. The rule itself is
``metrics.disclosure.decide_disclosure``; here the store supplies its inputs for each period: every
area's LSOAs on the basis the period's observations were reported on (``observations.basis``,
NULL read as 2011), and each LSOA's count (its numerator for a rate or percentage). LSOA figures of
such indicators are never published.

The decision is made when data come in (``store_decisions``, called after every import, rollback
and seed) and kept in ``disclosure_decisions``, with the data it holds for in ``disclosure_stamps``:
the newest import batch then, and the rows in ``areas`` and ``area_lsoas``. A stored decision is
used while no later batch wrote the indicator's observations (each write leaves an
``observation_revisions`` row) and no later seed, rollback or catalogue import ran, and the area
counts are unchanged; a custom locality's creation or removal marks every stored decision out of
date. Else the decision is made again from the counts (a second or less for ten years of monthly
counts) and stored.

A page reads only the rows it shows (``areas`` and ``periods``: one area's series, or one period's
areas), in one statement that also checks the stamp is that of the data as they stand; the decision
those rows come from is still the one made over every area and period. A whole read, or a narrowed one
whose stamp is not current, goes the longer way, and its answer is remembered per process, store,
indicator, rows asked and data version (``queries.data_version`` plus the observations' newest id).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, String, delete, func, insert, select, type_coerce, update
from sqlalchemy.exc import SQLAlchemyError

from db import bulk, schema
from db.queries import Stamp, data_version_columns, indicator_row, stamp_holds
from metrics.disclosure import Release, decide_disclosure_by_period
from metrics.suppress import SMALL_NUMBER_THRESHOLD, is_small

DEFAULT_BASIS = "2011"
FIGURE_COLUMNS = ["period_start", "period_end", "area_code", "count", "release"]
REMEMBERED_DECISIONS = 64  # narrowed reads: a page asks for each indicator once or twice
MOST_AREAS_NAMED = 900  # more area codes than this are read by period alone (SQLite's oldest bound-parameter limit is 999)
# Batches that can change a decision without writing the indicator's observations (a seed replaces
# everything, a rollback may restore the catalogue, a catalogue import may change the flag or the
# geography), so a stored decision older than one of them is decided again.
RESETTING_KINDS = ("seed", "rollback", "indicators")
BRIEF_WAIT_MS = 200  # how long a page waits to store a decision while an import holds SQLite's write lock
SQLITE_WAIT_MS = 30_000  # db.engine's connect timeout, restored afterwards
_decisions: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_memberships: dict[tuple, tuple[pd.DataFrame, set[str]]] = {}
_catalogues: dict[tuple, dict[str, dict]] = {}
_stamps: dict[tuple, dict[str, "Stamp"]] = {}


class _Wanted(NamedTuple):
    """The rows of a decision a caller reads: area codes (sorted; None: every area) and the first and
    last period start (None: every period)."""

    areas: tuple[str, ...] | None
    periods: tuple[date, date] | None

    def where(self, table) -> list:
        """SQL conditions on ``disclosure_decisions`` that keep these rows (and, past
        ``MOST_AREAS_NAMED`` codes, other areas' rows of the same periods too)."""
        conditions = []
        if self.areas is not None and len(self.areas) <= MOST_AREAS_NAMED:
            conditions.append(table.c.area_code.in_(self.areas))
        if self.periods is not None:
            conditions.append(table.c.period_start.between(*self.periods))
        return conditions

    def cut(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a decision frame that are wanted, in their order, with a fresh index."""
        keep = pd.Series(True, index=frame.index)
        if self.areas is not None:
            keep &= frame["area_code"].isin(self.areas)
        if self.periods is not None:
            starts = frame["period_start"]
            keep &= (starts >= self.periods[0]) & (starts <= self.periods[1])
        return frame if keep.all() else frame[keep].reset_index(drop=True)


EVERYTHING = _Wanted(None, None)


def published_figures(engine: Engine, indicator_code: str, *, areas: Collection[str] | None = None,
                      periods: tuple[date, date] | None = None,
                      threshold: int = SMALL_NUMBER_THRESHOLD) -> pd.DataFrame:
    """Whether each area's figure of ``indicator_code`` may be shown to viewers, for every period.

    Columns: period_start, period_end, area_code, count (the area's count or numerator: sum over its
    reported LSOAs), release (a ``metrics.disclosure.Release``). Every area of every type has a row
    for each period of an LSOA-collected indicator; an indicator collected for localities has a row
    per observation, judged on its own count. Empty for an indicator not under disclosure control.
    ``areas`` (codes) and ``periods`` (the first and last period start, inclusive) narrow the rows
    read to what a page shows; the decision itself is always made over every area and period, so a
    narrowed read gives each of its rows the same release as the whole. Read from
    ``disclosure_decisions`` while it holds for the data; else decided and stored.
    Raises ``NotFound`` for an unknown indicator.
    """
    wanted = _Wanted(None if areas is None else tuple(sorted(set(areas))), periods)
    if wanted != EVERYTHING and threshold == SMALL_NUMBER_THRESHOLD:
        current = _current(engine, indicator_code, wanted)
        if current is not None:
            return current
    version = _version(engine)
    key = _key(engine, indicator_code, threshold, version, wanted)
    whole = _key(engine, indicator_code, threshold, version, EVERYTHING)
    if key not in _decisions:
        # A decision made whole in this process (none stored, or a store that cannot be written) serves
        # every narrowed read of the same data, rather than each deciding it again.
        made = _decisions[whole] if whole in _decisions else _published(
            engine, indicator_code, threshold, version, wanted)
        _remember(key, wanted.cut(made))
    _decisions.move_to_end(key)
    return _decisions[key].copy()


def _key(engine: Engine, indicator_code: str, threshold: int, version: tuple, wanted: _Wanted) -> tuple:
    return id(engine), str(engine.url), indicator_code, threshold, version, wanted


def _remember(key: tuple, frame: pd.DataFrame) -> None:
    _decisions[key] = frame
    _decisions.move_to_end(key)
    while len(_decisions) > REMEMBERED_DECISIONS:
        _decisions.popitem(last=False)


def store_decisions(engine: Engine, *, batch_id: int | None = None,
                    indicator_codes: Iterable[str] | None = None) -> list[str]:
    """Bring the stored decisions up to date after data came in; returns the codes decided again.

    ``batch_id``: the batch just committed (an import or a rollback), None after a seed.
    ``indicator_codes``: the indicators whose observations it wrote (None: every indicator). Each of
    them under disclosure control is decided now unless its stored decision still holds; the
    stored decisions of the others are carried over to ``batch_id`` when they held just before it
    and it is not a seed, rollback or catalogue import. Never raises for a busy or unavailable
    store: a decision not stored now is made on the next visit.
    """
    try:
        version = _version(engine)
        catalogue = _catalogue(engine, version)
        controlled = sorted(code for code, row in catalogue.items() if row["disclosure_control"])
        touched = controlled if indicator_codes is None else sorted(set(indicator_codes) & set(controlled))
        if batch_id is not None:
            _carry_stamps(engine, batch_id, [code for code in controlled if code not in touched])
        decided = []
        for code in touched:
            held = _held(engine, code, version)
            if held is None:
                decided.append(code)
            published_figures(engine, code)
        return decided
    except SQLAlchemyError:
        return []


def forget_decisions(connection: Connection) -> None:
    """Mark every stored decision out of date, in the caller's transaction: for writes that change
    areas' LSOAs or observations without a batch (custom localities, the generated stores). What this
    process remembers goes too: removing a locality and making another of as many LSOAs leaves the
    data version as it was."""
    connection.execute(delete(schema.disclosure_stamps))
    for remembered in (_decisions, _memberships, _stamps):
        remembered.clear()


def _rows(connection: Connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    # The driver's own rows: every column read here is text or a number (dates are read as text),
    # so SQLAlchemy's per-row processing would only cost time.
    names, rows = list(result.keys()), result.cursor.fetchall()
    # Column by column: pandas builds a frame from a few long tuples far faster than from many rows.
    columns = list(zip(*rows)) if rows else [()] * len(names)
    return pd.DataFrame(dict(zip(names, columns, strict=True)), columns=names)


def _frame(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as connection:
        return _rows(connection, statement)


def _version(engine: Engine) -> tuple:
    """``queries.data_version`` and the observations' newest id, in one statement.

    Not the observations' row count: counting 40 million rows takes seconds on PostgreSQL, on every
    page. Every write that removes observations makes a batch (a rollback) or forgets the decisions
    itself (``forget_decisions``), and every write that adds them moves the newest id."""
    obs = schema.observations
    statement = select(*data_version_columns(), select(func.max(obs.c.id)).scalar_subquery())
    with engine.connect() as connection:
        return tuple(connection.execute(statement).one())


def _stamp(version: tuple) -> Stamp:
    # data_version_columns: newest batch, newest action update, rows in areas, rows in area_lsoas
    return Stamp(version[0], version[2], version[3])


def _published(engine: Engine, indicator_code: str, threshold: int, version: tuple,
               wanted: _Wanted = EVERYTHING) -> pd.DataFrame:
    indicator = _catalogue(engine, version).get(indicator_code)
    if indicator is None:
        indicator = indicator_row(engine, indicator_code)  # raises NotFound
    if not indicator["disclosure_control"]:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    whole = _key(engine, indicator_code, threshold, version, EVERYTHING)
    if threshold != SMALL_NUMBER_THRESHOLD:  # only the published threshold's decision is kept
        _remember(whole, _decide(engine, indicator, threshold, version))
        return _decisions[whole]
    stamp = _stamp(version)  # read before the counts, so a stored decision is never newer than its stamp
    stored = _stored(engine, indicator_code, version, wanted)
    if stored is not None:
        return stored
    decision = _decide(engine, indicator, threshold, version)  # always every area and period
    _store(engine, indicator_code, decision, stamp)
    _remember(whole, decision)
    return decision


def _stored_stamps(engine: Engine, version: tuple) -> dict[str, Stamp]:
    """Every stored decision's stamp by indicator, read once per store and data version (and again
    after this process stores or carries one)."""
    key = (id(engine), str(engine.url), version)
    if key not in _stamps:
        _stamps.clear()
        stamps = schema.disclosure_stamps
        with engine.connect() as connection:
            rows = connection.execute(select(stamps.c.indicator_code, stamps.c.batch_id, stamps.c.areas,
                                             stamps.c.memberships)).all()
        _stamps[key] = {code: Stamp(*rest) for code, *rest in rows}
    return _stamps[key]


def _held(engine: Engine, indicator_code: str, version: tuple) -> Stamp | None:
    """The stored decision's stamp when it still holds for the data of ``version``, else None."""
    stamp, held = _stamp(version), _stored_stamps(engine, version).get(indicator_code)
    if held is None or (held.areas, held.memberships) != (stamp.areas, stamp.memberships):
        return None
    if held.batch_id == stamp.batch_id:
        return held
    if stamp.batch_id is None or (held.batch_id or 0) > stamp.batch_id:
        return None
    since = held.batch_id or 0
    revisions, batches = schema.observation_revisions, schema.import_batches
    with engine.connect() as connection:
        later = connection.execute(select(
            select(revisions.c.id).where(revisions.c.replaced_by_batch_id > since,
                                         revisions.c.indicator_code == indicator_code).exists(),
            select(batches.c.id).where(batches.c.id > since, batches.c.kind.in_(RESETTING_KINDS)).exists(),
        )).one()
    return None if any(later) else held


def _stored(engine: Engine, indicator_code: str, version: tuple,
            wanted: _Wanted = EVERYTHING) -> pd.DataFrame | None:
    """The ``wanted`` rows of the stored decision when it holds for the data of ``version`` (its stamp
    moved on to it), else None. A narrowed read finds its rows through ``ix_disclosure_decisions_area``
    (one area's periods) or the primary key (one period's areas)."""
    held, stamp = _held(engine, indicator_code, version), _stamp(version)
    if held is None:
        return None
    if held.batch_id != stamp.batch_id:
        _carry(engine, [indicator_code], held.batch_id, stamp.batch_id)
    return _decision_rows(engine, _rows_of(indicator_code, wanted), wanted)


def _current(engine: Engine, indicator_code: str, wanted: _Wanted) -> pd.DataFrame | None:
    """The ``wanted`` rows of the stored decision, in one statement, when its stamp is that of the data
    as they stand (the newest batch, as many areas and area LSOAs): what nearly every visit finds.
    None when the stamp is older or missing (or no row is wanted): then ``_stored`` looks further."""
    stamps = schema.disclosure_stamps
    holds = select(stamps.c.indicator_code).where(stamps.c.indicator_code == indicator_code,
                                                  stamp_holds(stamps)).exists()
    frame = _decision_rows(engine, _rows_of(indicator_code, wanted).where(holds), wanted)
    return None if frame.empty else frame


def _rows_of(indicator_code: str, wanted: _Wanted):
    """The statement reading the ``wanted`` rows of an indicator's stored decision (dates as text).
    A narrowed read finds its rows through ``ix_disclosure_decisions_area`` (one area's periods) or
    the primary key (one period's areas)."""
    table = schema.disclosure_decisions
    return select(
        type_coerce(table.c.period_start, String).label("period_start"),
        type_coerce(table.c.period_end, String).label("period_end"),
        table.c.area_code, table.c.count, table.c.release,
    ).where(table.c.indicator_code == indicator_code, *wanted.where(table)).order_by(
        table.c.period_start, table.c.period_end, table.c.area_code)  # the primary key's order


def _decision_rows(engine: Engine, statement, wanted: _Wanted) -> pd.DataFrame:
    """FIGURE_COLUMNS from a ``_rows_of`` statement: dates as dates, release as ``Release`` members."""
    with engine.connect() as connection:
        result = connection.execute(statement)
        # The driver's own rows, straight into a frame: the fastest way in for a few hundred thousand rows.
        frame = pd.DataFrame.from_records(result.cursor.fetchall(), columns=list(result.keys()))
    for column in ("period_start", "period_end"):
        frame[column] = bulk.map_values(frame[column], _day)
    positions, texts = pd.factorize(frame["release"])
    # Built as objects: pandas would turn the Release members (a str subclass) back into plain text.
    members = np.array([Release(text) for text in texts] or [None], dtype=object)
    release = pd.Series(members[positions], index=frame.index, dtype=object)
    return wanted.cut(frame.assign(count=frame["count"].astype(float), release=release))


def _store(engine: Engine, indicator_code: str, decision: pd.DataFrame, stamp: Stamp) -> None:
    """Replace the indicator's stored decision, in one transaction; skipped when the store is busy."""
    table, stamps = schema.disclosure_decisions, schema.disclosure_stamps
    rows = decision.assign(indicator_code=indicator_code, release=bulk.map_values(decision["release"], str),
                           count=decision["count"].astype(object).where(decision["count"].notna(), None))
    try:
        with _brief_write(engine) as connection:
            connection.execute(delete(table).where(table.c.indicator_code == indicator_code))
            connection.execute(delete(stamps).where(stamps.c.indicator_code == indicator_code))
            if len(rows):
                _insert(connection, rows[[c.name for c in table.columns]])
            connection.execute(insert(stamps).values(indicator_code=indicator_code, **stamp._asdict()))
    except SQLAlchemyError:
        pass  # another writer holds the store, or it is read-only: decided again on the next visit
    _stamps.clear()


def _insert(connection: Connection, rows: pd.DataFrame) -> None:
    """Append decision rows (columns: the table's) in bulk: ``executemany`` with plain tuples on SQLite,
    ``COPY`` on PostgreSQL (a dict per row through SQLAlchemy took most of a large import's decision)."""
    bulk.insert_frame(connection, schema.disclosure_decisions, rows)


def _carry(engine: Engine, codes: list[str], held: int | None, batch_id: int | None) -> None:
    """Move the stamps of ``codes`` that still read ``held`` on to ``batch_id``; skipped when busy."""
    stamps = schema.disclosure_stamps
    same = stamps.c.batch_id.is_(None) if held is None else stamps.c.batch_id == held
    try:
        with _brief_write(engine) as connection:
            connection.execute(update(stamps).where(stamps.c.indicator_code.in_(codes), same)
                               .values(batch_id=batch_id))
    except SQLAlchemyError:
        pass
    _stamps.clear()


def _carry_stamps(engine: Engine, batch_id: int, codes: list[str]) -> None:
    """A batch that wrote none of ``codes``' observations leaves their decisions as they were: the
    stamps that held just before it move on to it (unless it is a seed, rollback or catalogue import)."""
    batches = schema.import_batches
    with engine.connect() as connection:
        kind = connection.execute(select(batches.c.kind).where(batches.c.id == batch_id)).scalar()
        previous = connection.execute(select(func.max(batches.c.id)).where(batches.c.id < batch_id)).scalar()
    if codes and kind is not None and kind not in RESETTING_KINDS:
        _carry(engine, codes, previous, batch_id)


@contextmanager
def _brief_write(engine: Engine):
    """A write transaction that waits only briefly for SQLite's write lock (a page must not wait for
    an import to finish just to store what it has already worked out)."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {BRIEF_WAIT_MS}")
            connection.commit()
        try:
            with connection.begin():
                yield connection
        finally:
            if sqlite:  # the connection goes back to the pool: other writers wait as long as before
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_WAIT_MS}")
                connection.commit()


def _decide(engine: Engine, indicator: dict, threshold: int, version: tuple) -> pd.DataFrame:
    indicator_code = indicator["code"]
    observations = _counts(engine, indicator_code)
    if observations.empty:  # nothing held yet (a generated store keeps only its own indicators' values)
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    if indicator["collection_geography"] != "lsoa":
        releases = [Release.SMALL if is_small(n, threshold=threshold) else Release.SHOWN
                    for n in observations["count"]]
        return observations.assign(release=releases)[FIGURE_COLUMNS]
    key = (id(engine), str(engine.url), version)
    if key not in _memberships:  # the same for every indicator: read once per store and data version
        _memberships.clear()
        _memberships[key] = _membership(engine)
    membership, lsoas = _memberships[key]
    periods = observations.groupby(["period_start", "period_end"], sort=True).ngroup()
    keys = observations["basis"] + "|" + observations["area_code"]
    decision = decide_disclosure_by_period(
        membership=membership, threshold=threshold, withheld=lsoas,
        counts=pd.DataFrame({"period": periods, "lsoa_code": keys, "count": observations["count"]}))
    spans = observations.assign(period=periods).drop_duplicates("period").set_index("period")
    return decision.join(spans[["period_start", "period_end"]], on="period")[FIGURE_COLUMNS]


def _catalogue(engine: Engine, version: tuple) -> dict[str, dict]:
    """Every indicator's row by code, read once per store and data version (a new indicator comes
    with an import, which changes the version)."""
    key = (id(engine), str(engine.url), version)
    if key not in _catalogues:
        _catalogues.clear()
        with engine.connect() as connection:
            rows = connection.execute(select(schema.indicators)).mappings().all()
        _catalogues[key] = {row["code"]: dict(row) for row in rows}
    return _catalogues[key]


def _counts(engine: Engine, indicator_code: str) -> pd.DataFrame:
    """Columns: area_code, period_start, period_end, basis, count. Rows suppressed at source have no count."""
    obs = schema.observations
    # Dates are read as the driver gives them and converted once per distinct period, not once per row.
    statement = select(
        obs.c.area_code, type_coerce(obs.c.period_start, String).label("period_start"),
        type_coerce(obs.c.period_end, String).label("period_end"),
        func.coalesce(obs.c.basis, DEFAULT_BASIS).label("basis"),
        func.coalesce(obs.c.numerator, obs.c.value).label("count"),
    ).where(obs.c.indicator_code == indicator_code, obs.c.suppressed.is_(False))
    frame = _frame(engine, statement.order_by(obs.c.period_start, obs.c.area_code))
    for column in ("period_start", "period_end"):
        frame[column] = bulk.map_values(frame[column], _day)
    return frame[frame["count"].notna()].reset_index(drop=True)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _membership(engine: Engine) -> tuple[pd.DataFrame, set[str]]:
    """Every area's LSOAs, keyed ``basis|lsoa_code``, and the codes of the LSOAs themselves."""
    members, areas = schema.area_lsoas, schema.areas
    frame = _frame(engine, select(members.c.area_code, members.c.basis, members.c.lsoa_code))
    frame = frame.assign(lsoa_code=frame["basis"].fillna(DEFAULT_BASIS) + "|" + frame["lsoa_code"])
    lsoas = _frame(engine, select(areas.c.code).where(areas.c.type == "lsoa"))
    return frame[["area_code", "lsoa_code"]], set(lsoas["code"])
