"""Large, deterministic stores for benchmarking: the whole district, or all of England, at LSOA level.

``write_scale_store`` replaces the LSOA-level observations of a seeded store with generated ones:

* ``city``: every Leeds LSOA for every indicator collected at LSOA level, at the indicator's own
  frequency (monthly where monthly), for ``CITY_MONTHS`` months up to ``LAST_MONTH`` (55 years, so
  that the store passes two million observations). Periods before Census day 2021 are on the 2011
  LSOAs, later ones on the 2021 LSOAs, as real sources publish them.
* ``national``: about 33,755 LSOAs (Leeds's own plus synthetic ones with codes ``E019xxxxx``, named
  after synthetic districts of about 300 LSOAs each; the real national list is not shipped) for 20
  synthetic monthly count indicators (``SYN_01``..``SYN_20``) over 60 months: about 40 million rows.

The figures are illustrative only: Poisson counts around a per-LSOA rate with a seasonal swing, and
binomial proportions around a per-LSOA share, drawn with numpy from a seeded generator, so the same
seed gives the same store. Rows are written with ``executemany`` batches on SQLite and ``COPY`` on
PostgreSQL (psycopg's ``cursor.copy``, fed CSV written by Arrow), one indicator at a time, with the
observations' indexes (and on PostgreSQL its unique key and foreign keys) built once after the load,
and the planner's statistics refreshed at the end.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Connection, Engine, UniqueConstraint, delete, insert, select
from sqlalchemy.schema import AddConstraint, DropConstraint

from db import schema
from db.disclosure import forget_decisions, store_decisions
from db.totals import forget_totals, refresh_totals
from db.geography import CENSUS_DAY_2021
from db.transactions import refresh_planner_statistics, write_transaction
from metrics.aggregate import multiplier_for_unit
from metrics.errors import MetricsInputError
from metrics.periods import period_bounds

LAST_MONTH = date(2026, 12, 1)
CITY_MONTHS = 660
NATIONAL_LSOAS = 33_755
NATIONAL_MONTHS = 60
NATIONAL_INDICATORS = 20
LSOAS_PER_DISTRICT = 300
SYNTHETIC_LSOA_START = 900_000  # E019xxxxx: no real LSOA has such a code
DEFAULT_SEED = 2026
SQLITE_BATCH = 50_000
COPY_CHUNK = 1_000_000
INDEX_BUILD_MEMORY = "512MB"  # PostgreSQL's maintenance_work_mem while the observations' indexes are built
COLUMNS = ["indicator_code", "area_code", "period_start", "period_end", "value", "numerator", "denominator",
           "status", "basis", "suppressed"]


@dataclass(frozen=True)
class ScaleSummary:
    """What ``write_scale_store`` wrote: rows, LSOAs and indicators, and the sum of every value."""

    rows: int
    lsoas: int
    indicators: int
    value_sum: float


def month_starts(months: int, last: date = LAST_MONTH) -> list[date]:
    """The first days of the ``months`` months ending with ``last``, oldest first."""
    index = pd.period_range(end=pd.Period(last, freq="M"), periods=months, freq="M")
    return [p.start_time.date() for p in index]


def periods_in(frequency: str, months: list[date]) -> list[tuple[date, date]]:
    """(start, end) of every period of ``frequency`` that starts on one of ``months``."""
    periods = []
    for start in months:
        try:
            periods.append(period_bounds(start=start, frequency=frequency))
        except MetricsInputError:
            continue  # not a start of this frequency
    return periods


def generate_indicator(*, indicator: dict, lsoas: pd.DataFrame, months: list[date], seed: int,
                       index: int) -> pd.DataFrame:
    """Observations of one indicator for ``lsoas`` (columns code, basis ('2011', '2021' or 'both'),
    population) over the periods of its frequency that start in ``months``. Columns: ``COLUMNS``.

    A period starting before Census day 2021 is reported on the LSOAs of the 2011 basis, a later one
    on those of 2021. Deterministic for a given ``seed`` and ``index`` (the indicator's position).
    """
    rng = np.random.default_rng([seed, index])
    periods = periods_in(indicator["frequency"], months)
    frames = []
    base = rng.gamma(4.0, 0.25, size=len(lsoas))  # each LSOA's own level, mean 1
    share = np.clip(rng.beta(4.0, 12.0, size=len(lsoas)), 0.01, 0.95)
    population = lsoas["population"].fillna(1_600).to_numpy(dtype=float)
    for basis in ("2011", "2021"):
        chosen = [p for p in periods if (p[0] < CENSUS_DAY_2021) == (basis == "2011")]
        on_basis = lsoas["basis"].isin([basis, "both"]).to_numpy()
        if not chosen or not on_basis.any():
            continue
        codes, starts = lsoas["code"].to_numpy()[on_basis], np.array([p[0] for p in chosen], dtype=object)
        season = 1 + 0.2 * np.sin(np.arange(len(chosen)) * 2 * np.pi / 12)
        shape = (on_basis.sum(), len(chosen))
        if indicator["aggregation"] == "ratio":
            denominator = np.repeat(np.round(population[on_basis] * 0.4)[:, None], len(chosen), axis=1)
            numerator = rng.binomial(denominator.astype(np.int64), share[on_basis][:, None] * np.ones(shape))
            value = numerator / denominator * multiplier_for_unit(indicator["unit"])
        else:
            months_long = 1 if indicator["frequency"] == "monthly" else 3 if indicator["frequency"] == "quarterly" else 12
            numerator = rng.poisson(base[on_basis][:, None] * season[None, :] * 4 * months_long)
            denominator = np.repeat(population[on_basis][:, None], len(chosen), axis=1)
            value = numerator.astype(float)
        frames.append(pd.DataFrame({
            "indicator_code": indicator["code"], "area_code": np.repeat(codes, len(chosen)),
            "period_start": np.tile(starts, len(codes)),
            "period_end": np.tile(np.array([p[1] for p in chosen], dtype=object), len(codes)),
            "value": value.ravel(), "numerator": numerator.ravel().astype(float),
            "denominator": denominator.ravel().astype(float), "status": "final", "basis": basis,
            "suppressed": False}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def synthetic_lsoas(count: int, *, seed: int) -> pd.DataFrame:
    """``count`` synthetic 2021 LSOAs: code E019xxxxx, name '<district> 001A', population, district."""
    rng = np.random.default_rng([seed, 0])
    number = np.arange(count)
    district = number // LSOAS_PER_DISTRICT + 1
    return pd.DataFrame({
        "code": [f"E01{SYNTHETIC_LSOA_START + i:06d}" for i in number],
        "name": [f"Synthetic district {d:03d} {i % LSOAS_PER_DISTRICT // 26 + 1:03d}{chr(65 + i % 26)}"
                 for d, i in zip(district, number, strict=True)],
        "basis": "2021", "population": rng.integers(1_000, 3_000, size=count)})


def synthetic_indicators(count: int) -> list[dict]:
    """``count`` monthly count indicators collected at LSOA level, SYN_01 onwards, one per theme in turn."""
    themes = ["Safety", "Community engagement and influence", "Employment and skills", "Children and families",
              "Health and wellbeing", "Housing and environment", "Inclusion"]
    return [{"code": f"SYN_{n:02d}", "name": f"Synthetic count {n:02d} (benchmark data)", "theme": themes[n % 7],
             "definition": "Generated for benchmarking: not a real measure.", "source": "Generated",
             "unit": "count", "polarity": "lower_is_better", "frequency": "monthly", "aggregation": "sum",
             "collection_geography": "lsoa", "disclosure_control": False, "staleness_days": 120}
            for n in range(1, count + 1)]


def scale_batches(connection: Connection, scale: str, *, seed: int = DEFAULT_SEED, lsoas: int | None = None,
                  months: int | None = None) -> Iterator[pd.DataFrame]:
    """The generated observations of ``scale`` ('city' or 'national'), one frame per indicator.

    ``lsoas`` and ``months`` shrink the national scale (for tests); the city scale reads the
    store's LSOAs and LSOA-level indicators, so the store must hold the geography and catalogue.
    Read through ``connection``: the load's own, which holds the observations' constraints dropped.
    """
    areas = pd.DataFrame(connection.execute(
        select(schema.areas.c.code, schema.areas.c.basis, schema.areas.c.population)
        .where(schema.areas.c.type == "lsoa").order_by(schema.areas.c.code)).all(),
        columns=["code", "basis", "population"])
    catalogue = pd.DataFrame(connection.execute(select(schema.indicators).order_by(schema.indicators.c.code)
                                                ).mappings().all())
    if scale == "city":
        indicators = catalogue[catalogue["collection_geography"] == "lsoa"].to_dict("records")
        window = month_starts(months or CITY_MONTHS)
    elif scale == "national":
        indicators = catalogue[catalogue["code"].str.startswith("SYN_")].to_dict("records")
        window = month_starts(months or NATIONAL_MONTHS)
        wanted = lsoas or NATIONAL_LSOAS
        areas = areas[areas["code"] >= f"E01{SYNTHETIC_LSOA_START:06d}"] if lsoas else areas
        areas = areas.head(wanted)
    else:
        raise ValueError(f"Unknown scale '{scale}': choose city or national.")
    for index, indicator in enumerate(indicators, start=1):
        yield generate_indicator(indicator=indicator, lsoas=areas, months=window, seed=seed, index=index)


def prepare_national(engine: Engine, *, seed: int = DEFAULT_SEED, lsoas: int = NATIONAL_LSOAS) -> None:
    """Add the synthetic LSOAs (beyond Leeds's own, up to ``lsoas`` in all, or ``lsoas`` synthetic
    ones when fewer than Leeds has) and the synthetic indicators to a seeded store."""
    with engine.begin() as connection:
        held = connection.execute(select(schema.areas.c.code).where(schema.areas.c.type == "lsoa")).all()
        extra = synthetic_lsoas(max(lsoas - len(held), 0) if lsoas >= len(held) else lsoas, seed=seed)
        connection.execute(insert(schema.areas), [
            {"code": r.code, "name": r.name, "type": "lsoa", "basis": r.basis, "population": int(r.population),
             "is_custom": False} for r in extra.itertuples()])
        connection.execute(insert(schema.indicators), synthetic_indicators(NATIONAL_INDICATORS))


def write_scale_store(engine: Engine, scale: str, *, seed: int = DEFAULT_SEED, lsoas: int | None = None,
                      months: int | None = None) -> ScaleSummary:
    """Replace the store's LSOA-level observations with the generated ``scale`` and return what was written.

    The store must already be seeded (geography and catalogue). For 'national' the synthetic LSOAs
    and indicators are added first. The areas' totals (``db.totals``) are summed and the small-number
    decisions made and stored at the end.
    Raises ``ValueError`` for an unknown scale.
    """
    if scale not in ("city", "national"):
        raise ValueError(f"Unknown scale '{scale}': choose city or national.")
    if scale == "national":
        prepare_national(engine, seed=seed, lsoas=lsoas or NATIONAL_LSOAS)
    obs = schema.observations
    lsoa_level = select(schema.indicators.c.code).where(schema.indicators.c.collection_geography == "lsoa")
    with engine.begin() as connection:
        connection.execute(delete(schema.observation_revisions))
        forget_decisions(connection)  # these writes make no batch, so no stamp would see them
        forget_totals(connection)
        connection.execute(delete(obs).where(obs.c.indicator_code.in_(lsoa_level)))
    rows = value_sum = 0
    codes, indicators = set(), 0
    with engine.begin() as connection:
        deferred = _checks_built_after_load(connection)
        for index in obs.indexes:  # built once at the end: much faster than kept up row by row
            index.drop(connection)
        for check in deferred:
            connection.execute(DropConstraint(check))
        for frame in scale_batches(connection, scale, seed=seed, lsoas=lsoas, months=months):
            _write(connection, frame)
            rows += len(frame)
            value_sum += float(frame["value"].sum())
            codes.update(frame["area_code"].unique())
            indicators += 1
        if connection.dialect.name == "postgresql":  # this transaction only: sorts for the indexes in memory
            connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        for index in obs.indexes:
            index.create(connection)
        for check in deferred:  # the unique key built by one sort, each foreign key checked by one join
            connection.execute(AddConstraint(check))
    refresh_planner_statistics(engine, ["observations", "areas", "indicators"])
    with write_transaction(engine) as connection:  # after the statistics: the sums follow the indexes
        refresh_totals(connection, held=None)
    store_decisions(engine)
    return ScaleSummary(rows, len(codes), indicators, value_sum)


def _checks_built_after_load(connection) -> list:
    """On PostgreSQL, the observations' unique key and foreign keys, to drop before the load and add
    after it: kept up row by row they cost the server more than the rows themselves (two foreign-key
    triggers a row). SQLite cannot drop a constraint, so there they stay."""
    if connection.dialect.name != "postgresql":
        return []
    obs = schema.observations
    unique = [c for c in obs.constraints if isinstance(c, UniqueConstraint)]
    return [*unique, *sorted(obs.foreign_key_constraints, key=lambda c: c.name)]


def _write(connection, frame: pd.DataFrame) -> None:
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        table = pa.Table.from_pandas(frame[COLUMNS], preserve_index=False)
        with raw.cursor() as cursor, cursor.copy(f"COPY observations ({', '.join(COLUMNS)}) FROM STDIN "
                                                 "(FORMAT csv)") as copy:
            for batch in table.to_batches(max_chunksize=COPY_CHUNK):
                # Arrow writes CSV many times faster than pandas: the generator spent most of its time here.
                buffer = io.BytesIO()
                pa_csv.write_csv(batch, buffer, pa_csv.WriteOptions(include_header=False))
                copy.write(buffer.getbuffer())
        return
    statement = (f"INSERT INTO observations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})")
    table = frame.assign(period_start=frame["period_start"].map(date.isoformat),
                         period_end=frame["period_end"].map(date.isoformat),
                         suppressed=frame["suppressed"].astype(int))
    records = list(table.itertuples(index=False, name=None))
    cursor = raw.cursor()
    for first in range(0, len(records), SQLITE_BATCH):
        cursor.executemany(statement, records[first:first + SQLITE_BATCH])
