"""Read-only questions the pages, reports and command line ask of the store.

One function per question; each takes a connectable first and returns a DataFrame
whose columns are documented in its docstring. Parameters are always bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

import pandas as pd
from sqlalchemy import (ARRAY, Date, Engine, String, and_, case, cast, func, literal, literal_column, or_, select,
                        type_coerce, union_all)

from db import schema
from db.errors import NotFound

CURRENT_BASIS = "2021"  # LSOAs of the 2021 census: what maps and lists show unless a period is older


def _frame(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def table_row_counts(engine: Engine) -> pd.DataFrame:
    """Columns: table, rows. One row per table of the schema, in dependency order."""
    rows = []
    with engine.connect() as connection:
        for table in schema.metadata.sorted_tables:
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
            rows.append({"table": table.name, "rows": count})
    return pd.DataFrame(rows, columns=["table", "rows"])


def latest_period_by_indicator(engine: Engine) -> pd.DataFrame:
    """Columns: code, name, frequency, latest_period_end, observations."""
    ind, obs = schema.indicators, schema.observations
    statement = (
        select(
            ind.c.code,
            ind.c.name,
            ind.c.frequency,
            func.max(obs.c.period_end).label("latest_period_end"),
            func.count(obs.c.id).label("observations"),
        )
        .select_from(ind.outerjoin(obs, obs.c.indicator_code == ind.c.code))
        .group_by(ind.c.code, ind.c.name, ind.c.frequency)
        .order_by(ind.c.code)
    )
    return _frame(engine, statement)


def populations(engine: Engine, area_codes: Sequence[str]) -> dict[str, float]:
    """Resident population of each area that has one stored (``areas.population``, all ages), by code."""
    areas = schema.areas
    statement = select(areas.c.code, areas.c.population).where(areas.c.code.in_(list(area_codes)),
                                                                areas.c.population.is_not(None))
    with engine.connect() as connection:
        return {code: float(population) for code, population in connection.execute(statement)}


def areas_by_type(engine: Engine, area_type: str, *, with_boundaries: bool = False,
                  basis: str | None = None, within: Sequence[str] | None = None) -> pd.DataFrame:
    """Columns: code, name, type, tier, parent_code, parent_name, population, basis, imd_decile, imd_rank
    (IMD 2019), imd2025_decile, imd2025_rank (IoD2025)[, boundary_geojson].

    Sorted by name. ``parent_name`` is the name of the parent area (ward for a
    neighbourhood or LSOA, committee area for a ward). For LSOAs, ``basis`` ('2011' or '2021')
    keeps the LSOAs whose code exists on that census basis (unchanged codes are on both), and
    ``within`` (area codes, e.g. the city's) keeps the LSOAs of those areas on either basis: a store
    may hold every LSOA of England, of which a page shows one district's.
    """
    areas, parent = schema.areas, schema.areas.alias("parent")
    columns = [
        areas.c.code, areas.c.name, areas.c.type, areas.c.tier, areas.c.parent_code,
        parent.c.name.label("parent_name"), areas.c.population, areas.c.basis, areas.c.imd_decile,
        areas.c.imd_rank, areas.c.imd2025_decile, areas.c.imd2025_rank,
    ]
    if with_boundaries:
        columns.append(areas.c.boundary_geojson)
    statement = (
        select(*columns)
        .select_from(areas.outerjoin(parent, parent.c.code == areas.c.parent_code))
        .where(areas.c.type == area_type)
        .order_by(areas.c.name)
    )
    if basis is not None:
        statement = statement.where(areas.c.basis.in_([basis, "both"]))
    if within is not None:
        members = schema.area_lsoas
        statement = statement.where(areas.c.code.in_(
            select(members.c.lsoa_code).where(members.c.area_code.in_(list(within)))))
    return _frame(engine, statement)


def indicator_catalogue(engine: Engine) -> pd.DataFrame:
    """Columns: every column of ``indicators``. Sorted by theme, then name."""
    ind = schema.indicators
    return _frame(engine, select(ind).order_by(ind.c.theme, ind.c.name))


def area_by_code(engine: Engine, code: str) -> dict:
    """One area with its parent and grandparent names: keys code, name, type, tier, parent_code,
    parent_name, grandparent_code, grandparent_name, population, is_custom.

    Raises ``NotFound`` for an unknown code.
    """
    areas, parent, grand = schema.areas, schema.areas.alias("parent"), schema.areas.alias("grand")
    statement = (
        select(
            areas.c.code, areas.c.name, areas.c.type, areas.c.tier, areas.c.parent_code,
            parent.c.name.label("parent_name"), parent.c.parent_code.label("grandparent_code"),
            grand.c.name.label("grandparent_name"), areas.c.population, areas.c.is_custom,
        )
        .select_from(
            areas.outerjoin(parent, parent.c.code == areas.c.parent_code).outerjoin(
                grand, grand.c.code == parent.c.parent_code
            )
        )
        .where(areas.c.code == code)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().first()
    if row is None:
        raise NotFound(f"There is no area with the code '{code}'.")
    return dict(row)


def localities(engine: Engine) -> pd.DataFrame:
    """Priority neighbourhoods and custom localities. Columns: code, name, tier, ward_code,
    ward_name, committee_name, population, is_custom, has_plan. Sorted by name."""
    areas, ward, committee = schema.areas, schema.areas.alias("ward"), schema.areas.alias("committee")
    has_plan = select(func.count()).where(schema.action_plans.c.area_code == areas.c.code).scalar_subquery()
    statement = (
        select(
            areas.c.code, areas.c.name, areas.c.tier, ward.c.code.label("ward_code"),
            ward.c.name.label("ward_name"), committee.c.name.label("committee_name"), areas.c.population,
            areas.c.is_custom, (has_plan > 0).label("has_plan"),
        )
        .select_from(
            areas.outerjoin(ward, ward.c.code == areas.c.parent_code).outerjoin(
                committee, committee.c.code == ward.c.parent_code
            )
        )
        .where(areas.c.type == "priority_neighbourhood")
        .order_by(areas.c.name)
    )
    return _frame(engine, statement)


def area_boundaries(engine: Engine, codes: Sequence[str]) -> pd.DataFrame:
    """Columns: code, name, type, parent_code, population, boundary_geojson for the given codes."""
    areas = schema.areas
    statement = select(
        areas.c.code, areas.c.name, areas.c.type, areas.c.parent_code, areas.c.population, areas.c.boundary_geojson
    ).where(areas.c.code.in_(list(codes)))
    return _frame(engine, statement.order_by(areas.c.name))


def lsoas_of(engine: Engine, area_codes: Sequence[str], *, with_boundaries: bool = False,
             basis: str = CURRENT_BASIS) -> pd.DataFrame:
    """The LSOAs of each area on one census basis (the 2021 LSOAs unless ``basis='2011'``).

    Columns: area_code, code, name, population, basis, imd_score, imd_decile, imd_rank (IMD 2019, 2011
    and unchanged LSOAs), imd2025_score, imd2025_rank, imd2025_decile (IoD2025, 2021 and unchanged
    LSOAs)[, boundary_geojson].
    """
    members, lsoa = schema.area_lsoas, schema.areas
    columns = [members.c.area_code, lsoa.c.code, lsoa.c.name, lsoa.c.population, lsoa.c.basis, lsoa.c.imd_score,
               lsoa.c.imd_decile, lsoa.c.imd_rank, lsoa.c.imd2025_score, lsoa.c.imd2025_rank, lsoa.c.imd2025_decile]
    if with_boundaries:
        columns.append(lsoa.c.boundary_geojson)
    statement = (
        select(*columns)
        .join(lsoa, lsoa.c.code == members.c.lsoa_code)
        .where(members.c.area_code.in_(list(area_codes)), members.c.basis == basis)
        .order_by(members.c.area_code, lsoa.c.code)
    )
    return _frame(engine, statement)


def indicator_totals(
    engine: Engine,
    indicator_code: str,
    area_codes: Sequence[str] | None,
    *,
    area_type: str | None = None,
    period_start: date | None = None,
    since: date | None = None,
    lsoa_basis: str | None = None,
) -> pd.DataFrame:
    """Sums of an indicator over each area's LSOAs, per period, computed in the database.

    Columns: area_code, period_start, period_end, numerator, denominator, value_sum,
    lsoas_reported, with_denominator, lsoas_expected, lsoas_suppressed, lsoas_no_population,
    lower_limit, upper_limit, unweighted_base, provisional (bool), basis. For an indicator collected at
    LSOA level, numerator is the sum of numerators (a row without one contributes its
    value), denominator the sum of denominators and ``lsoas_reported`` counts the LSOAs
    with a value (with both numerator and denominator for a ratio indicator; 0/0, no eligible
    population, counts as reported and adds nothing). ``lsoas_suppressed`` counts LSOAs whose value
    was suppressed at source and ``lsoas_no_population`` those with 0/0, so that what is absent can be
    told apart from what is missing.
    Each observation is added up through the area's LSOAs on the census basis it was reported on
    (``basis``, '2011' or '2021'), and ``lsoas_expected`` counts the area's LSOAs on that basis: one
    series per area across the change of LSOAs, never apportioned. With ``area_type='lsoa'`` the
    LSOAs are read as stored, unless ``lsoa_basis`` asks for the LSOAs of one basis: then a split
    2011 LSOA is the sum of its 2021 parts and the merged 2021 LSOA the sum of its 2011 parents.
    For an indicator collected for the locality itself, and for a published estimate (never
    re-aggregated), the row is the area's own observation (``lsoas_expected`` = 1) with its published
    limits. The value itself is computed by
    ``metrics.aggregate.values_from_totals`` so that the rule lives in one place.
    Give either ``area_codes`` or ``area_type`` (every area of that type, e.g. all wards).
    Filter to one period with ``period_start``, or to periods starting on or after ``since``.
    Raises ``NotFound`` for an unknown indicator. ``indicators_totals`` asks the same of many
    indicators in one round trip.
    """
    indicator = indicator_row(engine, indicator_code)
    frame = indicators_totals(engine, [indicator], area_codes, area_type=area_type,
                              period_starts=None if period_start is None else {indicator_code: period_start},
                              since=since, lsoa_basis=lsoa_basis)
    return frame.drop(columns="indicator_code")


def indicators_totals(
    engine: Engine,
    indicators: Sequence[Mapping],
    area_codes: Sequence[str] | None,
    *,
    area_type: str | None = None,
    period_starts: Mapping[str, date] | None = None,
    since: date | None = None,
    lsoa_basis: str | None = None,
) -> pd.DataFrame:
    """``indicator_totals`` for many indicators at once: at most three statements, whatever their number.

    An area's sums of an LSOA-level counted indicator are read from ``area_totals`` (made when the
    data came in, ``db.totals``) while its stamp there holds for the data as they stand (one small
    statement asks), else summed from the LSOAs' observations; the rows are the same either way.

    ``indicators`` are rows of ``indicators`` (mappings with at least code, collection_geography,
    estimate_type, aggregation). Columns: indicator_code, then those of ``indicator_totals``; sorted by
    indicator_code, area_code, period_start. ``period_starts`` (indicator code -> period start) keeps
    one period per indicator, leaving out indicators it does not name; ``since``, ``area_type`` and
    ``lsoa_basis`` are as for ``indicator_totals``.
    """
    if area_codes is None:
        codes = select(schema.areas.c.code).where(schema.areas.c.type == area_type)
        if area_type == "lsoa" and lsoa_basis is not None:
            codes = codes.where(schema.areas.c.basis.in_([lsoa_basis, "both"]))
        codes = codes.scalar_subquery()
    else:
        codes = list(area_codes)
    if period_starts is not None:
        indicators = [i for i in indicators if i["code"] in period_starts]
    stored, summed = [], []
    for indicator in indicators:
        # Locality-level indicators, published estimates, and LSOAs themselves, are read as they were stored.
        as_stored = (indicator["collection_geography"] != "lsoa" or (area_type == "lsoa" and lsoa_basis is None)
                     or indicator["estimate_type"] != "counted")
        (stored if as_stored else summed).append(indicator)
    frames = []
    with engine.connect() as connection:
        if stored:
            frames.append(_read(connection, _stored_totals(stored, codes, period_starts, since)))
        if summed and (area_type == "lsoa" or lsoa_basis is not None):
            frames.append(_read(connection, _summed_totals(summed, codes, period_starts, since,
                                                           dialect=connection.dialect.name)))
        elif summed:  # the sums kept in area_totals where they hold for the data, else summed here
            kept = _kept_totals(connection, [i["code"] for i in summed])
            frames.append(_read(connection, _summed_or_kept(
                summed, kept, codes, period_starts, since, lsoas_named=area_codes is not None,
                dialect=connection.dialect.name)))
    if not frames:
        return pd.DataFrame(columns=TOTALS_COLUMNS)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame["provisional"] = frame["provisional"].astype(bool)  # SQLite answers 0/1, PostgreSQL a bool
    if len(frames) > 1:
        frame = frame.sort_values(["indicator_code", "area_code", "period_start"], ignore_index=True)
    return frame


TOTALS_COLUMNS = ["indicator_code", "area_code", "period_start", "period_end", "numerator", "denominator",
                  "value_sum", "lsoas_reported", "lsoas_expected", "with_denominator", "lsoas_suppressed",
                  "lsoas_no_population", "lower_limit", "upper_limit", "unweighted_base", "provisional", "basis"]


PERIOD_COLUMNS = ("period_start", "period_end")


def _read(connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    # The driver's own rows: SQLAlchemy's per-row processing would parse every date of every row, where
    # the periods' few distinct values are parsed once each below (SQLite gives dates as text).
    names, rows = list(result.keys()), result.cursor.fetchall()
    # Column by column: pandas builds a frame from a few long tuples far faster than from many rows.
    columns = dict(zip(names, list(zip(*rows)) if rows else [()] * len(names), strict=True))
    for name in PERIOD_COLUMNS:
        if name in columns:
            days = {value: _day(value) for value in set(columns[name])}
            columns[name] = [days[value] for value in columns[name]]
    return pd.DataFrame(columns, columns=names)


def _day(value) -> date:
    """A date column's value as a date, from the driver's own value (text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _which(obs, indicators: Sequence[Mapping], period_starts: Mapping[str, date] | None, since: date | None):
    """The observations of ``indicators``: of one period each with ``period_starts``, from ``since`` on."""
    wanted = [i["code"] for i in indicators]
    if period_starts is None:
        condition = obs.c.indicator_code.in_(wanted)
    else:
        # The plain lists beside the pairs: with them the area index is probed for each LSOA's rows of
        # those indicators and periods, not read for every period of every LSOA to keep one.
        condition = and_(obs.c.indicator_code.in_(wanted),
                         obs.c.period_start.in_(sorted({period_starts[code] for code in wanted})),
                         or_(*(and_(obs.c.indicator_code == code, obs.c.period_start == period_starts[code])
                               for code in wanted)))
    if since is not None:
        condition = and_(condition, obs.c.period_start >= since)
    return condition


def _stored_totals(indicators: Sequence[Mapping], codes, period_starts, since):
    obs = schema.observations
    no_population = and_(obs.c.numerator == 0, obs.c.denominator == 0, obs.c.value.is_(None))
    statement = select(
        obs.c.indicator_code, obs.c.area_code, obs.c.period_start, obs.c.period_end,
        func.coalesce(obs.c.numerator, obs.c.value).label("numerator"), obs.c.denominator,
        obs.c.value.label("value_sum"),
        case((or_(obs.c.value.is_not(None), no_population), 1), else_=0).label("lsoas_reported"),
        literal(1).label("lsoas_expected"),
        case((obs.c.denominator.is_not(None), 1), else_=0).label("with_denominator"),
        case((obs.c.suppressed.is_(True), 1), else_=0).label("lsoas_suppressed"),
        case((no_population, 1), else_=0).label("lsoas_no_population"),
        obs.c.lower_limit, obs.c.upper_limit, obs.c.unweighted_base,
        (obs.c.status == "provisional").label("provisional"), obs.c.basis,
    ).where(_which(obs, indicators, period_starts, since), obs.c.area_code.in_(codes))
    return statement.order_by(obs.c.indicator_code, obs.c.area_code, obs.c.period_start)


def _of_member_lsoas(obs, codes, dialect: str | None):
    """The condition that an observation is of an LSOA of the areas ``codes`` (a list or a subquery).

    On PostgreSQL the LSOAs are gathered into one array before the scan (``= any(CAST((SELECT array_agg ...)``),
    which the planner reads from the indexes LSOA by LSOA. Given the membership as a subquery to join, it
    chose by its estimates between that, walking the area index in code order from the first LSOA held,
    and reading one period's rows of every LSOA held: seconds on a store of every LSOA of England."""
    members = schema.area_lsoas
    if dialect == "postgresql":
        gathered = select(func.array_agg(members.c.lsoa_code)).where(members.c.area_code.in_(codes))
        return obs.c.area_code == func.any(cast(gathered.scalar_subquery(), ARRAY(String)))
    # Named LSOAs let SQLite go from the areas' LSOAs to their rows, not scan every row of the
    # indicator (tens of seconds at city scale without statistics).
    return obs.c.area_code.in_(select(members.c.lsoa_code).where(members.c.area_code.in_(codes)))


def _kept_totals(connection, indicator_codes: Sequence[str]) -> set[str]:
    """The indicators whose totals in ``area_totals`` hold for the data as they stand (``db.totals``)."""
    stamps = schema.area_totals_stamps
    statement = select(stamps.c.indicator_code).where(stamps.c.indicator_code.in_(list(indicator_codes)),
                                                      stamp_holds(stamps))
    return set(connection.execute(statement).scalars())


def _summed_or_kept(indicators: Sequence[Mapping], kept: set[str], codes, period_starts, since, *,
                    lsoas_named: bool, dialect: str):
    """One statement for TOTALS_COLUMNS of LSOA-level counted ``indicators``: read from ``area_totals``
    for those ``kept`` (summed when data came in), summed here for the others. LSOAs named in ``codes``
    (``lsoas_named``) are not kept in ``area_totals``: theirs are summed here too."""
    live = [i for i in indicators if i["code"] not in kept]
    held = [i for i in indicators if i["code"] in kept]
    parts = [summed_totals_select(live, codes, period_starts, since, dialect=dialect)] if live else []
    if held:
        parts.append(_kept_rows(held, codes, period_starts, since))
        if lsoas_named:
            areas = schema.areas
            lsoas = select(areas.c.code).where(areas.c.code.in_(codes), areas.c.type == "lsoa").scalar_subquery()
            parts.append(summed_totals_select(held, lsoas, period_starts, since, dialect=dialect))
    if len(parts) == 1:
        return parts[0].order_by(*parts[0].selected_columns[:3])  # indicator_code, area_code, period_start
    return union_all(*parts).order_by(*(literal_column(name) for name in TOTALS_COLUMNS[:3]))


def _kept_rows(indicators: Sequence[Mapping], codes, period_starts, since):
    """TOTALS_COLUMNS of ``indicators`` for the areas ``codes`` as kept in ``area_totals``."""
    totals = schema.area_totals
    limits = [literal(None).label(name) for name in ("lower_limit", "upper_limit", "unweighted_base")]
    columns = {column.name: column for column in totals.columns} | {column.name: column for column in limits}
    return select(*(columns[name] for name in TOTALS_COLUMNS)).where(
        _which(totals, indicators, period_starts, since), totals.c.area_code.in_(codes))


def _summed_totals(indicators: Sequence[Mapping], codes, period_starts, since, *, dialect: str):
    statement = summed_totals_select(indicators, codes, period_starts, since, dialect=dialect)
    return statement.order_by(*statement.selected_columns[:3])  # indicator_code, area_code, period_start


def summed_totals_select(indicators: Sequence[Mapping], codes, period_starts, since, *, stored: bool = False,
                         dialect: str | None = None):
    """The statement summing LSOA-level counted ``indicators`` over the LSOAs of the areas ``codes`` (a list
    or a subquery of codes), per period and census basis, unordered: TOTALS_COLUMNS, or with ``stored``
    the columns of ``area_totals`` in its order (``db.totals`` keeps its result). ``dialect``: the
    connection's (``_of_member_lsoas`` gathers the LSOAs into an array on PostgreSQL)."""
    obs, members = schema.observations, schema.area_lsoas
    no_population = and_(obs.c.numerator == 0, obs.c.denominator == 0, obs.c.value.is_(None))
    ratios = [i["code"] for i in indicators if i["aggregation"] == "ratio"]
    usable = or_(and_(obs.c.indicator_code.in_(ratios), obs.c.numerator.is_not(None),
                      obs.c.denominator.is_not(None)),
                 and_(obs.c.indicator_code.not_in(ratios), obs.c.value.is_not(None)))
    expected = (
        select(members.c.area_code, members.c.basis, func.count().label("lsoas_expected"))
        .where(members.c.area_code.in_(codes))
        .group_by(members.c.area_code, members.c.basis)
        .subquery()
    )
    columns = {
        "indicator_code": obs.c.indicator_code, "area_code": members.c.area_code,
        "period_start": obs.c.period_start, "period_end": obs.c.period_end,
        "numerator": func.sum(func.coalesce(obs.c.numerator, obs.c.value)).label("numerator"),
        "denominator": func.sum(obs.c.denominator).label("denominator"),
        "value_sum": func.sum(obs.c.value).label("value_sum"),
        "lsoas_reported": func.sum(case((usable, 1), else_=0)).label("lsoas_reported"),
        "with_denominator": func.sum(case((and_(usable, obs.c.denominator.is_not(None)), 1), else_=0)).label(
            "with_denominator"),
        "lsoas_expected": func.max(expected.c.lsoas_expected).label("lsoas_expected"),
        "lsoas_suppressed": func.sum(case((obs.c.suppressed.is_(True), 1), else_=0)).label("lsoas_suppressed"),
        "lsoas_no_population": func.sum(case((no_population, 1), else_=0)).label("lsoas_no_population"),
        "lower_limit": literal(None).label("lower_limit"), "upper_limit": literal(None).label("upper_limit"),
        "unweighted_base": literal(None).label("unweighted_base"),
        "provisional": func.max(case((obs.c.status == "provisional", 1), else_=0)).label("provisional"),
        "basis": members.c.basis,
    }
    names = [c.name for c in schema.area_totals.columns] if stored else TOTALS_COLUMNS
    return (
        select(*(columns[name] for name in names))
        .select_from(obs)
        .join(members, and_(members.c.lsoa_code == obs.c.area_code, members.c.basis == obs.c.basis))
        .join(expected, and_(expected.c.area_code == members.c.area_code, expected.c.basis == members.c.basis))
        .where(_which(obs, indicators, period_starts, since), members.c.area_code.in_(codes),
               _of_member_lsoas(obs, codes, dialect))
        .group_by(obs.c.indicator_code, members.c.area_code, obs.c.period_start, obs.c.period_end, members.c.basis)
    )


def indicator_row(engine: Engine, code: str) -> dict:
    """Every column of one indicator. Raises ``NotFound`` for an unknown code."""
    with engine.connect() as connection:
        row = connection.execute(select(schema.indicators).where(schema.indicators.c.code == code)).mappings().first()
    if row is None:
        raise NotFound(f"There is no indicator with the code '{code}'.")
    return dict(row)


def indicator_periods(engine: Engine, indicator_code: str) -> pd.DataFrame:
    """Distinct periods held for an indicator. Columns: period_start, period_end. Newest first."""
    obs = schema.observations
    statement = (
        select(obs.c.period_start, obs.c.period_end)
        .where(obs.c.indicator_code == indicator_code)
        .group_by(obs.c.period_start, obs.c.period_end)
        .order_by(obs.c.period_start.desc())
    )
    return _frame(engine, statement)


def latest_period_ends(engine: Engine) -> pd.DataFrame:
    """Columns: indicator_code, latest_period_end. One row per indicator with data.

    The end of each indicator's newest period, read from one row found through the
    ``(indicator_code, period_start)`` index: an indicator's periods do not overlap, so every row of its
    newest start ends on the same day, and reading them all (one a LSOA: 33,000 on the national store)
    would cost a fifth of a second an indicator.
    """
    obs, ind = schema.observations, schema.indicators
    end = (select(obs.c.period_end).where(obs.c.indicator_code == ind.c.code).order_by(obs.c.period_start.desc())
           .limit(1).correlate(ind).scalar_subquery())
    inner = select(ind.c.code.label("indicator_code"), end.label("latest_period_end")).subquery()
    statement = select(inner.c.indicator_code, type_coerce(inner.c.latest_period_end, Date).label(
        "latest_period_end")).where(inner.c.latest_period_end.is_not(None)).order_by(inner.c.indicator_code)
    return _frame(engine, statement)


def latest_period_starts(engine: Engine, until: date) -> dict[str, date]:
    """Indicator code -> start of its newest period that ends on or before ``until``; indicators with
    none are left out. One statement; each indicator's newest periods are read from its index, newest
    first, stopping at the first that ends in time."""
    obs, ind = schema.observations, schema.indicators
    start = (select(obs.c.period_start).where(obs.c.indicator_code == ind.c.code, obs.c.period_end <= until)
             .order_by(obs.c.period_start.desc()).limit(1).correlate(ind).scalar_subquery())
    inner = select(ind.c.code, type_coerce(start, Date).label("period_start")).subquery()
    with engine.connect() as connection:
        rows = connection.execute(select(inner.c.code, inner.c.period_start)
                                  .where(inner.c.period_start.is_not(None))).all()
    return {code: period_start for code, period_start in rows}


def targets_for(engine: Engine, area_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Targets of the action plans of the given areas (all when None).

    Columns: target_id, area_code, plan_title, indicator_code, baseline_period_start,
    baseline_period_end, baseline_value, target_value, target_date, tolerance, tolerance_type,
    description. Where two plans of an area target one indicator, the newer plan's row comes last.
    """
    plans, targets = schema.action_plans, schema.targets
    statement = select(
        targets.c.id.label("target_id"), plans.c.area_code, plans.c.title.label("plan_title"),
        targets.c.indicator_code, targets.c.baseline_period_start, targets.c.baseline_period_end,
        targets.c.baseline_value, targets.c.target_value, targets.c.target_date, targets.c.tolerance,
        targets.c.tolerance_type, targets.c.description,
    ).join(plans, plans.c.id == targets.c.plan_id)
    if area_codes is not None:
        statement = statement.where(plans.c.area_code.in_(list(area_codes)))
    return _frame(engine, statement.order_by(plans.c.area_code, targets.c.indicator_code, plans.c.period_start,
                                             plans.c.id))


def actions_for(engine: Engine, area_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Actions of the given areas' plans (all when None).

    Columns: action_id, area_code, area_name, ref, title, lead, theme, start_date, due_date,
    percent_complete, status, commentary, updated_at, updated_by, linked_indicators
    (comma-separated codes).
    """
    plans, actions, links, areas = schema.action_plans, schema.actions, schema.action_indicators, schema.areas
    linked = (
        select(links.c.action_id, _group_concat(links.c.indicator_code).label("linked_indicators"))
        .group_by(links.c.action_id)
        .subquery()
    )
    statement = (
        select(
            actions.c.id.label("action_id"), plans.c.area_code, areas.c.name.label("area_name"), actions.c.ref,
            actions.c.title, actions.c.lead, actions.c.theme, actions.c.start_date, actions.c.due_date,
            actions.c.percent_complete, actions.c.status, actions.c.commentary, actions.c.updated_at,
            actions.c.updated_by, linked.c.linked_indicators,
        )
        .join(plans, plans.c.id == actions.c.plan_id)
        .join(areas, areas.c.code == plans.c.area_code)
        .outerjoin(linked, linked.c.action_id == actions.c.id)
    )
    if area_codes is not None:
        statement = statement.where(plans.c.area_code.in_(list(area_codes)))
    return _frame(engine, statement.order_by(areas.c.name, actions.c.ref))


def _group_concat(column):
    """Comma-separated aggregate that works on SQLite and PostgreSQL."""
    return func.aggregate_strings(column, ",")


def events_for(engine: Engine, area_codes: Sequence[str]) -> pd.DataFrame:
    """Events on the given areas. Columns: event_id, area_code, area_name, event_date, title, description."""
    events, areas = schema.events, schema.areas
    statement = (
        select(events.c.id.label("event_id"), events.c.area_code, areas.c.name.label("area_name"),
               events.c.event_date, events.c.title, events.c.description)
        .join(areas, areas.c.code == events.c.area_code)
        .where(events.c.area_code.in_(list(area_codes)))
        .order_by(events.c.event_date)
    )
    return _frame(engine, statement)


def commentary_for(engine: Engine, area_codes: Sequence[str]) -> pd.DataFrame:
    """Columns: area_code, indicator_code, period_start, text, author, created_at. Newest period first."""
    notes = schema.commentary
    statement = (
        select(notes.c.area_code, notes.c.indicator_code, notes.c.period_start, notes.c.text, notes.c.author,
               notes.c.created_at)
        .where(notes.c.area_code.in_(list(area_codes)))
        .order_by(notes.c.period_start.desc().nulls_last(), notes.c.id.desc())
    )
    return _frame(engine, statement)


_city_codes: dict[tuple, str] = {}


def city_code(engine: Engine) -> str | None:
    """Code of the one ``city`` area (the whole district), or None in an empty store.

    Remembered per engine once found: the district a store covers does not change under it, and
    every page asks for it several times."""
    key = (id(engine), str(engine.url))
    if key not in _city_codes:
        with engine.connect() as connection:
            code = connection.execute(select(schema.areas.c.code).where(schema.areas.c.type == "city")).scalar()
        if code is None:
            return None
        _city_codes[key] = code
    return _city_codes[key]


def first_period_start(engine: Engine) -> date | None:
    """The earliest period start held for any indicator, or None in an empty store: each indicator's
    first start from the ``(indicator_code, period_start)`` index, not a scan of every observation."""
    obs, ind = schema.observations, schema.indicators
    first = (select(func.min(obs.c.period_start)).where(obs.c.indicator_code == ind.c.code)
             .correlate(ind).scalar_subquery())
    inner = select(first.label("first_start")).select_from(ind).subquery()
    with engine.connect() as connection:
        return connection.execute(select(type_coerce(func.min(inner.c.first_start), Date))).scalar()


def data_version(engine: Engine) -> tuple:
    """A fingerprint that changes whenever data are imported, rolled back, or edited in place
    (action progress, custom localities), so a running app can tell its cache is out of date."""
    with engine.connect() as connection:
        return tuple(connection.execute(select(*data_version_columns())).one())


def data_version_columns() -> list:
    """The scalar subqueries ``data_version`` reads, for a caller that asks more in the same statement."""
    return [
        select(func.max(schema.import_batches.c.id)).scalar_subquery(),
        select(func.max(schema.action_updates.c.id)).scalar_subquery(),
        select(func.count()).select_from(schema.areas).scalar_subquery(),
        select(func.count()).select_from(schema.area_lsoas).scalar_subquery(),
    ]


class Stamp(NamedTuple):
    """The data a stored derivative (small-number decision, area totals) holds for: newest import batch
    (None before any), rows in ``areas`` and in ``area_lsoas``."""

    batch_id: int | None
    areas: int
    memberships: int


def stamp_holds(stamps):
    """A SQL condition true for the rows of ``stamps`` (a table with batch_id, areas and memberships,
    such as ``disclosure_stamps`` or ``area_totals_stamps``) that hold for the data as they stand."""
    newest, _updates, areas, memberships = data_version_columns()
    return and_(stamps.c.batch_id.is_not_distinct_from(newest), stamps.c.areas == areas,
                stamps.c.memberships == memberships)


def period_basis(engine: Engine, indicator_code: str, period_start: date) -> str | None:
    """The LSOA census basis ('2011' or '2021') an indicator's period is held on; None when it is not
    held at LSOA level (or not held at all)."""
    obs = schema.observations
    statement = select(obs.c.basis).where(obs.c.indicator_code == indicator_code, obs.c.period_start == period_start,
                                          obs.c.basis.is_not(None)).limit(1)
    with engine.connect() as connection:
        return connection.execute(statement).scalar()


def basis_population_change(engine: Engine, area_codes: Sequence[str]) -> pd.DataFrame:
    """How far an area's LSOAs on the 2011 basis and on the 2021 basis differ, in people.

    Both memberships are counted in the same population (mid-2022, on 2021 LSOAs) so that growth
    between the estimates does not show as a difference: the 2011 LSOAs are replaced by their 2021
    successors (a split parent by its parts, merged parents by the merged LSOA, counted once).
    Columns: area_code, population_2011_lsoas, population_2021_lsoas, difference_pct (2021 against
    2011, in percent). Areas without members on both bases are left out.
    """
    members, pops, changes = schema.area_lsoas, schema.area_populations, schema.code_changes
    with engine.connect() as connection:
        rows = connection.execute(select(members.c.area_code, members.c.basis, members.c.lsoa_code).where(
            members.c.area_code.in_(list(area_codes)))).all()
        successors = connection.execute(select(changes.c.old_code, changes.c.new_code).where(
            changes.c.area_type == "lsoa")).all()
        population = dict(connection.execute(select(pops.c.area_code, pops.c.population).where(
            pops.c.basis == "2021", pops.c.year == 2022, pops.c.population_group == "all_ages")).all())
    later: dict[str, set[str]] = {}
    for old, new in successors:
        later.setdefault(old, set()).add(new)
    result = []
    for area, group in pd.DataFrame(rows, columns=["area_code", "basis", "lsoa_code"]).groupby("area_code"):
        old = set(group.loc[group["basis"] == "2011", "lsoa_code"])
        new = set(group.loc[group["basis"] == "2021", "lsoa_code"])
        if not old or not new:
            continue
        as_2021 = set().union(*(later.get(code, {code}) for code in old))
        before = sum(population.get(code, 0.0) for code in as_2021)
        after = sum(population.get(code, 0.0) for code in new)
        result.append({"area_code": area, "population_2011_lsoas": before, "population_2021_lsoas": after,
                       "difference_pct": (after - before) / before * 100 if before else None})
    return pd.DataFrame(result, columns=["area_code", "population_2011_lsoas", "population_2021_lsoas",
                                         "difference_pct"])


def illustrative_indicators(engine: Engine) -> set[str]:
    """Codes of the indicators whose values include the illustrative sample data (loaded by the seed
    as a batch of kind 'seed'); values imported from files (officers' uploads, the real published
    files) are not illustrative."""
    obs, batches = schema.observations, schema.import_batches
    statement = (select(obs.c.indicator_code).join(batches, batches.c.id == obs.c.batch_id)
                 .where(batches.c.kind == "seed").group_by(obs.c.indicator_code))
    with engine.connect() as connection:
        return set(connection.execute(statement).scalars())
