"""report files: enterprise PDFs rendered once per report version, served from storage

Issue 18: the PDF of a submitted assessment is rendered in the background at submit and kept,
one row per (assessment, language), keyed by the report's version.

Revision ID: a7c2e9d4b1f6
Revises: d3f1a8c5e2b7
Create Date: 2026-11-30 21:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c2e9d4b1f6'
down_revision = 'd3f1a8c5e2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('lang', sa.String(length=5), nullable=False),
        sa.Column('report_key', sa.String(length=80), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['assessment_id'], ['assessment.id'],
            name=op.f('fk_report_file_assessment_id_assessment'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_file')),
        sa.UniqueConstraint(
            'assessment_id', 'lang', name=op.f('uq_report_file_assessment_id')
        ),
    )


def downgrade():
    op.drop_table('report_file')
