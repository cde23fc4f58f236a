"""plan-indicator flags on assessments, round code on dimension scores, dashboard indexes

The dashboard summed three JSON look-ups per assessment (``responses->>'INT-01'`` ...); the
flags are now decided once at submit (``assessment/plan_targets.py``) and stored. Existing
submitted rows are filled in here with the rules as they stand at this revision (INT-01 >= L3,
MGT-04 >= L2, INF-02 >= L2). Dimension scores carry their assessment's round code, so a round's
dimension means come from one index without a join.

Revision ID: b7e2c41d9a05
Revises: f9197677fb0d
Create Date: 2026-11-29 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c41d9a05'
down_revision = 'f9197677fb0d'
branch_labels = None
depends_on = None

FLAGS = {  # column: (item, qualifying options)
    'plan_integrated': ('INT-01', ['L3', 'L4']),
    'plan_supply_chain': ('MGT-04', ['L2', 'L3', 'L4']),
    'plan_cloud': ('INF-02', ['L2', 'L3', 'L4']),
}
SUBMITTED_CORRECTION = "status = 'submitted' AND corrects_id IS NOT NULL"


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        for column in FLAGS:
            batch_op.add_column(sa.Column(column, sa.Boolean(), nullable=True))

    assessment = sa.table(
        'assessment',
        sa.column('status', sa.String),
        sa.column('responses', sa.JSON),
        *(sa.column(column, sa.Boolean) for column in FLAGS),
    )
    op.execute(
        assessment.update()
        .where(assessment.c.status == 'submitted')
        .values({
            column: sa.func.coalesce(assessment.c.responses[item].as_string().in_(options), False)
            for column, (item, options) in FLAGS.items()
        })
    )

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(
            'ix_assessment_round_result',
            ['round_code', 'status', 'enterprise_id', 'stage', 'maturity_index',
             'plan_integrated', 'plan_supply_chain', 'plan_cloud', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_assessment_submitted_corrections', ['corrects_id'], unique=False,
            sqlite_where=sa.text(SUBMITTED_CORRECTION),
            postgresql_where=sa.text(SUBMITTED_CORRECTION),
        )


    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_code', sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE dimension_score SET round_code = "
        "(SELECT assessment.round_code FROM assessment WHERE assessment.id = dimension_score.assessment_id)"
    )
    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.alter_column('round_code', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_index(
            'ix_dimension_score_round', ['round_code', 'dimension', 'score', 'assessment_id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.drop_index('ix_dimension_score_round')
        batch_op.drop_column('round_code')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_submitted_corrections')
        batch_op.drop_index('ix_assessment_round_result')
        for column in FLAGS:
            batch_op.drop_column(column)
