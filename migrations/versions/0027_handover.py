"""Handover with consent: a suggestion that a colleague continues with a client, answered
by the client (peer/handover.py). At most one open suggestion per contact.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=True),
        sa.Column("to_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("new_contact_id", sa.Integer(), nullable=True),
        sa.Column("client_key", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["to_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposed_by"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["new_contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "client_key", name="uq_handover_client_key"),
    )
    op.create_index("ix_handover_contact_id", "handover", ["contact_id"])
    op.create_index("ix_handover_from_id", "handover", ["from_id"])
    op.create_index("ix_handover_to_id", "handover", ["to_id"])
    op.create_index("ix_handover_proposed_by", "handover", ["proposed_by"])
    op.create_index(
        "uq_handover_open_contact",
        "handover",
        ["contact_id"],
        unique=True,
        sqlite_where=sa.text("outcome IS NULL"),
        postgresql_where=sa.text("outcome IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_handover_open_contact", table_name="handover")
    for column in ("proposed_by", "to_id", "from_id", "contact_id"):
        op.drop_index(f"ix_handover_{column}", table_name="handover")
    op.drop_table("handover")
