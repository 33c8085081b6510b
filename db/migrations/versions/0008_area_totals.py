"""Area totals kept in the store: each area's sums of every LSOA-level counted indicator per period,
made when data come in, and per indicator the stamp of the data they hold for

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area_totals',
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False, comment='an area with LSOAs in area_lsoas (not an LSOA)'),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('basis', sa.String(length=4), nullable=False, comment="the LSOA basis the period's observations were reported on"),
    sa.Column('numerator', sa.Float(), nullable=True, comment="sum of the LSOAs' numerators (a row without one adds its value)"),
    sa.Column('denominator', sa.Float(), nullable=True, comment="sum of the LSOAs' denominators"),
    sa.Column('value_sum', sa.Float(), nullable=True, comment="sum of the LSOAs' values"),
    sa.Column('lsoas_reported', sa.Integer(), nullable=False),
    sa.Column('with_denominator', sa.Integer(), nullable=False),
    sa.Column('lsoas_expected', sa.Integer(), nullable=False, comment="the area's LSOAs on this basis"),
    sa.Column('lsoas_suppressed', sa.Integer(), nullable=False),
    sa.Column('lsoas_no_population', sa.Integer(), nullable=False),
    sa.Column('provisional', sa.Integer(), nullable=False, comment="1 when any LSOA's value is provisional"),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_area_totals_indicator_code_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_code', 'area_code', 'period_start', 'period_end', 'basis', name=op.f('pk_area_totals'))
    )
    op.create_table('area_totals_stamps',
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True, comment='the newest import batch the totals hold for (NULL: none yet)'),
    sa.Column('areas', sa.Integer(), nullable=False, comment='rows in areas when summed'),
    sa.Column('memberships', sa.Integer(), nullable=False, comment='rows in area_lsoas when summed'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_area_totals_stamps_indicator_code_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_code', name=op.f('pk_area_totals_stamps'))
    )


def downgrade() -> None:
    op.drop_table('area_totals_stamps')
    op.drop_table('area_totals')
