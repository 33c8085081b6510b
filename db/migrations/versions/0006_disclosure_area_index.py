"""An index on the stored small-number decision by indicator, area and period start, so a page reads
one area's series of it without walking every area of every period

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_disclosure_decisions_area', 'disclosure_decisions',
                    ['indicator_code', 'area_code', 'period_start'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_disclosure_decisions_area', table_name='disclosure_decisions')
