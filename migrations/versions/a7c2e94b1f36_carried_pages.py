"""answers carried from an earlier questionnaire version, pages awaiting confirmation

Adds ``assessment.carried_pages`` (JSON, nullable): for a draft pre-filled from the
enterprise's assessment on an earlier version, page -> carried item codes until the owner
confirms the page. Existing rows carried nothing (NULL).

Revision ID: a7c2e94b1f36
Revises: a4e8c2d6b1f3
Create Date: 2026-11-30 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c2e94b1f36'
down_revision = 'a4e8c2d6b1f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_pages', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('carried_pages')
