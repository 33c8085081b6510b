"""The published-figures decision of an indicator under disclosure control, read from the store.

Pages, printed snapshots and exports all read this one decision (``published_figures``), so an
area's figure is either shown everywhere a viewer can look or hidden everywhere. The rule itself is
``metrics.disclosure.decide_disclosure``; here the store supplies its inputs for each period: every
area's LSOAs on the basis the period's observations were reported on (``observations.basis``,
NULL read as 2011), and each LSOA's count (its numerator for a rate or percentage). LSOA figures of
such indicators are never published.

All periods of an indicator are read in one query and decided together (a second or less for ten
years of monthly counts); the answer is kept per store, indicator and data version (``queries.data_version`` plus the observations' row count and newest id), and is
worked out again as soon as anything is imported, rolled back or a custom locality changes.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

import pandas as pd
from sqlalchemy import Engine, String, func, select, type_coerce

from db import schema
from db.queries import data_version_columns, indicator_row
from metrics.disclosure import Release, decide_disclosure_by_period
from metrics.suppress import SMALL_NUMBER_THRESHOLD, is_small

DEFAULT_BASIS = "2011"
FIGURE_COLUMNS = ["period_start", "period_end", "area_code", "count", "release"]
REMEMBERED_DECISIONS = 16
_decisions: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_memberships: dict[tuple, tuple[pd.DataFrame, set[str]]] = {}
_catalogues: dict[tuple, dict[str, dict]] = {}


def published_figures(engine: Engine, indicator_code: str, *,
                      threshold: int = SMALL_NUMBER_THRESHOLD) -> pd.DataFrame:
    """Whether each area's figure of ``indicator_code`` may be shown to viewers, for every period.

    Columns: period_start, period_end, area_code, count (the area's count or numerator: sum over its
    reported LSOAs), release (a ``metrics.disclosure.Release``). Every area of every type has a row
    for each period of an LSOA-collected indicator; an indicator collected for localities has a row
    per observation, judged on its own count. Empty for an indicator not under disclosure control.
    Raises ``NotFound`` for an unknown indicator.
    """
    version = _version(engine)
    key = (id(engine), str(engine.url), indicator_code, threshold, version)
    if key not in _decisions:
        _decisions[key] = _decide(engine, indicator_code, threshold, version)
        while len(_decisions) > REMEMBERED_DECISIONS:
            _decisions.popitem(last=False)
    _decisions.move_to_end(key)
    return _decisions[key].copy()


def _frame(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(statement)
        # The driver's own rows: every column read here is text or a number (dates are read as text),
        # so SQLAlchemy's per-row processing would only cost time.
        names, rows = list(result.keys()), result.cursor.fetchall()
    # Column by column: pandas builds a frame from a few long tuples far faster than from many rows.
    columns = list(zip(*rows)) if rows else [()] * len(names)
    return pd.DataFrame(dict(zip(names, columns, strict=True)), columns=names)


def _version(engine: Engine) -> tuple:
    """``queries.data_version`` and the observations' row count and newest id, in one statement."""
    obs = schema.observations
    statement = select(*data_version_columns(), select(func.count()).select_from(obs).scalar_subquery(),
                       select(func.max(obs.c.id)).scalar_subquery())
    with engine.connect() as connection:
        return tuple(connection.execute(statement).one())


def _decide(engine: Engine, indicator_code: str, threshold: int, version: tuple) -> pd.DataFrame:
    indicator = _catalogue(engine, version).get(indicator_code)
    if indicator is None:
        indicator = indicator_row(engine, indicator_code)  # raises NotFound
    if not indicator["disclosure_control"]:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    observations = _counts(engine, indicator_code)
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
        days = {value: _day(value) for value in frame[column].unique()}
        frame[column] = frame[column].map(days)
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
