"""evidence files, on-site ratings and the declaration of truth at submit (issue 17, part B)

Revision ID: e7b4c2a9d051
Revises: e5b2c8a4f917
Create Date: 2026-11-30 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b4c2a9d051'
down_revision = 'e5b2c8a4f917'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('item_code', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['assessment_id'], ['assessment.id'], ondelete='CASCADE',
            name='fk_evidence_assessment_id_assessment',
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['user_account.id'], name='fk_evidence_uploaded_by_id_user_account'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_evidence'),
        sa.UniqueConstraint('public_id', name='uq_evidence_public_id'),
    )
    op.create_index('ix_evidence_assessment_id', 'evidence', ['assessment_id'])
    op.create_table(
        'onsite_rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('levels', sa.JSON(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('finished', sa.JSON(), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['assessment_id'], ['assessment.id'], ondelete='CASCADE',
            name='fk_onsite_rating_assessment_id_assessment',
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['user_account.id'], name='fk_onsite_rating_updated_by_id_user_account'
        ),
        sa.ForeignKeyConstraint(
            ['finished_by_id'], ['user_account.id'],
            name='fk_onsite_rating_finished_by_id_user_account',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_onsite_rating'),
        sa.UniqueConstraint('assessment_id', name='uq_onsite_rating_assessment_id'),
    )
    op.create_index('ix_onsite_rating_finished_at', 'onsite_rating', ['finished_at'])
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('declared_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_assessment_declared_by_id_user_account', 'user_account', ['declared_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_assessment_declared_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('declared_by_id')
        batch_op.drop_column('declared_at')
    op.drop_index('ix_onsite_rating_finished_at', table_name='onsite_rating')
    op.drop_table('onsite_rating')
    op.drop_index('ix_evidence_assessment_id', table_name='evidence')
    op.drop_table('evidence')
