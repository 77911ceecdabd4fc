"""A peer supporter's private note per person (peer_note), sealed by the peer's own key:
only they read it, never the client or a coordinator. It goes with the contact and with
either account (ON DELETE CASCADE).

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "user_id", name="uq_peer_note_contact_user"),
    )
    with op.batch_alter_table("peer_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peer_note_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_peer_note_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("peer_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peer_note_user_id"))
        batch_op.drop_index(batch_op.f("ix_peer_note_contact_id"))
    op.drop_table("peer_note")
