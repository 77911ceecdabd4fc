"""drug-supply warnings: the warnings a coordinator publishes (public, naming nobody), and
each client's choice of areas, sealed by their own key, with the keyed hashes the server
matches a new warning against

Revision ID: 0024
Revises: 0021
Create Date: 2026-11-30 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supply_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("found", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("advice", sa.String(length=1000), nullable=False),
        sa.Column("source_name", sa.String(length=120), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_key", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_key"),
    )
    with op.batch_alter_table("supply_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supply_warning_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_supply_warning_ends_on"), ["ends_on"], unique=False)

    op.create_table(
        "warning_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("areas", sa.Text(), nullable=True),
        sa.Column("notify", sa.Text(), nullable=True),
        sa.Column("tokens", sa.String(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("warning_choice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_choice_user_id"), ["user_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("warning_choice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_choice_user_id"))
    op.drop_table("warning_choice")
    with op.batch_alter_table("supply_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supply_warning_ends_on"))
        batch_op.drop_index(batch_op.f("ix_supply_warning_country"))
    op.drop_table("supply_warning")
