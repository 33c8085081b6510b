"""record revisions: before and after images of targets, actions and events changed by a batch,
so that rolling back a batch restores them exactly (observations keep observation_revisions)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('record_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False, comment='batch (import or rollback) that made the change'),
    sa.Column('kind', sa.String(length=30), nullable=False, comment='targets, actions or events'),
    sa.Column('record_key', sa.Text(), nullable=False, comment='JSON of the natural key, e.g. area code and action ref'),
    sa.Column('before_json', sa.Text(), nullable=True, comment='the record before the change; NULL when the change created it'),
    sa.Column('after_json', sa.Text(), nullable=True, comment='the record as the batch wrote it; NULL when the change deleted it'),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_record_revisions_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_revisions'))
    )
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_revisions_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_revisions_batch_id'))

    op.drop_table('record_revisions')
