"""Helpers for the import tests: the case files, and populations held for the LSOAs."""

from pathlib import Path

from sqlalchemy import insert, select

from db import schema

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "ingest"
MID_2019 = "ONS mid-2019 population estimates (LSOA 2011)"


def hold_lsoa_populations(engine, *, year: int = 2019, source: str = MID_2019, scale: float = 1.0) -> dict:
    """Put each 2011 LSOA's population (the areas table's mid-2019 figure x ``scale``) in area_populations."""
    areas = schema.areas
    with engine.begin() as connection:
        held = dict(connection.execute(select(areas.c.code, areas.c.population).where(areas.c.type == "lsoa")).all())
        connection.execute(insert(schema.area_populations), [
            {"area_code": code, "basis": "2011", "year": year, "population_group": "all_ages",
             "population": population * scale, "source": source} for code, population in held.items()])
    return held


def case_bytes(folder: str, name: str) -> bytes:
    return (CASES / folder / name).read_bytes()
