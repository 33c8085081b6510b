"""Resolve the area codes of an upload to the codes the store holds, and their LSOA census basis.

Sources code places the way they were when they published: wards by a code retired in a boundary
review, LSOAs on the 2011 or the 2021 census basis. ``resolve_area_codes`` maps each row of an
upload to the stored area code and, for an LSOA, the basis the row is reported on, or gives a
message that says exactly what the code is and what to do. A code is never called "unknown" when
it is a real Leeds code of another basis or an older ward code.

Rules for LSOA rows, per (indicator, period):

* a 2011-only code (a split or merged 2011 LSOA) makes the period basis 2011, a 2021-only code 2021;
* a file mixing 2011-only and 2021-only codes for one period is refused;
* codes unchanged between the censuses (basis 'both') take the basis already stored for that
  indicator and period, else 2021 for a period starting on or after Census day (21 March 2021),
  else 2011;
* a period already held on one basis cannot be sent on the other, because a locality's total
  would then add up LSOAs of both bases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, select

from db import schema
from db.bulk import map_values

CENSUS_DAY_2021 = date(2021, 3, 21)
RESOLVED_COLUMNS = ["area_code", "basis", "message"]


@dataclass(frozen=True)
class _Geography:
    areas: pd.DataFrame  # index code; columns name, type, basis
    successor: dict[str, str]  # retired ward code -> current ward code
    later: dict[str, list[str]]  # 2011 LSOA -> its 2021 parts or merged code
    earlier: dict[str, list[str]]  # 2021 LSOA -> its 2011 parent(s)

    def describe(self, code: str) -> str:
        """'a 2021 LSOA, part of Leeds 099A' and the like."""
        basis = self.areas.at[code, "basis"]
        if basis == "2021":
            parents = self.earlier.get(code, [])
            names = " and ".join(f"{self.areas.at[p, 'name']} ({p})" for p in parents)
            how = "part of the 2011 LSOA" if len(parents) == 1 else "the merger of the 2011 LSOAs"
            return f"{code} is a 2021 LSOA ({self.areas.at[code, 'name']}), {how} {names}" \
                if parents else f"{code} is a 2021 LSOA"
        if basis == "2011":
            parts = self.later.get(code, [])
            return f"{code} is a 2011 LSOA ({self.areas.at[code, 'name']}), replaced in 2021 by {', '.join(parts)}"
        return f"{code} is an LSOA unchanged since 2011"


def _load(connection: Connection) -> _Geography:
    areas, changes = schema.areas, schema.code_changes
    frame = pd.DataFrame(connection.execute(select(areas.c.code, areas.c.name, areas.c.type, areas.c.basis)).all(),
                         columns=["code", "name", "type", "basis"]).set_index("code")
    successor, later, earlier = {}, {}, {}
    for old, new, area_type in connection.execute(select(changes.c.old_code, changes.c.new_code,
                                                         changes.c.area_type)):
        if area_type == "ward":
            successor[old] = new
        else:
            later.setdefault(old, []).append(new)
            earlier.setdefault(new, []).append(old)
    return _Geography(frame, successor, {k: sorted(v) for k, v in later.items()},
                      {k: sorted(v) for k, v in earlier.items()})


def _stored_bases(connection: Connection, rows: pd.DataFrame) -> dict[tuple[str, date], str]:
    obs = schema.observations
    keys = rows.dropna(subset=["indicator_code", "period_start"])
    if keys.empty:
        return {}
    statement = (select(obs.c.indicator_code, obs.c.period_start, obs.c.basis)
                 .where(obs.c.indicator_code.in_(sorted(set(keys["indicator_code"]))),
                        obs.c.period_start.in_(sorted(set(keys["period_start"]))), obs.c.basis.is_not(None))
                 .group_by(obs.c.indicator_code, obs.c.period_start, obs.c.basis))
    return {(code, start): basis for code, start, basis in connection.execute(statement)}


def lsoa_counts(connection: Connection) -> dict[str, int]:
    """How many LSOAs the store holds on each basis: ``{'2011': 482, '2021': 488}`` for Leeds."""
    areas = schema.areas
    rows = connection.execute(select(areas.c.basis, func.count()).where(areas.c.type == "lsoa")
                              .group_by(areas.c.basis)).all()
    held = dict(rows)
    return {basis: held.get(basis, 0) + held.get("both", 0) for basis in ("2011", "2021")}


def describe_bases(bases: pd.Series, counts: dict[str, int]) -> str:
    """One sentence on the LSOA basis an upload's rows were read on; '' when no row is an LSOA row.

    ``bases``: the basis of each row ('2011', '2021', None above LSOA level), as resolved by
    ``resolve_area_codes``; ``counts`` from ``lsoa_counts``.

        >>> describe_bases(pd.Series(["2021", "2021", None]), {"2011": 482, "2021": 488})
        'LSOA rows were read on the 2021 LSOAs (488).'
    """
    used = sorted(set(bases.dropna()))
    if not used:
        return ""
    parts = [f"the {basis} LSOAs ({counts.get(basis, 0):,})" for basis in used]
    if len(parts) == 1:
        return f"LSOA rows were read on {parts[0]}."
    per = bases.value_counts()
    return ("LSOA rows were read on " + " and on ".join(
        f"{part} for {per[basis]:,} row{'' if per[basis] == 1 else 's'}" for part, basis in zip(parts, used)) + ".")


def current_ward_codes(connection: Connection, codes: pd.Series) -> pd.Series:
    """``codes`` (area codes, any index) with each retired ward code replaced by its successor.

    Used for events, targets and actions, whose area is never an LSOA of a particular basis; other
    codes come back as they were. Reads the store only.
    """
    changes = schema.code_changes
    successor = dict(connection.execute(select(changes.c.old_code, changes.c.new_code)
                                        .where(changes.c.area_type == "ward")).all())
    return map_values(codes, lambda c: successor.get(c, c) if isinstance(c, str) else c)


def unresolved_message(code: str) -> str:
    """What to say about a code the store does not hold, by what the code looks like."""
    if code.startswith("E01"):
        return (f"{code} is not a Leeds LSOA on the 2011 or 2021 basis. Check the code against the LSOA list "
                "(templates show the format), or leave out rows for other districts.")
    if code.startswith("E05"):
        return (f"{code} is not a Leeds ward code, current or retired. Use the ward's current GSS code "
                "(E05…), e.g. E05011385 for Armley.")
    return (f"{code} is not the code of Leeds or of one of its wards, LSOAs or localities. Use an LSOA or ward "
            "GSS code (E01…, E05…) or a locality code such as PN-NWORT.")


def resolve_area_codes(connection: Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """Stored code and LSOA basis for each upload row.

    ``rows``: columns area_code (upper-case text), and optionally indicator_code and period_start
    (``datetime.date`` or ``Timestamp``); any index. Returns a frame on the same index with columns
    area_code (the stored code: a retired ward code becomes its successor; None when unresolved),
    basis ('2011' or '2021' for LSOA rows, None otherwise) and message (None, or what is wrong and
    what to do). Reads the store only.
    """
    geo = _load(connection)
    rows = rows.copy()
    for name in ("indicator_code", "period_start"):
        if name not in rows.columns:
            rows[name] = None
    out = pd.DataFrame(index=rows.index, columns=RESOLVED_COLUMNS, dtype=object)
    successors = map_values(rows["area_code"], geo.successor)
    codes = successors.where(successors.notna(), rows["area_code"])
    held = codes.isin(geo.areas.index)
    out["area_code"] = codes.where(held, None)
    out.loc[~held & rows["area_code"].notna(), "message"] = [unresolved_message(c) for c in
                                                             rows.loc[~held & rows["area_code"].notna(), "area_code"]]
    code_basis = map_values(codes, geo.areas["basis"].to_dict()).where(held, None)
    lsoa = held & code_basis.notna()
    if not lsoa.any():
        return out
    at_lsoa = pd.DataFrame({"indicator_code": rows.loc[lsoa, "indicator_code"],
                            "period_start": rows.loc[lsoa, "period_start"], "basis": code_basis[lsoa]})
    # Most periods are on one basis the store agrees with: settle those for all their rows at once, and
    # work out the rest (mixed bases, or a basis the store holds otherwise) group by group.
    grouped = at_lsoa.groupby(["indicator_code", "period_start"], dropna=False, sort=False)
    group_of = grouped.ngroup()
    census = at_lsoa.assign(old=at_lsoa["basis"] == "2011", new=at_lsoa["basis"] == "2021")  # else 'both'
    spread = census.groupby(["indicator_code", "period_start"], dropna=False, sort=False)[["old", "new"]].any()
    keys = [(code, _as_day(start)) for code, start in spread.index]
    stored = _stored_bases(connection, pd.DataFrame(keys, columns=["indicator_code", "period_start"]))
    one = [("2011" if old else "2021") if old != new else None for old, new in zip(spread["old"], spread["new"],
                                                                                      strict=True)]
    group_basis = pd.Series([basis if basis is not None and stored.get(key) in (None, basis) else None
                             for key, basis in zip(keys, one, strict=True)], dtype=object)
    per_row = group_basis.to_numpy()[group_of.to_numpy()]
    settled = pd.notna(per_row).astype(bool)
    out.loc[at_lsoa.index[settled], "basis"] = per_row[settled]
    for (indicator, start), group in at_lsoa[~settled].groupby(["indicator_code", "period_start"], dropna=False,
                                                               sort=False):
        start = _as_day(start)
        basis, messages = _period_basis(geo, group["basis"], codes[group.index], stored.get((indicator, start)),
                                        start, indicator)
        out.loc[group.index, "basis"] = basis
        for row, message in messages.items():
            out.at[row, "message"] = message
    return out


def _as_day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _period_basis(geo: _Geography, bases: pd.Series, codes: pd.Series, stored: str | None, start: date | None,
                  indicator: str | None) -> tuple[str | None, dict]:
    """The basis of one indicator's period in an upload, and a message for each row that cannot have it."""
    old, new = bases == "2011", bases == "2021"
    if old.any() and new.any():
        example_old, example_new = codes[old].iloc[0], codes[new].iloc[0]
        minority = new if new.sum() <= old.sum() else old
        reason = (f"This file mixes 2011 and 2021 LSOA codes for the same period: {geo.describe(example_old)}; "
                  f"{geo.describe(example_new)}. Send each period on one basis (all 2011 or all 2021 codes).")
        return None, {row: reason for row in minority[minority].index}
    if old.any():
        basis = "2011"
    elif new.any():
        basis = "2021"
    elif stored is not None:
        basis = stored
    else:
        basis = "2021" if isinstance(start, date) and start >= CENSUS_DAY_2021 else "2011"
    if stored is None or stored == basis:
        return basis, {}
    wrong = old if basis == "2011" else new
    messages = {row: f"{geo.describe(codes[row])}, but {indicator or 'this indicator'} for this period is already "
                     f"held on {stored} LSOAs. Send the period on {stored} LSOA codes, or roll back the batch that "
                     "loaded it first." for row in wrong[wrong].index}
    return stored if messages else basis, messages
