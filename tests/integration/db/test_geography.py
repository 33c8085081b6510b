"""The two LSOA bases, checked against the real files: 2011 history and 2021 data make one series per
locality, codes that moved are resolved on import, and IMD 2025 is the one the store holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from db import queries, schema
from db.engine import make_engine
from db.geography import describe_bases, resolve_area_codes
from db.localities import LocalityRejected, create_locality
from ingest.importer import commit_import, preview_import
from ingest.real_data import load_real_data
from ingest.validation import ImportRejected
from tests.fixtures.uploads import seed_small_store
from views.explore import area_values
from views.scorecards import indicator_lookup

ROOT = Path(__file__).resolve().parents[3]
LSOA2021 = ROOT / "sample_data" / "geography" / "lsoa2021"
CASE = ROOT / "tests" / "fixtures" / "cases" / "ingest" / "lsoa-2021-codes"
ARMLEY, HUNSLET, MIDDLETON = "E05011385", "E05011399", "E05011404"
HEADER = "indicator_code,area_code,period_start,value\n"
# The six LSOAs whose best-fit ward differs between the 2011-based and the 2021-based ONS lookups: four
# unchanged codes re-fitted with Census 2021 population centroids, and two parts of split 2011 LSOAs.
MOVED = {"E01011324", "E01011341", "E01011634", "E01033008", "E01035042", "E01035050"}


@pytest.fixture()
def real_engine(sqlite_url):
    """A private copy of the seeded store with the real files loaded, as first-run seeding does."""
    engine = make_engine(sqlite_url)
    load_real_data(engine)
    yield engine
    engine.dispose()


def _csv(rows: list[tuple]) -> bytes:
    return (HEADER + "".join(",".join(map(str, r)) + "\n" for r in rows)).encode()


def _lookup() -> pd.DataFrame:
    return pd.read_csv(LSOA2021 / "leeds_lsoa11_lsoa21_lookup.csv")


def _members(engine, area_type: str, basis: str) -> pd.DataFrame:
    members, areas = schema.area_lsoas, schema.areas
    statement = (select(members.c.area_code, members.c.lsoa_code).join(areas, areas.c.code == members.c.area_code)
                 .where(areas.c.type == area_type, members.c.basis == basis))
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(statement).all(), columns=["area_code", "lsoa_code"])


def test_lsoa_codes_are_stored_once_with_their_basis(seeded_engine):
    areas = schema.areas
    with seeded_engine.connect() as connection:
        bases = dict(connection.execute(select(areas.c.basis, func.count()).where(areas.c.type == "lsoa")
                                        .group_by(areas.c.basis)).all())
        split_parent = connection.execute(select(areas.c.basis).where(areas.c.code == "E01011490")).scalar()
        merged = connection.execute(select(areas.c.basis).where(areas.c.code == "E01035054")).scalar()
        changes = dict(connection.execute(select(schema.code_changes.c.change, func.count())
                                          .group_by(schema.code_changes.c.change)).all())
    assert bases == {"both": 473, "2011": 9, "2021": 15}
    assert (split_parent, merged) == ("2011", "2021")
    assert changes == {"successor": 6, "split": 14, "merge": 2}


def test_every_2021_lsoa_is_in_exactly_one_ward_and_every_2011_one_too(seeded_engine):
    for basis, count in (("2021", 488), ("2011", 482)):
        members = _members(seeded_engine, "ward", basis)
        assert len(members) == members["lsoa_code"].nunique() == count, basis
        assert members["area_code"].nunique() == 33


def test_ward_memberships_cover_the_same_people_within_2_percent_unless_a_best_fit_moved(seeded_engine):
    """Counted in one population (mid-2022), 23 wards' 2011 and 2021 LSOAs hold exactly the same people.
    The other 10 differ by exactly the LSOAs ONS fitted to another ward when it re-made the best-fit
    lookup with Census 2021 population centroids (four unchanged LSOAs and two parts of split ones);
    9 of them by more than 2%, which their pages say next to the trends."""
    wards = list(queries.areas_by_type(seeded_engine, "ward")["code"])
    change = queries.basis_population_change(seeded_engine, wards).set_index("area_code")
    assert len(change) == 33
    population = pd.read_csv(LSOA2021 / "leeds_population_lsoa21.csv").set_index("lsoa21_code")["population_mid2022"]
    ward_2021 = _members(seeded_engine, "ward", "2021").set_index("lsoa_code")["area_code"]
    ward_2011_of_parent = _members(seeded_engine, "ward", "2011").set_index("lsoa_code")["area_code"]
    parent = _lookup().groupby("LSOA21CD")["LSOA11CD"].first()
    ward_2011 = parent.map(ward_2011_of_parent)
    moved = ward_2011.index[ward_2011 != ward_2021[ward_2011.index]]
    assert set(moved) == MOVED
    for ward in wards:
        gained = population[[c for c in moved if ward_2021[c] == ward]].sum()
        lost = population[[c for c in moved if ward_2011[c] == ward]].sum()
        difference = change.at[ward, "population_2021_lsoas"] - change.at[ward, "population_2011_lsoas"]
        assert difference == gained - lost, ward
    assert (change["difference_pct"] == 0).sum() == 23
    assert (change["difference_pct"].abs() > 2).sum() == 9


def test_area_populations_per_basis(seeded_engine):
    pops = schema.area_populations
    with seeded_engine.connect() as connection:
        city = dict(((b, g), p) for b, g, p in connection.execute(
            select(pops.c.basis, pops.c.population_group, pops.c.population).where(pops.c.area_code == "E08000035")))
    assert city[("2011", "all_ages")] == 793_139
    assert city[("2021", "all_ages")] == 820_802
    assert (city[("2021", "aged_0_15")], city[("2021", "aged_60_plus")], city[("2021", "aged_18_66")]) == (
        154_539, 170_284, 534_279)


def test_lsoa_map_shows_488_areas_with_the_iod2025_deciles_of_the_published_file(seeded_engine):
    indicator = indicator_lookup(seeded_engine)["ASB_ALL"]
    values = area_values(seeded_engine, indicator, "lsoa", date(2026, 9, 1))
    assert len(values) == 488 and "E01035048" in set(values["code"]) and "E01011490" not in set(values["code"])
    published = pd.read_csv(LSOA2021 / "leeds_imd2025_lsoa21.csv").set_index("lsoa21_code")["imd_decile"]
    shown = values.set_index("code")["imd2025_decile"].astype(int)
    assert shown.sort_index().equals(published.sort_index().rename("imd2025_decile"))
    assert (published == 1).sum() == 84


def test_a_period_before_the_change_is_drawn_on_the_2011_lsoas(seeded_engine):
    indicator = indicator_lookup(seeded_engine)["ASB_ALL"]
    values = area_values(seeded_engine, indicator, "lsoa", date(2019, 6, 1))
    assert len(values) == 482 and "E01011490" in set(values["code"]) and "E01035048" not in set(values["code"])


def test_armley_is_one_series_across_the_change(seeded_engine):
    """Armley's ASB is the sum of its LSOAs on 2011 codes before April 2021 and on 2021 codes after."""
    totals = queries.indicator_totals(seeded_engine, "ASB_ALL", [ARMLEY], since=date(2021, 1, 1))
    assert set(totals.loc[totals["period_start"] < date(2021, 4, 1), "basis"]) == {"2011"}
    assert set(totals.loc[totals["period_start"] >= date(2021, 4, 1), "basis"]) == {"2021"}
    assert (totals["lsoas_reported"] == totals["lsoas_expected"]).all()
    obs = schema.observations
    for month in (date(2021, 3, 1), date(2021, 4, 1)):
        lsoas = set(queries.lsoas_of(seeded_engine, [ARMLEY], basis="2011" if month.month == 3 else "2021")["code"])
        with seeded_engine.connect() as connection:
            expected = connection.execute(select(func.sum(obs.c.numerator)).where(
                obs.c.indicator_code == "ASB_ALL", obs.c.area_code.in_(lsoas), obs.c.period_start == month)).scalar()
        assert totals.set_index("period_start").at[month, "numerator"] == expected


