"""privacy notice consent on the user, deletion requests

Adds ``user_account.consent_version`` and ``consented_at`` (NULL for existing accounts: they
are asked to consent at their next visit) and the ``deletion_request`` table.

Revision ID: b9d3f7a2c614
Revises: b20879d53235
Create Date: 2026-11-30 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9d3f7a2c614'
down_revision = 'b20879d53235'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'deletion_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('carried_out_by_id', sa.Integer(), nullable=True),
        sa.Column('carried_out_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['carried_out_by_id'], ['user_account.id'], name=op.f('fk_deletion_request_carried_out_by_id_user_account')),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_deletion_request_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_deletion_request_requested_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_request')),
    )
    with op.batch_alter_table('deletion_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deletion_request_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deletion_request_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('deletion_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deletion_request_state'))
        batch_op.drop_index(batch_op.f('ix_deletion_request_enterprise_id'))
    op.drop_table('deletion_request')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('consented_at')
        batch_op.drop_column('consent_version')
