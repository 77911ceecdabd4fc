"""Approval with eyes open and reports answered (issue 19): when an approved peer supporter
was told so in the app (user.approval_told_at); a coordinator's reply to a reporter (sealed
by the report's key), when it was given, and the outcome a report was closed with.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("approval_told_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("report") as batch_op:
        batch_op.add_column(sa.Column("reply", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=24), nullable=True))
    # Peer supporters approved before this were already told, in their own way.
    op.execute(sa.text('UPDATE "user" SET approval_told_at = peer_approved_at WHERE peer_approved_at IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_column("outcome")
        batch_op.drop_column("replied_at")
        batch_op.drop_column("reply")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("approval_told_at")
