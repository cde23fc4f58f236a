"""plan-target flags of questionnaire-v2 assessments read from v2's own items

Version 2 asks the supply-chain and cloud questions with other items (INT-05 at L2 or above,
INT-07 at L1 or above; ``assessment/plan_targets.py``), so the flags stored for v2 assessments
before this revision (read from v1's MGT-04 and INF-02, which v2 does not have) were false for
every firm. This recomputes them for submitted v2 assessments; v1 rows keep theirs.

Revision ID: d3f1a8c5e2b7
Revises: b9d3f7a2c614
Create Date: 2026-11-30 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3f1a8c5e2b7'
down_revision = 'b9d3f7a2c614'
branch_labels = None
depends_on = None

FLAGS_V2 = {  # column: (item, qualifying options), as assessment/plan_targets.py on version 2
    'plan_integrated': ('INT-01', ['L3', 'L4']),
    'plan_supply_chain': ('INT-05', ['L2', 'L3', 'L4']),
    'plan_cloud': ('INT-07', ['L1', 'L2', 'L3', 'L4']),
}


def upgrade():
    assessment = sa.table(
        'assessment',
        sa.column('status', sa.String),
        sa.column('instrument_version', sa.String),
        sa.column('responses', sa.JSON),
        *(sa.column(column, sa.Boolean) for column in FLAGS_V2),
    )
    op.execute(
        assessment.update()
        .where(assessment.c.status == 'submitted', assessment.c.instrument_version == '2')
        .values({
            column: sa.func.coalesce(assessment.c.responses[item].as_string().in_(options), False)
            for column, (item, options) in FLAGS_V2.items()
        })
    )


def downgrade():
    pass  # the earlier flags were wrong; nothing to restore
