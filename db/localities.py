"""Custom localities: an editor's own neighbourhood, built from LSOAs.

A custom locality is stored like a priority neighbourhood (type ``priority_neighbourhood``,
``is_custom`` true, parent = its ward) with its LSOAs in ``area_lsoas``, so it appears wherever a
locality does and every LSOA-level indicator adds up to it. It may be drawn from 2011 or 2021 LSOA
codes (not both); its LSOAs on the other census basis are derived through the ONS lookup and
stored too, with its population on each basis, so figures published on either basis add up to it.
It gets an empty action plan, so targets and actions can be uploaded for it. Its code is ``CL-`` and
its name in capitals.

Its LSOAs must lie in the district and in its ward, and its set of LSOAs must differ from every
published area it overlaps (the city, a committee area, a ward, a neighbourhood, another custom
locality) by at least ``MIN_LSOA_DIFFERENCE`` LSOAs: otherwise one figure minus the other would be
the count of the one or two LSOAs in between, which is often small (see ``db.disclosure``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, delete, func, insert, select

from db import schema
from db.disclosure import forget_decisions
from db.totals import refresh_totals, stamp_of
from db.errors import NotFound, StoreError
from db.transactions import write_transaction
from metrics.periods import financial_year_start

CODE_PREFIX = "CL-"
MAX_CODE_LENGTH = 20
PLAN_YEARS = 4
# Three LSOAs hold about 4,500 residents, as many as the smallest published neighbourhoods; a
# difference of one or two LSOAs would publish a count over about 1,500 to 3,000 people.
MIN_LSOA_DIFFERENCE = 3
PUBLISHED_TYPES = {"city": "the district", "community_committee": "community committee area",
                   "ward": "ward", "priority_neighbourhood": "locality"}


class LocalityRejected(StoreError):
    """A custom locality that cannot be created or removed; the message lists every reason."""


@dataclass(frozen=True)
class CreatedLocality:
    code: str
    name: str
    lsoas: int
    population: int


def parse_lsoa_codes(text: str) -> list[str]:
    """Codes pasted in any layout (commas, spaces, new lines), upper-cased, repeats dropped.

    Example:
        >>> parse_lsoa_codes("e01011264, E01011265\\nE01011264")
        ['E01011264', 'E01011265']
    """
    return list(dict.fromkeys(code.upper() for code in re.split(r"[\s,;]+", text or "") if code))


def locality_code(name: str, taken: set[str]) -> str:
    """'Holbeck Moor' -> 'CL-HOLBECK-MOOR' (with -2, -3... if taken), at most 20 characters.

    Example:
        >>> locality_code("Holbeck Moor", {"CL-HOLBECK-MOOR"})
        'CL-HOLBECK-MOOR-2'
    """
    stem = (CODE_PREFIX + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-"))[:MAX_CODE_LENGTH - 3].rstrip("-")
    code, number = stem, 2
    while code in taken:
        code, number = f"{stem}-{number}", number + 1
    return code


def create_locality(engine: Engine, *, name: str, ward_code: str, lsoa_codes: list[str], created_by: str,
                    tier: str = "managed", today: date | None = None) -> CreatedLocality:
    """Create a custom locality with its LSOAs and an empty action plan; ``LocalityRejected`` lists what is wrong."""
    name = " ".join((name or "").split())
    codes = parse_lsoa_codes(" ".join(lsoa_codes))
    with write_transaction(engine) as connection:
        held = stamp_of(connection)
        lsoas = _check(connection, name=name, ward_code=ward_code, tier=tier, codes=codes)
        taken = set(connection.execute(select(schema.areas.c.code)).scalars())
        code = locality_code(name, taken)
        population = _population_2011(connection, codes)
        connection.execute(insert(schema.areas).values(
            code=code, name=name, type="priority_neighbourhood", tier=tier, parent_code=ward_code,
            population=population, boundary_geojson=json.dumps(_multipolygon(r.boundary_geojson for r in lsoas)),
            is_custom=True, created_by=created_by[:200]))
        members = _memberships(connection, codes)
        connection.execute(insert(schema.area_lsoas), [{"area_code": code, "basis": basis, "lsoa_code": c}
                                                       for basis, lsoa_codes in members.items() for c in lsoa_codes])
        connection.execute(insert(schema.area_populations), _populations(connection, code, members))
        forget_decisions(connection)  # its figures enter every small-number decision
        refresh_totals(connection, held=held, area_codes=[code])
        start_year = financial_year_start(today or date.today())
        connection.execute(insert(schema.action_plans).values(
            area_code=code, title=f"{name} action plan", period_start=date(start_year, 4, 1),
            period_end=date(start_year + PLAN_YEARS, 3, 31), owner=created_by[:200]))
    return CreatedLocality(code, name, len(codes), population)


def _check(connection: Connection, *, name: str, ward_code: str, tier: str, codes: list[str]) -> list:
    areas = schema.areas
    reasons = []
    if not name:
        reasons.append("Give the locality a name.")
    elif len(name) > 200:
        reasons.append("Shorten the name to 200 characters or fewer.")
    elif connection.execute(select(areas.c.code).where(func.lower(areas.c.name) == name.lower(),
                                                       areas.c.type == "priority_neighbourhood")).first():
        reasons.append(f"There is already a locality called '{name}'. Choose another name.")
    ward = connection.execute(select(areas.c.type).where(areas.c.code == ward_code)).scalar()
    if ward != "ward":
        reasons.append(f"'{ward_code}' is not a ward. Choose the ward the locality belongs to.")
    if tier not in schema.TIERS:
        reasons.append(f"'{tier}' is not a tier. Choose one of: {', '.join(schema.TIERS)}.")
    lsoas = connection.execute(select(areas.c.code, areas.c.population, areas.c.boundary_geojson)
                               .where(areas.c.code.in_(codes), areas.c.type == "lsoa")).all()
    unknown = sorted(set(codes) - {r.code for r in lsoas})
    held = connection.execute(select(areas.c.code, areas.c.basis).where(areas.c.code.in_(codes))).all()
    old_only = sorted(c for c, b in held if b == "2011")
    new_only = sorted(c for c, b in held if b == "2021")
    if old_only and new_only:
        reasons.append(f"Use LSOA codes of one census: {', '.join(old_only[:3])} "
                       f"{'is a 2011 LSOA' if len(old_only) == 1 else 'are 2011 LSOAs'} and "
                       f"{', '.join(new_only[:3])} {'is a 2021 LSOA' if len(new_only) == 1 else 'are 2021 LSOAs'}. "
                       "The other census's LSOAs are worked out from the ONS lookup.")
    if not codes:
        reasons.append("Pick at least one LSOA on the map or paste LSOA codes.")
    elif unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        reasons.append(f"Not LSOA codes of this district: {shown}. LSOA codes look like E01011264.")
    if codes and not unknown:
        reasons.extend(_outside_ward(connection, ward_code, codes) if ward == "ward" else [])
        reasons.extend(_too_close(connection, codes))
    if reasons:
        raise LocalityRejected(" ".join(reasons))
    return lsoas


def _listed(codes: list[str], limit: int = 10) -> str:
    ordered = sorted(codes)
    return ", ".join(ordered[:limit]) + (f" and {len(ordered) - limit} more" if len(ordered) > limit else "")


def _outside_ward(connection: Connection, ward_code: str, codes: list[str]) -> list[str]:
    """A reason naming the LSOAs that are not in the ward, and the wards they are in."""
    areas, members = schema.areas, schema.area_lsoas
    inside = set(connection.execute(select(members.c.lsoa_code).where(members.c.area_code == ward_code)).scalars())
    outside = [code for code in codes if code not in inside]
    if not outside:
        return []
    ward_name = connection.execute(select(areas.c.name).where(areas.c.code == ward_code)).scalar()
    theirs = sorted(set(connection.execute(
        select(areas.c.name).join(members, members.c.area_code == areas.c.code)
        .where(members.c.lsoa_code.in_(outside), areas.c.type == "ward")).scalars()))
    where = f" (they lie in {', '.join(theirs)})" if theirs else ""
    return [f"Not in {ward_name} ward: {_listed(outside)}{where}. Choose LSOAs inside the ward, or choose "
            "the ward they lie in."]


def _too_close(connection: Connection, codes: list[str]) -> list[str]:
    """A reason for each published area whose LSOAs differ from ``codes`` by fewer than MIN_LSOA_DIFFERENCE."""
    areas, members = schema.areas, schema.area_lsoas
    overlapping = select(members.c.area_code).where(members.c.lsoa_code.in_(codes))
    rows = connection.execute(
        select(areas.c.code, areas.c.name, areas.c.type, members.c.basis, members.c.lsoa_code)
        .join(members, members.c.area_code == areas.c.code)
        .where(areas.c.code.in_(overlapping), areas.c.type.in_(list(PUBLISHED_TYPES)))).all()
    sets: dict[tuple, set[str]] = {}
    for row in rows:
        sets.setdefault((row.code, row.name, row.type, row.basis), set()).add(row.lsoa_code)
    mine, reasons = set(codes), []
    for (code, name, kind, _), theirs in sorted(sets.items()):
        if not mine & theirs:
            continue
        apart = sorted(mine ^ theirs)
        label = PUBLISHED_TYPES[kind] if kind == "city" else f"{kind_label(kind)} {name} ({code})"
        if not apart:
            reasons.append(f"These are exactly the LSOAs of {label}. Use {name} instead of a new locality.")
        elif len(apart) < MIN_LSOA_DIFFERENCE:
            reasons.append(
                f"These LSOAs differ from {label} by only {len(apart)} LSOA(s) ({', '.join(apart)}), so one "
                "figure minus the other would give away the count for those LSOAs alone. Add or remove LSOAs "
                f"so that it differs from {name} by at least {MIN_LSOA_DIFFERENCE}.")
    return list(dict.fromkeys(reasons))


def kind_label(area_type: str) -> str:
    """How an area type is named in messages.

    Example:
        >>> kind_label("community_committee")
        'community committee area'
    """
    return PUBLISHED_TYPES.get(area_type, area_type.replace("_", " "))


def _memberships(connection: Connection, codes: list[str]) -> dict[str, list[str]]:
    """The locality's LSOAs on each census basis: the codes given, and their counterparts on the other
    basis through the ONS lookup (a split 2011 LSOA's 2021 parts, a 2021 part's 2011 parent, the
    merged 2021 LSOA of two 2011 ones, and back)."""
    areas, changes = schema.areas, schema.code_changes
    bases = dict(connection.execute(select(areas.c.code, areas.c.basis).where(areas.c.code.in_(codes))).all())
    pairs = connection.execute(select(changes.c.old_code, changes.c.new_code).where(
        changes.c.area_type == "lsoa", (changes.c.old_code.in_(codes)) | (changes.c.new_code.in_(codes)))).all()
    on_2011 = {c for c in codes if bases[c] in ("2011", "both")} | {old for old, new in pairs if new in codes}
    on_2021 = {c for c in codes if bases[c] in ("2021", "both")} | {new for old, new in pairs if old in codes}
    return {"2011": sorted(on_2011), "2021": sorted(on_2021)}


def _populations(connection: Connection, code: str, members: dict[str, list[str]]) -> list[dict]:
    """``area_populations`` rows of a new locality: its LSOAs' populations summed, per basis, year and group."""
    pops = schema.area_populations
    rows = []
    for basis, lsoa_codes in members.items():
        statement = (select(pops.c.year, pops.c.population_group, func.sum(pops.c.population), func.min(pops.c.source))
                     .where(pops.c.area_code.in_(lsoa_codes), pops.c.basis == basis)
                     .group_by(pops.c.year, pops.c.population_group))
        rows += [{"area_code": code, "basis": basis, "year": year, "population_group": group, "population": total,
                  "source": source} for year, group, total, source in connection.execute(statement)]
    return rows


