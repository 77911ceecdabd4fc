"""diary: entries, answers, strengths, goals, steps, check-ins

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:55:19.065455
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=False),
        sa.Column("craving", sa.Integer(), nullable=False),
        sa.Column("sleep", sa.String(length=8), nullable=False),
        sa.Column("use", sa.String(length=8), nullable=True),
        sa.Column("good_thing", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "day", name="uq_daily_check_in_day"),
    )
    with op.batch_alter_table("daily_check_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_daily_check_in_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_daily_check_in_user_id"), ["user_id"], unique=False)

    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=10000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_diary_entry_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_diary_entry_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_diary_entry_written_at"), ["written_at"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("why", sa.String(length=2000), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_user_id"), ["user_id"], unique=False)

    op.create_table(
        "entry_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["diary_entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_answer_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_answer_user_id"), ["user_id"], unique=False)

    op.create_table(
        "entry_strength",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["diary_entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry_strength", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_strength_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_strength_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_strength_user_id"), ["user_id"], unique=False)

    op.create_table(
        "goal_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal_check_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_check_in_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_check_in_user_id"), ["user_id"], unique=False)

    op.create_table(
        "goal_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_step_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_step_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_step_user_id"))
        batch_op.drop_index(batch_op.f("ix_goal_step_goal_id"))

    op.drop_table("goal_step")
    with op.batch_alter_table("goal_check_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_check_in_user_id"))
        batch_op.drop_index(batch_op.f("ix_goal_check_in_goal_id"))

    op.drop_table("goal_check_in")
    with op.batch_alter_table("entry_strength", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_strength_user_id"))
        batch_op.drop_index(batch_op.f("ix_entry_strength_name_key"))
        batch_op.drop_index(batch_op.f("ix_entry_strength_entry_id"))

    op.drop_table("entry_strength")
    with op.batch_alter_table("entry_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_answer_user_id"))
        batch_op.drop_index(batch_op.f("ix_entry_answer_entry_id"))

    op.drop_table("entry_answer")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_user_id"))

    op.drop_table("goal")
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diary_entry_written_at"))
        batch_op.drop_index(batch_op.f("ix_diary_entry_user_id"))
        batch_op.drop_index(batch_op.f("ix_diary_entry_day"))

    op.drop_table("diary_entry")
    with op.batch_alter_table("daily_check_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_check_in_user_id"))
        batch_op.drop_index(batch_op.f("ix_daily_check_in_day"))

    op.drop_table("daily_check_in")
