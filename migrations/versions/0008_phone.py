"""a poor phone: the PIN lock, and diary entries sent once however often they are retried

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("pin_idle_minutes", sa.Integer(), nullable=False, server_default="5"))
        batch_op.add_column(sa.Column("pin_tries", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint("uq_diary_entry_client_key", ["user_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.drop_constraint("uq_diary_entry_client_key", type_="unique")
        batch_op.drop_column("client_key")

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("pin_tries")
        batch_op.drop_column("pin_idle_minutes")
        batch_op.drop_column("pin_hash")
