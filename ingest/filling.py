"""What an observations file leaves unsaid, filled in before the import is compared with the store.

* **Absent means 0** for a count made from an incident list (``indicators.missing_means_zero``: ASB,
  crime, hate, fly-tipping): such a file is the list for every period it covers, so an LSOA of the
  district with no row for that period had no incidents. Its row is added with the value 0. The
  district's LSOAs are the city's membership on the rows' LSOA basis (the ``basis`` column when the
  rows carry one, else 2011). A value already stored is never replaced by a filled 0 (a file that
  corrects a few LSOAs must not wipe the rest); the preview says how many absent LSOAs kept theirs.
* **Denominators from the store** for counts without one: the population held for the area
  (``db.populations``), so that rates per 1,000 residents and comparisons work for the new period.

Each step returns the rows and a sentence for the preview saying what it did (empty when nothing).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from db import schema
from db.bulk import map_values
from db.populations import populations_for
from ingest.validation import Reference
from metrics.periods import period_bounds, period_label

DEFAULT_BASIS = "2011"
EXAMPLES_SHOWN = 3


def _basis(rows: pd.DataFrame) -> pd.Series:
    if "basis" not in rows.columns:
        return pd.Series(DEFAULT_BASIS, index=rows.index, dtype=object)
    return rows["basis"].astype(object).where(rows["basis"].notna(), DEFAULT_BASIS).astype(str)


def district_lsoas(connection: Connection, basis: str) -> list[str]:
    """The LSOA codes of the city (the whole district) on ``basis``, sorted; empty when none are held."""
    areas, members = schema.areas, schema.area_lsoas
    city = select(areas.c.code).where(areas.c.type == "city").scalar_subquery()
    statement = select(members.c.lsoa_code).where(members.c.area_code == city, members.c.basis == basis)
    return sorted(connection.execute(statement).scalars())


def _label(start: pd.Timestamp, frequency: str) -> str:
    first, last = period_bounds(start=start.date(), frequency=frequency)
    return period_label(start=first, end=last)


def fill_absent_as_zero(connection: Connection, rows: pd.DataFrame, ref: Reference) -> tuple[pd.DataFrame, str]:
    """``rows`` (typed, index = spreadsheet row) with a 0 row added for every LSOA of the district absent
    from the file for a period it covers, for indicators whose missing LSOAs mean 0. Added rows have a
    new index past the file's rows and ``filled`` True; the note names how many and a few examples.

    Worked out for every period at once: the district's LSOAs of each (indicator, period, basis) the file
    covers, less the LSOAs the file gives, less those the store already holds."""
    rows = rows.assign(filled=False)
    zero_means_none = map_values(rows["indicator_code"], ref.indicators["missing_means_zero"].to_dict())
    at_lsoa = map_values(rows["area_code"], ref.area_types) == "lsoa"
    chosen = rows[zero_means_none.fillna(False).astype(bool) & at_lsoa].assign(_basis=_basis(rows))
    if chosen.empty:
        return rows, ""
    group = ["indicator_code", "period_start", "_basis"]
    statuses = chosen.groupby(group, sort=True)["status"].agg(["nunique", "first"])
    members = pd.concat([pd.DataFrame({"_basis": basis, "area_code": district_lsoas(connection, basis)})
                         for basis in sorted(chosen["_basis"].unique())])
    expected = statuses.reset_index()[group].merge(members, on="_basis")
    given = chosen[[*group, "area_code"]].drop_duplicates()
    absent = expected.merge(given, on=[*group, "area_code"], how="left", indicator=True)
    absent = absent[absent["_merge"] == "left_only"].drop(columns="_merge")
    kept = 0
    if not absent.empty:
        stored = _stored_areas(connection, absent)
        held = absent.merge(stored, on=["indicator_code", "period_start", "area_code"], how="left", indicator=True)
        kept = int((held["_merge"] == "both").sum())
        absent = absent[(held["_merge"] == "left_only").to_numpy()]
    kept_note = (f" {_lsoas(kept)} absent from the file keep the values already stored for them; if the file is "
                 "the complete list, give them with 0." if kept else "")
    if absent.empty:
        return rows, kept_note.strip()
    absent = absent.sort_values([*group, "area_code"])
    status = statuses["first"].where(statuses["nunique"] == 1, None)
    filler = pd.DataFrame({"indicator_code": absent["indicator_code"].to_numpy(),
                           "area_code": absent["area_code"].to_numpy(),
                           "period_start": absent["period_start"].to_numpy(), "value": 0.0,
                           "status": status.reindex(pd.MultiIndex.from_frame(absent[group])).to_numpy(),
                           "suppressed": False, "filled": True})
    if "basis" in rows.columns:
        filler["basis"] = absent["_basis"].to_numpy()
    parts = [(len(part), code, _label(start, ref.indicators.at[code, "frequency"]),
              list(part["area_code"][:EXAMPLES_SHOWN]))
             for (code, start, _), part in absent.groupby(group, sort=True)]
    first = int(rows.index.max()) + 1
    filler.index = pd.RangeIndex(first, first + len(filler), name=rows.index.name)
    filled = pd.concat([rows, filler.reindex(columns=rows.columns)])
    filled["filled"] = filled["filled"].astype(bool)
    filled["suppressed"] = filled["suppressed"].astype(bool)
    return filled, _zero_note(parts) + kept_note


def _stored_areas(connection: Connection, wanted: pd.DataFrame) -> pd.DataFrame:
    """indicator_code, period_start (as ``wanted``'s), area_code of the observations stored for the
    (indicator, period) pairs of ``wanted``."""
    obs = schema.observations
    pairs = wanted[["indicator_code", "period_start"]].drop_duplicates()
    starts = {pd.Timestamp(start).date(): start for start in pairs["period_start"]}
    found = connection.execute(select(obs.c.indicator_code, obs.c.period_start, obs.c.area_code).where(
        obs.c.indicator_code.in_(sorted(set(pairs["indicator_code"]))), obs.c.period_start.in_(sorted(starts)))).all()
    frame = pd.DataFrame(found, columns=["indicator_code", "period_start", "area_code"])
    frame["period_start"] = frame["period_start"].map(starts)
    return frame


def _lsoas(count: int) -> str:
    return f"{count:,} LSOA" if count == 1 else f"{count:,} LSOAs"


def _zero_note(parts: list[tuple[int, str, str, list[str]]]) -> str:
    total = sum(p[0] for p in parts)
    examples = ", ".join(parts[0][3])
    where = f"{parts[0][1]}, {parts[0][2]}" if len(parts) == 1 else "; ".join(
        f"{code}, {label}: {n:,}" for n, code, label, _ in parts)
    return (f"Filled with 0: {_lsoas(total)} with no incidents, e.g. {examples} ({where}). For these "
            "indicators an LSOA the file leaves out had none.")


def fill_denominators(connection: Connection, rows: pd.DataFrame, ref: Reference) -> tuple[pd.DataFrame, str]:
    """Counts (unit ``count``, counted) with no denominator get the population held for their area and
    period (``rows`` needs area_code, period_end as dates, denominator, value, suppressed)."""
    indicators = ref.indicators
    counted = (map_values(rows["indicator_code"], indicators["unit"].to_dict()) == "count") & (
        map_values(rows["indicator_code"], indicators["estimate_type"].to_dict()).fillna("counted") == "counted")
    wanted = counted & rows["denominator"].isna() & rows["value"].notna()
    if not wanted.any():
        return rows, ""
    lacking_rows = rows.loc[wanted]
    ends = lacking_rows["period_end"]
    keys = pd.DataFrame({"area_code": lacking_rows["area_code"], "basis": _basis(lacking_rows),
                         "period_end": ends.dt.date if pd.api.types.is_datetime64_any_dtype(ends) else ends})
    found = populations_for(connection, keys)
    denominator = rows["denominator"].copy()
    denominator.loc[found.index] = found["population"]
    rows = rows.assign(denominator=denominator)  # one new column: copying a million-row frame costs seconds
    used = found.dropna(subset=["population"])
    # Programme counts for a locality (residents engaged...) need no population; LSOA counts do.
    at_lsoa = map_values(lacking_rows["area_code"], ref.area_types) == "lsoa"
    lacking = int((found["population"].isna() & at_lsoa).sum())
    return rows, _denominator_note(used, lacking)


def _rows(count: int) -> str:
    return f"{count:,} count row" if count == 1 else f"{count:,} count rows"


def _denominator_note(used: pd.DataFrame, lacking: int) -> str:
    note = ""
    if not used.empty:
        estimates = ", ".join(f"mid-{int(year)} ({source})" for year, source in
                              sorted(set(zip(used["population_year"], used["population_source"], strict=True))))
        note = (f"Denominators: {_rows(len(used))} had none, so the population held for each area was used "
                f"({estimates}, all ages), for rates per 1,000 residents and comparisons.")
    if lacking:
        note += (f" {_rows(lacking)} for LSOAs had no denominator and no population is held for their LSOA: "
                 "they are stored without one, so no rate per 1,000 residents can be given for them. Add the "
                 "denominator column, or load the LSOA populations.")
    return note.strip()
