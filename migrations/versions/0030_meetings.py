"""Meetings with the authorities (issue 20): a client's preparation and what came of it
(sealed by their own key), a peer supporter asked to come along (sealed by the link key of
that contact), and the moments of the meeting's reminders (no words).

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-30 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

MEETING_SEALED = ("kind", "say", "ask", "want", "bring", "decided", "next_who", "received_on", "country")


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=True) for name in MEETING_SEALED),
        sa.Column("remind", sa.Boolean(), nullable=False),
        sa.Column("remind_deadline", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["step_id"], ["next_step.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("step_id"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_user_id"), ["user_id"], unique=False)
    op.create_table(
        "meeting_along",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=True) for name in ("place", "role", "note", "prep")),
        sa.Column("share_prep", sa.Boolean(), nullable=False),
        sa.Column("when_local", sa.String(length=16), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=40), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
    )
    with op.batch_alter_table("meeting_along", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_along_contact_id"), ["contact_id"], unique=False)
    op.create_table(
        "meeting_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_reminder_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_reminder_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_reminder_fire_at"), ["fire_at"], unique=False)


def downgrade() -> None:
    op.drop_table("meeting_reminder")
    op.drop_table("meeting_along")
    op.drop_table("meeting")
