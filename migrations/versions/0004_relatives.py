"""relatives: invitations, consent on the contact, shared goals, relatives' notes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:23:26.466535
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("share_checkin", sa.Boolean(), nullable=False),
        sa.Column("goal_ids", sa.String(length=400), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("messaging", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_code_hash"), ["code_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_invitation_user_id"), ["user_id"], unique=False)

    op.create_table(
        "relative_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=5000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("relative_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relative_note_user_id"), ["user_id"], unique=False)

    op.create_table(
        "goal_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_share_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_share_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_share_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("share_checkin", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("messaging", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("consent_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("consent_changed_at")
        batch_op.drop_column("messaging")
        batch_op.drop_column("share_checkin")
        batch_op.drop_column("label")

    with op.batch_alter_table("goal_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_share_user_id"))
        batch_op.drop_index(batch_op.f("ix_goal_share_goal_id"))
        batch_op.drop_index(batch_op.f("ix_goal_share_contact_id"))

    op.drop_table("goal_share")
    with op.batch_alter_table("relative_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relative_note_user_id"))

    op.drop_table("relative_note")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_user_id"))
        batch_op.drop_index(batch_op.f("ix_invitation_code_hash"))

    op.drop_table("invitation")
