"""assessment corrections: a corrected assessment is a new record linked to the one it corrects

Revision ID: 513f60f9d480
Revises: d10a232fbc59
Create Date: 2026-11-22 21:06:58.101624

The unique constraint on (enterprise_id, round_code) becomes a partial unique index over the
round's original records only (``corrects_id IS NULL``); ``corrects_id`` is unique, so each
record is corrected at most once and a round holds one chain of records.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '513f60f9d480'
down_revision = 'd10a232fbc59'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sa.String(length=500), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_assessment_enterprise_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assessment_corrects_id'), ['corrects_id'])
        batch_op.create_index(
            'uq_assessment_round_original', ['enterprise_id', 'round_code'], unique=True,
            sqlite_where=sa.text('corrects_id IS NULL'),
            postgresql_where=sa.text('corrects_id IS NULL'),
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_assessment_corrects_id_assessment'), 'assessment', ['corrects_id'], ['id']
        )


def downgrade():
    # Restoring the one-record-per-round constraint fails while corrections exist; that is
    # deliberate: a downgrade must not silently drop corrected answers.
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_corrects_id_assessment'), type_='foreignkey')
        batch_op.drop_index('uq_assessment_round_original')
        batch_op.drop_constraint(batch_op.f('uq_assessment_corrects_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assessment_enterprise_id'), ['enterprise_id', 'round_code'])
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('corrects_id')