def _rebased_counts(counts_2011: dict[str, int]) -> dict[str, int]:
    """The same incidents counted on 2021 LSOAs: a split parent's count shared between its parts,
    merged parents added together."""
    counts_2021: dict[str, int] = {}
    for parent, group in _lookup().groupby("LSOA11CD"):
        parts = sorted(group["LSOA21CD"])
        first_share = counts_2011[parent] // len(parts)
        for i, part in enumerate(parts):
            share = first_share if i else counts_2011[parent] - first_share * (len(parts) - 1)
            counts_2021[part] = counts_2021.get(part, 0) + share
    return counts_2021


def test_a_ward_count_is_the_same_on_either_basis_where_its_lsoas_correspond(engine):
    """Import one month on 2011 codes and the next on 2021 codes with the same incidents: every ward
    whose LSOAs correspond through the lookup has the same total; Armley is one continuous series."""
    codes = sorted(_lookup()["LSOA11CD"].unique())
    counts_2011 = {code: (i * 7) % 13 for i, code in enumerate(codes)}
    counts_2021 = _rebased_counts(counts_2011)
    assert sum(counts_2011.values()) == sum(counts_2021.values())
    first = commit_import(engine, _csv([("ASB_ALL", c, "2026-10-01", n) for c, n in counts_2011.items()]),
                          "asb_2026-10_lsoa11.csv", imported_by="test")
    second = commit_import(engine, _csv([("ASB_ALL", c, "2026-11-01", n) for c, n in counts_2021.items()]),
                           "asb_2026-11_lsoa21.csv", imported_by="test")
    assert (first.rows_new, second.rows_new) == (482, 488)
    totals = queries.indicator_totals(engine, "ASB_ALL", None, area_type="ward", since=date(2026, 10, 1))
    by_month = totals.pivot(index="area_code", columns="period_start", values="numerator")
    months = (date(2026, 10, 1), date(2026, 11, 1))
    new = _members(engine, "ward", "2021")
    old = _members(engine, "ward", "2011")
    touched = set(new.loc[new["lsoa_code"].isin(MOVED), "area_code"]) | set(
        old.loc[old["lsoa_code"].isin(MOVED | {"E01033005", "E01032495"}), "area_code"])
    steady = by_month.drop(index=sorted(touched))
    assert len(steady) == 23 and (steady[months[0]] == steady[months[1]]).all()
    assert by_month.loc[ARMLEY, months[0]] == by_month.loc[ARMLEY, months[1]] > 0
    assert by_month[months[0]].sum() == by_month[months[1]].sum() == sum(counts_2011.values())
    armley_2021 = queries.lsoas_of(engine, [ARMLEY], basis="2021")["code"]
    assert by_month.loc[ARMLEY, months[1]] == sum(counts_2021[c] for c in armley_2021)


