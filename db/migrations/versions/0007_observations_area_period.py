"""The observations' area index also ordered by period start, so that a district's values at one period
are read LSOA by LSOA without every other period of each

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_observations_area', table_name='observations')
    op.create_index('ix_observations_area', 'observations', ['area_code', 'indicator_code', 'period_start'])


def downgrade() -> None:
    op.drop_index('ix_observations_area', table_name='observations')
    op.create_index('ix_observations_area', 'observations', ['area_code', 'indicator_code'])
