"""round rollup: the government statistics' fact table kept per round (issue 18, province scale)

Revision ID: b3d9e1f4a726
Revises: f2c6b9d1e4a7
Create Date: 2026-12-01 01:30:00

Rounds are not filled here: a round's rollup is built from its rows when first read
(``rollups.cells``) or by ``flask stats rollup --round R``.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d9e1f4a726'
down_revision = 'f2c6b9d1e4a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'round_rollup',
        sa.Column('round_code', sa.String(length=20), nullable=False),
        sa.Column('town', sa.String(length=30), nullable=False),
        sa.Column('cluster', sa.String(length=20), nullable=False),
        sa.Column('size_class', sa.String(length=10), nullable=False),
        sa.Column('production_type', sa.String(length=10), nullable=False),
        sa.Column('above_scale', sa.Boolean(), nullable=False),
        sa.Column('stage', sa.String(length=2), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('index_sum', sa.Float(), nullable=False),
        sa.Column('integrated', sa.Integer(), nullable=False),
        sa.Column('supply_chain', sa.Integer(), nullable=False),
        sa.Column('cloud', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            'round_code', 'town', 'cluster', 'size_class', 'production_type', 'above_scale',
            'stage', 'basis', name=op.f('pk_round_rollup'),
        ),
    )
    op.create_table(
        'round_rollup_build',
        sa.Column('round_code', sa.String(length=20), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('round_code', name=op.f('pk_round_rollup_build')),
    )


def downgrade():
    op.drop_table('round_rollup_build')
    op.drop_table('round_rollup')
