"""LSOA bases and real data in: memberships and observations on the 2011 or 2021 LSOA basis, IMD 2025,
populations per basis and year, code changes (ward successors, LSOA splits and merges), source
mappings (police.uk crime types), and observations that are suppressed at source or published estimates

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FREQUENCIES = "'monthly', 'quarterly', 'annual', 'calendar_year', 'pooled_3_years'"
OLD_FREQUENCIES = "'monthly', 'quarterly', 'annual'"
ESTIMATE_TYPES = "'counted', 'age_standardised_rate', 'standardised_ratio', 'weighted_survey_percent'"
OBSERVATION_EXTRAS = ("suppressed", "value_note", "lower_limit", "upper_limit", "unweighted_base")


def upgrade() -> None:
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=4), nullable=True, comment='LSOAs only: the census basis of the code, 2011, 2021 or both (unchanged)'))
        batch_op.add_column(sa.Column('imd2025_score', sa.Float(), nullable=True, comment='IoD2025 IMD score (2021 LSOAs only)'))
        batch_op.add_column(sa.Column('imd2025_rank', sa.Integer(), nullable=True, comment='IoD2025 IMD national rank, 1 = most deprived of 33,755 (2021 LSOAs)'))
        batch_op.add_column(sa.Column('imd2025_decile', sa.Integer(), nullable=True, comment='IoD2025 IMD national decile, 1 = most deprived (2021 LSOAs only)'))
        batch_op.create_check_constraint('basis', "basis IS NULL OR basis IN ('2011', '2021', 'both')")
    op.execute("UPDATE areas SET basis = '2011' WHERE type = 'lsoa'")

    with op.batch_alter_table('area_lsoas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=4), nullable=False, server_default='2011', comment='2011 or 2021: the LSOA basis of this membership'))
        batch_op.drop_constraint(op.f('pk_area_lsoas'), type_='primary')
        batch_op.create_primary_key(op.f('pk_area_lsoas'), ['area_code', 'basis', 'lsoa_code'])
        batch_op.create_check_constraint('basis', "basis IN ('2011', '2021')")

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missing_means_zero', sa.Boolean(), server_default='0', nullable=False, comment='counts from incident lists: an LSOA absent from a file had none (0), not missing'))
        batch_op.add_column(sa.Column('estimate_type', sa.String(length=30), server_default='counted', nullable=False, comment='counted (numerator/denominator) or a published estimate held with its limits'))
        batch_op.drop_constraint(op.f('ck_indicators_frequency'), type_='check')
        batch_op.create_check_constraint('frequency', f"frequency IN ({FREQUENCIES})")
        batch_op.create_check_constraint('estimate_type', f"estimate_type IN ({ESTIMATE_TYPES})")

    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Float(), nullable=True, comment='NULL only when suppressed at source, or for 0/0 (no eligible population)')
        batch_op.add_column(sa.Column('basis', sa.String(length=4), nullable=True, comment='LSOA rows: the census basis the source reported on (2011 or 2021)'))
        batch_op.add_column(sa.Column('suppressed', sa.Boolean(), server_default='0', nullable=False, comment='suppressed at source (<5, *, [c], ..): reported, never a number, never missing'))
        batch_op.add_column(sa.Column('value_note', sa.Text(), nullable=True, comment="the source's note on the value, as published"))
        batch_op.add_column(sa.Column('lower_limit', sa.Float(), nullable=True, comment='published lower 95% limit (published estimates)'))
        batch_op.add_column(sa.Column('upper_limit', sa.Float(), nullable=True, comment='published upper 95% limit (published estimates)'))
        batch_op.add_column(sa.Column('unweighted_base', sa.Float(), nullable=True, comment='survey estimates: respondents behind a weighted percentage'))
        batch_op.create_check_constraint('basis', "basis IS NULL OR basis IN ('2011', '2021')")
    op.execute("UPDATE observations SET basis = '2011' WHERE area_code IN (SELECT code FROM areas WHERE type = 'lsoa')")

    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suppressed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('value_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('lower_limit', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('upper_limit', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('unweighted_base', sa.Float(), nullable=True))

    op.create_table('area_populations',
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('basis', sa.String(length=4), nullable=False, comment='2011 or 2021: the LSOA basis the estimate is built on'),
    sa.Column('year', sa.Integer(), nullable=False, comment='mid-year of the estimate, e.g. 2019 for mid-2019'),
    sa.Column('population_group', sa.String(length=20), server_default='all_ages', nullable=False),
    sa.Column('population', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.CheckConstraint("basis IN ('2011', '2021')", name=op.f('ck_area_populations_basis')),
    sa.CheckConstraint("population_group IN ('all_ages', 'aged_0_15', 'aged_16_64', 'aged_18_66', 'aged_60_plus')", name=op.f('ck_area_populations_population_group')),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_area_populations_area_code_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_code', 'basis', 'year', 'population_group', name=op.f('pk_area_populations'))
    )
    op.create_table('code_changes',
    sa.Column('old_code', sa.String(length=20), nullable=False, comment='a retired ward code, or a 2011 LSOA code'),
    sa.Column('new_code', sa.String(length=20), nullable=False, comment='its successor ward, or a 2021 LSOA code'),
    sa.Column('area_type', sa.String(length=30), nullable=False, comment='ward or lsoa'),
    sa.Column('change', sa.String(length=10), nullable=False, comment='successor (ward), split or merge (LSOA 2011 to 2021)'),
    sa.Column('source', sa.Text(), nullable=True),
    sa.CheckConstraint("change IN ('successor', 'split', 'merge')", name=op.f('ck_code_changes_change')),
    sa.PrimaryKeyConstraint('old_code', 'new_code', name=op.f('pk_code_changes'))
    )
    with op.batch_alter_table('code_changes', schema=None) as batch_op:
        batch_op.create_index('ix_code_changes_new', ['new_code'], unique=False)
    op.create_table('source_mappings',
    sa.Column('source', sa.String(length=40), nullable=False, comment="a source reader's name, e.g. police_uk_street"),
    sa.Column('source_value', sa.String(length=200), nullable=False, comment='e.g. a police.uk crime type'),
    sa.Column('indicator_code', sa.String(length=40), nullable=True, comment='the indicator it is counted into; NULL = not counted'),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_source_mappings_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('source', 'source_value', name=op.f('pk_source_mappings'))
    )


def downgrade() -> None:
    op.drop_table('source_mappings')
    op.drop_table('code_changes')
    op.drop_table('area_populations')
    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        for name in OBSERVATION_EXTRAS:
            batch_op.drop_column(name)
    op.execute("DELETE FROM observations WHERE value IS NULL")
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_observations_basis'), type_='check')
        for name in ('basis', *OBSERVATION_EXTRAS):
            batch_op.drop_column(name)
        batch_op.alter_column('value', existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_indicators_estimate_type'), type_='check')
        batch_op.drop_constraint(op.f('ck_indicators_frequency'), type_='check')
        batch_op.create_check_constraint('frequency', f"frequency IN ({OLD_FREQUENCIES})")
        batch_op.drop_column('estimate_type')
        batch_op.drop_column('missing_means_zero')
    op.execute("DELETE FROM area_lsoas WHERE basis <> '2011'")
    with op.batch_alter_table('area_lsoas', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_area_lsoas_basis'), type_='check')
        batch_op.drop_constraint(op.f('pk_area_lsoas'), type_='primary')
        batch_op.create_primary_key(op.f('pk_area_lsoas'), ['area_code', 'lsoa_code'])
        batch_op.drop_column('basis')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_areas_basis'), type_='check')
        for name in ('imd2025_decile', 'imd2025_rank', 'imd2025_score', 'basis'):
            batch_op.drop_column(name)