def test_the_2021_coded_case_file_is_accepted_on_the_2021_basis(engine):
    content = (CASE / "asb_2026-10_lsoa21.csv").read_bytes()
    preview = preview_import(engine, content, "asb_2026-10_lsoa21.csv")
    assert preview.ok, preview.problems
    result = commit_import(engine, content, "asb_2026-10_lsoa21.csv", imported_by="officer")
    # 9 rows sent; ASB is counted from incident lists, so the other 479 2021 LSOAs are filled with 0
    assert result.rows_new == 488 and "unknown" not in result.message.lower()
    obs = schema.observations
    with engine.connect() as connection:
        stored = dict(connection.execute(select(obs.c.area_code, obs.c.basis).where(
            obs.c.indicator_code == "ASB_ALL", obs.c.period_start == date(2026, 10, 1))).all())
    sent = set(pd.read_csv(CASE / "asb_2026-10_lsoa21.csv")["area_code"])
    assert sent <= set(stored) and len(stored) == 488 and set(stored.values()) == {"2021"}
    new_codes = set(pd.read_csv(CASE / "lsoa11_to_lsoa21_leeds_changed.csv")["LSOA21CD"])
    assert len(sent & new_codes) >= 2  # codes that only exist since 2021 are among them


def test_a_split_lsoa_on_the_2011_basis_is_the_sum_of_its_2021_parts(engine):
    content = (CASE / "asb_2026-10_lsoa21.csv").read_bytes()
    commit_import(engine, content, "asb_2026-10_lsoa21.csv", imported_by="officer")
    totals = queries.indicator_totals(engine, "ASB_ALL", ["E01011490"], area_type="lsoa",
                                      period_start=date(2026, 10, 1), lsoa_basis="2011")
    assert totals["numerator"].tolist() == [4 + 2] and totals["lsoas_expected"].tolist() == [2]


