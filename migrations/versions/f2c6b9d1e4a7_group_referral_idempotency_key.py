"""group referrals: an idempotency key per group action, unique per firm (issue 17)

Revision ID: f2c6b9d1e4a7
Revises: d4e8a1c7f3b2
Create Date: 2026-12-01 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2c6b9d1e4a7'
down_revision = 'd4e8a1c7f3b2'
branch_labels = None
depends_on = None


def upgrade():
    # NULL for every existing referral: NULLs never collide in a unique constraint.
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_action', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            'uq_referral_group_action', ['group_action', 'enterprise_id']
        )


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint('uq_referral_group_action', type_='unique')
        batch_op.drop_column('group_action')