def _population_2011(connection: Connection, codes: list[str]) -> int:
    """Mid-2019 population of the locality on 2011 LSOAs, as ``areas.population`` holds for every area."""
    members = _memberships(connection, codes)["2011"]
    pops = schema.area_populations
    total = connection.execute(select(func.sum(pops.c.population)).where(
        pops.c.area_code.in_(members), pops.c.basis == "2011", pops.c.population_group == "all_ages")).scalar()
    return int(total or 0)


def _multipolygon(geometries) -> dict:
    polygons: list = []
    for text in geometries:
        if not text:
            continue
        geometry = json.loads(text)
        polygons.extend([geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons}


def delete_custom_locality(engine: Engine, code: str) -> None:
    """Remove a custom locality that nothing refers to yet (no data, targets, actions, events or notes)."""
    areas, plans = schema.areas, schema.action_plans
    with write_transaction(engine) as connection:
        held = stamp_of(connection)
        row = connection.execute(select(areas.c.is_custom).where(areas.c.code == code)).first()
        if row is None:
            raise NotFound(f"There is no locality with the code '{code}'.")
        if not row.is_custom:
            raise LocalityRejected(f"{code} is not a custom locality; only custom localities can be removed.")
        plan_ids = list(connection.execute(select(plans.c.id).where(plans.c.area_code == code)).scalars())
        used = [
            noun for noun, table, column in (
                ("observations", schema.observations, schema.observations.c.area_code),
                ("events", schema.events, schema.events.c.area_code),
                ("commentary", schema.commentary, schema.commentary.c.area_code),
            ) if connection.execute(select(func.count()).select_from(table).where(column == code)).scalar()
        ]
        for noun, table in (("targets", schema.targets), ("actions", schema.actions)):
            if connection.execute(select(func.count()).select_from(table).where(table.c.plan_id.in_(plan_ids))
                                  ).scalar():
                used.append(noun)
        if used:
            raise LocalityRejected(f"{code} already has {', '.join(used)}, so it cannot be removed.")
        connection.execute(delete(plans).where(plans.c.area_code == code))
        connection.execute(delete(schema.area_lsoas).where(schema.area_lsoas.c.area_code == code))
        connection.execute(delete(schema.area_populations).where(schema.area_populations.c.area_code == code))
        connection.execute(delete(areas).where(areas.c.code == code))
        forget_decisions(connection)
        refresh_totals(connection, held=held, area_codes=[code])
