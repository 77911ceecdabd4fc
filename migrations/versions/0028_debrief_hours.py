"""A peer supporter's usual hours (peer_profile.usual_days, usual_from, usual_to, in the
service's time zone), and debrief requests to the coordinators (debrief_request: how soon
and how, no free text; at most one open per peer supporter)

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

OPEN = sa.text("arranged_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("peer_profile") as batch_op:
        batch_op.add_column(sa.Column("usual_days", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("usual_from", sa.String(length=5), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("usual_to", sa.String(length=5), nullable=False, server_default=""))

    op.create_table(
        "debrief_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("soon", sa.String(length=16), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arranged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debrief_request_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_debrief_request_open", ["user_id"], unique=True, sqlite_where=OPEN, postgresql_where=OPEN
        )


def downgrade() -> None:
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.drop_index("uq_debrief_request_open")
        batch_op.drop_index(batch_op.f("ix_debrief_request_user_id"))
    op.drop_table("debrief_request")
    with op.batch_alter_table("peer_profile") as batch_op:
        batch_op.drop_column("usual_to")
        batch_op.drop_column("usual_from")
        batch_op.drop_column("usual_days")
