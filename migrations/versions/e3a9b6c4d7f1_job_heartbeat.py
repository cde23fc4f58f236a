"""job heartbeat: a running job's last sign of life

A job whose process died is marked failed once its heartbeat is stale (review finding 5).

Revision ID: e3a9b6c4d7f1
Revises: c5d1a7e3f902
Create Date: 2026-11-30 14:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9b6c4d7f1'
down_revision = 'c5d1a7e3f902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