def test_retired_ward_codes_import_into_their_successors(engine):
    content = _csv([("CLAIMANT_COUNT", "E05011393", "2023-11-01", 410), ("CLAIMANT_COUNT", "E05011412", "2023-11-01", 380)])
    result = commit_import(engine, content, "claimants_old_codes.csv", imported_by="officer")
    assert result.rows_new == 2
    obs = schema.observations
    with engine.connect() as connection:
        stored = dict(connection.execute(select(obs.c.area_code, obs.c.value).where(
            obs.c.indicator_code == "CLAIMANT_COUNT", obs.c.period_start == date(2023, 11, 1))).all())
    assert stored == {"E05013830": 410, "E05013831": 380}


def test_an_event_filed_under_a_retired_ward_code_marks_the_successor_ward(engine):
    content = b"area_code,event_date,title\nE05011393,2026-05-12,Community hub opens\n"
    result = commit_import(engine, content, "events_old_ward.csv", imported_by="officer")
    assert result.rows_new == 1
    events = schema.events
    with engine.connect() as connection:
        stored = connection.execute(select(events.c.area_code).where(events.c.title == "Community hub opens")).all()
    assert stored == [("E05013830",)]


@pytest.mark.parametrize(("rows", "expected"), [
    ([("ASB_ALL", "E01012345", "2026-10-01", 3)], "E01012345 is not a Leeds LSOA on the 2011 or 2021 basis"),
    ([("CLAIMANT_COUNT", "E05099999", "2023-11-01", 3)], "E05099999 is not a Leeds ward code, current or retired"),
    ([("ASB_ALL", "PN-NOWHERE", "2026-10-01", 3)], "PN-NOWHERE is not the code of Leeds or of one of its wards"),
    ([("ASB_ALL", "E01011490", "2026-10-01", 3), ("ASB_ALL", "E01035048", "2026-10-01", 2)],
     "This file mixes 2011 and 2021 LSOA codes for the same period: E01011490 is a 2011 LSOA (Leeds 099A), "
     "replaced in 2021 by E01035048, E01035049; E01035048 is a 2021 LSOA (Leeds 099G), part of the 2011 LSOA "
     "Leeds 099A (E01011490)"),
    ([("ASB_ALL", "E01035048", "2019-06-01", 3)],
     "E01035048 is a 2021 LSOA (Leeds 099G), part of the 2011 LSOA Leeds 099A (E01011490), but ASB_ALL for this "
     "period is already held on 2011 LSOAs"),
])
def test_an_unresolvable_code_is_described_never_unknown(engine, rows, expected):
    with pytest.raises(ImportRejected) as rejected:
        commit_import(engine, _csv(rows), "bad.csv", imported_by="officer")
    reasons = [p.reason for p in rejected.value.problems]
    assert any(expected in r for r in reasons), reasons
    assert not any("unknown" in r.lower() for r in reasons)


