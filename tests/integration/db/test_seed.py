"""The seeded store holds the real Leeds geography and the illustrative programme data."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from db import schema
from db.engine import make_engine, migrate
from db.errors import SeedRefused
from db.seed import CITY_CODE, seed

GEOGRAPHY_COUNTS = {"city": 1, "community_committee": 10, "ward": 33, "lsoa": 497, "priority_neighbourhood": 6}
LSOAS = {"2011": 482, "2021": 488}  # 473 codes are on both bases
THEMES = {
    "Safety", "Community engagement and influence", "Employment and skills", "Children and families",
    "Health and wellbeing", "Housing and environment", "Inclusion",
}


def _scalar(engine, statement):
    with engine.connect() as connection:
        return connection.execute(statement).scalar_one()


def test_geography_counts(seeded_engine):
    areas = schema.areas
    with seeded_engine.connect() as connection:
        counts = dict(connection.execute(select(areas.c.type, func.count()).group_by(areas.c.type)).all())
    assert counts == GEOGRAPHY_COUNTS
    priority_wards = select(func.count()).where(areas.c.type == "ward", areas.c.tier == "co-ordinated")
    assert _scalar(seeded_engine, priority_wards) == 12
    on_2011 = select(func.sum(areas.c.population)).where(areas.c.type == "lsoa", areas.c.basis.in_(["2011", "both"]))
    assert _scalar(seeded_engine, on_2011) == 793_139


def test_every_neighbourhood_lists_its_lsoas_within_its_ward(seeded_engine):
    areas, members, lsoa = schema.areas, schema.area_lsoas, schema.areas.alias("lsoa")
    statement = (
        select(areas.c.code, areas.c.parent_code, lsoa.c.parent_code.label("lsoa_ward"))
        .join(members, members.c.area_code == areas.c.code)
        .join(lsoa, lsoa.c.code == members.c.lsoa_code)
        .where(areas.c.type == "priority_neighbourhood", members.c.basis == "2011")
    )
    with seeded_engine.connect() as connection:
        rows = pd.DataFrame(connection.execute(statement).all())
    assert rows.groupby("code").size().between(2, 3).all() and rows["code"].nunique() == 6
    assert (rows["parent_code"] == rows["lsoa_ward"]).all()


def test_membership_covers_every_lsoa_once_per_level(seeded_engine):
    members, areas = schema.area_lsoas, schema.areas
    for (area_type, basis) in [(t, b) for t in ("city", "community_committee", "ward") for b in LSOAS]:
        statement = (
            select(func.count(), func.count(func.distinct(members.c.lsoa_code)))
            .join(areas, areas.c.code == members.c.area_code)
            .where(areas.c.type == area_type, members.c.basis == basis)
        )
        with seeded_engine.connect() as connection:
            total, distinct = connection.execute(statement).one()
        assert total == distinct == LSOAS[basis], (area_type, basis)


def test_indicator_catalogue_covers_every_theme(seeded_engine):
    with seeded_engine.connect() as connection:
        themes = dict(connection.execute(
            select(schema.indicators.c.theme, func.count()).group_by(schema.indicators.c.theme)
        ).all())
    assert set(themes) == THEMES
    assert sum(themes.values()) >= 20


def test_lsoa_counts_summed_to_a_ward_equal_the_ward_aggregate(seeded_engine):
    """Armley's ASB in one month: the sum over its best-fit LSOAs, whichever way it is asked."""
    obs, members, areas = schema.observations, schema.area_lsoas, schema.areas
    month = pd.Timestamp("2019-07-01").date()
    via_membership = (
        select(func.sum(obs.c.value))
        .join(members, (members.c.lsoa_code == obs.c.area_code) & (members.c.basis == obs.c.basis))
        .where(members.c.area_code == "E05011385", obs.c.indicator_code == "ASB_ALL", obs.c.period_start == month)
    )
    via_parent = (
        select(func.sum(obs.c.value))
        .join(areas, areas.c.code == obs.c.area_code)
        .where(areas.c.parent_code == "E05011385", areas.c.type == "lsoa",
               obs.c.indicator_code == "ASB_ALL", obs.c.period_start == month)
    )
    ward_total = _scalar(seeded_engine, via_membership)
    assert ward_total > 0
    assert ward_total == _scalar(seeded_engine, via_parent)


def test_each_neighbourhood_has_a_plan_with_targets_and_actions(seeded_engine):
    plans, targets, actions = schema.action_plans, schema.targets, schema.actions
    with seeded_engine.connect() as connection:
        per_plan = pd.DataFrame(connection.execute(
            select(
                plans.c.area_code,
                select(func.count()).where(targets.c.plan_id == plans.c.id).scalar_subquery().label("targets"),
                select(func.count()).where(actions.c.plan_id == plans.c.id).scalar_subquery().label("actions"),
            )
        ).all())
    assert len(per_plan) == 6
    assert per_plan["targets"].between(3, 6).all()
    assert per_plan["actions"].between(6, 12).all()


def test_seed_refuses_to_mix_with_other_data_but_is_idempotent_on_itself(sqlite_url):
    engine = make_engine(sqlite_url)
    assert seed(engine) == {}  # already exactly the sample data: nothing to do
    with engine.begin() as connection:
        connection.execute(schema.import_batches.insert().values(
            kind="observations", file_name="q2.csv", sha256="0" * 64, imported_by="officer", outcome="committed"
        ))
    with pytest.raises(SeedRefused, match="--replace"):
        seed(engine)
    counts = seed(engine, replace=True)
    assert counts["areas"] == sum(GEOGRAPHY_COUNTS.values())
    assert _scalar(engine, select(func.count()).select_from(schema.import_batches)) == 1
    engine.dispose()



@pytest.mark.postgres
def test_seed_on_postgres_matches_sqlite(postgres_url, seeded_engine):
    engine = make_engine(postgres_url)
    migrate(engine)
    counts = seed(engine)
    for table, rows in counts.items():
        expected = _scalar(seeded_engine, select(func.count()).select_from(schema.metadata.tables[table]))
        assert rows == expected, table
    city_total = select(func.sum(schema.areas.c.population)).where(schema.areas.c.code == CITY_CODE)
    assert _scalar(engine, city_total) == 793_139
    engine.dispose()
