"""one-time keys on goal check-ins and messages, so a double tap or a retry stores once

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goal_check_in", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint("uq_goal_check_in_client_key", ["user_id", "client_key"])
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint("uq_message_client_key", ["contact_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_message_client_key", type_="unique")
        batch_op.drop_column("client_key")
    with op.batch_alter_table("goal_check_in", schema=None) as batch_op:
        batch_op.drop_constraint("uq_goal_check_in_client_key", type_="unique")
        batch_op.drop_column("client_key")