def test_unchanged_codes_take_the_stored_basis_else_census_day_decides(engine):
    rows = pd.DataFrame({"area_code": ["E01011264", "E01011264", "E01011264"],
                         "indicator_code": ["ASB_ALL", "NEW_THING", "NEW_THING"],
                         "period_start": [date(2019, 6, 1), date(2021, 3, 1), date(2021, 4, 1)]})
    with engine.connect() as connection:
        resolved = resolve_area_codes(connection, rows)
    assert resolved["basis"].tolist() == ["2011", "2011", "2021"]
    assert resolved["message"].isna().all()


def test_a_custom_locality_from_2021_codes_gets_its_2011_lsoas_too(engine):
    created = create_locality(engine, name="Belle Isle South", ward_code=MIDDLETON,
                              lsoa_codes=["E01035048 E01035049 E01011466"], created_by="officer")
    assert set(queries.lsoas_of(engine, [created.code], basis="2011")["code"]) == {"E01011490", "E01011466"}
    assert set(queries.lsoas_of(engine, [created.code], basis="2021")["code"]) == {
        "E01035048", "E01035049", "E01011466"}
    pops = schema.area_populations
    with engine.connect() as connection:
        years = dict(connection.execute(select(pops.c.basis, pops.c.year).where(
            pops.c.area_code == created.code, pops.c.population_group == "all_ages")).all())
    assert years == {"2011": 2019, "2021": 2022}
    with pytest.raises(LocalityRejected, match="Use LSOA codes of one census: E01011490 is a 2011 LSOA"):
        create_locality(engine, name="Mixed", ward_code=MIDDLETON, lsoa_codes=["E01011490 E01035050"],
                        created_by="officer")


def test_real_data_load_through_the_import_path(real_engine):
    fuel = queries.indicator_totals(real_engine, "FUEL_POVERTY", ["E08000035"])
    assert (fuel["numerator"].iloc[0], fuel["denominator"].iloc[0]) == (60_802, 345_757)
    assert fuel["basis"].iloc[0] == "2011" and fuel["lsoas_reported"].iloc[0] == 482
    claimants = queries.indicator_totals(real_engine, "CLAIMANT_COUNT", [ARMLEY])
    assert claimants.set_index("period_start").at[date(2023, 7, 1), "numerator"] == 1645
    assert queries.illustrative_indicators(real_engine).isdisjoint({"FUEL_POVERTY", "CLAIMANT_COUNT"})
    assert "ASB_ALL" in queries.illustrative_indicators(real_engine)


@pytest.mark.postgres
def test_both_bases_on_postgres(postgres_url, tmp_path):
    """The same seed, import resolution and basis joins on PostgreSQL, the production engine."""
    engine = make_engine(seed_small_store(postgres_url, tmp_path))
    try:
        test_a_ward_count_is_the_same_on_either_basis_where_its_lsoas_correspond(engine)
        with pytest.raises(ImportRejected, match="nothing was imported"):
            commit_import(engine, _csv([("ASB_ALL", "E01011490", "2026-12-01", 3),
                                        ("ASB_ALL", "E01035048", "2026-12-01", 2)]), "mixed.csv", imported_by="t")
        change = queries.basis_population_change(engine, [ARMLEY, "E05011384"]).set_index("area_code")
        assert change.at[ARMLEY, "difference_pct"] == 0 and change.at["E05011384", "difference_pct"] < -2
    finally:
        engine.dispose()


@pytest.mark.parametrize(("bases", "expected"), [
    (["2021", "2021", None], "LSOA rows were read on the 2021 LSOAs (488)."),
    (["2011", "2021", "2021"], "LSOA rows were read on the 2011 LSOAs (482) for 1 row and on the 2021 LSOAs "
                               "(488) for 2 rows."),
    ([None, None], ""),
])
def test_the_basis_sentence_names_each_census_and_its_lsoa_count(bases, expected):
    assert describe_bases(pd.Series(bases, dtype=object), {"2011": 482, "2021": 488}) == expected
