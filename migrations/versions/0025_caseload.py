"""A peer supporter's caseload: how many people they can carry (peer_profile.caseload;
NULL: no limit set). At that number they are not offered to new clients.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("peer_profile") as batch_op:
        batch_op.add_column(sa.Column("caseload", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("peer_profile") as batch_op:
        batch_op.drop_column("caseload")
