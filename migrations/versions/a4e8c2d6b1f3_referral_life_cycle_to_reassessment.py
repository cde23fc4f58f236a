"""referral life cycle to the post-project assessment

The referral states become 已申请 → 已联系 → 方案/报价 → 已签约 → 已完成 → 已复评, or 已关闭
(``assessment/referrals.py``). Existing rows move as follows: ``in_progress`` (推进中) becomes
``proposal`` (the step after contact), ``declined`` (已终止) becomes ``closed`` and its reason
column is renamed ``close_reason``; events are rewritten the same way. A contract records its
products and amount (万元); a re-assessment records the assessment that closed the loop.

Revision ID: a4e8c2d6b1f3
Revises: c3a91f5e7d20
Create Date: 2026-11-30 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4e8c2d6b1f3'
down_revision = 'c3a91f5e7d20'
branch_labels = None
depends_on = None

RENAMES = (("in_progress", "proposal"), ("declined", "closed"))


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.alter_column('decline_reason', new_column_name='close_reason')
        batch_op.add_column(
            sa.Column('contract_products', sa.String(length=500), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('contract_amount_wan', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('reassessment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_referral_reassessment_id_assessment', 'assessment', ['reassessment_id'], ['id']
        )
    for old, new in RENAMES:
        op.execute(f"UPDATE referral SET state = '{new}' WHERE state = '{old}'")
        op.execute(f"UPDATE referral_event SET to_state = '{new}' WHERE to_state = '{old}'")
        op.execute(f"UPDATE referral_event SET from_state = '{new}' WHERE from_state = '{old}'")


def downgrade():
    for old, new in RENAMES:
        op.execute(f"UPDATE referral SET state = '{old}' WHERE state = '{new}'")
        op.execute(f"UPDATE referral_event SET to_state = '{old}' WHERE to_state = '{new}'")
        op.execute(f"UPDATE referral_event SET from_state = '{old}' WHERE from_state = '{new}'")
    # Contracted and re-assessed referrals had no state before: they count as in progress and
    # completed.
    op.execute("UPDATE referral SET state = 'in_progress' WHERE state = 'contracted'")
    op.execute("UPDATE referral SET state = 'completed' WHERE state = 'reassessed'")
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint('fk_referral_reassessment_id_assessment', type_='foreignkey')
        batch_op.drop_column('reassessment_id')
        batch_op.drop_column('contract_amount_wan')
        batch_op.drop_column('contract_products')
        batch_op.alter_column('close_reason', new_column_name='decline_reason')
