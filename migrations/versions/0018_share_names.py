"""share names: the access log says with whom something was shared (access_event.contact_id);
an invitation carries a personal line and the name the relative knows the client by, both
sealed by a key made from the invitation's code (only the link the client sends opens them)

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("from_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("from_name")
        batch_op.drop_column("note")
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.drop_column("contact_id")
