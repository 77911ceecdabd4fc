"""Stay with me: the check-on-me timer the server runs (stay_timer), the people it tells
(stay_person; each copy of the note sealed by that person's link key), and a peer
supporter's "On duty for Stay with me" switch (peer_profile.stay_on_duty)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stay_timer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_it_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("to_duty", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id", "client_key", name="uq_stay_timer_client_key"),
    )
    with op.batch_alter_table("stay_timer", schema=None) as batch_op:
        batch_op.create_index("ix_stay_timer_client_id", ["client_id"], unique=False)
        batch_op.create_index("ix_stay_timer_state_due_at", ["state", "due_at"], unique=False)

    op.create_table(
        "stay_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_it_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("told_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["timer_id"], ["stay_timer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("timer_id", "user_id", name="uq_stay_person_timer_user"),
    )
    with op.batch_alter_table("stay_person", schema=None) as batch_op:
        batch_op.create_index("ix_stay_person_contact_id", ["contact_id"], unique=False)
        batch_op.create_index("ix_stay_person_timer_id", ["timer_id"], unique=False)
        batch_op.create_index("ix_stay_person_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("peer_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stay_on_duty", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("peer_profile", schema=None) as batch_op:
        batch_op.drop_column("stay_on_duty")
    with op.batch_alter_table("stay_person", schema=None) as batch_op:
        batch_op.drop_index("ix_stay_person_user_id")
        batch_op.drop_index("ix_stay_person_timer_id")
        batch_op.drop_index("ix_stay_person_contact_id")
    op.drop_table("stay_person")
    with op.batch_alter_table("stay_timer", schema=None) as batch_op:
        batch_op.drop_index("ix_stay_timer_state_due_at")
        batch_op.drop_index("ix_stay_timer_client_id")
    op.drop_table("stay_timer")
