"""Tables of the store, declared once.

Areas form one geography: LSOAs are the building block and every other area
(ward, committee area, priority neighbourhood, custom locality, the city) lists
its LSOAs in ``area_lsoas``, so an LSOA-level count aggregates to any locality.
Observations are unique per (indicator, area, period); a replaced value is kept
in ``observation_revisions``. Every change of data belongs to an import batch.
``disclosure_decisions`` keeps the small-number decision of each indicator under
disclosure control, and ``disclosure_stamps`` the data it holds for (``db.disclosure``).
``area_totals`` keeps each area's sums of every LSOA-level counted indicator per period, made when
data come in, and ``area_totals_stamps`` the data they hold for (``db.totals``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

AREA_TYPES = ("city", "community_committee", "ward", "priority_neighbourhood", "lsoa")
THEMES = ("Safety", "Community engagement and influence", "Employment and skills", "Children and families",
          "Health and wellbeing", "Housing and environment", "Inclusion")
TIERS = ("managed", "co-ordinated", "core")
UNITS = ("count", "percent", "rate_per_1000", "rate_per_10000", "rate_per_100000")
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
FREQUENCIES = ("monthly", "quarterly", "annual", "calendar_year", "pooled_3_years")  # annual = financial year
LSOA_BASES = ("2011", "2021")
AREA_BASES = ("2011", "2021", "both")  # an LSOA whose code is unchanged between the censuses is on both
ESTIMATE_TYPES = ("counted", "age_standardised_rate", "standardised_ratio", "weighted_survey_percent")
POPULATION_GROUPS = ("all_ages", "aged_0_15", "aged_16_64", "aged_18_66", "aged_60_plus")
CODE_CHANGES = ("successor", "split", "merge")
AGGREGATIONS = ("sum", "ratio")
OBSERVATION_STATUSES = ("provisional", "final")
ACTION_STATUSES = ("not_started", "in_progress", "complete", "on_hold")
TOLERANCE_TYPES = ("absolute", "relative")
ROLES = ("viewer", "editor", "admin")
RELEASES = ("shown", "small", "secondary", "withheld")  # metrics.disclosure.Release

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


areas = Table(
    "areas",
    metadata,
    Column("code", String(20), primary_key=True, comment="GSS code (E0...) or local code (PN-...)"),
    Column("name", String(200), nullable=False),
    Column("type", String(30), nullable=False),
    Column("tier", String(20), comment="approach tier: managed, co-ordinated or core"),
    Column("parent_code", String(20), ForeignKey("areas.code"), index=True),
    Column("population", Integer, comment="ONS mid-2019 estimate (sum of LSOAs above LSOA level)"),
    Column("imd_score", Float, comment="IMD 2019 score (LSOAs only)"),
    Column("imd_decile", Integer, comment="IMD 2019 national decile, 1 = most deprived (LSOAs only)"),
    Column("imd_rank", Integer, comment="IMD 2019 national rank, 1 = most deprived of 32,844 (2011 LSOAs only)"),
    Column("basis", String(4), comment="LSOAs only: the census basis of the code, 2011, 2021 or both (unchanged)"),
    Column("imd2025_score", Float, comment="IoD2025 IMD score (2021 LSOAs only)"),
    Column("imd2025_rank", Integer, comment="IoD2025 IMD national rank, 1 = most deprived of 33,755 (2021 LSOAs)"),
    Column("imd2025_decile", Integer, comment="IoD2025 IMD national decile, 1 = most deprived (2021 LSOAs only)"),
    Column("boundary_geojson", Text, comment="GeoJSON geometry, WGS84"),
    Column("is_custom", Boolean, nullable=False, server_default="0"),
    Column("created_by", String(200)),
    CheckConstraint(_one_of("type", AREA_TYPES), name="type"),
    CheckConstraint(f"tier IS NULL OR {_one_of('tier', TIERS)}", name="tier"),
    CheckConstraint(f"basis IS NULL OR {_one_of('basis', AREA_BASES)}", name="basis"),
)
Index("ix_areas_type", areas.c.type)

area_lsoas = Table(
    "area_lsoas",
    metadata,
    Column("area_code", String(20), ForeignKey("areas.code", ondelete="CASCADE"), primary_key=True),
    Column("basis", String(4), primary_key=True, server_default="2011",
           comment="2011 or 2021: the LSOA basis of this membership"),
    Column("lsoa_code", String(20), ForeignKey("areas.code"), primary_key=True),
    CheckConstraint(_one_of("basis", LSOA_BASES), name="basis"),
)
Index("ix_area_lsoas_lsoa", area_lsoas.c.lsoa_code)

indicators = Table(
    "indicators",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("theme", String(60), nullable=False),
    Column("definition", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("unit", String(30), nullable=False),
    Column("polarity", String(30), nullable=False),
    Column("frequency", String(20), nullable=False),
    Column("aggregation", String(10), nullable=False),
    Column("collection_geography", String(30), nullable=False),
    Column("disclosure_control", Boolean, nullable=False, server_default="0"),
    Column("staleness_days", Integer, nullable=False),
    Column("missing_means_zero", Boolean, nullable=False, server_default="0",
           comment="counts from incident lists: an LSOA absent from a file had none (0), not missing"),
    Column("estimate_type", String(30), nullable=False, server_default="counted",
           comment="counted (numerator/denominator) or a published estimate held with its limits"),
    CheckConstraint(_one_of("unit", UNITS), name="unit"),
    CheckConstraint(_one_of("estimate_type", ESTIMATE_TYPES), name="estimate_type"),
    CheckConstraint(_one_of("polarity", POLARITIES), name="polarity"),
    CheckConstraint(_one_of("frequency", FREQUENCIES), name="frequency"),
    CheckConstraint(_one_of("aggregation", AGGREGATIONS), name="aggregation"),
    CheckConstraint("staleness_days > 0", name="staleness_positive"),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(30), nullable=False, comment="observations, targets, actions, events, seed"),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("imported_by", String(200), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("rows_total", Integer, nullable=False, server_default="0"),
    Column("rows_new", Integer, nullable=False, server_default="0"),
    Column("rows_changed", Integer, nullable=False, server_default="0"),
    Column("rows_unchanged", Integer, nullable=False, server_default="0"),
    Column("outcome", String(20), nullable=False, comment="committed, rolled_back"),
    Column("note", Text),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(40), ForeignKey("indicators.code"), nullable=False),
    Column("area_code", String(20), ForeignKey("areas.code"), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, comment="NULL only when suppressed at source, or for 0/0 (no eligible population)"),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("status", String(20), nullable=False, server_default="final"),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), index=True),
    Column("basis", String(4), comment="LSOA rows: the census basis the source reported on (2011 or 2021)"),
    Column("suppressed", Boolean, nullable=False, server_default="0",
           comment="suppressed at source (<5, *, [c], ..): reported, never a number, never missing"),
    Column("value_note", Text, comment="the source's note on the value, as published"),
    Column("lower_limit", Float, comment="published lower 95% limit (published estimates)"),
    Column("upper_limit", Float, comment="published upper 95% limit (published estimates)"),
    Column("unweighted_base", Float, comment="survey estimates: respondents behind a weighted percentage"),
    UniqueConstraint("indicator_code", "area_code", "period_start", "period_end", name="uq_observation_key"),
    CheckConstraint("period_end >= period_start", name="period_order"),
    CheckConstraint("basis IS NULL OR basis IN ('2011', '2021')", name="basis"),
    CheckConstraint(_one_of("status", OBSERVATION_STATUSES), name="status"),
)
# With the period start, a district's values at one period are read LSOA by LSOA from the index alone.
Index("ix_observations_area", observations.c.area_code, observations.c.indicator_code, observations.c.period_start)
Index("ix_observations_period", observations.c.indicator_code, observations.c.period_start)

observation_revisions = Table(
    "observation_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(40), nullable=False),
    Column("area_code", String(20), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, comment="the value before the change; NULL when the change created the row"),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("status", String(20)),
    Column("suppressed", Boolean),
    Column("value_note", Text),
    Column("lower_limit", Float),
    Column("upper_limit", Float),
    Column("unweighted_base", Float),
    Column("batch_id", Integer, comment="batch that wrote the previous value"),
    Column("replaced_by_batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("replaced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index(
    "ix_observation_revisions_key",
    observation_revisions.c.indicator_code,
    observation_revisions.c.area_code,
    observation_revisions.c.period_start,
)

action_plans = Table(
    "action_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_code", String(20), ForeignKey("areas.code"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("approved_on", Date),
    Column("owner", String(200)),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id", ondelete="CASCADE"), nullable=False),
    Column("indicator_code", String(40), ForeignKey("indicators.code"), nullable=False),
    Column("baseline_period_start", Date, nullable=False),
    Column("baseline_period_end", Date, nullable=False),
    Column("baseline_value", Float, nullable=False),
    Column("target_value", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("tolerance", Float, nullable=False),
    Column("tolerance_type", String(10), nullable=False),
    Column("description", Text),
    Column("batch_id", Integer, ForeignKey("import_batches.id")),
    UniqueConstraint("plan_id", "indicator_code", name="uq_target_plan_indicator"),
    CheckConstraint(_one_of("tolerance_type", TOLERANCE_TYPES), name="tolerance_type"),
    CheckConstraint("tolerance >= 0", name="tolerance_positive"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id", ondelete="CASCADE"), nullable=False),
    Column("ref", String(30), nullable=False),
    Column("title", Text, nullable=False),
    Column("lead", String(200), nullable=False),
    Column("theme", String(60), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("percent_complete", Float, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False),
    Column("commentary", Text),
    Column("updated_at", DateTime(timezone=True)),
    Column("updated_by", String(200)),
    Column("batch_id", Integer, ForeignKey("import_batches.id")),
    UniqueConstraint("plan_id", "ref", name="uq_action_plan_ref"),
    CheckConstraint("percent_complete >= 0 AND percent_complete <= 100", name="percent_range"),
    CheckConstraint("due_date >= start_date", name="date_order"),
    CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
)

action_indicators = Table(
    "action_indicators",
    metadata,
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_code", String(40), ForeignKey("indicators.code"), primary_key=True),
)

action_updates = Table(
    "action_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("field", String(40), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_code", String(20), ForeignKey("areas.code"), nullable=False, index=True),
    Column("event_date", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text),
    Column("batch_id", Integer, ForeignKey("import_batches.id")),
)

commentary = Table(
    "commentary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_code", String(20), ForeignKey("areas.code"), nullable=False, index=True),
    Column("indicator_code", String(40), ForeignKey("indicators.code")),
    Column("period_start", Date),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("role", String(10), nullable=False),
    Column("granted_by", String(200), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(_one_of("role", ROLES), name="role"),
)

record_revisions = Table(
    "record_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True,
           comment="batch (import or rollback) that made the change"),
    Column("kind", String(30), nullable=False, comment="targets, actions or events"),
    Column("record_key", Text, nullable=False, comment="JSON of the natural key, e.g. area code and action ref"),
    Column("before_json", Text, comment="the record before the change; NULL when the change created it"),
    Column("after_json", Text, comment="the record as the batch wrote it; NULL when the change deleted it"),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

area_populations = Table(
    "area_populations",
    metadata,
    Column("area_code", String(20), ForeignKey("areas.code", ondelete="CASCADE"), primary_key=True),
    Column("basis", String(4), primary_key=True, comment="2011 or 2021: the LSOA basis the estimate is built on"),
    Column("year", Integer, primary_key=True, comment="mid-year of the estimate, e.g. 2019 for mid-2019"),
    Column("population_group", String(20), primary_key=True, server_default="all_ages"),
    Column("population", Float, nullable=False),
    Column("source", Text, nullable=False),
    CheckConstraint(_one_of("basis", LSOA_BASES), name="basis"),
    CheckConstraint(_one_of("population_group", POPULATION_GROUPS), name="population_group"),
)

code_changes = Table(
    "code_changes",
    metadata,
    Column("old_code", String(20), primary_key=True, comment="a retired ward code, or a 2011 LSOA code"),
    Column("new_code", String(20), primary_key=True, comment="its successor ward, or a 2021 LSOA code"),
    Column("area_type", String(30), nullable=False, comment="ward or lsoa"),
    Column("change", String(10), nullable=False, comment="successor (ward), split or merge (LSOA 2011 to 2021)"),
    Column("source", Text),
    CheckConstraint(_one_of("change", CODE_CHANGES), name="change"),
)
Index("ix_code_changes_new", code_changes.c.new_code)

source_mappings = Table(
    "source_mappings",
    metadata,
    Column("source", String(40), primary_key=True, comment="a source reader's name, e.g. police_uk_street"),
    Column("source_value", String(200), primary_key=True, comment="e.g. a police.uk crime type"),
    Column("indicator_code", String(40), ForeignKey("indicators.code"),
           comment="the indicator it is counted into; NULL = not counted"),
    Column("updated_by", String(200)),
    Column("updated_at", DateTime(timezone=True)),
)

disclosure_decisions = Table(
    "disclosure_decisions",
    metadata,
    Column("indicator_code", String(40), ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True),
    Column("period_start", Date, primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("area_code", String(20), primary_key=True),
    Column("count", Float,
           comment="the area's count or numerator, summed over its reported LSOAs; NULL when none reported"),
    Column("release", String(10), nullable=False,
           comment="shown, small, secondary or withheld (metrics.disclosure.Release)"),
    CheckConstraint(_one_of("release", RELEASES), name="release"),
)
# One area's series read without walking every area of every period (the primary key serves one period's areas).
Index("ix_disclosure_decisions_area", disclosure_decisions.c.indicator_code, disclosure_decisions.c.area_code,
      disclosure_decisions.c.period_start)

disclosure_stamps = Table(
    "disclosure_stamps",
    metadata,
    Column("indicator_code", String(40), ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, comment="the newest import batch the decision is known to hold for (NULL: none yet)"),
    Column("areas", Integer, nullable=False, comment="rows in areas when decided"),
    Column("memberships", Integer, nullable=False, comment="rows in area_lsoas when decided"),
)

area_totals = Table(
    "area_totals",
    metadata,
    Column("indicator_code", String(40), ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True),
    Column("area_code", String(20), primary_key=True, comment="an area with LSOAs in area_lsoas (not an LSOA)"),
    Column("period_start", Date, primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("basis", String(4), primary_key=True, comment="the LSOA basis the period's observations were reported on"),
    Column("numerator", Float, comment="sum of the LSOAs' numerators (a row without one adds its value)"),
    Column("denominator", Float, comment="sum of the LSOAs' denominators"),
    Column("value_sum", Float, comment="sum of the LSOAs' values"),
    Column("lsoas_reported", Integer, nullable=False),
    Column("with_denominator", Integer, nullable=False),
    Column("lsoas_expected", Integer, nullable=False, comment="the area's LSOAs on this basis"),
    Column("lsoas_suppressed", Integer, nullable=False),
    Column("lsoas_no_population", Integer, nullable=False),
    Column("provisional", Integer, nullable=False, comment="1 when any LSOA's value is provisional"),
)

area_totals_stamps = Table(
    "area_totals_stamps",
    metadata,
    Column("indicator_code", String(40), ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, comment="the newest import batch the totals hold for (NULL: none yet)"),
    Column("areas", Integer, nullable=False, comment="rows in areas when summed"),
    Column("memberships", Integer, nullable=False, comment="rows in area_lsoas when summed"),
)
