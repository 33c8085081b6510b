"""The small-number decision kept in the store: each area's figure of an indicator under disclosure
control, per period, whether it may be shown; and per indicator the stamp of the data it holds for

Revision ID: 0005
Revises: 0004_geo
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004_geo'
branch_labels = None
depends_on = None

RELEASES = "'shown', 'small', 'secondary', 'withheld'"


def upgrade() -> None:
    op.create_table('disclosure_decisions',
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('area_code', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Float(), nullable=True, comment="the area's count or numerator, summed over its reported LSOAs; NULL when none reported"),
    sa.Column('release', sa.String(length=10), nullable=False, comment='shown, small, secondary or withheld (metrics.disclosure.Release)'),
    sa.CheckConstraint(f"release IN ({RELEASES})", name=op.f('ck_disclosure_decisions_release')),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_disclosure_decisions_indicator_code_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_code', 'period_start', 'period_end', 'area_code', name=op.f('pk_disclosure_decisions'))
    )
    op.create_table('disclosure_stamps',
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True, comment='the newest import batch the decision is known to hold for (NULL: none yet)'),
    sa.Column('areas', sa.Integer(), nullable=False, comment='rows in areas when decided'),
    sa.Column('memberships', sa.Integer(), nullable=False, comment='rows in area_lsoas when decided'),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'], name=op.f('fk_disclosure_stamps_indicator_code_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_code', name=op.f('pk_disclosure_stamps'))
    )


def downgrade() -> None:
    op.drop_table('disclosure_stamps')
    op.drop_table('disclosure_decisions')
