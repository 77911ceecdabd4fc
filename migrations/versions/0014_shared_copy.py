"""shared copies: what a client shares, sealed to the person it is shared with

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:00:00

Nothing is copied here: the copies are sealed from the client's own rows, which only
their key opens, so each client's copies are made at their next login.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shared_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recipient_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "what", "ref_id", name="uq_shared_copy_contact_what_ref"),
    )
    with op.batch_alter_table("shared_copy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shared_copy_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shared_copy_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shared_copy_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shared_copy_ref_id"), ["ref_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shared_copy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_copy_ref_id"))
        batch_op.drop_index(batch_op.f("ix_shared_copy_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_shared_copy_owner_id"))
        batch_op.drop_index(batch_op.f("ix_shared_copy_contact_id"))
    op.drop_table("shared_copy")
