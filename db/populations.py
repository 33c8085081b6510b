"""The populations held for areas (``area_populations``), read as the denominators of counts.

A count without a denominator (an incident list, a police.uk file) is turned into a rate per 1,000
residents with the population held for its area. Estimates are held per area, LSOA basis (2011 or
2021), mid-year and population group, e.g. ONS mid-2019 for 2011 LSOAs and mid-2022 for 2021 LSOAs.

Which estimate a period uses: the one on the row's basis (else any basis held for the area) whose
mid-year date (30 June) is the latest not after the end of the period; when every estimate held is
later than the period, the earliest. So October 2026 uses mid-2022 when that is the newest held, and
April 2016 uses mid-2019 when nothing earlier is held.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, select

from db import schema

ALL_AGES = "all_ages"
POPULATION_COLUMNS = ["population", "population_year", "population_source"]


def mid_year(year: int) -> date:
    """The reference date of a mid-year estimate: mid-2019 is 30 June 2019."""
    return date(year, 6, 30)


def populations_for(connection: Connection, wanted: pd.DataFrame, *,
                    population_group: str = ALL_AGES) -> pd.DataFrame:
    """The population to use for each row of ``wanted`` (columns area_code, basis, period_end as dates).

    Returns a frame on ``wanted``'s index with columns population (float; NaN where the store holds no
    estimate for the area), population_year (the mid-year used) and population_source. Reads only the
    areas asked for, in one statement, and chooses for every distinct (area, basis, period) at once
    (``choose_estimates``), so a million rows cost what their few thousand distinct keys cost.
    """
    result = pd.DataFrame(index=wanted.index, columns=POPULATION_COLUMNS, dtype=object)
    result["population"] = float("nan")
    if wanted.empty:
        return result
    held = _held(connection, sorted(set(wanted["area_code"])), population_group)
    if held.empty:
        return result
    keys = ["area_code", "basis", "period_end"]
    chosen = choose_estimates(held, wanted[keys].drop_duplicates())
    found = wanted[keys].merge(chosen, on=keys, how="left")
    year, source = found["year"].astype("Int64").astype(object), found["source"].astype(object)
    return pd.DataFrame({"population": found["population"].astype("float64").to_numpy(),
                         "population_year": year.where(found["year"].notna(), None).to_numpy(),
                         "population_source": source.where(found["source"].notna(), None).to_numpy()},
                        index=wanted.index)


def choose_estimates(held: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """``choose_estimate`` for many keys at once. ``held``: area_code, basis, year, population, source;
    ``keys``: distinct area_code, basis, period_end (dates). Returns one row per key that has an
    estimate: area_code, basis, period_end, year, population, source.

    Example:
        >>> held = pd.DataFrame({"area_code": ["A", "A"], "basis": ["2011", "2021"], "year": [2019, 2022],
        ...                      "population": [1500.0, 1620.0], "source": ["ONS", "ONS"]})
        >>> keys = pd.DataFrame({"area_code": ["A", "A"], "basis": ["2021", "2011"],
        ...                      "period_end": [date(2026, 10, 31), date(2016, 4, 30)]})
        >>> choose_estimates(held, keys)["year"].tolist()
        [2022, 2019]
    """
    key = ["area_code", "basis", "period_end"]
    keys = keys.reset_index(drop=True).assign(_key=lambda frame: range(len(frame)))
    pool = keys.merge(held.rename(columns={"basis": "_held_basis"}), on="area_code")
    on_basis = (pool["_held_basis"] == pool["basis"]).fillna(False).astype(bool)
    pool = pool[on_basis | ~on_basis.groupby(pool["_key"]).transform("any")]  # the row's basis, else any
    # a mid-year (30 June) is not after the period's end when its year is at most the last mid-year passed
    last_passed = pool["period_end"].map(lambda end: end.year if (end.month, end.day) >= (6, 30) else end.year - 1)
    before = pool["year"].astype(int) <= last_passed.astype(int)
    # the latest estimate not after the period; when every one is later, the earliest
    rank = before.astype(int) * 10_000 + pool["year"].astype(int).where(before, -pool["year"].astype(int))
    best = pool.assign(_rank=rank.to_numpy()).sort_values(["_key", "_rank"], kind="stable")
    best = best.drop_duplicates("_key", keep="last")
    return best[[*key, "year", "population", "source"]].reset_index(drop=True)


def choose_estimate(estimates: pd.DataFrame, *, basis: str | None, period_end: date) -> pd.Series:
    """One area's estimate for a period (rule in the module docstring). ``estimates``: basis, year,
    population, source; at least one row.

    Example:
        >>> held = pd.DataFrame({"basis": ["2011", "2021"], "year": [2019, 2022],
        ...                      "population": [1500.0, 1620.0], "source": ["ONS", "ONS"]})
        >>> int(choose_estimate(held, basis="2021", period_end=date(2026, 10, 31))["year"])
        2022
        >>> int(choose_estimate(held, basis="2011", period_end=date(2016, 4, 30))["year"])
        2019
    """
    on_basis = estimates[estimates["basis"] == basis]
    pool = on_basis if not on_basis.empty else estimates
    before = pool[[mid_year(int(y)) <= period_end for y in pool["year"]]]
    if not before.empty:
        return before.sort_values("year").iloc[-1]
    return pool.sort_values("year").iloc[0]


def _held(connection: Connection, area_codes: list[str], population_group: str) -> pd.DataFrame:
    pops = schema.area_populations
    statement = select(pops.c.area_code, pops.c.basis, pops.c.year, pops.c.population, pops.c.source).where(
        pops.c.area_code.in_(area_codes), pops.c.population_group == population_group)
    rows = connection.execute(statement).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["area_code", "basis", "year", "population", "source"])
