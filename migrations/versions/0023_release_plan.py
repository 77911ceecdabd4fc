"""the plan for the first weeks after a release or discharge: one per step of "my next
steps" that ends a prison term, a placement or a treatment; its checklist sealed by the
client's own key, the chosen peer supporter's contact and the check-in days plain

Revision ID: 0023
Revises: 0021
Create Date: 2026-11-30 09:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("checklist", sa.Text(), nullable=True),
        sa.Column("days", sa.String(length=20), nullable=False),
        sa.Column("reminded", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["step_id"], ["next_step.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("step_id"),
    )
    op.create_index("ix_release_plan_user_id", "release_plan", ["user_id"])
    op.create_index("ix_release_plan_contact_id", "release_plan", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_release_plan_contact_id", table_name="release_plan")
    op.drop_index("ix_release_plan_user_id", table_name="release_plan")
    op.drop_table("release_plan")
