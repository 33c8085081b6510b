"""Helpers for the import tests: the case files, and populations held for the LSOAs."""

from pathlib import Path

from sqlalchemy import delete, insert, select

from db import schema

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "ingest"
MID_2019 = "ONS mid-2019 population estimates (LSOA 2011)"


def clear_lsoa_populations(engine) -> None:
    """Remove every population the seed held for LSOAs (any basis, year or group)."""
    areas, pops = schema.areas, schema.area_populations
    with engine.begin() as connection:
        connection.execute(delete(pops).where(pops.c.area_code.in_(
            select(areas.c.code).where(areas.c.type == "lsoa"))))


def hold_lsoa_populations(engine, *, year: int = 2019, source: str = MID_2019, scale: float = 1.0) -> dict:
    """Put each 2011 LSOA's population (the areas table's mid-2019 figure x ``scale``) in area_populations,
    replacing what the seed held for that basis, year and group."""
    areas, pops = schema.areas, schema.area_populations
    with engine.begin() as connection:
        held = dict(connection.execute(select(areas.c.code, areas.c.population).where(areas.c.type == "lsoa")).all())
        connection.execute(delete(pops).where(pops.c.area_code.in_(list(held)), pops.c.basis == "2011",
                                              pops.c.year == year, pops.c.population_group == "all_ages"))
        connection.execute(insert(schema.area_populations), [
            {"area_code": code, "basis": "2011", "year": year, "population_group": "all_ages",
             "population": population * scale, "source": source} for code, population in held.items()])
    return held


def held_lsoa_populations(engine, *, basis: str = "2021", year: int = 2022) -> dict:
    """The all-ages population held for each LSOA of ``basis`` for ``year`` (the seed holds mid-2022 on 2021)."""
    areas, pops = schema.areas, schema.area_populations
    with engine.connect() as connection:
        return dict(connection.execute(select(pops.c.area_code, pops.c.population).where(
            pops.c.area_code.in_(select(areas.c.code).where(
                areas.c.type == "lsoa", areas.c.basis.in_([basis, "both"]))), pops.c.basis == basis,
            pops.c.year == year, pops.c.population_group == "all_ages")).all())


def case_bytes(folder: str, name: str) -> bytes:
    return (CASES / folder / name).read_bytes()
