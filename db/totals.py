"""Area totals made when data come in: every area's sums of each LSOA-level counted indicator per period.

An LSOA-level count is the same figure for every viewer of a ward, committee area, locality or the
city, so it is summed once, in the transaction that writes the data, rather than on every visit:
``refresh_totals`` runs the very statement ``queries.indicators_totals`` would run live (one
``INSERT ... SELECT`` over every area with LSOAs in ``area_lsoas``) and keeps the result in
``area_totals``. ``area_totals_stamps`` records per indicator the data the totals hold for: the newest
import batch and the rows in ``areas`` and ``area_lsoas``. A reader uses the stored totals only while
that stamp is the data's own (``queries.stamp_holds``); any other write leaves the stamp behind,
and the totals are summed live until the next refresh. Totals are never served stale.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from db import schema
from db.queries import Stamp, data_version_columns, summed_totals_select
from db.transactions import write_transaction

STORED_COLUMNS = [column.name for column in schema.area_totals.columns]


def stamp_of(connection: Connection) -> Stamp:
    """The stamp of the data as they stand, seen from ``connection`` (inside its transaction)."""
    newest, _updates, areas, memberships = data_version_columns()
    return Stamp(*connection.execute(select(newest, areas, memberships)).one())


def summable_indicators(connection: Connection) -> list[dict]:
    """Rows of ``indicators`` whose totals are kept: collected at LSOA level and counted (not published
    estimates). Sorted by code."""
    ind = schema.indicators
    rows = connection.execute(select(ind).where(ind.c.collection_geography == "lsoa",
                                                ind.c.estimate_type == "counted").order_by(ind.c.code))
    return [dict(row) for row in rows.mappings()]


def refresh_totals(connection: Connection, *, held: Stamp | None,
                   indicator_codes: Collection[str] | None = None,
                   area_codes: Collection[str] | None = None,
                   periods: Mapping[str, Collection[date]] | None = None) -> None:
    """Bring ``area_totals`` up to date in the caller's write transaction, after its writes.

    ``held``: the stamp read at the start of that transaction (``stamp_of``), before it wrote; None
    when nothing stored before it can still hold (a seed, a generated store). ``indicator_codes``: the
    indicators whose observations or catalogue rows it wrote (None: every indicator); their totals
    are summed again for every area. ``periods``: with ``indicator_codes``, the period starts the
    write gave each of them observations for; an indicator whose totals held just before the write is
    summed again for those periods only (a month's file no longer re-sums years of history), any other
    for every period. ``area_codes``: instead, the areas whose LSOAs it added or removed (a custom
    locality); their totals are summed again for every indicator. Every other indicator whose totals
    held just before the write (its stamp is ``held``) carries on to the new stamp, since the write
    did not change its sums.
    """
    totals, stamps = schema.area_totals, schema.area_totals_stamps
    now = stamp_of(connection)
    kept = summable_indicators(connection)
    if area_codes is not None:
        areas = sorted(set(area_codes))
        connection.execute(delete(totals).where(totals.c.area_code.in_(areas)))
        redo = []
        if kept:
            _insert_sums(connection, kept, areas)
    else:
        if indicator_codes is None:  # the catalogue may have changed: no old total or stamp stays
            connection.execute(delete(totals))
            connection.execute(delete(stamps))
        wanted = None if indicator_codes is None else set(indicator_codes)
        redo = [row for row in kept if wanted is None or row["code"] in wanted]
        codes = [row["code"] for row in redo]
        some = _periods_to_redo(connection, held, periods or {}, codes)
        whole = [row for row in redo if row["code"] not in some]
        connection.execute(delete(totals).where(totals.c.indicator_code.in_([row["code"] for row in whole])))
        for code, starts in some.items():
            connection.execute(delete(totals).where(totals.c.indicator_code == code,
                                                    totals.c.period_start.in_(starts)))
        connection.execute(delete(stamps).where(stamps.c.indicator_code.in_(codes)))
        if whole:
            _insert_sums(connection, whole, _areas_with_lsoas())
        for row in redo:
            if row["code"] in some:
                _insert_sums(connection, [row], _areas_with_lsoas(), some[row["code"]])
        if redo:
            connection.execute(insert(stamps), [{"indicator_code": code, **now._asdict()} for code in codes])
    if held is not None:
        connection.execute(update(stamps).where(
            _stamp_is(held), stamps.c.indicator_code.not_in([row["code"] for row in redo])).values(**now._asdict()))


def fill_totals(engine: Engine) -> None:
    """Sum every indicator's totals when the store holds observations but no totals yet (a store made
    before ``area_totals`` existed), in one write transaction."""
    with write_transaction(engine) as connection:
        held = connection.execute(select(func.count()).select_from(schema.area_totals_stamps)).scalar()
        if not held and connection.execute(select(schema.observations.c.id).limit(1)).first() is not None:
            refresh_totals(connection, held=None)


def forget_totals(connection: Connection) -> None:
    """Drop every stored total and stamp in the caller's transaction (writes about to replace them)."""
    connection.execute(delete(schema.area_totals))
    connection.execute(delete(schema.area_totals_stamps))


def _areas_with_lsoas():
    """Codes of every area other than an LSOA that has LSOAs in ``area_lsoas`` (a subquery)."""
    members, areas = schema.area_lsoas, schema.areas
    return (select(members.c.area_code).join(areas, areas.c.code == members.c.area_code)
            .where(areas.c.type != "lsoa").distinct().scalar_subquery())


MOST_PERIODS_IN_PART = 500  # more periods than this written for an indicator: its totals are summed whole


def _periods_to_redo(connection: Connection, held: Stamp | None, periods: Mapping[str, Collection[date]],
                     codes: list[str]) -> dict[str, list[date]]:
    """The indicators of ``codes`` to sum again for some periods only, with those period starts
    (sorted): those ``periods`` names whose stored totals held just before the write (stamp ``held``)."""
    stamps = schema.area_totals_stamps
    asked = [code for code in codes if code in periods and 0 < len(periods[code]) <= MOST_PERIODS_IN_PART]
    if held is None or not asked:
        return {}
    holding = connection.execute(select(stamps.c.indicator_code).where(
        stamps.c.indicator_code.in_(asked), _stamp_is(held))).scalars()
    return {code: sorted(set(periods[code])) for code in holding}


def _stamp_is(held: Stamp):
    """The condition: a row of ``area_totals_stamps`` reads ``held``."""
    stamps = schema.area_totals_stamps
    same = stamps.c.batch_id.is_(None) if held.batch_id is None else stamps.c.batch_id == held.batch_id
    return and_(same, stamps.c.areas == held.areas, stamps.c.memberships == held.memberships)


def _insert_sums(connection: Connection, indicators: list[dict], codes,
                 period_starts: list[date] | None = None) -> None:
    statement = summed_totals_select(indicators, codes, None, None, stored=True,
                                     dialect=connection.dialect.name)
    if period_starts is not None:
        statement = statement.where(schema.observations.c.period_start.in_(period_starts))
    connection.execute(insert(schema.area_totals).from_select(STORED_COLUMNS, statement))
