"""assessment profile as submitted: grouping columns, backfilled

Statistics group a submitted assessment by the profile it was submitted with (review finding
7): town, industry cluster, size class, production type and the above-scale flag are copied onto
the assessment at submit. Existing submitted rows are filled from their ``profile_snapshot``
(cluster from its industry code) or, without one, from the enterprise's current profile.

Revision ID: c5d1a7e3f902
Revises: b7e2c41d9a05
Create Date: 2026-11-30 14:45:00

"""

from alembic import op
import sqlalchemy as sa

from assessment.classification import cluster_for_industry


# revision identifiers, used by Alembic.
revision = 'c5d1a7e3f902'
down_revision = 'b7e2c41d9a05'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_town', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('profile_cluster', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('profile_size_class', sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column('profile_production_type', sa.String(length=10), nullable=True)
        )
        batch_op.add_column(sa.Column('profile_above_scale', sa.Boolean(), nullable=True))
    _backfill()


def _backfill():
    conn = op.get_bind()
    assessment = sa.table(
        'assessment',
        sa.column('id', sa.Integer),
        sa.column('enterprise_id', sa.Integer),
        sa.column('status', sa.String),
        sa.column('profile_snapshot', sa.JSON),
        sa.column('profile_town', sa.String),
        sa.column('profile_cluster', sa.String),
        sa.column('profile_size_class', sa.String),
        sa.column('profile_production_type', sa.String),
        sa.column('profile_above_scale', sa.Boolean),
    )
    enterprise = sa.table(
        'enterprise',
        sa.column('id', sa.Integer),
        sa.column('town', sa.String),
        sa.column('cluster', sa.String),
        sa.column('size_class', sa.String),
        sa.column('production_type', sa.String),
        sa.column('above_scale', sa.Boolean),
    )
    rows = conn.execute(
        sa.select(
            assessment.c.id,
            assessment.c.profile_snapshot,
            enterprise.c.town,
            enterprise.c.cluster,
            enterprise.c.size_class,
            enterprise.c.production_type,
            enterprise.c.above_scale,
        )
        .join(enterprise, enterprise.c.id == assessment.c.enterprise_id)
        .where(assessment.c.status == 'submitted')
    ).all()
    update = (
        sa.update(assessment)
        .where(assessment.c.id == sa.bindparam('row_id'))
        .values(
            profile_town=sa.bindparam('town'),
            profile_cluster=sa.bindparam('cluster'),
            profile_size_class=sa.bindparam('size_class'),
            profile_production_type=sa.bindparam('production_type'),
            profile_above_scale=sa.bindparam('above_scale'),
        )
    )
    values = []
    for row_id, snapshot, town, cluster, size, ptype, above in rows:
        snap = snapshot or {}
        industry = snap.get('industry_code')
        values.append(
            {
                'row_id': row_id,
                'town': snap.get('town', town),
                'cluster': cluster_for_industry(industry).value if industry else cluster,
                'size_class': snap.get('size_class', size),
                'production_type': snap.get('production_type', ptype),
                'above_scale': bool(snap.get('above_scale', above)),
            }
        )
    for start in range(0, len(values), BATCH):
        conn.execute(update, values[start : start + BATCH])


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('profile_above_scale')
        batch_op.drop_column('profile_production_type')
        batch_op.drop_column('profile_size_class')
        batch_op.drop_column('profile_cluster')
        batch_op.drop_column('profile_town')
