"""IMD 2019 national rank of 2011 LSOAs, so "in the most deprived 1% on IMD 2019" can be said beside IMD 2025

Revision ID: 0004_geo
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_geo'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imd_rank', sa.Integer(), nullable=True, comment='IMD 2019 national rank, 1 = most deprived of 32,844 (2011 LSOAs only)'))


def downgrade() -> None:
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_column('imd_rank')
