"""statistics releases and enterprise confirmation

Adds ``enterprise.confirmed_at``/``confirmation`` and the ``statistics_release`` table. Existing
enterprises are confirmed as follows (the confirmations the product had before this revision):
an enterprise no user account belongs to, or one recorded in the audit log as imported, or a
demo one, was added by an administrator ("import", at its creation time); an enterprise whose
stage centre staff validated is confirmed at its first validation ("validation"). Every other
(self-registered, unvalidated) enterprise stays unconfirmed and leaves the government tables.

Revision ID: c3a91f5e7d20
Revises: 832955f8e85b
Create Date: 2026-11-30 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a91f5e7d20'
down_revision = '832955f8e85b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmation', sa.String(length=12), nullable=True))

    op.create_table(
        'statistics_release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_code', sa.String(length=20), nullable=False),
        sa.Column('compare_round', sa.String(length=20), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('trigger', sa.String(length=10), nullable=False),
        sa.Column('cut_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cut_by_id', sa.Integer(), nullable=True),
        sa.Column('k', sa.Integer(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('moves', sa.JSON(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('hidden', sa.JSON(), nullable=False),
        sa.Column('audit', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['cut_by_id'], ['user_account.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('statistics_release', schema=None) as batch_op:
        batch_op.create_index('ix_statistics_release_round_cut', ['round_code', 'cut_at'], unique=False)

    # Backfill: imported (no owner account, an import audit row, or demo) first, then validated.
    op.execute(
        """
        UPDATE enterprise SET confirmed_at = created_at, confirmation = 'import'
        WHERE is_demo
           OR NOT EXISTS (SELECT 1 FROM user_account u WHERE u.enterprise_id = enterprise.id)
           OR EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'enterprise'
                      AND a.action = 'import' AND a.entity_code = enterprise.uscc)
        """
    )
    op.execute(
        """
        UPDATE enterprise SET confirmation = 'validation', confirmed_at = (
            SELECT MIN(v.created_at) FROM stage_validation v
            JOIN assessment a ON a.id = v.assessment_id WHERE a.enterprise_id = enterprise.id)
        WHERE confirmed_at IS NULL AND EXISTS (
            SELECT 1 FROM stage_validation v JOIN assessment a ON a.id = v.assessment_id
            WHERE a.enterprise_id = enterprise.id)
        """
    )


def downgrade():
    with op.batch_alter_table('statistics_release', schema=None) as batch_op:
        batch_op.drop_index('ix_statistics_release_round_cut')
    op.drop_table('statistics_release')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('confirmation')
        batch_op.drop_column('confirmed_at')
