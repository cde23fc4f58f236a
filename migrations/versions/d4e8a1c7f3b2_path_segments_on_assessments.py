"""path segments stored on assessments: rule-based path and statistical segment (issue 17)

Revision ID: d4e8a1c7f3b2
Revises: e7b4c2a9d051
Create Date: 2026-12-01 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8a1c7f3b2'
down_revision = 'e7b4c2a9d051'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows stay empty until their cohort is next scored or re-scored
    # (``webapp.services.segments.refresh_segments``); readers fall back to the answers.
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('path_rule', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('path_segment', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('path_segment')
        batch_op.drop_column('path_rule')
