"""support programmes in the database, edited by administrators

The roadmap's cost sharing and the pilot path read programmes from this table (until now from
a file shipped with the code). ``flask demo seed`` loads the demo programmes into an empty table.

Revision ID: e5b2c8a4f917
Revises: a7c2e9d4b1f6
Create Date: 2026-11-30 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b2c8a4f917'
down_revision = 'a7c2e9d4b1f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'support_programme',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('clusters', sa.JSON(), nullable=False),
        sa.Column('retired', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issuer', sa.String(length=200), nullable=False),
        sa.Column('document', sa.String(length=300), nullable=False),
        sa.Column('region', sa.String(length=100), nullable=False),
        sa.Column('share', sa.Float(), nullable=False),
        sa.Column('cap_wan', sa.Float(), nullable=False),
        sa.Column('divisions', sa.JSON(), nullable=False),
        sa.Column('size_classes', sa.JSON(), nullable=False),
        sa.Column('pilot_list', sa.Boolean(), nullable=False),
        sa.Column('max_level_before', sa.Integer(), nullable=False),
        sa.Column('certifications', sa.JSON(), nullable=False),
        sa.Column('cloud_only', sa.Boolean(), nullable=False),
        sa.Column('pilot_directory_only', sa.Boolean(), nullable=False),
        sa.Column('documents', sa.JSON(), nullable=False),
        sa.Column('steps', sa.JSON(), nullable=False),
        sa.Column('starts_on', sa.String(length=10), nullable=False),
        sa.Column('ends_on', sa.String(length=10), nullable=False),
        sa.Column('is_demo', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_programme')),
        sa.UniqueConstraint('code', name=op.f('uq_support_programme_code')),
    )


def downgrade():
    op.drop_table('support_programme')
