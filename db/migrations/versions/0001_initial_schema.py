"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=20), nullable=False, comment='GSS code (E0...) or local code (PN-...)'),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=True, comment='approach tier: managed, co-ordinated or core'),
    sa.Column('parent_code', sa.String(length=20), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True, comment='ONS mid-2019 estimate (sum of LSOAs above LSOA level)'),
    sa.Column('imd_score', sa.Float(), nullable=True, comment='IMD 2019 score (LSOAs only)'),
    sa.Column('imd_decile', sa.Integer(), nullable=True, comment='IMD 2019 national decile, 1 = most deprived (LSOAs only)'),
    sa.Column('boundary_geojson', sa.Text(), nullable=True, comment='GeoJSON geometry, WGS84'),
    sa.Column('is_custom', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("tier IS NULL OR tier IN ('managed', 'co-ordinated', 'core')", name=op.f('ck_areas_tier')),
    sa.CheckConstraint("type IN ('city', 'community_committee', 'ward', 'priority_neighbourhood', 'lsoa')", name=op.f('ck_areas_type')),
    sa.ForeignKeyConstraint(['parent_code'], ['areas.code'], name=op.f('fk_areas_parent_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_parent_code'), ['parent_code'], unique=False)
        batch_op.create_index('ix_areas_type', ['type'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False, comment='observations, targets, actions, events, seed'),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('rows_total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_new', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_changed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False, comment='committed, rolled_back'),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_sha256'), ['sha256'], unique=False)

    op.create_table('indicators',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('polarity', sa.String(length=30), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('aggregation', sa.String(length=10), nullable=False),
    sa.Column('collection_geography', sa.String(length=30), nullable=False),
    sa.Column('disclosure_control', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('staleness_days', sa.Integer(), nullable=False),
    sa.CheckConstraint("aggregation IN ('sum', 'ratio')", name=op.f('ck_indicators_aggregation')),
    sa.CheckConstraint("frequency IN ('monthly', 'quarterly', 'annual')", name=op.f('ck_indicators_frequency')),
    sa.CheckConstraint("polarity IN ('higher_is_better', 'lower_is_better', 'no_judgement')", name=op.f('ck_indicators_polarity')),
    sa.CheckConstraint("unit IN ('count', 'percent', 'rate_per_1000', 'rate_per_10000', 'rate_per_100000')", name=op.f('ck_indicators_unit')),
    sa.CheckConstraint('staleness_days > 0', name=op.f('ck_indicators_staleness_positive')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicators'))
    )
    op.create_table('user_roles',
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('granted_by', sa.String(length=200), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name=op.f('ck_user_roles_role')),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_user_roles'))
    )
    op.create_table('action_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_action_plans_area_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plans'))
    )
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plans_area_code'), ['area_code'], unique=False)

    op.create_table('area_lsoas',
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('lsoa_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_area_lsoas_area_code_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lsoa_code'], ['areas.code'], name=op.f('fk_area_lsoas_lsoa_code_areas')),
    sa.PrimaryKeyConstraint('area_code', 'lsoa_code', name=op.f('pk_area_lsoas'))
    )
    with op.batch_alter_table('area_lsoas', schema=None) as batch_op:
        batch_op.create_index('ix_area_lsoas_lsoa', ['lsoa_code'], unique=False)

    op.create_table('commentary',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_commentary_area_code_areas')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_commentary_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commentary'))
    )
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commentary_area_code'), ['area_code'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_events_area_code_areas')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_events_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_area_code'), ['area_code'], unique=False)

    op.create_table('observation_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True, comment='the value before the change; NULL when the change created the row'),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True, comment='batch that wrote the previous value'),
    sa.Column('replaced_by_batch_id', sa.Integer(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['replaced_by_batch_id'], ['import_batches.id'], name=op.f('fk_observation_revisions_replaced_by_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_revisions'))
    )
    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_observation_revisions_key', ['indicator_code', 'area_code', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_revisions_replaced_by_batch_id'), ['replaced_by_batch_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='final', nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('provisional', 'final')", name=op.f('ck_observations_status')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_observations_period_order')),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_observations_area_code_areas')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_observations_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_observations_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('indicator_code', 'area_code', 'period_start', 'period_end', name='uq_observation_key')
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_area', ['area_code', 'indicator_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_observations_period', ['indicator_code', 'period_start'], unique=False)

    op.create_table('actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=30), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('lead', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('percent_complete', sa.Float(), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('commentary', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'complete', 'on_hold')", name=op.f('ck_actions_status')),
    sa.CheckConstraint('due_date >= start_date', name=op.f('ck_actions_date_order')),
    sa.CheckConstraint('percent_complete >= 0 AND percent_complete <= 100', name=op.f('ck_actions_percent_range')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_actions_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], name=op.f('fk_actions_plan_id_action_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions')),
    sa.UniqueConstraint('plan_id', 'ref', name='uq_action_plan_ref')
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('baseline_period_start', sa.Date(), nullable=False),
    sa.Column('baseline_period_end', sa.Date(), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('tolerance', sa.Float(), nullable=False),
    sa.Column('tolerance_type', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("tolerance_type IN ('absolute', 'relative')", name=op.f('ck_targets_tolerance_type')),
    sa.CheckConstraint('tolerance >= 0', name=op.f('ck_targets_tolerance_positive')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_targets_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_targets_indicator_code_indicators')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], name=op.f('fk_targets_plan_id_action_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('plan_id', 'indicator_code', name='uq_target_plan_indicator')
    )
    op.create_table('action_indicators',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_indicators_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_action_indicators_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('action_id', 'indicator_code', name=op.f('pk_action_indicators'))
    )
    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_updates_action_id_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))

    op.drop_table('action_updates')
    op.drop_table('action_indicators')
    op.drop_table('targets')
    op.drop_table('actions')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_period')
        batch_op.drop_index(batch_op.f('ix_observations_batch_id'))
        batch_op.drop_index('ix_observations_area')

    op.drop_table('observations')
    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_revisions_replaced_by_batch_id'))
        batch_op.drop_index('ix_observation_revisions_key')

    op.drop_table('observation_revisions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_area_code'))

    op.drop_table('events')
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commentary_area_code'))

    op.drop_table('commentary')
    with op.batch_alter_table('area_lsoas', schema=None) as batch_op:
        batch_op.drop_index('ix_area_lsoas_lsoa')

    op.drop_table('area_lsoas')
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plans_area_code'))

    op.drop_table('action_plans')
    op.drop_table('user_roles')
    op.drop_table('indicators')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_sha256'))

    op.drop_table('import_batches')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index('ix_areas_type')
        batch_op.drop_index(batch_op.f('ix_areas_parent_code'))

    op.drop_table('areas')
