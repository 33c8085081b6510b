"""A custom locality built from LSOAs appears wherever a locality does, with indicators added up from them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from db import queries, schema
from db.engine import make_engine
from db.errors import NotFound
from ingest.importer import commit_import
from db.localities import (
    LocalityRejected,
    create_locality,
    delete_custom_locality,
    locality_code,
    parse_lsoa_codes,
)
from tests.fixtures.uploads import table_rows

OTLEY = "E05011549"
ARMLEY = "E05011385"  # holds New Wortley (PN-NWORT): E01011294 and E01011363
LSOAS = ["E01011264", "E01011268"]  # two of Otley's LSOAs; the small sample holds every observation of the first


def test_a_new_locality_appears_in_the_list_with_its_lsoas_and_population(engine):
    created = create_locality(engine, name="  Wharfedale   Estates ", ward_code=OTLEY,
                              lsoa_codes=["e01011264, E01011268"],
                              created_by="jo@leeds.gov.uk", today=date(2026, 11, 1))
    assert (created.code, created.name, created.lsoas) == ("CL-WHARFEDALE-EST", "Wharfedale Estates", 2)
    listed = queries.localities(engine).set_index("code").loc[created.code]
    assert (listed["name"], listed["ward_code"], bool(listed["is_custom"]), bool(listed["has_plan"])) == (
        "Wharfedale Estates", OTLEY, True, True)
    members = queries.lsoas_of(engine, [created.code])
    assert sorted(members["code"]) == LSOAS
    assert created.population == int(members["population"].sum()) == listed["population"]
    with engine.connect() as connection:
        plan = connection.execute(select(schema.action_plans).where(
            schema.action_plans.c.area_code == created.code)).mappings().one()
    assert (plan["period_start"], plan["period_end"]) == (date(2026, 4, 1), date(2030, 3, 31))


def test_indicators_add_up_from_the_lsoas(sqlite_url):
    engine = make_engine(sqlite_url)  # the whole sample, so both LSOAs have their observations
    created = create_locality(engine, name="Two LSOAs", ward_code=OTLEY, lsoa_codes=LSOAS, created_by="t")
    totals = queries.indicator_totals(engine, "ASB_ALL", [created.code], period_start=date(2020, 6, 1))
    obs = schema.observations
    with engine.connect() as connection:
        expected = connection.execute(select(func.sum(obs.c.numerator)).where(
            obs.c.indicator_code == "ASB_ALL", obs.c.area_code.in_(LSOAS),
            obs.c.period_start == date(2020, 6, 1))).scalar_one()
    assert totals["numerator"].item() == expected
    assert (totals["lsoas_reported"].item(), totals["lsoas_expected"].item()) == (2, 2)


def test_targets_and_locality_level_values_can_be_uploaded_for_it(engine):
    created = create_locality(engine, name="Uploadable", ward_code=OTLEY, lsoa_codes=LSOAS, created_by="t")
    content = (f"indicator_code,area_code,period_start,value\nENGAGED,{created.code},2026-07-01,12\n").encode()
    assert commit_import(engine, content, "engaged.csv", imported_by="t").rows_new == 1
    with pytest.raises(LocalityRejected, match="already has observations"):
        delete_custom_locality(engine, created.code)


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"name": ""}, "Give the locality a name."),
    ({"name": "New Wortley"}, "There is already a locality called 'New Wortley'"),
    ({"ward_code": "E01011264"}, "'E01011264' is not a ward"),
    ({"tier": "gold"}, "'gold' is not a tier"),
    ({"lsoa_codes": []}, "Pick at least one LSOA"),
    ({"lsoa_codes": ["E01011264", "E05011549", "bogus"]}, "Not LSOA codes of this district: BOGUS, E05011549"),
    ({"lsoa_codes": ["E01011264", "E01011265"]}, "Not in Otley & Yeadon ward: E01011265 (they lie in Guiseley & Rawdon). Choose "
                                                 "LSOAs inside the ward, or choose the ward they lie in."),
    ({"ward_code": ARMLEY, "lsoa_codes": ["E01011294", "E01011363"]},
     "These are exactly the LSOAs of locality New Wortley (PN-NWORT). Use New Wortley instead"),
    ({"ward_code": ARMLEY, "lsoa_codes": ["E01011294", "E01011363", "E01011295"]},
     "differ from locality New Wortley (PN-NWORT) by only 1 LSOA(s) (E01011295), so one figure minus the other "
     "would give away the count for those LSOAs alone. Add or remove LSOAs so that it differs from New Wortley "
     "by at least 3."),
])
def test_a_locality_that_cannot_be_made_says_why_and_writes_nothing(engine, kwargs, reason):
    before = table_rows(str(engine.url), ["areas", "area_lsoas", "action_plans"])
    arguments = {"name": "Fine name", "ward_code": OTLEY, "lsoa_codes": LSOAS, "created_by": "t"} | kwargs
    with pytest.raises(LocalityRejected, match=re.escape(reason)):
        create_locality(engine, **arguments)
    assert table_rows(str(engine.url), ["areas", "area_lsoas", "action_plans"]) == before


def test_an_unused_custom_locality_can_be_removed_but_a_real_one_cannot(engine):
    before = table_rows(str(engine.url), ["areas", "area_lsoas", "action_plans"])
    created = create_locality(engine, name="Short lived", ward_code=OTLEY, lsoa_codes=LSOAS, created_by="t")
    delete_custom_locality(engine, created.code)
    assert table_rows(str(engine.url), ["areas", "area_lsoas", "action_plans"]) == before
    with pytest.raises(LocalityRejected, match="not a custom locality"):
        delete_custom_locality(engine, "PN-NWORT")
    with pytest.raises(NotFound):
        delete_custom_locality(engine, "CL-NOPE")


def test_codes_are_parsed_leniently_and_locality_codes_stay_unique():
    assert parse_lsoa_codes(" e01011264\nE01011268;E01011264 ,, ") == LSOAS
    assert locality_code("Holbeck Moor", set()) == "CL-HOLBECK-MOOR"
    assert locality_code("Holbeck Moor", {"CL-HOLBECK-MOOR", "CL-HOLBECK-MOOR-2"}) == "CL-HOLBECK-MOOR-3"
    assert len(locality_code("A very long locality name indeed", set())) <= 20


def test_a_second_locality_one_lsoa_bigger_than_the_first_is_refused_and_named(engine):
    first = create_locality(engine, name="Armley Three", ward_code=ARMLEY, created_by="t",
                            lsoa_codes=["E01011281", "E01011283", "E01011284"])
    with pytest.raises(LocalityRejected, match=r"differ from locality Armley Three \(CL-ARMLEY-THREE\) by only 1 "
                                               r"LSOA\(s\) \(E01011287\)"):
        create_locality(engine, name="Armley Four", ward_code=ARMLEY, created_by="t",
                        lsoa_codes=["E01011281", "E01011283", "E01011284", "E01011287"])
    apart = create_locality(engine, name="Armley Six", ward_code=ARMLEY, created_by="t",
                            lsoa_codes=["E01011281", "E01011283", "E01011284", "E01011287", "E01011292",
                                        "E01011293"])
    assert (first.lsoas, apart.lsoas) == (3, 6)
